/* hone-tags.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tags on conversations: by hand or by a keyword or regex rule, with a cap or an
 * up-sampling factor for the training part.
 */
#define G_LOG_DOMAIN "hone-tags"

#include "config.h"

#include <string.h>

#include "hone-dataset-private.h"

void
hone_tag_info_free (HoneTagInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->rule);
  g_free (info);
}

/* id, name, rule, count, cap, upsample */
static gpointer
read_tag (sqlite3_stmt *stmt)
{
  HoneTagInfo *info = g_new0 (HoneTagInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->name = hone_dataset_column_dup (stmt, 1);
  info->rule = hone_dataset_column_dup (stmt, 2);
  info->count = sqlite3_column_int (stmt, 3);
  info->cap = sqlite3_column_int (stmt, 4);
  info->upsample = sqlite3_column_int (stmt, 5);
  return info;
}

GPtrArray *
hone_dataset_list_tags (HoneProject  *project,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_tag_info_free);

  g_return_val_if_fail (project != NULL, NULL);

  stmt = hone_dataset_prepare (hone_project_get_db (project),
    "SELECT t.id, t.name, ts.rule, "
    "  (SELECT count (*) FROM conversation_tags AS ct WHERE ct.tag_id = t.id), "
    "  coalesce (ts.cap, 0), coalesce (ts.upsample, 1) "
    "FROM tags AS t LEFT JOIN tag_settings AS ts ON ts.tag_id = t.id ORDER BY t.name", error);
  if (stmt == NULL)
    return NULL;
  if (!hone_dataset_read_rows (hone_project_get_db (project), stmt, read_tag, tags,
                               "Could not read the tags", error))
    return NULL;
  return g_steal_pointer (&tags);
}

/* The id of @name, made (with its undo) when missing. */
static gint64
ensure_tag (sqlite3     *db,
            const char  *name,
            HoneUndo    *undo,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *now = hone_dataset_now ();
  gint64 id;

  find = hone_dataset_prepare (db, "SELECT id FROM tags WHERE name = ?1", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    return sqlite3_column_int64 (find, 0);
  insert = hone_dataset_prepare (db, "INSERT INTO tags (name, created_at) VALUES (?1, ?2)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, now, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      hone_store_set_error (error, db, sqlite3_errcode (db), "Could not create the tag");
      return 0;
    }
  id = sqlite3_last_insert_rowid (db);
  /* Run last when undoing: the tag's rows go first. */
  hone_undo_add (undo, "DELETE FROM tags WHERE id = ?1", 1, 'i', id);
  return id;
}

/* Tagging adds rows; the undo removes exactly the rows this change added, listed as a
 * JSON array so one statement does it. @by_rule: the rule adds them (a row already
 * there stays as it is); by hand, a row the rule put there becomes a hand tag (kept on
 * every piece of its conversation), and @promoted lists those. */
static gboolean
insert_tags (sqlite3      *db,
             gint64        tag_id,
             GArray       *ids,
             gboolean      by_rule,
             JsonArray    *added,
             JsonArray    *promoted,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) promote = NULL;

  insert = hone_dataset_prepare (db, "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id, "
                                     "by_rule) VALUES (?1, ?2, ?3)", error);
  if (insert == NULL)
    return FALSE;
  if (!by_rule)
    {
      promote = hone_dataset_prepare (db, "UPDATE conversation_tags SET by_rule = 0 "
                                          "WHERE conversation_id = ?1 AND tag_id = ?2 AND by_rule = 1",
                                      error);
      if (promote == NULL)
        return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_int64 (insert, 2, tag_id);
      sqlite3_bind_int (insert, 3, by_rule ? 1 : 0);
      if (sqlite3_step (insert) != SQLITE_DONE)
        goto fail;
      if (sqlite3_changes (db) > 0)
        {
          json_array_add_int_element (added, id);
          continue;
        }
      if (promote == NULL)
        continue;
      sqlite3_reset (promote);
      sqlite3_bind_int64 (promote, 1, id);
      sqlite3_bind_int64 (promote, 2, tag_id);
      if (sqlite3_step (promote) != SQLITE_DONE)
        goto fail;
      if (sqlite3_changes (db) > 0)
        json_array_add_int_element (promoted, id);
    }
  return TRUE;

fail:
  hone_store_set_error (error, db, sqlite3_errcode (db), "Could not tag the conversations");
  return FALSE;
}

