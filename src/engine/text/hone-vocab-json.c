/* hone-vocab-json.c — a vocabulary from a Hugging Face tokenizer.json.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads model.type "BPE" (merges as "a b" strings or [a, b] pairs), added_tokens, the
 * normalizer (NFC/NFD/NFKC/NFKD, Prepend, Replace of a string, Sequence), the
 * pre_tokenizer (ByteLevel, Split with a regex or string, Digits, Metaspace, Sequence)
 * and the post_processor's BOS/EOS. Anything else is refused with its name, so a
 * tokenizer is never silently approximated.
 */
#define G_LOG_DOMAIN "hone-vocab"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "hone-vocab-private.h"

#define GPT2_PATTERN "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"

typedef struct
{
  const char *name;
  HoneVocab  *vocab;
  GError    **error;
  gboolean    byte_level;
  gboolean    metaspace;
} Loader;

static gboolean
fail (Loader     *loader,
      int         code,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Loader     *loader,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (loader->error, HONE_TOKENIZER_ERROR, code, "%s: %s", loader->name, message);
  return FALSE;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* json_array_get_object_element() is critical about other types; a file may hold any. */
static JsonObject *
get_object_element (JsonArray *array,
                    guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *object,
          const char *member,
          gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
is_null (JsonObject *object,
         const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
read_normalizer (Loader     *loader,
                 JsonObject *object)
{
  HoneVocab *vocab = loader->vocab;
  const char *type = get_string (object, "type");

  if (type == NULL)
    return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "a normalizer has no type");
  if (strcmp (type, "Sequence") == 0)
    {
      JsonArray *list = get_array (object, "normalizers");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "a normalizer is not an object");
          if (!read_normalizer (loader, json_node_get_object (node)))
            return FALSE;
        }
      return TRUE;
    }
  if (strcmp (type, "NFC") == 0)
    vocab->normalization = HONE_NORMALIZE_NFC;
  else if (strcmp (type, "NFD") == 0)
    vocab->normalization = HONE_NORMALIZE_NFD;
  else if (strcmp (type, "NFKC") == 0)
    vocab->normalization = HONE_NORMALIZE_NFKC;
  else if (strcmp (type, "NFKD") == 0)
    vocab->normalization = HONE_NORMALIZE_NFKD;
  else if (strcmp (type, "Prepend") == 0 && get_string (object, "prepend") != NULL
           && vocab->prepend == NULL)
    vocab->prepend = g_strdup (get_string (object, "prepend"));
  else if (strcmp (type, "Replace") == 0 && get_string (get_object (object, "pattern"), "String")
           && get_string (object, "content") != NULL && vocab->replace_from == NULL)
    {
      vocab->replace_from = g_strdup (get_string (get_object (object, "pattern"), "String"));
      vocab->replace_to = g_strdup (get_string (object, "content"));
    }
  else
    return fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                 "normalizer “%s” is not supported", type);
  return TRUE;
}

