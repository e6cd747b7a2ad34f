/* hone-vocab.c — building and querying a vocabulary.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Token texts live in one string; an open-addressing table maps a text (any byte span,
 * no copy needed) to its id, and another maps a pair of ids to its merge. Both are
 * looked up on the tokenizer's hot path, so neither allocates.
 */
#define G_LOG_DOMAIN "hone-vocab"

#include "config.h"

#include <string.h>

#include "hone-vocab-private.h"

G_DEFINE_QUARK (hone-tokenizer-error-quark, hone_tokenizer_error)

HoneVocab *
hone_vocab_new (HoneVocabKind kind)
{
  HoneVocab *self = g_new0 (HoneVocab, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->text = g_string_new (NULL);
  self->tokens = g_array_new (FALSE, FALSE, sizeof (HoneVocabToken));
  self->pending_merges = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->pre_regexes = g_ptr_array_new_with_free_func (g_free);
  self->special_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->bos = self->eos = self->unk = -1;
  if (kind == HONE_VOCAB_SPM)
    {
      self->add_bos = TRUE;
      self->add_space_prefix = TRUE;
      self->strip_leading_space_on_decode = TRUE;
    }
  else
    self->byte_level = TRUE;
  return self;
}

HoneVocab *
hone_vocab_ref (HoneVocab *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hone_vocab_unref (HoneVocab *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_string_free (self->text, TRUE);
  g_array_unref (self->tokens);
  g_free (self->slots);
  g_free (self->merges);
  g_clear_pointer (&self->pending_merges, g_array_unref);
  g_free (self->pre);
  g_ptr_array_unref (self->pre_regexes);
  g_clear_pointer (&self->pretokenizer, hone_pretokenizer_free);
  g_array_unref (self->special_ids);
  g_free (self->prepend);
  g_free (self->replace_from);
  g_free (self->replace_to);
  g_free (self);
}

static inline guint32
hash_bytes (const char *text,
            gsize       len)
{
  /* FNV-1a: short keys, no setup; good enough spread for a power-of-two table. */
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guint8) text[i];
      h *= 16777619u;
    }
  return h ^ (h >> 15);
}

gint32
hone_vocab_lookup (const HoneVocab *self,
                   const char      *text,
                   gsize            len)
{
  guint32 mask;

  if (self->n_slots == 0)
    return -1;
  mask = self->n_slots - 1;
  for (guint32 i = hash_bytes (text, len) & mask;; i = (i + 1) & mask)
    {
      guint32 slot = self->slots[i];
      const HoneVocabToken *token;

      if (slot == 0)
        return -1;
      token = &g_array_index (self->tokens, HoneVocabToken, slot - 1);
      if (token->len == len && memcmp (self->text->str + token->offset, text, len) == 0)
        return (gint32) (slot - 1);
    }
}

static void
insert_slot (HoneVocab *self,
             guint32    id)
{
  const HoneVocabToken *token = &g_array_index (self->tokens, HoneVocabToken, id);
  const char *text = self->text->str + token->offset;
  guint32 mask = self->n_slots - 1;

  for (guint32 i = hash_bytes (text, token->len) & mask;; i = (i + 1) & mask)
    {
      guint32 slot = self->slots[i];

      if (slot == 0)
        {
          self->slots[i] = id + 1;
          return;
        }
      /* A duplicate text keeps its first id, as a map insert would. */
      if (g_array_index (self->tokens, HoneVocabToken, slot - 1).len == token->len
          && memcmp (self->text->str + g_array_index (self->tokens, HoneVocabToken,
                                                      slot - 1).offset,
                     text, token->len) == 0)
        return;
    }
}

static void
grow_slots (HoneVocab *self)
{
  guint32 n = 64;

  while (n < self->tokens->len * 2 + 2)
    n *= 2;
  if (n == self->n_slots)
    return;
  g_free (self->slots);
  self->slots = g_new0 (guint32, n);
  self->n_slots = n;
  for (guint32 id = 0; id < self->tokens->len; id++)
    insert_slot (self, id);
}

