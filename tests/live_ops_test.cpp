// Live run of the non-convolution kinds (binary, softmax, concat, view, transpose, FakeQuantize,
// resampling) and of legacy-IR convolutions with <blobs>: each output checked against a
// straightforward reference. The IRs are testdata/live/op_*.xml (written by gen_ops.py there).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plan.hpp"
#include "reader.hpp"
#ifdef IRLINT_HAVE_DNNL
#include "live.hpp"
#endif

namespace irlint {
namespace {

#ifndef IRLINT_HAVE_DNNL

TEST(LiveOps, NotBuilt) {
  GTEST_SKIP() << "the live run is not built: oneDNN (libdnnl-dev, CMake package dnnl) was not "
                  "found at configure time";
}

#else

struct Ran {
  live::LiveRun run;
  live::NodeObservation obs;
};

/// Runs testdata/live/`file` live with values kept and returns the node of layer `name`.
std::optional<Ran> run_file(const std::string& file, const std::string& name,
                            std::optional<Precision> precision = std::nullopt,
                            live::Mode mode = live::Mode::native) {
  auto model = read_ir(std::string(IRLINT_SOURCE_DIR) + "/testdata/live/" + file);
  EXPECT_FALSE(model->fatal) << file;
  if (model->fatal) return std::nullopt;
  auto target = parse_target("onednn-2.6:native", nullptr);
  EXPECT_TRUE(target);
  if (!target) return std::nullopt;
  Plan p = plan(*model, *target);
  live::LiveOptions options;
  options.mode = mode;
  options.iterations = 2;
  options.warmup = 1;
  options.keep_values = true;
  options.precision_override = precision;
  Ran r;
  r.run = live::run_live(*model, p, options);
  auto it = std::find_if(r.run.nodes.begin(), r.run.nodes.end(),
                         [&](const live::NodeObservation& o) { return o.layer == name; });
  EXPECT_NE(it, r.run.nodes.end()) << file << ": no node " << name;
  if (it == r.run.nodes.end()) return std::nullopt;
  r.obs = *it;
  return r;
}

/// Every value within `tolerance` (relative to 1 + |want|) of the reference.
void expect_values(const std::vector<float>& want, const live::NodeObservation& o, double tolerance,
                   const std::string& what) {
  ASSERT_EQ(want.size(), o.dst_values.size()) << what;
  size_t bad = 0, first = want.size();
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::fabs(want[i] - o.dst_values[i]) > tolerance * (1 + std::fabs(want[i]))) {
      ++bad;
      if (first == want.size()) first = i;
    }
  }
  EXPECT_EQ(bad, 0u) << what << " (" << o.impl << ", " << o.precision << "): " << bad << " of "
                     << want.size() << " values differ; first at " << first << ": "
                     << (first < want.size() ? want[first] : 0) << " vs "
                     << (first < want.size() ? o.dst_values[first] : 0);
}

/// Row-major strides of dims.
std::vector<int64_t> strides_of(const std::vector<int64_t>& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

/// Numpy-broadcast element-wise op of a (dims = out) and b.
std::vector<float> broadcast(const live::NodeObservation& o,
                             const std::function<double(double, double)>& f) {
  auto out = o.dst_dims;
  auto so = strides_of(out), sb = strides_of(o.weights_dims);
  std::vector<float> r(o.src_values.size());
  for (size_t i = 0; i < r.size(); ++i) {
    int64_t rest = static_cast<int64_t>(i), j = 0;
    for (size_t d = 0; d < out.size(); ++d) {
      int64_t idx = rest / so[d];
      rest %= so[d];
      if (o.weights_dims[d] != 1) j += idx * sb[d];
    }
    r[i] = static_cast<float>(f(o.src_values[i], o.weights_values[static_cast<size_t>(j)]));
  }
  return r;
}

TEST(LiveOps, BinaryAddBroadcastsFp32AndU8) {
  for (std::optional<Precision> p :
       {std::optional<Precision>(Precision::fp32), std::optional<Precision>(Precision::u8)}) {
    auto r = run_file("op_add.xml", "op", p);
    ASSERT_TRUE(r);
    const auto& o = r->obs;
    ASSERT_TRUE(o.ran) << o.reason;
    EXPECT_EQ(o.primitive, "binary");
    EXPECT_FALSE(o.impl.empty());
    EXPECT_EQ(o.src_type, *p == Precision::u8 ? "u8" : "f32");
    EXPECT_EQ(o.weights_dims, (std::vector<int64_t>{1, 8, 1, 1}));
    ASSERT_EQ(o.src_values.size(), 128u);
    if (*p == Precision::u8) {
      for (float x : o.src_values) EXPECT_EQ(x, std::nearbyint(x)) << "u8 inputs are integers";
    }
    expect_values(broadcast(o, [](double a, double b) { return a + b; }), o, 1e-5, "Add");
  }
}

TEST(LiveOps, BinaryMaximumOfTwoTensors) {
  auto r = run_file("op_maximum.xml", "op", Precision::fp32);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->obs.ran) << r->obs.reason;
  EXPECT_EQ(r->obs.primitive, "binary");
  EXPECT_EQ(r->obs.dst_dims, (std::vector<int64_t>{2, 3, 5}));
  expect_values(broadcast(r->obs, [](double a, double b) { return std::max(a, b); }), r->obs, 0,
                "Maximum");
}

