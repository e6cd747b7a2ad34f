/* hone-merge.c — fold a LoRA adapter into a base model's weights.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-gguf.h"
#include "hone-merge.h"

static HoneGgmlType
merged_type (HoneMergeType type,
             HoneGgmlType  original,
             guint64       row)
{
  switch (type)
    {
    case HONE_MERGE_F32:
      return HONE_GGML_TYPE_F32;
    case HONE_MERGE_F16:
      return HONE_GGML_TYPE_F16;
    case HONE_MERGE_Q8_0:
      return row % HONE_GGML_QK == 0 ? HONE_GGML_TYPE_Q8_0 : HONE_GGML_TYPE_F16;
    case HONE_MERGE_KEEP:
    default:
      if (hone_ggml_can_quantize (original) && row % hone_ggml_type_block_size (original) == 0)
        return original;
      return HONE_GGML_TYPE_F16;
    }
}

/* W (N, K) + scale · B (N, r) · A (r, K), in double, rounded once to float. */
static float *
merge_pair (const HoneModelTensor *tensor,
            const HoneLoraPair    *pair,
            double                 scale,
            GError               **error)
{
  float *w = hone_model_tensor_dup_f32 (tensor, error);
  g_autofree double *row = NULL;

  if (w == NULL)
    return NULL;
  row = g_new (double, pair->k);
  for (guint n = 0; n < pair->n; n++)
    {
      float *wn = w + (gsize) n * pair->k;

      for (guint k = 0; k < pair->k; k++)
        row[k] = wn[k];
      for (guint r = 0; r < pair->rank; r++)
        {
          double b = scale * pair->b[(gsize) n * pair->rank + r];
          const float *a = pair->a + (gsize) r * pair->k;

          for (guint k = 0; k < pair->k; k++)
            row[k] += b * a[k];
        }
      for (guint k = 0; k < pair->k; k++)
        wn[k] = (float) row[k];
    }
  return w;
}

gboolean
hone_merge_write (HoneModel     *model,
                  HoneAdapter   *adapter,
                  float          scale_mult,
                  HoneMergeType  type,
                  const char    *path,
                  GError       **error)
{
  g_autoptr (HoneGgufWriter) writer = hone_gguf_writer_new ();
  HoneGguf *gguf;

  g_return_val_if_fail (model != NULL && adapter != NULL && path != NULL, FALSE);

  gguf = hone_model_get_gguf (model);
  if (gguf == NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   _("%s: merging works on GGUF models; this is a Hugging Face folder"),
                   hone_model_get_path (model));
      return FALSE;
    }
  hone_gguf_writer_set_alignment (writer, hone_gguf_get_alignment (gguf));
  for (guint i = 0; i < hone_gguf_get_n_keys (gguf); i++)
    {
      const char *key = hone_gguf_get_key (gguf, i);

      if (strcmp (key, "general.alignment") == 0)
        continue;
      if (!hone_gguf_writer_copy_key (writer, gguf, key, error))
        return FALSE;
    }
  for (guint i = 0; i < hone_model_get_n_tensors (model); i++)
    {
      const HoneModelTensor *tensor = hone_model_get_tensor (model, i);
      const HoneLoraPair *pair = hone_adapter_find_pair (adapter, tensor->name);
      g_autoptr (GBytes) bytes = NULL;
      HoneGgmlType out = tensor->type;

      if (pair == NULL || pair->rank == 0)
        bytes = g_bytes_new_static (tensor->data, tensor->size);
      else
        {
          g_autofree float *w = NULL;
          guint64 size = 0;
          void *data;

          if (tensor->n_dims != 2 || tensor->ne[0] != pair->k || tensor->ne[1] != pair->n)
            {
              g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                           _("The adapter’s pair for “%s” does not fit its shape"),
                           tensor->name);
              return FALSE;
            }
          w = merge_pair (tensor, pair, scale_mult * hone_adapter_get_scale (adapter, pair),
                          error);
          if (w == NULL)
            return FALSE;
          out = merged_type (type, tensor->type, tensor->ne[0]);
          hone_ggml_type_size_of (out, tensor->n_elements, &size);
          data = g_malloc (MAX (size, 1));
          hone_ggml_quantize (out, w, data, tensor->n_elements);
          bytes = g_bytes_new_take (data, size);
        }
      if (!hone_gguf_writer_add_tensor (writer, tensor->name, out, tensor->n_dims, tensor->ne,
                                        bytes, error))
        return FALSE;
    }
  return hone_gguf_writer_write (writer, path, error);
}
