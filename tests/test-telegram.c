/* test-telegram.c — the Telegram Desktop JSON reader (README section 6): records, authors,
 * text arrays, media, whole-account exports and the shapes it refuses.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

/* Inline JSON is written with ' for " to keep it readable. */
static HoneChatlog *
read_ok (const char *json)
{
  return hone_test_read_json (hone_read_telegram, "result.json", json);
}

static void
assert_refused (const char *json,
                const char *words)
{
  hone_test_assert_json_refused (hone_read_telegram, "result.json", json, words);
}

#define MSG(from, text) \
  "{'type':'message','date':'2024-01-15T21:41:05','from':" from ",'text':" text "}"

static void
test_one_chat (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'Lena','type':'personal_chat','id':1,'messages':["
    "{'id':1,'type':'message','date':'2024-02-10T18:02:11','date_unixtime':'1707584531',"
    " 'from':'Lena Hoffmann','from_id':'user1','text':'  Hey!\\r\\nna?  ',"
    " 'text_entities':[{'type':'plain','text':'ignored'}]},"
    "{'id':2,'type':'message','date':'2024-02-10T18:03:40','from':'Jonas','text':'Klar'}"
    "]}");
  HoneChatConversation *c;

  g_assert_cmpuint (log->conversations->len, ==, 1);
  c = g_ptr_array_index (log->conversations, 0);
  g_assert_cmpstr (c->title, ==, "Lena");
  g_assert_cmpuint (c->messages->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 0);
  hone_test_assert_message (log, 0, 0, "Lena Hoffmann", "2024-02-10T18:02:11", "Hey!\nna?", FALSE);
  hone_test_assert_message (log, 0, 1, "Jonas", "2024-02-10T18:03:40", "Klar", FALSE);
}

static void
test_text_array (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'type':'personal_chat','id':1,'messages':["
    MSG ("'Jonas'", "['Schau mal: ',{'type':'link','text':'https://example.org/a'},' – ok']") ","
    MSG ("'Jonas'", "[{'type':'bold','text':'Wichtig:'},' Schlafsack',"
                    "{'type':'mention','text':'@lena'},{'type':'code','text':''},"
                    "{'type':'text_link','text':'hier','href':'https://example.org'}]") ","
    MSG ("'Jonas'", "[]") ","
    MSG ("'Jonas'", "['  ',{'type':'plain','text':' '}]")
    "]}");

  g_assert_cmpuint (log->conversations->len, ==, 1);
  hone_test_assert_message (log, 0, 0, "Jonas", "2024-01-15T21:41:05",
                            "Schau mal: https://example.org/a – ok", FALSE);
  hone_test_assert_message (log, 0, 1, "Jonas", "2024-01-15T21:41:05",
                            "Wichtig: Schlafsack@lenahier", FALSE);
  /* Empty texts without media are dropped. */
  g_assert_cmpuint (((HoneChatConversation *) g_ptr_array_index (log->conversations, 0))
                    ->messages->len, ==, 2);
  /* Saved messages have no name. */
  g_assert_null (((HoneChatConversation *) g_ptr_array_index (log->conversations, 0))->title);
}

static void
test_deleted_account (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'G','type':'private_group','id':1,'messages':["
    MSG ("null", "'one'") ","
    "{'type':'message','date':'2024-01-15T21:41:06','text':'two'},"
    MSG ("''", "'three'") ","
    MSG ("' Anna '", "'four'")
    "]}");

  hone_test_assert_message (log, 0, 0, "Deleted Account", "2024-01-15T21:41:05", "one", FALSE);
  hone_test_assert_message (log, 0, 1, "Deleted Account", "2024-01-15T21:41:06", "two", FALSE);
  hone_test_assert_message (log, 0, 2, "", "2024-01-15T21:41:05", "three", FALSE);
  hone_test_assert_message (log, 0, 3, "Anna", "2024-01-15T21:41:05", "four", FALSE);
}

static void
test_records (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'G','type':'private_group','id':1,'messages':["
    "{'type':'service','date':'2024-01-15T21:00:00','actor':'Anna','action':'create_group',"
    " 'title':'G','members':['Anna','Ben'],'text':''},"
    "{'type':'unsupported','date':'2024-01-15T21:00:01','from':'Anna','text':'huh'},"
    MSG ("'Anna'", "'hi'") ","
    "{'type':'service','actor':'Ben','action':'phone_call','duration_seconds':3},"
    "{'type':'service','action':'pin_message','text':42},"
    "{'type':'sticker_set','whatever':[1,2]}"
    "]}");

  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 3);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  hone_test_assert_message (log, 0, 0, "Anna", "2024-01-15T21:41:05", "hi", FALSE);
}

