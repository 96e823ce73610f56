// Every model of the shared corpus loads with no reader error, and its top-level layer count,
// edge count, IR version and op type counts match what /work/shared/corpus/PROVENANCE.md states.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "engine.hpp"
#include "plan.hpp"
#include "reader.hpp"
#include "rule.hpp"
#include "target.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

struct CorpusModel {
  const char* folder;
  const char* xml;
  int ir_version;
  size_t layers;      ///< top-level <layer> elements
  size_t edges;       ///< top-level <edge> elements
  const char* types;  ///< "All op types" of PROVENANCE.md: counts include sub-graph bodies
};

// Copied from PROVENANCE.md (table: IR v, layers; per-model details: edges, all op types).
const CorpusModel kCorpus[] = {
    {"bge-tokenizer-v11", "openvino_tokenizer.xml", 11, 56, 88,
     "Add 2, CaseFold 1, CombineSegments 1, Const 26, Convert 4, Gather 1, Minimum 1, "
     "NormalizeUnicode 1, Parameter 1, RaggedToDense 2, Range 2, ReduceMax 1, RegexNormalization "
     "2, RegexSplit 2, Result 3, ShapeOf 1, StringTensorUnpack 2, Subtract 2, WordpieceTokenizer "
     "1"},
    {"candy-style-int8-v10", "candy_int8.xml", 10, 420, 424,
     "Add 36, Const 272, Convolution 16, FakeQuantize 52, Interpolate 2, MVN 15, Multiply 15, "
     "Parameter 1, ReLU 10, Result 1"},
    {"deeplabv3-mnv2-v4-fp16", "frozen_inference_graph.xml", 4, 108, 118,
     "Clamp 34, Concat 1, Convolution 55, Eltwise 10, Input 1, Interp 3, Pooling 1, ReLU 3"},
    {"face-det-adas-binary-0001-v4", "face-detection-adas-binary-0001.xml", 4, 218, 244,
     "BinaryConvolution 11, Concat 3, Const 45, Convolution 55, DetectionOutput 1, Flatten 15, "
     "Input 1, Permute 14, PriorBox 7, Quantize 11, ReLU 41, Reshape 1, ScaleShift 12, SoftMax 1"},
    {"face-det-retail-0004-int8-v3", "other.xml", 3, 87, 99,
     "Concat 10, Const 1, Convolution 33, DetectionOutput 1, Flatten 3, Input 1, Permute 2, "
     "Pooling 1, PriorBoxClustered 1, ReLU 31, Reshape 1, ScaleShift 1, SoftMax 1"},
    {"face-det-retail-0005-v10", "other.xml", 10, 305, 317,
     "Add 66, Const 126, Convert 4, Convolution 36, DetectionOutput 1, GroupConvolution 19, "
     "Multiply 2, Parameter 1, PriorBoxClustered 1, ReLU 36, Reshape 4, Result 1, ShapeOf 2, "
     "SoftMax 1, StridedSlice 2, Transpose 2, Unsqueeze 1"},
    {"gaze-estimation-0002-int8-v10", "gaze-estimation-adas-0002.xml", 10, 316, 315,
     "Add 27, Concat 2, Const 192, Convert 16, Convolution 17, FakeQuantize 33, Multiply 10, "
     "Parameter 3, ReLU 9, Reshape 2, Result 1, Squeeze 2, Unsqueeze 2"},
    {"geti-ssd-detector-v11", "model.xml", 11, 2485, 2939,
     "Add 164, Broadcast 14, Clamp 40, Concat 113, Const 902, Convert 276, Convolution 98, Divide "
     "6, Equal 2, Exp 1, Gather 138, GroupConvolution 17, Interpolate 2, Less 7, MVN 40, Multiply "
     "94, NonMaxSuppression 1, Parameter 1, Range 18, ReLU 41, ReduceMax 6, ReduceProd 26, Reshape "
     "204, Result 2, Select 9, ShapeOf 127, Sigmoid 10, Squeeze 7, StridedSlice 33, Subtract 3, "
     "Tile 12, TopK 7, Transpose 12, Unsqueeze 52"},
    {"hand-detector-tflite-v11", "hand_detector.xml", 11, 815, 872,
     "Add 93, Concat 2, Const 311, Convert 136, Convolution 35, GroupConvolution 28, Interpolate "
     "2, MaxPool 4, PReLU 31, Pad 3, Parameter 1, Reshape 32, Result 2, Transpose 37, Unsqueeze "
     "98"},
    {"head-pose-0001-int8-v10", "head-pose-estimation-adas-0001.xml", 10, 175, 174,
     "Add 22, Const 95, Convert 7, Convolution 11, FakeQuantize 12, MatMul 3, MaxPool 2, Multiply "
     "8, Parameter 1, ReLU 8, Reshape 3, Result 3"},
    {"horizontal-text-det-0001-v10", "horizontal-text-detection-0001.xml", 10, 2078, 2273,
     "Add 158, Broadcast 21, Clamp 55, Concat 41, Const 876, Convert 61, Convolution 98, Divide "
     "12, Exp 5, Floor 2, Gather 101, GroupConvolution 17, Interpolate 2, MVN 40, Multiply 71, "
     "NonMaxSuppression 1, NonZero 10, Parameter 1, Range 48, ReLU 41, ReduceMax 5, ReduceMin 6, "
     "Reshape 61, Result 8, ShapeOf 135, Sigmoid 10, Squeeze 64, StridedSlice 10, Subtract 20, "
     "TopK 6, Transpose 27, Unsqueeze 64, VariadicSplit 1"},
    {"human-pose-0001-int8-v10", "human-pose-estimation-0001.xml", 10, 991, 998,
     "Add 65, Concat 1, Const 616, Convert 58, Convolution 44, Elu 8, FakeQuantize 121, "
     "GroupConvolution 14, Multiply 1, Parameter 1, ReLU 46, Reshape 14, Result 2"},
    {"landmarks-0009-int8-v10", "landmarks-regression-retail-0009.xml", 10, 168, 167,
     "Add 17, Const 99, Convert 6, Convolution 8, FakeQuantize 14, GroupConvolution 1, MaxPool 3, "
     "Multiply 8, PReLU 8, Parameter 1, Reshape 1, Result 1, Sigmoid 1"},
    {"mask-rcnn-inception-v2-v10", "frozen_inference_graph.xml", 10, 577, 619,
     "Add 96, AvgPool 8, Clamp 1, Concat 15, Const 225, Convolution 94, DetectionOutput 1, "
     "GroupConvolution 1, Interpolate 1, MatMul 2, MaxPool 9, Multiply 2, Parameter 2, Proposal 1, "
     "ROIPooling 2, ReLU 89, ReduceMean 1, Reshape 14, Result 4, Sigmoid 1, SoftMax 2, "
     "StridedSlice 4, Transpose 2"},
    {"mnv2-tf-fp32-v11", "mobilenet_v2_fp32.xml", 11, 264, 273,
     "Add 63, Clamp 35, Const 108, Convolution 35, GroupConvolution 17, MatMul 1, Parameter 1, "
     "ReduceMean 1, Result 1, SoftMax 1, Transpose 1"},
    {"mnv2-tf-int8-v11", "mobilenet_v2_int8.xml", 11, 847, 856,
     "Add 63, Clamp 35, Const 469, Convert 53, Convolution 35, FakeQuantize 64, GroupConvolution "
     "17, MatMul 1, Multiply 70, Parameter 1, ReduceMean 1, Result 1, SoftMax 1, Transpose 19, "
     "Unsqueeze 17"},
    {"mnv3-large-tsm-fp32-v11", "model.xml", 11, 2891, 3620,
     "Add 137, Broadcast 192, Concat 130, Const 1422, Convolution 47, Divide 17, Equal 32, Gather "
     "85, GroupConvolution 15, HardSigmoid 28, MatMul 1, Multiply 45, Parameter 1, Range 48, ReLU "
     "19, ReduceMean 10, Reshape 163, Result 1, ScatterNDUpdate 48, Select 32, ShapeOf 97, Slice "
     "160, Squeeze 1, Unsqueeze 160"},
    {"mnv3-large-tsm-int8-v11", "model_int8.xml", 11, 3615, 4344,
     "Add 137, Broadcast 192, Concat 130, Const 1913, Convert 63, Convolution 47, Divide 17, Equal "
     "32, FakeQuantize 107, Gather 85, GroupConvolution 15, HardSigmoid 28, MatMul 1, Multiply "
     "108, Parameter 1, Range 48, ReLU 19, ReduceMean 10, Reshape 163, Result 1, ScatterNDUpdate "
     "48, Select 32, ShapeOf 97, Slice 160, Squeeze 1, Unsqueeze 160"},
    {"mnv3-small-hello-world-v11", "v3-small_224_1.0_float.xml", 11, 434, 448,
     "Add 61, AvgPool 11, Clamp 9, Const 122, Convert 119, Convolution 43, GroupConvolution 11, "
     "HSwish 19, Multiply 19, Parameter 1, ReLU 14, Reshape 1, Result 1, SoftMax 1, Squeeze 1, "
     "Transpose 1"},
    {"mnv3-small-omz-tf-fp16-v11", "mobilenet-v3-small-1.0-224-tf.xml", 11, 416, 430,
     "Add 61, Const 123, Convert 110, Convolution 43, GroupConvolution 11, HSigmoid 9, HSwish 19, "
     "Multiply 10, Parameter 1, ReLU 14, ReduceMean 10, Reshape 2, Result 1, SoftMax 1, Transpose "
     "1"},
    {"mnv3-small-omz-tf-fp32-v11", "mobilenet-v3-small-1.0-224-tf.xml", 11, 306, 320,
     "Add 61, Const 123, Convolution 43, GroupConvolution 11, HSigmoid 9, HSwish 19, Multiply 10, "
     "Parameter 1, ReLU 14, ReduceMean 10, Reshape 2, Result 1, SoftMax 1, Transpose 1"},
    {"mobilenet-ssd-caffe-v5", "MobileNetSSD_deploy.xml", 5, 121, 143,
     "Concat 3, Const 1, Convolution 47, DetectionOutput 1, Flatten 13, Input 1, Permute 12, "
     "PriorBox 6, ReLU 35, Reshape 1, SoftMax 1"},
    {"ovms-dummy-v10", "dummy.xml", 10, 4, 3, "Add 1, Const 1, Parameter 1, Result 1"},
    {"ovms-passthrough-string-v11", "passthrough.xml", 11, 2, 1, "Parameter 1, Result 1"},
    {"pedestrian-mnv2-ssd-v6-fp32", "other.xml", 6, 158, 196,
     "Concat 3, Const 1, Convolution 59, DetectionOutput 1, Flatten 21, Input 1, Permute 20, "
     "PriorBox 10, ReLU 39, Reshape 1, ScaleShift 1, SoftMax 1"},
    {"person-det-retail-0002-v6", "person-detection-retail-0002.xml", 6, 237, 285,
     "Concat 18, Const 5, Convolution 91, Deconvolution 1, DetectionOutput 1, Eltwise 15, Input 2, "
     "PSROIPooling 2, Pooling 8, Power 8, Proposal 1, ReLU 68, Reshape 5, ScaleShift 10, SoftMax "
     "2"},
    {"person-det-retail-0013-v3", "person-detection-retail-0013.xml", 3, 273, 311,
     "Convolution 114, DetectionOutput 1, Eltwise 36, Flatten 3, Input 1, Permute 2, Pooling 3, "
     "PriorBoxClustered 1, ReLU 109, Reshape 1, ScaleShift 1, SoftMax 1"},
    {"person-det-retail-0013-v6-fp32", "person-detection-retail-0013.xml", 6, 274, 312,
     "Const 1, Convolution 114, DetectionOutput 1, Eltwise 36, Flatten 3, Input 1, Permute 2, "
     "Pooling 3, PriorBoxClustered 1, ReLU 109, Reshape 1, ScaleShift 1, SoftMax 1"},
    {"person-det-retail-0013-v6-int8", "person-detection-retail-0013.xml", 6, 274, 312,
     "Const 1, Convolution 114, DetectionOutput 1, Eltwise 36, Flatten 3, Input 1, Permute 2, "
     "Pooling 3, PriorBoxClustered 1, ReLU 109, Reshape 1, ScaleShift 1, SoftMax 1"},
    {"postproc-tf-small-v11", "postproc_model.xml", 11, 16, 17,
     "Add 1, Const 5, GroupConvolution 1, Multiply 2, Parameter 2, Result 1, Subtract 1, Transpose "
     "3"},
    {"rm-lstm4f-stateful-v10", "rm_lstm4f.xml", 10, 78, 89,
     "Add 13, Assign 4, Clamp 2, Const 22, MatMul 7, Multiply 12, Parameter 1, ReadValue 4, Result "
     "1, Sigmoid 6, Split 2, Tanh 4"},
    {"road-seg-adas-0001-v10", "road-segmentation-adas-0001.xml", 10, 786, 833,
     "Add 185, AvgPool 2, Const 309, Convolution 97, GroupConvolution 40, Interpolate 5, MaxPool "
     "2, Multiply 5, Parameter 1, ReLU 128, Result 1, ShapeOf 5, SoftMax 1, StridedSlice 5"},
    {"roberta-base-cola-v11", "openvino_model.xml", 11, 796, 859,
     "Add 138, Broadcast 1, Const 352, Convert 6, CumSum 1, Divide 12, Gather 5, Gelu 12, MVN 25, "
     "MatMul 98, Multiply 28, NotEqual 1, Parameter 2, Reshape 48, Result 1, ShapeOf 1, Slice 1, "
     "SoftMax 12, Subtract 1, Tanh 1, Transpose 48, Unsqueeze 2"},
    {"ssd-mnv2-coco-v10", "ssd_mobilenet_v2_coco.xml", 10, 528, 560,
     "Add 87, Clamp 47, Concat 3, Const 223, Convert 24, Convolution 55, DetectionOutput 1, "
     "GroupConvolution 21, Multiply 1, Parameter 1, PriorBoxClustered 6, Reshape 15, Result 1, "
     "ShapeOf 12, Sigmoid 1, StridedSlice 12, Transpose 12, Unsqueeze 6"},
    {"ssd-mnv2-coco-v5", "frozen_inference_graph.xml", 5, 180, 212,
     "Activation 1, Clamp 43, Concat 3, Const 15, Convolution 72, DetectionOutput 1, Eltwise 10, "
     "Input 1, Permute 12, Power 1, PriorBoxClustered 6, Reshape 15"},
    {"ssd-mnv2-coco-v6", "frozen_inference_graph.xml", 6, 190, 222,
     "Activation 2, Clamp 47, Concat 3, Const 15, Convolution 76, DetectionOutput 1, Eltwise 10, "
     "Input 1, Permute 12, Power 2, PriorBoxClustered 6, Reshape 15"},
    {"ssdlite-mnv2-v10", "ssdlite_mobilenet_v2.xml", 10, 564, 596,
     "Add 99, Clamp 59, Concat 3, Const 247, Convolution 55, DetectionOutput 1, GroupConvolution "
     "33, Multiply 1, Parameter 1, PriorBoxClustered 6, Reshape 15, Result 1, ShapeOf 12, Sigmoid "
     "1, StridedSlice 12, Transpose 12, Unsqueeze 6"},
    {"ssdlite-mnv2-v11", "ssdlite_mobilenet_v2.xml", 11, 738, 770,
     "Add 99, Clamp 59, Concat 3, Const 248, Convert 177, Convolution 55, DetectionOutput 1, "
     "GroupConvolution 33, Multiply 1, Parameter 1, PriorBoxClustered 6, Reshape 15, Result 1, "
     "ShapeOf 7, Sigmoid 1, StridedSlice 12, Transpose 13, Unsqueeze 6"},
    {"t5-decoder-with-past-int8-v11", "openvino_model.xml", 11, 4895, 5211,
     "Add 199, Broadcast 4, Concat 54, Const 2421, Convert 227, Divide 75, FakeQuantize 289, "
     "Gather 8, Gelu 24, Less 1, LessEqual 1, Log 1, MatMul 313, Minimum 2, Multiply 542, "
     "Parameter 99, Power 73, Range 2, ReduceMean 73, Reshape 147, Result 49, Select 1, ShapeOf 6, "
     "Slice 2, SoftMax 48, Sqrt 73, Subtract 4, Tile 1, Transpose 145, Unsqueeze 11"},
    {"text-detection-0004-v7", "other.xml", 7, 119, 134,
     "Clamp 35, Convolution 60, Eltwise 16, Input 1, Interp 6, ScaleShift 1"},
    {"tinyllama-1.1b-int4-v11", "openvino_model.xml", 11, 4025, 4693,
     "Add 137, Assign 44, Broadcast 92, Concat 138, Const 1591, Convert 474, Cos 1, Divide 45, "
     "Equal 1, Gather 53, Greater 1, GreaterEqual 1, MatMul 156, Maximum 1, Multiply 401, "
     "Parameter 4, Power 45, Range 5, ReadValue 44, ReduceMean 45, ReduceProd 1, Reshape 255, "
     "Result 1, ScaledDotProductAttention 22, ScatterNDUpdate 1, Select 2, ShapeOf 7, Sin 1, Slice "
     "91, Sqrt 45, Subtract 156, Swish 22, Transpose 89, Unsqueeze 53"},
    {"tinyllama-detokenizer-v11", "openvino_detokenizer.xml", 11, 22, 36,
     "ByteFallback 1, Const 10, Convert 1, FuzeRagged 1, Parameter 1, RegexNormalization 2, Result "
     "1, Slice 1, StringTensorPack 1, StringTensorUnpack 1, UTF8Validate 1, VocabDecoder 1"},
    {"vehicle-attributes-0039-v4", "other.xml", 4, 31, 33,
     "Convolution 11, Eltwise 3, Input 1, Pooling 3, ReLU 8, ScaleShift 3, SoftMax 2"},
    {"vlp-detection-0106-v10", "other.xml", 10, 416, 439,
     "Add 83, Clamp 34, Concat 3, Const 177, Convert 2, Convolution 54, DetectionOutput 1, "
     "GroupConvolution 17, Multiply 1, Parameter 1, ReLU 8, Reshape 18, Result 1, ShapeOf 2, "
     "SoftMax 1, StridedSlice 1, Transpose 12"},
    {"yolov8n-fp32-v11", "yolov8n.xml", 11, 546, 592,
     "Add 72, Concat 19, Const 167, Convert 131, Convolution 64, Divide 1, Gather 1, Interpolate "
     "2, MaxPool 3, Multiply 3, Parameter 1, Reshape 5, Result 1, ScatterUpdate 2, ShapeOf 1, "
     "Sigmoid 1, SoftMax 1, StridedSlice 2, Subtract 2, Swish 57, Transpose 1, VariadicSplit 9"},
};

