/* hone-cli-template.c — `hone-cli template`: a conversation through a chat template.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "text/hone-template.h"
#include "text/hone-tokenizer.h"
#include "hone-cli-private.h"

int
hone_cli_template (int    argc,
                   char **argv)
{
  g_autofree char *jinja = NULL;
  g_autofree char *builtin = NULL;
  g_autofree char *bos = NULL;
  g_autofree char *eos = NULL;
  g_autofree char *now_text = NULL;
  gboolean add_generation_prompt = FALSE;
  gboolean mask = FALSE;
  GOptionEntry entries[] = {
    { "jinja", 0, 0, G_OPTION_ARG_FILENAME, &jinja,
      N_("Render with the Jinja template in FILE"), N_("FILE") },
    { "builtin", 0, 0, G_OPTION_ARG_STRING, &builtin,
      N_("Render with a built-in template: chatml, llama3, mistral, gemma, phi3"), N_("NAME") },
    { "add-generation-prompt", 0, 0, G_OPTION_ARG_NONE, &add_generation_prompt,
      N_("End with the start of an assistant turn"), NULL },
    { "bos", 0, 0, G_OPTION_ARG_STRING, &bos, N_("The bos_token text"), N_("S") },
    { "eos", 0, 0, G_OPTION_ARG_STRING, &eos, N_("The eos_token text"), N_("S") },
    { "mask", 0, 0, G_OPTION_ARG_NONE, &mask,
      N_("With a MODEL: print {\"ids\": […], \"mask\": […]}, 1 for the tokens training "
         "learns from (the assistant’s replies and their end-of-turn token)"), NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("The time strftime_now() sees, ISO 8601 (default: now)"), N_("TIME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("(MODEL | --jinja FILE | --builtin NAME) CONV.json"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_autoptr(HoneChatTemplate) model = NULL;
  g_autoptr(GArray) spans = NULL;
  const char *model_path = NULL, *conv_path;

  g_option_context_set_summary (context,
                                _("Prints a conversation exactly as the chat template renders "
                                  "it. CONV.json is {\"messages\": [{\"role\", \"content\"}…]} "
                                  "(other members become template variables) or a bare array "
                                  "of messages."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc == 3)
    model_path = argv[1];
  if ((argc != 2 && argc != 3) || (jinja != NULL && builtin != NULL)
      || (model_path == NULL && jinja == NULL && builtin == NULL))
    return hone_cli_fail (HONE_EXIT_USAGE,
                          _("usage: hone-cli template (MODEL | --jinja FILE | --builtin NAME) "
                            "CONV.json"));
  if (mask && model_path == NULL)
    return hone_cli_fail (HONE_EXIT_USAGE, _("--mask needs a MODEL for its tokenizer"));
  conv_path = argv[argc - 1];

  if (model_path != NULL && (model = hone_chat_template_load (model_path, &error)) == NULL)
    return hone_cli_fail_error (error);
  if (jinja != NULL)
    {
      if (!g_file_get_contents (jinja, &source, NULL, &error))
        return hone_cli_fail_error (error);
    }
  else if (builtin != NULL && hone_template_builtin (builtin) != NULL)
    source = g_strdup (hone_template_builtin (builtin));
  else if (builtin != NULL)
    return hone_cli_fail (HONE_EXIT_USAGE, _("unknown built-in template “%s”"), builtin);
  else if (model->source != NULL)
    source = g_strdup (model->source);
  else
    return hone_cli_fail (HONE_EXIT_BAD_INPUT,
                          _("%s has no chat template, and its vocabulary has none of the special "
                            "tokens of the built-in ones (ChatML, Llama 3, Mistral, Gemma, "
                            "Phi-3); give one with --jinja or --builtin"), model_path);
  if (model != NULL && bos == NULL)
    bos = g_strdup (model->bos_token);
  if (model != NULL && eos == NULL)
    eos = g_strdup (model->eos_token);

  if (now_text != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      if ((now = g_date_time_new_from_iso8601 (now_text, utc)) == NULL)
        return hone_cli_fail (HONE_EXIT_USAGE, _("--now: not an ISO 8601 time: %s"), now_text);
    }
  if (!json_parser_load_from_file (parser, conv_path, &error))
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s: %s", conv_path, error->message);
  text = hone_template_render (source, json_parser_get_root (parser), add_generation_prompt,
                               bos, eos, now, &spans, &error);
  if (text == NULL)
    return hone_cli_fail_error (error);
  if (mask)
    {
      g_autoptr(HoneTokenizer) tokenizer = hone_tokenizer_new_from_path (model_path, &error);
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GArray) learn = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      if (tokenizer == NULL
          || !hone_template_mask (tokenizer, text, spans, &ids, &learn, &error))
        return hone_cli_fail_error (error);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < ids->len; i++)
        json_builder_add_int_value (builder, g_array_index (ids, gint32, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "mask");
      json_builder_begin_array (builder);
      for (guint i = 0; i < learn->len; i++)
        json_builder_add_int_value (builder, g_array_index (learn, guint8, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hone_cli_print_json (root, FALSE);
      return HONE_EXIT_OK;
    }
  fputs (text, stdout);
  fflush (stdout);
  return HONE_EXIT_OK;
}
