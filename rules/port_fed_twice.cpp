#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kPortFedTwice{.info = {.code = "IRL007",
                                         .name = "port-fed-twice",
                                         .severity = Severity::error,
                                         .summary = "an input port is fed by more than one edge"},
                                .reader_check = ReaderCheck::port_fed_twice};

}  // namespace irlint