void
hone_vocab_add_token (HoneVocab     *self,
                      const char    *text,
                      gssize         len,
                      float          score,
                      HoneTokenType  type)
{
  HoneVocabToken token = { 0 };

  g_return_if_fail (self != NULL && !self->sealed);
  g_return_if_fail (text != NULL || len == 0);

  if (len < 0)
    len = strlen (text);
  token.offset = self->text->len;
  token.len = (guint32) len;
  token.score = score;
  token.type = (guint8) type;
  g_string_append_len (self->text, text, len);
  g_string_append_c (self->text, '\0');
  g_array_append_val (self->tokens, token);

  if (self->tokens->len * 2 + 2 > self->n_slots)
    grow_slots (self);
  else
    insert_slot (self, self->tokens->len - 1);
}

void
hone_vocab_set_token_attrs (HoneVocab     *self,
                            guint          id,
                            HoneTokenAttr  attrs)
{
  g_return_if_fail (self != NULL && !self->sealed);
  g_return_if_fail (id < self->tokens->len);

  g_array_index (self->tokens, HoneVocabToken, id).attrs = (guint8) attrs;
}

void
hone_vocab_add_merge (HoneVocab  *self,
                      const char *left,
                      gssize      left_len,
                      const char *right,
                      gssize      right_len)
{
  gint32 l, r;
  guint64 pair;

  g_return_if_fail (self != NULL && !self->sealed);

  l = hone_vocab_lookup (self, left, left_len < 0 ? strlen (left) : (gsize) left_len);
  r = hone_vocab_lookup (self, right, right_len < 0 ? strlen (right) : (gsize) right_len);
  /* The rank is the position in the list, whether or not the pair is usable. */
  pair = l < 0 || r < 0 ? G_MAXUINT64 : ((guint64) (guint32) l << 32) | (guint32) r;
  g_array_append_val (self->pending_merges, pair);
}

void
hone_vocab_set_pre (HoneVocab  *self,
                    const char *pre)
{
  g_return_if_fail (self != NULL && !self->sealed);

  g_free (self->pre);
  self->pre = g_strdup (pre);
}

void
hone_vocab_add_pre_regex (HoneVocab  *self,
                          const char *regex)
{
  g_return_if_fail (self != NULL && !self->sealed);
  g_return_if_fail (regex != NULL);

  g_ptr_array_add (self->pre_regexes, g_strdup (regex));
}

void
hone_vocab_set_byte_level (HoneVocab *self,
                           gboolean   byte_level)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->byte_level = !!byte_level;
}

void
hone_vocab_set_special_ids (HoneVocab *self,
                            gint32     bos,
                            gint32     eos,
                            gint32     unk)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->bos = bos;
  self->eos = eos;
  self->unk = unk;
}

void
hone_vocab_set_add_special (HoneVocab *self,
                            gboolean   add_bos,
                            gboolean   add_eos)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->add_bos = !!add_bos;
  self->add_eos = !!add_eos;
}

void
hone_vocab_set_add_space_prefix (HoneVocab *self,
                                 gboolean   add_space_prefix)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->add_space_prefix = !!add_space_prefix;
  self->strip_leading_space_on_decode = !!add_space_prefix;
}

void
hone_vocab_set_ignore_merges (HoneVocab *self,
                              gboolean   ignore_merges)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->ignore_merges = !!ignore_merges;
}

void
hone_vocab_set_normalization (HoneVocab         *self,
                              HoneNormalization  normalization)
{
  g_return_if_fail (self != NULL && !self->sealed);
  self->normalization = normalization;
}

