// `.irlint.json`: discovery, validation, and how its settings and the command line's select,
// ignore, re-level, tune and suppress findings.
#include "config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSample = fs::path(IRLINT_SOURCE_DIR) / "testdata/models/mnv3-small-int8-decomposed";

/// A scratch tree per test holding a copy of the sample model.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / fmt::format("irlint-config-{}-{}", info->name(), getpid());
    fs::remove_all(root_);
    fs::create_directories(root_ / "project/models/deep");
    model_ = root_ / "project/models/deep/model.xml";
    fs::copy_file(kSample.string() + ".xml", model_);
    fs::copy_file(kSample.string() + ".bin", root_ / "project/models/deep/model.bin");
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  /// Runs `irlint check <model> --format json` plus `args`; returns the exit status.
  int check(std::vector<std::string> args, json* report = nullptr, std::string* errors = nullptr) {
    std::string model = model_.string();
    std::vector<const char*> argv = {"irlint", "check",    model.c_str(),         "--format",
                                     "json",   "--target", "openvino-2019.3:avx2"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    int status = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    if (report && !out.str().empty()) *report = json::parse(out.str());
    if (errors) *errors = err.str();
    return status;
  }

  /// The rule names reported, in order.
  std::vector<std::string> rules(std::vector<std::string> args) {
    json report;
    check(std::move(args), &report);
    std::vector<std::string> names;
    for (const json& f : report["files"][0]["findings"]) names.push_back(f["rule"]);
    return names;
  }

  fs::path root_, model_;
};

TEST_F(ConfigTest, FoundInTheModelFolderOrTheNearestAbove) {
  EXPECT_EQ(find_config(model_.string()), std::nullopt);
  write(root_ / "project/.irlint.json", "{}");
  EXPECT_EQ(find_config(model_.string()), (root_ / "project/.irlint.json").string());
  write(root_ / "project/models/.irlint.json", "{}");
  EXPECT_EQ(find_config(model_.string()), (root_ / "project/models/.irlint.json").string());
  write(root_ / "project/models/deep/.irlint.json", "{}");
  EXPECT_EQ(find_config(model_.string()), (root_ / "project/models/deep/.irlint.json").string());
  // A folder named .irlint.json is not a configuration.
  fs::remove(root_ / "project/models/deep/.irlint.json");
  fs::create_directories(root_ / "project/models/deep/.irlint.json");
  EXPECT_EQ(find_config(model_.string()), (root_ / "project/models/.irlint.json").string());
}

TEST_F(ConfigTest, ADiscoveredConfigChangesTheCheckAndNoConfigIgnoresIt) {
  std::vector<std::string> all = rules({});
  ASSERT_GE(std::set<std::string>(all.begin(), all.end()).size(), 2u);
  std::string first = all.front();
  write(root_ / "project/.irlint.json", json{{"ignore", {first}}}.dump());
  std::vector<std::string> without = rules({});
  EXPECT_EQ(std::count(without.begin(), without.end(), first), 0);
  EXPECT_FALSE(without.empty());
  EXPECT_EQ(rules({"--no-config"}), all);
  // --config names one explicitly, wherever it is.
  write(root_ / "elsewhere.json", json{{"select", {first}}}.dump());
  std::vector<std::string> only = rules({"--config", (root_ / "elsewhere.json").string()});
  EXPECT_FALSE(only.empty());
  EXPECT_EQ(std::count(only.begin(), only.end(), first), static_cast<long>(only.size()));
}

TEST_F(ConfigTest, ConfigSetsTargetAndFailOnDefaults) {
  write(root_ / "project/.irlint.json",
        R"({"fail-on": "never", "target": "openvino-2019.3:avx2"})");
  json report;
  EXPECT_EQ(check({}, &report), 0);
  EXPECT_FALSE(report["files"][0]["findings"].empty());
  EXPECT_EQ(check({"--fail-on", "warning"}), 1);  // the command line wins
  write(root_ / "project/.irlint.json", R"({"target": "openvino-2024.6:avx512_vnni"})");
  std::string model = model_.string();
  const char* argv[] = {"irlint", "check", model.c_str(), "--format", "json"};
  std::ostringstream out, err;
  run_cli(5, argv, out, err);
  EXPECT_EQ(json::parse(out.str())["target"], "openvino-2024.6:avx512_vnni") << err.str();
}

