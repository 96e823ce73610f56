// The renderers: every format is checked by reading it back (a JSON schema, pugixml, the SARIF
// Multitool), and all formats must carry the same findings.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <tuple>

#include "app.hpp"
#include "report.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSample =
    std::string(IRLINT_SOURCE_DIR) + "/testdata/models/mnv3-small-int8-decomposed.xml";

std::string render_to_string(const std::vector<FileReport>& reports, Format format) {
  RenderOptions options;
  options.format = format;
  options.target = "openvino-2019.3:avx2";
  std::ostringstream out;
  render(reports, options, out);
  return out.str();
}

/// Two files: one with findings whose texts hold every character a format must escape, one clean.
std::vector<FileReport> tricky_reports() {
  FileReport a;
  a.path = "models/a,b:c%d.xml";
  Finding f1;
  f1.rule = find_rule("reorder-insertion");
  f1.severity = Severity::warning;
  f1.pos = {12, 5};
  f1.layer_id = 7;
  f1.layer_name = "conv<1>&\"x\"";
  f1.layer_type = "Convolution";
  f1.message = "50% of time: a Reorder, then\nanother\r";
  f1.notes.push_back({"edge 3:0 -> 4:1, here", {14, 7}});
  f1.notes.push_back({"a note without a position", {}});
  f1.fix = "keep nChw8c <end>";
  Finding f2;
  f2.rule = find_rule("unfusable-activation");
  f2.severity = Severity::error;
  f2.pos = {30, 9};
  f2.message = "a plain one";
  f2.status = Status::not_observable;
  f2.evidence = "observed: ref_any";
  Finding f3;
  f3.rule = find_rule("reorder-budget");
  f3.severity = Severity::note;
  f3.message = "no position at all";
  a.findings = {f1, f2, f3};
  FileReport b;
  b.path = "models/clean.xml";
  return {a, b};
}

TEST(RenderGithub, EscapesPercentNewlineCommaAndColon) {
  std::string out = render_to_string(tricky_reports(), Format::github);
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << out;  // one command per finding: no raw newline leaks
  // A newline or CR inside a message is escaped as text (it came from the model); the lines
  // irlint adds for notes and the fix are the workflow command's %0A.
  EXPECT_EQ(
      lines[0],
      "::warning file=models/a%2Cb%3Ac%25d.xml,line=12,col=5,title=IRL" +
          std::string(find_rule("reorder-insertion")->info.code.substr(3)) +
          " reorder-insertion::50%25 of time: a Reorder, then\\nanother\\r%0Anote: edge 3:0 -> "
          "4:1, here%0Anote: a note without a position%0Afix: keep nChw8c <end>");
  EXPECT_TRUE(lines[1].starts_with("::error file=models/a%2Cb%3Ac%25d.xml,line=30,col=9,title="));
  // No position: no line or col property rather than line=0.
  EXPECT_TRUE(lines[2].starts_with("::notice file=models/a%2Cb%3Ac%25d.xml,title=")) << lines[2];
  EXPECT_EQ(lines[2].find("line="), std::string::npos);
}

TEST(RenderJunit, ParsesBackWithOneFailurePerFinding) {
  std::vector<FileReport> reports = tricky_reports();
  std::string out = render_to_string(reports, Format::junit);
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_string(out.c_str());
  ASSERT_TRUE(parsed) << parsed.description() << "\n" << out;
  pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite.attribute("tests").as_int(), 2);
  EXPECT_EQ(suite.attribute("failures").as_int(), 1);  // one file has findings
  std::vector<pugi::xml_node> cases;
  for (pugi::xml_node c : suite.children("testcase")) cases.push_back(c);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_STREQ(cases[0].attribute("name").value(), "models/a,b:c%d.xml");
  EXPECT_STREQ(cases[1].attribute("name").value(), "models/clean.xml");
  EXPECT_FALSE(cases[1].child("failure"));
  size_t i = 0;
  for (pugi::xml_node failure : cases[0].children("failure")) {
    ASSERT_LT(i, reports[0].findings.size());
    const Finding& f = reports[0].findings[i++];
    EXPECT_EQ(failure.attribute("type").value(), std::string(rule_name(f)));
    std::string message = failure.attribute("message").value();
    EXPECT_NE(message.find(std::string(to_string(f.severity))), std::string::npos) << message;
    if (f.pos.line) {
      EXPECT_TRUE(
          message.starts_with(fmt::format("{}:{}:{}: ", reports[0].path, f.pos.line, f.pos.column)))
          << message;
    }
  }
  EXPECT_EQ(i, reports[0].findings.size());
  // Special characters come back intact.
  std::string first = cases[0].child("failure").attribute("message").value();
  EXPECT_NE(first.find("50% of time"), std::string::npos);
  EXPECT_NE(std::string(cases[0].child("failure").child_value()).find("fix: keep nChw8c <end>"),
            std::string::npos);
}

