#pragma once

// The live-run executor's parts: descriptor helpers (ops_common.cpp), the Executor with its
// dispatch and the tail every op family ends with (executor.cpp), and one build function per op
// family (ops_*.cpp). Private to analyzer/live.

#include <cstdint>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "live.hpp"
#include "op.hpp"
#include "weights.hpp"

namespace irlint::live::exec {

using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

/// oneDNN's short name of a data type ("f32", "u8", …).
std::string dt_name(dt type);
/// The oneDNN-style tag of a blocked descriptor ("acdb", "aBcd16b", "AcdB32a4b").
std::string generic_tag(const memory::desc& md);
/// Activation layouts the way irlint names them; other descriptors keep oneDNN's tag.
std::string layout_name(const memory::desc& md);
/// The oneDNN tag of a 4D activation layout of the plan.
tag layout_tag(Layout layout);
/// The plain (row-major) tag of a rank.
tag plain_tag(size_t rank);
/// "fp32", "u8" or "i8": the precision of a computation as observations spell it.
std::string precision_word(Precision p);
/// The oneDNN data type of a plan precision (f32 unless INT8).
dt precision_dt(Precision p);
/// An axis attribute normalised to [0, rank), or nullopt with `why` set when out of range.
std::optional<int> axis_of(const Layer& l, int64_t fallback, size_t rank, std::string* why);
/// The dims of a fully static shape, or nullopt.
std::optional<memory::dims> static_dims(const Shape& shape);
/// The static dims of a layer's first input, or nullopt when it has none or they are dynamic.
std::optional<memory::dims> input_dims(const Layer& l);
/// The static dims of a layer's first output, or nullopt when it has none or they are dynamic.
std::optional<memory::dims> output_dims(const Layer& l);
/// The element count of dims.
int64_t product(const memory::dims& dims);
/// The threads oneDNN runs on: OMP_NUM_THREADS, else the CPU affinity.
int thread_count();
/// Writes float values into a oneDNN memory of the given plain layout through a reorder.
void fill(dnnl::engine& eng, dnnl::stream& strm, const memory& dst, const memory::dims& dims,
          tag plain, const std::vector<float>& values);
/// Reads a oneDNN memory back as floats in plain layout.
std::vector<float> read_back(dnnl::engine& eng, dnnl::stream& strm, const memory& src,
                             const memory::dims& dims, tag plain);
/// A f32 memory holding `values` as they are (bias, post-op operands).
memory float_memory(const memory::desc& md, dnnl::engine& eng, const std::vector<float>& values);

/// One post-op to attach, with its binary operand when it has one.
struct PostOp {
  PostOp(std::string n, dnnl::algorithm a, float al = 0, float be = 0)
      : name(std::move(n)), alg(a), alpha(al), beta(be) {}
  std::string name;
  dnnl::algorithm alg;
  float alpha = 0, beta = 0;
  bool binary = false;
  std::vector<float> src1;  ///< per-channel (size C) or scalar (size 1)
};

/// Maps an activation kind to a oneDNN eltwise post-op; nullopt when oneDNN 2.6 has none.
std::optional<PostOp> eltwise_of(OpKind kind, const Layer* layer);
/// The descriptor of a binary post-op's operand: per channel or scalar, over 4D.
memory::desc binary_operand_md(const PostOp& op, int64_t channels);
/// The attributes of a primitive with these post-ops and output scale.
dnnl::primitive_attr make_attr(const std::vector<PostOp>& ops, int64_t channels, float scale);

/// One primitive of a whole-plan iteration with the memories it runs on.
struct Step {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
  int32_t observation = -1;  ///< index into LiveRun::nodes, -1 for a reorder
};

/// The fields of NodeObservation an input goes to: its values (with keep_values), and for
/// weights also its layout and type.
enum class Keep : uint8_t { none, src, weights };

/// A memory the primitive reads, with the logical values the tail writes into it.
struct Input {
  int arg = DNNL_ARG_SRC;
  memory::desc md{};  ///< the descriptor the primitive reads
  memory::dims dims{};
  std::vector<float> values{};  ///< in the plain layout of `dims` (or `plain`)
  Keep keep = Keep::src;
  tag plain = tag::undef;  ///< the layout of `values`; undef: the plain tag of the rank
  /// Written through this descriptor over the same buffer instead of `md` (a permuted view).
  std::optional<memory::desc> written_as{};
  /// Written with these dims, the single value of `values` everywhere (a scalar given per
  /// channel); `dims` and `values` are what is kept.
  std::optional<memory::dims> spread_to{};
};

/// What every op family ends with: a built primitive, the memories it reads and writes, and the
/// reorders the executor adds around it.
struct Launch {
  const char* primitive = "";      ///< "convolution", "reorder", …
  dnnl::primitive_desc_base pd{};  ///< what the primitive is made from
  std::vector<Input> inputs{};
  memory::desc dst_md{};
  memory::dims dst_dims{};
  int dst_arg = DNNL_ARG_DST;
  std::unordered_map<int, memory> extra{};  ///< bias, workspace, zero points, post-op operands
  /// Keep values with LiveOptions::keep_values (matmul, eltwise and pooling keep none).
  bool keep_values = true;
  std::optional<std::pair<memory::desc, memory::desc>> reorder_before{}, reorder_after{};
};

/// The Launch of a primitive that reads one src (`values`, kept as src) and writes one dst.
Launch one_input_launch(const char* primitive, const dnnl::primitive_desc_base& pd,
                        const memory::dims& src_dims, std::vector<float> values,
                        const memory::dims& dst_dims);

class Executor;

/// The node a family builds: its index in the plan, the plan node and its main layer.
struct NodeRef {
  int32_t index;
  const PlanNode& node;
  const Layer& layer;
};

/// Builds and runs one op family's node, filling `obs` (`reason` when it cannot).
using BuildFn = void (*)(Executor& ex, const NodeRef& n, NodeObservation& obs);

/// Builds a plan's nodes as oneDNN primitives, runs each, and keeps them for whole-plan timing.
class Executor {
 public:
  Executor(const IrModel& model, const Plan& plan, const LiveOptions& options);

