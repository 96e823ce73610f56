// The real `irlint` binary: golden text output, exit codes, folder walks, baselines, colour.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "app.hpp"
#include "test_util.hpp"
#include "threads.hpp"

namespace {

using irlint::test::read_file;

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = IRLINT_SOURCE_DIR;
const std::string kSampleRel = "testdata/models/mnv3-small-int8-decomposed.xml";
const std::string kTarget = "openvino-2019.3:avx2";

/// What one run of the binary printed and returned.
struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

/// A scratch folder per test, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           fmt::format("irlint-cli-{}-{}-{}", info->test_suite_name(), info->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  /// Runs a shell command in `cwd`, its output to files (so never a terminal).
  Outcome shell(const std::string& command, const fs::path& cwd = kSource) const {
    std::string line = fmt::format("cd '{}' && ( {} ) >'{}' 2>'{}' </dev/null", cwd.string(),
                                   command, (dir_ / "stdout").string(), (dir_ / "stderr").string());
    int rc = std::system(line.c_str());
    Outcome run;
    run.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    run.out = read_file(dir_ / "stdout");
    run.err = read_file(dir_ / "stderr");
    return run;
  }

  /// Runs `env irlint args` in `cwd` (the source folder by default).
  Outcome irlint(const std::string& args, const std::string& env = "NO_COLOR=1",
                 const fs::path& cwd = kSource) const {
    return shell(fmt::format("{} '{}' {}", env, IRLINT_BINARY, args), cwd);
  }

  /// Copies the sample model (xml and bin) to `to` (a path without extension).
  void copy_sample(const fs::path& to) const {
    fs::create_directories(to.parent_path());
    fs::copy_file(kSource / kSampleRel, to.string() + ".xml", fs::copy_options::overwrite_existing);
    fs::copy_file(kSource / "testdata/models/mnv3-small-int8-decomposed.bin", to.string() + ".bin",
                  fs::copy_options::overwrite_existing);
  }

  fs::path dir_;
};

