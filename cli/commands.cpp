#include "commands.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis.hpp"
#include "cost.hpp"
#include "escape.hpp"
#include "exec_graph.hpp"
#include "output.hpp"
#include "reader.hpp"
#include "rule.hpp"
#include "rule_docs.hpp"
#include "shapes.hpp"
#include "work.hpp"

namespace irlint {
namespace {

/// "1x3x224x224", "1x?x100..200", "scalar", or "..." for a dynamic rank.
std::string shape_text(const Port& port) {
  if (port.dynamic_rank) return "... (dynamic rank)";
  std::string s;
  for (const Dim& d : port.dims) {
    if (!s.empty()) s += "x";
    s += dim_text(d);
  }
  return s.empty() ? "scalar" : s;
}

/// What `info` shows for an input: its shape attribute when that is malformed (the reader
/// reports it), else its output port's shape.
std::string input_shape_text(const Layer& layer, int ir_version) {
  if (ir_version >= 10 && layer.has_attr("shape")) {
    std::string error;
    if (!parse_partial_shape(layer.attr("shape"), &error)) {
      return fmt::format("invalid shape '{}' ({})", layer.attr("shape"), error);
    }
  }
  return layer.outputs.empty() ? "" : shape_text(layer.outputs[0]);
}

}  // namespace

int run_plan(const PlanArgs& args, std::ostream& out, std::ostream& err) {
  AnalysisSettings settings{.bin = args.bin, .batch = args.batch};
  if (!args.target.empty()) {
    std::string error;
    auto t = parse_target(args.target, &error);
    if (!t) {
      err << "irlint: error: " << error << '\n';
      return 2;
    }
    settings.target = *t;
  }
  Analysis analysis = analyze(args.model, settings, Stage::plan);
  if (!usable_or_report(*analysis.model, args.model, err)) return 2;
  const IrModel* model = analysis.model.get();
  const Target& target = settings.target;
  size_t batched = analysis.batched_ports;
  const Plan& p = *analysis.plan;
  Int8Verdict verdict = int8_verdict(*model, p);
  const PlanCost& cost = p.int8 ? verdict.int8 : verdict.fp32;
  std::vector<size_t> reorders_in(p.nodes.size(), 0);
  for (const PlanReorder& r : p.reorders) ++reorders_in[r.to_node];
  fmt::print(out, "{} on {}\n", shown(args.model), target.name());
  if (batched > 0) {
    fmt::print(out, "dynamic batch taken as {} on {} ports (--batch; 0 keeps it dynamic)\n",
               args.batch, batched);
  }
  fmt::print(out, "{:<48} {:<14} {:<5} {:<16} {:<24} {:>5} {:>3} {:>9}\n", "layer", "type", "prec",
             "layout in>out", "exec type", "fused", "R", "ms");
  for (const PlanNode& node : p.nodes) {
    std::string name = shown(model->layer(node.main).name);
    if (name.size() > 48) name = "…" + name.substr(name.size() - 47);
    fmt::print(out, "{:<48} {:<14} {:<5} {:<16} {:<24} {:>5} {:>3} {:>9.4f}\n", name,
               shown(exec_layer_type(*model, node)), to_string(node.precision),
               fmt::format("{}>{}", to_string(node.in_layout), to_string(node.out_layout)),
               node.exec_type, node.fused.size() - 1, reorders_in[&node - p.nodes.data()],
               cost.nodes[&node - p.nodes.data()].time_ms);
  }
  size_t int8 = std::count_if(p.nodes.begin(), p.nodes.end(),
                              [](const PlanNode& n) { return is_int8(n.precision); });
  fmt::print(out, "{} primitives ({} INT8), {} Reorders, {} layers fused away\n", p.nodes.size(),
             int8, p.reorders.size(),
             std::accumulate(p.nodes.begin(), p.nodes.end(), size_t{0},
                             [](size_t s, const PlanNode& n) { return s + n.fused.size() - 1; }));
  out << cost_summary(*model, p, verdict, 10);
  std::vector<std::string> read = {args.model, model->bin_path};
  auto write = [&](const std::string& path, auto writer) {
    return write_file(
        path, read, [&](std::ostream& file) { writer(*model, p, file); }, err);
  };
  if (!args.exec_graph_out.empty() && !write(args.exec_graph_out, write_exec_graph)) return 2;
  if (!args.dot.empty() && !write(args.dot, write_dot)) return 2;
  return 0;
}

int run_info(const std::string& path, const std::string& bin, int64_t batch, std::ostream& out,
             std::ostream& err) {
  Analysis analysis = analyze(path, {.bin = bin, .batch = batch}, Stage::read);
  if (!usable_or_report(*analysis.model, path, err)) return 2;
  const IrModel* model = analysis.model.get();
  const Graph& g = model->graph;
  fmt::print(out, "model:      {}\n", shown(model->name));
  fmt::print(out, "IR version: {}\n", model->ir_version);
  for (std::string_view key : {"MO_version", "Runtime_version", "conversion_parameters/framework",
                               "cli_parameters/framework", "framework"}) {
    if (auto v = model->meta_value(key); !v.empty())
      fmt::print(out, "{:<11} {}\n", std::string(key.substr(key.rfind('/') + 1)) + ":", shown(v));
  }
  std::map<std::string_view, size_t> types;
  size_t fq = 0;
  bool legacy_int8 = false;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    const Layer& l = g[v];
    ++types[l.type];
    OpKind k = l.kind;
    if (k == OpKind::fake_quantize) ++fq;
    legacy_int8 = legacy_int8 || l.has_statistics || !l.attr("quantization_level").empty();
    if (k == OpKind::parameter)
      fmt::print(out, "input:      {} {} {}\n", shown(l.name),
                 shown(l.outputs.empty() ? "" : l.outputs[0].precision),
                 shown(input_shape_text(l, model->ir_version)));
    if (k == OpKind::result)
      fmt::print(out, "output:     {} {}\n", shown(l.name),
                 l.inputs.empty() ? "" : shape_text(l.inputs[0]));
  }
  fmt::print(out, "layers:     {} ({} edges)\n", model->layer_count(), boost::num_edges(g));
  std::vector<std::pair<std::string_view, size_t>> sorted(types.begin(), types.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto& a, auto& b) { return a.second > b.second; });
  for (auto& [type, n] : sorted) fmt::print(out, "  {:<28} {}\n", shown(type), n);
  fmt::print(out, "INT8:       {}\n",
             fq            ? fmt::format("yes, {} FakeQuantize layers", fq)
             : legacy_int8 ? "yes, legacy calibration statistics"
                           : "no");
  ModelWork w = model_work(*model);
  fmt::print(out, "compute:    {:.3f} GMACs{}{}\n", static_cast<double>(w.macs) / 1e9,
             w.overflow ? " (overflowed: a dimension is too large)" : "",
             w.dynamic
                 ? " (layers with dynamic shapes not counted; --batch fixes a dynamic batch only)"
                 : "");
  fmt::print(out, "parameters: {:.3f} M\n", static_cast<double>(w.parameters) / 1e6);
  fmt::print(out, "weights:    {:.2f} MB{}\n", static_cast<double>(w.weight_bytes) / 1e6,
             model->bin_size ? "" : " (no .bin found)");
  return 0;
}

