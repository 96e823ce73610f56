// libFuzzer target: the XML reader on arbitrary text. It must never crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Small limits keep each run fast; the limit checks themselves are exercised too.
  irlint::ReadLimits limits;
  limits.max_layers = 10'000;
  limits.max_attribute_bytes = 64 << 10;
  // The weights size varies with the input so that both "no .bin" and "short .bin" paths run.
  std::optional<uint64_t> bin_size;
  if (size % 4 != 0) bin_size = size * 16;
  auto model = irlint::read_ir_text("fuzz.xml", std::move(text), bin_size, limits);
  if (!model->fatal && model->layer_count() > 0) {
    // Touch every layer so that string_views into the text are read under ASan.
    size_t total = 0;
    for (irlint::Vertex v : model->order) total += model->layer(v).type.size();
    if (total == SIZE_MAX) return 1;
  }
  return 0;
}
