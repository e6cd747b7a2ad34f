/* hone-worker.h — the engine worker: the one thread that owns the GPU, its job queue and
 * the events it sends back.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HoneWorker is one thread. It opens the device lazily, on the first job that needs it
 * (a failure to open it is that job's error event), and runs jobs one at a time:
 *
 *   long jobs         (training, evaluation, the stand-ins below) are made of steps; the
 *                     worker calls the class's step function again and again until it says
 *                     the job is done. One long job runs at a time; the others wait in
 *                     submission order.
 *   interactive jobs  (chat replies, and any class with interactive = TRUE) run as soon as
 *                     the worker is free: BETWEEN two steps of a running long job, so that
 *                     a chat message sent during training is answered before the next
 *                     training step, with the current weights.
 *
 * Every job has an id (> 0) and its own GCancellable; hone_worker_cancel () cancels a job
 * that is queued (it never starts) or running (its step sees the cancellable; the worker
 * stops calling steps).
 *
 * Events reach the submitter on the GMainContext that was thread-default when the job was
 * submitted (the main context when none was pushed), in the order the worker emitted them,
 * through at most one pending idle source per context: the worker thread only appends to a
 * queue under a mutex, so it never waits on the UI and the UI never waits on the GPU. Each
 * job gets zero or one STARTED, then any number of TOKEN/PROGRESS/METRIC events, then
 * exactly one of DONE, ERROR or CANCELLED, after which its destroy notify runs (on the same
 * context). No event callback ever runs from inside a hone_worker_* call; only
 * hone_worker_free () runs destroy notifies itself (for jobs whose last event it drops).
 *
 * All functions are called from the thread that created the worker (the UI thread) unless
 * said otherwise; the HoneWorkerContext functions are called on the worker thread, from a
 * job's callbacks.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gpu/hone-gpu.h"
#include "infer/hone-generate.h"
#include "store/hone-project.h"

G_BEGIN_DECLS

typedef struct _HoneWorker HoneWorker;
typedef struct _HoneWorkerContext HoneWorkerContext;

typedef enum
{
  HONE_WORKER_EVENT_STARTED,    /* the worker began the job (it is no longer queued) */
  HONE_WORKER_EVENT_TOKEN,      /* text: new text of a streamed answer (may be several tokens) */
  HONE_WORKER_EVENT_PROGRESS,   /* fraction (0..1, or −1 when unknown) and text: what is
                                 * happening, in words a person reads */
  HONE_WORKER_EVENT_METRIC,     /* name, step, value (NaN allowed) */
  HONE_WORKER_EVENT_DONE,       /* result: the job's result (may be NULL) */
  HONE_WORKER_EVENT_ERROR,      /* error: what went wrong, in plain words */
  HONE_WORKER_EVENT_CANCELLED,  /* result: what was done before the cancel (a chat's partial
                                 * answer, as for DONE), or NULL */
} HoneWorkerEventKind;

/* Everything in an event is owned by the worker and valid only during the callback. */
typedef struct
{
  HoneWorkerEventKind  kind;
  guint64              job_id;
  const char          *text;      /* TOKEN, PROGRESS */
  double               fraction;  /* PROGRESS */
  const char          *name;      /* METRIC */
  gint64               step;      /* METRIC */
  double               value;     /* METRIC */
  JsonNode            *result;    /* DONE, CANCELLED */
  const GError        *error;     /* ERROR */
} HoneWorkerEvent;

/* Called on the submitting context for every event of one job. */
typedef void (*HoneWorkerEventFunc) (const HoneWorkerEvent *event,
                                     gpointer               user_data);

/* ---- the worker --------------------------------------------------------------------- */

/* Starts the worker thread. @project (nullable) is only read for its folder: the worker
 * opens its own connection to it on its thread, records chat answers there (see
 * HoneChatRequest) and metrics of jobs with a run id. NULL: nothing is recorded. */
HoneWorker     *hone_worker_new              (HoneProject      *project);
/* The same, with a device the caller opened (tests: the validated one; hone-cli). The
 * device is borrowed: the caller frees it after hone_worker_free () and does not use it
 * while the worker lives. */
HoneWorker     *hone_worker_new_with_device  (HoneProject      *project,
                                              HoneGpuDevice    *device);
/* Cancels every job, waits for the running step to return and joins the thread. Events
 * not yet delivered are dropped; the destroy notify of every job that had not reached it
 * runs before this returns, on this thread. Call it on the thread jobs were submitted
 * from. */
