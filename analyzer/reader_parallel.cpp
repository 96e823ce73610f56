// The read of a file's text: its bytes checked, its `<layers>` cut into chunks that several
// threads read at once while this one parses the rest, or the whole file as one document.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <system_error>
#include <thread>

#include "reader_impl.hpp"
#include "threads.hpp"

namespace irlint::detail {
namespace {

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

}  // namespace

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
    fresh_graph(model, first_slot.back());
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
    for (pugi::xml_node n = doc.child("layer"); n; n = n.next_sibling("layer"), ++slot) {
      if (slot == first_slot[k + 1]) {  // more layers than the scan counted: read it whole
        r.rejected = true;
        return;
      }
      kept[slot] = reader.read_layer(r.sink, n, legacy_, model_.graph[slot]);
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
  Vertex next_vertex = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    ChunkReading::Piece& r = results[k];
    size_t issue = 0;
    for (size_t i = 0; i < r.issue_end.size(); ++i) {
      for (; issue < r.issue_end[i]; ++issue)
        model.issues.push_back(std::move(r.sink.issues[issue]));
      size_t slot = first_slot[k] + i;
      if (!kept[slot]) continue;
      Layer& layer = model.graph[slot];
      if (std::optional<Vertex> seen = by_id.insert(layer.id, next_vertex)) {
        report_duplicate(model, model.graph[*seen], layer);
        continue;
      }
      if (slot != next_vertex) model.graph[next_vertex] = std::move(layer);
      ++next_vertex;
    }
    r = ChunkReading::Piece{};
  }
  keep_vertices(model.graph, next_vertex);
}

namespace {

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

/// The line table of a text; for a large file it is built on another thread while this one
/// checks the bytes and finds the chunks, and get() waits for it.
class PendingLineTable {
 public:
  PendingLineTable(std::string_view text, const ReadLimits& limits) {
    if (text.size() >= (1u << 20) && limits.read_threads != 1 &&
        std::thread::hardware_concurrency() > 1) {
      try {
        builder_ = start_thread<std::jthread>([this, text] { table_.emplace(text); });
      } catch (const std::system_error&) {  // no thread to be had: build it here
      }
    }
    if (!builder_.joinable()) table_.emplace(text);
  }
  PendingLineTable(const PendingLineTable&) = delete;
  PendingLineTable& operator=(const PendingLineTable&) = delete;

  /// The table, once it is built.
  const LineTable& get() {
    if (builder_.joinable()) builder_.join();
    return *table_;
  }

 private:
  std::optional<LineTable> table_;
  std::jthread builder_;  // after table_: joined before the table is destroyed
};

/// Refuses a text that is empty, holds a NUL byte or is not UTF-8; true when it did.
bool refuse_bytes(IrModel& model, std::string_view text, PendingLineTable& lines) {
  if (text.empty()) {
    fail(model, ReaderCheck::malformed_xml, {1, 1}, "the file is empty");
    return true;
  }
  if (size_t at = text.find('\0'); at != std::string_view::npos) {
    fail(model, ReaderCheck::malformed_xml, lines.get().position(at),
         "the file contains a NUL byte: it is binary, not XML");
    return true;
  }
  if (size_t bad = invalid_utf8(text); bad != std::string_view::npos) {
    fail(model, ReaderCheck::malformed_xml, lines.get().position(bad),
         fmt::format("byte 0x{:02X} is not valid UTF-8: an IR is written in UTF-8",
                     static_cast<unsigned>(static_cast<unsigned char>(text[bad]))));
    return true;
  }
  return false;
}

/// The chunks the text's `<layers>` is read in, or nullopt to read it as one document.
std::optional<LayerChunks> chunks_to_read(std::string_view text, const ReadLimits& limits) {
  if (limits.chunk_bytes == 0) return std::nullopt;
  // Several chunks per thread, so that the threads finish together (a 5 MB file in 1 MB
  // chunks kept one thread reading three chunks while the other had read its two).
  unsigned threads = read_threads(limits);
  uint64_t bytes = limits.chunk_bytes;
  if (threads > 1)
    bytes = std::min(bytes, std::max<uint64_t>(64 << 10, text.size() / (8 * threads)));
  return find_layer_chunks(text, bytes, threads > 1 ? limits.split_scan_bytes : 0);
}

/// Reads `buffer` (`size` bytes and a NUL) as one document into `model`, which keeps it.
std::shared_ptr<IrModel> read_document(std::shared_ptr<IrModel> model,
                                       std::unique_ptr<char[]> buffer, size_t size,
                                       const Reader& reader, PendingLineTable& lines,
                                       const ReadLimits& limits) {
  std::string_view text(buffer.get(), size);
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
    fail(*model, ReaderCheck::malformed_xml, lines.get().position(at),
         fmt::format("the XML is not well-formed: {}{}", result.description(),
                     truncated ? " (the file ends here: it looks truncated)" : ""));
    return model;
  }
  // pugixml never expands a DTD's entities nor reads external ones; reject the file so that
  // nothing declared there can change what the IR means.
  for (pugi::xml_node n : doc.children()) {
    if (n.type() != pugi::node_doctype) continue;
    size_t at = text.find("<!DOCTYPE");
    fail(*model, ReaderCheck::malformed_xml,
         at == std::string_view::npos ? SourcePos{1, 1} : lines.get().position(at),
         "the file has a <!DOCTYPE> declaration: an IR never has one, and irlint neither "
         "expands its entities nor reads external ones");
    return model;
  }
  read_net(*model, reader, doc, limits, nullptr);
  return model;
}

}  // namespace

std::shared_ptr<IrModel> parse(std::shared_ptr<IrModel> model, std::unique_ptr<char[]> buffer,
                               size_t size, const ReadLimits& limits, const Reload& reload) {
  std::string_view text(buffer.get(), size);
  PendingLineTable lines(text, limits);
  if (refuse_bytes(*model, text, lines)) return model;
  std::optional<LayerChunks> chunks = chunks_to_read(text, limits);
  Reader reader(text, lines.get(), limits);
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
      fail(*model, ReaderCheck::unreadable_file, {}, "cannot read the file");
      return model;
    }
    reader.set_offsets({size});
  }
  return read_document(std::move(model), std::move(buffer), size, reader, lines, limits);
}

}  // namespace irlint::detail
