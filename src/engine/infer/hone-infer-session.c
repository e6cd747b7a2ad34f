/* hone-infer-session.c — the forward pass of llama, qwen2 and qwen3 over a KV cache.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One batch of n tokens at positions p … p + n − 1 (C = dim, D = head_dim, F = ffn):
 *
 *   x = embed (ids)                                       (n, C), gathered on the host
 *   per layer:
 *     xn = rmsnorm (x) · attn_norm
 *     q, k, v = xn · Wqᵀ, Wkᵀ, Wvᵀ (+ bias: qwen2)         (n, Hq·D), (n, Hkv·D)
 *     q, k = rmsnorm per head (qwen3)
 *     q, k = rope (q, k, positions)      adjacent pairs (llama) or half split (qwen)
 *     cache[p … p + n − 1] = k, v                          f16 or f32
 *     att = softmax (q·kᵀ / √D, causal over the cache) · v   (n, Hq·D)
 *     x += att · Woᵀ
 *     xn = rmsnorm (x) · ffn_norm
 *     x += (silu (xn · Wgateᵀ) ⊙ (xn · Wupᵀ)) · Wdownᵀ
 *   logits = rmsnorm (x) · output_norm · Woutᵀ            last row, or every row
 *
 * Each linear layer may carry the active adapter's LoRA pair (hone_infer_linear). The whole
 * batch is one command buffer (one submit); longer inputs go in batches of n_batch.
 */
#define G_LOG_DOMAIN "hone-infer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-infer-private.h"

/* The most tokens one command buffer runs; longer inputs are split. */
#define N_BATCH 512
/* The most recent tokens the repetition penalty looks at. */
#define MAX_RECENT 1024
/* A session's default context, when the model allows more: enough for a long chat. */
#define DEFAULT_CTX 8192

struct _HoneInferSession
{
  HoneInferModel *model;
  HoneGpuDevice  *device;
  HoneGpuStream  *stream;
  HoneKvType      kv_type;
  guint           n_ctx;
  guint           n_past;
  guint           n_batch;
  gint            adapter;
  float           adapter_mult;

  HoneGpuBuffer **k_cache;     /* per layer (n_ctx, Hkv, D) */
  HoneGpuBuffer **v_cache;

  HoneGpuBuffer  *x;           /* (B, C) the residual stream */
  HoneGpuBuffer  *xn;          /* (B, C) */
  HoneGpuBuffer  *q;           /* (B, Hq·D) */
  HoneGpuBuffer  *k;           /* (B, Hkv·D) */
  HoneGpuBuffer  *v;           /* (B, Hkv·D) */
  HoneGpuBuffer  *att;         /* (B, Hq·D) */
  HoneGpuBuffer  *proj;        /* (B, C) */
  HoneGpuBuffer  *gate;        /* (B, F) */
  HoneGpuBuffer  *up;          /* (B, F) */
  HoneGpuBuffer  *hidden;      /* (B, F) */
  HoneGpuBuffer  *rstd;        /* (B·Hq) */
  HoneGpuBuffer  *pos;         /* (B) uint32 */
  HoneGpuBuffer  *last;        /* (C) the last row of x */
  HoneGpuBuffer  *last_norm;   /* (C) */
  HoneGpuBuffer  *logits;      /* (V) the last row's logits */
  HoneGpuBuffer  *all_logits;  /* (B, V), made on first use */
  HoneGpuBuffer  *lora_tmp;    /* (B, r) for the active adapter */
  gsize           lora_tmp_size;

  HoneGpuBuffer  *token;       /* (1) uint32 */
  HoneGpuBuffer  *probs;       /* (V) */
  HoneGpuBuffer  *sample_scratch;
  HoneGpuBuffer  *recent;      /* (MAX_RECENT) uint32 */

  float          *host_x;      /* (B, C) embedding rows */
  guint32        *host_pos;    /* (B) */
  gsize           embd_row_bytes;
};

static gsize
kv_elem_size (HoneKvType type)
{
  return type == HONE_KV_F16 ? 2 : 4;
}

