#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  for (const PlanNode& node : ctx.plan().nodes) {
    if (!node.depthwise || (node.impl != Impl::gemm && node.impl != Impl::ref)) continue;
    Finding& f = ctx.report(
        node.main, fmt::format("depthwise convolution '{}' will run the slow {} kernel ({}) on {}",
                               ctx.model.layer(node.main).name, to_string(node.impl),
                               node.exec_type, ctx.plan().target.name()));
    if (!node.why.empty()) f.notes.push_back({node.why, {}});
    f.fix = node.signed_input
                ? "make the input unsigned (an activation with a non-negative range before the "
                  "quantizer), keep this layer FP32, or use a CPU with AVX-512"
                : "keep this layer FP32 or use a runtime with a JIT kernel for it";
  }
}

/// Confirmed when the convolution ran a gemm or reference kernel live.
void confirm(const LiveEvidence& e, Finding& f) {
  const live::NodeObservation* o = e.observed(e.node_of(f.layer_id));
  if (!o || !o->ran) {
    f.status = Status::not_observable;
    f.evidence = o ? fmt::format("the convolution did not run: {}", o->reason)
                   : "the convolution was not run live";
    return;
  }
  bool slow = o->impl.find("gemm") != std::string::npos || o->impl.starts_with("ref");
  f.status = slow ? Status::confirmed : Status::refuted;
  f.evidence = fmt::format("{} ran '{}' ({} {}), median {:.4f} ms", e.where, o->impl, o->precision,
                           o->src_layout, o->median_ms);
}

}  // namespace

extern const Rule kDepthwiseFallback{
    .info = {.code = "IRL401",
             .name = "depthwise-fallback",
             .severity = Severity::warning,
             .summary = "a depthwise convolution is predicted to run a gemm or reference kernel"},
    .check = check,
    .needs = Needs::plan,
    .confirm = confirm};

}  // namespace irlint
