#include "evidence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "input_file.hpp"
#include "text.hpp"

namespace irlint {
namespace {

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

// Hand-written scanners instead of std::regex: libstdc++'s matcher recurses once per character,
// so one long line of evidence overflowed the stack. Each scanner is linear in its input and
// documents the regular expression it stands for.

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

size_t skip_digits(std::string_view s, size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

/// Length of `subgraph\d+:\s*` at the start of `s`, 0 when it is not there.
size_t subgraph_prefix(std::string_view s) {
  if (!s.starts_with("subgraph")) return 0;
  size_t i = skip_digits(s, 8);
  if (i == 8 || i >= s.size() || s[i] != ':') return 0;
  return skip_spaces(s, i + 1);
}

/// `^\s*(?:subgraph\d+:\s*)?(\S+)\s{2,}(\S+)$`: a line of two words at least two spaces apart.
std::optional<std::pair<std::string_view, std::string_view>> two_words(std::string_view s) {
  auto words =
      [](std::string_view r) -> std::optional<std::pair<std::string_view, std::string_view>> {
    size_t a = 0;
    while (a < r.size() && !is_space(r[a])) ++a;
    if (a == 0) return std::nullopt;
    size_t b = skip_spaces(r, a);
    if (b - a < 2 || b == r.size()) return std::nullopt;
    for (size_t k = b; k < r.size(); ++k) {
      if (is_space(r[k])) return std::nullopt;
    }
    return std::pair{r.substr(0, a), r.substr(b)};
  };
  s.remove_prefix(skip_spaces(s, 0));
  if (size_t p = subgraph_prefix(s)) {
    if (auto w = words(s.substr(p))) return w;
  }
  return words(s);
}

/// Whether `20[12]\d\.\d` starts at `s[i]`.
bool year_dot_digit_at(std::string_view s, size_t i) {
  return i + 5 < s.size() && s[i] == '2' && s[i + 1] == '0' &&
         (s[i + 2] == '1' || s[i + 2] == '2') && is_digit(s[i + 3]) && s[i + 4] == '.' &&
         is_digit(s[i + 5]);
}

/// The leftmost `20[12]\d\.\d+(?:\.\d+)?(?:-[0-9A-Za-z_-]+)?` in `s`, empty when none.
std::string_view find_version(std::string_view s) {
  auto tag = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (!year_dot_digit_at(s, i)) continue;
    size_t j = skip_digits(s, i + 5);
    if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) j = skip_digits(s, j + 1);
    if (j + 1 < s.size() && s[j] == '-' && tag(s[j + 1])) {
      ++j;
      while (j < s.size() && tag(s[j])) ++j;
    }
    return s.substr(i, j - i);
  }
  return {};
}

/// The word after the leftmost `\s-d\s+(\S+)` in `s` (benchmark_app's device), empty when none.
std::string_view find_device_option(std::string_view s) {
  for (size_t i = 0; i + 3 < s.size(); ++i) {
    if (!is_space(s[i]) || s[i + 1] != '-' || s[i + 2] != 'd') continue;
    size_t j = skip_spaces(s, i + 3);
    if (j == i + 3 || j == s.size()) continue;
    size_t k = j;
    while (k < s.size() && !is_space(s[k])) ++k;
    return s.substr(j, k - j);
  }
  return {};
}

/// The name in the leftmost `=\s*([^\s(]+)\(` in `s` ("... = Convolution_1(...)"), empty when none.
std::string_view find_call_name(std::string_view s) {
  for (size_t i = s.find('='); i != std::string_view::npos;) {
    size_t j = skip_spaces(s, i + 1);
    size_t k = j;
    while (k < s.size() && !is_space(s[k]) && s[k] != '(') ++k;
    if (k > j && k < s.size() && s[k] == '(') return s.substr(j, k - j);
    // Every '=' before the last character of this run ends its name at the same k, and fails
    // the same way: resume from there so that a line of '=' stays linear.
    i = s.find('=', std::max(i + 1, k == j ? i + 1 : k - 1));
  }
  return {};
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines = split(text, '\n');
  for (std::string_view& l : lines) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  }
  return lines;
}

std::optional<double> to_number(std::string_view s) { return parse_number<double>(trim(s)); }

/// "0:00:00.000226" (Python timedelta) or "21" (C++, microseconds) to microseconds.
std::optional<double> parse_time_us(std::string_view s) {
  s = trim(s);
  if (s.find(':') == std::string_view::npos) return to_number(s);
  auto parts = split(s, ':');
  if (parts.size() != 3) return std::nullopt;
  auto h = to_number(parts[0]), m = to_number(parts[1]), sec = to_number(parts[2]);
  if (!h || !m || !sec) return std::nullopt;
  return ((*h * 60 + *m) * 60 + *sec) * 1e6;
}

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

