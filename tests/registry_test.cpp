// The rule registry: one list, sorted by code, every rule documented and covered by testdata.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "rule.hpp"
#include "test_util.hpp"

namespace irlint {
namespace {

using irlint::test::read_file;

namespace fs = std::filesystem;

const fs::path kSource(IRLINT_SOURCE_DIR);

TEST(Registry, CodesAndNamesAreUniqueAndSortedByCode) {
  std::set<std::string_view> codes, names;
  std::string_view previous;
  ASSERT_FALSE(all_rules().empty());
  for (const Rule* rule : all_rules()) {
    EXPECT_TRUE(codes.insert(rule->info.code).second) << "duplicate code " << rule->info.code;
    EXPECT_TRUE(names.insert(rule->info.name).second) << "duplicate name " << rule->info.name;
    EXPECT_LT(previous, rule->info.code) << rule->info.code << " is out of order";
    previous = rule->info.code;
  }
}

// Every check the reader makes is reported by exactly one rule.
TEST(Registry, EveryReaderCheckHasOneRule) {
  for (int c = 0; c <= static_cast<int>(ReaderCheck::shape_mismatch); ++c) {
    auto check = static_cast<ReaderCheck>(c);
    size_t rules = std::count_if(all_rules().begin(), all_rules().end(),
                                 [&](const Rule* r) { return r->reader_check == check; });
    EXPECT_EQ(rules, 1u) << "reader check " << c;
  }
  EXPECT_EQ(reader_rule(ReaderCheck::dangling_edge).info.name, "dangling-edge");
}

TEST(Registry, CodesNamesAndSummariesFollowTheConventions) {
  const std::regex code(R"(IRL[0-5]\d\d)");
  const std::regex kebab(R"([a-z][a-z0-9]*(-[a-z0-9]+)*)");
  for (const Rule* rule : all_rules()) {
    std::string c(rule->info.code), n(rule->info.name), s(rule->info.summary);
    EXPECT_TRUE(std::regex_match(c, code)) << c;
    EXPECT_TRUE(std::regex_match(n, kebab)) << n;
    EXPECT_NE(family_name(c), "?") << c;
    EXPECT_FALSE(s.empty()) << n;
    EXPECT_NE(s.back(), '.') << n << ": a summary has no trailing period";
    EXPECT_EQ(find_rule(n), rule);
    EXPECT_EQ(find_rule(c), rule);
  }
}

TEST(Registry, OptionDefaultsAreValidSettings) {
  for (const Rule* rule : all_rules()) {
    for (const RuleOption& o : rule->info.options) {
      EXPECT_EQ(check_option_value(o, o.default_value), "") << rule->info.name << "." << o.name;
    }
  }
  const RuleOption& threshold = find_rule("int8-slower-than-fp32")->info.options[0];
  EXPECT_NE(check_option_value(threshold, "-1"), "");
  EXPECT_NE(check_option_value(threshold, "fast"), "");
  EXPECT_NE(check_option_value(threshold, ""), "");
}

TEST(Registry, EveryRuleHasItsDocPage) {
  for (const Rule* rule : all_rules()) {
    fs::path page = kSource / "docs" / "rules" / (std::string(rule->info.name) + ".md");
    ASSERT_TRUE(fs::is_regular_file(page)) << page;
    std::string text = read_file(page);
    std::string title = "# " + std::string(rule->info.code) + " " + std::string(rule->info.name);
    EXPECT_TRUE(text.starts_with(title)) << page << " must start with '" << title << "'";
    size_t last = 0;
    for (std::string_view section :
         {"## What it does", "## Why it matters on the CPU", "## Example", "## How to fix",
          "## Options", "## Live confirmation"}) {
      size_t at = text.find(std::string("\n") + std::string(section) + "\n");
      EXPECT_NE(at, std::string::npos) << page << " lacks '" << section << "'";
      if (at == std::string::npos) continue;
      EXPECT_GT(at, last) << page << ": '" << section << "' is out of order";
      last = at;
    }
    EXPECT_NE(text.find("```xml"), std::string::npos) << page << ": Example needs an IR snippet";
    std::string severity = "default severity: " + std::string(to_string(rule->info.severity));
    EXPECT_NE(text.find(severity), std::string::npos) << page << " must say '" << severity << "'";
    for (const SeverityCase& c : rule->info.severity_cases) {
      EXPECT_NE(c.severity, rule->info.severity) << rule->info.name << ": " << c.when;
      EXPECT_NE(text.find(std::string(c.when)), std::string::npos)
          << page << " does not document the " << to_string(c.severity) << " for " << c.when;
    }
    for (const RuleOption& o : rule->info.options) {
      EXPECT_NE(text.find(std::string(o.name)), std::string::npos)
          << page << " does not document option '" << o.name << "'";
    }
  }
}

TEST(Registry, NoDocPageWithoutARule) {
  for (const auto& entry : fs::directory_iterator(kSource / "docs" / "rules")) {
    std::string stem = entry.path().stem().string();
    if (entry.path().extension() != ".md" || stem == "README") continue;
    EXPECT_NE(find_rule(stem), nullptr) << entry.path() << " documents no registered rule";
  }
}

// unreadable-file is about the file itself, so no XML can show it; rule_testdata_test.cpp
// covers it in C++.
bool positive_in_cpp(std::string_view name) { return name == "unreadable-file"; }

TEST(Registry, EveryRuleHasPositiveAndNegativeTestdata) {
  for (const Rule* rule : all_rules()) {
    std::string name(rule->info.name);
    fs::path folder = kSource / "testdata" / "rules" / name;
    int positive = 0, negative = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      std::string file = entry.path().filename().string();
      if (entry.path().extension() != ".xml" || file.ends_with(".xfail.xml")) continue;
      std::string text = read_file(entry.path());
      if (text.find(" " + name + " {{") != std::string::npos &&
          text.find("EXPECT: ") != std::string::npos) {
        ++positive;
      } else if (text.find("EXPECT") == std::string::npos) {
        ++negative;
      }
    }
    EXPECT_TRUE(positive > 0 || positive_in_cpp(name))
        << name << ": no positive file in " << folder;
    EXPECT_GT(negative, 0) << name << ": no silent (negative) file in " << folder;
  }
}

TEST(Registry, RuleIndexIsGeneratedFromTheRegistry) {
  fs::path index = kSource / "docs" / "rules" / "README.md";
  EXPECT_EQ(read_file(index), rules_markdown())
      << "regenerate it: irlint rules --format markdown > docs/rules/README.md";
}

/// Every .xml under `folder`, recursively.
std::vector<fs::path> models_under(const fs::path& folder) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(folder, ec)) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A finding's severity is its rule's default unless the rule declares the case (and its page
// documents it, see above): run every rule on the rule and reader testdata and on OpenVINO's
// reader tests, on two targets, and compare.
TEST(Registry, FindingsHaveTheDefaultSeverityOrADeclaredCase) {
  std::vector<fs::path> models = models_under(kSource / "testdata" / "rules");
  for (const fs::path& m : models_under(kSource / "testdata" / "reader")) models.push_back(m);
  for (const fs::path& m : models_under(fs::path(IRLINT_PEER_DIR) / "openvino-ir-tests-2022"))
    models.push_back(m);
  RuleSettings settings;
  settings.select = {"ALL"};
  std::map<std::string, int> seen;  // rule -> findings checked
  for (const char* target_name : {"openvino-2019.3:avx2", "openvino-2024.6:avx512_vnni"}) {
    std::string error;
    std::optional<Target> target = parse_target(target_name, &error);
    ASSERT_TRUE(target) << error;
    for (const fs::path& model : models) {
      FileReport report =
          check_file(model.string(), {.target = *target, .batch = 1, .rules = settings});
      for (const Finding& f : report.findings) {
        const Rule* rule = f.rule;
        ASSERT_NE(rule, nullptr) << rule_name(f);
        ++seen[std::string(rule_name(f))];
        EXPECT_TRUE(severity_allowed(rule->info, f.severity))
            << model << ": a " << to_string(f.severity) << " of " << rule_name(f)
            << ", whose default is " << to_string(rule->info.severity)
            << " and which declares no such case: " << f.message;
      }
    }
  }
  EXPECT_GE(seen.size(), all_rules().size() / 2) << "too few rules reported anything";
}

}  // namespace
}  // namespace irlint
