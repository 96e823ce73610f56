#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kInvalidIrStructure{
    .info = {.code = "IRL003",
             .name = "invalid-ir-structure",
             .severity = Severity::error,
             .summary = "an element or attribute the IR format requires is missing or invalid"},
    .reader_check = ReaderCheck::invalid_ir_structure};

}  // namespace irlint
