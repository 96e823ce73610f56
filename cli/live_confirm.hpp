#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace irlint {

class IrModel;
struct Plan;
namespace live {
struct LiveRun;
}

/// Arguments of `irlint confirm MODEL --live`.
struct LiveConfirmArgs {
  bool live = false;
  std::string target;          ///< default: onednn-2.6:<isa>
  std::string isa = "native";  ///< native, sse41, avx2, avx512, avx512_vnni
  int iterations = 20;
  bool native = false;          ///< let oneDNN choose layouts (format_tag::any)
  int64_t batch = 1;            ///< --batch: the dynamic batch assumed (0 = keep it dynamic)
  std::string format = "text";  ///< text or json
  std::string exec_graph_out;   ///< write the observed graph as an exec-graph XML
};

/// Arguments of the hidden `irlint __live-child` subcommand (one process per emulated ISA).
struct LiveChildArgs {
  std::string model;
  std::string bin;
  std::string target;
  std::string mode = "imposed";
  std::string isa_requested = "native";
  int iterations = 20;
  int64_t batch = 1;
};

/// Runs the plan's nodes on oneDNN in a child process, reconciles them with the prediction and
/// marks the findings confirmed, refuted or not observable. Exit 2 when the live run is not built.
int run_live_confirm(const std::string& model, const std::string& bin, const LiveConfirmArgs& args,
                     std::ostream& out, std::ostream& err);

/// Predicted vs measured time of the nodes of one cost-model kernel class.
struct ClassError {
  std::string kernel;              ///< the KernelClass name ("conv1x1 INT8", …)
  int count = 0;                   ///< nodes that ran live
  double median_abs_error_ms = 0;  ///< median of |predicted - measured|
  double median_rel_error = 0;     ///< median of |predicted - measured| / measured
  double predicted_ms = 0;         ///< sum of the predicted times
  double measured_ms = 0;          ///< sum of the measured medians
};

/// The cost model's per-node times against a live run's measured medians.
struct CostComparison {
  std::vector<ClassError> classes;  ///< in KernelClass order, only classes with nodes that ran
  int nodes = 0;                    ///< nodes that ran and were joined to a prediction
  double predicted_ms = 0;          ///< sum over those nodes (Reorders excluded: not timed live)
  double measured_ms = 0;
  /// (predicted - measured) / measured of the totals; 0 when nothing was measured.
  double total_rel_error() const;
};

/// Joins every node that ran live to the time `estimate(model, plan, cost_table(target))`
/// predicts for it. Defined only when the live run is built.
CostComparison compare_cost(const IrModel& model, const Plan& plan, const live::LiveRun& run);

/// The plan with what the live run observed in place of the prediction: exec type
/// (impl_info_str()), precision and output layout of every node that ran; nodes that did not run
/// get the exec type "not_run". Written with write_exec_graph() for `--exec-graph-out`.
Plan observed_plan(const Plan& predicted, const live::LiveRun& run);

/// The child side: runs the executor and writes its observations as JSON to `out`.
int run_live_child(const LiveChildArgs& args, std::ostream& out, std::ostream& err);

}  // namespace irlint
