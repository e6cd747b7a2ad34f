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
  /* The weight pass reads one element per fetch whatever the shape. */
  for (guint i = 0; i < 3; i++)
    bindings[i].access = HONE_GPU_TEXEL_R32F;
  bindings[4].buffer = dw;
  bindings[4].access = HONE_GPU_STORAGE_READ_WRITE;
  pipeline = hone_gpu_pipeline_get (device, "rmsnorm_backward_weight", "tttts", sizeof push,
                                    spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 5, &push, sizeof push,
                                   hone_gpu_div_up (c, wg), 1, 1, label, error);
}
