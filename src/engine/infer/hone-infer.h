/* hone-infer.h — a model's forward pass on the device: weights, KV cache, logits.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   HoneInferModel    a HoneModel's weights uploaded once, each in its own type (f32, f16,
 *                     bf16, q8_0, q4_0, q4_K, q5_K, q6_K stay as they are), plus the LoRA
 *                     adapters loaded beside them (applied unmerged: y = Wx + s·B(Ax)).
 *   HoneInferSession  one conversation's KV cache (f16 by default, f32 for exact tests)
 *                     and its position. Evaluating tokens appends them to the cache; the
 *                     cache can be cut back to reuse a shared prefix (chat turns).
 *
 * Architectures: llama, qwen2, qwen3 (hone-model.h). Everything runs on the one device of
 * the engine worker and is not thread-safe.
 */
#pragma once

#include <glib.h>

#include "gpu/hone-gpu.h"
#include "model/hone-adapter.h"
#include "model/hone-model.h"
#include "ops/hone-ops.h"

G_BEGIN_DECLS

#define HONE_INFER_ERROR (hone_infer_error_quark ())

typedef enum
{
  HONE_INFER_ERROR_CONTEXT_FULL,   /* the tokens do not fit in the session's context */
  HONE_INFER_ERROR_BAD_TOKEN,      /* an id outside the vocabulary */
  HONE_INFER_ERROR_UNSUPPORTED,    /* a weight type or shape Hone cannot run */
  HONE_INFER_ERROR_ADAPTER,        /* an adapter that does not fit the model */
} HoneInferError;

GQuark hone_infer_error_quark (void);

typedef enum
{
  HONE_KV_F16,
  HONE_KV_F32,
} HoneKvType;

typedef struct _HoneInferModel HoneInferModel;
typedef struct _HoneInferSession HoneInferSession;

/* Uploads @model's weights to @device (the model must outlive the result). */
HoneInferModel       *hone_infer_model_new           (HoneGpuDevice     *device,
                                                      HoneModel         *model,
                                                      GError           **error);
void                  hone_infer_model_free          (HoneInferModel    *self);
HoneModel            *hone_infer_model_get_model     (HoneInferModel    *self);
HoneGpuDevice        *hone_infer_model_get_device    (HoneInferModel    *self);
const HoneModelInfo  *hone_infer_model_get_info      (HoneInferModel    *self);
/* Bytes of weights one decode step reads (every matrix once, plus norms). */
guint64               hone_infer_model_get_weight_bytes (HoneInferModel *self);

/* Uploads @adapter beside the base weights; returns its index (≥ 0) for
 * hone_infer_session_set_adapter, or −1 with an error when it does not fit the model. */
gint                  hone_infer_model_add_adapter   (HoneInferModel    *self,
                                                      HoneAdapter       *adapter,
                                                      GError           **error);
guint                 hone_infer_model_get_n_adapters (HoneInferModel   *self);

/* A session with room for @n_ctx tokens (0: the model's context length but at most 8192,
 * lowered to what the memory budget allows). */
HoneInferSession     *hone_infer_session_new         (HoneInferModel    *model,
                                                      guint              n_ctx,
                                                      HoneKvType         kv_type,
                                                      GError           **error);
void                  hone_infer_session_free        (HoneInferSession  *self);
HoneInferModel       *hone_infer_session_get_model   (HoneInferSession  *self);
guint                 hone_infer_session_get_n_ctx   (HoneInferSession  *self);
/* Tokens in the cache. */
guint                 hone_infer_session_get_n_past  (HoneInferSession  *self);
/* Forgets every cached token from position @n_past on (keeps a shared prefix). */
void                  hone_infer_session_truncate    (HoneInferSession  *self,
                                                      guint              n_past);
/* Which adapter later evaluations use (−1: the base model alone) and its scale
 * multiplier (1: the adapter's own alpha / rank). Changing it empties the cache. */
void                  hone_infer_session_set_adapter (HoneInferSession  *self,
                                                      gint               adapter,
                                                      float              scale);

/* Runs @n tokens at positions n_past … n_past + n − 1 (prefill when n > 1, decode when 1),
 * appending them to the cache. @logits (may be NULL) receives the last token's logits (V
 * floats) or, with @all_logits, every token's (n · V). Refuses with CONTEXT_FULL, naming
 * the sizes, when n_past + n > n_ctx. */
gboolean              hone_infer_session_eval        (HoneInferSession  *self,
                                                      const guint32     *ids,
                                                      guint              n,
                                                      gboolean           all_logits,
                                                      float             *logits,
                                                      GError           **error);
/* After an eval: samples the next token from the last logits on the device (hone_op_sample,
 * after the repetition penalty over @recent when penalty ≠ 1) with uniform @u in [0, 1).
 * The penalty changes the logits in place: sample once per eval. */
gboolean              hone_infer_session_sample      (HoneInferSession  *self,
                                                      const HoneSampling *sampling,
                                                      float              repeat_penalty,
                                                      const guint32     *recent,
                                                      guint              n_recent,
                                                      float              u,
                                                      guint32           *token,
                                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneInferModel, hone_infer_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneInferSession, hone_infer_session_free)

G_END_DECLS
