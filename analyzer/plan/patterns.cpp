// The written forms of h-swish, h-sigmoid, swish and GELU, one pattern each, with the constants
// OpenVINO's matchers check (src/common/transformations/src/transformations/
// common_optimizations/*_fusion.cpp). To add a form, add one entry here and its test graph.
#include <cmath>
#include <numbers>

#include "plan/pattern.hpp"

namespace irlint::planning {
namespace {

using K = OpKind;

constexpr Bounds kRelu6{0, 6};
constexpr float kSixth = 1.0f / 6.0f;
constexpr float kSqrt2 = std::numbers::sqrt2_v<float>;
// OpenVINO compares 1/6 within 0.0001, sqrt(2) within 0.001 and sqrt(2/pi) within 0.01.
constexpr ConstOperand kPlus3 = constant(3);
constexpr ConstOperand kTimesSixth = constant(kSixth, 1e-4f);
constexpr ConstOperand kBySix = constant(6);

constexpr std::string_view kHSwishFusion = "hswish_fusion.cpp";
constexpr std::string_view kHSigmoidFusion = "hsigmoid_fusion.cpp";
constexpr std::string_view kSwishFusion = "swish_fusion.cpp";
constexpr std::string_view kGeluFusion = "gelu_fusion.cpp";

/// x + 3, read by one layer.
constexpr Step plus3() { return {.kind = K::add, .constant = kPlus3, .single_use = true}; }
/// Clamp(step, 0, 6), read by one layer.
constexpr Step clamp06(int8_t input) {
  return {.kind = K::clamp, .input = input, .clamp = kRelu6, .single_use = true};
}
/// step * x.
constexpr Step times_x(int8_t input, bool single_use = false) {
  return {.kind = K::multiply, .input = input, .with = kX, .single_use = single_use};
}
/// step * c or step / c.
constexpr Step scale(OpKind kind, int8_t input, ConstOperand c, bool single_use = false) {
  return {.kind = kind, .input = input, .constant = c, .single_use = single_use};
}
/// ReLU(step) then Minimum(·, 6), each read by one layer.
constexpr Step relu(int8_t input) { return {.kind = K::relu, .input = input, .single_use = true}; }
constexpr Step min6(int8_t input) {
  return {.kind = K::other_eltwise,
          .type = "Minimum",
          .input = input,
          .constant = constant(6),
          .single_use = true};
}
/// A one-input op of a kind that gathers several, named by its type.
constexpr Step unary(OpKind kind, std::string_view type, int8_t input) {
  return {.kind = kind, .type = type, .input = input, .single_use = true};
}

constexpr auto kHSwishGate = &Policy::fuses_decomposed_hswish;
constexpr auto kSwishGate = &Policy::fuses_x_sigmoid;

constexpr Pattern kPatterns[] = {
    // h-swish: x * HSigmoid(x), x * HardSigmoid(x) (no runtime matches it before oneDNN's own
    // post-op; its alpha and beta are not checked), and the Clamp and ReLU/Minimum forms.
    {"hswish-x-hsigmoid",
     K::hswish,
     {{{.kind = K::hsigmoid}, times_x(0)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    {"hswish-x-hard-sigmoid",
     K::hswish,
     {{{.kind = K::hard_sigmoid}, times_x(0)}},
     false,
     &Policy::fuses_x_hard_sigmoid,
     "Policy::fuses_x_hard_sigmoid"},
    {"hswish-clamp-mul-div",
     K::hswish,
     {{plus3(), clamp06(0), times_x(1, true), scale(K::divide, 2, kBySix)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    {"hswish-clamp-mul-mul",
     K::hswish,
     {{plus3(), clamp06(0), times_x(1, true), scale(K::multiply, 2, kTimesSixth)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    {"hswish-clamp-div-mul",
     K::hswish,
     {{plus3(), clamp06(0), scale(K::divide, 1, kBySix, true), times_x(2)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    {"hswish-clamp-mul-mul-x",
     K::hswish,
     {{plus3(), clamp06(0), scale(K::multiply, 1, kTimesSixth, true), times_x(2)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    // HSwishFusionWithClamp: x * Clamp(x + 3, 0, 6), which is 6 * HSwish(x).
    {"hswish-clamp-mul",
     K::hswish,
     {{plus3(), clamp06(0), times_x(1)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    // HSwishFusionWithReluDiv, HSwishFusionWithReluMul.
    {"hswish-relu-min-mul-div",
     K::hswish,
     {{plus3(), relu(0), min6(1), times_x(2, true), scale(K::divide, 3, kBySix)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    {"hswish-relu-min-mul-mul",
     K::hswish,
     {{plus3(), relu(0), min6(1), times_x(2, true), scale(K::multiply, 3, kTimesSixth)}},
     false,
     kHSwishGate,
     kHSwishFusion},
    // h-sigmoid, when x has no other reader (else it may be the start of an h-swish):
    // HSigmoidFusionWithClampDiv, ...WithClampMul, ...WithReluDiv, ...WithReluMul,
    // ...WithoutRelu.
    {"hsigmoid-clamp-div",
     K::hsigmoid,
     {{plus3(), clamp06(0), scale(K::divide, 1, kBySix)}},
     true,
     kHSwishGate,
     kHSigmoidFusion},
    {"hsigmoid-clamp-mul",
     K::hsigmoid,
     {{plus3(), clamp06(0), scale(K::multiply, 1, kTimesSixth)}},
     true,
     kHSwishGate,
     kHSigmoidFusion},
    {"hsigmoid-relu-min-div",
     K::hsigmoid,
     {{plus3(), relu(0), min6(1), scale(K::divide, 2, kBySix)}},
     true,
     kHSwishGate,
     kHSigmoidFusion},
    {"hsigmoid-relu-min-mul",
     K::hsigmoid,
     {{plus3(), relu(0), min6(1), scale(K::multiply, 2, kTimesSixth)}},
     true,
     kHSwishGate,
     kHSigmoidFusion},
    {"hsigmoid-max-min-div",
     K::hsigmoid,
     {{plus3(),
       {.kind = K::other_eltwise,
        .type = "Maximum",
        .input = 0,
        .constant = constant(0),
        .single_use = true},
       min6(1),
       scale(K::divide, 2, kBySix)}},
     true,
     kHSwishGate,
     kHSigmoidFusion},
    // swish: SwishFusionWithSigmoid, ...WithSigmoidWithBeta, ...WithBeta, ...WithoutBeta.
    {"swish-x-sigmoid",
     K::swish,
     {{{.kind = K::sigmoid}, times_x(0)}},
     false,
     kSwishGate,
     kSwishFusion},
    {"swish-x-sigmoid-beta",
     K::swish,
     {{scale(K::multiply, kX, any_constant(), true), {.kind = K::sigmoid, .input = 0}, times_x(1)}},
     false,
     kSwishGate,
     kSwishFusion},
    {"swish-exp-beta",
     K::swish,
     {{scale(K::multiply, kX, any_constant(), true),
       unary(K::other_activation, "Negative", 0),
       unary(K::other_activation, "Exp", 1),
       scale(K::add, 2, constant(1), true),
       {.kind = K::divide, .input = 3, .with = kX}}},
     false,
     kSwishGate,
     kSwishFusion},
    {"swish-exp",
     K::swish,
     {{unary(K::other_activation, "Negative", kX),
       unary(K::other_activation, "Exp", 0),
       scale(K::add, 1, constant(1), true),
       {.kind = K::divide, .input = 2, .with = kX}}},
     false,
     kSwishGate,
     kSwishFusion},
    // GELU: GeluFusionWithErfOne .. Four, GeluFusionWithTanh. No Policy fact says which
    // runtimes run GeluFusion, so the planner does not use them yet (gate null).
    {"gelu-erf-1",
     K::gelu,
     {{scale(K::multiply, kX, constant(0.5f), true),
       scale(K::divide, kX, constant(kSqrt2, 1e-3f), true),
       unary(K::other_activation, "Erf", 1),
       scale(K::add, 2, constant(1), true),
       {.kind = K::multiply, .input = 3, .with = 0}}},
     false,
     nullptr,
     kGeluFusion},
    {"gelu-erf-2",
     K::gelu,
     {{scale(K::divide, kX, constant(kSqrt2, 1e-3f), true), unary(K::other_activation, "Erf", 0),
       scale(K::add, 1, constant(1), true), times_x(2, true),
       scale(K::multiply, 3, constant(0.5f))}},
     false,
     nullptr,
     kGeluFusion},
    {"gelu-erf-3",
     K::gelu,
     {{scale(K::divide, kX, constant(kSqrt2, 1e-3f), true), unary(K::other_activation, "Erf", 0),
       scale(K::add, 1, constant(1), true), scale(K::multiply, 2, constant(0.5f), true),
       times_x(3)}},
     false,
     nullptr,
     kGeluFusion},
    {"gelu-erf-4",
     K::gelu,
     {{scale(K::multiply, kX, constant(1 / kSqrt2, 1e-3f), true),
       unary(K::other_activation, "Erf", 0), scale(K::multiply, 1, constant(0.5f), true),
       scale(K::add, 2, constant(0.5f), true), times_x(3)}},
     false,
     nullptr,
     kGeluFusion},
    {"gelu-tanh",
     K::gelu,
     {{{.kind = K::other_eltwise, .type = "Power", .constant = constant(3), .single_use = true},
       scale(K::multiply, 0, constant(0.044715f, 1e-3f), true),
       {.kind = K::add, .input = 1, .with = kX, .single_use = true},
       scale(K::multiply, 2, constant(0.7978846f, 1e-2f), true),
       unary(K::tanh, {}, 3),
       scale(K::add, 4, constant(1), true),
       scale(K::multiply, 5, constant(0.5f), true),
       times_x(6)}},
     false,
     nullptr,
     kGeluFusion},
};

}  // namespace

std::span<const Pattern> activation_patterns() { return kPatterns; }

}  // namespace irlint::planning
