/* hone-test-adapter.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeded random LoRA adapters. The pairs are drawn layer by layer, target by target (A,
 * then B) from one generator, in f32, and written as they are: GGUF in ggml order under
 * "<base>.lora_a"/"<base>.lora_b", PEFT row-major under Hugging Face names, with llama's
 * Q/K rows of B put back into Hugging Face's order, which reading undoes.
 *
 * Sizes: A ~ N(0, 1/K) and B ~ N(0, 1/(16 r)), so that each element of B · A has a
 * standard deviation of 0.25/√K; at the default scale of 2 (alpha = 2 r) the change is
 * as large as the test models' own weights (0.5/√K), which moves the logits clearly.
 */
#define G_LOG_DOMAIN "hone-test-adapter"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hone-gguf.h"
#include "hone-safetensors.h"
#include "hone-test-adapter.h"

static const struct
{
  HoneLoraTargets  target;
  const char      *key;      /* for --targets */
  const char      *gguf;     /* blk.N.<gguf>.weight */
  const char      *module;   /* PEFT target_modules */
} targets[] = {
  { HONE_LORA_TARGET_Q, "q", "attn_q", "q_proj" },
  { HONE_LORA_TARGET_K, "k", "attn_k", "k_proj" },
  { HONE_LORA_TARGET_V, "v", "attn_v", "v_proj" },
  { HONE_LORA_TARGET_O, "o", "attn_output", "o_proj" },
  { HONE_LORA_TARGET_GATE, "gate", "ffn_gate", "gate_proj" },
  { HONE_LORA_TARGET_UP, "up", "ffn_up", "up_proj" },
  { HONE_LORA_TARGET_DOWN, "down", "ffn_down", "down_proj" },
};

typedef struct
{
  char    *target;   /* GGUF name of the base weight */
  guint    n;
  guint    k;
  guint    rank;
  float   *a;        /* (rank, k) */
  float   *b;        /* (n, rank), GGUF row order */
} GenPair;

static void
gen_pair_free (gpointer data)
{
  GenPair *p = data;

  g_free (p->target);
  g_free (p->a);
  g_free (p->b);
  g_free (p);
}

void
hone_test_adapter_options_init (HoneTestAdapterOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = 1;
}

gboolean
hone_lora_targets_parse (const char       *text,
                         HoneLoraTargets  *out,
                         GError          **error)
{
  g_auto(GStrv) parts = NULL;
  guint mask = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      guint found = 0;

      if (g_str_equal (part, "attn"))
        found = HONE_LORA_TARGET_ATTENTION;
      else if (g_str_equal (part, "mlp"))
        found = HONE_LORA_TARGET_MLP;
      else if (g_str_equal (part, "all"))
        found = HONE_LORA_TARGET_ALL;
      for (guint t = 0; t < G_N_ELEMENTS (targets) && found == 0; t++)
        if (g_str_equal (part, targets[t].key) || g_str_equal (part, targets[t].module))
          found = targets[t].target;
      if (found == 0)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "unknown LoRA target “%s” (q, k, v, o, gate, up, down, attn, mlp, all)",
                       part);
          return FALSE;
        }
      mask |= found;
    }
  if (mask == 0)
    {
      g_set_error_literal (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           "no LoRA targets given");
      return FALSE;
    }
  *out = mask;
  return TRUE;
}

