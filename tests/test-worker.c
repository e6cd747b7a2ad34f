/* test-worker.c — the engine worker: event order and delivery context, cancelling queued
 * and running jobs, chat answered between two steps of a long job, errors, shutdown with
 * work pending, and the jobs that use the device (matrix products, chat with a small
 * random model, perplexity), with answers saved to the project.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-worker"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"
#include "hone-test-util.h"
#include "model/hone-test-adapter.h"
#include "model/hone-test-model.h"
#include "store/hone-chat-store.h"
#include "store/hone-project.h"
#include "worker/hone-worker.h"

/* How long a test waits for events before it fails (the worker is stuck). */
#define WAIT_SECONDS 120

static char *tmp_dir;

/* ---- recording events --------------------------------------------------------------- */

typedef struct
{
  HoneWorkerEventKind  kind;
  guint64              job_id;
  char                *text;
  double               fraction;
  char                *name;
  gint64               step;
  double               value;
  JsonNode            *result;
  char                *error;
} Recorded;

static void
recorded_free (Recorded *r)
{
  g_free (r->text);
  g_free (r->name);
  g_clear_pointer (&r->result, json_node_unref);
  g_free (r->error);
  g_free (r);
}

/* Every event of the jobs of one test, in delivery order, across jobs. */
static GPtrArray *all_events;

typedef struct
{
  GPtrArray    *events;       /* Recorded, borrowed from all_events */
  guint         n_terminal;
  guint         n_destroyed;
  GMainContext *expected;     /* the context events must arrive on */
  gboolean      cancel_on_token;
  HoneWorker   *worker;
  gint64        first_token_time;   /* monotonic time of the first TOKEN, or 0 */
} Recorder;

static void
recorder_init (Recorder *r)
{
  memset (r, 0, sizeof *r);
  r->events = g_ptr_array_new ();
  r->expected = g_main_context_ref_thread_default ();
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->events);
  g_main_context_unref (r->expected);
}

static void
on_event (const HoneWorkerEvent *event,
          gpointer               user_data)
{
  Recorder *r = user_data;
  Recorded *rec = g_new0 (Recorded, 1);

  /* Delivered on the submitting context, while it is being iterated. */
  g_assert_true (g_main_context_is_owner (r->expected));
  g_assert_cmpuint (r->n_destroyed, ==, 0);
  g_assert_cmpuint (r->n_terminal, ==, 0);

  rec->kind = event->kind;
  rec->job_id = event->job_id;
  rec->text = g_strdup (event->text);
  rec->fraction = event->fraction;
  rec->name = g_strdup (event->name);
  rec->step = event->step;
  rec->value = event->value;
  if (event->result != NULL)
    rec->result = json_node_copy (event->result);
  if (event->error != NULL)
    rec->error = g_strdup (event->error->message);
  g_ptr_array_add (r->events, rec);
  g_ptr_array_add (all_events, rec);

  if (event->kind == HONE_WORKER_EVENT_DONE || event->kind == HONE_WORKER_EVENT_ERROR ||
      event->kind == HONE_WORKER_EVENT_CANCELLED)
    r->n_terminal++;
  if (event->kind == HONE_WORKER_EVENT_TOKEN && r->first_token_time == 0)
    r->first_token_time = g_get_monotonic_time ();
  if (event->kind == HONE_WORKER_EVENT_TOKEN && r->cancel_on_token)
    {
      r->cancel_on_token = FALSE;
      g_assert_true (hone_worker_cancel (r->worker, event->job_id));
    }
}

static void
on_destroy (gpointer user_data)
{
  Recorder *r = user_data;

  r->n_destroyed++;
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default context until @r's job has ended and its destroy ran. */
static void
wait_for (Recorder *r)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *timeout = g_timeout_source_new_seconds (WAIT_SECONDS);

  g_source_set_callback (timeout, on_timeout, &expired, NULL);
  g_source_attach (timeout, context);
  while (r->n_destroyed == 0 && !expired)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_assert_false (expired);
  g_assert_cmpuint (r->n_terminal, ==, 1);
  g_assert_cmpuint (r->n_destroyed, ==, 1);
}

static Recorded *
last_event (Recorder *r)
{
  g_assert_cmpuint (r->events->len, >, 0);
  return g_ptr_array_index (r->events, r->events->len - 1);
}

static guint
count_kind (Recorder            *r,
            HoneWorkerEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < r->events->len; i++)
    n += ((Recorded *) g_ptr_array_index (r->events, i))->kind == kind;
  return n;
}

/* Position in all_events of @job's first event of @kind (with @step for METRIC, or any
 * step when < 0). */
