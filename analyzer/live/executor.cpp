#include "executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

namespace irlint::live {
namespace exec {
namespace {

/// Deterministic values (a 64-bit LCG), so two runs of the same model see the same data.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  double next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 53);
  }
  float uniform(float lo, float hi) { return lo + static_cast<float>(next()) * (hi - lo); }
  float integer(int lo, int hi) {
    return static_cast<float>(lo + static_cast<int>(next() * (hi - lo + 1) * 0.999999));
  }

 private:
  uint64_t state_;
};

/// Median and max - min of the execution time over `iterations` runs after warm-up.
void time_primitive(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
                    dnnl::stream& strm, const LiveOptions& options, NodeObservation& obs) {
  for (int i = 0; i < std::max(options.warmup, 1); ++i) {
    prim.execute(strm, args);
    strm.wait();
  }
  std::vector<double> times;
  for (int i = 0; i < std::max(options.iterations, 1); ++i) {
    auto start = std::chrono::steady_clock::now();
    prim.execute(strm, args);
    strm.wait();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  obs.median_ms = times[times.size() / 2];
  obs.spread_ms = times.back() - times.front();
}

/// One step per line on stderr, overwritten in place.
void show_progress(const std::string& label, size_t done, size_t total, const char* what) {
  std::fprintf(stderr, "\r\033[Klive: %zu/%zu %s%s%s", done, total, what,
               label.empty() ? "" : " — ", label.c_str());
  std::fflush(stderr);
}

/// The op families by the kinds they run; activations and resizes are matched after these.
constexpr std::pair<OpKind, BuildFn> kFamilies[] = {
    {OpKind::convolution, build_convolution},
    {OpKind::group_convolution, build_convolution},
    {OpKind::matmul, build_matmul},
    {OpKind::max_pool, build_pooling},
    {OpKind::avg_pool, build_pooling},
    {OpKind::reduce_mean, build_pooling},
    {OpKind::add, build_binary},
    {OpKind::multiply, build_binary},
    {OpKind::subtract, build_binary},
    {OpKind::divide, build_binary},
    {OpKind::other_eltwise, build_binary},
    {OpKind::softmax, build_softmax},
    {OpKind::concat, build_concat},
    {OpKind::reshape, build_view},
    {OpKind::transpose, build_transpose},
    {OpKind::fake_quantize, build_fake_quantize},
};

}  // namespace

Executor::Executor(const IrModel& model, const Plan& plan, const LiveOptions& options)
    : m_(model),
      plan_(plan),
      options_(options),
      weights_(model),
      eng_(dnnl::engine::kind::cpu, 0),
      strm_(eng_) {}

void Executor::record(const dnnl::primitive& prim, std::unordered_map<int, memory>& args,
                      NodeObservation& obs) {
  if (options_.time_nodes) {
    time_primitive(prim, args, strm_, options_, obs);
  } else {
    prim.execute(strm_, args);
    strm_.wait();
  }
  steps_.push_back({prim, args, observation_});
  obs.ran = true;
}

void Executor::add_reorder(const memory::desc& from, const memory::desc& to) {
  memory src(from, eng_), dst(to, eng_);
  std::fill_n(static_cast<uint8_t*>(src.get_data_handle()), from.get_size(), uint8_t{1});
  dnnl::reorder prim(src, dst);
  steps_.push_back({prim, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}}, -1});
}

void Executor::plan_reorders_before(size_t index) {
  for (const PlanReorder& r : plan_.reorders) {
    if (r.to_node != static_cast<int32_t>(index)) continue;
    const Port* port =
        layer(boost::source(r.edge, m_.graph)).output_port(m_.graph[r.edge].from_port);
    auto dims = port ? static_dims(port->dims) : std::nullopt;
    if (!dims || dims->empty()) continue;
    try {
      add_reorder(activation_md(*dims, precision_dt(r.from_precision), r.from_layout),
                  activation_md(*dims, precision_dt(r.to_precision), r.to_layout));
    } catch (const dnnl::error&) {
      // A reorder oneDNN cannot make (a layout the rank does not have) is left out.
    }
  }
}

