#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kUnreadableFile{.info = {.code = "IRL001",
                                           .name = "unreadable-file",
                                           .severity = Severity::error,
                                           .summary = "the model file cannot be opened or read"},
                                  .reader_check = ReaderCheck::unreadable_file};

}  // namespace irlint
