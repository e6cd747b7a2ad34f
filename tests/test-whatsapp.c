/* test-whatsapp.c — the WhatsApp reader (README section 5) on inline exports: both
 * layouts, every date and clock spelling, the day/month decision, refusals with their
 * line, system events, media placeholders, captions and edit markers.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

#define LRM "\xe2\x80\x8e"    /* U+200E */
#define RLM "\xe2\x80\x8f"    /* U+200F */
#define LRE "\xe2\x80\xaa"    /* U+202A */
#define PDF "\xe2\x80\xac"    /* U+202C */
#define FSI "\xe2\x81\xa8"    /* U+2068 */
#define PDI "\xe2\x81\xa9"    /* U+2069 */
#define NBSP "\xc2\xa0"       /* U+00A0 */
#define NNBSP "\xe2\x80\xaf"  /* U+202F */

static HoneChatlog *
read_ok (const char *text)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("chat.txt");
  g_autoptr(GError) error = NULL;

  if (!hone_read_whatsapp (log, "chat.txt", text, strlen (text), &error))
    g_error ("refused: %s\n---\n%s", error->message, text);
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  return g_steal_pointer (&log);
}

static void
assert_refused (const char      *text,
                HoneImportError  code,
                const char      *words)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("chat.txt");
  g_autoptr(GError) error = NULL;

  if (hone_read_whatsapp (log, "chat.txt", text, strlen (text), &error))
    g_error ("accepted, should be refused with «%s»:\n%s", words, text);
  hone_test_assert_refusal (error, code, "chat.txt", words);
  /* A refused file adds nothing. */
  hone_test_assert_empty (log);
}

/* @time NULL: any time. */
static void
assert_message (HoneChatlog *log,
                guint        index,
                const char  *author,
                const char  *time,
                const char  *text,
                gboolean     media)
{
  const HoneChatMessage *m = hone_test_message (log, 0, index);

  hone_test_assert_fields (m, author, time != NULL ? time : m->time, text, media);
}

/* The time of the only message of a one-line export. */
static char *
time_of (const char *text)
{
  g_autoptr(HoneChatlog) log = read_ok (text);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  return g_strdup (hone_test_message (log, 0, 0)->time);
}

static void
test_android_us (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("1/15/24, 9:41 PM - Anna: Hi\n"
             "1/15/24, 9:42 PM - Ben: Hello: how are you?\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  g_assert_cmpuint (log->n_system, ==, 0);
  assert_message (log, 0, "Anna", "2024-01-15T21:41:00", "Hi", FALSE);
  assert_message (log, 1, "Ben", "2024-01-15T21:42:00", "Hello: how are you?", FALSE);
  g_assert_null (hone_test_title (log, 0));
}

static void
test_android_24h (void)
{
  g_autofree char *de = time_of ("15.01.24, 21:41 - Anna: Hallo\n");
  g_autofree char *br = time_of ("15/01/2024 21:41 - Ana: Oi\n");
  g_autofree char *dash = time_of ("15-01-2024, 07:05 - Ana: Oi\n");
  g_autofree char *seconds = time_of ("15.01.24, 21:41:09 - Anna: Hallo\n");

  g_assert_cmpstr (de, ==, "2024-01-15T21:41:00");
  g_assert_cmpstr (br, ==, "2024-01-15T21:41:00");
  g_assert_cmpstr (dash, ==, "2024-01-15T07:05:00");
  g_assert_cmpstr (seconds, ==, "2024-01-15T21:41:09");
}

static void
test_iphone (void)
{
  g_autofree char *de = time_of ("[15.01.24, 21:41:05] Anna: Hallo\n");
  g_autofree char *us = time_of ("[1/15/24, 9:41:05 PM] Anna: Hi\n");
  g_autofree char *no_seconds = time_of ("[15.01.24 21:41] Anna: Hallo\n");
  g_autofree char *nbsp = time_of ("[1/15/24," NBSP "9:41:05" NNBSP "AM]" NBSP "Anna: Hi\n");
  g_autoptr(HoneChatlog) log = NULL;

  g_assert_cmpstr (de, ==, "2024-01-15T21:41:05");
  g_assert_cmpstr (us, ==, "2024-01-15T21:41:05");
  g_assert_cmpstr (no_seconds, ==, "2024-01-15T21:41:00");
  g_assert_cmpstr (nbsp, ==, "2024-01-15T09:41:05");

  /* A CR LF export with marks before the bracket. */
  log = read_ok (LRM "[02.01.24, 20:01:17] Oma: " LRM "Bild weggelassen\r\n"
                 "[02.01.24, 20:01:45] Oma: Hat es geklappt?\r\n"
                 "[02.01.24, 20:02:02] Lukas: Ja!!\r\nZweite Zeile\r\n");
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 3);
  assert_message (log, 0, "Oma", "2024-01-02T20:01:17", "", TRUE);
  assert_message (log, 1, "Oma", "2024-01-02T20:01:45", "Hat es geklappt?", FALSE);
  assert_message (log, 2, "Lukas", "2024-01-02T20:02:02", "Ja!!\nZweite Zeile", FALSE);
}

