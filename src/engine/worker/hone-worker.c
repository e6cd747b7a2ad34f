/* hone-worker.c — the worker thread, its queues, and event delivery to main contexts.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sides share little: the worker thread runs jobs and appends their events to the
 * queue of the job's main context (a Dispatch); an idle source on that context, at most one
 * pending at a time, takes the whole queue and calls the submitters' callbacks. A job's
 * Handle (callback, user data, destroy notify) is reference-counted by the job and by its
 * queued events, so either side may finish first.
 *
 * Locks: worker->mutex guards the queues and job states; dispatch->mutex guards one
 * context's event queue and the delivery flags of its handles. The worker mutex is taken
 * before a dispatch mutex, never the other way round.
 */
#define G_LOG_DOMAIN "hone-worker"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-worker-private.h"

/* ---- delivery ----------------------------------------------------------------------- */

typedef struct
{
  gatomicrefcount  ref;
  GMutex           mutex;
  GMainContext    *context;
  GQueue           events;    /* Event */
  gboolean         scheduled; /* an idle source is pending */
} Dispatch;

typedef struct
{
  gatomicrefcount      ref;
  guint64              id;
  HoneWorkerEventFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;
  Dispatch            *dispatch;
  gboolean             finished;  /* destroy ran or is running (dispatch->mutex) */
} Handle;

typedef struct
{
  HoneWorkerEvent  event;
  Handle          *handle;
  GString         *text;
  char            *name;
  GError          *error;
} Event;

static Dispatch *
dispatch_ref (Dispatch *dispatch)
{
  g_atomic_ref_count_inc (&dispatch->ref);
  return dispatch;
}

static void
event_free (Event *event)
{
  if (event->text != NULL)
    g_string_free (event->text, TRUE);
  g_free (event->name);
  g_clear_error (&event->error);
  g_clear_pointer (&event->event.result, json_node_unref);
  g_free (event);
}

static void handle_unref (Handle *handle);

static void
dispatch_unref (Dispatch *dispatch)
{
  if (!g_atomic_ref_count_dec (&dispatch->ref))
    return;
  g_assert (g_queue_is_empty (&dispatch->events));
  g_main_context_unref (dispatch->context);
  g_mutex_clear (&dispatch->mutex);
  g_free (dispatch);
}

static Handle *
handle_ref (Handle *handle)
{
  g_atomic_ref_count_inc (&handle->ref);
  return handle;
}

static void
handle_unref (Handle *handle)
{
  if (!g_atomic_ref_count_dec (&handle->ref))
    return;
  dispatch_unref (handle->dispatch);
  g_free (handle);
}

static gboolean
is_terminal (HoneWorkerEventKind kind)
{
  return kind == HONE_WORKER_EVENT_DONE || kind == HONE_WORKER_EVENT_ERROR ||
         kind == HONE_WORKER_EVENT_CANCELLED;
}

/* On the dispatch's context: delivers everything queued so far, in order. */
static gboolean
dispatch_idle (gpointer data)
{
  Dispatch *dispatch = data;
  GQueue batch = G_QUEUE_INIT;
  Event *event;

  g_mutex_lock (&dispatch->mutex);
  batch = dispatch->events;
  g_queue_init (&dispatch->events);
  dispatch->scheduled = FALSE;
  g_mutex_unlock (&dispatch->mutex);

  while ((event = g_queue_pop_head (&batch)) != NULL)
    {
      Handle *handle = event->handle;
      gboolean deliver;
      gboolean last = is_terminal (event->event.kind);

      g_mutex_lock (&dispatch->mutex);
      deliver = !handle->finished;
      if (deliver && last)
        handle->finished = TRUE;
      g_mutex_unlock (&dispatch->mutex);

      if (deliver)
        {
          if (event->text != NULL)
            event->event.text = event->text->str;
          event->event.name = event->name;
          event->event.error = event->error;
          if (handle->func != NULL)
            handle->func (&event->event, handle->user_data);
          if (last && handle->destroy != NULL)
            handle->destroy (handle->user_data);
        }
      handle_unref (handle);
      event_free (event);
    }

  return G_SOURCE_REMOVE;
}

