/* test-import.c — detection (README section 3) on small files written for each case,
 * zips and folders, refusals, the dataset readers (sections 10 to 12) and --map.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-bundle.h"
#include "data/hone-import.h"

#include "hone-test-util.h"

static char *tmp_dir;

static char *
write_file (const char *relative,
            const char *contents,
            gssize      len)
{
  return hone_test_write_file (tmp_dir, relative, contents, len);
}

static char *
write_zip (const char              *relative,
           const HoneTestZipMember *members,
           guint                    n_members)
{
  return hone_test_write_zip (tmp_dir, relative, members, n_members);
}

static HoneChatlog *
import_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  HoneChatlog *log = hone_import_read_path (path, NULL, NULL, &error);
  g_autofree char *base = g_path_get_basename (path);

  if (error != NULL)
    g_error ("%s: %s", path, error->message);
  g_assert_nonnull (log);
  g_assert_cmpstr (log->file, ==, base);
  g_assert_nonnull (log->checksum);
  g_assert_cmpuint (strlen (log->checksum), ==, 64);
  return log;
}

static HoneChatlog *
import_string (const char *relative,
               const char *contents)
{
  g_autofree char *path = write_file (relative, contents, -1);
  return import_ok (path);
}

/* Refused with @code, a message starting with the base name and containing @words. */
static void
assert_refused_path (const char      *path,
                     HoneImportError  code,
                     const char      *words1,
                     const char      *words2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_import_read_path (path, NULL, NULL, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (log);
  hone_test_assert_refusal (error, code, base, words1);
  if (words2 != NULL)
    hone_test_assert_mentions (error, words2);
}

static void
assert_refused (const char      *relative,
                const char      *contents,
                HoneImportError  code,
                const char      *words1,
                const char      *words2)
{
  g_autofree char *path = write_file (relative, contents, -1);
  assert_refused_path (path, code, words1, words2);
}

static void
assert_message (HoneChatlog *log,
                guint        index,
                const char  *author,
                const char  *text)
{
  const HoneChatMessage *m = hone_test_nth_message (log, index);

  g_assert_cmpstr (m->author, ==, author);
  g_assert_cmpstr (m->text, ==, text);
}

static guint
n_messages_in (HoneChatlog *log,
               guint        conversation)
{
  return ((HoneChatConversation *) g_ptr_array_index (log->conversations, conversation))
    ->messages->len;
}

/* Detection of single files */

static const char telegram_chat[] =
  "{\"name\": \"Lena\", \"type\": \"personal_chat\", \"id\": 1, \"messages\": ["
  "{\"id\": 1, \"type\": \"message\", \"date\": \"2024-01-15T21:41:05\", \"from\": \"Lena\", "
  "\"text\": \"Hallo\"}]}";

static void
test_json_dispatch (void)
{
  struct
  {
    const char     *file;
    const char     *text;
    HoneChatFormat  format;
    const char     *author;
  } cases[] = {
    { "account.json",
      "{\"about\": \"x\", \"chats\": {\"about\": \"y\", \"list\": [{\"name\": \"Lena\", "
      "\"type\": \"personal_chat\", \"id\": 1, \"messages\": [{\"id\": 1, \"type\": \"message\", "
      "\"date\": \"2024-01-15T21:41:05\", \"from\": \"Lena\", \"text\": \"Hallo\"}]}]}}",
      HONE_CHAT_FORMAT_TELEGRAM, "Lena" },
    { "discord.json",
      "{\"guild\": {\"name\": \"G\"}, \"channel\": {\"name\": \"general\"}, \"messages\": ["
      "{\"id\": \"1\", \"type\": \"Default\", \"timestamp\": \"2024-02-03T19:04:11.482+01:00\", "
      "\"content\": \"hi\", \"author\": {\"name\": \"ben\", \"nickname\": \"Ben\"}, "
      "\"attachments\": [], \"stickers\": []}]}",
      HONE_CHAT_FORMAT_DISCORD, "Ben" },
    { "message_1.json",
      "{\"participants\": [{\"name\": \"Anna\"}], \"messages\": [{\"sender_name\": \"Anna\", "
      "\"timestamp_ms\": 1706984879999, \"content\": \"Ol\\u00c3\\u00a1\"}]}",
      HONE_CHAT_FORMAT_MESSENGER, "Anna" },
    { "result.json", telegram_chat, HONE_CHAT_FORMAT_TELEGRAM, "Lena" },
    { "one-openai.json",
      "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
      HONE_CHAT_FORMAT_OPENAI, "user" },
    { "one-sharegpt.json",
      "{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}]}",
      HONE_CHAT_FORMAT_SHAREGPT, "user" },
    { "one-alpaca.json",
      "{\"instruction\": \"hi\", \"output\": \"hello\"}",
      HONE_CHAT_FORMAT_ALPACA, "user" },
    { "openai.json",
      "[{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}]",
      HONE_CHAT_FORMAT_OPENAI, "user" },
    { "sharegpt.json",
      "\n  [\n  {\"conversations\": [{\"from\": \"gpt\", \"value\": \"hi\"}]}]",
      HONE_CHAT_FORMAT_SHAREGPT, "assistant" },
    { "alpaca.json",
      "[{\"instruction\": \"hi\", \"input\": null, \"output\": \"hello\"}]",
      HONE_CHAT_FORMAT_ALPACA, "user" },
    /* "messages" wins over the other dataset keys, "type" + "id" make it Telegram. */
    { "both.json",
      "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"instruction\": 3}",
      HONE_CHAT_FORMAT_OPENAI, "user" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HoneChatlog) log = import_string (cases[i].file, cases[i].text);

      g_test_message ("%s", cases[i].file);
      g_assert_cmpint (log->format, ==, cases[i].format);
      g_assert_cmpuint (hone_chatlog_count_messages (log), >=, 1);
      g_assert_cmpstr (hone_test_nth_message (log, 0)->author, ==, cases[i].author);
    }
}

static void
test_json_refused (void)
{
  assert_refused ("empty-array.json", " [ ]\n", HONE_IMPORT_ERROR_NO_MESSAGES, "no messages", NULL);
  assert_refused ("other.json", "{\"hello\": \"world\"}", HONE_IMPORT_ERROR_NOT_CHAT,
                  "not a known chat export", NULL);
  assert_refused ("numbers.json", "[{\"a\": 1}, 2]", HONE_IMPORT_ERROR_NOT_CHAT,
                  "not a known chat export", NULL);
  assert_refused ("strings.json", "[\"a\", \"b\"]", HONE_IMPORT_ERROR_NOT_CHAT,
                  "not a known chat export", NULL);
  /* Keys decide the format; a wrong type under them is that format's refusal. */
  assert_refused ("wrong-type.json", "{\"guild\": 1, \"messages\": {}}", HONE_IMPORT_ERROR_SHAPE,
                  "messages", NULL);
  assert_refused ("trailing-comma.json", "[\n{\"instruction\": \"a\", \"output\": \"b\"},\n]",
                  HONE_IMPORT_ERROR_SYNTAX, "line 3", NULL);
  assert_refused ("comment.json", "{\n// export\n\"messages\": []}", HONE_IMPORT_ERROR_SYNTAX,
                  "line 2", NULL);
  /* Not starting with '{' or '[': not JSON at all. */
  assert_refused ("comment-first.json", "// export\n{\"messages\": []}",
                  HONE_IMPORT_ERROR_NOT_CHAT, "not a known chat export", NULL);
  assert_refused ("no-messages.json", "[{\"messages\": []}]", HONE_IMPORT_ERROR_NO_MESSAGES,
                  "no messages", NULL);
  assert_refused ("not-json.txt", "Hello there,\nthis is a letter.\n", HONE_IMPORT_ERROR_NOT_CHAT,
                  "not a known chat export", NULL);
  assert_refused ("blank.txt", "\xef\xbb\xbf \n\t\n", HONE_IMPORT_ERROR_EMPTY, "empty", NULL);
  assert_refused ("latin1.txt", "1/2/24, 9:41 PM - Ren\xe9: Hi\n", HONE_IMPORT_ERROR_ENCODING,
                  "UTF-8", "line 1");
}

static void
test_json_lines (void)
{
  g_autoptr(HoneChatlog) lines = NULL;
  g_autoptr(HoneChatlog) single = NULL;
  g_autoptr(HoneChatlog) crlf = NULL;

  /* Blank lines around and between records are skipped. */
  lines = import_string ("chat.jsonl",
                         "\n{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n\n"
                         "   \n{\"messages\": [{\"role\": \"user\", \"content\": \"b\"}]}\n\n");
  g_assert_cmpint (lines->format, ==, HONE_CHAT_FORMAT_OPENAI);
  g_assert_cmpuint (lines->conversations->len, ==, 2);
  assert_message (lines, 1, "user", "b");

  /* One object and nothing after it is one record, not JSON lines. */
  single = import_string ("one.jsonl",
                          "{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}]}\n\n\n");
  g_assert_cmpint (single->format, ==, HONE_CHAT_FORMAT_SHAREGPT);
  g_assert_cmpuint (single->conversations->len, ==, 1);

  crlf = import_string ("crlf.jsonl",
                        "{\"instruction\": \"a\", \"output\": \"b\"}\r\n"
                        "{\"instruction\": \"c\", \"output\": \"d\"}\r\n");
  g_assert_cmpint (crlf->format, ==, HONE_CHAT_FORMAT_ALPACA);
  g_assert_cmpuint (crlf->conversations->len, ==, 2);
}

static void
test_json_lines_refused (void)
{
  /* A later line that is not JSON names its line; so does one of another format. */
  assert_refused ("cut.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n\n"
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"messages\": [{\"role\": \"user\", \"con\n",
                  HONE_IMPORT_ERROR_SYNTAX, "line 4", NULL);
  assert_refused ("other-format.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"conversations\": []}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "`messages`");
  assert_refused ("not-object.jsonl",
                  "{\"instruction\": \"a\", \"output\": \"b\"}\n[1]\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "instruction");
  assert_refused ("unknown.jsonl", "\n{\"id\": 1}\n{\"id\": 2}\n", HONE_IMPORT_ERROR_NOT_CHAT,
                  "line 2", NULL);
  /* A first line that is not a complete object: the whole text is one JSON value. */
  assert_refused ("pretty.json", "{\n  \"messages\": [\n  ]\n,}", HONE_IMPORT_ERROR_SYNTAX,
                  "line 4", NULL);
}

static void
test_whatsapp_not_json (void)
{
  g_autoptr(HoneChatlog) ios = import_string ("_chat.txt",
                                              "[15.01.24, 21:41:05] Anna: Hallo\n"
                                              "[15.01.24, 21:42:00] Ben: [1, 2] ok\n");
  g_autoptr(HoneChatlog) marks = import_string ("marks.txt",
                                                "\n\xe2\x80\x8e" "15.01.24, 21:41 - Anna: Hallo\n");

  g_assert_cmpint (ios->format, ==, HONE_CHAT_FORMAT_WHATSAPP);
  g_assert_cmpuint (hone_chatlog_count_messages (ios), ==, 2);
  g_assert_cmpint (marks->format, ==, HONE_CHAT_FORMAT_WHATSAPP);
  assert_message (marks, 0, "Anna", "Hallo");
}

static void
test_utf16 (void)
{
  static const char utf8[] = "{\"instruction\": \"Grüß 😀\", \"output\": \"b\"}\n"
                             "{\"instruction\": \"c\", \"output\": \"d\"}\n";
  g_autoptr(GString) le = g_string_new_len ("\xff\xfe", 2);
  g_autofree gunichar2 *units = g_utf8_to_utf16 (utf8, -1, NULL, NULL, NULL);
  g_autofree char *path = NULL;
  g_autoptr(HoneChatlog) log = NULL;

  for (guint i = 0; units[i] != 0; i++)
    {
      g_string_append_c (le, (char) (units[i] & 0xff));
      g_string_append_c (le, (char) (units[i] >> 8));
    }
  path = write_file ("utf16.jsonl", le->str, le->len);
  log = import_ok (path);
  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_ALPACA);
  assert_message (log, 0, "user", "Grüß 😀");
}

static void
test_checksum (void)
{
  const char *text_a = "{\"instruction\": \"a\", \"output\": \"b\"}";
  g_autoptr(HoneChatlog) a = import_string ("sum-a.json", text_a);
  g_autoptr(HoneChatlog) b = import_string ("sum-b.json",
                                            "{\"instruction\": \"a\", \"output\": \"c\"}");
  g_autofree char *want = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text_a, -1);

  g_assert_cmpstr (a->checksum, ==, want);
  g_assert_cmpstr (a->checksum, !=, b->checksum);
}

static void
test_missing_file (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "does-not-exist.txt", NULL);

  assert_refused_path (path, HONE_IMPORT_ERROR_IO, NULL, NULL);
}