static void
test_ampm_spellings (void)
{
  static const struct
  {
    const char *header;
    const char *time;
  } cases[] = {
    { "1/15/24, 9:41 PM - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 pm - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41pm - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 p.m. - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 P.M. - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 p. m. - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 p." NBSP "m. - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41" NBSP "p." NBSP "m." NBSP "-" NBSP, "2024-01-15T21:41:00" },
    { "1/15/24, 9:41" NNBSP "PM - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41" NBSP "PM - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 Pm - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 p m - ", "2024-01-15T21:41:00" },
    { "1/15/24, 9:41 AM - ", "2024-01-15T09:41:00" },
    { "1/15/24, 9:41 am - ", "2024-01-15T09:41:00" },
    { "1/15/24, 9:41 a.m. - ", "2024-01-15T09:41:00" },
    { "1/15/24, 9:41 a. m. - ", "2024-01-15T09:41:00" },
    { "1/15/24, 9:41 a." NBSP "m. - ", "2024-01-15T09:41:00" },
    { "1/15/24, 9:41 am. - ", "2024-01-15T09:41:00" },
    { "1/15/24, 12:05 AM - ", "2024-01-15T00:05:00" },
    { "1/15/24, 12:05 a. m. - ", "2024-01-15T00:05:00" },
    { "1/15/24, 12:05 PM - ", "2024-01-15T12:05:00" },
    { "1/15/24, 12:59 p.m. - ", "2024-01-15T12:59:00" },
    { "1/15/24, 1:00 PM - ", "2024-01-15T13:00:00" },
    { "1/15/24, 11:59 PM - ", "2024-01-15T23:59:00" },
    { "[1/15/24, 9:41:05" NNBSP "PM] ", "2024-01-15T21:41:05" },
    { "[1/15/24, 12:00:01 AM] ", "2024-01-15T00:00:01" },
    { "[1/15/24, 9:41:05 a. m.] ", "2024-01-15T09:41:05" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (cases[i].header, "Anna: Hi\n", NULL);
      g_autofree char *time = time_of (text);

      g_test_message ("%s", cases[i].header);
      g_assert_cmpstr (time, ==, cases[i].time);
    }
}

static void
test_ampm_impossible (void)
{
  assert_refused ("1/15/24, 9:41 PM - Anna: Hi\n1/15/24, 13:00 PM - Anna: Hi\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 2");
  assert_refused ("1/15/24, 0:30 AM - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01.24, 24:00 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01.24, 9:60 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("[15.01.24, 9:41:60] Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
}

static void
test_year_first (void)
{
  g_autofree char *dash = time_of ("2024-01-05, 21:41 - Anna: Hi\n");
  g_autofree char *slash = time_of ("[2024/01/05 09:03:07] Anna: Hi\n");
  g_autofree char *dots = time_of ("2024.1.5 9:03 PM - Anna: Hi\n");
  /* Year-first headers leave the decision of the others alone. */
  g_autoptr(HoneChatlog) log = read_ok ("2024-01-05, 21:41 - Anna: Hi\n"
                                        "3/4/24, 21:42 - Anna: Hi\n"
                                        "13/4/24, 21:42 - Anna: Hi\n");

  g_assert_cmpstr (dash, ==, "2024-01-05T21:41:00");
  g_assert_cmpstr (slash, ==, "2024-01-05T09:03:07");
  g_assert_cmpstr (dots, ==, "2024-01-05T21:03:00");
  assert_message (log, 1, "Anna", "2024-04-03T21:42:00", "Hi", FALSE);
}

static void
test_years (void)
{
  g_autofree char *two = time_of ("15.01.99, 21:41 - Anna: Hi\n");
  g_autofree char *four = time_of ("15.01.1999, 21:41 - Anna: Hi\n");
  g_autofree char *leap = time_of ("29.02.24, 21:41 - Anna: Hi\n");

  g_assert_cmpstr (two, ==, "2099-01-15T21:41:00");
  g_assert_cmpstr (four, ==, "1999-01-15T21:41:00");
  g_assert_cmpstr (leap, ==, "2024-02-29T21:41:00");
}

static void
test_order_default (void)
{
  /* '/' and AM/PM: month-first. */
  g_autofree char *us = time_of ("1/2/24, 9:41 PM - Anna: Hi\n");
  /* '/' without AM/PM: day-first. */
  g_autofree char *slash24 = time_of ("1/2/24, 21:41 - Anna: Hi\n");
  /* AM/PM without '/': day-first. */
  g_autofree char *dots12 = time_of ("1.2.24, 9:41 PM - Anna: Hi\n");
  g_autofree char *dash12 = time_of ("1-2-24, 9:41 PM - Anna: Hi\n");
  g_autofree char *iphone = time_of ("[1/2/24, 9:41:00 PM] Anna: Hi\n");

  g_assert_cmpstr (us, ==, "2024-01-02T21:41:00");
  g_assert_cmpstr (slash24, ==, "2024-02-01T21:41:00");
  g_assert_cmpstr (dots12, ==, "2024-02-01T21:41:00");
  g_assert_cmpstr (dash12, ==, "2024-02-01T21:41:00");
  g_assert_cmpstr (iphone, ==, "2024-01-02T21:41:00");
}

static void
test_order_decided_by_file (void)
{
  g_autoptr(HoneChatlog) day = NULL;
  g_autoptr(HoneChatlog) month = NULL;

  /* The default says month-first, a later D1 > 12 says day-first for every header. */
  day = read_ok ("1/2/24, 9:41 PM - Anna: Hi\n"
                 "13/2/24, 9:41 PM - Anna: Hi\n");
  assert_message (day, 0, "Anna", "2024-02-01T21:41:00", "Hi", FALSE);
  assert_message (day, 1, "Anna", "2024-02-13T21:41:00", "Hi", FALSE);

  /* The default says day-first, a later D2 > 12 says month-first. */
  month = read_ok ("[01.02.24, 21:41:00] Anna: Hi\n"
                   "[01.20.24, 21:41:00] Anna: Hi\n");
  assert_message (month, 0, "Anna", "2024-01-02T21:41:00", "Hi", FALSE);
  assert_message (month, 1, "Anna", "2024-01-20T21:41:00", "Hi", FALSE);

  /* Both ways at once: refused at the header that makes it so. */
  assert_refused ("13/2/24, 21:41 - Anna: Hi\n"
                  "continued\n"
                  "2/13/24, 21:41 - Anna: Hi\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 3");
}

static void
test_impossible_date (void)
{
  assert_refused ("1/15/24, 9:41 PM - Anna: Hi\n"
                  "2/30/24, 9:41 PM - Anna: Hi\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 2");
  assert_refused ("29.02.23, 10:00 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("[00.01.24, 10:00:00] Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("2024-13-01, 10:00 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01.24, 21:41 - Anna: Hi\n"
                  "\n"
                  "15.01.24, 25:41 - Anna: Hi\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 3");
  /* Day-first decided by line 1; then month 13 does not exist. */
  assert_refused ("15.01.24, 21:41 - Anna: Hi\n"
                  "12.13.24, 21:41 - Anna: Hi\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 2");
}

static void
test_first_line_not_header (void)
{
  assert_refused ("Hello\n1/15/24, 9:41 PM - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("\n  \n" NBSP "\n[21:41, 15.1.2024] Anna: Hallo\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 4");
  assert_refused ("\r\n1/15/24 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 2");
  assert_refused ("1/15/24,  9:41 PM - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("[15.01.24, 21:41:05]Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01.24, 21:41 -Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01/24, 21:41 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("15.01.24, 21:4 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");
  assert_refused ("12345.01.24, 21:41 - Anna: Hi\n", HONE_IMPORT_ERROR_SYNTAX, "line 1");

  /* Blank lines before the first header are fine. */
  {
    g_autoptr(HoneChatlog) log = read_ok ("\n\r\n \n15.01.24, 21:41 - Anna: Hallo\n");

    assert_message (log, 0, "Anna", "2024-01-15T21:41:00", "Hallo", FALSE);
  }
}

static void
test_continuation (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("3/4/24, 8:03 AM - Priya: Packing list so far:\n"
             "- 2 L water each\n"
             "\n"
             "- snacks\n"
             "\n"
             "\n"
             "3/4/24, 8:10 AM - Sam: ok   \n"
             "  \n"
             "3/4/24, 8:11 AM - Sam:\n"
             "no colon space on the header line\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  g_assert_cmpuint (log->n_system, ==, 1);
  assert_message (log, 0, "Priya", "2024-03-04T08:03:00",
                  "Packing list so far:\n- 2 L water each\n\n- snacks", FALSE);
  assert_message (log, 1, "Sam", "2024-03-04T08:10:00", "ok", FALSE);
}

static void
test_layout_fixed_by_first_header (void)
{
  g_autoptr(HoneChatlog) iphone = NULL;
  g_autoptr(HoneChatlog) android = NULL;

  iphone = read_ok ("[15.01.24, 21:41:05] Anna: Seen on Android:\n"
                    "15.01.24, 21:40 - Ben: quoted\n");
  g_assert_cmpuint (hone_chatlog_count_messages (iphone), ==, 1);
  assert_message (iphone, 0, "Anna", NULL, "Seen on Android:\n15.01.24, 21:40 - Ben: quoted",
                  FALSE);

  android = read_ok ("15.01.24, 21:40 - Ben: quote\n"
                     "[15.01.24, 21:41:05] Anna: from an iPhone\n");
  g_assert_cmpuint (hone_chatlog_count_messages (android), ==, 1);
  assert_message (android, 0, "Ben", NULL, "quote\n[15.01.24, 21:41:05] Anna: from an iPhone",
                  FALSE);
}

static void
test_lone_cr_and_last_line (void)
{
  g_autoptr(HoneChatlog) log = read_ok ("15.01.24, 21:40 - Ben: one\rtwo\r\r\n"
                                        "three\r\n"
                                        "15.01.24, 21:41 - Ben: no line end");

  assert_message (log, 0, "Ben", NULL, "one\ntwo\nthree", FALSE);
  assert_message (log, 1, "Ben", NULL, "no line end", FALSE);
}

static void
test_system_events (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("3/2/24, 6:14 PM - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
             "3/2/24, 6:14 PM - Maya created group \"Hike\"\n"
             "3/2/24, 6:14 PM - Maya added Jordan\n"
             "3/2/24, 6:15 PM - : empty author\n"
             "3/2/24, 6:15 PM - " LRM " : only a mark\n"
             "3/2/24, 6:16 PM - Maya: Hey all\n"
             "3/2/24, 6:17 PM - Jordan left\n"
             "with a continuation: line\n"
             "3/2/24, 6:18 PM - Maya:no space after the colon\n");
  HoneChatConversation *conversation = g_ptr_array_index (log->conversations, 0);
  g_auto(GStrv) participants = hone_chatlog_dup_participants (log);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  g_assert_cmpuint (log->n_system, ==, 7);
  g_assert_cmpuint (conversation->n_system, ==, 7);
  assert_message (log, 0, "Maya", "2024-03-02T18:16:00", "Hey all", FALSE);
  g_assert_cmpuint (g_strv_length (participants), ==, 1);
}

static void
test_notices (void)
{
  static const char * const system[] = {
    "This message was deleted",
    "This message was deleted.",
    "You deleted this message",
    "Diese Nachricht wurde gelöscht.",
    "Du hast diese Nachricht gelöscht",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message.",
    "Esta mensagem foi apagada",
    "Você apagou esta mensagem",
    "Mensagem apagada",
    "Apagou esta mensagem",
    "Este mensaje fue eliminado",
    "Se eliminó este mensaje.",
    "Eliminaste este mensaje",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "Dit bericht is verwijderd",
    "U hebt dit bericht verwijderd",
    "Missed voice call",
    "Missed video call",
    "Missed group voice call",
    "Missed group video call.",
    "Verpasster Sprachanruf",
    "Verpasster Videoanruf",
    "Appel vocal manqué",
    "Appel vidéo manqué",
    "Chamada de voz perdida",
    "Chamada de vídeo perdida",
    "Videochamada perdida",
    "Llamada perdida",
    "Llamada de voz perdida",
    "Videollamada perdida",
    "Chiamata vocale persa",
    "Videochiamata persa",
    "Gemiste spraakoproep",
    "Gemiste video-oproep",
    "Gemist spraakgesprek",
    "Gemist videogesprek",
    /* Marks, spaces and an edit marker do not hide a notice. */
    RLM "This message was deleted" RLM "  ",
    "This message was deleted <This message was edited>",
  };
  static const char * const messages[] = {
    "This message was deleted..",
    "This message was deleted!",
    "this message was deleted",
    "This message was deleted, sorry",
    "Missed voice call?",
    "Llamada perdida\nsecond line",
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(HoneChatlog) log = NULL;

  g_string_append (text, "15.01.24, 21:40 - Ben: first\n");
  for (guint i = 0; i < G_N_ELEMENTS (system); i++)
    g_string_append_printf (text, "15.01.24, 21:41 - Ben: %s\n", system[i]);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_string_append_printf (text, "15.01.24, 21:42 - Ben: %s\n", messages[i]);

  log = read_ok (text->str);
  g_assert_cmpuint (log->n_system, ==, G_N_ELEMENTS (system));
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1 + G_N_ELEMENTS (messages));
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    assert_message (log, 1 + i, "Ben", NULL, messages[i], FALSE);
}

static void
test_lrm_body (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("[02.01.24, 19:30:12] Familie Weber: " LRM "Sabine hat dich hinzugefügt.\r\n"
             "[13.01.24, 19:02:48] Thomas: " LRM "Standort: https://maps.google.com/?q=52.5\r\n"
             "[13.01.24, 19:03:00] Thomas: " LRM "POLL:\r\n" LRM "OPTION: Ja\r\n"
             LRM "[13.01.24, 22:37:40] Thomas: " LRM "Bild weggelassen\r\n"
             "[13.01.24, 22:38:00] Thomas: " RLM "typed after a right-to-left mark\r\n"
             "[13.01.24, 22:38:01] " LRM "Thomas" LRM ": text " LRM "with" LRM " marks\r\n"
             "[13.01.24, 22:38:02] Thomas:  " LRM "a space first\r\n"
             "[13.01.24, 22:38:03] Thomas: " LRM "<attached: 00000011-AUDIO.opus>\r\n");

  g_assert_cmpuint (log->n_system, ==, 3);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 5);
  assert_message (log, 0, "Thomas", "2024-01-13T22:37:40", "", TRUE);
  assert_message (log, 1, "Thomas", NULL, "typed after a right-to-left mark", FALSE);
  assert_message (log, 2, "Thomas", NULL, "text with marks", FALSE);
  assert_message (log, 3, "Thomas", NULL, "a space first", FALSE);
  assert_message (log, 4, "Thomas", NULL, "", TRUE);
}

static void
test_media_placeholders (void)
{
  static const char * const media[] = {
    "<Media omitted>", "<Medien ausgeschlossen>", "<Medien weggelassen>", "<Médias omis>",
    "<Fichier omis>", "<Mídia oculta>", "<Mídia omitida>", "<Multimédia omitido>",
    "<Multimedia omitido>", "<Archivo omitido>", "<Media omessi>", "<Media weggelaten>",
    "null",
    "image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted",
    "Contact card omitted",
    "Bild weggelassen", "Video weggelassen", "Audio weggelassen", "Sticker weggelassen",
    "GIF weggelassen", "Kontaktkarte ausgelassen",
    "image absente", "vidéo absente", "audio omis", "sticker omis", "GIF retiré",
    "Fiche contact manquante",
    "imagem ocultada", "vídeo omitido", "áudio ocultado", "figurinha omitida", "GIF omitido",
    "Cartão do contato omitido",
    "imagem não revelada", "vídeo não revelado", "ficheiro de áudio não revelado",
    "sticker não revelado", "GIF não revelada", "Contacto não revelado",
    "imagen omitida", "Video omitido", "audio omitido", "sticker omitido",
    "Tarjeta de contacto omitida",
    "immagine omessa", "video omesso", "audio omesso", "sticker non incluso", "GIF esclusa",
    "Scheda contatto omessa",
    "afbeelding weggelaten", "video weggelaten", "audio weggelaten", "sticker weggelaten",
    "GIF weggelaten", "Visitekaartje weggelaten",
    /* Documents, alone or named first. */
    "document omitted", "Dokument weggelassen", "document manquant", "documento omitido",
    "documento não revelado", "documento omesso", "document weggelaten",
    "Plan.pdf • 2 pages document omitted",
    "Plan.pdf " LRM "• " LRM "2 pages " LRM "document omitted",
    "Apfelkuchen_Rezept.pdf " LRM "• " LRM "2 Seiten " LRM "Dokument weggelassen",
    "Plan.pdf • 3 pages documento não revelado",
    /* <LABEL: FILE> */
    "<attached: 00000004-PHOTO-2024-02-09-14-22-31.jpg>",
    "Fernwood Care Guide.pdf " LRM "• " LRM "4 pages " LRM "<attached: 00000013-Guide.pdf>",
    "<Anhang: 00000005-PHOTO.jpg>",
    "< pièce jointe : 00000006-PHOTO.jpg >",
    "<" NBSP "pièce jointe" NBSP ":" NBSP "00000006-PHOTO.jpg" NBSP ">",
    "<pièce jointe" NNBSP ": 00000006-PHOTO.jpg>",
    "<anexado: 00000007-PHOTO.jpg>", "<anexo: foto.jpg>", "<adjunto: foto.jpg>",
    "<allegato: foto.jpg>", "<bijgevoegd: foto.jpg>",
    "doc" NBSP "<attached: a b.pdf>",
    /* FILE (PHRASE) */
    "IMG-20240115-WA0003.jpg (file attached)", "IMG.jpg (Datei angehängt)",
    "IMG.jpg (fichier joint)", "IMG.jpg (arquivo anexado)", "IMG.jpg (ficheiro anexado)",
    "IMG.jpg (archivo adjunto)", "IMG.jpg (file allegato)", "IMG.jpg (bestand bijgevoegd)",
    "My File (2).pdf (file attached)",
    /* Marks and spaces around a placeholder. */
    LRM "image omitted" LRM "   ",
  };
  static const char * const not_media[] = {
    "<media omitted>",
    "Image omitted",
    "<Media omitted> ok",
    "xdocument omitted",
    "document omitted!",
    "see <attached: x.jpg> here",
    "<attached: >",
    "<attached x.jpg>",
    "<sent: x.jpg>",
    "x<attached: y.jpg>",
    "(file attached)",
    "IMG.jpg(file attached)",
    "IMG.jpg (file attached) ok",
    "NULL",
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(HoneChatlog) log = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (media); i++)
    g_string_append_printf (text, "[15.01.24, 21:41:05] Ben: %s\n", media[i]);
  for (guint i = 0; i < G_N_ELEMENTS (not_media); i++)
    g_string_append_printf (text, "[15.01.24, 21:42:05] Ben: %s\n", not_media[i]);

  log = read_ok (text->str);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==,
                    G_N_ELEMENTS (media) + G_N_ELEMENTS (not_media));
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, G_N_ELEMENTS (media));
  for (guint i = 0; i < G_N_ELEMENTS (media); i++)
    {
      g_test_message ("media: %s", media[i]);
      assert_message (log, i, "Ben", NULL, "", TRUE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_media); i++)
    {
      g_test_message ("not media: %s", not_media[i]);
      assert_message (log, G_N_ELEMENTS (media) + i, "Ben", NULL, not_media[i], FALSE);
    }
}

static void
test_captions (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("3/4/24, 12:02 PM - Jordan: <Media omitted>\n"
             "3/4/24, 12:02 PM - Jordan: <Media omitted>\n"
             "Parking at the trailhead\n"
             "\n"
             "was full " LRM "by 8\n"
             "3/4/24, 12:03 PM - Jordan: IMG-1.jpg (file attached)\n"
             "Nice view <This message was edited>\n"
             "3/4/24, 12:04 PM - Jordan: <Media omitted>\n"
             "This message was deleted\n"
             "3/4/24, 12:05 PM - Jordan: " LRM "<Media omitted>\n"
             "\n");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 5);
  g_assert_cmpuint (log->n_system, ==, 0);
  assert_message (log, 0, "Jordan", NULL, "", TRUE);
  assert_message (log, 1, "Jordan", NULL, "Parking at the trailhead\n\nwas full by 8", TRUE);
  assert_message (log, 2, "Jordan", NULL, "Nice view", TRUE);
  /* A media entry is never a system event, whatever its caption says. */
  assert_message (log, 3, "Jordan", NULL, "This message was deleted", TRUE);
  assert_message (log, 4, "Jordan", NULL, "", TRUE);
}

static void
test_edit_markers (void)
{
  static const char * const markers[] = {
    "<This message was edited>",
    "<Diese Nachricht wurde bearbeitet.>",
    "<Diese Nachricht wurde bearbeitet>",
    "<Ce message a été modifié>",
    "<Mensagem editada>",
    "<Se editó este mensaje.>",
    "<Questo messaggio è stato modificato>",
    "<Dit bericht is bewerkt>",
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(HoneChatlog) log = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    g_string_append_printf (text, "[09.01.24, 17:45:10] Sabine: Um 19 Uhr " LRM "%s\r\n",
                            markers[i]);
  /* Only at the end, once; a text that is only a marker is dropped. */
  g_string_append (text, "[09.01.24, 17:46:10] Sabine: <This message was edited> middle\r\n");
  g_string_append (text, "[09.01.24, 17:46:11] Sabine: two\n<Mensagem editada>\r\n");
  g_string_append (text, "[09.01.24, 17:46:12] Sabine: x <Mensagem editada> "
                         "<Mensagem editada>\r\n");
  g_string_append (text, "[09.01.24, 17:46:13] Sabine: <This message was edited>\r\n");
  g_string_append (text, "[09.01.24, 17:46:14] Sabine: x<Dit bericht is bewerkt>\r\n");

  log = read_ok (text->str);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, G_N_ELEMENTS (markers) + 4);
  g_assert_cmpuint (log->n_system, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    assert_message (log, i, "Sabine", NULL, "Um 19 Uhr", FALSE);
  assert_message (log, G_N_ELEMENTS (markers), "Sabine", NULL,
                  "<This message was edited> middle", FALSE);
  assert_message (log, G_N_ELEMENTS (markers) + 1, "Sabine", NULL, "two", FALSE);
  assert_message (log, G_N_ELEMENTS (markers) + 2, "Sabine", NULL, "x <Mensagem editada>", FALSE);
  assert_message (log, G_N_ELEMENTS (markers) + 3, "Sabine", NULL, "x", FALSE);
}

static void
test_authors (void)
{
  g_autoptr(HoneChatlog) log =
    read_ok ("15.01.24, 21:40 - " LRE "+49 151 2345678" PDF ": Hallo\n"
             "15.01.24, 21:41 - " FSI "Ana" PDI "  : Oi\n"
             "15.01.24, 21:42 -  Ben : Hi\n"
             "15.01.24, 21:43 - Ben: \n"
             "15.01.24, 21:44 - Empty: " LRM "\n"
             "15.01.24, 21:45 - Carl: a: b: c\n");
  g_auto(GStrv) participants = hone_chatlog_dup_participants (log);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 4);
  assert_message (log, 0, "+49 151 2345678", NULL, "Hallo", FALSE);
  assert_message (log, 1, "Ana", NULL, "Oi", FALSE);
  assert_message (log, 2, "Ben", NULL, "Hi", FALSE);
  assert_message (log, 3, "Carl", NULL, "a: b: c", FALSE);
  /* The empty "Ben:" is dropped; "Empty:" starts with U+200E and is a system event. */
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpuint (g_strv_length (participants), ==, 4);
}

static void
test_no_messages (void)
{
  assert_refused ("15.01.24, 21:40 - Anna added Ben\n"
                  "15.01.24, 21:41 - Ben: This message was deleted\n"
                  "15.01.24, 21:42 - Ben: \n",
                  HONE_IMPORT_ERROR_NO_MESSAGES, "no messages");
}

static void
test_appends (void)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("export.zip");
  g_autoptr(GError) error = NULL;
  const char *one = "15.01.24, 21:40 - Anna added Ben\n15.01.24, 21:41 - Ben: Hi\n";

  g_assert_true (hone_read_whatsapp (log, "a.txt", one, strlen (one), &error));
  g_assert_true (hone_read_whatsapp (log, "b.txt", one, strlen (one), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 2);
}

/* 100 000 messages, with continuation lines, media and system events. */
static void
test_large (void)
{
  g_autoptr(GString) text = g_string_sized_new (8 * 1024 * 1024);
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GTimer) timer = NULL;
  guint n = 100000;

  for (guint i = 0; i < n; i++)
    {
      guint day = 1 + i % 28;
      guint month = 1 + (i / 28) % 12;

      if (i % 10 == 3)
        g_string_append_printf (text, LRM "[%02u.%02u.24, 12:%02u:%02u] Person %u: " LRM
                                "Bild weggelassen\r\n", day, month, i % 60, i % 60, i % 7);
      else if (i % 10 == 7)
        g_string_append_printf (text, "[%02u.%02u.24, 12:%02u:%02u] Person %u: Line one of %u\r\n"
                                "line two\r\n\r\nline four <This message was edited>\r\n",
                                day, month, i % 60, i % 60, i % 7, i);
      else
        g_string_append_printf (text, "[%02u.%02u.24, 12:%02u:%02u] Person %u: Hallo ihr "
                                "Lieben, wie geht es euch heute? Nummer %u\r\n",
                                day, month, i % 60, i % 60, i % 7, i);
    }
  g_string_append (text, "[28.12.24, 23:59:59] Gruppe: " LRM "Anna hat Ben entfernt.\r\n");

  timer = g_timer_new ();
  log = read_ok (text->str);
  g_test_message ("%u messages (%zu bytes) in %.3f s", n, text->len,
                  g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, n);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, n / 10);
  g_assert_cmpuint (log->n_system, ==, 1);
  assert_message (log, 7, "Person 0", "2024-01-08T12:07:07",
                  "Line one of 7\nline two\n\nline four", FALSE);
}

