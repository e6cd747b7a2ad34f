/* hone-datetime.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces of the hand-written dates and times that WhatsApp headers and help-desk CSV
 * cells share (README sections 5 and 13): the three spaces WhatsApp writes, 12-hour
 * clocks in every spelling, and the one decision per file between day-first and
 * month-first dates. Matchers take [s, end) and return how many bytes they matched,
 * 0 for no match; they never read at or past @end.
 *
 * Also the one ISO 8601 parser that Telegram, Discord, help-desk CSV and the project
 * store use (README sections 6, 7 and 13), each with the options its format allows.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HONE_AMPM_NONE,
  HONE_AMPM_AM,
  HONE_AMPM_PM,
} HoneAmPm;

/* The choice between D1/D2 = day/month and month/day, fed one date at a time. */
typedef struct
{
  guint    n_dates;
  gboolean first_over_12;        /* some date has D1 > 12: day-first */
  gboolean second_over_12;       /* some date has D2 > 12: month-first */
  gboolean default_month_first;  /* what the first date says when neither happens */
} HoneDateOrder;

/* What an ISO 8601 time may hold besides "YYYY-MM-DDTHH:MM:SS". */
typedef enum
{
  HONE_ISO_TIME_LOWERCASE       = 1 << 0,  /* 't' and 'z' as well as 'T' and 'Z' */
  HONE_ISO_TIME_SPACE           = 1 << 1,  /* a space (U+0020) instead of the 'T' */
  HONE_ISO_TIME_NO_SECONDS      = 1 << 2,  /* "HH:MM" without ":SS" */
  HONE_ISO_TIME_FRACTION        = 1 << 3,  /* '.' and one or more digits after the seconds */
  HONE_ISO_TIME_LOOSE_FRACTION  = 1 << 4,  /* '.' and any digits, none too, after the
                                            * minutes or the seconds */
  HONE_ISO_TIME_OFFSET          = 1 << 5,  /* then Z, ±HH:MM or ±HHMM, if anything */
  HONE_ISO_TIME_NEEDS_OFFSET    = 1 << 6,  /* as OFFSET, but one must be there */
  HONE_ISO_TIME_ZONE_NAMES      = 1 << 7,  /* with OFFSET: UTC and GMT too, and one space
                                            * before what comes */
} HoneIsoTimeFlags;

/* The fields of an ISO 8601 time, as written. */
typedef struct
{
  int      year;
  int      month;
  int      day;
  int      hour;
  int      minute;
  int      second;          /* 0 when not written */
  gboolean has_offset;      /* Z, UTC, GMT or ±HH:MM was written */
  int      offset_minutes;  /* east of UTC; 0 without offset */
} HoneIsoTime;

/* SP: U+0020, U+00A0 or U+202F. */
gsize    hone_datetime_space          (const char     *s,
                                       const char     *end);
/* 1 to @max_digits ASCII digits; *@n_digits (may be NULL) says how many. */
gsize    hone_datetime_digits         (const char     *s,
                                       const char     *end,
                                       guint           max_digits,
                                       int            *value,
                                       guint          *n_digits);
/* Exactly @n_digits ASCII digits. */
gsize    hone_datetime_digits_exactly (const char     *s,
                                       const char     *end,
                                       guint           n_digits,
                                       int            *value);
/* "SP? AMPM": an optional SP, then a|A|p|P, an optional '.', an optional SP, m|M and
 * an optional '.' (AM, pm, a.m., "p. m." with a no-break space). */
gsize    hone_datetime_ampm           (const char     *s,
                                       const char     *end,
                                       HoneAmPm       *ampm);
/* "H:MM[:SS]" with H of one or two digits; *@second is 0 without seconds. */
gsize    hone_datetime_clock          (const char     *s,
                                       const char     *end,
                                       int            *hour,
                                       int            *minute,
                                       int            *second);
/* A clock hour to 0..23: with AM/PM only 1..12 exist (12 AM is 0, 12 PM is 12).
 * Returns -1 for an hour that does not exist; minutes and seconds are not checked. */
int      hone_datetime_hour_24        (int             hour,
                                       HoneAmPm        ampm);
/* Two-digit years mean 20YY. */
int      hone_datetime_year           (int             value,
                                       guint           n_digits);
/* Seconds since 1970-01-01T00:00:00Z of a valid proleptic Gregorian time written with
 * an offset east of UTC of @offset_minutes (0 for times without offset). */
gint64   hone_datetime_instant        (int             year,
                                       int             month,
                                       int             day,
                                       int             hour,
                                       int             minute,
                                       int             second,
                                       int             offset_minutes);

/* Whether all of [s, end) is one ISO 8601 time "YYYY-MM-DDTHH:MM:SS" with what
 * @flags allows; the fraction is dropped. Only the layout is checked, so that callers
 * tell a time that does not exist (February 30, 25:00, +24:00) from one that is not a
 * time: the fields come as written, except that offset minutes over 59 are refused. */
gboolean hone_datetime_parse_iso      (const char      *s,
                                       const char      *end,
                                       HoneIsoTimeFlags flags,
                                       HoneIsoTime     *out);

void     hone_date_order_init         (HoneDateOrder  *order);
/* Notes one date's D1 and D2; @month_first_default counts only for the first date
 * noted (README: month-first when it uses '/' and has AM/PM). Returns FALSE when the
 * dates seen so far fit neither order. */
gboolean hone_date_order_add          (HoneDateOrder  *order,
                                       int             d1,
                                       int             d2,
                                       gboolean        month_first_default);
gboolean hone_date_order_is_day_first (const HoneDateOrder *order);

G_END_DECLS
