// irlint_bench: where the time of `irlint check` goes, per stage, against parsing alone.
// Usage: irlint_bench IRLINT_BINARY model.xml...   (prints one table row per model)
//        irlint_bench --parse-only model.xml       (prints the ms of one pugixml parse)
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>
#include <string_view>
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

std::string read_text(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Parse-only time in a fresh process (`irlint_bench --parse-only`), like the whole check: in
/// this process the parse of a model reuses the heap pages an earlier model's DOM left behind,
/// and took 105 ms instead of 175 ms for the same 100k-layer file when it came second.
double fresh_parse(const char* model) {
  int out[2];
  if (pipe(out) != 0) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    execl("/proc/self/exe", "irlint_bench", "--parse-only", model, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  char text[64] = {};
  ssize_t got = read(out[0], text, sizeof text - 1);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return got > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? std::atof(text) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--parse-only") {
    std::string text = read_text(argv[2]);
    auto start = Clock::now();
    pugi::xml_document doc;
    if (!doc.load_buffer(text.data(), text.size())) return 1;
    fmt::print("{:.3f}\n", ms_since(start));
    return 0;
  }
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
    std::error_code ec;
    double mb = static_cast<double>(std::filesystem::file_size(argv[i], ec)) / 1e6;
    int runs = mb > 100 ? 1 : 3;
    double parse = 1e300;
    for (int r = 0; r < runs; ++r) parse = std::min(parse, fresh_parse(argv[i]));
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
