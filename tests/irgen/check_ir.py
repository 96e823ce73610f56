#!/usr/bin/env python3
"""check_ir: structural self-check of OpenVINO IR v10/v11 files written by irgen.py.

Checks, per model:
  * layer ids and names unique; port ids: inputs 0..n-1, outputs n..n+m-1;
  * every edge refers to existing layers and ports (from an output port, to an input port);
  * every input port is fed exactly once; every layer is connected (non-Result layers feed
    something, every layer but Parameter/Const has inputs);
  * both ends of each edge agree on precision and dims;
  * Const: size == prod(shape) * sizeof(element_type), shape == output dims,
    offset + size <= .bin size (when the .bin exists);
  * the graph is acyclic;
  * output dims re-inferred for the op types irgen uses (Convolution, GroupConvolution,
    eltwise broadcast, FakeQuantize, ReduceMean, Reshape, MatMul, unary ops, ...).

Usage: check_ir.py MODEL.xml [MODEL.xml ...]   (prints one line per model, exit 1 on errors)
Standard library only.
"""

import os
import struct
import sys
import xml.etree.ElementTree as ET
from collections import Counter, deque

ELEM_SIZE = {"f32": 4, "f16": 2, "bf16": 2, "i8": 1, "u8": 1, "i16": 2, "u16": 2, "i32": 4,
             "u32": 4, "i64": 8, "u64": 8, "boolean": 1, "f64": 8}
PRECISION = {"f32": "FP32", "f16": "FP16", "i8": "I8", "u8": "U8", "i32": "I32", "i64": "I64",
             "boolean": "BOOL"}
UNARY = {"ReLU", "Clamp", "HSwish", "HSigmoid", "Convert", "SoftMax", "Sigmoid", "Result"}
ELTWISE = {"Add", "Multiply", "Divide", "Subtract"}


def ints(s):
    s = s.strip()
    return tuple(int(v) for v in s.split(",")) if s else ()