static void
test_media (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'G','type':'personal_chat','id':1,'messages':["
    "{'type':'message','date':'2024-01-15T21:41:05','from':'A',"
    " 'photo':'photos/photo_1@15-01-2024_21-41-05.jpg','width':1280,'height':960,"
    " 'text':'Ausblick'},"
    "{'type':'message','date':'2024-01-15T21:41:06','from':'A','file':'stickers/s.webp',"
    " 'media_type':'sticker','sticker_emoji':'x','text':'','text_entities':[]},"
    "{'type':'message','date':'2024-01-15T21:41:07','from':'A',"
    " 'file':'(File not included. Change data exporting settings to download.)',"
    " 'media_type':'voice_message','text':''},"
    "{'type':'message','date':'2024-01-15T21:41:08','from':'A','photo':null},"
    "{'type':'message','date':'2024-01-15T21:41:09','from':'A','text':'',"
    " 'thumbnail':'x.jpg','media_type':'video_file'}"
    "]}");

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 4);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 4);
  hone_test_assert_message (log, 0, 0, "A", "2024-01-15T21:41:05", "Ausblick", TRUE);
  hone_test_assert_message (log, 0, 1, "A", "2024-01-15T21:41:06", "", TRUE);
  hone_test_assert_message (log, 0, 2, "A", "2024-01-15T21:41:07", "", TRUE);
  hone_test_assert_message (log, 0, 3, "A", "2024-01-15T21:41:08", "", TRUE);
}

static void
test_account (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'about':'Here is the data you requested.',"
    " 'personal_information':{'first_name':'Jonas'},"
    " 'contacts':{'about':'','list':[]},"
    " 'chats':{'about':'This page lists all chats.','list':["
    "  {'name':'Zugspitze','type':'private_group','id':3,'messages':["
    MSG ("'Jonas'", "'Packliste'") "]},"
    "  {'name':'Empty','type':'personal_chat','id':4,'messages':["
    "   {'type':'service','actor':'Mia','action':'phone_call'},"
    MSG ("'Mia'", "''") "]},"
    "  {'type':'saved_messages','id':5,'messages':[" MSG ("'Jonas'", "'note'") "]},"
    "  {'name':'Mia','type':'personal_chat','id':6,'messages':["
    MSG ("'Mia'", "'Hi'") "," MSG ("'Jonas'", "'Hallo'") "]}"
    " ]},"
    " 'left_chats':{'about':'','list':["
    "  {'name':'Old','type':'public_supergroup','id':7,'messages':[" MSG ("'X'", "'gone'") "]},"
    "  {'broken':true}"
    " ]}}");
  HoneChatConversation *c;

  g_assert_cmpuint (log->conversations->len, ==, 3);
  g_assert_cmpuint (log->n_system, ==, 1);
  c = g_ptr_array_index (log->conversations, 0);
  g_assert_cmpstr (c->title, ==, "Zugspitze");
  c = g_ptr_array_index (log->conversations, 1);
  g_assert_null (c->title);
  c = g_ptr_array_index (log->conversations, 2);
  g_assert_cmpstr (c->title, ==, "Mia");
  hone_test_assert_message (log, 0, 0, "Jonas", "2024-01-15T21:41:05", "Packliste", FALSE);
  hone_test_assert_message (log, 1, 0, "Jonas", "2024-01-15T21:41:05", "note", FALSE);
  hone_test_assert_message (log, 2, 0, "Mia", "2024-01-15T21:41:05", "Hi", FALSE);
  hone_test_assert_message (log, 2, 1, "Jonas", "2024-01-15T21:41:05", "Hallo", FALSE);
}

static void
test_account_empty_list (void)
{
  g_autoptr(HoneChatlog) log = read_ok ("{'chats':{'list':[]},'left_chats':{'list':[]}}");

  g_assert_cmpuint (log->conversations->len, ==, 0);
  g_assert_cmpuint (log->n_system, ==, 0);
}

static void
test_shapes (void)
{
  assert_refused ("{'name':'x','type':'personal_chat','id':1,'messages':{'id':1}}",
                  "`messages`");
  assert_refused ("{'name':'x','type':'personal_chat','id':1,'messages':null}", "`messages`");
  assert_refused ("{'name':'x','type':'personal_chat','id':1}", "`messages`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':[1]}", "`messages`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':[{'date':'x'}]}", "`type`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':[{'type':3}]}", "`type`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','from':'A','text':'x'}]}", "`date`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':1705354865,'from':'A','text':'x'}]}", "`date`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'15.01.2024 21:41','from':'A','text':'x'}]}",
                  "`date`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-02-30T21:41:05','from':'A','text':'x'}]}",
                  "`date`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05+01:00','from':'A','text':'x'}]}",
                  "`date`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':7,'text':'x'}]}",
                  "`from`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A','text':12}]}",
                  "`text`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A','text':null}]}",
                  "`text`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A',"
                  "'text':{'text':'x'}}]}",
                  "`text`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A','text':['a',1]}]}",
                  "`text`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A',"
                  "'text':[{'type':'bold'}]}]}",
                  "`text`");
  assert_refused ("{'type':'personal_chat','id':1,'messages':["
                  "{'type':'message','date':'2024-01-15T21:41:05','from':'A',"
                  "'text':[{'type':'bold','text':null}]}]}",
                  "`text`");
  assert_refused ("{'chats':[]}", "`chats`");
  assert_refused ("{'chats':{'about':''}}", "`list`");
  assert_refused ("{'chats':{'list':{}}}", "`list`");
  assert_refused ("{'chats':{'list':['chat']}}", "`list`");
  assert_refused ("{'chats':{'list':[{'name':'x','type':'personal_chat','id':1}]}}",
                  "`messages`");
  assert_refused ("[{'messages':[]}]", "`messages`");
}