static guint
position_of (guint64              job_id,
             HoneWorkerEventKind  kind,
             gint64               step)
{
  for (guint i = 0; i < all_events->len; i++)
    {
      Recorded *rec = g_ptr_array_index (all_events, i);

      if (rec->job_id == job_id && rec->kind == kind && (step < 0 || rec->step == step))
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

static void
reset_events (void)
{
  g_clear_pointer (&all_events, g_ptr_array_unref);
  all_events = g_ptr_array_new_with_free_func ((GDestroyNotify) recorded_free);
}

/* ---- a job the test controls -------------------------------------------------------- */

typedef struct
{
  guint         n_steps;      /* 0: until cancelled */
  guint         step_ms;      /* sleep in each step */
  gint          fail_at;      /* step that fails (−1: none) */
  gint          hold_at;      /* step that waits for @release (−1: none) */
  gint          started;      /* set when the step @hold_at began (atomic) */
  gint          release;      /* atomic */
  gint          n_run;        /* steps run (atomic) */
  gint          prepared;     /* atomic */
  gint          freed;        /* atomic */
  gint64        run_id;       /* recorded under this run (0: none) */
  gint64        step_times[64];
} TestJob;

static void
test_job_init (TestJob *job,
               guint    n_steps)
{
  memset (job, 0, sizeof *job);
  job->n_steps = n_steps;
  job->fail_at = -1;
  job->hold_at = -1;
}

static gboolean
test_job_prepare (HoneWorkerContext  *context,
                  gpointer            data,
                  GError            **error)
{
  TestJob *job = data;

  g_assert_cmpuint (hone_worker_context_get_step (context), ==, 0);
  if (job->run_id > 0)
    hone_worker_context_set_run_id (context, job->run_id);
  g_atomic_int_set (&job->prepared, 1);
  return TRUE;
}

static gboolean
test_job_step (HoneWorkerContext  *context,
               gpointer            data,
               gboolean           *done,
               GError            **error)
{
  TestJob *job = data;
  guint64 step = hone_worker_context_get_step (context);
  g_autofree char *message = g_strdup_printf ("step %u", (guint) step);

  g_assert_cmpint (g_atomic_int_get (&job->n_run), ==, (gint) step);
  if (step < G_N_ELEMENTS (job->step_times))
    job->step_times[step] = g_get_monotonic_time ();
  if ((gint) step == job->hold_at)
    {
      g_atomic_int_set (&job->started, 1);
      while (!g_atomic_int_get (&job->release))
        g_usleep (1000);
    }
  if (job->step_ms > 0)
    g_usleep (job->step_ms * 1000);
  g_atomic_int_inc (&job->n_run);

  if ((gint) step == job->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The test job broke at step %u",
                   (guint) step);
      return FALSE;
    }
  if (g_cancellable_is_cancelled (hone_worker_context_get_cancellable (context)))
    return FALSE;

  hone_worker_context_progress (context, job->n_steps > 0 ? (step + 1.0) / job->n_steps : -1,
                                message);
  hone_worker_context_metric (context, "step", step + 1, step * 0.5);
  hone_worker_context_token (context, "a");
  hone_worker_context_token (context, "b");
  *done = job->n_steps > 0 && step + 1 >= job->n_steps;
  return TRUE;
}

static gboolean
test_job_finish (HoneWorkerContext  *context,
                 gpointer            data,
                 JsonNode          **result,
                 GError            **error)
{
  TestJob *job = data;

  *result = json_node_init_int (json_node_alloc (), g_atomic_int_get (&job->n_run));
  return TRUE;
}

static void
test_job_free (gpointer data)
{
  TestJob *job = data;

  g_atomic_int_inc (&job->freed);
}

static const HoneWorkerJobClass long_class = {
  .name = "test-long",
  .prepare = test_job_prepare,
  .step = test_job_step,
  .finish = test_job_finish,
  .free_data = test_job_free,
};

static const HoneWorkerJobClass interactive_class = {
  .name = "test-interactive",
  .interactive = TRUE,
  .prepare = test_job_prepare,
  .step = test_job_step,
  .finish = test_job_finish,
  .free_data = test_job_free,
};

static void
wait_until_set (gint *flag)
{
  for (guint i = 0; i < WAIT_SECONDS * 1000 && !g_atomic_int_get (flag); i++)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (flag));
}

/* ---- tests without the device ------------------------------------------------------- */

static void
test_events_in_order (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob job;
  Recorder r;
  guint64 id;
  guint i = 0;

  reset_events ();
  test_job_init (&job, 4);
  recorder_init (&r);
  id = hone_worker_run (worker, &long_class, &job, on_event, &r, on_destroy);
  g_assert_cmpuint (id, >, 0);
  wait_for (&r);

  /* STARTED, then per step PROGRESS, METRIC and "a" and "b" as TOKEN text (usually one
   * event: the worker coalesces adjacent tokens still queued, but the UI thread may take
   * the first before the second comes), then DONE with the result. */
  g_assert_cmpuint (r.events->len, >=, 1 + 4 * 3 + 1);
  g_assert_cmpuint (r.events->len, <=, 1 + 4 * 4 + 1);
  g_assert_cmpint (((Recorded *) g_ptr_array_index (r.events, i++))->kind, ==,
                   HONE_WORKER_EVENT_STARTED);
  for (guint s = 0; s < 4; s++)
    {
      Recorded *progress = g_ptr_array_index (r.events, i++);
      Recorded *metric = g_ptr_array_index (r.events, i++);
      g_autofree char *message = g_strdup_printf ("step %u", s);
      g_autoptr(GString) tokens = g_string_new (NULL);

      g_assert_cmpint (progress->kind, ==, HONE_WORKER_EVENT_PROGRESS);
      g_assert_cmpfloat_with_epsilon (progress->fraction, (s + 1) / 4.0, 1e-12);
      g_assert_cmpstr (progress->text, ==, message);
      g_assert_cmpint (metric->kind, ==, HONE_WORKER_EVENT_METRIC);
      g_assert_cmpstr (metric->name, ==, "step");
      g_assert_cmpint (metric->step, ==, s + 1);
      g_assert_cmpfloat (metric->value, ==, s * 0.5);
      while (i < r.events->len
             && ((Recorded *) g_ptr_array_index (r.events, i))->kind == HONE_WORKER_EVENT_TOKEN)
        g_string_append (tokens, ((Recorded *) g_ptr_array_index (r.events, i++))->text);
      g_assert_cmpstr (tokens->str, ==, "ab");
    }
  g_assert_cmpuint (i, ==, r.events->len - 1);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpint (json_node_get_int (last_event (&r)->result), ==, 4);
  for (guint k = 0; k < r.events->len; k++)
    g_assert_cmpuint (((Recorded *) g_ptr_array_index (r.events, k))->job_id, ==, id);

  g_assert_cmpint (job.prepared, ==, 1);
  g_assert_cmpint (job.freed, ==, 1);
  g_assert_cmpuint (hone_worker_get_n_pending (worker), ==, 0);
  g_assert_null (hone_worker_dup_device_name (worker));
  hone_worker_free (worker);
  recorder_clear (&r);
}

