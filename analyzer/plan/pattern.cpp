#include "plan/pattern.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace irlint::planning {
namespace {

/// A legacy Power, (shift + scale * x) ^ power, read as the Add or Multiply of a step.
bool legacy_power_matches(const Layer& layer, const Step& step) {
  if (step.with != kNoValue || !step.constant) return false;
  if (parse_double(layer.attr("power"), 1) != 1) return false;
  double value;
  if (step.kind == OpKind::add) {
    if (!layer.has_attr("shift")) return false;
    value = parse_double(layer.attr("shift"), 0);
  } else if (step.kind == OpKind::multiply) {
    value = parse_double(layer.attr("scale"), 1);
  } else {
    return false;
  }
  return step.constant->tolerance < 0 ||
         std::abs(value - step.constant->value) <= step.constant->tolerance;
}

/// Whether every value of the constant operand of `v` is as `expected` (unreadable: yes).
bool constant_matches(PlanState& s, Vertex v, const ConstOperand& expected) {
  if (expected.tolerance < 0) return true;
  auto values = s.const_values(*s.const_input(v));
  if (!values) return true;
  return !values->empty() && std::all_of(values->begin(), values->end(), [&](float x) {
    return std::abs(x - expected.value) <= expected.tolerance;
  });
}

/// The state of one match: the layers bound to the steps so far.
struct Match {
  PlanState& s;
  std::span<const Step> steps;
  Vertex x;
  std::array<Vertex, kMaxSteps> bound{};  ///< the layers of steps [0, size)
  size_t size = 0;

  Vertex value(int8_t ref) const { return ref == kX ? x : bound[static_cast<size_t>(ref)]; }
  std::span<const Vertex> layers() const { return {bound.data(), size}; }

  /// Whether `v` reads exactly the step's two values, in either order.
  bool reads_both(Vertex v, const Step& step) const {
    auto a = s.data_input(v, 0);
    auto b = s.data_input(v, 1);
    if (!a || !b) return false;
    Vertex in = value(step.input), with = value(step.with);
    return (*a == in && *b == with) || (*a == with && *b == in);
  }

  bool step_matches(const Step& step, Vertex v) {
    const Layer& layer = s.g[v];
    if (std::ranges::find(layers(), v) != layers().end() || s.constant(v)) return false;
    if (step.single_use && s.consumer_count(v) != 1) return false;
    if (s.kind[v] == OpKind::power) return legacy_power_matches(layer, step);
    if (s.kind[v] != step.kind || (!step.type.empty() && layer.type != step.type)) return false;
    if (step.with != kNoValue && !reads_both(v, step)) return false;
    if (step.constant && !s.const_input(v)) return false;
    if (step.clamp && (parse_double(layer.attr("min"), -1) != step.clamp->min ||
                       parse_double(layer.attr("max"), -1) != step.clamp->max)) {
      return false;
    }
    return true;
  }

  /// Whether the bound layers' constants hold the values: read last, once the layers are
  /// found, since reading means going to the weights file.
  bool constants_match() {
    for (size_t i = 0; i < steps.size(); ++i) {
      if (!steps[i].constant || s.kind[bound[i]] == OpKind::power) continue;
      if (!constant_matches(s, bound[i], *steps[i].constant)) return false;
    }
    return true;
  }

  /// Binds steps from `i` on, trying each consumer of the value the step reads.
  bool bind_from(size_t i, Vertex anchor) {
    if (i == steps.size()) return constants_match();
    const Step& step = steps[i];
    auto try_candidate = [&](Vertex v) {
      if (!step_matches(step, v)) return false;
      bound[size++] = v;
      if (bind_from(i + 1, anchor)) return true;
      --size;
      return false;
    };
    if (i == 0) return try_candidate(anchor);
    for (auto [it, end] = boost::out_edges(value(step.input), s.g); it != end; ++it) {
      if (try_candidate(boost::target(*it, s.g))) return true;
    }
    return false;
  }
};

}  // namespace

std::optional<std::vector<Vertex>> match_pattern(PlanState& state, const Pattern& pattern, Vertex x,
                                                 Vertex anchor) {
  if (pattern.x_single_use && state.consumer_count(x) != 1) return std::nullopt;
  Match m{state, pattern.used(), x};
  if (!m.bind_from(0, anchor)) return std::nullopt;
  return std::vector<Vertex>(m.layers().begin(), m.layers().end());
}

}  // namespace irlint::planning
