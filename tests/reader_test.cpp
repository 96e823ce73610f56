// Tests of the IR reader: its helpers, legacy type normalisation and a catalogue of broken
// inputs (testdata/reader), each checked finding by finding through the `irlint check` path.
#include "reader.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine.hpp"
#include "op.hpp"
#include "plan.hpp"
#include "rule.hpp"
#include "target.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const fs::path kCatalogue = fs::path(IRLINT_SOURCE_DIR) / "testdata" / "reader";

// ---------------------------------------------------------------------------------------------
// LineTable, parse_dim, parse_int_list, element_count

TEST(LineTable, MapsOffsetsToLineAndColumn) {
  LineTable lines("ab\ncd\n\nx");
  EXPECT_EQ(lines.position(0), (SourcePos{1, 1}));
  EXPECT_EQ(lines.position(1), (SourcePos{1, 2}));
  EXPECT_EQ(lines.position(2), (SourcePos{1, 3}));  // the newline itself
  EXPECT_EQ(lines.position(3), (SourcePos{2, 1}));
  EXPECT_EQ(lines.position(6), (SourcePos{3, 1}));
  EXPECT_EQ(lines.position(7), (SourcePos{4, 1}));
  EXPECT_EQ(lines.position(8), (SourcePos{4, 2}));  // one past the end
}

TEST(LineTable, EmptyTextAndCrLf) {
  EXPECT_EQ(LineTable("").position(0), (SourcePos{1, 1}));
  LineTable crlf("a\r\nb");
  EXPECT_EQ(crlf.position(3), (SourcePos{2, 1}));
}

TEST(ParseDim, StaticAndDynamic) {
  EXPECT_EQ(parse_dim("224"), (Dim{224, 224}));
  EXPECT_EQ(parse_dim(" 7\n"), (Dim{7, 7}));
  EXPECT_EQ(parse_dim("0"), (Dim{0, 0}));
  EXPECT_EQ(parse_dim("-1"), (Dim{0, Dim::kUnbounded}));
  EXPECT_EQ(parse_dim("?"), (Dim{0, Dim::kUnbounded}));
  EXPECT_FALSE(parse_dim("-1")->is_static());
}

TEST(ParseDim, Ranges) {
  EXPECT_EQ(parse_dim("1..10"), (Dim{1, 10}));
  EXPECT_EQ(parse_dim("..10"), (Dim{0, 10}));
  EXPECT_EQ(parse_dim("2.."), (Dim{2, Dim::kUnbounded}));
  EXPECT_EQ(parse_dim(".."), (Dim{0, Dim::kUnbounded}));
  EXPECT_EQ(parse_dim("5..5"), (Dim{5, 5}));
}

TEST(ParseDim, Garbage) {
  for (const char* bad : {"", "abc", "-2", "1.5", "10..2", "-1..3", "1..x", "3x", "1,2",
                          "99999999999999999999", "..-4"}) {
    EXPECT_FALSE(parse_dim(bad).has_value()) << "'" << bad << "'";
  }
}

/// The dims of a valid partial shape, "..." for a dynamic rank; "error: …" when it fails.
std::string partial(std::string_view text) {
  std::string error;
  auto shape = parse_partial_shape(text, &error);
  if (!shape) return "error: " + error;
  if (shape->dynamic_rank) return "...";
  std::string out;
  for (const Dim& d : shape->dims) {
    if (!out.empty()) out += ",";
    out += d.is_static() ? std::to_string(d.min)
                         : fmt::format("{}:{}", d.min, d.max == Dim::kUnbounded ? -1 : d.max);
  }
  return "[" + out + "]";
}

// The cases of OpenVINO's PartialShapeDeserialization tests and its parser's rules
// (src/frontends/ir/src/utils.cpp str_to_partial_shape, src/core/src/partial_shape.cpp).
TEST(ParsePartialShape, ValidShapes) {
  EXPECT_EQ(partial("1,3,224,224"), "[1,3,224,224]");
  EXPECT_EQ(partial("1,3,100..200,120..320"), "[1,3,100:200,120:320]");
  EXPECT_EQ(partial("1,?,..200,120.."), "[1,0:-1,0:200,120:-1]");
  EXPECT_EQ(partial("-1,3"), "[0:-1,3]");
  EXPECT_EQ(partial("..."), "...");
  EXPECT_EQ(partial(" ... "), "...");
  EXPECT_EQ(partial(""), "[]");  // a scalar
  EXPECT_EQ(partial(" 1 , 2 "), "[1,2]");
  EXPECT_EQ(partial("1,2,"), "[1,2]");     // getline drops a trailing empty field
  EXPECT_EQ(partial("1, ,2"), "[1,0,2]");  // a blank field reads as 0
  EXPECT_EQ(partial("[1,3]"), "[1,3]");
  EXPECT_EQ(partial("[...]"), "...");
  EXPECT_EQ(partial(".."), "[0:-1]");
}

