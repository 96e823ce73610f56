#include "rule.hpp"

namespace irlint {

namespace {
constexpr SeverityCase kSeverityCases[] = {
    {Severity::warning,
     "an edge into a layer that does not exist, in IR v10/v11: OpenVINO's reader never looks at "
     "it"},
};
}  // namespace

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kDanglingEdge{
    .info = {.code = "IRL006",
             .name = "dangling-edge",
             .severity = Severity::error,
             .summary = "an edge refers to a layer or port that does not exist",
             .severity_cases = kSeverityCases},
    .reader_check = ReaderCheck::dangling_edge};

}  // namespace irlint
