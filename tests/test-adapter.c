/* test-adapter.c — LoRA adapters: the GGUF and PEFT forms of one test adapter hold the
 * same pairs, a PEFT adapter on a Hugging Face folder gives the same logits as the GGUF
 * adapter on the GGUF model (through the CPU reference forward), and malformed adapters
 * are refused with a message naming the file and what was expected.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "model/hone-adapter.h"
#include "model/hone-gguf.h"
#include "model/hone-safetensors.h"
#include "model/hone-test-adapter.h"
#include "model/hone-test-model.h"
#include "ref/hone-ref-model.h"
#include "hone-test-util.h"

static char *
make_model (const char *dir,
            const char *file,
            HoneArch    arch,
            guint       dim,
            guint       layers,
            gboolean    hf)
{
  HoneTestModelOptions o;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, file, NULL);

  hone_test_model_options_init (&o, arch);
  o.dim = dim;
  o.n_layers = layers;
  o.n_heads = 4;
  o.n_kv_heads = 2;
  o.seed = 5;
  o.hf = hf;
  g_assert_true (hone_test_model_write (&o, path, &error));
  g_assert_no_error (error);
  return path;
}

static char *
make_adapter (HoneModel       *model,
              const char      *dir,
              const char      *file,
              guint            rank,
              HoneLoraTargets  targets,
              gboolean         peft)
{
  HoneTestAdapterOptions o;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, file, NULL);

  hone_test_adapter_options_init (&o);
  o.rank = rank;
  o.targets = targets;
  o.seed = 9;
  o.peft = peft;
  g_assert_true (hone_test_adapter_write (model, &o, path, &error));
  g_assert_no_error (error);
  return path;
}

static HoneModel *
open_model (const char *path)
{
  g_autoptr(GError) error = NULL;
  HoneModel *model = hone_model_open (path, &error);

  g_assert_no_error (error);
  return model;
}

static HoneAdapter *
open_adapter (const char *path)
{
  g_autoptr(GError) error = NULL;
  HoneAdapter *adapter = hone_adapter_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (adapter);
  return adapter;
}

/* max |a − b| / max |b| */
static double
relative_error (const double *a,
                const double *b,
                gsize         n)
{
  double worst = 0, scale = 0;

  for (gsize i = 0; i < n; i++)
    {
      worst = MAX (worst, fabs (a[i] - b[i]));
      scale = MAX (scale, fabs (b[i]));
    }
  return worst / scale;
}

static void
assert_same_pairs (HoneAdapter *x,
                   HoneAdapter *y)
{
  g_assert_cmpuint (hone_adapter_get_n_pairs (x), ==, hone_adapter_get_n_pairs (y));
  g_assert_cmpfloat (hone_adapter_get_alpha (x), ==, hone_adapter_get_alpha (y));
  for (guint i = 0; i < hone_adapter_get_n_pairs (x); i++)
    {
      const HoneLoraPair *p = hone_adapter_get_pair (x, i);
      const HoneLoraPair *q = hone_adapter_find_pair (y, p->target);

      g_assert_nonnull (q);
      g_assert_cmpuint (p->rank, ==, q->rank);
      g_assert_cmpuint (p->n, ==, q->n);
      g_assert_cmpuint (p->k, ==, q->k);
      g_assert_cmpmem (p->a, (gsize) p->rank * p->k * sizeof (float),
                       q->a, (gsize) q->rank * q->k * sizeof (float));
      g_assert_cmpmem (p->b, (gsize) p->n * p->rank * sizeof (float),
                       q->b, (gsize) q->n * q->rank * sizeof (float));
    }
}

