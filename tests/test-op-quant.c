/* test-op-quant.c — decode matrix-vector products and batched matmul with q8_0 / q4_0 /
 * q4_K / q5_K / q6_K / bf16 weights, forward and input gradient, against the double
 * reference on weights from hone_ggml_dequantize, under two workgroup configurations each;
 * and the in-shader dequantization bit for bit (one-hot inputs).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bound (inputs uniform in [−1, 1); q8_0 / q4_0 weights uniform in [−1, 1) quantized
 * by hone_ggml_quantize; k-quant blocks random bytes with f16 scales chosen so |w| ≲ 1, bf16
 * weights uniform in [−1, 1) rounded): |err| ≤ 2e-7·K (forward) or 2e-7·N (backward)
 * + 1e-5·|ref|. One-hot rows of x (dy) must reproduce each weight exactly (==).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "model/hone-ggml.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 32 }, { 7 } };
static const HoneGgmlType ggml_types[] = { HONE_GGML_TYPE_Q8_0, HONE_GGML_TYPE_Q4_0 };
static const HoneQuantType quant_types[] = { HONE_QUANT_Q8_0, HONE_QUANT_Q4_0 };

static HoneGpuStream *
new_stream (void)
{
  g_autoptr(GError) error = NULL;
  HoneGpuStream *stream = hone_gpu_stream_new (hone_gpu_test_device (), &error);

  g_assert_no_error (error);
  return stream;
}

static void
submit (HoneGpuStream *stream)
{
  g_autoptr(GError) error = NULL;

  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  hone_gpu_test_check_validation ();
}

/* Quantizes random weights (N, K); returns the blocks and, in @deq, their floats. */
static guint8 *
random_weights (GRand       *rand,
                guint        t,
                guint        n,
                guint        k,
                float      **deq)
{
  g_autofree float *w = hone_gpu_test_random (rand, (gsize) n * k, -1, 1);
  guint8 *q = g_malloc0 (hone_op_quant_bytes (quant_types[t], n, k) + 4);

  hone_ggml_quantize (ggml_types[t], w, q, (gsize) n * k);
  *deq = g_new (float, (gsize) n * k);
  hone_ggml_dequantize (ggml_types[t], q, *deq, (gsize) n * k);
  return q;
}

