#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irlint {

/// A 1-based line and column in the model's XML; {0, 0} means "no position".
struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

/// How serious a finding is; ordered so that a larger value is more severe.
enum class Severity : uint8_t { note, warning, error };

/// Whether a finding is only predicted or was checked against a real execution.
enum class Status : uint8_t { predicted, confirmed, refuted, not_observable };

std::string_view to_string(Severity severity);
std::string_view to_string(Status status);
/// Parses "note", "warning" or "error".
std::optional<Severity> parse_severity(std::string_view text);

/// A secondary message attached to a finding, with its own position.
struct Note {
  std::string message;
  SourcePos pos;
};

}  // namespace irlint