/* Jobs submitted under a pushed thread-default context report there, not to the global
 * default context. */
static void
test_events_on_submitting_context (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  GMainContext *context = g_main_context_new ();
  TestJob job;
  Recorder r;

  reset_events ();
  test_job_init (&job, 2);
  g_main_context_push_thread_default (context);
  recorder_init (&r);
  hone_worker_run (worker, &long_class, &job, on_event, &r, on_destroy);

  /* Let the job finish, then make sure the default context has nothing of it. */
  while (g_atomic_int_get (&job.freed) == 0)
    g_usleep (1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (r.events->len, ==, 0);

  wait_for (&r);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_main_context_pop_thread_default (context);
  hone_worker_free (worker);
  recorder_clear (&r);
  g_main_context_unref (context);
}

static void
test_cancel_queued (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob first, queued, chat;
  Recorder r1, r2, r3;
  guint64 id1, id2, id3;

  reset_events ();
  test_job_init (&first, 3);
  first.hold_at = 0;
  test_job_init (&queued, 3);
  test_job_init (&chat, 1);
  recorder_init (&r1);
  recorder_init (&r2);
  recorder_init (&r3);
  r1.worker = r2.worker = r3.worker = worker;

  id1 = hone_worker_run (worker, &long_class, &first, on_event, &r1, on_destroy);
  wait_until_set (&first.started);
  id2 = hone_worker_run (worker, &long_class, &queued, on_event, &r2, on_destroy);
  id3 = hone_worker_run (worker, &interactive_class, &chat, on_event, &r3, on_destroy);
  g_assert_cmpuint (hone_worker_get_n_pending (worker), ==, 3);

  /* Both never start: their data is freed at once, CANCELLED is their only event. */
  g_assert_true (hone_worker_cancel (worker, id2));
  g_assert_true (hone_worker_cancel (worker, id3));
  g_assert_false (hone_worker_cancel (worker, id3));
  g_assert_cmpint (queued.freed, ==, 1);
  g_assert_cmpint (chat.freed, ==, 1);
  g_assert_cmpuint (hone_worker_get_n_pending (worker), ==, 1);
  wait_for (&r2);
  wait_for (&r3);
  g_assert_cmpuint (r2.events->len, ==, 1);
  g_assert_cmpint (last_event (&r2)->kind, ==, HONE_WORKER_EVENT_CANCELLED);
  g_assert_null (last_event (&r2)->result);
  g_assert_cmpuint (r3.events->len, ==, 1);
  g_assert_cmpint (last_event (&r3)->kind, ==, HONE_WORKER_EVENT_CANCELLED);

  g_atomic_int_set (&first.release, 1);
  wait_for (&r1);
  g_assert_cmpint (last_event (&r1)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpint (queued.prepared, ==, 0);
  g_assert_cmpint (queued.n_run, ==, 0);
  g_assert_cmpint (chat.n_run, ==, 0);
  g_assert_false (hone_worker_cancel (worker, id1));
  hone_worker_free (worker);
  recorder_clear (&r1);
  recorder_clear (&r2);
  recorder_clear (&r3);
}

static void
test_cancel_running (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob endless, next;
  Recorder r, rn;
  guint64 id;
  gint n_at_cancel;

  reset_events ();
  test_job_init (&endless, 0);
  endless.step_ms = 2;
  test_job_init (&next, 2);
  recorder_init (&r);
  recorder_init (&rn);
  id = hone_worker_run (worker, &long_class, &endless, on_event, &r, on_destroy);
  hone_worker_run (worker, &long_class, &next, on_event, &rn, on_destroy);

  while (g_atomic_int_get (&endless.n_run) < 5)
    g_usleep (1000);
  g_assert_true (hone_worker_cancel (worker, id));
  wait_for (&r);
  n_at_cancel = g_atomic_int_get (&endless.n_run);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_CANCELLED);
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_STARTED), ==, 1);
  g_assert_cmpint (endless.freed, ==, 1);

  /* The next long job runs once the cancelled one is gone; the cancelled one stays
   * stopped. */
  wait_for (&rn);
  g_assert_cmpint (last_event (&rn)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpint (g_atomic_int_get (&endless.n_run), ==, n_at_cancel);
  hone_worker_free (worker);
  recorder_clear (&r);
  recorder_clear (&rn);
}

