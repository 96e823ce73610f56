#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ir_model.hpp"
#include "target.hpp"

// Shapes and geometry the passes read off a layer: the facts oneDNN's init_conf functions
// compute before they pick or refuse a kernel.
namespace irlint::planning {

/// The rank of a layer's first output (0 without outputs).
size_t rank(const Layer& layer);
/// The static channel count (dim 1) of a port, -1 when unknown.
int64_t channels(const Port& port);
/// Why oneDNN's FP32 JIT depthwise kernel refuses a 2D depthwise convolution on `isa`: its
/// padding is wider than the kernel's width unroll (Policy::fp32_dw_pad_limit); empty if not.
std::string dw_pad_beyond_unroll(const Layer& layer, Isa isa);
/// Whether a convolution's kernel is 1x1 (weights port, or legacy `kernel` attributes).
bool kernel_1x1(const Layer& layer);
/// Whether oneDNN's JIT 1x1 kernels take a 1x1 convolution's strides.
bool unit_stride_reducible(const Layer& layer);

/// A 2D convolution's static geometry as oneDNN's init_conf sees it: channels per group,
/// dilation counted from 0, end padding derived from the shapes (calculate_end_padding).
struct ConvShape {
  int64_t groups = 1, ic = 0, oc = 0;
  int64_t ih = 0, iw = 0, oh = 0, ow = 0, kh = 0, kw = 0;
  int64_t dilate_h = 0, dilate_w = 0;
  int64_t t_pad = 0, l_pad = 0, b_pad = 0, r_pad = 0;
  int64_t ext_kh() const { return (kh - 1) * (dilate_h + 1) + 1; }
  int64_t ext_kw() const { return (kw - 1) * (dilate_w + 1) + 1; }
};

/// The geometry of a 2D convolution with static shapes (weights from the second input port, or
/// for legacy IR the `kernel` and `group` attributes); nullopt otherwise.
std::optional<ConvShape> conv_shape(const Layer& layer);
/// Why oneDNN's JIT softmax refuses `layer` with its input in `layout` on `isa`: the axis is not
/// dense (Policy::softmax_jit_needs_dense_axis); empty if it takes it or the shape is not static.
std::string softmax_axis_not_dense(const Layer& layer, Layout layout, Isa isa);
/// Two layouts of a producer's output that put the bytes in the same order: any two when the
/// spatial size is 1 and the channels fill whole blocks.
bool same_memory(Layout a, Layout b, const Layer& producer);

}  // namespace irlint::planning
