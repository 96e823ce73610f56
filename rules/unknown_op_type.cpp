#include <map>
#include <set>

#include "opsets.hpp"
#include "rule.hpp"

namespace irlint {
namespace {

/// Starts a finding about `layer`, which may belong to a sub-graph body of the model.
Finding& report_layer(RuleContext& ctx, const Layer& layer, std::string message) {
  Finding& f = ctx.report_at(layer.pos, std::move(message));
  f.layer_id = layer.id;
  f.layer_name = std::string(layer.name);
  f.layer_type = std::string(layer.type);
  return f;
}

/// "from opset4", "only in opset1", "in opset1, opset3, from opset5".
std::string describe_spans(const std::vector<OpsetSpan>& spans) {
  std::vector<std::string> parts;
  for (const OpsetSpan& s : spans) {
    if (s.first == s.last) {
      parts.push_back(fmt::format("opset{}", s.first));
    } else if (s.last == kLatestOpset) {
      parts.push_back(fmt::format("from opset{}", s.first));
    } else {
      parts.push_back(fmt::format("in opset{} to opset{}", s.first, s.last));
    }
  }
  if (spans.size() == 1 && spans.front().first == spans.front().last) return "only in " + parts[0];
  if (spans.size() == 1) return parts[0];
  return fmt::format("in {}", fmt::join(parts, ", "));
}

/// The opset nearest to `wanted` that has `type`: the newest one not after it, else the first.
int nearest_opset(const std::vector<OpsetSpan>& spans, int wanted) {
  int best = 0;
  for (const OpsetSpan& s : spans) {
    if (s.first <= wanted) best = std::min(wanted, s.last);
  }
  return best != 0 ? best : spans.front().first;
}

/// Whether the IR reader creates `type` from the opset named by `opset`. Besides the table, the
/// reader (src/frontends/ir/src/ir_deserializer.cpp) takes MVN, ROIPooling and ReorgYolo from
/// opset2 when a layer says opset1, because early converters wrote them that way.
bool reader_accepts(std::string_view type, int opset) {
  if (op_in_opset(type, opset)) return true;
  return opset == 1 && (type == "MVN" || type == "ROIPooling" || type == "ReorgYolo");
}

constexpr SeverityCase kSeverityCases[] = {
    {Severity::note,
     "a custom operation (a version that names no opset): it loads once its extension library is "
     "added"},
    {Severity::note,
     "a layer of an opset newer than irlint knows, whose type the newest known opset lacks"},
};
const SeverityCase& kCustomOp = kSeverityCases[0];
const SeverityCase& kNewerOpset = kSeverityCases[1];

struct CustomUse {
  const Layer* first = nullptr;
  std::string_view domain;
  int count = 0;
};

class Checker {
 public:
  explicit Checker(RuleContext& ctx) : ctx_(ctx) {}

  void model(const IrModel& m, int ir_version) {
    for (Vertex v = 0; v < boost::num_vertices(m.graph); ++v) {
      const Layer& layer = m.layer(v);
      // Most layers share a few (type, version) pairs: one that passed is not looked up again.
      std::pair key(layer.type, layer.version);
      if (!passed_.contains(key) &&
          (ir_version <= 7 ? legacy_layer(layer, ir_version) : opset_layer(layer))) {
        passed_.insert(key);
      }
      for (const auto& body : layer.bodies) {
        if (body) model(*body, ir_version);
      }
    }
  }

  /// One note per custom type, at its first layer.
  void report_custom() {
    for (const auto& [type, use] : custom_) {
      Finding& f = report_layer(
          ctx_, *use.first,
          fmt::format("'{}' is a custom operation (version \"{}\"): the CPU plugin runs it only "
                      "with the extension library that implements it loaded",
                      type, use.domain));
      ctx_.set_severity(f, kCustomOp);
      if (use.count > 1) {
        f.notes.push_back(
            {fmt::format("{} layers have this type; this note is given once", use.count), {}});
      }
      if (tokenizers_op(type)) {
        f.notes.push_back({fmt::format("'{}' is an operation of openvino_tokenizers", type), {}});
        f.fix =
            "load openvino_tokenizers before reading the model (`import openvino_tokenizers` in "
            "Python, or core.add_extension(\"libopenvino_tokenizers.so\"))";
      } else {
        f.fix =
            "load the extension library before reading the model "
            "(core.add_extension(\"<path to the library>\"))";
      }
    }
  }

