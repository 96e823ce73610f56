// Mutation smoke test: seeded byte flips, truncations and duplicated or dropped lines of a few
// corpus IRs, each checked by the real `irlint check` binary. Whatever the damage, the binary
// must exit with 0, 1 or 2 (never a signal) within two seconds.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace {

using irlint::test::read_file;

namespace fs = std::filesystem;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
  return lines;
}

/// One mutant of `text`; `kind` picks the mutation.
std::string mutate(const std::string& text, int kind, std::mt19937& rng) {
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::string out = text;
  switch (kind) {
    case 0: {  // flip a few bytes to arbitrary values
      for (int i = 0; i < 4; ++i) out[pick(out.size())] = static_cast<char>(pick(256));
      break;
    }
    case 1:  // truncate anywhere
      out.resize(pick(out.size()));
      break;
    case 2:
    case 3: {  // duplicate or drop a line (an element, in these files)
      auto lines = split_lines(text);
      size_t at = pick(lines.size());
      if (kind == 2) {
        lines.insert(lines.begin() + static_cast<ptrdiff_t>(at), lines[at]);
      } else {
        lines.erase(lines.begin() + static_cast<ptrdiff_t>(at));
      }
      out.clear();
      for (const auto& l : lines) out += l;
      break;
    }
    default: {  // replace a digit with a large or negative number
      size_t start = pick(out.size());
      size_t digit = out.find_first_of("0123456789", start);
      if (digit == std::string::npos) digit = out.find_first_of("0123456789");
      if (digit != std::string::npos) {
        const char* values[] = {"-1", "99999999999999999999", "4294967296", "-7", "?"};
        out.replace(digit, 1, values[pick(5)]);
      }
      break;
    }
  }
  return out;
}

TEST(Mutation, BinarySurvivesDamagedCorpusFiles) {
  fs::path corpus = IRLINT_CORPUS_DIR;
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  const char* sources[] = {
      "ovms-dummy-v10/dummy.xml",
      "postproc-tf-small-v11/postproc_model.xml",
      "vehicle-attributes-0039-v4/other.xml",
      "tinyllama-detokenizer-v11/openvino_detokenizer.xml",
  };
  fs::path dir = fs::temp_directory_path() / fmt::format("irlint-mutants-{}", getpid());
  fs::create_directories(dir);
  std::mt19937 rng(20261125);
  constexpr int kPerSource = 50;  // 200 mutants in all
  int exits[3] = {0, 0, 0};
  for (const char* source : sources) {
    std::string text = read_file(corpus / source);
    ASSERT_FALSE(text.empty()) << source;
    for (int i = 0; i < kPerSource; ++i) {
      int kind = i % 5;
      fs::path mutant = dir / fmt::format("m{}-{}.xml", i, fs::path(source).stem().string());
      std::ofstream(mutant, std::ios::binary) << mutate(text, kind, rng);
      std::string cmd = fmt::format("timeout 5 '{}' check --no-config '{}' >/dev/null 2>&1",
                                    IRLINT_BINARY, mutant.string());
      auto start = std::chrono::steady_clock::now();
      int status = std::system(cmd.c_str());
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ASSERT_NE(status, -1);
      ASSERT_TRUE(WIFEXITED(status)) << mutant << " died of a signal";
      int code = WEXITSTATUS(status);
      EXPECT_TRUE(code == 0 || code == 1 || code == 2)
          << mutant << " (mutation " << kind << ") exited " << code;
      EXPECT_LT(seconds, 2.0) << mutant;
      if (code >= 0 && code <= 2) ++exits[code];
      if (!::testing::Test::HasFailure()) fs::remove(mutant);
    }
  }
  // The mutations must actually break files: most mutants are input errors.
  EXPECT_GT(exits[2], 50);
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

}  // namespace
