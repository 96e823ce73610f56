#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  if (!ctx.plan) return;
  const Plan& plan = *ctx.plan;
  for (const PlanReorder& r : plan.reorders) {
    const Graph& g = ctx.model.graph;
    Vertex from = boost::source(r.edge, g);
    Vertex to = boost::target(r.edge, g);
    std::string change;
    if (r.from_layout != r.to_layout) {
      change = fmt::format("{} to {}", to_string(r.from_layout), to_string(r.to_layout));
    }
    if (r.from_precision != r.to_precision) {
      change += fmt::format("{}{} to {}", change.empty() ? "" : ", ", to_string(r.from_precision),
                            to_string(r.to_precision));
    }
    Finding& f = ctx.report(to, fmt::format("a Reorder will be inserted between '{}' and '{}' ({})",
                                            g[from].name, g[to].name, change));
    f.pos = g[r.edge].pos;
    const PlanNode& src = plan.nodes[r.from_node];
    const PlanNode& dst = plan.nodes[r.to_node];
    f.notes.push_back(
        {fmt::format("'{}' writes {} {} ({})", g[src.main].name, to_string(r.from_precision),
                     to_string(r.from_layout), src.exec_type),
         g[src.main].pos});
    f.notes.push_back(
        {fmt::format("'{}' reads {} {} ({})", g[dst.main].name, to_string(r.to_precision),
                     to_string(r.to_layout), dst.exec_type),
         g[dst.main].pos});
    f.notes.push_back(
        {fmt::format("the runtime names it '{}'", reorder_name(ctx.model, plan, r)), {}});
  }
}

}  // namespace

extern const Rule kReorderInsertion{
    {.code = "IRL201",
     .name = "reorder-insertion",
     .severity = Severity::note,
     .summary = "the runtime will insert a Reorder on this edge to convert layout or precision",
     .live_confirmable = true},
    check};

}  // namespace irlint