std::string rules_markdown() {
  std::string md =
      "# irlint rules\n\nGenerated from the rule registry by `irlint rules --format markdown`; a "
      "test "
      "keeps it in sync.\n\n| code | name | family | severity | confirmable live | summary |\n"
      "|---|---|---|---|---|---|\n";
  for (const Rule* r : all_rules()) {
    std::string severity(to_string(r->info.severity));
    for (const SeverityCase& c : r->info.severity_cases) {
      severity += fmt::format("; {} for {}", to_string(c.severity), c.when);
    }
    md += fmt::format("| {} | [{}]({}.md) | {} | {} | {} | {} |\n", r->info.code, r->info.name,
                      r->info.name, family_name(r->info.code), severity,
                      r->live_confirmable() ? "yes" : "no", r->info.summary);
  }
  return md;
}

int run_rules(const std::string& format, std::ostream& out, std::ostream& err) {
  if (format == "markdown") {
    out << rules_markdown();
  } else if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const Rule* r : all_rules()) {
      nlohmann::json options = nlohmann::json::array();
      for (const RuleOption& o : r->info.options) {
        options.push_back({{"name", o.name}, {"default", o.default_value}, {"help", o.help}});
      }
      nlohmann::json cases = nlohmann::json::array();
      for (const SeverityCase& c : r->info.severity_cases) {
        cases.push_back({{"severity", to_string(c.severity)}, {"when", c.when}});
      }
      list.push_back({{"code", r->info.code},
                      {"name", r->info.name},
                      {"family", family_name(r->info.code)},
                      {"severity", to_string(r->info.severity)},
                      {"summary", r->info.summary},
                      {"live_confirmable", r->live_confirmable()},
                      {"options", options},
                      {"severity_cases", cases}});
    }
    out << dump_json(std::move(list)) << '\n';
  } else if (format == "text") {
    for (const Rule* r : all_rules()) {
      fmt::print(out, "{}  {:<24} {:<8} {}\n", r->info.code, r->info.name,
                 to_string(r->info.severity), r->info.summary);
      for (const SeverityCase& c : r->info.severity_cases) {
        fmt::print(out, "{:<32} {:<8} for {}\n", "", to_string(c.severity), c.when);
      }
    }
  } else {
    err << fmt::format("irlint: error: unknown format '{}' (text, json, markdown)\n", format);
    return 2;
  }
  return 0;
}

