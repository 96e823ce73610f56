#include <fmt/format.h>

#include <algorithm>

#include "executor.hpp"

namespace irlint::live::exec {
namespace {

using dnnl::algorithm;

/// The binary algorithm of an element-wise layer (legacy Eltwise by its `operation`), or
/// nullopt with `why` set.
std::optional<algorithm> binary_algorithm(const NodeRef& n, std::string* why) {
  const Layer& l = n.layer;
  bool legacy = l.type == "Eltwise";
  std::string_view op = legacy ? l.attr("operation") : l.type;
  std::optional<algorithm> alg;
  switch (n.node.kind) {
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
    *why = fmt::format("{} has no oneDNN binary algorithm", legacy ? op : l.type);
    return std::nullopt;
  }
  if (legacy && l.has_attr("coeff")) {
    auto coeff = l.int_list("coeff");
    if (!coeff || std::any_of(coeff->begin(), coeff->end(), [](int64_t c) { return c != 1; })) {
      *why = "Eltwise with coefficients is not run";
      return std::nullopt;
    }
  }
  return alg;
}

/// The shapes of a binary op, numpy-broadcast to the output's rank: `a` is the output's shape,
/// `b` broadcasts to it.
struct BinaryShapes {
  memory::dims a, b, c;
  const Port* p0 = nullptr;  ///< the port behind `a`
  const Port* p1 = nullptr;  ///< the port behind `b`
};

std::optional<BinaryShapes> binary_shapes(const Layer& l, bool commutative, std::string* why) {
  if (l.inputs.size() != 2 || l.outputs.empty()) {
    *why = fmt::format("only two-input element-wise ops are run ({} inputs)", l.inputs.size());
    return std::nullopt;
  }
  auto a = static_dims(l.inputs[0].dims), b = static_dims(l.inputs[1].dims);
  auto c = static_dims(l.outputs[0].dims);
  if (!a || !b || !c) {
    *why = "dynamic or invalid shape";
    return std::nullopt;
  }
  if (a->size() > c->size() || b->size() > c->size() || c->empty()) {
    *why = "inputs of higher rank than the output";
    return std::nullopt;
  }
  // Numpy broadcast: align the trailing dimensions.
  a->insert(a->begin(), c->size() - a->size(), 1);
  b->insert(b->begin(), c->size() - b->size(), 1);
  BinaryShapes s{*a, *b, *c, &l.inputs[0], &l.inputs[1]};
  if (s.a != s.c && s.b == s.c && commutative) {
    std::swap(s.a, s.b);
    std::swap(s.p0, s.p1);
  }
  if (s.a != s.c) {
    *why = "the first input is broadcast (oneDNN broadcasts only the second)";
    return std::nullopt;
  }
  for (size_t i = 0; i < s.c.size(); ++i) {
    if (s.b[i] != s.c[i] && s.b[i] != 1) {
      *why = "the inputs do not broadcast to the output";
      return std::nullopt;
    }
  }
  return s;
}

}  // namespace

void build_eltwise(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  auto op = eltwise_of(n.node.kind, &n.layer);
  if (!op) {
    obs.reason = fmt::format("{} has no oneDNN eltwise algorithm", to_string(n.node.kind));
    return;
  }
  auto dims = input_dims(n.layer);
  if (!dims || dims->size() != 4) {
    obs.reason = "only static 4D eltwise is run";
    return;
  }
  Precision prec = ex.node_precision(n.node);
  obs.precision = precision_word(prec);
  // An eltwise has no preferred layout of its own: it takes the plan's.
  memory::desc md(*dims, precision_dt(prec), layout_tag(n.node.in_layout));
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, op->alg, md, op->alpha,
                                   op->beta);
  dnnl::eltwise_forward::primitive_desc pd(desc, ex.engine(), true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this eltwise";
    return;
  }
  Launch launch = one_input_launch("eltwise", pd, *dims,
                                   ex.random_values(*dims, n.node.main + 1, -4.0f, 4.0f), *dims);
  launch.keep_values = false;
  ex.launch(std::move(launch), obs);
}

/// Numpy broadcast on the second input (the inputs of a commutative op are swapped when the
/// first is the broadcast one).
void build_binary(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  auto alg = binary_algorithm(n, &obs.reason);
  if (!alg) return;
  bool commutative = *alg != algorithm::binary_sub && *alg != algorithm::binary_div;
  auto s = binary_shapes(n.layer, commutative, &obs.reason);
  if (!s) return;
  const PlanNode& node = n.node;
  Precision prec = ex.node_precision(node);
  bool int8 = is_int8(prec);
  dt src_t = precision_dt(prec);
  dt dst_t = int8 && !ex.options().precision_override ? precision_dt(node.out_precision) : dt::f32;
  obs.precision = precision_word(prec);
  // The second input in the first one's layout, broadcast or not: a plain broadcast operand next
  // to a blocked (nChw8c) first input sends oneDNN 2.6 to ref:any, which no runtime runs.
  // A scalar operand of a blocked input goes per channel (the same values): oneDNN 2.6 runs a
  // scalar broadcast on nChw8c/nChw16c (x / 6 of a decomposed HSwish) with ref:any only.
  memory::dims b_exec = s->b;
  bool blocked = node.in_layout == Layout::blocked8 || node.in_layout == Layout::blocked16;
  if (s->b.size() == 4 && product(s->b) == 1 && blocked) b_exec = {1, s->a[1], 1, 1};
  dnnl::binary::desc desc(*alg, ex.activation_md(s->a, src_t, node.in_layout),
                          ex.activation_md(b_exec, src_t, node.in_layout),
                          ex.dst_md(s->c, dst_t, node.out_layout));
  dnnl::binary::primitive_desc pd(desc, ex.engine(), true);
  if (!pd) {
    obs.reason =
        fmt::format("oneDNN has no implementation for this binary ({} src)", dt_name(src_t));
    return;
  }
  obs.dst_reorder = pd.dst_desc() != ex.activation_md(s->c, dst_t, node.out_layout);
  float lo = int8 ? (prec == Precision::u8 ? 0.0f : -8.0f) : -2.0f, hi = int8 ? 8.0f : 2.0f;
  bool divide = *alg == algorithm::binary_div;
  Launch launch = one_input_launch(
      "binary", pd, s->a, ex.input_values(node.main, *s->p0, s->a, node.main + 1, lo, hi), s->c);
  // A divisor away from zero.
  launch.inputs.push_back({.arg = DNNL_ARG_SRC_1,
                           .md = pd.src_desc(1),
                           .dims = s->b,
                           .values = ex.input_values(node.main, *s->p1, s->b, node.main + 29,
                                                     divide ? 0.5f : lo, divide ? 2.0f : hi),
                           .keep = Keep::weights,
                           .spread_to = b_exec != s->b ? std::optional(b_exec) : std::nullopt});
  ex.launch(std::move(launch), obs);
}

}  // namespace irlint::live::exec
