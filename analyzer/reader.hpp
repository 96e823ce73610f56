#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir_model.hpp"

namespace irlint {

/// Limits that keep a hostile file from exhausting time or memory; each is adjustable.
struct ReadLimits {
  uint64_t max_file_bytes = uint64_t{4} << 30;  ///< 4 GiB of XML
  uint64_t max_layers = 10'000'000;
  /// Nesting of TensorIterator/Loop/If bodies. OpenVINO's IR reader has no limit of its own (each
  /// body is read by a recursive XmlDeserializer::parse_function, src/frontends/ir/src/
  /// ir_deserializer.cpp), and current releases load models nested 64 deep; irlint reads as
  /// many, and stops beyond to bound its own recursion.
  int max_body_depth = 64;
  uint64_t max_elements = uint64_t{1} << 48;  ///< elements in one port's tensor
  uint64_t max_attribute_bytes = 16u << 20;   ///< one attribute value
  int max_meta_depth = 64;                    ///< nesting of `<meta_data>`/`<rt_info>` elements
  /// The top-level `<layers>` are parsed in pieces of at most about this many bytes (smaller in
  /// a small file, for eight per thread), so that the DOM of the whole file never sits in memory
  /// at once; 0 parses the whole file as one document.
  uint64_t chunk_bytes = 1u << 20;
  /// Threads that read chunks at once; 0: one per core.
  unsigned read_threads = 0;
  /// With more than one read thread, the scan that finds the chunks runs in two halves at once
  /// when `<layers>` holds at least twice this many bytes; 0: one scan.
  uint64_t split_scan_bytes = 1u << 20;
};

/// Where the top-level `<layers>` of a `<net>` lie in the text, cut into pieces of whole layers.
struct LayerChunks {
  size_t net_begin = 0;  ///< the `<net …>` start tag: [net_begin, net_end)
  size_t net_end = 0;
  size_t content_begin = 0;  ///< just after `<layers>`
  size_t content_end = 0;    ///< at `</layers>`
  size_t layer_count = 0;    ///< `<layer>` elements directly inside `<layers>`
  /// One piece: [begin, end) holds whole elements and `layers` top-level `<layer>` elements.
  struct Chunk {
    size_t begin = 0;
    size_t end = 0;
    size_t layers = 0;
  };
  std::vector<Chunk> chunks;  ///< in order, covering the content
};

/// Cuts the text of an IR into chunks of about `chunk_bytes` of whole top-level layers, by a
/// scan of its markup (comments, CDATA and quoted values skipped). Nullopt when the file does not
/// have the plain shape `<net …><layers>…</layers>…</net>` (no `<net>` root, a DOCTYPE, an empty
/// or missing `<layers>`, markup cut short): such files are parsed as one document. With
/// `split_bytes` > 0, a `<layers>` of at least twice that many bytes is scanned in two halves at
/// once; the result is the same but for where chunks are cut.
std::optional<LayerChunks> find_layer_chunks(std::string_view text, size_t chunk_bytes,
                                             size_t split_bytes = 0);

/// Reads `xml_path` (and stats its weights file) into a model. Never throws: every problem
/// becomes a ReaderIssue, and `fatal` is set when no usable graph could be built.
/// `bin_path` empty means "the .bin next to the XML".
std::shared_ptr<IrModel> read_ir(const std::string& xml_path, const std::string& bin_path = {},
                                 const ReadLimits& limits = {});

/// Reads an IR from memory; `path` is used in diagnostics only, `bin_size` stands in for
/// the weights file (nullopt: no weights).
std::shared_ptr<IrModel> read_ir_text(std::string path, std::string text,
                                      std::optional<uint64_t> bin_size,
                                      const ReadLimits& limits = {});

/// Maps byte offsets of a text to 1-based line:column. Line starts are kept as 32-bit offsets
/// (64-bit only for texts of 4 GiB or more), and a lookup first tries the line of the previous
/// one, so that the reader's in-order lookups cost O(1).
class LineTable {
 public:
  explicit LineTable(std::string_view text);
  SourcePos position(size_t offset) const { return position(offset, hint_); }
  /// The same with the caller's hint, for lookups from several threads.
  SourcePos position(size_t offset, size_t& hint) const;

 private:
  template <typename T>
  SourcePos find(const std::vector<T>& starts, size_t offset, size_t& hint) const;

  std::vector<uint32_t> starts_;
  std::vector<uint64_t> wide_starts_;  ///< used instead of starts_ for texts of 4 GiB or more
  mutable size_t hint_ = 0;            ///< index of the line of the previous lookup
};

/// Parses one IR dimension: "224", "-1" or "?" (dynamic), "1..10", "..10", "2..".
std::optional<Dim> parse_dim(std::string_view text);
/// A shape as an attribute writes it: dimensions, or a dynamic rank ("...").
struct PartialShape {
  bool dynamic_rank = false;
  Shape dims;  ///< empty with a static rank: a scalar
  /// A dimension written as a reversed bound ("10..2"): an interval no size falls in.
  std::optional<std::string> empty_interval;
};
/// Parses a partial-shape attribute (a Parameter's `shape`) as OpenVINO's IR reader does: "..."
/// is a dynamic rank; otherwise comma-separated dimensions, each "?" or "-1" (dynamic), digits,
/// or a bound "lo..hi" with either side empty; an empty field ("1,,2") is an error, a blank one
/// is 0, a trailing comma is ignored, and "[...]" around the list is allowed. Nullopt with
/// `error` set when OpenVINO throws (and for a number past 64 bits). A reversed bound ("10..2"),
/// which OpenVINO reads as an empty interval, is kept as a dynamic Dim and named in
/// `empty_interval`.
std::optional<PartialShape> parse_partial_shape(std::string_view text, std::string* error);
/// The tensor names of a port's `names` attribute: split at commas, where a comma after a
/// backslash belongs to the name (as XmlDeserializer::parse_generic_params restores it).
std::vector<std::string> tensor_names(std::string_view names);
/// Parses a comma-separated integer list such as "1,1" (spaces allowed).
std::optional<std::vector<int64_t>> parse_int_list(std::string_view text);
/// Number of elements of a static shape, nullopt when dynamic or when it overflows 64 bits.
std::optional<uint64_t> element_count(const Shape& shape);

}  // namespace irlint
