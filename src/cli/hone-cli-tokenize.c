/* hone-cli-tokenize.c — hone-cli tokenize, detokenize and bench tokenize.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output formats are contracts that tests and scripts rely on:
 *   tokenize          one line of ids separated by spaces
 *   tokenize --json   {"ids": [...], "pieces": [...]} (pieces: the vocabulary's strings)
 *   tokenize --batch  reads one JSON string per line on stdin and writes one line
 *                     {"ids": [...], "text": DECODED} per input, in order
 *   detokenize        the decoded text, as bytes, with no newline added
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "text/hone-tokenizer.h"
#include "hone-cli-private.h"

static HoneTokenizer *
open_tokenizer (const char *path,
                int        *status)
{
  g_autoptr(GError) error = NULL;
  HoneTokenizer *tokenizer = hone_tokenizer_new_from_path (path, &error);

  if (tokenizer == NULL)
    *status = hone_cli_fail_error (error);
  return tokenizer;
}

static JsonNode *
ids_node (GArray *ids)
{
  JsonArray *array = json_array_sized_new (ids->len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (array, g_array_index (ids, gint32, i));
  json_node_take_array (node, array);
  return node;
}

static void
add_valid_string (JsonObject *object,
                  const char *member,
                  const char *text,
                  gsize       len)
{
  if (g_utf8_validate_len (text, len, NULL))
    {
      g_autofree char *copy = g_strndup (text, len);
      json_object_set_string_member (object, member, copy);
    }
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, len);
      json_object_set_string_member (object, member, valid);
    }
}

static int
tokenize_batch (HoneTokenizer   *tokenizer,
                HoneEncodeFlags  flags)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int status = HONE_EXIT_OK;

  while ((n = getline (&line, &cap, stdin)) > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) result = json_object_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *out = NULL;
      g_autofree char *decoded = NULL;
      JsonNode *input;
      gsize decoded_len = 0;

      if (!json_parser_load_from_data (parser, line, n, &error)
          || (input = json_parser_get_root (parser)) == NULL
          || json_node_get_value_type (input) != G_TYPE_STRING)
        {
          status = hone_cli_fail (HONE_EXIT_BAD_INPUT, _("each input line must be a JSON string"));
          break;
        }
      g_array_set_size (ids, 0);
      hone_tokenizer_encode (tokenizer, json_node_get_string (input), -1, flags, ids);
      decoded = hone_tokenizer_decode (tokenizer, (const gint32 *) ids->data, ids->len,
                                       HONE_DECODE_NONE, &decoded_len, NULL);
      json_object_set_member (result, "ids", ids_node (ids));
      add_valid_string (result, "text", decoded, decoded_len);
      root = json_node_init_object (json_node_alloc (), result);
      json_generator_set_root (generator, root);
      out = json_generator_to_data (generator, NULL);
      fputs (out, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
    }
  free (line);
  return status;
}

int
hone_cli_tokenize (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MODEL TEXT"));
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  gboolean add_special = FALSE, parse_special = FALSE, json = FALSE, batch = FALSE;
  HoneEncodeFlags flags = HONE_ENCODE_NONE;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "add-special", 0, 0, G_OPTION_ARG_NONE, &add_special,
      N_("Add BOS/EOS where the model asks for them"), NULL },
    { "parse-special", 0, 0, G_OPTION_ARG_NONE, &parse_special,
      N_("Read control tokens written in the text as tokens"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print {\"ids\": […], \"pieces\": […]}"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_NONE, &batch,
      N_("Read one JSON string per line on stdin; print ids and decoded text per line"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print the token ids of TEXT. MODEL is a .gguf file, a "
                                  "tokenizer.json, or a Hugging Face folder."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != (batch ? 2 : 3))
    return hone_cli_fail (HONE_EXIT_USAGE,
                          _("usage: hone-cli tokenize MODEL TEXT [--add-special] "
                            "[--parse-special] [--json] | MODEL --batch"));

  tokenizer = open_tokenizer (argv[1], &status);
  if (tokenizer == NULL)
    return status;
  if (add_special)
    flags |= HONE_ENCODE_ADD_SPECIAL;
  if (parse_special)
    flags |= HONE_ENCODE_PARSE_SPECIAL;
  if (batch)
    return tokenize_batch (tokenizer, flags);

  hone_tokenizer_encode (tokenizer, argv[2], -1, flags, ids);
  if (json)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonNode) root = NULL;
      JsonArray *pieces = json_array_new ();
      HoneVocab *vocab = hone_tokenizer_get_vocab (tokenizer);

      for (guint i = 0; i < ids->len; i++)
        {
          gsize len;
          const char *text = hone_vocab_get_token_text (vocab, g_array_index (ids, gint32, i), &len);
          g_autofree char *valid = g_utf8_make_valid (text, len);

          json_array_add_string_element (pieces, valid);
        }
      json_object_set_member (object, "ids", ids_node (ids));
      json_object_set_array_member (object, "pieces", pieces);
      root = json_node_init_object (json_node_alloc (), object);
      hone_cli_print_json (root, FALSE);
      return HONE_EXIT_OK;
    }

  for (guint i = 0; i < ids->len; i++)
    printf (i > 0 ? " %d" : "%d", g_array_index (ids, gint32, i));
  printf ("\n");
  return HONE_EXIT_OK;
}

int
hone_cli_detokenize (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MODEL IDS"));
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *text = NULL;
  gboolean special = FALSE;
  gsize len = 0;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "special", 0, 0, G_OPTION_ARG_NONE, &special,
      N_("Write control tokens such as BOS as their text"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print the text of comma-separated token IDS."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 3)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli detokenize MODEL IDS"));

  parts = g_regex_split_simple ("[,\\s]+", argv[2], 0, 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (parts[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_signed (parts[i], 10, 0, G_MAXINT32, &id, NULL))
        return hone_cli_fail (HONE_EXIT_BAD_INPUT, _("“%s” is not a token id"), parts[i]);
      g_array_append_vals (ids, &(gint32) { (gint32) id }, 1);
    }

  tokenizer = open_tokenizer (argv[1], &status);
  if (tokenizer == NULL)
    return status;
  text = hone_tokenizer_decode (tokenizer, (const gint32 *) ids->data, ids->len,
                                special ? HONE_DECODE_SPECIAL : HONE_DECODE_NONE, &len, &error);
  if (text == NULL)
    return hone_cli_fail_error (error);
  fwrite (text, 1, len, stdout);
  fflush (stdout);
  return HONE_EXIT_OK;
}

/* bench tokenize: a mixed-language text of about SIZE MB, cut into documents of a few
 * kilobytes (as chat logs are tokenized: a conversation at a time). */

