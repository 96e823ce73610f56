#include "evidence.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "plan.hpp"
#include "reader.hpp"
#include "score.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

const fs::path kObserved = fs::path(IRLINT_CORPUS_DIR).parent_path() / "observed";

TEST(ExecTypeParser, SplitsOpenVinoSpellings) {
  ExecType e = parse_exec_type("jit_avx2_1x1_I8");
  EXPECT_EQ(e.impl_class, "jit");
  EXPECT_EQ(e.isa, "avx2");
  EXPECT_EQ(e.flags, std::vector<std::string>{"1x1"});
  EXPECT_EQ(e.precision, "I8");
  EXPECT_EQ(impl_of(e), Impl::jit);
  EXPECT_EQ(isa_of(e), Isa::avx2);

  e = parse_exec_type("gemm_blas_I8");
  EXPECT_EQ(e.impl_class, "gemm");
  EXPECT_EQ(e.flags, std::vector<std::string>{"blas"});
  EXPECT_EQ(e.precision, "I8");
  EXPECT_EQ(impl_of(e), Impl::gemm);

  e = parse_exec_type("jit_gemm_FP32");
  EXPECT_EQ(e.impl_class, "gemm");
  EXPECT_EQ(e.precision, "FP32");

  e = parse_exec_type("ref_any_FP32");
  EXPECT_EQ(e.impl_class, "ref");
  EXPECT_EQ(e.isa, "any");
  EXPECT_FALSE(isa_of(e));
  EXPECT_EQ(impl_of(e), Impl::ref);

  e = parse_exec_type("jit_uni_I8");
  EXPECT_EQ(e.isa, "uni");
  EXPECT_FALSE(isa_of(e));

  e = parse_exec_type("brgconv_avx512_FP32");
  EXPECT_EQ(e.impl_class, "brgconv");
  EXPECT_EQ(isa_of(e), Isa::avx512);
  EXPECT_EQ(impl_of(e), Impl::brgconv);

  e = parse_exec_type("jit_avx2_dw_FP32");
  EXPECT_EQ(e.flags, std::vector<std::string>{"dw"});

  e = parse_exec_type("undef");
  EXPECT_TRUE(e.fused_away());
  EXPECT_FALSE(impl_of(e));

  e = parse_exec_type("unknown_FP32");
  EXPECT_EQ(e.impl_class, "unknown");
  EXPECT_EQ(impl_of(e), Impl::unknown);

  e = parse_exec_type("jit_avx_FP32");
  EXPECT_EQ(isa_of(e), Isa::sse41);  // the lowest ISA irlint models

  e = parse_exec_type("brgconv_1x1:avx512_core");
  EXPECT_EQ(e.impl_class, "brgconv");
  EXPECT_EQ(e.isa, "avx512_core");
  EXPECT_EQ(isa_of(e), Isa::avx512);
}

TEST(ReorderNameParser, FindsParentFormatsAndChild) {
  auto r = parse_reorder_name("data_U8_FP32_Add_");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "data");
  EXPECT_EQ(r->formats, (std::vector<std::string>{"U8", "FP32"}));
  EXPECT_EQ(r->child, "Add_");

  r = parse_reorder_name("Convolution_2_aBcd8b_abcd_MaxPool_3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "Convolution_2");
  EXPECT_EQ(r->formats, (std::vector<std::string>{"aBcd8b", "abcd"}));
  EXPECT_EQ(r->child, "MaxPool_3");

  r = parse_reorder_name("conv1/fq_input_0_abcd_acdb_conv1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "conv1/fq_input_0");
  EXPECT_EQ(r->child, "conv1");

  r = parse_reorder_name("weight219182/quantized207333_abcd_ABcd2b8a4b_conv2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->formats, (std::vector<std::string>{"abcd", "ABcd2b8a4b"}));

  r = parse_reorder_name("Conv_60___Concat_66");  // unnamed formats on both sides
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "Conv_60");
  EXPECT_TRUE(r->formats.empty());
  EXPECT_EQ(r->child, "Concat_66");

  r = parse_reorder_name("prob_nChw8c_nch...");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "prob");
  EXPECT_TRUE(r->truncated);

  r = parse_reorder_name("data_nchw_nhwc_mbox1/priorbox");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parent, "data");
  EXPECT_EQ(r->child, "mbox1/priorbox");

  // "Add" is not a format tag (d twice), "60" neither: no Reorder name.
  EXPECT_FALSE(parse_reorder_name("Add_32"));
  EXPECT_FALSE(parse_reorder_name("Conv_60"));
}