static void
test_cancelled (void)
{
  g_autofree char *path = write_file ("cancel.json",
                                      "{\"instruction\": \"a\", \"output\": \"b\"}", -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;

  g_cancellable_cancel (cancellable);
  log = hone_import_read_path (path, NULL, cancellable, &error);
  g_assert_null (log);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Datasets */

static void
test_openai (void)
{
  g_autoptr(HoneChatlog) log = import_string (
    "parts.jsonl",
    "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
    "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What is \"}, "
    "{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}, "
    "{\"type\": \"text\", \"text\": \"this?\"}]}, "
    "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"1\"}]}, "
    "{\"role\": \"tool\", \"content\": \"  42\\r\\n\"}, "
    "{\"role\": \"assistant\", \"content\": [{\"type\": \"image_url\"}]}], \"weight\": 1}\n"
    "{\"messages\": [{\"role\": \"user\", \"content\": \"   \"}]}\n"
    "{\"messages\": [{\"role\": \"Narrator \", \"content\": \"ok\"}]}\n");

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_OPENAI);
  /* The second record has no message left: not a conversation. */
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (n_messages_in (log, 0), ==, 3);
  g_assert_cmpuint (log->n_system, ==, 0);
  assert_message (log, 0, "system", "Be brief.");
  assert_message (log, 1, "user", "What is this?");
  assert_message (log, 2, "tool", "42");
  assert_message (log, 3, "Narrator", "ok");
  g_assert_null (hone_test_nth_message (log, 0)->time);
  g_assert_false (hone_test_nth_message (log, 0)->media);
}

static void
test_openai_refused (void)
{
  assert_refused ("o1.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"messages\": [{\"content\": \"a\"}]}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "`role`");
  assert_refused ("o2.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "`content`");
  assert_refused ("o3.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"messages\": [{\"role\": \"user\", \"content\": [\"text\"]}]}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "`content`");
  assert_refused ("o4.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n\n\n"
                  "{\"messages\": \"hi\"}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 4", "`messages`");
  assert_refused ("o5.json", "[{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}, 7]",
                  HONE_IMPORT_ERROR_SHAPE, "item 2", "`messages`");
  assert_refused ("o6.jsonl",
                  "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n"
                  "{\"messages\": [\"hi\"]}\n",
                  HONE_IMPORT_ERROR_SHAPE, "line 2", "`messages`");
}

static void
test_sharegpt (void)
{
  g_autoptr(HoneChatlog) log = import_string (
    "sgpt.json",
    "[{\"id\": \"1\", \"system\": \"You are Fern.\", \"conversations\": ["
    "{\"from\": \"human\", \"value\": \"hi\"}, {\"from\": \"gpt\", \"value\": \"hello\"}, "
    "{\"from\": \"system\", \"value\": \"note\"}, {\"from\": \"tool\", \"value\": \"x\"}, "
    "{\"from\": \"Human\", \"value\": \"y\"}, {\"from\": \"gpt\", \"value\": \" \"}]}, "
    "{\"system\": \"  \", \"conversations\": [{\"from\": \"human\", \"value\": \"again\"}]}]");

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_SHAREGPT);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (n_messages_in (log, 0), ==, 6);
  assert_message (log, 0, "system", "You are Fern.");
  assert_message (log, 1, "user", "hi");
  assert_message (log, 2, "assistant", "hello");
  assert_message (log, 3, "system", "note");
  assert_message (log, 4, "tool", "x");
  assert_message (log, 5, "Human", "y");
  /* An empty system prompt is a dropped message. */
  assert_message (log, 6, "user", "again");
}

static void
test_sharegpt_refused (void)
{
  assert_refused ("s1.json", "[{\"conversations\": [{\"from\": \"human\", \"value\": 1}]}]",
                  HONE_IMPORT_ERROR_SHAPE, "`value`", NULL);
  assert_refused ("s2.json", "[{\"conversations\": [{\"value\": \"a\"}]}]",
                  HONE_IMPORT_ERROR_SHAPE, "`from`", NULL);
  assert_refused ("s3.json", "[{\"conversations\": [], \"system\": 3}]",
                  HONE_IMPORT_ERROR_SHAPE, "`system`", NULL);
  assert_refused ("s4.json", "[{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}]}, "
                  "{\"conversations\": \"human: hi\"}]",
                  HONE_IMPORT_ERROR_SHAPE, "`conversations`", "item 2");
}

static void
test_alpaca (void)
{
  g_autoptr(HoneChatlog) log = import_string (
    "alp.json",
    "[{\"instruction\": \" Translate. \", \"input\": \" Hallo \\n\", \"output\": \"Hello\"},"
    " {\"instruction\": \"Say hi.\", \"output\": \"hi\"},"
    " {\"instruction\": \"Say hi.\", \"input\": null, \"output\": \"hi\"},"
    " {\"instruction\": \"Say hi.\", \"input\": \" \\t\", \"output\": \"\", \"history\": []},"
    " {\"instruction\": \"\", \"input\": \"only input\", \"output\": \"ok\", \"system\": 5}]");

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_ALPACA);
  g_assert_cmpuint (log->conversations->len, ==, 5);
  assert_message (log, 0, "user", "Translate.\n\nHallo");
  assert_message (log, 1, "assistant", "Hello");
  assert_message (log, 2, "user", "Say hi.");
  assert_message (log, 4, "user", "Say hi.");
  assert_message (log, 6, "user", "Say hi.");
  /* An empty output is dropped. */
  assert_message (log, 7, "user", "only input");
  assert_message (log, 8, "assistant", "ok");
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 9);
}

static void
test_alpaca_refused (void)
{
  assert_refused ("a1.json", "[{\"instruction\": \"a\", \"output\": 3}]",
                  HONE_IMPORT_ERROR_SHAPE, "`output`", NULL);
  assert_refused ("a2.json", "[{\"instruction\": \"a\", \"input\": 1, \"output\": \"b\"}]",
                  HONE_IMPORT_ERROR_SHAPE, "`input`", NULL);
  assert_refused ("a3.json", "[{\"instruction\": \"a\"}]", HONE_IMPORT_ERROR_SHAPE, "`output`",
                  NULL);
  assert_refused ("a4.jsonl", "{\"instruction\": \"a\", \"output\": \"b\"}\n"
                  "{\"instruction\": null, \"output\": \"b\"}\n",
                  HONE_IMPORT_ERROR_SHAPE, "`instruction`", "line 2");
}

/* Zips and folders */

static const char whatsapp_chat[] =
  "[09.02.24, 14:20:11] Fernwood Plants: Hello!\n"
  "[09.02.24, 14:21:00] Olivia: \xe2\x80\x8e<attached: 00000001-PHOTO.jpg>\n"
  "[09.02.24, 14:22:00] Olivia: Thanks\n";

/* A few bytes like a JPEG's and a PNG's start: never text. */
static const char jpeg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

static void
test_zip_whatsapp (void)
{
  HoneTestZipMember inner[] = { { "x.txt", "1/2/24, 9:41 PM - A: b\n", -1 } };
  g_autofree char *inner_path = write_zip ("inner.zip", inner, G_N_ELEMENTS (inner));
  g_autofree char *inner_bytes = NULL;
  gsize inner_len = 0;
  g_autofree char *path = NULL;
  g_autoptr(HoneChatlog) log = NULL;

  g_assert_true (g_file_get_contents (inner_path, &inner_bytes, &inner_len, NULL));
  {
    HoneTestZipMember members[] = {
      { "./", "", 0 },
      { "./_chat.txt", whatsapp_chat, -1 },
      { "./00000001-PHOTO.jpg", jpeg, sizeof jpeg - 1 },
      { "./scan.png", png, sizeof png - 1 },
      { "./nested.zip", inner_bytes, (gssize) inner_len },
      { "__MACOSX/._chat.txt", "\0\5\26\7\0\2\0\0Mac OS X", 16 },
      { ".DS_Store", "\0\0\0\1Bud1\0\0", 10 },
      { "contact.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Olivia\nEND:VCARD\n", -1 },
    };
    path = write_zip ("WhatsApp Chat - Olivia.zip", members, G_N_ELEMENTS (members));
  }

  log = import_ok (path);
  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_WHATSAPP);
  g_assert_cmpuint (log->conversations->len, ==, 1);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 3);
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, 1);
}