static const char *bench_words[] = {
  "the", "order", "arrived", "yesterday", "thanks", "a", "lot", "can", "you", "check",
  "whether", "it's", "shipped", "I'll", "be", "there", "at", "six", "don't", "worry",
  "Bestellung", "über", "Straße", "schön", "danke", "Grüße", "ça", "marche", "très",
  "bien", "déjà", "naïve", "garçon", "privet", "привет", "как", "дела", "спасибо",
  "хорошо", "你好", "谢谢", "我想在", "工作", "天气", "こんにちは", "ありがとう", "東京",
  "안녕하세요", "감사합니다", "مرحبا", "شكرا", "שלום", "γειά", "σου", "Cửa", "Việt",
  "नमस्ते", "धन्यवाद", "😀", "🌿", "🦙", "👍🏽", "✅", "3.14", "2026", "1314151", "42",
  "+1-503-555-0148", "x", "y", "i", "j", "=", "==", "->", "{", "}", "(", ")", ";", "//",
  "fn", "return", "int", "main(void)", "printf(\"%d\\n\",", "self.value", "#include",
  "<stdio.h>", "...", "!!!", "???", "—", "–", "«", "»", "\"quoted\"", "'single'",
};

static char *
bench_text (gsize size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  GString *out = g_string_sized_new (size + 256);

  while (out->len < size)
    {
      int n = g_rand_int_range (rand, 3, 25);

      for (int i = 0; i < n; i++)
        {
          int r = g_rand_int_range (rand, 0, 100);

          if (i > 0)
            g_string_append (out, r < 3 ? "  " : r < 4 ? "\t" : " ");
          g_string_append (out, bench_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (bench_words))]);
        }
      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0: g_string_append (out, ".\n"); break;
        case 1: g_string_append (out, "!\n\n"); break;
        case 2: g_string_append (out, "?\n"); break;
        case 3: g_string_append (out, "\n    "); break;
        default: g_string_append (out, ". "); break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Cuts @text into documents of about 4 KB, at line ends; returns their end offsets. */
static GArray *
bench_documents (const char *text,
                 gsize       len)
{
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize start = 0;

  while (start < len)
    {
      gsize end = MIN (start + 4096, len);
      const char *nl = end < len ? memchr (text + end, '\n', len - end) : NULL;

      end = nl != NULL ? (gsize) (nl - text) + 1 : len;
      g_array_append_val (ends, end);
      start = end;
    }
  return ends;
}

static double
bench_one_model (const char *model,
                 const char *text,
                 gsize       len,
                 GArray     *ends,
                 guint64    *n_tokens)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneTokenizer) tokenizer = hone_tokenizer_new_from_path (model, &error);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint32), 4096);
  gint64 t0, t1;
  gsize start = 0;

  if (tokenizer == NULL)
    {
      hone_cli_fail_error (error);
      return -1;
    }
  *n_tokens = 0;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < ends->len; i++)
    {
      gsize end = g_array_index (ends, gsize, i);

      g_array_set_size (ids, 0);
      hone_tokenizer_encode (tokenizer, text + start, end - start, HONE_ENCODE_NONE, ids);
      *n_tokens += ids->len;
      start = end;
    }
  t1 = g_get_monotonic_time ();
  return len / 1e6 / ((t1 - t0) / 1e6);
}

