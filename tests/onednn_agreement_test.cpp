// The onednn-2.6 planner names each node's implementation the way oneDNN's impl_info_str() does;
// here each rule is checked against what oneDNN 2.6 actually chose on this CPU (live run, native
// ISA, format_tag::any): legacy 1x1 convolutions, Concat, binary ops and reorders, INT8
// pooling, views, MatMul and SoftMax (JIT only along a dense axis).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plan.hpp"
#include "reader.hpp"
#include "shapes.hpp"
#ifdef IRLINT_HAVE_DNNL
#include "live.hpp"
#endif

namespace irlint {
namespace {

#ifndef IRLINT_HAVE_DNNL

TEST(OnednnAgreement, NotBuilt) {
  GTEST_SKIP() << "the live run is not built: oneDNN (libdnnl-dev, CMake package dnnl) was not "
                  "found at configure time";
}

#else

namespace fs = std::filesystem;

/// One node that ran (or was recorded) live, with the planner's prediction beside it.
struct Seen {
  std::string layer, type, predicted, observed, primitive;
  OpKind kind = OpKind::other;
  Precision precision = Precision::fp32;
  bool ran = false;
};

struct Outcome {
  std::vector<Seen> nodes;
  live::Reconciliation rec;
  std::string isa;
};

Outcome run(const IrModel& model) {
  auto target = parse_target("onednn-2.6:native", nullptr);
  EXPECT_TRUE(target);
  Plan p = plan(model, *target);
  live::LiveOptions options;
  options.iterations = 1;
  options.warmup = 1;
  options.time_nodes = false;
  live::LiveRun r = live::run_live(model, p, options);
  Outcome out;
  out.isa = r.isa_effective;
  for (const live::NodeObservation& o : r.nodes) {
    if (o.node < 0 || static_cast<size_t>(o.node) >= p.nodes.size()) continue;
    const PlanNode& n = p.nodes[static_cast<size_t>(o.node)];
    out.nodes.push_back(
        {o.layer, o.type, n.exec_type, o.impl, o.primitive, n.kind, n.precision, o.ran});
  }
  out.rec = live::reconcile(model, p, r);
  return out;
}

/// The live run of a corpus model, once per test binary; nullptr when the corpus is absent.
const Outcome* corpus_run(const std::string& relative) {
  static std::map<std::string, Outcome> cache;
  std::string path = std::string(IRLINT_CORPUS_DIR) + "/" + relative;
  if (!fs::exists(path)) return nullptr;
  auto it = cache.find(relative);
  if (it == cache.end()) {
    auto model = read_ir(path);
    EXPECT_FALSE(model->fatal) << path;
    assume_batch(*model, 1);  // as `irlint confirm` does by default (--batch 1)
    it = cache.emplace(relative, run(*model)).first;
  }
  return &it->second;
}

Outcome run_text(const std::string& name, const std::string& xml) {
  auto model = read_ir_text(name, xml, std::nullopt);
  EXPECT_FALSE(model->fatal) << name;
  return run(*model);
}

const std::string kFaceDet = "face-det-retail-0004-int8-v3/other.xml";
const std::string kMnv2Int8 = "mnv2-tf-int8-v11/mobilenet_v2_int8.xml";

/// Every node of `kind` (or of layer type `type`) that ran: predicted equals observed.
int expect_agree(const Outcome& o, const std::function<bool(const Seen&)>& select) {
  int count = 0;
  for (const Seen& s : o.nodes) {
    if (!s.ran || !select(s)) continue;
    ++count;
    EXPECT_EQ(s.predicted, s.observed) << s.layer << " (" << s.type << ") on " << o.isa;
  }
  return count;
}

TEST(OnednnAgreement, Legacy1x1ConvolutionsRunThe1x1Kernels) {
  const Outcome* o = corpus_run(kFaceDet);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  // IR v3: the kernel is the `kernel` attribute, the weights are <blobs> (no weights port).
  int n = expect_agree(*o, [](const Seen& s) { return s.layer.find("1x1") != std::string::npos; });
  EXPECT_GE(n, 20);
  int one_by_one = static_cast<int>(std::count_if(o->nodes.begin(), o->nodes.end(), [](auto& s) {
    return s.ran && s.predicted.find("_1x1") != std::string::npos;
  }));
  EXPECT_GE(one_by_one, 19) << "the 1x1 kernels are predicted for legacy 1x1 convolutions";
}

TEST(OnednnAgreement, ConcatRunsSimpleConcat) {
  const Outcome* o = corpus_run(kFaceDet);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  EXPECT_GE(expect_agree(*o, [](const Seen& s) { return s.kind == OpKind::concat; }), 10);
}

TEST(OnednnAgreement, Int8PoolingRunsTheIntegerKernel) {
  const Outcome* o = corpus_run(kFaceDet);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  int n = expect_agree(*o, [](const Seen& s) {
    return (s.kind == OpKind::max_pool || s.kind == OpKind::avg_pool) && is_int8(s.precision);
  });
  EXPECT_GE(n, 1);
}

TEST(OnednnAgreement, ViewsAreNotComparedAsKernels) {
  const Outcome* o = corpus_run(kFaceDet);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  int views = 0;
  for (const Seen& s : o->nodes) {
    if (!s.ran || s.kind != OpKind::reshape) continue;
    ++views;
    EXPECT_EQ(s.primitive, "view") << s.layer;
    EXPECT_EQ(s.predicted, "") << s.layer << ": a view runs no kernel";
    for (const live::Disagreement& d : o->rec.disagreements) EXPECT_NE(d.layer, s.layer);
  }
  EXPECT_GE(views, 4);
  int ran = static_cast<int>(
      std::count_if(o->nodes.begin(), o->nodes.end(), [](auto& s) { return s.ran; }));
  EXPECT_EQ(o->rec.compared, ran - views);
}

TEST(OnednnAgreement, TransposeRunsAsAJitReorder) {
  const Outcome* o = corpus_run(kFaceDet);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  EXPECT_GE(expect_agree(*o, [](const Seen& s) { return s.kind == OpKind::transpose; }), 2);
}

TEST(OnednnAgreement, EveryNodeOfTwoInt8CorpusModelsAgrees) {
  for (const std::string& m : {kFaceDet, kMnv2Int8}) {
    const Outcome* o = corpus_run(m);
    if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
    EXPECT_GT(o->rec.compared, 40) << m;
    std::string list;
    for (const live::Disagreement& d : o->rec.disagreements) {
      list += "\n  " + d.layer + " " + d.what + ": predicted " + d.predicted + ", observed " +
              d.observed;
    }
    EXPECT_EQ(o->rec.agreed, o->rec.compared) << m << " on " << o->isa << list;
  }
}

TEST(OnednnAgreement, MatMulRunsTheMatmulPrimitive) {
  const Outcome* o = corpus_run(kMnv2Int8);
  if (!o) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  EXPECT_EQ(expect_agree(*o, [](const Seen& s) { return s.kind == OpKind::matmul; }), 1);
}

TEST(OnednnAgreement, BinaryAndQuantizeRunJitUni) {
  for (const char* file : {"op_add.xml", "op_maximum.xml", "op_fq.xml", "op_transpose.xml"}) {
    auto model = read_ir(std::string(IRLINT_SOURCE_DIR) + "/testdata/live/" + file);
    ASSERT_FALSE(model->fatal) << file;
    Outcome o = run(*model);
    int n = expect_agree(o, [](const Seen& s) {
      return is_eltwise(s.kind) || s.kind == OpKind::fake_quantize || s.kind == OpKind::transpose;
    });
    EXPECT_EQ(n, 1) << file;
  }
}

/// Parameter → SoftMax(axis) → Result on a static shape.
std::string softmax_ir(const std::vector<int>& shape, int axis) {
  std::string dims, list;
  for (int d : shape) {
    dims += "<dim>" + std::to_string(d) + "</dim>";
    list += (list.empty() ? "" : ",") + std::to_string(d);
  }
  return R"(<?xml version="1.0"?>
<net name="softmax" version="11"><layers>
<layer id="0" name="in" type="Parameter" version="opset1"><data shape=")" +
         list + R"(" element_type="f32"/><output><port id="0" precision="FP32">)" + dims +
         R"(</port></output></layer>
<layer id="1" name="op" type="SoftMax" version="opset1"><data axis=")" +
         std::to_string(axis) + R"("/><input><port id="0" precision="FP32">)" + dims +
         R"(</port></input><output><port id="1" precision="FP32">)" + dims +
         R"(</port></output></layer>
<layer id="2" name="out" type="Result" version="opset1"><input><port id="0" precision="FP32">)" +
         dims + R"(</port></input></layer>
