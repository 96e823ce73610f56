// The per-rule testdata harness: every testdata/rules/<rule-name>/*.xml carries its expected
// findings as XML comments, bound to the element that follows the comment:
//
//   <!-- EXPECT: warning unfusable-activation {{cannot be fused into INT8 convolution}} -->
//   <!-- EXPECT-NOTE: {{the pattern is formed by}} -->   (a note of the EXPECT just above)
//   <!-- IRLINT-ARGS: --target openvino-2019.3:avx2 --select ALL -->   (anywhere)
//
// A finding matches an EXPECT when rule, severity and message substring match and the finding is
// on the line of the element after the comment; findings without a position (model-level, line 0)
// and those placed before `<net>` match an EXPECT written before `<net>`. Matching is strict: an
// unexpected finding fails, a missing one fails, and a comment that starts with EXPECT or IRLINT
// but does not parse fails. Like clang-tidy's check_clang_tidy, a file runs only the rule of its
// folder unless IRLINT-ARGS selects more (`--select ALL`), so a file without EXPECT must be silent
// for that rule. The target is openvino-2024.6:avx2 unless IRLINT-ARGS names one. Files named
// `*.xfail.xml` record behaviour the planner should have but does not yet; they are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "rule.hpp"
#include "target.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultTarget = "openvino-2024.6:avx2";

/// One expected finding, bound to the element after its comment.
struct Expectation {
  Severity severity = Severity::warning;
  std::string rule;
  std::string substring;
  std::vector<std::string> notes;  ///< substrings some note of the finding must contain
  uint32_t line = 0;               ///< line of the element the comment is bound to
  bool before_net = false;         ///< bound to `<net>`: matches findings with no position
  uint32_t comment_line = 0;
};

/// What a testdata file asks for.
struct Directives {
  std::vector<Expectation> expectations;
  std::vector<std::string> args;
  std::vector<std::string> errors;  ///< directives that do not parse
};

uint32_t line_of(std::string_view text, size_t offset) {
  return static_cast<uint32_t>(1 + std::count(text.begin(), text.begin() + offset, '\n'));
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

/// The offset of the first tag at or after `from`, comments, processing instructions and
/// declarations skipped, or npos. An end tag counts: malformed-xml reports mismatched end tags.
size_t next_element(std::string_view text, size_t from) {
  for (size_t at = text.find('<', from); at != std::string_view::npos;
       at = text.find('<', at + 1)) {
    if (text.substr(at, 4) == "<!--") {
      size_t end = text.find("-->", at + 4);
      if (end == std::string_view::npos) return std::string_view::npos;
      at = end + 2;
      continue;
    }
    if (at + 1 < text.size() && (std::isalpha(static_cast<unsigned char>(text[at + 1])) ||
                                 text[at + 1] == '_' || text[at + 1] == '/')) {
      return at;
    }
  }
  return std::string_view::npos;
}

/// Reads the EXPECT, EXPECT-NOTE and IRLINT-ARGS comments of a testdata file.
Directives parse_directives(std::string_view text) {
  static const std::regex kExpect(R"(EXPECT:\s+(\S+)\s+(\S+)\s+\{\{(.+)\}\})");
  static const std::regex kNote(R"(EXPECT-NOTE:\s+\{\{(.+)\}\})");
  static const std::regex kArgs(R"(IRLINT-ARGS:\s+(.+))");
  Directives d;
  for (size_t open = text.find("<!--"); open != std::string_view::npos;
       open = text.find("<!--", open + 4)) {
    size_t close = text.find("-->", open + 4);
    uint32_t comment_line = line_of(text, open);
    std::string body = trim(text.substr(
        open + 4, close == std::string_view::npos ? std::string_view::npos : close - open - 4));
    if (!body.starts_with("EXPECT") && !body.starts_with("IRLINT")) continue;
    auto error = [&](std::string_view why) {
      d.errors.push_back("line " + std::to_string(comment_line) + ": " + std::string(why) + ": '" +
                         body + "'");
    };
    if (close == std::string_view::npos) {
      error("comment is not closed");
      break;
    }
    std::smatch m;
    if (std::regex_match(body, m, kExpect)) {
      Expectation e;
      auto severity = parse_severity(m[1].str());
      if (!severity) {
        error("unknown severity");
        continue;
      }
      e.severity = *severity;
      e.rule = m[2].str();
      if (!find_rule(e.rule)) {
        error("unknown rule");
        continue;
      }
      e.substring = m[3].str();
      e.comment_line = comment_line;
      size_t element = next_element(text, close + 3);
      if (element == std::string_view::npos) {
        error("no element follows the comment");
        continue;
      }
      e.line = line_of(text, element);
      e.before_net = text.substr(element, 5) == "<net " || text.substr(element, 5) == "<net>";
      d.expectations.push_back(std::move(e));
    } else if (std::regex_match(body, m, kNote)) {
      if (d.expectations.empty()) {
        error("EXPECT-NOTE without an EXPECT before it");
        continue;
      }
      d.expectations.back().notes.push_back(m[1].str());
    } else if (std::regex_match(body, m, kArgs)) {
      std::istringstream words(m[1].str());
      for (std::string w; words >> w;) d.args.push_back(w);
    } else {
      error("malformed directive");
    }
  }
  return d;
}

/// The target and rule settings that a file's IRLINT-ARGS ask for.
struct RunConfig {
  std::string target{kDefaultTarget};
  RuleSettings settings;
};

/// Parses --target, --select and --ignore (`--x value` or `--x=value`, lists comma-separated).
std::optional<RunConfig> parse_args(const std::vector<std::string>& args,
                                    const std::string& folder_rule, std::string* error) {
  RunConfig config;
  bool selected = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      *error = "option '" + name + "' needs a value";
      return std::nullopt;
    }
    std::vector<std::string> list;
    std::istringstream parts(value);
    for (std::string part; std::getline(parts, part, ',');) {
      if (!part.empty()) list.push_back(part);
    }
    if (name == "--target" || name == "-t") {
      config.target = value;
    } else if (name == "--select") {
      selected = true;
      config.settings.select.insert(config.settings.select.end(), list.begin(), list.end());
    } else if (name == "--ignore") {
      config.settings.ignore.insert(config.settings.ignore.end(), list.begin(), list.end());
    } else {
      *error = "unsupported IRLINT-ARGS option '" + name + "' (--target, --select, --ignore)";
      return std::nullopt;
    }
  }
  if (!selected) config.settings.select.push_back(folder_rule);
  return config;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path testdata_root() { return fs::path(IRLINT_SOURCE_DIR) / "testdata" / "rules"; }

