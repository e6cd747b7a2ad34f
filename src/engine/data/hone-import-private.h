/* hone-import-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format readers behind hone_import_read_path(). Each appends to @log what its
 * input holds and fails without touching anything else; @name is what messages name
 * ("chat.txt", or "export.zip: general/2024-03-01.json"). Text comes decoded (UTF-8,
 * NUL-terminated, no byte-order mark), JSON comes parsed (hone_json_parse).
 */
#pragma once

#include "hone-bundle.h"
#include "hone-chatlog.h"
#include "hone-datetime.h"
#include "hone-import.h"
#include "hone-json.h"
#include "hone-text.h"

G_BEGIN_DECLS

/* Sets @error to HONE_IMPORT_ERROR/@code with "NAME: line N: MESSAGE", or "NAME: MESSAGE"
 * when @line is 0. */
void     hone_import_set_error   (GError                  **error,
                                  HoneImportError           code,
                                  const char               *name,
                                  guint                     line,
                                  const char               *format,
                                  ...) G_GNUC_PRINTF (5, 6);
/* @text written as Hone writes times (hone_text_format_time), with its offset if it has
 * one, when all of it is an ISO 8601 time that @flags allows and that exists; else NULL. */
char    *hone_import_iso_time    (const char                *text,
                                  HoneIsoTimeFlags           flags);

gboolean hone_read_whatsapp      (HoneChatlog              *log,
                                  const char               *name,
                                  const char               *text,
                                  gsize                     len,
                                  GError                  **error);
/* Whether the first line is a CSV header with a text and an author column (detection). */
gboolean hone_csv_detect         (const char               *text,
                                  gsize                     len,
                                  const HoneCsvMap         *map);
gboolean hone_read_csv           (HoneChatlog              *log,
                                  const char               *name,
                                  const char               *text,
                                  gsize                     len,
                                  const HoneCsvMap         *map,
                                  GError                  **error);
gboolean hone_read_telegram      (HoneChatlog              *log,
                                  const char               *name,
                                  JsonNode                 *root,
                                  GError                  **error);
gboolean hone_read_discord       (HoneChatlog              *log,
                                  const char               *name,
                                  JsonNode                 *root,
                                  GError                  **error);
/* One Messenger thread: the parsed message_N.json files in ascending N, with the names
 * to use in messages. */
gboolean hone_read_messenger     (HoneChatlog              *log,
                                  JsonNode                **files,
                                  const char *const        *names,
                                  guint                     n_files,
                                  GError                  **error);
/* A Slack export rooted at @root inside @bundle ("" or "folder/"). */
gboolean hone_read_slack         (HoneChatlog              *log,
                                  HoneBundle               *bundle,
                                  const char               *root,
                                  GError                  **error);
/* One record of a dataset file; @line is its line in a JSON lines file, 0 otherwise. */
gboolean hone_read_openai_record (HoneChatlog              *log,
                                  const char               *name,
                                  JsonNode                 *record,
                                  guint                     line,
                                  GError                  **error);
gboolean hone_read_sharegpt_record (HoneChatlog            *log,
                                  const char               *name,
                                  JsonNode                 *record,
                                  guint                     line,
                                  GError                  **error);
gboolean hone_read_alpaca_record (HoneChatlog              *log,
                                  const char               *name,
                                  JsonNode                 *record,
                                  guint                     line,
                                  GError                  **error);

G_END_DECLS
