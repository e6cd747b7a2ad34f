#!/usr/bin/env python3
# bench-generate.py MODEL N_PREFILL N_DECODE HONE_PREFILL_TPS HONE_DECODE_TPS HONE_TTFT_S
# llama.cpp (llama-cpp-python, CPU, 2 threads, f16 KV cache) on the same GGUF file and the
# same shapes as `hone-cli bench generate`, which runs this script right after its own
# figures; prints llama.cpp's figures and Hone's ratio to them.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import random
import sys
import time


def main():
    model, n_prefill, n_decode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    hone_prefill, hone_decode, hone_ttft = (float(x) for x in sys.argv[4:7])
    try:
        import llama_cpp
    except ImportError:
        print("(llama.cpp skipped: llama_cpp is not installed in this python)")
        return 0
    llm = llama_cpp.Llama(model_path=model, n_ctx=max(n_prefill, 232) + n_decode + 8,
                          n_batch=512, n_threads=2, n_threads_batch=2, verbose=False)
    rng = random.Random(7)
    vocab = llm.n_vocab()
    prompt = [rng.randrange(vocab) for _ in range(n_prefill)]
    chat = [rng.randrange(vocab) for _ in range(200)]
    short = [rng.randrange(vocab) for _ in range(16)]

    llm.eval(short[:4])            # warm-up
    llm.reset()
    t = time.perf_counter()
    llm.eval(prompt)
    prefill = n_prefill / (time.perf_counter() - t)

    llm.reset()
    t = time.perf_counter()
    llm.eval(chat)
    first = max(range(vocab), key=lambda j: llm.scores[llm.n_tokens - 1][j])
    ttft = time.perf_counter() - t

    llm.reset()
    llm.eval(short)
    token = first
    t = time.perf_counter()
    for _ in range(n_decode):
        llm.eval([token])
        token = int(llm.scores[llm.n_tokens - 1].argmax())
    decode = n_decode / (time.perf_counter() - t)

    print(f"{'llama.cpp prefill':34} {prefill:10.1f} tokens/s   hone/llama.cpp {hone_prefill / prefill:5.2f}×")
    print(f"{'llama.cpp decode':34} {decode:10.2f} tokens/s   hone/llama.cpp {hone_decode / decode:5.2f}×")
    print(f"{'llama.cpp time to first token (200)':34} {ttft:10.3f} s          hone/llama.cpp {hone_ttft / ttft:5.2f}× the time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