static float
normal (GRand *rand)
{
  /* Box-Muller on the generator's doubles: the same numbers on every machine */
  double u1 = g_rand_double (rand);
  double u2 = g_rand_double (rand);

  if (u1 < 1e-300)
    u1 = 1e-300;
  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

static GPtrArray *
generate (HoneModel                     *model,
          const HoneTestAdapterOptions  *o,
          GError                       **error)
{
  const HoneModelInfo *info = hone_model_get_info (model);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (gen_pair_free);
  g_autoptr(GRand) rand = NULL;
  guint32 seed[2] = { (guint32) o->seed, (guint32) (o->seed >> 32) };

  rand = g_rand_new_with_seed_array (seed, 2);
  for (guint l = 0; l < info->n_layers; l++)
    for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
      {
        g_autofree char *name = NULL;
        const HoneModelTensor *w;
        GenPair *p;
        float sa, sb;

        if ((o->targets & targets[t].target) == 0)
          continue;
        name = g_strdup_printf ("blk.%u.%s.weight", l, targets[t].gguf);
        w = hone_model_find_tensor (model, name);
        if (w == NULL || w->n_dims != 2)
          {
            g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                         "%s: no 2-dimensional tensor '%s' to adapt",
                         hone_model_get_name (model), name);
            return NULL;
          }
        p = g_new0 (GenPair, 1);
        p->target = g_steal_pointer (&name);
        p->k = (guint) w->ne[0];
        p->n = (guint) w->ne[1];
        p->rank = o->rank;
        p->a = g_new (float, (gsize) p->rank * p->k);
        p->b = g_new (float, (gsize) p->n * p->rank);
        g_ptr_array_add (pairs, p);
        sa = 1.0f / sqrtf ((float) p->k);
        sb = 0.25f / sqrtf ((float) p->rank);
        for (gsize i = 0; i < (gsize) p->rank * p->k; i++)
          p->a[i] = sa * normal (rand);
        for (gsize i = 0; i < (gsize) p->n * p->rank; i++)
          p->b[i] = sb * normal (rand);
      }
  return g_steal_pointer (&pairs);
}

static GBytes *
float_bytes (const float *values,
             gsize        n)
{
  return g_bytes_new (values, n * sizeof (float));
}

static gboolean
write_gguf (HoneModel                     *model,
            const HoneTestAdapterOptions  *o,
            GPtrArray                     *pairs,
            const char                    *path,
            GError                       **error)
{
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();

  /* llama.cpp wants the architecture, and the alpha as an f32 */
  hone_gguf_writer_set_string (writer, "general.architecture",
                               hone_model_get_info (model)->arch_name);
  hone_gguf_writer_set_string (writer, "general.type", "adapter");
  hone_gguf_writer_set_string (writer, "general.name", "Hone test adapter");
  hone_gguf_writer_set_string (writer, "adapter.type", "lora");
  hone_gguf_writer_set_f32 (writer, "adapter.lora.alpha", o->alpha);
  for (guint i = 0; i < pairs->len; i++)
    {
      GenPair *p = g_ptr_array_index (pairs, i);
      g_autofree char *name_a = g_strconcat (p->target, ".lora_a", NULL);
      g_autofree char *name_b = g_strconcat (p->target, ".lora_b", NULL);
      g_autoptr(GBytes) a = float_bytes (p->a, (gsize) p->rank * p->k);
      g_autoptr(GBytes) b = float_bytes (p->b, (gsize) p->n * p->rank);
      guint64 ne_a[2] = { p->k, p->rank };
      guint64 ne_b[2] = { p->rank, p->n };

      if (!hone_gguf_writer_add_tensor (writer, name_a, HONE_GGML_TYPE_F32, 2, ne_a, a, error)
          || !hone_gguf_writer_add_tensor (writer, name_b, HONE_GGML_TYPE_F32, 2, ne_b, b,
                                           error))
        return FALSE;
    }
  return hone_gguf_writer_write (writer, path, error);
}

