#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine.hpp"

namespace irlint {

/// A project configuration (`.irlint.json`): rule settings plus defaults for the command line.
struct Config {
  RuleSettings rules;
  std::string target;
  std::string fail_on;
  std::string path;  ///< where it was read from; empty when none
};

/// Finds `.irlint.json` in the model's folder or the nearest folder above it.
std::optional<std::string> find_config(const std::string& model_path);
/// Reads a configuration; on any problem returns nullopt and sets `error` to a positioned message.
std::optional<Config> load_config(const std::string& path, std::string* error);
/// Parses a configuration from text (for tests and fuzzing).
std::optional<Config> parse_config(const std::string& text, const std::string& path,
                                   std::string* error);

}  // namespace irlint
