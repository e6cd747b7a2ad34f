/* hone-test-model.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small random models for tests and benchmarks (`hone-cli make-test-model`): seeded
 * weights, a real tokenizer copied from a vocabulary GGUF, written as a GGUF file that
 * llama.cpp loads or as a Hugging Face folder. The same options and seed give the same
 * tensors in either form, once read back through HoneModel.
 */
#pragma once

#include <glib.h>

#include "hone-ggml.h"
#include "hone-model.h"

G_BEGIN_DECLS

typedef struct
{
  HoneArch      arch;
  guint         n_layers;      /* 0: 2 */
  guint         dim;           /* 0: 64 */
  guint         n_heads;       /* 0: 4 */
  guint         n_kv_heads;    /* 0: n_heads / 2, at least 1 */
  guint         ffn;           /* 0: 2·dim + dim/2, rounded up to 32 (k-quants: 256) */
  guint         context_length;/* 0: 512 */
  const char   *vocab_from;    /* a GGUF whose tokenizer.* keys are copied; NULL: bytes */
  HoneGgmlType  dtype;         /* of the matrices: f32, f16, bf16, q8_0, q4_0, q4_K, q5_K,
                                * q6_K (HF: f32, f16, bf16); the k-quants random (not the
                                * drawn values) and dim, ffn multiples of 256 */
  guint64       seed;
  gboolean      tied;          /* no output.weight */
  gboolean      hf;            /* a Hugging Face folder instead of a GGUF file */
} HoneTestModelOptions;

/* Whether @dtype can be a test model's matrix type (in a GGUF). */
gboolean  hone_test_model_dtype_is_supported (HoneGgmlType           dtype);
/* Fills @options with the defaults for @arch. */
void      hone_test_model_options_init  (HoneTestModelOptions        *options,
                                         HoneArch                     arch);
/* Writes the model to @path (a file, or a folder created for --hf). */
gboolean  hone_test_model_write         (const HoneTestModelOptions  *options,
                                         const char                  *path,
                                         GError                     **error);

G_END_DECLS
