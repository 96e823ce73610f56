// The command line: every subcommand as CLI11 defines it, parsed and dispatched.
#include <CLI/CLI.hpp>
#include <optional>

#include "app.hpp"
#include "commands.hpp"
#include "confirm.hpp"
#include "live_confirm.hpp"
#include "manual.hpp"
#include "output.hpp"
#include "shapes.hpp"

namespace irlint {
namespace {

/// The command line as CLI11 parses it: every subcommand and the values it fills.
struct CommandLine {
  CLI::App app{
      "irlint: a linter for OpenVINO IR models that predicts how the CPU plugin runs them"};
  std::string batch = "1";  ///< --batch N, checked once for every subcommand (analyzer/shapes.hpp)
  CheckArgs check;
  PlanArgs plan;
  std::string info_model, info_bin, rules_format = "text", explain_rule, completion_shell;
  std::string confirm_model, confirm_bin;
  LiveConfirmArgs live;
  ConfirmArgs evidence;  // --evidence / --openvino: score the plan against real OpenVINO runs
  LiveChildArgs live_child;
  CLI::App *check_cmd, *plan_cmd, *info_cmd, *rules_cmd, *explain_cmd, *targets_cmd, *confirm_cmd,
      *live_child_cmd, *manpage_cmd, *completion_cmd;
};

constexpr const char* kBatchHelp = "take a dynamic batch as N (default 1; 0 = keep it dynamic)";

void add_check(CommandLine& c) {
  CheckArgs& check = c.check;
  CLI::App* cmd = c.check_cmd = c.app.add_subcommand("check", "lint models and report findings");
  cmd->add_option("inputs", check.inputs, "IR .xml files or folders to walk")->required();
  cmd->add_option("--bin", check.bin, "weights file (default: the .bin next to the .xml)");
  cmd->add_option("-t,--target", check.target, "runtime policy and ISA, e.g. openvino-2019.3:avx2");
  cmd->add_option("-f,--format", check.format, "text, json, sarif, github or junit");
  cmd->add_option("--select", check.select, "run only these rules (code, code prefix or name)")
      ->delimiter(',');
  cmd->add_option("--ignore", check.ignore, "skip these rules (code, code prefix or name)")
      ->delimiter(',');
  cmd->add_option("--severity", check.severity, "override a severity: RULE=note|warning|error");
  cmd->add_option("--option", check.options, "set a rule option: RULE.OPTION=VALUE");
  cmd->add_option("--fail-on", check.fail_on,
                  "exit 1 at this severity: error, warning (default), note, never");
  cmd->add_option("--baseline", check.baseline, "report only findings not in this baseline file");
  cmd->add_option("--write-baseline", check.write_baseline,
                  "write the current findings as a baseline");
  cmd->add_option("--config", check.config, "configuration file (default: nearest .irlint.json)");
  cmd->add_flag("--no-config", check.no_config, "ignore .irlint.json files");
  cmd->add_option("-o,--output", check.output, "write the report to a file");
  cmd->add_option("-j,--jobs", check.jobs, "check files in parallel (0 = all cores)");
  cmd->add_flag("--stats", check.stats, "print files checked per second on stderr");
  cmd->add_option("--batch", c.batch, kBatchHelp);
}

void add_plan_info_rules(CommandLine& c) {
  CLI::App* plan = c.plan_cmd = c.app.add_subcommand("plan", "print the predicted execution graph");
  plan->add_option("model", c.plan.model, "IR .xml file")->required();
  plan->add_option("--bin", c.plan.bin, "weights file");
  plan->add_option("-t,--target", c.plan.target, "runtime policy and ISA");
  plan->add_option("--exec-graph-out", c.plan.exec_graph_out,
                   "write the plan as an exec-graph XML");
  plan->add_option("--dot", c.plan.dot, "write the plan as Graphviz DOT");
  plan->add_option("--batch", c.batch, kBatchHelp);

  c.info_cmd = c.app.add_subcommand("info", "summarise a model: version, producer, inputs, layers");
  c.info_cmd->add_option("model", c.info_model, "IR .xml file")->required();
  c.info_cmd->add_option("--bin", c.info_bin, "weights file");
  c.info_cmd->add_option("--batch", c.batch, kBatchHelp);

  c.rules_cmd = c.app.add_subcommand("rules", "list the rules");
  c.rules_cmd->add_option("-f,--format", c.rules_format, "text, json or markdown");
  c.explain_cmd = c.app.add_subcommand("explain", "show a rule's documentation");
  c.explain_cmd->add_option("rule", c.explain_rule, "rule name or code")->required();
  c.targets_cmd =
      c.app.add_subcommand("targets", "list the runtime policies and ISAs with their sources");
}

void add_confirm(CommandLine& c) {
  CLI::App* cmd = c.confirm_cmd =
      c.app.add_subcommand("confirm", "confirm or refute the findings with real execution");
  cmd->add_option("model", c.confirm_model, "IR .xml file")->required();
  cmd->add_option("--bin", c.confirm_bin, "weights file");
  cmd->add_flag("--live", c.live.live, "run the plan's nodes on oneDNN on this CPU");
  cmd->add_option("-t,--target", c.live.target, "plan target for --live (default onednn-2.6:ISA)");
  cmd->add_option(
      "--isa", c.live.isa,
      "--live: emulate native, sse41, avx2, avx512 or avx512_vnni; amx where the CPU has it");
  cmd->add_option("--iterations", c.live.iterations, "--live: timed runs per node");
  cmd->add_flag("--native", c.live.native, "--live: let oneDNN choose layouts");
  cmd->add_option("--exec-graph-out", c.live.exec_graph_out,
                  "--live: write the observed graph as an exec-graph XML");
  cmd->add_option("--batch", c.batch, kBatchHelp);
  cmd->add_option("--evidence", c.evidence.evidence,
                  "score the plan against recorded OpenVINO evidence (-pc text, counters CSV, "
                  "-json_stats, exec-graph XML, runtime-node TSV)");
  cmd->add_option("-f,--format", c.evidence.format, "--evidence/--openvino: text or json");
  cmd->add_flag("--openvino", c.evidence.openvino, "run benchmark_app and score its counters");
  cmd->add_option("--benchmark-app", c.evidence.benchmark_app, "--openvino: benchmark_app to run");
  cmd->add_option("--niter", c.evidence.niter, "--openvino: benchmark_app iterations");
}

/// The subcommands users do not type: the live run's child process, and the generated manual
/// page and completion (cli/manual.cpp: `irlint __manpage > irlint.1`,
/// `irlint __completion bash > irlint.bash`).
void add_hidden(CommandLine& c) {
  LiveChildArgs& child = c.live_child;
  CLI::App* cmd = c.live_child_cmd = c.app.add_subcommand("__live-child", "")->group("");
  cmd->add_option("model", child.model)->required();
  cmd->add_option("--bin", child.bin);
  cmd->add_option("--target", child.target);
  cmd->add_option("--mode", child.mode);
  cmd->add_option("--iterations", child.iterations);
  cmd->add_option("--isa-requested", child.isa_requested);
  cmd->add_option("--batch", c.batch);
  c.manpage_cmd = c.app.add_subcommand("__manpage", "")->group("");
  c.completion_cmd = c.app.add_subcommand("__completion", "")->group("");
  c.completion_cmd->add_option("shell", c.completion_shell)->required();
}

/// Parses the arguments; an exit status when that already ends the command (help, version, a
/// usage error), nullopt to go on.
std::optional<int> parse(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                         std::ostream& err) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << version_text();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
      return 0;
    }
    err << "irlint: error: " << e.what() << "\n"
        << "run 'irlint --help' for usage\n";
    return 2;
  }
  return std::nullopt;
}