TEST(ParsePartialShape, MalformedShapesAreRejectedAsOpenVinoDoes) {
  for (const char* bad : {"...,...", "1,...,2", "1s,2", "1..g,2", "1,,2", ",1", "-2,3", "+1", "1.5",
                          "g..4", "-1..3", "1...5", "99999999999999999999"}) {
    EXPECT_TRUE(partial(bad).starts_with("error: ")) << "'" << bad << "' -> " << partial(bad);
  }
  EXPECT_EQ(partial("1s,2"), "error: cannot parse dimension '1s'");
  EXPECT_EQ(partial("1..g,2"), "error: cannot parse the upper bound 'g' of '1..g'");
}

TEST(ParsePartialShape, AReversedBoundIsAnEmptyIntervalNotAnError) {
  std::string error;
  auto shape = parse_partial_shape("1,10..2", &error);
  ASSERT_TRUE(shape);
  EXPECT_EQ(shape->empty_interval, "10..2");
  EXPECT_EQ(shape->dims.size(), 2u);
}

TEST(ParseIntList, Values) {
  EXPECT_EQ(parse_int_list("1,1"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(parse_int_list(" 3, 4 ,5"), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(parse_int_list("-2"), (std::vector<int64_t>{-2}));
  EXPECT_EQ(parse_int_list(""), (std::vector<int64_t>{}));
  EXPECT_FALSE(parse_int_list("a,b"));
  EXPECT_FALSE(parse_int_list("1,,2"));
  EXPECT_FALSE(parse_int_list("1,"));
  EXPECT_FALSE(parse_int_list("1;2"));
  EXPECT_FALSE(parse_int_list("1.5"));
}

TEST(ElementCount, ProductsAndOverflow) {
  EXPECT_EQ(element_count({}), 1u);
  EXPECT_EQ(element_count({{1, 1}, {3, 3}, {224, 224}, {224, 224}}), 150528u);
  EXPECT_EQ(element_count({{0, 0}, {5, 5}}), 0u);
  EXPECT_EQ(element_count({{int64_t{1} << 31, int64_t{1} << 31}}), uint64_t{1} << 31);
  EXPECT_EQ(
      element_count({{int64_t{1} << 31, int64_t{1} << 31}, {int64_t{1} << 31, int64_t{1} << 31}}),
      uint64_t{1} << 62);
  EXPECT_FALSE(
      element_count({{int64_t{1} << 32, int64_t{1} << 32}, {int64_t{1} << 32, int64_t{1} << 32}}));
  EXPECT_FALSE(element_count({{1, 1}, {0, Dim::kUnbounded}}));
  EXPECT_FALSE(element_count({{1, 10}}));
}

// ---------------------------------------------------------------------------------------------
// op_kind: legacy normalisation

Layer make_layer(std::string_view type, std::vector<Attribute> data = {},
                 std::string_view version = {}) {
  Layer l;
  l.type = type;
  l.version = version;
  l.data = std::move(data);
  return l;
}

TEST(OpKind, LegacyConvolution) {
  EXPECT_EQ(op_kind(make_layer("Convolution")), OpKind::convolution);
  EXPECT_EQ(op_kind(make_layer("Convolution", {{"group", "1"}})), OpKind::convolution);
  EXPECT_EQ(op_kind(make_layer("Convolution", {{"group", "32"}})), OpKind::group_convolution);
  EXPECT_EQ(op_kind(make_layer("Convolution", {{"group", "32"}}, "opset1")), OpKind::convolution);
  EXPECT_EQ(op_kind(make_layer("GroupConvolution", {}, "opset1")), OpKind::group_convolution);
}

TEST(OpKind, LegacyReluWithSlope) {
  EXPECT_EQ(op_kind(make_layer("ReLU")), OpKind::relu);
  for (const char* zero : {"0", "0.0", "0.000000", "0.00", "-0", "0e0"}) {
    EXPECT_EQ(op_kind(make_layer("ReLU", {{"negative_slope", zero}})), OpKind::relu) << zero;
  }
  EXPECT_EQ(op_kind(make_layer("ReLU", {{"negative_slope", "0.1"}})), OpKind::leaky_relu);
  EXPECT_EQ(op_kind(make_layer("ReLU", {{"negative_slope", "0.100000"}})), OpKind::leaky_relu);
  EXPECT_EQ(op_kind(make_layer("Relu", {}, "opset1")), OpKind::relu);
}

TEST(OpKind, LegacyEltwise) {
  EXPECT_EQ(op_kind(make_layer("Eltwise")), OpKind::add);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "sum"}})), OpKind::add);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "mul"}})), OpKind::multiply);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "prod"}})), OpKind::multiply);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "sub"}})), OpKind::subtract);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "div"}})), OpKind::divide);
  EXPECT_EQ(op_kind(make_layer("Eltwise", {{"operation", "max"}})), OpKind::other_eltwise);
}

