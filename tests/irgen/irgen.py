#!/usr/bin/env python3
"""irgen: write synthetic but valid OpenVINO IR v11 models (model.xml + model.bin).

The generated files follow the conventions of OpenVINO's IR serializer as seen in
real converted models (ovc / MO / NNCF output):

* ``<net name=... version="11">`` with ``<layers>``, ``<edges>`` and a net-level ``<rt_info>``;
* layers in topological order, every Const placed right before its first consumer;
* port ids: inputs ``0..n-1``, outputs numbered after the inputs;
* ``Const`` layers carry ``element_type``/``shape``/``offset``/``size`` into the .bin,
  with identical blobs de-duplicated (the serializer does the same);
* edges sorted by ``from-layer``.

Architectures: MobileNetV3-Large/Small, MobileNetV2 (real layer configurations, torchvision
naming as produced by the ONNX frontend, e.g. ``/features/features.3/block/block.0/block.0.0/Conv``)
and ``chain``, a long synthetic chain for benchmarks (streams the XML; 1M layers in seconds).

Weights are deterministic pseudo-random values (``--seed``); the models are not trained.
Standard library only (Python 3.9+).
"""

import argparse
import math
import os
import random
import sys
import time
from array import array

# --------------------------------------------------------------------------------------
# Element types
# --------------------------------------------------------------------------------------

PRECISION = {"f32": "FP32", "f16": "FP16", "i8": "I8", "u8": "U8", "i32": "I32",
             "i64": "I64", "boolean": "BOOL"}
ELEM_SIZE = {"f32": 4, "f16": 2, "i8": 1, "u8": 1, "i32": 4, "i64": 8, "boolean": 1}

_LITTLE = sys.byteorder == "little"


def _pack(typecode, values):
    a = array(typecode, values)
    if not _LITTLE:
        a.byteswap()
    return a.tobytes()


def pack_f32(values):
    return _pack("f", values)


def pack_i64(values):
    return _pack("q", values)


def prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def xml_escape(s):
    if any(c in s for c in '&<>"'):
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return s


# --------------------------------------------------------------------------------------
# Streaming IR writer
# --------------------------------------------------------------------------------------

class T:
    """A tensor: output port `port` of layer `lid`."""
    __slots__ = ("lid", "port", "et", "dims", "name", "nonneg")

    def __init__(self, lid, port, et, dims, name, nonneg=False):
        self.lid = lid
        self.port = port
        self.et = et
        self.dims = tuple(dims)
        self.name = name          # friendly name of the producing layer
        self.nonneg = nonneg      # value range known to be >= 0 (ReLU/Clamp(0,..)/sigmoid-like)


