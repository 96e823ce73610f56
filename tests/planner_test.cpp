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

// Every fact a target holds names where it was established, and the runtimes are listed in
// the order each derives from the one before.
TEST(Targets, EveryFactNamesItsSource) {
  for (const Policy& p : all_policies()) {
    auto sourced = [&](std::string_view field, const auto& fact) {
      EXPECT_FALSE(fact.source.empty()) << p.name << " " << field;
    };
    for (const ActivationFusion& a : p.activations) {
      sourced(to_string(a.kind), a.into_fp32);
      sourced(to_string(a.kind), a.into_int8);
    }
    for (Isa isa : p.isas) {
      sourced("fp32_conv_layout", p.fp32_conv_layout[static_cast<size_t>(isa)]);
      sourced("int8_dw_signed_gemm", p.int8_dw_signed_gemm[static_cast<size_t>(isa)]);
    }
    sourced("fuses_decomposed_hswish", p.fuses_decomposed_hswish);
    sourced("fuses_x_hard_sigmoid", p.fuses_x_hard_sigmoid);
    sourced("fuses_x_sigmoid", p.fuses_x_sigmoid);
    sourced("depthwise_postop_into_int8", p.depthwise_postop_into_int8);
    sourced("fake_quantize_postop", p.fake_quantize_postop);
    sourced("sum_postop", p.sum_postop);
    sourced("int8_layout", p.int8_layout);
    sourced("quantize_in_reorders", p.quantize_in_reorders);
    sourced("fp32_layers_blocked", p.fp32_layers_blocked);
    sourced("hard_sigmoid_ref", p.hard_sigmoid_ref);
    sourced("int8_1x1_below_avx512", p.int8_1x1_below_avx512);
    sourced("int8_dw_kernel_below_avx512", p.int8_dw_kernel_below_avx512);
    sourced("mkldnn_format_names", p.mkldnn_format_names);
    sourced("int8_clamp_needs_zero_min", p.int8_clamp_needs_zero_min);
    sourced("fp32_fc_activation_fusion", p.fp32_fc_activation_fusion);
    sourced("softmax_ref", p.softmax_ref);
    sourced("gemm_int8_slowdown", p.gemm_int8_slowdown);
    sourced("openvino_exec_names", p.openvino_exec_names);
    // Facts not established for a runtime are false with no source; a true one has its source.
    for (const Fact<bool>* f :
         {&p.fp32_dw_pad_limit, &p.softmax_jit_needs_dense_axis, &p.amx_int8_kernels}) {
      EXPECT_EQ(f->value, !f->source.empty()) << p.name;
    }
  }
}

// With no --target, irlint predicts for the newest OpenVINO runtime it knows.
TEST(Targets, DefaultIsTheNewestOpenVinoRuntime) {
  const Policy* newest = nullptr;
  for (const Policy& p : all_policies()) {
    if (p.name.starts_with("openvino-")) newest = &p;
  }
  ASSERT_NE(newest, nullptr);
  EXPECT_EQ(default_target().policy, newest);
}

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

/// A 2D INT8 convolution: Parameter (→ ReLU for a u8 source) → FakeQuantize → Convolution (or
/// GroupConvolution when `groups` > 1) → Result. Shapes only: no weights file.
struct ConvCase {
  int ic, oc, h, w, kh, kw, stride = 1, pad_begin = 0, pad_end = 0, dilation = 1, groups = 1;
  bool is_signed = false;
};

std::string dims_xml(const std::vector<int>& d) {
  std::string out;
  for (int x : d) out += "<dim>" + std::to_string(x) + "</dim>";
  return out;
}

