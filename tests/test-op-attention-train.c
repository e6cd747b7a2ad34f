/* test-op-attention-train.c — causal attention over packed batches with grouped-query
 * heads, forward and backward, against the CPU references under two workgroup sizes; the
 * reference backward itself against central finite differences.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (q, k, v, dout uniform in [−2, 2)), |got − ref| ≤ atol + rtol·|ref|:
 *   out 2e-6 + 1e-4·|ref|, lse 1e-5 + 1e-5·|ref|,
 *   dq, dk, dv 1e-4 + 1e-4·|ref|;
 *   reference backward against central differences (step 1e-5): 1e-7 + 1e-6·|analytic|.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 8 }, { 3 } };

typedef struct
{
  guint  t, hq, hkv, d;
  guint  lengths[4];    /* the packed sequences, summing to t; 0 ends the list */
  double scale;         /* 0: 1/√D */
} Shape;

static const Shape shapes[] = {
  { 1, 4, 2, 8, { 1 }, 0 },
  { 1, 3, 1, 64, { 1 }, 0 },
  { 7, 3, 1, 8, { 7 }, 0 },
  { 7, 4, 2, 64, { 3, 4 }, 0 },
  { 7, 3, 1, 8, { 1, 5, 1 }, 0.7 },
  { 37, 4, 2, 8, { 20, 5, 12 }, 0 },
  { 37, 3, 1, 64, { 37 }, 0 },
  { 37, 3, 1, 64, { 1, 30, 6 }, 0 },
  { 37, 4, 2, 64, { 18, 19 }, 0.3 },
  { 300, 4, 2, 64, { 113, 187 }, 0 },
  /* Lavapipe (Mesa 22.3) ends an invocation's loops after about 65 535 iterations counted
   * together: 1100 positions × (1 + 2 · D/4 = 65) would pass it unless the loops over the
   * head dimension are unrolled (D/4 is a specialization constant). */
  { 1100, 1, 1, 128, { 1100 }, 0 },
};

static guint32 *
make_seq_start (const Shape *shape)
{
  guint32 *seq = g_new (guint32, MAX (shape->t, 1));
  guint pos = 0;

  for (guint s = 0; s < G_N_ELEMENTS (shape->lengths) && shape->lengths[s] > 0; s++)
    {
      for (guint i = 0; i < shape->lengths[s]; i++)
        seq[pos + i] = pos;
      pos += shape->lengths[s];
    }
  g_assert_cmpuint (pos, ==, shape->t);
  return seq;
}

