// libFuzzer target: the `.irlint.json` configuration parser on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto config = irlint::parse_config(text, "fuzz.json", &error);
  // A rejected configuration always says why.
  if (!config && error.empty()) __builtin_trap();
  return 0;
}
