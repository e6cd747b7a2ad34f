/* hone-perplexity.c — perplexity in windows, one window per step.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokens of every segment sit in one array with a mask of which count as targets; a
 * window is at most n_ctx tokens of one segment, run from an empty cache, and the logits
 * at position i score token i + 1 when its mask is set.
 */
#define G_LOG_DOMAIN "hone-infer"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "hone-perplexity.h"

struct _HonePerplexity
{
  HoneInferModel   *model;
  gint              adapter;
  HoneInferSession *session;
  GArray           *ids;       /* guint32, all segments */
  GArray           *mask;      /* guint8: token is a target */
  GArray           *ends;      /* guint: the end of each segment in ids */
  guint             n_ctx;
  guint             next;      /* first token of the next window */
  guint             segment;   /* the segment next is in */
  guint             n_scored;
  double            nll_sum;
  float            *logits;    /* (n_ctx, V) */
};

HonePerplexity *
hone_perplexity_new_segments (HoneInferModel *model,
                              gint            adapter,
                              guint           n_ctx,
                              GError        **error)
{
  g_autoptr (HonePerplexity) self = NULL;
  const HoneModelInfo *info;

  g_return_val_if_fail (model != NULL, NULL);

  info = hone_infer_model_get_info (model);
  if (n_ctx == 0)
    n_ctx = MIN (info->context_length ? info->context_length : 512, 512);
  n_ctx = MAX (n_ctx, 2);
  self = g_new0 (HonePerplexity, 1);
  self->model = model;
  self->adapter = adapter;
  self->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->mask = g_array_new (FALSE, FALSE, sizeof (guint8));
  self->ends = g_array_new (FALSE, FALSE, sizeof (guint));
  self->n_ctx = n_ctx;
  self->logits = g_try_new (float, (gsize) n_ctx * info->vocab_size);
  if (self->logits == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory for the logits of %u tokens"), n_ctx);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
hone_perplexity_add (HonePerplexity *self,
                     const guint32  *ids,
                     const guint8   *mask,
                     guint           n)
{
  g_return_if_fail (self != NULL && (ids != NULL || n == 0));

  if (n == 0)
    return;
  g_array_append_vals (self->ids, ids, n);
  for (guint i = 0; i < n; i++)
    {
      guint8 m = mask != NULL ? (mask[i] != 0) : (i > 0);

      g_array_append_val (self->mask, m);
    }
  g_array_append_val (self->ends, self->ids->len);
}

HonePerplexity *
hone_perplexity_new (HoneInferModel *model,
                     gint            adapter,
                     const guint32  *ids,
                     guint           n,
                     guint           n_ctx,
                     GError        **error)
{
  HonePerplexity *self;

  g_return_val_if_fail (model != NULL && ids != NULL, NULL);

  if (n < 2)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_BAD_TOKEN,
                   _("The text is too short to measure: it needs at least two tokens"));
      return NULL;
    }
  self = hone_perplexity_new_segments (model, adapter, MIN (n_ctx ? n_ctx : 512, n), error);
  if (self != NULL)
    hone_perplexity_add (self, ids, NULL, n);
  return self;
}

void
hone_perplexity_free (HonePerplexity *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->session, hone_infer_session_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->mask, g_array_unref);
  g_clear_pointer (&self->ends, g_array_unref);
  g_free (self->logits);
  g_free (self);
}

gboolean
hone_perplexity_step (HonePerplexity *self,
                      gboolean       *done,
                      GError        **error)
{
  const guint32 *ids = (const guint32 *) self->ids->data;
  const guint8 *mask = (const guint8 *) self->mask->data;
  guint v = hone_infer_model_get_info (self->model)->vocab_size;
  guint end, n;

  g_return_val_if_fail (self != NULL && done != NULL, FALSE);

  *done = FALSE;
  if (self->segment >= self->ends->len)
    {
      *done = TRUE;
      return TRUE;
    }
  if (self->session == NULL)
    {
      self->session = hone_infer_session_new (self->model, self->n_ctx, HONE_KV_F32, error);
      if (self->session == NULL)
        return FALSE;
      hone_infer_session_set_adapter (self->session, self->adapter, 1.0f);
    }
  end = g_array_index (self->ends, guint, self->segment);
  n = MIN (self->n_ctx, end - self->next);
  /* A window of one token predicts nothing. */
  if (n >= 2)
    {
      hone_infer_session_truncate (self->session, 0);
      if (!hone_infer_session_eval (self->session, ids + self->next, n, TRUE, self->logits,
                                    error))
        return FALSE;
      for (guint i = 0; i + 1 < n; i++)
        {
          const float *row = self->logits + (gsize) i * v;
          guint target = self->next + i + 1;
          double max = row[0], sum = 0.0;

          if (!mask[target])
            continue;
          for (guint j = 1; j < v; j++)
            max = MAX (max, row[j]);
          for (guint j = 0; j < v; j++)
            sum += exp (row[j] - max);
          self->nll_sum += max + log (sum) - row[ids[target]];
          self->n_scored++;
        }
    }
  self->next += n;
  if (self->next >= end)
    self->segment++;
  *done = self->segment >= self->ends->len;
  return TRUE;
}

double
hone_perplexity_get_progress (HonePerplexity *self)
{
  return self->ids->len ? MIN (1.0, (double) self->next / self->ids->len) : 1.0;
}

guint
hone_perplexity_get_n_scored (HonePerplexity *self)
{
  return self->n_scored;
}

double
hone_perplexity_get_mean_nll (HonePerplexity *self)
{
  return self->n_scored ? self->nll_sum / self->n_scored : NAN;
}

double
hone_perplexity_get_value (HonePerplexity *self)
{
  return exp (hone_perplexity_get_mean_nll (self));
}
