/* test-json.c — the strict JSON check (lines of errors as README section 4 defines
 * them), json-glib's tree behind it, and the shape helpers' messages.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import.h"
#include "data/hone-json.h"

#include "hone-test-util.h"

static void
assert_valid (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!hone_json_check ("t.json", text, strlen (text), 1, &error))
    g_error ("«%s» refused: %s", text, error->message);
}

/* Refused, with "line N:" where N is @line. */
static void
assert_invalid (const char *text,
                guint       first_line,
                guint       line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *want = g_strdup_printf ("t.json: line %u: ", line);

  if (hone_json_check ("t.json", text, strlen (text), first_line, &error))
    g_error ("«%s» accepted", text);
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SYNTAX);
  if (!g_str_has_prefix (error->message, want))
    g_error ("«%s»: got «%s», want «%s...»", text, error->message, want);
}

static void
test_valid (void)
{
  static const char *cases[] = {
    "{}", "[]", " [ ] ", "0", "-0", "1.5e-3", "-12E+10", "0.0", "\"\"", "true", "false", "null",
    "{\"a\": [1, 2, {\"b\": null}], \"c\": \"d\"}",
    "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"]",
    "\n\r\t [1]\r\n",
    "[\"ü€😀\"]",
    "[[[[[[[[[[]]]]]]]]]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_valid (cases[i]);
}

static void
test_invalid (void)
{
  struct { const char *text; guint line; } cases[] = {
    { "", 1 },
    { "   \n  \n", 3 },
    { "{\"a\": 1,}", 1 },
    { "[1,\n2,\n]", 3 },
    { "{\"a\": 1\n\"b\": 2}", 2 },
    { "[1 2]", 1 },
    { "// comment\n{}", 1 },
    { "{\n  /* c */ \"a\": 1}", 2 },
    { "[NaN]", 1 },
    { "[Infinity]", 1 },
    { "[-Infinity]", 1 },
    { "[01]", 1 },
    { "[-01]", 1 },
    { "[1.]", 1 },
    { "[.5]", 1 },
    { "[+1]", 1 },
    { "[1e]", 1 },
    { "[0x10]", 1 },
    { "[\"a\tb\"]", 1 },
    { "[\n\"a\nb\"]", 2 },
    { "[\"\\x\"]", 1 },
    { "[\"\\u12\"]", 1 },
    { "[\"\\ud800\"]", 1 },
    { "[\"\\ud800\\u0041\"]", 1 },
    { "[\"\\ud800x\"]", 1 },
    { "[\"\\udc00\\ud800\"]", 1 },
    { "['a']", 1 },
    { "{a: 1}", 1 },
    { "{\"a\" 1}", 1 },
    { "[tru]", 1 },
    { "[True]", 1 },
    { "[nul", 1 },
    { "{} {}", 1 },
    { "[1]\n\nx", 3 },
    { "[1]]", 1 },
    { "{\"a\": 1]", 1 },
    { "[\"\xc3\x28\"]", 1 },
    { "\xef\xbb\xbf[]", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid (cases[i].text, 1, cases[i].line);

  /* A NUL byte is never valid, in a string or outside. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (hone_json_check ("t.json", "[\"a\0\"]", 6, 1, &error));
    g_clear_error (&error);
    g_assert_false (hone_json_check ("t.json", "[1,\0]", 5, 1, &error));
  }
}

static void
test_truncated (void)
{
  /* Cut short: the error is on the last line, wherever the cut is. */
  assert_invalid ("{\n  \"messages\": [\n    {\"text\": \"Hal", 1, 3);
  assert_invalid ("{\n  \"messages\": [\n    {\"text\": \"Hallo\"", 1, 3);
  assert_invalid ("{\n  \"messages\": [\n    {\"text\": \"Hallo\"}\n", 1, 4);
  assert_invalid ("[1,\n2", 1, 2);
  assert_invalid ("[1,\n2.", 1, 2);
  assert_invalid ("[1,\n-", 1, 2);
  assert_invalid ("[1,\n\"\\u00", 1, 2);
  assert_invalid ("[1,\n\"\\ud83d", 1, 2);
  assert_invalid ("[1,\n\"\\", 1, 2);
  assert_invalid ("[1,\nfals", 1, 2);
  assert_invalid ("{\"a\"\n", 1, 2);
}

static void
test_first_line (void)
{
  /* JSON lines: the text is one line, numbered from its line in the file. */
  assert_invalid ("{\"messages\": [", 4, 4);
  assert_invalid ("{\"messages\": x}", 17, 17);
}

static void
test_deep (void)
{
  GString *deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_false (hone_json_check ("t.json", deep->str, deep->len, 1, &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_string_free (deep, TRUE);
}

static void
check_file (const char *relative,
            guint       first_line,
            const char *want)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  contents = hone_test_read_sample (relative, &len);
  if (contents == NULL)
    return;

  if (first_line > 1)
    {
      /* Take out line @first_line. */
      const char *line = contents;
      const char *eol;

      for (guint i = 1; i < first_line; i++)
        line = strchr (line, '\n') + 1;
      eol = strchr (line, '\n');
      if (eol == NULL)
        eol = line + strlen (line);
      g_assert_false (hone_json_check ("x", line, eol - line, first_line, &error));
    }
  else
    g_assert_false (hone_json_check ("x", contents, len, 1, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, want));
}

static void
test_samples (void)
{
  check_file ("broken/truncated-telegram.json", 1, "line 145:");
  check_file ("broken/openai-cut-line.jsonl", 4, "line 4:");
}

static void
test_parse_surrogates (void)
{
  const char *text = "{\"a\": \"\\ud83d\\ude00 \\uD83C\\uDF89 \\u00fc\", \"b\": \"😀\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = hone_json_parse ("t.json", text, strlen (text), 1, &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "a"), ==, "😀 🎉 ü");
  g_assert_cmpstr (json_object_get_string_member (object, "b"), ==, "😀");
}

static void
test_parse_sample (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  contents = hone_test_read_sample ("discord-general.json", &len);
  if (contents == NULL)
    return;
  root = hone_json_parse ("discord-general.json", contents, len, 1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  /* Every string holds valid UTF-8 without a lone surrogate. */
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autofree char *again = NULL;

    json_generator_set_root (generator, root);
    again = json_generator_to_data (generator, NULL);
    g_assert_true (g_utf8_validate (again, -1, NULL));
    g_assert_null (strstr (again, "\\ud8"));
    g_assert_null (strstr (again, "\\ud8"));
  }
}


static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The tree equals json-glib's own for the same text. */
static void
assert_same_tree (const char *text,
                  gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) mine = hone_json_parse ("t.json", text, len, 1, &error);
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, text, len, NULL));
  want = to_string (json_parser_get_root (parser));
  got = to_string (mine);
  g_assert_cmpstr (got, ==, want);
}

