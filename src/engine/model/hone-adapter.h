/* hone-adapter.h — LoRA adapters: read from llama.cpp's GGUF adapter format or a PEFT
 * folder, seen the same way either way.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A LoRA pair on a base weight W (N, K) (GGUF name, ggml order: rows of K) adds
 * scale · B · A, with A (r, K) and B (N, r) row-major f32 here, and scale = alpha / r.
 * llama.cpp's GGUF: general.type = "adapter", adapter.type = "lora", adapter.lora.alpha,
 * tensors "<base name>.lora_a" (ne = [K, r]) and "<base name>.lora_b" (ne = [r, N]).
 * PEFT: adapter_config.json (r, lora_alpha, target_modules) + adapter_model.safetensors
 * ("base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight" (r, K) and lora_B
 * (N, r)); for llama the Q/K rows of B are reordered into GGUF's order as the base's are.
 */
#pragma once

#include <glib.h>

#include "hone-model.h"

G_BEGIN_DECLS

typedef struct
{
  char   *target;     /* the base tensor's GGUF name, "blk.0.attn_q.weight" */
  guint   rank;
  guint   n;          /* output rows of the base weight */
  guint   k;          /* input length of the base weight */
  float  *a;          /* (rank, k) */
  float  *b;          /* (n, rank) */
} HoneLoraPair;

typedef struct _HoneAdapter HoneAdapter;

/* A GGUF adapter file or a PEFT folder (or its adapter_config.json). */
HoneAdapter         *hone_adapter_open        (const char        *path,
                                               GError           **error);
void                 hone_adapter_free        (HoneAdapter       *self);
const char          *hone_adapter_get_path    (HoneAdapter       *self);
const char          *hone_adapter_get_name    (HoneAdapter       *self);
float                hone_adapter_get_alpha   (HoneAdapter       *self);
guint                hone_adapter_get_n_pairs (HoneAdapter       *self);
const HoneLoraPair  *hone_adapter_get_pair    (HoneAdapter       *self,
                                               guint              index);
const HoneLoraPair  *hone_adapter_find_pair   (HoneAdapter       *self,
                                               const char        *target);
/* alpha / rank of @pair (pairs may differ in rank); 1 for a GGUF adapter that gives no
 * alpha (or 0), as llama.cpp does. */
float                hone_adapter_get_scale   (HoneAdapter       *self,
                                               const HoneLoraPair *pair);
/* FALSE with an error naming the first pair whose target @model lacks or whose shape
 * differs from it. A PEFT folder's pairs only hold GGUF's Q/K row order after a check
 * against a llama model has passed (the first check settles it; one against a model of
 * other head counts fails afterwards), so check before using the pairs. */
gboolean             hone_adapter_check       (HoneAdapter       *self,
                                               HoneModel         *model,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneAdapter, hone_adapter_free)

G_END_DECLS
