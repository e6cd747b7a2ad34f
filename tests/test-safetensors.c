/* test-safetensors.c — safetensors files: a round trip, crafted headers (sizes, offsets,
 * shapes, dtypes, JSON), and mutated files that must give an error naming the file or
 * read through, never crash (run under -Db_sanitize=address,undefined).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "model/hone-safetensors.h"
#include "hone-test-util.h"

static GBytes *
sample_file (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-st-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  float a[6] = { 1, 2, 3, 4, 5, 6 };
  guint16 b[4] = { 0x3c00, 0x4000, 0xbc00, 0 };
  guint64 shape_a[] = { 2, 3 };
  guint64 shape_b[] = { 4 };
  g_autoptr(GBytes) ba = g_bytes_new (a, sizeof a);
  g_autoptr(GBytes) bb = g_bytes_new (b, sizeof b);
  HoneSafetensorsEntry entries[] = {
    { "model.layers.0.mlp.up_proj.weight", "F32", 2, shape_a, ba },
    { "model.norm.weight", "BF16", 1, shape_b, bb },
  };
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_assert_true (hone_safetensors_write (path, entries, G_N_ELEMENTS (entries), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  hone_test_remove_tree (dir);
  return g_bytes_new_take (contents, len);
}

static void
test_round_trip (void)
{
  g_autoptr(GBytes) bytes = sample_file ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSafetensors) st = hone_safetensors_open_bytes ("model.safetensors", bytes,
                                                               &error);
  const HoneSafetensor *t;
  const guint8 *base = g_bytes_get_data (bytes, NULL);
  guint64 header_len = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    header_len |= (guint64) base[i] << (8 * i);
  g_assert_cmpuint (header_len % 8, ==, 0);
  g_assert_cmpuint (hone_safetensors_get_n_tensors (st), ==, 2);
  g_assert_cmpstr (hone_safetensors_get_metadata (st, "format"), ==, "pt");
  t = hone_safetensors_get_tensor (st, 0);  /* sorted by name */
  g_assert_cmpstr (t->name, ==, "model.layers.0.mlp.up_proj.weight");
  g_assert_cmpstr (t->dtype, ==, "F32");
  g_assert_true (t->supported);
  g_assert_cmpint (t->type, ==, HONE_GGML_TYPE_F32);
  g_assert_cmpuint (t->n_dims, ==, 2);
  g_assert_cmpuint (t->shape[0], ==, 2);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpuint (t->size, ==, 24);
  g_assert_cmpfloat (((const float *) t->data)[5], ==, 6.0f);
  t = hone_safetensors_find_tensor (st, "model.norm.weight");
  g_assert_nonnull (t);
  g_assert_cmpint (t->type, ==, HONE_GGML_TYPE_BF16);
  g_assert_cmpuint (((const guint16 *) t->data)[1], ==, 0x4000);
  g_assert_null (hone_safetensors_find_tensor (st, "nope"));
}

