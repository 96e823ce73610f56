#include "op.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "text.hpp"

namespace irlint {
namespace {

struct Name {
  std::string_view type;
  OpKind kind;
};

// IR v10/v11 opset names and legacy (v3-v7) CNNLayer names; legacy types whose meaning
// depends on attributes are resolved in op_kind().
constexpr auto kNames = std::to_array<Name>({
    {"Parameter", OpKind::parameter},
    {"Input", OpKind::parameter},
    {"Result", OpKind::result},
    {"Output", OpKind::result},
    {"Const", OpKind::constant},
    {"Convolution", OpKind::convolution},
    {"GroupConvolution", OpKind::group_convolution},
    {"ConvolutionBackpropData", OpKind::deconvolution},
    {"GroupConvolutionBackpropData", OpKind::deconvolution},
    {"Deconvolution", OpKind::deconvolution},
    {"MatMul", OpKind::matmul},
    {"FullyConnected", OpKind::matmul},
    {"Gemm", OpKind::matmul},
    {"ReLU", OpKind::relu},
    {"Relu", OpKind::relu},
    {"PReLU", OpKind::prelu},
    {"Clamp", OpKind::clamp},
    {"ReLU6", OpKind::clamp},
    {"Sigmoid", OpKind::sigmoid},
    {"Tanh", OpKind::tanh},
    {"TanH", OpKind::tanh},
    {"Elu", OpKind::elu},
    {"ELU", OpKind::elu},
    {"HSwish", OpKind::hswish},
    {"HSigmoid", OpKind::hsigmoid},
    {"HardSigmoid", OpKind::hard_sigmoid},
    {"Swish", OpKind::swish},
    {"Mish", OpKind::mish},
    {"Gelu", OpKind::gelu},
    {"Exp", OpKind::other_activation},
    {"Abs", OpKind::other_activation},
    {"Sqrt", OpKind::other_activation},
    {"SoftPlus", OpKind::other_activation},
    {"Log", OpKind::other_activation},
    {"Floor", OpKind::other_activation},
    {"Negative", OpKind::other_activation},
    {"Erf", OpKind::other_activation},
    {"Round", OpKind::other_activation},
    {"Add", OpKind::add},
    {"Multiply", OpKind::multiply},
    {"Subtract", OpKind::subtract},
    {"Divide", OpKind::divide},
    {"Maximum", OpKind::other_eltwise},
    {"Minimum", OpKind::other_eltwise},
    {"SquaredDifference", OpKind::other_eltwise},
    {"ScaleShift", OpKind::scale_shift},
    {"Power", OpKind::power},
    {"MaxPool", OpKind::max_pool},
    {"AvgPool", OpKind::avg_pool},
    {"ReduceMean", OpKind::reduce_mean},
    {"FakeQuantize", OpKind::fake_quantize},
    {"Quantize", OpKind::fake_quantize},
    {"Convert", OpKind::convert},
    {"Concat", OpKind::concat},
    {"SoftMax", OpKind::softmax},
    {"LRN", OpKind::lrn},
    {"Norm", OpKind::lrn},
    {"Softmax", OpKind::softmax},
    {"Reshape", OpKind::reshape},
    {"Squeeze", OpKind::reshape},
    {"Unsqueeze", OpKind::reshape},
    {"Flatten", OpKind::reshape},
    {"Transpose", OpKind::transpose},
    {"Permute", OpKind::transpose},
    {"DetectionOutput", OpKind::detection},
    {"PriorBox", OpKind::detection},
    {"PriorBoxClustered", OpKind::detection},
    {"Proposal", OpKind::detection},
    {"NonMaxSuppression", OpKind::detection},
    {"ROIPooling", OpKind::detection},
    {"PSROIPooling", OpKind::detection},
});

constexpr auto kKindNames = std::to_array<std::string_view>({
    "parameter",
    "result",
    "constant",
    "convolution",
    "group_convolution",
    "deconvolution",
    "matmul",
    "relu",
    "leaky_relu",
    "prelu",
    "clamp",
    "sigmoid",
    "tanh",
    "elu",
    "hswish",
    "hsigmoid",
    "hard_sigmoid",
    "swish",
    "mish",
    "gelu",
    "other_activation",
    "add",
    "multiply",
    "subtract",
    "divide",
    "other_eltwise",
    "scale_shift",
    "power",
    "max_pool",
    "avg_pool",
    "reduce_mean",
    "fake_quantize",
    "convert",
    "concat",
    "softmax",
    "lrn",
    "reshape",
    "transpose",
    "detection",
    "other",
});
static_assert(kKindNames.size() == static_cast<size_t>(OpKind::other) + 1);

std::string_view trim_value(std::string_view text) { return drop_plus(trim(text, " ")); }

/// True when `text` is a number other than zero ("0", "0.0", "0.000000", "-0" are zero); a
/// malformed value counts as non-zero, as it cannot be shown to be zero.
bool nonzero(std::string_view text) {
  text = trim_value(text);
  auto value = parse_number<double>(text);
  return value ? *value != 0 : !text.empty();
}

OpKind legacy_kind(const Layer& layer) {
  std::string_view type = layer.type;
  if (type == "Convolution") {
    auto group = trim_value(layer.attr("group"));
    return !group.empty() && group != "1" ? OpKind::group_convolution : OpKind::convolution;
  }
  if (type == "ReLU") {
    return nonzero(layer.attr("negative_slope")) ? OpKind::leaky_relu : OpKind::relu;
  }
  if (type == "Eltwise") {
    auto op = layer.attr("operation");
    if (op.empty() || op == "sum") return OpKind::add;
    if (op == "mul" || op == "prod") return OpKind::multiply;
    if (op == "sub") return OpKind::subtract;
    if (op == "div") return OpKind::divide;
    return OpKind::other_eltwise;
  }
  if (type == "Activation") {
    auto fn = layer.attr("type");
    if (fn == "sigmoid") return OpKind::sigmoid;
    if (fn == "tanh") return OpKind::tanh;
    if (fn == "elu") return OpKind::elu;
    if (fn == "relu6") return OpKind::clamp;
    if (fn == "hswish") return OpKind::hswish;
    if (fn == "relu") return OpKind::relu;
    return OpKind::other_activation;
  }
  if (type == "Pooling") {
    return layer.attr("pool-method") == "avg" ? OpKind::avg_pool : OpKind::max_pool;
  }
  return OpKind::other;
}

}  // namespace

std::string_view to_string(OpKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

OpKind op_kind(const Layer& layer) {
  bool legacy_ir = layer.version.empty();
  if (legacy_ir) {
    OpKind kind = legacy_kind(layer);
    if (kind != OpKind::other) return kind;
  }
  // Opset Power (v10+) raises one tensor to the power of another: element-wise arithmetic,
  // not the legacy (shift + scale * x) ^ power layer.
  if (!legacy_ir && layer.type == "Power") return OpKind::other_eltwise;
  for (const Name& n : kNames) {
    if (n.type == layer.type) return n.kind;
  }
  return OpKind::other;
}

bool is_activation(OpKind kind) { return kind >= OpKind::relu && kind <= OpKind::other_activation; }

bool is_eltwise(OpKind kind) { return kind >= OpKind::add && kind <= OpKind::other_eltwise; }

bool is_passive(OpKind kind) {
  return kind == OpKind::parameter || kind == OpKind::result || kind == OpKind::constant ||
         kind == OpKind::reshape;
}

}  // namespace irlint
