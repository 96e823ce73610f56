#include <fmt/format.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "escape.hpp"
#include "output.hpp"
#include "report.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

using nlohmann::json;

constexpr int kJsonSchemaVersion = 1;

std::string_view code_of(const Finding& f) { return f.rule ? f.rule->info.code : "IRL000"; }

std::array<size_t, 3> counts(const std::vector<FileReport>& reports) {
  std::array<size_t, 3> c{};
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) ++c[static_cast<size_t>(f.severity)];
  }
  return c;
}

std::string location(const std::string& path, SourcePos pos) {
  return pos.line ? fmt::format("{}:{}:{}", path, pos.line, pos.column) : path;
}

void render_text(const std::vector<FileReport>& reports, bool color, std::ostream& out) {
  auto paint = [&](std::string_view code, std::string_view text) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  constexpr std::string_view kColors[] = {"1;36", "1;35", "1;31"};
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      out << paint("1", location(shown(r.path), f.pos)) << ": "
          << paint(kColors[static_cast<size_t>(f.severity)], to_string(f.severity)) << ": "
          << shown(f.message) << " [" << rule_name(f) << "]";
      if (f.status != Status::predicted) out << " (" << to_string(f.status) << ")";
      out << '\n';
      for (const Note& n : f.notes) {
        out << "  " << (n.pos.line ? location(shown(r.path), n.pos) + ": " : "")
            << paint(kColors[0], "note") << ": " << shown(n.message) << '\n';
      }
      if (!f.evidence.empty())
        out << "  " << paint(kColors[0], "observed") << ": " << shown(f.evidence) << '\n';
      if (!f.fix.empty()) out << "  " << paint("1;32", "fix") << ": " << shown(f.fix) << '\n';
    }
  }
  auto c = counts(reports);
  out << fmt::format("{} error{}, {} warning{}, {} note{} in {} file{}\n", c[2],
                     c[2] == 1 ? "" : "s", c[1], c[1] == 1 ? "" : "s", c[0], c[0] == 1 ? "" : "s",
                     reports.size(), reports.size() == 1 ? "" : "s");
}

json finding_json(const Finding& f) {
  json notes = json::array();
  for (const Note& n : f.notes) {
    notes.push_back({{"message", n.message}, {"line", n.pos.line}, {"column", n.pos.column}});
  }
  json j = {{"rule", rule_name(f)}, {"code", code_of(f)},     {"severity", to_string(f.severity)},
            {"line", f.pos.line},   {"column", f.pos.column}, {"message", f.message},
            {"notes", notes},       {"fix", f.fix},           {"status", to_string(f.status)}};
  j["layer"] = f.layer_id >= 0
                   ? json{{"id", f.layer_id}, {"name", f.layer_name}, {"type", f.layer_type}}
                   : json(nullptr);
  if (!f.evidence.empty()) j["evidence"] = f.evidence;
  return j;
}

void render_json(const std::vector<FileReport>& reports, const RenderOptions& options,
                 std::ostream& out) {
  json files = json::array();
  for (const FileReport& r : reports) {
    json findings = json::array();
    for (const Finding& f : r.findings) findings.push_back(finding_json(f));
    files.push_back({{"path", r.path}, {"input_error", r.input_error}, {"findings", findings}});
  }
  auto c = counts(reports);
  json doc = {{"schema_version", kJsonSchemaVersion},
              {"tool", {{"name", "irlint"}, {"version", IRLINT_VERSION}}},
              {"target", options.target},
              {"files", files},
              {"summary",
               {{"errors", c[2]}, {"warnings", c[1]}, {"notes", c[0]}, {"files", reports.size()}}}};
  out << dump_json(std::move(doc)) << '\n';
}

