#include <fmt/format.h>

#include "plan/passes.hpp"
#include "plan/pattern.hpp"

namespace irlint::planning {
namespace {

/// An activation found after a layer, and the Policy fact that says whether the runtime turns
/// its written form into one op (none for one op).
struct Found {
  PlanActivation activation;
  const Fact<bool>* gate = nullptr;
};

/// Recognises an activation written as one op, or as an element-wise sub-graph reading `x`
/// whose pattern has a Policy fact (activation_patterns(), in their order, per consumer).
std::optional<Found> match_activation(PlanState& s, Vertex x) {
  if (s.consumer_count(x) == 1) {
    Vertex a = boost::target(*boost::out_edges(x, s.g).first, s.g);
    if (is_activation(s.kind[a])) return Found{{s.kind[a], {a}, false, -1, Support::no, {}, {}}};
  }
  for (auto [it, end] = boost::out_edges(x, s.g); it != end; ++it) {
    Vertex anchor = boost::target(*it, s.g);
    for (const Pattern& pattern : activation_patterns()) {
      // A legacy Power stands for an Add or a Multiply step.
      OpKind first = pattern.steps[0].kind;
      if (!pattern.gate || (first != s.kind[anchor] && s.kind[anchor] != OpKind::power)) continue;
      if (auto layers = match_pattern(s, pattern, x, anchor)) {
        Found found{{pattern.result, std::move(*layers), true, -1, Support::no, {}, {}},
                    &(s.policy.*pattern.gate)};
        found.activation.form = pattern.name;
        return found;
      }
    }
  }
  return std::nullopt;
}

/// Whether the activation fuses into `node`, with the fact that says so.
void decide_activation_fusion(PlanState& s, const PlanNode& node, Found& found) {
  const Policy& p = s.policy;
  PlanActivation& act = found.activation;
  if (found.gate && !found.gate->value) {
    act.fused = Support::no;
    act.source = found.gate->source;
    return;
  }
  act.fused = Support::unknown;
  act.source = "no fusion data for this activation";
  for (const ActivationFusion& a : p.activations) {
    if (a.kind != act.kind) continue;
    const Fact<Support>& f = is_int8(node.precision) ? a.into_int8 : a.into_fp32;
    act.fused = f.value;
    act.source = f.source;
    break;
  }
  if (act.kind == OpKind::clamp && is_int8(node.precision) && p.int8_clamp_needs_zero_min.value &&
      parse_double(s.g[act.layers.front()].attr("min"), -1) != 0) {
    act.fused = Support::no;
    act.source = p.int8_clamp_needs_zero_min.source;
  }
}

/// Whether `c`, the one reader of `cur`, fuses as a per-channel multiply/add (a bias, a scale).
bool fuses_as_per_channel(PlanState& s, const PlanNode& node, Vertex cur, Vertex c) {
  OpKind ck = s.kind[c];
  bool arithmetic = ck == OpKind::add || ck == OpKind::multiply || ck == OpKind::subtract;
  bool per_channel =
      ck == OpKind::scale_shift || ck == OpKind::power ||
      (arithmetic && s.const_input(c) && s.per_channel_const(*s.const_input(c), s.g[node.main]));
  if (!per_channel) return false;
  bool bias = ck == OpKind::add && cur == node.main;
  return bias || !is_int8(node.precision) || s.policy.depthwise_postop_into_int8.value;
}

/// Whether `c`, an Add reading `cur`, fuses as a `sum` post-op: its other operand already exists.
bool fuses_as_sum(PlanState& s, int32_t n, Vertex cur, Vertex c) {
  if (s.kind[c] != OpKind::add || !s.policy.sum_postop.value || s.const_input(c)) return false;
  auto a = s.data_input(c, 0);
  auto b = s.data_input(c, 1);
  Vertex other = a && *a == cur ? (b ? *b : cur) : (a ? *a : cur);
  return other != cur && s.plan.node_of[other] >= 0 && s.plan.node_of[other] != n;
}

}  // namespace

Vertex fuse_post_ops(PlanState& s, int32_t n) {
  const Policy& p = s.policy;
  bool int8 = is_int8(s.plan.nodes[n].precision);
  Vertex cur = s.plan.nodes[n].main;
  // Post-ops, in order, while the chain has one consumer and each step fuses.
  while (s.consumer_count(cur) > 0) {
    if (s.plan.nodes[n].kind == OpKind::matmul && !int8 && !p.fp32_fc_activation_fusion.value)
      break;
    if (auto found = match_activation(s, cur)) {
      found->activation.conv_node = n;
      decide_activation_fusion(s, s.plan.nodes[n], *found);
      bool fuses = found->activation.fused == Support::yes;
      std::vector<Vertex> layers = found->activation.layers;
      s.plan.activations.push_back(std::move(found->activation));
      if (!fuses) break;
      for (Vertex l : layers) s.absorb(n, l);
      cur = layers.back();
      continue;
    }
    if (s.consumer_count(cur) != 1) break;
    Vertex c = boost::target(*boost::out_edges(cur, s.g).first, s.g);
    if (fuses_as_per_channel(s, s.plan.nodes[n], cur, c) || fuses_as_sum(s, n, cur, c)) {
      s.absorb(n, c);
      cur = c;
      continue;
    }
    if (s.kind[c] == OpKind::fake_quantize && p.fake_quantize_postop.value && int8 &&
        s.quantization == Quantization::as_written) {
      s.absorb(n, c);
      s.plan.nodes[n].out_precision = s.fq_signed(c) ? Precision::i8 : Precision::u8;
      cur = c;
    }
    break;
  }
  return cur;
}

}  // namespace irlint::planning