static gboolean
alloc (HoneGpuDevice  *device,
       HoneGpuBuffer **buffer,
       gsize           bytes,
       GError        **error)
{
  *buffer = hone_gpu_buffer_new (device, MAX (bytes, 16), error);
  return *buffer != NULL;
}

/* Bytes of scratch a session with batches of @b tokens needs beside its cache. */
static guint64
scratch_bytes (const HoneModelInfo *info,
               guint                b)
{
  guint64 q = (guint64) info->n_heads * info->head_dim;
  guint64 kv = (guint64) info->n_kv_heads * info->head_dim;
  guint64 per_token = 3 * info->dim + 2 * q + 2 * kv + 3 * (guint64) info->ffn + info->n_heads;

  return 4 * (per_token * b + 4 * (guint64) info->vocab_size + 2 * info->dim)
         + MAX_RECENT * 4 + 65536;
}

HoneInferSession *
hone_infer_session_new (HoneInferModel *model,
                        guint           n_ctx,
                        HoneKvType      kv_type,
                        GError        **error)
{
  g_autoptr (HoneInferSession) self = NULL;
  const HoneModelInfo *info;
  HoneGpuDevice *device;
  guint64 per_token, budget, live, scratch;
  gsize row = 0, kv_row;
  guint b;

  g_return_val_if_fail (model != NULL, NULL);

  info = &model->info;
  device = model->device;
  kv_row = (gsize) info->n_kv_heads * info->head_dim;
  per_token = 2 * (guint64) info->n_layers * kv_row * kv_elem_size (kv_type);
  if (n_ctx == 0)
    {
      guint64 fit;

      n_ctx = MIN (info->context_length ? info->context_length : DEFAULT_CTX, DEFAULT_CTX);
      budget = hone_gpu_device_get_budget (device);
      live = hone_gpu_device_get_live_bytes (device);
      scratch = scratch_bytes (info, MIN (N_BATCH, n_ctx));
      fit = budget > live + scratch ? (budget - live - scratch) / per_token : 0;
      if (fit < n_ctx)
        {
          if (fit < 64)
            {
              g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_OUT_OF_MEMORY,
                           _("There is not enough GPU memory left for a conversation with "
                             "this model (%.1f GB free)"),
                           budget > live ? (budget - live) / 1e9 : 0.0);
              return NULL;
            }
          g_debug ("memory budget allows %" G_GUINT64_FORMAT " of %u tokens", fit, n_ctx);
          n_ctx = (guint) fit;
        }
    }
  b = MIN (N_BATCH, n_ctx);

  self = g_new0 (HoneInferSession, 1);
  self->model = model;
  self->device = device;
  self->kv_type = kv_type;
  self->n_ctx = n_ctx;
  self->n_batch = b;
  self->adapter = -1;
  self->adapter_mult = 1.0f;
  self->stream = hone_gpu_stream_new (device, error);
  if (self->stream == NULL)
    return NULL;
  self->k_cache = g_new0 (HoneGpuBuffer *, info->n_layers);
  self->v_cache = g_new0 (HoneGpuBuffer *, info->n_layers);
  for (guint l = 0; l < info->n_layers; l++)
    if (!alloc (device, &self->k_cache[l], (gsize) n_ctx * kv_row * kv_elem_size (kv_type),
                error)
        || !alloc (device, &self->v_cache[l], (gsize) n_ctx * kv_row * kv_elem_size (kv_type),
                   error))
      {
        g_prefix_error (error, _("Could not make room for %u tokens of context: "), n_ctx);
        return NULL;
      }
  {
    gsize c = info->dim, f = info->ffn, q = (gsize) info->n_heads * info->head_dim;

    if (!alloc (device, &self->x, b * c * 4, error)
        || !alloc (device, &self->xn, b * c * 4, error)
        || !alloc (device, &self->q, b * q * 4, error)
        || !alloc (device, &self->k, b * kv_row * 4, error)
        || !alloc (device, &self->v, b * kv_row * 4, error)
        || !alloc (device, &self->att, b * q * 4, error)
        || !alloc (device, &self->proj, b * c * 4, error)
        || !alloc (device, &self->gate, b * f * 4, error)
        || !alloc (device, &self->up, b * f * 4, error)
        || !alloc (device, &self->hidden, b * f * 4, error)
        || !alloc (device, &self->rstd, (gsize) b * info->n_heads * 4, error)
        || !alloc (device, &self->pos, b * 4, error)
        || !alloc (device, &self->last, c * 4, error)
        || !alloc (device, &self->last_norm, c * 4, error)
        || !alloc (device, &self->logits, (gsize) info->vocab_size * 4, error)
        || !alloc (device, &self->token, 4, error)
        || !alloc (device, &self->probs, (gsize) info->vocab_size * 4, error)
        || !alloc (device, &self->sample_scratch,
                   hone_op_sample_scratch_size (info->vocab_size), error)
        || !alloc (device, &self->recent, MAX_RECENT * 4, error))
      return NULL;
  }
  self->host_x = g_new (float, (gsize) b * info->dim);
  self->host_pos = g_new (guint32, b);
  hone_ggml_type_size_of (model->token_embd->type, info->dim, &row);
  self->embd_row_bytes = row;
  return g_steal_pointer (&self);
}

