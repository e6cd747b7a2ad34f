/* hone-dataset.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset recipe (cleaning options as JSON in datasets.cleaning), the default
 * dataset, message edits, pins, and the change record behind undo.
 */
#define G_LOG_DOMAIN "hone-dataset"

#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-dataset-private.h"

static const char * const role_names[] = { NULL, "user", "assistant", "system" };

const char *
hone_role_to_string (HoneRole role)
{
  g_return_val_if_fail (role <= HONE_ROLE_SYSTEM, NULL);
  return role_names[role];
}

HoneRole
hone_role_from_string (const char *name)
{
  if (name == NULL)
    return HONE_ROLE_NONE;
  for (guint i = 1; i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (name, role_names[i]) == 0)
      return (HoneRole) i;
  return HONE_ROLE_NONE;
}

char *
hone_dataset_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

sqlite3_stmt *
hone_dataset_prepare (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      hone_store_set_error (error, db, rc, "Could not read the dataset");
      return NULL;
    }
  return stmt;
}

char *
hone_dataset_column_dup (sqlite3_stmt *stmt,
                         int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

/* Undo */

void
hone_undo_init (HoneUndo *undo)
{
  undo->statements = json_array_new ();
}

void
hone_undo_clear (HoneUndo *undo)
{
  g_clear_pointer (&undo->statements, json_array_unref);
}

void
hone_undo_add (HoneUndo   *undo,
               const char *sql,
               guint       n_args,
               ...)
{
  JsonArray *statement = json_array_new ();
  va_list args;

  json_array_add_string_element (statement, sql);
  va_start (args, n_args);
  for (guint i = 0; i < n_args; i++)
    {
      int type = va_arg (args, int);

      if (type == 'i')
        json_array_add_int_element (statement, va_arg (args, gint64));
      else
        {
          const char *s = va_arg (args, const char *);
          if (s != NULL)
            json_array_add_string_element (statement, s);
          else
            json_array_add_null_element (statement);
        }
    }
  va_end (args);
  json_array_add_array_element (undo->statements, statement);
}

gboolean
hone_dataset_record_change (sqlite3     *db,
                            const char  *kind,
                            const char  *summary,
                            HoneUndo    *undo,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *json = NULL;
  g_autofree char *now = hone_dataset_now ();
  int rc;

  json_node_set_array (node, undo->statements);
  json = json_to_string (node, FALSE);
  stmt = hone_dataset_prepare (db, "INSERT INTO changes (kind, summary, undo, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, summary, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not record the change");
      return FALSE;
    }
  return TRUE;
}

gboolean
hone_dataset_commit_change (sqlite3               *db,
                            HoneStoreTransaction  *txn,
                            const char            *kind,
                            const char            *summary,
                            HoneUndo              *undo,
                            GError               **error)
{
  if (!hone_dataset_record_change (db, kind, summary, undo, error) ||
      !hone_store_commit (txn, error))
    {
      hone_dataset_abandon_change (txn, undo);
      return FALSE;
    }
  hone_undo_clear (undo);
  return TRUE;
}

void
hone_dataset_abandon_change (HoneStoreTransaction *txn,
                             HoneUndo             *undo)
{
  hone_undo_clear (undo);
  hone_store_rollback (txn);
}

