#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "op.hpp"

namespace irlint {

/// Instruction set a target's kernels are compiled for, in dispatch order.
enum class Isa : uint8_t { sse41, avx2, avx512, avx512_vnni, amx };
/// Memory layout of an activation tensor.
enum class Layout : uint8_t { planar, nhwc, blocked8, blocked16 };
/// Runtime precision of a tensor or a primitive.
enum class Precision : uint8_t { fp32, bf16, fp16, u8, i8, i32, other };
/// Implementation class of a primitive.
enum class Impl : uint8_t { jit, brgconv, gemm, ref, unknown };

std::string_view to_string(Isa isa);
std::string_view to_string(Layout layout);
std::string_view to_string(Precision precision);
std::string_view to_string(Impl impl);
std::optional<Isa> parse_isa(std::string_view text);
/// The layout name OpenVINO's exec graphs print for a 4D tensor (abcd, acdb, aBcd8b, …).
std::string_view exec_graph_name(Layout layout);
bool is_int8(Precision p);

/// Yes, no, or not established: unknown capability is never reported as fine.
enum class Support : uint8_t { no, yes, unknown };

/// A fact with the place it was established.
template <typename T>
struct Fact {
  T value;
  std::string_view source;
};

/// Whether an activation fuses into the convolution before it, for FP32 and INT8 convolutions.
struct ActivationFusion {
  OpKind kind;
  Fact<Support> into_fp32;
  Fact<Support> into_int8;
};

/// What one runtime version does: fusion, layouts and kernel availability, with sources.
struct Policy {
  std::string_view name;  ///< "openvino-2019.3"
  std::string_view description;
  std::span<const Isa> isas;
  std::span<const ActivationFusion> activations;
  /// Elementwise sub-graphs (x*Clamp(x+3,0,6)/6, x*HardSigmoid(x), x*Sigmoid(x)) are turned
  /// into one op by the runtime's transformations before the plugin sees them.
  Fact<bool> fuses_decomposed_hswish;
  Fact<bool> fuses_x_hard_sigmoid;
  Fact<bool> fuses_x_sigmoid;
  /// Per-channel multiply/add (ScaleShift, bias-like Multiply/Add) fuse into INT8 convolution.
  Fact<bool> depthwise_postop_into_int8;
  /// FakeQuantize after a convolution fuses as its output requantization.
  Fact<bool> fake_quantize_postop;
  /// A residual Add fuses as a `sum` post-op into the convolution producing one operand.
  Fact<bool> sum_postop;
  /// FP32 convolution layout by ISA (indexed by Isa); INT8 uses `int8_layout`.
  std::array<Fact<Layout>, 5> fp32_conv_layout;
  Fact<Layout> int8_layout;
  /// INT8 depthwise convolution with a signed input falls back to gemm on these ISAs.
  std::array<Fact<bool>, 5> int8_dw_signed_gemm;
  /// Quantization and dequantization between FP32 and INT8 layers run as Reorders (the 2019
  /// calibration flow) rather than as FakeQuantize nodes or fused post-ops.
  Fact<bool> quantize_in_reorders;
  /// FP32 element-wise and pooling layers take the blocked layout too, rather than following
  /// their input's layout (so an INT8 nhwc tensor is reordered before and after them).
  Fact<bool> fp32_layers_blocked;
  /// HardSigmoid has only a reference implementation.
  Fact<bool> hard_sigmoid_ref;
  /// An INT8 1x1 kernel exists below AVX-512 (exec type `jit_avx2_1x1_I8` rather than
  /// `jit_avx2_I8`).
  Fact<bool> int8_1x1_below_avx512;
  /// INT8 depthwise below AVX-512 runs a dedicated depthwise kernel (`jit_avx2_dw_I8`) rather
  /// than the generic INT8 one (`jit_avx2_I8`).
  Fact<bool> int8_dw_kernel_below_avx512;
  /// Reorder names use MKL-DNN format names (nChw8c) rather than exec-graph ones (aBcd8b).
  Fact<bool> mkldnn_format_names;
  /// Only a Clamp with min 0 (a ReLU to the quantizer) fuses into an INT8 convolution.
  Fact<bool> int8_clamp_needs_zero_min;
  /// Activations fuse into an FP32 FullyConnected/MatMul.
  Fact<bool> fp32_fc_activation_fusion;
  /// SoftMax runs reference code (`ref_any_FP32`).
  Fact<bool> softmax_ref;
  /// How many times slower the INT8 gemm convolution fallback runs than the JIT INT8 depthwise
  /// kernel of the same ISA (the cost model's rate for it).
  Fact<double> gemm_int8_slowdown;
  /// Exec types are spelled like OpenVINO's (jit_avx2_1x1_I8) rather than oneDNN's.
  Fact<bool> openvino_exec_names;
  /// FP32 depthwise convolution: brdgmm (AVX-512) takes no dilation, and the JIT depthwise
  /// kernel refuses padding wider than its width unroll (6 AVX-512, 4 AVX2, 3 SSE4.1 columns),
  /// which leaves the gemm fallback in plain nchw. Unset (false) where not established.
  Fact<bool> fp32_dw_pad_limit = {false, ""};
  /// SoftMax runs JIT code only when its axis is dense: stride 1 in a plain layout, or the
  /// innermost block of vector-length/4 channels in a blocked one; else reference code.
  /// Unset (false) where not established.
  Fact<bool> softmax_jit_needs_dense_axis = {false, ""};
  /// On AMX, INT8 convolution and matmul try the AMX kernels first (brgconv, then the AMX jit
  /// convolution; brgemm matmul), each with its own refusals (few input channels, padding as
  /// wide as the kernel, dilation, a short reduction, small matrices) that leave the VNNI
  /// kernels; FP32, depthwise and pooling keep their AVX-512 kernels. Unset (false) where not
  /// established.
  Fact<bool> amx_int8_kernels = {false, ""};
};

/// A runtime policy on one ISA: what the planner predicts for.
struct Target {
  const Policy* policy = nullptr;
  Isa isa = Isa::avx2;
  std::string name() const;
};

/// Every known policy, oldest first.
std::span<const Policy> all_policies();
/// Parses "openvino-2019.3:avx2" (the ISA may be "native"); nullopt with `error` set on failure.
std::optional<Target> parse_target(std::string_view text, std::string* error);
/// The default target: the newest policy on this CPU's ISA.
Target default_target();
/// The best ISA of the CPU running irlint.
Isa native_isa();

}  // namespace irlint
