/* hone-op-rope.c — rotary position embedding, both pairings, with linear and per-frequency
 * scaling (shaders/rope.comp).
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
  guint32 t, h, d;
  guint32 neox;
  float   log2_base;
  float   sign;
  float   freq_scale;
  guint32 has_factors;
} RopePush;

static gboolean
rope (HoneGpuStream        *stream,
      HoneGpuBuffer        *out,
      HoneGpuBuffer        *in,
      HoneGpuBuffer        *pos,
      guint                 t,
      guint                 h,
      guint                 d,
      const HoneRopeParams *params,
      float                 sign,
      const HoneOpConfig   *config,
      GError              **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  RopePush push = { t, h, d, params->style == HONE_ROPE_NEOX, (float) log2 (params->base), sign,
                    params->freq_scale, params->freq_factors != NULL };
  /* Without factors, binding 3 must still name a buffer: pos stands in, never read. */
  HoneGpuBinding bindings[] = {
    { in, HONE_GPU_TEXEL_R32F, 0, 0 },
    { pos, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { params->freq_factors != NULL ? params->freq_factors : pos, HONE_GPU_TEXEL_R32F, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("rope_%s%s %ux%ux%u",
                                            params->style == HONE_ROPE_NEOX ? "neox" : "normal",
                                            sign < 0 ? "_backward" : "", t, h, d);
  gsize n = (gsize) t * h * d;
  /* Four elements a fetch where the pairs line up with vec4s (rope.comp, VEC4). */
  gboolean vec4 = params->style == HONE_ROPE_NEOX ? d % 8 == 0 : d % 4 == 0;
  guint32 gx, gy;

  if (n == 0)
    return TRUE;
  if (d % 2 != 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                   "%s: the head size must be even", label);
      return FALSE;
    }
  if (!(params->base > 0.0f) || !(params->freq_scale > 0.0f))
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                   "%s: the base and the frequency scale must be positive", label);
      return FALSE;
    }
  if (!hone_ops_check_size (in, n * 4, label, error)
      || !hone_ops_check_size (out, n * 4, label, error)
      || !hone_ops_check_size (pos, (gsize) t * 4, label, error)
      || (params->freq_factors != NULL
          && !hone_ops_check_size (params->freq_factors, (gsize) d / 2 * 4, label, error)))
    return FALSE;
  /* In place: the texel view and the storage view are the same memory. Each pair is read
   * and written by one invocation only, so that is safe. */
  if (vec4)
    {
      /* one invocation per (token, vec4 of a head; NeoX: of its first half), looping over
       * the heads; the head size is a specialization constant */
      gint32 spec4[4] = { (gint32) wg, 1, 1, (gint32) d };

      bindings[0].access = HONE_GPU_TEXEL_RGBA32F;
      /* Without factors, x stands in (pos may be shorter than one RGBA texel). */
      bindings[3].buffer = params->freq_factors != NULL ? params->freq_factors : in;
      bindings[3].access = HONE_GPU_TEXEL_RGBA32F;
      pipeline = hone_gpu_pipeline_get (device, "rope_v4", "ttst", sizeof push, spec4, 4,
                                        error);
      if (pipeline == NULL)
        return FALSE;
      hone_ops_grid (hone_gpu_div_up ((gsize) t * (d / (push.neox ? 8 : 4)), wg), &gx, &gy);
      return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings),
                                       &push, sizeof push, gx, gy, 1, label, error);
    }
  pipeline = hone_gpu_pipeline_get (device, "rope", "ttst", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (n / 2, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
}

gboolean
hone_op_rope_forward_params (HoneGpuStream        *stream,
                             HoneGpuBuffer        *y,
                             HoneGpuBuffer        *x,
                             HoneGpuBuffer        *pos,
                             guint                 t,
                             guint                 h,
                             guint                 d,
                             const HoneRopeParams *params,
                             const HoneOpConfig   *config,
                             GError              **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  return rope (stream, y, x, pos, t, h, d, params, 1.0f, config, error);
}

gboolean
hone_op_rope_backward_params (HoneGpuStream        *stream,
                              HoneGpuBuffer        *dx,
                              HoneGpuBuffer        *dy,
                              HoneGpuBuffer        *pos,
                              guint                 t,
                              guint                 h,
                              guint                 d,
                              const HoneRopeParams *params,
                              const HoneOpConfig   *config,
                              GError              **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  return rope (stream, dx, dy, pos, t, h, d, params, -1.0f, config, error);
}

gboolean
hone_op_rope_forward (HoneGpuStream      *stream,
                      HoneGpuBuffer      *y,
                      HoneGpuBuffer      *x,
                      HoneGpuBuffer      *pos,
                      guint               t,
                      guint               h,
                      guint               d,
                      float               base,
                      HoneRopeStyle       style,
                      const HoneOpConfig *config,
                      GError            **error)
{
  HoneRopeParams params = { base, style, 1.0f, NULL };

  g_return_val_if_fail (stream != NULL, FALSE);
  return rope (stream, y, x, pos, t, h, d, &params, 1.0f, config, error);
}

gboolean
hone_op_rope_backward (HoneGpuStream      *stream,
                       HoneGpuBuffer      *dx,
                       HoneGpuBuffer      *dy,
                       HoneGpuBuffer      *pos,
                       guint               t,
                       guint               h,
                       guint               d,
                       float               base,
                       HoneRopeStyle       style,
                       const HoneOpConfig *config,
                       GError            **error)
{
  HoneRopeParams params = { base, style, 1.0f, NULL };

  g_return_val_if_fail (stream != NULL, FALSE);
  return rope (stream, dx, dy, pos, t, h, d, &params, -1.0f, config, error);
}
