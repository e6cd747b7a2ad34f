/* hone-vocab-json-write.c — a Hugging Face tokenizer.json from a HoneVocab.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What HF's own converters make of the two GGUF kinds, so that an HF folder written from a
 * GGUF vocabulary tokenizes the same under Hone and under HF `tokenizers`:
 *
 * - byte-level BPE (gpt2): model BPE with the vocabulary and merges, the preset's regexes
 *   as Split (Isolated) pre-tokenizers before a ByteLevel one without its own regex, and
 *   the ByteLevel decoder;
 * - SentencePiece (llama): HF's Llama form, BPE with byte fallback whose merges are every
 *   split of a normal token into two normal tokens, ranked by the joined token's score;
 *   Prepend "▁" and Replace " " → "▁" as the normalizer; the decoder undoes them.
 *
 * Control and unknown tokens become special added tokens, user-defined ones plain added
 * tokens; BOS/EOS the vocabulary adds become a TemplateProcessing post-processor. Tokens
 * that JSON cannot hold (invalid UTF-8, NUL) are refused with their id.
 */
#define G_LOG_DOMAIN "hone-vocab"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "hone-vocab-private.h"

#define SPIECE_UNDERLINE "\xe2\x96\x81"

typedef struct
{
  float  score;
  gint32 left;
  gint32 right;
} SpmMerge;

static const HoneVocabToken *
token_at (HoneVocab *vocab,
          guint      id)
{
  return &g_array_index (vocab->tokens, HoneVocabToken, id);
}

