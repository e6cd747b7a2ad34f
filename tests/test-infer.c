/* test-infer.c — the forward pass on the device against the CPU reference in double
 * (tests/ref/hone-ref-model.c), for every architecture and weight type; the KV-cache path
 * against recomputation; greedy continuations; adapters; generation's stop conditions.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bounds (max |a − b| / max |b| over all positions' logits):
 *   f32 KV cache              1e-4 against the reference
 *   f16 KV cache (default)    2e-3 against the reference
 *   cache vs recomputation    1e-4
 * Greedy continuations must pick the reference's argmax wherever its top two logits are
 * more than 1e-2 of the logit range apart (after a near-tie the texts may part ways).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hone-gpu-test.h"
#include "infer/hone-generate.h"
#include "infer/hone-infer.h"
#include "infer/hone-perplexity.h"
#include "model/hone-adapter.h"
#include "model/hone-merge.h"
#include "model/hone-test-adapter.h"
#include "model/hone-test-model.h"
#include "ref/hone-ref-model.h"

typedef struct
{
  HoneArch     arch;
  HoneGgmlType dtype;
  gboolean     tied;
} Case;

static char *tmp_dir;

static char *
make_model (const Case *c,
            guint       n_layers,
            guint64     seed)
{
  g_autoptr (GError) error = NULL;
  HoneTestModelOptions options;
  gboolean kquant = c->dtype == HONE_GGML_TYPE_Q4_K || c->dtype == HONE_GGML_TYPE_Q5_K
                    || c->dtype == HONE_GGML_TYPE_Q6_K;
  char *path = g_strdup_printf ("%s/%s-%s-%s-%u-%" G_GUINT64_FORMAT ".gguf", tmp_dir,
                                hone_arch_get_name (c->arch), hone_ggml_type_name (c->dtype),
                                c->tied ? "tied" : "untied", n_layers, seed);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  hone_test_model_options_init (&options, c->arch);
  options.dtype = c->dtype;
  options.tied = c->tied;
  options.seed = seed;
  options.n_layers = n_layers;
  if (kquant)
    {
      options.dim = 256;
      options.ffn = 512;
    }
  g_assert_true (hone_test_model_write (&options, path, &error));
  g_assert_no_error (error);
  return path;
}

static const guint32 prompt_ids[] = {
  1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33, 3, 200, 17, 250, 9, 64,
  128, 5, 99,
};

/* max |a − b| / max |b| */
static double
rel_error (const float  *got,
           const double *ref,
           gsize         n)
{
  double num = 0.0, den = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      num = MAX (num, fabs (got[i] - ref[i]));
      den = MAX (den, fabs (ref[i]));
    }
  return den > 0 ? num / den : num;
}

static HoneModel *
open_model (const char *path)
{
  g_autoptr (GError) error = NULL;
  HoneModel *model = hone_model_open (path, &error);

  g_assert_no_error (error);
  return model;
}

static float *
gpu_logits (HoneInferModel *infer,
            HoneKvType      kv,
            gint            adapter,
            const guint32  *ids,
            guint           n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HoneInferSession) session = hone_infer_session_new (infer, n, kv, &error);
  float *logits;

  g_assert_no_error (error);
  hone_infer_session_set_adapter (session, adapter, 1.0f);
  logits = g_new (float, (gsize) n * hone_infer_model_get_info (infer)->vocab_size);
  g_assert_true (hone_infer_session_eval (session, ids, n, TRUE, logits, &error));
  g_assert_no_error (error);
  hone_gpu_test_check_validation ();
  return logits;
}

