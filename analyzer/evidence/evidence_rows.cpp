#include "evidence_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "evidence_scan.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines = split(text, '\n');
  for (std::string_view& l : lines) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  }
  return lines;
}

std::optional<double> to_number(std::string_view s) { return parse_number<double>(trim(s)); }

ExecStatus parse_status(std::string_view s) {
  s = trim(s);
  if (s.starts_with("Status.")) s.remove_prefix(7);
  if (s == "EXECUTED") return ExecStatus::executed;
  if (s == "NOT_RUN") return ExecStatus::not_run;
  if (s == "OPTIMIZED_OUT") return ExecStatus::optimized_out;
  return ExecStatus::unknown;
}

bool is_precision_token(std::string_view t) {
  static const std::set<std::string_view> kNames = {"FP32", "FP16", "BF16", "U8", "I8",  "I16",
                                                    "U16",  "I32",  "I64",  "U1", "BOOL"};
  return kNames.contains(t);
}

void set_name(ObservedRow& row, std::string_view name) {
  name = trim(name);
  std::string n(name.substr(subgraph_prefix(name)));
  if (n.size() >= 3 && n.ends_with("...")) {
    row.name_truncated = true;
    n.resize(n.size() - 3);
  }
  row.name = n;
}

ObservedRow row_from_keys(const KeyValues& kv, std::string_view name) {
  ObservedRow row;
  set_name(row, name);
  auto get = [&](std::initializer_list<std::string_view> keys) -> std::string {
    for (std::string_view k : keys) {
      auto it = kv.find(std::string(k));
      if (it != kv.end()) return it->second;
    }
    return "";
  };
  row.layer_type = get({"layerType", "layer_type", "node_type", "execLayerType"});
  row.exec = parse_exec_type(get({"primitiveType", "execType", "exec_type"}));
  row.runtime_precision = get({"runtimePrecision"});
  row.output_precision = get({"outputPrecisions"});
  row.output_layout = get({"outputLayouts"});
  // Named: split() returns views into it, and a temporary would die before the loop body.
  std::string original_names = get({"originalLayersNames"});
  for (std::string_view n : split(original_names, ',')) {
    if (!trim(n).empty()) row.original_names.emplace_back(trim(n));
  }
  if (auto order = to_number(get({"execOrder"}))) row.exec_order = static_cast<int>(*order);
  if (auto t = to_number(get({"execTimeMcs"}))) row.real_time_us = *t;
  std::string status = get({"execStatus", "status"});
  if (!status.empty()) {
    row.status = parse_status(status);
  } else {
    // Runtime graphs list only nodes that exist; constants, inputs and outputs do not compute.
    static const std::set<std::string_view> kPassive = {"Const", "Input", "Parameter", "Output",
                                                        "Result"};
    row.status = kPassive.contains(row.layer_type) || row.exec.impl_class == "unknown"
                     ? ExecStatus::not_run
                     : ExecStatus::executed;
  }
  return row;
}

KeyValues key_values(std::string_view block) {
  KeyValues kv;
  for (std::string_view l : lines_of(block)) {
    l = trim(l);
    if (l.starts_with('#')) l = trim(l.substr(1));
    size_t eq = l.find('=');
    if (eq != std::string_view::npos)
      kv[std::string(l.substr(0, eq))] = std::string(l.substr(eq + 1));
  }
  return kv;
}

void sort_by_exec_order(Evidence& ev) {
  std::sort(ev.rows.begin(), ev.rows.end(),
            [](const ObservedRow& a, const ObservedRow& b) { return a.exec_order < b.exec_order; });
}

void note_missing(const ObservedRow& row, Evidence& ev) {
  if (row.missing.empty()) return;
  ev.notes.push_back({row.line, fmt::format("row '{}' is cut off: no {}", row.name,
                                            fmt::join(row.missing, ", "))});
}

}  // namespace irlint::evidence_detail
