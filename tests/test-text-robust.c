/* test-text-robust.c — damaged tokenizer.json files and chat templates (issue 6 §4):
 * truncated, bit-flipped, given huge numbers and lengths and values of the wrong JSON
 * type. A tokenizer.json must load or be refused with an error naming the file; a
 * template must render or be refused with an error; nothing may crash or hang.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokenizer.json files are written from the shared vocabularies and cut down to
 * their first tokens (and the merges among them), so that hundreds of variants load
 * quickly, under the sanitizers too.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "model/hone-test-model.h"
#include "text/hone-template.h"
#include "text/hone-tokenizer.h"

#include "hone-test-util.h"

#define KEEP_TOKENS 400
#define MUTANT_NAME "mutant-tokenizer.json"

static char *
testdata_path (const char *folder,
               const char *file)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");

  return g_build_filename (testdata != NULL ? testdata : "../shared/testdata", folder, file,
                           NULL);
}

static char *
node_to_data (JsonNode *root,
              gsize    *len)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, len);
}

/* The tokenizer.json of a shared vocabulary, cut to its first KEEP_TOKENS tokens. */
static JsonNode *
small_tokenizer_json (const char *name)
{
  g_autofree char *file = g_strdup_printf ("ggml-vocab-%s.gguf", name);
  g_autofree char *path = testdata_path ("vocab", file);
  g_autoptr(HoneVocab) vocab = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  JsonObject *root, *model, *vocab_object, *small_vocab;
  JsonArray *merges, *small_merges, *added, *small_added;
  g_autoptr(GList) members = NULL;
  gsize len;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  vocab = hone_vocab_new_from_gguf (path, &error);
  g_assert_no_error (error);
  data = hone_vocab_to_tokenizer_json (vocab, &len, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  model = json_object_get_object_member (root, "model");
  vocab_object = json_object_get_object_member (model, "vocab");
  small_vocab = json_object_new ();
  members = json_object_get_members (vocab_object);
  for (GList *l = members; l != NULL; l = l->next)
    if (json_object_get_int_member (vocab_object, l->data) < KEEP_TOKENS)
      json_object_set_int_member (small_vocab, l->data,
                                  json_object_get_int_member (vocab_object, l->data));

  merges = json_object_get_array_member (model, "merges");
  small_merges = json_array_new ();
  for (guint i = 0; i < json_array_get_length (merges); i++)
    {
      JsonArray *pair = json_array_get_array_element (merges, i);
      const char *a = json_array_get_string_element (pair, 0);
      const char *b = json_array_get_string_element (pair, 1);
      g_autofree char *joined = g_strconcat (a, b, NULL);

      if (json_object_has_member (small_vocab, a) && json_object_has_member (small_vocab, b)
          && json_object_has_member (small_vocab, joined))
        json_array_add_element (small_merges, json_node_copy (json_array_get_element (merges,
                                                                                       i)));
    }

  added = json_object_get_array_member (root, "added_tokens");
  small_added = json_array_new ();
  for (guint i = 0; i < json_array_get_length (added); i++)
    {
      JsonObject *token = json_array_get_object_element (added, i);

      if (json_object_get_int_member (token, "id") < KEEP_TOKENS)
        json_array_add_element (small_added, json_node_copy (json_array_get_element (added, i)));
    }
  /* BOS/EOS beyond the cut would leave a post-processor naming a missing token */
  if (json_array_get_length (small_added) < json_array_get_length (added))
    json_object_set_null_member (root, "post_processor");

  json_object_set_object_member (model, "vocab", small_vocab);
  json_object_set_array_member (model, "merges", small_merges);
  json_object_set_array_member (root, "added_tokens", small_added);
  return json_node_copy (json_parser_get_root (parser));
}

/* Loads @data as a tokenizer.json: it must load, or fail with an error naming it. A
 * vocabulary that loads must also tokenize and decode. */
static gboolean
try_tokenizer_json (const char *data,
                    gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneVocab) vocab = hone_vocab_new_from_tokenizer_json_data (data, len,
                                                                          MUTANT_NAME, &error);
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *text = NULL;

  if (vocab == NULL)
    {
      g_assert_nonnull (error);
      if (strstr (error->message, MUTANT_NAME) == NULL)
        g_error ("the error does not name the file: %s", error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  tokenizer = hone_tokenizer_new (vocab);
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  hone_tokenizer_encode (tokenizer, "Hello, world! 123 \xf0\x9f\xa6\x99 <s> \n\n x", -1,
                         HONE_ENCODE_ADD_SPECIAL | HONE_ENCODE_PARSE_SPECIAL, ids);
  text = hone_tokenizer_decode (tokenizer, (gint32 *) ids->data, ids->len, HONE_DECODE_SPECIAL,
                                NULL, &error);
  g_assert_true ((text != NULL) == (error == NULL));
  return TRUE;
}

static void
test_tokenizer_json_truncated (gconstpointer user_data)
{
  g_autoptr(JsonNode) root = small_tokenizer_json (user_data);
  g_autofree char *data = NULL;
  gsize len;
  guint loaded = 0;

  if (root == NULL)
    {
      g_test_skip ("the shared vocabulary is missing (set HONE_TESTDATA)");
      return;
    }
  data = node_to_data (root, &len);
  g_assert_true (try_tokenizer_json (data, len));
  for (guint i = 0; i <= 128; i++)
    loaded += try_tokenizer_json (data, (gsize) ((guint64) len * i / 129));
  for (gsize cut = 0; cut < 16; cut++)
    loaded += try_tokenizer_json (data, cut) + try_tokenizer_json (data, len - 1 - cut);
  /* only an empty tail (whitespace) may be cut without the file being refused */
  g_assert_cmpuint (loaded, <=, 1);
}

static void
test_tokenizer_json_bit_flips (gconstpointer user_data)
{
  g_autoptr(JsonNode) root = small_tokenizer_json (user_data);
  g_autofree char *data = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  gsize len;

  if (root == NULL)
    {
      g_test_skip ("the shared vocabulary is missing (set HONE_TESTDATA)");
      return;
    }
  data = node_to_data (root, &len);
  for (guint i = 0; i < 400; i++)
    {
      gsize at = g_rand_int_range (rand, 0, (gint32) len);
      guint8 bit = 1u << g_rand_int_range (rand, 0, 8);
      /* the start holds the structure (added_tokens, normalizer, pre_tokenizer…): flip
       * there more often than in the long vocabulary */
      if (i % 2 == 0)
        at = at % MIN (len, 4096);
      data[at] ^= bit;
      try_tokenizer_json (data, len);
      data[at] ^= bit;
    }
}

/* How many members of an object or array of @n a structural mutation descends into:
 * all, except in long ones (the vocabulary, the merges), where the first few stand for
 * the rest. */
static guint
descend_limit (guint n)
{
  return n > 12 ? 3 : n;
}

/* Counts (and with @target, finds) the nodes a structural mutation may replace. */
static JsonNode *
walk (JsonNode *node,
      guint    *index,
      guint     target)
{
  JsonNode *found = NULL;

  if ((*index)++ == target)
    return node;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));
      guint n = 0;

      guint limit = descend_limit (g_list_length (members));

      for (GList *l = members; l != NULL && found == NULL && n < limit; l = l->next, n++)
        found = walk (json_object_get_member (json_node_get_object (node), l->data), index,
                      target);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      guint limit = descend_limit (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array) && found == NULL && i < limit; i++)
        found = walk (json_array_get_element (array, i), index, target);
    }
  return found;
}

