#pragma once

#include <ostream>
#include <string>

namespace irlint {

/// Arguments of `irlint confirm MODEL --live`.
struct LiveConfirmArgs {
  bool live = false;
  std::string target;          ///< default: onednn-2.6:<isa>
  std::string isa = "native";  ///< native, sse41, avx2, avx512, avx512_vnni
  int iterations = 20;
  bool native = false;  ///< let oneDNN choose layouts (format_tag::any)
};

/// Arguments of the hidden `irlint __live-child` subcommand (one process per emulated ISA).
struct LiveChildArgs {
  std::string model;
  std::string bin;
  std::string target;
  std::string mode = "imposed";
  std::string isa_requested = "native";
  int iterations = 20;
};

/// Runs the plan's nodes on oneDNN in a child process, reconciles them with the prediction and
/// marks the findings confirmed, refuted or not observable. Exit 2 when the live run is not built.
int run_live_confirm(const std::string& model, const std::string& bin, const LiveConfirmArgs& args,
                     std::ostream& out, std::ostream& err);

/// The child side: runs the executor and writes its observations as JSON to `out`.
int run_live_child(const LiveChildArgs& args, std::ostream& out, std::ostream& err);

}  // namespace irlint
