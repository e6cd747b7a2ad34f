/* test-model.c — models from GGUF files and Hugging Face folders: the same seed written
 * both ways reads back as the same tensors under the same names (Q/K permutation
 * included), hyperparameters from either form, sharded folders, tied output, and
 * refusals naming an unknown architecture.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "model/hone-gguf.h"
#include "model/hone-model.h"
#include "model/hone-safetensors.h"
#include "model/hone-test-model.h"
#include "hone-test-util.h"

static char *
vocab_path (const char *name)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");
  char *path;

  if (testdata == NULL)
    return NULL;
  path = g_build_filename (testdata, "vocab", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_clear_pointer (&path, g_free);
  return path;
}

static void
assert_same_info (const HoneModelInfo *a,
                  const HoneModelInfo *b)
{
  g_assert_cmpint (a->arch, ==, b->arch);
  g_assert_cmpuint (a->n_layers, ==, b->n_layers);
  g_assert_cmpuint (a->dim, ==, b->dim);
  g_assert_cmpuint (a->n_heads, ==, b->n_heads);
  g_assert_cmpuint (a->n_kv_heads, ==, b->n_kv_heads);
  g_assert_cmpuint (a->head_dim, ==, b->head_dim);
  g_assert_cmpuint (a->ffn, ==, b->ffn);
  g_assert_cmpuint (a->vocab_size, ==, b->vocab_size);
  g_assert_cmpuint (a->context_length, ==, b->context_length);
  g_assert_cmpfloat_with_epsilon (a->rope_theta, b->rope_theta, 1e-6 * a->rope_theta);
  g_assert_cmpfloat_with_epsilon (a->rms_eps, b->rms_eps, 1e-12);
  g_assert_cmpint (a->tied_output, ==, b->tied_output);
  g_assert_cmpint (a->qkv_bias, ==, b->qkv_bias);
  g_assert_cmpint (a->qk_norm, ==, b->qk_norm);
  g_assert_cmpuint (a->n_params, ==, b->n_params);
  g_assert_cmpint (a->has_chat_template, ==, b->has_chat_template);
  g_assert_cmpint (a->bos_id, ==, b->bos_id);
  g_assert_cmpmem (a->eos_ids, a->n_eos_ids * sizeof (gint32),
                   b->eos_ids, b->n_eos_ids * sizeof (gint32));
  g_assert_cmpint (a->rope_scaling, ==, b->rope_scaling);
  g_assert_cmpfloat (a->rope_scaling_factor, ==, b->rope_scaling_factor);
}

/* Every tensor of @a is in @b under the same name and shape, with the same values. */
static void
assert_same_tensors (HoneModel *a,
                     HoneModel *b)
{
  g_assert_cmpuint (hone_model_get_n_tensors (a), ==, hone_model_get_n_tensors (b));
  for (guint i = 0; i < hone_model_get_n_tensors (a); i++)
    {
      const HoneModelTensor *ta = hone_model_get_tensor (a, i);
      const HoneModelTensor *tb = hone_model_find_tensor (b, ta->name);
      g_autoptr(GError) error = NULL;
      g_autofree float *va = NULL;
      g_autofree float *vb = NULL;

      if (tb == NULL)
        g_error ("tensor %s is missing from the second form", ta->name);
      g_assert_cmpuint (ta->n_dims, ==, tb->n_dims);
      for (guint d = 0; d < HONE_GGUF_MAX_DIMS; d++)
        g_assert_cmpuint (ta->ne[d], ==, tb->ne[d]);
      va = hone_model_tensor_dup_f32 (ta, &error);
      g_assert_no_error (error);
      vb = hone_model_tensor_dup_f32 (tb, &error);
      g_assert_no_error (error);
      if (memcmp (va, vb, ta->n_elements * sizeof (float)) != 0)
        g_error ("tensor %s differs between the forms", ta->name);
    }
}

