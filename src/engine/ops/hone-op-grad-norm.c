/* hone-op-grad-norm.c — the global gradient norm and clipping (shaders/grad_norm.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

#define GRAD_NORM_SLICE 4096
#define GRAD_NORM_MAX_PARTS 60000

typedef struct
{
  guint32 n, part0;
  float   max_norm;
} GradNormPush;

gsize
hone_op_grad_norm_scratch_size (const gsize *sizes,
                                guint        n_tensors)
{
  gsize parts = 0;

  for (guint i = 0; i < n_tensors; i++)
    parts += hone_gpu_div_up (sizes[i], GRAD_NORM_SLICE);
  return MAX (parts, 1) * 4;
}

gboolean
hone_op_grad_norm_clip (HoneGpuStream      *stream,
                        HoneGpuBuffer      *out,
                        HoneGpuBuffer      *scratch,
                        HoneGpuBuffer     **grads,
                        const gsize        *sizes,
                        guint               n_tensors,
                        float               max_norm,
                        const HoneOpConfig *config,
                        GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  gint32 spec1[3] = { 1, 1, 1 };
  HoneGpuPipeline *partial, *partial4, *total, *scale, *scale4;
  guint32 part0 = 0, gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (n_tensors == 0 || (grads != NULL && sizes != NULL), FALSE);
  /* One invocation adds the parts up: lavapipe (Mesa 22.3) silently ends an invocation's
   * loops after about 65 535 iterations. */
  if (hone_op_grad_norm_scratch_size (sizes, n_tensors) / 4 > GRAD_NORM_MAX_PARTS)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "grad_norm: more than %u elements in all (lavapipe cuts longer loops short)",
                   GRAD_NORM_MAX_PARTS * GRAD_NORM_SLICE);
      return FALSE;
    }
  if (!hone_ops_check_size (scratch, hone_op_grad_norm_scratch_size (sizes, n_tensors),
                            "grad_norm", error)
      || !hone_ops_check_size (out, 8, "grad_norm", error))
    return FALSE;
  for (guint i = 0; i < n_tensors; i++)
    if (!hone_ops_check_size (grads[i], sizes[i] * 4, "grad_norm", error))
      return FALSE;
  device = hone_gpu_stream_get_device (stream);
  partial = hone_gpu_pipeline_get (device, "grad_norm_partial", "ts", sizeof (GradNormPush),
                                   spec, 3, error);
  total = partial == NULL ? NULL
                          : hone_gpu_pipeline_get (device, "grad_norm_total", "ts",
                                                   sizeof (GradNormPush), spec1, 3, error);
  scale = total == NULL ? NULL
                        : hone_gpu_pipeline_get (device, "grad_norm_scale", "tts",
                                                 sizeof (GradNormPush), spec, 3, error);
  /* n % 4 == 0: four elements a fetch */
  partial4 = scale == NULL ? NULL
                           : hone_gpu_pipeline_get (device, "grad_norm_partial_v4", "ts",
                                                    sizeof (GradNormPush), spec, 3, error);
  scale4 = partial4 == NULL ? NULL
                            : hone_gpu_pipeline_get (device, "grad_norm_scale_v4", "tts",
                                                     sizeof (GradNormPush), spec, 3, error);
  if (scale4 == NULL)
    return FALSE;
  if (n_tensors == 0)
    {
      hone_gpu_stream_fill (stream, scratch, 0, 4, 0);
      part0 = 1;
    }
  for (guint i = 0; i < n_tensors; i++)
    {
      GradNormPush push = { (guint32) sizes[i], part0, max_norm };
      gboolean vec4 = sizes[i] % 4 == 0;
      HoneGpuBinding bindings[] = {
        { grads[i], vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F, 0, 0 },
        { scratch, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
      };
      guint32 n_parts = hone_gpu_div_up (sizes[i], GRAD_NORM_SLICE);

      if (sizes[i] == 0)
        continue;
      hone_ops_grid (hone_gpu_div_up (n_parts, wg), &gx, &gy);
      if (!hone_gpu_stream_dispatch (stream, vec4 ? partial4 : partial, bindings, 2, &push,
                                     sizeof push, gx, gy, 1, "grad_norm partial", error))
        return FALSE;
      part0 += n_parts;
    }
  {
    GradNormPush push = { MAX (part0, 1), 0, max_norm };
    HoneGpuBinding bindings[] = {
      { scratch, HONE_GPU_TEXEL_R32F, 0, 0 },
      { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
    };

    if (part0 == 0)
      hone_gpu_stream_fill (stream, scratch, 0, 4, 0);
    if (!hone_gpu_stream_dispatch (stream, total, bindings, 2, &push, sizeof push, 1, 1, 1,
                                   "grad_norm total", error))
      return FALSE;
  }
  if (max_norm <= 0.0f)
    return TRUE;
  for (guint i = 0; i < n_tensors; i++)
    {
      GradNormPush push = { (guint32) sizes[i], 0, max_norm };
      gboolean vec4 = sizes[i] % 4 == 0;
      HoneGpuBinding bindings[] = {
        { out, HONE_GPU_TEXEL_R32F, 0, 0 },
        { grads[i], vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F, 0, 0 },
        { grads[i], HONE_GPU_STORAGE_WRITE, 0, 0 },
      };

      if (sizes[i] == 0)
        continue;
      hone_ops_grid (hone_gpu_div_up (vec4 ? sizes[i] / 4 : sizes[i], wg), &gx, &gy);
      if (!hone_gpu_stream_dispatch (stream, vec4 ? scale4 : scale, bindings, 3, &push,
                                     sizeof push, gx, gy, 1, "grad_norm clip", error))
        return FALSE;
    }
  return TRUE;
}
