/* hone-op-norm.c — RMSNorm forward and backward (shaders/rmsnorm.comp).
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
  float   eps;
} NormPush;

/* Rows one invocation of the weight-gradient pass walks at most (lavapipe's loop limit,
 * below); a multiple of 64, so row offsets keep any texel offset alignment. */
#define ROWS_PER_DISPATCH 32768

/* One invocation walks its row twice (forward: Σx², then y; input gradient: Σ, then dx),
 * fetching one or four elements at a time: past about 65 535 loop iterations lavapipe
 * (Mesa 22.3) silently stops, so longer rows are refused. */
static gboolean
check_row (guint        c,
           const char  *label,
           GError     **error)
{
  if ((c % 4 == 0 ? c / 4 : c) > 30000)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: rows of %u elements are too long for one shader invocation (at most "
                   "30000, or 120000 when a multiple of 4)", label, c);
      return FALSE;
    }
  return TRUE;
}

gboolean
hone_op_rmsnorm_forward (HoneGpuStream      *stream,
                         HoneGpuBuffer      *y,
                         HoneGpuBuffer      *rstd,
                         HoneGpuBuffer      *x,
                         HoneGpuBuffer      *w,
                         guint               t,
                         guint               c,
                         float               eps,
                         const HoneOpConfig *config,
                         GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 16);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  NormPush push = { t, c, eps };
  gboolean vec4 = c % 4 == 0;
  HoneGpuAccess read = vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F;
  HoneGpuBinding bindings[] = {
    { x, read, 0, 0 },
    { w, read, 0, 0 },
    { y, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { rstd, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("rmsnorm_forward %ux%u", t, c);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!check_row (c, label, error))
    return FALSE;
  if (!hone_ops_check_size (x, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (y, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (w, (gsize) c * 4, label, error)
      || !hone_ops_check_size (rstd, (gsize) t * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, vec4 ? "rmsnorm_forward_v4" : "rmsnorm_forward",
                                    "ttss", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (t, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 4, &push, sizeof push, gx, gy, 1,
                                   label, error);
}

gboolean
hone_op_rmsnorm_backward (HoneGpuStream      *stream,
                          HoneGpuBuffer      *dx,
                          HoneGpuBuffer      *dw,
                          HoneGpuBuffer      *rstd,
                          HoneGpuBuffer      *x,
                          HoneGpuBuffer      *w,
                          HoneGpuBuffer      *dy,
                          guint               t,
                          guint               c,
                          const HoneOpConfig *config,
                          GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 16);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  NormPush push = { t, c, 0.0f };
  gboolean vec4 = c % 4 == 0;
  HoneGpuAccess read = vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F;
  HoneGpuBinding bindings[] = {
    { x, read, 0, 0 },
    { w, read, 0, 0 },
    { dy, read, 0, 0 },
    { rstd, HONE_GPU_TEXEL_R32F, 0, 0 },
    { dx, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("rmsnorm_backward %ux%u", t, c);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!check_row (c, label, error))
    return FALSE;
  if (!hone_ops_check_size (x, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (dy, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (dx, (gsize) t * c * 4, label, error)
      || !hone_ops_check_size (w, (gsize) c * 4, label, error)
      || !hone_ops_check_size (rstd, (gsize) t * 4, label, error)
      || (dw != NULL && !hone_ops_check_size (dw, (gsize) c * 4, label, error)))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, vec4 ? "rmsnorm_backward_input_v4"
                                                 : "rmsnorm_backward_input",
                                    "tttts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (t, wg), &gx, &gy);
  if (!hone_gpu_stream_dispatch (stream, pipeline, bindings, 5, &push, sizeof push, gx, gy, 1,
                                 label, error))
    return FALSE;
  if (dw == NULL)
    return TRUE;
  /* The weight pass: one column per invocation, or four (vec4), fewer invocations then,
   * so smaller workgroups keep a few dozen of them. */
  bindings[4].buffer = dw;
  bindings[4].access = HONE_GPU_STORAGE_READ_WRITE;
  if (vec4)
    {
      wg = hone_ops_workgroup (config, 16);
      spec[0] = (gint32) wg;
    }
  pipeline = hone_gpu_pipeline_get (device, vec4 ? "rmsnorm_backward_weight_v4"
                                                 : "rmsnorm_backward_weight",
                                    "tttts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  /* An invocation walks the rows of its column: lavapipe (Mesa 22.3) silently ends an
   * invocation's loops after about 65 535 iterations, so the rows are split over
   * dispatches, each adding its rows' sum into dw in order (still deterministic). */
  for (guint t0 = 0; t0 < t; t0 += ROWS_PER_DISPATCH)
    {
      push.t = MIN (ROWS_PER_DISPATCH, t - t0);
      for (guint i = 0; i < 3; i++)
        {
          gsize row_bytes = i == 1 ? 0 : (gsize) c * 4;   /* w has no rows */

          bindings[i].offset = t0 * row_bytes;
          bindings[i].range = i == 1 ? 0 : push.t * row_bytes;
        }
      bindings[3].offset = (gsize) t0 * 4;
      bindings[3].range = (gsize) push.t * 4;
      if (!hone_gpu_stream_dispatch (stream, pipeline, bindings, 5, &push, sizeof push,
                                     hone_gpu_div_up (vec4 ? c / 4 : c, wg), 1, 1, label,
                                     error))
        return FALSE;
    }
  return TRUE;
}