static void
test_bundle_listing (void)
{
  HoneTestZipMember members[] = {
    { "./b/", "", 0 },
    { "./b/z.txt", "z", -1 },
    { "a.txt", "a", -1 },
    { "/B.txt", "B", -1 },
    { "photo.jpg", jpeg, sizeof jpeg - 1 },
  };
  g_autofree char *path = write_zip ("listing.zip", members, G_N_ELEMENTS (members));
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneBundle) bundle = hone_bundle_open (path, NULL, &error);
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *checksum = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (hone_bundle_get_name (bundle), ==, "listing.zip");
  g_assert_cmpuint (hone_bundle_get_n_members (bundle), ==, 4);
  g_assert_cmpstr (hone_bundle_get_member (bundle, 0), ==, "B.txt");
  g_assert_cmpstr (hone_bundle_get_member (bundle, 1), ==, "a.txt");
  g_assert_cmpstr (hone_bundle_get_member (bundle, 2), ==, "b/z.txt");
  g_assert_cmpstr (hone_bundle_get_member (bundle, 3), ==, "photo.jpg");
  g_assert_true (hone_bundle_has_member (bundle, "b/z.txt"));
  g_assert_false (hone_bundle_has_member (bundle, "b"));

  text = hone_bundle_read_member (bundle, "b/z.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (text, NULL), g_bytes_get_size (text), "z", 1);
  photo = hone_bundle_read_member (bundle, "photo.jpg", &error);
  g_assert_no_error (error);
  g_assert_null (photo);
  g_assert_null (hone_bundle_read_member (bundle, "nope", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_IO);

  checksum = hone_bundle_dup_checksum (bundle);
  g_assert_cmpuint (strlen (checksum), ==, 64);
}

static void
test_folder_listing (void)
{
  g_autofree char *a = write_file ("listing/x/2.txt", "two", -1);
  g_autofree char *b = write_file ("listing/1.txt", "one", -1);
  g_autofree char *c = write_file ("listing/x/y/photo.jpg", jpeg, sizeof jpeg - 1);
  g_autofree char *root = g_build_filename (tmp_dir, "listing", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneBundle) bundle = hone_bundle_open (root, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) photo = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (hone_bundle_get_n_members (bundle), ==, 3);
  g_assert_cmpstr (hone_bundle_get_member (bundle, 0), ==, "1.txt");
  g_assert_cmpstr (hone_bundle_get_member (bundle, 1), ==, "x/2.txt");
  g_assert_cmpstr (hone_bundle_get_member (bundle, 2), ==, "x/y/photo.jpg");
  bytes = hone_bundle_read_member (bundle, "x/2.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 3);
  photo = hone_bundle_read_member (bundle, "x/y/photo.jpg", &error);
  g_assert_no_error (error);
  g_assert_null (photo);
}

static void
test_folder_datasets (void)
{
  g_autofree char *a = write_file ("data/b.jsonl",
                                   "{\"instruction\": \"b1\", \"output\": \"x\"}\n"
                                   "{\"instruction\": \"b2\", \"output\": \"x\"}\n", -1);
  g_autofree char *b = write_file ("data/a.json",
                                   "[{\"instruction\": \"a1\", \"output\": \"x\"}]", -1);
  g_autofree char *c = write_file ("data/broken.json", "[{\"instruction\": ", -1);
  g_autofree char *d = write_file ("data/empty.json", "[]", -1);
  g_autofree char *e = write_file ("data/readme.txt", "Just some notes.\n", -1);
  g_autofree char *f = write_file ("data/img/cover.png", png, sizeof png - 1);
  g_autofree char *root = g_build_filename (tmp_dir, "data", NULL);
  g_autoptr(HoneChatlog) log = import_ok (root);

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_ALPACA);
  g_assert_cmpuint (log->conversations->len, ==, 3);
  /* Members in sorted order: a.json, then b.jsonl. */
  assert_message (log, 0, "user", "a1");
  assert_message (log, 2, "user", "b1");
  assert_message (log, 4, "user", "b2");
}

static void
test_mixed (void)
{
  g_autofree char *a = write_file ("mixed/chat.txt", whatsapp_chat, -1);
  g_autofree char *b = write_file ("mixed/train.jsonl",
                                   "{\"instruction\": \"a\", \"output\": \"x\"}\n"
                                   "{\"instruction\": \"b\", \"output\": \"x\"}\n", -1);
  g_autofree char *root = g_build_filename (tmp_dir, "mixed", NULL);

  assert_refused_path (root, HONE_IMPORT_ERROR_MIXED, "more than one kind of chat export", NULL);
}

static void
test_no_chat (void)
{
  HoneTestZipMember members[] = {
    { "IMG_0001.jpg", jpeg, sizeof jpeg - 1 },
    { "notes.txt", "Nothing to see here.\n", -1 },
    { "empty.json", "[]", -1 },
  };
  g_autofree char *path = write_zip ("photos.zip", members, G_N_ELEMENTS (members));
  g_autofree char *empty_zip = write_zip ("nothing.zip", NULL, 0);
  g_autofree char *folder = g_build_filename (tmp_dir, "empty-folder", NULL);

  assert_refused_path (path, HONE_IMPORT_ERROR_NOT_CHAT, "no chat", NULL);
  assert_refused_path (empty_zip, HONE_IMPORT_ERROR_NOT_CHAT, "no chat", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  assert_refused_path (folder, HONE_IMPORT_ERROR_NOT_CHAT, "no chat", NULL);
}

static char *
messenger_file (const char *text,
                gint64      timestamp_ms)
{
  return g_strdup_printf ("{\"participants\": [{\"name\": \"A\"}], \"title\": \"T\", "
                          "\"messages\": [{\"sender_name\": \"A\", \"timestamp_ms\": %"
                          G_GINT64_FORMAT ", \"content\": \"%s\"}]}",
                          timestamp_ms, text);
}

static void
test_messenger_folders (void)
{
  /* Equal times come out in the reverse of file order, which shows the file order:
   * message_10.json comes after message_2.json. */
  g_autofree char *m1 = messenger_file ("one", 1000);
  g_autofree char *m2 = messenger_file ("two", 1000);
  g_autofree char *m10 = messenger_file ("ten", 1000);
  g_autofree char *other = messenger_file ("other", 5000);
  HoneTestZipMember members[] = {
    { "messages/inbox/zed_2/message_1.json", other, -1 },
    { "messages/inbox/anna_1/message_1.json", m1, -1 },
    { "messages/inbox/anna_1/message_10.json", m10, -1 },
    { "messages/inbox/anna_1/message_2.json", m2, -1 },
    { "messages/inbox/anna_1/photos/1.jpg", jpeg, sizeof jpeg - 1 },
    { "messages/inbox/anna_1/notes.txt", "not read", -1 },
    { "messages/message_x.json", "not read", -1 },
  };
  g_autofree char *path = write_zip ("facebook.zip", members, G_N_ELEMENTS (members));
  g_autoptr(HoneChatlog) log = import_ok (path);

  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_MESSENGER);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  assert_message (log, 0, "A", "ten");
  assert_message (log, 1, "A", "two");
  assert_message (log, 2, "A", "one");
  assert_message (log, 3, "A", "other");
}

static void
test_messenger_refused (void)
{
  g_autofree char *good = messenger_file ("one", 1000);
  HoneTestZipMember members[] = {
    { "inbox/anna_1/message_1.json", good, -1 },
    { "inbox/anna_1/message_2.json", "{\n\"participants\": [],\n\"messages\": [\n", -1 },
  };
  g_autofree char *path = write_zip ("fb.zip", members, G_N_ELEMENTS (members));

  /* A member that a rule needs is not skipped: its refusal is the zip's, naming it. */
  assert_refused_path (path, HONE_IMPORT_ERROR_SYNTAX, "fb.zip: inbox/anna_1/message_2.json: ",
                       "line 4");
}

static void
write_slack (const char *root,
             const char *text)
{
  g_autofree char *channels = g_build_filename (root, "channels.json", NULL);
  g_autofree char *users = g_build_filename (root, "users.json", NULL);
  g_autofree char *day = g_build_filename (root, "general", "2024-03-01.json", NULL);
  g_autofree char *message = g_strdup_printf ("[{\"type\": \"message\", \"user\": \"U1\", "
                                              "\"text\": \"%s\", \"ts\": \"1709286300.000200\"}]",
                                              text);
  g_free (write_file (channels, "[{\"id\": \"C1\", \"name\": \"general\"}]", -1));
  g_free (write_file (users, "[{\"id\": \"U1\", \"name\": \"anna\"}]", -1));
  g_free (write_file (day, message, -1));
}

static void
test_slack_root (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "slack", NULL);
  g_autoptr(HoneChatlog) log = NULL;

  /* The shallowest root wins over one that sorts first; message_N.json is not Messenger
   * when there is a Slack export. */
  write_slack ("slack/a/deep/export", "deep");
  write_slack ("slack/b/export", "shallow");
  write_slack ("slack/c/export", "later");
  g_free (write_file ("slack/a/message_1.json", "{}", -1));
  g_free (write_file ("slack/b/export/users/channels.json", "[]", -1));

  log = import_ok (root);
  g_assert_cmpint (log->format, ==, HONE_CHAT_FORMAT_SLACK);
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==, 1);
  assert_message (log, 0, "anna", "shallow");
  g_assert_cmpstr (hone_test_nth_message (log, 0)->time, ==, "2024-03-01T09:45:00+00:00");
}

