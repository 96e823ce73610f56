#include "evidence_scan.hpp"

#include <algorithm>
#include <cctype>

namespace irlint::evidence_detail {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

size_t skip_digits(std::string_view s, size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

/// Whether `20[12]\d\.\d` starts at `s[i]`.
bool year_dot_digit_at(std::string_view s, size_t i) {
  return i + 5 < s.size() && s[i] == '2' && s[i + 1] == '0' &&
         (s[i + 2] == '1' || s[i + 2] == '2') && is_digit(s[i + 3]) && s[i + 4] == '.' &&
         is_digit(s[i + 5]);
}

/// Where the leftmost `20[12]\d\.\d` in `s` starts, `s.size()` when nowhere.
size_t find_year_dot_digit(std::string_view s) {
  size_t at = 0;
  while (at < s.size() && !year_dot_digit_at(s, at)) ++at;
  return at;
}

/// `(\S+)\s{2,}(\S+)` over all of `r`.
std::optional<WordPair> words(std::string_view r) {
  size_t a = 0;
  while (a < r.size() && !is_space(r[a])) ++a;
  if (a == 0) return std::nullopt;
  size_t b = skip_spaces(r, a);
  if (b - a < 2 || b == r.size()) return std::nullopt;
  for (size_t k = b; k < r.size(); ++k) {
    if (is_space(r[k])) return std::nullopt;
  }
  return WordPair{r.substr(0, a), r.substr(b)};
}

}  // namespace

size_t subgraph_prefix(std::string_view s) {
  if (!s.starts_with("subgraph")) return 0;
  size_t i = skip_digits(s, 8);
  if (i == 8 || i >= s.size() || s[i] != ':') return 0;
  return skip_spaces(s, i + 1);
}

std::optional<WordPair> two_words(std::string_view s) {
  s.remove_prefix(skip_spaces(s, 0));
  if (size_t p = subgraph_prefix(s)) {
    if (auto w = words(s.substr(p))) return w;
  }
  return words(s);
}

std::string_view find_version(std::string_view s) {
  auto tag = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  size_t i = find_year_dot_digit(s);
  if (i == s.size()) return {};
  size_t j = skip_digits(s, i + 5);
  if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) j = skip_digits(s, j + 1);
  if (j + 1 < s.size() && s[j] == '-' && tag(s[j + 1])) {
    ++j;
    while (j < s.size() && tag(s[j])) ++j;
  }
  return s.substr(i, j - i);
}

std::optional<WordPair> find_year_minor(std::string_view s) {
  size_t at = find_year_dot_digit(s);
  if (at == s.size()) return std::nullopt;
  return WordPair{s.substr(at, 4), s.substr(at + 5, skip_digits(s, at + 5) - (at + 5))};
}

std::string_view find_device_option(std::string_view s) {
  for (size_t i = 0; i + 3 < s.size(); ++i) {
    if (!is_space(s[i]) || s[i + 1] != '-' || s[i + 2] != 'd') continue;
    size_t j = skip_spaces(s, i + 3);
    if (j == i + 3 || j == s.size()) continue;
    size_t k = j;
    while (k < s.size() && !is_space(s[k])) ++k;
    return s.substr(j, k - j);
  }
  return {};
}

std::string_view find_call_name(std::string_view s) {
  for (size_t i = s.find('='); i != std::string_view::npos;) {
    size_t j = skip_spaces(s, i + 1);
    size_t k = j;
    while (k < s.size() && !is_space(s[k]) && s[k] != '(') ++k;
    if (k > j && k < s.size() && s[k] == '(') return s.substr(j, k - j);
    // Every '=' before the last character of this run ends its name at the same k, and fails
    // the same way: resume from there so that a line of '=' stays linear.
    i = s.find('=', std::max(i + 1, k == j ? i + 1 : k - 1));
  }
  return {};
}

}  // namespace irlint::evidence_detail
