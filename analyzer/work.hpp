#pragma once

#include <cstdint>
#include <optional>

#include "ir_model.hpp"
#include "op.hpp"

namespace irlint {

/// Multiply-accumulates of one layer (convolution, group/depthwise convolution, matrix
/// product, batch included); 0 for other layers or dynamic shapes; nullopt on overflow.
std::optional<uint64_t> layer_macs(const Layer& layer, OpKind kind);

/// Totals of a model: what `irlint info` shows.
struct ModelWork {
  uint64_t macs = 0;
  uint64_t parameters = 0;    ///< elements of Const layers feeding compute layers' weights
  uint64_t weight_bytes = 0;  ///< bytes of all constants
  bool overflow = false;      ///< a count did not fit in 64 bits
  bool dynamic = false;       ///< some compute layer had a dynamic shape
};
ModelWork model_work(const IrModel& model);

}  // namespace irlint
