#!/usr/bin/env python3
# test-tokenizer-diff.py — Hone's tokenizer against llama.cpp and Hugging Face tokenizers
# on thousands of generated strings per shared vocabulary (TAP).
#
#   test-tokenizer-diff.py HONE_CLI
#
# GGUF vocabularies are compared with llama-cpp-python (vocab_only=True), tokenize(text,
# add_bos=False, special=False) and again with add_bos and special on. tokenizer.json
# files built from the same vocabularies (tokenizer-json-from-gguf.py) are compared with
# HF tokenizers, special tokens parsed and not. Every string must give the same ids, and
# Hone's decode of its ids must give the string back.
#
# Runs under the test venv's python (HONE_VENV_PYTHON); skips with a reason without it.
# HONE_TOKENIZER_DIFF_N sets the strings per vocabulary (default 2000).
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import random
import subprocess
import sys
import tempfile

VOCABS = ['llama-spm', 'gpt-2', 'starcoder', 'falcon', 'deepseek-coder', 'deepseek-llm']


def reexec_in_venv():
    venv = os.environ.get('HONE_VENV_PYTHON')
    if os.environ.get('HONE_TOKENIZER_DIFF_IN_VENV'):
        return
    if not venv or not os.path.exists(venv):
        print(f'1..0 # SKIP the test venv is missing ({venv or "HONE_VENV_PYTHON unset"})')
        sys.exit(0)
    os.environ['HONE_TOKENIZER_DIFF_IN_VENV'] = '1'
    os.execv(venv, [venv] + sys.argv)


WORDS = ['Hello', 'world', 'the', "don't", "I'll", "it's", "WE'RE", "You'VE", 'naïve', 'café',
         'Äpfel', 'straße', 'привет', 'Български', 'Cửa', 'Việt', '你好', '我想在apple工作',
         '東京', 'こんにちは', 'カタカナ', '안녕하세요', 'مرحبا', 'שלום', 'γειά', 'नमस्ते',
         'ภาษาไทย', 'កាន់តែពិសេស', 'ﬁne', 'Ｆｕｌｌ', 'µ', 'Ω', 'K', 'ǅ', 'ⅷ', '½', '²',
         'x', 'i++', 'main()', 'self.value', '#include', '<stdio.h>', 'printf("%d\\n",',
         '->', '=>', '::', '===', '!==', '&&', '||', '//', '/*', '*/', '{', '}', '[', ']',
         'http://example.com/a?b=c', 'user@example.org', '$100', '3.14', '1,000,000',
         '2026-11-25', '+1-503-555-0148', '0x1F', '1e-9']
EMOJI = ['😀', '🦙', '🚀', '✅', '👍🏽', '😶\u200d🌫️', '👨\u200d👩\u200d👧', '🇩🇪', '❤️', '🌿',
         '\u200b', '\ufeff', '\u00ad']
SPACES = [' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n', '\n ', '\u00a0', '\u3000',
          '\u2009', '\u0085', '\u2028', '\v', '\f']
LOOKALIKES = ['<s>', '</s>', '<unk>', '<|endoftext|>', '<0x0A>', '<0xFF>', '▁', '▁▁', 'Ġ', 'Ċ',
              '>>TITLE<<', '<fim_prefix>', '<|im_start|>', '<｜begin▁of▁sentence｜>',
              '<|begin_of_text|>', '<s', 's>', '<', '>', '<<', '>>']


def gen_string(rng):
    kind = rng.random()
    if kind < 0.05:
        # Random code points from the BMP and beyond, no surrogates.
        out = []
        for _ in range(rng.randint(1, 12)):
            while True:
                c = rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                rng.randint(0x3000, 0xd7ff), rng.randint(0xe000, 0xfffd),
                                rng.randint(0x10000, 0x1faff)])
                if not 0xd800 <= c <= 0xdfff:
                    break
            out.append(chr(c))
        return ''.join(out)
    if kind < 0.10:
        return ''.join(rng.choice('0123456789') for _ in range(rng.randint(1, 20)))
    if kind < 0.15:
        return ''.join(rng.choice(SPACES) for _ in range(rng.randint(1, 6)))
    parts = []
    for _ in range(rng.randint(1, 14)):
        r = rng.random()
        if r < 0.55:
            parts.append(rng.choice(WORDS))
        elif r < 0.65:
            parts.append(rng.choice(EMOJI))
        elif r < 0.75:
            parts.append(str(rng.randint(0, 10 ** rng.randint(1, 9))))
        elif r < 0.85:
            parts.append(rng.choice(LOOKALIKES))
        else:
            parts.append(rng.choice(".,;:!?'\"()-_/\\@#$%^&*+=~`|…«»“”‘’—–·•"))
        parts.append(rng.choice(SPACES) if rng.random() < 0.3 else (' ' if rng.random() < 0.7 else ''))
    s = ''.join(parts)
    if rng.random() < 0.2:
        s = s.strip()
    return s


