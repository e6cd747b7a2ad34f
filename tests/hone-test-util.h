/* hone-test-util.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers that the engine tests share: temporary folders and the files in them, the
 * samples under HONE_TESTDATA, inline JSON, the messages of a chat log, refusals and
 * SQLite queries. Every helper fails the test (g_assert, g_error) rather than return
 * an error.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "data/hone-chatlog.h"
#include "data/hone-import.h"

G_BEGIN_DECLS

/* A JSON format reader: hone_read_telegram(), hone_read_discord(). */
typedef gboolean (*HoneTestJsonReader) (HoneChatlog  *log,
                                        const char   *name,
                                        JsonNode     *root,
                                        GError      **error);

/* A member of a zip written by hone_test_write_zip(): a path ending in '/' is a folder;
 * @len -1 means @contents is a string. */
typedef struct
{
  const char *path;
  const char *contents;
  gssize      len;
} HoneTestZipMember;

/* Files and folders */

/* A new folder named after @tmpl ("hone-x-XXXXXX") in the temporary folder. */
char                  *hone_test_make_temp_dir       (const char               *tmpl);
/* Removes @path and, for a folder, everything in it; links are removed, not followed. */
void                   hone_test_remove_tree         (const char               *path);
/* Writes @contents (@len bytes, -1: a string) to @relative inside @dir, making the
 * folders on the way; returns the file's path. */
char                  *hone_test_write_file          (const char               *dir,
                                                      const char               *relative,
                                                      const char               *contents,
                                                      gssize                    len);
/* The same for a zip file holding @members; returns its path. */
char                  *hone_test_write_zip           (const char               *dir,
                                                      const char               *relative,
                                                      const HoneTestZipMember  *members,
                                                      guint                     n_members);
/* The contents of the sample chatlogs/@relative under HONE_TESTDATA; NULL, with the test
 * marked skipped, when HONE_TESTDATA is not set. */
char                  *hone_test_read_sample         (const char               *relative,
                                                      gsize                    *len);

/* Inline JSON, written with ' for " to keep it readable */

/* @json with every ' turned into ". */
char                  *hone_test_json_quotes         (const char               *json);
/* @json, with ' for ", parsed as hone_json_parse() does for a file called @name. */
JsonNode              *hone_test_parse_json          (const char               *name,
                                                      const char               *json);

/* Chat logs */

/* @json, with ' for ", read by @reader into a new log as a file called @name; @reader
 * must accept it. */
HoneChatlog           *hone_test_read_json           (HoneTestJsonReader        reader,
                                                      const char               *name,
                                                      const char               *json);
/* The same, but @reader must refuse it with a shape error that starts with "@name: "
 * and mentions @words, and read nothing. */
void                   hone_test_assert_json_refused (HoneTestJsonReader        reader,
                                                      const char               *name,
                                                      const char               *json,
                                                      const char               *words);

/* Imports @len bytes (-1: a string) through hone_import_read_path(), from a temporary
 * file named after @tmpl ("hone-test-XXXXXX.csv"). */
HoneChatlog           *hone_test_import_bytes        (const char               *tmpl,
                                                      const char               *bytes,
                                                      gssize                    len);
/* Message @index of conversation @conversation; both must exist. */
const HoneChatMessage *hone_test_message             (HoneChatlog              *log,
                                                      guint                     conversation,
                                                      guint                     index);
/* Message @index counting through all conversations in order, which must exist. */
const HoneChatMessage *hone_test_nth_message         (HoneChatlog              *log,
                                                      guint                     index);
const char            *hone_test_title               (HoneChatlog              *log,
                                                      guint                     conversation);
void                   hone_test_assert_fields       (const HoneChatMessage    *message,
                                                      const char               *author,
                                                      const char               *time,
                                                      const char               *text,
                                                      gboolean                  media);
/* hone_test_assert_fields() on hone_test_message(). */
void                   hone_test_assert_message      (HoneChatlog              *log,
                                                      guint                     conversation,
                                                      guint                     index,
                                                      const char               *author,
                                                      const char               *time,
                                                      const char               *text,
                                                      gboolean                  media);
/* No conversation and no system event: what a refused import leaves. */
void                   hone_test_assert_empty        (HoneChatlog              *log);

/* Errors */

/* @error is HONE_IMPORT_ERROR/@code, starts with "@name: " and mentions @words; NULL
 * @name or @words are not checked. */
void                   hone_test_assert_refusal      (const GError             *error,
                                                      HoneImportError           code,
                                                      const char               *name,
                                                      const char               *words);
/* @error is set and its message contains @words. */
void                   hone_test_assert_mentions     (const GError             *error,
                                                      const char               *words);

/* SQLite */

void                   hone_test_exec_sql            (sqlite3                  *db,
                                                      const char               *sql);
/* The first column of the first row of @sql, which must have a row. */
gint64                 hone_test_query_int           (sqlite3                  *db,
                                                      const char               *sql);
char                  *hone_test_query_text          (sqlite3                  *db,
                                                      const char               *sql);

G_END_DECLS
