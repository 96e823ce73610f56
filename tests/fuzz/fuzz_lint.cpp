// libFuzzer target: reader + planner on every known target + every rule, as `irlint check` runs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  irlint::ReadLimits limits;
  limits.max_layers = 10'000;
  limits.max_attribute_bytes = 64 << 10;
  std::optional<uint64_t> bin_size;
  if (size % 4 != 0) bin_size = size * 16;
  auto model = irlint::read_ir_text("fuzz.xml", std::move(text), bin_size, limits);
  irlint::RuleSettings settings;  // every rule
  if (model->fatal) {
    irlint::lint(*model, nullptr, settings);
    return 0;
  }
  // The quantization mode varies with the input so that all three planner modes run.
  auto quantization = static_cast<irlint::Quantization>(size % 3);
  for (const irlint::Policy& policy : irlint::all_policies()) {
    for (irlint::Isa isa : policy.isas) {
      irlint::Target target{&policy, isa};
      irlint::Plan predicted = irlint::plan(*model, target, quantization);
      irlint::lint(*model, &predicted, settings);
    }
  }
  return 0;
}