/// oneDNN format tags: a permutation of the first dims' letters, some capitalised (blocked), then
/// block sizes ("aBcd8b", "ABcd2b8a4b", "acdb"), or the legacy mkldnn names ("nChw8c").
bool is_format_token(std::string_view t) {
  static const std::set<std::string_view> kLegacy = {
      "nchw", "nhwc", "nChw8c", "nChw16c", "nc",  "ncdhw", "ndhwc", "nCdhw8c", "nCdhw16c",
      "chwn", "oihw", "x",      "blocked", "any", "tnc",   "ntc",   "ncw",     "nwc"};
  if (kLegacy.contains(t)) return true;
  size_t i = 0;
  std::string seen;
  while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) {
    seen += static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
    ++i;
  }
  if (seen.empty() || seen.size() > 6) return false;
  std::string sorted = seen;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (sorted[k] != static_cast<char>('a' + k)) return false;
  }
  // Block suffixes: digits then a lower-case letter among the dims.
  while (i < t.size()) {
    size_t digits = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == digits || i >= t.size() || seen.find(t[i]) == std::string::npos) return false;
    ++i;
  }
  return true;
}

std::string unescape_markdown(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
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

/// Fills a row from exec-graph style keys (execOrder, layerType, primitiveType, …).
ObservedRow row_from_keys(const std::map<std::string, std::string>& kv, std::string_view name) {
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

// ---- perf-counter console text ----

void parse_perf_counts(const std::vector<std::string_view>& lines, Evidence& ev) {
  bool seen_table = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    int line_no = static_cast<int>(i) + 1;
    if (line.find("Performance counts for") != std::string_view::npos) {
      if (seen_table && !ev.rows.empty()) {
        ev.notes.push_back({line_no,
                            "a further infer request's counters follow; only the first "
                            "table was read"});
        return;
      }
      seen_table = true;
      continue;
    }
    size_t type_pos = line.find("layerType:");
    if (type_pos == std::string_view::npos) {
      // A row the paste cut inside its status ("Convolution_1095/fq_input_0   Sta").
      if (auto words = two_words(line)) {
        std::string tail(words->second);
        bool status_prefix = false;
        for (std::string_view full :
             {"Status.EXECUTEDlayerType:", "Status.NOT_RUN", "Status.OPTIMIZED_OUT", "EXECUTED",
              "NOT_RUN", "OPTIMIZED_OUT"}) {
          if (tail.size() >= 3 && full.starts_with(tail)) status_prefix = true;
        }
        if (status_prefix) {
          ObservedRow row;
          set_name(row, words->first);
          std::string_view st = tail;
          if (st.starts_with("Status.")) st.remove_prefix(7);
          for (std::string_view word : {"EXECUTED", "NOT_RUN", "OPTIMIZED_OUT"}) {
            if (st.starts_with(word)) row.status = parse_status(word);  // "EXECUTEDla" is cut
          }
          row.line = line_no;
          row.missing = {"layerType", "realTime", "execType"};
          if (row.status == ExecStatus::unknown) row.missing.insert(row.missing.begin(), "status");
          ev.notes.push_back(
              {line_no, fmt::format("row '{}' is cut off: only the name{} survive", row.name,
                                    row.status == ExecStatus::unknown ? "" : " and status")});
          ev.rows.push_back(std::move(row));
        }
      }
      std::string lower(line);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (ev.openvino_version.empty() && (lower.find("version") != std::string::npos ||
                                          lower.find("build") != std::string::npos)) {
        ev.openvino_version = std::string(find_version(line));
      }
      if (ev.device.empty() && lower.find("benchmark_app") != std::string::npos) {
        ev.device = std::string(find_device_option(line));
      }
      continue;
    }
    ObservedRow row;
    row.line = line_no;
    std::string_view head = line.substr(0, type_pos);
    // The status is the last word before layerType (Python glues them: "Status.EXECUTEDlayerType").
    std::string_view h = trim(head);
    size_t cut = h.find_last_of(" \t");
    std::string_view status = cut == std::string_view::npos ? h : h.substr(cut + 1);
    row.status = parse_status(status);
    if (row.status == ExecStatus::unknown || cut == std::string_view::npos) {
      set_name(row, h);
      row.status = ExecStatus::unknown;
      row.missing.push_back("status");
    } else {
      set_name(row, h.substr(0, cut));
    }
    std::string_view rest = line.substr(type_pos + 10);
    auto field = [&](std::string_view key,
                     std::string_view until) -> std::optional<std::string_view> {
      size_t at = key.empty() ? 0 : rest.find(key);
      if (at == std::string_view::npos) return std::nullopt;
      std::string_view v = rest.substr(at + key.size());
      size_t end = until.empty() ? std::string_view::npos : v.find(until);
      return trim(v.substr(0, end));
    };
    if (auto t = field("", "realTime:")) row.layer_type = std::string(*t);
    if (auto t = field("realTime:", "cpu:")) {
      row.real_time_us = parse_time_us(*t);
      if (!row.real_time_us) row.missing.push_back("realTime");
    } else {
      row.missing.push_back("realTime");
    }
    if (auto t = field("execType:", "")) {
      std::string_view e = *t;
      size_t sp = e.find_first_of(" \t");
      row.exec = parse_exec_type(e.substr(0, sp));
    } else {
      row.missing.push_back("execType");
    }
    if (row.layer_type.empty()) row.missing.insert(row.missing.begin(), "layerType");
    if (!row.missing.empty()) {
      ev.notes.push_back({line_no, fmt::format("row '{}' is cut off: no {}", row.name,
                                               fmt::join(row.missing, ", "))});
    }
    if (row.name_truncated) {
      ev.notes.push_back({line_no, fmt::format("name '{}...' is truncated", row.name)});
    }
    ev.rows.push_back(std::move(row));
  }
}

// ---- `;`-separated counters report and Markdown tables ----

void parse_table(const std::vector<std::string_view>& lines, char sep, Evidence& ev) {
  std::vector<std::string> header;
  bool done = false;
  for (size_t i = 0; i < lines.size() && !done; ++i) {
    std::string_view line = trim(lines[i]);
    int line_no = static_cast<int>(i) + 1;
    if (sep == '|') {
      if (!line.starts_with('|')) continue;
      line.remove_prefix(1);
      if (line.ends_with('|')) line.remove_suffix(1);
    }
    std::vector<std::string> cells;
    for (std::string_view c : split(line, sep)) {
      cells.push_back(sep == '|' ? unescape_markdown(trim(c)) : std::string(trim(c)));
    }
    if (std::find(cells.begin(), cells.end(), "layerName") != cells.end()) {
      if (!header.empty() && !ev.rows.empty()) {
        ev.notes.push_back({line_no, "a further table follows; only the first was read"});
        done = true;
        continue;
      }
      header = cells;
      continue;
    }
    if (header.empty() || cells.empty() || cells[0].empty() || cells[0].starts_with("---") ||
        cells[0] == "Total" || cells[0].starts_with("Total ")) {
      continue;
    }
    ObservedRow row;
    row.line = line_no;
    for (size_t c = 0; c < header.size(); ++c) {
      std::string value = c < cells.size() ? cells[c] : "";
      const std::string& key = header[c];
      if (c >= cells.size()) {
        row.missing.push_back(key);
        continue;
      }
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
    if (!row.missing.empty()) {
      ev.notes.push_back({line_no, fmt::format("row '{}' is cut off: no {}", row.name,
                                               fmt::join(row.missing, ", "))});
    }
    ev.rows.push_back(std::move(row));
  }
  if (header.empty()) ev.notes.push_back({0, "no table header (layerName …) found"});
}

// ---- JSON statistics ----

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

void parse_json(std::string_view text, Evidence& ev) {
  // Statistics files nest a few levels; a limit keeps the walk below shallow and the document
  // small.
  if (int line = line_nested_deeper_than(text, kMaxEvidenceJsonDepth)) {
    ev.notes.push_back(
        {line, fmt::format("JSON nested deeper than {} levels; not read", kMaxEvidenceJsonDepth)});
    return;
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    ev.notes.push_back({0, "not valid JSON (cut off?)"});
    return;
  }
  auto str = [](const nlohmann::json& o, std::initializer_list<const char*> keys) -> std::string {
    for (const char* k : keys) {
      if (!o.contains(k)) continue;
      const auto& v = o[k];
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number()) return fmt::format("{}", v.get<double>());
    }
    return "";
  };
  bool found = false;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (found) return;
    if (j.is_array() && !j.empty() && j.front().is_object() &&
        (j.front().contains("exec_type") || j.front().contains("execType"))) {
      found = true;
      for (const auto& n : j) {
        if (!n.is_object()) continue;
        ObservedRow row;
        set_name(row, str(n, {"name", "layerName", "node_name"}));
        row.layer_type = str(n, {"node_type", "layerType", "layer_type"});
        row.exec = parse_exec_type(str(n, {"exec_type", "execType"}));
        row.status = parse_status(str(n, {"status", "execStatus"}));
        if (auto t = to_number(str(n, {"real_time", "realTime"}))) row.real_time_us = *t * 1000;
        ev.rows.push_back(std::move(row));
      }
      return;
    }
    if (j.is_object()) {
      if (ev.openvino_version.empty()) {
        for (const char* k : {"version", "openvino_version"}) {
          if (j.contains(k) && j[k].is_string()) ev.openvino_version = j[k].get<std::string>();
        }
      }
      if (ev.device.empty() && j.contains("device") && j["device"].is_string()) {
        ev.device = j["device"].get<std::string>();
      }
    }
    if (j.is_structured()) {
      for (const auto& child : j) walk(child);
    }
  };
  walk(doc);
  if (!found) ev.notes.push_back({0, "no array of nodes with an exec_type found"});
}

