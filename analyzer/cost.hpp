#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir_model.hpp"
#include "plan.hpp"
#include "target.hpp"

namespace irlint {

/// The kernel classes the throughput table distinguishes.
enum class KernelClass : uint8_t {
  conv1x1_fp32,
  conv_fp32,
  depthwise_fp32,
  conv1x1_int8,
  conv_int8,
  depthwise_int8,
  gemm_int8,  ///< INT8 convolution run by the gemm fallback (gemm_blas_I8)
  matmul_fp32,
  matmul_int8,
  ref_compute,  ///< reference convolution or matrix product
  eltwise,      ///< JIT element-wise, pooling, concat and other data movers
  ref_eltwise,  ///< reference element-wise (HardSigmoid in the 2019-2022 plugins)
  none,         ///< Parameter, Result: no work
};
inline constexpr size_t kComputeClasses = 10;  ///< classes rated in GMAC/s
std::string_view to_string(KernelClass kind);

/// Throughput of one target's kernels on one core, each number with where it came from.
struct CostTable {
  std::string name;  ///< the target's name
  /// GMAC/s of one core per compute class (indexed by KernelClass up to kComputeClasses).
  std::array<Fact<double>, kComputeClasses> gmacs;
  Fact<double> eltwise_gelems;      ///< JIT element-wise operations, G elements/s
  Fact<double> ref_eltwise_gelems;  ///< reference element-wise operations, G elements/s
  Fact<double> bandwidth_gbs;       ///< bytes read + written per second by one core, GB/s
  Fact<double> reorder_gbs;         ///< layout-only Reorder, GB/s of bytes read + written
  Fact<double> convert_gbs;         ///< Reorder that also converts precision, GB/s
  Fact<double> overhead_ms;         ///< fixed cost of executing one primitive
};

/// The one throughput table of a target: the same for every model.
CostTable cost_table(const Target& target);

/// Work and predicted time of one primitive of a plan.
struct NodeCost {
  KernelClass kernel = KernelClass::none;
  uint64_t macs = 0;
  uint64_t elem_ops = 0;       ///< element-wise operations (fused post-ops included)
  uint64_t bytes_read = 0;     ///< activations read, in the node's precision and layout
  uint64_t bytes_written = 0;  ///< activations written
  uint64_t weight_bytes = 0;   ///< weights read, in the precision the kernel uses
  double compute_ms = 0;
  double memory_ms = 0;
  double time_ms = 0;  ///< max(compute, memory) + overhead
};

/// Work and predicted time of a whole plan.
struct PlanCost {
  std::vector<NodeCost> nodes;     ///< parallel to Plan::nodes
  std::vector<double> reorder_ms;  ///< parallel to Plan::reorders
  std::vector<uint64_t> reorder_bytes;
  double total_ms = 0;
  double compute_ms = 0;  ///< time of convolution and matrix-product primitives
  double reorders_ms = 0;
  uint64_t macs = 0;
  uint64_t conv_macs = 0;  ///< MACs in convolutions and matrix products
  uint64_t elem_ops = 0;
  uint64_t bytes = 0;  ///< activations and weights moved, Reorders included
  uint64_t weight_bytes = 0;
  /// Share of MACs in convolutions and matrix products (1 when there are no MACs at all).
  double conv_mac_share() const;
  /// Share of predicted time in convolutions and matrix products.
  double conv_time_share() const;
};

/// Bytes of a tensor of `dims` in `precision` and `layout`, channels padded to the block.
uint64_t tensor_bytes(const Shape& dims, Precision precision, Layout layout);

/// Predicts the time of every primitive and Reorder of `plan` with `table`.
PlanCost estimate(const IrModel& model, const Plan& plan, const CostTable& table);

/// Why INT8 loses time against FP32: one category of the difference.
struct LossCause {
  std::string what;  ///< "70 Reorders", "28 unfused activations", "15 gemm fallback kernels"
  double lost_ms = 0;
};

/// The INT8 vs FP32 verdict of a model on a target.
struct Int8Verdict {
  bool model_is_int8 = false;
  /// The plan that was not given: quantization stripped or assumed.
  Plan counterpart;
  /// The plan the verdict was asked about; it must outlive the verdict.
  const Plan* given = nullptr;
  const Plan& int8_plan() const { return model_is_int8 ? *given : counterpart; }
  const Plan& fp32_plan() const { return model_is_int8 ? counterpart : *given; }
  PlanCost fp32, int8;
  /// Predicted INT8 speed over FP32: fp32 time / int8 time (below 1: INT8 is slower).
  double speedup = 1;
  std::vector<LossCause> causes;  ///< biggest first, only those that lose time
};

/// Plans and costs the model and its counterpart on the plan's target: for an INT8 model its
/// plan with quantization stripped, for an FP32 model its plan with every convolution and matrix
/// product input quantized, as NNCF and POT place FakeQuantize.
Int8Verdict int8_verdict(const IrModel& model, const Plan& plan_as_given);

/// The counterpart of a plan (see int8_verdict) and its cost.
struct CostedPlan {
  Plan plan;
  PlanCost cost;
};
/// Plans and costs the counterpart of `plan_as_given`.
CostedPlan counterpart_of(const IrModel& model, const Plan& plan_as_given);
/// Plans and costs the counterpart of the model's plan on `target`, the model's plan being INT8
/// or not as `model_is_int8` says.
CostedPlan counterpart_of(const IrModel& model, const Target& target, bool model_is_int8);
/// The verdict from both plans already costed.
Int8Verdict int8_verdict(const IrModel& model, const Plan& plan_as_given, PlanCost given_cost,
                         CostedPlan counterpart);

}  // namespace irlint

namespace irlint {

/// The text `irlint plan` prints after its table: totals FP32 vs INT8 side by side and the
/// `top_n` primitives of the plan as given by predicted time.
std::string cost_summary(const IrModel& model, const Plan& plan_as_given, const Int8Verdict& v,
                         size_t top_n);

}  // namespace irlint