std::optional<Vertex> Executor::const_source(Vertex v, uint32_t port) const {
  auto p = m_.producer(v, port);
  for (int hops = 0; p && hops < 4; ++hops) {
    OpKind k = op_kind(layer(p->first));
    if (k == OpKind::constant) return p->first;
    if (k != OpKind::convert && k != OpKind::fake_quantize && k != OpKind::reshape &&
        k != OpKind::multiply && k != OpKind::subtract) {
      return std::nullopt;
    }
    p = m_.producer(p->first, 0);
  }
  return std::nullopt;
}

std::vector<float> Executor::values(std::optional<Vertex> constant, size_t count, uint64_t seed,
                                    float lo, float hi) {
  if (constant) {
    auto read = weights_.floats(layer(*constant), count);
    if (read && read->size() == count) return *read;
  }
  Random rng(seed);
  std::vector<float> out(count);
  bool integers = std::floor(lo) == lo && std::floor(hi) == hi && (hi - lo) >= 2;
  for (float& x : out)
    x = integers ? rng.integer(static_cast<int>(lo), static_cast<int>(hi)) : rng.uniform(lo, hi);
  return out;
}

Precision Executor::node_precision(const PlanNode& node) const {
  if (options_.precision_override) return *options_.precision_override;
  return is_int8(node.precision) ? node.precision : Precision::fp32;
}

std::vector<float> Executor::random_values(const memory::dims& dims, uint64_t seed, float lo,
                                           float hi) {
  return values(std::nullopt, static_cast<size_t>(product(dims)), seed, lo, hi);
}

std::optional<std::vector<float>> Executor::constant_values(Vertex v, const Port& port) {
  auto c = const_source(v, port.id);
  auto dims = static_dims(port.dims);
  if (!c || !dims) return std::nullopt;
  size_t count = static_cast<size_t>(product(*dims));
  auto read = weights_.floats(layer(*c), count);
  if (!read || read->size() != count) return std::nullopt;
  return read;
}

memory::desc Executor::activation_md(const memory::dims& dims, dt type, Layout layout) const {
  return memory::desc(dims, type, dims.size() == 4 ? layout_tag(layout) : plain_tag(dims.size()));
}

std::vector<float> Executor::input_values(Vertex v, const Port& port, const memory::dims& dims,
                                          uint64_t seed, float lo, float hi) {
  if (auto read = constant_values(v, port);
      read && read->size() == static_cast<size_t>(product(dims))) {
    return *read;
  }
  return random_values(dims, seed, lo, hi);
}

memory::desc Executor::dst_md(const memory::dims& dims, dt type, Layout layout) const {
  return native() ? memory::desc(dims, type, tag::any) : activation_md(dims, type, layout);
}

memory Executor::filled(const Input& in) {
  memory m(in.md, eng_);
  memory target = in.written_as ? memory(*in.written_as, eng_, m.get_data_handle()) : m;
  memory::dims dims = in.spread_to.value_or(in.dims);
  tag plain = in.plain != tag::undef ? in.plain : plain_tag(dims.size());
  if (in.spread_to) {
    fill(eng_, strm_, target, dims, plain,
         std::vector<float>(static_cast<size_t>(product(dims)), in.values.front()));
  } else {
    fill(eng_, strm_, target, dims, plain, in.values);
  }
  return m;
}

void Executor::keep(NodeObservation& obs, std::vector<Input>& inputs, const memory& dst,
                    const memory::dims& dst_dims) {
  bool first_src = true;
  for (Input& in : inputs) {
    if (in.keep == Keep::weights) {
      obs.weights_dims = in.dims;
      obs.weights_values = std::move(in.values);
    } else if (in.keep == Keep::src) {
      if (first_src) obs.src_dims = in.dims;
      first_src = false;
      obs.src_values.insert(obs.src_values.end(), in.values.begin(), in.values.end());
    }
  }
  obs.dst_dims = dst_dims;
  obs.dst_values = read_back(eng_, strm_, dst, dst_dims, plain_tag(dst_dims.size()));
}

