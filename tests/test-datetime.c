/* test-datetime.c — the shared ISO 8601 parser (hone_datetime_parse_iso) with each
 * option, and the option sets of its callers: Telegram (README section 6), Discord
 * (section 7), help-desk CSV (section 13) and the project store's time_unix.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-datetime.h"

/* The options each reader passes (the readers' own tests pin what they accept). */
#define TELEGRAM 0
#define DISCORD (HONE_ISO_TIME_LOWERCASE | HONE_ISO_TIME_FRACTION | HONE_ISO_TIME_NEEDS_OFFSET)
#define CSV (HONE_ISO_TIME_SPACE | HONE_ISO_TIME_NO_SECONDS | HONE_ISO_TIME_FRACTION | \
             HONE_ISO_TIME_OFFSET | HONE_ISO_TIME_ZONE_NAMES)
#define STORE (HONE_ISO_TIME_SPACE | HONE_ISO_TIME_NO_SECONDS | HONE_ISO_TIME_LOOSE_FRACTION | \
               HONE_ISO_TIME_OFFSET)

#define TIME(year, month, day, hour, minute, second, has_offset, offset_minutes) \
  ((HoneIsoTime) { year, month, day, hour, minute, second, has_offset, offset_minutes })
/* 2024-01-15T21:41:05 without and with an offset, what most cases write. */
#define LOCAL TIME (2024, 1, 15, 21, 41, 5, FALSE, 0)
#define ZONED(offset_minutes) TIME (2024, 1, 15, 21, 41, 5, TRUE, offset_minutes)

static gboolean
parse (const char       *text,
       HoneIsoTimeFlags  flags,
       HoneIsoTime      *t)
{
  return hone_datetime_parse_iso (text, text + strlen (text), flags, t);
}

static void
assert_parses (const char       *text,
               HoneIsoTimeFlags  flags,
               HoneIsoTime       want)
{
  HoneIsoTime t;

  if (!parse (text, flags, &t))
    g_error ("«%s» refused with flags 0x%x", text, flags);
  g_assert_cmpint (t.year, ==, want.year);
  g_assert_cmpint (t.month, ==, want.month);
  g_assert_cmpint (t.day, ==, want.day);
  g_assert_cmpint (t.hour, ==, want.hour);
  g_assert_cmpint (t.minute, ==, want.minute);
  g_assert_cmpint (t.second, ==, want.second);
  g_assert_cmpint (t.has_offset, ==, want.has_offset);
  g_assert_cmpint (t.offset_minutes, ==, want.offset_minutes);
}

static void
assert_refused (const char       *text,
                HoneIsoTimeFlags  flags)
{
  HoneIsoTime t = { 1, 2, 3, 4, 5, 6, TRUE, 7 };

  if (parse (text, flags, &t))
    g_error ("«%s» accepted with flags 0x%x", text, flags);
  /* A refusal leaves the fields alone. */
  g_assert_cmpint (t.year, ==, 1);
  g_assert_cmpint (t.offset_minutes, ==, 7);
}

static void
test_plain (void)
{
  static const char *refused[] = {
    "", "2024-01-15", "2024-01-15T21:41", "2024-01-15T21:41:05 ", " 2024-01-15T21:41:05",
    "2024-01-15t21:41:05", "2024-01-15 21:41:05", "2024-01-15T21:41:05Z",
    "2024-01-15T21:41:05.5", "2024-01-15T21:41:05+01:00", "20245-01-15T21:41:05",
    "224-01-15T21:41:05", "2024-1-15T21:41:05", "2024-01-5T21:41:05", "2024-01-15T1:41:05",
    "2024-01-15T21:1:05", "2024-01-15T21:41:5", "2024-01-15T21:41:055", "2024/01/15T21:41:05",
    "2024-01-15T21.41.05", "２０２４-01-15T21:41:05",
  };

  assert_parses ("2024-01-15T21:41:05", 0, LOCAL);
  /* Only the layout is checked. */
  assert_parses ("0000-02-31T99:99:99", 0, TIME (0, 2, 31, 99, 99, 99, FALSE, 0));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (refused[i], 0);
}

