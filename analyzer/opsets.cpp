#include "opsets.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>

#include "text.hpp"

namespace irlint {
namespace {

constexpr int kLast = kLatestOpset;

// Which opsets contain each operation type.
//
// Source: openvinotoolkit/openvino, src/core/include/openvino/opsets/opset1_tbl.hpp …
// opset15_tbl.hpp (read 2026-11; the tables list `(Type, ov::op::vK)` pairs per opset).
// How membership was derived: opset1 is the full list of its table. opsetN is opset(N-1) plus the
// types its table adds, minus the types its table drops; a new *version* of a type (Gather-1 →
// Gather-7 → Gather-8) keeps the type a member, because the IR names the type, not the version.
// The tables up to opset14 are complete lists; opset15_tbl.hpp (like opset16's) lists only
// Parameter, Convert and ShapeOf under "Previous opsets operators" plus the new operations, a
// partial list by design ("add remaining operators at the end of development"), so opset15 is
// taken as opset14 plus its new operations (Squeeze-15 and SearchSorted added in the final 2024.x
// table). The only removals in the tables are in opset2: Reverse, Xor, RNNCell, ShuffleChannels
// (added to opset1 "by mistake") and LSTMSequence-0; RNNCell and ShuffleChannels came back in
// opset3, LSTMSequence-0 is in opset3 but not opset4, and LSTMSequence-5 from opset5 on.
// MVN, ROIPooling and ReorgYolo start in opset2 (the IR reader takes them from opset2 when a
// layer says opset1; that exception belongs to the rule, not to this table). ScatterNDUpdate-3 is
// counted from opset3 (the opset3 specification lists it; some opset3_tbl.hpp revisions omit it):
// when in doubt, the table is lenient. Two opset1_tbl.hpp revisions in the crawl carry entries no
// release has (SparseConv, RotRPEAttentionWeightWithIndexComputation); they are left out.
constexpr OpsetSpan kTable[] = {
    {"Abs", 1, kLast},
    {"Acos", 1, kLast},
    {"Acosh", 4, kLast},
    {"AdaptiveAvgPool", 8, kLast},
    {"AdaptiveMaxPool", 8, kLast},
    {"Add", 1, kLast},
    {"Asin", 1, kLast},
    {"Asinh", 4, kLast},
    {"Assign", 3, kLast},
    {"Atan", 1, kLast},
    {"Atanh", 4, kLast},
    {"AvgPool", 1, kLast},
    {"BatchNormInference", 1, kLast},
    {"BatchToSpace", 2, kLast},
    {"BinaryConvolution", 1, kLast},
    {"BitwiseAnd", 13, kLast},
    {"BitwiseLeftShift", 15, kLast},
    {"BitwiseNot", 13, kLast},
    {"BitwiseOr", 13, kLast},
    {"BitwiseRightShift", 15, kLast},
    {"BitwiseXor", 13, kLast},
    {"Broadcast", 1, kLast},
    {"Bucketize", 3, kLast},
    {"CTCGreedyDecoder", 1, kLast},
    {"CTCGreedyDecoderSeqLen", 6, kLast},
    {"CTCLoss", 4, kLast},
    {"Ceiling", 1, kLast},
    {"Clamp", 1, kLast},
    {"Col2Im", 15, kLast},
    {"Concat", 1, kLast},
    {"Constant", 1, kLast},
    {"Convert", 1, kLast},
    {"ConvertLike", 1, kLast},
    {"ConvertPromoteTypes", 14, kLast},
    {"Convolution", 1, kLast},
    {"ConvolutionBackpropData", 1, kLast},
    {"Cos", 1, kLast},
    {"Cosh", 1, kLast},
    {"CumSum", 3, kLast},
    {"DFT", 7, kLast},
    {"DeformableConvolution", 1, kLast},
    {"DeformablePSROIPooling", 1, kLast},
    {"DepthToSpace", 1, kLast},
    {"DetectionOutput", 1, kLast},
    {"Divide", 1, kLast},
    {"Einsum", 7, kLast},
    {"Elu", 1, kLast},
    {"EmbeddingBagOffsets", 15, kLast},
    {"EmbeddingBagOffsetsSum", 3, kLast},
    {"EmbeddingBagPacked", 15, kLast},
    {"EmbeddingBagPackedSum", 3, kLast},
    {"EmbeddingSegmentsSum", 3, kLast},
    {"Equal", 1, kLast},
    {"Erf", 1, kLast},
    {"Exp", 1, kLast},
    {"ExperimentalDetectronDetectionOutput", 6, kLast},
    {"ExperimentalDetectronGenerateProposalsSingleImage", 6, kLast},
    {"ExperimentalDetectronPriorGridGenerator", 6, kLast},
    {"ExperimentalDetectronROIFeatureExtractor", 6, kLast},
    {"ExperimentalDetectronTopKROIs", 6, kLast},
    {"ExtractImagePatches", 3, kLast},
    {"Eye", 9, kLast},
    {"FakeConvert", 13, kLast},
    {"FakeQuantize", 1, kLast},
    {"Floor", 1, kLast},
    {"FloorMod", 1, kLast},
    {"GRN", 1, kLast},
    {"GRUCell", 3, kLast},
    {"GRUSequence", 5, kLast},
    {"Gather", 1, kLast},
    {"GatherElements", 6, kLast},
    {"GatherND", 5, kLast},
    {"GatherTree", 1, kLast},
    {"Gelu", 2, kLast},
    {"GenerateProposals", 9, kLast},
    {"Greater", 1, kLast},
    {"GreaterEqual", 1, kLast},
    {"GridSample", 9, kLast},
    {"GroupConvolution", 1, kLast},
    {"GroupConvolutionBackpropData", 1, kLast},
    {"GroupNormalization", 12, kLast},
    {"HSigmoid", 5, kLast},
    {"HSwish", 4, kLast},
    {"HardSigmoid", 1, kLast},
    {"I420toBGR", 8, kLast},
    {"I420toRGB", 8, kLast},
    {"IDFT", 7, kLast},
    {"IRDFT", 9, kLast},
    {"If", 8, kLast},
    {"Interpolate", 1, kLast},
    {"Inverse", 14, kLast},
    {"IsFinite", 10, kLast},
    {"IsInf", 10, kLast},
    {"IsNaN", 10, kLast},
    {"LRN", 1, kLast},
    {"LSTMCell", 1, kLast},
    {"LSTMSequence", 1, 1},
    {"LSTMSequence", 3, 3},
    {"LSTMSequence", 5, kLast},
    {"Less", 1, kLast},
    {"LessEqual", 1, kLast},
    {"Log", 1, kLast},
    {"LogSoftmax", 5, kLast},
    {"LogicalAnd", 1, kLast},
    {"LogicalNot", 1, kLast},
    {"LogicalOr", 1, kLast},
    {"LogicalXor", 1, kLast},
    {"Loop", 5, kLast},
    {"MVN", 2, kLast},
    {"MatMul", 1, kLast},
    {"MatrixNms", 8, kLast},
    {"MaxPool", 1, kLast},
    {"Maximum", 1, kLast},
    {"Minimum", 1, kLast},
    {"Mish", 4, kLast},
    {"Mod", 1, kLast},
    {"MulticlassNms", 8, kLast},
    {"Multinomial", 13, kLast},
    {"Multiply", 1, kLast},
    {"NMSRotated", 13, kLast},
    {"NV12toBGR", 8, kLast},
    {"NV12toRGB", 8, kLast},
    {"Negative", 1, kLast},
    {"NonMaxSuppression", 1, kLast},
    {"NonZero", 3, kLast},
    {"NormalizeL2", 1, kLast},
    {"NotEqual", 1, kLast},
    {"OneHot", 1, kLast},
    {"PRelu", 1, kLast},
    {"PSROIPooling", 1, kLast},
    {"Pad", 1, kLast},
    {"Parameter", 1, kLast},
    {"Power", 1, kLast},
    {"PriorBox", 1, kLast},
    {"PriorBoxClustered", 1, kLast},
    {"Proposal", 1, kLast},
    {"RDFT", 9, kLast},
    {"RNNCell", 1, 1},
    {"RNNCell", 3, kLast},
    {"RNNSequence", 5, kLast},
    {"ROIAlign", 3, kLast},
    {"ROIAlignRotated", 15, kLast},
    {"ROIPooling", 2, kLast},
    {"RandomUniform", 8, kLast},
    {"Range", 1, kLast},
    {"ReadValue", 3, kLast},
    {"ReduceL1", 4, kLast},
    {"ReduceL2", 4, kLast},
    {"ReduceLogicalAnd", 1, kLast},
    {"ReduceLogicalOr", 1, kLast},
    {"ReduceMax", 1, kLast},
    {"ReduceMean", 1, kLast},
    {"ReduceMin", 1, kLast},
    {"ReduceProd", 1, kLast},
    {"ReduceSum", 1, kLast},
    {"RegionYolo", 1, kLast},
    {"Relu", 1, kLast},
    {"ReorgYolo", 2, kLast},
    {"Reshape", 1, kLast},
    {"Result", 1, kLast},
    {"Reverse", 1, 1},
    {"ReverseSequence", 1, kLast},
    {"Roll", 7, kLast},
    {"Round", 5, kLast},
    {"STFT", 15, kLast},
    {"ScaledDotProductAttention", 13, kLast},
    {"ScatterElementsUpdate", 3, kLast},
    {"ScatterNDUpdate", 3, kLast},
    {"ScatterUpdate", 3, kLast},
    {"SearchSorted", 15, kLast},
    {"Select", 1, kLast},
    {"Selu", 1, kLast},
    {"ShapeOf", 1, kLast},
    {"ShuffleChannels", 1, 1},
    {"ShuffleChannels", 3, kLast},
    {"Sigmoid", 1, kLast},
    {"Sign", 1, kLast},
    {"Sin", 1, kLast},
    {"Sinh", 1, kLast},
    {"Slice", 8, kLast},
    {"SliceScatter", 15, kLast},
    {"SoftPlus", 4, kLast},
    {"SoftSign", 9, kLast},
    {"Softmax", 1, kLast},
    {"SpaceToBatch", 2, kLast},
    {"SpaceToDepth", 1, kLast},
    {"Split", 1, kLast},
    {"Sqrt", 1, kLast},
    {"SquaredDifference", 1, kLast},
    {"Squeeze", 1, kLast},
    {"StridedSlice", 1, kLast},
    {"StringTensorPack", 15, kLast},
    {"StringTensorUnpack", 15, kLast},
    {"Subtract", 1, kLast},
    {"Swish", 4, kLast},
    {"Tan", 1, kLast},
    {"Tanh", 1, kLast},
    {"TensorIterator", 1, kLast},
    {"Tile", 1, kLast},
    {"TopK", 1, kLast},
    {"Transpose", 1, kLast},
    {"Unique", 10, kLast},
    {"Unsqueeze", 1, kLast},
    {"VariadicSplit", 1, kLast},
    {"Xor", 1, 1},
};

// Layer types of the legacy CNNLayer IR (v2-v7) that the Inference Engine's v7 reader and CPU
// plugin knew, from the IR v7 layer catalogue of the 2018-2021 releases (Model Optimizer's
// "Supported Framework Layers" / "Intermediate Representation Notation Reference" and the plugin's
// node registry). Legacy IRs written by the 2020-2021 converters also carry opset type names
// (HSwish, Round, …); the rule accepts those through known_op(), so this list only needs what
// is legacy-only. Comparison is case-insensitive, as the v7 reader's was.
constexpr std::string_view kLegacyLayers[] = {
    "Abs",
    "Acos",
    "Acosh",
    "Activation",
    "ArgMax",
    "Asin",
    "Asinh",
    "Atan",
    "Atanh",
    "BatchNormalization",
    "BatchToSpace",
    "BinaryConvolution",
    "Broadcast",
    "Bucketize",
    "Ceil",
    "Ceiling",
    "Clamp",
    "Concat",
    "Const",
    "Convert",
    "Convolution",
    "Copy",
    "Cos",
    "Cosh",
    "Crop",
    "CTCGreedyDecoder",
    "Deconvolution",
    "DeformableConvolution",
    "DeformablePSROIPooling",
    "DepthToSpace",
    "DetectionOutput",
    "Eltwise",
    "Elu",
    "Erf",
    "Exp",
    "ExperimentalDetectronDetectionOutput",
    "ExperimentalDetectronGenerateProposalsSingleImage",
    "ExperimentalDetectronPriorGridGenerator",
    "ExperimentalDetectronROIFeatureExtractor",
    "ExperimentalDetectronTopKROIs",
    "ExperimentalSparseWeightedSum",
    "FakeQuantize",
    "Fill",
    "Flatten",
    "Floor",
    "FullyConnected",
    "Gather",
    "GatherTree",
    "Gelu",
    "Gemm",
    "GRN",
    "GRUCell",
    "GRUSequence",
    "HardSigmoid",
    "InnerProduct",
    "Input",
    "Interp",
    "Log",
    "LogSoftmax",
    "LRN",
    "LSTMCell",
    "LSTMSequence",
    "Memory",
    "MVN",
    "Neg",
    "NonMaxSuppression",
    "Norm",
    "Normalize",
    "Not",
    "OneHot",
    "Pad",
    "Permute",
    "Pooling",
    "Power",
    "PReLU",
    "PriorBox",
    "PriorBoxClustered",
    "Proposal",
    "PSROIPooling",
    "Quantize",
    "Range",
    "Reciprocal",
    "ReduceAnd",
    "ReduceL1",
    "ReduceL2",
    "ReduceLogSum",
    "ReduceLogSumExp",
    "ReduceMax",
    "ReduceMean",
    "ReduceMin",
    "ReduceOr",
    "ReduceProd",
    "ReduceSum",
    "ReduceSumSquare",
    "RegionYolo",
    "ReLU",
    "ReLU6",
    "ReorgYolo",
    "Resample",
    "Reshape",
    "ReverseSequence",
    "RNNCell",
    "RNNSequence",
    "ROIPooling",
    "ScaleShift",
    "ScatterElementsUpdate",
    "ScatterUpdate",
    "Select",
    "Selu",
    "ShapeOf",
    "ShuffleChannels",
    "Sigmoid",
    "Sign",
    "SimplerNMS",
    "Sin",
    "Sinh",
    "Slice",
    "SoftMax",
    "Softplus",
    "Softsign",
    "SpaceToBatch",
    "SpaceToDepth",
    "SparseFillEmptyRows",
    "SparseSegmentMean",
    "SparseSegmentSqrtN",
    "SparseSegmentSum",
    "SparseToDense",
    "SpatialTransformer",
    "Split",
    "Sqrt",
    "Squeeze",
    "StridedSlice",
    "Tan",
    "TanH",
    "TensorIterator",
    "Tile",
    "TopK",
    "Unique",
    "Unsqueeze",
    "Upsample",
};

// Operations the IR reader builds from opset6 when a layer says version="experimental" or
// "extension" (the reader's experimental_ops_added_to_opset list, src/frontends/ir/src/
// ir_deserializer.cpp).
constexpr std::string_view kExperimentalAliases[] = {
    "ExperimentalDetectronDetectionOutput",
    "ExperimentalDetectronGenerateProposalsSingleImage",
    "ExperimentalDetectronPriorGridGenerator",
    "ExperimentalDetectronROIFeatureExtractor",
    "ExperimentalDetectronTopKROIs",
    "GRUCell",
    "RNNCell",
    "Proposal",
};

// Operations registered by the openvino_tokenizers extension (its src/ folder, 2024.x-2025.x).
constexpr std::string_view kTokenizersOps[] = {
    "BPETokenizer",
    "ByteFallback",
    "BytesToChars",
    "CaseFold",
    "CharsMapNormalization",
    "CharsToBytes",
    "CombineSegments",
    "EqualStr",
    "FuzeRagged",
    "NormalizeUnicode",
    "RaggedTensorPack",
    "RaggedToDense",
    "RaggedToRagged",
    "RaggedToSparse",
    "RegexNormalization",
    "RegexSplit",
    "SentencepieceDetokenizer",
    "SentencepieceStreamDetokenizer",
    "SentencepieceTokenizer",
    "SpecialTokensSplit",
    "StringTensorPack",
    "StringTensorUnpack",
    "TrieTokenizer",
    "Truncate",
    "UTF8Validate",
    "UnigramTokenizer",
    "VocabDecoder",
    "VocabEncoder",
    "WordpieceTokenizer",
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool contains_insensitive(std::span<const std::string_view> list, std::string_view type) {
  return std::any_of(list.begin(), list.end(),
                     [&](std::string_view t) { return iequals(t, type); });
}

/// The table indexed by lower-case type name, built once.
const std::map<std::string, std::vector<OpsetSpan>>& index() {
  static const std::map<std::string, std::vector<OpsetSpan>> map = [] {
    std::map<std::string, std::vector<OpsetSpan>> m;
    for (const OpsetSpan& s : kTable) m[lower(s.type)].push_back(s);
    return m;
  }();
  return map;
}

}  // namespace

std::span<const OpsetSpan> opset_table() { return kTable; }

std::vector<OpsetSpan> opset_spans(std::string_view type) {
  // The IR writes Constant as "Const"; the reader translates it back before the lookup.
  std::string key = iequals(type, "Const") ? std::string("constant") : lower(type);
  auto it = index().find(key);
  return it == index().end() ? std::vector<OpsetSpan>{} : it->second;
}

bool op_in_opset(std::string_view type, int opset) {
  auto spans = opset_spans(type);
  return std::any_of(spans.begin(), spans.end(),
                     [&](const OpsetSpan& s) { return opset >= s.first && opset <= s.last; });
}

bool known_op(std::string_view type) { return !opset_spans(type).empty(); }

bool known_legacy_layer(std::string_view type) { return contains_insensitive(kLegacyLayers, type); }

std::optional<int> parse_opset(std::string_view version) {
  if (!version.starts_with("opset")) return std::nullopt;
  auto n = parse_number<int>(version.substr(5));
  if (!n || *n < 1) return std::nullopt;
  return n;
}

bool experimental_alias_op(std::string_view type) {
  return std::find(std::begin(kExperimentalAliases), std::end(kExperimentalAliases), type) !=
         std::end(kExperimentalAliases);
}

bool tokenizers_op(std::string_view type) {
  return std::find(std::begin(kTokenizersOps), std::end(kTokenizersOps), type) !=
         std::end(kTokenizersOps);
}

}  // namespace irlint
