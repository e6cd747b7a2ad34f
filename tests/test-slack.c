/* test-slack.c — the Slack export reader (README section 8): conversations from the
 * lists, day files, order by ts, authors, system events, media and the shapes it refuses
 * (naming the file inside the export).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import-private.h"

#include "hone-test-util.h"

#define USERS \
  "[{'id':'U1','name':'nadia','real_name':'Nadia Okafor'," \
  "  'profile':{'real_name':'Nadia Okafor','display_name':'nadia'}}," \
  " {'id':'U2','name':'tom.becker','real_name':'Tom Becker'," \
  "  'profile':{'real_name':'Tom Becker','display_name':''}}," \
  " {'id':'U3','name':'raj','real_name':'Raj Patel'," \
  "  'profile':{'real_name':' ','display_name':'\\u00a0\\u3000'}}," \
  " {'id':'U4','name':'ines','real_name':null,'profile':null}," \
  " {'id':'U5','name':'','real_name':'','profile':{'real_name':'','display_name':''}}," \
  " {'id':'U6','profile':{'display_name':' Spaced \\r\\n'}}," \
  " {'id':'U1','name':'duplicate','profile':{'display_name':'second U1'}}," \
  " {'name':'no id'}, 'not an object', 7]"

#define CHANNELS \
  "[{'id':'C1','name':'general','created':1709283600,'members':['U1','U2']}," \
  " {'id':'C2','name':'dev'}]"

/* A folder written from (path, content) pairs, with ' written for " in the content. */
static char *
make_folder (const char *const *files)
{
  char *dir = hone_test_make_temp_dir ("hone-slack-XXXXXX");

  for (guint i = 0; files[i] != NULL; i += 2)
    {
      g_autofree char *content = hone_test_json_quotes (files[i + 1]);

      g_free (hone_test_write_file (dir, files[i], content, -1));
    }
  return dir;
}

/* The same as a zip file in a temporary folder; returns the folder. */
static char *
make_zip (const char *const *files,
          char              **zip_path)
{
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (HoneTestZipMember));
  char *dir = hone_test_make_temp_dir ("hone-slack-zip-XXXXXX");

  for (guint i = 0; files[i] != NULL; i += 2)
    {
      char *content = hone_test_json_quotes (files[i + 1]);
      HoneTestZipMember member = { files[i], content, -1 };

      g_ptr_array_add (contents, content);
      g_array_append_val (members, member);
    }
  *zip_path = hone_test_write_zip (dir, "export.zip", (HoneTestZipMember *) members->data,
                                   members->len);
  return dir;
}

static gboolean
read_path (HoneChatlog  *log,
           const char   *path,
           const char   *root,
           GError      **error)
{
  g_autoptr(HoneBundle) bundle = NULL;
  g_autoptr(GError) open_error = NULL;

  bundle = hone_bundle_open (path, NULL, &open_error);
  g_assert_no_error (open_error);
  return hone_read_slack (log, bundle, root, error);
}

static HoneChatlog *
read_files (const char *const  *files,
            const char         *root,
            GError            **error)
{
  g_autofree char *dir = make_folder (files);
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("export");
  gboolean ok = read_path (log, dir, root, error);

  hone_test_remove_tree (dir);
  return ok ? g_steal_pointer (&log) : NULL;
}

static HoneChatlog *
read_ok (const char *const *files)
{
  g_autoptr(GError) error = NULL;
  HoneChatlog *log = read_files (files, "", &error);

  g_assert_no_error (error);
  g_assert_nonnull (log);
  return log;
}

static void
assert_refused (const char *const *files,
                HoneImportError    code,
                const char        *words1,
                const char        *words2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = read_files (files, "", &error);

  g_assert_null (log);
  hone_test_assert_refusal (error, code, NULL, words1);
  g_test_message ("refused: %s", error->message);
  if (words2 != NULL)
    hone_test_assert_mentions (error, words2);
}

#define M(user, ts, text) "{'type':'message','user':'" user "','ts':'" ts "','text':'" text "'}"

