/* main.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "hone-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HoneApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hone_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
