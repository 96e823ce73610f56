#pragma once

#include <fmt/format.h>

#include <future>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cost.hpp"
#include "diagnostic.hpp"
#include "ir_model.hpp"
#include "plan.hpp"

namespace irlint {

struct Rule;
class LiveEvidence;

/// One diagnostic: what a rule found at one place of one model.
struct Finding {
  const Rule* rule = nullptr;  ///< the rule that reported it (its metadata, its live check)
  Severity severity = Severity::warning;
  SourcePos pos;
  int64_t layer_id = -1;  ///< -1 when the finding is not about a layer
  std::string layer_name;
  std::string layer_type;
  std::string message;
  std::vector<Note> notes;
  std::string fix;
  Status status = Status::predicted;
  std::string evidence;  ///< what the live run or real evidence observed
};

/// The kebab-case name of the rule that reported `f`.
std::string_view rule_name(const Finding& f);

/// A tunable of a rule: a number from `min` to `max`, with its default as written in the docs.
struct RuleOption {
  std::string_view name;
  std::string_view default_value;
  std::string_view help;
  double min = 0;
  double max = std::numeric_limits<double>::max();
};

/// Why `value` is not a valid setting of `option` ("" when it is); the command line and the
/// configuration file both check option values through this before a lint starts.
std::string check_option_value(const RuleOption& option, std::string_view value);

/// A kind of finding that a rule reports at another severity than its default, and when: listed
/// by `irlint rules`, documented on the rule's page (a test checks both), and the only way a
/// rule's finding gets another severity (RuleContext::set_severity()).
struct SeverityCase {
  Severity severity;
  std::string_view when;  ///< e.g. "a custom operation, which loads once its extension is added"
};

/// What a rule is: the metadata every output, doc page and test reads.
struct RuleInfo {
  std::string_view code;  ///< "IRL203"; hundreds = family
  std::string_view name;  ///< kebab-case, e.g. "reorder-insertion"
  Severity severity;      ///< default severity
  std::string_view summary;
  std::span<const RuleOption> options = {};
  std::span<const SeverityCase> severity_cases = {};  ///< findings at another severity
};

/// Whether `severity` is one a finding of `rule` may have: its default or one of its cases.
bool severity_allowed(const RuleInfo& rule, Severity severity);

/// The family name of a rule code's hundreds digit ("IR", "precision", "layout", …).
std::string_view family_name(std::string_view code);

/// What a rule reads besides the model; the engine runs a rule only when that exists.
enum class Needs : uint8_t {
  model,    ///< the model alone (runs even when it could not be planned)
  plan,     ///< the predicted execution plan
  cost,     ///< the plan's predicted cost (a plan with at least one node)
  verdict,  ///< the INT8 vs FP32 verdict (the cost, and the counterpart plan)
};

/// Analyses several rules read, computed once per lint on first use; the counterpart plan of
/// the INT8 verdict is planned on another thread (see start_lint()).
struct LintCache {
  std::optional<PlanCost> cost;
  std::optional<Int8Verdict> verdict;
  /// The counterpart being planned, possibly of a guess; int8_verdict() checks it fits the plan.
  std::future<CostedPlan> counterpart;
};

/// What a rule sees while it runs, and where it reports.
class RuleContext {
 public:
  RuleContext(const IrModel& m, const Plan* p, const std::map<std::string, std::string>& options,
              const Rule& rule, std::vector<Finding>& out, LintCache& cache)
      : model(m), plan_(p), options_(options), rule_(rule), out_(out), cache_(cache) {}

  const IrModel& model;
  /// The predicted plan: only for rules that declare they need it (Needs::plan or more).
  const Plan& plan() const;

  /// An option's value as configured (checked by check_option_value()), or its default.
  double option(std::string_view name) const;

  /// Starts a finding about layer `v` at its `<layer>` element.
  Finding& report(Vertex v, std::string message);
  /// Starts a finding at a position that is not one layer's (an edge, the net).
  Finding& report_at(SourcePos pos, std::string message);
  /// Gives `f` the severity of `c`, which must be one of the running rule's severity_cases.
  void set_severity(Finding& f, const SeverityCase& c) const;
  /// The running rule's metadata.
  const RuleInfo& rule() const;

  /// The predicted cost of the plan on its target's cost table (Needs::cost).
  const PlanCost& cost();
  /// The INT8 vs FP32 verdict of the plan (Needs::verdict).
  const Int8Verdict& int8_verdict();

 private:
  const Plan* plan_;  ///< null when the model could not be planned (fatal reader errors)
  const std::map<std::string, std::string>& options_;
  const Rule& rule_;
  std::vector<Finding>& out_;
  LintCache& cache_;
};

/// Option `name` of `rule` as set in `options` (the rule's settings, checked when they were read
/// by check_option_value()), or its default.
double option_value(const Rule& rule, const std::map<std::string, std::string>& options,
                    std::string_view name);

/// A rule: its metadata, what it needs, the function that checks a model and, when a live run
/// can observe what it predicts, the function that checks a finding against that run.
struct Rule {
  RuleInfo info;
  /// Checks the model; null for a rule whose findings the reader makes.
  void (*check)(RuleContext&) = nullptr;
  Needs needs = Needs::model;
  /// Sets a finding's status and evidence from a live run (analyzer/live); null when no live
  /// run can observe what the rule predicts.
  void (*confirm)(const LiveEvidence&, Finding&) = nullptr;

  /// The reader's check whose issues this rule reports, as the reader found them (see
  /// report_reader_issues()), before its own `check` runs.
  std::optional<ReaderCheck> reader_check = std::nullopt;

  bool live_confirmable() const { return confirm != nullptr; }
};

/// Every rule, sorted by code: the registry.
std::span<const Rule* const> all_rules();
/// A rule by name or code, or null.
const Rule* find_rule(std::string_view name_or_code);

/// Reports the reader's issues of `check` as findings of the rule running in `ctx`, at the
/// severity the reader gave each (which must be one severity_allowed() for the rule).
void report_reader_issues(RuleContext& ctx, ReaderCheck check);
/// The rule that reports the reader's issues of `check`.
const Rule& reader_rule(ReaderCheck check);

}  // namespace irlint
