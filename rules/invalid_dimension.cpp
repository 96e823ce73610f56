#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kInvalidDimension{
    {.code = "IRL008",
     .name = "invalid-dimension",
     .severity = Severity::error,
     .summary = "a dimension is negative, malformed or makes a tensor too large to address"},
    [](RuleContext& ctx) { report_reader_issues(ctx, "invalid-dimension"); }};

}  // namespace irlint
