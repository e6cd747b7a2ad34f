/* hone-chart.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart"

#include "config.h"

#include <adwaita.h>

#include "hone-chart.h"

#define PAD          8
#define LABEL_GAP    6

/* Theme colours for the layers, in order. */
static const char * const palette[] = {
  "accent_bg_color", "success_color", "warning_color", "error_color",
};

struct _HoneChart
{
  GtkWidget           parent_instance;

  GPtrArray          *layers;       /* (element-type HoneChartLayer) */
  GStrv               x_labels;
  HoneChartValueFunc  value_func;
  gpointer            value_data;
  GDestroyNotify      value_destroy;

  gboolean            hovering;
  double              hover_x;
  double              hover_y;
  char               *hover_text;
};

G_DEFINE_FINAL_TYPE (HoneChart, hone_chart, GTK_TYPE_WIDGET)

static GdkRGBA
theme_colour (HoneChart  *self,
              const char *name,
              GdkRGBA     fallback)
{
  GdkRGBA rgba = fallback;

  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), name, &rgba);

  return rgba;
}

static GdkRGBA
text_colour (HoneChart *self)
{
  GdkRGBA rgba;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &rgba);

  return rgba;
}

static char *
format_number (double value)
{
  if (value == (double) (gint64) value && ABS (value) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);

  return g_strdup_printf ("%.3g", value);
}

/* The plot area inside the widget, leaving room for the labels. */
static graphene_rect_t
plot_rect (HoneChart *self,
           int        width,
           int        height)
{
  double left = PAD, bottom = PAD;

  if (self->layers->len > 0)
    {
      HoneChartAxis *y_axis = hone_chart_layer_get_y_axis (g_ptr_array_index (self->layers, 0));
      double lo, hi;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      int w, h;

      hone_chart_axis_get_range (y_axis, &lo, &hi);
      text = format_number (hi);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_layout_get_pixel_size (layout, &w, &h);
      left = w + LABEL_GAP + PAD;
      if (self->x_labels != NULL)
        bottom = h + LABEL_GAP + PAD;
    }

  return GRAPHENE_RECT_INIT (left, PAD, MAX (width - left - PAD, 1), MAX (height - PAD - bottom, 1));
}

static void
draw_text (HoneChart     *self,
           GtkSnapshot   *snapshot,
           const char    *text,
           double         x,
           double         y,
           double         align_x,
           const GdkRGBA *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - w * align_x, y - h / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
update_hover (HoneChart *self)
{
  graphene_rect_t plot;
  g_autofree char *text = NULL;

  if (self->hovering && self->layers->len > 0)
    {
      plot = plot_rect (self, gtk_widget_get_width (GTK_WIDGET (self)),
                        gtk_widget_get_height (GTK_WIDGET (self)));

      for (guint l = 0; l < self->layers->len && text == NULL; l++)
        {
          HoneChartLayer *layer = g_ptr_array_index (self->layers, l);
          graphene_point_t point;
          guint index;
          double value;
          g_autofree char *value_text = NULL;

          if (!hone_chart_layer_nearest (layer, &plot, self->hover_x, self->hover_y,
                                         &index, &point))
            continue;

          value = hone_chart_series_get_y (hone_chart_layer_get_series (layer))[index];
          value_text = self->value_func != NULL
                       ? self->value_func (layer, index, value, self->value_data)
                       : format_number (value);
          if (self->x_labels != NULL && index < g_strv_length (self->x_labels))
            text = g_strdup_printf ("%s: %s", self->x_labels[index], value_text);
          else
            text = g_strdup_printf ("%s: %s",
                                    hone_chart_series_get_name (hone_chart_layer_get_series (layer)),
                                    value_text);
        }
    }

  if (g_strcmp0 (text, self->hover_text) != 0)
    {
      g_free (self->hover_text);
      self->hover_text = g_steal_pointer (&text);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
hone_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  HoneChart *self = HONE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t plot = plot_rect (self, width, height);
  GdkRGBA fg = text_colour (self);
  GdkRGBA grid = fg;
  GdkRGBA dim = fg;

  grid.alpha *= 0.15;
  dim.alpha *= 0.6;

  if (self->layers->len > 0)
    {
      HoneChartAxis *y_axis = hone_chart_layer_get_y_axis (g_ptr_array_index (self->layers, 0));
      double lo, hi;
      g_autofree char *lo_text = NULL;
      g_autofree char *hi_text = NULL;

      hone_chart_axis_get_range (y_axis, &lo, &hi);
      lo_text = format_number (lo);
      hi_text = format_number (hi);
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (plot.origin.x, plot.origin.y,
                                                      plot.size.width, 1));
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (plot.origin.x,
                                                      plot.origin.y + plot.size.height / 2,
                                                      plot.size.width, 1));
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (plot.origin.x,
                                                      plot.origin.y + plot.size.height - 1,
                                                      plot.size.width, 1));
      draw_text (self, snapshot, hi_text, plot.origin.x - LABEL_GAP, plot.origin.y, 1, &dim);
      draw_text (self, snapshot, lo_text, plot.origin.x - LABEL_GAP,
                 plot.origin.y + plot.size.height, 1, &dim);
    }

  for (guint l = 0; l < self->layers->len; l++)
    {
      GdkRGBA colour = theme_colour (self, palette[l % G_N_ELEMENTS (palette)],
                                     (GdkRGBA) { 0.21, 0.52, 0.89, 1 });

      hone_chart_layer_snapshot (g_ptr_array_index (self->layers, l), snapshot, &plot, &colour);
    }

  if (self->x_labels != NULL)
    {
      guint n = g_strv_length (self->x_labels);

      for (guint i = 0; i < n; i++)
        draw_text (self, snapshot, self->x_labels[i],
                   plot.origin.x + plot.size.width * (i + 0.5) / n,
                   plot.origin.y + plot.size.height + LABEL_GAP + 8, 0.5, &dim);
    }

  if (self->hover_text != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, self->hover_text);
      GdkRGBA bg = fg;
      GdkRGBA text = theme_colour (self, "window_bg_color", (GdkRGBA) { 1, 1, 1, 1 });
      GskRoundedRect box;
      int w, h;
      double x, y;

      bg.alpha = 0.85;
      pango_layout_get_pixel_size (layout, &w, &h);
      x = CLAMP (self->hover_x + 12, 0, MAX (width - w - 12, 0));
      y = CLAMP (self->hover_y - h - 12, 0, MAX (height - h - 8, 0));
      gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (x, y, w + 12, h + 8), 6);
      gtk_snapshot_push_rounded_clip (snapshot, &box);
      gtk_snapshot_append_color (snapshot, &bg, &box.bounds);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 6, y + 4));
      gtk_snapshot_append_layout (snapshot, layout, &text);
      gtk_snapshot_restore (snapshot);
    }
}

