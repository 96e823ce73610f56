#include "cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/topological_sort.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "escape.hpp"
#include "reader.hpp"
#include "work.hpp"

namespace irlint {
namespace {

// Where the numbers come from. Measurements: tests/calibrate/calibrate.cpp, one core
// (OMP_NUM_THREADS=1), oneDNN 2.6.3, 2026-11-25, "AMD EPYC" (Zen 4) as /proc/cpuinfo names it;
// each number is the mean of the shapes the program times (docs/cost-model.md has them all).
constexpr std::string_view kCalNative =
    "measured 2026-11-25, AMD EPYC (Zen 4), oneDNN 2.6.3, 1 thread, native ISA "
    "(tests/calibrate)";
constexpr std::string_view kCalAvx512 =
    "measured 2026-11-25, AMD EPYC (Zen 4), oneDNN 2.6.3, 1 thread, ONEDNN_MAX_CPU_ISA="
    "AVX512_CORE (tests/calibrate)";
constexpr std::string_view kCalAvx2 =
    "measured 2026-11-25, AMD EPYC (Zen 4), oneDNN 2.6.3, 1 thread, ONEDNN_MAX_CPU_ISA=AVX2 "
    "(tests/calibrate)";
constexpr std::string_view kSse41 =
    "assumed: the AVX2 measurement halved (half the vector width); not measured";
constexpr std::string_view kAmx =
    "assumed: the AVX512_CORE_VNNI measurement (no AMX on the calibration CPU); not measured";
constexpr std::string_view kRefCompute =
    "assumed: no faster than the gemm fallback of the same target";
constexpr std::string_view kRefEltwise =
    "the JIT eltwise rate / 40: oneDNN 2.6 ref:any eltwise measured ~40x slower than JIT "
    "(shared/docs/onednn-facts.md)";
constexpr std::string_view kMatmul =
    "assumed: the 1x1 convolution rate of the same ISA and precision (an inner product is a 1x1 "
    "convolution over one pixel)";
constexpr std::string_view kOlderKernels =
    "; assumed for this runtime: its JIT kernels run at oneDNN 2.6's speed on the same ISA";

/// Rates measured (or derived) for one ISA, before a policy adjusts them.
struct IsaRates {
  double conv1x1_fp32, conv_fp32, dw_fp32, conv1x1_int8, conv_int8, dw_int8;
  double eltwise, bandwidth, reorder, convert, overhead_ms;
  std::string_view source;
};

// Means of the calibration program's rows (GMAC/s, G elements/s, GB/s, ms).
constexpr IsaRates kNative{51.7, 61.2, 36.7, 156.2, 230.4,  27.9,
                           9.1,  72.8, 78.5, 35.5,  0.0002, kCalNative};
constexpr IsaRates kAvx512{48.1, 60.9, 36.6, 89.1, 117.0,  24.0,
                           9.1,  72.4, 78.5, 35.5, 0.0002, kCalAvx512};
constexpr IsaRates kAvx2{55.8, 57.1, 38.3, 78.5, 112.4,  20.2,
                         8.8,  70.5, 78.1, 34.9, 0.0004, kCalAvx2};

IsaRates rates_for(Isa isa) {
  switch (isa) {
    case Isa::sse41: {
      IsaRates r = kAvx2;
      for (double* x : {&r.conv1x1_fp32, &r.conv_fp32, &r.dw_fp32, &r.conv1x1_int8, &r.conv_int8,
                        &r.dw_int8, &r.eltwise}) {
        *x /= 2;
      }
      r.source = kSse41;
      return r;
    }
    case Isa::avx2:
      return kAvx2;
    case Isa::avx512:
      return kAvx512;
    case Isa::avx512_vnni:
      return kNative;
    case Isa::amx: {
      IsaRates r = kNative;
      r.source = kAmx;
      return r;
    }
  }
  return kAvx2;
}

double width(Precision p) {
  switch (p) {
    case Precision::u8:
    case Precision::i8:
      return 1;
    case Precision::bf16:
    case Precision::fp16:
      return 2;
    default:
      return 4;
  }
}

bool is_compute(OpKind k) {
  return k == OpKind::convolution || k == OpKind::group_convolution || k == OpKind::matmul ||
         k == OpKind::deconvolution;
}

bool one_by_one(const Layer& layer) {
  if (layer.inputs.size() > 1) {
    const Shape& k = layer.inputs[1].dims;
    return k.size() >= 3 && k[k.size() - 1] == Dim{1, 1} && k[k.size() - 2] == Dim{1, 1};
  }
  auto kernel = layer.int_list("kernel");
  return kernel && std::all_of(kernel->begin(), kernel->end(), [](int64_t d) { return d == 1; });
}

KernelClass kernel_class(const Layer& layer, const PlanNode& node) {
  OpKind k = node.kind;
  if (k == OpKind::parameter || k == OpKind::result || k == OpKind::reshape) {
    return KernelClass::none;  // in place: no primitive runs
  }
  bool int8 = is_int8(node.precision);
  if (is_compute(k)) {
    if (node.impl == Impl::ref) return KernelClass::ref_compute;
    if (node.impl == Impl::gemm && int8 && k != OpKind::matmul) return KernelClass::gemm_int8;
    if (k == OpKind::matmul) return int8 ? KernelClass::matmul_int8 : KernelClass::matmul_fp32;
    if (node.depthwise) return int8 ? KernelClass::depthwise_int8 : KernelClass::depthwise_fp32;
    if (one_by_one(layer)) return int8 ? KernelClass::conv1x1_int8 : KernelClass::conv1x1_fp32;
    return int8 ? KernelClass::conv_int8 : KernelClass::conv_fp32;
  }
  return node.impl == Impl::ref ? KernelClass::ref_eltwise : KernelClass::eltwise;
}

const Shape* output_dims(const Layer& layer, uint32_t port) {
  const Port* p = layer.output_port(port);
  if (!p && !layer.outputs.empty()) p = &layer.outputs.front();
  return p ? &p->dims : nullptr;
}

uint64_t weight_bytes(const Layer& layer, const PlanNode& node) {
  double w = is_int8(node.precision) ? 1 : 4;
  if (layer.inputs.size() > 1) {
    auto n = element_count(layer.inputs[1].dims);
    return n ? static_cast<uint64_t>(static_cast<double>(*n) * w) : 0;
  }
  uint64_t bytes = 0;
  for (const Blob& b : layer.blobs) {
    if (b.name != "weights") continue;
    std::string_view p = b.precision.empty() ? layer.precision : b.precision;
    double stored = p == "FP16" || p == "I16" ? 2 : p == "I8" || p == "U8" ? 1 : 4;
    bytes += static_cast<uint64_t>(static_cast<double>(b.size) / stored * w);
  }
  return bytes;
}

double ms(double amount, double per_second_giga) {
  return per_second_giga > 0 ? amount / (per_second_giga * 1e9) * 1e3 : 0;
}

}  // namespace

std::string_view to_string(KernelClass kind) {
  constexpr std::string_view kNames[] = {"conv1x1 FP32",
                                         "conv FP32",
                                         "depthwise FP32",
                                         "conv1x1 INT8",
                                         "conv INT8",
                                         "depthwise INT8",
                                         "gemm INT8 fallback",
                                         "matmul FP32",
                                         "matmul INT8",
                                         "ref compute",
                                         "eltwise",
                                         "ref eltwise",
                                         "none"};
  return kNames[static_cast<size_t>(kind)];
}

CostTable cost_table(const Target& target) {
  IsaRates r = rates_for(target.isa);
  bool onednn = target.policy->name.starts_with("onednn");
  // The sources of OpenVINO targets add the assumption that their kernels match oneDNN 2.6's.
  static std::map<std::string, std::string, std::less<>> sources;  // keeps composed text alive
  auto src = [&](std::string_view base) -> std::string_view {
    if (onednn) return base;
    std::string key = std::string(base) + std::string(kOlderKernels);
    return sources.try_emplace(key, key).first->second;
  };
  CostTable t;
  t.name = target.name();
  auto set = [&](KernelClass k, double v, std::string_view s) {
    t.gmacs[static_cast<size_t>(k)] = {v, s};
  };
  set(KernelClass::conv1x1_fp32, r.conv1x1_fp32, src(r.source));
  set(KernelClass::conv_fp32, r.conv_fp32, src(r.source));
  set(KernelClass::depthwise_fp32, r.dw_fp32, src(r.source));
  set(KernelClass::conv1x1_int8, r.conv1x1_int8, src(r.source));
  set(KernelClass::conv_int8, r.conv_int8, src(r.source));
  set(KernelClass::depthwise_int8, r.dw_int8, src(r.source));
  const Fact<double>& gemm = target.policy->gemm_int8_slowdown;
  set(KernelClass::gemm_int8, r.dw_int8 / gemm.value, gemm.source);
  set(KernelClass::matmul_fp32, r.conv1x1_fp32, kMatmul);
  set(KernelClass::matmul_int8, r.conv1x1_int8, kMatmul);
  set(KernelClass::ref_compute, r.dw_int8 / gemm.value, kRefCompute);
  t.eltwise_gelems = {r.eltwise, src(r.source)};
  t.ref_eltwise_gelems = {r.eltwise / 40, kRefEltwise};
  t.bandwidth_gbs = {r.bandwidth, src(r.source)};
  t.reorder_gbs = {r.reorder, src(r.source)};
  t.convert_gbs = {r.convert, src(r.source)};
  t.overhead_ms = {r.overhead_ms, src(r.source)};
  return t;
}

uint64_t tensor_bytes(const Shape& dims, Precision precision, Layout layout) {
  double elements = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (!dims[i].is_static() || dims[i].min < 0) return 0;
    double d = static_cast<double>(dims[i].min);
    if (i == 1 && dims.size() >= 3 && (layout == Layout::blocked8 || layout == Layout::blocked16)) {
      double block = layout == Layout::blocked8 ? 8 : 16;
      d = std::ceil(d / block) * block;  // blocked layouts pad channels to the block
    }
    elements *= d;
  }
  double bytes = elements * width(precision);
  // Converting a double past 2^64 is undefined: a tensor that large saturates.
  if (!(bytes < 18446744073709551616.0)) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(bytes);
}

