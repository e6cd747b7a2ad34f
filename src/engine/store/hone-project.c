/* hone-project.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Durability: WAL with synchronous=NORMAL. A commit is in the WAL file before COMMIT
 * returns, so a killed process loses nothing it committed and never leaves half a
 * transaction; after a power cut the last commits may be gone, but the file is still
 * consistent. Every write below is one transaction.
 */
#define G_LOG_DOMAIN "hone-project"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib/gstdio.h>

#include "data/hone-datetime.h"
#include "hone-migrations.h"
#include "hone-project.h"
#include "hone-store-private.h"

#define PROJECT_FILE     "project.sqlite"
#define RUNS_DIR         "runs"
#define BUSY_TIMEOUT_MS  10000
/* Progress and cancellation are looked at once per this many messages. */
#define PROGRESS_EVERY   4096

struct _HoneProject
{
  char       *dir;         /* absolute */
  sqlite3    *db;
  GHashTable *statements;  /* SQL text (static) → sqlite3_stmt, prepared once */
};

/* A statement from the cache, reset when it goes out of scope: a SELECT left
 * mid-way would otherwise keep its read snapshot open. */
typedef sqlite3_stmt HoneCachedStatement;

static void
cached_statement_release (HoneCachedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneCachedStatement, cached_statement_release)

static void
statement_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* The tables the current schema has; a file that lacks one is not a Hone project. */
static const char *required_tables[] = {
  "sources", "speakers", "source_speakers", "conversations", "messages",
  "tags", "conversation_tags", "datasets", "dataset_sources", "splits", "models", "runs",
  "metrics", "checkpoints", "samples", "feedback",
};

#define SOURCE_COLUMNS \
  "id, file, path, format, checksum, imported_at, n_conversations, n_messages, " \
  "n_system, n_media, first_time, last_time"

G_DEFINE_QUARK (hone-project-error-quark, hone_project_error)

int
hone_project_schema_version (void)
{
  return hone_migrations_count ();
}

static HoneCachedStatement *
project_statement (HoneProject  *self,
                   const char   *sql,
                   GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the project");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Steps a statement that returns no row. */
static gboolean
statement_run (HoneProject   *self,
               sqlite3_stmt  *stmt,
               const char    *what,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hone_store_set_error (error, self->db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  /* SQLITE_STATIC: every string bound here outlives the statement's use, and
   * cached_statement_release () clears the bindings. */
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Opening */

static gboolean
check_file (sqlite3     *db,
            const char  *path,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 application_id = 0;
  gint64 version = 0;
  gint64 n_objects = 0;

  /* The first read is where SQLite finds out whether the file is a database at all
   * (and replays the WAL of a process that died). */
  if (!hone_store_query_int (db, "PRAGMA application_id", &application_id, &local_error) ||
      !hone_store_query_int (db, "PRAGMA user_version", &version, &local_error) ||
      !hone_store_query_int (db, "SELECT count(*) FROM sqlite_schema "
                                 "WHERE name NOT LIKE 'sqlite_%'", &n_objects, &local_error))
    {
      if (g_error_matches (local_error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT))
        g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                     "%s is not a Hone project, or it is damaged (%s)",
                     path, sqlite3_errmsg (db));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return FALSE;
    }

  /* An empty database (a project whose creation was cut short) is finished by the
   * migrations; anything else must say it is ours. */
  if (version == 0 && n_objects == 0 &&
      (application_id == 0 || application_id == HONE_STORE_APPLICATION_ID))
    return TRUE;
  if (application_id != HONE_STORE_APPLICATION_ID || version == 0)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                   "%s is not a Hone project: it is a database of another program", path);
      return FALSE;
    }
  return hone_store_check_version (version, error);
}

static gboolean
configure_connection (sqlite3  *db,
                      GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *mode = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          mode = (const char *) sqlite3_column_text (stmt, 0);
          if (g_strcmp0 (mode, "wal") != 0)
            g_debug ("journal_mode is %s: this file system cannot hold a WAL", mode);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    hone_store_set_error (error, db, rc, "Could not set up the project");
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return FALSE;

  /* NORMAL is enough in WAL mode to survive a killed process (see the top). The WAL
   * of a large import is cut back to a few MiB once it has been copied into the file. */
  return hone_store_exec (db,
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA journal_size_limit = 4194304;",
                          error);
}

