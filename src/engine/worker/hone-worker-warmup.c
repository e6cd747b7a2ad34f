/* hone-worker-warmup.c — readying a chat bot before its first answer: its model loaded
 * into the worker's cache, its adapter uploaded, and the compute pipelines of a chat
 * answer compiled.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pipeline is compiled at its first dispatch (from the disk cache when it is there, else
 * from SPIR-V: tens to hundreds of milliseconds each on lavapipe), so the first answer of
 * a new bot would pay for every kernel a forward pass uses. The warm-up answers a tiny
 * conversation with one token through hone_bot_reply (), in the bot's own session: the
 * pipelines lavapipe compiles depend on the buffers bound (their sizes among them), so only
 * the session the answers use warms what they use. The user's turn is made just long
 * enough that the prefill takes the paths a long prompt takes (the blocked matrix kernels,
 * which need more than 4 rows, and the attention kernel for many rows, which needs 128
 * rows of query heads: hone-op-kv.c); then one token is sampled with the chat's settings
 * (repetition penalty, top-k / top-p search) and decoded (the matrix-vector kernels, the
 * split attention). The real answer reuses the cached start of the prompt (the system
 * prompt). The compute is a few dozen tokens at most.
 *
 * A bot that is already in the cache with its adapter has run before: nothing is done
 * again. The bots are the ones hone-worker-chat.c keeps (the same keys: the model path).
 */
#define G_LOG_DOMAIN "hone-worker"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hone-worker-private.h"

/* As in hone-worker-chat.c: a comparison uses one model with two adapters, or two. */
#define KEEP_BOTS 2
/* What the warm-up says to the model. */
#define WARMUP_TEXT "Hello"
#define WARMUP_OTHER_TEXT "What is the weather like?"

typedef struct
{
  char               *model_path;
  char               *adapter_path;
  char               *system_prompt;
  HoneGenerateParams  params;
} WarmupJob;

static void
warmup_job_free (gpointer data)
{
  WarmupJob *job = data;

  g_free (job->model_path);
  g_free (job->adapter_path);
  g_free (job->system_prompt);
  g_strfreev (job->params.stop);
  g_free (job);
}

/* "What NAME: message", naming the file only when the message does not already. */
static void
prefix_with_name (GError     **error,
                  const char  *what,
                  const char  *path)
{
  g_autofree char *name = g_path_get_basename (path);

  if (error == NULL || *error == NULL)
    return;
  if (g_str_has_prefix ((*error)->message, name))
    g_prefix_error (error, "%s: ", what);
  else
    g_prefix_error (error, "%s %s: ", what, name);
}

static gboolean
no_stop (gint32       id,
         const char  *text,
         gpointer     user_data)
{
  return !g_cancellable_is_cancelled (user_data);
}

/* @system_prompt, then the user's turn: @text @repeat times. */
static JsonNode *
warmup_messages (WarmupJob  *job,
                 const char *text,
                 guint       repeat)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) content = g_string_new (text);

  for (guint i = 1; i < repeat; i++)
    g_string_append_printf (content, " %s", text);

  json_builder_begin_array (builder);
  if (job->system_prompt != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "system");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, job->system_prompt);
      json_builder_end_object (builder);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content->str);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Enough prompt tokens that a prefill takes the long-prompt paths: more than 4 rows for
 * the blocked matrix kernels, and n · Hq / G ≥ 128 for the attention of many rows, where G
 * (the query heads one row serves) is at most the group size, 8 and 128 / D. */
static guint
prefill_length (const HoneModelInfo *info)
{
  guint n_heads = MAX (info->n_heads, 1);
  guint group = info->n_kv_heads > 0 ? MAX (n_heads / info->n_kv_heads, 1) : 1;
  guint per_row = MIN (MIN (group, 8), MAX (128 / MAX (info->head_dim, 1), 1));
  guint n = (128 * per_row + n_heads - 1) / n_heads;

  n = CLAMP (n, 8, 160);
  if (info->context_length > 4)
    n = MIN (n, info->context_length / 2);
  return n;
}

/* The conversation whose prompt has at least the prefill length (or the longest tried). */
static JsonNode *
long_enough_messages (WarmupJob   *job,
                      HoneBot     *bot,
                      const char  *text,
                      GError     **error)
{
  guint target = prefill_length (hone_infer_model_get_info (hone_bot_get_infer_model (bot)));
  JsonNode *messages = NULL;

  for (guint repeat = 1; repeat <= 256; repeat *= 2)
    {
      g_autoptr(GArray) ids = NULL;

      g_clear_pointer (&messages, json_node_unref);
      messages = warmup_messages (job, text, repeat);
      ids = hone_bot_render (bot, messages, error);
      if (ids == NULL)
        {
          g_clear_pointer (&messages, json_node_unref);
          return NULL;
        }
      if (ids->len >= target)
        break;
    }
  return messages;
}

/* Answers with one token: prefill, sample, decode. FALSE without an error when cancelled;
 * *@decoded FALSE when the token ended the answer (so nothing was decoded). */
