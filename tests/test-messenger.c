/* test-messenger.c — the Facebook Messenger JSON reader (README section 9): mojibake
 * repair, order across message_N.json files, system events, media and the shapes it
 * refuses.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

/* Reads the files (message_1.json, message_2.json, … in that order), written with ' for "
 * to keep them readable. */
static gboolean
read_files (HoneChatlog        *log,
            const char *const  *jsons,
            GError            **error)
{
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length ((char **) jsons);

  for (guint i = 0; i < n; i++)
    {
      char *name = g_strdup_printf ("message_%u.json", i + 1);

      g_ptr_array_add (names, name);
      g_ptr_array_add (roots, hone_test_parse_json (name, jsons[i]));
    }
  return hone_read_messenger (log, (JsonNode **) roots->pdata,
                              (const char *const *) names->pdata, n, error);
}

static HoneChatlog *
read_ok (const char *const *jsons)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("inbox");
  g_autoptr(GError) error = NULL;

  g_assert_true (read_files (log, jsons, &error));
  g_assert_no_error (error);
  /* One thread is one conversation, or none without messages. */
  g_assert_cmpuint (log->conversations->len, <=, 1);
  return g_steal_pointer (&log);
}

static HoneChatlog *
read_one (const char *json)
{
  const char *jsons[] = { json, NULL };

  return read_ok (jsons);
}

static void
assert_refused (const char *const *jsons,
                const char        *file,
                const char        *words)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("inbox");
  g_autoptr(GError) error = NULL;

  g_assert_false (read_files (log, jsons, &error));
  hone_test_assert_refusal (error, HONE_IMPORT_ERROR_SHAPE, file, words);
  hone_test_assert_empty (log);
}

static void
assert_refused_one (const char *json,
                    const char *words)
{
  const char *jsons[] = { json, NULL };

  assert_refused (jsons, "message_1.json", words);
}

#define THREAD(messages) \
  "{'participants':[{'name':'Jo\\u00c3\\u00a3o Silva'},{'name':'Camille Dubois'}]," \
  "'messages':[" messages "],'title':'Jo\\u00c3\\u00a3o Silva','is_still_participant':true," \
  "'thread_path':'inbox/joaosilva_1234567890','magic_words':[]}"

#define MSG(sender, ms, content) \
  "{'sender_name':'" sender "','timestamp_ms':" ms ",'content':'" content "'," \
  "'is_geoblocked_for_viewer':false}"

static void
test_repair (void)
{
  struct { const char *in; const char *out; } cases[] = {
    /* Mojibake: each UTF-8 byte as its own character. */
    { "Jo\\u00c3\\u00a3o", "João" },
    { "M\\u00c3\\u00bcller", "Müller" },
    { "Avec plaisir \\u00f0\\u009f\\u0098\\u008a", "Avec plaisir 😊" },
    { "\\u00e2\\u009d\\u00a4", "❤" },
    { "plain ASCII", "plain ASCII" },
    /* Not valid UTF-8 once taken as bytes: kept as written. */
    { "Caf\\u00e9", "Café" },
    { "\\u00c3", "Ã" },
    { "\\u00c3\\u00a3\\u00c3", "Ã£Ã" },
    { "\\u00ed\\u00a0\\u0080", "í\xc2\xa0\xc2\x80" },       /* a surrogate */
    { "\\u00c0\\u00af", "À¯" },                          /* overlong */
    { "\\u00f4\\u0090\\u0080\\u0080", "ô\xc2\x90\xc2\x80\xc2\x80" }, /* above U+10FFFF */
    /* A character above U+00FF: the string is not mojibake. */
    { "Jo\\u00c3\\u00a3o \\u20ac", "JoÃ£o €" },
    { "\\u00c3\\u00a3 \\ud83d\\ude0a", "Ã£ 😊" },
    { "\\u00e9t\\u00e9 \\u0107", "été ć" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        THREAD ("{'sender_name':'%s','timestamp_ms':1705606200000,'content':'%s x'}"),
        cases[i].in, cases[i].in);
      g_autofree char *want_text = g_strstrip (g_strconcat (cases[i].out, " x", NULL));
      g_autoptr(HoneChatlog) log = read_one (json);
      HoneChatConversation *c = g_ptr_array_index (log->conversations, 0);

      g_test_message ("case %u: %s", i, cases[i].in);
      g_assert_cmpstr (c->title, ==, "João Silva");
      hone_test_assert_message (log, 0, 0, cases[i].out, "2024-01-18T19:30:00+00:00",
                                want_text, FALSE);
    }
}