// ---- exec graph XML and SVG ----

void parse_exec_graph(std::string_view text, Evidence& ev) {
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(text.data(), text.size());
  if (!res)
    ev.notes.push_back({0, fmt::format("XML is damaged at byte {}: {}; reading what parsed",
                                       res.offset, res.description())});
  for (pugi::xml_node layer : doc.child("net").child("layers").children("layer")) {
    std::map<std::string, std::string> kv;
    for (pugi::xml_attribute a : layer.child("data").attributes()) kv[a.name()] = a.value();
    for (pugi::xml_node a : layer.child("rt_info").children("attribute")) {
      kv[a.attribute("name").value()] = a.attribute("value").value();
    }
    ObservedRow row = row_from_keys(kv, layer.attribute("name").value());
    if (row.layer_type.empty()) row.layer_type = layer.attribute("type").value();
    ev.rows.push_back(std::move(row));
  }
  std::sort(ev.rows.begin(), ev.rows.end(),
            [](const ObservedRow& a, const ObservedRow& b) { return a.exec_order < b.exec_order; });
}

std::map<std::string, std::string> key_values(std::string_view block) {
  std::map<std::string, std::string> kv;
  for (std::string_view l : lines_of(block)) {
    l = trim(l);
    if (l.starts_with('#')) l = trim(l.substr(1));
    size_t eq = l.find('=');
    if (eq != std::string_view::npos)
      kv[std::string(l.substr(0, eq))] = std::string(l.substr(eq + 1));
  }
  return kv;
}