double PlanCost::conv_mac_share() const {
  return macs == 0 ? 1 : static_cast<double>(conv_macs) / static_cast<double>(macs);
}

double PlanCost::conv_time_share() const { return total_ms > 0 ? compute_ms / total_ms : 0; }

namespace {

/// The Reorders' bytes and times, added to `cost`.
void add_reorders(const IrModel& model, const Plan& plan, const CostTable& table, PlanCost& cost) {
  const Graph& g = model.graph;
  for (const PlanReorder& r : plan.reorders) {
    Vertex src = boost::source(r.edge, g);
    const Shape* dims = output_dims(g[src], g[r.edge].from_port);
    uint64_t bytes = 0;
    if (dims) {
      bool spatial = dims->size() == 4;
      bytes = tensor_bytes(*dims, r.from_precision, spatial ? r.from_layout : Layout::planar) +
              tensor_bytes(*dims, r.to_precision, spatial ? r.to_layout : Layout::planar);
    }
    double rate =
        r.from_precision != r.to_precision ? table.convert_gbs.value : table.reorder_gbs.value;
    double t = ms(static_cast<double>(bytes), rate) + table.overhead_ms.value;
    cost.reorder_bytes.push_back(bytes);
    cost.reorder_ms.push_back(t);
    cost.reorders_ms += t;
    cost.total_ms += t;
    cost.bytes += bytes;
  }
}

}  // namespace

