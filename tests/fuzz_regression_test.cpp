// Regression tests for the inputs that crashed a fuzz target (tests/fuzz/), kept in
// testdata/fuzz/. Under -DIRLINT_SANITIZE=ON they rerun the exact path that failed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "config.hpp"
#include "cost.hpp"
#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "target.hpp"
#include "test_util.hpp"

namespace irlint {
namespace {

using irlint::test::read_file;

namespace fs = std::filesystem;

const fs::path kFuzzData = fs::path(IRLINT_SOURCE_DIR) / "testdata" / "fuzz";

// fuzz_lint: a 2^32 x 2^32 x 2 tensor made tensor_bytes convert a double past 2^64 to uint64_t.
TEST(FuzzRegression, HugeTensorSaturatesItsByteCount) {
  Shape huge{{4294967296, 4294967296}, {4294967296, 4294967296}, {2, 2}, {1, 1}};
  EXPECT_EQ(tensor_bytes(huge, Precision::fp32, Layout::planar),
            std::numeric_limits<uint64_t>::max());
}

// The fuzz_lint path on the crashing file: every target, every quantization mode, every rule.
TEST(FuzzRegression, HugeTensorModelLintsOnEveryTarget) {
  auto model = read_ir((kFuzzData / "lint-tensor-bytes-overflow.xml").string());
  ASSERT_FALSE(model->fatal);
  RuleSettings settings;
  for (const Policy& policy : all_policies()) {
    for (Isa isa : policy.isas) {
      for (auto q : {Quantization::as_written, Quantization::stripped, Quantization::assumed}) {
        Plan predicted = plan(*model, Target{&policy, isa}, q);
        auto findings = lint(*model, &predicted, settings);
        // The misspelt "Sesult" op is reported, positioned on its layer (line 15).
        std::string found;
        for (const Finding& f : findings) {
          found +=
              fmt::format("\n  {}:{} [{}] {}", f.pos.line, f.pos.column, rule_name(f), f.message);
        }
        EXPECT_TRUE(std::any_of(
            findings.begin(), findings.end(),
            [](const Finding& f) { return rule_name(f) == "unknown-op-type" && f.pos.line == 15; }))
            << Target{&policy, isa}.name() << " quantization " << static_cast<int>(q) << ", fatal "
            << model->fatal << ", findings:" << found;
      }
    }
  }
}

// fuzz_config: a number too large for a double threw json::out_of_range out of parse_config.
TEST(FuzzRegression, ConfigNumberOverflowIsAPositionedError) {
  std::string text = read_file(kFuzzData / "config-number-overflow.json");
  std::string error;
  EXPECT_FALSE(parse_config(text, "cfg.json", &error).has_value());
  EXPECT_NE(error.find("cfg.json:1:49: not valid JSON: number overflow"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace irlint
