/* hone-op-bias.c — bias add and its gradient (shaders/bias.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 t, c;
} BiasPush;

gboolean
hone_op_bias_forward (HoneGpuStream      *stream,
                      HoneGpuBuffer      *y,
                      HoneGpuBuffer      *x,
                      HoneGpuBuffer      *b,
                      guint               t,
                      guint               c,
                      const HoneOpConfig *config,
                      GError            **error)
{
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  BiasPush push = { t, c };
  HoneGpuBinding bindings[] = {
    { x, HONE_GPU_TEXEL_R32F, 0, 0 },
    { b, HONE_GPU_TEXEL_R32F, 0, 0 },
    { y, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("bias_forward %ux%u", t, c);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!hone_ops_check_size (y, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (x, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (b, (gsize) c * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "bias_forward", "tts",
                                    sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up ((guint64) t * c, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push, gx, gy, 1,
                                   label, error);
}

gboolean
hone_op_bias_backward (HoneGpuStream      *stream,
                       HoneGpuBuffer      *db,
                       HoneGpuBuffer      *dy,
                       guint               t,
                       guint               c,
                       const HoneOpConfig *config,
                       GError            **error)
{
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  BiasPush push = { t, c };
  HoneGpuBinding bindings[] = {
    { dy, HONE_GPU_TEXEL_R32F, 0, 0 },
    { db, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("bias_backward %ux%u", t, c);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (t > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: at most 65535 rows (lavapipe cuts longer loops short)", label);
      return FALSE;
    }
  if (!hone_ops_check_size (dy, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (db, (gsize) c * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "bias_backward", "ts",
                                    sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 2, &push, sizeof push,
                                   hone_gpu_div_up (c, wg), 1, 1, label, error);
}
