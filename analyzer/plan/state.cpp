#include "plan/state.hpp"

#include <algorithm>

#include "plan/geometry.hpp"
#include "text.hpp"

namespace irlint::planning {

double parse_double(std::string_view text, double fallback) {
  return parse_attribute_number<double>(text).value_or(fallback);
}

PlanState::PlanState(const IrModel& m, const Target& t, Quantization q)
    : model(m), g(m.graph), target(t), policy(*t.policy), quantization(q), weights_(m) {
  plan.target = t;
  size_t n = boost::num_vertices(g);
  plan.node_of.assign(n, -1);
  kind.resize(n);
  const_like.assign(n, false);
  absorbed.assign(n, false);
  tensor.assign(n, Tensor{});
  const_input_.assign(n, kUnasked);
  for (Vertex v = 0; v < n; ++v) kind[v] = g[v].kind;
  index_producers();
}

/// One pass over the edges, so that finding a port's producer never scans in-edges.
void PlanState::index_producers() {
  size_t n = boost::num_vertices(g);
  input_base_.assign(n + 1, 0);
  for (Vertex v = 0; v < n; ++v) input_base_[v + 1] = input_base_[v] + g[v].inputs.size();
  producers_.assign(input_base_[n], kNone);
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    Vertex to = boost::target(*it, g);
    const Layer& layer = g[to];
    if (const Port* port = layer.input_port(g[*it].to_port)) {
      producers_[input_base_[to] + static_cast<size_t>(port - layer.inputs.data())] =
          boost::source(*it, g);
    }
  }
}

std::optional<Vertex> PlanState::producer_at(Vertex v, size_t position) const {
  if (position >= g[v].inputs.size()) return std::nullopt;
  Vertex p = producers_[input_base_[v] + position];
  return p == kNone ? std::nullopt : std::optional<Vertex>(p);
}

std::optional<Vertex> PlanState::data_input(Vertex v, size_t index) const {
  size_t seen = 0;
  for (size_t i = 0; i < g[v].inputs.size(); ++i) {
    auto producer = producer_at(v, i);
    if (!producer || constant(*producer)) continue;
    if (seen++ == index) return producer;
  }
  return std::nullopt;
}

std::vector<std::pair<Vertex, uint32_t>> PlanState::data_consumers(Vertex v) const {
  std::vector<std::pair<Vertex, uint32_t>> out;
  for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
    out.emplace_back(boost::target(*it, g), g[*it].to_port);
  }
  return out;
}

size_t PlanState::consumer_count(Vertex v) const { return boost::out_degree(v, g); }

std::optional<Vertex> PlanState::const_input(Vertex v) const {
  // Remembered per layer: pattern matching asks again for every edge into a layer, and a layer
  // may have many thousands of inputs.
  if (const_input_[v] == kUnasked) {
    const_input_[v] = kNone;
    for (size_t i = 0; i < g[v].inputs.size(); ++i) {
      auto producer = producer_at(v, i);
      if (producer && constant(*producer)) {
        const_input_[v] = *producer;
        break;
      }
    }
  }
  if (const_input_[v] == kNone) return std::nullopt;
  return const_input_[v];
}

bool PlanState::per_channel_const(Vertex c, const Layer& at) const {
  const Layer& layer = g[c];
  if (layer.outputs.empty() || at.outputs.empty()) return false;
  const Shape& shape = layer.outputs.front().dims;
  int64_t ch = channels(at.outputs.front());
  int64_t non_unit = 0;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (!shape[i].is_static()) return false;
    if (shape[i].min != 1) {
      ++non_unit;
      // The channel axis is the second one counted from the left of a full-rank constant.
      bool channel_axis = shape.size() == at.outputs.front().dims.size() ? i == 1 : i == 0;
      if (!channel_axis || shape[i].min != ch) return false;
    }
  }
  return non_unit <= 1;
}

std::optional<std::vector<float>> PlanState::const_values(Vertex c) {
  // Bounded by the layer count: a cycle of layers must not loop forever.
  for (size_t steps = boost::num_vertices(g); steps > 0; --steps) {
    if (kind[c] == OpKind::constant) return weights_.floats(g[c]);
    if (kind[c] != OpKind::convert && kind[c] != OpKind::reshape) return std::nullopt;
    auto in = producer_at(c, 0);
    if (!in) return std::nullopt;
    c = *in;
  }
  return std::nullopt;
}

bool PlanState::unsigned_producer(Vertex v) const {
  // A loop, not recursion: the chain of pass-through layers is as long as the file makes it.
  // More steps than layers would mean a cycle, which has no answer.
  for (size_t steps = boost::num_vertices(g); steps > 0; --steps) {
    switch (kind[v]) {
      case OpKind::relu:
      case OpKind::sigmoid:
      case OpKind::hsigmoid:
      case OpKind::hard_sigmoid:
        return true;
      case OpKind::clamp:
        return parse_double(g[v].attr("min"), -1) >= 0;
      case OpKind::max_pool:
      case OpKind::avg_pool:
      case OpKind::reshape:
      case OpKind::concat: {
        auto in = data_input(v, 0);
        if (!in) return false;
        v = *in;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

bool PlanState::fq_signed(Vertex fq) {
  const Layer& layer = g[fq];
  if (layer.inputs.size() >= 4) {
    if (auto low = producer_at(fq, 3)) {
      Vertex c = *low;
      // Bounded by the layer count: a cycle of layers must not loop forever.
      for (size_t steps = boost::num_vertices(g); kind[c] != OpKind::constant && steps > 0;
           --steps) {
        auto in = producer_at(c, 0);
        if (!in) break;
        c = *in;
      }
      if (kind[c] == OpKind::constant) {
        if (auto values = weights_.floats(g[c])) {
          return std::any_of(values->begin(), values->end(), [](float x) { return x < 0; });
        }
      }
    }
  }
  auto in = data_input(fq, 0);
  return !(in && unsigned_producer(*in));
}

Tensor PlanState::input_tensor(Vertex v, size_t index) const {
  auto in = data_input(v, index);
  if (!in) return {};
  return tensor[*in];
}

int32_t PlanState::add_node(Vertex v) {
  PlanNode node;
  node.main = v;
  node.fused.push_back(v);
  node.kind = kind[v];
  plan.nodes.push_back(std::move(node));
  auto index = static_cast<int32_t>(plan.nodes.size() - 1);
  plan.node_of[v] = index;
  absorbed[v] = true;
  return index;
}

void PlanState::absorb(int32_t node, Vertex v) {
  plan.nodes[node].fused.push_back(v);
  plan.node_of[v] = node;
  absorbed[v] = true;
}

}  // namespace irlint::planning