static void
test_authors (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json",
    "[" M ("U1", "1709286300.000200", "display name") ","
    M ("U2", "1709286301.000100", "profile real name") ","
    M ("U3", "1709286302.000100", "top real name") ","
    M ("U4", "1709286303.000100", "name") ","
    M ("U5", "1709286304.000100", "id") ","
    M ("U6", "1709286305.000100", "finished") ","
    "{'type':'message','user':'U9','ts':'1709286306.000100','text':'user_profile',"
    " 'user_profile':{'real_name':'Guest Real','display_name':'','name':'guest'}},"
    "{'type':'message','user':'U9','ts':'1709286307.000100','text':'user_profile name',"
    " 'user_profile':{'real_name':' ','display_name':null,'name':'guest'}},"
    "{'type':'message','user':'U9','ts':'1709286308.000100','text':'unknown id'},"
    "{'type':'message','user':'U1','ts':'1709286309.000100','text':'known beats profile',"
    " 'user_profile':{'display_name':'other'}},"
    "{'type':'message','ts':'1709286310.000100','text':'no user',"
    " 'user_profile':{'display_name':'from profile'}}"
    "]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpstr (hone_test_title (log, 0), ==, "general");
  hone_test_assert_message (log, 0, 0, "nadia", "2024-03-01T09:45:00+00:00", "display name", FALSE);
  hone_test_assert_message (log, 0, 1, "Tom Becker", "2024-03-01T09:45:01+00:00",
                            "profile real name", FALSE);
  hone_test_assert_message (log, 0, 2, "Raj Patel", "2024-03-01T09:45:02+00:00",
                            "top real name", FALSE);
  hone_test_assert_message (log, 0, 3, "ines", "2024-03-01T09:45:03+00:00", "name", FALSE);
  hone_test_assert_message (log, 0, 4, "U5", "2024-03-01T09:45:04+00:00", "id", FALSE);
  hone_test_assert_message (log, 0, 5, "Spaced", "2024-03-01T09:45:05+00:00", "finished", FALSE);
  hone_test_assert_message (log, 0, 6, "Guest Real", "2024-03-01T09:45:06+00:00",
                            "user_profile", FALSE);
  hone_test_assert_message (log, 0, 7, "guest", "2024-03-01T09:45:07+00:00",
                            "user_profile name", FALSE);
  hone_test_assert_message (log, 0, 8, "U9", "2024-03-01T09:45:08+00:00", "unknown id", FALSE);
  hone_test_assert_message (log, 0, 9, "nadia", "2024-03-01T09:45:09+00:00",
                            "known beats profile", FALSE);
  hone_test_assert_message (log, 0, 10, "from profile", "2024-03-01T09:45:10+00:00",
                            "no user", FALSE);
}

static void
test_bots (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "dev/2024-03-01.json",
    "[{'type':'message','subtype':'bot_message','ts':'1','username':'GitHub',"
    "  'bot_id':'B1','bot_profile':{'name':'github-app'},'user':'U1','text':'a'},"
    " {'type':'message','subtype':'bot_message','ts':'2','username':' ',"
    "  'bot_id':'B1','bot_profile':{'name':'Deploybot'},'user':'U1','text':'b'},"
    " {'type':'message','subtype':'bot_message','ts':'3',"
    "  'bot_id':'B1','bot_profile':{'name':''},'user':'U2','text':'c'},"
    " {'type':'message','subtype':'bot_message','ts':'4','bot_id':'B1','user':'U9',"
    "  'user_profile':{'real_name':'Profiled'},'text':'d'},"
    " {'type':'message','subtype':'bot_message','ts':'5','bot_id':'B1','user':'U9','text':'e'},"
    " {'type':'message','subtype':'bot_message','ts':'6','bot_id':'B2','text':'f'},"
    " {'type':'message','subtype':'bot_message','ts':'7','username':null,'text':'g'},"
    /* Not a bot_message: the user lookup even when bot keys are there. */
    " {'type':'message','ts':'8','user':'U2','bot_id':'B3',"
    "  'bot_profile':{'name':'Deploybot'},'text':'h'}]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  hone_test_assert_message (log, 0, 0, "GitHub", "1970-01-01T00:00:01+00:00", "a", FALSE);
  hone_test_assert_message (log, 0, 1, "Deploybot", "1970-01-01T00:00:02+00:00", "b", FALSE);
  hone_test_assert_message (log, 0, 2, "Tom Becker", "1970-01-01T00:00:03+00:00", "c", FALSE);
  hone_test_assert_message (log, 0, 3, "Profiled", "1970-01-01T00:00:04+00:00", "d", FALSE);
  hone_test_assert_message (log, 0, 4, "U9", "1970-01-01T00:00:05+00:00", "e", FALSE);
  hone_test_assert_message (log, 0, 5, "B2", "1970-01-01T00:00:06+00:00", "f", FALSE);
  hone_test_assert_message (log, 0, 6, "", "1970-01-01T00:00:07+00:00", "g", FALSE);
  hone_test_assert_message (log, 0, 7, "Tom Becker", "1970-01-01T00:00:08+00:00", "h", FALSE);
}

