#include "rule.hpp"

namespace irlint {
namespace {

int64_t block(Layout layout) {
  return layout == Layout::blocked8 ? 8 : layout == Layout::blocked16 ? 16 : 1;
}

void check(RuleContext& ctx) {
  for (const PlanNode& node : ctx.plan().nodes) {
    if (node.kind != OpKind::convolution && node.kind != OpKind::group_convolution) continue;
    int64_t b = block(node.out_layout);
    const Layer& layer = ctx.model.layer(node.main);
    if (b == 1 || layer.outputs.empty() || layer.outputs.front().dims.size() != 4) continue;
    const Dim& c = layer.outputs.front().dims[1];
    if (!c.is_static() || c.min % b == 0 || c.min > 64 * b) continue;
    int64_t padded = (c.min + b - 1) / b * b;
    Finding& f = ctx.report(
        node.main,
        fmt::format("'{}' writes {} channels in {}: {} are padding ({:.0f}% wasted)", layer.name,
                    c.min, to_string(node.out_layout), padded - c.min,
                    100.0 * static_cast<double>(padded - c.min) / static_cast<double>(padded)));
    f.notes.push_back(
        {"element-wise functions that do not keep zero at zero (sigmoid, exp, "
         "h-sigmoid) run reference code on a padded blocked layout in oneDNN 2.6",
         {}});
    f.fix = fmt::format("use a channel count that is a multiple of {}", b);
  }
}

}  // namespace

extern const Rule kPaddedChannels{
    .info = {.code = "IRL402",
             .name = "padded-channels",
             .severity = Severity::note,
             .summary = "a channel count that is not a multiple of the blocked layout's width"},
    .check = check,
    .needs = Needs::plan};

}  // namespace irlint