TEST(LiveOps, SoftmaxOverTheAxisOfItsData) {
  auto r = run_file("op_softmax.xml", "op");
  ASSERT_TRUE(r);
  const auto& o = r->obs;
  ASSERT_TRUE(o.ran) << o.reason;
  EXPECT_EQ(o.primitive, "softmax");
  ASSERT_EQ(o.src_dims, (std::vector<int64_t>{2, 6, 3}));
  std::vector<float> want(o.src_values.size());
  for (int64_t n = 0; n < 2; ++n) {
    for (int64_t w = 0; w < 3; ++w) {
      auto at = [&](int64_t c) { return static_cast<size_t>((n * 6 + c) * 3 + w); };
      double sum = 0;
      for (int64_t c = 0; c < 6; ++c) sum += std::exp(o.src_values[at(c)]);
      for (int64_t c = 0; c < 6; ++c)
        want[at(c)] = static_cast<float>(std::exp(o.src_values[at(c)]) / sum);
    }
  }
  expect_values(want, o, 1e-5, "SoftMax axis 1");
}

TEST(LiveOps, ConcatAlongChannels) {
  for (live::Mode mode : {live::Mode::native, live::Mode::imposed}) {
    auto r = run_file("op_concat.xml", "op", Precision::fp32, mode);
    ASSERT_TRUE(r);
    const auto& o = r->obs;
    ASSERT_TRUE(o.ran) << o.reason;
    EXPECT_EQ(o.primitive, "concat");
    // src_values: the 1x3x4x4 input, then the 1x5x4x4 one.
    ASSERT_EQ(o.src_values.size(), 128u);
    ASSERT_EQ(o.dst_dims, (std::vector<int64_t>{1, 8, 4, 4}));
    // Channel-major planes: concatenating along C of N=1 tensors is appending them.
    expect_values(o.src_values, o, 0, "Concat");
  }
}

TEST(LiveOps, TransposeIsAReorderAndReshapeAView) {
  auto r = run_file("op_transpose.xml", "op", Precision::fp32);
  ASSERT_TRUE(r);
  const auto& o = r->obs;
  ASSERT_TRUE(o.ran) << o.reason;
  EXPECT_EQ(o.primitive, "reorder");
  ASSERT_EQ(o.src_dims, (std::vector<int64_t>{1, 2, 3, 4}));
  ASSERT_EQ(o.dst_dims, (std::vector<int64_t>{1, 3, 4, 2}));
  // order 0,2,3,1: out[n][h][w][c] = in[n][c][h][w].
  std::vector<float> want(o.src_values.size());
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t h = 0; h < 3; ++h)
      for (int64_t w = 0; w < 4; ++w)
        want[static_cast<size_t>((h * 4 + w) * 2 + c)] =
            o.src_values[static_cast<size_t>((c * 3 + h) * 4 + w)];
  expect_values(want, o, 0, "Transpose");

  auto view = std::find_if(r->run.nodes.begin(), r->run.nodes.end(),
                           [](const live::NodeObservation& n) { return n.layer == "view"; });
  ASSERT_NE(view, r->run.nodes.end());
  EXPECT_TRUE(view->ran) << view->reason;
  EXPECT_EQ(view->primitive, "view");
  EXPECT_EQ(view->median_ms, 0);
  EXPECT_EQ(view->dst_dims, (std::vector<int64_t>{1, 24}));
}