static void
check_both_forms (HoneArch      arch,
                  HoneGgmlType  dtype,
                  gboolean      tied)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  g_autofree char *gguf_path = g_build_filename (dir, "m.gguf", NULL);
  g_autofree char *hf_path = g_build_filename (dir, "m-hf", NULL);
  g_autofree char *vocab = vocab_path ("ggml-vocab-llama-spm.gguf");
  g_autoptr(HoneModel) from_gguf = NULL;
  g_autoptr(HoneModel) from_hf = NULL;
  g_autoptr(GError) error = NULL;
  HoneTestModelOptions options;
  const HoneModelInfo *info;

  hone_test_model_options_init (&options, arch);
  options.vocab_from = vocab;
  options.dtype = dtype;
  options.seed = 42;
  options.n_layers = 2;
  options.dim = 64;
  options.n_heads = 4;
  options.n_kv_heads = 2;
  options.tied = tied;
  g_assert_true (hone_test_model_write (&options, gguf_path, &error));
  g_assert_no_error (error);
  options.hf = TRUE;
  g_assert_true (hone_test_model_write (&options, hf_path, &error));
  g_assert_no_error (error);

  from_gguf = hone_model_open (gguf_path, &error);
  g_assert_no_error (error);
  from_hf = hone_model_open (hf_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hone_model_get_gguf (from_gguf));
  g_assert_null (hone_model_get_gguf (from_hf));

  info = hone_model_get_info (from_gguf);
  g_assert_cmpstr (info->arch_name, ==, hone_arch_get_name (arch));
  g_assert_cmpuint (info->n_layers, ==, 2);
  g_assert_cmpuint (info->dim, ==, 64);
  g_assert_cmpuint (info->n_heads, ==, 4);
  g_assert_cmpuint (info->n_kv_heads, ==, 2);
  g_assert_cmpuint (info->head_dim, ==, 16);
  g_assert_cmpuint (info->ffn, ==, 160);
  g_assert_cmpuint (info->context_length, ==, 512);
  g_assert_cmpint (info->tied_output, ==, tied);
  g_assert_cmpint (info->qkv_bias, ==, arch == HONE_ARCH_QWEN2);
  g_assert_cmpint (info->qk_norm, ==, arch == HONE_ARCH_QWEN3);
  g_assert_cmpint (info->quant, ==, dtype);
  if (vocab != NULL)
    g_assert_cmpuint (info->vocab_size, ==, 32000);
  else
    g_assert_cmpuint (info->vocab_size, ==, 259);
  g_assert_true (info->has_tokenizer);
  g_assert_true (hone_model_get_info (from_hf)->has_tokenizer);  /* tokenizer.json written */
  assert_same_info (info, hone_model_get_info (from_hf));
  g_assert_nonnull (hone_model_find_tensor (from_hf, "blk.1.ffn_down.weight"));
  g_assert_cmpint (hone_model_find_tensor (from_hf, "output.weight") == NULL, ==, tied);
  assert_same_tensors (from_gguf, from_hf);
  hone_test_remove_tree (dir);
}

static void
test_both_forms (void)
{
  const HoneArch archs[] = { HONE_ARCH_LLAMA, HONE_ARCH_QWEN2, HONE_ARCH_QWEN3 };
  const HoneGgmlType dtypes[] = { HONE_GGML_TYPE_F32, HONE_GGML_TYPE_F16, HONE_GGML_TYPE_BF16 };

  for (guint a = 0; a < G_N_ELEMENTS (archs); a++)
    for (guint d = 0; d < G_N_ELEMENTS (dtypes); d++)
      {
        g_test_message ("%s %s", hone_arch_get_name (archs[a]), hone_ggml_type_name (dtypes[d]));
        check_both_forms (archs[a], dtypes[d], a == 1);
      }
}

/* The Q/K permutation: HF row i of head h goes to GGUF row 2i, row hd/2+i to 2i+1. */
static void
test_permutation (void)
{
  float hf[2 * 8], gguf[2 * 8], back[2 * 8];

  for (guint i = 0; i < 16; i++)
    hf[i] = i;
  hone_model_permute_qk (gguf, hf, 16, sizeof (float), 2, TRUE);
  {
    const float want[] = { 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15 };

    for (guint i = 0; i < 16; i++)
      g_assert_cmpfloat (gguf[i], ==, want[i]);
  }
  hone_model_permute_qk (back, gguf, 16, sizeof (float), 2, FALSE);
  g_assert_true (memcmp (back, hf, sizeof hf) == 0);
}