static void
test_end_is_respected (void)
{
  const char *text = "2024-01-15T21:41:05+01:00";
  HoneIsoTime t;

  /* [s, end) is the time; what follows is not read. */
  g_assert_true (hone_datetime_parse_iso (text, text + 19, 0, &t));
  g_assert_cmpint (t.second, ==, 5);
  g_assert_false (hone_datetime_parse_iso (text, text + 18, 0, &t));
  g_assert_false (hone_datetime_parse_iso (text, text + 24, HONE_ISO_TIME_OFFSET, &t));
  g_assert_true (hone_datetime_parse_iso (text, text + 25, HONE_ISO_TIME_OFFSET, &t));
  g_assert_cmpint (t.offset_minutes, ==, 60);
}

static void
test_separators (void)
{
  assert_parses ("2024-01-15t21:41:05", HONE_ISO_TIME_LOWERCASE, LOCAL);
  assert_refused ("2024-01-15 21:41:05", HONE_ISO_TIME_LOWERCASE);
  assert_parses ("2024-01-15 21:41:05", HONE_ISO_TIME_SPACE, LOCAL);
  assert_parses ("2024-01-15T21:41:05", HONE_ISO_TIME_SPACE, LOCAL);
  assert_refused ("2024-01-15t21:41:05", HONE_ISO_TIME_SPACE);
  assert_refused ("2024-01-15  21:41:05", HONE_ISO_TIME_SPACE);
  assert_refused ("2024-01-15\xc2\xa0" "21:41:05", HONE_ISO_TIME_SPACE);
}

static void
test_seconds_and_fraction (void)
{
  assert_parses ("2024-01-15T21:41", HONE_ISO_TIME_NO_SECONDS,
                 TIME (2024, 1, 15, 21, 41, 0, FALSE, 0));
  assert_refused ("2024-01-15T21:41:", HONE_ISO_TIME_NO_SECONDS);

  assert_parses ("2024-01-15T21:41:05.482", HONE_ISO_TIME_FRACTION, LOCAL);
  assert_parses ("2024-01-15T21:41:05.123456789012345678901234567890", HONE_ISO_TIME_FRACTION,
                 LOCAL);
  assert_refused ("2024-01-15T21:41:05.", HONE_ISO_TIME_FRACTION);
  assert_refused ("2024-01-15T21:41:05.5x", HONE_ISO_TIME_FRACTION);
  /* After the seconds only. */
  assert_refused ("2024-01-15T21:41.5", HONE_ISO_TIME_FRACTION | HONE_ISO_TIME_NO_SECONDS);

  assert_parses ("2024-01-15T21:41:05.", HONE_ISO_TIME_LOOSE_FRACTION, LOCAL);
  assert_parses ("2024-01-15T21:41.5", HONE_ISO_TIME_LOOSE_FRACTION | HONE_ISO_TIME_NO_SECONDS,
                 TIME (2024, 1, 15, 21, 41, 0, FALSE, 0));
  assert_refused ("2024-01-15T21:41.5", HONE_ISO_TIME_LOOSE_FRACTION);
}

static void
test_offsets (void)
{
  HoneIsoTimeFlags offset = HONE_ISO_TIME_OFFSET;

  /* Optional: no offset is no offset. */
  assert_parses ("2024-01-15T21:41:05", offset, LOCAL);
  assert_parses ("2024-01-15T21:41:05Z", offset, ZONED (0));
  assert_parses ("2024-01-15T21:41:05+00:00", offset, ZONED (0));
  assert_parses ("2024-01-15T21:41:05-00:00", offset, ZONED (0));
  assert_parses ("2024-01-15T21:41:05+05:30", offset, ZONED (330));
  assert_parses ("2024-01-15T21:41:05-0930", offset, ZONED (-570));
  /* Hours as written: whether +24:00 exists is the caller's question. */
  assert_parses ("2024-01-15T21:41:05+99:00", offset, ZONED (99 * 60));
  assert_refused ("2024-01-15T21:41:05+01:60", offset);
  assert_refused ("2024-01-15T21:41:05+0160", offset);
  assert_refused ("2024-01-15T21:41:05+01", offset);
  assert_refused ("2024-01-15T21:41:05+1:00", offset);
  assert_refused ("2024-01-15T21:41:05+01:0", offset);
  assert_refused ("2024-01-15T21:41:05+010", offset);
  assert_refused ("2024-01-15T21:41:05+01000", offset);
  assert_refused ("2024-01-15T21:41:05+01:00Z", offset);
  assert_refused ("2024-01-15T21:41:05ZZ", offset);
  assert_refused ("2024-01-15T21:41:05z", offset);
  assert_refused ("2024-01-15T21:41:05 Z", offset);
  assert_refused ("2024-01-15T21:41:05UTC", offset);
  assert_refused ("2024-01-15T21:41:05 +01:00", offset);

  assert_parses ("2024-01-15T21:41:05z", offset | HONE_ISO_TIME_LOWERCASE, ZONED (0));

  assert_parses ("2024-01-15T21:41:05Z", HONE_ISO_TIME_NEEDS_OFFSET, ZONED (0));
  assert_refused ("2024-01-15T21:41:05", HONE_ISO_TIME_NEEDS_OFFSET);
}

