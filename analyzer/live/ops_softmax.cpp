#include <fmt/format.h>

#include "executor.hpp"

namespace irlint::live::exec {

/// SoftMax over the `axis` of `<data>` (default 1), FP32.
void build_softmax(Executor& ex, const NodeRef& n, NodeObservation& obs) {
  const Layer& l = n.layer;
  auto dims = input_dims(l);
  if (!dims || dims->empty() || dims->size() > 6) {
    obs.reason = "dynamic or invalid shape";
    return;
  }
  auto axis = axis_of(l, 1, dims->size(), &obs.reason);
  if (!axis) return;
  // oneDNN 2.6 runs softmax in f32 (and bf16) only.
  obs.precision = "fp32";
  memory::desc md = ex.activation_md(*dims, dt::f32, n.node.in_layout);
  dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, md, *axis);
  dnnl::softmax_forward::primitive_desc pd(desc, ex.engine(), true);
  if (!pd) {
    obs.reason = "oneDNN has no implementation for this softmax";
    return;
  }
  std::vector<float> v = ex.random_values(*dims, n.node.main + 1, -4.0f, 4.0f);
  ex.launch(one_input_launch("softmax", pd, *dims, std::move(v), *dims), obs);
}

}  // namespace irlint::live::exec
