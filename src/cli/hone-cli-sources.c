/* hone-cli-sources.c — hone-cli sources, source remove and messages: what a project holds.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hone-cli-private.h"

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_source_json (JsonBuilder          *builder,
                 const HoneSourceInfo *info)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, info->id);
  add_string_or_null (builder, "file", info->file);
  add_string_or_null (builder, "path", info->path);
  add_string_or_null (builder, "format", hone_chat_format_to_string (info->format));
  json_builder_set_member_name (builder, "conversations");
  json_builder_add_int_value (builder, info->n_conversations);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_int_value (builder, info->n_messages);
  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);
  for (guint i = 0; info->participants != NULL && info->participants[i] != NULL; i++)
    json_builder_add_string_value (builder, info->participants[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "system");
  json_builder_add_int_value (builder, info->n_system);
  json_builder_set_member_name (builder, "media");
  json_builder_add_int_value (builder, info->n_media);
  add_string_or_null (builder, "first_time", info->first_time);
  add_string_or_null (builder, "last_time", info->last_time);
  add_string_or_null (builder, "imported_at", info->imported_at);
  add_string_or_null (builder, "checksum", info->checksum);
  json_builder_end_object (builder);
}

/* Opens the project in @dir and lists its sources; NULL, with the exit status in
 * *@status, when either fails. */
static GPtrArray *
list_sources (const char   *dir,
              HoneProject **project,
              int          *status)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *sources;

  *project = hone_cli_open_project (dir, status);
  if (*project == NULL)
    return NULL;
  sources = hone_project_list_sources (*project, &error);
  if (sources == NULL)
    *status = hone_cli_fail_error (error);
  return sources;
}

int
hone_cli_sources (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  gboolean json = FALSE;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("List the files imported into a project."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli sources PROJECT [--json]"));

  sources = list_sources (argv[1], &project, &status);
  if (sources == NULL)
    return status;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < sources->len; i++)
        add_source_json (builder, g_ptr_array_index (sources, i));
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      hone_cli_print_json (root, FALSE);
      return HONE_EXIT_OK;
    }

  if (sources->len == 0)
    printf (_("No chats imported yet. Import some with “hone-cli import %s FILE”.\n"), argv[1]);
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);
      printf ("%3" G_GINT64_FORMAT "  %-32s %-10s %6u conversations %8u messages",
              info->id, info->file, hone_chat_format_to_string (info->format),
              info->n_conversations, info->n_messages);
      if (info->first_time != NULL && info->last_time != NULL)
        printf ("  %.10s – %.10s", info->first_time, info->last_time);
      printf ("\n");
    }
  return HONE_EXIT_OK;
}

int
hone_cli_source (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("remove PROJECT ID"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSourceInfo) info = NULL;
  int status = HONE_EXIT_OK;
  char *end = NULL;
  gint64 id;

  g_option_context_set_summary (context,
                                _("Remove an imported file and its conversations from a project. "
                                  "The ID is the number “hone-cli sources” shows."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 4 || strcmp (argv[1], "remove") != 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli source remove PROJECT ID"));

  id = g_ascii_strtoll (argv[3], &end, 10);
  if (end == argv[3] || *end != '\0' || id <= 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a source ID (a number from "
                                             "“hone-cli sources”)"), argv[3]);

  project = hone_cli_open_project (argv[2], &status);
  if (project == NULL)
    return status;
  info = hone_project_get_source (project, id, &error);
  if (info == NULL || !hone_project_remove_source (project, id, &error))
    return hone_cli_fail_error (error);

  printf (_("Removed %s (%u conversations, %u messages)\n"),
          info->file, info->n_conversations, info->n_messages);
  return HONE_EXIT_OK;
}

static void
add_conversation_json (JsonBuilder                *builder,
                       const char                 *source,
                       const HoneChatConversation *conversation)
{
  json_builder_begin_object (builder);
  add_string_or_null (builder, "source", source);
  add_string_or_null (builder, "title", conversation->title);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < conversation->messages->len; i++)
    {
      const HoneChatMessage *m = g_ptr_array_index (conversation->messages, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "author", m->author);
      add_string_or_null (builder, "time", m->time);
      add_string_or_null (builder, "text", m->text);
      json_builder_set_member_name (builder, "media");
      json_builder_add_boolean_value (builder, m->media);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

int
hone_cli_messages (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print as JSON (the only output for now)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Print every imported conversation, in import order, with its "
                                  "messages oldest first."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli messages PROJECT --json"));

  sources = list_sources (argv[1], &project, &status);
  if (sources == NULL)
    return status;

  json_builder_begin_array (builder);
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);
      g_autoptr(HoneChatlog) log = hone_project_load_source (project, info->id, &error);

      if (log == NULL)
        return hone_cli_fail_error (error);
      for (guint j = 0; j < log->conversations->len; j++)
        add_conversation_json (builder, info->file, g_ptr_array_index (log->conversations, j));
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  hone_cli_print_json (root, !json);
  return HONE_EXIT_OK;
}