static void
test_logits (gconstpointer data)
{
  const Case *c = data;
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autofree double *ref = NULL;
  g_autofree double *ref16 = NULL;
  g_autofree float *got = NULL;
  g_autofree float *got16 = NULL;
  guint n = G_N_ELEMENTS (prompt_ids), v;
  double e32, e16, e16_own;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (c, 2, 11);
  model = open_model (path);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  v = hone_model_get_info (model)->vocab_size;

  ref = hone_ref_model_forward (model, NULL, 1.0f, prompt_ids, n, &error);
  g_assert_no_error (error);
  ref16 = hone_ref_model_forward_flags (model, NULL, 1.0f, HONE_REF_MODEL_KV_F16, prompt_ids, n,
                                        &error);
  g_assert_no_error (error);
  got = gpu_logits (infer, HONE_KV_F32, -1, prompt_ids, n);
  got16 = gpu_logits (infer, HONE_KV_F16, -1, prompt_ids, n);
  e32 = rel_error (got, ref, (gsize) n * v);
  e16 = rel_error (got16, ref, (gsize) n * v);
  e16_own = rel_error (got16, ref16, (gsize) n * v);
  g_test_message ("%s %s: f32 cache %.2e, f16 cache %.2e (%.2e against the f16-cache "
                  "reference)", hone_arch_get_name (c->arch), hone_ggml_type_name (c->dtype),
                  e32, e16, e16_own);
  g_assert_cmpfloat (e32, <=, 1e-4);
  g_assert_cmpfloat (e16, <=, 2e-3);
  g_assert_cmpfloat (e16_own, <=, 1e-4);
}

/* Prefill of 5, then one token at a time, equals running everything at once. */
static void
test_cache_vs_recompute (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_QWEN3, HONE_GGML_TYPE_F16, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autofree float *all = NULL;
  g_autofree float *step = NULL;
  guint n = G_N_ELEMENTS (prompt_ids), v;
  double worst = 0.0;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 2, 11);
  model = open_model (path);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  v = hone_model_get_info (model)->vocab_size;
  all = gpu_logits (infer, HONE_KV_F32, -1, prompt_ids, n);
  session = hone_infer_session_new (infer, n, HONE_KV_F32, &error);
  g_assert_no_error (error);
  step = g_new (float, (gsize) n * v);
  g_assert_true (hone_infer_session_eval (session, prompt_ids, 5, TRUE, step, &error));
  for (guint i = 5; i < n; i++)
    g_assert_true (hone_infer_session_eval (session, prompt_ids + i, 1, FALSE,
                                            step + (gsize) i * v, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hone_infer_session_get_n_past (session), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree double *row = g_new (double, v);

      for (guint j = 0; j < v; j++)
        row[j] = all[(gsize) i * v + j];
      worst = MAX (worst, rel_error (step + (gsize) i * v, row, v));
    }
  g_test_message ("cache path vs recomputation: %.2e", worst);
  g_assert_cmpfloat (worst, <=, 1e-4);

  /* Cutting the cache back and going another way equals a fresh run of that way. */
  {
    guint32 other[3] = { 7, 8, 9 };
    g_autofree float *again = g_new (float, v);
    g_autofree guint32 *ids = g_new (guint32, 8);
    g_autofree float *fresh = NULL;
    g_autofree double *row = g_new (double, v);

    hone_infer_session_truncate (session, 5);
    g_assert_true (hone_infer_session_eval (session, other, 3, FALSE, again, &error));
    memcpy (ids, prompt_ids, 5 * sizeof (guint32));
    memcpy (ids + 5, other, sizeof other);
    fresh = gpu_logits (infer, HONE_KV_F32, -1, ids, 8);
    for (guint j = 0; j < v; j++)
      row[j] = fresh[(gsize) 7 * v + j];
    g_assert_cmpfloat (rel_error (again, row, v), <=, 1e-4);
  }
  hone_gpu_test_check_validation ();
}

