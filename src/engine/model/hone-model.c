/* hone-model.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Base models from GGUF files or Hugging Face folders, described by one HoneModelInfo
 * and listed under GGUF tensor names. A GGUF is used as it is mapped; a folder's
 * safetensors are mapped too, and only llama's Q and K weights are copied, to put their
 * rows in GGUF's order.
 */
#define G_LOG_DOMAIN "hone-model"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-model.h"
#include "hone-safetensors.h"

struct _HoneModel
{
  char             *path;
  char             *name;
  HoneModelInfo     info;
  HoneGguf         *gguf;
  GPtrArray        *shards;      /* (element-type HoneSafetensors) */
  HoneModelTensor  *tensors;
  guint             n_tensors;
  GHashTable       *index;       /* name → HoneModelTensor * */
  GPtrArray        *owned;       /* tensor names and permuted copies */
  char             *chat_template;
  gboolean          info_only;   /* no permuted copies: the tensors are for listing */
};

/* Architectures */

static const struct { const char *name; HoneArch arch; } arch_names[] = {
  { "llama", HONE_ARCH_LLAMA },
  { "mistral", HONE_ARCH_LLAMA },
  { "qwen2", HONE_ARCH_QWEN2 },
  { "qwen3", HONE_ARCH_QWEN3 },
};

gboolean
hone_arch_from_name (const char  *name,
                     HoneArch    *arch,
                     GError     **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (arch_names); i++)
    if (g_str_equal (arch_names[i].name, name))
      {
        *arch = arch_names[i].arch;
        return TRUE;
      }
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
               "the architecture '%s' is not supported (llama, mistral, qwen2 and qwen3 are)",
               name);
  return FALSE;
}

const char *
hone_arch_get_name (HoneArch arch)
{
  switch (arch)
    {
    case HONE_ARCH_LLAMA:
      return "llama";
    case HONE_ARCH_QWEN2:
      return "qwen2";
    case HONE_ARCH_QWEN3:
      return "qwen3";
    default:
      return "unknown";
    }
}

/* Tensor names */

static const struct { const char *hf; const char *gguf; } layer_names[] = {
  { "input_layernorm", "attn_norm" },
  { "self_attn.q_proj", "attn_q" },
  { "self_attn.k_proj", "attn_k" },
  { "self_attn.v_proj", "attn_v" },
  { "self_attn.o_proj", "attn_output" },
  { "self_attn.q_norm", "attn_q_norm" },
  { "self_attn.k_norm", "attn_k_norm" },
  { "post_attention_layernorm", "ffn_norm" },
  { "mlp.gate_proj", "ffn_gate" },
  { "mlp.up_proj", "ffn_up" },
  { "mlp.down_proj", "ffn_down" },
};

static const struct { const char *hf; const char *gguf; } global_names[] = {
  { "model.embed_tokens.weight", "token_embd.weight" },
  { "model.norm.weight", "output_norm.weight" },
  { "lm_head.weight", "output.weight" },
};

/* Splits "PREFIX<N>.REST" into N and REST. */
static gboolean
split_layer (const char  *name,
             const char  *prefix,
             guint       *layer,
             const char **rest)
{
  const char *p;
  char *end;
  guint64 n;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  p = name + strlen (prefix);
  if (!g_ascii_isdigit (*p))
    return FALSE;
  n = g_ascii_strtoull (p, &end, 10);
  if (*end != '.' || n > 100000)
    return FALSE;
  *layer = (guint) n;
  *rest = end + 1;
  return TRUE;
}

static char *
map_name (const char *name,
          gboolean    to_gguf)
{
  const char *rest;
  guint layer;

  for (guint i = 0; i < G_N_ELEMENTS (global_names); i++)
    if (g_str_equal (name, to_gguf ? global_names[i].hf : global_names[i].gguf))
      return g_strdup (to_gguf ? global_names[i].gguf : global_names[i].hf);
  if (!split_layer (name, to_gguf ? "model.layers." : "blk.", &layer, &rest))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (layer_names); i++)
    {
      const char *from = to_gguf ? layer_names[i].hf : layer_names[i].gguf;
      const char *to = to_gguf ? layer_names[i].gguf : layer_names[i].hf;
      gsize len = strlen (from);

      if (strncmp (rest, from, len) == 0
          && (g_str_equal (rest + len, ".weight") || g_str_equal (rest + len, ".bias")))
        return g_strdup_printf ("%s%u.%s%s", to_gguf ? "blk." : "model.layers.", layer, to,
                                rest + len);
    }
  return NULL;
}

