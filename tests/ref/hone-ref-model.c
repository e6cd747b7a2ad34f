/* hone-ref-model.c — the CPU reference forward pass (hone-ref-model.h).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every weight is read through hone_model_tensor_dup_f32() (quantized blocks expanded
 * exactly) and every sum is taken in double, with plain loops, one layer at a time over
 * all positions. The math, for tokens t_0 … t_{n−1} at positions p = 0 … n−1, width C,
 * H query heads and G key/value heads of size D (H a multiple of G), feed-forward F,
 * vocabulary V:
 *
 *   x_p = E[t_p]                                   E = token_embd (V, C)
 *   rms (v, w) = w ⊙ v / √(mean (v²) + eps)        eps = rms_eps
 *
 * each layer:
 *   h = rms (x_p, attn_norm)
 *   q = Wq h (+ bq),  k = Wk h (+ bk),  v = Wv h (+ bv)     (H·D), (G·D), (G·D); biases: qwen2
 *   qwen3: q_j = rms (q_j, attn_q_norm), k_j = rms (k_j, attn_k_norm) for each head j (D)
 *   RoPE on q and k, head by head, on the first R = rope_dims values of each head: for
 *     i < R/2, θ_i = p' · base^(−2i/R) / f_i, rotating the pair (a, b) to
 *     (a cos θ − b sin θ, a sin θ + b cos θ); the pair is (2i, 2i+1) for llama (GGUF rows,
 *     "normal") and (i, i + R/2) for qwen2/qwen3 ("NeoX"). p' = p, or p / factor with
 *     linear scaling; f_i = 1, or rope_freqs.weight[i] when the model holds that tensor
 *     (llama.cpp's Llama 3 factors), or the Llama 3 wavelength rule from the model's
 *     info when it has no such tensor.
 *   with KV_F16: k and v rounded to f16
 *   attention, head j on key/value head g = j / (H/G):
 *     s_{p,u} = q_j(p) · k_g(u) / √D for u ≤ p;  a = softmax_u (s);  o_j(p) = Σ_u a_u v_g(u)
 *   x_p += Wo o                                            Wo (C, H·D)
 *   h = rms (x_p, ffn_norm)
 *   x_p += Wdown (silu (Wgate h) ⊙ Wup h)                   silu (z) = z / (1 + e^−z)
 *
 * then logits_p = Wout rms (x_p, output_norm), Wout = output (V, C), or E when tied.
 *
 * A LoRA pair on W (N, K) makes it W + s · B A with B (N, r), A (r, K) and
 * s = adapter_scale_mult · hone_adapter_get_scale(), the sum taken in double before W is
 * used; only the linear layer weights above can be adapted.
 */
#define G_LOG_DOMAIN "hone-ref-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-ref-model.h"

typedef struct
{
  HoneModel         *model;
  const HoneModelInfo *info;
  HoneAdapter       *adapter;
  double             adapter_mult;
  GHashTable        *merged;        /* targets of the pairs applied so far */
} Ctx;

/* The float values of tensor @name, with its shape checked: @ne1 = 0 for a vector. */
static float *
load_f32 (Ctx         *ctx,
          const char  *name,
          guint64      ne0,
          guint64      ne1,
          gboolean     required,
          GError     **error)
{
  const HoneModelTensor *t = hone_model_find_tensor (ctx->model, name);
  guint n_dims = ne1 == 0 ? 1 : 2;

  if (t == NULL)
    {
      if (required)
        g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                     "%s: no tensor '%s'", hone_model_get_name (ctx->model), name);
      return NULL;
    }
  if (t->n_dims != n_dims || t->ne[0] != ne0 || (n_dims == 2 && t->ne[1] != ne1))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: tensor '%s' is %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT
                   " (ne), expected %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT,
                   hone_model_get_name (ctx->model), name, t->ne[0], t->ne[1], ne0,
                   MAX (ne1, 1));
      return NULL;
    }
  return hone_model_tensor_dup_f32 (t, error);
}