static void
test_order (void)
{
  /* message_1.json holds the newest messages; each file lists newest first. */
  const char *jsons[] = {
    THREAD (MSG ("B", "5000", "e") "," MSG ("A", "4000", "d2") "," MSG ("B", "4000", "d1")),
    THREAD (MSG ("A", "3999", "c") "," MSG ("B", "2000", "b2") "," MSG ("A", "2000", "b1") ","
            MSG ("A", "1000", "a")),
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (jsons);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 7);
  hone_test_assert_message (log, 0, 0, "A", "1970-01-01T00:00:01+00:00", "a", FALSE);
  hone_test_assert_message (log, 0, 1, "A", "1970-01-01T00:00:02+00:00", "b1", FALSE);
  hone_test_assert_message (log, 0, 2, "B", "1970-01-01T00:00:02+00:00", "b2", FALSE);
  hone_test_assert_message (log, 0, 3, "A", "1970-01-01T00:00:03+00:00", "c", FALSE);
  hone_test_assert_message (log, 0, 4, "B", "1970-01-01T00:00:04+00:00", "d1", FALSE);
  hone_test_assert_message (log, 0, 5, "A", "1970-01-01T00:00:04+00:00", "d2", FALSE);
  hone_test_assert_message (log, 0, 6, "B", "1970-01-01T00:00:05+00:00", "e", FALSE);
}

/* Equal times come out in the reverse of their export order, across files too, and
 * files that are out of order are sorted by time. */
static void
test_order_equal_times (void)
{
  const char *jsons[] = {
    THREAD (MSG ("A", "1000", "x1") "," MSG ("A", "9000", "late")),
    THREAD (MSG ("A", "1000", "x2") "," MSG ("A", "500", "early")),
    THREAD (""),
    THREAD (MSG ("A", "1000", "x3")),
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (jsons);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 5);
  hone_test_assert_message (log, 0, 0, "A", "1970-01-01T00:00:00+00:00", "early", FALSE);
  hone_test_assert_message (log, 0, 1, "A", "1970-01-01T00:00:01+00:00", "x3", FALSE);
  hone_test_assert_message (log, 0, 2, "A", "1970-01-01T00:00:01+00:00", "x2", FALSE);
  hone_test_assert_message (log, 0, 3, "A", "1970-01-01T00:00:01+00:00", "x1", FALSE);
  hone_test_assert_message (log, 0, 4, "A", "1970-01-01T00:00:09+00:00", "late", FALSE);
}

static void
test_times (void)
{
  g_autoptr(HoneChatlog) log = read_one (THREAD (
    MSG ("A", "1706984879999", "ms dropped") ","
    MSG ("A", "1705606200000", "exact") ","
    MSG ("A", "-1", "before 1970") ","
    MSG ("A", "0", "epoch")));

  hone_test_assert_message (log, 0, 0, "A", "1969-12-31T23:59:59+00:00", "before 1970", FALSE);
  hone_test_assert_message (log, 0, 1, "A", "1970-01-01T00:00:00+00:00", "epoch", FALSE);
  hone_test_assert_message (log, 0, 2, "A", "2024-01-18T19:30:00+00:00", "exact", FALSE);
  hone_test_assert_message (log, 0, 3, "A", "2024-02-03T18:27:59+00:00", "ms dropped", FALSE);
}

static void
test_system (void)
{
  g_autoptr(HoneChatlog) log = read_one (THREAD (
    "{'sender_name':'A','timestamp_ms':9,'content':'A started a call.','call_duration':0},"
    "{'sender_name':'A','timestamp_ms':8,'content':'A called.','call_duration':null},"
    "{'sender_name':'A','timestamp_ms':7,'content':'A added B.','type':'Subscribe',"
    " 'users':[{'name':'B'}]},"
    "{'sender_name':'B','timestamp_ms':6,'content':'B left.','type':'Unsubscribe'},"
    "{'sender_name':'B','timestamp_ms':5,'content':'Call','type':'Call'},"
    "{'sender_name':'B','timestamp_ms':4,'is_unsent':true},"
    "{'sender_name':'B','timestamp_ms':3,'content':'kept','is_unsent':false},"
    "{'sender_name':'B','timestamp_ms':2,'content':'shared','type':'Share',"
    " 'share':{'link':'https://example.org'}},"
    "{'sender_name':'B','timestamp_ms':1,'content':'generic','type':'Generic'},"
    "{'sender_name':'B','timestamp_ms':0,'content':'B sent an attachment.'}"));

  g_assert_cmpuint (log->n_system, ==, 6);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 4);
  hone_test_assert_message (log, 0, 0, "B", "1970-01-01T00:00:00+00:00",
                            "B sent an attachment.", FALSE);
  hone_test_assert_message (log, 0, 1, "B", "1970-01-01T00:00:00+00:00", "generic", FALSE);
  hone_test_assert_message (log, 0, 2, "B", "1970-01-01T00:00:00+00:00", "shared", FALSE);
  hone_test_assert_message (log, 0, 3, "B", "1970-01-01T00:00:00+00:00", "kept", FALSE);
}

