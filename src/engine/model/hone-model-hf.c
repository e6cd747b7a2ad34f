/* hone-model-hf.c — base models from Hugging Face folders: config.json,
 * generation_config.json, tokenizer_config.json and (sharded) safetensors.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tensors are mapped as they are, under GGUF names; only llama's Q and K weights are
 * copied, to put their rows in GGUF's order (hone-model.c holds what both forms share).
 */
#define G_LOG_DOMAIN "hone-model"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-model-private.h"
#include "hone-safetensors.h"

static JsonNode *
read_json (const char  *dir,
           const char  *file,
           gboolean     required,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (!required && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, HONE_MODEL_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? HONE_MODEL_ERROR_MISSING : HONE_MODEL_ERROR_INVALID,
                   "%s: %s", file, local_error->message);
      return NULL;
    }
  root = hone_json_parse (file, contents, len, 1, &local_error);
  if (root == NULL)
    {
      g_set_error_literal (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: not a JSON object", file);
      return NULL;
    }
  return root;
}

/* A config.json number: FALSE with an error naming the key when it is absent (and
 * required) or not a number. */
static gboolean
config_number (JsonObject  *config,
               const char  *key,
               gboolean     required,
               gboolean     integer,
               double       fallback,
               double      *value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (config, key);
  GType type;

  *value = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "config.json: no '%s'", key);
      return FALSE;
    }
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE && !integer)
    *value = json_node_get_double (node);
  else
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                   "config.json: '%s' is not %s", key, integer ? "an integer" : "a number");
      return FALSE;
    }
  if (integer && (*value < 0 || *value > G_MAXUINT32))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                   "config.json: '%s' is out of range", key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
config_uint (JsonObject  *config,
             const char  *key,
             gboolean     required,
             guint        fallback,
             guint       *value,
             GError     **error)
{
  double d;

  if (!config_number (config, key, required, TRUE, fallback, &d, error))
    return FALSE;
  *value = (guint) d;
  return TRUE;
}

/* bos_token_id and eos_token_id (one id or a list) of config.json or
 * generation_config.json; ids absent from @object are left as they are. */
static gboolean
read_special_ids (JsonObject     *object,
                  const char     *file,
                  HoneModelInfo  *info,
                  GError        **error)
{
  JsonNode *bos = json_object_get_member (object, "bos_token_id");
  JsonNode *eos = json_object_get_member (object, "eos_token_id");
  g_autoptr(JsonArray) single = NULL;
  JsonArray *list = NULL;

  if (bos != NULL && !JSON_NODE_HOLDS_NULL (bos))
    {
      if (!JSON_NODE_HOLDS_VALUE (bos) || json_node_get_value_type (bos) != G_TYPE_INT64
          || json_node_get_int (bos) < 0 || json_node_get_int (bos) > G_MAXINT32)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                       "%s: 'bos_token_id' is not a token id", file);
          return FALSE;
        }
      info->bos_id = (gint32) json_node_get_int (bos);
    }
  if (eos == NULL || JSON_NODE_HOLDS_NULL (eos))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (eos))
    list = json_node_get_array (eos);
  else
    {
      single = json_array_new ();
      json_array_add_element (single, json_node_copy (eos));
      list = single;
    }
  if (json_array_get_length (list) > HONE_MODEL_MAX_EOS)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: 'eos_token_id' lists %u ids (at most %d)", file,
                   json_array_get_length (list), HONE_MODEL_MAX_EOS);
      return FALSE;
    }
  info->n_eos_ids = 0;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT32)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                       "%s: 'eos_token_id' is not a token id or a list of them", file);
          return FALSE;
        }
      hone_model_add_eos_id (info, (gint32) json_node_get_int (node));
    }
  return TRUE;
}

