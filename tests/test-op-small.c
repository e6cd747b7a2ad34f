/* test-op-small.c — bias add (forward, backward), the global gradient norm with clipping
 * and Philox dropout against their CPU references under two workgroup sizes; the bias
 * gradient reference against central finite differences in double; the C Philox against
 * Random123's known answers; and the shapes that lavapipe's loop limit makes the op
 * wrappers refuse.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (inputs uniform in [−2, 2)): bias y 1e-7 + 1e-6·|ref|, db (accumulated onto
 * random values) 1e-6·T + 1e-5·|ref|; gradient norm 1e-5·|ref|, clipped gradients
 * 1e-7 + 1e-5·|ref|; dropout 1e-7 + 1e-6·|ref| with the same zeros (the mask is exact),
 * in place bit-identical, and the kept fraction within 0.01 of 1 − p for n > 10000
 * (n % 4 == 0 takes the vec4 kernel).
 * Finite differences (h = 1e-5): 1e-7 + 1e-6 relative.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 64 }, { 13 } };

static void
submit (HoneGpuStream *stream)
{
  g_autoptr(GError) error = NULL;

  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  hone_gpu_test_check_validation ();
}

static void
test_reference_gradient (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (41);
  guint t = 3, c = 4;
  gsize n = (gsize) t * c;
  g_autofree float *xf = hone_gpu_test_random (rand, n, -2, 2);
  g_autofree float *bf = hone_gpu_test_random (rand, c, -2, 2);
  g_autofree float *dyf = hone_gpu_test_random (rand, n, -2, 2);
  g_autofree double *x = hone_gpu_test_to_double (xf, n), *b = hone_gpu_test_to_double (bf, c);
  g_autofree double *dy = hone_gpu_test_to_double (dyf, n);
  g_autofree double *db = g_new0 (double, c), *numeric = g_new (double, c);
  g_autofree double *y = g_new (double, n);
  g_autofree float *db_f = g_new (float, c);
  const double h = 1e-5;

  hone_ref_bias_backward (db, dy, t, c);
  for (guint j = 0; j < c; j++)
    {
      double keep = b[j], up = 0, down = 0;

      b[j] = keep + h;
      hone_ref_bias_forward (y, x, b, t, c);
      for (gsize i = 0; i < n; i++)
        up += y[i] * dy[i];
      b[j] = keep - h;
      hone_ref_bias_forward (y, x, b, t, c);
      for (gsize i = 0; i < n; i++)
        down += y[i] * dy[i];
      b[j] = keep;
      numeric[j] = (up - down) / (2 * h);
      db_f[j] = (float) db[j];
    }
  hone_gpu_test_compare ("bias db (reference)", db_f, numeric, c, 1e-7 + 1e-6 * 8, 1e-6);
}

static void
test_bias (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* C % 4 == 0 takes the vec4 forward. 70001 rows: past lavapipe's loop limit for the
   * bias gradient, which sums over rows (refused before the rows were split over
   * dispatches). */
  static const guint shapes[][2] = { { 1, 1 }, { 3, 7 }, { 17, 130 }, { 64, 2051 },
                                     { 5, 4 }, { 19, 132 }, { 70001, 3 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint t = shapes[i][0], c = shapes[i][1];
      gsize n = (gsize) t * c;
      g_autofree float *x = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *b = hone_gpu_test_random (rand, c, -2, 2);
      g_autofree float *dy = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *db0 = hone_gpu_test_random (rand, c, -1, 1);
      g_autofree double *xd = hone_gpu_test_to_double (x, n), *bd = hone_gpu_test_to_double (b, c);
      g_autofree double *dyd = hone_gpu_test_to_double (dy, n);
      g_autofree double *db = hone_gpu_test_to_double (db0, c), *y = g_new (double, n);
      g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (x, n * 4);
      g_autoptr(HoneGpuBuffer) bbuf = hone_gpu_test_upload (b, c * 4);
      g_autoptr(HoneGpuBuffer) dybuf = hone_gpu_test_upload (dy, n * 4);
      g_autoptr(HoneGpuBuffer) dbbuf = hone_gpu_test_upload (db0, c * 4);
      g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *got_y = NULL, *got_db = NULL;

      hone_ref_bias_forward (y, xd, bd, t, c);
      hone_ref_bias_backward (db, dyd, t, c);
      hone_op_bias_forward (stream, ybuf, ybuf, bbuf, t, c, config, &error);   /* in place */
      g_assert_no_error (error);
      hone_op_bias_backward (stream, dbbuf, dybuf, t, c, config, &error);
      g_assert_no_error (error);
      submit (stream);
      got_y = hone_gpu_test_download (ybuf, n);
      got_db = hone_gpu_test_download (dbbuf, c);
      hone_gpu_test_compare ("bias y", got_y, y, n, 1e-7, 1e-6);
      hone_gpu_test_compare ("bias db", got_db, db, c, 1e-6 * t, 1e-5);
    }
}

