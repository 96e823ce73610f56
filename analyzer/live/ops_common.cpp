#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "executor.hpp"
#include "reader.hpp"

namespace irlint::live::exec {

std::string dt_name(dt type) {
  switch (type) {
    case dt::f32:
      return "f32";
    case dt::u8:
      return "u8";
    case dt::s8:
      return "s8";
    case dt::s32:
      return "s32";
    case dt::bf16:
      return "bf16";
    case dt::f16:
      return "f16";
    default:
      return "undef";
  }
}

std::string generic_tag(const memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  if (d.format_kind != dnnl_blocked) return "any";
  const auto& b = d.format_desc.blocking;
  int n = d.ndims;
  std::vector<int> order(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return b.strides[x] > b.strides[y]; });
  std::set<int> blocked;
  for (int i = 0; i < b.inner_nblks; ++i) blocked.insert(static_cast<int>(b.inner_idxs[i]));
  std::string out;
  for (int i : order) {
    char c = static_cast<char>('a' + i);
    out += blocked.count(i) ? static_cast<char>(c - 'a' + 'A') : c;
  }
  for (int i = 0; i < b.inner_nblks; ++i) {
    out += fmt::format("{}{}", b.inner_blks[i], static_cast<char>('a' + b.inner_idxs[i]));
  }
  if (d.extra.flags != 0) out += "+comp";
  return out;
}

std::string layout_name(const memory::desc& md) {
  std::string t = generic_tag(md);
  if (md.data.ndims == 4) {
    if (t == "abcd") return "nchw";
    if (t == "acdb") return "nhwc";
    if (t == "aBcd8b") return "nChw8c";
    if (t == "aBcd16b") return "nChw16c";
  }
  return t;
}

tag layout_tag(Layout layout) {
  switch (layout) {
    case Layout::planar:
      return tag::nchw;
    case Layout::nhwc:
      return tag::nhwc;
    case Layout::blocked8:
      return tag::nChw8c;
    case Layout::blocked16:
      return tag::nChw16c;
  }
  return tag::nchw;
}

tag plain_tag(size_t rank) {
  switch (rank) {
    case 1:
      return tag::a;
    case 2:
      return tag::ab;
    case 3:
      return tag::abc;
    case 4:
      return tag::abcd;
    case 5:
      return tag::abcde;
    case 6:
      return tag::abcdef;
    default:
      return tag::undef;
  }
}

std::string precision_word(Precision p) {
  return is_int8(p) ? (p == Precision::u8 ? "u8" : "i8") : "fp32";
}

std::optional<int> axis_of(const Layer& l, int64_t fallback, size_t rank, std::string* why) {
  int64_t axis = fallback;
  bool readable = true;
  if (l.has_attr("axis")) {
    auto list = l.int_list("axis");
    readable = list && list->size() == 1;
    if (readable) axis = (*list)[0];
  }
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (!readable || axis < 0 || axis >= static_cast<int64_t>(rank)) {
    *why = fmt::format("axis '{}' is out of range", l.attr("axis"));
    return std::nullopt;
  }
  return static_cast<int>(axis);
}

dt precision_dt(Precision p) {
  switch (p) {
    case Precision::u8:
      return dt::u8;
    case Precision::i8:
      return dt::s8;
    default:
      return dt::f32;
  }
}

std::optional<memory::dims> static_dims(const Shape& shape) {
  memory::dims dims;
  for (const Dim& d : shape) {
    if (!d.is_static() || d.min <= 0) return std::nullopt;
    dims.push_back(d.min);
  }
  return dims;
}

std::optional<memory::dims> input_dims(const Layer& l) {
  return l.inputs.empty() ? std::nullopt : static_dims(l.inputs[0].dims);
}

std::optional<memory::dims> output_dims(const Layer& l) {
  return l.outputs.empty() ? std::nullopt : static_dims(l.outputs[0].dims);
}

int64_t product(const memory::dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

int thread_count() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return 1;
}

void fill(dnnl::engine& eng, dnnl::stream& strm, const memory& dst, const memory::dims& dims,
          tag plain, const std::vector<float>& values) {
  memory::desc f32_md(dims, dt::f32, plain);
  memory user(f32_md, eng);
  std::copy(values.begin(), values.end(), static_cast<float*>(user.get_data_handle()));
  dnnl::reorder(user, dst).execute(strm, user, const_cast<memory&>(dst));
  strm.wait();
}

std::vector<float> read_back(dnnl::engine& eng, dnnl::stream& strm, const memory& src,
                             const memory::dims& dims, tag plain) {
  memory user(memory::desc(dims, dt::f32, plain), eng);
  dnnl::reorder(src, user).execute(strm, const_cast<memory&>(src), user);
  strm.wait();
  const float* p = static_cast<const float*>(user.get_data_handle());
  return std::vector<float>(p, p + product(dims));
}

memory float_memory(const memory::desc& md, dnnl::engine& eng, const std::vector<float>& values) {
  memory m(md, eng);
  std::copy(values.begin(), values.end(), static_cast<float*>(m.get_data_handle()));
  return m;
}

