/* hone-dataset-task.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Building a dataset view off the main thread: a GTask with its own HoneProject (one
 * SQLite connection per thread), progress coalesced into one pending idle on the
 * caller's main context.
 */
#define G_LOG_DOMAIN "hone-dataset"

#include "config.h"

#include "hone-dataset-private.h"

typedef struct
{
  gatomicrefcount   ref_count;
  GMutex            mutex;
  double            fraction;
  gboolean          pending;   /* an idle is scheduled */
  gboolean          finished;  /* the callback ran: drop late updates */
  HoneProgressFunc  func;
  gpointer          data;
  GMainContext     *context;
} Progress;

typedef struct
{
  char             *dir;
  gint64            dataset_id;
  gboolean          has_options;
  HoneCleanOptions  options;
  guint             n_preview;
  Progress         *progress;
} BuildData;

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref_count);
  return p;
}

static void
progress_unref (Progress *p)
{
  if (!g_atomic_ref_count_dec (&p->ref_count))
    return;
  g_mutex_clear (&p->mutex);
  g_main_context_unref (p->context);
  g_free (p);
}

static void
build_data_free (BuildData *data)
{
  g_free (data->dir);
  if (data->progress != NULL)
    progress_unref (data->progress);
  g_free (data);
}

static gboolean
progress_idle (gpointer user_data)
{
  Progress *p = user_data;
  double fraction;
  gboolean finished;

  g_mutex_lock (&p->mutex);
  fraction = p->fraction;
  finished = p->finished;
  p->pending = FALSE;
  g_mutex_unlock (&p->mutex);
  if (!finished)
    p->func (fraction, p->data);
  return G_SOURCE_REMOVE;
}

/* On the worker: remember the newest fraction, schedule an idle unless one waits. */
static void
progress_update (double   fraction,
                 gpointer user_data)
{
  Progress *p = user_data;
  gboolean schedule;

  g_mutex_lock (&p->mutex);
  p->fraction = fraction;
  schedule = !p->pending && !p->finished;
  p->pending = TRUE;
  g_mutex_unlock (&p->mutex);
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      /* The same priority as the task's own completion, so that updates are not
       * starved by it; whatever is pending when the callback runs is dropped. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_idle, progress_ref (p), (GDestroyNotify) progress_unref);
      g_source_set_static_name (source, "[hone] dataset progress");
      g_source_attach (source, p->context);
      g_source_unref (source);
    }
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (data->dir, &error);
  HoneDatasetView *view = NULL;

  if (project != NULL)
    view = hone_dataset_view_build (project, data->dataset_id,
                                    data->has_options ? &data->options : NULL, data->n_preview,
                                    data->progress != NULL ? progress_update : NULL,
                                    data->progress, cancellable, &error);
  if (view == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, view, (GDestroyNotify) hone_dataset_view_free);
}

void
hone_dataset_view_build_async (const char             *project_dir,
                               gint64                  dataset_id,
                               const HoneCleanOptions *options,
                               guint                   n_preview,
                               HoneProgressFunc        progress,
                               gpointer                progress_data,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildData *data;

  g_return_if_fail (project_dir != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (BuildData, 1);
  data->dir = g_strdup (project_dir);
  data->dataset_id = dataset_id;
  data->has_options = options != NULL;
  if (options != NULL)
    data->options = *options;
  data->n_preview = n_preview;
  if (progress != NULL)
    {
      data->progress = g_new0 (Progress, 1);
      g_atomic_ref_count_init (&data->progress->ref_count);
      g_mutex_init (&data->progress->mutex);
      data->progress->func = progress;
      data->progress->data = progress_data;
      data->progress->context = g_main_context_ref_thread_default ();
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hone_dataset_view_build_async);
  g_task_set_name (task, "[hone] dataset view");
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_run_in_thread (task, build_thread);
}

HoneDatasetView *
hone_dataset_view_build_finish (GAsyncResult  *result,
                                GError       **error)
{
  GTask *task = G_TASK (result);
  BuildData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (task);
  if (data->progress != NULL)
    {
      g_mutex_lock (&data->progress->mutex);
      data->progress->finished = TRUE;
      g_mutex_unlock (&data->progress->mutex);
    }
  return g_task_propagate_pointer (task, error);
}
