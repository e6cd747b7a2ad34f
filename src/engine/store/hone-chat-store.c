/* hone-chat-store.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Chat page's rows (migration 4) and the step that turns a corrected answer into
 * training data: a conversation of the source "Chat corrections", whose speakers carry
 * per-source roles (source_speakers.role), which the dataset engine reads before the
 * project-wide ones, so the correction is the assistant's turn whatever other sources
 * say about a speaker of the same name.
 */
#define G_LOG_DOMAIN "hone-chat-store"

#include "config.h"

#include <string.h>

#include "hone-chat-store.h"
#include "hone-store-private.h"

/* The checksum that names the one source of corrections (a real checksum is hex). */
#define CORRECTIONS_CHECKSUM "hone:chat-corrections"
#define CORRECTIONS_FILE     "Chat corrections"
#define CORRECTIONS_FORMAT   "feedback"
#define USER_SPEAKER         "User"
#define BOT_SPEAKER          "Bot"
#define SYSTEM_SPEAKER       "system"

static const char * const status_names[] = { "complete", "stopped", "error" };

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

const char *
hone_chat_status_to_string (HoneChatStatus status)
{
  g_return_val_if_fail (status <= HONE_CHAT_STATUS_ERROR, NULL);
  return status_names[status];
}

gboolean
hone_chat_status_from_string (const char     *text,
                              HoneChatStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = (HoneChatStatus) i;
        return TRUE;
      }
  return FALSE;
}

void
hone_chat_bot_free (HoneChatBot *bot)
{
  if (bot == NULL)
    return;
  g_free (bot->name);
  g_free (bot->model_path);
  g_free (bot->adapter_path);
  g_free (bot->created_at);
  g_free (bot);
}

void
hone_chat_thread_free (HoneChatThread *thread)
{
  if (thread == NULL)
    return;
  g_free (thread->title);
  g_free (thread->system_prompt);
  g_free (thread->settings);
  g_free (thread->created_at);
  g_free (thread->updated_at);
  g_free (thread);
}

void
hone_chat_entry_free (HoneChatEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->role);
  g_free (entry->content);
  g_free (entry->stats);
  g_free (entry->created_at);
  g_free (entry->correction);
  g_free (entry);
}

void
hone_feedback_free (HoneFeedback *feedback)
{
  if (feedback == NULL)
    return;
  g_free (feedback->bot_name);
  g_free (feedback->context);
  g_free (feedback->answer);
  g_free (feedback->correction);
  g_free (feedback->created_at);
  g_free (feedback);
}

/* ---- helpers ------------------------------------------------------------------------ */

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      hone_store_set_error (error, db, rc, "Could not read the project");
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Steps @stmt to its end (a statement that returns no row). */
static gboolean
run (sqlite3       *db,
     sqlite3_stmt  *stmt,
     const char    *what,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hone_store_set_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
set_missing (GError     **error,
             const char  *what,
             gint64       id)
{
  g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
               "There is no %s with ID %" G_GINT64_FORMAT " in this project", what, id);
}

static gboolean
check_json_object (const char  *text,
                   const char  *what,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL)
    return TRUE;
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "The %s are not a JSON object", what);
      return FALSE;
    }
  return TRUE;
}

/* Runs a one-statement write in its own transaction; @missing names what a statement
 * that changed no row did not find. */
static gboolean
write_one (HoneProject   *project,
           sqlite3_stmt  *stmt,
           const char    *missing,
           gint64         id,
           GError       **error)
{
  sqlite3 *db = hone_project_get_db (project);

  if (!run (db, stmt, "Could not change the project", error))
    return FALSE;
  if (missing != NULL && sqlite3_changes (db) == 0)
    {
      set_missing (error, missing, id);
      return FALSE;
    }
  return TRUE;
}

/* ---- bots --------------------------------------------------------------------------- */

#define BOT_COLUMNS "id, name, model_path, adapter_path, coalesce (run_id, 0), created_at"

static HoneChatBot *
bot_from_row (sqlite3_stmt *stmt)
{
  HoneChatBot *bot = g_new0 (HoneChatBot, 1);

  bot->id = sqlite3_column_int64 (stmt, 0);
  bot->name = column_dup (stmt, 1);
  bot->model_path = column_dup (stmt, 2);
  bot->adapter_path = column_dup (stmt, 3);
  bot->run_id = sqlite3_column_int64 (stmt, 4);
  bot->created_at = column_dup (stmt, 5);
  return bot;
}

