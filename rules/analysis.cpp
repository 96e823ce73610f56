#include "analysis.hpp"

#include <fmt/format.h>

#include <ostream>

#include "escape.hpp"
#include "shapes.hpp"

namespace irlint {

Analysis analyze(const std::string& path, const AnalysisSettings& settings, Stage until) {
  Analysis a;
  a.model = read_ir(path, settings.bin, settings.limits);
  a.batched_ports = assume_batch(*a.model, settings.batch);
  if (until == Stage::read) return a;
  if (until == Stage::plan) {
    if (!a.model->fatal) a.plan = plan(*a.model, settings.target);
    return a;
  }
  LintCache cache = start_lint(*a.model, settings.target, settings.rules);
  if (!a.model->fatal) a.plan = plan(*a.model, settings.target);
  a.findings = lint(*a.model, a.plan ? &*a.plan : nullptr, settings.rules, std::move(cache));
  return a;
}

bool usable_or_report(const IrModel& model, const std::string& path, std::ostream& err) {
  if (!model.fatal && model.order.size() == model.layer_count()) return true;
  for (const ReaderIssue& i : model.issues) {
    if (i.severity != Severity::error) continue;
    err << fmt::format("{}:{}:{}: error: {} [{}]\n", shown(path), i.pos.line, i.pos.column,
                       shown(i.message), reader_rule(i.check).info.name);
  }
  if (!model.fatal) {
    err << fmt::format("{}: error: the graph has a cycle [graph-cycle]\n", shown(path));
  }
  return false;
}

}  // namespace irlint
