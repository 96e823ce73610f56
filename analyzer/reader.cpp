// The IR's graph: layers by id, edges between their ports, the topological order, the net's
// header and metadata; and the public entry points that read a file or a text.
#include "reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/graph/topological_sort.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <iterator>
#include <unordered_map>

#include "reader_impl.hpp"
#include "threads.hpp"

namespace irlint {
namespace detail {
namespace {

/// True when the ports are numbered consecutively, so that find_port() answers in O(1).
bool dense(const std::vector<Port>& ports) {
  for (size_t i = 1; i < ports.size(); ++i) {
    if (ports[i].id != ports[0].id + i) return false;
  }
  return true;
}

/// What the edges need of the layers' ports, gathered in one pass into a compact array: the
/// edges then touch no layer record (each one a cache miss) unless ports are sparse. Dense ports
/// (ids consecutive) are found by index; layers whose ids are not get a hash index, so that a
/// hostile layer with many shuffled port ids still costs O(1) per edge.
class PortIndex {
 public:
  explicit PortIndex(const Graph& graph) : ports_(boost::num_vertices(graph)) {
    for (Vertex v = 0; v < ports_.size(); ++v) {
      const Layer& l = graph[v];
      auto first = [](const std::vector<Port>& p) { return p.empty() ? 0 : p.front().id; };
      ports_[v] = {input_slots_,
                   first(l.inputs),
                   static_cast<uint32_t>(l.inputs.size()),
                   first(l.outputs),
                   static_cast<uint32_t>(l.outputs.size()),
                   !dense(l.inputs) || !dense(l.outputs)};
      input_slots_ += l.inputs.size();
      if (!ports_[v].sparse) continue;
      for (size_t i = 0; i < l.inputs.size(); ++i) {
        sparse_.emplace(PortKey{v, true, l.inputs[i].id}, i);
      }
      for (size_t i = 0; i < l.outputs.size(); ++i) {
        sparse_.emplace(PortKey{v, false, l.outputs[i].id}, i);
      }
    }
  }

  /// The index of port `id` among the layer's inputs or outputs, or nullopt.
  std::optional<size_t> find(Vertex v, bool input, uint32_t id) const {
    const Ports& p = ports_[v];
    if (p.sparse) {
      auto it = sparse_.find(PortKey{v, input, id});
      return it == sparse_.end() ? std::nullopt : std::optional(it->second);
    }
    uint32_t first = input ? p.first_in : p.first_out;
    uint32_t count = input ? p.inputs : p.outputs;
    if (id < first || id - first >= count) return std::nullopt;
    return id - first;
  }
  /// Input ports of all layers: a slot for each, numbered layer by layer.
  size_t input_slots() const { return input_slots_; }
  /// The slot of the `index`th input port of `v`.
  size_t input_slot(Vertex v, size_t index) const { return ports_[v].input_base + index; }

 private:
  struct Ports {
    size_t input_base;  ///< this layer's first input slot
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

