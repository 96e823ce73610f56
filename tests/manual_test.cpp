// `irlint --version`, the man page and the bash completion (cli/manual.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "rule.hpp"
#include "target.hpp"

#ifdef IRLINT_HAVE_DNNL
#include <dnnl.h>
#endif

namespace {

namespace fs = std::filesystem;

/// What one in-process run of the command line printed and returned.
struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

Outcome run(std::vector<const char*> args) {
  args.insert(args.begin(), "irlint");
  std::ostringstream out, err;
  Outcome r;
  r.status = irlint::run_cli(static_cast<int>(args.size()), args.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Version, PrintsVersionCommitBuildTypeAndLiveRun) {
  Outcome r = run({"--version"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], std::string("irlint ") + IRLINT_VERSION);
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(irlint \d+\.\d+\.\d+)"))) << lines[0];
  std::smatch commit;
  ASSERT_TRUE(
      std::regex_match(lines[1], commit, std::regex("commit: ([0-9a-f]{4,40}(-dirty)?|unknown)")))
      << lines[1];
  bool git_checkout = fs::exists(fs::path(IRLINT_SOURCE_DIR) / ".git") &&
                      std::system("command -v git >/dev/null 2>&1") == 0;
  if (git_checkout) {
    EXPECT_NE(commit[1], "unknown") << "built from a git checkout";
  }
  EXPECT_EQ(lines[2], std::string("build type: ") + IRLINT_TEST_BUILD_TYPE);
#ifdef IRLINT_HAVE_DNNL
  const dnnl_version_t* v = dnnl_version();
  EXPECT_EQ(lines[3], fmt::format("live run: yes (oneDNN {}.{}.{})", v->major, v->minor, v->patch));
#else
  EXPECT_TRUE(lines[3] == "live run: no" || lines[3].starts_with("live run: no (")) << lines[3];
#endif
}

TEST(Version, FirstLineOfTheBinaryIsTheVersionAlone) {
  std::string command = fmt::format("'{}' --version", IRLINT_BINARY);
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, pipe), nullptr);
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_EQ(std::string(line), std::string("irlint ") + IRLINT_VERSION + "\n");
}

/// The visible subcommands, as `irlint --help` lists them.
std::vector<std::string> subcommands() {
  std::vector<std::string> names;
  bool listed = false;
  for (const std::string& line : lines_of(run({"--help"}).out)) {
    if (listed && line.starts_with("  ")) names.push_back(line.substr(2, line.find(' ', 2) - 2));
    listed = listed || line == "Subcommands:";
  }
  return names;
}

/// The long options of a subcommand, as `irlint SUB --help` lists them.
std::vector<std::string> long_options(const std::string& sub) {
  std::vector<std::string> names;
  std::regex option(R"(^  (?:-\w,)?(--[\w-]+))");
  for (const std::string& line : lines_of(run({sub.c_str(), "--help"}).out)) {
    std::smatch m;
    if (std::regex_search(line, m, option)) names.push_back(m[1]);
  }
  return names;
}

/// A name as roff writes it: hyphens as \-.
std::string roff(const std::string& name) {
  return std::regex_replace(name, std::regex("-"), "\\-");
}

/// A scratch file removed when the test ends.
struct ScratchFile {
  explicit ScratchFile(const std::string& name)
      : path(fs::temp_directory_path() / fmt::format("irlint-manual-{}-{}", getpid(), name)) {}
  ~ScratchFile() { fs::remove(path); }
  fs::path path;
};

/// Runs `command` in bash; its standard output and error together.
Outcome shell(const std::string& command) {
  ScratchFile script("script.sh"), output("output.txt");
  std::ofstream(script.path) << command;
  int rc = std::system(
      fmt::format("bash '{}' >'{}' 2>&1 </dev/null", script.path.string(), output.path.string())
          .c_str());
  std::ifstream in(output.path);
  std::stringstream text;
  text << in.rdbuf();
  return Outcome{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, text.str(), ""};
}

