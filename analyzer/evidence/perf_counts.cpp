// `-pc` console text: C++ benchmark_app (`EXECUTED  layerType:`), Python benchmark_app
// (`Status.EXECUTEDlayerType:`, timedelta times) and the samples' printPerformanceCounts.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "evidence_scan.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {
namespace {

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

/// A row the paste cut inside its status ("Convolution_1095/fq_input_0   Sta"), if `line` is one.
void read_cut_row(std::string_view line, int line_no, Evidence& ev) {
  auto words = two_words(line);
  if (!words) return;
  std::string tail(words->second);
  bool status_prefix = false;
  for (std::string_view full : {"Status.EXECUTEDlayerType:", "Status.NOT_RUN",
                                "Status.OPTIMIZED_OUT", "EXECUTED", "NOT_RUN", "OPTIMIZED_OUT"}) {
    if (tail.size() >= 3 && full.starts_with(tail)) status_prefix = true;
  }
  if (!status_prefix) return;
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

/// The OpenVINO version and the device, from the lines around the table that state them.
void read_header_line(std::string_view line, Evidence& ev) {
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ev.openvino_version.empty() &&
      (lower.find("version") != std::string::npos || lower.find("build") != std::string::npos)) {
    ev.openvino_version = std::string(find_version(line));
  }
  if (ev.device.empty() && lower.find("benchmark_app") != std::string::npos) {
    ev.device = std::string(find_device_option(line));
  }
}

/// The name and status before `layerType:`; the status is the last word (Python glues them:
/// "Status.EXECUTEDlayerType").
void read_name_and_status(std::string_view head, ObservedRow& row) {
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
}

/// The fields after `layerType:` (`rest`): the type, realTime and execType.
void read_fields(std::string_view rest, ObservedRow& row) {
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
}

/// A counters line: `name  status  layerType: T  realTime: …  cpu: …  execType: E`.
void read_counters_line(std::string_view line, size_t type_pos, int line_no, Evidence& ev) {
  ObservedRow row;
  row.line = line_no;
  read_name_and_status(line.substr(0, type_pos), row);
  read_fields(line.substr(type_pos + 10), row);
  note_missing(row, ev);
  if (row.name_truncated) {
    ev.notes.push_back({line_no, fmt::format("name '{}...' is truncated", row.name)});
  }
  ev.rows.push_back(std::move(row));
}

}  // namespace

bool is_perf_counts(const EvidenceText& in) {
  return in.text.find("layerType:") != std::string_view::npos;
}

void read_perf_counts(const EvidenceText& in, Evidence& ev) {
  bool seen_table = false;
  for (size_t i = 0; i < in.lines.size(); ++i) {
    std::string_view line = in.lines[i];
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
      read_cut_row(line, line_no, ev);
      read_header_line(line, ev);
    } else {
      read_counters_line(line, type_pos, line_no, ev);
    }
  }
}

}  // namespace irlint::evidence_detail
