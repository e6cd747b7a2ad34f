/* hone-chat-page-actions.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Chat page's actions: bots (the first model, New Bot…, rename, delete), chats in the
 * sidebar (new, rename, delete), Send and Stop, and feedback on answers (ratings,
 * Regenerate, "Correct this answer…").
 */

#define G_LOG_DOMAIN "hone-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-chat-bot-dialog.h"
#include "hone-chat-correction-dialog.h"
#include "hone-chat-page-private.h"

/* Bots */

static void
add_bot_from_path (HoneChatPage *self,
                   const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = hone_chat_name_from_path (path);

  if (hone_chat_page_add_bot (self, name, path, NULL, &error) == 0)
    _hone_chat_page_error (self, _("The model could not be added"), error);
}

static void
first_model_chosen (GObject    *target,
                    const char *path)
{
  add_bot_from_path (HONE_CHAT_PAGE (target), path);
}

static void
choose_first_model_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  gboolean folder = g_variant_get_boolean (parameter);

  hone_chat_choose_path (_hone_chat_page_get_window (self),
                         folder ? _("Choose a Model Folder") : _("Choose a Model File"),
                         folder, G_OBJECT (self), first_model_chosen);
}

static void
bot_dialog_response_cb (HoneChatBotDialog *dialog,
                        const char        *response,
                        HoneChatPage      *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;

  name = hone_chat_bot_dialog_dup_name (dialog);
  if (hone_chat_page_add_bot (self, name, hone_chat_bot_dialog_get_model_path (dialog),
                              hone_chat_bot_dialog_get_adapter_path (dialog), &error) == 0)
    _hone_chat_page_error (self, _("The bot could not be added"), error);
}

static void
new_bot_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  HoneChatBot *current = _hone_chat_page_selected_bot (self, 0);
  HoneChatBotDialog *dialog;

  /* Most new bots are the same model with another adapter. */
  dialog = hone_chat_bot_dialog_new (_hone_chat_page_get_window (self),
                                     current != NULL ? current->model_path : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (bot_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Asking for a name */

typedef void (*NameFunc) (HoneChatPage *self,
                          gint64        id,
                          const char   *name);

typedef struct
{
  GWeakRef   page;
  GtkEntry  *entry;
  gint64     id;
  NameFunc   func;
} NameOp;

static void
name_op_free (gpointer data)
{
  NameOp *op = data;

  g_weak_ref_clear (&op->page);
  g_free (op);
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  NameOp           *op)
{
  g_autoptr(HoneChatPage) self = g_weak_ref_get (&op->page);
  g_autofree char *name = NULL;

  if (self == NULL || g_strcmp0 (response, "rename") != 0)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (op->entry))));
  if (*name != '\0')
    op->func (self, op->id, name);
}

