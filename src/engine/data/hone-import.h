/* hone-import.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a chat export from a file, a folder or a zip: detection by content and
 * the readers of every format. This is the public entry point of the importers.
 */
#pragma once

#include <gio/gio.h>

#include "hone-chatlog.h"

G_BEGIN_DECLS

#define HONE_IMPORT_ERROR (hone_import_error_quark ())

typedef enum
{
  HONE_IMPORT_ERROR_IO,           /* could not read the file */
  HONE_IMPORT_ERROR_EMPTY,        /* nothing but whitespace: message contains "empty" */
  HONE_IMPORT_ERROR_ENCODING,     /* not UTF-8 / UTF-16: "UTF-8" and "line N" */
  HONE_IMPORT_ERROR_SYNTAX,       /* JSON or CSV syntax, WhatsApp header: "line N" */
  HONE_IMPORT_ERROR_SHAPE,        /* right family, wrong shape: names the key or member path */
  HONE_IMPORT_ERROR_NOT_CHAT,     /* not a known chat export; zip/folder: "no chat" */
  HONE_IMPORT_ERROR_NO_MESSAGES,  /* "no messages" */
  HONE_IMPORT_ERROR_MIXED,        /* "more than one kind of chat export" */
  HONE_IMPORT_ERROR_BAD_MAP,      /* a --map option names a column or field that does not exist */
} HoneImportError;

/* Explicit help-desk CSV columns (README section 13). Each field is a column header
 * as written in the file (compared after the same normalisation as header names), or
 * NULL to find it from the usual header names. */
typedef struct
{
  char *conversation;
  char *time;
  char *author;
  char *role;
  char *text;
  char *attachment;
} HoneCsvMap;

typedef struct
{
  const HoneCsvMap *csv_map;  /* NULL: find the columns from their names */
} HoneImportOptions;

GQuark       hone_import_error_quark   (void);

/* Reads @path (a file, a folder or a zip). On failure returns NULL with an error whose
 * message starts with the base name of @path and says what is wrong in plain words. */
HoneChatlog *hone_import_read_path     (const char               *path,
                                        const HoneImportOptions  *options,
                                        GCancellable             *cancellable,
                                        GError                  **error);

/* Parses "COL=FIELD,COL=FIELD" (FIELD one of conversation, time, author, role, text,
 * attachment) into @map. */
gboolean     hone_csv_map_parse        (HoneCsvMap               *map,
                                        const char               *spec,
                                        GError                  **error);
void         hone_csv_map_clear        (HoneCsvMap               *map);

G_END_DECLS
