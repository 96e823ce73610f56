#include "app.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "analysis.hpp"
#include "commands.hpp"
#include "config.hpp"
#include "confirm.hpp"
#include "engine.hpp"
#include "escape.hpp"
#include "input_file.hpp"
#include "live_confirm.hpp"
#include "manual.hpp"
#include "output.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "report.hpp"
#include "shapes.hpp"
#include "threads.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

/// The IR files a check reads, and a report for every folder or file it could not read.
struct Inputs {
  std::vector<std::string> files;
  std::vector<FileReport> unreadable;
};

/// An error report for a folder or file a walk could not read (exit status 2).
FileReport unreadable(const fs::path& path, std::string_view what, const std::error_code& ec) {
  Finding f;
  f.rule = find_rule("unreadable-file");
  f.severity = Severity::error;
  f.message = fmt::format("cannot read the {}: {}", what, ec.message());
  return FileReport{path.string(), {std::move(f)}, true};
}

/// Adds the .xml entry of a walk: a file (or a link to one) is checked, a dangling link is noted.
void add_xml(const fs::directory_entry& entry, std::vector<std::string>& found, Inputs& inputs,
             std::ostream& err) {
  std::error_code ec;
  fs::file_status status = entry.status(ec);
  if (ec && entry.is_symlink()) {
    err << fmt::format("irlint: note: skipped '{}': a link to a missing file\n",
                       escape(entry.path().string(), Escape::terminal));
  } else if (ec) {
    inputs.unreadable.push_back(unreadable(entry.path(), "file", ec));
  } else if (fs::is_regular_file(status)) {
    found.push_back(entry.path().string());
  }
}

/// The .xml files under `folder`, sorted so the output order is stable. The walk keeps its own
/// stack (no recursion) and does not follow links to folders, as `find` does not.
void walk_folder(const fs::path& folder, Inputs& inputs, std::ostream& err) {
  std::vector<std::string> found;
  std::vector<fs::path> pending{folder};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      fs::file_type type = it->symlink_status(type_ec).type();
      if (type_ec) {
        inputs.unreadable.push_back(unreadable(it->path(), "file", type_ec));
      } else if (type == fs::file_type::directory) {
        pending.push_back(it->path());
      } else if (it->path().extension() == ".xml") {
        add_xml(*it, found, inputs, err);
      }
    }
    if (ec) inputs.unreadable.push_back(unreadable(dir, "folder", ec));
  }
  std::sort(found.begin(), found.end());
  inputs.files.insert(inputs.files.end(), found.begin(), found.end());
}

/// Expands folders into the IR files under them; a file named on the command line is read as is
/// (the reader reports it when it cannot be read).
Inputs expand_inputs(const std::vector<std::string>& paths, std::ostream& err) {
  Inputs inputs;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      walk_folder(path, inputs, err);
    } else {
      inputs.files.push_back(path);
    }
  }
  return inputs;
}

/// Every file a check reads, which no output may replace.
std::vector<std::string> read_paths(const CheckArgs& args, const std::vector<std::string>& files,
                                    const std::optional<std::string>& config) {
  std::vector<std::string> paths = files;
  for (const std::string& file : files) {
    paths.push_back(args.bin.empty() ? fs::path(file).replace_extension(".bin").string()
                                     : args.bin);
  }
  if (config) paths.push_back(*config);
  paths.push_back(args.baseline);
  return paths;
}

std::string baseline_key(const std::string& path, std::string_view rule, std::string_view layer) {
  return fmt::format("{}\x1f{}\x1f{}", escape(fs::path(path).filename().string(), Escape::utf8),
                     rule, layer);
}

/// Writes the findings as a baseline; an existing one is replaced only once the new one is
/// complete.
bool write_baseline(const std::string& path, const std::vector<FileReport>& reports,
                    const std::vector<std::string>& inputs, std::ostream& err) {
  return write_file(
      path, inputs,
      [&](std::ostream& out) {
        nlohmann::json entries = nlohmann::json::array();
        for (const FileReport& r : reports) {
          for (const Finding& f : r.findings) {
            entries.push_back({{"file", fs::path(r.path).filename().string()},
                               {"rule", rule_name(f)},
                               {"layer", f.layer_name},
                               {"message", f.message}});
          }
        }
        out << dump_json({{"irlint_baseline", 1}, {"findings", entries}}) << '\n';
      },
      err);
}

