/* hone-op-quant.c — matrix-vector (decode) and batched matmul with q8_0 / q4_0 weights,
 * forward and input gradient (shaders/matvec_quant.comp, shaders/matmul_quant.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

typedef struct
{
  guint32 m, n, k;
} QuantPush;

gsize
hone_op_quant_bytes (HoneQuantType type,
                     guint         n,
                     guint         k)
{
  return (gsize) n * (k / 32) * (type == HONE_QUANT_Q4_0 ? 18 : 34);
}

static gboolean
quant_dispatch (HoneGpuStream      *stream,
                gboolean            backward,
                HoneGpuBuffer      *out,
                HoneGpuBuffer      *in,
                HoneGpuBuffer      *w,
                HoneQuantType       type,
                guint               m,
                guint               n,
                guint               k,
                const HoneOpConfig *config,
                GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 32);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  QuantPush push = { m, n, k };
  HoneGpuBinding bindings[] = {
    { in, backward ? HONE_GPU_TEXEL_R32F : HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { w, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  static const char *const names[2][2] = {
    { "matvec_q8_0", "matvec_q4_0" },
    { "matvec_q8_0_backward", "matvec_q4_0_backward" },
  };
  const char *name = names[backward][type == HONE_QUANT_Q4_0];
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("%s %ux%ux%u", name, m, n, k);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (m == 0 || n == 0 || k == 0)
    return TRUE;
  if (k % 32 != 0 || m > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: K must be a multiple of 32 and M at most 65535", label);
      return FALSE;
    }
  if (!hone_ops_check_size (w, hone_op_quant_bytes (type, n, k), label, error)
      || !hone_ops_check_size (in, (gsize) m * (backward ? n : k) * 4, label, error)
      || !hone_ops_check_size (out, (gsize) m * (backward ? k : n) * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, name, "tts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   hone_gpu_div_up (backward ? k / 8 : n, wg), m, 1, label,
                                   error);
}

gboolean
hone_op_matvec_quant_forward (HoneGpuStream      *stream,
                              HoneGpuBuffer      *y,
                              HoneGpuBuffer      *x,
                              HoneGpuBuffer      *w,
                              HoneQuantType       type,
                              guint               m,
                              guint               n,
                              guint               k,
                              const HoneOpConfig *config,
                              GError            **error)
{
  return quant_dispatch (stream, FALSE, y, x, w, type, m, n, k, config, error);
}

gboolean
hone_op_matvec_quant_backward (HoneGpuStream      *stream,
                               HoneGpuBuffer      *dx,
                               HoneGpuBuffer      *dy,
                               HoneGpuBuffer      *w,
                               HoneQuantType       type,
                               guint               m,
                               guint               n,
                               guint               k,
                               const HoneOpConfig *config,
                               GError            **error)
{
  return quant_dispatch (stream, TRUE, dx, dy, w, type, m, n, k, config, error);
}

/* The batched kernels (shaders/matmul_quant.comp): 8 rows × 8 outputs per invocation. */
#define QMM_TM 8
#define QMM_TN 8

static gboolean
quant_matmul_dispatch (HoneGpuStream          *stream,
                       gboolean                backward,
                       HoneGpuBuffer          *out,
                       HoneGpuBuffer          *in,
                       HoneGpuBuffer          *w,
                       HoneQuantType           type,
                       guint                   m,
                       guint                   n,
                       guint                   k,
                       const HoneMatmulConfig *config,
                       GError                **error)
{
  HoneGpuDevice *device;
  guint wg_x = config != NULL && config->wg_x > 0 ? config->wg_x : 16;
  guint wg_y = config != NULL && config->wg_y > 0 ? config->wg_y : 2;
  gint32 spec[3] = { (gint32) wg_x, (gint32) wg_y, 1 };
  QuantPush push = { m, n, k };
  gboolean dy4 = backward && n % 4 == 0;     /* dy read as vec4 texels */
  HoneGpuBinding bindings[] = {
    { in, backward && !dy4 ? HONE_GPU_TEXEL_R32F : HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { w, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  static const char *const names[3][2] = {
    { "matmul_q8_0", "matmul_q4_0" },
    { "matmul_q8_0_backward", "matmul_q4_0_backward" },
    { "matmul_q8_0_backward_v4", "matmul_q4_0_backward_v4" },
  };
  const char *name = names[backward + dy4][type == HONE_QUANT_Q4_0];
  HoneGpuPipeline *pipeline;
  guint64 groups_x, groups_y;
  g_autofree char *label = g_strdup_printf ("%s %ux%ux%u", name, m, n, k);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (m == 0 || n == 0 || k == 0)
    return TRUE;
  groups_x = hone_gpu_div_up (backward ? k / 8 : hone_gpu_div_up (n, QMM_TN), wg_x);
  groups_y = hone_gpu_div_up (hone_gpu_div_up (m, QMM_TM), wg_y);
  if (k % 32 != 0 || (backward && n > 65535) || groups_x > 65535 || groups_y > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: K must be a multiple of 32, the backward N at most 65535 and the "
                   "workgroup counts at most 65535", label);
      return FALSE;
    }
  if (!hone_ops_check_size (w, hone_op_quant_bytes (type, n, k), label, error)
      || !hone_ops_check_size (in, (gsize) m * (backward ? n : k) * 4, label, error)
      || !hone_ops_check_size (out, (gsize) m * (backward ? k : n) * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, name, "tts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   (guint32) groups_x, (guint32) groups_y, 1, label, error);
}

gboolean
hone_op_matmul_quant_forward (HoneGpuStream          *stream,
                              HoneGpuBuffer          *y,
                              HoneGpuBuffer          *x,
                              HoneGpuBuffer          *w,
                              HoneQuantType           type,
                              guint                   m,
                              guint                   n,
                              guint                   k,
                              const HoneMatmulConfig *config,
                              GError                **error)
{
  return quant_matmul_dispatch (stream, FALSE, y, x, w, type, m, n, k, config, error);
}

gboolean
hone_op_matmul_quant_backward (HoneGpuStream          *stream,
                               HoneGpuBuffer          *dx,
                               HoneGpuBuffer          *dy,
                               HoneGpuBuffer          *w,
                               HoneQuantType           type,
                               guint                   m,
                               guint                   n,
                               guint                   k,
                               const HoneMatmulConfig *config,
                               GError                **error)
{
  return quant_matmul_dispatch (stream, TRUE, dx, dy, w, type, m, n, k, config, error);
}
