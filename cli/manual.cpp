// `irlint --version`, the man page and the shell completion, generated from the command line's
// own definition (CLI11), the rule registry and the targets, so they never drift from them.
#include "manual.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "rule.hpp"
#include "target.hpp"

#ifdef IRLINT_HAVE_DNNL
#include <dnnl.h>
#endif

#ifndef IRLINT_GIT_COMMIT
#define IRLINT_GIT_COMMIT "unknown"
#endif
#ifndef IRLINT_BUILD_TYPE
#define IRLINT_BUILD_TYPE ""
#endif
#ifndef IRLINT_LIVE_WHY
#define IRLINT_LIVE_WHY ""
#endif

namespace irlint {
namespace {

/// "yes (oneDNN 2.6.3)" with the version of the library loaded, or "no (why it was not built)".
std::string live_run_line() {
#ifdef IRLINT_HAVE_DNNL
  const dnnl_version_t* v = dnnl_version();
  return fmt::format("yes (oneDNN {}.{}.{})", v->major, v->minor, v->patch);
#else
  std::string_view why = IRLINT_LIVE_WHY;
  return why.empty() ? std::string("no") : fmt::format("no ({})", why);
#endif
}

/// The subcommands a user sees: not the hidden ones (group "").
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

/// The options a user sees, positionals included; hidden ones (group "") left out.
std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* opt) { return !opt->get_group().empty(); });
}

/// "-t", "--target": the names an option is written with.
std::vector<std::string> option_names(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const std::string& s : opt.get_snames()) names.push_back("-" + s);
  for (const std::string& l : opt.get_lnames()) names.push_back("--" + l);
  return names;
}

/// Whether an option takes a value (a flag takes none).
bool takes_value(const CLI::Option& opt) { return opt.get_expected_max() > 0; }

/// Every "POLICY:ISA" a --target accepts, "POLICY:native" included.
std::vector<std::string> target_names() {
  std::vector<std::string> names;
  for (const Policy& p : all_policies()) {
    names.push_back(fmt::format("{}:native", p.name));
    for (Isa isa : p.isas) names.push_back(fmt::format("{}:{}", p.name, to_string(isa)));
  }
  return names;
}

/// `text` as roff: backslashes as \(rs, hyphens as \- (so names copy as typed), a dot or
/// apostrophe that would start a control line neutralised with \&.
std::string roff(std::string_view text) {
  std::string r;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) r += "\\&";
    if (c == '\\') {
      r += "\\(rs";
    } else if (c == '-') {
      r += "\\-";
    } else {
      r += c;
    }
    line_start = c == '\n';
  }
  return r;
}

std::string bold(std::string_view text) { return "\\fB" + roff(text) + "\\fR"; }
std::string italic(std::string_view text) { return "\\fI" + roff(text) + "\\fR"; }

/// The tag of an option's entry: "\fB\-t\fR, \fB\-\-target\fR \fITEXT\fR".
std::string option_tag(const CLI::Option& opt) {
  if (!opt.nonpositional()) {
    return italic(opt.get_name(true)) + (opt.get_expected_max() > 1 ? " ..." : "");
  }
  std::string tag;
  for (const std::string& name : option_names(opt)) tag += (tag.empty() ? "" : ", ") + bold(name);
  if (takes_value(opt)) {
    tag += " " + italic(opt.get_type_name());
    if (opt.get_expected_max() > 1) tag += " ...";
  }
  return tag;
}

/// One line of the synopsis: "\fBirlint check\fR [\fIoptions\fR] \fIinputs\fR ...".
std::string synopsis_line(const CLI::App& sub) {
  std::string line = bold("irlint " + sub.get_name()) + " [" + italic("options") + "]";
  for (const CLI::Option* opt : visible_options(sub)) {
    if (opt->nonpositional()) continue;
    std::string tag = option_tag(*opt);
    line += " " + (opt->get_required() ? tag : "[" + tag + "]");
  }
  return line;
}

std::string man_head(const CLI::App& app) {
  std::string page =
      fmt::format(".TH IRLINT 1 \"\" \"irlint {}\" \"User Commands\"\n", IRLINT_VERSION);
  page += ".SH NAME\nirlint \\- a linter for OpenVINO IR models\n.SH SYNOPSIS\n.nf\n";
  for (const CLI::App* sub : visible_subcommands(app)) page += synopsis_line(*sub) + "\n";
  page += bold("irlint") + " " + bold("--version") + "\n.fi\n";
  page += ".SH DESCRIPTION\n" + roff(app.get_description()) + ".\n.PP\n";
  page += roff(
      "It reads the graph of an IR (model.xml and model.bin) without running it, predicts how the "
      "OpenVINO CPU plugin will execute it for a runtime version and CPU (a target), and reports "
      "what will make it slow: activations that cannot be fused into INT8 convolutions, Reorders "
      "the plugin will insert, depthwise convolutions that fall back to slow kernels.\n");
  return page;
}

