// Each fusion pattern on a graph of its written form, with the constants in a weights file: the
// form matches; with one constant wrong, or an inner layer read elsewhere too, it does not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "plan.hpp"
#include "plan/passes.hpp"
#include "plan/pattern.hpp"
#include "reader.hpp"

namespace irlint::planning {
namespace {

namespace fs = std::filesystem;

/// A layer of a test graph: its inputs are "x", an earlier layer's name, or "#<value>" for a
/// scalar f32 Const holding that value.
struct Op {
  std::string name, type;
  std::vector<std::string> inputs;
  std::string attrs = {};
};

/// An IR of Parameter x → `ops` → Result (of the last op), plus a Result for each name in
/// `extra_readers`; constants go to `bin`.
std::string graph_xml(const std::vector<Op>& ops, const std::vector<std::string>& extra_readers,
                      std::string* bin) {
  const std::string dims = "<dim>1</dim><dim>8</dim><dim>4</dim><dim>4</dim>";
  std::string layers, edges;
  std::map<std::string, int> id{{"x", 0}};
  int next = 1;
  auto port = [](int n, const std::string& d) {
    return "<port id=\"" + std::to_string(n) + "\" precision=\"FP32\">" + d + "</port>";
  };
  auto edge = [&](int from, int to, size_t to_port) {
    edges += "<edge from-layer=\"" + std::to_string(from) + "\" from-port=\"9\" to-layer=\"" +
             std::to_string(to) + "\" to-port=\"" + std::to_string(to_port) + "\"/>";
  };
  layers += R"(<layer id="0" name="x" type="Parameter" version="opset1"><data shape="1,8,4,4" )"
            R"(element_type="f32"/><output>)" +
            port(9, dims) + "</output></layer>";
  auto layer = [&](const std::string& name, const std::string& type,
                   const std::vector<std::string>& inputs, const std::string& attrs) {
    std::vector<int> from;
    for (const std::string& in : inputs) {
      if (in[0] != '#') {
        from.push_back(id.at(in));
        continue;
      }
      float value = std::stof(in.substr(1));
      std::string offset = std::to_string(bin->size());
      bin->append(reinterpret_cast<const char*>(&value), 4);
      layers += "<layer id=\"" + std::to_string(next) +
                R"(" name="c" type="Const" version="opset1"><data element_type="f32" shape="1" )"
                R"(offset=")" +
                offset + R"(" size="4"/><output>)" + port(9, "<dim>1</dim>") + "</output></layer>";
      from.push_back(next++);
    }
    int me = next++;
    id[name] = me;
    std::string in_ports;
    for (size_t i = 0; i < from.size(); ++i) {
      in_ports += port(static_cast<int>(i), dims);
      edge(from[i], me, i);
    }
    layers += "<layer id=\"" + std::to_string(me) + "\" name=\"" + name + "\" type=\"" + type +
              "\" version=\"opset1\"><data " + attrs + "/><input>" + in_ports + "</input><output>" +
              port(9, dims) + "</output></layer>";
  };
  for (const Op& op : ops) layer(op.name, op.type, op.inputs, op.attrs);
  std::vector<std::string> readers = extra_readers;
  readers.push_back(ops.back().name);
  for (const std::string& r : readers) {
    int me = next++;
    layers += "<layer id=\"" + std::to_string(me) +
              R"(" name="out" type="Result" version="opset1"><input>)" + port(0, dims) +
              "</input></layer>";
    edge(id.at(r), me, 0);
  }
  return R"(<?xml version="1.0"?><net name="p" version="11"><layers>)" + layers +
         "</layers><edges>" + edges + "</edges></net>";
}

