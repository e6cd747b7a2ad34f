#!/usr/bin/env python3
# gguf-oracle.py — the `gguf` package (llama.cpp's own Python reader/writer) as the oracle
# for Hone's GGUF reader, writer and ggml block types. Run by tests/test-gguf.c and
# tests/test-ggml.c with the test venv's python.
#
#   gguf-oracle.py write PATH     write a GGUF with every value type; print its manifest
#   gguf-oracle.py read PATH      print the manifest of PATH as gguf.GGUFReader sees it
#   gguf-oracle.py quant DIR SEED write random inputs and gguf.quants' results to DIR
#
# A manifest is JSON: {"version", "alignment", "kv": [{"key", "type", "element_type"?,
# "value"}], "tensors": [{"name", "type", "ne", "sha256"}]}. Integers are decimal strings
# (u64 values do not fit a double), floats are numbers, nested arrays nested lists.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGUFValueType as VT
from gguf import GGMLQuantizationType as QT

TYPE_NAMES = {
    VT.UINT8: "uint8", VT.INT8: "int8", VT.UINT16: "uint16", VT.INT16: "int16",
    VT.UINT32: "uint32", VT.INT32: "int32", VT.FLOAT32: "float32", VT.BOOL: "bool",
    VT.STRING: "string", VT.ARRAY: "array", VT.UINT64: "uint64", VT.INT64: "int64",
    VT.FLOAT64: "float64",
}
INT_TYPES = {VT.UINT8, VT.INT8, VT.UINT16, VT.INT16, VT.UINT32, VT.INT32, VT.UINT64, VT.INT64}


def encode(vtype, value):
    if vtype in INT_TYPES:
        return str(int(value))
    if vtype == VT.BOOL:
        return bool(value)
    if vtype in (VT.FLOAT32, VT.FLOAT64):
        return float(value)
    return value


def entry(key, vtype, value, element_type=None):
    e = {"key": key, "type": TYPE_NAMES[vtype]}
    if vtype == VT.ARRAY:
        e["element_type"] = TYPE_NAMES[element_type]
        e["value"] = [encode(element_type, v) for v in value]
    else:
        e["value"] = encode(vtype, value)
    return e


def write(path):
    kv = []
    w = gguf.GGUFWriter(path, arch="llama")
    kv.append(entry("general.architecture", VT.STRING, "llama"))
    w.add_custom_alignment(64)
    kv.append(entry("general.alignment", VT.UINT32, 64))
    scalars = [
        ("test.u8", VT.UINT8, 200), ("test.i8", VT.INT8, -100),
        ("test.u16", VT.UINT16, 60000), ("test.i16", VT.INT16, -30000),
        ("test.u32", VT.UINT32, 4000000000), ("test.i32", VT.INT32, -2000000000),
        ("test.u64", VT.UINT64, 18446744073709551615), ("test.i64", VT.INT64, -9000000000000000000),
        ("test.f32", VT.FLOAT32, float(np.float32(0.1))), ("test.f64", VT.FLOAT64, 1e-300),
        ("test.bool", VT.BOOL, True), ("test.false", VT.BOOL, False),
        ("test.string", VT.STRING, "héllo, wörld ✓ 🎉"), ("test.empty", VT.STRING, ""),
    ]
    for key, vtype, value in scalars:
        w.add_key_value(key, value, vtype)
        kv.append(entry(key, vtype, value))
    strings = ["<unk>", "<s>", "</s>", "▁the", "Ġhello", "\n", "日本語", "a" * 300]
    w.add_array("test.strings", strings)
    kv.append(entry("test.strings", VT.ARRAY, strings, VT.STRING))
    arrays = [
        ("test.f32s", VT.FLOAT32, [float(np.float32(x)) for x in (0.0, -1.5, 3.25e-8, 1e30)]),
        ("test.i32s", VT.INT32, [0, -1, 2147483647, -2147483648]),
        ("test.u8s", VT.UINT8, [0, 1, 255]),
        ("test.i64s", VT.INT64, [-1, 1 << 40]),
        ("test.bools", VT.BOOL, [True, False, True]),
    ]
    for key, vtype, values in arrays:
        w.add_key_value(key, values, VT.ARRAY, sub_type=vtype)
        kv.append(entry(key, VT.ARRAY, values, vtype))
    # nested arrays: the writer infers element types from the Python values
    nested = [[1, 2, 3], [4], [5, 6]]
    w.add_array("test.nested", nested)
    kv.append({"key": "test.nested", "type": "array", "element_type": "array",
               "value": [[str(v) for v in inner] for inner in nested]})

    rng = np.random.default_rng(7)
    tensors = []
    a = rng.standard_normal((3, 5)).astype(np.float32)
    w.add_tensor("a.weight", a)
    tensors.append(("a.weight", QT.F32, [5, 3], a.tobytes()))
    b = rng.standard_normal((7,)).astype(np.float16)
    w.add_tensor("b", b)
    tensors.append(("b", QT.F16, [7], b.tobytes()))
    c = gguf.quants.quantize(rng.standard_normal((2, 64)).astype(np.float32), QT.Q8_0)
    w.add_tensor("c.q8", c, raw_dtype=QT.Q8_0)
    tensors.append(("c.q8", QT.Q8_0, [64, 2], c.tobytes()))
    d = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    w.add_tensor("d.i32", d)
    tensors.append(("d.i32", QT.I32, [4, 3, 2], d.tobytes()))

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    # the writer adds keys of its own (general.architecture first); list ours as written
    manifest = {
        "version": 3, "alignment": 64, "kv": kv,
        "tensors": [{"name": n, "type": int(t), "ne": ne,
                     "sha256": hashlib.sha256(data).hexdigest()} for n, t, ne, data in tensors],
    }
    print(json.dumps(manifest, ensure_ascii=False))


