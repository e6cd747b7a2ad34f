/* hone-chart-bar-layer.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart-bar-layer"

#include "config.h"

#include <math.h>

#include "hone-chart-bar-layer.h"

/* Of each slot, the part the bar fills. */
#define BAR_FILL 0.7

struct _HoneChartBarLayer
{
  HoneChartLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (HoneChartBarLayer, hone_chart_bar_layer, HONE_TYPE_CHART_LAYER)

static graphene_rect_t
bar_rect (HoneChartLayer        *layer,
          const graphene_rect_t *plot,
          guint                  i,
          guint                  n)
{
  HoneChartSeries *series = hone_chart_layer_get_series (layer);
  HoneChartAxis *y_axis = hone_chart_layer_get_y_axis (layer);
  double slot = plot->size.width / n;
  double bottom = CLAMP (hone_chart_axis_value_to_unit (y_axis, 0), 0, 1);
  double top = CLAMP (hone_chart_axis_value_to_unit (y_axis,
                                                     hone_chart_series_get_y (series)[i]),
                      0, 1);
  double y0 = plot->origin.y + plot->size.height * (1 - MAX (top, bottom));
  double y1 = plot->origin.y + plot->size.height * (1 - MIN (top, bottom));

  return GRAPHENE_RECT_INIT (plot->origin.x + slot * i + slot * (1 - BAR_FILL) / 2, y0,
                             slot * BAR_FILL, MAX (y1 - y0, 1));
}

static void
hone_chart_bar_layer_snapshot (HoneChartLayer        *layer,
                               GtkSnapshot           *snapshot,
                               const graphene_rect_t *plot,
                               const GdkRGBA         *colour)
{
  guint n = hone_chart_series_get_n (hone_chart_layer_get_series (layer));

  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t rect = bar_rect (layer, plot, i, n);
      GskRoundedRect rounded;

      gsk_rounded_rect_init (&rounded, &rect,
                             &GRAPHENE_SIZE_INIT (4, 4), &GRAPHENE_SIZE_INIT (4, 4),
                             &GRAPHENE_SIZE_INIT (0, 0), &GRAPHENE_SIZE_INIT (0, 0));
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, colour, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

static gboolean
hone_chart_bar_layer_nearest (HoneChartLayer        *layer,
                              const graphene_rect_t *plot,
                              double                 x,
                              double                 y,
                              guint                 *index,
                              graphene_point_t      *point)
{
  guint n = hone_chart_series_get_n (hone_chart_layer_get_series (layer));
  graphene_rect_t rect;
  int i;

  if (n == 0 || plot->size.width <= 0)
    return FALSE;

  i = (int) floor ((x - plot->origin.x) / (plot->size.width / n));
  if (i < 0 || (guint) i >= n)
    return FALSE;

  rect = bar_rect (layer, plot, i, n);
  *index = i;
  *point = GRAPHENE_POINT_INIT (rect.origin.x + rect.size.width / 2, rect.origin.y);

  return TRUE;
}

static void
hone_chart_bar_layer_class_init (HoneChartBarLayerClass *klass)
{
  HoneChartLayerClass *layer_class = HONE_CHART_LAYER_CLASS (klass);

  layer_class->snapshot = hone_chart_bar_layer_snapshot;
  layer_class->nearest = hone_chart_bar_layer_nearest;
}

static void
hone_chart_bar_layer_init (HoneChartBarLayer *self)
{
}

HoneChartLayer *
hone_chart_bar_layer_new (HoneChartSeries *series,
                          HoneChartAxis   *y_axis)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (series), NULL);
  g_return_val_if_fail (HONE_IS_CHART_AXIS (y_axis), NULL);

  return g_object_new (HONE_TYPE_CHART_BAR_LAYER,
                       "series", series,
                       "y-axis", y_axis,
                       NULL);
}
