#include "cost.hpp"
#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"threshold", "1.0", "report when the predicted INT8/FP32 speed ratio is below this"},
};

constexpr SeverityCase kSeverityCases[] = {
    {Severity::note,
     "an FP32 model: advice on what quantizing it would do on the target, not a problem"},
};

void check(RuleContext& ctx) {
  const Int8Verdict& v = ctx.int8_verdict();
  // Without convolutions or matrix products there is nothing for INT8 to speed up or slow down.
  if (v.int8.total_ms <= 0 || v.fp32.total_ms <= 0 || v.int8.macs == 0) return;
  std::string target = ctx.plan().target.name();
  auto times = [&] {
    return Note{
        fmt::format("predicted {:.2f} ms INT8 ({} primitives, {} Reorders) vs {:.2f} ms "
                    "FP32 ({} primitives, {} Reorders), one core",
                    v.int8.total_ms, v.int8_plan().nodes.size(), v.int8_plan().reorders.size(),
                    v.fp32.total_ms, v.fp32_plan().nodes.size(), v.fp32_plan().reorders.size()),
        {}};
  };
  if (!v.model_is_int8) {
    // Advice for an FP32 model: what quantizing it would do on this target.
    Finding& f = ctx.report_at(
        {}, fmt::format("INT8 would be ~{:.1f}x {} on {} (FakeQuantize assumed on every "
                        "convolution and matrix product input)",
                        v.speedup >= 1 ? v.speedup : 1 / v.speedup,
                        v.speedup >= 1 ? "faster" : "slower", target));
    ctx.set_severity(f, kSeverityCases[0]);
    f.notes.push_back(times());
    return;
  }
  if (v.speedup >= ctx.option("threshold")) return;
  double lost = 0;
  for (const LossCause& c : v.causes) lost += c.lost_ms;
  std::string why;
  for (size_t i = 0; i < v.causes.size() && i < 3; ++i) {
    why += fmt::format("{}{:.0f}% of the loss from {}", i ? ", " : "; ",
                       100 * v.causes[i].lost_ms / lost, v.causes[i].what);
  }
  Finding& f = ctx.report_at({}, fmt::format("INT8 predicted {:.1f}x {} than FP32 on {}{}",
                                             v.speedup >= 1 ? v.speedup : 1 / v.speedup,
                                             v.speedup >= 1 ? "faster" : "slower", target, why));
  f.notes.push_back(times());
  for (size_t i = 0; i < v.causes.size() && i < 3; ++i) {
    f.notes.push_back({fmt::format("{}: +{:.3f} ms", v.causes[i].what, v.causes[i].lost_ms), {}});
  }
  f.fix =
      "keep this model FP32 on this target, or quantize only where activations fuse and "
      "depthwise inputs are unsigned, or use a newer runtime or a CPU with VNNI";
}

/// Checked against the whole-plan times of the plan and its counterpart, timed interleaved in
/// one live run: confirmed when the measured FP32/INT8 time ratio is below the threshold too
/// (for the advice on an FP32 model: when INT8 measured faster or slower as predicted).
void confirm(const LiveEvidence& e, Finding& f) {
  const live::PlanTiming& whole = e.run.whole;
  const live::PlanTiming& other = e.run.counterpart;
  if (other.primitives == 0 || whole.median_ms <= 0 || other.median_ms <= 0) {
    f.status = Status::not_observable;
    f.evidence = "the live run did not time the model's INT8 and FP32 plans against each other";
    return;
  }
  const live::PlanTiming& int8 = whole.label == "int8" ? whole : other;
  const live::PlanTiming& fp32 = whole.label == "int8" ? other : whole;
  double speedup = fp32.median_ms / int8.median_ms;
  bool holds = speedup < e.option(*f.rule, "threshold");
  if (!e.plan.int8) {
    // The advice on an FP32 model predicts whether INT8 would be faster or slower.
    bool predicted_faster = int8_verdict(e.model, e.plan).speedup >= 1;
    holds = predicted_faster == (speedup >= 1);
  }
  f.status = holds ? Status::confirmed : Status::refuted;
  f.evidence = fmt::format("{}: whole plan INT8 {:.4f} ms, FP32 {:.4f} ms ({:.2f}x)", e.where,
                           int8.median_ms, fp32.median_ms, speedup);
}

}  // namespace

extern const Rule kInt8SlowerThanFp32{
    .info = {.code = "IRL501",
             .name = "int8-slower-than-fp32",
             .severity = Severity::warning,
             .summary = "the INT8 model is predicted to run slower than its FP32 counterpart",
             .options = kOptions,
             .severity_cases = kSeverityCases},
    .check = check,
    .needs = Needs::verdict,
    .confirm = confirm};

}  // namespace irlint