static void
test_train (gconstpointer data)
{
  const HoneOpConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (52);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const Shape *shape = &shapes[s];
      guint t = shape->t, hq = shape->hq, hkv = shape->hkv, d = shape->d;
      double scale = shape->scale > 0 ? shape->scale : 1 / sqrt ((double) d);
      gsize nq = (gsize) t * hq * d, nkv = (gsize) t * hkv * d, nl = (gsize) t * hq;
      g_autofree guint32 *seq = make_seq_start (shape);
      g_autofree float *q = hone_gpu_test_random (rand, nq, -2, 2);
      g_autofree float *k = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree float *v = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree float *dout = hone_gpu_test_random (rand, nq, -2, 2);
      g_autofree double *qd = hone_gpu_test_to_double (q, nq);
      g_autofree double *kd = hone_gpu_test_to_double (k, nkv);
      g_autofree double *vd = hone_gpu_test_to_double (v, nkv);
      g_autofree double *dod = hone_gpu_test_to_double (dout, nq);
      g_autofree double *out = g_new (double, nq), *lse = g_new (double, nl);
      g_autofree double *dq = g_new (double, nq), *dk = g_new (double, nkv);
      g_autofree double *dv = g_new (double, nkv);
      g_autoptr(HoneGpuBuffer) qbuf = hone_gpu_test_upload (q, nq * 4);
      g_autoptr(HoneGpuBuffer) kbuf = hone_gpu_test_upload (k, nkv * 4);
      g_autoptr(HoneGpuBuffer) vbuf = hone_gpu_test_upload (v, nkv * 4);
      g_autoptr(HoneGpuBuffer) dobuf = hone_gpu_test_upload (dout, nq * 4);
      g_autoptr(HoneGpuBuffer) seqbuf = hone_gpu_test_upload (seq, (gsize) t * 4);
      g_autoptr(HoneGpuBuffer) obuf = hone_gpu_test_upload (NULL, nq * 4);
      g_autoptr(HoneGpuBuffer) lbuf = hone_gpu_test_upload (NULL, nl * 4);
      g_autoptr(HoneGpuBuffer) deltabuf = hone_gpu_test_upload (NULL, nl * 4);
      g_autoptr(HoneGpuBuffer) dqbuf = hone_gpu_test_upload (NULL, nq * 4);
      g_autoptr(HoneGpuBuffer) dkbuf = hone_gpu_test_upload (NULL, nkv * 4);
      g_autoptr(HoneGpuBuffer) dvbuf = hone_gpu_test_upload (NULL, nkv * 4);
      g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *got_o = NULL, *got_l = NULL, *got_dq = NULL, *got_dk = NULL;
      g_autofree float *got_dv = NULL, *again = NULL;

      g_test_message ("T %u, Hq/Hkv %u/%u, D %u, scale %g", t, hq, hkv, d, scale);
      hone_ref_attention_forward (out, lse, qd, kd, vd, seq, t, hq, hkv, d, scale);
      hone_ref_attention_backward (dq, dk, dv, qd, kd, vd, dod, seq, t, hq, hkv, d, scale);
      hone_op_attention_forward (stream, obuf, lbuf, qbuf, kbuf, vbuf, seqbuf, t, hq, hkv, d,
                                 (float) scale, config, &error);
      g_assert_no_error (error);
      hone_op_attention_backward (stream, dqbuf, dkbuf, dvbuf, deltabuf, obuf, lbuf, qbuf,
                                  kbuf, vbuf, dobuf, seqbuf, t, hq, hkv, d, (float) scale,
                                  config, &error);
      g_assert_no_error (error);
      hone_gpu_stream_submit (stream, &error);
      g_assert_no_error (error);
      hone_gpu_test_check_validation ();
      got_o = hone_gpu_test_download (obuf, nq);
      got_l = hone_gpu_test_download (lbuf, nl);
      got_dq = hone_gpu_test_download (dqbuf, nq);
      got_dk = hone_gpu_test_download (dkbuf, nkv);
      got_dv = hone_gpu_test_download (dvbuf, nkv);
      hone_gpu_test_compare ("attention forward out", got_o, out, nq, 2e-6, 1e-4);
      hone_gpu_test_compare ("attention forward lse", got_l, lse, nl, 1e-5, 1e-5);
      hone_gpu_test_compare ("attention backward dq", got_dq, dq, nq, 1e-4, 1e-4);
      hone_gpu_test_compare ("attention backward dk", got_dk, dk, nkv, 1e-4, 1e-4);
      hone_gpu_test_compare ("attention backward dv", got_dv, dv, nkv, 1e-4, 1e-4);

      /* Deterministic: a second backward gives the same bits. */
      hone_gpu_stream_fill (stream, dkbuf, 0, 0, 0);
      hone_op_attention_backward (stream, dqbuf, dkbuf, dvbuf, deltabuf, obuf, lbuf, qbuf,
                                  kbuf, vbuf, dobuf, seqbuf, t, hq, hkv, d, (float) scale,
                                  config, &error);
      g_assert_no_error (error);
      hone_gpu_stream_submit (stream, &error);
      g_assert_no_error (error);
      hone_gpu_test_check_validation ();
      again = hone_gpu_test_download (dkbuf, nkv);
      g_assert_cmpmem (again, nkv * 4, got_dk, nkv * 4);
    }
}

/* L = Σ dout·out; its gradient from hone_ref_attention_backward against central
 * differences of hone_ref_attention_forward. */
