/* hone-op-cross-entropy.c — chunked cross-entropy with a loss mask
 * (shaders/cross_entropy.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 rows, v, row0;
  float   scale;
} CrossEntropyPush;

gboolean
hone_op_cross_entropy_chunk (HoneGpuStream      *stream,
                             HoneGpuBuffer      *dlogits,
                             HoneGpuBuffer      *losses,
                             HoneGpuBuffer      *logits,
                             HoneGpuBuffer      *targets,
                             HoneGpuBuffer      *mask,
                             guint               row0,
                             guint               tc,
                             guint               t,
                             guint               v,
                             float               scale,
                             const HoneOpConfig *config,
                             GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 8);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  CrossEntropyPush push = { tc, v, row0, scale };
  gboolean vec4 = v % 4 == 0;
  HoneGpuBinding bindings[] = {
    { logits, vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F, 0, 0 },
    { targets, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { mask, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { dlogits, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { losses, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("cross_entropy %ux%u", tc, v);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (dlogits != logits, FALSE);
  if (tc == 0 || v == 0)
    return TRUE;
  if (row0 > t || tc > t - row0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: rows %u…%u lie outside a batch of %u tokens", label, row0,
                   row0 + tc - 1, t);
      return FALSE;
    }
  /* A row is one loop of V (or V/4) fetches by one invocation. Lavapipe (Mesa 22.3) was
   * seen to cut long loops short silently (sample.comp's history); tested up to 30001
   * iterations here, so stay below 65536 rather than rely on more. */
  if ((vec4 ? v / 4 : v) > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: a vocabulary of %u needs V %% 4 == 0 above 65535", label, v);
      return FALSE;
    }
  if (!hone_ops_check_size (logits, (gsize) tc * v * 4, label, error)
      || !hone_ops_check_size (dlogits, (gsize) tc * v * 4, label, error)
      || !hone_ops_check_size (targets, (gsize) t * 4, label, error)
      || !hone_ops_check_size (mask, (gsize) t * 4, label, error)
      || !hone_ops_check_size (losses, (gsize) t * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, vec4 ? "cross_entropy_v4" : "cross_entropy",
                                    "tttss", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (tc, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
}

gboolean
hone_op_cross_entropy_mean (HoneGpuStream  *stream,
                            HoneGpuBuffer  *loss,
                            HoneGpuBuffer  *losses,
                            guint           t,
                            float           scale,
                            GError        **error)
{
  HoneGpuDevice *device;
  gint32 spec[3] = { 1, 1, 1 };
  CrossEntropyPush push = { t, 0, 0, scale };
  HoneGpuBinding bindings[] = {
    { losses, HONE_GPU_TEXEL_R32F, 0, 0 },
    { loss, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("cross_entropy_mean %u", t);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (!hone_ops_check_size (losses, (gsize) MAX (t, 1) * 4, label, error)
      || !hone_ops_check_size (loss, 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "cross_entropy_mean", "ts", sizeof push, spec, 3,
                                    error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, 1, 1, 1, label, error);
}
