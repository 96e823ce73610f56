#include "rule.hpp"

namespace irlint {
namespace {

void check(RuleContext& ctx) {
  if (!ctx.plan) return;
  for (const PlanNode& node : ctx.plan->nodes) {
    if (!node.depthwise || (node.impl != Impl::gemm && node.impl != Impl::ref)) continue;
    Finding& f = ctx.report(
        node.main, fmt::format("depthwise convolution '{}' will run the slow {} kernel ({}) on {}",
                               ctx.model.layer(node.main).name, to_string(node.impl),
                               node.exec_type, ctx.plan->target.name()));
    if (!node.why.empty()) f.notes.push_back({node.why, {}});
    f.fix = node.signed_input
                ? "make the input unsigned (an activation with a non-negative range before the "
                  "quantizer), keep this layer FP32, or use a CPU with AVX-512"
                : "keep this layer FP32 or use a runtime with a JIT kernel for it";
  }
}

}  // namespace

extern const Rule kDepthwiseFallback{
    {.code = "IRL401",
     .name = "depthwise-fallback",
     .severity = Severity::warning,
     .summary = "a depthwise convolution is predicted to run a gemm or reference kernel",
     .live_confirmable = true},
    check};

}  // namespace irlint
