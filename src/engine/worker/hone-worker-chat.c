/* hone-worker-chat.c — the jobs that run a model: chat answers (interactive) and the
 * perplexity of a text (long, one window per step).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading a model is slow (weights to the device, tokenizer, template), so the worker
 * thread keeps the HoneBots it used last, by model path; an adapter is loaded into its
 * bot once (hone_bot_add_adapter gives the same index for the same path).
 */
#define G_LOG_DOMAIN "hone-worker"

#include "config.h"

#include <math.h>

#include "infer/hone-perplexity.h"
#include "store/hone-chat-store.h"

#include "hone-worker-private.h"

/* Bots kept loaded: a comparison uses one model with two adapters, or two models. */
#define KEEP_BOTS 2

/* "@what NAME: message", naming the file only when the message does not already start
 * with its name. */
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

static HoneBot *
get_bot (HoneWorkerContext  *context,
         const char         *model_path,
         GError            **error)
{
  HoneWorker *worker = hone_worker_context_get_worker (context);
  HoneBot *bot = hone_worker_cache_lookup (worker, model_path);
  HoneGpuDevice *device;

  if (bot != NULL)
    return bot;

  device = hone_worker_context_get_device (context, error);
  if (device == NULL)
    return NULL;
  hone_worker_context_progress (context, -1, "Loading the model");
  bot = hone_bot_new (device, model_path, error);
  if (bot == NULL)
    {
      prefix_with_name (error, "Could not load the model", model_path);
      return NULL;
    }
  hone_worker_cache_add (worker, model_path, bot, (GDestroyNotify) hone_bot_free, KEEP_BOTS);
  return bot;
}

static gint
get_adapter (HoneBot     *bot,
             const char  *adapter_path,
             GError     **error)
{
  gint adapter;

  if (adapter_path == NULL)
    return -1;
  adapter = hone_bot_add_adapter (bot, adapter_path, error);
  if (adapter < 0)
    prefix_with_name (error, "Could not load the adapter", adapter_path);
  return adapter;
}

/* ---- chat --------------------------------------------------------------------------- */

typedef struct
{
  char               *model_path;
  char               *adapter_path;
  JsonNode           *messages;
  HoneGenerateParams  params;
  gint64              conversation_id;
  gint64              bot_id;
  gint64              reply_to;
  guint               lane;

  HoneWorkerContext  *context;   /* during the step */
  GString            *text;      /* streamed so far */
} ChatJob;

static void
chat_job_free (gpointer data)
{
  ChatJob *job = data;

  g_free (job->model_path);
  g_free (job->adapter_path);
  g_clear_pointer (&job->messages, json_node_unref);
  g_strfreev (job->params.stop);
  if (job->text != NULL)
    g_string_free (job->text, TRUE);
  g_free (job);
}

static const char *
stop_reason_name (HoneStopReason reason)
{
  switch (reason)
    {
    case HONE_STOP_LENGTH:
      return "length";
    case HONE_STOP_END:
      return "end";
    case HONE_STOP_STRING:
      return "string";
    case HONE_STOP_CANCELLED:
    default:
      return "cancelled";
    }
}

static gboolean
chat_token (gint32       id,
            const char  *text,
            gpointer     user_data)
{
  ChatJob *job = user_data;

  if (text != NULL && text[0] != '\0')
    {
      g_string_append (job->text, text);
      hone_worker_context_token (job->context, text);
    }
  return !g_cancellable_is_cancelled (hone_worker_context_get_cancellable (job->context));
}

/* Generation figures: what the DONE event carries, and the message's stats column. */
static JsonObject *
chat_stats (const HoneGenerateResult *result,
            const char               *stop)
{
  JsonObject *stats = json_object_new ();
  guint n_tokens = result->ids != NULL ? result->ids->len : 0;

  json_object_set_string_member (stats, "stop", stop);
  json_object_set_int_member (stats, "n_prompt", result->n_prompt);
  json_object_set_int_member (stats, "n_tokens", n_tokens);
  json_object_set_double_member (stats, "prefill_seconds", result->prefill_seconds);
  json_object_set_double_member (stats, "decode_seconds", result->decode_seconds);
  json_object_set_double_member (stats, "tokens_per_second",
                                 result->decode_seconds > 0 ? n_tokens / result->decode_seconds
                                                            : 0);
  return stats;
}

/* Saves the answer when the request named a conversation; 0 when it did not or when
 * saving failed (the answer itself is not lost: it is in the event). */
