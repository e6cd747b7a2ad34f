/* hone-test-util.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-test-util"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "data/hone-json.h"

#include "hone-test-util.h"

char *
hone_test_make_temp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
hone_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          hone_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

char *
hone_test_write_file (const char *dir,
                      const char *relative,
                      const char *contents,
                      gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = NULL;
  char *path = g_build_filename (dir, relative, NULL);

  parent = g_path_get_dirname (path);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

char *
hone_test_write_zip (const char              *dir,
                     const char              *relative,
                     const HoneTestZipMember *members,
                     guint                    n_members)
{
  char *path = g_build_filename (dir, relative, NULL);
  struct archive *archive = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (archive, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < n_members; i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = members[i].len < 0 ? strlen (members[i].contents) : (gsize) members[i].len;
      gboolean folder = g_str_has_suffix (members[i].path, "/");

      archive_entry_set_pathname (entry, members[i].path);
      archive_entry_set_filetype (entry, folder ? AE_IFDIR : AE_IFREG);
      archive_entry_set_perm (entry, folder ? 0755 : 0644);
      archive_entry_set_size (entry, folder ? 0 : (la_int64_t) len);
      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
      if (!folder && len > 0)
        g_assert_cmpint (archive_write_data (archive, members[i].contents, len), ==,
                         (la_ssize_t) len);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  archive_write_free (archive);
  return path;
}

char *
hone_test_read_sample (const char *relative,
                       gsize      *len)
{
  const char *testdata = g_getenv ("HONE_TESTDATA");
  g_autofree char *path = NULL;
  char *contents = NULL;

  if (testdata == NULL)
    {
      g_test_skip ("HONE_TESTDATA is not set");
      return NULL;
    }
  path = g_build_filename (testdata, "chatlogs", relative, NULL);
  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

char *
hone_test_json_quotes (const char *json)
{
  return g_strdelimit (g_strdup (json), "'", '"');
}

JsonNode *
hone_test_parse_json (const char *name,
                      const char *json)
{
  g_autofree char *text = hone_test_json_quotes (json);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  root = hone_json_parse (name, text, strlen (text), 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

HoneChatlog *
hone_test_read_json (HoneTestJsonReader  reader,
                     const char         *name,
                     const char         *json)
{
  g_autoptr(JsonNode) root = hone_test_parse_json (name, json);
  g_autoptr(HoneChatlog) log = hone_chatlog_new (name);
  g_autoptr(GError) error = NULL;

  if (!reader (log, name, root, &error))
    g_error ("refused: %s\n---\n%s", error->message, json);
  g_assert_no_error (error);
  return g_steal_pointer (&log);
}

void
hone_test_assert_json_refused (HoneTestJsonReader  reader,
                               const char         *name,
                               const char         *json,
                               const char         *words)
{
  g_autoptr(JsonNode) root = hone_test_parse_json (name, json);
  g_autoptr(HoneChatlog) log = hone_chatlog_new (name);
  g_autoptr(GError) error = NULL;

  if (reader (log, name, root, &error))
    g_error ("accepted, should be refused with «%s»:\n%s", words, json);
  hone_test_assert_refusal (error, HONE_IMPORT_ERROR_SHAPE, name, words);
  hone_test_assert_empty (log);
}

HoneChatlog *
hone_test_import_bytes (const char *tmpl,
                        const char *bytes,
                        gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  HoneChatlog *log;
  int fd;

  fd = g_file_open_tmp (tmpl, &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, bytes, len, &error));

  log = hone_import_read_path (path, NULL, NULL, &error);
  g_unlink (path);
  g_assert_no_error (error);
  g_assert_nonnull (log);
  return log;
}

const HoneChatMessage *
hone_test_message (HoneChatlog *log,
                   guint        conversation,
                   guint        index)
{
  HoneChatConversation *c;

  g_assert_cmpuint (conversation, <, log->conversations->len);
  c = g_ptr_array_index (log->conversations, conversation);
  g_assert_cmpuint (index, <, c->messages->len);
  return g_ptr_array_index (c->messages, index);
}

const HoneChatMessage *
hone_test_nth_message (HoneChatlog *log,
                       guint        index)
{
  guint left = index;

  for (guint i = 0; i < log->conversations->len; i++)
    {
      HoneChatConversation *c = g_ptr_array_index (log->conversations, i);

      if (left < c->messages->len)
        return g_ptr_array_index (c->messages, left);
      left -= c->messages->len;
    }
  g_error ("no message %u: the log holds %u", index, hone_chatlog_count_messages (log));
  return NULL;
}

const char *
hone_test_title (HoneChatlog *log,
                 guint        conversation)
{
  g_assert_cmpuint (conversation, <, log->conversations->len);
  return ((HoneChatConversation *) g_ptr_array_index (log->conversations, conversation))->title;
}

void
hone_test_assert_fields (const HoneChatMessage *message,
                         const char            *author,
                         const char            *time,
                         const char            *text,
                         gboolean               media)
{
  g_assert_nonnull (message);
  g_assert_cmpstr (message->author, ==, author);
  g_assert_cmpstr (message->time, ==, time);
  g_assert_cmpstr (message->text, ==, text);
  g_assert_cmpint (message->media, ==, media);
}

void
hone_test_assert_message (HoneChatlog *log,
                          guint        conversation,
                          guint        index,
                          const char  *author,
                          const char  *time,
                          const char  *text,
                          gboolean     media)
{
  hone_test_assert_fields (hone_test_message (log, conversation, index), author, time, text,
                           media);
}

void
hone_test_assert_empty (HoneChatlog *log)
{
  g_assert_cmpuint (log->conversations->len, ==, 0);
  g_assert_cmpuint (log->n_system, ==, 0);
}

void
hone_test_assert_refusal (const GError    *error,
                          HoneImportError  code,
                          const char      *name,
                          const char      *words)
{
  g_assert_error (error, HONE_IMPORT_ERROR, (int) code);
  if (name != NULL)
    {
      g_autofree char *prefix = g_strconcat (name, ": ", NULL);

      if (!g_str_has_prefix (error->message, prefix))
        g_error ("«%s» does not start with «%s»", error->message, prefix);
    }
  if (words != NULL)
    hone_test_assert_mentions (error, words);
}

void
hone_test_assert_mentions (const GError *error,
                           const char   *words)
{
  g_assert_nonnull (error);
  if (strstr (error->message, words) == NULL)
    g_error ("«%s» does not mention «%s»", error->message, words);
}

void
hone_test_exec_sql (sqlite3    *db,
                    const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* @sql prepared and stepped to its first row. */
static sqlite3_stmt *
first_row (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

gint64
hone_test_query_int (sqlite3    *db,
                     const char *sql)
{
  sqlite3_stmt *stmt = first_row (db, sql);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return value;
}

char *
hone_test_query_text (sqlite3    *db,
                      const char *sql)
{
  sqlite3_stmt *stmt = first_row (db, sql);
  char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  return value;
}
