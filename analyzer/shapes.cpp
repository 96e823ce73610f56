#include "shapes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <memory>

#include "text.hpp"

namespace irlint {
namespace {

/// Sets dim 0 of `port` to `batch` when it is a dynamic leading dimension that admits it.
bool fix_port(Port& port, int64_t batch) {
  if (port.dims.size() < 2) return false;
  Dim& d = port.dims.front();
  if (d.is_static()) return false;
  if (d.min > batch || (d.max != Dim::kUnbounded && d.max < batch)) return false;
  d = Dim{batch, batch};
  return true;
}

}  // namespace

std::optional<int64_t> parse_batch(std::string_view text, std::string* error) {
  auto value = parse_number<int64_t>(text);
  if (!value || *value < 0 || *value > kMaxBatch) {
    *error =
        fmt::format("--batch wants 0 (keep the dynamic batch) or a batch from 1 to {}, got '{}'",
                    kMaxBatch, text);
    return std::nullopt;
  }
  return value;
}

size_t assume_batch(IrModel& model, int64_t batch) {
  if (batch <= 0) return 0;
  size_t changed = 0;
  Graph& g = model.graph;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    Layer& layer = g[v];
    for (Port& p : layer.inputs) changed += fix_port(p, batch) ? 1 : 0;
    for (Port& p : layer.outputs) changed += fix_port(p, batch) ? 1 : 0;
    // Bodies are shared read-only: a body that changes is replaced by a changed copy.
    for (std::shared_ptr<const IrModel>& body : layer.bodies) {
      if (!body) continue;
      auto copy = std::make_shared<IrModel>(*body);
      size_t n = assume_batch(*copy, batch);
      if (n == 0) continue;
      changed += n;
      body = std::move(copy);
    }
  }
  return changed;
}

}  // namespace irlint
