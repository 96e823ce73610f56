// Tables of counters with a `layerName` header: benchmark_app's `;`-separated
// benchmark_{detailed,average}_counters_report.csv, and the same table pasted as Markdown.

#include <algorithm>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {
namespace {

/// The separator of the first table header among the lines: ';', '|', or 0 when none.
char first_header_separator(const std::vector<std::string_view>& lines) {
  for (std::string_view l : lines) {
    l = trim(l);
    if (l.starts_with("layerName;")) return ';';
    if (l.starts_with('|') && l.find("layerName") != std::string_view::npos) return '|';
  }
  return 0;
}

std::string unescape_markdown(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

/// The cells of a line; nullopt for a Markdown line that is not a table row.
std::optional<std::vector<std::string>> cells_of(std::string_view line, char sep) {
  line = trim(line);
  if (sep == '|') {
    if (!line.starts_with('|')) return std::nullopt;
    line.remove_prefix(1);
    if (line.ends_with('|')) line.remove_suffix(1);
  }
  std::vector<std::string> cells;
  for (std::string_view c : split(line, sep)) {
    cells.push_back(sep == '|' ? unescape_markdown(trim(c)) : std::string(trim(c)));
  }
  return cells;
}

/// Whether a row of cells is no node: a rule line, a total, or a row before any header.
bool is_not_a_node(const std::vector<std::string>& cells) {
  return cells.empty() || cells[0].empty() || cells[0].starts_with("---") || cells[0] == "Total" ||
         cells[0].starts_with("Total ");
}

ObservedRow row_of_cells(const std::vector<std::string>& header,
                         const std::vector<std::string>& cells, int line_no) {
  ObservedRow row;
  row.line = line_no;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string& key = header[c];
    if (c >= cells.size()) {
      row.missing.push_back(key);
      continue;
    }
    const std::string& value = cells[c];
    if (key == "layerName")
      set_name(row, value);
    else if (key == "execStatus")
      row.status = parse_status(value);
    else if (key == "layerType")
      row.layer_type = value;
    else if (key == "execType")
      row.exec = parse_exec_type(value);
    else if (key.starts_with("realTime")) {
      auto t = to_number(value);
      if (t) row.real_time_us = key.find("(ms)") != std::string::npos ? *t * 1000 : *t;
    }
  }
  return row;
}

void read_table(const std::vector<std::string_view>& lines, char sep, Evidence& ev) {
  std::vector<std::string> header;
  for (size_t i = 0; i < lines.size(); ++i) {
    int line_no = static_cast<int>(i) + 1;
    std::optional<std::vector<std::string>> cells = cells_of(lines[i], sep);
    if (!cells) continue;
    if (std::find(cells->begin(), cells->end(), "layerName") != cells->end()) {
      if (!header.empty() && !ev.rows.empty()) {
        ev.notes.push_back({line_no, "a further table follows; only the first was read"});
        break;
      }
      header = std::move(*cells);
      continue;
    }
    if (header.empty() || is_not_a_node(*cells)) continue;
    ObservedRow row = row_of_cells(header, *cells, line_no);
    note_missing(row, ev);
    ev.rows.push_back(std::move(row));
  }
  if (header.empty()) ev.notes.push_back({0, "no table header (layerName …) found"});
}

}  // namespace

bool is_counters_csv(const EvidenceText& in) { return first_header_separator(in.lines) == ';'; }

void read_counters_csv(const EvidenceText& in, Evidence& ev) { read_table(in.lines, ';', ev); }

bool is_markdown_table(const EvidenceText& in) { return first_header_separator(in.lines) == '|'; }

void read_markdown_table(const EvidenceText& in, Evidence& ev) { read_table(in.lines, '|', ev); }

}  // namespace irlint::evidence_detail