static gboolean
check_texts (HoneVocab  *vocab,
             GError    **error)
{
  for (guint id = 0; id < vocab->tokens->len; id++)
    {
      const HoneVocabToken *t = token_at (vocab, id);
      const char *s = hone_vocab_token_str (vocab, id);

      if (memchr (s, '\0', t->len) != NULL || !g_utf8_validate (s, t->len, NULL))
        {
          g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                       "token %u is not valid UTF-8 text, which tokenizer.json cannot hold", id);
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_member_string (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_bool (JsonBuilder *b,
                 const char  *name,
                 gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_member_int (JsonBuilder *b,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string_pattern (JsonBuilder *b,
                    const char  *kind,
                    const char  *value)
{
  json_builder_set_member_name (b, "pattern");
  json_builder_begin_object (b);
  add_member_string (b, kind, value);
  json_builder_end_object (b);
}

static gboolean
is_added (HoneVocab *vocab,
          guint      id)
{
  HoneTokenType type = token_at (vocab, id)->type;

  return token_at (vocab, id)->len > 0
         && (type == HONE_TOKEN_CONTROL || type == HONE_TOKEN_UNKNOWN
             || type == HONE_TOKEN_USER_DEFINED);
}

static void
write_added_tokens (JsonBuilder *b,
                    HoneVocab   *vocab)
{
  json_builder_set_member_name (b, "added_tokens");
  json_builder_begin_array (b);
  for (guint id = 0; id < vocab->tokens->len; id++)
    {
      const HoneVocabToken *t = token_at (vocab, id);

      if (!is_added (vocab, id))
        continue;
      json_builder_begin_object (b);
      add_member_int (b, "id", id);
      add_member_string (b, "content", hone_vocab_token_str (vocab, id));
      add_member_bool (b, "single_word", FALSE);
      add_member_bool (b, "lstrip", (t->attrs & HONE_TOKEN_ATTR_LSTRIP) != 0);
      add_member_bool (b, "rstrip", (t->attrs & HONE_TOKEN_ATTR_RSTRIP) != 0);
      add_member_bool (b, "normalized", FALSE);
      add_member_bool (b, "special", t->type != HONE_TOKEN_USER_DEFINED);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
write_normalizer (JsonBuilder *b,
                  HoneVocab   *vocab)
{
  static const char *const forms[] = {
    [HONE_NORMALIZE_NFC] = "NFC", [HONE_NORMALIZE_NFD] = "NFD",
    [HONE_NORMALIZE_NFKC] = "NFKC", [HONE_NORMALIZE_NFKD] = "NFKD",
  };
  const char *prepend = vocab->prepend;
  const char *replace_from = vocab->replace_from, *replace_to = vocab->replace_to;

  if (vocab->kind == HONE_VOCAB_SPM)
    {
      prepend = vocab->add_space_prefix ? SPIECE_UNDERLINE : NULL;
      replace_from = " ";
      replace_to = SPIECE_UNDERLINE;
    }
  json_builder_set_member_name (b, "normalizer");
  if (vocab->normalization == HONE_NORMALIZE_NONE && prepend == NULL && replace_from == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_member_string (b, "type", "Sequence");
  json_builder_set_member_name (b, "normalizers");
  json_builder_begin_array (b);
  if (vocab->normalization != HONE_NORMALIZE_NONE)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", forms[vocab->normalization]);
      json_builder_end_object (b);
    }
  if (prepend != NULL)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "Prepend");
      add_member_string (b, "prepend", prepend);
      json_builder_end_object (b);
    }
  if (replace_from != NULL && replace_to != NULL)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "Replace");
      add_string_pattern (b, "String", replace_from);
      add_member_string (b, "content", replace_to);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
write_pre_tokenizer (JsonBuilder *b,
                     HoneVocab   *vocab)
{
  const char * const *regexes = NULL;
  guint n_regexes = 0;

  if (vocab->kind == HONE_VOCAB_BPE)
    {
      if (vocab->pre != NULL)
        regexes = hone_pretokenizer_preset_regexes (vocab->pre);
      else
        regexes = (const char * const *) vocab->pre_regexes->pdata;
      if (regexes != NULL && vocab->pre != NULL)
        n_regexes = g_strv_length ((char **) regexes);
      else if (regexes != NULL)
        n_regexes = vocab->pre_regexes->len;
    }

  json_builder_set_member_name (b, "pre_tokenizer");
  if (n_regexes == 0 && !vocab->byte_level)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_member_string (b, "type", "Sequence");
  json_builder_set_member_name (b, "pretokenizers");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_regexes; i++)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "Split");
      add_string_pattern (b, "Regex", regexes[i]);
      add_member_string (b, "behavior", "Isolated");
      add_member_bool (b, "invert", FALSE);
      json_builder_end_object (b);
    }
  if (vocab->byte_level)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "ByteLevel");
      add_member_bool (b, "add_prefix_space", FALSE);
      add_member_bool (b, "trim_offsets", TRUE);
      add_member_bool (b, "use_regex", FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_special_piece (JsonBuilder *b,
                   HoneVocab   *vocab,
                   gint32       id,
                   guint        type_id)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "SpecialToken");
  json_builder_begin_object (b);
  add_member_string (b, "id", hone_vocab_token_str (vocab, id));
  add_member_int (b, "type_id", type_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_sequence_piece (JsonBuilder *b,
                    const char  *name,
                    guint        type_id)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Sequence");
  json_builder_begin_object (b);
  add_member_string (b, "id", name);
  add_member_int (b, "type_id", type_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_special_entry (JsonBuilder *b,
                   HoneVocab   *vocab,
                   gint32       id)
{
  const char *text = hone_vocab_token_str (vocab, id);

  json_builder_set_member_name (b, text);
  json_builder_begin_object (b);
  add_member_string (b, "id", text);
  json_builder_set_member_name (b, "ids");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, id);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, text);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* BOS/EOS as HF's Llama tokenizer.json adds them; the reader takes them back from here. */
static void
write_post_processor (JsonBuilder *b,
                      HoneVocab   *vocab)
{
  gboolean bos = vocab->add_bos && vocab->bos >= 0 && token_at (vocab, vocab->bos)->len > 0;
  gboolean eos = vocab->add_eos && vocab->eos >= 0 && token_at (vocab, vocab->eos)->len > 0;

  json_builder_set_member_name (b, "post_processor");
  if (!bos && !eos)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_member_string (b, "type", "TemplateProcessing");
  json_builder_set_member_name (b, "single");
  json_builder_begin_array (b);
  if (bos)
    add_special_piece (b, vocab, vocab->bos, 0);
  add_sequence_piece (b, "A", 0);
  if (eos)
    add_special_piece (b, vocab, vocab->eos, 0);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pair");
  json_builder_begin_array (b);
  if (bos)
    add_special_piece (b, vocab, vocab->bos, 0);
  add_sequence_piece (b, "A", 0);
  if (eos)
    add_special_piece (b, vocab, vocab->eos, 0);
  if (bos)
    add_special_piece (b, vocab, vocab->bos, 1);
  add_sequence_piece (b, "B", 1);
  if (eos)
    add_special_piece (b, vocab, vocab->eos, 1);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "special_tokens");
  json_builder_begin_object (b);
  if (bos)
    add_special_entry (b, vocab, vocab->bos);
  if (eos && (!bos || vocab->eos != vocab->bos))
    add_special_entry (b, vocab, vocab->eos);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
write_decoder (JsonBuilder *b,
               HoneVocab   *vocab)
{
  gboolean metaspace = vocab->kind == HONE_VOCAB_SPM
                       || g_strcmp0 (vocab->replace_to, SPIECE_UNDERLINE) == 0;

  json_builder_set_member_name (b, "decoder");
  if (vocab->byte_level)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "ByteLevel");
      add_member_bool (b, "add_prefix_space", TRUE);
      add_member_bool (b, "trim_offsets", TRUE);
      add_member_bool (b, "use_regex", TRUE);
      json_builder_end_object (b);
      return;
    }
  if (!metaspace)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_member_string (b, "type", "Sequence");
  json_builder_set_member_name (b, "decoders");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_member_string (b, "type", "Replace");
  add_string_pattern (b, "String", SPIECE_UNDERLINE);
  add_member_string (b, "content", " ");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  add_member_string (b, "type", "ByteFallback");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  add_member_string (b, "type", "Fuse");
  json_builder_end_object (b);
  if (vocab->strip_leading_space_on_decode)
    {
      json_builder_begin_object (b);
      add_member_string (b, "type", "Strip");
      add_member_string (b, "content", " ");
      add_member_int (b, "start", 1);
      add_member_int (b, "stop", 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
compare_spm_merges (gconstpointer a,
                    gconstpointer b)
{
  const SpmMerge *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->left != y->left)
    return x->left < y->left ? -1 : 1;
  return (x->right > y->right) - (x->right < y->right);
}

static int
compare_ranks (gconstpointer a,
               gconstpointer b)
{
  const HoneVocabMerge *x = *(const HoneVocabMerge * const *) a;
  const HoneVocabMerge *y = *(const HoneVocabMerge * const *) b;

  return (x->rank > y->rank) - (x->rank < y->rank);
}

static void
add_merge (JsonBuilder *b,
           HoneVocab   *vocab,
           gint32       left,
           gint32       right)
{
  json_builder_begin_array (b);
  json_builder_add_string_value (b, hone_vocab_token_str (vocab, left));
  json_builder_add_string_value (b, hone_vocab_token_str (vocab, right));
  json_builder_end_array (b);
}

/* SentencePiece merges by score, as HF's Llama converter ranks them: every way to cut a
 * normal token into two normal tokens, the better the joined token's score the earlier. */
static void
write_spm_merges (JsonBuilder *b,
                  HoneVocab   *vocab)
{
  g_autoptr(GArray) merges = g_array_new (FALSE, FALSE, sizeof (SpmMerge));

  for (guint id = 0; id < vocab->tokens->len; id++)
    {
      const HoneVocabToken *t = token_at (vocab, id);
      const char *s = hone_vocab_token_str (vocab, id);

      if (t->type != HONE_TOKEN_NORMAL || hone_vocab_lookup (vocab, s, t->len) != (gint32) id)
        continue;
      for (const char *cut = g_utf8_next_char (s); cut < s + t->len; cut = g_utf8_next_char (cut))
        {
          gint32 left = hone_vocab_lookup (vocab, s, cut - s);
          gint32 right = hone_vocab_lookup (vocab, cut, s + t->len - cut);
          SpmMerge m = { t->score, left, right };

          if (left < 0 || right < 0 || token_at (vocab, left)->type != HONE_TOKEN_NORMAL
              || token_at (vocab, right)->type != HONE_TOKEN_NORMAL)
            continue;
          g_array_append_val (merges, m);
        }
    }
  g_array_sort (merges, compare_spm_merges);
  for (guint i = 0; i < merges->len; i++)
    {
      SpmMerge *m = &g_array_index (merges, SpmMerge, i);
      add_merge (b, vocab, m->left, m->right);
    }
}

/* BPE merges in rank order; HF refuses a merge whose joined text is not a token. */
static void
write_bpe_merges (JsonBuilder *b,
                  HoneVocab   *vocab)
{
  g_autoptr(GPtrArray) merges = g_ptr_array_sized_new (vocab->n_merges);

  for (guint32 i = 0; i < vocab->n_merge_slots; i++)
    if (vocab->merges[i].key != 0 && vocab->merges[i].result >= 0)
      g_ptr_array_add (merges, &vocab->merges[i]);
  g_ptr_array_sort (merges, compare_ranks);
  for (guint i = 0; i < merges->len; i++)
    {
      const HoneVocabMerge *m = g_ptr_array_index (merges, i);
      guint64 pair = m->key - 1;

      add_merge (b, vocab, (gint32) (pair >> 32), (gint32) (guint32) pair);
    }
}

static void
write_model (JsonBuilder *b,
             HoneVocab   *vocab)
{
  gboolean spm = vocab->kind == HONE_VOCAB_SPM;

  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  add_member_string (b, "type", "BPE");
  add_member_string (b, "dropout", NULL);
  add_member_string (b, "unk_token",
                     vocab->unk >= 0 ? hone_vocab_token_str (vocab, vocab->unk) : NULL);
  add_member_string (b, "continuing_subword_prefix", NULL);
  add_member_string (b, "end_of_word_suffix", NULL);
  add_member_bool (b, "fuse_unk", spm || vocab->fuse_unk);
  add_member_bool (b, "byte_fallback", spm || vocab->byte_fallback_json);
  add_member_bool (b, "ignore_merges", vocab->ignore_merges);

  json_builder_set_member_name (b, "vocab");
  json_builder_begin_object (b);
  for (guint id = 0; id < vocab->tokens->len; id++)
    {
      const char *s = hone_vocab_token_str (vocab, id);

      /* a repeated text keeps its first id, as HF's converters do */
      if (hone_vocab_lookup (vocab, s, token_at (vocab, id)->len) != (gint32) id
          || (token_at (vocab, id)->len == 0 && token_at (vocab, id)->type == HONE_TOKEN_UNUSED))
        continue;
      add_member_int (b, s, id);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "merges");
  json_builder_begin_array (b);
  if (spm)
    write_spm_merges (b, vocab);
  else
    write_bpe_merges (b, vocab);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/**
 * hone_vocab_to_tokenizer_json:
 * @vocab: a sealed vocabulary
 * @len: (out) (optional): the length of the text
 * @error: an error, or %NULL
 *
 * Returns: (transfer full): the text of a tokenizer.json holding @vocab, or %NULL with
 * an error when a token cannot be written as JSON.
 */
char *
hone_vocab_to_tokenizer_json (HoneVocab  *vocab,
                              gsize      *len,
                              GError    **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (vocab != NULL && vocab->sealed, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_texts (vocab, error))
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  add_member_string (b, "version", "1.0");
  add_member_string (b, "truncation", NULL);
  add_member_string (b, "padding", NULL);
  write_added_tokens (b, vocab);
  write_normalizer (b, vocab);
  write_pre_tokenizer (b, vocab);
  write_post_processor (b, vocab);
  write_decoder (b, vocab);
  write_model (b, vocab);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, len);
}

/**
 * hone_vocab_write_tokenizer_json:
 * @vocab: a sealed vocabulary
 * @path: the file to write (replaced atomically)
 * @error: an error, or %NULL
 *
 * Returns: %TRUE when @path holds a tokenizer.json of @vocab.
 */
gboolean
hone_vocab_write_tokenizer_json (HoneVocab   *vocab,
                                 const char  *path,
                                 GError     **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (vocab != NULL && vocab->sealed, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = hone_vocab_to_tokenizer_json (vocab, &len, error);
  if (data == NULL)
    return FALSE;
  return g_file_set_contents (path, data, len, error);
}
