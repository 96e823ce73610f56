// Inputs other than the model (evidence, configuration, baseline): regular files of bounded size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace irlint {

/// Largest configuration file read (1 MiB).
inline constexpr uint64_t kMaxConfigBytes = uint64_t{1} << 20;
/// Largest baseline read (16 MiB, about 100,000 findings).
inline constexpr uint64_t kMaxBaselineBytes = uint64_t{16} << 20;

/// Reads a whole input file that must be a regular file of at most `max_bytes`: a device
/// (/dev/zero), a FIFO or a socket is refused without reading (and without blocking), and a
/// file that grows past the bound while being read is refused. nullopt with `*error` set to
/// why otherwise ("not a regular file", "larger than …", or the OS reason), worded to follow
/// "cannot read X: ".
std::optional<std::string> read_input_file(const std::string& path, uint64_t max_bytes,
                                           std::string* error);

/// `text` cut to at most `max_bytes` (never inside a UTF-8 sequence) with "… (N bytes)" added
/// when cut: for echoing a value from an input in a message.
std::string clipped(std::string_view text, size_t max_bytes = 80);

}  // namespace irlint
