/* hone-chart.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small chart: layers (bars, lines) each drawing a series through its axes, a value
 * scale on the left, labels under the bars, and the value under the pointer. Colours
 * come from the theme at every frame, so they follow a switch to dark.
 */
#pragma once

#include <gtk/gtk.h>

#include "hone-chart-layer.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHART (hone_chart_get_type ())

G_DECLARE_FINAL_TYPE (HoneChart, hone_chart, HONE, CHART, GtkWidget)

/* Says a value in words for the hover label, e.g. "3 conversations". */
typedef char *(*HoneChartValueFunc) (HoneChartLayer *layer,
                                     guint           index,
                                     double          value,
                                     gpointer        user_data);

GtkWidget  *hone_chart_new             (void);
void        hone_chart_add_layer       (HoneChart          *self,
                                        HoneChartLayer     *layer);
void        hone_chart_remove_layers   (HoneChart          *self);
/* Labels under the plot, one per bar (NULL: none). */
void        hone_chart_set_x_labels    (HoneChart          *self,
                                        const char * const *labels);
void        hone_chart_set_value_func  (HoneChart          *self,
                                        HoneChartValueFunc  func,
                                        gpointer            user_data,
                                        GDestroyNotify      destroy);
/* What hovering at (@x, @y), in widget coordinates, shows; as the pointer does. */
void        hone_chart_hover           (HoneChart          *self,
                                        double              x,
                                        double              y);
/* The hover label shown now, or NULL. */
const char *hone_chart_get_hover_text  (HoneChart          *self);

G_END_DECLS
