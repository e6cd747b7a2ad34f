#!/usr/bin/env python3
# bench-tokenize.py — the peers of `hone-cli bench tokenize`: llama.cpp's tokenizer
# (llama-cpp-python, vocab_only) and Hugging Face tokenizers on the same text, cut into
# the same ~4 KB documents, on one core. Prints MB/s and Hone's ratio to each.
#
#   bench-tokenize.py MODEL.gguf TEXT_FILE HONE_MBS HONE_TOKENS
#
# HF runs on a tokenizer.json built from the GGUF vocabulary by
# tests/tokenizer-json-from-gguf.py, with RAYON_NUM_THREADS=1.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault('RAYON_NUM_THREADS', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')


def documents(text):
    """The same cut as hone-cli: about 4096 bytes, extended to the next line end."""
    data = text.encode()
    docs = []
    start = 0
    while start < len(data):
        end = min(start + 4096, len(data))
        nl = data.find(b'\n', end) if end < len(data) else -1
        end = nl + 1 if nl >= 0 else len(data)
        docs.append(data[start:end])
        start = end
    return docs


def main():
    model, text_path, hone_mbs, hone_tokens = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    name = os.path.basename(model)
    with open(text_path, encoding='utf-8') as f:
        text = f.read()
    docs = documents(text)
    size = sum(len(d) for d in docs)

    try:
        import llama_cpp
        # llama.cpp prints a context warning on stderr even when not verbose.
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            llm = llama_cpp.Llama(model_path=model, vocab_only=True, verbose=False)
        finally:
            os.dup2(saved, 2)
            os.close(devnull)
            os.close(saved)
        t0 = time.perf_counter()
        n = 0
        for d in docs:
            n += len(llm.tokenize(d, add_bos=False, special=False))
        dt = time.perf_counter() - t0
        mbs = size / 1e6 / dt
        print(f'{name:32s} llama.cpp       {mbs:7.2f} MB/s  {n:10d} tokens  '
              f'hone is {hone_mbs / mbs:.2f}x{"" if n == hone_tokens else "  (token counts differ!)"}')
    except ImportError as e:
        print(f'{name:32s} llama.cpp       skipped: {e}')
    sys.stdout.flush()

    try:
        import tokenizers
        here = os.path.dirname(os.path.abspath(__file__))
        with tempfile.TemporaryDirectory() as tmp:
            json_path = os.path.join(tmp, 'tokenizer.json')
            subprocess.run([sys.executable, os.path.join(here, '..', 'tokenizer-json-from-gguf.py'),
                            model, json_path], check=True)
            tk = tokenizers.Tokenizer.from_file(json_path)
        strs = [d.decode() for d in docs]
        t0 = time.perf_counter()
        n = 0
        for s in strs:
            n += len(tk.encode(s, add_special_tokens=False).ids)
        dt = time.perf_counter() - t0
        mbs = size / 1e6 / dt
        print(f'{name:32s} HF tokenizers   {mbs:7.2f} MB/s  {n:10d} tokens  '
              f'hone is {hone_mbs / mbs:.2f}x')
    except ImportError as e:
        print(f'{name:32s} HF tokenizers   skipped: {e}')
    sys.stdout.flush()


if __name__ == '__main__':
    main()
