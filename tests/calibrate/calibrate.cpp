// Times representative oneDNN primitives (convolutions 1x1 / 3x3 / depthwise in FP32 and INT8,
// eltwise, reorder) and prints the throughput table the cost model's onednn-2.6 entries come
// from. One process per ISA: run it natively and under ONEDNN_MAX_CPU_ISA=AVX2, with
// OMP_NUM_THREADS=1 (the cost model is per core).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <vector>

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

/// The CPU's name as /proc/cpuinfo gives it.
std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

std::string isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other";
  }
}

/// Median milliseconds of `run` over enough repetitions, after a warm-up (the first execution
/// of a primitive is much slower than later ones).
template <typename F>
double median_ms(F&& run) {
  for (int i = 0; i < 20; ++i) run();
  std::vector<double> times;
  auto start = std::chrono::steady_clock::now();
  while (times.size() < 30 || (times.size() < 400 && std::chrono::steady_clock::now() - start <
                                                         std::chrono::milliseconds(300))) {
    auto t0 = std::chrono::steady_clock::now();
    run();
    auto t1 = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::nth_element(times.begin(), times.begin() + static_cast<long>(times.size() / 2), times.end());
  return times[times.size() / 2];
}

memory make_memory(const memory::desc& md, const dnnl::engine& eng) {
  memory m(md, eng);
  std::memset(m.get_data_handle(), 0, md.get_size());
  return m;
}

/// One convolution with format_tag::any; prints class, impl, ms, GMAC/s.
void time_conv(const char* cls, dnnl::engine& eng, dnnl::stream& s, memory::dim ic, memory::dim oc,
               memory::dim hw, memory::dim k, memory::dim stride, bool depthwise, dt src_dt) {
  bool int8 = src_dt != dt::f32;
  dt wei_dt = int8 ? dt::s8 : dt::f32;
  dt dst_dt = int8 ? dt::u8 : dt::f32;
  memory::dim pad = k / 2;
  memory::dim ohw = (hw + 2 * pad - k) / stride + 1;
  memory::desc src({1, ic, hw, hw}, src_dt, tag::any);
  memory::desc dst({1, oc, ohw, ohw}, dst_dt, tag::any);
  memory::desc bias({oc}, dt::f32, tag::x);
  memory::desc wei = depthwise ? memory::desc({ic, 1, 1, k, k}, wei_dt, tag::any)
                               : memory::desc({oc, ic, k, k}, wei_dt, tag::any);
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference,
                                    dnnl::algorithm::convolution_direct, src, wei, bias, dst,
                                    {stride, stride}, {pad, pad}, {pad, pad});
  dnnl::primitive_attr attr;
  if (int8) attr.set_output_scales(0, {0.5f});
  dnnl::convolution_forward::primitive_desc pd(d, attr, eng);
  dnnl::convolution_forward conv(pd);
  memory msrc = make_memory(pd.src_desc(), eng), mwei = make_memory(pd.weights_desc(), eng),
         mbias = make_memory(pd.bias_desc(), eng), mdst = make_memory(pd.dst_desc(), eng);
  double ms = median_ms([&] {
    conv.execute(s, {{DNNL_ARG_SRC, msrc},
                     {DNNL_ARG_WEIGHTS, mwei},
                     {DNNL_ARG_BIAS, mbias},
                     {DNNL_ARG_DST, mdst}});
    s.wait();
  });
  double macs = static_cast<double>(ohw * ohw * oc * k * k * (depthwise ? 1 : ic));
  std::printf("%-14s %-4s %4ldx%-4ld %3ldx%-3ld k%ld s%ld  %-34s %9.4f ms %8.2f GMAC/s\n", cls,
              src_dt == dt::f32  ? "f32"
              : src_dt == dt::u8 ? "u8"
                                 : "s8",
              static_cast<long>(hw), static_cast<long>(hw), static_cast<long>(ic),
              static_cast<long>(oc), static_cast<long>(k), static_cast<long>(stride),
              pd.impl_info_str(), ms, macs / ms / 1e6);
}

