/* test-gguf.c — the GGUF reader and writer: round trips, every value type, the typed
 * getters, the shared vocabulary files, crafted and mutated files, and a cross-check
 * against the `gguf` Python package (llama.cpp's own reader and writer) both ways.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "model/hone-gguf.h"
#include "hone-test-util.h"

/* The oracle */

/* Runs tests/gguf-oracle.py with @args through the test venv's python; NULL with the
 * test skipped when that python or its gguf package is missing. */
static char *
run_oracle (const char * const *args)
{
  const char *python = g_getenv ("HONE_VENV_PYTHON");
  const char *root = g_getenv ("HONE_SOURCE_ROOT");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (python == NULL || root == NULL || !g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no test venv python (HONE_VENV_PYTHON); run build-aux/setup.sh");
      return NULL;
    }
  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup ("import gguf"));
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("the test venv has no gguf package");
      return NULL;
    }

  g_ptr_array_set_size (argv, 0);
  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_build_filename (root, "tests", "gguf-oracle.py", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("gguf-oracle.py %s failed:\n%s", args[0], err);
  return g_steal_pointer (&out);
}

/* Manifests (see gguf-oracle.py) */

static void
check_element (const HoneGgufArray *array,
               guint64              index,
               const char          *element_type,
               JsonNode            *expected,
               const char          *key)
{
  if (g_str_equal (element_type, "string"))
    {
      gsize len;
      const char *s = hone_gguf_array_get_string (array, index, &len);
      const char *want = json_node_get_string (expected);

      g_assert_nonnull (s);
      g_assert_cmpuint (len, ==, strlen (want));
      g_assert_true (memcmp (s, want, len) == 0);
    }
  else if (g_str_equal (element_type, "array"))
    {
      const HoneGgufArray *inner = hone_gguf_array_get_array (array, index);
      JsonArray *items = json_node_get_array (expected);

      g_assert_nonnull (inner);
      g_assert_cmpuint (hone_gguf_array_get_length (inner), ==, json_array_get_length (items));
      for (guint i = 0; i < json_array_get_length (items); i++)
        check_element (inner, i, hone_gguf_type_name (hone_gguf_array_get_type (inner)),
                       json_array_get_element (items, i), key);
    }
  else if (g_str_equal (element_type, "bool"))
    {
      guint64 v;

      g_assert_true (hone_gguf_array_get_uint (array, index, &v));
      g_assert_cmpint (v != 0, ==, json_node_get_boolean (expected));
    }
  else if (g_str_equal (element_type, "float32") || g_str_equal (element_type, "float64"))
    {
      double v;

      g_assert_true (hone_gguf_array_get_double (array, index, &v));
      g_assert_cmpfloat (v, ==, json_node_get_double (expected));
    }
  else
    {
      const char *want = json_node_get_string (expected);

      if (want[0] == '-')
        {
          gint64 v;

          g_assert_true (hone_gguf_array_get_int (array, index, &v));
          g_assert_cmpint (v, ==, g_ascii_strtoll (want, NULL, 10));
        }
      else
        {
          guint64 v;

          g_assert_true (hone_gguf_array_get_uint (array, index, &v));
          g_assert_cmpuint (v, ==, g_ascii_strtoull (want, NULL, 10));
        }
    }
}