PlanCost estimate(const IrModel& model, const Plan& plan, const CostTable& table) {
  const Graph& g = model.graph;
  PlanCost cost;
  if (plan.node_of.size() != boost::num_vertices(g) ||
      plan.constant.size() != boost::num_vertices(g)) {
    return cost;
  }
  const std::vector<bool>& constant = plan.constant;
  cost.nodes.resize(plan.nodes.size());
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    const PlanNode& node = plan.nodes[i];
    const Layer& layer = g[node.main];
    NodeCost& c = cost.nodes[i];
    c.kernel = kernel_class(layer, node);
    if (c.kernel == KernelClass::none) continue;
    bool compute = is_compute(node.kind);
    c.macs = compute ? layer_macs(layer, node.kind).value_or(0) : 0;
    const Layer& last = g[node.fused.back()];
    const Shape* out = output_dims(last, last.outputs.empty() ? 0 : last.outputs.front().id);
    uint64_t out_elements = out ? element_count(*out).value_or(0) : 0;
    uint64_t in_elements = 0;
    for (Vertex member : node.fused) {
      for (auto [it, end] = boost::in_edges(member, g); it != end; ++it) {
        Vertex src = boost::source(*it, g);
        if (constant[src] || plan.node_of[src] == static_cast<int32_t>(i)) continue;
        const Shape* dims = output_dims(g[src], g[*it].from_port);
        if (!dims) continue;
        bool main_input = member == node.main;
        Precision p = main_input ? node.in_precision : node.out_precision;
        Layout l =
            dims->size() == 4 ? (main_input ? node.in_layout : node.out_layout) : Layout::planar;
        c.bytes_read += tensor_bytes(*dims, p, l);
        if (main_input) in_elements = std::max(in_elements, element_count(*dims).value_or(0));
      }
    }
    if (out) {
      c.bytes_written = tensor_bytes(*out, node.out_precision,
                                     out->size() == 4 ? node.out_layout : Layout::planar);
    }
    if (compute) {
      c.weight_bytes = weight_bytes(layer, node);
      c.elem_ops = out_elements * (node.fused.size() - 1);  // fused post-ops
    } else {
      c.elem_ops = std::max(out_elements, in_elements) * node.fused.size();
    }
    double elem_rate = c.kernel == KernelClass::ref_eltwise ? table.ref_eltwise_gelems.value
                                                            : table.eltwise_gelems.value;
    size_t k = static_cast<size_t>(c.kernel);
    c.compute_ms =
        (k < kComputeClasses ? ms(static_cast<double>(c.macs), table.gmacs[k].value) : 0) +
        ms(static_cast<double>(c.elem_ops), elem_rate);
    c.memory_ms = ms(static_cast<double>(c.bytes_read + c.bytes_written + c.weight_bytes),
                     table.bandwidth_gbs.value);
    c.time_ms = std::max(c.compute_ms, c.memory_ms) + table.overhead_ms.value;
    cost.total_ms += c.time_ms;
    if (compute) {
      cost.compute_ms += c.time_ms;
      cost.conv_macs += c.macs;
    }
    cost.macs += c.macs;
    cost.elem_ops += c.elem_ops;
    cost.bytes += c.bytes_read + c.bytes_written + c.weight_bytes;
    cost.weight_bytes += c.weight_bytes;
  }
  add_reorders(model, plan, table, cost);
  return cost;
}