TEST(OpKind, LegacyActivationAndPooling) {
  EXPECT_EQ(op_kind(make_layer("Activation", {{"type", "sigmoid"}})), OpKind::sigmoid);
  EXPECT_EQ(op_kind(make_layer("Activation", {{"type", "tanh"}})), OpKind::tanh);
  EXPECT_EQ(op_kind(make_layer("Activation", {{"type", "elu"}})), OpKind::elu);
  EXPECT_EQ(op_kind(make_layer("Activation", {{"type", "relu6"}})), OpKind::clamp);
  EXPECT_EQ(op_kind(make_layer("Activation", {{"type", "exp"}})), OpKind::other_activation);
  EXPECT_EQ(op_kind(make_layer("Pooling", {{"pool-method", "avg"}})), OpKind::avg_pool);
  EXPECT_EQ(op_kind(make_layer("Pooling", {{"pool-method", "max"}})), OpKind::max_pool);
  EXPECT_EQ(op_kind(make_layer("Pooling")), OpKind::max_pool);
}

TEST(OpKind, LegacySpecialLayers) {
  EXPECT_EQ(op_kind(make_layer("Power", {{"power", "1"}, {"scale", "2"}})), OpKind::power);
  EXPECT_EQ(op_kind(make_layer("ScaleShift")), OpKind::scale_shift);
  EXPECT_EQ(op_kind(make_layer("FullyConnected")), OpKind::matmul);
  EXPECT_EQ(op_kind(make_layer("Input")), OpKind::parameter);
  EXPECT_EQ(op_kind(make_layer("Clamp", {{"min", "0"}, {"max", "6"}})), OpKind::clamp);
  EXPECT_EQ(op_kind(make_layer("Interp")), OpKind::other);
}

TEST(OpKind, OpsetPowerIsTwoInputArithmetic) {
  EXPECT_EQ(op_kind(make_layer("Power", {}, "opset1")), OpKind::other_eltwise);
  EXPECT_TRUE(is_eltwise(op_kind(make_layer("Power", {}, "opset1"))));
  EXPECT_EQ(op_kind(make_layer("MyCustomOp", {}, "extension")), OpKind::other);
}

TEST(OpKind, Names) {
  EXPECT_EQ(to_string(OpKind::group_convolution), "group_convolution");
  EXPECT_EQ(to_string(OpKind::other), "other");
  EXPECT_TRUE(is_activation(OpKind::leaky_relu));
  EXPECT_FALSE(is_activation(OpKind::add));
  EXPECT_TRUE(is_passive(OpKind::reshape));
}

// ---------------------------------------------------------------------------------------------
// The catalogue of broken inputs: every testdata/reader/<case>.xml has a <case>.expect with
// one line `LINE:COL: SEVERITY: MESSAGE [RULE]` per finding, compared exactly.

Target test_target() {
  std::string error;
  auto target = parse_target("openvino-2019.3:avx2", &error);
  EXPECT_TRUE(target) << error;
  return target ? *target : default_target();
}

/// Limits some cases run under, so that the catalogue's files stay small.
ReadLimits limits_for(const std::string& name) {
  ReadLimits limits;
  if (name == "huge-attribute") limits.max_attribute_bytes = 64 << 10;
  return limits;
}

/// The rules that judge the file itself (the reader's and the graph's structure checks); the
/// planner's predictions and op-set checks are tested elsewhere and would only add noise.
constexpr std::array<const char*, 14> kReaderRules = {
    "unreadable-file",      "malformed-xml",  "invalid-ir-structure", "unsupported-ir-version",
    "duplicate-layer-id",   "dangling-edge",  "port-fed-twice",       "invalid-dimension",
    "limit-exceeded",       "shape-mismatch", "graph-cycle",          "unconnected-layer",
    "weights-out-of-range", "missing-weights"};

