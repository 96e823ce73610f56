// oneDNN 2.6 FP32 depthwise convolution with padding wider than the JIT kernel's width unroll
// runs x64:gemm:jit in nchw (Policy::fp32_dw_pad_limit); road-segmentation-adas-0001 has 3x3
// depthwise layers with dilation = padding 1, 2, 3, 4, 6 and 8.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "plan.hpp"
#include "reader.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const std::string kRoadSeg =
    IRLINT_CORPUS_DIR "/road-seg-adas-0001-v10/road-segmentation-adas-0001.xml";

/// Per dilation of the model's FP32 depthwise convolutions: how many of them the plan for
/// `target` puts on gemm, and the exec types it names.
struct DwByDilation {
  std::map<int64_t, int> total, gemm;
  std::map<int64_t, std::string> exec_type;
  bool planar_gemm = true;  ///< every gemm node reads and writes nchw
};

DwByDilation classify(const IrModel& model, std::string_view target_name) {
  std::string error;
  auto target = parse_target(target_name, &error);
  EXPECT_TRUE(target) << error;
  Plan p = plan(model, *target);
  DwByDilation out;
  for (const PlanNode& n : p.nodes) {
    if (!n.depthwise || is_int8(n.precision)) continue;
    auto d = model.layer(n.main).int_list("dilations");
    int64_t dilation = d && !d->empty() ? d->front() : 1;
    out.total[dilation]++;
    out.exec_type[dilation] = n.exec_type;
    if (n.impl == Impl::gemm) {
      out.gemm[dilation]++;
      out.planar_gemm = out.planar_gemm && n.in_layout == Layout::planar &&
                        n.out_layout == Layout::planar && !n.why.empty();
    }
  }
  return out;
}

TEST(OnednnDwPadding, GemmBeyondTheUnrollOfEachIsa) {
  if (!fs::exists(kRoadSeg)) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  auto model = read_ir(kRoadSeg);
  ASSERT_FALSE(model->fatal);

  DwByDilation avx512 = classify(*model, "onednn-2.6:avx512_vnni");
  ASSERT_EQ(avx512.total[8], 2);
  EXPECT_EQ(avx512.gemm[8], 2);  // padding 8 > 6 columns
  EXPECT_EQ(avx512.gemm[6], 0);  // 6 fits
  EXPECT_EQ(avx512.gemm[1], 0);
  EXPECT_EQ(avx512.exec_type[1], "brdgmm_dw:avx512_core");
  EXPECT_EQ(avx512.exec_type[2], "jit_dw:avx512_core");  // brdgmm takes no dilation
  EXPECT_EQ(avx512.exec_type[8], "x64:gemm:jit");
  EXPECT_TRUE(avx512.planar_gemm);

  DwByDilation avx2 = classify(*model, "onednn-2.6:avx2");
  EXPECT_EQ(avx2.gemm[4], 0);  // 4 columns on AVX2
  EXPECT_EQ(avx2.gemm[6], avx2.total[6]);
  EXPECT_EQ(avx2.gemm[8], avx2.total[8]);
  EXPECT_EQ(avx2.exec_type[4], "jit_dw:avx2");
  EXPECT_TRUE(avx2.planar_gemm);

  DwByDilation sse41 = classify(*model, "onednn-2.6:sse41");
  EXPECT_EQ(sse41.gemm[3], 0);  // 3 columns on SSE4.1
  EXPECT_EQ(sse41.gemm[4], sse41.total[4]);

  // The fact is established for oneDNN 2.6 only: OpenVINO policies are unchanged.
  DwByDilation ov = classify(*model, "openvino-2024.6:avx512_vnni");
  EXPECT_TRUE(ov.gemm.empty());
}

}  // namespace
}  // namespace irlint
