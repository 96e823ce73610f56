#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "evidence.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "target.hpp"

namespace irlint {
namespace {

#ifndef IRLINT_HAVE_DNNL

TEST(LiveConfirm, NotBuilt) {
  GTEST_SKIP() << "the live run is not built: oneDNN (libdnnl-dev, CMake package dnnl) was not "
                  "found at configure time";
}

#else

namespace fs = std::filesystem;

const std::string kSample =
    std::string(IRLINT_SOURCE_DIR) + "/testdata/models/mnv3-small-int8-decomposed.xml";

struct Result {
  int status = -1;
  std::string out, err;
};

/// Runs irlint with stdout and stderr into files (neither is a terminal).
Result irlint(const std::string& args) {
  static int runs = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("irlint-live-confirm-" + std::to_string(getpid()) + "-" + std::to_string(runs++));
  fs::create_directories(dir);
  std::string out = (dir / "out").string(), err = (dir / "err").string();
  std::string command =
      std::string(IRLINT_BINARY) + " " + args + " >'" + out + "' 2>'" + err + "' </dev/null";
  Result r;
  r.status = std::system(command.c_str());
  auto slurp = [](const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove_all(dir);
  return r;
}

class LiveConfirm : public ::testing::Test {
 protected:
  static std::string fmt_dir_name() { return "irlint-live-confirm-" + std::to_string(getpid()); }

  /// One live run of the sample model (2 iterations), JSON, with the observed exec graph.
  static void SetUpTestSuite() {
    graph_path_ = (fs::temp_directory_path() / (fmt_dir_name() + ".xml")).string();
    run_ = irlint("confirm '" + kSample +
                  "' --live --iterations 2 --format json --exec-graph-out '" + graph_path_ + "'");
    json_ = nlohmann::json::parse(run_.out, nullptr, false);
  }
  static void TearDownTestSuite() { fs::remove(graph_path_); }

  static inline Result run_;
  static inline nlohmann::json json_;
  static inline std::string graph_path_;
};

TEST_F(LiveConfirm, MeasuresInt8AgainstFp32InOneProcess) {
  ASSERT_EQ(run_.status, 0) << run_.err;
  ASSERT_TRUE(json_.is_object()) << run_.out.substr(0, 500);
  const auto& whole = json_["whole"];
  const auto& counterpart = json_["counterpart"];
  // The sample is INT8: the plan as given is INT8, its counterpart the stripped FP32 plan.
  EXPECT_EQ(whole["label"], "int8");
  EXPECT_EQ(counterpart["label"], "fp32");
  EXPECT_GT(whole["median_ms"].get<double>(), 0);
  EXPECT_GT(counterpart["median_ms"].get<double>(), 0);
  EXPECT_GT(whole["primitives"].get<int>(), 0);
  EXPECT_GT(counterpart["primitives"].get<int>(), 0);
  EXPECT_EQ(whole["iterations"].get<int>(), 2);
  const auto& ratio = json_["int8_vs_fp32"];
  double measured = ratio["measured_ratio"].get<double>();
  EXPECT_GT(measured, 0);
  EXPECT_NEAR(measured,
              ratio["measured_int8_ms"].get<double>() / ratio["measured_fp32_ms"].get<double>(),
              1e-9);
  EXPECT_GT(ratio["predicted_ratio"].get<double>(), 0);
  // The FP32 counterpart has no FakeQuantize reorders to run: fewer primitives than INT8.
  EXPECT_LT(counterpart["primitives"].get<int>(), whole["primitives"].get<int>());
}

TEST_F(LiveConfirm, ComputesTheExecutorOverhead) {
  ASSERT_TRUE(json_.is_object());
  for (const char* key : {"whole", "counterpart"}) {
    const auto& t = json_[key];
    double overhead = t["overhead_pct"].get<double>();
    EXPECT_GE(overhead, 0) << key;
    EXPECT_LT(overhead, 100) << key;
    // The primitives' own times fit inside the end-to-end time.
    EXPECT_LE(t["primitive_ms"].get<double>(), t["median_ms"].get<double>() + 1e-9) << key;
  }
  EXPECT_EQ(json_["executor_overhead_pct"], json_["whole"]["overhead_pct"]);
}

TEST_F(LiveConfirm, JsonHasTheNodes) {
  ASSERT_TRUE(json_.is_object());
  const auto& nodes = json_["nodes"];
  ASSERT_TRUE(nodes.is_array());
  int ran = 0;
  for (const auto& n : nodes) {
    if (!n["ran"].get<bool>()) continue;
    ++ran;
    EXPECT_FALSE(n["impl"].get<std::string>().empty()) << n["layer"];
    EXPECT_TRUE(n.contains("predicted")) << n["layer"];
  }
  EXPECT_EQ(ran, json_["whole"]["nodes"].get<int>());
  EXPECT_TRUE(json_["agreement"]["compared"].get<int>() > 0);
}

TEST_F(LiveConfirm, ObservedExecGraphParsesBack) {
  ASSERT_EQ(run_.status, 0) << run_.err;
  Evidence e = read_evidence(graph_path_);
  ASSERT_EQ(e.format, EvidenceFormat::exec_graph);
  auto model = read_ir(kSample);
  ASSERT_FALSE(model->fatal);
  Plan predicted = plan(*model, *parse_target("onednn-2.6:native", nullptr));
  // One row per plan node and per Reorder, as the planner's exec graph has.
  EXPECT_EQ(e.rows.size(), predicted.nodes.size() + predicted.reorders.size());
  // The rows carry the observed implementations, not the predicted ones.
  std::map<std::string, std::string> observed;
  for (const auto& n : json_["nodes"]) {
    if (n["ran"].get<bool>()) observed[n["layer"]] = n["impl"];
  }
  int matched = 0;
  for (const ObservedRow& row : e.rows) {
    auto it = observed.find(row.name);
    if (it == observed.end()) continue;
    EXPECT_EQ(row.exec.text, it->second) << row.name;
    ++matched;
  }
  EXPECT_EQ(matched, static_cast<int>(observed.size()));
}

TEST_F(LiveConfirm, NoProgressWhenStderrIsNotATerminal) {
  ASSERT_EQ(run_.status, 0);
  EXPECT_EQ(run_.err.find("live:"), std::string::npos) << run_.err;
  EXPECT_EQ(run_.err.find('\r'), std::string::npos);
}

/// The what-if run of an OpenVINO policy's plan at one ISA cap, as JSON.
nlohmann::json what_if(const std::string& isa, Result* r) {
  *r = irlint("confirm '" + kSample +
              "' --live --iterations 2 --format json --target openvino-2019.3:avx2 --isa " + isa);
  return nlohmann::json::parse(r->out, nullptr, false);
}

TEST(LiveConfirmWhatIf, ForcesTheGemmFallbackTheOldPlanPredicts) {
  // oneDNN 2.6 offers an INT8 gemm convolution (x64:gemm_s8s8s32:jit) only from AVX-512 on; under
  // the AVX2 cap the forced nodes are labelled as not offered (next test).
  Result r;
  nlohmann::json j = what_if("avx512", &r);
  if (r.status != 0 && r.err.find("ignored the ISA cap") != std::string::npos)
    GTEST_SKIP() << "this CPU has no AVX-512";
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j["what_if"].get<bool>());
  EXPECT_EQ(j["what_if_label"], "what-if on oneDNN 2.6 kernels");
  int forced = 0;
  for (const auto& n : j["nodes"]) {
    if (n["forced"] != "gemm" || n["type"] != "GroupConvolution") continue;
    EXPECT_NE(n["predicted"].get<std::string>().find("gemm"), std::string::npos);
    if (n["impl"].get<std::string>().find("gemm") != std::string::npos) ++forced;
  }
  EXPECT_GT(forced, 0) << "no depthwise convolution ran the forced gemm implementation";
}

TEST(LiveConfirmWhatIf, LabelsTheRunAndItsForcedNodes) {
  Result r = irlint("confirm '" + kSample +
                    "' --live --iterations 2 --target openvino-2019.3:avx2 --isa avx2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("plan for openvino-2019.3:avx2 (what-if on oneDNN 2.6 kernels"),
            std::string::npos)
      << r.out.substr(0, 400);
  // Every predicted gemm depthwise is marked: forced, or no such implementation offered.
  size_t marked = 0;
  for (size_t at = 0; (at = r.out.find("gemm_blas_I8", at)) != std::string::npos; ++at) {
    size_t eol = r.out.find('\n', at);
    std::string rest = r.out.substr(at, eol - at);
    if (rest.find("(forced gemm") != std::string::npos ||
        rest.find("(no gemm implementation offered)") != std::string::npos)
      ++marked;
  }
  EXPECT_GT(marked, 0u) << r.out;
}

TEST_F(LiveConfirm, OnednnPlansAreNoWhatIf) {
  ASSERT_TRUE(json_.is_object());
  EXPECT_FALSE(json_["what_if"].get<bool>());
  EXPECT_FALSE(json_.contains("what_if_label"));
}

#endif

}  // namespace
}  // namespace irlint
