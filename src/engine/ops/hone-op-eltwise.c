/* hone-op-eltwise.c — residual add and SwiGLU (shaders/add.comp, shaders/swiglu.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include <string.h>

#include "hone-ops-private.h"

gboolean
hone_ops_check_size (HoneGpuBuffer *buffer,
                     gsize          bytes,
                     const char    *what,
                     GError       **error)
{
  if (buffer == NULL || hone_gpu_buffer_get_size (buffer) < bytes)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                   "%s: the buffer holds %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT
                   " are needed", what, buffer ? hone_gpu_buffer_get_size (buffer) : 0, bytes);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint32 n;
} EltwisePush;

/* Four elements per invocation; the flat index is split over x and y. */
static gboolean
dispatch_vec4 (HoneGpuStream        *stream,
               const char           *shader,
               const char           *bindings_spec,
               const HoneGpuBinding *bindings,
               gsize                 n,
               const HoneOpConfig   *config,
               const char           *label,
               GError              **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  EltwisePush push = { (guint32) n };
  HoneGpuPipeline *pipeline;
  guint32 gx, gy;
  g_autofree char *full_label = g_strdup_printf ("%s n=%" G_GSIZE_FORMAT, label, n);

  if (n == 0)
    return TRUE;
  if (n > G_MAXUINT32 - 4)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: %" G_GSIZE_FORMAT " elements are too many for one dispatch", label, n);
      return FALSE;
    }
  for (guint i = 0; bindings_spec[i]; i++)
    if (!hone_ops_check_size (bindings[i].buffer, n * sizeof (float), label, error))
      return FALSE;
  pipeline = hone_gpu_pipeline_get (device, shader, bindings_spec, sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (hone_gpu_div_up (n, 4), wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, (guint) strlen (bindings_spec),
                                   &push, sizeof push, gx, gy, 1, full_label, error);
}

gboolean
hone_op_add (HoneGpuStream      *stream,
             HoneGpuBuffer      *out,
             HoneGpuBuffer      *a,
             HoneGpuBuffer      *b,
             gsize               n,
             const HoneOpConfig *config,
             GError            **error)
{
  HoneGpuBinding bindings[] = {
    { a, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { b, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };

  g_return_val_if_fail (stream != NULL, FALSE);
  return dispatch_vec4 (stream, "add_f32", "tts", bindings, n, config, "add", error);
}

gboolean
hone_op_swiglu_forward (HoneGpuStream      *stream,
                        HoneGpuBuffer      *h,
                        HoneGpuBuffer      *g,
                        HoneGpuBuffer      *u,
                        gsize               n,
                        const HoneOpConfig *config,
                        GError            **error)
{
  HoneGpuBinding bindings[] = {
    { g, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { u, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { h, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };

  g_return_val_if_fail (stream != NULL, FALSE);
  return dispatch_vec4 (stream, "swiglu_forward", "tts", bindings, n, config, "swiglu_forward",
                        error);
}

gboolean
hone_op_swiglu_backward (HoneGpuStream      *stream,
                         HoneGpuBuffer      *dg,
                         HoneGpuBuffer      *du,
                         HoneGpuBuffer      *g,
                         HoneGpuBuffer      *u,
                         HoneGpuBuffer      *dh,
                         gsize               n,
                         const HoneOpConfig *config,
                         GError            **error)
{
  HoneGpuBinding bindings[] = {
    { g, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { u, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { dh, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { dg, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { du, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };

  g_return_val_if_fail (stream != NULL, FALSE);
  return dispatch_vec4 (stream, "swiglu_backward", "tttss", bindings, n, config,
                        "swiglu_backward", error);
}