TEST_F(CliTest, TextOutputMatchesTheGoldenFile) {
  Outcome run = irlint(fmt::format("check {} --target {} --no-config", kSampleRel, kTarget));
  EXPECT_EQ(run.status, 1) << run.err;
  fs::path golden = kSource / "testdata/golden/mnv3-small-int8-decomposed.openvino-2019.3-avx2.txt";
  if (std::getenv("IRLINT_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << run.out;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << "run the test with IRLINT_UPDATE_GOLDEN=1 to create "
                                  << golden;
  EXPECT_EQ(run.out, read_file(golden))
      << "if the change is intended, rerun with IRLINT_UPDATE_GOLDEN=1 and review the diff";
}

TEST_F(CliTest, OutputToAPipeHasNoEscapeCodesEvenWithoutNoColor) {
  Outcome run = irlint(fmt::format("check {} --target {} --no-config", kSampleRel, kTarget),
                       "env -u NO_COLOR");
  EXPECT_EQ(run.status, 1);
  EXPECT_FALSE(run.out.empty());
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos);
}

TEST_F(CliTest, ColourOnlyOnATerminalAndNotWithNoColor) {
  // script(1) gives the binary a pseudo-terminal as its standard output.
  if (std::system("command -v script >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "script(1) is not installed";
  auto on_tty = [&](const std::string& env) {
    std::string inner = fmt::format("cd {} && {} {} check {} --target {} --no-config",
                                    kSource.string(), env, IRLINT_BINARY, kSampleRel, kTarget);
    std::string command = fmt::format("script -qec \"{}\" /dev/null >'{}' 2>&1 </dev/null", inner,
                                      (dir_ / "tty").string());
    std::system(command.c_str());
    return read_file(dir_ / "tty");
  };
  std::string coloured = on_tty("env -u NO_COLOR");
  EXPECT_NE(coloured.find("\x1b["), std::string::npos) << coloured;
  std::string plain = on_tty("env NO_COLOR=1");
  EXPECT_NE(plain.find("warning"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("\x1b["), std::string::npos) << plain;
}

TEST_F(CliTest, FailOnSetsTheExitStatus) {
  // Severities come from the JSON report of the same run, so the test follows the rules.
  Outcome json_run =
      irlint(fmt::format("check {} --target {} --no-config --format json", kSampleRel, kTarget));
  json doc = json::parse(json_run.out);
  bool errors = doc["summary"]["errors"] > 0, warnings = doc["summary"]["warnings"] > 0,
       notes = doc["summary"]["notes"] > 0;
  ASSERT_TRUE(warnings || errors);
  auto status = [&](const std::string& extra) {
    return irlint(fmt::format("check {} --target {} --no-config {}", kSampleRel, kTarget, extra))
        .status;
  };
  EXPECT_EQ(status("--fail-on error"), errors ? 1 : 0);
  EXPECT_EQ(status("--fail-on warning"), errors || warnings ? 1 : 0);
  EXPECT_EQ(status(""), errors || warnings ? 1 : 0);  // warning is the default
  EXPECT_EQ(status("--fail-on note"), errors || warnings || notes ? 1 : 0);
  EXPECT_EQ(status("--fail-on never"), 0);
  // Lowering every rule to note: only --fail-on note fails.
  std::string all_notes;
  for (const json& file : doc["files"]) {
    for (const json& f : file["findings"])
      all_notes += " --severity " + f["rule"].get<std::string>() + "=note";
  }
  EXPECT_EQ(status(all_notes + " --fail-on warning"), 0);
  EXPECT_EQ(status(all_notes + " --fail-on note"), 1);
  EXPECT_EQ(status("--fail-on sometimes"), 2);
}

TEST_F(CliTest, UsageErrorsExitTwoWithAMessage) {
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"check " + kSampleRel + " --format yaml", "unknown format 'yaml'"},
           {"check " + kSampleRel + " --select IRL9", "'IRL9' matches no rule"},
           {"check " + kSampleRel + " --ignore no-such-rule", "'no-such-rule' matches no rule"},
           {"check " + kSampleRel + " --severity reorder-insertion=fatal", "--severity wants"},
           {"check " + kSampleRel + " --option reorder-insertion.nope=1", "--option wants"},
           {"check " + kSampleRel + " --target openvino-1999.1:avx2", ""},
           {"check no/such/model.xml", ""},
           {"check --bin x.bin testdata/models testdata/models", "--bin applies to a single model"},
           {"check " + kSampleRel + " --baseline no-such-baseline.json",
            "cannot read the baseline 'no-such-baseline.json': No such file or directory"},
           {"frobnicate", ""},
       }) {
    Outcome run = irlint(c.args + " --no-config");
    EXPECT_EQ(run.status, 2) << c.args << "\n" << run.out << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << c.args << "\n" << run.err;
    // Usage errors go to stderr; an unreadable model is a finding on stdout.
    EXPECT_FALSE(run.err.empty() && run.out.empty()) << c.args;
  }
}

TEST_F(CliTest, FolderWalkIsSortedAndTheSameWithTwoJobs) {
  copy_sample(dir_ / "models/b/second");
  copy_sample(dir_ / "models/a/first");
  copy_sample(dir_ / "models/c");
  fs::path corpus = IRLINT_CORPUS_DIR;
  for (const char* name :
       {"mnv2-tf-int8-v11", "ssd-mnv2-coco-v6", "face-det-retail-0004-int8-v3"}) {
    if (!fs::exists(corpus / name)) continue;
    // File by file: the corpus is read-only and the copies must be removable.
    fs::create_directories(dir_ / "models/corpus" / name);
    for (const fs::directory_entry& e : fs::directory_iterator(corpus / name)) {
      fs::path to = dir_ / "models/corpus" / name / e.path().filename();
      fs::copy_file(e.path(), to);
      fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    }
  }
  for (const char* format : {"text", "json", "junit"}) {
    Outcome one = irlint(fmt::format("check models --target {} --format {} -j 1", kTarget, format),
                         "NO_COLOR=1", dir_);
    Outcome two = irlint(fmt::format("check models --target {} --format {} -j 2", kTarget, format),
                         "NO_COLOR=1", dir_);
    EXPECT_EQ(one.status, two.status) << format;
    EXPECT_EQ(one.out, two.out) << format;
    EXPECT_FALSE(one.out.empty());
  }
  json doc = json::parse(irlint(fmt::format("check models -j 2 --format json --target {}", kTarget),
                                "NO_COLOR=1", dir_)
                             .out);
  std::vector<std::string> paths;
  for (const json& f : doc["files"]) paths.push_back(f["path"]);
  ASSERT_GE(paths.size(), 3u);
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end())) << ::testing::PrintToString(paths);
  EXPECT_EQ(paths.front(), "models/a/first.xml");
}

