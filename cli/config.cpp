#include "config.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace irlint {

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
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    *error = path + ": not valid JSON";
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
  auto known_rule = [](const std::string& name) {
    if (name.starts_with("IRL")) {
      for (const Rule* r : all_rules()) {
        if (r->info.code.starts_with(name)) return true;
      }
      return false;
    }
    return find_rule(name) != nullptr;
  };
  for (auto& [key, value] : doc.items()) {
    if (key == "select" || key == "ignore") {
      auto& list = key == "select" ? config.rules.select : config.rules.ignore;
      if (!string_list(value, key, list)) return fail("'" + key + "' must be a list of rule names or codes");
      for (const std::string& r : list) {
        if (!known_rule(r)) return fail("unknown rule '" + r + "' in '" + key + "'");
      }
    } else if (key == "severity") {
      if (!value.is_object()) return fail("'severity' must map rule names to note|warning|error");
      for (auto& [rule, level] : value.items()) {
        const Rule* r = find_rule(rule);
        if (!r) return fail("unknown rule '" + rule + "' in 'severity'");
        auto s = level.is_string() ? parse_severity(level.get<std::string>()) : std::nullopt;
        if (!s) return fail("severity of '" + rule + "' must be note, warning or error");
        config.rules.severity[std::string(r->info.name)] = *s;
      }
    } else if (key == "options") {
      if (!value.is_object()) return fail("'options' must map rule names to objects");
      for (auto& [rule, opts] : value.items()) {
        const Rule* r = find_rule(rule);
        if (!r) return fail("unknown rule '" + rule + "' in 'options'");
        if (!opts.is_object()) return fail("options of '" + rule + "' must be an object");
        for (auto& [name, v] : opts.items()) {
          bool known = false;
          for (const RuleOption& o : r->info.options) known = known || o.name == name;
          if (!known) return fail("rule '" + rule + "' has no option '" + name + "'");
          if (!v.is_number() && !v.is_string()) return fail("option '" + name + "' must be a number or a string");
          config.rules.options[std::string(r->info.name)][name] = v.is_string() ? v.get<std::string>() : v.dump();
        }
      }
    } else if (key == "suppress") {
      if (!value.is_array()) return fail("'suppress' must be a list of {\"rule\", \"layer\"} objects");
      for (const json& s : value) {
        if (!s.is_object() || !s.contains("layer") || !s["layer"].is_string()) {
          return fail("each 'suppress' entry needs a \"layer\" name pattern");
        }
        std::string rule = s.value("rule", "*");
        if (rule != "*" && !find_rule(rule)) return fail("unknown rule '" + rule + "' in 'suppress'");
        if (rule != "*") rule = std::string(find_rule(rule)->info.name);
        for (auto& [k, v] : s.items()) {
          if (k != "rule" && k != "layer" && k != "reason") return fail("unknown key '" + k + "' in 'suppress'");
        }
        config.rules.suppress.emplace_back(rule, s["layer"].get<std::string>());
      }
    } else if (key == "target" || key == "fail-on") {
      if (!value.is_string()) return fail("'" + key + "' must be a string");
      (key == "target" ? config.target : config.fail_on) = value.get<std::string>();
    } else {
      return fail("unknown key '" + key +
                  "' (known: select, ignore, severity, options, suppress, target, fail-on)");
    }
  }
  return config;
}

std::optional<Config> load_config(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot read the configuration";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path, error);
}

}  // namespace irlint
