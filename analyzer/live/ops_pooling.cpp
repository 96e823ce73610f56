#include <fmt/format.h>

#include <algorithm>

#include "executor.hpp"

namespace irlint::live::exec {
namespace {

/// A 2D pooling's shapes, window and algorithm.
struct PoolGeometry {
  memory::dims src{}, dst{}, kernel{}, strides{}, pl{0, 0}, pr{0, 0};
  dnnl::algorithm alg = dnnl::algorithm::pooling_max;
};

/// The window of MaxPool/AvgPool from its attributes, of ReduceMean over the whole plane; nullopt
/// with `why` set when it has none.
std::optional<PoolGeometry> pool_geometry(const NodeRef& n, std::string* why) {
  auto src_dims = input_dims(n.layer), dst_dims = output_dims(n.layer);
  if (!src_dims || !dst_dims || src_dims->size() != 4 || dst_dims->size() != 4) {
    *why = "only static 4D pooling is run";
    return std::nullopt;
  }
  PoolGeometry g{.src = *src_dims, .dst = *dst_dims};
  const memory::dims &src = g.src, &dst = g.dst;
  if (n.node.kind == OpKind::reduce_mean) {
    if (dst[2] != 1 || dst[3] != 1) {
      *why = "only a global spatial mean is run as pooling";
      return std::nullopt;
    }
    g.kernel = {src[2], src[3]};
    g.strides = {1, 1};
    g.alg = dnnl::algorithm::pooling_avg_include_padding;
    return g;
  }
  const Layer& l = n.layer;
  auto k = l.int_list("kernel"), s = l.int_list("strides"), b = l.int_list("pads_begin");
  if (!k || !s || !b || k->size() != 2 || s->size() != 2 || b->size() != 2) {
    *why = "kernel, strides or pads_begin missing or not 2D";
    return std::nullopt;
  }
  g.kernel = {(*k)[0], (*k)[1]};
  g.strides = {(*s)[0], (*s)[1]};
  g.pl = {(*b)[0], (*b)[1]};
  for (size_t u = 0; u < 2; ++u) {
    g.pr[u] =
        std::max<int64_t>(0, (dst[u + 2] - 1) * g.strides[u] + g.kernel[u] - src[u + 2] - g.pl[u]);
  }
  if (n.node.kind == OpKind::avg_pool) {
    g.alg = l.attr("exclude-pad") == "true" ? dnnl::algorithm::pooling_avg_exclude_padding
                                            : dnnl::algorithm::pooling_avg_include_padding;
  }
  return g;
}

/// How an Interpolate or Resample layer maps source pixels: its mode, coordinate transformation
/// and nearest rounding, defaults filled in.
struct ResizeModes {
  std::string mode, ctm, nearest_mode;
};

ResizeModes resize_modes(const Layer& l) {
  ResizeModes m;
  if (l.type == "Resample") {
    std::string_view type = l.attr("type");
    m.mode = type.find("NEAREST") != std::string_view::npos  ? "nearest"
             : type.find("LINEAR") != std::string_view::npos ? "linear"
                                                             : std::string(type);
    m.ctm = m.mode == "nearest" ? "asymmetric" : "half_pixel";
    m.nearest_mode = "floor";
    return m;
  }
  m.mode = std::string(l.attr("mode"));
  bool opset1 = l.version == "opset1";
  std::string_view corners = l.attr("align_corners");
  m.ctm = opset1 ? (corners == "1" || corners == "true"
                        ? "align_corners"
                        : (m.mode == "nearest" ? "asymmetric" : "half_pixel"))
                 : std::string(l.has_attr("coordinate_transformation_mode")
                                   ? l.attr("coordinate_transformation_mode")
                                   : "half_pixel");
  m.nearest_mode = opset1 ? "floor"
                          : std::string(l.has_attr("nearest_mode") ? l.attr("nearest_mode")
                                                                   : "round_prefer_floor");
  return m;
}

/// oneDNN's resampling that computes what the layer does, or nullopt with `why` set.
std::optional<dnnl::algorithm> resize_algorithm(const Layer& l, const memory::dims& in,
                                                const memory::dims& out, std::string* why) {
  bool upscale = true, integer_factor = true;
  for (size_t i = 2; i < in.size(); ++i) {
    upscale = upscale && out[i] >= in[i];
    integer_factor = integer_factor && out[i] % in[i] == 0;
  }
  ResizeModes m = resize_modes(l);
  std::string_view antialias = l.attr("antialias");
  if (antialias == "1" || antialias == "true") {
    *why = "antialiased Interpolate has no oneDNN resampling";
    return std::nullopt;
  }
  const std::string& ctm = m.ctm;
  if (m.mode == "nearest") {
    bool half =
        ctm == "half_pixel" || ctm == "tf_half_pixel_for_nearest" || (ctm == "pytorch_half_pixel");
    // oneDNN picks round((d + 0.5) / f - 0.5): the same source pixel for these combinations.
    if ((half && (m.nearest_mode == "round_prefer_ceil" ||
                  (m.nearest_mode == "round_prefer_floor" && upscale))) ||
        ((ctm == "asymmetric" || half) && m.nearest_mode == "floor" && upscale && integer_factor)) {
      return dnnl::algorithm::resampling_nearest;
    }
  } else if (m.mode == "linear" || m.mode == "linear_onnx" || m.mode == "bilinear") {
    if (ctm == "half_pixel" || ctm == "pytorch_half_pixel")
      return dnnl::algorithm::resampling_linear;
  }
  *why = fmt::format(
      "mode '{}' with coordinate_transformation_mode '{}' and nearest_mode '{}' has no oneDNN "
      "resampling equivalent",
      m.mode, ctm, m.nearest_mode);
  return std::nullopt;
}

}  // namespace

void build_pooling(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  auto g = pool_geometry(n, &obs.reason);
  if (!g) return;
  Precision prec = ex.node_precision(n.node);
  dt t = precision_dt(prec);
  obs.precision = precision_word(prec);
  memory::desc src_md(g->src, t, layout_tag(n.node.in_layout));
  memory::desc dst_md(g->dst, t, ex.native() ? tag::any : layout_tag(n.node.out_layout));
  dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, g->alg, src_md, dst_md,
                                   g->strides, g->kernel, g->pl, g->pr);
  dnnl::pooling_forward::primitive_desc pd(desc, ex.engine(), true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this pooling";
    return;
  }
  Launch launch = one_input_launch("pooling", pd, g->src,
                                   ex.random_values(g->src, n.node.main + 1, 0.0f, 8.0f), g->dst);
  launch.keep_values = false;
  if (pd.workspace_desc().get_size() > 0)
    launch.extra[DNNL_ARG_WORKSPACE] = memory(pd.workspace_desc(), ex.engine());
  ex.launch(std::move(launch), obs);
}