 private:
  /// True when the layer passes silently (as does every layer of its type and version).
  bool legacy_layer(const Layer& layer, int ir_version) {
    // The v7 reader made a generic layer of any type; opset names written by late converters
    // were accepted too, so only a type neither list knows is reported.
    if (layer.type.empty() || known_legacy_layer(layer.type) || known_op(layer.type)) return true;
    Finding& f = report_layer(
        ctx_, layer, fmt::format("'{}' is not a layer type of IR v{}", layer.type, ir_version));
    f.notes.push_back(
        {"the legacy reader keeps it as a generic layer; the CPU plugin refuses to "
         "load the model unless an extension implements the type",
         {}});
    f.fix = "check the spelling of the type, or load the CPU extension library that implements it";
    return false;
  }

  /// True when the layer passes silently (as does every layer of its type and version).
  bool opset_layer(const Layer& layer) {
    if (layer.type.empty()) return true;
    std::optional<int> opset = parse_opset(layer.version);
    if (!opset) {
      if (layer.version.empty()) {
        if (known_op(layer.type)) return true;
        unknown_type(layer, "any opset");
        return false;
      }
      bool experimental = layer.version == "experimental" || layer.version == "extension";
      if (experimental && experimental_alias_op(layer.type)) return true;
      CustomUse& use = custom_[std::string(layer.type)];
      if (use.count++ == 0) {
        use.first = &layer;
        use.domain = layer.version;
      }
      return false;
    }
    if (*opset > kLatestOpset) {
      // What opset16 and later add or drop is not in the table: only a type that opset15 has
      // passes silently, anything else is reported as not known.
      if (op_in_opset(layer.type, kLatestOpset)) return true;
      Finding& f = report_layer(ctx_, layer,
                                fmt::format("whether '{}' is an operation of {} is not known",
                                            layer.type, layer.version));
      ctx_.set_severity(f, kNewerOpset);
      f.notes.push_back({fmt::format("irlint knows opset1 to opset{}", kLatestOpset), {}});
      return false;
    }
    if (reader_accepts(layer.type, *opset)) return true;
    if (!known_op(layer.type)) {
      unknown_type(layer, layer.version);
      return false;
    }
    std::vector<OpsetSpan> spans = opset_spans(layer.type);
    Finding& f = report_layer(
        ctx_, layer, fmt::format("'{}' is not an operation of {}", layer.type, layer.version));
    f.notes.push_back({fmt::format("{} exists {}", layer.type, describe_spans(spans)), {}});
    f.notes.push_back(
        {"OpenVINO's IR reader fails on this layer: the model cannot be loaded on the CPU", {}});
    f.fix = fmt::format(
        "write version=\"opset{}\" on the layer (with that version's attributes), or convert the "
        "model again with a current converter",
        nearest_opset(spans, *opset));
    return false;
  }

  void unknown_type(const Layer& layer, std::string_view where) {
    Finding& f =
        report_layer(ctx_, layer, fmt::format("'{}' is not an operation of {}", layer.type, where));
    f.notes.push_back(
        {fmt::format("no opset from opset1 to opset{} has an operation of this type", kLatestOpset),
         {}});
    f.fix =
        "fix the type name, or, for a custom operation, write the extension's domain in version "
        "(e.g. version=\"extension\") and load the extension library";
  }

  RuleContext& ctx_;
  std::map<std::string, CustomUse> custom_;
  std::set<std::pair<std::string_view, std::string_view>> passed_;
};

void check(RuleContext& ctx) {
  const IrModel& m = ctx.model;
  bool opsets = m.ir_version == 10 || m.ir_version == 11;
  bool legacy = m.ir_version >= 2 && m.ir_version <= 7;
  if (m.fatal || (!opsets && !legacy)) return;
  Checker checker(ctx);
  checker.model(m, m.ir_version);
  checker.report_custom();
}

}  // namespace

extern const Rule kUnknownOpType{
    .info = {.code = "IRL015",
             .name = "unknown-op-type",
             .severity = Severity::warning,
             .summary =
                 "a layer type is not an operation of the opset its version names, or a custom "
                 "operation that needs an extension library",
             .severity_cases = kSeverityCases},
    .check = check};

}  // namespace irlint
