/* hone-roles.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaker → role: the person's choice, project-wide or per source, and Hone's guess.
 */
#define G_LOG_DOMAIN "hone-roles"

#include "config.h"

#include <string.h>

#include "hone-dataset-private.h"

void
hone_speaker_info_free (HoneSpeakerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info);
}

static HoneRole
guess_from_name (const char *name)
{
  static const char * const assistants[] = { "assistant", "gpt", "bot", "agent", "model", NULL };
  static const char * const users[] = { "user", "human", "customer", "client", NULL };

  for (guint i = 0; assistants[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, assistants[i]) == 0)
      return HONE_ROLE_ASSISTANT;
  for (guint i = 0; users[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, users[i]) == 0)
      return HONE_ROLE_USER;
  if (g_ascii_strcasecmp (name, "system") == 0)
    return HONE_ROLE_SYSTEM;
  return HONE_ROLE_NONE;
}

typedef struct
{
  gint64   source;
  gint64   speaker;
  char    *name;
  gint64   n_conv;
  gboolean named;     /* a conversation of the source is named after them */
  gboolean marked;    /* the export marks them as the agent (source_speakers.marked) */
} Presence;

static void
presence_clear (Presence *p)
{
  g_free (p->name);
}

/* speaker id → HoneRole guess, for every speaker of the project. */
static GHashTable *
compute_guesses (sqlite3  *db,
                 GError  **error)
{
  g_autoptr(GHashTable) guesses = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) source_conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                                      g_free, NULL);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Presence));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) counts = NULL;
  int rc;

  g_array_set_clear_func (rows, (GDestroyNotify) presence_clear);

  /* Per source and speaker: the conversations they wrote in, most present first, then
   * the one who first spoke later. One pass over messages by conversation. */
  stmt = hone_dataset_prepare (db,
    "SELECT c.source_id, m.speaker_id, s.name, count (DISTINCT c.id),"
    "       max (c.title = s.name), "
    "       (SELECT ss.marked = 'assistant' FROM source_speakers AS ss "
    "        WHERE ss.source_id = c.source_id AND ss.speaker_id = m.speaker_id) "
    "FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id "
    "JOIN speakers AS s ON s.id = m.speaker_id "
    "GROUP BY c.source_id, m.speaker_id "
    "ORDER BY c.source_id, count (DISTINCT c.id) DESC, "
    "         min (c.ordinal * 1000000 + m.ordinal) DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Presence p = {
        sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
        hone_dataset_column_dup (stmt, 2), sqlite3_column_int64 (stmt, 3),
        sqlite3_column_int (stmt, 4), sqlite3_column_int (stmt, 5),
      };
      g_array_append_val (rows, p);
    }
  if (rc != SQLITE_DONE)
    goto sql_fail;
  counts = hone_dataset_prepare (db, "SELECT source_id, count (*) FROM conversations GROUP BY source_id",
                                 error);
  if (counts == NULL)
    return NULL;
  while ((rc = sqlite3_step (counts)) == SQLITE_ROW)
    {
      gint64 source = sqlite3_column_int64 (counts, 0);
      g_hash_table_insert (source_conversations, g_memdup2 (&source, sizeof source),
                           GINT_TO_POINTER (sqlite3_column_int (counts, 1)));
    }
  if (rc != SQLITE_DONE)
    goto sql_fail;

  for (guint i = 0; i < rows->len;)
    {
      gint64 source = g_array_index (rows, Presence, i).source;
      gint64 n_source_conv = GPOINTER_TO_INT (g_hash_table_lookup (source_conversations, &source));
      gboolean has_assistant = FALSE;
      gboolean has_marked = FALSE;
      guint start = i, end = i;

      while (end < rows->len && g_array_index (rows, Presence, end).source == source)
        has_marked |= g_array_index (rows, Presence, end++).marked;
      for (; i < end; i++)
        {
          const Presence *p = &g_array_index (rows, Presence, i);
          HoneRole guess = guess_from_name (p->name);
          gpointer old;

          /* The export says who the agents are: they are the assistant, everyone else
           * (but a "system") a user. */
          if (has_marked)
            guess = p->marked ? HONE_ROLE_ASSISTANT
                              : guess == HONE_ROLE_SYSTEM ? HONE_ROLE_SYSTEM : HONE_ROLE_USER;

          /* The most present speaker, not the one a chat is named after (a 1:1 export
           * is named after the other person, so this is its owner), and of those
           * equally present the one who spoke later (the one answering). */
          if (guess == HONE_ROLE_NONE)
            guess = !has_assistant && end - start >= 2 && !p->named &&
                    (n_source_conv == 1 || p->n_conv > 1) ? HONE_ROLE_ASSISTANT : HONE_ROLE_USER;
          if (guess == HONE_ROLE_ASSISTANT)
            has_assistant = TRUE;
          /* A speaker of several sources: assistant anywhere wins. */
          old = g_hash_table_lookup (guesses, &p->speaker);
          if (old == NULL || GPOINTER_TO_INT (old) != HONE_ROLE_ASSISTANT)
            g_hash_table_insert (guesses, g_memdup2 (&p->speaker, sizeof p->speaker),
                                 GINT_TO_POINTER (guess));
        }
    }
  return g_steal_pointer (&guesses);

