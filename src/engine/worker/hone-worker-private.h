/* hone-worker-private.h — what the worker's job files share with its core.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hone-worker.h"

G_BEGIN_DECLS

/* A job is the context its callbacks receive. */
typedef struct _HoneWorkerContext HoneWorkerJob;

/* Something slow to load that the worker thread keeps between jobs (a HoneBot). */
typedef struct
{
  char           *key;      /* e.g. the model path */
  gpointer        object;
  GDestroyNotify  free;
} HoneWorkerCached;

guint64           hone_worker_submit       (HoneWorker                *self,
                                            const HoneWorkerJobClass  *klass,
                                            gpointer                   job_data,
                                            HoneWorkerEventFunc        func,
                                            gpointer                   user_data,
                                            GDestroyNotify             destroy);
HoneWorker       *hone_worker_context_get_worker (HoneWorkerContext *context);

/* Worker thread only: the cached object under @key (moved to the front), or NULL. */
gpointer          hone_worker_cache_lookup (HoneWorker                *self,
                                            const char                *key);
/* Worker thread only: adds @object under @key at the front, freeing the least recently
 * used entries beyond @keep. */
void              hone_worker_cache_add    (HoneWorker                *self,
                                            const char                *key,
                                            gpointer                   object,
                                            GDestroyNotify             free_func,
                                            guint                      keep);

G_END_DECLS
