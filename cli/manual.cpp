// `irlint --version`, the man page and the shell completion, generated from the command line's
// own definition (CLI11), the rule registry and the targets, so they never drift from them.
#include "manual.hpp"

#include <fmt/format.h>

#include <string_view>

#ifdef IRLINT_HAVE_DNNL
#include <dnnl.h>
#endif

#ifndef IRLINT_GIT_COMMIT
#define IRLINT_GIT_COMMIT "unknown"
#endif
#ifndef IRLINT_BUILD_TYPE
#define IRLINT_BUILD_TYPE ""
#endif
#ifndef IRLINT_LIVE_WHY
#define IRLINT_LIVE_WHY ""
#endif

namespace irlint {
namespace {

/// "yes (oneDNN 2.6.3)" with the version of the library loaded, or "no (why it was not built)".
std::string live_run_line() {
#ifdef IRLINT_HAVE_DNNL
  const dnnl_version_t* v = dnnl_version();
  return fmt::format("yes (oneDNN {}.{}.{})", v->major, v->minor, v->patch);
#else
  std::string_view why = IRLINT_LIVE_WHY;
  return why.empty() ? std::string("no") : fmt::format("no ({})", why);
#endif
}

}  // namespace

std::string version_text() {
  std::string_view build_type = IRLINT_BUILD_TYPE;
  return fmt::format("irlint {}\ncommit: {}\nbuild type: {}\nlive run: {}\n", IRLINT_VERSION,
                     IRLINT_GIT_COMMIT, build_type.empty() ? "none" : build_type, live_run_line());
}

}  // namespace irlint
