#pragma once

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "ir_model.hpp"
#include "plan.hpp"
#include "weights.hpp"

namespace irlint::planning {

/// The tensor a vertex's output stands for in the execution graph.
struct Tensor {
  int32_t node = -1;
  Precision precision = Precision::fp32;
  Layout layout = Layout::planar;
};

/// What the passes share: the model seen as kinds, producers and consumers, the plan being
/// built, and per-vertex facts the passes derive (folded constants, tensors).
class PlanState {
 public:
  PlanState(const IrModel& model, const Target& target, Quantization quantization);

  const IrModel& model;
  const Graph& g;
  Target target;
  const Policy& policy;
  Quantization quantization;
  Plan plan;
  std::vector<OpKind> kind;      ///< per vertex: its normalised kind
  std::vector<bool> const_like;  ///< per vertex: folded away as a constant
  std::vector<bool> absorbed;    ///< per vertex: already part of a node
  std::vector<Tensor> tensor;    ///< per vertex: the tensor its output 0 becomes

  /// Whether `v` is folded away as a constant.
  bool constant(Vertex v) const { return const_like[v]; }
  /// The producer of the input port at `position` in `v`'s input list, if it is connected.
  std::optional<Vertex> producer_at(Vertex v, size_t position) const;
  /// The producer of the index-th non-constant input of `v`.
  std::optional<Vertex> data_input(Vertex v, size_t index) const;
  /// The consumers of `v`'s outputs with the port they read, in edge order.
  std::vector<std::pair<Vertex, uint32_t>> data_consumers(Vertex v) const;
  /// How many edges leave `v`.
  size_t consumer_count(Vertex v) const;
  /// The producer of `v`'s first constant input.
  std::optional<Vertex> const_input(Vertex v) const;
  /// A constant operand that broadcasts per channel of `at` (or is a scalar): a bias or a scale.
  bool per_channel_const(Vertex c, const Layer& at) const;
  /// The values of a constant sub-graph's Const (through value-preserving Convert and Reshape
  /// layers); nullopt when they cannot be read (no weights file, too large, computed).
  std::optional<std::vector<float>> const_values(Vertex c);
  /// Whether `v`'s output is never negative (ReLU, Sigmoid, Clamp from 0, through pooling).
  bool unsigned_producer(Vertex v) const;
  /// Whether a FakeQuantize produces negative values (s8 rather than u8).
  bool fq_signed(Vertex fq);
  /// The tensor the index-th data input of `v` reads.
  Tensor input_tensor(Vertex v, size_t index) const;

  /// Starts a node executing `v` and returns its index.
  int32_t add_node(Vertex v);
  /// Adds `v` to `node`'s fused layers.
  void absorb(int32_t node, Vertex v);

 private:
  void index_producers();

  WeightsFile weights_;
  static constexpr Vertex kNone = ~Vertex{0};
  static constexpr Vertex kUnasked = ~Vertex{0} - 1;
  mutable std::vector<Vertex> const_input_;  ///< per vertex: const_input(), kNone or kUnasked
  std::vector<size_t> input_base_;           ///< per vertex: where its inputs start in producers_
  std::vector<Vertex> producers_;  ///< per input port of every vertex: its producer or kNone
};

/// The number in an attribute, `fallback` when it is absent or not a number.
double parse_double(std::string_view text, double fallback);

}  // namespace irlint::planning