void
hone_infer_session_free (HoneInferSession *self)
{
  if (self == NULL)
    return;
  if (self->k_cache != NULL)
    for (guint l = 0; l < self->model->info.n_layers; l++)
      {
        g_clear_pointer (&self->k_cache[l], hone_gpu_buffer_free);
        g_clear_pointer (&self->v_cache[l], hone_gpu_buffer_free);
      }
  g_free (self->k_cache);
  g_free (self->v_cache);
  g_clear_pointer (&self->x, hone_gpu_buffer_free);
  g_clear_pointer (&self->xn, hone_gpu_buffer_free);
  g_clear_pointer (&self->q, hone_gpu_buffer_free);
  g_clear_pointer (&self->k, hone_gpu_buffer_free);
  g_clear_pointer (&self->v, hone_gpu_buffer_free);
  g_clear_pointer (&self->att, hone_gpu_buffer_free);
  g_clear_pointer (&self->proj, hone_gpu_buffer_free);
  g_clear_pointer (&self->gate, hone_gpu_buffer_free);
  g_clear_pointer (&self->up, hone_gpu_buffer_free);
  g_clear_pointer (&self->hidden, hone_gpu_buffer_free);
  g_clear_pointer (&self->rstd, hone_gpu_buffer_free);
  g_clear_pointer (&self->pos, hone_gpu_buffer_free);
  g_clear_pointer (&self->last, hone_gpu_buffer_free);
  g_clear_pointer (&self->last_norm, hone_gpu_buffer_free);
  g_clear_pointer (&self->logits, hone_gpu_buffer_free);
  g_clear_pointer (&self->all_logits, hone_gpu_buffer_free);
  g_clear_pointer (&self->lora_tmp, hone_gpu_buffer_free);
  g_clear_pointer (&self->token, hone_gpu_buffer_free);
  g_clear_pointer (&self->probs, hone_gpu_buffer_free);
  g_clear_pointer (&self->sample_scratch, hone_gpu_buffer_free);
  g_clear_pointer (&self->recent, hone_gpu_buffer_free);
  g_clear_pointer (&self->stream, hone_gpu_stream_free);
  g_free (self->host_x);
  g_free (self->host_pos);
  g_free (self);
}

HoneInferModel *
hone_infer_session_get_model (HoneInferSession *self)
{
  return self->model;
}

guint
hone_infer_session_get_n_ctx (HoneInferSession *self)
{
  return self->n_ctx;
}

guint
hone_infer_session_get_n_past (HoneInferSession *self)
{
  return self->n_past;
}

void
hone_infer_session_truncate (HoneInferSession *self,
                             guint             n_past)
{
  g_return_if_fail (self != NULL);

  self->n_past = MIN (self->n_past, n_past);
}

void
hone_infer_session_set_adapter (HoneInferSession *self,
                                gint              adapter,
                                float             scale)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (adapter < (gint) self->model->adapters->len);

  if (adapter != self->adapter || scale != self->adapter_mult)
    self->n_past = 0;
  self->adapter = adapter < 0 ? -1 : adapter;
  self->adapter_mult = scale;
}

