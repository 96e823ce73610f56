#include "input_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace irlint {

std::optional<std::string> read_input_file(const std::string& path, uint64_t max_bytes,
                                           std::string* error) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *error = "not a regular file";
    return std::nullopt;
  }
  auto too_large = [&] {
    ::close(fd);
    *error = fmt::format("larger than the {} MiB an input of this kind may have",
                         max_bytes >> 20 ? max_bytes >> 20 : 1);
    return std::nullopt;
  };
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_large();
  std::string text;
  text.resize(static_cast<size_t>(st.st_size));
  size_t have = 0;
  for (;;) {
    if (have == text.size()) {
      // The file may have grown since fstat: read on, one byte past the bound at most.
      if (have > max_bytes) return too_large();
      text.resize(std::min<uint64_t>(max_bytes + 1, have + (uint64_t{64} << 10)));
    }
    ssize_t got = ::read(fd, text.data() + have, text.size() - have);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      *error = std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (got == 0) break;
    have += static_cast<size_t>(got);
  }
  ::close(fd);
  if (have > max_bytes) {
    *error = fmt::format("larger than the {} MiB an input of this kind may have",
                         max_bytes >> 20 ? max_bytes >> 20 : 1);
    return std::nullopt;
  }
  text.resize(have);
  return text;
}

std::string clipped(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back off continuation bytes so that a UTF-8 sequence is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}… ({} bytes)", text.substr(0, cut), text.size());
}

}  // namespace irlint