TEST_F(CliTest, JobsAreClampedToTheCores) {
  // -j 100000 started one thread per file (10,000 for a large folder) (issue 20, item 3).
  for (const char* name : {"a", "b", "c"}) copy_sample(dir_ / "models" / name);
  Outcome serial = irlint(fmt::format("check models --target {} -j 1 --fail-on never", kTarget),
                          "NO_COLOR=1", dir_);
  Outcome many =
      irlint(fmt::format("check models --target {} -j 100000 --fail-on never --stats", kTarget),
             "NO_COLOR=1", dir_);
  EXPECT_EQ(many.status, serial.status) << many.err;
  EXPECT_EQ(many.out, serial.out);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_NE(
      many.err.find(fmt::format("-j 100000 is more than the {} cores; using {}", cores, cores)),
      std::string::npos)
      << many.err;
  EXPECT_NE(many.err.find(fmt::format("{} jobs", std::min(cores, 3u))), std::string::npos)
      << many.err;
}

TEST_F(CliTest, NoThreadToBeHadIsASerialRunWithANote) {
  // In-process, every thread start refused as if the system had none left: the jobs, the
  // reader's and the lint's threads fall back to this one instead of std::terminate.
  for (const char* name : {"a", "b", "c"}) copy_sample(dir_ / "models" / name);
  std::string models = (dir_ / "models").string();
  auto run = [&](const char* jobs) {
    const char* argv[] = {"irlint", "check", models.c_str(), "--target", kTarget.c_str(),
                          "-j",     jobs,    "--fail-on",    "never",    "--no-config"};
    std::ostringstream out, err;
    Outcome o;
    o.status = irlint::run_cli(static_cast<int>(std::size(argv)), argv, out, err);
    o.out = out.str();
    o.err = err.str();
    return o;
  };
  Outcome serial = run("1");
  irlint::refuse_new_threads() = true;
  Outcome refused = run("2");
  irlint::refuse_new_threads() = false;
  EXPECT_EQ(refused.status, serial.status) << refused.err;
  EXPECT_EQ(refused.out, serial.out);
  if (std::thread::hardware_concurrency() > 1) {
    EXPECT_NE(refused.err.find("could start only 1 of 2 threads"), std::string::npos)
        << refused.err;
  }
}

