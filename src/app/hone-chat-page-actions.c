/* hone-chat-page-actions.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Chat page's actions: bots (the first model, New Bot…, rename, delete), chats in the
 * sidebar (new, rename, delete), Send and Stop, and feedback on answers (ratings,
 * Regenerate, "Correct this answer…"). Every read and write of the chat store goes through
 * the page's store thread (_hone_chat_page_store); the page shows the result when it is
 * back.
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
  g_autofree char *name = hone_chat_name_from_path (path);

  hone_chat_page_add_bot (self, name, path, NULL);
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
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;

  name = hone_chat_bot_dialog_dup_name (dialog);
  hone_chat_page_add_bot (self, name, hone_chat_bot_dialog_get_model_path (dialog),
                          hone_chat_bot_dialog_get_adapter_path (dialog));
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

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (_hone_chat_page_get_window (self),
                                                       heading, NULL));
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

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (_hone_chat_page_get_window (self),
                                                       heading, body));
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

/* A change to a bot or a chat, then the list it is in, read again. */
typedef struct
{
  gint64      id;
  char       *name;        /* NULL: delete */
  const char *failed;      /* what the toast says when it fails */
  GPtrArray  *list;        /* HoneChatBot or HoneChatThread */
} ChangeOp;

static void
change_op_free (gpointer data)
{
  ChangeOp *op = data;

  g_free (op->name);
  g_clear_pointer (&op->list, g_ptr_array_unref);
  g_free (op);
}

static ChangeOp *
change_op_new (gint64      id,
               const char *name,
               const char *failed)
{
  ChangeOp *op = g_new0 (ChangeOp, 1);

  op->id = id;
  op->name = g_strdup (name);
  op->failed = failed;

  return op;
}

static gboolean
change_bot_run (HoneProject  *project,
                gpointer      data,
                GError      **error)
{
  ChangeOp *op = data;

  if (op->name != NULL ? !hone_chat_store_rename_bot (project, op->id, op->name, error)
                       : !hone_chat_store_delete_bot (project, op->id, error))
    return FALSE;
  op->list = hone_chat_store_list_bots (project, error);

  return op->list != NULL;
}

static void
change_bot_done (HoneChatPage *self,
                 gpointer      data,
                 const GError *error)
{
  ChangeOp *op = data;

  if (self == NULL)
    return;
  if (error != NULL)
    {
      _hone_chat_page_error (self, _(op->failed), error);
      _hone_chat_page_reload_bots (self);
      return;
    }
  _hone_chat_page_set_bots (self, g_steal_pointer (&op->list), 0);
}

static void
rename_bot (HoneChatPage *self,
            gint64        id,
            const char   *name)
{
  _hone_chat_page_store (self, change_bot_run, change_bot_done,
                         change_op_new (id, name, N_("The bot could not be renamed")),
                         change_op_free);
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
  _hone_chat_page_store (self, change_bot_run, change_bot_done,
                         change_op_new (id, NULL, N_("The bot could not be deleted")),
                         change_op_free);
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

static gboolean
change_conversation_run (HoneProject  *project,
                         gpointer      data,
                         GError      **error)
{
  ChangeOp *op = data;

  if (op->name != NULL
      ? !hone_chat_store_rename_conversation (project, op->id, op->name, error)
      : !hone_chat_store_delete_conversation (project, op->id, error))
    return FALSE;
  op->list = hone_chat_store_list_conversations (project, error);

  return op->list != NULL;
}

static void
change_conversation_done (HoneChatPage *self,
                          gpointer      data,
                          const GError *error)
{
  ChangeOp *op = data;

  if (self == NULL)
    return;
  if (error != NULL)
    {
      _hone_chat_page_error (self, _(op->failed), error);
      _hone_chat_page_reload_conversations (self);
      return;
    }
  _hone_chat_page_set_conversations (self, op->list);
}

static void
rename_conversation (HoneChatPage *self,
                     gint64        id,
                     const char   *name)
{
  _hone_chat_page_store (self, change_conversation_run, change_conversation_done,
                         change_op_new (id, name, N_("The chat could not be renamed")),
                         change_op_free);
}

static void
rename_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  HoneChatPage *self = HONE_CHAT_PAGE (widget);

  if (self->conversation_id == 0)
    return;

  ask_name (self, _("Rename Chat"),
            _hone_chat_page_conversation_title (self, self->conversation_id),
            self->conversation_id, rename_conversation);
}

