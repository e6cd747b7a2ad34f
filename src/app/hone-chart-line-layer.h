/* hone-chart-line-layer.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line through the series' points, x ascending (training steps). Past two points per
 * pixel it draws each pixel column's lowest and highest value, so 10 000 points cost
 * what the chart's width does.
 */
#pragma once

#include "hone-chart-layer.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHART_LINE_LAYER (hone_chart_line_layer_get_type ())

G_DECLARE_FINAL_TYPE (HoneChartLineLayer, hone_chart_line_layer, HONE, CHART_LINE_LAYER,
                      HoneChartLayer)

HoneChartLayer *hone_chart_line_layer_new (HoneChartSeries *series,
                                           HoneChartAxis   *x_axis,
                                           HoneChartAxis   *y_axis);

G_END_DECLS