/* Any thread: queues @event (taking it) for its handle's context. A TOKEN right after a
 * TOKEN of the same job joins it, so a fast stream costs one callback per idle. */
static void
dispatch_push (Event *event)
{
  Dispatch *dispatch = event->handle->dispatch;
  gboolean schedule = FALSE;

  g_mutex_lock (&dispatch->mutex);
  if (event->event.kind == HONE_WORKER_EVENT_TOKEN)
    {
      Event *tail = g_queue_peek_tail (&dispatch->events);

      if (tail != NULL && tail->handle == event->handle &&
          tail->event.kind == HONE_WORKER_EVENT_TOKEN)
        {
          g_string_append_len (tail->text, event->text->str, event->text->len);
          g_mutex_unlock (&dispatch->mutex);
          handle_unref (event->handle);
          event_free (event);
          return;
        }
    }
  g_queue_push_tail (&dispatch->events, event);
  if (!dispatch->scheduled)
    {
      dispatch->scheduled = TRUE;
      schedule = TRUE;
    }
  g_mutex_unlock (&dispatch->mutex);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_idle, dispatch_ref (dispatch),
                             (GDestroyNotify) dispatch_unref);
      g_source_set_static_name (source, "[hone] worker events");
      g_source_attach (source, dispatch->context);
      g_source_unref (source);
    }
}

static Event *
event_new (Handle              *handle,
           HoneWorkerEventKind  kind)
{
  Event *event = g_new0 (Event, 1);

  event->handle = handle_ref (handle);
  event->event.kind = kind;
  event->event.job_id = handle->id;
  event->event.fraction = -1;
  return event;
}

/* ---- the worker --------------------------------------------------------------------- */

struct _HoneWorker
{
  GThread        *thread;
  GMutex          mutex;
  GCond           cond;
  GQueue          interactive;   /* Job, queued */
  GQueue          long_jobs;     /* Job, queued */
  HoneWorkerJob  *long_job;      /* the long job between two of its steps, or NULL */
  HoneWorkerJob  *current;       /* the job whose callback runs now, or NULL */
  gboolean        quit;
  guint64         next_id;
  GPtrArray      *handles;       /* Handle, of jobs whose destroy may not have run */
  GHashTable     *dispatches;    /* GMainContext → Dispatch (borrowed; handles own them) */

  char           *project_dir;   /* NULL: nothing recorded */
  HoneProject    *project;       /* the worker thread's connection, opened lazily */
  gboolean        project_failed;

  HoneGpuDevice  *device;
  gboolean        owns_device;
  char           *device_name;   /* under mutex */

  GQueue          cache;         /* HoneWorkerCached, worker thread only, most recent first */
};

struct _HoneWorkerContext
{
  HoneWorker                *worker;
  guint64                    id;
  const HoneWorkerJobClass  *klass;
  gpointer                   data;
  GCancellable              *cancellable;
  Handle                    *handle;
  gboolean                   prepared;
  guint64                    step;
  gint64                     run_id;
  double                     started;   /* g_get_monotonic_time in seconds */
  JsonNode                  *result;
};

static void
cached_free (HoneWorkerCached *cached)
{
  if (cached->free != NULL)
    cached->free (cached->object);
  g_free (cached->key);
  g_free (cached);
}

static void
job_free (HoneWorkerJob *job)
{
  if (job->klass->free_data != NULL && job->data != NULL)
    job->klass->free_data (job->data);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->result, json_node_unref);
  handle_unref (job->handle);
  g_free (job);
}

/* Ends @job with a terminal event (taking @error). */
static void
job_end (HoneWorkerJob        *job,
         HoneWorkerEventKind   kind,
         GError               *error)
{
  Event *event = event_new (job->handle, kind);

  g_assert (is_terminal (kind));
  if (kind == HONE_WORKER_EVENT_ERROR)
    {
      g_assert (error != NULL);
      event->error = error;
    }
  else
    {
      g_clear_error (&error);
      event->event.result = g_steal_pointer (&job->result);
    }
  dispatch_push (event);
}

static void
emit (HoneWorkerJob        *job,
      HoneWorkerEventKind   kind)
{
  dispatch_push (event_new (job->handle, kind));
}

