#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <set>

#include "live.hpp"
#include "op.hpp"
#include "reader.hpp"
#include "weights.hpp"

namespace irlint::live {
namespace {

using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

/// Deterministic values (a 64-bit LCG), so two runs of the same model see the same data.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  double next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 53);
  }
  float uniform(float lo, float hi) { return lo + static_cast<float>(next()) * (hi - lo); }
  float integer(int lo, int hi) {
    return static_cast<float>(lo + static_cast<int>(next() * (hi - lo + 1) * 0.999999));
  }

 private:
  uint64_t state_;
};

std::string dt_name(dt type) {
  switch (type) {
    case dt::f32:
      return "f32";
    case dt::u8:
      return "u8";
    case dt::s8:
      return "s8";
    case dt::s32:
      return "s32";
    case dt::bf16:
      return "bf16";
    case dt::f16:
      return "f16";
    default:
      return "undef";
  }
}

/// The oneDNN-style tag of a blocked descriptor ("acdb", "aBcd16b", "AcdB32a4b").
std::string generic_tag(const memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  if (d.format_kind != dnnl_blocked) return "any";
  const auto& b = d.format_desc.blocking;
  int n = d.ndims;
  std::vector<int> order(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return b.strides[x] > b.strides[y]; });
  std::set<int> blocked;
  for (int i = 0; i < b.inner_nblks; ++i) blocked.insert(static_cast<int>(b.inner_idxs[i]));
  std::string out;
  for (int i : order) {
    char c = static_cast<char>('a' + i);
    out += blocked.count(i) ? static_cast<char>(c - 'a' + 'A') : c;
  }
  for (int i = 0; i < b.inner_nblks; ++i) {
    out += fmt::format("{}{}", b.inner_blks[i], static_cast<char>('a' + b.inner_idxs[i]));
  }
  if (d.extra.flags != 0) out += "+comp";
  return out;
}

/// Activation layouts the way irlint names them; other descriptors keep oneDNN's tag.
std::string layout_name(const memory::desc& md) {
  std::string t = generic_tag(md);
  if (md.data.ndims == 4) {
    if (t == "abcd") return "nchw";
    if (t == "acdb") return "nhwc";
    if (t == "aBcd8b") return "nChw8c";
    if (t == "aBcd16b") return "nChw16c";
  }
  return t;
}

tag layout_tag(Layout layout) {
  switch (layout) {
    case Layout::planar:
      return tag::nchw;
    case Layout::nhwc:
      return tag::nhwc;
    case Layout::blocked8:
      return tag::nChw8c;
    case Layout::blocked16:
      return tag::nChw16c;
  }
  return tag::nchw;
}

/// The plain (row-major) tag of a rank.
tag plain_tag(size_t rank) {
  switch (rank) {
    case 1:
      return tag::a;
    case 2:
      return tag::ab;
    case 3:
      return tag::abc;
    case 4:
      return tag::abcd;
    case 5:
      return tag::abcde;
    case 6:
      return tag::abcdef;
    default:
      return tag::undef;
  }
}

std::string precision_word(Precision p) {
  return is_int8(p) ? (p == Precision::u8 ? "u8" : "i8") : "fp32";
}

/// An axis attribute normalised to [0, rank), or nullopt when out of range.
std::optional<int> axis_of(const Layer& l, int64_t fallback, size_t rank) {
  int64_t axis = fallback;
  if (l.has_attr("axis")) {
    auto list = l.int_list("axis");
    if (!list || list->size() != 1) return std::nullopt;
    axis = (*list)[0];
  }
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank)) return std::nullopt;
  return static_cast<int>(axis);
}

dt precision_dt(Precision p) {
  switch (p) {
    case Precision::u8:
      return dt::u8;
    case Precision::i8:
      return dt::s8;
    default:
      return dt::f32;
  }
}

std::optional<memory::dims> static_dims(const Shape& shape) {
  memory::dims dims;
  for (const Dim& d : shape) {
    if (!d.is_static() || d.min <= 0) return std::nullopt;
    dims.push_back(d.min);
  }
  return dims;
}

int64_t product(const memory::dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

int thread_count() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return 1;
}

/// Writes float values into a oneDNN memory of the given plain layout through a reorder.
void fill(dnnl::engine& eng, dnnl::stream& strm, const memory& dst, const memory::dims& dims,
          tag plain, const std::vector<float>& values) {
  memory::desc f32_md(dims, dt::f32, plain);
  memory user(f32_md, eng);
  std::copy(values.begin(), values.end(), static_cast<float*>(user.get_data_handle()));
  dnnl::reorder(user, dst).execute(strm, user, const_cast<memory&>(dst));
  strm.wait();
}

/// Reads a oneDNN memory back as floats in plain layout.
std::vector<float> read_back(dnnl::engine& eng, dnnl::stream& strm, const memory& src,
                             const memory::dims& dims, tag plain) {
  memory user(memory::desc(dims, dt::f32, plain), eng);
  dnnl::reorder(src, user).execute(strm, const_cast<memory&>(src), user);
  strm.wait();
  const float* p = static_cast<const float*>(user.get_data_handle());
  return std::vector<float>(p, p + product(dims));
}

/// Median and max - min of the execution time over `iterations` runs after warm-up.
void time_primitive(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
                    dnnl::stream& strm, const LiveOptions& options, NodeObservation& obs) {
  for (int i = 0; i < std::max(options.warmup, 1); ++i) {
    prim.execute(strm, args);
    strm.wait();
  }
  std::vector<double> times;
  for (int i = 0; i < std::max(options.iterations, 1); ++i) {
    auto start = std::chrono::steady_clock::now();
    prim.execute(strm, args);
    strm.wait();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  obs.median_ms = times[times.size() / 2];
  obs.spread_ms = times.back() - times.front();
}

/// One primitive of a whole-plan iteration with the memories it runs on.
struct Step {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
  int32_t observation = -1;  ///< index into LiveRun::nodes, -1 for a reorder
};

/// One step per line on stderr, overwritten in place.
void show_progress(const std::string& label, size_t done, size_t total, const char* what) {
  std::fprintf(stderr, "\r\033[Klive: %zu/%zu %s%s%s", done, total, what,
               label.empty() ? "" : " — ", label.c_str());
  std::fflush(stderr);
}

/// One post-op to attach, with its binary operand when it has one.
struct PostOp {
  PostOp(std::string n, dnnl::algorithm a, float al = 0, float be = 0)
      : name(std::move(n)), alg(a), alpha(al), beta(be) {}
  std::string name;
  dnnl::algorithm alg;
  float alpha = 0, beta = 0;
  bool binary = false;
  std::vector<float> src1;  ///< per-channel (size C) or scalar (size 1)
};

/// Maps an activation kind to a oneDNN eltwise post-op; nullopt when oneDNN 2.6 has none.
std::optional<PostOp> eltwise_of(OpKind kind, const Layer* layer) {
  using dnnl::algorithm;
  auto number = [&](std::string_view key, float fallback) {
    if (!layer || !layer->has_attr(key)) return fallback;
    return std::strtof(std::string(layer->attr(key)).c_str(), nullptr);
  };
  switch (kind) {
    case OpKind::relu:
      return PostOp{"eltwise_relu", algorithm::eltwise_relu};
    case OpKind::leaky_relu:
      return PostOp{"eltwise_relu", algorithm::eltwise_relu, number("negative_slope", 0.01f)};
    case OpKind::clamp:
      return PostOp{"eltwise_clip", algorithm::eltwise_clip, number("min", 0), number("max", 6)};
    case OpKind::sigmoid:
      return PostOp{"eltwise_logistic", algorithm::eltwise_logistic};
    case OpKind::tanh:
      return PostOp{"eltwise_tanh", algorithm::eltwise_tanh};
    case OpKind::elu:
      return PostOp{"eltwise_elu", algorithm::eltwise_elu, number("alpha", 1)};
    case OpKind::hswish:
      return PostOp{"eltwise_hardswish", algorithm::eltwise_hardswish};
    case OpKind::swish:
      return PostOp{"eltwise_swish", algorithm::eltwise_swish, 1.0f};
    case OpKind::mish:
      return PostOp{"eltwise_mish", algorithm::eltwise_mish};
    case OpKind::gelu:
      return PostOp{"eltwise_gelu_erf", algorithm::eltwise_gelu_erf};
    default:
      return std::nullopt;
  }
}

class Executor {
 public:
  Executor(const IrModel& model, const Plan& plan, const LiveOptions& options)
      : m_(model),
        plan_(plan),
        options_(options),
        weights_(model),
        eng_(dnnl::engine::kind::cpu, 0),
        strm_(eng_) {}

  LiveRun run();
  /// The primitives of the last run() in execution order, reorders included.
  std::vector<Step>& steps() { return steps_; }
  dnnl::stream& stream() { return strm_; }

 private:
  /// Times the node's primitive on its own (when asked), appends it to the whole-plan steps and
  /// marks the node as run.
  void record(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
              NodeObservation& obs);
  /// Appends a reorder `from` → `to` (fresh memories, `from` filled) to the whole-plan steps.
  void add_reorder(const memory::desc& from, const memory::desc& to);
  /// The plan's Reorders that execute right before node `index`, as reorder primitives.
  void plan_reorders_before(size_t index);
  /// Walks the implementations of `pd` to the plan's gemm/ref fallback when this is a what-if
  /// run of an OpenVINO policy's plan.
  template <class PrimitiveDesc>
  void force_fallback(const PlanNode& node, PrimitiveDesc& pd, NodeObservation& obs);
  const Layer& layer(Vertex v) const { return m_.graph[v]; }
  std::optional<Vertex> const_source(Vertex v, uint32_t port) const;
  std::vector<float> values(std::optional<Vertex> constant, size_t count, uint64_t seed, float lo,
                            float hi);
  Precision node_precision(const PlanNode& node) const;
  std::vector<PostOp> post_ops_of(int32_t index, NodeObservation& obs);
  void convolution(int32_t index, NodeObservation& obs);
  void matmul(int32_t index, NodeObservation& obs);
  void eltwise(int32_t index, NodeObservation& obs);
  void pooling(int32_t index, NodeObservation& obs);
  void binary(int32_t index, NodeObservation& obs);
  void softmax(int32_t index, NodeObservation& obs);
  void concat(int32_t index, NodeObservation& obs);
  void view(int32_t index, NodeObservation& obs);
  void transpose(int32_t index, NodeObservation& obs);
  void fake_quantize(int32_t index, NodeObservation& obs);
  void resample(int32_t index, NodeObservation& obs);
  std::optional<std::vector<float>> constant_values(Vertex v, const Port& port);
  /// The memory descriptor of an activation in the plan's layout (4D) or plain (other ranks).
  memory::desc activation_md(const memory::dims& dims, dt type, Layout layout) const;
  /// Fills `mem` (logical dims `dims`) with the constant behind `port`, else generated values.
  std::vector<float> input_values(Vertex v, const Port& port, const memory::dims& dims,
                                  uint64_t seed, float lo, float hi);
  void keep(NodeObservation& obs, const memory::dims& src_dims, std::vector<float> src_values,
            const memory& dst, const memory::dims& dst_dims);
  void probe_activations(LiveRun& out);

  const IrModel& m_;
  const Plan& plan_;
  const LiveOptions& options_;
  WeightsFile weights_;
  dnnl::engine eng_;
  dnnl::stream strm_;
  std::vector<Step> steps_;
  int32_t observation_ = -1;  ///< index of the node being built in LiveRun::nodes
};

void Executor::record(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
                      NodeObservation& obs) {
  if (options_.time_nodes) {
    time_primitive(prim, args, strm_, options_, obs);
  } else {
    prim.execute(strm_, args);
    strm_.wait();
  }
  steps_.push_back({prim, args, observation_});
  obs.ran = true;
}

void Executor::add_reorder(const memory::desc& from, const memory::desc& to) {
  memory src(from, eng_), dst(to, eng_);
  std::fill_n(static_cast<uint8_t*>(src.get_data_handle()), from.get_size(), uint8_t{1});
  dnnl::reorder prim(src, dst);
  steps_.push_back({prim, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}}, -1});
}

