#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "diagnostic.hpp"
#include "ir_model.hpp"
#include "observation.hpp"
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

/// The readable name of a layout as irlint's plan spells it ("nhwc", "nChw8c", …).
std::string plan_layout_name(Layout layout);

}  // namespace irlint::live
