#include <algorithm>

#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"max-switches", "4", "report when the data switches between FP32 and INT8 more often"},
};

void check(RuleContext& ctx) {
  if (!ctx.plan().int8) return;
  const Plan& plan = ctx.plan();
  const Graph& g = ctx.model.graph;
  // Every Reorder that converts between INT8 and FP32 is one switch; the FP32 layers whose
  // output has to be requantized are the islands that break the INT8 chain.
  size_t switches = 0;
  std::vector<const PlanNode*> islands;
  for (const PlanReorder& r : plan.reorders) {
    if (is_int8(r.from_precision) == is_int8(r.to_precision)) continue;
    ++switches;
    const PlanNode* writer = &plan.nodes[r.from_node];
    if (is_int8(r.to_precision) && writer->kind != OpKind::parameter &&
        std::find(islands.begin(), islands.end(), writer) == islands.end()) {
      islands.push_back(writer);
    }
  }
  if (static_cast<double>(switches) <= ctx.option("max-switches")) return;
  Finding& f = ctx.report_at(
      {}, fmt::format("the data is converted between INT8 and FP32 by {} Reorders on {}", switches,
                      plan.target.name()));
  size_t shown = 0;
  for (const PlanNode* n : islands) {
    if (shown++ == 5) break;
    f.notes.push_back(
        {fmt::format("'{}' ({}) breaks the INT8 chain", g[n->main].name, g[n->main].type),
         g[n->main].pos});
  }
  if (islands.size() > 5) f.notes.push_back({fmt::format("and {} more", islands.size() - 5), {}});
  f.fix =
      "quantize the layers between INT8 convolutions, or replace activations the target "
      "cannot run in INT8";
}

}  // namespace

extern const Rule kPrecisionThrash{
    .info = {.code = "IRL101",
             .name = "precision-thrash",
             .severity = Severity::warning,
             .summary = "the data path switches between INT8 and FP32 many times",
             .options = kOptions},
    .check = check,
    .needs = Needs::plan};

}  // namespace irlint