/// Runs the `irlint check --select <reader rules>` path: read_ir, plan unless fatal, lint.
std::vector<std::string> check_lines(const fs::path& xml, const ReadLimits& limits) {
  auto model = read_ir(xml.string(), {}, limits);
  std::optional<Plan> predicted;
  if (!model->fatal) predicted = plan(*model, test_target());
  RuleSettings settings;
  settings.select = {kReaderRules.begin(), kReaderRules.end()};
  std::vector<std::string> lines;
  for (const Finding& f : lint(*model, predicted ? &*predicted : nullptr, settings)) {
    lines.push_back(fmt::format("{}:{}: {}: {} [{}]", f.pos.line, f.pos.column,
                                to_string(f.severity), f.message, rule_name(f)));
  }
  return lines;
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> catalogue_cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCatalogue)) {
    if (entry.path().extension() == ".xml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReaderCatalogue, HasAtLeastFortyCases) { EXPECT_GE(catalogue_cases().size(), 40u); }

TEST(ReaderCatalogue, EveryCaseMatchesItsExpectations) {
  bool update = std::getenv("IRLINT_UPDATE_EXPECT") != nullptr;
  for (const std::string& name : catalogue_cases()) {
    SCOPED_TRACE(name);
    fs::path xml = kCatalogue / (name + ".xml");
    fs::path expect = kCatalogue / (name + ".expect");
    auto actual = check_lines(xml, limits_for(name));
    if (update) {
      std::ofstream out(expect);
      for (const auto& l : actual) out << l << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(expect)) << "missing " << expect;
    auto expected = read_lines(expect);
    EXPECT_EQ(actual, expected);
    // A case named *-valid must read without any error from the reader's rules.
    if (name.ends_with("-valid")) {
      for (const auto& l : actual) EXPECT_EQ(l.find(": error: "), std::string::npos) << l;
    } else {
      EXPECT_FALSE(actual.empty()) << "a broken input must produce a diagnostic";
    }
    // Every finding of a non-empty file is positioned.
    for (const auto& l : actual) EXPECT_FALSE(l.starts_with("0:0:")) << l;
  }
}

TEST(ReaderCatalogue, DoctypeIsNeverExpanded) {
  for (const char* name :
       {"doctype-internal-entity", "doctype-external-entity", "doctype-billion-laughs"}) {
    auto model = read_ir((kCatalogue / (std::string(name) + ".xml")).string());
    EXPECT_TRUE(model->fatal) << name;
    ASSERT_FALSE(model->issues.empty()) << name;
    EXPECT_EQ(model->issues.front().check, ReaderCheck::malformed_xml) << name;
    EXPECT_EQ(boost::num_vertices(model->graph), 0u) << name;
  }
}

TEST(ReaderCatalogue, BomAndCrLfReadLikeThePlainFile) {
  for (const char* name : {"bom-valid", "crlf-valid"}) {
    auto model = read_ir((kCatalogue / (std::string(name) + ".xml")).string());
    EXPECT_FALSE(model->fatal) << name;
    EXPECT_TRUE(model->issues.empty()) << name;
    EXPECT_EQ(model->layer_count(), 3u) << name;
    EXPECT_EQ(boost::num_edges(model->graph), 2u) << name;
    EXPECT_EQ(model->layer(1).name, "relu") << name;
    EXPECT_EQ(model->layer(1).pos, (SourcePos{15, 3})) << name;
  }
}

TEST(ReaderCatalogue, NestedBodies) {
  auto valid = read_ir((kCatalogue / "body-nested-10-valid.xml").string());
  EXPECT_TRUE(valid->issues.empty());
  int depth = 0;
  const IrModel* m = valid.get();
  while (m->layer_count() > 1 && !m->layer(1).bodies.empty()) {
    m = m->layer(1).bodies.front().get();
    ++depth;
  }
  EXPECT_EQ(depth, 10);
  EXPECT_EQ(m->depth, 10);
  auto deep = read_ir((kCatalogue / "body-nested-70.xml").string());
  ASSERT_EQ(deep->issues.size(), 1u);
  EXPECT_EQ(deep->issues[0].check, ReaderCheck::limit_exceeded);
}

/// Exit status of the real binary; -1 when it died of a signal (or timed out).
int run_binary(const fs::path& xml) {
  std::string cmd = fmt::format(
      "timeout 20 '{}' check --no-config --fail-on error '{}' "
      ">/dev/null 2>&1",
      IRLINT_BINARY, xml.string());
  int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(ReaderCatalogue, BinaryExitsTwoOnBrokenInput) {
  if (!fs::exists(IRLINT_BINARY)) GTEST_SKIP() << "irlint binary not built: " << IRLINT_BINARY;
  for (const char* name :
       {"empty", "binary-garbage", "nul-byte", "truncated-mid-tag", "doctype-external-entity",
        "non-utf8-name", "cycle", "port-fed-twice", "body-nested-70", "dim-product-overflow"}) {
    EXPECT_EQ(run_binary(kCatalogue / (std::string(name) + ".xml")), 2) << name;
  }
  for (const char* name : {"bom-valid", "crlf-valid", "rt-info-tab-in-tag-valid"}) {
    EXPECT_EQ(run_binary(kCatalogue / (std::string(name) + ".xml")), 0) << name;
  }
}

// ---------------------------------------------------------------------------------------------
// Limits: each produces a positioned limit-exceeded finding.

const ReaderIssue* find_issue(const IrModel& m, ReaderCheck check) {
  for (const ReaderIssue& i : m.issues) {
    if (i.check == check) return &i;
  }
  return nullptr;
}

std::string small_net(std::string extra_layer_attr = {}, std::string tail = {}) {
  return "<net name=\"n\" version=\"11\">\n<layers>\n"
         "<layer id=\"0\" name=\"in\" type=\"Parameter\" version=\"opset1\"" +
         extra_layer_attr +
         ">\n<output><port id=\"0\"><dim>1</dim><dim>4</dim></port></output>\n</layer>\n"
         "<layer id=\"1\" name=\"out\" type=\"Result\" version=\"opset1\">\n"
         "<input><port id=\"0\"><dim>1</dim><dim>4</dim></port></input>\n</layer>\n"
         "</layers>\n<edges><edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" "
         "to-port=\"0\"/></edges>\n" +
         tail + "</net>\n";
}

TEST(ReadLimits, SmallNetReadsCleanly) {
  auto m = read_ir_text("n.xml", small_net(), std::nullopt);
  EXPECT_TRUE(m->issues.empty());
  EXPECT_EQ(m->layer_count(), 2u);
}

TEST(ReadLimits, FileBytes) {
  ReadLimits limits;
  limits.max_file_bytes = 100;
  auto m = read_ir_text("n.xml", small_net(), std::nullopt, limits);
  EXPECT_TRUE(m->fatal);
  const ReaderIssue* i = find_issue(*m, ReaderCheck::limit_exceeded);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->pos, (SourcePos{1, 1}));
}

TEST(ReadLimits, Layers) {
  ReadLimits limits;
  limits.max_layers = 1;
  auto m = read_ir_text("n.xml", small_net(), std::nullopt, limits);
  EXPECT_TRUE(m->fatal);
  const ReaderIssue* i = find_issue(*m, ReaderCheck::limit_exceeded);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->pos, (SourcePos{2, 1}));
  EXPECT_EQ(i->message, "the model has 2 layers, more than the limit of 1");
}

TEST(ReadLimits, Elements) {
  ReadLimits limits;
  limits.max_elements = 3;
  auto m = read_ir_text("n.xml", small_net(), std::nullopt, limits);
  ASSERT_EQ(m->issues.size(), 2u);  // both ports hold 4 elements
  EXPECT_EQ(m->issues[0].check, ReaderCheck::limit_exceeded);
  EXPECT_EQ(m->issues[0].pos, (SourcePos{4, 9}));
}

TEST(ReadLimits, AttributeBytes) {
  ReadLimits limits;
  limits.max_attribute_bytes = 12;
  auto m = read_ir_text("n.xml", small_net(" note=\"1234567890123\""), std::nullopt, limits);
  ASSERT_EQ(m->issues.size(), 1u);
  EXPECT_EQ(m->issues[0].check, ReaderCheck::limit_exceeded);
  EXPECT_EQ(m->issues[0].pos, (SourcePos{3, 1}));
}

TEST(ReadLimits, MetaDepth) {
  ReadLimits limits;
  limits.max_meta_depth = 2;
  auto ok = read_ir_text("n.xml", small_net({}, "<rt_info><a><b value=\"1\"/></a></rt_info>\n"),
                         std::nullopt, limits);
  EXPECT_TRUE(ok->issues.empty());
  EXPECT_EQ(ok->meta_value("a/b"), "1");
  auto deep =
      read_ir_text("n.xml", small_net({}, "<rt_info><a><b><c value=\"1\"/></b></a></rt_info>\n"),
                   std::nullopt, limits);
  ASSERT_EQ(deep->issues.size(), 1u);
  EXPECT_EQ(deep->issues[0].check, ReaderCheck::limit_exceeded);
  EXPECT_EQ(deep->issues[0].pos, (SourcePos{11, 16}));
}

TEST(ReadLimits, BodyDepth) {
  ReadLimits limits;
  limits.max_body_depth = 3;
  auto m = read_ir((kCatalogue / "body-nested-10-valid.xml").string(), {}, limits);
  ASSERT_EQ(m->issues.size(), 1u);
  EXPECT_EQ(m->issues[0].check, ReaderCheck::limit_exceeded);
  EXPECT_NE(m->issues[0].pos, (SourcePos{}));
}

// ---------------------------------------------------------------------------------------------
// Adversarial sizes: generated in memory, read + planned + linted; results checked, not timed
// (a quadratic step would make these run for minutes).

constexpr int kWide = 100'000;

std::string port_xml(uint32_t id) {
  return fmt::format("<port id=\"{}\"><dim>1</dim><dim>4</dim></port>", id);
}

std::string param_xml(int id) {
  return fmt::format(
      "<layer id=\"{}\" name=\"in\" type=\"Parameter\" version=\"opset1\"><output>{}</output>"
      "</layer>\n",
      id, port_xml(0));
}

/// Runs the check path and returns the findings.
std::vector<Finding> check_text(const std::shared_ptr<IrModel>& model) {
  std::optional<Plan> predicted;
  if (!model->fatal) predicted = plan(*model, test_target());
  return lint(*model, predicted ? &*predicted : nullptr, RuleSettings{});
}

/// A Concat with `kWide` inputs, every one fed from the same Parameter output: `kWide` edges
/// between two layers. `shuffle` numbers the ports in a scattered order.
std::string wide_net(bool shuffle) {
  std::string text = "<net name=\"wide\" version=\"11\"><layers>\n" + param_xml(0);
  text +=
      "<layer id=\"1\" name=\"concat\" type=\"Concat\" version=\"opset1\">"
      "<data axis=\"1\"/><input>";
  auto id_of = [&](int i) {
    return shuffle ? static_cast<uint32_t>((static_cast<uint64_t>(i) * 7919) % kWide) * 2 + 1
                   : static_cast<uint32_t>(i);
  };
  for (int i = 0; i < kWide; ++i) text += port_xml(id_of(i));
  text += fmt::format("</input><output><port id=\"{}\"><dim>1</dim><dim>{}</dim></port></output>",
                      shuffle ? 0 : kWide, 4 * kWide);
  text += "</layer>\n";
  text += fmt::format(
      "<layer id=\"2\" name=\"out\" type=\"Result\" version=\"opset1\"><input><port id=\"0\">"
      "<dim>1</dim><dim>{}</dim></port></input></layer>\n</layers><edges>\n",
      4 * kWide);
  for (int i = 0; i < kWide; ++i) {
    text += fmt::format("<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"{}\"/>\n",
                        id_of(i));
  }
  text += fmt::format(
      "<edge from-layer=\"1\" from-port=\"{}\" to-layer=\"2\" to-port=\"0\"/>\n</edges></net>\n",
      shuffle ? 0 : kWide);
  return text;
}

TEST(Adversarial, LayerWithManyInputs) {
  auto model = read_ir_text("wide.xml", wide_net(false), std::nullopt);
  EXPECT_TRUE(model->issues.empty());
  ASSERT_EQ(model->layer_count(), 3u);
  EXPECT_EQ(model->layer(1).inputs.size(), static_cast<size_t>(kWide));
  EXPECT_EQ(boost::num_edges(model->graph), static_cast<size_t>(kWide) + 1);
  EXPECT_EQ(model->order.size(), 3u);
  for (const Finding& f : check_text(model)) {
    EXPECT_NE(f.severity, Severity::error) << rule_name(f) << ": " << f.message;
  }
}

/// A Parameter → Convolution (1x1, 4 channels) head; layer ids 0-2, output port 2 of layer 2.
std::string conv_head() {
  return param_xml(0) +
         "<layer id=\"1\" name=\"w\" type=\"Const\" version=\"opset1\"><data "
         "element_type=\"f32\" shape=\"4,4,1,1\" offset=\"0\" size=\"64\"/><output><port "
         "id=\"0\"><dim>4</dim><dim>4</dim><dim>1</dim><dim>1</dim></port></output></layer>\n"
         "<layer id=\"2\" name=\"conv\" type=\"Convolution\" version=\"opset1\"><data "
         "strides=\"1,1\" pads_begin=\"0,0\" pads_end=\"0,0\" dilations=\"1,1\"/><input>"
         "<port id=\"0\"><dim>1</dim><dim>4</dim></port><port id=\"1\"><dim>4</dim><dim>4</dim>"
         "<dim>1</dim><dim>1</dim></port></input><output>" +
         port_xml(2) + "</output></layer>\n";
}

TEST(Adversarial, ConvolutionFeedingAnAddWithManyInputs) {
  // The planner's fusion matching asked "has this layer a constant input?" once per edge into
  // the Add, each time over all its inputs: quadratic (40k inputs took 6 s).
  std::string text = "<net name=\"add\" version=\"11\"><layers>\n" + conv_head();
  text += "<layer id=\"3\" name=\"add\" type=\"Add\" version=\"opset1\"><input>";
  for (int i = 0; i < kWide; ++i) text += port_xml(static_cast<uint32_t>(i));
  text += "</input><output>" + port_xml(kWide) + "</output></layer>\n</layers><edges>\n";
  text +=
      "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"2\" to-port=\"0\"/>\n"
      "<edge from-layer=\"1\" from-port=\"0\" to-layer=\"2\" to-port=\"1\"/>\n";
  for (int i = 0; i < kWide; ++i) {
    text +=
        fmt::format("<edge from-layer=\"2\" from-port=\"2\" to-layer=\"3\" to-port=\"{}\"/>\n", i);
  }
  text += "</edges></net>\n";
  auto model = read_ir_text("add.xml", text, std::nullopt);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, test_target());
  // The Add reads the convolution kWide times: it is not a bias, so it stays a node of its own.
  EXPECT_GE(p.node_of[3], 0);
  EXPECT_NE(p.node_of[2], p.node_of[3]);
  check_text(model);
}

