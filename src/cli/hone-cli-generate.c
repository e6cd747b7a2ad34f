/* hone-cli-generate.c — hone-cli generate, logits, chat and perplexity: a model on the GPU.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output formats are contracts that tests and scripts rely on:
 *   generate --json   {"ids": [...], "text": "..."} of the generated tokens only
 *   logits --json     {"logits": [...]} of the last position (--all: one array per position)
 *   perplexity --json {"perplexity": P, "nll": mean −log p, "tokens": N scored}
 * Without --json, generate streams the text as it comes and chat is a terminal chat.
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "infer/hone-generate.h"
#include "data/hone-dataset.h"
#include "infer/hone-perplexity.h"
#include "hone-cli-private.h"

/* Options every command that runs a model shares. */
typedef struct
{
  char    *adapter;
  char    *kv;
  int      ctx;
  /* sampling */
  gboolean greedy;
  double   temperature;
  int      top_k;
  double   top_p;
  double   min_p;
  double   repeat_penalty;
  int      repeat_last_n;
  gint64   seed;
  int      n_predict;
  char   **stop;
} RunOptions;

static void
run_options_init (RunOptions *o)
{
  HoneGenerateParams defaults;

  hone_generate_params_init (&defaults);
  memset (o, 0, sizeof *o);
  o->temperature = defaults.temperature;
  o->top_k = defaults.top_k;
  o->top_p = defaults.top_p;
  o->min_p = defaults.min_p;
  o->repeat_penalty = defaults.repeat_penalty;
  o->repeat_last_n = defaults.repeat_last_n;
  o->n_predict = defaults.max_tokens;
}

