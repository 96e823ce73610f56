#include "xml_scan.hpp"

#include <future>
#include <string>
#include <system_error>
#include <utility>

#include "threads.hpp"

namespace irlint {
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

/// Finds the `<net>` start tag and the content of its `<layers>` child: every element up to
/// there counts, the first must be `<net>` and `<layers>` its child, not empty.
std::optional<LayerChunks> find_layers(std::string_view text) {
  MarkupScan scan(text);
  LayerChunks out;
  int depth = 0;
  while (true) {
    if (!scan.next() || !scan.finish_tag()) return std::nullopt;
    if (scan.closing()) {
      if (--depth < 1) return std::nullopt;  // </net> (or worse) before <layers>
      continue;
    }
    if (depth == 0 && scan.name() != "net") return std::nullopt;
    if (depth == 0) {
      out.net_begin = scan.tag_begin();
      out.net_end = scan.position();
    }
    if (depth == 1 && scan.name() == "layers") {
      if (scan.self_closing()) return std::nullopt;
      out.content_begin = scan.position();
      return out;
    }
    if (!scan.self_closing()) ++depth;
  }
}

}  // namespace

std::optional<LayerChunks> find_layer_chunks(std::string_view text, size_t chunk_bytes,
                                             size_t split_bytes) {
  std::optional<LayerChunks> found_layers = find_layers(text);
  if (!found_layers) return std::nullopt;
  LayerChunks& out = *found_layers;
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
  return found_layers;
}

}  // namespace irlint
