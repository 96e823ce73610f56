#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"max-switches", "4", "report when the data switches between FP32 and INT8 more often"},
};

void check(RuleContext& ctx) {
  if (!ctx.plan || !ctx.plan->int8) return;
  const Plan& plan = *ctx.plan;
  const Graph& g = ctx.model.graph;
  // An FP32 island: an FP32 compute node fed by INT8 data and feeding INT8 data on.
  size_t switches = 0;
  std::vector<const PlanNode*> islands;
  for (const PlanNode& node : plan.nodes) {
    if (is_passive(node.kind) || node.kind == OpKind::fake_quantize) continue;
    for (auto [it, end] = boost::in_edges(node.main, g); it != end; ++it) {
      int32_t src = plan.node_of[boost::source(*it, g)];
      if (src < 0) continue;
      bool from_int8 = is_int8(plan.nodes[src].precision);
      if (from_int8 != is_int8(node.precision)) {
        ++switches;
        if (from_int8) islands.push_back(&node);
      }
    }
  }
  if (static_cast<double>(switches) <= ctx.option_number("max-switches")) return;
  Finding& f = ctx.report_at(
      {}, fmt::format("the data switches between INT8 and FP32 {} times on {}", switches,
                      plan.target.name()));
  size_t shown = 0;
  for (const PlanNode* n : islands) {
    if (shown++ == 5) break;
    f.notes.push_back({fmt::format("'{}' ({}) breaks the INT8 chain", g[n->main].name, g[n->main].type),
                       g[n->main].pos});
  }
  if (islands.size() > 5) f.notes.push_back({fmt::format("and {} more", islands.size() - 5), {}});
  f.fix = "quantize the layers between INT8 convolutions, or replace activations the target "
          "cannot run in INT8";
}

}  // namespace

extern const Rule kPrecisionThrash{
    {.code = "IRL101",
     .name = "precision-thrash",
     .severity = Severity::warning,
     .summary = "the data path switches between INT8 and FP32 many times",
     .live_confirmable = false,
     .options = kOptions},
    check};

}  // namespace irlint