static gint64
chat_save (HoneWorkerContext  *context,
           ChatJob            *job,
           const char         *text,
           JsonObject         *stats,
           HoneChatStatus      status)
{
  HoneProject *project;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *stats_text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (job->conversation_id <= 0)
    return 0;
  project = hone_worker_context_get_project (context);
  if (project == NULL)
    return 0;

  node = json_node_init_object (json_node_alloc (), stats);
  stats_text = json_to_string (node, FALSE);
  id = hone_chat_store_append_message (project, job->conversation_id, "assistant", text,
                                       job->bot_id, job->reply_to, job->lane, stats_text,
                                       status, &error);
  if (id == 0)
    g_warning ("Could not save the answer: %s", error->message);
  return id;
}

/* An answer that failed is saved too (status error, the reason in its stats as "error"),
 * so the conversation shows it when it is opened again. */
static void
chat_save_failure (HoneWorkerContext *context,
                   ChatJob           *job,
                   const char        *text,
                   const GError      *error)
{
  HoneGenerateResult partial = { 0 };
  g_autoptr(JsonObject) stats = chat_stats (&partial, "error");

  json_object_set_string_member (stats, "error", error != NULL ? error->message : "");
  chat_save (context, job, text, stats, HONE_CHAT_STATUS_ERROR);
}

static gboolean
chat_step (HoneWorkerContext  *context,
           gpointer            data,
           gboolean           *done,
           GError            **error)
{
  ChatJob *job = data;
  HoneGenerateResult result = { 0 };
  g_autoptr(JsonObject) stats = NULL;
  HoneBot *bot;
  gint adapter;
  gboolean ok;
  gboolean stopped;

  bot = get_bot (context, job->model_path, error);
  if (bot == NULL)
    {
      chat_save_failure (context, job, "", error != NULL ? *error : NULL);
      return FALSE;
    }
  adapter = get_adapter (bot, job->adapter_path, error);
  if (job->adapter_path != NULL && adapter < 0)
    {
      chat_save_failure (context, job, "", error != NULL ? *error : NULL);
      return FALSE;
    }

  job->context = context;
  job->text = g_string_new (NULL);
  ok = hone_bot_reply (bot, adapter, job->messages, &job->params, chat_token, job,
                       hone_worker_context_get_cancellable (context), &result, error);
  job->context = NULL;

  if (!ok)
    {
      hone_generate_result_clear (&result);
      /* What was said before the failure is kept, marked as failed, with the reason. */
      chat_save_failure (context, job, job->text->str, error != NULL ? *error : NULL);
      return FALSE;
    }

  stopped = result.reason == HONE_STOP_CANCELLED ||
            g_cancellable_is_cancelled (hone_worker_context_get_cancellable (context));
  stats = chat_stats (&result, stopped ? "cancelled" : stop_reason_name (result.reason));
  if (!stopped || result.text[0] != '\0')
    {
      gint64 message_id = chat_save (context, job, result.text, stats,
                                     stopped ? HONE_CHAT_STATUS_STOPPED
                                             : HONE_CHAT_STATUS_COMPLETE);
      JsonObject *object = json_object_ref (stats);

      json_object_set_string_member (object, "text", result.text);
      json_object_set_int_member (object, "message_id", message_id);
      hone_worker_context_take_result (context, json_node_init_object (json_node_alloc (),
                                                                       object));
      json_object_unref (object);
    }

  hone_generate_result_clear (&result);
  *done = TRUE;
  /* FALSE without an error: the worker reports CANCELLED, with the partial answer. */
  return !stopped;
}

static const HoneWorkerJobClass chat_class = {
  .name = "chat",
  .interactive = TRUE,
  .needs_device = TRUE,
  .step = chat_step,
  .free_data = chat_job_free,
};

