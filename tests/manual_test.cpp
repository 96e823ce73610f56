// `irlint --version`, the man page and the bash completion (cli/manual.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"

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

}  // namespace