static double *
to_double (float  *values,
           gsize   n)
{
  double *d = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    d[i] = values[i];
  g_free (values);
  return d;
}

/* A vector (@len), or NULL without error when absent and not @required. */
static double *
load_vector (Ctx         *ctx,
             const char  *name,
             guint        len,
             gboolean     required,
             GError     **error)
{
  float *f = load_f32 (ctx, name, len, 0, required, error);

  return f != NULL ? to_double (f, len) : NULL;
}

/* A linear weight (@rows, @cols) row-major (ggml ne = [cols, rows]), with the adapter's
 * pair on it merged. */
static double *
load_matrix (Ctx         *ctx,
             const char  *name,
             guint        rows,
             guint        cols,
             GError     **error)
{
  float *f = load_f32 (ctx, name, cols, rows, TRUE, error);
  const HoneLoraPair *pair;
  double *w;
  double s;

  if (f == NULL)
    return NULL;
  w = to_double (f, (gsize) rows * cols);
  if (ctx->adapter == NULL || (pair = hone_adapter_find_pair (ctx->adapter, name)) == NULL)
    return w;

  g_assert (pair->n == rows && pair->k == cols);  /* hone_adapter_check() passed */
  s = ctx->adapter_mult * hone_adapter_get_scale (ctx->adapter, pair);
  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      {
        double sum = 0;

        for (guint r = 0; r < pair->rank; r++)
          sum += (double) pair->b[(gsize) i * pair->rank + r]
                 * (double) pair->a[(gsize) r * cols + j];
        w[(gsize) i * cols + j] += s * sum;
      }
  g_hash_table_add (ctx->merged, (gpointer) pair->target);
  return w;
}

/* y (rows) = W (rows, cols) x (cols) + bias */
static void
matvec (double       *y,
        const double *w,
        const double *x,
        const double *bias,
        guint         rows,
        guint         cols)
{
  for (guint i = 0; i < rows; i++)
    {
      double sum = bias != NULL ? bias[i] : 0.0;

      for (guint j = 0; j < cols; j++)
        sum += w[(gsize) i * cols + j] * x[j];
      y[i] = sum;
    }
}

/* y (len) = w ⊙ x / √(mean (x²) + eps); y may be x */
static void
rmsnorm (double       *y,
         const double *x,
         const double *w,
         guint         len,
         double        eps)
{
  double ss = 0;
  double r;

  for (guint i = 0; i < len; i++)
    ss += x[i] * x[i];
  r = 1.0 / sqrt (ss / len + eps);
  for (guint i = 0; i < len; i++)
    y[i] = w[i] * (x[i] * r);
}

static double
round_f16 (double x)
{
  return hone_half_to_float (hone_float_to_half ((float) x));
}

/* The inverse frequencies of RoPE (R/2), scaling included. */
static double *
rope_frequencies (Ctx      *ctx,
                  GError  **error)
{
  const HoneModelInfo *info = ctx->info;
  guint half = info->rope_dims / 2;
  double *freq = g_new (double, half);
  g_autofree double *factors = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < half; i++)
    freq[i] = pow (info->rope_theta, -2.0 * i / info->rope_dims);

  factors = load_vector (ctx, "rope_freqs.weight", half, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_free (freq);
      return NULL;
    }
  if (factors != NULL)
    {
      for (guint i = 0; i < half; i++)
        freq[i] /= factors[i];
    }
  else if (info->rope_scaling == HONE_ROPE_SCALING_LLAMA3)
    {
      /* by wavelength: long ones slowed by the factor, short ones kept, a blend between */
      double old_ctx = info->rope_original_context > 0 ? info->rope_original_context : 8192;
      double low_wavelen = old_ctx / info->rope_low_freq_factor;
      double high_wavelen = old_ctx / info->rope_high_freq_factor;

      for (guint i = 0; i < half; i++)
        {
          double wavelen = 2 * G_PI / freq[i];

          if (wavelen > low_wavelen)
            freq[i] /= info->rope_scaling_factor;
          else if (wavelen >= high_wavelen)
            {
              double smooth = (old_ctx / wavelen - info->rope_low_freq_factor)
                              / (info->rope_high_freq_factor - info->rope_low_freq_factor);

              freq[i] = (1 - smooth) * freq[i] / info->rope_scaling_factor + smooth * freq[i];
            }
        }
    }
  return freq;
}