std::string man_commands(const CLI::App& app) {
  std::string page = ".SH COMMANDS\n";
  for (const CLI::App* sub : visible_subcommands(app)) {
    page += ".TP\n" + bold(sub->get_name()) + "\n" + roff(sub->get_description()) + "\n";
  }
  return page;
}

/// The entries of `app`'s own options, one .TP each; a subcommand's --help is left out.
std::string man_option_list(const CLI::App& app) {
  std::string page;
  for (const CLI::Option* opt : visible_options(app)) {
    if (app.get_parent() && opt == app.get_help_ptr()) continue;
    page += ".TP\n" + option_tag(*opt) + "\n" + roff(opt->get_description()) + "\n";
  }
  return page;
}

std::string man_options(const CLI::App& app) {
  std::string page = ".SH OPTIONS\n.SS Without a command\n" + man_option_list(app);
  for (const CLI::App* sub : visible_subcommands(app)) {
    page += ".SS " + roff("irlint " + sub->get_name()) + "\n" + man_option_list(*sub);
  }
  return page;
}

std::string man_rules() {
  std::string page = ".SH RULES\n" +
                     roff(
                         "Each rule has a code and a name, either of which "
                         "selects it; the severity shown is its default.") +
                     "\n";
  for (const Rule* r : all_rules()) {
    page += fmt::format(".TP\n{} {} ({})\n{}\n", bold(r->info.code), bold(r->info.name),
                        roff(to_string(r->info.severity)), roff(r->info.summary));
    for (const SeverityCase& c : r->info.severity_cases) {
      page += roff(fmt::format("A {} for {}.", to_string(c.severity), c.when)) + "\n";
    }
  }
  return page + ".PP\n" + bold("irlint explain") + " " + italic("rule") +
         roff(" prints a rule's documentation.") + "\n";
}

std::string man_targets() {
  std::string page = ".SH TARGETS\n" +
                     roff(fmt::format("A target is POLICY:ISA, a runtime policy on an instruction "
                                      "set; the ISA native is the CPU running irlint. Default: "
                                      "{}:native.",
                                      default_target().policy->name)) +
                     "\n";
  for (const Policy& p : all_policies()) {
    std::vector<std::string_view> isas;
    for (Isa isa : p.isas) isas.push_back(to_string(isa));
    page += fmt::format(".TP\n{}\n{}.\nISAs: {}.\n", bold(p.name), roff(p.description),
                        roff(fmt::format("{}", fmt::join(isas, ", "))));
  }
  return page + ".PP\n" + bold("irlint targets") + roff(" lists them with their sources.") + "\n";
}

std::string man_tail() {
  std::string page = ".SH EXIT STATUS\n";
  page += ".TP\n0\n" + roff("No finding at or above the --fail-on severity (default warning).\n");
  page += ".TP\n1\n" + roff("Findings at or above it.\n");
  page += ".TP\n2\n" + roff("A usage error, or an input that cannot be read as an IR.\n");
  page += ".SH FILES\n.TP\n" + bold(".irlint.json") + "\n" +
          roff(
              "The configuration irlint check reads: the nearest one in the folder of the first "
              "model or above it (--config names another, --no-config reads none).\n");
  page += ".SH SEE ALSO\n" + bold("irlint explain") + " " + italic("rule") + ", " +
          bold("irlint targets") + "; " +
          roff(
              "docs/usage.md, docs/rules/, docs/targets.md and docs/live-run.md in the irlint "
              "sources.\n");
  return page;
}

/// What an option's value (or a positional argument) is completed with.
enum class Values {
  none,
  rules,
  rule_list,
  severity,
  rule_option,
  targets,
  formats,
  isas,
  fail_on,
  xml,
  bin,
  json,
  any_file
};

/// Option (long name, or a positional's name) → its values; options not listed take values
/// with nothing to offer (numbers). A positional not listed takes models.
constexpr std::pair<std::string_view, Values> kValues[] = {
    {"--select", Values::rule_list},
    {"--ignore", Values::rule_list},
    {"--severity", Values::severity},
    {"--option", Values::rule_option},
    {"--target", Values::targets},
    {"--format", Values::formats},
    {"--isa", Values::isas},
    {"--fail-on", Values::fail_on},
    {"--bin", Values::bin},
    {"--config", Values::json},
    {"--baseline", Values::json},
    {"--output", Values::any_file},
    {"--write-baseline", Values::any_file},
    {"--exec-graph-out", Values::any_file},
    {"--dot", Values::any_file},
    {"--evidence", Values::any_file},
    {"--benchmark-app", Values::any_file},
    {"rule", Values::rules},
};