sql_fail:
  hone_store_set_error (error, db, rc, "Could not read the speakers");
  return NULL;
}

GPtrArray *
hone_dataset_list_speakers (HoneProject  *project,
                            GError      **error)
{
  sqlite3 *db;
  g_autoptr(GHashTable) guesses = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) overrides = NULL;
  g_autoptr(GPtrArray) speakers = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_speaker_info_free);
  int rc;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  guesses = compute_guesses (db, error);
  if (guesses == NULL)
    return NULL;
  stmt = hone_dataset_prepare (db,
    "SELECT s.id, s.name, s.role,"
    "  (SELECT count (*) FROM messages AS m WHERE m.speaker_id = s.id),"
    "  (SELECT count (DISTINCT m.conversation_id) FROM messages AS m WHERE m.speaker_id = s.id),"
    "  (SELECT max (CASE ss.marked WHEN 'assistant' THEN 2 WHEN 'user' THEN 1 END) "
    "   FROM source_speakers AS ss WHERE ss.speaker_id = s.id) "
    "FROM speakers AS s ORDER BY s.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HoneSpeakerInfo *info = g_new0 (HoneSpeakerInfo, 1);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->name = hone_dataset_column_dup (stmt, 1);
      info->role = hone_role_from_string ((const char *) sqlite3_column_text (stmt, 2));
      info->n_messages = sqlite3_column_int (stmt, 3);
      info->n_conversations = sqlite3_column_int (stmt, 4);
      info->marked = (HoneRole[]) { HONE_ROLE_NONE, HONE_ROLE_USER, HONE_ROLE_ASSISTANT }
                       [CLAMP (sqlite3_column_int (stmt, 5), 0, 2)];
      info->guess = GPOINTER_TO_INT (g_hash_table_lookup (guesses, &info->id));
      if (info->guess == HONE_ROLE_NONE)
        info->guess = HONE_ROLE_USER;
      g_ptr_array_add (speakers, info);
    }
  if (rc != SQLITE_DONE)
    goto sql_fail;

  overrides = hone_dataset_prepare (db, "SELECT s.id, s.name, ss.role, ss.source_id FROM source_speakers AS ss "
                                        "JOIN speakers AS s ON s.id = ss.speaker_id "
                                        "WHERE ss.role IS NOT NULL ORDER BY ss.source_id, s.name",
                                    error);
  if (overrides == NULL)
    return NULL;
  while ((rc = sqlite3_step (overrides)) == SQLITE_ROW)
    {
      HoneSpeakerInfo *info = g_new0 (HoneSpeakerInfo, 1);

      info->id = sqlite3_column_int64 (overrides, 0);
      info->name = hone_dataset_column_dup (overrides, 1);
      info->role = hone_role_from_string ((const char *) sqlite3_column_text (overrides, 2));
      info->guess = info->role;
      info->source_id = sqlite3_column_int64 (overrides, 3);
      g_ptr_array_add (speakers, info);
    }
  if (rc != SQLITE_DONE)
    goto sql_fail;
  return g_steal_pointer (&speakers);

sql_fail:
  hone_store_set_error (error, db, rc, "Could not read the speakers");
  return NULL;
}