def hone_batch(cli, model, strings, flags):
    data = ''.join(json.dumps(s) + '\n' for s in strings)
    p = subprocess.run([cli, 'tokenize', model, '--batch'] + flags, input=data,
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f'hone-cli failed: {p.stderr.strip()}')
    out = [json.loads(line) for line in p.stdout.split('\n') if line]
    if len(out) != len(strings):
        raise RuntimeError(f'hone-cli gave {len(out)} results for {len(strings)} strings')
    return out


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, details=()):
        self.n += 1
        print(f'{"ok" if ok else "not ok"} {self.n} - {name}')
        for line in details:
            print(f'# {line}')
        if not ok:
            self.failed += 1
        sys.stdout.flush()

    def skip(self, name, reason):
        self.n += 1
        print(f'ok {self.n} - {name} # SKIP {reason}')


def compare(tap, name, strings, expected, got, reference_text=None):
    """Ids must be equal. Hone's decode must give the string back, or, where the
    vocabulary cannot (▁ in SentencePiece text, a byte with no token), exactly what the
    reference tool's own decode gives."""
    bad = []
    roundtrip = []
    lossy = 0
    for s, e, g in zip(strings, expected, got):
        if list(e) != g['ids']:
            bad.append((s, list(e), g['ids']))
        elif reference_text is not None and g['text'] != s:
            ref = reference_text(s, list(e))
            if g['text'] == ref:
                lossy += 1
            else:
                roundtrip.append((s, g['text'], ref))
    details = [f'{len(strings)} strings, {len(bad)} differ, {len(roundtrip)} do not round-trip'
               f' ({lossy} lossy in the vocabulary, decoded as the reference decodes them)']
    for s, e, g in bad[:5]:
        details.append(f'text {s!r}')
        details.append(f'  want {e[:40]}')
        details.append(f'  got  {g[:40]}')
    for s, t, ref in roundtrip[:5]:
        details.append(f'round trip {s!r} -> {t!r} (reference {ref!r})')
    tap.result(not bad and not roundtrip, name, details)


def main():
    reexec_in_venv()
    cli = sys.argv[1]
    testdata = os.environ.get('HONE_TESTDATA') or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'testdata')
    vocab_dir = os.path.join(testdata, 'vocab')
    n = int(os.environ.get('HONE_TOKENIZER_DIFF_N', '2000'))
    here = os.path.dirname(os.path.abspath(__file__))

    if not os.path.isdir(vocab_dir):
        print(f'1..0 # SKIP no shared vocabularies at {vocab_dir}')
        return 0
    try:
        import llama_cpp
    except ImportError as e:
        llama_cpp = None
        llama_reason = f'llama-cpp-python is not importable ({e})'
    try:
        import tokenizers
    except ImportError as e:
        tokenizers = None
        hf_reason = f'tokenizers is not importable ({e})'

    print(f'1..{len(VOCABS) * 4}')
    tap = Tap()
    tmp = tempfile.TemporaryDirectory(prefix='hone-tok-diff-')
    for vi, name in enumerate(VOCABS):
        gguf = os.path.join(vocab_dir, f'ggml-vocab-{name}.gguf')
        rng = random.Random(1000 + vi)
        strings = [gen_string(rng) for _ in range(n)]
        special_strings = strings[: max(1, n // 4)]

        if llama_cpp is None:
            tap.skip(f'{name}: llama.cpp, plain', llama_reason)
            tap.skip(f'{name}: llama.cpp, add-special parse-special', llama_reason)
        else:
            llm = llama_cpp.Llama(model_path=gguf, vocab_only=True, verbose=False)
            want = [llm.tokenize(s.encode(), add_bos=False, special=False) for s in strings]
            got = hone_batch(cli, gguf, strings, [])
            spm = name == 'llama-spm'

            def llama_text(s, ids, llm=llm, spm=spm):
                if spm:
                    # SentencePiece reads ▁ as a space: decoding cannot tell them apart.
                    return s.replace('▁', ' ')
                return llm.detokenize(ids).decode('utf-8', errors='replace')
            compare(tap, f'{name}: llama.cpp, plain', strings, want, got, llama_text)
            want = [llm.tokenize(s.encode(), add_bos=True, special=True) for s in special_strings]
            got = hone_batch(cli, gguf, special_strings, ['--add-special', '--parse-special'])
            compare(tap, f'{name}: llama.cpp, add-special parse-special', special_strings, want,
                    got)
            del llm

        if tokenizers is None:
            tap.skip(f'{name}: tokenizer.json vs HF, special parsed', hf_reason)
            tap.skip(f'{name}: tokenizer.json vs HF, special as text', hf_reason)
            continue
        json_path = os.path.join(tmp.name, f'{name}.json')
        subprocess.run([sys.executable, os.path.join(here, 'tokenizer-json-from-gguf.py'), gguf,
                        json_path], check=True)
        tk = tokenizers.Tokenizer.from_file(json_path)
        want = [tk.encode(s, add_special_tokens=False).ids for s in strings]
        got = hone_batch(cli, json_path, strings, ['--parse-special'])
        compare(tap, f'{name}: tokenizer.json vs HF, special parsed', strings, want, got,
                lambda s, ids: tk.decode(ids))
        tk.encode_special_tokens = True
        want = [tk.encode(s, add_special_tokens=False).ids for s in special_strings]
        got = hone_batch(cli, json_path, special_strings, [])
        compare(tap, f'{name}: tokenizer.json vs HF, special as text', special_strings, want,
                got, lambda s, ids: tk.decode(ids))
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
