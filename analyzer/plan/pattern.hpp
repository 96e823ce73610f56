#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "plan/state.hpp"

// Declarative fusion patterns: an element-wise sub-graph the runtime's transformations turn
// into one activation op, written as data and matched by one small matcher.
namespace irlint::planning {

/// A value a step reads: the pattern's input `x`, or the output of an earlier step (its index).
constexpr int8_t kX = -1;
/// No second value.
constexpr int8_t kNoValue = -2;

/// A constant operand a step must have: `value` within `tolerance`, or any value.
struct ConstOperand {
  float value = 0;
  float tolerance = -1;  ///< below 0: any value
};

/// Any constant: the step only needs one.
constexpr ConstOperand any_constant() { return {}; }
/// A constant equal to `value` within `tolerance` in every element.
constexpr ConstOperand constant(float value, float tolerance = 1e-6f) { return {value, tolerance}; }

/// Clamp bounds a step must have.
struct Bounds {
  double min = 0, max = 0;
};

/// One layer of a pattern: its kind, the values it reads and its constant operand. A legacy
/// Power layer matches an Add or Multiply step with a constant, its shift or scale the constant.
struct Step {
  OpKind kind = OpKind::other;
  std::string_view type = {};  ///< the layer type too, for kinds that gather several (Minimum)
  int8_t input = kX;           ///< the value it reads
  int8_t with = kNoValue;      ///< the other value it reads (x * s(x)); both in either order
  std::optional<ConstOperand> constant = std::nullopt;
  std::optional<Bounds> clamp = std::nullopt;  ///< Clamp's min and max attributes
  bool single_use = false;                     ///< its output has no other consumer (it fuses away)
};

/// The most steps a pattern has.
constexpr size_t kMaxSteps = 8;

/// One written form of an activation: the layers from `x` to the activation's output, in order
/// (the first reads `x`, the last is the output).
struct Pattern {
  std::string_view name;              ///< "hswish-clamp-mul-div"
  OpKind result;                      ///< the activation it forms
  std::array<Step, kMaxSteps> steps;  ///< ended by the first step of kind `other`
  bool x_single_use = false;          ///< `x` has no other consumer
  Fact<bool> Policy::*gate;           ///< whether the runtime fuses it; null: no fact, not used
  std::string_view source;            ///< the runtime transformation that recognises it
  /// The steps in use.
  std::span<const Step> used() const {
    size_t n = 0;
    while (n < steps.size() && steps[n].kind != OpKind::other) ++n;
    return {steps.data(), n};
  }
};

/// Every form, in the order they are tried (a longer form before its prefix).
std::span<const Pattern> activation_patterns();

/// The layers of `pattern` found reading `x` with `anchor` (a consumer of `x`) as its first step,
/// in step order; nullopt when it does not match. A constant whose values cannot be read (no
/// weights file, too large, computed) is taken to match, as the planner did before it read them.
std::optional<std::vector<Vertex>> match_pattern(PlanState& state, const Pattern& pattern, Vertex x,
                                                 Vertex anchor);

}  // namespace irlint::planning