static void
test_quant (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const guint shapes[][3] = { { 1, 1, 32 }, { 3, 7, 64 }, { 1, 33, 96 },
                                     { 2, 130, 256 }, { 1, 61, 2048 }, { 1, 37, 4608 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint t = 0; t < 2; t++)
    for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
      {
        guint m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
        g_autofree float *deq = NULL;
        g_autofree guint8 *q = random_weights (rand, t, n, k, &deq);
        g_autofree float *x = hone_gpu_test_random (rand, (gsize) m * k, -1, 1);
        g_autofree float *dy = hone_gpu_test_random (rand, (gsize) m * n, -1, 1);
        g_autofree double *wd = hone_gpu_test_to_double (deq, (gsize) n * k);
        g_autofree double *xd = hone_gpu_test_to_double (x, (gsize) m * k);
        g_autofree double *dyd = hone_gpu_test_to_double (dy, (gsize) m * n);
        g_autofree double *y = g_new0 (double, (gsize) m * n), *dx = g_new0 (double, (gsize) m * k);
        g_autoptr(HoneGpuBuffer) wbuf = hone_gpu_test_upload (q, hone_op_quant_bytes (quant_types[t], n, k));
        g_autoptr(HoneGpuBuffer) xbuf = hone_gpu_test_upload (x, (gsize) m * k * 4);
        g_autoptr(HoneGpuBuffer) dybuf = hone_gpu_test_upload (dy, (gsize) m * n * 4);
        g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (NULL, (gsize) m * n * 4);
        g_autoptr(HoneGpuBuffer) dxbuf = hone_gpu_test_upload (NULL, (gsize) m * k * 4);
        g_autoptr(HoneGpuStream) stream = new_stream ();
        g_autoptr(GError) error = NULL;
        g_autofree float *got_y = NULL, *got_dx = NULL;
        g_autofree char *what = g_strdup_printf ("%s %ux%ux%u", hone_ggml_type_name (ggml_types[t]),
                                                 m, n, k);

        hone_ref_matmul (y, xd, wd, m, n, k, FALSE, TRUE, 1.0, 0.0);
        hone_ref_matmul (dx, dyd, wd, m, k, n, FALSE, FALSE, 1.0, 0.0);
        hone_op_matvec_quant_forward (stream, ybuf, xbuf, wbuf, quant_types[t], m, n, k, config,
                                      &error);
        g_assert_no_error (error);
        hone_op_matvec_quant_backward (stream, dxbuf, dybuf, wbuf, quant_types[t], m, n, k,
                                       config, &error);
        g_assert_no_error (error);
        submit (stream);
        got_y = hone_gpu_test_download (ybuf, (gsize) m * n);
        got_dx = hone_gpu_test_download (dxbuf, (gsize) m * k);
        hone_gpu_test_compare (what, got_y, y, (gsize) m * n, 2e-7 * k, 1e-5);
        hone_gpu_test_compare (what, got_dx, dx, (gsize) m * k, 2e-7 * n, 1e-5);
      }
}

/* One-hot rows pick single weights: y[j, r] = W[r, j] and dx[r, j] = W[r, j], exactly. */
static void
test_quant_exact (gconstpointer data)
{
  const HoneOpConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (32);
  /* K = 96: the forward's any-K path; K = 512: its texel path (K % 256 == 0) */
  static const guint ks[] = { 96, 512 };
  guint n = 5;

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint c = 0; c < 2 * G_N_ELEMENTS (ks); c++)
    {
      guint t = c % 2, k = ks[c / 2];
      g_autofree float *deq = NULL;
      g_autofree guint8 *q = random_weights (rand, t, n, k, &deq);
      g_autofree float *eye_k = g_new0 (float, (gsize) k * k), *eye_n = g_new0 (float, (gsize) n * n);
      g_autoptr(HoneGpuBuffer) wbuf = hone_gpu_test_upload (q, hone_op_quant_bytes (quant_types[t], n, k));
      g_autoptr(HoneGpuBuffer) xbuf = NULL, dybuf = NULL, ybuf = NULL, dxbuf = NULL;
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got_y = NULL, *got_dx = NULL;

      for (guint j = 0; j < k; j++)
        eye_k[(gsize) j * k + j] = 1;
      for (guint j = 0; j < n; j++)
        eye_n[(gsize) j * n + j] = 1;
      xbuf = hone_gpu_test_upload (eye_k, (gsize) k * k * 4);
      dybuf = hone_gpu_test_upload (eye_n, (gsize) n * n * 4);
      ybuf = hone_gpu_test_upload (NULL, (gsize) k * n * 4);
      dxbuf = hone_gpu_test_upload (NULL, (gsize) n * k * 4);
      hone_op_matvec_quant_forward (stream, ybuf, xbuf, wbuf, quant_types[t], k, n, k, config,
                                    &error);
      g_assert_no_error (error);
      hone_op_matvec_quant_backward (stream, dxbuf, dybuf, wbuf, quant_types[t], n, n, k, config,
                                     &error);
      g_assert_no_error (error);
      submit (stream);
      got_y = hone_gpu_test_download (ybuf, (gsize) k * n);
      got_dx = hone_gpu_test_download (dxbuf, (gsize) n * k);
      for (guint r = 0; r < n; r++)
        for (guint j = 0; j < k; j++)
          {
            float want = deq[(gsize) r * k + j];
            if (got_y[(gsize) j * n + r] != want || got_dx[(gsize) r * k + j] != want)
              g_error ("%s W[%u, %u]: forward %.9g, backward %.9g, dequantizer %.9g",
                       hone_ggml_type_name (ggml_types[t]), r, j, got_y[(gsize) j * n + r],
                       got_dx[(gsize) r * k + j], want);
          }
    }
}

/* The batched kernels: every M × N × K below, forward and input gradient, against the same
 * double reference; and the one-hot check of the in-shader dequantization. Bound:
 * |err| ≤ 2e-7·K (forward) or 2e-7·N (backward) + 1e-5·|ref|. */
static const HoneMatmulConfig mm_configs[] = {
  { HONE_MATMUL_TEXEL, 16, 2, 0, 0, 0 },
  { HONE_MATMUL_TEXEL, 3, 5, 0, 0, 0 },
};

