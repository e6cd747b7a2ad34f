/* hone-chart-series.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart-series"

#include "config.h"

#include "hone-chart-series.h"

struct _HoneChartSeries
{
  GObject  parent_instance;

  char    *name;
  GArray  *x;   /* (element-type double) */
  GArray  *y;   /* (element-type double) */
};

G_DEFINE_FINAL_TYPE (HoneChartSeries, hone_chart_series, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hone_chart_series_finalize (GObject *object)
{
  HoneChartSeries *self = HONE_CHART_SERIES (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->x, g_array_unref);
  g_clear_pointer (&self->y, g_array_unref);

  G_OBJECT_CLASS (hone_chart_series_parent_class)->finalize (object);
}

static void
hone_chart_series_class_init (HoneChartSeriesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hone_chart_series_finalize;

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hone_chart_series_init (HoneChartSeries *self)
{
  self->x = g_array_new (FALSE, FALSE, sizeof (double));
  self->y = g_array_new (FALSE, FALSE, sizeof (double));
}

HoneChartSeries *
hone_chart_series_new (const char *name)
{
  HoneChartSeries *self = g_object_new (HONE_TYPE_CHART_SERIES, NULL);

  self->name = g_strdup (name);

  return self;
}

const char *
hone_chart_series_get_name (HoneChartSeries *self)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (self), NULL);

  return self->name;
}

void
hone_chart_series_set_values (HoneChartSeries *self,
                              const double    *y,
                              guint            n)
{
  g_return_if_fail (HONE_IS_CHART_SERIES (self));
  g_return_if_fail (y != NULL || n == 0);

  g_array_set_size (self->x, 0);
  g_array_set_size (self->y, 0);
  for (guint i = 0; i < n; i++)
    {
      double x = i;

      g_array_append_val (self->x, x);
    }
  g_array_append_vals (self->y, y, n);

  g_signal_emit (self, signals[CHANGED], 0);
}

void
hone_chart_series_append (HoneChartSeries *self,
                          double           x,
                          double           y)
{
  g_return_if_fail (HONE_IS_CHART_SERIES (self));

  g_array_append_val (self->x, x);
  g_array_append_val (self->y, y);

  g_signal_emit (self, signals[CHANGED], 0);
}

guint
hone_chart_series_get_n (HoneChartSeries *self)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (self), 0);

  return self->y->len;
}

const double *
hone_chart_series_get_x (HoneChartSeries *self)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (self), NULL);

  return (const double *) (gpointer) self->x->data;
}

const double *
hone_chart_series_get_y (HoneChartSeries *self)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (self), NULL);

  return (const double *) (gpointer) self->y->data;
}

gboolean
hone_chart_series_get_range (HoneChartSeries *self,
                             double          *min_y,
                             double          *max_y)
{
  const double *y;

  g_return_val_if_fail (HONE_IS_CHART_SERIES (self), FALSE);

  if (self->y->len == 0)
    return FALSE;

  y = hone_chart_series_get_y (self);
  *min_y = *max_y = y[0];
  for (guint i = 1; i < self->y->len; i++)
    {
      *min_y = MIN (*min_y, y[i]);
      *max_y = MAX (*max_y, y[i]);
    }

  return TRUE;
}
