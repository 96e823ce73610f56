#include "shapes.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cost.hpp"
#include "reader.hpp"
#include "work.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const std::string kDynamic = IRLINT_SOURCE_DIR "/testdata/shapes/dynamic-batch.xml";

std::shared_ptr<IrModel> read_clean(const std::string& path) {
  auto model = read_ir(path);
  EXPECT_FALSE(model->fatal) << path;
  for (const ReaderIssue& i : model->issues)
    EXPECT_NE(i.severity, Severity::error) << path << ": " << i.message;
  return model;
}

const Layer& by_name(const IrModel& m, std::string_view name) {
  for (Vertex v = 0; v < m.layer_count(); ++v) {
    if (m.layer(v).name == name) return m.layer(v);
  }
  ADD_FAILURE() << "no layer " << name;
  static const Layer none;
  return none;
}

Dim fixed(int64_t n) { return Dim{n, n}; }
const Dim kAny{0, Dim::kUnbounded};

TEST(Shapes, ParseBatchAcceptsZeroToTwoToTheTwenty) {
  std::string error;
  EXPECT_EQ(parse_batch("0", &error), 0);
  EXPECT_EQ(parse_batch("1", &error), 1);
  EXPECT_EQ(parse_batch("1048576", &error), kMaxBatch);
  for (std::string_view bad : {"-1", "1048577", "99999999999999999999", "two", "", "4x", " 1"}) {
    error.clear();
    EXPECT_FALSE(parse_batch(bad, &error)) << bad;
    EXPECT_NE(error.find(std::string(bad) + "'"), std::string::npos) << error;
  }
}

TEST(Shapes, DynamicLeadingDimensionsBecomeTheBatch) {
  auto model = read_clean(kDynamic);
  // image (1 port), relu (2), image_out (1); the -1..? ports of rank 1 and the 2..4 interval
  // (which does not contain 1) stay as they are; the body has 4 ports with a dynamic batch.
  EXPECT_EQ(assume_batch(*model, 1), 4u + 4u);
  const Layer& image = by_name(*model, "image");
  EXPECT_EQ(image.outputs[0].dims, (Shape{fixed(1), fixed(3), kAny, fixed(8)}));
  const Layer& relu = by_name(*model, "relu");
  EXPECT_EQ(relu.inputs[0].dims, (Shape{fixed(1), fixed(3), kAny, fixed(8)}));
  EXPECT_EQ(relu.outputs[0].dims, (Shape{fixed(1), fixed(3), kAny, fixed(8)}));
  // Rank 1: a list of lengths, not a batch.
  EXPECT_EQ(by_name(*model, "lengths").outputs[0].dims, (Shape{kAny}));
  // 2..4 does not admit batch 1.
  EXPECT_EQ(by_name(*model, "tokens").outputs[0].dims, (Shape{Dim{2, 4}, kAny, fixed(16)}));
}

TEST(Shapes, IntervalsThatContainTheBatchAreFixed) {
  auto model = read_clean(kDynamic);
  // With 3: image, relu x2, image_out (1..8), tokens, loop x2, tokens_out (2..4), body x4.
  EXPECT_EQ(assume_batch(*model, 3), 4u + 4u + 4u);
  EXPECT_EQ(by_name(*model, "tokens").outputs[0].dims, (Shape{fixed(3), kAny, fixed(16)}));
  EXPECT_EQ(by_name(*model, "relu").outputs[0].dims, (Shape{fixed(3), fixed(3), kAny, fixed(8)}));
  // 9 is outside 1..8: that port keeps its interval while the -1 ports take 9.
  auto other = read_clean(kDynamic);
  assume_batch(*other, 9);
  EXPECT_EQ(by_name(*other, "relu").inputs[0].dims[0], fixed(9));
  EXPECT_EQ(by_name(*other, "relu").outputs[0].dims[0], (Dim{1, 8}));
}

