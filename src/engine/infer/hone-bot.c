/* hone-bot.c — what one chat needs: a model on the device, its tokenizer, template,
 * end-of-turn tokens and adapters, and a session kept across the turns.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each reply renders the whole conversation through the chat template, then reuses the
 * cached tokens the new prompt starts with (the earlier turns), so a long chat costs only
 * its new message. Switching adapters empties the cache (the same tokens give other keys
 * and values under another adapter).
 */
#define G_LOG_DOMAIN "hone-infer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-generate.h"
#include "text/hone-template.h"
#include "text/hone-vocab.h"

/* Tokens that end an assistant turn in the common templates, when the vocabulary has
 * them as tokens. */
static const char *const end_of_turn_texts[] = {
  "<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<end_of_turn>", "<|end|>",
  "<|endoftext|>", "</s>",
};

struct _HoneBot
{
  char             *model_path;
  HoneModel        *model;
  HoneTokenizer    *tokenizer;
  HoneChatTemplate *template;
  HoneInferModel   *infer;
  HoneInferSession *session;
  GPtrArray        *adapter_paths;   /* char *, by adapter index */
  GArray           *end_ids;         /* gint32 */
  GArray           *cached;          /* guint32: the tokens the session's cache holds */
  gint              cached_adapter;
};

static void
add_end_id (GArray *end_ids,
            gint32  id)
{
  if (id < 0)
    return;
  for (guint i = 0; i < end_ids->len; i++)
    if (g_array_index (end_ids, gint32, i) == id)
      return;
  g_array_append_val (end_ids, id);
}

HoneBot *
hone_bot_new (HoneGpuDevice *device,
              const char    *model_path,
              GError       **error)
{
  g_autoptr (HoneBot) self = NULL;
  const HoneModelInfo *info;
  HoneVocab *vocab;

  g_return_val_if_fail (device != NULL && model_path != NULL, NULL);

  self = g_new0 (HoneBot, 1);
  self->model_path = g_strdup (model_path);
  self->adapter_paths = g_ptr_array_new_with_free_func (g_free);
  self->end_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->cached = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->cached_adapter = -1;
  self->model = hone_model_open (model_path, error);
  if (self->model == NULL)
    return NULL;
  self->tokenizer = hone_tokenizer_new_from_path (model_path, error);
  if (self->tokenizer == NULL)
    return NULL;
  self->template = hone_chat_template_load (model_path, error);
  if (self->template == NULL)
    return NULL;
  /* A base model with no template and no special tokens of a known one: ChatML written
   * as plain text still gives turns the model can learn (and training uses the same). */
  if (self->template->source == NULL)
    {
      self->template->source = g_strdup (hone_template_builtin ("chatml"));
      self->template->is_builtin = TRUE;
    }
  self->infer = hone_infer_model_new (device, self->model, error);
  if (self->infer == NULL)
    return NULL;

  info = hone_model_get_info (self->model);
  vocab = hone_tokenizer_get_vocab (self->tokenizer);
  for (guint i = 0; i < info->n_eos_ids; i++)
    add_end_id (self->end_ids, info->eos_ids[i]);
  add_end_id (self->end_ids, hone_vocab_get_eos (vocab));
  if (self->template->eos_token != NULL)
    add_end_id (self->end_ids, hone_vocab_find_token (vocab, self->template->eos_token, -1));
  for (guint i = 0; i < G_N_ELEMENTS (end_of_turn_texts); i++)
    {
      gint32 id = hone_vocab_find_token (vocab, end_of_turn_texts[i], -1);

      if (id >= 0 && hone_vocab_get_token_type (vocab, id) == HONE_TOKEN_CONTROL)
        add_end_id (self->end_ids, id);
    }
  return g_steal_pointer (&self);
}

void
hone_bot_free (HoneBot *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->session, hone_infer_session_free);
  g_clear_pointer (&self->infer, hone_infer_model_free);
  g_clear_pointer (&self->template, hone_chat_template_free);
  g_clear_pointer (&self->tokenizer, hone_tokenizer_free);
  g_clear_pointer (&self->model, hone_model_free);
  g_clear_pointer (&self->adapter_paths, g_ptr_array_unref);
  g_clear_pointer (&self->end_ids, g_array_unref);
  g_clear_pointer (&self->cached, g_array_unref);
  g_free (self->model_path);
  g_free (self);
}

const char *
hone_bot_get_model_path (HoneBot *self)
{
  return self->model_path;
}

HoneInferModel *
hone_bot_get_infer_model (HoneBot *self)
{
  return self->infer;
}

HoneTokenizer *
hone_bot_get_tokenizer (HoneBot *self)
{
  return self->tokenizer;
}

const gint32 *
hone_bot_get_end_ids (HoneBot *self,
                      guint   *n_end)
{
  *n_end = self->end_ids->len;
  return (const gint32 *) self->end_ids->data;
}

gint
hone_bot_add_adapter (HoneBot    *self,
                      const char *adapter_path,
                      GError    **error)
{
  g_autoptr (HoneAdapter) adapter = NULL;
  gint index;

  g_return_val_if_fail (self != NULL && adapter_path != NULL, -1);

  for (guint i = 0; i < self->adapter_paths->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->adapter_paths, i), adapter_path) == 0)
      return (gint) i;
  adapter = hone_adapter_open (adapter_path, error);
  if (adapter == NULL)
    return -1;
  index = hone_infer_model_add_adapter (self->infer, adapter, error);
  if (index < 0)
    return -1;
  g_assert ((guint) index == self->adapter_paths->len);
  g_ptr_array_add (self->adapter_paths, g_strdup (adapter_path));
  return index;
}

