#pragma once

#include <array>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace irlint {

/// A buffered stream buffer over a file descriptor that keeps the first write error (errno), so
/// a failed write is reported with the OS's reason; it never closes the descriptor.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd);
  FdBuf(const FdBuf&) = delete;
  FdBuf& operator=(const FdBuf&) = delete;
  ~FdBuf() override;
  /// The errno of the first failed write, 0 when every write succeeded.
  int error() const { return error_; }

 protected:
  int overflow(int c) override;
  int sync() override;

 private:
  bool drain();

  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> buffer_;
};

/// Whether writing `output` would replace one of `inputs` (same device and inode, whatever the
/// names); says so on `err` when it would.
bool overwrites_input(const std::string& output, const std::vector<std::string>& inputs,
                      std::ostream& err);

/// Writes what `writer` produces to `path`: through a temporary file in the same folder renamed
/// over `path` once every write and the close succeeded, or straight into a special file such as
/// /dev/full. Refuses any of `inputs`. On failure `path` is untouched, the reason (with the OS
/// error) is on `err` and the result is false; an exception from `writer` propagates, likewise
/// leaving `path` untouched.
bool write_file(const std::string& path, const std::vector<std::string>& inputs,
                const std::function<void(std::ostream&)>& writer, std::ostream& err);

/// Flushes the command's standard output; false (with the OS error on `err`) when a write to it
/// failed, which makes the exit status 2.
bool finish_output(std::ostream& out, std::ostream& err);

/// `doc` as JSON text whose strings are escaped (`escape`, utf8 mode): never throws on bytes
/// that are not UTF-8.
std::string dump_json(nlohmann::json doc, int indent = 2);

}  // namespace irlint
