/* test-template.c — the Jinja interpreter's errors, guards and assistant spans, and the
 * built-in templates. (Byte-for-byte agreement with jinja2 is check-templates.py's job.)
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-template"

#include "config.h"

#include <string.h>

#include "text/hone-jinja.h"
#include "text/hone-template.h"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static char *
render (const char  *source,
        const char  *conversation,
        GError     **error)
{
  g_autoptr(JsonNode) conv = parse_json (conversation);

  return hone_template_render (source, conv, FALSE, NULL, NULL, NULL, NULL, error);
}

static void
test_render_simple (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = render ("{% for m in messages %}{{ m.role }}:{{ m.content }}\n"
                                 "{% endfor %}",
                                 "[{\"role\": \"user\", \"content\": \"hi\"}]", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "user:hi\n");
}

static void
test_syntax_error_names_line (void)
{
  static const struct { const char *source; const char *line; } cases[] = {
    { "a\nb\n{% if x %}", "line 3" },
    { "{{ 1 +* 2 }}", "line 1" },
    { "x\n{% include 'other' %}", "line 2" },
    { "x\n\n{{ 'unterminated }}", "line 3" },
    { "{% for x in %}{% endfor %}", "line 1" },
    { "{% endif %}", "line 1" },
    { "{# never closed", "line 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HoneJinjaTemplate) template = hone_jinja_template_new (cases[i].source, -1,
                                                                       &error);

      g_assert_null (template);
      g_assert_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX);
      g_assert_true (strstr (error->message, cases[i].line) != NULL);
    }
}

static void
test_raise_exception (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = render ("{{ raise_exception('System role not supported') }}",
                                 "[]", &error);

  g_assert_null (out);
  g_assert_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RAISED);
  g_assert_cmpstr (error->message, ==, "System role not supported");
}

static void
test_undefined (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = render ("[{{ nothing }}]{{ nothing is defined }}", "[]", &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "[]False");
  bad = render ("\n{{ nothing.attr }}", "[]", &error);
  g_assert_null (bad);
  g_assert_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RENDER);
  g_assert_true (strstr (error->message, "line 2") != NULL);
  g_assert_true (strstr (error->message, "'nothing' is undefined") != NULL);
}

static void
test_limits (void)
{
  static const char *runaway[] = {
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{% set ns = namespace(s='xxxxxxxxxxxxxxxx') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (runaway); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = render (runaway[i], "[]", &error);

      g_assert_null (out);
      g_assert_true (error != NULL);
      g_test_message ("%s → %s", runaway[i], error->message);
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) source = g_string_new ("{{ ");
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneJinjaTemplate) template = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (source, '(');
  g_string_append_c (source, '1');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (source, ')');
  g_string_append (source, " }}");
  template = hone_jinja_template_new (source->str, -1, &error);
  g_assert_null (template);
  g_assert_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT);
}

/* The assistant's content, even trimmed or split, is reported as spans of the output. */
static void
test_assistant_spans (void)
{
  static const char *conversation =
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
    " {\"role\": \"assistant\", \"content\": \"  Hello there  \"},"
    " {\"role\": \"user\", \"content\": \"Again\"},"
    " {\"role\": \"assistant\", \"content\": \"<think>r</think>Done\"}]}";
  static const char *source =
    "{% for m in messages %}"
    "{% set c = m.content.split('</think>')[-1] if m.role == 'assistant' else m.content %}"
    "{{ '<|' + m.role + '|>' + c | trim + '<|end|>' }}"
    "{% endfor %}";
  g_autoptr(JsonNode) conv = parse_json (conversation);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autofree char *out = hone_template_render (source, conv, FALSE, NULL, NULL, NULL, &spans,
                                               &error);
  HoneJinjaSpan *s;

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "<|user|>Hi<|end|><|assistant|>Hello there<|end|>"
                            "<|user|>Again<|end|><|assistant|>Done<|end|>");
  g_assert_cmpuint (spans->len, ==, 2);
  s = &g_array_index (spans, HoneJinjaSpan, 0);
  g_assert_cmpmem (out + s->start, s->end - s->start, "Hello there", 11);
  s = &g_array_index (spans, HoneJinjaSpan, 1);
  g_assert_cmpmem (out + s->start, s->end - s->start, "Done", 4);
}

