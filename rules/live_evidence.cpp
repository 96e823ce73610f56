#include "live_evidence.hpp"

#include <fmt/format.h>

namespace irlint {

LiveEvidence::LiveEvidence(const IrModel& m, const Plan& p, const live::LiveRun& r,
                           const RuleSettings& settings)
    : model(m),
      plan(p),
      run(r),
      where(fmt::format("oneDNN {} on {}, {} mode", r.onednn_version, r.isa_effective, r.mode)),
      settings_(settings) {
  for (Vertex v = 0; v < model.layer_count(); ++v) by_id_[model.layer(v).id] = v;
}

std::optional<Vertex> LiveEvidence::vertex(int64_t layer_id) const {
  auto it = by_id_.find(layer_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

int32_t LiveEvidence::node_of(int64_t layer_id) const {
  auto v = vertex(layer_id);
  return v && *v < plan.node_of.size() ? plan.node_of[*v] : -1;
}

const live::NodeObservation* LiveEvidence::observed(int32_t node) const {
  for (const live::NodeObservation& o : run.nodes) {
    if (o.node == node) return &o;
  }
  return nullptr;
}

double LiveEvidence::option(const Rule& rule, std::string_view name) const {
  static const std::map<std::string, std::string> kDefaults;
  auto set = settings_.options.find(std::string(rule.info.name));
  return option_value(rule, set == settings_.options.end() ? kDefaults : set->second, name);
}

void confirm_findings(const LiveEvidence& evidence, std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    if (f.rule && f.rule->confirm) f.rule->confirm(evidence, f);
  }
}

}  // namespace irlint
