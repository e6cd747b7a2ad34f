/* hone-cli-import.c — hone-cli import PROJECT PATH… [--map COL=FIELD,…] [--json]
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "data/hone-import.h"
#include "hone-cli-private.h"

typedef struct
{
  const char *file;
  gboolean    on_terminal;
} Progress;

static void
progress_draw (double   fraction,
               gpointer user_data)
{
  Progress *progress = user_data;
  const int width = 30;
  int filled = (int) (fraction * width + 0.5);

  if (!progress->on_terminal)
    return;
  fprintf (stderr, "\r%-24.24s [", progress->file);
  for (int i = 0; i < width; i++)
    fputc (i < filled ? '#' : '-', stderr);
  fprintf (stderr, "] %3d%%", (int) (fraction * 100 + 0.5));
  fflush (stderr);
}

static void
progress_done (Progress *progress)
{
  if (progress->on_terminal)
    fprintf (stderr, "\r\033[K");
}

static JsonNode *
facts_to_json (const HoneChatlog *log,
               gboolean           duplicate)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) participants = hone_chatlog_dup_participants (log);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, log->file);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, hone_chat_format_to_string (log->format));
  json_builder_set_member_name (builder, "conversations");
  json_builder_add_int_value (builder, log->conversations->len);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_int_value (builder, hone_chatlog_count_messages (log));
  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);
  for (guint i = 0; participants[i] != NULL; i++)
    json_builder_add_string_value (builder, participants[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "system");
  json_builder_add_int_value (builder, log->n_system);
  json_builder_set_member_name (builder, "media");
  json_builder_add_int_value (builder, hone_chatlog_count_media (log));
  if (duplicate)
    {
      json_builder_set_member_name (builder, "already_imported");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
error_to_json (const char   *path,
               const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *base = g_path_get_basename (path);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, base);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_summary (const HoneChatlog *log)
{
  g_auto(GStrv) participants = hone_chatlog_dup_participants (log);
  g_autofree char *names = g_strjoinv (", ", participants);
  guint n_messages = hone_chatlog_count_messages (log);

  printf (_("Imported %s (%s): %u conversations, %u messages from %u people"),
          log->file, hone_chat_format_to_string (log->format),
          log->conversations->len, n_messages, g_strv_length (participants));
  printf ("\n  %s\n", names);
}

int
hone_cli_import (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT PATH…"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autofree char *map_spec = NULL;
  gboolean json = FALSE;
  HoneCsvMap map = { 0 };
  HoneImportOptions options = { 0 };
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING, &map_spec,
      N_("Help-desk CSV columns: “Column=field,…”, fields: conversation, time, author, role, "
         "text, attachment"), N_("COL=FIELD,…") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print what was imported as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Import chat exports: WhatsApp, Telegram, Discord, Slack, "
                                  "Messenger, help-desk CSV, OpenAI, ShareGPT or Alpaca files, "
                                  "folders or zips. The format is found from the content."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc < 3)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli import PROJECT PATH…"));

  if (map_spec != NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!hone_csv_map_parse (&map, map_spec, &error))
        return hone_cli_fail (HONE_EXIT_USAGE, "--map: %s", error->message);
      options.csv_map = &map;
    }

  project = hone_cli_open_project (argv[1], &status);
  if (project == NULL)
    {
      hone_csv_map_clear (&map);
      return status;
    }

  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HoneChatlog) log = NULL;
      g_autofree char *base = g_path_get_basename (argv[i]);
      Progress progress = { base, !json && isatty (STDERR_FILENO) };
      gboolean duplicate = FALSE;

      progress_draw (0.0, &progress);
      log = hone_import_read_path (argv[i], &options, NULL, &error);
      if (log != NULL
          && hone_project_add_source (project, argv[i], log, progress_draw, &progress,
                                      NULL, &error) == 0)
        {
          if (g_error_matches (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE))
            {
              /* The same content twice is noticed, not an error: nothing changes. */
              duplicate = TRUE;
              fprintf (stderr, "hone-cli: %s\n", error->message);
              g_clear_error (&error);
            }
        }
      progress_done (&progress);

      if (error != NULL)
        {
          status = hone_cli_fail_error (error);
          if (json)
            json_array_add_element (results, error_to_json (argv[i], error));
          continue;
        }

      if (json)
        json_array_add_element (results, facts_to_json (log, duplicate));
      else if (!duplicate)
        print_summary (log);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (root, results);
      hone_cli_print_json (root, FALSE);
    }

  hone_csv_map_clear (&map);
  return status;
}