static const HoneInferLora *
lora_for (HoneInferSession *self,
          guint             layer,
          HoneLayerSlot     slot)
{
  HoneInferAdapter *adapter;

  if (self->adapter < 0)
    return NULL;
  adapter = g_ptr_array_index (self->model->adapters, self->adapter);
  return &adapter->pairs[layer * HONE_N_SLOTS + slot];
}

static gboolean
linear (HoneInferSession *self,
        HoneGpuBuffer    *y,
        HoneGpuBuffer    *x,
        guint             layer,
        HoneLayerSlot     slot,
        guint             n,
        GError          **error)
{
  return hone_infer_linear (self->stream, y, x, &self->model->layers[layer].mat[slot], n,
                            lora_for (self, layer, slot), self->adapter_mult, self->lora_tmp,
                            error);
}

/* One layer over n tokens at pos0 …; x is updated in place. */
static gboolean
layer_forward (HoneInferSession *self,
               guint             l,
               guint             n,
               guint             pos0,
               GError          **error)
{
  HoneInferModel *model = self->model;
  const HoneModelInfo *info = &model->info;
  const HoneInferLayer *layer = &model->layers[l];
  HoneGpuStream *s = self->stream;
  guint hq = info->n_heads, hkv = info->n_kv_heads, d = info->head_dim;
  float eps = (float) info->rms_eps;
  HoneDtype cache_dtype = self->kv_type == HONE_KV_F16 ? HONE_DTYPE_F16 : HONE_DTYPE_F32;
  HoneRopeParams rope = {
    .base = (float) info->rope_theta,
    .style = model->rope_style,
    .freq_scale = model->rope_freq_scale,
    .freq_factors = model->rope_factors,
  };

  /* attention */
  if (!hone_op_rmsnorm_forward (s, self->xn, self->rstd, self->x, layer->attn_norm.buffer, n,
                                info->dim, eps, NULL, error)
      || !linear (self, self->q, self->xn, l, HONE_SLOT_Q, n, error)
      || !linear (self, self->k, self->xn, l, HONE_SLOT_K, n, error)
      || !linear (self, self->v, self->xn, l, HONE_SLOT_V, n, error))
    return FALSE;
  if (info->qkv_bias
      && (!hone_op_bias_forward (s, self->q, self->q, layer->q_bias.buffer, n, hq * d, NULL,
                                 error)
          || !hone_op_bias_forward (s, self->k, self->k, layer->k_bias.buffer, n, hkv * d, NULL,
                                    error)
          || !hone_op_bias_forward (s, self->v, self->v, layer->v_bias.buffer, n, hkv * d, NULL,
                                    error)))
    return FALSE;
  if (info->qk_norm)
    {
      /* Per-head RMSNorm: the same op over n·H rows of D; att and proj are free here. */
      if (!hone_op_rmsnorm_forward (s, self->att, self->rstd, self->q, layer->q_norm.buffer,
                                    n * hq, d, eps, NULL, error)
          || !hone_op_rmsnorm_forward (s, self->proj, self->rstd, self->k,
                                       layer->k_norm.buffer, n * hkv, d, eps, NULL, error)
          || !hone_op_rope_forward_params (s, self->q, self->att, self->pos, n, hq, d, &rope,
                                           NULL, error)
          || !hone_op_rope_forward_params (s, self->k, self->proj, self->pos, n, hkv, d, &rope,
                                           NULL, error))
        return FALSE;
    }
  else if (!hone_op_rope_forward_params (s, self->q, self->q, self->pos, n, hq, d, &rope, NULL,
                                         error)
           || !hone_op_rope_forward_params (s, self->k, self->k, self->pos, n, hkv, d, &rope,
                                            NULL, error))
    return FALSE;
  if (!hone_op_kv_store (s, self->k_cache[l], cache_dtype, self->k, pos0, n, hkv * d, NULL,
                         error)
      || !hone_op_kv_store (s, self->v_cache[l], cache_dtype, self->v, pos0, n, hkv * d, NULL,
                            error)
      || !hone_op_attention_cached (s, self->att, self->q, self->k_cache[l], self->v_cache[l],
                                    cache_dtype, n, pos0, hq, hkv, d, 1.0f / sqrtf ((float) d),
                                    NULL, error)
      || !linear (self, self->proj, self->att, l, HONE_SLOT_O, n, error)
      || !hone_op_add (s, self->x, self->x, self->proj, (gsize) n * info->dim, NULL, error))
    return FALSE;

  /* feed-forward */
  return hone_op_rmsnorm_forward (s, self->xn, self->rstd, self->x, layer->ffn_norm.buffer, n,
                                  info->dim, eps, NULL, error)
         && linear (self, self->gate, self->xn, l, HONE_SLOT_GATE, n, error)
         && linear (self, self->up, self->xn, l, HONE_SLOT_UP, n, error)
         && hone_op_swiglu_forward (s, self->hidden, self->gate, self->up,
                                    (gsize) n * info->ffn, NULL, error)
         && linear (self, self->proj, self->hidden, l, HONE_SLOT_DOWN, n, error)
         && hone_op_add (s, self->x, self->x, self->proj, (gsize) n * info->dim, NULL, error);
}