static char *
json_ids (JsonArray *ids)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, ids);
  return json_to_string (node, FALSE);
}

/* Undo statements run in order: the rows this change added go first, then (when made
 * here) the tag and its settings. */
static void
prepend_row_undo (HoneUndo   *undo,
                  gint64      tag_id,
                  JsonArray  *added)
{
  g_autofree char *list = json_ids (added);
  JsonArray *ordered = json_array_new ();
  JsonArray *rows = json_array_new ();

  json_array_add_string_element (rows, "DELETE FROM conversation_tags WHERE tag_id = ?1 AND "
                                       "conversation_id IN (SELECT value FROM json_each (?2))");
  json_array_add_int_element (rows, tag_id);
  json_array_add_string_element (rows, list);
  json_array_add_array_element (ordered, rows);
  for (guint i = 0; i < json_array_get_length (undo->statements); i++)
    json_array_add_element (ordered, json_node_copy (json_array_get_element (undo->statements, i)));
  json_array_unref (undo->statements);
  undo->statements = ordered;
}

GRegex *
hone_tag_rule_compile (const char  *rule,
                       gboolean     is_regex,
                       GError     **error)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) pattern = NULL;
  guint n = 0;

  if (is_regex)
    return g_regex_new (rule, G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, error);

  words = g_strsplit (rule, "|", -1);
  pattern = g_string_new ("(?<!\\w)(?:");
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;

      g_strstrip (words[i]);
      if (words[i][0] == '\0')
        continue;
      escaped = g_regex_escape_string (words[i], -1);
      g_string_append_printf (pattern, "%s%s", n++ > 0 ? "|" : "", escaped);
    }
  g_string_append (pattern, ")(?!\\w)");
  if (n == 0)
    {
      g_set_error_literal (error, G_REGEX_ERROR, G_REGEX_ERROR_COMPILE,
                           "Give at least one keyword, e.g. refund|broken|late");
      return NULL;
    }
  return g_regex_new (pattern->str, G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, error);
}