/* An interactive job submitted while a long job runs goes between two of its steps. */
static void
test_interactive_between_steps (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob training, chat;
  Recorder rt, rc;
  guint64 training_id, chat_id;

  reset_events ();
  test_job_init (&training, 4);
  training.hold_at = 1;
  test_job_init (&chat, 2);
  recorder_init (&rt);
  recorder_init (&rc);

  training_id = hone_worker_run (worker, &long_class, &training, on_event, &rt, on_destroy);
  wait_until_set (&training.started);
  chat_id = hone_worker_run (worker, &interactive_class, &chat, on_event, &rc, on_destroy);
  g_atomic_int_set (&training.release, 1);
  wait_for (&rc);
  wait_for (&rt);

  /* Step 1 was running when the chat came: the chat's two steps ran right after it,
   * before step 2, and on the worker's clock too. */
  g_assert_cmpint (last_event (&rc)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpint (last_event (&rt)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpuint (position_of (training_id, HONE_WORKER_EVENT_METRIC, 2), <,
                    position_of (chat_id, HONE_WORKER_EVENT_STARTED, -1));
  g_assert_cmpuint (position_of (chat_id, HONE_WORKER_EVENT_DONE, -1), <,
                    position_of (training_id, HONE_WORKER_EVENT_METRIC, 3));
  g_assert_cmpint (training.step_times[1], <, chat.step_times[0]);
  g_assert_cmpint (chat.step_times[1], <, training.step_times[2]);
  hone_worker_free (worker);
  recorder_clear (&rt);
  recorder_clear (&rc);
}

static void
test_step_error (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob job;
  Recorder r;

  reset_events ();
  test_job_init (&job, 5);
  job.fail_at = 2;
  recorder_init (&r);
  hone_worker_run (worker, &long_class, &job, on_event, &r, on_destroy);
  wait_for (&r);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_ERROR);
  g_assert_cmpstr (last_event (&r)->error, ==, "The test job broke at step 2");
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_METRIC), ==, 2);
  g_assert_cmpint (job.n_run, ==, 3);
  g_assert_cmpint (job.freed, ==, 1);
  hone_worker_free (worker);
  recorder_clear (&r);
}

/* Freeing the worker with a job running and others queued: it returns, every destroy
 * notify and every free_data ran once, and no event comes afterwards. */
static void
test_shutdown_pending (void)
{
  HoneWorker *worker = hone_worker_new (NULL);
  TestJob running, queued[3];
  Recorder rr, rq[3];

  reset_events ();
  test_job_init (&running, 0);
  running.step_ms = 1;
  recorder_init (&rr);
  rr.worker = worker;
  hone_worker_run (worker, &long_class, &running, on_event, &rr, on_destroy);
  for (guint i = 0; i < 3; i++)
    {
      test_job_init (&queued[i], 2);
      recorder_init (&rq[i]);
      rq[i].worker = worker;
      hone_worker_run (worker, i == 2 ? &interactive_class : &long_class, &queued[i],
                       on_event, &rq[i], on_destroy);
    }
  wait_until_set (&running.prepared);
  while (g_atomic_int_get (&running.n_run) < 3)
    g_usleep (1000);

  hone_worker_free (worker);
  g_assert_cmpint (running.freed, ==, 1);
  g_assert_cmpuint (rr.n_destroyed, ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (queued[i].freed, ==, 1);
      g_assert_cmpuint (rq[i].n_destroyed, ==, 1);
    }

  /* Whatever was on its way is dropped. */
  rr.n_destroyed = 0;
  g_ptr_array_set_size (rr.events, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (rr.events->len, ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (queued[i].n_run, <=, 2);

  recorder_clear (&rr);
  for (guint i = 0; i < 3; i++)
    recorder_clear (&rq[i]);
}

/* A job with a run id has its metrics written to the project by the worker's own
 * connection; one without writes nothing. */
static void
test_metrics_recorded (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "metrics-project", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_create (dir, &error);
  g_autofree char *rows = NULL;
  HoneWorker *worker;
  TestJob with_run, without;
  Recorder r1, r2;
  sqlite3 *db;

  g_assert_no_error (error);
  db = hone_project_get_db (project);
  hone_test_exec_sql (db, "INSERT INTO runs (id, created_at) VALUES (7, '2026-01-01T00:00:00Z')");
  reset_events ();
  worker = hone_worker_new (project);
  test_job_init (&with_run, 3);
  with_run.run_id = 7;
  test_job_init (&without, 2);
  recorder_init (&r1);
  recorder_init (&r2);
  hone_worker_run (worker, &long_class, &with_run, on_event, &r1, on_destroy);
  hone_worker_run (worker, &long_class, &without, on_event, &r2, on_destroy);
  wait_for (&r1);
  wait_for (&r2);
  hone_worker_free (worker);

  rows = hone_test_query_text (db, "SELECT group_concat (name || ':' || step || ':' || value, ' ') "
                                   "FROM (SELECT * FROM metrics WHERE run_id = 7 ORDER BY step)");
  g_assert_cmpstr (rows, ==, "step:1:0.0 step:2:0.5 step:3:1.0");
  g_assert_cmpint (hone_test_query_int (db, "SELECT count (*) FROM metrics"), ==, 3);
  g_assert_cmpint (hone_test_query_int (db, "SELECT count (*) FROM metrics WHERE elapsed >= 0"),
                   ==, 3);
  recorder_clear (&r1);
  recorder_clear (&r2);
}

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  HoneGenerateParams params, back, defaults;
  const char *bad[] = {
    "[]", "{\"top_p\": 2}", "{\"temperature\": \"hot\"}", "{\"stop\": [1]}",
    "{\"max_tokens\": -1}", "not json",
  };

  g_assert_true (hone_worker_params_from_json ("{\"temperature\": 0.2, \"top_k\": 5, "
                                               "\"seed\": 42, \"stop\": [\"\\nUser:\", \"\"]}",
                                               &params, &error));
  g_assert_no_error (error);
  hone_generate_params_init (&defaults);
  g_assert_cmpfloat_with_epsilon (params.temperature, 0.2, 1e-6);
  g_assert_cmpuint (params.top_k, ==, 5);
  g_assert_cmpuint (params.seed, ==, 42);
  g_assert_cmpfloat (params.top_p, ==, defaults.top_p);
  g_assert_cmpuint (params.max_tokens, ==, defaults.max_tokens);
  g_assert_nonnull (params.stop);
  g_assert_cmpstr (params.stop[0], ==, "\nUser:");
  g_assert_null (params.stop[1]);

  /* Written and read back: the same settings. */
  json = hone_worker_params_to_json (&params);
  g_assert_true (hone_worker_params_from_json (json, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (back.temperature, ==, params.temperature);
  g_assert_cmpuint (back.top_k, ==, params.top_k);
  g_assert_cmpfloat (back.min_p, ==, params.min_p);
  g_assert_cmpuint (back.repeat_last_n, ==, params.repeat_last_n);
  g_assert_cmpstrv (back.stop, params.stop);
  g_strfreev (params.stop);
  g_strfreev (back.stop);

  g_assert_true (hone_worker_params_from_json ("{}", &params, &error));
  g_assert_null (params.stop);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hone_worker_params_from_json (bad[i], &params, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_test_message ("%s: %s", bad[i], error->message);
      g_clear_error (&error);
    }
}

/* A device that cannot be opened fails the job that needed it, in words, and the next
 * job tries again. */
static void
test_device_error (void)
{
  HoneWorker *worker;
  Recorder r;

  reset_events ();
  g_setenv ("HONE_DEVICE", "no-such-device-anywhere", TRUE);
  worker = hone_worker_new (NULL);
  recorder_init (&r);
  hone_worker_matmul_job (worker, 2, 16, on_event, &r, on_destroy);
  wait_for (&r);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_ERROR);
  g_test_message ("error: %s", last_event (&r)->error);
  g_assert_true (g_str_has_prefix (last_event (&r)->error, "Could not open the graphics device: "));
  g_assert_null (hone_worker_dup_device_name (worker));
  hone_worker_free (worker);
  g_unsetenv ("HONE_DEVICE");
  recorder_clear (&r);
}

/* A bad model path is an ERROR event in plain words, and the worker goes on. */
static void
test_chat_bad_model (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  HoneWorker *worker;
  g_autoptr(JsonNode) messages = NULL;
  g_autofree char *path = NULL;
  HoneChatRequest request = { 0 };
  Recorder r;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  worker = hone_worker_new_with_device (NULL, device);
  path = g_build_filename (tmp_dir, "no-such-model.gguf", NULL);
  messages = json_from_string ("[{\"role\": \"user\", \"content\": \"Hi\"}]", NULL);
  request.model_path = path;
  request.messages = messages;
  recorder_init (&r);
  hone_worker_chat (worker, &request, on_event, &r, on_destroy);
  wait_for (&r);
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_ERROR);
  g_test_message ("error: %s", last_event (&r)->error);
  g_assert_true (g_str_has_prefix (last_event (&r)->error, "Could not load the model"));
  g_assert_nonnull (strstr (last_event (&r)->error, "no-such-model.gguf"));
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_TOKEN), ==, 0);
  hone_worker_free (worker);
  recorder_clear (&r);
  hone_gpu_test_check_validation ();
}

