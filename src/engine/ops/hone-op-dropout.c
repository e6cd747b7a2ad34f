/* hone-op-dropout.c — dropout from a counter-based generator (shaders/dropout.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 n, step, seed_lo, seed_hi;
  float   p, scale;
} DropoutPush;

gboolean
hone_op_dropout (HoneGpuStream      *stream,
                 HoneGpuBuffer      *out,
                 HoneGpuBuffer      *in,
                 gsize               n,
                 float               p,
                 guint64             seed,
                 guint32             step,
                 const HoneOpConfig *config,
                 GError            **error)
{
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  DropoutPush push = { (guint32) n, step, (guint32) seed, (guint32) (seed >> 32), p,
                       p < 1.0f ? 1.0f / (1.0f - p) : 0.0f };
  HoneGpuBinding bindings[] = {
    { in, HONE_GPU_TEXEL_R32F, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("dropout %" G_GSIZE_FORMAT, n);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (n == 0)
    return TRUE;
  if (!(p >= 0.0f && p <= 1.0f) || n > G_MAXUINT32 - 3)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: p = %g is not a probability, or too many elements", label, p);
      return FALSE;
    }
  if (!hone_ops_check_size (in, n * 4, label, error)
      || !hone_ops_check_size (out, n * 4, label, error))
    return FALSE;
  /* n % 4 == 0: an invocation's 4 elements as one RGBA fetch and one vec4 store */
  if (n % 4 == 0)
    bindings[0].access = HONE_GPU_TEXEL_RGBA32F;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream),
                                    n % 4 == 0 ? "dropout_v4" : "dropout", "ts", sizeof push,
                                    spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (hone_gpu_div_up (n, 4), wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 2, &push, sizeof push, gx, gy, 1,
                                   label, error);
}
