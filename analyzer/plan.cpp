#include "plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "text.hpp"
#include "weights.hpp"

namespace irlint {
namespace {

/// The tensor a vertex's output stands for in the execution graph.
struct Tensor {
  int32_t node = -1;
  Precision precision = Precision::fp32;
  Layout layout = Layout::planar;
};

double parse_double(std::string_view text, double fallback) {
  return parse_attribute_number<double>(text).value_or(fallback);
}

size_t rank(const Layer& layer) {
  return layer.outputs.empty() ? 0 : layer.outputs.front().dims.size();
}

int64_t channels(const Port& port) {
  return port.dims.size() >= 2 && port.dims[1].is_static() ? port.dims[1].min : -1;
}

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

/// A 2D convolution's static geometry as oneDNN's init_conf sees it: channels per group,
/// dilation counted from 0, end padding derived from the shapes (calculate_end_padding).
struct ConvShape {
  int64_t groups = 1, ic = 0, oc = 0;
  int64_t ih = 0, iw = 0, oh = 0, ow = 0, kh = 0, kw = 0;
  int64_t dilate_h = 0, dilate_w = 0;
  int64_t t_pad = 0, l_pad = 0, b_pad = 0, r_pad = 0;
  int64_t ext_kh() const { return (kh - 1) * (dilate_h + 1) + 1; }
  int64_t ext_kw() const { return (kw - 1) * (dilate_w + 1) + 1; }
};

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

class Planner {
 public:
  Planner(const IrModel& model, const Target& target, Quantization quantization)
      : m_(model),
        g_(model.graph),
        t_(target),
        p_(*target.policy),
        quantization_(quantization),
        weights_(model) {
    plan_.target = target;
  }

  Plan run();

 private:
  bool constant(Vertex v) const { return const_like_[v]; }
  /// The producer of the input port at `position` in `v`'s input list, if it is connected.
  std::optional<Vertex> producer_at(Vertex v, size_t position) const {
    if (position >= g_[v].inputs.size()) return std::nullopt;
    Vertex p = producers_[input_base_[v] + position];
    return p == kNone ? std::nullopt : std::optional<Vertex>(p);
  }
  void index_producers();
  std::vector<std::pair<Vertex, uint32_t>> data_consumers(Vertex v) const;
  std::optional<Vertex> data_input(Vertex v, size_t index) const;
  std::optional<Vertex> const_input(Vertex v) const;
  bool per_channel_const(Vertex v, const Layer& at) const;
  bool fq_signed(Vertex fq);
  bool unsigned_producer(Vertex v) const;

  int32_t add_node(Vertex v);
  void plan_compute(Vertex v);
  void plan_standalone(Vertex v);
  std::optional<PlanActivation> match_activation(Vertex x);
  Support fusion(OpKind kind, Precision conv_precision, std::string_view* source) const;
  void absorb(int32_t node, Vertex v);
  void name_exec_types();
  void insert_reorders();
  Tensor input_tensor(Vertex v, size_t index) const;

