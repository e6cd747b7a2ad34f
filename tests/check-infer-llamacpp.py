#!/usr/bin/env python3
# check-infer-llamacpp.py HONE_CLI VENV_PYTHON — Hone's GPU inference (`hone-cli logits`,
# `hone-cli generate`) against llama.cpp itself (llama-cpp-python, CPU, f32 KV cache, flash
# attention off) on the same GGUF files:
#   * f32 test models of each architecture, tied and untied: every position's logits
#     within 1e-4 of the largest (max |a − b| / max |b|), with and without a GGUF adapter,
#     and Hone's unmerged adapter against llama.cpp on the model `hone-cli merge` wrote;
#   * the other weight types, where llama.cpp's CPU path rounds the activations before each
#     matmul (to f16 for f16 weights; to q8_0 for q8_0/q4_0, to q8_K for the k-quants) and
#     Hone does not: within a bound that this rounding explains, measured by running the
#     same comparison on the same weights converted to f32 (no rounding on either side)
#     and recorded here per type; bf16 is exact in both (llama.cpp converts activations to
#     bf16 for bf16 weights, so it gets the f16-like bound);
#   * greedy continuations: llama.cpp, run over the prompt and Hone's 16 generated tokens,
#     must have each of them as its argmax, or within 1e-2 of the logit range of it (a
#     near-tie, where either choice is right).
# Exit status 77 (skipped) when the venv or its llama_cpp is missing.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import random
import subprocess
import sys
import tempfile

CHILD = "--child"
GREEDY = "--greedy-child"
EXACT = 1e-4
# Relative bounds for the weight types whose activations llama.cpp rounds. Measured on these
# test models (2026-11-25): f16 2.8e-4, bf16 2.1e-3, q8_0 8.7e-3, q4_0 6.5e-3, q4_K 5.2e-3,
# q5_K 6.1e-3, q6_K 9.5e-3. What the rounding explains: f16 keeps 11 bits (relative step
# 4.9e-4), bf16 8 bits (3.9e-3); q8_0 and q8_K store each block of 32 or 256 activations as
# int8 times the block's max / 127, an error of up to 0.4% of the block's largest value in
# every product; through two layers and the output head these give the figures above. The
# bounds leave about 2× room for other seeds; a wrong kernel gives errors of order 1.
ROUNDED = {"f16": 2e-3, "bf16": 1e-2, "q8_0": 2e-2, "q4_0": 2e-2, "q4_K": 2e-2,
           "q5_K": 2e-2, "q6_K": 2e-2}


def llama(model, lora, n_ctx=128):
    import llama_cpp
    kwargs = dict(model_path=model, n_ctx=n_ctx, logits_all=True, n_threads=2,
                  flash_attn=False, type_k=0, type_v=0, verbose=False)  # GGML_TYPE_F32
    if lora:
        kwargs["lora_path"] = lora
    return llama_cpp.Llama(**kwargs)


def child(model, ids, lora):
    llm = llama(model, lora)
    tokens = [int(t) for t in ids.split(",")]
    llm.eval(tokens)
    print(json.dumps([[float(v) for v in row] for row in llm.scores[:len(tokens)]]))


def greedy_child(model, prompt, generated):
    """llama.cpp run over the prompt and Hone's generated tokens: for each generated token,
    whether it is llama.cpp's argmax at that point or within 1e-2 of the logit range of it
    (a near-tie, where either choice is right)."""
    llm = llama(model, "")
    p = [int(t) for t in prompt.split(",")]
    g = [int(t) for t in generated.split(",")] if generated else []
    llm.eval(p + g)
    verdicts = []
    for k, tok in enumerate(g):
        row = [float(v) for v in llm.scores[len(p) - 1 + k]]
        best = max(range(len(row)), key=lambda j: row[j])
        span = max(row) - min(row)
        gap = (row[best] - row[tok]) / span if span > 0 else 0.0
        verdicts.append({"argmax": best, "gap": gap})
    print(json.dumps(verdicts))


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stderr.strip()}")
    return r.stdout