void parse_svg(std::string_view text, Evidence& ev) {
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(text.data(), text.size());
  if (!res)
    ev.notes.push_back(
        {0, fmt::format("SVG is damaged at byte {}: {}", res.offset, res.description())});
  std::set<std::string> seen;
  std::vector<std::string> titles;
  // Document order without recursion: the nesting is the file's to choose.
  for (pugi::xml_node n = doc.first_child(); n;) {
    if (pugi::xml_attribute a = n.attribute("xlink:title")) titles.emplace_back(a.value());
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != doc && !n.next_sibling()) n = n.parent();
    n = n && n != doc ? n.next_sibling() : pugi::xml_node();
  }
  for (const std::string& title : titles) {
    if (title.find("execOrder=") == std::string::npos || !seen.insert(title).second) continue;
    std::string_view name = trim(std::string_view(title).substr(0, title.find('\n')));
    ev.rows.push_back(row_from_keys(key_values(title), name));
  }
  std::sort(ev.rows.begin(), ev.rows.end(),
            [](const ObservedRow& a, const ObservedRow& b) { return a.exec_order < b.exec_order; });
}

void parse_tsv(const std::vector<std::string_view>& lines, Evidence& ev) {
  std::vector<std::string_view> header;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    auto cells = split(lines[i], '\t');
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> kv;
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

void parse_runtime_text(const std::vector<std::string_view>& lines, Evidence& ev) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("Tensor<") == std::string_view::npos) continue;
    std::string_view node = find_call_name(lines[i]);
    if (node.empty()) continue;
    std::string block;
    size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]).starts_with('#'); ++j) {
      block += std::string(lines[j]) + "\n";
    }
    ObservedRow row = row_from_keys(key_values(block), node);
    row.line = static_cast<int>(i) + 1;
    ev.rows.push_back(std::move(row));
    i = j - 1;
  }
  std::sort(ev.rows.begin(), ev.rows.end(),
            [](const ObservedRow& a, const ObservedRow& b) { return a.exec_order < b.exec_order; });
}

EvidenceFormat detect(std::string_view text, const std::vector<std::string_view>& lines) {
  std::string_view t = trim(text);
  if (t.starts_with('{') || (t.starts_with('[') && trim(t.substr(1)).starts_with('{'))) {
    return EvidenceFormat::json_stats;
  }
  if (t.find("<svg") != std::string_view::npos) return EvidenceFormat::runtime_svg;
  if (t.starts_with('<')) {
    return t.find("execOrder") != std::string_view::npos ? EvidenceFormat::exec_graph
                                                         : EvidenceFormat::none;
  }
  if (!lines.empty() && lines.front().starts_with("execOrder\t")) return EvidenceFormat::nodes_tsv;
  if (t.find("#rt_info:") != std::string_view::npos) return EvidenceFormat::runtime_text;
  if (t.find("layerType:") != std::string_view::npos) return EvidenceFormat::perf_counts;
  for (std::string_view l : lines) {
    l = trim(l);
    if (l.starts_with("layerName;")) return EvidenceFormat::counters_csv;
    if (l.starts_with('|') && l.find("layerName") != std::string_view::npos) {
      return EvidenceFormat::markdown_table;
    }
  }
  return EvidenceFormat::none;
}

}  // namespace

std::string_view to_string(EvidenceFormat format) {
  switch (format) {
    case EvidenceFormat::perf_counts:
      return "perf-counts";
    case EvidenceFormat::counters_csv:
      return "counters-csv";
    case EvidenceFormat::json_stats:
      return "json-stats";
    case EvidenceFormat::exec_graph:
      return "exec-graph";
    case EvidenceFormat::nodes_tsv:
      return "nodes-tsv";
    case EvidenceFormat::runtime_text:
      return "runtime-model-text";
    case EvidenceFormat::runtime_svg:
      return "runtime-model-svg";
    case EvidenceFormat::markdown_table:
      return "markdown-table";
    case EvidenceFormat::none:
      return "none";
  }
  return "?";
}

std::string_view to_string(ExecStatus status) {
  switch (status) {
    case ExecStatus::executed:
      return "EXECUTED";
    case ExecStatus::not_run:
      return "NOT_RUN";
    case ExecStatus::optimized_out:
      return "OPTIMIZED_OUT";
    case ExecStatus::unknown:
      return "?";
  }
  return "?";
}

