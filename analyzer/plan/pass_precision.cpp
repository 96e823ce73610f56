#include "plan/geometry.hpp"
#include "plan/passes.hpp"

namespace irlint::planning {
namespace {

/// A grouped convolution with one input and one output channel a group.
bool is_depthwise(const Layer& layer) {
  if (layer.inputs.empty() || layer.outputs.empty()) return false;
  int64_t in_c = channels(layer.inputs.front());
  int64_t group = -1;
  if (layer.inputs.size() > 1 && layer.inputs[1].dims.size() >= 1 &&
      layer.inputs[1].dims[0].is_static()) {
    group = layer.inputs[1].dims[0].min;  // opset GroupConvolution weights [G, O/G, I/G, …]
  }
  if (auto attr = layer.attr("group"); !attr.empty())
    group = static_cast<int64_t>(parse_double(attr, -1));
  return in_c > 0 && group == in_c && channels(layer.outputs.front()) == in_c;
}

}  // namespace

ComputePrecision compute_precision(PlanState& s, Vertex v) {
  ComputePrecision p;
  auto in = s.data_input(v, 0);
  if (!in) return p;
  if (s.quantization == Quantization::assumed) {
    p = {true, !s.unsigned_producer(*in)};
  } else if (s.kind[*in] == OpKind::fake_quantize && s.quantization == Quantization::as_written) {
    p = {true, s.fq_signed(*in)};
  } else if (s.tensor[*in].node >= 0 && is_int8(s.tensor[*in].precision)) {
    p = {true, s.tensor[*in].precision == Precision::i8};
  }
  const Layer& layer = s.g[v];
  std::string_view level = layer.attr("quantization_level");
  if (layer.version.empty() && (level == "I8" || level == "U8") &&
      s.quantization == Quantization::as_written) {
    p = {true, !s.unsigned_producer(*in)};
  }
  return p;
}

void set_compute_precision(PlanState& s, PlanNode& node) {
  if (node.kind == OpKind::group_convolution) node.depthwise = is_depthwise(s.g[node.main]);
  ComputePrecision p = compute_precision(s, node.main);
  bool int8 = p.int8 && node.kind != OpKind::deconvolution;
  node.precision = int8 ? (p.is_signed ? Precision::i8 : Precision::u8) : Precision::fp32;
  node.in_precision = node.precision;
  node.out_precision = Precision::fp32;
  node.signed_input = int8 && p.is_signed;
}

void set_standalone_precision(PlanState& s, PlanNode& node) {
  Vertex v = node.main;
  OpKind kind = node.kind;
  Tensor in = s.input_tensor(v, 0);
  node.in_precision = in.node >= 0 ? in.precision : Precision::fp32;
  node.precision = Precision::fp32;
  node.out_precision = Precision::fp32;
  bool int8_flows =
      kind == OpKind::max_pool || kind == OpKind::avg_pool || kind == OpKind::concat ||
      kind == OpKind::reshape || kind == OpKind::relu ||
      (kind == OpKind::add && s.policy.sum_postop.value && is_int8(s.input_tensor(v, 1).precision));
  if (kind == OpKind::fake_quantize) {
    node.out_precision = s.fq_signed(v) ? Precision::i8 : Precision::u8;
  } else if (int8_flows && is_int8(node.in_precision)) {
    node.precision = node.in_precision;  // INT8 flows through pooling, concat and ReLU
    node.out_precision = node.in_precision;
  } else if (is_int8(node.in_precision) && s.policy.quantize_in_reorders.value) {
    node.in_precision = Precision::fp32;  // a Reorder dequantizes first
  }
}

}  // namespace irlint::planning
