/* hone-chart-axis.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart-axis"

#include "config.h"

#include "hone-chart-axis.h"

struct _HoneChartAxis
{
  GObject parent_instance;

  double  min;
  double  max;
};

G_DEFINE_FINAL_TYPE (HoneChartAxis, hone_chart_axis, G_TYPE_OBJECT)

static void
hone_chart_axis_class_init (HoneChartAxisClass *klass)
{
}

static void
hone_chart_axis_init (HoneChartAxis *self)
{
  self->min = 0;
  self->max = 1;
}

HoneChartAxis *
hone_chart_axis_new (void)
{
  return g_object_new (HONE_TYPE_CHART_AXIS, NULL);
}

void
hone_chart_axis_set_range (HoneChartAxis *self,
                           double         min,
                           double         max)
{
  g_return_if_fail (HONE_IS_CHART_AXIS (self));

  self->min = min;
  self->max = max;
}

void
hone_chart_axis_get_range (HoneChartAxis *self,
                           double        *min,
                           double        *max)
{
  g_return_if_fail (HONE_IS_CHART_AXIS (self));

  *min = self->min;
  *max = self->max;
}

void
hone_chart_axis_fit_y (HoneChartAxis   *self,
                       HoneChartSeries *series)
{
  double lo, hi;

  g_return_if_fail (HONE_IS_CHART_AXIS (self));
  g_return_if_fail (HONE_IS_CHART_SERIES (series));

  if (!hone_chart_series_get_range (series, &lo, &hi))
    lo = hi = 0;

  self->min = MIN (lo, 0);
  self->max = MAX (hi, self->min + 1);
}

double
hone_chart_axis_value_to_unit (HoneChartAxis *self,
                               double         value)
{
  g_return_val_if_fail (HONE_IS_CHART_AXIS (self), 0);

  if (self->max <= self->min)
    return 0.5;

  return (value - self->min) / (self->max - self->min);
}