TEST_F(ConfigTest, BadConfigurationsAreClearErrorsWithExitTwo) {
  struct Case {
    std::string text, message;
  };
  for (const Case& c : std::vector<Case>{
           {"{\n  \"select\": [\"IRL2\",\n}", ".irlint.json:3:1: not valid JSON"},
           {"[1, 2]", "must be a JSON object"},
           {R"({"selcet": ["IRL2"]})", "unknown key 'selcet'"},
           {R"({"select": "IRL2"})", "'select' must be a list"},
           {R"({"select": ["no-such-rule"]})", "unknown rule 'no-such-rule' in 'select'"},
           {R"({"ignore": ["IRL9"]})", "unknown rule 'IRL9' in 'ignore'"},
           {R"({"severity": {"no-such-rule": "note"}})",
            "unknown rule 'no-such-rule' in 'severity'"},
           {R"({"severity": {"reorder-insertion": "fatal"}})", "must be note, warning or error"},
           {R"({"options": {"reorder-budget": {"max-nodes": 3}}})", "has no option 'max-nodes'"},
           {R"({"options": {"reorder-budget": {"max-reorders": "many"}}})", "wants a number"},
           {R"({"options": {"reorder-budget": {"max-reorders": [1]}}})",
            "must be a number or a string"},
           {R"({"suppress": [{"rule": "reorder-insertion"}]})", "needs a \"layer\""},
           {R"({"suppress": [{"rule": "nope", "layer": "*"}]})",
            "unknown rule 'nope' in 'suppress'"},
           {R"({"suppress": [{"layer": "*", "why": "x"}]})", "unknown key 'why' in 'suppress'"},
           {R"({"target": 3})", "'target' must be a string"},
           {R"({"fail-on": "sometimes"})", "sometimes"},
           {R"({"target": "openvino-1999.1:avx2"})", "1999"},
       }) {
    std::string path = (root_ / "project/.irlint.json").string();
    write(path, c.text);
    std::string errors;
    EXPECT_EQ(check({}, nullptr, &errors), 2) << c.text;
    EXPECT_NE(errors.find(c.message), std::string::npos) << c.text << "\n" << errors;
    EXPECT_NE(errors.find(path), std::string::npos) << "the error names the file: " << errors;
  }
}

TEST_F(ConfigTest, ParseConfigReadsEveryKey) {
  std::string error;
  auto config = parse_config(R"({
    "select": ["IRL2", "unfusable-activation"], "ignore": ["IRL202"],
    "severity": {"reorder-insertion": "error", "IRL401": "note"},
    "options": {"reorder-budget": {"max-reorders": 3, "max-share": "0.5"}},
    "suppress": [{"rule": "reorder-insertion", "layer": "stage1/*", "reason": "known"}, {"layer": "head_?"}],
    "target": "openvino-2021.4:avx512", "fail-on": "error"})",
                             "cfg.json", &error);
  ASSERT_TRUE(config) << error;
  EXPECT_EQ(config->rules.select, (std::vector<std::string>{"IRL2", "unfusable-activation"}));
  EXPECT_EQ(config->rules.ignore, std::vector<std::string>{"IRL202"});
  EXPECT_EQ(config->rules.severity.at("reorder-insertion"), Severity::error);
  EXPECT_EQ(config->rules.severity.at(std::string(find_rule("IRL401")->info.name)), Severity::note);
  EXPECT_EQ(config->rules.options.at("reorder-budget").at("max-reorders"), "3");
  EXPECT_EQ(config->rules.options.at("reorder-budget").at("max-share"), "0.5");
  ASSERT_EQ(config->rules.suppress.size(), 2u);
  EXPECT_EQ(config->rules.suppress[0],
            std::make_pair(std::string("reorder-insertion"), std::string("stage1/*")));
  EXPECT_EQ(config->rules.suppress[1], std::make_pair(std::string("*"), std::string("head_?")));
  EXPECT_EQ(config->target, "openvino-2021.4:avx512");
  EXPECT_EQ(config->fail_on, "error");
  EXPECT_EQ(config->path, "cfg.json");
}

TEST_F(ConfigTest, SelectAndIgnoreByCodePrefixAndName) {
  std::vector<std::string> all = rules({"--no-config"});
  std::set<std::string> distinct(all.begin(), all.end());
  ASSERT_GE(distinct.size(), 2u);
  for (const std::string& name : distinct) {
    const Rule* rule = find_rule(name);
    ASSERT_TRUE(rule);
    std::string code(rule->info.code), prefix = code.substr(0, 4);
    auto count_in = [&](const std::vector<std::string>& v, auto pred) {
      return std::count_if(v.begin(), v.end(), pred);
    };
    auto is_rule = [&](const std::string& r) { return r == name; };
    auto in_family = [&](const std::string& r) {
      return find_rule(r)->info.code.starts_with(prefix);
    };
    long expected = count_in(all, is_rule), in_prefix = count_in(all, in_family);
    // By name, by code, by code prefix, through the command line and through the config.
    for (const std::string& pattern : {name, code}) {
      std::vector<std::string> selected = rules({"--no-config", "--select", pattern});
      EXPECT_EQ(selected.size(), static_cast<size_t>(expected)) << pattern;
      EXPECT_EQ(count_in(selected, is_rule), expected) << pattern;
      std::vector<std::string> ignored = rules({"--no-config", "--ignore", pattern});
      EXPECT_EQ(ignored.size(), all.size() - static_cast<size_t>(expected)) << pattern;
      EXPECT_EQ(count_in(ignored, is_rule), 0) << pattern;
    }
    std::vector<std::string> family = rules({"--no-config", "--select", prefix});
    EXPECT_EQ(family.size(), static_cast<size_t>(in_prefix)) << prefix;
    EXPECT_EQ(count_in(family, in_family), in_prefix) << prefix;
    write(root_ / "project/.irlint.json", json{{"select", {prefix}}}.dump());
    EXPECT_EQ(rules({}), family) << prefix;
    write(root_ / "project/.irlint.json", json{{"ignore", {code}}}.dump());
    EXPECT_EQ(rules({}).size(), all.size() - static_cast<size_t>(expected)) << code;
    fs::remove(root_ / "project/.irlint.json");
  }
  // --select and --ignore together: ignore wins inside the selection; a comma list works.
  std::string a = *distinct.begin(), b = *std::next(distinct.begin());
  std::vector<std::string> both = rules({"--no-config", "--select", a + "," + b, "--ignore", b});
  EXPECT_FALSE(both.empty());
  EXPECT_EQ(std::count(both.begin(), both.end(), a), static_cast<long>(both.size()));
}