static void
test_names (void)
{
  static const char *const pairs[][2] = {
    { "model.embed_tokens.weight", "token_embd.weight" },
    { "model.norm.weight", "output_norm.weight" },
    { "lm_head.weight", "output.weight" },
    { "model.layers.0.input_layernorm.weight", "blk.0.attn_norm.weight" },
    { "model.layers.12.self_attn.q_proj.weight", "blk.12.attn_q.weight" },
    { "model.layers.3.self_attn.k_proj.bias", "blk.3.attn_k.bias" },
    { "model.layers.3.self_attn.v_proj.weight", "blk.3.attn_v.weight" },
    { "model.layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight" },
    { "model.layers.3.self_attn.q_norm.weight", "blk.3.attn_q_norm.weight" },
    { "model.layers.3.self_attn.k_norm.weight", "blk.3.attn_k_norm.weight" },
    { "model.layers.3.post_attention_layernorm.weight", "blk.3.ffn_norm.weight" },
    { "model.layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight" },
    { "model.layers.3.mlp.up_proj.weight", "blk.3.ffn_up.weight" },
    { "model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *to_gguf = hone_model_map_hf_name (pairs[i][0]);
      g_autofree char *to_hf = hone_model_map_gguf_name (pairs[i][1]);

      g_assert_cmpstr (to_gguf, ==, pairs[i][1]);
      g_assert_cmpstr (to_hf, ==, pairs[i][0]);
    }
  g_assert_null (hone_model_map_hf_name ("model.layers.x.mlp.up_proj.weight"));
  g_assert_null (hone_model_map_hf_name ("model.layers.1.mlp.up_proj.weightx"));
  g_assert_null (hone_model_map_hf_name ("vision_tower.blocks.0.weight"));
}

/* A folder whose weights are split over two shards named by an index. */
static void
test_sharded (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  g_autofree char *gguf_path = g_build_filename (dir, "m.gguf", NULL);
  g_autofree char *hf_path = g_build_filename (dir, "hf", NULL);
  g_autofree char *single = g_build_filename (hf_path, "model.safetensors", NULL);
  g_autoptr(HoneSafetensors) st = NULL;
  g_autoptr(HoneModel) a = NULL;
  g_autoptr(HoneModel) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) index = g_string_new ("{\"metadata\": {}, \"weight_map\": {");
  GArray *shard[2] = { NULL, NULL };
  HoneTestModelOptions options;
  guint n;

  hone_test_model_options_init (&options, HONE_ARCH_LLAMA);
  options.seed = 7;
  g_assert_true (hone_test_model_write (&options, gguf_path, &error));
  options.hf = TRUE;
  g_assert_true (hone_test_model_write (&options, hf_path, &error));
  g_assert_no_error (error);

  st = hone_safetensors_open (single, &error);
  g_assert_no_error (error);
  n = hone_safetensors_get_n_tensors (st);
  for (guint s = 0; s < 2; s++)
    shard[s] = g_array_new (FALSE, TRUE, sizeof (HoneSafetensorsEntry));
  for (guint i = 0; i < n; i++)
    {
      const HoneSafetensor *t = hone_safetensors_get_tensor (st, i);
      HoneSafetensorsEntry e = { t->name, t->dtype, t->n_dims, t->shape,
                                 g_bytes_new_static (t->data, t->size) };
      guint s = i < n / 2 ? 0 : 1;

      g_array_append_val (shard[s], e);
      g_string_append_printf (index, "%s\"%s\": \"model-0000%u-of-00002.safetensors\"",
                              i > 0 ? ", " : "", t->name, s + 1);
    }
  g_string_append (index, "}}");
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *name = g_strdup_printf ("model-0000%u-of-00002.safetensors", s + 1);
      g_autofree char *path = g_build_filename (hf_path, name, NULL);

      g_assert_true (hone_safetensors_write (path, (HoneSafetensorsEntry *) shard[s]->data,
                                             shard[s]->len, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < shard[s]->len; i++)
        g_bytes_unref (g_array_index (shard[s], HoneSafetensorsEntry, i).data);
    }
  g_free (hone_test_write_file (hf_path, "model.safetensors.index.json", index->str, -1));
  g_array_unref (shard[0]);
  g_array_unref (shard[1]);
  g_clear_pointer (&st, hone_safetensors_free);
  g_assert_cmpint (g_unlink (single), ==, 0);

  a = hone_model_open (gguf_path, &error);
  g_assert_no_error (error);
  b = hone_model_open (hf_path, &error);
  g_assert_no_error (error);
  assert_same_info (hone_model_get_info (a), hone_model_get_info (b));
  assert_same_tensors (a, b);

  /* an index that points out of the folder is refused */
  g_free (hone_test_write_file (hf_path, "model.safetensors.index.json",
                                "{\"weight_map\": {\"x\": \"../m.gguf\"}}", -1));
  g_clear_pointer (&b, hone_model_free);
  b = hone_model_open (hf_path, &error);
  g_assert_null (b);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "model.safetensors.index.json: "));
  hone_test_remove_tree (dir);
}