gint64
hone_chat_store_add_bot (HoneProject  *project,
                         const char   *name,
                         const char   *model_path,
                         const char   *adapter_path,
                         gint64        run_id,
                         GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_utc ();

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (model_path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  db = hone_project_get_db (project);
  stmt = prepare (db, "INSERT INTO bots (name, model_path, adapter_path, run_id, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model_path, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, adapter_path != NULL && adapter_path[0] != '\0' ? adapter_path
                                                                             : NULL);
  bind_id_or_null (stmt, 4, run_id);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!run (db, stmt, "Could not add the bot", error))
    return 0;
  return sqlite3_last_insert_rowid (db);
}

GPtrArray *
hone_chat_store_list_bots (HoneProject  *project,
                           GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) bots = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_chat_bot_free);
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " BOT_COLUMNS " FROM bots ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (bots, bot_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the bots");
      return NULL;
    }
  return g_steal_pointer (&bots);
}

HoneChatBot *
hone_chat_store_get_bot (HoneProject  *project,
                         gint64        bot_id,
                         GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " BOT_COLUMNS " FROM bots WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, bot_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return bot_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_missing (error, "bot", bot_id);
  else
    hone_store_set_error (error, db, rc, "Could not read the bots");
  return NULL;
}

gboolean
hone_chat_store_rename_bot (HoneProject  *project,
                            gint64        bot_id,
                            const char   *name,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = prepare (hone_project_get_db (project), "UPDATE bots SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bot_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  return write_one (project, stmt, "bot", bot_id, error);
}

gboolean
hone_chat_store_delete_bot (HoneProject  *project,
                            gint64        bot_id,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);

  stmt = prepare (hone_project_get_db (project), "DELETE FROM bots WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bot_id);
  return write_one (project, stmt, "bot", bot_id, error);
}

/* ---- conversations ------------------------------------------------------------------ */

#define THREAD_COLUMNS \
  "c.id, coalesce (c.bot_id, 0), coalesce (c.compare_bot_id, 0), c.title, c.system_prompt, " \
  "c.settings, c.created_at, c.updated_at, " \
  "(SELECT count (*) FROM chat_messages AS m WHERE m.conversation_id = c.id)"

static HoneChatThread *
thread_from_row (sqlite3_stmt *stmt)
{
  HoneChatThread *thread = g_new0 (HoneChatThread, 1);

  thread->id = sqlite3_column_int64 (stmt, 0);
  thread->bot_id = sqlite3_column_int64 (stmt, 1);
  thread->compare_bot_id = sqlite3_column_int64 (stmt, 2);
  thread->title = column_dup (stmt, 3);
  thread->system_prompt = column_dup (stmt, 4);
  thread->settings = column_dup (stmt, 5);
  thread->created_at = column_dup (stmt, 6);
  thread->updated_at = column_dup (stmt, 7);
  thread->n_messages = sqlite3_column_int64 (stmt, 8);
  return thread;
}

gint64
hone_chat_store_create_conversation (HoneProject  *project,
                                     gint64        bot_id,
                                     gint64        compare_bot_id,
                                     const char   *title,
                                     const char   *system_prompt,
                                     const char   *settings,
                                     GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_utc ();

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_json_object (settings, "sampling settings", error))
    return 0;
  db = hone_project_get_db (project);
  stmt = prepare (db, "INSERT INTO chat_conversations (bot_id, compare_bot_id, title, "
                      "system_prompt, settings, created_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)", error);
  if (stmt == NULL)
    return 0;
  bind_id_or_null (stmt, 1, bot_id);
  bind_id_or_null (stmt, 2, compare_bot_id);
  sqlite3_bind_text (stmt, 3, title != NULL ? title : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, system_prompt != NULL ? system_prompt : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, settings != NULL ? settings : "{}", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (!run (db, stmt, "Could not add the conversation", error))
    return 0;
  return sqlite3_last_insert_rowid (db);
}

GPtrArray *
hone_chat_store_list_conversations (HoneProject  *project,
                                    GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) threads =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hone_chat_thread_free);
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " THREAD_COLUMNS " FROM chat_conversations AS c "
                      "ORDER BY c.updated_at DESC, c.id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (threads, thread_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the conversations");
      return NULL;
    }
  return g_steal_pointer (&threads);
}