static void
test_gguf_peft_same (gconstpointer data)
{
  HoneArch arch = GPOINTER_TO_UINT (data);
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *model_path = make_model (dir, "m.gguf", arch, 64, 2, FALSE);
  g_autoptr(HoneModel) model = open_model (model_path);
  g_autofree char *gguf_path = make_adapter (model, dir, "a.gguf", 6, 0, FALSE);
  g_autofree char *peft_path = make_adapter (model, dir, "peft", 6, 0, TRUE);
  g_autoptr(HoneAdapter) gguf = open_adapter (gguf_path);
  g_autoptr(HoneAdapter) peft = open_adapter (peft_path);
  g_autoptr(GError) error = NULL;
  const HoneLoraPair *q;
  const HoneModelTensor *w;
  double b_sum = 0;

  g_assert_true (hone_adapter_check (gguf, model, &error));
  g_assert_no_error (error);
  g_assert_true (hone_adapter_check (peft, model, &error));
  g_assert_no_error (error);
  /* every attention and feed-forward weight of both layers */
  g_assert_cmpuint (hone_adapter_get_n_pairs (gguf), ==, 14);
  g_assert_cmpfloat (hone_adapter_get_alpha (gguf), ==, 12.0f);
  assert_same_pairs (gguf, peft);

  q = hone_adapter_find_pair (gguf, "blk.1.attn_q.weight");
  w = hone_model_find_tensor (model, "blk.1.attn_q.weight");
  g_assert_nonnull (q);
  g_assert_cmpuint (q->rank, ==, 6);
  g_assert_cmpuint (q->k, ==, w->ne[0]);
  g_assert_cmpuint (q->n, ==, w->ne[1]);
  g_assert_cmpfloat_with_epsilon (hone_adapter_get_scale (gguf, q), 2.0f, 1e-6f);
  /* not a fresh adapter: B is not zero */
  for (guint i = 0; i < q->n * q->rank; i++)
    b_sum += fabs (q->b[i]);
  g_assert_cmpfloat (b_sum, >, 0.01 * q->n * q->rank);
  g_assert_cmpstr (hone_adapter_get_name (gguf), ==, "Hone test adapter");
  g_assert_cmpstr (hone_adapter_get_name (peft), ==, "peft");

  /* a check against a model again leaves the pairs as they are */
  g_assert_true (hone_adapter_check (peft, model, &error));
  assert_same_pairs (gguf, peft);
  hone_test_remove_tree (dir);
}

