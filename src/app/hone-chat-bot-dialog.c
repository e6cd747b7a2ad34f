/* hone-chat-bot-dialog.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-chat-bot-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hone-chat-bot-dialog.h"

struct _HoneChatBotDialog
{
  AdwMessageDialog  parent_instance;

  char             *model_path;
  char             *adapter_path;
  gboolean          name_edited;   /* the person typed a name: keep it */
  gboolean          naming;        /* the name is being set from the model's */

  /* Template children */
  AdwEntryRow      *name_row;
  AdwActionRow     *model_row;
  AdwActionRow     *adapter_row;
};

G_DEFINE_FINAL_TYPE (HoneChatBotDialog, hone_chat_bot_dialog, ADW_TYPE_MESSAGE_DIALOG)

typedef struct
{
  GWeakRef          target;
  HoneChatPathFunc  func;
} ChooseOp;

static void
choose_op_free (ChooseOp *op)
{
  g_weak_ref_clear (&op->target);
  g_free (op);
}

static void
choose_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    ChooseOp        *op)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GObject) target = g_weak_ref_get (&op->target);
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (target != NULL && path != NULL)
        op->func (target, path);
    }

  choose_op_free (op);
  g_object_unref (chooser);
}

void
hone_chat_choose_path (GtkWindow        *parent,
                       const char       *title,
                       gboolean          folder,
                       GObject          *target,
                       HoneChatPathFunc  func)
{
  GtkFileChooserNative *chooser;
  ChooseOp *op;

  g_return_if_fail (G_IS_OBJECT (target));
  g_return_if_fail (func != NULL);

  chooser = gtk_file_chooser_native_new (title, parent,
                                         folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  if (!folder)
    {
      g_autoptr(GtkFileFilter) gguf = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (gguf, _("GGUF Files"));
      gtk_file_filter_add_pattern (gguf, "*.gguf");
      gtk_file_filter_add_pattern (gguf, "*.GGUF");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), gguf);
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
    }

  op = g_new0 (ChooseOp, 1);
  g_weak_ref_init (&op->target, target);
  op->func = func;

  g_signal_connect (chooser, "response", G_CALLBACK (choose_response_cb), op);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

char *
hone_chat_name_from_path (const char *path)
{
  g_autofree char *base = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".gguf") || g_str_has_suffix (base, ".GGUF"))
    base[strlen (base) - strlen (".gguf")] = '\0';
  display = g_filename_display_name (base);

  return g_steal_pointer (&display);
}

HoneChatBotDialog *
hone_chat_bot_dialog_new (GtkWindow  *parent,
                          const char *model_path)
{
  HoneChatBotDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (HONE_TYPE_CHAT_BOT_DIALOG,
                       "transient-for", parent,
                       NULL);
  if (model_path != NULL)
    hone_chat_bot_dialog_set_model_path (self, model_path);

  return self;
}

char *
hone_chat_bot_dialog_dup_name (HoneChatBotDialog *self)
{
  g_return_val_if_fail (HONE_IS_CHAT_BOT_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static void
update_add (HoneChatBotDialog *self)
{
  g_autofree char *name = hone_chat_bot_dialog_dup_name (self);

  if (!self->naming)
    self->name_edited = *name != '\0';

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add",
                                           *name != '\0' && self->model_path != NULL);
}

static void
show_path (AdwActionRow *row,
           const char   *path,
           const char   *none)
{
  g_autofree char *display = path != NULL ? g_filename_display_name (path) : NULL;

  adw_action_row_set_subtitle (row, display != NULL ? display : none);
}

const char *
hone_chat_bot_dialog_get_model_path (HoneChatBotDialog *self)
{
  g_return_val_if_fail (HONE_IS_CHAT_BOT_DIALOG (self), NULL);

  return self->model_path;
}

void
hone_chat_bot_dialog_set_model_path (HoneChatBotDialog *self,
                                     const char        *path)
{
  g_return_if_fail (HONE_IS_CHAT_BOT_DIALOG (self));

  g_free (self->model_path);
  self->model_path = g_strdup (path);
  show_path (self->model_row, path, _("None chosen yet"));

  /* Until the person names the bot, it is named after its model. */
  if (!self->name_edited && path != NULL)
    {
      g_autofree char *name = hone_chat_name_from_path (path);

      self->naming = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->naming = FALSE;
    }

  update_add (self);
}

const char *
hone_chat_bot_dialog_get_adapter_path (HoneChatBotDialog *self)
{
  g_return_val_if_fail (HONE_IS_CHAT_BOT_DIALOG (self), NULL);

  return self->adapter_path;
}

void
hone_chat_bot_dialog_set_adapter_path (HoneChatBotDialog *self,
                                       const char        *path)
{
  g_return_if_fail (HONE_IS_CHAT_BOT_DIALOG (self));

  g_free (self->adapter_path);
  self->adapter_path = g_strdup (path);
  show_path (self->adapter_row, path, _("None: the model as it is"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.clear-adapter", path != NULL);
}

static void
model_chosen (GObject    *target,
              const char *path)
{
  hone_chat_bot_dialog_set_model_path (HONE_CHAT_BOT_DIALOG (target), path);
}

static void
adapter_chosen (GObject    *target,
                const char *path)
{
  hone_chat_bot_dialog_set_adapter_path (HONE_CHAT_BOT_DIALOG (target), path);
}

static void
choose_model_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gboolean folder = g_variant_get_boolean (parameter);

  hone_chat_choose_path (GTK_WINDOW (widget),
                         folder ? _("Choose a Model Folder") : _("Choose a Model File"),
                         folder, G_OBJECT (widget), model_chosen);
}

static void
choose_adapter_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gboolean folder = g_variant_get_boolean (parameter);

  hone_chat_choose_path (GTK_WINDOW (widget),
                         folder ? _("Choose an Adapter Folder") : _("Choose an Adapter File"),
                         folder, G_OBJECT (widget), adapter_chosen);
}

static void
clear_adapter_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  hone_chat_bot_dialog_set_adapter_path (HONE_CHAT_BOT_DIALOG (widget), NULL);
}

static void
hone_chat_bot_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HONE_TYPE_CHAT_BOT_DIALOG);

  G_OBJECT_CLASS (hone_chat_bot_dialog_parent_class)->dispose (object);
}

static void
hone_chat_bot_dialog_finalize (GObject *object)
{
  HoneChatBotDialog *self = HONE_CHAT_BOT_DIALOG (object);

  g_clear_pointer (&self->model_path, g_free);
  g_clear_pointer (&self->adapter_path, g_free);

  G_OBJECT_CLASS (hone_chat_bot_dialog_parent_class)->finalize (object);
}

static void
hone_chat_bot_dialog_class_init (HoneChatBotDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_chat_bot_dialog_dispose;
  object_class->finalize = hone_chat_bot_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-chat-bot-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneChatBotDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HoneChatBotDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, HoneChatBotDialog, adapter_row);
  gtk_widget_class_bind_template_callback (widget_class, update_add);

  gtk_widget_class_install_action (widget_class, "chat.choose-model", "b",
                                   choose_model_action);
  gtk_widget_class_install_action (widget_class, "chat.choose-adapter", "b",
                                   choose_adapter_action);
  gtk_widget_class_install_action (widget_class, "chat.clear-adapter", NULL,
                                   clear_adapter_action);
}

static void
hone_chat_bot_dialog_init (HoneChatBotDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  show_path (self->model_row, NULL, _("None chosen yet"));
  hone_chat_bot_dialog_set_adapter_path (self, NULL);
  update_add (self);
}
