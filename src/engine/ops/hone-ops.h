/* hone-ops.h — the kernels: one C wrapper per kernel family over shaders/<family>.comp.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every op records into a HoneGpuStream (nothing runs until hone_gpu_stream_submit), so a
 * whole layer or training step is one command buffer with barriers only where one op reads
 * what another wrote. Arguments follow style.md: the stream, outputs, saved activations,
 * inputs, weights, sizes, then the configuration and the error. Backward ops that produce
 * weight gradients ACCUMULATE into them (dw += …): zero them first with
 * hone_gpu_stream_fill (stream, dw, 0, 0, 0).
 *
 * Tensors are whole HoneGpuBuffers, row-major, f32 unless said otherwise. Buffers are
 * padded to 16 bytes by the runtime, which the vec4 kernels rely on.
 *
 * Adding a kernel family: shaders/<family>.comp + its variants in shaders/meson.build;
 * src/engine/ops/hone-op-<family>.c with the wrapper (see hone-op-eltwise.c for the
 * smallest one), declared here; tests/ref/hone-ref-<family>.c with the naive CPU reference
 * in double; tests/test-op-<family>.c comparing them under two configurations.
 */
#pragma once

#include "gpu/hone-gpu.h"
#include "model/hone-ggml.h"

G_BEGIN_DECLS

typedef enum
{
  HONE_DTYPE_F32,
  HONE_DTYPE_F16,
} HoneDtype;

/* Launch shape for the simple kernels. 0 = the kernel's default; tests run each kernel
 * under at least two different values. */
typedef struct
{
  guint workgroup_size;
} HoneOpConfig;

/* ---- matmul ------------------------------------------------------------------------- */

/* One operand of a matmul: the logical matrix is (rows, cols) of op(X); @transposed says
 * it is stored as its transpose. @ld is the stored row stride in elements (0 = dense). */
typedef struct
{
  HoneGpuBuffer *buffer;
  gsize          offset;       /* bytes, a multiple of 16 */
  HoneDtype      dtype;        /* A and B: f32 or f16; C: f32 */
  gboolean       transposed;
  guint          ld;
  gsize          batch_stride; /* elements between batch matrices (batch > 1) */
} HoneMatrix;

typedef enum
{
  HONE_MATMUL_AUTO,    /* texel on CPU devices, tiled on GPUs */
  HONE_MATMUL_TEXEL,   /* register-blocked, texel-buffer reads (lavapipe); x·Wᵀ with at
                        * most 4 rows of x (decode) streams W in matvec.comp */
  HONE_MATMUL_TILED,   /* shared-memory tiles (real GPUs) */
} HoneMatmulVariant;

typedef struct
{
  HoneMatmulVariant variant;
  guint             wg_x, wg_y;   /* workgroup size (0 = default: 16×2 texel, 16×16 tiled) */
  guint             rm, rn, bk;   /* tiled only: outputs per invocation, k slice (4, 4, 16) */
} HoneMatmulConfig;

/* C (M, N) = alpha · op(A) (M, K) · op(B) (K, N) + beta · C, f32 accumulation, for
 * @batch matrices in a row. beta = 0 never reads C. */
gboolean hone_op_matmul            (HoneGpuStream          *stream,
                                    const HoneMatrix       *c,
                                    const HoneMatrix       *a,
                                    const HoneMatrix       *b,
                                    guint                   m,
                                    guint                   n,
                                    guint                   k,
                                    guint                   batch,
                                    float                   alpha,
                                    float                   beta,
                                    const HoneMatmulConfig *config,
                                    GError                **error);

/* ---- element-wise ------------------------------------------------------------------- */

