// `irlint --version`, the man page and the bash completion (cli/manual.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

}  // namespace
