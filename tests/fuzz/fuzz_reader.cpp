// libFuzzer target: the XML reader on arbitrary text. It must never crash, whatever the bytes,
// and reading in small chunks on two threads must give what reading one document gives.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "reader.hpp"

namespace {

/// What a read produced, in brief: equal for equal reads.
std::string digest(const irlint::IrModel& m) {
  std::string s = fmt::format("{} {} {} {}", m.fatal, m.layer_count(), boost::num_edges(m.graph),
                              m.order.size());
  for (const irlint::ReaderIssue& i : m.issues) {
    s +=
        fmt::format("|{} {}:{} {}", static_cast<int>(i.check), i.pos.line, i.pos.column, i.message);
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Small limits keep each run fast; the limit checks themselves are exercised too.
  irlint::ReadLimits limits;
  limits.max_layers = 10'000;
  limits.max_attribute_bytes = 64 << 10;
  // The weights size varies with the input so that both "no .bin" and "short .bin" paths run.
  std::optional<uint64_t> bin_size;
  if (size % 4 != 0) bin_size = size * 16;
  irlint::ReadLimits whole = limits;
  whole.chunk_bytes = 0;
  limits.chunk_bytes = 1 + size % 256;
  limits.read_threads = 1 + size % 2;
  limits.split_scan_bytes = size % 3 == 0 ? 0 : 1 + size % 64;  // the scan in two halves
  std::string expected = digest(*irlint::read_ir_text("fuzz.xml", text, bin_size, whole));
  auto model = irlint::read_ir_text("fuzz.xml", std::move(text), bin_size, limits);
  if (digest(*model) != expected) __builtin_trap();
  if (!model->fatal && model->layer_count() > 0) {
    // Touch every layer so that string_views into the text are read under ASan.
    size_t total = 0;
    for (irlint::Vertex v : model->order) total += model->layer(v).type.size();
    if (total == SIZE_MAX) return 1;
  }
  return 0;
}