static void
test_subtypes (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json",
    "[{'type':'message','subtype':'channel_join','ts':'1','user':'U1',"
    "  'text':'<@U1> has joined the channel'},"
    " {'type':'message','subtype':'channel_leave','ts':'2','user':'U1','text':'left'},"
    " {'type':'message','subtype':'channel_purpose','ts':'3','user':'U1','text':'p'},"
    " {'type':'message','subtype':'channel_topic','ts':'4','user':'U1','text':'t'},"
    " {'type':'message','subtype':'channel_name','ts':'5','user':'U1','text':'n'},"
    " {'type':'message','subtype':'pinned_item','ts':'6','user':'U1','text':'pin'},"
    " {'type':'message','subtype':'tombstone','ts':'7','user':'U1','text':'gone'},"
    " {'type':'message','subtype':'bot_add','ts':'8','user':'U1','text':'bot'},"
    " {'type':'message','subtype':'thread_broadcast','ts':'9','user':'U1','text':'tb'},"
    " {'type':'message','subtype':'file_share','ts':'10','user':'U2','text':'fs',"
    "  'files':[{'id':'F1','name':'plan.pdf'}]},"
    " {'type':'message','subtype':'me_message','ts':'11','user':'U2','text':'waves'},"
    " {'type':'message','subtype':null,'ts':'12','user':'U2','text':'null subtype'},"
    " {'type':'message','ts':'13','user':'U2','text':'&lt;b&gt; &amp; <@U1> '},"
    " {'type':'message','ts':'14','user':'U2','text':''},"
    " {'type':'message','ts':'15','user':'U2'},"
    " {'type':'event','ts':'oops','text':7},"
    " {'ts':'16','user':'U2','text':'no type'},"
    " {'type':'message','ts':'17','user':'U2','text':' \\r\\nline\\r\\n '}]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (log->n_system, ==, 8);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 6);
  hone_test_assert_message (log, 0, 0, "nadia", "1970-01-01T00:00:09+00:00", "tb", FALSE);
  hone_test_assert_message (log, 0, 1, "Tom Becker", "1970-01-01T00:00:10+00:00", "fs", TRUE);
  hone_test_assert_message (log, 0, 2, "Tom Becker", "1970-01-01T00:00:11+00:00", "waves", FALSE);
  hone_test_assert_message (log, 0, 3, "Tom Becker", "1970-01-01T00:00:12+00:00",
                            "null subtype", FALSE);
  hone_test_assert_message (log, 0, 4, "Tom Becker", "1970-01-01T00:00:13+00:00",
                            "&lt;b&gt; &amp; <@U1>", FALSE);
  hone_test_assert_message (log, 0, 5, "Tom Becker", "1970-01-01T00:00:17+00:00", "line", FALSE);
}

static void
test_media (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json",
    "[{'type':'message','ts':'1','user':'U1','text':'','files':[{'id':'F1'}]},"
    " {'type':'message','ts':'2','user':'U1','text':'legacy','file':{'id':'F2'}},"
    " {'type':'message','ts':'3','user':'U1','text':'none','files':[]},"
    " {'type':'message','ts':'4','user':'U1','text':'','files':[]},"
    " {'type':'message','ts':'5','user':'U1','text':'attachments are not files',"
    "  'attachments':[{'title':'x'}]},"
    " {'type':'message','subtype':'file_share','ts':'6','user':'U1',"
    "  'files':[{'id':'F3','mode':'tombstone'}]}]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 5);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 3);
  hone_test_assert_message (log, 0, 0, "nadia", "1970-01-01T00:00:01+00:00", "", TRUE);
  hone_test_assert_message (log, 0, 1, "nadia", "1970-01-01T00:00:02+00:00", "legacy", TRUE);
  hone_test_assert_message (log, 0, 2, "nadia", "1970-01-01T00:00:03+00:00", "none", FALSE);
  hone_test_assert_message (log, 0, 3, "nadia", "1970-01-01T00:00:05+00:00",
                            "attachments are not files", FALSE);
  hone_test_assert_message (log, 0, 4, "nadia", "1970-01-01T00:00:06+00:00", "", TRUE);
}

