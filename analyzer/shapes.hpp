#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir_model.hpp"

namespace irlint {

/// The largest batch `--batch` accepts (2^20): beyond it element counts stop being meaningful.
inline constexpr int64_t kMaxBatch = int64_t{1} << 20;

/// Parses a `--batch` value: 0 keeps the model's dynamic batch, 1..kMaxBatch sets it. nullopt
/// with `error` set when `text` is not such a number.
std::optional<int64_t> parse_batch(std::string_view text, std::string* error);

/// The documented batch assumption: on every input and output port of every layer (bodies of
/// TensorIterator/Loop/If included), a dynamic leading dimension (dim 0 of a port of rank >= 2:
/// `-1`, `?`, or an interval that contains `batch`) becomes the static `batch`. Every other
/// dynamic dimension (a transformer's sequence length, a spatial size) stays dynamic. Returns how
/// many ports changed; `batch` <= 0 changes nothing.
size_t assume_batch(IrModel& model, int64_t batch);

}  // namespace irlint
