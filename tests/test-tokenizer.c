/* test-tokenizer.c — the shared llama.cpp vectors, decode round trips, special tokens,
 * hand-built vocabularies and refusals.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "model/hone-gguf.h"
#include "text/hone-pretokenize.h"
#include "text/hone-tokenizer.h"

#include <glib/gstdio.h>

static const char *vocab_names[] = {
  "llama-spm", "gpt-2", "starcoder", "falcon", "deepseek-coder", "deepseek-llm",
};

static char *
vocab_path (const char *name,
            const char *suffix)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");
  g_autofree char *file = g_strdup_printf ("ggml-vocab-%s.gguf%s", name, suffix);

  if (testdata == NULL)
    testdata = "../shared/testdata";
  return g_build_filename (testdata, "vocab", file, NULL);
}

static HoneTokenizer *
open_vocab (const char *name)
{
  g_autofree char *path = vocab_path (name, "");
  g_autoptr(GError) error = NULL;
  HoneTokenizer *tokenizer;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("%s is missing (set HONE_TESTDATA)", path);
      g_test_skip (msg);
      return NULL;
    }
  tokenizer = hone_tokenizer_new_from_path (path, &error);
  g_assert_no_error (error);
  return tokenizer;
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

static char *
ids_to_string (GArray *ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, " %d", g_array_index (ids, gint32, i));
  return g_string_free (out, FALSE);
}

/* Every string of NAME.gguf.inp gives the line of NAME.gguf.out, and decodes back. */
static void
test_vectors (gconstpointer data)
{
  const char *name = data;
  g_autoptr(HoneTokenizer) tokenizer = open_vocab (name);
  g_autofree char *inp_path = NULL, *out_path = NULL, *inp = NULL, *out = NULL;
  g_auto(GStrv) inputs = NULL;
  g_auto(GStrv) outputs = NULL;
  g_autoptr(GError) error = NULL;
  guint n_inputs, mismatches = 0;

  if (tokenizer == NULL)
    return;
  inp_path = vocab_path (name, ".inp");
  out_path = vocab_path (name, ".out");
  g_file_get_contents (inp_path, &inp, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (out_path, &out, NULL, &error);
  g_assert_no_error (error);

  /* Each string is followed by "\n__ggml_vocab_test__\n"; the last piece is empty. */
  inputs = g_strsplit (inp, "\n__ggml_vocab_test__\n", -1);
  outputs = g_strsplit (out, "\n", -1);
  n_inputs = g_strv_length (inputs) - 1;
  g_assert_cmpuint (n_inputs, >, 0);
  g_assert_cmpuint (g_strv_length (outputs), >=, n_inputs);

  for (guint i = 0; i < n_inputs; i++)
    {
      g_autoptr(GArray) ids = encode (tokenizer, inputs[i], HONE_ENCODE_NONE);
      g_autofree char *got = ids_to_string (ids);
      g_autofree char *text = NULL;
      gsize len = 0;

      if (strcmp (got, outputs[i]) != 0)
        {
          if (mismatches++ < 3)
            g_test_message ("%s: %s\n  want%s\n  got %s", name, inputs[i], outputs[i], got);
          continue;
        }
      text = hone_tokenizer_decode (tokenizer, (const gint32 *) ids->data, ids->len,
                                    HONE_DECODE_NONE, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, inputs[i]);
    }
  g_assert_cmpuint (mismatches, ==, 0);
}

static void
test_special (void)
{
  g_autoptr(HoneTokenizer) gpt2 = open_vocab ("gpt-2");
  g_autoptr(HoneTokenizer) spm = NULL;
  g_autoptr(GArray) plain = NULL, parsed = NULL, with_bos = NULL;
  g_autofree char *text = NULL;

  if (gpt2 == NULL)
    return;
  plain = encode (gpt2, "a<|endoftext|>", HONE_ENCODE_NONE);
  parsed = encode (gpt2, "a<|endoftext|>", HONE_ENCODE_PARSE_SPECIAL);
  g_assert_cmpuint (plain->len, >, 2);
  g_assert_cmpuint (parsed->len, ==, 2);
  g_assert_cmpint (g_array_index (parsed, gint32, 1), ==, 50256);
  /* Control tokens decode to nothing unless asked. */
  text = hone_tokenizer_decode (gpt2, (const gint32 *) parsed->data, parsed->len,
                                HONE_DECODE_NONE, NULL, NULL);
  g_assert_cmpstr (text, ==, "a");
  g_clear_pointer (&text, g_free);
  text = hone_tokenizer_decode (gpt2, (const gint32 *) parsed->data, parsed->len,
                                HONE_DECODE_SPECIAL, NULL, NULL);
  g_assert_cmpstr (text, ==, "a<|endoftext|>");

  spm = open_vocab ("llama-spm");
  with_bos = encode (spm, "Hello", HONE_ENCODE_ADD_SPECIAL);
  g_assert_cmpuint (with_bos->len, >=, 2);
  g_assert_cmpint (g_array_index (with_bos, gint32, 0), ==, 1);
  g_clear_pointer (&text, g_free);
  text = hone_tokenizer_decode (spm, (const gint32 *) with_bos->data, with_bos->len,
                                HONE_DECODE_NONE, NULL, NULL);
  g_assert_cmpstr (text, ==, "Hello");
}

static void
test_bad_id (void)
{
  g_autoptr(HoneTokenizer) gpt2 = open_vocab ("gpt-2");
  g_autoptr(GError) error = NULL;
  gint32 ids[] = { 31373, 99999999 };
  char *text;

  if (gpt2 == NULL)
    return;
  text = hone_tokenizer_decode (gpt2, ids, G_N_ELEMENTS (ids), HONE_DECODE_NONE, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_BAD_ID);
  g_assert_nonnull (strstr (error->message, "99999999"));
}

/* A BPE vocabulary built by hand: merges apply by rank, lowest first. */
static HoneVocab *
tiny_bpe (const char *pre)
{
  HoneVocab *vocab = hone_vocab_new (HONE_VOCAB_BPE);

  hone_vocab_set_byte_level (vocab, FALSE);
  hone_vocab_add_token (vocab, "a", -1, 0, HONE_TOKEN_NORMAL);   /* 0 */
  hone_vocab_add_token (vocab, "b", -1, 0, HONE_TOKEN_NORMAL);   /* 1 */
  hone_vocab_add_token (vocab, "c", -1, 0, HONE_TOKEN_NORMAL);   /* 2 */
  hone_vocab_add_token (vocab, "ab", -1, 0, HONE_TOKEN_NORMAL);  /* 3 */
  hone_vocab_add_token (vocab, "bc", -1, 0, HONE_TOKEN_NORMAL);  /* 4 */
  hone_vocab_add_token (vocab, "abc", -1, 0, HONE_TOKEN_NORMAL); /* 5 */
  hone_vocab_add_token (vocab, " ", -1, 0, HONE_TOKEN_NORMAL);   /* 6 */
  hone_vocab_add_merge (vocab, "b", -1, "c", -1);
  hone_vocab_add_merge (vocab, "a", -1, "b", -1);
  hone_vocab_add_merge (vocab, "a", -1, "bc", -1);
  hone_vocab_set_pre (vocab, pre);
  return vocab;
}

static void
test_hand_built (void)
{
  g_autoptr(HoneVocab) vocab = tiny_bpe ("gpt-2");
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_true (hone_vocab_finish (vocab, &error));
  g_assert_no_error (error);
  tokenizer = hone_tokenizer_new (vocab);
  /* "b c" (rank 0) first, then "a bc" (rank 2): one token; "ab" alone merges. */
  ids = encode (tokenizer, "abc ab cab", HONE_ENCODE_NONE);
  got = ids_to_string (ids);
  g_assert_cmpstr (got, ==, " 5 6 3 6 2 3");
}

static void
test_unknown_preset (void)
{
  g_autoptr(HoneVocab) vocab = tiny_bpe ("no-such-preset");
  g_autoptr(GError) error = NULL;

  g_assert_false (hone_vocab_finish (vocab, &error));
  g_assert_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "no-such-preset"));
}

