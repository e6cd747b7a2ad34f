/* hone-migrations.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ordered forward migrations of the project schema (PRAGMA user_version).
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Number of migrations = the current schema version. */
int      hone_migrations_count    (void);
/* Runs migrations from the database's version up to @target (each in its own
 * transaction that also sets user_version). */
gboolean hone_migrations_run      (sqlite3  *db,
                                   int       target,
                                   GError  **error);

G_END_DECLS