/* Day files in name order, concatenated, then sorted by ts as a decimal (stable). */
static void
test_order (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json",
    "[" M ("U1", "1709290800.000100", "root") ","
    M ("U1", "1709287200.5", "half past") ","
    M ("U1", "1709287200.10", "a tenth") ","
    M ("U1", "1709287200", "whole") ","
    M ("U1", "1709287200.000", "same as whole") ","
    M ("U1", "999999999.999999", "nine digits") "]",
    /* Thread replies written the next day, one of them with a ts before "root". */
    "general/2024-03-02.json",
    "[{'type':'message','user':'U2','ts':'1709377200.000100','text':'reply 2',"
    "  'thread_ts':'1709290800.000100','parent_user_id':'U1'},"
    " {'type':'message','user':'U2','ts':'1709290800.000100','text':'same ts as root'},"
    " {'type':'message','user':'U2','ts':'01709290800.0001','text':'leading zero'}]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 9);
  hone_test_assert_message (log, 0, 0, "nadia", "2001-09-09T01:46:39+00:00", "nine digits", FALSE);
  hone_test_assert_message (log, 0, 1, "nadia", "2024-03-01T10:00:00+00:00", "whole", FALSE);
  hone_test_assert_message (log, 0, 2, "nadia", "2024-03-01T10:00:00+00:00",
                            "same as whole", FALSE);
  hone_test_assert_message (log, 0, 3, "nadia", "2024-03-01T10:00:00+00:00", "a tenth", FALSE);
  hone_test_assert_message (log, 0, 4, "nadia", "2024-03-01T10:00:00+00:00", "half past", FALSE);
  hone_test_assert_message (log, 0, 5, "nadia", "2024-03-01T11:00:00+00:00", "root", FALSE);
  hone_test_assert_message (log, 0, 6, "Tom Becker", "2024-03-01T11:00:00+00:00",
                            "same ts as root", FALSE);
  hone_test_assert_message (log, 0, 7, "Tom Becker", "2024-03-01T11:00:00+00:00",
                            "leading zero", FALSE);
  hone_test_assert_message (log, 0, 8, "Tom Becker", "2024-03-02T11:00:00+00:00", "reply 2", FALSE);
}

static void
test_conversations (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json",
    "[{'id':'C1','name':'general'},{'id':'C2','name':'no-folder'},"
    " {'id':'C3','name':'only-joins'},{'id':'C4'},'junk',{'id':'C5','name':'random'}]",
    "groups.json", "[{'id':'G1','name':'secret'}]",
    "mpims.json", "[{'id':'G2','name':'mpdm-nadia--tom-1','members':['U1','U2']}]",
    "dms.json", "[{'id':'D1','members':['U1','U2']},{'id':'D2','name':'ignored-name'}]",
    "general/2024-03-01.json", "[" M ("U1", "5", "in general") "]",
    "random/2024-03-01.json", "[" M ("U1", "6", "in random") "]",
    "only-joins/2024-03-01.json",
    "[{'type':'message','subtype':'channel_join','ts':'1','user':'U1','text':'joined'}]",
    "secret/2024-03-01.json", "[" M ("U2", "7", "in a private channel") "]",
    "mpdm-nadia--tom-1/2024-03-01.json", "[" M ("U2", "8", "in a group DM") "]",
    "D1/2024-03-01.json", "[" M ("U2", "9", "in a DM") "]",
    "ignored-name/2024-03-01.json", "[" M ("U2", "10", "dms folders are ids") "]",
    "not-listed/2024-03-01.json", "[" M ("U2", "11", "no entry") "]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (log->conversations->len, ==, 5);
  g_assert_cmpuint (log->n_system, ==, 1);
  g_assert_cmpstr (hone_test_title (log, 0), ==, "general");
  g_assert_cmpstr (hone_test_title (log, 1), ==, "random");
  g_assert_cmpstr (hone_test_title (log, 2), ==, "secret");
  g_assert_cmpstr (hone_test_title (log, 3), ==, "mpdm-nadia--tom-1");
  g_assert_cmpstr (hone_test_title (log, 4), ==, "D1");
  hone_test_assert_message (log, 0, 0, "nadia", "1970-01-01T00:00:05+00:00", "in general", FALSE);
  hone_test_assert_message (log, 1, 0, "nadia", "1970-01-01T00:00:06+00:00", "in random", FALSE);
  hone_test_assert_message (log, 2, 0, "Tom Becker", "1970-01-01T00:00:07+00:00",
                            "in a private channel", FALSE);
  hone_test_assert_message (log, 3, 0, "Tom Becker", "1970-01-01T00:00:08+00:00",
                            "in a group DM", FALSE);
  hone_test_assert_message (log, 4, 0, "Tom Becker", "1970-01-01T00:00:09+00:00", "in a DM", FALSE);
}

