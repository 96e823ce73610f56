#pragma once

#include <string>

namespace CLI {
class App;
}

namespace irlint {

/// What `irlint --version` prints: the version, the git commit, the build type and whether the
/// live run is built (with the version of the oneDNN linked at run time), one per line.
std::string version_text();

/// The man page of `app` in roff (man(7) macros): its visible subcommands and options, the rules
/// of the registry and the targets.
std::string manpage(const CLI::App& app);

}  // namespace irlint