/// Validates `value` against the subset of JSON Schema that docs/json-schema.json uses; appends
/// one message per violation with its JSON pointer.
void validate(const json& value, const json& schema, const json& root, const std::string& where,
              std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"].get<std::string>();
    ASSERT_TRUE(ref.starts_with("#/")) << ref;
    validate(value, root.at(json::json_pointer(ref.substr(1))), root, where, errors);
    return;
  }
  auto fail = [&](const std::string& what) { errors.push_back(where + ": " + what); };
  if (schema.contains("const") && value != schema["const"])
    fail("expected " + schema["const"].dump());
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == value;
    if (!found) fail("not one of " + schema["enum"].dump());
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    for (const json& alternative : schema["oneOf"]) {
      std::vector<std::string> sub;
      validate(value, alternative, root, where, sub);
      matches += sub.empty();
    }
    if (matches != 1) fail("matches " + std::to_string(matches) + " alternatives of oneOf");
  }
  if (schema.contains("type")) {
    std::string type = schema["type"];
    bool ok = type == "object"    ? value.is_object()
              : type == "array"   ? value.is_array()
              : type == "string"  ? value.is_string()
              : type == "integer" ? value.is_number_integer()
              : type == "boolean" ? value.is_boolean()
              : type == "null"    ? value.is_null()
                                  : false;
    if (!ok) return fail("expected " + type + ", got " + value.type_name());
  }
  if (schema.contains("minimum") && value.is_number() &&
      value.get<double>() < schema["minimum"].get<double>()) {
    fail("below the minimum");
  }
  if (schema.contains("pattern") && value.is_string() &&
      !std::regex_search(value.get<std::string>(),
                         std::regex(schema["pattern"].get<std::string>()))) {
    fail("'" + value.get<std::string>() + "' does not match " +
         schema["pattern"].get<std::string>());
  }
  if (value.is_object()) {
    for (const json& key : schema.value("required", json::array())) {
      if (!value.contains(key.get<std::string>())) fail("missing '" + key.get<std::string>() + "'");
    }
    json properties = schema.value("properties", json::object());
    for (auto& [key, item] : value.items()) {
      if (properties.contains(key)) {
        validate(item, properties[key], root, where + "/" + key, errors);
      } else if (schema.value("additionalProperties", true) == false) {
        fail("unexpected key '" + key + "'");
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      validate(value[i], schema["items"], root, where + "/" + std::to_string(i), errors);
    }
  }
}

std::vector<std::string> schema_errors(const std::string& text) {
  std::ifstream in(std::string(IRLINT_SOURCE_DIR) + "/docs/json-schema.json");
  json schema = json::parse(in);
  json doc = json::parse(text);
  std::vector<std::string> errors;
  validate(doc, schema, schema, "", errors);
  return errors;
}

TEST(RenderJson, ValidatesAgainstTheSchema) {
  std::string out = render_to_string(tricky_reports(), Format::json);
  std::vector<std::string> errors = schema_errors(out);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors) << "\n" << out;
  json doc = json::parse(out);
  EXPECT_EQ(doc["files"][0]["findings"][0]["layer"]["name"], "conv<1>&\"x\"");
  EXPECT_TRUE(doc["files"][0]["findings"][1]["layer"].is_null());
  EXPECT_EQ(doc["summary"]["errors"], 1);
  EXPECT_EQ(doc["summary"]["warnings"], 1);
  EXPECT_EQ(doc["summary"]["notes"], 1);
}

TEST(RenderJson, SchemaValidatorRejectsBrokenReports) {
  // The validator must be able to fail, or the test above proves nothing.
  json doc = json::parse(render_to_string(tricky_reports(), Format::json));
  doc["files"][0]["findings"][0].erase("rule");
  doc["files"][0]["findings"][1]["severity"] = "fatal";
  doc["files"][0]["findings"][2]["code"] = "X1";
  doc["summary"]["extra"] = 1;
  EXPECT_EQ(schema_errors(doc.dump()).size(), 4u)
      << ::testing::PrintToString(schema_errors(doc.dump()));
}

