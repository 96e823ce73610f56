#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "executor.hpp"

namespace irlint::live::exec {
namespace {

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

/// The right padding that gives the IR's output shape, whatever auto_pad said.
memory::dims right_pads(const ConvGeometry& g) {
  memory::dims pr(2);
  for (size_t i = 0; i < 2; ++i) {
    int64_t k = g.weights[g.weights.size() - 2 + i];
    pr[i] = std::max<int64_t>(0, (g.dst[i + 2] - 1) * g.strides[i] + (k - 1) * g.dilations[i] + 1 -
                                     g.src[i + 2] - g.pads[i]);
  }
  return pr;
}

/// The forward-inference convolution of this geometry over these descriptors.
dnnl::convolution_forward::desc conv_desc(const ConvGeometry& g, const memory::desc& src_md,
                                          const memory::desc& w_md, const memory::desc& bias_md,
                                          const memory::desc& dst_md) {
  return dnnl::convolution_forward::desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md, w_md,
      bias_md, dst_md, {g.strides[0], g.strides[1]}, {g.dilations[0] - 1, g.dilations[1] - 1},
      {g.pads[0], g.pads[1]}, right_pads(g));
}

/// The bias: a legacy convolution's biases blob, else a per-channel Add right after the
/// convolution (taken out of `ops`), as the plugin runs it; empty when there is none.
std::vector<float> take_bias(Executor& ex, const Layer& l, const ConvGeometry& geo,
                             std::vector<PostOp>& ops, NodeObservation& obs) {
  std::vector<float> bias;
  if (geo.biases_blob) {
    auto b = blob_values(ex.weights(), l, *geo.biases_blob, static_cast<size_t>(geo.dst[1]));
    if (b) {
      bias = std::move(*b);
      obs.post_ops.push_back("bias");
    }
  }
  if (bias.empty() && !ops.empty() && ops.front().binary &&
      ops.front().alg == dnnl::algorithm::binary_add &&
      static_cast<int64_t>(ops.front().src1.size()) == geo.dst[1]) {
    bias = std::move(ops.front().src1);
    ops.erase(ops.begin());
    obs.post_ops.push_back("bias");
  }
  return bias;
}

/// Weights: the .bin when it holds them, else generated.
std::vector<float> conv_weights(Executor& ex, const NodeRef& n, const ConvGeometry& geo,
                                bool int8) {
  size_t count = static_cast<size_t>(product(geo.weights));
  if (geo.weights_blob) {
    auto read = blob_values(ex.weights(), n.layer, *geo.weights_blob, count);
    if (read) return std::move(*read);
  }
  return ex.values(geo.weights_blob ? std::nullopt : ex.const_source(n.node.main, 1), count,
                   n.node.main + 17, int8 ? -8.0f : -1.0f, int8 ? 8.0f : 1.0f);
}

/// INT8 weights quantized per tensor when they are not already integers in [-127, 127];
/// returns the output scale that undoes it.
float quantize_weights(std::vector<float>& w) {
  float max_abs = 0;
  bool integral = true;
  for (float x : w) {
    max_abs = std::max(max_abs, std::fabs(x));
    integral = integral && std::nearbyint(x) == x;
  }
  if (integral && max_abs <= 127) return 1.0f;
  float q = max_abs > 0 ? 127.0f / max_abs : 1.0f;
  for (float& x : w) x = std::nearbyint(x * q);
  return 1.0f / q;
}

/// The data types of a convolution in its precision.
struct ConvTypes {
  dt src, weights, dst;
};

ConvTypes conv_types(const Executor& ex, const PlanNode& node, Precision prec) {
  bool int8 = is_int8(prec);
  return {precision_dt(prec), int8 ? dt::s8 : dt::f32,
          int8 && !ex.options().precision_override ? precision_dt(node.out_precision) : dt::f32};
}

/// The convolution `pd` on its src and weights, with the reorders its layouts need.
Launch conv_launch(Executor& ex, const NodeRef& n, const ConvGeometry& geo,
                   const dnnl::convolution_forward::primitive_desc& pd, ConvTypes t,
                   std::vector<float> w_values, NodeObservation& obs) {
  bool int8 = t.weights == dt::s8;
  bool u8 = t.src == dt::u8;
  memory::desc given_src(geo.src, t.src, layout_tag(n.node.in_layout));
  memory::desc given_dst(geo.dst, t.dst, layout_tag(n.node.out_layout));
  tag w_plain = geo.weights.size() == 5 ? tag::goihw : tag::oihw;
  obs.src_reorder = pd.src_desc() != given_src;
  obs.dst_reorder = pd.dst_desc() != given_dst;
  obs.weights_reorder = pd.weights_desc() != memory::desc(geo.weights, t.weights, w_plain);
  std::vector<float> v = ex.random_values(geo.src, n.node.main + 1,
                                          int8 ? (u8 ? 0.0f : -8.0f) : -1.0f, int8 ? 8.0f : 1.0f);
  Launch launch = one_input_launch("convolution", pd, geo.src, std::move(v), geo.dst);
  launch.inputs.push_back({.arg = DNNL_ARG_WEIGHTS,
                           .md = pd.weights_desc(),
                           .dims = geo.weights,
                           .values = std::move(w_values),
                           .keep = Keep::weights});
  if (obs.src_reorder) launch.reorder_before = {given_src, pd.src_desc()};
  if (obs.dst_reorder) launch.reorder_after = {pd.dst_desc(), given_dst};
  return launch;
}

/// Whether oneDNN takes `op` as the only post-op of the convolution as it was observed.
void probe_post_op(Executor& ex, const NodeObservation& conv, const PostOp& op,
                   PostOpProbe& probe) {
  const PlanNode& node = ex.plan().nodes[static_cast<size_t>(conv.node)];
  std::string why;
  // The convolution ran, so its geometry is valid.
  ConvGeometry geo =
      *conv_geometry(ex.layer(node.main), node.kind == OpKind::group_convolution, &why);
  auto type_of = [](const std::string& n) {
    return n == "u8" ? dt::u8 : n == "s8" ? dt::s8 : dt::f32;
  };
  memory::desc src_md(geo.src, type_of(conv.src_type), tag::any),
      w_md(geo.weights, type_of(conv.weights_type), tag::any),
      dst_md(geo.dst, type_of(conv.dst_type), tag::any);
  dnnl::convolution_forward::desc desc = conv_desc(geo, src_md, w_md, memory::desc(), dst_md);
  dnnl::convolution_forward::primitive_desc pd(desc, make_attr({op}, geo.dst[1], 1.0f), ex.engine(),
                                               true);
  probe.accepted = static_cast<bool>(pd);
  if (pd)
    probe.impl = pd.impl_info_str();
  else
    probe.error = fmt::format("oneDNN rejected {} as a post-op", op.name);
}

}  // namespace

