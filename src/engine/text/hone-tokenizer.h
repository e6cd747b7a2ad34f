/* hone-tokenizer.h — text to token ids and back.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HoneTokenizer holds a vocabulary and the scratch space of encoding (buffers, a
 * cache of words already split into tokens). It is not thread-safe: give each thread
 * its own, over the same shared HoneVocab.
 *
 * The rules follow llama.cpp for GGUF vocabularies (the shared test vectors are its
 * output) and Hugging Face tokenizers for tokenizer.json ones.
 */
#pragma once

#include <glib.h>

#include "hone-vocab.h"

G_BEGIN_DECLS

typedef struct _HoneTokenizer HoneTokenizer;

typedef enum
{
  HONE_ENCODE_NONE          = 0,
  HONE_ENCODE_ADD_SPECIAL   = 1 << 0,  /* BOS/EOS where the vocabulary asks for them */
  HONE_ENCODE_PARSE_SPECIAL = 1 << 1,  /* control tokens written in the text are tokens */
} HoneEncodeFlags;

typedef enum
{
  HONE_DECODE_NONE          = 0,
  HONE_DECODE_SPECIAL       = 1 << 0,  /* write control tokens' text instead of nothing */
} HoneDecodeFlags;

HoneTokenizer *hone_tokenizer_new            (HoneVocab        *vocab);
/* A .gguf file, a tokenizer.json, or a Hugging Face folder. */
HoneTokenizer *hone_tokenizer_new_from_path  (const char       *path,
                                              GError          **error);
void           hone_tokenizer_free           (HoneTokenizer    *tokenizer);
HoneVocab     *hone_tokenizer_get_vocab      (HoneTokenizer    *tokenizer);

/* Appends the ids of @text (@len bytes, or NUL-terminated when -1) to @ids (gint32).
 * Invalid UTF-8 is read as U+FFFD per bad byte, as llama.cpp does. */
void           hone_tokenizer_encode         (HoneTokenizer    *tokenizer,
                                              const char       *text,
                                              gssize            len,
                                              HoneEncodeFlags   flags,
                                              GArray           *ids);
/* Appends the bytes one token stands for (may be part of a UTF-8 character). FALSE
 * with an error for an id outside the vocabulary. */
gboolean       hone_tokenizer_append_piece   (HoneTokenizer    *tokenizer,
                                              gint32            id,
                                              HoneDecodeFlags   flags,
                                              GString          *out,
                                              GError          **error);
/* The text of @ids: pieces joined, the leading space a SentencePiece tokenizer added
 * removed. The result may hold invalid UTF-8 when @ids cut a character. */
char          *hone_tokenizer_decode         (HoneTokenizer    *tokenizer,
                                              const gint32     *ids,
                                              gsize             n_ids,
                                              HoneDecodeFlags   flags,
                                              gsize            *len,
                                              GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneTokenizer, hone_tokenizer_free)

G_END_DECLS