static void
test_grad_norm (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* tensors of awkward sizes, one empty; max_norm below and above the norm, and 0 (off) */
  static const gsize sizes[] = { 1, 4097, 0, 130, 9000, 8196, 4 };
  static const float max_norms[] = { 10.0f, 1e6f, 0.0f };
  g_autoptr(GRand) rand = g_rand_new_with_seed (43);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint c = 0; c < G_N_ELEMENTS (max_norms); c++)
    {
      guint nt = G_N_ELEMENTS (sizes);
      float *host[G_N_ELEMENTS (sizes)];
      double *ref[G_N_ELEMENTS (sizes)];
      HoneGpuBuffer *bufs[G_N_ELEMENTS (sizes)];
      g_autoptr(HoneGpuBuffer) out = hone_gpu_test_upload (NULL, 8);
      g_autoptr(HoneGpuBuffer) scratch = hone_gpu_test_upload (NULL,
                                                               hone_op_grad_norm_scratch_size (sizes, nt));
      g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *got = NULL;
      double norm, scale;

      for (guint i = 0; i < nt; i++)
        {
          host[i] = hone_gpu_test_random (rand, MAX (sizes[i], 1), -2, 2);
          ref[i] = hone_gpu_test_to_double (host[i], MAX (sizes[i], 1));
          bufs[i] = hone_gpu_test_upload (host[i], MAX (sizes[i], 1) * 4);
        }
      norm = hone_ref_grad_norm ((const double *const *) ref, sizes, nt);
      scale = max_norms[c] > 0 && norm > max_norms[c] ? max_norms[c] / (norm + 1e-6) : 1.0;
      hone_op_grad_norm_clip (stream, out, scratch, bufs, sizes, nt, max_norms[c], config,
                              &error);
      g_assert_no_error (error);
      submit (stream);
      got = hone_gpu_test_download (out, 2);
      hone_gpu_test_compare ("grad norm", got, &norm, 1, 0, 1e-5);
      hone_gpu_test_compare ("grad clip scale", got + 1, &scale, 1, 0, 1e-5);
      for (guint i = 0; i < nt; i++)
        {
          g_autofree float *g = hone_gpu_test_download (bufs[i], MAX (sizes[i], 1));

          for (gsize j = 0; j < sizes[i]; j++)
            ref[i][j] *= max_norms[c] > 0 ? scale : 1.0;
          hone_gpu_test_compare ("clipped grad", g, ref[i], sizes[i], 1e-7, 1e-5);
          hone_gpu_buffer_free (bufs[i]);
          g_free (host[i]);
          g_free (ref[i]);
        }
    }
}

/* Random123's known answers for philox4x32-10. */
static void
test_philox_reference (void)
{
  static const guint32 zero[4] = { 0, 0, 0, 0 }, ones[4] = { ~0u, ~0u, ~0u, ~0u };
  static const guint32 want0[4] = { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 };
  static const guint32 want1[4] = { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd };
  guint32 r[4];

  hone_ref_philox4x32 (r, zero, zero);
  g_assert_cmpmem (r, sizeof r, want0, sizeof want0);
  hone_ref_philox4x32 (r, ones, ones);
  g_assert_cmpmem (r, sizeof r, want1, sizeof want1);
}