static void
test_targets (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *model_path = make_model (dir, "m.gguf", HONE_ARCH_QWEN2, 64, 3, FALSE);
  g_autoptr(HoneModel) model = open_model (model_path);
  g_autofree char *path = NULL;
  g_autoptr(HoneAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  HoneLoraTargets targets = 0;

  g_assert_true (hone_lora_targets_parse ("q, v,down", &targets, &error));
  g_assert_cmpuint (targets, ==, HONE_LORA_TARGET_Q | HONE_LORA_TARGET_V
                    | HONE_LORA_TARGET_DOWN);
  g_assert_true (hone_lora_targets_parse ("mlp", &targets, &error));
  g_assert_cmpuint (targets, ==, HONE_LORA_TARGET_MLP);
  g_assert_false (hone_lora_targets_parse ("q,lm_head", &targets, &error));
  hone_test_assert_mentions (error, "lm_head");
  g_clear_error (&error);

  path = make_adapter (model, dir, "a.gguf", 4, HONE_LORA_TARGET_Q | HONE_LORA_TARGET_V, FALSE);
  adapter = open_adapter (path);
  g_assert_cmpuint (hone_adapter_get_n_pairs (adapter), ==, 6);
  g_assert_nonnull (hone_adapter_find_pair (adapter, "blk.2.attn_v.weight"));
  g_assert_null (hone_adapter_find_pair (adapter, "blk.2.attn_k.weight"));
  hone_test_remove_tree (dir);
}

/* The PEFT adapter on the Hugging Face folder and the GGUF adapter on the GGUF file of the
 * same seeds give the same logits: for llama this needs B's Q/K rows in GGUF's order. */
static void
test_forward (gconstpointer data)
{
  HoneArch arch = GPOINTER_TO_UINT (data);
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *gguf_model_path = make_model (dir, "m.gguf", arch, 64, 2, FALSE);
  g_autofree char *hf_model_path = make_model (dir, "m-hf", arch, 64, 2, TRUE);
  g_autoptr(HoneModel) gguf_model = open_model (gguf_model_path);
  g_autoptr(HoneModel) hf_model = open_model (hf_model_path);
  g_autofree char *gguf_path = make_adapter (gguf_model, dir, "a.gguf", 8, 0, FALSE);
  g_autofree char *peft_path = make_adapter (gguf_model, dir, "peft", 8, 0, TRUE);
  g_autoptr(HoneAdapter) gguf = open_adapter (gguf_path);
  g_autoptr(HoneAdapter) peft = open_adapter (peft_path);
  const guint32 ids[] = { 1, 70, 101, 33, 258, 4, 17, 200, 99, 12, 3 };
  guint n = G_N_ELEMENTS (ids), vocab = hone_model_get_info (gguf_model)->vocab_size;
  g_autoptr(GError) error = NULL;
  g_autofree double *base = NULL, *with_gguf = NULL, *with_peft = NULL, *zero = NULL;
  g_autofree double *kv16 = NULL;
  double err;

  base = hone_ref_model_forward (gguf_model, NULL, 1.0f, ids, n, &error);
  g_assert_no_error (error);
  with_gguf = hone_ref_model_forward (gguf_model, gguf, 1.0f, ids, n, &error);
  g_assert_no_error (error);
  with_peft = hone_ref_model_forward (hf_model, peft, 1.0f, ids, n, &error);
  g_assert_no_error (error);
  zero = hone_ref_model_forward (gguf_model, gguf, 0.0f, ids, n, &error);
  g_assert_no_error (error);

  /* the same numbers in the same order: equal to rounding of the merge (none expected) */
  err = relative_error (with_peft, with_gguf, (gsize) n * vocab);
  g_test_message ("PEFT on the folder vs GGUF adapter: %g", err);
  g_assert_cmpfloat (err, <=, 1e-12);
  /* the adapter moves the logits clearly, and scale 0 takes it away */
  err = relative_error (with_gguf, base, (gsize) n * vocab);
  g_test_message ("with the adapter vs without: %g", err);
  g_assert_cmpfloat (err, >, 0.05);
  g_assert_cmpfloat (relative_error (zero, base, (gsize) n * vocab), ==, 0.0);

  /* an f16 KV cache changes the logits a little, not much */
  kv16 = hone_ref_model_forward_flags (gguf_model, NULL, 1.0f, HONE_REF_MODEL_KV_F16, ids, n,
                                       &error);
  g_assert_no_error (error);
  err = relative_error (kv16, base, (gsize) n * vocab);
  g_test_message ("f16 K/V vs f32: %g", err);
  g_assert_cmpfloat (err, >, 0.0);
  g_assert_cmpfloat (err, <, 1e-2);
  hone_test_remove_tree (dir);
}

/* An adapter file from a writer: @names with @ne (2 each), f32 zeros. */
static char *
write_gguf_adapter (const char         *dir,
                    const char         *file,
                    const char         *type,
                    const char * const *names,
                    const guint64      *ne,
                    guint               n)
{
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, file, NULL);

  hone_gguf_writer_set_string (writer, "general.architecture", "llama");
  hone_gguf_writer_set_string (writer, "general.type", type);
  hone_gguf_writer_set_string (writer, "adapter.type", "lora");
  hone_gguf_writer_set_f32 (writer, "adapter.lora.alpha", 4.0f);
  for (guint i = 0; i < n; i++)
    {
      gsize bytes = ne[2 * i] * ne[2 * i + 1] * sizeof (float);
      g_autoptr(GBytes) data = g_bytes_new_take (g_malloc0 (bytes), bytes);

      g_assert_true (hone_gguf_writer_add_tensor (writer, names[i], HONE_GGML_TYPE_F32, 2,
                                                  ne + 2 * i, data, &error));
    }
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_open_fails (const char *path,
                   int         code,
                   const char *name,
                   const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneAdapter) adapter = hone_adapter_open (path, &error);

  g_assert_null (adapter);
  g_assert_error (error, HONE_MODEL_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, name));
  hone_test_assert_mentions (error, words);
}

