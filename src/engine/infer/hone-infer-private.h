/* hone-infer-private.h — what the inference files share: the weights on the device.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hone-infer.h"

G_BEGIN_DECLS

/* One weight on the device, in the type the file stores it in. */
typedef struct
{
  HoneGpuBuffer *buffer;
  HoneGgmlType   type;
  guint          n;          /* rows: outputs of a matrix, the length of a vector */
  guint          k;          /* row length: inputs of a matrix; 1 for a vector */
  gboolean       quantized;  /* read through the quant kernels (bf16 and the q types) */
  HoneQuantType  quant;
} HoneInferWeight;

/* The matrices of a layer that an adapter may touch, in this order. */
typedef enum
{
  HONE_SLOT_Q,
  HONE_SLOT_K,
  HONE_SLOT_V,
  HONE_SLOT_O,
  HONE_SLOT_GATE,
  HONE_SLOT_UP,
  HONE_SLOT_DOWN,
  HONE_N_SLOTS,
} HoneLayerSlot;

typedef struct
{
  HoneInferWeight attn_norm;     /* (C) */
  HoneInferWeight q_norm;        /* (D), qwen3 */
  HoneInferWeight k_norm;        /* (D), qwen3 */
  HoneInferWeight mat[HONE_N_SLOTS];
  HoneInferWeight q_bias;        /* (Hq·D), qwen2 */
  HoneInferWeight k_bias;        /* (Hkv·D) */
  HoneInferWeight v_bias;        /* (Hkv·D) */
  HoneInferWeight ffn_norm;      /* (C) */
} HoneInferLayer;

/* One LoRA pair on the device: y += scale · B (A x). */
typedef struct
{
  HoneGpuBuffer *a;     /* (r, K) */
  HoneGpuBuffer *b;     /* (N, r) */
  guint          rank;
  float          scale; /* alpha / r */
} HoneInferLora;

typedef struct
{
  HoneInferLora *pairs;  /* n_layers · HONE_N_SLOTS; rank 0 where the adapter has none */
  guint          max_rank;
} HoneInferAdapter;

struct _HoneInferModel
{
  HoneGpuDevice         *device;
  HoneModel             *model;
  HoneModelInfo          info;
  HoneRopeStyle          rope_style;
  float                  rope_freq_scale;
  HoneGpuBuffer         *rope_factors;     /* (D / 2) or NULL */
  const HoneModelTensor *token_embd;       /* read on the host: rows are gathered there */
  HoneInferLayer        *layers;
  HoneInferWeight        output_norm;      /* (C) */
  HoneInferWeight        output;           /* (V, C): output.weight or token_embd */
  GPtrArray             *adapters;         /* HoneInferAdapter */
  guint64                weight_bytes;
};

/* y (M, N) = x (M, K) · Wᵀ for any weight type, plus the adapter's pair when @lora has
 * a rank: tmp (M, r) is its scratch. */
gboolean hone_infer_linear (HoneGpuStream          *stream,
                            HoneGpuBuffer          *y,
                            HoneGpuBuffer          *x,
                            const HoneInferWeight  *w,
                            guint                   m,
                            const HoneInferLora    *lora,
                            float                   lora_mult,
                            HoneGpuBuffer          *tmp,
                            GError                **error);

G_END_DECLS