gboolean
hone_dataset_read_rows (sqlite3             *db,
                        sqlite3_stmt        *stmt,
                        HoneDatasetReadRow   read_row,
                        GPtrArray           *rows,
                        const char          *what,
                        GError             **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_undo_statement (sqlite3    *db,
                    JsonArray  *statement,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (json_array_get_length (statement) < 1)
    return TRUE;
  stmt = hone_dataset_prepare (db, json_array_get_string_element (statement, 0), error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 1; i < json_array_get_length (statement); i++)
    {
      JsonNode *arg = json_array_get_element (statement, i);

      if (JSON_NODE_HOLDS_NULL (arg))
        sqlite3_bind_null (stmt, i);
      else if (json_node_get_value_type (arg) == G_TYPE_INT64)
        sqlite3_bind_int64 (stmt, i, json_node_get_int (arg));
      else
        sqlite3_bind_text (stmt, i, json_node_get_string (arg), -1, SQLITE_TRANSIENT);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not undo the change");
      return FALSE;
    }
  return TRUE;
}

char *
hone_dataset_undo (HoneProject  *project,
                   GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *now = hone_dataset_now ();
  g_autofree char *mark = NULL;
  JsonArray *statements;
  gint64 id;

  g_return_val_if_fail (project != NULL, NULL);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return NULL;
  stmt = hone_dataset_prepare (db, "SELECT id, summary, undo FROM changes "
                                   "WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      hone_store_rollback (&txn);
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);
  summary = hone_dataset_column_dup (stmt, 1);
  root = json_from_string ((const char *) sqlite3_column_text (stmt, 2), error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    goto fail;
  statements = json_node_get_array (root);
  /* Statements were added in the order that reverts the change. */
  for (guint i = 0; i < json_array_get_length (statements); i++)
    if (!run_undo_statement (db, json_array_get_array_element (statements, i), error))
      goto fail;
  mark = g_strdup_printf ("UPDATE changes SET undone_at = '%s' WHERE id = %" G_GINT64_FORMAT,
                          now, id);
  if (!hone_store_exec (db, mark, error) || !hone_store_commit (&txn, error))
    goto fail;
  return g_steal_pointer (&summary);

fail:
  hone_store_rollback (&txn);
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                         "The record of the last change is damaged");
  return NULL;
}

void
hone_change_info_free (HoneChangeInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->kind);
  g_free (info->summary);
  g_free (info->created_at);
  g_free (info);
}

/* id, kind, summary, created_at, undone */
static gpointer
read_change (sqlite3_stmt *stmt)
{
  HoneChangeInfo *info = g_new0 (HoneChangeInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->kind = hone_dataset_column_dup (stmt, 1);
  info->summary = hone_dataset_column_dup (stmt, 2);
  info->created_at = hone_dataset_column_dup (stmt, 3);
  info->undone = sqlite3_column_int (stmt, 4);
  return info;
}

GPtrArray *
hone_dataset_list_changes (HoneProject  *project,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_change_info_free);

  g_return_val_if_fail (project != NULL, NULL);

  stmt = hone_dataset_prepare (hone_project_get_db (project),
                               "SELECT id, kind, summary, created_at, undone_at IS NOT NULL "
                               "FROM changes ORDER BY id DESC LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  if (!hone_dataset_read_rows (hone_project_get_db (project), stmt, read_change, changes,
                               "Could not read the changes", error))
    return NULL;
  return g_steal_pointer (&changes);
}

/* Options */

void
hone_clean_options_init (HoneCleanOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (HoneCleanOptions) {
    .drop_system = TRUE,
    .drop_media = TRUE,
    .drop_deleted = TRUE,
    .split_on_gap = TRUE,
    .gap_hours = 6.0,
    .merge_consecutive = TRUE,
    .require_both_roles = TRUE,
    .drop_duplicates = TRUE,
    .drop_near_duplicates = TRUE,
    .near_duplicate_threshold = 0.8,
    .min_tokens = 2,
    .max_tokens = 4096,
    .scrub = FALSE,
    .scrub_kinds = HONE_SCRUB_DEFAULT_KINDS,
    .scrub_names = FALSE,
    .validation_fraction = 0.1,
    .split_seed = 0,
  };
}

typedef enum { OPT_BOOL, OPT_UINT, OPT_DOUBLE } OptionType;

static const struct
{
  const char *key;
  OptionType  type;
  gsize       offset;
  const char *description;
} option_keys[] = {
  { "drop_system", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, drop_system),
    N_("Leave out messages by “system”") },
  { "drop_media", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, drop_media),
    N_("Leave out messages that are only a photo, video or file") },
  { "drop_deleted", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, drop_deleted),
    N_("Leave out “This message was deleted” notices") },
  { "split_on_gap", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, split_on_gap),
    N_("Start a new conversation after a long silence") },
  { "split_gap_hours", OPT_DOUBLE, G_STRUCT_OFFSET (HoneCleanOptions, gap_hours),
    N_("Hours of silence that start a new conversation") },
  { "merge_consecutive", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, merge_consecutive),
    N_("Join a person’s messages in a row into one") },
  { "require_both_roles", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, require_both_roles),
    N_("Keep only conversations where both the bot and someone else speak") },
  { "drop_duplicates", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, drop_duplicates),
    N_("Leave out conversations that are exact copies") },
  { "drop_near_duplicates", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, drop_near_duplicates),
    N_("Leave out conversations that are almost the same as an earlier one") },
  { "near_duplicate_threshold", OPT_DOUBLE, G_STRUCT_OFFSET (HoneCleanOptions, near_duplicate_threshold),
    N_("How alike two conversations must be to count as near-duplicates, 0 to 1 (share of "
       "three-word runs in common)") },
  { "min_tokens", OPT_UINT, G_STRUCT_OFFSET (HoneCleanOptions, min_tokens),
    N_("Leave out conversations shorter than this many tokens (0: no limit)") },
  { "max_tokens", OPT_UINT, G_STRUCT_OFFSET (HoneCleanOptions, max_tokens),
    N_("Leave out conversations longer than this many tokens (0: no limit)") },
  { "scrub", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, scrub),
    N_("Replace personal data with placeholders") },
  { "scrub_names", OPT_BOOL, G_STRUCT_OFFSET (HoneCleanOptions, scrub_names),
    N_("Replace the names of people other than the bot") },
};

