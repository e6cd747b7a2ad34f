/* hone-test-adapter.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeded random LoRA adapters for a given model, for tests and benchmarks
 * (`hone-cli make-test-adapter`): a GGUF adapter that llama.cpp loads, or a PEFT folder.
 * Unlike a fresh LoRA, B is not zero, so that the adapter changes the logits. The same
 * options and seed give the same pairs in either form, once read back through
 * HoneAdapter and checked against the model.
 */
#pragma once

#include <glib.h>

#include "hone-model.h"

G_BEGIN_DECLS

/* The layer weights an adapter may change. */
typedef enum
{
  HONE_LORA_TARGET_Q = 1 << 0,
  HONE_LORA_TARGET_K = 1 << 1,
  HONE_LORA_TARGET_V = 1 << 2,
  HONE_LORA_TARGET_O = 1 << 3,
  HONE_LORA_TARGET_GATE = 1 << 4,
  HONE_LORA_TARGET_UP = 1 << 5,
  HONE_LORA_TARGET_DOWN = 1 << 6,
  HONE_LORA_TARGET_ATTENTION = 0x0f,
  HONE_LORA_TARGET_MLP = 0x70,
  HONE_LORA_TARGET_ALL = 0x7f,
} HoneLoraTargets;

typedef struct
{
  guint            rank;      /* 0: 8 */
  float            alpha;     /* 0: 2 · rank */
  guint64          seed;
  HoneLoraTargets  targets;   /* 0: all */
  gboolean         peft;      /* a PEFT folder instead of a GGUF file */
} HoneTestAdapterOptions;

void      hone_test_adapter_options_init  (HoneTestAdapterOptions        *options);
/* "q,k,v,o,gate,up,down" (any of them, also "attn", "mlp", "all") into @targets; FALSE
 * with an error naming an unknown one. */
gboolean  hone_lora_targets_parse         (const char                    *text,
                                           HoneLoraTargets               *targets,
                                           GError                       **error);
/* Writes an adapter for @model to @path (a file, or a folder created for @peft). */
gboolean  hone_test_adapter_write         (HoneModel                     *model,
                                           const HoneTestAdapterOptions  *options,
                                           const char                    *path,
                                           GError                       **error);

G_END_DECLS
