#include "line_table.hpp"

#include <algorithm>
#include <cstring>

namespace irlint {

LineTable::LineTable(std::string_view text) {
  if (text.size() > UINT32_MAX) {
    wide_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') wide_starts_.push_back(i + 1);
    }
    return;
  }
  // IRs are indented XML with short lines: reserve for one line in 24 bytes.
  starts_.reserve(text.size() / 24 + 1);
  starts_.push_back(0);
  const char* data = text.data();
  auto n = static_cast<uint32_t>(text.size());
  uint32_t i = 0;
  // Eight bytes at a time: mark the bytes equal to '\n' exactly (no carry crosses bytes).
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  for (; i + 8 <= n; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, data + i, 8);
    uint64_t x = word ^ 0x0A0A0A0A0A0A0A0Aull;  // '\n' bytes become zero
    uint64_t found = ~(((x & kLow7) + kLow7) | x | kLow7);
    while (found) {
      auto byte = static_cast<uint32_t>(__builtin_ctzll(found) / 8);
      starts_.push_back(i + byte + 1);
      found &= found - 1;
    }
  }
  for (; i < n; ++i) {
    if (data[i] == '\n') starts_.push_back(i + 1);
  }
}

template <typename T>
SourcePos LineTable::find(const std::vector<T>& starts, size_t offset, size_t& hint) const {
  // The reader asks in document order: the line of the last lookup or one a little after it
  // usually holds the offset; otherwise a binary search finds it.
  size_t line = 0;  // 0-based index of the line holding `offset`
  size_t h = hint < starts.size() ? hint : 0;
  if (starts[h] <= offset) {
    size_t end = std::min(starts.size(), h + 8);
    size_t i = h;
    while (i + 1 < end && starts[i + 1] <= offset) ++i;
    if (i + 1 == end && end < starts.size() && starts[end] <= offset) {
      i = static_cast<size_t>(
              std::upper_bound(starts.begin() + static_cast<ptrdiff_t>(end), starts.end(), offset) -
              starts.begin()) -
          1;
    }
    line = i;
  } else {
    line = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                               starts.begin()) -
           1;
  }
  hint = line;
  size_t column = offset - starts[line] + 1;
  return {static_cast<uint32_t>(std::min<size_t>(line + 1, UINT32_MAX)),
          static_cast<uint32_t>(std::min<size_t>(column, UINT32_MAX))};
}

SourcePos LineTable::position(size_t offset, size_t& hint) const {
  return wide_starts_.empty() ? find(starts_, offset, hint) : find(wide_starts_, offset, hint);
}

}  // namespace irlint
