/* test-discord.c — the DiscordChatExporter JSON reader (README section 7): messages and
 * system events, authors, media, times and the shapes it refuses.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

#define NAME "general.json"

/* A channel file around @messages; inline JSON is written with ' for " to keep it
 * readable. */
static char *
channel_file (const char *messages)
{
  return g_strdup_printf (
    "{'guild':{'id':'1','name':'Pixel Pioneers','iconUrl':'x'},"
    " 'channel':{'id':'2','type':'GuildTextChat','category':'Text','name':'general',"
    "  'topic':null},"
    " 'dateRange':{'after':null,'before':null},'exportedAt':'2024-02-04T10:15:33.812+01:00',"
    " 'messages':%s,'messageCount':0}", messages);
}

static HoneChatlog *
read_ok (const char *messages)
{
  g_autofree char *json = channel_file (messages);
  HoneChatlog *log = hone_test_read_json (hone_read_discord, NAME, json);

  /* One file is one conversation, or none without messages. */
  g_assert_cmpuint (log->conversations->len, <=, 1);
  return log;
}

static void
assert_refused (const char *messages,
                const char *words)
{
  g_autofree char *json = channel_file (messages);

  hone_test_assert_json_refused (hone_read_discord, NAME, json, words);
}

/* A record with the usual keys; AUTHOR is the inside of the author object, ARRAYS the
 * attachments, embeds and stickers (DiscordChatExporter writes all three, often empty). */
#define REC(type, timestamp, author, content, arrays) \
  "{'id':'10','type':'" type "','timestamp':'" timestamp "','timestampEdited':null," \
  "'callEndedTimestamp':null,'isPinned':false,'content':" content "," \
  "'author':{'id':'7','discriminator':'0000','isBot':false,'roles':[]," author "}," \
  "'reactions':[],'mentions':[]," arrays "}"

#define EMPTY "'attachments':[],'embeds':[],'stickers':[]"

#define T "2024-02-03T19:04:11.482+01:00"

static void
test_messages (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "[" REC ("Default", T, "'name':'pixelpaula','nickname':'Paula \\ud83c\\udfae'",
             "'Reminder: game night \\ud83c\\udf89'", EMPTY) ","
    REC ("GuildMemberJoin", T, "'name':'marek.dev','nickname':'Marek'",
         "'Joined the server.'", EMPTY) ","
    REC ("Reply", T, "'name':'marek.dev','nickname':'Marek'", "'  guilty\\r\\n  '",
         EMPTY ",'reference':{'messageId':'9','channelId':'2','guildId':'1'}") ","
    REC ("ChannelPinnedMessage", T, "'name':'pixelpaula'", "'Pinned a message.'", EMPTY) ","
    REC ("ThreadCreated", T, "'name':'a'", "'t'", EMPTY) ","
    REC ("Call", T, "'name':'a'", "''", EMPTY) ","
    REC ("RecipientAdd", T, "'name':'a'", "''", EMPTY) ","
    REC ("ChannelNameChange", T, "'name':'a'", "'x'", EMPTY) ","
    REC ("default", T, "'name':'a'", "'lower-case type is not Default'", EMPTY) ","
    REC ("Default", T, "'name':'Pioneer Bot','nickname':'Pioneer Bot'", "''",
         "'attachments':[],'stickers':[],'embeds':[{'title':'Lobby','url':'https://example.org'}]")
    "]");
  HoneChatConversation *c = g_ptr_array_index (log->conversations, 0);

  g_assert_cmpstr (c->title, ==, "general");
  g_assert_cmpuint (c->messages->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 7);
  hone_test_assert_message (log, 0, 0, "Paula 🎮", "2024-02-03T19:04:11+01:00",
                            "Reminder: game night 🎉", FALSE);
  hone_test_assert_message (log, 0, 1, "Marek", "2024-02-03T19:04:11+01:00", "guilty", FALSE);
}