CostedPlan counterpart_of(const IrModel& model, const Target& target, bool model_is_int8) {
  CostedPlan c;
  c.plan = plan(model, target, model_is_int8 ? Quantization::stripped : Quantization::assumed);
  c.cost = estimate(model, c.plan, cost_table(target));
  return c;
}

CostedPlan counterpart_of(const IrModel& model, const Plan& plan_as_given) {
  return counterpart_of(model, plan_as_given.target, plan_as_given.int8);
}

Int8Verdict int8_verdict(const IrModel& model, const Plan& plan_as_given) {
  return int8_verdict(model, plan_as_given,
                      estimate(model, plan_as_given, cost_table(plan_as_given.target)),
                      counterpart_of(model, plan_as_given));
}

Int8Verdict int8_verdict(const IrModel& model, const Plan& plan_as_given, PlanCost given_cost,
                         CostedPlan counterpart) {
  Int8Verdict v;
  v.model_is_int8 = plan_as_given.int8;
  v.given = &plan_as_given;
  v.counterpart = std::move(counterpart.plan);
  v.int8 = v.model_is_int8 ? std::move(given_cost) : std::move(counterpart.cost);
  v.fp32 = v.model_is_int8 ? std::move(counterpart.cost) : std::move(given_cost);
  v.speedup = v.int8.total_ms > 0 ? v.fp32.total_ms / v.int8.total_ms : 1;
  const Plan& int8_plan = v.int8_plan();
  const Plan& fp32_plan = v.fp32_plan();

  // Attribute the difference: each INT8 primitive gets a category, and the FP32 primitive of
  // the same layer is charged to the same category.
  enum Category : uint8_t { kReorders, kFallback, kElementwise, kCompute, kCount };
  auto own_category = [](const NodeCost& c) {
    switch (c.kernel) {
      case KernelClass::gemm_int8:
      case KernelClass::ref_compute:
      case KernelClass::ref_eltwise:
        return kFallback;
      case KernelClass::eltwise:
      case KernelClass::none:
        return kElementwise;
      default:
        return kCompute;
    }
  };
  // Both plans are of the same graph: the main layer's vertex identifies the layer.
  std::vector<Category> category_of(model.layer_count(), kCount);
  std::array<double, kCount> int8_ms{}, fp32_ms{};
  std::array<size_t, kCount> count{};
  for (size_t i = 0; i < int8_plan.nodes.size(); ++i) {
    Category c = own_category(v.int8.nodes[i]);
    category_of[int8_plan.nodes[i].main] = c;
    int8_ms[c] += v.int8.nodes[i].time_ms;
    if (v.int8.nodes[i].kernel != KernelClass::none) ++count[c];
  }
  for (size_t i = 0; i < fp32_plan.nodes.size(); ++i) {
    Category c = category_of[fp32_plan.nodes[i].main];
    if (c == kCount) c = own_category(v.fp32.nodes[i]);
    fp32_ms[c] += v.fp32.nodes[i].time_ms;
  }
  int8_ms[kReorders] = v.int8.reorders_ms;
  fp32_ms[kReorders] = v.fp32.reorders_ms;
  count[kReorders] = int8_plan.reorders.size();
  size_t unfused = 0;
  for (const PlanActivation& a : int8_plan.activations) unfused += a.fused != Support::yes;
  std::array<std::string, kCount> what = {
      fmt::format("{} Reorders", count[kReorders]),
      fmt::format("{} gemm/reference fallback kernels", count[kFallback]),
      fmt::format("{} stand-alone element-wise primitives ({} unfused activations)",
                  count[kElementwise], unfused),
      fmt::format("{} INT8 convolutions and matrix products", count[kCompute])};
  for (size_t c = 0; c < kCount; ++c) {
    double lost = int8_ms[c] - fp32_ms[c];
    if (lost > 0) v.causes.push_back({what[c], lost});
  }
  std::stable_sort(v.causes.begin(), v.causes.end(),
                   [](const LossCause& a, const LossCause& b) { return a.lost_ms > b.lost_ms; });
  return v;
}

}  // namespace irlint

