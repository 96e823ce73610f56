// Reading one `<layer>` element: its attributes, ports, weights regions and bodies, with the
// checks OpenVINO's reader makes on them.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <span>
#include <unordered_set>

#include "op.hpp"
#include "reader_impl.hpp"
#include "shape_text.hpp"
#include "weights.hpp"

namespace irlint::detail {
namespace {

/// Integer-list attributes the planner and the work model read, checked in every layer.
constexpr std::string_view kIntListAttributes[] = {"strides",  "dilations", "pads_begin",
                                                   "pads_end", "kernel",    "group"};

/// Whether all of `text` is a number as OpenVINO's stream parsing reads a float attribute.
bool is_real_number(std::string_view text) {
  text = drop_plus(trim(text, " "));
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // A value out of double's range ("1e999") is still a number; OpenVINO clamps it.
  return !text.empty() && end == text.data() + text.size() &&
         (ec == std::errc() || ec == std::errc::result_out_of_range);
}

/// Whether two dims admit a common size.
bool overlap(const Dim& a, const Dim& b) {
  int64_t a_max = a.max == Dim::kUnbounded ? INT64_MAX : a.max;
  int64_t b_max = b.max == Dim::kUnbounded ? INT64_MAX : b.max;
  return a.min <= b_max && b.min <= a_max;
}

/// The runtime attributes OpenVINO's reader creates from an `<rt_info>` (ov::pass::Attributes in
/// src/common/transformations/src/transformations/rt_info/attributes.cpp, 2022.1 to now; the
/// names are their OPENVINO_RTTI names, all of version "0"). Others are skipped unread.
constexpr std::string_view kKnownRtAttributes[] = {
    "fused_names", "primitives_priority",  "disable_const_folding", "disable_fp16_compression",
    "precise",     "nms_selected_indices", "old_api_map_order",     "old_api_map_element_type",
    "layout",      "decompression",        "strides_propagation",   "preprocessing"};

}  // namespace

void Reader::check_attribute_lengths(IrModel& model, pugi::xml_node node) const {
  // No value is longer than the buffer it was parsed from.
  if (map_.size <= limits_.max_attribute_bytes) return;
  for (pugi::xml_attribute a : node.attributes()) {
    if (std::strlen(a.value()) > limits_.max_attribute_bytes) {
      issue(model, ReaderCheck::limit_exceeded, pos(node),
            fmt::format("attribute '{}' is longer than the limit of {} bytes", a.name(),
                        limits_.max_attribute_bytes));
    }
  }
}

void Reader::read_ports(IrModel& model, pugi::xml_node node, std::vector<Port>& ports,
                        const Layer& layer) const {
  std::unordered_set<uint32_t> seen;  // port ids, filled once ids stop increasing
  bool indexed = false;
  size_t declared = 0;
  for (pugi::xml_node p = node.child("port"); p; p = p.next_sibling("port")) ++declared;
  ports.reserve(declared);
  for (pugi::xml_node p : node.children("port")) {
    Port port;
    port.pos = pos(p);
    auto id = parse_int(p.attribute("id").value());
    if (!id || *id < 0 || *id > UINT32_MAX) {
      issue(model, ReaderCheck::invalid_ir_structure, port.pos,
            fmt::format("port of layer '{}' has no valid 'id' attribute (got '{}')", layer.name,
                        p.attribute("id").value()));
      continue;
    }
    port.id = static_cast<uint32_t>(*id);
    port.precision = view(p.attribute("precision").value());
    port.names = view(p.attribute("names").value());
    if (pugi::xml_node rt = p.child("rt_info"); rt && model.ir_version >= 11) {
      check_rt_info(model, rt, layer, fmt::format("port {}", port.id));
    }
    if (port.precision.empty()) port.precision = layer.precision;
    read_dims(model, p, port, layer);
    if (!indexed && !ports.empty() && port.id <= ports.back().id) {
      // Ids no longer increase: from now on a set of the ids seen finds duplicates.
      for (const Port& q : ports) seen.insert(q.id);
      indexed = true;
    }
    if (indexed && !seen.insert(port.id).second) {
      issue(model, ReaderCheck::invalid_ir_structure, port.pos,
            fmt::format("layer '{}' declares port id {} twice", layer.name, port.id));
      continue;
    }
    ports.push_back(std::move(port));
  }
}

void Reader::read_dims(IrModel& model, pugi::xml_node node, Port& port, const Layer& layer) const {
  for (pugi::xml_node d : node.children("dim")) {
    auto dim = parse_dim(d.child_value());
    if (!dim) {
      issue(model, ReaderCheck::invalid_dimension, pos(d),
            fmt::format("dimension '{}' of port {} of layer '{}' is not a valid size",
                        d.child_value(), port.id, layer.name));
      dim = Dim{0, Dim::kUnbounded};
    }
    port.dims.push_back(*dim);
  }
  bool all_static =
      std::all_of(port.dims.begin(), port.dims.end(), [](const Dim& d) { return d.is_static(); });
  if (!all_static) return;
  auto count = element_count(port.dims);
  if (!count) {
    issue(model, ReaderCheck::invalid_dimension, port.pos,
          fmt::format("port {} of layer '{}' holds 2^64 elements or more: the dimensions "
                      "overflow a 64-bit count",
                      port.id, layer.name));
  } else if (*count > limits_.max_elements) {
    issue(model, ReaderCheck::limit_exceeded, port.pos,
          fmt::format("port {} of layer '{}' holds {} elements, more than the limit of {}", port.id,
                      layer.name, *count, limits_.max_elements));
  }
}

void Reader::check_attribute_types(IrModel& model, pugi::xml_node data, const Layer& layer) const {
  // One pass over the attributes finds those checked below (a lookup per key would compare
  // every key with every attribute); the checks then run in the keys' order, as before.
  pugi::xml_attribute int_lists[std::size(kIntListAttributes)];
  for (pugi::xml_attribute a : data.attributes()) {
    std::string_view name = a.name();
    for (size_t k = 0; k < std::size(kIntListAttributes); ++k) {
      if (name == kIntListAttributes[k] && !int_lists[k]) int_lists[k] = a;
    }
  }
  for (size_t k = 0; k < std::size(kIntListAttributes); ++k) {
    std::string_view key = kIntListAttributes[k];
    pugi::xml_attribute a = int_lists[k];
    if (!a) continue;
    auto values = parse_int_list(a.value());
    bool ok = values.has_value();
    if (ok && key == "group") ok = values->size() == 1 && values->front() >= 1;
    if (!ok) {
      issue(model, ReaderCheck::invalid_ir_structure, pos(data),
            fmt::format("attribute '{}' of layer '{}' is '{}', not {}", key, layer.name, a.value(),
                        key == "group" ? "a positive integer" : "a list of integers"));
    }
  }
  OpKind kind = layer.kind;
  static constexpr std::string_view kClamp[] = {"min", "max"};
  static constexpr std::string_view kRelu[] = {"negative_slope"};
  static constexpr std::string_view kPower[] = {"power", "scale", "shift"};
  std::span<const std::string_view> numbers;
  if (kind == OpKind::clamp) {
    numbers = kClamp;
  } else if (layer.type == "ReLU") {
    numbers = kRelu;
  } else if (kind == OpKind::power && layer.version.empty()) {
    numbers = kPower;
  }
  for (std::string_view key : numbers) {
    pugi::xml_attribute a = data.attribute(std::string(key).c_str());
    if (a && !is_real_number(a.value())) {
      issue(model, ReaderCheck::invalid_ir_structure, pos(data),
            fmt::format("attribute '{}' of layer '{}' is '{}', not a number", key, layer.name,
                        a.value()));
    }
  }
}

void Reader::check_port_map(IrModel& model, pugi::xml_node node, const Layer& layer) const {
  pugi::xml_node body = node.child("body");
  if (!body) return;
  std::unordered_set<int64_t> body_ids;
  for (pugi::xml_node l : body.child("layers").children("layer")) {
    if (auto id = parse_int(l.attribute("id").value())) body_ids.insert(*id);
  }
  for (pugi::xml_node m : node.child("port_map").children()) {
    std::string_view kind = m.name();
    if (kind != "input" && kind != "output") continue;
    auto external = parse_int(m.attribute("external_port_id").value());
    auto internal = parse_int(m.attribute("internal_layer_id").value());
    if (!external || !internal) {
      issue(model, ReaderCheck::invalid_ir_structure, pos(m),
            fmt::format("port_map <{}> of layer '{}' needs integer 'external_port_id' and "
                        "'internal_layer_id' attributes",
                        kind, layer.name));
      continue;
    }
    const auto& ports = kind == "input" ? layer.inputs : layer.outputs;
    // Loop uses external_port_id -1 for its body's current-iteration and condition ports.
    bool port_ok = (*external == -1 && layer.type == "Loop") ||
                   (*external >= 0 && *external <= UINT32_MAX &&
                    find_port(ports, static_cast<uint32_t>(*external)));
    if (!port_ok) {
      issue(
          model, ReaderCheck::dangling_edge, pos(m),
          fmt::format("port_map of layer '{}' refers to {} port {}, which the layer does not have",
                      layer.name, kind, *external));
    }
    if (!body_ids.count(*internal)) {
      issue(model, ReaderCheck::dangling_edge, pos(m),
            fmt::format("port_map of layer '{}' refers to body layer id {}, which does not exist",
                        layer.name, *internal));
    }
  }
  for (pugi::xml_node e : node.child("back_edges").children("edge")) {
    auto from = parse_int(e.attribute("from-layer").value());
    auto to = parse_int(e.attribute("to-layer").value());
    for (auto [id, what] : {std::pair{from, "from-layer"}, std::pair{to, "to-layer"}}) {
      if (!id || !body_ids.count(*id)) {
        issue(model, ReaderCheck::dangling_edge, pos(e),
              fmt::format("back edge of layer '{}' has {} '{}', which is not a body layer",
                          layer.name, what, e.attribute(what).value()));
      }
    }
  }
}

void Reader::check_rt_info(IrModel& model, pugi::xml_node rt_info, const Layer& layer,
                           std::string_view where) const {
  // IR v11 only: XmlDeserializer::create_node reads a node's and its ports' <rt_info> when the
  // version is above 10, keeps the attributes its factory knows by (name, version), and throws
  // "multiple rt_info attributes are detected" when one comes twice into the same map
  // (src/frontends/ir/src/ir_deserializer.cpp, set_runtime_info).
  std::vector<std::string_view> seen;
  for (pugi::xml_node a : rt_info.children("attribute")) {
    std::string_view name = view(a.attribute("name").value());
    if (view(a.attribute("version").value()) != "0" ||
        std::find(std::begin(kKnownRtAttributes), std::end(kKnownRtAttributes), name) ==
            std::end(kKnownRtAttributes)) {
      continue;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      issue(model, ReaderCheck::invalid_ir_structure, pos(a),
            fmt::format("the rt_info of {} of layer '{}' has attribute '{}' twice: OpenVINO's "
                        "reader refuses a repeated runtime attribute",
                        where, layer.name, name));
    }
    seen.push_back(name);
  }
}

void Reader::read_shape_attribute(IrModel& model, pugi::xml_node data, Layer& layer) const {
  // A v10/v11 Parameter's tensor is the `shape` attribute (Parameter::visit_attributes, read by
  // XmlDeserializer::on_adapter through get_partial_shape_from_attribute); the <dim>s of its
  // output port are not read for it. A malformed shape makes the reader throw.
  std::string_view text = layer.attr("shape");
  std::string error;
  std::optional<PartialShape> shape = parse_partial_shape(text, &error);
  if (!shape) {
    issue(model, ReaderCheck::invalid_dimension, pos(data),
          fmt::format("shape '{}' of Parameter '{}' is not a valid partial shape: {}", text,
                      layer.name, error));
    return;
  }
  if (shape->empty_interval) {
    issue(model, ReaderCheck::invalid_dimension, pos(data),
          fmt::format("shape '{}' of Parameter '{}' has the bound '{}', whose maximum is below its "
                      "minimum: OpenVINO reads an empty interval, which no input size matches",
                      text, layer.name, *shape->empty_interval),
          std::nullopt, Severity::warning);
  }
  if (layer.outputs.empty()) return;
  Port& port = layer.outputs.front();
  bool compatible = shape->dynamic_rank || port.dims.empty() ||
                    (port.dims.size() == shape->dims.size() &&
                     std::equal(port.dims.begin(), port.dims.end(), shape->dims.begin(), overlap));
  if (!compatible) {
    issue(model, ReaderCheck::shape_mismatch, port.pos,
          fmt::format("Parameter '{}' has shape '{}' but its output port declares {}: OpenVINO "
                      "re-infers this shape from the attribute; the IR is stale or hand-edited",
                      layer.name, text, shape_text(port.dims)),
          std::nullopt, Severity::warning);
  }
  port.dims = shape->dims;
  port.dynamic_rank = shape->dynamic_rank;
}

bool Reader::read_layer(IrModel& model, pugi::xml_node node, bool legacy, Layer& layer) const {
  layer.pos = pos(node);
  check_attribute_lengths(model, node);
  if (!read_layer_attributes(model, node, layer)) return false;
  pugi::xml_node data = node.child("data");
  read_data(model, node, data, layer);
  read_ports(model, node.child("input"), layer.inputs, layer);
  read_ports(model, node.child("output"), layer.outputs, layer);
  if (!legacy && layer.kind == OpKind::parameter && data && data.attribute("shape")) {
    read_shape_attribute(model, data, layer);
  }
  read_blobs(model, node, layer);
  if (node.child("port_map") || node.child("back_edges")) check_port_map(model, node, layer);
  read_bodies(model, node, legacy, layer);
  return true;
}

bool Reader::read_layer_attributes(IrModel& model, pugi::xml_node node, Layer& layer) const {
  // One pass over the attributes instead of a lookup per name; the first of duplicates wins,
  // as with xml_node::attribute().
  pugi::xml_attribute id_attr, name_attr, type_attr, version_attr, precision_attr;
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view key = a.name();
    pugi::xml_attribute* slot = key == "id"          ? &id_attr
                                : key == "name"      ? &name_attr
                                : key == "type"      ? &type_attr
                                : key == "version"   ? &version_attr
                                : key == "precision" ? &precision_attr
                                                     : nullptr;
    if (slot && !*slot) *slot = a;
  }
  auto id = parse_int(id_attr.value());
  layer.name = view(name_attr.value());
  layer.type = view(type_attr.value());
  layer.version = view(version_attr.value());
  layer.precision = view(precision_attr.value());
  if (!id) {
    issue(model, ReaderCheck::invalid_ir_structure, layer.pos,
          fmt::format("layer '{}' has no valid 'id' attribute (got '{}')", layer.name,
                      id_attr.value()));
    return false;
  }
  layer.id = *id;
  if (layer.type.empty()) {
    issue(model, ReaderCheck::invalid_ir_structure, layer.pos,
          fmt::format("layer '{}' (id {}) has no 'type' attribute", layer.name, layer.id));
  }
  return true;
}

