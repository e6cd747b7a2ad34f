/* hone-vocab-gguf.c — a vocabulary from GGUF tokenizer metadata.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keys and their defaults are those llama.cpp reads: tokenizer.ggml.model picks the
 * algorithm ("llama" SentencePiece, "gpt2" byte-level BPE), tokenizer.ggml.pre the
 * pre-tokenizer, and the add_* flags override what the preset implies.
 */
#define G_LOG_DOMAIN "hone-vocab"

#include "config.h"

#include <string.h>

#include "model/hone-gguf.h"
#include "hone-vocab-private.h"

static gboolean
fail (GError    **error,
      HoneGguf   *gguf,
      int         code,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError    **error,
      HoneGguf   *gguf,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HONE_TOKENIZER_ERROR, code, "%s: %s", hone_gguf_get_name (gguf), message);
  return FALSE;
}

/* An error from the GGUF reader already names the file. */
static gboolean
relay (GError **error,
       GError  *gguf_error)
{
  g_set_error_literal (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID,
                       gguf_error->message);
  return FALSE;
}

/* An optional integer id key: absent keeps @value. */
static gboolean
read_id (HoneGguf   *gguf,
         const char *key,
         gint32     *value,
         GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 v;

  if (!hone_gguf_has_key (gguf, key))
    return TRUE;
  if (!hone_gguf_get_i64 (gguf, key, &v, &local_error))
    return relay (error, local_error);
  /* llama.cpp stores "none" as -1 or as 0xFFFFFFFF in a u32 */
  *value = v < 0 || v >= G_MAXINT32 ? -1 : (gint32) v;
  return TRUE;
}

static gboolean
read_bool (HoneGguf   *gguf,
           const char *key,
           gboolean   *value,
           GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hone_gguf_has_key (gguf, key))
    return TRUE;
  if (!hone_gguf_get_bool (gguf, key, value, &local_error))
    return relay (error, local_error);
  return TRUE;
}