std::optional<PostOp> eltwise_of(OpKind kind, const Layer* layer) {
  using dnnl::algorithm;
  auto number = [&](std::string_view key, float fallback) {
    if (!layer || !layer->has_attr(key)) return fallback;
    return std::strtof(std::string(layer->attr(key)).c_str(), nullptr);
  };
  switch (kind) {
    case OpKind::relu:
      return PostOp{"eltwise_relu", algorithm::eltwise_relu};
    case OpKind::leaky_relu:
      return PostOp{"eltwise_relu", algorithm::eltwise_relu, number("negative_slope", 0.01f)};
    case OpKind::clamp:
      return PostOp{"eltwise_clip", algorithm::eltwise_clip, number("min", 0), number("max", 6)};
    case OpKind::sigmoid:
      return PostOp{"eltwise_logistic", algorithm::eltwise_logistic};
    case OpKind::tanh:
      return PostOp{"eltwise_tanh", algorithm::eltwise_tanh};
    case OpKind::elu:
      return PostOp{"eltwise_elu", algorithm::eltwise_elu, number("alpha", 1)};
    case OpKind::hswish:
      return PostOp{"eltwise_hardswish", algorithm::eltwise_hardswish};
    case OpKind::swish:
      return PostOp{"eltwise_swish", algorithm::eltwise_swish, 1.0f};
    case OpKind::mish:
      return PostOp{"eltwise_mish", algorithm::eltwise_mish};
    case OpKind::gelu:
      return PostOp{"eltwise_gelu_erf", algorithm::eltwise_gelu_erf};
    default:
      return std::nullopt;
  }
}

memory::desc binary_operand_md(const PostOp& op, int64_t channels) {
  memory::dims d = op.src1.size() == 1 ? memory::dims{1, 1, 1, 1} : memory::dims{1, channels, 1, 1};
  return memory::desc(d, dt::f32, tag::abcd);
}

dnnl::primitive_attr make_attr(const std::vector<PostOp>& ops, int64_t channels, float scale) {
  dnnl::primitive_attr attr;
  if (scale != 1.0f) attr.set_output_scales(0, {scale});
  dnnl::post_ops po;
  for (const PostOp& op : ops) {
    if (op.binary) {
      po.append_binary(op.alg, binary_operand_md(op, channels));
    } else {
      po.append_eltwise(1.0f, op.alg, op.alpha, op.beta);
    }
  }
  attr.set_post_ops(po);
  return attr;
}

std::vector<PostOp> Executor::post_ops_of(int32_t index, NodeObservation& obs) {
  const PlanNode& node = plan_.nodes[static_cast<size_t>(index)];
  std::map<Vertex, const PlanActivation*> in_activation;
  for (const PlanActivation& a : plan_.activations) {
    if (a.conv_node != index || a.fused != Support::yes) continue;
    for (Vertex v : a.layers) in_activation[v] = &a;
  }
  int64_t channels = 0;
  if (!layer(node.main).outputs.empty() && layer(node.main).outputs[0].dims.size() >= 2) {
    channels = layer(node.main).outputs[0].dims[1].min;
  }
  std::set<const PlanActivation*> done;
  std::vector<PostOp> ops;
  for (Vertex v : node.fused) {
    if (v == node.main) continue;
    const Layer& l = layer(v);
    OpKind kind = op_kind(l);
    if (auto it = in_activation.find(v); it != in_activation.end()) {
      if (!done.insert(it->second).second) continue;
      if (auto op = eltwise_of(it->second->kind, &l))
        ops.push_back(*op);
      else
        obs.dropped.push_back(fmt::format("{} ({})", l.name, to_string(it->second->kind)));
      continue;
    }
    if (kind == OpKind::fake_quantize || kind == OpKind::convert || kind == OpKind::reshape) {
      continue;  // requantization: expressed by the output data type
    }
    if (auto op = eltwise_of(kind, &l)) {
      ops.push_back(*op);
      continue;
    }
    if (kind == OpKind::add || kind == OpKind::multiply || kind == OpKind::subtract) {
      std::optional<Vertex> c;
      for (const Port& p : l.inputs) {
        if (auto found = const_source(v, p.id)) c = found;
      }
      std::optional<uint64_t> count;
      if (c && !layer(*c).outputs.empty()) count = element_count(layer(*c).outputs[0].dims);
      if (c && count && (*count == 1 || static_cast<int64_t>(*count) == channels)) {
        PostOp op{
            kind == OpKind::multiply ? "binary_mul" : "binary_add",
            kind == OpKind::multiply ? dnnl::algorithm::binary_mul : dnnl::algorithm::binary_add};
        op.binary = true;
        op.src1 = values(c, *count, v, -1, 1);
        if (kind == OpKind::subtract) {
          for (float& x : op.src1) x = -x;
        }
        ops.push_back(std::move(op));
        continue;
      }
    }
    obs.dropped.push_back(fmt::format("{} ({})", l.name, to_string(kind)));
  }
  return ops;
}

}  // namespace irlint::live::exec