static void
check_kv (HoneGguf   *gguf,
          JsonObject *entry)
{
  const char *key = json_object_get_string_member (entry, "key");
  const char *type = json_object_get_string_member (entry, "type");
  JsonNode *value = json_object_get_member (entry, "value");
  g_autoptr(GError) error = NULL;

  g_test_message ("key %s", key);
  g_assert_true (hone_gguf_has_key (gguf, key));
  g_assert_cmpstr (hone_gguf_type_name (hone_gguf_get_key_type (gguf, key)), ==, type);

  if (g_str_equal (type, "string"))
    {
      gsize len;
      const char *s = hone_gguf_get_string (gguf, key, &len, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (s, ==, json_node_get_string (value));
      g_assert_cmpuint (len, ==, strlen (s));
    }
  else if (g_str_equal (type, "bool"))
    {
      gboolean b;

      g_assert_true (hone_gguf_get_bool (gguf, key, &b, &error));
      g_assert_cmpint (b, ==, json_node_get_boolean (value));
    }
  else if (g_str_equal (type, "float32") || g_str_equal (type, "float64"))
    {
      double d;

      g_assert_true (hone_gguf_get_f64 (gguf, key, &d, &error));
      g_assert_cmpfloat (d, ==, json_node_get_double (value));
    }
  else if (g_str_equal (type, "array"))
    {
      const HoneGgufArray *array = hone_gguf_get_array (gguf, key, &error);
      const char *element_type = json_object_get_string_member (entry, "element_type");
      JsonArray *items = json_node_get_array (value);

      g_assert_no_error (error);
      g_assert_cmpstr (hone_gguf_type_name (hone_gguf_array_get_type (array)), ==, element_type);
      g_assert_cmpuint (hone_gguf_array_get_length (array), ==, json_array_get_length (items));
      for (guint i = 0; i < json_array_get_length (items); i++)
        check_element (array, i, element_type, json_array_get_element (items, i), key);
    }
  else
    {
      const char *want = json_node_get_string (value);

      if (want[0] == '-')
        {
          gint64 v;

          g_assert_true (hone_gguf_get_i64 (gguf, key, &v, &error));
          g_assert_cmpint (v, ==, g_ascii_strtoll (want, NULL, 10));
        }
      else
        {
          guint64 v;

          g_assert_true (hone_gguf_get_u64 (gguf, key, &v, &error));
          g_assert_cmpuint (v, ==, g_ascii_strtoull (want, NULL, 10));
        }
    }
  g_assert_no_error (error);
}

static void
check_manifest (HoneGguf   *gguf,
                const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *kvs, *tensors;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpuint (hone_gguf_get_version (gguf), ==,
                    json_object_get_int_member (root, "version"));
  g_assert_cmpuint (hone_gguf_get_alignment (gguf), ==,
                    json_object_get_int_member (root, "alignment"));
  kvs = json_object_get_array_member (root, "kv");
  for (guint i = 0; i < json_array_get_length (kvs); i++)
    check_kv (gguf, json_array_get_object_element (kvs, i));

  tensors = json_object_get_array_member (root, "tensors");
  g_assert_cmpuint (hone_gguf_get_n_tensors (gguf), ==, json_array_get_length (tensors));
  for (guint i = 0; i < json_array_get_length (tensors); i++)
    {
      JsonObject *t = json_array_get_object_element (tensors, i);
      const HoneGgufTensor *tensor =
        hone_gguf_find_tensor (gguf, json_object_get_string_member (t, "name"));
      JsonArray *ne = json_object_get_array_member (t, "ne");
      g_autofree char *sha = NULL;

      g_assert_nonnull (tensor);
      g_assert_cmpint (tensor->type, ==, json_object_get_int_member (t, "type"));
      g_assert_cmpuint (tensor->n_dims, ==, json_array_get_length (ne));
      for (guint d = 0; d < tensor->n_dims; d++)
        g_assert_cmpuint (tensor->ne[d], ==, json_array_get_int_element (ne, d));
      g_assert_cmpuint ((guintptr) tensor->data % hone_gguf_get_alignment (gguf), ==, 0);
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, tensor->data, tensor->size);
      g_assert_cmpstr (sha, ==, json_object_get_string_member (t, "sha256"));
    }
}

/* A file with one of everything the writer writes */

static const char *const sample_strings[] = {
  "<unk>", "<s>", "▁the", "", "日本語 ✓", "a\"b\\c",
};

static GBytes *
float_bytes (guint n,
             float scale)
{
  float *values = g_new (float, n);

  for (guint i = 0; i < n; i++)
    values[i] = scale * ((float) i - (float) n / 3.0f);
  return g_bytes_new_take (values, n * sizeof (float));
}

static HoneGgufWriter *
sample_writer (void)
{
  HoneGgufWriter *writer = hone_gguf_writer_new ();
  float f32s[] = { 0.5f, -2.0f, 1e-20f };
  gint32 i32s[] = { 3, -4, G_MAXINT32 };
  guint64 ne2[] = { 64, 3 };
  guint64 ne1[] = { 5 };
  g_autoptr(GBytes) a = float_bytes (5, 0.25f);
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;
  guint8 q8[3 * 2 * 34];

  hone_gguf_writer_set_string (writer, "general.architecture", "llama");
  hone_gguf_writer_set_u8 (writer, "t.u8", 255);
  hone_gguf_writer_set_i8 (writer, "t.i8", -128);
  hone_gguf_writer_set_u16 (writer, "t.u16", 65535);
  hone_gguf_writer_set_i16 (writer, "t.i16", -32768);
  hone_gguf_writer_set_u32 (writer, "t.u32", 4000000000u);
  hone_gguf_writer_set_i32 (writer, "t.i32", -7);
  hone_gguf_writer_set_u64 (writer, "t.u64", G_MAXUINT64);
  hone_gguf_writer_set_i64 (writer, "t.i64", G_MININT64);
  hone_gguf_writer_set_f32 (writer, "t.f32", 0.1f);
  hone_gguf_writer_set_f64 (writer, "t.f64", 0.1);
  hone_gguf_writer_set_bool (writer, "t.bool", TRUE);
  hone_gguf_writer_set_string (writer, "t.string", "héllo");
  hone_gguf_writer_set_string (writer, "t.replaced", "first");
  hone_gguf_writer_set_strings (writer, "t.strings", sample_strings, NULL,
                                G_N_ELEMENTS (sample_strings));
  hone_gguf_writer_set_array (writer, "t.f32s", HONE_GGUF_TYPE_FLOAT32, f32s, 3);
  hone_gguf_writer_set_array (writer, "t.i32s", HONE_GGUF_TYPE_INT32, i32s, 3);
  hone_gguf_writer_set_array (writer, "t.empty", HONE_GGUF_TYPE_UINT8, NULL, 0);
  hone_gguf_writer_set_string (writer, "t.replaced", "second");
  hone_gguf_writer_set_alignment (writer, 64);

  g_assert_true (hone_gguf_writer_add_tensor (writer, "a", HONE_GGML_TYPE_F32, 1, ne1, a,
                                              &error));
  g_assert_no_error (error);
  for (guint i = 0; i < sizeof q8; i++)
    q8[i] = (guint8) (i * 7);
  b = g_bytes_new (q8, sizeof q8);
  g_assert_true (hone_gguf_writer_add_tensor (writer, "blk.0.attn_q.weight", HONE_GGML_TYPE_Q8_0,
                                              2, ne2, b, &error));
  g_assert_no_error (error);
  return writer;
}

