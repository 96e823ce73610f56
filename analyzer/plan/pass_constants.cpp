#include "plan/passes.hpp"

namespace irlint::planning {

void fold_constants(PlanState& s) {
  for (Vertex v : s.model.order) {
    const Layer& layer = s.g[v];
    if (s.kind[v] == OpKind::constant || layer.type == "ShapeOf") {
      s.const_like[v] = true;
      continue;
    }
    if (s.kind[v] == OpKind::parameter || boost::in_degree(v, s.g) == 0) continue;
    if (layer.type == "ReadValue" || layer.type == "Assign") continue;
    bool all = true;
    for (auto [it, end] = boost::in_edges(v, s.g); it != end && all; ++it) {
      all = s.const_like[boost::source(*it, s.g)];
    }
    s.const_like[v] = all;
  }
}

void detect_quantization(PlanState& s) {
  s.plan.int8 = s.quantization == Quantization::assumed;
  // Quantization levels are written by legacy IR (v5-v7) only: a newer file's layers are not
  // searched for them (a look into every layer's attributes).
  bool levels = s.model.ir_version <= 7;
  size_t n = boost::num_vertices(s.g);
  for (Vertex v = 0; v < n && s.quantization == Quantization::as_written && !s.plan.int8; ++v) {
    s.plan.int8 = (s.kind[v] == OpKind::fake_quantize && !s.const_like[v]) ||
                  (levels && !s.g[v].attr("quantization_level").empty());
  }
}

}  // namespace irlint::planning
