/* test-op-attention.c — decode attention (one query against a KV cache, grouped-query
 * heads) against its CPU reference under two workgroup sizes.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (q, K, V uniform in [−2, 2)): out 2e-6 + 1e-4·|ref|, lse 1e-5 + 1e-5·|ref|.
 */
#include "config.h"

#include <math.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

static const HoneOpConfig configs[] = { { 8 }, { 3 } };

static void
test_decode (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* H, Hkv, D, S */
  static const guint shapes[][4] = { { 1, 1, 4, 1 }, { 4, 2, 8, 7 }, { 6, 3, 12, 33 },
                                     { 8, 2, 64, 129 }, { 4, 1, 128, 3001 },
                                     { 2, 1, 64, 20011 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (51);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint h = shapes[i][0], hkv = shapes[i][1], d = shapes[i][2], s = shapes[i][3];
      gsize nq = (gsize) h * d, nkv = (gsize) s * hkv * d;
      g_autofree float *q = hone_gpu_test_random (rand, nq, -2, 2);
      g_autofree float *k = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree float *v = hone_gpu_test_random (rand, nkv, -2, 2);
      g_autofree double *qd = hone_gpu_test_to_double (q, nq);
      g_autofree double *kd = hone_gpu_test_to_double (k, nkv);
      g_autofree double *vd = hone_gpu_test_to_double (v, nkv);
      g_autofree double *out = g_new (double, nq), *lse = g_new (double, h);
      g_autoptr(HoneGpuBuffer) qbuf = hone_gpu_test_upload (q, nq * 4);
      g_autoptr(HoneGpuBuffer) kbuf = hone_gpu_test_upload (k, nkv * 4);
      g_autoptr(HoneGpuBuffer) vbuf = hone_gpu_test_upload (v, nkv * 4);
      g_autoptr(HoneGpuBuffer) obuf = hone_gpu_test_upload (NULL, nq * 4);
      g_autoptr(HoneGpuBuffer) lbuf = hone_gpu_test_upload (NULL, h * 4);
      g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (hone_gpu_test_device (), NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *got_o = NULL, *got_l = NULL;

      hone_ref_attention_decode (out, lse, qd, kd, vd, h, hkv, d, s);
      hone_op_attention_decode (stream, obuf, lbuf, qbuf, kbuf, vbuf, h, hkv, d, s, config,
                                &error);
      g_assert_no_error (error);
      hone_gpu_stream_submit (stream, &error);
      g_assert_no_error (error);
      hone_gpu_test_check_validation ();
      got_o = hone_gpu_test_download (obuf, nq);
      got_l = hone_gpu_test_download (lbuf, h);
      hone_gpu_test_compare ("attention decode out", got_o, out, nq, 2e-6, 1e-4);
      hone_gpu_test_compare ("attention decode lse", got_l, lse, h, 1e-5, 1e-5);
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
      g_autofree char *path = g_strdup_printf ("/hone/op/attention-decode/wg%u",
                                               configs[i].workgroup_size);
      g_test_add_data_func (path, &configs[i], test_decode);
    }
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
