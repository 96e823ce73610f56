#include "rule.hpp"

namespace irlint {

namespace {
constexpr SeverityCase kSeverityCases[] = {
    {Severity::warning,
     "a bound of a Parameter's shape attribute whose maximum is below its minimum: OpenVINO "
     "reads an empty interval, which no input size matches"},
};
}  // namespace

// Reported by the reader, which is where the file's structure is seen.
extern const Rule kInvalidDimension{
    .info = {.code = "IRL008",
             .name = "invalid-dimension",
             .severity = Severity::error,
             .summary = "a dimension is negative, malformed or makes a tensor too large to address",
             .severity_cases = kSeverityCases},
    .reader_check = ReaderCheck::invalid_dimension};

}  // namespace irlint