static gboolean
read_pre_tokenizer (Loader     *loader,
                    JsonObject *object)
{
  HoneVocab *vocab = loader->vocab;
  const char *type = get_string (object, "type");

  if (type == NULL)
    return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "a pre_tokenizer has no type");
  if (strcmp (type, "Sequence") == 0)
    {
      JsonArray *list = get_array (object, "pretokenizers");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "a pre_tokenizer is not an object");
          if (!read_pre_tokenizer (loader, json_node_get_object (node)))
            return FALSE;
        }
      return TRUE;
    }
  if (strcmp (type, "ByteLevel") == 0)
    {
      if (get_bool (object, "add_prefix_space", FALSE))
        return fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                     "pre_tokenizer ByteLevel with add_prefix_space is not supported");
      loader->byte_level = TRUE;
      if (get_bool (object, "use_regex", TRUE))
        hone_vocab_add_pre_regex (vocab, GPT2_PATTERN);
      return TRUE;
    }
  if (strcmp (type, "Split") == 0)
    {
      JsonObject *pattern = get_object (object, "pattern");
      const char *behavior = get_string (object, "behavior");
      const char *regex = get_string (pattern, "Regex");
      const char *string = get_string (pattern, "String");

      if (behavior == NULL || strcmp (behavior, "Isolated") != 0 || get_bool (object, "invert", FALSE))
        return fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                     "pre_tokenizer Split with behavior “%s”%s is not supported",
                     behavior ? behavior : "(none)",
                     get_bool (object, "invert", FALSE) ? " inverted" : "");
      if (regex != NULL)
        hone_vocab_add_pre_regex (vocab, regex);
      else if (string != NULL)
        {
          g_autofree char *escaped = g_regex_escape_string (string, -1);
          hone_vocab_add_pre_regex (vocab, escaped);
        }
      else
        return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "pre_tokenizer Split has no pattern");
      return TRUE;
    }
  if (strcmp (type, "Digits") == 0)
    {
      hone_vocab_add_pre_regex (vocab, get_bool (object, "individual_digits", FALSE)
                                         ? "\\p{N}" : "\\p{N}+");
      return TRUE;
    }
  if (strcmp (type, "Metaspace") == 0)
    {
      const char *replacement = get_string (object, "replacement");
      const char *scheme = get_string (object, "prepend_scheme");

      if (replacement == NULL)
        replacement = "\xe2\x96\x81";
      loader->metaspace = TRUE;
      g_free (vocab->replace_from);
      g_free (vocab->replace_to);
      vocab->replace_from = g_strdup (" ");
      vocab->replace_to = g_strdup (replacement);
      if (scheme == NULL ? get_bool (object, "add_prefix_space", TRUE)
                         : strcmp (scheme, "never") != 0)
        {
          g_free (vocab->prepend);
          vocab->prepend = g_strdup (replacement);
          vocab->strip_leading_space_on_decode = TRUE;
        }
      if (get_bool (object, "split", TRUE))
        {
          g_autofree char *r = g_regex_escape_string (replacement, -1);
          g_autofree char *pattern = g_strdup_printf ("%s[^%s]*|[^%s]+", r, r, r);
          hone_vocab_add_pre_regex (vocab, pattern);
        }
      return TRUE;
    }
  return fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED, "pre_tokenizer “%s” is not supported",
               type);
}

static gboolean
read_decoder (Loader     *loader,
              JsonObject *object)
{
  const char *type = get_string (object, "type");

  if (type == NULL)
    return TRUE;
  if (strcmp (type, "Sequence") == 0)
    {
      JsonArray *list = get_array (object, "decoders");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          if (JSON_NODE_HOLDS_OBJECT (node) && !read_decoder (loader, json_node_get_object (node)))
            return FALSE;
        }
      return TRUE;
    }
  if (strcmp (type, "Strip") == 0)
    {
      gint64 start = 0;
      if (get_int (object, "start", &start) && start > 0)
        loader->vocab->strip_leading_space_on_decode = TRUE;
    }
  return TRUE;
}

static gint32
find_added_id (JsonObject *root,
               const char *content)
{
  JsonArray *added = get_array (root, "added_tokens");

  for (guint i = 0; added != NULL && i < json_array_get_length (added); i++)
    {
      JsonObject *token = get_object_element (added, i);
      gint64 id;

      if (token != NULL && g_strcmp0 (get_string (token, "content"), content) == 0
          && get_int (token, "id", &id))
        return (gint32) id;
    }
  return -1;
}

static void
read_post_processor (Loader     *loader,
                     JsonObject *root,
                     JsonObject *object)
{
  HoneVocab *vocab = loader->vocab;
  JsonArray *single;
  gboolean seen_sequence = FALSE;
  const char *type = get_string (object, "type");

  if (type != NULL && strcmp (type, "Sequence") == 0)
    {
      JsonArray *list = get_array (object, "processors");
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          if (JSON_NODE_HOLDS_OBJECT (node))
            read_post_processor (loader, root, json_node_get_object (node));
        }
      return;
    }
  if (type == NULL || strcmp (type, "TemplateProcessing") != 0)
    return;
  single = get_array (object, "single");
  for (guint i = 0; single != NULL && i < json_array_get_length (single); i++)
    {
      JsonObject *piece = get_object_element (single, i);
      JsonObject *special = get_object (piece, "SpecialToken");
      gint32 id;

      if (get_object (piece, "Sequence") != NULL)
        {
          seen_sequence = TRUE;
          continue;
        }
      if (special == NULL || get_string (special, "id") == NULL)
        continue;
      id = find_added_id (root, get_string (special, "id"));
      if (id < 0)
        id = hone_vocab_lookup (vocab, get_string (special, "id"),
                                strlen (get_string (special, "id")));
      if (id < 0)
        continue;
      if (!seen_sequence)
        {
          vocab->bos = id;
          vocab->add_bos = TRUE;
        }
      else
        {
          vocab->eos = id;
          vocab->add_eos = TRUE;
        }
    }
}

