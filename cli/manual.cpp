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

}  // namespace irlint
