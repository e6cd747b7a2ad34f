/* fuzz-adapter.c — libFuzzer target for LoRA adapter files (model/hone-adapter.c): each
 * input is written as a GGUF adapter file, opened, its pairs read through, and checked
 * against a small model made once. Refusals are expected; crashes, leaks and sanitizer
 * reports are bugs.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include <glib/gstdio.h>

#include "model/hone-adapter.h"
#include "model/hone-test-model.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *adapter_path;
static HoneModel *model;
static volatile double sink;

static void
setup (void)
{
  g_autofree char *model_path = NULL;
  HoneTestModelOptions options;

  dir = g_dir_make_tmp ("hone-fuzz-adapter-XXXXXX", NULL);
  g_assert (dir != NULL);
  adapter_path = g_build_filename (dir, "adapter.gguf", NULL);
  model_path = g_build_filename (dir, "model.gguf", NULL);
  hone_test_model_options_init (&options, HONE_ARCH_LLAMA);
  options.n_layers = 1;
  options.dim = 16;
  options.n_heads = 2;
  options.n_kv_heads = 1;
  options.ffn = 32;
  g_assert (hone_test_model_write (&options, model_path, NULL));
  model = hone_model_open (model_path, NULL);
  g_assert (model != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HoneAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  double sum = 0.0;

  if (model == NULL)
    setup ();
  if (!g_file_set_contents (adapter_path, (const char *) data, size, NULL))
    return 0;
  adapter = hone_adapter_open (adapter_path, &error);
  if (adapter == NULL)
    {
      g_assert (error != NULL && error->message[0] != '\0');
      return 0;
    }
  for (guint i = 0; i < hone_adapter_get_n_pairs (adapter); i++)
    {
      const HoneLoraPair *pair = hone_adapter_get_pair (adapter, i);

      for (gsize j = 0; j < (gsize) pair->rank * pair->k; j++)
        sum += pair->a[j];
      for (gsize j = 0; j < (gsize) pair->n * pair->rank; j++)
        sum += pair->b[j];
      sum += hone_adapter_get_scale (adapter, pair);
      g_assert (hone_adapter_find_pair (adapter, pair->target) != NULL);
    }
  if (!hone_adapter_check (adapter, model, &error))
    g_assert (error != NULL && error->message[0] != '\0');
  sink = sum;
  return 0;
}