/* The masked tokens of a rendered conversation decode to the replies and their end
 * markers, on real vocabularies (../shared/testdata/vocab). */
static void
check_mask (const char *vocab_name,
            const char *builtin,
            const char *expected)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");
  g_autofree char *path = NULL;
  g_autoptr(HoneChatTemplate) model = NULL;
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(JsonNode) conv = parse_json (
    "[{\"role\": \"user\", \"content\": \"Hi there\"},"
    " {\"role\": \"assistant\", \"content\": \"Hello, how are you\"},"
    " {\"role\": \"user\", \"content\": \"Fine\"},"
    " {\"role\": \"assistant\", \"content\": \"Good to hear\"}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) mask = NULL;
  g_autoptr(GArray) learned = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree char *text = NULL;
  g_autofree char *decoded = NULL;

  if (testdata == NULL)
    {
      g_test_skip ("HONE_TESTDATA is not set");
      return;
    }
  path = g_build_filename (testdata, "vocab", vocab_name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no shared vocabularies");
      return;
    }
  model = hone_chat_template_load (path, &error);
  g_assert_no_error (error);
  tokenizer = hone_tokenizer_new_from_path (path, &error);
  g_assert_no_error (error);
  text = hone_template_render (hone_template_builtin (builtin), conv, FALSE, model->bos_token,
                               model->eos_token, NULL, &spans, &error);
  g_assert_no_error (error);
  g_assert_true (hone_template_mask (tokenizer, text, spans, &ids, &mask, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, mask->len);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (mask, guint8, i))
      g_array_append_val (learned, g_array_index (ids, gint32, i));
  decoded = hone_tokenizer_decode (tokenizer, (gint32 *) learned->data, learned->len,
                                   HONE_DECODE_SPECIAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, expected);
}

static void
test_mask_spm (void)
{
  check_mask ("ggml-vocab-llama-spm.gguf", "mistral", "Hello, how are you</s> Good to hear</s>");
}

static void
test_mask_bpe (void)
{
  /* GPT-2's vocabulary has no <|eot_id|> token: there the marker is plain text, split
   * into ordinary tokens, and only the replies are learned. */
  check_mask ("ggml-vocab-gpt-2.gguf", "llama3", "Hello, how are youGood to hear");
}

/* On every shared template, the masked tokens hold each assistant reply, in order,
 * and little else (a token straddling a reply's edge, an end marker). */
