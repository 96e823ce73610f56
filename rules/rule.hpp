#pragma once

#include <fmt/format.h>

#include <future>
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

/// A tunable of a rule, with its default as text.
struct RuleOption {
  std::string_view name;
  std::string_view default_value;
  std::string_view help;
};

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
  bool live_confirmable = false;  ///< a live run can observe what it predicts
  std::span<const RuleOption> options = {};
  std::span<const SeverityCase> severity_cases = {};  ///< findings at another severity
};

/// Whether `severity` is one a finding of `rule` may have: its default or one of its cases.
bool severity_allowed(const RuleInfo& rule, Severity severity);

/// The family name of a rule code's hundreds digit ("IR", "precision", "layout", …).
std::string_view family_name(std::string_view code);

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
              const struct Rule& rule, std::vector<Finding>& out, LintCache& cache)
      : model(m), plan(p), options_(options), rule_(rule), out_(out), cache_(cache) {}

  const IrModel& model;
  const Plan* plan;  ///< null when the model could not be planned (fatal reader errors)

  /// An option's value as configured, or its default.
  std::string_view option(std::string_view name) const;
  double option_number(std::string_view name) const;

  /// Starts a finding about layer `v` at its `<layer>` element.
  Finding& report(Vertex v, std::string message);
  /// Starts a finding at a position that is not one layer's (an edge, the net).
  Finding& report_at(SourcePos pos, std::string message);
  /// Gives `f` the severity of `c`, which must be one of the running rule's severity_cases.
  void set_severity(Finding& f, const SeverityCase& c) const;
  /// The running rule's metadata.
  const RuleInfo& rule() const;

  /// The predicted cost of `*plan` (which must not be null) on its target's cost table.
  const PlanCost& cost();
  /// The INT8 vs FP32 verdict of `*plan` (which must not be null).
  const Int8Verdict& int8_verdict();

 private:
  const std::map<std::string, std::string>& options_;
  const struct Rule& rule_;
  std::vector<Finding>& out_;
  LintCache& cache_;
};

/// A rule: its metadata and the function that checks a model.
struct Rule {
  RuleInfo info;
  void (*check)(RuleContext&);
};

/// Every rule, sorted by code: the registry.
std::span<const Rule* const> all_rules();
/// A rule by name or code, or null.
const Rule* find_rule(std::string_view name_or_code);

/// Reports the reader's issues that belong to the rule running in `ctx`, at the severity the
/// reader gave each (which must be one severity_allowed() for the rule).
void report_reader_issues(RuleContext& ctx, std::string_view rule_name);

}  // namespace irlint