static gboolean
check_schema (sqlite3     *db,
              const char  *path,
              GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (required_tables); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
                         required_tables[i]);
      gint64 found = 0;

      if (!hone_store_query_int (db, sql, &found, error))
        return FALSE;
      if (found == 0)
        {
          g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                       "%s is not a Hone project, or it is damaged: it has no “%s” table",
                       path, required_tables[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static HoneProject *
project_open_file (const char  *dir,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *runs = NULL;
  HoneProject *self;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      hone_store_set_error (error, db, rc, path);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, TRUE);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  if (!check_file (db, path, error) ||
      !configure_connection (db, error) ||
      !hone_migrations_run (db, hone_migrations_count (), error) ||
      !check_schema (db, path, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  runs = g_build_filename (dir, RUNS_DIR, NULL);
  if (g_mkdir_with_parents (runs, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "Could not create the folder %s: %s", runs, g_strerror (saved_errno));
      sqlite3_close (db);
      return NULL;
    }

  self = g_new0 (HoneProject, 1);
  self->dir = g_strdup (dir);
  self->db = db;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, statement_finalize);
  return self;
}

static void
remove_project_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
}

HoneProject *
hone_project_create (const char  *dir,
                     GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *path = NULL;
  HoneProject *self;
  int fd;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  absolute = g_canonicalize_filename (dir, NULL);
  if (g_mkdir_with_parents (absolute, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "Could not create the folder %s: %s", absolute, g_strerror (saved_errno));
      return NULL;
    }

  /* O_EXCL: two programs creating a project in one folder cannot both succeed. */
  path = g_build_filename (absolute, PROJECT_FILE, NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_EXISTS,
                     "There is already a Hone project in %s", absolute);
      else
        g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                     "Could not create %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  g_close (fd, NULL);

  /* A WAL left beside a project.sqlite that was deleted by hand would be replayed
   * into the new, empty file. */
  remove_project_files (path);

  self = project_open_file (absolute, path, error);
  if (self == NULL)
    {
      remove_project_files (path);
      g_unlink (path);
    }
  return self;
}

HoneProject *
hone_project_open (const char  *dir,
                   GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  absolute = g_canonicalize_filename (dir, NULL);
  path = g_build_filename (absolute, PROJECT_FILE, NULL);
  if (!g_file_test (absolute, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   g_file_test (absolute, G_FILE_TEST_EXISTS)
                     ? "There is no Hone project at %s: it is a file, not a folder"
                     : "There is no Hone project in %s: the folder does not exist",
                   absolute);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   "There is no Hone project in %s: it has no project.sqlite", absolute);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                   "%s is not a Hone project: it is not a file", path);
      return NULL;
    }

  return project_open_file (absolute, path, error);
}

void
hone_project_free (HoneProject *project)
{
  if (project == NULL)
    return;

  /* Statements first: a connection with live statements would stay open. */
  g_clear_pointer (&project->statements, g_hash_table_unref);
  sqlite3_close (project->db);
  g_free (project->dir);
  g_free (project);
}

const char *
hone_project_get_dir (HoneProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);

  return project->dir;
}

sqlite3 *
hone_project_get_db (HoneProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);

  return project->db;
}

/* Importing */

/* Seconds since 1970 of a message time, "YYYY-MM-DDTHH:MM:SS" ('T' or a space, the
 * seconds optional) then an optional fraction and an optional "Z", "±HH:MM" or "±HHMM".
 * A time without offset counts as UTC, so that times of one export order among
 * themselves. FALSE for anything else. */
static gboolean
time_to_unix (const char *time,
              gint64     *unix_time)
{
  HoneIsoTime t;

  if (!hone_datetime_parse_iso (time, time + strlen (time),
                                HONE_ISO_TIME_SPACE | HONE_ISO_TIME_NO_SECONDS |
                                HONE_ISO_TIME_LOOSE_FRACTION | HONE_ISO_TIME_OFFSET,
                                &t))
    return FALSE;
  /* A leap second (:60) is taken as the next second. */
  if (t.year < 1 || !g_date_valid_dmy (t.day, t.month, t.year) ||
      t.hour > 23 || t.minute > 59 || t.second > 60 || ABS (t.offset_minutes) >= 24 * 60)
    return FALSE;

  *unix_time = hone_datetime_instant (t.year, t.month, t.day, t.hour, t.minute, t.second,
                                      t.offset_minutes);
  return TRUE;
}

