#include "escape.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace irlint {
namespace {

/// The length of the well-formed UTF-8 sequence at the start of `s` and its code point, or
/// length 0 when it is not one (truncated, overlong, a surrogate, above U+10FFFF).
std::pair<size_t, char32_t> decode(std::string_view s) {
  auto lead = static_cast<unsigned char>(s[0]);
  size_t n = lead < 0x80                   ? 1
             : lead >= 0xC2 && lead < 0xE0 ? 2
             : lead >= 0xE0 && lead < 0xF0 ? 3
             : lead >= 0xF0 && lead < 0xF5 ? 4
                                           : 0;
  if (n == 0 || n > s.size()) return {0, 0};
  char32_t cp = n == 1 ? lead : lead & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (c & 0x3F);
  }
  bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return {0, 0};
  return {n, cp};
}

bool forbidden(char32_t cp, Escape mode) {
  switch (mode) {
    case Escape::utf8:
      return false;
    case Escape::xml:
      return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
    case Escape::terminal:
      return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0);
  }
  return false;
}

std::string escaped(char32_t cp) {
  if (cp == '\n') return "\\n";
  if (cp == '\r') return "\\r";
  if (cp < 0x80) return fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
  return fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
}

}  // namespace

std::string escape(std::string_view text, Escape mode) {
  bool plain = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
  if (plain) return std::string(text);
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto [n, cp] = decode(text);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[0]));
      n = 1;
    } else if (forbidden(cp, mode)) {
      out += escaped(cp);
    } else {
      out.append(text.substr(0, n));
    }
    text.remove_prefix(n);
  }
  return out;
}

}  // namespace irlint
