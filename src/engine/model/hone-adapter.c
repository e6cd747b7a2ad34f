/* hone-adapter.c — LoRA adapters from llama.cpp's GGUF adapter files and PEFT folders.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both forms end as the same list of pairs, under the base weight's GGUF name, with A
 * (rank, K) and B (N, rank) as row-major floats. A GGUF's ggml order already is that
 * (ne = [K, r] is r rows of K). A PEFT folder stores the same shapes row-major under
 * Hugging Face names; for llama, B's rows of the Q and K projections are put into GGUF's
 * RoPE order, as the base weights are when a folder is read (hone-model-hf.c), so that
 * B · A lines up with the weight it is added to.
 */
#define G_LOG_DOMAIN "hone-adapter"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-adapter.h"
#include "hone-gguf.h"
#include "hone-safetensors.h"

struct _HoneAdapter
{
  char       *path;
  char       *name;        /* for messages: the file's or folder's base name */
  char       *display;     /* general.name, else @name */
  char       *arch;        /* general.architecture of a GGUF, or NULL */
  float       alpha;
  gboolean    has_alpha;   /* a GGUF without adapter.lora.alpha scales by 1, as llama.cpp */
  GPtrArray  *pairs;       /* HoneLoraPair *, sorted by target */
  GHashTable *index;       /* target → HoneLoraPair * */
  /* A PEFT folder's Q/K rows of B are in Hugging Face's order until the first check
   * against a model says whether (llama) and how (head counts) to reorder them. */
  gboolean    hf_order;
  gboolean    settled;
  HoneArch    settled_arch;
  guint       settled_heads[2];
};

static void
pair_free (gpointer data)
{
  HoneLoraPair *pair = data;

  g_free (pair->target);
  g_free (pair->a);
  g_free (pair->b);
  g_free (pair);
}

static HoneAdapter *
adapter_new (const char *path,
             const char *name)
{
  HoneAdapter *self = g_new0 (HoneAdapter, 1);

  self->path = g_strdup (path);
  self->name = g_strdup (name);
  self->pairs = g_ptr_array_new_with_free_func (pair_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
hone_adapter_free (HoneAdapter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->pairs);
  g_free (self->path);
  g_free (self->name);
  g_free (self->display);
  g_free (self->arch);
  g_free (self);
}

/* The pair for @target, created empty the first time. */
static HoneLoraPair *
pair_for (HoneAdapter *self,
          const char  *target)
{
  HoneLoraPair *pair = g_hash_table_lookup (self->index, target);

  if (pair != NULL)
    return pair;
  pair = g_new0 (HoneLoraPair, 1);
  pair->target = g_strdup (target);
  g_ptr_array_add (self->pairs, pair);
  g_hash_table_insert (self->index, pair->target, pair);
  return pair;
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const HoneLoraPair *pa = *(HoneLoraPair * const *) a;
  const HoneLoraPair *pb = *(HoneLoraPair * const *) b;

  return strcmp (pa->target, pb->target);
}

/* Every pair has both halves, with a rank that agrees: the last check of either form. */
static gboolean
finish (HoneAdapter  *self,
        GError      **error)
{
  if (self->pairs->len == 0)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: the adapter holds no LoRA tensors", self->name);
      return FALSE;
    }
  for (guint i = 0; i < self->pairs->len; i++)
    {
      HoneLoraPair *pair = g_ptr_array_index (self->pairs, i);

      if (pair->a == NULL || pair->b == NULL)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                       "%s: '%s' has a LoRA %s but no %s", self->name, pair->target,
                       pair->a == NULL ? "B" : "A", pair->a == NULL ? "A" : "B");
          return FALSE;
        }
    }
  g_ptr_array_sort (self->pairs, compare_pairs);
  if (self->display == NULL)
    self->display = g_strdup (self->name);
  return TRUE;
}

/* Stores one half: @rows × @cols floats converted from @type at @data. For A, @rows is
 * the rank and @cols K; for B, @rows is N and @cols the rank. The rank must agree with
 * the other half when that came first. */