/// oneDNN's nearest (round of the half-pixel source coordinate) or linear (half-pixel), where
/// that is what the layer computes (Interpolate opset1/4/11, legacy Resample).
void build_resample(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  auto in = input_dims(l);
  auto out = output_dims(l);
  if (!in || !out || in->size() != out->size() || in->size() < 3 || in->size() > 5) {
    obs.reason = "dynamic shape or not a 1D to 3D spatial resize";
    return;
  }
  if ((*in)[0] != (*out)[0] || (*in)[1] != (*out)[1]) {
    obs.reason = "a resize of the batch or channel axis (oneDNN resizes spatial axes only)";
    return;
  }
  auto alg = resize_algorithm(l, *in, *out, &obs.reason);
  if (!alg) return;
  Precision prec = ex.node_precision(n.node);
  bool int8 = is_int8(prec);
  dt t = precision_dt(prec);
  dt dst_t = int8 && !ex.options().precision_override ? precision_dt(n.node.out_precision)
                                                      : (int8 ? t : dt::f32);
  obs.precision = precision_word(prec);
  dnnl::resampling_forward::desc desc(dnnl::prop_kind::forward_inference, *alg,
                                      ex.activation_md(*in, t, n.node.in_layout),
                                      ex.dst_md(*out, dst_t, n.node.out_layout));
  dnnl::resampling_forward::primitive_desc pd(desc, ex.engine(), true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this resampling";
    return;
  }
  obs.post_ops.push_back(*alg == dnnl::algorithm::resampling_nearest ? "nearest" : "linear");
  obs.dst_reorder = pd.dst_desc() != ex.activation_md(*out, dst_t, n.node.out_layout);
  std::vector<float> v =
      ex.random_values(*in, n.node.main + 1, int8 ? 0.0f : -2.0f, int8 ? 8.0f : 2.0f);
  ex.launch(one_input_launch("resampling", pd, *in, std::move(v), *out), obs);
}

}  // namespace irlint::live::exec