/* A refused file leaves what was read before as it was. */
static void
test_untouched_on_failure (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'x','type':'personal_chat','id':1,'messages':[" MSG ("'A'", "'kept'") "]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *json =
    "{\"chats\":{\"list\":["
    "{\"name\":\"ok\",\"type\":\"personal_chat\",\"id\":1,\"messages\":["
    "{\"type\":\"service\"},"
    "{\"type\":\"message\",\"date\":\"2024-01-15T21:41:05\",\"from\":\"B\",\"text\":\"new\"}]},"
    "{\"name\":\"bad\",\"type\":\"personal_chat\",\"id\":2,\"messages\":["
    "{\"type\":\"message\",\"date\":\"yesterday\",\"from\":\"B\",\"text\":\"x\"}]}]}}";

  root = hone_json_parse ("result.json", json, strlen (json), 1, &error);
  g_assert_no_error (error);
  g_assert_false (hone_read_telegram (log, "result.json", root, &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SHAPE);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
}

/* Appends to what is there, as the dispatcher does for several files. */
static void
test_appends (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "{'name':'x','type':'personal_chat','id':1,'messages':[" MSG ("'A'", "'one'") "]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *json =
    "{\"name\":\"y\",\"type\":\"personal_chat\",\"id\":2,\"messages\":["
    "{\"type\":\"service\"},"
    "{\"type\":\"message\",\"date\":\"2024-01-16T08:00:00\",\"from\":\"B\",\"text\":\"two\"}]}";

  root = hone_json_parse ("result.json", json, strlen (json), 1, &error);
  g_assert_no_error (error);
  g_assert_true (hone_read_telegram (log, "result.json", root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 1);
  hone_test_assert_message (log, 1, 0, "B", "2024-01-16T08:00:00", "two", FALSE);
}

/* Big exports stay fast: 100 000 messages parse and read in well under the budget. */
static void
test_many (void)
{
  g_autoptr(GString) json = g_string_new ("{\"name\":\"big\",\"type\":\"personal_chat\","
                                          "\"id\":1,\"messages\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("result.json");
  const guint n = 100000;
  gint64 start;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json,
                            "%s\n {\n  \"id\": %u,\n  \"type\": \"message\",\n"
                            "  \"date\": \"2024-01-%02uT%02u:%02u:%02u\",\n"
                            "  \"from\": \"%s\",\n  \"from_id\": \"user%u\",\n"
                            "  \"text\": [\"message %u with \", {\"type\": \"bold\", "
                            "\"text\": \"some bold\"}, \" text\"],\n"
                            "  \"text_entities\": [{\"type\": \"plain\", \"text\": \"x\"}]\n }",
                            i == 0 ? "" : ",", i, 1 + i / 86400 % 28, i / 3600 % 24,
                            i / 60 % 60, i % 60, i % 2 ? "Lena" : "Jonas", i % 2, i);
  g_string_append (json, "]}");

  start = g_get_monotonic_time ();
  root = hone_json_parse ("result.json", json->str, json->len, 1, &error);
  g_assert_no_error (error);
  g_assert_true (hone_read_telegram (log, "result.json", root, &error));
  g_assert_no_error (error);
  g_test_message ("%u messages (%zu bytes) in %.2f s", n, json->len,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, n);
  hone_test_assert_message (log, 0, 1, "Lena", "2024-01-01T00:00:01",
                            "message 1 with some bold text", FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/telegram/one-chat", test_one_chat);
  g_test_add_func ("/hone/telegram/text-array", test_text_array);
  g_test_add_func ("/hone/telegram/deleted-account", test_deleted_account);
  g_test_add_func ("/hone/telegram/records", test_records);
  g_test_add_func ("/hone/telegram/media", test_media);
  g_test_add_func ("/hone/telegram/account", test_account);
  g_test_add_func ("/hone/telegram/account-empty-list", test_account_empty_list);
  g_test_add_func ("/hone/telegram/shapes", test_shapes);
  g_test_add_func ("/hone/telegram/untouched-on-failure", test_untouched_on_failure);
  g_test_add_func ("/hone/telegram/appends", test_appends);
  g_test_add_func ("/hone/telegram/many", test_many);

  return g_test_run ();
}
