#include <boost/graph/depth_first_search.hpp>

#include "rule.hpp"

namespace irlint {
namespace {

struct BackEdge : boost::default_dfs_visitor {
  std::optional<Edge>* found;
  void back_edge(Edge e, const Graph&) const {
    if (!*found) *found = e;
  }
};

void check(RuleContext& ctx) {
  const Graph& g = ctx.model.graph;
  if (ctx.model.fatal || ctx.model.order.size() == boost::num_vertices(g)) return;
  std::optional<Edge> edge;
  BackEdge visitor;
  visitor.found = &edge;
  boost::depth_first_search(g, boost::visitor(visitor));
  if (!edge) return;
  Vertex from = boost::source(*edge, g);
  Vertex to = boost::target(*edge, g);
  Finding& f = ctx.report(to, fmt::format("the graph has a cycle: '{}' feeds back into '{}'",
                                          g[from].name, g[to].name));
  f.pos = g[*edge].pos;
  f.notes.push_back({fmt::format("'{}' is declared here", g[to].name), g[to].pos});
  f.fix = "an IR must be acyclic; recurrent parts belong in a TensorIterator or Loop body";
}

}  // namespace

extern const Rule kGraphCycle{
    .info = {.code = "IRL011",
             .name = "graph-cycle",
             .severity = Severity::error,
             .summary = "the layers form a cycle, so no execution order exists"},
    .check = check};

}  // namespace irlint