static void
test_round_trip (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "model.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = sample_writer ();
  g_autoptr(HoneGguf) gguf = NULL;
  g_autoptr(GError) error = NULL;
  const HoneGgufArray *array;
  const HoneGgufTensor *tensor;
  g_autofree float *f32s = NULL;
  g_autofree gint32 *i32s = NULL;
  g_auto(GStrv) strv = NULL;
  guint8 u8;
  gint8 i8;
  guint16 u16;
  gint16 i16;
  guint32 u32;
  gint32 i32;
  guint64 u64;
  gint64 i64;
  float f;
  double d;
  gboolean b;
  gsize len;

  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_no_error (error);
  gguf = hone_gguf_open (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (hone_gguf_get_name (gguf), ==, "model.gguf");
  g_assert_cmpuint (hone_gguf_get_version (gguf), ==, 3);
  g_assert_cmpuint (hone_gguf_get_alignment (gguf), ==, 64);
  g_assert_cmpuint (hone_gguf_get_data_offset (gguf) % 64, ==, 0);
  /* replaced in place: the order of first setting is kept */
  g_assert_cmpuint (hone_gguf_get_n_keys (gguf), ==, 19);
  g_assert_cmpstr (hone_gguf_get_key (gguf, 0), ==, "general.architecture");
  g_assert_cmpstr (hone_gguf_get_key (gguf, 13), ==, "t.replaced");
  g_assert_cmpstr (hone_gguf_get_string (gguf, "t.replaced", NULL, &error), ==, "second");

  g_assert_true (hone_gguf_get_u8 (gguf, "t.u8", &u8, &error) && u8 == 255);
  g_assert_true (hone_gguf_get_i8 (gguf, "t.i8", &i8, &error) && i8 == -128);
  g_assert_true (hone_gguf_get_u16 (gguf, "t.u16", &u16, &error) && u16 == 65535);
  g_assert_true (hone_gguf_get_i16 (gguf, "t.i16", &i16, &error) && i16 == -32768);
  g_assert_true (hone_gguf_get_u32 (gguf, "t.u32", &u32, &error) && u32 == 4000000000u);
  g_assert_true (hone_gguf_get_i32 (gguf, "t.i32", &i32, &error) && i32 == -7);
  g_assert_true (hone_gguf_get_u64 (gguf, "t.u64", &u64, &error) && u64 == G_MAXUINT64);
  g_assert_true (hone_gguf_get_i64 (gguf, "t.i64", &i64, &error) && i64 == G_MININT64);
  g_assert_true (hone_gguf_get_f32 (gguf, "t.f32", &f, &error) && f == 0.1f);
  g_assert_true (hone_gguf_get_f64 (gguf, "t.f64", &d, &error) && d == 0.1);
  g_assert_true (hone_gguf_get_bool (gguf, "t.bool", &b, &error) && b);
  g_assert_cmpstr (hone_gguf_get_string (gguf, "t.string", &len, &error), ==, "héllo");
  g_assert_cmpuint (len, ==, strlen ("héllo"));
  g_assert_no_error (error);

  array = hone_gguf_get_array (gguf, "t.strings", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_gguf_array_get_type (array), ==, HONE_GGUF_TYPE_STRING);
  g_assert_cmpuint (hone_gguf_array_get_length (array), ==, G_N_ELEMENTS (sample_strings));
  for (guint i = 0; i < G_N_ELEMENTS (sample_strings); i++)
    {
      const char *s = hone_gguf_array_get_string (array, i, &len);
      g_autofree char *copy = hone_gguf_array_dup_string (array, i);

      g_assert_cmpuint (len, ==, strlen (sample_strings[i]));
      g_assert_true (memcmp (s, sample_strings[i], len) == 0);
      g_assert_cmpstr (copy, ==, sample_strings[i]);
    }
  strv = hone_gguf_array_dup_strv (array, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (strv, (const char * const *) sample_strings);

  f32s = hone_gguf_array_dup_f32 (hone_gguf_get_array (gguf, "t.f32s", NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (f32s[0], ==, 0.5f);
  g_assert_cmpfloat (f32s[2], ==, 1e-20f);
  i32s = hone_gguf_array_dup_i32 (hone_gguf_get_array (gguf, "t.i32s", NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpint (i32s[1], ==, -4);
  g_assert_cmpint (i32s[2], ==, G_MAXINT32);
  array = hone_gguf_get_array (gguf, "t.empty", &error);
  g_assert_cmpuint (hone_gguf_array_get_length (array), ==, 0);

  g_assert_cmpuint (hone_gguf_get_n_tensors (gguf), ==, 2);
  tensor = hone_gguf_get_tensor (gguf, 0);
  g_assert_cmpstr (tensor->name, ==, "a");
  g_assert_cmpint (tensor->type, ==, HONE_GGML_TYPE_F32);
  g_assert_cmpuint (tensor->n_dims, ==, 1);
  g_assert_cmpuint (tensor->ne[0], ==, 5);
  g_assert_cmpuint (tensor->ne[1], ==, 1);
  g_assert_cmpuint (tensor->size, ==, 20);
  g_assert_cmpfloat (((const float *) tensor->data)[4], ==, 0.25f * (4.0f - 5.0f / 3.0f));
  tensor = hone_gguf_find_tensor (gguf, "blk.0.attn_q.weight");
  g_assert_nonnull (tensor);
  g_assert_cmpint (tensor->type, ==, HONE_GGML_TYPE_Q8_0);
  g_assert_cmpuint (tensor->ne[0], ==, 64);
  g_assert_cmpuint (tensor->ne[1], ==, 3);
  g_assert_cmpuint (tensor->n_elements, ==, 192);
  g_assert_cmpuint (tensor->size, ==, 6 * 34);
  g_assert_cmpuint (tensor->offset % 64, ==, 0);
  g_assert_cmpuint (((const guint8 *) tensor->data)[100], ==, (guint8) 700);
  g_assert_null (hone_gguf_find_tensor (gguf, "nope"));

  hone_test_remove_tree (dir);
}

static void
test_getters (void)
{
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "g.gguf", NULL);
  g_autoptr(HoneGguf) gguf = NULL;
  g_autoptr(GError) error = NULL;
  gint32 neg[] = { -1, 5 };
  guint8 small[] = { 1, 2, 250 };
  guint32 u32;
  gint32 i32;
  guint8 u8;
  gint8 i8;
  gint64 i64;
  float f;
  g_autofree guint32 *u32s = NULL;
  g_autofree float *fs = NULL;
  g_autofree gint32 *i32s = NULL;
  g_autofree char *text = NULL;

  hone_gguf_writer_set_u8 (writer, "small", 7);
  hone_gguf_writer_set_i64 (writer, "wide", 7);
  hone_gguf_writer_set_i64 (writer, "big", (gint64) 1 << 40);
  hone_gguf_writer_set_i32 (writer, "neg", -3);
  hone_gguf_writer_set_string (writer, "s", "x");
  hone_gguf_writer_set_array (writer, "negs", HONE_GGUF_TYPE_INT32, neg, 2);
  hone_gguf_writer_set_array (writer, "smalls", HONE_GGUF_TYPE_UINT8, small, 3);
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  gguf = hone_gguf_open (path, &error);
  g_assert_no_error (error);

  /* widths promote when the value fits */
  g_assert_true (hone_gguf_get_u32 (gguf, "small", &u32, &error) && u32 == 7);
  g_assert_true (hone_gguf_get_u8 (gguf, "wide", &u8, &error) && u8 == 7);
  g_assert_true (hone_gguf_get_i32 (gguf, "neg", &i32, &error) && i32 == -3);
  g_assert_true (hone_gguf_get_i8 (gguf, "neg", &i8, &error) && i8 == -3);
  g_assert_true (hone_gguf_get_i64 (gguf, "big", &i64, &error) && i64 == (gint64) 1 << 40);
  g_assert_true (hone_gguf_get_f32 (gguf, "small", &f, &error) && f == 7.0f);
  g_assert_no_error (error);

  g_assert_false (hone_gguf_get_u32 (gguf, "big", &u32, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_assert_true (g_str_has_prefix (error->message, "g.gguf: "));
  g_clear_error (&error);
  g_assert_false (hone_gguf_get_u32 (gguf, "neg", &u32, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_clear_error (&error);
  g_assert_false (hone_gguf_get_u32 (gguf, "s", &u32, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_assert_nonnull (strstr (error->message, "'s'"));
  g_clear_error (&error);
  g_assert_null (hone_gguf_get_string (gguf, "small", NULL, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_clear_error (&error);
  g_assert_false (hone_gguf_get_u32 (gguf, "llama.block_count", &u32, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING);
  g_assert_cmpstr (error->message, ==, "g.gguf: no metadata key 'llama.block_count'");
  g_clear_error (&error);
  g_assert_cmpint (hone_gguf_get_key_type (gguf, "absent"), ==, HONE_GGUF_TYPE_NONE);
  g_assert_null (hone_gguf_get_array (gguf, "s", &error));
  g_clear_error (&error);

  u32s = hone_gguf_array_dup_u32 (hone_gguf_get_array (gguf, "negs", NULL), &error);
  g_assert_null (u32s);
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_clear_error (&error);
  u32s = hone_gguf_array_dup_u32 (hone_gguf_get_array (gguf, "smalls", NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (u32s[2], ==, 250);
  i32s = hone_gguf_array_dup_i32 (hone_gguf_get_array (gguf, "smalls", NULL), &error);
  g_assert_cmpint (i32s[2], ==, 250);
  fs = hone_gguf_array_dup_f32 (hone_gguf_get_array (gguf, "negs", NULL), &error);
  g_assert_cmpfloat (fs[0], ==, -1.0f);
  g_assert_null (hone_gguf_array_dup_strv (hone_gguf_get_array (gguf, "negs", NULL), &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE);
  g_clear_error (&error);

  text = hone_gguf_dup_value_text (gguf, "negs", 8);
  g_assert_cmpstr (text, ==, "[int32 × 2] [-1, 5]");
  hone_test_remove_tree (dir);
}

/* Every shared vocabulary file opens and lists its metadata. */
static void
test_vocab_files (void)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");
  g_autofree char *vocab = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  guint n_files = 0;

  if (testdata == NULL)
    {
      g_test_skip ("HONE_TESTDATA is not set");
      return;
    }
  vocab = g_build_filename (testdata, "vocab", NULL);
  dir = g_dir_open (vocab, 0, NULL);
  if (dir == NULL)
    {
      g_test_skip ("no shared vocabulary files");
      return;
    }
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(HoneGguf) gguf = NULL;
      g_autoptr(GError) error = NULL;
      const HoneGgufArray *tokens;
      const char *model;
      guint64 n_tokens;

      if (!g_str_has_suffix (entry, ".gguf"))
        continue;
      path = g_build_filename (vocab, entry, NULL);
      gguf = hone_gguf_open (path, &error);
      g_assert_no_error (error);
      n_files++;

      for (guint i = 0; i < hone_gguf_get_n_keys (gguf); i++)
        {
          const char *key = hone_gguf_get_key (gguf, i);
          g_autofree char *text = hone_gguf_dup_value_text (gguf, key, 4);

          g_assert_nonnull (text);
          if (i < 64)
            g_test_message ("%s: %s = %s", entry, key, text);
        }
      model = hone_gguf_get_string (gguf, "tokenizer.ggml.model", NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_equal (model, "llama") || g_str_equal (model, "gpt2"));
      tokens = hone_gguf_get_array (gguf, "tokenizer.ggml.tokens", &error);
      g_assert_no_error (error);
      n_tokens = hone_gguf_array_get_length (tokens);
      g_assert_cmpuint (n_tokens, >, 1000);
      for (guint64 i = 0; i < n_tokens; i++)
        {
          gsize len;

          g_assert_nonnull (hone_gguf_array_get_string (tokens, i, &len));
        }
      if (hone_gguf_has_key (gguf, "tokenizer.ggml.token_type"))
        {
          const HoneGgufArray *types = hone_gguf_get_array (gguf, "tokenizer.ggml.token_type",
                                                            &error);
          g_autofree gint32 *values = hone_gguf_array_dup_i32 (types, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (hone_gguf_array_get_length (types), ==, n_tokens);
          g_assert_nonnull (values);
        }
      if (hone_gguf_has_key (gguf, "tokenizer.ggml.scores"))
        {
          const HoneGgufArray *scores = hone_gguf_get_array (gguf, "tokenizer.ggml.scores",
                                                             &error);
          g_autofree float *values = hone_gguf_array_dup_f32 (scores, &error);

          g_assert_no_error (error);
          g_assert_nonnull (values);
        }
      if (hone_gguf_has_key (gguf, "tokenizer.ggml.merges"))
        {
          const HoneGgufArray *merges = hone_gguf_get_array (gguf, "tokenizer.ggml.merges",
                                                             &error);
          g_auto(GStrv) strv = hone_gguf_array_dup_strv (merges, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (g_strv_length (strv), >, 100);
        }
    }
  g_assert_cmpuint (n_files, >, 0);
}

/* Python's gguf writes, Hone reads. */
static void
test_python_writes (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "py.gguf", NULL);
  const char *args[] = { "write", path, NULL };
  g_autofree char *manifest = run_oracle (args);
  g_autoptr(HoneGguf) gguf = NULL;
  g_autoptr(GError) error = NULL;

  if (manifest == NULL)
    {
      hone_test_remove_tree (dir);
      return;
    }
  gguf = hone_gguf_open (path, &error);
  g_assert_no_error (error);
  check_manifest (gguf, manifest);
  hone_test_remove_tree (dir);
}

/* Hone writes, Python's gguf reads; both views agree with what was written. */
static void
test_python_reads (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "hone.gguf", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "copy.gguf", NULL);
  g_autofree char *py_path = g_build_filename (dir, "py.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = sample_writer ();
  g_autoptr(HoneGgufWriter) copier = hone_gguf_writer_new ();
  g_autoptr(HoneGguf) gguf = NULL;
  g_autoptr(HoneGguf) py = NULL;
  g_autoptr(HoneGguf) copy = NULL;
  g_autoptr(GError) error = NULL;
  const char *read_args[] = { "read", path, NULL };
  const char *write_args[] = { "write", py_path, NULL };
  const char *copy_args[] = { "read", copy_path, NULL };
  g_autofree char *manifest = NULL;
  g_autofree char *py_manifest = NULL;
  g_autofree char *copy_manifest = NULL;

  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  manifest = run_oracle (read_args);
  if (manifest == NULL)
    {
      hone_test_remove_tree (dir);
      return;
    }
  gguf = hone_gguf_open (path, &error);
  g_assert_no_error (error);
  check_manifest (gguf, manifest);

  /* Copying every key and tensor of Python's file (nested arrays too) gives a file
   * Python reads the same. */
  py_manifest = run_oracle (write_args);
  py = hone_gguf_open (py_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < hone_gguf_get_n_keys (py); i++)
    g_assert_true (hone_gguf_writer_copy_key (copier, py, hone_gguf_get_key (py, i), &error));
  for (guint i = 0; i < hone_gguf_get_n_tensors (py); i++)
    {
      const HoneGgufTensor *t = hone_gguf_get_tensor (py, i);
      g_autoptr(GBytes) data = g_bytes_new_static (t->data, t->size);

      g_assert_true (hone_gguf_writer_add_tensor (copier, t->name, t->type, t->n_dims, t->ne,
                                                  data, &error));
    }
  g_assert_true (hone_gguf_writer_write (copier, copy_path, &error));
  g_assert_no_error (error);
  copy_manifest = run_oracle (copy_args);
  copy = hone_gguf_open (copy_path, &error);
  g_assert_no_error (error);
  check_manifest (copy, py_manifest);
  check_manifest (copy, copy_manifest);
  hone_test_remove_tree (dir);
}

static void
test_atomic_write (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "out.gguf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "out.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = sample_writer ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  guint n = 0;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_no_error (error);
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1);  /* no temporary file left behind */

  g_assert_false (hone_gguf_writer_write (writer, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (error->message, "out.gguf: "));
  g_clear_error (&error);

  /* bad tensors are refused when added */
  {
    guint64 ne[] = { 33 };
    guint64 ne_ok[] = { 32 };
    g_autoptr(GBytes) bytes = g_bytes_new_static ("xxxx", 4);
    char long_name[80];

    g_assert_false (hone_gguf_writer_add_tensor (writer, "odd", HONE_GGML_TYPE_Q8_0, 1, ne,
                                                 bytes, &error));
    g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (hone_gguf_writer_add_tensor (writer, "short", HONE_GGML_TYPE_F32, 1, ne_ok,
                                                 bytes, &error));
    g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    memset (long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    g_assert_false (hone_gguf_writer_add_tensor (writer, long_name, HONE_GGML_TYPE_F32, 1, ne_ok,
                                                 bytes, &error));
    g_clear_error (&error);
    g_assert_false (hone_gguf_writer_add_tensor (writer, "a", HONE_GGML_TYPE_F32, 1, ne_ok,
                                                 bytes, &error));
    g_clear_error (&error);
  }
  hone_test_remove_tree (dir);
}

/* Crafted headers */

static void
put (GByteArray *out,
     guint64     value,
     guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 byte = i < 8 ? (value >> (8 * i)) & 0xff : 0;

      g_byte_array_append (out, &byte, 1);
    }
}

static void
put_str (GByteArray *out,
         const char *s)
{
  put (out, strlen (s), 8);
  g_byte_array_append (out, (const guint8 *) s, strlen (s));
}

static void
expect_refusal (GByteArray *file,
                gint        code,
                const char *needle)
{
  g_autoptr(GBytes) bytes = g_bytes_new (file->data, file->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGguf) gguf = hone_gguf_open_bytes ("bad.gguf", bytes, &error);

  g_assert_null (gguf);
  g_assert_error (error, HONE_MODEL_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "bad.gguf: "));
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static GByteArray *
header (guint32 version,
        guint64 n_tensors,
        guint64 n_kvs)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, (const guint8 *) "GGUF", 4);
  put (out, version, 4);
  put (out, n_tensors, 8);
  put (out, n_kvs, 8);
  return out;
}

static void
test_crafted (void)
{
  GByteArray *f;

  f = g_byte_array_new ();
  g_byte_array_append (f, (const guint8 *) "GGML....", 8);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "not a GGUF file");
  g_byte_array_unref (f);

  f = header (1, 0, 0);
  expect_refusal (f, HONE_MODEL_ERROR_UNSUPPORTED, "version 1");
  g_byte_array_unref (f);

  f = header (0x03000000, 0, 0);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "big-endian");
  g_byte_array_unref (f);

  f = header (3, 0, 0);
  g_byte_array_set_size (f, 12);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "ends inside the header");
  g_byte_array_unref (f);

  f = header (3, 0, G_MAXUINT64);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "metadata keys cannot fit");
  g_byte_array_unref (f);

  f = header (3, G_MAXUINT64 / 2, 0);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "tensors cannot fit");
  g_byte_array_unref (f);

  /* a string longer than the file */
  f = header (3, 0, 1);
  put (f, G_MAXUINT64, 8);
  put (f, 0, 16);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "runs past the end");
  g_byte_array_unref (f);

  /* unknown value type */
  f = header (3, 0, 1);
  put_str (f, "k");
  put (f, 13, 4);
  put (f, 0, 8);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "unknown value type 13");
  g_byte_array_unref (f);

  /* an array claiming more elements than there are bytes */
  f = header (3, 0, 1);
  put_str (f, "tokenizer.ggml.tokens");
  put (f, 9, 4);
  put (f, 8, 4);
  put (f, (guint64) 1 << 60, 8);
  put (f, 0, 16);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "'tokenizer.ggml.tokens' claims");
  g_byte_array_unref (f);

  f = header (3, 0, 1);
  put_str (f, "scores");
  put (f, 9, 4);
  put (f, 6, 4);
  put (f, (guint64) 1 << 62, 8);
  put (f, 0, 16);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "runs past the end");
  g_byte_array_unref (f);

  /* arrays nested without end */
  f = header (3, 0, 1);
  put_str (f, "deep");
  put (f, 9, 4);
  for (guint i = 0; i < 20; i++)
    {
      put (f, 9, 4);
      put (f, 1, 8);
    }
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "nested");
  g_byte_array_unref (f);

  /* duplicate key */
  f = header (3, 0, 2);
  for (guint i = 0; i < 2; i++)
    {
      put_str (f, "general.name");
      put (f, 4, 4);
      put (f, 1, 4);
    }
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "'general.name' appears twice");
  g_byte_array_unref (f);

  /* alignment */
  f = header (3, 0, 1);
  put_str (f, "general.alignment");
  put (f, 4, 4);
  put (f, 48, 4);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "power of two");
  g_byte_array_unref (f);

  f = header (3, 0, 1);
  put_str (f, "general.alignment");
  put (f, 8, 4);
  put_str (f, "32");
  expect_refusal (f, HONE_MODEL_ERROR_TYPE, "general.alignment");
  g_byte_array_unref (f);

  /* tensors */
  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 5, 4);
  put (f, 0, 64);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "tensor 'x' has 5 dimensions");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 1, 4);
  put (f, 4, 8);
  put (f, 99, 4);
  put (f, 0, 8);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "unknown type 99");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 2, 4);
  put (f, G_MAXINT64, 8);
  put (f, G_MAXINT64, 8);
  put (f, 0, 4);
  put (f, 0, 8);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "too many elements");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 1, 4);
  put (f, 31, 8);
  put (f, HONE_GGML_TYPE_Q8_0, 4);
  put (f, 0, 8);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "whole number of q8_0 blocks");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 1, 4);
  put (f, 1000, 8);
  put (f, HONE_GGML_TYPE_F32, 4);
  put (f, 0, 8);
  g_byte_array_set_size (f, 256);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "tensor 'x' data runs past the end of the file");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 1, 4);
  put (f, 4, 8);
  put (f, HONE_GGML_TYPE_F32, 4);
  put (f, G_MAXUINT64 - 31, 8);
  g_byte_array_set_size (f, 256);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "tensor 'x' data runs past the end of the file");
  g_byte_array_unref (f);

  f = header (3, 1, 0);
  put_str (f, "x");
  put (f, 1, 4);
  put (f, 4, 8);
  put (f, HONE_GGML_TYPE_F32, 4);
  put (f, 4, 8);
  g_byte_array_set_size (f, 256);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "not a multiple of the alignment");
  g_byte_array_unref (f);

  f = header (3, 2, 0);
  for (guint i = 0; i < 2; i++)
    {
      put_str (f, "x");
      put (f, 1, 4);
      put (f, 4, 8);
      put (f, HONE_GGML_TYPE_F32, 4);
      put (f, 0, 8);
    }
  g_byte_array_set_size (f, 256);
  expect_refusal (f, HONE_MODEL_ERROR_INVALID, "tensor 'x' appears twice");
  g_byte_array_unref (f);
}