typedef struct
{
  HoneProject *self;
  gint64       source_id;
  GHashTable  *speakers;  /* author (owned by the log) → gint64 *speaker id */
  const HoneChatlog *log;
} Import;

/* The id of speaker @name, made when new to the project; the first time a name comes
 * up in this import, it also becomes a participant of the source. */
static gboolean
import_speaker (Import      *import,
                const char  *name,
                gint64      *id,
                GError     **error)
{
  HoneProject *self = import->self;
  gint64 *cached = g_hash_table_lookup (import->speakers, name);

  if (cached != NULL)
    {
      *id = *cached;
      return TRUE;
    }

  {
    g_autoptr(HoneCachedStatement) find =
      project_statement (self, "SELECT id FROM speakers WHERE name = ?1", error);
    int rc;

    if (find == NULL)
      return FALSE;
    sqlite3_bind_text (find, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step (find);
    if (rc == SQLITE_ROW)
      *id = sqlite3_column_int64 (find, 0);
    else if (rc != SQLITE_DONE)
      {
        hone_store_set_error (error, self->db, rc, "Could not read the speakers");
        return FALSE;
      }
    else
      {
        g_autoptr(HoneCachedStatement) insert =
          project_statement (self, "INSERT INTO speakers (name) VALUES (?1)", error);

        if (insert == NULL)
          return FALSE;
        sqlite3_bind_text (insert, 1, name, -1, SQLITE_STATIC);
        if (!statement_run (self, insert, "Could not add a speaker", error))
          return FALSE;
        *id = sqlite3_last_insert_rowid (self->db);
      }
  }

  {
    g_autoptr(HoneCachedStatement) participant =
      project_statement (self, "INSERT INTO source_speakers (source_id, speaker_id, marked) "
                               "VALUES (?1, ?2, ?3)", error);
    /* The side the export gives them (a help-desk CSV's role column), for the guess. */
    HoneChatSide side = hone_chatlog_get_side (import->log, name);

    if (participant == NULL)
      return FALSE;
    sqlite3_bind_int64 (participant, 1, import->source_id);
    sqlite3_bind_int64 (participant, 2, *id);
    if (side != HONE_CHAT_SIDE_UNKNOWN)
      sqlite3_bind_text (participant, 3, side == HONE_CHAT_SIDE_AGENT ? "assistant" : "user", -1,
                         SQLITE_STATIC);
    if (!statement_run (self, participant, "Could not add a participant", error))
      return FALSE;
  }

  g_hash_table_insert (import->speakers, (gpointer) name, g_memdup2 (id, sizeof *id));
  return TRUE;
}

static gboolean
check_duplicate (HoneProject        *self,
                 const HoneChatlog  *log,
                 const char         *file,
                 GError            **error)
{
  g_autoptr(HoneCachedStatement) stmt =
    project_statement (self, "SELECT imported_at, file FROM sources WHERE checksum = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, log->checksum, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_DUPLICATE,
                   "%s: this chat log was already imported on %.10s as %s",
                   file, (const char *) sqlite3_column_text (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the sources");
      return FALSE;
    }
  return TRUE;
}

/* Everything add_source writes, inside its transaction. */
static gint64
import_rows (HoneProject        *self,
             const char         *path,
             const char         *file,
             const HoneChatlog  *log,
             HoneProgressFunc    progress,
             gpointer            progress_data,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GHashTable) speakers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(HoneCachedStatement) insert_conversation = NULL;
  g_autoptr(HoneCachedStatement) insert_message = NULL;
  g_autofree char *imported_at = now_utc ();
  Import import = { self, 0, speakers, log };
  const char *first_time = NULL;
  const char *last_time = NULL;
  gint64 first_unix = G_MAXINT64;
  gint64 last_unix = G_MININT64;
  guint n_total = hone_chatlog_count_messages (log);
  guint n_done = 0;
  guint n_media = 0;

  if (!check_duplicate (self, log, file, error))
    return 0;

  {
    g_autoptr(HoneCachedStatement) insert_source =
      project_statement (self, "INSERT INTO sources (file, path, format, checksum, imported_at, "
                               "n_conversations, n_messages, n_system) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

    if (insert_source == NULL)
      return 0;
    sqlite3_bind_text (insert_source, 1, file, -1, SQLITE_STATIC);
    bind_text_or_null (insert_source, 2, path);
    sqlite3_bind_text (insert_source, 3, hone_chat_format_to_string (log->format), -1,
                       SQLITE_STATIC);
    sqlite3_bind_text (insert_source, 4, log->checksum, -1, SQLITE_STATIC);
    sqlite3_bind_text (insert_source, 5, imported_at, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert_source, 6, log->conversations->len);
    sqlite3_bind_int64 (insert_source, 7, n_total);
    sqlite3_bind_int64 (insert_source, 8, log->n_system);
    if (!statement_run (self, insert_source, "Could not add the source", error))
      return 0;
    import.source_id = sqlite3_last_insert_rowid (self->db);
  }

  insert_conversation =
    project_statement (self, "INSERT INTO conversations (source_id, ordinal, title, n_system) "
                             "VALUES (?1, ?2, ?3, ?4)", error);
  if (insert_conversation == NULL)
    return 0;
  insert_message =
    project_statement (self, "INSERT INTO messages (conversation_id, ordinal, speaker_id, "
                             "time, time_unix, text, media) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (insert_message == NULL)
    return 0;

  for (guint i = 0; i < log->conversations->len; i++)
    {
      const HoneChatConversation *conversation = g_ptr_array_index (log->conversations, i);
      gint64 conversation_id;

      sqlite3_reset (insert_conversation);
      sqlite3_bind_int64 (insert_conversation, 1, import.source_id);
      sqlite3_bind_int64 (insert_conversation, 2, i);
      bind_text_or_null (insert_conversation, 3, conversation->title);
      sqlite3_bind_int64 (insert_conversation, 4, conversation->n_system);
      if (!statement_run (self, insert_conversation, "Could not add a conversation", error))
        return 0;
      conversation_id = sqlite3_last_insert_rowid (self->db);

      for (guint j = 0; j < conversation->messages->len; j++)
        {
          const HoneChatMessage *message = g_ptr_array_index (conversation->messages, j);
          gint64 speaker_id;
          gint64 unix_time;

          if (!import_speaker (&import, message->author, &speaker_id, error))
            return 0;

          sqlite3_reset (insert_message);
          sqlite3_bind_int64 (insert_message, 1, conversation_id);
          sqlite3_bind_int64 (insert_message, 2, j);
          sqlite3_bind_int64 (insert_message, 3, speaker_id);
          bind_text_or_null (insert_message, 4, message->time);
          if (message->time != NULL && time_to_unix (message->time, &unix_time))
            {
              sqlite3_bind_int64 (insert_message, 5, unix_time);
              /* Ties keep the first message in import order. */
              if (unix_time < first_unix)
                {
                  first_unix = unix_time;
                  first_time = message->time;
                }
              if (unix_time > last_unix)
                {
                  last_unix = unix_time;
                  last_time = message->time;
                }
            }
          else
            sqlite3_bind_null (insert_message, 5);
          sqlite3_bind_text (insert_message, 6, message->text != NULL ? message->text : "", -1,
                             SQLITE_STATIC);
          sqlite3_bind_int (insert_message, 7, message->media ? 1 : 0);
          if (!statement_run (self, insert_message, "Could not add a message", error))
            return 0;

          n_media += message->media ? 1 : 0;
          if (++n_done % PROGRESS_EVERY == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return 0;
              if (progress != NULL)
                progress ((double) n_done / n_total, progress_data);
            }
        }
    }

  {
    g_autoptr(HoneCachedStatement) finish =
      project_statement (self, "UPDATE sources SET n_media = ?2, first_time = ?3, last_time = ?4 "
                               "WHERE id = ?1", error);

    if (finish == NULL)
      return 0;
    sqlite3_bind_int64 (finish, 1, import.source_id);
    sqlite3_bind_int64 (finish, 2, n_media);
    bind_text_or_null (finish, 3, first_time);
    bind_text_or_null (finish, 4, last_time);
    if (!statement_run (self, finish, "Could not add the source", error))
      return 0;
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return 0;
  return import.source_id;
}

gint64
hone_project_add_source (HoneProject        *project,
                         const char         *path,
                         const HoneChatlog  *log,
                         HoneProgressFunc    progress,
                         gpointer            progress_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *file = NULL;
  HoneStoreTransaction txn;
  gint64 id;

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (log != NULL, 0);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (path != NULL)
    absolute = g_canonicalize_filename (path, NULL);
  if (log->file != NULL)
    file = g_strdup (log->file);
  else if (path != NULL)
    file = g_path_get_basename (path);
  else
    file = g_strdup ("");

  if (log->checksum == NULL || log->checksum[0] == '\0')
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "%s: the chat log has no checksum, so it cannot be stored", file);
      return 0;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return 0;

  if (!hone_store_begin (&txn, project->db, TRUE, error))
    return 0;
  id = import_rows (project, absolute, file, log, progress, progress_data, cancellable, error);
  if (id == 0 || !hone_store_commit (&txn, error))
    {
      hone_store_rollback (&txn);
      return 0;
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  return id;
}

/* Reading */

static HoneSourceInfo *
source_info_from_row (sqlite3_stmt *stmt)
{
  HoneSourceInfo *info = g_new0 (HoneSourceInfo, 1);
  const char *format = (const char *) sqlite3_column_text (stmt, 3);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->file = column_dup (stmt, 1);
  info->path = column_dup (stmt, 2);
  info->format = hone_chat_format_from_string (format != NULL ? format : "");
  info->checksum = column_dup (stmt, 4);
  info->imported_at = column_dup (stmt, 5);
  info->n_conversations = sqlite3_column_int64 (stmt, 6);
  info->n_messages = sqlite3_column_int64 (stmt, 7);
  info->n_system = sqlite3_column_int64 (stmt, 8);
  info->n_media = sqlite3_column_int64 (stmt, 9);
  info->first_time = column_dup (stmt, 10);
  info->last_time = column_dup (stmt, 11);
  return info;
}

static gboolean
read_participants (HoneProject     *self,
                   HoneSourceInfo  *info,
                   GError         **error)
{
  g_autoptr(HoneCachedStatement) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  /* BINARY collation compares bytes: the strcmp order the header promises. */
  stmt = project_statement (self, "SELECT s.name FROM source_speakers AS ss "
                                  "JOIN speakers AS s ON s.id = ss.speaker_id "
                                  "WHERE ss.source_id = ?1 ORDER BY s.name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the participants");
      return FALSE;
    }
  info->participants = g_strv_builder_end (names);
  return TRUE;
}

static void
set_no_source (GError **error,
               gint64   id)
{
  g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NO_SOURCE,
               "There is no imported chat log with ID %" G_GINT64_FORMAT " in this project", id);
}

/* The source row of @id, or NULL with NO_SOURCE. Runs inside the caller's transaction. */
static HoneSourceInfo *
read_source (HoneProject  *self,
             gint64        id,
             GError      **error)
{
  g_autoptr(HoneCachedStatement) stmt =
    project_statement (self, "SELECT " SOURCE_COLUMNS " FROM sources WHERE id = ?1", error);
  g_autoptr(HoneSourceInfo) info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      set_no_source (error, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the sources");
      return NULL;
    }
  info = source_info_from_row (stmt);
  if (!read_participants (self, info, error))
    return NULL;
  return g_steal_pointer (&info);
}

GPtrArray *
hone_project_list_sources (HoneProject  *project,
                           GError      **error)
{
  g_autoptr(GPtrArray) sources = NULL;
  HoneStoreTransaction txn;
  int rc;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One snapshot for the rows and their participants. */
  if (!hone_store_begin (&txn, project->db, FALSE, error))
    return NULL;

  sources = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_source_info_free);
  {
    g_autoptr(HoneCachedStatement) stmt =
      project_statement (project, "SELECT " SOURCE_COLUMNS " FROM sources ORDER BY id", error);

    if (stmt == NULL)
      goto fail;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (sources, source_info_from_row (stmt));
    if (rc != SQLITE_DONE)
      {
        hone_store_set_error (error, project->db, rc, "Could not read the sources");
        goto fail;
      }
  }
  for (guint i = 0; i < sources->len; i++)
    if (!read_participants (project, g_ptr_array_index (sources, i), error))
      goto fail;

  if (!hone_store_commit (&txn, error))
    goto fail;
  return g_steal_pointer (&sources);

fail:
  hone_store_rollback (&txn);
  return NULL;
}

HoneSourceInfo *
hone_project_get_source (HoneProject  *project,
                         gint64        id,
                         GError      **error)
{
  g_autoptr(HoneSourceInfo) info = NULL;
  HoneStoreTransaction txn;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hone_store_begin (&txn, project->db, FALSE, error))
    return NULL;
  info = read_source (project, id, error);
  if (info == NULL || !hone_store_commit (&txn, error))
    {
      hone_store_rollback (&txn);
      return NULL;
    }
  return g_steal_pointer (&info);
}

