/* hone-bundle.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder or a zip seen as a sorted list of member files (README section 3, "Zips and
 * folders"). Zips are read with libarchive in one pass; members that cannot be text
 * (photos, voice notes, nested zips) are listed but their bytes are not kept.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HoneBundle HoneBundle;

/* TRUE when @data starts like a zip: "PK\3\4" or "PK\5\6". */
gboolean     hone_bundle_is_zip            (const guint8  *data,
                                            gsize          len);

/* Opens a folder (from disk, lazily) or a zip file. */
HoneBundle  *hone_bundle_open              (const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);
void         hone_bundle_free              (HoneBundle    *bundle);

/* Base name of the opened path, for messages. */
const char  *hone_bundle_get_name          (HoneBundle    *bundle);
/* Member files, paths relative to the root with '/' separators, sorted bytewise. */
guint        hone_bundle_get_n_members     (HoneBundle    *bundle);
const char  *hone_bundle_get_member        (HoneBundle    *bundle,
                                            guint          index);
/* Whether @path names a member file. */
gboolean     hone_bundle_has_member        (HoneBundle    *bundle,
                                            const char    *path);
/* The bytes of a member, or NULL without error when the member is not text-like
 * (hone_text_looks_like_text said no) and so was not kept. */
GBytes      *hone_bundle_read_member       (HoneBundle    *bundle,
                                            const char    *path,
                                            GError       **error);
/* A SHA-256 over the member paths and their kept bytes, in order (hex). */
char        *hone_bundle_dup_checksum      (HoneBundle    *bundle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneBundle, hone_bundle_free)

G_END_DECLS
