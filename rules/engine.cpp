#include "engine.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <thread>

#include "../analyzer/op.hpp"
#include "../analyzer/threads.hpp"
#include "input_file.hpp"
#include "text.hpp"

namespace irlint {

bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool rule_matches(const RuleInfo& rule, std::string_view pattern) {
  if (pattern == rule.name || pattern == "ALL") return true;
  return pattern.size() >= 3 && pattern.starts_with("IRL") && rule.code.starts_with(pattern);
}

bool rule_enabled(const RuleInfo& rule, const RuleSettings& settings) {
  auto any = [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& p) { return rule_matches(rule, p); });
  };
  if (!settings.select.empty() && !any(settings.select)) return false;
  return !any(settings.ignore);
}

std::string_view family_name(std::string_view code) {
  if (code.size() < 4) return "?";
  switch (code[3]) {
    case '0':
      return "IR";
    case '1':
      return "precision";
    case '2':
      return "layout";
    case '3':
      return "device support";
    case '4':
      return "kernel performance";
    case '5':
      return "model verdicts";
  }
  return "?";
}

std::string_view rule_name(const Finding& f) { return f.rule ? f.rule->info.name : ""; }

std::string check_option_value(const RuleOption& option, std::string_view value) {
  auto number = parse_number<double>(value);
  if (!number) {
    return fmt::format("option '{}' wants a number (default {}), got '{}'", option.name,
                       option.default_value, clipped(value));
  }
  if (*number < option.min || *number > option.max) {
    return option.max == std::numeric_limits<double>::max()
               ? fmt::format("option '{}' wants a number of at least {}, got {}", option.name,
                             option.min, value)
               : fmt::format("option '{}' wants a number from {} to {}, got {}", option.name,
                             option.min, option.max, value);
  }
  return {};
}

double option_value(const Rule& rule, const std::map<std::string, std::string>& options,
                    std::string_view name) {
  for (const RuleOption& o : rule.info.options) {
    if (o.name != name) continue;
    auto it = options.find(std::string(name));
    std::string_view text = it != options.end() ? std::string_view(it->second) : o.default_value;
    // Settings are checked when they are read (check_option_value) and defaults by a test.
    if (auto value = parse_number<double>(text)) return *value;
    break;
  }
  throw std::logic_error(
      fmt::format("rule '{}' reads option '{}' without a valid value", rule.info.name, name));
}

double RuleContext::option(std::string_view name) const {
  return option_value(rule_, options_, name);
}

const Plan& RuleContext::plan() const {
  if (!plan_) {
    throw std::logic_error(
        fmt::format("rule '{}' reads the plan without declaring it needs one", rule_.info.name));
  }
  return *plan_;
}

Finding& RuleContext::report(Vertex v, std::string message) {
  const Layer& layer = model.layer(v);
  Finding& f = report_at(layer.pos, std::move(message));
  f.layer_id = layer.id;
  f.layer_name = std::string(layer.name);
  f.layer_type = std::string(layer.type);
  return f;
}

Finding& RuleContext::report_at(SourcePos pos, std::string message) {
  Finding f;
  f.rule = &rule_;
  f.severity = rule_.info.severity;
  f.pos = pos;
  f.message = std::move(message);
  out_.push_back(std::move(f));
  return out_.back();
}

void RuleContext::set_severity(Finding& f, const SeverityCase& c) const {
  const auto& cases = rule_.info.severity_cases;
  if (cases.empty() || &c < cases.data() || &c >= cases.data() + cases.size()) {
    throw std::logic_error(
        fmt::format("rule '{}' sets a severity case it does not declare", rule_.info.name));
  }
  f.severity = c.severity;
}

const RuleInfo& RuleContext::rule() const { return rule_.info; }

bool severity_allowed(const RuleInfo& rule, Severity severity) {
  return severity == rule.severity ||
         std::any_of(rule.severity_cases.begin(), rule.severity_cases.end(),
                     [&](const SeverityCase& c) { return c.severity == severity; });
}

const PlanCost& RuleContext::cost() {
  if (!cache_.cost) cache_.cost = estimate(model, plan(), cost_table(plan().target));
  return *cache_.cost;
}