static void
ask_name (HoneChatPage *self,
          const char   *heading,
          const char   *current,
          gint64        id,
          NameFunc      func)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();
  NameOp *op = g_new0 (NameOp, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (_hone_chat_page_get_window (self), heading, NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), current != NULL ? current : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_weak_ref_init (&op->page, self);
  op->entry = GTK_ENTRY (entry);
  op->id = id;
  op->func = func;
  g_signal_connect_data (dialog, "response", G_CALLBACK (name_response_cb), op,
                         (GClosureNotify) (void (*) (void)) name_op_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

typedef void (*ConfirmFunc) (HoneChatPage *self,
                             gint64        id);

typedef struct
{
  GWeakRef     page;
  gint64       id;
  ConfirmFunc  func;
} ConfirmOp;

static void
confirm_op_free (gpointer data)
{
  ConfirmOp *op = data;

  g_weak_ref_clear (&op->page);
  g_free (op);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     ConfirmOp        *op)
{
  g_autoptr(HoneChatPage) self = g_weak_ref_get (&op->page);

  if (self != NULL && g_strcmp0 (response, "delete") == 0)
    op->func (self, op->id);
}

static void
ask_delete (HoneChatPage *self,
            const char   *heading,
            const char   *body,
            gint64        id,
            ConfirmFunc   func)
{
  AdwMessageDialog *dialog;
  ConfirmOp *op = g_new0 (ConfirmOp, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (_hone_chat_page_get_window (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_weak_ref_init (&op->page, self);
  op->id = id;
  op->func = func;
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb), op,
                         (GClosureNotify) (void (*) (void)) confirm_op_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rename_bot (HoneChatPage *self,
            gint64        id,
            const char   *name)
{
  g_autoptr(GError) error = NULL;

  if (!hone_chat_store_rename_bot (self->project, id, name, &error))
    _hone_chat_page_error (self, _("The bot could not be renamed"), error);
  _hone_chat_page_reload_bots (self, 0);
}

static void
rename_bot_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  HoneChatBot *bot = _hone_chat_page_selected_bot (self, 0);

  if (bot != NULL)
    ask_name (self, _("Rename Bot"), bot->name, bot->id, rename_bot);
}

static void
delete_bot (HoneChatPage *self,
            gint64        id)
{
  g_autoptr(GError) error = NULL;

  if (!hone_chat_store_delete_bot (self->project, id, &error))
    _hone_chat_page_error (self, _("The bot could not be deleted"), error);
  _hone_chat_page_reload_bots (self, 0);
}

static void
delete_bot_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  HoneChatBot *bot = _hone_chat_page_selected_bot (self, 0);
  g_autofree char *heading = NULL;

  if (bot == NULL)
    return;

  /* Translators: %s is the name of a bot. */
  heading = g_strdup_printf (_("Delete “%s”?"), bot->name);
  ask_delete (self, heading,
              _("Its chats and answers stay. The model and adapter files are not touched."),
              bot->id, delete_bot);
}

/* Chats */

static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);

  hone_chat_page_open_conversation (self, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry_view));
}

static void
rename_conversation (HoneChatPage *self,
                     gint64        id,
                     const char   *name)
{
  g_autoptr(GError) error = NULL;

  if (!hone_chat_store_rename_conversation (self->project, id, name, &error))
    _hone_chat_page_error (self, _("The chat could not be renamed"), error);
  _hone_chat_page_reload_conversations (self);
}

static void
rename_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  g_autoptr(HoneChatThread) thread = NULL;

  if (self->conversation_id == 0)
    return;

  thread = hone_chat_store_get_conversation (self->project, self->conversation_id, NULL);
  ask_name (self, _("Rename Chat"), thread != NULL ? thread->title : NULL,
            self->conversation_id, rename_conversation);
}

static void
delete_conversation (HoneChatPage *self,
                     gint64        id)
{
  g_autoptr(GError) error = NULL;

  if (!hone_chat_store_delete_conversation (self->project, id, &error))
    _hone_chat_page_error (self, _("The chat could not be deleted"), error);
  if (id == self->conversation_id)
    hone_chat_page_open_conversation (self, 0);
  _hone_chat_page_reload_conversations (self);
}

static void
delete_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);

  if (self->conversation_id == 0)
    return;

  ask_delete (self, _("Delete This Chat?"),
              _("Its messages are deleted. Ratings and corrections you gave stay, and so does "
                "anything you added to the training data."),
              self->conversation_id, delete_conversation);
}

/* Sending */

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->entry_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (hone_chat_page_send (self, text))
    gtk_text_buffer_set_text (buffer, "", -1);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  hone_chat_page_stop (HONE_CHAT_PAGE (widget));
}

/* Feedback */

void
_hone_chat_page_row_rated (HoneChatPage   *self,
              int             rating,
              HoneMessageRow *row)
{
  g_autoptr(GError) error = NULL;
  gint64 message_id = hone_message_row_get_message_id (row);

  if (self->project == NULL || message_id == 0)
    return;

  if (hone_chat_store_set_rating (self->project, message_id, rating, &error) == 0
      && error != NULL)
    _hone_chat_page_error (self, _("The rating could not be saved"), error);
}

void
_hone_chat_page_row_regenerate (HoneChatPage   *self,
                   HoneMessageRow *row)
{
  g_autoptr(GError) error = NULL;
  HoneChatBot *bot;
  Turn *turn;
  guint lane;
  gint64 old_id = hone_message_row_get_message_id (row);

  if (self->jobs->len > 0 || !_hone_chat_page_find_row (self, row, &turn, &lane) || turn != _hone_chat_page_last_turn (self))
    return;

  bot = _hone_chat_page_selected_bot (self, lane);
  if (bot == NULL)
    return;

  /* The new answer replaces the old one, in the store as on the page. */
  if (old_id != 0 && !hone_chat_store_delete_message (self->project, old_id, &error))
    {
      _hone_chat_page_error (self, _("The answer could not be replaced"), error);
      return;
    }

  self->stick_to_bottom = TRUE;
  _hone_chat_page_start_answer (self, turn, lane, bot, row);
  _hone_chat_page_update_actions (self);
}

