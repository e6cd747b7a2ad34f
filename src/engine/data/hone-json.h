/* hone-json.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON for the importers: a strict RFC 8259 syntax check that reports the line of the
 * first error exactly as README section 4 defines it, then json-glib for the tree;
 * and shape checks that name the key concerned.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks @text (@len bytes) is exactly one JSON value (RFC 8259, strict: no comments, no
 * trailing commas, no NaN, no control characters in strings, valid escapes and surrogate
 * pairs). Line numbers count from @first_line (1 for a whole file, N for line N of a JSON
 * lines file). On failure: HONE_IMPORT_ERROR_SYNTAX, "NAME: line N: expected ...", N being
 * the line of the unexpected character, or the last line when the input ends early. */
gboolean    hone_json_check             (const char    *name,
                                         const char    *text,
                                         gsize          len,
                                         guint          first_line,
                                         GError       **error);

/* hone_json_check, then parse with json-glib. Returns the root node (owned). */
JsonNode   *hone_json_parse             (const char    *name,
                                         const char    *text,
                                         gsize          len,
                                         guint          first_line,
                                         GError       **error);
/* hone_json_parse, leaving out of every object, at any depth, the members named in
 * @skip_keys (NULL-terminated): for big members no reader looks at, which would only
 * cost memory. */
JsonNode   *hone_json_parse_skipping    (const char          *name,
                                         const char          *text,
                                         gsize                len,
                                         guint                first_line,
                                         const char * const  *skip_keys,
                                         GError             **error);

/* Shape checks. Each looks up @key in @object and fails with HONE_IMPORT_ERROR_SHAPE and
 * a message naming @key ("NAME: line N: `author` should be an object") when it is
 * missing although @required, or holds a value of another JSON type. @line 0 means the
 * message gives no line. An absent optional member gives NULL; for strings, a JSON null
 * is accepted and gives NULL only when @nullable. The returned values are borrowed. */
gboolean    hone_json_get_string        (JsonObject    *object,
                                         const char    *key,
                                         gboolean       required,
                                         gboolean       nullable,
                                         const char   **out,
                                         const char    *name,
                                         guint          line,
                                         GError       **error);
gboolean    hone_json_get_array         (JsonObject    *object,
                                         const char    *key,
                                         gboolean       required,
                                         JsonArray    **out,
                                         const char    *name,
                                         guint          line,
                                         GError       **error);
gboolean    hone_json_get_object        (JsonObject    *object,
                                         const char    *key,
                                         gboolean       required,
                                         JsonObject   **out,
                                         const char    *name,
                                         guint          line,
                                         GError       **error);
/* An integer (a JSON number without fraction or exponent). */
gboolean    hone_json_get_int           (JsonObject    *object,
                                         const char    *key,
                                         gboolean       required,
                                         gint64        *out,
                                         gboolean      *present,
                                         const char    *name,
                                         guint          line,
                                         GError       **error);
/* The object at @index of @array, or a shape error naming @key (the array's key). */
JsonObject *hone_json_array_get_object  (JsonArray     *array,
                                         guint          index,
                                         const char    *key,
                                         const char    *name,
                                         guint          line,
                                         GError       **error);

G_END_DECLS
