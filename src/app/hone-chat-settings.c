/* hone-chat-settings.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chat-settings"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hone-chat-settings.h"

struct _HoneChatSettings
{
  AdwBin         parent_instance;

  gboolean       loading;    /* values are being set from code: no "changed" */

  /* Template children */
  GtkTextView   *system_view;
  GtkSpinButton *temperature_spin;
  GtkSpinButton *top_p_spin;
  GtkSpinButton *top_k_spin;
  GtkSpinButton *max_tokens_spin;
  GtkSpinButton *repeat_penalty_spin;
  GtkSpinButton *seed_spin;
};

G_DEFINE_FINAL_TYPE (HoneChatSettings, hone_chat_settings, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One setting: its JSON key and where it lives in the widget and in the parameters. */
typedef enum
{
  SETTING_TEMPERATURE,
  SETTING_TOP_P,
  SETTING_TOP_K,
  SETTING_MAX_TOKENS,
  SETTING_REPEAT_PENALTY,
  SETTING_SEED,
  N_SETTINGS
} Setting;

static const char * const setting_keys[N_SETTINGS] = {
  "temperature", "top_p", "top_k", "max_tokens", "repeat_penalty", "seed",
};

HoneChatSettings *
hone_chat_settings_new (void)
{
  return g_object_new (HONE_TYPE_CHAT_SETTINGS, NULL);
}

static GtkSpinButton *
setting_spin (HoneChatSettings *self,
              Setting           setting)
{
  switch (setting)
    {
    case SETTING_TEMPERATURE:
      return self->temperature_spin;
    case SETTING_TOP_P:
      return self->top_p_spin;
    case SETTING_TOP_K:
      return self->top_k_spin;
    case SETTING_MAX_TOKENS:
      return self->max_tokens_spin;
    case SETTING_REPEAT_PENALTY:
      return self->repeat_penalty_spin;
    case SETTING_SEED:
      return self->seed_spin;
    case N_SETTINGS:
    default:
      g_assert_not_reached ();
    }
}

static double
setting_default (Setting setting)
{
  HoneGenerateParams params;

  hone_generate_params_init (&params);

  switch (setting)
    {
    case SETTING_TEMPERATURE:
      return params.temperature;
    case SETTING_TOP_P:
      return params.top_p;
    case SETTING_TOP_K:
      return params.top_k;
    case SETTING_MAX_TOKENS:
      return params.max_tokens;
    case SETTING_REPEAT_PENALTY:
      return params.repeat_penalty;
    case SETTING_SEED:
      /* The engine's default seed is fixed; a chat wants a new answer each time. */
      return 0;
    case N_SETTINGS:
    default:
      g_assert_not_reached ();
    }
}

/* The value rounded as the spin button shows it, so that floats compare as the person
 * sees them. */
static double
setting_value (HoneChatSettings *self,
               Setting           setting)
{
  GtkSpinButton *spin = setting_spin (self, setting);
  double scale = pow (10, gtk_spin_button_get_digits (spin));

  return round (gtk_spin_button_get_value (spin) * scale) / scale;
}

static gboolean
setting_is_default (HoneChatSettings *self,
                    Setting           setting)
{
  GtkSpinButton *spin = setting_spin (self, setting);
  double scale = pow (10, gtk_spin_button_get_digits (spin));

  return round (setting_default (setting) * scale) == round (setting_value (self, setting) * scale);
}

void
hone_chat_settings_get_params (HoneChatSettings   *self,
                               HoneGenerateParams *params)
{
  guint64 seed;

  g_return_if_fail (HONE_IS_CHAT_SETTINGS (self));
  g_return_if_fail (params != NULL);

  hone_generate_params_init (params);
  params->temperature = setting_value (self, SETTING_TEMPERATURE);
  params->top_p = setting_value (self, SETTING_TOP_P);
  params->top_k = (guint) setting_value (self, SETTING_TOP_K);
  params->max_tokens = (guint) setting_value (self, SETTING_MAX_TOKENS);
  params->repeat_penalty = setting_value (self, SETTING_REPEAT_PENALTY);

  seed = (guint64) setting_value (self, SETTING_SEED);
  if (seed == 0)
    seed = ((guint64) g_random_int () << 32) | g_random_int ();
  params->seed = seed;
}

char *
hone_chat_settings_dup_system_prompt (HoneChatSettings *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (HONE_IS_CHAT_SETTINGS (self), NULL);

  buffer = gtk_text_view_get_buffer (self->system_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

void
hone_chat_settings_set_system_prompt (HoneChatSettings *self,
                                      const char       *prompt)
{
  g_return_if_fail (HONE_IS_CHAT_SETTINGS (self));

  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->system_view),
                            prompt != NULL ? prompt : "", -1);
  self->loading = FALSE;
}

char *
hone_chat_settings_dup_json (HoneChatSettings *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (HONE_IS_CHAT_SETTINGS (self), NULL);

  json_builder_begin_object (builder);
  for (Setting s = 0; s < N_SETTINGS; s++)
    {
      double value = setting_value (self, s);

      if (setting_is_default (self, s))
        continue;

      json_builder_set_member_name (builder, setting_keys[s]);
      if (gtk_spin_button_get_digits (setting_spin (self, s)) == 0)
        json_builder_add_int_value (builder, (gint64) value);
      else
        json_builder_add_double_value (builder, value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

void
hone_chat_settings_load_json (HoneChatSettings *self,
                              const char       *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;

  g_return_if_fail (HONE_IS_CHAT_SETTINGS (self));

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));

  self->loading = TRUE;
  for (Setting s = 0; s < N_SETTINGS; s++)
    {
      double value = setting_default (s);
      JsonNode *member = object != NULL ? json_object_get_member (object, setting_keys[s]) : NULL;

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
          && (json_node_get_value_type (member) == G_TYPE_DOUBLE
              || json_node_get_value_type (member) == G_TYPE_INT64))
        value = json_node_get_double (member);

      gtk_spin_button_set_value (setting_spin (self, s), value);
    }
  self->loading = FALSE;
}

void
hone_chat_settings_reset (HoneChatSettings *self)
{
  g_return_if_fail (HONE_IS_CHAT_SETTINGS (self));

  hone_chat_settings_load_json (self, NULL);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
value_changed_cb (HoneChatSettings *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  hone_chat_settings_reset (HONE_CHAT_SETTINGS (widget));
}

static void
hone_chat_settings_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HONE_TYPE_CHAT_SETTINGS);

  G_OBJECT_CLASS (hone_chat_settings_parent_class)->dispose (object);
}

static void
hone_chat_settings_class_init (HoneChatSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_chat_settings_dispose;

  /* The person changed the system prompt or a setting. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-chat-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, system_view);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, top_p_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, repeat_penalty_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneChatSettings, seed_spin);
  gtk_widget_class_bind_template_callback (widget_class, value_changed_cb);

  gtk_widget_class_install_action (widget_class, "chat.reset-settings", NULL, reset_action);
}

static void
system_changed_cb (HoneChatSettings *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
hone_chat_settings_init (HoneChatSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->system_view), "changed",
                           G_CALLBACK (system_changed_cb), self, G_CONNECT_SWAPPED);
  hone_chat_settings_load_json (self, NULL);
}