static void
test_authors (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "[" REC ("Default", T, "'name':'frostbyte_','nickname':'frostbyte_'", "'1'", EMPTY) ","
    REC ("Default", T, "'name':'nikotheknight','nickname':''", "'2'", EMPTY) ","
    REC ("Default", T, "'name':'nikotheknight','nickname':null", "'3'", EMPTY) ","
    REC ("Default", T, "'name':'nikotheknight'", "'4'", EMPTY) ","
    REC ("Default", T, "'name':'nikotheknight','nickname':' Niko '", "'5'", EMPTY) ","
    REC ("Default", T, "'name':'nikotheknight','nickname':42", "'6'", EMPTY)
    "]");

  hone_test_assert_message (log, 0, 0, "frostbyte_", "2024-02-03T19:04:11+01:00", "1", FALSE);
  hone_test_assert_message (log, 0, 1, "nikotheknight", "2024-02-03T19:04:11+01:00", "2", FALSE);
  hone_test_assert_message (log, 0, 2, "nikotheknight", "2024-02-03T19:04:11+01:00", "3", FALSE);
  hone_test_assert_message (log, 0, 3, "nikotheknight", "2024-02-03T19:04:11+01:00", "4", FALSE);
  hone_test_assert_message (log, 0, 4, "Niko", "2024-02-03T19:04:11+01:00", "5", FALSE);
  hone_test_assert_message (log, 0, 5, "nikotheknight", "2024-02-03T19:04:11+01:00", "6", FALSE);
}

static void
test_media (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "[" REC ("Default", T, "'name':'a'", "''",
             "'attachments':[{'id':'1','url':'map.png','fileName':'map.png',"
             "'fileSizeBytes':1024}],'embeds':[],'stickers':[]") ","
    REC ("Default", T, "'name':'b'", "'gg'",
         "'attachments':[],'embeds':[],"
         "'stickers':[{'id':'7','name':'wave','format':'Apng','sourceUrl':'x'}]") ","
    REC ("Reply", T, "'name':'c'", "'see link'",
         "'attachments':[],'stickers':[],"
         "'embeds':[{'title':'x','url':'https://example.org','thumbnail':{'url':'y'}}]") ","
    REC ("Default", T, "'name':'d'", "''", "'attachments':[],'embeds':[{'title':'x'}]") ","
    REC ("Default", T, "'name':'e'", "'no arrays'", "'embeds':[]") ","
    REC ("Default", T, "'name':'f'", "''", "'attachments':[{'url':'a.ogg'}]") ","
    REC ("Default", T, "'name':'g'", "'bare'", EMPTY) "]");

  /* d: an embed alone is not media, and without text the message is dropped. */
  hone_test_assert_message (log, 0, 0, "a", "2024-02-03T19:04:11+01:00", "", TRUE);
  hone_test_assert_message (log, 0, 1, "b", "2024-02-03T19:04:11+01:00", "gg", TRUE);
  hone_test_assert_message (log, 0, 2, "c", "2024-02-03T19:04:11+01:00", "see link", FALSE);
  hone_test_assert_message (log, 0, 3, "e", "2024-02-03T19:04:11+01:00", "no arrays", FALSE);
  hone_test_assert_message (log, 0, 4, "f", "2024-02-03T19:04:11+01:00", "", TRUE);
  hone_test_assert_message (log, 0, 5, "g", "2024-02-03T19:04:11+01:00", "bare", FALSE);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 6);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 3);
}

static void
test_times (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "2024-02-03T19:04:11.482+01:00", "2024-02-03T19:04:11+01:00" },
    { "2024-02-03T19:04:11+01:00", "2024-02-03T19:04:11+01:00" },
    { "2024-02-05T20:14:09.5Z", "2024-02-05T20:14:09+00:00" },
    { "2024-02-05T20:14:09Z", "2024-02-05T20:14:09+00:00" },
    { "2024-02-05T20:14:09.1234567+00:00", "2024-02-05T20:14:09+00:00" },
    { "2024-02-05T20:14:09.999-05:00", "2024-02-05T20:14:09-05:00" },
    { "2024-02-05T20:14:09.0+05:45", "2024-02-05T20:14:09+05:45" },
    { "2024-02-29T23:59:59.999-09:30", "2024-02-29T23:59:59-09:30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *records = g_strdup_printf (
        "[{'type':'Default','timestamp':'%s','content':'x','author':{'name':'a'}}]",
        cases[i].in);
      g_autoptr(HoneChatlog) log = read_ok (records);

      hone_test_assert_message (log, 0, 0, "a", cases[i].out, "x", FALSE);
    }
}

