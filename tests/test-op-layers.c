/* test-op-layers.c — residual add, SwiGLU, RMSNorm, RoPE, embedding and AdamW against their CPU
 * references, forward and backward, under two workgroup sizes; and the backward
 * references themselves against central finite differences in double.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (|err| ≤ atol + rtol·|ref|, inputs uniform in [−2, 2)):
 *   add 1e-7 + 1e-6; SwiGLU 1e-6 + 1e-5; RMSNorm 1e-5 + 1e-4; RoPE (positions < 64)
 *   2e-5 + 1e-5; embedding forward exact, backward 1e-6·(1 + T/64) + 1e-6 (T sums of up
 *   to T terms in f32); AdamW (3 steps)
 *   parameters 1e-6 + 1e-5, moments 1e-7 / 1e-8 + 1e-5.
 *   Finite differences (h = 1e-5): 1e-7 + 1e-6 relative to the gradient.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 64 }, { 16 } };

#define SKIP_WITHOUT_DEVICE() \
  G_STMT_START { \
    if (hone_gpu_test_device () == NULL) \
      { \
        g_test_skip (hone_gpu_test_skip_reason ()); \
        return; \
      } \
  } G_STMT_END

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

/* ---- finite differences of the references ---- */

typedef double (*LossFunc) (const double *x, gpointer data);

static void
check_gradient (const char *what,
                double     *x,
                gsize       n,
                const double *grad,
                LossFunc    loss,
                gpointer    data)
{
  const double h = 1e-5;
  g_autofree double *numeric = g_new (double, n);
  g_autofree float *grad_f = g_new (float, n);
  double scale = 0;

  for (gsize i = 0; i < n; i++)
    {
      double keep = x[i], up, down;
      x[i] = keep + h;
      up = loss (x, data);
      x[i] = keep - h;
      down = loss (x, data);
      x[i] = keep;
      numeric[i] = (up - down) / (2 * h);
      scale = MAX (scale, fabs (numeric[i]));
    }
  for (gsize i = 0; i < n; i++)
    grad_f[i] = (float) grad[i];
  /* grad_f is the analytic gradient rounded to float: compare within float precision. */
  hone_gpu_test_compare (what, grad_f, numeric, n, 1e-7 + 1e-6 * scale, 1e-6);
}

typedef struct
{
  gsize n;
  guint t, c, h, d, v;
  const double *other;   /* the input held fixed */
  const double *dy;
  const guint32 *ids;
  gboolean which;        /* for two-input functions: differentiate the second */
  gboolean neox;
} FdData;

