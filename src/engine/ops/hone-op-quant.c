/* hone-op-quant.c — matrix-vector (decode) and batched matmul with GGUF-quantized weights
 * (q8_0, q4_0, q4_K, q5_K, q6_K, bf16), forward and input gradient
 * (shaders/matvec_quant.comp, shaders/matmul_quant.comp, shaders/quant_blocks.glsl).
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

typedef struct
{
  HoneGgmlType ggml;
  const char  *name;         /* the shader variants' infix: matvec_<name>… */
  guint        block_size;   /* elements a block; K must be a multiple */
  guint        block_bytes;
} QuantInfo;

/* Indexed by HoneQuantType */
static const QuantInfo quant_infos[] = {
  { HONE_GGML_TYPE_Q8_0, "q8_0", 32, 34 },
  { HONE_GGML_TYPE_Q4_0, "q4_0", 32, 18 },
  { HONE_GGML_TYPE_Q4_K, "q4_K", 256, 144 },
  { HONE_GGML_TYPE_Q5_K, "q5_K", 256, 176 },
  { HONE_GGML_TYPE_Q6_K, "q6_K", 256, 210 },
  { HONE_GGML_TYPE_BF16, "bf16", 32, 64 },   /* walked in blocks of 32 */
};

static const QuantInfo *
quant_info (HoneQuantType type)
{
  g_assert ((guint) type < G_N_ELEMENTS (quant_infos));
  return &quant_infos[type];
}

gboolean
hone_op_quant_type_from_ggml (HoneGgmlType   type,
                              HoneQuantType *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (quant_infos); i++)
    if (quant_infos[i].ggml == type)
      {
        if (out != NULL)
          *out = (HoneQuantType) i;
        return TRUE;
      }
  return FALSE;
}

guint
hone_op_quant_block_size (HoneQuantType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (quant_infos), 0);
  return quant_infos[type].block_size;
}

gsize
hone_op_quant_bytes (HoneQuantType type,
                     guint         n,
                     guint         k)
{
  const QuantInfo *info;

  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (quant_infos), 0);
  info = &quant_infos[type];
  return (gsize) n * (k / info->block_size) * info->block_bytes;
}

/* The split forward (shaders/matvec_quant.comp): rows of W per workgroup. Each workgroup
 * loads its lanes' share of x once, so more rows a workgroup fetch x less often (8192 ×
 * 2048 q4_0 on lavapipe: 2.6 ms of CPU at 128 rows, 3.3 at 32), but lavapipe wants a few
 * dozen workgroups to keep both threads busy: at least 16 workgroups, 32 to 128 rows. */
static guint
split_rows (guint n)
{
  return n >= 128 * 16 ? 128 : n >= 64 * 16 ? 64 : 32;
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
  /* every forward but bf16: subgroups over rows, lanes over K (any workgroup size works;
   * lavapipe runs a workgroup's subgroups one after the other, so small is as good) */
  gboolean split = !backward && type != HONE_QUANT_BF16;
  gboolean aligned = k % 256 == 0;
  gboolean texels = type == HONE_QUANT_BF16 || split;
  guint wg = hone_ops_workgroup (config, split ? 8 : 32);
  guint rpw = split_rows (n);
  gint32 spec[4] = { (gint32) wg, 1, 1, (gint32) rpw };
  QuantPush push = { m, n, k };
  HoneGpuBinding bindings[] = {
    { in, backward ? HONE_GPU_TEXEL_R32F : HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { w, texels ? HONE_GPU_TEXEL_RGBA32UI : HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, split ? HONE_GPU_STORAGE_READ_WRITE : HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  const QuantInfo *info;
  HoneGpuPipeline *pipeline;
  guint groups;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (quant_infos), FALSE);
  info = quant_info (type);
  name = g_strdup_printf ("matvec_%s%s", info->name,
                          backward ? "_backward" : split && !aligned ? "_any" : "");
  label = g_strdup_printf ("%s %ux%ux%u", name, m, n, k);
  if (m == 0 || n == 0 || k == 0)
    return TRUE;
  if (k % info->block_size != 0 || m > 65535 || (backward && n > 65535))
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: K must be a multiple of %u (the %s block size), M at most 65535 and "
                   "the backward N at most 65535", label, info->block_size, info->name);
      return FALSE;
    }
  /* lavapipe's loop cap, counted for a subgroup of one lane */
  if (split && (aligned ? (guint64) (k / 256) * split_rows (n)
                        : (guint64) split_rows (n) / 4 * (k / 32)) > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: K is too long for one pass", label);
      return FALSE;
    }
  if (!hone_ops_check_size (w, hone_op_quant_bytes (type, n, k), label, error)
      || !hone_ops_check_size (in, (gsize) m * (backward ? n : k) * 4, label, error)
      || !hone_ops_check_size (out, (gsize) m * (backward ? k : n) * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, name, "tts", sizeof push, spec, split ? 4 : 3,
                                    error);
  if (pipeline == NULL)
    return FALSE;
  if (split)
    groups = hone_gpu_div_up (n, rpw);
  else
    groups = hone_gpu_div_up (backward ? k / 8 : n, wg);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push, groups,
                                   m, 1, label, error);
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
    { w, type == HONE_QUANT_BF16 ? HONE_GPU_TEXEL_RGBA32UI : HONE_GPU_TEXEL_R32UI, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  const QuantInfo *info;
  HoneGpuPipeline *pipeline;
  guint64 groups_x, groups_y;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (quant_infos), FALSE);
  info = quant_info (type);
  name = g_strdup_printf ("matmul_%s%s", info->name,
                          !backward ? "" : dy4 ? "_backward_v4" : "_backward");
  label = g_strdup_printf ("%s %ux%ux%u", name, m, n, k);
  if (m == 0 || n == 0 || k == 0)
    return TRUE;
  groups_x = hone_gpu_div_up (backward ? k / 8 : hone_gpu_div_up (n, QMM_TN), wg_x);
  groups_y = hone_gpu_div_up (hone_gpu_div_up (m, QMM_TM), wg_y);
  if (k % info->block_size != 0 || (backward && n > 65535) || groups_x > 65535
      || groups_y > 65535)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: K must be a multiple of %u (the %s block size), the backward N at "
                   "most 65535 and the workgroup counts at most 65535", label,
                   info->block_size, info->name);
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