TEST(EvidenceReader, ReadsCutRowsAndSaysWhatIsMissing) {
  Evidence ev = parse_evidence(
      "[ INFO ] OpenVINO:\n"
      "         API version............. 2022.1.0-7019-cdb9bec7210\n"
      "conv1                         Status.EXECUTEDlayerType: Convolution        realTime: "
      "0:00:00.000226cpu: 0:00:00.000226 execType: jit_avx2_I8\n"
      "relu1                         Status.NOT_RUN layerType: Relu               realTime: "
      "0:00:00   cpu: 0:00:00        execType: undef     \n"
      "conv2_acdb_abcd_on...         Status.EXECUTEDlayerType: Reorder            realTime: "
      "0:00:00.000056cpu: 0:00:00.0\n"
      "input.108                     Status.EXECUTEDla\n"
      "Convolution_1095/fq_input_0   Sta\n",
      "x.txt");
  EXPECT_EQ(ev.format, EvidenceFormat::perf_counts);
  EXPECT_EQ(ev.openvino_version, "2022.1.0-7019-cdb9bec7210");
  ASSERT_EQ(ev.rows.size(), 5u);
  EXPECT_EQ(ev.rows[0].exec.text, "jit_avx2_I8");
  ASSERT_TRUE(ev.rows[0].real_time_us);
  EXPECT_NEAR(*ev.rows[0].real_time_us, 226.0, 1e-6);
  EXPECT_EQ(ev.rows[1].status, ExecStatus::not_run);
  EXPECT_TRUE(ev.rows[2].name_truncated);
  EXPECT_EQ(ev.rows[2].name, "conv2_acdb_abcd_on");
  EXPECT_EQ(ev.rows[2].missing, std::vector<std::string>{"execType"});
  EXPECT_TRUE(is_reorder(ev.rows[2]));
  EXPECT_EQ(ev.rows[3].status, ExecStatus::executed);
  EXPECT_EQ(ev.rows[4].status, ExecStatus::unknown);
  EXPECT_EQ(ev.rows[4].line, 7);
  EXPECT_FALSE(ev.notes.empty());
  auto target = infer_target(ev, nullptr);
  ASSERT_TRUE(target.target);
  EXPECT_EQ(target.target->name(), "openvino-2022.1:avx2");
}

