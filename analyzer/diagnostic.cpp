#include "diagnostic.hpp"

namespace irlint {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "?";
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::predicted:
      return "predicted";
    case Status::confirmed:
      return "confirmed";
    case Status::refuted:
      return "refuted";
    case Status::not_observable:
      return "not observable";
  }
  return "?";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note") return Severity::note;
  if (text == "warning") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

}  // namespace irlint