int
hone_dataset_tag_by_rule (HoneProject   *project,
                          const char    *tag,
                          const char    *rule,
                          gboolean       is_regex,
                          GCancellable  *cancellable,
                          GError       **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(sqlite3_stmt) scan = NULL;
  g_autoptr(sqlite3_stmt) settings = NULL;
  g_autoptr(sqlite3_stmt) old = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) added = json_array_new ();
  g_autofree char *summary = NULL;
  gint64 tag_id, last = 0;
  guint rows = 0;
  int rc;

  g_return_val_if_fail (project != NULL, -1);
  g_return_val_if_fail (tag != NULL && rule != NULL, -1);

  regex = hone_tag_rule_compile (rule, is_regex, error);
  if (regex == NULL)
    return -1;

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return -1;
  hone_undo_init (&undo);
  tag_id = ensure_tag (db, tag, &undo, error);
  if (tag_id == 0)
    goto fail;

  scan = hone_dataset_prepare (db, "SELECT m.conversation_id, coalesce (e.text, m.text) FROM messages AS m "
                                   "LEFT JOIN message_edits AS e ON e.message_id = m.id "
                                   "ORDER BY m.conversation_id", error);
  if (scan == NULL)
    goto fail;
  while ((rc = sqlite3_step (scan)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (scan, 0);

      if ((++rows & 0x3fff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (id == last)
        continue;
      if (g_regex_match (regex, (const char *) sqlite3_column_text (scan, 1), 0, NULL))
        {
          g_array_append_val (ids, id);
          last = id;
        }
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the messages");
      goto fail;
    }
  if (!insert_tags (db, tag_id, ids, TRUE, added, NULL, error))
    goto fail;

  old = hone_dataset_prepare (db, "SELECT rule, is_regex, cap, upsample FROM tag_settings "
                                  "WHERE tag_id = ?1", error);
  if (old == NULL)
    goto fail;
  sqlite3_bind_int64 (old, 1, tag_id);
  if (sqlite3_step (old) == SQLITE_ROW)
    hone_undo_add (&undo, "UPDATE tag_settings SET rule = ?2, is_regex = ?3 WHERE tag_id = ?1", 3,
                   'i', tag_id, 's', (const char *) sqlite3_column_text (old, 0),
                   'i', sqlite3_column_int64 (old, 1));
  else
    hone_undo_add (&undo, "DELETE FROM tag_settings WHERE tag_id = ?1", 1, 'i', tag_id);
  settings = hone_dataset_prepare (db, "INSERT INTO tag_settings (tag_id, rule, is_regex) VALUES (?1, ?2, ?3) "
                                       "ON CONFLICT (tag_id) DO UPDATE SET rule = excluded.rule, "
                                       "is_regex = excluded.is_regex", error);
  if (settings == NULL)
    goto fail;
  sqlite3_bind_int64 (settings, 1, tag_id);
  sqlite3_bind_text (settings, 2, rule, -1, SQLITE_STATIC);
  sqlite3_bind_int (settings, 3, is_regex ? 1 : 0);
  if (sqlite3_step (settings) != SQLITE_DONE)
    {
      hone_store_set_error (error, db, sqlite3_errcode (db), "Could not store the rule");
      goto fail;
    }

  prepend_row_undo (&undo, tag_id, added);
  summary = g_strdup_printf ("Tagged %u conversations “%s” (%s)", json_array_get_length (added), tag, rule);
  if (!hone_dataset_commit_change (db, &txn, "tags", summary, &undo, error))
    return -1;
  return (int) json_array_get_length (added);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return -1;
}

gboolean
hone_dataset_tag_conversations (HoneProject  *project,
                                const char   *tag,
                                const gint64 *conversation_ids,
                                guint         n_ids,
                                gboolean      add,
                                GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) changed = json_array_new ();
  g_autoptr(JsonArray) by_rule = json_array_new ();
  g_autofree char *summary = NULL;
  gint64 tag_id;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);
  g_return_val_if_fail (conversation_ids != NULL || n_ids == 0, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM conversations WHERE id = %"
                                              G_GINT64_FORMAT, conversation_ids[i]);
      gint64 exists = 0;

      if (!hone_store_query_int (db, sql, &exists, error))
        goto fail;
      if (!exists)
        {
          g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                       "There is no conversation %" G_GINT64_FORMAT, conversation_ids[i]);
          goto fail;
        }
    }
  g_array_append_vals (ids, conversation_ids, n_ids);

  if (add)
    {
      g_autoptr(JsonArray) promoted = json_array_new ();

      tag_id = ensure_tag (db, tag, &undo, error);
      if (tag_id == 0 || !insert_tags (db, tag_id, ids, FALSE, changed, promoted, error))
        goto fail;
      prepend_row_undo (&undo, tag_id, changed);
      if (json_array_get_length (promoted) > 0)
        {
          g_autofree char *list = json_ids (promoted);

          hone_undo_add (&undo, "UPDATE conversation_tags SET by_rule = 1 WHERE tag_id = ?1 AND "
                                "conversation_id IN (SELECT value FROM json_each (?2))",
                         2, 'i', tag_id, 's', list);
        }
    }
  else
    {
      g_autoptr(sqlite3_stmt) find = hone_dataset_prepare (db, "SELECT id FROM tags WHERE name = ?1", error);
      g_autoptr(sqlite3_stmt) del = NULL;

      if (find == NULL)
        goto fail;
      sqlite3_bind_text (find, 1, tag, -1, SQLITE_STATIC);
      if (sqlite3_step (find) != SQLITE_ROW)
        {
          g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                       "There is no tag “%s”", tag);
          goto fail;
        }
      tag_id = sqlite3_column_int64 (find, 0);
      del = hone_dataset_prepare (db, "DELETE FROM conversation_tags WHERE conversation_id = ?1 "
                                      "AND tag_id = ?2 RETURNING by_rule", error);
      if (del == NULL)
        goto fail;
      for (guint i = 0; i < n_ids; i++)
        {
          int rc;

          sqlite3_reset (del);
          sqlite3_bind_int64 (del, 1, conversation_ids[i]);
          sqlite3_bind_int64 (del, 2, tag_id);
          rc = sqlite3_step (del);
          if (rc == SQLITE_ROW)
            {
              json_array_add_int_element (changed, conversation_ids[i]);
              if (sqlite3_column_int (del, 0))
                json_array_add_int_element (by_rule, conversation_ids[i]);
              rc = sqlite3_step (del);
            }
          if (rc != SQLITE_DONE)
            {
              hone_store_set_error (error, db, sqlite3_errcode (db), "Could not untag");
              goto fail;
            }
        }
      {
        g_autofree char *list = json_ids (changed);
        g_autofree char *rule_list = json_ids (by_rule);

        hone_undo_add (&undo, "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id) "
                              "SELECT value, ?1 FROM json_each (?2)", 2, 'i', tag_id, 's', list);
        if (json_array_get_length (by_rule) > 0)
          hone_undo_add (&undo, "UPDATE conversation_tags SET by_rule = 1 WHERE tag_id = ?1 AND "
                                "conversation_id IN (SELECT value FROM json_each (?2))",
                         2, 'i', tag_id, 's', rule_list);
      }
    }
  summary = g_strdup_printf (add ? "Tagged %u conversations “%s”" : "Removed the tag “%2$s” from %1$u conversations",
                             json_array_get_length (changed), tag);
  return hone_dataset_commit_change (db, &txn, "tags", summary, &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}

