#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kLimitExceeded{
    .info = {.code = "IRL009",
             .name = "limit-exceeded",
             .severity = Severity::error,
             .summary = "the file exceeds one of irlint's safety limits"},
    .reader_check = ReaderCheck::limit_exceeded};

}  // namespace irlint