static void
run_options_clear (RunOptions *o)
{
  g_clear_pointer (&o->adapter, g_free);
  g_clear_pointer (&o->kv, g_free);
  g_clear_pointer (&o->stop, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunOptions, run_options_clear)

static void
add_model_entries (GOptionContext *context,
                   RunOptions     *o)
{
  GOptionEntry entries[] = {
    { "adapter", 'a', 0, G_OPTION_ARG_FILENAME, &o->adapter,
      N_("A LoRA adapter: a GGUF adapter file or a PEFT folder"), N_("PATH") },
    { "kv", 0, 0, G_OPTION_ARG_STRING, &o->kv,
      N_("Key/value cache type: f16 or f32"), N_("TYPE") },
    { "ctx", 'c', 0, G_OPTION_ARG_INT, &o->ctx,
      N_("Context size in tokens (default: the model’s, at most 8192)"), N_("N") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("model", _("Model options:"),
                                            _("Show the model options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);
}

static void
add_sampling_entries (GOptionContext *context,
                      RunOptions     *o)
{
  GOptionEntry entries[] = {
    { "n-predict", 'n', 0, G_OPTION_ARG_INT, &o->n_predict,
      N_("Most tokens to generate (512; 0: until the context is full)"), N_("N") },
    { "greedy", 0, 0, G_OPTION_ARG_NONE, &o->greedy,
      N_("Always take the most likely token (no sampling)"), NULL },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &o->temperature,
      N_("Randomness: 0 is greedy, 1 the model’s own distribution (0.7)"), N_("T") },
    { "top-k", 0, 0, G_OPTION_ARG_INT, &o->top_k,
      N_("Sample among the K most likely tokens (40; 0: off)"), N_("K") },
    { "top-p", 0, 0, G_OPTION_ARG_DOUBLE, &o->top_p,
      N_("Sample among the most likely tokens holding P of the probability (0.95)"), N_("P") },
    { "min-p", 0, 0, G_OPTION_ARG_DOUBLE, &o->min_p,
      N_("Drop tokens less likely than P times the most likely one (0.05)"), N_("P") },
    { "repeat-penalty", 0, 0, G_OPTION_ARG_DOUBLE, &o->repeat_penalty,
      N_("Make recent tokens less likely (1.1; 1: off)"), N_("R") },
    { "repeat-last-n", 0, 0, G_OPTION_ARG_INT, &o->repeat_last_n,
      N_("How many recent tokens the penalty looks at (64)"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &o->seed,
      N_("Random seed: the same seed gives the same text (0)"), N_("N") },
    { "stop", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->stop,
      N_("Stop when this text appears (may be repeated)"), N_("TEXT") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("sampling", _("Sampling options:"),
                                            _("Show the sampling options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, group);
}

static gboolean
run_options_params (const RunOptions   *o,
                    HoneGenerateParams *params,
                    GError            **error)
{
  if (o->greedy)
    hone_generate_params_greedy (params);
  else
    {
      hone_generate_params_init (params);
      params->temperature = (float) o->temperature;
      params->top_k = (guint) MAX (o->top_k, 0);
      params->top_p = (float) o->top_p;
      params->min_p = (float) o->min_p;
      params->repeat_penalty = (float) o->repeat_penalty;
      params->repeat_last_n = (guint) MAX (o->repeat_last_n, 0);
    }
  params->seed = (guint64) o->seed;
  params->max_tokens = (guint) MAX (o->n_predict, 0);
  params->stop = o->stop;
  if (o->temperature < 0 || o->top_p <= 0 || o->top_p > 1 || o->min_p < 0 || o->min_p >= 1
      || o->repeat_penalty <= 0 || o->n_predict < 0 || o->top_k < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("sampling settings out of range: temperature ≥ 0, 0 < top-p ≤ 1, "
                     "0 ≤ min-p < 1, repeat-penalty > 0, top-k and n-predict ≥ 0"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_kv (const RunOptions *o,
          HoneKvType        fallback,
          HoneKvType       *kv)
{
  if (o->kv == NULL)
    *kv = fallback;
  else if (g_ascii_strcasecmp (o->kv, "f16") == 0)
    *kv = HONE_KV_F16;
  else if (g_ascii_strcasecmp (o->kv, "f32") == 0)
    *kv = HONE_KV_F32;
  else
    return FALSE;
  return TRUE;
}

/* "1,2,3" or "1 2 3" */
static GArray *
parse_ids (const char *text,
           GError    **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_auto (GStrv) parts = g_strsplit_set (text, ", \t\n", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 id;

      if (parts[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &id, error))
        {
          g_prefix_error (error, _("bad token id list: "));
          return NULL;
        }
      g_array_append_val (ids, (guint32) { id });
    }
  if (ids->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("no token ids given"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* The device, the bot (model, tokenizer, template, end tokens) and the adapter index. */
typedef struct
{
  HoneGpuDevice *device;
  HoneBot       *bot;
  gint           adapter;
} Loaded;

static void
loaded_clear (Loaded *l)
{
  g_clear_pointer (&l->bot, hone_bot_free);
  g_clear_pointer (&l->device, hone_gpu_device_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loaded, loaded_clear)

static gboolean
load (const char       *model_path,
      const RunOptions *o,
      Loaded           *l,
      GError          **error)
{
  l->adapter = -1;
  l->device = hone_gpu_device_new (HONE_GPU_DEVICE_FLAGS_NONE, error);
  if (l->device == NULL)
    return FALSE;
  l->bot = hone_bot_new (l->device, model_path, error);
  if (l->bot == NULL)
    return FALSE;
  if (o->adapter != NULL)
    {
      l->adapter = hone_bot_add_adapter (l->bot, o->adapter, error);
      if (l->adapter < 0)
        return FALSE;
    }
  return TRUE;
}

static HoneInferSession *
new_session (Loaded           *l,
             const RunOptions *o,
             HoneKvType        kv,
             GError          **error)
{
  HoneInferSession *session = hone_infer_session_new (hone_bot_get_infer_model (l->bot),
                                                      (guint) MAX (o->ctx, 0), kv, error);

  if (session != NULL)
    hone_infer_session_set_adapter (session, l->adapter, 1.0f);
  return session;
}

static JsonNode *
ids_node (const guint32 *ids,
          guint          n)
{
  JsonArray *array = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    json_array_add_int_element (array, ids[i]);
  return json_node_init_array (json_node_alloc (), array);
}

static gboolean
print_piece (gint32      id,
             const char *text,
             gpointer    user_data)
{
  fputs (text, stdout);
  fflush (stdout);
  return TRUE;
}

/* ---- generate ---------------------------------------------------------------------- */

int
hone_cli_generate (int    argc,
                   char **argv)
{
  /* Freed last: the device outlives everything made on it. */
  g_auto (Loaded) l = { 0 };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) prompt = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autofree char *prompt_text = NULL;
  g_autofree char *prompt_ids = NULL;
  g_auto (RunOptions) o;
  HoneGenerateParams params;
  HoneGenerateResult result = { 0 };
  gboolean json = FALSE, chat = FALSE;
  HoneKvType kv;
  const gint32 *end_ids;
  guint n_end;
  GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt_text,
      N_("The text to continue (a BOS token is added where the model wants one)"),
      N_("TEXT") },
    { "prompt-ids", 0, 0, G_OPTION_ARG_STRING, &prompt_ids,
      N_("The token ids to continue, as given: 1,2,3"), N_("IDS") },
    { "chat", 0, 0, G_OPTION_ARG_NONE, &chat,
      N_("Send the prompt as a user message through the model’s chat template"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print {\"ids\": […], \"text\": …} of the generated tokens"), NULL },
    { NULL }
  };

  run_options_init (&o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_model_entries (context, &o);
  add_sampling_entries (context, &o);
  g_option_context_set_summary (context, _("Continue a text with a model on the GPU."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || (prompt_text == NULL) == (prompt_ids == NULL))
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli generate MODEL (--prompt TEXT | "
                                             "--prompt-ids 1,2,3) [-n N] [OPTIONS…]"));
  if (!parse_kv (&o, HONE_KV_F16, &kv))
    return hone_cli_fail (HONE_EXIT_USAGE, _("--kv must be f16 or f32"));
  if (!run_options_params (&o, &params, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  if (prompt_ids != NULL && (prompt = parse_ids (prompt_ids, &error)) == NULL)
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);

  if (!load (argv[1], &o, &l, &error))
    return hone_cli_fail_error (error);
  if (prompt == NULL && chat)
    {
      g_autoptr (JsonNode) messages = json_from_string ("[{\"role\": \"user\"}]", NULL);

      json_object_set_string_member (json_array_get_object_element (
                                       json_node_get_array (messages), 0),
                                     "content", prompt_text);
      prompt = hone_bot_render (l.bot, messages, &error);
      if (prompt == NULL)
        return hone_cli_fail_error (error);
    }
  else if (prompt == NULL)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      hone_tokenizer_encode (hone_bot_get_tokenizer (l.bot), prompt_text, -1,
                             HONE_ENCODE_ADD_SPECIAL | HONE_ENCODE_PARSE_SPECIAL, ids);
      prompt = g_array_ref (ids);   /* gint32 and guint32 share a layout */
    }
  if (prompt->len == 0)
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, _("the prompt has no tokens"));
  session = new_session (&l, &o, kv, &error);
  if (session == NULL)
    return hone_cli_fail_error (error);
  end_ids = hone_bot_get_end_ids (l.bot, &n_end);
  if (!hone_generate (session, hone_bot_get_tokenizer (l.bot), (const guint32 *) prompt->data,
                      prompt->len, &params, end_ids, n_end, json ? NULL : print_piece, NULL,
                      NULL, &result, &error))
    return hone_cli_fail_error (error);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ids");
      json_builder_add_value (builder, ids_node ((const guint32 *) result.ids->data,
                                                 result.ids->len));
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, result.text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hone_cli_print_json (root, FALSE);
    }
  else
    fputc ('\n', stdout);
  g_debug ("prompt %u tokens in %.3f s, %u generated in %.3f s", prompt->len,
           result.prefill_seconds, result.ids->len, result.decode_seconds);
  hone_generate_result_clear (&result);
  return HONE_EXIT_OK;
}

/* ---- logits ------------------------------------------------------------------------ */

int
hone_cli_logits (int    argc,
                 char **argv)
{
  /* Freed last: the device outlives everything made on it. */
  g_auto (Loaded) l = { 0 };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *ids_text = NULL;
  g_autofree float *logits = NULL;
  g_auto (RunOptions) o;
  gboolean json = FALSE, all = FALSE;
  HoneKvType kv;
  guint v;
  GOptionEntry entries[] = {
    { "ids", 0, 0, G_OPTION_ARG_STRING, &ids_text, N_("The token ids to run: 1,2,3"),
      N_("IDS") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Print every position’s logits"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print {\"logits\": […]} (the default)"),
      NULL },
    { NULL }
  };

  run_options_init (&o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_model_entries (context, &o);
  g_option_context_set_summary (context, _("Print the logits a model gives after some tokens "
                                           "(its f32 key/value cache unless --kv f16)."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || ids_text == NULL)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli logits MODEL --ids 1,2,3 "
                                             "[--adapter A] [--all] --json"));
  if (!parse_kv (&o, HONE_KV_F32, &kv))
    return hone_cli_fail (HONE_EXIT_USAGE, _("--kv must be f16 or f32"));
  if ((ids = parse_ids (ids_text, &error)) == NULL)
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  if (!load (argv[1], &o, &l, &error))
    return hone_cli_fail_error (error);
  if (o.ctx == 0)
    o.ctx = (int) ids->len;
  session = new_session (&l, &o, kv, &error);
  if (session == NULL)
    return hone_cli_fail_error (error);
  v = hone_infer_model_get_info (hone_bot_get_infer_model (l.bot))->vocab_size;
  logits = g_new (float, (gsize) (all ? ids->len : 1) * v);
  if (!hone_infer_session_eval (session, (const guint32 *) ids->data, ids->len, all, logits,
                                &error))
    return hone_cli_fail_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "logits");
  json_builder_begin_array (builder);
  for (guint r = 0; r < (all ? ids->len : 1); r++)
    {
      if (all)
        json_builder_begin_array (builder);
      for (guint j = 0; j < v; j++)
        json_builder_add_double_value (builder, logits[(gsize) r * v + j]);
      if (all)
        json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  hone_cli_print_json (root, FALSE);
  return HONE_EXIT_OK;
}

/* ---- chat -------------------------------------------------------------------------- */

int
hone_cli_chat (int    argc,
               char **argv)
{
  /* Freed last: the device outlives everything made on it. */
  g_auto (Loaded) l = { 0 };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL"));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) messages = json_array_new ();
  g_autofree char *system = NULL;
  g_auto (RunOptions) o;
  HoneGenerateParams params;
  gboolean tty = isatty (STDIN_FILENO);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_STRING, &system,
      N_("A system prompt: how the bot should behave"), N_("TEXT") },
    { NULL }
  };

  run_options_init (&o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_model_entries (context, &o);
  add_sampling_entries (context, &o);
  g_option_context_set_summary (context, _("Chat with a model in the terminal, through its "
                                           "chat template. One message per line; /reset "
                                           "starts over; end with Ctrl+D."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli chat MODEL [--adapter A] "
                                             "[--system S] [OPTIONS…]"));
  if (!run_options_params (&o, &params, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  if (!load (argv[1], &o, &l, &error))
    return hone_cli_fail_error (error);

  for (;;)
    {
      g_autoptr (JsonNode) node = NULL;
      HoneGenerateResult result = { 0 };
      JsonObject *message;

      if (json_array_get_length (messages) == 0 && system != NULL)
        {
          message = json_object_new ();
          json_object_set_string_member (message, "role", "system");
          json_object_set_string_member (message, "content", system);
          json_array_add_object_element (messages, message);
        }
      if (tty)
        {
          fputs ("> ", stdout);
          fflush (stdout);
        }
      if ((len = getline (&line, &cap, stdin)) < 0)
        break;
      g_strchomp (line);
      if (line[0] == '\0')
        continue;
      if (strcmp (line, "/reset") == 0)
        {
          g_clear_pointer (&messages, json_array_unref);
          messages = json_array_new ();
          continue;
        }
      message = json_object_new ();
      json_object_set_string_member (message, "role", "user");
      json_object_set_string_member (message, "content", line);
      json_array_add_object_element (messages, message);
      node = json_node_init_array (json_node_alloc (), messages);
      if (!hone_bot_reply (l.bot, l.adapter, node, &params, print_piece, NULL, NULL, &result,
                           &error))
        {
          free (line);
          return hone_cli_fail_error (error);
        }
      fputc ('\n', stdout);
      fflush (stdout);
      message = json_object_new ();
      json_object_set_string_member (message, "role", "assistant");
      json_object_set_string_member (message, "content", result.text);
      json_array_add_object_element (messages, message);
      hone_generate_result_clear (&result);
    }
  free (line);
  return HONE_EXIT_OK;
}

/* ---- perplexity -------------------------------------------------------------------- */

/* Adds each validation conversation of the project's data set as one segment, scored on
 * the assistant's tokens only (what training learns). */
static gboolean
add_validation_split (HonePerplexity *ppl,
                      HoneBot        *bot,
                      const char     *project_dir,
                      guint          *n_conversations,
                      GError        **error)
{
  g_autoptr (HoneProject) project = hone_project_open (project_dir, error);
  g_autoptr (HoneDatasetView) view = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 dataset;
  int n;

  if (project == NULL || (dataset = hone_dataset_ensure_default (project, error)) == 0
      || (view = hone_dataset_view_build (project, dataset, NULL, 0, NULL, NULL, NULL,
                                          error)) == NULL)
    return FALSE;
  tmp = g_dir_make_tmp ("hone-ppl-XXXXXX", error);
  if (tmp == NULL)
    return FALSE;
  path = g_build_filename (tmp, "validation.jsonl", NULL);
  n = hone_dataset_export (view, NULL, HONE_EXPORT_OPENAI, HONE_EXPORT_VALIDATION, path, NULL,
                           error);
  if (n >= 0 && !g_file_get_contents (path, &contents, NULL, error))
    n = -1;
  g_unlink (path);
  g_rmdir (tmp);
  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The project’s validation split is empty: import conversations, or "
                     "raise the validation share with `hone-cli split`"));
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  *n_conversations = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (GArray) ids = NULL;
      g_autoptr (GArray) mask = NULL;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], error);
      if (node == NULL)
        return FALSE;
      if (!hone_bot_render_training (bot, node, &ids, &mask, error))
        return FALSE;
      hone_perplexity_add (ppl, (const guint32 *) ids->data, (const guint8 *) mask->data,
                           ids->len);
      (*n_conversations)++;
    }
  return TRUE;
}

int
hone_cli_perplexity (int    argc,
                     char **argv)
{
  /* Freed last: the device outlives everything made on it. */
  g_auto (Loaded) l = { 0 };
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL (FILE | --project DIR)"));
  g_autoptr (GError) error = NULL;
  g_autoptr (HonePerplexity) ppl = NULL;
  g_autofree char *project = NULL;
  g_auto (RunOptions) o;
  gboolean json = FALSE, done = FALSE;
  guint n_conversations = 0;
  GOptionEntry entries[] = {
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &project,
      N_("Measure on the validation split of this project instead of a text file (the "
         "assistant’s replies through the chat template)"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print {\"perplexity\": …, \"nll\": …, \"tokens\": …}"), NULL },
    { NULL }
  };

  run_options_init (&o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_model_entries (context, &o);
  g_option_context_set_summary (context, _("Measure how well a model predicts a text (lower "
                                           "is better). The text is cut into windows of "
                                           "--ctx tokens (512)."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != (project ? 2 : 3))
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli perplexity MODEL (FILE | --project "
                                             "DIR) [--adapter A] [--ctx N] [--json]"));
  if (!load (argv[1], &o, &l, &error))
    return hone_cli_fail_error (error);
  ppl = hone_perplexity_new_segments (hone_bot_get_infer_model (l.bot), l.adapter,
                                      (guint) MAX (o.ctx, 0), &error);
  if (ppl == NULL)
    return hone_cli_fail_error (error);
  if (project != NULL)
    {
      if (!add_validation_split (ppl, l.bot, project, &n_conversations, &error))
        return hone_cli_fail_error (error);
    }
  else
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autofree char *text = NULL;
      gsize len;

      if (!g_file_get_contents (argv[2], &text, &len, &error))
        return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error->message);
      hone_tokenizer_encode (hone_bot_get_tokenizer (l.bot), text, len, HONE_ENCODE_ADD_SPECIAL,
                             ids);
      if (ids->len < 2)
        return hone_cli_fail (HONE_EXIT_BAD_INPUT, _("%s: the text is too short to measure"),
                              argv[2]);
      hone_perplexity_add (ppl, (const guint32 *) ids->data, NULL, ids->len);
    }
  while (!done)
    {
      if (!hone_perplexity_step (ppl, &done, &error))
        return hone_cli_fail_error (error);
      if (!json && isatty (STDERR_FILENO))
        fprintf (stderr, "\r%3.0f%%", 100 * hone_perplexity_get_progress (ppl));
    }
  if (!json && isatty (STDERR_FILENO))
    fputc ('\n', stderr);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "perplexity");
      json_builder_add_double_value (builder, hone_perplexity_get_value (ppl));
      json_builder_set_member_name (builder, "nll");
      json_builder_add_double_value (builder, hone_perplexity_get_mean_nll (ppl));
      json_builder_set_member_name (builder, "tokens");
      json_builder_add_int_value (builder, hone_perplexity_get_n_scored (ppl));
      if (project != NULL)
        {
          json_builder_set_member_name (builder, "conversations");
          json_builder_add_int_value (builder, n_conversations);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hone_cli_print_json (root, FALSE);
    }
  else
    printf (_("perplexity %.4f over %u tokens\n"), hone_perplexity_get_value (ppl),
            hone_perplexity_get_n_scored (ppl));
  return HONE_EXIT_OK;
}
