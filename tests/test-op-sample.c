/* test-op-sample.c — decode sampling (temperature, top-k, top-p, min-p, argmax, the draw)
 * and the repetition penalty against their CPU references under two workgroup sizes.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logits uniform in [−4, 4) with a tied maximum (argmax must return the lower index).
 * Tokens must match exactly (greedy), or lie within 1e-4 of u in the reference's
 * cumulative distribution (the kernel sums in float: at V = 151936 it may draw a
 * neighbour); probabilities within 1e-6 + 1e-4·|ref|; penalised logits within 1e-7 +
 * 1e-6·|ref|. (At V = 151936 the workgroup of 5 is widened to 75: hone_op_sample.) The kernel runs twice on the same inputs and must give the
 * same token and bit-identical probabilities (determinism).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 64 }, { 5 } };

static void
test_sample (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const guint vocab[] = { 1, 7, 1000, 32003, 151936 };
  static const HoneSampling settings[] = {
    { 0.0f, 0, 1.0f, 0.0f },      /* greedy */
    { 0.7f, 0, 1.0f, 0.0f },      /* temperature */
    { 1.0f, 40, 1.0f, 0.0f },     /* top-k */
    { 1.0f, 1, 1.0f, 0.0f },      /* top-k 1 */
    { 0.8f, 0, 0.9f, 0.0f },      /* top-p */
    { 1.0f, 0, 1.0f, 0.05f },     /* min-p */
    { 0.9f, 50, 0.8f, 0.02f },    /* all of them */
  };
  static const float draws[] = { 0.0f, 0.37f, 0.999f };
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (vocab); i++)
    {
      guint v = vocab[i];
      g_autofree float *logits = hone_gpu_test_random (rand, v, -4, 4);
      g_autofree double *ld = NULL, *probs = g_new (double, v);
      g_autoptr(HoneGpuBuffer) lbuf = NULL, pbuf = NULL, tbuf = NULL, sbuf = NULL;

      if (v > 3)
        logits[3] = logits[v - 1] = 4.5f;
      ld = hone_gpu_test_to_double (logits, v);
      lbuf = hone_gpu_test_upload (logits, (gsize) v * 4);
      pbuf = hone_gpu_test_upload (NULL, (gsize) v * 4);
      tbuf = hone_gpu_test_upload (NULL, 4);
      sbuf = hone_gpu_test_upload (NULL, hone_op_sample_scratch_size (v));
      for (guint s = 0; s < G_N_ELEMENTS (settings); s++)
        for (guint d = 0; d < G_N_ELEMENTS (draws); d++)
          {
            const HoneSampling *sp = &settings[s];
            g_autoptr(HoneGpuStream) stream = NULL;
            g_autoptr(GError) error = NULL;
            g_autofree float *got_p = NULL, *again_p = NULL;
            g_autofree guint32 *got_t = NULL, *again_t = NULL;
            g_autofree char *what = g_strdup_printf ("sample V=%u T=%g k=%u p=%g min-p=%g u=%g",
                                                     v, sp->temperature, sp->top_k, sp->top_p,
                                                     sp->min_p, draws[d]);
            guint want = hone_ref_sample (probs, ld, v, sp->temperature, sp->top_k, sp->top_p,
                                          sp->min_p, draws[d]);

            stream = hone_gpu_stream_new (hone_gpu_test_device (), &error);
            g_assert_no_error (error);
            for (int run = 0; run < 2; run++)
              {
                hone_op_sample (stream, tbuf, pbuf, sbuf, lbuf, v, sp, draws[d], config, &error);
                g_assert_no_error (error);
                hone_gpu_stream_submit (stream, &error);
                g_assert_no_error (error);
                hone_gpu_test_check_validation ();
                if (run == 0)
                  {
                    got_p = hone_gpu_test_download (pbuf, v);
                    got_t = (guint32 *) hone_gpu_test_download (tbuf, 1);
                  }
                else
                  {
                    again_p = hone_gpu_test_download (pbuf, v);
                    again_t = (guint32 *) hone_gpu_test_download (tbuf, 1);
                  }
              }
            if (got_t[0] != want)
              {
                /* The kernel sums in float: near the boundary between two tokens of the
                 * reference's cumulative distribution it may draw the neighbour. Accept a
                 * token whose interval [cum, cum + p) lies within 1e-4 of u. */
                double cum = 0;

                g_test_message ("%s: token %u, reference %u", what, got_t[0], want);
                g_assert_cmpuint (got_t[0], <, v);
                g_assert_cmpfloat (sp->temperature, >, 0);
                for (guint j = 0; j < got_t[0]; j++)
                  cum += probs[j];
                g_assert_cmpfloat (probs[got_t[0]], >, 0);
                g_assert_cmpfloat (cum, <=, draws[d] + 1e-4);
                g_assert_cmpfloat (cum + probs[got_t[0]], >=, draws[d] - 1e-4);
              }
            g_assert_cmpuint (again_t[0], ==, got_t[0]);
            g_assert_cmpmem (again_p, v * 4, got_p, v * 4);
            hone_gpu_test_compare (what, got_p, probs, v, 1e-6, 1e-4);
          }
    }
}

static void
test_repetition_penalty (gconstpointer data)
{
  const HoneOpConfig *config = data;
  static const guint shapes[][2] = { { 1, 1 }, { 13, 10 }, { 37, 1000 }, { 130, 32003 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (22);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint n = shapes[i][0], v = shapes[i][1];
      g_autofree float *logits = hone_gpu_test_random (rand, v, -4, 4);
      g_autofree guint32 *ids = g_new (guint32, n);
      g_autofree double *ld = hone_gpu_test_to_double (logits, v);
      g_autofree float *got = NULL;
      g_autoptr(HoneGpuBuffer) lbuf = hone_gpu_test_upload (logits, (gsize) v * 4);
      g_autoptr(HoneGpuBuffer) ibuf = NULL;
      g_autoptr(HoneGpuStream) stream = NULL;
      g_autoptr(GError) error = NULL;

      /* Repeats (a repeated token is penalised once) and one id out of range. */
      for (guint j = 0; j < n; j++)
        ids[j] = (guint32) g_rand_int_range (rand, 0, (gint32) MIN (v, n));
      if (n > 2)
        ids[n / 2] = v + 3;
      ibuf = hone_gpu_test_upload (ids, (gsize) n * 4);
      hone_ref_repetition_penalty (ld, ids, n, v, 1.3);
      stream = hone_gpu_stream_new (hone_gpu_test_device (), &error);
      g_assert_no_error (error);
      hone_op_repetition_penalty (stream, lbuf, ibuf, n, v, 1.3f, config, &error);
      g_assert_no_error (error);
      hone_gpu_stream_submit (stream, &error);
      g_assert_no_error (error);
      hone_gpu_test_check_validation ();
      got = hone_gpu_test_download (lbuf, v);
      hone_gpu_test_compare ("repetition penalty", got, ld, v, 1e-7, 1e-6);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/op/sample/wg%u", configs[i].workgroup_size);
      g_autofree char *p2 = g_strdup_printf ("/hone/op/repetition-penalty/wg%u",
                                             configs[i].workgroup_size);
      g_test_add_data_func (p1, &configs[i], test_sample);
      g_test_add_data_func (p2, &configs[i], test_repetition_penalty);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
