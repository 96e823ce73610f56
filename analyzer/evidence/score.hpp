#pragma once
// The plan scored against evidence: observed rows joined to the model's layers and compared with
// what the planner predicted for them.

#include <optional>
#include <string>
#include <vector>

#include "evidence.hpp"
#include "ir_model.hpp"
#include "plan.hpp"

namespace irlint {

/// Agreement counts for one property.
struct Agreement {
  int agree = 0;
  int total = 0;
  double percent() const { return total == 0 ? 0.0 : 100.0 * agree / total; }
};

/// One IR layer with what was predicted and what was observed for it.
struct LayerComparison {
  Vertex layer = 0;
  std::string name;
  std::string type;
  int row = -1;     ///< index of the observed row
  std::string how;  ///< how it was matched: original-name, name, prefix
  bool observed_fused = false;
  bool predicted_fused = false;
  bool observed_executed = false;
  std::string observed_exec;
  std::string predicted_exec;
  std::string observed_precision;
  std::string predicted_precision;
  std::string observed_impl;
  std::string predicted_impl;
  std::string observed_layout;
  std::string predicted_layout;
  std::optional<bool> fused_agrees, precision_agrees, impl_agrees, layout_agrees;
};

/// A Reorder seen, predicted, or both, located between two IR layers.
struct ReorderComparison {
  std::string name;  ///< the observed name, else the predicted one
  std::string from;  ///< IR layer names of its ends (empty when not found)
  std::string to;
  bool predicted = false;
  bool observed = false;
  int row = -1;
};

/// The plan scored against the evidence.
struct Score {
  std::string target;
  int rows = 0;
  int matched_rows = 0;
  std::vector<std::string> unmatched_rows;  ///< rows naming no IR layer (and not Reorders)
  std::vector<LayerComparison> layers;
  std::vector<ReorderComparison> reorders;
  std::vector<std::string> unlocated_reorders;  ///< observed Reorders whose ends were not found
  int weight_reorders = 0;                      ///< Reorders of constants, not scored
  int input_reorders = 0;  ///< U8→FP32 input conversions benchmark_app asked for, not scored
  Agreement precision, impl, fused, layout;
  int reorder_true_pos = 0, reorder_false_pos = 0, reorder_false_neg = 0;
  /// Of the predicted Reorders, the share observed (1 when none were predicted).
  double reorder_precision() const;
  /// Of the observed Reorders, the share predicted (1 when none were observed).
  double reorder_recall() const;
};

/// Joins the observed rows to the model's layers and compares them with the plan.
Score score(const IrModel& model, const Plan& plan, const Evidence& evidence);

}  // namespace irlint
