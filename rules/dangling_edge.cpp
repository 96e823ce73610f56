#include "rule.hpp"

namespace irlint {

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kDanglingEdge{
    {.code = "IRL006",
     .name = "dangling-edge",
     .severity = Severity::error,
     .summary = "an edge refers to a layer or port that does not exist"},
    [](RuleContext& ctx) { report_reader_issues(ctx, "dangling-edge"); }};

}  // namespace irlint
