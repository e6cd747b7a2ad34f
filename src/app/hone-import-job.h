/* hone-import-job.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports chat exports into a project, one file after another, on a worker thread:
 * each file is read, then stored through the worker's own HoneProject. What the
 * worker is doing reaches the main thread as the "text" and "fraction" properties,
 * updated from at most one pending idle callback however often the worker reports.
 */
#pragma once

#include <gio/gio.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_IMPORT_JOB (hone_import_job_get_type ())

G_DECLARE_FINAL_TYPE (HoneImportJob, hone_import_job, HONE, IMPORT_JOB, GObject)

HoneImportJob      *hone_import_job_new           (const char           *project_dir,
                                                   GFile * const        *files,
                                                   guint                 n_files);
guint               hone_import_job_get_n_files   (HoneImportJob        *self);
/* What is happening, e.g. "Reading chat.txt…"; NULL before the job starts. */
const char         *hone_import_job_get_text      (HoneImportJob        *self);
/* Progress of the current step in 0..1, or -1 while it cannot be measured. */
double              hone_import_job_get_fraction  (HoneImportJob        *self);

/* Runs the job once. Files that cannot be imported do not stop the others: each
 * adds a sentence to the failures. Fails only when cancelled or when the project
 * cannot be opened. */
void                hone_import_job_run_async     (HoneImportJob        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            hone_import_job_run_finish    (HoneImportJob        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* After the job has finished: how many files were stored, and one plain sentence
 * per file that was not (NULL-terminated). */
guint               hone_import_job_get_n_imported (HoneImportJob       *self);
const char * const *hone_import_job_get_failures  (HoneImportJob        *self);

G_END_DECLS