def broadcast(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            return None
        out.append(x if y == 1 else y)
    return tuple(out)


def port_dims(p):
    return tuple(int(d.text) for d in p.findall("dim"))


def check(path):
    errs = []
    err = errs.append
    root = ET.parse(path).getroot()
    if root.tag != "net" or root.get("version") not in ("10", "11"):
        err("root is not <net version=10|11>")
    binp = os.path.splitext(path)[0] + ".bin"
    bin_data = open(binp, "rb").read() if os.path.exists(binp) else None

    layers = {}
    names = set()
    for L in root.find("layers").findall("layer"):
        lid = int(L.get("id"))
        if lid in layers:
            err("duplicate layer id %d" % lid)
        nm = L.get("name")
        if nm in names:
            err("duplicate layer name %r" % nm)
        names.add(nm)
        ins, outs = {}, {}
        inp, outp = L.find("input"), L.find("output")
        il = inp.findall("port") if inp is not None else []
        ol = outp.findall("port") if outp is not None else []
        for k, p in enumerate(il):
            if int(p.get("id")) != k:
                err("layer %d: input port ids not 0..n-1" % lid)
            ins[int(p.get("id"))] = (p.get("precision"), port_dims(p))
        for k, p in enumerate(ol):
            if int(p.get("id")) != len(il) + k:
                err("layer %d: output port ids do not follow the inputs" % lid)
            outs[int(p.get("id"))] = (p.get("precision"), port_dims(p))
        d = L.find("data")
        layers[lid] = dict(name=nm, type=L.get("type"), data=d.attrib if d is not None else {},
                           ins=ins, outs=outs, nin=len(il))

    fed = Counter()
    succ = {lid: [] for lid in layers}
    producer = {}
    used_out = set()
    edges = root.find("edges").findall("edge")
    for e in edges:
        fl, fp, tl, tp = (int(e.get(k)) for k in ("from-layer", "from-port", "to-layer", "to-port"))
        if fl not in layers or tl not in layers:
            err("edge %d:%d->%d:%d: unknown layer" % (fl, fp, tl, tp))
            continue
        if fp not in layers[fl]["outs"]:
            err("edge %d:%d->%d:%d: no such output port" % (fl, fp, tl, tp))
            continue
        if tp not in layers[tl]["ins"]:
            err("edge %d:%d->%d:%d: no such input port" % (fl, fp, tl, tp))
            continue
        a, b = layers[fl]["outs"][fp], layers[tl]["ins"][tp]
        if a != b:
            err("edge %d:%d->%d:%d: %s vs %s" % (fl, fp, tl, tp, a, b))
        fed[(tl, tp)] += 1
        producer[(tl, tp)] = (fl, fp)
        used_out.add(fl)
        succ[fl].append(tl)

    for lid, L in layers.items():
        for p in L["ins"]:
            if fed[(lid, p)] != 1:
                err("layer %d (%s) input %d fed %d times" % (lid, L["type"], p, fed[(lid, p)]))
        if L["type"] != "Result" and lid not in used_out:
            err("layer %d (%s %s) output unused" % (lid, L["type"], L["name"]))
        if L["type"] not in ("Parameter", "Const") and not L["ins"]:
            err("layer %d (%s) has no inputs" % (lid, L["type"]))

    # Const / Parameter attributes
    def const_values(lid):
        L = layers[lid]
        if L["type"] != "Const" or bin_data is None:
            return None
        d = L["data"]
        off, size = int(d["offset"]), int(d["size"])
        raw = bin_data[off:off + size]
        if d["element_type"] == "i64":
            return struct.unpack("<%dq" % (size // 8), raw)
        if d["element_type"] == "f32":
            return struct.unpack("<%df" % (size // 4), raw)
        return None

    for lid, L in layers.items():
        d = L["data"]
        if L["type"] == "Const":
            et = d.get("element_type")
            shape = ints(d.get("shape", ""))
            size, off = int(d["size"]), int(d["offset"])
            n = 1
            for s in shape:
                n *= s
            if et not in ELEM_SIZE or size != n * ELEM_SIZE[et]:
                err("Const %d: size %d != prod%s*sizeof(%s)" % (lid, size, shape, et))
            if (PRECISION.get(et), shape) != L["outs"].get(0):
                err("Const %d: shape/precision differ from output port" % lid)
            if bin_data is not None and off + size > len(bin_data):
                err("Const %d: offset+size %d > bin size %d" % (lid, off + size, len(bin_data)))
        elif L["type"] == "Parameter":
            if ints(d.get("shape", "")) != L["outs"][0][1]:
                err("Parameter %d: shape attr differs from port" % lid)

    # acyclic (Kahn)
    indeg = Counter()
    for lid in layers:
        for t in succ[lid]:
            indeg[t] += 1
    q = deque(l for l in layers if indeg[l] == 0)
    seen = 0
    while q:
        u = q.popleft()
        seen += 1
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                q.append(v)
    if seen != len(layers):
        err("graph has a cycle (%d of %d layers sorted)" % (seen, len(layers)))

    # shape inference for the op types irgen writes
    for lid, L in layers.items():
        t, d, ins, outs = L["type"], L["data"], L["ins"], L["outs"]
        if not ins:
            continue
        x = ins[0][1]
        out = outs.get(L["nin"], (None, None))[1]
        exp = "skip"
        if t in ("Convolution", "GroupConvolution"):
            w = ins[1][1]
            s, pb, pe, dl = (ints(d[k]) for k in ("strides", "pads_begin", "pads_end", "dilations"))
            if d.get("auto_pad", "explicit") not in ("explicit", "notset"):
                exp = "skip"
            else:
                if t == "Convolution":
                    cout, cin_w, ks = w[0], w[1], w[2:]
                    ok = cin_w == x[1]
                else:
                    cout, ks = w[0] * w[1], w[3:]
                    ok = w[0] * w[2] == x[1]
                if not ok:
                    err("layer %d %s: weights %s do not fit input %s" % (lid, t, w, x))
                sp = tuple((x[2 + i] + pb[i] + pe[i] - dl[i] * (ks[i] - 1) - 1) // s[i] + 1
                           for i in range(len(ks)))
                exp = (x[0], cout) + sp
        elif t in ELTWISE:
            exp = broadcast(x, ins[1][1])
        elif t in UNARY:
            exp = x if t != "Result" else "skip"
        elif t == "HardSigmoid":
            exp = x
            if ins[1][1] != () or ins[2][1] != ():
                err("layer %d HardSigmoid: alpha/beta not scalar" % lid)
        elif t == "FakeQuantize":
            exp = x
            for k in range(1, 5):
                if broadcast(x, ins[k][1]) != x:
                    err("layer %d FakeQuantize: range %d not broadcastable" % (lid, k))
        elif t == "ReduceMean":
            axes = const_values(producer[(lid, 1)][0])
            if axes is not None:
                axes = {a % len(x) for a in axes}
                keep = d.get("keep_dims") == "true"
                exp = tuple(1 if i in axes else v for i, v in enumerate(x) if keep or i not in axes)
        elif t == "Reshape":
            tgt = const_values(producer[(lid, 1)][0])
            if tgt is not None:
                tgt = list(tgt)
                n = 1
                for v in x:
                    n *= v
                known = 1
                for v in tgt:
                    if v != -1:
                        known *= v
                exp = tuple(n // known if v == -1 else v for v in tgt)
        elif t == "MatMul":
            a, b = x, ins[1][1]
            if d.get("transpose_a") == "true":
                a = a[:-2] + (a[-1], a[-2])
            if d.get("transpose_b") == "true":
                b = b[:-2] + (b[-1], b[-2])
            if a[-1] != b[-2]:
                err("layer %d MatMul: %s x %s" % (lid, a, b))
            exp = a[:-1] + (b[-1],)
        else:
            err("layer %d: op type %s not known to check_ir" % (lid, t))
        if exp != "skip" and exp != out:
            err("layer %d %s %s: output %s, expected %s" % (lid, t, L["name"], out, exp))

    types = Counter(L["type"] for L in layers.values())
    return errs, len(layers), len(edges), (len(bin_data) if bin_data is not None else None), types


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    bad = 0
    for path in argv:
        errs, nl, ne, nb, types = check(path)
        status = "OK" if not errs else "FAIL (%d errors)" % len(errs)
        print("%s: %s  layers=%d edges=%d bin=%s" % (path, status, nl, ne, nb))
        print("   " + ", ".join("%s %d" % kv for kv in sorted(types.items(), key=lambda kv: -kv[1])))
        for e in errs[:20]:
            print("   ERROR: " + e)
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