std::map<std::string, size_t> parse_types(std::string_view text) {
  std::map<std::string, size_t> counts;
  while (!text.empty()) {
    size_t comma = text.find(", ");
    std::string_view item = text.substr(0, comma);
    size_t space = item.rfind(' ');
    counts[std::string(item.substr(0, space))] = std::stoul(std::string(item.substr(space + 1)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 2);
  }
  return counts;
}

void count_types(const IrModel& model, std::map<std::string, size_t>& counts) {
  for (Vertex v = 0; v < model.layer_count(); ++v) {
    const Layer& layer = model.layer(v);
    ++counts[std::string(layer.type)];
    for (const auto& body : layer.bodies) count_types(*body, counts);
  }
}

bool corpus_present() { return fs::is_directory(IRLINT_CORPUS_DIR); }

class Corpus : public ::testing::TestWithParam<CorpusModel> {};

TEST_P(Corpus, LoadsAndMatchesProvenance) {
  if (!corpus_present()) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  const CorpusModel& c = GetParam();
  fs::path xml = fs::path(IRLINT_CORPUS_DIR) / c.folder / c.xml;
  auto model = read_ir(xml.string());
  ASSERT_FALSE(model->fatal);
  std::optional<Plan> predicted = plan(*model, default_target());
  for (const Finding& f : lint(*model, &*predicted, RuleSettings{})) {
    const Rule* rule = f.rule;
    ASSERT_TRUE(rule);
    EXPECT_FALSE(rule->info.code.starts_with("IRL0") && f.severity == Severity::error)
        << fmt::format("{}:{}:{}: {} [{}]", c.folder, f.pos.line, f.pos.column, f.message,
                       rule_name(f));
  }
  EXPECT_EQ(model->ir_version, c.ir_version);
  EXPECT_EQ(model->layer_count(), c.layers);
  EXPECT_EQ(boost::num_edges(model->graph), c.edges);
  EXPECT_EQ(model->order.size(), c.layers) << "the graph must be acyclic";
  std::map<std::string, size_t> counts;
  count_types(*model, counts);
  EXPECT_EQ(counts, parse_types(c.types));
}

INSTANTIATE_TEST_SUITE_P(Shared, Corpus, ::testing::ValuesIn(kCorpus),
                         [](const ::testing::TestParamInfo<CorpusModel>& param) {
                           std::string name = param.param.folder;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(CorpusTable, CoversEveryFolder) {
  if (!corpus_present()) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  std::set<std::string> folders;
  for (const auto& e : fs::directory_iterator(IRLINT_CORPUS_DIR)) {
    if (e.is_directory()) folders.insert(e.path().filename().string());
  }
  std::set<std::string> listed;
  for (const CorpusModel& c : kCorpus) listed.insert(c.folder);
  EXPECT_EQ(folders, listed);
}

// ovms-dummy-v10 was hand-edited (PROVENANCE.md): its <rt_info> has `<MO_version\t value=…>`
// (a tab inside the tag, which XML allows), a second MO_version and a model_info that does
// not describe the model. It must load cleanly, with the tabbed tag read as MO_version.
TEST(CorpusHandEdited, OvmsDummyRtInfoWithTab) {
  if (!corpus_present()) GTEST_SKIP() << "corpus not found at " << IRLINT_CORPUS_DIR;
  auto model = read_ir((fs::path(IRLINT_CORPUS_DIR) / "ovms-dummy-v10" / "dummy.xml").string());
  ASSERT_FALSE(model->fatal);
  EXPECT_TRUE(model->issues.empty());
  EXPECT_EQ(model->meta_value("MO_version"), "2020.1.0-61-gd349c3ba4a");
  size_t mo_versions = 0;
  for (const MetaEntry& m : model->meta) mo_versions += m.key == "MO_version";
  EXPECT_EQ(mo_versions, 2u);  // one in <meta_data>, one in the hand-written <rt_info>
  EXPECT_EQ(model->meta_value("model_info/precision"), "FP16");
  EXPECT_EQ(model->meta_value("model_info/resolution/width"), "300");
  ASSERT_TRUE(model->bin_size);
  EXPECT_EQ(model->layer_count(), 4u);
}

}  // namespace
}  // namespace irlint