static gboolean
set_half (HoneAdapter   *self,
          const char    *target,
          const char    *tensor_name,
          gboolean       is_a,
          HoneGgmlType   type,
          const void    *data,
          guint64        rows,
          guint64        cols,
          GError       **error)
{
  HoneLoraPair *pair = pair_for (self, target);
  guint64 rank = is_a ? rows : cols;
  float *values;

  if (!hone_ggml_can_dequantize (type)
      || (hone_ggml_type_block_size (type) > 1 && cols % hone_ggml_type_block_size (type) != 0))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: tensor '%s' is %s, which Hone cannot read as a LoRA half "
                   "(expected f32, f16, bf16 or q8_0)", self->name, tensor_name,
                   hone_ggml_type_name (type));
      return FALSE;
    }
  if (rank == 0 || rank > 65536 || rows * cols == 0 || rows > G_MAXUINT || cols > G_MAXUINT)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: tensor '%s' has the shape %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT
                   ", which is no LoRA half", self->name, tensor_name, rows, cols);
      return FALSE;
    }
  if ((is_a ? pair->a : pair->b) != NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: LoRA %s of '%s' appears twice", self->name, is_a ? "A" : "B", target);
      return FALSE;
    }
  if ((pair->a != NULL || pair->b != NULL) && pair->rank != rank)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: tensor '%s' has rank %" G_GUINT64_FORMAT ", expected %u as in the "
                   "other half of the pair", self->name, tensor_name, rank, pair->rank);
      return FALSE;
    }

  values = g_new (float, rows * cols);
  hone_ggml_dequantize (type, data, values, rows * cols);
  pair->rank = (guint) rank;
  if (is_a)
    {
      pair->a = values;
      pair->k = (guint) cols;
    }
  else
    {
      pair->b = values;
      pair->n = (guint) rows;
    }
  return TRUE;
}

/* llama.cpp's GGUF adapter */

static gboolean
expect_string (HoneGguf    *gguf,
               const char  *key,
               const char  *expected,
               GError     **error)
{
  const char *value = NULL;

  if (hone_gguf_get_key_type (gguf, key) == HONE_GGUF_TYPE_STRING)
    value = hone_gguf_get_string (gguf, key, NULL, NULL);
  if (value != NULL && g_str_equal (value, expected))
    return TRUE;
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
               "%s: not a LoRA adapter (%s is %s%s%s, expected “%s”)",
               hone_gguf_get_name (gguf), key, value != NULL ? "“" : "",
               value != NULL ? value : "missing", value != NULL ? "”" : "", expected);
  return FALSE;
}