void build_convolution(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  auto geo = conv_geometry(n.layer, n.node.kind == OpKind::group_convolution, &obs.reason);
  if (!geo) return;
  Precision prec = ex.node_precision(n.node);
  ConvTypes t = conv_types(ex, n.node, prec);
  obs.precision = precision_word(prec);
  memory::desc src_md(geo->src, t.src, ex.native() ? tag::any : layout_tag(n.node.in_layout));
  memory::desc dst_md(geo->dst, t.dst, ex.native() ? tag::any : layout_tag(n.node.out_layout));
  std::vector<PostOp> ops = ex.post_ops_of(n.index, obs);
  std::vector<float> bias = take_bias(ex, n.layer, *geo, ops, obs);
  int64_t channels = geo->dst[1];
  memory::desc bias_md = bias.empty() ? memory::desc() : memory::desc({channels}, dt::f32, tag::a);
  std::vector<float> w_values = conv_weights(ex, n, *geo, is_int8(prec));
  float out_scale = is_int8(prec) ? quantize_weights(w_values) : 1.0f;
  dnnl::primitive_attr attr = make_attr(ops, channels, out_scale);
  for (const PostOp& op : ops) obs.post_ops.push_back(op.name);
  memory::desc w_md(geo->weights, t.weights, tag::any);
  // The desc outlives `pd`: the implementation iterator that force_fallback walks points into it.
  dnnl::convolution_forward::desc desc = conv_desc(*geo, src_md, w_md, bias_md, dst_md);
  dnnl::convolution_forward::primitive_desc pd(desc, attr, ex.engine(), true);
  if (!pd) {
    obs.reason = fmt::format(
        "oneDNN has no implementation for this convolution ({} src, {} "
        "post-ops)",
        dt_name(t.src), ops.size());
    return;
  }
  ex.force_fallback(n.node, pd, obs);
  Launch launch = conv_launch(ex, n, *geo, pd, t, std::move(w_values), obs);
  if (!bias.empty()) launch.extra[DNNL_ARG_BIAS] = float_memory(bias_md, ex.engine(), bias);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!ops[i].binary) continue;
    launch.extra[DNNL_ARG_ATTR_MULTIPLE_POST_OP(static_cast<int>(i)) | DNNL_ARG_SRC_1] =
        float_memory(binary_operand_md(ops[i], channels), ex.engine(), ops[i].src1);
  }
  ex.launch(std::move(launch), obs);
}

void probe_activations(Executor& ex, LiveRun& out) {
  const Plan& plan = ex.plan();
  for (size_t i = 0; i < plan.activations.size(); ++i) {
    const PlanActivation& a = plan.activations[i];
    if (a.conv_node < 0) continue;
    PostOpProbe probe;
    probe.activation = static_cast<int32_t>(i);
    probe.conv_node = a.conv_node;
    probe.kind = std::string(to_string(a.kind));
    const NodeObservation* conv = nullptr;
    for (const NodeObservation& o : out.nodes) {
      if (o.node == a.conv_node && o.ran && o.primitive == "convolution") conv = &o;
    }
    auto op = eltwise_of(a.kind, a.layers.empty() ? nullptr : &ex.layer(a.layers.front()));
    if (!conv) {
      probe.error = "the convolution did not run";
    } else if (!op) {
      probe.error = fmt::format("irlint maps no oneDNN eltwise to {}", probe.kind);
    } else {
      probe_post_op(ex, *conv, *op, probe);
    }
    out.probes.push_back(std::move(probe));
  }
}

}  // namespace irlint::live::exec