/// The model of a graph, its weights in a file next to it (or none).
std::shared_ptr<IrModel> load(const std::vector<Op>& ops,
                              const std::vector<std::string>& extra_readers = {},
                              bool with_weights = true) {
  static int count = 0;
  fs::path dir = fs::temp_directory_path() / ("irlint_patterns_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path xml = dir / ("m" + std::to_string(count++) + ".xml");
  std::string bin;
  std::ofstream(xml) << graph_xml(ops, extra_readers, &bin);
  if (with_weights) std::ofstream(fs::path(xml).replace_extension(".bin"), std::ios::binary) << bin;
  auto model = read_ir(xml.string());
  EXPECT_FALSE(model->fatal);
  return model;
}

const Pattern& pattern_named(std::string_view name) {
  for (const Pattern& p : activation_patterns()) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no pattern " << name;
  return activation_patterns().front();
}

/// Whether `name` matches the graph, read from x with any of x's consumers as its anchor.
bool matches(const IrModel& model, std::string_view name) {
  std::string error;
  PlanState state(model, *parse_target("openvino-2024.6:avx2", &error), Quantization::as_written);
  fold_constants(state);
  Vertex x = 0;
  for (auto [it, end] = boost::out_edges(x, model.graph); it != end; ++it) {
    if (match_pattern(state, pattern_named(name), x, boost::target(*it, model.graph))) {
      return true;
    }
  }
  return false;
}

/// A form as written, which constant to change to what, and which inner layer to read twice.
struct Case {
  std::string_view pattern;
  std::vector<Op> ops;
  std::string wrong_constant;  ///< "layer:#value": the constant input of `layer` replaced
  std::string shared;          ///< an inner layer given a second reader
};

const std::string kClamp = R"(min="0" max="6")";

std::vector<Case> cases() {
  return {
      {"hswish-x-hsigmoid", {{"hs", "HSigmoid", {"x"}}, {"m", "Multiply", {"x", "hs"}}}, "", ""},
      {"hswish-x-hard-sigmoid",
       {{"hs", "HardSigmoid", {"x", "#0.2", "#0.5"}}, {"m", "Multiply", {"x", "hs"}}},
       "",
       ""},
      {"hswish-clamp-mul-div",
       {{"a", "Add", {"x", "#3"}},
        {"c", "Clamp", {"a"}, kClamp},
        {"m", "Multiply", {"x", "c"}},
        {"d", "Divide", {"m", "#6"}}},
       "d:#5",
       "c"},
      {"hswish-clamp-mul-mul",
       {{"a", "Add", {"x", "#3"}},
        {"c", "Clamp", {"a"}, kClamp},
        {"m", "Multiply", {"x", "c"}},
        {"s", "Multiply", {"m", "#0.1666667"}}},
       "s:#0.17",
       "m"},
      {"hswish-clamp-div-mul",
       {{"a", "Add", {"x", "#3"}},
        {"c", "Clamp", {"a"}, kClamp},
        {"d", "Divide", {"c", "#6"}},
        {"m", "Multiply", {"x", "d"}}},
       "a:#2",
       "d"},
      {"hswish-clamp-mul-mul-x",
       {{"a", "Add", {"x", "#3"}},
        {"c", "Clamp", {"a"}, kClamp},
        {"s", "Multiply", {"c", "#0.1666667"}},
        {"m", "Multiply", {"x", "s"}}},
       "s:#6",
       "a"},
      {"hswish-clamp-mul",
       {{"a", "Add", {"x", "#3"}}, {"c", "Clamp", {"a"}, kClamp}, {"m", "Multiply", {"x", "c"}}},
       "a:#3.5",
       "c"},
      {"hswish-relu-min-mul-div",
       {{"a", "Add", {"x", "#3"}},
        {"r", "Relu", {"a"}},
        {"n", "Minimum", {"r", "#6"}},
        {"m", "Multiply", {"x", "n"}},
        {"d", "Divide", {"m", "#6"}}},
       "n:#8",
       "r"},
      {"hswish-relu-min-mul-mul",
       {{"a", "Add", {"x", "#3"}},
        {"r", "Relu", {"a"}},
        {"n", "Minimum", {"r", "#6"}},
        {"m", "Multiply", {"x", "n"}},
        {"s", "Multiply", {"m", "#0.1666667"}}},
       "s:#0.2",
       "n"},
      {"hsigmoid-clamp-div",
       {{"a", "Add", {"x", "#3"}}, {"c", "Clamp", {"a"}, kClamp}, {"d", "Divide", {"c", "#6"}}},
       "d:#3",
       "c"},
      {"hsigmoid-clamp-mul",
       {{"a", "Add", {"x", "#3"}},
        {"c", "Clamp", {"a"}, kClamp},
        {"s", "Multiply", {"c", "#0.1666667"}}},
       "a:#-3",
       "a"},
      {"hsigmoid-relu-min-div",
       {{"a", "Add", {"x", "#3"}},
        {"r", "Relu", {"a"}},
        {"n", "Minimum", {"r", "#6"}},
        {"d", "Divide", {"n", "#6"}}},
       "n:#5",
       "n"},
      {"hsigmoid-relu-min-mul",
       {{"a", "Add", {"x", "#3"}},
        {"r", "Relu", {"a"}},
        {"n", "Minimum", {"r", "#6"}},
        {"s", "Multiply", {"n", "#0.1666667"}}},
       "s:#0.5",
       "r"},
      {"hsigmoid-max-min-div",
       {{"a", "Add", {"x", "#3"}},
        {"p", "Maximum", {"a", "#0"}},
        {"n", "Minimum", {"p", "#6"}},
        {"d", "Divide", {"n", "#6"}}},
       "p:#-1",
       "p"},
      {"swish-x-sigmoid", {{"s", "Sigmoid", {"x"}}, {"m", "Multiply", {"x", "s"}}}, "", ""},
      {"swish-x-sigmoid-beta",
       {{"b", "Multiply", {"x", "#1.5"}}, {"s", "Sigmoid", {"b"}}, {"m", "Multiply", {"x", "s"}}},
       "",
       "b"},
      {"swish-exp-beta",
       {{"b", "Multiply", {"x", "#1.5"}},
        {"n", "Negative", {"b"}},
        {"e", "Exp", {"n"}},
        {"a", "Add", {"e", "#1"}},
        {"d", "Divide", {"x", "a"}}},
       "a:#2",
       "e"},
      {"swish-exp",
       {{"n", "Negative", {"x"}},
        {"e", "Exp", {"n"}},
        {"a", "Add", {"e", "#1"}},
        {"d", "Divide", {"x", "a"}}},
       "a:#0",
       "n"},
      {"gelu-erf-1",
       {{"h", "Multiply", {"x", "#0.5"}},
        {"q", "Divide", {"x", "#1.4142135"}},
        {"e", "Erf", {"q"}},
        {"a", "Add", {"e", "#1"}},
        {"m", "Multiply", {"h", "a"}}},
       "q:#1.5",
       "e"},
      {"gelu-erf-2",
       {{"q", "Divide", {"x", "#1.4142135"}},
        {"e", "Erf", {"q"}},
        {"a", "Add", {"e", "#1"}},
        {"m", "Multiply", {"x", "a"}},
        {"h", "Multiply", {"m", "#0.5"}}},
       "h:#0.25",
       "m"},
      {"gelu-erf-3",
       {{"q", "Divide", {"x", "#1.4142135"}},
        {"e", "Erf", {"q"}},
        {"a", "Add", {"e", "#1"}},
        {"h", "Multiply", {"a", "#0.5"}},
        {"m", "Multiply", {"x", "h"}}},
       "a:#2",
       "h"},
      {"gelu-erf-4",
       {{"q", "Multiply", {"x", "#0.7071068"}},
        {"e", "Erf", {"q"}},
        {"h", "Multiply", {"e", "#0.5"}},
        {"a", "Add", {"h", "#0.5"}},
        {"m", "Multiply", {"x", "a"}}},
       "q:#0.8",
       "a"},
      {"gelu-tanh",
       {{"p", "Power", {"x", "#3"}},
        {"c", "Multiply", {"p", "#0.044715"}},
        {"s", "Add", {"x", "c"}},
        {"k", "Multiply", {"s", "#0.7978846"}},
        {"t", "Tanh", {"k"}},
        {"a", "Add", {"t", "#1"}},
        {"h", "Multiply", {"a", "#0.5"}},
        {"m", "Multiply", {"x", "h"}}},
       "p:#2",
       "t"},
  };
}

/// The case of pattern `name`.
Case case_of(std::string_view name) {
  for (Case& c : cases()) {
    if (c.pattern == name) return c;
  }
  ADD_FAILURE() << "no case for " << name;
  return {};
}

/// `ops` with the constant input of the layer named before ':' in `change` replaced.
std::vector<Op> with_constant(std::vector<Op> ops, const std::string& change) {
  std::string layer = change.substr(0, change.find(':'));
  for (Op& op : ops) {
    if (op.name != layer) continue;
    for (std::string& in : op.inputs) {
      if (in[0] == '#') {
        in = change.substr(change.find(':') + 1);
        return ops;
      }
    }
  }
  ADD_FAILURE() << "no constant input on " << layer;
  return ops;
}

TEST(Patterns, EveryFormMatchesItsGraph) {
  for (const Case& c : cases()) EXPECT_TRUE(matches(*load(c.ops), c.pattern)) << c.pattern;
}

TEST(Patterns, AWrongConstantDoesNotMatch) {
  for (const Case& c : cases()) {
    if (c.wrong_constant.empty()) continue;  // no constant it checks
    EXPECT_FALSE(matches(*load(with_constant(c.ops, c.wrong_constant)), c.pattern))
        << c.pattern << " with " << c.wrong_constant;
  }
}

TEST(Patterns, AnInnerLayerWithAnotherReaderDoesNotMatch) {
  for (const Case& c : cases()) {
    if (c.shared.empty()) continue;  // x * s(x): s is not required to have one reader
    EXPECT_FALSE(matches(*load(c.ops, {c.shared}), c.pattern)) << c.pattern << " " << c.shared;
  }
}

TEST(Patterns, EveryPatternHasACase) {
  std::vector<Case> all = cases();
  for (const Pattern& p : activation_patterns()) {
    bool found =
        std::any_of(all.begin(), all.end(), [&](const Case& c) { return c.pattern == p.name; });
    EXPECT_TRUE(found) << p.name;
  }
}

// Without a weights file the constants cannot be read: the form still matches, as it did before
// the planner checked them.
TEST(Patterns, UnreadableConstantsStillMatch) {
  Case c = case_of("hswish-clamp-mul-div");
  EXPECT_TRUE(matches(*load(with_constant(c.ops, c.wrong_constant), {}, false), c.pattern));
}

TEST(Patterns, HSigmoidNeedsXToHaveOneReader) {
  Case c = case_of("hsigmoid-clamp-div");
  EXPECT_FALSE(matches(*load(c.ops, {"x"}), c.pattern));
}

/// Parameter → Convolution → the form → Result, planned for `target_name`.
Plan plan_after_convolution(std::vector<Op> ops, const std::string& target_name) {
  for (Op& op : ops) {
    for (std::string& in : op.inputs) in = in == "x" ? "conv" : in;
  }
  ops.insert(ops.begin(), Op{"conv",
                             "Convolution",
                             {"x", "#1"},
                             R"(strides="1,1" dilations="1,1" pads_begin="0,0" pads_end="0,0")"});
  auto model = load(ops);
  std::string error;
  return plan(*model, *parse_target(target_name, &error));
}

TEST(Patterns, PlannerFusesTheReluMinimumHSwish) {
  Case c = case_of("hswish-relu-min-mul-div");
  Plan p = plan_after_convolution(c.ops, "openvino-2024.6:avx2");
  ASSERT_EQ(p.activations.size(), 1u);
  EXPECT_EQ(p.activations[0].form, "hswish-relu-min-mul-div");
  EXPECT_EQ(p.activations[0].fused, Support::yes);
  EXPECT_EQ(p.nodes[p.activations[0].conv_node].fused.size(), 6u);
  // Under 2019.3 the runtime has no HSwish: the form is found but does not fuse.
  Plan old = plan_after_convolution(c.ops, "openvino-2019.3:avx2");
  ASSERT_EQ(old.activations.size(), 1u);
  EXPECT_EQ(old.activations[0].fused, Support::no);
  // With a wrong constant there is no h-swish, and the convolution's output has two readers.
  Plan wrong =
      plan_after_convolution(with_constant(c.ops, c.wrong_constant), "openvino-2024.6:avx2");
  EXPECT_TRUE(wrong.activations.empty());
}

TEST(Patterns, PipelineRunsInItsDeclaredOrder) {
  std::vector<std::string_view> names;
  for (const Pass& pass : pipeline()) names.push_back(pass.name);
  EXPECT_EQ(names,
            (std::vector<std::string_view>{"fold-constants", "detect-quantization", "build-nodes",
                                           "insert-reorders", "name-kernels"}));
}

}  // namespace
}  // namespace irlint::planning