TEST_F(CliTest, InputsBesideTheModelAreRegularFilesOfBoundedSize) {
  // Issue 20, item 11: /dev/zero as evidence or configuration was read until memory ran out, a
  // FIFO as evidence blocked forever, and an invalid configuration value was echoed whole.
  fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  fs::path big = dir_ / "big.txt";
  std::ofstream(big) << "x";
  fs::resize_file(big, (uint64_t{64} << 20) + 1);  // sparse: costs no disk
  fs::path big_config = dir_ / "big.json";
  std::ofstream(big_config) << "{}";
  fs::resize_file(big_config, (uint64_t{1} << 20) + 1);
  std::string model = (kSource / kSampleRel).string();
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {fmt::format("confirm '{}' --evidence /dev/zero", model), "not a regular file"},
           {fmt::format("confirm '{}' --evidence '{}'", model, fifo.string()),
            "not a regular file"},
           {fmt::format("confirm '{}' --evidence '{}'", model, big.string()),
            "larger than the 64 MiB"},
           {fmt::format("check '{}' --target {} --config /dev/zero", model, kTarget),
            "not a regular file"},
           {fmt::format("check '{}' --target {} --config '{}'", model, kTarget, fifo.string()),
            "not a regular file"},
           {fmt::format("check '{}' --target {} --config '{}'", model, kTarget,
                        big_config.string()),
            "larger than the 1 MiB"},
           {fmt::format("check '{}' --target {} --baseline /dev/zero", model, kTarget),
            "not a regular file"},
       }) {
    Outcome run = irlint(c.args, "NO_COLOR=1 timeout 20");
    EXPECT_EQ(run.status, 2) << c.args << "\n" << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << c.args << "\n" << run.err;
  }
  fs::path config = dir_ / "long.json";
  std::ofstream(config) << "{\"target\": \"" << std::string(500'000, 'x') << "\"}";
  Outcome run = irlint(fmt::format("check '{}' --config '{}'", model, config.string()));
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_NE(run.err.find("… (500000 bytes)"), std::string::npos) << run.err.substr(0, 1000);
  EXPECT_LT(run.err.size(), 1000u);
}

