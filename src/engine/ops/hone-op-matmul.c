/* hone-op-matmul.c — matmul in every transpose combination (shaders/matmul_*.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two kernels: matmul_tex (register-blocked, texel-buffer reads; what is fast on lavapipe,
 * lavapipe.md) and matmul_tiled (shared-memory tiles; the design real GPUs want). AUTO
 * picks by device class. matmul_tex has a vec4 form for aligned shapes and a scalar form
 * for any shape; f16 operands use the same SPIR-V through half-float texel views. With the
 * texel variant, decode-sized x·Wᵀ (at most 4 rows of x) goes to matvec.comp instead.
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include <string.h>

#include "hone-ops-private.h"

/* Loop iterations one invocation may run (lavapipe stops at about 65 535, see below). */
#define MATMUL_LOOP_BUDGET 60000

typedef struct
{
  guint32 m, n, k;
  guint32 lda, ldb, ldc;
  guint32 a_batch, b_batch, c_batch;
  float   alpha, beta;
} TexPush;

typedef struct
{
  guint32 m, n, k;
  guint32 a_rs, a_cs;
  guint32 b_rs, b_cs;
  guint32 ldc;
  guint32 a_batch, b_batch, c_batch;
  float   alpha, beta;
} TiledPush;

static gsize
dtype_size (HoneDtype dtype)
{
  return dtype == HONE_DTYPE_F16 ? 2 : 4;
}

/* Bytes the operand spans: its last element plus one. */
static gsize
span_bytes (const HoneMatrix *x,
            guint             stored_rows,
            guint             ld,
            guint             batch)
{
  return x->offset + ((gsize) (batch - 1) * x->batch_stride + (gsize) stored_rows * ld)
                     * dtype_size (x->dtype);
}

static gboolean
matmul_tex (HoneGpuStream          *stream,
            const HoneMatrix       *c,
            const HoneMatrix       *a,
            const HoneMatrix       *b,
            guint                   m,
            guint                   n,
            guint                   k,
            guint                   batch,
            guint                   lda,
            guint                   ldb,
            guint                   ldc,
            float                   alpha,
            float                   beta,
            const HoneMatmulConfig *config,
            const char             *label,
            GError                **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  guint wg_x = config && config->wg_x ? config->wg_x : 16;
  guint wg_y = config && config->wg_y ? config->wg_y : 2;
  gint32 spec[3] = { (gint32) wg_x, (gint32) wg_y, 1 };
  gboolean vec4 = k % 4 == 0 && lda % 4 == 0 && ldb % 4 == 0
                  && (a->transposed ? m % 4 == 0 : TRUE)
                  && (b->transposed ? TRUE : n % 4 == 0)
                  && a->batch_stride % 4 == 0 && b->batch_stride % 4 == 0
                  && a->offset % 16 == 0 && b->offset % 16 == 0;
  char shader[32];
  TexPush push = {
    m, n, k, lda, ldb, ldc,
    (guint32) a->batch_stride, (guint32) b->batch_stride, (guint32) c->batch_stride,
    alpha, beta,
  };
  HoneGpuBinding bindings[3] = {
    { a->buffer, 0, a->offset, 0 },
    { b->buffer, 0, b->offset, 0 },
    { c->buffer, beta != 0.0f ? HONE_GPU_STORAGE_READ_WRITE : HONE_GPU_STORAGE_WRITE,
      c->offset, 0 },
  };
  HoneGpuPipeline *pipeline;

  g_snprintf (shader, sizeof shader, "matmul_tex_%c%c_%s", a->transposed ? 't' : 'n',
              b->transposed ? 't' : 'n', vec4 ? "v4" : "s");
  for (guint i = 0; i < 2; i++)
    {
      HoneDtype dtype = i == 0 ? a->dtype : b->dtype;
      bindings[i].access = vec4 ? (dtype == HONE_DTYPE_F16 ? HONE_GPU_TEXEL_RGBA16F
                                                           : HONE_GPU_TEXEL_RGBA32F)
                                : (dtype == HONE_DTYPE_F16 ? HONE_GPU_TEXEL_R16F
                                                           : HONE_GPU_TEXEL_R32F);
    }
  pipeline = hone_gpu_pipeline_get (device, shader, "tts", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   hone_gpu_div_up (n, 8 * wg_x), hone_gpu_div_up (m, 8 * wg_y),
                                   batch, label, error);
}

typedef struct
{
  guint32 m, n, k;
  guint32 ldy;
  float   alpha, beta;
} MatvecPush;

/* Decode-sized x·Wᵀ: a few rows of x, W streamed once (shaders/matvec.comp): a workgroup
 * computes MATVEC_RPW outputs, 8 at a time, its lanes splitting K. */
#define MATVEC_RPW 32