TEST(ManPage, HasTheSectionsInOrder) {
  Outcome r = run({"__manpage"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(".TH IRLINT 1 ")) << r.out.substr(0, 80);
  size_t at = 0;
  for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "RULES",
                              "TARGETS", "EXIT STATUS", "FILES", "SEE ALSO"}) {
    size_t found = r.out.find(fmt::format("\n.SH {}\n", section), at);
    EXPECT_NE(found, std::string::npos) << section << " missing or out of order";
    if (found != std::string::npos) at = found;
  }
}

TEST(ManPage, ListsEveryCommandWithItsOptions) {
  std::string page = run({"__manpage"}).out;
  std::vector<std::string> subs = subcommands();
  ASSERT_GE(subs.size(), 7u);
  ASSERT_GE(long_options("check").size(), 10u);
  for (const std::string& sub : subs) {
    EXPECT_NE(page.find(fmt::format(".TP\n\\fB{}\\fR\n", roff(sub))), std::string::npos) << sub;
    size_t section = page.find(fmt::format(".SS irlint {}\n", roff(sub)));
    ASSERT_NE(section, std::string::npos) << sub;
    size_t end = std::min(page.find("\n.SS ", section + 1), page.find("\n.SH ", section + 1));
    std::string options = page.substr(section, end - section);
    for (const std::string& option : long_options(sub)) {
      if (option == "--help") continue;
      EXPECT_NE(options.find(fmt::format("\\fB{}\\fR", roff(option))), std::string::npos)
          << sub << " " << option;
    }
  }
  EXPECT_EQ(page.find("__"), std::string::npos) << "a hidden command is listed";
}

TEST(ManPage, ListsEveryRuleAndTarget) {
  std::string page = run({"__manpage"}).out;
  for (const irlint::Rule* rule : irlint::all_rules()) {
    std::string entry =
        fmt::format("\\fB{}\\fR \\fB{}\\fR ({})\n", rule->info.code,
                    roff(std::string(rule->info.name)), irlint::to_string(rule->info.severity));
    EXPECT_NE(page.find(entry), std::string::npos) << entry;
  }
  for (const irlint::Policy& policy : irlint::all_policies()) {
    size_t at = page.find(fmt::format("\\fB{}\\fR\n", roff(std::string(policy.name))));
    ASSERT_NE(at, std::string::npos) << policy.name;
    std::string isas = page.substr(at, page.find("\n.", at) - at);
    for (irlint::Isa isa : policy.isas) {
      EXPECT_NE(isas.find(irlint::to_string(isa)), std::string::npos)
          << policy.name << " " << irlint::to_string(isa);
    }
  }
}

TEST(ManPage, IsEscapedRoff) {
  std::string page = run({"__manpage"}).out;
  std::regex request(R"(\.(TH|SH|SS|TP|PP|nf|fi)( .*)?)");
  for (const std::string& line : lines_of(page)) {
    if (line.starts_with(".")) {
      EXPECT_TRUE(std::regex_match(line, request)) << "not a man(7) request: " << line;
    }
    EXPECT_FALSE(line.starts_with("'")) << line;
    EXPECT_FALSE(std::regex_search(line, std::regex(R"((^|[^\\])-)"))) << "raw hyphen: " << line;
    EXPECT_FALSE(std::regex_search(line, std::regex(R"(\\[^-fe&(])"))) << "stray escape: " << line;
  }
}