TEST(EvidenceReader, ReadsCsvJsonAndExecGraphXml) {
  Evidence csv = parse_evidence(
      "layerName;execStatus;layerType;execType;realTime (ms);cpuTime (ms)\n"
      "conv1;EXECUTED;Convolution;jit_avx512_FP32;0.5;0.5\n"
      "relu1;NOT_RUN;Relu;undef;0;0\n"
      "Total;;;;0.5;0.5\n");
  EXPECT_EQ(csv.format, EvidenceFormat::counters_csv);
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_NEAR(*csv.rows[0].real_time_us, 500.0, 1e-6);
  EXPECT_EQ(csv.rows[1].status, ExecStatus::not_run);

  Evidence json = parse_evidence(
      R"({"cmd_options": {"version": "2023.0.0"}, "detailed_performance": [{"nodes": [
        {"name": "conv1", "status": "EXECUTED", "node_type": "Convolution",
         "exec_type": "brgconv_avx512_FP32", "real_time": "0.25", "cpu_time": "0.25"}]}]})");
  EXPECT_EQ(json.format, EvidenceFormat::json_stats);
  ASSERT_EQ(json.rows.size(), 1u);
  EXPECT_EQ(json.rows[0].exec.impl_class, "brgconv");
  EXPECT_EQ(json.openvino_version, "2023.0.0");

  Evidence xml = parse_evidence(
      R"(<?xml version="1.0"?><net name="x" version="10"><layers>
      <layer id="1" name="conv1" type="Convolution"><data execOrder="1" execTimeMcs="12"
        layerType="Convolution" originalLayersNames="conv1,relu1" outputLayouts="aBcd8b"
        outputPrecisions="FP32" primitiveType="jit_avx2_FP32" runtimePrecision="FP32"/></layer>
      <layer id="0" name="in" type="Input"><data execOrder="0" execTimeMcs="not_executed"
        layerType="Input" originalLayersNames="in" outputLayouts="abcd" outputPrecisions="FP32"
        primitiveType="unknown_FP32" runtimePrecision="FP32"/></layer></layers></net>)");
  EXPECT_EQ(xml.format, EvidenceFormat::exec_graph);
  ASSERT_EQ(xml.rows.size(), 2u);
  EXPECT_EQ(xml.rows[0].name, "in");  // sorted by execOrder
  EXPECT_EQ(xml.rows[1].original_names, (std::vector<std::string>{"conv1", "relu1"}));
  EXPECT_EQ(xml.rows[1].output_layout, "aBcd8b");
  EXPECT_EQ(xml.rows[1].status, ExecStatus::executed);

  Evidence cut = parse_evidence("{\"detailed_performance\": [{\"nodes\": [");
  EXPECT_EQ(cut.format, EvidenceFormat::json_stats);
  EXPECT_TRUE(cut.rows.empty());
  EXPECT_FALSE(cut.notes.empty());
}

/// What SOURCES.md states about each saved file (-1: not stated, not checked).
struct FileExpectation {
  const char* path;
  EvidenceFormat format;
  int rows;
  int reorders;
  std::map<std::string, int> exec_types;  ///< counts over the saved rows
};