/* rope_scaling (or, in newer configs, rope_parameters) of config.json. */
static gboolean
config_rope_scaling (JsonObject     *config,
                     HoneModelInfo  *info,
                     GError        **error)
{
  JsonNode *node = json_object_get_member (config, "rope_scaling");
  JsonObject *rope;
  JsonNode *kind;
  const char *name = NULL;
  double original;

  info->rope_scaling = HONE_ROPE_SCALING_NONE;
  info->rope_scaling_factor = 1.0;
  info->rope_low_freq_factor = 1.0;
  info->rope_high_freq_factor = 4.0;
  info->rope_original_context = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    node = json_object_get_member (config, "rope_parameters");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                   "config.json: 'rope_scaling' is not an object");
      return FALSE;
    }
  rope = json_node_get_object (node);
  kind = json_object_get_member (rope, "rope_type");
  if (kind == NULL)
    kind = json_object_get_member (rope, "type");
  if (kind != NULL && !JSON_NODE_HOLDS_NULL (kind))
    {
      if (!JSON_NODE_HOLDS_VALUE (kind) || json_node_get_value_type (kind) != G_TYPE_STRING)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                       "config.json: the RoPE scaling type is not a string");
          return FALSE;
        }
      name = json_node_get_string (kind);
    }
  if (!hone_model_rope_scaling_from_name (name, "config.json", &info->rope_scaling, error))
    return FALSE;
  if (!config_number (rope, "factor", FALSE, FALSE, 1.0, &info->rope_scaling_factor, error)
      || !config_number (rope, "low_freq_factor", FALSE, FALSE, 1.0,
                         &info->rope_low_freq_factor, error)
      || !config_number (rope, "high_freq_factor", FALSE, FALSE, 4.0,
                         &info->rope_high_freq_factor, error)
      || !config_number (rope, "original_max_position_embeddings", FALSE, TRUE, 0, &original,
                         error))
    return FALSE;
  info->rope_original_context = (guint) original;
  if (info->rope_scaling != HONE_ROPE_SCALING_NONE
      && (!(info->rope_scaling_factor > 0) || !(info->rope_low_freq_factor > 0)
          || !(info->rope_high_freq_factor > info->rope_low_freq_factor)))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "config.json: RoPE scaling factors out of range");
      return FALSE;
    }
  return TRUE;
}

static gboolean
info_from_config (JsonObject     *config,
                  HoneModelInfo  *info,
                  GError        **error)
{
  JsonNode *type_node = json_object_get_member (config, "model_type");
  JsonNode *tie = json_object_get_member (config, "tie_word_embeddings");
  const char *model_type;
  g_autoptr(GError) local_error = NULL;

  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node)
      || json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "config.json: no 'model_type'");
      return FALSE;
    }
  model_type = json_node_get_string (type_node);
  if (!hone_arch_from_name (model_type, &info->arch, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "config.json: %s",
                   local_error->message);
      return FALSE;
    }
  info->arch_name = hone_arch_get_name (info->arch);
  if (!config_uint (config, "num_hidden_layers", TRUE, 0, &info->n_layers, error)
      || !config_uint (config, "hidden_size", TRUE, 0, &info->dim, error)
      || !config_uint (config, "intermediate_size", TRUE, 0, &info->ffn, error)
      || !config_uint (config, "num_attention_heads", TRUE, 0, &info->n_heads, error)
      || !config_uint (config, "num_key_value_heads", FALSE, info->n_heads, &info->n_kv_heads,
                       error)
      || !config_uint (config, "vocab_size", TRUE, 0, &info->vocab_size, error)
      || !config_uint (config, "max_position_embeddings", FALSE, 0, &info->context_length,
                       error)
      || !config_uint (config, "head_dim", FALSE,
                       info->n_heads > 0 ? info->dim / info->n_heads : 0, &info->head_dim,
                       error)
      || !config_number (config, "rope_theta", FALSE, FALSE, 10000.0, &info->rope_theta, error)
      || !config_number (config, "rms_norm_eps", FALSE, FALSE, 1e-6, &info->rms_eps, error))
    return FALSE;
  info->rope_dims = info->head_dim;
  /* newer configs keep the base under rope_parameters */
  if (json_object_get_member (config, "rope_theta") == NULL)
    {
      JsonNode *rope = json_object_get_member (config, "rope_parameters");

      if (rope != NULL && JSON_NODE_HOLDS_OBJECT (rope)
          && !config_number (json_node_get_object (rope), "rope_theta", FALSE, FALSE, 10000.0,
                             &info->rope_theta, error))
        return FALSE;
    }
  if (tie != NULL && JSON_NODE_HOLDS_VALUE (tie)
      && json_node_get_value_type (tie) == G_TYPE_BOOLEAN)
    info->tied_output = json_node_get_boolean (tie);
  info->bos_id = -1;
  info->n_eos_ids = 0;
  return config_rope_scaling (config, info, error)
         && read_special_ids (config, "config.json", info, error);
}

/* A member's string, or @fallback; json_object_get_string_member_with_default() is
 * critical about objects and arrays and gives NULL for numbers, and a file may hold any. */
