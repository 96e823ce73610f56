#include <map>

#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"max-reorders", "8", "report when more Reorders than this are predicted"},
    {"max-share", "0.1", "report when Reorders exceed this share of the executed primitives"},
};

void check(RuleContext& ctx) {
  if (ctx.plan().reorders.empty()) return;
  const Plan& plan = ctx.plan();
  size_t count = plan.reorders.size();
  double share = static_cast<double>(count) / static_cast<double>(plan.nodes.size());
  if (static_cast<double>(count) <= ctx.option("max-reorders") && share <= ctx.option("max-share"))
    return;
  const Graph& g = ctx.model.graph;
  Finding& f = ctx.report_at(
      {}, fmt::format(
              "the execution graph grows by {} Reorder{} ({:.0f}% of its {} primitives) on {}",
              count, count == 1 ? "" : "s", 100 * share, plan.nodes.size(), plan.target.name()));
  // Count by kind of conversion, biggest first.
  std::map<std::string, size_t> kinds;
  for (const PlanReorder& r : plan.reorders) {
    ++kinds[fmt::format("{} {} -> {} {}", to_string(r.from_precision), to_string(r.from_layout),
                        to_string(r.to_precision), to_string(r.to_layout))];
  }
  std::vector<std::pair<std::string, size_t>> sorted(kinds.begin(), kinds.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto& a, auto& b) { return a.second > b.second; });
  for (auto& [what, n] : sorted) f.notes.push_back({fmt::format("{} x {}", n, what), {}});
  const PlanReorder& first = plan.reorders.front();
  f.notes.push_back(
      {fmt::format("the first is between '{}' and '{}'", g[boost::source(first.edge, g)].name,
                   g[boost::target(first.edge, g)].name),
       g[first.edge].pos});
  f.fix =
      "keep neighbouring layers in one precision and layout: fuse or quantize the layers "
      "between INT8 convolutions, or pick a runtime whose layouts agree";
}

/// Checked against the Reorders the live run executed in one whole-plan iteration (the plan's
/// and those oneDNN's own layouts needed).
void confirm(const LiveEvidence& e, Finding& f) {
  const live::PlanTiming& whole = e.run.whole;
  if (whole.primitives == 0) {
    f.status = Status::not_observable;
    f.evidence = "the live run did not execute the whole plan";
    return;
  }
  double share = static_cast<double>(whole.reorders) / static_cast<double>(whole.primitives);
  bool over =
      whole.reorders > e.option(*f.rule, "max-reorders") || share > e.option(*f.rule, "max-share");
  f.status = over ? Status::confirmed : Status::refuted;
  f.evidence = fmt::format("{}: {} of the {} primitives executed were Reorders ({:.0f}%)", e.where,
                           whole.reorders, whole.primitives, 100 * share);
}

}  // namespace

extern const Rule kReorderBudget{
    .info = {.code = "IRL202",
             .name = "reorder-budget",
             .severity = Severity::warning,
             .summary = "the runtime will insert more Reorders than the budget allows",
             .options = kOptions},
    .check = check,
    .needs = Needs::plan,
    .confirm = confirm};

}  // namespace irlint
