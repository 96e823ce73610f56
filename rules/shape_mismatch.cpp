#include "rule.hpp"
#include "shape_text.hpp"

namespace irlint {
namespace {

bool compatible(const Dim& a, const Dim& b) {
  int64_t a_max = a.max == Dim::kUnbounded ? INT64_MAX : a.max;
  int64_t b_max = b.max == Dim::kUnbounded ? INT64_MAX : b.max;
  return a.min <= b_max && b.min <= a_max;
}

constexpr SeverityCase kSeverityCases[] = {
    {Severity::error, "legacy IR (v3-v7), whose reader refuses the edge"},
};

// What OpenVINO's readers do with the dims of an input port:
// - IR v10/v11 (2022.1 and later, src/frontends/ir/src/ir_deserializer.cpp): parse_generic_params
//   reads them, but create_node builds every operation from its inputs and attributes and
//   re-infers its output shapes (constructor_validate_and_infer_types); the declared input dims
//   are never compared with the producer's. A mismatch is only a stale or hand-edited file.
// - IR v3-v7 (the legacy reader up to 2022, inference-engine/src/readers/ir_reader_v7/
//   ie_format_parser.cpp, FormatParser::SetLayerInput): an input port's dims must equal the
//   producer's data dims, or it throws "trying to connect an edge to mismatch dimensions".
void check(RuleContext& ctx) {
  const Graph& g = ctx.model.graph;
  bool legacy = ctx.model.ir_version >= 2 && ctx.model.ir_version <= 7;
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const Layer& src = g[boost::source(*it, g)];
    const Layer& dst = g[boost::target(*it, g)];
    const Port* out = src.output_port(g[*it].from_port);
    const Port* in = dst.input_port(g[*it].to_port);
    if (!out || !in || (in->dims.empty() && out->dims.empty())) continue;
    if (out->dynamic_rank || in->dynamic_rank) continue;  // any rank fits
    bool same = out->dims.size() == in->dims.size();
    for (size_t i = 0; same && i < in->dims.size(); ++i)
      same = compatible(out->dims[i], in->dims[i]);
    if (same) continue;
    Finding& f = ctx.report_at(
        g[*it].pos,
        fmt::format("edge from '{}' to '{}' joins a {} output to a {} input: {}", src.name,
                    dst.name, shape_text(out->dims), shape_text(in->dims),
                    legacy ? "the legacy IR reader refuses the edge"
                           : "OpenVINO re-infers this shape; the IR is stale or hand-edited"));
    if (legacy) ctx.set_severity(f, kSeverityCases[0]);
    f.layer_id = dst.id;
    f.layer_name = std::string(dst.name);
    f.layer_type = std::string(dst.type);
    f.notes.push_back(
        {fmt::format("output port {} of '{}' is declared here", out->id, src.name), out->pos});
    f.notes.push_back(
        {fmt::format("input port {} of '{}' is declared here", in->id, dst.name), in->pos});
    f.fix = legacy ? "re-export the model, or correct the <dim> values of one of the two ports"
                   : "re-export the model, so that the declared dims describe the tensors irlint "
                     "plans with";
  }
}

}  // namespace

extern const Rule kShapeMismatch{
    .info = {.code = "IRL010",
             .name = "shape-mismatch",
             .severity = Severity::warning,
             .summary = "the two ends of an edge declare incompatible dimensions",
             .severity_cases = kSeverityCases},
    .check = check,
    .reader_check = ReaderCheck::shape_mismatch};

}  // namespace irlint
