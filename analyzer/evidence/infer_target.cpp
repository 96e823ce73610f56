// The target a piece of evidence was recorded on, guessed from what it states and what it shows.

#include <fmt/format.h>

#include <cmath>

#include "evidence.hpp"
#include "evidence_rows.hpp"
#include "evidence_scan.hpp"

namespace irlint {
namespace {

/// The best ISA any exec type names.
std::optional<Isa> best_isa(const Evidence& evidence) {
  std::optional<Isa> isa;
  for (const ObservedRow& row : evidence.rows) {
    auto i = isa_of(row.exec);
    if (i && (!isa || *i > *isa)) isa = i;
  }
  return isa;
}

/// Whether the rows use opset-style node types or runtime-graph keys (2022 and later).
bool has_new_types(const Evidence& evidence) {
  for (const ObservedRow& row : evidence.rows) {
    if (!row.original_names.empty() || row.exec_order >= 0) return true;
    if (row.layer_type == "Relu" || row.layer_type == "MaxPool" || row.layer_type == "Subgraph" ||
        row.layer_type == "Multiply" || row.layer_type == "FakeQuantize") {
      return true;
    }
  }
  return false;
}

/// The OpenVINO version as a number (2019.3): the stated one, else the era the evidence shows.
double version_of(const Evidence& evidence, const IrModel* model, std::string* why) {
  if (auto year_minor = evidence_detail::find_year_minor(evidence.openvino_version)) {
    *why = fmt::format("version {} stated in the evidence", evidence.openvino_version);
    return *evidence_detail::to_number(year_minor->first) +
           evidence_detail::to_number(year_minor->second).value_or(0) / 10.0;
  }
  if (has_new_types(evidence)) {
    *why = "no version stated; opset-style node types (Relu, MaxPool, …) mean 2022 or later";
    return 2022.1;
  }
  if (model && model->ir_version > 0 && model->ir_version <= 7) {
    *why = fmt::format("no version stated; legacy node types and IR v{} mean 2019 or 2020",
                       model->ir_version);
    return 2019.3;
  }
  *why = "no version stated; legacy node types (ReLU, Pooling, ScaleShift) mean 2021.4 or older";
  return 2021.4;
}

/// The `openvino-*` policy closest to `version`.
std::string closest_policy(double version) {
  std::string best;
  double best_distance = 1e9;
  for (const Policy& p : all_policies()) {
    if (!p.name.starts_with("openvino-")) continue;
    double d = std::abs(std::stod(std::string(p.name.substr(9))) - version);
    // Prefer the older policy on a tie: behaviour accumulates, it is not removed.
    if (d < best_distance - 1e-9) {
      best_distance = d;
      best = std::string(p.name);
    }
  }
  return best;
}

}  // namespace

InferredTarget infer_target(const Evidence& evidence, const IrModel* model) {
  InferredTarget out;
  std::optional<Isa> isa = best_isa(evidence);
  std::string why;
  std::string policy = closest_policy(version_of(evidence, model, &why));
  std::string isa_name = isa ? std::string(to_string(*isa)) : "avx2";
  why +=
      fmt::format("; ISA {} from the exec types{}", isa_name, isa ? "" : " (none named; assumed)");
  std::string error;
  out.target = parse_target(fmt::format("{}:{}", policy, isa_name), &error);
  out.why = error.empty() ? why : why + "; " + error;
  return out;
}

}  // namespace irlint
