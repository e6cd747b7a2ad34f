/* hone-datetime.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-written matchers rather than GRegex: a WhatsApp export runs every line of the
 * file through them, and a large export has hundreds of thousands of lines.
 */
#define G_LOG_DOMAIN "hone-datetime"

#include "config.h"

#include <string.h>

#include "hone-datetime.h"

gsize
hone_datetime_space (const char *s,
                     const char *end)
{
  const guchar *u = (const guchar *) s;
  gsize avail = end - s;

  if (avail >= 1 && u[0] == ' ')
    return 1;
  if (avail >= 2 && u[0] == 0xc2 && u[1] == 0xa0)  /* U+00A0 */
    return 2;
  if (avail >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)  /* U+202F */
    return 3;
  return 0;
}

gsize
hone_datetime_digits (const char *s,
                      const char *end,
                      guint       max_digits,
                      int        *value,
                      guint      *n_digits)
{
  guint n = 0;
  int v = 0;

  while (s + n < end && n < max_digits && g_ascii_isdigit (s[n]))
    {
      v = v * 10 + (s[n] - '0');
      n++;
    }
  if (n > 0)
    *value = v;
  if (n_digits != NULL)
    *n_digits = n;
  return n;
}

gsize
hone_datetime_digits_exactly (const char *s,
                              const char *end,
                              guint       n_digits,
                              int        *value)
{
  guint n = 0;

  if (hone_datetime_digits (s, end, n_digits, value, &n) != n_digits)
    return 0;
  /* "123" is not two digits followed by something else. */
  if (s + n < end && g_ascii_isdigit (s[n]))
    return 0;
  return n;
}

gsize
hone_datetime_ampm (const char *s,
                    const char *end,
                    HoneAmPm   *ampm)
{
  const char *p = s;
  HoneAmPm which;

  p += hone_datetime_space (p, end);
  if (p >= end)
    return 0;
  if (*p == 'a' || *p == 'A')
    which = HONE_AMPM_AM;
  else if (*p == 'p' || *p == 'P')
    which = HONE_AMPM_PM;
  else
    return 0;
  p++;
  if (p < end && *p == '.')
    p++;
  p += hone_datetime_space (p, end);
  if (p >= end || (*p != 'm' && *p != 'M'))
    return 0;
  p++;
  if (p < end && *p == '.')
    p++;

  *ampm = which;
  return p - s;
}

gsize
hone_datetime_clock (const char *s,
                     const char *end,
                     int        *hour,
                     int        *minute,
                     int        *second)
{
  const char *p = s;
  gsize n;

  n = hone_datetime_digits (p, end, 2, hour, NULL);
  if (n == 0 || p + n >= end || p[n] != ':')
    return 0;
  p += n + 1;
  n = hone_datetime_digits_exactly (p, end, 2, minute);
  if (n == 0)
    return 0;
  p += n;

  *second = 0;
  if (p < end && *p == ':')
    {
      n = hone_datetime_digits_exactly (p + 1, end, 2, second);
      if (n > 0)
        p += n + 1;
    }
  return p - s;
}

int
hone_datetime_hour_24 (int      hour,
                       HoneAmPm ampm)
{
  switch (ampm)
    {
    case HONE_AMPM_NONE:
      return hour >= 0 && hour <= 23 ? hour : -1;
    case HONE_AMPM_AM:
      if (hour < 1 || hour > 12)
        return -1;
      return hour == 12 ? 0 : hour;
    case HONE_AMPM_PM:
      if (hour < 1 || hour > 12)
        return -1;
      return hour == 12 ? 12 : hour + 12;
    default:
      g_assert_not_reached ();
    }
  return -1;
}