ExecType parse_exec_type(std::string_view text) {
  ExecType e;
  text = trim(text);
  e.text = std::string(text);
  if (text.empty()) return e;
  if (text == "undef") {
    e.impl_class = "undef";
    return e;
  }
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    // oneDNN spelling: "brgconv_1x1:avx512_core", "ref:any", "jit_uni_int8:avx2".
    auto parts = split(text.substr(0, colon), '_');
    e.impl_class = std::string(parts[0]);
    e.isa = std::string(text.substr(colon + 1));
    for (size_t i = 1; i < parts.size(); ++i) e.flags.emplace_back(parts[i]);
    if (std::find(e.flags.begin(), e.flags.end(), "int8") != e.flags.end()) e.precision = "I8";
    return e;
  }
  auto parts = split(text, '_');
  if (parts.size() > 1 && (is_precision_token(parts.back()))) {
    e.precision = std::string(parts.back());
    parts.pop_back();
  }
  static const std::set<std::string_view> kIsas = {"avx512", "avx2", "avx", "sse42",      "sse41",
                                                   "uni",    "any",  "amx", "avx512_core"};
  std::string_view first = parts[0];
  size_t i = 1;
  if (first == "jit" && parts.size() > 1 && parts[1] == "gemm") {
    e.impl_class = "gemm";
    e.flags.emplace_back("jit");
    i = 2;
  } else if (first == "gemm") {
    e.impl_class = "gemm";
  } else {
    e.impl_class = std::string(first);
  }
  for (; i < parts.size(); ++i) {
    if (e.isa.empty() && kIsas.contains(parts[i]))
      e.isa = std::string(parts[i]);
    else
      e.flags.emplace_back(parts[i]);
  }
  return e;
}

std::optional<Impl> impl_of(const ExecType& exec) {
  const std::string& c = exec.impl_class;
  if (c.empty() || c == "undef") return std::nullopt;
  if (c == "jit" || c == "brdgmm") return Impl::jit;
  if (c == "brgconv" || c == "brgemm") return Impl::brgconv;
  if (c == "gemm") return Impl::gemm;
  if (c == "ref" || c == "reorder" || c == "simple") return Impl::ref;
  return Impl::unknown;
}

std::optional<Isa> isa_of(const ExecType& exec) {
  const std::string& s = exec.isa;
  if (auto isa = parse_isa(s)) return isa;
  if (s == "avx512" || s.starts_with("avx512")) return Isa::avx512;
  if (s == "avx2") return Isa::avx2;
  if (s == "avx" || s == "sse42" || s == "sse41") return Isa::sse41;
  return std::nullopt;
}

std::optional<Precision> parse_precision_name(std::string_view text) {
  if (text == "FP32" || text == "f32") return Precision::fp32;
  if (text == "BF16" || text == "bf16") return Precision::bf16;
  if (text == "FP16" || text == "f16") return Precision::fp16;
  if (text == "U8" || text == "u8") return Precision::u8;
  if (text == "I8" || text == "i8") return Precision::i8;
  if (text == "I32" || text == "i32") return Precision::i32;
  return std::nullopt;
}