const char *
hone_clean_option_description (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    if (strcmp (key, option_keys[i].key) == 0)
      return g_dgettext (GETTEXT_PACKAGE, option_keys[i].description);
  return NULL;
}

static guint
kinds_from_array (JsonArray *array)
{
  guint kinds = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);
      int kind = name != NULL ? hone_scrub_kind_from_string (name) : -1;
      if (kind >= 0)
        kinds |= HONE_SCRUB_KIND_BIT (kind);
    }
  return kinds;
}

gboolean
hone_clean_options_from_json (HoneCleanOptions  *options,
                              const char        *json,
                              GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  root = json_from_string (json, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                           "The cleaning settings are not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    {
      JsonNode *node = json_object_get_member (object, option_keys[i].key);
      gpointer field = G_STRUCT_MEMBER_P (options, option_keys[i].offset);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      switch (option_keys[i].type)
        {
        case OPT_BOOL:
          *(gboolean *) field = json_node_get_boolean (node);
          break;
        case OPT_UINT:
          *(guint *) field = (guint) CLAMP (json_node_get_int (node), 0, G_MAXUINT);
          break;
        case OPT_DOUBLE:
          *(double *) field = json_node_get_double (node);
          break;
        }
    }
  options->near_duplicate_threshold = CLAMP (options->near_duplicate_threshold, 0.0, 1.0);
  if (json_object_has_member (object, "scrub_kinds") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "scrub_kinds")))
    options->scrub_kinds = kinds_from_array (json_object_get_array_member (object, "scrub_kinds"));
  return TRUE;
}

