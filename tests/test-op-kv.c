/* test-op-kv.c — the inference kernels around the KV cache against their CPU references,
 * under two workgroup configurations: storing rows (f32 exact; f16 bit-exact against
 * round-to-nearest-even), causal attention of new tokens against the cache (prefill and
 * decode, both cache dtypes, both of its kernels, a long cache past lavapipe's loop
 * limit) and RoPE with linear and per-frequency scaling.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error bounds (|err| ≤ atol + rtol·|ref|; q, K, V uniform in [−2, 2), scale 1/√D):
 *   kv_store exact (f16: the bits of round-to-nearest-even);
 *   attention_cached 2e-6 + 1e-4, and 1e-5 + 1e-4 past 4000 positions; an f16 cache is
 *   compared with a reference fed the same halves, so only f32 arithmetic differs;
 *   RoPE (positions < 512, angles up to 512 rad in f32) 1e-4 + 1e-5.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "ref/hone-ref.h"

/* 0: the kernels' defaults (the split attention kernel a subgroup wide, the per-row one
 * 8); 3: an awkward width that divides nothing (a split row on 3 lanes of a subgroup). */
static const HoneOpConfig configs[] = { { 0 }, { 3 } };

#define SKIP_WITHOUT_DEVICE() \
  G_STMT_START { \
    if (hone_gpu_test_device () == NULL) \
      { \
        g_test_skip (hone_gpu_test_skip_reason ()); \
        return; \
      } \
  } G_STMT_END

static void
submit (HoneGpuStream *stream)
{
  g_autoptr(GError) error = NULL;

  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  hone_gpu_test_check_validation ();
}

static HoneGpuStream *
new_stream (void)
{
  g_autoptr(GError) error = NULL;
  HoneGpuStream *stream = hone_gpu_stream_new (hone_gpu_test_device (), &error);

  g_assert_no_error (error);
  return stream;
}

/* ---- kv_store ---- */

static void
test_store_f32 (gconstpointer data)
{
  const HoneOpConfig *config = data;
  const guint s = 23, row = 2 * 5 * 12, pos0 = 9, n = 7;
  g_autoptr(GRand) rand = g_rand_new_with_seed (301);
  g_autofree float *cache0 = NULL, *src = NULL, *got = NULL;
  g_autoptr(HoneGpuBuffer) cbuf = NULL, sbuf = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DEVICE ();
  cache0 = hone_gpu_test_random (rand, (gsize) s * row, -2, 2);
  src = hone_gpu_test_random (rand, (gsize) n * row, -2, 2);
  cbuf = hone_gpu_test_upload (cache0, (gsize) s * row * 4);
  sbuf = hone_gpu_test_upload (src, (gsize) n * row * 4);
  stream = new_stream ();
  g_assert_true (hone_op_kv_store (stream, cbuf, HONE_DTYPE_F32, sbuf, pos0, n, row, config,
                                   &error));
  g_assert_no_error (error);
  submit (stream);
  got = hone_gpu_test_download (cbuf, (gsize) s * row);
  /* the rows written are src's, bit for bit; every other row is untouched */
  g_assert_cmpmem (got, (gsize) pos0 * row * 4, cache0, (gsize) pos0 * row * 4);
  g_assert_cmpmem (got + (gsize) pos0 * row, (gsize) n * row * 4, src, (gsize) n * row * 4);
  g_assert_cmpmem (got + (gsize) (pos0 + n) * row, (gsize) (s - pos0 - n) * row * 4,
                   cache0 + (gsize) (pos0 + n) * row, (gsize) (s - pos0 - n) * row * 4);

  /* a cache too small for pos0 + n rows is refused */
  g_assert_false (hone_op_kv_store (stream, cbuf, HONE_DTYPE_F32, sbuf, s - n + 1, n, row,
                                    config, &error));
  g_assert_nonnull (error);
}

