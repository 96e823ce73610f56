#include "shape_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "text.hpp"

namespace irlint {
namespace {

/// A run of decimal digits (possibly none) as a number: 0 when empty, nullopt when it is not
/// all digits or does not fit 63 bits.
std::optional<int64_t> digits_value(std::string_view s) {
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (s.empty()) return 0;
  return parse_number<int64_t>(s);
}

/// One dimension of a partial-shape attribute; the rules are those of OpenVINO's
/// str_to_dimension (src/frontends/ir/src/utils.cpp, 2022) and Dimension(std::string)
/// (src/core/src/dimension.cpp, current), which agree.
std::optional<Dim> parse_shape_dim(std::string_view field, std::string* error,
                                   std::optional<std::string>* empty_interval) {
  std::string_view d = trim(field);
  if (d == "?" || d == "-1") return Dim{0, Dim::kUnbounded};
  size_t dots = d.find("..");
  if (dots == std::string_view::npos) {
    auto value = digits_value(d);
    if (!value) *error = fmt::format("cannot parse dimension '{}'", d);
    return value ? std::optional(Dim{*value, *value}) : std::nullopt;
  }
  std::string_view lo_text = trim(d.substr(0, dots));
  std::string_view hi_text = trim(d.substr(dots + 2));
  auto lo = digits_value(lo_text);
  if (!lo) {
    *error = fmt::format("cannot parse the lower bound '{}' of '{}'", lo_text, d);
    return std::nullopt;
  }
  auto hi = hi_text.empty() ? std::optional<int64_t>(Dim::kUnbounded) : digits_value(hi_text);
  if (!hi) {
    *error = fmt::format("cannot parse the upper bound '{}' of '{}'", hi_text, d);
    return std::nullopt;
  }
  if (*hi != Dim::kUnbounded && *hi < *lo) {
    if (!*empty_interval) *empty_interval = std::string(d);
    return Dim{0, Dim::kUnbounded};
  }
  return Dim{*lo, *hi};
}

}  // namespace

std::optional<Dim> parse_dim(std::string_view text) {
  text = trim(text, " \n\t");
  if (text == "?" || text == "-1") return Dim{0, Dim::kUnbounded};
  if (size_t dots = text.find(".."); dots != std::string_view::npos) {
    std::string_view lo = text.substr(0, dots);
    std::string_view hi = text.substr(dots + 2);
    Dim d{0, Dim::kUnbounded};
    if (!lo.empty()) {
      auto v = parse_attribute_number<int64_t>(lo);
      if (!v || *v < 0) return std::nullopt;
      d.min = *v;
    }
    if (!hi.empty()) {
      auto v = parse_attribute_number<int64_t>(hi);
      if (!v || *v < d.min) return std::nullopt;
      d.max = *v;
    }
    return d;
  }
  auto v = parse_attribute_number<int64_t>(text);
  if (!v || *v < 0) return std::nullopt;
  return Dim{*v, *v};
}

std::optional<PartialShape> parse_partial_shape(std::string_view text, std::string* error) {
  // src/core/src/partial_shape.cpp, PartialShape(const std::string&) (current) and
  // str_to_partial_shape in src/frontends/ir/src/utils.cpp (2022): the whole value trimmed,
  // "..." alone is a dynamic rank, then fields split at commas as std::getline does (so a
  // trailing comma ends the list). Only the current reader strips "[" "]" around the list.
  std::string_view v = trim(text);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    v = trim(v.substr(1, v.size() - 2));
  }
  PartialShape shape;
  if (v == "...") {
    shape.dynamic_rank = true;
    return shape;
  }
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view field = v.substr(0, comma);
    if (field.empty()) {
      *error = "an empty dimension between commas";
      return std::nullopt;
    }
    auto dim = parse_shape_dim(field, error, &shape.empty_interval);
    if (!dim) return std::nullopt;
    shape.dims.push_back(*dim);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return shape;
}

std::vector<std::string> tensor_names(std::string_view names) {
  std::vector<std::string> out;
  std::string name;
  bool joining = false;
  while (!names.empty()) {
    size_t comma = names.find(',');
    std::string_view piece = names.substr(0, comma);
    if (!joining) name.clear();
    name += piece;
    joining = comma != std::string_view::npos && !piece.empty() && piece.back() == '\\';
    if (joining) {
      name.back() = ',';
    } else {
      std::string_view trimmed = trim(name);
      if (!trimmed.empty()) out.emplace_back(trimmed);
    }
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  if (joining && !trim(name).empty()) out.emplace_back(trim(name));
  return out;
}

std::optional<std::vector<int64_t>> parse_int_list(std::string_view text) {
  std::vector<int64_t> values;
  // Trailing spaces are trimmed with each number.
  text = trim(text, " ");
  if (text.empty()) return values;
  while (true) {
    size_t comma = text.find(',');
    auto v = parse_attribute_number<int64_t>(text.substr(0, comma));
    if (!v) return std::nullopt;
    values.push_back(*v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return values;
}

std::optional<uint64_t> element_count(const Shape& shape) {
  uint64_t count = 1;
  for (const Dim& d : shape) {
    if (!d.is_static() || d.min < 0) return std::nullopt;
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(d.min), &count)) return std::nullopt;
  }
  return count;
}

std::string dim_text(const Dim& d) {
  if (d.is_static()) return std::to_string(d.min);
  if (d.min == 0 && d.max == Dim::kUnbounded) return "?";
  return fmt::format("{}..{}", d.min > 0 ? std::to_string(d.min) : "",
                     d.max == Dim::kUnbounded ? "" : std::to_string(d.max));
}

std::string shape_text(const Shape& dims, bool dynamic_rank) {
  if (dynamic_rank) return "[...]";
  std::string out = "[";
  for (const Dim& d : dims) {
    if (out.size() > 1) out += ",";
    out += dim_text(d);
  }
  return out + "]";
}

}  // namespace irlint
