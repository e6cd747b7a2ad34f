/* hone-text.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text rules shared by every importer (README section 2): decoding to UTF-8, line
 * numbers, Unicode White_Space, finishing authors and texts, bidirectional marks and
 * the calendar checks behind every time an importer writes.
 */
#define G_LOG_DOMAIN "hone-text"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

#define ENCODING_HINT "a chat export must be UTF-8, or UTF-16 with a byte-order mark"

guint
hone_text_line_at (const char *text,
                   gsize       offset)
{
  const char *p = text;
  const char *end = text + offset;
  guint line = 1;

  g_return_val_if_fail (text != NULL || offset == 0, 1);

  while (p < end)
    {
      const char *lf = memchr (p, '\n', end - p);
      if (lf == NULL)
        break;
      line++;
      p = lf + 1;
    }
  return line;
}

gboolean
hone_text_is_space (gunichar c)
{
  if (c < 0x80)
    return (c >= 0x09 && c <= 0x0d) || c == 0x20;
  return c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) ||
         c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

gboolean
hone_text_is_bidi_mark (gunichar c)
{
  return c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

/* Decodes one character of possibly invalid UTF-8 at @p (before @end) into *@c and
 * returns its length; an invalid byte counts as a one-byte character U+FFFD, so that
 * callers never loop forever and never treat garbage as whitespace. */
static gsize
next_char (const guchar *p,
           const guchar *end,
           gunichar     *c)
{
  gsize n;
  gunichar v;

  if (p[0] < 0x80)
    {
      *c = p[0];
      return 1;
    }
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    {
      n = 2;
      v = p[0] & 0x1f;
    }
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      n = 3;
      v = p[0] & 0x0f;
    }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      n = 4;
      v = p[0] & 0x07;
    }
  else
    {
      *c = 0xfffd;
      return 1;
    }
  if ((gsize) (end - p) < n)
    {
      *c = 0xfffd;
      return 1;
    }
  for (gsize i = 1; i < n; i++)
    {
      if ((p[i] & 0xc0) != 0x80)
        {
          *c = 0xfffd;
          return 1;
        }
      v = (v << 6) | (p[i] & 0x3f);
    }
  *c = v;
  return n;
}

/* Finds the bounds of @s without whitespace at either end. */
static void
strip_bounds (const char  *s,
              gsize        len,
              gsize       *out_start,
              gsize       *out_end)
{
  const guchar *begin = (const guchar *) s;
  const guchar *end = begin + len;
  const guchar *p = begin;
  gsize start = len;
  gsize last = 0;
  gboolean seen = FALSE;

  while (p < end)
    {
      gunichar c;
      gsize n = next_char (p, end, &c);

      if (!hone_text_is_space (c))
        {
          if (!seen)
            {
              start = p - begin;
              seen = TRUE;
            }
          last = (p - begin) + n;
        }
      p += n;
    }
  if (!seen)
    start = last = 0;
  *out_start = start;
  *out_end = last;
}

char *
hone_text_strip (const char *s,
                 gssize      len)
{
  gsize ulen;
  gsize start;
  gsize end;

  g_return_val_if_fail (s != NULL || len == 0, NULL);

  if (s == NULL)
    return g_strdup ("");
  ulen = len < 0 ? strlen (s) : (gsize) len;
  strip_bounds (s, ulen, &start, &end);
  return g_strndup (s + start, end - start);
}

char *
hone_text_finish (const char *s,
                  gssize      len)
{
  g_autofree char *lines = NULL;
  gsize ulen;
  gsize o = 0;
  gsize start;
  gsize end;

  g_return_val_if_fail (s != NULL || len == 0, NULL);

  if (s == NULL)
    return g_strdup ("");
  ulen = len < 0 ? strlen (s) : (gsize) len;

  /* CR LF and lone CR both become LF; the result is never longer than the input. */
  lines = g_malloc (ulen + 1);
  for (gsize i = 0; i < ulen; i++)
    {
      if (s[i] == '\r')
        {
          lines[o++] = '\n';
          if (i + 1 < ulen && s[i + 1] == '\n')
            i++;
        }
      else
        lines[o++] = s[i];
    }
  lines[o] = '\0';

  strip_bounds (lines, o, &start, &end);
  if (start == 0)
    {
      lines[end] = '\0';
      return g_steal_pointer (&lines);
    }
  return g_strndup (lines + start, end - start);
}

