/* test-csv.c — the help-desk CSV reader (README section 13) on inline files: RFC 4180
 * and its quirks, the delimiter, header names and --map, system and empty rows,
 * conversations, the three time layouts and sorting by instant.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

#define NBSP "\xc2\xa0"       /* U+00A0 */
#define NNBSP "\xe2\x80\xaf"  /* U+202F */

static HoneChatlog *
read_map (const char       *text,
          const HoneCsvMap *map)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("tickets.csv");
  g_autoptr(GError) error = NULL;

  g_assert_true (hone_csv_detect (text, strlen (text), map));
  if (!hone_read_csv (log, "tickets.csv", text, strlen (text), map, &error))
    g_error ("refused: %s\n---\n%s", error->message, text);
  g_assert_no_error (error);
  return g_steal_pointer (&log);
}

static HoneChatlog *
read_ok (const char *text)
{
  return read_map (text, NULL);
}

static void
assert_refused_map (const char       *text,
                    const HoneCsvMap *map,
                    HoneImportError   code,
                    const char       *words)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("tickets.csv");
  g_autoptr(GError) error = NULL;

  if (hone_read_csv (log, "tickets.csv", text, strlen (text), map, &error))
    g_error ("accepted, should be refused with «%s»:\n%s", words, text);
  hone_test_assert_refusal (error, code, "tickets.csv", words);
  hone_test_assert_empty (log);
}

static void
assert_refused (const char      *text,
                HoneImportError  code,
                const char      *words)
{
  assert_refused_map (text, NULL, code, words);
}

/* Message @index counting through the conversations in order. */
static void
assert_message (HoneChatlog *log,
                guint        index,
                const char  *author,
                const char  *time,
                const char  *text,
                gboolean     media)
{
  hone_test_assert_fields (hone_test_nth_message (log, index), author, time, text, media);
}

/* The time written for one cell of a file with a single message. */
static char *
time_of (const char *cell)
{
  g_autofree char *text = g_strdup_printf ("author,time,text\nAnna,%s,Hi\n", cell);
  g_autoptr(HoneChatlog) log = read_ok (text);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  return g_strdup (hone_test_nth_message (log, 0)->time);
}

static void
test_basic (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("conversation_id,timestamp,author,text\n"
             "T-1,2024-03-01 10:00,Anna,Hello!\n"
             "T-2,2024-03-01 11:00,Ben,Order 4471\n"
             "T-1,2024-03-01 10:05,Support,Hi Anna\n");
  g_auto(GStrv) participants = hone_chatlog_dup_participants (log);

  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 3);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpstr (hone_test_title (log, 0), ==, "T-1");
  g_assert_cmpstr (hone_test_title (log, 1), ==, "T-2");
  assert_message (log, 0, "Anna", "2024-03-01T10:00:00", "Hello!", FALSE);
  assert_message (log, 1, "Support", "2024-03-01T10:05:00", "Hi Anna", FALSE);
  assert_message (log, 2, "Ben", "2024-03-01T11:00:00", "Order 4471", FALSE);
  g_assert_cmpuint (g_strv_length (participants), ==, 3);
}

static void
test_delimiters (void)
{
  g_autoptr(HoneChatlog) semicolon = read_ok ("author;text;x,y\nAnna;Hi, there;1\n");
  g_autoptr(HoneChatlog) tab = read_ok ("author\ttext\tx,y\nAnna\tHi; there, you\t1\n");
  g_autoptr(HoneChatlog) tie = read_ok ("text,author,a;b;c\nHi;1,Anna,x\n");
  g_autoptr(HoneChatlog) tie2 = read_ok ("text;author;a\tb\tc\nHi\t1;Anna;x\n");
  g_autoptr(HoneChatlog) quoted = read_ok ("\"a,b,c\";author;text\n1,2;Anna;Hi\n");

  assert_message (semicolon, 0, "Anna", NULL, "Hi, there", FALSE);
  assert_message (tab, 0, "Anna", NULL, "Hi; there, you", FALSE);
  /* Ties: ',' before ';' before TAB. */
  assert_message (tie, 0, "Anna", NULL, "Hi;1", FALSE);
  assert_message (tie2, 0, "Anna", NULL, "Hi\t1", FALSE);
  /* Delimiters inside quotes do not count. */
  assert_message (quoted, 0, "Anna", NULL, "Hi", FALSE);
}

