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

const NodeObservation* observed(const LiveRun& run, int32_t node) {
  for (const NodeObservation& o : run.nodes) {
    if (o.node == node) return &o;
  }
  return nullptr;
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

void confirm_findings(const IrModel& model, const Plan& plan, const LiveRun& run,
                      std::vector<Finding>& findings) {
  std::map<int64_t, Vertex> by_id;
  for (Vertex v = 0; v < model.layer_count(); ++v) by_id[model.layer(v).id] = v;
  auto node_of = [&](int64_t layer_id) -> int32_t {
    auto it = by_id.find(layer_id);
    if (it == by_id.end() || it->second >= plan.node_of.size()) return -1;
    return plan.node_of[it->second];
  };
  auto where =
      fmt::format("oneDNN {} on {}, {} mode", run.onednn_version, run.isa_effective, run.mode);
  for (Finding& f : findings) {
    if (f.rule == "depthwise-fallback") {
      const NodeObservation* o = observed(run, node_of(f.layer_id));
      if (!o || !o->ran) {
        f.status = Status::not_observable;
        f.evidence = o ? fmt::format("the convolution did not run: {}", o->reason)
                       : "the convolution was not run live";
        continue;
      }
      bool slow = o->impl.find("gemm") != std::string::npos || o->impl.starts_with("ref");
      f.status = slow ? Status::confirmed : Status::refuted;
      f.evidence = fmt::format("{} ran '{}' ({} {}), median {:.4f} ms", where, o->impl,
                               o->precision, o->src_layout, o->median_ms);
    } else if (f.rule == "reorder-insertion") {
      auto it = by_id.find(f.layer_id);
      const PlanReorder* reorder = nullptr;
      for (const PlanReorder& r : plan.reorders) {
        if (it == by_id.end() || boost::target(r.edge, model.graph) != it->second) continue;
        // Several edges may enter the layer: the finding sits on its edge's position.
        if (!reorder || model.graph[r.edge].pos == f.pos) reorder = &r;
      }
      const NodeObservation* from = reorder ? observed(run, reorder->from_node) : nullptr;
      const NodeObservation* to = reorder ? observed(run, reorder->to_node) : nullptr;
      if (!from || !to || !from->ran || !to->ran) {
        f.status = Status::not_observable;
        f.evidence = "one end of the edge did not run live, so its layout was not observed";
        continue;
      }
      bool needed = from->dst_layout != to->src_layout || from->dst_type != to->src_type;
      f.status = needed ? Status::confirmed : Status::refuted;
      f.evidence =
          fmt::format("{}: '{}' writes {} {}, '{}' reads {} {}: {}", where, from->layer,
                      from->dst_type, from->dst_layout, to->layer, to->src_type, to->src_layout,
                      needed ? "a Reorder is needed" : "no Reorder is needed");
    } else if (f.rule == "unfusable-activation") {
      auto it = by_id.find(f.layer_id);
      const PostOpProbe* probe = nullptr;
      for (const PostOpProbe& p : run.probes) {
        const PlanActivation& a = plan.activations[static_cast<size_t>(p.activation)];
        if (it != by_id.end() && !a.layers.empty() && a.layers.front() == it->second) probe = &p;
      }
      if (!probe || (!probe->accepted && (probe->error == "the convolution did not run" ||
                                          probe->error.starts_with("irlint maps")))) {
        f.status = Status::not_observable;
        f.evidence =
            probe ? probe->error : "the convolution before the activation did not run live";
        continue;
      }
      const NodeObservation* conv = observed(run, probe->conv_node);
      f.status = probe->accepted ? Status::refuted : Status::confirmed;
      f.evidence = probe->accepted
                       ? fmt::format("{}: oneDNN accepted {} as a post-op of '{}' ({})", where,
                                     probe->kind, conv ? conv->layer : "?", probe->impl)
                       : fmt::format("{}: {}", where, probe->error);
    }
  }
}

}  // namespace irlint::live
