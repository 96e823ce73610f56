#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kDuplicateLayerId{
    {.code = "IRL005",
     .name = "duplicate-layer-id",
     .severity = Severity::error,
     .summary = "two layers share one id"},
    [](RuleContext& ctx) { report_reader_issues(ctx, "duplicate-layer-id"); }};

}  // namespace irlint