void Executor::plan_reorders_before(size_t index) {
  for (const PlanReorder& r : plan_.reorders) {
    if (r.to_node != static_cast<int32_t>(index)) continue;
    const Port* port =
        layer(boost::source(r.edge, m_.graph)).output_port(m_.graph[r.edge].from_port);
    auto dims = port ? static_dims(port->dims) : std::nullopt;
    if (!dims || dims->empty()) continue;
    try {
      add_reorder(activation_md(*dims, precision_dt(r.from_precision), r.from_layout),
                  activation_md(*dims, precision_dt(r.to_precision), r.to_layout));
    } catch (const dnnl::error&) {
      // A reorder oneDNN cannot make (a layout the rank does not have) is left out.
    }
  }
}

template <class PrimitiveDesc>
void Executor::force_fallback(const PlanNode& node, PrimitiveDesc& pd, NodeObservation& obs) {
  if (!options_.force_fallbacks || !plan_.target.policy ||
      !plan_.target.policy->openvino_exec_names)
    return;
  if (node.impl != Impl::gemm && node.impl != Impl::ref) return;
  obs.forced = node.impl == Impl::gemm ? "gemm" : "ref";
  PrimitiveDesc first = pd;
  do {
    if (std::string(pd.impl_info_str()).find(obs.forced) != std::string::npos) return;
  } while (pd.next_impl());
  pd = first;  // none offered: keep oneDNN's first choice
}

/// The Const behind an input port, looking through Convert/FakeQuantize/Reshape on the way.
std::optional<Vertex> Executor::const_source(Vertex v, uint32_t port) const {
  auto p = m_.producer(v, port);
  for (int hops = 0; p && hops < 4; ++hops) {
    OpKind k = op_kind(layer(p->first));
    if (k == OpKind::constant) return p->first;
    if (k != OpKind::convert && k != OpKind::fake_quantize && k != OpKind::reshape &&
        k != OpKind::multiply && k != OpKind::subtract) {
      return std::nullopt;
    }
    p = m_.producer(p->first, 0);
  }
  return std::nullopt;
}

std::vector<float> Executor::values(std::optional<Vertex> constant, size_t count, uint64_t seed,
                                    float lo, float hi) {
  if (constant) {
    auto read = weights_.floats(layer(*constant), count);
    if (read && read->size() == count) return *read;
  }
  Random rng(seed);
  std::vector<float> out(count);
  bool integers = std::floor(lo) == lo && std::floor(hi) == hi && (hi - lo) >= 2;
  for (float& x : out)
    x = integers ? rng.integer(static_cast<int>(lo), static_cast<int>(hi)) : rng.uniform(lo, hi);
  return out;
}

Precision Executor::node_precision(const PlanNode& node) const {
  if (options_.precision_override) return *options_.precision_override;
  return is_int8(node.precision) ? node.precision : Precision::fp32;
}

/// The node's fused layers as post-ops, in order; a decomposed activation counts once.
std::vector<PostOp> Executor::post_ops_of(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  std::map<Vertex, const PlanActivation*> in_activation;
  for (const PlanActivation& a : plan_.activations) {
    if (a.conv_node != index || a.fused != Support::yes) continue;
    for (Vertex v : a.layers) in_activation[v] = &a;
  }
  int64_t channels = 0;
  if (!layer(node.main).outputs.empty() && layer(node.main).outputs[0].dims.size() >= 2) {
    channels = layer(node.main).outputs[0].dims[1].min;
  }
  std::set<const PlanActivation*> done;
  std::vector<PostOp> ops;
  for (Vertex v : node.fused) {
    if (v == node.main) continue;
    const Layer& l = layer(v);
    OpKind kind = op_kind(l);
    if (auto it = in_activation.find(v); it != in_activation.end()) {
      if (!done.insert(it->second).second) continue;
      if (auto op = eltwise_of(it->second->kind, &l))
        ops.push_back(*op);
      else
        obs.dropped.push_back(fmt::format("{} ({})", l.name, to_string(it->second->kind)));
      continue;
    }
    if (kind == OpKind::fake_quantize || kind == OpKind::convert || kind == OpKind::reshape) {
      continue;  // requantization: expressed by the output data type
    }
    if (auto op = eltwise_of(kind, &l)) {
      ops.push_back(*op);
      continue;
    }
    if (kind == OpKind::add || kind == OpKind::multiply || kind == OpKind::subtract) {
      std::optional<Vertex> c;
      for (const Port& p : l.inputs) {
        if (auto found = const_source(v, p.id)) c = found;
      }
      std::optional<uint64_t> count;
      if (c && !layer(*c).outputs.empty()) count = element_count(layer(*c).outputs[0].dims);
      if (c && count && (*count == 1 || static_cast<int64_t>(*count) == channels)) {
        PostOp op{
            kind == OpKind::multiply ? "binary_mul" : "binary_add",
            kind == OpKind::multiply ? dnnl::algorithm::binary_mul : dnnl::algorithm::binary_add};
        op.binary = true;
        op.src1 = values(c, *count, v, -1, 1);
        if (kind == OpKind::subtract) {
          for (float& x : op.src1) x = -x;
        }
        ops.push_back(std::move(op));
        continue;
      }
    }
    obs.dropped.push_back(fmt::format("{} ({})", l.name, to_string(kind)));
  }
  return ops;
}

dnnl::primitive_attr make_attr(const std::vector<PostOp>& ops, int64_t channels, float scale) {
  dnnl::primitive_attr attr;
  if (scale != 1.0f) attr.set_output_scales(0, {scale});
  dnnl::post_ops po;
  for (const PostOp& op : ops) {
    if (op.binary) {
      memory::dims d =
          op.src1.size() == 1 ? memory::dims{1, 1, 1, 1} : memory::dims{1, channels, 1, 1};
      po.append_binary(op.alg, memory::desc(d, dt::f32, tag::abcd));
    } else {
      po.append_eltwise(1.0f, op.alg, op.alpha, op.beta);
    }
  }
  attr.set_post_ops(po);
  return attr;
}