void Reader::read_data(IrModel& model, pugi::xml_node node, pugi::xml_node data,
                       Layer& layer) const {
  if (data) {
    check_attribute_lengths(model, data);
    for (pugi::xml_attribute a : data.attributes()) layer.data.push_back({a.name(), a.value()});
  }
  layer.kind = op_kind(layer);  // legacy kinds depend on <data>
  if (data) check_attribute_types(model, data, layer);
  if (pugi::xml_node rt = node.child("rt_info"); rt && model.ir_version >= 11) {
    check_rt_info(model, rt, layer, "the node");
  }
  if (pugi::xml_node rt = node.child("rt_info")) {
    for (pugi::xml_node a : rt.children("attribute")) {
      layer.rt_info.push_back(
          {view(a.attribute("name").value()), view(a.attribute("value").value())});
    }
  }
}

// OpenVINO's IR reader refuses a Const whose `size` is smaller than its shape holds in its
// element type: XmlDeserializer::on_adapter for the Const's AlignedBuffer throws "Attribute and
// shape size are inconsistent" when size < ceil(shape_size * bitwidth / 8) (2021.4
// ie_ir_parser.cpp; 2022.1 and later src/frontends/ir/src/ir_deserializer.cpp). A larger size
// is accepted.
void Reader::check_const_size(IrModel& model, const Layer& layer, uint64_t size) const {
  std::optional<unsigned> bits = element_bits(layer.attr("element_type"));
  auto dims = parse_int_list(layer.attr("shape"));
  if (!bits || !dims) return;
  Shape shape;
  for (int64_t d : *dims) {
    if (d < 0) return;
    shape.push_back(Dim{d, d});
  }
  std::optional<uint64_t> count = element_count(shape);
  if (!count || *count > (std::numeric_limits<uint64_t>::max() - 7) / *bits) return;
  uint64_t needed = (*count * *bits + 7) / 8;
  if (size >= needed) return;
  issue(model, ReaderCheck::invalid_ir_structure, layer.pos,
        fmt::format("Const '{}' declares size {} but its shape {} of {} needs {} bytes: OpenVINO's "
                    "reader refuses it (\"Attribute and shape size are inconsistent\")",
                    layer.name, size, shape_text(shape), layer.attr("element_type"), needed),
        std::nullopt);
}

