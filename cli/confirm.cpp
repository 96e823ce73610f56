#include "confirm.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis.hpp"
#include "escape.hpp"
#include "evidence.hpp"
#include "output.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "score.hpp"
#include "shapes.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

/// Single-quotes a word for /bin/sh.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string_view rest(path);
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    fs::path candidate = fs::path(std::string(rest.substr(0, colon))) / program;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return "";
}

/// Runs benchmark_app on the model and reads back what it wrote: the detailed counters CSV when
/// present (it has statuses and times), else the exec graph.
std::optional<Evidence> run_benchmark_app(const ConfirmArgs& args, std::ostream& err) {
  std::string app = args.benchmark_app.empty() ? find_on_path("benchmark_app") : args.benchmark_app;
  if (app.empty()) {
    err << "irlint: error: --openvino needs benchmark_app on PATH (or --benchmark-app PATH)\n";
    return std::nullopt;
  }
  std::string tmpl = (fs::temp_directory_path() / "irlint-confirm-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    err << "irlint: error: cannot create a temporary folder\n";
    return std::nullopt;
  }
  fs::path dir(tmpl);
  std::string command = fmt::format(
      "{} -m {} -exec_graph_path {} -report_type detailed_counters -report_folder {} -niter {} "
      ">{} 2>&1",
      shell_quote(app), shell_quote(args.model), shell_quote((dir / "exec.xml").string()),
      shell_quote(dir.string()), args.niter, shell_quote((dir / "benchmark_app.log").string()));
  int status = std::system(command.c_str());
  int code = status == -1 ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128);
  std::optional<Evidence> evidence;
  fs::path csv = dir / "benchmark_detailed_counters_report.csv";
  fs::path xml = dir / "exec.xml";
  std::error_code ec;
  if (code != 0) {
    err << fmt::format("irlint: error: '{}' exited with status {} (log: {})\n", app, code,
                       (dir / "benchmark_app.log").string());
  } else if (fs::exists(csv, ec)) {
    evidence = read_evidence(csv.string());
  } else if (fs::exists(xml, ec)) {
    evidence = read_evidence(xml.string());
  } else {
    err << fmt::format("irlint: error: benchmark_app wrote neither '{}' nor '{}'\n", csv.string(),
                       xml.string());
  }
  if (evidence) fs::remove_all(dir, ec);
  return evidence;
}

std::string percent(const Agreement& a) {
  if (a.total == 0) return "not observed";
  return fmt::format("{}/{} ({:.1f}%)", a.agree, a.total, a.percent());
}

void render_text(const ConfirmArgs& args, const Evidence& ev, const InferredTarget& inferred,
                 const Score& s, std::ostream& out) {
  // Everything the evidence or the model names goes through shown(): a file is no terminal.
  fmt::print(out, "{}: scored against {} ({}, {} rows{}{})\n", shown(args.model), shown(ev.path),
             to_string(ev.format), ev.rows.size(),
             ev.openvino_version.empty() ? "" : ", OpenVINO " + shown(ev.openvino_version),
             ev.device.empty() ? "" : ", device " + shown(ev.device));
  fmt::print(out, "target: {}{}\n", s.target,
             inferred.why.empty() ? "" : " (inferred: " + inferred.why + ")");
  fmt::print(out, "rows matched to IR layers: {}/{}\n", s.matched_rows, s.rows);
  fmt::print(out, "precision agreement:            {}\n", percent(s.precision));
  fmt::print(out, "implementation class agreement: {}\n", percent(s.impl));
  fmt::print(out, "fused-or-not agreement:         {}\n", percent(s.fused));
  fmt::print(out, "layout agreement:               {}\n", percent(s.layout));
  fmt::print(out,
             "Reorders: {} predicted, {} observed, {} both; precision {:.1f}%, recall {:.1f}%"
             " ({} weight and {} input-conversion Reorders not scored, {} not located)\n",
             s.reorder_true_pos + s.reorder_false_pos, s.reorder_true_pos + s.reorder_false_neg,
             s.reorder_true_pos, 100 * s.reorder_precision(), 100 * s.reorder_recall(),
             s.weight_reorders, s.input_reorders, s.unlocated_reorders.size());
  bool header = false;
  for (const LayerComparison& c : s.layers) {
    std::vector<std::string> what;
    if (c.fused_agrees == false) {
      what.push_back(fmt::format("fused: predicted {}, observed {}",
                                 c.predicted_fused ? "yes" : "no",
                                 c.observed_fused ? "yes" : "no"));
    }
    if (c.precision_agrees == false) {
      what.push_back(fmt::format("precision: predicted {}, observed {}", c.predicted_precision,
                                 c.observed_precision));
    }
    if (c.impl_agrees == false) {
      what.push_back(fmt::format("implementation: predicted {} ({}), observed {} ({})",
                                 c.predicted_impl, c.predicted_exec, c.observed_impl,
                                 c.observed_exec));
    }
    if (c.layout_agrees == false) {
      what.push_back(
          fmt::format("layout: predicted {}, observed {}", c.predicted_layout, c.observed_layout));
    }
    if (what.empty()) continue;
    if (!header) fmt::print(out, "disagreements:\n");
    header = true;
    int line = ev.rows[static_cast<size_t>(c.row)].line;
    fmt::print(out, "  {}{}: '{}' {}: {}\n", shown(ev.path),
               line > 0 ? fmt::format(":{}", line) : "", shown(c.name), shown(c.type),
               shown(fmt::format("{}", fmt::join(what, "; "))));
  }
  for (const ReorderComparison& r : s.reorders) {
    if (r.predicted && r.observed) continue;
    fmt::print(out, "  Reorder {} only: '{}' ({} -> {})\n", r.predicted ? "predicted" : "observed",
               shown(r.name), shown(r.from), shown(r.to));
  }
  for (const std::string& r : s.unlocated_reorders) {
    fmt::print(out, "  Reorder '{}' observed but its ends are not in the IR\n", shown(r));
  }
  if (!s.unmatched_rows.empty()) {
    fmt::print(out, "rows naming no IR layer: {}\n",
               shown(fmt::format("{}", fmt::join(s.unmatched_rows, ", "))));
  }
  for (const EvidenceNote& n : ev.notes) {
    fmt::print(out, "{}{}: note: {}\n", shown(ev.path),
               n.line > 0 ? fmt::format(":{}", n.line) : "", shown(n.message));
  }
}

