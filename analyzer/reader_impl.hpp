#pragma once
// What the reader's source files share: the Reader that turns the XML of layers and edges into
// the model (reader_layer.cpp, reader.cpp), and the steps of a read that the chunked, threaded
// path (reader_parallel.cpp) and the public entry points (reader.cpp) have in common.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reader.hpp"
#include "text.hpp"

namespace irlint::detail {

inline constexpr unsigned kParseFlags = pugi::parse_default | pugi::parse_ws_pcdata_single |
                                        pugi::parse_doctype | pugi::parse_embed_pcdata;

/// A pugixml string as a view; empty for null.
inline std::string_view view(const char* s) { return s ? std::string_view(s) : std::string_view(); }

/// An integer attribute value, as IR attributes are read.
inline std::optional<int64_t> parse_int(std::string_view text) {
  return parse_attribute_number<int64_t>(text);
}

/// IR v2-v7: layers with `<blobs>` and precision attributes instead of opsets.
inline bool legacy_version(int64_t version) { return version >= 2 && version <= 7; }

/// Threads that read a file's chunks.
inline unsigned read_threads(const ReadLimits& limits) {
  return limits.read_threads ? limits.read_threads
                             : std::max(1u, std::thread::hardware_concurrency());
}

/// Gives `model` a graph of `count` empty vertices. (adjacency_list has neither a
/// move assignment nor a cheap swap: assigning or swapping in a new graph copies every vertex.)
inline void fresh_graph(IrModel& model, size_t count) {
  model.graph.clear();
  for (size_t i = 0; i < count; ++i) boost::add_vertex(model.graph);
}

/// Adds an error that leaves no usable graph: the model is marked fatal.
inline void fail(IrModel& model, ReaderCheck check, SourcePos at, std::string message) {
  model.issues.push_back({check, Severity::error, at, std::nullopt, std::move(message), {}});
  model.fatal = true;
}

/// Finds a port by id; ports are usually numbered densely, so try the direct index first.
const Port* find_port(const std::vector<Port>& ports, uint32_t id);

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
  /// The vertex recorded for `id`, or nullopt.
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

  /// Where `node`'s element starts in the file.
  SourcePos pos(pugi::xml_node node) const {
    ptrdiff_t offset = node.offset_debug();
    if (offset <= 0) return {};
    // offset_debug points at the element name; the element starts at the '<' before it.
    return lines_.position(map_.map(static_cast<size_t>(offset - 1)), hint_);
  }

  /// Where the documents parsed next lie in the file.
  void set_offsets(OffsetMap map) const { map_ = map; }

  /// Adds an issue to `model`.
  void issue(IrModel& model, ReaderCheck check, SourcePos at, std::string message,
             std::optional<Vertex> layer = std::nullopt,
             Severity severity = Severity::error) const {
    model.issues.push_back({check, severity, at, layer, std::move(message), {}});
  }

  /// Fills `model` from a `<net>` or a body element; returns false when nothing usable was read.
  /// With `chunks`, the layers come from the chunks instead of `root`'s empty `<layers>`; a
  /// chunk pugixml rejects throws ChunkRejected.
  bool read_graph(IrModel& model, pugi::xml_node root, bool legacy,
                  const ChunkSource* chunks = nullptr) const;

 private:
  friend class ChunkReading;
  // reader_layer.cpp: one <layer> element.
  bool read_layer(IrModel& model, pugi::xml_node node, bool legacy, Layer& layer) const;
  bool read_layer_attributes(IrModel& model, pugi::xml_node node, Layer& layer) const;
  void read_data(IrModel& model, pugi::xml_node node, pugi::xml_node data, Layer& layer) const;
  void read_ports(IrModel& model, pugi::xml_node node, std::vector<Port>& ports,
                  const Layer& layer) const;
  void read_dims(IrModel& model, pugi::xml_node node, Port& port, const Layer& layer) const;
  void read_blobs(IrModel& model, pugi::xml_node node, Layer& layer) const;
  /// Reports a Const whose `size` is smaller than its shape and element type need.
  void check_const_size(IrModel& model, const Layer& layer, uint64_t size) const;
  void read_bodies(IrModel& model, pugi::xml_node node, bool legacy, Layer& layer) const;
  void check_attribute_lengths(IrModel& model, pugi::xml_node node) const;
  void check_attribute_types(IrModel& model, pugi::xml_node data, const Layer& layer) const;
  void check_port_map(IrModel& model, pugi::xml_node node, const Layer& layer) const;
  void read_shape_attribute(IrModel& model, pugi::xml_node data, Layer& layer) const;
  void check_rt_info(IrModel& model, pugi::xml_node rt_info, const Layer& layer,
                     std::string_view where) const;
  // reader.cpp: the graph.
  void read_layers(IrModel& model, pugi::xml_node layers, bool legacy, size_t count,
                   IdIndex& by_id) const;
  std::vector<RawEdge> collect_edges(pugi::xml_node edges) const;
  void read_edges(IrModel& model, const std::vector<RawEdge>& edges, const IdIndex& by_id) const;
  std::optional<std::pair<Vertex, Vertex>> edge_layers(IrModel& model, const RawEdge& edge,
                                                       const IdIndex& by_id) const;
  // reader_parallel.cpp: the layers of the chunks.
  void read_chunks(IrModel& model, const ChunkSource& chunks, bool legacy, IdIndex& by_id) const;

  std::string_view text_;
  const LineTable& lines_;
  const ReadLimits& limits_;
  mutable OffsetMap map_;
  mutable size_t hint_ = 0;  ///< of the line table, per reader: chunks are read in parallel
};

/// Reports a layer whose id an earlier layer already has.
void report_duplicate(IrModel& model, const Layer& first, const Layer& layer);

/// Keeps the first `count` vertices of a graph that has no edges yet.
void keep_vertices(Graph& graph, size_t count);

/// Reads the `<net>` of a parsed document into `model`; with `chunks`, its layers come from them.
void read_net(IrModel& model, const Reader& reader, const pugi::xml_document& doc,
              const ReadLimits& limits, const ChunkSource* chunks);

/// A fresh copy of the file's text, for a second read (nullptr when it cannot be had).
using Reload = std::function<std::unique_ptr<char[]>()>;

/// Reads the text in `buffer` (`size` bytes and a NUL) into `model`: in chunks on several
/// threads when the file allows (ReadLimits::chunk_bytes), else, or when a chunk is rejected,
/// as one document from a fresh copy that `reload` makes.
std::shared_ptr<IrModel> parse(std::shared_ptr<IrModel> model, std::unique_ptr<char[]> buffer,
                               size_t size, const ReadLimits& limits, const Reload& reload);

}  // namespace irlint::detail