void time_eltwise(dnnl::engine& eng, dnnl::stream& s, tag layout, const char* name) {
  memory::desc md({1, 72, 56, 56}, dt::f32, layout);
  dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference,
                                dnnl::algorithm::eltwise_hardswish, md, 0.f, 0.f);
  dnnl::eltwise_forward::primitive_desc pd(d, eng);
  dnnl::eltwise_forward prim(pd);
  memory src = make_memory(md, eng), dst = make_memory(md, eng);
  double ms = median_ms([&] {
    prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    s.wait();
  });
  double elems = 72.0 * 56 * 56;
  std::printf("%-14s f32  1x72x56x56 %-8s %-34s %9.4f ms %8.2f Gelem/s %7.2f GB/s\n", "eltwise",
              name, pd.impl_info_str(), ms, elems / ms / 1e6, elems * 8 / ms / 1e6);
}

/// The fixed cost of executing one primitive: an eltwise on 8 elements.
void time_overhead(dnnl::engine& eng, dnnl::stream& s) {
  memory::desc md({1, 8, 1, 1}, dt::f32, tag::nchw);
  dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_relu,
                                md, 0.f, 0.f);
  dnnl::eltwise_forward::primitive_desc pd(d, eng);
  dnnl::eltwise_forward prim(pd);
  memory src = make_memory(md, eng), dst = make_memory(md, eng);
  double ms = median_ms([&] {
    prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    s.wait();
  });
  std::printf("%-14s f32  1x8x1x1             %-34s %9.4f ms (fixed cost per primitive)\n",
              "overhead", pd.impl_info_str(), ms);
}

void time_reorder(dnnl::engine& eng, dnnl::stream& s, dt from_dt, tag from, dt to_dt, tag to,
                  const char* name) {
  memory::desc a({1, 72, 56, 56}, from_dt, from), b({1, 72, 56, 56}, to_dt, to);
  memory src = make_memory(a, eng), dst = make_memory(b, eng);
  dnnl::primitive_attr attr;
  if (from_dt != to_dt) attr.set_output_scales(0, {0.5f});
  dnnl::reorder::primitive_desc pd(eng, a, eng, b, attr);
  dnnl::reorder prim(pd);
  double ms = median_ms([&] {
    prim.execute(s, src, dst);
    s.wait();
  });
  double bytes = static_cast<double>(a.get_size() + b.get_size());
  std::printf("%-14s      1x72x56x56 %-24s %-18s %9.4f ms %7.2f GB/s\n", "reorder", name,
              pd.impl_info_str(), ms, bytes / ms / 1e6);
}

}  // namespace

int main() {
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);
  const dnnl::version_t* v = dnnl::version();
  std::printf("cpu: %s\noneDNN: %d.%d.%d, effective ISA: %s\n", cpu_name().c_str(), v->major,
              v->minor, v->patch, isa_name(dnnl::get_effective_cpu_isa()).c_str());
  std::printf("threads: OMP_NUM_THREADS=%s\n\n",
              std::getenv("OMP_NUM_THREADS") ? std::getenv("OMP_NUM_THREADS") : "(unset)");
  for (dt src : {dt::f32, dt::u8, dt::s8}) {
    time_conv("conv1x1", eng, s, 112, 672, 14, 1, 1, false, src);
    time_conv("conv1x1", eng, s, 24, 72, 56, 1, 1, false, src);
    time_conv("conv3x3", eng, s, 64, 64, 28, 3, 1, false, src);
    time_conv("depthwise", eng, s, 72, 72, 56, 3, 1, true, src);
    time_conv("depthwise", eng, s, 672, 672, 14, 5, 1, true, src);
  }
  time_eltwise(eng, s, tag::nhwc, "nhwc");
  time_eltwise(eng, s, tag::nChw8c, "nChw8c");
  time_overhead(eng, s);
  time_reorder(eng, s, dt::f32, tag::nChw8c, dt::f32, tag::nhwc, "f32 nChw8c>nhwc");
  time_reorder(eng, s, dt::f32, tag::nChw8c, dt::u8, tag::nhwc, "f32 nChw8c>u8 nhwc");
  time_reorder(eng, s, dt::u8, tag::nhwc, dt::f32, tag::nChw8c, "u8 nhwc>f32 nChw8c");
  return 0;
}