TEST_F(CliTest, ABrokenFileAmongGoodOnesExitsTwoAndTheOthersAreStillReported) {
  copy_sample(dir_ / "models/a");
  copy_sample(dir_ / "models/c");
  std::ofstream(dir_ / "models/b.xml")
      << "<?xml version=\"1.0\"?>\n<net name=\"b\" version=\"10\">\n  <layers>\n";
  Outcome run = irlint(fmt::format("check models --target {} -j 2 --fail-on never", kTarget),
                       "NO_COLOR=1", dir_);
  EXPECT_EQ(run.status, 2) << run.out << run.err;
  EXPECT_NE(run.out.find("models/a.xml:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("models/b.xml:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("models/c.xml:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("in 3 files"), std::string::npos) << run.out;
  // Without the broken file the same walk is not an input error.
  fs::remove(dir_ / "models/b.xml");
  EXPECT_EQ(
      irlint(fmt::format("check models --target {} --fail-on never", kTarget), "NO_COLOR=1", dir_)
          .status,
      0);
}

/// Inserts `text` right after the first line of an XML file (after the declaration).
void insert_after_first_line(const fs::path& path, const std::string& text) {
  std::string xml = read_file(path);
  size_t eol = xml.find('\n');
  std::ofstream(path, std::ios::binary) << xml.substr(0, eol + 1) << text << xml.substr(eol + 1);
}

TEST_F(CliTest, BaselineRoundTrip) {
  copy_sample(dir_ / "model");
  std::string check = fmt::format("check model.xml --target {} --no-config", kTarget);
  Outcome all = irlint(check + " --format json", "NO_COLOR=1", dir_);
  ASSERT_EQ(all.status, 1);
  size_t total = json::parse(all.out)["files"][0]["findings"].size();
  ASSERT_GT(total, 0u);

  Outcome write = irlint(check + " --write-baseline baseline.json", "NO_COLOR=1", dir_);
  EXPECT_EQ(write.status, 1);  // writing a baseline still reports what it found
  EXPECT_NE(write.err.find(fmt::format("wrote a baseline of {} findings", total)),
            std::string::npos)
      << write.err;
  json baseline = json::parse(read_file(dir_ / "baseline.json"));
  EXPECT_EQ(baseline["findings"].size(), total);

  Outcome same = irlint(check + " --baseline baseline.json --format json", "NO_COLOR=1", dir_);
  EXPECT_EQ(same.status, 0) << same.out << same.err;
  EXPECT_EQ(json::parse(same.out)["files"][0]["findings"].size(), 0u);

  // Re-exported with shifted lines: the baseline matches by file, rule and layer, not line.
  insert_after_first_line(dir_ / "model.xml", "\n\n\n<!-- re-exported -->\n\n");
  Outcome shifted = irlint(check + " --baseline baseline.json", "NO_COLOR=1", dir_);
  EXPECT_EQ(shifted.status, 0) << shifted.out << shifted.err;
  Outcome shifted_all = irlint(check + " --format json", "NO_COLOR=1", dir_);
  EXPECT_EQ(json::parse(shifted_all.out)["files"][0]["findings"].size(), total);
  // (The lines did move: the last finding is about a layer, and it is 5 lines further down.)
  EXPECT_EQ(json::parse(shifted_all.out)["files"][0]["findings"].back()["line"].get<int>(),
            json::parse(all.out)["files"][0]["findings"].back()["line"].get<int>() + 5);

  // One new problem: an edge to a layer that does not exist. Only it is reported.
  std::string xml = read_file(dir_ / "model.xml");
  size_t edges = xml.find("<edges>");
  ASSERT_NE(edges, std::string::npos);
  xml.insert(edges + 7,
             "\n    <edge from-layer=\"0\" from-port=\"0\" to-layer=\"999999\" to-port=\"0\"/>");
  std::ofstream(dir_ / "model.xml", std::ios::binary) << xml;
  Outcome extra =
      irlint(check + " --baseline baseline.json --format json --fail-on never", "NO_COLOR=1", dir_);
  json findings = json::parse(extra.out)["files"][0]["findings"];
  ASSERT_EQ(findings.size(), 1u) << extra.out;
  EXPECT_EQ(findings[0]["rule"], "dangling-edge");
  Outcome extra_all = irlint(check + " --format json --fail-on never", "NO_COLOR=1", dir_);
  EXPECT_EQ(json::parse(extra_all.out)["files"][0]["findings"].size(), total + 1);
}

TEST_F(CliTest, OutputFileGetsTheReportAndStdoutStaysEmpty) {
  Outcome run = irlint(fmt::format("check {} --target {} --no-config --format sarif -o '{}'",
                                   kSampleRel, kTarget, (dir_ / "out.sarif").string()));
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(run.out.empty()) << run.out;
  json doc = json::parse(read_file(dir_ / "out.sarif"));
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_FALSE(doc["runs"][0]["results"].empty());
}

/// The fenced ```sh blocks of a Markdown file that are marked to be tested (`# tested`).
std::vector<std::string> tested_commands(const fs::path& markdown) {
  std::vector<std::string> commands;
  std::istringstream in(read_file(markdown));
  bool in_block = false, tested = false;
  std::string block;
  for (std::string line; std::getline(in, line);) {
    if (!in_block && line == "```sh") {
      in_block = true;
      tested = false;
      block.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      if (tested) commands.push_back(block);
    } else if (in_block) {
      if (line == "# tested")
        tested = true;
      else
        block += line + "\n";
    }
  }
  return commands;
}

TEST_F(CliTest, CommandsInCiDocRunAsWritten) {
  // docs/ci.md marks the shell it shows with `# tested`; they run here in a copy of the layout
  // they expect (models/ with IRs, irlint on PATH).
  std::vector<std::string> commands = tested_commands(kSource / "docs/ci.md");
  ASSERT_GE(commands.size(), 2u);
  copy_sample(dir_ / "models/mnv3");
  fs::create_directories(dir_ / "bin");
  fs::create_symlink(IRLINT_BINARY, dir_ / "bin/irlint");
  for (const std::string& command : commands) {
    std::ofstream(dir_ / "step.sh") << "set -u\n" << command;
    Outcome run =
        shell(fmt::format("PATH='{}':\"$PATH\" bash step.sh", (dir_ / "bin").string()), dir_);
    // The steps gate on findings; the sample model has some, so 1 is the expected failure.
    EXPECT_TRUE(run.status == 0 || run.status == 1) << command << "\n" << run.out << run.err;
  }
  ASSERT_TRUE(fs::exists(dir_ / "irlint.sarif"));
  EXPECT_EQ(json::parse(read_file(dir_ / "irlint.sarif"))["version"], "2.1.0");
}

// Issue 20: outputs, encodings and walks under hostile input.

/// Whether `text` is well-formed XML (pugixml also refuses characters XML 1.0 forbids as raw
/// bytes only when asked, so U+FFFE/U+FFFF are checked by byte).
bool well_formed_xml(const std::string& text) {
  pugi::xml_document doc;
  bool parsed = doc.load_string(text.c_str());
  return parsed && text.find("\xef\xbf\xbe") == std::string::npos &&
         text.find("\xef\xbf\xbf") == std::string::npos &&
         std::none_of(text.begin(), text.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r';
         });
}

/// A model whose layer type and name carry a forged diagnostic line, terminal escape sequences,
/// a C1 control and characters XML 1.0 forbids, all written as character references.
void write_hostile_model(const fs::path& xml) {
  std::string text = read_file(kSource / "testdata/rules/unknown-op-type/misspelt-type.xml");
  auto replace = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  replace("type=\"Relu6\"",
          "type=\"Relu6&#10;forged.xml:1:1: error: forged [x]&#13;&#27;]0;title&#7;&#27;[2J"
          "&#x9B;&#xFFFE;&#xFFFF;\"");
  replace("name=\"relu\"", "name=\"relu&#10;::error::forged&#27;[31m&#xFFFE;\"");
  std::ofstream(xml, std::ios::binary) << text;
}

TEST_F(CliTest, AFailedWriteIsNeverSuccess) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  std::string model = fmt::format("{} --target {} --no-config", kSampleRel, kTarget);
  for (const std::string& args :
       {fmt::format("check {} >/dev/full", model), std::string("rules >/dev/full"),
        std::string("rules -f json >/dev/full"), fmt::format("info {} >/dev/full", kSampleRel),
        fmt::format("plan {} >/dev/full", kSampleRel), fmt::format("check {} -o /dev/full", model),
        fmt::format("check {} -f sarif -o /dev/full", model),
        fmt::format("check {} --write-baseline /dev/full", model),
        fmt::format("plan {} --dot /dev/full", kSampleRel),
        fmt::format("plan {} --exec-graph-out /dev/full", kSampleRel)}) {
    Outcome run = irlint(args);
    EXPECT_EQ(run.status, 2) << args << "\n" << run.err;
    EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << args << run.err;
    EXPECT_EQ(run.err.find("wrote a baseline"), std::string::npos) << args << run.err;
  }
}

TEST_F(CliTest, OutputsNeverReplaceAnInput) {
  copy_sample(dir_ / "m");
  fs::create_hard_link(dir_ / "m.bin", dir_ / "alias.txt");
  std::ofstream(dir_ / "c.json") << "{}";
  ASSERT_EQ(irlint("check m.xml --no-config --write-baseline b.json --target " + kTarget,
                   "NO_COLOR=1", dir_)
                .status,
            1);
  std::map<std::string, std::string> before;
  for (const char* name : {"m.xml", "m.bin", "c.json", "b.json"})
    before[name] = read_file(dir_ / name);
  for (const char* args :
       {"check m.xml --no-config -o m.xml", "check m.xml --no-config -f sarif -o m.bin",
        "check m.xml --no-config -o alias.txt", "check m.xml --no-config --write-baseline m.xml",
        "check m.xml --config c.json -o c.json",
        "check m.xml --no-config --baseline b.json --write-baseline b.json",
        "check m.xml --no-config --baseline b.json -o ./b.json", "plan m.xml --dot m.xml",
        "plan m.xml --exec-graph-out alias.txt"}) {
    Outcome run = irlint(args, "NO_COLOR=1", dir_);
    EXPECT_EQ(run.status, 2) << args << "\n" << run.err;
    EXPECT_NE(run.err.find("refusing to write"), std::string::npos) << args << "\n" << run.err;
  }
  for (const auto& [name, text] : before) EXPECT_EQ(read_file(dir_ / name), text) << name;
}

TEST_F(CliTest, AReportIsWrittenWholeOrNotAtAll) {
  copy_sample(dir_ / "m");
  std::ofstream(dir_ / "report.json") << "old";
  Outcome run = irlint("check m.xml --no-config -f json -o report.json --target " + kTarget,
                       "NO_COLOR=1", dir_);
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NO_THROW(json::parse(read_file(dir_ / "report.json")));
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".irlint-"), std::string::npos) << e.path();
}