static gboolean
ensure_lora_tmp (HoneInferSession *self,
                 GError          **error)
{
  HoneInferAdapter *adapter;
  gsize bytes;

  if (self->adapter < 0)
    return TRUE;
  adapter = g_ptr_array_index (self->model->adapters, self->adapter);
  bytes = (gsize) self->n_batch * MAX (adapter->max_rank, 1) * 4;
  if (self->lora_tmp != NULL && self->lora_tmp_size >= bytes)
    return TRUE;
  g_clear_pointer (&self->lora_tmp, hone_gpu_buffer_free);
  self->lora_tmp_size = 0;
  if (!alloc (self->device, &self->lora_tmp, bytes, error))
    return FALSE;
  self->lora_tmp_size = bytes;
  return TRUE;
}

/* One batch of n ≤ n_batch tokens. */
static gboolean
eval_batch (HoneInferSession *self,
            const guint32    *ids,
            guint             n,
            gboolean          all_logits,
            float            *logits,
            GError          **error)
{
  HoneInferModel *model = self->model;
  const HoneModelInfo *info = &model->info;
  const guint8 *embd = model->token_embd->data;
  HoneGpuStream *s = self->stream;
  guint pos0 = self->n_past, c = info->dim, v = info->vocab_size;

  /* x (n, C): the embedding rows, dequantized on the host. */
  for (guint i = 0; i < n; i++)
    {
      hone_ggml_dequantize (model->token_embd->type, embd + (gsize) ids[i] * self->embd_row_bytes,
                            self->host_x + (gsize) i * c, c);
      self->host_pos[i] = pos0 + i;
    }
  if (!hone_gpu_buffer_upload (self->x, 0, self->host_x, (gsize) n * c * 4, error)
      || !hone_gpu_buffer_upload (self->pos, 0, self->host_pos, (gsize) n * 4, error)
      || !ensure_lora_tmp (self, error))
    return FALSE;

  for (guint l = 0; l < info->n_layers; l++)
    if (!layer_forward (self, l, n, pos0, error))
      return FALSE;

  if (all_logits)
    {
      guint64 range = hone_gpu_device_get_info (self->device)->max_storage_buffer_range;
      guint rows = (guint) CLAMP (range / ((guint64) v * 4), 1, self->n_batch);

      g_assert (n <= rows);
      if (self->all_logits == NULL
          && !alloc (self->device, &self->all_logits, (gsize) rows * v * 4, error))
        return FALSE;
      if (!hone_op_rmsnorm_forward (s, self->xn, self->rstd, self->x, model->output_norm.buffer,
                                    n, c, (float) info->rms_eps, NULL, error)
          || !hone_infer_linear (s, self->all_logits, self->xn, &model->output, n, NULL, 0.0f,
                                 NULL, error))
        return FALSE;
      hone_gpu_stream_copy (s, self->all_logits, (gsize) (n - 1) * v * 4, self->logits, 0,
                            (gsize) v * 4);
    }
  else
    {
      /* Only the last row goes through the output head. */
      hone_gpu_stream_copy (s, self->x, (gsize) (n - 1) * c * 4, self->last, 0, (gsize) c * 4);
      if (!hone_op_rmsnorm_forward (s, self->last_norm, self->rstd, self->last,
                                    model->output_norm.buffer, 1, c, (float) info->rms_eps,
                                    NULL, error)
          || !hone_infer_linear (s, self->logits, self->last_norm, &model->output, 1, NULL,
                                 0.0f, NULL, error))
        return FALSE;
    }
  if (!hone_gpu_stream_submit (s, error))
    return FALSE;
  self->n_past += n;
  if (logits != NULL)
    {
      if (all_logits)
        return hone_gpu_buffer_download (self->all_logits, 0, logits, (gsize) n * v * 4, error);
      return hone_gpu_buffer_download (self->logits, 0, logits, (gsize) v * 4, error);
    }
  return TRUE;
}