static void
build_merges (HoneVocab *self)
{
  GArray *pending = self->pending_merges;
  guint32 n = 64;

  while (n < pending->len * 2 + 2)
    n *= 2;
  self->n_merge_slots = pending->len > 0 ? n : 0;
  self->merges = pending->len > 0 ? g_new0 (HoneVocabMerge, n) : NULL;
  self->n_merges = 0;

  for (guint rank = 0; rank < pending->len; rank++)
    {
      guint64 pair = g_array_index (pending, guint64, rank);
      guint64 key, h;
      guint32 mask = n - 1;
      guint32 left, right;
      gsize llen, rlen;
      g_autofree char *joined = NULL;

      if (pair == G_MAXUINT64)
        continue;
      key = pair + 1;
      left = (guint32) (pair >> 32);
      right = (guint32) pair;
      h = key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
      for (guint32 i = (guint32) (h >> 32) & mask;; i = (i + 1) & mask)
        {
          HoneVocabMerge *m = &self->merges[i];

          if (m->key == key)
            break;  /* a repeated pair keeps its best rank */
          if (m->key == 0)
            {
              llen = g_array_index (self->tokens, HoneVocabToken, left).len;
              rlen = g_array_index (self->tokens, HoneVocabToken, right).len;
              joined = g_malloc (llen + rlen);
              memcpy (joined, hone_vocab_token_str (self, left), llen);
              memcpy (joined + llen, hone_vocab_token_str (self, right), rlen);
              m->key = key;
              m->rank = (gint32) rank;
              m->result = hone_vocab_lookup (self, joined, llen + rlen);
              self->n_merges++;
              break;
            }
        }
    }
  g_clear_pointer (&self->pending_merges, g_array_unref);
}

static int
compare_special (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  HoneVocab *self = user_data;
  gint32 ia = *(const gint32 *) a, ib = *(const gint32 *) b;
  guint32 la = g_array_index (self->tokens, HoneVocabToken, ia).len;
  guint32 lb = g_array_index (self->tokens, HoneVocabToken, ib).len;

  if (la != lb)
    return la > lb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

gboolean
hone_vocab_finish (HoneVocab  *self,
                   GError    **error)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL && !self->sealed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = self->tokens->len;
  if (n == 0)
    {
      g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID,
                   "the vocabulary has no tokens");
      return FALSE;
    }
  if (self->bos >= (gint32) n || self->eos >= (gint32) n || self->unk >= (gint32) n)
    {
      g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID,
                   "a special token id (bos %d, eos %d, unknown %d) is outside the "
                   "vocabulary of %u tokens", self->bos, self->eos, self->unk, n);
      return FALSE;
    }
  if (self->bos < 0)
    self->add_bos = FALSE;
  if (self->eos < 0)
    self->add_eos = FALSE;

  if (self->kind == HONE_VOCAB_BPE)
    {
      const char * const *regexes;

      if (self->pre != NULL)
        {
          regexes = hone_pretokenizer_preset_regexes (self->pre);
          if (regexes == NULL)
            {
              g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                           "unknown pre-tokenizer “%s”", self->pre);
              return FALSE;
            }
        }
      else
        {
          g_ptr_array_add (self->pre_regexes, NULL);
          regexes = (const char * const *) self->pre_regexes->pdata;
        }
      self->pretokenizer = hone_pretokenizer_new (regexes, error);
      if (self->pre == NULL)
        g_ptr_array_remove_index (self->pre_regexes, self->pre_regexes->len - 1);
      if (self->pretokenizer == NULL)
        return FALSE;
    }
  build_merges (self);

  for (guint b = 0; b < 256; b++)
    {
      gsize len;
      const char *c = hone_byte_level_encode ((guint8) b, &len);

      self->byte_token[b] = hone_vocab_lookup (self, c, len);
    }

  self->spm_splittable = self->kind == HONE_VOCAB_SPM;
  for (guint id = 0; id < n && self->spm_splittable; id++)
    {
      const HoneVocabToken *token = &g_array_index (self->tokens, HoneVocabToken, id);
      const char *text = self->text->str + token->offset;

      for (guint32 i = 1; i + 3 <= token->len && self->spm_splittable; i++)
        if (memcmp (text + i, "\xe2\x96\x81", 3) == 0
            && (i < 3 || memcmp (text + i - 3, "\xe2\x96\x81", 3) != 0))
          self->spm_splittable = FALSE;
    }

  for (guint id = 0; id < n; id++)
    {
      const HoneVocabToken *token = &g_array_index (self->tokens, HoneVocabToken, id);

      if (token->len > 0 && (token->type == HONE_TOKEN_CONTROL
                             || token->type == HONE_TOKEN_USER_DEFINED
                             || token->type == HONE_TOKEN_UNKNOWN))
        {
          gint32 sid = (gint32) id;
          g_array_append_val (self->special_ids, sid);
        }
    }
  g_array_sort_with_data (self->special_ids, compare_special, self);
  for (guint i = 0; i < self->special_ids->len; i++)
    g_array_index (self->tokens, HoneVocabToken,
                   g_array_index (self->special_ids, gint32, i)).rank = i;
  self->sealed = TRUE;
  return TRUE;
}