std::string conv_case_ir(const ConvCase& c) {
  auto out_dim = [&](int in, int k) {
    return (in + c.pad_begin + c.pad_end - ((k - 1) * c.dilation + 1)) / c.stride + 1;
  };
  std::vector<int> in{1, c.ic, c.h, c.w}, out{1, c.oc, out_dim(c.h, c.kh), out_dim(c.w, c.kw)};
  std::vector<int> w =
      c.groups > 1 ? std::vector<int>{c.groups, c.oc / c.groups, c.ic / c.groups, c.kh, c.kw}
                   : std::vector<int>{c.oc, c.ic, c.kh, c.kw};
  auto port = [](int id, const std::vector<int>& d) {
    return "<port id=\"" + std::to_string(id) + "\" precision=\"FP32\">" + dims_xml(d) + "</port>";
  };
  auto csv = [](const std::vector<int>& d) {
    std::string text;
    for (int x : d) text += (text.empty() ? "" : ",") + std::to_string(x);
    return text;
  };
  std::vector<int> one{1, 1, 1, 1};
  std::string xml = R"(<?xml version="1.0"?><net name="conv" version="11"><layers>)";
  xml += R"(<layer id="0" name="in" type="Parameter" version="opset1"><data shape=")" + csv(in) +
         R"(" element_type="f32"/><output>)" + port(0, in) + "</output></layer>";
  xml += R"(<layer id="1" name="relu" type="ReLU" version="opset1"><input>)" + port(0, in) +
         "</input><output>" + port(1, in) + "</output></layer>";
  for (int i = 0; i < 4; ++i) {
    xml +=
        R"(<layer id=")" + std::to_string(2 + i) +
        R"(" name="limit" type="Const" version="opset1"><data element_type="f32" shape="1,1,1,1" offset="0" size="4"/><output>)" +
        port(0, one) + "</output></layer>";
  }
  xml +=
      R"(<layer id="6" name="fq" type="FakeQuantize" version="opset1"><data levels="256"/><input>)" +
      port(0, in) + port(1, one) + port(2, one) + port(3, one) + port(4, one) + "</input><output>" +
      port(5, in) + "</output></layer>";
  xml +=
      R"(<layer id="7" name="w" type="Const" version="opset1"><data element_type="f32" shape=")" +
      csv(w) + R"(" offset="0" size="4"/><output>)" + port(0, w) + "</output></layer>";
  xml += R"(<layer id="8" name="conv" type=")" +
         std::string(c.groups > 1 ? "GroupConvolution" : "Convolution") +
         R"(" version="opset1"><data strides=")" + csv({c.stride, c.stride}) + R"(" dilations=")" +
         csv({c.dilation, c.dilation}) + R"(" pads_begin=")" + csv({c.pad_begin, c.pad_begin}) +
         R"(" pads_end=")" + csv({c.pad_end, c.pad_end}) + R"(" auto_pad="explicit"/><input>)" +
         port(0, in) + port(1, w) + "</input><output>" + port(2, out) + "</output></layer>";
  xml += R"(<layer id="9" name="out" type="Result" version="opset1"><input>)" + port(0, out) +
         "</input></layer></layers><edges>";
  auto edge = [](int from, int from_port, int to, int to_port) {
    return "<edge from-layer=\"" + std::to_string(from) + "\" from-port=\"" +
           std::to_string(from_port) + "\" to-layer=\"" + std::to_string(to) + "\" to-port=\"" +
           std::to_string(to_port) + "\"/>";
  };
  // A signed source: the FakeQuantize reads the Parameter itself, not the ReLU.
  xml += c.is_signed ? edge(0, 0, 6, 0) : edge(0, 0, 1, 0) + edge(1, 1, 6, 0);
  for (int i = 0; i < 4; ++i) xml += edge(2 + i, 0, 6, 1 + i);
  xml += edge(6, 5, 8, 0) + edge(7, 0, 8, 1) + edge(8, 2, 9, 0) + "</edges></net>";
  return xml;
}

/// The exec type the plan for `target_name` names for the convolution of `c`.
std::string conv_exec_type(const ConvCase& c, const std::string& target_name) {
  auto model = read_ir_text("conv.xml", conv_case_ir(c), std::nullopt);
  EXPECT_FALSE(model->fatal);
  Plan p = plan(*model, target(target_name));
  for (const PlanNode& n : p.nodes) {
    if (model->layer(n.main).name != "conv") continue;
    EXPECT_EQ(n.precision, c.is_signed ? Precision::i8 : Precision::u8);
    return n.exec_type;
  }
  ADD_FAILURE() << "no convolution node";
  return {};
}