static guint
argmax2 (const double *row,
         guint         v,
         double       *gap)
{
  guint best = 0, second = v > 1 ? 1 : 0;
  double lo = row[0], hi = row[0];

  if (v > 1 && row[1] > row[0])
    {
      best = 1;
      second = 0;
    }
  for (guint j = 0; j < v; j++)
    {
      lo = MIN (lo, row[j]);
      hi = MAX (hi, row[j]);
      if (j < 2)
        continue;
      if (row[j] > row[best])
        {
          second = best;
          best = j;
        }
      else if (row[j] > row[second])
        second = j;
    }
  *gap = hi > lo ? (row[best] - row[second]) / (hi - lo) : 0.0;
  return best;
}

static void
test_greedy (gconstpointer data)
{
  const Case *c = data;
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autoptr (HoneTokenizer) tokenizer = NULL;
  g_autoptr (GArray) seq = g_array_new (FALSE, FALSE, sizeof (guint32));
  HoneGenerateParams params;
  HoneGenerateResult result = { 0 };
  guint v, checked = 0;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (c, 2, 5);
  model = open_model (path);
  tokenizer = hone_tokenizer_new_from_path (path, &error);
  g_assert_no_error (error);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  v = hone_model_get_info (model)->vocab_size;
  session = hone_infer_session_new (infer, 64, HONE_KV_F32, &error);
  g_assert_no_error (error);
  hone_generate_params_greedy (&params);
  params.max_tokens = 12;
  g_assert_true (hone_generate (session, tokenizer, prompt_ids, 8, &params, NULL, 0, NULL, NULL,
                                NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.ids->len, ==, 12);
  g_assert_cmpint (result.reason, ==, HONE_STOP_LENGTH);

  /* The reference over the prompt and the generated tokens: each must be its argmax, or
   * within 1e-2 of the logit range of it (a near-tie, where either choice is right). */
  g_array_append_vals (seq, prompt_ids, 8);
  g_array_append_vals (seq, result.ids->data, result.ids->len);
  {
    g_autofree double *ref = hone_ref_model_forward (model, NULL, 1.0f,
                                                     (const guint32 *) seq->data, seq->len,
                                                     &error);
    guint ties = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < result.ids->len; i++)
      {
        const double *row = ref + (gsize) (8 - 1 + i) * v;
        guint32 got = g_array_index (result.ids, guint32, i);
        double gap;
        guint want = argmax2 (row, v, &gap);
        double lo = row[0], hi = row[0];

        for (guint j = 0; j < v; j++)
          {
            lo = MIN (lo, row[j]);
            hi = MAX (hi, row[j]);
          }
        if (got == want)
          checked++;
        else
          {
            g_assert_cmpfloat ((row[want] - row[got]) / (hi - lo), <=, 1e-2);
            ties++;
          }
      }
    g_test_message ("%u of %u greedy tokens are the reference's argmax, %u near-ties", checked,
                    result.ids->len, ties);
  }
  hone_generate_result_clear (&result);
  hone_gpu_test_check_validation ();
}

