/* test-chart.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart's parts on their own: axes map values to 0..1, series tell the chart to
 * draw again, bars and lines say which value is under the pointer (a line of 10 000
 * points included), and everything is freed with the widget.
 */

#define G_LOG_DOMAIN "test-chart"

#include "config.h"

#include <gtk/gtk.h>

#include "hone-chart.h"
#include "hone-chart-bar-layer.h"
#include "hone-chart-line-layer.h"

static gboolean have_display;

static void
count_notify (gpointer data)
{
  (*(guint *) data)++;
}

static void
test_axis (void)
{
  g_autoptr(HoneChartAxis) axis = hone_chart_axis_new ();
  g_autoptr(HoneChartSeries) series = hone_chart_series_new ("loss");
  static const double values[] = { 3, 9, 5 };
  double lo, hi;

  hone_chart_axis_set_range (axis, 10, 20);
  g_assert_cmpfloat_with_epsilon (hone_chart_axis_value_to_unit (axis, 10), 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (hone_chart_axis_value_to_unit (axis, 15), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (hone_chart_axis_value_to_unit (axis, 20), 1, 1e-12);

  /* An empty range puts everything in the middle rather than dividing by zero. */
  hone_chart_axis_set_range (axis, 4, 4);
  g_assert_cmpfloat_with_epsilon (hone_chart_axis_value_to_unit (axis, 4), 0.5, 1e-12);

  hone_chart_series_set_values (series, values, G_N_ELEMENTS (values));
  hone_chart_axis_fit_y (axis, series);
  hone_chart_axis_get_range (axis, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 9);
}

static void
test_series (void)
{
  g_autoptr(HoneChartSeries) series = hone_chart_series_new ("loss");
  static const double values[] = { 1, 2 };
  guint n_changed = 0;
  double lo, hi;

  g_signal_connect_swapped (series, "changed", G_CALLBACK (count_notify), &n_changed);
  g_assert_false (hone_chart_series_get_range (series, &lo, &hi));

  hone_chart_series_set_values (series, values, 2);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (hone_chart_series_get_n (series), ==, 2);
  g_assert_cmpfloat (hone_chart_series_get_x (series)[1], ==, 1);

  hone_chart_series_append (series, 10, -3);
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_true (hone_chart_series_get_range (series, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -3);
  g_assert_cmpfloat (hi, ==, 2);

  g_assert_finalize_object (g_steal_pointer (&series));
}

static void
test_bar_nearest (void)
{
  g_autoptr(HoneChartSeries) series = hone_chart_series_new ("count");
  g_autoptr(HoneChartAxis) axis = hone_chart_axis_new ();
  g_autoptr(HoneChartLayer) bars = NULL;
  static const double values[] = { 1, 4, 2, 0 };
  graphene_rect_t plot = GRAPHENE_RECT_INIT (0, 0, 400, 100);
  graphene_point_t point;
  guint index;

  hone_chart_series_set_values (series, values, G_N_ELEMENTS (values));
  hone_chart_axis_fit_y (axis, series);
  bars = hone_chart_bar_layer_new (series, axis);

  g_assert_true (hone_chart_layer_nearest (bars, &plot, 150, 50, &index, &point));
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpfloat_with_epsilon (point.x, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (point.y, 0, 1e-9);   /* the highest bar reaches the top */
  g_assert_true (hone_chart_layer_nearest (bars, &plot, 399, 50, &index, &point));
  g_assert_cmpuint (index, ==, 3);
  g_assert_false (hone_chart_layer_nearest (bars, &plot, -5, 50, &index, &point));
  g_assert_false (hone_chart_layer_nearest (bars, &plot, 401, 50, &index, &point));
}

static void
test_line_many_points (void)
{
  g_autoptr(HoneChartSeries) series = hone_chart_series_new ("loss");
  g_autoptr(HoneChartAxis) x_axis = hone_chart_axis_new ();
  g_autoptr(HoneChartAxis) y_axis = hone_chart_axis_new ();
  g_autoptr(HoneChartLayer) line = NULL;
  graphene_rect_t plot = GRAPHENE_RECT_INIT (10, 10, 500, 200);
  graphene_point_t point;
  guint index;

  for (guint i = 0; i < 10000; i++)
    hone_chart_series_append (series, i, 5.0 / (1 + i * 0.01));
  hone_chart_axis_set_range (x_axis, 0, 9999);
  hone_chart_axis_fit_y (y_axis, series);
  line = hone_chart_line_layer_new (series, x_axis, y_axis);

  /* The middle of the plot is step 5000 (give or take the width of a pixel). */
  g_assert_true (hone_chart_layer_nearest (line, &plot, 260, 0, &index, &point));
  g_assert_cmpuint (index, >=, 4990);
  g_assert_cmpuint (index, <=, 5010);
  g_assert_cmpfloat (ABS (point.x - 260), <, 1);
  g_assert_true (hone_chart_layer_nearest (line, &plot, 0, 0, &index, &point));
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (hone_chart_layer_nearest (line, &plot, 1000, 0, &index, &point));
  g_assert_cmpuint (index, ==, 9999);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_widget (void)
{
  g_autoptr(HoneChartSeries) train = hone_chart_series_new ("training loss");
  g_autoptr(HoneChartSeries) check = hone_chart_series_new ("validation loss");
  g_autoptr(HoneChartAxis) x_axis = hone_chart_axis_new ();
  g_autoptr(HoneChartAxis) y_axis = hone_chart_axis_new ();
  g_autoptr(HoneChartLayer) line1 = NULL;
  g_autoptr(HoneChartLayer) line2 = NULL;
  GtkWidget *window, *chart;
  gboolean done = FALSE;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  for (guint i = 0; i < 10000; i++)
    hone_chart_series_append (train, i, 3.0 / (1 + i * 0.001));
  for (guint i = 0; i < 10000; i += 500)
    hone_chart_series_append (check, i, 3.2 / (1 + i * 0.001));
  hone_chart_axis_set_range (x_axis, 0, 9999);
  hone_chart_axis_set_range (y_axis, 0, 3.2);
  line1 = hone_chart_line_layer_new (train, x_axis, y_axis);
  line2 = hone_chart_line_layer_new (check, x_axis, y_axis);

  chart = hone_chart_new ();
  hone_chart_add_layer (HONE_CHART (chart), line1);
  hone_chart_add_layer (HONE_CHART (chart), line2);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 300);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (300, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_null (hone_chart_get_hover_text (HONE_CHART (chart)));
  hone_chart_hover (HONE_CHART (chart), gtk_widget_get_width (chart) / 2.0, 100);
  g_assert_nonnull (hone_chart_get_hover_text (HONE_CHART (chart)));
  g_assert_true (g_str_has_prefix (hone_chart_get_hover_text (HONE_CHART (chart)),
                                   "training loss: "));

  /* A point added while training runs is drawn without a new layer. */
  hone_chart_series_append (train, 10000, 1.0);
  g_assert_cmpuint (hone_chart_series_get_n (train), ==, 10001);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (g_steal_pointer (&line1));
  g_assert_finalize_object (g_steal_pointer (&line2));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  g_test_init (&argc, &argv, NULL);
  have_display = (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
                 && gtk_init_check ();

  g_test_add_func ("/hone/chart/axis", test_axis);
  g_test_add_func ("/hone/chart/series", test_series);
  g_test_add_func ("/hone/chart/bar-nearest", test_bar_nearest);
  g_test_add_func ("/hone/chart/line-many-points", test_line_many_points);
  g_test_add_func ("/hone/chart/widget", test_widget);

  return g_test_run ();
}
