/* hone-op-adamw.c — the AdamW optimizer step (shaders/adamw.comp).
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
  guint32 n;
  float   lr, beta1, beta2, eps, weight_decay, bc1, bc2, grad_scale;
} AdamWPush;

gboolean
hone_op_adamw (HoneGpuStream      *stream,
               HoneGpuBuffer      *params,
               HoneGpuBuffer      *m,
               HoneGpuBuffer      *v,
               HoneGpuBuffer      *grad,
               gsize               n,
               const HoneAdamW    *hyper,
               const HoneOpConfig *config,
               GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  AdamWPush push;
  HoneGpuBinding bindings[] = {
    { grad, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { params, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
    { m, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
    { v, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("adamw n=%" G_GSIZE_FORMAT, n);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL && hyper != NULL, FALSE);
  g_return_val_if_fail (hyper->step >= 1, FALSE);
  if (n == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    if (!hone_ops_check_size (bindings[i].buffer, n * 4, label, error))
      return FALSE;
  push = (AdamWPush) {
    (guint32) n, hyper->lr, hyper->beta1, hyper->beta2, hyper->eps, hyper->weight_decay,
    (float) (1.0 - pow (hyper->beta1, hyper->step)),
    (float) (1.0 - pow (hyper->beta2, hyper->step)),
    hyper->grad_scale != 0.0f ? hyper->grad_scale : 1.0f,
  };
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "adamw", "tsss", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (hone_gpu_div_up (n, 4), wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 4, &push, sizeof push, gx, gy, 1,
                                   label, error);
}