const Blob* find_blob(const Layer& l, std::string_view name) {
  for (const Blob& b : l.blobs) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

/// A 2D convolution's shapes and geometry: weights from the second input port (v10+) or from
/// the layer's `<blobs>` (legacy IR, where `kernel`, `output` and `group` give the shape).
struct ConvGeometry {
  memory::dims src, weights, dst;
  std::vector<int64_t> strides, dilations, pads;
  const Blob* weights_blob = nullptr;  ///< legacy IR
  const Blob* biases_blob = nullptr;   ///< legacy IR
};

std::optional<ConvGeometry> conv_geometry(const Layer& l, bool grouped, std::string* why) {
  ConvGeometry g;
  bool legacy = l.inputs.size() == 1 && find_blob(l, "weights");
  if ((l.inputs.size() < 2 && !legacy) || l.outputs.empty()) {
    *why = "no weights: neither a weights input port nor a weights blob";
    return std::nullopt;
  }
  auto src = static_dims(l.inputs[0].dims);
  auto dst = static_dims(l.outputs[0].dims);
  if (!src || !dst) {
    *why = "dynamic or invalid shape";
    return std::nullopt;
  }
  if (src->size() != 4 || dst->size() != 4) {
    *why = fmt::format("{}D convolution (only 2D is run)", static_cast<int>(src->size()) - 2);
    return std::nullopt;
  }
  g.src = *src;
  g.dst = *dst;
  if (legacy) {
    g.weights_blob = find_blob(l, "weights");
    g.biases_blob = find_blob(l, "biases");
    auto kernel = l.int_list("kernel");
    int64_t groups = 1;
    if (l.has_attr("group")) groups = l.int_list("group").value_or(std::vector<int64_t>{0})[0];
    int64_t oc = g.dst[1], ic = g.src[1];
    if (!kernel || kernel->size() != 2 || groups <= 0 || oc % groups != 0 || ic % groups != 0) {
      *why = "legacy convolution without a 2D kernel attribute or with an invalid group";
      return std::nullopt;
    }
    if (grouped) {
      g.weights = {groups, oc / groups, ic / groups, (*kernel)[0], (*kernel)[1]};
    } else {
      g.weights = {oc, ic, (*kernel)[0], (*kernel)[1]};
    }
    size_t width = element_size(g.weights_blob->precision);
    if (width == 0 || g.weights_blob->size != static_cast<uint64_t>(product(g.weights)) * width) {
      *why = fmt::format("the weights blob ({} bytes of {}) does not hold the {} weights",
                         g.weights_blob->size, g.weights_blob->precision, product(g.weights));
      return std::nullopt;
    }
  } else {
    auto w = static_dims(l.inputs[1].dims);
    if (!w) {
      *why = "dynamic or invalid shape";
      return std::nullopt;
    }
    g.weights = *w;
  }
  if ((grouped && g.weights.size() != 5) || (!grouped && g.weights.size() != 4)) {
    *why = "unexpected weights rank";
    return std::nullopt;
  }
  g.strides = l.int_list("strides").value_or(std::vector<int64_t>{1, 1});
  g.dilations = l.int_list("dilations").value_or(std::vector<int64_t>{1, 1});
  g.pads = l.int_list("pads_begin").value_or(std::vector<int64_t>{0, 0});
  if (g.strides.size() != 2 || g.dilations.size() != 2 || g.pads.size() != 2) {
    *why = "strides, dilations or pads_begin are not 2D";
    return std::nullopt;
  }
  return g;
}

/// The values of one legacy `<blobs>` entry, or nullopt when it cannot be read.
std::optional<std::vector<float>> blob_values(WeightsFile& weights, const Layer& l,
                                              const Blob& blob, size_t count) {
  Layer only = l;
  only.blobs = {blob};
  auto read = weights.floats(only, count);
  if (!read || read->size() != count) return std::nullopt;
  return read;
}

void Executor::convolution(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  bool grouped = node.kind == OpKind::group_convolution;
  auto geo = conv_geometry(l, grouped, &obs.reason);
  if (!geo) return;
  auto src_dims = std::optional<memory::dims>(geo->src);
  auto dst_dims = std::optional<memory::dims>(geo->dst);
  memory::dims w_dims = geo->weights;
  tag w_plain = grouped ? tag::goihw : tag::oihw;
  int64_t kh = w_dims[w_dims.size() - 2], kw = w_dims[w_dims.size() - 1];
  const auto& strides = geo->strides;
  const auto& dil = geo->dilations;
  const auto& pads = geo->pads;
  memory::dims s{strides[0], strides[1]}, d{dil[0] - 1, dil[1] - 1}, pl{pads[0], pads[1]};
  // The right padding follows from the IR's output shape, whatever auto_pad said.
  memory::dims pr(2);
  pr[0] = ((*dst_dims)[2] - 1) * strides[0] + (kh - 1) * dil[0] + 1 - (*src_dims)[2] - pads[0];
  pr[1] = ((*dst_dims)[3] - 1) * strides[1] + (kw - 1) * dil[1] + 1 - (*src_dims)[3] - pads[1];
  if (pr[0] < 0 || pr[1] < 0) pr = {std::max<int64_t>(pr[0], 0), std::max<int64_t>(pr[1], 0)};

  Precision prec = node_precision(node);
  bool int8 = is_int8(prec);
  dt src_t = precision_dt(prec);
  dt dst_t = int8 && !options_.precision_override ? precision_dt(node.out_precision) : dt::f32;
  dt w_t = int8 ? dt::s8 : dt::f32;
  obs.precision = int8 ? (prec == Precision::u8 ? "u8" : "i8") : "fp32";

  bool native = options_.mode == Mode::native;
  tag src_tag = native ? tag::any : layout_tag(node.in_layout);
  tag dst_tag = native ? tag::any : layout_tag(node.out_layout);
  memory::desc src_md(*src_dims, src_t, src_tag), w_md(w_dims, w_t, tag::any),
      dst_md(*dst_dims, dst_t, dst_tag);

  std::vector<PostOp> ops = post_ops_of(index, obs);
  // A per-channel Add right after the convolution is its bias, as the plugin runs it.
  std::vector<float> bias;
  if (geo->biases_blob) {
    // A legacy convolution carries its bias as a blob.
    auto b = blob_values(weights_, l, *geo->biases_blob, static_cast<size_t>((*dst_dims)[1]));
    if (b) {
      bias = std::move(*b);
      obs.post_ops.push_back("bias");
    }
  }
  if (bias.empty() && !ops.empty() && ops.front().binary &&
      ops.front().alg == dnnl::algorithm::binary_add &&
      static_cast<int64_t>(ops.front().src1.size()) == (*dst_dims)[1]) {
    bias = std::move(ops.front().src1);
    ops.erase(ops.begin());
    obs.post_ops.push_back("bias");
  }
  memory::desc bias_md =
      bias.empty() ? memory::desc() : memory::desc({(*dst_dims)[1]}, dt::f32, tag::a);
  // Weights: the .bin when it holds them, else random; INT8 weights are quantized per tensor.
  size_t w_count = static_cast<size_t>(product(w_dims));
  std::vector<float> w_values;
  if (geo->weights_blob) {
    auto read = blob_values(weights_, l, *geo->weights_blob, w_count);
    if (read) w_values = std::move(*read);
  }
  if (w_values.empty()) {
    w_values = values(geo->weights_blob ? std::nullopt : const_source(node.main, 1), w_count,
                      node.main + 17, int8 ? -8.0f : -1.0f, int8 ? 8.0f : 1.0f);
  }
  float out_scale = 1.0f;
  if (int8) {
    float max_abs = 0;
    bool integral = true;
    for (float x : w_values) {
      max_abs = std::max(max_abs, std::fabs(x));
      integral = integral && std::nearbyint(x) == x;
    }
    if (!integral || max_abs > 127) {
      float q = max_abs > 0 ? 127.0f / max_abs : 1.0f;
      for (float& x : w_values) x = std::nearbyint(x * q);
      out_scale = 1.0f / q;
    }
  }
  dnnl::primitive_attr attr = make_attr(ops, (*dst_dims)[1], out_scale);
  for (const PostOp& op : ops) obs.post_ops.push_back(op.name);

  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::convolution_direct, src_md, w_md, bias_md,
                                       dst_md, s, d, pl, pr);
  dnnl::convolution_forward::primitive_desc pd(desc, attr, eng_, true);
  if (!pd) {
    obs.reason = fmt::format(
        "oneDNN has no implementation for this convolution ({} src, {} "
        "post-ops)",
        dt_name(src_t), ops.size());
    return;
  }
  force_fallback(node, pd, obs);
  obs.primitive = "convolution";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(pd.src_desc());
  obs.weights_layout = layout_name(pd.weights_desc());
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = dt_name(src_t);
  obs.weights_type = dt_name(w_t);
  obs.dst_type = dt_name(dst_t);
  memory::desc given_src(*src_dims, src_t, layout_tag(node.in_layout));
  memory::desc given_dst(*dst_dims, dst_t, layout_tag(node.out_layout));
  obs.src_reorder = pd.src_desc() != given_src;
  obs.dst_reorder = pd.dst_desc() != given_dst;
  obs.weights_reorder = pd.weights_desc() != memory::desc(w_dims, w_t, w_plain);

  memory src(pd.src_desc(), eng_), w(pd.weights_desc(), eng_), dst(pd.dst_desc(), eng_);
  std::vector<float> src_values =
      values(std::nullopt, static_cast<size_t>(product(*src_dims)), node.main + 1,
             int8 ? (prec == Precision::u8 ? 0.0f : -8.0f) : -1.0f, int8 ? 8.0f : 1.0f);
  fill(eng_, strm_, src, *src_dims, tag::nchw, src_values);
  fill(eng_, strm_, w, w_dims, w_plain, w_values);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
  if (!bias.empty()) {
    memory b(bias_md, eng_);
    std::copy(bias.begin(), bias.end(), static_cast<float*>(b.get_data_handle()));
    args[DNNL_ARG_BIAS] = b;
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!ops[i].binary) continue;
    memory::dims bd =
        ops[i].src1.size() == 1 ? memory::dims{1, 1, 1, 1} : memory::dims{1, (*dst_dims)[1], 1, 1};
    memory m(memory::desc(bd, dt::f32, tag::abcd), eng_);
    std::copy(ops[i].src1.begin(), ops[i].src1.end(), static_cast<float*>(m.get_data_handle()));
    args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(static_cast<int>(i)) | DNNL_ARG_SRC_1] = m;
  }
  dnnl::convolution_forward prim(pd);
  if (obs.src_reorder) add_reorder(given_src, pd.src_desc());
  record(prim, args, obs);
  if (obs.dst_reorder) add_reorder(pd.dst_desc(), given_dst);
  if (options_.keep_values) {
    obs.src_dims = *src_dims;
    obs.weights_dims = w_dims;
    obs.dst_dims = *dst_dims;
    obs.src_values = std::move(src_values);
    obs.weights_values = std::move(w_values);
    obs.dst_values = read_back(eng_, strm_, dst, *dst_dims, tag::nchw);
  }
}