static void
hone_chart_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 200;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           HoneChart                *self)
{
  hone_chart_hover (self, x, y);
}

static void
on_leave (GtkEventControllerMotion *motion,
          HoneChart                *self)
{
  self->hovering = FALSE;
  update_hover (self);
}

static void
on_series_changed (HoneChart *self)
{
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hone_chart_dispose (GObject *object)
{
  HoneChart *self = HONE_CHART (object);

  hone_chart_remove_layers (self);
  if (self->value_destroy != NULL)
    g_clear_pointer (&self->value_data, self->value_destroy);

  G_OBJECT_CLASS (hone_chart_parent_class)->dispose (object);
}

static void
hone_chart_finalize (GObject *object)
{
  HoneChart *self = HONE_CHART (object);

  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->x_labels, g_strfreev);
  g_clear_pointer (&self->hover_text, g_free);

  G_OBJECT_CLASS (hone_chart_parent_class)->finalize (object);
}

static void
hone_chart_class_init (HoneChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_chart_dispose;
  object_class->finalize = hone_chart_finalize;
  widget_class->snapshot = hone_chart_snapshot;
  widget_class->measure = hone_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hone_chart_init (HoneChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->layers = g_ptr_array_new_with_free_func (g_object_unref);

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* Colours are read at each frame; a switch to dark needs one. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
hone_chart_new (void)
{
  return g_object_new (HONE_TYPE_CHART, NULL);
}

void
hone_chart_add_layer (HoneChart      *self,
                      HoneChartLayer *layer)
{
  g_return_if_fail (HONE_IS_CHART (self));
  g_return_if_fail (HONE_IS_CHART_LAYER (layer));

  g_ptr_array_add (self->layers, g_object_ref (layer));
  g_signal_connect_object (hone_chart_layer_get_series (layer), "changed",
                           G_CALLBACK (on_series_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hone_chart_remove_layers (HoneChart *self)
{
  g_return_if_fail (HONE_IS_CHART (self));

  for (guint l = 0; l < self->layers->len; l++)
    g_signal_handlers_disconnect_by_data (hone_chart_layer_get_series (g_ptr_array_index (self->layers, l)),
                                          self);
  g_ptr_array_set_size (self->layers, 0);
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hone_chart_set_x_labels (HoneChart          *self,
                         const char * const *labels)
{
  g_return_if_fail (HONE_IS_CHART (self));

  g_strfreev (self->x_labels);
  self->x_labels = g_strdupv ((char **) labels);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hone_chart_set_value_func (HoneChart          *self,
                           HoneChartValueFunc  func,
                           gpointer            user_data,
                           GDestroyNotify      destroy)
{
  g_return_if_fail (HONE_IS_CHART (self));

  if (self->value_destroy != NULL)
    self->value_destroy (self->value_data);
  self->value_func = func;
  self->value_data = user_data;
  self->value_destroy = destroy;
}

void
hone_chart_hover (HoneChart *self,
                  double     x,
                  double     y)
{
  g_return_if_fail (HONE_IS_CHART (self));

  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  update_hover (self);
}

const char *
hone_chart_get_hover_text (HoneChart *self)
{
  g_return_val_if_fail (HONE_IS_CHART (self), NULL);

  return self->hover_text;
}