typedef enum
{
  REPLACE_NULL,
  REPLACE_TRUE,
  REPLACE_ZERO,
  REPLACE_MINUS_ONE,
  REPLACE_INT_MAX,
  REPLACE_INT_MIN,
  REPLACE_U32_MAX,
  REPLACE_HUGE_DOUBLE,
  REPLACE_EMPTY_STRING,
  REPLACE_STRING,
  REPLACE_LONG_STRING,
  REPLACE_EMPTY_ARRAY,
  REPLACE_EMPTY_OBJECT,
  REPLACE_NESTED_ARRAY,
  N_REPLACEMENTS
} Replacement;

static void
add_replacement (JsonBuilder *b,
                 Replacement  r)
{
  switch (r)
    {
    case REPLACE_NULL: json_builder_add_null_value (b); break;
    case REPLACE_TRUE: json_builder_add_boolean_value (b, TRUE); break;
    case REPLACE_ZERO: json_builder_add_int_value (b, 0); break;
    case REPLACE_MINUS_ONE: json_builder_add_int_value (b, -1); break;
    case REPLACE_INT_MAX: json_builder_add_int_value (b, G_MAXINT64); break;
    case REPLACE_INT_MIN: json_builder_add_int_value (b, G_MININT64); break;
    case REPLACE_U32_MAX: json_builder_add_int_value (b, G_MAXUINT32); break;
    case REPLACE_HUGE_DOUBLE: json_builder_add_double_value (b, 1e308); break;
    case REPLACE_EMPTY_STRING: json_builder_add_string_value (b, ""); break;
    case REPLACE_STRING: json_builder_add_string_value (b, "Sequence"); break;
    case REPLACE_LONG_STRING:
      {
        g_autofree char *s = g_strnfill (1 << 16, 'a');
        json_builder_add_string_value (b, s);
      }
      break;
    case REPLACE_EMPTY_ARRAY:
      json_builder_begin_array (b);
      json_builder_end_array (b);
      break;
    case REPLACE_EMPTY_OBJECT:
      json_builder_begin_object (b);
      json_builder_end_object (b);
      break;
    case REPLACE_NESTED_ARRAY:
      json_builder_begin_array (b);
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "a");
      json_builder_add_int_value (b, 1);
      json_builder_end_array (b);
      json_builder_end_array (b);
      break;
    case N_REPLACEMENTS:
    default:
      g_assert_not_reached ();
    }
}