</layers><edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/></edges></net>)";
}

TEST(OnednnAgreement, SoftmaxIsJitOnlyAlongADenseAxis) {
  struct Case {
    std::vector<int> shape;
    int axis;
    bool jit;  ///< what oneDNN 2.6's jit_uni_softmax accepts: stride 1 along the axis
  };
  const Case cases[] = {
      {{1, 4, 16, 24}, 1, false},  // nchw: channels have stride 16*24 (road-segmentation's case)
      {{1, 4, 16, 24}, 3, true},   // the innermost axis
      {{1, 4, 16, 24}, -1, true},
      {{1, 4, 16, 1}, 2, true},  // the axes after it have size 1: stride 1 all the same
      {{1, 1000}, 1, true},
      {{2, 6, 3}, 1, false},
  };
  for (const Case& c : cases) {
    Outcome o = run_text("softmax.xml", softmax_ir(c.shape, c.axis));
    std::string what =
        "axis " + std::to_string(c.axis) + " of rank " + std::to_string(c.shape.size());
    int n = expect_agree(o, [](const Seen& s) { return s.kind == OpKind::softmax; });
    ASSERT_EQ(n, 1) << what;
    auto it = std::find_if(o.nodes.begin(), o.nodes.end(),
                           [](const Seen& s) { return s.kind == OpKind::softmax; });
    EXPECT_EQ(it->predicted.starts_with("jit:"), c.jit) << what << ": " << it->predicted;
    EXPECT_EQ(it->predicted == "ref:any", !c.jit) << what << ": " << it->predicted;
  }
}

#endif

}  // namespace
}  // namespace irlint