static void
test_matmul_quant (gconstpointer data)
{
  const HoneMatmulConfig *config = data;
  /* N = 64: the backward's vec4 dy variant (N % 4 == 0) */
  static const guint ms[] = { 1, 5, 37 }, ns[] = { 1, 7, 61, 64 }, ks[] = { 32, 96, 2048 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (33);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint t = 0; t < 2; t++)
    for (guint a = 0; a < G_N_ELEMENTS (ms); a++)
      for (guint b = 0; b < G_N_ELEMENTS (ns); b++)
        for (guint c = 0; c < G_N_ELEMENTS (ks); c++)
          {
            guint m = ms[a], n = ns[b], k = ks[c];
            g_autofree float *deq = NULL;
            g_autofree guint8 *q = random_weights (rand, t, n, k, &deq);
            g_autofree float *x = hone_gpu_test_random (rand, (gsize) m * k, -1, 1);
            g_autofree float *dy = hone_gpu_test_random (rand, (gsize) m * n, -1, 1);
            g_autofree double *wd = hone_gpu_test_to_double (deq, (gsize) n * k);
            g_autofree double *xd = hone_gpu_test_to_double (x, (gsize) m * k);
            g_autofree double *dyd = hone_gpu_test_to_double (dy, (gsize) m * n);
            g_autofree double *y = g_new0 (double, (gsize) m * n);
            g_autofree double *dx = g_new0 (double, (gsize) m * k);
            g_autoptr(HoneGpuBuffer) wbuf = hone_gpu_test_upload (q, hone_op_quant_bytes (quant_types[t], n, k));
            g_autoptr(HoneGpuBuffer) xbuf = hone_gpu_test_upload (x, (gsize) m * k * 4);
            g_autoptr(HoneGpuBuffer) dybuf = hone_gpu_test_upload (dy, (gsize) m * n * 4);
            g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (NULL, (gsize) m * n * 4);
            g_autoptr(HoneGpuBuffer) dxbuf = hone_gpu_test_upload (NULL, (gsize) m * k * 4);
            g_autoptr(HoneGpuStream) stream = new_stream ();
            g_autoptr(GError) error = NULL;
            g_autofree float *got_y = NULL, *got_dx = NULL;
            g_autofree char *what = g_strdup_printf ("matmul %s %ux%ux%u",
                                                     hone_ggml_type_name (ggml_types[t]), m, n, k);

            hone_ref_matmul (y, xd, wd, m, n, k, FALSE, TRUE, 1.0, 0.0);
            hone_ref_matmul (dx, dyd, wd, m, k, n, FALSE, FALSE, 1.0, 0.0);
            hone_op_matmul_quant_forward (stream, ybuf, xbuf, wbuf, quant_types[t], m, n, k,
                                          config, &error);
            g_assert_no_error (error);
            hone_op_matmul_quant_backward (stream, dxbuf, dybuf, wbuf, quant_types[t], m, n, k,
                                           config, &error);
            g_assert_no_error (error);
            submit (stream);
            got_y = hone_gpu_test_download (ybuf, (gsize) m * n);
            got_dx = hone_gpu_test_download (dxbuf, (gsize) m * k);
            hone_gpu_test_compare (what, got_y, y, (gsize) m * n, 2e-7 * k, 1e-5);
            hone_gpu_test_compare (what, got_dx, dx, (gsize) m * k, 2e-7 * n, 1e-5);
          }
}

