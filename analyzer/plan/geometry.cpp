#include "plan/geometry.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "plan/state.hpp"

namespace irlint::planning {

size_t rank(const Layer& layer) {
  return layer.outputs.empty() ? 0 : layer.outputs.front().dims.size();
}

int64_t channels(const Port& port) {
  return port.dims.size() >= 2 && port.dims[1].is_static() ? port.dims[1].min : -1;
}

/// Why oneDNN's FP32 JIT depthwise kernel refuses a 2D depthwise convolution on `isa`: its
/// padding is wider than the kernel's width unroll (Policy::fp32_dw_pad_limit); empty if not.
std::string dw_pad_beyond_unroll(const Layer& layer, Isa isa) {
  if (layer.inputs.size() < 2 || layer.outputs.empty()) return {};
  const Shape& in = layer.inputs[0].dims;
  const Shape& out = layer.outputs[0].dims;
  const Shape& w = layer.inputs[1].dims;
  if (in.size() != 4 || out.size() != 4 || w.size() < 2 || !in[1].is_static() ||
      !in[3].is_static() || !out[3].is_static() || !w.back().is_static()) {
    return {};
  }
  auto at = [&](std::string_view key, size_t i, int64_t fallback) {
    auto v = layer.int_list(key);
    return v && v->size() > i ? (*v)[i] : fallback;
  };
  int64_t iw = in[3].min, ow = out[3].min, kw = w.back().min, c = in[1].min;
  int64_t stride = at("strides", 1, 1), dilation = at("dilations", 1, 1);
  int64_t l_pad = at("pads_begin", 1, 0);
  constexpr int64_t kSane = int64_t{1} << 24;  // beyond: malformed, and products could overflow
  for (int64_t value : {iw, ow, kw, c, stride, dilation, l_pad + 1}) {
    if (value < 1 || value > kSane) return {};
  }
  int64_t ext_kw = (kw - 1) * dilation + 1;
  std::string_view auto_pad = layer.attr("auto_pad");
  int64_t total = std::max<int64_t>(0, (ow - 1) * stride + ext_kw - iw);
  if (auto_pad == "valid") l_pad = 0;
  if (auto_pad == "same_upper") l_pad = total / 2;
  if (auto_pad == "same_lower") l_pad = total - total / 2;
  bool avx512 = isa >= Isa::avx512;
  // brdgmm_dw, AVX-512's first choice, takes any padding but no dilation.
  if (avx512 && dilation == 1 && at("dilations", 0, 1) == 1) return {};
  int64_t ur_w = std::min<int64_t>(avx512 ? 6 : isa == Isa::avx2 ? 4 : 3, ow);
  if (avx512 && (c * iw * 4) % 1024 == 0) ur_w = std::min<int64_t>(ur_w, ow > 7 ? 7 : 4);
  if (ur_w <= 0) return {};
  int64_t r_pad_no_tail = std::max<int64_t>(0, (ow - ow % ur_w - 1) * stride + ext_kw - iw - l_pad);
  if (l_pad <= ur_w && r_pad_no_tail <= ur_w) return {};
  return fmt::format(
      "padding {} is wider than the {}-column unroll of the JIT depthwise kernel{}, so oneDNN "
      "falls back to gemm in nchw",
      std::max(l_pad, r_pad_no_tail), ur_w, avx512 ? " (brdgmm takes no dilation)" : "");
}

/// Whether a convolution's kernel is 1x1: the last two dims of its weights port, or for a legacy
/// (v3–v7) layer, whose weights are <blobs> rather than an input, its `kernel` attribute.
bool kernel_1x1(const Layer& layer) {
  if (layer.inputs.size() > 1) {
    const Shape& k = layer.inputs[1].dims;
    return k.size() >= 2 && k[k.size() - 1] == Dim{1, 1} && k[k.size() - 2] == Dim{1, 1};
  }
  if (auto k = layer.int_list("kernel"); k && k->size() >= 2) {
    return std::all_of(k->begin(), k->end(), [](int64_t x) { return x == 1; });
  }
  return layer.attr("kernel-x") == "1" && layer.attr("kernel-y") == "1";
}

/// Whether oneDNN's JIT 1x1 kernels (below brgconv) take a 1x1 convolution's strides: unit
/// strides, or "reduce to unit stride" (oneDNN 2.6 cpu_reducer/rtus_prepare: no padding and
/// out * stride == in in every spatial dim); else the generic kernel runs (measured:
/// face-detection-retail-0004 fire5/squeeze1x1, 75 -> 38 stride 2, jit_uni_int8:avx2).
bool unit_stride_reducible(const Layer& layer) {
  auto strides = layer.int_list("strides");
  if (!strides || std::all_of(strides->begin(), strides->end(), [](int64_t x) { return x == 1; }))
    return true;
  auto pads = layer.int_list("pads_begin");
  if (pads && std::any_of(pads->begin(), pads->end(), [](int64_t x) { return x != 0; }))
    return false;
  if (layer.inputs.empty() || layer.outputs.empty()) return true;
  const Shape& in = layer.inputs[0].dims;
  const Shape& out = layer.outputs[0].dims;
  if (in.size() != out.size() || in.size() != strides->size() + 2) return true;
  for (size_t i = 0; i < strides->size(); ++i) {
    if (!in[i + 2].is_static() || !out[i + 2].is_static()) return true;
    if (out[i + 2].min * (*strides)[i] != in[i + 2].min) return false;
  }
  return true;
}

/// The geometry of a 2D convolution with static shapes (weights from the second input port, or
/// for legacy IR the `kernel` and `group` attributes); nullopt otherwise.
std::optional<ConvShape> conv_shape(const Layer& layer) {
  if (layer.inputs.empty() || layer.outputs.empty()) return std::nullopt;
  const Shape& in = layer.inputs[0].dims;
  const Shape& out = layer.outputs[0].dims;
  if (in.size() != 4 || out.size() != 4) return std::nullopt;
  for (const Shape* s : {&in, &out}) {
    for (const Dim& d : *s) {
      if (!d.is_static()) return std::nullopt;
    }
  }
  ConvShape c;
  if (layer.inputs.size() > 1) {
    const Shape& w = layer.inputs[1].dims;
    if ((w.size() != 4 && w.size() != 5) || !w[w.size() - 1].is_static() ||
        !w[w.size() - 2].is_static() || (w.size() == 5 && !w[0].is_static())) {
      return std::nullopt;
    }
    c.kh = w[w.size() - 2].min;
    c.kw = w[w.size() - 1].min;
    if (w.size() == 5) c.groups = w[0].min;
  } else {
    auto k = layer.int_list("kernel");
    if (!k || k->size() != 2) return std::nullopt;
    c.kh = (*k)[0];
    c.kw = (*k)[1];
    if (layer.has_attr("group"))
      c.groups = static_cast<int64_t>(parse_double(layer.attr("group"), 0));
  }
  constexpr int64_t kSane = int64_t{1} << 24;  // beyond: malformed, and products could overflow
  auto at = [&](std::string_view key, size_t i, int64_t fallback) {
    auto v = layer.int_list(key);
    return v && v->size() > i ? (*v)[i] : fallback;
  };
  int64_t stride_h = at("strides", 0, 1), stride_w = at("strides", 1, 1);
  c.dilate_h = at("dilations", 0, 1) - 1;
  c.dilate_w = at("dilations", 1, 1) - 1;
  c.t_pad = at("pads_begin", 0, 0);
  c.l_pad = at("pads_begin", 1, 0);
  c.ih = in[2].min;
  c.iw = in[3].min;
  c.oh = out[2].min;
  c.ow = out[3].min;
  for (int64_t v : {c.kh, c.kw, c.groups, stride_h, stride_w, c.dilate_h + 1, c.dilate_w + 1,
                    c.t_pad + 1, c.l_pad + 1, c.ih, c.iw, c.oh, c.ow, in[1].min, out[1].min}) {
    if (v < 1 || v > kSane) return std::nullopt;
  }
  if (in[1].min % c.groups != 0 || out[1].min % c.groups != 0) return std::nullopt;
  c.ic = in[1].min / c.groups;
  c.oc = out[1].min / c.groups;
  std::string_view auto_pad = layer.attr("auto_pad");
  auto begin = [&](int64_t i, int64_t o, int64_t s, int64_t ext_k, int64_t given) -> int64_t {
    int64_t total = std::max<int64_t>(0, (o - 1) * s + ext_k - i);
    if (auto_pad == "valid") return 0;
    if (auto_pad == "same_upper") return total / 2;
    if (auto_pad == "same_lower") return total - total / 2;
    return given;
  };
  c.t_pad = begin(c.ih, c.oh, stride_h, c.ext_kh(), c.t_pad);
  c.l_pad = begin(c.iw, c.ow, stride_w, c.ext_kw(), c.l_pad);
  c.b_pad = (c.oh - 1) * stride_h + c.ext_kh() - c.ih - c.t_pad;
  c.r_pad = (c.ow - 1) * stride_w + c.ext_kw() - c.iw - c.l_pad;
  return c;
}

/// Why oneDNN's JIT softmax refuses `layer` with its input in `layout` on `isa`: the axis is not
/// dense (Policy::softmax_jit_needs_dense_axis); empty if it takes it or the shape is not static.
std::string softmax_axis_not_dense(const Layer& layer, Layout layout, Isa isa) {
  if (layer.inputs.empty() || layer.inputs[0].dims.empty()) return {};
  const Shape& d = layer.inputs[0].dims;
  auto r = static_cast<int64_t>(d.size());
  if (std::any_of(d.begin(), d.end(), [](const Dim& x) { return !x.is_static(); })) return {};
  auto axis = static_cast<int64_t>(parse_double(layer.attr("axis"), 1));
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) return {};
  bool four_d = r == 4;
  if (four_d && (layout == Layout::blocked8 || layout == Layout::blocked16)) {
    int64_t block = layout == Layout::blocked8 ? 8 : 16;
    int64_t vector_floats = isa >= Isa::avx512 ? 16 : isa == Isa::avx2 ? 8 : 4;
    if (axis == 1 && block == vector_floats) return {};
    return fmt::format("the axis {} is not the {}-float vector block of {}", axis, vector_floats,
                       to_string(layout));
  }
  // Plain or nhwc: the axis must have stride 1.
  std::vector<int64_t> order;
  for (int64_t i = 0; i < r; ++i) order.push_back(i);
  if (four_d && layout == Layout::nhwc) order = {0, 2, 3, 1};
  int64_t stride = 1;
  auto at = std::find(order.begin(), order.end(), axis);
  for (auto it = at + 1; it != order.end() && stride < (int64_t{1} << 40); ++it) {
    stride *= std::max<int64_t>(d[static_cast<size_t>(*it)].min, 1);
  }
  if (stride == 1) return {};
  return fmt::format("the axis {} has stride {} in {}, and the JIT kernel wants stride 1", axis,
                     stride, four_d ? to_string(layout) : "a plain layout");
}

/// Two layouts of a producer's output that put the bytes in the same order: any two when the
/// spatial size is 1 and the channels fill whole blocks.
bool same_memory(Layout a, Layout b, const Layer& producer) {
  if (producer.outputs.empty() || producer.outputs.front().dims.size() != 4) return false;
  const Shape& d = producer.outputs.front().dims;
  if (!d[1].is_static() || !d[2].is_static() || !d[3].is_static() || d[2].min * d[3].min != 1) {
    return false;
  }
  auto whole_blocks = [&](Layout l) {
    int64_t block = l == Layout::blocked8 ? 8 : l == Layout::blocked16 ? 16 : 1;
    return d[1].min % block == 0;
  };
  return whole_blocks(a) && whole_blocks(b);
}

}  // namespace irlint::planning
