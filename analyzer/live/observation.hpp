#pragma once
// What a live run observed, as plain data: built by the executor (which needs oneDNN), read by
// the rules' confirm hooks and the reports (which do not).

#include <cstdint>
#include <string>
#include <vector>

namespace irlint::live {

/// An activation after a convolution, tried as a post-op of that convolution.
struct PostOpProbe {
  int32_t activation = -1;  ///< index into Plan::activations
  int32_t conv_node = -1;
  std::string kind;  ///< the activation's OpKind
  bool accepted = false;
  std::string impl;   ///< impl_info_str() with the post-op, when accepted
  std::string error;  ///< why not, when rejected
};

/// What one plan node did on real oneDNN primitives.
struct NodeObservation {
  int32_t node = -1;
  std::string layer;
  std::string type;
  bool ran = false;
  std::string reason;  ///< why it could not run
  std::string primitive;
  std::string impl;  ///< impl_info_str()
  std::string src_layout, weights_layout, dst_layout;
  std::string src_type, weights_type, dst_type;
  std::string precision;              ///< "fp32", "u8", "i8" (the src type of the computation)
  std::vector<std::string> post_ops;  ///< post-ops attached ("eltwise_hardswish", "binary_mul")
  std::vector<std::string> dropped;   ///< fused layers that could not be mapped to a post-op
  bool src_reorder = false;           ///< the primitive wants another src layout than it was given
  bool weights_reorder = false;       ///< the weights need a reorder from their plain layout
  bool dst_reorder = false;           ///< the primitive writes another layout than was asked for
  /// "gemm" or "ref" when the implementation was forced to the plan's fallback (what-if run);
  /// `forced` is set but `impl` lacks it when oneDNN offered no such implementation.
  std::string forced;
  double median_ms = 0;
  double spread_ms = 0;  ///< max - min over the timed iterations
  double whole_ms = 0;   ///< median time inside the whole-plan iterations (reorders excluded)
  int threads = 1;
  // Values, only with LiveOptions::keep_values.
  std::vector<int64_t> src_dims, weights_dims, dst_dims;
  std::vector<float> src_values, weights_values, dst_values;
};

/// Whole-plan timing: every primitive of a plan (its Reorders and the reorders the executor
/// needs included) executed back to back, iteration after iteration.
struct PlanTiming {
  std::string label;        ///< "int8" or "fp32"
  int primitives = 0;       ///< primitives executed per iteration, reorders included
  int reorders = 0;         ///< of those, reorders (the plan's and the executor's)
  int nodes = 0;            ///< plan nodes that ran
  double median_ms = 0;     ///< median end-to-end time of one iteration
  double primitive_ms = 0;  ///< median over iterations of the sum of the primitive times inside
  double overhead_pct = 0;  ///< median over iterations of (end-to-end - sum) / end-to-end, in %
  int iterations = 0;
};

/// The label of a run on an OpenVINO policy's plan: its layouts and fallbacks, today's kernels.
inline constexpr const char* kWhatIfLabel = "what-if on oneDNN 2.6 kernels";

/// A whole live run of one plan.
struct LiveRun {
  std::string mode;
  std::string isa_requested;  ///< "native" or the ONEDNN_MAX_CPU_ISA value
  std::string isa_effective;  ///< dnnl_get_effective_cpu_isa()
  std::string onednn_version;
  int iterations = 0;
  int threads = 1;
  std::vector<NodeObservation> nodes;
  std::vector<PostOpProbe> probes;
  /// The plan is an OpenVINO policy's: a what-if run (see kWhatIfLabel).
  bool what_if = false;
  PlanTiming whole;        ///< the plan as given
  PlanTiming counterpart;  ///< its INT8 or FP32 counterpart, interleaved; primitives 0 if none
  /// The counterpart's nodes (not timed on their own: whole_ms only).
  std::vector<NodeObservation> counterpart_nodes;
};

}  // namespace irlint::live
