#pragma once

#include <string>
#include <string_view>

namespace irlint {

/// What an output can carry as-is; every renderer escapes model- and user-controlled strings
/// (file names, layer names, messages built from them) through `escape` with its mode.
enum class Escape {
  utf8,      ///< JSON, SARIF, baselines: only bytes that are not well-formed UTF-8
  xml,       ///< JUnit, exec-graph: also what XML 1.0 forbids (C0 but tab/LF/CR, U+FFFE/U+FFFF)
  terminal,  ///< text, `-f github`, DOT: every control character but tab (C0, DEL, C1)
};

/// `text` with what `mode` cannot carry written as `\xNN` (a byte that is not UTF-8 or a C0/DEL
/// control), `\n`, `\r`, or `\uNNNN` (a C1 control, U+FFFE, U+FFFF). The result is valid UTF-8
/// and escaping it again changes nothing in `utf8` mode.
std::string escape(std::string_view text, Escape mode);

/// Model- or user-controlled text for a terminal or a log (`Escape::terminal`): no line can be
/// forged, no escape sequence reaches the terminal.
inline std::string shown(std::string_view text) { return escape(text, Escape::terminal); }

}  // namespace irlint