/// Drops findings present in the baseline (matched by file name, rule and layer name, so a
/// re-exported model with shifted lines still matches); each baseline entry absorbs one finding.
bool apply_baseline(const std::string& path, std::vector<FileReport>& reports, std::ostream& err) {
  std::string problem;
  std::optional<std::string> text = read_input_file(path, kMaxBaselineBytes, &problem);
  if (!text) {
    err << fmt::format("irlint: error: cannot read the baseline '{}': {}\n", shown(path), problem);
    return false;
  }
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("findings") ||
      !doc["findings"].is_array()) {
    err << fmt::format(
        "irlint: error: '{}' is not an irlint baseline (write one with --write-baseline)\n", path);
    return false;
  }
  std::map<std::string, int> known;
  for (const auto& e : doc["findings"]) {
    if (!e.is_object()) continue;
    ++known[baseline_key(e.value("file", ""), e.value("rule", ""), e.value("layer", ""))];
  }
  for (FileReport& r : reports) {
    std::erase_if(r.findings, [&](const Finding& f) {
      auto it = known.find(baseline_key(r.path, rule_name(f), f.layer_name));
      if (it == known.end() || it->second == 0) return false;
      --it->second;
      return true;
    });
  }
  return true;
}

/// What a check leaves behind (the model and its plan), handed to the end of the process instead
/// of freed: freeing the ~600k allocations of a 100k-layer model takes ~30 ms, while the kernel
/// drops them at exit for nothing. Only the latest is kept, so a folder of models still frees
/// all but one. The holder is never destroyed, and stays reachable (no leak report).
void keep_until_exit(std::shared_ptr<const IrModel> model, std::optional<Plan> plan) {
  struct Kept {
    std::shared_ptr<const IrModel> model;
    std::optional<Plan> plan;
  };
  static std::mutex lock;
  static Kept* kept = new Kept;
  Kept previous{std::move(model), std::move(plan)};
  std::lock_guard guard(lock);
  std::swap(previous, *kept);
  // `previous`, the check before, is freed here
}

/// The configuration a check reads: --config, else the nearest .irlint.json above the first
/// model (none with --no-config); nullopt after an error message.
std::optional<Config> check_config(const std::optional<std::string>& path, std::ostream& err) {
  if (!path) return Config{};
  std::string error;
  auto loaded = load_config(*path, &error);
  if (!loaded) err << "irlint: error: " << error << '\n';
  return loaded;
}

/// `--select`/`--ignore` patterns that match no rule, reported; false when there was one.
bool patterns_known(const std::vector<std::string>& patterns, std::ostream& err) {
  for (const std::string& s : patterns) {
    bool known = std::any_of(all_rules().begin(), all_rules().end(),
                             [&](const Rule* r) { return rule_matches(r->info, s); });
    if (!known) {
      err << fmt::format("irlint: error: '{}' matches no rule (see 'irlint rules')\n", s);
      return false;
    }
  }
  return true;
}

/// `--option RULE.OPTION=VALUE` into `settings`, checked as the configuration file's options
/// are (check_option_value()); false after an error message.
bool add_option(const std::string& s, RuleSettings& settings, std::ostream& err) {
  size_t dot = s.find('.');
  size_t eq = s.find('=');
  const Rule* rule = dot == std::string::npos ? nullptr : find_rule(s.substr(0, dot));
  const RuleOption* option = nullptr;
  if (rule && eq != std::string::npos && eq > dot) {
    for (const RuleOption& o : rule->info.options) {
      if (o.name == s.substr(dot + 1, eq - dot - 1)) option = &o;
    }
  }
  if (!option) {
    err << fmt::format(
        "irlint: error: --option wants RULE.OPTION=VALUE with a known option, got '{}'\n", s);
    return false;
  }
  if (std::string problem = check_option_value(*option, s.substr(eq + 1)); !problem.empty()) {
    err << fmt::format("irlint: error: --option {}: {}\n", s, problem);
    return false;
  }
  settings.options[std::string(rule->info.name)][std::string(option->name)] = s.substr(eq + 1);
  return true;
}