// The expectations were observed with oneDNN 2.6.3 natively on Sapphire Rapids (avx512_core_amx)
// and agree with the source rules cited in Policy::amx_int8_kernels.
TEST(Planner, OnednnAmxInt8ConvolutionKernels) {
  struct Expect {
    const char* what;
    ConvCase c;
    const char* exec_type;
  };
  const Expect kCases[] = {
      {"1x1", {64, 128, 28, 28, 1, 1}, "brgconv_1x1:avx512_core_amx_int8"},
      {"1x1 stride 2", {64, 128, 28, 28, 1, 1, 2}, "brgconv_1x1:avx512_core_amx_int8"},
      {"1x1 of 3 channels", {3, 16, 28, 28, 1, 1}, "brgconv_1x1:avx512_core_amx_int8"},
      {"3x3", {64, 64, 28, 28, 3, 3, 1, 1, 1}, "brgconv:avx512_core_amx_int8"},
      {"3x3 signed source",
       {64, 64, 28, 28, 3, 3, 1, 1, 1, 1, 1, true},
       "brgconv:avx512_core_amx_int8"},
      {"3x3 of 5 channels", {5, 16, 32, 32, 3, 3, 1, 1, 1}, "brgconv:avx512_core_amx_int8"},
      {"grouped, 32 channels a group",
       {64, 64, 28, 28, 3, 3, 1, 1, 1, 1, 2},
       "brgconv:avx512_core_amx_int8"},
      // brgconv refuses 4 channels or fewer; the AMX jit convolution takes a long reduction.
      {"7x7 stride 2 of 3 channels", {3, 32, 64, 64, 7, 7, 2, 3, 3}, "jit:avx512_core_amx_int8"},
      {"3x3 of 4 channels", {4, 16, 32, 32, 3, 3, 1, 1, 1}, "jit:avx512_core_amx_int8"},
      {"dilated", {64, 64, 28, 28, 3, 3, 1, 2, 2, 2}, "jit:avx512_core_amx_int8"},
      {"ssd_resnet34's shape", {128, 128, 150, 150, 3, 3, 1, 1, 1}, "jit:avx512_core_amx_int8"},
      // Both AMX kernels refuse: the VNNI ones run.
      {"3x3 of 3 channels (27 < 32)", {3, 16, 32, 32, 3, 3, 1, 1, 1}, "brgconv:avx512_core_vnni"},
      {"padding as wide as the kernel",
       {64, 64, 28, 28, 3, 3, 1, 3, 3},
       "brgconv:avx512_core_vnni"},
      {"depthwise u8", {32, 32, 28, 28, 3, 3, 1, 1, 1, 1, 32}, "brdgmm_dw:avx512_core_vnni"},
      {"depthwise s8", {32, 32, 28, 28, 3, 3, 1, 1, 1, 1, 32, true}, "jit_int8:avx512_core_vnni"},
  };
  for (const Expect& e : kCases) {
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:amx"), e.exec_type) << e.what;
    // Without AMX no AMX kernel is named.
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:avx512_vnni").find("amx"), std::string::npos)
        << e.what;
  }
}

// oneDNN's 1x1 kernels take no padding, only the AVX-512 INT8 one takes groups, and brgconv off
// AMX refuses grouped convolutions with <= 16 input channels a group; the AMX fallbacks land on
// these rules. Observed with oneDNN 2.6.3 natively and under the AVX512_CORE_VNNI, AVX512_CORE
// and AVX2 caps.
TEST(Planner, OnednnInt8OneByOnePaddedAndGroupedKernels) {
  struct Expect {
    const char* what;
    ConvCase c;
    const char *amx, *vnni, *avx512, *avx2;
  };
  const Expect kCases[] = {
      {"padded 1x1 u8",
       {64, 64, 28, 28, 1, 1, 1, 1, 1},
       "brgconv:avx512_core_vnni",
       "brgconv:avx512_core_vnni",
       "jit_int8:avx512_core",
       "jit_uni_int8:avx2"},
      {"padded 1x1 s8",
       {64, 64, 28, 28, 1, 1, 1, 1, 1, 1, 1, true},
       "jit_int8:avx512_core_vnni",
       "jit_int8:avx512_core_vnni",
       "jit_int8:avx512_core",
       "jit_uni_int8:avx2"},
      {"grouped 3x3, 8 channels a group",
       {16, 16, 28, 28, 3, 3, 1, 1, 1, 1, 2},
       "jit_int8:avx512_core_vnni",
       "jit_int8:avx512_core_vnni",
       "jit_int8:avx512_core",
       "jit_uni_int8:avx2"},
      {"grouped 1x1, 8 channels a group",
       {16, 16, 28, 28, 1, 1, 1, 0, 0, 1, 2},
       "brgconv_1x1:avx512_core_amx_int8",
       "jit_int8_1x1:avx512_core_vnni",
       "jit_int8_1x1:avx512_core",
       "jit_uni_int8:avx2"},
  };
  for (const Expect& e : kCases) {
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:amx"), e.amx) << e.what;
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:avx512_vnni"), e.vnni) << e.what;
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:avx512"), e.avx512) << e.what;
    EXPECT_EQ(conv_exec_type(e.c, "onednn-2.6:avx2"), e.avx2) << e.what;
  }
}

