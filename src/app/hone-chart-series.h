/* hone-chart-series.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The numbers a chart shows, apart from how they are scaled (HoneChartAxis) and drawn
 * (HoneChartLayer): pairs of x and y in arrays of doubles, appended to as training
 * runs. "changed" tells the chart to draw again.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HONE_TYPE_CHART_SERIES (hone_chart_series_get_type ())

G_DECLARE_FINAL_TYPE (HoneChartSeries, hone_chart_series, HONE, CHART_SERIES, GObject)

HoneChartSeries *hone_chart_series_new        (const char      *name);
const char      *hone_chart_series_get_name   (HoneChartSeries *self);
/* Replaces the values; x is 0, 1, 2… */
void             hone_chart_series_set_values (HoneChartSeries *self,
                                               const double    *y,
                                               guint            n);
void             hone_chart_series_append     (HoneChartSeries *self,
                                               double           x,
                                               double           y);
guint            hone_chart_series_get_n      (HoneChartSeries *self);
const double    *hone_chart_series_get_x      (HoneChartSeries *self);
const double    *hone_chart_series_get_y      (HoneChartSeries *self);
/* Of the y values; FALSE when the series is empty. */
gboolean         hone_chart_series_get_range  (HoneChartSeries *self,
                                               double          *min_y,
                                               double          *max_y);

G_END_DECLS