char *
hone_clean_options_to_json (const HoneCleanOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (options != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    {
      gconstpointer field = G_STRUCT_MEMBER_P (options, option_keys[i].offset);

      json_builder_set_member_name (builder, option_keys[i].key);
      switch (option_keys[i].type)
        {
        case OPT_BOOL:
          json_builder_add_boolean_value (builder, *(const gboolean *) field);
          break;
        case OPT_UINT:
          json_builder_add_int_value (builder, *(const guint *) field);
          break;
        case OPT_DOUBLE:
          json_builder_add_double_value (builder, *(const double *) field);
          break;
        }
    }
  json_builder_set_member_name (builder, "scrub_kinds");
  json_builder_begin_array (builder);
  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    if (options->scrub_kinds & HONE_SCRUB_KIND_BIT (k))
      json_builder_add_string_value (builder, hone_scrub_kind_to_string (k));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
hone_clean_options_set (HoneCleanOptions  *options,
                        const char        *key,
                        const char        *value,
                        GError           **error)
{
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (strcmp (key, "scrub_kinds") == 0)
    {
      g_auto(GStrv) names = g_strsplit (value, ",", -1);
      guint kinds = 0;

      for (guint i = 0; names[i] != NULL; i++)
        {
          int kind = hone_scrub_kind_from_string (g_strstrip (names[i]));
          if (kind < 0)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "“%s” is not a kind of personal data (email, phone, card, iban, "
                           "url, address, name)", names[i]);
              return FALSE;
            }
          kinds |= HONE_SCRUB_KIND_BIT (kind);
        }
      options->scrub_kinds = kinds;
      return TRUE;
    }
  if (strcmp (key, "validation_fraction") == 0 || strcmp (key, "split_seed") == 0)
    {
      char *end = NULL;
      double v = g_ascii_strtod (value, &end);

      if (end == value || *end != '\0' ||
          (key[0] == 'v' && (v < 0 || v >= 1)))
        goto bad;
      if (key[0] == 'v')
        options->validation_fraction = v;
      else
        options->split_seed = (gint64) v;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    {
      gpointer field = G_STRUCT_MEMBER_P (options, option_keys[i].offset);
      char *end = NULL;

      if (strcmp (key, option_keys[i].key) != 0)
        continue;
      switch (option_keys[i].type)
        {
        case OPT_BOOL:
          if (g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0 ||
              g_ascii_strcasecmp (value, "on") == 0 || g_ascii_strcasecmp (value, "yes") == 0)
            *(gboolean *) field = TRUE;
          else if (g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0 ||
                   g_ascii_strcasecmp (value, "off") == 0 || g_ascii_strcasecmp (value, "no") == 0)
            *(gboolean *) field = FALSE;
          else
            goto bad;
          return TRUE;
        case OPT_UINT:
          {
            guint64 v = g_ascii_strtoull (value, &end, 10);
            if (end == value || *end != '\0' || v > G_MAXUINT)
              goto bad;
            *(guint *) field = (guint) v;
            return TRUE;
          }
        case OPT_DOUBLE:
          {
            double v = g_ascii_strtod (value, &end);
            if (end == value || *end != '\0' || v <= 0 ||
                (field == (gpointer) &options->near_duplicate_threshold && v > 1))
              goto bad;
            *(double *) field = v;
            return TRUE;
          }
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "“%s” is not a cleaning setting", key);
  return FALSE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "“%s” is not a value for %s", value, key);
  return FALSE;
}

gint64
hone_dataset_ensure (HoneProject  *project,
                     const char   *name,
                     GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *now = hone_dataset_now ();
  g_autofree char *json = NULL;
  g_autofree char *clean_name = NULL;
  HoneCleanOptions defaults;
  int rc;

  g_return_val_if_fail (project != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  clean_name = g_strstrip (g_strdup (name));
  if (clean_name[0] == '\0' || !g_utf8_validate (clean_name, -1, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a name for a data set"), name);
      return 0;
    }
  db = hone_project_get_db (project);
  find = hone_dataset_prepare (db, "SELECT id FROM datasets WHERE name = ?1", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, clean_name, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    return sqlite3_column_int64 (find, 0);

  hone_clean_options_init (&defaults);
  json = hone_clean_options_to_json (&defaults);
  insert = hone_dataset_prepare (db, "INSERT OR IGNORE INTO datasets (name, cleaning, "
                                     "validation_fraction, split_seed, created_at, updated_at) "
                                     "VALUES (?5, ?1, ?2, ?3, ?4, ?4)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_double (insert, 2, defaults.validation_fraction);
  sqlite3_bind_int64 (insert, 3, defaults.split_seed);
  sqlite3_bind_text (insert, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, clean_name, -1, SQLITE_STATIC);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not create the dataset");
      return 0;
    }
  sqlite3_reset (find);
  if (sqlite3_step (find) == SQLITE_ROW)
    return sqlite3_column_int64 (find, 0);
  g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                       "Could not create the dataset");
  return 0;
}

gint64
hone_dataset_ensure_default (HoneProject  *project,
                             GError      **error)
{
  return hone_dataset_ensure (project, "default", error);
}

void
hone_dataset_info_free (HoneDatasetInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->created_at);
  g_free (info->updated_at);
  g_free (info);
}

/* id, name, created_at, updated_at, n_sources */
static gpointer
read_dataset (sqlite3_stmt *stmt)
{
  HoneDatasetInfo *info = g_new0 (HoneDatasetInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->name = hone_dataset_column_dup (stmt, 1);
  info->created_at = hone_dataset_column_dup (stmt, 2);
  info->updated_at = hone_dataset_column_dup (stmt, 3);
  info->n_sources = sqlite3_column_int (stmt, 4);
  return info;
}

GPtrArray *
hone_dataset_list (HoneProject  *project,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) datasets = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_dataset_info_free);

  g_return_val_if_fail (project != NULL, NULL);

  stmt = hone_dataset_prepare (hone_project_get_db (project),
    "SELECT d.id, d.name, d.created_at, d.updated_at, "
    "  (SELECT count (*) FROM dataset_sources AS s WHERE s.dataset_id = d.id) "
    "FROM datasets AS d ORDER BY d.name", error);
  if (stmt == NULL)
    return NULL;
  if (!hone_dataset_read_rows (hone_project_get_db (project), stmt, read_dataset, datasets,
                               "Could not read the datasets", error))
    return NULL;
  return g_steal_pointer (&datasets);
}

gboolean
hone_dataset_load_options (HoneProject       *project,
                           gint64             dataset_id,
                           HoneCleanOptions  *options,
                           GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  hone_clean_options_init (options);
  stmt = hone_dataset_prepare (hone_project_get_db (project),
                               "SELECT cleaning, validation_fraction, split_seed FROM datasets "
                               "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   "There is no dataset %" G_GINT64_FORMAT, dataset_id);
      return FALSE;
    }
  if (!hone_clean_options_from_json (options, (const char *) sqlite3_column_text (stmt, 0), error))
    return FALSE;
  options->validation_fraction = sqlite3_column_double (stmt, 1);
  options->split_seed = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

gboolean
hone_dataset_save_options (HoneProject             *project,
                           gint64                   dataset_id,
                           const HoneCleanOptions  *options,
                           const char              *summary,
                           GError                 **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(sqlite3_stmt) old = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = hone_dataset_now ();
  int rc;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  old = hone_dataset_prepare (db, "SELECT cleaning, validation_fraction, split_seed, updated_at "
                                  "FROM datasets WHERE id = ?1", error);
  if (old == NULL)
    goto fail;
  sqlite3_bind_int64 (old, 1, dataset_id);
  if (sqlite3_step (old) != SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   "There is no dataset %" G_GINT64_FORMAT, dataset_id);
      goto fail;
    }
  {
    g_autofree char *fraction = g_strdup_printf ("%.17g", sqlite3_column_double (old, 1));

    /* The fraction travels as text and comes back as a REAL through CAST. */
    hone_undo_add (&undo, "UPDATE datasets SET cleaning = ?1, validation_fraction = CAST (?2 AS REAL), "
                          "split_seed = ?3, updated_at = ?4 WHERE id = ?5", 5,
                   's', (const char *) sqlite3_column_text (old, 0), 's', fraction,
                   'i', sqlite3_column_int64 (old, 2), 's', (const char *) sqlite3_column_text (old, 3),
                   'i', dataset_id);
  }

  json = hone_clean_options_to_json (options);
  update = hone_dataset_prepare (db, "UPDATE datasets SET cleaning = ?1, validation_fraction = ?2, "
                                     "split_seed = ?3, updated_at = ?4 WHERE id = ?5", error);
  if (update == NULL)
    goto fail;
  sqlite3_bind_text (update, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_double (update, 2, options->validation_fraction);
  sqlite3_bind_int64 (update, 3, options->split_seed);
  sqlite3_bind_text (update, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 5, dataset_id);
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not save the cleaning settings");
      goto fail;
    }
  return hone_dataset_commit_change (db, &txn, "cleaning",
                                     summary != NULL ? summary : "Changed the cleaning",
                                     &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}

gboolean
hone_dataset_pin (HoneProject  *project,
                  gint64        dataset_id,
                  gint64        conversation_id,
                  gboolean      pinned,
                  GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *summary = NULL;
  gint64 exists = 0;
  int rc;

  g_return_val_if_fail (project != NULL, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM conversations WHERE id = %"
                                            G_GINT64_FORMAT, conversation_id);
    if (!hone_store_query_int (db, sql, &exists, error))
      goto fail;
    if (exists == 0)
      {
        g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                     "There is no conversation %" G_GINT64_FORMAT, conversation_id);
        goto fail;
      }
    g_free (sql);
    sql = g_strdup_printf ("SELECT count(*) FROM split_pins WHERE dataset_id = %" G_GINT64_FORMAT
                           " AND conversation_id = %" G_GINT64_FORMAT, dataset_id, conversation_id);
    if (!hone_store_query_int (db, sql, &exists, error))
      goto fail;
  }
  if (exists && !pinned)
    hone_undo_add (&undo, "INSERT OR IGNORE INTO split_pins (dataset_id, conversation_id) "
                          "VALUES (?1, ?2)", 2, 'i', dataset_id, 'i', conversation_id);
  else if (!exists && pinned)
    hone_undo_add (&undo, "DELETE FROM split_pins WHERE dataset_id = ?1 AND conversation_id = ?2",
                   2, 'i', dataset_id, 'i', conversation_id);
  stmt = hone_dataset_prepare (db, pinned ? "INSERT OR IGNORE INTO split_pins (dataset_id, "
                                            "conversation_id) VALUES (?1, ?2)"
                                          : "DELETE FROM split_pins WHERE dataset_id = ?1 "
                                            "AND conversation_id = ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  sqlite3_bind_int64 (stmt, 2, conversation_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not pin the conversation");
      goto fail;
    }
  summary = g_strdup_printf (pinned ? "Pinned conversation %" G_GINT64_FORMAT " to validation"
                                    : "Unpinned conversation %" G_GINT64_FORMAT, conversation_id);
  return hone_dataset_commit_change (db, &txn, "split", summary, &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}

