#include "cost.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>

#include "engine.hpp"
#include "reader.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

/// Runs the project's IR generator into a temporary folder; empty path when it fails.
std::string generate(const std::string& name, const std::string& args) {
  fs::path dir = fs::temp_directory_path() / "irlint_cost_test";
  fs::create_directories(dir);
  fs::path out = dir / (name + ".xml");
  std::string cmd = "python3 " IRLINT_SOURCE_DIR "/tests/irgen/irgen.py " + args + " -o " +
                    out.string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return {};
  return out.string();
}

Target target(std::string_view text) {
  std::string error;
  auto t = parse_target(text, &error);
  EXPECT_TRUE(t) << error;
  return *t;
}

const PlanNode* first_node(const IrModel& m, const Plan& p, OpKind kind) {
  for (const PlanNode& n : p.nodes) {
    if (n.kind == kind) return &n;
  }
  (void)m;
  return nullptr;
}

TEST(Cost, TensorBytesPadBlockedLayouts) {
  Shape s{{1, 1}, {24, 24}, {56, 56}, {56, 56}};
  EXPECT_EQ(tensor_bytes(s, Precision::fp32, Layout::planar), 24u * 56 * 56 * 4);
  EXPECT_EQ(tensor_bytes(s, Precision::fp32, Layout::blocked16), 32u * 56 * 56 * 4);
  EXPECT_EQ(tensor_bytes(s, Precision::fp32, Layout::blocked8), 24u * 56 * 56 * 4);
  EXPECT_EQ(tensor_bytes(s, Precision::u8, Layout::nhwc), 24u * 56 * 56);
  EXPECT_EQ(tensor_bytes(Shape{{1, 1}, {-1, -1}}, Precision::fp32, Layout::planar), 0u);
}

TEST(Cost, ConvolutionMacsAndBytes) {
  // chain: Parameter 1x12x16x16 -> Conv 1x1 12->12 -> bias Add -> ReLU -> ...
  std::string xml = generate("chain12", "chain --layers 8 --channels 12");
  ASSERT_FALSE(xml.empty());
  auto model = read_ir(xml);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("onednn-2.6:avx2"));
  CostTable table = cost_table(p.target);
  PlanCost cost = estimate(*model, p, table);
  const PlanNode* conv = first_node(*model, p, OpKind::convolution);
  ASSERT_NE(conv, nullptr);
  const NodeCost& c = cost.nodes[static_cast<size_t>(conv - p.nodes.data())];
  EXPECT_EQ(c.kernel, KernelClass::conv1x1_fp32);
  EXPECT_EQ(c.macs, 16u * 16 * 12 * 12);
  EXPECT_EQ(c.weight_bytes, 12u * 12 * 4);
  // nChw8c on AVX2 pads 12 channels to 16 on both sides.
  EXPECT_EQ(conv->in_layout, Layout::blocked8);
  EXPECT_EQ(c.bytes_read, 16u * 16 * 16 * 4);
  EXPECT_EQ(c.bytes_written, 16u * 16 * 16 * 4);
  EXPECT_EQ(c.elem_ops, 16u * 16 * 12 * (conv->fused.size() - 1));
  EXPECT_GT(c.time_ms, table.overhead_ms.value);
  EXPECT_EQ(cost.conv_macs, cost.macs);
  EXPECT_DOUBLE_EQ(cost.conv_mac_share(), 1.0);
  double sum = cost.reorders_ms;
  for (const NodeCost& n : cost.nodes) sum += n.time_ms;
  EXPECT_NEAR(sum, cost.total_ms, 1e-9);
  // The planar input meets an nChw8c convolution: the Reorder costs its bytes.
  ASSERT_FALSE(p.reorders.empty());
  EXPECT_EQ(cost.reorder_bytes.front(), 12u * 16 * 16 * 4 + 16u * 16 * 16 * 4);
}

TEST(Cost, TablesAreSourcedAndOrdered) {
  for (std::string_view name : {"openvino-2019.3:avx2", "onednn-2.6:avx512_vnni"}) {
    CostTable t = cost_table(target(name));
    for (const auto& f : t.gmacs) {
      EXPECT_GT(f.value, 0) << name;
      EXPECT_FALSE(f.source.empty()) << name;
    }
    EXPECT_LT(t.gmacs[static_cast<size_t>(KernelClass::gemm_int8)].value,
              t.gmacs[static_cast<size_t>(KernelClass::depthwise_int8)].value / 10);
    EXPECT_FALSE(t.overhead_ms.source.empty());
  }
}

TEST(Cost, CounterpartsAddAndRemoveQuantization) {
  std::string fp32 = generate("mnv2-fp32", "mnv2 --precision fp32");
  ASSERT_FALSE(fp32.empty());
  auto model = read_ir(fp32);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("openvino-2021.4:avx2"));
  EXPECT_FALSE(p.int8);
  Int8Verdict v = int8_verdict(*model, p);
  EXPECT_FALSE(v.model_is_int8);
  EXPECT_TRUE(v.int8_plan().int8);
  size_t int8_convs = 0;
  for (const PlanNode& n : v.int8_plan().nodes) int8_convs += is_int8(n.precision);
  EXPECT_GE(int8_convs, 52u);  // 35 convolutions, 17 depthwise
  Plan stripped = plan(*model, p.target, Quantization::stripped);
  EXPECT_FALSE(stripped.int8);
  for (const PlanNode& n : stripped.nodes) EXPECT_FALSE(is_int8(n.precision));
}

