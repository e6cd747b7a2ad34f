/* test-tokenizer-json.c — tokenizer.json written from a vocabulary: the GGUF test model
 * and the Hugging Face folder test model of the same vocabulary and seed give the same
 * ids, and HF `tokenizers` reading the written tokenizer.json agrees.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "model/hone-test-model.h"
#include "text/hone-tokenizer.h"

#include "hone-test-util.h"

typedef struct
{
  char          *dir;
  HoneTokenizer *gguf;
  HoneTokenizer *hf;
  GPtrArray     *strings;
} Fixture;

static char *
vocab_dir (void)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");

  return g_build_filename (testdata != NULL ? testdata : "../shared/testdata", "vocab", NULL);
}

/* The .inp strings of @name, and a few with the vocabulary's own special tokens in them. */
static GPtrArray *
read_strings (const char *name,
              HoneVocab  *vocab)
{
  g_autofree char *dir = vocab_dir ();
  g_autofree char *file = g_strdup_printf ("ggml-vocab-%s.gguf.inp", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pieces = NULL;
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  gint32 special[] = { hone_vocab_get_bos (vocab), hone_vocab_get_eos (vocab) };

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  pieces = g_strsplit (data, "\n__ggml_vocab_test__\n", -1);
  for (guint i = 0; pieces[i] != NULL && pieces[i + 1] != NULL; i++)
    g_ptr_array_add (strings, g_strdup (pieces[i]));
  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    {
      const char *text;
      gsize len;

      if (special[i] < 0)
        continue;
      text = hone_vocab_get_token_text (vocab, special[i], &len);
      g_ptr_array_add (strings, g_strdup_printf ("%.*s", (int) len, text));
      g_ptr_array_add (strings, g_strdup_printf ("Hello%.*s world", (int) len, text));
      g_ptr_array_add (strings, g_strdup_printf (" a %.*s\n\n %.*sb", (int) len, text,
                                                 (int) len, text));
    }
  return strings;
}

static gboolean
fixture_init (Fixture    *f,
              const char *name)
{
  g_autofree char *dir = vocab_dir ();
  g_autofree char *file = g_strdup_printf ("ggml-vocab-%s.gguf", name);
  g_autofree char *vocab_path = g_build_filename (dir, file, NULL);
  g_autofree char *gguf_path = NULL;
  g_autofree char *hf_path = NULL;
  g_autoptr(GError) error = NULL;
  HoneTestModelOptions o;

  if (!g_file_test (vocab_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("%s is missing (set HONE_TESTDATA)", vocab_path);
      g_test_skip (msg);
      return FALSE;
    }
  f->dir = hone_test_make_temp_dir ("hone-tokenizer-json-XXXXXX");
  gguf_path = g_build_filename (f->dir, "model.gguf", NULL);
  hf_path = g_build_filename (f->dir, "hf", NULL);

  hone_test_model_options_init (&o, HONE_ARCH_LLAMA);
  o.n_layers = 1;
  o.dim = 32;
  o.n_heads = 2;
  o.n_kv_heads = 1;
  o.vocab_from = vocab_path;
  o.seed = 11;
  hone_test_model_write (&o, gguf_path, &error);
  g_assert_no_error (error);
  o.hf = TRUE;
  hone_test_model_write (&o, hf_path, &error);
  g_assert_no_error (error);

  f->gguf = hone_tokenizer_new_from_path (gguf_path, &error);
  g_assert_no_error (error);
  f->hf = hone_tokenizer_new_from_path (hf_path, &error);
  g_assert_no_error (error);
  f->strings = read_strings (name, hone_tokenizer_get_vocab (f->gguf));
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->gguf, hone_tokenizer_free);
  g_clear_pointer (&f->hf, hone_tokenizer_free);
  g_clear_pointer (&f->strings, g_ptr_array_unref);
  if (f->dir != NULL)
    hone_test_remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

static char *
ids_to_string (const gint32 *ids,
               guint         n)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, i > 0 ? ", %d" : "%d", ids[i]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static GArray *
encode (HoneTokenizer   *tokenizer,
        const char      *text,
        HoneEncodeFlags  flags)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  hone_tokenizer_encode (tokenizer, text, -1, flags, ids);
  return ids;
}

static gboolean
same_ids (const gint32 *a,
          guint         n_a,
          const gint32 *b,
          guint         n_b)
{
  return n_a == n_b && (n_a == 0 || memcmp (a, b, n_a * sizeof (gint32)) == 0);
}

static void
test_gguf_vs_hf (gconstpointer data)
{
  const char *name = data;
  static const HoneEncodeFlags flag_sets[] = {
    HONE_ENCODE_NONE,
    HONE_ENCODE_PARSE_SPECIAL,
    HONE_ENCODE_ADD_SPECIAL | HONE_ENCODE_PARSE_SPECIAL,
  };
  Fixture f = { 0 };
  guint mismatches = 0;

  if (!fixture_init (&f, name))
    return;
  for (guint k = 0; k < G_N_ELEMENTS (flag_sets); k++)
    for (guint i = 0; i < f.strings->len; i++)
      {
        const char *s = g_ptr_array_index (f.strings, i);
        g_autoptr(GArray) want = encode (f.gguf, s, flag_sets[k]);
        g_autoptr(GArray) got = encode (f.hf, s, flag_sets[k]);
        g_autofree char *want_text = NULL, *got_text = NULL;
        g_autoptr(GError) error = NULL;

        if (!same_ids ((gint32 *) want->data, want->len, (gint32 *) got->data, got->len))
          {
            g_autofree char *w = ids_to_string ((gint32 *) want->data, want->len);
            g_autofree char *g = ids_to_string ((gint32 *) got->data, got->len);

            if (mismatches++ < 5)
              g_test_message ("%s, flags %u: “%s”\n  gguf %s\n  hf   %s", name, flag_sets[k],
                              s, w, g);
            continue;
          }
        want_text = hone_tokenizer_decode (f.gguf, (gint32 *) want->data, want->len,
                                           HONE_DECODE_SPECIAL, NULL, &error);
        g_assert_no_error (error);
        got_text = hone_tokenizer_decode (f.hf, (gint32 *) got->data, got->len,
                                          HONE_DECODE_SPECIAL, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (got_text, ==, want_text);
      }
  g_assert_cmpuint (mismatches, ==, 0);
  fixture_clear (&f);
}

/* The python side of the HF comparison: one JSON array of strings in, for each string the
 * ids with special tokens parsed, parsed and added (BOS/EOS), and as text out. */
static const char hf_script[] =
  "import json, sys\n"
  "from tokenizers import Tokenizer\n"
  "tk = Tokenizer.from_file(sys.argv[1])\n"
  "strings = json.load(open(sys.argv[2], encoding='utf-8'))\n"
  "parsed = [tk.encode(s, add_special_tokens=False).ids for s in strings]\n"
  "added = [tk.encode(s, add_special_tokens=True).ids for s in strings]\n"
  "tk.encode_special_tokens = True\n"
  "plain = [tk.encode(s, add_special_tokens=False).ids for s in strings]\n"
  "json.dump({'parsed': parsed, 'added': added, 'plain': plain}, sys.stdout)\n";

static gboolean
venv_has_tokenizers (const char **python)
{
  static gsize once = 0;
  static gboolean ok = FALSE;

  *python = g_getenv ("HONE_VENV_PYTHON");
  if (g_once_init_enter (&once))
    {
      const char *argv[] = { *python, "-c", "import tokenizers", NULL };
      int status = -1;

      ok = *python != NULL && g_file_test (*python, G_FILE_TEST_IS_EXECUTABLE)
           && g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                            | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL)
           && g_spawn_check_wait_status (status, NULL);
      g_once_init_leave (&once, 1);
    }
  return ok;
}

static void
compare_with_hf (const char    *name,
                 Fixture       *f,
                 JsonArray     *hf_ids,
                 HoneEncodeFlags flags)
{
  guint mismatches = 0;

  g_assert_cmpuint (json_array_get_length (hf_ids), ==, f->strings->len);
  for (guint i = 0; i < f->strings->len; i++)
    {
      const char *s = g_ptr_array_index (f->strings, i);
      g_autoptr(GArray) got = encode (f->hf, s, flags);
      JsonArray *list = json_array_get_array_element (hf_ids, i);
      g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (gint32));

      for (guint j = 0; j < json_array_get_length (list); j++)
        {
          gint32 id = (gint32) json_array_get_int_element (list, j);
          g_array_append_val (want, id);
        }
      if (!same_ids ((gint32 *) want->data, want->len, (gint32 *) got->data, got->len))
        {
          g_autofree char *w = ids_to_string ((gint32 *) want->data, want->len);
          g_autofree char *g = ids_to_string ((gint32 *) got->data, got->len);

          if (mismatches++ < 5)
            g_test_message ("%s, flags %u: “%s”\n  HF   %s\n  Hone %s", name, flags, s, w, g);
        }
    }
  g_assert_cmpuint (mismatches, ==, 0);
}

