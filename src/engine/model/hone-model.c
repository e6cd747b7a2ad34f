/* hone-model.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Base models from GGUF files or Hugging Face folders, described by one HoneModelInfo
 * and listed under GGUF tensor names. A GGUF is used as it is mapped; a folder's
 * safetensors are mapped too, and only llama's Q and K weights are copied, to put their
 * rows in GGUF's order. This file holds what both forms share and the GGUF form;
 * hone-model-hf.c reads Hugging Face folders.
 */
#define G_LOG_DOMAIN "hone-model"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-model-private.h"
#include "hone-safetensors.h"

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

void
hone_model_info_from_tensors (HoneModelInfo  *info,
                              guint           n,
                              const char   *(*name_of) (gpointer, guint),
                              guint64       (*elements_of) (gpointer, guint, guint *,
                                                            HoneGgmlType *),
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

gboolean
hone_model_check_info (HoneModelInfo  *info,
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
gboolean
hone_model_rope_scaling_from_name (const char       *kind,
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

void
hone_model_add_eos_id (HoneModelInfo *info,
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
      hone_model_add_eos_id (info, (gint32) MIN (id, (guint32) G_MAXINT32));
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
  if (!hone_model_rope_scaling_from_name (kind, name, &info->rope_scaling, error))
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
  hone_model_info_from_tensors (info, hone_gguf_get_n_tensors (gguf), gguf_tensor_name,
                                gguf_tensor_elements, gguf);
  return hone_model_check_info (info, name, error);
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
    ok = hone_model_open_hf (model, error);
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