TEST(Cost, Mnv3LargeInt8SlowerThanFp32On2019Avx2) {
  std::string xml = generate("mnv3-int8", "mnv3-large --precision int8 --hswish decomposed");
  ASSERT_FALSE(xml.empty());
  auto model = read_ir(xml);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("openvino-2019.3:avx2"));
  ASSERT_TRUE(p.int8);
  Int8Verdict v = int8_verdict(*model, p);
  EXPECT_LT(v.speedup, 1.0) << v.int8.total_ms << " vs " << v.fp32.total_ms;
  ASSERT_FALSE(v.causes.empty());
  EXPECT_GT(v.int8_plan().reorders.size(), v.fp32_plan().reorders.size());
  // The rule reports it with its causes.
  RuleSettings settings;
  settings.select = {"int8-slower-than-fp32"};
  auto findings = lint(*model, &p, settings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("slower than FP32 on openvino-2019.3:avx2"), std::string::npos)
      << findings[0].message;
}

TEST(Cost, Mnv2Int8FasterThanFp32On2019Avx2) {
  std::string xml = generate("mnv2-int8", "mnv2 --precision int8");
  ASSERT_FALSE(xml.empty());
  auto model = read_ir(xml);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("openvino-2019.3:avx2"));
  Int8Verdict v = int8_verdict(*model, p);
  EXPECT_GT(v.speedup, 1.0) << v.int8.total_ms << " vs " << v.fp32.total_ms;
  RuleSettings settings;
  settings.select = {"int8-slower-than-fp32"};
  EXPECT_TRUE(lint(*model, &p, settings).empty());
}

TEST(Cost, LowComputeShareOnElementwiseHeavyModel) {
  // A 1x1 convolution on 8 channels followed by 1x1 chains: little compute per byte.
  std::string xml = generate("chain8", "chain --layers 40 --channels 8");
  ASSERT_FALSE(xml.empty());
  auto model = read_ir(xml);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, target("openvino-2019.3:avx2"));
  PlanCost cost = estimate(*model, p, cost_table(p.target));
  RuleSettings settings;
  settings.select = {"low-compute-share"};
  settings.options["low-compute-share"]["min-share"] = "1.01";
  EXPECT_EQ(lint(*model, &p, settings).size(), 1u);  // every share is below 101%
  settings.options["low-compute-share"]["min-share"] = "0";
  EXPECT_TRUE(lint(*model, &p, settings).empty());
  EXPECT_LT(cost.conv_time_share(), 1.0);
}

/// Every finding as one line: rule, position, message and notes.
std::vector<std::string> summary(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    std::string line =
        fmt::format("{} {}:{} {}", rule_name(f), f.pos.line, f.pos.column, f.message);
    for (const Note& n : f.notes) line += " | " + n.message;
    out.push_back(line);
  }
  return out;
}

TEST(Cost, CounterpartPlannedAheadGivesTheSameFindings) {
  // check plans the INT8 verdict's counterpart beside the model's own plan, from a guess of its
  // quantization (start_lint); the findings must be those of planning it afterwards, also when
  // the guess, or the target it was started for, turns out wrong.
  std::vector<std::string> models = {generate("ahead-fp32", "mnv2 --precision fp32"),
                                     generate("ahead-int8", "mnv2 --precision int8"),
                                     IRLINT_SOURCE_DIR
                                     "/testdata/models/mnv3-small-int8-decomposed.xml"};
  RuleSettings settings;
  for (const std::string& xml : models) {
    ASSERT_FALSE(xml.empty());
    auto model = read_ir(xml);
    ASSERT_FALSE(model->fatal) << xml;
    for (const char* name : {"openvino-2019.3:avx2", "onednn-2.6:avx512"}) {
      Target t = target(name);
      Plan p = plan(*model, t);
      std::vector<std::string> after = summary(lint(*model, &p, settings));
      ASSERT_FALSE(after.empty()) << xml;
      EXPECT_EQ(summary(lint(*model, &p, settings, start_lint(*model, t, settings))), after)
          << xml << " on " << name;
      LintCache wrong_quantization;
      wrong_quantization.counterpart =
          std::async(std::launch::deferred, [&] { return counterpart_of(*model, t, !p.int8); });
      EXPECT_EQ(summary(lint(*model, &p, settings, std::move(wrong_quantization))), after) << xml;
      EXPECT_EQ(summary(lint(*model, &p, settings,
                             start_lint(*model, target("openvino-2021.4:sse41"), settings))),
                after)
          << xml;
    }
  }
}

}  // namespace
}  // namespace irlint
