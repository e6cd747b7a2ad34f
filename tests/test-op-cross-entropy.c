/* test-op-cross-entropy.c — chunked cross-entropy with a loss mask against its CPU reference
 * under two workgroup sizes, and the reference's gradient against central finite
 * differences in double.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (|err| ≤ atol + rtol·|ref|; logits uniform in [−8, 8), one row shifted by
 * +100 to exercise the running maximum): per-token losses 5e-5 + 1e-5, mean loss 5e-5 +
 * 1e-5, dlogits 1e-6·scale + 1e-4 (scale = 1 / counted tokens).
 * Finite differences (h = 1e-5): 1e-7 + 1e-6 relative to the gradient.
 * V = 50257 (one float a fetch) and 160000 (four) are past lavapipe's loop limit for a
 * kernel that walks a row more than once in one invocation: the one-invocation-per-row
 * version got wrong gradients (zeros from element 15276 on) and wrong losses there.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 64 }, { 3 } };

typedef struct
{
  guint          t, v;
  const guint32 *targets;
  const guint32 *mask;
} CeData;

static double
ce_loss (const double *logits,
         const CeData *d)
{
  g_autofree double *losses = g_new (double, d->t);

  return hone_ref_cross_entropy (NULL, losses, logits, d->targets, d->mask, d->t, d->v);
}

static void
test_reference_gradient (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  guint t = 4, v = 6;
  gsize n = (gsize) t * v;
  guint32 targets[] = { 2, 5, 0, 6 };   /* the last is ≥ V: not counted */
  guint32 mask[] = { 1, 1, 0, 1 };
  g_autofree float *xf = hone_gpu_test_random (rand, n, -3, 3);
  g_autofree double *x = hone_gpu_test_to_double (xf, n);
  g_autofree double *grad = g_new (double, n), *losses = g_new (double, t);
  g_autofree double *numeric = g_new (double, n);
  g_autofree float *grad_f = g_new (float, n);
  CeData d = { t, v, targets, mask };
  const double h = 1e-5;
  double scale = 0;

  hone_ref_cross_entropy (grad, losses, x, targets, mask, t, v);
  for (gsize i = 0; i < n; i++)
    {
      double keep = x[i], up, down;

      x[i] = keep + h;
      up = ce_loss (x, &d);
      x[i] = keep - h;
      down = ce_loss (x, &d);
      x[i] = keep;
      numeric[i] = (up - down) / (2 * h);
      scale = MAX (scale, fabs (numeric[i]));
    }
  for (gsize i = 0; i < n; i++)
    grad_f[i] = (float) grad[i];
  hone_gpu_test_compare ("cross-entropy dlogits (reference)", grad_f, numeric, n,
                         1e-7 + 1e-6 * scale, 1e-6);
}

static void
test_cross_entropy (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* T, V, rows per chunk */
  static const guint shapes[][3] = { { 1, 1, 1 }, { 7, 13, 3 }, { 13, 257, 5 }, { 9, 1000, 4 },
                                     { 5, 4099, 2 }, { 6, 5, 6 },
                                     { 2, 50257, 1 }, { 2, 160000, 2 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint t = shapes[i][0], v = shapes[i][1], tc = shapes[i][2];
      gsize n = (gsize) t * v;
      g_autofree float *logits = hone_gpu_test_random (rand, n, -8, 8);
      g_autofree guint32 *targets = g_new (guint32, t), *mask = g_new (guint32, t);
      g_autofree double *ld = NULL, *dref = g_new (double, n), *lref = g_new (double, t);
      g_autofree float *got_d = g_new (float, n), *got_l = NULL, *got_loss = NULL;
      g_autoptr(HoneGpuBuffer) cbuf = NULL, dbuf = NULL, tbuf = NULL, mbuf = NULL;
      g_autoptr(HoneGpuBuffer) lbuf = NULL, lossbuf = NULL, sbuf = NULL;
      g_autoptr(HoneGpuStream) stream = NULL;
      g_autoptr(GError) error = NULL;
      guint counted = 0;
      double mean, scale;

      /* A shifted row: a naive exp would overflow. */
      for (guint j = 0; j < v; j++)
        logits[(gsize) (t / 2) * v + j] += 100.0f;
      for (guint r = 0; r < t; r++)
        {
          targets[r] = (guint32) g_rand_int_range (rand, 0, (gint32) v);
          mask[r] = t == 1 || g_rand_double (rand) < 0.75;
        }
      if (t > 2)
        targets[t - 1] = v;   /* out of range: not counted */
      ld = hone_gpu_test_to_double (logits, n);
      mean = hone_ref_cross_entropy (dref, lref, ld, targets, mask, t, v);
      for (guint r = 0; r < t; r++)
        counted += mask[r] != 0 && targets[r] < v;
      scale = counted > 0 ? 1.0 / counted : 0.0;

      stream = hone_gpu_stream_new (hone_gpu_test_device (), &error);
      g_assert_no_error (error);
      tbuf = hone_gpu_test_upload (targets, t * 4);
      mbuf = hone_gpu_test_upload (mask, t * 4);
      lbuf = hone_gpu_test_upload (NULL, t * 4);
      lossbuf = hone_gpu_test_upload (NULL, 4);
      cbuf = hone_gpu_test_upload (NULL, (gsize) tc * v * 4);
      dbuf = hone_gpu_test_upload (NULL, (gsize) tc * v * 4);
      sbuf = hone_gpu_test_upload (NULL, hone_op_cross_entropy_scratch_size (tc, v));
      /* One chunk per submit, the buffers reused as a training step would. */
      for (guint row0 = 0; row0 < t; row0 += tc)
        {
          guint rows = MIN (tc, t - row0);
          g_autofree float *chunk = NULL;

          hone_gpu_buffer_upload (cbuf, 0, logits + (gsize) row0 * v, (gsize) rows * v * 4,
                                  &error);
          g_assert_no_error (error);
          hone_op_cross_entropy_chunk (stream, dbuf, lbuf, sbuf, cbuf, tbuf, mbuf, row0, rows,
                                       t, v, (float) scale, config, &error);
          g_assert_no_error (error);
          hone_gpu_stream_submit (stream, &error);
          g_assert_no_error (error);
          hone_gpu_test_check_validation ();
          chunk = hone_gpu_test_download (dbuf, (gsize) rows * v);
          memcpy (got_d + (gsize) row0 * v, chunk, (gsize) rows * v * 4);
        }
      hone_op_cross_entropy_mean (stream, lossbuf, lbuf, t, (float) scale, &error);
      g_assert_no_error (error);
      hone_gpu_stream_submit (stream, &error);
      g_assert_no_error (error);
      hone_gpu_test_check_validation ();
      got_l = hone_gpu_test_download (lbuf, t);
      got_loss = hone_gpu_test_download (lossbuf, 1);
      hone_gpu_test_compare ("cross-entropy losses", got_l, lref, t, 5e-5, 1e-5);
      hone_gpu_test_compare ("cross-entropy mean", got_loss, &mean, 1, 5e-5, 1e-5);
      hone_gpu_test_compare ("cross-entropy dlogits", got_d, dref, n, 1e-6 * scale, 1e-4);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/op/reference/cross-entropy", test_reference_gradient);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hone/op/cross-entropy/wg%u",
                                               configs[i].workgroup_size);
      g_test_add_data_func (path, &configs[i], test_cross_entropy);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