int run_explain(const std::string& name, std::ostream& out, std::ostream& err) {
  const Rule* rule = find_rule(name);
  if (!rule) {
    err << fmt::format("irlint: error: no rule '{}' (see 'irlint rules')\n", name);
    return 2;
  }
  std::string_view page = rule_doc(rule->info.name);
  if (page.empty()) {
    fmt::print(out, "{} {}: {}\n", rule->info.code, rule->info.name, rule->info.summary);
  } else {
    out << page;
  }
  return 0;
}

int run_targets(std::ostream& out) {
  fmt::print(out, "A target is POLICY:ISA (ISA 'native' = this CPU, {}). Default: {}\n\n",
             to_string(native_isa()), default_target().name());
  for (const Policy& p : all_policies()) {
    std::vector<std::string_view> isas;
    for (Isa i : p.isas) isas.push_back(to_string(i));
    fmt::print(out, "{}\n  {}\n  ISAs: {}\n  sources:\n", p.name, p.description,
               fmt::join(isas, ", "));
    std::vector<std::string_view> sources;
    auto add = [&](std::string_view s) {
      if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
    };
    for (const ActivationFusion& a : p.activations) {
      add(a.into_fp32.source);
      add(a.into_int8.source);
    }
    for (const auto& f : p.fp32_conv_layout) add(f.source);
    for (const auto& f : p.int8_dw_signed_gemm) add(f.source);
    add(p.fuses_decomposed_hswish.source);
    add(p.int8_layout.source);
    add(p.hard_sigmoid_ref.source);
    if (!p.fp32_dw_pad_limit.source.empty()) add(p.fp32_dw_pad_limit.source);
    if (!p.softmax_jit_needs_dense_axis.source.empty()) add(p.softmax_jit_needs_dense_axis.source);
    for (std::string_view s : sources) fmt::print(out, "    - {}\n", s);
    out << '\n';
  }
  return 0;
}

}  // namespace irlint