guint64
hone_worker_chat (HoneWorker             *self,
                  const HoneChatRequest  *request,
                  HoneWorkerEventFunc     func,
                  gpointer                user_data,
                  GDestroyNotify          destroy)
{
  ChatJob *job;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (request != NULL, 0);
  g_return_val_if_fail (request->model_path != NULL, 0);
  g_return_val_if_fail (request->messages != NULL && JSON_NODE_HOLDS_ARRAY (request->messages), 0);
  g_return_val_if_fail (request->lane <= 1, 0);

  job = g_new0 (ChatJob, 1);
  job->model_path = g_strdup (request->model_path);
  if (request->adapter_path != NULL && request->adapter_path[0] != '\0')
    job->adapter_path = g_strdup (request->adapter_path);
  /* A deep copy: the caller's node may change while the job waits. */
  job->messages = json_node_copy (request->messages);
  if (request->params != NULL)
    job->params = *request->params;
  else
    hone_generate_params_init (&job->params);
  job->params.stop = g_strdupv (job->params.stop);
  job->conversation_id = request->conversation_id;
  job->bot_id = request->bot_id;
  job->reply_to = request->reply_to;
  job->lane = request->lane;

  return hone_worker_submit (self, &chat_class, job, func, user_data, destroy);
}

/* ---- settings ----------------------------------------------------------------------- */

static gboolean
read_number (JsonObject  *object,
             const char  *key,
             double       min,
             double       max,
             double      *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64) ||
      !isfinite (json_node_get_double (node)) ||
      json_node_get_double (node) < min || json_node_get_double (node) > max)
    {
      if (max >= G_MAXUINT)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "The sampling setting “%s” must be a number, %g or more", key, min);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "The sampling setting “%s” must be a number from %g to %g", key, min, max);
      return FALSE;
    }
  *value = json_node_get_double (node);
  return TRUE;
}

gboolean
hone_worker_params_from_json (const char          *settings,
                              HoneGenerateParams  *params,
                              GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) stop = g_strv_builder_new ();
  JsonObject *object;
  JsonNode *root;
  JsonNode *stop_node;
  double temperature, top_k, top_p, min_p, penalty, last_n, seed, max_tokens;

  g_return_val_if_fail (params != NULL, FALSE);

  hone_generate_params_init (params);
  params->stop = NULL;
  if (settings == NULL || settings[0] == '\0')
    return TRUE;
  if (!json_parser_load_from_data (parser, settings, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The sampling settings are not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);

  temperature = params->temperature;
  top_k = params->top_k;
  top_p = params->top_p;
  min_p = params->min_p;
  penalty = params->repeat_penalty;
  last_n = params->repeat_last_n;
  seed = params->seed;
  max_tokens = params->max_tokens;
  if (!read_number (object, "temperature", 0, 100, &temperature, error) ||
      !read_number (object, "top_k", 0, G_MAXUINT, &top_k, error) ||
      !read_number (object, "top_p", 0, 1, &top_p, error) ||
      !read_number (object, "min_p", 0, 1, &min_p, error) ||
      !read_number (object, "repeat_penalty", 0, 100, &penalty, error) ||
      !read_number (object, "repeat_last_n", 0, G_MAXUINT, &last_n, error) ||
      !read_number (object, "seed", 0, 9007199254740992.0, &seed, error) ||
      !read_number (object, "max_tokens", 0, G_MAXUINT, &max_tokens, error))
    return FALSE;

  stop_node = json_object_get_member (object, "stop");
  if (stop_node != NULL && !JSON_NODE_HOLDS_NULL (stop_node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (stop_node) ? json_node_get_array (stop_node)
                                                           : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              array = NULL;
              break;
            }
          if (json_node_get_string (element)[0] != '\0')
            g_strv_builder_add (stop, json_node_get_string (element));
        }
      if (array == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The sampling setting “stop” must be a list of texts");
          return FALSE;
        }
    }

  params->temperature = temperature;
  params->top_k = (guint) top_k;
  params->top_p = top_p;
  params->min_p = min_p;
  params->repeat_penalty = penalty;
  params->repeat_last_n = (guint) last_n;
  params->seed = (guint64) seed;
  params->max_tokens = (guint) max_tokens;
  params->stop = g_strv_builder_end (stop);
  if (params->stop[0] == NULL)
    g_clear_pointer (&params->stop, g_strfreev);
  return TRUE;
}

