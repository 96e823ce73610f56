#pragma once
// The scan that cuts the top-level `<layers>` of an IR's text into chunks of whole layers, read
// without a DOM so that the chunks can be parsed on several threads.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace irlint {

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

}  // namespace irlint
