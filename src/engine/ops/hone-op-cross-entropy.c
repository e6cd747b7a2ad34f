/* hone-op-cross-entropy.c — chunked cross-entropy with a loss mask
 * (shaders/cross_entropy.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 rows, v, row0;
  float   scale;
} CrossEntropyPush;

#define CE_SLICE 1024   /* SLICE in cross_entropy.comp: fetches per partial sum */
#define CE_ALIGN 256    /* the largest offset alignment Vulkan allows */

static guint
ce_slices (guint v)
{
  guint vn = v % 4 == 0 ? v / 4 : v;

  return (vn + CE_SLICE - 1) / CE_SLICE;
}

/* scratch: rowstat (Tc, 2) floats, then parts (Tc, slices, 2) at an aligned offset. */
static gsize
ce_parts_offset (guint tc)
{
  return ((gsize) tc * 8 + CE_ALIGN - 1) / CE_ALIGN * CE_ALIGN;
}

gsize
hone_op_cross_entropy_scratch_size (guint tc,
                                    guint v)
{
  return ce_parts_offset (tc) + (gsize) MAX (tc, 1) * MAX (ce_slices (v), 1) * 8;
}

gboolean
hone_op_cross_entropy_chunk (HoneGpuStream      *stream,
                             HoneGpuBuffer      *dlogits,
                             HoneGpuBuffer      *losses,
                             HoneGpuBuffer      *scratch,
                             HoneGpuBuffer      *logits,
                             HoneGpuBuffer      *targets,
                             HoneGpuBuffer      *mask,
                             guint               row0,
                             guint               tc,
                             guint               t,
                             guint               v,
                             float               scale,
                             const HoneOpConfig *config,
                             GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 8);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  CrossEntropyPush push = { tc, v, row0, scale };
  gboolean vec4 = v % 4 == 0;
  guint ns = ce_slices (v);
  gsize parts_at = ce_parts_offset (tc), parts_bytes = (gsize) tc * ns * 8;
  HoneGpuAccess view = vec4 ? HONE_GPU_TEXEL_RGBA32F : HONE_GPU_TEXEL_R32F;
  HoneGpuBinding part_bindings[] = {
    { logits, view, 0, 0 },
    { targets, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { mask, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { scratch, HONE_GPU_STORAGE_WRITE, parts_at, parts_bytes },
  };
  HoneGpuBinding row_bindings[] = {
    { logits, HONE_GPU_TEXEL_R32F, 0, 0 },
    { targets, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { mask, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { scratch, HONE_GPU_TEXEL_R32F, parts_at, parts_bytes },
    { scratch, HONE_GPU_STORAGE_WRITE, 0, (gsize) tc * 8 },
    { losses, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuBinding grad_bindings[] = {
    { logits, view, 0, 0 },
    { targets, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { scratch, HONE_GPU_TEXEL_R32F, 0, (gsize) tc * 8 },
    { dlogits, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *part, *row, *grad;
  g_autofree char *label = g_strdup_printf ("cross_entropy %ux%u", tc, v);
  g_autofree char *row_label = g_strdup_printf ("cross_entropy_row %ux%u", tc, v);
  g_autofree char *grad_label = g_strdup_printf ("cross_entropy_grad %ux%u", tc, v);
  guint32 gx, gy;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (dlogits != logits, FALSE);
  if (tc == 0 || v == 0)
    return TRUE;
  if (row0 > t || tc > t - row0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: rows %u…%u lie outside a batch of %u tokens", label, row0,
                   row0 + tc - 1, t);
      return FALSE;
    }
  /* Rows and slices are the x and y workgroup counts. */
  if (hone_gpu_div_up (tc, wg) > 65535 || ns > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: at most 65535 workgroups of rows and 65535 slices of a row", label);
      return FALSE;
    }
  if (!hone_ops_check_size (logits, (gsize) tc * v * 4, label, error)
      || !hone_ops_check_size (dlogits, (gsize) tc * v * 4, label, error)
      || !hone_ops_check_size (targets, (gsize) t * 4, label, error)
      || !hone_ops_check_size (mask, (gsize) t * 4, label, error)
      || !hone_ops_check_size (losses, (gsize) t * 4, label, error)
      || !hone_ops_check_size (scratch, hone_op_cross_entropy_scratch_size (tc, v), label,
                               error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  part = hone_gpu_pipeline_get (device, vec4 ? "cross_entropy_part_v4" : "cross_entropy_part",
                                "ttts", sizeof push, spec, 3, error);
  if (part == NULL)
    return FALSE;
  row = hone_gpu_pipeline_get (device, "cross_entropy_row", "ttttss", sizeof push, spec, 3,
                               error);
  if (row == NULL)
    return FALSE;
  grad = hone_gpu_pipeline_get (device, vec4 ? "cross_entropy_grad_v4" : "cross_entropy_grad",
                                "ttts", sizeof push, spec, 3, error);
  if (grad == NULL)
    return FALSE;
  if (!hone_gpu_stream_dispatch (stream, part, part_bindings, G_N_ELEMENTS (part_bindings),
                                 &push, sizeof push, hone_gpu_div_up (tc, wg), ns, 1, label,
                                 error))
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (tc, wg), &gx, &gy);
  if (!hone_gpu_stream_dispatch (stream, row, row_bindings, G_N_ELEMENTS (row_bindings), &push,
                                 sizeof push, gx, gy, 1, row_label, error))
    return FALSE;
  return hone_gpu_stream_dispatch (stream, grad, grad_bindings, G_N_ELEMENTS (grad_bindings),
                                   &push, sizeof push, hone_gpu_div_up (tc, wg), ns, 1,
                                   grad_label, error);
}

gboolean
hone_op_cross_entropy_mean (HoneGpuStream  *stream,
                            HoneGpuBuffer  *loss,
                            HoneGpuBuffer  *losses,
                            guint           t,
                            float           scale,
                            GError        **error)
{
  HoneGpuDevice *device;
  gint32 spec[3] = { 1, 1, 1 };
  CrossEntropyPush push = { t, 0, 0, scale };
  HoneGpuBinding bindings[] = {
    { losses, HONE_GPU_TEXEL_R32F, 0, 0 },
    { loss, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("cross_entropy_mean %u", t);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (t > 60000)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: one invocation sums the losses, at most 60000 tokens (lavapipe "
                   "ends longer shader loops early)", label);
      return FALSE;
    }
  if (!hone_ops_check_size (losses, (gsize) MAX (t, 1) * 4, label, error)
      || !hone_ops_check_size (loss, 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "cross_entropy_mean", "ts", sizeof push, spec, 3,
                                    error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, 1, 1, 1, label, error);
}
