/* hone-vocab.h — a tokenizer's vocabulary: tokens, scores, types, merges, special ids
 * and the flags that say how text is split, as GGUF metadata or tokenizer.json give them.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HoneVocab is built once (from a GGUF file, a tokenizer.json, or by hand in tests),
 * then sealed with hone_vocab_finish(), after which it is immutable and shared by
 * reference; HoneTokenizer (hone-tokenizer.h) encodes and decodes with it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HONE_TOKENIZER_ERROR (hone_tokenizer_error_quark ())

typedef enum
{
  HONE_TOKENIZER_ERROR_INVALID,      /* a malformed vocabulary or tokenizer file */
  HONE_TOKENIZER_ERROR_UNSUPPORTED,  /* a well-formed file asking for what Hone lacks */
  HONE_TOKENIZER_ERROR_BAD_ID,       /* decoding an id that is not in the vocabulary */
} HoneTokenizerError;

/* Which algorithm turns a piece of text into tokens. */
typedef enum
{
  HONE_VOCAB_SPM,  /* SentencePiece-style: merge by score, ▁ for spaces, <0xNN> fallback */
  HONE_VOCAB_BPE,  /* byte-pair encoding by merge rank (GPT-2 byte-level or raw UTF-8) */
} HoneVocabKind;

/* The values of GGUF's tokenizer.ggml.token_type. */
typedef enum
{
  HONE_TOKEN_UNDEFINED    = 0,
  HONE_TOKEN_NORMAL       = 1,
  HONE_TOKEN_UNKNOWN      = 2,
  HONE_TOKEN_CONTROL      = 3,
  HONE_TOKEN_USER_DEFINED = 4,
  HONE_TOKEN_UNUSED       = 5,
  HONE_TOKEN_BYTE         = 6,
} HoneTokenType;

/* How an added token matches (tokenizer.json's added_tokens flags). */
typedef enum
{
  HONE_TOKEN_ATTR_LSTRIP = 1 << 0,  /* swallows whitespace on its left */
  HONE_TOKEN_ATTR_RSTRIP = 1 << 1,  /* swallows whitespace on its right */
} HoneTokenAttr;

/* Unicode normalisation applied before splitting (tokenizer.json's normalizer). */
typedef enum
{
  HONE_NORMALIZE_NONE,
  HONE_NORMALIZE_NFC,
  HONE_NORMALIZE_NFD,
  HONE_NORMALIZE_NFKC,
  HONE_NORMALIZE_NFKD,
} HoneNormalization;

typedef struct _HoneVocab HoneVocab;

GQuark         hone_tokenizer_error_quark   (void);

HoneVocab     *hone_vocab_new               (HoneVocabKind     kind);
HoneVocab     *hone_vocab_ref               (HoneVocab        *vocab);
void           hone_vocab_unref             (HoneVocab        *vocab);

/* Building. Ids are given in order: the first added token is 0. */
void           hone_vocab_add_token         (HoneVocab        *vocab,
                                             const char       *text,
                                             gssize            len,
                                             float             score,
                                             HoneTokenType     type);
void           hone_vocab_set_token_attrs   (HoneVocab        *vocab,
                                             guint             id,
                                             HoneTokenAttr     attrs);
/* A merge "LEFT RIGHT"; its rank is the order of the calls. Pairs naming a text that is
 * not a token are ignored, as no tokenizer could use them. */
void           hone_vocab_add_merge         (HoneVocab        *vocab,
                                             const char       *left,
                                             gssize            left_len,
                                             const char       *right,
                                             gssize            right_len);
/* The pre-tokenizer: a llama.cpp preset name (tokenizer.ggml.pre), or, for a
 * tokenizer.json, an explicit list of split regexes (NULL pre). */
void           hone_vocab_set_pre           (HoneVocab        *vocab,
                                             const char       *pre);
void           hone_vocab_add_pre_regex     (HoneVocab        *vocab,
                                             const char       *regex);
void           hone_vocab_set_byte_level    (HoneVocab        *vocab,
                                             gboolean          byte_level);
void           hone_vocab_set_special_ids   (HoneVocab        *vocab,
                                             gint32            bos,
                                             gint32            eos,
                                             gint32            unk);
void           hone_vocab_set_add_special   (HoneVocab        *vocab,
                                             gboolean          add_bos,
                                             gboolean          add_eos);
void           hone_vocab_set_add_space_prefix (HoneVocab     *vocab,
                                             gboolean          add_space_prefix);
void           hone_vocab_set_ignore_merges (HoneVocab        *vocab,
                                             gboolean          ignore_merges);
void           hone_vocab_set_normalization (HoneVocab        *vocab,
                                             HoneNormalization normalization);
/* Seals the vocabulary: checks the special ids, compiles the pre-tokenizer. An unknown
 * preset is an error naming it. */
gboolean       hone_vocab_finish            (HoneVocab        *vocab,
                                             GError          **error);

/* Loading. Both name the file in their errors. */
HoneVocab     *hone_vocab_new_from_gguf     (const char       *path,
                                             GError          **error);
HoneVocab     *hone_vocab_new_from_tokenizer_json (const char *path,
                                             GError          **error);
HoneVocab     *hone_vocab_new_from_tokenizer_json_data (const char *data,
                                             gsize             len,
                                             const char       *name,
                                             GError          **error);
/* A .gguf file, a tokenizer.json, or a folder holding a tokenizer.json. */
HoneVocab     *hone_vocab_new_from_path     (const char       *path,
                                             GError          **error);

/* Writing: a Hugging Face tokenizer.json that HF `tokenizers` and
 * hone_vocab_new_from_tokenizer_json() read back as the same tokenizer (byte-level BPE as
 * Split + ByteLevel, SentencePiece as HF's Llama form: BPE with byte fallback). NULL or
 * FALSE with an error for a token JSON cannot hold. */
char          *hone_vocab_to_tokenizer_json (HoneVocab        *vocab,
                                             gsize            *len,
                                             GError          **error);
gboolean       hone_vocab_write_tokenizer_json (HoneVocab     *vocab,
                                             const char       *path,
                                             GError          **error);

/* Queries. */
HoneVocabKind  hone_vocab_get_kind          (HoneVocab        *vocab);
guint          hone_vocab_get_n_tokens      (HoneVocab        *vocab);
const char    *hone_vocab_get_pre           (HoneVocab        *vocab);
/* The token's stored text (▁ and byte-level characters as stored), and its length. */
const char    *hone_vocab_get_token_text    (HoneVocab        *vocab,
                                             guint             id,
                                             gsize            *len);
HoneTokenType  hone_vocab_get_token_type    (HoneVocab        *vocab,
                                             guint             id);
float          hone_vocab_get_token_score   (HoneVocab        *vocab,
                                             guint             id);
/* -1 when there is no such token. */
gint32         hone_vocab_find_token        (HoneVocab        *vocab,
                                             const char       *text,
                                             gssize            len);
gint32         hone_vocab_get_bos           (HoneVocab        *vocab);
gint32         hone_vocab_get_eos           (HoneVocab        *vocab);
gint32         hone_vocab_get_unk           (HoneVocab        *vocab);
gboolean       hone_vocab_get_add_bos       (HoneVocab        *vocab);
gboolean       hone_vocab_get_add_eos       (HoneVocab        *vocab);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneVocab, hone_vocab_unref)

G_END_DECLS