int
hone_datetime_year (int   value,
                    guint n_digits)
{
  return n_digits == 2 ? 2000 + value : value;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (the inverse of the usual
 * era-based civil_from_days). */
static gint64
days_from_civil (gint64 year,
                 int    month,
                 int    day)
{
  gint64 y = month <= 2 ? year - 1 : year;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;                                         /* [0, 399] */
  gint64 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  /* [0, 365] */
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                 /* [0, 146096] */

  return era * 146097 + doe - 719468;
}

gint64
hone_datetime_instant (int year,
                       int month,
                       int day,
                       int hour,
                       int minute,
                       int second,
                       int offset_minutes)
{
  return days_from_civil (year, month, day) * 86400 +
         hour * 3600 + minute * 60 + second - (gint64) offset_minutes * 60;
}

static gboolean
take_char (const char **p,
           const char  *end,
           char         c)
{
  if (*p < end && **p == c)
    {
      (*p)++;
      return TRUE;
    }
  return FALSE;
}

/* Exactly @n_digits digits, not followed by another one. */
static gboolean
take_digits (const char **p,
             const char  *end,
             guint        n_digits,
             int         *value)
{
  gsize n = hone_datetime_digits_exactly (*p, end, n_digits, value);

  *p += n;
  return n > 0;
}

static void
skip_digits (const char **p,
             const char  *end)
{
  while (*p < end && g_ascii_isdigit (**p))
    (*p)++;
}

/* Z, UTC or GMT (with HONE_ISO_TIME_ZONE_NAMES), ±HH:MM or ±HHMM. */
static gboolean
take_offset (const char       **p,
             const char        *end,
             HoneIsoTimeFlags   flags,
             int               *offset_minutes)
{
  int sign;
  int hours;
  int minutes;

  *offset_minutes = 0;
  if (flags & HONE_ISO_TIME_ZONE_NAMES)
    take_char (p, end, ' ');
  if (take_char (p, end, 'Z') || ((flags & HONE_ISO_TIME_LOWERCASE) && take_char (p, end, 'z')))
    return TRUE;
  if ((flags & HONE_ISO_TIME_ZONE_NAMES) && end - *p >= 3 &&
      (memcmp (*p, "UTC", 3) == 0 || memcmp (*p, "GMT", 3) == 0))
    {
      *p += 3;
      return TRUE;
    }

  if (take_char (p, end, '+'))
    sign = 1;
  else if (take_char (p, end, '-'))
    sign = -1;
  else
    return FALSE;
  if (take_digits (p, end, 2, &hours))
    {
      if (!take_char (p, end, ':') || !take_digits (p, end, 2, &minutes))
        return FALSE;
    }
  else if (take_digits (p, end, 4, &hours))
    {
      minutes = hours % 100;
      hours /= 100;
    }
  else
    return FALSE;
  if (minutes > 59)
    return FALSE;

  *offset_minutes = sign * (hours * 60 + minutes);
  return TRUE;
}

gboolean
hone_datetime_parse_iso (const char       *s,
                         const char       *end,
                         HoneIsoTimeFlags  flags,
                         HoneIsoTime      *out)
{
  const char *p = s;
  HoneIsoTime t = { 0, };
  gboolean has_seconds;

  g_return_val_if_fail (s != NULL && s <= end, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!take_digits (&p, end, 4, &t.year) || !take_char (&p, end, '-') ||
      !take_digits (&p, end, 2, &t.month) || !take_char (&p, end, '-') ||
      !take_digits (&p, end, 2, &t.day))
    return FALSE;
  if (!take_char (&p, end, 'T') &&
      !((flags & HONE_ISO_TIME_LOWERCASE) && take_char (&p, end, 't')) &&
      !((flags & HONE_ISO_TIME_SPACE) && take_char (&p, end, ' ')))
    return FALSE;
  if (!take_digits (&p, end, 2, &t.hour) || !take_char (&p, end, ':') ||
      !take_digits (&p, end, 2, &t.minute))
    return FALSE;
  has_seconds = take_char (&p, end, ':');
  if (has_seconds ? !take_digits (&p, end, 2, &t.second)
                  : !(flags & HONE_ISO_TIME_NO_SECONDS))
    return FALSE;

  if ((flags & HONE_ISO_TIME_LOOSE_FRACTION) && take_char (&p, end, '.'))
    {
      skip_digits (&p, end);
    }
  else if ((flags & HONE_ISO_TIME_FRACTION) && has_seconds && take_char (&p, end, '.'))
    {
      const char *digits = p;

      skip_digits (&p, end);
      if (p == digits)
        return FALSE;
    }

  if (p < end && (flags & (HONE_ISO_TIME_OFFSET | HONE_ISO_TIME_NEEDS_OFFSET)))
    {
      if (!take_offset (&p, end, flags, &t.offset_minutes))
        return FALSE;
      t.has_offset = TRUE;
    }
  if (p != end || (!t.has_offset && (flags & HONE_ISO_TIME_NEEDS_OFFSET)))
    return FALSE;

  *out = t;
  return TRUE;
}

void
hone_date_order_init (HoneDateOrder *order)
{
  g_return_if_fail (order != NULL);

  order->n_dates = 0;
  order->first_over_12 = FALSE;
  order->second_over_12 = FALSE;
  order->default_month_first = FALSE;
}

gboolean
hone_date_order_add (HoneDateOrder *order,
                     int            d1,
                     int            d2,
                     gboolean       month_first_default)
{
  g_return_val_if_fail (order != NULL, FALSE);

  if (order->n_dates++ == 0)
    order->default_month_first = month_first_default;
  if (d1 > 12)
    order->first_over_12 = TRUE;
  if (d2 > 12)
    order->second_over_12 = TRUE;
  return !(order->first_over_12 && order->second_over_12);
}

gboolean
hone_date_order_is_day_first (const HoneDateOrder *order)
{
  g_return_val_if_fail (order != NULL, TRUE);

  if (order->first_over_12)
    return TRUE;
  if (order->second_over_12)
    return FALSE;
  return !order->default_month_first;
}
