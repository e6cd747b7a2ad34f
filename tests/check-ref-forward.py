#!/usr/bin/env python3
# check-ref-forward.py HONE_CLI REF_LOGITS VENV_PYTHON — the CPU reference forward pass
# (tests/ref/hone-ref-model.c, through ref-logits) against llama.cpp (llama-cpp-python):
# test models of each architecture, tied and untied, with grouped-query attention, all
# positions' logits within 1e-4 of the largest (max |a − b| / max |b|); then the same with
# a GGUF test adapter (lora_path), at scale 1 and 0.5; then a Hugging Face folder with a
# PEFT adapter made from the same seeds, which must give what llama.cpp gives for the GGUF
# model with the GGUF adapter (llama's Q/K row order of B included); last, linear RoPE
# scaling with a rope_freqs.weight tensor (copies of the GGUF models made with gguf-py).
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
BOUND = 1e-4


def child(model, ids, lora, scale):
    """Prints llama.cpp's logits of every position as JSON."""
    import llama_cpp
    kwargs = dict(model_path=model, n_ctx=64, logits_all=True, n_threads=2,
                  flash_attn=False, type_k=0, type_v=0, verbose=False)  # GGML_TYPE_F32
    if lora:
        kwargs["lora_path"] = lora
        kwargs["lora_scale"] = float(scale)
    llm = llama_cpp.Llama(**kwargs)
    tokens = [int(t) for t in ids.split(",")]
    llm.eval(tokens)
    print(json.dumps([[float(v) for v in row] for row in llm.scores[:len(tokens)]]))


def rescale(src, dst, freqs):
    """Copies the GGUF @src to @dst with linear RoPE scaling (factor 2) and, with @freqs
    "1", a rope_freqs.weight of uneven factors, as llama.cpp's Llama 3 conversions carry
    (llama.cpp reads that tensor for llama only)."""
    import gguf
    import numpy as np
    reader = gguf.GGUFReader(src)
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(dst, arch)
    rope_dims = 0
    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name == "general.architecture":
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), vtype, sub)
        if field.name == f"{arch}.rope.dimension_count":
            rope_dims = int(field.contents())
    writer.add_string(f"{arch}.rope.scaling.type", "linear")
    writer.add_float32(f"{arch}.rope.scaling.factor", 2.0)
    for t in reader.tensors:
        writer.add_tensor(t.name, np.array(t.data))
    if freqs == "1":
        factors = 1.0 + 0.37 * np.arange(rope_dims // 2, dtype=np.float32)
        writer.add_tensor("rope_freqs.weight", factors)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stderr.strip()}")
    return r.stdout


def compare(ours, theirs):
    """max |a − b| / max |b| over every position and token."""
    worst = 0.0
    scale = 0.0
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
    if len(sys.argv) > 1 and sys.argv[1] == "--rescale":
        rescale(*sys.argv[2:])
        return 0
    cli, ref_logits, python = sys.argv[1:4]
    if not os.path.exists(python):
        print("skipped: no test venv python at " + python)
        return 77
    probe = subprocess.run([python, "-c", "import llama_cpp"], capture_output=True)
    if probe.returncode != 0:
        print("skipped: the test venv has no llama_cpp (llama-cpp-python)")
        return 77

    failures = 0
    rng = random.Random(7)

    def check(name, ours_args, theirs_args, expect_change_from=None, what="the adapter"):
        nonlocal failures
        try:
            ours = json.loads(run(ours_args))["logits"]
            theirs = json.loads(run(theirs_args))
        except (RuntimeError, ValueError) as e:
            print(f"FAIL {name}: {e}")
            failures += 1
            return None
        err = compare(ours, theirs)
        ok = err <= BOUND
        note = ""
        if expect_change_from is not None:
            moved = compare(theirs, expect_change_from)
            note = f", {what} moves llama.cpp's logits by {moved:.3g}"
            if moved < 0.01:
                ok = False
                note += " (too little to test anything)"
        print(f"{'ok  ' if ok else 'FAIL'} {name}: relative error {err:.3g}{note}")
        if not ok:
            failures += 1
        return theirs

    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ("llama", False, []),
            ("llama", True, ["--dim", "96", "--heads", "6", "--kv-heads", "2"]),
            ("qwen2", False, []),
            ("qwen2", True, ["--heads", "8", "--kv-heads", "2", "--layers", "3"]),
            ("qwen3", False, ["--heads", "8", "--kv-heads", "1"]),
            ("qwen3", True, []),
        ]
        for i, (arch, tied, extra) in enumerate(cases):
            name = f"{arch}{'-tied' if tied else ''}"
            gguf = os.path.join(tmp, f"{name}.gguf")
            folder = os.path.join(tmp, f"{name}-hf")
            adapter = os.path.join(tmp, f"{name}-lora.gguf")
            peft = os.path.join(tmp, f"{name}-peft")
            seed = str(11 + i)
            common = ["--arch", arch, "--seed", seed] + extra + (["--tied"] if tied else [])
            run([cli, "make-test-model", gguf] + common)
            run([cli, "make-test-model", folder, "--hf"] + common)
            run([cli, "make-test-adapter", gguf, adapter, "--rank", str(4 + i), "--seed", seed])
            run([cli, "make-test-adapter", gguf, peft, "--rank", str(4 + i), "--seed", seed,
                 "--peft"])

            n = 9 + 2 * i
            ids = ",".join(str(rng.randrange(3, 259)) for _ in range(n))
            llama = [python, __file__, CHILD]
            base = check(f"{name} ({n} tokens)", [ref_logits, gguf, ids],
                         [*llama, gguf, ids, "", "1"])
            check(f"{name} + GGUF adapter", [ref_logits, gguf, ids, "--adapter", adapter],
                  [*llama, gguf, ids, adapter, "1"], expect_change_from=base)
            if i % 2 == 0:
                check(f"{name} + GGUF adapter × 0.5",
                      [ref_logits, gguf, ids, "--adapter", adapter, "--scale", "0.5"],
                      [*llama, gguf, ids, adapter, "0.5"], expect_change_from=base)
            check(f"{name} HF folder + PEFT adapter",
                  [ref_logits, folder, ids, "--adapter", peft],
                  [*llama, gguf, ids, adapter, "1"], expect_change_from=base)

        # RoPE scaling: linear (positions / 2), and rope_freqs.weight factors on llama
        # (adjacent pairs); linear alone on qwen2 (NeoX halves)
        for arch, freqs in (("llama", "1"), ("qwen2", "0")):
            plain = os.path.join(tmp, f"{arch}.gguf")
            scaled = os.path.join(tmp, f"{arch}-scaled.gguf")
            try:
                run([python, __file__, "--rescale", plain, scaled, freqs])
            except RuntimeError as e:
                print(f"FAIL {arch} with RoPE scaling: {e}")
                failures += 1
                continue
            ids = ",".join(str(rng.randrange(3, 259)) for _ in range(20))
            what = "linear RoPE scaling" + (" and rope_freqs" if freqs == "1" else "")
            check(f"{arch} with {what}", [ref_logits, scaled, ids],
                  [python, __file__, CHILD, scaled, ids, "", "1"], what="the scaling",
                  expect_change_from=json.loads(run([python, __file__, CHILD, plain, ids, "",
                                                     "1"])))

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