static void
test_presets_compile (void)
{
  const char * const *names = hone_pretokenizer_preset_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HonePretokenizer) pre = hone_pretokenizer_new (
        hone_pretokenizer_preset_regexes (names[i]), &error);

      g_assert_no_error (error);
      g_assert_nonnull (pre);
    }
  g_assert_nonnull (hone_pretokenizer_preset_regexes ("llama-bpe"));
  g_assert_nonnull (hone_pretokenizer_preset_regexes ("qwen2"));
  g_assert_nonnull (hone_pretokenizer_preset_regexes ("smollm"));
  g_assert_nonnull (hone_pretokenizer_preset_regexes ("tekken"));
}

/* `\s+(?!\S)` leaves the last space of a run to the next word, as GPT-2 does. */
static void
test_pretokenize_spaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HonePretokenizer) pre = hone_pretokenizer_new (
    hone_pretokenizer_preset_regexes ("llama-bpe"), &error);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (HoneSpan));
  const char *text = "a   b 123456\n\n  x ";
  const char *want[] = { "a", "  ", " b", " ", "123", "456", "\n\n", " ", " x", " " };

  g_assert_no_error (error);
  hone_pretokenizer_split (pre, text, strlen (text), spans);
  g_assert_cmpuint (spans->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < spans->len; i++)
    {
      HoneSpan span = g_array_index (spans, HoneSpan, i);
      g_autofree char *word = g_strndup (text + span.offset, span.len);
      g_assert_cmpstr (word, ==, want[i]);
    }
}

