#pragma once

#include <ostream>

namespace irlint {

/// The whole command line: parses `argv`, runs the command and returns the exit status
/// (0 clean, 1 findings at or above --fail-on, 2 usage or input error). Never throws.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace irlint
