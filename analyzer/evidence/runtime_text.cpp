// A printed runtime model: `Tensor<…> t1 = Convolution_1(…)` lines, each followed by its
// `#rt_info:` block of `#	key=value` lines.

#include "evidence_formats.hpp"
#include "evidence_rows.hpp"
#include "evidence_scan.hpp"
#include "text.hpp"

namespace irlint::evidence_detail {

bool is_runtime_text(const EvidenceText& in) {
  return in.text.find("#rt_info:") != std::string_view::npos;
}

void read_runtime_text(const EvidenceText& in, Evidence& ev) {
  const std::vector<std::string_view>& lines = in.lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("Tensor<") == std::string_view::npos) continue;
    std::string_view node = find_call_name(lines[i]);
    if (node.empty()) continue;
    std::string block;
    size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]).starts_with('#'); ++j) {
      block += std::string(lines[j]) + "\n";
    }
    ObservedRow row = row_from_keys(key_values(block), node);
    row.line = static_cast<int>(i) + 1;
    ev.rows.push_back(std::move(row));
    i = j - 1;
  }
  sort_by_exec_order(ev);
}

}  // namespace irlint::evidence_detail