static void
test_gguf_errors (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *model_path = make_model (dir, "m.gguf", HONE_ARCH_LLAMA, 64, 2, FALSE);
  const char *ab[] = { "blk.0.attn_q.weight.lora_a", "blk.0.attn_q.weight.lora_b" };
  const char *a_only[] = { "blk.0.attn_q.weight.lora_a" };
  const char *other[] = { "blk.0.attn_q.weight" };
  const guint64 good[] = { 64, 4, 4, 64 };
  const guint64 bad_rank[] = { 64, 4, 3, 64 };
  const guint64 wrong_k[] = { 48, 4, 4, 64 };
  const guint64 wrong_n[] = { 64, 4, 4, 65 };
  g_autofree char *p = NULL;

  /* a model is not an adapter */
  assert_open_fails (model_path, HONE_MODEL_ERROR_UNSUPPORTED, "m.gguf: ",
                     "general.type is missing, expected “adapter”");
  p = write_gguf_adapter (dir, "model.gguf", "model", ab, good, 2);
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "model.gguf: ", "“model”");
  g_free (p);
  p = write_gguf_adapter (dir, "a-only.gguf", "adapter", a_only, good, 1);
  assert_open_fails (p, HONE_MODEL_ERROR_MISSING, "a-only.gguf: ",
                     "'blk.0.attn_q.weight' has a LoRA A but no B");
  g_free (p);
  p = write_gguf_adapter (dir, "rank.gguf", "adapter", ab, bad_rank, 2);
  assert_open_fails (p, HONE_MODEL_ERROR_INVALID, "rank.gguf: ", "rank 3, expected 4");
  g_free (p);
  p = write_gguf_adapter (dir, "other.gguf", "adapter", other, good, 1);
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "other.gguf: ", "“.lora_a”");
  g_free (p);
  p = g_build_filename (dir, "absent.gguf", NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (hone_adapter_open (p, &error));
    g_assert_nonnull (error);
  }

  /* shapes that do not fit the model */
  {
    g_autoptr(HoneModel) model = open_model (model_path);
    g_autofree char *k_path = write_gguf_adapter (dir, "k.gguf", "adapter", ab, wrong_k, 2);
    g_autofree char *n_path = write_gguf_adapter (dir, "n.gguf", "adapter", ab, wrong_n, 2);
    g_autofree char *ok_path = write_gguf_adapter (dir, "ok.gguf", "adapter", ab, good, 2);
    g_autoptr(HoneAdapter) k = open_adapter (k_path);
    g_autoptr(HoneAdapter) n = open_adapter (n_path);
    g_autoptr(HoneAdapter) ok = open_adapter (ok_path);
    g_autoptr(GError) error = NULL;

    g_assert_false (hone_adapter_check (k, model, &error));
    g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
    hone_test_assert_mentions (error, "k.gguf: the adapter's 'blk.0.attn_q.weight' is 64 × 48");
    g_clear_error (&error);
    g_assert_false (hone_adapter_check (n, model, &error));
    hone_test_assert_mentions (error, "65 × 64");
    g_clear_error (&error);
    g_assert_true (hone_adapter_check (ok, model, &error));
    g_assert_no_error (error);
  }
  hone_test_remove_tree (dir);
}