GArray *
hone_bot_render (HoneBot   *self,
                 JsonNode  *messages,
                 GError   **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GArray) out = NULL;
  HoneVocab *vocab;
  gint32 bos;

  g_return_val_if_fail (self != NULL && messages != NULL, NULL);

  text = hone_template_render (self->template->source, messages, TRUE,
                               self->template->bos_token, self->template->eos_token, NULL, NULL,
                               error);
  if (text == NULL)
    return NULL;
  vocab = hone_tokenizer_get_vocab (self->tokenizer);
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  hone_tokenizer_encode (self->tokenizer, text, -1, HONE_ENCODE_PARSE_SPECIAL, ids);
  out = g_array_sized_new (FALSE, FALSE, sizeof (guint32), ids->len + 1);
  /* The template usually writes the BOS itself; add it only where it did not. */
  bos = hone_vocab_get_bos (vocab);
  if (hone_vocab_get_add_bos (vocab) && bos >= 0
      && (ids->len == 0 || g_array_index (ids, gint32, 0) != bos))
    {
      guint32 b = (guint32) bos;

      g_array_append_val (out, b);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      guint32 id = (guint32) g_array_index (ids, gint32, i);

      g_array_append_val (out, id);
    }
  return g_steal_pointer (&out);
}

gboolean
hone_bot_render_training (HoneBot   *self,
                          JsonNode  *messages,
                          GArray   **ids,
                          GArray   **mask,
                          GError   **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) raw_ids = NULL;
  g_autoptr (GArray) raw_mask = NULL;
  HoneVocab *vocab;
  gint32 bos;

  g_return_val_if_fail (self != NULL && messages != NULL && ids != NULL && mask != NULL, FALSE);

  text = hone_template_render (self->template->source, messages, FALSE,
                               self->template->bos_token, self->template->eos_token, NULL,
                               &spans, error);
  if (text == NULL
      || !hone_template_mask (self->tokenizer, text, spans, &raw_ids, &raw_mask, error))
    return FALSE;
  *ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), raw_ids->len + 1);
  *mask = g_array_sized_new (FALSE, FALSE, sizeof (guint8), raw_ids->len + 1);
  vocab = hone_tokenizer_get_vocab (self->tokenizer);
  bos = hone_vocab_get_bos (vocab);
  if (hone_vocab_get_add_bos (vocab) && bos >= 0
      && (raw_ids->len == 0 || g_array_index (raw_ids, gint32, 0) != bos))
    {
      guint32 b = (guint32) bos;
      guint8 zero = 0;

      g_array_append_val (*ids, b);
      g_array_append_val (*mask, zero);
    }
  g_array_append_vals (*ids, raw_ids->data, raw_ids->len);
  g_array_append_vals (*mask, raw_mask->data, raw_mask->len);
  return TRUE;
}

gboolean
hone_bot_reply (HoneBot                  *self,
                gint                      adapter,
                JsonNode                 *messages,
                const HoneGenerateParams *params,
                HoneTokenFunc             func,
                gpointer                  user_data,
                GCancellable             *cancellable,
                HoneGenerateResult       *result,
                GError                  **error)
{
  g_autoptr (GArray) prompt = NULL;
  guint keep = 0, n_past;
  const guint32 *cached;

  g_return_val_if_fail (self != NULL && messages != NULL && params != NULL, FALSE);

  prompt = hone_bot_render (self, messages, error);
  if (prompt == NULL)
    return FALSE;
  if (self->session == NULL)
    {
      self->session = hone_infer_session_new (self->infer, 0, HONE_KV_F16, error);
      if (self->session == NULL)
        return FALSE;
    }
  if (prompt->len >= hone_infer_session_get_n_ctx (self->session))
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_CONTEXT_FULL,
                   _("The conversation is %u tokens long, more than the %u this chat can "
                     "hold; start a new conversation or shorten the messages"),
                   prompt->len, hone_infer_session_get_n_ctx (self->session));
      return FALSE;
    }
  hone_infer_session_set_adapter (self->session, adapter, 1.0f);
  if (adapter != self->cached_adapter)
    g_array_set_size (self->cached, 0);
  self->cached_adapter = adapter;

  /* Reuse the cached tokens the prompt starts with; at least one token must be run to
   * get logits. */
  n_past = MIN (hone_infer_session_get_n_past (self->session), self->cached->len);
  cached = (const guint32 *) self->cached->data;
  while (keep < n_past && keep + 1 < prompt->len
         && cached[keep] == g_array_index (prompt, guint32, keep))
    keep++;
  hone_infer_session_truncate (self->session, keep);
  g_array_set_size (self->cached, keep);

  if (!hone_generate (self->session, self->tokenizer,
                      (const guint32 *) prompt->data + keep, prompt->len - keep, params,
                      (const gint32 *) self->end_ids->data, self->end_ids->len, func,
                      user_data, cancellable, result, error))
    {
      /* The cache may hold part of this prompt: start afresh next time. */
      hone_infer_session_truncate (self->session, 0);
      g_array_set_size (self->cached, 0);
      return FALSE;
    }
  /* The cache now holds the prompt and every generated token but the last. */
  g_array_append_vals (self->cached, (const guint32 *) prompt->data + keep, prompt->len - keep);
  g_array_append_vals (self->cached, result->ids->data, result->ids->len);
  g_array_set_size (self->cached, MIN (self->cached->len,
                                       hone_infer_session_get_n_past (self->session)));
  return TRUE;
}