static HoneAdapter *
open_gguf (const char  *path,
           GError     **error)
{
  g_autoptr(HoneGguf) gguf = hone_gguf_open (path, error);
  g_autoptr(HoneAdapter) self = NULL;

  if (gguf == NULL)
    return NULL;
  if (!expect_string (gguf, "general.type", "adapter", error)
      || !expect_string (gguf, "adapter.type", "lora", error))
    return NULL;

  self = adapter_new (path, hone_gguf_get_name (gguf));
  if (hone_gguf_get_key_type (gguf, "general.name") == HONE_GGUF_TYPE_STRING)
    self->display = g_strdup (hone_gguf_get_string (gguf, "general.name", NULL, NULL));
  if (hone_gguf_get_key_type (gguf, "general.architecture") == HONE_GGUF_TYPE_STRING)
    self->arch = g_strdup (hone_gguf_get_string (gguf, "general.architecture", NULL, NULL));
  if (hone_gguf_has_key (gguf, "adapter.lora.alpha"))
    {
      g_autoptr(GError) local_error = NULL;

      if (!hone_gguf_get_f32 (gguf, "adapter.lora.alpha", &self->alpha, &local_error))
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "%s: adapter.lora.alpha should be a number: %s", self->name,
                       local_error->message);
          return NULL;
        }
      self->has_alpha = TRUE;
    }

  for (guint i = 0; i < hone_gguf_get_n_tensors (gguf); i++)
    {
      const HoneGgufTensor *t = hone_gguf_get_tensor (gguf, i);
      gboolean is_a = g_str_has_suffix (t->name, ".lora_a");
      g_autofree char *target = NULL;

      if (!is_a && !g_str_has_suffix (t->name, ".lora_b"))
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                       "%s: tensor '%s' is not a LoRA half (expected names ending in "
                       "“.lora_a” or “.lora_b”)", self->name, t->name);
          return NULL;
        }
      if (t->n_dims != 2)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "%s: tensor '%s' has %u dimensions, expected 2", self->name, t->name,
                       t->n_dims);
          return NULL;
        }
      target = g_strndup (t->name, strlen (t->name) - strlen (".lora_a"));
      /* ggml order: ne[0] is the row length, so A (ne [K, r]) is r rows of K and
       * B (ne [r, N]) is N rows of r. */
      if (!set_half (self, target, t->name, is_a, t->type, t->data, t->ne[1], t->ne[0], error))
        return NULL;
    }
  if (!finish (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* PEFT folders */

/* A config member that Hone does not honour, present with a value other than the one
 * that means "off". */
static gboolean
refuse_member (JsonObject  *config,
               const char  *key,
               const char  *why,
               GError     **error)
{
  JsonNode *node = json_object_get_member (config, key);
  gboolean off;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    off = json_object_get_size (json_node_get_object (node)) == 0;
  else if (JSON_NODE_HOLDS_ARRAY (node))
    off = json_array_get_length (json_node_get_array (node)) == 0;
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    off = !json_node_get_boolean (node);
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    off = g_str_equal (json_node_get_string (node), "none");
  else
    off = FALSE;
  if (off)
    return TRUE;
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
               "adapter_config.json: %s is set, which Hone does not support (%s)", key, why);
  return FALSE;
}

static gboolean
read_peft_config (HoneAdapter  *self,
                  const char   *dir,
                  guint        *rank,
                  gboolean     *any_rank,
                  GError      **error)
{
  g_autofree char *path = g_build_filename (dir, "adapter_config.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *config;
  JsonNode *node;
  const char *peft_type = NULL;
  gint64 r = 0;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, HONE_MODEL_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? HONE_MODEL_ERROR_MISSING : HONE_MODEL_ERROR_INVALID,
                   "%s: no PEFT adapter here (adapter_config.json: %s)", self->name,
                   local_error->message);
      return FALSE;
    }
  root = hone_json_parse ("adapter_config.json", contents, len, 1, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: %s", self->name,
                   root == NULL ? local_error->message
                   : "adapter_config.json: expected a JSON object");
      return FALSE;
    }
  config = json_node_get_object (root);

  if (!hone_json_get_string (config, "peft_type", FALSE, TRUE, &peft_type,
                             "adapter_config.json", 0, &local_error)
      || !hone_json_get_int (config, "r", TRUE, &r, NULL, "adapter_config.json", 0,
                             &local_error))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: %s", self->name,
                   local_error->message);
      return FALSE;
    }
  if (peft_type != NULL && !g_str_equal (peft_type, "LORA"))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: adapter_config.json: peft_type is “%s”, expected “LORA”", self->name,
                   peft_type);
      return FALSE;
    }
  if (r <= 0 || r > 65536)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: adapter_config.json: r is %" G_GINT64_FORMAT ", expected a rank "
                   "from 1 to 65536", self->name, r);
      return FALSE;
    }
  *rank = (guint) r;

  node = json_object_get_member (config, "lora_alpha");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: adapter_config.json: lora_alpha should be a number", self->name);
      return FALSE;
    }
  self->alpha = (float) json_node_get_double (node);
  self->has_alpha = TRUE;

  /* Ranks come from the tensors' shapes, so a rank pattern needs nothing more; every
   * other variant changes the arithmetic and is refused. */
  *any_rank = FALSE;
  node = json_object_get_member (config, "rank_pattern");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    *any_rank = json_object_get_size (json_node_get_object (node)) > 0;
  if (!refuse_member (config, "alpha_pattern", "a per-module alpha", error)
      || !refuse_member (config, "use_rslora", "rank-stabilized scaling", error)
      || !refuse_member (config, "use_dora", "DoRA", error)
      || !refuse_member (config, "fan_in_fan_out", "transposed weights", error)
      || !refuse_member (config, "bias", "trained biases", error)
      || !refuse_member (config, "modules_to_save", "whole trained modules", error)
      || !refuse_member (config, "megatron_config", "Megatron layers", error))
    {
      g_prefix_error (error, "%s: ", self->name);
      return FALSE;
    }
  return TRUE;
}

