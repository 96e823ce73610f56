#include <algorithm>

#include "plan/passes.hpp"

namespace irlint::planning {
namespace {

/// Legacy calibrated IR: the convolution requantizes its output when every reader runs INT8.
void requantize_legacy_output(PlanState& s, PlanNode& node, Vertex last) {
  const Layer& layer = s.g[node.main];
  if (!is_int8(node.precision) || !layer.version.empty() || node.out_precision != Precision::fp32) {
    return;
  }
  auto readers = s.data_consumers(last);
  bool all_int8 = !readers.empty() && std::all_of(readers.begin(), readers.end(), [&](auto& r) {
    OpKind k = s.kind[r.first];
    return !s.g[r.first].attr("quantization_level").empty() || k == OpKind::relu ||
           k == OpKind::max_pool || k == OpKind::avg_pool || k == OpKind::concat ||
           k == OpKind::add;
  });
  if (all_int8) node.out_precision = s.unsigned_producer(last) ? Precision::u8 : Precision::i8;
}

/// A convolution or matrix product and the chain of post-ops that fuse into it.
void plan_compute(PlanState& s, Vertex v) {
  int32_t n = s.add_node(v);
  set_compute_precision(s, s.plan.nodes[n]);
  negotiate_compute_layout(s, s.plan.nodes[n]);
  Vertex last = fuse_post_ops(s, n);
  PlanNode& node = s.plan.nodes[n];
  requantize_legacy_output(s, node, last);
  s.tensor[last] = Tensor{n, node.out_precision, node.out_layout};
  for (Vertex f : node.fused) s.tensor[f] = Tensor{n, node.out_precision, node.out_layout};
}

/// A layer that runs as its own primitive: it follows its input's layout where it can.
void plan_standalone(PlanState& s, Vertex v) {
  int32_t n = s.add_node(v);
  PlanNode& node = s.plan.nodes[n];
  set_standalone_precision(s, node);
  negotiate_standalone_layout(s, node);
  s.tensor[v] = Tensor{n, node.out_precision, node.out_layout};
}

bool is_compute(OpKind k) {
  return k == OpKind::convolution || k == OpKind::group_convolution || k == OpKind::matmul ||
         k == OpKind::deconvolution;
}

}  // namespace

void build_nodes(PlanState& s) {
  for (Vertex v : s.model.order) {
    if (s.const_like[v] || s.absorbed[v]) continue;
    OpKind k = s.kind[v];
    if (k == OpKind::fake_quantize &&
        (s.policy.quantize_in_reorders.value || s.quantization == Quantization::stripped)) {
      // 2019 flow: the quantization happens in the Reorder in front of the INT8 layer; in the
      // FP32 counterpart it does not happen at all. The tensor keeps the producer's node.
      if (auto in = s.data_input(v, 0)) {
        s.tensor[v] = s.tensor[*in];
        s.plan.node_of[v] = -1;
      }
      continue;
    }
    if (is_compute(k)) {
      plan_compute(s, v);
    } else {
      plan_standalone(s, v);
    }
  }
}

}  // namespace irlint::planning