void            hone_worker_free             (HoneWorker       *self);

/* The device's name once the worker opened it, else NULL. Any thread. */
char           *hone_worker_dup_device_name  (HoneWorker       *self);

/* Cancels job @job_id, queued or running. FALSE when no such job is pending (finished,
 * or never submitted); the CANCELLED event still follows for a job that was pending. */
gboolean        hone_worker_cancel           (HoneWorker       *self,
                                              guint64           job_id);
/* Jobs submitted and not finished (queued or running). */
guint           hone_worker_get_n_pending    (HoneWorker       *self);

/* ---- generic jobs ------------------------------------------------------------------- */

typedef struct
{
  const char *name;          /* for logs ("train", "perplexity") */
  gboolean    interactive;   /* runs between two steps of a long job (chat) */
  gboolean    needs_device;  /* the worker opens the device before prepare */

  /* Optional, once, before the first step. FALSE with @error: the job fails. */
  gboolean  (*prepare)   (HoneWorkerContext  *context,
                          gpointer            job_data,
                          GError            **error);
  /* One step. Set *@done when this was the last one. FALSE with @error: the job fails.
   * Return FALSE without an error when it saw the cancellable (CANCELLED follows). */
  gboolean  (*step)      (HoneWorkerContext  *context,
                          gpointer            job_data,
                          gboolean           *done,
                          GError            **error);
  /* Optional, after the last step succeeded: the DONE event's result (transfer full; may
   * be NULL). FALSE with @error: the job fails. */
  gboolean  (*finish)    (HoneWorkerContext  *context,
                          gpointer            job_data,
                          JsonNode          **result,
                          GError            **error);
  /* Optional, always, once the job ended however it ended: frees @job_data. On the worker
   * thread, except for a job cancelled before it started (then in hone_worker_cancel ()
   * or hone_worker_free ()). */
  void      (*free_data) (gpointer            job_data);
} HoneWorkerJobClass;

/* Queues a job of @klass (static storage) with @job_data. Returns its id. @func receives
 * its events on the thread-default main context; @destroy (@user_data) runs after the
 * last one. */
guint64         hone_worker_run              (HoneWorker                *self,
                                              const HoneWorkerJobClass  *klass,
                                              gpointer                   job_data,
                                              HoneWorkerEventFunc        func,
                                              gpointer                   user_data,
                                              GDestroyNotify             destroy);

/* From a job's callbacks, on the worker thread. */
guint64         hone_worker_context_get_job_id      (HoneWorkerContext *context);
GCancellable   *hone_worker_context_get_cancellable (HoneWorkerContext *context);
/* The device (opened for needs_device jobs; else opened now, NULL with @error on failure). */
HoneGpuDevice  *hone_worker_context_get_device      (HoneWorkerContext *context,
                                                     GError           **error);
/* The worker thread's own connection to the project, or NULL when it has none. */
HoneProject    *hone_worker_context_get_project     (HoneWorkerContext *context);
/* Steps done so far (0 in prepare and in the first step). */
guint64         hone_worker_context_get_step        (HoneWorkerContext *context);
/* When the job belongs to a run (runs.id), METRIC events are also written to the
 * project's metrics table (when the worker has a project). */
void            hone_worker_context_set_run_id      (HoneWorkerContext *context,
                                                     gint64             run_id);
void            hone_worker_context_progress        (HoneWorkerContext *context,
                                                     double             fraction,
                                                     const char        *message);
void            hone_worker_context_metric          (HoneWorkerContext *context,
                                                     const char        *name,
                                                     gint64             step,
                                                     double             value);
void            hone_worker_context_token           (HoneWorkerContext *context,
                                                     const char        *text);
/* The result DONE or CANCELLED carries (finish's result, when it gives one, replaces it). */
void            hone_worker_context_take_result     (HoneWorkerContext *context,
                                                     JsonNode          *result);

/* ---- chat --------------------------------------------------------------------------- */

/* One chat answer. The worker copies everything it needs before hone_worker_chat ()
 * returns. */
typedef struct
{
  const char                *model_path;     /* GGUF file or Hugging Face folder */
  const char                *adapter_path;   /* LoRA adapter (GGUF or PEFT), or NULL */
  JsonNode                  *messages;       /* array of {"role", "content"}: the system
                                              * prompt first, the user's turn last */
  const HoneGenerateParams  *params;         /* NULL: hone_generate_params_init () */
  gint64                     conversation_id;/* chat_conversations.id to save the answer
                                              * to (when the worker has a project), or 0 */
  gint64                     bot_id;         /* bots.id that answers (stored with it), or 0 */
  gint64                     reply_to;       /* chat_messages.id of the user turn, or 0 */
  guint                      lane;           /* 0, or 1 for the second answer of a side by
                                              * side comparison */
} HoneChatRequest;