class IRWriter:
    """Writes <layer> elements as they are created (ids = creation order) and collects edges.

    Const payloads are appended to the .bin (or only accounted for with no_bin); identical
    payloads share one region, like the OpenVINO serializer's constant de-duplication.
    """

    MAX_LAYERS = 1 << 24

    def __init__(self, xml_path, bin_path, net_name):
        self.xml = open(xml_path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.bin = open(bin_path, "wb", buffering=1 << 20) if bin_path else None
        self.bin_size = 0
        self.dedup = {}
        self.next_id = 0
        self.edges = array("Q")
        self.counter = 1000          # for converter-style auto names (Constant_1234 ...)
        self._port_cache = {}
        self._dims_cache = {}
        self.type_counts = {}
        self.xml.write('<?xml version="1.0"?>\n<net name="%s" version="11">\n\t<layers>\n'
                       % xml_escape(net_name))

    # -- names ------------------------------------------------------------------------
    def auto(self, prefix):
        self.counter += 1
        return "%s_%d" % (prefix, self.counter)

    # -- formatting -------------------------------------------------------------------
    def _dims(self, dims):
        s = self._dims_cache.get(dims)
        if s is None:
            s = "".join("\t\t\t\t\t<dim>%d</dim>\n" % d for d in dims)
            self._dims_cache[dims] = s
        return s

    def _port(self, pid, et, dims, names=None):
        if names is None:
            key = (pid, et, dims)
            s = self._port_cache.get(key)
            if s is None:
                if dims:
                    s = '\t\t\t\t<port id="%d" precision="%s">\n%s\t\t\t\t</port>\n' % (
                        pid, PRECISION[et], self._dims(dims))
                else:
                    s = '\t\t\t\t<port id="%d" precision="%s" />\n' % (pid, PRECISION[et])
                self._port_cache[key] = s
            return s
        if dims:
            return '\t\t\t\t<port id="%d" precision="%s" names="%s">\n%s\t\t\t\t</port>\n' % (
                pid, PRECISION[et], xml_escape(names), self._dims(dims))
        return '\t\t\t\t<port id="%d" precision="%s" names="%s" />\n' % (
            pid, PRECISION[et], xml_escape(names))

    # -- layers -----------------------------------------------------------------------
    def layer(self, name, ltype, version, data, inputs, outputs, nonneg=False):
        """data: list of (attr, value) or None; inputs: list of T;
        outputs: list of (element_type, dims, names-or-None). Returns list of T."""
        lid = self.next_id
        if lid >= self.MAX_LAYERS:
            raise SystemExit("irgen: too many layers (max %d)" % self.MAX_LAYERS)
        self.next_id = lid + 1
        self.type_counts[ltype] = self.type_counts.get(ltype, 0) + 1
        parts = ['\t\t<layer id="%d" name="%s" type="%s" version="%s">\n'
                 % (lid, xml_escape(name), ltype, version)]
        if data is not None:
            parts.append("\t\t\t<data %s/>\n" % "".join('%s="%s" ' % kv for kv in data))
        if inputs:
            parts.append("\t\t\t<input>\n")
            edges = self.edges
            for i, t in enumerate(inputs):
                parts.append(self._port(i, t.et, t.dims))
                edges.append((t.lid << 40) | (t.port << 32) | (lid << 8) | i)
            parts.append("\t\t\t</input>\n")
        outs = []
        if outputs:
            parts.append("\t\t\t<output>\n")
            base = len(inputs)
            for j, (et, dims, names) in enumerate(outputs):
                dims = tuple(dims)
                parts.append(self._port(base + j, et, dims, names))
                outs.append(T(lid, base + j, et, dims, name, nonneg))
            parts.append("\t\t\t</output>\n")
        parts.append("\t\t</layer>\n")
        self.xml.write("".join(parts))
        return outs

    def const(self, name, et, shape, payload, nonneg=False):
        shape = tuple(shape)
        size = len(payload)
        if size != prod(shape) * ELEM_SIZE[et]:
            raise AssertionError("const %s: %d bytes for %s %s" % (name, size, et, shape))
        off = self.dedup.get(payload)
        if off is None:
            off = self.bin_size
            self.dedup[payload] = off
            if self.bin is not None:
                self.bin.write(payload)
            self.bin_size += size
        data = [("element_type", et), ("shape", ", ".join(map(str, shape))),
                ("offset", off), ("size", size)]
        return self.layer(name, "Const", "opset1", data, [], [(et, shape, None)], nonneg)[0]

    # -- finish -----------------------------------------------------------------------
    def finish(self, rt_info_xml):
        w = self.xml.write
        w("\t</layers>\n\t<edges>\n")
        edges = sorted(self.edges)          # serializer order: by from-layer (then port, to)
        fmt = '\t\t<edge from-layer="%d" from-port="%d" to-layer="%d" to-port="%d" />\n'
        chunk = []
        for k in edges:
            chunk.append(fmt % (k >> 40, (k >> 32) & 0xFF, (k >> 8) & 0xFFFFFF, k & 0xFF))
            if len(chunk) >= 65536:
                w("".join(chunk))
                chunk = []
        w("".join(chunk))
        w("\t</edges>\n")
        w(rt_info_xml)
        w("</net>\n")
        self.xml.close()
        if self.bin is not None:
            self.bin.close()
        return self.next_id, len(edges), self.bin_size


# --------------------------------------------------------------------------------------
# Graph builder (ops, quantization, activations)
# --------------------------------------------------------------------------------------

def make_divisible(v, divisor=8, min_value=None):
    """torchvision/_make_divisible."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def conv_out(size, k, s, pb, pe, d=1):
    return (size + pb + pe - d * (k - 1) - 1) // s + 1


class Builder:
    def __init__(self, w, precision="fp32", hswish="op", seed=1234, shared_weights=False,
                 output_names=True):
        self.w = w
        self.int8 = precision == "int8"
        self.hswish_mode = hswish
        self.rng = random.Random(seed)
        self.shared = shared_weights      # reuse one payload per (kind, shape): chain mode
        self._payload_cache = {}
        self._fq_cache = {}
        self._small_cache = {}
        self.output_names = output_names

    # -- names ------------------------------------------------------------------------
    def onames(self, name):
        return (name + "_output_0") if self.output_names else None

    # -- payloads ---------------------------------------------------------------------
    def _cached(self, key, make):
        if not self.shared:
            return make()
        p = self._payload_cache.get(key)
        if p is None:
            p = make()
            self._payload_cache[key] = p
        return p

    def rand_f32(self, n, lo, hi):
        r = self.rng.random
        span = hi - lo
        return pack_f32([lo + span * r() for _ in range(n)])

    def rand_i8(self, n):
        # narrow range [-127, 127] as NNCF's symmetric weight quantizers produce
        return self.rng.randbytes(n).replace(b"\x80", b"\x81")

    def scalar_const(self, value, shape=(), et="f32", name=None):
        """Small constant with a fixed value (e.g. 3, 6, 1/6)."""
        shape = tuple(shape)
        key = (et, shape, value)
        p = self._small_cache.get(key)
        if p is None:
            n = prod(shape)
            p = pack_f32([value] * n) if et == "f32" else pack_i64([int(value)] * n)
            self._small_cache[key] = p
        return self.w.const(name or self.w.auto("Constant"), et, shape, p,
                            nonneg=(value >= 0))

    def i64_const(self, values, name=None):
        values = list(values)
        return self.w.const(name or self.w.auto("Constant"), "i64", (len(values),),
                            pack_i64(values))

    # -- generic layers -----------------------------------------------------------------
    def op(self, name, ltype, version, inputs, dims=None, data=None, et="f32", nonneg=False,
           names=True):
        if dims is None:
            dims = inputs[0].dims
        nm = self.onames(name) if names else None
        return self.w.layer(name, ltype, version, data, inputs, [(et, dims, nm)], nonneg)[0]

    def eltwise(self, name, ltype, a, b, nonneg=False, names=True):
        dims = broadcast(a.dims, b.dims)
        return self.op(name, ltype, "opset1", [a, b], dims, [("auto_broadcast", "numpy")],
                       nonneg=nonneg, names=names)

    # -- quantization -------------------------------------------------------------------
    def q(self, x):
        """Activation FakeQuantize on tensor x (one per tensor, shared by its consumers)."""
        if not self.int8:
            return x
        key = (x.lid, x.port)
        fq = self._fq_cache.get(key)
        if fq is not None:
            return fq
        name = x.name + "/fq_output_0"
        if self.shared:
            r = 4.0
        else:
            r = round(self.rng.uniform(2.0, 8.0), 4)
        if x.nonneg:
            lo, hi = 0.0, r
        else:
            lo, hi = -r, r * 127.0 / 128.0
        lo_p = self._cached(("fq", lo), lambda: pack_f32([lo]))
        hi_p = self._cached(("fq", hi), lambda: pack_f32([hi]))
        c = [self.w.const(name + "/input_low", "f32", (), lo_p),
             self.w.const(name + "/input_high", "f32", (), hi_p),
             self.w.const(name + "/output_low", "f32", (), lo_p),
             self.w.const(name + "/output_high", "f32", (), hi_p)]
        fq = self.op(name, "FakeQuantize", "opset1", [x] + c, x.dims,
                     [("levels", 256), ("auto_broadcast", "numpy")], nonneg=x.nonneg, names=False)
        self._fq_cache[key] = fq
        return fq

    def weights(self, opname, shape, fan_in):
        """Weights input of a Convolution/GroupConvolution/MatMul named opname."""
        shape = tuple(shape)
        n = prod(shape)
        bound = 1.0 / math.sqrt(max(1, fan_in))
        if not self.int8:
            p = self._cached(("w", shape), lambda: self.rand_f32(n, -bound, bound))
            return self.w.const(self.w.auto("Constant"), "f32", shape, p)
        p = self._cached(("wq", shape), lambda: self.rand_i8(n))
        wq = self.w.const(self.w.auto("Constant"), "i8", shape, p)
        wf = self.op(self.w.auto("Convert"), "Convert", "opset1", [wq], shape,
                     [("destination_type", "f32")], names=False)
        sshape = (shape[0],) + (1,) * (len(shape) - 1)
        sp = self._cached(("ws", sshape),
                          lambda: self.rand_f32(shape[0], 0.5 * bound / 127, 1.5 * bound / 127))
        sc = self.w.const(self.w.auto("Constant"), "f32", sshape, sp, nonneg=True)
        return self.eltwise(opname + "/fq_weights_1", "Multiply", wf, sc, names=False)

    def bias(self, name, x):
        c = x.dims[1]
        shape = (1, c) + (1,) * (len(x.dims) - 2)
        p = self._cached(("b", shape), lambda: self.rand_f32(c, -0.1, 0.1))
        b = self.w.const(self.w.auto("Constant"), "f32", shape, p)
        return self.eltwise(name, "Add", x, b)

    # -- convolution / matmul --------------------------------------------------------------
    def conv(self, base, x, cout, k=1, s=1, depthwise=False, bias=True):
        """Convolution (+ bias Add) named like the ONNX frontend: base/Conv/WithoutBiases, base/Conv."""
        n, cin, h, wd = x.dims
        xin = self.q(x)
        pad = (k - 1) // 2
        name = base + "/Conv"
        opname = name + "/WithoutBiases" if bias else name
        if depthwise:
            cout = cin
            wt = self.weights(opname, (cin, 1, 1, k, k), k * k)
            ltype = "GroupConvolution"
        else:
            wt = self.weights(opname, (cout, cin, k, k), cin * k * k)
            ltype = "Convolution"
        oh = conv_out(h, k, s, pad, pad)
        ow = conv_out(wd, k, s, pad, pad)
        data = [("strides", "%d, %d" % (s, s)), ("pads_begin", "%d, %d" % (pad, pad)),
                ("pads_end", "%d, %d" % (pad, pad)), ("dilations", "1, 1"),
                ("auto_pad", "explicit")]
        y = self.op(opname, ltype, "opset1", [xin, wt], (n, cout, oh, ow), data, names=not bias)
        return self.bias(name, y) if bias else y

    def matmul(self, base, x, cout):
        """Gemm as the ONNX frontend emits it: MatMul(transpose_b) + Add bias."""
        xin = self.q(x)
        cin = x.dims[-1]
        name = base + "/Gemm"
        opname = name + "/WithoutBiases"
        wt = self.weights(opname, (cout, cin), cin)
        y = self.op(opname, "MatMul", "opset1", [xin, wt], x.dims[:-1] + (cout,),
                    [("transpose_a", "false"), ("transpose_b", "true")], names=False)
        return self.bias(name, y)

    # -- activations -------------------------------------------------------------------
    def relu(self, name, x):
        return self.op(name, "ReLU", "opset1", [x], nonneg=True)

    def clamp(self, name, x, lo, hi, names=True):
        return self.op(name, "Clamp", "opset1", [x], data=[("min", fmt_num(lo)), ("max", fmt_num(hi))],
                       nonneg=lo >= 0, names=names)

    def _div6(self, name, x, nonneg):
        if self.hswish_mode == "decomposed-mul":
            return self.eltwise(name + "/mul_1", "Multiply", x,
                                self.scalar_const(1.0 / 6.0, (1, 1, 1, 1)), nonneg=nonneg)
        six = self.scalar_const(6.0, (1, 1, 1, 1))
        return self.op(name + "/div", "Divide", "opset1", [x, six], broadcast(x.dims, six.dims),
                       [("auto_broadcast", "numpy"), ("m_pythondiv", "true")], nonneg=nonneg)

    def _hardsigmoid(self, name, x):
        alpha = self.scalar_const(1.0 / 6.0, ())
        beta = self.scalar_const(0.5, ())
        return self.op(name, "HardSigmoid", "opset1", [x, alpha, beta], x.dims, nonneg=True)

    def hswish(self, base, x):
        """h-swish(x) = x * relu6(x + 3) / 6 in the selected form."""
        m = self.hswish_mode
        if m == "op":
            return self.op(base + "/HardSwish", "HSwish", "opset4", [x])
        if m == "hardsigmoid":
            hs = self._hardsigmoid(base + "/HardSigmoid", x)
            return self.eltwise(base + "/Mul", "Multiply", x, hs)
        # decomposed (2019 converter form): Add(x,3) -> Clamp(0,6) -> Multiply(x, .) -> Divide(., 6)
        name = base + "/HardSwish"
        a = self.eltwise(name + "/add", "Add", x, self.scalar_const(3.0, (1, 1, 1, 1)))
        c = self.clamp(name + "/Relu6", a, 0, 6)
        mm = self.eltwise(name + "/mul", "Multiply", x, c)
        return self._div6(name, mm, nonneg=False)

    def hsigmoid(self, base, x):
        """h-sigmoid(x) = relu6(x + 3) / 6 in the selected form."""
        m = self.hswish_mode
        if m == "op":
            return self.op(base + "/HardSigmoid", "HSigmoid", "opset5", [x], nonneg=True)
        if m == "hardsigmoid":
            return self._hardsigmoid(base + "/HardSigmoid", x)
        name = base + "/HardSigmoid"
        a = self.eltwise(name + "/add", "Add", x, self.scalar_const(3.0, (1, 1, 1, 1)))
        c = self.clamp(name + "/Relu6", a, 0, 6)
        return self._div6(name, c, nonneg=True)

    def act(self, kind, base, x):
        if kind == "RE":
            return self.relu(base + "/Relu", x)
        if kind == "RE6":
            return self.clamp(base + "/Clip", x, 0, 6)
        if kind == "HS":
            return self.hswish(base, x)
        raise ValueError(kind)

    # -- misc -------------------------------------------------------------------------
    def reduce_mean(self, name, x, keep_dims=True):
        axes = self.i64_const([2, 3])
        n, c = x.dims[:2]
        dims = (n, c, 1, 1) if keep_dims else (n, c)
        return self.op(name, "ReduceMean", "opset1", [x, axes], dims,
                       [("keep_dims", "true" if keep_dims else "false")], nonneg=x.nonneg)

    def flatten(self, name, x):
        shape = self.i64_const([x.dims[0], -1])
        return self.op(name, "Reshape", "opset1", [x, shape], (x.dims[0], prod(x.dims[1:])),
                       [("special_zero", "false")], nonneg=x.nonneg)

    def softmax(self, name, x):
        return self.op(name, "SoftMax", "opset8", [x], data=[("axis", 1)], nonneg=True)

    def parameter(self, name, dims):
        return self.w.layer(name, "Parameter", "opset1",
                            [("shape", ",".join(map(str, dims))), ("element_type", "f32")],
                            [], [("f32", dims, name)])[0]

    def result(self, x, name=None):
        self.w.layer(name or (x.name + "/sink_port_0"), "Result", "opset1", None, [x], [])


def fmt_num(v):
    if float(v).is_integer():
        return "%d" % v
    return repr(float(v))


def broadcast(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise AssertionError("cannot broadcast %s and %s" % (a, b))
        out.append(x if y == 1 else y)
    return tuple(out)


# --------------------------------------------------------------------------------------
# Architectures
# --------------------------------------------------------------------------------------

# (in, kernel, expanded, out, use_se, activation, stride) -- torchvision / paper tables 1 and 2
MNV3_LARGE = [
    (16, 3, 16, 16, False, "RE", 1),
    (16, 3, 64, 24, False, "RE", 2),
    (24, 3, 72, 24, False, "RE", 1),
    (24, 5, 72, 40, True, "RE", 2),
    (40, 5, 120, 40, True, "RE", 1),
    (40, 5, 120, 40, True, "RE", 1),
    (40, 3, 240, 80, False, "HS", 2),
    (80, 3, 200, 80, False, "HS", 1),
    (80, 3, 184, 80, False, "HS", 1),
    (80, 3, 184, 80, False, "HS", 1),
    (80, 3, 480, 112, True, "HS", 1),
    (112, 3, 672, 112, True, "HS", 1),
    (112, 5, 672, 160, True, "HS", 2),
    (160, 5, 960, 160, True, "HS", 1),
    (160, 5, 960, 160, True, "HS", 1),
]
MNV3_SMALL = [
    (16, 3, 16, 16, True, "RE", 2),
    (16, 3, 72, 24, False, "RE", 2),
    (24, 3, 88, 24, False, "RE", 1),
    (24, 5, 96, 40, True, "HS", 2),
    (40, 5, 240, 40, True, "HS", 1),
    (40, 5, 240, 40, True, "HS", 1),
    (40, 5, 120, 48, True, "HS", 1),
    (48, 5, 144, 48, True, "HS", 1),
    (48, 5, 288, 96, True, "HS", 2),
    (96, 5, 576, 96, True, "HS", 1),
    (96, 5, 576, 96, True, "HS", 1),
]
# (expansion t, channels c, repeats n, stride s) -- MobileNetV2 paper table 2
MNV2 = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
        (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def build_mnv3(b, variant, size, width, classifier, num_classes):
    cfg = MNV3_LARGE if variant == "large" else MNV3_SMALL
    last_channel = 1280 if variant == "large" else 1024
    ch = lambda c: make_divisible(c * width, 8)

    x = b.parameter("input", (1, 3, size, size))
    # stem: features.0 = Conv 3x3 s2 16 + h-swish
    base = "/features/features.0/features.0.0"
    x = b.conv(base, x, ch(16), 3, 2)
    x = b.hswish("/features/features.0/features.0.2", x)

    for i, (cin, k, exp, cout, se, nl, s) in enumerate(cfg, start=1):
        cin, exp, cout = ch(cin), ch(exp), ch(cout)
        assert x.dims[1] == cin
        inp = x
        pre = "/features/features.%d/block" % i
        j = 0
        if exp != cin:                                      # expand 1x1
            x = b.conv("%s/block.%d/block.%d.0" % (pre, j, j), x, exp, 1, 1)
            x = b.act(nl, "%s/block.%d/block.%d.2" % (pre, j, j), x)
            j += 1
        x = b.conv("%s/block.%d/block.%d.0" % (pre, j, j), x, exp, k, s, depthwise=True)
        x = b.act(nl, "%s/block.%d/block.%d.2" % (pre, j, j), x)
        j += 1
        if se:                                              # squeeze-excite
            sq = make_divisible(exp // 4, 8)
            sp = "%s/block.%d" % (pre, j)
            t = b.reduce_mean(sp + "/avgpool/GlobalAveragePool", x)
            t = b.conv(sp + "/fc1", t, sq, 1, 1)
            t = b.relu(sp + "/activation/Relu", t)
            t = b.conv(sp + "/fc2", t, exp, 1, 1)
            t = b.hsigmoid(sp + "/scale_activation", t)
            x = b.eltwise(sp + "/Mul", "Multiply", x, t, nonneg=x.nonneg and t.nonneg)
            j += 1
        x = b.conv("%s/block.%d/block.%d.0" % (pre, j, j), x, cout, 1, 1)   # project (linear)
        if s == 1 and cin == cout:                          # residual
            x = b.eltwise("/features/features.%d/Add" % i, "Add", b.q(x), b.q(inp))

    n = len(cfg) + 1
    last = 6 * x.dims[1]
    x = b.conv("/features/features.%d/features.%d.0" % (n, n), x, last, 1, 1)
    x = b.hswish("/features/features.%d/features.%d.2" % (n, n), x)
    lc = ch(last_channel)
    if classifier == "conv":
        # TF-slim / Keras head: pool -> 1x1 conv + h-swish -> 1x1 conv logits -> flatten
        x = b.reduce_mean("/avgpool/GlobalAveragePool", x, keep_dims=True)
        x = b.conv("/classifier/classifier.0", x, lc, 1, 1)
        x = b.hswish("/classifier/classifier.1", x)
        x = b.conv("/classifier/classifier.3", x, num_classes, 1, 1)
        x = b.flatten("/Flatten", x)
    else:
        # torchvision head: pool -> flatten -> Linear + h-swish -> Linear
        x = b.reduce_mean("/avgpool/GlobalAveragePool", x, keep_dims=False)
        x = b.matmul("/classifier/classifier.0", x, lc)
        x = b.hswish("/classifier/classifier.1", x)
        x = b.matmul("/classifier/classifier.3", x, num_classes)
    x = b.softmax("/Softmax", x)
    b.result(x)


def build_mnv2(b, size, width, classifier, num_classes):
    ch = lambda c: make_divisible(c * width, 8)
    x = b.parameter("input", (1, 3, size, size))
    x = b.conv("/features/features.0/features.0.0", x, ch(32), 3, 2)
    x = b.act("RE6", "/features/features.0/features.0.2", x)
    idx = 1
    for t, c, n, s in MNV2:
        cout = ch(c)
        for r in range(n):
            stride = s if r == 0 else 1
            cin = x.dims[1]
            inp = x
            pre = "/features/features.%d/conv" % idx
            hidden = cin * t
            j = 0
            if t != 1:
                x = b.conv("%s/conv.%d/conv.%d.0" % (pre, j, j), x, hidden, 1, 1)
                x = b.act("RE6", "%s/conv.%d/conv.%d.2" % (pre, j, j), x)
                j += 1
            x = b.conv("%s/conv.%d/conv.%d.0" % (pre, j, j), x, hidden, 3, stride, depthwise=True)
            x = b.act("RE6", "%s/conv.%d/conv.%d.2" % (pre, j, j), x)
            j += 1
            x = b.conv("%s/conv.%d" % (pre, j), x, cout, 1, 1)
            if stride == 1 and cin == cout:
                x = b.eltwise("/features/features.%d/Add" % idx, "Add", b.q(x), b.q(inp))
            idx += 1
    last = make_divisible(1280 * max(1.0, width), 8)
    x = b.conv("/features/features.%d/features.%d.0" % (idx, idx), x, last, 1, 1)
    x = b.act("RE6", "/features/features.%d/features.%d.2" % (idx, idx), x)
    if classifier == "conv":
        x = b.reduce_mean("/GlobalAveragePool", x, keep_dims=True)
        x = b.conv("/classifier/classifier.1", x, num_classes, 1, 1)
        x = b.flatten("/Flatten", x)
    else:
        x = b.reduce_mean("/GlobalAveragePool", x, keep_dims=False)
        x = b.matmul("/classifier/classifier.1", x, num_classes)
    x = b.softmax("/Softmax", x)
    b.result(x)


def build_chain(b, n_layers, channels, size):
    """Parameter -> [Const, Convolution 1x1, Const, Add, ReLU]* -> ReLU* -> Result, ~n_layers layers.

    Layer names are short and outputs carry no tensor names, to keep the XML small."""
    w = b.w
    x = b.parameter("input", (1, channels, size, size))
    i = 0
    unit = None
    while True:
        start = w.next_id
        if unit is not None and start + unit + 1 > n_layers:
            break
        pre = "/chain/unit.%d" % i
        x = b.conv(pre, x, channels, 1, 1)
        x = b.relu(pre + "/Relu", x)
        i += 1
        if unit is None:
            unit = w.next_id - start
            if w.next_id + 1 > n_layers:
                break
    k = 0
    while w.next_id + 1 < n_layers:                         # pad to exactly n_layers
        x = b.relu("/chain/tail.%d/Relu" % k, x)
        k += 1
    b.result(x)


# --------------------------------------------------------------------------------------
# rt_info
# --------------------------------------------------------------------------------------

def rt_info_xml(args, net_name):
    lines = ["\t<rt_info>",
             '\t\t<Runtime_version value="2024.6.0-irgen" />',
             "\t\t<conversion_parameters>",
             '\t\t\t<framework value="%s" />' % ("tf" if args.hswish.startswith("decomposed") else "onnx"),
             '\t\t\t<is_python_object value="False" />',
             "\t\t</conversion_parameters>",
             "\t\t<irgen>",
             '\t\t\t<arch value="%s" />' % args.arch,
             '\t\t\t<precision value="%s" />' % args.precision,
             '\t\t\t<hswish value="%s" />' % args.hswish,
             '\t\t\t<width value="%s" />' % args.width,
             '\t\t\t<input_size value="%d" />' % args.size,
             '\t\t\t<seed value="%d" />' % args.seed,
             '\t\t\t<note value="synthetic model written by tests/irgen/irgen.py; '
             'weights are pseudo-random, not trained" />',
             "\t\t</irgen>"]
    if args.arch == "chain":
        lines.insert(-1, '\t\t\t<layers value="%d" />' % args.layers)
    if args.precision == "int8":
        lines += ["\t\t<nncf>",
                  "\t\t\t<quantization>",
                  '\t\t\t\t<preset value="performance" />',
                  '\t\t\t\t<subset_size value="300" />',
                  '\t\t\t\t<target_device value="ANY" />',
                  "\t\t\t</quantization>",
                  "\t\t</nncf>"]
    lines.append("\t</rt_info>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

NET_NAMES = {"mnv3-large": "mobilenet_v3_large", "mnv3-small": "mobilenet_v3_small",
             "mnv2": "mobilenet_v2", "chain": "chain"}


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="irgen.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write a synthetic, valid OpenVINO IR v11 model (XML + .bin).",
        epilog="""architectures:
  mnv3-large, mnv3-small  MobileNetV3 (paper / torchvision configuration): stem conv 3x3 s2 +
                          h-swish, bneck blocks (expand 1x1, depthwise GroupConvolution, optional
                          squeeze-excite, linear project 1x1, residual Add), head 1x1 conv +
                          h-swish, ReduceMean, classifier, SoftMax.
  mnv2                    MobileNetV2 (ReLU6 = Clamp(0, 6)), MatMul classifier by default.
  chain                   Parameter -> (Const, Convolution 1x1, Const, Add bias, ReLU) repeated
                          -> ReLU padding -> Result, exactly --layers layers (Consts included).
                          All Consts of one shape share one region of the .bin.

conventions: NCHW, batch 1, convolution bias as Add with a [1,C,1,1] Const (as ovc/MO do),
layer names as the ONNX frontend produces for torchvision models
(e.g. /features/features.3/block/block.0/block.0.0/Conv).

--precision int8 inserts quantization the way NNCF does: FakeQuantize (levels=256, scalar
ranges; input_low=0 after ReLU/Clamp(0,..)/sigmoid producers, signed otherwise) on the
activation input of every Convolution, GroupConvolution and MatMul and on both inputs of
residual Adds; weights as i8 Const -> Convert(f32) -> Multiply by a per-output-channel scale.

--hswish selects the form of h-swish (and of h-sigmoid in squeeze-excite blocks):
  op              HSwish (opset4) / HSigmoid (opset5)
  decomposed      x * Clamp(x + 3, 0, 6) / 6 with Add, Clamp, Multiply, Divide
                  (h-sigmoid: Clamp(x + 3, 0, 6) / 6)  -- the 2019 converter form
  decomposed-mul  as decomposed, but Multiply by 1/6 instead of Divide by 6
  hardsigmoid     x * HardSigmoid(x, alpha=1/6, beta=0.5) as the ONNX frontend emits
                  (h-sigmoid: HardSigmoid)

example:
  python3 tests/irgen/irgen.py mnv3-small --precision int8 --hswish decomposed -o /tmp/m.xml
  python3 tests/irgen/irgen.py chain --layers 1000000 --no-bin -o /tmp/chain1m.xml
""")
    p.add_argument("arch", choices=["mnv3-large", "mnv3-small", "mnv2", "chain"],
                   help="architecture to generate")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xml",
                   help="output XML path; the .bin is written next to it with the same stem")
    p.add_argument("--precision", choices=["fp32", "int8"], default="fp32",
                   help="fp32 weights, or NNCF-style INT8 (FakeQuantize + i8 weights) (default fp32)")
    p.add_argument("--hswish", choices=["op", "decomposed", "decomposed-mul", "hardsigmoid"],
                   default="op", help="form of h-swish / h-sigmoid (default op)")
    p.add_argument("--layers", type=int, default=1000,
                   help="chain only: total number of layers incl. Const/Parameter/Result (default 1000)")
    p.add_argument("--channels", type=int, default=8, help="chain only: channels (default 8)")
    p.add_argument("--width", type=float, default=1.0,
                   help="MobileNet width multiplier, channels rounded to multiples of 8 (default 1.0)")
    p.add_argument("--size", type=int, default=None,
                   help="input height/width (default 224; chain: 16)")
    p.add_argument("--classifier", choices=["conv", "matmul"], default=None,
                   help="head classifier as 1x1 Convolutions (TF-slim/Keras form, default for mnv3) "
                        "or MatMul (torchvision Linear form, default for mnv2)")
    p.add_argument("--classes", type=int, default=1000, help="number of classes (default 1000)")
    p.add_argument("--seed", type=int, default=1234, help="seed of the pseudo-random weights (default 1234)")
    p.add_argument("--name", default=None, help="value of <net name=...> (default per architecture)")
    p.add_argument("--no-bin", action="store_true", help="write only the XML (offsets are still computed)")
    args = p.parse_args(argv)

    if args.size is None:
        args.size = 16 if args.arch == "chain" else 224
    if args.classifier is None:
        args.classifier = "conv" if args.arch.startswith("mnv3") else "matmul"
    if args.arch == "chain" and args.layers < 3:
        p.error("--layers must be at least 3")
    if args.width <= 0:
        p.error("--width must be positive")

    out = args.output
    stem = out[:-4] if out.lower().endswith(".xml") else out
    bin_path = None if args.no_bin else stem + ".bin"
    d = os.path.dirname(os.path.abspath(out))
    os.makedirs(d, exist_ok=True)
    net_name = args.name or NET_NAMES[args.arch]

    t0 = time.time()
    w = IRWriter(out, bin_path, net_name)
    if args.arch == "chain":
        b = Builder(w, args.precision, args.hswish, args.seed, shared_weights=True, output_names=False)
        build_chain(b, args.layers, args.channels, args.size)
    else:
        b = Builder(w, args.precision, args.hswish, args.seed)
        if args.arch == "mnv2":
            build_mnv2(b, args.size, args.width, args.classifier, args.classes)
        else:
            build_mnv3(b, args.arch.split("-")[1], args.size, args.width, args.classifier, args.classes)
    n_layers, n_edges, bin_size = w.finish(rt_info_xml(args, net_name))
    dt = time.time() - t0
    print("irgen: %s %s hswish=%s: %d layers, %d edges, bin %d bytes%s, %.2fs -> %s"
          % (args.arch, args.precision, args.hswish, n_layers, n_edges, bin_size,
             "" if bin_path else " (not written)", dt, out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