Values values_of(const CLI::Option& opt) {
  std::string name = opt.nonpositional() ? option_names(opt).back() : opt.get_name(true);
  for (const auto& [option, values] : kValues) {
    if (option == name) return values;
  }
  return opt.nonpositional() ? Values::none : Values::xml;
}

/// The formats of a subcommand's --format: the lists run_check, run_rules and run_confirm accept
/// (a test compares them with their "unknown format" messages).
std::string_view formats_of(std::string_view subcommand) {
  if (subcommand == "check") return "text json sarif github junit";
  if (subcommand == "rules") return "text json markdown";
  return "text json";
}

/// The shell that completes `values` for subcommand `sub`.
std::string bash_action(Values values, std::string_view sub) {
  switch (values) {
    case Values::none:
      return "COMPREPLY=()";
    case Values::rules:
      return "_irlint_offer \"$_irlint_rules\"";
    case Values::rule_list:
      return "_irlint_offer_list \"$_irlint_rules\"";
    case Values::severity:
      return "_irlint_offer_severity";
    case Values::rule_option:
      return "_irlint_offer \"$_irlint_rule_options\" nospace";
    case Values::targets:
      return "_irlint_offer \"$_irlint_targets\"";
    case Values::formats:
      return fmt::format("_irlint_offer '{}'", formats_of(sub));
    case Values::isas:  // what confirm --live --isa accepts (analyzer/live/child.cpp)
      return "_irlint_offer 'native sse41 avx2 avx512 avx512_vnni'";
    case Values::fail_on:
      return "_irlint_offer 'error warning note never'";
    case Values::xml:
      return "_irlint_files '*.xml'";
    case Values::bin:
      return "_irlint_files '*.bin'";
    case Values::json:
      return "_irlint_files '*.json'";
    case Values::any_file:
      return "_irlint_files ''";
  }
  return "COMPREPLY=()";
}