static void
delete_conversation (HoneChatPage *self,
                     gint64        id)
{
  /* Gone from the page at once; the store follows. */
  if (id == self->conversation_id)
    hone_chat_page_open_conversation (self, 0);
  _hone_chat_page_store (self, change_conversation_run, change_conversation_done,
                         change_op_new (id, NULL, N_("The chat could not be deleted")),
                         change_op_free);
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

typedef struct
{
  gint64  message_id;
  int     rating;
  char   *correction;
  gboolean add;          /* the correction goes into the training data too */
  gint64  feedback_id;   /* out */
} FeedbackOp;

static void
feedback_op_free (gpointer data)
{
  FeedbackOp *op = data;

  g_free (op->correction);
  g_free (op);
}

static gboolean
rating_run (HoneProject  *project,
            gpointer      data,
            GError      **error)
{
  FeedbackOp *op = data;

  /* 0 without an error: the feedback row went away (no rating, no correction). */
  return hone_chat_store_set_rating (project, op->message_id, op->rating, error) != 0
         || (error == NULL || *error == NULL);
}

static void
rating_done (HoneChatPage *self,
             gpointer      data,
             const GError *error)
{
  if (self != NULL && error != NULL)
    _hone_chat_page_error (self, _("The rating could not be saved"), error);
}

void
_hone_chat_page_row_rated (HoneChatPage   *self,
                           int             rating,
                           HoneMessageRow *row)
{
  gint64 message_id = hone_message_row_get_message_id (row);
  FeedbackOp *op;

  /* The answer is stored before its buttons work: the rating comes after it. */
  if (self->store == NULL || message_id == 0)
    return;

  op = g_new0 (FeedbackOp, 1);
  op->message_id = message_id;
  op->rating = rating;
  _hone_chat_page_store (self, rating_run, rating_done, op, feedback_op_free);
}

typedef struct
{
  AnswerJob *job;
  gint64     old_id;
  gint64     conversation_id;
  gint64     user_id;
  guint      lane;
  JsonNode  *messages;   /* out */
} RegenerateOp;

static void
regenerate_op_free (gpointer data)
{
  RegenerateOp *op = data;

  g_clear_pointer (&op->messages, json_node_unref);
  g_free (op);
}

static gboolean
regenerate_run (HoneProject  *project,
                gpointer      data,
                GError      **error)
{
  RegenerateOp *op = data;

  /* The new answer replaces the old one, in the store as on the page. */
  if (op->old_id != 0 && !hone_chat_store_delete_message (project, op->old_id, error))
    return FALSE;
  op->messages = hone_chat_store_build_messages (project, op->conversation_id, op->lane,
                                                 op->user_id, error);

  return op->messages != NULL;
}

static void
regenerate_done (HoneChatPage *self,
                 gpointer      data,
                 const GError *error)
{
  RegenerateOp *op = data;

  if (self != NULL && error != NULL)
    _hone_chat_page_error (self, _("The answer could not be replaced"), error);
  _hone_chat_page_submit_answer (self, op->job, op->messages, op->conversation_id,
                                 op->user_id,
                                 error != NULL ? _("The answer could not be replaced.") : NULL);
}

void
_hone_chat_page_row_regenerate (HoneChatPage   *self,
                                HoneMessageRow *row)
{
  RegenerateOp *op;
  HoneChatBot *bot;
  Turn *turn;
  guint lane;

  if (self->jobs->len > 0 || self->store == NULL || self->conversation_id == 0
      || !_hone_chat_page_find_row (self, row, &turn, &lane)
      || turn != _hone_chat_page_last_turn (self) || turn->user_id == 0)
    return;

  /* The bot that gave this answer answers again; the one chosen now only when that one
   * was deleted. */
  bot = _hone_chat_page_find_bot (self, turn->bot_ids[lane]);
  if (bot == NULL)
    bot = _hone_chat_page_selected_bot (self, lane);
  if (bot == NULL)
    return;

  op = g_new0 (RegenerateOp, 1);
  op->old_id = hone_message_row_get_message_id (row);
  op->conversation_id = self->conversation_id;
  op->user_id = turn->user_id;
  op->lane = lane;
  g_hash_table_remove (self->corrections, &op->old_id);

  self->stick_to_bottom = TRUE;
  op->job = _hone_chat_page_begin_answer (self, turn, lane, bot, row);
  _hone_chat_page_store (self, regenerate_run, regenerate_done, op, regenerate_op_free);
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

static gboolean
correction_run (HoneProject  *project,
                gpointer      data,
                GError      **error)
{
  FeedbackOp *op = data;

  op->feedback_id = hone_chat_store_save_correction (project, op->message_id, op->correction,
                                                     error);
  if (op->feedback_id == 0)
    return error == NULL || *error == NULL;
  if (op->add && hone_chat_store_add_correction_to_data (project, op->feedback_id, error) == 0)
    {
      g_prefix_error_literal (error, _("It was saved, but not added to the training data: "));
      return FALSE;
    }

  return TRUE;
}

static void
correction_done (HoneChatPage *self,
                 gpointer      data,
                 const GError *error)
{
  FeedbackOp *op = data;

  if (self == NULL)
    return;
  if (error != NULL)
    _hone_chat_page_error (self, _("The correction could not be saved"), error);
  else if (op->feedback_id == 0)
    return;
  else if (op->add)
    _hone_chat_page_toast (self, _("Your correction was added to the training data. "
                                   "The next training run learns from it."));
  else
    _hone_chat_page_toast (self, _("Your correction was saved with this chat."));
}

static void
correction_response_cb (HoneChatCorrectionDialog *dialog,
                        const char               *response,
                        CorrectOp                *correct)
{
  g_autoptr(HoneChatPage) self = g_weak_ref_get (&correct->page);
  FeedbackOp *op;

  if (self == NULL || self->store == NULL
      || (g_strcmp0 (response, "save") != 0 && g_strcmp0 (response, "add") != 0))
    return;

  op = g_new0 (FeedbackOp, 1);
  op->message_id = correct->message_id;
  op->correction = hone_chat_correction_dialog_dup_text (dialog);
  op->add = g_strcmp0 (response, "add") == 0;
  if (op->correction != NULL && op->correction[0] != '\0')
    g_hash_table_insert (self->corrections,
                         g_memdup2 (&op->message_id, sizeof op->message_id),
                         g_strdup (op->correction));
  else
    g_hash_table_remove (self->corrections, &op->message_id);
  _hone_chat_page_store (self, correction_run, correction_done, op, feedback_op_free);
}

HoneChatCorrectionDialog *
hone_chat_page_correct (HoneChatPage   *self,
                        HoneMessageRow *answer)
{
  HoneChatCorrectionDialog *dialog;
  const char *earlier;
  gint64 message_id;
  CorrectOp *op;

  g_return_val_if_fail (HONE_IS_CHAT_PAGE (self), NULL);
  g_return_val_if_fail (HONE_IS_MESSAGE_ROW (answer), NULL);

  message_id = hone_message_row_get_message_id (answer);
  if (self->store == NULL || message_id == 0)
    return NULL;

  /* An earlier correction comes back to be improved. */
  earlier = g_hash_table_lookup (self->corrections, &message_id);
  dialog = hone_chat_correction_dialog_new (_hone_chat_page_get_window (self),
                                            earlier != NULL ? earlier
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