static HoneVocab *
vocab_from_gguf (HoneGguf  *gguf,
                 GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HoneVocab) vocab = NULL;
  g_autofree float *scores = NULL;
  g_autofree gint32 *types = NULL;
  const HoneGgufArray *tokens, *array;
  const char *model, *pre = NULL;
  guint64 n_tokens;
  gint32 bos, eos, unk;
  gboolean add_bos, add_eos, add_space_prefix;

  model = hone_gguf_get_string (gguf, "tokenizer.ggml.model", NULL, &local_error);
  if (model == NULL)
    {
      fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
            "no tokenizer (tokenizer.ggml.model is missing)");
      return NULL;
    }
  if (strcmp (model, "llama") == 0)
    vocab = hone_vocab_new (HONE_VOCAB_SPM);
  else if (strcmp (model, "gpt2") == 0)
    vocab = hone_vocab_new (HONE_VOCAB_BPE);
  else
    {
      fail (error, gguf, HONE_TOKENIZER_ERROR_UNSUPPORTED,
            "tokenizer model “%s” is not supported (only “llama” and “gpt2” are)", model);
      return NULL;
    }

  tokens = hone_gguf_get_array (gguf, "tokenizer.ggml.tokens", &local_error);
  if (tokens == NULL)
    {
      relay (error, local_error);
      return NULL;
    }
  n_tokens = hone_gguf_array_get_length (tokens);
  if (hone_gguf_array_get_type (tokens) != HONE_GGUF_TYPE_STRING || n_tokens == 0
      || n_tokens > G_MAXINT32)
    {
      fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
            "tokenizer.ggml.tokens is not a non-empty array of strings");
      return NULL;
    }

  if (hone_gguf_has_key (gguf, "tokenizer.ggml.scores"))
    {
      array = hone_gguf_get_array (gguf, "tokenizer.ggml.scores", &local_error);
      if (array != NULL && hone_gguf_array_get_length (array) == n_tokens)
        scores = hone_gguf_array_dup_f32 (array, &local_error);
      if (scores == NULL)
        {
          if (local_error != NULL)
            relay (error, local_error);
          else
            fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
                  "tokenizer.ggml.scores: not one score per token");
          return NULL;
        }
    }
  if (hone_gguf_has_key (gguf, "tokenizer.ggml.token_type"))
    {
      array = hone_gguf_get_array (gguf, "tokenizer.ggml.token_type", &local_error);
      if (array != NULL && hone_gguf_array_get_length (array) == n_tokens)
        types = hone_gguf_array_dup_i32 (array, &local_error);
      if (types == NULL)
        {
          if (local_error != NULL)
            relay (error, local_error);
          else
            fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
                  "tokenizer.ggml.token_type: not one type per token");
          return NULL;
        }
    }

  for (guint64 i = 0; i < n_tokens; i++)
    {
      gsize len = 0;
      const char *text = hone_gguf_array_get_string (tokens, i, &len);
      gint32 type = types != NULL ? types[i] : HONE_TOKEN_NORMAL;

      if (type < HONE_TOKEN_UNDEFINED || type > HONE_TOKEN_BYTE)
        type = HONE_TOKEN_NORMAL;
      hone_vocab_add_token (vocab, text, len, scores != NULL ? scores[i] : 0.f, type);
    }

  if (vocab->kind == HONE_VOCAB_BPE)
    {
      const HoneGgufArray *merges;
      guint64 n_merges;

      merges = hone_gguf_get_array (gguf, "tokenizer.ggml.merges", &local_error);
      if (merges == NULL || hone_gguf_array_get_type (merges) != HONE_GGUF_TYPE_STRING)
        {
          if (local_error != NULL)
            relay (error, local_error);
          else
            fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
                  "tokenizer.ggml.merges is not an array of strings");
          return NULL;
        }
      n_merges = hone_gguf_array_get_length (merges);
      for (guint64 i = 0; i < n_merges; i++)
        {
          gsize len = 0;
          const char *merge = hone_gguf_array_get_string (merges, i, &len);
          const char *space = len > 1 ? memchr (merge + 1, ' ', len - 1) : NULL;

          /* "LEFT RIGHT", split at the first space after the first byte. */
          if (space == NULL)
            {
              fail (error, gguf, HONE_TOKENIZER_ERROR_INVALID,
                    "merge %" G_GUINT64_FORMAT " has no space between its two parts", i);
              return NULL;
            }
          hone_vocab_add_merge (vocab, merge, space - merge, space + 1,
                                len - (gsize) (space - merge) - 1);
        }

      if (hone_gguf_has_key (gguf, "tokenizer.ggml.pre"))
        {
          pre = hone_gguf_get_string (gguf, "tokenizer.ggml.pre", NULL, &local_error);
          if (pre == NULL)
            {
              relay (error, local_error);
              return NULL;
            }
        }
      if (pre == NULL)
        pre = "default";
      hone_vocab_set_pre (vocab, pre);
      bos = 11, eos = 11, unk = -1;
      add_bos = FALSE, add_eos = FALSE, add_space_prefix = FALSE;
      /* What the preset implies, before the file's own flags. */
      if (g_strv_contains ((const char * const[]) { "llama3", "llama-v3", "llama-bpe", "falcon3",
                                                   "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                                                   "tekken", NULL }, pre))
        {
          vocab->ignore_merges = TRUE;
          add_bos = TRUE;
        }
      else if (strcmp (pre, "chameleon") == 0)
        add_bos = TRUE;
    }
  else
    {
      bos = 1, eos = 2, unk = 0;
      add_bos = TRUE, add_eos = FALSE, add_space_prefix = TRUE;
    }

  if (!read_id (gguf, "tokenizer.ggml.bos_token_id", &bos, error)
      || !read_id (gguf, "tokenizer.ggml.eos_token_id", &eos, error)
      || !read_id (gguf, "tokenizer.ggml.unknown_token_id", &unk, error)
      || !read_bool (gguf, "tokenizer.ggml.add_bos_token", &add_bos, error)
      || !read_bool (gguf, "tokenizer.ggml.add_eos_token", &add_eos, error)
      || !read_bool (gguf, "tokenizer.ggml.add_space_prefix", &add_space_prefix, error))
    return NULL;
  if (bos >= (gint32) n_tokens)
    bos = -1;
  if (eos >= (gint32) n_tokens)
    eos = -1;
  if (unk >= (gint32) n_tokens)
    unk = -1;
  hone_vocab_set_special_ids (vocab, bos, eos, unk);
  hone_vocab_set_add_special (vocab, add_bos, add_eos);
  if (vocab->kind == HONE_VOCAB_SPM)
    hone_vocab_set_add_space_prefix (vocab, add_space_prefix);

  if (!hone_vocab_finish (vocab, &local_error))
    {
      fail (error, gguf, local_error->code, "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&vocab);
}

HoneVocab *
hone_vocab_new_from_gguf (const char  *path,
                          GError     **error)
{
  g_autoptr(HoneGguf) gguf = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gguf = hone_gguf_open (path, &local_error);
  if (gguf == NULL)
    {
      g_set_error_literal (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID,
                           local_error->message);
      return NULL;
    }
  return vocab_from_gguf (gguf, error);
}

HoneVocab *
hone_vocab_new_from_path (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *json = g_build_filename (path, "tokenizer.json", NULL);

      if (!g_file_test (json, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID,
                       "%s: the folder has no tokenizer.json", path);
          return NULL;
        }
      return hone_vocab_new_from_tokenizer_json (json, error);
    }
  if (g_str_has_suffix (path, ".json"))
    return hone_vocab_new_from_tokenizer_json (path, error);
  return hone_vocab_new_from_gguf (path, error);
}
