/* hone-op-attention.c — decode attention against a KV cache (shaders/attention_decode.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include <math.h>

#include "hone-ops-private.h"

typedef struct
{
  guint32 h, hkv, d, s;
  float   scale;
} DecodePush;

gboolean
hone_op_attention_decode (HoneGpuStream      *stream,
                          HoneGpuBuffer      *out,
                          HoneGpuBuffer      *lse,
                          HoneGpuBuffer      *q,
                          HoneGpuBuffer      *k_cache,
                          HoneGpuBuffer      *v_cache,
                          guint               h,
                          guint               hkv,
                          guint               d,
                          guint               s,
                          const HoneOpConfig *config,
                          GError            **error)
{
  guint wg = hone_ops_workgroup (config, 8);
  gint32 spec[4] = { (gint32) wg, 1, 1, (gint32) d / 4 };
  DecodePush push = { h, hkv, d, s, 1.0f / sqrtf ((float) d) };
  HoneGpuBinding bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k_cache, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { v_cache, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { lse, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("attention_decode h%u/%u d%u s%u", h, hkv, d, s);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (h == 0)
    return TRUE;
  /* S ≤ 65535: lavapipe cuts longer loops short (attention_decode.comp). */
  if (hkv == 0 || h % hkv != 0 || d % 4 != 0 || d > 256 || d == 0 || s > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: needs H a multiple of Hkv, D a multiple of 4 up to 256 and at most "
                   "65535 positions", label);
      return FALSE;
    }
  if (!hone_ops_check_size (q, (gsize) h * d * 4, label, error)
      || !hone_ops_check_size (k_cache, (gsize) MAX (s, 1) * hkv * d * 4, label, error)
      || !hone_ops_check_size (v_cache, (gsize) MAX (s, 1) * hkv * d * 4, label, error)
      || !hone_ops_check_size (out, (gsize) h * d * 4, label, error)
      || !hone_ops_check_size (lse, (gsize) h * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "attention_decode",
                                    "tttss", sizeof push, spec, 4, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 5, &push, sizeof push,
                                   hone_gpu_div_up (h, wg), 1, 1, label, error);
}

/* ---- causal attention over a packed batch (shaders/attention_train.comp) ---------- */

typedef struct
{
  guint32 t, hq, hkv;
  float   scale;
} TrainPush;

static gboolean
check_train_shape (const char *label,
                   guint       t,
                   guint       hq,
                   guint       hkv,
                   guint       d,
                   GError    **error)
{
  /* T ≤ 65535 and T·(Hq/Hkv) ≤ 65535: lavapipe cuts longer loops short
   * (attention_train.comp); the flat index (T·Hq) must fit in 32 bits. */
  if (hkv == 0 || hq % hkv != 0 || d % 4 != 0 || d == 0 || d > 256 || t > 65535
      || (guint64) t * (hq / hkv) > 65535 || (guint64) t * hq * (d / 4) > G_MAXUINT32)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: needs Hq a multiple of Hkv, D a multiple of 4 up to 256 and "
                   "T · Hq/Hkv at most 65535", label);
      return FALSE;
    }
  return TRUE;
}

