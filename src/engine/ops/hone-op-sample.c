/* hone-op-sample.c — sampling one token from a row of logits, and the repetition penalty
 * (shaders/sample.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

/* sample_search.comp's slice and where the slice sums start in the scratch buffer (256: the
 * largest offset alignment any device asks for). */
#define SEARCH_SLICE 256
#define SCRATCH_PARTS 256

typedef struct
{
  guint32 v;
  float   inv_temperature;
  float   min_p;
  float   u;
  guint32 steps;
} SamplePush;

typedef struct
{
  guint32 v, top_p_mode, bit, top_k;
  float   top_p;
} SearchPush;

gsize
hone_op_sample_scratch_size (guint v)
{
  return SCRATCH_PARTS + (gsize) hone_gpu_div_up (MAX (v, 1), SEARCH_SLICE) * 4;
}

/* One threshold search: 31 rounds (32 for top-p, whose first sets the target). */
static gboolean
record_search (HoneGpuStream *stream,
               HoneGpuBuffer *scratch,
               HoneGpuBuffer *probs,
               guint          v,
               gboolean       top_p_mode,
               guint          top_k,
               float          top_p,
               guint          wg,
               GError       **error)
{
  HoneGpuDevice *device = hone_gpu_stream_get_device (stream);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  gint32 spec1[3] = { 1, 1, 1 };
  guint n_parts = hone_gpu_div_up (v, SEARCH_SLICE);
  HoneGpuPipeline *count, *update;
  HoneGpuBinding count_bindings[] = {
    { scratch, HONE_GPU_STORAGE_READ, 0, 32 },
    { probs, HONE_GPU_TEXEL_R32F, 0, 0 },
    { scratch, HONE_GPU_STORAGE_WRITE, SCRATCH_PARTS, (gsize) n_parts * 4 },
  };
  HoneGpuBinding update_bindings[] = {
    { scratch, HONE_GPU_STORAGE_READ_WRITE, 0, 32 },
    { scratch, HONE_GPU_TEXEL_R32F, SCRATCH_PARTS, (gsize) n_parts * 4 },
  };
  const char *label = top_p_mode ? "sample top-p round" : "sample top-k round";
  guint32 gx, gy;

  count = hone_gpu_pipeline_get (device, "sample_search_count", "sts", sizeof (SearchPush),
                                 spec, 3, error);
  update = count == NULL ? NULL
                         : hone_gpu_pipeline_get (device, "sample_search_update", "st",
                                                  sizeof (SearchPush), spec1, 3, error);
  if (update == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (n_parts, wg), &gx, &gy);
  for (gint bit = top_p_mode ? 31 : 30; bit >= 0; bit--)
    {
      SearchPush push = { v, top_p_mode, (guint32) bit, top_k, top_p };

      if (!hone_gpu_stream_dispatch (stream, count, count_bindings, 3, &push, sizeof push,
                                     gx, gy, 1, label, error)
          || !hone_gpu_stream_dispatch (stream, update, update_bindings, 2, &push, sizeof push,
                                        1, 1, 1, label, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint32 n, v;
  float   penalty;
} PenaltyPush;

gboolean
hone_op_sample (HoneGpuStream      *stream,
                HoneGpuBuffer      *token,
                HoneGpuBuffer      *probs,
                HoneGpuBuffer      *scratch,
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
  SamplePush push = { v, 0.0f, 0.0f, u, 3 };
  HoneGpuBinding bindings[] = {
    { logits, HONE_GPU_TEXEL_R32F, 0, 0 },
    { probs, HONE_GPU_STORAGE_READ_WRITE, 0, 0 },
    { token, HONE_GPU_STORAGE_WRITE, 0, 0 },
    { scratch, HONE_GPU_STORAGE_READ_WRITE, 0, 32 },
  };
  gboolean top_k, top_p;
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
      || !hone_ops_check_size (token, 4, label, error)
      || !hone_ops_check_size (scratch, hone_op_sample_scratch_size (v), label, error))
    return FALSE;
  top_k = sampling->temperature > 0.0f && sampling->top_k > 0 && sampling->top_k < v;
  top_p = sampling->temperature > 0.0f && sampling->top_p < 1.0f;
  if (sampling->temperature > 0.0f)
    {
      push.inv_temperature = 1.0f / sampling->temperature;
      push.min_p = sampling->min_p;
    }
  device = hone_gpu_stream_get_device (stream);
  /* Lavapipe (Mesa 22.3) silently cut loops short over long slices (a workgroup of 5 at
   * V = 151936 drew wrong tokens): keep each invocation's slice within 2048 logits by
   * widening the workgroup, up to SAMPLE_MAX_WG (256) in sample.comp. */
  wg = MAX (wg, hone_gpu_div_up (v, 2048));
  wg = MIN (MIN (wg, 256), hone_gpu_device_get_info (device)->max_workgroup_invocations);
  if (hone_gpu_div_up (v, wg) > 2048)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: a vocabulary over %u tokens", label, 2048 * wg);
      return FALSE;
    }
  spec[0] = (gint32) wg;
  pipeline = hone_gpu_pipeline_get (device, "sample", "tsss", sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  if (!top_k && !top_p)
    return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings),
                                     &push, sizeof push, 1, 1, 1, label, error);
  push.steps = 1;
  if (!hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                 sizeof push, 1, 1, 1, label, error))
    return FALSE;
  if (top_k && !record_search (stream, scratch, probs, v, FALSE, sampling->top_k, 1.0f,
                               hone_ops_workgroup (config, 64), error))
    return FALSE;
  if (top_p && !record_search (stream, scratch, probs, v, TRUE, 0, sampling->top_p,
                               hone_ops_workgroup (config, 64), error))
    return FALSE;
  push.steps = 2;
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
  /* Invocation i looks back over the i ids before it for a repeat: lavapipe (Mesa 22.3)
   * silently ends an invocation's loops after about 65 535 iterations. */
  if (n > 60000)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: at most 60000 recent tokens", label);
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
