/* hone-generate.h — text generation: sampling loop, stop conditions, streaming, chat turns.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hone_generate() continues a session token by token and hands each new piece of text to
 * a callback as it is produced (only whole UTF-8 characters; text that might be the start
 * of a stop string is held back until it is known not to be). HoneBot bundles what a chat
 * needs: the model on the device, its tokenizer, its chat template and end-of-turn tokens,
 * the adapters, and a session whose cache is reused across the turns of one conversation.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "infer/hone-infer.h"
#include "text/hone-tokenizer.h"

G_BEGIN_DECLS

typedef struct
{
  float    temperature;     /* 0: greedy */
  guint    top_k;           /* 0: off */
  float    top_p;           /* 1: off */
  float    min_p;           /* 0: off */
  float    repeat_penalty;  /* 1: off */
  guint    repeat_last_n;   /* how many recent tokens the penalty looks at */
  guint64  seed;            /* the same seed and settings give the same text */
  guint    max_tokens;      /* 0: until the context is full */
  char   **stop;            /* NULL-terminated stop strings, or NULL */
} HoneGenerateParams;

/* The defaults a chat uses: temperature 0.7, top-k 40, top-p 0.95, min-p 0.05, penalty
 * 1.1 over the last 64 tokens, 512 tokens at most, seed 0. */
void hone_generate_params_init  (HoneGenerateParams *params);
/* Greedy decoding, nothing else. */
void hone_generate_params_greedy (HoneGenerateParams *params);

typedef enum
{
  HONE_STOP_LENGTH,      /* max_tokens or the context reached */
  HONE_STOP_END,         /* an end-of-generation / end-of-turn token */
  HONE_STOP_STRING,      /* a stop string (not included in the text) */
  HONE_STOP_CANCELLED,   /* the cancellable or the callback asked to stop */
} HoneStopReason;

/* Called for every token with the text it completes (possibly ""); return FALSE to stop. */
typedef gboolean (*HoneTokenFunc) (gint32       id,
                                   const char  *text,
                                   gpointer     user_data);

typedef struct
{
  GArray         *ids;              /* guint32: the generated tokens (not the prompt) */
  char           *text;             /* their text, without a stop string */
  guint           n_prompt;         /* prompt tokens evaluated (after a reused prefix) */
  HoneStopReason  reason;
  double          prefill_seconds;
  double          decode_seconds;
} HoneGenerateResult;

void hone_generate_result_clear (HoneGenerateResult *result);

/* Evaluates @prompt (n_prompt tokens) after what @session holds, then samples until a
 * stop condition. End tokens are @end_ids (n_end). @cancellable is checked before every
 * token; cancelling is not an error (reason CANCELLED). */
gboolean hone_generate           (HoneInferSession          *session,
                                  HoneTokenizer             *tokenizer,
                                  const guint32             *prompt,
                                  guint                      n_prompt,
                                  const HoneGenerateParams  *params,
                                  const gint32              *end_ids,
                                  guint                      n_end,
                                  HoneTokenFunc              func,
                                  gpointer                   user_data,
                                  GCancellable              *cancellable,
                                  HoneGenerateResult        *result,
                                  GError                   **error);

typedef struct _HoneBot HoneBot;

/* Opens the model at @model_path (GGUF or Hugging Face folder), its tokenizer and chat
 * template, and uploads its weights to @device. */
HoneBot          *hone_bot_new              (HoneGpuDevice             *device,
                                             const char                *model_path,
                                             GError                   **error);
void              hone_bot_free             (HoneBot                   *self);
const char       *hone_bot_get_model_path   (HoneBot                   *self);
HoneInferModel   *hone_bot_get_infer_model  (HoneBot                   *self);
HoneTokenizer    *hone_bot_get_tokenizer    (HoneBot                   *self);
/* The tokens that end a reply: the model's end-of-generation ids, the template's EOS and
 * the end-of-turn control tokens of the common templates that the vocabulary has. */
const gint32     *hone_bot_get_end_ids      (HoneBot                   *self,
                                             guint                     *n_end);
/* Loads an adapter (llama.cpp GGUF or PEFT folder); returns its index or −1. The same
 * path twice gives the same index. */
gint              hone_bot_add_adapter      (HoneBot                   *self,
                                             const char                *adapter_path,
                                             GError                   **error);
/* The model's chat template applied to @messages (a JSON array of {"role", "content"};
 * a system prompt is just the first message), with the generation prompt added, as ids. */
GArray           *hone_bot_render           (HoneBot                   *self,
                                             JsonNode                  *messages,
                                             GError                   **error);
/* A whole conversation as training sees it (no generation prompt): its ids and a mask
 * (guint8, 1 = an assistant token, the end of its turn included). */
gboolean          hone_bot_render_training  (HoneBot                   *self,
                                             JsonNode                  *messages,
                                             GArray                   **ids,
                                             GArray                   **mask,
                                             GError                   **error);
/* Answers the last message of @messages with adapter @adapter (−1: base model), streaming
 * through @func. The cache of the previous call is reused where the rendered prompt
 * starts the same way. */
gboolean          hone_bot_reply            (HoneBot                   *self,
                                             gint                       adapter,
                                             JsonNode                  *messages,
                                             const HoneGenerateParams  *params,
                                             HoneTokenFunc              func,
                                             gpointer                   user_data,
                                             GCancellable              *cancellable,
                                             HoneGenerateResult        *result,
                                             GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneBot, hone_bot_free)

G_END_DECLS
