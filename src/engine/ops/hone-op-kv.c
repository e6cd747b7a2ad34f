/* hone-op-kv.c — the KV cache of inference: storing rows (shaders/kv_store.comp) and
 * causal attention of new tokens against it (shaders/attention_cached.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"

/* Below this many rows (query, group of heads), the split kernel takes one workgroup per
 * row and spreads its positions over a subgroup's lanes: with one invocation per row, a
 * decode step of Hq = 4…32 heads is one to four workgroups, which leaves cores idle on
 * lavapipe (and nearly all of a GPU). */
#define SPLIT_BELOW_ROWS 128
/* Lavapipe cuts an outermost loop short after 65 535 iterations (one per position here):
 * rows that see more positions take the split kernel, which divides them by its lanes. */
#define LOOP_LIMIT 65535

typedef struct
{
  guint32 n_pairs, first_pair;
} StorePush;

gboolean
hone_op_kv_store (HoneGpuStream      *stream,
                  HoneGpuBuffer      *cache,
                  HoneDtype           cache_dtype,
                  HoneGpuBuffer      *src,
                  guint               pos0,
                  guint               n,
                  guint               row,
                  const HoneOpConfig *config,
                  GError            **error)
{
  gsize elt = cache_dtype == HONE_DTYPE_F16 ? 2 : 4;
  gsize count = (gsize) n * row;
  guint wg = hone_ops_workgroup (config, 64);
  gint32 spec[3] = { (gint32) wg, 1, 1 };
  StorePush push;
  HoneGpuBinding bindings[] = {
    { src, HONE_GPU_TEXEL_R32F, 0, 0 },
    { cache, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  HoneGpuPipeline *pipeline;
  guint32 gx, gy;
  g_autofree char *label = g_strdup_printf ("kv_store_%s %ux%u at %u",
                                            cache_dtype == HONE_DTYPE_F16 ? "f16" : "f32",
                                            n, row, pos0);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (count == 0)
    return TRUE;
  if (!hone_ops_check_size (src, count * 4, label, error)
      || !hone_ops_check_size (cache, ((gsize) pos0 + n) * row * elt, label, error))
    return FALSE;
  if (cache_dtype == HONE_DTYPE_F32)
    {
      hone_gpu_stream_copy (stream, src, 0, cache, (gsize) pos0 * row * 4, count * 4);
      return TRUE;
    }
  if (row % 2 != 0 || ((guint64) pos0 + n) * row / 2 > G_MAXUINT32)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: an f16 cache needs an even row and fewer than 2³² pairs", label);
      return FALSE;
    }
  /* Bind only the rows written, from the aligned offset below them: a long cache may be
   * larger than one storage binding may be. */
  {
    const HoneGpuDeviceInfo *info = hone_gpu_device_get_info (hone_gpu_stream_get_device (stream));
    gsize align = MAX (info->min_storage_buffer_offset_alignment, 4);
    gsize start = (gsize) pos0 * row * 2, end = start + count * 2;

    bindings[1].offset = start / align * align;
    bindings[1].range = MIN ((end - bindings[1].offset + 3) / 4 * 4,
                             hone_gpu_buffer_get_size (cache) - bindings[1].offset);
    push.first_pair = (guint32) ((start - bindings[1].offset) / 4);
  }
  push.n_pairs = (guint32) (count / 2);
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "kv_store_f16", "ts",
                                    sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (count / 2, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
}

/* How many query heads of a KV group one row serves (attention_cached.comp's GS): each
 * K and V fetch then feeds that many heads, while their q and accumulators (GS · D floats
 * each) still fit in registers: GS · D ≤ 128 (measured on lavapipe at D = 64 with 32/8
 * heads: GS 2 took 20–40% less CPU time than 1, GS 4 spilled and took twice as long). */
static guint
heads_per_row (guint hq,
               guint hkv,
               guint d)
{
  guint group = hq / hkv;
  guint best = 1;

  for (guint gs = 2; gs <= MIN (group, 8); gs++)
    if (group % gs == 0 && gs * d <= 128)
      best = gs;
  return best;
}

typedef struct
{
  guint32 n, pos0, hq, hkv;
  float   scale;
} CachedPush;

gboolean
hone_op_attention_cached (HoneGpuStream      *stream,
                          HoneGpuBuffer      *out,
                          HoneGpuBuffer      *q,
                          HoneGpuBuffer      *k_cache,
                          HoneGpuBuffer      *v_cache,
                          HoneDtype           cache_dtype,
                          guint               n,
                          guint               pos0,
                          guint               hq,
                          guint               hkv,
                          guint               d,
                          float               scale,
                          const HoneOpConfig *config,
                          GError            **error)
{
  gboolean f16 = cache_dtype == HONE_DTYPE_F16;
  guint64 visible = (guint64) pos0 + n;
  const HoneGpuDeviceInfo *info;
  HoneGpuAccess cache_access = f16 ? HONE_GPU_TEXEL_RGBA32UI : HONE_GPU_TEXEL_RGBA32F;
  HoneGpuBinding bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k_cache, cache_access, 0, 0 },
    { v_cache, cache_access, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  CachedPush push = { n, pos0, hq, hkv, scale };
  HoneGpuPipeline *pipeline;
  guint gs, wg, lanes;
  guint64 rows;
  gint32 spec[5];
  gboolean split;
  gsize cache_bytes = (gsize) visible * hkv * d * (f16 ? 2 : 4);
  guint32 gx, gy;
  g_autofree char *label = NULL;

  g_return_val_if_fail (stream != NULL, FALSE);
  label = g_strdup_printf ("attention_cached_%s n%u at %u h%u/%u d%u", f16 ? "f16" : "f32", n,
                           pos0, hq, hkv, d);
  if (n == 0 || hq == 0)
    return TRUE;
  /* The texel and flat indices are 32-bit. */
  if (hkv == 0 || hq % hkv != 0 || d == 0 || d > 256 || d % (f16 ? 8 : 4) != 0
      || (cache_dtype != HONE_DTYPE_F32 && !f16)
      || visible * hkv * d > G_MAXINT32 || (guint64) n * hq * d > G_MAXINT32)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: needs Hq a multiple of Hkv, D a multiple of %u up to 256 and a cache "
                   "of fewer than 2³¹ elements", label, f16 ? 8 : 4);
      return FALSE;
    }
  if (!hone_ops_check_size (q, (gsize) n * hq * d * 4, label, error)
      || !hone_ops_check_size (k_cache, cache_bytes, label, error)
      || !hone_ops_check_size (v_cache, cache_bytes, label, error)
      || !hone_ops_check_size (out, (gsize) n * hq * d * 4, label, error))
    return FALSE;

  info = hone_gpu_device_get_info (hone_gpu_stream_get_device (stream));
  gs = heads_per_row (hq, hkv, d);
  rows = (guint64) n * (hq / gs);
  split = rows < SPLIT_BELOW_ROWS || visible > LOOP_LIMIT;
  /* split: a subgroup per row by default; the lanes that share a row are one subgroup's,
   * however wide the workgroup, and at least the smallest subgroup the device may use */
  wg = hone_ops_workgroup (config, split ? MAX (info->subgroup_size, 1) : 8);
  lanes = split ? MIN (wg, MAX (info->min_subgroup_size, 1)) : 1;
  if ((visible + lanes - 1) / lanes > LOOP_LIMIT)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: %u lanes cannot walk %" G_GUINT64_FORMAT " positions", label, lanes,
                   visible);
      return FALSE;
    }
  g_free (label);
  label = g_strdup_printf ("attention_cached%s_%s n%u at %u h%u/%u d%u", split ? "_split" : "",
                           f16 ? "f16" : "f32", n, pos0, hq, hkv, d);
  spec[0] = (gint32) wg;
  spec[1] = spec[2] = 1;
  spec[3] = (gint32) d / 4;
  spec[4] = (gint32) gs;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream),
                                    split ? (f16 ? "attention_cached_split_f16"
                                                 : "attention_cached_split_f32")
                                          : (f16 ? "attention_cached_f16"
                                                 : "attention_cached_f32"),
                                    "ttts", sizeof push, spec, 5, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (split ? rows : hone_gpu_div_up (rows, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
}
