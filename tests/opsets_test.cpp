// Opset membership: the table in analyzer/opsets.cpp against facts of the upstream opset tables.
#include "opsets.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace irlint {
namespace {

TEST(Opsets, HSwishArrivesInOpset4) {
  EXPECT_FALSE(op_in_opset("HSwish", 3));
  EXPECT_TRUE(op_in_opset("HSwish", 4));
  EXPECT_TRUE(op_in_opset("HSwish", kLatestOpset));
}

TEST(Opsets, ConvolutionIsInEveryOpset) {
  for (int n = 1; n <= kLatestOpset; ++n) EXPECT_TRUE(op_in_opset("Convolution", n)) << n;
  EXPECT_FALSE(op_in_opset("Convolution", 0));
  EXPECT_FALSE(op_in_opset("Convolution", kLatestOpset + 1));
}

TEST(Opsets, NewOperationsStartInTheirOpset) {
  EXPECT_FALSE(op_in_opset("ScaledDotProductAttention", 12));
  EXPECT_TRUE(op_in_opset("ScaledDotProductAttention", 13));
  EXPECT_FALSE(op_in_opset("HSigmoid", 4));
  EXPECT_TRUE(op_in_opset("HSigmoid", 5));
  EXPECT_FALSE(op_in_opset("Slice", 7));
  EXPECT_TRUE(op_in_opset("Slice", 8));
  EXPECT_FALSE(op_in_opset("GroupNormalization", 11));
  EXPECT_TRUE(op_in_opset("GroupNormalization", 12));
  EXPECT_FALSE(op_in_opset("Inverse", 13));
  EXPECT_TRUE(op_in_opset("Inverse", 14));
  // opset15_tbl.hpp lists only a few earlier operations: opset15 is opset14 plus its new ones.
  EXPECT_FALSE(op_in_opset("STFT", 14));
  EXPECT_TRUE(op_in_opset("STFT", 15));
  EXPECT_TRUE(op_in_opset("ScaledDotProductAttention", 15));
  EXPECT_TRUE(op_in_opset("MatMul", 15));
}

TEST(Opsets, OperationsDroppedFromOpset2) {
  EXPECT_TRUE(op_in_opset("Reverse", 1));
  EXPECT_FALSE(op_in_opset("Reverse", 2));
  EXPECT_FALSE(op_in_opset("Reverse", kLatestOpset));
  // RNNCell and ShuffleChannels left opset2 and came back in opset3.
  EXPECT_TRUE(op_in_opset("ShuffleChannels", 1));
  EXPECT_FALSE(op_in_opset("ShuffleChannels", 2));
  EXPECT_TRUE(op_in_opset("ShuffleChannels", 3));
  EXPECT_FALSE(op_in_opset("RNNCell", 2));
  EXPECT_TRUE(op_in_opset("RNNCell", 8));
  EXPECT_FALSE(op_in_opset("LSTMSequence", 4));
  EXPECT_TRUE(op_in_opset("LSTMSequence", 5));
}

TEST(Opsets, OperationsMissingFromOpset1) {
  EXPECT_FALSE(op_in_opset("MVN", 1));
  EXPECT_TRUE(op_in_opset("MVN", 2));
  EXPECT_FALSE(op_in_opset("ROIPooling", 1));
  EXPECT_TRUE(op_in_opset("ROIPooling", 6));
}

TEST(Opsets, TypesMatchLikeTheIrReader) {
  // The IR spells Constant "Const" and the reader looks types up case-insensitively.
  EXPECT_TRUE(op_in_opset("Const", 1));
  EXPECT_TRUE(op_in_opset("Constant", 1));
  EXPECT_TRUE(op_in_opset("ReLU", 1));
  EXPECT_TRUE(op_in_opset("SoftMax", 8));
  EXPECT_TRUE(op_in_opset("PReLU", 1));
  EXPECT_FALSE(op_in_opset("Foo", 8));
  EXPECT_FALSE(op_in_opset("", 1));
}

TEST(Opsets, KnownOp) {
  EXPECT_TRUE(known_op("HSwish"));
  EXPECT_TRUE(known_op("Reverse"));
  EXPECT_TRUE(known_op("SearchSorted"));
  EXPECT_FALSE(known_op("Foo"));
  EXPECT_FALSE(known_op("ScaleShift"));  // legacy only
  EXPECT_FALSE(known_op("RegexSplit"));  // an openvino_tokenizers operation
}

TEST(Opsets, KnownLegacyLayer) {
  for (const char* type : {"Input", "ScaleShift", "Eltwise", "Power", "Convolution", "Pooling",
                           "ReLU", "Permute", "Interp", "Quantize", "FullyConnected", "Norm",
                           "Memory", "Resample", "PriorBoxClustered", "relu"}) {
    EXPECT_TRUE(known_legacy_layer(type)) << type;
  }
  EXPECT_FALSE(known_legacy_layer("Foo"));
  EXPECT_FALSE(known_legacy_layer("HSwish"));  // an opset name, not a CNNLayer type
}

TEST(Opsets, ParseOpset) {
  EXPECT_EQ(parse_opset("opset1"), 1);
  EXPECT_EQ(parse_opset("opset15"), 15);
  EXPECT_EQ(parse_opset("opset16"), 16);
  EXPECT_EQ(parse_opset("opset0"), std::nullopt);
  EXPECT_EQ(parse_opset("opset"), std::nullopt);
  EXPECT_EQ(parse_opset("opset8a"), std::nullopt);
  EXPECT_EQ(parse_opset("extension"), std::nullopt);
  EXPECT_EQ(parse_opset(""), std::nullopt);
}

TEST(Opsets, TableIsWellFormed) {
  std::set<std::string> seen;
  std::string previous;
  int previous_last = 0;
  for (const OpsetSpan& s : opset_table()) {
    EXPECT_GE(s.first, 1) << s.type;
    EXPECT_LE(s.first, s.last) << s.type;
    EXPECT_LE(s.last, kLatestOpset) << s.type;
    std::string type(s.type);
    if (type == previous) {
      // Spans of one type are ordered and leave a gap (otherwise they would be one span).
      EXPECT_GT(s.first, previous_last + 1) << type;
    } else {
      EXPECT_TRUE(seen.insert(type).second) << type << " appears in two places";
    }
    previous = type;
    previous_last = s.last;
  }
  EXPECT_GT(seen.size(), 180u);
}

}  // namespace
}  // namespace irlint
