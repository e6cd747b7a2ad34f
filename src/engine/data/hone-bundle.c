/* hone-bundle.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-bundle"

#include "config.h"

#include "hone-import-private.h"

gboolean hone_bundle_is_zip (const guint8 *data, gsize len) { return FALSE; }
HoneBundle *hone_bundle_open (const char *path, GCancellable *cancellable, GError **error)
{ g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_IO, "not written yet"); return NULL; }
void hone_bundle_free (HoneBundle *bundle) {}
const char *hone_bundle_get_name (HoneBundle *bundle) { return ""; }
guint hone_bundle_get_n_members (HoneBundle *bundle) { return 0; }
const char *hone_bundle_get_member (HoneBundle *bundle, guint index) { return NULL; }
gboolean hone_bundle_has_member (HoneBundle *bundle, const char *path) { return FALSE; }
GBytes *hone_bundle_read_member (HoneBundle *bundle, const char *path, GError **error) { return NULL; }
char *hone_bundle_dup_checksum (HoneBundle *bundle) { return NULL; }