/* ---- tests with the device ---------------------------------------------------------- */

static void
test_matmul_job (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  HoneWorker *worker;
  g_autofree char *name = NULL;
  Recorder r;
  JsonObject *result;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  worker = hone_worker_new_with_device (NULL, device);
  recorder_init (&r);
  hone_worker_matmul_job (worker, 3, 67, on_event, &r, on_destroy);
  wait_for (&r);

  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_DONE);
  result = json_node_get_object (last_event (&r)->result);
  g_assert_cmpint (json_object_get_int_member (result, "steps"), ==, 3);
  /* f32 products of length 67 in [-1, 1): well within 1e-4 of the double reference. */
  g_assert_cmpfloat (json_object_get_double_member (result, "max_error"), <, 1e-4);
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_METRIC), ==, 3);
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_PROGRESS), ==, 3);
  name = hone_worker_dup_device_name (worker);
  g_assert_cmpstr (name, ==, hone_gpu_device_get_info (device)->name);
  hone_worker_free (worker);
  recorder_clear (&r);
  hone_gpu_test_check_validation ();
}

static char *
make_model (void)
{
  g_autoptr(GError) error = NULL;
  HoneTestModelOptions options;
  char *path = g_build_filename (tmp_dir, "chat-model.gguf", NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  hone_test_model_options_init (&options, HONE_ARCH_LLAMA);
  options.seed = 7;
  options.dtype = HONE_GGML_TYPE_F16;
  /* Room for a long answer: the stop test cancels one while it streams. */
  options.context_length = 4096;
  g_assert_true (hone_test_model_write (&options, path, &error));
  g_assert_no_error (error);
  return path;
}

static char *
joined_tokens (Recorder *r)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < r->events->len; i++)
    {
      Recorded *rec = g_ptr_array_index (r->events, i);

      if (rec->kind == HONE_WORKER_EVENT_TOKEN)
        g_string_append (text, rec->text);
    }
  return g_string_free (text, FALSE);
}

/* A chat answer streams its tokens, is saved to the conversation, and is answered between
 * two steps of a long job that uses the device. */