gboolean
hone_dataset_set_role (HoneProject  *project,
                       const char   *speaker,
                       gint64        source_id,
                       HoneRole      role,
                       GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *summary = NULL;
  const char *role_name = role == HONE_ROLE_NONE ? NULL : hone_role_to_string (role);
  gint64 speaker_id;
  int rc;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (speaker != NULL, FALSE);
  g_return_val_if_fail (role != HONE_ROLE_SYSTEM, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  if (source_id == 0)
    find = hone_dataset_prepare (db, "SELECT id, role FROM speakers WHERE name = ?1", error);
  else
    find = hone_dataset_prepare (db, "SELECT s.id, ss.role FROM speakers AS s "
                                     "JOIN source_speakers AS ss ON ss.speaker_id = s.id "
                                     "WHERE s.name = ?1 AND ss.source_id = ?2", error);
  if (find == NULL)
    goto fail;
  sqlite3_bind_text (find, 1, speaker, -1, SQLITE_STATIC);
  if (source_id != 0)
    sqlite3_bind_int64 (find, 2, source_id);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   source_id == 0 ? "Nobody called “%s” wrote in this project"
                                  : "Nobody called “%s” wrote in that source", speaker);
      goto fail;
    }
  speaker_id = sqlite3_column_int64 (find, 0);
  if (source_id == 0)
    {
      hone_undo_add (&undo, "UPDATE speakers SET role = ?1 WHERE id = ?2", 2,
                     's', (const char *) sqlite3_column_text (find, 1), 'i', speaker_id);
      update = hone_dataset_prepare (db, "UPDATE speakers SET role = ?1 WHERE id = ?2", error);
    }
  else
    {
      hone_undo_add (&undo, "UPDATE source_speakers SET role = ?1 WHERE speaker_id = ?2 "
                            "AND source_id = ?3", 3,
                     's', (const char *) sqlite3_column_text (find, 1), 'i', speaker_id,
                     'i', source_id);
      update = hone_dataset_prepare (db, "UPDATE source_speakers SET role = ?1 WHERE speaker_id = ?2 "
                                         "AND source_id = ?3", error);
    }
  if (update == NULL)
    goto fail;
  if (role_name != NULL)
    sqlite3_bind_text (update, 1, role_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, speaker_id);
  if (source_id != 0)
    sqlite3_bind_int64 (update, 3, source_id);
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not set the role");
      goto fail;
    }
  if (role == HONE_ROLE_NONE)
    summary = g_strdup_printf ("Cleared the role of %s", speaker);
  else if (source_id == 0)
    summary = g_strdup_printf ("%s is the %s", speaker, role_name);
  else
    summary = g_strdup_printf ("%s is the %s in source %" G_GINT64_FORMAT, speaker, role_name, source_id);
  return hone_dataset_commit_change (db, &txn, "roles", summary, &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}

int
hone_dataset_guess_roles (HoneProject  *project,
                          GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(GPtrArray) speakers = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *summary = NULL;
  int n = 0;

  g_return_val_if_fail (project != NULL, -1);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return -1;
  hone_undo_init (&undo);
  speakers = hone_dataset_list_speakers (project, error);
  update = speakers != NULL ? hone_dataset_prepare (db, "UPDATE speakers SET role = ?1 WHERE id = ?2",
                                                    error) : NULL;
  if (update == NULL)
    goto fail;
  for (guint i = 0; i < speakers->len; i++)
    {
      const HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);

      if (info->source_id != 0 || info->role != HONE_ROLE_NONE || info->guess == HONE_ROLE_SYSTEM)
        continue;
      hone_undo_add (&undo, "UPDATE speakers SET role = NULL WHERE id = ?1", 1, 'i', info->id);
      sqlite3_reset (update);
      sqlite3_bind_text (update, 1, hone_role_to_string (info->guess), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (update, 2, info->id);
      if (sqlite3_step (update) != SQLITE_DONE)
        {
          hone_store_set_error (error, db, sqlite3_errcode (db), "Could not set the roles");
          goto fail;
        }
      n++;
    }
  summary = g_strdup_printf ("Guessed the roles of %d speakers", n);
  if ((n > 0 && !hone_dataset_record_change (db, "roles", summary, &undo, error)) ||
      !hone_store_commit (&txn, error))
    goto fail;
  hone_undo_clear (&undo);
  return n;

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return -1;
}
