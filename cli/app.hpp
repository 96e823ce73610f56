#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "analysis.hpp"
#include "engine.hpp"
#include "reader.hpp"
#include "report.hpp"
#include "target.hpp"

namespace irlint {

/// The whole command line: parses `argv`, runs the command and returns the exit status
/// (0 clean, 1 findings at or above --fail-on, 2 usage or input error). Never throws.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// What `irlint check` does with one model file: read, plan and lint it. The report's
/// input_error (exit status 2) is set when the file could not be read as a graph, or when an
/// IR-family rule (IRL0xx) reports an error: the model is one OpenVINO's reader rejects.
FileReport check_file(const std::string& path, const AnalysisSettings& settings);

}  // namespace irlint