TEST_F(ConfigTest, SeverityOverrideFromCommandLineAndConfig) {
  json report;
  check({"--no-config"}, &report);
  const json& first = report["files"][0]["findings"][0];
  std::string rule = first["rule"];
  std::string other = first["severity"] == "error" ? "note" : "error";
  auto severities_of_rule = [&](const json& r) {
    std::set<std::string> s;
    for (const json& f : r["files"][0]["findings"]) {
      if (f["rule"] == rule) s.insert(f["severity"]);
    }
    return s;
  };
  json cli, cfg;
  check({"--no-config", "--severity", rule + "=" + other}, &cli);
  EXPECT_EQ(severities_of_rule(cli), std::set<std::string>{other});
  write(root_ / "project/.irlint.json", json{{"severity", {{rule, other}}}}.dump());
  check({}, &cfg);
  EXPECT_EQ(severities_of_rule(cfg), std::set<std::string>{other});
  // The command line wins over the configuration.
  check({"--severity", rule + "=warning"}, &cli);
  EXPECT_EQ(severities_of_rule(cli), std::set<std::string>{"warning"});
}

TEST_F(ConfigTest, OptionsTuneARule) {
  // reorder-budget reports when more Reorders than max-reorders are predicted.
  auto budget = [&](std::vector<std::string> args) {
    std::vector<std::string> r = rules(std::move(args));
    return std::count(r.begin(), r.end(), "reorder-budget");
  };
  EXPECT_EQ(budget({"--no-config", "--option", "reorder-budget.max-reorders=0", "--option",
                    "reorder-budget.max-share=0"}),
            1);
  EXPECT_EQ(budget({"--no-config", "--option", "reorder-budget.max-reorders=100000", "--option",
                    "reorder-budget.max-share=1"}),
            0);
  write(root_ / "project/.irlint.json",
        R"({"options": {"reorder-budget": {"max-reorders": 0, "max-share": 0}}})");
  EXPECT_EQ(budget({}), 1);
  std::string errors;
  EXPECT_EQ(
      check({"--no-config", "--option", "reorder-budget.max-reorders=lots"}, nullptr, &errors), 2);
  EXPECT_NE(errors.find("wants a number"), std::string::npos) << errors;
  EXPECT_EQ(check({"--no-config", "--option", "reorder-budget=3"}, nullptr, &errors), 2);
  EXPECT_NE(errors.find("--option wants RULE.OPTION=VALUE"), std::string::npos) << errors;
}

TEST_F(ConfigTest, SuppressByLayerNameGlob) {
  json report;
  check({"--no-config"}, &report);
  const json* target = nullptr;
  for (const json& f : report["files"][0]["findings"]) {
    if (f["layer"].is_object() && !target) target = &f;
  }
  ASSERT_TRUE(target) << "the sample model has a finding about a layer";
  std::string rule = (*target)["rule"], layer = (*target)["layer"]["name"];
  auto has = [&](const json& r) {
    for (const json& f : r["files"][0]["findings"]) {
      if (f["rule"] == rule && f["layer"].is_object() && f["layer"]["name"] == layer) return true;
    }
    return false;
  };
  size_t total = report["files"][0]["findings"].size();
  std::string glob = layer.substr(0, layer.size() / 2) + "*";
  for (const json& entry :
       {json{{"rule", rule}, {"layer", layer}}, json{{"rule", rule}, {"layer", glob}},
        json{{"layer", glob}, {"reason", "accepted"}}}) {
    write(root_ / "project/.irlint.json", json{{"suppress", {entry}}}.dump());
    json suppressed;
    check({}, &suppressed);
    EXPECT_FALSE(has(suppressed)) << entry.dump();
    EXPECT_LT(suppressed["files"][0]["findings"].size(), total) << entry.dump();
  }
  // A glob that matches nothing, or another rule, silences nothing.
  for (const json& entry :
       {json{{"rule", rule}, {"layer", layer + "?"}},
        json{{"rule", rule == "reorder-insertion" ? "padded-channels" : "reorder-insertion"},
             {"layer", layer}}}) {
    write(root_ / "project/.irlint.json", json{{"suppress", {entry}}}.dump());
    json kept;
    check({}, &kept);
    EXPECT_TRUE(has(kept)) << entry.dump();
  }
}

}  // namespace
}  // namespace irlint