/* Copies @node into @b with node number @target (counted as walk() counts) replaced.
 * json-glib 1.6 cannot change a node's type in place safely, so each variant is built
 * afresh. */
static void
copy_replacing (JsonBuilder *b,
                JsonNode    *node,
                guint       *index,
                guint        target,
                Replacement  r)
{
  if ((*index)++ == target)
    {
      add_replacement (b, r);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      guint n = 0, limit = descend_limit (g_list_length (members));

      json_builder_begin_object (b);
      for (GList *l = members; l != NULL; l = l->next, n++)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          json_builder_set_member_name (b, l->data);
          if (n < limit)
            copy_replacing (b, child, index, target, r);
          else
            json_builder_add_value (b, json_node_copy (child));
        }
      json_builder_end_object (b);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint limit = descend_limit (json_array_get_length (array));

      json_builder_begin_array (b);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i < limit)
            copy_replacing (b, json_array_get_element (array, i), index, target, r);
          else
            json_builder_add_value (b, json_node_copy (json_array_get_element (array, i)));
        }
      json_builder_end_array (b);
    }
  else
    json_builder_add_value (b, json_node_copy (node));
}

/* The text of @root with node @target replaced by @r. */
static char *
mutate (JsonNode    *root,
        guint        target,
        Replacement  r,
        gsize       *len)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) copy = NULL;
  guint index = 0;

  copy_replacing (b, root, &index, target, r);
  copy = json_builder_get_root (b);
  return node_to_data (copy, len);
}

static void
test_tokenizer_json_types (gconstpointer user_data)
{
  g_autoptr(JsonNode) root = small_tokenizer_json (user_data);
  guint n_nodes = 0, refused = 0;

  if (root == NULL)
    {
      g_test_skip ("the shared vocabulary is missing (set HONE_TESTDATA)");
      return;
    }
  walk (root, &n_nodes, G_MAXUINT);
  for (guint k = 1; k < n_nodes; k++)
    for (Replacement r = 0; r < N_REPLACEMENTS; r++)
      {
        gsize len;
        g_autofree char *data = mutate (root, k, r, &len);

        refused += !try_tokenizer_json (data, len);
      }
  g_test_message ("%u nodes, %u of %u variants refused", n_nodes, refused,
                  (n_nodes - 1) * N_REPLACEMENTS);
  g_assert_cmpuint (refused, >, 0);
}

/* Chat templates. */

static const char conversation_json[] =
  "{\"messages\": ["
  "{\"role\": \"user\", \"content\": \"Hi there\"},"
  "{\"role\": \"assistant\", \"content\": \"Hello!\"},"
  "{\"role\": \"user\", \"content\": \"What is 2+2?\"}"
  "]}";

static JsonNode *
conversation (void)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (conversation_json, &error);

  g_assert_no_error (error);
  return node;
}

/* Renders @source: it gives text or an error, never both or neither. */
static gboolean
try_render (const char *source,
            JsonNode   *messages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(GArray) spans = NULL;
  g_autofree char *text = hone_template_render (source, messages, TRUE, "<s>", "</s>", now,
                                                &spans, &error);

  g_assert_true ((text != NULL) != (error != NULL));
  return text != NULL;
}