TEST(ManPage, PassesGroffWithAllWarnings) {
  if (std::system("command -v groff >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "groff is not installed; the roff is checked by IsEscapedRoff only";
  }
  ScratchFile page("irlint.1");
  std::ofstream(page.path) << run({"__manpage"}).out;
  Outcome groff = shell(fmt::format("groff -man -Tutf8 -ww -z '{}'", page.path.string()));
  EXPECT_EQ(groff.status, 0) << groff.out;
  EXPECT_EQ(groff.out, "") << "groff warnings";
}

/// The completion script, written once for the completion tests.
class Completion : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    script_ = new ScratchFile("irlint.bash");
    std::ofstream(script_->path) << run({"__completion", "bash"}).out;
  }
  static void TearDownTestSuite() {
    delete script_;
    script_ = nullptr;
  }

  /// What the completion offers for `words`, the last being the one at the cursor; the words
  /// are split as bash splits them ("a:b" is three words).
  static std::vector<std::string> complete(const std::vector<std::string>& words) {
    std::string array;
    for (const std::string& w : words) array += fmt::format(" '{}'", w);
    Outcome r = shell(
        fmt::format("source '{}' || exit 3\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_irlint || exit 4\n"
                    "printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
                    script_->path.string(), array, words.size() - 1));
    EXPECT_EQ(r.status, 0) << r.out;
    std::vector<std::string> offered = lines_of(r.out);
    std::erase(offered, "");
    return offered;
  }

  static bool offers(const std::vector<std::string>& offered, const std::string& word) {
    return std::find(offered.begin(), offered.end(), word) != offered.end();
  }

  static ScratchFile* script_;
};

ScratchFile* Completion::script_ = nullptr;

TEST_F(Completion, ScriptPassesBashSyntaxCheck) {
  Outcome r = shell(fmt::format("bash -n '{}'", script_->path.string()));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(run({"__completion", "zsh"}).status, 2);
}

TEST_F(Completion, OffersSubcommandsButNotHiddenOnes) {
  EXPECT_EQ(complete({"irlint", "ch"}), std::vector<std::string>{"check"});
  std::vector<std::string> all = complete({"irlint", ""});
  for (const std::string& sub : subcommands()) EXPECT_TRUE(offers(all, sub)) << sub;
  EXPECT_TRUE(offers(all, "--version"));
  EXPECT_TRUE(complete({"irlint", "__"}).empty());
}

TEST_F(Completion, OffersEachSubcommandsOptions) {
  EXPECT_EQ(complete({"irlint", "check", "--sel"}), std::vector<std::string>{"--select"});
  for (const std::string& sub : subcommands()) {
    std::vector<std::string> offered = complete({"irlint", sub, "--"});
    for (const std::string& option : long_options(sub)) {
      EXPECT_TRUE(offers(offered, option)) << sub << " " << option;
    }
  }
}

TEST_F(Completion, OffersRulesByNameAndCode) {
  EXPECT_EQ(complete({"irlint", "explain", "unfus"}),
            std::vector<std::string>{"unfusable-activation"});
  std::vector<std::string> selected = complete({"irlint", "check", "--select", ""});
  std::vector<std::string> ignored = complete({"irlint", "check", "--ignore", ""});
  for (const irlint::Rule* rule : irlint::all_rules()) {
    for (std::string_view word : {rule->info.name, rule->info.code}) {
      EXPECT_TRUE(offers(selected, std::string(word))) << word;
      EXPECT_TRUE(offers(ignored, std::string(word))) << word;
    }
  }
  EXPECT_EQ(complete({"irlint", "check", "--select", "IRL101,unfus"}),
            std::vector<std::string>{"IRL101,unfusable-activation"});
  EXPECT_EQ(complete({"irlint", "check", "--select", "=", "unfus"}),
            std::vector<std::string>{"unfusable-activation"});
}

TEST_F(Completion, OffersRuleThenSeverityForSeverity) {
  EXPECT_EQ(complete({"irlint", "check", "--severity", "unfus"}),
            std::vector<std::string>{"unfusable-activation="});
  // After the "=", which bash makes a word of its own, only the severity is replaced.
  EXPECT_EQ(complete({"irlint", "check", "--severity", "unfusable-activation", "=", "w"}),
            std::vector<std::string>{"warning"});
}

