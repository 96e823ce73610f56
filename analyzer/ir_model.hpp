#pragma once

#include <boost/container/small_vector.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic.hpp"

namespace irlint {

/// One dimension of a port shape: static (min == max), a range, or unbounded.
struct Dim {
  static constexpr int64_t kUnbounded = -1;
  int64_t min = 0;
  int64_t max = 0;  ///< kUnbounded: no upper bound
  bool is_static() const { return min == max; }
  friend bool operator==(const Dim&, const Dim&) = default;
};
/// Four dimensions inline: most tensors have at most four, and a port then costs no allocation.
using Shape = boost::container::small_vector<Dim, 4>;

/// A name/value pair as written in the XML (views into the model's text).
struct Attribute {
  std::string_view name;
  std::string_view value;
};

/// An input or output port of a layer.
struct Port {
  uint32_t id = 0;
  std::string_view precision;  ///< e.g. "FP32", "I8", "U8"; empty when not given
  Shape dims;
  /// The rank itself is dynamic (a Parameter whose shape is "..."): `dims` is empty and says
  /// nothing. Otherwise empty `dims` is a scalar, or a port that declares no `<dim>`.
  bool dynamic_rank = false;
  std::string_view names;  ///< the tensor names attribute as written ("a,b", `\,` escapes a comma)
  SourcePos pos;
};

/// A region of the weights file: a v10+ Const or a legacy `<blobs>` entry.
struct Blob {
  std::string_view name;  ///< "custom" for a Const, else "weights", "biases", …
  std::string_view precision;
  uint64_t offset = 0;
  uint64_t size = 0;
  SourcePos pos;
};

class IrModel;
enum class OpKind : uint8_t;  // op.hpp

/// A flattened `<meta_data>`/`<rt_info>` entry of the net, e.g. "conversion_parameters/framework".
struct MetaEntry {
  std::string key;
  std::string_view value;
};

/// One `<layer>` element, as written.
struct Layer {
  int64_t id = -1;
  std::string_view name;
  std::string_view type;
  std::string_view version;    ///< opset name ("opset1") or empty in legacy IR
  std::string_view precision;  ///< legacy per-layer precision attribute
  OpKind kind{};               ///< op_kind() of the layer, set by the reader
  std::vector<Attribute> data;
  std::vector<Attribute> rt_info;
  std::vector<Port> inputs;
  std::vector<Port> outputs;
  std::vector<Blob> blobs;
  std::vector<std::shared_ptr<const IrModel>> bodies;  ///< TensorIterator/Loop/If bodies
  bool has_statistics = false;                         ///< legacy INT8 `<statistics>` entry
  SourcePos pos;

  /// The value of a `<data>` attribute, or empty.
  std::string_view attr(std::string_view key) const;
  bool has_attr(std::string_view key) const;
  /// A `<data>` attribute parsed as an integer list ("1,2,3"); nullopt when absent or malformed.
  std::optional<std::vector<int64_t>> int_list(std::string_view key) const;
  const Port* input_port(uint32_t port_id) const;
  const Port* output_port(uint32_t port_id) const;
};

/// One `<edge>`: output port of the source layer to input port of the target layer.
struct Connection {
  uint32_t from_port = 0;
  uint32_t to_port = 0;
  SourcePos pos;
};

using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Layer, Connection>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

/// What the reader checks while it reads; each is reported by the one IRL0xx rule that names it
/// (Rule::reader_check in rules/).
enum class ReaderCheck : uint8_t {
  unreadable_file,
  malformed_xml,
  invalid_ir_structure,
  unsupported_ir_version,
  duplicate_layer_id,
  dangling_edge,
  port_fed_twice,
  invalid_dimension,
  limit_exceeded,
  shape_mismatch,
};

/// A problem the reader found in the file.
struct ReaderIssue {
  ReaderCheck check;
  Severity severity = Severity::error;
  SourcePos pos;
  std::optional<Vertex> layer;
  std::string message;
  std::vector<Note> notes;
};

/// A loaded IR: the graph as written, its metadata and where everything is in the file.
class IrModel {
 public:
  std::string path;                  ///< the XML path as given
  std::string bin_path;              ///< the weights path (may not exist)
  std::optional<uint64_t> bin_size;  ///< nullopt when the .bin is missing or unreadable
  int ir_version = 0;
  std::string_view name;
  Graph graph;
  std::vector<MetaEntry> meta;  ///< flattened `<meta_data>` and `<rt_info>` ("a/b" = value)
  std::vector<ReaderIssue> issues;
  bool fatal = false;  ///< the file could not be turned into a usable graph
  /// Topological order of the graph; empty if it has a cycle.
  std::vector<Vertex> order;
  /// Body models are nested; depth 0 is the file's top level.
  int depth = 0;

  const Layer& layer(Vertex v) const { return graph[v]; }
  size_t layer_count() const { return boost::num_vertices(graph); }
  /// The value of a metadata key such as "MO_version" or "Runtime_version".
  std::string_view meta_value(std::string_view key) const;
  /// Producers of an input port: the vertex and output port feeding `v`'s port `port_id`.
  std::optional<std::pair<Vertex, uint32_t>> producer(Vertex v, uint32_t port_id) const;

  /// Keeps the XML text alive: every string_view in the model points into it.
  std::shared_ptr<const char[]> text;
  /// The file without the content of its `<layers>`, when it was read in chunks
  /// (ReadLimits::chunk_bytes): the net's name and metadata point into it.
  std::shared_ptr<const char[]> skeleton;
};

}  // namespace irlint