static void
test_mask_shared_templates (void)
{
  static const char *replies[] = { "First reply here", "Second answer text" };
  const char *testdata = g_getenv ("HONE_TESTDATA");
  g_autofree char *vocab = NULL;
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(JsonNode) conv = parse_json (
    "[{\"role\": \"user\", \"content\": \"Hi there\"},"
    " {\"role\": \"assistant\", \"content\": \"First reply here\"},"
    " {\"role\": \"user\", \"content\": \"Fine\"},"
    " {\"role\": \"assistant\", \"content\": \"Second answer text\"}]");
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  if (testdata == NULL)
    {
      g_test_skip ("HONE_TESTDATA is not set");
      return;
    }
  vocab = g_build_filename (testdata, "vocab", "ggml-vocab-llama-spm.gguf", NULL);
  dir_path = g_build_filename (testdata, "chat-templates", NULL);
  if (!g_file_test (vocab, G_FILE_TEST_EXISTS) || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no shared vocabularies or templates");
      return;
    }
  tokenizer = hone_tokenizer_new_from_path (vocab, &error);
  g_assert_no_error (error);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *source = NULL;
      g_autofree char *text = NULL;
      g_autofree char *decoded = NULL;
      g_autoptr(GArray) spans = NULL;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GArray) mask = NULL;
      g_autoptr(GArray) learned = g_array_new (FALSE, FALSE, sizeof (gint32));
      const char *at;

      if (!g_str_has_suffix (name, ".jinja"))
        continue;
      g_assert_true (g_file_get_contents (path, &source, NULL, &error));
      text = hone_template_render (source, conv, FALSE, "<s>", "</s>", NULL, &spans, &error);
      g_assert_no_error (error);
      g_assert_true (hone_template_mask (tokenizer, text, spans, &ids, &mask, &error));
      for (guint i = 0; i < ids->len; i++)
        if (g_array_index (mask, guint8, i))
          g_array_append_val (learned, g_array_index (ids, gint32, i));
      decoded = hone_tokenizer_decode (tokenizer, (gint32 *) learned->data, learned->len,
                                       HONE_DECODE_SPECIAL, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", name, decoded);
      at = strstr (decoded, replies[0]);
      g_assert_nonnull (at);
      g_assert_nonnull (strstr (at + strlen (replies[0]), replies[1]));
      g_assert_cmpuint (strlen (decoded), <=, strlen (replies[0]) + strlen (replies[1]) + 2 * 8);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static gboolean
has_token (const char *token,
           gpointer    user_data)
{
  return g_strv_contains (user_data, token);
}

static void
test_builtins (void)
{
  static const char *names[] = { "chatml", "llama3", "mistral", "gemma", "phi3" };
  static const char *expected[] = {
    "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n"
    "<|im_start|>assistant\nA<|im_end|>\n<|im_start|>assistant\n",
    "<s><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "<s>[INST] S\n\nU[/INST] A</s>",
    "<s><start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\nA<end_of_turn>\n"
    "<start_of_turn>model\n",
    "<|system|>\nS<|end|>\n<|user|>\nU<|end|>\n<|assistant|>\nA<|end|>\n<|assistant|>\n",
  };
  const char *llama_vocab[] = { "<|begin_of_text|>", "<|start_header_id|>", NULL };
  const char *gemma_vocab[] = { "<bos>", "<start_of_turn>", "<end_of_turn>", NULL };
  const char *plain_vocab[] = { "<s>", "</s>", NULL };
  g_autoptr(JsonNode) conv = parse_json ("[{\"role\": \"system\", \"content\": \"S\"},"
                                         " {\"role\": \"user\", \"content\": \"U\"},"
                                         " {\"role\": \"assistant\", \"content\": \"A\"}]");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = hone_template_render (hone_template_builtin (names[i]), conv,
                                                   TRUE, "<s>", "</s>", NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, expected[i]);
    }
  g_assert_null (hone_template_builtin ("nonesuch"));
  g_assert_true (hone_template_guess (has_token, llama_vocab) == hone_template_builtin ("llama3"));
  g_assert_true (hone_template_guess (has_token, gemma_vocab) == hone_template_builtin ("gemma"));
  g_assert_null (hone_template_guess (has_token, plain_vocab));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/template/render-simple", test_render_simple);
  g_test_add_func ("/hone/template/syntax-error-names-line", test_syntax_error_names_line);
  g_test_add_func ("/hone/template/raise-exception", test_raise_exception);
  g_test_add_func ("/hone/template/undefined", test_undefined);
  g_test_add_func ("/hone/template/limits", test_limits);
  g_test_add_func ("/hone/template/deep-nesting", test_deep_nesting);
  g_test_add_func ("/hone/template/assistant-spans", test_assistant_spans);
  g_test_add_func ("/hone/template/builtins", test_builtins);
  g_test_add_func ("/hone/template/mask-spm", test_mask_spm);
  g_test_add_func ("/hone/template/mask-bpe", test_mask_bpe);
  g_test_add_func ("/hone/template/mask-shared-templates", test_mask_shared_templates);

  return g_test_run ();
}