static void
test_dropout (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const gsize sizes[] = { 1, 5, 1001, 100003, 4, 1000, 100004 };
  static const float probs[] = { 0.0f, 0.1f, 0.5f };
  g_autoptr(GRand) rand = g_rand_new_with_seed (44);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (probs); j++)
      {
        gsize n = sizes[i];
        g_autofree float *x = hone_gpu_test_random (rand, n, -2, 2);
        g_autofree double *xd = hone_gpu_test_to_double (x, n), *y = g_new (double, n);
        g_autoptr(HoneGpuBuffer) xbuf = hone_gpu_test_upload (x, n * 4);
        g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (NULL, n * 4);
        g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
        g_autoptr(GError) error = NULL;
        g_autofree float *got = NULL, *got_in_place = NULL;
        guint64 seed = G_GUINT64_CONSTANT (0x0123456789abcdef) + i;
        gsize kept = hone_ref_dropout (y, xd, n, probs[j], seed, 7);

        hone_op_dropout (stream, ybuf, xbuf, n, probs[j], seed, 7, config, &error);
        g_assert_no_error (error);
        submit (stream);
        got = hone_gpu_test_download (ybuf, n);
        /* in place, as the backward pass on dy would run */
        hone_op_dropout (stream, xbuf, xbuf, n, probs[j], seed, 7, config, &error);
        g_assert_no_error (error);
        submit (stream);
        got_in_place = hone_gpu_test_download (xbuf, n);
        hone_gpu_test_compare ("dropout", got, y, n, 1e-7, 1e-6);
        g_assert_cmpmem (got_in_place, n * 4, got, n * 4);
        for (gsize k = 0; k < n; k++)
          g_assert_true ((got[k] == 0) == (y[k] == 0));
        if (n > 10000)
          g_assert_cmpfloat (fabs ((double) kept / n - (1 - probs[j])), <, 0.01);
      }
}

/* Shapes whose loops would pass lavapipe's limit (about 65 535 iterations an invocation,
 * silently cut short) and that the wrappers refuse rather than split: each must give
 * HONE_GPU_ERROR_UNSUPPORTED before touching the (here too small) buffers. */
static void
test_loop_limit_refusals (void)
{
  g_autoptr(HoneGpuBuffer) buf = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const gsize huge[] = { 200000000, 50000000 };   /* 61 036 parts of 4096 */
  HoneGpuBuffer *bufs[2];

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  buf = hone_gpu_test_upload (NULL, 64);
  stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
  bufs[0] = bufs[1] = buf;
  g_assert_false (hone_op_grad_norm_clip (stream, buf, buf, bufs, huge, 2, 1.0f, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (hone_op_cross_entropy_mean (stream, buf, buf, 60001, 1.0f, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (hone_op_repetition_penalty (stream, buf, buf, 60001, 8, 1.1f, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (hone_op_rmsnorm_forward (stream, buf, buf, buf, buf, 2, 30001, 1e-5f, NULL,
                                           &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (hone_op_rmsnorm_backward (stream, buf, buf, buf, buf, buf, buf, 2, 120004,
                                            NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  hone_gpu_test_check_validation ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/op/reference/bias", test_reference_gradient);
  g_test_add_func ("/hone/op/reference/philox", test_philox_reference);
  g_test_add_func ("/hone/op/loop-limit-refusals", test_loop_limit_refusals);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/bias/wg%u", configs[i].workgroup_size);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/grad-norm/wg%u", configs[i].workgroup_size);
      g_autofree char *p3 = g_strdup_printf ("/hone/op/dropout/wg%u", configs[i].workgroup_size);
      g_test_add_data_func (p1, &configs[i], test_bias);
      g_test_add_data_func (p2, &configs[i], test_grad_norm);
      g_test_add_data_func (p3, &configs[i], test_dropout);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