static void
test_chat (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autofree char *dir = NULL;
  g_autofree char *model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(HoneChatEntry) saved = NULL;
  g_autofree char *streamed = NULL;
  g_autofree char *stats = NULL;
  HoneGenerateParams params;
  HoneChatRequest request = { 0 };
  HoneWorker *worker;
  TestJob training;
  Recorder rt, rc, again;
  gint64 bot, conversation, user_message;
  guint64 training_id, chat_id;
  JsonObject *result;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  model = make_model ();
  dir = g_build_filename (tmp_dir, "chat-project", NULL);
  project = hone_project_create (dir, &error);
  g_assert_no_error (error);
  bot = hone_chat_store_add_bot (project, "Base", model, NULL, 0, &error);
  conversation = hone_chat_store_create_conversation (project, bot, 0, "Hello", "Be brief.",
                                                      NULL, &error);
  user_message = hone_chat_store_append_message (project, conversation, "user", "Hello there",
                                                 0, 0, 0, NULL, HONE_CHAT_STATUS_COMPLETE,
                                                 &error);
  g_assert_no_error (error);
  messages = hone_chat_store_build_messages (project, conversation, 0, 0, &error);
  g_assert_no_error (error);

  worker = hone_worker_new_with_device (project, device);
  test_job_init (&training, 4);
  training.hold_at = 1;
  recorder_init (&rt);
  recorder_init (&rc);
  training_id = hone_worker_run (worker, &long_class, &training, on_event, &rt, on_destroy);
  wait_until_set (&training.started);

  hone_generate_params_greedy (&params);
  params.max_tokens = 12;
  request.model_path = model;
  request.messages = messages;
  request.params = &params;
  request.conversation_id = conversation;
  request.bot_id = bot;
  request.reply_to = user_message;
  chat_id = hone_worker_chat (worker, &request, on_event, &rc, on_destroy);
  g_atomic_int_set (&training.release, 1);
  wait_for (&rc);
  wait_for (&rt);

  g_assert_cmpint (last_event (&rc)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpuint (position_of (training_id, HONE_WORKER_EVENT_METRIC, 2), <,
                    position_of (chat_id, HONE_WORKER_EVENT_STARTED, -1));
  g_assert_cmpuint (position_of (chat_id, HONE_WORKER_EVENT_DONE, -1), <,
                    position_of (training_id, HONE_WORKER_EVENT_METRIC, 3));

  result = json_node_get_object (last_event (&rc)->result);
  streamed = joined_tokens (&rc);
  g_test_message ("answer (%s): “%s”", json_object_get_string_member (result, "stop"),
                  json_object_get_string_member (result, "text"));
  g_assert_cmpstr (json_object_get_string_member (result, "text"), ==, streamed);
  g_assert_cmpint (json_object_get_int_member (result, "n_tokens"), >, 0);
  g_assert_cmpint (json_object_get_int_member (result, "n_tokens"), <=, 12);
  g_assert_cmpint (json_object_get_int_member (result, "message_id"), >, 0);

  saved = hone_chat_store_get_message (project, json_object_get_int_member (result,
                                                                            "message_id"),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->role, ==, "assistant");
  g_assert_cmpstr (saved->content, ==, streamed);
  g_assert_cmpint (saved->bot_id, ==, bot);
  g_assert_cmpint (saved->reply_to, ==, user_message);
  g_assert_cmpint (saved->status, ==, HONE_CHAT_STATUS_COMPLETE);
  stats = g_strdup (saved->stats);
  g_assert_nonnull (strstr (stats, "\"n_tokens\""));

  /* The same request again: the same greedy answer, from the model already loaded (no
   * "Loading the model" progress). */
  recorder_init (&again);
  hone_worker_chat (worker, &request, on_event, &again, on_destroy);
  wait_for (&again);
  g_assert_cmpint (last_event (&again)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpuint (count_kind (&rc, HONE_WORKER_EVENT_PROGRESS), ==, 1);
  g_assert_cmpuint (count_kind (&again, HONE_WORKER_EVENT_PROGRESS), ==, 0);
  {
    g_autofree char *second = joined_tokens (&again);

    g_assert_cmpstr (second, ==, streamed);
  }

  hone_worker_free (worker);
  recorder_clear (&rt);
  recorder_clear (&rc);
  recorder_clear (&again);
  hone_gpu_test_check_validation ();
}

/* Stopping an answer while it streams: CANCELLED carries the partial answer, which is
 * saved as stopped. */
static void
test_chat_stop (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autofree char *dir = NULL;
  g_autofree char *model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *streamed = NULL;
  HoneGenerateParams params;
  HoneChatRequest request = { 0 };
  HoneWorker *worker;
  HoneChatEntry *answer;
  Recorder r;
  gint64 conversation;
  JsonObject *result;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  model = make_model ();
  dir = g_build_filename (tmp_dir, "stop-project", NULL);
  project = hone_project_create (dir, &error);
  g_assert_no_error (error);
  conversation = hone_chat_store_create_conversation (project, 0, 0, NULL, NULL, NULL, &error);
  hone_chat_store_append_message (project, conversation, "user", "Tell me a long story", 0, 0,
                                  0, NULL, HONE_CHAT_STATUS_COMPLETE, &error);
  g_assert_no_error (error);
  messages = hone_chat_store_build_messages (project, conversation, 0, 0, &error);

  worker = hone_worker_new_with_device (project, device);
  /* Sampling at a high temperature from a random model rarely picks the end token; the
   * answer may run to the whole context, far longer than the cancel takes. */
  hone_generate_params_init (&params);
  params.temperature = 1.5f;
  params.top_k = 0;
  params.top_p = 1.0f;
  params.min_p = 0.0f;
  params.max_tokens = 0;
  params.seed = 3;
  request.model_path = model;
  request.messages = messages;
  request.params = &params;
  request.conversation_id = conversation;
  recorder_init (&r);
  r.worker = worker;
  r.cancel_on_token = TRUE;
  hone_worker_chat (worker, &request, on_event, &r, on_destroy);
  wait_for (&r);

  streamed = joined_tokens (&r);
  g_test_message ("stopped after %zu bytes", strlen (streamed));
  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_CANCELLED);
  g_assert_nonnull (last_event (&r)->result);
  result = json_node_get_object (last_event (&r)->result);
  g_assert_cmpstr (json_object_get_string_member (result, "stop"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (result, "text"), ==, streamed);
  g_assert_cmpuint (strlen (streamed), >, 0);

  entries = hone_chat_store_list_messages (project, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  answer = g_ptr_array_index (entries, 1);
  g_assert_cmpint (answer->id, ==, json_object_get_int_member (result, "message_id"));
  g_assert_cmpint (answer->status, ==, HONE_CHAT_STATUS_STOPPED);
  g_assert_cmpstr (answer->content, ==, streamed);
  hone_worker_free (worker);
  recorder_clear (&r);
  hone_gpu_test_check_validation ();
}

static Recorded *
first_event (Recorder            *r,
             HoneWorkerEventKind  kind)
{
  for (guint i = 0; i < r->events->len; i++)
    {
      Recorded *rec = g_ptr_array_index (r->events, i);

      if (rec->kind == kind)
        return rec;
    }
  g_assert_not_reached ();
  return NULL;
}

/* A warm-up loads the bot (then says so in words) and runs it once; a chat after it does
 * not load the model again; warming the same bot again does nothing; a warm-up with an
 * adapter loads the adapter into the bot already there, and a chat with that adapter then
 * loads nothing. The times are printed, not checked. */
static void
test_warmup (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autofree char *model = NULL;
  g_autofree char *adapter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  HoneGenerateParams params;
  HoneChatRequest request = { 0 };
  HoneWorker *worker;
  Recorder rw, rc, again, ra, rac;
  JsonObject *result;
  gint64 t0;

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  model = make_model ();
  adapter = g_build_filename (tmp_dir, "warmup-adapter.gguf", NULL);
  {
    g_autoptr(HoneModel) opened = hone_model_open (model, &error);
    HoneTestAdapterOptions options;

    g_assert_no_error (error);
    hone_test_adapter_options_init (&options);
    options.seed = 5;
    g_assert_true (hone_test_adapter_write (opened, &options, adapter, &error));
    g_assert_no_error (error);
  }

  worker = hone_worker_new_with_device (NULL, device);
  hone_generate_params_greedy (&params);
  params.max_tokens = 8;

  recorder_init (&rw);
  t0 = g_get_monotonic_time ();
  hone_worker_warmup (worker, model, NULL, "Be brief.", &params, on_event, &rw, on_destroy);
  wait_for (&rw);
  g_assert_cmpint (last_event (&rw)->kind, ==, HONE_WORKER_EVENT_DONE);
  result = json_node_get_object (last_event (&rw)->result);
  g_assert_true (json_object_get_boolean_member (result, "loaded"));
  g_assert_true (json_object_get_boolean_member (result, "warmed"));
  g_assert_cmpint (json_object_get_int_member (result, "n_prompt"), >, 1);
  g_assert_cmpuint (count_kind (&rw, HONE_WORKER_EVENT_PROGRESS), ==, 2);
  g_assert_cmpstr (first_event (&rw, HONE_WORKER_EVENT_PROGRESS)->text, ==,
                   "Loading the model…");
  g_test_message ("warm-up: %.3f s in all, model loaded in %.3f s, first token in %.3f s",
                  (g_get_monotonic_time () - t0) / 1e6,
                  json_object_get_double_member (result, "load_seconds"),
                  json_object_get_double_member (result, "warm_seconds"));

  /* The chat after it: the model is there (no "Loading the model" progress). */
  g_assert_true (json_parser_load_from_data (parser,
                                             "[{\"role\": \"system\", \"content\": \"Be brief.\"},"
                                             " {\"role\": \"user\", \"content\": \"Hello there\"}]",
                                             -1, &error));
  g_assert_no_error (error);
  messages = json_node_copy (json_parser_get_root (parser));
  request.model_path = model;
  request.messages = messages;
  request.params = &params;
  recorder_init (&rc);
  t0 = g_get_monotonic_time ();
  hone_worker_chat (worker, &request, on_event, &rc, on_destroy);
  wait_for (&rc);
  g_assert_cmpint (last_event (&rc)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpuint (count_kind (&rc, HONE_WORKER_EVENT_PROGRESS), ==, 0);
  g_assert_cmpuint (count_kind (&rc, HONE_WORKER_EVENT_TOKEN), >, 0);
  result = json_node_get_object (last_event (&rc)->result);
  g_test_message ("time to first token after the warm-up: %.1f ms (prefill of %" G_GINT64_FORMAT
                  " tokens: %.1f ms)", (rc.first_token_time - t0) / 1e3,
                  json_object_get_int_member (result, "n_prompt"),
                  json_object_get_double_member (result, "prefill_seconds") * 1e3);

  /* Warm already: nothing loaded, nothing run. */
  recorder_init (&again);
  hone_worker_warmup (worker, model, NULL, NULL, NULL, on_event, &again, on_destroy);
  wait_for (&again);
  g_assert_cmpint (last_event (&again)->kind, ==, HONE_WORKER_EVENT_DONE);
  result = json_node_get_object (last_event (&again)->result);
  g_assert_false (json_object_get_boolean_member (result, "loaded"));
  g_assert_false (json_object_get_boolean_member (result, "warmed"));
  g_assert_cmpuint (count_kind (&again, HONE_WORKER_EVENT_PROGRESS), ==, 0);

  /* The same model with an adapter: the adapter is loaded and run once. */
  recorder_init (&ra);
  hone_worker_warmup (worker, model, adapter, NULL, NULL, on_event, &ra, on_destroy);
  wait_for (&ra);
  g_assert_cmpint (last_event (&ra)->kind, ==, HONE_WORKER_EVENT_DONE);
  result = json_node_get_object (last_event (&ra)->result);
  g_assert_true (json_object_get_boolean_member (result, "loaded"));
  g_assert_true (json_object_get_boolean_member (result, "warmed"));
  g_assert_cmpstr (first_event (&ra, HONE_WORKER_EVENT_PROGRESS)->text, ==,
                   "Preparing the model…");

  request.adapter_path = adapter;
  recorder_init (&rac);
  t0 = g_get_monotonic_time ();
  hone_worker_chat (worker, &request, on_event, &rac, on_destroy);
  wait_for (&rac);
  g_assert_cmpint (last_event (&rac)->kind, ==, HONE_WORKER_EVENT_DONE);
  g_assert_cmpuint (count_kind (&rac, HONE_WORKER_EVENT_PROGRESS), ==, 0);
  g_test_message ("time to first token with the adapter after its warm-up: %.1f ms",
                  (rac.first_token_time - t0) / 1e3);

  /* A model that is not there: an error that names it. */
  {
    g_autofree char *missing = g_build_filename (tmp_dir, "no-such-model.gguf", NULL);
    Recorder rm;

    recorder_init (&rm);
    hone_worker_warmup (worker, missing, NULL, NULL, NULL, on_event, &rm, on_destroy);
    wait_for (&rm);
    g_assert_cmpint (last_event (&rm)->kind, ==, HONE_WORKER_EVENT_ERROR);
    g_assert_nonnull (strstr (last_event (&rm)->error, "no-such-model.gguf"));
    recorder_clear (&rm);
  }

  hone_worker_free (worker);
  recorder_clear (&rw);
  recorder_clear (&rc);
  recorder_clear (&again);
  recorder_clear (&ra);
  recorder_clear (&rac);
  hone_gpu_test_check_validation ();
}

static void
test_perplexity (void)
{
  HoneGpuDevice *device = hone_gpu_test_device ();
  g_autofree char *model = NULL;
  HoneWorker *worker;
  Recorder r;
  JsonObject *result;
  double perplexity;
  guint n_windows;
  const char *text =
    "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. "
    "How vexingly quick daft zebras jump! Sphinx of black quartz, judge my vow.";

  if (device == NULL)
    {
      g_test_skip (hone_gpu_test_skip_reason ());
      return;
    }
  reset_events ();
  model = make_model ();
  worker = hone_worker_new_with_device (NULL, device);
  recorder_init (&r);
  hone_worker_perplexity (worker, model, NULL, text, 37, on_event, &r, on_destroy);
  wait_for (&r);

  g_assert_cmpint (last_event (&r)->kind, ==, HONE_WORKER_EVENT_DONE);
  result = json_node_get_object (last_event (&r)->result);
  perplexity = json_object_get_double_member (result, "perplexity");
  g_test_message ("perplexity %.3f over %" G_GINT64_FORMAT " tokens", perplexity,
                  json_object_get_int_member (result, "n_tokens"));
  /* A random model over a byte vocabulary: near-uniform, so between 1 and a few times the
   * vocabulary size, and equal to exp (nll). */
  g_assert_true (isfinite (perplexity));
  g_assert_cmpfloat (perplexity, >, 1.0);
  g_assert_cmpfloat_with_epsilon (log (perplexity),
                                  json_object_get_double_member (result, "nll"), 1e-6);
  /* Several windows of 37 tokens, one step and one "perplexity" metric each. */
  n_windows = count_kind (&r, HONE_WORKER_EVENT_PROGRESS) - 1;  /* less "Loading" */
  g_assert_cmpuint (n_windows, >=, 3);
  g_assert_cmpuint (count_kind (&r, HONE_WORKER_EVENT_METRIC), ==, 2 * n_windows);
  hone_worker_free (worker);
  recorder_clear (&r);
  hone_gpu_test_check_validation ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = hone_test_make_temp_dir ("hone-test-worker-XXXXXX");

  g_test_add_func ("/hone/worker/events-in-order", test_events_in_order);
  g_test_add_func ("/hone/worker/events-on-submitting-context",
                   test_events_on_submitting_context);
  g_test_add_func ("/hone/worker/cancel-queued", test_cancel_queued);
  g_test_add_func ("/hone/worker/cancel-running", test_cancel_running);
  g_test_add_func ("/hone/worker/interactive-between-steps", test_interactive_between_steps);
  g_test_add_func ("/hone/worker/step-error", test_step_error);
  g_test_add_func ("/hone/worker/shutdown-pending", test_shutdown_pending);
  g_test_add_func ("/hone/worker/metrics-recorded", test_metrics_recorded);
  g_test_add_func ("/hone/worker/settings", test_settings);
  g_test_add_func ("/hone/worker/device-error", test_device_error);
  g_test_add_func ("/hone/worker/chat-bad-model", test_chat_bad_model);
  g_test_add_func ("/hone/worker/matmul", test_matmul_job);
  g_test_add_func ("/hone/worker/chat", test_chat);
  g_test_add_func ("/hone/worker/chat-stop", test_chat_stop);
  g_test_add_func ("/hone/worker/perplexity", test_perplexity);
  g_test_add_func ("/hone/worker/warmup", test_warmup);

  status = g_test_run ();
  g_clear_pointer (&all_events, g_ptr_array_unref);
  hone_gpu_test_close ();
  hone_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
