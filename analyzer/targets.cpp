// What each runtime version and ISA does, as data. Every fact names its source; the planner
// and the rules read nothing about versions from anywhere else.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "input_file.hpp"
#include "target.hpp"

namespace irlint {
namespace {

constexpr std::string_view kOv2019Optimizer =
    "openvino 2019_R3 inference-engine/src/mkldnn_plugin/mkldnn_graph_optimizer.cpp:173-183 "
    "FuseConvolutionAndActivation (ELU, logistic, bounded ReLU, clamp only into FP32; "
    "ScaleShift/PReLU only into FP32, line 236)";
constexpr std::string_view kOv2019ClampToRelu =
    "openvino 2019_R3 cnn_network_int8_normalizer.cpp ClampsToReLU (647-668): a Clamp with min 0 "
    "becomes ReLU and fuses; canLayerBeI8 (1043-1062) keeps a convolution FP32 before any other "
    "Clamp";
constexpr std::string_view kOv2019EltwiseLayout =
    "inferred from the 2019 R3 field report (68 nChw8c/nhwc Reorders around FP32 element-wise "
    "layers between INT8 convolutions); not verified in the 2019_R3 eltwise node source";
constexpr std::string_view kOv2019Conv =
    "openvino 2019_R3 inference-engine/src/mkldnn_plugin/nodes/mkldnn_conv_node.cpp:181-232 "
    "(INT8 nhwc; FP32 nChw16c/nChw8c, planar input for 1 or 3 channels)";
constexpr std::string_view kMkldnn2019Dw =
    "mkl-dnn fork at openvino 2019_R3: jit_uni_x8s8s32x_dw_convolution requires u8 source on "
    "avx2/sse41; s8 source goes to _gemm_x8s8s32x_convolution (gemm_blas_I8); 2019 R3 release "
    "notes, known issue on INT8 depthwise performance";
constexpr std::string_view kMkldnn2019Kernels =
    "mkl-dnn fork at openvino 2019_R3: no AVX2 INT8 1x1 kernel (jit_int8_1x1 is avx512_core "
    "only); u8 depthwise on avx2 is jit_dw (jit_uni_x8s8s32x_dw_conv_kernel.cpp:590-630); "
    "exec type tokens from mkldnn_node.cpp getPrimitiveDescriptorType";
constexpr std::string_view kOnednn2021Kernels =
    "oneDNN fork at openvino 2021.4 (e0381c36): jit_uni_x8s8s32x_conv_kernel.cpp:1176-1227 "
    "(INT8 depthwise in the generic jit_uni_int8 kernel), jit_uni_x8s8s32x_1x1_convolution.hpp";
constexpr std::string_view kGemmFitted2019 =
    "fitted: the one published measurement of gemm_blas_I8, MobileNetV3-Large INT8 at 0.45x of "
    "FP32 on 2019 R3 AVX2 (shared/docs/background.md), reproduced by the generated model with "
    "all other rates measured; MobileNetV2 (no fallback) is the check";
constexpr std::string_view kGemmMeasured =
    "measured: oneDNN 2.6 gemm INT8 convolution ~44x slower than the JIT depthwise kernel "
    "(shared/docs/onednn-facts.md)";
constexpr std::string_view kOv2019FcActivation =
    "openvino 2019_R3 mkldnn_graph_optimizer.cpp:646-678 FuseFullyConnectedAndActivation: ReLU "
    "only, and only into a non-FP32 FullyConnected; observed: mnist 2019 counters (dense/Relu "
    "ran on its own)";
constexpr std::string_view kOv2019Softmax =
    "observed: mnist 2019 R-series AVX2 counters (SoftMax ref_any_FP32)";
constexpr std::string_view kOv2021Optimizer =
    "openvino 2021.4 inference-engine/src/mkldnn_plugin/mkldnn_node.cpp:1331-1341 "
    "canFuseSimpleOperation (no precision gate: FP32 and INT8 alike)";
constexpr std::string_view kOv2021Transform =
    "openvino 2021.4 mkldnn_plugin.cpp:152,284-288 runs CommonOptimizations: HSwishFusion "
    "(x*Clamp(x+3,0,6)/6 forms since 2021.1/2021.3), SwishFusion; nothing matches HardSigmoid";
constexpr std::string_view kOv2022Counters =
    "observed: openvino issue #11898, 2022.1 AVX2 MobileNetV3 INT8 counters (HardSigmoid "
    "ref_any_FP32)";
constexpr std::string_view kOv2024Optimizer =
    "inferred for openvino 2024.6 from 2024/2025 intel_cpu sources: isUnarySupportedAsPostOp "
    "keeps the 2021.4 list (Gelu split in two), no precision gate; not read at the 2024.6.0 tag";
constexpr std::string_view kOv2024Layout =
    "inferred for openvino 2024.6 from 2024/2025 intel_cpu nodes/conv.cpp: nspc first when "
    "brgconv kernels are available (avx512); INT8 convolution nspc only";
constexpr std::string_view kOnednnProbe =
    "measured: oneDNN 2.6.3 probes on AMD EPYC Zen 4 (docs/onednn-facts: post-ops and "
    "format_tag::any choices)";

constexpr std::string_view kOnednnDwPad =
    "oneDNN 2.6 sources: jit_brdgmm_dw_conv.cpp ('dilations are not supported'), "
    "jit_uni_dw_conv_kernel_utils init_conf (l_pad or r_pad_no_tail > ur_w: unimplemented; "
    "ur_w 6/4/3 on avx512/avx2/sse41); probed with libdnnl 2.6: 3x3 depthwise 1x24x64x112, "
    "pad = dilation d: f32 avx512 brdgmm_dw at d=1, jit_dw nhwc d=2..6, x64:gemm:jit nchw d>=7; "
    "avx2 jit_dw d<=4; sse41 d<=3; u8 jit_int8 for every d";

constexpr std::string_view kOnednnSoftmax =
    "oneDNN 2.6 src/cpu/x64/jit_uni_softmax.hpp pd_t::init is_dense(): a plain layout needs "
    "stride 1 along the axis, a blocked one the axis as its innermost block of vlen/4 (16 "
    "avx512, 8 avx2, 4 sse41), else ref:any; measured: road-segmentation-adas-0001 SoftMax "
    "axis 1 on 1x4x512x896 nchw ran ref:any (~200 ms), nhwc/2D last-axis ones jit";

constexpr std::string_view kOnednnAmx =
    "oneDNN v2.6.3 sources: cpu_convolution_list.cpp:220-237,314-333 (INT8: brgconv_1x1 and "
    "brgconv on avx512_core_bf16_amx_int8, then the AMX jit convolution, then the VNNI kernels; "
    "brdgmm_dw before them all for a u8 source), jit_brgemm_conv_utils.cpp:1641,1644-1648 "
    "(no depthwise; grouped with <= 16 input channels per group only as 1x1), 1745-1762 (AMX: "
    "<= 4 input channels, top pad >= kh, right pad >= kw, dilation, ssd_resnet34's 150x150 "
    "128/256-channel shape refused), 1982-1992 (<= 16 input channels and width >= 2048 "
    "refused), jit_avx512_core_amx_conv_kernel.cpp:2292-2299,2308,2372-2385 (pad >= kernel "
    "extent or > 28, depthwise, grouped channels not multiples of 16, ic*kh*kw < 32 refused), "
    "matmul/brgemm_matmul_utils.cpp:846-851 (2D M==1&&K==256, M<=32&&M*N<=256 or K<=16 go to "
    "VNNI), cpu_isa_traits.hpp:337 (named avx512_core_amx_int8); measured: face-det-retail-0004 "
    "and MobileNet INT8 natively on Sapphire Rapids, 23 geometries x u8/s8";

constexpr std::string_view kMkldnnFormatNames =
    "observed: 2019 R3 and 2020 counters name Reorders by MKL-DNN formats "
    "(data_nchw_nhwc_mbox1/priorbox in issue 356, prob_nChw8c_nchw in squeezenet1.1 2020)";
constexpr std::string_view kExecGraphFormatNames =
    "observed: 2022.1 counters name Reorders by exec-graph layouts (Multiply_7729_acdb_abcd in "
    "issue 11898); not read at the 2021.4 tag";
constexpr std::string_view kOnednnFormatNames =
    "irlint's live run names Reorders by the exec-graph layouts (abcd, aBcd8b) it compares";
constexpr std::string_view kOpenvinoExecNames =
    "openvino 2019_R3 mkldnn_node.cpp getPrimitiveDescriptorType (isa, kernel class and "
    "precision joined: jit_avx2_1x1_I8); observed in every counters file of shared/observed";
constexpr std::string_view kOnednnExecNames =
    "oneDNN 2.6 primitive_desc::impl_info_str (jit:avx2, brg:avx512_core), what the live run "
    "reads";

constexpr Isa kAllButAmx[] = {Isa::sse41, Isa::avx2, Isa::avx512, Isa::avx512_vnni};
constexpr Isa kAll[] = {Isa::sse41, Isa::avx2, Isa::avx512, Isa::avx512_vnni, Isa::amx};

constexpr Fact<Support> yes(std::string_view s) { return {Support::yes, s}; }
constexpr Fact<Support> no(std::string_view s) { return {Support::no, s}; }
constexpr Fact<Support> unknown(std::string_view s) { return {Support::unknown, s}; }

/// The activations a fusion table has a row for, in the order the planner looks them up.
constexpr OpKind kFusableActivations[] = {
    OpKind::relu, OpKind::leaky_relu, OpKind::clamp,    OpKind::elu,          OpKind::sigmoid,
    OpKind::tanh, OpKind::hswish,     OpKind::hsigmoid, OpKind::hard_sigmoid, OpKind::swish,
    OpKind::mish, OpKind::gelu,       OpKind::prelu};
using FusionTable = std::array<ActivationFusion, std::size(kFusableActivations)>;

/// A table in which every activation fuses (or not) into FP32 and INT8 alike, for one reason.
constexpr FusionTable every_activation(Fact<Support> fact) {
  FusionTable table{};
  for (size_t i = 0; i < table.size(); ++i) table[i] = {kFusableActivations[i], fact, fact};
  return table;
}

/// `table` with one activation's row changed.
constexpr FusionTable with_row(FusionTable table, ActivationFusion row) {
  for (ActivationFusion& r : table) {
    if (r.kind == row.kind) r = row;
  }
  return table;
}

template <typename T>
constexpr std::array<Fact<T>, 5> on_every_isa(Fact<T> fact) {
  return {fact, fact, fact, fact, fact};
}

/// FP32 convolution layouts: `below` on SSE4.1/AVX2, `from_avx512` on AVX-512 and up.
constexpr std::array<Fact<Layout>, 5> conv_layouts(Layout below, Layout from_avx512,
                                                   std::string_view source) {
  return {{{below, source},
           {below, source},
           {from_avx512, source},
           {from_avx512, source},
           {from_avx512, source}}};
}

// Each runtime is the one before it plus what changed, each change with its source.

constexpr FusionTable kFusion2019 = [] {
  FusionTable t = every_activation(no(kOv2019Optimizer));
  for (OpKind k : {OpKind::relu, OpKind::leaky_relu}) {
    t = with_row(t, {k, yes(kOv2019Optimizer), yes(kOv2019Optimizer)});
  }
  t = with_row(t, {OpKind::clamp, yes(kOv2019Optimizer), yes(kOv2019ClampToRelu)});
  for (OpKind k : {OpKind::elu, OpKind::sigmoid, OpKind::prelu}) {
    t = with_row(t, {k, yes(kOv2019Optimizer), no(kOv2019Optimizer)});
  }
  return with_row(
      t, {OpKind::hswish, no("no HSwish op before 2021.1"), no("no HSwish op before 2021.1")});
}();

constexpr Policy openvino_2019_3() {
  return {
      .name = "openvino-2019.3",
      .description = "OpenVINO 2019 R3 CPU plugin (MKL-DNN 0.x), calibration-tool INT8",
      .isas = kAllButAmx,
      .activations = kFusion2019,
      .fuses_decomposed_hswish = {false, "no HSwish op or fusion before 2021.1"},
      .fuses_x_hard_sigmoid = {false, "no HSwish op or fusion before 2021.1"},
      .fuses_x_sigmoid = {false, "no Swish op before 2020.4"},
      .depthwise_postop_into_int8 = {false, kOv2019Optimizer},
      .fake_quantize_postop = {true, kOv2019Conv},
      .sum_postop = {true, kOv2019Optimizer},
      .fp32_conv_layout = conv_layouts(Layout::blocked8, Layout::blocked16, kOv2019Conv),
      .int8_layout = {Layout::nhwc, kOv2019Conv},
      .int8_dw_signed_gemm = {{{true, kMkldnn2019Dw},
                               {true, kMkldnn2019Dw},
                               {false, kMkldnn2019Dw},
                               {false, kMkldnn2019Dw},
                               {false, kMkldnn2019Dw}}},
      .quantize_in_reorders = {true, kOv2019Conv},
      .fp32_layers_blocked = {true, kOv2019EltwiseLayout},
      .hard_sigmoid_ref = {true, kOv2019Optimizer},
      .int8_1x1_below_avx512 = {false, kMkldnn2019Kernels},
      .int8_dw_kernel_below_avx512 = {true, kMkldnn2019Kernels},
      .mkldnn_format_names = {true, kMkldnnFormatNames},
      .int8_clamp_needs_zero_min = {true, kOv2019ClampToRelu},
      .fp32_fc_activation_fusion = {false, kOv2019FcActivation},
      .softmax_ref = {true, kOv2019Softmax},
      .gemm_int8_slowdown = {18, kGemmFitted2019},
      .openvino_exec_names = {true, kOpenvinoExecNames},
  };
}

constexpr FusionTable kFusion2021 =
    with_row(every_activation(yes(kOv2021Optimizer)),
             {OpKind::hard_sigmoid, no(kOv2021Optimizer), no(kOv2021Optimizer)});

constexpr Policy openvino_2021_4() {
  Policy p = openvino_2019_3();
  p.name = "openvino-2021.4";
  p.description = "OpenVINO 2021.4 LTS CPU plugin (oneDNN 1.x fork), nGraph LPT INT8";
  p.activations = kFusion2021;
  p.fuses_decomposed_hswish = {true, kOv2021Transform};
  p.fuses_x_hard_sigmoid = {false, kOv2021Transform};
  p.fuses_x_sigmoid = {true, kOv2021Transform};
  p.depthwise_postop_into_int8 = {true, kOv2021Optimizer};
  p.fake_quantize_postop = {true, kOv2021Optimizer};
  p.sum_postop = {true, kOv2021Optimizer};
  p.int8_layout = {Layout::nhwc, kOv2021Optimizer};
  p.int8_dw_signed_gemm = on_every_isa(Fact<bool>{false, kOv2021Optimizer});
  p.quantize_in_reorders = {false, kOv2021Optimizer};
  p.fp32_layers_blocked = {false, kOv2021Optimizer};
  p.hard_sigmoid_ref = {true, kOv2022Counters};
  p.int8_1x1_below_avx512 = {true, kOnednn2021Kernels};
  p.int8_dw_kernel_below_avx512 = {false, kOnednn2021Kernels};
  p.mkldnn_format_names = {false, kExecGraphFormatNames};
  p.int8_clamp_needs_zero_min = {false, kOv2021Optimizer};
  p.fp32_fc_activation_fusion = {true, kOv2021Optimizer};
  p.softmax_ref = {false, kOv2021Optimizer};
  p.gemm_int8_slowdown = {44, kGemmMeasured};
  return p;
}

constexpr FusionTable kFusion2022 =
    with_row(kFusion2021, {OpKind::hard_sigmoid, no(kOv2022Counters), no(kOv2022Counters)});

constexpr Policy openvino_2022_1() {
  Policy p = openvino_2021_4();
  p.name = "openvino-2022.1";
  p.description = "OpenVINO 2022.1 CPU plugin (oneDNN 2.x fork), as in the published counters";
  p.activations = kFusion2022;
  p.fuses_x_hard_sigmoid = {false, kOv2022Counters};
  p.int8_layout = {Layout::nhwc, kOv2022Counters};
  p.int8_dw_signed_gemm = on_every_isa(Fact<bool>{false, kOv2022Counters});
  p.quantize_in_reorders = {false, kOv2022Counters};
  p.fp32_layers_blocked = {false, kOv2022Counters};
  p.softmax_ref = {false, kOv2022Counters};
  return p;
}

constexpr FusionTable kFusion2024 =
    with_row(every_activation(yes(kOv2024Optimizer)),
             {OpKind::hard_sigmoid, no(kOv2021Transform), no(kOv2021Transform)});

constexpr Policy openvino_2024_6() {
  Policy p = openvino_2022_1();
  p.name = "openvino-2024.6";
  p.description = "OpenVINO 2024.6 LTS CPU plugin (oneDNN 3.x fork, brgemm kernels)";
  p.isas = kAll;
  p.activations = kFusion2024;
  p.fuses_x_hard_sigmoid = {false, kOv2021Transform};
  p.depthwise_postop_into_int8 = {true, kOv2024Optimizer};
  p.fake_quantize_postop = {true, kOv2024Optimizer};
  p.sum_postop = {true, kOv2024Optimizer};
  p.fp32_conv_layout = conv_layouts(Layout::blocked8, Layout::nhwc, kOv2024Layout);
  p.int8_layout = {Layout::nhwc, kOv2024Layout};
  p.int8_dw_signed_gemm = on_every_isa(Fact<bool>{false, kOv2024Layout});
  p.quantize_in_reorders = {false, kOv2024Optimizer};
  p.fp32_layers_blocked = {false, kOv2024Optimizer};
  p.hard_sigmoid_ref = {true, kOv2021Transform};
  p.int8_clamp_needs_zero_min = {false, kOv2024Optimizer};
  p.fp32_fc_activation_fusion = {true, kOv2024Optimizer};
  p.softmax_ref = {false, kOv2024Optimizer};
  return p;
}

constexpr FusionTable kFusionOnednn = [] {
  FusionTable t = every_activation(yes(kOnednnProbe));
  for (OpKind k : {OpKind::mish, OpKind::gelu}) {
    t = with_row(t, {k, unknown(kOnednnProbe), unknown(kOnednnProbe)});
  }
  return t;
}();

/// oneDNN itself is not a runtime in the line above: every fact is its own, from its probes.
constexpr Policy onednn_2_6() {
  const Fact<bool> yes_probed{true, kOnednnProbe}, no_probed{false, kOnednnProbe};
  return {
      .name = "onednn-2.6",
      .description = "oneDNN 2.6 itself with format_tag::any: what the live run observes",
      .isas = kAll,
      .activations = kFusionOnednn,
      .fuses_decomposed_hswish = yes_probed,
      .fuses_x_hard_sigmoid = yes_probed,
      .fuses_x_sigmoid = yes_probed,
      .depthwise_postop_into_int8 = yes_probed,
      .fake_quantize_postop = yes_probed,
      .sum_postop = yes_probed,
      .fp32_conv_layout = conv_layouts(Layout::blocked8, Layout::nhwc, kOnednnProbe),
      .int8_layout = {Layout::nhwc, kOnednnProbe},
      .int8_dw_signed_gemm = on_every_isa(no_probed),
      .quantize_in_reorders = no_probed,
      .fp32_layers_blocked = no_probed,
      .hard_sigmoid_ref = no_probed,
      .int8_1x1_below_avx512 = yes_probed,
      .int8_dw_kernel_below_avx512 = no_probed,
      .mkldnn_format_names = {false, kOnednnFormatNames},
      .int8_clamp_needs_zero_min = no_probed,
      .fp32_fc_activation_fusion = yes_probed,
      .softmax_ref = no_probed,
      .gemm_int8_slowdown = {44, kGemmMeasured},
      .openvino_exec_names = {false, kOnednnExecNames},
      .fp32_dw_pad_limit = {true, kOnednnDwPad},
      .softmax_jit_needs_dense_axis = {true, kOnednnSoftmax},
      .amx_int8_kernels = {true, kOnednnAmx},
  };
}

constexpr Policy kPolicies[] = {openvino_2019_3(), openvino_2021_4(), openvino_2022_1(),
                                openvino_2024_6(), onednn_2_6()};

/// What irlint predicts for when no target is given: the newest OpenVINO runtime it knows.
constexpr std::string_view kDefaultPolicy = "openvino-2024.6";

constexpr std::string_view kIsaNames[] = {"sse41", "avx2", "avx512", "avx512_vnni", "amx"};

}  // namespace

std::string_view to_string(Isa isa) { return kIsaNames[static_cast<size_t>(isa)]; }

std::string_view to_string(Layout layout) {
  switch (layout) {
    case Layout::planar:
      return "nchw";
    case Layout::nhwc:
      return "nhwc";
    case Layout::blocked8:
      return "nChw8c";
    case Layout::blocked16:
      return "nChw16c";
  }
  return "?";
}

std::string_view exec_graph_name(Layout layout) {
  switch (layout) {
    case Layout::planar:
      return "abcd";
    case Layout::nhwc:
      return "acdb";
    case Layout::blocked8:
      return "aBcd8b";
    case Layout::blocked16:
      return "aBcd16b";
  }
  return "?";
}

std::string_view to_string(Precision precision) {
  switch (precision) {
    case Precision::fp32:
      return "FP32";
    case Precision::bf16:
      return "BF16";
    case Precision::fp16:
      return "FP16";
    case Precision::u8:
      return "U8";
    case Precision::i8:
      return "I8";
    case Precision::i32:
      return "I32";
    case Precision::other:
      return "other";
  }
  return "?";
}

std::string_view to_string(Impl impl) {
  switch (impl) {
    case Impl::jit:
      return "jit";
    case Impl::brgconv:
      return "brgconv";
    case Impl::gemm:
      return "gemm";
    case Impl::ref:
      return "ref";
    case Impl::unknown:
      return "unknown";
  }
  return "?";
}

bool is_int8(Precision p) { return p == Precision::u8 || p == Precision::i8; }

std::optional<Isa> parse_isa(std::string_view text) {
  for (size_t i = 0; i < std::size(kIsaNames); ++i) {
    if (kIsaNames[i] == text) return static_cast<Isa>(i);
  }
  if (text == "avx512_core") return Isa::avx512;
  if (text == "avx512_core_vnni") return Isa::avx512_vnni;
  if (text == "avx512_core_amx" || text == "avx512_core_amx_int8") return Isa::amx;
  return std::nullopt;
}

namespace {

/// Whether oneDNN 2.6 would run its AMX INT8 kernels here (its ISA avx512_core_bf16_amx_int8):
/// the CPU reports AVX512-BF16, AMX-TILE and AMX-INT8, the OS saves the tile state, and on Linux
/// the process may use it. oneDNN reads the cpuid bits through Xbyak (xbyak_util.h:536-538 at
/// v2.6.3; it does not look at XCR0) and asks Linux for the tile data permission itself,
/// get-then-request, in amx::is_available (cpu_isa_traits.cpp:304-320); mayiuse() needs
/// avx512_core_bf16 too (cpu_isa_traits.hpp:300-307). The same request is made here, so the
/// answer is the one oneDNN gets in this process.
bool amx_int8_usable() {
#if defined(__x86_64__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return false;  // OSXSAVE
  unsigned xcr0_lo = 0, xcr0_hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  constexpr unsigned kXtileCfg = 1u << 17, kXtileData = 1u << 18;
  if ((xcr0_lo & (kXtileCfg | kXtileData)) != (kXtileCfg | kXtileData)) return false;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  bool tile = d & (1u << 24), int8 = d & (1u << 25);
  unsigned max_subleaf = a;
  if (!tile || !int8 || max_subleaf < 1) return false;
  if (!__get_cpuid_count(7, 1, &a, &b, &c, &d) || !(a & (1u << 5))) return false;  // AVX512-BF16
#if defined(__linux__)
  constexpr long kArchGetXcompPerm = 0x1022, kArchReqXcompPerm = 0x1023, kXfeatureXtileData = 18;
  unsigned long permitted = 0;
  if (syscall(SYS_arch_prctl, kArchGetXcompPerm, &permitted) != 0) return false;
  if (permitted & kXtileData) return true;
  if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtileData) != 0) return false;
  if (syscall(SYS_arch_prctl, kArchGetXcompPerm, &permitted) != 0) return false;
  return (permitted & kXtileData) != 0;
#else
  return true;
#endif
#else
  return false;
#endif
}

}  // namespace