/// FakeQuantize levels 256, input range = output range [lo, hi] per channel.
struct Fq {
  std::vector<float> lo, hi;
};

float fq_level(float x, float lo, float hi) {
  float s = 255.0f / (hi - lo);
  return std::clamp(std::nearbyint((std::clamp(x, lo, hi) - lo) * s), 0.0f, 255.0f);
}

void check_quantize(const std::string& file, const Fq& fq, std::optional<Precision> override) {
  auto r = run_file(file, "op", override);
  ASSERT_TRUE(r);
  const auto& o = r->obs;
  ASSERT_TRUE(o.ran) << file << ": " << o.reason;
  EXPECT_EQ(o.primitive, "reorder");
  EXPECT_EQ(o.src_type, "f32");
  ASSERT_TRUE(o.dst_type == "u8" || o.dst_type == "s8") << o.dst_type;
  float zq = o.dst_type == "s8" ? -128.0f : 0.0f;
  int64_t plane = o.src_dims[2] * o.src_dims[3];
  size_t exact = 0, off_by_more = 0;
  for (size_t i = 0; i < o.src_values.size(); ++i) {
    size_t c = fq.lo.size() == 1 ? 0 : static_cast<size_t>(static_cast<int64_t>(i) / plane);
    float want = fq_level(o.src_values[i], fq.lo[c], fq.hi[c]) + zq;
    float diff = std::fabs(want - o.dst_values[i]);
    if (diff == 0) ++exact;
    if (diff > 1) ++off_by_more;
  }
  // Rounding of x*scale + zero point may differ from that of (x - low)*scale by one level.
  EXPECT_EQ(off_by_more, 0u) << file;
  EXPECT_GE(exact * 10, o.src_values.size() * 9) << file << ": too many values one level off";
}

TEST(LiveOps, FakeQuantizeQuantizesPerTheLimits) {
  Fq fq{{-1.0f}, {1.55f}};
  check_quantize("op_fq.xml", fq, std::nullopt);     // as the plan says
  check_quantize("op_fq.xml", fq, Precision::fp32);  // f32 source: quantize
  Fq channel{{-1.28f, -2.56f, -3.84f, -5.12f}, {1.27f, 2.54f, 3.81f, 5.08f}};
  check_quantize("op_fq_channel.xml", channel, Precision::fp32);
}

TEST(LiveOps, FakeQuantizeDequantizesInt8) {
  auto r = run_file("op_fq.xml", "op", Precision::u8);
  ASSERT_TRUE(r);
  const auto& o = r->obs;
  ASSERT_TRUE(o.ran) << o.reason;
  EXPECT_EQ(o.src_type, "u8");
  EXPECT_EQ(o.dst_type, "f32");
  std::vector<float> want(o.src_values.size());
  for (size_t i = 0; i < want.size(); ++i) want[i] = -1.0f + o.src_values[i] * 2.55f / 255.0f;
  expect_values(want, o, 1e-5, "dequantize");

  auto s = run_file("op_fq_channel.xml", "op", Precision::i8);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->obs.ran) << s->obs.reason;
  EXPECT_EQ(s->obs.src_type, "s8");
  std::vector<float> want_s(s->obs.src_values.size());
  for (size_t i = 0; i < want_s.size(); ++i) {
    float k = static_cast<float>(i / 9 + 1);  // channel c has the range k * [-1.28, 1.27]
    want_s[i] = -1.28f * k + (s->obs.src_values[i] + 128) * 0.01f * k;
  }
  expect_values(want_s, s->obs, 1e-5, "per-channel dequantize");
}

