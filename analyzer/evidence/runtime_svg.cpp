// Graphviz SVGs of a runtime model: each node's rt_info, `key=value` lines, in its xlink:title.

#include <fmt/format.h>

#include <pugixml.hpp>
#include <set>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {
namespace {

/// Every xlink:title in document order, without recursion: the nesting is the file's to choose.
std::vector<std::string> titles_of(const pugi::xml_document& doc) {
  std::vector<std::string> titles;
  for (pugi::xml_node n = doc.first_child(); n;) {
    if (pugi::xml_attribute a = n.attribute("xlink:title")) titles.emplace_back(a.value());
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != doc && !n.next_sibling()) n = n.parent();
    n = n && n != doc ? n.next_sibling() : pugi::xml_node();
  }
  return titles;
}

}  // namespace

bool is_runtime_svg(const EvidenceText& in) {
  return in.text.find("<svg") != std::string_view::npos;
}

void read_runtime_svg(const EvidenceText& in, Evidence& ev) {
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(in.text.data(), in.text.size());
  if (!res)
    ev.notes.push_back(
        {0, fmt::format("SVG is damaged at byte {}: {}", res.offset, res.description())});
  std::set<std::string> seen;
  for (const std::string& title : titles_of(doc)) {
    if (title.find("execOrder=") == std::string::npos || !seen.insert(title).second) continue;
    std::string_view name = trim(std::string_view(title).substr(0, title.find('\n')));
    ev.rows.push_back(row_from_keys(key_values(title), name));
  }
  sort_by_exec_order(ev);
}

}  // namespace irlint::evidence_detail