/* One-hot rows pick single weights, exactly, through the batched kernels. */
static void
test_matmul_quant_exact (gconstpointer data)
{
  const HoneMatmulConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (34);
  guint k = 96;

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  /* N = 16: the backward's vec4 dy variant */
  for (guint t = 0; t < 4; t++)
    {
      guint n = t < 2 ? 13 : 16;
      g_autofree float *deq = NULL;
      g_autofree guint8 *q = random_weights (rand, t % 2, n, k, &deq);
      g_autofree float *eye_k = g_new0 (float, (gsize) k * k), *eye_n = g_new0 (float, (gsize) n * n);
      g_autoptr(HoneGpuBuffer) wbuf = hone_gpu_test_upload (q, hone_op_quant_bytes (quant_types[t % 2], n, k));
      g_autoptr(HoneGpuBuffer) xbuf = NULL, dybuf = NULL, ybuf = NULL, dxbuf = NULL;
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got_y = NULL, *got_dx = NULL;

      for (guint j = 0; j < k; j++)
        eye_k[(gsize) j * k + j] = 1;
      for (guint j = 0; j < n; j++)
        eye_n[(gsize) j * n + j] = 1;
      xbuf = hone_gpu_test_upload (eye_k, (gsize) k * k * 4);
      dybuf = hone_gpu_test_upload (eye_n, (gsize) n * n * 4);
      ybuf = hone_gpu_test_upload (NULL, (gsize) k * n * 4);
      dxbuf = hone_gpu_test_upload (NULL, (gsize) n * k * 4);
      hone_op_matmul_quant_forward (stream, ybuf, xbuf, wbuf, quant_types[t % 2], k, n, k, config,
                                    &error);
      g_assert_no_error (error);
      hone_op_matmul_quant_backward (stream, dxbuf, dybuf, wbuf, quant_types[t % 2], n, n, k, config,
                                     &error);
      g_assert_no_error (error);
      submit (stream);
      got_y = hone_gpu_test_download (ybuf, (gsize) k * n);
      got_dx = hone_gpu_test_download (dxbuf, (gsize) n * k);
      for (guint r = 0; r < n; r++)
        for (guint j = 0; j < k; j++)
          {
            float want = deq[(gsize) r * k + j];
            if (got_y[(gsize) j * n + r] != want || got_dx[(gsize) r * k + j] != want)
              g_error ("matmul %s W[%u, %u]: forward %.9g, backward %.9g, dequantizer %.9g",
                       hone_ggml_type_name (ggml_types[t % 2]), r, j, got_y[(gsize) j * n + r],
                       got_dx[(gsize) r * k + j], want);
          }
    }
}

/* ---- the k-quants and bf16 ------------------------------------------------------------ */

static const HoneGgmlType kq_ggml_types[] = {
  HONE_GGML_TYPE_Q4_K, HONE_GGML_TYPE_Q5_K, HONE_GGML_TYPE_Q6_K, HONE_GGML_TYPE_BF16,
};

static void
put_half (guint8 *p,
          float   f)
{
  guint16 h = hone_gpu_test_float_to_half (f);

  p[0] = h & 0xff;
  p[1] = h >> 8;
}

/* Random valid weights (N, K) of @type as GGUF stores them: random bytes, with the f16
 * super-block scales set to small finite values so that |w| ≲ 1 (bf16: uniform [−1, 1)
 * rounded). Returns the bytes (4 spare at the end) and, in @deq, hone_ggml_dequantize's
 * floats. */
static guint8 *
random_blocks (GRand         *rand,
               HoneGgmlType   type,
               guint          n,
               guint          k,
               float        **deq)
{
  HoneQuantType qt;
  gsize bytes, nb;
  guint8 *q;

  g_assert_true (hone_op_quant_type_from_ggml (type, &qt));
  bytes = hone_op_quant_bytes (qt, n, k);
  q = g_malloc0 (bytes + 4);
  nb = (gsize) n * k / 256;
  for (gsize i = 0; i < bytes; i++)
    q[i] = g_rand_int_range (rand, 0, 256);
  switch ((int) type)
    {
    case HONE_GGML_TYPE_Q4_K:
    case HONE_GGML_TYPE_Q5_K:
      /* |w| ≤ d·63·q_max + dmin·63 */
      for (gsize b = 0; b < nb; b++)
        {
          guint8 *blk = q + b * (type == HONE_GGML_TYPE_Q4_K ? 144 : 176);
          double top = type == HONE_GGML_TYPE_Q4_K ? 1e-3 : 5e-4;

          put_half (blk, g_rand_double_range (rand, 0, top));
          put_half (blk + 2, g_rand_double_range (rand, 0, top));
        }
      break;
    case HONE_GGML_TYPE_Q6_K:
      /* |w| ≤ |d|·128·32 */
      for (gsize b = 0; b < nb; b++)
        put_half (q + b * 210 + 208, g_rand_double_range (rand, -2.5e-4, 2.5e-4));
      break;
    case HONE_GGML_TYPE_BF16:
      for (gsize i = 0; i < (gsize) n * k; i++)
        {
          guint16 h = hone_float_to_bf16 (g_rand_double_range (rand, -1, 1));

          q[2 * i] = h & 0xff;
          q[2 * i + 1] = h >> 8;
        }
      break;
    default:
      g_assert_not_reached ();
    }
  *deq = g_new (float, (gsize) n * k);
  hone_ggml_dequantize (type, q, *deq, (gsize) n * k);
  for (gsize i = 0; i < (gsize) n * k; i++)
    g_assert_true (isfinite ((*deq)[i]) && fabsf ((*deq)[i]) <= 2.5f);
  return q;
}

