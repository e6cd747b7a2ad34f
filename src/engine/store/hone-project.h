/* hone-project.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project: a folder the person can see, holding project.sqlite and runs/. One
 * HoneProject is one SQLite connection; open one per thread (WAL lets readers and the
 * one writer work side by side).
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "data/hone-chatlog.h"

G_BEGIN_DECLS

#define HONE_PROJECT_ERROR (hone_project_error_quark ())

typedef enum
{
  HONE_PROJECT_ERROR_NOT_FOUND,     /* no project at that path */
  HONE_PROJECT_ERROR_EXISTS,        /* creating where a project already is */
  HONE_PROJECT_ERROR_TOO_NEW,       /* written by a newer Hone */
  HONE_PROJECT_ERROR_CORRUPT,       /* not a Hone project, or damaged */
  HONE_PROJECT_ERROR_DUPLICATE,     /* this content was already imported */
  HONE_PROJECT_ERROR_NO_SOURCE,     /* no source with that id */
  HONE_PROJECT_ERROR_FAILED,        /* any other SQLite failure, with its message */
} HoneProjectError;

typedef struct _HoneProject HoneProject;

typedef struct
{
  gint64          id;
  char           *file;            /* base name */
  char           *path;            /* where it was imported from */
  HoneChatFormat  format;
  char           *checksum;
  char           *imported_at;     /* ISO 8601 UTC */
  guint           n_conversations;
  guint           n_messages;
  guint           n_system;
  guint           n_media;
  char          **participants;    /* sorted by strcmp */
  char           *first_time;      /* earliest message time as written, or NULL */
  char           *last_time;       /* latest message time as written, or NULL */
} HoneSourceInfo;

/* Progress of a long write: @fraction in 0..1. Called on the writing thread. */
typedef void (*HoneProgressFunc) (double fraction, gpointer user_data);

GQuark          hone_project_error_quark        (void);

/* The schema version this build writes (PRAGMA user_version). */
int             hone_project_schema_version     (void);

HoneProject    *hone_project_create             (const char        *dir,
                                                 GError           **error);
/* Opens an existing project and migrates it forward to the current schema. */
HoneProject    *hone_project_open               (const char        *dir,
                                                 GError           **error);
void            hone_project_free               (HoneProject       *project);

const char     *hone_project_get_dir            (HoneProject       *project);
sqlite3        *hone_project_get_db             (HoneProject       *project);

/* Stores @log as a new source in one transaction (all or nothing). Fails with
 * HONE_PROJECT_ERROR_DUPLICATE when a source with the same checksum exists. Returns the
 * new source id, or 0 on error. */
gint64          hone_project_add_source         (HoneProject       *project,
                                                 const char        *path,
                                                 const HoneChatlog *log,
                                                 HoneProgressFunc   progress,
                                                 gpointer           progress_data,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* (element-type HoneSourceInfo) in import order. */
GPtrArray      *hone_project_list_sources       (HoneProject       *project,
                                                 GError           **error);
HoneSourceInfo *hone_project_get_source         (HoneProject       *project,
                                                 gint64             id,
                                                 GError           **error);
gboolean        hone_project_remove_source      (HoneProject       *project,
                                                 gint64             id,
                                                 GError           **error);
/* The conversations and messages of one source, as imported. */
HoneChatlog    *hone_project_load_source        (HoneProject       *project,
                                                 gint64             id,
                                                 GError           **error);

void            hone_source_info_free           (HoneSourceInfo    *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneProject, hone_project_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneSourceInfo, hone_source_info_free)

G_END_DECLS