static void
test_adapter (gconstpointer data)
{
  const Case *c = data;
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *gguf_path = NULL;
  g_autofree char *peft_path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autoptr (HoneAdapter) adapter = NULL;
  g_autoptr (HoneAdapter) peft = NULL;
  g_autofree double *ref = NULL;
  g_autofree double *base_ref = NULL;
  g_autofree float *got = NULL;
  g_autofree float *got_peft = NULL;
  g_autofree float *got_half = NULL;
  g_autofree double *ref_half = NULL;
  HoneTestAdapterOptions options;
  guint n = G_N_ELEMENTS (prompt_ids), v;
  gint index, index_peft;
  double e, changed;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (c, 2, 11);
  model = open_model (path);
  v = hone_model_get_info (model)->vocab_size;
  hone_test_adapter_options_init (&options);
  options.rank = 4;
  options.seed = 3;
  gguf_path = g_strdup_printf ("%s.lora-%s.gguf", path, hone_ggml_type_name (c->dtype));
  g_assert_true (hone_test_adapter_write (model, &options, gguf_path, &error));
  g_assert_no_error (error);
  options.peft = TRUE;
  peft_path = g_strdup_printf ("%s.peft", path);
  g_assert_true (hone_test_adapter_write (model, &options, peft_path, &error));
  g_assert_no_error (error);
  adapter = hone_adapter_open (gguf_path, &error);
  g_assert_no_error (error);
  peft = hone_adapter_open (peft_path, &error);
  g_assert_no_error (error);

  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  index = hone_infer_model_add_adapter (infer, adapter, &error);
  g_assert_no_error (error);
  index_peft = hone_infer_model_add_adapter (infer, peft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 0);
  g_assert_cmpint (index_peft, ==, 1);

  /* Unmerged on the device = merged in the reference. */
  ref = hone_ref_model_forward (model, adapter, 1.0f, prompt_ids, n, &error);
  g_assert_no_error (error);
  base_ref = hone_ref_model_forward (model, NULL, 1.0f, prompt_ids, n, &error);
  g_assert_no_error (error);
  got = gpu_logits (infer, HONE_KV_F32, index, prompt_ids, n);
  got_peft = gpu_logits (infer, HONE_KV_F32, index_peft, prompt_ids, n);
  e = rel_error (got, ref, (gsize) n * v);
  changed = rel_error (got, base_ref, (gsize) n * v);
  g_test_message ("adapter on %s %s: %.2e from the merged reference; it moves the logits by "
                  "%.2e", hone_arch_get_name (c->arch), hone_ggml_type_name (c->dtype), e,
                  changed);
  g_assert_cmpfloat (e, <=, 1e-4);
  g_assert_cmpfloat (changed, >=, 1e-3);
  g_assert_cmpfloat (rel_error (got_peft, ref, (gsize) n * v), <=, 1e-4);

  /* The adapter folded into the weights (f32) gives the same logits without it. */
  if (c->dtype == HONE_GGML_TYPE_F32)
    {
      g_autofree char *merged_path = g_strdup_printf ("%s.merged.gguf", gguf_path);
      g_autoptr (HoneModel) merged = NULL;
      g_autoptr (HoneInferModel) merged_infer = NULL;
      g_autofree float *got_merged = NULL;
      g_autofree double *as_double = g_new (double, (gsize) n * v);

      g_assert_true (hone_merge_write (model, adapter, 1.0f, HONE_MERGE_F32, merged_path,
                                       &error));
      g_assert_no_error (error);
      merged = open_model (merged_path);
      merged_infer = hone_infer_model_new (device, merged, &error);
      g_assert_no_error (error);
      got_merged = gpu_logits (merged_infer, HONE_KV_F32, -1, prompt_ids, n);
      for (gsize i = 0; i < (gsize) n * v; i++)
        as_double[i] = got_merged[i];
      e = rel_error (got, as_double, (gsize) n * v);
      g_test_message ("unmerged against merged weights on the device: %.2e", e);
      g_assert_cmpfloat (e, <=, 1e-5);
    }

  /* The scale multiplier: half the adapter. */
  {
    g_autoptr (HoneInferSession) session = hone_infer_session_new (infer, n, HONE_KV_F32,
                                                                   &error);
    hone_infer_session_set_adapter (session, index, 0.5f);
    got_half = g_new (float, (gsize) n * v);
    g_assert_true (hone_infer_session_eval (session, prompt_ids, n, TRUE, got_half, &error));
    ref_half = hone_ref_model_forward (model, adapter, 0.5f, prompt_ids, n, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (rel_error (got_half, ref_half, (gsize) n * v), <=, 1e-4);
  }
  hone_gpu_test_check_validation ();
}

/* More tokens than one command buffer runs (512): the batches join up. */
static void
test_long_prompt (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_LLAMA, HONE_GGML_TYPE_F32, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autofree guint32 *ids = NULL;
  g_autofree double *ref = NULL;
  g_autofree float *got = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);
  guint n = 600, v;
  double e;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 1, 17);
  model = open_model (path);
  v = hone_model_get_info (model)->vocab_size;
  ids = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    ids[i] = g_rand_int_range (rand, 0, v);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  ref = hone_ref_model_forward (model, NULL, 1.0f, ids, n, &error);
  g_assert_no_error (error);
  got = gpu_logits (infer, HONE_KV_F32, -1, ids, n);
  e = rel_error (got, ref, (gsize) n * v);
  g_test_message ("600 tokens in two batches: %.2e", e);
  g_assert_cmpfloat (e, <=, 1e-4);
}

