/* test-store.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The project store: creating and opening projects, and sources in and out.
 */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "data/hone-chatlog.h"
#include "store/hone-project.h"

#include "hone-test-util.h"

typedef struct
{
  char *tmp;  /* removed at the end */
  char *dir;  /* tmp/project, not made yet */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmp = hone_test_make_temp_dir ("hone-store-XXXXXX");
  fixture->dir = g_build_filename (fixture->tmp, "project", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  hone_test_remove_tree (fixture->tmp);
  g_free (fixture->dir);
  g_free (fixture->tmp);
}

static gint64
query_int (HoneProject *project,
           const char  *sql)
{
  return hone_test_query_int (hone_project_get_db (project), sql);
}

static char *
query_text (HoneProject *project,
            const char  *sql)
{
  return hone_test_query_text (hone_project_get_db (project), sql);
}

static gint64
count_rows (HoneProject *project,
            const char  *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return query_int (project, sql);
}

/* A log with every kind of field: unicode, NULL and unparsable times, times with and
 * without offsets, media, NULL and empty titles, system events. */
static HoneChatlog *
make_rich_log (void)
{
  HoneChatlog *log = hone_chatlog_new ("chat ✓.txt");
  HoneChatConversation *c;

  log->format = HONE_CHAT_FORMAT_TELEGRAM;
  log->checksum = g_strdup ("5f2b1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c");

  c = hone_chat_conversation_new ("Fernwood Plants 🌿");
  c->n_system = 2;
  hone_chat_conversation_add (c, "Zoë", "2024-01-15T21:41:05+01:00", "Hallo! Grüße 👋", FALSE);
  hone_chat_conversation_add (c, "Ähmet", "2024-01-15T20:41:06", "שלום\nمرحبا\n日本語のテキスト",
                              FALSE);
  hone_chat_conversation_add (c, "anna", NULL, "", TRUE);
  hone_chat_conversation_add (c, "Zoë", "2024-01-15T21:50:00+05:30", "e\u0301 combining", TRUE);
  hone_chatlog_take_conversation (log, c);

  c = hone_chat_conversation_new (NULL);
  c->n_system = 1;
  hone_chat_conversation_add (c, "日本", "2023-12-31T23:59:59-08:00", "year end", FALSE);
  hone_chat_conversation_add (c, "anna", "not a time", "odd time", FALSE);
  hone_chatlog_take_conversation (log, c);

  c = hone_chat_conversation_new ("");
  hone_chat_conversation_add (c, "Émile", NULL, "no time at all", FALSE);
  hone_chatlog_take_conversation (log, c);

  /* Dropped (no message) but its system events still count. */
  c = hone_chat_conversation_new ("empty");
  c->n_system = 4;
  hone_chatlog_take_conversation (log, c);

  return log;
}

static HoneChatlog *
make_log (const char *file,
          const char *checksum,
          guint       n_conversations,
          guint       n_per_conversation)
{
  static const char *authors[] = { "Anna", "Bruno", "Chidi", "Dana", "Eun-ji" };
  HoneChatlog *log = hone_chatlog_new (file);
  guint n = 0;

  log->format = HONE_CHAT_FORMAT_WHATSAPP;
  log->checksum = g_strdup (checksum);
  for (guint i = 0; i < n_conversations; i++)
    {
      g_autofree char *title = g_strdup_printf ("Chat %u", i);
      HoneChatConversation *c = hone_chat_conversation_new (title);

      for (guint j = 0; j < n_per_conversation; j++, n++)
        {
          g_autofree char *time = g_strdup_printf ("2024-%02u-%02uT%02u:%02u:%02u",
                                                   1 + n / 2678400 % 12, 1 + n / 86400 % 28,
                                                   n / 3600 % 24, n / 60 % 60, n % 60);
          g_autofree char *text = g_strdup_printf ("message %u of chat %u, with some words", j, i);

          hone_chat_conversation_add (c, authors[(i + j) % G_N_ELEMENTS (authors)], time, text,
                                      j % 50 == 49);
        }
      hone_chatlog_take_conversation (log, c);
    }
  return log;
}

static void
assert_logs_equal (const HoneChatlog *a,
                   const HoneChatlog *b)
{
  g_assert_cmpstr (a->file, ==, b->file);
  g_assert_cmpint (a->format, ==, b->format);
  g_assert_cmpstr (a->checksum, ==, b->checksum);
  g_assert_cmpuint (a->n_system, ==, b->n_system);
  g_assert_cmpuint (a->conversations->len, ==, b->conversations->len);
  for (guint i = 0; i < a->conversations->len; i++)
    {
      const HoneChatConversation *ca = g_ptr_array_index (a->conversations, i);
      const HoneChatConversation *cb = g_ptr_array_index (b->conversations, i);

      g_assert_cmpstr (ca->title, ==, cb->title);
      g_assert_cmpuint (ca->n_system, ==, cb->n_system);
      g_assert_cmpuint (ca->messages->len, ==, cb->messages->len);
      for (guint j = 0; j < ca->messages->len; j++)
        {
          const HoneChatMessage *ma = g_ptr_array_index (ca->messages, j);
          const HoneChatMessage *mb = g_ptr_array_index (cb->messages, j);

          hone_test_assert_fields (ma, mb->author, mb->time, mb->text, mb->media);
        }
    }
}

static void
test_create_open (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "project.sqlite", NULL);
  g_autofree char *runs = g_build_filename (fixture->dir, "runs", NULL);
  g_autofree char *mode = NULL;

  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  project = hone_project_create (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (runs, G_FILE_TEST_IS_DIR));
  g_assert_cmpstr (hone_project_get_dir (project), ==, fixture->dir);

  g_assert_cmpint (hone_project_schema_version (), >=, 2);
  g_assert_cmpint (query_int (project, "PRAGMA user_version"), ==, hone_project_schema_version ());
  mode = query_text (project, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (project, "PRAGMA foreign_keys"), ==, 1);
  /* NORMAL (1) or FULL (2); never OFF. */
  g_assert_cmpint (query_int (project, "PRAGMA synchronous"), >=, 1);
  g_assert_cmpint (query_int (project, "PRAGMA busy_timeout"), >, 0);
  g_clear_pointer (&project, hone_project_free);

  /* Open, and open again after a removed runs/ folder: it comes back. */
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&mode, g_free);
      project = hone_project_open (fixture->dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (query_int (project, "PRAGMA user_version"), ==,
                       hone_project_schema_version ());
      mode = query_text (project, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal");
      g_assert_cmpint (query_int (project, "PRAGMA foreign_keys"), ==, 1);
      sources = hone_project_list_sources (project, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sources->len, ==, 0);
      g_clear_pointer (&sources, g_ptr_array_unref);
      g_clear_pointer (&project, hone_project_free);
      g_rmdir (runs);
    }
  g_assert_false (g_file_test (runs, G_FILE_TEST_IS_DIR));
  project = hone_project_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (runs, G_FILE_TEST_IS_DIR));
}