char *
hone_model_map_hf_name (const char *hf_name)
{
  g_return_val_if_fail (hf_name != NULL, NULL);
  return map_name (hf_name, TRUE);
}

char *
hone_model_map_gguf_name (const char *gguf_name)
{
  g_return_val_if_fail (gguf_name != NULL, NULL);
  return map_name (gguf_name, FALSE);
}

void
hone_model_permute_qk (void       *dst,
                       const void *src,
                       guint64     n_rows,
                       gsize       row_bytes,
                       guint       n_heads,
                       gboolean    to_gguf)
{
  guint64 head_dim;

  g_return_if_fail (n_heads > 0 && n_rows % n_heads == 0);
  head_dim = n_rows / n_heads;
  g_return_if_fail (head_dim % 2 == 0);

  for (guint64 h = 0; h < n_heads; h++)
    for (guint64 i = 0; i < head_dim / 2; i++)
      for (guint64 j = 0; j < 2; j++)
        {
          guint64 gguf_row = h * head_dim + 2 * i + j;
          guint64 hf_row = h * head_dim + j * (head_dim / 2) + i;
          guint64 d = to_gguf ? gguf_row : hf_row;
          guint64 s = to_gguf ? hf_row : gguf_row;

          memcpy ((guint8 *) dst + d * row_bytes, (const guint8 *) src + s * row_bytes,
                  row_bytes);
        }
}

/* Info shared by both forms: what the tensors say */

static void
info_from_tensors (HoneModelInfo  *info,
                   guint           n,
                   const char   *(*name_of) (gpointer, guint),
                   guint64       (*elements_of) (gpointer, guint, guint *, HoneGgmlType *),
                   gpointer        data)
{
  guint64 by_type[64] = { 0 };
  guint64 best = 0;
  gboolean has_output = FALSE;

  info->n_params = 0;
  info->quant = HONE_GGML_TYPE_F32;
  for (guint i = 0; i < n; i++)
    {
      const char *name = name_of (data, i);
      guint n_dims;
      HoneGgmlType type;
      guint64 n_elements = elements_of (data, i, &n_dims, &type);

      info->n_params += n_elements;
      if (n_dims >= 2 && (guint) type < G_N_ELEMENTS (by_type))
        by_type[type] += n_elements;
      if (g_str_equal (name, "output.weight"))
        has_output = TRUE;
      if (g_str_equal (name, "blk.0.attn_q.bias"))
        info->qkv_bias = TRUE;
      if (g_str_equal (name, "blk.0.attn_q_norm.weight"))
        info->qk_norm = TRUE;
    }
  for (guint t = 0; t < G_N_ELEMENTS (by_type); t++)
    if (by_type[t] > best)
      {
        best = by_type[t];
        info->quant = t;
      }
  if (n > 0)
    info->tied_output = !has_output;
}

static const char *
gguf_tensor_name (gpointer data,
                  guint    i)
{
  return hone_gguf_get_tensor (data, i)->name;
}

static guint64
gguf_tensor_elements (gpointer      data,
                      guint         i,
                      guint        *n_dims,
                      HoneGgmlType *type)
{
  const HoneGgufTensor *t = hone_gguf_get_tensor (data, i);

  *n_dims = t->n_dims;
  *type = t->type;
  return t->n_elements;
}

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

static gboolean
check_info (HoneModelInfo  *info,
            const char     *name,
            GError        **error)
{
  const char *problem = NULL;

  if (info->n_layers == 0 || info->dim == 0 || info->n_heads == 0 || info->ffn == 0)
    problem = "zero layers, width, heads or feed-forward length";
  else if (info->n_kv_heads == 0 || info->n_heads % info->n_kv_heads != 0)
    problem = "a number of key/value heads that does not divide the heads";
  else if (info->head_dim == 0 || info->head_dim % 2 != 0)
    problem = "an odd or zero head size";
  else if (info->rope_dims > info->head_dim)
    problem = "more RoPE dimensions than the head size";
  if (problem == NULL)
    return TRUE;
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: the model has %s", name,
               problem);
  return FALSE;
}

