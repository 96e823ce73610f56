#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "diagnostic.hpp"

namespace irlint {

/// Maps byte offsets of a text to 1-based line:column. Line starts are kept as 32-bit offsets
/// (64-bit only for texts of 4 GiB or more), and a lookup first tries the line of the previous
/// one, so that the reader's in-order lookups cost O(1).
class LineTable {
 public:
  explicit LineTable(std::string_view text);
  SourcePos position(size_t offset) const { return position(offset, hint_); }
  /// The same with the caller's hint, for lookups from several threads.
  SourcePos position(size_t offset, size_t& hint) const;

 private:
  template <typename T>
  SourcePos find(const std::vector<T>& starts, size_t offset, size_t& hint) const;

  std::vector<uint32_t> starts_;
  std::vector<uint64_t> wide_starts_;  ///< used instead of starts_ for texts of 4 GiB or more
  mutable size_t hint_ = 0;            ///< index of the line of the previous lookup
};

}  // namespace irlint
