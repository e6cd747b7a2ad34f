#!/usr/bin/env python3
# tokenizer-json-from-gguf.py — builds a Hugging Face tokenizer.json from a GGUF vocabulary
# with the `tokenizers` library, so that HF's own tokenizer can be the oracle for Hone's
# tokenizer.json reader on the shared vocabularies.
#
#   tokenizer-json-from-gguf.py VOCAB.gguf OUT.json
#
# Byte-level BPE vocabularies keep their tokens and merges, and get the pre-tokenizer of
# their tokenizer.ggml.pre as Split regexes followed by ByteLevel. SentencePiece ones
# become what HF's converter makes of Llama: BPE with byte fallback, merges ranked by the
# score of the merged piece, Prepend ▁ + Replace " " → ▁ as the normalizer.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

from gguf import GGUFReader
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
from tokenizers import pre_tokenizers

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"

# The published patterns per preset (the same ones Hone's presets hold).
PRESETS = {
    'gpt-2': None,  # ByteLevel's own regex
    'starcoder': [r'\p{N}', GPT2],
    'falcon': [r'[\p{P}\$\+<=>\^~\|`]+', GPT2, r'[0-9][0-9][0-9]'],
    'deepseek-coder': ['[\r\n]', r'\s?\p{L}+', r'\s?\p{P}+', '[一-龥ࠀ-一가-퟿]+', r'\p{N}'],
    'deepseek-llm': [
        '[\r\n]',
        '\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\u1f7dᾀ-ᾴᾶ-ᾼ\u1fbeῂ-ῄῆ-ῌῐ-\u1fd3ῖ-\u1fdbῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\u2126ℨ\u212a-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+',
        '\\s?[!-/:-~！-／：-～‘-‟　-。]+',
        '\\s+$',
        '[一-龥ࠀ-一가-퟿]+',
        '\\p{N}+',
    ],
}


def field(reader, key):
    f = reader.fields.get(key)
    if f is None:
        return None
    if f.types[0].name == 'ARRAY':
        if f.types[-1].name == 'STRING':
            return [bytes(f.parts[i]).decode('utf-8', errors='replace') for i in f.data]
        return [f.parts[i].tolist()[0] for i in f.data]
    if f.types[0].name == 'STRING':
        return bytes(f.parts[f.data[0]]).decode()
    return f.parts[f.data[0]].tolist()[0]


def spm_merges(tokens, scores, types):
    ids = {t: i for i, t in enumerate(tokens) if types[i] == 1}
    merges = []
    for piece, pid in ids.items():
        for k in range(1, len(piece)):
            a, b = piece[:k], piece[k:]
            if a in ids and b in ids:
                merges.append((scores[pid], ids[a], ids[b], a, b))
    merges.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [(m[3], m[4]) for m in merges]


def main():
    src, out = sys.argv[1], sys.argv[2]
    r = GGUFReader(src)
    model = field(r, 'tokenizer.ggml.model')
    tokens = field(r, 'tokenizer.ggml.tokens')
    types = field(r, 'tokenizer.ggml.token_type') or [1] * len(tokens)
    vocab = {}
    for i, t in enumerate(tokens):
        vocab.setdefault(t, i)

    if model == 'gpt2':
        merges = [tuple(m.split(' ', 1)) for m in field(r, 'tokenizer.ggml.merges')]
        tk = Tokenizer(models.BPE(vocab=vocab, merges=merges))
        pre = field(r, 'tokenizer.ggml.pre') or 'default'
        regexes = PRESETS[pre]
        if regexes is None:
            tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
        else:
            tk.pre_tokenizer = pre_tokenizers.Sequence(
                [pre_tokenizers.Split(Regex(x), behavior='isolated') for x in regexes]
                + [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
        tk.decoder = decoders.ByteLevel()
    elif model == 'llama':
        scores = field(r, 'tokenizer.ggml.scores')
        merges = spm_merges(tokens, scores, types)
        tk = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token='<unk>', fuse_unk=True,
                                  byte_fallback=True))
        tk.normalizer = normalizers.Sequence([normalizers.Prepend('▁'),
                                              normalizers.Replace(' ', '▁')])
        tk.decoder = decoders.Sequence([decoders.Replace('▁', ' '), decoders.ByteFallback(),
                                        decoders.Fuse(), decoders.Strip(' ', 1, 0)])
    else:
        sys.exit(f'{src}: tokenizer model {model} not handled')

    special = [AddedToken(t, special=True, normalized=False)
               for i, t in enumerate(tokens) if types[i] in (2, 3)]
    user = [AddedToken(t, special=False, normalized=False)
            for i, t in enumerate(tokens) if types[i] == 4]
    tk.add_special_tokens(special)
    if user:
        tk.add_tokens(user)
    tk.save(out)


if __name__ == '__main__':
    main()
