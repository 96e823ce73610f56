#pragma once
// The evidence formats: for each, what recognises it and what reads it. Each pair lives in the
// file named after its format; evidence.cpp lists them, in the order they are tried.

#include <string_view>
#include <vector>

#include "evidence.hpp"

namespace irlint::evidence_detail {

/// An evidence file's text, whole and as lines (without their '\r').
struct EvidenceText {
  std::string_view text;
  std::vector<std::string_view> lines;
};

/// `-pc` console text (perf_counts.cpp).
bool is_perf_counts(const EvidenceText& in);
void read_perf_counts(const EvidenceText& in, Evidence& ev);

/// `;`-separated counters reports and Markdown tables of counters (counters_table.cpp).
bool is_counters_csv(const EvidenceText& in);
void read_counters_csv(const EvidenceText& in, Evidence& ev);
bool is_markdown_table(const EvidenceText& in);
void read_markdown_table(const EvidenceText& in, Evidence& ev);

/// benchmark_app `-json_stats` reports (json_stats.cpp).
bool is_json_stats(const EvidenceText& in);
void read_json_stats(const EvidenceText& in, Evidence& ev);

/// Exec graphs and serialized runtime models, XML (exec_graph_xml.cpp).
bool is_exec_graph(const EvidenceText& in);
void read_exec_graph(const EvidenceText& in, Evidence& ev);

/// Graphviz SVGs of runtime models (runtime_svg.cpp).
bool is_runtime_svg(const EvidenceText& in);
void read_runtime_svg(const EvidenceText& in, Evidence& ev);

/// Derived runtime-node tables, tab-separated (nodes_tsv.cpp).
bool is_nodes_tsv(const EvidenceText& in);
void read_nodes_tsv(const EvidenceText& in, Evidence& ev);

/// Printed runtime models with `#rt_info:` blocks (runtime_text.cpp).
bool is_runtime_text(const EvidenceText& in);
void read_runtime_text(const EvidenceText& in, Evidence& ev);

}  // namespace irlint::evidence_detail