static void
test_quoting (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("author,text,attachment\r\n"
             "Anna,\"Hello,\r\nworld\n\nbye\",\r\n"
             "Ben,\"He said \"\"hi\"\"\",\r\n"
             "Carl,\"quoted\" and more,\r\n"
             "Dora,mid \"quote\" here,\r\n"
             "Emil,\"\",\r\n"
             "Finn,\"\"\"\",\r\n"
             "Gina,\"a\"\"b\"c\"d,\r\n"
             "\"Hans\",x\"\r\n"
             "Ida,\"lone\rCR\",\r\n"
             "Jo,\"\"\"quoted start\"\" and end\"\"\"\r\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 9);
  assert_message (log, 0, "Anna", NULL, "Hello,\nworld\n\nbye", FALSE);
  assert_message (log, 1, "Ben", NULL, "He said \"hi\"", FALSE);
  assert_message (log, 2, "Carl", NULL, "quoted and more", FALSE);
  assert_message (log, 3, "Dora", NULL, "mid \"quote\" here", FALSE);
  /* Emil's row is empty and skipped. */
  assert_message (log, 4, "Finn", NULL, "\"", FALSE);
  assert_message (log, 5, "Gina", NULL, "a\"bc\"d", FALSE);
  assert_message (log, 6, "Hans", NULL, "x\"", FALSE);
  assert_message (log, 7, "Ida", NULL, "lone\nCR", FALSE);
  assert_message (log, 8, "Jo", NULL, "\"quoted start\" and end\"", FALSE);
}

static void
test_short_and_long_records (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("author,text,attachment,extra\n"
             "Anna,Hi\n"
             "Ben,,photo.jpg,1,2,3,4\n"
             "Carl\n"
             "Dora,Bye,,x,y\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 3);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 1);
  assert_message (log, 0, "Anna", NULL, "Hi", FALSE);
  assert_message (log, 1, "Ben", NULL, "", TRUE);
  assert_message (log, 2, "Dora", NULL, "Bye", FALSE);
}

static void
test_empty_lines (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("author,text\r\n"
             "\r\n"
             "\n"
             "Anna,Hi\n"
             "\n"
             "Ben,\"two\n"
             "\n"
             "lines\"\n"
             "\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  assert_message (log, 1, "Ben", NULL, "two\n\nlines", FALSE);
}

static void
test_unclosed_quote (void)
{
  assert_refused ("conversation_id,timestamp,author,text\n"
                  "T-1,2024-03-01 10:00,Anna,Hello!\n"
                  "T-1,2024-03-01 10:05,Support,\"Hi Anna, thanks.\n"
                  "We will check.\n"
                  "T-1,2024-03-01 10:09,Anna,Thanks!\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 3");
  /* Quoted line ends before the unclosed quote move its line on. */
  assert_refused ("author,text\n"
                  "Anna,\"one\ntwo\"\n"
                  "\n"
                  "Ben,\"three\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 5");
  assert_refused ("author,text\nAnna,x\"\"\"\nBen,\"\"\"\n", HONE_IMPORT_ERROR_SYNTAX, "line 3");
  assert_refused ("author,\"text\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("author,text,\"notes\nAnna,Hi,x\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
}

static void
test_header_names (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("Ticket-Nr.;Created At;  AUTHOR NAME ;Sender Type;Message Text;Files;Comment\n"
             "10231;2024-01-15 09:12;Katrin;Kunde;Hallo;;not used\n"
             "10231;2024-01-15 09:13;Bot;SYSTEM;Ticket assigned;;\n");
  g_autoptr(HoneChatlog) leftmost =
    read_ok ("Body,From,Text,Sender\nleft,Anna,right,Ben\n");
  g_autoptr(HoneChatlog) german =
    read_ok ("Ticket-Nr.;Zeitpunkt;Absender;Rolle;Nachricht;Anhang\n"
             "1;15.01.2024 09:12;Katrin;Kunde;Hallo;\n");
  g_autoptr(HoneChatlog) french =
    read_ok ("Thread;Horodatage;Auteur;Texte;Anhang\n"
             "1;15.01.2024 09:12;Katrin;Bonjour;\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpstr (hone_test_title (log, 0), ==, "10231");
  assert_message (log, 0, "Katrin", "2024-01-15T09:12:00", "Hallo", FALSE);
  assert_message (leftmost, 0, "Anna", NULL, "left", FALSE);
  assert_message (german, 0, "Katrin", "2024-01-15T09:12:00", "Hallo", FALSE);
  assert_message (french, 0, "Katrin", "2024-01-15T09:12:00", "Bonjour", FALSE);
}

static void
test_every_header_name (void)
{
  static const struct
  {
    const char *names;
    const char *field;
  } lists[] = {
    { "conversationid conversation ticketid ticket ticketnumber ticketno ticketnr threadid "
      "thread chatid sessionid caseid casenumber", "conversation" },
    { "time timestamp date datetime createdat created createdtime sentat senttime zeitpunkt "
      "datum zeit horodatage", "time" },
    { "author authorname from sender sendername name user username speaker von absender autor "
      "auteur", "author" },
    { "role authortype sendertype rolle", "role" },
    { "text message messagetext body content comment nachricht inhalt texte", "text" },
    { "attachment attachments anhang file files", "attachment" },
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_auto(GStrv) names = g_strsplit (lists[l].names, " ", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          /* Upper case and punctuation, to go through the normalisation. */
          g_autofree char *header = g_strdup_printf ("%c-%s.", g_ascii_toupper (names[i][0]),
                                                     names[i] + 1);
          g_autofree char *text = NULL;
          g_autoptr(HoneChatlog) log = NULL;
          const char *field = lists[l].field;

          g_test_message ("%s: %s", field, header);
          /* "von" and "body" stand for the author and text columns. */
          if (g_str_equal (field, "author"))
            text = g_strdup_printf ("body,%s\nHi,Anna\n", header);
          else if (g_str_equal (field, "text"))
            text = g_strdup_printf ("von,%s\nAnna,Hi\n", header);
          else if (g_str_equal (field, "conversation"))
            text = g_strdup_printf ("von,body,%s\nAnna,Hi,C1\n", header);
          else if (g_str_equal (field, "time"))
            text = g_strdup_printf ("von,body,%s\nAnna,Hi,2024-01-02 03:04\n", header);
          else if (g_str_equal (field, "role"))
            text = g_strdup_printf ("von,body,%s\nAnna,Hi,system\nBen,Yo,agent\n", header);
          else
            text = g_strdup_printf ("von,body,%s\nAnna,,x.jpg\n", header);

          log = read_ok (text);
          if (g_str_equal (field, "conversation"))
            g_assert_cmpstr (hone_test_title (log, 0), ==, "C1");
          else if (g_str_equal (field, "time"))
            g_assert_cmpstr (hone_test_nth_message (log, 0)->time, ==, "2024-01-02T03:04:00");
          else if (g_str_equal (field, "role"))
            {
              g_assert_cmpuint (log->n_system, ==, 1);
              g_assert_cmpstr (hone_test_nth_message (log, 0)->author, ==, "Ben");
            }
          else if (g_str_equal (field, "attachment"))
            g_assert_true (hone_test_nth_message (log, 0)->media);
          else
            {
              g_assert_cmpstr (hone_test_nth_message (log, 0)->author, ==, "Anna");
              g_assert_cmpstr (hone_test_nth_message (log, 0)->text, ==, "Hi");
            }
        }
    }
  g_assert_false (hone_csv_detect ("von,what\nAnna,Hi\n", 17, NULL));
}

static void
test_detect (void)
{
  HoneCsvMap map = { 0 };
  HoneCsvMap bad = { 0 };
  const char *whatsapp = "1/15/24, 9:41 PM - Anna: Hi\n";
  const char *no_author = "time,text\n2024-01-01 10:00,Hi\n";
  const char *custom = "Wer,Was\nAnna,Hi\n";
  const char *blank_first = "\nauthor,text\nAnna,Hi\n";

  g_assert_false (hone_csv_detect (whatsapp, strlen (whatsapp), NULL));
  g_assert_false (hone_csv_detect (no_author, strlen (no_author), NULL));
  g_assert_false (hone_csv_detect (custom, strlen (custom), NULL));
  g_assert_false (hone_csv_detect (blank_first, strlen (blank_first), NULL));
  g_assert_false (hone_csv_detect ("", 0, NULL));
  g_assert_false (hone_csv_detect ("\"author,text\n", 13, NULL));
  /* Never closed after the names: CSV, refused when read. */
  g_assert_true (hone_csv_detect ("author,text,\"notes\nAnna,Hi,x\n", 29, NULL));
  g_assert_true (hone_csv_detect ("Author;Text", 11, NULL));

  map.author = (char *) "wer";
  map.text = (char *) "WAS";
  g_assert_true (hone_csv_detect (custom, strlen (custom), &map));
  /* A map naming a column the header lacks still reads as CSV, to say so. */
  bad.text = (char *) "Inhalt";
  g_assert_true (hone_csv_detect (custom, strlen (custom), &bad));
}

static void
test_map (void)
{
  HoneCsvMap map = { 0 };
  HoneCsvMap swap = { 0 };
  HoneCsvMap bad = { 0 };
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(HoneChatlog) swapped = NULL;
  const char *custom = "Wer;Wann;Was;Fall;Typ;Datei\n"
                       "Anna;2024-01-02 10:00;Hi;A;kunde;\n"
                       "Bot;2024-01-02 10:01;Status;A;System;\n"
                       "Ben;2024-01-02 09:00;Yo;B;kunde;a.pdf\n";

  map.author = (char *) "wer";
  map.time = (char *) "W-A-N-N";
  map.text = (char *) "Was";
  map.conversation = (char *) "Fall";
  map.role = (char *) "typ";
  map.attachment = (char *) "Datei";
  log = read_map (custom, &map);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 1);
  assert_message (log, 0, "Anna", "2024-01-02T10:00:00", "Hi", FALSE);
  assert_message (log, 1, "Ben", "2024-01-02T09:00:00", "Yo", TRUE);

  /* --map wins over header names, and a mapped column is not found again by name. */
  swap.text = (char *) "author";
  swap.author = (char *) "text";
  swapped = read_map ("text,author,message\nAnna,Hi,not this\n", &swap);
  assert_message (swapped, 0, "Anna", NULL, "Hi", FALSE);

  bad.text = (char *) "Inhalt";
  assert_refused_map (custom, &bad, HONE_IMPORT_ERROR_BAD_MAP, "Inhalt");
}

static void
test_missing_columns (void)
{
  assert_refused ("time,text\n2024-01-01 10:00,Hi\n", HONE_IMPORT_ERROR_NOT_CHAT, "author");
  assert_refused ("time,author\n2024-01-01 10:00,Hi\n", HONE_IMPORT_ERROR_NOT_CHAT, "text");
}

static void
test_iso_times (void)
{
  static const struct
  {
    const char *cell;
    const char *time;
  } cases[] = {
    { "2024-03-01 10:00", "2024-03-01T10:00:00" },
    { "2024-03-01T10:00", "2024-03-01T10:00:00" },
    { "2024-03-01 10:00:59", "2024-03-01T10:00:59" },
    { "2024-03-01T10:00:59.123456", "2024-03-01T10:00:59" },
    { "2024-03-01T10:00:59.9", "2024-03-01T10:00:59" },
    { "2024-03-01T10:00:59.123456789012345678901234567890", "2024-03-01T10:00:59" },
    { "2024-03-01T10:00:05Z", "2024-03-01T10:00:05+00:00" },
    { "2024-03-01 10:00 Z", "2024-03-01T10:00:00+00:00" },
    { "2024-03-01 10:00:05 UTC", "2024-03-01T10:00:05+00:00" },
    { "2024-03-01 10:00:05UTC", "2024-03-01T10:00:05+00:00" },
    { "2024-03-01 10:00:05 GMT", "2024-03-01T10:00:05+00:00" },
    { "2024-03-01T10:00:05.5Z", "2024-03-01T10:00:05+00:00" },
    { "2024-03-01T10:00:05+01:00", "2024-03-01T10:00:05+01:00" },
    { "2024-03-01T10:00:05+0100", "2024-03-01T10:00:05+01:00" },
    { "2024-03-01T10:00:05-05:30", "2024-03-01T10:00:05-05:30" },
    { "2024-03-01T10:00:05-0530", "2024-03-01T10:00:05-05:30" },
    { "2024-03-01 10:00 +02:00", "2024-03-01T10:00:00+02:00" },
    { "2024-03-01 10:00:07.25 -0800", "2024-03-01T10:00:07-08:00" },
    { "2024-03-01 10:00-00:00", "2024-03-01T10:00:00+00:00" },
    { "2024-02-29 23:59:59", "2024-02-29T23:59:59" },
    { "  2024-03-01 10:00  ", "2024-03-01T10:00:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *time = time_of (cases[i].cell);

      g_test_message ("%s", cases[i].cell);
      g_assert_cmpstr (time, ==, cases[i].time);
    }
}

static void
test_local_times (void)
{
  static const struct
  {
    const char *cell;
    const char *time;
  } cases[] = {
    { "15.01.2024 09:12", "2024-01-15T09:12:00" },
    { "15.1.2024 9:12", "2024-01-15T09:12:00" },
    { "5.1.24 9:12:33", "2024-01-05T09:12:33" },
    { "\"05.01.2024, 21:12\"", "2024-01-05T21:12:00" },
    /* Dots are always day-first. */
    { "1.2.2024 10:00", "2024-02-01T10:00:00" },
    /* Slashes: neither > 12, no AM/PM: day-first. */
    { "1/2/2024 10:00", "2024-02-01T10:00:00" },
    { "\"1/2/24, 10:00:30\"", "2024-02-01T10:00:30" },
    /* Slashes with AM/PM: month-first. */
    { "1/2/2024 10:00 AM", "2024-01-02T10:00:00" },
    { "1/2/2024 10:00 PM", "2024-01-02T22:00:00" },
    { "1/2/2024 12:00 AM", "2024-01-02T00:00:00" },
    { "1/2/2024 12:30 p.m.", "2024-01-02T12:30:00" },
    { "1/2/2024 9:41pm", "2024-01-02T21:41:00" },
    { "1/2/2024 9:41" NNBSP "PM", "2024-01-02T21:41:00" },
    { "1/2/2024 9:41" NBSP "p." NBSP "m.", "2024-01-02T21:41:00" },
    { "\"1/2/24, 9:41:07 a. m.\"", "2024-01-02T09:41:07" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *time = time_of (cases[i].cell);

      g_test_message ("%s", cases[i].cell);
      g_assert_cmpstr (time, ==, cases[i].time);
    }
}

static void
test_bad_times (void)
{
  static const char * const cells[] = {
    "",
    "yesterday",
    "2024-03-01",
    "2024-03-01  10:00",
    "2024-3-1 10:00",
    "2024-03-01 10:00:",
    "2024-03-01 10:00:05.",
    "2024-03-01 10:00 CET",
    "2024-03-01 10:00  Z",
    "2024-03-01 10:00 +1",
    "2024-03-01 10:00 +01:0",
    "2024-03-01 10:00 +01:60",
    "2024-03-01 10:00 +24:00",
    "15.01.2024 9.12",
    "15.01.2024  09:12",
    "15.01.2024" NBSP "09:12",
    "15.01.2024 09:12 PM",
    "15.01.024 09:12",
    "15.01.2024T09:12",
    "1/2/2024",
    "1/2/2024 10:00 XM",
    "1/2/2024 10:00 PM extra",
    "1-2-2024 10:00",
    "1752418800",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *text = g_strdup_printf ("author,time,text\nAnna,2024-03-01 10:00,Hi\n"
                                               "\nBen,\"%s\",Hello\n", cells[i]);

      g_test_message ("«%s»", cells[i]);
      assert_refused (text, HONE_IMPORT_ERROR_SYNTAX, "line 4");
    }
}

static void
test_impossible_times (void)
{
  static const char * const cells[] = {
    "2024-02-30 10:00",
    "2023-02-29 10:00",
    "2024-13-01 10:00",
    "2024-00-10 10:00",
    "2024-03-01 24:00",
    "2024-03-01 10:60",
    "2024-03-01 10:00:60",
    "32.01.2024 10:00",
    "15.13.2024 10:00",
    "15.01.2024 25:00",
    "1/2/2024 13:00 PM",
    "1/2/2024 0:10 AM",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *text = g_strdup_printf ("author,time,text\r\nAnna,2024-03-01 10:00,Hi\r\n"
                                               "Ben,%s,Hello\r\n", cells[i]);

      g_test_message ("«%s»", cells[i]);
      assert_refused (text, HONE_IMPORT_ERROR_SYNTAX, "line 3");
    }
}

static void
test_slash_order (void)
{
  g_autoptr(HoneChatlog) day = NULL;
  g_autoptr(HoneChatlog) month = NULL;

  /* The first value says month-first (AM/PM); a later A > 12 says day-first. */
  day = read_ok ("author,time,text\n"
                 "Anna,1/2/2024 9:00 AM,one\n"
                 "Ben,13/2/2024 9:00 AM,two\n");
  assert_message (day, 0, "Anna", "2024-02-01T09:00:00", "one", FALSE);
  assert_message (day, 1, "Ben", "2024-02-13T09:00:00", "two", FALSE);

  /* The first value says day-first; a later B > 12 says month-first. ISO and dotted
   * values take no part. */
  month = read_ok ("author,time,text\n"
                   "Zed,2024-01-01 08:00,zero\n"
                   "Anna,1/2/24 9:00,one\n"
                   "Yan,31.12.2023 10:00,dots\n"
                   "Ben,2/13/24 9:00,two\n");
  assert_message (month, 0, "Yan", "2023-12-31T10:00:00", "dots", FALSE);
  assert_message (month, 1, "Zed", "2024-01-01T08:00:00", "zero", FALSE);
  assert_message (month, 2, "Anna", "2024-01-02T09:00:00", "one", FALSE);
  assert_message (month, 3, "Ben", "2024-02-13T09:00:00", "two", FALSE);

  /* Both ways: refused at the row that makes it so. */
  assert_refused ("author,time,text\n"
                  "Anna,13/2/2024 9:00,one\n"
                  "Ben,1/1/2024 9:00,two\n"
                  "Carl,2/13/2024 9:00,three\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 4");

  /* System rows and skipped rows take no part in the decision. */
  {
    g_autoptr(HoneChatlog) log = read_ok ("author,role,time,text\n"
                                          "Bot,system,13/13/2024 9:00,status\n"
                                          "Anna,,13/1/2024 9:00,\n"
                                          "Ben,,2/13/2024 9:00,two\n");

    g_assert_cmpuint (log->n_system, ==, 1);
    assert_message (log, 0, "Ben", "2024-02-13T09:00:00", "two", FALSE);
  }
}

static void
test_sorting (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("ticket,created_at,author,text\n"
             "1,2024-03-01T10:00:00Z,A,ten utc\n"
             "1,2024-03-01T10:30:00+02:00,B,eight thirty utc\n"
             "1,2024-03-01 09:00,C,nine local counts as utc\n"
             "1,2024-03-01T05:00:00-05:00,D,ten utc again\n"
             "1,01.03.2024 10:00,E,ten again\n"
             "1,2024-02-29 23:59:59 GMT,F,leap day\n");

  assert_message (log, 0, "F", "2024-02-29T23:59:59+00:00", "leap day", FALSE);
  assert_message (log, 1, "B", "2024-03-01T10:30:00+02:00", "eight thirty utc", FALSE);
  assert_message (log, 2, "C", "2024-03-01T09:00:00", "nine local counts as utc", FALSE);
  /* Equal instants keep file order. */
  assert_message (log, 3, "A", "2024-03-01T10:00:00+00:00", "ten utc", FALSE);
  assert_message (log, 4, "D", "2024-03-01T05:00:00-05:00", "ten utc again", FALSE);
  assert_message (log, 5, "E", "2024-03-01T10:00:00", "ten again", FALSE);
}

static void
test_stable_many (void)
{
  g_autoptr(GString) text = g_string_new ("author,time,text\n");
  g_autoptr(HoneChatlog) log = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (text, "A,2024-03-01 10:%02u,%u\n", (499 - i) / 100, i);
  log = read_ok (text->str);
  for (guint i = 1; i < 500; i++)
    {
      const HoneChatMessage *a = hone_test_nth_message (log, i - 1);
      const HoneChatMessage *b = hone_test_nth_message (log, i);
      int cmp = strcmp (a->time, b->time);

      g_assert_cmpint (cmp, <=, 0);
      if (cmp == 0)
        g_assert_cmpint (atoi (a->text), <, atoi (b->text));
    }
}

static void
test_system_rows (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("Ticket;Zeit;Von;Rolle;Text;Anhang\n"
             "A;2024-01-01 10:00;Bot;System;Assigned;\n"
             "A;2024-01-01 10:01;Anna;Kunde;Hi;\n"
             "B;;Bot; S-Y-S-T-E-M ;closed;\n"
             "C;bad time;Bot;system;;\n"
             "A;2024-01-01 10:02;Bot;System Bot;not a system row;\n"
             "A;2024-01-01 10:03;Jana;Agent;;\n");
  HoneChatConversation *a = g_ptr_array_index (log->conversations, 0);

  /* B and C only hold system events: not imported, still counted. */
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 3);
  g_assert_cmpuint (a->n_system, ==, 1);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  assert_message (log, 1, "Bot", "2024-01-01T10:02:00", "not a system row", FALSE);
}

static void
test_conversation_order (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("conversation,author,role,text,file\n"
             "B,Bot,,,\n"
             "C,Bot,system,hello,\n"
             "A,Anna,,first,\n"
             ",Nobody,,empty conversation value,\n"
             "C,Carl,,c,\n"
             "B,Ben,,b,x.png\n"
             "A,Anna,,second,\n");

  g_assert_cmpuint (log->conversations->len, ==, 4);
  /* In the order each value first appears, in any row. */
  g_assert_cmpstr (hone_test_title (log, 0), ==, "B");
  g_assert_cmpstr (hone_test_title (log, 1), ==, "C");
  g_assert_cmpstr (hone_test_title (log, 2), ==, "A");
  g_assert_cmpstr (hone_test_title (log, 3), ==, "");
  assert_message (log, 0, "Ben", NULL, "b", TRUE);
  assert_message (log, 1, "Carl", NULL, "c", FALSE);
  assert_message (log, 2, "Anna", NULL, "first", FALSE);
  assert_message (log, 3, "Anna", NULL, "second", FALSE);
  assert_message (log, 4, "Nobody", NULL, "empty conversation value", FALSE);
}

static void
test_no_conversation_column (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("time,author,text\n"
             "2024-01-02 10:00,Anna,later\n"
             "2024-01-01 10:00,Ben,earlier\n");

  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_null (hone_test_title (log, 0));
  assert_message (log, 0, "Ben", "2024-01-01T10:00:00", "earlier", FALSE);
  assert_message (log, 1, "Anna", "2024-01-02T10:00:00", "later", FALSE);
}

static void
test_no_time_column (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("author,text\n"
             "Anna,second in time\n"
             "Ben,first in time\n");

  assert_message (log, 0, "Anna", NULL, "second in time", FALSE);
  assert_message (log, 1, "Ben", NULL, "first in time", FALSE);
}

static void
test_finishing (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("author,text,attachment\r\n"
             "  Anna " NBSP ",\"  \r\n  padded  \r\n\",\r\n"
             "Ben,\"\xe2\x80\x83\xe3\x80\x80\",  \r\n"
             "\"Carl\r\nLee\",x,\" \"\r\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  assert_message (log, 0, "Anna", NULL, "padded", FALSE);
  /* A blank attachment cell is empty. */
  assert_message (log, 1, "Carl\nLee", NULL, "x", FALSE);
}

static void
test_no_messages (void)
{
  assert_refused ("author,text\n", HONE_IMPORT_ERROR_NO_MESSAGES, "no messages");
  assert_refused ("author,role,text\nBot,system,hi\nAnna,,\n",
                  HONE_IMPORT_ERROR_NO_MESSAGES, "no messages");
}

/* Through the whole importer: a byte-order mark, CR LF and semicolons, as spreadsheets
 * write them. */
static void
test_pipeline (void)
{
  const char *bytes = "\xef\xbb\xbfTicket-Nr.;Zeitpunkt;Absender;Rolle;Nachricht;Anhang\r\n"
                      "7;15.01.2024 09:40;Jana;Agent;\"Zwei\r\nZeilen\";\r\n"
                      "7;15.01.2024 09:12;Katrin;Kunde;Hallo;\r\n"
                      "7;15.01.2024 09:13;System;System;zugewiesen;\r\n";
  g_autoptr(HoneChatlog) log = hone_test_import_bytes ("hone-test-XXXXXX.csv", bytes, -1);

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_CSV);
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  g_assert_cmpstr (hone_test_title (log, 0), ==, "7");
  assert_message (log, 0, "Katrin", "2024-01-15T09:12:00", "Hallo", FALSE);
  assert_message (log, 1, "Jana", "2024-01-15T09:40:00", "Zwei\nZeilen", FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/csv/basic", test_basic);
  g_test_add_func ("/hone/csv/delimiters", test_delimiters);
  g_test_add_func ("/hone/csv/quoting", test_quoting);
  g_test_add_func ("/hone/csv/short-and-long-records", test_short_and_long_records);
  g_test_add_func ("/hone/csv/empty-lines", test_empty_lines);
  g_test_add_func ("/hone/csv/unclosed-quote", test_unclosed_quote);
  g_test_add_func ("/hone/csv/header-names", test_header_names);
  g_test_add_func ("/hone/csv/every-header-name", test_every_header_name);
  g_test_add_func ("/hone/csv/detect", test_detect);
  g_test_add_func ("/hone/csv/map", test_map);
  g_test_add_func ("/hone/csv/missing-columns", test_missing_columns);
  g_test_add_func ("/hone/csv/iso-times", test_iso_times);
  g_test_add_func ("/hone/csv/local-times", test_local_times);
  g_test_add_func ("/hone/csv/bad-times", test_bad_times);
  g_test_add_func ("/hone/csv/impossible-times", test_impossible_times);
  g_test_add_func ("/hone/csv/slash-order", test_slash_order);
  g_test_add_func ("/hone/csv/sorting", test_sorting);
  g_test_add_func ("/hone/csv/stable", test_stable_many);
  g_test_add_func ("/hone/csv/system-rows", test_system_rows);
  g_test_add_func ("/hone/csv/conversation-order", test_conversation_order);
  g_test_add_func ("/hone/csv/no-conversation-column", test_no_conversation_column);
  g_test_add_func ("/hone/csv/no-time-column", test_no_time_column);
  g_test_add_func ("/hone/csv/finishing", test_finishing);
  g_test_add_func ("/hone/csv/no-messages", test_no_messages);
  g_test_add_func ("/hone/csv/pipeline", test_pipeline);

  return g_test_run ();
}