void Executor::matmul(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  if (l.inputs.size() < 2 || l.outputs.empty()) {
    obs.reason = "needs two inputs";
    return;
  }
  auto a = static_dims(l.inputs[0].dims);
  auto b = static_dims(l.inputs[1].dims);
  auto c = static_dims(l.outputs[0].dims);
  if (!a || !b || !c || a->size() != 2 || b->size() != 2 || c->size() != 2) {
    obs.reason = "only static 2D MatMul is run";
    return;
  }
  bool tb = l.attr("transpose_b") == "true";
  if (l.attr("transpose_a") == "true") {
    obs.reason = "transpose_a is not run";
    return;
  }
  memory::dims w_dims{(*c)[1] == (*b)[tb ? 0 : 1] ? (*a)[1] : -1, (*c)[1]};
  if (w_dims[0] != (*a)[1]) {
    obs.reason = "inconsistent MatMul shapes";
    return;
  }
  Precision prec = node_precision(node);
  bool int8 = is_int8(prec);
  dt src_t = precision_dt(prec), w_t = int8 ? dt::s8 : dt::f32, dst_t = dt::f32;
  obs.precision = int8 ? (prec == Precision::u8 ? "u8" : "i8") : "fp32";
  bool native = options_.mode == Mode::native;
  memory::desc src_md(*a, src_t, tag::ab), w_md(w_dims, w_t, native ? tag::any : tag::ab),
      dst_md(*c, dst_t, tag::ab);
  std::vector<PostOp> ops = post_ops_of(index, obs);
  std::erase_if(ops, [](const PostOp& op) { return op.binary; });
  dnnl::primitive_attr attr;
  dnnl::post_ops po;
  for (const PostOp& op : ops) {
    po.append_eltwise(1.0f, op.alg, op.alpha, op.beta);
    obs.post_ops.push_back(op.name);
  }
  attr.set_post_ops(po);
  dnnl::matmul::desc desc(src_md, w_md, dst_md);
  dnnl::matmul::primitive_desc pd(desc, attr, eng_, true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this matmul";
    return;
  }
  obs.primitive = "matmul";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(pd.src_desc());
  obs.weights_layout = layout_name(pd.weights_desc());
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = dt_name(src_t);
  obs.weights_type = dt_name(w_t);
  obs.dst_type = dt_name(dst_t);
  obs.weights_reorder = pd.weights_desc() != memory::desc(w_dims, w_t, tb ? tag::ba : tag::ab);
  memory src(pd.src_desc(), eng_), w(pd.weights_desc(), eng_), dst(pd.dst_desc(), eng_);
  fill(eng_, strm_, src, *a, tag::ab,
       values(std::nullopt, static_cast<size_t>(product(*a)), node.main + 1, int8 ? 0.0f : -1.0f,
              int8 ? 8.0f : 1.0f));
  std::vector<float> wv = values(const_source(node.main, 1), static_cast<size_t>(product(w_dims)),
                                 node.main + 17, int8 ? -8.0f : -1.0f, int8 ? 8.0f : 1.0f);
  if (int8) {
    for (float& x : wv) x = std::clamp(std::nearbyint(x), -127.0f, 127.0f);
  }
  fill(eng_, strm_, w, w_dims, tb ? tag::ba : tag::ab, wv);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
  dnnl::matmul prim(pd);
  record(prim, args, obs);
}

void Executor::eltwise(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto op = eltwise_of(node.kind, &l);
  if (!op) {
    obs.reason = fmt::format("{} has no oneDNN eltwise algorithm", to_string(node.kind));
    return;
  }
  auto dims = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  if (!dims || dims->size() != 4) {
    obs.reason = "only static 4D eltwise is run";
    return;
  }
  Precision prec = node_precision(node);
  dt t = precision_dt(prec);
  obs.precision = is_int8(prec) ? (prec == Precision::u8 ? "u8" : "i8") : "fp32";
  // An eltwise has no preferred layout of its own: it takes the plan's.
  memory::desc md(*dims, t, layout_tag(node.in_layout));
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, op->alg, md, op->alpha,
                                   op->beta);
  dnnl::eltwise_forward::primitive_desc pd(desc, eng_, true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this eltwise";
    return;
  }
  obs.primitive = "eltwise";
  obs.impl = pd.impl_info_str();
  obs.src_layout = obs.dst_layout = layout_name(pd.src_desc());
  obs.src_type = obs.dst_type = dt_name(t);
  memory src(pd.src_desc(), eng_), dst(pd.dst_desc(), eng_);
  fill(eng_, strm_, src, *dims, tag::nchw,
       values(std::nullopt, static_cast<size_t>(product(*dims)), node.main + 1, -4.0f, 4.0f));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
  dnnl::eltwise_forward prim(pd);
  record(prim, args, obs);
}

void Executor::pooling(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto src_dims = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  auto dst_dims = l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
  if (!src_dims || !dst_dims || src_dims->size() != 4 || dst_dims->size() != 4) {
    obs.reason = "only static 4D pooling is run";
    return;
  }
  memory::dims kernel, strides, pl{0, 0}, pr{0, 0};
  dnnl::algorithm alg = dnnl::algorithm::pooling_max;
  if (node.kind == OpKind::reduce_mean) {
    if ((*dst_dims)[2] != 1 || (*dst_dims)[3] != 1) {
      obs.reason = "only a global spatial mean is run as pooling";
      return;
    }
    kernel = {(*src_dims)[2], (*src_dims)[3]};
    strides = {1, 1};
    alg = dnnl::algorithm::pooling_avg_include_padding;
  } else {
    auto k = l.int_list("kernel"), s = l.int_list("strides"), b = l.int_list("pads_begin");
    if (!k || !s || !b || k->size() != 2 || s->size() != 2 || b->size() != 2) {
      obs.reason = "kernel, strides or pads_begin missing or not 2D";
      return;
    }
    kernel = {(*k)[0], (*k)[1]};
    strides = {(*s)[0], (*s)[1]};
    pl = {(*b)[0], (*b)[1]};
    for (int i = 0; i < 2; ++i) {
      size_t u = static_cast<size_t>(i);
      pr[u] = std::max<int64_t>(
          0, ((*dst_dims)[u + 2] - 1) * strides[u] + kernel[u] - (*src_dims)[u + 2] - pl[u]);
    }
    if (node.kind == OpKind::avg_pool) {
      alg = l.attr("exclude-pad") == "true" ? dnnl::algorithm::pooling_avg_exclude_padding
                                            : dnnl::algorithm::pooling_avg_include_padding;
    }
  }
  Precision prec = node_precision(node);
  dt t = precision_dt(prec);
  obs.precision = is_int8(prec) ? (prec == Precision::u8 ? "u8" : "i8") : "fp32";
  memory::desc src_md(*src_dims, t, layout_tag(node.in_layout));
  memory::desc dst_md(*dst_dims, t,
                      options_.mode == Mode::native ? tag::any : layout_tag(node.out_layout));
  dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, alg, src_md, dst_md, strides,
                                   kernel, pl, pr);
  dnnl::pooling_forward::primitive_desc pd(desc, eng_, true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this pooling";
    return;
  }
  obs.primitive = "pooling";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(pd.src_desc());
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = obs.dst_type = dt_name(t);
  memory src(pd.src_desc(), eng_), dst(pd.dst_desc(), eng_);
  fill(eng_, strm_, src, *src_dims, tag::nchw,
       values(std::nullopt, static_cast<size_t>(product(*src_dims)), node.main + 1, 0.0f, 8.0f));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
  if (pd.workspace_desc().get_size() > 0)
    args[DNNL_ARG_WORKSPACE] = memory(pd.workspace_desc(), eng_);
  dnnl::pooling_forward prim(pd);
  record(prim, args, obs);
}

