#include <gtest/gtest.h>

#include <filesystem>
#include <pugixml.hpp>
#include <sstream>

#include "engine.hpp"
#include "exec_graph.hpp"
#include "plan.hpp"
#include "reader.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const std::string kCorpus = IRLINT_CORPUS_DIR;
const std::string kSample =
    std::string(IRLINT_SOURCE_DIR) + "/testdata/models/mnv3-small-int8-decomposed.xml";

Target target(const std::string& name) {
  std::string error;
  auto t = parse_target(name, &error);
  EXPECT_TRUE(t) << error;
  return *t;
}

/// The first .xml of a corpus folder.
std::string corpus_model(const std::string& folder) {
  for (const auto& e : fs::directory_iterator(kCorpus + "/" + folder)) {
    if (e.path().extension() == ".xml") return e.path().string();
  }
  return {};
}

struct Counts {
  size_t reorders = 0, unfusable = 0, fallbacks = 0, int8_nodes = 0;
};

Counts predict(const std::string& path, const std::string& target_name) {
  auto model = read_ir(path);
  EXPECT_FALSE(model->fatal) << path;
  Plan p = plan(*model, target(target_name));
  Counts c;
  c.reorders = p.reorders.size();
  for (const PlanActivation& a : p.activations)
    c.unfusable += a.conv_node >= 0 && a.fused != Support::yes;
  for (const PlanNode& n : p.nodes) {
    c.fallbacks += n.depthwise && n.impl == Impl::gemm;
    c.int8_nodes += is_int8(n.precision);
  }
  return c;
}

#define REQUIRE_CORPUS()                                                         \
  do {                                                                           \
    if (!fs::exists(kCorpus)) GTEST_SKIP() << "no shared corpus at " << kCorpus; \
  } while (false)

TEST(PlannerCorpus, MobileNetV3Int8TellsThe2019Story) {
  REQUIRE_CORPUS();
  std::string m = corpus_model("mnv3-large-tsm-int8-v11");
  Counts old = predict(m, "openvino-2019.3:avx2");
  EXPECT_EQ(old.unfusable, 28u);  // every x*HardSigmoid(x) h-swish
  EXPECT_GE(old.reorders, 24u);   // dozens
  EXPECT_GT(old.fallbacks, 0u);   // signed INT8 depthwise on AVX2 → gemm
  Counts onednn = predict(m, "onednn-2.6:avx512_vnni");
  EXPECT_EQ(onednn.unfusable, 0u);
  EXPECT_EQ(onednn.fallbacks, 0u);
  EXPECT_LT(onednn.reorders, old.reorders);
}

TEST(PlannerCorpus, MobileNetV3HSwishOpsFuseFrom2021) {
  REQUIRE_CORPUS();
  std::string m = corpus_model("mnv3-small-omz-tf-fp32-v11");
  EXPECT_EQ(predict(m, "openvino-2019.3:avx2").unfusable, 28u);  // 19 HSwish + 9 HSigmoid
  EXPECT_EQ(predict(m, "openvino-2021.4:avx2").unfusable, 0u);
  EXPECT_EQ(predict(m, "openvino-2024.6:avx512_vnni").unfusable, 0u);
}

TEST(PlannerCorpus, MobileNetV2Int8HasFewReordersEverywhere) {
  REQUIRE_CORPUS();
  std::string m = corpus_model("mnv2-tf-int8-v11");
  for (const char* t :
       {"openvino-2019.3:avx2", "openvino-2021.4:avx2", "openvino-2024.6:avx512_vnni",
        "onednn-2.6:avx512_vnni", "onednn-2.6:avx2"}) {
    Counts c = predict(m, t);
    EXPECT_LE(c.reorders, 4u) << t;
    EXPECT_EQ(c.unfusable, 0u) << t;    // ReLU6 fuses into INT8 convolution
    EXPECT_GE(c.int8_nodes, 52u) << t;  // 35 + 17 convolutions
  }
}

TEST(PlannerCorpus, LegacyInt8DepthwiseAfterLeakyReluFallsBackOnlyBelowAvx512) {
  REQUIRE_CORPUS();
  std::string m = corpus_model("person-det-retail-0013-v6-int8");
  EXPECT_EQ(predict(m, "openvino-2019.3:avx2").fallbacks, 36u);
  EXPECT_EQ(predict(m, "openvino-2019.3:avx512").fallbacks, 0u);
  EXPECT_EQ(predict(m, "openvino-2021.4:avx2").fallbacks, 0u);
}

