// The registry: every rule, sorted by code. A rule that is not listed here does not exist.
#include <algorithm>
#include <stdexcept>

#include "rule.hpp"

namespace irlint {

extern const Rule kUnreadableFile, kMalformedXml, kInvalidIrStructure, kUnsupportedIrVersion,
    kDuplicateLayerId, kDanglingEdge, kPortFedTwice, kInvalidDimension, kLimitExceeded,
    kShapeMismatch, kGraphCycle, kUnconnectedLayer, kWeightsOutOfRange, kMissingWeights,
    kUnknownOpType, kTensorNameCollision, kPrecisionThrash, kReorderInsertion, kReorderBudget,
    kUnfusableActivation, kDepthwiseFallback, kPaddedChannels, kInt8SlowerThanFp32,
    kLowComputeShare;

namespace {

const Rule* const kRules[] = {
    &kUnreadableFile,    &kMalformedXml,     &kInvalidIrStructure, &kUnsupportedIrVersion,
    &kDuplicateLayerId,  &kDanglingEdge,     &kPortFedTwice,       &kInvalidDimension,
    &kLimitExceeded,     &kShapeMismatch,    &kGraphCycle,         &kUnconnectedLayer,
    &kWeightsOutOfRange, &kMissingWeights,   &kUnknownOpType,      &kTensorNameCollision,
    &kPrecisionThrash,   &kReorderInsertion, &kReorderBudget,      &kUnfusableActivation,
    &kDepthwiseFallback, &kPaddedChannels,   &kInt8SlowerThanFp32, &kLowComputeShare,
};

}  // namespace

std::span<const Rule* const> all_rules() { return kRules; }

const Rule* find_rule(std::string_view name_or_code) {
  auto it = std::find_if(std::begin(kRules), std::end(kRules), [&](const Rule* r) {
    return r->info.name == name_or_code || r->info.code == name_or_code;
  });
  return it == std::end(kRules) ? nullptr : *it;
}

const Rule& reader_rule(ReaderCheck check) {
  auto it = std::find_if(std::begin(kRules), std::end(kRules),
                         [&](const Rule* r) { return r->reader_check == check; });
  if (it == std::end(kRules)) {
    throw std::logic_error(
        fmt::format("no rule reports the reader's check {}", static_cast<int>(check)));
  }
  return **it;
}

}  // namespace irlint
