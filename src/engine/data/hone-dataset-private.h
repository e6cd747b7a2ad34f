/* hone-dataset-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the dataset files share: prepared statements, the change record with its undo
 * statements, and the time stamp.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "hone-dataset.h"
#include "store/hone-store-private.h"

G_BEGIN_DECLS

/* The undo of one change: statements [sql, arg…] run in order by hone_dataset_undo. */
typedef struct
{
  JsonArray *statements;
} HoneUndo;

void      hone_undo_init              (HoneUndo      *undo);
void      hone_undo_clear             (HoneUndo      *undo);
/* @sql takes ?1, ?2…; then @n_args pairs of (char type, value): 'i' gint64, 's' const
 * char * (NULL binds NULL). */
void      hone_undo_add               (HoneUndo      *undo,
                                       const char    *sql,
                                       guint          n_args,
                                       ...);
/* Inside the caller's transaction: stores the change and its undo. */
gboolean  hone_dataset_record_change  (sqlite3       *db,
                                       const char    *kind,
                                       const char    *summary,
                                       HoneUndo      *undo,
                                       GError       **error);

/* Inside the caller's transaction @txn: stores the change and its undo, and commits;
 * rolls back when either fails. Clears @undo. */
gboolean  hone_dataset_commit_change  (sqlite3               *db,
                                       HoneStoreTransaction  *txn,
                                       const char            *kind,
                                       const char            *summary,
                                       HoneUndo              *undo,
                                       GError               **error);
/* The failure path of a change: clears @undo and rolls @txn back. */
void      hone_dataset_abandon_change (HoneStoreTransaction  *txn,
                                       HoneUndo              *undo);

/* Makes the item of one row of a list. */
typedef gpointer (*HoneDatasetReadRow) (sqlite3_stmt *stmt);

/* Runs @stmt to its end, adding @read_row's item for each row to @rows; FALSE with
 * @error (@what says what was being read) when a step fails. */
gboolean  hone_dataset_read_rows      (sqlite3               *db,
                                       sqlite3_stmt          *stmt,
                                       HoneDatasetReadRow     read_row,
                                       GPtrArray             *rows,
                                       const char            *what,
                                       GError               **error);

sqlite3_stmt *hone_dataset_prepare    (sqlite3       *db,
                                       const char    *sql,
                                       GError       **error);
char     *hone_dataset_now            (void);
/* Text of a column, or NULL. */
char     *hone_dataset_column_dup     (sqlite3_stmt  *stmt,
                                       int            column);

/* The regex of a tag rule: keywords "refund|broken|late" (whole words, any case) or,
 * with @is_regex, a regular expression (any case). */
GRegex   *hone_tag_rule_compile       (const char    *rule,
                                       gboolean       is_regex,
                                       GError       **error);

/* Near-duplicate detection (hone-near-dup.c): items are sequences of hashed words. */
typedef struct _HoneNearDup HoneNearDup;

HoneNearDup *hone_near_dup_new        (double         threshold);
void      hone_near_dup_free          (HoneNearDup   *self);
guint64   hone_near_dup_hash_word     (const char    *word,
                                       gsize          len);
/* Adds @words unless an item added before has word 3-gram sets with a Jaccard
 * similarity >= the threshold: then returns that item's index (counting only items
 * kept, from 0) and sets @similarity; otherwise keeps it and returns -1. */
int       hone_near_dup_add           (HoneNearDup   *self,
                                       const guint64 *words,
                                       guint          n_words,
                                       double        *similarity);
/* |A ∩ B| / |A ∪ B| of two sorted sets without repeats. */
double    hone_near_dup_jaccard       (const guint64 *a,
                                       guint          n_a,
                                       const guint64 *b,
                                       guint          n_b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneNearDup, hone_near_dup_free)

G_END_DECLS
