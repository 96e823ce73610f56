#include <map>
#include <set>

#include "reader.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

// What OpenVINO does after reading an IR v10 model (update_v10_model in
// src/inference/src/model_reader.cpp in current releases; convert_to_cnnnetwork in
// src/inference/src/ie_network_reader.cpp in 2022.1, for read_model): so that the model's inputs
// and outputs can be found by operation name as in the old API, it adds each Parameter's name and
// each Result's producer name (with ".<port index>" when the producer has several outputs) as a
// tensor name of that input or output. First it collects the tensor names of the inputs, which
// must be distinct, and of the outputs, which may repeat only on one tensor; then an operation
// name that is already a tensor name of another tensor makes it throw ("Model operation names
// have collisions with tensor names").

/// One tensor: a layer's output port.
using Tensor = std::pair<Vertex, uint32_t>;

struct Leaf {
  std::optional<Tensor> tensor;  ///< none: an operation name added by the reader
  Vertex layer;                  ///< whose port or name it is
};

std::set<std::string> names_of(const Layer& layer, uint32_t port_id) {
  const Port* port = layer.output_port(port_id);
  if (!port) return {};
  std::vector<std::string> names = tensor_names(port->names);
  return {names.begin(), names.end()};
}

/// The names of each tensor as OpenVINO holds them: those of the port, plus the operation names
/// added so far. A Result's output is its input's tensor, so the name added for an output is a
/// name of the tensor that feeds it (and of a Parameter that feeds a Result directly).
class TensorNames {
 public:
  explicit TensorNames(const Graph& g) : g_(g) {}
  std::set<std::string>& operator[](const Tensor& t) {
    auto it = names_.find(t);
    if (it == names_.end()) it = names_.emplace(t, names_of(g_[t.first], t.second)).first;
    return it->second;
  }

 private:
  const Graph& g_;
  std::map<Tensor, std::set<std::string>> names_;
};

/// The names read_model gives the inputs and outputs of a v10 model, in the order it gives them,
/// and the findings where two collide.
class Collisions {
 public:
  explicit Collisions(RuleContext& ctx) : ctx_(ctx), g_(ctx.model.graph), names_(g_) {
    for (Vertex v = 0; v < boost::num_vertices(g_); ++v) {
      if (g_[v].type == "Parameter") parameters_.push_back(v);
      if (g_[v].type == "Result") results_.push_back(v);
    }
    fed_by_.resize(results_.size());
  }

  /// The inputs' tensor names, then the outputs'.
  void tensor_names() {
    for (Vertex p : parameters_) {
      const Layer& layer = g_[p];
      if (layer.outputs.empty()) continue;
      Tensor tensor{p, layer.outputs.front().id};
      for (const std::string& name : names_[tensor]) {
        auto [it, added] = leaves_.emplace(name, Leaf{tensor, p});
        if (!added) {
          report(p, name, it->second,
                 fmt::format("tensor name '{}' of input '{}' is used twice", name, layer.name));
        }
      }
    }
    for (size_t i = 0; i < results_.size(); ++i) {
      const Layer& result = g_[results_[i]];
      if (result.inputs.empty()) continue;
      fed_by_[i] = ctx_.model.producer(results_[i], result.inputs.front().id);
      if (!fed_by_[i]) continue;
      for (const std::string& name : names_[*fed_by_[i]]) {
        auto [it, added] = leaves_.emplace(name, Leaf{fed_by_[i], fed_by_[i]->first});
        if (!added && it->second.tensor != fed_by_[i]) {
          report(fed_by_[i]->first, name, it->second,
                 fmt::format("tensor name '{}' of output '{}' names another tensor too", name,
                             result.name));
        }
      }
    }
  }

  /// The operation names: each Result's producer's, then each Parameter's.
  void operation_names() {
    for (size_t i = 0; i < results_.size(); ++i) {
      if (!fed_by_[i]) continue;
      auto [producer, port] = *fed_by_[i];
      const Layer& layer = g_[producer];
      std::string name(layer.name);
      if (layer.outputs.size() > 1) {
        for (size_t k = 0; k < layer.outputs.size(); ++k) {
          if (layer.outputs[k].id == port) name += fmt::format(".{}", k);
        }
      }
      auto it = leaves_.find(name);
      if (it != leaves_.end() && !names_[*fed_by_[i]].contains(name)) {
        report(producer, name, it->second,
               fmt::format("output '{}' is named '{}' after layer '{}', a name another tensor has",
                           g_[results_[i]].name, name, layer.name));
      }
      leaves_.emplace(name, Leaf{std::nullopt, producer});
      names_[*fed_by_[i]].insert(name);
    }
    for (Vertex p : parameters_) {
      const Layer& layer = g_[p];
      std::string name(layer.name);
      auto it = leaves_.find(name);
      bool own =
          !layer.outputs.empty() && names_[Tensor{p, layer.outputs.front().id}].contains(name);
      if (it != leaves_.end() && !own) {
        report(p, name, it->second,
               fmt::format("input '{}' is named like a tensor of another layer", layer.name));
      }
      leaves_.emplace(name, Leaf{std::nullopt, p});
    }
  }

 private:
  void report(Vertex v, const std::string& name, const Leaf& other, std::string what) {
    Finding& f = ctx_.report(v, std::move(what));
    f.notes.push_back(
        {fmt::format("'{}' is already {} of '{}'", name,
                     other.tensor ? "a tensor name" : "the operation name of an input or output",
                     g_[other.layer].name),
         g_[other.layer].pos});
    f.notes.push_back(
        {"OpenVINO adds the operation names of a v10 model's inputs and outputs as tensor names, "
         "and read_model refuses a model where they collide",
         {}});
    f.fix = "rename the layer, or convert the model again to IR v11, which keeps tensor names";
  }

  RuleContext& ctx_;
  const Graph& g_;
  TensorNames names_;
  std::vector<Vertex> parameters_, results_;
  std::vector<std::optional<Tensor>> fed_by_;  ///< per Result: the tensor it reads
  std::map<std::string, Leaf> leaves_;
};

void check(RuleContext& ctx) {
  if (ctx.model.fatal || ctx.model.ir_version != 10) return;
  Collisions collisions(ctx);
  collisions.tensor_names();
  collisions.operation_names();
}

}  // namespace

extern const Rule kTensorNameCollision{
    .info = {.code = "IRL016",
             .name = "tensor-name-collision",
             .severity = Severity::error,
             .summary =
                 "in IR v10, an input's or output's operation name is another tensor's name, so "
                 "read_model refuses the model"},
    .check = check};

}  // namespace irlint
