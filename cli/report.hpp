#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ir_model.hpp"
#include "rule.hpp"
#include "target.hpp"

namespace irlint {

/// The findings of one model file.
struct FileReport {
  std::string path;  ///< as shown to the user
  std::vector<Finding> findings;
  bool input_error = false;  ///< the file could not be read as an IR (exit status 2)
};

/// Output formats of `irlint check`.
enum class Format { text, json, sarif, github, junit };

struct RenderOptions {
  Format format = Format::text;
  bool color = false;
  std::string target;  ///< the target name, for machine-readable outputs
};

/// Writes every report in the chosen format; all formats carry the same findings.
void render(const std::vector<FileReport>& reports, const RenderOptions& options,
            std::ostream& out);

}  // namespace irlint
