#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "executor.hpp"

namespace irlint::live::exec {
namespace {

/// input_low, input_high, output_low, output_high, each per tensor or per channel and all of
/// the same size; nullopt with `why` set when they are not readable constants.
std::optional<std::vector<std::vector<float>>> fq_limits(Executor& ex, const NodeRef& n,
                                                         int64_t channels, std::string* why) {
  std::vector<std::vector<float>> limits;
  size_t count = 1;
  for (size_t i = 1; i < 5; ++i) {
    auto read = ex.constant_values(n.node.main, n.layer.inputs[i]);
    if (!read || read->empty()) {
      *why = "the FakeQuantize limits are not readable constants";
      return std::nullopt;
    }
    if (read->size() != 1 && static_cast<int64_t>(read->size()) != channels) {
      *why = "FakeQuantize limits that are neither per tensor nor per channel";
      return std::nullopt;
    }
    count = std::max(count, read->size());
    limits.push_back(std::move(*read));
  }
  for (auto& lim : limits) lim.resize(count, lim.front());
  return limits;
}

/// True to quantize (f32 → INT8), false to dequantize; nullopt with `why` set when the plan
/// does neither here.
std::optional<bool> fq_quantizes(const Executor& ex, const PlanNode& node, std::string* why) {
  if (ex.options().precision_override) return !is_int8(*ex.options().precision_override);
  if (!is_int8(node.in_precision) && is_int8(node.out_precision)) return true;
  if (is_int8(node.in_precision) && !is_int8(node.out_precision)) return false;
  *why = is_int8(node.in_precision) ? "requantization (INT8 in and out) is not run"
                                    : "the plan keeps this FakeQuantize in FP32";
  return std::nullopt;
}

/// The integer side's data type: the plan's, or with a precision override the override (to
/// dequantize) or what the output limits need (to quantize).
dt fq_int_type(const Executor& ex, const PlanNode& node, bool quantize,
               const std::vector<float>& output_low) {
  const auto& override_precision = ex.options().precision_override;
  if (override_precision && !quantize) return precision_dt(*override_precision);
  if (override_precision) {
    bool negative =
        std::any_of(output_low.begin(), output_low.end(), [](float x) { return x < 0; });
    return negative ? dt::s8 : dt::u8;
  }
  return precision_dt(quantize ? node.out_precision : node.in_precision);
}

/// The reorder's output scales (per tensor or per channel) and its one zero point.
struct FqScales {
  std::vector<float> scales;
  int32_t zero_point = 0;
};

std::optional<FqScales> fq_scales(const std::vector<std::vector<float>>& limits, float levels,
                                  dt int_t, bool quantize, std::string* why) {
  float zq = int_t == dt::s8 ? -std::floor(levels / 2) : 0.0f;
  size_t count = limits[0].size();
  FqScales out;
  out.scales.resize(count);
  std::vector<float> zero_points(count);
  for (size_t c = 0; c < count; ++c) {
    float il = limits[0][c], ih = limits[1][c], ol = limits[2][c], oh = limits[3][c];
    if (ih <= il || oh == ol) {
      *why = "an empty FakeQuantize range";
      return std::nullopt;
    }
    if (quantize) {
      out.scales[c] = (levels - 1) / (ih - il);
      zero_points[c] = std::nearbyint(zq - il * out.scales[c]);
    } else {
      out.scales[c] = (oh - ol) / (levels - 1);
      zero_points[c] = std::nearbyint(zq - ol / out.scales[c]);
    }
  }
  if (std::any_of(zero_points.begin(), zero_points.end(),
                  [&](float z) { return z != zero_points.front(); })) {
    *why = "per-channel zero points (a reorder takes one zero point)";
    return std::nullopt;
  }
  out.zero_point = static_cast<int32_t>(zero_points.front());
  return out;
}

/// The levels of a FakeQuantize when they fit 8 bits.
std::optional<float> fq_levels(const Layer& l, std::string* why) {
  auto levels = l.int_list("levels");
  if (!levels || levels->size() != 1 || (*levels)[0] < 2 || (*levels)[0] > 256) {
    *why = fmt::format("levels '{}' does not fit 8 bits", l.attr("levels"));
    return std::nullopt;
  }
  return static_cast<float>((*levels)[0]);
}

/// The values a FakeQuantize reads: around the input range to quantize, the integer range to
/// dequantize.
std::vector<float> fq_input(Executor& ex, const NodeRef& n, const memory::dims& dims,
                            const std::vector<std::vector<float>>& limits, bool quantize,
                            dt int_t) {
  if (quantize) {
    float lo = *std::min_element(limits[0].begin(), limits[0].end());
    float hi = *std::max_element(limits[1].begin(), limits[1].end());
    float margin = (hi - lo) * 0.1f;
    return ex.random_values(dims, n.node.main + 1, lo - margin, hi + margin);
  }
  return ex.random_values(dims, n.node.main + 1, int_t == dt::u8 ? 0.0f : -128.0f,
                          int_t == dt::u8 ? 255.0f : 127.0f);
}

}  // namespace

/// The reorder the runtime makes of a FakeQuantize: quantize (f32 → u8/s8) when the plan
/// quantizes there, dequantize (u8/s8 → f32) when its input is already INT8. The integer value
/// of level q (0 … levels-1) is q, minus levels/2 for s8; scales and zero points come from the
/// input_low/high and output_low/high constants, per tensor or per channel.
void build_fake_quantize(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  if (l.inputs.size() != 5 || l.outputs.empty()) {
    obs.reason = "FakeQuantize needs five inputs";
    return;
  }
  auto dims = static_dims(l.inputs[0].dims);
  if (!dims || dims->empty()) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto levels = fq_levels(l, &obs.reason);
  if (!levels) return;
  auto limits = fq_limits(ex, n, dims->size() >= 2 ? (*dims)[1] : 1, &obs.reason);
  if (!limits) return;
  auto quantize = fq_quantizes(ex, n.node, &obs.reason);
  if (!quantize) return;
  dt int_t = fq_int_type(ex, n.node, *quantize, (*limits)[2]);
  auto q = fq_scales(*limits, *levels, int_t, *quantize, &obs.reason);
  if (!q) return;
  dnnl::primitive_attr attr;
  attr.set_output_scales(q->scales.size() == 1 ? 0 : 1 << 1, q->scales);
  int zp_arg = *quantize ? DNNL_ARG_DST : DNNL_ARG_SRC;
  if (q->zero_point != 0) attr.set_zero_points(zp_arg, 0, {DNNL_RUNTIME_S32_VAL});
  dt src_t = *quantize ? dt::f32 : int_t, dst_t = *quantize ? int_t : dt::f32;
  obs.precision = *quantize ? "fp32" : (int_t == dt::u8 ? "u8" : "i8");
  memory::desc src_md = ex.activation_md(*dims, src_t, n.node.in_layout);
  memory::desc dst_md =
      ex.activation_md(*dims, dst_t, ex.native() ? n.node.in_layout : n.node.out_layout);
  dnnl::reorder::primitive_desc pd(ex.engine(), src_md, ex.engine(), dst_md, attr, true);
  if (!pd) {
    obs.reason = fmt::format("oneDNN has no reorder {} to {} with these scales", dt_name(src_t),
                             dt_name(dst_t));
    return;
  }
  obs.post_ops.push_back(*quantize ? "quantize" : "dequantize");
  Launch launch{.primitive = "reorder",
                .pd = pd,
                .dst_md = dst_md,
                .dst_dims = *dims,
                .dst_arg = DNNL_ARG_TO};
  launch.inputs.push_back({.arg = DNNL_ARG_FROM,
                           .md = src_md,
                           .dims = *dims,
                           .values = fq_input(ex, n, *dims, *limits, *quantize, int_t)});
  if (q->zero_point != 0) {
    memory z(memory::desc({1}, dt::s32, tag::a), ex.engine());
    *static_cast<int32_t*>(z.get_data_handle()) = q->zero_point;
    launch.extra[DNNL_ARG_ATTR_ZERO_POINTS | zp_arg] = z;
  }
  ex.launch(std::move(launch), obs);
}

}  // namespace irlint::live::exec
