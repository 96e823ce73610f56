#include "cost.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

constexpr RuleOption kOptions[] = {
    {"min-share", "0.5",
     "report when convolutions and matrix products hold less than this share of predicted time"},
};

void check(RuleContext& ctx) {
  if (!ctx.plan || ctx.plan->nodes.empty()) return;
  const PlanCost& cost = ctx.cost();
  // A model without convolutions or matrix products is not an INT8 candidate to begin with.
  if (cost.total_ms <= 0 || cost.macs == 0 ||
      cost.conv_time_share() >= ctx.option_number("min-share")) {
    return;
  }
  Finding& f = ctx.report_at(
      {}, fmt::format("convolutions and matrix products hold only {:.0f}% of the predicted time "
                      "on {}",
                      100 * cost.conv_time_share(), ctx.plan->target.name()));
  f.notes.push_back(
      {fmt::format("predicted {:.3f} ms: {:.3f} ms compute, {:.3f} ms in {} "
                   "Reorders, {:.3f} ms in other primitives",
                   cost.total_ms, cost.compute_ms, cost.reorders_ms, ctx.plan->reorders.size(),
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

}  // namespace

extern const Rule kLowComputeShare{
    {.code = "IRL502",
     .name = "low-compute-share",
     .severity = Severity::warning,
     .summary = "convolutions and matrix products hold too small a share of predicted time",
     .live_confirmable = true,
     .options = kOptions},
    check};

}  // namespace irlint