/* GGUF */

static gboolean
get_u32_or (HoneGguf    *gguf,
            const char  *arch,
            const char  *suffix,
            guint32      fallback,
            guint       *value,
            GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", arch, suffix);
  guint32 v = fallback;

  if (hone_gguf_has_key (gguf, key) && !hone_gguf_get_u32 (gguf, key, &v, error))
    return FALSE;
  *value = v;
  return TRUE;
}

static gboolean
get_required_u32 (HoneGguf    *gguf,
                  const char  *arch,
                  const char  *suffix,
                  guint       *value,
                  GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", arch, suffix);
  guint32 v;

  if (!hone_gguf_get_u32 (gguf, key, &v, error))
    return FALSE;
  *value = v;
  return TRUE;
}

static gboolean
get_f64_or (HoneGguf    *gguf,
            const char  *arch,
            const char  *suffix,
            double       fallback,
            double      *value,
            GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", arch, suffix);

  *value = fallback;
  return !hone_gguf_has_key (gguf, key) || hone_gguf_get_f64 (gguf, key, value, error);
}

/* RoPE scaling by its name in config.json (rope_type or type) or GGUF
 * (rope.scaling.type). */
static gboolean
rope_scaling_from_name (const char       *kind,
                        const char       *file,
                        HoneRopeScaling  *scaling,
                        GError          **error)
{
  if (kind == NULL || g_str_equal (kind, "none") || g_str_equal (kind, "default"))
    *scaling = HONE_ROPE_SCALING_NONE;
  else if (g_str_equal (kind, "linear"))
    *scaling = HONE_ROPE_SCALING_LINEAR;
  else if (g_str_equal (kind, "llama3"))
    *scaling = HONE_ROPE_SCALING_LLAMA3;
  else if (g_str_equal (kind, "yarn"))
    *scaling = HONE_ROPE_SCALING_YARN;
  else
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: RoPE scaling '%s' is not supported (linear, llama3 and yarn are)",
                   file, kind);
      return FALSE;
    }
  return TRUE;
}

static void
add_eos_id (HoneModelInfo *info,
            gint32         id)
{
  for (guint i = 0; i < info->n_eos_ids; i++)
    if (info->eos_ids[i] == id)
      return;
  if (info->n_eos_ids < HONE_MODEL_MAX_EOS)
    info->eos_ids[info->n_eos_ids++] = id;
}

static gboolean
gguf_special_ids (HoneGguf       *gguf,
                  HoneModelInfo  *info,
                  GError        **error)
{
  static const char *const eos_keys[] = {
    "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id",
  };
  guint32 id;

  info->bos_id = -1;
  info->n_eos_ids = 0;
  if (hone_gguf_has_key (gguf, "tokenizer.ggml.bos_token_id"))
    {
      if (!hone_gguf_get_u32 (gguf, "tokenizer.ggml.bos_token_id", &id, error))
        return FALSE;
      info->bos_id = (gint32) MIN (id, (guint32) G_MAXINT32);
    }
  for (guint i = 0; i < G_N_ELEMENTS (eos_keys); i++)
    {
      if (!hone_gguf_has_key (gguf, eos_keys[i]))
        continue;
      if (!hone_gguf_get_u32 (gguf, eos_keys[i], &id, error))
        return FALSE;
      add_eos_id (info, (gint32) MIN (id, (guint32) G_MAXINT32));
    }
  return TRUE;
}

static gboolean
gguf_rope_scaling (HoneGguf       *gguf,
                   const char     *arch,
                   const char     *name,
                   HoneModelInfo  *info,
                   GError        **error)
{
  g_autofree char *key = g_strdup_printf ("%s.rope.scaling.type", arch);
  const char *kind = NULL;

  info->rope_scaling = HONE_ROPE_SCALING_NONE;
  info->rope_low_freq_factor = 1.0;
  info->rope_high_freq_factor = 4.0;
  if (hone_gguf_has_key (gguf, key)
      && (kind = hone_gguf_get_string (gguf, key, NULL, error)) == NULL)
    return FALSE;
  if (!rope_scaling_from_name (kind, name, &info->rope_scaling, error))
    return FALSE;
  return get_f64_or (gguf, arch, "rope.scaling.factor", 1.0, &info->rope_scaling_factor, error)
         && get_u32_or (gguf, arch, "rope.scaling.original_context_length", 0,
                        &info->rope_original_context, error);
}