TEST(Adversarial, TensorWithManySigmoidConsumers) {
  // x feeds kWide Sigmoids and one Multiply x * s: matching x * Sigmoid(x) compared every
  // consumer with every other one.
  std::string text = "<net name=\"swish\" version=\"11\"><layers>\n" + conv_head();
  for (int i = 0; i < kWide; ++i) {
    text += fmt::format(
        "<layer id=\"{}\" name=\"s{}\" type=\"Sigmoid\" version=\"opset1\"><input>{}</input>"
        "<output>{}</output></layer>\n",
        3 + i, i, port_xml(0), port_xml(1));
  }
  int mul = 3 + kWide;
  text += fmt::format(
      "<layer id=\"{}\" name=\"mul\" type=\"Multiply\" version=\"opset1\"><input>{}{}</input>"
      "<output>{}</output></layer>\n</layers><edges>\n",
      mul, port_xml(0), port_xml(1), port_xml(2));
  text +=
      "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"2\" to-port=\"0\"/>\n"
      "<edge from-layer=\"1\" from-port=\"0\" to-layer=\"2\" to-port=\"1\"/>\n";
  for (int i = 0; i < kWide; ++i) {
    text += fmt::format("<edge from-layer=\"2\" from-port=\"2\" to-layer=\"{}\" to-port=\"0\"/>\n",
                        3 + i);
  }
  // The Multiply reads x and the last Sigmoid.
  text += fmt::format(
      "<edge from-layer=\"2\" from-port=\"2\" to-layer=\"{0}\" to-port=\"0\"/>\n"
      "<edge from-layer=\"{1}\" from-port=\"1\" to-layer=\"{0}\" to-port=\"1\"/>\n"
      "</edges></net>\n",
      mul, 2 + kWide);
  auto model = read_ir_text("swish.xml", text, std::nullopt);
  ASSERT_FALSE(model->fatal);
  Plan p = plan(*model, test_target());
  // The pair (last Sigmoid, Multiply) is recognised as x * Sigmoid(x), a swish.
  ASSERT_EQ(p.activations.size(), 1u);
  EXPECT_EQ(p.activations[0].kind, OpKind::swish);
  EXPECT_EQ(p.activations[0].layers.back(), static_cast<Vertex>(mul));
  check_text(model);
}

