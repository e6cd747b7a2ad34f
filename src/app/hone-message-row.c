/* hone-message-row.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-markdown.h"
#include "hone-message-row.h"

struct _HoneMessageRow
{
  AdwBin          parent_instance;

  char           *role;
  GString        *text;
  gint64          message_id;
  int             rating;
  gboolean        generating;
  gboolean        can_regenerate;
  gboolean        syncing;     /* the toggle buttons are being set from @rating */

  /* Template children */
  GtkBox         *box;
  GtkLabel       *sender_label;
  GtkBox         *bubble;
  GtkLabel       *text_label;
  GtkSpinner     *spinner;
  GtkLabel       *note_label;
  GtkBox         *actions_box;
  GtkToggleButton *up_button;
  GtkToggleButton *down_button;
};

G_DEFINE_FINAL_TYPE (HoneMessageRow, hone_message_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ROLE,
  PROP_SENDER,
  PROP_TEXT,
  PROP_GENERATING,
  PROP_RATING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RATED,
  SIGNAL_REGENERATE,
  SIGNAL_CORRECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

HoneMessageRow *
hone_message_row_new (const char *role,
                      const char *sender)
{
  g_return_val_if_fail (role != NULL, NULL);

  return g_object_new (HONE_TYPE_MESSAGE_ROW,
                       "role", role,
                       "sender", sender,
                       NULL);
}

static gboolean
is_answer (HoneMessageRow *self)
{
  return g_strcmp0 (self->role, "assistant") == 0;
}

static void
update_state (HoneMessageRow *self)
{
  gboolean answer = is_answer (self);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->generating);
  gtk_spinner_set_spinning (self->spinner, self->generating);
  gtk_widget_set_visible (GTK_WIDGET (self->text_label),
                          !self->generating || self->text->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), answer && !self->generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.regenerate",
                                 answer && !self->generating && self->can_regenerate);
  /* Feedback needs the stored message. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.correct",
                                 answer && !self->generating && self->message_id > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->up_button), self->message_id > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->down_button), self->message_id > 0);
}

static void
render_text (HoneMessageRow *self)
{
  g_autofree char *markup = hone_markdown_to_markup (self->text->str, self->text->len);

  gtk_label_set_markup (self->text_label, markup);
}

const char *
hone_message_row_get_role (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), NULL);

  return self->role;
}

const char *
hone_message_row_get_text (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), NULL);

  return self->text->str;
}

void
hone_message_row_set_text (HoneMessageRow *self,
                           const char     *text)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->text->str, text) == 0)
    return;

  g_string_assign (self->text, text);
  render_text (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
hone_message_row_append_text (HoneMessageRow *self,
                              const char     *text)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  if (text == NULL || *text == '\0')
    return;

  /* The whole text is rendered again: a list or a code fence may only be recognised
   * once more of it has arrived. Answers are short enough for this to cost nothing. */
  g_string_append (self->text, text);
  render_text (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

gboolean
hone_message_row_get_generating (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), FALSE);

  return self->generating;
}

void
hone_message_row_set_generating (HoneMessageRow *self,
                                 gboolean        generating)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  generating = !!generating;
  if (self->generating == generating)
    return;

  self->generating = generating;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATING]);
}

int
hone_message_row_get_rating (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), 0);

  return self->rating;
}

static void
sync_rating_buttons (HoneMessageRow *self)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->up_button, self->rating > 0);
  gtk_toggle_button_set_active (self->down_button, self->rating < 0);
  self->syncing = FALSE;
}

void
hone_message_row_set_rating (HoneMessageRow *self,
                             int             rating)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  rating = CLAMP (rating, -1, 1);
  if (self->rating == rating)
    return;

  self->rating = rating;
  sync_rating_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATING]);
}

gint64
hone_message_row_get_message_id (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), 0);

  return self->message_id;
}

void
hone_message_row_set_message_id (HoneMessageRow *self,
                                 gint64          message_id)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  self->message_id = message_id;
  update_state (self);
}

void
hone_message_row_set_note (HoneMessageRow *self,
                           const char     *note)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL && *note != '\0');
}

const char *
hone_message_row_get_note (HoneMessageRow *self)
{
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->note_label))
         ? gtk_label_get_text (self->note_label) : NULL;
}