/// Every testdata file, `*.xfail.xml` excluded, sorted.
std::vector<fs::path> testdata_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(testdata_root(), ec)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || p.extension() != ".xml") continue;
    if (p.filename().string().ends_with(".xfail.xml")) continue;
    files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string describe(const Finding& f) {
  std::string s = std::to_string(f.pos.line) + ":" + std::to_string(f.pos.column) + ": " +
                  std::string(to_string(f.severity)) + ": " + f.message + " [" +
                  std::string(rule_name(f)) + "]";
  for (const Note& n : f.notes) s += "\n    note: " + n.message;
  return s;
}

bool matches(const Expectation& e, const Finding& f) {
  if (rule_name(f) != e.rule || f.severity != e.severity) return false;
  if (f.message.find(e.substring) == std::string::npos) return false;
  bool line_ok = f.pos.line == e.line || (e.before_net && f.pos.line < e.line);
  if (!line_ok) return false;
  return std::all_of(e.notes.begin(), e.notes.end(), [&](const std::string& want) {
    return std::any_of(f.notes.begin(), f.notes.end(),
                       [&](const Note& n) { return n.message.find(want) != std::string::npos; });
  });
}

class RuleTestdata : public ::testing::TestWithParam<fs::path> {};

TEST_P(RuleTestdata, FindingsMatchExpectations) {
  const fs::path& path = GetParam();
  std::string folder_rule = path.parent_path().filename().string();
  ASSERT_NE(find_rule(folder_rule), nullptr)
      << "testdata folder '" << folder_rule << "' is not the name of a registered rule";
  std::string text = read_text(path);
  Directives d = parse_directives(text);
  for (const std::string& e : d.errors) ADD_FAILURE() << path.string() << ": " << e;
  ASSERT_TRUE(d.errors.empty());
  std::string error;
  auto config = parse_args(d.args, folder_rule, &error);
  ASSERT_TRUE(config) << path.string() << ": " << error;
  auto target = parse_target(config->target, &error);
  ASSERT_TRUE(target) << path.string() << ": " << error;

  auto model = read_ir(path.string());
  std::optional<Plan> predicted;
  if (!model->fatal) predicted = plan(*model, *target);
  std::vector<Finding> findings = lint(*model, predicted ? &*predicted : nullptr, config->settings);

  std::vector<bool> used(findings.size(), false);
  for (const Expectation& e : d.expectations) {
    bool found = false;
    for (size_t i = 0; i < findings.size() && !found; ++i) {
      if (!used[i] && matches(e, findings[i])) used[i] = found = true;
    }
    EXPECT_TRUE(found) << path.string() << ":" << e.comment_line << ": expected "
                       << to_string(e.severity) << " [" << e.rule << "] {{" << e.substring
                       << "}} at line " << e.line << (e.before_net ? " (model level)" : "")
                       << (e.notes.empty() ? "" : " with its notes") << ", not found";
  }
  for (size_t i = 0; i < findings.size(); ++i) {
    EXPECT_TRUE(used[i]) << path.string() << ": unexpected finding on " << target->name() << ":\n  "
                         << describe(findings[i]);
  }
}