static const char *
string_member (JsonObject *object,
               const char *name,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static char *
read_chat_template (const char *dir)
{
  g_autoptr(JsonNode) root = read_json (dir, "tokenizer_config.json", FALSE, NULL);
  g_autofree char *jinja = g_build_filename (dir, "chat_template.jinja", NULL);
  char *contents = NULL;

  if (root != NULL)
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "chat_template");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      /* a list of named templates: the "default" one, else the first */
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *list = json_node_get_array (node);
          const char *first = NULL;

          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              JsonNode *item = json_array_get_element (list, i);
              JsonObject *o;
              const char *name, *text;

              if (!JSON_NODE_HOLDS_OBJECT (item))
                continue;
              o = json_node_get_object (item);
              name = string_member (o, "name", NULL);
              text = string_member (o, "template", NULL);
              if (text == NULL)
                continue;
              if (first == NULL)
                first = text;
              if (g_strcmp0 (name, "default") == 0)
                return g_strdup (text);
            }
          if (first != NULL)
            return g_strdup (first);
        }
    }
  if (g_file_get_contents (jinja, &contents, NULL, NULL))
    return contents;
  return NULL;
}

/* The shard files: from the index, else model.safetensors, else every *.safetensors. */
static GPtrArray *
list_shards (const char  *dir,
             GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *single = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *index_path = g_build_filename (dir, "model.safetensors.index.json", NULL);

  if (g_file_test (index_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(JsonNode) root = read_json (dir, "model.safetensors.index.json", TRUE, error);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GList) members = NULL;
      JsonNode *map;

      if (root == NULL)
        return NULL;
      map = json_object_get_member (json_node_get_object (root), "weight_map");
      if (map == NULL || !JSON_NODE_HOLDS_OBJECT (map))
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "model.safetensors.index.json: no 'weight_map' object");
          return NULL;
        }
      members = json_object_get_members (json_node_get_object (map));
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *file = json_object_get_member (json_node_get_object (map), l->data);
          const char *file_name;

          if (!JSON_NODE_HOLDS_VALUE (file) || json_node_get_value_type (file) != G_TYPE_STRING)
            {
              g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           "model.safetensors.index.json: '%s' maps to no file name",
                           (const char *) l->data);
              return NULL;
            }
          file_name = json_node_get_string (file);
          /* shards live beside the index: no paths out of the folder */
          if (strchr (file_name, '/') != NULL || strchr (file_name, '\\') != NULL
              || g_str_equal (file_name, "..") || g_str_equal (file_name, ".")
              || file_name[0] == '\0')
            {
              g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           "model.safetensors.index.json: '%s' is not a file in the folder",
                           file_name);
              return NULL;
            }
          if (g_hash_table_contains (seen, file_name))
            continue;
          g_hash_table_add (seen, (char *) file_name);
          g_ptr_array_add (files, g_build_filename (dir, file_name, NULL));
        }
    }
  else if (g_file_test (single, G_FILE_TEST_EXISTS))
    g_ptr_array_add (files, g_steal_pointer (&single));
  else
    {
      g_autoptr(GDir) listing = g_dir_open (dir, 0, error);
      const char *entry;

      if (listing == NULL)
        return NULL;
      while ((entry = g_dir_read_name (listing)) != NULL)
        if (g_str_has_suffix (entry, ".safetensors"))
          g_ptr_array_add (files, g_build_filename (dir, entry, NULL));
    }
  if (files->len == 0)
    {
      g_autofree char *name = g_path_get_basename (dir);

      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: no *.safetensors files", name);
      return NULL;
    }
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return g_steal_pointer (&files);
}

static gboolean
add_hf_tensor (HoneModel             *model,
               HoneSafetensors       *shard,
               const HoneSafetensor  *t,
               GError               **error)
{
  HoneModelTensor *mt = &model->tensors[model->n_tensors];
  char *name;

  if (g_str_has_suffix (t->name, ".rotary_emb.inv_freq"))
    return TRUE;
  if (!t->supported || (t->type != HONE_GGML_TYPE_F32 && t->type != HONE_GGML_TYPE_F16
                        && t->type != HONE_GGML_TYPE_BF16))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: tensor '%s' is %s (Hone reads F32, F16 and BF16)",
                   hone_safetensors_get_name (shard), t->name, t->dtype);
      return FALSE;
    }
  if (t->n_dims < 1 || t->n_dims > HONE_GGUF_MAX_DIMS)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: tensor '%s' has %u dimensions", hone_safetensors_get_name (shard),
                   t->name, t->n_dims);
      return FALSE;
    }
  name = hone_model_map_hf_name (t->name);
  if (name == NULL)
    name = g_strdup (t->name);
  g_ptr_array_add (model->owned, name);
  if (g_hash_table_contains (model->index, name))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: tensor '%s' appears twice in the folder",
                   hone_safetensors_get_name (shard), t->name);
      return FALSE;
    }

  mt->name = name;
  mt->type = t->type;
  mt->n_dims = t->n_dims;
  for (guint d = 0; d < HONE_GGUF_MAX_DIMS; d++)
    mt->ne[d] = d < t->n_dims ? t->shape[t->n_dims - 1 - d] : 1;
  mt->n_elements = t->n_elements;
  mt->size = t->size;
  mt->data = t->data;
  g_hash_table_insert (model->index, name, mt);
  model->n_tensors++;
  return TRUE;
}