/* "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight" → the GGUF target
 * "blk.0.attn_q.weight" and which half; NULL for names that are not LoRA halves. */
static char *
peft_target (const char *name,
             gboolean   *is_a)
{
  static const char *const prefixes[] = { "base_model.model.", "base_model." };
  g_autofree char *hf = NULL;
  const char *rest = name;
  const char *end;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (rest, prefixes[i]))
      {
        rest += strlen (prefixes[i]);
        break;
      }
  if (g_str_has_suffix (rest, ".lora_A.weight"))
    *is_a = TRUE;
  else if (g_str_has_suffix (rest, ".lora_B.weight"))
    *is_a = FALSE;
  else
    return NULL;
  end = rest + strlen (rest) - strlen (".lora_A.weight");
  hf = g_strdup_printf ("%.*s.weight", (int) (end - rest), rest);
  return hone_model_map_hf_name (hf);
}

static HoneAdapter *
open_peft (const char  *dir,
           GError     **error)
{
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *st_path = g_build_filename (dir, "adapter_model.safetensors", NULL);
  g_autofree char *st_name = g_build_filename (base, "adapter_model.safetensors", NULL);
  g_autoptr(HoneAdapter) self = adapter_new (dir, base);
  g_autoptr(HoneSafetensors) st = NULL;
  guint rank = 0;
  gboolean any_rank = FALSE;

  self->hf_order = TRUE;

  if (!read_peft_config (self, dir, &rank, &any_rank, error))
    return NULL;
  if (!g_file_test (st_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: adapter_model.safetensors is missing (Hone reads PEFT adapters "
                   "saved as safetensors)", self->name);
      return NULL;
    }
  st = hone_safetensors_open (st_path, error);
  if (st == NULL)
    return NULL;

  for (guint i = 0; i < hone_safetensors_get_n_tensors (st); i++)
    {
      const HoneSafetensor *t = hone_safetensors_get_tensor (st, i);
      g_autofree char *target = NULL;
      gboolean is_a = FALSE;

      target = peft_target (t->name, &is_a);
      if (target == NULL)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                       "%s: tensor '%s' is not a LoRA half of a layer weight Hone knows "
                       "(expected “…layers.N.self_attn.q_proj.lora_A.weight” and the like)",
                       st_name, t->name);
          return NULL;
        }
      if (!t->supported || t->n_dims != 2)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                       "%s: tensor '%s' is %s with %u dimensions, expected a 2-dimensional "
                       "F32, F16 or BF16 tensor", st_name, t->name,
                       t->dtype, t->n_dims);
          return NULL;
        }
      if (!any_rank && t->shape[is_a ? 0 : 1] != rank)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "%s: tensor '%s' has rank %" G_GUINT64_FORMAT ", expected r = %u as "
                       "adapter_config.json says", st_name, t->name,
                       t->shape[is_a ? 0 : 1], rank);
          return NULL;
        }
      /* row-major (rows, cols): A (r, K), B (N, r) as stored */
      if (!set_half (self, target, t->name, is_a, t->type, t->data, t->shape[0], t->shape[1],
                     error))
        return NULL;
    }
  if (!finish (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

HoneAdapter *
hone_adapter_open (const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return open_peft (path, error);
  if (g_str_has_suffix (path, "adapter_config.json"))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      return open_peft (dir, error);
    }
  return open_gguf (path, error);
}

const char *
hone_adapter_get_path (HoneAdapter *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

const char *
hone_adapter_get_name (HoneAdapter *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display;
}

float
hone_adapter_get_alpha (HoneAdapter *self)
{
  g_return_val_if_fail (self != NULL, 0.0f);
  return self->alpha;
}

guint
hone_adapter_get_n_pairs (HoneAdapter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pairs->len;
}

const HoneLoraPair *
hone_adapter_get_pair (HoneAdapter *self,
                       guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->pairs->len, NULL);
  return g_ptr_array_index (self->pairs, index);
}

const HoneLoraPair *
hone_adapter_find_pair (HoneAdapter *self,
                        const char  *target)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);
  return g_hash_table_lookup (self->index, target);
}