def compare(ours, theirs):
    worst = scale = 0.0
    if len(ours) != len(theirs):
        return float("inf")
    for a_row, b_row in zip(ours, theirs):
        if len(a_row) != len(b_row):
            return float("inf")
        for a, b in zip(a_row, b_row):
            worst = max(worst, abs(a - b))
            scale = max(scale, abs(b))
    return worst / scale if scale > 0 else float("inf")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        child(*sys.argv[2:])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == GREEDY:
        greedy_child(*sys.argv[2:])
        return 0
    cli, python = sys.argv[1:3]
    if not os.path.exists(python):
        print("skipped: no test venv python at " + python)
        return 77
    if subprocess.run([python, "-c", "import llama_cpp"], capture_output=True).returncode:
        print("skipped: the test venv has no llama_cpp (llama-cpp-python)")
        return 77

    failures = 0
    rng = random.Random(5)

    def report(ok, what):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        sys.stdout.flush()
        if not ok:
            failures += 1

    def logits(model, ids, lora=None):
        args = [cli, "logits", model, "--ids", ids, "--all", "--json", "--kv", "f32"]
        if lora:
            args += ["--adapter", lora]
        ours = json.loads(run(args))["logits"]
        theirs = json.loads(run([python, __file__, CHILD, model, ids, lora or ""]))
        return ours, theirs

    with tempfile.TemporaryDirectory() as tmp:
        # f32: exact
        cases = [("llama", False, []), ("llama", True, ["--heads", "6", "--dim", "96"]),
                 ("qwen2", False, ["--heads", "8", "--kv-heads", "2"]), ("qwen2", True, []),
                 ("qwen3", False, []), ("qwen3", True, ["--heads", "8", "--kv-heads", "1"])]
        for i, (arch, tied, extra) in enumerate(cases):
            name = f"{arch}{'-tied' if tied else ''}"
            model = os.path.join(tmp, f"{name}.gguf")
            lora = os.path.join(tmp, f"{name}-lora.gguf")
            try:
                run([cli, "make-test-model", model, "--arch", arch, "--seed", str(30 + i)]
                    + extra + (["--tied"] if tied else []))
                run([cli, "make-test-adapter", model, lora, "--rank", "4", "--seed", str(i)])
                ids = ",".join(str(rng.randrange(3, 259)) for _ in range(13 + i))
                ours, theirs = logits(model, ids)
                err = compare(ours, theirs)
                report(err <= EXACT, f"{name} f32: relative error {err:.3g} (bound {EXACT})")
                ours_a, theirs_a = logits(model, ids, lora)
                err = compare(ours_a, theirs_a)
                moved = compare(theirs_a, theirs)
                report(err <= EXACT and moved > 1e-2,
                       f"{name} f32 + adapter: relative error {err:.3g}, the adapter moves "
                       f"the logits by {moved:.3g}")
                merged = os.path.join(tmp, f"{name}-merged.gguf")
                run([cli, "merge", model, lora, merged, "--type", "f32"])
                theirs_m = json.loads(run([python, __file__, CHILD, merged, ids, ""]))
                err = compare(ours_a, theirs_m)
                report(err <= EXACT, f"{name} f32, adapter unmerged in Hone against "
                                     f"`hone-cli merge` in llama.cpp: relative error {err:.3g}")
                if i % 2 == 0:
                    prompt = ",".join(str(rng.randrange(3, 259)) for _ in range(6))
                    gen = json.loads(run([cli, "generate", model, "--prompt-ids", prompt,
                                          "--greedy", "-n", "16", "--json", "--kv", "f32"]))
                    ids_out = ",".join(str(t) for t in gen["ids"])
                    verdicts = json.loads(run([python, __file__, GREEDY, model, prompt,
                                               ids_out]))
                    exact = sum(1 for t, v in zip(gen["ids"], verdicts) if t == v["argmax"])
                    ties = sum(1 for t, v in zip(gen["ids"], verdicts)
                               if t != v["argmax"] and v["gap"] <= 1e-2)
                    wrong = len(gen["ids"]) - exact - ties
                    report(len(gen["ids"]) == 16 and wrong == 0,
                           f"{name} greedy: {exact} of 16 tokens are llama.cpp's argmax, "
                           f"{ties} near-ties, {wrong} wrong")
            except (RuntimeError, ValueError) as e:
                report(False, f"{name}: {e}")

        # other weight types
        for i, dtype in enumerate(["f16", "bf16", "q8_0", "q4_0", "q4_K", "q5_K", "q6_K"]):
            arch = ["llama", "qwen2", "qwen3"][i % 3]
            kquant = dtype.endswith("_K")
            size = ["--dim", "256", "--ffn", "512"] if kquant else []
            model = os.path.join(tmp, f"{arch}-{dtype}.gguf")
            try:
                run([cli, "make-test-model", model, "--arch", arch, "--dtype", dtype,
                     "--seed", str(50 + i)] + size)
                ids = ",".join(str(rng.randrange(3, 259)) for _ in range(12))
                ours, theirs = logits(model, ids)
                err = compare(ours, theirs)
                bound = ROUNDED[dtype]
                report(err <= bound, f"{arch} {dtype}: relative error {err:.3g} (bound {bound}, "
                                     f"llama.cpp rounds activations for {dtype} weights)")
            except (RuntimeError, ValueError) as e:
                report(False, f"{arch} {dtype}: {e}")

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