Evidence parse_evidence(std::string_view text, std::string_view path) {
  Evidence ev;
  ev.path = std::string(path);
  std::vector<std::string_view> lines = lines_of(text);
  ev.format = detect(text, lines);
  switch (ev.format) {
    case EvidenceFormat::perf_counts:
      parse_perf_counts(lines, ev);
      break;
    case EvidenceFormat::counters_csv:
      parse_table(lines, ';', ev);
      break;
    case EvidenceFormat::markdown_table:
      parse_table(lines, '|', ev);
      break;
    case EvidenceFormat::json_stats:
      parse_json(text, ev);
      break;
    case EvidenceFormat::exec_graph:
      parse_exec_graph(text, ev);
      break;
    case EvidenceFormat::runtime_svg:
      parse_svg(text, ev);
      break;
    case EvidenceFormat::nodes_tsv:
      parse_tsv(lines, ev);
      break;
    case EvidenceFormat::runtime_text:
      parse_runtime_text(lines, ev);
      break;
    case EvidenceFormat::none:
      ev.notes.push_back({0, std::string_view(text).find("<net") != std::string_view::npos
                                 ? "an IR model, not evidence (no execOrder)"
                                 : "no counters, exec graph or runtime model recognised"});
      break;
  }
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

std::optional<ReorderName> parse_reorder_name(std::string_view name) {
  bool truncated = false;
  if (name.ends_with("...")) {
    truncated = true;
    name.remove_suffix(3);
  }
  auto tokens = split(name, '_');
  auto is_fmt = [](std::string_view t) { return is_precision_token(t) || is_format_token(t); };
  for (size_t i = 1; i < tokens.size(); ++i) {
    // A run of two or more format/precision tokens, or the `___` of two unnamed formats.
    size_t j = i;
    bool empty_pair = false;
    while (j < tokens.size() && is_fmt(tokens[j])) ++j;
    if (j == i && i + 1 < tokens.size() && tokens[i].empty() && tokens[i + 1].empty()) {
      j = i + 2;
      empty_pair = true;
    }
    // A cut name may end inside the run ("prob_nChw8c_nch..."): the cut token counts as one.
    bool last_cut = truncated && j + 1 >= tokens.size();
    if (j - i < 2 && !(last_cut && j - i >= 1)) continue;
    if (last_cut && j + 1 == tokens.size() && !empty_pair) ++j;
    if (j == tokens.size() && !truncated) continue;  // no child
    ReorderName r;
    std::string parent;
    for (size_t k = 0; k < i; ++k) parent += (k ? "_" : "") + std::string(tokens[k]);
    if (parent.empty()) continue;
    r.parent = parent;
    if (!empty_pair) {
      for (size_t k = i; k < j; ++k) r.formats.emplace_back(tokens[k]);
    }
    for (size_t k = j; k < tokens.size(); ++k) {
      r.child += (k > j ? "_" : "") + std::string(tokens[k]);
    }
    r.truncated = truncated;
    return r;
  }
  return std::nullopt;
}

bool is_reorder(const ObservedRow& row) {
  if (!row.layer_type.empty()) return row.layer_type == "Reorder";
  return row.exec.impl_class == "reorder";
}

InferredTarget infer_target(const Evidence& evidence, const IrModel* model) {
  InferredTarget out;
  // ISA: the best one any exec type names.
  std::optional<Isa> isa;
  for (const ObservedRow& row : evidence.rows) {
    auto i = isa_of(row.exec);
    if (i && (!isa || *i > *isa)) isa = i;
  }
  std::string why;
  double version = 0;
  // `(20[12]\d)\.(\d+)`, leftmost.
  std::string_view stated = evidence.openvino_version;
  size_t at = 0;
  while (at < stated.size() && !year_dot_digit_at(stated, at)) ++at;
  if (at < stated.size()) {
    std::string_view minor = stated.substr(at + 5, skip_digits(stated, at + 5) - (at + 5));
    version = *to_number(stated.substr(at, 4)) + to_number(minor).value_or(0) / 10.0;
    why = fmt::format("version {} stated in the evidence", evidence.openvino_version);
  } else {
    bool python_status = false, new_types = false;
    for (const ObservedRow& row : evidence.rows) {
      if (!row.original_names.empty() || row.exec_order >= 0) new_types = true;
      if (row.layer_type == "Relu" || row.layer_type == "MaxPool" || row.layer_type == "Subgraph" ||
          row.layer_type == "Multiply" || row.layer_type == "FakeQuantize") {
        new_types = true;
      }
    }
    python_status = evidence.format == EvidenceFormat::perf_counts && new_types;
    if (new_types || python_status) {
      version = 2022.1;
      why = "no version stated; opset-style node types (Relu, MaxPool, …) mean 2022 or later";
    } else if (model && model->ir_version > 0 && model->ir_version <= 7) {
      version = 2019.3;
      why = fmt::format("no version stated; legacy node types and IR v{} mean 2019 or 2020",
                        model->ir_version);
    } else {
      version = 2021.4;
      why = "no version stated; legacy node types (ReLU, Pooling, ScaleShift) mean 2021.4 or older";
    }
  }
  std::string best;
  double best_distance = 1e9;
  for (const Policy& p : all_policies()) {
    if (!p.name.starts_with("openvino-")) continue;
    double v = std::stod(std::string(p.name.substr(9)));
    double minor = v - static_cast<int>(v);
    double as_num = static_cast<int>(v) + minor;  // 2019.3 → 2019.3
    double d = std::abs(as_num - version);
    // Prefer the older policy on a tie: behaviour accumulates, it is not removed.
    if (d < best_distance - 1e-9) {
      best_distance = d;
      best = std::string(p.name);
    }
  }
  std::string isa_name = isa ? std::string(to_string(*isa)) : "avx2";
  why +=
      fmt::format("; ISA {} from the exec types{}", isa_name, isa ? "" : " (none named; assumed)");
  std::string error;
  out.target = parse_target(fmt::format("{}:{}", best, isa_name), &error);
  out.why = error.empty() ? why : why + "; " + error;
  return out;
}

double Score::reorder_precision() const {
  int predicted = reorder_true_pos + reorder_false_pos;
  return predicted == 0 ? 1.0 : static_cast<double>(reorder_true_pos) / predicted;
}

double Score::reorder_recall() const {
  int observed = reorder_true_pos + reorder_false_neg;
  return observed == 0 ? 1.0 : static_cast<double>(reorder_true_pos) / observed;
}

Score score(const IrModel& model, const Plan& plan, const Evidence& evidence) {
  Score s;
  s.target = plan.target.policy ? plan.target.name() : "";
  s.rows = static_cast<int>(evidence.rows.size());
  const Graph& g = model.graph;
  std::optional<Vertex> previous;  // the layer the previous row named
  std::map<std::string, Vertex, std::less<>> by_name;
  for (Vertex v : boost::make_iterator_range(boost::vertices(g))) {
    by_name.emplace(std::string(g[v].name), v);
  }
  // Exact name, else (for a truncated name) the unique layer it is a prefix of.
  auto find = [&](const std::string& name, bool truncated,
                  std::string* how) -> std::optional<Vertex> {
    auto it = by_name.find(name);
    if (it != by_name.end()) {
      *how = "name";
      return it->second;
    }
    if (!truncated || name.empty()) return std::nullopt;
    std::vector<Vertex> candidates;
    for (auto lo = by_name.lower_bound(name); lo != by_name.end() && lo->first.starts_with(name);
         ++lo) {
      candidates.push_back(lo->second);
    }
    if (candidates.size() == 1) {
      *how = "prefix";
      return candidates.front();
    }
    // Ambiguous ("fire2/relu_expa..."): tables list nodes in execution order, so take the one
    // fed by the layer the previous row named.
    std::optional<Vertex> found;
    for (Vertex c : candidates) {
      bool fed = false;
      for (auto e : boost::make_iterator_range(boost::in_edges(c, g))) {
        fed = fed || (previous && boost::source(e, g) == *previous);
      }
      if (!fed) continue;
      if (found) return std::nullopt;
      found = c;
    }
    if (found) *how = "prefix+order";
    return found;
  };
  auto predicted_node = [&](Vertex v) -> const PlanNode* {
    if (v >= plan.node_of.size() || plan.node_of[v] < 0) return nullptr;
    return &plan.nodes[static_cast<size_t>(plan.node_of[v])];
  };

  std::map<Vertex, LayerComparison> compared;
  auto compare = [&](Vertex v, int row_index, bool fused_by_names, const std::string& how) {
    const ObservedRow& row = evidence.rows[static_cast<size_t>(row_index)];
    LayerComparison c;
    c.layer = v;
    c.name = std::string(g[v].name);
    c.type = std::string(g[v].type);
    c.row = row_index;
    c.how = how;
    c.observed_exec = row.exec.text;
    c.observed_executed = row.status == ExecStatus::executed && !fused_by_names;
    c.observed_fused =
        fused_by_names || (row.status != ExecStatus::executed && row.exec.fused_away());
    const PlanNode* node = predicted_node(v);
    c.predicted_fused = node && node->main != v;
    if (node && node->main == v) {
      c.predicted_exec = node->exec_type;
      c.predicted_precision = std::string(to_string(node->precision));
      c.predicted_impl = std::string(to_string(node->impl));
      c.predicted_layout = std::string(exec_graph_name(node->out_layout));
    }
    // Fusion: comparable when the row says either "ran" or "fused away".
    if (c.observed_fused || c.observed_executed)
      c.fused_agrees = c.observed_fused == c.predicted_fused;
    if (c.observed_executed && !c.predicted_fused && node) {
      std::string prec = row.exec.precision.empty() ? row.runtime_precision : row.exec.precision;
      c.observed_precision = prec;
      auto obs = parse_precision_name(prec);
      if (obs) {
        c.precision_agrees = is_int8(*obs) ? is_int8(node->precision) : *obs == node->precision;
      }
      if (auto impl = impl_of(row.exec)) {
        c.observed_impl = std::string(to_string(*impl));
        c.impl_agrees = *impl == node->impl;
      }
      if (!row.output_layout.empty() && row.output_layout != "undef") {
        c.observed_layout = row.output_layout;
        c.layout_agrees = row.output_layout == c.predicted_layout;
      }
    }
    compared.insert_or_assign(v, std::move(c));
    previous = v;
  };

  // Observed Reorders, as (producer primitive, consumer primitive) keys.
  auto key_of = [&](Vertex v) -> int64_t {
    const PlanNode* n = predicted_node(v);
    return n ? static_cast<int64_t>(plan.node_of[v]) : -1 - static_cast<int64_t>(v);
  };
  std::set<Vertex> named;  // layers some row names exactly
  for (const ObservedRow& row : evidence.rows) {
    for (const std::string& n : row.original_names) {
      if (auto it = by_name.find(n); it != by_name.end()) named.insert(it->second);
    }
    if (auto it = by_name.find(row.name); it != by_name.end()) named.insert(it->second);
  }
  std::map<std::pair<int64_t, int64_t>, int> observed_reorders;  // → row
  std::map<std::pair<int64_t, int64_t>, std::pair<std::string, std::string>> ends;

  for (size_t i = 0; i < evidence.rows.size(); ++i) {
    const ObservedRow& row = evidence.rows[i];
    int ri = static_cast<int>(i);
    if (is_reorder(row)) {
      // The producer: the longest layer name the Reorder's name starts with.
      std::optional<Vertex> parent;
      size_t best = 0;
      for (const auto& [n, v] : by_name) {
        if (n.size() > best && row.name.size() > n.size() && row.name.starts_with(n) &&
            row.name[n.size()] == '_') {
          best = n.size();
          parent = v;
        }
      }
      if (!parent) {
        s.unlocated_reorders.push_back(row.name + (row.name_truncated ? "..." : ""));
        continue;
      }
      if (g[*parent].type == "Const") {
        ++s.weight_reorders;
        ++s.matched_rows;
        continue;
      }
      if (g[*parent].type == "Parameter") {
        // benchmark_app feeds images as U8 unless told otherwise: a conversion the harness asked
        // for, not one the model implies.
        auto parsed = parse_reorder_name(row.name);
        bool converts = parsed && std::any_of(parsed->formats.begin(), parsed->formats.end(),
                                              [](const std::string& f) { return f == "U8"; });
        std::string_view ir_precision =
            g[*parent].outputs.empty() ? "" : g[*parent].outputs.front().precision;
        if (converts && ir_precision != "U8") {
          ++s.input_reorders;
          ++s.matched_rows;
          continue;
        }
      }
      // The consumer: a layer the name ends with, reachable from the producer's primitive; else
      // the only consumer when the name is cut.
      std::vector<Vertex> consumers;
      const PlanNode* pn = predicted_node(*parent);
      std::vector<Vertex> sources = {*parent};
      if (pn) {
        sources.push_back(pn->main);
        sources.insert(sources.end(), pn->fused.begin(), pn->fused.end());
      }
      for (Vertex src : sources) {
        for (auto e : boost::make_iterator_range(boost::out_edges(src, g))) {
          Vertex t = boost::target(e, g);
          if (predicted_node(t) && pn && predicted_node(t) == pn) continue;
          if (std::find(consumers.begin(), consumers.end(), t) == consumers.end()) {
            consumers.push_back(t);
          }
        }
      }
      std::optional<Vertex> child;
      for (Vertex t : consumers) {
        std::string_view tn = g[t].name;
        if (!row.name_truncated && row.name.ends_with("_" + std::string(tn))) child = t;
      }
      if (!child && consumers.size() == 1) child = consumers.front();
      if (!child) {
        s.unlocated_reorders.push_back(row.name + (row.name_truncated ? "..." : ""));
        continue;
      }
      auto key = std::make_pair(key_of(*parent), key_of(*child));
      observed_reorders.emplace(key, ri);
      ends[key] = {std::string(g[*parent].name), std::string(g[*child].name)};
      ++s.matched_rows;
      continue;
    }
    if (!row.original_names.empty()) {
      bool any = false;
      for (size_t k = 0; k < row.original_names.size(); ++k) {
        std::string how;
        if (auto v = find(row.original_names[k], false, &how)) {
          compare(*v, ri, k > 0, "original-name");
          any = true;
        }
      }
      if (any) {
        ++s.matched_rows;
        continue;
      }
    }
    std::string how;
    std::optional<Vertex> v = find(row.name, row.name_truncated, &how);
    if (!v && (row.layer_type == "Output" || row.layer_type == "Result") &&
        row.name.starts_with("out_")) {
      // The legacy plugin names an output node "out_<producer>".
      if (auto producer = by_name.find(row.name.substr(4)); producer != by_name.end()) {
        for (auto e : boost::make_iterator_range(boost::out_edges(producer->second, g))) {
          Vertex t = boost::target(e, g);
          if (g[t].type == "Result") v = t;
        }
        how = "output-name";
      }
    }
    if (v) {
      const PlanNode* node = predicted_node(*v);
      if (row.status == ExecStatus::executed && node && node->main != *v &&
          !named.contains(node->main)) {
        // The plugin named the fused primitive after a layer fused into it (nGraph keeps the
        // last op's name: "conv1" is the bias Add after "conv1/WithoutBiases").
        compare(node->main, ri, false, "fused-layer-name");
        compare(*v, ri, true, "fused-layer-name");
        previous = *v;
      } else {
        compare(*v, ri, false, how);
      }
      ++s.matched_rows;
    } else {
      s.unmatched_rows.push_back(row.name + (row.name_truncated ? "..." : ""));
    }
  }
  for (auto& [v, c] : compared) {
    auto add = [](Agreement& a, const std::optional<bool>& ok) {
      if (!ok) return;
      ++a.total;
      a.agree += *ok ? 1 : 0;
    };
    add(s.precision, c.precision_agrees);
    add(s.impl, c.impl_agrees);
    add(s.fused, c.fused_agrees);
    add(s.layout, c.layout_agrees);
    s.layers.push_back(std::move(c));
  }
  std::sort(s.layers.begin(), s.layers.end(),
            [&](const LayerComparison& a, const LayerComparison& b) { return a.row < b.row; });

  std::set<std::pair<int64_t, int64_t>> predicted_keys;
  for (const PlanReorder& r : plan.reorders) {
    Vertex from = boost::source(r.edge, g), to = boost::target(r.edge, g);
    auto key = std::make_pair(key_of(from), key_of(to));
    if (!predicted_keys.insert(key).second) continue;
    ReorderComparison c;
    c.name = reorder_name(model, plan, r);
    c.from = std::string(g[from].name);
    c.to = std::string(g[to].name);
    c.predicted = true;
    auto it = observed_reorders.find(key);
    if (it != observed_reorders.end()) {
      c.observed = true;
      c.row = it->second;
      c.name = evidence.rows[static_cast<size_t>(it->second)].name;
      ++s.reorder_true_pos;
    } else {
      ++s.reorder_false_pos;
    }
    s.reorders.push_back(std::move(c));
  }
  for (const auto& [key, ri] : observed_reorders) {
    if (predicted_keys.contains(key)) continue;
    ReorderComparison c;
    c.name = evidence.rows[static_cast<size_t>(ri)].name;
    c.from = ends[key].first;
    c.to = ends[key].second;
    c.observed = true;
    c.row = ri;
    ++s.reorder_false_neg;
    s.reorders.push_back(std::move(c));
  }
  return s;
}

}  // namespace irlint