/* In place on one head (D) at position @pos. */
static void
rope (double       *x,
      const double *freq,
      guint         rope_dims,
      gboolean      neox,
      double        pos)
{
  guint half = rope_dims / 2;

  for (guint i = 0; i < half; i++)
    {
      guint ia = neox ? i : 2 * i;
      guint ib = neox ? i + half : 2 * i + 1;
      double theta = pos * freq[i];
      double c = cos (theta), s = sin (theta);
      double a = x[ia], b = x[ib];

      x[ia] = a * c - b * s;
      x[ib] = a * s + b * c;
    }
}

/* One block over all @n positions; @x (n, C) updated in place. */
static gboolean
layer_forward (Ctx                *ctx,
               double             *x,
               guint               layer,
               const double       *freq,
               HoneRefModelFlags   flags,
               guint               n,
               GError            **error)
{
  const HoneModelInfo *info = ctx->info;
  guint c = info->dim, hd = info->head_dim, nh = info->n_heads, ng = info->n_kv_heads;
  guint qd = nh * hd, kd = ng * hd, f = info->ffn;
  gboolean neox = info->arch != HONE_ARCH_LLAMA;
  double pos_scale = info->rope_scaling == HONE_ROPE_SCALING_LINEAR
                     ? 1.0 / info->rope_scaling_factor : 1.0;
  g_autofree double *attn_norm = NULL, *wq = NULL, *wk = NULL, *wv = NULL, *wo = NULL;
  g_autofree double *bq = NULL, *bk = NULL, *bv = NULL, *q_norm = NULL, *k_norm = NULL;
  g_autofree double *ffn_norm = NULL, *wg = NULL, *wu = NULL, *wd = NULL;
  g_autofree double *h = g_new (double, c);
  g_autofree double *q = g_new (double, (gsize) n * qd);    /* (n, H·D) */
  g_autofree double *k = g_new (double, (gsize) n * kd);    /* (n, G·D) */
  g_autofree double *v = g_new (double, (gsize) n * kd);    /* (n, G·D) */
  g_autofree double *o = g_new (double, qd);                /* (H·D) */
  g_autofree double *s = g_new (double, n);                 /* scores (n) */
  g_autofree double *y = g_new (double, c);
  g_autofree double *g = g_new (double, f);
  g_autofree double *u = g_new (double, f);
  g_autoptr(GError) local_error = NULL;
  char name[96];

#define NAME(suffix) (g_snprintf (name, sizeof name, "blk.%u.%s", layer, suffix), name)
  if ((attn_norm = load_vector (ctx, NAME ("attn_norm.weight"), c, TRUE, error)) == NULL
      || (wq = load_matrix (ctx, NAME ("attn_q.weight"), qd, c, error)) == NULL
      || (wk = load_matrix (ctx, NAME ("attn_k.weight"), kd, c, error)) == NULL
      || (wv = load_matrix (ctx, NAME ("attn_v.weight"), kd, c, error)) == NULL
      || (wo = load_matrix (ctx, NAME ("attn_output.weight"), c, qd, error)) == NULL
      || (ffn_norm = load_vector (ctx, NAME ("ffn_norm.weight"), c, TRUE, error)) == NULL
      || (wg = load_matrix (ctx, NAME ("ffn_gate.weight"), f, c, error)) == NULL
      || (wu = load_matrix (ctx, NAME ("ffn_up.weight"), f, c, error)) == NULL
      || (wd = load_matrix (ctx, NAME ("ffn_down.weight"), c, f, error)) == NULL)
    return FALSE;
  /* optional ones: an absent tensor gives NULL without an error */
  bq = load_vector (ctx, NAME ("attn_q.bias"), qd, info->qkv_bias, &local_error);
  if (local_error == NULL)
    bk = load_vector (ctx, NAME ("attn_k.bias"), kd, info->qkv_bias, &local_error);
  if (local_error == NULL)
    bv = load_vector (ctx, NAME ("attn_v.bias"), kd, info->qkv_bias, &local_error);
  if (local_error == NULL && info->qk_norm)
    q_norm = load_vector (ctx, NAME ("attn_q_norm.weight"), hd, TRUE, &local_error);
  if (local_error == NULL && info->qk_norm)
    k_norm = load_vector (ctx, NAME ("attn_k_norm.weight"), hd, TRUE, &local_error);
#undef NAME
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint p = 0; p < n; p++)
    {
      double *qp = q + (gsize) p * qd, *kp = k + (gsize) p * kd, *vp = v + (gsize) p * kd;

      rmsnorm (h, x + (gsize) p * c, attn_norm, c, info->rms_eps);
      matvec (qp, wq, h, bq, qd, c);
      matvec (kp, wk, h, bk, kd, c);
      matvec (vp, wv, h, bv, kd, c);
      for (guint j = 0; j < nh; j++)
        {
          if (q_norm != NULL)
            rmsnorm (qp + j * hd, qp + j * hd, q_norm, hd, info->rms_eps);
          rope (qp + j * hd, freq, info->rope_dims, neox, p * pos_scale);
        }
      for (guint j = 0; j < ng; j++)
        {
          if (k_norm != NULL)
            rmsnorm (kp + j * hd, kp + j * hd, k_norm, hd, info->rms_eps);
          rope (kp + j * hd, freq, info->rope_dims, neox, p * pos_scale);
        }
      if (flags & HONE_REF_MODEL_KV_F16)
        for (guint i = 0; i < kd; i++)
          {
            kp[i] = round_f16 (kp[i]);
            vp[i] = round_f16 (vp[i]);
          }
    }

  for (guint p = 0; p < n; p++)
    {
      double *xp = x + (gsize) p * c;

      for (guint j = 0; j < nh; j++)
        {
          guint kv = j / (nh / ng);
          const double *qj = q + (gsize) p * qd + j * hd;
          double max = -INFINITY, sum = 0;

          for (guint t = 0; t <= p; t++)
            {
              const double *kt = k + (gsize) t * kd + kv * hd;
              double dot = 0;

              for (guint d = 0; d < hd; d++)
                dot += qj[d] * kt[d];
              s[t] = dot / sqrt ((double) hd);
              max = MAX (max, s[t]);
            }
          for (guint t = 0; t <= p; t++)
            {
              s[t] = exp (s[t] - max);
              sum += s[t];
            }
          for (guint d = 0; d < hd; d++)
            {
              double acc = 0;

              for (guint t = 0; t <= p; t++)
                acc += s[t] * v[(gsize) t * kd + kv * hd + d];
              o[j * hd + d] = acc / sum;
            }
        }
      matvec (y, wo, o, NULL, c, qd);
      for (guint i = 0; i < c; i++)
        xp[i] += y[i];

      rmsnorm (h, xp, ffn_norm, c, info->rms_eps);
      matvec (g, wg, h, NULL, f, c);
      matvec (u, wu, h, NULL, f, c);
      for (guint i = 0; i < f; i++)
        g[i] = g[i] / (1.0 + exp (-g[i])) * u[i];
      matvec (y, wd, g, NULL, c, f);
      for (guint i = 0; i < c; i++)
        xp[i] += y[i];
    }
  return TRUE;
}