gboolean
hone_model_info_from_gguf (HoneGguf       *gguf,
                           HoneModelInfo  *info,
                           GError        **error)
{
  const char *arch;
  const char *name;
  g_autoptr(GError) local_error = NULL;
  const HoneGgufTensor *embd;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  name = hone_gguf_get_name (gguf);
  memset (info, 0, sizeof *info);
  arch = hone_gguf_get_string (gguf, "general.architecture", NULL, error);
  if (arch == NULL)
    return FALSE;
  if (!hone_arch_from_name (arch, &info->arch, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", name,
                   local_error->message);
      return FALSE;
    }
  info->arch_name = hone_arch_get_name (info->arch);
  if (!get_required_u32 (gguf, arch, "block_count", &info->n_layers, error)
      || !get_required_u32 (gguf, arch, "embedding_length", &info->dim, error)
      || !get_required_u32 (gguf, arch, "feed_forward_length", &info->ffn, error)
      || !get_required_u32 (gguf, arch, "attention.head_count", &info->n_heads, error)
      || !get_u32_or (gguf, arch, "attention.head_count_kv", info->n_heads, &info->n_kv_heads,
                      error)
      || !get_u32_or (gguf, arch, "context_length", 0, &info->context_length, error)
      || !get_u32_or (gguf, arch, "attention.key_length",
                      info->n_heads > 0 ? info->dim / info->n_heads : 0, &info->head_dim, error)
      || !get_u32_or (gguf, arch, "rope.dimension_count", info->head_dim, &info->rope_dims,
                      error)
      || !get_f64_or (gguf, arch, "rope.freq_base", 10000.0, &info->rope_theta, error)
      || !get_f64_or (gguf, arch, "attention.layer_norm_rms_epsilon", 1e-5, &info->rms_eps,
                      error)
      || !get_u32_or (gguf, arch, "vocab_size", 0, &info->vocab_size, error))
    return FALSE;

  embd = hone_gguf_find_tensor (gguf, "token_embd.weight");
  if (info->vocab_size == 0 && hone_gguf_has_key (gguf, "tokenizer.ggml.tokens"))
    {
      const HoneGgufArray *tokens = hone_gguf_get_array (gguf, "tokenizer.ggml.tokens", error);

      if (tokens == NULL)
        return FALSE;
      info->vocab_size = (guint) MIN (hone_gguf_array_get_length (tokens), G_MAXUINT);
    }
  if (info->vocab_size == 0 && embd != NULL)
    info->vocab_size = (guint) MIN (embd->ne[1], G_MAXUINT);

  if (!gguf_rope_scaling (gguf, arch, name, info, error) || !gguf_special_ids (gguf, info, error))
    return FALSE;
  info->has_chat_template = hone_gguf_get_key_type (gguf, "tokenizer.chat_template")
                            == HONE_GGUF_TYPE_STRING;
  info->has_tokenizer = hone_gguf_has_key (gguf, "tokenizer.ggml.tokens");
  info_from_tensors (info, hone_gguf_get_n_tensors (gguf), gguf_tensor_name,
                     gguf_tensor_elements, gguf);
  return check_info (info, name, error);
}

static gboolean
open_gguf (HoneModel  *model,
           GError    **error)
{
  model->gguf = hone_gguf_open (model->path, error);
  if (model->gguf == NULL || !hone_model_info_from_gguf (model->gguf, &model->info, error))
    return FALSE;
  if (hone_gguf_find_tensor (model->gguf, "token_embd.weight") == NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: no tensor 'token_embd.weight' (a vocabulary-only file?)", model->name);
      return FALSE;
    }
  model->n_tensors = hone_gguf_get_n_tensors (model->gguf);
  model->tensors = g_new0 (HoneModelTensor, MAX (model->n_tensors, 1));
  for (guint i = 0; i < model->n_tensors; i++)
    {
      const HoneGgufTensor *t = hone_gguf_get_tensor (model->gguf, i);
      HoneModelTensor *mt = &model->tensors[i];

      mt->name = t->name;
      mt->type = t->type;
      mt->n_dims = t->n_dims;
      memcpy (mt->ne, t->ne, sizeof mt->ne);
      mt->n_elements = t->n_elements;
      mt->size = t->size;
      mt->data = t->data;
      g_hash_table_insert (model->index, (char *) mt->name, mt);
    }
  if (hone_gguf_get_key_type (model->gguf, "tokenizer.chat_template") == HONE_GGUF_TYPE_STRING)
    model->chat_template = g_strdup (hone_gguf_get_string (model->gguf, "tokenizer.chat_template",
                                                           NULL, NULL));
  return TRUE;
}

