#pragma once

#include <string>

namespace irlint {

/// What `irlint --version` prints: the version, the git commit, the build type and whether the
/// live run is built (with the version of the oneDNN linked at run time), one per line.
std::string version_text();

}  // namespace irlint
