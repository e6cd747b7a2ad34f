/* hone-text.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STUB: to be written.
 */
#define G_LOG_DOMAIN "hone-text"

#include "config.h"

#include "hone-import-private.h"

char *hone_text_decode (const char *name, const guint8 *data, gsize len, gsize *out_len, GError **error)
{ *out_len = len; return g_strndup ((const char *) data, len); }
gboolean hone_text_looks_like_text (const guint8 *data, gsize len) { return TRUE; }
gboolean hone_text_is_space (gunichar c) { return g_unichar_isspace (c); }
gboolean hone_text_is_bidi_mark (gunichar c) { return c == 0x200e; }
guint hone_text_line_at (const char *text, gsize offset) { return 1; }
char *hone_text_strip (const char *s, gssize len) { return g_strstrip (len < 0 ? g_strdup (s) : g_strndup (s, len)); }
char *hone_text_finish (const char *s, gssize len) { return hone_text_strip (s, len); }
char *hone_text_remove_bidi (const char *s, gssize len) { return len < 0 ? g_strdup (s) : g_strndup (s, len); }
char *hone_text_format_time (int year, int month, int day, int hour, int minute, int second, gboolean has_offset, int offset_minutes) { return NULL; }
char *hone_text_format_unix_utc (gint64 seconds) { return NULL; }