static GPtrArray *
read_templates (void)
{
  g_autofree char *dir = testdata_path ("chat-templates", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *sources = g_ptr_array_new_with_free_func (g_free);

  for (const char *file; d != NULL && (file = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, file, NULL);
      char *source = NULL;

      if (!g_str_has_suffix (file, ".jinja"))
        continue;
      g_file_get_contents (path, &source, NULL, NULL);
      g_assert_nonnull (source);
      g_ptr_array_add (sources, source);
    }
  return sources;
}

static void
test_template_mutations (void)
{
  g_autoptr(GPtrArray) sources = read_templates ();
  g_autoptr(JsonNode) messages = conversation ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (66);
  static const char *const inserts[] = {
    "{{", "}}", "{%", "%}", "{#", "#}", "(", ")", "[", "]", "'", "\"", "|", ".", ",", "-",
    "{%- endif %}", "{% endfor %}", "{% if %}", "{{ x(", "\\", "\xff", "\xe2\x96",
  };

  if (sources->len == 0)
    {
      g_test_skip ("no chat templates in HONE_TESTDATA/chat-templates");
      return;
    }
  for (guint t = 0; t < sources->len; t++)
    {
      const char *source = g_ptr_array_index (sources, t);
      gsize len = strlen (source);
      g_autofree char *copy = g_strdup (source);

      g_assert_true (try_render (source, messages));
      for (guint i = 1; i < 48; i++)
        {
          g_autofree char *cut = g_strndup (source, len * i / 48);
          try_render (cut, messages);
        }
      for (guint i = 0; i < 64; i++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) len);
          guint8 bit = 1u << g_rand_int_range (rand, 0, 8);

          if (((guint8) copy[at] ^ bit) == 0)
            continue;
          copy[at] ^= bit;
          try_render (copy, messages);
          copy[at] ^= bit;
        }
      for (guint i = 0; i < 48; i++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) len + 1);
          const char *insert = inserts[g_rand_int_range (rand, 0, G_N_ELEMENTS (inserts))];
          g_autofree char *mutant = g_strdup_printf ("%.*s%s%s", (int) at, source, insert,
                                                     source + at);
          try_render (mutant, messages);
        }
    }
}

/* Huge counts, lengths and depths must hit a limit, not exhaust memory, stack or time. */
static void
test_template_limits (void)
{
  g_autoptr(JsonNode) messages = conversation ();
  g_autoptr(GString) deep = g_string_new (NULL);
  static const char *const sources[] = {
    "{% for i in range(2000000000) %}x{% endfor %}",
    "{{ range(2000000000) | list | length }}",
    "{{ 'x' * 2000000000 }}",
    "{{ ('x' * 1000000) * 1000000 }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s | length }}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{{ messages * 1000000000 }}",
    "{{ messages[9223372036854775807] }}",
    "{{ messages[-9223372036854775807 - 1] }}",
    "{{ 'abc'[9223372036854775807:] }}",
    "{{ 99999999999999999999999999999 }}",
    "{{ 1e999 }}",
    "{{ 'x' | center(2000000000) }}",
    "{{ 'x' | indent(2000000000) }}",
    "{{ 'a b' | replace(' ', 'x' * 1000000) | replace('x', 'y' * 1000000) }}",
    "{{ 'x' ~ (messages | tojson(indent=2000000000)) }}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    try_render (sources[i], messages);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '(');
  g_string_prepend (deep, "{{ ");
  try_render (deep->str, messages);
  g_string_assign (deep, "{{ ");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "[");
  try_render (deep->str, messages);
  g_string_assign (deep, "{{ x");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, ".a");
  g_string_append (deep, " }}");
  try_render (deep->str, messages);
  g_string_assign (deep, "{{ 1");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, " + 1");
  g_string_append (deep, " }}");
  try_render (deep->str, messages);
  g_string_assign (deep, "");
  for (guint i = 0; i < 20000; i++)
    g_string_append (deep, "{% if true %}");
  try_render (deep->str, messages);
  for (guint i = 0; i < 20000; i++)
    g_string_append (deep, "{% endif %}");
  try_render (deep->str, messages);
}

/* Messages of the wrong shape: refused or rendered, never a crash. */
static void
test_template_bad_messages (void)
{
  g_autoptr(GPtrArray) sources = read_templates ();
  static const char *const conversations[] = {
    "{\"messages\": []}",
    "{\"messages\": null}",
    "{\"messages\": \"text\"}",
    "{\"messages\": [1, 2]}",
    "{\"messages\": [{}]}",
    "{\"messages\": [{\"role\": 1, \"content\": []}]}",
    "{\"messages\": [{\"role\": [\"assistant\"], \"content\": {}}]}",
    "{\"messages\": [{\"role\": {}, \"content\": \"x\"}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": {\"a\": 1}}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]}",
    "{\"messages\": [{\"role\": \"tool\", \"content\": null, \"tool_calls\": 5}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": 7}",
    "[]",
    "null",
  };

  for (guint t = 0; t < sources->len; t++)
    for (guint c = 0; c < G_N_ELEMENTS (conversations); c++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = json_from_string (conversations[c], &error);

        g_assert_no_error (error);
        try_render (g_ptr_array_index (sources, t), node);
      }
}