static void
test_refusals (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_LLAMA, HONE_GGML_TYPE_F32, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  guint32 ids[20] = { 0 };
  guint32 bad = 100000;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 2, 11);
  model = open_model (path);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  session = hone_infer_session_new (infer, 16, HONE_KV_F32, &error);
  g_assert_no_error (error);
  g_assert_false (hone_infer_session_eval (session, ids, 17, FALSE, NULL, &error));
  g_assert_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_CONTEXT_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "16"));
  g_clear_error (&error);
  g_assert_cmpuint (hone_infer_session_get_n_past (session), ==, 0);
  g_assert_false (hone_infer_session_eval (session, &bad, 1, FALSE, NULL, &error));
  g_assert_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_BAD_TOKEN);
  g_clear_error (&error);
  /* A full context then stops generation by length, not by an error. */
  g_assert_true (hone_infer_session_eval (session, ids, 16, FALSE, NULL, &error));
  g_assert_false (hone_infer_session_eval (session, ids, 1, FALSE, NULL, &error));
  g_assert_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_CONTEXT_FULL);
}

typedef struct
{
  GString *streamed;
  guint    calls;
  guint    stop_after;
} Stream;

static gboolean
on_token (gint32      id,
          const char *text,
          gpointer    user_data)
{
  Stream *s = user_data;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_string_append (s->streamed, text);
  s->calls++;
  return s->stop_after == 0 || s->calls < s->stop_after;
}

static void
generate (HoneInferSession         *session,
          HoneTokenizer            *tokenizer,
          const HoneGenerateParams *params,
          Stream                   *stream,
          HoneGenerateResult       *result)
{
  g_autoptr (GError) error = NULL;

  hone_infer_session_truncate (session, 0);
  g_assert_true (hone_generate (session, tokenizer, prompt_ids, 6, params, NULL, 0,
                                stream ? on_token : NULL, stream, NULL, result, &error));
  g_assert_no_error (error);
}

