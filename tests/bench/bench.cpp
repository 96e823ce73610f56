// irlint_bench: where the time of `irlint check` goes, per stage, against parsing alone.
// Usage: irlint_bench IRLINT_BINARY model.xml...   (prints one table row per model)
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Best of `runs` timings of `f`, in milliseconds.
template <typename F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    f();
    best = std::min(best, ms_since(start));
  }
  return best;
}

/// Runs the whole `irlint check` process; returns wall ms and peak RSS in MB. The kernel counts
/// the RSS of the process that exec'd into a child's peak, so call this before the bench itself
/// holds any model, or the bench's own memory is reported as irlint's.
std::pair<double, double> whole_check(const char* binary, const char* model) {
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execl(binary, binary, "check", model, "--target", "openvino-2019.3:avx2", "--format", "json",
          "--no-config", "--fail-on", "never", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {ms_since(start), static_cast<double>(usage.ru_maxrss) / 1024.0};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: irlint_bench IRLINT_BINARY model.xml...\n");
    return 2;
  }
  std::string error;
  irlint::Target target = *irlint::parse_target("openvino-2019.3:avx2", &error);
  fmt::print(
      "| model | layers | XML MB | parse ms | load ms | plan ms | lint ms | check ms | check/parse "
      "| "
      "ns/layer | ms/MB | peak RSS MB | RSS/XML "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);  // a forked child must not inherit unwritten output
  // Whole processes first, while this process is still small (see whole_check).
  std::vector<std::pair<double, double>> checks;
  for (int i = 2; i < argc; ++i) {
    std::error_code ec;
    int runs = std::filesystem::file_size(argv[i], ec) > 100'000'000 ? 1 : 3;
    std::pair<double, double> best{1e300, 0};
    for (int r = 0; r < runs; ++r) {
      auto [ms, rss] = whole_check(argv[1], argv[i]);
      best = {std::min(best.first, ms), std::max(best.second, rss)};
    }
    checks.push_back(best);
  }
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    double mb = static_cast<double>(text.size()) / 1e6;
    int runs = text.size() > 100'000'000 ? 1 : 3;
    double parse = best_of(runs, [&] {
      pugi::xml_document doc;
      doc.load_buffer(text.data(), text.size());
    });
    std::shared_ptr<irlint::IrModel> model;
    double load = best_of(runs, [&] { model = irlint::read_ir(argv[i]); });
    irlint::Plan plan;
    double plan_ms = best_of(runs, [&] { plan = irlint::plan(*model, target); });
    double lint = best_of(runs, [&] { irlint::lint(*model, &plan, {}); });
    auto [check, rss] = checks[static_cast<size_t>(i - 2)];
    double layers = static_cast<double>(model->layer_count());
    fmt::print(
        "| {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.2f} | {:.0f} | "
        "{:.1f} | {:.0f} | {:.2f} |\n",
        argv[i], model->layer_count(), mb, parse, load, plan_ms, lint, check, check / parse,
        check * 1e6 / layers, check / mb, rss, rss / mb);
    std::fflush(stdout);
  }
  return 0;
}