void Reader::read_blobs(IrModel& model, pugi::xml_node node, Layer& layer) const {
  if (layer.type == "Const" && layer.has_attr("offset")) {
    auto offset = parse_int(layer.attr("offset"));
    auto size = parse_int(layer.attr("size"));
    if (!offset || !size || *offset < 0 || *size < 0) {
      issue(model, ReaderCheck::invalid_ir_structure, layer.pos,
            fmt::format("Const '{}' has an invalid offset '{}' or size '{}'", layer.name,
                        layer.attr("offset"), layer.attr("size")));
    } else {
      layer.blobs.push_back({"custom", layer.attr("element_type"), static_cast<uint64_t>(*offset),
                             static_cast<uint64_t>(*size), layer.pos});
      check_const_size(model, layer, static_cast<uint64_t>(*size));
    }
  }
  for (pugi::xml_node b : node.child("blobs").children()) {
    auto offset = parse_int(b.attribute("offset").value());
    auto size = parse_int(b.attribute("size").value());
    if (!offset || !size || *offset < 0 || *size < 0) {
      issue(model, ReaderCheck::invalid_ir_structure, pos(b),
            fmt::format("blob '{}' of layer '{}' has an invalid offset or size", b.name(),
                        layer.name));
      continue;
    }
    std::string_view precision = view(b.attribute("precision").value());
    if (precision.empty()) precision = layer.precision;
    layer.blobs.push_back({view(b.name()), precision, static_cast<uint64_t>(*offset),
                           static_cast<uint64_t>(*size), pos(b)});
  }
}

void Reader::read_bodies(IrModel& model, pugi::xml_node node, bool legacy, Layer& layer) const {
  for (pugi::xml_node child : node.children()) {
    std::string_view tag = child.name();
    if (tag != "body" && tag != "then_body" && tag != "else_body") continue;
    auto body = std::make_shared<IrModel>();
    body->path = model.path;
    body->ir_version = model.ir_version;
    body->depth = model.depth + 1;
    body->text = model.text;
    if (body->depth > limits_.max_body_depth) {
      issue(model, ReaderCheck::limit_exceeded, pos(child),
            fmt::format("body of layer '{}' is nested {} levels deep, more than the limit of {}",
                        layer.name, body->depth, limits_.max_body_depth));
      continue;
    }
    read_graph(*body, child, legacy);
    // A body's problems are the file's problems: report them at the top level too.
    for (ReaderIssue& i : body->issues) {
      i.layer.reset();
      model.issues.push_back(std::move(i));
    }
    body->issues.clear();
    layer.bodies.push_back(std::move(body));
  }
}

}  // namespace irlint::detail