std::string Target::name() const { return fmt::format("{}:{}", policy->name, to_string(isa)); }

std::span<const Policy> all_policies() { return kPolicies; }

Isa native_isa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    static const bool amx = amx_int8_usable();
    if (amx) return Isa::amx;
    return __builtin_cpu_supports("avx512vnni") ? Isa::avx512_vnni : Isa::avx512;
  }
  if (__builtin_cpu_supports("avx2")) return Isa::avx2;
  return Isa::sse41;
}

std::optional<Target> parse_target(std::string_view text, std::string* error) {
  size_t colon = text.find(':');
  std::string_view policy_name = text.substr(0, colon);
  std::string_view isa_name = colon == std::string_view::npos ? "native" : text.substr(colon + 1);
  const Policy* policy = nullptr;
  for (const Policy& p : kPolicies) {
    if (p.name == policy_name) policy = &p;
  }
  if (!policy) {
    *error =
        fmt::format("unknown runtime policy '{}' (see 'irlint targets')", clipped(policy_name));
    return std::nullopt;
  }
  std::optional<Isa> isa = isa_name == "native" ? native_isa() : parse_isa(isa_name);
  if (isa_name == "native") {
    // The best this runtime can dispatch on this CPU: a runtime without AMX kernels runs its
    // VNNI ones on an AMX machine.
    Isa best = policy->isas.front();
    for (Isa i : policy->isas) best = i <= *isa ? std::max(best, i) : best;
    isa = best;
  }
  if (!isa) {
    *error = fmt::format("unknown ISA '{}' (sse41, avx2, avx512, avx512_vnni, amx, native)",
                         clipped(isa_name));
    return std::nullopt;
  }
  bool known = false;
  for (Isa i : policy->isas) known = known || i == *isa;
  if (!known) {
    *error = fmt::format("policy '{}' has no data for ISA '{}'", policy->name, to_string(*isa));
    return std::nullopt;
  }
  return Target{policy, *isa};
}

Target default_target() {
  std::string error;
  auto target = parse_target(kDefaultPolicy, &error);
  if (!target) throw std::logic_error(error);
  return *target;
}

}  // namespace irlint
