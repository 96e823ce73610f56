#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ir_model.hpp"
// What the reader's parts offer on their own, for the callers of the reader.
#include "line_table.hpp"
#include "shape_text.hpp"
#include "xml_scan.hpp"

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

}  // namespace irlint
