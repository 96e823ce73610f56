#include "live_confirm.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <ostream>

#include "cost.hpp"
#include "engine.hpp"
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

}  // namespace

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
  auto model = read_ir(args.model, args.bin);
  assume_batch(*model, args.batch);
  if (model->fatal) {
    err << fmt::format("irlint: error: '{}' cannot be read (run 'irlint check' on it)\n",
                       args.model);
    return 2;
  }
  std::string error;
  auto target = parse_target(args.target, &error);
  if (!target) {
    err << "irlint: error: " << error << '\n';
    return 2;
  }
  Plan predicted = plan(*model, *target);
  live::LiveOptions options;
  options.mode = args.mode == "native" ? live::Mode::native : live::Mode::imposed;
  options.iterations = args.iterations;
  live::LiveRun run = live::run_live(*model, predicted, options);
  run.isa_requested = args.isa_requested;
  out << live::to_json(run).dump() << '\n';
  return 0;
}

int run_live_confirm(const std::string& model_path, const std::string& bin,
                     const LiveConfirmArgs& args, std::ostream& out, std::ostream& err) {
  if (args.iterations < 1) {
    err << "irlint: error: --iterations wants a positive number\n";
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
  auto model = read_ir(model_path, bin);
  assume_batch(*model, args.batch);
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
  Plan predicted = plan(*model, *target);
  live::Reconciliation rec = live::reconcile(*model, predicted, *run);
  std::vector<Finding> findings = lint(*model, &predicted, RuleSettings{});
  live::confirm_findings(*model, predicted, *run, findings);

  out << fmt::format(
      "{}: live run on oneDNN {}, effective ISA {} (asked {}), {} thread(s), {} "
      "layouts, {} iterations; plan for {}\n",
      model_path, run->onednn_version, run->isa_effective, args.isa, run->threads, run->mode,
      run->iterations, target->name());
  out << fmt::format("{:<48} {:<30} {:<30} {:<5} {:<16} {:<10} {:>9} {:>8}\n", "layer", "predicted",
                     "observed", "prec", "src>dst", "weights", "median ms", "spread");
  for (const live::NodeObservation& o : run->nodes) {
    if (!o.ran) continue;
    const PlanNode& node = predicted.nodes[static_cast<size_t>(o.node)];
    std::string name = o.layer.size() > 48 ? "…" + o.layer.substr(o.layer.size() - 47) : o.layer;
    out << fmt::format(
        "{:<48} {:<30} {:<30} {:<5} {:<16} {:<10} {:>9.4f} {:>8.4f}{}\n", name, node.exec_type,
        o.impl, o.precision, fmt::format("{}>{}", o.src_layout, o.dst_layout), o.weights_layout,
        o.median_ms, o.spread_ms, o.src_reorder || o.dst_reorder ? "  (reorder needed)" : "");
  }
  out << fmt::format(
      "agreement: {}/{} nodes agree on implementation, precision and layout; "
      "convolutions {}/{} on implementation\n",
      rec.agreed, rec.compared, rec.conv_agreed, rec.conv_compared);
  for (const live::Disagreement& d : rec.disagreements) {
    out << fmt::format("  disagreement: '{}' {}: predicted {}, observed {}\n", d.layer, d.what,
                       d.predicted, d.observed);
  }
  for (const std::string& s : rec.not_run) out << "  not run: " << s << '\n';
  out << cost_section(compare_cost(*model, predicted, *run));
  for (const Finding& f : findings) {
    if (f.status == Status::predicted) continue;
    out << fmt::format("{}:{}:{}: {}: {} [{}]\n  live: {}: {}\n", model_path, f.pos.line,
                       f.pos.column, to_string(f.severity), f.message, f.rule, to_string(f.status),
                       f.evidence);
  }
  return 0;
}

#endif

}  // namespace irlint