static void
test_hf_tokenizers (gconstpointer data)
{
  const char *name = data;
  const char *python = NULL;
  Fixture f = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *strings_json = NULL, *strings_path = NULL, *tokenizer_path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *result;
  int status = -1;

  if (!venv_has_tokenizers (&python))
    {
      g_test_skip ("HONE_VENV_PYTHON has no `tokenizers` (run build-aux/setup.sh)");
      return;
    }
  if (!fixture_init (&f, name))
    return;

  json_builder_begin_array (b);
  for (guint i = 0; i < f.strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (f.strings, i));
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  strings_json = json_generator_to_data (generator, NULL);
  strings_path = hone_test_write_file (f.dir, "strings.json", strings_json, -1);
  tokenizer_path = g_build_filename (f.dir, "hf", "tokenizer.json", NULL);

  {
    const char *argv[] = { python, "-c", hf_script, tokenizer_path, strings_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                  &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("HF tokenizers failed on %s: %s", tokenizer_path, err);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  compare_with_hf (name, &f, json_object_get_array_member (result, "parsed"),
                   HONE_ENCODE_PARSE_SPECIAL);
  compare_with_hf (name, &f, json_object_get_array_member (result, "added"),
                   HONE_ENCODE_PARSE_SPECIAL | HONE_ENCODE_ADD_SPECIAL);
  compare_with_hf (name, &f, json_object_get_array_member (result, "plain"),
                   HONE_ENCODE_NONE);
  fixture_clear (&f);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  dir = vocab_dir ();
  d = g_dir_open (dir, 0, NULL);
  for (const char *file; d != NULL && (file = g_dir_read_name (d)) != NULL;)
    if (g_str_has_prefix (file, "ggml-vocab-") && g_str_has_suffix (file, ".gguf"))
      g_ptr_array_add (names, g_strndup (file + strlen ("ggml-vocab-"),
                                         strlen (file) - strlen ("ggml-vocab-.gguf")));
  g_ptr_array_sort (names, compare_names);
  if (names->len == 0)
    g_ptr_array_add (names, g_strdup ("llama-spm"));  /* skips, naming the missing file */

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *p1 = g_strdup_printf ("/hone/tokenizer-json/%s/gguf-vs-hf", name);
      g_autofree char *p2 = g_strdup_printf ("/hone/tokenizer-json/%s/hf-tokenizers", name);

      g_test_add_data_func (p1, name, test_gguf_vs_hf);
      g_test_add_data_func (p2, name, test_hf_tokenizers);
    }
  return g_test_run ();
}
