/* hone-json.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-json"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_json_check (const char *name, const char *text, gsize len, guint first_line, GError **error) { return TRUE; }
JsonNode *hone_json_parse (const char *name, const char *text, gsize len, guint first_line, GError **error)
{ g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SYNTAX, "%s: not written yet", name); return NULL; }
gboolean hone_json_get_string (JsonObject *object, const char *key, gboolean required, gboolean nullable, const char **out, const char *name, guint line, GError **error) { return FALSE; }
gboolean hone_json_get_array (JsonObject *object, const char *key, gboolean required, JsonArray **out, const char *name, guint line, GError **error) { return FALSE; }
gboolean hone_json_get_object (JsonObject *object, const char *key, gboolean required, JsonObject **out, const char *name, guint line, GError **error) { return FALSE; }
gboolean hone_json_get_int (JsonObject *object, const char *key, gboolean required, gint64 *out, gboolean *present, const char *name, guint line, GError **error) { return FALSE; }
JsonObject *hone_json_array_get_object (JsonArray *array, guint index, const char *key, const char *name, guint line, GError **error) { return NULL; }