static void
test_create_exists (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneProject) again = NULL;
  g_autoptr(HoneChatlog) log = make_log ("a.txt", "aaaa", 2, 3);

  project = hone_project_create (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_project_add_source (project, "/tmp/a.txt", log, NULL, NULL, NULL, &error),
                   >, 0);
  g_assert_no_error (error);

  again = hone_project_create (fixture->dir, &error);
  g_assert_null (again);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_EXISTS);
  hone_test_assert_mentions (error, "already a Hone project");
  hone_test_assert_mentions (error, fixture->dir);
  g_clear_error (&error);

  /* The project that was there is untouched. */
  g_clear_pointer (&project, hone_project_free);
  project = hone_project_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (project, "messages"), ==, 6);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_open_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "project.sqlite", NULL);

  project = hone_project_open (fixture->dir, &error);
  g_assert_null (project);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND);
  hone_test_assert_mentions (error, "no Hone project");
  hone_test_assert_mentions (error, fixture->dir);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (fixture->dir, 0700), ==, 0);
  project = hone_project_open (fixture->dir, &error);
  g_assert_null (project);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND);
  hone_test_assert_mentions (error, "no Hone project");
  hone_test_assert_mentions (error, "project.sqlite");
  /* Looking made nothing. */
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The project file itself given instead of its folder. */
  write_file (file, "", 0);
  project = hone_project_open (file, &error);
  g_assert_null (project);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND);
  hone_test_assert_mentions (error, "not a folder");
}

