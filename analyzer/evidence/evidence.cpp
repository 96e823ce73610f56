#include "evidence.hpp"

#include <algorithm>
#include <iterator>
#include <string>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "input_file.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {
namespace {

/// Any XML that is not an exec graph: an IR, or something else that is not evidence.
bool is_other_xml(const EvidenceText& in) { return trim(in.text).starts_with('<'); }

void note_not_evidence(const EvidenceText& in, Evidence& ev) {
  ev.notes.push_back({0, in.text.find("<net") != std::string_view::npos
                             ? "an IR model, not evidence (no execOrder)"
                             : "no counters, exec graph or runtime model recognised"});
}

/// A format with what recognises it and what reads it.
struct FormatReader {
  EvidenceFormat format;
  std::string_view name;  ///< what to_string says
  bool (*recognises)(const EvidenceText&);
  void (*read)(const EvidenceText&, Evidence&);
};

// Tried in this order; the first that recognises the text reads it. A new format is one file
// (evidence_formats.hpp) and one line here.
constexpr FormatReader kReaders[] = {
    {EvidenceFormat::json_stats, "json-stats", is_json_stats, read_json_stats},
    {EvidenceFormat::runtime_svg, "runtime-model-svg", is_runtime_svg, read_runtime_svg},
    {EvidenceFormat::exec_graph, "exec-graph", is_exec_graph, read_exec_graph},
    // Before the text formats: an IR may hold their markers, in names or comments.
    {EvidenceFormat::none, "none", is_other_xml, note_not_evidence},
    {EvidenceFormat::nodes_tsv, "nodes-tsv", is_nodes_tsv, read_nodes_tsv},
    {EvidenceFormat::runtime_text, "runtime-model-text", is_runtime_text, read_runtime_text},
    {EvidenceFormat::perf_counts, "perf-counts", is_perf_counts, read_perf_counts},
    {EvidenceFormat::counters_csv, "counters-csv", is_counters_csv, read_counters_csv},
    {EvidenceFormat::markdown_table, "markdown-table", is_markdown_table, read_markdown_table},
};

}  // namespace
}  // namespace irlint::evidence_detail

namespace irlint {

using evidence_detail::EvidenceText;
using evidence_detail::FormatReader;
using evidence_detail::kReaders;

std::string_view to_string(EvidenceFormat format) {
  for (const FormatReader& reader : kReaders) {
    if (reader.format == format) return reader.name;
  }
  return "?";
}

Evidence parse_evidence(std::string_view text, std::string_view path) {
  Evidence ev;
  ev.path = std::string(path);
  EvidenceText in{text, evidence_detail::lines_of(text)};
  auto reader = std::find_if(std::begin(kReaders), std::end(kReaders),
                             [&](const FormatReader& r) { return r.recognises(in); });
  if (reader == std::end(kReaders)) {
    evidence_detail::note_not_evidence(in, ev);
    return ev;
  }
  ev.format = reader->format;
  reader->read(in, ev);
  if (ev.format != EvidenceFormat::none && ev.rows.empty()) {
    ev.notes.push_back({0, "no rows found"});
  }
  return ev;
}

Evidence read_evidence(const std::string& path) {
  std::string error;
  std::optional<std::string> text = read_input_file(path, kMaxEvidenceBytes, &error);
  if (!text) {
    Evidence ev;
    ev.path = path;
    ev.notes.push_back({0, "cannot read the file: " + error});
    return ev;
  }
  return parse_evidence(*text, path);
}

}  // namespace irlint
