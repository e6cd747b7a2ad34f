/* test-op-matmul.c — matmul against its CPU reference, every transpose, both variants.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inputs uniform in [−1, 1). Bound: |err| ≤ 1e-6·K + 1e-5·|ref| (f32 accumulation over K
 * terms of magnitude ≤ 1 loses at most a few ulps per add). f16 weights are compared with a
 * reference that uses the same f16-rounded weights, under the same bound.
 */
#include "config.h"

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

typedef struct
{
  guint m, n, k;
} Shape;

static const Shape shapes[] = {
  { 1, 1, 1 }, { 1, 7, 3 }, { 5, 1, 9 }, { 7, 13, 5 }, { 17, 31, 19 }, { 13, 12, 8 },
  { 32, 48, 64 }, { 20, 36, 28 }, { 9, 68, 12 }, { 64, 40, 37 }, { 67, 129, 44 },
  /* decode (matvec with the texel variant, x·Wᵀ) */
  { 1, 37, 64 }, { 3, 19, 16 }, { 4, 130, 8 }, { 2, 77, 1032 }, { 1, 65, 4096 },
};

static const HoneMatmulConfig configs[] = {
  { HONE_MATMUL_TEXEL, 16, 2, 0, 0, 0 },
  { HONE_MATMUL_TEXEL, 4, 8, 0, 0, 0 },
  { HONE_MATMUL_TILED, 16, 16, 4, 4, 16 },
  { HONE_MATMUL_TILED, 8, 4, 2, 3, 5 },
};

typedef struct
{
  guint     config;
  HoneDtype b_dtype;
} Case;

static void
run_one (const Shape            *s,
         gboolean                ta,
         gboolean                tb,
         HoneDtype               b_dtype,
         const HoneMatmulConfig *config,
         guint                   batch,
         float                   beta,
         GRand                  *rand)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  gsize na = (gsize) s->m * s->k, nb = (gsize) s->k * s->n, nc = (gsize) s->m * s->n;
  g_autofree float *a = hone_gpu_test_random (rand, na * batch, -1, 1);
  g_autofree float *b = hone_gpu_test_random (rand, nb * batch, -1, 1);
  g_autofree float *c0 = hone_gpu_test_random (rand, nc * batch, -1, 1);
  g_autofree guint16 *b16 = g_new (guint16, nb * batch);
  g_autofree double *ad = NULL, *bd = NULL, *cd = NULL;
  g_autoptr(HoneGpuBuffer) abuf = NULL, bbuf = NULL, cbuf = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *got = NULL;
  g_autofree char *what = NULL;

  if (b_dtype == HONE_DTYPE_F16)
    for (gsize i = 0; i < nb * batch; i++)
      {
        b16[i] = hone_gpu_test_float_to_half (b[i]);
        b[i] = hone_gpu_test_half_to_float (b16[i]);
      }
  ad = hone_gpu_test_to_double (a, na * batch);
  bd = hone_gpu_test_to_double (b, nb * batch);
  cd = hone_gpu_test_to_double (c0, nc * batch);
  for (guint i = 0; i < batch; i++)
    hone_ref_matmul (cd + i * nc, ad + i * na, bd + i * nb, s->m, s->n, s->k, ta, tb, 1.0, beta);

  abuf = hone_gpu_test_upload (a, na * batch * 4);
  bbuf = b_dtype == HONE_DTYPE_F16 ? hone_gpu_test_upload (b16, nb * batch * 2)
                                   : hone_gpu_test_upload (b, nb * batch * 4);
  cbuf = hone_gpu_test_upload (c0, nc * batch * 4);
  stream = hone_gpu_stream_new (device, &error);
  g_assert_no_error (error);
  {
    HoneMatrix am = { abuf, 0, HONE_DTYPE_F32, ta, 0, na };
    HoneMatrix bm = { bbuf, 0, b_dtype, tb, 0, nb };
    HoneMatrix cm = { cbuf, 0, HONE_DTYPE_F32, FALSE, 0, nc };
    hone_op_matmul (stream, &cm, &am, &bm, s->m, s->n, s->k, batch, 1.0f, beta, config, &error);
    g_assert_no_error (error);
  }
  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  got = hone_gpu_test_download (cbuf, nc * batch);
  what = g_strdup_printf ("%s %ux%ux%u %c%c %s wg %ux%u batch %u beta %g",
                          config->variant == HONE_MATMUL_TEXEL ? "texel" : "tiled",
                          s->m, s->n, s->k, ta ? 't' : 'n', tb ? 't' : 'n',
                          b_dtype == HONE_DTYPE_F16 ? "f16" : "f32", config->wg_x, config->wg_y,
                          batch, beta);
  hone_gpu_test_compare (what, got, cd, nc * batch, 1e-6 * s->k + 1e-6, 1e-5);
  hone_gpu_test_check_validation ();
}

static void
test_matmul (gconstpointer data)
{
  const Case *cs = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42 + cs->config);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  /* f16 is for weights (B), with A as activations: x·W and x·Wᵀ. Each new texel format
   * costs lavapipe a shader recompile, so the f16 runs keep to those two layouts. */
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    for (guint t = 0; t < 4; t += cs->b_dtype == HONE_DTYPE_F16 ? 2 : 1)
      run_one (&shapes[i], t & 1, (t >> 1) & 1, cs->b_dtype, &configs[cs->config], 1, 0.0f,
               rand);
  /* Accumulation into C (gradients) and batches. */
  run_one (&shapes[4], FALSE, TRUE, cs->b_dtype, &configs[cs->config], 1, 1.0f, rand);
  run_one (&shapes[7], cs->b_dtype == HONE_DTYPE_F32, FALSE, cs->b_dtype, &configs[cs->config], 3, 0.5f, rand);
}

/* Lavapipe (Mesa 22.3) silently ends a shader's loops once an invocation has run about
 * 65 535 iterations in all (nested and consecutive loops counted together): a K that long
 * must still give the whole sum. K odd takes the one-element-per-fetch variant. */
static void
test_matmul_long_k (gconstpointer data)
{
  const HoneMatmulConfig *config = data;
  static const Shape long_shapes[] = { { 2, 9, 70001 }, { 4, 8, 140000 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  if (hone_gpu_test_device () == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (long_shapes); i++)
    {
      run_one (&long_shapes[i], FALSE, FALSE, HONE_DTYPE_F32, config, 1, 0.0f, rand);
      run_one (&long_shapes[i], TRUE, TRUE, HONE_DTYPE_F32, config, 1, 0.0f, rand);
    }
}

int
main (int    argc,
      char **argv)
{
  static Case cases[G_N_ELEMENTS (configs) * 2];
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    for (guint d = 0; d < 2; d++)
      {
        Case *cs = &cases[i * 2 + d];
        g_autofree char *path = NULL;

        cs->config = i;
        cs->b_dtype = d ? HONE_DTYPE_F16 : HONE_DTYPE_F32;
        path = g_strdup_printf ("/hone/op/matmul/%s-%ux%u/%s",
                                configs[i].variant == HONE_MATMUL_TEXEL ? "texel" : "tiled",
                                configs[i].wg_x, configs[i].wg_y, d ? "f16" : "f32");
        g_test_add_data_func (path, cs, test_matmul);
      }
  g_test_add_data_func ("/hone/op/matmul/long-k/texel", &configs[0], test_matmul_long_k);
  g_test_add_data_func ("/hone/op/matmul/long-k/tiled", &configs[3], test_matmul_long_k);
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