static void
test_day_files (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json", "[" M ("U1", "1", "day") "]",
    "general/2024-3-02.json", "[" M ("U1", "2", "short date") "]",
    "general/notes.json", "{'not':'a day'}",
    "general/2024-03-03.json.bak", "[" M ("U1", "3", "backup") "]",
    "general/2024-03-04.JSON", "[" M ("U1", "4", "upper case") "]",
    "general/x2024-03-05.json", "[" M ("U1", "5", "prefix") "]",
    "general/old/2024-03-06.json", "[" M ("U1", "6", "nested") "]",
    "general/2024-03-07.json", "[]",
    "general/9999-99-99.json", "[" M ("U1", "7", "digits are enough") "]",
    "2024-03-08.json", "[" M ("U1", "8", "top level") "]",
    "integration_logs.json", "{'logs':[]}",
    "canvases.json", "[]",
    NULL,
  };
  g_autoptr(HoneChatlog) log = read_ok (files);

  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 2);
  hone_test_assert_message (log, 0, 0, "nadia", "1970-01-01T00:00:01+00:00", "day", FALSE);
  hone_test_assert_message (log, 0, 1, "nadia", "1970-01-01T00:00:07+00:00",
                            "digits are enough", FALSE);
}

static void
test_shapes (void)
{
  const char *day_object[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "{'type':'message','ts':'1','text':'x'}", NULL,
  };
  const char *day_element[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "[" M ("U1", "1", "x") ", 'text']", NULL,
  };
  const char *ts_number[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "dev/2024-03-01.json", "[]",
    "dev/2024-03-02.json", "[{'type':'message','ts':1709286300.0002,'text':'x'}]", NULL,
  };
  const char *ts_missing[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "[{'type':'message','text':'x'}]", NULL,
  };
  const char *ts_bad[][7] = {
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'abc','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'1709286300.','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'.5','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'-1','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':' 1','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'1e9','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'','text':'x'}]", NULL },
    { "users.json", USERS, "channels.json", CHANNELS,
      "general/2024-03-01.json", "[{'type':'message','ts':'99999999999999999999','text':'x'}]",
      NULL },
  };
  const char *text_number[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "[{'type':'message','ts':'1','text':5}]", NULL,
  };
  const char *text_null[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "[{'type':'message','ts':'1','text':null}]", NULL,
  };
  const char *users_object[] = {
    "users.json", "{'U1':{}}", "channels.json", CHANNELS, NULL,
  };
  const char *channels_object[] = {
    "users.json", USERS, "channels.json", "{'general':{}}", NULL,
  };
  const char *dms_null[] = {
    "users.json", USERS, "channels.json", CHANNELS, "dms.json", "null", NULL,
  };
  const char *syntax[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "[\n" M ("U1", "1", "x") ",\n]", NULL,
  };
  const char *empty_day[] = {
    "users.json", USERS, "channels.json", CHANNELS,
    "general/2024-03-01.json", "", NULL,
  };

  assert_refused (day_object, HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", NULL);
  assert_refused (day_element, HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", NULL);
  assert_refused (ts_number, HONE_IMPORT_ERROR_SHAPE, "dev/2024-03-02.json", "`ts`");
  assert_refused (ts_missing, HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", "`ts`");
  for (guint i = 0; i < G_N_ELEMENTS (ts_bad); i++)
    assert_refused (ts_bad[i], HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", "`ts`");
  assert_refused (text_number, HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", "`text`");
  assert_refused (text_null, HONE_IMPORT_ERROR_SHAPE, "general/2024-03-01.json", "`text`");
  assert_refused (users_object, HONE_IMPORT_ERROR_SHAPE, "users.json", NULL);
  assert_refused (channels_object, HONE_IMPORT_ERROR_SHAPE, "channels.json", NULL);
  assert_refused (dms_null, HONE_IMPORT_ERROR_SHAPE, "dms.json", NULL);
  assert_refused (syntax, HONE_IMPORT_ERROR_SYNTAX, "general/2024-03-01.json", "line 3");
  assert_refused (empty_day, HONE_IMPORT_ERROR_EMPTY, "general/2024-03-01.json", "empty");
}

/* A zip whose export sits in a folder, read from that root. */
static void
test_zip_root (void)
{
  const char *files[] = {
    "export/users.json", USERS,
    "export/channels.json", CHANNELS,
    "export/general/2024-03-01.json", "\xef\xbb\xbf[" M ("U2", "1709286300.000200", "ok") "]",
    "export/dev/2024-03-01.json", "[" M ("U1", "1709286300", "dev") "]",
    "general/2024-03-01.json", "{'outside':'the root'}",
    NULL,
  };
  const char *broken[] = {
    "export/users.json", USERS,
    "export/channels.json", CHANNELS,
    "export/general/2024-03-01.json", "{}",
    NULL,
  };
  g_autofree char *zip_path = NULL;
  g_autofree char *dir = make_zip (files, &zip_path);
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("export.zip");
  g_autoptr(GError) error = NULL;

  g_assert_true (read_path (log, zip_path, "export/", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  hone_test_assert_message (log, 0, 0, "Tom Becker", "2024-03-01T09:45:00+00:00", "ok", FALSE);
  hone_test_assert_message (log, 1, 0, "nadia", "2024-03-01T09:45:00+00:00", "dev", FALSE);
  hone_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&zip_path, g_free);

  dir = make_zip (broken, &zip_path);
  g_assert_false (read_path (log, zip_path, "export/", &error));
  hone_test_assert_refusal (error, HONE_IMPORT_ERROR_SHAPE, "export.zip",
                            "export/general/2024-03-01.json");
  /* What was read before stays as it was. */
  g_assert_cmpuint (log->conversations->len, ==, 2);
  hone_test_remove_tree (dir);
}

static void
test_untouched_on_failure (void)
{
  const char *files[] = {
    "users.json", USERS,
    "channels.json", CHANNELS,
    "general/2024-03-01.json",
    "[{'type':'message','subtype':'channel_join','ts':'1','user':'U1','text':'joined'},"
    M ("U1", "2", "fine") "]",
    "dev/2024-03-01.json", "[{'type':'message','ts':2,'text':'bad'}]",
    NULL,
  };
  g_autofree char *dir = make_folder (files);
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("export");
  g_autoptr(GError) error = NULL;
  HoneChatConversation *kept = hone_chat_conversation_new ("kept");

  hone_chat_conversation_add (kept, "A", NULL, "kept", FALSE);
  hone_chatlog_take_conversation (log, kept);

  g_assert_false (read_path (log, dir, "", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_SHAPE);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (log->n_system, ==, 0);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  hone_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/slack/authors", test_authors);
  g_test_add_func ("/hone/slack/bots", test_bots);
  g_test_add_func ("/hone/slack/subtypes", test_subtypes);
  g_test_add_func ("/hone/slack/media", test_media);
  g_test_add_func ("/hone/slack/order", test_order);
  g_test_add_func ("/hone/slack/conversations", test_conversations);
  g_test_add_func ("/hone/slack/day-files", test_day_files);
  g_test_add_func ("/hone/slack/shapes", test_shapes);
  g_test_add_func ("/hone/slack/zip-root", test_zip_root);
  g_test_add_func ("/hone/slack/untouched-on-failure", test_untouched_on_failure);

  return g_test_run ();
}