/* Hugging Face folders */

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
      add_eos_id (info, (gint32) json_node_get_int (node));
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
  if (!rope_scaling_from_name (name, "config.json", &info->rope_scaling, error))
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

static gboolean
open_hf (HoneModel  *model,
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

  info_from_tensors (&model->info, model->n_tensors, model_tensor_name, model_tensor_elements,
                     model);
  /* a folder without lm_head is tied whatever config.json says */
  model->info.tied_output = model->info.tied_output || config_tied;
  if (!check_info (&model->info, model->name, error))
    return FALSE;
  if (model->info.arch == HONE_ARCH_LLAMA && !model->info_only && !permute_llama (model, error))
    return FALSE;

  model->chat_template = read_chat_template (model->path);
  model->info.has_chat_template = model->chat_template != NULL;
  model->info.has_tokenizer = g_file_test (tokenizer, G_FILE_TEST_EXISTS);
  return TRUE;
}

static HoneModel *
model_open (const char  *path,
            gboolean     info_only,
            GError     **error)
{
  g_autoptr(HoneModel) model = NULL;
  gboolean ok;

  model = g_new0 (HoneModel, 1);
  model->info_only = info_only;
  model->path = g_strdup (path);
  model->name = g_path_get_basename (path);
  model->index = g_hash_table_new (g_str_hash, g_str_equal);
  model->owned = g_ptr_array_new_with_free_func (g_free);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    ok = open_hf (model, error);
  else
    ok = open_gguf (model, error);
  return ok ? g_steal_pointer (&model) : NULL;
}

HoneModel *
hone_model_open (const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return model_open (path, FALSE, error);
}

gboolean
hone_model_read_info (const char     *path,
                      HoneModelInfo  *info,
                      GError        **error)
{
  g_autoptr(HoneModel) model = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  model = model_open (path, TRUE, error);
  if (model == NULL)
    return FALSE;
  *info = model->info;
  return TRUE;
}

void
hone_model_free (HoneModel *model)
{
  if (model == NULL)
    return;
  g_free (model->tensors);
  g_clear_pointer (&model->index, g_hash_table_unref);
  g_clear_pointer (&model->shards, g_ptr_array_unref);
  g_clear_pointer (&model->owned, g_ptr_array_unref);
  g_clear_pointer (&model->gguf, hone_gguf_free);
  g_free (model->chat_template);
  g_free (model->path);
  g_free (model->name);
  g_free (model);
}

const char *
hone_model_get_name (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->name;
}

const char *
hone_model_get_path (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->path;
}

const HoneModelInfo *
hone_model_get_info (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->info;
}

HoneGguf *
hone_model_get_gguf (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->gguf;
}

const char *
hone_model_get_chat_template (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->chat_template;
}

guint
hone_model_get_n_tensors (HoneModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_tensors;
}

const HoneModelTensor *
hone_model_get_tensor (HoneModel *model,
                       guint      index)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (index < model->n_tensors, NULL);
  return &model->tensors[index];
}

const HoneModelTensor *
hone_model_find_tensor (HoneModel  *model,
                        const char *name)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (model->index, name);
}

float *
hone_model_tensor_dup_f32 (const HoneModelTensor  *tensor,
                           GError                **error)
{
  float *values;

  g_return_val_if_fail (tensor != NULL, NULL);

  if (!hone_ggml_can_dequantize (tensor->type))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "tensor '%s' is %s, which Hone cannot convert yet", tensor->name,
                   hone_ggml_type_name (tensor->type));
      return NULL;
    }
  values = g_new (float, MAX (tensor->n_elements, 1));
  hone_ggml_dequantize (tensor->type, tensor->data, values, tensor->n_elements);
  return values;
}
