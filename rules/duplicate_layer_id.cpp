#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kDuplicateLayerId{.info = {.code = "IRL005",
                                             .name = "duplicate-layer-id",
                                             .severity = Severity::error,
                                             .summary = "two layers share one id"},
                                    .reader_check = ReaderCheck::duplicate_layer_id};

}  // namespace irlint