std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name =
      info.param.parent_path().filename().string() + "__" + info.param.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleTestdata, ::testing::ValuesIn(testdata_files()), test_name);

// The harness itself: directives that do not parse must fail, bindings must be by element.

TEST(RuleTestdataHarness, BindsExpectationToTheNextElement) {
  Directives d = parse_directives(
      "<net version=\"11\">\n"
      "  <!-- EXPECT: error dangling-edge {{does not exist}} -->\n"
      "  <!-- EXPECT-NOTE: {{first use}} -->\n"
      "\n"
      "  <edge from-layer=\"0\"/>\n"
      "</net>\n");
  ASSERT_TRUE(d.errors.empty());
  ASSERT_EQ(d.expectations.size(), 1u);
  EXPECT_EQ(d.expectations[0].line, 5u);
  EXPECT_EQ(d.expectations[0].rule, "dangling-edge");
  EXPECT_EQ(d.expectations[0].severity, Severity::error);
  EXPECT_EQ(d.expectations[0].substring, "does not exist");
  EXPECT_EQ(d.expectations[0].notes, std::vector<std::string>{"first use"});
  EXPECT_FALSE(d.expectations[0].before_net);
}

TEST(RuleTestdataHarness, ExpectationBeforeNetIsModelLevel) {
  Directives d = parse_directives(
      "<?xml version=\"1.0\"?>\n<!-- EXPECT: warning reorder-budget {{grows by}} -->\n<net>\n");
  ASSERT_EQ(d.expectations.size(), 1u);
  EXPECT_TRUE(d.expectations[0].before_net);
  Finding f;
  f.rule = find_rule("reorder-budget");
  f.severity = Severity::warning;
  f.message = "the execution graph grows by 9 Reorders";
  EXPECT_TRUE(matches(d.expectations[0], f));
  f.pos = {7, 3};
  EXPECT_FALSE(matches(d.expectations[0], f));
}

TEST(RuleTestdataHarness, MalformedDirectivesAreErrors) {
  for (std::string_view bad : {
           "<!-- EXPECT: warning reorder-insertion a Reorder -->\n<a/>",  // no {{}}
           "<!-- EXPECT: fatal reorder-insertion {{x}} -->\n<a/>",        // bad severity
           "<!-- EXPECT: warning no-such-rule {{x}} -->\n<a/>",           // unknown rule
           "<!-- EXPECT-NOTE: {{x}} -->\n<a/>",                           // note without EXPECT
           "<!-- EXPECTS: warning reorder-insertion {{x}} -->\n<a/>",     // misspelt
           "<!-- IRLINT-ARG: --target openvino-2019.3:avx2 -->\n<a/>",    // misspelt
           "<a>\n<!-- EXPECT: warning reorder-insertion {{x}} -->\n",     // nothing to bind
       }) {
    EXPECT_EQ(parse_directives(bad).errors.size(), 1u) << bad;
  }
  EXPECT_TRUE(parse_directives("<!-- an ordinary comment about EXPECT -->\n<a/>").errors.empty());
}

TEST(RuleTestdataHarness, ArgsSelectTheFolderRuleUnlessTold) {
  std::string error;
  auto config = parse_args({}, "graph-cycle", &error);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->target, kDefaultTarget);
  EXPECT_EQ(config->settings.select, std::vector<std::string>{"graph-cycle"});
  config = parse_args({"--target", "openvino-2019.3:avx2", "--select=ALL", "--ignore", "IRL5"},
                      "graph-cycle", &error);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->target, "openvino-2019.3:avx2");
  EXPECT_EQ(config->settings.select, std::vector<std::string>{"ALL"});
  EXPECT_EQ(config->settings.ignore, std::vector<std::string>{"IRL5"});
  EXPECT_FALSE(parse_args({"--format", "json"}, "graph-cycle", &error));
  EXPECT_FALSE(parse_args({"--target"}, "graph-cycle", &error));
}

// unreadable-file cannot be written as an XML testdata file: it is about the file itself.
TEST(RuleTestdataHarness, UnreadableFileIsReported) {
  for (const fs::path& path :
       {testdata_root() / "unreadable-file" / "does-not-exist.xml", testdata_root()}) {
    auto model = read_ir(path.string());
    RuleSettings settings;
    settings.select = {"unreadable-file"};
    std::vector<Finding> findings = lint(*model, nullptr, settings);
    ASSERT_EQ(findings.size(), 1u) << path;
    EXPECT_EQ(rule_name(findings[0]), "unreadable-file");
    EXPECT_EQ(findings[0].severity, Severity::error);
    EXPECT_TRUE(model->fatal);
  }
}

}  // namespace
}  // namespace irlint
