#include "output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "escape.hpp"

namespace irlint {
namespace fs = std::filesystem;

FdBuf::FdBuf(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

FdBuf::~FdBuf() { drain(); }

bool FdBuf::drain() {
  const char* p = pbase();
  while (p < pptr() && error_ == 0) {
    ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error_ = n < 0 ? errno : EIO;
    if (n > 0) p += n;
  }
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return error_ == 0;
}

int FdBuf::overflow(int c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int FdBuf::sync() { return drain() ? 0 : -1; }

namespace {

/// A descriptor closed once, with the result checked by whoever asks.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int close() {
    int rc = ::close(fd);
    fd = -1;
    return rc == 0 ? 0 : errno;
  }
};

/// Runs `writer` into `fd` and closes it; the errno of the first failure, 0 on success.
int write_and_close(Fd& fd, const std::function<void(std::ostream&)>& writer) {
  FdBuf buf(fd.fd);
  std::ostream stream(&buf);
  writer(stream);
  stream.flush();
  int error = buf.error() ? buf.error() : (stream ? 0 : EIO);
  int closed = fd.close();
  return error ? error : closed;
}

bool report(const std::string& path, int error, std::ostream& err) {
  err << fmt::format("irlint: error: cannot write '{}': {}\n", escape(path, Escape::terminal),
                     std::strerror(error));
  return false;
}

/// The mode a new file gets (0666 less the umask), or the mode of the file it replaces.
mode_t new_file_mode(const struct stat* existing) {
  if (existing) return existing->st_mode & 07777;
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

bool overwrites_input(const std::string& output, const std::vector<std::string>& inputs,
                      std::ostream& err) {
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input.empty() || !fs::equivalent(output, input, ec) || ec) continue;
    err << fmt::format("irlint: error: refusing to write '{}': it is the input '{}'\n",
                       escape(output, Escape::terminal), escape(input, Escape::terminal));
    return true;
  }
  return false;
}

bool write_file(const std::string& path, const std::vector<std::string>& inputs,
                const std::function<void(std::ostream&)>& writer, std::ostream& err) {
  if (overwrites_input(path, inputs, err)) return false;
  std::error_code ec;
  // A link is followed, so the file it names is replaced and the link kept.
  fs::path target = fs::is_symlink(path, ec) ? fs::weakly_canonical(path, ec) : fs::path(path);
  if (ec) target = path;
  struct stat st {};
  bool exists = ::stat(target.c_str(), &st) == 0;
  Fd fd;
  if (exists && !S_ISREG(st.st_mode)) {
    // A device or FIFO (/dev/stdout, /dev/full) cannot be renamed over: write to it directly.
    fd.fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd.fd < 0) return report(path, errno, err);
    int error = write_and_close(fd, writer);
    return error == 0 || report(path, error, err);
  }
  fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string temp = (folder / ("." + target.filename().string() + ".irlint-XXXXXX")).string();
  fd.fd = ::mkstemp(temp.data());
  if (fd.fd < 0) return report(path, errno, err);
  int error = 0;
  try {
    if (::fchmod(fd.fd, new_file_mode(exists ? &st : nullptr)) != 0) error = errno;
    if (error == 0) error = write_and_close(fd, writer);
    if (error == 0 && ::rename(temp.c_str(), target.c_str()) != 0) error = errno;
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  if (error == 0) return true;
  ::unlink(temp.c_str());
  return report(path, error, err);
}

bool finish_output(std::ostream& out, std::ostream& err) {
  out.flush();
  if (out) return true;
  auto* buf = dynamic_cast<FdBuf*>(out.rdbuf());
  int error = buf && buf->error() ? buf->error() : EIO;
  err << fmt::format("irlint: error: cannot write to the standard output: {}\n",
                     std::strerror(error));
  return false;
}

namespace {

void escape_strings(nlohmann::json& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    s = escape(s, Escape::utf8);
  } else if (j.is_structured()) {
    for (nlohmann::json& child : j) escape_strings(child);
  }
}

}  // namespace

std::string dump_json(nlohmann::json doc, int indent) {
  escape_strings(doc);
  // Object keys are irlint's own; `replace` only guards against a future key from the input.
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace irlint
