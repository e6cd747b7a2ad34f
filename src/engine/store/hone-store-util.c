/* hone-store-util.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-store"

#include "config.h"

#include "hone-migrations.h"
#include "hone-project.h"
#include "hone-store-private.h"

void
hone_store_set_error (GError     **error,
                      sqlite3     *db,
                      int          rc,
                      const char  *what)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                   "The project file is damaged or is not a Hone project (%s: %s)",
                   what, message);
      break;

    case SQLITE_FULL:
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "The disk is full (%s)", what);
      break;

    default:
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                   "%s: %s", what, message);
      break;
    }
}

gboolean
hone_store_check_version (gint64   version,
                          GError **error)
{
  if (version > hone_migrations_count ())
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_TOO_NEW,
                   "This project was made by a newer version of Hone (project version %"
                   G_GINT64_FORMAT ", this Hone reads up to %d). Update Hone to open it.",
                   version, hone_migrations_count ());
      return FALSE;
    }
  return TRUE;
}

gboolean
hone_store_exec (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      hone_store_set_error (error, db, rc, "Could not change the project");
      return FALSE;
    }
  return TRUE;
}

gboolean
hone_store_query_int (sqlite3     *db,
                      const char  *sql,
                      gint64      *value,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *value = 0;
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    hone_store_set_error (error, db, rc, "Could not read the project");
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

gboolean
hone_store_begin (HoneStoreTransaction  *txn,
                  sqlite3               *db,
                  gboolean               write,
                  GError               **error)
{
  const char *sql;

  g_assert (txn != NULL);
  g_assert (db != NULL);

  txn->db = db;
  txn->nested = !sqlite3_get_autocommit (db);
  txn->open = FALSE;
  if (txn->nested)
    sql = "SAVEPOINT hone_store";
  else
    sql = write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";

  if (!hone_store_exec (db, sql, error))
    return FALSE;
  txn->open = TRUE;
  return TRUE;
}

gboolean
hone_store_commit (HoneStoreTransaction  *txn,
                   GError               **error)
{
  g_assert (txn != NULL);
  g_assert (txn->open);

  /* On failure the transaction stays open: the caller rolls it back. */
  if (!hone_store_exec (txn->db, txn->nested ? "RELEASE hone_store" : "COMMIT", error))
    return FALSE;
  txn->open = FALSE;
  return TRUE;
}

void
hone_store_rollback (HoneStoreTransaction *txn)
{
  g_assert (txn != NULL);

  if (!txn->open)
    return;
  txn->open = FALSE;

  /* SQLite rolls back by itself after some errors (disk full, I/O); then there is
   * nothing left to roll back and these fail harmlessly. */
  if (txn->nested)
    sqlite3_exec (txn->db, "ROLLBACK TO hone_store; RELEASE hone_store", NULL, NULL, NULL);
  else if (!sqlite3_get_autocommit (txn->db))
    sqlite3_exec (txn->db, "ROLLBACK", NULL, NULL, NULL);
}
