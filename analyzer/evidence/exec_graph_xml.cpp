// Exec graphs (`-exec_graph_path`) and serialized runtime models: `<net>` XML whose layers carry
// execOrder, layerType, primitiveType, … in `<data>` attributes or `<rt_info>` children.

#include <fmt/format.h>

#include <pugixml.hpp>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {

bool is_exec_graph(const EvidenceText& in) {
  std::string_view t = trim(in.text);
  return t.starts_with('<') && t.find("execOrder") != std::string_view::npos;
}

void read_exec_graph(const EvidenceText& in, Evidence& ev) {
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(in.text.data(), in.text.size());
  if (!res)
    ev.notes.push_back({0, fmt::format("XML is damaged at byte {}: {}; reading what parsed",
                                       res.offset, res.description())});
  for (pugi::xml_node layer : doc.child("net").child("layers").children("layer")) {
    KeyValues kv;
    for (pugi::xml_attribute a : layer.child("data").attributes()) kv[a.name()] = a.value();
    for (pugi::xml_node a : layer.child("rt_info").children("attribute")) {
      kv[a.attribute("name").value()] = a.attribute("value").value();
    }
    ObservedRow row = row_from_keys(kv, layer.attribute("name").value());
    if (row.layer_type.empty()) row.layer_type = layer.attribute("type").value();
    ev.rows.push_back(std::move(row));
  }
  sort_by_exec_order(ev);
}

}  // namespace irlint::evidence_detail