static void
expect (const char *header,
        gint        code,
        const char *needle,
        gsize       data_size)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSafetensors) st = NULL;
  g_autofree char *json = hone_test_json_quotes (header);
  guint64 len = strlen (json);
  guint8 len_bytes[8];

  for (guint i = 0; i < 8; i++)
    len_bytes[i] = (len >> (8 * i)) & 0xff;
  g_byte_array_append (file, len_bytes, 8);
  g_byte_array_append (file, (const guint8 *) json, len);
  g_byte_array_set_size (file, file->len + data_size);
  memset (file->data + 8 + len, 0, data_size);
  bytes = g_bytes_new (file->data, file->len);
  st = hone_safetensors_open_bytes ("bad.safetensors", bytes, &error);
  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (st);
      return;
    }
  g_assert_null (st);
  g_assert_error (error, HONE_MODEL_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "bad.safetensors"));
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static void
test_crafted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tiny = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) huge = g_bytes_new_static ("\xff\xff\xff\xff\xff\xff\xff\xff{}", 10);

  g_assert_null (hone_safetensors_open_bytes ("bad.safetensors", tiny, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (hone_safetensors_open_bytes ("bad.safetensors", huge, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "does not fit"));
  g_clear_error (&error);

  expect ("{}", -1, NULL, 0);
  expect ("{'a': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 8]}}", -1, NULL, 8);
  expect ("{'a': {'dtype': 'F32', 'shape': [], 'data_offsets': [0, 4]}}", -1, NULL, 4);
  expect ("{'a': {'dtype': 'U8', 'shape': [3], 'data_offsets': [0, 3]}}", -1, NULL, 3);
  expect ("[1, 2]", HONE_MODEL_ERROR_INVALID, "not a JSON object", 0);
  expect ("{'a': ", HONE_MODEL_ERROR_INVALID, "line 1", 0);
  expect ("{'a': 1}", HONE_MODEL_ERROR_INVALID, "tensor 'a' is not described", 0);
  expect ("{'a': {'shape': [1], 'data_offsets': [0, 4]}}", HONE_MODEL_ERROR_INVALID,
          "no dtype", 4);
  expect ("{'a': {'dtype': 'Q9', 'shape': [1], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_UNSUPPORTED, "unknown dtype 'Q9'", 4);
  expect ("{'a': {'dtype': 'F32', 'data_offsets': [0, 4]}}", HONE_MODEL_ERROR_INVALID,
          "no shape", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [-1], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "non-negative", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1.5], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "non-negative", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1e300], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "non-negative", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [4294967296, 4294967296], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "too many elements", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1,1,1,1,1,1,1,1,1], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "dimensions", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1]}}", HONE_MODEL_ERROR_INVALID,
          "no data_offsets", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1], 'data_offsets': [4, 0]}}",
          HONE_MODEL_ERROR_INVALID, "bad data_offsets", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1], 'data_offsets': [0]}}",
          HONE_MODEL_ERROR_INVALID, "bad data_offsets", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1], 'data_offsets': [0, 9223372036854775807]}}",
          HONE_MODEL_ERROR_INVALID, "tensor 'a' data runs past the end of the file", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [1], 'data_offsets': [4, 8]}}",
          HONE_MODEL_ERROR_INVALID, "runs past the end", 4);
  expect ("{'a': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 4]}}",
          HONE_MODEL_ERROR_INVALID, "shape and dtype", 8);
  expect ("{'a': {'dtype': 'F32', 'shape': [4611686018427387904], 'data_offsets': [0, 0]}}",
          HONE_MODEL_ERROR_INVALID, "shape and dtype", 8);
  expect ("{'__metadata__': 3}", HONE_MODEL_ERROR_INVALID, "__metadata__", 0);
  {
    g_autoptr(GString) deep = g_string_new ("{'a': ");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    expect (deep->str, HONE_MODEL_ERROR_INVALID, "bad.safetensors", 0);
  }
}

static void
try_mutant (const guint8 *data,
            gsize         len,
            guint        *n_opened)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSafetensors) st = hone_safetensors_open_bytes ("mutant.safetensors", bytes,
                                                               &error);
  guint64 sum = 0;

  if (st == NULL)
    {
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, "mutant.safetensors"))
        g_error ("the message does not name the file: %s", error->message);
      return;
    }
  for (guint i = 0; i < hone_safetensors_get_n_tensors (st); i++)
    {
      const HoneSafetensor *t = hone_safetensors_get_tensor (st, i);

      for (gsize b = 0; b < t->size; b++)
        sum += ((const guint8 *) t->data)[b];
    }
  (*n_opened)++;
}

static void
test_mutations (void)
{
  g_autoptr(GBytes) bytes = sample_file ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  gsize len;
  const guint8 *original = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_malloc (len);
  static const char *const digits[] = { "0", "9", "-1", "18446744073709551616", "1e400", "\"" };
  guint n_opened = 0, n_tries = 0;

  for (gsize cut = 0; cut < len; cut++, n_tries++)
    try_mutant (original, cut, &n_opened);
  for (guint round = 0; round < 20000; round++, n_tries++)
    {
      memcpy (copy, original, len);
      for (guint c = 0, n = g_rand_int_range (rand, 1, 4); c < n; c++)
        {
          gsize pos = g_rand_int_range (rand, 0, len);

          if (g_rand_boolean (rand))
            copy[pos] ^= 1u << g_rand_int_range (rand, 0, 8);
          else
            copy[pos] = g_rand_int_range (rand, 0, 256);
        }
      try_mutant (copy, len, &n_opened);
    }
  /* numbers in the header swapped for extreme ones */
  for (gsize pos = 8; pos < len; pos++, n_tries++)
    if (g_ascii_isdigit (original[pos]))
      for (guint d = 0; d < G_N_ELEMENTS (digits); d++)
        {
          g_autoptr(GByteArray) m = g_byte_array_new ();

          g_byte_array_append (m, original, pos);
          g_byte_array_append (m, (const guint8 *) digits[d], strlen (digits[d]));
          g_byte_array_append (m, original + pos + 1, len - pos - 1);
          try_mutant (m->data, m->len, &n_opened);
        }
  g_test_message ("%u mutants, %u opened", n_tries, n_opened);
  g_assert_cmpuint (n_opened, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/safetensors/round-trip", test_round_trip);
  g_test_add_func ("/hone/safetensors/crafted", test_crafted);
  g_test_add_func ("/hone/safetensors/mutations", test_mutations);

  return g_test_run ();
}
