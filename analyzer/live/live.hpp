#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "diagnostic.hpp"
#include "ir_model.hpp"
#include "plan.hpp"

namespace irlint::live {

/// How the live run builds primitives: with the plan's layouts, or letting oneDNN choose.
enum class Mode : uint8_t { imposed, native };

/// What the live run is asked to do.
struct LiveOptions {
  Mode mode = Mode::native;
  int iterations = 20;
  int warmup = 3;
  /// Keep the input, weights and output values (logical nchw / goihw order) of each node, for
  /// numerical checks.
  bool keep_values = false;
  /// Runs every node in this precision instead of the plan's (fp32, u8 or i8 src); for tests.
  std::optional<Precision> precision_override;
  /// Time every node on its own (median over `iterations`); off, each node runs once to check it.
  bool time_nodes = true;
  /// For an OpenVINO policy's plan: force the gemm/ref convolution the plan predicts by walking
  /// the primitive_desc's implementations (`next_impl()`), when oneDNN offers one.
  bool force_fallbacks = true;
  /// Writes "live: 37/120 nodes" on stderr, overwritten in place (the caller checks isatty).
  bool progress = false;
  /// Label of this plan in the progress line ("int8", "fp32 counterpart").
  std::string progress_label;
};

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

/// Builds the plan's nodes as oneDNN primitives on this CPU and runs them. Nodes that cannot be
/// built are recorded with a reason; the run goes on.
/// With `counterpart`, also builds that plan's primitives in this process and times both plans
/// alternately (iteration i: whole plan, whole counterpart, …) into `whole` and `counterpart`.
LiveRun run_live(const IrModel& model, const Plan& plan, const LiveOptions& options,
                 const Plan* counterpart = nullptr);

/// The effective ISA of the process ("avx512_core_vnni", …): call only after any cap is set.
std::string effective_isa();
/// True when the effective ISA honours `requested` ("avx2", "avx512", "avx512_vnni", "sse41").
bool isa_cap_honoured(const std::string& requested, const std::string& effective);
/// ONEDNN_MAX_CPU_ISA spelling of an irlint ISA name, or empty when unknown.
std::string onednn_isa_cap(const std::string& isa);

nlohmann::json to_json(const PlanTiming& timing);
nlohmann::json to_json(const LiveRun& run);
LiveRun live_run_from_json(const nlohmann::json& j);

/// Runs the executor in a child process (`self_exe __live-child …`) with ONEDNN_MAX_CPU_ISA set
/// for `isa` ("native": not set); nullopt with `error` set when the child fails or the cap was
/// ignored.
std::optional<LiveRun> run_live_in_child(const std::string& self_exe,
                                         const std::vector<std::string>& child_args,
                                         const std::string& isa, std::string* error);

/// One plan node whose prediction differs from what oneDNN did.
struct Disagreement {
  int32_t node = -1;
  std::string layer;
  std::string what;  ///< "implementation", "precision" or "layout"
  std::string predicted;
  std::string observed;
};

/// How well the plan predicted the live run.
struct Reconciliation {
  int compared = 0;  ///< nodes that ran and have a predicted exec type
  int agreed = 0;    ///< of those, nodes whose exec type, precision and layout all agree
  int conv_compared = 0;
  int conv_agreed = 0;  ///< convolution nodes whose exec type agrees
  std::vector<Disagreement> disagreements;
  std::vector<std::string> not_run;  ///< "layer (type): reason"
};

/// Compares every predicted node with its observation.
Reconciliation reconcile(const IrModel& model, const Plan& plan, const LiveRun& run);

/// Marks findings confirmed, refuted or not observable, with the measurement as evidence.
void confirm_findings(const IrModel& model, const Plan& plan, const LiveRun& run,
                      std::vector<Finding>& findings);

/// The readable name of a layout as irlint's plan spells it ("nhwc", "nChw8c", …).
std::string plan_layout_name(Layout layout);

}  // namespace irlint::live
