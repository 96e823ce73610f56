#include "config.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "input_file.hpp"
#include "target.hpp"
#include "text.hpp"

namespace irlint {

namespace {

/// "path:line:column" of a byte offset in `text`.
std::string position(const std::string& path, const std::string& text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return path + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::optional<std::string> find_config(const std::string& model_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(model_path, ec).parent_path();
  for (int depth = 0; depth < 64 && !dir.empty(); ++depth) {
    fs::path candidate = dir / ".irlint.json";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

std::optional<Config> parse_config(const std::string& text, const std::string& path,
                                   std::string* error) {
  using nlohmann::json;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.what() repeats the position in its own words; keep only the reason after it.
    std::string reason = e.what();
    if (size_t colon = reason.find(": "); colon != std::string::npos)
      reason = reason.substr(colon + 2);
    *error = position(path, text, e.byte == 0 ? 0 : e.byte - 1) +
             ": not valid JSON: " + clipped(reason, 200);
    return std::nullopt;
  } catch (const json::out_of_range& e) {
    // A number too large for any JSON number type ("1e999999"): positioned at that number.
    std::string reason = e.what();
    if (size_t bracket = reason.find("] "); bracket != std::string::npos)
      reason = reason.substr(bracket + 2);
    size_t at = 0;
    if (size_t open = reason.find('\''), close = reason.rfind('\'');
        open != std::string::npos && close > open) {
      at = text.find(reason.substr(open + 1, close - open - 1));
      if (at == std::string::npos) at = 0;
    }
    *error = position(path, text, at) + ": not valid JSON: " + clipped(reason, 200);
    return std::nullopt;
  }
  if (!doc.is_object()) {
    *error = path + ": the configuration must be a JSON object";
    return std::nullopt;
  }
  Config config;
  config.path = path;
  auto fail = [&](const std::string& message) {
    *error = path + ": " + message;
    return std::nullopt;
  };
  auto string_list = [&](const json& value, const std::string& key,
                         std::vector<std::string>& out) -> bool {
    if (!value.is_array()) return false;
    for (const json& item : value) {
      if (!item.is_string()) return false;
      out.push_back(item.get<std::string>());
    }
    (void)key;
    return true;
  };
  // The same matching as --select/--ignore: a code, a code prefix such as IRL2, a name or ALL.
  auto known_rule = [](const std::string& name) {
    return std::any_of(all_rules().begin(), all_rules().end(),
                       [&](const Rule* r) { return rule_matches(r->info, name); });
  };
  for (auto& [key, value] : doc.items()) {
    if (key == "select" || key == "ignore") {
      auto& list = key == "select" ? config.rules.select : config.rules.ignore;
      if (!string_list(value, key, list))
        return fail("'" + key + "' must be a list of rule names or codes");
      for (const std::string& r : list) {
        if (!known_rule(r)) return fail("unknown rule '" + clipped(r) + "' in '" + key + "'");
      }
    } else if (key == "severity") {
      if (!value.is_object()) return fail("'severity' must map rule names to note|warning|error");
      for (auto& [rule, level] : value.items()) {
        const Rule* r = find_rule(rule);
        if (!r) return fail("unknown rule '" + clipped(rule) + "' in 'severity'");
        auto s = level.is_string() ? parse_severity(level.get<std::string>()) : std::nullopt;
        if (!s) return fail("severity of '" + clipped(rule) + "' must be note, warning or error");
        config.rules.severity[std::string(r->info.name)] = *s;
      }
    } else if (key == "options") {
      if (!value.is_object()) return fail("'options' must map rule names to objects");
      for (auto& [rule, opts] : value.items()) {
        const Rule* r = find_rule(rule);
        if (!r) return fail("unknown rule '" + clipped(rule) + "' in 'options'");
        if (!opts.is_object()) return fail("options of '" + clipped(rule) + "' must be an object");
        for (auto& [name, v] : opts.items()) {
          const RuleOption* option = nullptr;
          for (const RuleOption& o : r->info.options) option = o.name == name ? &o : option;
          if (!option)
            return fail("rule '" + clipped(rule) + "' has no option '" + clipped(name) + "'");
          if (!v.is_number() && !v.is_string())
            return fail("option '" + clipped(name) + "' must be a number or a string");
          std::string setting = v.is_string() ? v.get<std::string>() : v.dump();
          if (std::string problem = check_option_value(*option, setting); !problem.empty()) {
            return fail("rule '" + clipped(rule) + "': " + problem);
          }
          config.rules.options[std::string(r->info.name)][name] = setting;
        }
      }
    } else if (key == "suppress") {
      if (!value.is_array())
        return fail("'suppress' must be a list of {\"rule\", \"layer\"} objects");
      for (const json& s : value) {
        if (!s.is_object() || !s.contains("layer") || !s["layer"].is_string()) {
          return fail("each 'suppress' entry needs a \"layer\" name pattern");
        }
        std::string rule = s.value("rule", "*");
        if (rule != "*" && !find_rule(rule))
          return fail("unknown rule '" + clipped(rule) + "' in 'suppress'");
        if (rule != "*") rule = std::string(find_rule(rule)->info.name);
        for (auto& [k, v] : s.items()) {
          if (k != "rule" && k != "layer" && k != "reason")
            return fail("unknown key '" + clipped(k) + "' in 'suppress'");
        }
        config.rules.suppress.emplace_back(rule, s["layer"].get<std::string>());
      }
    } else if (key == "target" || key == "fail-on") {
      if (!value.is_string()) return fail("'" + key + "' must be a string");
      std::string setting = value.get<std::string>();
      std::string problem;
      if (key == "target" && !parse_target(setting, &problem)) return fail("'target': " + problem);
      if (key == "fail-on" && setting != "never" && !parse_severity(setting)) {
        return fail("'fail-on' must be error, warning, note or never, got '" + clipped(setting) +
                    "'");
      }
      (key == "target" ? config.target : config.fail_on) = setting;
    } else {
      return fail("unknown key '" + clipped(key) +
                  "' (known: select, ignore, severity, options, suppress, target, fail-on)");
    }
  }
  return config;
}

std::optional<Config> load_config(const std::string& path, std::string* error) {
  std::string problem;
  std::optional<std::string> text = read_input_file(path, kMaxConfigBytes, &problem);
  if (!text) {
    *error = path + ": cannot read the configuration: " + problem;
    return std::nullopt;
  }
  return parse_config(*text, path, error);
}

}  // namespace irlint
