// Exec types and statuses as the plugin prints them, and what they name in the planner's terms.

#include <algorithm>
#include <set>

#include "evidence.hpp"
#include "evidence_rows.hpp"
#include "text.hpp"

namespace irlint {

using evidence_detail::is_precision_token;
using evidence_detail::split;

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

namespace {

/// oneDNN spelling: "brgconv_1x1:avx512_core", "ref:any", "jit_uni_int8:avx2".
ExecType parse_onednn_exec_type(std::string_view text, size_t colon, ExecType e) {
  auto parts = split(text.substr(0, colon), '_');
  e.impl_class = std::string(parts[0]);
  e.isa = std::string(text.substr(colon + 1));
  for (size_t i = 1; i < parts.size(); ++i) e.flags.emplace_back(parts[i]);
  if (std::find(e.flags.begin(), e.flags.end(), "int8") != e.flags.end()) e.precision = "I8";
  return e;
}

}  // namespace

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
  if (colon != std::string_view::npos) return parse_onednn_exec_type(text, colon, std::move(e));
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

}  // namespace irlint
