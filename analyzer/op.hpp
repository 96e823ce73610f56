#pragma once

#include <cstdint>
#include <string_view>

#include "ir_model.hpp"

namespace irlint {

/// What a layer does, normalised across IR versions: legacy CNNLayer types (ScaleShift,
/// Eltwise, Power, Activation, Convolution with `group`, …) map to the same kinds as opsets.
enum class OpKind : uint8_t {
  parameter,
  result,
  constant,
  convolution,
  group_convolution,
  deconvolution,
  matmul,  ///< MatMul, FullyConnected, Gemm
  relu,
  leaky_relu,
  prelu,
  clamp,
  sigmoid,
  tanh,
  elu,
  hswish,
  hsigmoid,
  hard_sigmoid,
  swish,
  mish,
  gelu,
  other_activation,  ///< Exp, Abs, Sqrt, SoftPlus, …
  add,
  multiply,
  subtract,
  divide,
  other_eltwise,  ///< Maximum, Minimum, Power with two inputs, …
  scale_shift,    ///< legacy per-channel multiply-add
  power,          ///< legacy Power: (shift + scale * x) ^ power
  max_pool,
  avg_pool,
  reduce_mean,
  fake_quantize,
  convert,
  concat,
  softmax,
  lrn,      ///< LRN / legacy Norm: cross-channel normalisation
  reshape,  ///< Reshape, Squeeze, Unsqueeze, Flatten: data unchanged
  transpose,
  detection,  ///< DetectionOutput, PriorBox, Proposal, NMS, …: run on reference code
  other,
};

std::string_view to_string(OpKind kind);

/// The normalised kind of a layer.
OpKind op_kind(const Layer& layer);

/// True for element-wise activations that take one tensor.
bool is_activation(OpKind kind);
/// True for two-input element-wise arithmetic.
bool is_eltwise(OpKind kind);
/// True for layers that only describe data or shapes and never become a primitive.
bool is_passive(OpKind kind);

}  // namespace irlint