/// Parameter [m, k] → FakeQuantize → MatMul with constant [n, k] weights (transpose_b) → Result.
std::string matmul_case_ir(int m, int k, int n) {
  auto port = [](int id, int a, int b) {
    return "<port id=\"" + std::to_string(id) + "\" precision=\"FP32\">" + dims_xml({a, b}) +
           "</port>";
  };
  std::string shape = std::to_string(m) + "," + std::to_string(k);
  std::string xml = R"(<?xml version="1.0"?><net name="mm" version="11"><layers>)";
  xml += R"(<layer id="0" name="in" type="Parameter" version="opset1"><data shape=")" + shape +
         R"(" element_type="f32"/><output>)" + port(0, m, k) + "</output></layer>";
  for (int i = 1; i <= 4; ++i) {
    xml +=
        "<layer id=\"" + std::to_string(i) +
        R"(" name="limit" type="Const" version="opset1"><data element_type="f32" shape="1,1" offset="0" size="4"/><output>)" +
        port(0, 1, 1) + "</output></layer>";
  }
  xml +=
      R"(<layer id="5" name="fq" type="FakeQuantize" version="opset1"><data levels="256"/><input>)" +
      port(0, m, k) + port(1, 1, 1) + port(2, 1, 1) + port(3, 1, 1) + port(4, 1, 1) +
      "</input><output>" + port(5, m, k) + "</output></layer>";
  xml +=
      R"(<layer id="6" name="w" type="Const" version="opset1"><data element_type="f32" shape=")" +
      std::to_string(n) + "," + std::to_string(k) + R"(" offset="0" size="4"/><output>)" +
      port(0, n, k) + "</output></layer>";
  xml +=
      R"(<layer id="7" name="mm" type="MatMul" version="opset1"><data transpose_a="false" transpose_b="true"/><input>)" +
      port(0, m, k) + port(1, n, k) + "</input><output>" + port(2, m, n) + "</output></layer>";
  xml += R"(<layer id="8" name="out" type="Result" version="opset1"><input>)" + port(0, m, n) +
         "</input></layer></layers><edges>";
  for (int i = 0; i <= 4; ++i) {
    xml += "<edge from-layer=\"" + std::to_string(i) +
           "\" from-port=\"0\" to-layer=\"5\" to-port=\"" + std::to_string(i) + "\"/>";
  }
  xml += R"(<edge from-layer="5" from-port="5" to-layer="7" to-port="0"/>)"
         R"(<edge from-layer="6" from-port="0" to-layer="7" to-port="1"/>)"
         R"(<edge from-layer="7" from-port="2" to-layer="8" to-port="0"/></edges></net>)";
  return xml;
}

// brgemm matmul on AMX hands small 2D shapes to VNNI; observed natively on Sapphire Rapids.
TEST(Planner, OnednnAmxInt8MatMulLeavesSmallShapesToVnni) {
  struct Expect {
    int m, k, n;
    const char* exec_type;
  };
  const Expect kCases[] = {
      {1, 1280, 10, "brg:avx512_core_vnni"},     // M <= 32 and M*N <= 256
      {1, 256, 1000, "brg:avx512_core_vnni"},    // M == 1 and K == 256
      {8, 16, 512, "brg:avx512_core_vnni"},      // K <= 16
      {4, 512, 64, "brg:avx512_core_vnni"},      // M*N == 256
      {4, 512, 65, "brg:avx512_core_amx_int8"},  // M*N == 260
      {8, 20, 512, "brg:avx512_core_amx_int8"},  // K == 20
      {1, 1280, 1000, "brg:avx512_core_amx_int8"}, {64, 256, 256, "brg:avx512_core_amx_int8"},
  };
  for (const Expect& e : kCases) {
    auto model = read_ir_text("mm.xml", matmul_case_ir(e.m, e.k, e.n), std::nullopt);
    ASSERT_FALSE(model->fatal);
    for (const char* name : {"onednn-2.6:amx", "onednn-2.6:avx512_vnni"}) {
      Plan p = plan(*model, target(name));
      bool seen = false;
      for (const PlanNode& n : p.nodes) {
        if (n.kind != OpKind::matmul) continue;
        seen = true;
        EXPECT_TRUE(is_int8(n.precision));
        EXPECT_EQ(n.exec_type,
                  std::string(name).ends_with("amx") ? e.exec_type : "brg:avx512_core_vnni")
            << e.m << "x" << e.k << "x" << e.n << " on " << name;
      }
      EXPECT_TRUE(seen);
    }
  }
}

TEST(Planner, OnednnAmxRenamesOnlyInt8ConvolutionsThatAreNotDepthwise) {
  auto model = read_ir(kSample);
  Plan amx = plan(*model, target("onednn-2.6:amx"));
  Plan vnni = plan(*model, target("onednn-2.6:avx512_vnni"));
  ASSERT_EQ(amx.nodes.size(), vnni.nodes.size());
  size_t amx_kernels = 0;
  for (size_t i = 0; i < amx.nodes.size(); ++i) {
    const PlanNode& a = amx.nodes[i];
    const PlanNode& v = vnni.nodes[i];
    bool conv = a.kind == OpKind::convolution || a.kind == OpKind::group_convolution;
    if (!is_int8(a.precision) || !conv || a.depthwise) {
      EXPECT_EQ(a.exec_type, v.exec_type) << model->layer(a.main).name;
    } else {
      amx_kernels += a.exec_type.find("avx512_core_amx_int8") != std::string::npos;
    }
  }
  EXPECT_GT(amx_kernels, 10u);
  // "native" on a policy without AMX data is its best ISA, never an error.
  std::string error;
  EXPECT_TRUE(parse_target("openvino-2019.3:native", &error)) << error;
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
