/* hone-data-page.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Data page: importing chat exports into the project (file chooser or drag and
 * drop, both through hone_data_page_import_files()) and the list of what has been
 * imported.
 */
#pragma once

#include <adwaita.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_DATA_PAGE (hone_data_page_get_type ())

G_DECLARE_FINAL_TYPE (HoneDataPage, hone_data_page, HONE, DATA_PAGE, AdwBin)

const char *hone_data_page_get_project_dir (HoneDataPage  *self);
/* Changing the project cancels an import under way. */
void        hone_data_page_set_project_dir (HoneDataPage  *self,
                                            const char    *project_dir);
/* How many sources the list shows. */
guint       hone_data_page_get_n_sources   (HoneDataPage  *self);
gboolean    hone_data_page_get_importing   (HoneDataPage  *self);

/* Imports @files (chat exports, zips or export folders) one after another in the
 * background. Files given while an import runs are imported after it. */
void        hone_data_page_import_files    (HoneDataPage  *self,
                                            GFile * const *files,
                                            guint          n_files);
void        hone_data_page_cancel_import   (HoneDataPage  *self);
/* Removes a source without asking (the Remove button asks first). */
void        hone_data_page_remove_source   (HoneDataPage  *self,
                                            gint64         source_id);

G_END_DECLS