static void
test_store_f16 (gconstpointer data)
{
  const HoneOpConfig *config = data;
  /* values that probe the rounding: ties to even both ways, the subnormal range and its
   * ties, the edge of overflow, signed zero, infinities */
  static const struct { float f; guint16 bits; } known[] = {
    { 1.0f, 0x3c00 },
    { 1.0f + 0x1p-11f, 0x3c00 },                 /* tie, down to even */
    { 1.0f + 3 * 0x1p-11f, 0x3c02 },             /* tie, up to even */
    { 1.0f + 0x1p-11f + 0x1p-20f, 0x3c01 },      /* just above the tie */
    { -2.5f, 0xc100 },
    { 65504.0f, 0x7bff },
    { 65519.0f, 0x7bff },
    { 65520.0f, 0x7c00 },                        /* tie at the top rounds to infinity */
    { 1e6f, 0x7c00 },
    { -INFINITY, 0xfc00 },
    { 0x1p-14f, 0x0400 },                        /* smallest normal */
    { 0x1p-24f, 0x0001 },                        /* smallest subnormal */
    { 0x1p-25f, 0x0000 },                        /* tie, down to even zero */
    { 3 * 0x1p-25f, 0x0002 },                    /* tie, up to even */
    { 0x1p-25f + 0x1p-35f, 0x0001 },
    { -0x1p-30f, 0x8000 },
    { -0.0f, 0x8000 },
    { 0x1p-14f - 0x1p-25f, 0x0400 },             /* rounds up into the normals */
  };
  /* row 42, pos0 3: the rows written start 252 bytes in, off any binding alignment */
  const guint s = 19, row = 3 * 2 * 7, pos0 = 3, n = 11;
  gsize total = (gsize) n * row;
  g_autoptr(GRand) rand = g_rand_new_with_seed (302);
  g_autofree float *src = g_new (float, total);
  g_autofree guint16 *cache0 = g_new (guint16, (gsize) s * row);
  g_autofree guint16 *got = g_new (guint16, (gsize) s * row);
  g_autoptr(HoneGpuBuffer) cbuf = NULL, sbuf = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint bad = 0;

  SKIP_WITHOUT_DEVICE ();
  for (gsize i = 0; i < (gsize) s * row; i++)
    cache0[i] = (guint16) g_rand_int (rand);
  /* random magnitudes across the whole half range, then the known values */
  for (gsize i = 0; i < total; i++)
    src[i] = (float) (g_rand_double_range (rand, -1, 1)
                      * pow (2.0, g_rand_double_range (rand, -27, 17)));
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      src[i] = known[i].f;
      g_assert_cmphex (hone_gpu_test_float_to_half (known[i].f), ==, known[i].bits);
    }
  cbuf = hone_gpu_test_upload (cache0, (gsize) s * row * 2);
  sbuf = hone_gpu_test_upload (src, total * 4);
  stream = new_stream ();
  g_assert_true (hone_op_kv_store (stream, cbuf, HONE_DTYPE_F16, sbuf, pos0, n, row, config,
                                   &error));
  g_assert_no_error (error);
  submit (stream);
  hone_gpu_buffer_download (cbuf, 0, got, (gsize) s * row * 2, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (got, (gsize) pos0 * row * 2, cache0, (gsize) pos0 * row * 2);
  g_assert_cmpmem (got + (gsize) (pos0 + n) * row, (gsize) (s - pos0 - n) * row * 2,
                   cache0 + (gsize) (pos0 + n) * row, (gsize) (s - pos0 - n) * row * 2);
  for (gsize i = 0; i < total; i++)
    {
      guint16 want = hone_gpu_test_float_to_half (src[i]), have = got[pos0 * row + i];
      if (want != have && bad++ < 10)
        g_printerr ("kv_store f16 [%zu]: %a → 0x%04x, want 0x%04x\n", i, src[i], have, want);
    }
  g_assert_cmpuint (bad, ==, 0);

  /* an odd row cannot be stored as pairs of halves */
  g_assert_false (hone_op_kv_store (stream, cbuf, HONE_DTYPE_F16, sbuf, 0, 1, 7, config,
                                    &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
}

/* ---- attention_cached ---- */

/* Runs one shape against the reference; the cache holds @s ≥ pos0 + n rows of which the
 * ones past pos0 + n are garbage (huge values) that must not be read. */
static void
check_cached (GRand              *rand,
              const HoneOpConfig *config,
              HoneDtype           dtype,
              guint               n,
              guint               pos0,
              guint               hq,
              guint               hkv,
              guint               d,
              double              atol)
{
  guint s = pos0 + n + 3;
  gsize nq = (gsize) n * hq * d, nkv = (gsize) s * hkv * d, nvis = (gsize) (pos0 + n) * hkv * d;
  float scale = 1.0f / sqrtf ((float) d);
  g_autofree float *q = hone_gpu_test_random (rand, nq, -2, 2);
  g_autofree float *k = hone_gpu_test_random (rand, nkv, -2, 2);
  g_autofree float *v = hone_gpu_test_random (rand, nkv, -2, 2);
  g_autofree double *qd = hone_gpu_test_to_double (q, nq);
  g_autofree double *kd = NULL, *vd = NULL, *ref = g_new (double, nq);
  g_autoptr(HoneGpuBuffer) qbuf = hone_gpu_test_upload (q, nq * 4);
  g_autoptr(HoneGpuBuffer) kbuf = NULL, vbuf = NULL;
  g_autoptr(HoneGpuBuffer) obuf = hone_gpu_test_upload (NULL, nq * 4);
  g_autoptr(HoneGpuStream) stream = new_stream ();
  g_autoptr(GError) error = NULL;
  g_autofree float *got = NULL;
  g_autofree char *what = g_strdup_printf ("attention_cached %s n%u pos0 %u h%u/%u d%u",
                                           dtype == HONE_DTYPE_F16 ? "f16" : "f32", n, pos0,
                                           hq, hkv, d);

  for (gsize i = nvis; i < nkv; i++)
    k[i] = v[i] = 1e30f;
  if (dtype == HONE_DTYPE_F16)
    {
      g_autofree guint16 *kh = g_new (guint16, nkv), *vh = g_new (guint16, nkv);

      for (gsize i = 0; i < nkv; i++)
        {
          kh[i] = hone_gpu_test_float_to_half (k[i]);
          vh[i] = hone_gpu_test_float_to_half (v[i]);
          k[i] = hone_gpu_test_half_to_float (kh[i]);
          v[i] = hone_gpu_test_half_to_float (vh[i]);
        }
      kbuf = hone_gpu_test_upload (kh, nkv * 2);
      vbuf = hone_gpu_test_upload (vh, nkv * 2);
    }
  else
    {
      kbuf = hone_gpu_test_upload (k, nkv * 4);
      vbuf = hone_gpu_test_upload (v, nkv * 4);
    }
  kd = hone_gpu_test_to_double (k, nkv);
  vd = hone_gpu_test_to_double (v, nkv);
  hone_ref_attention_cached (ref, qd, kd, vd, n, pos0, hq, hkv, d, scale);
  g_assert_true (hone_op_attention_cached (stream, obuf, qbuf, kbuf, vbuf, dtype, n, pos0, hq,
                                           hkv, d, scale, config, &error));
  g_assert_no_error (error);
  submit (stream);
  got = hone_gpu_test_download (obuf, nq);
  hone_gpu_test_compare (what, got, ref, nq, atol, 1e-4);
}

/* n 1, 3, 17, 64 at pos0 0, 5, 300, with 4/4, 8/2, 6/1 heads, D 64 and 128. A row is a
 * query and 1 or 2 heads of a group (2 when D = 64 and the group is even); below 128 rows
 * the split kernel runs (n 1, 3 and most of 17), above it the per-row one (n 64, and 17
 * with 8/2 heads at D 128), so both kernels see both head groupings. */
static void
test_cached (gconstpointer data,
             HoneDtype     dtype)
{
  const HoneOpConfig *config = data;
  static const guint ns[] = { 1, 3, 17, 64 };
  static const guint pos0s[] = { 0, 5, 300 };
  static const guint heads[][2] = { { 4, 4 }, { 8, 2 }, { 6, 1 } };
  static const guint ds[] = { 64, 128 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (dtype == HONE_DTYPE_F16 ? 311 : 310);

  SKIP_WITHOUT_DEVICE ();
  for (guint a = 0; a < G_N_ELEMENTS (ns); a++)
    for (guint b = 0; b < G_N_ELEMENTS (pos0s); b++)
      for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
        for (guint e = 0; e < G_N_ELEMENTS (ds); e++)
          check_cached (rand, config, dtype, ns[a], pos0s[b], heads[c][0], heads[c][1], ds[e],
                        2e-6);
}

static void
test_cached_f32 (gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (313);

  test_cached (data, HONE_DTYPE_F32);
  if (hone_gpu_test_device () == NULL)
    return;
  /* awkward head sizes: D 12 and 96 (no head pairing at 96), 40 and 256 in f16 */
  check_cached (rand, data, HONE_DTYPE_F32, 5, 7, 4, 2, 12, 2e-6);
  check_cached (rand, data, HONE_DTYPE_F32, 37, 11, 4, 2, 96, 2e-6);
  check_cached (rand, data, HONE_DTYPE_F16, 9, 2, 6, 3, 40, 2e-6);
  check_cached (rand, data, HONE_DTYPE_F16, 2, 33, 2, 1, 256, 2e-6);
  check_cached (rand, data, HONE_DTYPE_F16, 70, 1, 2, 1, 256, 2e-6);
}

static void
test_cached_f16 (gconstpointer data)
{
  test_cached (data, HONE_DTYPE_F16);
}

/* Long caches: thousands of positions per row in both kernels, and rows that see more
 * positions than lavapipe lets one loop run (65 535), which a kernel that walked them in
 * one invocation would silently cut short. */
static void
test_cached_long (gconstpointer data)
{
  const HoneOpConfig *config = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (312);

  SKIP_WITHOUT_DEVICE ();
  /* decode at 4500 (split) */
  check_cached (rand, config, HONE_DTYPE_F32, 1, 4499, 8, 2, 64, 1e-5);
  check_cached (rand, config, HONE_DTYPE_F16, 1, 4499, 8, 2, 128, 1e-5);
  /* prefill of 64 after 4100 positions (per row) */
  check_cached (rand, config, HONE_DTYPE_F32, 64, 4100, 4, 2, 128, 1e-5);
  check_cached (rand, config, HONE_DTYPE_F16, 64, 4100, 4, 1, 64, 1e-5);
  /* per-row kernel right under its limit: 65 530 positions in one loop */
  check_cached (rand, config, HONE_DTYPE_F16, 128, 65402, 1, 1, 64, 1e-5);
  /* past the limit: the split kernel whatever the row count (a loop cut at 65 535 would
   * drop a fifth of the positions here; the per-row kernel fails this, measured) */
  check_cached (rand, config, HONE_DTYPE_F16, 128, 80000, 1, 1, 64, 1e-5);
  check_cached (rand, config, HONE_DTYPE_F32, 1, 70001, 2, 1, 64, 1e-5);
}

static void
test_cached_errors (void)
{
  g_autoptr(HoneGpuBuffer) buf = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DEVICE ();
  buf = hone_gpu_test_upload (NULL, 1 << 16);
  stream = new_stream ();
  /* Hq not a multiple of Hkv */
  g_assert_false (hone_op_attention_cached (stream, buf, buf, buf, buf, HONE_DTYPE_F32, 1, 0, 6,
                                            4, 8, 1.0f, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* an f16 cache needs D % 8 == 0 */
  g_assert_false (hone_op_attention_cached (stream, buf, buf, buf, buf, HONE_DTYPE_F16, 1, 0, 2,
                                            1, 12, 1.0f, NULL, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* a cache shorter than pos0 + n */
  g_assert_false (hone_op_attention_cached (stream, buf, buf, buf, buf, HONE_DTYPE_F32, 1, 4096,
                                            2, 1, 64, 1.0f, NULL, &error));
  g_assert_nonnull (error);
  submit (stream);
}

/* ---- RoPE with scaling ---- */

static void
test_rope_params (gconstpointer data)
{
  const HoneOpConfig *config = data;
  const guint t = 13, h = 3, d = 64;
  gsize n = (gsize) t * h * d;
  g_autoptr(GRand) rand = g_rand_new_with_seed (320);
  g_autofree guint32 *pos = g_new (guint32, t);
  g_autofree float *factors = g_new (float, d / 2);
  g_autofree double *factors_d = NULL;
  g_autoptr(HoneGpuBuffer) pbuf = NULL, fbuf = NULL;

  SKIP_WITHOUT_DEVICE ();
  for (guint i = 0; i < t; i++)
    pos[i] = (guint32) g_rand_int_range (rand, 0, 512);
  /* Llama 3.x style: 1 for the high frequencies, up to 8 for the low ones, smooth between */
  for (guint i = 0; i < d / 2; i++)
    factors[i] = i < d / 8 ? 1.0f : i > d / 3 ? 8.0f
                                            : (float) g_rand_double_range (rand, 1.0, 8.0);
  factors_d = hone_gpu_test_to_double (factors, d / 2);
  pbuf = hone_gpu_test_upload (pos, (gsize) t * 4);
  fbuf = hone_gpu_test_upload (factors, (gsize) d / 2 * 4);

  for (int style = 0; style < 2; style++)
    for (int scaling = 0; scaling < 3; scaling++)
      {
        gboolean neox = style == HONE_ROPE_NEOX;
        /* linear ×4; per-frequency factors; both */
        double freq_scale = scaling == 1 ? 1.0 : 0.25;
        HoneRopeParams params = { 500000.0f, style, (float) freq_scale,
                                  scaling > 0 ? fbuf : NULL };
        g_autofree float *x = hone_gpu_test_random (rand, n, -2, 2);
        g_autofree float *dy = hone_gpu_test_random (rand, n, -2, 2);
        g_autofree double *xd = hone_gpu_test_to_double (x, n);
        g_autofree double *dyd = hone_gpu_test_to_double (dy, n);
        g_autofree double *y = g_new (double, n), *dx = g_new (double, n);
        g_autoptr(HoneGpuBuffer) xbuf = hone_gpu_test_upload (x, n * 4);
        g_autoptr(HoneGpuBuffer) ybuf = hone_gpu_test_upload (NULL, n * 4);
        g_autoptr(HoneGpuBuffer) dybuf = hone_gpu_test_upload (dy, n * 4);
        g_autoptr(HoneGpuStream) stream = new_stream ();
        g_autoptr(GError) error = NULL;
        g_autofree float *got_y = NULL, *got_dx = NULL;
        g_autofree char *what = g_strdup_printf ("rope %s scaling %d",
                                                 neox ? "neox" : "normal", scaling);

        hone_ref_rope_params (y, xd, pos, t, h, d, 500000.0, neox, freq_scale,
                              scaling > 0 ? factors_d : NULL, 1.0);
        hone_ref_rope_params (dx, dyd, pos, t, h, d, 500000.0, neox, freq_scale,
                              scaling > 0 ? factors_d : NULL, -1.0);
        g_assert_true (hone_op_rope_forward_params (stream, ybuf, xbuf, pbuf, t, h, d, &params,
                                                    config, &error));
        /* in place */
        g_assert_true (hone_op_rope_backward_params (stream, dybuf, dybuf, pbuf, t, h, d,
                                                     &params, config, &error));
        g_assert_no_error (error);
        submit (stream);
        got_y = hone_gpu_test_download (ybuf, n);
        got_dx = hone_gpu_test_download (dybuf, n);
        hone_gpu_test_compare (what, got_y, y, n, 1e-4, 1e-5);
        hone_gpu_test_compare (what, got_dx, dx, n, 1e-4, 1e-5);

        /* the scaling changes the result (the factors reach only the low frequencies) */
        if (scaling > 0)
          {
            g_autofree double *plain = g_new (double, n);
            double diff = 0;

            hone_ref_rope (plain, xd, pos, t, h, d, 500000.0, neox, 1.0);
            for (gsize i = 0; i < n; i++)
              diff = MAX (diff, fabs (plain[i] - got_y[i]));
            g_assert_cmpfloat (diff, >, 1e-2);
          }
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
      static const struct { const char *name; GTestDataFunc func; } tests[] = {
        { "store-f32", test_store_f32 },
        { "store-f16", test_store_f16 },
        { "attention-cached-f32", test_cached_f32 },
        { "attention-cached-f16", test_cached_f16 },
        { "attention-cached-long", test_cached_long },
        { "rope-params", test_rope_params },
      };
      for (guint j = 0; j < G_N_ELEMENTS (tests); j++)
        {
          g_autofree char *path = g_strdup_printf ("/hone/op/kv/%s/wg%u", tests[j].name,
                                                   configs[i].workgroup_size);
          g_test_add_data_func (path, &configs[i], tests[j].func);
        }
    }
  g_test_add_func ("/hone/op/kv/attention-cached-errors", test_cached_errors);
  status = g_test_run ();
  hone_gpu_test_close ();
  return status;
}