gboolean
hone_infer_session_eval (HoneInferSession *self,
                         const guint32    *ids,
                         guint             n,
                         gboolean          all_logits,
                         float            *logits,
                         GError          **error)
{
  const HoneModelInfo *info;
  guint done = 0, rows;

  g_return_val_if_fail (self != NULL && (ids != NULL || n == 0), FALSE);

  info = &self->model->info;
  rows = self->n_batch;
  if (n == 0)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_BAD_TOKEN,
                   _("There are no tokens to run"));
      return FALSE;
    }
  if ((guint64) self->n_past + n > self->n_ctx)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_CONTEXT_FULL,
                   _("The text is too long for the model’s context: %u tokens after %u "
                     "already held, with room for %u in all"), n, self->n_past, self->n_ctx);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (ids[i] >= info->vocab_size)
      {
        g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_BAD_TOKEN,
                     _("Token id %u is outside the model’s vocabulary of %u"), ids[i],
                     info->vocab_size);
        return FALSE;
      }
  /* Every row's logits must fit in one storage binding: fewer rows per batch for a large
   * vocabulary (151 936 × 4 bytes × 512 rows is more than lavapipe's 128 MiB). */
  if (all_logits && logits != NULL)
    {
      guint64 range = hone_gpu_device_get_info (self->device)->max_storage_buffer_range;

      rows = (guint) CLAMP (range / ((guint64) info->vocab_size * 4), 1, self->n_batch);
    }
  while (done < n)
    {
      guint chunk = MIN (rows, n - done);
      gboolean last = done + chunk == n;
      float *out = NULL;

      if (logits != NULL && all_logits)
        out = logits + (gsize) done * info->vocab_size;
      else if (logits != NULL && last)
        out = logits;
      if (!eval_batch (self, ids + done, chunk, all_logits && logits != NULL, out, error))
        return FALSE;
      done += chunk;
    }
  return TRUE;
}

gboolean
hone_infer_session_sample (HoneInferSession   *self,
                           const HoneSampling *sampling,
                           float               repeat_penalty,
                           const guint32      *recent,
                           guint               n_recent,
                           float               u,
                           guint32            *token,
                           GError            **error)
{
  guint v;

  g_return_val_if_fail (self != NULL && sampling != NULL && token != NULL, FALSE);

  v = self->model->info.vocab_size;
  if (self->n_past == 0)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_BAD_TOKEN,
                   _("Nothing has been run yet to sample from"));
      return FALSE;
    }
  if (repeat_penalty != 1.0f && n_recent > 0)
    {
      if (n_recent > MAX_RECENT)
        {
          recent += n_recent - MAX_RECENT;
          n_recent = MAX_RECENT;
        }
      if (!hone_gpu_buffer_upload (self->recent, 0, recent, (gsize) n_recent * 4, error)
          || !hone_op_repetition_penalty (self->stream, self->logits, self->recent, n_recent, v,
                                          repeat_penalty, NULL, error))
        return FALSE;
    }
  return hone_op_sample (self->stream, self->token, self->probs, self->sample_scratch,
                         self->logits, v, sampling, u, NULL, error)
         && hone_gpu_stream_submit (self->stream, error)
         && hone_gpu_buffer_download (self->token, 0, token, 4, error);
}