  /// Builds and runs every node, then probes post-ops.
  LiveRun run();
  /// The primitives of the last run() in execution order, reorders included.
  std::vector<Step>& steps() { return steps_; }
  dnnl::stream& stream() { return strm_; }
  dnnl::engine& engine() { return eng_; }
  const Plan& plan() const { return plan_; }
  const LiveOptions& options() const { return options_; }
  bool native() const { return options_.mode == Mode::native; }
  WeightsFile& weights() { return weights_; }
  const Layer& layer(Vertex v) const { return m_.graph[v]; }

  /// The shared tail: records the kernel on `obs`, makes and fills the memories, runs the
  /// primitive (timed when asked), appends it to the whole-plan steps and keeps the values.
  void launch(Launch launch, NodeObservation& obs);
  /// The Const behind an input port, looking through Convert/FakeQuantize/Reshape on the way.
  std::optional<Vertex> const_source(Vertex v, uint32_t port) const;
  /// `count` values of the Const (when the .bin holds them), else deterministic ones in
  /// [lo, hi] (integers when the bounds are).
  std::vector<float> values(std::optional<Vertex> constant, size_t count, uint64_t seed, float lo,
                            float hi);
  /// Deterministic values for a memory of `dims`.
  std::vector<float> random_values(const memory::dims& dims, uint64_t seed, float lo, float hi);
  /// The values of the Const behind `port`, or nullopt when it cannot be read.
  std::optional<std::vector<float>> constant_values(Vertex v, const Port& port);
  /// The Const behind `port` when it holds `dims`, else generated values.
  std::vector<float> input_values(Vertex v, const Port& port, const memory::dims& dims,
                                  uint64_t seed, float lo, float hi);
  /// The precision a node runs in: the override, else its INT8 precision, else fp32.
  Precision node_precision(const PlanNode& node) const;
  /// The memory descriptor of an activation in the plan's layout (4D) or plain (other ranks).
  memory::desc activation_md(const memory::dims& dims, dt type, Layout layout) const;
  /// The destination descriptor: any layout in native mode, the plan's otherwise.
  memory::desc dst_md(const memory::dims& dims, dt type, Layout layout) const;
  /// The node's fused layers as post-ops, in order; a decomposed activation counts once.
  std::vector<PostOp> post_ops_of(int32_t index, NodeObservation& obs);
  /// Walks the implementations of `pd` to the plan's gemm/ref fallback when this is a what-if
  /// run of an OpenVINO policy's plan.
  template <class PrimitiveDesc>
  void force_fallback(const PlanNode& node, PrimitiveDesc& pd, NodeObservation& obs);