char *
hone_text_remove_bidi (const char *s,
                       gssize      len)
{
  const guchar *u = (const guchar *) s;
  gsize ulen;
  char *out;
  gsize o = 0;

  g_return_val_if_fail (s != NULL || len == 0, NULL);

  if (s == NULL)
    return g_strdup ("");
  ulen = len < 0 ? strlen (s) : (gsize) len;

  /* Every mark is three bytes: E2 80 8E/8F, E2 80 AA..AE, E2 81 A6..A9. */
  out = g_malloc (ulen + 1);
  for (gsize i = 0; i < ulen; i++)
    {
      if (u[i] == 0xe2 && i + 2 < ulen)
        {
          guchar b1 = u[i + 1];
          guchar b2 = u[i + 2];

          if ((b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || (b2 >= 0xaa && b2 <= 0xae))) ||
              (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9))
            {
              i += 2;
              continue;
            }
        }
      out[o++] = s[i];
    }
  out[o] = '\0';
  return out;
}

/* Converts UTF-16 (after its byte-order mark) to UTF-8. Fails at the first lone
 * surrogate or an odd trailing byte, giving the line of that code unit. */
static char *
decode_utf16 (const char    *name,
              const guint8  *data,
              gsize          len,
              gboolean       big_endian,
              gsize         *out_len,
              GError       **error)
{
  g_autoptr(GString) out = g_string_sized_new (len + len / 2 + 1);
  gsize n_units = len / 2;
  guint line = 1;

  for (gsize i = 0; i < n_units; i++)
    {
      gunichar c;
      gunichar u = big_endian ? (data[2 * i] << 8 | data[2 * i + 1])
                              : (data[2 * i + 1] << 8 | data[2 * i]);

      if (u >= 0xd800 && u <= 0xdbff)
        {
          gunichar low = 0;

          if (i + 1 < n_units)
            low = big_endian ? (data[2 * i + 2] << 8 | data[2 * i + 3])
                             : (data[2 * i + 3] << 8 | data[2 * i + 2]);
          if (low < 0xdc00 || low > 0xdfff)
            {
              hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, line,
                                     "not valid UTF-16 text (a lone surrogate); "
                                     ENCODING_HINT);
              return NULL;
            }
          c = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      else if (u >= 0xdc00 && u <= 0xdfff)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, line,
                                 "not valid UTF-16 text (a lone surrogate); "
                                 ENCODING_HINT);
          return NULL;
        }
      else if (u == 0)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, line,
                                 "not valid UTF-16 text (a NUL character, binary data?); "
                                 ENCODING_HINT);
          return NULL;
        }
      else
        c = u;

      if (c == '\n')
        line++;
      g_string_append_unichar (out, c);
    }

  if (len % 2 != 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, line,
                             "not valid UTF-16 text (an odd number of bytes); "
                             ENCODING_HINT);
      return NULL;
    }

  *out_len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  gsize start;
  gsize end;

  strip_bounds (text, len, &start, &end);
  return start == end;
}