std::optional<std::vector<float>> Executor::constant_values(Vertex v, const Port& port) {
  auto c = const_source(v, port.id);
  auto dims = static_dims(port.dims);
  if (!c || !dims) return std::nullopt;
  size_t count = static_cast<size_t>(product(*dims));
  auto read = weights_.floats(layer(*c), count);
  if (!read || read->size() != count) return std::nullopt;
  return read;
}

memory::desc Executor::activation_md(const memory::dims& dims, dt type, Layout layout) const {
  return memory::desc(dims, type, dims.size() == 4 ? layout_tag(layout) : plain_tag(dims.size()));
}

std::vector<float> Executor::input_values(Vertex v, const Port& port, const memory::dims& dims,
                                          uint64_t seed, float lo, float hi) {
  if (auto read = constant_values(v, port);
      read && read->size() == static_cast<size_t>(product(dims))) {
    return *read;
  }
  return values(std::nullopt, static_cast<size_t>(product(dims)), seed, lo, hi);
}

void Executor::keep(NodeObservation& obs, const memory::dims& src_dims,
                    std::vector<float> src_values, const memory& dst,
                    const memory::dims& dst_dims) {
  if (!options_.keep_values) return;
  obs.src_dims = src_dims;
  obs.src_values = std::move(src_values);
  obs.dst_dims = dst_dims;
  obs.dst_values = read_back(eng_, strm_, dst, dst_dims, plain_tag(dst_dims.size()));
}

/// Two-input element-wise arithmetic as a `binary` primitive, numpy broadcast on the second
/// input (the inputs of a commutative op are swapped when the first is the broadcast one).
void Executor::binary(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  using dnnl::algorithm;
  std::optional<algorithm> alg;
  bool legacy = l.type == "Eltwise";
  std::string_view op = legacy ? l.attr("operation") : l.type;
  switch (node.kind) {
    case OpKind::add:
      alg = algorithm::binary_add;
      break;
    case OpKind::multiply:
      alg = algorithm::binary_mul;
      break;
    case OpKind::subtract:
      alg = algorithm::binary_sub;
      break;
    case OpKind::divide:
      alg = algorithm::binary_div;
      break;
    default:
      if (op == "Maximum" || op == "max") alg = algorithm::binary_max;
      if (op == "Minimum" || op == "min") alg = algorithm::binary_min;
  }
  if (!alg) {
    obs.reason = fmt::format("{} has no oneDNN binary algorithm", legacy ? op : l.type);
    return;
  }
  if (legacy && l.has_attr("coeff")) {
    auto coeff = l.int_list("coeff");
    if (!coeff || std::any_of(coeff->begin(), coeff->end(), [](int64_t c) { return c != 1; })) {
      obs.reason = "Eltwise with coefficients is not run";
      return;
    }
  }
  if (l.inputs.size() != 2 || l.outputs.empty()) {
    obs.reason =
        fmt::format("only two-input element-wise ops are run ({} inputs)", l.inputs.size());
    return;
  }
  auto a = static_dims(l.inputs[0].dims), b = static_dims(l.inputs[1].dims);
  auto c = static_dims(l.outputs[0].dims);
  if (!a || !b || !c) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  if (a->size() > c->size() || b->size() > c->size() || c->empty()) {
    obs.reason = "inputs of higher rank than the output";
    return;
  }
  // Numpy broadcast: align the trailing dimensions.
  a->insert(a->begin(), c->size() - a->size(), 1);
  b->insert(b->begin(), c->size() - b->size(), 1);
  const Port* p0 = &l.inputs[0];
  const Port* p1 = &l.inputs[1];
  bool commutative = *alg != algorithm::binary_sub && *alg != algorithm::binary_div;
  if (*a != *c && *b == *c && commutative) {
    std::swap(*a, *b);
    std::swap(p0, p1);
  }
  if (*a != *c) {
    obs.reason = "the first input is broadcast (oneDNN broadcasts only the second)";
    return;
  }
  for (size_t i = 0; i < c->size(); ++i) {
    if ((*b)[i] != (*c)[i] && (*b)[i] != 1) {
      obs.reason = "the inputs do not broadcast to the output";
      return;
    }
  }
  Precision prec = node_precision(node);
  bool int8 = is_int8(prec);
  dt src_t = precision_dt(prec);
  dt dst_t = int8 && !options_.precision_override ? precision_dt(node.out_precision) : dt::f32;
  obs.precision = precision_word(prec);
  memory::desc src0_md = activation_md(*a, src_t, node.in_layout);
  // The second input in the first one's layout, broadcast or not: a plain broadcast operand next
  // to a blocked (nChw8c) first input sends oneDNN 2.6 to ref:any, which no runtime runs.
  // A scalar operand of a blocked input goes per channel (the same values): oneDNN 2.6 runs a
  // scalar broadcast on nChw8c/nChw16c (x / 6 of a decomposed HSwish) with ref:any only.
  memory::dims b_exec = *b;
  bool blocked = node.in_layout == Layout::blocked8 || node.in_layout == Layout::blocked16;
  if (b->size() == 4 && product(*b) == 1 && blocked) b_exec = {1, (*a)[1], 1, 1};
  memory::desc src1_md = activation_md(b_exec, src_t, node.in_layout);
  memory::desc dst_md = options_.mode == Mode::native ? memory::desc(*c, dst_t, tag::any)
                                                      : activation_md(*c, dst_t, node.out_layout);
  dnnl::binary::desc desc(*alg, src0_md, src1_md, dst_md);
  dnnl::binary::primitive_desc pd(desc, eng_, true);
  if (!pd) {
    obs.reason =
        fmt::format("oneDNN has no implementation for this binary ({} src)", dt_name(src_t));
    return;
  }
  obs.primitive = "binary";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(pd.src_desc(0));
  obs.weights_layout = layout_name(pd.src_desc(1));
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = obs.weights_type = dt_name(src_t);
  obs.dst_type = dt_name(dst_t);
  obs.dst_reorder = pd.dst_desc() != activation_md(*c, dst_t, node.out_layout);
  float lo = int8 ? (prec == Precision::u8 ? 0.0f : -8.0f) : -2.0f, hi = int8 ? 8.0f : 2.0f;
  std::vector<float> v0 = input_values(node.main, *p0, *a, node.main + 1, lo, hi);
  // A divisor away from zero.
  std::vector<float> v1 = *alg == algorithm::binary_div
                              ? input_values(node.main, *p1, *b, node.main + 29, 0.5f, 2.0f)
                              : input_values(node.main, *p1, *b, node.main + 29, lo, hi);
  memory src0(pd.src_desc(0), eng_), src1(pd.src_desc(1), eng_), dst(pd.dst_desc(), eng_);
  fill(eng_, strm_, src0, *a, plain_tag(a->size()), v0);
  std::vector<float> v1_exec = v1;
  if (b_exec != *b) v1_exec.assign(static_cast<size_t>(product(b_exec)), v1.front());
  fill(eng_, strm_, src1, b_exec, plain_tag(b_exec.size()), v1_exec);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC_0, src0}, {DNNL_ARG_SRC_1, src1}, {DNNL_ARG_DST, dst}};
  dnnl::binary prim(pd);
  record(prim, args, obs);
  if (options_.keep_values) {
    obs.weights_dims = *b;
    obs.weights_values = v1;
  }
  keep(obs, *a, std::move(v0), dst, *c);
}

/// SoftMax over the `axis` of `<data>` (default 1) as `softmax_forward`, FP32.
void Executor::softmax(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto dims = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  if (!dims || dims->empty() || dims->size() > 6) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto axis = axis_of(l, 1, dims->size());
  if (!axis) {
    obs.reason = fmt::format("axis '{}' is out of range", l.attr("axis"));
    return;
  }
  // oneDNN 2.6 runs softmax in f32 (and bf16) only.
  obs.precision = "fp32";
  memory::desc md = activation_md(*dims, dt::f32, node.in_layout);
  dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, md, *axis);
  dnnl::softmax_forward::primitive_desc pd(desc, eng_, true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this softmax";
    return;
  }
  obs.primitive = "softmax";
  obs.impl = pd.impl_info_str();
  obs.src_layout = obs.dst_layout = layout_name(pd.src_desc());
  obs.src_type = obs.dst_type = "f32";
  memory src(pd.src_desc(), eng_), dst(pd.dst_desc(), eng_);
  std::vector<float> v =
      values(std::nullopt, static_cast<size_t>(product(*dims)), node.main + 1, -4.0f, 4.0f);
  fill(eng_, strm_, src, *dims, plain_tag(dims->size()), v);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
  dnnl::softmax_forward prim(pd);
  record(prim, args, obs);
  keep(obs, *dims, std::move(v), dst, *dims);
}