static gboolean
can_matvec (const HoneMatrix *c,
            const HoneMatrix *a,
            const HoneMatrix *b,
            guint             m,
            guint             k,
            guint             batch,
            guint             lda,
            guint             ldb)
{
  return m <= 4 && batch == 1 && !a->transposed && b->transposed && a->dtype == HONE_DTYPE_F32
         && lda == k && ldb == k && k % (b->dtype == HONE_DTYPE_F16 ? 8 : 4) == 0
         && a->offset % 16 == 0 && b->offset % 16 == 0
         /* lavapipe's loop cap: at most RPW / 8 · K / 4 iterations (one lane a subgroup) */
         && (guint64) (MATVEC_RPW / 8) * (k / 4) <= 65535;
}

static gboolean
matvec (HoneGpuStream          *stream,
        const HoneMatrix       *c,
        const HoneMatrix       *a,
        const HoneMatrix       *b,
        guint                   m,
        guint                   n,
        guint                   k,
        guint                   ldc,
        float                   alpha,
        float                   beta,
        const HoneMatmulConfig *config,
        const char             *label,
        GError                **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  /* lavapipe runs a workgroup's subgroups one after the other: one subgroup is enough */
  guint wg = config && config->wg_x ? config->wg_x : 8;
  gint32 spec[4] = { (gint32) wg, 1, 1, MATVEC_RPW };
  gboolean f16 = b->dtype == HONE_DTYPE_F16;
  const char *name = f16 ? "matvec_f16" : "matvec_f32";
  MatvecPush push = { m, n, k, ldc, alpha, beta };
  HoneGpuBinding bindings[3] = {
    { a->buffer, HONE_GPU_TEXEL_RGBA32F, a->offset, 0 },
    { b->buffer, b->dtype == HONE_DTYPE_F16 ? HONE_GPU_TEXEL_RGBA32UI : HONE_GPU_TEXEL_RGBA32F,
      b->offset, 0 },
    { c->buffer, beta != 0.0f ? HONE_GPU_STORAGE_READ_WRITE : HONE_GPU_STORAGE_WRITE,
      c->offset, 0 },
  };
  HoneGpuPipeline *pipeline;

  pipeline = hone_gpu_pipeline_get (device, name, "tts", sizeof push, spec, 4, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   hone_gpu_div_up (n, MATVEC_RPW), m, 1, label, error);
}

static gboolean
matmul_tiled (HoneGpuStream          *stream,
              const HoneMatrix       *c,
              const HoneMatrix       *a,
              const HoneMatrix       *b,
              guint                   m,
              guint                   n,
              guint                   k,
              guint                   batch,
              guint                   lda,
              guint                   ldb,
              guint                   ldc,
              float                   alpha,
              float                   beta,
              const HoneMatmulConfig *config,
              const char             *label,
              GError                **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  const HoneGpuDeviceInfo *info = hone_gpu_device_get_info (device);
  guint wg_x = config && config->wg_x ? config->wg_x : 16;
  guint wg_y = config && config->wg_y ? config->wg_y : 16;
  guint rm = config && config->rm ? config->rm : 4;
  guint rn = config && config->rn ? config->rn : 4;
  guint bk = config && config->bk ? config->bk : 16;
  gint32 spec[6] = { (gint32) wg_x, (gint32) wg_y, 1, (gint32) rm, (gint32) rn, (gint32) bk };
  gsize shared = (gsize) bk * (wg_y * rm + wg_x * rn) * sizeof (float);
  TiledPush push = {
    m, n, k,
    a->transposed ? 1 : lda, a->transposed ? lda : 1,
    b->transposed ? 1 : ldb, b->transposed ? ldb : 1,
    ldc,
    (guint32) a->batch_stride, (guint32) b->batch_stride, (guint32) c->batch_stride,
    alpha, beta,
  };
  HoneGpuBinding bindings[3] = {
    { a->buffer, HONE_GPU_STORAGE_READ, a->offset, 0 },
    { b->buffer, HONE_GPU_STORAGE_READ, b->offset, 0 },
    { c->buffer, beta != 0.0f ? HONE_GPU_STORAGE_READ_WRITE : HONE_GPU_STORAGE_WRITE,
      c->offset, 0 },
  };
  HoneGpuPipeline *pipeline;

  if (a->dtype != HONE_DTYPE_F32)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: the tiled matmul reads activations in f32 only", label);
      return FALSE;
    }
  if (shared > info->max_shared_memory || wg_x * wg_y > info->max_workgroup_invocations)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: a %u×%u workgroup with %" G_GSIZE_FORMAT " bytes of shared memory is "
                   "more than this GPU has", label, wg_x, wg_y, shared);
      return FALSE;
    }
  pipeline = hone_gpu_pipeline_get (device, b->dtype == HONE_DTYPE_F16 ? "matmul_tiled_f16"
                                                                       : "matmul_tiled_f32",
                                    "sss", sizeof push, spec, 6, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, 3, &push, sizeof push,
                                   hone_gpu_div_up (n, wg_x * rn), hone_gpu_div_up (m, wg_y * rm),
                                   batch, label, error);
}

