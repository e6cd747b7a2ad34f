/* hone-chart-line-layer.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart-line-layer"

#include "config.h"

#include "hone-chart-line-layer.h"

struct _HoneChartLineLayer
{
  HoneChartLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (HoneChartLineLayer, hone_chart_line_layer, HONE_TYPE_CHART_LAYER)

static void
to_plot (HoneChartLayer        *layer,
         const graphene_rect_t *plot,
         double                 x,
         double                 y,
         double                *px,
         double                *py)
{
  *px = plot->origin.x
        + plot->size.width * hone_chart_axis_value_to_unit (hone_chart_layer_get_x_axis (layer), x);
  *py = plot->origin.y
        + plot->size.height * (1 - hone_chart_axis_value_to_unit (hone_chart_layer_get_y_axis (layer),
                                                                  y));
}

static void
hone_chart_line_layer_snapshot (HoneChartLayer        *layer,
                                GtkSnapshot           *snapshot,
                                const graphene_rect_t *plot,
                                const GdkRGBA         *colour)
{
  HoneChartSeries *series = hone_chart_layer_get_series (layer);
  guint n = hone_chart_series_get_n (series);
  const double *xs = hone_chart_series_get_x (series);
  const double *ys = hone_chart_series_get_y (series);
  cairo_t *cr;
  int column = G_MININT;
  double lo = 0, hi = 0, last_x = 0, last_y = 0;
  gboolean started = FALSE;

  if (n == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, plot);
  cairo_rectangle (cr, plot->origin.x, plot->origin.y, plot->size.width, plot->size.height);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; i < n; i++)
    {
      double px, py;

      to_plot (layer, plot, xs[i], ys[i], &px, &py);

      /* Many points in one pixel column become one vertical stroke. */
      if ((int) px == column)
        {
          lo = MIN (lo, py);
          hi = MAX (hi, py);
          last_x = px;
          last_y = py;
          continue;
        }

      if (started && hi > lo)
        {
          cairo_line_to (cr, column, lo);
          cairo_line_to (cr, column, hi);
          cairo_line_to (cr, last_x, last_y);
        }

      if (!started)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
      started = TRUE;
      column = (int) px;
      lo = hi = last_y = py;
      last_x = px;
    }
  if (hi > lo)
    {
      cairo_line_to (cr, column, lo);
      cairo_line_to (cr, column, hi);
      cairo_line_to (cr, last_x, last_y);
    }
  if (n == 1)
    cairo_arc (cr, last_x, last_y, 2, 0, 2 * G_PI);

  cairo_stroke (cr);
  cairo_destroy (cr);
}

static gboolean
hone_chart_line_layer_nearest (HoneChartLayer        *layer,
                               const graphene_rect_t *plot,
                               double                 x,
                               double                 y,
                               guint                 *index,
                               graphene_point_t      *point)
{
  HoneChartSeries *series = hone_chart_layer_get_series (layer);
  HoneChartAxis *x_axis = hone_chart_layer_get_x_axis (layer);
  guint n = hone_chart_series_get_n (series);
  const double *xs = hone_chart_series_get_x (series);
  double lo_v, hi_v, want, px, py;
  guint lo = 0, hi;

  if (n == 0 || plot->size.width <= 0)
    return FALSE;

  hone_chart_axis_get_range (x_axis, &lo_v, &hi_v);
  want = lo_v + (x - plot->origin.x) / plot->size.width * (hi_v - lo_v);

  /* x ascends: the first point at or after the pointer, then the closer neighbour. */
  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (xs[mid] < want)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == n || (lo > 0 && want - xs[lo - 1] < xs[lo] - want))
    lo--;

  to_plot (layer, plot, xs[lo], hone_chart_series_get_y (series)[lo], &px, &py);
  *index = lo;
  *point = GRAPHENE_POINT_INIT (px, py);

  return TRUE;
}

static void
hone_chart_line_layer_class_init (HoneChartLineLayerClass *klass)
{
  HoneChartLayerClass *layer_class = HONE_CHART_LAYER_CLASS (klass);

  layer_class->snapshot = hone_chart_line_layer_snapshot;
  layer_class->nearest = hone_chart_line_layer_nearest;
}

static void
hone_chart_line_layer_init (HoneChartLineLayer *self)
{
}

HoneChartLayer *
hone_chart_line_layer_new (HoneChartSeries *series,
                           HoneChartAxis   *x_axis,
                           HoneChartAxis   *y_axis)
{
  g_return_val_if_fail (HONE_IS_CHART_SERIES (series), NULL);
  g_return_val_if_fail (HONE_IS_CHART_AXIS (x_axis), NULL);
  g_return_val_if_fail (HONE_IS_CHART_AXIS (y_axis), NULL);

  return g_object_new (HONE_TYPE_CHART_LINE_LAYER,
                       "series", series,
                       "x-axis", x_axis,
                       "y-axis", y_axis,
                       NULL);
}
