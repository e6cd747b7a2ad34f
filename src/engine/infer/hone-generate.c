/* hone-generate.c — the sampling loop: stop conditions and streamed text.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of the generated tokens grows in one buffer; what has been handed to the
 * callback is a prefix of it. A piece is handed on once it is whole UTF-8 and can no
 * longer turn into a stop string: the longest tail of the text that is the beginning of a
 * stop string waits for the next token. The uniform numbers that pick tokens come from a
 * GRand seeded with the 64-bit seed, one per token, so a seed and settings fix the text.
 */
#define G_LOG_DOMAIN "hone-infer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-generate.h"

void
hone_generate_params_init (HoneGenerateParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->temperature = 0.7f;
  params->top_k = 40;
  params->top_p = 0.95f;
  params->min_p = 0.05f;
  params->repeat_penalty = 1.1f;
  params->repeat_last_n = 64;
  params->max_tokens = 512;
}

void
hone_generate_params_greedy (HoneGenerateParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->top_p = 1.0f;
  params->repeat_penalty = 1.0f;
}

void
hone_generate_result_clear (HoneGenerateResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->ids, g_array_unref);
  g_clear_pointer (&result->text, g_free);
}

/* Bytes of @text (len) that form whole UTF-8 characters from the start. A broken
 * sequence that cannot be completed (not at the very end) counts as whole: the tokenizer
 * meant those bytes, and the receiver gets them made valid. */
static gsize
whole_utf8 (const char *text,
            gsize       len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *end = NULL;
      gsize at, need;
      guchar lead;

      if (g_utf8_validate (text + pos, len - pos, &end))
        return len;
      at = end - text;
      lead = (guchar) text[at];
      need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > 1 && at + need > len)
        {
          /* Possibly the start of a character the next token completes. */
          gboolean prefix_ok = TRUE;

          for (gsize i = at + 1; i < len; i++)
            prefix_ok &= ((guchar) text[i] & 0xc0) == 0x80;
          if (prefix_ok)
            return at;
        }
      /* Not completable: the bad byte is passed on (made valid) and the scan goes on. */
      pos = at + 1;
    }
  return len;
}

/* Length of the longest tail of text[0, len) that begins some stop string. */
static gsize
stop_holdback (const char  *text,
               gsize        len,
               char *const *stop)
{
  gsize hold = 0;

  for (guint s = 0; stop != NULL && stop[s] != NULL; s++)
    {
      gsize sl = strlen (stop[s]);

      for (gsize k = MIN (sl - 1, len); k > hold; k--)
        if (memcmp (text + len - k, stop[s], k) == 0)
          {
            hold = k;
            break;
          }
    }
  return hold;
}

/* The first position at or after @from where a stop string starts, or -1. */
static gssize
find_stop (const char  *text,
           gsize        len,
           gsize        from,
           char *const *stop)
{
  gssize best = -1;

  for (guint s = 0; stop != NULL && stop[s] != NULL; s++)
    {
      gsize sl = strlen (stop[s]);

      if (sl == 0)
        continue;
      for (gsize i = from; i + sl <= len; i++)
        if (memcmp (text + i, stop[s], sl) == 0)
          {
            if (best < 0 || (gssize) i < best)
              best = i;
            break;
          }
    }
  return best;
}

static gboolean
emit (GString       *text,
      gsize         *emitted,
      gsize          upto,
      gint32         id,
      HoneTokenFunc  func,
      gpointer       user_data)
{
  g_autofree char *piece = NULL;

  if (func == NULL)
    {
      *emitted = MAX (*emitted, upto);
      return TRUE;
    }
  if (upto <= *emitted)
    return func (id, "", user_data);
  piece = g_utf8_make_valid (text->str + *emitted, upto - *emitted);
  *emitted = upto;
  return func (id, piece, user_data);
}

