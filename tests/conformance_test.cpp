// OpenVINO's own IR reader tests (2022) as a conformance suite: every enabled case of
// ../shared/peer/openvino-ir-tests-2022/expectations.tsv is checked the way `irlint check` checks
// a file (check_file()), and irlint's verdict is compared with the one OpenVINO's test expects.
// irlint rejects a model when check_file() sets input_error (exit status 2: the file is not a
// graph, or an IRL0xx rule reports an error). `ok` and the rows that load once an extension is
// registered or through MO's IREngine must not be rejected; `throw` must be. DISABLED_ tests are
// skipped: OpenVINO does not run them, so their verdict was never checked. A disagreement fails
// unless testdata/conformance/allow-list.tsv lists it with a reason; an entry that no longer
// disagrees fails too. See docs/conformance.md.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(IRLINT_PEER_DIR) / "openvino-ir-tests-2022";
const fs::path kAllowList = fs::path(IRLINT_SOURCE_DIR) / "testdata/conformance/allow-list.tsv";

/// One row of expectations.tsv.
struct Case {
  std::string file;
  std::string expects;  ///< ok, throw, ok-with-extension, ok-mo-irengine
  std::string test;
  std::string flags;
  std::string bin;  ///< "-" or empty: the .bin next to the XML
  int line = 0;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

std::vector<Case> read_cases() {
  std::ifstream in(kSuite / "expectations.tsv");
  std::vector<Case> cases;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "file\texpects\ttest\tflags\tbin") << "expectations.tsv changed its columns";
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> f = split_tabs(line);
    if (f.size() != 5) {
      ADD_FAILURE() << "expectations.tsv:" << number << ": " << f.size() << " fields, not 5";
      continue;
    }
    cases.push_back({f[0], f[1], f[2], f[3], f[4], number});
  }
  return cases;
}

/// The allow-list: file -> reason.
std::map<std::string, std::string> read_allow_list() {
  std::map<std::string, std::string> allowed;
  std::ifstream in(kAllowList);
  EXPECT_TRUE(in) << "cannot read " << kAllowList;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> f = split_tabs(line);
    if (f.size() != 2 || f[1].empty()) {
      ADD_FAILURE() << "allow-list.tsv:" << number << ": want 'file<TAB>reason', got '" << line
                    << "'";
      continue;
    }
    allowed[f[0]] = f[1];
  }
  return allowed;
}

/// What irlint said of a rejected model: its first error of an IR rule, else the first error.
std::string why_rejected(const FileReport& report) {
  const Finding* first = nullptr;
  for (const Finding& f : report.findings) {
    if (f.severity != Severity::error) continue;
    const Rule* rule = f.rule;
    if (rule && rule->info.code.starts_with("IRL0"))
      return fmt::format("{} [{}]", f.message, rule_name(f));
    if (!first) first = &f;
  }
  return first ? fmt::format("{} [{}]", first->message, rule_name(*first)) : "(no finding)";
}

TEST(Conformance, AgreesWithOpenVinoReaderTests2022) {
  if (!fs::exists(kSuite / "expectations.tsv")) GTEST_SKIP() << "suite not found at " << kSuite;
  std::vector<Case> cases = read_cases();
  std::map<std::string, std::string> allowed = read_allow_list();
  std::map<std::string, bool> allowed_used;
  int verdicts = 0, agree = 0, false_rejects = 0, misses = 0, skipped = 0;
  int tolerated = 0, tolerated_agree = 0;
  std::string disagreements;
  for (const Case& c : cases) {
    bool disabled = c.test.find("DISABLED_") != std::string::npos || c.flags == "disabled";
    bool expect_throw = c.expects == "throw";
    bool extra = c.expects == "ok-with-extension" || c.expects == "ok-mo-irengine";
    if (!expect_throw && !extra && c.expects != "ok") {
      ADD_FAILURE() << "expectations.tsv:" << c.line << ": unknown expectation '" << c.expects
                    << "'";
      continue;
    }
    if (disabled) {
      ++skipped;
      continue;
    }
    std::string bin = c.bin.empty() || c.bin == "-" ? "" : (kSuite / c.bin).string();
    FileReport report = check_file((kSuite / c.file).string(), {.bin = bin, .batch = 1});
    bool agrees = report.input_error == expect_throw;
    if (extra) {
      ++tolerated;
      tolerated_agree += agrees;
    } else {
      ++verdicts;
      agree += agrees;
    }
    if (agrees) continue;
    (expect_throw ? misses : false_rejects)++;
    std::string what =
        expect_throw ? "OpenVINO throws, irlint accepts"
                     : fmt::format("OpenVINO loads, irlint rejects: {}", why_rejected(report));
    if (auto it = allowed.find(c.file); it != allowed.end()) {
      allowed_used[c.file] = true;
      std::cout << fmt::format("[ allowed  ] {} ({}): {}; allowed: {}\n", c.file, c.test, what,
                               it->second);
      continue;
    }
    disagreements += fmt::format("  {} ({}): {}\n", c.file, c.test, what);
  }
  std::cout << fmt::format(
      "[ conform  ] irlint agrees with OpenVINO's reader tests on {} of {} cases ({} false "
      "rejects, {} misses); {} of {} extension/IREngine cases not rejected; {} disabled skipped\n",
      agree, verdicts, false_rejects, misses, tolerated_agree, tolerated, skipped);
  EXPECT_TRUE(disagreements.empty()) << "disagreements not in " << kAllowList.filename() << ":\n"
                                     << disagreements;
  for (const auto& [file, reason] : allowed) {
    EXPECT_TRUE(allowed_used.contains(file))
        << "allow-list entry '" << file << "' no longer disagrees (or is not a case): remove it";
  }
  EXPECT_GT(verdicts, 400) << "the suite lost cases";
}

}  // namespace
}  // namespace irlint