static void
test_generation (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_QWEN2, HONE_GGML_TYPE_Q8_0, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneInferModel) infer = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autoptr (HoneTokenizer) tokenizer = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  HoneGenerateParams params;
  HoneGenerateResult plain = { 0 }, a = { 0 }, b = { 0 }, stopped = { 0 }, cut = { 0 };
  Stream stream = { g_string_new (NULL), 0, 0 };
  char *stop[2] = { NULL, NULL };
  gsize len;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 2, 23);
  model = open_model (path);
  tokenizer = hone_tokenizer_new_from_path (path, &error);
  g_assert_no_error (error);
  infer = hone_infer_model_new (device, model, &error);
  g_assert_no_error (error);
  session = hone_infer_session_new (infer, 128, HONE_KV_F16, &error);
  g_assert_no_error (error);

  /* Sampling with a seed: the same seed, the same tokens; the stream is the text. */
  hone_generate_params_init (&params);
  params.temperature = 1.0f;
  params.max_tokens = 40;
  params.seed = 1234;
  generate (session, tokenizer, &params, &stream, &a);
  generate (session, tokenizer, &params, NULL, &b);
  g_assert_cmpuint (a.ids->len, ==, 40);
  g_assert_cmpmem (a.ids->data, a.ids->len * 4, b.ids->data, b.ids->len * 4);
  g_assert_cmpstr (stream.streamed->str, ==, a.text);
  g_assert_cmpuint (stream.calls, >=, 40);

  /* A stop string from the middle of the text: generation ends before it. */
  hone_generate_params_greedy (&params);
  params.max_tokens = 40;
  generate (session, tokenizer, &params, NULL, &plain);
  len = strlen (plain.text);
  g_assert_cmpuint (len, >=, 12);
  /* Three printable ASCII characters past the first third (random byte tokens also make
   * broken UTF-8, shown as U+FFFD, which no stop string can match). */
  for (gsize i = len / 3; stop[0] == NULL && i + 3 <= len; i++)
    if (g_ascii_isgraph (plain.text[i]) && g_ascii_isgraph (plain.text[i + 1])
        && g_ascii_isgraph (plain.text[i + 2]))
      stop[0] = g_strndup (plain.text + i, 3);
  g_assert_nonnull (stop[0]);
  g_test_message ("stop string “%s” in “%s”", stop[0], plain.text);
  params.stop = stop;
  g_string_truncate (stream.streamed, 0);
  stream.calls = 0;
  generate (session, tokenizer, &params, &stream, &stopped);
  g_assert_cmpint (stopped.reason, ==, HONE_STOP_STRING);
  g_assert_null (strstr (stopped.text, stop[0]));
  g_assert_true (g_str_has_prefix (plain.text, stopped.text));
  g_assert_cmpstr (stream.streamed->str, ==, stopped.text);
  g_assert_cmpuint (strlen (stopped.text), ==, strstr (plain.text, stop[0]) - plain.text);

  /* The callback stops it, and the cancellable does too. */
  params.stop = NULL;
  stream.stop_after = 3;
  stream.calls = 0;
  g_string_truncate (stream.streamed, 0);
  generate (session, tokenizer, &params, &stream, &cut);
  g_assert_cmpint (cut.reason, ==, HONE_STOP_CANCELLED);
  g_assert_cmpuint (cut.ids->len, ==, 3);
  hone_generate_result_clear (&cut);
  g_cancellable_cancel (cancellable);
  hone_infer_session_truncate (session, 0);
  g_assert_true (hone_generate (session, tokenizer, prompt_ids, 6, &params, NULL, 0, NULL, NULL,
                                cancellable, &cut, &error));
  g_assert_cmpint (cut.reason, ==, HONE_STOP_CANCELLED);
  g_assert_cmpuint (cut.ids->len, ==, 0);

  /* An end token ends it and is not part of the text. */
  {
    HoneGenerateResult ended = { 0 };
    gint32 end = (gint32) g_array_index (plain.ids, guint32, 4);
    guint first = 0;

    while (g_array_index (plain.ids, guint32, first) != (guint32) end)
      first++;
    hone_infer_session_truncate (session, 0);
    g_assert_true (hone_generate (session, tokenizer, prompt_ids, 6, &params, &end, 1, NULL,
                                  NULL, NULL, &ended, &error));
    g_assert_cmpint (ended.reason, ==, HONE_STOP_END);
    g_assert_cmpuint (ended.ids->len, ==, first);
    hone_generate_result_clear (&ended);
  }

  g_free (stop[0]);
  g_string_free (stream.streamed, TRUE);
  hone_generate_result_clear (&a);
  hone_generate_result_clear (&b);
  hone_generate_result_clear (&plain);
  hone_generate_result_clear (&stopped);
  hone_generate_result_clear (&cut);
  hone_gpu_test_check_validation ();
}