/* Version 2 differs from 3 only in what 3 added (big-endian files): both read alike. */
static void
test_version_2 (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "v2.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = sample_writer ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HoneGguf) gguf = NULL;
  char *contents;
  gsize len;

  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  contents[4] = 2;
  bytes = g_bytes_new_take (contents, len);
  gguf = hone_gguf_open_bytes ("v2.gguf", bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hone_gguf_get_version (gguf), ==, 2);
  g_assert_cmpuint (hone_gguf_get_n_tensors (gguf), ==, 2);
  g_assert_cmpstr (hone_gguf_get_string (gguf, "t.string", NULL, &error), ==, "héllo");
  hone_test_remove_tree (dir);
}

static void
test_open_errors (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *missing = g_build_filename (dir, "missing.gguf", NULL);
  g_autofree char *empty = hone_test_write_file (dir, "empty.gguf", "", 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (hone_gguf_open (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (error->message, "missing.gguf: "));
  g_clear_error (&error);
  g_assert_null (hone_gguf_open (empty, &error));
  g_assert_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "empty.gguf: "));
  g_clear_error (&error);
  g_assert_null (hone_gguf_open (dir, &error));
  g_assert_nonnull (error);
  hone_test_remove_tree (dir);
}

/* Mutations: every outcome is a file that opens and reads through, or an error that
 * names it. Run under -Db_sanitize=address,undefined to catch what a crash would not. */