static void
make_raw_database (const char *path,
                   const char *sql)
{
  sqlite3 *db = NULL;

  g_unlink (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  hone_test_exec_sql (db, sql);
  sqlite3_close (db);
}

static void
assert_corrupt (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (dir, &error);

  g_assert_null (project);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT);
  hone_test_assert_mentions (error, "not a Hone project");
  hone_test_assert_mentions (error, "project.sqlite");
}

static void
test_open_corrupt (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "project.sqlite", NULL);
  g_autofree char *garbage = g_malloc (8192);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_assert_cmpint (g_mkdir (fixture->dir, 0700), ==, 0);

  write_file (file, "These are my notes, not a database.\n", -1);
  assert_corrupt (fixture->dir);

  for (guint i = 0; i < 8192; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  write_file (file, garbage, 8192);
  assert_corrupt (fixture->dir);

  /* A real SQLite file, but another program's. */
  make_raw_database (file, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);");
  assert_corrupt (fixture->dir);
  make_raw_database (file, "PRAGMA application_id = 42; PRAGMA user_version = 1;"
                           "CREATE TABLE sources (id INTEGER PRIMARY KEY);");
  assert_corrupt (fixture->dir);
  make_raw_database (file, "PRAGMA user_version = 1; CREATE TABLE sources (id INTEGER);");
  assert_corrupt (fixture->dir);

  /* Ours by its header, but without our tables. */
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;"
                                            "CREATE TABLE other (x);",
                                            0x486f6e65, hone_project_schema_version ());
    make_raw_database (file, sql);
    assert_corrupt (fixture->dir);
  }

  /* A project whose header page was overwritten. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HoneProject) project = NULL;
    g_autofree char *contents = NULL;
    gsize length = 0;

    hone_test_remove_tree (fixture->dir);
    project = hone_project_create (fixture->dir, &error);
    g_assert_no_error (error);
    g_clear_pointer (&project, hone_project_free);
    g_file_get_contents (file, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 100);
    memset (contents, 'x', 100);
    write_file (file, contents, length);
    assert_corrupt (fixture->dir);
  }
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          hone_project_schema_version () + 1);
  g_autofree char *file = g_build_filename (fixture->dir, "project.sqlite", NULL);
  sqlite3 *db = NULL;
  int version = -1;
  sqlite3_stmt *stmt = NULL;

  project = hone_project_create (fixture->dir, &error);
  g_assert_no_error (error);
  hone_test_exec_sql (hone_project_get_db (project), sql);
  g_clear_pointer (&project, hone_project_free);

  project = hone_project_open (fixture->dir, &error);
  g_assert_null (project);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_TOO_NEW);
  hone_test_assert_mentions (error, "made by a newer version of Hone");

  /* Refusing changed nothing. */
  g_assert_cmpint (sqlite3_open_v2 (file, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (version, ==, hone_project_schema_version () + 1);
}

typedef struct
{
  guint  calls;
  double last;
} ProgressLog;

static void
progress_record (double   fraction,
                 gpointer user_data)
{
  ProgressLog *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  progress->last = fraction;
  progress->calls++;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneChatlog) log = make_rich_log ();
  g_autoptr(HoneChatlog) loaded = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(HoneSourceInfo) info = NULL;
  g_autofree char *path = g_build_filename (fixture->tmp, "exports", "chat ✓.txt", NULL);
  /* strcmp order: bytes, so "Zoë" before "anna" before the accented letters. */
  const char *participants[] = { "Zoë", "anna", "Ähmet", "Émile", "日本", NULL };
  ProgressLog progress = { 0, 0.0 };
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) imported = NULL;
  gint64 id;

  project = hone_project_create (fixture->dir, &error);
  g_assert_no_error (error);
  id = hone_project_add_source (project, path, log, progress_record, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpfloat (progress.last, ==, 1.0);

  /* Reopen, so that everything comes from the file. */
  g_clear_pointer (&project, hone_project_free);
  project = hone_project_open (fixture->dir, &error);
  g_assert_no_error (error);

  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  info = hone_project_get_source (project, id, &error);
  g_assert_no_error (error);

  for (guint k = 0; k < 2; k++)
    {
      const HoneSourceInfo *s = k == 0 ? info : g_ptr_array_index (sources, 0);

      g_assert_cmpint (s->id, ==, id);
      g_assert_cmpstr (s->file, ==, "chat ✓.txt");
      g_assert_cmpstr (s->path, ==, path);
      g_assert_cmpint (s->format, ==, HONE_CHAT_FORMAT_TELEGRAM);
      g_assert_cmpstr (s->checksum, ==, log->checksum);
      g_assert_cmpuint (s->n_conversations, ==, 3);
      g_assert_cmpuint (s->n_messages, ==, 7);
      g_assert_cmpuint (s->n_system, ==, 7);
      g_assert_cmpuint (s->n_media, ==, 2);
      g_assert_cmpstrv (s->participants, participants);
      /* By instant, as written: 2023-12-31T23:59:59-08:00 is 2024-01-01T07:59:59Z. */
      g_assert_cmpstr (s->first_time, ==, "2023-12-31T23:59:59-08:00");
      /* 21:50+05:30 is 16:20Z; the latest is 20:41:06 (no offset: UTC), not the text
       * that sorts last. */
      g_assert_cmpstr (s->last_time, ==, "2024-01-15T20:41:06");
    }

  /* imported_at: ISO 8601 UTC, now. */
  g_assert_true (g_str_has_suffix (info->imported_at, "Z"));
  imported = g_date_time_new_from_iso8601 (info->imported_at, NULL);
  g_assert_nonnull (imported);
  g_assert_cmpint (g_date_time_difference (imported, before), >=, -G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (imported, before), <, 60 * G_TIME_SPAN_SECOND);

  loaded = hone_project_load_source (project, id, &error);
  g_assert_no_error (error);
  assert_logs_equal (loaded, log);
  g_assert_cmpuint (hone_chatlog_count_media (loaded), ==, 2);

  g_assert_cmpint (count_rows (project, "speakers"), ==, 5);
  g_assert_cmpint (query_int (project, "SELECT count(*) FROM messages WHERE time IS NULL"), ==, 2);
  g_assert_cmpint (query_int (project, "SELECT count(*) FROM messages WHERE time_unix IS NULL"),
                   ==, 3);
  /* time_unix is the instant: 2024-01-15T21:41:05+01:00 = 1705351265. */
  g_assert_cmpint (query_int (project, "SELECT time_unix FROM messages "
                                       "WHERE time = '2024-01-15T21:41:05+01:00'"),
                   ==, 1705351265);
}