/// Half-pixel source coordinate of output index d.
double half_pixel(int64_t d, int64_t in, int64_t out) {
  return (static_cast<double>(d) + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5;
}

TEST(LiveOps, InterpolateNearestAndLinearAsResampling) {
  for (std::string mode : {"nearest", "linear"}) {
    auto r = run_file("op_" + mode + ".xml", "op", Precision::fp32);
    ASSERT_TRUE(r);
    const auto& o = r->obs;
    ASSERT_TRUE(o.ran) << mode << ": " << o.reason;
    EXPECT_EQ(o.primitive, "resampling");
    ASSERT_EQ(o.src_dims, (std::vector<int64_t>{1, 2, 3, 3}));
    ASSERT_EQ(o.dst_dims, (std::vector<int64_t>{1, 2, 6, 6}));
    std::vector<float> want(72);
    for (int64_t c = 0; c < 2; ++c) {
      auto x = [&](int64_t y, int64_t w) {
        return o.src_values[static_cast<size_t>((c * 3 + y) * 3 + w)];
      };
      for (int64_t oy = 0; oy < 6; ++oy) {
        for (int64_t ox = 0; ox < 6; ++ox) {
          double sy = half_pixel(oy, 3, 6), sx = half_pixel(ox, 3, 6);
          double v;
          if (mode == "nearest") {
            // round_prefer_floor; no ties when upscaling by 2.
            v = x(std::clamp<int64_t>(std::llround(sy), 0, 2),
                  std::clamp<int64_t>(std::llround(sx), 0, 2));
          } else {
            auto lerp = [](double s, int64_t& i0, int64_t& i1) {
              double f = std::floor(s);
              i0 = std::clamp<int64_t>(static_cast<int64_t>(f), 0, 2);
              i1 = std::clamp<int64_t>(static_cast<int64_t>(f) + 1, 0, 2);
              return s - f;
            };
            int64_t y0, y1, x0, x1;
            double wy = lerp(sy, y0, y1), wx = lerp(sx, x0, x1);
            v = (1 - wy) * ((1 - wx) * x(y0, x0) + wx * x(y0, x1)) +
                wy * ((1 - wx) * x(y1, x0) + wx * x(y1, x1));
          }
          want[static_cast<size_t>((c * 6 + oy) * 6 + ox)] = static_cast<float>(v);
        }
      }
    }
    expect_values(want, o, 1e-5, "Interpolate " + mode);
  }
}

// gen_ops.py's formulas for the legacy convolution's blobs.
float legacy_weight(int64_t i) { return static_cast<float>((i * 7) % 11 - 5) / 8.0f; }
float legacy_bias(int64_t o) { return 0.5f * static_cast<float>(o) - 1.0f; }

TEST(LiveOps, LegacyConvolutionTakesItsWeightsAndBiasesFromBlobs) {
  auto r = run_file("op_legacy_conv.xml", "conv", Precision::fp32);
  ASSERT_TRUE(r);
  const auto& o = r->obs;
  ASSERT_TRUE(o.ran) << o.reason;
  EXPECT_EQ(o.primitive, "convolution");
  EXPECT_NE(std::find(o.post_ops.begin(), o.post_ops.end(), "bias"), o.post_ops.end());
  ASSERT_EQ(o.weights_dims, (std::vector<int64_t>{4, 3, 3, 3}));
  ASSERT_EQ(o.weights_values.size(), 108u);
  for (size_t i = 0; i < 108; ++i)
    ASSERT_EQ(o.weights_values[i], legacy_weight(static_cast<int64_t>(i))) << "weight " << i;
  ASSERT_EQ(o.src_dims, (std::vector<int64_t>{1, 3, 5, 5}));
  std::vector<float> want(100);
  for (int64_t oc = 0; oc < 4; ++oc) {
    for (int64_t oy = 0; oy < 5; ++oy) {
      for (int64_t ox = 0; ox < 5; ++ox) {
        double acc = legacy_bias(oc);
        for (int64_t ic = 0; ic < 3; ++ic) {
          for (int64_t ky = 0; ky < 3; ++ky) {
            for (int64_t kx = 0; kx < 3; ++kx) {
              int64_t iy = oy - 1 + ky, ix = ox - 1 + kx;
              if (iy < 0 || ix < 0 || iy >= 5 || ix >= 5) continue;
              acc += o.src_values[static_cast<size_t>((ic * 5 + iy) * 5 + ix)] *
                     legacy_weight(((oc * 3 + ic) * 3 + ky) * 3 + kx);
            }
          }
        }
        want[static_cast<size_t>((oc * 5 + oy) * 5 + ox)] = static_cast<float>(acc);
      }
    }
  }
  expect_values(want, o, 1e-4, "legacy convolution");
}

#endif

}  // namespace
}  // namespace irlint