static void
test_bad_times (void)
{
  const char *bad[] = {
    "2024-02-03T19:04:11",          /* no offset */
    "2024-02-03T19:04:11.482",
    "2024-02-03 19:04:11+01:00x",
    "2024-02-03T19:04:11.+01:00",
    "2024-02-30T19:04:11+01:00",
    "2024-02-03T24:04:11+01:00",
    "2024-02-03T19:04:11+24:00",
    "2024-02-03T19:04:11+01:60",
    "2024-02-03T19:04+01:00",
    "03.02.2024 19:04",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *records = g_strdup_printf (
        "[{'type':'Default','timestamp':'%s','content':'x','author':{'name':'a'}}]", bad[i]);

      assert_refused (records, "`timestamp`");
    }
}

static void
test_shapes (void)
{
  /* Like broken/discord-no-author.json. */
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x'}]", "author");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x','author':'a'}]",
                  "`author`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x','author':null}]",
                  "`author`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x','author':{'id':'1'}}]",
                  "`author`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x',"
                  "'author':{'name':null,'nickname':'N'}}]", "`name`");
  assert_refused ("[{'timestamp':'" T "','content':'x','author':{'name':'a'}}]", "`type`");
  assert_refused ("[{'type':0,'timestamp':'" T "','content':'x','author':{'name':'a'}}]",
                  "`type`");
  assert_refused ("[{'type':'Default','content':'x','author':{'name':'a'}}]", "`timestamp`");
  assert_refused ("[{'type':'Default','timestamp':1707000000,'content':'x',"
                  "'author':{'name':'a'}}]", "`timestamp`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','author':{'name':'a'}}]",
                  "`content`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':null,"
                  "'author':{'name':'a'}}]", "`content`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x',"
                  "'author':{'name':'a'},'attachments':{}}]", "`attachments`");
  assert_refused ("[{'type':'Default','timestamp':'" T "','content':'x',"
                  "'author':{'name':'a'},'stickers':null}]", "`stickers`");
  /* System events are checked too. */
  assert_refused ("[{'type':'GuildMemberJoin','timestamp':'" T "','content':'x'}]", "author");
  assert_refused ("['x']", "`messages`");
  assert_refused ("{'a':1}", "`messages`");
  assert_refused ("null", "`messages`");
}

static void
test_no_messages (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "[" REC ("GuildMemberJoin", T, "'name':'a'", "'Joined the server.'", EMPTY) ","
    REC ("Default", T, "'name':'a'", "'  '", EMPTY) "]");

  /* The conversation is not kept, its system event still counts. */
  g_assert_cmpuint (log->conversations->len, ==, 0);
  g_assert_cmpuint (log->n_system, ==, 1);
}

static void
test_untouched_on_failure (void)
{
  g_autoptr(HoneChatlog) log = read_ok (
    "[" REC ("Default", T, "'name':'a'", "'kept'", EMPTY) "]");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *json =
    "{\"guild\":{},\"messages\":["
    "{\"type\":\"GuildMemberJoin\",\"timestamp\":\"" T "\",\"content\":\"\","
    "\"author\":{\"name\":\"b\"}},"
    "{\"type\":\"Default\",\"timestamp\":\"" T "\",\"content\":\"new\","
    "\"author\":{\"name\":\"b\"}},"
    "{\"type\":\"Default\",\"timestamp\":\"" T "\",\"content\":\"bad\"}]}";

  root = hone_json_parse (NAME, json, strlen (json), 1, &error);
  g_assert_no_error (error);
  g_assert_false (hone_read_discord (log, NAME, root, &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SHAPE);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);

  /* A second channel file is appended after the first. */
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);
  json = "{\"guild\":{},\"channel\":{\"name\":\"lfg\"},\"messages\":["
         "{\"type\":\"Default\",\"timestamp\":\"" T "\",\"content\":\"new\","
         "\"author\":{\"name\":\"b\"}}]}";
  root = hone_json_parse (NAME, json, strlen (json), 1, &error);
  g_assert_true (hone_read_discord (log, NAME, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpstr (hone_test_title (log, 1), ==, "lfg");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/discord/messages", test_messages);
  g_test_add_func ("/hone/discord/authors", test_authors);
  g_test_add_func ("/hone/discord/media", test_media);
  g_test_add_func ("/hone/discord/times", test_times);
  g_test_add_func ("/hone/discord/bad-times", test_bad_times);
  g_test_add_func ("/hone/discord/shapes", test_shapes);
  g_test_add_func ("/hone/discord/no-messages", test_no_messages);
  g_test_add_func ("/hone/discord/untouched-on-failure", test_untouched_on_failure);

  return g_test_run ();
}