TEST(Shapes, BodiesAreCoveredAndSequenceStaysDynamic) {
  auto model = read_clean(kDynamic);
  const Layer& loop = by_name(*model, "loop");
  ASSERT_EQ(loop.bodies.size(), 1u);
  std::shared_ptr<const IrModel> before = loop.bodies[0];
  assume_batch(*model, 2);
  ASSERT_EQ(loop.bodies.size(), 1u);
  const IrModel& body = *loop.bodies[0];
  for (Vertex v = 0; v < body.layer_count(); ++v) {
    for (const auto* ports : {&body.layer(v).inputs, &body.layer(v).outputs}) {
      for (const Port& p : *ports) {
        ASSERT_EQ(p.dims.size(), 3u) << body.layer(v).name;
        EXPECT_EQ(p.dims[0], fixed(2)) << body.layer(v).name;
        EXPECT_EQ(p.dims[1], kAny) << body.layer(v).name << ": the sequence must stay unknown";
        EXPECT_EQ(p.dims[2], fixed(16));
      }
    }
  }
  // The body read before the pass is not modified behind the back of whoever holds it.
  EXPECT_EQ(before->layer(0).outputs[0].dims[0], kAny);
}

TEST(Shapes, ZeroKeepsTheDynamicBatchAndStaticModelsDoNotChange) {
  auto model = read_clean(kDynamic);
  EXPECT_EQ(assume_batch(*model, 0), 0u);
  EXPECT_EQ(by_name(*model, "image").outputs[0].dims[0], kAny);
  auto sample = read_clean(IRLINT_SOURCE_DIR "/testdata/models/mnv3-small-int8-decomposed.xml");
  EXPECT_EQ(assume_batch(*sample, 1), 0u);
  // A second pass finds nothing left to do.
  EXPECT_GT(assume_batch(*model, 1), 0u);
  EXPECT_EQ(assume_batch(*model, 1), 0u);
}

TEST(Shapes, MobileNetV2MacsWithBatchOne) {
  std::string xml = IRLINT_CORPUS_DIR "/mnv2-tf-fp32-v11/mobilenet_v2_fp32.xml";
  if (!fs::exists(xml)) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  auto model = read_ir(xml);
  ASSERT_FALSE(model->fatal);
  std::string error;
  auto target = parse_target("onednn-2.6:avx2", &error);
  ASSERT_TRUE(target) << error;
  // Dynamic batch as read: the cost model sees no MACs at all.
  PlanCost dynamic = estimate(*model, plan(*model, *target), cost_table(*target));
  EXPECT_EQ(dynamic.macs, 0u);
  EXPECT_GT(assume_batch(*model, 1), 100u);
  PlanCost cost = estimate(*model, plan(*model, *target), cost_table(*target));
  // MobileNetV2 1.0 at 224x224: ~300 M multiply-adds (Sandler et al. 2018, Table 3).
  EXPECT_NEAR(static_cast<double>(cost.macs), 300e6, 30e6);
  EXPECT_NEAR(static_cast<double>(model_work(*model).macs), 300e6, 30e6);
  // Batch 4 is four images' work.
  auto four = read_ir(xml);
  assume_batch(*four, 4);
  EXPECT_EQ(model_work(*four).macs, 4 * model_work(*model).macs);
}

struct Outcome {
  int status = -1;
  std::string out, err;
};

