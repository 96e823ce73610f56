#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "target.hpp"

namespace irlint {

/// How a model is analysed, from one place: every command builds one of these from its command
/// line and configuration (checked there), then calls analyze().
struct AnalysisSettings {
  std::string bin{};  ///< weights file; empty: the .bin next to the XML
  Target target = default_target();
  int64_t batch = 0;  ///< as --batch: the batch a dynamic leading dimension is taken as; 0 keeps it
  ReadLimits limits{};
  RuleSettings rules{};
};

/// How far analyze() goes.
enum class Stage : uint8_t {
  read,  ///< read and shape
  plan,  ///< and plan
  lint,  ///< and run the rules
};

/// One model analysed: the model as read and shaped, its plan (none when the file could not be
/// read as a graph) and, at Stage::lint, the findings.
struct Analysis {
  std::shared_ptr<IrModel> model;
  std::optional<Plan> plan;
  std::vector<Finding> findings;
  size_t batched_ports = 0;  ///< ports whose dynamic batch became settings.batch
};

/// Reads, shapes, plans and lints the model at `path` the same way for every command. At
/// Stage::lint the INT8 verdict's counterpart is planned on another core beside the model's own
/// plan.
Analysis analyze(const std::string& path, const AnalysisSettings& settings,
                 Stage until = Stage::lint);

/// Whether the model is a graph a command can plan (read without fatal errors, no cycle);
/// otherwise writes the reader's errors to `err` as `path:line:col: error: … [rule]`.
bool usable_or_report(const IrModel& model, const std::string& path, std::ostream& err);

}  // namespace irlint