void render_json(const Evidence& ev, const InferredTarget& inferred, const Score& s,
                 std::ostream& out) {
  auto agreement = [](const Agreement& a) {
    return nlohmann::json{{"agree", a.agree}, {"total", a.total}, {"percent", a.percent()}};
  };
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerComparison& c : s.layers) {
    nlohmann::json j{{"layer", c.name},
                     {"type", c.type},
                     {"matched_by", c.how},
                     {"observed",
                      {{"exec_type", c.observed_exec},
                       {"fused", c.observed_fused},
                       {"precision", c.observed_precision},
                       {"impl", c.observed_impl},
                       {"layout", c.observed_layout}}},
                     {"predicted",
                      {{"exec_type", c.predicted_exec},
                       {"fused", c.predicted_fused},
                       {"precision", c.predicted_precision},
                       {"impl", c.predicted_impl},
                       {"layout", c.predicted_layout}}}};
    auto put = [&](const char* key, const std::optional<bool>& v) {
      j["agrees"][key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    put("fused", c.fused_agrees);
    put("precision", c.precision_agrees);
    put("impl", c.impl_agrees);
    put("layout", c.layout_agrees);
    layers.push_back(std::move(j));
  }
  nlohmann::json reorders = nlohmann::json::array();
  for (const ReorderComparison& r : s.reorders) {
    reorders.push_back({{"name", r.name},
                        {"from", r.from},
                        {"to", r.to},
                        {"predicted", r.predicted},
                        {"observed", r.observed}});
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const EvidenceNote& n : ev.notes)
    notes.push_back({{"line", n.line}, {"message", n.message}});
  nlohmann::json doc{{"evidence",
                      {{"path", ev.path},
                       {"format", to_string(ev.format)},
                       {"rows", ev.rows.size()},
                       {"openvino_version", ev.openvino_version},
                       {"device", ev.device},
                       {"notes", notes}}},
                     {"target", s.target},
                     {"target_inferred", inferred.why},
                     {"matched_rows", s.matched_rows},
                     {"unmatched_rows", s.unmatched_rows},
                     {"agreement",
                      {{"precision", agreement(s.precision)},
                       {"impl", agreement(s.impl)},
                       {"fused", agreement(s.fused)},
                       {"layout", agreement(s.layout)}}},
                     {"reorders",
                      {{"true_positives", s.reorder_true_pos},
                       {"false_positives", s.reorder_false_pos},
                       {"false_negatives", s.reorder_false_neg},
                       {"precision", s.reorder_precision()},
                       {"recall", s.reorder_recall()},
                       {"weight_reorders", s.weight_reorders},
                       {"input_reorders", s.input_reorders},
                       {"unlocated", s.unlocated_reorders},
                       {"list", reorders}}},
                     {"layers", layers}};
  out << dump_json(std::move(doc)) << '\n';
}

}  // namespace

int run_confirm(const ConfirmArgs& args, std::ostream& out, std::ostream& err) {
  if (args.format != "text" && args.format != "json") {
    err << fmt::format("irlint: error: unknown format '{}' (text, json)\n", args.format);
    return 2;
  }
  if (args.evidence.empty() == !args.openvino) {
    err << "irlint: error: confirm needs exactly one of --evidence FILE or --openvino\n";
    return 2;
  }
  Analysis analysis = analyze(args.model, {.bin = args.bin, .batch = args.batch}, Stage::read);
  if (!usable_or_report(*analysis.model, args.model, err)) return 2;
  std::shared_ptr<IrModel> model = analysis.model;
  std::optional<Evidence> evidence;
  if (args.openvino) {
    evidence = run_benchmark_app(args, err);
    if (!evidence) return 2;
  } else {
    evidence = read_evidence(args.evidence);
  }
  if (evidence->format == EvidenceFormat::none || evidence->rows.empty()) {
    for (const EvidenceNote& n : evidence->notes) {
      err << fmt::format("{}{}: error: {}\n", evidence->path,
                         n.line > 0 ? fmt::format(":{}", n.line) : "", n.message);
    }
    err << fmt::format("irlint: error: '{}' holds no usable evidence\n", evidence->path);
    return 2;
  }
  InferredTarget inferred;
  if (!args.target.empty()) {
    std::string error;
    inferred.target = parse_target(args.target, &error);
    if (!inferred.target) {
      err << "irlint: error: " << error << '\n';
      return 2;
    }
  } else {
    inferred = infer_target(*evidence, model.get());
    if (!inferred.target) {
      err << "irlint: error: cannot infer a target (" << inferred.why << "); give --target\n";
      return 2;
    }
  }
  Plan predicted = plan(*model, *inferred.target);
  Score s = score(*model, predicted, *evidence);
  if (args.format == "json")
    render_json(*evidence, inferred, s, out);
  else
    render_text(args, *evidence, inferred, s, out);
  return 0;
}

}  // namespace irlint