static void
test_media (void)
{
  g_autoptr(HoneChatlog) log = read_one (THREAD (
    "{'sender_name':'A','timestamp_ms':1000,"
    " 'photos':[{'uri':'photos/1.jpg','creation_timestamp':1}]},"
    "{'sender_name':'A','timestamp_ms':2000,'videos':[{'uri':'v.mp4'}],'content':'clip'},"
    "{'sender_name':'A','timestamp_ms':3000,'audio_files':[{'uri':'a.aac'}]},"
    "{'sender_name':'A','timestamp_ms':4000,'gifs':[{'uri':'g.gif'}]},"
    "{'sender_name':'A','timestamp_ms':5000,'files':[{'uri':'f.pdf'}]},"
    "{'sender_name':'A','timestamp_ms':6000,'sticker':{'uri':'s.png','ai_stickers':[]}},"
    "{'sender_name':'A','timestamp_ms':7000,'photos':[]},"
    "{'sender_name':'A','timestamp_ms':8000,'content':'link','share':{'link':'https://x'}},"
    "{'sender_name':'A','timestamp_ms':9000,'content':'liked',"
    " 'reactions':[{'reaction':'\\u00f0\\u009f\\u0091\\u008d','actor':'B'}]},"
    "{'sender_name':'A','timestamp_ms':10000,'sticker':null},"
    "{'sender_name':'A','timestamp_ms':11000}"));

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 8);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 6);
  hone_test_assert_message (log, 0, 0, "A", "1970-01-01T00:00:01+00:00", "", TRUE);
  hone_test_assert_message (log, 0, 1, "A", "1970-01-01T00:00:02+00:00", "clip", TRUE);
  hone_test_assert_message (log, 0, 5, "A", "1970-01-01T00:00:06+00:00", "", TRUE);
  hone_test_assert_message (log, 0, 6, "A", "1970-01-01T00:00:08+00:00", "link", FALSE);
  hone_test_assert_message (log, 0, 7, "A", "1970-01-01T00:00:09+00:00", "liked", FALSE);
}

static void
test_only_system (void)
{
  g_autoptr(HoneChatlog) log = read_one (THREAD (
    "{'sender_name':'A','timestamp_ms':9,'content':'A called.','call_duration':12},"
    "{'sender_name':'A','timestamp_ms':8,'content':'  '}"));

  g_assert_cmpuint (log->conversations->len, ==, 0);
  g_assert_cmpuint (log->n_system, ==, 1);
}

static void
test_shapes (void)
{
  const char *second_bad[] = {
    THREAD (MSG ("A", "2", "fine")),
    THREAD ("{'sender_name':'A','timestamp_ms':'1705606200000','content':'x'}"),
    NULL,
  };

  /* Like broken/messenger-timestamp-string.json. */
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':'1705606200000'}"),
                      "`timestamp_ms`");
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':1705606200000.5}"),
                      "`timestamp_ms`");
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':1.7e12}"), "`timestamp_ms`");
  assert_refused_one (THREAD ("{'sender_name':'A'}"), "`timestamp_ms`");
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':null}"), "`timestamp_ms`");
  /* System events need the shape too. */
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':'1','call_duration':3}"),
                      "`timestamp_ms`");
  assert_refused_one (THREAD ("{'timestamp_ms':1}"), "`sender_name`");
  assert_refused_one (THREAD ("{'sender_name':null,'timestamp_ms':1}"), "`sender_name`");
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':1,'content':5}"),
                      "`content`");
  assert_refused_one (THREAD ("{'sender_name':'A','timestamp_ms':1,'content':['x']}"),
                      "`content`");
  assert_refused_one (THREAD ("'hello'"), "`messages`");
  assert_refused_one ("{'participants':[],'messages':{}}", "`messages`");
  assert_refused_one ("{'participants':[]}", "`messages`");
  assert_refused_one ("[]", "`messages`");
  assert_refused (second_bad, "message_2.json", "`timestamp_ms`");
}

static void
test_untouched_on_failure (void)
{
  g_autoptr(HoneChatlog) log = read_one (THREAD (MSG ("A", "1", "kept")));
  g_autoptr(GError) error = NULL;
  const char *jsons[] = {
    THREAD ("{'sender_name':'A','timestamp_ms':9,'call_duration':1}," MSG ("A", "2", "new")),
    THREAD ("{'sender_name':'A','timestamp_ms':'1'}"),
    NULL,
  };

  g_assert_false (read_files (log, jsons, &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SHAPE);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/messenger/repair", test_repair);
  g_test_add_func ("/hone/messenger/order", test_order);
  g_test_add_func ("/hone/messenger/order-equal-times", test_order_equal_times);
  g_test_add_func ("/hone/messenger/times", test_times);
  g_test_add_func ("/hone/messenger/system", test_system);
  g_test_add_func ("/hone/messenger/media", test_media);
  g_test_add_func ("/hone/messenger/only-system", test_only_system);
  g_test_add_func ("/hone/messenger/shapes", test_shapes);
  g_test_add_func ("/hone/messenger/untouched-on-failure", test_untouched_on_failure);

  return g_test_run ();
}