float
hone_adapter_get_scale (HoneAdapter        *self,
                        const HoneLoraPair *pair)
{
  g_return_val_if_fail (self != NULL, 0.0f);
  g_return_val_if_fail (pair != NULL && pair->rank > 0, 0.0f);

  /* llama.cpp scales by 1 when a GGUF adapter gives no alpha (or 0) */
  if (!self->has_alpha || self->alpha == 0.0f)
    return 1.0f;
  return self->alpha / (float) pair->rank;
}

/* For a PEFT adapter on llama: B's rows of the Q and K projections into GGUF's order,
 * once, with @model's head counts. */
static gboolean
settle_order (HoneAdapter  *self,
              HoneModel    *model,
              GError      **error)
{
  const HoneModelInfo *info = hone_model_get_info (model);
  gboolean llama = info->arch == HONE_ARCH_LLAMA;

  if (!self->hf_order)
    return TRUE;
  if (self->settled)
    {
      if ((self->settled_arch == HONE_ARCH_LLAMA) == llama
          && (!llama || (self->settled_heads[0] == info->n_heads
                         && self->settled_heads[1] == info->n_kv_heads)))
        return TRUE;
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: the adapter was already matched to a %s model with %u/%u heads, "
                   "not %s", self->name, hone_arch_get_name (self->settled_arch),
                   self->settled_heads[0], self->settled_heads[1], hone_model_get_name (model));
      return FALSE;
    }
  if (llama)
    {
      /* all checked first, so that a refusal leaves every pair as it was */
      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < self->pairs->len; i++)
          {
            HoneLoraPair *pair = g_ptr_array_index (self->pairs, i);
            guint heads;
            float *rows;

            if (g_str_has_suffix (pair->target, ".attn_q.weight"))
              heads = info->n_heads;
            else if (g_str_has_suffix (pair->target, ".attn_k.weight"))
              heads = info->n_kv_heads;
            else
              continue;
            if (pass == 0)
              {
                if (heads == 0 || pair->n % heads != 0 || (pair->n / heads) % 2 != 0)
                  {
                    g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                                 "%s: the adapter's '%s' has %u rows, which %u heads of an "
                                 "even size do not divide", self->name, pair->target, pair->n,
                                 heads);
                    return FALSE;
                  }
                continue;
              }
            rows = g_new (float, (gsize) pair->n * pair->rank);
            hone_model_permute_qk (rows, pair->b, pair->n, pair->rank * sizeof (float), heads,
                                   TRUE);
            g_free (pair->b);
            pair->b = rows;
          }
    }
  self->settled = TRUE;
  self->settled_arch = info->arch;
  self->settled_heads[0] = info->n_heads;
  self->settled_heads[1] = info->n_kv_heads;
  return TRUE;
}

gboolean
hone_adapter_check (HoneAdapter  *self,
                    HoneModel    *model,
                    GError      **error)
{
  const HoneModelInfo *info;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = hone_model_get_info (model);
  if (self->arch != NULL && !g_str_equal (self->arch, info->arch_name))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: the adapter is for a %s model, but %s is %s", self->name, self->arch,
                   hone_model_get_name (model), info->arch_name);
      return FALSE;
    }
  for (guint i = 0; i < self->pairs->len; i++)
    {
      const HoneLoraPair *pair = g_ptr_array_index (self->pairs, i);
      const HoneModelTensor *t = hone_model_find_tensor (model, pair->target);

      if (t == NULL)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                       "%s: the adapter changes '%s', which %s does not have", self->name,
                       pair->target, hone_model_get_name (model));
          return FALSE;
        }
      if (t->n_dims != 2 || t->ne[0] != pair->k || t->ne[1] != pair->n)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "%s: the adapter's '%s' is %u × %u (rows × inputs), but %s has it "
                       "%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT, self->name, pair->target,
                       pair->n, pair->k, hone_model_get_name (model), t->ne[1], t->ne[0]);
          return FALSE;
        }
    }
  return settle_order (self, model, error);
}