/// Concat along `axis` as `concat`. With keep_values, src_values holds every input in order.
void Executor::concat(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto out = l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
  if (!out || out->empty() || l.inputs.empty()) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto axis = axis_of(l, 1, out->size());
  if (!axis) {
    obs.reason = fmt::format("axis '{}' is out of range", l.attr("axis"));
    return;
  }
  Precision prec = node_precision(node);
  dt t = precision_dt(prec);
  obs.precision = precision_word(prec);
  std::vector<memory::desc> srcs;
  std::vector<memory::dims> in_dims;
  for (const Port& p : l.inputs) {
    auto d = static_dims(p.dims);
    if (!d || d->size() != out->size()) {
      obs.reason = "dynamic or invalid input shape";
      return;
    }
    in_dims.push_back(*d);
    srcs.push_back(activation_md(*d, t, node.in_layout));
  }
  bool native = options_.mode == Mode::native;
  memory::desc dst_md =
      native ? memory::desc(*out, t, tag::any) : activation_md(*out, t, node.out_layout);
  dnnl::concat::primitive_desc pd(dst_md, *axis, srcs, eng_);
  obs.primitive = "concat";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(srcs.front());
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = obs.dst_type = dt_name(t);
  obs.dst_reorder = pd.dst_desc() != activation_md(*out, t, node.out_layout);
  std::unordered_map<int, memory> args;
  std::vector<float> all;
  bool int8 = is_int8(prec);
  for (size_t i = 0; i < srcs.size(); ++i) {
    memory m(srcs[i], eng_);
    std::vector<float> v = input_values(node.main, l.inputs[i], in_dims[i], node.main + 1 + i,
                                        int8 ? 0.0f : -2.0f, int8 ? 8.0f : 2.0f);
    fill(eng_, strm_, m, in_dims[i], plain_tag(in_dims[i].size()), v);
    all.insert(all.end(), v.begin(), v.end());
    args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] = m;
  }
  memory dst(pd.dst_desc(), eng_);
  args[DNNL_ARG_DST] = dst;
  dnnl::concat prim(pd);
  record(prim, args, obs);
  keep(obs, in_dims.front(), std::move(all), dst, *out);
}

/// Reshape/Squeeze/Unsqueeze/Flatten: the same data under other dims, no primitive.
void Executor::view(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto in = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  auto out = l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
  if (!in || !out || product(*in) != product(*out)) {
    obs.reason = "dynamic shape or a reshape that changes the element count";
    return;
  }
  Precision prec = node_precision(node);
  obs.precision = precision_word(prec);
  obs.primitive = obs.impl = "view";
  obs.src_type = obs.dst_type = dt_name(precision_dt(prec));
  obs.src_layout = in->size() == 4 ? plan_layout_name(node.in_layout)
                                   : generic_tag(memory::desc(*in, dt::f32, plain_tag(in->size())));
  obs.dst_layout = out->size() == 4
                       ? plan_layout_name(node.out_layout)
                       : generic_tag(memory::desc(*out, dt::f32, plain_tag(out->size())));
  obs.ran = true;
  if (options_.keep_values) {
    obs.src_dims = *in;
    obs.dst_dims = *out;
  }
}