TEST_F(Completion, OffersTargetsOfTheRegistry) {
  std::vector<std::string> offered = complete({"irlint", "check", "-t", "openvino-2019"});
  size_t expected = 0;
  for (const irlint::Policy& policy : irlint::all_policies()) {
    if (!policy.name.starts_with("openvino-2019")) continue;
    EXPECT_TRUE(offers(offered, fmt::format("{}:native", policy.name))) << policy.name;
    for (irlint::Isa isa : policy.isas) {
      EXPECT_TRUE(offers(offered, fmt::format("{}:{}", policy.name, irlint::to_string(isa))));
      ++expected;
    }
    ++expected;
  }
  EXPECT_GE(expected, 2u);
  EXPECT_EQ(offered.size(), expected);
  for (const std::string& word : offered) EXPECT_TRUE(word.starts_with("openvino-2019")) << word;
  // Bash splits at the ":" and replaces only what follows it.
  const irlint::Policy& first = irlint::all_policies().front();
  std::vector<std::string> isas =
      complete({"irlint", "plan", "--target", std::string(first.name), ":", ""});
  EXPECT_TRUE(offers(isas, std::string(irlint::to_string(first.isas.front())))) << isas.size();
}

/// The formats an "unknown format" error lists: "(text, json)" → {text, json}.
std::vector<std::string> formats_in_error(std::vector<const char*> args) {
  std::string err = run(args).err;
  size_t open = err.rfind('('), close = err.rfind(')');
  std::vector<std::string> formats;
  if (open == std::string::npos || close < open) return formats;
  std::istringstream list(err.substr(open + 1, close - open - 1));
  for (std::string f; std::getline(list, f, ',');)
    formats.push_back(f.substr(f.find_first_not_of(' ')));
  return formats;
}

TEST_F(Completion, OffersTheFormatsEachCommandAccepts) {
  std::string sample =
      std::string(IRLINT_SOURCE_DIR) + "/testdata/models/mnv3-small-int8-decomposed.xml";
  std::vector<std::string> check =
      formats_in_error({"check", sample.c_str(), "--no-config", "-f", "x"});
  std::vector<std::string> rules = formats_in_error({"rules", "-f", "x"});
  std::vector<std::string> confirm =
      formats_in_error({"confirm", sample.c_str(), "--evidence", "x", "-f", "x"});
  ASSERT_EQ(check.size(), 5u);
  ASSERT_EQ(rules.size(), 3u);
  ASSERT_EQ(confirm.size(), 2u);
  EXPECT_EQ(complete({"irlint", "check", "-f", ""}), check);
  EXPECT_EQ(complete({"irlint", "rules", "--format", ""}), rules);
  EXPECT_EQ(complete({"irlint", "confirm", "-f", ""}), confirm);
}

TEST_F(Completion, OffersFilesByKind) {
  fs::path dir = fs::temp_directory_path() / fmt::format("irlint-manual-{}-files", getpid());
  fs::create_directories(dir / "sub");
  for (const char* name : {"model.xml", "model.bin", "baseline.json", "notes.txt"}) {
    std::ofstream(dir / name) << "";
  }
  std::string folder = dir.string() + "/";
  auto names = [&](std::vector<std::string> offered) {
    for (std::string& path : offered) path = path.substr(folder.size());
    std::sort(offered.begin(), offered.end());
    return offered;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names(complete({"irlint", "check", folder})), (Names{"model.xml", "sub"}));
  EXPECT_EQ(names(complete({"irlint", "info", folder})), (Names{"model.xml", "sub"}));
  EXPECT_EQ(names(complete({"irlint", "check", "--bin", folder})), (Names{"model.bin", "sub"}));
  EXPECT_EQ(names(complete({"irlint", "check", "--config", folder})),
            (Names{"baseline.json", "sub"}));
  EXPECT_EQ(names(complete({"irlint", "check", "--baseline", folder})),
            (Names{"baseline.json", "sub"}));
  EXPECT_EQ(names(complete({"irlint", "check", "-o", folder})).size(), 5u);
  fs::remove_all(dir);
}

}  // namespace
