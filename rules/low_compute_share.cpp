#include "cost.hpp"
#include "live_evidence.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"min-share", "0.5",
     "report when convolutions and matrix products hold less than this share of predicted time"},
};

void check(RuleContext& ctx) {
  const PlanCost& cost = ctx.cost();
  // A model without convolutions or matrix products is not an INT8 candidate to begin with.
  if (cost.total_ms <= 0 || cost.macs == 0 || cost.conv_time_share() >= ctx.option("min-share")) {
    return;
  }
  Finding& f = ctx.report_at(
      {}, fmt::format("convolutions and matrix products hold only {:.0f}% of the predicted time "
                      "on {}",
                      100 * cost.conv_time_share(), ctx.plan().target.name()));
  f.notes.push_back(
      {fmt::format("predicted {:.3f} ms: {:.3f} ms compute, {:.3f} ms in {} "
                   "Reorders, {:.3f} ms in other primitives",
                   cost.total_ms, cost.compute_ms, cost.reorders_ms, ctx.plan().reorders.size(),
                   cost.total_ms - cost.compute_ms - cost.reorders_ms),
       {}});
  f.notes.push_back({fmt::format("{:.0f}% of the {:.3f} GMACs are in convolutions and matrix "
                                 "products",
                                 100 * cost.conv_mac_share(), static_cast<double>(cost.macs) / 1e9),
                     {}});
  f.fix =
      "INT8 only speeds up convolutions and matrix products: expect little from quantizing "
      "this model; fuse or remove the element-wise work first";
}

/// Checked against the share of the whole-plan time the live run spent in convolutions and
/// matrix products.
void confirm(const LiveEvidence& e, Finding& f) {
  double compute = 0;
  for (const live::NodeObservation& o : e.run.nodes) {
    if (o.primitive == "convolution" || o.primitive == "matmul") compute += o.whole_ms;
  }
  double total = e.run.whole.primitive_ms;
  if (total <= 0) {
    f.status = Status::not_observable;
    f.evidence = "the live run did not execute the whole plan";
    return;
  }
  double share = compute / total;
  f.status = share < e.option(*f.rule, "min-share") ? Status::confirmed : Status::refuted;
  f.evidence = fmt::format("{}: convolutions and matrix products took {:.0f}% of {:.4f} ms",
                           e.where, 100 * share, total);
}

}  // namespace

extern const Rule kLowComputeShare{
    .info = {.code = "IRL502",
             .name = "low-compute-share",
             .severity = Severity::warning,
             .summary = "convolutions and matrix products hold too small a share of predicted time",
             .options = kOptions},
    .check = check,
    .needs = Needs::cost,
    .confirm = confirm};

}  // namespace irlint