/// Transpose (order from its second input) or legacy Permute (`order`) as a `reorder` from the
/// source viewed with permuted axes to the destination.
void Executor::transpose(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto in = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  auto out = l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
  if (!in || !out || in->size() != out->size() || in->empty() || in->size() > 6) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  std::vector<int64_t> order;
  if (l.type == "Permute") {
    order = l.int_list("order").value_or(std::vector<int64_t>{});
  } else if (l.inputs.size() >= 2) {
    if (auto read = constant_values(node.main, l.inputs[1])) {
      for (float x : *read) order.push_back(static_cast<int64_t>(x));
    } else {
      // No .bin: the permutation that maps the input shape onto the output shape, equal
      // dimensions keeping their relative order.
      std::vector<bool> used(in->size(), false);
      for (int64_t d : *out) {
        size_t j = 0;
        while (j < in->size() && (used[j] || (*in)[j] != d)) ++j;
        if (j == in->size()) break;
        used[j] = true;
        order.push_back(static_cast<int64_t>(j));
      }
      if (order.size() != in->size()) {
        obs.reason = "the transpose order is not a readable constant";
        return;
      }
    }
  }
  size_t rank = in->size();
  if (order.empty()) {
    for (size_t i = 0; i < rank; ++i) order.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  std::vector<int> perm(rank, -1);
  for (size_t i = 0; i < order.size() && order.size() == rank; ++i) {
    if (order[i] < 0 || order[i] >= static_cast<int64_t>(rank) || perm[order[i]] >= 0) break;
    perm[static_cast<size_t>(order[i])] = static_cast<int>(i);
  }
  if (std::count(perm.begin(), perm.end(), -1) > 0) {
    obs.reason = "the order is not a permutation of the input axes";
    return;
  }
  Precision prec = node_precision(node);
  dt t = precision_dt(prec);
  obs.precision = precision_word(prec);
  memory::desc src_md = activation_md(*in, t, node.in_layout);
  memory::desc src_view = src_md.permute_axes(perm);
  if (src_view.dims() != *out) {
    obs.reason = "the output shape does not match the permuted input";
    return;
  }
  memory::desc dst_md = options_.mode == Mode::native ? memory::desc(*out, t, plain_tag(rank))
                                                      : activation_md(*out, t, node.out_layout);
  dnnl::reorder::primitive_desc pd(eng_, src_view, eng_, dst_md, dnnl::primitive_attr(), true);
  if (!pd) {
    obs.reason = "oneDNN has no reorder for this permutation";
    return;
  }
  obs.primitive = "reorder";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(src_md);
  obs.dst_layout = layout_name(dst_md);
  obs.src_type = obs.dst_type = dt_name(t);
  // The permuted view owns the buffer: it is what the whole-plan steps keep.
  memory src_as_view(src_view, eng_), dst(dst_md, eng_);
  memory src(src_md, eng_, src_as_view.get_data_handle());
  std::vector<float> v = values(std::nullopt, static_cast<size_t>(product(*in)), node.main + 1,
                                is_int8(prec) ? 0.0f : -2.0f, is_int8(prec) ? 8.0f : 2.0f);
  fill(eng_, strm_, src, *in, plain_tag(rank), v);
  std::unordered_map<int, memory> args{{DNNL_ARG_FROM, src_as_view}, {DNNL_ARG_TO, dst}};
  dnnl::reorder prim(pd);
  record(prim, args, obs);
  keep(obs, *in, std::move(v), dst, *out);
}

/// FakeQuantize as the reorder the runtime makes of it: quantize (f32 → u8/s8) when the plan
/// quantizes there, dequantize (u8/s8 → f32) when its input is already INT8. The integer value
/// of level q (0 … levels-1) is q, minus levels/2 for s8; scales and zero points come from the
/// input_low/high and output_low/high constants, per tensor or per channel.
void Executor::fake_quantize(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  if (l.inputs.size() != 5 || l.outputs.empty()) {
    obs.reason = "FakeQuantize needs five inputs";
    return;
  }
  auto dims = static_dims(l.inputs[0].dims);
  auto levels_list = l.int_list("levels");
  if (!dims || dims->empty()) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  if (!levels_list || levels_list->size() != 1 || (*levels_list)[0] < 2 ||
      (*levels_list)[0] > 256) {
    obs.reason = fmt::format("levels '{}' does not fit 8 bits", l.attr("levels"));
    return;
  }
  float levels = static_cast<float>((*levels_list)[0]);
  int64_t channels = dims->size() >= 2 ? (*dims)[1] : 1;
  std::vector<std::vector<float>> limits;  // input_low, input_high, output_low, output_high
  size_t count = 1;
  for (size_t i = 1; i < 5; ++i) {
    auto read = constant_values(node.main, l.inputs[i]);
    if (!read || read->empty()) {
      obs.reason = "the FakeQuantize limits are not readable constants";
      return;
    }
    if (read->size() != 1 && static_cast<int64_t>(read->size()) != channels) {
      obs.reason = "FakeQuantize limits that are neither per tensor nor per channel";
      return;
    }
    count = std::max(count, read->size());
    limits.push_back(std::move(*read));
  }
  for (auto& lim : limits) lim.resize(count, lim.front());
  bool quantize;
  if (options_.precision_override) {
    quantize = !is_int8(*options_.precision_override);
  } else if (!is_int8(node.in_precision) && is_int8(node.out_precision)) {
    quantize = true;
  } else if (is_int8(node.in_precision) && !is_int8(node.out_precision)) {
    quantize = false;
  } else {
    obs.reason = is_int8(node.in_precision) ? "requantization (INT8 in and out) is not run"
                                            : "the plan keeps this FakeQuantize in FP32";
    return;
  }
  dt int_t;
  if (options_.precision_override && !quantize) {
    int_t = precision_dt(*options_.precision_override);
  } else if (options_.precision_override) {
    bool negative = std::any_of(limits[2].begin(), limits[2].end(), [](float x) { return x < 0; });
    int_t = negative ? dt::s8 : dt::u8;
  } else {
    int_t = precision_dt(quantize ? node.out_precision : node.in_precision);
  }
  float zq = int_t == dt::s8 ? -std::floor(levels / 2) : 0.0f;
  std::vector<float> scales(count);
  std::vector<float> zero_points(count);
  for (size_t c = 0; c < count; ++c) {
    float il = limits[0][c], ih = limits[1][c], ol = limits[2][c], oh = limits[3][c];
    if (ih <= il || oh == ol) {
      obs.reason = "an empty FakeQuantize range";
      return;
    }
    if (quantize) {
      scales[c] = (levels - 1) / (ih - il);
      zero_points[c] = std::nearbyint(zq - il * scales[c]);
    } else {
      scales[c] = (oh - ol) / (levels - 1);
      zero_points[c] = std::nearbyint(zq - ol / scales[c]);
    }
  }
  if (std::any_of(zero_points.begin(), zero_points.end(),
                  [&](float z) { return z != zero_points.front(); })) {
    obs.reason = "per-channel zero points (a reorder takes one zero point)";
    return;
  }
  int32_t zp = static_cast<int32_t>(zero_points.front());
  dnnl::primitive_attr attr;
  attr.set_output_scales(count == 1 ? 0 : 1 << 1, scales);
  int zp_arg = quantize ? DNNL_ARG_DST : DNNL_ARG_SRC;
  if (zp != 0) attr.set_zero_points(zp_arg, 0, {DNNL_RUNTIME_S32_VAL});
  dt src_t = quantize ? dt::f32 : int_t, dst_t = quantize ? int_t : dt::f32;
  obs.precision = quantize ? "fp32" : (int_t == dt::u8 ? "u8" : "i8");
  memory::desc src_md = activation_md(*dims, src_t, node.in_layout);
  memory::desc dst_md = options_.mode == Mode::native
                            ? activation_md(*dims, dst_t, node.in_layout)
                            : activation_md(*dims, dst_t, node.out_layout);
  dnnl::reorder::primitive_desc pd(eng_, src_md, eng_, dst_md, attr, true);
  if (!pd) {
    obs.reason = fmt::format("oneDNN has no reorder {} to {} with these scales", dt_name(src_t),
                             dt_name(dst_t));
    return;
  }
  obs.primitive = "reorder";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(src_md);
  obs.dst_layout = layout_name(dst_md);
  obs.src_type = dt_name(src_t);
  obs.dst_type = dt_name(dst_t);
  obs.post_ops.push_back(quantize ? "quantize" : "dequantize");
  std::vector<float> v;
  if (quantize) {
    float lo = *std::min_element(limits[0].begin(), limits[0].end());
    float hi = *std::max_element(limits[1].begin(), limits[1].end());
    float margin = (hi - lo) * 0.1f;
    v = values(std::nullopt, static_cast<size_t>(product(*dims)), node.main + 1, lo - margin,
               hi + margin);
  } else {
    v = values(std::nullopt, static_cast<size_t>(product(*dims)), node.main + 1,
               int_t == dt::u8 ? 0.0f : -128.0f, int_t == dt::u8 ? 255.0f : 127.0f);
  }
  memory src(src_md, eng_), dst(dst_md, eng_);
  fill(eng_, strm_, src, *dims, plain_tag(dims->size()), v);
  std::unordered_map<int, memory> args{{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}};
  if (zp != 0) {
    memory z(memory::desc({1}, dt::s32, tag::a), eng_);
    *static_cast<int32_t*>(z.get_data_handle()) = zp;
    args[DNNL_ARG_ATTR_ZERO_POINTS | zp_arg] = z;
  }
  dnnl::reorder prim(pd);
  record(prim, args, obs);
  keep(obs, *dims, std::move(v), dst, *dims);
}

/// Interpolate (opset1/4/11) and legacy Resample as `resampling_forward`, where oneDNN's
/// nearest (round of the half-pixel source coordinate) or linear (half-pixel) is what the
/// layer computes.
void Executor::resample(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  const Layer& l = layer(node.main);
  auto in = l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
  auto out = l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
  if (!in || !out || in->size() != out->size() || in->size() < 3 || in->size() > 5) {
    obs.reason = "dynamic shape or not a 1D to 3D spatial resize";
    return;
  }
  if ((*in)[0] != (*out)[0] || (*in)[1] != (*out)[1]) {
    obs.reason = "a resize of the batch or channel axis (oneDNN resizes spatial axes only)";
    return;
  }
  bool upscale = true, integer_factor = true;
  for (size_t i = 2; i < in->size(); ++i) {
    upscale = upscale && (*out)[i] >= (*in)[i];
    integer_factor = integer_factor && (*out)[i] % (*in)[i] == 0;
  }
  std::string mode, ctm, nearest_mode;
  if (l.type == "Resample") {
    std::string_view type = l.attr("type");
    mode = type.find("NEAREST") != std::string_view::npos  ? "nearest"
           : type.find("LINEAR") != std::string_view::npos ? "linear"
                                                           : std::string(type);
    ctm = mode == "nearest" ? "asymmetric" : "half_pixel";
    nearest_mode = "floor";
  } else {
    mode = std::string(l.attr("mode"));
    bool opset1 = l.version == "opset1";
    std::string_view corners = l.attr("align_corners");
    ctm = opset1 ? (corners == "1" || corners == "true"
                        ? "align_corners"
                        : (mode == "nearest" ? "asymmetric" : "half_pixel"))
                 : std::string(l.has_attr("coordinate_transformation_mode")
                                   ? l.attr("coordinate_transformation_mode")
                                   : "half_pixel");
    nearest_mode = opset1 ? "floor"
                          : std::string(l.has_attr("nearest_mode") ? l.attr("nearest_mode")
                                                                   : "round_prefer_floor");
  }
  std::string_view antialias = l.attr("antialias");
  if (antialias == "1" || antialias == "true") {
    obs.reason = "antialiased Interpolate has no oneDNN resampling";
    return;
  }
  std::optional<dnnl::algorithm> alg;
  if (mode == "nearest") {
    bool half =
        ctm == "half_pixel" || ctm == "tf_half_pixel_for_nearest" || (ctm == "pytorch_half_pixel");
    // oneDNN picks round((d + 0.5) / f - 0.5): the same source pixel for these combinations.
    if ((half && (nearest_mode == "round_prefer_ceil" ||
                  (nearest_mode == "round_prefer_floor" && upscale))) ||
        ((ctm == "asymmetric" || half) && nearest_mode == "floor" && upscale && integer_factor)) {
      alg = dnnl::algorithm::resampling_nearest;
    }
  } else if (mode == "linear" || mode == "linear_onnx" || mode == "bilinear") {
    if (ctm == "half_pixel" || ctm == "pytorch_half_pixel")
      alg = dnnl::algorithm::resampling_linear;
  }
  if (!alg) {
    obs.reason = fmt::format(
        "mode '{}' with coordinate_transformation_mode '{}' and nearest_mode '{}' has no oneDNN "
        "resampling equivalent",
        mode, ctm, nearest_mode);
    return;
  }
  Precision prec = node_precision(node);
  dt t = precision_dt(prec);
  dt dst_t = is_int8(prec) && !options_.precision_override ? precision_dt(node.out_precision)
                                                           : (is_int8(prec) ? t : dt::f32);
  obs.precision = precision_word(prec);
  memory::desc src_md = activation_md(*in, t, node.in_layout);
  memory::desc dst_md = options_.mode == Mode::native ? memory::desc(*out, dst_t, tag::any)
                                                      : activation_md(*out, dst_t, node.out_layout);
  dnnl::resampling_forward::desc desc(dnnl::prop_kind::forward_inference, *alg, src_md, dst_md);
  dnnl::resampling_forward::primitive_desc pd(desc, eng_, true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this resampling";
    return;
  }
  obs.primitive = "resampling";
  obs.impl = pd.impl_info_str();
  obs.src_layout = layout_name(pd.src_desc());
  obs.dst_layout = layout_name(pd.dst_desc());
  obs.src_type = dt_name(t);
  obs.dst_type = dt_name(dst_t);
  obs.post_ops.push_back(*alg == dnnl::algorithm::resampling_nearest ? "nearest" : "linear");
  obs.dst_reorder = pd.dst_desc() != activation_md(*out, dst_t, node.out_layout);
  memory src(pd.src_desc(), eng_), dst(pd.dst_desc(), eng_);
  std::vector<float> v = values(std::nullopt, static_cast<size_t>(product(*in)), node.main + 1,
                                is_int8(prec) ? 0.0f : -2.0f, is_int8(prec) ? 8.0f : 2.0f);
  fill(eng_, strm_, src, *in, plain_tag(in->size()), v);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
  dnnl::resampling_forward prim(pd);
  record(prim, args, obs);
  keep(obs, *in, std::move(v), dst, *out);
}

/// Tries every activation after a convolution as a post-op of that convolution, fused by the
/// plan or not: whether oneDNN accepts it is what unfusable-activation predicts.
void Executor::probe_activations(LiveRun& out) {
  for (size_t i = 0; i < plan_.activations.size(); ++i) {
    const PlanActivation& a = plan_.activations[i];
    if (a.conv_node < 0) continue;
    PostOpProbe probe;
    probe.activation = static_cast<int32_t>(i);
    probe.conv_node = a.conv_node;
    probe.kind = std::string(to_string(a.kind));
    const NodeObservation* conv = nullptr;
    for (const NodeObservation& o : out.nodes) {
      if (o.node == a.conv_node && o.ran && o.primitive == "convolution") conv = &o;
    }
    auto op = eltwise_of(a.kind, a.layers.empty() ? nullptr : &layer(a.layers.front()));
    if (!conv) {
      probe.error = "the convolution did not run";
    } else if (!op) {
      probe.error = fmt::format("irlint maps no oneDNN eltwise to {}", probe.kind);
    } else {
      const PlanNode& node = plan_.nodes[static_cast<size_t>(a.conv_node)];
      const Layer& l = layer(node.main);
      std::string why;
      // The convolution ran, so its geometry is valid.
      ConvGeometry geo = *conv_geometry(l, node.kind == OpKind::group_convolution, &why);
      auto src_dims = std::optional<memory::dims>(geo.src);
      auto w_dims = std::optional<memory::dims>(geo.weights);
      auto dst_dims = std::optional<memory::dims>(geo.dst);
      const auto& strides = geo.strides;
      const auto& pads = geo.pads;
      const auto& dil = geo.dilations;
      int64_t kh = (*w_dims)[w_dims->size() - 2], kw = (*w_dims)[w_dims->size() - 1];
      memory::dims pr{std::max<int64_t>(0, ((*dst_dims)[2] - 1) * strides[0] + (kh - 1) * dil[0] +
                                               1 - (*src_dims)[2] - pads[0]),
                      std::max<int64_t>(0, ((*dst_dims)[3] - 1) * strides[1] + (kw - 1) * dil[1] +
                                               1 - (*src_dims)[3] - pads[1])};
      auto type_of = [](const std::string& n) {
        return n == "u8" ? dt::u8 : n == "s8" ? dt::s8 : dt::f32;
      };
      // The convolution as it was observed, with this activation as its only post-op.
      memory::desc src_md(*src_dims, type_of(conv->src_type), tag::any),
          w_md(*w_dims, type_of(conv->weights_type), tag::any),
          dst_md(*dst_dims, type_of(conv->dst_type), tag::any);
      dnnl::primitive_attr attr = make_attr({*op}, (*dst_dims)[1], 1.0f);
      dnnl::convolution_forward::desc desc(
          dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md, w_md,
          dst_md, {strides[0], strides[1]}, {dil[0] - 1, dil[1] - 1}, {pads[0], pads[1]}, pr);
      dnnl::convolution_forward::primitive_desc pd(desc, attr, eng_, true);
      probe.accepted = static_cast<bool>(pd);
      if (pd)
        probe.impl = pd.impl_info_str();
      else
        probe.error = fmt::format("oneDNN rejected {} as a post-op", op->name);
    }
    out.probes.push_back(std::move(probe));
  }
}

LiveRun Executor::run() {
  LiveRun out;
  out.mode = options_.mode == Mode::native ? "native" : "imposed";
  out.isa_effective = effective_isa();
  const dnnl_version_t* v = dnnl_version();
  out.onednn_version = fmt::format("{}.{}.{}", v->major, v->minor, v->patch);
  out.iterations = options_.iterations;
  out.threads = thread_count();
  out.what_if = plan_.target.policy && plan_.target.policy->openvino_exec_names;
  steps_.clear();
  auto runs = [](const PlanNode& node) {
    return node.kind != OpKind::parameter && node.kind != OpKind::result &&
           (!is_passive(node.kind) || node.kind == OpKind::reshape);
  };
  size_t total = static_cast<size_t>(std::count_if(plan_.nodes.begin(), plan_.nodes.end(), runs));
  for (size_t i = 0; i < plan_.nodes.size(); ++i) {
    const PlanNode& node = plan_.nodes[i];
    plan_reorders_before(i);
    if (!runs(node)) continue;
    if (options_.progress) show_progress(options_.progress_label, out.nodes.size(), total, "nodes");
    observation_ = static_cast<int32_t>(out.nodes.size());
    NodeObservation obs;
    obs.node = static_cast<int32_t>(i);
    obs.layer = std::string(layer(node.main).name);
    obs.type = std::string(layer(node.main).type);
    obs.threads = out.threads;
    try {
      switch (node.kind) {
        case OpKind::convolution:
        case OpKind::group_convolution:
          convolution(obs.node, obs);
          break;
        case OpKind::matmul:
          matmul(obs.node, obs);
          break;
        case OpKind::max_pool:
        case OpKind::avg_pool:
        case OpKind::reduce_mean:
          pooling(obs.node, obs);
          break;
        case OpKind::add:
        case OpKind::multiply:
        case OpKind::subtract:
        case OpKind::divide:
        case OpKind::other_eltwise:
          binary(obs.node, obs);
          break;
        case OpKind::softmax:
          softmax(obs.node, obs);
          break;
        case OpKind::concat:
          concat(obs.node, obs);
          break;
        case OpKind::reshape:
          view(obs.node, obs);
          break;
        case OpKind::transpose:
          transpose(obs.node, obs);
          break;
        case OpKind::fake_quantize:
          fake_quantize(obs.node, obs);
          break;
        default:
          if (is_activation(node.kind)) {
            eltwise(obs.node, obs);
          } else if (obs.type == "Interpolate" || obs.type == "Resample") {
            resample(obs.node, obs);
          } else {
            obs.reason = fmt::format("{} is not run live", to_string(node.kind));
          }
      }
    } catch (const dnnl::error& e) {
      obs.ran = false;
      obs.reason = fmt::format("oneDNN error: {}", e.what());
    }
    if (!obs.ran) {
      std::erase_if(steps_, [&](const Step& st) { return st.observation == observation_; });
    }
    out.nodes.push_back(std::move(obs));
  }
  if (options_.progress) show_progress(options_.progress_label, total, total, "nodes");
  probe_activations(out);
  return out;
}

/// One whole-plan iteration: every step back to back, each one timed; returns the end-to-end
/// time and adds each step's time to `step_ms`.
double run_whole(std::vector<Step>& steps, dnnl::stream& strm, std::vector<double>& step_ms,
                 double* primitive_sum) {
  using clock = std::chrono::steady_clock;
  double sum = 0;
  auto begin = clock::now();
  for (size_t i = 0; i < steps.size(); ++i) {
    auto start = clock::now();
    steps[i].prim.execute(strm, steps[i].args);
    strm.wait();
    double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    step_ms[i] = ms;
    sum += ms;
  }
  *primitive_sum = sum;
  return std::chrono::duration<double, std::milli>(clock::now() - begin).count();
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/// Collects the whole-plan times of one plan over the interleaved iterations.
struct WholeTimer {
  std::vector<double> end_to_end, sums, overheads;
  std::vector<std::vector<double>> per_step;  ///< [step][iteration]
  std::vector<double> scratch;

  void iterate(std::vector<Step>& steps, dnnl::stream& strm, bool keep) {
    scratch.assign(steps.size(), 0);
    per_step.resize(steps.size());
    double sum = 0;
    double total = run_whole(steps, strm, scratch, &sum);
    if (!keep) return;
    end_to_end.push_back(total);
    sums.push_back(sum);
    overheads.push_back(total > 0 ? 100 * (total - sum) / total : 0);
    for (size_t i = 0; i < steps.size(); ++i) per_step[i].push_back(scratch[i]);
  }

  PlanTiming timing(const std::vector<Step>& steps, LiveRun& run) const {
    PlanTiming t;
    t.primitives = static_cast<int>(steps.size());
    for (const Step& s : steps) t.reorders += s.observation < 0 ? 1 : 0;
    for (const NodeObservation& o : run.nodes) t.nodes += o.ran ? 1 : 0;
    t.median_ms = median_of(end_to_end);
    t.primitive_ms = median_of(sums);
    t.overhead_pct = median_of(overheads);
    t.iterations = static_cast<int>(end_to_end.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].observation < 0) continue;
      run.nodes[static_cast<size_t>(steps[i].observation)].whole_ms += median_of(per_step[i]);
    }
    return t;
  }
};

}  // namespace

