#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analysis.hpp"
#include "engine.hpp"
#include "reader.hpp"
#include "report.hpp"
#include "target.hpp"

namespace irlint {

/// Everything `irlint check` was asked to do.
struct CheckArgs {
  std::vector<std::string> inputs;
  std::string bin;
  std::string target;
  std::string format = "text";
  std::vector<std::string> select, ignore, severity, options;
  std::string fail_on;
  std::string baseline, write_baseline;
  std::string config;
  std::string output;
  bool no_config = false;
  int jobs = 1;
  bool stats = false;  ///< print "N files in X s (Y files/s)" on stderr
  int64_t batch = 1;   ///< --batch: the dynamic batch assumed (0 = keep it dynamic)
};

/// `irlint check`: lints the models and writes the report; the exit status of run_cli().
int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err);

/// The whole command line: parses `argv`, runs the command and returns the exit status
/// (0 clean, 1 findings at or above --fail-on, 2 usage or input error). Never throws.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// What `irlint check` does with one model file: read, plan and lint it. The report's
/// input_error (exit status 2) is set when the file could not be read as a graph, or when an
/// IR-family rule (IRL0xx) reports an error: the model is one OpenVINO's reader rejects.
FileReport check_file(const std::string& path, const AnalysisSettings& settings);

}  // namespace irlint
