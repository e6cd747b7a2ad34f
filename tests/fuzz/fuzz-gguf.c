/* fuzz-gguf.c — libFuzzer target for the GGUF reader: each input is opened as a GGUF
 * image and, when it opens, read through completely (every key as text, every array
 * converted, every tensor's bytes summed), so an out-of-bounds length or offset the
 * reader let pass is caught by AddressSanitizer. Refusals are expected.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "model/hone-gguf.h"
#include "model/hone-model.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile guint64 sink;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGguf) gguf = hone_gguf_open_bytes ("fuzz.gguf", bytes, &error);
  HoneModelInfo info;
  guint64 sum = 0;

  if (gguf == NULL)
    {
      g_assert (error != NULL && g_str_has_prefix (error->message, "fuzz.gguf: "));
      return 0;
    }
  for (guint i = 0; i < hone_gguf_get_n_keys (gguf); i++)
    {
      const char *key = hone_gguf_get_key (gguf, i);
      g_autofree char *text = hone_gguf_dup_value_text (gguf, key, 64);
      const HoneGgufArray *array;

      sum += strlen (text);
      if (hone_gguf_get_key_type (gguf, key) != HONE_GGUF_TYPE_ARRAY)
        continue;
      array = hone_gguf_get_array (gguf, key, NULL);
      if (hone_gguf_array_get_type (array) == HONE_GGUF_TYPE_STRING)
        {
          g_auto(GStrv) strv = hone_gguf_array_dup_strv (array, NULL);

          sum += g_strv_length (strv);
        }
      else if (hone_gguf_array_get_type (array) != HONE_GGUF_TYPE_ARRAY)
        {
          g_autofree float *f = hone_gguf_array_dup_f32 (array, NULL);
          g_autofree gint32 *n = hone_gguf_array_dup_i32 (array, NULL);
          g_autofree guint32 *u = hone_gguf_array_dup_u32 (array, NULL);

          sum += (f != NULL) + (n != NULL) + (u != NULL);
        }
    }
  for (guint i = 0; i < hone_gguf_get_n_tensors (gguf); i++)
    {
      const HoneGgufTensor *t = hone_gguf_get_tensor (gguf, i);

      for (gsize b = 0; b < t->size; b++)
        sum += ((const guint8 *) t->data)[b];
      /* dequantize small tensors too: the block geometry must hold */
      if (hone_ggml_can_dequantize (t->type) && t->n_elements <= 4096)
        {
          g_autofree float *values = g_new (float, MAX (t->n_elements, 1));

          hone_ggml_dequantize (t->type, t->data, values, t->n_elements);
        }
    }
  if (hone_model_info_from_gguf (gguf, &info, NULL))
    sum += info.n_params;
  sink = sum;
  return 0;
}
