#pragma once

#include <map>
#include <string>
#include <vector>

#include "rule.hpp"

namespace irlint {

/// Which rules run, at what severity, with which options, and what is silenced.
struct RuleSettings {
  std::vector<std::string> select;  ///< codes, code prefixes or names; empty = all
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;                           ///< by rule name
  std::map<std::string, std::map<std::string, std::string>> options;  ///< by rule name
  /// Findings silenced for layers whose name matches a glob, by rule name ("*" = every rule).
  std::vector<std::pair<std::string, std::string>> suppress;
};

/// True when `pattern` (a code, a code prefix such as "IRL2", or a name) designates `rule`.
bool rule_matches(const RuleInfo& rule, std::string_view pattern);
/// Shell-style glob with `*` and `?`.
bool glob_match(std::string_view pattern, std::string_view text);
bool rule_enabled(const RuleInfo& rule, const RuleSettings& settings);

/// Starts planning, on another core, the counterpart the INT8 verdict compares the model with,
/// so that it runs beside the plan of the model itself; its quantization is guessed from the
/// layers and checked once that plan exists. Pass the result to lint(); an empty cache when the
/// verdict rule is off or there is one core.
LintCache start_lint(const IrModel& model, const Target& target, const RuleSettings& settings);

/// Runs every enabled rule on a model and its plan; findings sorted by position. Without a
/// counterpart under way in `cache`, the INT8 verdict's is planned beside the other rules.
std::vector<Finding> lint(const IrModel& model, const Plan* plan, const RuleSettings& settings,
                          LintCache cache = {});

}  // namespace irlint
