#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  const Plan& plan = ctx.plan();
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

/// Confirmed when the layer writing the edge and the layer reading it ran live with different
/// layouts or data types.
void confirm(const LiveEvidence& e, Finding& f) {
  auto to = e.vertex(f.layer_id);
  const PlanReorder* reorder = nullptr;
  for (const PlanReorder& r : e.plan.reorders) {
    if (!to || boost::target(r.edge, e.model.graph) != *to) continue;
    // Several edges may enter the layer: the finding sits on its edge's position.
    if (!reorder || e.model.graph[r.edge].pos == f.pos) reorder = &r;
  }
  const live::NodeObservation* from = reorder ? e.observed(reorder->from_node) : nullptr;
  const live::NodeObservation* into = reorder ? e.observed(reorder->to_node) : nullptr;
  if (!from || !into || !from->ran || !into->ran) {
    f.status = Status::not_observable;
    f.evidence = "one end of the edge did not run live, so its layout was not observed";
    return;
  }
  bool needed = from->dst_layout != into->src_layout || from->dst_type != into->src_type;
  f.status = needed ? Status::confirmed : Status::refuted;
  f.evidence =
      fmt::format("{}: '{}' writes {} {}, '{}' reads {} {}: {}", e.where, from->layer,
                  from->dst_type, from->dst_layout, into->layer, into->src_type, into->src_layout,
                  needed ? "a Reorder is needed" : "no Reorder is needed");
}

}  // namespace

extern const Rule kReorderInsertion{
    .info = {.code = "IRL201",
             .name = "reorder-insertion",
             .severity = Severity::note,
             .summary =
                 "the runtime will insert a Reorder on this edge to convert layout or precision"},
    .check = check,
    .needs = Needs::plan,
    .confirm = confirm};

}  // namespace irlint