Outcome irlint(const std::string& args) {
  // One folder per process: ctest -j runs these tests at once.
  fs::path dir = fs::temp_directory_path() / ("irlint_shapes_test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string line = "NO_COLOR=1 '" IRLINT_BINARY "' " + args + " >'" + (dir / "out").string() +
                     "' 2>'" + (dir / "err").string() + "' </dev/null";
  int rc = std::system(line.c_str());
  Outcome r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

TEST(Shapes, CliRejectsBadBatches) {
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  for (std::string cmd : {"check", "plan", "confirm"}) {
    for (std::string value : {"-1", "1048577", "99999999999999999999", "two"}) {
      Outcome r = irlint(cmd + " '" + kDynamic + "' --batch=" + value);
      EXPECT_EQ(r.status, 2) << cmd << " --batch=" << value << ": " << r.err;
      EXPECT_NE(r.err.find("--batch"), std::string::npos) << cmd << ": " << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
    }
  }
}

TEST(Shapes, PlanSaysWhichBatchItTook) {
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  Outcome one = irlint("plan '" + kDynamic + "'");
  EXPECT_EQ(one.status, 0) << one.err;
  EXPECT_NE(one.out.find("dynamic batch taken as 1 on 8 ports"), std::string::npos) << one.out;
  Outcome three = irlint("plan '" + kDynamic + "' --batch 3");
  EXPECT_NE(three.out.find("dynamic batch taken as 3 on 12 ports"), std::string::npos) << three.out;
  Outcome kept = irlint("plan '" + kDynamic + "' --batch 0");
  EXPECT_EQ(kept.status, 0) << kept.err;
  EXPECT_EQ(kept.out.find("dynamic batch"), std::string::npos) << kept.out;
  Outcome fixed_model =
      irlint("plan '" IRLINT_SOURCE_DIR "/testdata/models/mnv3-small-int8-decomposed.xml'");
  EXPECT_EQ(fixed_model.out.find("dynamic batch"), std::string::npos);
}

TEST(Shapes, InfoCountsMacsWithTheBatch) {
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  fs::path xml = fs::path(IRLINT_CORPUS_DIR) / "mnv2-tf-fp32-v11" / "mobilenet_v2_fp32.xml";
  if (!fs::exists(xml)) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  Outcome one = irlint("info '" + xml.string() + "'");
  EXPECT_EQ(one.status, 0) << one.err;
  EXPECT_NE(one.out.find("compute:    0.300 GMACs\n"), std::string::npos) << one.out;
  Outcome kept = irlint("info '" + xml.string() + "' --batch 0");
  EXPECT_NE(kept.out.find("0.000 GMACs (layers with dynamic shapes not counted"), std::string::npos)
      << kept.out;
  EXPECT_EQ(kept.out.find("overflow"), std::string::npos) << kept.out;
}

// The input's shape comes from the Parameter's `shape` attribute (bounds and dynamic rank
// included); one OpenVINO refuses is shown as such, never as a scalar.
TEST(Shapes, InfoShowsTheParameterShapeAttribute) {
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  const std::string dir = IRLINT_SOURCE_DIR "/testdata/rules/invalid-dimension/";
  Outcome bounds = irlint("info '" + dir + "parameter-shape-bounds-valid.xml'");
  EXPECT_EQ(bounds.status, 0) << bounds.err;
  EXPECT_NE(bounds.out.find("input:      input FP32 1x8x..8x4..10\n"), std::string::npos)
      << bounds.out;
  Outcome bad = irlint("info '" + dir + "parameter-shape-malformed.xml'");
  EXPECT_NE(bad.out.find("input:      input FP32 invalid shape '1s,8,8,8' (cannot parse "
                         "dimension '1s')"),
            std::string::npos)
      << bad.out;
  EXPECT_EQ(bad.out.find("scalar"), std::string::npos) << bad.out;
  auto model = read_ir_text("dynamic-rank.xml", R"(<net name="n" version="11"><layers>
    <layer id="0" name="x" type="Parameter" version="opset1"><data shape="..." element_type="f32"/>
      <output><port id="0" precision="FP32"/></output></layer></layers><edges/></net>)",
                            std::nullopt);
  ASSERT_EQ(model->layer_count(), 1u);
  EXPECT_TRUE(model->layer(0).outputs.at(0).dynamic_rank);
  EXPECT_TRUE(model->issues.empty());
}

}  // namespace
}  // namespace irlint
