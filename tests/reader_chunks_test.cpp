// Tests of the chunked read (ReadLimits::chunk_bytes): the scan that cuts `<layers>` into
// pieces, and that a model read in pieces is the model read as one document, on every IR of
// testdata/ and of the shared corpus.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "reader.hpp"
#include "rule.hpp"
#include "threads.hpp"

namespace irlint {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNet = R"(<?xml version="1.0"?>
<net name="n" version="11">
  <layers>
    <layer id="0" name="a" type="Parameter"/>
    <!-- <layer id="9"> in a comment -->
    <layer id="1" name="b&gt;" type="Relu" note='x > y "q"'><data/><![CDATA[</layer>]]></layer>
    <layer id="2" name="ti" type="TensorIterator"><body><layers><layer id="0"/></layers></body></layer>
  </layers>
  <edges/>
</net>
)";

TEST(LayerChunks, CountsTopLevelLayersOnly) {
  auto chunks = find_layer_chunks(kNet, 1u << 20);
  ASSERT_TRUE(chunks);
  EXPECT_EQ(chunks->layer_count, 3u);  // not the commented one, not the body's
  ASSERT_EQ(chunks->chunks.size(), 1u);
  EXPECT_EQ(kNet.substr(chunks->content_end, 9), "</layers>");
  EXPECT_EQ(kNet.substr(chunks->content_begin - 8, 8), "<layers>");
}

TEST(LayerChunks, CutsAfterWholeLayers) {
  auto chunks = find_layer_chunks(kNet, 1);
  ASSERT_TRUE(chunks);
  ASSERT_EQ(chunks->chunks.size(), 4u);  // three layers, then the trailing whitespace
  size_t at = chunks->content_begin;
  for (const LayerChunks::Chunk& c : chunks->chunks) {
    EXPECT_EQ(c.begin, at);
    at = c.end;
  }
  EXPECT_EQ(at, chunks->content_end);
  for (size_t i = 0; i < 3; ++i) {
    const LayerChunks::Chunk& c = chunks->chunks[i];
    std::string_view piece = kNet.substr(c.begin, c.end - c.begin);
    EXPECT_TRUE(piece.ends_with("/>") || piece.ends_with("</layer>")) << piece;
    EXPECT_EQ(c.layers, 1u);
  }
  EXPECT_EQ(chunks->chunks[3].layers, 0u);
}

TEST(LayerChunks, ScanInTwoHalvesFindsTheSameChunks) {
  // Padding before the first layer or after the last moves the middle, where the second half
  // starts, across the whole content: onto real ends of top-level layers and one in CDATA. Every
  // layer is its own chunk, so both scans must cut exactly alike.
  std::string net(kNet);
  size_t open = net.find("<layers>") + std::string_view("<layers>").size();
  size_t close = net.find("</layers>");
  std::set<size_t> splits;  // after which "</layer>" the second half started
  for (size_t pad = 0; pad < 2 * net.size(); ++pad) {
    for (size_t at : {open, close}) {
      std::string text = net.substr(0, at) + std::string(pad, ' ') + net.substr(at);
      auto one = find_layer_chunks(text, 1);
      auto two = find_layer_chunks(text, 1, 1);
      ASSERT_TRUE(one && two) << pad;
      EXPECT_EQ(two->content_begin, one->content_begin) << pad;
      EXPECT_EQ(two->content_end, one->content_end) << pad;
      EXPECT_EQ(two->layer_count, one->layer_count) << pad;
      ASSERT_EQ(two->chunks.size(), one->chunks.size()) << pad;
      for (size_t k = 0; k < one->chunks.size(); ++k) {
        EXPECT_EQ(two->chunks[k].begin, one->chunks[k].begin) << pad;
        EXPECT_EQ(two->chunks[k].end, one->chunks[k].end) << pad;
        EXPECT_EQ(two->chunks[k].layers, one->chunks[k].layers) << pad;
      }
      size_t found =
          text.find("</layer>", one->content_begin + (text.size() - one->content_begin) / 2);
      size_t nth = 0;  // which "</layer>" of the text it is
      for (size_t i = text.find("</layer>"); i < found; i = text.find("</layer>", i + 1)) ++nth;
      if (found != std::string::npos) splits.insert(nth);
    }
  }
  // The CDATA's "</layer>", the end of layer 'b' and the end of layer 'ti' (its body's layer
  // closes itself).
  EXPECT_EQ(splits.size(), 3u);
  // A text cut short anywhere before </layers>, in the second half too, is declined.
  std::string layers = "<net version=\"11\"><layers>";
  for (int i = 0; i < 8; ++i) layers += fmt::format("<layer id=\"{}\" type=\"Relu\"></layer>", i);
  ASSERT_TRUE(find_layer_chunks(layers + "</layers></net>", 1, 1));
  for (size_t cut = 0; cut < layers.size(); ++cut) {
    EXPECT_FALSE(find_layer_chunks(layers.substr(0, cut), 1, 1)) << cut;
  }
}