gboolean
hone_dataset_edit_message (HoneProject  *project,
                           gint64        message_id,
                           const char   *text,
                           HoneRole      role,
                           gboolean      deleted,
                           GError      **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  HoneUndo undo;
  g_autoptr(sqlite3_stmt) old = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = hone_dataset_now ();
  g_autofree char *summary = NULL;
  int rc;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (role != HONE_ROLE_SYSTEM, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  hone_undo_init (&undo);
  old = hone_dataset_prepare (db, "SELECT m.id, e.message_id, e.text, e.role, e.deleted, e.edited_at "
                                  "FROM messages AS m LEFT JOIN message_edits AS e "
                                  "ON e.message_id = m.id WHERE m.id = ?1", error);
  if (old == NULL)
    goto fail;
  sqlite3_bind_int64 (old, 1, message_id);
  if (sqlite3_step (old) != SQLITE_ROW)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND,
                   "There is no message %" G_GINT64_FORMAT, message_id);
      goto fail;
    }
  if (sqlite3_column_type (old, 1) == SQLITE_NULL)
    hone_undo_add (&undo, "DELETE FROM message_edits WHERE message_id = ?1", 1, 'i', message_id);
  else
    hone_undo_add (&undo, "UPDATE message_edits SET text = ?2, role = ?3, deleted = ?4, "
                          "edited_at = ?5 WHERE message_id = ?1", 5, 'i', message_id,
                   's', (const char *) sqlite3_column_text (old, 2),
                   's', (const char *) sqlite3_column_text (old, 3),
                   'i', sqlite3_column_int64 (old, 4),
                   's', (const char *) sqlite3_column_text (old, 5));

  stmt = hone_dataset_prepare (db, "INSERT INTO message_edits (message_id, text, role, deleted, "
                                   "edited_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                                   "ON CONFLICT (message_id) DO UPDATE SET "
                                   "text = coalesce (excluded.text, text), "
                                   "role = coalesce (excluded.role, role), "
                                   "deleted = excluded.deleted, edited_at = excluded.edited_at",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (role != HONE_ROLE_NONE)
    sqlite3_bind_text (stmt, 3, hone_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, deleted ? 1 : 0);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not edit the message");
      goto fail;
    }
  summary = g_strdup_printf (deleted ? "Left out message %" G_GINT64_FORMAT
                                     : "Edited message %" G_GINT64_FORMAT, message_id);
  return hone_dataset_commit_change (db, &txn, "edit", summary, &undo, error);