TEST(Adversarial, ScatteredPortIdsReadInLinearTime) {
  // Only read: Layer::input_port() scans shuffled port ids linearly, so linting this layer
  // is quadratic (see docs/robustness.md).
  auto model = read_ir_text("wide.xml", wide_net(true), std::nullopt);
  EXPECT_TRUE(model->issues.empty());
  EXPECT_EQ(boost::num_edges(model->graph), static_cast<size_t>(kWide) + 1);
  const Layer& concat = model->layer(1);
  for (uint32_t id : {1u, 3u, 7919u * 2 + 1, static_cast<uint32_t>(kWide) * 2 - 1}) {
    ASSERT_TRUE(concat.input_port(id)) << id;
    EXPECT_EQ(concat.input_port(id)->id, id);
  }
  EXPECT_FALSE(concat.input_port(2));
}

TEST(Adversarial, SparseIncreasingPortIdsAreFound) {
  std::string text = "<net name=\"n\" version=\"11\"><layers>\n" + param_xml(0) +
                     "<layer id=\"1\" name=\"c\" type=\"Concat\" version=\"opset1\"><input>";
  for (int i = 0; i < kWide; ++i) text += port_xml(static_cast<uint32_t>(i) * 3);
  text += "</input></layer>\n</layers><edges>\n";
  for (int i = 0; i < kWide; ++i) {
    text += fmt::format("<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"{}\"/>\n",
                        i * 3);
  }
  text += "</edges></net>\n";
  auto model = read_ir_text("sparse.xml", text, std::nullopt);
  EXPECT_TRUE(model->issues.empty());
  EXPECT_EQ(boost::num_edges(model->graph), static_cast<size_t>(kWide));
  const Layer& concat = model->layer(1);
  EXPECT_EQ(concat.input_port(3 * 777)->id, 3u * 777);
  EXPECT_FALSE(concat.input_port(3 * 777 + 1));
  // Linting runs shape-mismatch's per-edge port lookups: logarithmic for increasing ids.
  for (const Finding& f : check_text(model)) {
    EXPECT_NE(f.severity, Severity::error) << rule_name(f) << ": " << f.message;
  }
}

