/* test-ggml.c — ggml block types: geometry, half/bfloat16 conversions, and the
 * quantizers and dequantizers checked against the `gguf` Python package's quants module
 * (gguf.quants.quantize / dequantize) on random data.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "model/hone-ggml.h"
#include "hone-test-util.h"

static void
test_geometry (void)
{
  guint64 bytes;
  HoneGgmlType type;

  g_assert_cmpuint (hone_ggml_type_block_size (HONE_GGML_TYPE_Q8_0), ==, 32);
  g_assert_cmpuint (hone_ggml_type_block_bytes (HONE_GGML_TYPE_Q8_0), ==, 34);
  g_assert_cmpuint (hone_ggml_type_block_bytes (HONE_GGML_TYPE_Q4_0), ==, 18);
  g_assert_cmpuint (hone_ggml_type_block_bytes (HONE_GGML_TYPE_Q4_K), ==, 144);
  g_assert_cmpuint (hone_ggml_type_block_bytes (HONE_GGML_TYPE_Q5_K), ==, 176);
  g_assert_cmpuint (hone_ggml_type_block_bytes (HONE_GGML_TYPE_Q6_K), ==, 210);
  g_assert_cmpuint (hone_ggml_type_block_size (HONE_GGML_TYPE_Q6_K), ==, 256);
  g_assert_true (hone_ggml_type_size_of (HONE_GGML_TYPE_Q4_K, 512, &bytes));
  g_assert_cmpuint (bytes, ==, 288);
  g_assert_false (hone_ggml_type_size_of (HONE_GGML_TYPE_Q4_K, 100, &bytes));
  g_assert_false (hone_ggml_type_size_of (HONE_GGML_TYPE_F32, G_MAXUINT64, &bytes));
  g_assert_false (hone_ggml_type_size_of (31, 32, &bytes));
  g_assert_false (hone_ggml_type_is_known (4));
  g_assert_cmpstr (hone_ggml_type_name (HONE_GGML_TYPE_Q4_K), ==, "q4_K");
  g_assert_cmpstr (hone_ggml_type_name (HONE_GGML_TYPE_BF16), ==, "bf16");
  g_assert_true (hone_ggml_type_from_name ("Q8_0", &type));
  g_assert_cmpint (type, ==, HONE_GGML_TYPE_Q8_0);
  g_assert_false (hone_ggml_type_from_name ("q9_9", &type));
}

static void
test_half (void)
{
  static const struct { float f; guint16 h; } cases[] = {
    { 0.0f, 0x0000 }, { -0.0f, 0x8000 }, { 1.0f, 0x3c00 }, { -2.0f, 0xc000 },
    { 65504.0f, 0x7bff }, { 65519.0f, 0x7bff }, { 65520.0f, 0x7c00 }, { 1e10f, 0x7c00 },
    { 6.103515625e-05f, 0x0400 }, { 5.960464477539063e-08f, 0x0001 },
    { 2.98023223876953125e-08f, 0x0000 },  /* half of the smallest subnormal: ties to even */
    { 8.940696716308594e-08f, 0x0002 },    /* 1.5 × smallest: ties to even (2) */
    { 1.0009765625f, 0x3c01 }, { 1.00048828125f, 0x3c00 }, { 1.00146484375f, 0x3c02 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmphex (hone_float_to_half (cases[i].f), ==, cases[i].h);
      if (cases[i].h != 0x7c00 && cases[i].f == cases[i].f)
        g_assert_cmpfloat (hone_half_to_float (hone_float_to_half (cases[i].f)), ==,
                           hone_half_to_float (cases[i].h));
    }
  g_assert_true (isnan (hone_half_to_float (hone_float_to_half (NAN))));
  g_assert_true (isinf (hone_half_to_float (0x7c00)));
  /* every half survives a round trip through float */
  for (guint h = 0; h < 0x10000; h++)
    if ((h & 0x7c00) != 0x7c00 || (h & 0x3ff) == 0)
      g_assert_cmphex (hone_float_to_half (hone_half_to_float (h)), ==, h);
  g_assert_cmphex (hone_float_to_bf16 (1.0f), ==, 0x3f80);
  g_assert_cmpfloat (hone_bf16_to_float (0x3f80), ==, 1.0f);
  g_assert_true (isnan (hone_bf16_to_float (hone_float_to_bf16 (NAN))));
}

/* Quantizing then dequantizing stays within a block's step. */
static void
test_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const HoneGgmlType types[] = { HONE_GGML_TYPE_Q8_0, HONE_GGML_TYPE_Q4_0, HONE_GGML_TYPE_F16,
                                 HONE_GGML_TYPE_BF16 };
  const float tolerance[] = { 1.0f / 127, 1.0f / 7, 1e-3f, 1e-2f };
  float x[256], y[256];
  guint8 q[512];

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      float amax = 0.0f;

      for (guint i = 0; i < 256; i++)
        {
          x[i] = g_rand_double_range (rand, -3, 3);
          amax = MAX (amax, fabsf (x[i]));
        }
      hone_ggml_quantize (types[t], x, q, 256);
      hone_ggml_dequantize (types[t], q, y, 256);
      for (guint i = 0; i < 256; i++)
        g_assert_cmpfloat_with_epsilon (y[i], x[i], tolerance[t] * amax);
    }
}

