/* hone-op-kv.c — the KV cache of inference: storing rows (shaders/kv_store.comp) and
 * causal attention of new tokens against it (shaders/attention_cached.comp).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-ops"

#include "config.h"

#include "hone-ops-private.h"
#include <stdlib.h> /*KVX*/

/* Below this many (query, head) rows, a workgroup per row splits the positions: with one
 * invocation per row a decode step of Hq = 4…32 heads is one to four workgroups, which
 * leaves cores idle on lavapipe (and nearly all of a GPU). */
#define SPLIT_BELOW_ROWS 128
/* The split workgroup (attention_cached.comp's MAX_SPLIT) and its default. */
#define SPLIT_MAX 64
#define SPLIT_DEFAULT 64
/* Lavapipe cuts an outermost loop short after about 65 535 iterations (one per position
 * here): rows that see more positions take the split kernel, which divides them by W. */
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
  push.n_pairs = (guint32) (count / 2);
  push.first_pair = (guint32) ((gsize) pos0 * row / 2);
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream), "kv_store_f16", "ts",
                                    sizeof push, spec, 3, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (hone_gpu_div_up (count / 2, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
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
  guint64 rows = (guint64) n * hq, visible = (guint64) pos0 + n;
  gboolean split = (g_getenv ("KVX_SPLIT") ? atoi (g_getenv ("KVX_SPLIT")) : rows < SPLIT_BELOW_ROWS) || visible > LOOP_LIMIT; /*KVX*/
  guint wg = split ? MIN (hone_ops_workgroup (config, g_getenv ("KVX_W") ? atoi (g_getenv ("KVX_W")) : SPLIT_DEFAULT), SPLIT_MAX)
                   : hone_ops_workgroup (config, g_getenv ("KVX_RW") ? atoi (g_getenv ("KVX_RW")) : 8); /*KVX*/
  gint32 spec[4] = { (gint32) wg, 1, 1, (gint32) d / 4 };
  CachedPush push = { n, pos0, hq, hkv, scale };
  HoneGpuAccess cache_access = f16 ? HONE_GPU_TEXEL_RGBA32UI : HONE_GPU_TEXEL_RGBA32F;
  HoneGpuBinding bindings[] = {
    { q, HONE_GPU_TEXEL_RGBA32F, 0, 0 },
    { k_cache, cache_access, 0, 0 },
    { v_cache, cache_access, 0, 0 },
    { out, HONE_GPU_STORAGE_WRITE, 0, 0 },
  };
  gsize cache_bytes = (gsize) visible * hkv * d * (f16 ? 2 : 4);
  HoneGpuPipeline *pipeline;
  guint32 gx, gy;
  g_autofree char *label = g_strdup_printf ("attention_cached%s_%s n%u at %u h%u/%u d%u",
                                            split ? "_split" : "", f16 ? "f16" : "f32", n, pos0,
                                            hq, hkv, d);

  g_return_val_if_fail (stream != NULL, FALSE);
  if (n == 0 || hq == 0)
    return TRUE;
  /* The texel and flat indices are 32-bit; a split invocation walks visible / W positions. */
  if (hkv == 0 || hq % hkv != 0 || d == 0 || d > 256 || d % (f16 ? 8 : 4) != 0
      || (cache_dtype != HONE_DTYPE_F32 && !f16)
      || (guint64) visible * hkv * d > G_MAXINT32 || rows * d > G_MAXINT32
      || (visible + wg - 1) / wg > LOOP_LIMIT)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: needs Hq a multiple of Hkv, D a multiple of %u up to 256 and a cache "
                   "of fewer than 2³¹ elements", label, f16 ? 8 : 4);
      return FALSE;
    }
  if (!hone_ops_check_size (q, (gsize) rows * d * 4, label, error)
      || !hone_ops_check_size (k_cache, cache_bytes, label, error)
      || !hone_ops_check_size (v_cache, cache_bytes, label, error)
      || !hone_ops_check_size (out, (gsize) rows * d * 4, label, error))
    return FALSE;
  pipeline = hone_gpu_pipeline_get (hone_gpu_stream_get_device (stream),
                                    split ? (f16 ? "attention_cached_split_f16"
                                                 : "attention_cached_split_f32")
                                          : (f16 ? "attention_cached_f16"
                                                 : "attention_cached_f32"),
                                    "ttts", sizeof push, spec, 4, error);
  if (pipeline == NULL)
    return FALSE;
  hone_ops_grid (split ? rows : hone_gpu_div_up (rows, wg), &gx, &gy);
  return hone_gpu_stream_dispatch (stream, pipeline, bindings, G_N_ELEMENTS (bindings), &push,
                                   sizeof push, gx, gy, 1, label, error);
}