def read(path):
    r = gguf.GGUFReader(path)
    kv = []
    version = None
    alignment = 32
    for field in r.fields.values():
        if field.name.startswith("GGUF."):
            if field.name == "GGUF.version":
                version = int(field.parts[field.data[0]][0])
            continue
        vtype = field.types[0]
        if vtype == VT.ARRAY:
            # an empty array lists no element type: take it from the raw parts
            etype = field.types[-1] if len(field.types) > 1 else VT(int(field.parts[3][0]))
            if len(field.types) > 2 or etype == VT.ARRAY:
                continue  # nested: gguf.ReaderField cannot list those
            kv.append(entry(field.name, vtype, field.contents(), etype))
        else:
            kv.append(entry(field.name, vtype, field.contents()))
        if field.name == "general.alignment":
            alignment = int(field.contents())
    tensors = []
    for t in r.tensors:
        tensors.append({"name": t.name, "type": int(t.tensor_type),
                        "ne": [int(x) for x in t.shape],
                        "sha256": hashlib.sha256(np.asarray(t.data).tobytes()).hexdigest()})
    print(json.dumps({"version": version, "alignment": alignment, "kv": kv,
                      "tensors": tensors}, ensure_ascii=False))


def quant(outdir, seed):
    """For each type: DIR/TYPE.in (f32 input or raw blocks), .q (quantized), .out (floats)."""
    rng = np.random.default_rng(int(seed))
    n = 256 * 16
    for name in ("Q8_0", "Q4_0"):
        qt = QT[name]
        x = (rng.standard_normal(n) * rng.uniform(0.01, 10, n // 32).repeat(32)).astype(np.float32)
        x[:32] = 0.0  # an all-zero block
        x[32:64] = np.float32(1e-3) * np.arange(32, dtype=np.float32)  # a positive ramp
        q = gguf.quants.quantize(x.reshape(1, -1), qt)
        y = gguf.quants.dequantize(q, qt).astype(np.float32)
        x.tofile(os.path.join(outdir, name + ".in"))
        q.tofile(os.path.join(outdir, name + ".q"))
        y.tofile(os.path.join(outdir, name + ".out"))
    for name in ("Q4_K", "Q5_K", "Q6_K", "F16", "BF16"):
        qt = QT[name]
        block, size = gguf.constants.GGML_QUANT_SIZES[qt]
        if name in ("F16", "BF16"):
            x = (rng.standard_normal(n) * 100).astype(np.float32)
            x[:4] = [0.0, -0.0, 65504.0, 1e-7]
            q = gguf.quants.quantize(x.reshape(1, -1), qt)
            x.tofile(os.path.join(outdir, name + ".in"))
            q.tofile(os.path.join(outdir, name + ".q"))
            y = gguf.quants.dequantize(q, qt).astype(np.float32)
            y.tofile(os.path.join(outdir, name + ".out"))
            continue
        nb = n // block
        raw = rng.integers(0, 256, (nb, size), dtype=np.uint8)
        # finite, moderate f16 scales: d (and dmin) from real values
        def put_half(col, vals):
            raw[:, col:col + 2] = np.asarray(vals, dtype=np.float16).view(np.uint8).reshape(nb, 2)
        if name == "Q6_K":
            put_half(size - 2, rng.uniform(-0.05, 0.05, nb))
        else:
            put_half(0, rng.uniform(0, 0.05, nb))
            put_half(2, rng.uniform(0, 0.05, nb))
        y = gguf.quants.dequantize(raw.reshape(1, -1), qt).astype(np.float32)
        raw.tofile(os.path.join(outdir, name + ".q"))
        y.tofile(os.path.join(outdir, name + ".out"))


def main():
    cmd = sys.argv[1]
    if cmd == "write":
        write(sys.argv[2])
    elif cmd == "read":
        read(sys.argv[2])
    elif cmd == "quant":
        quant(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