std::string shell_function(std::string_view sub) {
  std::string name = fmt::format("_irlint_cmd_{}", sub);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

/// `_irlint_cmd_check() { ... }`: the completion inside one subcommand.
std::string bash_subcommand(const CLI::App& sub) {
  std::vector<std::pair<std::string, std::vector<std::string>>> arms;  // action → option names
  std::vector<std::string> words;
  std::string positional;
  for (const CLI::Option* opt : visible_options(sub)) {
    std::string action = bash_action(values_of(*opt), sub.get_name());
    if (!opt->nonpositional()) {
      positional = action;
      continue;
    }
    std::vector<std::string> names = option_names(*opt);
    words.insert(words.end(), names.begin(), names.end());
    if (!takes_value(*opt)) continue;
    auto arm =
        std::find_if(arms.begin(), arms.end(), [&](const auto& a) { return a.first == action; });
    if (arm == arms.end()) arm = arms.insert(arms.end(), {action, {}});
    arm->second.insert(arm->second.end(), names.begin(), names.end());
  }
  std::string text = fmt::format("{}() {{\n  case $prev in\n", shell_function(sub.get_name()));
  for (const auto& [action, names] : arms)
    text += fmt::format("  {}) {} ;;\n", fmt::join(names, " | "), action);
  std::string options = fmt::format("_irlint_offer '{}'", fmt::join(words, " "));
  if (positional.empty()) {
    text += fmt::format("  *) {} ;;\n", options);
  } else {
    text += fmt::format(
        "  *)\n    if [[ $cur == -* ]]; then\n      {}\n    else\n      {}\n"
        "    fi\n    ;;\n",
        options, positional);
  }
  return text + "  esac\n}\n\n";
}

/// The helpers every subcommand's completion calls.
constexpr std::string_view kBashHelpers = R"sh(
# Sets cur to the word at the cursor as typed and prev to the word before it. Bash splits "a:b"
# and "a=b" into three words (COMP_WORDBREAKS) and replaces only the part after the last break;
# strip is the part before it. "--option=value" gives prev=--option and cur=value.
_irlint_cursor() {
  local i=$COMP_CWORD
  cur=${COMP_WORDS[i]}
  while ((i > 1)) && [[ $cur == [:=]* || ${COMP_WORDS[i - 1]} == *[:=] ]]; do
    i=$((i - 1))
    cur=${COMP_WORDS[i]}$cur
  done
  prev=${COMP_WORDS[i - 1]}
  if [[ $cur == -*=* ]]; then
    prev=${cur%%=*}
    cur=${cur#*=}
  fi
  strip=
  if ((i < COMP_CWORD)) && [[ $cur == *[:=]* ]]; then strip=${cur%"${cur##*[:=]}"}; fi
}

# Offers the words of $1 that begin with cur; "nospace" as $2 when a value follows them.
_irlint_offer() {
  local -a words
  local w
  read -ra words <<<"$1"
  COMPREPLY=()
  for w in "${words[@]}"; do
    if [[ $w == "$cur"* ]]; then COMPREPLY+=("${w#"$strip"}"); fi
  done
  if [[ $2 == nospace ]]; then compopt -o nospace 2>/dev/null; fi
  return 0
}

# Offers the words of $1 for the last item of a comma-separated list.
_irlint_offer_list() {
  local head=${cur%"${cur##*,}"} i
  local cur=${cur##*,}
  _irlint_offer "$1"
  for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$head${COMPREPLY[i]}; done
}

# RULE=SEVERITY: a rule's name or code, then a severity after the "=".
_irlint_offer_severity() {
  local w words=
  if [[ $cur == *=* ]]; then
    w=${cur%%=*}
    _irlint_offer "$w=note $w=warning $w=error"
  else
    for w in $_irlint_rules; do words+="$w= "; done
    _irlint_offer "$words" nospace
  fi
}

# Offers the files matching the pattern $1 (every file when it is empty) and folders.
_irlint_files() {
  local f
  compopt -o filenames 2>/dev/null
  COMPREPLY=()
  while IFS= read -r f; do COMPREPLY+=("$f"); done < <(
    if [[ -n $1 ]]; then
      compgen -d -- "$cur"
      compgen -f -X "!$1" -- "$cur"
    else
      compgen -f -- "$cur"
    fi
  )
}

)sh";

/// The word lists: rules (codes and names), rule options, targets.
std::string bash_lists() {
  std::vector<std::string> rules, options;
  for (const Rule* r : all_rules()) {
    rules.emplace_back(r->info.code);
    rules.emplace_back(r->info.name);
    for (const RuleOption& o : r->info.options) {
      options.push_back(fmt::format("{}.{}=", r->info.name, o.name));
    }
  }
  return fmt::format("_irlint_rules='{}'\n_irlint_rule_options='{}'\n_irlint_targets='{}'\n",
                     fmt::join(rules, " "), fmt::join(options, " "),
                     fmt::join(target_names(), " "));
}

/// `_irlint() { ... }`: finds the subcommand and hands over to its function.
std::string bash_main(const CLI::App& app) {
  std::vector<std::string> subs, words;
  std::string dispatch;
  for (const CLI::App* sub : visible_subcommands(app)) {
    subs.push_back(sub->get_name());
    dispatch += fmt::format("  {}) {} ;;\n", sub->get_name(), shell_function(sub->get_name()));
  }
  words = subs;
  for (const CLI::Option* opt : visible_options(app)) {
    for (const std::string& name : option_names(*opt)) words.push_back(name);
  }
  return fmt::format(
      "_irlint() {{\n  local cur prev strip sub= i\n  _irlint_cursor\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n    case ${{COMP_WORDS[i]}} in\n"
      "    {}) sub=${{COMP_WORDS[i]}}; break ;;\n    esac\n  done\n"
      "  case $sub in\n{}  *) _irlint_offer '{}' ;;\n  esac\n}}\n\n"
      "complete -F _irlint irlint\n",
      fmt::join(subs, " | "), dispatch, fmt::join(words, " "));
}

}  // namespace

std::string version_text() {
  std::string_view build_type = IRLINT_BUILD_TYPE;
  return fmt::format("irlint {}\ncommit: {}\nbuild type: {}\nlive run: {}\n", IRLINT_VERSION,
                     IRLINT_GIT_COMMIT, build_type.empty() ? "none" : build_type, live_run_line());
}

std::string manpage(const CLI::App& app) {
  return man_head(app) + man_commands(app) + man_options(app) + man_rules() + man_targets() +
         man_tail();
}

std::string bash_completion(const CLI::App& app) {
  std::string script = fmt::format(
      "# bash completion for irlint {}, generated by 'irlint __completion bash'.\n"
      "# Source it, or install it as /usr/share/bash-completion/completions/irlint.\n\n",
      IRLINT_VERSION);
  script += bash_lists() + std::string(kBashHelpers);
  for (const CLI::App* sub : visible_subcommands(app)) script += bash_subcommand(*sub);
  return script + bash_main(app);
}

int run_completion(const CLI::App& app, const std::string& shell, std::ostream& out,
                   std::ostream& err) {
  if (shell != "bash") {
    err << fmt::format("irlint: error: no completion for the shell '{}' (bash)\n", shell);
    return 2;
  }
  out << bash_completion(app);
  return 0;
}

}  // namespace irlint
