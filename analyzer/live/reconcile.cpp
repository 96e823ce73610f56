#include <fmt/format.h>

#include <map>

#include "live.hpp"

namespace irlint::live {
namespace {

/// The oneDNN data type name of a plan precision ("f32", "u8", "s8").
std::string precision_name(Precision p) {
  switch (p) {
    case Precision::u8:
      return "u8";
    case Precision::i8:
      return "i8";
    default:
      return "fp32";
  }
}

}  // namespace

Reconciliation reconcile(const IrModel& model, const Plan& plan, const LiveRun& run) {
  Reconciliation r;
  for (const NodeObservation& o : run.nodes) {
    if (o.node < 0 || static_cast<size_t>(o.node) >= plan.nodes.size()) continue;
    const PlanNode& node = plan.nodes[static_cast<size_t>(o.node)];
    if (!o.ran) {
      r.not_run.push_back(fmt::format("{} ({}): {}", o.layer, o.type, o.reason));
      continue;
    }
    // A node predicted to run no kernel (a view) is compared only when a kernel ran for it.
    if (node.exec_type.empty() && o.primitive == "view") continue;
    ++r.compared;
    bool conv = o.primitive == "convolution";
    if (conv) ++r.conv_compared;
    bool agree = true;
    auto differ = [&](std::string what, std::string predicted, std::string seen) {
      agree = false;
      r.disagreements.push_back(
          {o.node, o.layer, std::move(what), std::move(predicted), std::move(seen)});
    };
    if (node.exec_type != o.impl)
      differ("implementation", node.exec_type.empty() ? "no kernel" : node.exec_type, o.impl);
    else if (conv)
      ++r.conv_agreed;
    std::string predicted_precision =
        is_int8(node.precision) ? precision_name(node.precision) : "fp32";
    if (!o.precision.empty() && predicted_precision != o.precision) {
      differ("precision", predicted_precision, o.precision);
    }
    // Layouts are chosen by oneDNN only for convolutions in native mode; elsewhere they are
    // the plan's own and comparing them would prove nothing.
    if (conv && run.mode == "native") {
      std::string in = plan_layout_name(node.in_layout), out = plan_layout_name(node.out_layout);
      if (in != o.src_layout || out != o.dst_layout) {
        differ("layout", fmt::format("{}>{}", in, out),
               fmt::format("{}>{}", o.src_layout, o.dst_layout));
      }
    }
    if (agree) ++r.agreed;
  }
  (void)model;
  return r;
}

}  // namespace irlint::live