gboolean
hone_project_remove_source (HoneProject  *project,
                            gint64        id,
                            GError      **error)
{
  g_autoptr(HoneCachedStatement) stmt = NULL;
  HoneStoreTransaction txn;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!hone_store_begin (&txn, project->db, TRUE, error))
    return FALSE;

  /* Conversations, messages and participants go with it (ON DELETE CASCADE); speakers
   * stay, with the roles the person gave them. */
  stmt = project_statement (project, "DELETE FROM sources WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!statement_run (project, stmt, "Could not remove the source", error))
    goto fail;
  if (sqlite3_changes (project->db) == 0)
    {
      set_no_source (error, id);
      goto fail;
    }
  if (!hone_store_commit (&txn, error))
    goto fail;
  return TRUE;

fail:
  hone_store_rollback (&txn);
  return FALSE;
}

static gboolean
load_conversations (HoneProject  *self,
                    HoneChatlog  *log,
                    gint64        source_id,
                    GArray       *ids,
                    GError      **error)
{
  g_autoptr(HoneCachedStatement) stmt =
    project_statement (self, "SELECT id, title, n_system FROM conversations "
                             "WHERE source_id = ?1 ORDER BY ordinal", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HoneChatConversation *conversation =
        hone_chat_conversation_new ((const char *) sqlite3_column_text (stmt, 1));
      gint64 id = sqlite3_column_int64 (stmt, 0);

      conversation->n_system = sqlite3_column_int64 (stmt, 2);
      /* Added directly: hone_chatlog_take_conversation () would add n_system again. */
      g_ptr_array_add (log->conversations, conversation);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the conversations");
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_messages (HoneProject  *self,
               HoneChatlog  *log,
               gint64        source_id,
               GArray       *ids,
               GError      **error)
{
  g_autoptr(HoneCachedStatement) stmt =
    project_statement (self, "SELECT m.conversation_id, s.name, m.time, m.text, m.media "
                             "FROM conversations AS c "
                             "JOIN messages AS m ON m.conversation_id = c.id "
                             "JOIN speakers AS s ON s.id = m.speaker_id "
                             "WHERE c.source_id = ?1 ORDER BY c.ordinal, m.ordinal", error);
  guint k = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 conversation_id = sqlite3_column_int64 (stmt, 0);
      HoneChatConversation *conversation;
      HoneChatMessage *message;

      /* Rows come in conversation order, the order of @ids. */
      while (k < ids->len && g_array_index (ids, gint64, k) != conversation_id)
        k++;
      if (k == ids->len)
        {
          g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                       "The project is damaged: a message of source %" G_GINT64_FORMAT
                       " is out of order", source_id);
          return FALSE;
        }
      conversation = g_ptr_array_index (log->conversations, k);

      /* Stored texts are already finished: build the message as it was, rather than
       * through hone_chat_conversation_add (), which would finish them again. */
      message = g_new0 (HoneChatMessage, 1);
      message->author = column_dup (stmt, 1);
      message->time = column_dup (stmt, 2);
      message->text = column_dup (stmt, 3);
      message->media = sqlite3_column_int (stmt, 4) != 0;
      if (message->author == NULL)
        message->author = g_strdup ("");
      if (message->text == NULL)
        message->text = g_strdup ("");
      g_ptr_array_add (conversation->messages, message);
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, self->db, rc, "Could not read the messages");
      return FALSE;
    }
  return TRUE;
}

HoneChatlog *
hone_project_load_source (HoneProject  *project,
                          gint64        id,
                          GError      **error)
{
  g_autoptr(HoneSourceInfo) info = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  HoneStoreTransaction txn;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hone_store_begin (&txn, project->db, FALSE, error))
    return NULL;

  info = read_source (project, id, error);
  if (info == NULL)
    goto fail;

  log = hone_chatlog_new (info->file);
  log->format = info->format;
  log->checksum = g_strdup (info->checksum);
  log->n_system = info->n_system;
  if (!load_conversations (project, log, id, ids, error) ||
      !load_messages (project, log, id, ids, error) ||
      !hone_store_commit (&txn, error))
    goto fail;
  return g_steal_pointer (&log);

fail:
  hone_store_rollback (&txn);
  return NULL;
}

void
hone_source_info_free (HoneSourceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->file);
  g_free (info->path);
  g_free (info->checksum);
  g_free (info->imported_at);
  g_strfreev (info->participants);
  g_free (info->first_time);
  g_free (info->last_time);
  g_free (info);
}