TEST(Planner, SampleModelUnderOldRuntime) {
  auto model = read_ir(kSample);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("openvino-2019.3:avx2"));
  size_t hswish = 0;
  for (const PlanActivation& a : p.activations) {
    if (a.kind == OpKind::hswish && a.decomposed) {
      ++hswish;
      EXPECT_EQ(a.layers.size(), 4u);  // Add, Clamp, Multiply, Divide
      EXPECT_EQ(a.fused, Support::no);
    }
  }
  EXPECT_GT(hswish, 10u);
  // FakeQuantize is folded into Reorders in the 2019 flow: no FakeQuantize primitive remains.
  for (const PlanNode& n : p.nodes) EXPECT_NE(n.kind, OpKind::fake_quantize);
  // Reorder names follow the plugin: parent, precisions and formats where they differ, child.
  bool saw_quantizing = false;
  for (const PlanReorder& r : p.reorders) {
    if (r.from_precision == Precision::fp32 && r.to_precision == Precision::i8 &&
        r.from_layout == Layout::blocked8 && r.to_layout == Layout::nhwc) {
      std::string name = reorder_name(*model, p, r);
      EXPECT_NE(name.find("_FP32_nChw8c_I8_nhwc_"), std::string::npos) << name;
      saw_quantizing = true;
    }
  }
  EXPECT_TRUE(saw_quantizing);
}

TEST(Planner, SampleModelUnderModernRuntimeFusesEverything) {
  auto model = read_ir(kSample);
  Plan p = plan(*model, target("openvino-2024.6:avx512_vnni"));
  for (const PlanActivation& a : p.activations) EXPECT_EQ(a.fused, Support::yes);
  EXPECT_LE(p.reorders.size(), 3u);
  for (const PlanNode& n : p.nodes) {
    if (n.kind == OpKind::convolution || n.kind == OpKind::group_convolution) {
      EXPECT_TRUE(is_int8(n.precision)) << model->layer(n.main).name;
      EXPECT_EQ(n.out_layout, Layout::nhwc);
    }
  }
}

TEST(Planner, OnednnExecTypesFollowTheProbedTable) {
  auto model = read_ir(kSample);
  Plan native = plan(*model, target("onednn-2.6:avx512_vnni"));
  Plan avx2 = plan(*model, target("onednn-2.6:avx2"));
  for (size_t i = 0; i < native.nodes.size(); ++i) {
    const PlanNode& n = native.nodes[i];
    if (n.kind != OpKind::group_convolution || !n.depthwise) continue;
    // u8 depthwise: brdgmm_dw natively; s8 (after h-swish): jit_int8.
    EXPECT_EQ(n.exec_type,
              n.signed_input ? "jit_int8:avx512_core_vnni" : "brdgmm_dw:avx512_core_vnni");
  }
  for (const PlanNode& n : avx2.nodes) {
    if (n.kind == OpKind::group_convolution && n.depthwise) {
      EXPECT_EQ(n.exec_type, "jit_uni_int8:avx2");
    }
  }
}

TEST(Planner, ExecGraphUsesOpenVinoSchema) {
  auto model = read_ir(kSample);
  Plan p = plan(*model, target("openvino-2019.3:avx2"));
  std::stringstream xml;
  write_exec_graph(*model, p, xml);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.str().c_str()));
  size_t layers = 0, reorders = 0;
  for (pugi::xml_node l : doc.child("net").child("layers").children("layer")) {
    ++layers;
    pugi::xml_node data = l.child("data");
    for (const char* key : {"execOrder", "layerType", "originalLayersNames", "outputLayouts",
                            "outputPrecisions", "primitiveType", "runtimePrecision"}) {
      EXPECT_TRUE(data.attribute(key)) << key;
    }
    reorders += std::string(l.attribute("type").value()) == "Reorder";
  }
  EXPECT_EQ(layers, p.nodes.size() + p.reorders.size());
  EXPECT_EQ(reorders, p.reorders.size());
}

}  // namespace
}  // namespace irlint
