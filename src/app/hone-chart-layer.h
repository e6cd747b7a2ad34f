/* hone-chart-layer.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How one series is drawn in a chart's plot area, through two axes. Subclasses draw
 * (bars, lines) and say which value lies under the pointer, for the hover label.
 */
#pragma once

#include <gtk/gtk.h>

#include "hone-chart-axis.h"
#include "hone-chart-series.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHART_LAYER (hone_chart_layer_get_type ())

G_DECLARE_DERIVABLE_TYPE (HoneChartLayer, hone_chart_layer, HONE, CHART_LAYER, GObject)

struct _HoneChartLayerClass
{
  GObjectClass parent_class;

  void     (*snapshot) (HoneChartLayer        *self,
                        GtkSnapshot           *snapshot,
                        const graphene_rect_t *plot,
                        const GdkRGBA         *colour);
  /* The value nearest to (@x, @y) within the plot, its index and where it is drawn. */
  gboolean (*nearest)  (HoneChartLayer        *self,
                        const graphene_rect_t *plot,
                        double                 x,
                        double                 y,
                        guint                 *index,
                        graphene_point_t      *point);
};

HoneChartSeries *hone_chart_layer_get_series (HoneChartLayer        *self);
HoneChartAxis   *hone_chart_layer_get_x_axis (HoneChartLayer        *self);
HoneChartAxis   *hone_chart_layer_get_y_axis (HoneChartLayer        *self);
void             hone_chart_layer_snapshot   (HoneChartLayer        *self,
                                              GtkSnapshot           *snapshot,
                                              const graphene_rect_t *plot,
                                              const GdkRGBA         *colour);
gboolean         hone_chart_layer_nearest    (HoneChartLayer        *self,
                                              const graphene_rect_t *plot,
                                              double                 x,
                                              double                 y,
                                              guint                 *index,
                                              graphene_point_t      *point);

G_END_DECLS
