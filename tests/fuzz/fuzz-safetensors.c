/* fuzz-safetensors.c — libFuzzer target for the safetensors header: each input is
 * opened as a safetensors image and every tensor it lists is read through. Refusals are
 * expected; crashes, leaks and sanitizer reports are bugs.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "model/hone-safetensors.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile guint64 sink;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSafetensors) st = hone_safetensors_open_bytes ("fuzz.safetensors", bytes,
                                                               &error);
  guint64 sum = 0;

  if (st == NULL)
    {
      g_assert (error != NULL && g_str_has_prefix (error->message, "fuzz.safetensors"));
      return 0;
    }
  for (guint i = 0; i < hone_safetensors_get_n_tensors (st); i++)
    {
      const HoneSafetensor *t = hone_safetensors_get_tensor (st, i);

      for (gsize b = 0; b < t->size; b++)
        sum += ((const guint8 *) t->data)[b];
      sum += t->n_dims + (hone_safetensors_find_tensor (st, t->name) == t);
    }
  sink = sum;
  return 0;
}