/* out (n) = a (n) + b (n); @out may be @a (in place). */
gboolean hone_op_add               (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *out,
                                    HoneGpuBuffer      *a,
                                    HoneGpuBuffer      *b,
                                    gsize               n,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* h (n) = silu (g) · u */
gboolean hone_op_swiglu_forward    (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *h,
                                    HoneGpuBuffer      *g,
                                    HoneGpuBuffer      *u,
                                    gsize               n,
                                    const HoneOpConfig *config,
                                    GError            **error);
/* dg (n), du (n) from the saved g, u and the incoming dh (n); overwrites dg and du. */
gboolean hone_op_swiglu_backward   (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *dg,
                                    HoneGpuBuffer      *du,
                                    HoneGpuBuffer      *g,
                                    HoneGpuBuffer      *u,
                                    HoneGpuBuffer      *dh,
                                    gsize               n,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* ---- RMSNorm ------------------------------------------------------------------------ */

/* y (T, C) = x · rstd · w, saving rstd (T). */
gboolean hone_op_rmsnorm_forward   (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *y,
                                    HoneGpuBuffer      *rstd,
                                    HoneGpuBuffer      *x,
                                    HoneGpuBuffer      *w,
                                    guint               t,
                                    guint               c,
                                    float               eps,
                                    const HoneOpConfig *config,
                                    GError            **error);
/* dx (T, C) overwritten; dw (C) accumulated (may be NULL for a frozen weight). */
gboolean hone_op_rmsnorm_backward  (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *dx,
                                    HoneGpuBuffer      *dw,
                                    HoneGpuBuffer      *rstd,
                                    HoneGpuBuffer      *x,
                                    HoneGpuBuffer      *w,
                                    HoneGpuBuffer      *dy,
                                    guint               t,
                                    guint               c,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* ---- RoPE --------------------------------------------------------------------------- */

typedef enum
{
  HONE_ROPE_NORMAL,   /* adjacent pairs (2i, 2i+1): GGUF llama */
  HONE_ROPE_NEOX,     /* half split (i, i + D/2): NeoX, Hugging Face */
} HoneRopeStyle;

/* y (T, H, D) = rotate (x) by pos (T, uint32) · base^(−2i/D); y may be x. */
gboolean hone_op_rope_forward      (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *y,
                                    HoneGpuBuffer      *x,
                                    HoneGpuBuffer      *pos,
                                    guint               t,
                                    guint               h,
                                    guint               d,
                                    float               base,
                                    HoneRopeStyle       style,
                                    const HoneOpConfig *config,
                                    GError            **error);
/* dx (T, H, D) = the inverse rotation of dy; dx may be dy. */
gboolean hone_op_rope_backward     (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *dx,
                                    HoneGpuBuffer      *dy,
                                    HoneGpuBuffer      *pos,
                                    guint               t,
                                    guint               h,
                                    guint               d,
                                    float               base,
                                    HoneRopeStyle       style,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* RoPE with frequency scaling. Pair i of a head turns by
 *   pos · freq_scale · base^(−2i/D) / freq_factors[i]
 * freq_scale = 1 / the linear scaling factor (1 = none); freq_factors (D / 2, f32) are the
 * per-frequency divisors of Llama 3.x (GGUF rope_freqs.weight), NULL for none. */
typedef struct
{
  float          base;          /* theta */
  HoneRopeStyle  style;
  float          freq_scale;    /* positions are multiplied by it: 1 / linear factor; 1 = none */
  HoneGpuBuffer *freq_factors;  /* (D / 2) f32 divisors of each frequency, or NULL */
} HoneRopeParams;

/* y (T, H, D) = rotate (x) by pos (T, uint32) as @params says; y may be x. */
gboolean hone_op_rope_forward_params  (HoneGpuStream        *stream,
                                       HoneGpuBuffer        *y,
                                       HoneGpuBuffer        *x,
                                       HoneGpuBuffer        *pos,
                                       guint                 t,
                                       guint                 h,
                                       guint                 d,
                                       const HoneRopeParams *params,
                                       const HoneOpConfig   *config,
                                       GError              **error);
/* dx (T, H, D) = the inverse rotation of dy; dx may be dy. */
gboolean hone_op_rope_backward_params (HoneGpuStream        *stream,
                                       HoneGpuBuffer        *dx,
                                       HoneGpuBuffer        *dy,
                                       HoneGpuBuffer        *pos,
                                       guint                 t,
                                       guint                 h,
                                       guint                 d,
                                       const HoneRopeParams *params,
                                       const HoneOpConfig   *config,
                                       GError              **error);

/* ---- embedding ---------------------------------------------------------------------- */

/* out (T, C) = w[ids[t]] for ids (T, uint32) into w (V, C); an id ≥ V gives zeros. */
gboolean hone_op_embed_forward     (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *out,
                                    HoneGpuBuffer      *ids,
                                    HoneGpuBuffer      *w,
                                    guint               t,
                                    guint               c,
                                    guint               v,
                                    const HoneOpConfig *config,
                                    GError            **error);
/* dw (V, C) += scatter of dout (T, C) by ids; deterministic. */
gboolean hone_op_embed_backward    (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *dw,
                                    HoneGpuBuffer      *ids,
                                    HoneGpuBuffer      *dout,
                                    guint               t,
                                    guint               c,
                                    guint               v,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* ---- optimizer --------------------------------------------------------------------- */

typedef struct
{
  float lr;
  float beta1, beta2, eps;
  float weight_decay;
  guint step;           /* 1 for the first step: the bias corrections use it */
  float grad_scale;     /* multiplies the gradient (clipping); 0 is taken as 1 */
} HoneAdamW;

/* One AdamW step over params (n), in place, with its moments m (n) and v (n) (zero before
 * the first step) and the gradient grad (n). */
gboolean hone_op_adamw             (HoneGpuStream      *stream,
                                    HoneGpuBuffer      *params,
                                    HoneGpuBuffer      *m,
                                    HoneGpuBuffer      *v,
                                    HoneGpuBuffer      *grad,
                                    gsize               n,
                                    const HoneAdamW    *hyper,
                                    const HoneOpConfig *config,
                                    GError            **error);

/* ---- cross-entropy ----------------------------------------------------------------- */

/* The loss of a batch of T tokens computed in chunks of rows, so that only one chunk of
 * logits (Tc, V) exists at a time: for each chunk (rows row0 … row0+Tc−1 of the batch),
 * compute its logits, call hone_op_cross_entropy_chunk, back-propagate dlogits, reuse the
 * buffers for the next chunk; after the last one, hone_op_cross_entropy_mean.
 *
 * targets (T, uint32) and mask (T, uint32; 0 = not counted) cover the whole batch; a target
 * ≥ V counts as masked. losses (T) receives each token's −log softmax (logits)[target]
 * (0 where masked) at rows row0…; dlogits (Tc, V) is overwritten with the gradient of the
 * mean loss, scale · (softmax − onehot) on counted rows and 0 elsewhere, where @scale is
 * 1 / (the number of counted tokens in the whole batch), or 0 when there are none.
 * Log-sum-exp is computed with a running maximum, so any finite logits are safe.
 * dlogits must not be logits. scratch holds hone_op_cross_entropy_scratch_size (Tc, V)
 * bytes (per-slice partial sums and each row's log-sum-exp). Three dispatches; no
 * invocation loops over more than 1024 fetches of a row (lavapipe's loop limit). */
gsize    hone_op_cross_entropy_scratch_size (guint            tc,
                                             guint            v);
gboolean hone_op_cross_entropy_chunk (HoneGpuStream      *stream,
                                      HoneGpuBuffer      *dlogits,
                                      HoneGpuBuffer      *losses,
                                      HoneGpuBuffer      *scratch,
                                      HoneGpuBuffer      *logits,
                                      HoneGpuBuffer      *targets,
                                      HoneGpuBuffer      *mask,
                                      guint               row0,
                                      guint               tc,
                                      guint               t,
                                      guint               v,
                                      float               scale,
                                      const HoneOpConfig *config,
                                      GError            **error);
/* loss (1) = scale · Σ losses (T), summed in a fixed order: the mean loss over counted
 * tokens when scale is that of the chunks. T ≤ 60000 (one invocation sums them; lavapipe's
 * loop limit), HONE_GPU_ERROR_UNSUPPORTED beyond. */
gboolean hone_op_cross_entropy_mean  (HoneGpuStream      *stream,
                                      HoneGpuBuffer      *loss,
                                      HoneGpuBuffer      *losses,
                                      guint               t,
                                      float               scale,
                                      GError            **error);

/* ---- sampling (decode) ------------------------------------------------------------- */

typedef struct
{
  float temperature;   /* 0: greedy (argmax, the lowest index among equal maxima) */
  guint top_k;         /* keep the k most likely (ties with the k-th kept); 0: off */
  float top_p;         /* then the smallest most-likely set holding top_p of the mass; 1: off */
  float min_p;         /* and only tokens with p ≥ min_p · p_max; 0: off */
} HoneSampling;

/* Samples token (1, uint32) from logits (V) for one sequence, writing the filtered,
 * renormalised distribution probs (V) (zero outside the kept set; one-hot when greedy).
 * @u, uniform in [0, 1), picks the token: the first in index order whose running sum of
 * probs exceeds u. scratch holds hone_op_sample_scratch_size (V) bytes. One dispatch of one
 * workgroup (at least ⌈V / 2048⌉ invocations, the configuration's size raised to that; at
 * most 256, so V ≤ 524288), plus 62 small ones for top-k and 64 for top-p (a
 * bitwise threshold search); the same inputs give the same token on every run
 * (shaders/sample.comp and sample_search.comp explain the design). */
gsize    hone_op_sample_scratch_size (guint               v);
gboolean hone_op_sample              (HoneGpuStream      *stream,
                                      HoneGpuBuffer      *token,
                                      HoneGpuBuffer      *probs,
                                      HoneGpuBuffer      *scratch,
                                      HoneGpuBuffer      *logits,
                                      guint               v,
                                      const HoneSampling *sampling,
                                      float               u,
                                      const HoneOpConfig *config,
                                      GError            **error);
/* logits (V) in place: each distinct token of ids (n, uint32; ids ≥ V ignored) has its
 * logit divided by @penalty when positive, multiplied by it otherwise (CTRL's rule).
 * n ≤ 60000 (lavapipe's loop limit), HONE_GPU_ERROR_UNSUPPORTED beyond. */
gboolean hone_op_repetition_penalty  (HoneGpuStream      *stream,
                                      HoneGpuBuffer      *logits,
                                      HoneGpuBuffer      *ids,
                                      guint               n,
                                      guint               v,
                                      float               penalty,
                                      const HoneOpConfig *config,
                                      GError            **error);

/* ---- quantized weights (decode) ---------------------------------------------------- */

/* The weight types the quantized kernels read, as GGUF stores them (ggml's layouts; the
 * exact math is hone_ggml_dequantize's). K, the row length, must be a multiple of the
 * block size given here; other shapes are refused with HONE_GPU_ERROR_UNSUPPORTED. */
typedef enum
{
  HONE_QUANT_Q8_0,   /* ggml q8_0: 34-byte blocks of 32, f16 d + 32 int8, w = d·q; K % 32 */
  HONE_QUANT_Q4_0,   /* ggml q4_0: 18-byte blocks of 32, f16 d + 16 bytes of nibbles; K % 32 */
  HONE_QUANT_Q4_K,   /* ggml q4_K: 144-byte super-blocks of 256, 4-bit q, 6-bit scales and
                      * mins; K % 256 */
  HONE_QUANT_Q5_K,   /* ggml q5_K: 176-byte super-blocks of 256, 5-bit q; K % 256 */
  HONE_QUANT_Q6_K,   /* ggml q6_K: 210-byte super-blocks of 256, 6-bit q, int8 scales;
                      * K % 256 */
  HONE_QUANT_BF16,   /* rows of bfloat16 (2 bytes an element, no blocks); K % 32 */
} HoneQuantType;

/* The HoneQuantType reading GGUF tensors of @type: TRUE (and *out set) for q8_0, q4_0,
 * q4_K, q5_K, q6_K and bf16, FALSE for every other type. */
gboolean hone_op_quant_type_from_ggml  (HoneGgmlType        type,
                                        HoneQuantType      *out);
/* Elements per block of @type (32 or 256): K must be a multiple of it. */
guint    hone_op_quant_block_size      (HoneQuantType       type);
/* Bytes of a (N, K) weight of @type, as GGUF stores it (rows of K/block-size blocks). */
gsize    hone_op_quant_bytes           (HoneQuantType       type,
                                        guint               n,
                                        guint               k);
/* y (M, N) = x (M, K) · Wᵀ with W (N, K) quantized, dequantized in the shader bit-exactly
 * as hone_ggml_dequantize does; streams W once per row of x (decode: M small). K a multiple
 * of the block size (32, or 256 for the k-quants), M ≤ 65535. */
gboolean hone_op_matvec_quant_forward  (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *y,
                                        HoneGpuBuffer      *x,
                                        HoneGpuBuffer      *w,
                                        HoneQuantType       type,
                                        guint               m,
                                        guint               n,
                                        guint               k,
                                        const HoneOpConfig *config,
                                        GError            **error);
/* dx (M, K) = dy (M, N) · W, overwritten; W is frozen (no weight gradient). N ≤ 65535
 * (lavapipe's loop limit). */
gboolean hone_op_matvec_quant_backward (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *dx,
                                        HoneGpuBuffer      *dy,
                                        HoneGpuBuffer      *w,
                                        HoneQuantType       type,
                                        guint               m,
                                        guint               n,
                                        guint               k,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* Batched (training, prefill) counterparts, register-blocked so each dequantized block is
 * used for 8 rows of x (dy) at once (shaders/matmul_quant.comp); the same bit-exact
 * dequantization, W read as GGUF stores it. y (M, N) = x (M, K) · Wᵀ and dx (M, K) =
 * dy (M, N) · W, both overwritten. @config: wg_x, wg_y (0: 16×2); the rest is ignored.
 * K a multiple of the block size, M ≤ 65535 · 8 · wg_y; backward N ≤ 65535 (lavapipe's
 * loop limit). */
gboolean hone_op_matmul_quant_forward  (HoneGpuStream          *stream,
                                        HoneGpuBuffer          *y,
                                        HoneGpuBuffer          *x,
                                        HoneGpuBuffer          *w,
                                        HoneQuantType           type,
                                        guint                   m,
                                        guint                   n,
                                        guint                   k,
                                        const HoneMatmulConfig *config,
                                        GError                **error);
gboolean hone_op_matmul_quant_backward (HoneGpuStream          *stream,
                                        HoneGpuBuffer          *dx,
                                        HoneGpuBuffer          *dy,
                                        HoneGpuBuffer          *w,
                                        HoneQuantType           type,
                                        guint                   m,
                                        guint                   n,
                                        guint                   k,
                                        const HoneMatmulConfig *config,
                                        GError                **error);

/* ---- bias, gradient norm ----------------------------------------------------------- */

/* y (T, C) = x (T, C) + b (C); y may be x. */
gboolean hone_op_bias_forward          (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *y,
                                        HoneGpuBuffer      *x,
                                        HoneGpuBuffer      *b,
                                        guint               t,
                                        guint               c,
                                        const HoneOpConfig *config,
                                        GError            **error);
/* db (C) += Σ_t dy (T, C), deterministic; dx = dy needs no kernel. T ≤ 65535. */
gboolean hone_op_bias_backward         (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *db,
                                        HoneGpuBuffer      *dy,
                                        guint               t,
                                        guint               c,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* Bytes of scratch hone_op_grad_norm_clip needs for tensors of @sizes elements. */
gsize    hone_op_grad_norm_scratch_size (const gsize       *sizes,
                                         guint              n_tensors);
/* out (2) = { ‖all grads‖₂, the clip scale } over the n_tensors buffers grads[i] (sizes[i]
 * elements each), summed in a fixed order; when max_norm > 0 every gradient is then
 * multiplied in place by the scale, max_norm / (norm + 1e-6) when norm > max_norm, else 1
 * (the device applies it: no read-back). At most 65535 · 4096 elements in all. */
gboolean hone_op_grad_norm_clip        (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *out,
                                        HoneGpuBuffer      *scratch,
                                        HoneGpuBuffer     **grads,
                                        const gsize        *sizes,
                                        guint               n_tensors,
                                        float               max_norm,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* ---- dropout ------------------------------------------------------------------------ */

/* out (n) = in (n) · mask / (1 − p), the mask drawn from Philox4x32-10 keyed by @seed with
 * counter (i / 4, @step): the same (seed, step) gives the same mask on every device and
 * run. Forward on x, backward on dy with the same seed and step. out may be in. */
gboolean hone_op_dropout               (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *out,
                                        HoneGpuBuffer      *in,
                                        gsize               n,
                                        float               p,
                                        guint64             seed,
                                        guint32             step,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* ---- KV cache (inference) ---------------------------------------------------------- */

/* Writes the n rows of src (n, row, f32) into rows pos0 … pos0 + n − 1 of @cache, an
 * (S, row) cache of @cache_dtype: f32 a copy, f16 rounded to nearest, ties to even (done
 * with integer operations, so every device writes the same bits; row even). */
gboolean hone_op_kv_store              (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *cache,
                                        HoneDtype           cache_dtype,
                                        HoneGpuBuffer      *src,
                                        guint               pos0,
                                        guint               n,
                                        guint               row,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* Causal attention of n new query tokens at positions pos0 … pos0 + n − 1 against a KV
 * cache that already holds them (hone_op_kv_store first): q (n, Hq, D) f32; k_cache,
 * v_cache (S ≥ pos0 + n, Hkv, D) of @cache_dtype; query i sees the keys 0 … pos0 + i;
 * out (n, Hq, D) f32, scores scale · q·k, grouped-query heads (head h reads KV head
 * h / (Hq / Hkv)). Prefill (n > 1) and decode (n = 1) both: one invocation per query and
 * group of heads for many rows, else one subgroup per row splitting its positions
 * (flash-decoding, merged with subgroup arithmetic) so that a decode step fills every
 * core, and for any row that sees more than 65 535 positions (lavapipe's loop limit).
 * config->workgroup_size: the per-row kernel's workgroup (default 8), or the split one's
 * (default the subgroup size). D % 4 == 0 (f32) or D % 8 == 0 (f16), D ≤ 256, Hq a
 * multiple of Hkv; HONE_GPU_ERROR_UNSUPPORTED otherwise. */
gboolean hone_op_attention_cached      (HoneGpuStream      *stream,
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
                                        GError            **error);

/* ---- attention ---------------------------------------------------------------------- */

/* Decode: out (H, D) = softmax (q·Kᵀ / √D) · V for one query token q (H, D) against the
 * cache k_cache, v_cache (S, Hkv, D) (every cached position visible), grouped-query heads
 * (head h reads KV head h / (H / Hkv)); lse (H) = the log-sum-exp of the scores. D % 4 == 0,
 * D ≤ 256. */
gboolean hone_op_attention_decode      (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *out,
                                        HoneGpuBuffer      *lse,
                                        HoneGpuBuffer      *q,
                                        HoneGpuBuffer      *k_cache,
                                        HoneGpuBuffer      *v_cache,
                                        guint               h,
                                        guint               hkv,
                                        guint               d,
                                        guint               s,
                                        const HoneOpConfig *config,
                                        GError            **error);

/* Training: causal attention over a packed batch of T tokens. q (T, Hq, D); k, v (T, Hkv, D)
 * with grouped-query heads (head h reads KV head h / (Hq / Hkv)); seq_start (T, uint32)
 * gives the index of the first token of each token's sequence (sequences contiguous, so
 * seq_start[t] ≤ t), and token i attends to the keys j with seq_start[i] ≤ j ≤ i, scores
 * scale · q·k. Forward writes out (T, Hq, D) and lse (T, Hq), the log-sum-exp of each row;
 * one invocation per (token, head) streams over its keys with an online softmax, so
 * memory is linear in T. D % 4 == 0, D ≤ 256, T · (Hq / Hkv) ≤ 65535 (lavapipe's loop
 * limit); HONE_GPU_ERROR_UNSUPPORTED otherwise. */
gboolean hone_op_attention_forward     (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *out,
                                        HoneGpuBuffer      *lse,
                                        HoneGpuBuffer      *q,
                                        HoneGpuBuffer      *k,
                                        HoneGpuBuffer      *v,
                                        HoneGpuBuffer      *seq_start,
                                        guint               t,
                                        guint               hq,
                                        guint               hkv,
                                        guint               d,
                                        float               scale,
                                        const HoneOpConfig *config,
                                        GError            **error);
/* dq (T, Hq, D), dk, dv (T, Hkv, D), all overwritten, from the saved out and lse and the
 * incoming dout (T, Hq, D); the probabilities are recomputed from lse. delta (T, Hq) is
 * scratch (it receives rowsum (dout · out)). Two dispatches, dq then dk/dv (summed over the
 * query heads of each group by one invocation per key and KV head): deterministic, no
 * atomics. Same limits as the forward. */
gboolean hone_op_attention_backward    (HoneGpuStream      *stream,
                                        HoneGpuBuffer      *dq,
                                        HoneGpuBuffer      *dk,
                                        HoneGpuBuffer      *dv,
                                        HoneGpuBuffer      *delta,
                                        HoneGpuBuffer      *out,
                                        HoneGpuBuffer      *lse,
                                        HoneGpuBuffer      *q,
                                        HoneGpuBuffer      *k,
                                        HoneGpuBuffer      *v,
                                        HoneGpuBuffer      *dout,
                                        HoneGpuBuffer      *seq_start,
                                        guint               t,
                                        guint               hq,
                                        guint               hkv,
                                        guint               d,
                                        float               scale,
                                        const HoneOpConfig *config,
                                        GError            **error);

G_END_DECLS
