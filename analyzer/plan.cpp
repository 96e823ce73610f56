#include "plan.hpp"

#include <fmt/format.h>

#include "plan/passes.hpp"

namespace irlint {
namespace planning {

std::span<const Pass> pipeline() {
  static constexpr Pass kPipeline[] = {
      {"fold-constants", fold_constants}, {"detect-quantization", detect_quantization},
      {"build-nodes", build_nodes},       {"insert-reorders", insert_reorders},
      {"name-kernels", name_kernels},
  };
  return kPipeline;
}

}  // namespace planning

std::string reorder_name(const IrModel& model, const Plan& plan, const PlanReorder& r) {
  // The plugin's name: parent, then each side's precision and format where they differ.
  auto format = [&](Layout l) {
    return plan.target.policy->mkldnn_format_names.value ? to_string(l) : exec_graph_name(l);
  };
  std::string middle;
  bool precision_differs = r.from_precision != r.to_precision;
  bool layout_differs = r.from_layout != r.to_layout;
  if (precision_differs) middle += fmt::format("_{}", to_string(r.from_precision));
  if (layout_differs) middle += fmt::format("_{}", format(r.from_layout));
  if (precision_differs) middle += fmt::format("_{}", to_string(r.to_precision));
  if (layout_differs) middle += fmt::format("_{}", format(r.to_layout));
  const Graph& g = model.graph;
  return fmt::format("{}{}_{}", g[boost::source(r.edge, g)].name, middle,
                     g[boost::target(r.edge, g)].name);
}

namespace {

/// A model with a cycle has no order to plan in: its plan is empty.
bool plannable(const IrModel& model) {
  return model.order.size() == boost::num_vertices(model.graph);
}

}  // namespace

Plan plan(const IrModel& model, const Target& target, Quantization quantization) {
  planning::PlanState state(model, target, quantization);
  if (plannable(model)) {
    for (const planning::Pass& pass : planning::pipeline()) pass.run(state);
  }
  state.plan.constant = std::move(state.const_like);
  return std::move(state.plan);
}

bool carries_quantization(const IrModel& model, const Target& target) {
  planning::PlanState state(model, target, Quantization::as_written);
  if (plannable(model)) {
    planning::fold_constants(state);
    planning::detect_quantization(state);
  }
  return state.plan.int8;
}

}  // namespace irlint
