#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

std::string_view activation_name(OpKind kind) {
  switch (kind) {
    case OpKind::hswish:
      return "h-swish";
    case OpKind::hsigmoid:
      return "h-sigmoid";
    case OpKind::hard_sigmoid:
      return "HardSigmoid";
    case OpKind::swish:
      return "swish";
    case OpKind::mish:
      return "mish";
    case OpKind::gelu:
      return "GELU";
    case OpKind::sigmoid:
      return "sigmoid";
    case OpKind::elu:
      return "ELU";
    case OpKind::tanh:
      return "tanh";
    case OpKind::clamp:
      return "clamp";
    case OpKind::prelu:
      return "PReLU";
    default:
      return to_string(kind);
  }
}

/// The policies that do fuse this activation into a convolution of this precision.
std::string fusing_versions(OpKind kind, bool int8, bool decomposed) {
  std::vector<std::string_view> names;
  for (const Policy& p : all_policies()) {
    if (decomposed && kind == OpKind::hswish && !p.fuses_decomposed_hswish.value) continue;
    for (const ActivationFusion& a : p.activations) {
      if (a.kind == kind && (int8 ? a.into_int8 : a.into_fp32).value == Support::yes) {
        names.push_back(p.name);
      }
    }
  }
  return names.empty() ? std::string("no known runtime version")
                       : fmt::format("{}", fmt::join(names, ", "));
}

constexpr SeverityCase kSeverityCases[] = {
    {Severity::note, "the target's runtime is not known to fuse or not to fuse the activation"},
};

void check(RuleContext& ctx) {
  const Plan& plan = ctx.plan();
  for (const PlanActivation& a : plan.activations) {
    if (a.conv_node < 0 || a.fused == Support::yes) continue;
    const PlanNode& conv = plan.nodes[a.conv_node];
    bool int8 = is_int8(conv.precision);
    const Layer& conv_layer = ctx.model.layer(conv.main);
    std::string what = a.decomposed ? fmt::format("{} written as {} element-wise layers",
                                                  activation_name(a.kind), a.layers.size())
                                    : std::string(activation_name(a.kind));
    std::string message =
        a.fused == Support::unknown
            ? fmt::format("{} after {} convolution '{}': whether {} fuses it is not known", what,
                          int8 ? "INT8" : "FP32", conv_layer.name, plan.target.name())
            : fmt::format("{} cannot be fused into {} convolution '{}' on {}", what,
                          int8 ? "INT8" : "FP32", conv_layer.name, plan.target.name());
    Finding& f = ctx.report(a.layers.front(), std::move(message));
    if (a.fused == Support::unknown) ctx.set_severity(f, kSeverityCases[0]);
    if (a.decomposed) {
      std::vector<std::string_view> names;
      for (Vertex v : a.layers) names.push_back(ctx.model.layer(v).name);
      f.notes.push_back({fmt::format("the pattern is formed by '{}'", fmt::join(names, "', '")),
                         ctx.model.layer(a.layers.back()).pos});
    }
    f.notes.push_back({fmt::format("the convolution is here; {}", a.source), conv_layer.pos});
    if (int8) {
      f.notes.push_back(
          {"the INT8 result goes back to FP32 for the activation and is requantized "
           "for the next layer",
           {}});
    }
    f.notes.push_back(
        {fmt::format("fused by: {}", fusing_versions(a.kind, int8, a.decomposed)), {}});
    f.fix = a.kind == OpKind::hswish || a.kind == OpKind::hsigmoid
                ? "use a runtime that fuses it, export the activation as one HSwish/HSigmoid op, "
                  "or use ReLU6 in the quantized model"
                : "use a runtime that fuses it, or an activation the target fuses (ReLU, clamp)";
  }
}

/// Refuted when oneDNN accepted the activation as a post-op of the convolution before it.
void confirm(const LiveEvidence& e, Finding& f) {
  auto anchor = e.vertex(f.layer_id);
  const live::PostOpProbe* probe = nullptr;
  for (const live::PostOpProbe& p : e.run.probes) {
    const PlanActivation& a = e.plan.activations[static_cast<size_t>(p.activation)];
    if (anchor && !a.layers.empty() && a.layers.front() == *anchor) probe = &p;
  }
  if (!probe || (!probe->accepted && (probe->error == "the convolution did not run" ||
                                      probe->error.starts_with("irlint maps")))) {
    f.status = Status::not_observable;
    f.evidence = probe ? probe->error : "the convolution before the activation did not run live";
    return;
  }
  const live::NodeObservation* conv = e.observed(probe->conv_node);
  f.status = probe->accepted ? Status::refuted : Status::confirmed;
  f.evidence = probe->accepted
                   ? fmt::format("{}: oneDNN accepted {} as a post-op of '{}' ({})", e.where,
                                 probe->kind, conv ? conv->layer : "?", probe->impl)
                   : fmt::format("{}: {}", e.where, probe->error);
}

}  // namespace

extern const Rule kUnfusableActivation{
    .info = {.code = "IRL301",
             .name = "unfusable-activation",
             .severity = Severity::warning,
             .summary = "an activation the target cannot fuse into the convolution before it",
             .severity_cases = kSeverityCases},
    .check = check,
    .needs = Needs::plan,
    .confirm = confirm};

}  // namespace irlint