static gboolean
reply_once (WarmupJob     *job,
            HoneBot       *bot,
            gint           adapter,
            const char    *text,
            guint64        seed,
            GCancellable  *cancellable,
            guint         *n_prompt,
            gboolean      *decoded,
            GError       **error)
{
  g_autoptr(JsonNode) messages = long_enough_messages (job, bot, text, error);
  HoneGenerateParams params = job->params;
  HoneGenerateResult result = { 0 };
  gboolean ok;

  if (messages == NULL)
    return FALSE;
  params.max_tokens = 1;
  params.seed = seed;
  ok = hone_bot_reply (bot, adapter, messages, &params, no_stop, cancellable, cancellable,
                       &result, error);
  ok = ok && result.reason != HONE_STOP_CANCELLED;
  *n_prompt = result.n_prompt;
  *decoded = ok && result.ids != NULL && result.ids->len > 0;
  hone_generate_result_clear (&result);
  return ok;
}

static gboolean
warmup_step (HoneWorkerContext  *context,
             gpointer            data,
             gboolean           *done,
             GError            **error)
{
  WarmupJob *job = data;
  HoneWorker *worker = hone_worker_context_get_worker (context);
  GCancellable *cancellable = hone_worker_context_get_cancellable (context);
  g_autoptr(JsonObject) object = json_object_new ();
  guint n_prompt = 0;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t1;
  gboolean loaded = FALSE;
  gboolean warmed = FALSE;
  gint adapter = -1;
  HoneBot *bot;

  *done = TRUE;
  bot = hone_worker_cache_lookup (worker, job->model_path);
  if (bot == NULL)
    {
      HoneGpuDevice *device = hone_worker_context_get_device (context, error);

      if (device == NULL)
        return FALSE;
      hone_worker_context_progress (context, -1, _("Loading the model…"));
      bot = hone_bot_new (device, job->model_path, error);
      if (bot == NULL)
        {
          prefix_with_name (error, _("Could not load the model"), job->model_path);
          return FALSE;
        }
      hone_worker_cache_add (worker, job->model_path, bot, (GDestroyNotify) hone_bot_free,
                             KEEP_BOTS);
      loaded = TRUE;
    }
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;

  if (job->adapter_path != NULL)
    {
      HoneInferModel *model = hone_bot_get_infer_model (bot);
      guint n_before = hone_infer_model_get_n_adapters (model);

      adapter = hone_bot_add_adapter (bot, job->adapter_path, error);
      if (adapter < 0)
        {
          prefix_with_name (error, _("Could not load the adapter"), job->adapter_path);
          return FALSE;
        }
      loaded |= hone_infer_model_get_n_adapters (model) > n_before;
    }
  t1 = g_get_monotonic_time ();
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;

  /* A bot loaded before has answered (or warmed up) before: its pipelines are ready. */
  if (loaded)
    {
      gboolean decoded = FALSE;

      hone_worker_context_progress (context, -1, _("Preparing the model…"));
      if (!reply_once (job, bot, adapter, WARMUP_TEXT, job->params.seed, cancellable,
                       &n_prompt, &decoded, error))
        {
          g_prefix_error (error, "%s", _("Could not try the model: "));
          return FALSE;
        }
      /* The first token ended the answer: another question, for a decode step. */
      if (!decoded && !reply_once (job, bot, adapter, WARMUP_OTHER_TEXT, job->params.seed + 1,
                                   cancellable, &n_prompt, &decoded, error))
        {
          g_prefix_error (error, "%s", _("Could not try the model: "));
          return FALSE;
        }
      if (!decoded)
        g_debug ("The warm-up of %s ended before a decode step", job->model_path);
      warmed = TRUE;
    }

  json_object_set_boolean_member (object, "loaded", loaded);
  json_object_set_boolean_member (object, "warmed", warmed);
  json_object_set_double_member (object, "load_seconds", (t1 - t0) / 1e6);
  json_object_set_double_member (object, "warm_seconds", (g_get_monotonic_time () - t1) / 1e6);
  json_object_set_int_member (object, "n_prompt", n_prompt);
  hone_worker_context_take_result (context, json_node_init_object (json_node_alloc (), object));
  g_debug ("Warm-up of %s%s%s: loaded in %.3f s, pipelines in %.3f s", job->model_path,
           job->adapter_path != NULL ? " with " : "",
           job->adapter_path != NULL ? job->adapter_path : "", (t1 - t0) / 1e6,
           (g_get_monotonic_time () - t1) / 1e6);
  return TRUE;
}

static const HoneWorkerJobClass warmup_class = {
  .name = "warm-up",
  .interactive = TRUE,
  .needs_device = TRUE,
  .step = warmup_step,
  .free_data = warmup_job_free,
};

guint64
hone_worker_warmup (HoneWorker                *self,
                    const char                *model_path,
                    const char                *adapter_path,
                    const char                *system_prompt,
                    const HoneGenerateParams  *params,
                    HoneWorkerEventFunc        func,
                    gpointer                   user_data,
                    GDestroyNotify             destroy)
{
  WarmupJob *job;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (model_path != NULL, 0);

  job = g_new0 (WarmupJob, 1);
  job->model_path = g_strdup (model_path);
  if (adapter_path != NULL && adapter_path[0] != '\0')
    job->adapter_path = g_strdup (adapter_path);
  if (system_prompt != NULL && system_prompt[0] != '\0')
    job->system_prompt = g_strdup (system_prompt);
  if (params != NULL)
    job->params = *params;
  else
    hone_generate_params_init (&job->params);
  job->params.stop = g_strdupv (job->params.stop);
  return hone_worker_submit (self, &warmup_class, job, func, user_data, destroy);
}
