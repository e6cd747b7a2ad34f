/* hone-chat-correction-dialog.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chat-correction-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-chat-correction-dialog.h"

struct _HoneChatCorrectionDialog
{
  AdwMessageDialog  parent_instance;

  /* Template children */
  GtkTextView      *text_view;
};

G_DEFINE_FINAL_TYPE (HoneChatCorrectionDialog, hone_chat_correction_dialog,
                     ADW_TYPE_MESSAGE_DIALOG)

HoneChatCorrectionDialog *
hone_chat_correction_dialog_new (GtkWindow  *parent,
                                 const char *text)
{
  HoneChatCorrectionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (HONE_TYPE_CHAT_CORRECTION_DIALOG,
                       "transient-for", parent,
                       NULL);
  hone_chat_correction_dialog_set_text (self, text);

  return self;
}

char *
hone_chat_correction_dialog_dup_text (HoneChatCorrectionDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (HONE_IS_CHAT_CORRECTION_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

void
hone_chat_correction_dialog_set_text (HoneChatCorrectionDialog *self,
                                      const char               *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (HONE_IS_CHAT_CORRECTION_DIALOG (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  /* Selected, so typing replaces the bot's answer and a click keeps most of it. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_select_range (buffer, &start, &end);
}

/* Nothing to add to the data without a correction. */
static void
text_changed_cb (HoneChatCorrectionDialog *self)
{
  g_autofree char *text = hone_chat_correction_dialog_dup_text (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", *text != '\0');
}

static void
hone_chat_correction_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HONE_TYPE_CHAT_CORRECTION_DIALOG);

  G_OBJECT_CLASS (hone_chat_correction_dialog_parent_class)->dispose (object);
}

static void
hone_chat_correction_dialog_class_init (HoneChatCorrectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_chat_correction_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-chat-correction-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneChatCorrectionDialog, text_view);
}

static void
hone_chat_correction_dialog_init (HoneChatCorrectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  text_changed_cb (self);
}