static gboolean
open_device (HoneWorker  *self,
             GError     **error)
{
  HoneGpuDevice *device;

  if (self->device != NULL)
    return TRUE;

  device = hone_gpu_device_new (HONE_GPU_DEVICE_FLAGS_NONE, error);
  if (device == NULL)
    {
      g_prefix_error (error, "Could not open the graphics device: ");
      return FALSE;
    }
  g_mutex_lock (&self->mutex);
  self->device = device;
  self->owns_device = TRUE;
  self->device_name = g_strdup (hone_gpu_device_get_info (device)->name);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static gboolean
job_cancelled (HoneWorkerJob  *job,
               GError         *error)
{
  return g_cancellable_is_cancelled (job->cancellable) ||
         (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

/* Runs @job's next step (its prepare first when it has not started); an interactive job
 * runs to its end. TRUE when the job ended (its terminal event is queued). */
static gboolean
run_job (HoneWorker    *self,
         HoneWorkerJob *job)
{
  const HoneWorkerJobClass *klass = job->klass;
  GError *error = NULL;
  gboolean done = FALSE;

  if (!job->prepared)
    {
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          job_end (job, HONE_WORKER_EVENT_CANCELLED, NULL);
          return TRUE;
        }
      emit (job, HONE_WORKER_EVENT_STARTED);
      job->started = g_get_monotonic_time () / 1e6;
      if (klass->needs_device && !open_device (self, &error))
        {
          job_end (job, HONE_WORKER_EVENT_ERROR, error);
          return TRUE;
        }
      if (klass->prepare != NULL && !klass->prepare (job, job->data, &error))
        {
          if (job_cancelled (job, error))
            job_end (job, HONE_WORKER_EVENT_CANCELLED, error);
          else
            job_end (job, HONE_WORKER_EVENT_ERROR,
                     error != NULL ? error : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                                  "The job could not start"));
          return TRUE;
        }
      job->prepared = TRUE;
    }

  do
    {
      gboolean ok;

      if (g_cancellable_is_cancelled (job->cancellable))
        {
          job_end (job, HONE_WORKER_EVENT_CANCELLED, NULL);
          return TRUE;
        }
      ok = klass->step (job, job->data, &done, &error);
      job->step++;
      if (!ok)
        {
          if (error == NULL || job_cancelled (job, error))
            job_end (job, HONE_WORKER_EVENT_CANCELLED, error);
          else
            job_end (job, HONE_WORKER_EVENT_ERROR, error);
          return TRUE;
        }
    }
  while (klass->interactive && !done);

  if (!done)
    return FALSE;

  if (klass->finish != NULL)
    {
      JsonNode *result = NULL;

      if (!klass->finish (job, job->data, &result, &error))
        {
          job_end (job, HONE_WORKER_EVENT_ERROR, error);
          return TRUE;
        }
      if (result != NULL)
        hone_worker_context_take_result (job, result);
    }
  job_end (job, HONE_WORKER_EVENT_DONE, NULL);
  return TRUE;
}

static gpointer
worker_thread (gpointer data)
{
  HoneWorker *self = data;
  HoneWorkerJob *job;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      gboolean ended;

      while (!self->quit && g_queue_is_empty (&self->interactive) &&
             g_queue_is_empty (&self->long_jobs) && self->long_job == NULL)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->quit)
        break;

      /* A chat waiting goes before the next step of a long job. */
      if (!g_queue_is_empty (&self->interactive))
        job = g_queue_pop_head (&self->interactive);
      else if (self->long_job != NULL)
        job = self->long_job;
      else
        job = self->long_job = g_queue_pop_head (&self->long_jobs);
      self->current = job;
      g_mutex_unlock (&self->mutex);

      ended = run_job (self, job);

      g_mutex_lock (&self->mutex);
      self->current = NULL;
      if (ended)
        {
          if (job == self->long_job)
            self->long_job = NULL;
          g_mutex_unlock (&self->mutex);
          job_free (job);
          g_mutex_lock (&self->mutex);
        }
    }

  /* Shutting down: hone_worker_free cancelled everything and drops the events; only the
   * job data is left to free, here, where the device resources it may hold belong. */
  job = g_steal_pointer (&self->long_job);
  g_mutex_unlock (&self->mutex);
  if (job != NULL)
    job_free (job);

  g_queue_clear_full (&self->cache, (GDestroyNotify) cached_free);
  g_clear_pointer (&self->project, hone_project_free);
  return NULL;
}