static void
test_zone_names (void)
{
  HoneIsoTimeFlags names = HONE_ISO_TIME_OFFSET | HONE_ISO_TIME_ZONE_NAMES;

  assert_parses ("2024-01-15T21:41:05UTC", names, ZONED (0));
  assert_parses ("2024-01-15T21:41:05 GMT", names, ZONED (0));
  assert_parses ("2024-01-15T21:41:05 Z", names, ZONED (0));
  assert_parses ("2024-01-15T21:41:05 -05:00", names, ZONED (-300));
  assert_refused ("2024-01-15T21:41:05 ", names);
  assert_refused ("2024-01-15T21:41:05  UTC", names);
  assert_refused ("2024-01-15T21:41:05 utc", names);
  assert_refused ("2024-01-15T21:41:05 UT", names);
  assert_refused ("2024-01-15T21:41:05 UTC+01:00", names);
  assert_refused ("2024-01-15T21:41:05 CET", names);
}

/* The sets of options the readers use, on the same inputs. */
static void
test_callers (void)
{
  static const struct
  {
    const char *text;
    gboolean    telegram;
    gboolean    discord;
    gboolean    csv;
    gboolean    store;
  } cases[] = {
    { "2024-01-15T21:41:05",            TRUE,  FALSE, TRUE,  TRUE  },
    { "2024-02-03T19:04:11.482+01:00",  FALSE, TRUE,  TRUE,  TRUE  },
    { "2024-02-03t19:04:11z",           FALSE, TRUE,  FALSE, FALSE },
    { "2024-02-03T19:04:11Z",           FALSE, TRUE,  TRUE,  TRUE  },
    { "2024-02-03T19:04:11+0100",       FALSE, TRUE,  TRUE,  TRUE  },
    { "2024-02-03 19:04:11+01:00",      FALSE, FALSE, TRUE,  TRUE  },
    { "2024-02-03 19:04",               FALSE, FALSE, TRUE,  TRUE  },
    { "2024-02-03 19:04 UTC",           FALSE, FALSE, TRUE,  FALSE },
    { "2024-02-03T19:04:11 +01:00",     FALSE, FALSE, TRUE,  FALSE },
    { "2024-02-03T19:04:11.",           FALSE, FALSE, FALSE, TRUE  },
    { "2024-02-03T19:04.5Z",            FALSE, FALSE, FALSE, TRUE  },
    { "2024-02-03T19:04:11.5",          FALSE, FALSE, TRUE,  TRUE  },
    { "2024-02-03T19:04:11+01:60",      FALSE, FALSE, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HoneIsoTime t;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (parse (cases[i].text, TELEGRAM, &t), ==, cases[i].telegram);
      g_assert_cmpint (parse (cases[i].text, DISCORD, &t), ==, cases[i].discord);
      g_assert_cmpint (parse (cases[i].text, CSV, &t), ==, cases[i].csv);
      g_assert_cmpint (parse (cases[i].text, STORE, &t), ==, cases[i].store);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/datetime/iso/plain", test_plain);
  g_test_add_func ("/hone/datetime/iso/end", test_end_is_respected);
  g_test_add_func ("/hone/datetime/iso/separators", test_separators);
  g_test_add_func ("/hone/datetime/iso/seconds-and-fraction", test_seconds_and_fraction);
  g_test_add_func ("/hone/datetime/iso/offsets", test_offsets);
  g_test_add_func ("/hone/datetime/iso/zone-names", test_zone_names);
  g_test_add_func ("/hone/datetime/iso/callers", test_callers);

  return g_test_run ();
}