void
hone_message_row_set_can_regenerate (HoneMessageRow *self,
                                     gboolean        can_regenerate)
{
  g_return_if_fail (HONE_IS_MESSAGE_ROW (self));

  self->can_regenerate = !!can_regenerate;
  update_state (self);
}

/* A click toggles one rating on and the other off; clicking the active one clears it. */
static void
rating_toggled_cb (HoneMessageRow  *self,
                   GtkToggleButton *button)
{
  int rating;

  if (self->syncing)
    return;

  if (gtk_toggle_button_get_active (button))
    rating = button == self->up_button ? 1 : -1;
  else
    rating = 0;

  if (rating == self->rating)
    return;

  self->rating = rating;
  sync_rating_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATING]);
  g_signal_emit (self, signals[SIGNAL_RATED], 0, rating);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HoneMessageRow *self = HONE_MESSAGE_ROW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->text->str);
}

static void
regenerate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_REGENERATE], 0);
}

static void
correct_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CORRECT], 0);
}

static void
hone_message_row_constructed (GObject *object)
{
  HoneMessageRow *self = HONE_MESSAGE_ROW (object);
  gboolean answer = is_answer (self);

  G_OBJECT_CLASS (hone_message_row_parent_class)->constructed (object);

  gtk_widget_add_css_class (GTK_WIDGET (self->bubble), answer ? "bubble-answer" : "bubble-user");
  gtk_widget_set_halign (GTK_WIDGET (self->box), answer ? GTK_ALIGN_FILL : GTK_ALIGN_END);
  gtk_widget_set_halign (GTK_WIDGET (self->bubble), answer ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_label_set_xalign (self->sender_label, answer ? 0.0 : 1.0);
  update_state (self);
}

static void
hone_message_row_dispose (GObject *object)
{
  /* The bin's child is a template child too: let the bin drop it first, or both would
   * unparent it. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), HONE_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (hone_message_row_parent_class)->dispose (object);
}

static void
hone_message_row_finalize (GObject *object)
{
  HoneMessageRow *self = HONE_MESSAGE_ROW (object);

  g_clear_pointer (&self->role, g_free);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (hone_message_row_parent_class)->finalize (object);
}

static void
hone_message_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HoneMessageRow *self = HONE_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_SENDER:
      g_value_set_string (value, gtk_label_get_text (self->sender_label));
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text->str);
      break;

    case PROP_GENERATING:
      g_value_set_boolean (value, self->generating);
      break;

    case PROP_RATING:
      g_value_set_int (value, self->rating);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_message_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HoneMessageRow *self = HONE_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_free (self->role);
      self->role = g_value_dup_string (value);
      break;

    case PROP_SENDER:
      gtk_label_set_text (self->sender_label,
                          g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;

    case PROP_TEXT:
      hone_message_row_set_text (self, g_value_get_string (value));
      break;

    case PROP_GENERATING:
      hone_message_row_set_generating (self, g_value_get_boolean (value));
      break;

    case PROP_RATING:
      hone_message_row_set_rating (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_message_row_class_init (HoneMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hone_message_row_constructed;
  object_class->dispose = hone_message_row_dispose;
  object_class->finalize = hone_message_row_finalize;
  object_class->get_property = hone_message_row_get_property;
  object_class->set_property = hone_message_row_set_property;

  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL,
                         "user",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SENDER] =
    g_param_spec_string ("sender", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_GENERATING] =
    g_param_spec_boolean ("generating", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RATING] =
    g_param_spec_int ("rating", NULL, NULL,
                      -1, 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The person changed the rating (not emitted by hone_message_row_set_rating()). */
  signals[SIGNAL_RATED] =
    g_signal_new ("rated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_REGENERATE] =
    g_signal_new ("regenerate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CORRECT] =
    g_signal_new ("correct",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, sender_label);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, HoneMessageRow, down_button);
  gtk_widget_class_bind_template_callback (widget_class, rating_toggled_cb);

  gtk_widget_class_install_action (widget_class, "chat.copy-message", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "chat.regenerate", NULL, regenerate_action);
  gtk_widget_class_install_action (widget_class, "chat.correct", NULL, correct_action);
}

static void
hone_message_row_init (HoneMessageRow *self)
{
  self->text = g_string_new ("");
  self->role = g_strdup ("user");

  gtk_widget_init_template (GTK_WIDGET (self));
}
