/* hone-ref.h — naive CPU references for the GPU kernels, accumulating in double.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slow on purpose: plain loops that can be checked by eye. Inputs and outputs are double so
 * that the references can also be differentiated numerically (central differences) to
 * check the backward formulas themselves.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* C (M, N) = alpha · op(A) · op(B) + beta · C; A stored (M, K) or, transposed, (K, M);
 * B stored (K, N) or, transposed, (N, K); dense. */
void hone_ref_matmul            (double       *c,
                                 const double *a,
                                 const double *b,
                                 guint         m,
                                 guint         n,
                                 guint         k,
                                 gboolean      trans_a,
                                 gboolean      trans_b,
                                 double        alpha,
                                 double        beta);

void hone_ref_add               (double *out, const double *a, const double *b, gsize n);
void hone_ref_swiglu_forward    (double *h, const double *g, const double *u, gsize n);
void hone_ref_swiglu_backward   (double       *dg,
                                 double       *du,
                                 const double *g,
                                 const double *u,
                                 const double *dh,
                                 gsize         n);

/* y (T, C), rstd (T) */
void hone_ref_rmsnorm_forward   (double       *y,
                                 double       *rstd,
                                 const double *x,
                                 const double *w,
                                 guint         t,
                                 guint         c,
                                 double        eps);
/* dx (T, C) overwritten, dw (C) accumulated; recomputes rstd from x. */
void hone_ref_rmsnorm_backward  (double       *dx,
                                 double       *dw,
                                 const double *x,
                                 const double *w,
                                 const double *dy,
                                 guint         t,
                                 guint         c,
                                 double        eps);

/* y (T, H, D); neox FALSE: pairs (2i, 2i+1), TRUE: (i, i + D/2); sign −1 = backward. */
void hone_ref_rope              (double        *y,
                                 const double  *x,
                                 const guint32 *pos,
                                 guint          t,
                                 guint          h,
                                 guint          d,
                                 double         base,
                                 gboolean       neox,
                                 double         sign);
/* The same with frequency scaling (hone_op_rope_forward_params): pair i turns by
 * pos · freq_scale · base^(−2i/D) / factors[i]; factors (D/2) may be NULL (all 1). */
void hone_ref_rope_params       (double        *y,
                                 const double  *x,
                                 const guint32 *pos,
                                 guint          t,
                                 guint          h,
                                 guint          d,
                                 double         base,
                                 gboolean       neox,
                                 double         freq_scale,
                                 const double  *factors,
                                 double         sign);

void hone_ref_embed_forward     (double        *out,
                                 const guint32 *ids,
                                 const double  *w,
                                 guint          t,
                                 guint          c,
                                 guint          v);
void hone_ref_embed_backward    (double        *dw,
                                 const guint32 *ids,
                                 const double  *dout,
                                 guint          t,
                                 guint          c,
                                 guint          v);

/* One AdamW step in place (adamw.comp has the formulas). */
void hone_ref_adamw             (double       *p,
                                 double       *m,
                                 double       *v,
                                 const double *grad,
                                 gsize         n,
                                 double        lr,
                                 double        beta1,
                                 double        beta2,
                                 double        eps,
                                 double        weight_decay,
                                 guint         step,
                                 double        grad_scale);

/* Returns the mean over counted tokens (mask ≠ 0 and target < V) of
 * losses (T) = −log softmax (logits (T, V))[target], 0 where not counted; dlogits (T, V) (may
 * be NULL) = its gradient. */
double hone_ref_cross_entropy   (double        *dlogits,
                                 double        *losses,
                                 const double  *logits,
                                 const guint32 *targets,
                                 const guint32 *mask,
                                 guint          t,
                                 guint          v);

/* Sampling as sample.comp describes it (temperature 0: argmax): probs (V) the kept,
 * renormalised distribution; returns the token drawn by u. Sorts, where the kernel searches. */
guint  hone_ref_sample          (double       *probs,
                                 const double *logits,
                                 guint         v,
                                 double        temperature,
                                 guint         top_k,
                                 double        top_p,
                                 double        min_p,
                                 double        u);
void   hone_ref_repetition_penalty (double        *logits,
                                    const guint32 *ids,
                                    guint          n,
                                    guint          v,
                                    double         penalty);

/* y (T, C) = x + b (C); db (C) += Σ_t dy (T, C). */
void   hone_ref_bias_forward    (double       *y,
                                 const double *x,
                                 const double *b,
                                 guint         t,
                                 guint         c);
void   hone_ref_bias_backward   (double       *db,
                                 const double *dy,
                                 guint         t,
                                 guint         c);
/* ‖(grads[0], …, grads[n−1])‖₂ */
double hone_ref_grad_norm       (const double *const *grads,
                                 const gsize         *sizes,
                                 guint                n_tensors);

/* Philox4x32-10 (Salmon et al., Random123): out = philox (counter, key). */
void   hone_ref_philox4x32      (guint32        out[4],
                                 const guint32  counter[4],
                                 const guint32  key[2]);
/* out (n) = in · mask / (1 − p) as dropout.comp computes it; returns the kept count. */
gsize  hone_ref_dropout         (double        *out,
                                 const double  *in,
                                 gsize          n,
                                 double         p,
                                 guint64        seed,
                                 guint32        step);

/* Decode attention (hone_op_attention_decode): out (H, D), lse (H). */
void   hone_ref_attention_decode (double       *out,
                                  double       *lse,
                                  const double *q,
                                  const double *k,
                                  const double *v,
                                  guint         h,
                                  guint         hkv,
                                  guint         d,
                                  guint         s);

/* Attention of n new tokens against a KV cache (hone_op_attention_cached): q, out
 * (n, Hq, D), k, v (≥ pos0 + n, Hkv, D); query i sees the keys 0 … pos0 + i; a naive
 * softmax. An f16 cache is compared by passing k and v rounded to f16 first. */
void   hone_ref_attention_cached   (double       *out,
                                    const double *q,
                                    const double *k,
                                    const double *v,
                                    guint         n,
                                    guint         pos0,
                                    guint         hq,
                                    guint         hkv,
                                    guint         d,
                                    double        scale);

/* Causal packed-batch attention (hone_op_attention_forward): out (T, Hq, D), lse (T, Hq);
 * a naive softmax over the keys seq_start[i] ≤ j ≤ i. */
void   hone_ref_attention_forward  (double        *out,
                                    double        *lse,
                                    const double  *q,
                                    const double  *k,
                                    const double  *v,
                                    const guint32 *seq_start,
                                    guint          t,
                                    guint          hq,
                                    guint          hkv,
                                    guint          d,
                                    double         scale);
/* Its backward: dq (T, Hq, D), dk, dv (T, Hkv, D) overwritten, from dout (T, Hq, D);
 * recomputes the probabilities from q, k, v. */
void   hone_ref_attention_backward (double        *dq,
                                    double        *dk,
                                    double        *dv,
                                    const double  *q,
                                    const double  *k,
                                    const double  *v,
                                    const double  *dout,
                                    const guint32 *seq_start,
                                    guint          t,
                                    guint          hq,
                                    guint          hkv,
                                    guint          d,
                                    double         scale);

G_END_DECLS