gboolean
hone_op_attention_forward (HoneGpuStream      *stream,
                           HoneGpuBuffer      *out,
                           HoneGpuBuffer      *lse,
                           HoneGpuBuffer      *q,
                           HoneGpuBuffer      *k,
                           HoneGpuBuffer      *v,
                           HoneGpuBuffer      *seq_start,
                           guint               t,
                           guint               hq,
                           guint               hkv,
                           guint               d,
                           float               scale,
                           const HoneOpConfig *config,
                           GError            **error)
{
  guint wg = hone_ops_workgroup (config, 8);
  gint32 spec[5] = { (gint32) wg, 1, 1, (gint32) d / 4, hkv > 0 ? (gint32) (hq / hkv) : 1 };
  TrainPush push = { t, hq, hkv, scale };
  HoneGpuBinding bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { v, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { seq_start, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { lse, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  guint32 gx, gy;
  g_autofree char *label = g_strdup_printf ("attention_forward t%u h%u/%u d%u", t, hq, hkv, d);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || hq == 0)
    return TRUE;
  if (!check_train_shape (label, t, hq, hkv, d, error))
    return FALSE;
  if (!hone_ops_check_size (q, (gsize) t * hq * d * 4, label, error)
      || !hone_ops_check_size (k, (gsize) t * hkv * d * 4, label, error)
      || !hone_ops_check_size (v, (gsize) t * hkv * d * 4, label, error)
      || !hone_ops_check_size (seq_start, (gsize) t * 4, label, error)
      || !hone_ops_check_size (out, (gsize) t * hq * d * 4, label, error)
      || !hone_ops_check_size (lse, (gsize) t * hq * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "attention_forward",
                                    "ttttss", sizeof push, spec, 5, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up ((guint64) t * hq, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings),
                                   &push, sizeof push, gx, gy, 1, label, error);
}

gboolean
hone_op_attention_backward (HoneGpuStream      *stream,
                            HoneGpuBuffer      *dq,
                            HoneGpuBuffer      *dk,
                            HoneGpuBuffer      *dv,
                            HoneGpuBuffer      *delta,
                            HoneGpuBuffer      *out,
                            HoneGpuBuffer      *lse,
                            HoneGpuBuffer      *q,
                            HoneGpuBuffer      *k,
                            HoneGpuBuffer      *v,
                            HoneGpuBuffer      *dout,
                            HoneGpuBuffer      *seq_start,
                            guint               t,
                            guint               hq,
                            guint               hkv,
                            guint               d,
                            float               scale,
                            const HoneOpConfig *config,
                            GError            **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  guint wg = hone_ops_workgroup (config, 8);
  gint32 spec[5] = { (gint32) wg, 1, 1, (gint32) d / 4, hkv > 0 ? (gint32) (hq / hkv) : 1 };
  TrainPush push = { t, hq, hkv, scale };
  HoneGpuBinding dq_bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { v, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { out, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { dout, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { lse, HONE_GPU_TEXEL_R32F, 0, 0 },
    { seq_start, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { dq, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { delta, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuBinding kv_bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { v, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { dout, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { lse, HONE_GPU_TEXEL_R32F, 0, 0 },
    { delta, HONE_GPU_TEXEL_R32F, 0, 0 },
    { seq_start, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { dk, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { dv, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  guint32 gx, gy;
  gsize nq = (gsize) t * hq * d * 4, nkv = (gsize) t * hkv * d * 4;
  g_autofree char *label = g_strdup_printf ("attention_backward t%u h%u/%u d%u", t, hq, hkv, d);
  g_autofree char *label_dq = NULL, *label_kv = NULL;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || hq == 0)
    return TRUE;
  if (!check_train_shape (label, t, hq, hkv, d, error))
    return FALSE;
  if (!hone_ops_check_size (q, nq, label, error)
      || !hone_ops_check_size (k, nkv, label, error)
      || !hone_ops_check_size (v, nkv, label, error)
      || !hone_ops_check_size (out, nq, label, error)
      || !hone_ops_check_size (dout, nq, label, error)
      || !hone_ops_check_size (lse, (gsize) t * hq * 4, label, error)
      || !hone_ops_check_size (seq_start, (gsize) t * 4, label, error)
      || !hone_ops_check_size (dq, nq, label, error)
      || !hone_ops_check_size (dk, nkv, label, error)
      || !hone_ops_check_size (dv, nkv, label, error)
      || !hone_ops_check_size (delta, (gsize) t * hq * 4, label, error))
    return FALSE;

  label_dq = g_strdup_printf ("attention_backward_dq t%u h%u/%u d%u", t, hq, hkv, d);
  pipeline = hone_gpu_pipeline_get (device, "attention_backward_dq", "tttttttss",
                                    sizeof push, spec, 5, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up ((guint64) t * hq, wg), &gx, &gy);
  if (!hone_gpu_stream_dispatch (stream, pipeline, dq_bindings, G_N_ELEMENTS (dq_bindings),
                                 &push, sizeof push, gx, gy, 1, label_dq, error))
    return FALSE;

  label_kv = g_strdup_printf ("attention_backward_dkdv t%u h%u/%u d%u", t, hq, hkv, d);
  pipeline = hone_gpu_pipeline_get (device, "attention_backward_dkdv", "tttttttss",
                                    sizeof push, spec, 5, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up ((guint64) t * hkv, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, kv_bindings, G_N_ELEMENTS (kv_bindings),
                                   &push, sizeof push, gx, gy, 1, label_kv, error);
}
