/* hone-chart-layer.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chart-layer"

#include "config.h"

#include "hone-chart-layer.h"

typedef struct
{
  HoneChartSeries *series;
  HoneChartAxis   *x_axis;
  HoneChartAxis   *y_axis;
} HoneChartLayerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HoneChartLayer, hone_chart_layer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERIES,
  PROP_X_AXIS,
  PROP_Y_AXIS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hone_chart_layer_dispose (GObject *object)
{
  HoneChartLayerPrivate *priv =
    hone_chart_layer_get_instance_private (HONE_CHART_LAYER (object));

  g_clear_object (&priv->series);
  g_clear_object (&priv->x_axis);
  g_clear_object (&priv->y_axis);

  G_OBJECT_CLASS (hone_chart_layer_parent_class)->dispose (object);
}

static void
hone_chart_layer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HoneChartLayerPrivate *priv =
    hone_chart_layer_get_instance_private (HONE_CHART_LAYER (object));

  switch (prop_id)
    {
    case PROP_SERIES:
      g_value_set_object (value, priv->series);
      break;

    case PROP_X_AXIS:
      g_value_set_object (value, priv->x_axis);
      break;

    case PROP_Y_AXIS:
      g_value_set_object (value, priv->y_axis);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_chart_layer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HoneChartLayerPrivate *priv =
    hone_chart_layer_get_instance_private (HONE_CHART_LAYER (object));

  switch (prop_id)
    {
    case PROP_SERIES:
      g_set_object (&priv->series, g_value_get_object (value));
      break;

    case PROP_X_AXIS:
      g_set_object (&priv->x_axis, g_value_get_object (value));
      break;

    case PROP_Y_AXIS:
      g_set_object (&priv->y_axis, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_chart_layer_class_init (HoneChartLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hone_chart_layer_dispose;
  object_class->get_property = hone_chart_layer_get_property;
  object_class->set_property = hone_chart_layer_set_property;

  properties[PROP_SERIES] =
    g_param_spec_object ("series", NULL, NULL,
                         HONE_TYPE_CHART_SERIES,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_X_AXIS] =
    g_param_spec_object ("x-axis", NULL, NULL,
                         HONE_TYPE_CHART_AXIS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_Y_AXIS] =
    g_param_spec_object ("y-axis", NULL, NULL,
                         HONE_TYPE_CHART_AXIS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hone_chart_layer_init (HoneChartLayer *self)
{
}

HoneChartSeries *
hone_chart_layer_get_series (HoneChartLayer *self)
{
  HoneChartLayerPrivate *priv = hone_chart_layer_get_instance_private (self);

  g_return_val_if_fail (HONE_IS_CHART_LAYER (self), NULL);

  return priv->series;
}

HoneChartAxis *
hone_chart_layer_get_x_axis (HoneChartLayer *self)
{
  HoneChartLayerPrivate *priv = hone_chart_layer_get_instance_private (self);

  g_return_val_if_fail (HONE_IS_CHART_LAYER (self), NULL);

  return priv->x_axis;
}

HoneChartAxis *
hone_chart_layer_get_y_axis (HoneChartLayer *self)
{
  HoneChartLayerPrivate *priv = hone_chart_layer_get_instance_private (self);

  g_return_val_if_fail (HONE_IS_CHART_LAYER (self), NULL);

  return priv->y_axis;
}

void
hone_chart_layer_snapshot (HoneChartLayer        *self,
                           GtkSnapshot           *snapshot,
                           const graphene_rect_t *plot,
                           const GdkRGBA         *colour)
{
  g_return_if_fail (HONE_IS_CHART_LAYER (self));

  HONE_CHART_LAYER_GET_CLASS (self)->snapshot (self, snapshot, plot, colour);
}

gboolean
hone_chart_layer_nearest (HoneChartLayer        *self,
                          const graphene_rect_t *plot,
                          double                 x,
                          double                 y,
                          guint                 *index,
                          graphene_point_t      *point)
{
  g_return_val_if_fail (HONE_IS_CHART_LAYER (self), FALSE);

  return HONE_CHART_LAYER_GET_CLASS (self)->nearest (self, plot, x, y, index, point);
}