TEST(LayerChunks, DeclinesFilesOfAnotherShape) {
  for (std::string_view text : {
           std::string_view("<model><layers><layer/></layers></model>"),
           std::string_view("<!DOCTYPE net><net><layers><layer/></layers></net>"),
           std::string_view("<net><layers/></net>"),
           std::string_view("<net><edges/></net>"),
           std::string_view("<net><layers><layer id=\"0\"></layer>"),
           std::string_view("<net><layers><layer name=\"x></layers></net>"),
           std::string_view("<net><layers><!-- never closed </layers></net>"),
           std::string_view(""),
       }) {
    EXPECT_FALSE(find_layer_chunks(text, 16)) << text;
  }
}

/// A text rendering of everything the reader produced, for comparing two reads.
std::string describe(const IrModel& m) {
  std::string s = fmt::format("v{} '{}' fatal={} layers={} edges={}\n", m.ir_version, m.name,
                              m.fatal, m.layer_count(), boost::num_edges(m.graph));
  for (const ReaderIssue& i : m.issues) {
    s += fmt::format("issue {} {}:{} {}\n", reader_rule(i.check).info.name, i.pos.line,
                     i.pos.column, i.message);
  }
  for (const MetaEntry& e : m.meta) s += fmt::format("meta {}={}\n", e.key, e.value);
  for (Vertex v = 0; v < m.layer_count(); ++v) {
    const Layer& l = m.layer(v);
    s += fmt::format("layer {} {} {} {}:{} data={} rt={} blobs={} bodies={}", l.id, l.name, l.type,
                     l.pos.line, l.pos.column, l.data.size(), l.rt_info.size(), l.blobs.size(),
                     l.bodies.size());
    for (const auto* ports : {&l.inputs, &l.outputs}) {
      for (const Port& p : *ports) {
        s += fmt::format(" [{}@{}:{}", p.id, p.pos.line, p.pos.column);
        for (const Dim& d : p.dims) s += fmt::format(" {}..{}", d.min, d.max);
        s += "]";
      }
    }
    s += '\n';
  }
  for (auto [it, end] = boost::edges(m.graph); it != end; ++it) {
    const Connection& c = m.graph[*it];
    s += fmt::format("edge {}:{} -> {}:{} at {}:{}\n", boost::source(*it, m.graph), c.from_port,
                     boost::target(*it, m.graph), c.to_port, c.pos.line, c.pos.column);
  }
  for (Vertex v : m.order) s += fmt::format("{} ", v);
  return s;
}

std::vector<fs::path> all_irs() {
  std::vector<fs::path> files;
  for (const fs::path& dir :
       {fs::path(IRLINT_SOURCE_DIR) / "testdata", fs::path(IRLINT_CORPUS_DIR)}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
    }
  }
  return files;
}

