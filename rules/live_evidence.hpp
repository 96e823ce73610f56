#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine.hpp"
#include "live/observation.hpp"
#include "rule.hpp"

namespace irlint {

/// What a live run observed of a plan, as the confirm hooks of rules read it.
class LiveEvidence {
 public:
  LiveEvidence(const IrModel& model, const Plan& plan, const live::LiveRun& run,
               const RuleSettings& settings);

  const IrModel& model;
  const Plan& plan;
  const live::LiveRun& run;
  /// "oneDNN 2.6.3 on avx2, native mode": where the observation was made.
  std::string where;

  /// The layer with IR id `layer_id`, if the model has one.
  std::optional<Vertex> vertex(int64_t layer_id) const;
  /// The plan node executing the layer with IR id `layer_id`, -1 if none.
  int32_t node_of(int64_t layer_id) const;
  /// What the live run observed of plan node `node`, null when it was not run.
  const live::NodeObservation* observed(int32_t node) const;
  /// A rule option as the lint was configured (its default when not set).
  double option(const Rule& rule, std::string_view name) const;

 private:
  const RuleSettings& settings_;
  std::map<int64_t, Vertex> by_id_;
};

/// Sets status and evidence of every finding whose rule a live run can confirm.
void confirm_findings(const LiveEvidence& evidence, std::vector<Finding>& findings);

}  // namespace irlint