static void
test_quantized (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  const HoneGgmlType types[] = { HONE_GGML_TYPE_Q8_0, HONE_GGML_TYPE_Q4_0 };
  const float tolerance[] = { 0.02f, 0.2f };
  g_autofree char *f32_path = g_build_filename (dir, "f32.gguf", NULL);
  g_autoptr(HoneModel) reference = NULL;
  g_autoptr(GError) error = NULL;
  HoneTestModelOptions options;

  hone_test_model_options_init (&options, HONE_ARCH_QWEN3);
  options.seed = 3;
  g_assert_true (hone_test_model_write (&options, f32_path, &error));
  reference = hone_model_open (f32_path, &error);
  g_assert_no_error (error);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autofree char *path = g_build_filename (dir, "q.gguf", NULL);
      g_autoptr(HoneModel) model = NULL;
      const HoneModelTensor *q, *r;
      g_autofree float *vq = NULL;
      g_autofree float *vr = NULL;
      float amax = 0.0f, worst = 0.0f;

      options.dtype = types[t];
      g_assert_true (hone_test_model_write (&options, path, &error));
      g_assert_no_error (error);
      model = hone_model_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (hone_model_get_info (model)->quant, ==, types[t]);
      g_assert_cmpuint (hone_model_get_info (model)->n_params, ==,
                        hone_model_get_info (reference)->n_params);
      q = hone_model_find_tensor (model, "blk.0.ffn_up.weight");
      r = hone_model_find_tensor (reference, "blk.0.ffn_up.weight");
      g_assert_cmpint (q->type, ==, types[t]);
      g_assert_cmpint (hone_model_find_tensor (model, "blk.0.attn_norm.weight")->type, ==,
                       HONE_GGML_TYPE_F32);
      vq = hone_model_tensor_dup_f32 (q, &error);
      vr = hone_model_tensor_dup_f32 (r, &error);
      for (guint64 i = 0; i < r->n_elements; i++)
        {
          amax = MAX (amax, fabsf (vr[i]));
          worst = MAX (worst, fabsf (vr[i] - vq[i]));
        }
      g_assert_cmpfloat (worst, <=, tolerance[t] * amax);
    }

  /* the Hugging Face form has no quantized weights */
  options.hf = TRUE;
  {
    g_autofree char *path = g_build_filename (dir, "q-hf", NULL);

    g_assert_false (hone_test_model_write (&options, path, &error));
    g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  }
  hone_test_remove_tree (dir);
}

static void
test_refusals (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "gptj.gguf", NULL);
  g_autofree char *hf = g_build_filename (dir, "neox", NULL);
  g_autofree char *vocab = vocab_path ("ggml-vocab-gpt-2.gguf");
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();
  g_autoptr(GError) error = NULL;
  HoneModel *model;

  hone_gguf_writer_set_string (writer, "general.architecture", "gptj");
  hone_gguf_writer_set_u32 (writer, "gptj.block_count", 2);
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  model = hone_model_open (path, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "gptj.gguf: "));
  g_assert_nonnull (strstr (error->message, "'gptj'"));
  g_clear_error (&error);

  g_free (hone_test_write_file (hf, "config.json",
                                "{\"model_type\": \"gpt_neox\", \"hidden_size\": 64}", -1));
  model = hone_model_open (hf, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "'gpt_neox'"));
  g_assert_true (g_str_has_prefix (error->message, "config.json: "));
  g_clear_error (&error);

  g_free (hone_test_write_file (hf, "config.json",
                                "{\"model_type\": \"llama\", \"num_hidden_layers\": 1, "
                                "\"hidden_size\": \"64\"}", -1));
  model = hone_model_open (hf, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_assert_nonnull (strstr (error->message, "'hidden_size'"));
  g_clear_error (&error);

  g_free (hone_test_write_file (hf, "config.json",
                                "{\"model_type\": \"llama\", \"hidden_size\": 64, "
                                "\"num_hidden_layers\": 1, \"intermediate_size\": 32, "
                                "\"num_attention_heads\": 4, \"vocab_size\": 10}", -1));
  model = hone_model_open (hf, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "safetensors"));
  g_clear_error (&error);

  /* a vocabulary-only GGUF describes no model */
  if (vocab != NULL)
    {
      model = hone_model_open (vocab, &error);
      g_assert_null (model);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "ggml-vocab-gpt-2.gguf: "));
      g_clear_error (&error);
    }
  hone_test_remove_tree (dir);
}