static gboolean
write_peft_config (HoneModel                     *model,
                   const HoneTestAdapterOptions  *o,
                   const char                    *dir,
                   GError                       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_build_filename (dir, "adapter_config.json", NULL);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "peft_type");
  json_builder_add_string_value (b, "LORA");
  json_builder_set_member_name (b, "task_type");
  json_builder_add_string_value (b, "CAUSAL_LM");
  json_builder_set_member_name (b, "base_model_name_or_path");
  json_builder_add_string_value (b, hone_model_get_name (model));
  json_builder_set_member_name (b, "r");
  json_builder_add_int_value (b, o->rank);
  json_builder_set_member_name (b, "lora_alpha");
  if (o->alpha == floorf (o->alpha) && fabsf (o->alpha) < 1e9f)
    json_builder_add_int_value (b, (gint64) o->alpha);
  else
    json_builder_add_double_value (b, o->alpha);
  json_builder_set_member_name (b, "lora_dropout");
  json_builder_add_double_value (b, 0.0);
  json_builder_set_member_name (b, "bias");
  json_builder_add_string_value (b, "none");
  json_builder_set_member_name (b, "fan_in_fan_out");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "use_rslora");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "use_dora");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "inference_mode");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "target_modules");
  json_builder_begin_array (b);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    if (o->targets & targets[t].target)
      json_builder_add_string_value (b, targets[t].module);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rank_pattern");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "alpha_pattern");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, "adapter_config.json: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_peft (HoneModel                     *model,
            const HoneTestAdapterOptions  *o,
            GPtrArray                     *pairs,
            const char                    *dir,
            GError                       **error)
{
  const HoneModelInfo *info = hone_model_get_info (model);
  g_autofree char *st_path = g_build_filename (dir, "adapter_model.safetensors", NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (HoneSafetensorsEntry));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_path_get_basename (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!write_peft_config (model, o, dir, error))
    return FALSE;

  for (guint i = 0; i < pairs->len; i++)
    {
      GenPair *p = g_ptr_array_index (pairs, i);
      g_autofree char *hf = hone_model_map_gguf_name (p->target);
      gsize stem;

      g_assert (hf != NULL && g_str_has_suffix (hf, ".weight"));
      stem = strlen (hf) - strlen (".weight");
      for (guint half = 0; half < 2; half++)
        {
          HoneSafetensorsEntry entry = { 0 };
          guint64 *shape = g_new (guint64, 2);
          char *name = g_strdup_printf ("base_model.model.%.*s.lora_%c.weight", (int) stem, hf,
                                        half == 0 ? 'A' : 'B');
          const float *values = half == 0 ? p->a : p->b;
          gsize n = (gsize) p->rank * (half == 0 ? p->k : p->n);
          float *rows = NULL;
          GBytes *bytes;

          /* llama's Q/K rows of B back into Hugging Face's order */
          if (half == 1 && info->arch == HONE_ARCH_LLAMA
              && (g_str_has_suffix (p->target, ".attn_q.weight")
                  || g_str_has_suffix (p->target, ".attn_k.weight")))
            {
              guint heads = g_str_has_suffix (p->target, ".attn_q.weight")
                            ? info->n_heads : info->n_kv_heads;

              rows = g_new (float, n);
              hone_model_permute_qk (rows, p->b, p->n, p->rank * sizeof (float), heads, FALSE);
              values = rows;
            }
          bytes = float_bytes (values, n);
          g_free (rows);
          shape[0] = half == 0 ? p->rank : p->n;
          shape[1] = half == 0 ? p->k : p->rank;
          g_ptr_array_add (keep, name);
          g_ptr_array_add (keep, shape);
          g_ptr_array_add (keep_bytes, bytes);
          entry.name = name;
          entry.dtype = "F32";
          entry.n_dims = 2;
          entry.shape = shape;
          entry.data = bytes;
          g_array_append_val (entries, entry);
        }
    }
  return hone_safetensors_write (st_path, (HoneSafetensorsEntry *) entries->data, entries->len,
                                 error);
}

gboolean
hone_test_adapter_write (HoneModel                     *model,
                         const HoneTestAdapterOptions  *options,
                         const char                    *path,
                         GError                       **error)
{
  HoneTestAdapterOptions o;
  g_autoptr(GPtrArray) pairs = NULL;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  o = *options;
  if (o.rank == 0)
    o.rank = 8;
  if (o.alpha == 0.0f)
    o.alpha = 2.0f * o.rank;
  if (o.targets == 0)
    o.targets = HONE_LORA_TARGET_ALL;
  if (o.rank > 4096 || (o.targets & ~HONE_LORA_TARGET_ALL) != 0 || !isfinite (o.alpha))
    {
      g_set_error_literal (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           "a test adapter needs a rank up to 4096, a finite alpha and known "
                           "targets");
      return FALSE;
    }

  pairs = generate (model, &o, error);
  if (pairs == NULL)
    return FALSE;
  if (o.peft)
    return write_peft (model, &o, pairs, path, error);
  return write_gguf (model, &o, pairs, path, error);
}
