/* hone-cli-util.c — option parsing and output helpers shared by the subcommands.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "hone-cli-private.h"

gboolean
hone_cli_parse (GOptionContext   *context,
                int              *argc,
                char           ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      fprintf (stderr, "hone-cli: %s\n\n%s", error->message, help);
      return FALSE;
    }
  return TRUE;
}

int
hone_cli_fail (int         status,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "hone-cli: %s\n", message);
  return status;
}

int
hone_cli_fail_error (const GError *error)
{
  return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error->message);
}

void
hone_cli_print_json (JsonNode *node,
                     gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

HoneProject *
hone_cli_open_project (const char *dir,
                       int        *status)
{
  g_autoptr(GError) error = NULL;
  HoneProject *project = hone_project_open (dir, &error);

  if (project == NULL)
    *status = hone_cli_fail_error (error);
  return project;
}