static void
assert_json_refused (const char *json,
                     int         code,
                     const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneVocab) vocab = hone_vocab_new_from_tokenizer_json_data (json, strlen (json),
                                                                        "t.json", &error);

  g_assert_null (vocab);
  g_assert_error (error, HONE_TOKENIZER_ERROR, code);
  g_assert_nonnull (strstr (error->message, "t.json"));
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, needle);
}

static void
test_json (void)
{
  const char *good =
    "{\"added_tokens\": [{\"id\": 3, \"content\": \"<s>\", \"special\": true}],"
    " \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false},"
    " \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\":"
    "  {\"id\": \"<s>\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}]},"
    " \"decoder\": {\"type\": \"ByteLevel\"},"
    " \"model\": {\"type\": \"BPE\", \"vocab\": {\"h\": 0, \"i\": 1, \"hi\": 2},"
    "  \"merges\": [[\"h\", \"i\"]]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneVocab) vocab = hone_vocab_new_from_tokenizer_json_data (good, strlen (good),
                                                                        "t.json", &error);
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  tokenizer = hone_tokenizer_new (vocab);
  ids = encode (tokenizer, "hi<s>hi", HONE_ENCODE_ADD_SPECIAL | HONE_ENCODE_PARSE_SPECIAL);
  got = ids_to_string (ids);
  g_assert_cmpstr (got, ==, " 3 2 3 2");

  assert_json_refused ("{", HONE_TOKENIZER_ERROR_INVALID, "JSON");
  assert_json_refused ("[]", HONE_TOKENIZER_ERROR_INVALID, "object");
  assert_json_refused ("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}",
                       HONE_TOKENIZER_ERROR_UNSUPPORTED, "Unigram");
  assert_json_refused ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []},"
                       " \"normalizer\": {\"type\": \"BertNormalizer\"}}",
                       HONE_TOKENIZER_ERROR_UNSUPPORTED, "BertNormalizer");
  assert_json_refused ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []},"
                       " \"pre_tokenizer\": {\"type\": \"Whitespace\"}}",
                       HONE_TOKENIZER_ERROR_UNSUPPORTED, "Whitespace");
  assert_json_refused ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 99999999999},"
                       " \"merges\": []}}", HONE_TOKENIZER_ERROR_INVALID, "99999999999");
  assert_json_refused ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"ab\"]}}",
                       HONE_TOKENIZER_ERROR_INVALID, "merge 0");
  assert_json_refused ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []},"
                       " \"pre_tokenizer\": {\"type\": \"Split\", \"behavior\": \"Isolated\","
                       " \"pattern\": {\"Regex\": \"(\"}}}",
                       HONE_TOKENIZER_ERROR_UNSUPPORTED, "(");
}