  const IrModel& m_;
  const Graph& g_;
  Target t_;
  const Policy& p_;
  Quantization quantization_;
  WeightsFile weights_;
  Plan plan_;
  std::vector<OpKind> kind_;
  static constexpr Vertex kUnasked = ~Vertex{0} - 1;
  mutable std::vector<Vertex> const_input_;  ///< per vertex: const_input(), kNone or kUnasked
  std::vector<bool> const_like_;
  std::vector<bool> absorbed_;
  std::vector<Tensor> tensor_;  ///< per vertex: the tensor its output 0 becomes
  static constexpr Vertex kNone = ~Vertex{0};
  std::vector<size_t> input_base_;  ///< per vertex: where its inputs start in producers_
  std::vector<Vertex> producers_;   ///< per input port of every vertex: its producer or kNone
};

std::vector<std::pair<Vertex, uint32_t>> Planner::data_consumers(Vertex v) const {
  std::vector<std::pair<Vertex, uint32_t>> out;
  for (auto [it, end] = boost::out_edges(v, g_); it != end; ++it) {
    out.emplace_back(boost::target(*it, g_), g_[*it].to_port);
  }
  return out;
}

/// The producer of the index-th non-constant input of `v`.
std::optional<Vertex> Planner::data_input(Vertex v, size_t index) const {
  size_t seen = 0;
  for (size_t i = 0; i < g_[v].inputs.size(); ++i) {
    auto producer = producer_at(v, i);
    if (!producer || constant(*producer)) continue;
    if (seen++ == index) return producer;
  }
  return std::nullopt;
}

/// One pass over the edges, so that finding a port's producer never scans in-edges.
void Planner::index_producers() {
  size_t n = boost::num_vertices(g_);
  input_base_.assign(n + 1, 0);
  for (Vertex v = 0; v < n; ++v) input_base_[v + 1] = input_base_[v] + g_[v].inputs.size();
  producers_.assign(input_base_[n], kNone);
  for (auto [it, end] = boost::edges(g_); it != end; ++it) {
    Vertex to = boost::target(*it, g_);
    const Layer& layer = g_[to];
    if (const Port* port = layer.input_port(g_[*it].to_port)) {
      producers_[input_base_[to] + static_cast<size_t>(port - layer.inputs.data())] =
          boost::source(*it, g_);
    }
  }
}

std::optional<Vertex> Planner::const_input(Vertex v) const {
  // Remembered per layer: pattern matching asks again for every edge into a layer, and a layer
  // may have many thousands of inputs.
  if (const_input_[v] == kUnasked) {
    const_input_[v] = kNone;
    for (size_t i = 0; i < g_[v].inputs.size(); ++i) {
      auto producer = producer_at(v, i);
      if (producer && constant(*producer)) {
        const_input_[v] = *producer;
        break;
      }
    }
  }
  if (const_input_[v] == kNone) return std::nullopt;
  return const_input_[v];
}

/// A constant operand that broadcasts per channel (or is a scalar): a bias or a scale.
bool Planner::per_channel_const(Vertex c, const Layer& at) const {
  const Layer& layer = g_[c];
  if (layer.outputs.empty() || at.outputs.empty()) return false;
  const Shape& shape = layer.outputs.front().dims;
  int64_t ch = channels(at.outputs.front());
  int64_t non_unit = 0;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (!shape[i].is_static()) return false;
    if (shape[i].min != 1) {
      ++non_unit;
      // The channel axis is the second one counted from the left of a full-rank constant.
      bool channel_axis = shape.size() == at.outputs.front().dims.size() ? i == 1 : i == 0;
      if (!channel_axis || shape[i].min != ch) return false;
    }
  }
  return non_unit <= 1;
}

bool Planner::unsigned_producer(Vertex v) const {
  // A loop, not recursion: the chain of pass-through layers is as long as the file makes it.
  // More steps than layers would mean a cycle, which has no answer.
  for (size_t steps = boost::num_vertices(g_); steps > 0; --steps) {
    switch (kind_[v]) {
      case OpKind::relu:
      case OpKind::sigmoid:
      case OpKind::hsigmoid:
      case OpKind::hard_sigmoid:
        return true;
      case OpKind::clamp:
        return parse_double(g_[v].attr("min"), -1) >= 0;
      case OpKind::max_pool:
      case OpKind::avg_pool:
      case OpKind::reshape:
      case OpKind::concat: {
        auto in = data_input(v, 0);
        if (!in) return false;
        v = *in;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

/// Whether a FakeQuantize produces negative values (s8 rather than u8).
bool Planner::fq_signed(Vertex fq) {
  const Layer& layer = g_[fq];
  if (layer.inputs.size() >= 4) {
    if (auto low = producer_at(fq, 3)) {
      Vertex c = *low;
      // Bounded by the layer count: a cycle of layers must not loop forever.
      for (size_t steps = boost::num_vertices(g_); kind_[c] != OpKind::constant && steps > 0;
           --steps) {
        auto in = producer_at(c, 0);
        if (!in) break;
        c = *in;
      }
      if (kind_[c] == OpKind::constant) {
        if (auto values = weights_.floats(g_[c])) {
          return std::any_of(values->begin(), values->end(), [](float x) { return x < 0; });
        }
      }
    }
  }
  auto in = data_input(fq, 0);
  return !(in && unsigned_producer(*in));
}

Support Planner::fusion(OpKind kind, Precision conv_precision, std::string_view* source) const {
  for (const ActivationFusion& a : p_.activations) {
    if (a.kind != kind) continue;
    const Fact<Support>& f = is_int8(conv_precision) ? a.into_int8 : a.into_fp32;
    *source = f.source;
    return f.value;
  }
  *source = "no fusion data for this activation";
  return Support::unknown;
}

int32_t Planner::add_node(Vertex v) {
  PlanNode node;
  node.main = v;
  node.fused.push_back(v);
  node.kind = kind_[v];
  plan_.nodes.push_back(std::move(node));
  auto index = static_cast<int32_t>(plan_.nodes.size() - 1);
  plan_.node_of[v] = index;
  absorbed_[v] = true;
  return index;
}

void Planner::absorb(int32_t node, Vertex v) {
  plan_.nodes[node].fused.push_back(v);
  plan_.node_of[v] = node;
  absorbed_[v] = true;
}

/// Recognises an activation written as one op or as an element-wise sub-graph reading `x`.
std::optional<PlanActivation> Planner::match_activation(Vertex x) {
  auto uses = data_consumers(x);
  auto is_const_operand = [&](Vertex op) { return const_input(op).has_value(); };
  auto single_consumer = [&](Vertex v) -> std::optional<Vertex> {
    auto c = data_consumers(v);
    if (c.size() != 1) return std::nullopt;
    return c.front().first;
  };
  auto multiplies_x = [&](Vertex op, Vertex other) {
    if (kind_[op] != OpKind::multiply) return false;
    return data_input(op, 0) && data_input(op, 1) &&
           ((*data_input(op, 0) == x && *data_input(op, 1) == other) ||
            (*data_input(op, 1) == x && *data_input(op, 0) == other));
  };
  auto scales_by_const = [&](Vertex op) {
    return (kind_[op] == OpKind::multiply || kind_[op] == OpKind::divide ||
            kind_[op] == OpKind::power) &&
           (is_const_operand(op) || kind_[op] == OpKind::power);
  };
  if (uses.size() == 1) {
    Vertex a = uses.front().first;
    if (is_activation(kind_[a])) return PlanActivation{kind_[a], {a}, false, -1, Support::no, {}};
  }
  // x * s(x): the first Multiply among x's consumers whose other operand is s, by s; found in
  // one pass over the consumers, not one per consumer (x may have thousands).
  std::optional<std::unordered_map<Vertex, Vertex>> multiply_by;
  auto multiply_of = [&](Vertex a) -> std::optional<Vertex> {
    if (!multiply_by) {
      multiply_by.emplace();
      for (auto [m, mport] : uses) {
        auto i0 = data_input(m, 0);
        auto i1 = data_input(m, 1);
        if (kind_[m] != OpKind::multiply || !i0 || !i1 || (*i0 != x && *i1 != x)) continue;
        multiply_by->emplace(*i0 == x ? *i1 : *i0, m);
      }
    }
    auto it = multiply_by->find(a);
    if (it == multiply_by->end()) return std::nullopt;
    return it->second;
  };
  for (auto [a, port] : uses) {
    OpKind k = kind_[a];
    if (k == OpKind::sigmoid || k == OpKind::hard_sigmoid || k == OpKind::hsigmoid) {
      if (auto m = multiply_of(a)) {
        OpKind kind = k == OpKind::sigmoid ? OpKind::swish : OpKind::hswish;
        return PlanActivation{kind, {a, *m}, true, -1, Support::no, {}};
      }
    }
    // x + 3 → Clamp(0, 6) → (× x, ÷ 6 in either order): h-swish; without × x: h-sigmoid.
    bool adds_const = (k == OpKind::add && is_const_operand(a)) ||
                      (k == OpKind::power && g_[a].has_attr("shift"));
    if (!adds_const) continue;
    auto clamp = single_consumer(a);
    if (!clamp || kind_[*clamp] != OpKind::clamp) continue;
    if (parse_double(g_[*clamp].attr("min"), -1) != 0 ||
        parse_double(g_[*clamp].attr("max"), -1) != 6) {
      continue;
    }
    auto next = single_consumer(*clamp);
    if (!next) continue;
    if (multiplies_x(*next, *clamp)) {
      auto scale = single_consumer(*next);
      if (scale && scales_by_const(*scale)) {
        return PlanActivation{
            OpKind::hswish, {a, *clamp, *next, *scale}, true, -1, Support::no, {}};
      }
      return PlanActivation{OpKind::hswish, {a, *clamp, *next}, true, -1, Support::no, {}};
    }
    if (scales_by_const(*next)) {
      auto mul = single_consumer(*next);
      if (mul && multiplies_x(*mul, *next)) {
        return PlanActivation{OpKind::hswish, {a, *clamp, *next, *mul}, true, -1, Support::no, {}};
      }
      if (uses.size() == 1)
        return PlanActivation{OpKind::hsigmoid, {a, *clamp, *next}, true, -1, Support::no, {}};
    }
  }
  return std::nullopt;
}

/// A convolution or matrix product and the chain of post-ops that fuse into it.
void Planner::plan_compute(Vertex v) {
  int32_t n = add_node(v);
  PlanNode& node = plan_.nodes[n];
  const Layer& layer = g_[v];
  OpKind kind = kind_[v];
  if (kind == OpKind::group_convolution && !layer.inputs.empty() && !layer.outputs.empty()) {
    int64_t in_c = channels(layer.inputs.front());
    int64_t group = -1;
    if (layer.inputs.size() > 1 && layer.inputs[1].dims.size() >= 1 &&
        layer.inputs[1].dims[0].is_static()) {
      group = layer.inputs[1].dims[0].min;  // opset GroupConvolution weights [G, O/G, I/G, …]
    }
    if (auto attr = layer.attr("group"); !attr.empty())
      group = static_cast<int64_t>(parse_double(attr, -1));
    node.depthwise = in_c > 0 && group == in_c && channels(layer.outputs.front()) == in_c;
  }
  // Precision: INT8 when the data input is quantized (a FakeQuantize in front, or legacy
  // calibration statistics), else FP32.
  bool int8 = false;
  bool is_signed = false;
  if (auto in = data_input(v, 0)) {
    if (quantization_ == Quantization::assumed) {
      int8 = true;
      is_signed = !unsigned_producer(*in);
    } else if (kind_[*in] == OpKind::fake_quantize && quantization_ == Quantization::as_written) {
      int8 = true;
      is_signed = fq_signed(*in);
    } else if (tensor_[*in].node >= 0 && is_int8(tensor_[*in].precision)) {
      int8 = true;
      is_signed = tensor_[*in].precision == Precision::i8;
    }
    std::string_view level = layer.attr("quantization_level");
    if (layer.version.empty() && (level == "I8" || level == "U8") &&
        quantization_ == Quantization::as_written) {
      int8 = true;
      is_signed = !unsigned_producer(*in);
    }
  }
  if (kind == OpKind::deconvolution) int8 = false;
  node.precision = int8 ? (is_signed ? Precision::i8 : Precision::u8) : Precision::fp32;
  node.in_precision = node.precision;
  node.out_precision = Precision::fp32;
  node.signed_input = int8 && is_signed;
  bool spatial = rank(layer) == 4 && kind != OpKind::matmul;
  Layout layout = !spatial ? Layout::planar
                  : int8   ? p_.int8_layout.value
                           : p_.fp32_conv_layout[static_cast<size_t>(t_.isa)].value;
  node.in_layout = layout;
  node.out_layout = layout;
  if (spatial && !int8 && !layer.inputs.empty()) {
    int64_t in_c = channels(layer.inputs.front());
    if (in_c > 0 && in_c <= 4 && layout != Layout::nhwc) node.in_layout = Layout::planar;
  }
  if (spatial && !int8 && node.depthwise && p_.fp32_dw_pad_limit.value) {
    if (std::string why = dw_pad_beyond_unroll(layer, t_.isa); !why.empty()) {
      node.impl = Impl::gemm;
      node.in_layout = node.out_layout = Layout::planar;
      node.why = fmt::format("{} ({})", why, p_.fp32_dw_pad_limit.source);
    }
  }
  if (node.depthwise && int8 && is_signed &&
      p_.int8_dw_signed_gemm[static_cast<size_t>(t_.isa)].value) {
    node.impl = Impl::gemm;
    node.why =
        fmt::format("no JIT kernel for INT8 depthwise convolution with a signed input on {} ({})",
                    to_string(t_.isa), p_.int8_dw_signed_gemm[static_cast<size_t>(t_.isa)].source);
  }

  // Post-ops, in order, while the chain has one consumer and each step fuses.
  Vertex cur = v;
  while (true) {
    auto uses = data_consumers(cur);
    if (uses.empty()) break;
    if (kind == OpKind::matmul && !int8 && !p_.fp32_fc_activation_fusion.value) break;
    if (auto act = match_activation(cur)) {
      act->conv_node = n;
      if (act->decomposed && act->kind == OpKind::hswish) {
        bool via_hard_sigmoid = kind_[act->layers.front()] == OpKind::hard_sigmoid;
        const Fact<bool>& f =
            via_hard_sigmoid ? p_.fuses_x_hard_sigmoid : p_.fuses_decomposed_hswish;
        if (!f.value) {
          act->fused = Support::no;
          act->source = f.source;
          plan_.activations.push_back(std::move(*act));
          break;
        }
      } else if (act->decomposed && act->kind == OpKind::swish && !p_.fuses_x_sigmoid.value) {
        act->fused = Support::no;
        act->source = p_.fuses_x_sigmoid.source;
        plan_.activations.push_back(std::move(*act));
        break;
      } else if (act->decomposed && act->kind == OpKind::hsigmoid &&
                 !p_.fuses_decomposed_hswish.value) {
        act->fused = Support::no;
        act->source = p_.fuses_decomposed_hswish.source;
        plan_.activations.push_back(std::move(*act));
        break;
      }
      std::string_view source;
      act->fused = fusion(act->kind, node.precision, &source);
      act->source = source;
      if (act->kind == OpKind::clamp && int8 && p_.int8_clamp_needs_zero_min.value &&
          parse_double(g_[act->layers.front()].attr("min"), -1) != 0) {
        act->fused = Support::no;
        act->source = p_.int8_clamp_needs_zero_min.source;
      }
      bool fuses = act->fused == Support::yes;
      std::vector<Vertex> layers = act->layers;
      plan_.activations.push_back(std::move(*act));
      if (!fuses) break;
      for (Vertex l : layers) absorb(n, l);
      cur = layers.back();
      continue;
    }
    if (uses.size() != 1) break;
    Vertex c = uses.front().first;
    OpKind ck = kind_[c];
    if ((ck == OpKind::add || ck == OpKind::multiply || ck == OpKind::subtract ||
         ck == OpKind::scale_shift || ck == OpKind::power) &&
        (ck == OpKind::scale_shift || ck == OpKind::power ||
         (const_input(c) && per_channel_const(*const_input(c), layer)))) {
      bool bias = ck == OpKind::add && cur == v;
      if (!bias && int8 && !p_.depthwise_postop_into_int8.value) break;
      absorb(n, c);
      cur = c;
      continue;
    }
    if (ck == OpKind::fake_quantize && p_.fake_quantize_postop.value && int8 &&
        quantization_ == Quantization::as_written) {
      absorb(n, c);
      node.out_precision = fq_signed(c) ? Precision::i8 : Precision::u8;
      cur = c;
      break;
    }
    if (ck == OpKind::add && p_.sum_postop.value && !const_input(c)) {
      // The other operand must already exist: it is accumulated into this output.
      auto a = data_input(c, 0);
      auto b = data_input(c, 1);
      Vertex other = a && *a == cur ? (b ? *b : cur) : (a ? *a : cur);
      if (other != cur && plan_.node_of[other] >= 0 && plan_.node_of[other] != n) {
        absorb(n, c);
        cur = c;
        continue;
      }
    }
    break;
  }
  // Legacy calibrated IR: the convolution requantizes its output when every reader runs INT8.
  if (int8 && layer.version.empty() && node.out_precision == Precision::fp32) {
    auto readers = data_consumers(cur);
    bool all_int8 = !readers.empty() && std::all_of(readers.begin(), readers.end(), [&](auto& r) {
      OpKind k = kind_[r.first];
      return !g_[r.first].attr("quantization_level").empty() || k == OpKind::relu ||
             k == OpKind::max_pool || k == OpKind::avg_pool || k == OpKind::concat ||
             k == OpKind::add;
    });
    if (all_int8) node.out_precision = unsigned_producer(cur) ? Precision::u8 : Precision::i8;
  }
  tensor_[cur] = Tensor{n, node.out_precision, node.out_layout};
  for (Vertex f : node.fused) tensor_[f] = Tensor{n, node.out_precision, node.out_layout};
}

/// A layer that runs as its own primitive: it follows its input's layout where it can.
void Planner::plan_standalone(Vertex v) {
  int32_t n = add_node(v);
  PlanNode& node = plan_.nodes[n];
  OpKind kind = kind_[v];
  const Layer& layer = g_[v];
  Tensor in = input_tensor(v, 0);
  bool spatial = rank(layer) == 4;
  bool follows = is_activation(kind) || is_eltwise(kind) || kind == OpKind::scale_shift ||
                 kind == OpKind::power || kind == OpKind::max_pool || kind == OpKind::avg_pool ||
                 kind == OpKind::reduce_mean || kind == OpKind::concat ||
                 kind == OpKind::fake_quantize || kind == OpKind::convert || kind == OpKind::lrn ||
                 kind == OpKind::softmax;
  node.in_precision = in.node >= 0 ? in.precision : Precision::fp32;
  node.precision = Precision::fp32;
  node.out_precision = Precision::fp32;
  if (kind == OpKind::fake_quantize) {
    node.out_precision = fq_signed(v) ? Precision::i8 : Precision::u8;
  } else if ((kind == OpKind::max_pool || kind == OpKind::avg_pool || kind == OpKind::concat ||
              kind == OpKind::reshape || kind == OpKind::relu ||
              (kind == OpKind::add && p_.sum_postop.value &&
               is_int8(input_tensor(v, 1).precision))) &&
             is_int8(node.in_precision)) {
    node.precision = node.in_precision;  // INT8 flows through pooling, concat and ReLU
    node.out_precision = node.in_precision;
  } else if (is_int8(node.in_precision) && p_.quantize_in_reorders.value) {
    node.in_precision = Precision::fp32;  // a Reorder dequantizes first
  }
  Layout layout = Layout::planar;
  if (spatial && follows) {
    layout = in.node >= 0 ? in.layout : Layout::planar;
    if (p_.fp32_layers_blocked.value && !is_int8(node.precision) && kind != OpKind::fake_quantize) {
      layout = p_.fp32_conv_layout[static_cast<size_t>(t_.isa)].value;
    }
    if (is_int8(node.precision)) layout = p_.int8_layout.value;
  }
  node.in_layout = layout;
  node.out_layout = layout;
  if (kind == OpKind::hard_sigmoid && p_.hard_sigmoid_ref.value) {
    // A Math node: planar FP32 only.
    node.in_layout = node.out_layout = Layout::planar;
    node.impl = Impl::ref;
    node.why = fmt::format("HardSigmoid has only a reference implementation ({})",
                           p_.hard_sigmoid_ref.source);
  }
  if (kind == OpKind::detection || kind == OpKind::other) node.impl = Impl::ref;
  if (kind == OpKind::softmax && p_.softmax_ref.value) {
    node.impl = Impl::ref;
    node.why = fmt::format("SoftMax runs reference code ({})", p_.softmax_ref.source);
  }
  if (kind == OpKind::softmax && node.impl != Impl::ref && p_.softmax_jit_needs_dense_axis.value) {
    if (std::string why = softmax_axis_not_dense(layer, node.in_layout, t_.isa); !why.empty()) {
      node.impl = Impl::ref;
      node.why = fmt::format("{}: SoftMax runs reference code ({})", why,
                             p_.softmax_jit_needs_dense_axis.source);
    }
  }
  tensor_[v] = Tensor{n, node.out_precision, node.out_layout};
}

Tensor Planner::input_tensor(Vertex v, size_t index) const {
  auto in = data_input(v, index);
  if (!in) return {};
  return tensor_[*in];
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

/// Every edge whose ends disagree on layout or precision gets a Reorder.
void Planner::insert_reorders() {
  for (size_t n = 0; n < plan_.nodes.size(); ++n) {
    const PlanNode& node = plan_.nodes[n];
    for (Vertex member : node.fused) {
      for (auto [it, end] = boost::in_edges(member, g_); it != end; ++it) {
        Vertex src = boost::source(*it, g_);
        if (constant(src)) continue;
        const Tensor& t = tensor_[src];
        if (t.node < 0 || t.node == static_cast<int32_t>(n)) continue;
        bool sum_operand = member != node.main && kind_[member] == OpKind::add;
        // Only INT8 compute demands INT8 data; FP32 layers read INT8 directly, except in the
        // 2019 flow where a Reorder dequantizes first.
        Layout want_layout = sum_operand ? node.out_layout : node.in_layout;
        Precision want_precision = t.precision;
        if (is_int8(node.precision) && !sum_operand) {
          want_precision = node.in_precision;
        } else if (!is_int8(node.precision) && is_int8(t.precision) &&
                   p_.quantize_in_reorders.value && kind_[node.main] != OpKind::result) {
          want_precision = Precision::fp32;
        }
        const Layer& producer = g_[src];
        bool spatial = !producer.outputs.empty() && producer.outputs.front().dims.size() == 4;
        if (!spatial) want_layout = t.layout;
        // A flatten or fully connected layer reads a 1x1 blocked tensor as it is (googlenet-v1
        // 2022.1 counters); other planar readers still get a Reorder (squeezenet1.1's output).
        bool reads_as_is =
            (kind_[node.main] == OpKind::reshape || kind_[node.main] == OpKind::matmul) &&
            same_memory(t.layout, want_layout, producer);
        if ((t.layout == want_layout || reads_as_is) && t.precision == want_precision) continue;
        PlanReorder r;
        r.edge = *it;
        r.from_node = t.node;
        r.to_node = static_cast<int32_t>(n);
        r.from_layout = t.layout;
        r.to_layout = want_layout;
        r.from_precision = t.precision;
        r.to_precision = want_precision;
        plan_.reorders.push_back(r);
      }
    }
  }
}

/// Spells each node's implementation the way the target's runtime reports it.
void Planner::name_exec_types() {
  for (PlanNode& node : plan_.nodes) {
    const Layer& layer = g_[node.main];
    bool conv = node.kind == OpKind::convolution || node.kind == OpKind::group_convolution;
    bool one_by_one = false;
    if (conv) one_by_one = kernel_1x1(layer) && !node.depthwise;
    bool int8 = is_int8(node.precision);
    if (node.impl == Impl::unknown) {
      if (node.kind == OpKind::parameter || node.kind == OpKind::result ||
          node.kind == OpKind::reshape || (node.kind == OpKind::concat && p_.openvino_exec_names)) {
        // No kernel of their own; a channel Concat of blocked tensors writes in place.
        node.impl = Impl::unknown;
      } else if (conv || node.kind == OpKind::matmul || node.kind == OpKind::deconvolution) {
        node.impl = Impl::jit;
        if (node.kind == OpKind::matmul && rank(layer) != 4) node.impl = Impl::gemm;
        if (t_.isa >= Isa::avx512 && node.out_layout == Layout::nhwc) node.impl = Impl::brgconv;
      } else {
        node.impl = Impl::jit;
      }
    }
    std::string_view prec = int8 ? "I8" : "FP32";
    if (p_.openvino_exec_names) {
      switch (node.impl) {
        case Impl::gemm:
          node.exec_type = fmt::format("{}_{}", int8 ? "gemm_blas" : "jit_gemm", prec);
          break;
        case Impl::ref:
          node.exec_type = fmt::format("ref_any_{}", prec);
          break;
        case Impl::unknown:
          node.exec_type = fmt::format("unknown_{}", prec);
          break;
        case Impl::jit:
        case Impl::brgconv: {
          std::string_view prefix = node.impl == Impl::brgconv ? "brgconv" : "jit";
          bool below_avx512 = t_.isa < Isa::avx512;
          std::string_view shape = "";
          if (one_by_one && (!int8 || !below_avx512 || p_.int8_1x1_below_avx512.value))
            shape = "_1x1";
          if (node.depthwise && (!int8 || (below_avx512 && p_.int8_dw_kernel_below_avx512.value))) {
            shape = "_dw";
          }
          node.exec_type = fmt::format("{}_{}{}_{}", prefix, isa_word(t_.isa), shape, prec);
          break;
        }
      }
      continue;
    }
    // oneDNN's own impl_info_str() spelling, as probed (docs: onednn-facts). On AMX only the
    // AMX kernels carry its name; the kernels below them run as on VNNI.
    bool amx = t_.isa == Isa::amx && int8 && p_.amx_int8_kernels.value;
    std::string_view amx_isa = onednn_isa(Isa::amx, int8);
    std::string_view isa = onednn_isa(t_.isa == Isa::amx ? Isa::avx512_vnni : t_.isa, int8);
    // Only convolutions and matmul have VNNI instances; pooling, eltwise and softmax kernels are
    // named after avx512_core for INT8 too (measured: docs/live-run.md "Corpus agreement").
    std::string_view plain_isa = onednn_isa(t_.isa, false);
    if (node.impl == Impl::ref) {
      node.exec_type = "ref:any";
    } else if (conv && node.impl == Impl::gemm && !int8) {
      node.exec_type = "x64:gemm:jit";
    } else if (std::string_view kernel = amx && conv && !node.depthwise
                                             ? amx_int8_conv_kernel(layer)
                                             : std::string_view{};
               !kernel.empty()) {
      node.exec_type = fmt::format("{}:{}", kernel, amx_isa);
    } else if (conv) {
      bool avx512 = t_.isa >= Isa::avx512;
      bool dilated = node.depthwise && p_.fp32_dw_pad_limit.value &&
                     layer.attr("dilations").find_first_not_of("1, ") != std::string_view::npos;
      if (node.depthwise) {
        if (!int8)
          node.exec_type =
              avx512 && !dilated ? fmt::format("brdgmm_dw:{}", isa) : fmt::format("jit_dw:{}", isa);
        else if (!avx512)
          node.exec_type = fmt::format("jit_uni_int8:{}", isa);
        else if (node.signed_input || t_.isa == Isa::avx512)
          node.exec_type = fmt::format("jit_int8:{}", isa);
        else
          node.exec_type = fmt::format("brdgmm_dw:{}", isa);
      } else {
        // The 1x1 kernels take no padding at either end: brgemm's is_1x1
        // (jit_brgemm_conv_utils.cpp:1624-1626 at v2.6.3) and the JIT ones (f_pad, t_pad, l_pad
        // 0 and output = input size after reducing the stride: jit_avx2_1x1_conv_kernel_f32.cpp
        // :798-804, jit_avx512_common_1x1_conv_kernel.cpp:650-658,
        // jit_uni_x8s8s32x_1x1_conv_kernel.cpp:728-733,
        // jit_avx512_core_x8s8s32x_1x1_conv_kernel.cpp:980-987); only the AVX-512 INT8 one takes
        // groups (the others: ngroups == 1 at 794, 650, 701). brgconv off AMX refuses grouped
        // convolutions with <= 16 input channels a group (jit_brgemm_conv_utils.cpp:1644-1648).
        std::optional<ConvShape> shape = conv_shape(layer);
        bool padded =
            shape && (shape->t_pad > 0 || shape->l_pad > 0 || shape->b_pad > 0 || shape->r_pad > 0);
        bool grouped = shape && shape->groups > 1;
        bool brgemm_1x1 = one_by_one && !padded;
        bool jit_1x1 = brgemm_1x1 && unit_stride_reducible(layer);
        bool brgemm = !(grouped && shape->ic <= 16);
        if (!avx512) {
          jit_1x1 = jit_1x1 && !grouped;
          node.exec_type = int8 ? fmt::format("jit_uni_int8{}:{}", jit_1x1 ? "_1x1" : "", isa)
                                : fmt::format("jit{}:{}", jit_1x1 ? "_1x1" : "", isa);
        } else if (int8 && (t_.isa == Isa::avx512 || !brgemm)) {
          node.exec_type = fmt::format("jit_int8{}:{}", jit_1x1 ? "_1x1" : "", isa);
        } else if (int8 && node.signed_input && !brgemm_1x1) {
          node.exec_type = fmt::format("jit_int8:{}", isa);
        } else if (!brgemm) {
          node.exec_type = fmt::format("jit:{}", isa);  // FP32: its 1x1 kernel takes no groups
        } else {
          node.exec_type = fmt::format("brgconv{}:{}", brgemm_1x1 ? "_1x1" : "", isa);
        }
      }
    } else if (node.kind == OpKind::matmul) {
      // The matmul primitive: brgemm_matmul ("brg:") on AVX-512 (VNNI for INT8), else
      // gemm_f32/x8s8s32x_matmul ("gemm:jit") (measured: MobileNetV2 INT8 natively, under the
      // AVX512_CORE cap and under the AVX2 cap).
      bool brgemm = t_.isa >= (int8 ? Isa::avx512_vnni : Isa::avx512);
      bool amx_matmul = amx && !amx_matmul_small(layer);
      node.exec_type = !brgemm      ? "gemm:jit"
                       : amx_matmul ? fmt::format("brg:{}", amx_isa)
                                    : fmt::format("brg:{}", isa);
    } else if (is_passive(node.kind)) {
      node.exec_type = "";  // Parameter, Result and views (Reshape, Flatten…) run no kernel
    } else if (is_eltwise(node.kind) || node.kind == OpKind::transpose ||
               node.kind == OpKind::fake_quantize) {
      // jit_uni_binary and jit_uni_reorder (Transpose, quantize/dequantize): one kernel named
      // "jit:uni" on every ISA (oneDNN 2.6 jit_uni_binary.hpp, jit_uni_reorder.hpp; measured).
      node.exec_type = "jit:uni";
    } else if (node.kind == OpKind::concat) {
      node.exec_type = "simple:any";  // simple_concat: same-layout dense inputs (measured)
    } else if (int8 && (node.kind == OpKind::max_pool || node.kind == OpKind::avg_pool ||
                        node.kind == OpKind::reduce_mean)) {
      // jit_uni_i8i8_pooling (oneDNN 2.6 jit_uni_i8i8_pooling.hpp "jit_int:"; measured).
      node.exec_type = fmt::format("jit_int:{}", plain_isa);
    } else {
      node.exec_type = fmt::format("jit:{}", plain_isa);
    }
  }
}

Plan Planner::run() {
  size_t n = boost::num_vertices(g_);
  plan_.node_of.assign(n, -1);
  kind_.resize(n);
  const_input_.assign(n, kUnasked);
  const_like_.assign(n, false);
  absorbed_.assign(n, false);
  tensor_.assign(n, Tensor{});
  for (Vertex v = 0; v < n; ++v) kind_[v] = g_[v].kind;
  index_producers();
  if (m_.order.size() != n) {
    plan_.constant = const_like_;
    return std::move(plan_);
  }
  // Constant sub-graphs (weights, their decompression, shape computations) fold away.
  for (Vertex v : m_.order) {
    const Layer& layer = g_[v];
    if (kind_[v] == OpKind::constant || layer.type == "ShapeOf") {
      const_like_[v] = true;
      continue;
    }
    if (kind_[v] == OpKind::parameter || boost::in_degree(v, g_) == 0) continue;
    if (layer.type == "ReadValue" || layer.type == "Assign") continue;
    bool all = true;
    for (auto [it, end] = boost::in_edges(v, g_); it != end && all; ++it) {
      all = const_like_[boost::source(*it, g_)];
    }
    const_like_[v] = all;
  }
  plan_.int8 = quantization_ == Quantization::assumed;
  // Quantization levels are written by legacy IR (v5-v7) only: a newer file's layers are not
  // searched for them (a look into every layer's attributes).
  bool levels = m_.ir_version <= 7;
  for (Vertex v = 0; v < n && quantization_ == Quantization::as_written && !plan_.int8; ++v) {
    plan_.int8 = (kind_[v] == OpKind::fake_quantize && !const_like_[v]) ||
                 (levels && !g_[v].attr("quantization_level").empty());
  }
  for (Vertex v : m_.order) {
    if (const_like_[v] || absorbed_[v]) continue;
    OpKind k = kind_[v];
    if (k == OpKind::fake_quantize &&
        (p_.quantize_in_reorders.value || quantization_ == Quantization::stripped)) {
      // 2019 flow: the quantization happens in the Reorder in front of the INT8 layer; in the
      // FP32 counterpart it does not happen at all.
      if (auto in = data_input(v, 0)) {
        tensor_[v] = tensor_[*in];
        plan_.node_of[v] = -1;
      }
      continue;
    }
    if (k == OpKind::convolution || k == OpKind::group_convolution || k == OpKind::matmul ||
        k == OpKind::deconvolution) {
      plan_compute(v);
    } else {
      plan_standalone(v);
    }
  }
  // Tensors passed through (2019 quantization) keep the producer's node.
  insert_reorders();
  name_exec_types();
  plan_.constant = std::move(const_like_);
  return std::move(plan_);
}

}  // namespace

std::string reorder_name(const IrModel& model, const Plan& plan, const PlanReorder& r) {
  // The plugin's name: parent, then each side's precision and format where they differ.
  auto format = [&](Layout l) {
    return plan.target.policy->mkldnn_format_names ? to_string(l) : exec_graph_name(l);
  };
  std::string middle;
  bool precision_differs = r.from_precision != r.to_precision;
  bool layout_differs = r.from_layout != r.to_layout;
  if (precision_differs) middle += fmt::format("_{}", to_string(r.from_precision));
  if (layout_differs) middle += fmt::format("_{}", format(r.from_layout));
  if (precision_differs) middle += fmt::format("_{}", to_string(r.to_precision));
  if (layout_differs) middle += fmt::format("_{}", format(r.to_layout));
  const Graph& g = model.graph;
  return fmt::format("{}{}_{}", g[boost::source(r.edge, g)].name, middle,
                     g[boost::target(r.edge, g)].name);
}

Plan plan(const IrModel& model, const Target& target, Quantization quantization) {
  return Planner(model, target, quantization).run();
}

}  // namespace irlint
