#include <fmt/format.h>

#include <algorithm>

#include "executor.hpp"

namespace irlint::live::exec {
namespace {

/// The permutation that maps the input shape onto the output shape, equal dimensions keeping
/// their relative order; shorter than the rank when there is none.
std::vector<int64_t> order_from_shapes(const memory::dims& in, const memory::dims& out) {
  std::vector<int64_t> order;
  std::vector<bool> used(in.size(), false);
  for (int64_t d : out) {
    size_t j = 0;
    while (j < in.size() && (used[j] || in[j] != d)) ++j;
    if (j == in.size()) break;
    used[j] = true;
    order.push_back(static_cast<int64_t>(j));
  }
  return order;
}

/// The axes permutation of a Transpose (its second input) or Permute (`order`) as oneDNN's
/// permute_axes takes it, or nullopt with `why` set.
std::optional<std::vector<int>> transpose_axes(Executor& ex, const NodeRef& n,
                                               const memory::dims& in, const memory::dims& out,
                                               std::string* why) {
  const Layer& l = n.layer;
  std::vector<int64_t> order;
  if (l.type == "Permute") {
    order = l.int_list("order").value_or(std::vector<int64_t>{});
  } else if (l.inputs.size() >= 2) {
    if (auto read = ex.constant_values(n.node.main, l.inputs[1])) {
      for (float x : *read) order.push_back(static_cast<int64_t>(x));
    } else {
      // No .bin: the order the shapes imply.
      order = order_from_shapes(in, out);
      if (order.size() != in.size()) {
        *why = "the transpose order is not a readable constant";
        return std::nullopt;
      }
    }
  }
  size_t rank = in.size();
  if (order.empty()) {
    for (size_t i = 0; i < rank; ++i) order.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  std::vector<int> perm(rank, -1);
  for (size_t i = 0; i < order.size() && order.size() == rank; ++i) {
    if (order[i] < 0 || order[i] >= static_cast<int64_t>(rank) || perm[order[i]] >= 0) break;
    perm[static_cast<size_t>(order[i])] = static_cast<int>(i);
  }
  if (std::count(perm.begin(), perm.end(), -1) > 0) {
    *why = "the order is not a permutation of the input axes";
    return std::nullopt;
  }
  return perm;
}

}  // namespace

/// With keep_values, src_values holds every input in order.
void build_concat(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  auto out = output_dims(l);
  if (!out || out->empty() || l.inputs.empty()) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto axis = axis_of(l, 1, out->size(), &obs.reason);
  if (!axis) return;
  Precision prec = ex.node_precision(n.node);
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
    srcs.push_back(ex.activation_md(*d, t, n.node.in_layout));
  }
  dnnl::concat::primitive_desc pd(ex.dst_md(*out, t, n.node.out_layout), *axis, srcs, ex.engine());
  obs.dst_reorder = pd.dst_desc() != ex.activation_md(*out, t, n.node.out_layout);
  Launch launch{.primitive = "concat", .pd = pd, .dst_md = pd.dst_desc(), .dst_dims = *out};
  bool int8 = is_int8(prec);
  for (size_t i = 0; i < srcs.size(); ++i) {
    launch.inputs.push_back(
        {.arg = DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i),
         .md = srcs[i],
         .dims = in_dims[i],
         .values = ex.input_values(n.node.main, l.inputs[i], in_dims[i], n.node.main + 1 + i,
                                   int8 ? 0.0f : -2.0f, int8 ? 8.0f : 2.0f)});
  }
  ex.launch(std::move(launch), obs);
}

/// The same data under other dims: nothing runs.
void build_view(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  auto in = input_dims(l);
  auto out = output_dims(l);
  if (!in || !out || product(*in) != product(*out)) {
    obs.reason = "dynamic shape or a reshape that changes the element count";
    return;
  }
  Precision prec = ex.node_precision(n.node);
  obs.precision = precision_word(prec);
  obs.primitive = obs.impl = "view";
  obs.src_type = obs.dst_type = dt_name(precision_dt(prec));
  auto name = [](const memory::dims& dims, Layout layout) {
    return dims.size() == 4 ? plan_layout_name(layout)
                            : generic_tag(memory::desc(dims, dt::f32, plain_tag(dims.size())));
  };
  obs.src_layout = name(*in, n.node.in_layout);
  obs.dst_layout = name(*out, n.node.out_layout);
  obs.ran = true;
  if (ex.options().keep_values) {
    obs.src_dims = *in;
    obs.dst_dims = *out;
  }
}

/// A `reorder` from the source viewed with permuted axes to the destination.
void build_transpose(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  auto in = input_dims(l);
  auto out = output_dims(l);
  if (!in || !out || in->size() != out->size() || in->empty() || in->size() > 6) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto perm = transpose_axes(ex, n, *in, *out, &obs.reason);
  if (!perm) return;
  Precision prec = ex.node_precision(n.node);
  dt t = precision_dt(prec);
  obs.precision = precision_word(prec);
  memory::desc src_md = ex.activation_md(*in, t, n.node.in_layout);
  memory::desc src_view = src_md.permute_axes(*perm);
  if (src_view.dims() != *out) {
    obs.reason = "the output shape does not match the permuted input";
    return;
  }
  memory::desc dst_md = ex.native() ? memory::desc(*out, t, plain_tag(out->size()))
                                    : ex.activation_md(*out, t, n.node.out_layout);
  dnnl::reorder::primitive_desc pd(ex.engine(), src_view, ex.engine(), dst_md,
                                   dnnl::primitive_attr(), true);
  if (!pd) {
    obs.reason = "oneDNN has no reorder for this permutation";
    return;
  }
  bool int8 = is_int8(prec);
  Launch launch{
      .primitive = "reorder", .pd = pd, .dst_md = dst_md, .dst_dims = *out, .dst_arg = DNNL_ARG_TO};
  // The permuted view owns the buffer: it is what the whole-plan steps keep.
  launch.inputs.push_back(
      {.arg = DNNL_ARG_FROM,
       .md = src_view,
       .dims = *in,
       .values = ex.random_values(*in, n.node.main + 1, int8 ? 0.0f : -2.0f, int8 ? 8.0f : 2.0f),
       .written_as = src_md});
  ex.launch(std::move(launch), obs);
}

}  // namespace irlint::live::exec
