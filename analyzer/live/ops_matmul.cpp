#include <algorithm>
#include <cmath>

#include "executor.hpp"

namespace irlint::live::exec {

void build_matmul(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
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
  Precision prec = ex.node_precision(n.node);
  bool int8 = is_int8(prec);
  dt src_t = precision_dt(prec), w_t = int8 ? dt::s8 : dt::f32, dst_t = dt::f32;
  obs.precision = precision_word(prec);
  memory::desc src_md(*a, src_t, tag::ab), w_md(w_dims, w_t, ex.native() ? tag::any : tag::ab),
      dst_md(*c, dst_t, tag::ab);
  std::vector<PostOp> ops = ex.post_ops_of(n.index, obs);
  std::erase_if(ops, [](const PostOp& op) { return op.binary; });
  for (const PostOp& op : ops) obs.post_ops.push_back(op.name);
  dnnl::matmul::desc desc(src_md, w_md, dst_md);
  dnnl::matmul::primitive_desc pd(desc, make_attr(ops, 0, 1.0f), ex.engine(), true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this matmul";
    return;
  }
  tag w_plain = tb ? tag::ba : tag::ab;
  obs.weights_reorder = pd.weights_desc() != memory::desc(w_dims, w_t, w_plain);
  std::vector<float> wv =
      ex.values(ex.const_source(n.node.main, 1), static_cast<size_t>(product(w_dims)),
                n.node.main + 17, int8 ? -8.0f : -1.0f, int8 ? 8.0f : 1.0f);
  if (int8) {
    for (float& x : wv) x = std::clamp(std::nearbyint(x), -127.0f, 127.0f);
  }
  std::vector<float> v =
      ex.random_values(*a, n.node.main + 1, int8 ? 0.0f : -1.0f, int8 ? 8.0f : 1.0f);
  Launch launch = one_input_launch("matmul", pd, *a, std::move(v), *c);
  launch.keep_values = false;
  launch.inputs.push_back({.arg = DNNL_ARG_WEIGHTS,
                           .md = pd.weights_desc(),
                           .dims = w_dims,
                           .values = std::move(wv),
                           .keep = Keep::weights,
                           .plain = w_plain});
  ex.launch(std::move(launch), obs);
}

}  // namespace irlint::live::exec
