/* hone-import-datasets.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-import-datasets"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_read_openai_record (HoneChatlog *log, const char *name, JsonNode *record, guint line, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, line, "not written yet"); return FALSE; }
gboolean hone_read_sharegpt_record (HoneChatlog *log, const char *name, JsonNode *record, guint line, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, line, "not written yet"); return FALSE; }
gboolean hone_read_alpaca_record (HoneChatlog *log, const char *name, JsonNode *record, guint line, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, line, "not written yet"); return FALSE; }