gboolean
hone_generate (HoneInferSession         *session,
               HoneTokenizer            *tokenizer,
               const guint32            *prompt,
               guint                     n_prompt,
               const HoneGenerateParams *params,
               const gint32             *end_ids,
               guint                     n_end,
               HoneTokenFunc             func,
               gpointer                  user_data,
               GCancellable             *cancellable,
               HoneGenerateResult       *result,
               GError                  **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) history = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GRand) rand = NULL;
  HoneSampling sampling = {
    .temperature = params->temperature,
    .top_k = params->top_k,
    .top_p = params->top_p > 0.0f ? params->top_p : 1.0f,
    .min_p = params->min_p,
  };
  HoneStopReason reason = HONE_STOP_LENGTH;
  gsize emitted = 0;
  gint64 t0, t1;
  guint32 seed[2] = { (guint32) params->seed, (guint32) (params->seed >> 32) };

  g_return_val_if_fail (session != NULL && tokenizer != NULL && params != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  rand = g_rand_new_with_seed_array (seed, 2);
  g_array_append_vals (history, prompt, n_prompt);

  t0 = g_get_monotonic_time ();
  if (n_prompt > 0 && !hone_infer_session_eval (session, prompt, n_prompt, FALSE, NULL, error))
    return FALSE;
  t1 = g_get_monotonic_time ();

  for (;;)
    {
      guint32 token;
      gboolean is_end = FALSE, go_on;
      gsize ready;
      gssize stop_at;
      guint n_recent = MIN (history->len, params->repeat_last_n);
      float u = (float) g_rand_double (rand);

      if (g_cancellable_is_cancelled (cancellable))
        {
          reason = HONE_STOP_CANCELLED;
          break;
        }
      if (params->max_tokens > 0 && ids->len >= params->max_tokens)
        {
          reason = HONE_STOP_LENGTH;
          break;
        }
      if (!hone_infer_session_sample (session, &sampling, params->repeat_penalty,
                                      (const guint32 *) history->data + history->len - n_recent,
                                      n_recent, u, &token, error))
        return FALSE;
      for (guint e = 0; e < n_end; e++)
        is_end |= end_ids[e] >= 0 && (guint32) end_ids[e] == token;
      if (is_end)
        {
          reason = HONE_STOP_END;
          break;
        }
      g_array_append_val (ids, token);
      g_array_append_val (history, token);
      if (!hone_tokenizer_append_piece (tokenizer, (gint32) token, HONE_DECODE_NONE, text,
                                        error))
        return FALSE;

      /* A stop string can only begin in the tail that was held back or in the new text. */
      stop_at = find_stop (text->str, text->len, emitted, params->stop);
      if (stop_at >= 0)
        {
          g_string_truncate (text, stop_at);
          emit (text, &emitted,
                emitted + whole_utf8 (text->str + emitted, text->len - emitted),
                (gint32) token, func, user_data);
          reason = HONE_STOP_STRING;
          break;
        }
      /* What was handed on ends on a character boundary: only the rest is scanned. */
      ready = emitted + whole_utf8 (text->str + emitted, text->len - emitted);
      ready -= MIN (ready, stop_holdback (text->str, ready, params->stop));
      go_on = emit (text, &emitted, MAX (ready, emitted), (gint32) token, func, user_data);
      if (!go_on)
        {
          reason = HONE_STOP_CANCELLED;
          break;
        }
      if (hone_infer_session_get_n_past (session) >= hone_infer_session_get_n_ctx (session))
        {
          reason = HONE_STOP_LENGTH;
          break;
        }
      if (!hone_infer_session_eval (session, &token, 1, FALSE, NULL, error))
        return FALSE;
    }
  /* Whatever was held back is text now. */
  if (reason != HONE_STOP_STRING && emitted < text->len && func != NULL)
    {
      g_autofree char *rest = g_utf8_make_valid (text->str + emitted, text->len - emitted);

      func (-1, rest, user_data);
    }
  result->ids = g_steal_pointer (&ids);
  result->text = g_utf8_make_valid (text->str, text->len);
  result->n_prompt = n_prompt;
  result->reason = reason;
  result->prefill_seconds = (t1 - t0) / 1e6;
  result->decode_seconds = (g_get_monotonic_time () - t1) / 1e6;
  return TRUE;
}