HoneChatThread *
hone_chat_store_get_conversation (HoneProject  *project,
                                  gint64        conversation_id,
                                  GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " THREAD_COLUMNS " FROM chat_conversations AS c WHERE c.id = ?1",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return thread_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_missing (error, "chat conversation", conversation_id);
  else
    hone_store_set_error (error, db, rc, "Could not read the conversations");
  return NULL;
}

gboolean
hone_chat_store_rename_conversation (HoneProject  *project,
                                     gint64        conversation_id,
                                     const char   *title,
                                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_utc ();

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  stmt = prepare (hone_project_get_db (project),
                  "UPDATE chat_conversations SET title = ?2, updated_at = ?3 WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  return write_one (project, stmt, "chat conversation", conversation_id, error);
}

gboolean
hone_chat_store_update_conversation (HoneProject  *project,
                                     gint64        conversation_id,
                                     gint64        bot_id,
                                     gint64        compare_bot_id,
                                     const char   *system_prompt,
                                     const char   *settings,
                                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_utc ();

  g_return_val_if_fail (project != NULL, FALSE);

  if (!check_json_object (settings, "sampling settings", error))
    return FALSE;
  stmt = prepare (hone_project_get_db (project),
                  "UPDATE chat_conversations SET bot_id = ?2, compare_bot_id = ?3, "
                  "system_prompt = coalesce (?4, system_prompt), "
                  "settings = coalesce (?5, settings), updated_at = ?6 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  bind_id_or_null (stmt, 2, bot_id);
  bind_id_or_null (stmt, 3, compare_bot_id);
  bind_text_or_null (stmt, 4, system_prompt);
  bind_text_or_null (stmt, 5, settings);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  return write_one (project, stmt, "chat conversation", conversation_id, error);
}

gboolean
hone_chat_store_delete_conversation (HoneProject  *project,
                                     gint64        conversation_id,
                                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);

  stmt = prepare (hone_project_get_db (project),
                  "DELETE FROM chat_conversations WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  return write_one (project, stmt, "chat conversation", conversation_id, error);
}

/* ---- messages ----------------------------------------------------------------------- */

/* The newest feedback row of each message is the one the Chat page shows. */
#define ENTRY_COLUMNS \
  "m.id, m.conversation_id, m.role, m.content, coalesce (m.bot_id, 0), " \
  "coalesce (m.reply_to, 0), m.lane, m.stats, m.status, m.created_at, " \
  "coalesce (f.id, 0), coalesce (f.rating, 0), f.correction"
#define ENTRY_FROM \
  "FROM chat_messages AS m LEFT JOIN feedback AS f ON f.id = " \
  "(SELECT max (id) FROM feedback WHERE chat_message_id = m.id) "

static HoneChatEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  HoneChatEntry *entry = g_new0 (HoneChatEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->conversation_id = sqlite3_column_int64 (stmt, 1);
  entry->role = column_dup (stmt, 2);
  entry->content = column_dup (stmt, 3);
  entry->bot_id = sqlite3_column_int64 (stmt, 4);
  entry->reply_to = sqlite3_column_int64 (stmt, 5);
  entry->lane = sqlite3_column_int (stmt, 6);
  entry->stats = column_dup (stmt, 7);
  if (!hone_chat_status_from_string ((const char *) sqlite3_column_text (stmt, 8),
                                     &entry->status))
    entry->status = HONE_CHAT_STATUS_COMPLETE;
  entry->created_at = column_dup (stmt, 9);
  entry->feedback_id = sqlite3_column_int64 (stmt, 10);
  entry->rating = sqlite3_column_int (stmt, 11);
  entry->correction = column_dup (stmt, 12);
  return entry;
}

static gboolean
touch_conversation (sqlite3     *db,
                    gint64       conversation_id,
                    const char  *now,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (db, "UPDATE chat_conversations SET updated_at = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!run (db, stmt, "Could not change the conversation", error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      set_missing (error, "chat conversation", conversation_id);
      return FALSE;
    }
  return TRUE;
}

gint64
hone_chat_store_append_message (HoneProject     *project,
                                gint64           conversation_id,
                                const char      *role,
                                const char      *content,
                                gint64           bot_id,
                                gint64           reply_to,
                                guint            lane,
                                const char      *stats,
                                HoneChatStatus   status,
                                GError         **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = now_utc ();
  HoneStoreTransaction txn;
  gint64 id;

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (role != NULL, 0);
  g_return_val_if_fail (content != NULL, 0);
  g_return_val_if_fail (lane <= 1, 0);
  g_return_val_if_fail (status <= HONE_CHAT_STATUS_ERROR, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (strcmp (role, "user") != 0 && strcmp (role, "assistant") != 0 &&
      strcmp (role, "system") != 0)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "“%s” is not a chat role (user, assistant or system)", role);
      return 0;
    }
  if (!check_json_object (stats, "generation figures", error))
    return 0;

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return 0;
  if (!touch_conversation (db, conversation_id, now, error))
    goto fail;
  stmt = prepare (db, "INSERT INTO chat_messages (conversation_id, role, content, bot_id, "
                      "reply_to, lane, stats, status, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, content, -1, SQLITE_TRANSIENT);
  bind_id_or_null (stmt, 4, bot_id);
  bind_id_or_null (stmt, 5, reply_to);
  sqlite3_bind_int (stmt, 6, lane);
  sqlite3_bind_text (stmt, 7, stats != NULL ? stats : "{}", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, hone_chat_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  if (!run (db, stmt, "Could not add the message", error))
    goto fail;
  id = sqlite3_last_insert_rowid (db);
  if (!hone_store_commit (&txn, error))
    goto fail;
  return id;

fail:
  hone_store_rollback (&txn);
  return 0;
}

gboolean
hone_chat_store_update_message (HoneProject     *project,
                                gint64           message_id,
                                const char      *content,
                                const char      *stats,
                                HoneChatStatus   status,
                                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (content != NULL, FALSE);
  g_return_val_if_fail (status <= HONE_CHAT_STATUS_ERROR, FALSE);

  if (!check_json_object (stats, "generation figures", error))
    return FALSE;
  stmt = prepare (hone_project_get_db (project),
                  "UPDATE chat_messages SET content = ?2, stats = coalesce (?3, stats), "
                  "status = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_text (stmt, 2, content, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, stats);
  sqlite3_bind_text (stmt, 4, hone_chat_status_to_string (status), -1, SQLITE_STATIC);
  return write_one (project, stmt, "chat message", message_id, error);
}

gboolean
hone_chat_store_delete_message (HoneProject  *project,
                                gint64        message_id,
                                GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);

  stmt = prepare (hone_project_get_db (project), "DELETE FROM chat_messages WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  return write_one (project, stmt, "chat message", message_id, error);
}

GPtrArray *
hone_chat_store_list_messages (HoneProject  *project,
                               gint64        conversation_id,
                               GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hone_chat_entry_free);
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " ENTRY_COLUMNS " " ENTRY_FROM
                      "WHERE m.conversation_id = ?1 ORDER BY m.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the messages");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

HoneChatEntry *
hone_chat_store_get_message (HoneProject  *project,
                             gint64        message_id,
                             GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " ENTRY_COLUMNS " " ENTRY_FROM "WHERE m.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return entry_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_missing (error, "chat message", message_id);
  else
    hone_store_set_error (error, db, rc, "Could not read the messages");
  return NULL;
}

/* The turns a model sees in @lane before message @before_id (exclusive), as a JSON array
 * of objects with the text under @text_key ("content" for a request, "text" for the
 * feedback table). */
static JsonNode *
collect_turns (sqlite3     *db,
               gint64       conversation_id,
               guint        lane,
               gint64       before_id,
               const char  *text_key,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) system = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  system = prepare (db, "SELECT system_prompt FROM chat_conversations WHERE id = ?1", error);
  if (system == NULL)
    return NULL;
  sqlite3_bind_int64 (system, 1, conversation_id);
  rc = sqlite3_step (system);
  if (rc == SQLITE_DONE)
    {
      set_missing (error, "chat conversation", conversation_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      hone_store_set_error (error, db, rc, "Could not read the conversation");
      return NULL;
    }

  json_builder_begin_array (builder);
  if (sqlite3_column_bytes (system, 0) > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "system");
      json_builder_set_member_name (builder, text_key);
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (system, 0));
      json_builder_end_object (builder);
    }

  stmt = prepare (db, "SELECT role, content FROM chat_messages "
                      "WHERE conversation_id = ?1 AND id < ?2 "
                      "  AND (role != 'assistant' OR (lane = ?3 AND status != 'error')) "
                      "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, before_id);
  sqlite3_bind_int (stmt, 3, lane);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (builder, text_key);
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the messages");
      return NULL;
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
hone_chat_store_build_messages (HoneProject  *project,
                                gint64        conversation_id,
                                guint         lane,
                                gint64        upto_id,
                                GError      **error)
{
  g_return_val_if_fail (project != NULL, NULL);

  return collect_turns (hone_project_get_db (project), conversation_id, lane,
                        upto_id > 0 ? upto_id + 1 : G_MAXINT64, "content", error);
}

/* ---- feedback ----------------------------------------------------------------------- */

/* The feedback row of assistant message @message_id, made when @create and there is none
 * (with the context, the answer, and the bot, its run and its model). *@id 0: none. */
static gboolean
find_feedback (sqlite3   *db,
               gint64     message_id,
               gboolean   create,
               gint64    *id,
               GError   **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) message = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(JsonNode) context = NULL;
  g_autofree char *context_text = NULL;
  g_autofree char *now = now_utc ();
  int rc;

  *id = 0;
  find = prepare (db, "SELECT max (id) FROM feedback WHERE chat_message_id = ?1", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, message_id);
  if (sqlite3_step (find) == SQLITE_ROW && sqlite3_column_type (find, 0) != SQLITE_NULL)
    {
      *id = sqlite3_column_int64 (find, 0);
      return TRUE;
    }

  message = prepare (db, "SELECT m.conversation_id, m.lane, m.role, m.content, m.bot_id, "
                         "b.run_id, (SELECT id FROM models WHERE path = b.model_path) "
                         "FROM chat_messages AS m LEFT JOIN bots AS b ON b.id = m.bot_id "
                         "WHERE m.id = ?1", error);
  if (message == NULL)
    return FALSE;
  sqlite3_bind_int64 (message, 1, message_id);
  rc = sqlite3_step (message);
  if (rc == SQLITE_DONE)
    {
      set_missing (error, "chat message", message_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      hone_store_set_error (error, db, rc, "Could not read the messages");
      return FALSE;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (message, 2), "assistant") != 0)
    {
      g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                           "Only the bot's answers can be rated or corrected");
      return FALSE;
    }
  if (!create)
    return TRUE;

  context = collect_turns (db, sqlite3_column_int64 (message, 0),
                           sqlite3_column_int (message, 1), message_id, "text", error);
  if (context == NULL)
    return FALSE;
  context_text = json_to_string (context, FALSE);

  insert = prepare (db, "INSERT INTO feedback (run_id, model_id, context, answer, "
                        "chat_message_id, bot_id, rating, correction, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, '', ?7)", error);
  if (insert == NULL)
    return FALSE;
  bind_id_or_null (insert, 1, sqlite3_column_int64 (message, 5));
  bind_id_or_null (insert, 2, sqlite3_column_int64 (message, 6));
  sqlite3_bind_text (insert, 3, context_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, (const char *) sqlite3_column_text (message, 3), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 5, message_id);
  bind_id_or_null (insert, 6, sqlite3_column_int64 (message, 4));
  sqlite3_bind_text (insert, 7, now, -1, SQLITE_TRANSIENT);
  if (!run (db, insert, "Could not save the rating", error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (db);
  return TRUE;
}

/* Sets one of rating / correction on @message_id's feedback; a row left with neither is
 * deleted. The row is created with correction '' (the table wants one of the two), and
 * the update below puts the real values in. */
static gint64
set_feedback (HoneProject  *project,
              gint64        message_id,
              gboolean      is_rating,
              gint          rating,
              const char   *correction,
              GError      **error)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;
  HoneStoreTransaction txn;
  gboolean clearing = is_rating ? rating == 0 : (correction == NULL || correction[0] == '\0');
  gint64 id = 0;

  if (!hone_store_begin (&txn, db, TRUE, error))
    return 0;
  if (!find_feedback (db, message_id, !clearing, &id, error))
    goto fail;
  if (id == 0)
    {
      /* Nothing to clear. */
      if (!hone_store_commit (&txn, error))
        goto fail;
      return 0;
    }

  if (is_rating)
    update = prepare (db, "UPDATE feedback SET rating = ?2, "
                          "correction = nullif (correction, '') WHERE id = ?1", error);
  else
    update = prepare (db, "UPDATE feedback SET correction = ?2 WHERE id = ?1", error);
  if (update == NULL)
    goto fail;
  sqlite3_bind_int64 (update, 1, id);
  if (is_rating && rating != 0)
    sqlite3_bind_int (update, 2, rating > 0 ? 1 : -1);
  else if (!is_rating && !clearing)
    sqlite3_bind_text (update, 2, correction, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (update, 2);

  /* The CHECK (rating or correction) would refuse a row left with neither: delete it
   * first in that case. */
  prune = prepare (db, is_rating
                       ? "DELETE FROM feedback WHERE id = ?1 AND ?2 IS NULL AND "
                         "nullif (correction, '') IS NULL"
                       : "DELETE FROM feedback WHERE id = ?1 AND ?2 IS NULL AND rating IS NULL",
                   error);
  if (prune == NULL)
    goto fail;
  sqlite3_bind_int64 (prune, 1, id);
  if (clearing)
    sqlite3_bind_null (prune, 2);
  else
    sqlite3_bind_int (prune, 2, 1);
  if (!run (db, prune, "Could not save the rating", error))
    goto fail;
  if (sqlite3_changes (db) > 0)
    id = 0;
  else if (!run (db, update, is_rating ? "Could not save the rating"
                                       : "Could not save the correction", error))
    goto fail;

  if (!hone_store_commit (&txn, error))
    goto fail;
  return id;

fail:
  hone_store_rollback (&txn);
  return 0;
}

gint64
hone_chat_store_set_rating (HoneProject  *project,
                            gint64        message_id,
                            gint          rating,
                            GError      **error)
{
  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return set_feedback (project, message_id, TRUE, rating, NULL, error);
}

gint64
hone_chat_store_save_correction (HoneProject  *project,
                                 gint64        message_id,
                                 const char   *correction,
                                 GError      **error)
{
  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return set_feedback (project, message_id, FALSE, 0, correction, error);
}

#define FEEDBACK_COLUMNS \
  "f.id, coalesce (f.chat_message_id, 0), coalesce (f.bot_id, 0), b.name, f.context, " \
  "f.answer, coalesce (f.rating, 0), f.correction, coalesce (f.conversation_id, 0), " \
  "f.created_at"

static HoneFeedback *
feedback_from_row (sqlite3_stmt *stmt)
{
  HoneFeedback *feedback = g_new0 (HoneFeedback, 1);

  feedback->id = sqlite3_column_int64 (stmt, 0);
  feedback->message_id = sqlite3_column_int64 (stmt, 1);
  feedback->bot_id = sqlite3_column_int64 (stmt, 2);
  feedback->bot_name = column_dup (stmt, 3);
  feedback->context = column_dup (stmt, 4);
  feedback->answer = column_dup (stmt, 5);
  feedback->rating = sqlite3_column_int (stmt, 6);
  feedback->correction = column_dup (stmt, 7);
  feedback->conversation_id = sqlite3_column_int64 (stmt, 8);
  feedback->created_at = column_dup (stmt, 9);
  return feedback;
}

GPtrArray *
hone_chat_store_list_feedback (HoneProject  *project,
                               GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_feedback_free);
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " FEEDBACK_COLUMNS " FROM feedback AS f "
                      "LEFT JOIN bots AS b ON b.id = f.bot_id ORDER BY f.id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, feedback_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the ratings");
      return NULL;
    }
  return g_steal_pointer (&list);
}

