#pragma once

#include <span>
#include <string_view>

#include "plan/state.hpp"

// The planner's passes. Each reads the model and the target's Policy facts and adds to the
// PlanState; `pipeline()` lists them in the order they run.
namespace irlint::planning {

/// A named step of the planner.
struct Pass {
  std::string_view name;
  void (*run)(PlanState& state);
};

/// The passes in the order they run, the same for every target (the facts differ).
std::span<const Pass> pipeline();

/// Marks constant sub-graphs (weights, their decompression, shape computations) as folded.
void fold_constants(PlanState& state);
/// Decides whether the model carries quantization (Plan::int8).
void detect_quantization(PlanState& state);
/// Walks the layers in topological order and makes the primitives: precision, layout and the
/// post-ops that fuse into each convolution or matrix product.
void build_nodes(PlanState& state);
/// Adds a Reorder on every edge whose ends disagree on layout or precision.
void insert_reorders(PlanState& state);
/// Spells each node's implementation the way the target's runtime reports it.
void name_kernels(PlanState& state);

// Steps of build_nodes, one file each.

/// The precision a convolution or matrix product computes in.
struct ComputePrecision {
  bool int8 = false;
  bool is_signed = false;
};
/// Precision of a compute layer from its input: a FakeQuantize in front, INT8 data, legacy
/// calibration statistics, or the Quantization mode (pass_precision.cpp).
ComputePrecision compute_precision(PlanState& state, Vertex v);
/// Sets a compute node's precisions and whether it is depthwise (pass_precision.cpp).
void set_compute_precision(PlanState& state, PlanNode& node);
/// Sets a standalone node's precisions from its input (pass_precision.cpp).
void set_standalone_precision(PlanState& state, PlanNode& node);
/// Chooses a compute node's layouts and the kernel fallbacks they force (pass_layout.cpp).
void negotiate_compute_layout(PlanState& state, PlanNode& node);
/// Chooses a standalone node's layout and its reference fallbacks (pass_layout.cpp).
void negotiate_standalone_layout(PlanState& state, PlanNode& node);
/// Fuses the post-ops that follow compute node `n` and returns the last fused layer
/// (pass_fusion.cpp).
Vertex fuse_post_ops(PlanState& state, int32_t n);

}  // namespace irlint::planning