TEST(ChunkedRead, ReadsEveryIrAsTheWholeDocumentRead) {
  std::vector<fs::path> files = all_irs();
  ASSERT_GT(files.size(), 100u);
  size_t chunked = 0;
  for (const fs::path& f : files) {
    ReadLimits whole;
    whole.chunk_bytes = 0;
    ReadLimits tiny;
    tiny.chunk_bytes = 1;  // every layer its own chunk
    tiny.read_threads = 1;
    ReadLimits parallel = tiny;
    parallel.read_threads = 4;
    ReadLimits split = parallel;
    split.split_scan_bytes = 1;  // the scan for chunks in two halves
    std::string expected = describe(*read_ir(f.string(), {}, whole));
    EXPECT_EQ(describe(*read_ir(f.string(), {}, tiny)), expected) << f;
    EXPECT_EQ(describe(*read_ir(f.string(), {}, parallel)), expected) << f;
    EXPECT_EQ(describe(*read_ir(f.string(), {}, split)), expected) << f;
    EXPECT_EQ(describe(*read_ir(f.string())), expected) << f;
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (find_layer_chunks(text, 1)) ++chunked;
  }
  // Most files take the chunked path; the broken ones fall back to the whole-document read.
  EXPECT_GT(chunked, files.size() / 2);
}

/// The order boost's depth-first search gives: reversed finish order, empty on a back edge.
std::vector<Vertex> boost_order(const Graph& g) {
  struct Visitor : boost::default_dfs_visitor {
    std::vector<Vertex>* order;
    bool* cyclic;
    void back_edge(Edge, const Graph&) const { *cyclic = true; }
    void finish_vertex(Vertex v, const Graph&) const { order->push_back(v); }
  };
  std::vector<Vertex> order;
  bool cyclic = false;
  Visitor visitor;
  visitor.order = &order;
  visitor.cyclic = &cyclic;
  boost::depth_first_search(g, boost::visitor(visitor));
  if (cyclic) return {};
  std::reverse(order.begin(), order.end());
  return order;
}

TEST(ChunkedRead, TopologicalOrderIsBoostsDepthFirstOrder) {
  // The reader orders the layers on a compact copy of the edges; the order must be the one
  // boost::depth_first_search finds on the graph itself, cycles (testdata/rules/graph-cycle)
  // included.
  size_t cyclic = 0;
  for (const fs::path& f : all_irs()) {
    auto model = read_ir(f.string());
    std::vector<Vertex> expected = boost_order(model->graph);
    EXPECT_EQ(model->order, expected) << f;
    cyclic += model->layer_count() > 0 && expected.empty();
    for (Vertex v = 0; v < model->layer_count(); ++v) {
      for (const auto& body : model->layer(v).bodies) {
        if (body) {
          EXPECT_EQ(body->order, boost_order(body->graph)) << f;
        }
      }
    }
  }
  EXPECT_GT(cyclic, 0u);
}

/// Reads `text` as one document and in chunks of 1, 40 and 1000 bytes on one and two threads;
/// expects the same model every time and returns the whole read's description.
std::string expect_chunked_reads_equal(const std::string& text) {
  ReadLimits whole;
  whole.chunk_bytes = 0;
  std::string expected = describe(*read_ir_text("m.xml", text, std::nullopt, whole));
  for (uint64_t bytes : {1, 40, 1000}) {
    for (unsigned threads : {1u, 2u}) {
      ReadLimits chunked;
      chunked.chunk_bytes = bytes;
      chunked.read_threads = threads;
      chunked.split_scan_bytes = 1;  // with two threads, the scan runs in two halves
      EXPECT_EQ(describe(*read_ir_text("m.xml", text, std::nullopt, chunked)), expected)
          << bytes << " bytes, " << threads << " threads";
    }
  }
  return expected;
}

