#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kUnsupportedIrVersion{
    .info = {.code = "IRL004",
             .name = "unsupported-ir-version",
             .severity = Severity::error,
             .summary = "the IR version is not one OpenVINO writes (v3-v7, v10, v11)"},
    .reader_check = ReaderCheck::unsupported_ir_version};

}  // namespace irlint