/* Through the whole importer: UTF-16 with a byte-order mark, as some exports are. */
static void
test_pipeline (void)
{
  const char *utf8 = "[02.01.24, 19:30:12] Familie: " LRM "Sabine hat dich hinzugefügt.\r\n"
                     "[02.01.24, 19:33:05] Sabine: Hallo ihr Lieben!\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autofree char *utf16 = NULL;
  g_autofree char *bytes = NULL;
  glong n_units = 0;

  utf16 = (char *) g_utf8_to_utf16 (utf8, -1, NULL, &n_units, &error);
  g_assert_no_error (error);
  g_assert_cmpint (G_BYTE_ORDER, ==, G_LITTLE_ENDIAN);
  bytes = g_malloc (2 + 2 * n_units);
  bytes[0] = (char) 0xff;
  bytes[1] = (char) 0xfe;
  memcpy (bytes + 2, utf16, 2 * n_units);

  log = hone_test_import_bytes ("hone-test-XXXXXX.txt", bytes, 2 + 2 * n_units);
  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_WHATSAPP);
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  assert_message (log, 0, "Sabine", "2024-01-02T19:33:05", "Hallo ihr Lieben!", FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/whatsapp/android-us", test_android_us);
  g_test_add_func ("/hone/whatsapp/android-24h", test_android_24h);
  g_test_add_func ("/hone/whatsapp/iphone", test_iphone);
  g_test_add_func ("/hone/whatsapp/ampm-spellings", test_ampm_spellings);
  g_test_add_func ("/hone/whatsapp/ampm-impossible", test_ampm_impossible);
  g_test_add_func ("/hone/whatsapp/year-first", test_year_first);
  g_test_add_func ("/hone/whatsapp/years", test_years);
  g_test_add_func ("/hone/whatsapp/order-default", test_order_default);
  g_test_add_func ("/hone/whatsapp/order-decided-by-file", test_order_decided_by_file);
  g_test_add_func ("/hone/whatsapp/impossible-date", test_impossible_date);
  g_test_add_func ("/hone/whatsapp/first-line-not-header", test_first_line_not_header);
  g_test_add_func ("/hone/whatsapp/continuation", test_continuation);
  g_test_add_func ("/hone/whatsapp/layout-fixed", test_layout_fixed_by_first_header);
  g_test_add_func ("/hone/whatsapp/lone-cr", test_lone_cr_and_last_line);
  g_test_add_func ("/hone/whatsapp/system-events", test_system_events);
  g_test_add_func ("/hone/whatsapp/notices", test_notices);
  g_test_add_func ("/hone/whatsapp/lrm-body", test_lrm_body);
  g_test_add_func ("/hone/whatsapp/media-placeholders", test_media_placeholders);
  g_test_add_func ("/hone/whatsapp/captions", test_captions);
  g_test_add_func ("/hone/whatsapp/edit-markers", test_edit_markers);
  g_test_add_func ("/hone/whatsapp/authors", test_authors);
  g_test_add_func ("/hone/whatsapp/no-messages", test_no_messages);
  g_test_add_func ("/hone/whatsapp/appends", test_appends);
  g_test_add_func ("/hone/whatsapp/large", test_large);
  g_test_add_func ("/hone/whatsapp/pipeline", test_pipeline);

  return g_test_run ();
}