static guint64
walk (HoneGguf *gguf)
{
  guint64 sum = 0;

  for (guint i = 0; i < hone_gguf_get_n_keys (gguf); i++)
    {
      const char *key = hone_gguf_get_key (gguf, i);
      g_autofree char *text = hone_gguf_dup_value_text (gguf, key, 1000);
      const HoneGgufArray *array;

      sum += strlen (text);
      if (hone_gguf_get_key_type (gguf, key) != HONE_GGUF_TYPE_ARRAY)
        continue;
      array = hone_gguf_get_array (gguf, key, NULL);
      if (hone_gguf_array_get_type (array) == HONE_GGUF_TYPE_STRING)
        {
          g_auto(GStrv) strv = hone_gguf_array_dup_strv (array, NULL);

          sum += g_strv_length (strv);
        }
      else if (hone_gguf_array_get_type (array) != HONE_GGUF_TYPE_ARRAY)
        {
          g_autoptr(GError) error = NULL;
          g_autofree float *f = hone_gguf_array_dup_f32 (array, &error);
          g_autofree gint32 *n = hone_gguf_array_dup_i32 (array, &error);

          sum += f != NULL;
        }
    }
  for (guint i = 0; i < hone_gguf_get_n_tensors (gguf); i++)
    {
      const HoneGgufTensor *t = hone_gguf_get_tensor (gguf, i);

      for (gsize b = 0; b < t->size; b++)
        sum += ((const guint8 *) t->data)[b];
    }
  return sum;
}