TEST_F(CliTest, AFileNameThatIsNotUtf8IsEscapedInEveryFormat) {
  const std::string name = "m\xff";
  copy_sample(dir_ / name);
  std::ofstream(dir_ / "b.json") << "the old baseline";
  std::string check = "check 'm\xff.xml' --no-config --target " + kTarget;
  Outcome text = irlint(check, "NO_COLOR=1", dir_);
  EXPECT_EQ(text.status, 1) << text.err;
  EXPECT_NE(text.out.find("m\\xff.xml:"), std::string::npos) << text.out;
  Outcome json_run = irlint(check + " -f json", "NO_COLOR=1", dir_);
  EXPECT_EQ(json_run.status, 1) << json_run.err;
  EXPECT_EQ(json::parse(json_run.out)["files"][0]["path"], "m\\xff.xml");
  Outcome sarif = irlint(check + " -f sarif", "NO_COLOR=1", dir_);
  EXPECT_EQ(sarif.status, 1) << sarif.err;
  EXPECT_NO_THROW(json::parse(sarif.out));
  Outcome junit = irlint(check + " -f junit", "NO_COLOR=1", dir_);
  EXPECT_EQ(junit.status, 1) << junit.err;
  EXPECT_TRUE(well_formed_xml(junit.out)) << junit.out;
  EXPECT_NE(junit.out.find("m\\xff.xml"), std::string::npos);
  // The baseline is rewritten (not truncated) and matches the file it was written for.
  Outcome write = irlint(check + " --write-baseline b.json", "NO_COLOR=1", dir_);
  EXPECT_EQ(write.status, 1) << write.err;
  EXPECT_NO_THROW(json::parse(read_file(dir_ / "b.json")));
  Outcome applied = irlint(check + " --baseline b.json", "NO_COLOR=1", dir_);
  EXPECT_EQ(applied.status, 0) << applied.out << applied.err;
}