/// The (rule, line) pairs of a report, per format, read back from the rendered text.
using Key = std::tuple<std::string, uint32_t>;

std::vector<Key> keys_from_text(const std::string& out) {
  std::vector<Key> keys;
  std::regex re(R"(^\S+?:(\d+):\d+: (?:error|warning|note): .* \[([a-z0-9-]+)\]( \(.*\))?$)");
  std::regex no_pos(R"(^\S+\.xml: (?:error|warning|note): .* \[([a-z0-9-]+)\]( \(.*\))?$)");
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, re))
      keys.emplace_back(m[2], std::stoul(m[1]));
    else if (std::regex_match(line, m, no_pos))
      keys.emplace_back(m[1], 0);
  }
  return keys;
}

std::vector<Key> keys_from_json(const std::string& out) {
  std::vector<Key> keys;
  json doc = json::parse(out);
  for (const json& file : doc["files"]) {
    for (const json& f : file["findings"]) keys.emplace_back(f["rule"], f["line"]);
  }
  return keys;
}

std::vector<Key> keys_from_sarif(const std::string& out) {
  std::vector<Key> keys;
  json doc = json::parse(out);
  const json& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  for (const json& r : doc["runs"][0]["results"]) {
    const json& rule = rules.at(r["ruleIndex"].get<size_t>());
    EXPECT_EQ(rule["id"], r["ruleId"]);
    const json& loc = r["locations"][0]["physicalLocation"];
    keys.emplace_back(rule["name"],
                      loc.contains("region") ? loc["region"]["startLine"].get<uint32_t>() : 0);
  }
  return keys;
}

std::vector<Key> keys_from_github(const std::string& out) {
  std::vector<Key> keys;
  std::regex re(
      R"(^::(?:error|warning|notice) file=[^,]*(?:,line=(\d+),col=\d+)?,title=IRL\d+ ([a-z0-9-]+)::.*$)");
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    EXPECT_TRUE(std::regex_match(line, m, re)) << line;
    keys.emplace_back(m[2], m[1].matched ? std::stoul(m[1]) : 0);
  }
  return keys;
}

std::vector<Key> keys_from_junit(const std::string& out) {
  std::vector<Key> keys;
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(out.c_str()));
  std::regex loc(R"(^\S+?\.xml(?::(\d+):\d+)?: )");
  for (pugi::xml_node c : doc.child("testsuites").child("testsuite").children("testcase")) {
    for (pugi::xml_node f : c.children("failure")) {
      std::smatch m;
      std::string message = f.attribute("message").value();
      EXPECT_TRUE(std::regex_search(message, m, loc)) << message;
      keys.emplace_back(f.attribute("type").value(), m[1].matched ? std::stoul(m[1]) : 0);
    }
  }
  return keys;
}

