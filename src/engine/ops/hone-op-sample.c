/* hone-op-sample.c — sampling one token from a row of logits, and the repetition penalty
 * (shaders/sample.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

#define SLICE_MAX 2048

typedef struct
{
  guint32 v;
  float   inv_temperature;
  guint32 top_k;
  float   top_p;
  float   min_p;
  float   u;
} SamplePush;

typedef struct
{
  guint32 n, v;
  float   penalty;
} PenaltyPush;

gboolean
hone_op_sample (HoneGpuStream      *stream,
                HoneGpuBuffer      *token,
                HoneGpuBuffer      *probs,
                HoneGpuBuffer      *logits,
                guint               v,
                const HoneSampling *sampling,
                float               u,
                const HoneOpConfig *config,
                GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  SamplePush push = { v, 0.0f, 0, 1.0f, 0.0f, u };
  HoneGpuBinding bindings[] = {
    { logits, HONE_GPU_TEXEL_R32F, 0, 0 },
    { probs, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
    { token, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("sample %u", v);

  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (sampling != NULL, FALSE);
  if (v == 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: an empty vocabulary", label);
      return FALSE;
    }
  if (!(sampling->temperature >= 0.0f) || !(sampling->top_p > 0.0f)
      || !(sampling->min_p >= 0.0f && sampling->min_p <= 1.0f) || !(u >= 0.0f && u < 1.0f))
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: temperature %g, top-p %g, min-p %g or u %g out of range", label,
                   sampling->temperature, sampling->top_p, sampling->min_p, u);
      return FALSE;
    }
  if (!hone_ops_check_size (logits, (gsize) v * 4, label, error)
      || !hone_ops_check_size (probs, (gsize) v * 4, label, error)
      || !hone_ops_check_size (token, 4, label, error))
    return FALSE;
  if (sampling->temperature > 0.0f)
    {
      push.inv_temperature = 1.0f / sampling->temperature;
      push.top_k = sampling->top_k;
      push.top_p = sampling->top_p;
      push.min_p = sampling->min_p;
    }
  device = hone_gpu_stream_get_device (stream);
  /* Lavapipe (Mesa 22.3) silently ends a loop after 65 535 iterations in one invocation,
   * counted over every time the loop is entered; the search loops run 31 times over a
   * slice, so slices stay within SLICE_MAX logits. SAMPLE_MAX_WG in sample.comp is 256. */
  wg = MAX (wg, hone_gpu_div_up (v, SLICE_MAX));
  wg = MIN (MIN (wg, 256), hone_gpu_device_get_info (device)->max_workgroup_invocations);
  if (hone_gpu_div_up (v, wg) > SLICE_MAX)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: a vocabulary over %u tokens", label, SLICE_MAX * wg);
      return FALSE;
    }
  spec[0] = (gint32) wg;
  pipeline = hone_gpu_pipeline_get (device, "sample", "tss", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, 1, 1, 1, label, error);
}

gboolean
hone_op_repetition_penalty (HoneGpuStream      *stream,
                            HoneGpuBuffer      *logits,
                            HoneGpuBuffer      *ids,
                            guint               n,
                            guint               v,
                            float               penalty,
                            const HoneOpConfig *config,
                            GError            **error)
{
  HoneGpuDevice *device;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  PenaltyPush push = { n, v, penalty };
  HoneGpuBinding bindings[] = {
    { ids, HONE_GPU_TEXEL_R32UI, 0, 0 },
    { logits, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  g_autofree char *label = g_strdup_printf ("repetition_penalty %u of %u", n, v);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (n == 0 || v == 0 || penalty == 1.0f)
    return TRUE;
  if (!(penalty > 0.0f))
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: the penalty must be positive, not %g", label, penalty);
      return FALSE;
    }
  if (!hone_ops_check_size (logits, (gsize) v * 4, label, error)
      || !hone_ops_check_size (ids, (gsize) n * 4, label, error))
    return FALSE;
  device = hone_gpu_stream_get_device (stream);
  pipeline = hone_gpu_pipeline_get (device, "repetition_penalty", "ts", sizeof push, spec, 3,
                                    error);
  if (pipeline == NULL)
    return FALSE;
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, hone_gpu_div_up (n, wg), 1, 1, label, error);
}