/* --map */

static void
test_csv_map (void)
{
  HoneCsvMap map = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hone_csv_map_parse (&map, "Ticket ID=conversation, Body=text,Agent=author,",
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpstr (map.conversation, ==, "Ticket ID");
  g_assert_cmpstr (map.text, ==, "Body");
  g_assert_cmpstr (map.author, ==, "Agent");
  g_assert_null (map.time);

  g_assert_false (hone_csv_map_parse (&map, "Body=message", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP);
  g_assert_nonnull (strstr (error->message, "message"));
  g_clear_error (&error);
  /* A failed parse leaves the map as it was. */
  g_assert_cmpstr (map.text, ==, "Body");

  g_assert_false (hone_csv_map_parse (&map, "Body", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP);
  g_clear_error (&error);
  g_assert_false (hone_csv_map_parse (&map, "=text", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP);
  g_clear_error (&error);
  g_assert_false (hone_csv_map_parse (&map, "A=text,B=text", &error));
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP);
  g_clear_error (&error);

  g_assert_true (hone_csv_map_parse (&map, "When=time,Role=role,Files=attachment", &error));
  g_assert_null (map.text);
  g_assert_cmpstr (map.time, ==, "When");
  g_assert_cmpstr (map.role, ==, "Role");
  g_assert_cmpstr (map.attachment, ==, "Files");

  hone_csv_map_clear (&map);
  g_assert_null (map.time);
  g_assert_null (map.attachment);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = hone_test_make_temp_dir ("hone-test-import-XXXXXX");

  g_test_add_func ("/hone/import/json/dispatch", test_json_dispatch);
  g_test_add_func ("/hone/import/json/refused", test_json_refused);
  g_test_add_func ("/hone/import/json/lines", test_json_lines);
  g_test_add_func ("/hone/import/json/lines-refused", test_json_lines_refused);
  g_test_add_func ("/hone/import/whatsapp-not-json", test_whatsapp_not_json);
  g_test_add_func ("/hone/import/utf16", test_utf16);
  g_test_add_func ("/hone/import/checksum", test_checksum);
  g_test_add_func ("/hone/import/missing-file", test_missing_file);
  g_test_add_func ("/hone/import/cancelled", test_cancelled);
  g_test_add_func ("/hone/import/openai", test_openai);
  g_test_add_func ("/hone/import/openai-refused", test_openai_refused);
  g_test_add_func ("/hone/import/sharegpt", test_sharegpt);
  g_test_add_func ("/hone/import/sharegpt-refused", test_sharegpt_refused);
  g_test_add_func ("/hone/import/alpaca", test_alpaca);
  g_test_add_func ("/hone/import/alpaca-refused", test_alpaca_refused);
  g_test_add_func ("/hone/import/bundle/zip-listing", test_bundle_listing);
  g_test_add_func ("/hone/import/bundle/folder-listing", test_folder_listing);
  g_test_add_func ("/hone/import/bundle/zip-whatsapp", test_zip_whatsapp);
  g_test_add_func ("/hone/import/bundle/folder-datasets", test_folder_datasets);
  g_test_add_func ("/hone/import/bundle/mixed", test_mixed);
  g_test_add_func ("/hone/import/bundle/no-chat", test_no_chat);
  g_test_add_func ("/hone/import/bundle/messenger", test_messenger_folders);
  g_test_add_func ("/hone/import/bundle/messenger-refused", test_messenger_refused);
  g_test_add_func ("/hone/import/bundle/slack-root", test_slack_root);
  g_test_add_func ("/hone/import/csv-map", test_csv_map);

  result = g_test_run ();
  hone_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
