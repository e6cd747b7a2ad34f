/* hone-vocab-private.h — what the tokenizer reads of a sealed HoneVocab.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hone-vocab.h"
#include "hone-pretokenize.h"

G_BEGIN_DECLS

typedef struct
{
  guint32  offset;  /* into HoneVocab.text */
  guint32  len;
  float    score;
  guint8   type;    /* HoneTokenType */
  guint8   attrs;   /* HoneTokenAttr */
  guint32  rank;    /* for special tokens: the position in special_ids */
} HoneVocabToken;

/* A merge of two token ids: its rank and the id of the joined text (-1 if none). */
typedef struct
{
  guint64  key;     /* left id << 32 | right id; 0 marks an empty slot (key + 1 stored) */
  gint32   rank;
  gint32   result;
} HoneVocabMerge;

struct _HoneVocab
{
  gatomicrefcount     ref_count;
  HoneVocabKind       kind;
  gboolean            sealed;

  GString            *text;          /* every token's text, NUL after each */
  GArray             *tokens;        /* HoneVocabToken, indexed by id */

  /* Open-addressing table of token texts: slot → id + 1 (0 empty). */
  guint32            *slots;
  guint32             n_slots;       /* power of two */

  HoneVocabMerge     *merges;
  guint32             n_merge_slots; /* power of two, or 0 */
  guint32             n_merges;
  GArray             *pending_merges; /* guint64 pairs before sealing */

  char               *pre;
  GPtrArray          *pre_regexes;
  HonePretokenizer   *pretokenizer;
  gboolean            byte_level;

  gint32              bos, eos, unk;
  gboolean            add_bos, add_eos;
  gboolean            add_space_prefix;
  gboolean            ignore_merges;
  gboolean            byte_fallback_json; /* tokenizer.json BPE: unknown chars as <0xNN> */
  gboolean            fuse_unk;           /* tokenizer.json BPE: one <unk> for a run */
  gboolean            added_leftmost_longest; /* tokenizer.json: HF's added-token matching */
  HoneNormalization   normalization;
  char               *prepend;          /* tokenizer.json normalizer Prepend, or NULL */
  char               *replace_from;     /* tokenizer.json normalizer Replace (string) */
  char               *replace_to;
  gboolean            strip_leading_space_on_decode;
  gboolean            spm_splittable;   /* no token has ▁ after another character */

  /* Ids of the tokens matched in raw text (control, user-defined, unknown), longest
   * first, as llama.cpp partitions text. */
  GArray             *special_ids;
  /* For byte-level BPE: the token id of each byte's character, -1 if absent. */
  gint32              byte_token[256];
};

static inline const char *
hone_vocab_token_str (const HoneVocab *vocab,
                      guint32          id)
{
  return vocab->text->str + g_array_index (vocab->tokens, HoneVocabToken, id).offset;
}

gint32   hone_vocab_lookup       (const HoneVocab *vocab,
                                  const char      *text,
                                  gsize            len);
/* The merge of @left and @right, or NULL. */
static inline const HoneVocabMerge *
hone_vocab_lookup_merge (const HoneVocab *vocab,
                         gint32           left,
                         gint32           right)
{
  guint64 key;
  guint64 h;
  guint32 mask;

  if (vocab->n_merge_slots == 0 || left < 0 || right < 0)
    return NULL;
  key = (((guint64) (guint32) left << 32) | (guint32) right) + 1;
  h = key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  mask = vocab->n_merge_slots - 1;
  for (guint32 i = (guint32) (h >> 32) & mask;; i = (i + 1) & mask)
    {
      const HoneVocabMerge *m = &vocab->merges[i];
      if (m->key == key)
        return m;
      if (m->key == 0)
        return NULL;
    }
}

/* The byte ↔ character map of GPT-2's byte-level BPE. */
const char *hone_byte_level_encode (guint8    byte,
                                    gsize    *len);
/* The byte a byte-level character stands for, or -1. */
int         hone_byte_level_decode (gunichar  c);

G_END_DECLS