/* Both kernel families for one type and shape: @batched picks matmul_quant (with @mm_config)
 * over matvec_quant (with @config). Checks against the double reference, or exactly when
 * x and dy are identities (@one_hot: M = K for the forward, M = N for the backward). */
static void
check_kquant (GRand                  *rand,
              HoneGgmlType            type,
              gboolean                batched,
              gboolean                one_hot,
              const HoneOpConfig     *config,
              const HoneMatmulConfig *mm_config,
              guint                   m,
              guint                   n,
              guint                   k)
{
  HoneQuantType qt;
  guint mf = one_hot ? k : m, mb = one_hot ? n : m;   /* rows of x and of dy */
  g_autofree float *deq = NULL;
  g_autofree guint8 *q = random_blocks (rand, type, n, k, &deq);
  g_autofree float *x = NULL, *dy = NULL;
  g_autoptr(HoneGpuBuffer) wbuf = NULL, xbuf = NULL, dybuf = NULL, ybuf = NULL, dxbuf = NULL;
  g_autoptr(HoneGpuStream) stream = new_stream ();
  g_autoptr(GError) error = NULL;
  g_autofree float *got_y = NULL, *got_dx = NULL;
  g_autofree char *what = g_strdup_printf ("%s %s %ux%ux%u", batched ? "matmul" : "matvec",
                                           hone_ggml_type_name (type), m, n, k);

  g_assert_true (hone_op_quant_type_from_ggml (type, &qt));
  if (one_hot)
    {
      x = g_new0 (float, (gsize) k * k);
      dy = g_new0 (float, (gsize) n * n);
      for (guint j = 0; j < k; j++)
        x[(gsize) j * k + j] = 1;
      for (guint j = 0; j < n; j++)
        dy[(gsize) j * n + j] = 1;
    }
  else
    {
      x = hone_gpu_test_random (rand, (gsize) m * k, -1, 1);
      dy = hone_gpu_test_random (rand, (gsize) m * n, -1, 1);
    }
  wbuf = hone_gpu_test_upload (q, hone_op_quant_bytes (qt, n, k));
  xbuf = hone_gpu_test_upload (x, (gsize) mf * k * 4);
  dybuf = hone_gpu_test_upload (dy, (gsize) mb * n * 4);
  ybuf = hone_gpu_test_upload (NULL, (gsize) mf * n * 4);
  dxbuf = hone_gpu_test_upload (NULL, (gsize) mb * k * 4);
  if (batched)
    {
      hone_op_matmul_quant_forward (stream, ybuf, xbuf, wbuf, qt, mf, n, k, mm_config, &error);
      g_assert_no_error (error);
      hone_op_matmul_quant_backward (stream, dxbuf, dybuf, wbuf, qt, mb, n, k, mm_config,
                                     &error);
      g_assert_no_error (error);
    }
  else
    {
      hone_op_matvec_quant_forward (stream, ybuf, xbuf, wbuf, qt, mf, n, k, config, &error);
      g_assert_no_error (error);
      hone_op_matvec_quant_backward (stream, dxbuf, dybuf, wbuf, qt, mb, n, k, config, &error);
      g_assert_no_error (error);
    }
  submit (stream);
  got_y = hone_gpu_test_download (ybuf, (gsize) mf * n);
  got_dx = hone_gpu_test_download (dxbuf, (gsize) mb * k);
  if (one_hot)
    {
      for (guint r = 0; r < n; r++)
        for (guint j = 0; j < k; j++)
          {
            float want = deq[(gsize) r * k + j];
            if (got_y[(gsize) j * n + r] != want || got_dx[(gsize) r * k + j] != want)
              g_error ("%s W[%u, %u]: forward %.9g, backward %.9g, dequantizer %.9g", what, r,
                       j, got_y[(gsize) j * n + r], got_dx[(gsize) r * k + j], want);
          }
    }
  else
    {
      g_autofree double *wd = hone_gpu_test_to_double (deq, (gsize) n * k);
      g_autofree double *xd = hone_gpu_test_to_double (x, (gsize) m * k);
      g_autofree double *dyd = hone_gpu_test_to_double (dy, (gsize) m * n);
      g_autofree double *y = g_new0 (double, (gsize) m * n);
      g_autofree double *dx = g_new0 (double, (gsize) m * k);

      hone_ref_matmul (y, xd, wd, m, n, k, FALSE, TRUE, 1.0, 0.0);
      hone_ref_matmul (dx, dyd, wd, m, k, n, FALSE, FALSE, 1.0, 0.0);
      hone_gpu_test_compare (what, got_y, y, (gsize) m * n, 2e-7 * k, 1e-5);
      hone_gpu_test_compare (what, got_dx, dx, (gsize) m * k, 2e-7 * n, 1e-5);
    }
}