/* tokenizer_config.json of an HF folder, damaged: loads or is refused naming the file. */
static void
test_tokenizer_config (void)
{
  g_autoptr(GPtrArray) sources = read_templates ();
  g_autofree char *dir = hone_test_make_temp_dir ("hone-text-robust-XXXXXX");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) tokenizer = small_tokenizer_json ("llama-spm");
  g_autofree char *tokenizer_data = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (606);
  guint n_nodes = 0;
  gsize len;

  if (sources->len == 0 || tokenizer == NULL)
    {
      g_test_skip ("the shared test data is missing (set HONE_TESTDATA)");
      hone_test_remove_tree (dir);
      return;
    }
  /* a whole (tiny) HF folder, so that HoneModel reads the damaged file too */
  {
    HoneTestModelOptions o;
    g_autoptr(GError) error = NULL;

    hone_test_model_options_init (&o, HONE_ARCH_LLAMA);
    o.n_layers = 1;
    o.dim = 32;
    o.n_heads = 2;
    o.hf = TRUE;
    hone_test_model_write (&o, dir, &error);
    g_assert_no_error (error);
  }
  tokenizer_data = node_to_data (tokenizer, NULL);
  g_free (hone_test_write_file (dir, "tokenizer.json", tokenizer_data, -1));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bos_token");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, "<s>");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "eos_token");
  json_builder_add_string_value (b, "</s>");
  json_builder_set_member_name (b, "chat_template");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "default");
  json_builder_set_member_name (b, "template");
  json_builder_add_string_value (b, g_ptr_array_index (sources, 0));
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  data = node_to_data (root, &len);

  walk (root, &n_nodes, G_MAXUINT);
  for (guint i = 0; i < 64 + n_nodes * N_REPLACEMENTS; i++)
    {
      g_autofree char *mutant = NULL;
      gsize mutant_len = len;
      g_autoptr(HoneChatTemplate) template = NULL;
      g_autoptr(GError) error = NULL;

      if (i < 32)
        mutant = g_strndup (data, mutant_len = len * i / 32);
      else if (i < 64)
        {
          mutant = g_strdup (data);
          mutant[g_rand_int_range (rand, 0, (gint32) len)] ^= 1u << g_rand_int_range (rand, 0, 8);
        }
      else
        {
          guint k = (i - 64) / N_REPLACEMENTS;

          if (k == 0)
            continue;
          mutant = mutate (root, k, (i - 64) % N_REPLACEMENTS, &mutant_len);
        }
      g_free (hone_test_write_file (dir, "tokenizer_config.json", mutant, mutant_len));
      {
        HoneModelInfo info;
        g_autoptr(GError) info_error = NULL;

        if (!hone_model_read_info (dir, &info, &info_error))
          g_assert_nonnull (info_error);
      }
      template = hone_chat_template_load (dir, &error);
      if (template == NULL)
        {
          g_assert_nonnull (error);
          if (strstr (error->message, "tokenizer_config.json") == NULL)
            g_error ("the error does not name the file: %s", error->message);
        }
      else if (template->source != NULL)
        {
          g_autoptr(JsonNode) messages = conversation ();
          g_autoptr(GError) render_error = NULL;
          g_autofree char *text = hone_template_render (template->source, messages, TRUE,
                                                        template->bos_token,
                                                        template->eos_token, NULL, NULL,
                                                        &render_error);

          g_assert_true ((text != NULL) != (render_error != NULL));
        }
    }
  hone_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const vocabs[] = { "llama-spm", "gpt-2" };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vocabs); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/hone/text-robust/tokenizer-json/%s/truncated",
                                             vocabs[i]);
      g_autofree char *p2 = g_strdup_printf ("/hone/text-robust/tokenizer-json/%s/bit-flips",
                                             vocabs[i]);
      g_autofree char *p3 = g_strdup_printf ("/hone/text-robust/tokenizer-json/%s/types",
                                             vocabs[i]);

      g_test_add_data_func (p1, vocabs[i], test_tokenizer_json_truncated);
      g_test_add_data_func (p2, vocabs[i], test_tokenizer_json_bit_flips);
      g_test_add_data_func (p3, vocabs[i], test_tokenizer_json_types);
    }
  g_test_add_func ("/hone/text-robust/template/mutations", test_template_mutations);
  g_test_add_func ("/hone/text-robust/template/limits", test_template_limits);
  g_test_add_func ("/hone/text-robust/template/bad-messages", test_template_bad_messages);
  g_test_add_func ("/hone/text-robust/template/tokenizer-config", test_tokenizer_config);
  return g_test_run ();
}
