// libFuzzer target: reading Const values from a .bin of arbitrary size and content.
// Input layout: an IR's XML up to and including its `</net>`, then the .bin's bytes (so a seed
// is simply `cat model.xml model.bin`). The .bin goes through a temporary file, as in real use.
#include <unistd.h>

#include <boost/range/iterator_range.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "reader.hpp"
#include "weights.hpp"

namespace {

/// One temporary file per fuzzing process, removed at exit.
struct TempBin {
  std::string path = "/tmp/irlint-fuzz-weights-" + std::to_string(getpid()) + ".bin";
  ~TempBin() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static TempBin temp;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kEnd = "</net>";
  size_t end = input.find(kEnd);
  if (end == std::string_view::npos) return 0;
  end += kEnd.size();
  std::string_view bin = input.substr(end);
  {
    std::ofstream out(temp.path, std::ios::binary | std::ios::trunc);
    out.write(bin.data(), static_cast<std::streamsize>(bin.size()));
  }
  irlint::ReadLimits limits;
  limits.max_layers = 10'000;
  // The declared size is the file's, except when the XML's length is odd: then the .bin is
  // declared larger than it is (a file truncated after it was stat-ed).
  uint64_t declared = bin.size() + (end % 2 == 1 ? 64 : 0);
  auto model =
      irlint::read_ir_text("fuzz.xml", std::string(input.substr(0, end)), declared, limits);
  model->bin_path = temp.path;
  irlint::WeightsFile weights(*model);
  for (auto v : boost::make_iterator_range(boost::vertices(model->graph))) {
    const irlint::Layer& layer = model->layer(v);
    if (layer.blobs.empty()) continue;
    weights.floats(layer);
    weights.floats(layer, 1);  // the element limit
  }
  return 0;
}
