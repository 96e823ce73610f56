#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir_model.hpp"
#include "op.hpp"
#include "target.hpp"

namespace irlint {

/// One primitive of the predicted execution graph: a layer and what fused into it.
struct PlanNode {
  Vertex main = 0;
  std::vector<Vertex> fused;  ///< layers executed inside this primitive, in order
  OpKind kind = OpKind::other;
  Precision precision = Precision::fp32;      ///< the precision it computes in
  Precision in_precision = Precision::fp32;   ///< what it reads
  Precision out_precision = Precision::fp32;  ///< what it writes
  Layout in_layout = Layout::planar;
  Layout out_layout = Layout::planar;
  Impl impl = Impl::unknown;
  std::string exec_type;  ///< e.g. "jit_avx2_1x1_I8", "brgconv:avx512_core"
  std::string why;        ///< why this implementation (fallbacks), empty when unremarkable
  bool depthwise = false;
  bool signed_input = false;  ///< INT8 input may be negative (s8 rather than u8)
  // Work and predicted cost (filled by the cost model).
  uint64_t macs = 0;
  uint64_t bytes = 0;
  double time_ms = 0;
};

/// A Reorder the runtime inserts on an IR edge whose ends disagree on layout or precision.
struct PlanReorder {
  Edge edge;
  int32_t from_node = -1;
  int32_t to_node = -1;
  Precision from_precision = Precision::fp32;
  Precision to_precision = Precision::fp32;
  Layout from_layout = Layout::planar;
  Layout to_layout = Layout::planar;
  uint64_t bytes = 0;
  double time_ms = 0;
};

/// An activation (one op or a recognised element-wise pattern) after a convolution.
struct PlanActivation {
  OpKind kind;                 ///< hswish for x*Clamp(x+3,0,6)/6 etc.
  std::vector<Vertex> layers;  ///< the layers that form it, the first is the anchor
  bool decomposed = false;     ///< written as a sub-graph rather than one op
  int32_t conv_node = -1;      ///< the convolution node it follows, -1 if none
  Support fused = Support::no;
  std::string_view source;  ///< where the fusion fact comes from
  std::string_view form;    ///< the written form's pattern ("hswish-clamp-mul-div"), "" for one op
};

/// The predicted execution graph of a model on a target.
struct Plan {
  Target target;
  std::vector<PlanNode> nodes;  ///< in execution order
  std::vector<PlanReorder> reorders;
  std::vector<PlanActivation> activations;
  std::vector<int32_t> node_of;  ///< per vertex: the node executing it, -1 if none
  std::vector<bool> constant;    ///< per vertex: folded away as a constant (weights, shapes)
  bool int8 = false;             ///< the model carries quantization (FakeQuantize or statistics)
};

/// How the planner treats the model's quantization.
enum class Quantization : uint8_t {
  as_written,  ///< FakeQuantize layers and legacy quantization levels as the model has them
  stripped,    ///< the FP32 counterpart: every quantizer passes its input through
  assumed,     ///< the INT8 counterpart: every convolution and matrix product input quantized
};

/// A Reorder's name the way the plugin names it (made when asked: a plan may hold many thousands).
std::string reorder_name(const IrModel& model, const Plan& plan, const PlanReorder& r);

/// Predicts how the target's runtime executes the model. Pure: reads the model and the target's
/// data only, never a runtime. A model with a cycle gets an empty plan.
Plan plan(const IrModel& model, const Target& target,
          Quantization quantization = Quantization::as_written);
/// Whether the model as written carries quantization: the Plan::int8 that plan() decides (its
/// fold-constants and detect-quantization passes), without planning the rest.
bool carries_quantization(const IrModel& model, const Target& target);

}  // namespace irlint
