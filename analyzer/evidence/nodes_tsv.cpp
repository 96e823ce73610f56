// Runtime-node tables: tab-separated, a header starting `execOrder`, the exec graph's keys as
// columns (the derived `*.tsv` files in shared/observed).

#include <fmt/format.h>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {

bool is_nodes_tsv(const EvidenceText& in) {
  return !in.lines.empty() && in.lines.front().starts_with("execOrder\t");
}

void read_nodes_tsv(const EvidenceText& in, Evidence& ev) {
  std::vector<std::string_view> header;
  for (size_t i = 0; i < in.lines.size(); ++i) {
    if (trim(in.lines[i]).empty()) continue;
    auto cells = split(in.lines[i], '\t');
    if (header.empty()) {
      header = cells;
      continue;
    }
    KeyValues kv;
    std::string name;
    for (size_t c = 0; c < header.size() && c < cells.size(); ++c) {
      if (header[c] == "name")
        name = std::string(cells[c]);
      else
        kv[std::string(header[c])] = std::string(cells[c]);
    }
    ObservedRow row = row_from_keys(kv, name);
    row.line = static_cast<int>(i) + 1;
    if (cells.size() < header.size()) {
      for (size_t c = cells.size(); c < header.size(); ++c) row.missing.emplace_back(header[c]);
      ev.notes.push_back({row.line, fmt::format("row '{}' has {} of {} columns", row.name,
                                                cells.size(), header.size())});
    }
    ev.rows.push_back(std::move(row));
  }
}

}  // namespace irlint::evidence_detail
