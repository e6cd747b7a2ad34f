/* hone-import.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-import"

#include "config.h"

#include "hone-import-private.h"

G_DEFINE_QUARK (hone-import-error-quark, hone_import_error)

void hone_import_set_error (GError **error, HoneImportError code, const char *name, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, HONE_IMPORT_ERROR, code, "%s: line %u: %s", name, line, msg);
  else
    g_set_error (error, HONE_IMPORT_ERROR, code, "%s: %s", name, msg);
}

HoneChatlog *hone_import_read_path (const char *path, const HoneImportOptions *options, GCancellable *cancellable, GError **error)
{ g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_NOT_CHAT, "not written yet"); return NULL; }
gboolean hone_csv_map_parse (HoneCsvMap *map, const char *spec, GError **error) { return FALSE; }
void hone_csv_map_clear (HoneCsvMap *map) {}