gboolean
hone_dataset_set_tag_balance (HoneProject  *project,
                              const char   *tag,
                              guint         cap,
                              guint         upsample,
                              GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) set = NULL;
  g_autofree char *summary = NULL;
  gint64 tag_id;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  find = hone_dataset_prepare (db, "SELECT t.id, ts.tag_id, ts.cap, ts.upsample FROM tags AS t "
                                   "LEFT JOIN tag_settings AS ts ON ts.tag_id = t.id WHERE t.name = ?1",
                               error);
  if (find == NULL)
    goto fail;
  sqlite3_bind_text (find, 1, tag, -1, SQLITE_STATIC);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND, "There is no tag “%s”", tag);
      goto fail;
    }
  tag_id = sqlite3_column_int64 (find, 0);
  if (sqlite3_column_type (find, 1) == SQLITE_NULL)
    hone_undo_add (&undo, "DELETE FROM tag_settings WHERE tag_id = ?1", 1, 'i', tag_id);
  else
    hone_undo_add (&undo, "UPDATE tag_settings SET cap = ?2, upsample = ?3 WHERE tag_id = ?1", 3,
                   'i', tag_id, 'i', sqlite3_column_int64 (find, 2), 'i', sqlite3_column_int64 (find, 3));
  set = hone_dataset_prepare (db, "INSERT INTO tag_settings (tag_id, cap, upsample) VALUES (?1, ?2, ?3) "
                                  "ON CONFLICT (tag_id) DO UPDATE SET cap = excluded.cap, "
                                  "upsample = excluded.upsample", error);
  if (set == NULL)
    goto fail;
  sqlite3_bind_int64 (set, 1, tag_id);
  sqlite3_bind_int64 (set, 2, cap);
  sqlite3_bind_int64 (set, 3, MAX (upsample, 1));
  if (sqlite3_step (set) != SQLITE_DONE)
    {
      hone_store_set_error (error, db, sqlite3_errcode (db), "Could not set the balance");
      goto fail;
    }
  summary = g_strdup_printf ("“%s”: at most %u, each ×%u", tag, cap, MAX (upsample, 1));
  return hone_dataset_commit_change (db, &txn, "tags", summary, &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}
