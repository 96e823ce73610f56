#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  const Graph& g = ctx.model.graph;
  if (boost::num_vertices(g) < 2) return;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    if (boost::in_degree(v, g) != 0 || boost::out_degree(v, g) != 0) continue;
    ctx.report(v, fmt::format("layer '{}' is not connected to any other layer", g[v].name)).fix =
        "remove the layer, or add the edges that connect it";
  }
}

}  // namespace

extern const Rule kUnconnectedLayer{.info = {.code = "IRL012",
                                             .name = "unconnected-layer",
                                             .severity = Severity::warning,
                                             .summary = "a layer has no edges at all"},
                                    .check = check};

}  // namespace irlint
