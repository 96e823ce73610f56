#include "live_confirm.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "analysis.hpp"
#include "config.hpp"
#include "cost.hpp"
#include "engine.hpp"
#include "exec_graph.hpp"
#include "live_evidence.hpp"
#include "output.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "shapes.hpp"
#ifdef IRLINT_HAVE_DNNL
#include "live.hpp"
#endif

namespace irlint {

double CostComparison::total_rel_error() const {
  return measured_ms > 0 ? (predicted_ms - measured_ms) / measured_ms : 0;
}

#ifndef IRLINT_HAVE_DNNL

int run_live_confirm(const std::string&, const std::string&, const LiveConfirmArgs&, std::ostream&,
                     std::ostream& err) {
  err << "irlint: error: the live run is not built into this irlint (oneDNN was not found at "
         "build time; install libdnnl-dev and rebuild)\n";
  return 2;
}

int run_live_child(const LiveChildArgs&, std::ostream&, std::ostream& err) {
  err << "irlint: error: the live run is not built into this irlint\n";
  return 2;
}

#else

namespace {

std::string self_executable() {
  char buffer[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return {};
  return std::string(buffer, static_cast<size_t>(n));
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// The "cost model vs measurement" section of `confirm --live`.
std::string cost_section(const CostComparison& c) {
  std::string text = fmt::format(
      "cost model vs measurement ({} nodes that ran; Reorders not timed live, excluded):\n",
      c.nodes);
  text += fmt::format("  {:<20} {:>5} {:>12} {:>10} {:>13} {:>12}\n", "kernel class", "nodes",
                      "med |err| ms", "med |rel|", "predicted ms", "measured ms");
  for (const ClassError& e : c.classes) {
    text +=
        fmt::format("  {:<20} {:>5} {:>12.4f} {:>9.1f}% {:>13.4f} {:>12.4f}\n", e.kernel, e.count,
                    e.median_abs_error_ms, 100 * e.median_rel_error, e.predicted_ms, e.measured_ms);
  }
  text += fmt::format("  total: predicted {:.4f} ms, measured {:.4f} ms, error {:+.1f}%\n",
                      c.predicted_ms, c.measured_ms, 100 * c.total_rel_error());
  return text;
}

/// Measured and predicted whole-plan INT8 vs FP32 times.
struct Int8Measured {
  const live::PlanTiming* int8 = nullptr;
  const live::PlanTiming* fp32 = nullptr;
  double measured_ratio = 0;   ///< INT8 time / FP32 time, measured (0 when not measured)
  double predicted_ratio = 0;  ///< INT8 time / FP32 time, cost model
  double predicted_int8_ms = 0, predicted_fp32_ms = 0;
};

Int8Measured int8_measured(const IrModel& model, const Plan& predicted, const live::LiveRun& run) {
  Int8Measured m;
  Int8Verdict v = int8_verdict(model, predicted);
  m.predicted_int8_ms = v.int8.total_ms;
  m.predicted_fp32_ms = v.fp32.total_ms;
  m.predicted_ratio = v.fp32.total_ms > 0 ? v.int8.total_ms / v.fp32.total_ms : 0;
  if (run.counterpart.primitives == 0) return m;
  bool given_int8 = run.whole.label == "int8";
  m.int8 = given_int8 ? &run.whole : &run.counterpart;
  m.fp32 = given_int8 ? &run.counterpart : &run.whole;
  m.measured_ratio = m.fp32->median_ms > 0 ? m.int8->median_ms / m.fp32->median_ms : 0;
  return m;
}

/// The whole-plan section: INT8 vs FP32 measured next to the cost model, executor overhead.
std::string whole_plan_section(const Int8Measured& m, const live::LiveRun& run) {
  std::string text = fmt::format(
      "whole plan ({} iterations, interleaved with its counterpart in one process; each node on "
      "its own buffers):\n",
      run.whole.iterations);
  auto line = [&](const live::PlanTiming& t, const char* role) {
    return fmt::format(
        "  {:<5} ({:<11}) {:>10.4f} ms end to end, {:>10.4f} ms in {} primitives ({} reorders), "
        "executor overhead {:.2f}%\n",
        t.label, role, t.median_ms, t.primitive_ms, t.primitives, t.reorders, t.overhead_pct);
  };
  text += line(run.whole, "as given");
  if (run.counterpart.primitives > 0) text += line(run.counterpart, "counterpart");
  if (m.int8 && m.fp32) {
    text += fmt::format(
        "  INT8/FP32 time: measured {:.3f} ({:.4f} / {:.4f} ms), cost model predicts {:.3f} "
        "({:.4f} / {:.4f} ms)\n",
        m.measured_ratio, m.int8->median_ms, m.fp32->median_ms, m.predicted_ratio,
        m.predicted_int8_ms, m.predicted_fp32_ms);
  }
  return text;
}

std::optional<Layout> layout_of(const std::string& name) {
  for (Layout l : {Layout::planar, Layout::nhwc, Layout::blocked8, Layout::blocked16}) {
    if (name == to_string(l)) return l;
  }
  if (name == "nchw") return Layout::planar;
  return std::nullopt;
}

std::optional<Precision> precision_of(const std::string& name) {
  if (name == "u8") return Precision::u8;
  if (name == "i8" || name == "s8") return Precision::i8;
  if (name == "fp32" || name == "f32") return Precision::fp32;
  return std::nullopt;
}

nlohmann::json json_report(const std::string& model_path, const Plan& predicted,
                           const live::LiveRun& run, const live::Reconciliation& rec,
                           const CostComparison& cost, const Int8Measured& m,
                           const std::vector<Finding>& findings) {
  nlohmann::json j = live::to_json(run);
  j["model"] = model_path;
  j["target"] = predicted.target.name();
  if (run.what_if) j["what_if_label"] = live::kWhatIfLabel;
  for (auto& n : j["nodes"]) {
    int32_t index = n.value("node", -1);
    if (index >= 0 && static_cast<size_t>(index) < predicted.nodes.size())
      n["predicted"] = predicted.nodes[static_cast<size_t>(index)].exec_type;
  }
  j["int8_vs_fp32"] = {{"measured_ratio", m.measured_ratio},
                       {"predicted_ratio", m.predicted_ratio},
                       {"measured_int8_ms", m.int8 ? m.int8->median_ms : 0.0},
                       {"measured_fp32_ms", m.fp32 ? m.fp32->median_ms : 0.0},
                       {"predicted_int8_ms", m.predicted_int8_ms},
                       {"predicted_fp32_ms", m.predicted_fp32_ms}};
  j["executor_overhead_pct"] = run.whole.overhead_pct;
  nlohmann::json disagreements = nlohmann::json::array();
  for (const live::Disagreement& d : rec.disagreements) {
    disagreements.push_back({{"node", d.node},
                             {"layer", d.layer},
                             {"what", d.what},
                             {"predicted", d.predicted},
                             {"observed", d.observed}});
  }
  j["agreement"] = {{"compared", rec.compared},           {"agreed", rec.agreed},
                    {"conv_compared", rec.conv_compared}, {"conv_agreed", rec.conv_agreed},
                    {"disagreements", disagreements},     {"not_run", rec.not_run}};
  j["cost"] = {{"nodes", cost.nodes},
               {"predicted_ms", cost.predicted_ms},
               {"measured_ms", cost.measured_ms}};
  nlohmann::json fs = nlohmann::json::array();
  for (const Finding& f : findings) {
    if (f.status == Status::predicted) continue;
    fs.push_back({{"rule", rule_name(f)},
                  {"line", f.pos.line},
                  {"column", f.pos.column},
                  {"message", f.message},
                  {"status", std::string(to_string(f.status))},
                  {"evidence", f.evidence}});
  }
  j["findings"] = fs;
  return j;
}

}  // namespace

Plan observed_plan(const Plan& predicted, const live::LiveRun& run) {
  Plan out = predicted;
  std::vector<bool> seen(out.nodes.size(), false);
  for (const live::NodeObservation& o : run.nodes) {
    if (o.node < 0 || static_cast<size_t>(o.node) >= out.nodes.size()) continue;
    PlanNode& node = out.nodes[static_cast<size_t>(o.node)];
    seen[static_cast<size_t>(o.node)] = true;
    if (!o.ran) {
      node.exec_type = "not_run";
      continue;
    }
    node.exec_type = o.impl;
    if (auto p = precision_of(o.precision)) node.precision = *p;
    if (auto p = precision_of(o.dst_type)) node.out_precision = *p;
    if (auto l = layout_of(o.dst_layout)) node.out_layout = *l;
    if (auto l = layout_of(o.src_layout)) node.in_layout = *l;
  }
  for (size_t i = 0; i < out.nodes.size(); ++i) {
    OpKind k = out.nodes[i].kind;
    if (!seen[i] && k != OpKind::parameter && k != OpKind::result)
      out.nodes[i].exec_type = "not_run";
  }
  return out;
}

CostComparison compare_cost(const IrModel& model, const Plan& plan, const live::LiveRun& run) {
  PlanCost cost = estimate(model, plan, cost_table(plan.target));
  constexpr size_t kClasses = static_cast<size_t>(KernelClass::none) + 1;
  std::array<std::vector<double>, kClasses> abs_errors, rel_errors;
  CostComparison out;
  std::array<ClassError, kClasses> classes;
  for (const live::NodeObservation& o : run.nodes) {
    if (!o.ran || o.node < 0 || static_cast<size_t>(o.node) >= cost.nodes.size()) continue;
    const NodeCost& predicted = cost.nodes[static_cast<size_t>(o.node)];
    auto k = static_cast<size_t>(predicted.kernel);
    double error = std::fabs(predicted.time_ms - o.median_ms);
    abs_errors[k].push_back(error);
    rel_errors[k].push_back(o.median_ms > 0 ? error / o.median_ms : 0);
    classes[k].count++;
    classes[k].predicted_ms += predicted.time_ms;
    classes[k].measured_ms += o.median_ms;
    out.nodes++;
    out.predicted_ms += predicted.time_ms;
    out.measured_ms += o.median_ms;
  }
  for (size_t k = 0; k < kClasses; ++k) {
    if (classes[k].count == 0) continue;
    classes[k].kernel = std::string(to_string(static_cast<KernelClass>(k)));
    classes[k].median_abs_error_ms = median(abs_errors[k]);
    classes[k].median_rel_error = median(rel_errors[k]);
    out.classes.push_back(classes[k]);
  }
  return out;
}

int run_live_child(const LiveChildArgs& args, std::ostream& out, std::ostream& err) {
  std::string error;
  auto target = parse_target(args.target, &error);
  if (!target) {
    err << "irlint: error: " << error << '\n';
    return 2;
  }
  Analysis analysis =
      analyze(args.model, {.bin = args.bin, .target = *target, .batch = args.batch}, Stage::plan);
  const std::shared_ptr<IrModel>& model = analysis.model;
  if (model->fatal) {
    err << fmt::format("irlint: error: '{}' cannot be read (run 'irlint check' on it)\n",
                       args.model);
    return 2;
  }
  const Plan& predicted = *analysis.plan;
  Int8Verdict verdict = int8_verdict(*model, predicted);
  live::LiveOptions options;
  options.mode = args.mode == "native" ? live::Mode::native : live::Mode::imposed;
  options.iterations = args.iterations;
  options.progress = isatty(STDERR_FILENO) != 0;
  const char* given = verdict.model_is_int8 ? "int8" : "fp32";
  const char* other = verdict.model_is_int8 ? "fp32" : "int8";
  options.progress_label = fmt::format("{} plan", given);
  live::LiveRun run = live::run_live(*model, predicted, options, &verdict.counterpart);
  run.isa_requested = args.isa_requested;
  run.whole.label = given;
  run.counterpart.label = other;
  out << live::to_json(run).dump() << '\n';
  return 0;
}

int run_live_confirm(const std::string& model_path, const std::string& bin,
                     const LiveConfirmArgs& args, std::ostream& out, std::ostream& err) {
  if (args.iterations < 1) {
    err << "irlint: error: --iterations wants a positive number\n";
    return 2;
  }
  if (args.format != "text" && args.format != "json") {
    err << fmt::format("irlint: error: --format for --live wants text or json, got '{}'\n",
                       args.format);
    return 2;
  }
  std::string target_name =
      !args.target.empty() ? args.target : fmt::format("onednn-2.6:{}", args.isa);
  std::string error;
  auto target = parse_target(target_name, &error);
  if (!target) {
    err << "irlint: error: " << error << '\n';
    return 2;
  }
  // Linted as `irlint check` would, with the nearest .irlint.json's rule settings.
  AnalysisSettings settings{.bin = bin, .target = *target, .batch = args.batch};
  if (auto config_path = find_config(model_path)) {
    auto config = load_config(*config_path, &error);
    if (!config) {
      err << "irlint: error: " << error << '\n';
      return 2;
    }
    settings.rules = config->rules;
  }
  Analysis analysis = analyze(model_path, settings);
  const std::shared_ptr<IrModel>& model = analysis.model;
  if (model->fatal) {
    err << fmt::format("irlint: error: '{}' cannot be read (run 'irlint check' on it)\n",
                       model_path);
    return 2;
  }
  std::string self = self_executable();
  if (self.empty()) {
    err << "irlint: error: cannot find the irlint executable to start the live run\n";
    return 2;
  }
  std::vector<std::string> child_args{model_path,
                                      "--target",
                                      target_name,
                                      "--iterations",
                                      std::to_string(args.iterations),
                                      "--mode",
                                      args.native ? "native" : "imposed",
                                      "--batch",
                                      std::to_string(args.batch)};
  if (!bin.empty()) {
    child_args.push_back("--bin");
    child_args.push_back(bin);
  }
  auto run = live::run_live_in_child(self, child_args, args.isa, &error);
  if (!run) {
    err << "irlint: error: " << error << '\n';
    return 2;
  }
  const Plan& predicted = *analysis.plan;
  live::Reconciliation rec = live::reconcile(*model, predicted, *run);
  std::vector<Finding>& findings = analysis.findings;
  confirm_findings(LiveEvidence(*model, predicted, *run, settings.rules), findings);
  if (!args.exec_graph_out.empty()) {
    auto writer = [&](std::ostream& file) {
      write_exec_graph(*model, observed_plan(predicted, *run), file);
    };
    if (!write_file(args.exec_graph_out, {model_path, model->bin_path}, writer, err)) return 2;
  }
  CostComparison cost = compare_cost(*model, predicted, *run);
  Int8Measured measured = int8_measured(*model, predicted, *run);
  if (args.format == "json") {
    out << dump_json(json_report(model_path, predicted, *run, rec, cost, measured, findings))
        << '\n';
    return 0;
  }

  out << fmt::format(
      "{}: live run on oneDNN {}, effective ISA {} (asked {}), {} thread(s), {} "
      "layouts, {} iterations; plan for {}{}\n",
      model_path, run->onednn_version, run->isa_effective, args.isa, run->threads, run->mode,
      run->iterations, target->name(),
      run->what_if ? fmt::format(" ({}: the plan's layouts, fusions, Reorders and fallbacks "
                                 "measured on today's kernels, not the old runtime)",
                                 live::kWhatIfLabel)
                   : "");
  out << fmt::format("{:<48} {:<30} {:<30} {:<5} {:<16} {:<10} {:>9} {:>8}\n", "layer", "predicted",
                     "observed", "prec", "src>dst", "weights", "median ms", "spread");
  for (const live::NodeObservation& o : run->nodes) {
    if (!o.ran) continue;
    const PlanNode& node = predicted.nodes[static_cast<size_t>(o.node)];
    std::string name = o.layer.size() > 48 ? "…" + o.layer.substr(o.layer.size() - 47) : o.layer;
    out << fmt::format(
        "{:<48} {:<30} {:<30} {:<5} {:<16} {:<10} {:>9.4f} {:>8.4f}{}\n", name, node.exec_type,
        o.impl, o.precision, fmt::format("{}>{}", o.src_layout, o.dst_layout), o.weights_layout,
        o.median_ms, o.spread_ms,
        fmt::format("{}{}", o.src_reorder || o.dst_reorder ? "  (reorder needed)" : "",
                    o.forced.empty() ? ""
                    : o.impl.find(o.forced) != std::string::npos
                        ? fmt::format("  (forced {}: {})", o.forced, live::kWhatIfLabel)
                        : fmt::format("  (no {} implementation offered)", o.forced)));
  }
  if (target->policy && target->policy->openvino_exec_names.value) {
    // The plan names OpenVINO's kernels (jit_avx2_I8, gemm_blas_I8): nothing to compare with
    // oneDNN's names; the findings below still get their verdicts.
    out << fmt::format(
        "agreement: not computed for {} (OpenVINO exec names); compare with onednn-2.6:{}\n",
        target->name(), args.isa);
  } else {
    out << fmt::format(
        "agreement: {}/{} nodes agree on implementation, precision and layout; "
        "convolutions {}/{} on implementation\n",
        rec.agreed, rec.compared, rec.conv_agreed, rec.conv_compared);
    for (const live::Disagreement& d : rec.disagreements) {
      out << fmt::format("  disagreement: '{}' {}: predicted {}, observed {}\n", d.layer, d.what,
                         d.predicted, d.observed);
    }
  }
  for (const std::string& s : rec.not_run) out << "  not run: " << s << '\n';
  out << cost_section(cost);
  out << whole_plan_section(measured, *run);
  for (const Finding& f : findings) {
    if (f.status == Status::predicted) continue;
    out << fmt::format("{}:{}:{}: {}: {} [{}]\n  live: {}: {}\n", model_path, f.pos.line,
                       f.pos.column, to_string(f.severity), f.message, rule_name(f),
                       to_string(f.status), f.evidence);
  }
  return 0;
}

#endif

}  // namespace irlint
