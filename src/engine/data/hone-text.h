/* hone-text.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text rules shared by every importer (README section 2): decoding, line numbers,
 * Unicode whitespace, finishing authors and texts, bidirectional marks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decodes a file's bytes to UTF-8: removes a UTF-8 byte-order mark, converts UTF-16
 * with a byte-order mark. Fails with HONE_IMPORT_ERROR_ENCODING naming "UTF-8" and the
 * line of the first invalid byte (overlong forms, surrogates, > U+10FFFF and NUL-free
 * binary all count as invalid), or HONE_IMPORT_ERROR_EMPTY when nothing but whitespace
 * is left. Returns a NUL-terminated string of *out_len bytes. */
char       *hone_text_decode            (const char    *name,
                                         const guint8  *data,
                                         gsize          len,
                                         gsize         *out_len,
                                         GError       **error);

/* TRUE if a prefix of @data (up to @len bytes) could start a text file: a UTF-16 byte-order
 * mark, or valid UTF-8 except for a character cut at the end. Used to skip media members. */
gboolean    hone_text_looks_like_text   (const guint8  *data,
                                         gsize          len);

/* Unicode White_Space (README section 2). */
gboolean    hone_text_is_space          (gunichar       c);
/* Bidirectional marks: U+200E, U+200F, U+202A–U+202E, U+2066–U+2069. */
gboolean    hone_text_is_bidi_mark      (gunichar       c);

/* 1 + the number of LF bytes in text[0 .. offset). */
guint       hone_text_line_at           (const char    *text,
                                         gsize          offset);

/* Strip: returns a newly allocated copy of @s (of @len bytes, -1: NUL-terminated)
 * without whitespace at either end. */
char       *hone_text_strip             (const char    *s,
                                         gssize         len);
/* Finish (README section 2): CR LF → LF, lone CR → LF, then strip. */
char       *hone_text_finish            (const char    *s,
                                         gssize         len);
/* Copy of @s without any bidirectional mark. */
char       *hone_text_remove_bidi       (const char    *s,
                                         gssize         len);

/* "YYYY-MM-DDTHH:MM:SS" (+ "+HH:MM" when has_offset) into a new string. Returns NULL
 * when the date or time does not exist (month 13, 30 February, 25 o'clock). */
char       *hone_text_format_time       (int            year,
                                         int            month,
                                         int            day,
                                         int            hour,
                                         int            minute,
                                         int            second,
                                         gboolean       has_offset,
                                         int            offset_minutes);
/* A Unix time in seconds as "YYYY-MM-DDTHH:MM:SS+00:00". */
char       *hone_text_format_unix_utc   (gint64         seconds);

G_END_DECLS
