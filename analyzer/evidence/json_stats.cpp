// benchmark_app `-json_stats` reports: the first array of objects carrying `exec_type`.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {
namespace {

using nlohmann::json;

/// The line where JSON nesting first passes `limit` levels (brackets inside strings do not count),
/// 0 when it never does.
int line_nested_deeper_than(std::string_view text, int limit) {
  int depth = 0, line = 1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        ++i;
        if (text[i] == '\n') ++line;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return line;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return 0;
}

/// The first of `keys` the object has as a string or a number, as text; empty when none.
std::string text_of(const json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!o.contains(k)) continue;
    const auto& v = o[k];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number()) return fmt::format("{}", v.get<double>());
  }
  return "";
}

bool is_node_array(const json& j) {
  return j.is_array() && !j.empty() && j.front().is_object() &&
         (j.front().contains("exec_type") || j.front().contains("execType"));
}

void read_nodes(const json& nodes, Evidence& ev) {
  for (const auto& n : nodes) {
    if (!n.is_object()) continue;
    ObservedRow row;
    set_name(row, text_of(n, {"name", "layerName", "node_name"}));
    row.layer_type = text_of(n, {"node_type", "layerType", "layer_type"});
    row.exec = parse_exec_type(text_of(n, {"exec_type", "execType"}));
    row.status = parse_status(text_of(n, {"status", "execStatus"}));
    if (auto t = to_number(text_of(n, {"real_time", "realTime"}))) row.real_time_us = *t * 1000;
    ev.rows.push_back(std::move(row));
  }
}

/// The version and device an object states, unless an earlier one stated them.
void read_run_fields(const json& o, Evidence& ev) {
  if (ev.openvino_version.empty()) {
    for (const char* k : {"version", "openvino_version"}) {
      if (o.contains(k) && o[k].is_string()) ev.openvino_version = o[k].get<std::string>();
    }
  }
  if (ev.device.empty() && o.contains("device") && o["device"].is_string()) {
    ev.device = o["device"].get<std::string>();
  }
}

/// Walks the document in order up to the first array of nodes, which it reads; whether found.
bool find_nodes(const json& j, Evidence& ev) {
  if (is_node_array(j)) {
    read_nodes(j, ev);
    return true;
  }
  if (j.is_object()) read_run_fields(j, ev);
  if (j.is_structured()) {
    for (const auto& child : j) {
      if (find_nodes(child, ev)) return true;
    }
  }
  return false;
}

}  // namespace

bool is_json_stats(const EvidenceText& in) {
  std::string_view t = trim(in.text);
  return t.starts_with('{') || (t.starts_with('[') && trim(t.substr(1)).starts_with('{'));
}

void read_json_stats(const EvidenceText& in, Evidence& ev) {
  // Statistics files nest a few levels; a limit keeps the walk below shallow and the document
  // small.
  if (int line = line_nested_deeper_than(in.text, kMaxEvidenceJsonDepth)) {
    ev.notes.push_back(
        {line, fmt::format("JSON nested deeper than {} levels; not read", kMaxEvidenceJsonDepth)});
    return;
  }
  json doc = json::parse(in.text, nullptr, false);
  if (doc.is_discarded()) {
    ev.notes.push_back({0, "not valid JSON (cut off?)"});
    return;
  }
  if (!find_nodes(doc, ev)) ev.notes.push_back({0, "no array of nodes with an exec_type found"});
}

}  // namespace irlint::evidence_detail