TEST_F(CliTest, ModelStringsCannotForgeLinesOrReachTheTerminal) {
  write_hostile_model(dir_ / "h.xml");
  for (const char* format : {"text", "github"}) {
    Outcome run = irlint(fmt::format("check h.xml --no-config -f {}", format), "NO_COLOR=1", dir_);
    EXPECT_NE(run.out.find("Relu6\\nforged.xml:1:1"), std::string::npos) << run.out << run.err;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_FALSE(line.starts_with("forged.xml")) << line;
      EXPECT_FALSE(line.starts_with("::error::forged")) << line;
    }
    for (char c : {'\x1b', '\x07', '\r'}) EXPECT_EQ(run.out.find(c), std::string::npos) << format;
    EXPECT_EQ(run.out.find("\xc2\x9b"), std::string::npos) << format;
  }
  Outcome junit = irlint("check h.xml --no-config -f junit", "NO_COLOR=1", dir_);
  EXPECT_TRUE(well_formed_xml(junit.out)) << junit.out;
  EXPECT_NE(junit.out.find("\\ufffe"), std::string::npos) << junit.out;
  Outcome json_run = irlint("check h.xml --no-config -f json", "NO_COLOR=1", dir_);
  EXPECT_NO_THROW(json::parse(json_run.out)) << json_run.out;
  Outcome plan = irlint("plan h.xml --exec-graph-out g.xml --dot g.dot", "NO_COLOR=1", dir_);
  EXPECT_EQ(plan.status, 0) << plan.err;
  EXPECT_TRUE(well_formed_xml(read_file(dir_ / "g.xml"))) << read_file(dir_ / "g.xml");
  for (const std::string& text : {plan.out, read_file(dir_ / "g.dot")})
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
}

