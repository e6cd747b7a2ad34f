/* hone-store-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the project store and its migrations share: SQLite errors as GError, and
 * transactions that nest (a SAVEPOINT inside a caller's transaction).
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* PRAGMA application_id of a Hone project: "Hone" in ASCII. */
#define HONE_STORE_APPLICATION_ID 0x486f6e65

typedef struct
{
  sqlite3  *db;
  gboolean  nested;  /* a SAVEPOINT inside a transaction the caller opened */
  gboolean  open;
} HoneStoreTransaction;

/* Sets @error from the connection's last error: CORRUPT for a damaged file or one that
 * is not a database, FAILED otherwise. @what says what was being done. */
void     hone_store_set_error       (GError               **error,
                                     sqlite3               *db,
                                     int                    rc,
                                     const char            *what);
gboolean hone_store_exec            (sqlite3               *db,
                                     const char            *sql,
                                     GError               **error);
/* The first column of the first row of @sql as an integer (0 when there is no row). */
gboolean hone_store_query_int       (sqlite3               *db,
                                     const char            *sql,
                                     gint64                *value,
                                     GError               **error);
/* FALSE, with HONE_PROJECT_ERROR_TOO_NEW, when schema @version is newer than this Hone
 * reads. */
gboolean hone_store_check_version   (gint64                 version,
                                     GError               **error);

/* A write transaction is BEGIN IMMEDIATE, so that it waits for (busy_timeout) rather
 * than fails on another connection's write; a read one is BEGIN DEFERRED, one snapshot
 * for several statements. Inside a caller's transaction both are a SAVEPOINT. */
gboolean hone_store_begin           (HoneStoreTransaction  *txn,
                                     sqlite3               *db,
                                     gboolean               write,
                                     GError               **error);
gboolean hone_store_commit          (HoneStoreTransaction  *txn,
                                     GError               **error);
/* Does nothing when @txn is not open, so it can run on every error path. */
void     hone_store_rollback        (HoneStoreTransaction  *txn);

G_END_DECLS