TEST(Adversarial, EveryEdgeFeedsTheSamePort) {
  // kWide edges into one input port: one is kept, every other is a port-fed-twice error.
  std::string text = "<net name=\"n\" version=\"11\"><layers>\n" + param_xml(0) +
                     "<layer id=\"1\" name=\"out\" type=\"Result\" version=\"opset1\"><input>" +
                     port_xml(0) + "</input></layer>\n</layers><edges>\n";
  for (int i = 0; i < kWide; ++i) {
    text += "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/>\n";
  }
  text += "</edges></net>\n";
  auto model = read_ir_text("fan.xml", text, std::nullopt);
  EXPECT_EQ(boost::num_edges(model->graph), 1u);
  EXPECT_EQ(model->issues.size(), static_cast<size_t>(kWide) - 1);
  size_t fed_twice = 0;
  for (const Finding& f : check_text(model)) fed_twice += rule_name(f) == "port-fed-twice";
  EXPECT_EQ(fed_twice, static_cast<size_t>(kWide) - 1);
}

TEST(Adversarial, LongChain) {
  std::string text = "<net name=\"chain\" version=\"11\"><layers>\n" + param_xml(0);
  for (int i = 1; i < kWide; ++i) {
    text += fmt::format(
        "<layer id=\"{}\" name=\"relu{}\" type=\"ReLU\" version=\"opset1\"><input>{}</input>"
        "<output>{}</output></layer>\n",
        i, i, port_xml(0), port_xml(1));
  }
  text += fmt::format(
      "<layer id=\"{}\" name=\"out\" type=\"Result\" version=\"opset1\"><input>{}</input>"
      "</layer>\n</layers><edges>\n",
      kWide, port_xml(0));
  for (int i = 0; i < kWide; ++i) {
    text +=
        fmt::format("<edge from-layer=\"{}\" from-port=\"{}\" to-layer=\"{}\" to-port=\"0\"/>\n", i,
                    i == 0 ? 0 : 1, i + 1);
  }
  text += "</edges></net>\n";
  auto model = read_ir_text("chain.xml", text, std::nullopt);
  EXPECT_TRUE(model->issues.empty());
  ASSERT_EQ(model->layer_count(), static_cast<size_t>(kWide) + 1);
  ASSERT_EQ(model->order.size(), static_cast<size_t>(kWide) + 1);
  EXPECT_EQ(model->layer(model->order.front()).name, "in");
  EXPECT_EQ(model->layer(model->order.back()).name, "out");
  for (const Finding& f : check_text(model)) {
    EXPECT_NE(f.severity, Severity::error) << rule_name(f) << ": " << f.message;
  }
}