/* llama's Q and K rows into GGUF's order, as copies. */
static gboolean
permute_llama (HoneModel  *model,
               GError    **error)
{
  for (guint i = 0; i < model->n_tensors; i++)
    {
      HoneModelTensor *t = &model->tensors[i];
      guint n_heads;
      gsize row_bytes;
      void *copy;

      if (g_str_has_suffix (t->name, ".attn_q.weight")
          || g_str_has_suffix (t->name, ".attn_q.bias"))
        n_heads = model->info.n_heads;
      else if (g_str_has_suffix (t->name, ".attn_k.weight")
               || g_str_has_suffix (t->name, ".attn_k.bias"))
        n_heads = model->info.n_kv_heads;
      else
        continue;
      if (t->n_dims > 2 || t->n_elements == 0)
        continue;
      {
        guint64 n_rows = t->n_dims == 1 ? t->ne[0] : t->ne[1];

        if (n_rows != (guint64) n_heads * model->info.head_dim)
          {
            g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                         "%s: tensor '%s' has %" G_GUINT64_FORMAT " rows, not heads × head "
                         "size (%u × %u)", model->name, t->name, n_rows, n_heads,
                         model->info.head_dim);
            return FALSE;
          }
        row_bytes = t->size / n_rows;
        copy = g_malloc (MAX (t->size, 1));
        hone_model_permute_qk (copy, t->data, n_rows, row_bytes, n_heads, TRUE);
        g_ptr_array_add (model->owned, copy);
        t->data = copy;
      }
    }
  return TRUE;
}

/* Callbacks over the model's tensors, for hone_model_info_from_tensors(). */
static const char *
model_tensor_name (gpointer data,
                   guint    i)
{
  return ((HoneModel *) data)->tensors[i].name;
}

static guint64
model_tensor_elements (gpointer      data,
                       guint         i,
                       guint        *n_dims,
                       HoneGgmlType *type)
{
  const HoneModelTensor *t = &((HoneModel *) data)->tensors[i];

  *n_dims = t->n_dims;
  *type = t->type;
  return t->n_elements;
}

gboolean
hone_model_open_hf (HoneModel  *model,
                    GError    **error)
{
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *tokenizer = g_build_filename (model->path, "tokenizer.json", NULL);
  gboolean config_tied;
  guint capacity = 0;

  config = read_json (model->path, "config.json", TRUE, error);
  if (config == NULL || !info_from_config (json_node_get_object (config), &model->info, error))
    return FALSE;
  /* generation_config.json's ids are the ones generation stops on */
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(JsonNode) generation = read_json (model->path, "generation_config.json", FALSE,
                                                &local_error);

    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
    if (generation != NULL
        && !read_special_ids (json_node_get_object (generation), "generation_config.json",
                              &model->info, error))
      return FALSE;
  }
  config_tied = model->info.tied_output;
  files = list_shards (model->path, error);
  if (files == NULL)
    return FALSE;
  model->shards = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_safetensors_free);
  for (guint i = 0; i < files->len; i++)
    {
      HoneSafetensors *shard = hone_safetensors_open (g_ptr_array_index (files, i), error);

      if (shard == NULL)
        return FALSE;
      g_ptr_array_add (model->shards, shard);
      capacity += hone_safetensors_get_n_tensors (shard);
    }
  model->tensors = g_new0 (HoneModelTensor, MAX (capacity, 1));
  for (guint s = 0; s < model->shards->len; s++)
    {
      HoneSafetensors *shard = g_ptr_array_index (model->shards, s);

      for (guint i = 0; i < hone_safetensors_get_n_tensors (shard); i++)
        if (!add_hf_tensor (model, shard, hone_safetensors_get_tensor (shard, i), error))
          return FALSE;
    }
  if (!g_hash_table_contains (model->index, "token_embd.weight"))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: no tensor 'model.embed_tokens.weight'", model->name);
      return FALSE;
    }

  hone_model_info_from_tensors (&model->info, model->n_tensors, model_tensor_name,
                                model_tensor_elements, model);
  /* a folder without lm_head is tied whatever config.json says */
  model->info.tied_output = model->info.tied_output || config_tied;
  if (!hone_model_check_info (&model->info, model->name, error))
    return FALSE;
  if (model->info.arch == HONE_ARCH_LLAMA && !model->info_only && !permute_llama (model, error))
    return FALSE;

  model->chat_template = read_chat_template (model->path);
  model->info.has_chat_template = model->chat_template != NULL;
  model->info.has_tokenizer = g_file_test (tokenizer, G_FILE_TEST_EXISTS);
  return TRUE;
}