/* Halves stored as q8_0 (A: rows of K) and f16 (B) come back as the floats they hold. */
static void
test_gguf_types (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "types.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();
  g_autoptr(HoneAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  const HoneLoraPair *pair;
  float a[2 * 64], b[96 * 2];   /* A (2, 64), B (96, 2) */
  guint16 b16[96 * 2];
  guint64 q8_bytes;
  guint8 *q8;
  g_autoptr(GBytes) a_bytes = NULL;
  g_autoptr(GBytes) b_bytes = NULL;
  const guint64 ne_a[] = { 64, 2 }, ne_b[] = { 2, 96 };

  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    a[i] = sinf (i * 0.37f);
  g_assert_true (hone_ggml_type_size_of (HONE_GGML_TYPE_Q8_0, G_N_ELEMENTS (a), &q8_bytes));
  q8 = g_malloc (q8_bytes);
  hone_ggml_quantize (HONE_GGML_TYPE_Q8_0, a, q8, G_N_ELEMENTS (a));
  hone_ggml_dequantize (HONE_GGML_TYPE_Q8_0, q8, a, G_N_ELEMENTS (a));
  a_bytes = g_bytes_new_take (q8, q8_bytes);
  for (guint i = 0; i < G_N_ELEMENTS (b); i++)
    {
      b16[i] = hone_float_to_half (cosf (i * 0.11f));
      b[i] = hone_half_to_float (b16[i]);
    }
  b_bytes = g_bytes_new (b16, sizeof b16);

  hone_gguf_writer_set_string (writer, "general.type", "adapter");
  hone_gguf_writer_set_string (writer, "adapter.type", "lora");
  g_assert_true (hone_gguf_writer_add_tensor (writer, "blk.0.ffn_up.weight.lora_a",
                                              HONE_GGML_TYPE_Q8_0, 2, ne_a, a_bytes, &error));
  g_assert_true (hone_gguf_writer_add_tensor (writer, "blk.0.ffn_up.weight.lora_b",
                                              HONE_GGML_TYPE_F16, 2, ne_b, b_bytes, &error));
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_no_error (error);

  adapter = hone_adapter_open (path, &error);
  g_assert_no_error (error);
  pair = hone_adapter_get_pair (adapter, 0);
  g_assert_cmpstr (pair->target, ==, "blk.0.ffn_up.weight");
  g_assert_cmpuint (pair->rank, ==, 2);
  g_assert_cmpuint (pair->k, ==, 64);
  g_assert_cmpuint (pair->n, ==, 96);
  g_assert_cmpmem (pair->a, sizeof a, a, sizeof a);
  g_assert_cmpmem (pair->b, sizeof b, b, sizeof b);
  /* no alpha: scale 1, as llama.cpp */
  g_assert_cmpfloat (hone_adapter_get_scale (adapter, pair), ==, 1.0f);
  hone_test_remove_tree (dir);
}

static void
test_model_mismatch (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  g_autofree char *big_path = make_model (dir, "big.gguf", HONE_ARCH_LLAMA, 64, 3, FALSE);
  g_autofree char *small_path = make_model (dir, "small.gguf", HONE_ARCH_LLAMA, 64, 2, FALSE);
  g_autofree char *wide_path = make_model (dir, "wide.gguf", HONE_ARCH_LLAMA, 96, 3, FALSE);
  g_autofree char *qwen_path = make_model (dir, "qwen.gguf", HONE_ARCH_QWEN2, 64, 3, FALSE);
  g_autoptr(HoneModel) big = open_model (big_path);
  g_autoptr(HoneModel) small = open_model (small_path);
  g_autoptr(HoneModel) wide = open_model (wide_path);
  g_autoptr(HoneModel) qwen = open_model (qwen_path);
  g_autofree char *path = make_adapter (big, dir, "a.gguf", 4, 0, FALSE);
  g_autofree char *peft_path = make_adapter (big, dir, "peft", 4, 0, TRUE);
  g_autoptr(HoneAdapter) adapter = open_adapter (path);
  g_autoptr(HoneAdapter) peft = open_adapter (peft_path);
  g_autoptr(GError) error = NULL;
  const guint32 ids[] = { 1, 2, 3 };

  g_assert_false (hone_adapter_check (adapter, small, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING);
  hone_test_assert_mentions (error, "a.gguf: the adapter changes 'blk.2.");
  hone_test_assert_mentions (error, "which small.gguf does not have");
  g_clear_error (&error);
  g_assert_false (hone_adapter_check (adapter, wide, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  hone_test_assert_mentions (error, "wide.gguf has it");
  g_clear_error (&error);
  g_assert_false (hone_adapter_check (adapter, qwen, &error));
  hone_test_assert_mentions (error, "for a llama model, but qwen.gguf is qwen2");
  g_clear_error (&error);
  /* the reference refuses too */
  g_assert_null (hone_ref_model_forward (small, adapter, 1.0f, ids, 3, &error));
  hone_test_assert_mentions (error, "does not have");
  g_clear_error (&error);

  /* a PEFT adapter settles its row order with the first model */
  g_assert_true (hone_adapter_check (peft, big, &error));
  g_assert_no_error (error);
  g_assert_false (hone_adapter_check (peft, qwen, &error));
  hone_test_assert_mentions (error, "already matched");
  hone_test_remove_tree (dir);
}

/* A PEFT folder whose config is @config, with the tensors of a rank-4 q_proj pair on a
 * 64-wide model unless @tensors is FALSE. */
static char *
write_peft (const char *dir,
            const char *name,
            const char *config,
            gboolean    tensors,
            const char *tensor_name)
{
  char *folder = g_build_filename (dir, name, NULL);
  g_autofree char *cfg = NULL;
  g_autofree char *st_path = g_build_filename (folder, "adapter_model.safetensors", NULL);
  g_autoptr(GError) error = NULL;

  cfg = hone_test_write_file (folder, "adapter_config.json", config, -1);
  if (tensors)
    {
      static float a[4 * 64], b[64 * 4];
      guint64 shape_a[] = { 4, 64 };
      guint64 shape_b[] = { 64, 4 };
      g_autoptr(GBytes) ba = g_bytes_new_static (a, sizeof a);
      g_autoptr(GBytes) bb = g_bytes_new_static (b, sizeof b);
      g_autofree char *name_a = g_strdup_printf ("%s.lora_A.weight", tensor_name);
      g_autofree char *name_b = g_strdup_printf ("%s.lora_B.weight", tensor_name);
      HoneSafetensorsEntry entries[] = {
        { name_a, "F32", 2, shape_a, ba },
        { name_b, "F32", 2, shape_b, bb },
      };

      g_assert_true (hone_safetensors_write (st_path, entries, 2, &error));
      g_assert_no_error (error);
    }
  return folder;
}

static void
test_peft_errors (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-adapter-XXXXXX");
  const char *q = "base_model.model.model.layers.0.self_attn.q_proj";
  const char *good = "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, "
                     "\"target_modules\": [\"q_proj\"], \"bias\": \"none\", "
                     "\"use_dora\": false, \"rank_pattern\": {}, \"alpha_pattern\": {}}";
  g_autofree char *p = NULL;

  p = write_peft (dir, "good", good, TRUE, q);
  {
    g_autoptr(HoneAdapter) adapter = open_adapter (p);
    g_autofree char *config = g_build_filename (p, "adapter_config.json", NULL);
    g_autoptr(HoneAdapter) again = open_adapter (config);

    g_assert_cmpuint (hone_adapter_get_n_pairs (adapter), ==, 1);
    g_assert_nonnull (hone_adapter_find_pair (adapter, "blk.0.attn_q.weight"));
    g_assert_cmpfloat (hone_adapter_get_scale (adapter, hone_adapter_get_pair (adapter, 0)), ==,
                       2.0f);
    g_assert_cmpuint (hone_adapter_get_n_pairs (again), ==, 1);
  }
  g_free (p);

  p = write_peft (dir, "bad-json", "{\"r\": 4, \"lora_alpha\": 8,}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_INVALID, "bad-json: ", "adapter_config.json");
  g_free (p);
  p = write_peft (dir, "no-alpha", "{\"r\": 4}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_INVALID, "no-alpha: ", "lora_alpha should be a number");
  g_free (p);
  p = write_peft (dir, "no-r", "{\"lora_alpha\": 4}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_INVALID, "no-r: ", "r");
  g_free (p);
  p = write_peft (dir, "dora", "{\"r\": 4, \"lora_alpha\": 8, \"use_dora\": true}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "dora: ", "use_dora");
  g_free (p);
  p = write_peft (dir, "alphas", "{\"r\": 4, \"lora_alpha\": 8, "
                  "\"alpha_pattern\": {\"q_proj\": 16}}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "alphas: ", "alpha_pattern");
  g_free (p);
  p = write_peft (dir, "ia3", "{\"peft_type\": \"IA3\", \"r\": 4, \"lora_alpha\": 8}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "ia3: ", "expected “LORA”");
  g_free (p);
  p = write_peft (dir, "rank", "{\"r\": 8, \"lora_alpha\": 8}", TRUE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_INVALID, "rank/adapter_model.safetensors: ",
                     "expected r = 8");
  g_free (p);
  /* a rank pattern is read from the shapes */
  p = write_peft (dir, "pattern", "{\"r\": 8, \"lora_alpha\": 8, "
                  "\"rank_pattern\": {\"q_proj\": 4}}", TRUE, q);
  {
    g_autoptr(HoneAdapter) adapter = open_adapter (p);

    g_assert_cmpuint (hone_adapter_get_pair (adapter, 0)->rank, ==, 4);
  }
  g_free (p);
  p = write_peft (dir, "no-tensors", good, FALSE, q);
  assert_open_fails (p, HONE_MODEL_ERROR_MISSING, "no-tensors: ", "adapter_model.safetensors");
  g_free (p);
  p = write_peft (dir, "fused", good, TRUE, "base_model.model.model.layers.0.self_attn.qkv_proj");
  assert_open_fails (p, HONE_MODEL_ERROR_UNSUPPORTED, "fused/adapter_model.safetensors: ",
                     "not a LoRA half");
  g_free (p);
  p = g_build_filename (dir, "nothing", NULL);
  g_assert_cmpint (g_mkdir (p, 0755), ==, 0);
  assert_open_fails (p, HONE_MODEL_ERROR_MISSING, "nothing: ", "no PEFT adapter here");
  hone_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/hone/adapter/gguf-peft-same/llama",
                        GUINT_TO_POINTER (HONE_ARCH_LLAMA), test_gguf_peft_same);
  g_test_add_data_func ("/hone/adapter/gguf-peft-same/qwen3",
                        GUINT_TO_POINTER (HONE_ARCH_QWEN3), test_gguf_peft_same);
  g_test_add_func ("/hone/adapter/targets", test_targets);
  g_test_add_data_func ("/hone/adapter/forward/llama", GUINT_TO_POINTER (HONE_ARCH_LLAMA),
                        test_forward);
  g_test_add_data_func ("/hone/adapter/forward/qwen2", GUINT_TO_POINTER (HONE_ARCH_QWEN2),
                        test_forward);
  g_test_add_func ("/hone/adapter/gguf-errors", test_gguf_errors);
  g_test_add_func ("/hone/adapter/gguf-types", test_gguf_types);
  g_test_add_func ("/hone/adapter/model-mismatch", test_model_mismatch);
  g_test_add_func ("/hone/adapter/peft-errors", test_peft_errors);
  return g_test_run ();
}
