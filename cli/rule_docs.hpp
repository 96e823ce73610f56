#pragma once

#include <string_view>

namespace irlint {

/// The documentation page of a rule (docs/rules/<name>.md, compiled in), or empty.
std::string_view rule_doc(std::string_view name);

}  // namespace irlint