static const guint kq_ms[] = { 1, 5, 37 }, kq_ns[] = { 1, 7, 61, 64 }, kq_ks[] = { 256, 768 };

static void
test_matvec_kquant (gconstpointer data)
{
  const HoneOpConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (41);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint t = 0; t < G_N_ELEMENTS (kq_ggml_types); t++)
    {
      for (guint a = 0; a < G_N_ELEMENTS (kq_ms); a++)
        for (guint b = 0; b < G_N_ELEMENTS (kq_ns); b++)
          for (guint c = 0; c < G_N_ELEMENTS (kq_ks); c++)
            check_kquant (rand, kq_ggml_types[t], FALSE, FALSE, config, NULL, kq_ms[a],
                          kq_ns[b], kq_ks[c]);
      /* more super-blocks than lanes: the forward walks K in several chunks */
      check_kquant (rand, kq_ggml_types[t], FALSE, FALSE, config, NULL, 2, 45, 2560);
    }
}

static void
test_matvec_kquant_exact (gconstpointer data)
{
  const HoneOpConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  /* K = 768: q6_K rows start on odd halves in every other row as well */
  for (guint t = 0; t < G_N_ELEMENTS (kq_ggml_types); t++)
    {
      check_kquant (rand, kq_ggml_types[t], FALSE, TRUE, config, NULL, 0, 5, 512);
      check_kquant (rand, kq_ggml_types[t], FALSE, TRUE, config, NULL, 0, 3, 768);
    }
}

static void
test_matmul_kquant (gconstpointer data)
{
  const HoneMatmulConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (43);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint t = 0; t < G_N_ELEMENTS (kq_ggml_types); t++)
    for (guint a = 0; a < G_N_ELEMENTS (kq_ms); a++)
      for (guint b = 0; b < G_N_ELEMENTS (kq_ns); b++)
        for (guint c = 0; c < G_N_ELEMENTS (kq_ks); c++)
          check_kquant (rand, kq_ggml_types[t], TRUE, FALSE, NULL, config, kq_ms[a], kq_ns[b],
                        kq_ks[c]);
}

/* N = 13 and N = 16 (the backward's vec4 dy variant) */
static void
test_matmul_kquant_exact (gconstpointer data)
{
  const HoneMatmulConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (44);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint t = 0; t < G_N_ELEMENTS (kq_ggml_types); t++)
    {
      check_kquant (rand, kq_ggml_types[t], TRUE, TRUE, NULL, config, 0, 13, 512);
      check_kquant (rand, kq_ggml_types[t], TRUE, TRUE, NULL, config, 0, 16, 256);
    }
}