fail:
  hone_dataset_abandon_change (&txn, &undo);
  return FALSE;
}

gboolean
hone_dataset_record_split (HoneProject            *project,
                           const HoneDatasetView  *view,
                           GError                **error)
{
  sqlite3 *db;
  HoneStoreTransaction txn;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  db = hone_project_get_db (project);
  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;
  clear = hone_dataset_prepare (db, "DELETE FROM splits WHERE dataset_id = ?1", error);
  insert = clear != NULL ? hone_dataset_prepare (db, "INSERT OR REPLACE INTO splits "
                                                     "(dataset_id, conversation_id, part) "
                                                     "VALUES (?1, ?2, ?3)", error) : NULL;
  if (insert == NULL)
    goto fail;
  sqlite3_bind_int64 (clear, 1, view->dataset_id);
  if (sqlite3_step (clear) != SQLITE_DONE)
    goto sql_fail;
  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      /* A conversation split on a time gap is in the part of its first piece. */
      if (c->part != 0)
        continue;
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, view->dataset_id);
      sqlite3_bind_int64 (insert, 2, c->conversation_id);
      sqlite3_bind_text (insert, 3, c->split == HONE_SPLIT_VALIDATION ? "validation" : "train",
                         -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        goto sql_fail;
    }
  if (!hone_store_commit (&txn, error))
    goto fail;
  return TRUE;

sql_fail:
  hone_store_set_error (error, db, sqlite3_errcode (db), "Could not record the split");
fail:
  hone_store_rollback (&txn);
  return FALSE;
}