std::string sarif_level(Severity s) {
  return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

std::string relative_uri(const std::string& path) {
  std::error_code ec;
  auto rel = std::filesystem::relative(path, std::filesystem::current_path(), ec);
  std::string text = ec || rel.empty() ? path : rel.generic_string();
  return text;
}

/// A SARIF artifact URI (RFC 3986): the path relative to the working folder, percent-encoded, or
/// a file:// URI when the path is absolute.
std::string sarif_uri(const std::string& path) {
  std::string text = relative_uri(path);
  std::string out = text.starts_with('/') ? "file://" : "";
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

json sarif_region(SourcePos pos) {
  json region = {{"startLine", std::max<uint32_t>(pos.line, 1)}};
  if (pos.column) region["startColumn"] = pos.column;
  return region;
}

void render_sarif(const std::vector<FileReport>& reports, std::ostream& out) {
  json rules = json::array();
  for (const Rule* r : all_rules()) {
    rules.push_back({{"id", r->info.code},
                     {"name", r->info.name},
                     {"shortDescription", {{"text", r->info.summary}}},
                     {"fullDescription", {{"text", r->info.summary}}},
                     {"help",
                      {{"text", fmt::format("{} ({}). Run 'irlint explain {}' for the full page.",
                                            r->info.summary, r->info.name, r->info.name)}}},
                     {"defaultConfiguration", {{"level", sarif_level(r->info.severity)}}},
                     {"properties", {{"tags", {std::string(family_name(r->info.code))}}}}});
  }
  json results = json::array();
  for (const FileReport& r : reports) {
    std::string uri = sarif_uri(r.path);
    for (const Finding& f : r.findings) {
      const Rule* rule = f.rule;
      size_t index = 0;
      for (size_t i = 0; i < all_rules().size(); ++i) {
        if (all_rules()[i] == rule) index = i;
      }
      // A finding without a position (about the whole model) points at the file, not at line 1.
      json physical = {{"artifactLocation", {{"uri", uri}}}};
      if (f.pos.line) physical["region"] = sarif_region(f.pos);
      json related = json::array();
      int id = 0;
      for (const Note& n : f.notes) {
        json loc = {{"id", id++}, {"message", {{"text", n.message}}}};
        if (n.pos.line) {
          loc["physicalLocation"] = {{"artifactLocation", {{"uri", uri}}},
                                     {"region", sarif_region(n.pos)}};
        }
        related.push_back(loc);
      }
      std::string text = f.message;
      if (!f.fix.empty()) text += ". Fix: " + f.fix;
      json result = {{"ruleId", code_of(f)},
                     {"ruleIndex", index},
                     {"level", sarif_level(f.severity)},
                     {"message", {{"text", text}}},
                     {"locations", {{{"physicalLocation", physical}}}},
                     {"properties", {{"status", to_string(f.status)}}}};
      if (f.layer_id >= 0) {
        result["locations"][0]["logicalLocations"] = {
            {{"name", f.layer_name},
             {"kind", "member"},
             {"fullyQualifiedName", fmt::format("{}#{}", f.layer_name, f.layer_id)}}};
      }
      if (!related.empty()) result["relatedLocations"] = related;
      results.push_back(result);
    }
  }
  json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver", {{"name", "irlint"}, {"version", IRLINT_VERSION}, {"rules", rules}}}}},
         {"results", results}}}}};
  out << dump_json(std::move(doc)) << '\n';
}

/// GitHub workflow commands need %, CR and LF escaped in data, and also , and : in properties.
std::string gh_escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

void render_github(const std::vector<FileReport>& reports, std::ostream& out) {
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      std::string body = shown(f.message);
      for (const Note& n : f.notes) body += "\nnote: " + shown(n.message);
      if (!f.fix.empty()) body += "\nfix: " + shown(f.fix);
      out << "::" << (f.severity == Severity::note ? "notice" : to_string(f.severity))
          << " file=" << gh_escape(shown(relative_uri(r.path)), true);
      if (f.pos.line) out << ",line=" << f.pos.line << ",col=" << f.pos.column;
      out << ",title=" << gh_escape(fmt::format("{} {}", code_of(f), rule_name(f)), true)
          << "::" << gh_escape(body, false) << '\n';
    }
  }
}

/// Text for an XML attribute or element: what XML 1.0 forbids escaped, markup as entities.
std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : escape(text, Escape::xml)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void render_junit(const std::vector<FileReport>& reports, std::ostream& out) {
  size_t failures = 0;
  for (const FileReport& r : reports) failures += r.findings.empty() ? 0 : 1;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << fmt::format("<testsuites name=\"irlint\" tests=\"{}\" failures=\"{}\">\n", reports.size(),
                     failures)
      << fmt::format("  <testsuite name=\"irlint\" tests=\"{}\" failures=\"{}\">\n", reports.size(),
                     failures);
  for (const FileReport& r : reports) {
    out << fmt::format("    <testcase classname=\"irlint\" name=\"{}\">\n", xml_escape(r.path));
    for (const Finding& f : r.findings) {
      std::string body;
      for (const Note& n : f.notes) body += "note: " + n.message + "\n";
      if (!f.fix.empty()) body += "fix: " + f.fix + "\n";
      out << fmt::format("      <failure type=\"{}\" message=\"{}: {}: {}\">{}</failure>\n",
                         xml_escape(rule_name(f)), xml_escape(location(r.path, f.pos)),
                         to_string(f.severity), xml_escape(f.message), xml_escape(body));
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace

void render(const std::vector<FileReport>& reports, const RenderOptions& options,
            std::ostream& out) {
  switch (options.format) {
    case Format::text:
      render_text(reports, options.color, out);
      break;
    case Format::json:
      render_json(reports, options, out);
      break;
    case Format::sarif:
      render_sarif(reports, out);
      break;
    case Format::github:
      render_github(reports, out);
      break;
    case Format::junit:
      render_junit(reports, out);
      break;
  }
}

}  // namespace irlint
