#pragma once

#include <ostream>
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

/// A bash completion script for `app`: subcommands, options, and their values (rules, targets,
/// formats, files).
std::string bash_completion(const CLI::App& app);

/// `irlint __completion SHELL`: prints the completion script for SHELL (only bash so far).
int run_completion(const CLI::App& app, const std::string& shell, std::ostream& out,
                   std::ostream& err);

}  // namespace irlint