static HoneWorker *
worker_new (HoneProject   *project,
            HoneGpuDevice *device)
{
  HoneWorker *self = g_new0 (HoneWorker, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->interactive);
  g_queue_init (&self->long_jobs);
  g_queue_init (&self->cache);
  self->next_id = 1;
  self->handles = g_ptr_array_new_with_free_func ((GDestroyNotify) handle_unref);
  self->dispatches = g_hash_table_new (NULL, NULL);
  if (project != NULL)
    self->project_dir = g_strdup (hone_project_get_dir (project));
  if (device != NULL)
    {
      self->device = device;
      self->device_name = g_strdup (hone_gpu_device_get_info (device)->name);
    }
  self->thread = g_thread_new ("hone-worker", worker_thread, self);
  return self;
}

HoneWorker *
hone_worker_new (HoneProject *project)
{
  return worker_new (project, NULL);
}

HoneWorker *
hone_worker_new_with_device (HoneProject   *project,
                             HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);

  return worker_new (project, device);
}

/* Under the worker mutex: a queued job with @id, removed from its queue. */
static HoneWorkerJob *
steal_queued (HoneWorker *self,
              guint64     id)
{
  GQueue *queues[] = { &self->interactive, &self->long_jobs };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    for (GList *l = queues[i]->head; l != NULL; l = l->next)
      {
        HoneWorkerJob *job = l->data;

        if (job->id == id)
          {
            g_queue_delete_link (queues[i], l);
            return job;
          }
      }
  return NULL;
}

/* Runs the destroy notify of every job that has not had its last event, and makes sure
 * none of their events is delivered later. */
static void
drop_handles (HoneWorker *self)
{
  for (guint i = 0; i < self->handles->len; i++)
    {
      Handle *handle = g_ptr_array_index (self->handles, i);
      gboolean destroy;

      g_mutex_lock (&handle->dispatch->mutex);
      destroy = !handle->finished;
      handle->finished = TRUE;
      g_mutex_unlock (&handle->dispatch->mutex);
      if (destroy && handle->destroy != NULL)
        handle->destroy (handle->user_data);
    }
  g_ptr_array_set_size (self->handles, 0);
}

