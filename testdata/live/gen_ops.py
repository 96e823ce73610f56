#!/usr/bin/env python3
"""Writes the tiny IRs of tests/live_ops_test.cpp (testdata/live/op_*.xml + .bin).

Run from anywhere: python3 testdata/live/gen_ops.py. Deterministic; the tests recompute the
legacy convolution's weights (legacy_weight) and bias (legacy_bias) from the same formulas.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def dims_xml(shape):
    return "".join(f"<dim>{d}</dim>" for d in shape)


class Net:
    def __init__(self, name, version=11):
        self.name, self.version = name, version
        self.layers, self.edges, self.bin = [], [], bytearray()

    def layer(self, type_, name, inputs, outputs, data=None, opset="opset1", blobs=""):
        lid = len(self.layers)
        attrs = " ".join(f'{k}="{v}"' for k, v in (data or {}).items())
        ports, pid = [], 0
        ins = []
        for shape, prec in inputs:
            ins.append(f'<port id="{pid}" precision="{prec}">{dims_xml(shape)}</port>')
            pid += 1
        outs = []
        for shape, prec in outputs:
            outs.append(f'<port id="{pid}" precision="{prec}">{dims_xml(shape)}</port>')
            pid += 1
        # Legacy IR: the layer's precision is the precision of its blobs.
        version = f' version="{opset}"' if opset else ' precision="FP32"'
        text = f'    <layer id="{lid}" name="{name}" type="{type_}"{version}>\n'
        if data is not None:
            text += f"      <data {attrs}/>\n"
        if ins:
            text += "      <input>" + "".join(ins) + "</input>\n"
        if outs:
            text += "      <output>" + "".join(outs) + "</output>\n"
        text += blobs
        text += "    </layer>\n"
        self.layers.append(text)
        return lid, len(inputs)

    def const(self, name, shape, values, etype="f32"):
        fmt = {"f32": "f", "i64": "q"}[etype]
        offset = len(self.bin)
        self.bin += struct.pack(f"<{len(values)}{fmt}", *values)
        prec = {"f32": "FP32", "i64": "I64"}[etype]
        lid, _ = self.layer("Const", name, [], [(shape, prec)],
                            {"element_type": etype, "shape": ",".join(map(str, shape)),
                             "offset": offset, "size": len(self.bin) - offset})
        return lid

    def edge(self, src, src_port, dst, dst_port):
        self.edges.append((src, src_port, dst, dst_port))

    def write(self, file):
        with open(os.path.join(HERE, file + ".xml"), "w") as f:
            f.write('<?xml version="1.0"?>\n')
            f.write(f"<!-- live-run test ({file}), written by gen_ops.py -->\n")
            f.write(f'<net name="{self.name}" version="{self.version}">\n  <layers>\n')
            f.write("".join(self.layers))
            f.write("  </layers>\n  <edges>\n")
            for a, ap, b, bp in self.edges:
                f.write(f'    <edge from-layer="{a}" from-port="{ap}" to-layer="{b}" '
                        f'to-port="{bp}"/>\n')
            f.write("  </edges>\n</net>\n")
        if self.bin:
            with open(os.path.join(HERE, file + ".bin"), "wb") as f:
                f.write(self.bin)


def param(net, name, shape):
    lid, _ = net.layer("Parameter", name, [], [(shape, "FP32")],
                       {"shape": ",".join(map(str, shape)), "element_type": "f32"})
    return lid


def result(net, src, src_port, shape):
    lid, _ = net.layer("Result", "output", [(shape, "FP32")], [])
    net.edge(src, src_port, lid, 0)


def binary(file, type_, a_shape, b_shape, out_shape):
    net = Net(file)
    a = param(net, "a", a_shape)
    b = param(net, "b", b_shape)
    op, n = net.layer(type_, "op", [(a_shape, "FP32"), (b_shape, "FP32")],
                      [(out_shape, "FP32")], {"auto_broadcast": "numpy"})
    net.edge(a, 0, op, 0)
    net.edge(b, 0, op, 1)
    result(net, op, n, out_shape)
    net.write(file)


def softmax():
    shape = [2, 6, 3]
    net = Net("op_softmax")
    a = param(net, "a", shape)
    op, n = net.layer("SoftMax", "op", [(shape, "FP32")], [(shape, "FP32")], {"axis": 1})
    net.edge(a, 0, op, 0)
    result(net, op, n, shape)
    net.write("op_softmax")


def concat():
    s0, s1, out = [1, 3, 4, 4], [1, 5, 4, 4], [1, 8, 4, 4]
    net = Net("op_concat")
    a = param(net, "a", s0)
    b = param(net, "b", s1)
    op, n = net.layer("Concat", "op", [(s0, "FP32"), (s1, "FP32")], [(out, "FP32")], {"axis": 1})
    net.edge(a, 0, op, 0)
    net.edge(b, 0, op, 1)
    result(net, op, n, out)
    net.write("op_concat")


def transpose_view():
    s, t, flat = [1, 2, 3, 4], [1, 3, 4, 2], [1, 24]
    net = Net("op_transpose")
    a = param(net, "a", s)
    order = net.const("order", [4], [0, 2, 3, 1], "i64")
    tr, n = net.layer("Transpose", "op", [(s, "FP32"), ([4], "I64")], [(t, "FP32")])
    net.edge(a, 0, tr, 0)
    net.edge(order, 0, tr, 1)
    shape = net.const("shape", [2], flat, "i64")
    rs, m = net.layer("Reshape", "view", [(t, "FP32"), ([2], "I64")], [(flat, "FP32")],
                      {"special_zero": "false"})
    net.edge(tr, n, rs, 0)
    net.edge(shape, 0, rs, 1)
    result(net, rs, m, flat)
    net.write("op_transpose")


def fake_quantize(file, low, high, channels=4):
    """FakeQuantize(levels 256) with input and output ranges equal; per channel when `low` is a
    list of `channels` values."""
    shape = [1, channels, 3, 3]
    per_channel = isinstance(low, list)
    cshape = [1, channels, 1, 1] if per_channel else [1, 1, 1, 1]
    lows = low if per_channel else [low]
    highs = high if per_channel else [high]
    net = Net(file)
    a = param(net, "a", shape)
    consts = [net.const(n, cshape, v) for n, v in
              (("il", lows), ("ih", highs), ("ol", lows), ("oh", highs))]
    op, n = net.layer("FakeQuantize", "op", [(shape, "FP32")] + [(cshape, "FP32")] * 4,
                      [(shape, "FP32")], {"levels": 256, "auto_broadcast": "numpy"})
    net.edge(a, 0, op, 0)
    for i, c in enumerate(consts):
        net.edge(c, 0, op, i + 1)
    result(net, op, n, shape)
    net.write(file)


def interpolate(file, mode, ctm):
    s, out = [1, 2, 3, 3], [1, 2, 6, 6]
    net = Net(file)
    a = param(net, "a", s)
    sizes = net.const("sizes", [2], [6, 6], "i64")
    scales = net.const("scales", [2], [2.0, 2.0])
    axes = net.const("axes", [2], [2, 3], "i64")
    op, n = net.layer("Interpolate", "op",
                      [(s, "FP32"), ([2], "I64"), ([2], "FP32"), ([2], "I64")], [(out, "FP32")],
                      {"mode": mode, "shape_calculation_mode": "sizes",
                       "coordinate_transformation_mode": ctm, "nearest_mode": "round_prefer_floor",
                       "antialias": "false", "pads_begin": "0,0,0,0", "pads_end": "0,0,0,0",
                       "cube_coeff": "-0.75"}, opset="opset4")
    net.edge(a, 0, op, 0)
    net.edge(sizes, 0, op, 1)
    net.edge(scales, 0, op, 2)
    net.edge(axes, 0, op, 3)
    result(net, op, n, out)
    net.write(file)


def legacy_weight(i):
    return ((i * 7) % 11 - 5) / 8.0


def legacy_bias(o):
    return 0.5 * o - 1.0


def legacy_conv():
    """A v5 IR Convolution whose weights and biases are <blobs>: 3->4 channels, 3x3, pad 1."""
    s, out = [1, 3, 5, 5], [1, 4, 5, 5]
    net = Net("op_legacy_conv", version=5)
    weights = [legacy_weight(i) for i in range(4 * 3 * 3 * 3)]
    bias = [legacy_bias(o) for o in range(4)]
    net.bin += struct.pack(f"<{len(weights)}f", *weights)
    net.bin += struct.pack(f"<{len(bias)}f", *bias)
    inp, _ = net.layer("Input", "input", [], [(s, "FP32")], opset=None)
    blobs = (f'      <blobs><weights offset="0" size="{4 * len(weights)}"/>'
             f'<biases offset="{4 * len(weights)}" size="{4 * len(bias)}"/></blobs>\n')
    conv, n = net.layer("Convolution", "conv", [(s, "FP32")], [(out, "FP32")],
                        {"auto_pad": "same_upper", "dilations": "1,1", "group": 1,
                         "kernel": "3,3", "output": 4, "pads_begin": "1,1", "pads_end": "1,1",
                         "strides": "1,1"}, opset=None, blobs=blobs)
    net.edge(inp, 0, conv, 0)
    net.write("op_legacy_conv")


if __name__ == "__main__":
    binary("op_add", "Add", [1, 8, 4, 4], [1, 8, 1, 1], [1, 8, 4, 4])
    binary("op_maximum", "Maximum", [2, 3, 5], [2, 3, 5], [2, 3, 5])
    softmax()
    concat()
    transpose_view()
    fake_quantize("op_fq", -1.0, 1.55)  # u8/s8 with a zero point: 100 levels below zero
    fake_quantize("op_fq_channel", [-1.28 * k for k in (1, 2, 3, 4)],
                  [1.27 * k for k in (1, 2, 3, 4)])
    interpolate("op_nearest", "nearest", "half_pixel")
    interpolate("op_linear", "linear_onnx", "half_pixel")
    legacy_conv()