/* The text of id @id in a table being built (NULL for a hole). */
typedef struct
{
  char  *text;
  guint8 type;
  guint8 attrs;
} Slot;

static void
slot_clear (gpointer data)
{
  g_free (((Slot *) data)->text);
}

static gboolean
put_slot (Loader     *loader,
          GArray     *slots,
          gint64      id,
          const char *text,
          guint8      type,
          guint8      attrs)
{
  Slot *slot;

  /* Ids index an array: a huge one would only be a way to exhaust memory. */
  if (id < 0 || id > 16 * 1024 * 1024)
    return fail (loader, HONE_TOKENIZER_ERROR_INVALID, "token id %" G_GINT64_FORMAT
                 " is out of range", id);
  if ((guint64) id >= slots->len)
    g_array_set_size (slots, id + 1);
  slot = &g_array_index (slots, Slot, id);
  g_free (slot->text);
  slot->text = g_strdup (text);
  slot->type = type;
  slot->attrs = attrs;
  return TRUE;
}

static HoneVocab *
load (Loader     *loader,
      JsonObject *root)
{
  g_autoptr(HoneVocab) vocab = NULL;
  g_autoptr(GArray) slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  JsonObject *model, *vocab_object;
  JsonArray *merges, *added;
  const char *type, *unk_token;
  g_autoptr(GList) members = NULL;
  g_autoptr(GError) local_error = NULL;

  g_array_set_clear_func (slots, slot_clear);
  model = get_object (root, "model");
  if (model == NULL)
    {
      fail (loader, HONE_TOKENIZER_ERROR_INVALID, "no “model” object");
      return NULL;
    }
  type = get_string (model, "type");
  if (type == NULL && get_array (model, "merges") != NULL)
    type = "BPE";
  if (type == NULL || strcmp (type, "BPE") != 0)
    {
      fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED, "tokenizer model “%s” is not supported "
            "(only BPE is)", type ? type : "(none)");
      return NULL;
    }
  if (!is_null (model, "continuing_subword_prefix") || !is_null (model, "end_of_word_suffix"))
    {
      fail (loader, HONE_TOKENIZER_ERROR_UNSUPPORTED,
            "BPE with a subword prefix or suffix is not supported");
      return NULL;
    }

  vocab = hone_vocab_new (HONE_VOCAB_BPE);
  loader->vocab = vocab;
  vocab->byte_level = FALSE;

  vocab_object = get_object (model, "vocab");
  if (vocab_object == NULL)
    {
      fail (loader, HONE_TOKENIZER_ERROR_INVALID, "model.vocab is not an object");
      return NULL;
    }
  members = json_object_get_members (vocab_object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (vocab_object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          fail (loader, HONE_TOKENIZER_ERROR_INVALID, "model.vocab[“%s”] is not an id",
                (const char *) l->data);
          return NULL;
        }
      if (!put_slot (loader, slots, json_node_get_int (node), l->data, HONE_TOKEN_NORMAL, 0))
        return NULL;
    }

  added = get_array (root, "added_tokens");
  for (guint i = 0; added != NULL && i < json_array_get_length (added); i++)
    {
      JsonObject *token = get_object_element (added, i);
      const char *content = get_string (token, "content");
      gint64 id;
      guint8 attrs = 0;

      if (token == NULL || content == NULL || !get_int (token, "id", &id))
        {
          fail (loader, HONE_TOKENIZER_ERROR_INVALID, "added token %u has no id or content", i);
          return NULL;
        }
      if (get_bool (token, "lstrip", FALSE))
        attrs |= HONE_TOKEN_ATTR_LSTRIP;
      if (get_bool (token, "rstrip", FALSE))
        attrs |= HONE_TOKEN_ATTR_RSTRIP;
      if (!put_slot (loader, slots, id, content,
                     get_bool (token, "special", FALSE) ? HONE_TOKEN_CONTROL
                                                        : HONE_TOKEN_USER_DEFINED, attrs))
        return NULL;
    }

  for (guint i = 0; i < slots->len; i++)
    {
      Slot *slot = &g_array_index (slots, Slot, i);

      hone_vocab_add_token (vocab, slot->text != NULL ? slot->text : "", -1, 0.f,
                            slot->text != NULL ? slot->type : HONE_TOKEN_UNUSED);
      if (slot->attrs != 0)
        hone_vocab_set_token_attrs (vocab, i, slot->attrs);
    }

  merges = get_array (model, "merges");
  for (guint i = 0; merges != NULL && i < json_array_get_length (merges); i++)
    {
      JsonNode *node = json_array_get_element (merges, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *merge = json_node_get_string (node);
          const char *space = merge[0] != '\0' ? strchr (merge + 1, ' ') : NULL;

          if (space == NULL)
            {
              fail (loader, HONE_TOKENIZER_ERROR_INVALID, "merge %u has no space", i);
              return NULL;
            }
          hone_vocab_add_merge (vocab, merge, space - merge, space + 1, -1);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 2)
        {
          JsonArray *pair = json_node_get_array (node);
          JsonNode *a = json_array_get_element (pair, 0), *b = json_array_get_element (pair, 1);

          if (!JSON_NODE_HOLDS_VALUE (a) || json_node_get_value_type (a) != G_TYPE_STRING
              || !JSON_NODE_HOLDS_VALUE (b) || json_node_get_value_type (b) != G_TYPE_STRING)
            {
              fail (loader, HONE_TOKENIZER_ERROR_INVALID, "merge %u is not two strings", i);
              return NULL;
            }
          hone_vocab_add_merge (vocab, json_node_get_string (a), -1, json_node_get_string (b), -1);
        }
      else
        {
          fail (loader, HONE_TOKENIZER_ERROR_INVALID, "merge %u is neither “a b” nor [a, b]", i);
          return NULL;
        }
    }

  vocab->byte_fallback_json = get_bool (model, "byte_fallback", FALSE);
  vocab->ignore_merges = get_bool (model, "ignore_merges", FALSE);
  vocab->fuse_unk = get_bool (model, "fuse_unk", FALSE);
  unk_token = get_string (model, "unk_token");
  vocab->unk = unk_token != NULL ? hone_vocab_lookup (vocab, unk_token, strlen (unk_token)) : -1;
  vocab->add_bos = FALSE;
  vocab->add_eos = FALSE;
  vocab->added_leftmost_longest = TRUE;

  if (!is_null (root, "normalizer"))
    {
      JsonObject *normalizer = get_object (root, "normalizer");
      if (normalizer == NULL)
        {
          fail (loader, HONE_TOKENIZER_ERROR_INVALID, "normalizer is not an object");
          return NULL;
        }
      if (!read_normalizer (loader, normalizer))
        return NULL;
    }
  if (!is_null (root, "pre_tokenizer"))
    {
      JsonObject *pre = get_object (root, "pre_tokenizer");
      if (pre == NULL)
        {
          fail (loader, HONE_TOKENIZER_ERROR_INVALID, "pre_tokenizer is not an object");
          return NULL;
        }
      if (!read_pre_tokenizer (loader, pre))
        return NULL;
    }
  if (!read_decoder (loader, get_object (root, "decoder")))
    return NULL;
  read_post_processor (loader, root, get_object (root, "post_processor"));
  vocab->byte_level = loader->byte_level;
  if (vocab->prepend != NULL && g_str_has_prefix (vocab->prepend, "\xe2\x96\x81"))
    vocab->strip_leading_space_on_decode = TRUE;

  if (!hone_vocab_finish (vocab, &local_error))
    {
      fail (loader, local_error->code, "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&vocab);
}

HoneVocab *
hone_vocab_new_from_tokenizer_json_data (const char  *data,
                                         gsize        len,
                                         const char  *name,
                                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  Loader loader = { name != NULL ? name : "tokenizer.json", NULL, error, FALSE, FALSE };
  JsonNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      fail (&loader, HONE_TOKENIZER_ERROR_INVALID, "not JSON: %s",
            local_error ? local_error->message : "too large");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (&loader, HONE_TOKENIZER_ERROR_INVALID, "the top level is not an object");
      return NULL;
    }
  return load (&loader, json_node_get_object (root));
}

HoneVocab *
hone_vocab_new_from_tokenizer_json (const char  *path,
                                    GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_name (path);
  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID, "%s",
                   local_error->message);
      return NULL;
    }
  return hone_vocab_new_from_tokenizer_json_data (data, len, name, error);
}
