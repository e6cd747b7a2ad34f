/* hone-op-embed.c — embedding gather and scatter-add backward (shaders/embed.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 t, c, v;
} EmbedPush;

gboolean
hone_op_embed_forward (HoneGpuStream      *stream,
                       HoneGpuBuffer      *out,
                       HoneGpuBuffer      *ids,
                       HoneGpuBuffer      *w,
                       guint               t,
                       guint               c,
                       guint               v,
                       const HoneOpConfig *config,
                       GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  EmbedPush push = { t, c, v };
  HoneGpuBinding bindings[] = {
    { ids, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { w, HONE_GPU_TEXEL_R32F, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("embed_forward %ux%u", t, c);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!hone_ops_check_size (ids, (gsize) t * 4, label, error)
      || !hone_ops_check_size (w, (gsize) v * c * 4, label, error)
      || !hone_ops_check_size (out, (gsize) t * c * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "embed_forward", "tts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up ((gsize) t * hone_gpu_div_up (c, 4), wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push, gx, gy, 1,
                                   label, error);
}

gboolean
hone_op_embed_backward (HoneGpuStream      *stream,
                        HoneGpuBuffer      *dw,
                        HoneGpuBuffer      *ids,
                        HoneGpuBuffer      *dout,
                        guint               t,
                        guint               c,
                        guint               v,
                        const HoneOpConfig *config,
                        GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  EmbedPush push = { t, c, v };
  HoneGpuBinding bindings[] = {
    { ids, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { dout, HONE_GPU_TEXEL_R32F, 0, 0 },
    { dw, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("embed_backward %ux%u", t, c);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!hone_ops_check_size (ids, (gsize) t * 4, label, error)
      || !hone_ops_check_size (dw, (gsize) v * c * 4, label, error)
      || !hone_ops_check_size (dout, (gsize) t * c * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "embed_backward", "tts", sizeof push, spec, 3,
                                    error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   hone_gpu_div_up (c, wg), 1, 1, label, error);
}
