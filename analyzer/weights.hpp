#pragma once

#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "ir_model.hpp"

namespace irlint {

/// Bytes per element of a weights precision ("f32", "FP16", "u8", …), 0 when unknown.
size_t element_size(std::string_view type);
/// Bits per element of an IR v10/v11 element type ("f32" 32, "u4" 4, "u1" 1, …); nullopt for
/// "string", "dynamic" and names OpenVINO does not have.
std::optional<unsigned> element_bits(std::string_view element_type);

/// Read-only, bounds-checked access to a model's `.bin`, opened on first use.
class WeightsFile {
 public:
  explicit WeightsFile(const IrModel& model) : model_(model) {}

  /// The values of a small Const layer as floats (f32, f16, i8, u8, i32, i64), or nullopt when
  /// the weights are missing, out of range or larger than `max_elements`.
  std::optional<std::vector<float>> floats(const Layer& constant, size_t max_elements = 4096);

 private:
  const IrModel& model_;
  std::ifstream file_;
  bool opened_ = false;
};

}  // namespace irlint
