/* hone-import-discord.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-import-discord"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_read_discord (HoneChatlog *log, const char *name, JsonNode *root, GError **error) { hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 0, "not written yet"); return FALSE; }