double *
hone_ref_model_forward_flags (HoneModel          *model,
                              HoneAdapter        *adapter,
                              float               adapter_scale_mult,
                              HoneRefModelFlags   flags,
                              const guint32      *ids,
                              guint               n,
                              GError            **error)
{
  g_autoptr(GHashTable) merged = NULL;
  Ctx ctx;
  const HoneModelInfo *info;
  const char *out_name;
  g_autofree float *embd = NULL;
  g_autofree float *out_f = NULL;
  g_autofree double *out_norm = NULL;
  g_autofree double *freq = NULL;
  g_autofree double *x = NULL;
  g_autofree double *h = NULL;
  g_autofree double *logits = NULL;
  guint c, vocab;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (ids != NULL || n == 0, NULL);

  merged = g_hash_table_new (g_str_hash, g_str_equal);
  ctx = (Ctx) { model, hone_model_get_info (model), adapter, adapter_scale_mult, merged };
  info = ctx.info;
  c = info->dim;
  vocab = info->vocab_size;

  if (info->rope_scaling == HONE_ROPE_SCALING_YARN || info->rope_dims % 2 != 0
      || info->rope_dims > info->head_dim || info->n_kv_heads == 0
      || info->n_heads % info->n_kv_heads != 0)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: the reference forward does not cover this model (YaRN, odd RoPE "
                   "dimensions, or heads that the key/value heads do not divide)",
                   hone_model_get_name (model));
      return NULL;
    }
  if (adapter != NULL && !hone_adapter_check (adapter, model, error))
    return NULL;
  for (guint p = 0; p < n; p++)
    if (ids[p] >= vocab)
      {
        g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                     "token id %u is outside the vocabulary (%u)", ids[p], vocab);
        return NULL;
      }

  if ((embd = load_f32 (&ctx, "token_embd.weight", c, vocab, TRUE, error)) == NULL
      || (freq = rope_frequencies (&ctx, error)) == NULL)
    return NULL;
  x = g_new (double, (gsize) MAX (n, 1) * c);  /* (n, C) */
  for (guint p = 0; p < n; p++)
    for (guint i = 0; i < c; i++)
      x[(gsize) p * c + i] = embd[(gsize) ids[p] * c + i];

  for (guint l = 0; l < info->n_layers; l++)
    if (!layer_forward (&ctx, x, l, freq, flags, n, error))
      return NULL;

  if ((out_norm = load_vector (&ctx, "output_norm.weight", c, TRUE, error)) == NULL)
    return NULL;
  out_name = hone_model_find_tensor (model, "output.weight") != NULL ? "output.weight"
             : "token_embd.weight";
  if (g_str_equal (out_name, "token_embd.weight"))
    out_f = g_steal_pointer (&embd);
  else if ((out_f = load_f32 (&ctx, out_name, c, vocab, TRUE, error)) == NULL)
    return NULL;

  if (adapter != NULL && g_hash_table_size (ctx.merged) != hone_adapter_get_n_pairs (adapter))
    for (guint i = 0; i < hone_adapter_get_n_pairs (adapter); i++)
      {
        const char *target = hone_adapter_get_pair (adapter, i)->target;

        if (!g_hash_table_contains (ctx.merged, target))
          {
            g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                         "%s: the reference applies LoRA to the layers' linear weights only, "
                         "not to '%s'", hone_adapter_get_name (adapter), target);
            return NULL;
          }
      }

  h = g_new (double, c);
  logits = g_new (double, (gsize) MAX (n, 1) * vocab);  /* (n, V) */
  for (guint p = 0; p < n; p++)
    {
      rmsnorm (h, x + (gsize) p * c, out_norm, c, info->rms_eps);
      for (guint t = 0; t < vocab; t++)
        {
          const float *row = out_f + (gsize) t * c;
          double sum = 0;

          for (guint i = 0; i < c; i++)
            sum += (double) row[i] * h[i];
          logits[(gsize) p * vocab + t] = sum;
        }
    }
  return g_steal_pointer (&logits);
}

double *
hone_ref_model_forward (HoneModel      *model,
                        HoneAdapter    *adapter,
                        float           adapter_scale_mult,
                        const guint32  *ids,
                        guint           n,
                        GError        **error)
{
  return hone_ref_model_forward_flags (model, adapter, adapter_scale_mult, HONE_REF_MODEL_NONE,
                                       ids, n, error);
}
