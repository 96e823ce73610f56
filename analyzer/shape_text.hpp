#pragma once
// The text forms of dimensions, shapes and integer lists in an IR, parsed as OpenVINO's reader
// parses them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir_model.hpp"

namespace irlint {

/// Parses one IR dimension: "224", "-1" or "?" (dynamic), "1..10", "..10", "2..".
std::optional<Dim> parse_dim(std::string_view text);
/// A shape as an attribute writes it: dimensions, or a dynamic rank ("...").
struct PartialShape {
  bool dynamic_rank = false;
  Shape dims;  ///< empty with a static rank: a scalar
  /// A dimension written as a reversed bound ("10..2"): an interval no size falls in.
  std::optional<std::string> empty_interval;
};
/// Parses a partial-shape attribute (a Parameter's `shape`) as OpenVINO's IR reader does: "..."
/// is a dynamic rank; otherwise comma-separated dimensions, each "?" or "-1" (dynamic), digits,
/// or a bound "lo..hi" with either side empty; an empty field ("1,,2") is an error, a blank one
/// is 0, a trailing comma is ignored, and "[...]" around the list is allowed. Nullopt with
/// `error` set when OpenVINO throws (and for a number past 64 bits). A reversed bound ("10..2"),
/// which OpenVINO reads as an empty interval, is kept as a dynamic Dim and named in
/// `empty_interval`.
std::optional<PartialShape> parse_partial_shape(std::string_view text, std::string* error);
/// The tensor names of a port's `names` attribute: split at commas, where a comma after a
/// backslash belongs to the name (as XmlDeserializer::parse_generic_params restores it).
std::vector<std::string> tensor_names(std::string_view names);
/// Parses a comma-separated integer list such as "1,1" (spaces allowed).
std::optional<std::vector<int64_t>> parse_int_list(std::string_view text);
/// Number of elements of a static shape, nullopt when dynamic or when it overflows 64 bits.
std::optional<uint64_t> element_count(const Shape& shape);
/// A dimension as OpenVINO prints one: "3", "?" (any), "2..10", "2..", "..10".
std::string dim_text(const Dim& d);
/// A shape as the reader's messages write it: "[1,3,?,100..200]", "[...]" for a dynamic rank.
std::string shape_text(const Shape& dims, bool dynamic_rank = false);

}  // namespace irlint
