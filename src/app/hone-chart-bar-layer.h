/* hone-chart-bar-layer.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One bar per value, spread evenly across the plot (categories, histogram bins); the
 * y axis gives the height.
 */
#pragma once

#include "hone-chart-layer.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHART_BAR_LAYER (hone_chart_bar_layer_get_type ())

G_DECLARE_FINAL_TYPE (HoneChartBarLayer, hone_chart_bar_layer, HONE, CHART_BAR_LAYER,
                      HoneChartLayer)

HoneChartLayer *hone_chart_bar_layer_new (HoneChartSeries *series,
                                          HoneChartAxis   *y_axis);

G_END_DECLS
