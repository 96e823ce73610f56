#pragma once
// Hand-written scanners instead of std::regex: libstdc++'s matcher recurses once per character,
// so one long line of evidence overflowed the stack. Each scanner is linear in its input and
// documents the regular expression it stands for.

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace irlint::evidence_detail {

/// Two pieces of one line.
using WordPair = std::pair<std::string_view, std::string_view>;

/// Length of `subgraph\d+:\s*` at the start of `s`, 0 when it is not there.
size_t subgraph_prefix(std::string_view s);
/// `^\s*(?:subgraph\d+:\s*)?(\S+)\s{2,}(\S+)$`: a line of two words at least two spaces apart.
std::optional<WordPair> two_words(std::string_view s);
/// The leftmost `20[12]\d\.\d+(?:\.\d+)?(?:-[0-9A-Za-z_-]+)?` in `s`, empty when none.
std::string_view find_version(std::string_view s);
/// The year and the minor number of the leftmost `(20[12]\d)\.(\d+)` in `s`.
std::optional<WordPair> find_year_minor(std::string_view s);
/// The word after the leftmost `\s-d\s+(\S+)` in `s` (benchmark_app's device), empty when none.
std::string_view find_device_option(std::string_view s);
/// The name in the leftmost `=\s*([^\s(]+)\(` in `s` ("... = Convolution_1(...)"), empty when none.
std::string_view find_call_name(std::string_view s);

}  // namespace irlint::evidence_detail
