// The rules' live-confirm hooks on observations written by hand: what each rule predicts is
// confirmed or refuted by what a live run saw, without needing oneDNN to produce the run.
#include "live_evidence.hpp"

#include <gtest/gtest.h>

#include <string>

#include "plan.hpp"
#include "reader.hpp"
#include "target.hpp"

namespace irlint {
namespace {

/// A testdata model linted on a target, with one rule selected, and its plan kept for the hook.
struct Linted {
  std::shared_ptr<IrModel> model;
  Plan plan;
  RuleSettings settings;
  std::vector<Finding> findings;
};

Linted lint_testdata(const std::string& file, const std::string& target, const std::string& rule) {
  Linted l;
  l.model = read_ir(std::string(IRLINT_SOURCE_DIR) + "/testdata/rules/" + file);
  std::string error;
  l.plan = plan(*l.model, *parse_target(target, &error));
  l.settings.select = {rule};
  l.findings = lint(*l.model, &l.plan, l.settings);
  return l;
}

live::PlanTiming timing(const char* label, double ms, int primitives, int reorders) {
  live::PlanTiming t;
  t.label = label;
  t.median_ms = t.primitive_ms = ms;
  t.primitives = primitives;
  t.reorders = reorders;
  return t;
}

Status confirmed_as(Linted& l, const live::LiveRun& run) {
  EXPECT_EQ(l.findings.size(), 1u);
  if (l.findings.empty()) return Status::predicted;
  confirm_findings(LiveEvidence(*l.model, l.plan, run, l.settings), l.findings);
  EXPECT_FALSE(l.findings[0].evidence.empty());
  return l.findings[0].status;
}

TEST(ConfirmHooks, Int8SlowerFollowsTheMeasuredWholePlanRatio) {
  auto l = lint_testdata("int8-slower-than-fp32/signed-depthwise-2019-avx2.xml",
                         "openvino-2019.3:avx2", "int8-slower-than-fp32");
  live::LiveRun run;
  run.whole = timing("int8", 2.0, 10, 2);
  run.counterpart = timing("fp32", 1.0, 8, 0);
  EXPECT_EQ(confirmed_as(l, run), Status::confirmed);
  run.whole = timing("int8", 0.5, 10, 2);
  EXPECT_EQ(confirmed_as(l, run), Status::refuted);
  l.settings.options["int8-slower-than-fp32"]["threshold"] = "3";  // 2x faster is still below
  EXPECT_EQ(confirmed_as(l, run), Status::confirmed);
  run.counterpart = {};
  EXPECT_EQ(confirmed_as(l, run), Status::not_observable);
}

TEST(ConfirmHooks, ReorderBudgetCountsTheReordersExecuted) {
  auto l = lint_testdata("reorder-budget/fp32-conv-reshape.xml", "openvino-2024.6:avx2",
                         "reorder-budget");
  live::LiveRun run;
  run.whole = timing("fp32", 1.0, 5, 1);  // 20%: over the 10% budget
  EXPECT_EQ(confirmed_as(l, run), Status::confirmed);
  run.whole = timing("fp32", 1.0, 20, 0);
  EXPECT_EQ(confirmed_as(l, run), Status::refuted);
  run.whole = {};
  EXPECT_EQ(confirmed_as(l, run), Status::not_observable);
}

TEST(ConfirmHooks, LowComputeShareMeasuresTheConvolutionTime) {
  auto l = lint_testdata("low-compute-share/tiny-conv-long-tail.xml", "openvino-2024.6:avx2",
                         "low-compute-share");
  live::LiveRun run;
  run.whole = timing("fp32", 1.0, 10, 0);
  live::NodeObservation conv;
  conv.ran = true;
  conv.primitive = "convolution";
  conv.whole_ms = 0.2;
  run.nodes.push_back(conv);
  EXPECT_EQ(confirmed_as(l, run), Status::confirmed);
  run.nodes[0].whole_ms = 0.9;
  EXPECT_EQ(confirmed_as(l, run), Status::refuted);
}

TEST(ConfirmHooks, OnlyRulesWithAHookAreTouched) {
  auto l = lint_testdata("reorder-budget/fp32-conv-reshape.xml", "openvino-2024.6:avx2",
                         "reorder-budget");
  for (Finding& f : l.findings) f.rule = find_rule("precision-thrash");
  live::LiveRun run;
  run.whole = timing("fp32", 1.0, 5, 1);
  confirm_findings(LiveEvidence(*l.model, l.plan, run, l.settings), l.findings);
  for (const Finding& f : l.findings) EXPECT_EQ(f.status, Status::predicted);
}

}  // namespace
}  // namespace irlint