/// Makes `dir`/d/d/… deeper than PATH_MAX (through descriptors, as no path can name the bottom),
/// so opening the deepest folder fails even for root; returns the chain's descriptors.
std::vector<int> make_too_deep(const fs::path& dir) {
  const std::string name(200, 'd');
  std::vector<int> fds{::open(dir.c_str(), O_RDONLY | O_DIRECTORY)};
  for (int i = 0; i < 24 && fds.back() >= 0; ++i) {
    ::mkdirat(fds.back(), name.c_str(), 0755);
    fds.push_back(::openat(fds.back(), name.c_str(), O_RDONLY | O_DIRECTORY));
  }
  return fds;
}

void remove_too_deep(std::vector<int>& fds) {
  const std::string name(200, 'd');
  for (size_t i = fds.size() - 1; i-- > 0;) {
    ::close(fds[i + 1]);
    ::unlinkat(fds[i], name.c_str(), AT_REMOVEDIR);
  }
  ::close(fds[0]);
}

TEST_F(CliTest, AFolderAWalkCannotReadIsAnError) {
  copy_sample(dir_ / "models/m");
  std::vector<int> fds = make_too_deep(dir_ / "models");
  ASSERT_TRUE(fds.back() >= 0);
  Outcome run = irlint(
      fmt::format("check '{}' --no-config --target {}", (dir_ / "models").string(), kTarget));
  remove_too_deep(fds);
  EXPECT_EQ(run.status, 2) << run.out << run.err;
  EXPECT_NE(run.out.find(": File name too long [unreadable-file]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("m.xml:"), std::string::npos) << "the readable model is still checked";
}

TEST_F(CliTest, AnUnreadableFolderIsAnErrorForAUserToo) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads a folder of mode 000";
  copy_sample(dir_ / "models/m");
  fs::create_directories(dir_ / "models/locked");
  fs::permissions(dir_ / "models/locked", fs::perms::none);
  Outcome sub = irlint(fmt::format("check '{}' --no-config", (dir_ / "models").string()));
  Outcome top = irlint(fmt::format("check '{}' --no-config", (dir_ / "models/locked").string()));
  fs::permissions(dir_ / "models/locked", fs::perms::owner_all);
  EXPECT_EQ(sub.status, 2) << sub.out << sub.err;
  EXPECT_NE(sub.out.find("locked: error: cannot read the folder"), std::string::npos) << sub.out;
  EXPECT_EQ(top.status, 2) << top.out << top.err;
}

TEST_F(CliTest, ADanglingLinkInAWalkGetsANote) {
  copy_sample(dir_ / "models/m");
  fs::create_symlink(dir_ / "models/gone.xml", dir_ / "models/link.xml");
  Outcome run = irlint(
      fmt::format("check '{}' --no-config --target {}", (dir_ / "models").string(), kTarget));
  EXPECT_EQ(run.status, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("note: skipped '" + (dir_ / "models/link.xml").string() +
                         "': a link to a missing file"),
            std::string::npos)
      << run.err;
}

}  // namespace
