#include <filesystem>

#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  if (ctx.model.bin_size || ctx.model.fatal || ctx.model.depth > 0) return;
  const Graph& g = ctx.model.graph;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    if (g[v].blobs.empty()) continue;
    Finding& f = ctx.report_at(
        {1, 1}, fmt::format("the weights file '{}' is missing: constant values are not checked",
                            std::filesystem::path(ctx.model.bin_path).filename().string()));
    f.notes.push_back({fmt::format("first layer with weights: '{}'", g[v].name), g[v].pos});
    f.fix = "put the .bin next to the .xml, or pass it with --bin";
    return;
  }
}

}  // namespace

extern const Rule kMissingWeights{
    .info = {.code = "IRL014",
             .name = "missing-weights",
             .severity = Severity::note,
             .summary = "the model has constants but no weights file was found"},
    .check = check};

}  // namespace irlint