void
hone_worker_free (HoneWorker *self)
{
  HoneWorkerJob *job;

  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  if (self->long_job != NULL)
    g_cancellable_cancel (self->long_job->cancellable);
  if (self->current != NULL)
    g_cancellable_cancel (self->current->cancellable);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_thread_join (self->thread);

  /* The thread is gone: what is still queued never started. */
  while ((job = g_queue_pop_head (&self->interactive)) != NULL)
    job_free (job);
  while ((job = g_queue_pop_head (&self->long_jobs)) != NULL)
    job_free (job);
  drop_handles (self);

  if (self->owns_device)
    g_clear_pointer (&self->device, hone_gpu_device_free);
  g_ptr_array_unref (self->handles);
  g_hash_table_unref (self->dispatches);
  g_free (self->device_name);
  g_free (self->project_dir);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

char *
hone_worker_dup_device_name (HoneWorker *self)
{
  char *name;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  name = g_strdup (self->device_name);
  g_mutex_unlock (&self->mutex);
  return name;
}

gboolean
hone_worker_cancel (HoneWorker *self,
                    guint64     job_id)
{
  HoneWorkerJob *job;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  job = steal_queued (self, job_id);
  if (job == NULL)
    {
      if (self->long_job != NULL && self->long_job->id == job_id)
        {
          g_cancellable_cancel (self->long_job->cancellable);
          found = TRUE;
        }
      else if (self->current != NULL && self->current->id == job_id)
        {
          g_cancellable_cancel (self->current->cancellable);
          found = TRUE;
        }
    }
  g_mutex_unlock (&self->mutex);

  if (job != NULL)
    {
      /* It never started: it ends here, without waiting for the worker. */
      g_cancellable_cancel (job->cancellable);
      job_end (job, HONE_WORKER_EVENT_CANCELLED, NULL);
      job_free (job);
      found = TRUE;
    }
  return found;
}

guint
hone_worker_get_n_pending (HoneWorker *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  n = self->interactive.length + self->long_jobs.length;
  if (self->long_job != NULL)
    n++;
  if (self->current != NULL && self->current != self->long_job)
    n++;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* Under the worker mutex: the dispatch of the calling thread's context. */
static Dispatch *
get_dispatch (HoneWorker *self)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  Dispatch *dispatch = g_hash_table_lookup (self->dispatches, context);

  if (dispatch != NULL)
    {
      g_main_context_unref (context);
      return dispatch_ref (dispatch);
    }

  dispatch = g_new0 (Dispatch, 1);
  g_atomic_ref_count_init (&dispatch->ref);
  g_mutex_init (&dispatch->mutex);
  dispatch->context = context;
  g_queue_init (&dispatch->events);
  /* The table's entry is borrowed; it goes when the handles do (see prune_handles). */
  g_hash_table_insert (self->dispatches, context, dispatch);
  return dispatch;
}

/* Under the worker mutex: forgets handles whose destroy ran, and the dispatches only
 * they used. */
static void
prune_handles (HoneWorker *self)
{
  GHashTableIter iter;
  Dispatch *dispatch;
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < self->handles->len;)
    {
      Handle *handle = g_ptr_array_index (self->handles, i);
      gboolean finished;

      g_mutex_lock (&handle->dispatch->mutex);
      finished = handle->finished;
      g_mutex_unlock (&handle->dispatch->mutex);
      if (finished)
        g_ptr_array_remove_index_fast (self->handles, i);
      else
        {
          g_hash_table_add (used, handle->dispatch);
          i++;
        }
    }

  /* A dispatch nothing refers to any more would be freed with its last handle; the
   * table must not keep a dangling entry, so entries are rebuilt from live handles. */
  g_hash_table_iter_init (&iter, self->dispatches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &dispatch))
    if (!g_hash_table_contains (used, dispatch))
      g_hash_table_iter_remove (&iter);
}

guint64
hone_worker_submit (HoneWorker                *self,
                    const HoneWorkerJobClass  *klass,
                    gpointer                   job_data,
                    HoneWorkerEventFunc        func,
                    gpointer                   user_data,
                    GDestroyNotify             destroy)
{
  HoneWorkerJob *job = g_new0 (HoneWorkerJob, 1);
  Handle *handle = g_new0 (Handle, 1);
  guint64 id;

  g_atomic_ref_count_init (&handle->ref);
  handle->func = func;
  handle->user_data = user_data;
  handle->destroy = destroy;

  job->worker = self;
  job->klass = klass;
  job->data = job_data;
  job->cancellable = g_cancellable_new ();
  job->handle = handle;

  g_mutex_lock (&self->mutex);
  prune_handles (self);
  id = job->id = handle->id = self->next_id++;
  handle->dispatch = get_dispatch (self);
  g_ptr_array_add (self->handles, handle_ref (handle));
  g_queue_push_tail (klass->interactive ? &self->interactive : &self->long_jobs, job);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  return id;
}

guint64
hone_worker_run (HoneWorker                *self,
                 const HoneWorkerJobClass  *klass,
                 gpointer                   job_data,
                 HoneWorkerEventFunc        func,
                 gpointer                   user_data,
                 GDestroyNotify             destroy)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (klass != NULL && klass->step != NULL, 0);

  return hone_worker_submit (self, klass, job_data, func, user_data, destroy);
}

/* ---- what jobs see ------------------------------------------------------------------ */

guint64
hone_worker_context_get_job_id (HoneWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, 0);
  return context->id;
}

GCancellable *
hone_worker_context_get_cancellable (HoneWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);
  return context->cancellable;
}

HoneGpuDevice *
hone_worker_context_get_device (HoneWorkerContext  *context,
                                GError            **error)
{
  g_return_val_if_fail (context != NULL, NULL);

  if (!open_device (context->worker, error))
    return NULL;
  return context->worker->device;
}

