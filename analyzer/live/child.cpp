#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "live.hpp"

extern char** environ;

namespace irlint::live {

namespace {

PlanTiming plan_timing_from_json(const nlohmann::json& j) {
  PlanTiming t;
  if (!j.is_object()) return t;
  t.label = j.value("label", "");
  t.primitives = j.value("primitives", 0);
  t.reorders = j.value("reorders", 0);
  t.nodes = j.value("nodes", 0);
  t.median_ms = j.value("median_ms", 0.0);
  t.primitive_ms = j.value("primitive_ms", 0.0);
  t.overhead_pct = j.value("overhead_pct", 0.0);
  t.iterations = j.value("iterations", 0);
  return t;
}

}  // namespace

nlohmann::json to_json(const PlanTiming& t) {
  return {{"label", t.label},
          {"primitives", t.primitives},
          {"reorders", t.reorders},
          {"nodes", t.nodes},
          {"median_ms", t.median_ms},
          {"primitive_ms", t.primitive_ms},
          {"overhead_pct", t.overhead_pct},
          {"iterations", t.iterations}};
}

nlohmann::json to_json(const LiveRun& run) {
  auto node_json = [](const NodeObservation& o) -> nlohmann::json {
    return {{"node", o.node},
            {"layer", o.layer},
            {"type", o.type},
            {"ran", o.ran},
            {"reason", o.reason},
            {"primitive", o.primitive},
            {"impl", o.impl},
            {"src_layout", o.src_layout},
            {"weights_layout", o.weights_layout},
            {"dst_layout", o.dst_layout},
            {"src_type", o.src_type},
            {"weights_type", o.weights_type},
            {"dst_type", o.dst_type},
            {"precision", o.precision},
            {"post_ops", o.post_ops},
            {"dropped", o.dropped},
            {"src_reorder", o.src_reorder},
            {"weights_reorder", o.weights_reorder},
            {"dst_reorder", o.dst_reorder},
            {"forced", o.forced},
            {"median_ms", o.median_ms},
            {"whole_ms", o.whole_ms},
            {"spread_ms", o.spread_ms},
            {"threads", o.threads}};
  };
  nlohmann::json nodes = nlohmann::json::array();
  for (const NodeObservation& o : run.nodes) nodes.push_back(node_json(o));
  nlohmann::json counterpart_nodes = nlohmann::json::array();
  for (const NodeObservation& o : run.counterpart_nodes) counterpart_nodes.push_back(node_json(o));
  nlohmann::json probes = nlohmann::json::array();
  for (const PostOpProbe& p : run.probes) {
    probes.push_back({{"activation", p.activation},
                      {"conv_node", p.conv_node},
                      {"kind", p.kind},
                      {"accepted", p.accepted},
                      {"impl", p.impl},
                      {"error", p.error}});
  }
  return {{"mode", run.mode},
          {"isa_requested", run.isa_requested},
          {"isa_effective", run.isa_effective},
          {"onednn_version", run.onednn_version},
          {"iterations", run.iterations},
          {"threads", run.threads},
          {"what_if", run.what_if},
          {"whole", to_json(run.whole)},
          {"counterpart", to_json(run.counterpart)},
          {"counterpart_nodes", counterpart_nodes},
          {"nodes", nodes},
          {"probes", probes}};
}

LiveRun live_run_from_json(const nlohmann::json& j) {
  LiveRun run;
  run.mode = j.value("mode", "");
  run.isa_requested = j.value("isa_requested", "");
  run.isa_effective = j.value("isa_effective", "");
  run.onednn_version = j.value("onednn_version", "");
  run.iterations = j.value("iterations", 0);
  run.threads = j.value("threads", 1);
  run.what_if = j.value("what_if", false);
  run.whole = plan_timing_from_json(j.value("whole", nlohmann::json::object()));
  run.counterpart = plan_timing_from_json(j.value("counterpart", nlohmann::json::object()));
  auto node_of = [](const nlohmann::json& n) {
    NodeObservation o;
    o.node = n.value("node", -1);
    o.layer = n.value("layer", "");
    o.type = n.value("type", "");
    o.ran = n.value("ran", false);
    o.reason = n.value("reason", "");
    o.primitive = n.value("primitive", "");
    o.impl = n.value("impl", "");
    o.src_layout = n.value("src_layout", "");
    o.weights_layout = n.value("weights_layout", "");
    o.dst_layout = n.value("dst_layout", "");
    o.src_type = n.value("src_type", "");
    o.weights_type = n.value("weights_type", "");
    o.dst_type = n.value("dst_type", "");
    o.precision = n.value("precision", "");
    o.post_ops = n.value("post_ops", std::vector<std::string>{});
    o.dropped = n.value("dropped", std::vector<std::string>{});
    o.src_reorder = n.value("src_reorder", false);
    o.weights_reorder = n.value("weights_reorder", false);
    o.dst_reorder = n.value("dst_reorder", false);
    o.forced = n.value("forced", "");
    o.median_ms = n.value("median_ms", 0.0);
    o.whole_ms = n.value("whole_ms", 0.0);
    o.spread_ms = n.value("spread_ms", 0.0);
    o.threads = n.value("threads", 1);
    return o;
  };
  for (const auto& n : j.value("nodes", nlohmann::json::array())) run.nodes.push_back(node_of(n));
  for (const auto& n : j.value("counterpart_nodes", nlohmann::json::array()))
    run.counterpart_nodes.push_back(node_of(n));
  for (const auto& p : j.value("probes", nlohmann::json::array())) {
    PostOpProbe probe;
    probe.activation = p.value("activation", -1);
    probe.conv_node = p.value("conv_node", -1);
    probe.kind = p.value("kind", "");
    probe.accepted = p.value("accepted", false);
    probe.impl = p.value("impl", "");
    probe.error = p.value("error", "");
    run.probes.push_back(std::move(probe));
  }
  return run;
}

std::string onednn_isa_cap(const std::string& isa) {
  if (isa == "sse41") return "SSE41";
  if (isa == "avx2") return "AVX2";
  if (isa == "avx512") return "AVX512_CORE";
  if (isa == "avx512_vnni") return "AVX512_CORE_VNNI";
  // A cap, not an emulation: oneDNN 2.6 takes AVX512_CORE_AMX (cpu_isa_traits.cpp:50 at v2.6.3)
  // and grants it only where the CPU and the OS allow AMX.
  if (isa == "amx") return "AVX512_CORE_AMX";
  return {};
}

bool isa_cap_honoured(const std::string& requested, const std::string& effective) {
  if (requested == "native" || requested.empty()) return true;
  if (requested == "sse41") return effective == "sse41";
  if (requested == "avx2") return effective == "avx2";
  if (requested == "avx512") return effective == "avx512_core";
  if (requested == "avx512_vnni") return effective == "avx512_core_vnni";
  if (requested == "amx") return effective == "avx512_core_amx";
  return false;
}

std::optional<LiveRun> run_live_in_child(const std::string& self_exe,
                                         const std::vector<std::string>& child_args,
                                         const std::string& isa, std::string* error) {
  std::string cap;
  if (isa != "native") {
    cap = onednn_isa_cap(isa);
    if (cap.empty()) {
      *error = fmt::format("unknown ISA '{}' (sse41, avx2, avx512, avx512_vnni, amx, native)", isa);
      return std::nullopt;
    }
  }
  // The child's environment: ours without any oneDNN ISA cap, plus the one asked for.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("ONEDNN_MAX_CPU_ISA=") || entry.starts_with("DNNL_MAX_CPU_ISA=")) {
      continue;
    }
    env_strings.emplace_back(entry);
  }
  if (!cap.empty()) env_strings.push_back("ONEDNN_MAX_CPU_ISA=" + cap);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{self_exe, "__live-child"};
  args.insert(args.end(), child_args.begin(), child_args.end());
  args.push_back("--isa-requested");
  args.push_back(isa);
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe(fds) != 0) {
    *error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, self_exe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    *error = fmt::format("cannot start '{}': {}", self_exe, std::strerror(rc));
    return std::nullopt;
  }
  std::string output;
  char buffer[65536];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof(buffer))) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error =
        WIFSIGNALED(status)
            ? fmt::format("the live run (ISA {}) died of signal {}", isa, WTERMSIG(status))
            : fmt::format("the live run (ISA {}) failed with status {}", isa, WEXITSTATUS(status));
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(output, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "the live run's child wrote no readable JSON";
    return std::nullopt;
  }
  LiveRun run = live_run_from_json(j);
  if (!isa_cap_honoured(isa, run.isa_effective)) {
    *error = fmt::format(
        "oneDNN ignored the ISA cap: ONEDNN_MAX_CPU_ISA={} but the effective ISA is {} (the CPU "
        "may lack it, or the library does not know the value)",
        cap, run.isa_effective);
    return std::nullopt;
  }
  return run;
}

}  // namespace irlint::live