/* A mutated config.json gives a model or an error naming the file, never a crash. */
static void
test_config_mutations (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  g_autofree char *hf = g_build_filename (dir, "hf", NULL);
  g_autofree char *config_path = g_build_filename (hf, "config.json", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  HoneTestModelOptions options;
  gsize len;
  guint n_opened = 0;

  hone_test_model_options_init (&options, HONE_ARCH_QWEN2);
  options.hf = TRUE;
  options.n_layers = 1;
  options.dim = 16;
  options.n_heads = 2;
  options.ffn = 32;
  g_assert_true (hone_test_model_write (&options, hf, &error));
  g_assert_true (g_file_get_contents (config_path, &original, &len, &error));
  for (guint round = 0; round < 400; round++)
    {
      g_autofree char *copy = g_memdup2 (original, len);
      g_autoptr(HoneModel) model = NULL;
      static const char noise[] = "0123456789-.e\"{}[],: xtfn";
      gsize cut = round < 100 ? (gsize) g_rand_int_range (rand, 0, len) : len;

      for (guint c = 0; round >= 100 && c < 2; c++)
        copy[g_rand_int_range (rand, 0, len)] =
          noise[g_rand_int_range (rand, 0, sizeof noise - 1)];
      g_assert_true (g_file_set_contents (config_path, copy, cut, NULL));
      model = hone_model_open (hf, &error);
      if (model != NULL)
        {
          n_opened++;
          continue;
        }
      /* the file at fault, or the folder for a model that does not add up */
      if (!g_str_has_prefix (error->message, "config.json: ")
          && !g_str_has_prefix (error->message, "hf: "))
        g_error ("the message names neither config.json nor the folder: %s", error->message);
      g_clear_error (&error);
    }
  g_test_message ("400 mutants, %u opened", n_opened);
  hone_test_remove_tree (dir);
}

/* Special ids from generation_config.json (else config.json, or GGUF), and Llama 3's
 * RoPE scaling from config.json. */
static void
test_generation_config (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-model-XXXXXX");
  g_autofree char *hf = g_build_filename (dir, "hf", NULL);
  g_autofree char *gguf = g_build_filename (dir, "m.gguf", NULL);
  g_autofree char *config_path = g_build_filename (hf, "config.json", NULL);
  g_autofree char *config = NULL;
  g_autofree char *scaled = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneModel) model = NULL;
  const HoneModelInfo *info;
  HoneTestModelOptions options;
  static const struct
  {
    const char *file;
    const char *text;
    const char *mention;
  } bad[] = {
    { "generation_config.json", "{\"eos_token_id\": \"</s>\"}", "'eos_token_id'" },
    { "generation_config.json", "{\"eos_token_id\": [1, -2]}", "'eos_token_id'" },
    { "generation_config.json", "{\"eos_token_id\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}", "at most" },
    { "generation_config.json", "{\"bos_token_id\": 1e3}", "'bos_token_id'" },
    { "generation_config.json", "[1]", "generation_config.json" },
    { "generation_config.json", "{\"eos_token_id\": ", "generation_config.json" },
  };

  hone_test_model_options_init (&options, HONE_ARCH_LLAMA);
  options.n_layers = 1;
  options.dim = 16;
  options.n_heads = 2;
  options.ffn = 32;
  g_assert_true (hone_test_model_write (&options, gguf, &error));
  options.hf = TRUE;
  g_assert_true (hone_test_model_write (&options, hf, &error));

  /* the byte vocabulary's <s> and </s>, in both forms; no scaling */
  model = hone_model_open (gguf, &error);
  g_assert_no_error (error);
  info = hone_model_get_info (model);
  g_assert_cmpint (info->bos_id, ==, 1);
  g_assert_cmpuint (info->n_eos_ids, ==, 1);
  g_assert_cmpint (info->eos_ids[0], ==, 2);
  g_assert_cmpint (info->rope_scaling, ==, HONE_ROPE_SCALING_NONE);
  g_assert_cmpfloat (info->rope_scaling_factor, ==, 1.0);
  g_clear_pointer (&model, hone_model_free);
  model = hone_model_open (hf, &error);
  g_assert_no_error (error);
  info = hone_model_get_info (model);
  g_assert_cmpint (info->bos_id, ==, 1);
  g_assert_cmpuint (info->n_eos_ids, ==, 1);
  g_assert_cmpint (info->eos_ids[0], ==, 2);
  g_assert_cmpint (info->rope_scaling, ==, HONE_ROPE_SCALING_NONE);
  g_clear_pointer (&model, hone_model_free);

  /* Llama 3.1's form: a list of end ids, rope_scaling of type llama3 */
  g_free (hone_test_write_file (hf, "generation_config.json",
                                "{\"bos_token_id\": 128000, "
                                "\"eos_token_id\": [128001, 128008, 128009, 128001]}", -1));
  g_assert_true (g_file_get_contents (config_path, &config, NULL, &error));
  g_assert_true (g_str_has_suffix (g_strchomp (config), "}"));
  config[strlen (config) - 1] = '\0';
  scaled = g_strconcat (config, ", \"rope_scaling\": {\"factor\": 8.0, \"low_freq_factor\": 1.0, "
                        "\"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192, "
                        "\"rope_type\": \"llama3\"}}", NULL);
  g_free (hone_test_write_file (hf, "config.json", scaled, -1));
  model = hone_model_open (hf, &error);
  g_assert_no_error (error);
  info = hone_model_get_info (model);
  g_assert_cmpint (info->bos_id, ==, 128000);
  g_assert_cmpuint (info->n_eos_ids, ==, 3);
  g_assert_cmpint (info->eos_ids[0], ==, 128001);
  g_assert_cmpint (info->eos_ids[1], ==, 128008);
  g_assert_cmpint (info->eos_ids[2], ==, 128009);
  g_assert_cmpint (info->rope_scaling, ==, HONE_ROPE_SCALING_LLAMA3);
  g_assert_cmpfloat (info->rope_scaling_factor, ==, 8.0);
  g_assert_cmpfloat (info->rope_low_freq_factor, ==, 1.0);
  g_assert_cmpfloat (info->rope_high_freq_factor, ==, 4.0);
  g_assert_cmpuint (info->rope_original_context, ==, 8192);
  g_clear_pointer (&model, hone_model_free);

  /* an unknown scaling is refused by name */
  g_free (scaled);
  scaled = g_strconcat (config, ", \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2}}",
                        NULL);
  g_free (hone_test_write_file (hf, "config.json", scaled, -1));
  model = hone_model_open (hf, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "'dynamic'"));
  g_assert_true (g_str_has_prefix (error->message, "config.json: "));
  g_clear_error (&error);
  g_free (scaled);
  scaled = g_strconcat (config, ", \"rope_scaling\": {\"rope_type\": \"llama3\", "
                        "\"factor\": -8}}", NULL);
  g_free (hone_test_write_file (hf, "config.json", scaled, -1));
  model = hone_model_open (hf, &error);
  g_assert_null (model);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  /* back to the model's own config.json, for the generation_config.json refusals */
  g_free (scaled);
  scaled = g_strconcat (config, "}", NULL);
  g_free (hone_test_write_file (hf, "config.json", scaled, -1));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_free (hone_test_write_file (hf, bad[i].file, bad[i].text, -1));
      model = hone_model_open (hf, &error);
      g_assert_null (model);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, bad[i].file));
      g_assert_nonnull (strstr (error->message, bad[i].mention));
      g_clear_error (&error);
    }
  hone_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/model/both-forms", test_both_forms);
  g_test_add_func ("/hone/model/permutation", test_permutation);
  g_test_add_func ("/hone/model/names", test_names);
  g_test_add_func ("/hone/model/sharded", test_sharded);
  g_test_add_func ("/hone/model/quantized", test_quantized);
  g_test_add_func ("/hone/model/refusals", test_refusals);
  g_test_add_func ("/hone/model/config-mutations", test_config_mutations);
  g_test_add_func ("/hone/model/generation-config", test_generation_config);

  return g_test_run ();
}
