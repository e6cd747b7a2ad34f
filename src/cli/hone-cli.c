/* hone-cli.c — the Hone engine without a window: entry point and subcommand table.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hone-cli-private.h"

typedef struct
{
  const char     *name;
  HoneCliCommand  run;
  const char     *summary;
} Command;

static const Command commands[] = {
  { "project",  hone_cli_project,  N_("Create a project folder (project new DIR)") },
  { "import",   hone_cli_import,   N_("Import chat exports into a project") },
  { "sources",  hone_cli_sources,  N_("List the imported files of a project") },
  { "source",   hone_cli_source,   N_("Remove an imported file (source remove PROJECT ID)") },
  { "messages", hone_cli_messages, N_("Print every imported conversation") },
  { "bench",    hone_cli_bench,    N_("Measure the engine’s speed (bench NAME)") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: hone-cli COMMAND [OPTIONS…]\n\n"
                  "Hone turns your own chat logs into a fine-tuned chatbot.\n"
                  "This is its command-line tool.\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “hone-cli COMMAND --help” for the options of a command.\n"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return HONE_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return HONE_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("hone-cli %s\n", PACKAGE_VERSION);
      return HONE_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("hone-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return HONE_EXIT_USAGE;
}