static void
test_parse_tree (void)
{
  static const char *cases[] = {
    "{}", "[]", "42", "-7", "0", "-0", "1.5", "-2.5e-3", "1E5", "\"x\"", "true", "false", "null",
    "[922337203685477580, -922337203685477580, 9223372036854775807, -9223372036854775808]",
    "{\"a\": [1, 2.25, {\"b\": null, \"c\": [true, false]}], \"d\": \"e\", \"a\": 3}",
    "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00 plain ü\"]",
    " \n\t[ { } , [ ] , \"\" ]\r\n ",
    "{\"\\u00fcber\": 1, \"k\\\"ey\": 2}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_same_tree (cases[i], strlen (cases[i]));
}

static void
test_parse_unterminated (void)
{
  /* The text is a slice of a bigger buffer: nothing after @len is read. */
  const char *cases[][2] = { { "4242", "42" }, { "[1]xyz", "[1]" }, { "-1.5e3e", "-1.5e3" },
                             { "12 3", "12 " } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = hone_json_parse ("t.json", cases[i][0], strlen (cases[i][1]), 1,
                                                  &error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;

      g_assert_no_error (error);
      g_assert_true (json_parser_load_from_data (parser, cases[i][1], -1, NULL));
      got = to_string (node);
      want = to_string (json_parser_get_root (parser));
      g_assert_cmpstr (got, ==, want);
    }
}

static void
test_parse_big_integer (void)
{
  const char *text = "[123456789012345678901234567890]";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = hone_json_parse ("t.json", text, strlen (text), 1, &error);
  JsonNode *number;

  g_assert_no_error (error);
  number = json_array_get_element (json_node_get_array (root), 0);
  /* Not wrapped around into a wrong integer. */
  g_assert_cmpint (json_node_get_value_type (number), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (number), 1.2345678901234568e29, 1e15);
}

static void
test_parse_samples (void)
{
  const char *files[] = { "telegram-chat.json", "discord-general.json", "sharegpt.json",
                          "alpaca.json", "telegram-account/result.json",
                          "messenger-thread/message_1.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      gsize len;
      g_autofree char *contents = hone_test_read_sample (files[i], &len);

      if (contents == NULL)
        return;
      assert_same_tree (contents, len);
    }
}


static void
test_parse_skipping (void)
{
  static const char * const skip[] = { "skip", "entities", NULL };
  struct { const char *text; const char *want; } cases[] = {
    { "{\"a\": 1, \"skip\": 2, \"b\": 3}", "{\"a\":1,\"b\":3}" },
    { "{\"skip\": {\"x\": [1, {\"y\": \"]}\\\"[{\"}], \"z\": null}}", "{}" },
    { "{\"a\": [{\"entities\": [\"a\", \"b\\\\\"], \"t\": \"x\"}], \"skip\": -1.5e3}",
      "{\"a\":[{\"t\":\"x\"}]}" },
    { "{\"a\": {\"skip\": true}, \"b\": {\"skip\": false, \"c\": \"skip\"}}",
      "{\"a\":{},\"b\":{\"c\":\"skip\"}}" },
    { "{ \"skip\" : [ ] , \"s\" : \"k\" }", "{\"s\":\"k\"}" },
    { "[\"skip\", {\"skip\": 0}]", "[\"skip\",{}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = hone_json_parse_skipping ("t.json", cases[i].text,
                                                           strlen (cases[i].text), 1, skip,
                                                           &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      got = to_string (root);
      g_assert_cmpstr (got, ==, cases[i].want);
    }

  /* Skipping does not loosen the check. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = hone_json_parse_skipping ("t.json", "{\"skip\": [1,]}", 14, 1,
                                                         skip, &error);
    g_assert_null (root);
    g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SYNTAX);
  }
}

static void
test_parse_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = hone_json_parse ("t.json", "[1,]", 4, 1, &error);

  g_assert_null (root);
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "t.json: line 1: "));
}

static JsonObject *
parse_object (JsonNode   **out_root,
              const char  *text)
{
  g_autoptr(GError) error = NULL;

  *out_root = hone_json_parse ("t.json", text, strlen (text), 1, &error);
  g_assert_no_error (error);
  return json_node_get_object (*out_root);
}

static void
assert_shape_error (GError     *error,
                    const char *words)
{
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SHAPE);
  if (strstr (error->message, words) == NULL)
    g_error ("«%s» does not mention «%s»", error->message, words);
}

static void
test_shape (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (&root,
                                     "{\"s\": \"x\", \"n\": null, \"i\": 42, \"d\": 1.5, "
                                     "\"e\": 1e3, \"a\": [{}, 1], \"o\": {}, "
                                     "\"big\": -9007199254740993}");
  const char *s = NULL;
  JsonArray *a = NULL;
  JsonObject *o = NULL;
  gint64 i = 0;
  gboolean present = FALSE;
  GError *error = NULL;

  g_assert_true (hone_json_get_string (object, "s", TRUE, FALSE, &s, "t.json", 0, &error));
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (hone_json_get_string (object, "n", TRUE, TRUE, &s, "t.json", 0, &error));
  g_assert_null (s);
  g_assert_true (hone_json_get_string (object, "absent", FALSE, FALSE, &s, "t.json", 0, &error));
  g_assert_null (s);
  g_assert_no_error (error);

  g_assert_false (hone_json_get_string (object, "n", TRUE, FALSE, &s, "t.json", 3, &error));
  assert_shape_error (error, "t.json: line 3: `n` should be a string");
  g_clear_error (&error);
  g_assert_false (hone_json_get_string (object, "i", FALSE, TRUE, &s, "t.json", 0, &error));
  assert_shape_error (error, "t.json: `i` should be a string or null, not a number");
  g_clear_error (&error);
  g_assert_false (hone_json_get_string (object, "absent", TRUE, FALSE, &s, "t.json", 0, &error));
  assert_shape_error (error, "`absent` is missing");
  g_clear_error (&error);

  g_assert_true (hone_json_get_array (object, "a", TRUE, &a, "t.json", 0, &error));
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  g_assert_true (hone_json_get_array (object, "absent", FALSE, &a, "t.json", 0, &error));
  g_assert_null (a);
  g_assert_false (hone_json_get_array (object, "o", TRUE, &a, "t.json", 0, &error));
  assert_shape_error (error, "t.json: `o` should be an array, not an object");
  g_clear_error (&error);
  g_assert_false (hone_json_get_array (object, "n", FALSE, &a, "t.json", 0, &error));
  assert_shape_error (error, "`n` should be an array");
  g_clear_error (&error);

  g_assert_true (hone_json_get_object (object, "o", TRUE, &o, "t.json", 0, &error));
  g_assert_nonnull (o);
  g_assert_false (hone_json_get_object (object, "s", TRUE, &o, "t.json", 0, &error));
  assert_shape_error (error, "`s` should be an object, not a string");
  g_clear_error (&error);
  g_assert_false (hone_json_get_object (object, "author", TRUE, &o, "t.json", 0, &error));
  assert_shape_error (error, "`author` is missing");
  g_clear_error (&error);

  g_assert_true (hone_json_get_int (object, "i", TRUE, &i, &present, "t.json", 0, &error));
  g_assert_cmpint (i, ==, 42);
  g_assert_true (present);
  g_assert_true (hone_json_get_int (object, "big", TRUE, &i, NULL, "t.json", 0, &error));
  g_assert_cmpint (i, ==, G_GINT64_CONSTANT (-9007199254740993));
  g_assert_true (hone_json_get_int (object, "absent", FALSE, &i, &present, "t.json", 0, &error));
  g_assert_false (present);
  g_assert_no_error (error);
  g_assert_false (hone_json_get_int (object, "d", TRUE, &i, &present, "t.json", 0, &error));
  assert_shape_error (error, "`d` should be a whole number");
  g_clear_error (&error);
  g_assert_false (hone_json_get_int (object, "e", TRUE, &i, &present, "t.json", 0, &error));
  assert_shape_error (error, "`e` should be a whole number");
  g_clear_error (&error);
  g_assert_false (hone_json_get_int (object, "s", TRUE, &i, &present, "t.json", 0, &error));
  assert_shape_error (error, "`s` should be a whole number, not a string");
  g_clear_error (&error);

  g_assert_nonnull (hone_json_array_get_object (json_object_get_array_member (object, "a"), 0,
                                                "a", "t.json", 0, &error));
  g_assert_null (hone_json_array_get_object (json_object_get_array_member (object, "a"), 1,
                                             "messages", "t.json", 7, &error));
  assert_shape_error (error, "t.json: line 7: each element of `messages` should be an object");
  g_clear_error (&error);
}

static void
test_big (void)
{
  GString *big = g_string_new ("{\"name\": \"Big\", \"type\": \"personal_chat\", \"id\": 1, "
                               "\"messages\": [\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (big,
                            "%s  {\n   \"id\": %u,\n   \"type\": \"message\",\n"
                            "   \"date\": \"2024-01-15T21:41:05\",\n"
                            "   \"from\": \"Lena Hoffmann\",\n"
                            "   \"text\": [\"Schau mal \\u00fc \", {\"type\": \"link\", \"text\": "
                            "\"https://example.com/a/b/c\"}, \" 😀 und noch ein bisschen mehr "
                            "Text "
                            "damit es realistisch lang wird.\"]\n  }",
                            i == 0 ? "" : ",\n", i);
  g_string_append (big, "\n ]\n}\n");

  /* Speed is measured by `hone-cli bench import`, not here; this checks that a big
   * text with many lines goes through in one piece. */
  g_assert_true (hone_json_check ("big.json", big->str, big->len, 1, &error));
  g_assert_no_error (error);
  g_string_free (big, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/json/check/valid", test_valid);
  g_test_add_func ("/hone/json/check/invalid", test_invalid);
  g_test_add_func ("/hone/json/check/truncated", test_truncated);
  g_test_add_func ("/hone/json/check/first-line", test_first_line);
  g_test_add_func ("/hone/json/check/deep", test_deep);
  g_test_add_func ("/hone/json/check/samples", test_samples);
  g_test_add_func ("/hone/json/check/big", test_big);
  g_test_add_func ("/hone/json/parse/surrogates", test_parse_surrogates);
  g_test_add_func ("/hone/json/parse/sample", test_parse_sample);
  g_test_add_func ("/hone/json/parse/refused", test_parse_refused);
  g_test_add_func ("/hone/json/parse/tree", test_parse_tree);
  g_test_add_func ("/hone/json/parse/unterminated", test_parse_unterminated);
  g_test_add_func ("/hone/json/parse/big-integer", test_parse_big_integer);
  g_test_add_func ("/hone/json/parse/samples", test_parse_samples);
  g_test_add_func ("/hone/json/parse/skipping", test_parse_skipping);
  g_test_add_func ("/hone/json/shape", test_shape);

  return g_test_run ();
}