gboolean
hone_op_matmul (HoneGpuStream          *stream,
                const HoneMatrix       *c,
                const HoneMatrix       *a,
                const HoneMatrix       *b,
                guint                   m,
                guint                   n,
                guint                   k,
                guint                   batch,
                float                   alpha,
                float                   beta,
                const HoneMatmulConfig *config,
                GError                **error)
{
  HoneGpuDevice *device;
  HoneMatmulVariant variant = config ? config->variant : HONE_MATMUL_AUTO;
  guint lda, ldb, ldc;
  g_autofree char *label = NULL;

  g_return_val_if_fail (stream != NULL && a != NULL && b != NULL && c != NULL, FALSE);
  g_return_val_if_fail (c->dtype == HONE_DTYPE_F32 && !c->transposed, FALSE);
  g_return_val_if_fail (batch >= 1, FALSE);

  if (m == 0 || n == 0)
    return TRUE;
  device = hone_gpu_stream_get_device (stream);
  lda = a->ld ? a->ld : (a->transposed ? m : k);
  ldb = b->ld ? b->ld : (b->transposed ? k : n);
  ldc = c->ld ? c->ld : n;
  label = g_strdup_printf ("matmul_%c%c%s %ux%ux%u", a->transposed ? 't' : 'n',
                           b->transposed ? 't' : 'n', b->dtype == HONE_DTYPE_F16 ? "_f16" : "",
                           m, n, k);
  if (k == 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED, "%s: k must not be 0", label);
      return FALSE;
    }
  if (!hone_ops_check_size (a->buffer, span_bytes (a, a->transposed ? k : m, lda, batch),
                            label, error)
      || !hone_ops_check_size (b->buffer, span_bytes (b, b->transposed ? n : k, ldb, batch),
                               label, error)
      || !hone_ops_check_size (c->buffer, span_bytes (c, m, ldc, batch), label, error))
    return FALSE;
  if (variant == HONE_MATMUL_AUTO)
    variant = hone_gpu_device_is_cpu (device) ? HONE_MATMUL_TEXEL : HONE_MATMUL_TILED;
  if (variant == HONE_MATMUL_TEXEL && can_matvec (c, a, b, m, k, batch, lda, ldb))
    return matvec (stream, c, a, b, m, n, k, ldc, alpha, beta, config, label, error);
  /* Lavapipe (Mesa 22.3) silently ends an invocation's loops once it has run about 65 535
   * iterations in all, nested and consecutive loops counted together (the long-k test).
   * matmul_tex runs one counted iteration per k (per 4 k in its vec4 form: its inner
   * loops have constant bounds and are unrolled); matmul_tiled a few per BK slice. A longer
   * k is split into slices of k, one dispatch each, accumulating into C (β = 1 after the
   * first); the slice is a multiple of 128 so that the operands' offsets keep any
   * alignment (≤ 256 bytes) the first ones had. Only on CPU devices (lavapipe). */
  {
    guint k_max;

    if (variant == HONE_MATMUL_TEXEL)
      k_max = MATMUL_LOOP_BUDGET;
    else
      {
        guint wg_x = config && config->wg_x ? config->wg_x : 16;
        guint wg_y = config && config->wg_y ? config->wg_y : 16;
        guint rm = config && config->rm ? config->rm : 4;
        guint rn = config && config->rn ? config->rn : 4;
        guint bk = config && config->bk ? config->bk : 16;
        guint threads = wg_x * wg_y;
        /* per BK slice: the slice loop, the two staging loops, and (counted as if not
         * unrolled) the kk, i and j loops */
        guint per_slice = 1 + hone_gpu_div_up (bk * wg_y * rm, threads)
                          + hone_gpu_div_up (bk * wg_x * rn, threads) + bk * (1 + rm * (1 + rn));
        guint fixed = 2 * rm * rn + rm;

        k_max = fixed < MATMUL_LOOP_BUDGET ? (MATMUL_LOOP_BUDGET - fixed) / per_slice * bk : 0;
      }
    k_max = MAX (k_max / 128 * 128, 128);
    /* A GPU has no such limit: one dispatch there. */
    if (!hone_gpu_device_is_cpu (device))
      k_max = k;
    for (guint k0 = 0; k0 < k; k0 += k_max)
      {
        guint kc = MIN (k_max, k - k0);
        HoneMatrix ac = *a, bc = *b;
        gboolean ok;

        ac.offset += (gsize) k0 * (a->transposed ? lda : 1) * dtype_size (a->dtype);
        bc.offset += (gsize) k0 * (b->transposed ? 1 : ldb) * dtype_size (b->dtype);
        if (variant == HONE_MATMUL_TEXEL)
          ok = matmul_tex (stream, c, &ac, &bc, m, n, kc, batch, lda, ldb, ldc, alpha,
                           k0 == 0 ? beta : 1.0f, config, label, error);
        else
          ok = matmul_tiled (stream, c, &ac, &bc, m, n, kc, batch, lda, ldb, ldc, alpha,
                             k0 == 0 ? beta : 1.0f, config, label, error);
        if (!ok)
          return FALSE;
      }
  }
  return TRUE;
}
