/* hone-chart-axis.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maps a value to 0..1 along one side of a chart; a range set by hand, or one that
 * grows to hold the series it is told about.
 */
#pragma once

#include <glib-object.h>

#include "hone-chart-series.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHART_AXIS (hone_chart_axis_get_type ())

G_DECLARE_FINAL_TYPE (HoneChartAxis, hone_chart_axis, HONE, CHART_AXIS, GObject)

HoneChartAxis *hone_chart_axis_new          (void);
void           hone_chart_axis_set_range    (HoneChartAxis   *self,
                                             double           min,
                                             double           max);
void           hone_chart_axis_get_range    (HoneChartAxis   *self,
                                             double          *min,
                                             double          *max);
/* Sets the range to the series' y values (with 0 included: counts start at 0). */
void           hone_chart_axis_fit_y        (HoneChartAxis   *self,
                                             HoneChartSeries *series);
/* 0 at min, 1 at max; the middle for an empty range. */
double         hone_chart_axis_value_to_unit (HoneChartAxis  *self,
                                              double          value);

G_END_DECLS
