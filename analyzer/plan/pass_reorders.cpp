#include "plan/geometry.hpp"
#include "plan/passes.hpp"

namespace irlint::planning {

void insert_reorders(PlanState& s) {
  const Graph& g = s.g;
  Plan& plan = s.plan;
  for (size_t n = 0; n < plan.nodes.size(); ++n) {
    const PlanNode& node = plan.nodes[n];
    for (Vertex member : node.fused) {
      for (auto [it, end] = boost::in_edges(member, g); it != end; ++it) {
        Vertex src = boost::source(*it, g);
        if (s.constant(src)) continue;
        const Tensor& t = s.tensor[src];
        if (t.node < 0 || t.node == static_cast<int32_t>(n)) continue;
        bool sum_operand = member != node.main && s.kind[member] == OpKind::add;
        // Only INT8 compute demands INT8 data; FP32 layers read INT8 directly, except in the
        // 2019 flow where a Reorder dequantizes first.
        Layout want_layout = sum_operand ? node.out_layout : node.in_layout;
        Precision want_precision = t.precision;
        if (is_int8(node.precision) && !sum_operand) {
          want_precision = node.in_precision;
        } else if (!is_int8(node.precision) && is_int8(t.precision) &&
                   s.policy.quantize_in_reorders.value && s.kind[node.main] != OpKind::result) {
          want_precision = Precision::fp32;
        }
        const Layer& producer = g[src];
        bool spatial = !producer.outputs.empty() && producer.outputs.front().dims.size() == 4;
        if (!spatial) want_layout = t.layout;
        // A flatten or fully connected layer reads a 1x1 blocked tensor as it is (googlenet-v1
        // 2022.1 counters); other planar readers still get a Reorder (squeezenet1.1's output).
        bool reads_as_is =
            (s.kind[node.main] == OpKind::reshape || s.kind[node.main] == OpKind::matmul) &&
            same_memory(t.layout, want_layout, producer);
        if ((t.layout == want_layout || reads_as_is) && t.precision == want_precision) continue;
        PlanReorder r;
        r.edge = *it;
        r.from_node = t.node;
        r.to_node = static_cast<int32_t>(n);
        r.from_layout = t.layout;
        r.to_layout = want_layout;
        r.from_precision = t.precision;
        r.to_precision = want_precision;
        plan.reorders.push_back(r);
      }
    }
  }
}

}  // namespace irlint::planning