static void
test_gguf_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hone-tok-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.gguf", NULL);
  g_autoptr(HoneVocab) vocab = NULL;

  g_file_set_contents (path, "GGUF\3\0\0\0", 8, NULL);
  vocab = hone_vocab_new_from_path (path, &error);
  g_assert_null (vocab);
  g_assert_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad.gguf"));
  g_unlink (path);
  g_rmdir (dir);
}

/* A vocabulary-only GGUF written with Hone's own writer; @pre and @model vary. */
static char *
write_vocab_gguf (const char *dir,
                  const char *model,
                  const char *pre)
{
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();
  g_autoptr(GError) error = NULL;
  const char *tokens[] = { "h", "i", "hi", "<|end|>" };
  const gint32 types[] = { 1, 1, 1, 3 };
  const char *merges[] = { "h i" };
  char *path = g_build_filename (dir, "vocab.gguf", NULL);

  hone_gguf_writer_set_string (writer, "general.architecture", "llama");
  hone_gguf_writer_set_string (writer, "tokenizer.ggml.model", model);
  if (pre != NULL)
    hone_gguf_writer_set_string (writer, "tokenizer.ggml.pre", pre);
  hone_gguf_writer_set_strings (writer, "tokenizer.ggml.tokens", tokens, NULL, G_N_ELEMENTS (tokens));
  hone_gguf_writer_set_array (writer, "tokenizer.ggml.token_type", HONE_GGUF_TYPE_INT32, types,
                              G_N_ELEMENTS (types));
  hone_gguf_writer_set_strings (writer, "tokenizer.ggml.merges", merges, NULL, G_N_ELEMENTS (merges));
  hone_gguf_writer_set_u32 (writer, "tokenizer.ggml.eos_token_id", 3);
  hone_gguf_writer_set_bool (writer, "tokenizer.ggml.add_eos_token", TRUE);
  g_assert_true (hone_gguf_writer_write (writer, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_gguf_written (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hone-tok-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneVocab) vocab = NULL;
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL, *got = NULL;

  path = write_vocab_gguf (dir, "gpt2", "qwen2");
  tokenizer = hone_tokenizer_new_from_path (path, &error);
  g_assert_no_error (error);
  ids = encode (tokenizer, "hi<|end|>", HONE_ENCODE_ADD_SPECIAL | HONE_ENCODE_PARSE_SPECIAL);
  got = ids_to_string (ids);
  g_assert_cmpstr (got, ==, " 2 3 3");
  g_unlink (path);
  g_free (path);

  path = write_vocab_gguf (dir, "gpt2", "not-a-preset");
  vocab = hone_vocab_new_from_path (path, &error);
  g_assert_null (vocab);
  g_assert_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "not-a-preset"));
  g_assert_nonnull (strstr (error->message, "vocab.gguf"));
  g_clear_error (&error);
  g_unlink (path);
  g_free (path);

  path = write_vocab_gguf (dir, "bert", NULL);
  vocab = hone_vocab_new_from_path (path, &error);
  g_assert_null (vocab);
  g_assert_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "bert"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vocab_names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hone/tokenizer/vectors/%s", vocab_names[i]);
      g_test_add_data_func (path, vocab_names[i], test_vectors);
    }
  g_test_add_func ("/hone/tokenizer/special", test_special);
  g_test_add_func ("/hone/tokenizer/bad-id", test_bad_id);
  g_test_add_func ("/hone/tokenizer/hand-built", test_hand_built);
  g_test_add_func ("/hone/tokenizer/unknown-preset", test_unknown_preset);
  g_test_add_func ("/hone/tokenizer/presets-compile", test_presets_compile);
  g_test_add_func ("/hone/tokenizer/pretokenize-spaces", test_pretokenize_spaces);
  g_test_add_func ("/hone/tokenizer/json", test_json);
  g_test_add_func ("/hone/tokenizer/gguf-refused", test_gguf_refused);
  g_test_add_func ("/hone/tokenizer/gguf-written", test_gguf_written);
  return g_test_run ();
}