/// The configuration's rule settings with the command line's on top; nullopt after an error.
std::optional<RuleSettings> rule_settings(const CheckArgs& args, const Config& config,
                                          std::ostream& err) {
  RuleSettings settings = config.rules;
  if (!patterns_known(args.select, err) || !patterns_known(args.ignore, err)) return std::nullopt;
  settings.select.insert(settings.select.end(), args.select.begin(), args.select.end());
  settings.ignore.insert(settings.ignore.end(), args.ignore.begin(), args.ignore.end());
  for (const std::string& s : args.severity) {
    size_t eq = s.find('=');
    const Rule* rule = eq == std::string::npos ? nullptr : find_rule(s.substr(0, eq));
    auto level = eq == std::string::npos ? std::nullopt : parse_severity(s.substr(eq + 1));
    if (!rule || !level) {
      err << fmt::format("irlint: error: --severity wants RULE=note|warning|error, got '{}'\n", s);
      return std::nullopt;
    }
    settings.severity[std::string(rule->info.name)] = *level;
  }
  for (const std::string& s : args.options) {
    if (!add_option(s, settings, err)) return std::nullopt;
  }
  return settings;
}

/// Everything a check was asked, checked once: how each model is analysed, when the exit
/// status is 1, and how the report is written.
struct CheckSettings {
  AnalysisSettings analysis;
  std::optional<Severity> fail_on;  ///< nullopt: never
  Format format = Format::text;
};

std::optional<CheckSettings> check_settings(const CheckArgs& args, const Config& config,
                                            std::ostream& err) {
  CheckSettings c;
  auto rules = rule_settings(args, config, err);
  if (!rules) return std::nullopt;
  c.analysis.rules = std::move(*rules);
  c.analysis.bin = args.bin;
  c.analysis.batch = args.batch;
  std::string target_name = !args.target.empty() ? args.target : config.target;
  if (!target_name.empty()) {
    std::string error;
    auto parsed = parse_target(target_name, &error);
    if (!parsed) {
      err << "irlint: error: " << error << '\n';
      return std::nullopt;
    }
    c.analysis.target = *parsed;
  }
  std::string fail_on =
      !args.fail_on.empty() ? args.fail_on : (!config.fail_on.empty() ? config.fail_on : "warning");
  c.fail_on = parse_severity(fail_on);
  if (!c.fail_on && fail_on != "never") {
    err << fmt::format("irlint: error: --fail-on wants error, warning, note or never, got '{}'\n",
                       fail_on);
    return std::nullopt;
  }
  static const std::map<std::string, Format> kFormats = {{"text", Format::text},
                                                         {"json", Format::json},
                                                         {"sarif", Format::sarif},
                                                         {"github", Format::github},
                                                         {"junit", Format::junit}};
  auto format = kFormats.find(args.format);
  if (format == kFormats.end()) {
    err << fmt::format("irlint: error: unknown format '{}' (text, json, sarif, github, junit)\n",
                       args.format);
    return std::nullopt;
  }
  c.format = format->second;
  return c;
}

