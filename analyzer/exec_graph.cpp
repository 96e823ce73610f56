#include "exec_graph.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <pugixml.hpp>

#include "escape.hpp"

namespace irlint {

std::string_view exec_layer_type(const IrModel& model, const PlanNode& node) {
  switch (node.kind) {
    case OpKind::parameter:
      return "Input";
    case OpKind::result:
      return "Output";
    case OpKind::convolution:
    case OpKind::group_convolution:
      return "Convolution";
    case OpKind::deconvolution:
      return "Deconvolution";
    case OpKind::matmul:
      return model.layer(node.main).type == "MatMul" ? "MatMul" : "FullyConnected";
    case OpKind::max_pool:
    case OpKind::avg_pool:
      return "Pooling";
    case OpKind::fake_quantize:
      return "FakeQuantize";
    case OpKind::concat:
      return "Concatenation";
    case OpKind::softmax:
      return "Softmax";
    case OpKind::reduce_mean:
      return "Reduce";
    case OpKind::reshape:
      return "Reshape";
    case OpKind::transpose:
      return "Transpose";
    default:
      if (is_activation(node.kind) || is_eltwise(node.kind) || node.kind == OpKind::scale_shift ||
          node.kind == OpKind::power) {
        return node.kind == OpKind::hard_sigmoid ? "Math" : "Eltwise";
      }
      return model.layer(node.main).type;
  }
}

namespace {

void add_output_port(pugi::xml_node layer, const Layer* source, Precision precision) {
  pugi::xml_node port = layer.append_child("output").append_child("port");
  port.append_attribute("id") = 0;
  port.append_attribute("precision") = std::string(to_string(precision)).c_str();
  if (!source || source->outputs.empty()) return;
  for (const Dim& d : source->outputs.front().dims) {
    port.append_child("dim").text().set(d.is_static() ? std::to_string(d.min).c_str() : "-1");
  }
}

void set_data(pugi::xml_node layer, size_t order, std::string_view type,
              const std::string& originals, Layout layout, Precision out_precision,
              const std::string& primitive, Precision runtime) {
  pugi::xml_node data = layer.append_child("data");
  data.append_attribute("execOrder") = static_cast<unsigned long long>(order);
  data.append_attribute("execTimeMcs") = "not_executed";
  data.append_attribute("layerType") = std::string(type).c_str();
  data.append_attribute("originalLayersNames") = escape(originals, Escape::xml).c_str();
  data.append_attribute("outputLayouts") = std::string(exec_graph_name(layout)).c_str();
  data.append_attribute("outputPrecisions") = std::string(to_string(out_precision)).c_str();
  data.append_attribute("primitiveType") = escape(primitive, Escape::xml).c_str();
  data.append_attribute("runtimePrecision") = std::string(to_string(runtime)).c_str();
}

/// The Reorders of a plan grouped by the node that reads them (they execute right before it).
std::vector<std::vector<size_t>> reorders_by_reader(const Plan& plan) {
  std::vector<std::vector<size_t>> by_reader(plan.nodes.size());
  for (size_t r = 0; r < plan.reorders.size(); ++r) {
    by_reader[static_cast<size_t>(plan.reorders[r].to_node)].push_back(r);
  }
  return by_reader;
}

/// A `<layer>` for the plan's Reorder `ro`, as the runtime writes it.
void add_reorder_layer(pugi::xml_node layers, const IrModel& model, const Plan& plan,
                       const PlanReorder& ro, size_t id, size_t order) {
  pugi::xml_node layer = layers.append_child("layer");
  layer.append_attribute("id") = static_cast<unsigned long long>(id);
  layer.append_attribute("name") = escape(reorder_name(model, plan, ro), Escape::xml).c_str();
  layer.append_attribute("type") = "Reorder";
  Precision runtime =
      is_int8(ro.from_precision) && is_int8(ro.to_precision) ? ro.from_precision : Precision::fp32;
  std::string prim = plan.target.policy->openvino_exec_names.value
                         ? fmt::format("jit_uni_{}", is_int8(ro.to_precision) ? "I8" : "FP32")
                         : std::string("jit:uni");
  set_data(layer, order, "Reorder", "", ro.to_layout, ro.to_precision, prim, runtime);
  pugi::xml_node in = layer.append_child("input").append_child("port");
  in.append_attribute("id") = 0;
  const Layer& src = model.layer(plan.nodes[ro.from_node].main);
  add_output_port(layer, &src, ro.to_precision);
  layer.child("output").child("port").attribute("id") = 1;
}

/// A `<layer>` for plan node `node`: its main layer, with the fused ones as original names.
void add_node_layer(pugi::xml_node layers, const IrModel& model, const PlanNode& node, size_t id,
                    size_t order) {
  std::string originals;
  for (Vertex v : node.fused) {
    if (!originals.empty()) originals += ",";
    originals += model.layer(v).name;
  }
  pugi::xml_node layer = layers.append_child("layer");
  layer.append_attribute("id") = static_cast<unsigned long long>(id);
  layer.append_attribute("name") = escape(model.layer(node.main).name, Escape::xml).c_str();
  std::string type = escape(exec_layer_type(model, node), Escape::xml);
  layer.append_attribute("type") = type.c_str();
  set_data(layer, order, type, originals, node.out_layout, node.out_precision, node.exec_type,
           node.precision);
  pugi::xml_node inputs = layer.append_child("input");
  const Layer& main = model.layer(node.main);
  for (size_t i = 0; i < main.inputs.size(); ++i)
    inputs.append_child("port").append_attribute("id") = i;
  add_output_port(layer, &model.layer(node.fused.back()), node.out_precision);
  layer.child("output").child("port").attribute("id") =
      static_cast<unsigned long long>(main.inputs.size());
}

}  // namespace

void write_exec_graph(const IrModel& model, const Plan& plan, std::ostream& out) {
  pugi::xml_document doc;
  pugi::xml_node net = doc.append_child("net");
  net.append_attribute("name") = escape(model.name, Escape::xml).c_str();
  net.append_attribute("version") = 10;
  pugi::xml_node layers = net.append_child("layers");
  pugi::xml_node edges = net.append_child("edges");
  size_t order = 0;
  std::vector<std::vector<size_t>> reorders_before = reorders_by_reader(plan);
  std::vector<size_t> node_id(plan.nodes.size());
  std::vector<size_t> reorder_id(plan.reorders.size());
  size_t next_id = 0;
  for (size_t n = 0; n < plan.nodes.size(); ++n) {
    for (size_t r : reorders_before[n]) {
      reorder_id[r] = next_id++;
      add_reorder_layer(layers, model, plan, plan.reorders[r], reorder_id[r], order++);
    }
    node_id[n] = next_id++;
    add_node_layer(layers, model, plan.nodes[n], node_id[n], order++);
  }
  // Edges: node to node, or through the Reorder on that IR edge.
  const Graph& g = model.graph;
  auto add_edge = [&](size_t from, size_t from_port, size_t to, size_t to_port) {
    pugi::xml_node e = edges.append_child("edge");
    e.append_attribute("from-layer") = static_cast<unsigned long long>(from);
    e.append_attribute("from-port") = static_cast<unsigned long long>(from_port);
    e.append_attribute("to-layer") = static_cast<unsigned long long>(to);
    e.append_attribute("to-port") = static_cast<unsigned long long>(to_port);
  };
  for (size_t n = 0; n < plan.nodes.size(); ++n) {
    const PlanNode& node = plan.nodes[n];
    size_t port = 0;
    for (Vertex member : node.fused) {
      for (auto [it, end] = boost::in_edges(member, g); it != end; ++it) {
        int32_t src = plan.node_of[boost::source(*it, g)];
        if (src < 0 || src == static_cast<int32_t>(n)) continue;
        size_t out_port = model.layer(plan.nodes[src].main).inputs.size();
        bool via_reorder = false;
        for (size_t r : reorders_before[n]) {
          if (plan.reorders[r].edge == *it) {
            add_edge(node_id[src], out_port, reorder_id[r], 0);
            add_edge(reorder_id[r], 1, node_id[n], port);
            via_reorder = true;
          }
        }
        if (!via_reorder) add_edge(node_id[src], out_port, node_id[n], port);
        ++port;
      }
    }
  }
  doc.save(out, "  ");
}

void write_dot(const IrModel& model, const Plan& plan, std::ostream& out) {
  // A DOT string: control characters escaped (escape.hpp), then quotes and backslashes.
  auto quote = [](std::string_view s) {
    std::string q;
    for (char c : escape(s, Escape::terminal)) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q;
  };
  fmt::print(out,
             "digraph plan {{\n  rankdir=TB;\n  node [shape=box, style=filled, "
             "fontname=\"monospace\"];\n");
  fmt::print(out, "  label=\"{} on {}: {} primitives, {} Reorders\";\n", quote(model.name),
             plan.target.name(), plan.nodes.size(), plan.reorders.size());
  for (size_t n = 0; n < plan.nodes.size(); ++n) {
    const PlanNode& node = plan.nodes[n];
    std::string_view color = is_int8(node.precision) ? "palegreen" : "lightblue";
    if (node.impl == Impl::gemm || node.impl == Impl::ref) color = "salmon";
    fmt::print(out, "  n{} [label=\"{}\\n{} {} {}\\n{}\", fillcolor={}];\n", n,
               quote(model.layer(node.main).name), quote(exec_layer_type(model, node)),
               to_string(node.precision), to_string(node.out_layout), quote(node.exec_type), color);
  }
  const Graph& g = model.graph;
  std::vector<std::vector<size_t>> reorders_before = reorders_by_reader(plan);
  for (size_t r = 0; r < plan.reorders.size(); ++r) {
    const PlanReorder& ro = plan.reorders[r];
    fmt::print(out,
               "  r{} [label=\"Reorder\\n{} {} -> {} {}\", shape=octagon, fillcolor=orange];\n", r,
               to_string(ro.from_precision), to_string(ro.from_layout), to_string(ro.to_precision),
               to_string(ro.to_layout));
  }
  for (size_t n = 0; n < plan.nodes.size(); ++n) {
    for (Vertex member : plan.nodes[n].fused) {
      for (auto [it, end] = boost::in_edges(member, g); it != end; ++it) {
        int32_t src = plan.node_of[boost::source(*it, g)];
        if (src < 0 || src == static_cast<int32_t>(n)) continue;
        bool via = false;
        for (size_t r : reorders_before[n]) {
          if (plan.reorders[r].edge == *it) {
            fmt::print(out, "  n{} -> r{};\n  r{} -> n{};\n", src, r, r, n);
            via = true;
          }
        }
        if (!via) fmt::print(out, "  n{} -> n{};\n", src, n);
      }
    }
  }
  fmt::print(out, "}}\n");
}

}  // namespace irlint
