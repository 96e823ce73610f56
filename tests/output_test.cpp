// Escaping (analyzer/escape.hpp) and safe writes (cli/output.hpp).
#include "output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "escape.hpp"
#include "test_util.hpp"

namespace irlint {
namespace {

using irlint::test::read_file;

namespace fs = std::filesystem;

TEST(Escape, ValidUtf8IsKept) {
  for (Escape mode : {Escape::utf8, Escape::xml, Escape::terminal}) {
    EXPECT_EQ(escape("conv\t1 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", mode),
              "conv\t1 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  }
}

TEST(Escape, BytesThatAreNotUtf8AreEscapedInEveryMode) {
  for (Escape mode : {Escape::utf8, Escape::xml, Escape::terminal}) {
    EXPECT_EQ(escape("m\xff.xml", mode), "m\\xff.xml");
    EXPECT_EQ(escape("\xc0\xaf", mode), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(escape("\xed\xa0\x80", mode), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(escape("\xe2\x82", mode), "\\xe2\\x82");                    // truncated
    EXPECT_EQ(escape("\xf4\x90\x80\x80", mode), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  }
}

TEST(Escape, Utf8ModeIsIdempotent) {
  std::string once = escape("a\xff\n\x1b", Escape::utf8);
  EXPECT_EQ(once, "a\\xff\n\x1b");
  EXPECT_EQ(escape(once, Escape::utf8), once);
}

TEST(Escape, TerminalModeEscapesEveryControlCharacter) {
  EXPECT_EQ(escape("a\nb\rc\x1b]0;t\x07\x1b[2J\x7f", Escape::terminal),
            "a\\nb\\rc\\x1b]0;t\\x07\\x1b[2J\\x7f");
  EXPECT_EQ(escape("\xc2\x9b"
                   "2J",
                   Escape::terminal),
            "\\u009b2J");  // C1 CSI
}

TEST(Escape, XmlModeEscapesWhatXml10Forbids) {
  EXPECT_EQ(escape("a\x01\x1b\tb\nc\r", Escape::xml), "a\\x01\\x1b\tb\nc\r");
  EXPECT_EQ(escape("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", Escape::xml),
            "\\ufffe\\uffff\xef\xbf\xbd");
}

TEST(DumpJson, NeverThrowsOnBytesThatAreNotUtf8) {
  nlohmann::json doc = {{"path", "m\xff.xml"}, {"list", {"ok", "\xc0"}}};
  std::string text;
  ASSERT_NO_THROW(text = dump_json(doc, -1));
  EXPECT_EQ(text, R"({"list":["ok","\\xc0"],"path":"m\\xff.xml"})");
}

class WriteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("irlint-output-{}-{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  /// Whether a temporary file was left in the folder.
  bool leftovers() const {
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename().string().find(".irlint-") != std::string::npos) return true;
    }
    return false;
  }
  fs::path dir_;
};

TEST_F(WriteFile, ReplacesTheFileAtomically) {
  fs::path target = dir_ / "report.txt";
  std::ofstream(target) << "old";
  std::ostringstream err;
  EXPECT_TRUE(write_file(
      target, {}, [](std::ostream& out) { out << "new\n"; }, err));
  EXPECT_EQ(read_file(target), "new\n");
  EXPECT_EQ(err.str(), "");
  EXPECT_FALSE(leftovers());
}

TEST_F(WriteFile, AWriterThatThrowsLeavesTheFileUntouched) {
  fs::path target = dir_ / "baseline.json";
  std::ofstream(target) << "the old baseline";
  std::ostringstream err;
  auto failing = [](std::ostream& out) {
    out << "half";
    throw std::runtime_error("serialisation failed");
  };
  EXPECT_THROW(write_file(target, {}, failing, err), std::runtime_error);
  EXPECT_EQ(read_file(target), "the old baseline");
  EXPECT_FALSE(leftovers());
}

TEST_F(WriteFile, AFullDeviceIsAnErrorWithTheOsReason) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  std::ostringstream err;
  EXPECT_FALSE(write_file(
      "/dev/full", {}, [](std::ostream& out) { out << "x\n"; }, err));
  EXPECT_NE(err.str().find("cannot write '/dev/full': No space left on device"), std::string::npos)
      << err.str();
}

TEST_F(WriteFile, RefusesAnInputUnderAnyName) {
  fs::path model = dir_ / "m.xml";
  std::ofstream(model) << "<net/>";
  fs::create_hard_link(model, dir_ / "alias.txt");
  fs::create_symlink(model, dir_ / "link.txt");
  for (const char* name : {"m.xml", "alias.txt", "link.txt"}) {
    std::ostringstream err;
    EXPECT_FALSE(write_file(
        dir_ / name, {model.string()}, [](std::ostream& out) { out << "report"; }, err));
    EXPECT_NE(err.str().find("refusing to write"), std::string::npos) << err.str();
    EXPECT_EQ(read_file(model), "<net/>");
  }
}

TEST_F(WriteFile, ALinkKeepsPointingAtTheReplacedFile) {
  fs::path real = dir_ / "real.txt";
  std::ofstream(real) << "old";
  fs::create_symlink(real, dir_ / "link.txt");
  std::ostringstream err;
  EXPECT_TRUE(write_file(
      dir_ / "link.txt", {}, [](std::ostream& out) { out << "new"; }, err));
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.txt"));
  EXPECT_EQ(read_file(real), "new");
}

TEST(FinishOutput, AFailedWriteToStandardOutputIsReported) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  {
    FdBuf buf(fd);
    std::ostream out(&buf);
    out << "a report\n";
    std::ostringstream err;
    EXPECT_FALSE(finish_output(out, err));
    EXPECT_EQ(err.str(),
              "irlint: error: cannot write to the standard output: No space left on device\n");
  }
  ::close(fd);
  std::ostringstream fine, err;
  fine << "ok";
  EXPECT_TRUE(finish_output(fine, err));
}

}  // namespace
}  // namespace irlint