HoneProject *
hone_worker_context_get_project (HoneWorkerContext *context)
{
  HoneWorker *self;

  g_return_val_if_fail (context != NULL, NULL);

  self = context->worker;
  if (self->project == NULL && self->project_dir != NULL && !self->project_failed)
    {
      g_autoptr(GError) error = NULL;

      self->project = hone_project_open (self->project_dir, &error);
      if (self->project == NULL)
        {
          /* Recording is a convenience: the jobs still run without it. */
          g_warning ("The worker cannot record in the project: %s", error->message);
          self->project_failed = TRUE;
        }
    }
  return self->project;
}

guint64
hone_worker_context_get_step (HoneWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, 0);
  return context->step;
}

void
hone_worker_context_set_run_id (HoneWorkerContext *context,
                                gint64             run_id)
{
  g_return_if_fail (context != NULL);
  context->run_id = run_id;
}

void
hone_worker_context_progress (HoneWorkerContext *context,
                              double             fraction,
                              const char        *message)
{
  Event *event;

  g_return_if_fail (context != NULL);

  event = event_new (context->handle, HONE_WORKER_EVENT_PROGRESS);
  event->event.fraction = fraction >= 0 ? CLAMP (fraction, 0.0, 1.0) : -1;
  event->text = g_string_new (message != NULL ? message : "");
  dispatch_push (event);
}

static void
record_metric (HoneWorkerContext *context,
               const char        *name,
               gint64             step,
               double             value)
{
  HoneProject *project = hone_worker_context_get_project (context);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (project == NULL)
    return;
  db = hone_project_get_db (project);
  rc = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO metrics (run_id, name, step, value, "
                               "elapsed) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, context->run_id);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, step);
      if (isfinite (value))
        sqlite3_bind_double (stmt, 4, value);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_double (stmt, 5, g_get_monotonic_time () / 1e6 - context->started);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    g_warning ("Could not record %s of run %" G_GINT64_FORMAT ": %s", name, context->run_id,
               sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
}

void
hone_worker_context_metric (HoneWorkerContext *context,
                            const char        *name,
                            gint64             step,
                            double             value)
{
  Event *event;

  g_return_if_fail (context != NULL);
  g_return_if_fail (name != NULL);

  if (context->run_id > 0)
    record_metric (context, name, step, value);

  event = event_new (context->handle, HONE_WORKER_EVENT_METRIC);
  event->name = g_strdup (name);
  event->event.step = step;
  event->event.value = value;
  dispatch_push (event);
}

void
hone_worker_context_token (HoneWorkerContext *context,
                           const char        *text)
{
  Event *event;

  g_return_if_fail (context != NULL);

  if (text == NULL || text[0] == '\0')
    return;
  event = event_new (context->handle, HONE_WORKER_EVENT_TOKEN);
  event->text = g_string_new (text);
  dispatch_push (event);
}

void
hone_worker_context_take_result (HoneWorkerContext *context,
                                 JsonNode          *result)
{
  g_return_if_fail (context != NULL);

  g_clear_pointer (&context->result, json_node_unref);
  context->result = result;
}

/* ---- private ------------------------------------------------------------------------ */

HoneWorker *
hone_worker_context_get_worker (HoneWorkerContext *context)
{
  return context->worker;
}

gpointer
hone_worker_cache_lookup (HoneWorker *self,
                          const char *key)
{
  for (GList *l = self->cache.head; l != NULL; l = l->next)
    {
      HoneWorkerCached *cached = l->data;

      if (g_strcmp0 (cached->key, key) == 0)
        {
          g_queue_unlink (&self->cache, l);
          g_queue_push_head_link (&self->cache, l);
          return cached->object;
        }
    }
  return NULL;
}

void
hone_worker_cache_add (HoneWorker     *self,
                       const char     *key,
                       gpointer        object,
                       GDestroyNotify  free_func,
                       guint           keep)
{
  HoneWorkerCached *cached = g_new0 (HoneWorkerCached, 1);

  cached->key = g_strdup (key);
  cached->object = object;
  cached->free = free_func;
  g_queue_push_head (&self->cache, cached);
  while (self->cache.length > MAX (keep, 1))
    cached_free (g_queue_pop_tail (&self->cache));
}
