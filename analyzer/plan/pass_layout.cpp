#include <fmt/format.h>

#include "plan/geometry.hpp"
#include "plan/passes.hpp"

namespace irlint::planning {
namespace {

/// Kinds that take their input's layout rather than one of their own.
bool follows_input_layout(OpKind kind) {
  return is_activation(kind) || is_eltwise(kind) || kind == OpKind::scale_shift ||
         kind == OpKind::power || kind == OpKind::max_pool || kind == OpKind::avg_pool ||
         kind == OpKind::reduce_mean || kind == OpKind::concat || kind == OpKind::fake_quantize ||
         kind == OpKind::convert || kind == OpKind::lrn || kind == OpKind::softmax;
}

/// The kernels that only run reference code for a standalone layer, and why.
void choose_reference_fallbacks(PlanState& s, PlanNode& node) {
  const Policy& p = s.policy;
  OpKind kind = node.kind;
  if (kind == OpKind::hard_sigmoid && p.hard_sigmoid_ref.value) {
    // A Math node: planar FP32 only.
    node.in_layout = node.out_layout = Layout::planar;
    node.impl = Impl::ref;
    node.why = fmt::format("HardSigmoid has only a reference implementation ({})",
                           p.hard_sigmoid_ref.source);
  }
  if (kind == OpKind::detection || kind == OpKind::other) node.impl = Impl::ref;
  if (kind == OpKind::softmax && p.softmax_ref.value) {
    node.impl = Impl::ref;
    node.why = fmt::format("SoftMax runs reference code ({})", p.softmax_ref.source);
  }
  if (kind == OpKind::softmax && node.impl != Impl::ref && p.softmax_jit_needs_dense_axis.value) {
    if (std::string why = softmax_axis_not_dense(s.g[node.main], node.in_layout, s.target.isa);
        !why.empty()) {
      node.impl = Impl::ref;
      node.why = fmt::format("{}: SoftMax runs reference code ({})", why,
                             p.softmax_jit_needs_dense_axis.source);
    }
  }
}

}  // namespace

void negotiate_compute_layout(PlanState& s, PlanNode& node) {
  const Policy& p = s.policy;
  const Layer& layer = s.g[node.main];
  auto isa = static_cast<size_t>(s.target.isa);
  bool int8 = is_int8(node.precision);
  bool spatial = rank(layer) == 4 && node.kind != OpKind::matmul;
  Layout layout = !spatial ? Layout::planar
                  : int8   ? p.int8_layout.value
                           : p.fp32_conv_layout[isa].value;
  node.in_layout = layout;
  node.out_layout = layout;
  if (spatial && !int8 && !layer.inputs.empty()) {
    int64_t in_c = channels(layer.inputs.front());
    if (in_c > 0 && in_c <= 4 && layout != Layout::nhwc) node.in_layout = Layout::planar;
  }
  if (spatial && !int8 && node.depthwise && p.fp32_dw_pad_limit.value) {
    if (std::string why = dw_pad_beyond_unroll(layer, s.target.isa); !why.empty()) {
      node.impl = Impl::gemm;
      node.in_layout = node.out_layout = Layout::planar;
      node.why = fmt::format("{} ({})", why, p.fp32_dw_pad_limit.source);
    }
  }
  if (node.depthwise && int8 && node.signed_input && p.int8_dw_signed_gemm[isa].value) {
    node.impl = Impl::gemm;
    node.why =
        fmt::format("no JIT kernel for INT8 depthwise convolution with a signed input on {} ({})",
                    to_string(s.target.isa), p.int8_dw_signed_gemm[isa].source);
  }
}

void negotiate_standalone_layout(PlanState& s, PlanNode& node) {
  const Policy& p = s.policy;
  Tensor in = s.input_tensor(node.main, 0);
  Layout layout = Layout::planar;
  if (rank(s.g[node.main]) == 4 && follows_input_layout(node.kind)) {
    layout = in.node >= 0 ? in.layout : Layout::planar;
    if (p.fp32_layers_blocked.value && !is_int8(node.precision) &&
        node.kind != OpKind::fake_quantize) {
      layout = p.fp32_conv_layout[static_cast<size_t>(s.target.isa)].value;
    }
    if (is_int8(node.precision)) layout = p.int8_layout.value;
  }
  node.in_layout = layout;
  node.out_layout = layout;
  choose_reference_fallbacks(s, node);
}

}  // namespace irlint::planning
