#include "work.hpp"

#include <algorithm>

#include "reader.hpp"

namespace irlint {

std::optional<uint64_t> layer_macs(const Layer& layer, OpKind kind) {
  bool conv = kind == OpKind::convolution || kind == OpKind::group_convolution ||
              kind == OpKind::deconvolution;
  if (!conv && kind != OpKind::matmul) return 0;
  if (layer.outputs.empty() || layer.inputs.size() < 1) return 0;
  const Shape& out_dims = layer.outputs.front().dims;
  auto out = element_count(out_dims);
  if (!out) {
    // A dynamic shape has no count (0); a static one without a count overflowed.
    bool dynamic =
        std::any_of(out_dims.begin(), out_dims.end(), [](const Dim& d) { return !d.is_static(); });
    return dynamic || out_dims.empty() ? std::optional<uint64_t>(0) : std::nullopt;
  }
  uint64_t per_output = 1;
  if (layer.inputs.size() >= 2) {
    // Weights [O, I, k...] (or [G, O/G, I/G, k...]): each output sums I/G * k... products.
    const Shape& w = layer.inputs[1].dims;
    auto w_count = element_count(w);
    if (!w_count || w.empty()) return 0;
    if (conv) {
      uint64_t out_channels = kind == OpKind::group_convolution && w.size() >= 2
                                  ? static_cast<uint64_t>(w[0].min * w[1].min)
                                  : static_cast<uint64_t>(w[0].min);
      if (kind == OpKind::deconvolution)
        out_channels = static_cast<uint64_t>(w.size() > 1 ? w[1].min : 1);
      if (out_channels == 0) return 0;
      per_output = *w_count / out_channels;
      if (kind == OpKind::deconvolution) per_output = *w_count / out_channels;
    } else {
      // MatMul [.., M, K] x [.., K, N]: each output sums K products.
      const Shape& a = layer.inputs[0].dims;
      if (a.empty() || !a.back().is_static()) return 0;
      bool transpose_a = layer.attr("transpose_a") == "true";
      per_output =
          static_cast<uint64_t>(transpose_a && a.size() >= 2 ? a[a.size() - 2].min : a.back().min);
    }
  } else if (kind == OpKind::convolution || kind == OpKind::group_convolution) {
    // Legacy IR: kernel and group are attributes, weights live in <blobs>.
    auto kernel = layer.int_list("kernel");
    if (!kernel) return 0;
    uint64_t k = 1;
    for (int64_t d : *kernel) k *= static_cast<uint64_t>(std::max<int64_t>(d, 1));
    const Shape& in = layer.inputs[0].dims;
    if (in.size() < 2 || !in[1].is_static()) return 0;
    auto group = layer.int_list("group");
    uint64_t g =
        group && !group->empty() && group->front() > 0 ? static_cast<uint64_t>(group->front()) : 1;
    per_output = static_cast<uint64_t>(in[1].min) / g * k;
  } else if (kind == OpKind::matmul) {
    const Shape& in = layer.inputs[0].dims;
    auto n = element_count(in);
    if (!n || in.empty() || !in[0].is_static() || in[0].min == 0) return 0;
    per_output = *n / static_cast<uint64_t>(in[0].min);
  }
  uint64_t macs = 0;
  if (__builtin_mul_overflow(*out, per_output, &macs)) return std::nullopt;
  return macs;
}

ModelWork model_work(const IrModel& model) {
  ModelWork work;
  const Graph& g = model.graph;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    const Layer& layer = g[v];
    OpKind kind = layer.kind;
    auto macs = layer_macs(layer, kind);
    if (macs == uint64_t{0} && (kind == OpKind::convolution || kind == OpKind::group_convolution ||
                                kind == OpKind::deconvolution || kind == OpKind::matmul)) {
      for (const Port& p : layer.outputs) {
        for (const Dim& d : p.dims) work.dynamic |= !d.is_static();
      }
    }
    if (!macs) {
      work.overflow = true;
    } else if (__builtin_add_overflow(work.macs, *macs, &work.macs)) {
      work.overflow = true;
    }
    for (const Blob& b : layer.blobs) work.weight_bytes += b.size;
    if (kind == OpKind::constant && !layer.outputs.empty()) {
      auto n = element_count(layer.outputs.front().dims);
      if (n && *n > 1) work.parameters += *n;
    } else if (layer.version.empty() && !layer.blobs.empty()) {
      for (const Blob& b : layer.blobs) {
        std::string_view p = b.precision.empty() ? layer.precision : b.precision;
        uint64_t width = p == "FP16" || p == "I16" ? 2 : p == "I8" || p == "U8" ? 1 : 4;
        work.parameters += b.size / width;
      }
    }
  }
  return work;
}

}  // namespace irlint