/* The oracle */

static gboolean
run_quant_oracle (const char *dir)
{
  const char *python = g_getenv ("HONE_VENV_PYTHON");
  const char *root = g_getenv ("HONE_SOURCE_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (python == NULL || root == NULL || !g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no test venv python (HONE_VENV_PYTHON); run build-aux/setup.sh");
      return FALSE;
    }
  script = g_build_filename (root, "tests", "gguf-oracle.py", NULL);
  {
    const char *argv[] = { python, script, "quant", dir, "11", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                  &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      if (strstr (err, "No module named") != NULL)
        {
          g_test_skip ("the test venv has no gguf or numpy package");
          return FALSE;
        }
      g_error ("gguf-oracle.py quant failed:\n%s", err);
    }
  return TRUE;
}

static GBytes *
read_oracle_file (const char *dir,
                  const char *type,
                  const char *suffix)
{
  g_autofree char *name = g_strconcat (type, suffix, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Same floats, bit for bit (NaN equal to NaN). */
static void
assert_same_floats (const char  *what,
                    const float *got,
                    const float *want,
                    gsize        n)
{
  guint n_bad = 0;

  for (gsize i = 0; i < n; i++)
    if (memcmp (&got[i], &want[i], sizeof (float)) != 0 && !(isnan (got[i]) && isnan (want[i])))
      {
        if (n_bad++ < 5)
          g_test_message ("%s: element %" G_GSIZE_FORMAT ": %.9g, gguf.quants %.9g", what, i,
                          got[i], want[i]);
      }
  if (n_bad > 0)
    g_error ("%s: %u of %" G_GSIZE_FORMAT " values differ from gguf.quants", what, n_bad, n);
}

static void
test_against_gguf_quants (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-ggml-XXXXXX");
  static const struct { const char *name; HoneGgmlType type; gboolean quantize; } cases[] = {
    { "Q8_0", HONE_GGML_TYPE_Q8_0, TRUE },
    { "Q4_0", HONE_GGML_TYPE_Q4_0, TRUE },
    { "F16", HONE_GGML_TYPE_F16, TRUE },
    { "BF16", HONE_GGML_TYPE_BF16, TRUE },
    { "Q4_K", HONE_GGML_TYPE_Q4_K, FALSE },
    { "Q5_K", HONE_GGML_TYPE_Q5_K, FALSE },
    { "Q6_K", HONE_GGML_TYPE_Q6_K, FALSE },
  };

  if (!run_quant_oracle (dir))
    {
      hone_test_remove_tree (dir);
      return;
    }
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GBytes) q = read_oracle_file (dir, cases[c].name, ".q");
      g_autoptr(GBytes) out = read_oracle_file (dir, cases[c].name, ".out");
      gsize n = g_bytes_get_size (out) / sizeof (float);
      g_autofree float *y = g_new (float, n);
      guint64 q_size;

      g_test_message ("%s: %" G_GSIZE_FORMAT " values", cases[c].name, n);
      g_assert_true (hone_ggml_type_size_of (cases[c].type, n, &q_size));
      g_assert_cmpuint (q_size, ==, g_bytes_get_size (q));

      if (cases[c].quantize)
        {
          g_autoptr(GBytes) in = read_oracle_file (dir, cases[c].name, ".in");
          g_autofree guint8 *mine = g_malloc (q_size);
          const guint8 *theirs = g_bytes_get_data (q, NULL);

          hone_ggml_quantize (cases[c].type, g_bytes_get_data (in, NULL), mine, n);
          for (gsize i = 0; i < q_size; i++)
            if (mine[i] != theirs[i])
              g_error ("%s: quantized byte %" G_GSIZE_FORMAT " (block %" G_GSIZE_FORMAT ") is "
                       "0x%02x, gguf.quants wrote 0x%02x", cases[c].name, i,
                       i / hone_ggml_type_block_bytes (cases[c].type), mine[i], theirs[i]);
        }
      hone_ggml_dequantize (cases[c].type, g_bytes_get_data (q, NULL), y, n);
      assert_same_floats (cases[c].name, y, g_bytes_get_data (out, NULL), n);
    }
  hone_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/ggml/geometry", test_geometry);
  g_test_add_func ("/hone/ggml/half", test_half);
  g_test_add_func ("/hone/ggml/round-trip", test_round_trip);
  g_test_add_func ("/hone/ggml/gguf-quants", test_against_gguf_quants);

  return g_test_run ();
}
