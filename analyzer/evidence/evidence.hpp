#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir_model.hpp"
#include "target.hpp"

namespace irlint {

/// Deepest JSON nesting an evidence file may have; deeper is a note and nothing is read.
inline constexpr int kMaxEvidenceJsonDepth = 512;
/// Largest evidence file read (64 MiB); a larger one, or one that is not a regular file, gives
/// format none with a note.
inline constexpr uint64_t kMaxEvidenceBytes = uint64_t{64} << 20;

/// The kind of file a piece of evidence was read from.
enum class EvidenceFormat : uint8_t {
  perf_counts,     ///< `-pc` console text (C++/Python benchmark_app, samples)
  counters_csv,    ///< benchmark_app detailed/average counters report (`;`-separated)
  json_stats,      ///< benchmark_app `-json_stats` report
  exec_graph,      ///< `-exec_graph_path` / serialized runtime model XML
  nodes_tsv,       ///< derived runtime-node table (tab-separated, exec-graph columns)
  runtime_text,    ///< a printed runtime model with `#rt_info:` blocks
  runtime_svg,     ///< a Graphviz SVG of a runtime model (rt_info in the node titles)
  markdown_table,  ///< a counters table pasted as Markdown
  none,            ///< nothing recognisable as evidence
};
/// The format's name as reports print it ("perf-counts", "exec-graph", …).
std::string_view to_string(EvidenceFormat format);

/// What the plugin reports about a node's execution.
enum class ExecStatus : uint8_t { executed, not_run, optimized_out, unknown };
/// The status as the plugin prints it (EXECUTED, NOT_RUN, OPTIMIZED_OUT), "?" when unknown.
std::string_view to_string(ExecStatus status);

/// An exec type taken apart: `jit_avx2_1x1_I8` is class jit, ISA avx2, flag 1x1, precision I8.
struct ExecType {
  std::string text;
  std::string impl_class;          ///< jit, brgconv, gemm, ref, reorder, unknown, undef, or other
  std::string isa;                 ///< avx512, avx2, avx, sse42, uni, any, … or empty
  std::vector<std::string> flags;  ///< 1x1, dw, blas, …
  std::string precision;           ///< FP32, I8, U8, BF16, … or empty
  /// `undef`: the node was fused into another and did not run.
  bool fused_away() const { return impl_class == "undef"; }
};

/// Splits an exec type (OpenVINO `jit_avx2_1x1_I8` or oneDNN `brgconv:avx512_core`).
ExecType parse_exec_type(std::string_view text);
/// The implementation class as the planner names it; nullopt for undef or empty exec types.
std::optional<Impl> impl_of(const ExecType& exec);
/// The ISA an exec type names, when it names a concrete one (not uni/any).
std::optional<Isa> isa_of(const ExecType& exec);
/// Parses a precision name as OpenVINO prints it (FP32, I8, U8, BF16, FP16, I32).
std::optional<Precision> parse_precision_name(std::string_view text);

/// One runtime node as observed.
struct ObservedRow {
  std::string name;             ///< without a `subgraph0:` prefix and without a trailing "..."
  bool name_truncated = false;  ///< the name ended in "..." (the table cut it)
  std::string layer_type;
  ExecType exec;
  ExecStatus status = ExecStatus::unknown;
  std::optional<double> real_time_us;
  std::vector<std::string> original_names;  ///< originalLayersNames, when the format has them
  std::string output_layout;
  std::string output_precision;
  std::string runtime_precision;
  int exec_order = -1;
  int line = 0;                      ///< 1-based line of the row in the file (0: not line-based)
  std::vector<std::string> missing;  ///< fields the row should have but the file cut off
};

/// A positioned remark about what was missing or skipped while reading.
struct EvidenceNote {
  int line = 0;
  std::string message;
};

/// Everything read from one evidence file.
struct Evidence {
  std::string path;
  EvidenceFormat format = EvidenceFormat::none;
  std::string openvino_version;  ///< e.g. "2022.1.0-7019-cdb9bec7210", empty when not stated
  std::string device;            ///< e.g. "CPU", empty when not stated
  std::vector<ObservedRow> rows;
  std::vector<EvidenceNote> notes;
};

/// Reads evidence from text; the format is detected from the content (`path` only names it).
Evidence parse_evidence(std::string_view text, std::string_view path = "");
/// Reads an evidence file; an unreadable file gives format none with a note.
Evidence read_evidence(const std::string& path);

/// The parts of a Reorder named the plugin's way: `<parent>_<fmt|prec>..._<child>`.
struct ReorderName {
  std::string parent;
  std::string child;                 ///< empty when the name was cut before it
  std::vector<std::string> formats;  ///< layouts/precisions between parent and child, in order
  bool truncated = false;
};
/// Takes a Reorder name apart (`data_U8_FP32_Add_`, `conv1_aBcd8b_abcd_pool`,
/// `Conv_60___Concat_66`); nullopt when no format/precision run can be found.
std::optional<ReorderName> parse_reorder_name(std::string_view name);
/// Whether a row is a Reorder (its type, else its exec type or name).
bool is_reorder(const ObservedRow& row);

/// A target guessed from the evidence, with the reasoning.
struct InferredTarget {
  std::optional<Target> target;
  std::string why;
};
/// Picks the closest known policy from the stated version (else the format's era, else the
/// model's IR version) and the ISA from the exec types.
InferredTarget infer_target(const Evidence& evidence, const IrModel* model);

}  // namespace irlint