std::string effective_isa() {
  switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41:
      return "sse41";
    case dnnl_cpu_isa_avx:
      return "avx";
    case dnnl_cpu_isa_avx2:
      return "avx2";
    case dnnl_cpu_isa_avx512_mic:
      return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops:
      return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core:
      return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx:
      return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni:
      return "avx2_vnni";
    default:
      return "all";
  }
}

LiveRun run_live(const IrModel& model, const Plan& plan, const LiveOptions& options,
                 const Plan* counterpart) {
  Executor given(model, plan, options);
  LiveRun run = given.run();
  LiveOptions other_options = options;
  other_options.time_nodes = false;
  other_options.keep_values = false;
  other_options.progress_label =
      options.progress_label.empty() ? "counterpart" : "counterpart plan";
  std::optional<Executor> other;
  LiveRun other_run;
  if (counterpart) {
    other.emplace(model, *counterpart, other_options);
    other_run = other->run();
  }
  // Interleaved: iteration i runs the whole plan, then the whole counterpart.
  WholeTimer mine, theirs;
  int warmup = std::max(options.warmup, 1), iterations = std::max(options.iterations, 1);
  for (int i = 0; i < warmup + iterations; ++i) {
    if (options.progress && i >= warmup)
      show_progress(options.progress_label, static_cast<size_t>(i - warmup),
                    static_cast<size_t>(iterations), "whole-plan iterations");
    mine.iterate(given.steps(), given.stream(), i >= warmup);
    if (other) theirs.iterate(other->steps(), other->stream(), i >= warmup);
  }
  if (options.progress) std::fprintf(stderr, "\r\033[K");
  run.whole = mine.timing(given.steps(), run);
  if (other) {
    run.counterpart = theirs.timing(other->steps(), other_run);
    run.counterpart_nodes = std::move(other_run.nodes);
  }
  return run;
}

std::string plan_layout_name(Layout layout) { return std::string(to_string(layout)); }

}  // namespace irlint::live
