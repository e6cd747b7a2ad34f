/* hone-ref-model.h — the CPU reference forward pass of a whole model, in double.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Independent of the GPU code: written from the math (hone-ref-model.c says which), checked
 * against llama.cpp by tests/check-ref-forward.py, and what Hone's GPU inference is
 * tested against.
 */
#pragma once

#include <glib.h>

#include "model/hone-adapter.h"
#include "model/hone-model.h"

G_BEGIN_DECLS

typedef enum
{
  HONE_REF_MODEL_NONE = 0,
  /* K (after RoPE) and V rounded to f16 before attention, as an f16 KV cache holds them */
  HONE_REF_MODEL_KV_F16 = 1 << 0,
} HoneRefModelFlags;

/* The logits of every position of @ids (@n tokens, positions 0 … n−1, causal): n · V
 * doubles, (n, V) row-major (g_free). With @adapter (checked against @model here), each
 * adapted weight is W + adapter_scale_mult · (alpha/r) · B·A, merged in double. FALSE-like
 * NULL with an error for shapes or features the reference does not cover. */
double *hone_ref_model_forward        (HoneModel          *model,
                                       HoneAdapter        *adapter,
                                       float               adapter_scale_mult,
                                       const guint32      *ids,
                                       guint               n,
                                       GError            **error);
double *hone_ref_model_forward_flags  (HoneModel          *model,
                                       HoneAdapter        *adapter,
                                       float               adapter_scale_mult,
                                       HoneRefModelFlags   flags,
                                       const guint32      *ids,
                                       guint               n,
                                       GError            **error);

G_END_DECLS
