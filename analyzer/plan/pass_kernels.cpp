#include <fmt/format.h>

#include "plan/geometry.hpp"
#include "plan/passes.hpp"

namespace irlint::planning {
namespace {

std::string_view isa_word(Isa isa) {
  switch (isa) {
    case Isa::sse41:
      return "sse42";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
    case Isa::avx512_vnni:
      return "avx512";
    case Isa::amx:
      return "avx512_amx";
  }
  return "any";
}

std::string_view onednn_isa(Isa isa, bool int8) {
  switch (isa) {
    case Isa::sse41:
      return "sse41";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
      return "avx512_core";
    case Isa::avx512_vnni:
      return int8 ? "avx512_core_vnni" : "avx512_core";
    case Isa::amx:
      // JIT_IMPL_NAME_HELPER prints avx512_core_bf16_amx_int8 as "avx512_core_amx_int8"
      // (oneDNN v2.6.3 cpu_isa_traits.hpp:337); FP32 has no AMX kernel.
      return int8 ? "avx512_core_amx_int8" : "avx512_core";
  }
  return "any";
}

/// The AMX kernel oneDNN 2.6 runs for a non-depthwise INT8 convolution on AMX
/// (Policy::amx_int8_kernels): "brgconv_1x1", "brgconv" or "jit"; empty when both AMX kernels
/// refuse it and the VNNI kernels run. An unknown geometry is taken for the common case.
std::string_view amx_int8_conv_kernel(const Layer& layer) {
  std::optional<ConvShape> shape = conv_shape(layer);
  if (!shape) return kernel_1x1(layer) ? "brgconv_1x1" : "brgconv";
  const ConvShape& c = *shape;
  // brgemm's is_1x1: a 1x1 kernel and no padding at either end, any stride
  // (jit_brgemm_conv_utils.cpp:1624-1626 at v2.6.3); the AMX 1x1 path takes grouped and
  // small-channel shapes alike (1644-1648) and has no further refusal of its own.
  bool brgemm_1x1 =
      c.kh == 1 && c.kw == 1 && c.t_pad <= 0 && c.l_pad <= 0 && c.b_pad <= 0 && c.r_pad <= 0;
  if (brgemm_1x1) return "brgconv_1x1";
  // brgconv (init_jcp 1644-1648, init_conf 1745-1762): no grouped convolution with <= 16 input
  // channels per group, no "first convolution" (<= 4 input channels), no top padding as tall as
  // the kernel or right padding as wide, no dilation, and not ssd_resnet34's two shapes.
  bool grouped_small_ic = c.groups > 1 && c.ic <= 16;
  bool ssd_resnet34 = c.ic == c.oc && (c.ic == 128 || c.ic == 256) && c.oh == c.ow && c.oh == 150;
  // Added in 2.6.3 (1982-1992): few input channels and a very wide output, unless
  // div_up(ow_block, ur)*kh*kw > 8192, which needs the blocking; taken as refused.
  bool small_ic_wide = c.ic <= 16 && c.ow >= 2048;
  bool brgconv = !grouped_small_ic && c.ic > 4 && c.t_pad < c.kh && c.r_pad < c.kw &&
                 c.dilate_h == 0 && c.dilate_w == 0 && !ssd_resnet34 && !small_ic_wide;
  if (brgconv) return "brgconv";
  // The AMX jit convolution (jit_avx512_core_amx_conv_kernel.cpp init_conf): every padding
  // shorter than the dilated kernel (2292-2295) and at most 28 columns (2297-2299), whole
  // 16-channel blocks per group when grouped (2372-2377), and a reduction ic*kh*kw of at least
  // half a 64-byte tile row (2382-2385).
  bool pads_ok = c.l_pad < c.ext_kw() && c.r_pad < c.ext_kw() && c.t_pad < c.ext_kh() &&
                 c.b_pad < c.ext_kh() && c.l_pad <= 28 && c.r_pad <= 28;
  bool blocks_ok = c.groups == 1 || (c.ic % 16 == 0 && c.oc % 16 == 0);
  bool long_k = c.ic * c.kh * c.kw >= 32;
  if (pads_ok && blocks_ok && long_k) return "jit";
  return {};
}

/// Whether oneDNN 2.6.3 hands a 2D INT8 matmul of M x K times K x N to its VNNI kernel on AMX:
/// "Dispatch small shapes to VNNI" (matmul/brgemm_matmul_utils.cpp:846-851 at v2.6.3).
bool amx_matmul_small(const Layer& layer) {
  if (layer.inputs.empty() || layer.outputs.empty()) return false;
  const Shape& a = layer.inputs[0].dims;
  const Shape& c = layer.outputs[0].dims;
  if (a.size() != 2 || c.size() != 2) return false;
  if (!a[0].is_static() || !a[1].is_static() || !c[1].is_static()) return false;
  int64_t m = a[0].min, k = a[1].min, n = c[1].min;
  if (layer.attr("transpose_a") == "true") std::swap(m, k);
  return (m == 1 && k == 256) || (m <= 32 && m * n <= 256) || k <= 16;
}

/// The implementation class of a node the earlier passes left open.
Impl default_impl(const PlanState& s, const PlanNode& node) {
  const Layer& layer = s.g[node.main];
  bool conv = node.kind == OpKind::convolution || node.kind == OpKind::group_convolution;
  if (node.kind == OpKind::parameter || node.kind == OpKind::result ||
      node.kind == OpKind::reshape ||
      (node.kind == OpKind::concat && s.policy.openvino_exec_names.value)) {
    // No kernel of their own; a channel Concat of blocked tensors writes in place.
    return Impl::unknown;
  }
  if (conv || node.kind == OpKind::matmul || node.kind == OpKind::deconvolution) {
    if (s.target.isa >= Isa::avx512 && node.out_layout == Layout::nhwc) return Impl::brgconv;
    if (node.kind == OpKind::matmul && rank(layer) != 4) return Impl::gemm;
  }
  return Impl::jit;
}

/// Whether a node is a convolution with a 1x1 kernel that is not depthwise.
bool one_by_one(const PlanState& s, const PlanNode& node) {
  bool conv = node.kind == OpKind::convolution || node.kind == OpKind::group_convolution;
  return conv && kernel_1x1(s.g[node.main]) && !node.depthwise;
}

/// OpenVINO's spelling (jit_avx2_1x1_I8, ref_any_FP32, …).
std::string openvino_exec_type(const PlanState& s, const PlanNode& node) {
  const Policy& p = s.policy;
  bool int8 = is_int8(node.precision);
  std::string_view prec = int8 ? "I8" : "FP32";
  switch (node.impl) {
    case Impl::gemm:
      return fmt::format("{}_{}", int8 ? "gemm_blas" : "jit_gemm", prec);
    case Impl::ref:
      return fmt::format("ref_any_{}", prec);
    case Impl::unknown:
      return fmt::format("unknown_{}", prec);
    case Impl::jit:
    case Impl::brgconv:
      break;
  }
  std::string_view prefix = node.impl == Impl::brgconv ? "brgconv" : "jit";
  bool below_avx512 = s.target.isa < Isa::avx512;
  std::string_view shape = "";
  if (one_by_one(s, node) && (!int8 || !below_avx512 || p.int8_1x1_below_avx512.value))
    shape = "_1x1";
  if (node.depthwise && (!int8 || (below_avx512 && p.int8_dw_kernel_below_avx512.value))) {
    shape = "_dw";
  }
  return fmt::format("{}_{}{}_{}", prefix, isa_word(s.target.isa), shape, prec);
}

/// oneDNN's name for a depthwise convolution's kernel on `isa` (the ISA as printed).
std::string onednn_depthwise(const PlanState& s, const PlanNode& node, std::string_view isa) {
  bool avx512 = s.target.isa >= Isa::avx512;
  bool dilated =
      s.policy.fp32_dw_pad_limit.value &&
      s.g[node.main].attr("dilations").find_first_not_of("1, ") != std::string_view::npos;
  if (!is_int8(node.precision))
    return avx512 && !dilated ? fmt::format("brdgmm_dw:{}", isa) : fmt::format("jit_dw:{}", isa);
  if (!avx512) return fmt::format("jit_uni_int8:{}", isa);
  if (node.signed_input || s.target.isa == Isa::avx512) return fmt::format("jit_int8:{}", isa);
  return fmt::format("brdgmm_dw:{}", isa);
}

/// oneDNN's name for a convolution that is not depthwise, below the AMX kernels.
std::string onednn_convolution(const PlanState& s, const PlanNode& node, std::string_view isa) {
  // The 1x1 kernels take no padding at either end: brgemm's is_1x1
  // (jit_brgemm_conv_utils.cpp:1624-1626 at v2.6.3) and the JIT ones (f_pad, t_pad, l_pad
  // 0 and output = input size after reducing the stride: jit_avx2_1x1_conv_kernel_f32.cpp
  // :798-804, jit_avx512_common_1x1_conv_kernel.cpp:650-658,
  // jit_uni_x8s8s32x_1x1_conv_kernel.cpp:728-733,
  // jit_avx512_core_x8s8s32x_1x1_conv_kernel.cpp:980-987); only the AVX-512 INT8 one takes
  // groups (the others: ngroups == 1 at 794, 650, 701). brgconv off AMX refuses grouped
  // convolutions with <= 16 input channels a group (jit_brgemm_conv_utils.cpp:1644-1648).
  const Layer& layer = s.g[node.main];
  bool int8 = is_int8(node.precision);
  std::optional<ConvShape> shape = conv_shape(layer);
  bool padded =
      shape && (shape->t_pad > 0 || shape->l_pad > 0 || shape->b_pad > 0 || shape->r_pad > 0);
  bool grouped = shape && shape->groups > 1;
  bool brgemm_1x1 = one_by_one(s, node) && !padded;
  bool jit_1x1 = brgemm_1x1 && unit_stride_reducible(layer);
  bool brgemm = !(grouped && shape->ic <= 16);
  if (s.target.isa < Isa::avx512) {
    jit_1x1 = jit_1x1 && !grouped;
    return int8 ? fmt::format("jit_uni_int8{}:{}", jit_1x1 ? "_1x1" : "", isa)
                : fmt::format("jit{}:{}", jit_1x1 ? "_1x1" : "", isa);
  }
  if (int8 && (s.target.isa == Isa::avx512 || !brgemm))
    return fmt::format("jit_int8{}:{}", jit_1x1 ? "_1x1" : "", isa);
  if (int8 && node.signed_input && !brgemm_1x1) return fmt::format("jit_int8:{}", isa);
  if (!brgemm) return fmt::format("jit:{}", isa);  // FP32: its 1x1 kernel takes no groups
  return fmt::format("brgconv{}:{}", brgemm_1x1 ? "_1x1" : "", isa);
}

/// oneDNN's own impl_info_str() spelling, as probed (docs: onednn-facts). On AMX only the AMX
/// kernels carry its name; the kernels below them run as on VNNI.
std::string onednn_exec_type(const PlanState& s, const PlanNode& node) {
  const Layer& layer = s.g[node.main];
  Isa target_isa = s.target.isa;
  bool int8 = is_int8(node.precision);
  bool conv = node.kind == OpKind::convolution || node.kind == OpKind::group_convolution;
  bool amx = target_isa == Isa::amx && int8 && s.policy.amx_int8_kernels.value;
  std::string_view amx_isa = onednn_isa(Isa::amx, int8);
  std::string_view isa = onednn_isa(target_isa == Isa::amx ? Isa::avx512_vnni : target_isa, int8);
  // Only convolutions and matmul have VNNI instances; pooling, eltwise and softmax kernels are
  // named after avx512_core for INT8 too (measured: docs/live-run.md "Corpus agreement").
  std::string_view plain_isa = onednn_isa(target_isa, false);
  if (node.impl == Impl::ref) return "ref:any";
  if (conv && node.impl == Impl::gemm && !int8) return "x64:gemm:jit";
  if (amx && conv && !node.depthwise) {
    if (std::string_view kernel = amx_int8_conv_kernel(layer); !kernel.empty())
      return fmt::format("{}:{}", kernel, amx_isa);
  }
  if (conv && node.depthwise) return onednn_depthwise(s, node, isa);
  if (conv) return onednn_convolution(s, node, isa);
  if (node.kind == OpKind::matmul) {
    // The matmul primitive: brgemm_matmul ("brg:") on AVX-512 (VNNI for INT8), else
    // gemm_f32/x8s8s32x_matmul ("gemm:jit") (measured: MobileNetV2 INT8 natively, under the
    // AVX512_CORE cap and under the AVX2 cap).
    bool brgemm = target_isa >= (int8 ? Isa::avx512_vnni : Isa::avx512);
    if (!brgemm) return "gemm:jit";
    return fmt::format("brg:{}", amx && !amx_matmul_small(layer) ? amx_isa : isa);
  }
  if (is_passive(node.kind)) return "";  // Parameter, Result and views run no kernel
  if (is_eltwise(node.kind) || node.kind == OpKind::transpose ||
      node.kind == OpKind::fake_quantize) {
    // jit_uni_binary and jit_uni_reorder (Transpose, quantize/dequantize): one kernel named
    // "jit:uni" on every ISA (oneDNN 2.6 jit_uni_binary.hpp, jit_uni_reorder.hpp; measured).
    return "jit:uni";
  }
  if (node.kind == OpKind::concat) return "simple:any";  // same-layout dense inputs (measured)
  if (int8 && (node.kind == OpKind::max_pool || node.kind == OpKind::avg_pool ||
               node.kind == OpKind::reduce_mean)) {
    // jit_uni_i8i8_pooling (oneDNN 2.6 jit_uni_i8i8_pooling.hpp "jit_int:"; measured).
    return fmt::format("jit_int:{}", plain_isa);
  }
  return fmt::format("jit:{}", plain_isa);
}

}  // namespace

void name_kernels(PlanState& s) {
  for (PlanNode& node : s.plan.nodes) {
    if (node.impl == Impl::unknown) node.impl = default_impl(s, node);
    node.exec_type = s.policy.openvino_exec_names.value ? openvino_exec_type(s, node)
                                                        : onednn_exec_type(s, node);
  }
}

}  // namespace irlint::planning