typedef struct
{
  GWeakRef        page;
  gint64          message_id;
} CorrectOp;

static void
correct_op_free (gpointer data)
{
  CorrectOp *op = data;

  g_weak_ref_clear (&op->page);
  g_free (op);
}

static void
correction_response_cb (HoneChatCorrectionDialog *dialog,
                        const char               *response,
                        CorrectOp                *op)
{
  g_autoptr(HoneChatPage) self = g_weak_ref_get (&op->page);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 feedback_id;

  if (self == NULL || self->project == NULL
      || (g_strcmp0 (response, "save") != 0 && g_strcmp0 (response, "add") != 0))
    return;

  text = hone_chat_correction_dialog_dup_text (dialog);
  feedback_id = hone_chat_store_save_correction (self->project, op->message_id, text, &error);
  if (feedback_id == 0)
    {
      if (error != NULL)
        _hone_chat_page_error (self, _("The correction could not be saved"), error);
      return;
    }

  if (g_strcmp0 (response, "add") != 0)
    {
      _hone_chat_page_toast (self, _("Your correction was saved with this chat."));
      return;
    }

  if (hone_chat_store_add_correction_to_data (self->project, feedback_id, &error) == 0)
    {
      _hone_chat_page_error (self, _("The correction could not be added to the training data"), error);
      return;
    }

  _hone_chat_page_toast (self, _("Your correction was added to the training data. "
                      "The next training run learns from it."));
}

HoneChatCorrectionDialog *
hone_chat_page_correct (HoneChatPage   *self,
                        HoneMessageRow *answer)
{
  g_autoptr(HoneChatEntry) entry = NULL;
  HoneChatCorrectionDialog *dialog;
  gint64 message_id;
  CorrectOp *op;

  g_return_val_if_fail (HONE_IS_CHAT_PAGE (self), NULL);
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (answer), NULL);

  message_id = hone_message_row_get_message_id (answer);
  if (self->project == NULL || message_id == 0)
    return NULL;

  /* An earlier correction comes back to be improved. */
  entry = hone_chat_store_get_message (self->project, message_id, NULL);
  dialog = hone_chat_correction_dialog_new (_hone_chat_page_get_window (self),
                                            entry != NULL && entry->correction != NULL
                                            ? entry->correction
                                            : hone_message_row_get_text (answer));

  op = g_new0 (CorrectOp, 1);
  g_weak_ref_init (&op->page, self);
  op->message_id = message_id;
  g_signal_connect_data (dialog, "response", G_CALLBACK (correction_response_cb), op,
                         (GClosureNotify) (void (*) (void)) correct_op_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

void
_hone_chat_page_row_correct (HoneChatPage   *self,
                HoneMessageRow *row)
{
  hone_chat_page_correct (self, row);
}

void
_hone_chat_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "chat.choose-first-model", "b",
                                   choose_first_model_action);
  gtk_widget_class_install_action (widget_class, "chat.new-bot", NULL, new_bot_action);
  gtk_widget_class_install_action (widget_class, "chat.rename-bot", NULL, rename_bot_action);
  gtk_widget_class_install_action (widget_class, "chat.delete-bot", NULL, delete_bot_action);
  gtk_widget_class_install_action (widget_class, "chat.new-conversation", NULL,
                                   new_conversation_action);
  gtk_widget_class_install_action (widget_class, "chat.rename-conversation", NULL,
                                   rename_conversation_action);
  gtk_widget_class_install_action (widget_class, "chat.delete-conversation", NULL,
                                   delete_conversation_action);
  gtk_widget_class_install_action (widget_class, "chat.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "chat.stop", NULL, stop_action);
  gtk_widget_class_install_property_action (widget_class, "chat.compare", "compare");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "chat.new-conversation", NULL);
}