static void
test_times (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  struct {
    const char *times[4];
    const char *first;
    const char *last;
  } cases[] = {
    { { NULL, NULL, NULL, NULL }, NULL, NULL },
    { { "garbage", "2024-02-30T10:00:00", NULL, NULL }, NULL, NULL },
    { { "2024-03-01T10:00:00", NULL, NULL, NULL }, "2024-03-01T10:00:00", "2024-03-01T10:00:00" },
    /* Ties keep the first in import order. */
    { { "2024-03-01T10:00:00Z", "2024-03-01T11:00:00+01:00", "2024-03-01T10:00:00", NULL },
      "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z" },
    { { "2024-03-01T10:00:00", "2024-02-29T23:00:00-12:00", "2024-03-01T10:30:00+0100", NULL },
      "2024-03-01T10:30:00+0100", "2024-02-29T23:00:00-12:00" },
    { { "1969-12-31T23:59:59", "1970-01-01T00:00:00", "2038-01-19T03:14:08", NULL },
      "1969-12-31T23:59:59", "2038-01-19T03:14:08" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HoneChatlog) log = hone_chatlog_new ("times.json");
      HoneChatConversation *c = hone_chat_conversation_new (NULL);
      g_autoptr(HoneSourceInfo) info = NULL;
      gint64 id;

      log->checksum = g_strdup_printf ("times-%u", i);
      for (guint j = 0; j < 3; j++)
        hone_chat_conversation_add (c, "A", cases[i].times[j], "hi", FALSE);
      hone_chatlog_take_conversation (log, c);

      id = hone_project_add_source (project, NULL, log, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      info = hone_project_get_source (project, id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (info->first_time, ==, cases[i].first);
      g_assert_cmpstr (info->last_time, ==, cases[i].last);
      g_assert_null (info->path);
      g_assert_cmpint (info->format, ==, HONE_CHAT_FORMAT_UNKNOWN);
    }
  g_assert_cmpint (query_int (project, "SELECT time_unix FROM messages "
                                       "WHERE time = '1969-12-31T23:59:59'"), ==, -1);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) log = make_log ("first.txt", "same-content", 3, 4);
  g_autoptr(HoneChatlog) copy = make_log ("renamed copy.txt", "same-content", 3, 4);
  g_autoptr(HoneSourceInfo) info = NULL;
  g_autofree char *expected = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = hone_project_add_source (project, "first.txt", log, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  info = hone_project_get_source (project, id, &error);
  g_assert_no_error (error);

  g_assert_cmpint (hone_project_add_source (project, "renamed copy.txt", copy, NULL, NULL, NULL,
                                            &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE);
  expected = g_strdup_printf ("already imported on %.10s as first.txt", info->imported_at);
  hone_test_assert_mentions (error, expected);
  hone_test_assert_mentions (error, "renamed copy.txt");

  g_assert_cmpint (count_rows (project, "sources"), ==, 1);
  g_assert_cmpint (count_rows (project, "conversations"), ==, 3);
  g_assert_cmpint (count_rows (project, "messages"), ==, 12);
  g_assert_cmpint (count_rows (project, "source_speakers"), ==, 5);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) a = make_log ("a.txt", "checksum-a", 4, 10);
  g_autoptr(HoneChatlog) b = make_log ("b.txt", "checksum-b", 2, 3);
  g_autoptr(HoneChatlog) loaded = NULL;
  g_autoptr(HoneSourceInfo) info = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *role = NULL;
  gint64 id_a, id_b, id_again;

  g_assert_no_error (error);
  id_a = hone_project_add_source (project, "a.txt", a, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  id_b = hone_project_add_source (project, "b.txt", b, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_b, >, id_a);
  hone_test_exec_sql (hone_project_get_db (project),
            "UPDATE speakers SET role = 'assistant' WHERE name = 'Anna'");

  g_assert_true (hone_project_remove_source (project, id_a, &error));
  g_assert_no_error (error);

  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpint (((HoneSourceInfo *) g_ptr_array_index (sources, 0))->id, ==, id_b);
  g_assert_cmpint (count_rows (project, "conversations"), ==, 2);
  g_assert_cmpint (count_rows (project, "messages"), ==, 6);
  g_assert_cmpint (query_int (project, "SELECT count(*) FROM source_speakers "
                                       "WHERE source_id NOT IN (SELECT id FROM sources)"), ==, 0);
  g_assert_cmpint (query_int (project, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* Gone for every call, and a second removal says so too. */
  info = hone_project_get_source (project, id_a, &error);
  g_assert_null (info);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NO_SOURCE);
  g_clear_error (&error);
  loaded = hone_project_load_source (project, id_a, &error);
  g_assert_null (loaded);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NO_SOURCE);
  g_clear_error (&error);
  g_assert_false (hone_project_remove_source (project, id_a, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NO_SOURCE);
  g_clear_error (&error);
  g_assert_false (hone_project_remove_source (project, 9999, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NO_SOURCE);
  hone_test_assert_mentions (error, "9999");
  g_clear_error (&error);

  /* The checksum is free again; the speakers and their roles stayed. */
  id_again = hone_project_add_source (project, "a.txt", a, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_again, >, id_b);
  loaded = hone_project_load_source (project, id_again, &error);
  g_assert_no_error (error);
  assert_logs_equal (loaded, a);
  role = query_text (project, "SELECT role FROM speakers WHERE name = 'Anna'");
  g_assert_cmpstr (role, ==, "assistant");
  g_assert_cmpint (count_rows (project, "speakers"), ==, 5);

  g_clear_pointer (&sources, g_ptr_array_unref);
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 2);
  g_assert_cmpint (((HoneSourceInfo *) g_ptr_array_index (sources, 0))->id, ==, id_b);
  g_assert_cmpint (((HoneSourceInfo *) g_ptr_array_index (sources, 1))->id, ==, id_again);
}

static void
cancel_on_first_progress (double   fraction,
                          gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_assert_cmpfloat (fraction, <, 1.0);
  g_cancellable_cancel (cancellable);
}

static void
assert_store_empty (HoneProject *project)
{
  const char *tables[] = { "sources", "speakers", "source_speakers", "conversations", "messages" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_cmpint (count_rows (project, tables[i]), ==, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) log = make_log ("big.txt", "cancel-me", 100, 100);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) sources = NULL;

  g_assert_no_error (error);

  /* Cancelled half-way. */
  g_assert_cmpint (hone_project_add_source (project, "big.txt", log, cancel_on_first_progress,
                                            cancellable, cancellable, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_store_empty (project);
  g_assert_true (sqlite3_get_autocommit (hone_project_get_db (project)));

  /* Cancelled before it starts. */
  g_assert_cmpint (hone_project_add_source (project, "big.txt", log, NULL, NULL, cancellable,
                                            &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_store_empty (project);

  /* Nothing was left behind, not even the checksum. */
  g_cancellable_reset (cancellable);
  g_assert_cmpint (hone_project_add_source (project, "big.txt", log, NULL, NULL, cancellable,
                                            &error), >, 0);
  g_assert_no_error (error);
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpint (count_rows (project, "messages"), ==, 10000);
}

static void
test_no_checksum (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) log = make_log ("x.txt", NULL, 1, 1);

  g_assert_no_error (error);
  g_assert_cmpint (hone_project_add_source (project, "x.txt", log, NULL, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  hone_test_assert_mentions (error, "x.txt");
  assert_store_empty (project);
}

/* A caller's own transaction: the import becomes part of it. */
static void
test_nested_transaction (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) log = make_log ("n.txt", "nested", 2, 2);
  sqlite3 *db;

  g_assert_no_error (error);
  db = hone_project_get_db (project);

  hone_test_exec_sql (db, "BEGIN IMMEDIATE");
  g_assert_cmpint (hone_project_add_source (project, "n.txt", log, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_false (sqlite3_get_autocommit (db));
  g_assert_cmpint (count_rows (project, "messages"), ==, 4);
  hone_test_exec_sql (db, "ROLLBACK");
  assert_store_empty (project);

  hone_test_exec_sql (db, "BEGIN IMMEDIATE");
  g_assert_cmpint (hone_project_add_source (project, "n.txt", log, NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (hone_project_add_source (project, "n.txt", log, NULL, NULL, NULL, &error),
                   ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE);
  g_clear_error (&error);
  /* The failed one rolled back only itself. */
  g_assert_false (sqlite3_get_autocommit (db));
  hone_test_exec_sql (db, "COMMIT");
  g_assert_cmpint (count_rows (project, "sources"), ==, 1);
  g_assert_cmpint (count_rows (project, "messages"), ==, 4);
}

typedef struct
{
  HoneProject *project;
  HoneChatlog *log;
  gint64       id;
  GError      *error;
} ImportJob;

static gpointer
import_thread (gpointer data)
{
  ImportJob *job = data;

  job->id = hone_project_add_source (job->project, job->log->file, job->log, NULL, NULL, NULL,
                                     &job->error);
  return NULL;
}

static void
test_two_connections (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) a = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneProject) b = NULL;
  g_autoptr(HoneChatlog) log_a = make_log ("a.txt", "conn-a", 10, 10);
  g_autoptr(HoneChatlog) log_b = make_log ("b.txt", "conn-b", 10, 10);
  g_autoptr(HoneChatlog) big_a = make_log ("big-a.txt", "conn-big-a", 200, 100);
  g_autoptr(HoneChatlog) big_b = make_log ("big-b.txt", "conn-big-b", 200, 100);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(HoneChatlog) loaded = NULL;
  ImportJob jobs[2];
  GThread *threads[2];
  gint64 id_a, id_b;

  g_assert_no_error (error);
  b = hone_project_open (fixture->dir, &error);
  g_assert_no_error (error);

  id_a = hone_project_add_source (a, "a.txt", log_a, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sources = hone_project_list_sources (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  g_clear_pointer (&sources, g_ptr_array_unref);

  id_b = hone_project_add_source (b, "b.txt", log_b, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sources = hone_project_list_sources (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 2);
  g_clear_pointer (&sources, g_ptr_array_unref);
  loaded = hone_project_load_source (a, id_b, &error);
  g_assert_no_error (error);
  assert_logs_equal (loaded, log_b);

  /* A duplicate made through the other connection is noticed too. */
  g_assert_cmpint (hone_project_add_source (b, "a.txt", log_a, NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* Two writers at once, one connection each: the second waits for the first. */
  jobs[0] = (ImportJob) { a, big_a, 0, NULL };
  jobs[1] = (ImportJob) { b, big_b, 0, NULL };
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("import", import_thread, &jobs[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (jobs[i].error);
      g_assert_cmpint (jobs[i].id, >, 0);
    }
  g_assert_cmpint (count_rows (a, "messages"), ==, 200 + 2 * 20000);
  g_assert_cmpint (count_rows (b, "messages"), ==, 200 + 2 * 20000);

  /* Removing through one is seen by the other. */
  g_assert_true (hone_project_remove_source (b, id_a, &error));
  g_assert_no_error (error);
  sources = hone_project_list_sources (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 3);
}

static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (fixture->dir, &error);
  g_autoptr(HoneChatlog) log = make_log ("large.txt", "large", 1000, 100);
  g_autoptr(HoneChatlog) loaded = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  ProgressLog progress = { 0, 0.0 };
  double add_s, load_s, remove_s;
  gint64 id;

  g_assert_no_error (error);
  g_timer_start (timer);
  id = hone_project_add_source (project, "large.txt", log, progress_record, &progress, NULL,
                                &error);
  add_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >=, 20);

  g_timer_start (timer);
  loaded = hone_project_load_source (project, id, &error);
  load_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  assert_logs_equal (loaded, log);

  g_timer_start (timer);
  g_assert_true (hone_project_remove_source (project, id, &error));
  remove_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);

  /* Reported, not asserted: timings belong to benchmarks. */
  g_test_message ("100 000 messages: add %.3f s (%.0f messages/s), load %.3f s, remove %.3f s",
                  add_s, 100000 / add_s, load_s, remove_s);
  g_assert_cmpint (count_rows (project, "messages"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/hone/store/create-open", test_create_open);
  ADD ("/hone/store/create-exists", test_create_exists);
  ADD ("/hone/store/open-not-found", test_open_not_found);
  ADD ("/hone/store/open-corrupt", test_open_corrupt);
  ADD ("/hone/store/open-too-new", test_open_too_new);
  ADD ("/hone/store/round-trip", test_round_trip);
  ADD ("/hone/store/times", test_times);
  ADD ("/hone/store/duplicate", test_duplicate);
  ADD ("/hone/store/remove", test_remove);
  ADD ("/hone/store/cancel", test_cancel);
  ADD ("/hone/store/no-checksum", test_no_checksum);
  ADD ("/hone/store/nested-transaction", test_nested_transaction);
  ADD ("/hone/store/two-connections", test_two_connections);
  ADD ("/hone/store/large", test_large);
#undef ADD

  return g_test_run ();
}