TEST(ChunkedRead, ALargeFileIsReadInTwoHalves) {
  // From 8 MB a file is read by two threads at once (pread), its scan split in two and its
  // layers read while the skeleton is parsed: the model must be the one read from memory on one
  // thread, issues (a dangling edge near the end) and positions included.
  std::string text = "<?xml version=\"1.0\"?>\n<net name=\"big\" version=\"11\">\n<layers>\n";
  std::string edges = "<edges>\n";
  constexpr int kLayers = 40'000;
  for (int i = 0; i < kLayers; ++i) {
    text += fmt::format(
        "<layer id=\"{}\" name=\"relu{}\" type=\"{}\" version=\"opset1\">\n"
        "<input><port id=\"0\" precision=\"FP32\"><dim>1</dim><dim>64</dim></port></input>\n"
        "<output><port id=\"1\" precision=\"FP32\"><dim>1</dim><dim>64</dim></port></output>\n"
        "</layer>\n",
        i, i, i == 0 ? "Parameter" : "Relu");
    if (i > 0)
      edges += fmt::format(
          "<edge from-layer=\"{}\" from-port=\"1\" to-layer=\"{}\" to-port=\"0\"/>\n", i - 1, i);
  }
  edges += "<edge from-layer=\"7\" from-port=\"1\" to-layer=\"999999\" to-port=\"0\"/>\n";
  text += "</layers>\n" + edges + "</edges>\n</net>\n";
  ASSERT_GT(text.size(), 8u << 20);
  fs::path file = fs::temp_directory_path() / "irlint_large_two_halves.xml";
  std::ofstream(file, std::ios::binary) << text;
  ReadLimits one;
  one.read_threads = 1;
  ReadLimits two;
  two.read_threads = 2;
  std::string expected = describe(*read_ir_text(file.string(), text, std::nullopt, one));
  EXPECT_NE(expected.find("dangling-edge"), std::string::npos);
  EXPECT_EQ(describe(*read_ir(file.string(), {}, two)), expected);
  EXPECT_EQ(describe(*read_ir(file.string(), {}, one)), expected);
  // With no thread to be had (issue 20, item 3), this thread reads, scans and builds it all.
  refuse_new_threads() = true;
  std::string refused = describe(*read_ir(file.string(), {}, two));
  refuse_new_threads() = false;
  EXPECT_EQ(refused, expected);
  fs::remove(file);
}

TEST(ChunkedRead, ABrokenLayerGetsTheWholeDocumentDiagnostic) {
  std::string text(kNet);
  text.replace(text.find("<data/>"), 7, "<data></oops>");
  std::string expected = expect_chunked_reads_equal(text);
  EXPECT_NE(expected.find("malformed-xml 6:"), std::string::npos) << expected;
}

TEST(ChunkedRead, AFatalHeaderDoesNotHideAMalformedChunk) {
  // Found by fuzz_reader (testdata/fuzz/reader-chunked-vs-whole.xml): <net> has no version and
  // a layer is malformed. The whole read parses everything first and reports the XML error; the
  // chunked read stopped at the version, before the chunk.
  std::ifstream in(
      fs::path(IRLINT_SOURCE_DIR) / "testdata" / "fuzz" / "reader-chunked-vs-whole.xml",
      std::ios::binary);
  std::string found((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& text : {std::string(R"(<net name="n"><layers><layer id="0" type="Relu">
<data a=1/></layer></layers><edges/></net>)"),
                                  found}) {
    std::string expected = expect_chunked_reads_equal(text);
    EXPECT_NE(expected.find("malformed-xml"), std::string::npos) << expected;
  }
}

TEST(ChunkedRead, MarkupInsideAQuotedValueIsText) {
  // pugixml takes '<' in an attribute value as text: the layers the scan must not see there
  // either are not counted or the pieces fall back to the whole read.
  std::string expected = expect_chunked_reads_equal(
      R"(<net name="n" version="11"><layers><layer id="0" type="Parameter">
<data note="a</layer><layer id='7' type='Relu'>"/></layer><layer id="1" type="Result"/></layers>
<edges/></net>)");
  EXPECT_NE(expected.find("layers=2"), std::string::npos) << expected;
}

TEST(ChunkedRead, OnlyDirectChildrenOfLayersAreLayers) {
  // The scan counts the wrapped layer; the pieces then hold none, as the whole read finds none.
  std::string expected = expect_chunked_reads_equal(
      R"(<net name="n" version="11"><layers><layer id="0" type="Parameter"/>
<wrap><layer id="1" type="Relu"/></wrap><layer id="2" type="Result"/></layers><edges/></net>)");
  EXPECT_NE(expected.find("layers=2"), std::string::npos) << expected;
}

}  // namespace
}  // namespace irlint
