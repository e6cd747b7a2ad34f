/* hone-template-model.c — a model's chat template and special tokens; training masks.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-template"

#include "config.h"

#include <string.h>

#include "model/hone-gguf.h"
#include "hone-jinja.h"
#include "hone-template.h"
#include "hone-tokenizer.h"
#include "hone-vocab.h"

void
hone_chat_template_free (HoneChatTemplate *self)
{
  if (self == NULL)
    return;
  g_free (self->source);
  g_free (self->bos_token);
  g_free (self->eos_token);
  g_free (self);
}

static char *
gguf_token_text (HoneGguf   *gguf,
                 const char *id_key)
{
  const HoneGgufArray *tokens;
  guint32 id;

  if (!hone_gguf_has_key (gguf, id_key) || !hone_gguf_get_u32 (gguf, id_key, &id, NULL))
    return NULL;
  tokens = hone_gguf_get_array (gguf, "tokenizer.ggml.tokens", NULL);
  if (tokens == NULL || id >= hone_gguf_array_get_length (tokens))
    return NULL;
  return hone_gguf_array_dup_string (tokens, id);
}

/* A member's string, or NULL; json_object_get_string_member_with_default() is critical
 * about objects and arrays, which a file may hold anywhere. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* tokenizer_config.json writes special tokens as a string or {"content": …}. */
static char *
config_token (JsonObject *config,
              const char *key)
{
  JsonNode *node = json_object_get_member (config, key);

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *content = string_member (json_node_get_object (node), "content");

      return g_strdup (content);
    }
  return NULL;
}

/* chat_template is a string, or a list of {"name", "template"}: take "default". */
static char *
config_template (JsonObject *config)
{
  JsonNode *node = json_object_get_member (config, "chat_template");

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          JsonObject *object;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          object = json_node_get_object (item);
          if (g_strcmp0 (string_member (object, "name"),
                         "default") == 0)
            return g_strdup (string_member (object, "template"));
        }
    }
  return NULL;
}

static gboolean
vocab_has_token (const char *token,
                 gpointer    user_data)
{
  return hone_vocab_find_token (user_data, token, -1) >= 0;
}

