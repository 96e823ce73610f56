#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace irlint {

/// The newest opset whose membership irlint knows; "opsetN" above it is not judged.
inline constexpr int kLatestOpset = 15;

/// A run of consecutive opsets that contain an operation type: opset `first` to opset `last`.
/// A type that left an opset and came back later (RNNCell, ShuffleChannels) has several spans.
struct OpsetSpan {
  std::string_view type;  ///< the operation's class name, e.g. "HSwish", "Constant"
  int first = 1;
  int last = kLatestOpset;
};

/// Every span of the table, grouped by type.
std::span<const OpsetSpan> opset_table();

/// The spans of `type` in opset order; empty when no opset has it. Types match the way the IR
/// reader matches them: case-insensitively, with the IR spelling "Const" for "Constant".
std::vector<OpsetSpan> opset_spans(std::string_view type);

/// True when opset `opset` (1 … kLatestOpset) contains an operation of type `type`.
bool op_in_opset(std::string_view type, int opset);

/// True when some opset from opset1 to kLatestOpset contains `type`.
bool known_op(std::string_view type);

/// True when `type` is a layer type of the legacy (IR v2-v7, CNNLayer) format, e.g. ScaleShift.
bool known_legacy_layer(std::string_view type);

/// The N of a version attribute "opsetN" (N >= 1), or nullopt for anything else.
std::optional<int> parse_opset(std::string_view version);

/// True when the IR reader takes `type` from an opset although the layer's version is
/// "experimental" or "extension" (the ExperimentalDetectron* operations, GRUCell, RNNCell,
/// Proposal, which older converters wrote that way).
bool experimental_alias_op(std::string_view type);

/// True when `type` is an operation of the openvino_tokenizers extension library.
bool tokenizers_op(std::string_view type);

}  // namespace irlint
