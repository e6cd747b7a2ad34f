/* hone-cli-project.c — hone-cli project new DIR
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hone-cli-private.h"

int
hone_cli_project (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("new DIR"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
                                _("Create a project: a folder that holds your imported chats, "
                                  "training runs and exports (project.sqlite and runs/)."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 3 || strcmp (argv[1], "new") != 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli project new DIR"));

  project = hone_project_create (argv[2], &error);
  if (project == NULL)
    return hone_cli_fail_error (error);

  printf (_("Created the project %s\n"), hone_project_get_dir (project));
  return HONE_EXIT_OK;
}