/* The type mapping, the sizes against GGUF's, and the shapes the kernels refuse. */
static void
test_kquant_shapes (void)
{
  static const HoneGgmlType all[] = {
    HONE_GGML_TYPE_Q8_0, HONE_GGML_TYPE_Q4_0, HONE_GGML_TYPE_Q4_K, HONE_GGML_TYPE_Q5_K,
    HONE_GGML_TYPE_Q6_K, HONE_GGML_TYPE_BF16,
  };
  static const HoneGgmlType none[] = {
    HONE_GGML_TYPE_F32, HONE_GGML_TYPE_F16, HONE_GGML_TYPE_Q4_1, HONE_GGML_TYPE_Q2_K,
    HONE_GGML_TYPE_Q3_K, HONE_GGML_TYPE_Q8_K,
  };
  HoneQuantType qt;

  for (guint t = 0; t < G_N_ELEMENTS (all); t++)
    {
      guint64 bytes = 0;

      g_assert_true (hone_op_quant_type_from_ggml (all[t], &qt));
      g_assert_cmpuint (qt, ==, t);
      g_assert_cmpuint (hone_op_quant_block_size (qt) % hone_ggml_type_block_size (all[t]), ==, 0);
      g_assert_true (hone_ggml_type_size_of (all[t], 7 * 768, &bytes));
      g_assert_cmpuint (hone_op_quant_bytes (qt, 7, 768), ==, bytes);
    }
  for (guint t = 0; t < G_N_ELEMENTS (none); t++)
    g_assert_false (hone_op_quant_type_from_ggml (none[t], &qt));
  g_assert_cmpuint (hone_op_quant_block_size (HONE_QUANT_Q4_K), ==, 256);
  g_assert_cmpuint (hone_op_quant_block_size (HONE_QUANT_BF16), ==, 32);

  if (hone_gpu_test_device () == NULL)
    return;
  for (guint t = HONE_QUANT_Q4_K; t <= HONE_QUANT_Q6_K; t++)
    {
      g_autoptr(HoneGpuBuffer) buf = hone_gpu_test_upload (NULL, 4096);
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;

      /* K = 96 is not a whole number of super-blocks */
      g_assert_false (hone_op_matvec_quant_forward (stream, buf, buf, buf, t, 1, 2, 96, NULL,
                                                    &error));
      g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
      g_clear_error (&error);
      g_assert_false (hone_op_matvec_quant_backward (stream, buf, buf, buf, t, 1, 2, 288, NULL,
                                                     &error));
      g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
      g_clear_error (&error);
      g_assert_false (hone_op_matmul_quant_forward (stream, buf, buf, buf, t, 1, 2, 32, NULL,
                                                    &error));
      g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
      g_clear_error (&error);
      g_assert_false (hone_op_matmul_quant_backward (stream, buf, buf, buf, t, 1, 2, 128, NULL,
                                                     &error));
      g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
    }
  hone_gpu_test_check_validation ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/matvec-quant/wg%u", configs[i].workgroup_size);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/matvec-quant-exact/wg%u",
                                             configs[i].workgroup_size);
      g_test_add_data_func (p1, &configs[i], test_quant);
      g_test_add_data_func (p2, &configs[i], test_quant_exact);
    }
  for (guint i = 0; i < G_N_ELEMENTS (mm_configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/matmul-quant/wg%ux%u", mm_configs[i].wg_x,
                                             mm_configs[i].wg_y);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/matmul-quant-exact/wg%ux%u",
                                             mm_configs[i].wg_x, mm_configs[i].wg_y);
      g_test_add_data_func (p1, &mm_configs[i], test_matmul_quant);
      g_test_add_data_func (p2, &mm_configs[i], test_matmul_quant_exact);
    }
  g_test_add_func ("/hone/op/kquant/shapes", test_kquant_shapes);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/matvec-kquant/wg%u", configs[i].workgroup_size);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/matvec-kquant-exact/wg%u",
                                             configs[i].workgroup_size);
      g_test_add_data_func (p1, &configs[i], test_matvec_kquant);
      g_test_add_data_func (p2, &configs[i], test_matvec_kquant_exact);
    }
  for (guint i = 0; i < G_N_ELEMENTS (mm_configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/matmul-kquant/wg%ux%u", mm_configs[i].wg_x,
                                             mm_configs[i].wg_y);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/matmul-kquant-exact/wg%ux%u",
                                             mm_configs[i].wg_x, mm_configs[i].wg_y);
      g_test_add_data_func (p1, &mm_configs[i], test_matmul_kquant);
      g_test_add_data_func (p2, &mm_configs[i], test_matmul_kquant_exact);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