HoneFeedback *
hone_chat_store_get_feedback (HoneProject  *project,
                              gint64        feedback_id,
                              GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  stmt = prepare (db, "SELECT " FEEDBACK_COLUMNS " FROM feedback AS f "
                      "LEFT JOIN bots AS b ON b.id = f.bot_id WHERE f.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, feedback_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return feedback_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_missing (error, "rating or correction", feedback_id);
  else
    hone_store_set_error (error, db, rc, "Could not read the ratings");
  return NULL;
}

/* ---- corrections as training data --------------------------------------------------- */

/* The id of the corrections source, made on first use. A new source joins every dataset
 * that lists its sources, so that corrections train the next run whatever was chosen. */
static gint64
ensure_corrections_source (sqlite3  *db,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) join = NULL;
  g_autofree char *now = now_utc ();
  gint64 id;

  find = prepare (db, "SELECT id FROM sources WHERE checksum = '" CORRECTIONS_CHECKSUM "'",
                  error);
  if (find == NULL)
    return 0;
  if (sqlite3_step (find) == SQLITE_ROW)
    return sqlite3_column_int64 (find, 0);

  insert = prepare (db, "INSERT INTO sources (file, path, format, checksum, imported_at) "
                        "VALUES ('" CORRECTIONS_FILE "', NULL, '" CORRECTIONS_FORMAT "', '"
                        CORRECTIONS_CHECKSUM "', ?1)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, now, -1, SQLITE_TRANSIENT);
  if (!run (db, insert, "Could not add the corrections to the data", error))
    return 0;
  id = sqlite3_last_insert_rowid (db);

  join = prepare (db, "INSERT OR IGNORE INTO dataset_sources (dataset_id, source_id) "
                      "SELECT DISTINCT dataset_id, ?1 FROM dataset_sources", error);
  if (join == NULL)
    return 0;
  sqlite3_bind_int64 (join, 1, id);
  if (!run (db, join, "Could not add the corrections to the data", error))
    return 0;
  return id;
}

/* The speaker @name, a participant of @source_id with @role (NULL: none of its own). */
static gint64
ensure_speaker (sqlite3     *db,
                gint64       source_id,
                const char  *name,
                const char  *role,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) participant = NULL;
  gint64 id;

  insert = prepare (db, "INSERT OR IGNORE INTO speakers (name) VALUES (?1)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, name, -1, SQLITE_TRANSIENT);
  if (!run (db, insert, "Could not add a speaker", error))
    return 0;
  find = prepare (db, "SELECT id FROM speakers WHERE name = ?1", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      hone_store_set_error (error, db, SQLITE_ERROR, "Could not add a speaker");
      return 0;
    }
  id = sqlite3_column_int64 (find, 0);

  participant = prepare (db, "INSERT INTO source_speakers (source_id, speaker_id, role) "
                             "VALUES (?1, ?2, ?3) ON CONFLICT (source_id, speaker_id) "
                             "DO UPDATE SET role = excluded.role", error);
  if (participant == NULL)
    return 0;
  sqlite3_bind_int64 (participant, 1, source_id);
  sqlite3_bind_int64 (participant, 2, id);
  bind_text_or_null (participant, 3, role);
  if (!run (db, participant, "Could not add a speaker", error))
    return 0;
  return id;
}

/* The name the bot speaks under in the data: its own, unless that would read as another
 * role. */
static const char *
bot_speaker_name (const char *bot_name)
{
  if (bot_name == NULL || bot_name[0] == '\0' ||
      g_ascii_strcasecmp (bot_name, USER_SPEAKER) == 0 ||
      g_ascii_strcasecmp (bot_name, SYSTEM_SPEAKER) == 0)
    return BOT_SPEAKER;
  return bot_name;
}

static gboolean
add_correction_rows (sqlite3             *db,
                     const HoneFeedback  *feedback,
                     JsonArray           *turns,
                     gint64              *conversation_id,
                     GError             **error)
{
  const char *bot = bot_speaker_name (feedback->bot_name);
  g_autoptr(sqlite3_stmt) drop = NULL;
  g_autoptr(sqlite3_stmt) conversation = NULL;
  g_autoptr(sqlite3_stmt) message = NULL;
  g_autoptr(sqlite3_stmt) counts = NULL;
  g_autoptr(sqlite3_stmt) link = NULL;
  g_autofree char *title = NULL;
  gint64 source_id, user_id, bot_id, system_id = 0;
  guint ordinal = 0;

  source_id = ensure_corrections_source (db, error);
  if (source_id == 0)
    return FALSE;

  /* Adding it again replaces the conversation it made before. */
  if (feedback->conversation_id > 0)
    {
      drop = prepare (db, "DELETE FROM conversations WHERE id = ?1 AND source_id = ?2", error);
      if (drop == NULL)
        return FALSE;
      sqlite3_bind_int64 (drop, 1, feedback->conversation_id);
      sqlite3_bind_int64 (drop, 2, source_id);
      if (!run (db, drop, "Could not replace the correction", error))
        return FALSE;
    }

  user_id = ensure_speaker (db, source_id, USER_SPEAKER, "user", error);
  bot_id = user_id > 0 ? ensure_speaker (db, source_id, bot, "assistant", error) : 0;
  if (bot_id == 0)
    return FALSE;

  title = g_strdup_printf ("Correction %" G_GINT64_FORMAT, feedback->id);
  conversation = prepare (db, "INSERT INTO conversations (source_id, ordinal, title) "
                              "VALUES (?1, (SELECT coalesce (max (ordinal) + 1, 0) "
                              "            FROM conversations WHERE source_id = ?1), ?2)",
                          error);
  if (conversation == NULL)
    return FALSE;
  sqlite3_bind_int64 (conversation, 1, source_id);
  sqlite3_bind_text (conversation, 2, title, -1, SQLITE_TRANSIENT);
  if (!run (db, conversation, "Could not add the correction", error))
    return FALSE;
  *conversation_id = sqlite3_last_insert_rowid (db);

  message = prepare (db, "INSERT INTO messages (conversation_id, ordinal, speaker_id, text) "
                         "VALUES (?1, ?2, ?3, ?4)", error);
  if (message == NULL)
    return FALSE;
  for (guint i = 0; i <= json_array_get_length (turns); i++)
    {
      const char *role = "assistant";
      const char *text = feedback->correction;
      gint64 speaker;

      if (i < json_array_get_length (turns))
        {
          JsonObject *turn = json_array_get_object_element (turns, i);

          role = turn != NULL ? json_object_get_string_member_with_default (turn, "role", "")
                              : "";
          text = turn != NULL ? json_object_get_string_member_with_default (turn, "text", NULL)
                              : NULL;
          if (text == NULL || text[0] == '\0')
            continue;
        }

      if (strcmp (role, "assistant") == 0)
        speaker = bot_id;
      else if (strcmp (role, "system") == 0)
        {
          if (system_id == 0)
            system_id = ensure_speaker (db, source_id, SYSTEM_SPEAKER, NULL, error);
          if (system_id == 0)
            return FALSE;
          speaker = system_id;
        }
      else
        speaker = user_id;

      sqlite3_reset (message);
      sqlite3_bind_int64 (message, 1, *conversation_id);
      sqlite3_bind_int64 (message, 2, ordinal++);
      sqlite3_bind_int64 (message, 3, speaker);
      sqlite3_bind_text (message, 4, text, -1, SQLITE_TRANSIENT);
      if (!run (db, message, "Could not add the correction", error))
        return FALSE;
    }

  counts = prepare (db, "UPDATE sources SET "
                        "n_conversations = (SELECT count (*) FROM conversations "
                        "                   WHERE source_id = ?1), "
                        "n_messages = (SELECT count (*) FROM messages AS m "
                        "              JOIN conversations AS c ON c.id = m.conversation_id "
                        "              WHERE c.source_id = ?1) "
                        "WHERE id = ?1", error);
  if (counts == NULL)
    return FALSE;
  sqlite3_bind_int64 (counts, 1, source_id);
  if (!run (db, counts, "Could not add the correction", error))
    return FALSE;

  link = prepare (db, "UPDATE feedback SET conversation_id = ?2 WHERE id = ?1", error);
  if (link == NULL)
    return FALSE;
  sqlite3_bind_int64 (link, 1, feedback->id);
  sqlite3_bind_int64 (link, 2, *conversation_id);
  return run (db, link, "Could not add the correction", error);
}

gint64
hone_chat_store_add_correction_to_data (HoneProject  *project,
                                        gint64        feedback_id,
                                        GError      **error)
{
  sqlite3 *db;
  g_autoptr(HoneFeedback) feedback = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  HoneStoreTransaction txn;
  JsonNode *root;
  gint64 conversation_id = 0;

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return 0;
  feedback = hone_chat_store_get_feedback (project, feedback_id, error);
  if (feedback == NULL)
    goto fail;
  if (feedback->correction == NULL || feedback->correction[0] == '\0')
    {
      g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                           "This answer has no correction to add to the data");
      goto fail;
    }
  if (!json_parser_load_from_data (parser, feedback->context, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                           "The conversation before this answer could not be read");
      goto fail;
    }
  if (!add_correction_rows (db, feedback, json_node_get_array (root), &conversation_id, error) ||
      !hone_store_commit (&txn, error))
    goto fail;
  return conversation_id;

fail:
  hone_store_rollback (&txn);
  return 0;
}
