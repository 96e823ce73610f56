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

/// One diagnostic: what a rule found at one place of one model.
struct Finding {
  std::string_view rule;  ///< kebab-case rule name; metadata lives in the rule registry
  Severity severity = Severity::warning;
  SourcePos pos;
  int64_t layer_id = -1;  ///< -1 when the finding is not about a layer
  std::string layer_name;
  std::string layer_type;
  std::string message;
  std::vector<Note> notes;
  std::string fix;
  Status status = Status::predicted;
  std::string evidence;  ///< what the live run or real evidence observed
};

}  // namespace irlint