HoneVocabKind
hone_vocab_get_kind (HoneVocab *self)
{
  g_return_val_if_fail (self != NULL, HONE_VOCAB_SPM);
  return self->kind;
}

guint
hone_vocab_get_n_tokens (HoneVocab *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tokens->len;
}

const char *
hone_vocab_get_pre (HoneVocab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pre;
}

const char *
hone_vocab_get_token_text (HoneVocab *self,
                           guint      id,
                           gsize     *len)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < self->tokens->len, NULL);

  if (len != NULL)
    *len = g_array_index (self->tokens, HoneVocabToken, id).len;
  return hone_vocab_token_str (self, id);
}

HoneTokenType
hone_vocab_get_token_type (HoneVocab *self,
                           guint      id)
{
  g_return_val_if_fail (self != NULL, HONE_TOKEN_UNDEFINED);
  g_return_val_if_fail (id < self->tokens->len, HONE_TOKEN_UNDEFINED);
  return g_array_index (self->tokens, HoneVocabToken, id).type;
}

float
hone_vocab_get_token_score (HoneVocab *self,
                            guint      id)
{
  g_return_val_if_fail (self != NULL, 0.f);
  g_return_val_if_fail (id < self->tokens->len, 0.f);
  return g_array_index (self->tokens, HoneVocabToken, id).score;
}

gint32
hone_vocab_find_token (HoneVocab  *self,
                       const char *text,
                       gssize      len)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (text != NULL || len == 0, -1);
  return hone_vocab_lookup (self, text, len < 0 ? strlen (text) : (gsize) len);
}

gint32 hone_vocab_get_bos (HoneVocab *self) { g_return_val_if_fail (self != NULL, -1); return self->bos; }
gint32 hone_vocab_get_eos (HoneVocab *self) { g_return_val_if_fail (self != NULL, -1); return self->eos; }
gint32 hone_vocab_get_unk (HoneVocab *self) { g_return_val_if_fail (self != NULL, -1); return self->unk; }
gboolean hone_vocab_get_add_bos (HoneVocab *self) { g_return_val_if_fail (self != NULL, FALSE); return self->add_bos; }
gboolean hone_vocab_get_add_eos (HoneVocab *self) { g_return_val_if_fail (self != NULL, FALSE); return self->add_eos; }

/* GPT-2's map: printable bytes stand for themselves, the other 68 are shifted to U+0100
 * onwards in byte order, so every byte is a visible character. */
static char byte_chars[256][3];
static guint8 byte_char_len[256];
static gint16 char_bytes[512];

static void
init_byte_level (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      guint next = 256;

      for (guint i = 0; i < G_N_ELEMENTS (char_bytes); i++)
        char_bytes[i] = -1;
      for (guint b = 0; b < 256; b++)
        {
          gunichar c;
          gboolean printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac)
                               || (b >= 0xae && b <= 0xff);

          c = printable ? b : next++;
          byte_char_len[b] = (guint8) g_unichar_to_utf8 (c, byte_chars[b]);
          char_bytes[c] = (gint16) b;
        }
      g_once_init_leave (&done, 1);
    }
}

const char *
hone_byte_level_encode (guint8  byte,
                        gsize  *len)
{
  init_byte_level ();
  *len = byte_char_len[byte];
  return byte_chars[byte];
}

int
hone_byte_level_decode (gunichar c)
{
  init_byte_level ();
  return c < G_N_ELEMENTS (char_bytes) ? char_bytes[c] : -1;
}
