/* hone-merge.h — a base model with a LoRA adapter folded into its weights, as one GGUF.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each adapted weight becomes W + s · (alpha / r) · B·A, computed in double from the
 * dequantized W and stored in @type; every other tensor and every metadata key is copied
 * as it is. The result loads in llama.cpp and Ollama like any model.
 */
#pragma once

#include <glib.h>

#include "hone-adapter.h"
#include "hone-model.h"

G_BEGIN_DECLS

typedef enum
{
  HONE_MERGE_KEEP,   /* each adapted weight in its own type where Hone can write it, else f16 */
  HONE_MERGE_F32,
  HONE_MERGE_F16,
  HONE_MERGE_Q8_0,
} HoneMergeType;

/* Writes @model (a GGUF file) with @adapter merged at @scale_mult to @path, atomically.
 * The adapter must have been checked against the model (hone_adapter_check). */
gboolean  hone_merge_write  (HoneModel      *model,
                             HoneAdapter    *adapter,
                             float           scale_mult,
                             HoneMergeType   type,
                             const char     *path,
                             GError        **error);

G_END_DECLS