static double
loss (const double  *q,
      const double  *k,
      const double  *v,
      const double  *dout,
      const guint32 *seq,
      const Shape   *shape,
      double         scale)
{
  gsize nq = (gsize) shape->t * shape->hq * shape->d;
  g_autofree double *out = g_new (double, nq);
  g_autofree double *lse = g_new (double, (gsize) shape->t * shape->hq);
  double l = 0;

  hone_ref_attention_forward (out, lse, q, k, v, seq, shape->t, shape->hq, shape->hkv,
                              shape->d, scale);
  for (gsize i = 0; i < nq; i++)
    l += dout[i] * out[i];
  return l;
}

static void
test_reference_gradient (void)
{
  static const Shape cases[] = { { 6, 4, 2, 4, { 2, 4 }, 0.7 },
                                 { 5, 3, 1, 8, { 1, 3, 1 }, 0 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (53);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const Shape *shape = &cases[c];
      guint t = shape->t, hq = shape->hq, hkv = shape->hkv, d = shape->d;
      double scale = shape->scale > 0 ? shape->scale : 1 / sqrt ((double) d);
      gsize nq = (gsize) t * hq * d, nkv = (gsize) t * hkv * d;
      g_autofree guint32 *seq = make_seq_start (shape);
      g_autofree float *qf = hone_gpu_test_random (rand, nq, -2, 2);
      g_autofree float *kf = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree float *vf = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree float *dof = hone_gpu_test_random (rand, nq, -2, 2);
      g_autofree double *q = hone_gpu_test_to_double (qf, nq);
      g_autofree double *k = hone_gpu_test_to_double (kf, nkv);
      g_autofree double *v = hone_gpu_test_to_double (vf, nkv);
      g_autofree double *dout = hone_gpu_test_to_double (dof, nq);
      g_autofree double *dq = g_new (double, nq), *dk = g_new (double, nkv);
      g_autofree double *dv = g_new (double, nkv);
      double *inputs[3] = { q, k, v };
      double *grads[3] = { dq, dk, dv };
      gsize sizes[3] = { nq, nkv, nkv };
      const double step = 1e-5;

      hone_ref_attention_backward (dq, dk, dv, q, k, v, dout, seq, t, hq, hkv, d, scale);
      for (guint which = 0; which < 3; which++)
        for (gsize i = 0; i < sizes[which]; i++)
          {
            double keep = inputs[which][i], plus, minus, fd, an = grads[which][i];

            inputs[which][i] = keep + step;
            plus = loss (q, k, v, dout, seq, shape, scale);
            inputs[which][i] = keep - step;
            minus = loss (q, k, v, dout, seq, shape, scale);
            inputs[which][i] = keep;
            fd = (plus - minus) / (2 * step);
            if (fabs (fd - an) > 1e-7 + 1e-6 * fabs (an))
              g_error ("reference gradient %s[%zu]: analytic %.12g, differences %.12g",
                       (const char *[]) { "dq", "dk", "dv" }[which], i, an, fd);
          }
    }
}

static void
test_unsupported (void)
{
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(HoneGpuBuffer) buf = NULL;
  g_autoptr(GError) error = NULL;

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
  buf = hone_gpu_test_upload (NULL, 4096);
  /* D not a multiple of 4; Hq not a multiple of Hkv; T too long for the group. */
  g_assert_false (hone_op_attention_forward (stream, buf, buf, buf, buf, buf, buf, 2, 2, 1,
                                             6, 1, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (hone_op_attention_forward (stream, buf, buf, buf, buf, buf, buf, 2, 3, 2,
                                             4, 1, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* T · Hq/Hkv over lavapipe's loop limit (the dk/dv pass walks T queries × the group). */
  g_assert_false (hone_op_attention_backward (stream, buf, buf, buf, buf, buf, buf, buf, buf,
                                              buf, buf, buf, 20000, 8, 2, 64, 1, NULL,
                                              &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/op/attention-train/reference-gradient", test_reference_gradient);
  g_test_add_func ("/hone/op/attention-train/unsupported", test_unsupported);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hone/op/attention-train/wg%u",
                                               configs[i].workgroup_size);
      g_test_add_data_func (path, &configs[i], test_train);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