/// Checks the files on up to `jobs` threads (0: one per core), in the order given.
std::vector<FileReport> check_files(const std::vector<std::string>& files,
                                    const AnalysisSettings& analysis, int jobs_asked, bool stats,
                                    std::ostream& err) {
  std::vector<FileReport> reports(files.size());
  auto started = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  // More jobs than cores only costs threads (-j 100000 started one per file).
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  if (jobs_asked > 0 && static_cast<size_t>(jobs_asked) > cores) {
    err << fmt::format("irlint: note: -j {} is more than the {} cores; using {}\n", jobs_asked,
                       cores, cores);
  }
  size_t jobs = std::clamp<size_t>(jobs_asked <= 0 ? cores : static_cast<size_t>(jobs_asked), 1,
                                   std::min(cores, std::max<size_t>(files.size(), 1)));
  AnalysisSettings settings = analysis;
  if (jobs > 1) settings.limits.read_threads = 1;  // the jobs already keep the cores busy
  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++)
      reports[i] = check_file(files[i], settings);
  };
  std::vector<std::thread> pool;
  try {
    for (size_t j = 1; j < jobs; ++j) pool.push_back(start_thread(worker));
  } catch (const std::system_error& e) {
    // This thread checks files too, so even none started is a (serial) run.
    err << fmt::format("irlint: note: could start only {} of {} threads ({}); checking with {}\n",
                       pool.size() + 1, jobs, e.code().message(), pool.size() + 1);
    jobs = pool.size() + 1;
  }
  worker();
  for (std::thread& t : pool) t.join();
  if (stats) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    err << fmt::format("irlint: {} files in {:.3f} s ({:.1f} files/s, {} jobs)\n", files.size(),
                       seconds, seconds > 0 ? static_cast<double>(files.size()) / seconds : 0.0,
                       jobs);
  }
  return reports;
}

/// 2 when a file could not be read as a model, 1 when a finding reaches `fail_on`, else 0.
int exit_status(const std::vector<FileReport>& reports, std::optional<Severity> fail_on) {
  bool input_error = std::any_of(reports.begin(), reports.end(),
                                 [](const FileReport& r) { return r.input_error; });
  if (input_error) return 2;
  if (!fail_on) return 0;
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      if (f.severity >= *fail_on) return 1;
    }
  }
  return 0;
}

}  // namespace

int run_check(const CheckArgs& args, std::ostream& out, std::ostream& err) {
  Inputs inputs = expand_inputs(args.inputs, err);
  const std::vector<std::string>& files = inputs.files;
  if (files.empty() && inputs.unreadable.empty()) {
    err << "irlint: error: no IR files found\n";
    return 2;
  }
  std::optional<std::string> config_path =
      !args.config.empty()
          ? std::optional(args.config)
          : (args.no_config || files.empty() ? std::nullopt : find_config(files.front()));
  std::vector<std::string> read = read_paths(args, files, config_path);
  for (const std::string* output : {&args.output, &args.write_baseline}) {
    if (!output->empty() && overwrites_input(*output, read, err)) return 2;
  }
  auto config = check_config(config_path, err);
  if (!config) return 2;
  auto settings = check_settings(args, *config, err);
  if (!settings) return 2;
  if (!args.bin.empty() && files.size() != 1) {
    err << "irlint: error: --bin applies to a single model\n";
    return 2;
  }
  std::vector<FileReport> reports =
      check_files(files, settings->analysis, args.jobs, args.stats, err);
  for (FileReport& r : inputs.unreadable) reports.push_back(std::move(r));
  if (!args.write_baseline.empty()) {
    if (!write_baseline(args.write_baseline, reports, read, err)) return 2;
    err << fmt::format(
        "irlint: wrote a baseline of {} findings to '{}'\n",
        std::accumulate(reports.begin(), reports.end(), size_t{0},
                        [](size_t n, const FileReport& r) { return n + r.findings.size(); }),
        escape(args.write_baseline, Escape::terminal));
  }
  if (!args.baseline.empty() && !apply_baseline(args.baseline, reports, err)) return 2;

  RenderOptions options;
  options.format = settings->format;
  options.target = settings->analysis.target.name();
  if (!args.output.empty()) {
    auto writer = [&](std::ostream& file) { render(reports, options, file); };
    if (!write_file(args.output, read, writer, err)) return 2;
  } else {
    options.color = options.format == Format::text && isatty(STDOUT_FILENO) &&
                    !std::getenv("NO_COLOR") && &out == &std::cout;
    render(reports, options, out);
  }
  return exit_status(reports, settings->fail_on);
}

FileReport check_file(const std::string& path, const AnalysisSettings& settings) {
  FileReport report;
  report.path = path;
  Analysis a = analyze(path, settings);
  report.findings = std::move(a.findings);
  report.input_error = a.model->fatal;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::error && f.rule && f.rule->info.code.starts_with("IRL0")) {
      report.input_error = true;
    }
  }
  keep_until_exit(std::move(a.model), std::move(a.plan));
  return report;
}

}  // namespace irlint