/* A bot reuses the earlier turns' cache and answers as a fresh bot would. */
static void
test_bot (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_LLAMA, HONE_GGML_TYPE_F16, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneBot) bot = NULL;
  g_autoptr (HoneBot) fresh = NULL;
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autoptr (GArray) rendered = NULL;
  g_autofree char *second_json = NULL;
  HoneGenerateParams params;
  HoneGenerateResult r1 = { 0 }, r2 = { 0 }, r3 = { 0 };

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 2, 29);
  bot = hone_bot_new (device, path, &error);
  g_assert_no_error (error);
  hone_generate_params_greedy (&params);
  params.max_tokens = 8;
  first = json_from_string ("[{\"role\": \"system\", \"content\": \"Be brief.\"},"
                            " {\"role\": \"user\", \"content\": \"Hello there\"}]", &error);
  g_assert_true (hone_bot_reply (bot, -1, first, &params, NULL, NULL, NULL, &r1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r1.ids->len, >, 0);

  second_json = g_strdup_printf ("[{\"role\": \"system\", \"content\": \"Be brief.\"},"
                                 " {\"role\": \"user\", \"content\": \"Hello there\"},"
                                 " {\"role\": \"assistant\", \"content\": \"Hi\"},"
                                 " {\"role\": \"user\", \"content\": \"How are you?\"}]");
  second = json_from_string (second_json, &error);
  rendered = hone_bot_render (bot, second, &error);
  g_assert_no_error (error);
  g_assert_true (hone_bot_reply (bot, -1, second, &params, NULL, NULL, NULL, &r2, &error));
  g_assert_no_error (error);
  g_test_message ("second turn: %u of %u prompt tokens run, the rest from the cache",
                  r2.n_prompt, rendered->len);
  g_assert_cmpuint (r2.n_prompt, <, rendered->len);

  fresh = hone_bot_new (device, path, &error);
  g_assert_no_error (error);
  g_assert_true (hone_bot_reply (fresh, -1, second, &params, NULL, NULL, NULL, &r3, &error));
  g_assert_cmpuint (r3.n_prompt, ==, rendered->len);
  g_assert_cmpmem (r2.ids->data, r2.ids->len * 4, r3.ids->data, r3.ids->len * 4);
  hone_generate_result_clear (&r1);
  hone_generate_result_clear (&r2);
  hone_generate_result_clear (&r3);
  hone_gpu_test_check_validation ();
}

/* A conversation rendered for training (the byte vocabulary spells "▁" in three byte
 * tokens, which the mask must still line up) and its perplexity over the assistant's
 * tokens, against the reference's logits; and a plain text in windows. */
static void
test_perplexity (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  Case c = { HONE_ARCH_QWEN2, HONE_GGML_TYPE_F32, FALSE };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HoneBot) bot = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (JsonNode) messages = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GArray) mask = NULL;
  g_autoptr (HonePerplexity) ppl = NULL;
  g_autofree double *ref = NULL;
  double nll = 0.0;
  guint counted = 0, v;
  gboolean done = FALSE;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  path = make_model (&c, 2, 41);
  bot = hone_bot_new (device, path, &error);
  g_assert_no_error (error);
  model = open_model (path);
  v = hone_model_get_info (model)->vocab_size;
  messages = json_from_string ("[{\"role\": \"user\", \"content\": \"How are you today?\"},"
                               " {\"role\": \"assistant\", \"content\": \"Fine, thanks.\"}]",
                               &error);
  g_assert_true (hone_bot_render_training (bot, messages, &ids, &mask, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, mask->len);

  ref = hone_ref_model_forward (model, NULL, 1.0f, (const guint32 *) ids->data, ids->len,
                                &error);
  g_assert_no_error (error);
  for (guint t = 1; t < ids->len; t++)
    if (g_array_index (mask, guint8, t))
      {
        const double *row = ref + (gsize) (t - 1) * v;
        double max = row[0], sum = 0.0;

        for (guint j = 0; j < v; j++)
          max = MAX (max, row[j]);
        for (guint j = 0; j < v; j++)
          sum += exp (row[j] - max);
        nll += max + log (sum) - row[g_array_index (ids, guint32, t)];
        counted++;
      }
  /* "Fine, thanks." and the end of the turn, one byte token each */
  g_assert_cmpuint (counted, >=, 13);

  ppl = hone_perplexity_new_segments (hone_bot_get_infer_model (bot), -1, 0, &error);
  g_assert_no_error (error);
  hone_perplexity_add (ppl, (const guint32 *) ids->data, (const guint8 *) mask->data, ids->len);
  while (!done)
    g_assert_true (hone_perplexity_step (ppl, &done, &error));
  g_assert_cmpuint (hone_perplexity_get_n_scored (ppl), ==, counted);
  g_assert_cmpfloat (fabs (hone_perplexity_get_mean_nll (ppl) - nll / counted), <=, 1e-4);
  g_assert_cmpfloat (hone_perplexity_get_progress (ppl), ==, 1.0);
  hone_gpu_test_check_validation ();
}