/* Queues @request as an interactive job. TOKEN events stream the answer. The result of
 * DONE (and of CANCELLED when the answer was stopped after it began) is an object:
 *   {"text": "…", "stop": "end"|"length"|"string"|"cancelled", "n_prompt": N,
 *    "n_tokens": N, "prefill_seconds": S, "decode_seconds": S, "tokens_per_second": R,
 *    "message_id": ID (0 when not saved)}
 * A stopped answer is saved with status "stopped", a failed one (after some text) with
 * "error". Loaded models stay cached by path (the two used last), with their adapters. */
guint64         hone_worker_chat             (HoneWorker             *self,
                                              const HoneChatRequest  *request,
                                              HoneWorkerEventFunc     func,
                                              gpointer                user_data,
                                              GDestroyNotify          destroy);

/* Readies a chat bot before its first answer (interactive, so it runs between the steps of
 * a long job, and a chat sent meanwhile waits behind it): loads the model into the cache
 * that chat answers use (PROGRESS "Loading the model…"), its adapter (NULL: none), then
 * answers a tiny conversation (@system_prompt, nullable, then a user turn just long enough
 * for the kernels a long prompt uses) with one token, sampled with @params' settings
 * (NULL: the defaults), and decodes it, in the bot's own session: this compiles the compute
 * pipelines an answer needs (PROGRESS "Preparing the model…"), and the answer after it
 * reuses the cached system prompt. A bot already cached with its adapter is left as it is.
 * Result:
 *   {"loaded": B (the model or adapter was loaded now), "warmed": B (the tokens were run),
 *    "load_seconds": S, "warm_seconds": S, "n_prompt": N (prefill tokens)}
 * Nothing is saved to the project. */
guint64         hone_worker_warmup           (HoneWorker             *self,
                                              const char             *model_path,
                                              const char             *adapter_path,
                                              const char             *system_prompt,
                                              const HoneGenerateParams *params,
                                              HoneWorkerEventFunc     func,
                                              gpointer                user_data,
                                              GDestroyNotify          destroy);

/* Sampling settings as the chat store keeps them (chat_conversations.settings): a JSON
 * object with any of "temperature", "top_k", "top_p", "min_p", "repeat_penalty",
 * "repeat_last_n", "seed", "max_tokens" and "stop" (array of strings). Missing keys take
 * hone_generate_params_init ()'s values. @params->stop is newly allocated (g_strfreev).
 * FALSE with an error naming the key for a value of the wrong type or out of range. */
gboolean        hone_worker_params_from_json (const char             *settings,
                                              HoneGenerateParams     *params,
                                              GError                **error);
/* The same object from @params (every key written). */
char           *hone_worker_params_to_json   (const HoneGenerateParams *params);

/* ---- stand-in long jobs (until training lands; also used by tests) ------------------ */

/* @n_steps steps; each multiplies two seeded (@size × @size) matrices on the device and
 * compares a sample of the product with the CPU. PROGRESS per step and METRIC
 * "max_error" (step, largest relative error of the sample). Result: {"steps": N,
 * "max_error": E}. */
guint64         hone_worker_matmul_job       (HoneWorker             *self,
                                              guint                   n_steps,
                                              guint                   size,
                                              HoneWorkerEventFunc     func,
                                              gpointer                user_data,
                                              GDestroyNotify          destroy);

/* Perplexity of the model (with its adapter, or NULL) over @text, cut into windows of
 * @chunk_tokens (0: 256) tokens, one window per step (hone-perplexity.h). PROGRESS per
 * window, METRIC "nll" (window number from 1, mean negative log-likelihood so far, nats
 * per token) and "perplexity" (window number, perplexity so far). Result:
 * {"perplexity": P, "nll": L, "n_tokens": N (tokens scored)}. */
guint64         hone_worker_perplexity       (HoneWorker             *self,
                                              const char             *model_path,
                                              const char             *adapter_path,
                                              const char             *text,
                                              guint                   chunk_tokens,
                                              HoneWorkerEventFunc     func,
                                              gpointer                user_data,
                                              GDestroyNotify          destroy);

G_END_DECLS