const Int8Verdict& RuleContext::int8_verdict() {
  if (!cache_.verdict) {
    cost();  // while the counterpart may still be planned on another core
    std::optional<CostedPlan> counterpart;
    if (cache_.counterpart.valid()) counterpart = cache_.counterpart.get();
    // A counterpart for another target or quantization than this plan's (the caller planned with
    // other settings than it gave start_lint()) is redone.
    if (!counterpart || counterpart->plan.int8 == plan().int8 ||
        counterpart->plan.target.name() != plan().target.name()) {
      counterpart = counterpart_of(model, plan());
    }
    cache_.verdict = irlint::int8_verdict(model, plan(), cost(), std::move(*counterpart));
  }
  return *cache_.verdict;
}

void report_reader_issues(RuleContext& ctx, ReaderCheck check) {
  std::string_view rule_name = ctx.rule().name;
  for (const ReaderIssue& issue : ctx.model.issues) {
    if (issue.check != check) continue;
    Finding& f = issue.layer ? ctx.report(*issue.layer, issue.message)
                             : ctx.report_at(issue.pos, issue.message);
    f.pos = issue.pos;
    f.notes = issue.notes;
    if (issue.severity == f.severity) continue;
    // The reader chose another severity: it must be one of the rule's declared cases.
    const auto& cases = ctx.rule().severity_cases;
    auto c = std::find_if(cases.begin(), cases.end(),
                          [&](const SeverityCase& s) { return s.severity == issue.severity; });
    if (c == cases.end()) {
      throw std::logic_error(fmt::format("the reader reports a {} of '{}', which declares none",
                                         to_string(issue.severity), rule_name));
    }
    ctx.set_severity(f, *c);
  }
}

namespace {

bool verdict_wanted(const RuleSettings& settings) {
  return std::thread::hardware_concurrency() > 1 &&
         std::any_of(all_rules().begin(), all_rules().end(), [&](const Rule* r) {
           return r->needs == Needs::verdict && rule_enabled(r->info, settings);
         });
}

/// Whether what `needs` names exists for this lint.
bool available(Needs needs, const Plan* plan) {
  switch (needs) {
    case Needs::model:
      return true;
    case Needs::plan:
      return plan != nullptr;
    case Needs::cost:
    case Needs::verdict:
      return plan != nullptr && !plan->nodes.empty();
  }
  return false;
}

}  // namespace

LintCache start_lint(const IrModel& model, const Target& target, const RuleSettings& settings) {
  LintCache cache;
  if (model.fatal || !verdict_wanted(settings)) return cache;
  // With no thread to be had, the counterpart is planned when the verdict rule asks for it.
  cache.counterpart = async_or_deferred([&model, target] {
    return counterpart_of(model, target, carries_quantization(model, target));
  });
  return cache;
}

std::vector<Finding> lint(const IrModel& model, const Plan* plan, const RuleSettings& settings,
                          LintCache cache) {
  static const std::map<std::string, std::string> kNoOptions;
  std::vector<Finding> findings;
  if (plan && !plan->nodes.empty() && !cache.counterpart.valid() && verdict_wanted(settings)) {
    cache.counterpart = async_or_deferred([&model, plan] { return counterpart_of(model, *plan); });
  }
  for (const Rule* rule : all_rules()) {
    if (!rule_enabled(rule->info, settings) || !available(rule->needs, plan)) continue;
    auto opts = settings.options.find(std::string(rule->info.name));
    size_t first = findings.size();
    RuleContext ctx(model, plan, opts == settings.options.end() ? kNoOptions : opts->second, *rule,
                    findings, cache);
    if (rule->reader_check) report_reader_issues(ctx, *rule->reader_check);
    if (rule->check) rule->check(ctx);
    auto level = settings.severity.find(std::string(rule->info.name));
    for (size_t i = first; i < findings.size(); ++i) {
      if (level != settings.severity.end()) findings[i].severity = level->second;
    }
  }
  std::erase_if(findings, [&](const Finding& f) {
    return std::any_of(settings.suppress.begin(), settings.suppress.end(), [&](const auto& s) {
      return (s.first == "*" || s.first == rule_name(f)) && !f.layer_name.empty() &&
             glob_match(s.second, f.layer_name);
    });
  });
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
  });
  return findings;
}

}  // namespace irlint