void Executor::launch(Launch launch, NodeObservation& obs) {
  obs.primitive = launch.primitive;
  obs.impl = launch.pd.impl_info_str();
  const Input& src = launch.inputs.front();
  obs.src_layout = layout_name(src.written_as.value_or(src.md));
  obs.src_type = dt_name(src.md.data_type());
  for (const Input& in : launch.inputs) {
    if (in.keep != Keep::weights) continue;
    obs.weights_layout = layout_name(in.md);
    obs.weights_type = dt_name(in.md.data_type());
  }
  obs.dst_layout = layout_name(launch.dst_md);
  obs.dst_type = dt_name(launch.dst_md.data_type());
  std::unordered_map<int, memory> args = std::move(launch.extra);
  for (const Input& in : launch.inputs) args[in.arg] = filled(in);
  memory dst(launch.dst_md, eng_);
  args[launch.dst_arg] = dst;
  dnnl::primitive prim(launch.pd.get());
  if (launch.reorder_before)
    add_reorder(launch.reorder_before->first, launch.reorder_before->second);
  record(prim, args, obs);
  if (launch.reorder_after) add_reorder(launch.reorder_after->first, launch.reorder_after->second);
  if (launch.keep_values && options_.keep_values) keep(obs, launch.inputs, dst, launch.dst_dims);
}

Launch one_input_launch(const char* primitive, const dnnl::primitive_desc_base& pd,
                        const memory::dims& src_dims, std::vector<float> values,
                        const memory::dims& dst_dims) {
  Launch launch{.primitive = primitive, .pd = pd, .dst_md = pd.dst_desc(), .dst_dims = dst_dims};
  launch.inputs.push_back({.md = pd.src_desc(), .dims = src_dims, .values = std::move(values)});
  return launch;
}

BuildFn Executor::family_of(const PlanNode& node, const Layer& l) {
  for (const auto& [kind, build] : kFamilies) {
    if (kind == node.kind) return build;
  }
  if (is_activation(node.kind)) return build_eltwise;
  if (l.type == "Interpolate" || l.type == "Resample") return build_resample;
  return nullptr;
}

void Executor::run_node(size_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[index];
  NodeRef n{static_cast<int32_t>(index), node, layer(node.main)};
  BuildFn build = family_of(node, n.layer);
  if (!build) {
    obs.reason = fmt::format("{} is not run live", to_string(node.kind));
    return;
  }
  try {
    build(*this, n, obs);
  } catch (const dnnl::error& e) {
    obs.ran = false;
    obs.reason = fmt::format("oneDNN error: {}", e.what());
  }
  if (!obs.ran) {
    std::erase_if(steps_, [&](const Step& st) { return st.observation == observation_; });
  }
}

LiveRun Executor::run() {
  LiveRun out;
  out.mode = options_.mode == Mode::native ? "native" : "imposed";
  out.isa_effective = effective_isa();
  const dnnl_version_t* v = dnnl_version();
  out.onednn_version = fmt::format("{}.{}.{}", v->major, v->minor, v->patch);
  out.iterations = options_.iterations;
  out.threads = thread_count();
  out.what_if = plan_.target.policy && plan_.target.policy->openvino_exec_names.value;
  steps_.clear();
  auto runs = [](const PlanNode& node) {
    return node.kind != OpKind::parameter && node.kind != OpKind::result &&
           (!is_passive(node.kind) || node.kind == OpKind::reshape);
  };
  size_t total = static_cast<size_t>(std::count_if(plan_.nodes.begin(), plan_.nodes.end(), runs));
  for (size_t i = 0; i < plan_.nodes.size(); ++i) {
    const PlanNode& node = plan_.nodes[i];
    plan_reorders_before(i);
    if (!runs(node)) continue;
    if (options_.progress) show_progress(options_.progress_label, out.nodes.size(), total, "nodes");
    observation_ = static_cast<int32_t>(out.nodes.size());
    NodeObservation obs;
    obs.node = static_cast<int32_t>(i);
    obs.layer = std::string(layer(node.main).name);
    obs.type = std::string(layer(node.main).type);
    obs.threads = out.threads;
    run_node(i, obs);
    out.nodes.push_back(std::move(obs));
  }
  if (options_.progress) show_progress(options_.progress_label, total, total, "nodes");
  probe_activations(*this, out);
  return out;
}

