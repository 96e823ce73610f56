#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace irlint {

/// Arguments of `irlint plan`.
struct PlanArgs {
  std::string model;
  std::string bin;
  std::string target;
  std::string exec_graph_out;
  std::string dot;
  int64_t batch = 1;  ///< --batch: the dynamic batch assumed (0 = keep it dynamic)
};

int run_plan(const PlanArgs& args, std::ostream& out, std::ostream& err);
/// `irlint info`: what the model is, its inputs and layer counts, GMACs with a dynamic batch
/// taken as `batch` (0: kept dynamic).
int run_info(const std::string& model, const std::string& bin, int64_t batch, std::ostream& out,
             std::ostream& err);
int run_rules(const std::string& format, std::ostream& out, std::ostream& err);
int run_explain(const std::string& rule, std::ostream& out, std::ostream& err);
int run_targets(std::ostream& out);

/// The rule index page (docs/rules/README.md), generated from the registry's metadata.
std::string rules_markdown();

}  // namespace irlint
