#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kMalformedXml{.info = {.code = "IRL002",
                                         .name = "malformed-xml",
                                         .severity = Severity::error,
                                         .summary = "the file is not well-formed XML"},
                                .reader_check = ReaderCheck::malformed_xml};

}  // namespace irlint