namespace irlint {

std::string cost_summary(const IrModel& model, const Plan& plan_as_given, const Int8Verdict& v,
                         size_t top_n) {
  const PlanCost& given = v.model_is_int8 ? v.int8 : v.fp32;
  std::string s = fmt::format("predicted on one core ({} throughput table; 'as given' is {}):\n",
                              plan_as_given.target.name(), v.model_is_int8 ? "INT8" : "FP32");
  s += fmt::format("  {:<22} {:>12} {:>12}\n", "", "FP32", "INT8");
  s += fmt::format("  {:<22} {:>12.3f} {:>12.3f}\n", "total ms", v.fp32.total_ms, v.int8.total_ms);
  s += fmt::format("  {:<22} {:>12.3f} {:>12.3f}\n", "conv/matmul ms", v.fp32.compute_ms,
                   v.int8.compute_ms);
  s += fmt::format("  {:<22} {:>12.3f} {:>12.3f}\n", "Reorders ms", v.fp32.reorders_ms,
                   v.int8.reorders_ms);
  s += fmt::format("  {:<22} {:>12} {:>12}\n", "primitives", v.fp32_plan().nodes.size(),
                   v.int8_plan().nodes.size());
  s += fmt::format("  {:<22} {:>12} {:>12}\n", "Reorders", v.fp32_plan().reorders.size(),
                   v.int8_plan().reorders.size());
  s +=
      fmt::format("  {:<22} {:>12.1f} {:>12.1f}\n", "MB moved",
                  static_cast<double>(v.fp32.bytes) / 1e6, static_cast<double>(v.int8.bytes) / 1e6);
  s += fmt::format("  {:<22} {:>11.0f}% {:>11.0f}%\n", "conv/matmul time",
                   100 * v.fp32.conv_time_share(), 100 * v.int8.conv_time_share());
  s += fmt::format("  GMACs {:.3f} ({:.0f}% in conv/matmul); INT8 speed-up over FP32: {:.2f}x\n",
                   static_cast<double>(given.macs) / 1e9, 100 * given.conv_mac_share(), v.speedup);
  std::vector<std::pair<double, std::string>> items;
  for (size_t i = 0; i < plan_as_given.nodes.size() && i < given.nodes.size(); ++i) {
    const PlanNode& n = plan_as_given.nodes[i];
    items.emplace_back(given.nodes[i].time_ms,
                       fmt::format("{} [{}, {}]", shown(model.layer(n.main).name),
                                   to_string(given.nodes[i].kernel), n.exec_type));
  }
  for (size_t i = 0; i < plan_as_given.reorders.size() && i < given.reorder_ms.size(); ++i) {
    items.emplace_back(
        given.reorder_ms[i],
        fmt::format("{} [Reorder]", reorder_name(model, plan_as_given, plan_as_given.reorders[i])));
  }
  std::stable_sort(items.begin(), items.end(), [](auto& a, auto& b) { return a.first > b.first; });
  s += fmt::format("top {} by predicted time (as given):\n", std::min(top_n, items.size()));
  for (size_t i = 0; i < items.size() && i < top_n; ++i) {
    s += fmt::format("  {:>9.4f} ms {:>5.1f}%  {}\n", items[i].first,
                     given.total_ms > 0 ? 100 * items[i].first / given.total_ms : 0.0,
                     items[i].second);
  }
  return s;
}

}  // namespace irlint
