#!/usr/bin/env python3
# check-test-model-gguf.py HONE_CLI VENV_PYTHON — `hone-cli make-test-model` against
# llama.cpp: each architecture's GGUF loads in llama.cpp (llama-cpp-python) and gives the
# same logits as a NumPy forward pass written from Hugging Face's definitions and run on
# the Hugging Face folder made with the same seed. That checks the tensor layout both
# ways, the Q/K row permutation of llama included, and the hyperparameter keys.
# TAP output; skips when the venv lacks llama_cpp or numpy.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import struct
import subprocess
import sys
import tempfile

CHILD = "--child"


def tap_skip_all(reason):
    print(f"1..0 # SKIP {reason}")
    sys.exit(0)


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    base = 8 + n
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "F16": np.float16}[t["dtype"]]
        begin, end = t["data_offsets"]
        out[name] = np.frombuffer(data[base + begin:base + end], dtype=dtype).astype(
            np.float32).reshape(t["shape"])
    return out


def reference_logits(folder, tokens):
    """Logits of every position, from Hugging Face's modelling code restated in NumPy."""
    import numpy as np
    cfg = json.load(open(os.path.join(folder, "config.json")))
    w = read_safetensors(os.path.join(folder, "model.safetensors"))
    arch = cfg["model_type"]
    dim, n_heads, n_kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or dim // n_heads
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    T = len(tokens)

    def rms(x, g):
        x64 = x.astype(np.float64)
        return (x64 / np.sqrt((x64 * x64).mean(-1, keepdims=True) + eps)) * g

    inv = theta ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
    ang = np.arange(T)[:, None] * inv[None, :]
    cos = np.concatenate([np.cos(ang)] * 2, -1)[:, None, :]
    sin = np.concatenate([np.sin(ang)] * 2, -1)[:, None, :]

    def rope(x):  # (T, H, hd), rotate_half as in transformers
        x1, x2 = x[..., :hd // 2], x[..., hd // 2:]
        return x * cos + np.concatenate([-x2, x1], -1) * sin

    x = w["model.embed_tokens.weight"][tokens].astype(np.float64)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = h @ w[p + "self_attn.q_proj.weight"].T
        k = h @ w[p + "self_attn.k_proj.weight"].T
        v = h @ w[p + "self_attn.v_proj.weight"].T
        if arch == "qwen2":
            q = q + w[p + "self_attn.q_proj.bias"]
            k = k + w[p + "self_attn.k_proj.bias"]
            v = v + w[p + "self_attn.v_proj.bias"]
        q, k, v = q.reshape(T, n_heads, hd), k.reshape(T, n_kv, hd), v.reshape(T, n_kv, hd)
        if arch == "qwen3":
            q = rms(q, w[p + "self_attn.q_norm.weight"])
            k = rms(k, w[p + "self_attn.k_norm.weight"])
        q, k = rope(q), rope(k)
        rep = n_heads // n_kv
        k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
        att = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd)
        att = att + np.triu(np.full((T, T), -np.inf), 1)[None]
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        o = np.einsum("hts,shd->thd", att, v).reshape(T, n_heads * hd)
        x = x + o @ w[p + "self_attn.o_proj.weight"].T
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        g = h @ w[p + "mlp.gate_proj.weight"].T
        u = h @ w[p + "mlp.up_proj.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * u) @ w[p + "mlp.down_proj.weight"].T
    x = rms(x, w["model.norm.weight"])
    out = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return x @ out.T


def child(gguf, folder, tokens):
    """Runs in its own process: llama.cpp's logits against the reference."""
    import numpy as np
    import llama_cpp
    tokens = [int(t) for t in tokens.split(",")]
    llm = llama_cpp.Llama(model_path=gguf, n_ctx=64, logits_all=True, verbose=False,
                          n_threads=2)
    llm.eval(tokens)
    got = np.array(llm.scores[:len(tokens)], dtype=np.float64)
    want = reference_logits(folder, tokens)
    err = np.abs(got - want).max()
    scale = np.abs(want).max()
    print(json.dumps({"max_abs_err": float(err), "scale": float(scale),
                      "n_vocab": int(llm.n_vocab()), "shape": list(got.shape)}))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        child(*sys.argv[2:])
        return
    cli, python = sys.argv[1], sys.argv[2]
    vocab_dir = os.path.join(os.environ.get("HONE_TESTDATA", ""), "vocab")
    if not os.access(python, os.X_OK):
        tap_skip_all("no test venv python")
    probe = subprocess.run([python, "-c", "import llama_cpp, numpy"], capture_output=True)
    if probe.returncode != 0:
        tap_skip_all("the test venv has no llama_cpp (llama-cpp-python) or numpy")

    cases = []
    for vocab in ("ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf"):
        for arch in ("llama", "qwen2", "qwen3"):
            for tied in (False, True):
                cases.append((vocab, arch, tied))
    # quantized models: llama.cpp loads them and gives finite logits (the k-quants have no
    # HF twin: their blocks are random, and need rows of a multiple of 256)
    quantized = [("q4_0", "qwen3", []), ("bf16", "llama", [])]
    for dtype in ("q4_K", "q5_K", "q6_K"):
        quantized.append((dtype, "llama", ["--dim", "256", "--ffn", "512"]))
    print(f"1..{len(cases) + len(quantized)}")
    n = 0
    with tempfile.TemporaryDirectory(prefix="hone-test-model-") as tmp:
        for vocab, arch, tied in cases:
            n += 1
            name = f"{arch}-{vocab.split('-')[2].split('.')[0]}{'-tied' if tied else ''}"
            gguf = os.path.join(tmp, name + ".gguf")
            folder = os.path.join(tmp, name + "-hf")
            vocab_path = os.path.join(vocab_dir, vocab)
            extra = ["--vocab-from", vocab_path] if os.path.exists(vocab_path) else []
            common = ["--arch", arch, "--seed", str(n), "--layers", "2", "--dim", "64",
                      "--heads", "4", "--kv-heads", "2"] + extra + (["--tied"] if tied else [])
            subprocess.run([cli, "make-test-model", gguf] + common, check=True)
            subprocess.run([cli, "make-test-model", folder, "--hf"] + common, check=True)
            tokens = "1,450,2996,17354,1701,29892,920,526"
            r = subprocess.run([python, __file__, CHILD, gguf, folder, tokens],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"not ok {n} - {name}: llama.cpp failed\n# " +
                      r.stderr.strip().replace("\n", "\n# "))
                continue
            res = json.loads(r.stdout.strip().splitlines()[-1])
            ok = res["max_abs_err"] <= 1e-3 * max(res["scale"], 1.0)
            print(f"{'ok' if ok else 'not ok'} {n} - {name}: llama.cpp logits vs NumPy on the "
                  f"HF folder, max error {res['max_abs_err']:.2e} (scale {res['scale']:.2f})")

        for dtype, arch, sizes in quantized:
            n += 1
            gguf = os.path.join(tmp, f"{dtype}.gguf")
            subprocess.run([cli, "make-test-model", gguf, "--dtype", dtype, "--arch", arch]
                           + sizes, check=True)
            r = subprocess.run([python, "-c", "import llama_cpp, numpy as np;"
                                f"m = llama_cpp.Llama(model_path={gguf!r}, n_ctx=32, "
                                "logits_all=True, verbose=False); m.eval([1, 5, 9]);"
                                "print(bool(np.isfinite(np.array(m.scores[:3])).all()))"],
                               capture_output=True, text=True)
            ok = r.returncode == 0 and r.stdout.strip().endswith("True")
            print(f"{'ok' if ok else 'not ok'} {n} - a {dtype} {arch} test model loads in "
                  "llama.cpp with finite logits")

if __name__ == "__main__":
    main()
