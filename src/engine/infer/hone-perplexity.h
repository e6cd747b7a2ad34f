/* hone-perplexity.h — how well a model (with or without an adapter) predicts a text.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokens are cut into windows of n_ctx; in each window every token after the first is
 * predicted from those before it in the window, and perplexity = exp (mean −log p). One
 * window per step, so a long text can be measured as a job that reports progress and can
 * be cancelled between windows.
 */
#pragma once

#include "infer/hone-infer.h"

G_BEGIN_DECLS

typedef struct _HonePerplexity HonePerplexity;

/* One text: @ids (n ≥ 2) are copied and every token after the first is scored; @adapter
 * −1 for the base model. */
HonePerplexity *hone_perplexity_new        (HoneInferModel  *model,
                                            gint             adapter,
                                            const guint32   *ids,
                                            guint            n,
                                            guint            n_ctx,
                                            GError         **error);
/* No text yet: segments are added with hone_perplexity_add (e.g. one per conversation of
 * a validation split); windows never cross from one segment into the next. */
HonePerplexity *hone_perplexity_new_segments (HoneInferModel *model,
                                            gint             adapter,
                                            guint            n_ctx,
                                            GError         **error);
/* A segment of @n tokens; with @mask (n bytes), only the tokens whose mask is set are
 * scored as targets (a chat's assistant replies), else all but the first. */
void            hone_perplexity_add        (HonePerplexity  *self,
                                            const guint32   *ids,
                                            const guint8    *mask,
                                            guint            n);
void            hone_perplexity_free       (HonePerplexity  *self);
/* Runs the next window; *done becomes TRUE after the last one. */
gboolean        hone_perplexity_step       (HonePerplexity  *self,
                                            gboolean        *done,
                                            GError         **error);
/* Share of the tokens scored so far, 0 … 1. */
double          hone_perplexity_get_progress (HonePerplexity *self);
guint           hone_perplexity_get_n_scored (HonePerplexity *self);
/* exp (mean −log p) over the tokens scored so far (NAN before the first step). */
double          hone_perplexity_get_value  (HonePerplexity  *self);
/* Mean −log p (nats per token). */
double          hone_perplexity_get_mean_nll (HonePerplexity *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HonePerplexity, hone_perplexity_free)

G_END_DECLS