HoneChatTemplate *
hone_chat_template_load (const char  *model_path,
                         GError     **error)
{
  g_autoptr(HoneChatTemplate) self = g_new0 (HoneChatTemplate, 1);

  g_return_val_if_fail (model_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (model_path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *config_path = g_build_filename (model_path, "tokenizer_config.json",
                                                       NULL);
      g_autofree char *jinja_path = g_build_filename (model_path, "chat_template.jinja", NULL);

      if (g_file_test (config_path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonNode *root;

          if (!json_parser_load_from_file (parser, config_path, error))
            {
              g_prefix_error (error, "%s: ", config_path);
              return NULL;
            }
          root = json_parser_get_root (parser);
          if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
            {
              JsonObject *config = json_node_get_object (root);

              self->source = config_template (config);
              self->bos_token = config_token (config, "bos_token");
              self->eos_token = config_token (config, "eos_token");
            }
        }
      if (self->source == NULL && g_file_test (jinja_path, G_FILE_TEST_EXISTS)
          && !g_file_get_contents (jinja_path, &self->source, NULL, error))
        return NULL;
    }
  else
    {
      HoneGguf *gguf = hone_gguf_open (model_path, error);

      if (gguf == NULL)
        return NULL;
      if (hone_gguf_get_key_type (gguf, "tokenizer.chat_template") == HONE_GGUF_TYPE_STRING)
        self->source = g_strdup (hone_gguf_get_string (gguf, "tokenizer.chat_template", NULL,
                                                       NULL));
      self->bos_token = gguf_token_text (gguf, "tokenizer.ggml.bos_token_id");
      self->eos_token = gguf_token_text (gguf, "tokenizer.ggml.eos_token_id");
      hone_gguf_free (gguf);
    }

  if (self->source == NULL)
    {
      g_autoptr(HoneVocab) vocab = hone_vocab_new_from_path (model_path, error);
      const char *builtin;

      if (vocab == NULL)
        return NULL;
      builtin = hone_template_guess (vocab_has_token, vocab);
      if (builtin != NULL)
        {
          self->source = g_strdup (builtin);
          self->is_builtin = TRUE;
        }
    }
  return g_steal_pointer (&self);
}

/* How many bytes of @text the token piece @p covers, or -1. A space in the piece may
 * stand for "▁" (U+2581) in the text, which SentencePiece vocabularies decode as one. */
static gssize
match_piece (const char *text,
             gsize       text_len,
             const char *p,
             gsize       n)
{
  gsize t = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (t < text_len && text[t] == p[i])
        t++;
      else if (p[i] == ' ' && t + 3 <= text_len && memcmp (text + t, "\xe2\x96\x81", 3) == 0)
        t += 3;
      else
        return -1;
    }
  return t;
}

/* Whether tokens @i … @i + 2 are the byte tokens of "▁" (U+2581), the space prefix a
 * SentencePiece tokenizer inserts, spelled in bytes by a vocabulary that lacks it. */
static gboolean
is_inserted_prefix (HoneTokenizer *tokenizer,
                    GArray        *ids,
                    guint          i)
{
  HoneVocab *vocab = hone_tokenizer_get_vocab (tokenizer);
  g_autoptr(GString) bytes = g_string_new (NULL);

  if (i + 3 > ids->len)
    return FALSE;
  for (guint k = i; k < i + 3; k++)
    {
      gint32 id = g_array_index (ids, gint32, k);

      if (hone_vocab_get_token_type (vocab, id) != HONE_TOKEN_BYTE
          || !hone_tokenizer_append_piece (tokenizer, id, HONE_DECODE_SPECIAL, bytes, NULL))
        return FALSE;
    }
  return bytes->len == 3 && memcmp (bytes->str, "\xe2\x96\x81", 3) == 0;
}

gboolean
hone_template_mask (HoneTokenizer *tokenizer,
                    const char   *text,
                    GArray       *assistant_spans,
                    GArray      **ids_out,
                    GArray      **mask_out,
                    GError      **error)
{
  HoneVocab *vocab = hone_tokenizer_get_vocab (tokenizer);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) mask = NULL;
  g_autoptr(GString) piece = g_string_new (NULL);
  g_autofree gsize *starts = NULL;
  g_autofree gsize *ends = NULL;
  gsize len = strlen (text), pos = 0;

  g_return_val_if_fail (tokenizer != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  hone_tokenizer_encode (tokenizer, text, -1, HONE_ENCODE_PARSE_SPECIAL, ids);
  mask = g_array_sized_new (FALSE, TRUE, sizeof (guint8), ids->len);
  g_array_set_size (mask, ids->len);
  starts = g_new0 (gsize, ids->len + 1);
  ends = g_new0 (gsize, ids->len + 1);

  /* Where each token lies in @text: its piece, less a space the tokenizer inserted
   * (SentencePiece's prefix at the start and after special tokens). */
  for (guint i = 0; i < ids->len; i++)
    {
      gint32 id = g_array_index (ids, gint32, i);
      gssize n;

      g_string_truncate (piece, 0);
      if (!hone_tokenizer_append_piece (tokenizer, id, HONE_DECODE_SPECIAL, piece, error))
        return FALSE;
      n = match_piece (text + pos, len - pos, piece->str, piece->len);
      if (n < 0 && piece->len > 0 && piece->str[0] == ' ')
        n = match_piece (text + pos, len - pos, piece->str + 1, piece->len - 1);
      if (n < 0 && is_inserted_prefix (tokenizer, ids, i))
        {
          /* A vocabulary without a "▁" token spells it as its three bytes: they stand for
           * a space of the text, or for nothing where the tokenizer inserted the space. */
          gsize width = pos < len && text[pos] == ' ' ? 1 : 0;

          for (guint k = i; k < i + 3; k++)
            {
              starts[k] = pos;
              ends[k] = pos + width;
            }
          pos += width;
          i += 2;
          continue;
        }
      if (n < 0)
        {
          g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RENDER,
                       "cannot line token %u (id %d) up with the rendered text at byte %"
                       G_GSIZE_FORMAT, i, id, pos);
          return FALSE;
        }
      starts[i] = pos;
      pos += n;
      ends[i] = pos;
    }

  for (guint s = 0; assistant_spans != NULL && s < assistant_spans->len; s++)
    {
      HoneJinjaSpan *span = &g_array_index (assistant_spans, HoneJinjaSpan, s);
      gint last = -1;

      for (guint i = 0; i < ids->len; i++)
        if (starts[i] < span->end && ends[i] > span->start)
          {
            g_array_index (mask, guint8, i) = 1;
            last = i;
          }
      /* The end-of-turn marker the reply is followed by, so the model learns to stop. */
      if (last >= 0 && (guint) last + 1 < ids->len)
        {
          gint32 next = g_array_index (ids, gint32, last + 1);

          if (hone_vocab_get_token_type (vocab, next) == HONE_TOKEN_CONTROL
              || next == hone_vocab_get_eos (vocab))
            g_array_index (mask, guint8, last + 1) = 1;
        }
    }
  *ids_out = g_steal_pointer (&ids);
  *mask_out = g_steal_pointer (&mask);
  return TRUE;
}
