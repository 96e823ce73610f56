#include "reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <pugixml.hpp>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "op.hpp"
#include "text.hpp"
#include "threads.hpp"

namespace irlint {
namespace {

constexpr std::string_view kMalformedXml = "malformed-xml";
constexpr std::string_view kUnreadable = "unreadable-file";
constexpr std::string_view kInvalidStructure = "invalid-ir-structure";
constexpr std::string_view kUnsupportedVersion = "unsupported-ir-version";
constexpr std::string_view kDuplicateId = "duplicate-layer-id";
constexpr std::string_view kDanglingEdge = "dangling-edge";
constexpr std::string_view kPortFedTwice = "port-fed-twice";
constexpr std::string_view kInvalidDimension = "invalid-dimension";
constexpr std::string_view kLimitExceeded = "limit-exceeded";
constexpr std::string_view kShapeMismatch = "shape-mismatch";

std::string_view view(const char* s) { return s ? std::string_view(s) : std::string_view(); }

std::optional<int64_t> parse_int(std::string_view text) {
  return parse_attribute_number<int64_t>(text);
}

bool parse_number(std::string_view text) {
  text = drop_plus(trim(text, " "));
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // A value out of double's range ("1e999") is still a number; OpenVINO clamps it.
  return !text.empty() && end == text.data() + text.size() &&
         (ec == std::errc() || ec == std::errc::result_out_of_range);
}

/// Offset of the first byte that is not part of a well-formed UTF-8 sequence, or npos.
size_t invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    // ASCII fast path: eight bytes without a high bit at once.
    while (i + 8 <= n) {
      uint64_t word = 0;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0xFFu >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

/// Integer-list attributes the planner and the work model read, checked in every layer.
constexpr std::string_view kIntListAttributes[] = {"strides",  "dilations", "pads_begin",
                                                   "pads_end", "kernel",    "group"};

/// IR v2-v7: layers with `<blobs>` and precision attributes instead of opsets.
bool legacy_version(int64_t version) { return version >= 2 && version <= 7; }

/// Threads that read a file's chunks.
unsigned read_threads(const ReadLimits& limits) {
  return limits.read_threads ? limits.read_threads
                             : std::max(1u, std::thread::hardware_concurrency());
}

/// Finds a port by id; ports are usually numbered densely, so try the direct index first.
const Port* find_port(const std::vector<Port>& ports, uint32_t id) {
  if (!ports.empty()) {
    uint32_t first = ports.front().id;
    if (id >= first && id - first < ports.size() && ports[id - first].id == id) {
      return &ports[id - first];
    }
    // Sparse but increasing ids (0, 2, 4, …): a binary search finds them; a shuffled
    // order falls through to the scan.
    size_t lo = 0;
    size_t hi = ports.size();
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (ports[mid].id == id) return &ports[mid];
      if (ports[mid].id < id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  }
  for (const Port& p : ports) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

/// True when the ports are numbered consecutively, so that find_port() answers in O(1).
bool dense(const std::vector<Port>& ports) {
  for (size_t i = 1; i < ports.size(); ++i) {
    if (ports[i].id != ports[0].id + i) return false;
  }
  return true;
}

/// Layer id -> vertex. Ids are usually 0..n-1, so a vector answers; ids far outside that range
/// (negative, huge, sparse) fall back to a hash map, so a hostile id costs no memory.
class IdIndex {
 public:
  explicit IdIndex(size_t count) : limit_(static_cast<int64_t>(count) * 2 + 64) {}

  /// Inserts `id`; returns the vertex already recorded for it, or nullopt when it is new.
  std::optional<Vertex> insert(int64_t id, Vertex v) {
    if (id >= 0 && id < limit_) {
      auto i = static_cast<size_t>(id);
      if (i >= dense_.size()) dense_.resize(std::max(i + 1, dense_.size() * 2), kNone);
      if (dense_[i] != kNone) return dense_[i];
      dense_[i] = v;
      return std::nullopt;
    }
    auto [it, inserted] = sparse_.emplace(id, v);
    if (!inserted) return it->second;
    return std::nullopt;
  }
  std::optional<Vertex> find(int64_t id) const {
    if (id >= 0 && id < limit_) {
      auto i = static_cast<size_t>(id);
      if (i < dense_.size() && dense_[i] != kNone) return dense_[i];
      return std::nullopt;
    }
    auto it = sparse_.find(id);
    if (it == sparse_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr Vertex kNone = ~Vertex{0};
  int64_t limit_;
  std::vector<Vertex> dense_;
  std::unordered_map<int64_t, Vertex> sparse_;
};

constexpr unsigned kParseFlags = pugi::parse_default | pugi::parse_ws_pcdata_single |
                                 pugi::parse_doctype | pugi::parse_embed_pcdata;

/// Maps an offset in the buffer a document was parsed from to an offset in the file.
struct OffsetMap {
  size_t size = SIZE_MAX;   ///< bytes of the buffer
  size_t base = 0;          ///< where the buffer starts in the file
  size_t split = SIZE_MAX;  ///< offsets from here on lie after a gap
  size_t gap = 0;           ///< bytes of the file left out of the buffer at `split`
  size_t map(size_t offset) const {
    offset += base;
    return offset >= split ? offset + gap : offset;
  }
};

class ChunkReading;

/// An `<edge>` as written, before its layers are looked up.
struct RawEdge {
  int64_t from_layer = 0, from_port = 0, to_layer = 0, to_port = 0;
  bool valid = false;  ///< four integer attributes, the ports within 0..2^32-1
  SourcePos at;
};

/// A `<layers>` element read in chunks: the pieces of the file's text, parsed in place, and
/// their reading when it was started before the rest of the file was read.
struct ChunkSource {
  const LayerChunks& chunks;
  char* text;
  ChunkReading* early = nullptr;
};

/// A chunk of `<layers>` that pugixml rejected: the file is read again as one document, for the
/// diagnostic that describes the whole file.
struct ChunkRejected {};

/// Everything one read shares: the text, its line table, limits and the issue sink.
class Reader {
 public:
  Reader(std::string_view text, const LineTable& lines, const ReadLimits& limits)
      : text_(text), lines_(lines), limits_(limits) {}

  SourcePos pos(pugi::xml_node node) const {
    ptrdiff_t offset = node.offset_debug();
    if (offset <= 0) return {};
    // offset_debug points at the element name; the element starts at the '<' before it.
    return lines_.position(map_.map(static_cast<size_t>(offset - 1)), hint_);
  }

  /// Where the documents parsed next lie in the file.
  void set_offsets(OffsetMap map) const { map_ = map; }

  void issue(IrModel& model, std::string_view rule, SourcePos at, std::string message,
             std::optional<Vertex> layer = std::nullopt,
             Severity severity = Severity::error) const {
    model.issues.push_back({rule, severity, at, layer, std::move(message), {}});
  }

  /// Fills `model` from a `<net>` or a body element; returns false when nothing usable was read.
  /// With `chunks`, the layers come from the chunks instead of `root`'s empty `<layers>`; a
  /// chunk pugixml rejects throws ChunkRejected.
  bool read_graph(IrModel& model, pugi::xml_node root, bool legacy,
                  const ChunkSource* chunks = nullptr) const;

 private:
  friend class ChunkReading;
  bool read_layer(IrModel& model, pugi::xml_node node, bool legacy, Layer& layer) const;
  void read_chunks(IrModel& model, const ChunkSource& chunks, bool legacy, IdIndex& by_id) const;
  void read_ports(IrModel& model, pugi::xml_node node, std::vector<Port>& ports,
                  const Layer& layer) const;
  std::vector<RawEdge> collect_edges(pugi::xml_node edges) const;
  void read_edges(IrModel& model, const std::vector<RawEdge>& edges, const IdIndex& by_id,
                  std::vector<std::pair<Vertex, Vertex>>& added) const;
  void check_attribute_lengths(IrModel& model, pugi::xml_node node) const;
  void check_attribute_types(IrModel& model, pugi::xml_node data, const Layer& layer) const;
  void check_port_map(IrModel& model, pugi::xml_node node, const Layer& layer) const;
  void read_shape_attribute(IrModel& model, pugi::xml_node data, Layer& layer) const;
  void check_rt_info(IrModel& model, pugi::xml_node rt_info, const Layer& layer,
                     std::string_view where) const;

  std::string_view text_;
  const LineTable& lines_;
  const ReadLimits& limits_;
  mutable OffsetMap map_;
  mutable size_t hint_ = 0;  ///< of the line table, per reader: chunks are read in parallel
};

void Reader::check_attribute_lengths(IrModel& model, pugi::xml_node node) const {
  // No value is longer than the buffer it was parsed from.
  if (map_.size <= limits_.max_attribute_bytes) return;
  for (pugi::xml_attribute a : node.attributes()) {
    if (std::strlen(a.value()) > limits_.max_attribute_bytes) {
      issue(model, kLimitExceeded, pos(node),
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
      issue(model, kInvalidStructure, port.pos,
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
    for (pugi::xml_node d : p.children("dim")) {
      auto dim = parse_dim(d.child_value());
      if (!dim) {
        issue(model, kInvalidDimension, pos(d),
              fmt::format("dimension '{}' of port {} of layer '{}' is not a valid size",
                          d.child_value(), port.id, layer.name));
        dim = Dim{0, Dim::kUnbounded};
      }
      port.dims.push_back(*dim);
    }
    bool all_static =
        std::all_of(port.dims.begin(), port.dims.end(), [](const Dim& d) { return d.is_static(); });
    if (all_static) {
      auto count = element_count(port.dims);
      if (!count) {
        issue(model, kInvalidDimension, port.pos,
              fmt::format("port {} of layer '{}' holds 2^64 elements or more: the dimensions "
                          "overflow a 64-bit count",
                          port.id, layer.name));
      } else if (*count > limits_.max_elements) {
        issue(model, kLimitExceeded, port.pos,
              fmt::format("port {} of layer '{}' holds {} elements, more than the limit of {}",
                          port.id, layer.name, *count, limits_.max_elements));
      }
    }
    if (!indexed && !ports.empty() && port.id <= ports.back().id) {
      // Ids no longer increase: from now on a set of the ids seen finds duplicates.
      for (const Port& q : ports) seen.insert(q.id);
      indexed = true;
    }
    if (indexed && !seen.insert(port.id).second) {
      issue(model, kInvalidStructure, port.pos,
            fmt::format("layer '{}' declares port id {} twice", layer.name, port.id));
      continue;
    }
    ports.push_back(std::move(port));
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
      issue(model, kInvalidStructure, pos(data),
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
    if (a && !parse_number(a.value())) {
      issue(model, kInvalidStructure, pos(data),
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
      issue(model, kInvalidStructure, pos(m),
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
          model, kDanglingEdge, pos(m),
          fmt::format("port_map of layer '{}' refers to {} port {}, which the layer does not have",
                      layer.name, kind, *external));
    }
    if (!body_ids.count(*internal)) {
      issue(model, kDanglingEdge, pos(m),
            fmt::format("port_map of layer '{}' refers to body layer id {}, which does not exist",
                        layer.name, *internal));
    }
  }
  for (pugi::xml_node e : node.child("back_edges").children("edge")) {
    auto from = parse_int(e.attribute("from-layer").value());
    auto to = parse_int(e.attribute("to-layer").value());
    for (auto [id, what] : {std::pair{from, "from-layer"}, std::pair{to, "to-layer"}}) {
      if (!id || !body_ids.count(*id)) {
        issue(model, kDanglingEdge, pos(e),
              fmt::format("back edge of layer '{}' has {} '{}', which is not a body layer",
                          layer.name, what, e.attribute(what).value()));
      }
    }
  }
}

/// "[1,3,?,100..200]", "[...]" for a dynamic rank.
std::string shape_text(const Shape& dims, bool dynamic_rank = false) {
  if (dynamic_rank) return "[...]";
  std::string out = "[";
  for (const Dim& d : dims) {
    if (out.size() > 1) out += ",";
    if (d.is_static()) {
      out += std::to_string(d.min);
    } else if (d.min == 0 && d.max == Dim::kUnbounded) {
      out += "?";
    } else {
      out += fmt::format("{}..{}", d.min > 0 ? std::to_string(d.min) : "",
                         d.max == Dim::kUnbounded ? "" : std::to_string(d.max));
    }
  }
  return out + "]";
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
      issue(model, kInvalidStructure, pos(a),
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
    issue(model, kInvalidDimension, pos(data),
          fmt::format("shape '{}' of Parameter '{}' is not a valid partial shape: {}", text,
                      layer.name, error));
    return;
  }
  if (shape->empty_interval) {
    issue(model, kInvalidDimension, pos(data),
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
    issue(model, kShapeMismatch, port.pos,
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
    issue(model, kInvalidStructure, layer.pos,
          fmt::format("layer '{}' has no valid 'id' attribute (got '{}')", layer.name,
                      id_attr.value()));
    return false;
  }
  layer.id = *id;
  if (layer.type.empty()) {
    issue(model, kInvalidStructure, layer.pos,
          fmt::format("layer '{}' (id {}) has no 'type' attribute", layer.name, layer.id));
  }
  pugi::xml_node data = node.child("data");
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
  read_ports(model, node.child("input"), layer.inputs, layer);
  read_ports(model, node.child("output"), layer.outputs, layer);
  if (!legacy && layer.kind == OpKind::parameter && data && data.attribute("shape")) {
    read_shape_attribute(model, data, layer);
  }
  if (layer.type == "Const" && layer.has_attr("offset")) {
    auto offset = parse_int(layer.attr("offset"));
    auto size = parse_int(layer.attr("size"));
    if (!offset || !size || *offset < 0 || *size < 0) {
      issue(model, kInvalidStructure, layer.pos,
            fmt::format("Const '{}' has an invalid offset '{}' or size '{}'", layer.name,
                        layer.attr("offset"), layer.attr("size")));
    } else {
      layer.blobs.push_back({"custom", layer.attr("element_type"), static_cast<uint64_t>(*offset),
                             static_cast<uint64_t>(*size), layer.pos});
    }
  }
  for (pugi::xml_node b : node.child("blobs").children()) {
    auto offset = parse_int(b.attribute("offset").value());
    auto size = parse_int(b.attribute("size").value());
    if (!offset || !size || *offset < 0 || *size < 0) {
      issue(model, kInvalidStructure, pos(b),
            fmt::format("blob '{}' of layer '{}' has an invalid offset or size", b.name(),
                        layer.name));
      continue;
    }
    std::string_view precision = view(b.attribute("precision").value());
    if (precision.empty()) precision = layer.precision;
    layer.blobs.push_back({view(b.name()), precision, static_cast<uint64_t>(*offset),
                           static_cast<uint64_t>(*size), pos(b)});
  }
  if (node.child("port_map") || node.child("back_edges")) check_port_map(model, node, layer);
  for (pugi::xml_node child : node.children()) {
    std::string_view tag = child.name();
    if (tag != "body" && tag != "then_body" && tag != "else_body") continue;
    auto body = std::make_shared<IrModel>();
    body->path = model.path;
    body->ir_version = model.ir_version;
    body->depth = model.depth + 1;
    body->text = model.text;
    if (body->depth > limits_.max_body_depth) {
      issue(model, kLimitExceeded, pos(child),
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
  return true;
}

std::vector<RawEdge> Reader::collect_edges(pugi::xml_node edges) const {
  std::vector<RawEdge> out;
  for (pugi::xml_node e : edges.children("edge")) {
    RawEdge& r = out.emplace_back();
    r.at = pos(e);
    auto from_layer = parse_int(e.attribute("from-layer").value());
    auto from_port = parse_int(e.attribute("from-port").value());
    auto to_layer = parse_int(e.attribute("to-layer").value());
    auto to_port = parse_int(e.attribute("to-port").value());
    r.valid = from_layer && from_port && to_layer && to_port && *from_port >= 0 && *to_port >= 0 &&
              *from_port <= UINT32_MAX && *to_port <= UINT32_MAX;
    if (!r.valid) continue;
    r.from_layer = *from_layer;
    r.from_port = *from_port;
    r.to_layer = *to_layer;
    r.to_port = *to_port;
  }
  return out;
}

void Reader::read_edges(IrModel& model, const std::vector<RawEdge>& edges, const IdIndex& by_id,
                        std::vector<std::pair<Vertex, Vertex>>& added) const {
  // One pass over the layers gathers what the edges need of their ports into a compact array:
  // the edges then touch no layer record (each one a cache miss) unless ports are sparse.
  // Dense ports (ids consecutive) are found by index; layers whose ids are not get a hash
  // index, so that a hostile layer with many shuffled port ids still costs O(1) per edge.
  struct Ports {
    size_t input_base;  ///< this layer's first slot in `fed`
    uint32_t first_in, inputs, first_out, outputs;
    bool sparse;
  };
  struct PortKey {
    Vertex v;
    bool input;
    uint32_t id;
    bool operator==(const PortKey&) const = default;
  };
  struct PortHash {
    size_t operator()(const PortKey& k) const {
      return std::hash<uint64_t>()((static_cast<uint64_t>(k.v) << 33) ^
                                   (static_cast<uint64_t>(k.input) << 32) ^ k.id);
    }
  };
  std::unordered_map<PortKey, size_t, PortHash> sparse;  // -> index in inputs or outputs
  size_t n = boost::num_vertices(model.graph);
  std::vector<Ports> ports(n);
  size_t input_slots = 0;
  for (Vertex v = 0; v < n; ++v) {
    const Layer& l = model.graph[v];
    auto first = [](const std::vector<Port>& p) { return p.empty() ? 0 : p.front().id; };
    ports[v] = {input_slots,
                first(l.inputs),
                static_cast<uint32_t>(l.inputs.size()),
                first(l.outputs),
                static_cast<uint32_t>(l.outputs.size()),
                !dense(l.inputs) || !dense(l.outputs)};
    input_slots += l.inputs.size();
    if (!ports[v].sparse) continue;
    for (size_t i = 0; i < l.inputs.size(); ++i) {
      sparse.emplace(PortKey{v, true, l.inputs[i].id}, i);
    }
    for (size_t i = 0; i < l.outputs.size(); ++i) {
      sparse.emplace(PortKey{v, false, l.outputs[i].id}, i);
    }
  }
  // Input ports already fed, by slot; bounded by the number of ports.
  std::vector<uint8_t> fed(input_slots, 0);
  // The index of port `id` among the layer's inputs or outputs, or nullopt.
  auto lookup = [&](Vertex v, bool input, uint32_t id) -> std::optional<size_t> {
    const Ports& p = ports[v];
    if (p.sparse) {
      auto it = sparse.find(PortKey{v, input, id});
      return it == sparse.end() ? std::nullopt : std::optional(it->second);
    }
    uint32_t first = input ? p.first_in : p.first_out;
    uint32_t count = input ? p.inputs : p.outputs;
    if (id < first || id - first >= count) return std::nullopt;
    return id - first;
  };
  for (const RawEdge& e : edges) {
    if (!e.valid) {
      issue(model, kInvalidStructure, e.at,
            "edge needs integer 'from-layer', 'from-port', 'to-layer' and 'to-port' attributes");
      continue;
    }
    std::optional<Vertex> from = by_id.find(e.from_layer);
    std::optional<Vertex> to = by_id.find(e.to_layer);
    if (!to && !legacy_version(model.ir_version)) {
      // The v10/v11 reader files each edge under its to-layer and builds the graph by a walk
      // from the Result and Assign layers up their input edges (XmlDeserializer::parse_function
      // in src/frontends/ir/src/ir_deserializer.cpp, 2022.1 to now): an edge into a layer that
      // does not exist is never looked at. The legacy reader throws on it (below).
      issue(model, kDanglingEdge, e.at,
            fmt::format("edge into layer id {}, which does not exist: OpenVINO's reader ignores "
                        "it",
                        e.to_layer),
            std::nullopt, Severity::warning);
      continue;
    }
    if (!from || !to) {
      // A missing from-layer fails the v10/v11 reader once it builds the consumer ("Attempt to
      // access node … that not in graph"); the legacy reader (ir_reader_v7/ie_format_parser.cpp,
      // FormatParser::Parse and SetLayerInput) throws on either end.
      issue(model, kDanglingEdge, e.at,
            fmt::format("edge refers to layer id {}, which does not exist",
                        !from ? e.from_layer : e.to_layer));
      continue;
    }
    auto from_port = static_cast<uint32_t>(e.from_port);
    auto to_port = static_cast<uint32_t>(e.to_port);
    std::optional<size_t> out = lookup(*from, false, from_port);
    std::optional<size_t> in = lookup(*to, true, to_port);
    if (!out || !in) {
      bool bad_out = !out;
      issue(model, kDanglingEdge, e.at,
            fmt::format("edge refers to {} port {} of layer '{}', which has no such port",
                        bad_out ? "output" : "input", bad_out ? from_port : to_port,
                        model.graph[bad_out ? *from : *to].name),
            bad_out ? *from : *to);
      continue;
    }
    size_t slot = ports[*to].input_base + *in;
    if (fed[slot]) {
      issue(model, kPortFedTwice, e.at,
            fmt::format("input port {} of layer '{}' is fed by more than one edge", to_port,
                        model.graph[*to].name),
            *to);
      continue;
    }
    fed[slot] = 1;
    added.emplace_back(*from, *to);
    boost::add_edge(*from, *to, Connection{from_port, to_port, e.at}, model.graph);
  }
}

/// The order boost::depth_first_search finishes the vertices in (vertices in index order, each
/// one's out-edges in the order they were added), reversed: a topological order; empty when an
/// edge leads back to a vertex still on the path (a cycle). It runs on a compact copy of the
/// adjacency, as the graph's own lists sit one per vertex record, a cache miss each.
std::vector<Vertex> topological_order(size_t n,
                                      const std::vector<std::pair<Vertex, Vertex>>& edges) {
  std::vector<size_t> first(n + 1, 0);
  for (const auto& e : edges) ++first[e.first + 1];
  for (size_t v = 0; v < n; ++v) first[v + 1] += first[v];
  std::vector<Vertex> targets(edges.size());
  std::vector<size_t> fill(first.begin(), first.end() - 1);
  for (const auto& e : edges) targets[fill[e.first]++] = e.second;
  enum : uint8_t { kNew, kOnPath, kDone };
  std::vector<uint8_t> state(n, kNew);
  std::vector<std::pair<Vertex, size_t>> path;  // vertex, its next out-edge
  std::vector<Vertex> order;
  order.reserve(n);
  for (Vertex root = 0; root < n; ++root) {
    if (state[root] != kNew) continue;
    state[root] = kOnPath;
    path.emplace_back(root, first[root]);
    while (!path.empty()) {
      auto& [v, next] = path.back();
      if (next == first[v + 1]) {
        state[v] = kDone;
        order.push_back(v);
        path.pop_back();
        continue;
      }
      Vertex w = targets[next++];
      if (state[w] == kOnPath) return {};
      if (state[w] == kNew) {
        state[w] = kOnPath;
        path.emplace_back(w, first[w]);
      }
    }
  }
  std::reverse(order.begin(), order.end());
  return order;
}

/// Reports a layer whose id an earlier layer already has.
void report_duplicate(IrModel& model, const Layer& first, const Layer& layer) {
  model.issues.push_back(
      {kDuplicateId,
       Severity::error,
       layer.pos,
       std::nullopt,
       fmt::format("layer id {} is used twice ('{}' and '{}')", layer.id, first.name, layer.name),
       {{fmt::format("first use of id {} is here", layer.id), first.pos}}});
}

/// Reads the chunks of `<layers>` into the model's vertex slots: each chunk's layers go to their
/// own range of slots (the scan counted them), read by as many threads as there are cores. Each
/// chunk's DOM is dropped once read: the DOM of the whole file never sits in memory. It may
/// start before the rest of the file is parsed, on the version the `<net>` tag gives;
/// Reader::read_chunks() then checks that version against the one read.
class ChunkReading {
 public:
  struct Piece {
    IrModel sink;                   ///< the chunk's issues (and what bodies inherit)
    std::vector<size_t> issue_end;  ///< per layer read: the sink's issue count after it
    bool rejected = false;
    std::exception_ptr error;
  };

  ChunkReading(const Reader& reader, IrModel& model, const ChunkSource& source, bool legacy,
               int ir_version)
      : base_(reader), model_(model), source_(source), legacy_(legacy), ir_version_(ir_version) {
    const std::vector<LayerChunks::Chunk>& pieces = source.chunks.chunks;
    first_slot.assign(pieces.size() + 1, 0);
    for (size_t k = 0; k < pieces.size(); ++k) {
      first_slot[k + 1] = first_slot[k] + pieces[k].layers;
    }
    model.graph.m_vertices.clear();
    model.graph.m_vertices.resize(first_slot.back());
    kept.assign(first_slot.back(), 0);
    results.resize(pieces.size());
  }
  ~ChunkReading() { abandon(); }
  ChunkReading(const ChunkReading&) = delete;
  ChunkReading& operator=(const ChunkReading&) = delete;

  /// Starts up to `threads` threads reading pieces.
  void start(unsigned threads) {
    try {
      for (unsigned t = 0; t < std::min<size_t>(threads, results.size()); ++t) {
        pool_.push_back(start_thread([this] { work(); }));
      }
    } catch (const std::system_error&) {  // fewer threads: finish() reads what is left
    }
  }
  /// Reads what is left on this thread too and waits for the others; rethrows a piece's error,
  /// throws ChunkRejected when pugixml rejected a piece.
  void finish() {
    work();
    for (std::thread& t : pool_) t.join();
    pool_.clear();
    for (Piece& r : results) {
      if (r.error) std::rethrow_exception(r.error);
      if (r.rejected) throw ChunkRejected{};
    }
  }
  /// Stops taking pieces and waits for the threads; what was read is not to be used.
  void abandon() {
    next_ = results.size();
    for (std::thread& t : pool_) t.join();
    pool_.clear();
  }
  bool read_as(bool legacy, int ir_version) const {
    return legacy == legacy_ && ir_version == ir_version_;
  }

  std::vector<size_t> first_slot;  ///< per piece: its first vertex slot
  std::vector<uint8_t> kept;       ///< per slot: a layer was read there
  std::vector<Piece> results;

 private:
  void work() {
    Reader reader = base_;  // its own offset map and line hint
    for (size_t k; (k = next_++) < results.size();) {
      try {
        read_piece(k, reader);
      } catch (...) {
        results[k].error = std::current_exception();
      }
    }
  }
  void read_piece(size_t k, const Reader& reader) {
    Piece& r = results[k];
    r.sink.path = model_.path;
    r.sink.ir_version = ir_version_;
    r.sink.depth = model_.depth;
    r.sink.text = model_.text;
    pugi::xml_document doc;
    const LayerChunks::Chunk& c = source_.chunks.chunks[k];
    if (!doc.load_buffer_inplace(source_.text + c.begin, c.end - c.begin,
                                 kParseFlags | pugi::parse_fragment, pugi::encoding_utf8)) {
      r.rejected = true;
      return;
    }
    reader.map_ = {c.end - c.begin, c.begin, SIZE_MAX, 0};
    size_t slot = first_slot[k];
    auto& slots = model_.graph.m_vertices;
    for (pugi::xml_node n = doc.child("layer"); n; n = n.next_sibling("layer"), ++slot) {
      if (slot == first_slot[k + 1]) {  // more layers than the scan counted: read it whole
        r.rejected = true;
        return;
      }
      kept[slot] = reader.read_layer(r.sink, n, legacy_, slots[slot].m_property);
      r.issue_end.push_back(r.sink.issues.size());
    }
  }

  const Reader base_;  // copied once: the caller's reader moves on to other documents
  IrModel& model_;
  const ChunkSource& source_;
  bool legacy_;
  int ir_version_;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> pool_;
};

void Reader::read_chunks(IrModel& model, const ChunkSource& source, bool legacy,
                         IdIndex& by_id) const {
  // The reading started early is used when it read the layers as the header says; otherwise
  // they are read now. Then, in file order, the issues are gathered and the layers that were not
  // read or repeat an id are squeezed out.
  std::optional<ChunkReading> now;
  ChunkReading* reading = source.early;
  if (!reading || !reading->read_as(legacy, model.ir_version)) {
    if (reading) reading->abandon();  // its threads leave the slots before they are reset
    reading = &now.emplace(*this, model, source, legacy, model.ir_version);
    reading->start(read_threads(limits_) - 1);
  }
  reading->finish();
  const std::vector<LayerChunks::Chunk>& pieces = source.chunks.chunks;
  const std::vector<size_t>& first_slot = reading->first_slot;
  const std::vector<uint8_t>& kept = reading->kept;
  std::vector<ChunkReading::Piece>& results = reading->results;
  auto& slots = model.graph.m_vertices;
  Vertex next_vertex = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    ChunkReading::Piece& r = results[k];
    size_t issue = 0;
    for (size_t i = 0; i < r.issue_end.size(); ++i) {
      for (; issue < r.issue_end[i]; ++issue)
        model.issues.push_back(std::move(r.sink.issues[issue]));
      size_t slot = first_slot[k] + i;
      if (!kept[slot]) continue;
      Layer& layer = slots[slot].m_property;
      if (std::optional<Vertex> seen = by_id.insert(layer.id, next_vertex)) {
        report_duplicate(model, model.graph[*seen], layer);
        continue;
      }
      if (slot != next_vertex) model.graph[next_vertex] = std::move(layer);
      ++next_vertex;
    }
    r = ChunkReading::Piece{};
  }
  slots.resize(next_vertex);
}

bool Reader::read_graph(IrModel& model, pugi::xml_node root, bool legacy,
                        const ChunkSource* chunks) const {
  pugi::xml_node layers = root.child("layers");
  if (!layers) {
    issue(model, kInvalidStructure, pos(root),
          fmt::format("<{}> has no <layers> element", root.name()));
    return false;
  }
  size_t count = 0;
  if (chunks) {
    count = chunks->chunks.layer_count;
  } else {
    for (pugi::xml_node n = layers.child("layer"); n; n = n.next_sibling("layer")) ++count;
  }
  if (count > limits_.max_layers) {
    issue(model, kLimitExceeded, pos(layers),
          fmt::format("the model has {} layers, more than the limit of {}", count,
                      limits_.max_layers));
    return false;
  }
  IdIndex by_id(count);
  if (!chunks) model.graph.m_vertices.reserve(count);  // chunks fill slots of their own
  Vertex next_vertex = 0;
  auto take = [&](pugi::xml_node n) {
    // Read in place at the end of the vertex list; a layer that is not kept is popped again
    // (no edge exists yet, so nothing refers to it).
    model.graph.m_vertices.emplace_back();
    Layer& layer = model.graph[next_vertex];
    bool ok = read_layer(model, n, legacy, layer);
    std::optional<Vertex> seen = ok ? by_id.insert(layer.id, next_vertex) : std::nullopt;
    if (seen) report_duplicate(model, model.graph[*seen], layer);
    if (!ok || seen) {
      model.graph.m_vertices.pop_back();
    } else {
      ++next_vertex;
    }
  };
  pugi::xml_node edges = root.child("edges");
  std::vector<RawEdge> raw_edges;
  if (chunks) {
    // The edges (in the skeleton) are collected while the other threads read layers.
    if (edges) raw_edges = collect_edges(edges);
    read_chunks(model, *chunks, legacy, by_id);
  } else {
    for (pugi::xml_node n = layers.child("layer"), next; n; n = next) {
      next = n.next_sibling("layer");
      take(n);
      // The layer's DOM is no longer needed: freeing it as we go lets the model reuse its pages.
      layers.remove_child(n);
    }
    if (edges) raw_edges = collect_edges(edges);  // in document order, after the layers
  }
  std::vector<std::pair<Vertex, Vertex>> added;
  if (edges) {
    read_edges(model, raw_edges, by_id, added);
  } else if (count > 1) {
    issue(model, kInvalidStructure, pos(root),
          fmt::format("<{}> has no <edges> element", root.name()));
  }
  if (pugi::xml_node stats = root.child("statistics")) {
    std::unordered_map<std::string_view, Vertex> by_name;
    for (Vertex v = 0; v < boost::num_vertices(model.graph); ++v) {
      by_name.emplace(model.graph[v].name, v);
    }
    for (pugi::xml_node s : stats.children("layer")) {
      auto it = by_name.find(view(s.child_value("name")));
      if (it != by_name.end()) model.graph[it->second].has_statistics = true;
    }
  }
  model.order = topological_order(boost::num_vertices(model.graph), added);
  return true;
}

void flatten_meta(IrModel& model, const Reader& reader, pugi::xml_node node,
                  const std::string& prefix, int depth, const ReadLimits& limits) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (depth >= limits.max_meta_depth) {
      reader.issue(model, kLimitExceeded, reader.pos(child),
                   fmt::format("<{}> is nested more than {} levels deep in the model's metadata",
                               child.name(), limits.max_meta_depth));
      return;
    }
    std::string key = prefix.empty() ? std::string(child.name()) : prefix + "/" + child.name();
    if (pugi::xml_attribute value = child.attribute("value")) {
      model.meta.push_back({key, value.value()});
    }
    flatten_meta(model, reader, child, key, depth + 1, limits);
  }
}

/// Reads the `<net>` of a parsed document into `model`; with `chunks`, its layers come from them.
void read_net(IrModel& model, const Reader& reader, const pugi::xml_document& doc,
              const ReadLimits& limits, const ChunkSource* chunks) {
  pugi::xml_node net = doc.child("net");
  if (!net) {
    pugi::xml_node first = doc.document_element();
    model.issues.push_back(
        {kInvalidStructure,
         Severity::error,
         first ? reader.pos(first) : SourcePos{1, 1},
         {},
         first ? fmt::format("the root element is <{}>, not <net>: this is not an OpenVINO IR",
                             first.name())
               : std::string("the document has no root element"),
         {}});
    model.fatal = true;
    return;
  }
  model.name = view(net.attribute("name").value());
  auto version = parse_int(net.attribute("version").value());
  if (!version) {
    reader.issue(model, kUnsupportedVersion, reader.pos(net),
                 fmt::format("<net> has no valid 'version' attribute (got '{}')",
                             net.attribute("version").value()));
    model.fatal = true;
    return;
  }
  model.ir_version = static_cast<int>(std::clamp<int64_t>(*version, INT32_MIN, INT32_MAX));
  bool legacy = legacy_version(*version);
  if (!legacy && *version != 10 && *version != 11) {
    reader.issue(model, kUnsupportedVersion, reader.pos(net),
                 fmt::format("IR version {} is not one irlint reads (v3-v7, v10, v11)", *version));
    model.fatal = true;
    return;
  }
  if (!reader.read_graph(model, net, legacy, chunks)) {
    model.fatal = true;
    return;
  }
  flatten_meta(model, reader, net.child("meta_data"), "", 0, limits);
  flatten_meta(model, reader, net.child("rt_info"), "", 0, limits);
}

/// The `version` of a `<net …>` start tag parsed on its own; nullopt when it has none.
std::optional<int64_t> net_version(std::string_view tag) {
  std::string element(tag);
  if (!element.ends_with("/>")) element.insert(element.size() - 1, "/");
  pugi::xml_document doc;
  if (!doc.load_buffer(element.data(), element.size(), kParseFlags, pugi::encoding_utf8)) {
    return std::nullopt;
  }
  return parse_int(doc.child("net").attribute("version").value());
}

/// A fresh copy of the file's text, for a second read (nullptr when it cannot be had).
using Reload = std::function<std::unique_ptr<char[]>()>;

/// Reads the file in chunks (see ReadLimits::chunk_bytes): the skeleton (the text without the
/// content of `<layers>`) as one document, then each chunk of layers. False when pugixml rejects
/// a piece or the model is fatally broken: `model` is then half-built and `text` partly parsed in
/// place, and the file is read again as one document for the diagnostics of a whole read.
bool read_chunked(IrModel& model, const Reader& reader, char* text, size_t size,
                  const LayerChunks& chunks, const ReadLimits& limits) {
  // The other cores start reading the layers while this one parses the rest of the file, when
  // the <net> tag alone tells the IR version (read_chunks() checks it against the one read).
  ChunkSource source{chunks, text};
  std::optional<ChunkReading> early;
  unsigned threads = read_threads(limits);
  std::optional<int64_t> version =
      net_version(std::string_view(text + chunks.net_begin, chunks.net_end - chunks.net_begin));
  if (threads > 1 && version && chunks.layer_count <= limits.max_layers &&
      (legacy_version(*version) || *version == 10 || *version == 11)) {
    early.emplace(reader, model, source, legacy_version(*version), static_cast<int>(*version));
    early->start(threads - 1);
    source.early = &*early;
  }
  size_t gap = chunks.content_end - chunks.content_begin;
  size_t skeleton_size = size - gap;
  auto skeleton = std::make_unique_for_overwrite<char[]>(skeleton_size + 1);
  std::memcpy(skeleton.get(), text, chunks.content_begin);
  std::memcpy(skeleton.get() + chunks.content_begin, text + chunks.content_end,
              size - chunks.content_end);
  skeleton[skeleton_size] = '\0';
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(skeleton.get(), skeleton_size, kParseFlags, pugi::encoding_utf8)) {
    return false;
  }
  model.skeleton = std::shared_ptr<const char[]>(skeleton.release(), std::default_delete<char[]>());
  for (pugi::xml_node n : doc.children()) {
    if (n.type() == pugi::node_doctype) return false;
  }
  reader.set_offsets({skeleton_size, 0, chunks.content_begin, gap});
  try {
    read_net(model, reader, doc, limits, &source);
  } catch (const ChunkRejected&) {
    return false;
  }
  // A fatal problem may have stopped the read before every chunk was parsed; the whole read
  // reports a malformed chunk first, as it parses everything before it reads anything.
  return !model.fatal;
}

std::shared_ptr<IrModel> parse(std::shared_ptr<IrModel> model, std::unique_ptr<char[]> buffer,
                               size_t size, const ReadLimits& limits, const Reload& reload) {
  std::string_view text(buffer.get(), size);
  // The line table of a large file is built on another thread while this one checks the bytes
  // and finds the chunks; `lines()` waits for it.
  std::optional<LineTable> table;
  std::jthread builder;
  if (size >= (1u << 20) && limits.read_threads != 1 && std::thread::hardware_concurrency() > 1) {
    try {
      builder = start_thread<std::jthread>([&] { table.emplace(text); });
    } catch (const std::system_error&) {  // no thread to be had: build it here
    }
  }
  if (!builder.joinable()) table.emplace(text);
  auto lines = [&]() -> const LineTable& {
    if (builder.joinable()) builder.join();
    return *table;
  };
  if (size == 0) {
    model->issues.push_back({kMalformedXml, Severity::error, {1, 1}, {}, "the file is empty", {}});
    model->fatal = true;
    return model;
  }
  if (text.find('\0') != std::string_view::npos) {
    size_t at = text.find('\0');
    model->issues.push_back({kMalformedXml,
                             Severity::error,
                             lines().position(at),
                             {},
                             "the file contains a NUL byte: it is binary, not XML",
                             {}});
    model->fatal = true;
    return model;
  }
  if (size_t bad = invalid_utf8(text); bad != std::string_view::npos) {
    model->issues.push_back(
        {kMalformedXml,
         Severity::error,
         lines().position(bad),
         {},
         fmt::format("byte 0x{:02X} is not valid UTF-8: an IR is written in UTF-8",
                     static_cast<unsigned>(static_cast<unsigned char>(text[bad]))),
         {}});
    model->fatal = true;
    return model;
  }
  std::optional<LayerChunks> chunks;
  if (limits.chunk_bytes > 0) {
    // Several chunks per thread, so that the threads finish together (a 5 MB file in 1 MB
    // chunks kept one thread reading three chunks while the other had read its two).
    unsigned threads = read_threads(limits);
    uint64_t bytes = limits.chunk_bytes;
    if (threads > 1) bytes = std::min(bytes, std::max<uint64_t>(64 << 10, size / (8 * threads)));
    chunks = find_layer_chunks(text, bytes, threads > 1 ? limits.split_scan_bytes : 0);
  }
  Reader reader(text, lines(), limits);
  reader.set_offsets({size});
  if (chunks) {
    char* raw = buffer.release();
    model->text = std::shared_ptr<const char[]>(raw, std::default_delete<char[]>());
    if (read_chunked(*model, reader, raw, size, *chunks, limits)) return model;
    // A piece is not well-formed (or the header is broken): read a fresh copy of the text as one
    // document, for the diagnostics of a whole read.
    auto fresh = std::make_shared<IrModel>();
    fresh->path = model->path;
    fresh->bin_path = model->bin_path;
    fresh->bin_size = model->bin_size;
    model = std::move(fresh);
    buffer = reload();
    if (!buffer) {
      model->issues.push_back({kUnreadable, Severity::error, {}, {}, "cannot read the file", {}});
      model->fatal = true;
      return model;
    }
    text = std::string_view(buffer.get(), size);
    reader.set_offsets({size});
  }
  pugi::xml_document doc;
  // The document parses in place: names and values stay in `buffer`, which the model keeps.
  pugi::xml_parse_result result =
      doc.load_buffer_inplace(buffer.get(), size, kParseFlags, pugi::encoding_utf8);
  char* raw = buffer.release();
  model->text = std::shared_ptr<const char[]>(raw, std::default_delete<char[]>());
  if (!result) {
    size_t at = static_cast<size_t>(std::max<ptrdiff_t>(0, result.offset));
    // pugixml reports a file cut short as a tag mismatch or a bad tag at its last bytes.
    bool truncated =
        text.find_first_not_of(" \t\r\n", std::min(at + 1, size)) == std::string_view::npos;
    model->issues.push_back(
        {kMalformedXml,
         Severity::error,
         lines().position(at),
         {},
         fmt::format("the XML is not well-formed: {}{}", result.description(),
                     truncated ? " (the file ends here: it looks truncated)" : ""),
         {}});
    model->fatal = true;
    return model;
  }
  // pugixml never expands a DTD's entities nor reads external ones; reject the file so that
  // nothing declared there can change what the IR means.
  for (pugi::xml_node n : doc.children()) {
    if (n.type() != pugi::node_doctype) continue;
    size_t at = text.find("<!DOCTYPE");
    model->issues.push_back(
        {kMalformedXml,
         Severity::error,
         at == std::string_view::npos ? SourcePos{1, 1} : lines().position(at),
         {},
         "the file has a <!DOCTYPE> declaration: an IR never has one, and irlint neither "
         "expands its entities nor reads external ones",
         {}});
    model->fatal = true;
    return model;
  }
  read_net(*model, reader, doc, limits, nullptr);
  return model;
}

}  // namespace

std::string_view Layer::attr(std::string_view key) const {
  for (const Attribute& a : data) {
    if (a.name == key) return a.value;
  }
  return {};
}

bool Layer::has_attr(std::string_view key) const {
  return std::any_of(data.begin(), data.end(), [&](const Attribute& a) { return a.name == key; });
}

std::optional<std::vector<int64_t>> Layer::int_list(std::string_view key) const {
  if (!has_attr(key)) return std::nullopt;
  return parse_int_list(attr(key));
}

const Port* Layer::input_port(uint32_t port_id) const { return find_port(inputs, port_id); }
const Port* Layer::output_port(uint32_t port_id) const { return find_port(outputs, port_id); }

std::string_view IrModel::meta_value(std::string_view key) const {
  for (const MetaEntry& m : meta) {
    if (m.key == key) return m.value;
  }
  return {};
}

std::optional<std::pair<Vertex, uint32_t>> IrModel::producer(Vertex v, uint32_t port_id) const {
  for (auto [it, end] = boost::in_edges(v, graph); it != end; ++it) {
    if (graph[*it].to_port == port_id)
      return std::make_pair(boost::source(*it, graph), graph[*it].from_port);
  }
  return std::nullopt;
}

LineTable::LineTable(std::string_view text) {
  if (text.size() > UINT32_MAX) {
    wide_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') wide_starts_.push_back(i + 1);
    }
    return;
  }
  // IRs are indented XML with short lines: reserve for one line in 24 bytes.
  starts_.reserve(text.size() / 24 + 1);
  starts_.push_back(0);
  const char* data = text.data();
  auto n = static_cast<uint32_t>(text.size());
  uint32_t i = 0;
  // Eight bytes at a time: mark the bytes equal to '\n' exactly (no carry crosses bytes).
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  for (; i + 8 <= n; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, data + i, 8);
    uint64_t x = word ^ 0x0A0A0A0A0A0A0A0Aull;  // '\n' bytes become zero
    uint64_t found = ~(((x & kLow7) + kLow7) | x | kLow7);
    while (found) {
      auto byte = static_cast<uint32_t>(__builtin_ctzll(found) / 8);
      starts_.push_back(i + byte + 1);
      found &= found - 1;
    }
  }
  for (; i < n; ++i) {
    if (data[i] == '\n') starts_.push_back(i + 1);
  }
}

template <typename T>
SourcePos LineTable::find(const std::vector<T>& starts, size_t offset, size_t& hint) const {
  // The reader asks in document order: the line of the last lookup or one a little after it
  // usually holds the offset; otherwise a binary search finds it.
  size_t line = 0;  // 0-based index of the line holding `offset`
  size_t h = hint < starts.size() ? hint : 0;
  if (starts[h] <= offset) {
    size_t end = std::min(starts.size(), h + 8);
    size_t i = h;
    while (i + 1 < end && starts[i + 1] <= offset) ++i;
    if (i + 1 == end && end < starts.size() && starts[end] <= offset) {
      i = static_cast<size_t>(
              std::upper_bound(starts.begin() + static_cast<ptrdiff_t>(end), starts.end(), offset) -
              starts.begin()) -
          1;
    }
    line = i;
  } else {
    line = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                               starts.begin()) -
           1;
  }
  hint = line;
  size_t column = offset - starts[line] + 1;
  return {static_cast<uint32_t>(std::min<size_t>(line + 1, UINT32_MAX)),
          static_cast<uint32_t>(std::min<size_t>(column, UINT32_MAX))};
}

SourcePos LineTable::position(size_t offset, size_t& hint) const {
  return wide_starts_.empty() ? find(starts_, offset, hint) : find(wide_starts_, offset, hint);
}

namespace {

/// A scan of XML markup for find_layer_chunks().
class MarkupScan {
 public:
  /// Scans `text` from `at`, which must be outside any markup.
  explicit MarkupScan(std::string_view text, size_t at = 0) : text_(text), at_(at) {}

  /// Moves to the next tag, skipping comments, CDATA and processing instructions; false at the
  /// end of the text, or at a DOCTYPE or markup cut short.
  bool next() {
    const char* data = text_.data();
    const size_t n = text_.size();
    while (true) {
      // Plain loops, not memchr: the gaps between tags and the values in them are a few bytes.
      while (at_ < n && data[at_] != '<') ++at_;
      if (at_ >= n) return false;
      char second = at_ + 1 < n ? data[at_ + 1] : '\0';
      if (second != '!' && second != '?') break;
      std::string_view rest = text_.substr(at_);
      std::string_view end = rest.starts_with("<!--")        ? "-->"
                             : rest.starts_with("<![CDATA[") ? "]]>"
                             : second == '?'                 ? "?>"
                                                             : "";
      if (end.empty()) return false;  // a DOCTYPE: the whole read rejects it
      size_t found = text_.find(end, at_ + 2);
      if (found == std::string_view::npos) return false;
      at_ = found + end.size();
    }
    tag_ = at_;
    closing_ = at_ + 1 < n && data[at_ + 1] == '/';
    size_t j = at_ + (closing_ ? 2 : 1);
    size_t name_begin = j;
    while (j < n && !is_space(data[j]) && data[j] != '>' && data[j] != '/') ++j;
    name_ = text_.substr(name_begin, j - name_begin);
    at_ = j;
    return true;
  }
  /// Moves past the end of the current tag (the first '>' outside a quoted value); false when
  /// the text ends first.
  bool finish_tag() {
    const char* data = text_.data();
    const size_t n = text_.size();
    size_t j = at_;
    for (; j < n && data[j] != '>'; ++j) {
      char quote = data[j];
      if (quote != '"' && quote != '\'') continue;
      for (++j; j < n && data[j] != quote; ++j) {
      }
      if (j >= n) return false;
    }
    if (j >= n) return false;
    self_closing_ = !closing_ && data[j - 1] == '/';
    at_ = j + 1;
    return true;
  }

  bool closing() const { return closing_; }
  bool self_closing() const { return self_closing_; }
  std::string_view name() const { return name_; }
  size_t tag_begin() const { return tag_; }
  size_t position() const { return at_; }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  std::string_view text_;
  size_t at_ = 0;
  size_t tag_ = 0;
  std::string_view name_;
  bool closing_ = false;
  bool self_closing_ = false;
};

}  // namespace

namespace {

enum class ScanEnd { layers_closed, stopped, broken };

/// Scans the content of `<layers>` from `from` (outside any markup, no `<layer>` open), adding
/// its chunks and top-level layers to `out`: up to `</layers>` (its offset in content_end), or
/// up to `stop` when a top-level `</layer>` ends exactly there; broken when the markup breaks off.
/// Inside `<layers>` only <layer> and </layer> change the count. Elements other than layers are
/// not tracked: a piece they leave unbalanced fails to parse, and the file is then read as one
/// document.
ScanEnd scan_layers(std::string_view text, size_t from, size_t stop, size_t chunk_bytes,
                    LayerChunks& out) {
  MarkupScan scan(text, from);
  size_t chunk_begin = from;
  size_t chunk_layers = 0;
  int nesting = 0;  // <layer> elements open, bodies' included
  auto cut_if_full = [&] {
    if (scan.position() - chunk_begin < chunk_bytes && scan.position() != stop) return;
    out.chunks.push_back({chunk_begin, scan.position(), chunk_layers});
    chunk_begin = scan.position();
    chunk_layers = 0;
  };
  while (scan.next()) {
    std::string_view name = scan.name();
    if (scan.closing()) {
      if (name == "layer" && nesting > 0 && --nesting == 0) {
        if (!scan.finish_tag()) return ScanEnd::broken;
        cut_if_full();
        if (scan.position() == stop) return ScanEnd::stopped;
      } else if (name == "layers" && nesting == 0) {
        out.content_end = scan.tag_begin();
        if (chunk_begin < out.content_end) {
          out.chunks.push_back({chunk_begin, out.content_end, chunk_layers});
        }
        return ScanEnd::layers_closed;
      }
      continue;
    }
    // Every tag is followed to its end: pugixml takes a '<' inside a quoted value as text.
    if (!scan.finish_tag()) return ScanEnd::broken;
    if (name != "layer") continue;
    if (nesting == 0) {
      ++out.layer_count;
      ++chunk_layers;
    }
    if (!scan.self_closing()) {
      ++nesting;
    } else if (nesting == 0) {
      cut_if_full();
    }
  }
  return ScanEnd::broken;  // the text ends (or breaks off) before </layers>
}

}  // namespace

std::optional<LayerChunks> find_layer_chunks(std::string_view text, size_t chunk_bytes,
                                             size_t split_bytes) {
  MarkupScan scan(text);
  // Up to <layers>: every element counts, the first must be <net> and <layers> its child.
  int depth = 0;
  size_t net_begin = 0;
  size_t net_end = 0;
  while (true) {
    if (!scan.next() || !scan.finish_tag()) return std::nullopt;
    if (scan.closing()) {
      if (--depth < 1) return std::nullopt;  // </net> (or worse) before <layers>
      continue;
    }
    if (depth == 0 && scan.name() != "net") return std::nullopt;
    if (depth == 0) {
      net_begin = scan.tag_begin();
      net_end = scan.position();
    }
    if (depth == 1 && scan.name() == "layers") {
      if (scan.self_closing()) return std::nullopt;
      break;
    }
    if (!scan.self_closing()) ++depth;
  }
  LayerChunks out;
  out.net_begin = net_begin;
  out.net_end = net_end;
  out.content_begin = scan.position();
  // A long <layers> is scanned in two halves at once. The second half starts after the first
  // "</layer>" past the middle, as if that ended a top-level layer; the first half's scan
  // checks it: if that scan ends a top-level layer exactly there, the second half's result is
  // what it would have found from there. Otherwise (a body's layer, a comment, a quoted value)
  // the first half's scan goes on alone and the second half's is dropped.
  size_t stop = SIZE_MAX;
  std::future<std::pair<ScanEnd, LayerChunks>> second;
  size_t content = text.size() - out.content_begin;
  if (split_bytes > 0 && content / 2 >= split_bytes) {
    constexpr std::string_view kLayerEnd = "</layer>";
    size_t found = text.find(kLayerEnd, out.content_begin + content / 2);
    if (found != std::string_view::npos) {
      try {
        second = start_async([text, chunk_bytes, from = found + kLayerEnd.size()] {
          LayerChunks tail;
          ScanEnd end = scan_layers(text, from, SIZE_MAX, chunk_bytes, tail);
          return std::pair(end, std::move(tail));
        });
        stop = found + kLayerEnd.size();
      } catch (const std::system_error&) {  // no thread to be had: one scan does it all
      }
    }
  }
  ScanEnd end = scan_layers(text, out.content_begin, stop, chunk_bytes, out);
  if (end == ScanEnd::stopped) {
    auto [tail_end, tail] = second.get();
    if (tail_end != ScanEnd::layers_closed) return std::nullopt;
    out.layer_count += tail.layer_count;
    out.content_end = tail.content_end;
    out.chunks.insert(out.chunks.end(), tail.chunks.begin(), tail.chunks.end());
  }
  if (end == ScanEnd::broken) return std::nullopt;
  return out;
}

std::optional<Dim> parse_dim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t'))
    text.remove_suffix(1);
  if (text == "?" || text == "-1") return Dim{0, Dim::kUnbounded};
  if (size_t dots = text.find(".."); dots != std::string_view::npos) {
    std::string_view lo = text.substr(0, dots);
    std::string_view hi = text.substr(dots + 2);
    Dim d{0, Dim::kUnbounded};
    if (!lo.empty()) {
      auto v = parse_int(lo);
      if (!v || *v < 0) return std::nullopt;
      d.min = *v;
    }
    if (!hi.empty()) {
      auto v = parse_int(hi);
      if (!v || *v < d.min) return std::nullopt;
      d.max = *v;
    }
    return d;
  }
  auto v = parse_int(text);
  if (!v || *v < 0) return std::nullopt;
  return Dim{*v, *v};
}

namespace {

/// A run of decimal digits (possibly none) as a number: 0 when empty, nullopt when it is not
/// all digits or does not fit 63 bits.
std::optional<int64_t> digits_value(std::string_view s) {
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (s.empty()) return 0;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

/// One dimension of a partial-shape attribute; the rules are those of OpenVINO's
/// str_to_dimension (src/frontends/ir/src/utils.cpp, 2022) and Dimension(std::string)
/// (src/core/src/dimension.cpp, current), which agree.
std::optional<Dim> parse_shape_dim(std::string_view field, std::string* error,
                                   std::optional<std::string>* empty_interval) {
  std::string_view d = trim(field);
  if (d == "?" || d == "-1") return Dim{0, Dim::kUnbounded};
  size_t dots = d.find("..");
  if (dots == std::string_view::npos) {
    auto value = digits_value(d);
    if (!value) *error = fmt::format("cannot parse dimension '{}'", d);
    return value ? std::optional(Dim{*value, *value}) : std::nullopt;
  }
  std::string_view lo_text = trim(d.substr(0, dots));
  std::string_view hi_text = trim(d.substr(dots + 2));
  auto lo = digits_value(lo_text);
  if (!lo) {
    *error = fmt::format("cannot parse the lower bound '{}' of '{}'", lo_text, d);
    return std::nullopt;
  }
  auto hi = hi_text.empty() ? std::optional<int64_t>(Dim::kUnbounded) : digits_value(hi_text);
  if (!hi) {
    *error = fmt::format("cannot parse the upper bound '{}' of '{}'", hi_text, d);
    return std::nullopt;
  }
  if (*hi != Dim::kUnbounded && *hi < *lo) {
    if (!*empty_interval) *empty_interval = std::string(d);
    return Dim{0, Dim::kUnbounded};
  }
  return Dim{*lo, *hi};
}

}  // namespace

std::optional<PartialShape> parse_partial_shape(std::string_view text, std::string* error) {
  // src/core/src/partial_shape.cpp, PartialShape(const std::string&) (current) and
  // str_to_partial_shape in src/frontends/ir/src/utils.cpp (2022): the whole value trimmed,
  // "..." alone is a dynamic rank, then fields split at commas as std::getline does (so a
  // trailing comma ends the list). Only the current reader strips "[" "]" around the list.
  std::string_view v = trim(text);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    v = trim(v.substr(1, v.size() - 2));
  }
  PartialShape shape;
  if (v == "...") {
    shape.dynamic_rank = true;
    return shape;
  }
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view field = v.substr(0, comma);
    if (field.empty()) {
      *error = "an empty dimension between commas";
      return std::nullopt;
    }
    auto dim = parse_shape_dim(field, error, &shape.empty_interval);
    if (!dim) return std::nullopt;
    shape.dims.push_back(*dim);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return shape;
}

std::vector<std::string> tensor_names(std::string_view names) {
  std::vector<std::string> out;
  std::string name;
  bool joining = false;
  while (!names.empty()) {
    size_t comma = names.find(',');
    std::string_view piece = names.substr(0, comma);
    if (!joining) name.clear();
    name += piece;
    joining = comma != std::string_view::npos && !piece.empty() && piece.back() == '\\';
    if (joining) {
      name.back() = ',';
    } else {
      std::string_view trimmed = trim(name);
      if (!trimmed.empty()) out.emplace_back(trimmed);
    }
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  if (joining && !trim(name).empty()) out.emplace_back(trim(name));
  return out;
}

std::optional<std::vector<int64_t>> parse_int_list(std::string_view text) {
  std::vector<int64_t> values;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty()) return values;
  while (true) {
    size_t comma = text.find(',');
    auto v = parse_int(text.substr(0, comma));
    if (!v) return std::nullopt;
    values.push_back(*v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return values;
}

std::optional<uint64_t> element_count(const Shape& shape) {
  uint64_t count = 1;
  for (const Dim& d : shape) {
    if (!d.is_static() || d.min < 0) return std::nullopt;
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(d.min), &count)) return std::nullopt;
  }
  return count;
}

std::shared_ptr<IrModel> read_ir_text(std::string path, std::string text,
                                      std::optional<uint64_t> bin_size, const ReadLimits& limits) {
  auto model = std::make_shared<IrModel>();
  model->path = std::move(path);
  model->bin_size = bin_size;
  if (text.size() > limits.max_file_bytes) {
    model->issues.push_back({kLimitExceeded,
                             Severity::error,
                             {1, 1},
                             {},
                             fmt::format("the file is {} bytes, more than the limit of {}",
                                         text.size(), limits.max_file_bytes),
                             {}});
    model->fatal = true;
    return model;
  }
  auto buffer = std::make_unique_for_overwrite<char[]>(text.size() + 1);
  std::memcpy(buffer.get(), text.data(), text.size());
  buffer[text.size()] = '\0';
  auto reload = [&text] {
    auto copy = std::make_unique_for_overwrite<char[]>(text.size() + 1);
    std::memcpy(copy.get(), text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
  };
  return parse(std::move(model), std::move(buffer), text.size(), limits, reload);
}

namespace {

/// The first `size` bytes of a file in a fresh buffer, NUL-terminated; nullptr when the file
/// cannot be read or is shorter. A large file is read in two halves at once: the kernel's copy
/// and the page faults of the fresh buffer are then half the wait.
std::unique_ptr<char[]> read_file(const std::string& path, uint64_t size,
                                  const ReadLimits& limits) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  auto buffer = std::make_unique_for_overwrite<char[]>(size + 1);
  auto read_range = [fd, &buffer](uint64_t begin, uint64_t end) {
    while (begin < end) {
      ssize_t got = ::pread(fd, buffer.get() + begin, std::min<uint64_t>(end - begin, 1u << 30),
                            static_cast<off_t>(begin));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      begin += static_cast<uint64_t>(got);
    }
    return true;
  };
  std::future<bool> second_half;
  if (size >= (8u << 20) && read_threads(limits) > 1) {
    try {
      second_half = start_async([&read_range, size] { return read_range(size / 2, size); });
    } catch (const std::system_error&) {  // no thread to be had: read it all here
    }
  }
  bool ok = read_range(0, second_half.valid() ? size / 2 : size);
  if (second_half.valid()) ok = second_half.get() && ok;
  ::close(fd);
  if (!ok) return nullptr;
  buffer[size] = '\0';
  return buffer;
}

}  // namespace

std::shared_ptr<IrModel> read_ir(const std::string& xml_path, const std::string& bin_path,
                                 const ReadLimits& limits) {
  namespace fs = std::filesystem;
  auto model = std::make_shared<IrModel>();
  model->path = xml_path;
  model->bin_path =
      bin_path.empty() ? fs::path(xml_path).replace_extension(".bin").string() : bin_path;
  std::error_code ec;
  if (fs::is_directory(xml_path, ec)) {
    model->issues.push_back(
        {kUnreadable, Severity::error, {}, {}, "is a directory, not an IR file", {}});
    model->fatal = true;
    return model;
  }
  uint64_t size = fs::file_size(xml_path, ec);
  if (ec) {
    model->issues.push_back({kUnreadable,
                             Severity::error,
                             {},
                             {},
                             fmt::format("cannot read the file: {}", ec.message()),
                             {}});
    model->fatal = true;
    return model;
  }
  if (size > limits.max_file_bytes) {
    model->issues.push_back({kLimitExceeded,
                             Severity::error,
                             {1, 1},
                             {},
                             fmt::format("the file is {} bytes, more than the limit of {}", size,
                                         limits.max_file_bytes),
                             {}});
    model->fatal = true;
    return model;
  }
  std::unique_ptr<char[]> buffer = read_file(xml_path, size, limits);
  if (!buffer) {
    model->issues.push_back({kUnreadable, Severity::error, {}, {}, "cannot read the file", {}});
    model->fatal = true;
    return model;
  }
  uint64_t bin = fs::file_size(model->bin_path, ec);
  if (!ec && fs::is_regular_file(model->bin_path, ec)) model->bin_size = bin;
  auto reload = [&xml_path, size, &limits] { return read_file(xml_path, size, limits); };
  return parse(std::move(model), std::move(buffer), size, limits, reload);
}

}  // namespace irlint