static void
try_mutant (const guint8 *data,
            gsize         len,
            guint        *n_opened)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGguf) gguf = hone_gguf_open_bytes ("mutant.gguf", bytes, &error);

  if (gguf == NULL)
    {
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, "mutant.gguf: "))
        g_error ("the message does not name the file: %s", error->message);
      return;
    }
  walk (gguf);
  (*n_opened)++;
}

static void
test_mutations (void)
{
  g_autofree char *dir = hone_test_make_temp_dir ("hone-gguf-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "m.gguf", NULL);
  g_autoptr(HoneGgufWriter) writer = sample_writer ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = NULL;
  g_autofree guint8 *copy = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  static const guint64 huge[] = {
    G_MAXUINT64, G_MAXINT64, (guint64) G_MAXINT64 + 1, G_MAXUINT32, (guint64) 1 << 32,
    (guint64) 1 << 40, 0, 1, 0xfffffff0,
  };
  gsize len;
  guint n_opened = 0;
  guint n_tries = 0;

  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_true (g_file_get_contents (path, (char **) &original, &len, &error));
  copy = g_malloc (len);

  /* every truncation */
  for (gsize cut = 0; cut < len; cut++, n_tries++)
    try_mutant (original, cut, &n_opened);

  /* huge values at every position of the header: counts, lengths, types, dims */
  for (gsize pos = 0; pos + 8 <= MIN (len, 1024); pos++)
    for (guint h = 0; h < G_N_ELEMENTS (huge); h++)
      for (guint width = 4; width <= 8; width += 4)
        {
          memcpy (copy, original, len);
          for (guint b = 0; b < width; b++)
            copy[pos + b] = (huge[h] >> (8 * b)) & 0xff;
          try_mutant (copy, len, &n_opened);
          n_tries++;
        }

  /* random bit flips and bytes */
  for (guint round = 0; round < 20000; round++, n_tries++)
    {
      guint n_changes = g_rand_int_range (rand, 1, 5);

      memcpy (copy, original, len);
      for (guint c = 0; c < n_changes; c++)
        {
          /* mostly in the header, where the structure is */
          gsize pos = g_rand_int_range (rand, 0, g_rand_boolean (rand) ? MIN (len, 600) : len);

          if (g_rand_boolean (rand))
            copy[pos] ^= 1u << g_rand_int_range (rand, 0, 8);
          else
            copy[pos] = g_rand_int_range (rand, 0, 256);
        }
      try_mutant (copy, len, &n_opened);
    }
  g_test_message ("%u mutants, %u opened", n_tries, n_opened);
  g_assert_cmpuint (n_opened, >, 0);
  hone_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/gguf/round-trip", test_round_trip);
  g_test_add_func ("/hone/gguf/getters", test_getters);
  g_test_add_func ("/hone/gguf/vocab-files", test_vocab_files);
  g_test_add_func ("/hone/gguf/python-writes", test_python_writes);
  g_test_add_func ("/hone/gguf/python-reads", test_python_reads);
  g_test_add_func ("/hone/gguf/atomic-write", test_atomic_write);
  g_test_add_func ("/hone/gguf/crafted", test_crafted);
  g_test_add_func ("/hone/gguf/version-2", test_version_2);
  g_test_add_func ("/hone/gguf/open-errors", test_open_errors);
  g_test_add_func ("/hone/gguf/mutations", test_mutations);

  return g_test_run ();
}