static double
dot (const double *a, const double *b, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

static double
swiglu_loss (const double *x, gpointer data)
{
  FdData *d = data;
  g_autofree double *h = g_new (double, d->n);

  if (d->which)
    hone_ref_swiglu_forward (h, d->other, x, d->n);
  else
    hone_ref_swiglu_forward (h, x, d->other, d->n);
  return dot (h, d->dy, d->n);
}

static double
rmsnorm_loss (const double *x, gpointer data)
{
  FdData *d = data;
  gsize n = (gsize) d->t * d->c;
  g_autofree double *y = g_new (double, n);
  g_autofree double *rstd = g_new (double, d->t);

  if (d->which)
    hone_ref_rmsnorm_forward (y, rstd, d->other, x, d->t, d->c, 1e-5);
  else
    hone_ref_rmsnorm_forward (y, rstd, x, d->other, d->t, d->c, 1e-5);
  return dot (y, d->dy, n);
}

static double
rope_loss (const double *x, gpointer data)
{
  FdData *d = data;
  gsize n = (gsize) d->t * d->h * d->d;
  g_autofree double *y = g_new (double, n);

  hone_ref_rope (y, x, d->ids, d->t, d->h, d->d, 10000.0, d->neox, 1.0);
  return dot (y, d->dy, n);
}

static double
embed_loss (const double *w, gpointer data)
{
  FdData *d = data;
  gsize n = (gsize) d->t * d->c;
  g_autofree double *out = g_new (double, n);

  hone_ref_embed_forward (out, d->ids, w, d->t, d->c, d->v);
  return dot (out, d->dy, n);
}

static void
test_reference_gradients (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  guint t = 3, c = 7, h = 2, dd = 6, v = 5;
  gsize n = (gsize) t * c;
  g_autofree float *xf = hone_gpu_test_random (rand, n, -2, 2);
  g_autofree float *uf = hone_gpu_test_random (rand, n, -2, 2);
  g_autofree float *dyf = hone_gpu_test_random (rand, n, -2, 2);
  g_autofree float *wf = hone_gpu_test_random (rand, c, 0.5, 1.5);
  g_autofree double *x = hone_gpu_test_to_double (xf, n);
  g_autofree double *u = hone_gpu_test_to_double (uf, n);
  g_autofree double *dy = hone_gpu_test_to_double (dyf, n);
  g_autofree double *w = hone_gpu_test_to_double (wf, c);
  g_autofree double *g1 = g_new0 (double, n), *g2 = g_new0 (double, MAX (n, (gsize) v * c));
  guint32 ids[] = { 4, 1, 4 };
  guint32 pos[] = { 0, 5, 2 };
  FdData d = { .n = n, .t = t, .c = c, .dy = dy };

  /* SwiGLU */
  hone_ref_swiglu_backward (g1, g2, x, u, dy, n);
  d.other = u;
  d.which = FALSE;
  check_gradient ("swiglu dg", x, n, g1, swiglu_loss, &d);
  d.other = x;
  d.which = TRUE;
  check_gradient ("swiglu du", u, n, g2, swiglu_loss, &d);

  /* RMSNorm */
  memset (g2, 0, sizeof (double) * c);
  hone_ref_rmsnorm_backward (g1, g2, x, w, dy, t, c, 1e-5);
  d.other = w;
  d.which = FALSE;
  check_gradient ("rmsnorm dx", x, n, g1, rmsnorm_loss, &d);
  d.other = x;
  d.which = TRUE;
  check_gradient ("rmsnorm dw", w, c, g2, rmsnorm_loss, &d);

  /* RoPE, both styles: (T=3, H=2, D=6) uses 36 elements of x, u, dy (n = 21 < 36, so
   * build fresh arrays). */
  for (int neox = 0; neox < 2; neox++)
    {
      gsize nr = (gsize) t * h * dd;
      g_autofree float *rf = hone_gpu_test_random (rand, nr, -2, 2);
      g_autofree float *rdf = hone_gpu_test_random (rand, nr, -2, 2);
      g_autofree double *rx = hone_gpu_test_to_double (rf, nr);
      g_autofree double *rdy = hone_gpu_test_to_double (rdf, nr);
      g_autofree double *rg = g_new (double, nr);
      FdData rd = { .t = t, .h = h, .d = dd, .dy = rdy, .ids = pos, .neox = neox };

      hone_ref_rope (rg, rdy, pos, t, h, dd, 10000.0, neox, -1.0);
      check_gradient (neox ? "rope neox dx" : "rope normal dx", rx, nr, rg, rope_loss, &rd);
    }

  /* Embedding */
  {
    gsize nw = (gsize) v * c;
    g_autofree float *ef = hone_gpu_test_random (rand, nw, -2, 2);
    g_autofree double *ew = hone_gpu_test_to_double (ef, nw);
    g_autofree double *eg = g_new0 (double, nw);
    FdData ed = { .t = t, .c = c, .v = v, .dy = dy, .ids = ids };

    hone_ref_embed_backward (eg, ids, dy, t, c, v);
    check_gradient ("embed dw", ew, nw, eg, embed_loss, &ed);
  }
}

/* ---- GPU against the references ---- */

static void
test_add (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const gsize sizes[] = { 1, 3, 4, 5, 257, 4099, 65537 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize n = sizes[i];
      g_autofree float *a = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *b = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree double *ad = hone_gpu_test_to_double (a, n);
      g_autofree double *bd = hone_gpu_test_to_double (b, n);
      g_autofree double *ref = g_new (double, n);
      g_autoptr(HoneGpuBuffer) abuf = hone_gpu_test_upload (a, n * 4);
      g_autoptr(HoneGpuBuffer) bbuf = hone_gpu_test_upload (b, n * 4);
      g_autoptr(HoneGpuBuffer) out = hone_gpu_test_upload (NULL, n * 4 + 4);
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got = NULL;
      float sentinel = 1234.5f;

      /* A sentinel after the last element must survive. */
      hone_gpu_buffer_upload (out, n * 4, &sentinel, 4, &error);
      g_assert_no_error (error);
      hone_ref_add (ref, ad, bd, n);
      hone_op_add (stream, out, abuf, bbuf, n, config, &error);
      g_assert_no_error (error);
      /* In place, into a (after the first add read it: a barrier). */
      hone_op_add (stream, abuf, abuf, bbuf, n, config, &error);
      g_assert_no_error (error);
      submit (stream);
      got = hone_gpu_test_download (out, n + 1);
      hone_gpu_test_compare ("add", got, ref, n, 1e-7, 1e-6);
      g_assert_cmpfloat (got[n], ==, sentinel);
      g_free (got);
      got = hone_gpu_test_download (abuf, n);
      hone_gpu_test_compare ("add in place", got, ref, n, 1e-7, 1e-6);
    }
}

static void
test_swiglu (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const gsize sizes[] = { 1, 2, 7, 64, 1031, 30011 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize n = sizes[i];
      g_autofree float *g = hone_gpu_test_random (rand, n, -6, 6);
      g_autofree float *u = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *dh = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree double *gd = hone_gpu_test_to_double (g, n);
      g_autofree double *ud = hone_gpu_test_to_double (u, n);
      g_autofree double *dhd = hone_gpu_test_to_double (dh, n);
      g_autofree double *h = g_new (double, n), *dg = g_new (double, n), *du = g_new (double, n);
      g_autoptr(HoneGpuBuffer) gbuf = hone_gpu_test_upload (g, n * 4);
      g_autoptr(HoneGpuBuffer) ubuf = hone_gpu_test_upload (u, n * 4);
      g_autoptr(HoneGpuBuffer) dhbuf = hone_gpu_test_upload (dh, n * 4);
      g_autoptr(HoneGpuBuffer) hbuf = hone_gpu_test_upload (NULL, n * 4);
      g_autoptr(HoneGpuBuffer) dgbuf = hone_gpu_test_upload (NULL, n * 4);
      g_autoptr(HoneGpuBuffer) dubuf = hone_gpu_test_upload (NULL, n * 4);
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got_h = NULL, *got_dg = NULL, *got_du = NULL;

      hone_ref_swiglu_forward (h, gd, ud, n);
      hone_ref_swiglu_backward (dg, du, gd, ud, dhd, n);
      hone_op_swiglu_forward (stream, hbuf, gbuf, ubuf, n, config, &error);
      g_assert_no_error (error);
      hone_op_swiglu_backward (stream, dgbuf, dubuf, gbuf, ubuf, dhbuf, n, config, &error);
      g_assert_no_error (error);
      submit (stream);
      got_h = hone_gpu_test_download (hbuf, n);
      got_dg = hone_gpu_test_download (dgbuf, n);
      got_du = hone_gpu_test_download (dubuf, n);
      hone_gpu_test_compare ("swiglu h", got_h, h, n, 1e-6, 1e-5);
      hone_gpu_test_compare ("swiglu dg", got_dg, dg, n, 1e-6, 1e-5);
      hone_gpu_test_compare ("swiglu du", got_du, du, n, 1e-6, 1e-5);
    }
}

static void
test_rmsnorm (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* 70001 and 66000 rows: past lavapipe's loop limit for the weight gradient, which sums
   * over rows (it failed before the rows were split over dispatches). */
  static const guint shapes[][2] = { { 1, 1 }, { 3, 7 }, { 5, 64 }, { 17, 130 }, { 2, 2051 },
                                     { 70001, 3 }, { 66000, 8 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint t = shapes[i][0], c = shapes[i][1];
      gsize n = (gsize) t * c;
      g_autofree float *x = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *w = hone_gpu_test_random (rand, c, 0.5, 1.5);
      g_autofree float *dy = hone_gpu_test_random (rand, n, -2, 2);
      g_autofree float *dw0 = hone_gpu_test_random (rand, c, -1, 1);
      g_autofree double *xd = hone_gpu_test_to_double (x, n);
      g_autofree double *wd = hone_gpu_test_to_double (w, c);
      g_autofree double *dyd = hone_gpu_test_to_double (dy, n);
      g_autofree double *dw = hone_gpu_test_to_double (dw0, c);
      g_autofree double *y = g_new (double, n), *rstd = g_new (double, t);
      g_autofree double *dx = g_new (double, n);
      g_autoptr(HoneGpuBuffer) xbuf = hone_gpu_test_upload (x, n * 4);
      g_autoptr(HoneGpuBuffer) wbuf = hone_gpu_test_upload (w, c * 4);
      g_autoptr(HoneGpuBuffer) dybuf = hone_gpu_test_upload (dy, n * 4);
      g_autoptr(HoneGpuBuffer) dwbuf = hone_gpu_test_upload (dw0, c * 4);
      g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (NULL, n * 4);
      g_autoptr(HoneGpuBuffer) rbuf = hone_gpu_test_upload (NULL, t * 4);
      g_autoptr(HoneGpuBuffer) dxbuf = hone_gpu_test_upload (NULL, n * 4);
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got_y = NULL, *got_r = NULL, *got_dx = NULL, *got_dw = NULL;

      hone_ref_rmsnorm_forward (y, rstd, xd, wd, t, c, 1e-5);
      hone_ref_rmsnorm_backward (dx, dw, xd, wd, dyd, t, c, 1e-5);
      hone_op_rmsnorm_forward (stream, ybuf, rbuf, xbuf, wbuf, t, c, 1e-5f, config, &error);
      g_assert_no_error (error);
      hone_op_rmsnorm_backward (stream, dxbuf, dwbuf, rbuf, xbuf, wbuf, dybuf, t, c, config,
                                &error);
      g_assert_no_error (error);
      submit (stream);
      got_y = hone_gpu_test_download (ybuf, n);
      got_r = hone_gpu_test_download (rbuf, t);
      got_dx = hone_gpu_test_download (dxbuf, n);
      got_dw = hone_gpu_test_download (dwbuf, c);
      hone_gpu_test_compare ("rmsnorm y", got_y, y, n, 1e-5, 1e-4);
      hone_gpu_test_compare ("rmsnorm rstd", got_r, rstd, t, 1e-5, 1e-4);
      hone_gpu_test_compare ("rmsnorm dx", got_dx, dx, n, 1e-5, 1e-4);
      hone_gpu_test_compare ("rmsnorm dw (accumulated)", got_dw, dw, c, 1e-5 * t, 1e-4);
    }
}

static void
test_rope (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const guint shapes[][3] = { { 1, 1, 2 }, { 3, 2, 6 }, { 7, 3, 64 }, { 5, 4, 10 },
                                     { 13, 5, 128 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    for (int neox = 0; neox < 2; neox++)
      {
        guint t = shapes[i][0], h = shapes[i][1], d = shapes[i][2];
        gsize n = (gsize) t * h * d;
        g_autofree float *x = hone_gpu_test_random (rand, n, -2, 2);
        g_autofree float *dy = hone_gpu_test_random (rand, n, -2, 2);
        g_autofree guint32 *pos = g_new (guint32, t);
        g_autofree double *xd = hone_gpu_test_to_double (x, n);
        g_autofree double *dyd = hone_gpu_test_to_double (dy, n);
        g_autofree double *y = g_new (double, n), *dx = g_new (double, n);
        g_autoptr(HoneGpuBuffer) xbuf = NULL, dybuf = NULL, pbuf = NULL, ybuf = NULL;
        g_autoptr(HoneGpuStream) stream = new_stream ();
        g_autoptr(GError) error = NULL;
        g_autofree float *got_y = NULL, *got_dx = NULL;
        HoneRopeStyle style = neox ? HONE_ROPE_NEOX : HONE_ROPE_NORMAL;

        /* Packed sequences: positions restart at 0 partway. */
        for (guint r = 0; r < t; r++)
          pos[r] = r < t / 2 ? r : (guint32) g_rand_int_range (rand, 0, 64);
        xbuf = hone_gpu_test_upload (x, n * 4);
        dybuf = hone_gpu_test_upload (dy, n * 4);
        pbuf = hone_gpu_test_upload (pos, t * 4);
        ybuf = hone_gpu_test_upload (NULL, n * 4);
        hone_ref_rope (y, xd, pos, t, h, d, 10000.0, neox, 1.0);
        hone_ref_rope (dx, dyd, pos, t, h, d, 10000.0, neox, -1.0);
        hone_op_rope_forward (stream, ybuf, xbuf, pbuf, t, h, d, 10000.0f, style, config, &error);
        g_assert_no_error (error);
        /* Backward in place. */
        hone_op_rope_backward (stream, dybuf, dybuf, pbuf, t, h, d, 10000.0f, style, config,
                               &error);
        g_assert_no_error (error);
        submit (stream);
        got_y = hone_gpu_test_download (ybuf, n);
        got_dx = hone_gpu_test_download (dybuf, n);
        hone_gpu_test_compare (neox ? "rope neox y" : "rope normal y", got_y, y, n, 2e-5, 1e-5);
        hone_gpu_test_compare (neox ? "rope neox dx" : "rope normal dx", got_dx, dx, n, 2e-5,
                               1e-5);
      }
}

static void
test_embed (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* C % 4 == 0 takes the vec4 kernels. 70001 tokens: past lavapipe's loop limit for the
   * scatter-add, which walks the tokens (it failed before they were split over dispatches). */
  static const guint shapes[][3] = { { 1, 1, 1 }, { 7, 5, 3 }, { 33, 17, 11 }, { 64, 130, 40 },
                                     { 29, 12, 7 }, { 3, 4, 2 }, { 70001, 3, 5 },
                                     { 70001, 8, 5 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint t = shapes[i][0], c = shapes[i][1], v = shapes[i][2];
      g_autofree float *w = hone_gpu_test_random (rand, (gsize) v * c, -2, 2);
      g_autofree float *dout = hone_gpu_test_random (rand, (gsize) t * c, -2, 2);
      g_autofree float *dw0 = hone_gpu_test_random (rand, (gsize) v * c, -1, 1);
      g_autofree guint32 *ids = g_new (guint32, t);
      g_autofree double *wd = hone_gpu_test_to_double (w, (gsize) v * c);
      g_autofree double *doutd = hone_gpu_test_to_double (dout, (gsize) t * c);
      g_autofree double *dw = hone_gpu_test_to_double (dw0, (gsize) v * c);
      g_autofree double *out = g_new (double, (gsize) t * c);
      g_autoptr(HoneGpuBuffer) wbuf = NULL, dbuf = NULL, dwbuf = NULL, ibuf = NULL, obuf = NULL;
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autoptr(GError) error = NULL;
      g_autofree float *got = NULL, *got_dw = NULL;

      /* Repeated ids, and one out of range (a row of zeros, no gradient). */
      for (guint r = 0; r < t; r++)
        ids[r] = (guint32) g_rand_int_range (rand, 0, (gint32) v);
      if (t > 3)
        ids[t - 1] = v + 7;
      wbuf = hone_gpu_test_upload (w, (gsize) v * c * 4);
      dbuf = hone_gpu_test_upload (dout, (gsize) t * c * 4);
      dwbuf = hone_gpu_test_upload (dw0, (gsize) v * c * 4);
      ibuf = hone_gpu_test_upload (ids, t * 4);
      obuf = hone_gpu_test_upload (NULL, (gsize) t * c * 4);
      hone_ref_embed_forward (out, ids, wd, t, c, v);
      hone_ref_embed_backward (dw, ids, doutd, t, c, v);
      hone_op_embed_forward (stream, obuf, ibuf, wbuf, t, c, v, config, &error);
      g_assert_no_error (error);
      hone_op_embed_backward (stream, dwbuf, ibuf, dbuf, t, c, v, config, &error);
      g_assert_no_error (error);
      submit (stream);
      got = hone_gpu_test_download (obuf, (gsize) t * c);
      got_dw = hone_gpu_test_download (dwbuf, (gsize) v * c);
      hone_gpu_test_compare ("embed forward", got, out, (gsize) t * c, 0, 0);
      /* dW adds up to T terms in f32, one at a time */
      hone_gpu_test_compare ("embed backward", got_dw, dw, (gsize) v * c, 1e-6 * (1 + t / 64),
                             1e-6);
    }
}

static void
test_adamw (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const gsize sizes[] = { 1, 5, 8, 1031 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize n = sizes[i];
      g_autofree float *p = hone_gpu_test_random (rand, n, -1, 1);
      g_autofree float *zeros = g_new0 (float, n);
      g_autofree double *pd = hone_gpu_test_to_double (p, n);
      g_autofree double *md = g_new0 (double, n), *vd = g_new0 (double, n);
      g_autoptr(HoneGpuBuffer) pbuf = hone_gpu_test_upload (p, n * 4);
      g_autoptr(HoneGpuBuffer) mbuf = hone_gpu_test_upload (zeros, n * 4);
      g_autoptr(HoneGpuBuffer) vbuf = hone_gpu_test_upload (zeros, n * 4);
      g_autoptr(HoneGpuStream) stream = new_stream ();
      g_autofree float *got_p = NULL, *got_m = NULL, *got_v = NULL;
      HoneGpuBuffer *grads[3];

      /* Three steps in one stream: each reads what the one before wrote. */
      for (guint step = 1; step <= 3; step++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree float *g = hone_gpu_test_random (rand, n, -1, 1);
          g_autofree double *gd = hone_gpu_test_to_double (g, n);
          HoneAdamW hyper = { 1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f, step, step == 2 ? 0.5f : 1.0f };

          grads[step - 1] = hone_gpu_test_upload (g, n * 4);
          hone_ref_adamw (pd, md, vd, gd, n, hyper.lr, hyper.beta1, hyper.beta2, hyper.eps,
                          hyper.weight_decay, step, step == 2 ? 0.5 : 1.0);
          hone_op_adamw (stream, pbuf, mbuf, vbuf, grads[step - 1], n, &hyper, config, &error);
          g_assert_no_error (error);
        }
      submit (stream);
      for (guint step = 0; step < 3; step++)
        hone_gpu_buffer_free (grads[step]);
      got_p = hone_gpu_test_download (pbuf, n);
      got_m = hone_gpu_test_download (mbuf, n);
      got_v = hone_gpu_test_download (vbuf, n);
      /* The parameters move by about lr per step: 1e-6 absolute is 1e-4 of a step. */
      hone_gpu_test_compare ("adamw p", got_p, pd, n, 1e-6, 1e-5);
      hone_gpu_test_compare ("adamw m", got_m, md, n, 1e-7, 1e-5);
      hone_gpu_test_compare ("adamw v", got_v, vd, n, 1e-8, 1e-5);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/op/reference/gradients", test_reference_gradients);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      struct { const char *name; GTestDataFunc func; } tests[] = {
        { "add", test_add }, { "swiglu", test_swiglu }, { "rmsnorm", test_rmsnorm },
        { "rope", test_rope }, { "embed", test_embed }, { "adamw", test_adamw },
      };
      for (guint j = 0; j < G_N_ELEMENTS (tests); j++)
        {
          g_autofree char *path = g_strdup_printf ("/hone/op/%s/wg%u", tests[j].name,
                                                   configs[i].workgroup_size);
          g_test_add_data_func (path, &configs[i], tests[j].func);
        }
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
