/* hone-import-csv.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-import-csv"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_csv_detect (const char *text, gsize len, const HoneCsvMap *map) { return FALSE; }
gboolean hone_read_csv (HoneChatlog *log, const char *name, const char *text, gsize len, const HoneCsvMap *map, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 0, "not written yet"); return FALSE; }
