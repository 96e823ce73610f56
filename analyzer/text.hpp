#pragma once
// Number parsing and trimming shared by the reader, the planner, the evidence parsers and the
// command line: std::from_chars over a whole string_view, with the IR's tolerances spelled out.

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace irlint {

/// Whitespace as std::isspace sees it in the "C" locale.
inline constexpr std::string_view kSpaces = " \t\n\v\f\r";

/// `s` without leading and trailing characters from `chars`.
constexpr std::string_view trim(std::string_view s, std::string_view chars = kSpaces) {
  size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

/// `s` without one leading '+', which OpenVINO's stream parsing accepts before a number.
constexpr std::string_view drop_plus(std::string_view s) {
  return !s.empty() && s.front() == '+' ? s.substr(1) : s;
}

/// The number that is all of `text` (no spaces, no sign but '-'), or nullopt when any of it is
/// not part of the number or the value does not fit `T`.
template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// parse_number after trimming spaces and one leading '+': how IR attribute values are read.
template <class T>
std::optional<T> parse_attribute_number(std::string_view text) {
  return parse_number<T>(drop_plus(trim(text, " ")));
}

}  // namespace irlint