char *
hone_worker_params_to_json (const HoneGenerateParams *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (params != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "temperature");
  json_builder_add_double_value (builder, params->temperature);
  json_builder_set_member_name (builder, "top_k");
  json_builder_add_int_value (builder, params->top_k);
  json_builder_set_member_name (builder, "top_p");
  json_builder_add_double_value (builder, params->top_p);
  json_builder_set_member_name (builder, "min_p");
  json_builder_add_double_value (builder, params->min_p);
  json_builder_set_member_name (builder, "repeat_penalty");
  json_builder_add_double_value (builder, params->repeat_penalty);
  json_builder_set_member_name (builder, "repeat_last_n");
  json_builder_add_int_value (builder, params->repeat_last_n);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) params->seed);
  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, params->max_tokens);
  json_builder_set_member_name (builder, "stop");
  json_builder_begin_array (builder);
  for (guint i = 0; params->stop != NULL && params->stop[i] != NULL; i++)
    json_builder_add_string_value (builder, params->stop[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* ---- perplexity --------------------------------------------------------------------- */

typedef struct
{
  char            *model_path;
  char            *adapter_path;
  char            *text;
  guint            chunk_tokens;
  HonePerplexity  *perplexity;
  guint            n_windows;
} PerplexityJob;

static void
perplexity_job_free (gpointer data)
{
  PerplexityJob *job = data;

  g_clear_pointer (&job->perplexity, hone_perplexity_free);
  g_free (job->model_path);
  g_free (job->adapter_path);
  g_free (job->text);
  g_free (job);
}

static gboolean
perplexity_prepare (HoneWorkerContext  *context,
                    gpointer            data,
                    GError            **error)
{
  PerplexityJob *job = data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  HoneBot *bot;
  gint adapter;

  bot = get_bot (context, job->model_path, error);
  if (bot == NULL)
    return FALSE;
  adapter = get_adapter (bot, job->adapter_path, error);
  if (job->adapter_path != NULL && adapter < 0)
    return FALSE;

  hone_tokenizer_encode (hone_bot_get_tokenizer (bot), job->text, -1, HONE_ENCODE_ADD_SPECIAL, ids);
  if (ids->len < 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The text is too short to measure: it needs at least two tokens");
      return FALSE;
    }
  job->perplexity = hone_perplexity_new (hone_bot_get_infer_model (bot), adapter,
                                         (const guint32 *) ids->data, ids->len,
                                         job->chunk_tokens, error);
  return job->perplexity != NULL;
}

static gboolean
perplexity_step (HoneWorkerContext  *context,
                 gpointer            data,
                 gboolean           *done,
                 GError            **error)
{
  PerplexityJob *job = data;
  g_autofree char *message = NULL;

  if (!hone_perplexity_step (job->perplexity, done, error))
    return FALSE;
  job->n_windows++;

  message = g_strdup_printf ("Scored %u tokens", hone_perplexity_get_n_scored (job->perplexity));
  hone_worker_context_progress (context, hone_perplexity_get_progress (job->perplexity),
                                message);
  hone_worker_context_metric (context, "nll", job->n_windows,
                              hone_perplexity_get_mean_nll (job->perplexity));
  hone_worker_context_metric (context, "perplexity", job->n_windows,
                              hone_perplexity_get_value (job->perplexity));
  return TRUE;
}

static gboolean
perplexity_finish (HoneWorkerContext  *context,
                   gpointer            data,
                   JsonNode          **result,
                   GError            **error)
{
  PerplexityJob *job = data;
  JsonObject *object = json_object_new ();

  json_object_set_double_member (object, "perplexity",
                                 hone_perplexity_get_value (job->perplexity));
  json_object_set_double_member (object, "nll", hone_perplexity_get_mean_nll (job->perplexity));
  json_object_set_int_member (object, "n_tokens", hone_perplexity_get_n_scored (job->perplexity));
  *result = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return TRUE;
}

static const HoneWorkerJobClass perplexity_class = {
  .name = "perplexity",
  .interactive = FALSE,
  .needs_device = TRUE,
  .prepare = perplexity_prepare,
  .step = perplexity_step,
  .finish = perplexity_finish,
  .free_data = perplexity_job_free,
};

guint64
hone_worker_perplexity (HoneWorker           *self,
                        const char           *model_path,
                        const char           *adapter_path,
                        const char           *text,
                        guint                 chunk_tokens,
                        HoneWorkerEventFunc   func,
                        gpointer              user_data,
                        GDestroyNotify        destroy)
{
  PerplexityJob *job;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (model_path != NULL, 0);
  g_return_val_if_fail (text != NULL, 0);

  job = g_new0 (PerplexityJob, 1);
  job->model_path = g_strdup (model_path);
  job->adapter_path = adapter_path != NULL && adapter_path[0] != '\0' ? g_strdup (adapter_path)
                                                                     : NULL;
  job->text = g_strdup (text);
  job->chunk_tokens = chunk_tokens > 0 ? chunk_tokens : 256;
  return hone_worker_submit (self, &perplexity_class, job, func, user_data, destroy);
}
