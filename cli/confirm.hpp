#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace irlint {

/// Arguments of `irlint confirm MODEL --evidence FILE [--target T] [--format text|json]`, or
/// `irlint confirm MODEL --openvino [--benchmark-app PATH]` to produce the evidence by a run.
struct ConfirmArgs {
  std::string model;
  std::string bin;
  std::string evidence;  ///< counters text/CSV/JSON, exec-graph XML, runtime-node TSV, …
  std::string target;    ///< empty: inferred from the evidence
  std::string format = "text";
  bool openvino = false;      ///< run benchmark_app to get the evidence
  std::string benchmark_app;  ///< the benchmark_app to run (default: the one on PATH)
  int niter = 10;
  int64_t batch = 1;  ///< --batch: the dynamic batch assumed (0 = keep it dynamic)
};

/// Scores irlint's plan of a model against what OpenVINO really did (recorded evidence or a
/// benchmark_app run). Returns 0 when scored, 2 on a usage or input error.
int run_confirm(const ConfirmArgs& args, std::ostream& out, std::ostream& err);

}  // namespace irlint