/// Runs the parsed subcommand.
int dispatch(CommandLine& c, int64_t batch, std::ostream& out, std::ostream& err) {
  c.check.batch = c.plan.batch = c.live.batch = c.live_child.batch = batch;
  if (c.check_cmd->parsed()) return run_check(c.check, out, err);
  if (c.plan_cmd->parsed()) return run_plan(c.plan, out, err);
  if (c.info_cmd->parsed()) return run_info(c.info_model, c.info_bin, batch, out, err);
  if (c.rules_cmd->parsed()) return run_rules(c.rules_format, out, err);
  if (c.explain_cmd->parsed()) return run_explain(c.explain_rule, out, err);
  if (c.targets_cmd->parsed()) return run_targets(out);
  if (c.confirm_cmd->parsed() && c.live.live) {
    c.live.format = c.evidence.format;
    return run_live_confirm(c.confirm_model, c.confirm_bin, c.live, out, err);
  }
  if (c.confirm_cmd->parsed() && (!c.evidence.evidence.empty() || c.evidence.openvino)) {
    c.evidence.model = c.confirm_model;
    c.evidence.bin = c.confirm_bin;
    c.evidence.target = c.live.target;
    c.evidence.batch = batch;
    return run_confirm(c.evidence, out, err);
  }
  if (c.live_child_cmd->parsed()) return run_live_child(c.live_child, out, err);
  if (c.manpage_cmd->parsed()) {
    out << manpage(c.app);
    return 0;
  }
  if (c.completion_cmd->parsed()) return run_completion(c.app, c.completion_shell, out, err);
  return 2;
}

int run_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  try {
    CommandLine c;
    c.app.set_version_flag("--version", std::string("irlint ") + IRLINT_VERSION);
    c.app.require_subcommand(1);
    add_check(c);
    add_plan_info_rules(c);
    add_confirm(c);
    add_hidden(c);
    if (auto status = parse(c.app, argc, argv, out, err)) return *status;
    std::string batch_problem;
    auto batch = parse_batch(c.batch, &batch_problem);
    if (!batch) {
      err << "irlint: error: " << batch_problem << '\n';
      return 2;
    }
    return dispatch(c, *batch, out, err);
  } catch (const std::exception& e) {
    err << "irlint: internal error: " << e.what() << '\n';
    return 2;
  }
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  int status = run_command(argc, argv, out, err);
  return finish_output(out, err) ? status : 2;
}

}  // namespace irlint