 private:
  /// The family that builds a node, or nullptr when none runs it.
  static BuildFn family_of(const PlanNode& node, const Layer& l);
  /// Builds and runs one node into `obs`; a oneDNN error becomes its reason.
  void run_node(size_t index, NodeObservation& obs);
  /// Times the node's primitive on its own (when asked), appends it to the whole-plan steps and
  /// marks the node as run.
  void record(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
              NodeObservation& obs);
  /// The memory behind one input, filled with its values.
  memory filled(const Input& in);
  /// Sets the values an observation keeps (only with LiveOptions::keep_values).
  void keep(NodeObservation& obs, std::vector<Input>& inputs, const memory& dst,
            const memory::dims& dst_dims);
  /// Appends a reorder `from` → `to` (fresh memories, `from` filled) to the whole-plan steps.
  void add_reorder(const memory::desc& from, const memory::desc& to);
  /// The plan's Reorders that execute right before node `index`, as reorder primitives.
  void plan_reorders_before(size_t index);

  const IrModel& m_;
  const Plan& plan_;
  const LiveOptions& options_;
  WeightsFile weights_;
  dnnl::engine eng_;
  dnnl::stream strm_;
  std::vector<Step> steps_;
  int32_t observation_ = -1;  ///< index of the node being built in LiveRun::nodes
};

template <class PrimitiveDesc>
void Executor::force_fallback(const PlanNode& node, PrimitiveDesc& pd, NodeObservation& obs) {
  if (!options_.force_fallbacks || !plan_.target.policy ||
      !plan_.target.policy->openvino_exec_names.value)
    return;
  if (node.impl != Impl::gemm && node.impl != Impl::ref) return;
  obs.forced = node.impl == Impl::gemm ? "gemm" : "ref";
  PrimitiveDesc first = pd;
  do {
    if (std::string(pd.impl_info_str()).find(obs.forced) != std::string::npos) return;
  } while (pd.next_impl());
  pd = first;  // none offered: keep oneDNN's first choice
}

// One build function per op family, in ops_<family>.cpp.

/// Convolution and GroupConvolution (2D) as `convolution_forward`, fused layers as post-ops.
void build_convolution(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Tries every activation after a convolution as a post-op of that convolution, fused by the
/// plan or not: whether oneDNN accepts it is what unfusable-activation predicts.
void probe_activations(Executor& ex, LiveRun& out);
/// Static 2D MatMul as `matmul`, fused activations as post-ops.
void build_matmul(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// A one-input activation as `eltwise_forward`.
void build_eltwise(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Two-input element-wise arithmetic as `binary`.
void build_binary(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// MaxPool, AvgPool and a global spatial ReduceMean as `pooling_forward`.
void build_pooling(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Interpolate and legacy Resample as `resampling_forward`.
void build_resample(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// SoftMax as `softmax_forward`.
void build_softmax(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Concat as `concat`.
void build_concat(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Reshape/Squeeze/Unsqueeze/Flatten: a view, no primitive.
void build_view(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// Transpose and legacy Permute as a `reorder` of a permuted view.
void build_transpose(Executor& ex, const NodeRef& n, NodeObservation& obs);
/// FakeQuantize as a quantizing or dequantizing `reorder`.
void build_fake_quantize(Executor& ex, const NodeRef& n, NodeObservation& obs);

}  // namespace irlint::live::exec