static const HoneGgmlType all_types[] = {
  HONE_GGML_TYPE_F32, HONE_GGML_TYPE_F16, HONE_GGML_TYPE_BF16, HONE_GGML_TYPE_Q8_0,
  HONE_GGML_TYPE_Q4_0, HONE_GGML_TYPE_Q4_K, HONE_GGML_TYPE_Q5_K, HONE_GGML_TYPE_Q6_K,
};
static const HoneArch all_archs[] = { HONE_ARCH_LLAMA, HONE_ARCH_QWEN2, HONE_ARCH_QWEN3 };

int
main (int    argc,
      char **argv)
{
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("hone-test-infer-XXXXXX", NULL);

  for (guint a = 0; a < G_N_ELEMENTS (all_archs); a++)
    for (guint t = 0; t < G_N_ELEMENTS (all_types); t++)
      {
        Case *c = g_new0 (Case, 1);
        char *name;

        c->arch = all_archs[a];
        c->dtype = all_types[t];
        /* Tied heads on a few: the embedding's type then feeds the output matmul. */
        c->tied = (a + t) % 3 == 0;
        g_ptr_array_add (cases, c);
        name = g_strdup_printf ("/hone/infer/logits/%s/%s%s", hone_arch_get_name (c->arch),
                                hone_ggml_type_name (c->dtype), c->tied ? "-tied" : "");
        g_ptr_array_add (names, name);
        g_test_add_data_func (name, c, test_logits);
        if (c->dtype == HONE_GGML_TYPE_F32 || c->dtype == HONE_GGML_TYPE_Q4_0
            || c->dtype == HONE_GGML_TYPE_Q6_K)
          {
            name = g_strdup_printf ("/hone/infer/greedy/%s/%s", hone_arch_get_name (c->arch),
                                    hone_ggml_type_name (c->dtype));
            g_ptr_array_add (names, name);
            g_test_add_data_func (name, c, test_greedy);
          }
        if (c->dtype == HONE_GGML_TYPE_F32 || c->dtype == HONE_GGML_TYPE_Q8_0)
          {
            name = g_strdup_printf ("/hone/infer/adapter/%s/%s", hone_arch_get_name (c->arch),
                                    hone_ggml_type_name (c->dtype));
            g_ptr_array_add (names, name);
            g_test_add_data_func (name, c, test_adapter);
          }
      }
  g_test_add_func ("/hone/infer/cache-vs-recompute", test_cache_vs_recompute);
  g_test_add_func ("/hone/infer/long-prompt", test_long_prompt);
  g_test_add_func ("/hone/infer/refusals", test_refusals);
  g_test_add_func ("/hone/infer/generation", test_generation);
  g_test_add_func ("/hone/infer/bot", test_bot);
  g_test_add_func ("/hone/infer/perplexity", test_perplexity);

  status = g_test_run ();
  hone_gpu_test_close ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    /* The test files and PEFT folders (two files each). */
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);

        if (g_file_test (p, G_FILE_TEST_IS_DIR))
          {
            g_autoptr (GDir) sub = g_dir_open (p, 0, NULL);
            const char *s;

            while (sub != NULL && (s = g_dir_read_name (sub)) != NULL)
              {
                g_autofree char *q = g_build_filename (p, s, NULL);
                g_unlink (q);
              }
            g_rmdir (p);
          }
        else
          g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
