#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  if (!ctx.model.bin_size) return;
  uint64_t size = *ctx.model.bin_size;
  const Graph& g = ctx.model.graph;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    for (const Blob& b : g[v].blobs) {
      if (b.offset <= size && b.size <= size - b.offset) continue;
      Finding& f = ctx.report(
          v, fmt::format("weights of '{}' lie at bytes {}..{}, past the end of the {}-byte .bin",
                         g[v].name, b.offset, b.offset + b.size, size));
      f.pos = b.pos;
      f.fix = "the .bin does not belong to this .xml, or it was truncated: export both again";
    }
  }
}

}  // namespace

extern const Rule kWeightsOutOfRange{
    .info = {.code = "IRL013",
             .name = "weights-out-of-range",
             .severity = Severity::error,
             .summary = "a constant's offset and size reach past the end of the weights file"},
    .check = check};

}  // namespace irlint