  std::vector<Ports> ports_;
  size_t input_slots_ = 0;
  std::unordered_map<PortKey, size_t, PortHash> sparse_;  // -> index in inputs or outputs
};

/// A topological order of the graph, as boost::topological_sort finds it (a depth-first search
/// over the vertices in index order, each one's out-edges in the order they were added); empty
/// when the graph has a cycle.
std::vector<Vertex> topological_order(const Graph& graph) {
  std::vector<Vertex> order;
  order.reserve(boost::num_vertices(graph));
  try {
    boost::topological_sort(graph, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    return {};
  }
  std::reverse(order.begin(), order.end());
  return order;
}

/// Marks the layers that a legacy INT8 `<statistics>` element names.
void mark_statistics(IrModel& model, pugi::xml_node stats) {
  std::unordered_map<std::string_view, Vertex> by_name;
  for (Vertex v = 0; v < boost::num_vertices(model.graph); ++v) {
    by_name.emplace(model.graph[v].name, v);
  }
  for (pugi::xml_node s : stats.children("layer")) {
    auto it = by_name.find(view(s.child_value("name")));
    if (it != by_name.end()) model.graph[it->second].has_statistics = true;
  }
}

/// Adds the entries of a `<meta_data>` or `<rt_info>` element to the model's metadata.
void flatten_meta(IrModel& model, const Reader& reader, pugi::xml_node node,
                  const std::string& prefix, int depth, const ReadLimits& limits) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (depth >= limits.max_meta_depth) {
      reader.issue(model, ReaderCheck::limit_exceeded, reader.pos(child),
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
}  // namespace

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

void report_duplicate(IrModel& model, const Layer& first, const Layer& layer) {
  model.issues.push_back(
      {ReaderCheck::duplicate_layer_id,
       Severity::error,
       layer.pos,
       std::nullopt,
       fmt::format("layer id {} is used twice ('{}' and '{}')", layer.id, first.name, layer.name),
       {{fmt::format("first use of id {} is here", layer.id), first.pos}}});
}

void keep_vertices(Graph& graph, size_t count) {
  // Without edges, removing the last vertex renumbers nothing: each removal costs O(1).
  while (boost::num_vertices(graph) > count) {
    boost::remove_vertex(boost::num_vertices(graph) - 1, graph);
  }
}

void Reader::read_layers(IrModel& model, pugi::xml_node layers, bool legacy, size_t count,
                         IdIndex& by_id) const {
  // Each layer is read in place into the next of `count` vertices made up front; a layer that
  // is not kept leaves its vertex to the next one (no edge exists yet, so nothing refers to it).
  fresh_graph(model, count);
  Vertex next_vertex = 0;
  for (pugi::xml_node n = layers.child("layer"), next; n; n = next) {
    next = n.next_sibling("layer");
    Layer& layer = model.graph[next_vertex];
    bool ok = read_layer(model, n, legacy, layer);
    std::optional<Vertex> seen = ok ? by_id.insert(layer.id, next_vertex) : std::nullopt;
    if (seen) report_duplicate(model, model.graph[*seen], layer);
    if (!ok || seen) {
      layer = Layer{};
    } else {
      ++next_vertex;
    }
    // The layer's DOM is no longer needed: freeing it as we go lets the model reuse its pages.
    layers.remove_child(n);
  }
  keep_vertices(model.graph, next_vertex);
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

std::optional<std::pair<Vertex, Vertex>> Reader::edge_layers(IrModel& model, const RawEdge& e,
                                                             const IdIndex& by_id) const {
  if (!e.valid) {
    issue(model, ReaderCheck::invalid_ir_structure, e.at,
          "edge needs integer 'from-layer', 'from-port', 'to-layer' and 'to-port' attributes");
    return std::nullopt;
  }
  std::optional<Vertex> from = by_id.find(e.from_layer);
  std::optional<Vertex> to = by_id.find(e.to_layer);
  if (!to && !legacy_version(model.ir_version)) {
    // The v10/v11 reader files each edge under its to-layer and builds the graph by a walk
    // from the Result and Assign layers up their input edges (XmlDeserializer::parse_function
    // in src/frontends/ir/src/ir_deserializer.cpp, 2022.1 to now): an edge into a layer that
    // does not exist is never looked at. The legacy reader throws on it (below).
    issue(model, ReaderCheck::dangling_edge, e.at,
          fmt::format("edge into layer id {}, which does not exist: OpenVINO's reader ignores "
                      "it",
                      e.to_layer),
          std::nullopt, Severity::warning);
    return std::nullopt;
  }
  if (!from || !to) {
    // A missing from-layer fails the v10/v11 reader once it builds the consumer ("Attempt to
    // access node … that not in graph"); the legacy reader (ir_reader_v7/ie_format_parser.cpp,
    // FormatParser::Parse and SetLayerInput) throws on either end.
    issue(model, ReaderCheck::dangling_edge, e.at,
          fmt::format("edge refers to layer id {}, which does not exist",
                      !from ? e.from_layer : e.to_layer));
    return std::nullopt;
  }
  return std::pair(*from, *to);
}

void Reader::read_edges(IrModel& model, const std::vector<RawEdge>& edges,
                        const IdIndex& by_id) const {
  PortIndex ports(model.graph);
  // Input ports already fed, by slot; bounded by the number of ports.
  std::vector<uint8_t> fed(ports.input_slots(), 0);
  for (const RawEdge& e : edges) {
    std::optional<std::pair<Vertex, Vertex>> ends = edge_layers(model, e, by_id);
    if (!ends) continue;
    auto [from, to] = *ends;
    auto from_port = static_cast<uint32_t>(e.from_port);
    auto to_port = static_cast<uint32_t>(e.to_port);
    std::optional<size_t> out = ports.find(from, false, from_port);
    std::optional<size_t> in = ports.find(to, true, to_port);
    if (!out || !in) {
      bool bad_out = !out;
      issue(model, ReaderCheck::dangling_edge, e.at,
            fmt::format("edge refers to {} port {} of layer '{}', which has no such port",
                        bad_out ? "output" : "input", bad_out ? from_port : to_port,
                        model.graph[bad_out ? from : to].name),
            bad_out ? from : to);
      continue;
    }
    size_t slot = ports.input_slot(to, *in);
    if (fed[slot]) {
      issue(model, ReaderCheck::port_fed_twice, e.at,
            fmt::format("input port {} of layer '{}' is fed by more than one edge", to_port,
                        model.graph[to].name),
            to);
      continue;
    }
    fed[slot] = 1;
    boost::add_edge(from, to, Connection{from_port, to_port, e.at}, model.graph);
  }
}

bool Reader::read_graph(IrModel& model, pugi::xml_node root, bool legacy,
                        const ChunkSource* chunks) const {
  pugi::xml_node layers = root.child("layers");
  if (!layers) {
    issue(model, ReaderCheck::invalid_ir_structure, pos(root),
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
    issue(model, ReaderCheck::limit_exceeded, pos(layers),
          fmt::format("the model has {} layers, more than the limit of {}", count,
                      limits_.max_layers));
    return false;
  }
  IdIndex by_id(count);
  pugi::xml_node edges = root.child("edges");
  std::vector<RawEdge> raw_edges;
  if (chunks) {
    // The edges (in the skeleton) are collected while the other threads read layers.
    if (edges) raw_edges = collect_edges(edges);
    read_chunks(model, *chunks, legacy, by_id);
  } else {
    read_layers(model, layers, legacy, count, by_id);
    if (edges) raw_edges = collect_edges(edges);  // in document order, after the layers
  }
  if (edges) {
    read_edges(model, raw_edges, by_id);
  } else if (count > 1) {
    issue(model, ReaderCheck::invalid_ir_structure, pos(root),
          fmt::format("<{}> has no <edges> element", root.name()));
  }
  if (pugi::xml_node stats = root.child("statistics")) mark_statistics(model, stats);
  model.order = topological_order(model.graph);
  return true;
}

void read_net(IrModel& model, const Reader& reader, const pugi::xml_document& doc,
              const ReadLimits& limits, const ChunkSource* chunks) {
  pugi::xml_node net = doc.child("net");
  if (!net) {
    pugi::xml_node first = doc.document_element();
    fail(model, ReaderCheck::invalid_ir_structure, first ? reader.pos(first) : SourcePos{1, 1},
         first ? fmt::format("the root element is <{}>, not <net>: this is not an OpenVINO IR",
                             first.name())
               : std::string("the document has no root element"));
    return;
  }
  model.name = view(net.attribute("name").value());
  auto version = parse_int(net.attribute("version").value());
  if (!version) {
    fail(model, ReaderCheck::unsupported_ir_version, reader.pos(net),
         fmt::format("<net> has no valid 'version' attribute (got '{}')",
                     net.attribute("version").value()));
    return;
  }
  model.ir_version = static_cast<int>(std::clamp<int64_t>(*version, INT32_MIN, INT32_MAX));
  bool legacy = legacy_version(*version);
  if (!legacy && *version != 10 && *version != 11) {
    fail(model, ReaderCheck::unsupported_ir_version, reader.pos(net),
         fmt::format("IR version {} is not one irlint reads (v3-v7, v10, v11)", *version));
    return;
  }
  if (!reader.read_graph(model, net, legacy, chunks)) {
    model.fatal = true;
    return;
  }
  flatten_meta(model, reader, net.child("meta_data"), "", 0, limits);
  flatten_meta(model, reader, net.child("rt_info"), "", 0, limits);
}
}  // namespace detail

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

const Port* Layer::input_port(uint32_t port_id) const { return detail::find_port(inputs, port_id); }
const Port* Layer::output_port(uint32_t port_id) const {
  return detail::find_port(outputs, port_id);
}

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

namespace detail {
namespace {

/// Refuses a file larger than the limit; true when it did.
bool refuse_size(IrModel& model, uint64_t size, const ReadLimits& limits) {
  if (size <= limits.max_file_bytes) return false;
  fail(model, ReaderCheck::limit_exceeded, {1, 1},
       fmt::format("the file is {} bytes, more than the limit of {}", size, limits.max_file_bytes));
  return true;
}

/// `text` in a fresh buffer, NUL-terminated, for a read in place.
std::unique_ptr<char[]> copy_text(std::string_view text) {
  auto copy = std::make_unique_for_overwrite<char[]>(text.size() + 1);
  std::memcpy(copy.get(), text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

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
}  // namespace detail

std::shared_ptr<IrModel> read_ir_text(std::string path, std::string text,
                                      std::optional<uint64_t> bin_size, const ReadLimits& limits) {
  auto model = std::make_shared<IrModel>();
  model->path = std::move(path);
  model->bin_size = bin_size;
  if (detail::refuse_size(*model, text.size(), limits)) return model;
  auto reload = [&text] { return detail::copy_text(text); };
  return detail::parse(std::move(model), detail::copy_text(text), text.size(), limits, reload);
}

std::shared_ptr<IrModel> read_ir(const std::string& xml_path, const std::string& bin_path,
                                 const ReadLimits& limits) {
  namespace fs = std::filesystem;
  using detail::fail;
  auto model = std::make_shared<IrModel>();
  model->path = xml_path;
  model->bin_path =
      bin_path.empty() ? fs::path(xml_path).replace_extension(".bin").string() : bin_path;
  std::error_code ec;
  if (fs::is_directory(xml_path, ec)) {
    fail(*model, ReaderCheck::unreadable_file, {}, "is a directory, not an IR file");
    return model;
  }
  uint64_t size = fs::file_size(xml_path, ec);
  if (ec) {
    fail(*model, ReaderCheck::unreadable_file, {},
         fmt::format("cannot read the file: {}", ec.message()));
    return model;
  }
  if (detail::refuse_size(*model, size, limits)) return model;
  std::unique_ptr<char[]> buffer = detail::read_file(xml_path, size, limits);
  if (!buffer) {
    fail(*model, ReaderCheck::unreadable_file, {}, "cannot read the file");
    return model;
  }
  uint64_t bin = fs::file_size(model->bin_path, ec);
  if (!ec && fs::is_regular_file(model->bin_path, ec)) model->bin_size = bin;
  auto reload = [&xml_path, size, &limits] { return detail::read_file(xml_path, size, limits); };
  return detail::parse(std::move(model), std::move(buffer), size, limits, reload);
}

}  // namespace irlint