/// Runs `irlint check` in-process and returns its standard output.
std::string check(std::vector<std::string> args, int* status = nullptr) {
  std::vector<const char*> argv = {"irlint", "check", "--no-config"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int rc = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  if (status) *status = rc;
  return out.str();
}

TEST(RenderFormats, CarryTheSameFindingsForTheSampleModel) {
  std::vector<Key> text = keys_from_text(check({kSample, "--target", "openvino-2019.3:avx2"}));
  ASSERT_GE(text.size(), 2u);
  auto with = [&](const char* format) {
    return check({kSample, "--target", "openvino-2019.3:avx2", "--format", format});
  };
  EXPECT_EQ(keys_from_json(with("json")), text);
  EXPECT_EQ(keys_from_sarif(with("sarif")), text);
  EXPECT_EQ(keys_from_github(with("github")), text);
  EXPECT_EQ(keys_from_junit(with("junit")), text);
  EXPECT_TRUE(schema_errors(with("json")).empty())
      << ::testing::PrintToString(schema_errors(with("json")));
}

TEST(RenderFormats, CarryTheSameFindingsForABrokenModel) {
  // An input error (a finding of family IRL0) travels through every format too.
  fs::path dir = fs::temp_directory_path() / ("irlint-render-broken-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "broken.xml")
      << "<?xml version=\"1.0\"?>\n<net name=\"x\" version=\"10\">\n<layers>\n";
  std::vector<Key> text = keys_from_text(check({(dir / "broken.xml").string()}));
  ASSERT_FALSE(text.empty());
  for (const char* format : {"json", "sarif", "github", "junit"}) {
    std::string out = check({(dir / "broken.xml").string(), "--format", format});
    std::vector<Key> keys = std::string(format) == "json"     ? keys_from_json(out)
                            : std::string(format) == "sarif"  ? keys_from_sarif(out)
                            : std::string(format) == "github" ? keys_from_github(out)
                                                              : keys_from_junit(out);
    EXPECT_EQ(keys, text) << format;
  }
  fs::remove_all(dir);
}

/// The SARIF Multitool installed by .ci/setup, or by IRLINT_SARIF_MULTITOOL.
std::string sarif_multitool() {
  if (const char* env = std::getenv("IRLINT_SARIF_MULTITOOL")) return env;
  fs::path bin = fs::path(IRLINT_SOURCE_DIR) / "build-tools/node_modules/.bin/sarif-multitool";
  return fs::exists(bin) ? bin.string() : "";
}

/// Validates a SARIF file with the Multitool; returns the error results it reports.
std::vector<std::string> multitool_errors(const fs::path& sarif, int* status) {
  fs::path log = sarif.parent_path() / (sarif.stem().string() + ".validation.sarif");
  std::string command = fmt::format(
      "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 '{}' validate --log ForceOverwrite --output '{}' "
      "'{}' >'{}.out' 2>&1",
      sarif_multitool(), log.string(), sarif.string(), log.string());
  int rc = std::system(command.c_str());
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::vector<std::string> errors;
  std::ifstream in(log);
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::ifstream console(log.string() + ".out");
    std::stringstream text;
    text << console.rdbuf();
    errors.push_back("no validation log; the Multitool said: " + text.str());
    return errors;
  }
  for (const json& run : doc["runs"]) {
    for (const json& r : run.value("results", json::array())) {
      if (r.value("level", "warning") == "error") {
        errors.push_back(r["ruleId"].get<std::string>() + ": " + r["message"].dump());
      }
    }
    // Tool failures (a schema that did not load, a file it could not read) are notifications.
    for (const json& inv : run.value("invocations", json::array())) {
      for (const json& n : inv.value("toolExecutionNotifications", json::array())) {
        if (n.value("level", "warning") == "error")
          errors.push_back("tool: " + n["message"].dump());
      }
    }
  }
  return errors;
}

TEST(RenderSarif, PassesTheSarifMultitool) {
  if (sarif_multitool().empty()) {
    if (std::getenv("CI")) FAIL() << "the SARIF Multitool is missing: run .ci/setup";
    GTEST_SKIP()
        << "the SARIF Multitool is not installed (.ci/setup installs it into build-tools/)";
  }
  fs::path dir = fs::temp_directory_path() / ("irlint-sarif-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // A real report of the sample model, and the tricky hand-made one (notes, no positions).
  int rc = 0;
  check({kSample, "--target", "openvino-2019.3:avx2", "--format", "sarif", "-o",
         (dir / "sample.sarif").string()},
        &rc);
  ASSERT_EQ(rc, 1);
  std::ofstream(dir / "tricky.sarif") << render_to_string(tricky_reports(), Format::sarif);
  for (const char* name : {"sample.sarif", "tricky.sarif"}) {
    int status = 0;
    std::vector<std::string> errors = multitool_errors(dir / name, &status);
    EXPECT_TRUE(errors.empty()) << name << ": " << ::testing::PrintToString(errors);
    EXPECT_EQ(status, 0) << name;
  }
  // Paths with characters a URI must escape come out percent-encoded.
  json tricky = json::parse(render_to_string(tricky_reports(), Format::sarif));
  EXPECT_EQ(tricky["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                  ["uri"],
            "models/a%2Cb%3Ac%25d.xml");
  // And it does reject a broken SARIF file, so a pass means something. (Its exit status is 0
  // either way; the errors are in its log.)
  json broken = json::parse(render_to_string(tricky_reports(), Format::sarif));
  broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  broken["runs"][0]["results"][1]["message"]["text"] = 5;
  std::ofstream(dir / "broken.sarif") << broken.dump();
  int status = 0;
  EXPECT_GE(multitool_errors(dir / "broken.sarif", &status).size(), 2u)
      << ::testing::PrintToString(multitool_errors(dir / "broken.sarif", &status));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace irlint
