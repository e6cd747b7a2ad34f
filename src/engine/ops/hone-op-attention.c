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
