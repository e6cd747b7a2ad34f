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

/* Rows one invocation of the gradient pass walks at most (lavapipe's loop limit, below);
 * a multiple of 64, so row offsets keep any texel offset alignment. */
#define ROWS_PER_DISPATCH 32768

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
  if (c % 4 == 0)
    {
      /* a vec4 per invocation through RGBA views: x along the row, y and z the row */
      bindings[0].access = HONE_GPU_TEXEL_RGBA32F;
      bindings[1].access = HONE_GPU_TEXEL_RGBA32F;
      pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "bias_forward_v4",
                                        "tts", sizeof push, spec, 3, error);
      if (pipeline == NULL)
        return FALSE;
      return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                       hone_gpu_div_up (c / 4, wg), MIN (t, 65535),
                                       hone_gpu_div_up (t, 65535), label, error);
    }
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
  if (!hone_ops_check_size (dy, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (db, (gsize) c * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "bias_backward", "ts",
                                    sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  /* An invocation walks the rows of its column: lavapipe (Mesa 22.3) silently ends an
   * invocation's loops after about 65 535 iterations, so the rows are split over
   * dispatches, each adding its rows' sum into db in order (still deterministic). */
  for (guint t0 = 0; t0 < t; t0 += ROWS_PER_DISPATCH)
    {
      push.t = MIN (ROWS_PER_DISPATCH, t - t0);
      bindings[0].offset = (gsize) t0 * c * 4;
      bindings[0].range = (gsize) push.t * c * 4;
      if (!hone_gpu_stream_dispatch (stream, pipeline, bindings, 2, &push, sizeof push,
                                     hone_gpu_div_up (c, wg), 1, 1, label, error))
        return FALSE;
    }
  return TRUE;
}