TEST(Adversarial, LongPoolingChainIntoAConvolution) {
  // Whether a convolution's INT8 input is unsigned follows pass-through layers back to their
  // producer; that search recursed once per layer and overflowed the stack of the INT8
  // counterpart's thread in the ASan build (issue 20, item 2).
  constexpr int kChain = 30'000;
  std::string text = "<net name=\"pools\" version=\"11\"><layers>\n" + param_xml(0) +
                     "<layer id=\"1\" name=\"relu\" type=\"Relu\" version=\"opset1\"><input>" +
                     port_xml(0) + "</input><output>" + port_xml(1) + "</output></layer>\n";
  for (int i = 2; i < kChain + 2; ++i) {
    text += fmt::format(
        "<layer id=\"{}\" name=\"pool{}\" type=\"MaxPool\" version=\"opset1\"><data "
        "strides=\"1,1\" kernel=\"1,1\" pads_begin=\"0,0\" pads_end=\"0,0\"/><input>{}</input>"
        "<output>{}</output></layer>\n",
        i, i, port_xml(0), port_xml(1));
  }
  const int w = kChain + 2, conv = kChain + 3;
  text += fmt::format(
      "<layer id=\"{}\" name=\"w\" type=\"Const\" version=\"opset1\"><data element_type=\"f32\" "
      "shape=\"4,4,1,1\" offset=\"0\" size=\"64\"/><output><port id=\"0\"><dim>4</dim><dim>4</dim>"
      "<dim>1</dim><dim>1</dim></port></output></layer>\n"
      "<layer id=\"{}\" name=\"conv\" type=\"Convolution\" version=\"opset1\"><data "
      "strides=\"1,1\" pads_begin=\"0,0\" pads_end=\"0,0\" dilations=\"1,1\"/><input>{}<port "
      "id=\"1\"><dim>4</dim><dim>4</dim><dim>1</dim><dim>1</dim></port></input><output>{}"
      "</output></layer>\n</layers><edges>\n",
      w, conv, port_xml(0), port_xml(2));
  text += "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/>\n";
  for (int i = 1; i < kChain + 2; ++i) {
    text += fmt::format("<edge from-layer=\"{}\" from-port=\"1\" to-layer=\"{}\" to-port=\"0\"/>\n",
                        i, i + 1 == w ? conv : i + 1);
  }
  text += fmt::format("<edge from-layer=\"{}\" from-port=\"0\" to-layer=\"{}\" to-port=\"1\"/>\n",
                      w, conv);
  text += "</edges></net>\n";
  auto model = read_ir_text("pools.xml", text, std::nullopt);
  ASSERT_FALSE(model->fatal);
  ASSERT_EQ(model->order.size(), model->layer_count());
  Plan assumed = plan(*model, test_target(), Quantization::assumed);
  ASSERT_GE(assumed.node_of[conv], 0);
  // A ReLU at the head of the chain: the quantized input is unsigned.
  EXPECT_EQ(assumed.nodes[assumed.node_of[conv]].precision, Precision::u8);
  check_text(model);  // the lint plans the INT8 counterpart on a thread of its own
}

TEST(Adversarial, DeeplyNestedMetadataAndElements) {
  // 200k nested elements: neither the parser nor the metadata walk may recurse that deep.
  constexpr int kDepth = 200'000;
  std::string tail = "<rt_info>";
  for (int i = 0; i < kDepth; ++i) tail += "<a>";
  for (int i = 0; i < kDepth; ++i) tail += "</a>";
  tail += "</rt_info>\n";
  auto model = read_ir_text("deep.xml", small_net({}, tail), std::nullopt);
  ASSERT_EQ(model->issues.size(), 1u);
  EXPECT_EQ(model->issues[0].check, ReaderCheck::limit_exceeded);
}

}  // namespace
}  // namespace irlint
