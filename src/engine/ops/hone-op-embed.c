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

/* Tokens one invocation of the scatter-add walks at most (lavapipe's loop limit, below);
 * a multiple of 64, so token offsets keep any texel offset alignment. */
#define ROWS_PER_DISPATCH 32768

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
  if (c % 4 == 0)
    {
      /* a vec4 per invocation through an RGBA view: x along the row, y and z the token */
      bindings[1].access = HONE_GPU_TEXEL_RGBA32F;
      pipeline = hone_gpu_pipeline_get (device, "embed_forward_v4", "tts", sizeof push, spec, 3,
                                        error);
      if (pipeline == NULL)
        return FALSE;
      return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                       hone_gpu_div_up (c / 4, wg), MIN (t, 65535),
                                       hone_gpu_div_up (t, 65535), label, error);
    }
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
  gboolean vec4 = c % 4 == 0;

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t == 0 || c == 0)
    return TRUE;
  if (!hone_ops_check_size (ids, (gsize) t * 4, label, error)
      || !hone_ops_check_size (dw, (gsize) v * c * 4, label, error)
      || !hone_ops_check_size (dout, (gsize) t * c * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  if (vec4)
    {
      /* four columns per invocation: fewer invocations, so smaller workgroups keep a few
       * dozen of them */
      wg = hone_ops_workgroup (config, 16);
      spec[0] = (gint32) wg;
      bindings[1].access = HONE_GPU_TEXEL_RGBA32F;
    }
  pipeline = hone_gpu_pipeline_get (device, vec4 ? "embed_backward_v4" : "embed_backward",
                                    "tts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  /* An invocation walks the tokens for its column: lavapipe (Mesa 22.3) silently ends an
   * invocation's loops after about 65 535 iterations, so the tokens are split over
   * dispatches, applied in token order (the same sums as one pass). */
  for (guint t0 = 0; t0 < t; t0 += ROWS_PER_DISPATCH)
    {
      push.t = MIN (ROWS_PER_DISPATCH, t - t0);
      bindings[0].offset = (gsize) t0 * 4;
      bindings[0].range = (gsize) push.t * 4;
      bindings[1].offset = (gsize) t0 * c * 4;
      bindings[1].range = (gsize) push.t * c * 4;
      if (!hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                     hone_gpu_div_up (vec4 ? c / 4 : c, wg), 1, 1, label,
                                     error))
        return FALSE;
    }
  return TRUE;
}
