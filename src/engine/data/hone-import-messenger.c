/* hone-import-messenger.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-import-messenger"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_read_messenger (HoneChatlog *log, JsonNode **files, const char *const *names, guint n_files, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, names[0], 0, "not written yet"); return FALSE; }
