// Reorders as the plugin names them: `<parent>_<fmt|prec>..._<child>`.

#include <algorithm>
#include <cctype>
#include <set>

#include "evidence.hpp"
#include "evidence_rows.hpp"

namespace irlint {
namespace {

using evidence_detail::is_precision_token;
using evidence_detail::split;

/// oneDNN format tags: a permutation of the first dims' letters, some capitalised (blocked), then
/// block sizes ("aBcd8b", "ABcd2b8a4b", "acdb"), or the legacy mkldnn names ("nChw8c").
bool is_format_token(std::string_view t) {
  static const std::set<std::string_view> kLegacy = {
      "nchw", "nhwc", "nChw8c", "nChw16c", "nc",  "ncdhw", "ndhwc", "nCdhw8c", "nCdhw16c",
      "chwn", "oihw", "x",      "blocked", "any", "tnc",   "ntc",   "ncw",     "nwc"};
  if (kLegacy.contains(t)) return true;
  size_t i = 0;
  std::string seen;
  while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) {
    seen += static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
    ++i;
  }
  if (seen.empty() || seen.size() > 6) return false;
  std::string sorted = seen;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (sorted[k] != static_cast<char>('a' + k)) return false;
  }
  // Block suffixes: digits then a lower-case letter among the dims.
  while (i < t.size()) {
    size_t digits = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == digits || i >= t.size() || seen.find(t[i]) == std::string::npos) return false;
    ++i;
  }
  return true;
}

/// `tokens[from, to)` joined with '_'.
std::string join_tokens(const std::vector<std::string_view>& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t k = from; k < to; ++k) out += (k > from ? "_" : "") + std::string(tokens[k]);
  return out;
}

}  // namespace

std::optional<ReorderName> parse_reorder_name(std::string_view name) {
  bool truncated = false;
  if (name.ends_with("...")) {
    truncated = true;
    name.remove_suffix(3);
  }
  auto tokens = split(name, '_');
  auto is_fmt = [](std::string_view t) { return is_precision_token(t) || is_format_token(t); };
  for (size_t i = 1; i < tokens.size(); ++i) {
    // A run of two or more format/precision tokens, or the `___` of two unnamed formats.
    size_t j = i;
    bool empty_pair = false;
    while (j < tokens.size() && is_fmt(tokens[j])) ++j;
    if (j == i && i + 1 < tokens.size() && tokens[i].empty() && tokens[i + 1].empty()) {
      j = i + 2;
      empty_pair = true;
    }
    // A cut name may end inside the run ("prob_nChw8c_nch..."): the cut token counts as one.
    bool last_cut = truncated && j + 1 >= tokens.size();
    if (j - i < 2 && !(last_cut && j - i >= 1)) continue;
    if (last_cut && j + 1 == tokens.size() && !empty_pair) ++j;
    if (j == tokens.size() && !truncated) continue;  // no child
    ReorderName r;
    r.parent = join_tokens(tokens, 0, i);
    if (r.parent.empty()) continue;
    if (!empty_pair) {
      for (size_t k = i; k < j; ++k) r.formats.emplace_back(tokens[k]);
    }
    r.child = join_tokens(tokens, j, tokens.size());
    r.truncated = truncated;
    return r;
  }
  return std::nullopt;
}

bool is_reorder(const ObservedRow& row) {
  if (!row.layer_type.empty()) return row.layer_type == "Reorder";
  return row.exec.impl_class == "reorder";
}

}  // namespace irlint