static char *
find_file (const char *env,
           const char *relative)
{
  const char *root = g_getenv (env);
  char *path = root != NULL ? g_build_filename (root, relative, NULL) : g_strdup (relative);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_clear_pointer (&path, g_free);
  return path;
}

int
hone_cli_bench_tokenize (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("tokenize [MODEL…]"));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *python = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  gboolean no_peers = FALSE;
  int size_mb = 10;
  gsize len;
  GOptionEntry entries[] = {
    { "size", 's', 0, G_OPTION_ARG_INT, &size_mb,
      N_("Megabytes of generated text (default 10)"), N_("MB") },
    { "no-peers", 0, 0, G_OPTION_ARG_NONE, &no_peers,
      N_("Do not run llama.cpp and Hugging Face tokenizers for comparison"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Measure tokenizer speed in MB/s on a generated mixed-language "
                                  "text, beside llama.cpp’s and Hugging Face’s tokenizers on the "
                                  "same text (through the test venv’s Python)."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (size_mb <= 0 || size_mb > 1024)
    return hone_cli_fail (HONE_EXIT_USAGE, _("--size must be between 1 and 1024"));

  for (int i = 2; i < argc; i++)
    g_ptr_array_add (models, g_strdup (argv[i]));
  if (models->len == 0)
    {
      const char *names[] = { "gpt-2", "llama-spm", "deepseek-llm" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *rel = g_strdup_printf ("vocab/ggml-vocab-%s.gguf", names[i]);
          char *path = find_file ("HONE_TESTDATA", rel);

          if (path == NULL)
            {
              g_autofree char *rel2 = g_strdup_printf ("../shared/testdata/%s", rel);
              path = find_file (NULL, rel2);
            }
          if (path != NULL)
            g_ptr_array_add (models, path);
        }
      if (models->len == 0)
        return hone_cli_fail (HONE_EXIT_USAGE,
                              _("no MODEL given and no shared vocabularies found "
                                "(set HONE_TESTDATA)"));
    }

  text = bench_text ((gsize) size_mb * 1000 * 1000);
  len = strlen (text);
  ends = bench_documents (text, len);
  printf ("Text: %.1f MB of mixed-language chat in %u documents, one core\n", len / 1e6, ends->len);

  tmp = g_dir_make_tmp ("hone-bench-tok-XXXXXX", &error);
  if (tmp != NULL)
    {
      text_path = g_build_filename (tmp, "text.txt", NULL);
      if (!g_file_set_contents (text_path, text, len, &error))
        g_clear_pointer (&text_path, g_free);
    }
  script = find_file ("HONE_SOURCE_ROOT", "tests/bench/bench-tokenize.py");
  python = g_strdup (g_getenv ("HONE_VENV_PYTHON"));
  if (python == NULL)
    python = find_file ("HONE_SOURCE_ROOT", ".venv/bin/python");

  for (guint m = 0; m < models->len; m++)
    {
      const char *model = models->pdata[m];
      g_autofree char *base = g_path_get_basename (model);
      guint64 n_tokens = 0;
      double mbs = bench_one_model (model, text, len, ends, &n_tokens);

      if (mbs < 0)
        return HONE_EXIT_BAD_INPUT;
      printf ("%-32s hone            %7.2f MB/s  %10" G_GUINT64_FORMAT " tokens%s\n", base, mbs,
              n_tokens, mbs >= 10 ? "" : "  (goal: ≥ 10 MB/s)");
      fflush (stdout);
      if (!no_peers && script != NULL && python != NULL && text_path != NULL)
        {
          g_autofree char *hone_mbs = g_strdup_printf ("%.4f", mbs);
          g_autofree char *hone_tokens = g_strdup_printf ("%" G_GUINT64_FORMAT, n_tokens);
          const char *peer_argv[] = { python, script, model, text_path, hone_mbs, hone_tokens, NULL };
          int wait_status = 0;

          if (!g_spawn_sync (NULL, (char **) peer_argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                             NULL, NULL, NULL, NULL, &wait_status, &error))
            {
              g_printerr ("hone-cli: could not run %s: %s\n", script, error->message);
              g_clear_error (&error);
            }
        }
    }
  if (!no_peers && (script == NULL || python == NULL))
    printf ("(peers skipped: tests/bench/bench-tokenize.py or the venv's python not found; "
            "run from the source root or set HONE_SOURCE_ROOT and HONE_VENV_PYTHON)\n");

  if (text_path != NULL)
    g_unlink (text_path);
  if (tmp != NULL)
    g_rmdir (tmp);
  return HONE_EXIT_OK;
}