namespace {

/// One whole-plan iteration: every step back to back, each one timed; returns the end-to-end
/// time and adds each step's time to `step_ms`.
double run_whole(std::vector<Step>& steps, dnnl::stream& strm, std::vector<double>& step_ms,
                 double* primitive_sum) {
  using clock = std::chrono::steady_clock;
  double sum = 0;
  auto begin = clock::now();
  for (size_t i = 0; i < steps.size(); ++i) {
    auto start = clock::now();
    steps[i].prim.execute(strm, steps[i].args);
    strm.wait();
    double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    step_ms[i] = ms;
    sum += ms;
  }
  *primitive_sum = sum;
  return std::chrono::duration<double, std::milli>(clock::now() - begin).count();
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/// Collects the whole-plan times of one plan over the interleaved iterations.
struct WholeTimer {
  std::vector<double> end_to_end, sums, overheads;
  std::vector<std::vector<double>> per_step;  ///< [step][iteration]
  std::vector<double> scratch;

  void iterate(std::vector<Step>& steps, dnnl::stream& strm, bool keep) {
    scratch.assign(steps.size(), 0);
    per_step.resize(steps.size());
    double sum = 0;
    double total = run_whole(steps, strm, scratch, &sum);
    if (!keep) return;
    end_to_end.push_back(total);
    sums.push_back(sum);
    overheads.push_back(total > 0 ? 100 * (total - sum) / total : 0);
    for (size_t i = 0; i < steps.size(); ++i) per_step[i].push_back(scratch[i]);
  }

  PlanTiming timing(const std::vector<Step>& steps, LiveRun& run) const {
    PlanTiming t;
    t.primitives = static_cast<int>(steps.size());
    for (const Step& s : steps) t.reorders += s.observation < 0 ? 1 : 0;
    for (const NodeObservation& o : run.nodes) t.nodes += o.ran ? 1 : 0;
    t.median_ms = median_of(end_to_end);
    t.primitive_ms = median_of(sums);
    t.overhead_pct = median_of(overheads);
    t.iterations = static_cast<int>(end_to_end.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].observation < 0) continue;
      run.nodes[static_cast<size_t>(steps[i].observation)].whole_ms += median_of(per_step[i]);
    }
    return t;
  }
};

}  // namespace
}  // namespace exec

std::string effective_isa() {
  switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41:
      return "sse41";
    case dnnl_cpu_isa_avx:
      return "avx";
    case dnnl_cpu_isa_avx2:
      return "avx2";
    case dnnl_cpu_isa_avx512_mic:
      return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops:
      return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core:
      return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx:
      return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni:
      return "avx2_vnni";
    default:
      return "all";
  }
}

LiveRun run_live(const IrModel& model, const Plan& plan, const LiveOptions& options,
                 const Plan* counterpart) {
  using exec::Executor;
  Executor given(model, plan, options);
  LiveRun run = given.run();
  LiveOptions other_options = options;
  other_options.time_nodes = false;
  other_options.keep_values = false;
  other_options.progress_label =
      options.progress_label.empty() ? "counterpart" : "counterpart plan";
  std::optional<Executor> other;
  LiveRun other_run;
  if (counterpart) {
    other.emplace(model, *counterpart, other_options);
    other_run = other->run();
  }
  // Interleaved: iteration i runs the whole plan, then the whole counterpart.
  exec::WholeTimer mine, theirs;
  int warmup = std::max(options.warmup, 1), iterations = std::max(options.iterations, 1);
  for (int i = 0; i < warmup + iterations; ++i) {
    if (options.progress && i >= warmup)
      exec::show_progress(options.progress_label, static_cast<size_t>(i - warmup),
                          static_cast<size_t>(iterations), "whole-plan iterations");
    mine.iterate(given.steps(), given.stream(), i >= warmup);
    if (other) theirs.iterate(other->steps(), other->stream(), i >= warmup);
  }
  if (options.progress) std::fprintf(stderr, "\r\033[K");
  run.whole = mine.timing(given.steps(), run);
  if (other) {
    run.counterpart = theirs.timing(other->steps(), other_run);
    run.counterpart_nodes = std::move(other_run.nodes);
  }
  return run;
}

std::string plan_layout_name(Layout layout) { return std::string(to_string(layout)); }

}  // namespace irlint::live