char *
hone_text_decode (const char    *name,
                  const guint8  *data,
                  gsize          len,
                  gsize         *out_len,
                  GError       **error)
{
  g_autofree char *text = NULL;
  gsize text_len;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    {
      text = decode_utf16 (name, data + 2, len - 2, data[0] == 0xfe, &text_len, error);
      if (text == NULL)
        return NULL;
    }
  else
    {
      const char *invalid = NULL;

      if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
        {
          data += 3;
          len -= 3;
        }
      /* g_utf8_validate_len() refuses overlong forms, surrogates, code points above
       * U+10FFFF and NUL bytes, which is exactly what counts as not being text. */
      if (!g_utf8_validate_len ((const char *) data, len, &invalid))
        {
          guint line = hone_text_line_at ((const char *) data, invalid - (const char *) data);

          hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, line,
                                 "not valid UTF-8 text (byte 0x%02X; binary data, or another "
                                 "encoding?); " ENCODING_HINT,
                                 (guint) *(const guchar *) invalid);
          return NULL;
        }
      text = g_malloc (len + 1);
      if (len > 0)
        memcpy (text, data, len);
      text[len] = '\0';
      text_len = len;
    }

  if (is_blank (text, text_len))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_EMPTY, name, 0,
                             "the file is empty (nothing but whitespace)");
      return NULL;
    }

  *out_len = text_len;
  return g_steal_pointer (&text);
}

gboolean
hone_text_looks_like_text (const guint8 *data,
                           gsize         len)
{
  const char *invalid = NULL;
  const guint8 *p;
  gsize rest;
  gsize need;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    return TRUE;
  if (g_utf8_validate_len ((const char *) data, len, &invalid))
    return TRUE;

  /* Only a character cut by the end of the prefix is forgiven. */
  p = (const guint8 *) invalid;
  rest = len - (p - data);
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    need = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    need = 3;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    need = 4;
  else
    return FALSE;
  if (rest >= need)
    return FALSE;
  for (gsize i = 1; i < rest; i++)
    if ((p[i] & 0xc0) != 0x80)
      return FALSE;
  /* The second byte of E0, ED, F0 and F4 has a narrower range. */
  if (rest >= 2 &&
      ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
       (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f)))
    return FALSE;
  return TRUE;
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && is_leap_year (year))
    return 29;
  return days[month - 1];
}

char *
hone_text_format_time (int      year,
                       int      month,
                       int      day,
                       int      hour,
                       int      minute,
                       int      second,
                       gboolean has_offset,
                       int      offset_minutes)
{
  int abs_offset;

  if (year < 1 || year > 9999 || month < 1 || month > 12)
    return NULL;
  if (day < 1 || day > days_in_month (year, month))
    return NULL;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return NULL;
  if (!has_offset)
    return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d",
                            year, month, day, hour, minute, second);

  abs_offset = ABS (offset_minutes);
  if (abs_offset >= 24 * 60)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                          year, month, day, hour, minute, second,
                          offset_minutes < 0 ? '-' : '+', abs_offset / 60, abs_offset % 60);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * civil_from_days, done in 400-year eras so any int64 day count is exact). */
static void
civil_from_days (gint64  days,
                 gint64 *year,
                 int    *month,
                 int    *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;                                    /* [0, 146096] */
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* [0, 365] */
  gint64 mp = (5 * doy + 2) / 153;                                  /* [0, 11] */
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);

  *day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = m;
  *year = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

char *
hone_text_format_unix_utc (gint64 seconds)
{
  /* 0001-01-01 and 9999-12-31T23:59:59 UTC: the years a four-digit field can hold. */
  const gint64 min_seconds = G_GINT64_CONSTANT (-62135596800);
  const gint64 max_seconds = G_GINT64_CONSTANT (253402300799);
  gint64 days;
  gint64 rem;
  gint64 year;
  int month;
  int day;

  if (seconds < min_seconds || seconds > max_seconds)
    return NULL;

  days = seconds / 86400;
  rem = seconds % 86400;
  if (rem < 0)
    {
      rem += 86400;
      days--;
    }
  civil_from_days (days, &year, &month, &day);
  return hone_text_format_time ((int) year, month, day,
                                (int) (rem / 3600), (int) (rem % 3600 / 60), (int) (rem % 60),
                                TRUE, 0);
}
