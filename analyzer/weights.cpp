#include "weights.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace irlint {
namespace {

float half_to_float(uint16_t h) {
  uint32_t sign = (h >> 15) & 1;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa ? NAN : INFINITY;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  }
  return sign ? -value : value;
}

}  // namespace

size_t element_size(std::string_view type) {
  if (type == "f32" || type == "FP32" || type == "i32" || type == "I32") return 4;
  if (type == "f16" || type == "FP16") return 2;
  if (type == "i8" || type == "u8" || type == "I8" || type == "U8") return 1;
  if (type == "i64" || type == "I64") return 8;
  return 0;
}

std::optional<unsigned> element_bits(std::string_view element_type) {
  // The element types of ov::element::Type (core/src/type/element_type.cpp) by their IR names.
  static constexpr std::pair<std::string_view, unsigned> kBits[] = {
      {"boolean", 8}, {"bf16", 16}, {"f16", 16},   {"f32", 32},   {"f64", 64},   {"i4", 4},
      {"i8", 8},      {"i16", 16},  {"i32", 32},   {"i64", 64},   {"u1", 1},     {"u2", 2},
      {"u3", 3},      {"u4", 4},    {"u6", 6},     {"u8", 8},     {"u16", 16},   {"u32", 32},
      {"u64", 64},    {"nf4", 4},   {"f8e4m3", 8}, {"f8e5m2", 8}, {"f4e2m1", 4}, {"f8e8m0", 8},
  };
  for (const auto& [name, bits] : kBits) {
    if (name == element_type) return bits;
  }
  return std::nullopt;
}

std::optional<std::vector<float>> WeightsFile::floats(const Layer& constant, size_t max_elements) {
  if (constant.blobs.empty() || !model_.bin_size) return std::nullopt;
  const Blob& blob = constant.blobs.front();
  size_t width = element_size(blob.precision);
  if (width == 0 || blob.size % width != 0 || blob.size / width > max_elements) return std::nullopt;
  if (blob.offset > *model_.bin_size || blob.size > *model_.bin_size - blob.offset) {
    return std::nullopt;
  }
  if (!opened_) {
    file_.open(model_.bin_path, std::ios::binary);
    opened_ = true;
  }
  if (!file_) return std::nullopt;
  std::vector<char> raw(blob.size);
  file_.seekg(static_cast<std::streamoff>(blob.offset));
  if (!file_.read(raw.data(), static_cast<std::streamsize>(raw.size()))) {
    file_.clear();
    return std::nullopt;
  }
  std::vector<float> values(blob.size / width);
  std::string_view type = blob.precision;
  for (size_t i = 0; i < values.size(); ++i) {
    const char* p = raw.data() + i * width;
    if (width == 4 && (type == "f32" || type == "FP32")) {
      std::memcpy(&values[i], p, 4);
    } else if (width == 4) {
      int32_t v;
      std::memcpy(&v, p, 4);
      values[i] = static_cast<float>(v);
    } else if (width == 2) {
      uint16_t v;
      std::memcpy(&v, p, 2);
      values[i] = half_to_float(v);
    } else if (width == 8) {
      int64_t v;
      std::memcpy(&v, p, 8);
      values[i] = static_cast<float>(v);
    } else if (type == "u8" || type == "U8") {
      values[i] = static_cast<float>(static_cast<uint8_t>(*p));
    } else {
      values[i] = static_cast<float>(static_cast<int8_t>(*p));
    }
  }
  return values;
}

}  // namespace irlint