const std::vector<FileExpectation>& expectations() {
  using F = EvidenceFormat;
  static const std::vector<FileExpectation> kFiles = {
      {"googlenet-v1_fp32_2022.1_avx512/counters.txt",
       F::perf_counts,
       145,
       0,
       {{"undef", 57},
        {"jit_avx512_FP32", 38},
        {"jit_avx512_1x1_FP32", 37},
        {"unknown_FP32", 10},
        {"unknown_I8", 2},
        {"jit_gemm_FP32", 1}}},
      {"squeezenet1.1_fp32_2020_avx2/counters.txt",
       F::perf_counts,
       69,
       2,
       {{"undef", 26},
        {"jit_avx2_1x1_FP32", 17},
        {"jit_avx2_FP32", 11},
        {"unknown_FP32", 9},
        {"jit_avx_FP32", 4},
        {"jit_uni_I8", 1},
        {"jit_uni_FP32", 1}}},
      {"mnist_tf_2019_avx2/counters.txt",
       F::perf_counts,
       12,
       1,
       {{"jit_avx2_FP32", 4},
        {"jit_avx_FP32", 2},
        {"unknown_FP32", 2},
        {"gemm_blas_FP32", 2},
        {"reorder_FP32", 1},
        {"ref_any_FP32", 1}}},
      {"usstq_resnet18-v1-7_fp32_2022.1dev_avx2/runtime_nodes.tsv",
       F::nodes_tsv,
       89,
       21,
       {{"unknown_FP32", 44},
        {"jit_avx2_FP32", 19},
        {"jit_uni_FP32", 18},
        {"jit_FP32", 3},
        {"jit_avx2_1x1_FP32", 3},
        {"unknown_I32", 1},
        {"jit_gemm_FP32", 1}}},
      {"usstq_resnet18-v1-7_fp32_2022.1dev_avx2/runtime_model_cell5.svg",
       F::runtime_svg,
       89,
       21,
       {{"unknown_FP32", 44}, {"jit_avx2_FP32", 19}, {"jit_uni_FP32", 18}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantized_model_cell20_runtime_nodes.tsv",
       F::nodes_tsv,
       -1,
       4,
       {{"jit_avx2_1x1_I8", 2},
        {"ref_any_I8", 2},
        {"jit_uni_I8", 1},
        {"jit_avx2_FP32", 1},
        {"reorder_FP32", 1}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantized_model_cell20_runtime.svg",
       F::runtime_svg,
       -1,
       4,
       {{"jit_avx2_1x1_I8", 2}, {"ref_any_I8", 2}, {"jit_uni_I8", 1}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantized_model_cell29_runtime_nodes.tsv",
       F::nodes_tsv,
       -1,
       4,
       {{"jit_avx2_1x1_I8", 2}, {"ref_any_I8", 2}, {"jit_uni_I8", 1}, {"reorder_FP32", 1}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantized_model_cell29_runtime.svg",
       F::runtime_svg,
       -1,
       4,
       {{"jit_avx2_1x1_I8", 2}, {"ref_any_I8", 2}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantize_error_cell2_runtime_nodes.tsv",
       F::nodes_tsv,
       -1,
       3,
       {{"jit_uni_I8", 1}, {"reorder_FP32", 1}}},
      {"usstq_tiny_int8_2conv_2022.1dev_avx2/quantize_error_cell2_runtime.svg",
       F::runtime_svg,
       -1,
       3,
       {{"jit_uni_I8", 1}, {"reorder_FP32", 1}}},
      {"usstq_tiny_fp32_conv_relu_pool_2022.1dev_avx2/example_runtime_model1_nodes.tsv",
       F::nodes_tsv,
       9,
       2,
       {{"jit_avx2_FP32", 1}, {"ref_any_FP32", 3}}},
      {"usstq_tiny_fp32_conv_relu_pool_2022.1dev_avx2/example_runtime_model1.svg",
       F::runtime_svg,
       9,
       2,
       {{"jit_avx2_FP32", 1}, {"ref_any_FP32", 3}}},
      {"usstq_tiny_fp32_conv_relu_pool_2022.1dev_avx2/py_openvino_cell16_runtime_model.txt",
       F::runtime_text,
       9,
       2,
       {{"jit_avx2_FP32", 1}, {"ref_any_FP32", 3}}},
      {"issue11898_mobilenetv3_int8_2022.1_avx2/counters_excerpts.txt",
       F::perf_counts,
       -1,
       8,
       {{"jit_avx2_FP32", 8},
        {"undef", 7},
        {"jit_avx2_1x1_I8", 5},
        {"reorder_FP32", 5},
        {"jit_avx2_I8", 2},
        {"ref_any_FP32", 2},
        {"unknown_I8", 1},
        {"jit_uni_I8", 1},
        {"jit_uni_FP32", 1}}},
      {"issue11710_int8_vs_fp32_2022_avx2/counters_excerpts.txt",
       F::perf_counts,
       -1,
       1,
       {{"undef", 12},
        {"jit_avx2_I8", 8},
        {"jit_avx2_FP32", 4},
        {"jit_avx2_1x1_I8", 2},
        {"ref_any_FP32", 1}}},
      {"pr636_shufflenetv2_fp32_2020_avx2/counters_excerpts.txt",
       F::perf_counts,
       -1,
       8,
       {{"unknown_FP32", 11},
        {"jit_avx2_1x1_FP32", 6},
        {"undef", 5},
        {"jit_uni_FP32", 5},
        {"jit_avx2_dw_FP32", 3},
        {"jit_avx2_FP32", 2},
        {"ref_any_FP32", 2},
        {"jit_avx_FP32", 1},
        {"jit_uni_I8", 1}}},
      {"issue16701_fp32_2022.1_avx512/counters_excerpts.txt",
       F::perf_counts,
       -1,
       2,
       {{"undef", 4}, {"jit_avx512_FP32", 3}, {"ref_any_FP32", 2}}},
      {"issue501_fp32_2020_avx2/counters_excerpts.txt",
       F::perf_counts,
       -1,
       3,
       {{"undef", 3}, {"ref_any_FP32", 3}, {"jit_avx2_FP32", 2}, {"jit_avx2_1x1_FP32", 1}}},
      {"issue356_person-detection-retail-0013_int8_2019R3/counters_excerpts.txt",
       F::perf_counts,
       -1,
       2,
       {{"jit_uni_I8", 2}}},
      {"openvino_docs_snippets/int8_inception_snippet.txt",
       F::perf_counts,
       6,
       2,
       {{"gemm_blas_I8", 1},
        {"ref_I8", 1},
        {"reorder_I8", 1},
        {"jit_avx2_FP32", 1},
        {"reorder_FP32", 1},
        {"ref_any_I8", 1}}},
      {"openvino_docs_snippets/int8_resnet-50-tf_snippet.md",
       F::markdown_table,
       -1,
       0,
       {{"jit_avx512_1x1_I8", 2}, {"jit_avx512_I8", 1}}},
      {"openvino_docs_snippets/bf16_inception_snippet.txt",
       F::perf_counts,
       -1,
       0,
       {{"jit_gemm_BF16", 3}, {"jit_avx512_BF16", 1}, {"jit_avx512_FP32", 1}}},
  };
  return kFiles;
}

/// Files that are not evidence: IRs and printouts of original models or device properties.
bool not_evidence(const fs::path& p) {
  std::string name = p.filename().string();
  return name == "SOURCES.md" || name.ends_with("_original_model.txt") ||
         name.ends_with("_original_model_print.txt") || name.ends_with("device_properties.txt") ||
         name.ends_with("profiling_info.txt") || name == "googlenet-v1.xml" ||
         name == "squeezenet1.1.xml" || name == "mnist.xml";
}

TEST(ObservedEvidence, EveryFileParsesAsSourcesSays) {
  if (!fs::is_directory(kObserved)) GTEST_SKIP() << kObserved << " is missing";
  std::map<std::string, const FileExpectation*> table;
  for (const FileExpectation& e : expectations()) table[e.path] = &e;
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kObserved)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), kObserved).generic_string();
    Evidence ev = read_evidence(entry.path().string());
    if (not_evidence(entry.path())) {
      // Read without crashing; says why there is nothing to score (or reads what it can).
      if (ev.rows.empty()) {
        EXPECT_FALSE(ev.notes.empty()) << rel;
      }
      continue;
    }
    auto it = table.find(rel);
    ASSERT_NE(it, table.end()) << rel << " has no expectation in the test table";
    const FileExpectation& want = *it->second;
    SCOPED_TRACE(rel);
    EXPECT_EQ(ev.format, want.format);
    EXPECT_FALSE(ev.rows.empty());
    if (want.rows >= 0) {
      EXPECT_EQ(static_cast<int>(ev.rows.size()), want.rows);
    }
    int reorders = 0;
    std::map<std::string, int> types;
    for (const ObservedRow& r : ev.rows) {
      reorders += is_reorder(r) ? 1 : 0;
      if (!r.exec.text.empty()) ++types[r.exec.text];
    }
    EXPECT_EQ(reorders, want.reorders);
    for (const auto& [type, count] : want.exec_types) EXPECT_EQ(types[type], count) << type;
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(expectations().size()));
}

/// The observed case with an IR, scored under the target SOURCES.md names.
Score score_case(const std::string& dir, const std::string& xml, const std::string& target_name) {
  auto model = read_ir((kObserved / dir / xml).string());
  EXPECT_FALSE(model->fatal);
  std::string error;
  auto target = parse_target(target_name, &error);
  EXPECT_TRUE(target) << error;
  Evidence ev = read_evidence((kObserved / dir / "counters.txt").string());
  return score(*model, plan(*model, *target), ev);
}

TEST(ObservedEvidence, GooglenetScoresUnder2022Avx512) {
  if (!fs::is_directory(kObserved)) GTEST_SKIP();
  Score s =
      score_case("googlenet-v1_fp32_2022.1_avx512", "googlenet-v1.xml", "openvino-2022.1:avx512");
  // 145 rows; the two LRNs are auto-numbered differently in the IR and Convert_654 is added by
  // the 2022 runtime for the u8 input: those three name no IR layer.
  EXPECT_EQ(s.rows, 145);
  EXPECT_EQ(s.matched_rows, 142);
  EXPECT_EQ(s.unmatched_rows.size(), 3u);
  EXPECT_EQ(s.reorder_true_pos + s.reorder_false_neg, 0);  // no Reorder was observed
  EXPECT_GT(s.precision.total, 60);
  EXPECT_EQ(s.precision.agree, s.precision.total);
  EXPECT_GT(s.fused.total, 100);
}

TEST(ObservedEvidence, SqueezenetScoresUnder2021Avx2) {
  if (!fs::is_directory(kObserved)) GTEST_SKIP();
  Score s = score_case("squeezenet1.1_fp32_2020_avx2", "squeezenet1.1.xml", "openvino-2021.4:avx2");
  EXPECT_EQ(s.rows, 69);
  // Every row finds its layer, the legacy "out_prob" Output included (Result after "prob").
  EXPECT_EQ(s.matched_rows, 69);
  EXPECT_EQ(s.input_reorders, 1);  // data_U8_FP32_Add_: benchmark_app's U8 input
  EXPECT_EQ(s.reorder_true_pos + s.reorder_false_neg, 1);  // prob_nChw8c_nch...
  EXPECT_EQ(s.precision.agree, s.precision.total);
  // Every "conv" row names the bias Add the convolution was fused with; the join must see them
  // as the convolution's primitive, so fusion agrees everywhere.
  EXPECT_EQ(s.fused.agree, s.fused.total);
  EXPECT_GT(s.fused.total, 80);
}

TEST(ObservedEvidence, MnistScoresUnder2019Avx2) {
  if (!fs::is_directory(kObserved)) GTEST_SKIP();
  Score s = score_case("mnist_tf_2019_avx2", "mnist.xml", "openvino-2019.3:avx2");
  EXPECT_EQ(s.rows, 12);
  EXPECT_EQ(s.matched_rows, 11);
  // The pooling-to-Reshape Reorder is predicted and observed on the same edge.
  EXPECT_EQ(s.reorder_true_pos, 1);
  EXPECT_EQ(s.reorder_false_neg, 0);
  EXPECT_EQ(s.precision.agree, s.precision.total);
}

TEST(ConfirmCommand, RunsBenchmarkAppAndScoresItsCounters) {
  if (!fs::is_directory(kObserved)) GTEST_SKIP();
  fs::path model = kObserved / "squeezenet1.1_fp32_2020_avx2" / "squeezenet1.1.xml";
  fs::path fake = fs::path(IRLINT_SOURCE_DIR) / "testdata/evidence/fake_benchmark_app.sh";
  fs::path out = fs::temp_directory_path() / "irlint_confirm_test.json";
  std::string cmd = std::string(IRLINT_BINARY) + " confirm '" + model.string() +
                    "' --openvino --benchmark-app '" + fake.string() +
                    "' --target openvino-2021.4:avx2 --format json > '" + out.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  EXPECT_NE(json.find("\"format\": \"counters-csv\""), std::string::npos) << json.substr(0, 400);
  EXPECT_NE(json.find("\"matched_rows\": 69"), std::string::npos);
  EXPECT_NE(json.find("\"target\": \"openvino-2021.4:avx2\""), std::string::npos);
  fs::remove(out);

  // A benchmark_app that fails is an input error, not a crash.
  cmd = std::string(IRLINT_BINARY) + " confirm '" + model.string() +
        "' --openvino --benchmark-app /bin/false >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

// Hostile evidence (issue 20, item 1): each of these crashed with a stack overflow before the
// regular expressions became scanners and the walks lost their recursion.

std::string repeat(std::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(HostileEvidence, DeepJsonIsAPositionedNoteNotACrash) {
  std::string text =
      "{\"version\": \"2023.0\",\n\"a\": " + repeat("[", 20000) + repeat("]", 20000) + "}";
  Evidence ev = parse_evidence(text, "deep.json");
  EXPECT_EQ(ev.format, EvidenceFormat::json_stats);
  EXPECT_TRUE(ev.rows.empty());
  ASSERT_FALSE(ev.notes.empty());
  EXPECT_EQ(ev.notes[0].line, 2);
  EXPECT_NE(ev.notes[0].message.find("nested deeper than 512 levels"), std::string::npos)
      << ev.notes[0].message;

  // Brackets inside strings do not count; nesting within the limit is read as before.
  std::string node = R"({"name": "[[[[", "node_type": "Convolution", "exec_type": "jit_avx2_FP32",
                         "status": "EXECUTED", "real_time": "0.1"})";
  Evidence ok = parse_evidence(repeat("{\"a\": ", 100) + "[" + node + "]" + repeat("}", 100));
  ASSERT_EQ(ok.rows.size(), 1u);
  EXPECT_EQ(ok.rows[0].name, "[[[[");
}

TEST(HostileEvidence, DeepSvgIsWalkedWithoutRecursion) {
  std::string title =
      "conv1&#10;execOrder=1&#10;layerType=Convolution&#10;primitiveType=jit_avx2_FP32";
  std::string text = "<svg>" + repeat("<g>", 200000) + "<a xlink:title=\"" + title + "\"/>" +
                     repeat("</g>", 200000) + "<g xlink:title=\"" +
                     std::string("conv2&#10;execOrder=2&#10;layerType=Convolution") + "\"/></svg>";
  Evidence ev = parse_evidence(text, "deep.svg");
  EXPECT_EQ(ev.format, EvidenceFormat::runtime_svg);
  ASSERT_EQ(ev.rows.size(), 2u);
  EXPECT_EQ(ev.rows[0].name, "conv1");
  EXPECT_EQ(ev.rows[0].exec.text, "jit_avx2_FP32");
  EXPECT_EQ(ev.rows[1].name, "conv2");
}

TEST(HostileEvidence, LongLinesAreScannedNotMatchedRecursively) {
  const size_t n = 1 << 20;
  std::string perf =
      "Performance counts for 0-th infer request:\n"
      "conv1                         Status.EXECUTEDlayerType: Convolution        realTime: "
      "0:00:00.000226cpu: 0:00:00.000226 execType: jit_avx2_I8\n" +
      repeat("a", n) + "\n" + "version " + repeat("2", n) + "\n" + "build " +
      repeat("2021.", n / 5) + "\n" + "benchmark_app" + repeat(" -d", n / 3) + "\n" + "x" +
      repeat(" ", n) + "Sta\n" + repeat("subgraph1:", n / 10) + "  EXE\n" + "subgraph" +
      repeat("7", n) + ":  x  NOT_RUN\n";
  Evidence ev = parse_evidence(perf, "long.txt");
  EXPECT_EQ(ev.format, EvidenceFormat::perf_counts);
  EXPECT_EQ(ev.openvino_version, "2021.2021.2021");
  EXPECT_EQ(ev.device, "-d");
  ASSERT_EQ(ev.rows.size(), 4u);
  EXPECT_EQ(ev.rows[1].name, "x");
  EXPECT_EQ(ev.rows[1].status, ExecStatus::unknown);
  EXPECT_EQ(ev.rows[2].name, repeat("subgraph1:", n / 10 - 2));
  EXPECT_EQ(ev.rows[3].name, "x");  // the subgraph prefix is dropped
  EXPECT_EQ(ev.rows[3].status, ExecStatus::not_run);

  std::string runtime = "#rt_info:\nTensor<" + repeat("=", n) + "\nTensor<" + repeat("= x", n / 3) +
                        "\n" + "Tensor<f32> y = " + repeat("=", n) + "Conv_1(x)\n" +
                        "#  execOrder=3\n#  layerType=Convolution\n";
  Evidence rt = parse_evidence(runtime, "long-runtime.txt");
  EXPECT_EQ(rt.format, EvidenceFormat::runtime_text);
  ASSERT_EQ(rt.rows.size(), 1u);
  EXPECT_EQ(rt.rows[0].name, repeat("=", n) + "Conv_1");

  Evidence stated;
  stated.openvino_version = repeat("2", n) + "2021.4-" + repeat("x", n);
  auto target = infer_target(stated, nullptr);
  ASSERT_TRUE(target.target);
  EXPECT_NE(target.target->name().find("2021.4"), std::string::npos) << target.target->name();
  stated.openvino_version = "2022." + repeat("9", 1000);  // no exception from a huge minor
  infer_target(stated, nullptr);
}

}  // namespace
}  // namespace irlint
