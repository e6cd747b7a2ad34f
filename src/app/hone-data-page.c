/* hone-data-page.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-data-page"

#include "config.h"

#include <glib/gi18n.h>

#include "store/hone-project.h"

#include "hone-cleaning-section.h"
#include "hone-conversation-browser.h"
#include "hone-data-page.h"
#include "hone-feedback-section.h"
#include "hone-import-job.h"
#include "hone-roles-section.h"
#include "hone-stats-section.h"
#include "hone-source-row.h"

struct _HoneDataPage
{
  AdwBin               parent_instance;

  char                *project_dir;
  GCancellable        *cancellable;      /* listing and removing; cancelled with the project */
  guint                list_serial;      /* the newest listing wins */
  guint                n_sources;

  HoneImportJob       *job;              /* the import under way, or NULL */
  GCancellable        *job_cancellable;
  GPtrArray           *queue;            /* (element-type GFile) waiting for the next job */
  guint                pulse_id;

  /* Template children */
  GtkStack            *stack;
  AdwPreferencesGroup *sources_group;
  GtkListBox          *sources_list;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_title;
  GtkBox              *error_messages;
  GtkRevealer         *progress_revealer;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkRevealer         *drop_revealer;
  HoneRolesSection    *roles_section;
  HoneCleaningSection *cleaning_section;
  HoneConversationBrowser *browser;
  HoneStatsSection    *stats_section;
  HoneFeedbackSection *feedback_section;
  GtkStack            *data_stack;
};

G_DEFINE_FINAL_TYPE (HoneDataPage, hone_data_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT_DIR,
  PROP_N_SOURCES,
  PROP_IMPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef  page;
  char     *project_dir;
  guint     serial;
  gint64    remove_id;    /* 0: only list */
  char     *remove_name;
} SourcesOp;

static void
sources_op_free (SourcesOp *op)
{
  g_weak_ref_clear (&op->page);
  g_free (op->project_dir);
  g_free (op->remove_name);
  g_free (op);
}

static void reload_sources  (HoneDataPage *self,
                             gint64        remove_id,
                             const char   *remove_name);
static void start_next_job  (HoneDataPage *self);

static void
show_toast (HoneDataPage *self,
            const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  /* Toast titles are markup; file names may hold "&" or "<". */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static void
clear_errors (HoneDataPage *self)
{
  GtkWidget *child;

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->error_messages))))
    gtk_box_remove (self->error_messages, child);
}

static void
show_errors (HoneDataPage       *self,
             const char * const *messages)
{
  guint n = 0;

  for (; messages[n] != NULL; n++)
    {
      GtkWidget *label = gtk_label_new (messages[n]);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (self->error_messages, label);
    }

  if (n == 0)
    return;

  n = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->error_messages));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  gtk_label_set_label (self->error_title,
                       ngettext ("This file could not be imported",
                                 "These files could not be imported",
                                 n));
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
update_actions (HoneDataPage *self)
{
  gboolean have_project = self->project_dir != NULL;
  gboolean importing = self->job != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.import-chats", have_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.import-folder", have_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import",
                                 importing && !g_cancellable_is_cancelled (self->job_cancellable));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.remove-source",
                                 have_project && !importing);
}

/* Sources */

static GtkWidget *
find_row (HoneDataPage *self,
          gint64        source_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (HONE_IS_SOURCE_ROW (child)
          && hone_source_row_get_source_id (HONE_SOURCE_ROW (child)) == source_id)
        return child;
    }

  return NULL;
}

static void
set_n_sources (HoneDataPage *self,
               guint         n_sources)
{
  if (self->n_sources == n_sources)
    return;

  self->n_sources = n_sources;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SOURCES]);
}

static void
show_sources (HoneDataPage *self,
              GPtrArray    *sources)
{
  g_autoptr(GArray) expanded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *n_files = NULL;
  g_autofree char *n_messages = NULL;
  g_autofree char *files_text = NULL;
  g_autofree char *messages_text = NULL;
  g_autofree char *summary = NULL;
  guint64 total_messages = 0;
  GtkWidget *child;

  /* Rebuilt from scratch, but rows that were open stay open. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list))))
    {
      if (HONE_IS_SOURCE_ROW (child)
          && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (child)))
        {
          gint64 id = hone_source_row_get_source_id (HONE_SOURCE_ROW (child));
          g_array_append_val (expanded, id);
        }
      gtk_list_box_remove (self->sources_list, child);
    }

  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);
      GtkWidget *row = hone_source_row_new (info);

      for (guint j = 0; j < expanded->len; j++)
        if (g_array_index (expanded, gint64, j) == info->id)
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

      gtk_list_box_append (self->sources_list, row);
      total_messages += info->n_messages;
    }

  n_files = g_strdup_printf ("%'u", sources->len);
  n_messages = g_strdup_printf ("%'" G_GUINT64_FORMAT, total_messages);
  files_text = g_strdup_printf (ngettext ("%s file", "%s files", sources->len), n_files);
  messages_text = g_strdup_printf (ngettext ("%s message in all", "%s messages in all",
                                             (gulong) MIN (total_messages, G_MAXULONG)),
                                   n_messages);
  /* Translators: "2 files · 1,234 messages in all" */
  summary = g_strdup_printf (_("%s · %s"), files_text, messages_text);
  adw_preferences_group_set_description (self->sources_group, summary);

  /* Feedback given in Chat shows too when nothing was imported yet. */
  gtk_stack_set_visible_child_name (self->stack,
                                    sources->len > 0
                                    || hone_feedback_section_get_n_items (self->feedback_section) > 0
                                    ? "sources" : "empty");
  set_n_sources (self, sources->len);

  /* New or removed chats bring new speakers and conversations. */
  if (sources->len > 0)
    {
      hone_roles_section_reload (self->roles_section);
      hone_cleaning_section_reload (self->cleaning_section);
    }
}

static void
on_roles_changed (HoneDataPage *self)
{
  hone_cleaning_section_reload (self->cleaning_section);
}

static void
on_browser_edited (HoneDataPage *self)
{
  hone_cleaning_section_reload (self->cleaning_section);
}

static void
on_view_changed (HoneDataPage     *self,
                 HoneViewSnapshot *snapshot)
{
  hone_conversation_browser_set_snapshot (self->browser, snapshot);
  hone_stats_section_set_snapshot (self->stats_section, snapshot);
}

static void
on_feedback_data_changed (HoneDataPage *self)
{
  /* A correction became a conversation of the "Chat corrections" source. */
  reload_sources (self, 0, NULL);
}

static void
on_feedback_n_items (HoneDataPage *self)
{
  if (hone_feedback_section_get_n_items (self->feedback_section) == 0
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") != 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, "sources");
  gtk_stack_set_visible_child_name (self->data_stack, "feedback");
}

static void
on_split_changed (HoneDataPage *self,
                  double        validation_fraction,
                  gint64        seed)
{
  hone_cleaning_section_set_split (self->cleaning_section, validation_fraction, seed);
}

static void
sources_op_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SourcesOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  project = hone_project_open (op->project_dir, &error);
  if (project == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->remove_id != 0 && !hone_project_remove_source (project, op->remove_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sources = hone_project_list_sources (project, &error);
  if (sources == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&sources), (GDestroyNotify) g_ptr_array_unref);
}

static void
sources_op_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SourcesOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneDataPage) self = g_weak_ref_get (&op->page);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  sources = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (sources == NULL)
    {
      g_autofree char *message = NULL;

      if (op->remove_id != 0)
        /* Translators: the first %s is a file name, the second the reason. */
        message = g_strdup_printf (_("%s could not be removed: %s"),
                                   op->remove_name, error->message);
      else
        /* Translators: %s is the reason. */
        message = g_strdup_printf (_("The imported chats could not be listed: %s"),
                                   error->message);
      show_toast (self, message);

      if (op->serial == self->list_serial && self->n_sources == 0)
        gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (op->remove_id != 0)
    {
      /* Translators: %s is a file name. */
      g_autofree char *message = g_strdup_printf (_("%s was removed"), op->remove_name);
      show_toast (self, message);
    }

  if (op->serial == self->list_serial)
    show_sources (self, sources);
}

static void
reload_sources (HoneDataPage *self,
                gint64        remove_id,
                const char   *remove_name)
{
  g_autoptr(GTask) task = NULL;
  SourcesOp *op;

  g_assert (self->project_dir != NULL);

  op = g_new0 (SourcesOp, 1);
  g_weak_ref_init (&op->page, self);
  op->project_dir = g_strdup (self->project_dir);
  op->serial = ++self->list_serial;
  op->remove_id = remove_id;
  op->remove_name = g_strdup (remove_name);

  task = g_task_new (NULL, self->cancellable, sources_op_done, NULL);
  g_task_set_source_tag (task, reload_sources);
  g_task_set_task_data (task, op, (GDestroyNotify) sources_op_free);
  g_task_run_in_thread (task, sources_op_thread);
}

void
hone_data_page_remove_source (HoneDataPage *self,
                              gint64        source_id)
{
  GtkWidget *row;
  g_autofree char *name = NULL;

  g_return_if_fail (HONE_IS_DATA_PAGE (self));
  g_return_if_fail (self->project_dir != NULL);

  row = find_row (self, source_id);
  if (row != NULL)
    name = g_strdup (hone_source_row_get_file_name (HONE_SOURCE_ROW (row)));
  else
    name = g_strdup (_("The chat"));

  reload_sources (self, source_id, name);
}

typedef struct
{
  GWeakRef page;
  gint64   source_id;
} RemoveRequest;

static void
remove_request_free (gpointer  data,
                     GClosure *closure)
{
  RemoveRequest *request = data;

  g_weak_ref_clear (&request->page);
  g_free (request);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoveRequest    *request)
{
  g_autoptr(HoneDataPage) self = g_weak_ref_get (&request->page);

  if (self != NULL && self->project_dir != NULL && g_strcmp0 (response, "remove") == 0)
    hone_data_page_remove_source (self, request->source_id);
}

static void
hone_data_page_remove_source_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  HoneDataPage *self = HONE_DATA_PAGE (widget);
  gint64 source_id = g_variant_get_int64 (parameter);
  GtkWidget *row = find_row (self, source_id);
  GtkRoot *root = gtk_widget_get_root (widget);
  RemoveRequest *request;
  GtkWidget *dialog;
  guint n_messages;
  g_autofree char *count = NULL;

  if (row == NULL)
    return;

  n_messages = hone_source_row_get_n_messages (HONE_SOURCE_ROW (row));
  count = g_strdup_printf ("%'u", n_messages);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  /* Translators: %s is a file name. */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove %s?"),
                                     hone_source_row_get_file_name (HONE_SOURCE_ROW (row)));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  ngettext ("Hone will forget its %s message. The file itself "
                                            "stays where it is, and you can import it again later.",
                                            "Hone will forget its %s messages. The file itself "
                                            "stays where it is, and you can import it again later.",
                                            n_messages),
                                  count);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request = g_new0 (RemoveRequest, 1);
  g_weak_ref_init (&request->page, self);
  request->source_id = source_id;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_remove_response),
                         request, remove_request_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Importing */

static gboolean
pulse_progress (gpointer user_data)
{
  HoneDataPage *self = HONE_DATA_PAGE (user_data);

  gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

static void
on_job_fraction_changed (HoneDataPage  *self,
                         GParamSpec    *pspec,
                         HoneImportJob *job)
{
  double fraction = hone_import_job_get_fraction (job);

  if (fraction < 0)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_progress, self);
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
    }
}

static void
on_job_text_changed (HoneDataPage  *self,
                     GParamSpec    *pspec,
                     HoneImportJob *job)
{
  if (g_cancellable_is_cancelled (self->job_cancellable))
    return;

  gtk_label_set_label (self->progress_label, hone_import_job_get_text (job));
}

static void
drop_job (HoneDataPage *self)
{
  if (self->job == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->job, self);
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->job_cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

static void
on_job_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HoneImportJob *job = HONE_IMPORT_JOB (object);
  GWeakRef *page_ref = user_data;
  g_autoptr(HoneDataPage) self = g_weak_ref_get (page_ref);
  g_autoptr(GError) error = NULL;
  gboolean ok;
  guint n_imported;

  g_weak_ref_clear (page_ref);
  g_free (page_ref);

  ok = hone_import_job_run_finish (job, result, &error);

  /* A job dropped with its project reports to nobody. */
  if (self == NULL || job != self->job)
    return;

  n_imported = hone_import_job_get_n_imported (job);
  show_errors (self, hone_import_job_get_failures (job));

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (n_imported == 0)
        show_toast (self, _("Import cancelled"));
      else
        {
          g_autofree char *message =
            g_strdup_printf (ngettext ("Import cancelled. The file imported before is kept.",
                                       "Import cancelled. The %u files imported before are kept.",
                                       n_imported),
                             n_imported);
          show_toast (self, message);
        }
    }
  else if (!ok)
    {
      const char *messages[] = { error->message, NULL };

      show_errors (self, messages);
    }

  drop_job (self);
  reload_sources (self, 0, NULL);
  start_next_job (self);
}

static void
start_next_job (HoneDataPage *self)
{
  GWeakRef *page_ref;

  if (self->job != NULL || self->queue->len == 0 || self->project_dir == NULL)
    return;

  clear_errors (self);

  self->job = hone_import_job_new (self->project_dir,
                                   (GFile * const *) self->queue->pdata,
                                   self->queue->len);
  self->job_cancellable = g_cancellable_new ();
  g_ptr_array_set_size (self->queue, 0);

  g_signal_connect_object (self->job, "notify::text",
                           G_CALLBACK (on_job_text_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::fraction",
                           G_CALLBACK (on_job_fraction_changed), self, G_CONNECT_SWAPPED);

  gtk_label_set_label (self->progress_label, _("Getting ready…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  on_job_fraction_changed (self, NULL, self->job);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);

  page_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (page_ref, self);
  hone_import_job_run_async (self->job, self->job_cancellable, on_job_done, page_ref);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

void
hone_data_page_import_files (HoneDataPage  *self,
                             GFile * const *files,
                             guint          n_files)
{
  g_return_if_fail (HONE_IS_DATA_PAGE (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (self->project_dir == NULL)
    {
      g_warning ("Files given to import without a project");
      return;
    }

  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->queue, g_object_ref (files[i]));

  start_next_job (self);
}

void
hone_data_page_cancel_import (HoneDataPage *self)
{
  g_return_if_fail (HONE_IS_DATA_PAGE (self));

  /* Files still waiting are not wanted either. */
  g_ptr_array_set_size (self->queue, 0);

  if (self->job == NULL || g_cancellable_is_cancelled (self->job_cancellable))
    return;

  g_cancellable_cancel (self->job_cancellable);
  gtk_label_set_label (self->progress_label, _("Cancelling…"));
  update_actions (self);
}

static void
import_from_chooser (HoneDataPage   *self,
                     GtkFileChooser *chooser)
{
  g_autoptr(GListModel) model = gtk_file_chooser_get_files (chooser);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_list_model_get_item (model, i));

  hone_data_page_import_files (self, (GFile * const *) files->pdata, files->len);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  GWeakRef *page_ref = user_data;
  g_autoptr(HoneDataPage) self = g_weak_ref_get (page_ref);

  if (self != NULL && self->project_dir != NULL && response == GTK_RESPONSE_ACCEPT)
    import_from_chooser (self, GTK_FILE_CHOOSER (chooser));

  g_weak_ref_clear (page_ref);
  g_free (page_ref);
  g_object_unref (chooser);
}

static void
show_chooser (HoneDataPage         *self,
              GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  GWeakRef *page_ref;

  if (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
    {
      chooser = gtk_file_chooser_native_new (_("Import a Chat Folder"),
                                             GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                             action, _("_Import"), _("_Cancel"));
    }
  else
    {
      GtkFileFilter *filter;

      chooser = gtk_file_chooser_native_new (_("Import Chats"),
                                             GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                             action, _("_Import"), _("_Cancel"));

      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("Chat exports"));
      gtk_file_filter_add_suffix (filter, "txt");
      gtk_file_filter_add_suffix (filter, "json");
      gtk_file_filter_add_suffix (filter, "jsonl");
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "zip");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);

      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("All files"));
      gtk_file_filter_add_pattern (filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  page_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (page_ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), page_ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
hone_data_page_import_chats_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  show_chooser (HONE_DATA_PAGE (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
hone_data_page_import_folder_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  show_chooser (HONE_DATA_PAGE (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
hone_data_page_cancel_import_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  hone_data_page_cancel_import (HONE_DATA_PAGE (widget));
}

static void
hone_data_page_dismiss_errors_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  clear_errors (HONE_DATA_PAGE (widget));
}

/* Drag and drop */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HoneDataPage  *self)
{
  GdkFileList *file_list;
  g_autoptr(GPtrArray) files = NULL;
  GSList *list;

  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);

  if (self->project_dir == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  file_list = g_value_get_boxed (value);
  list = gdk_file_list_get_files (file_list);
  files = g_ptr_array_new ();
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  hone_data_page_import_files (self, (GFile * const *) files->pdata, files->len);

  return TRUE;
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               HoneDataPage  *self)
{
  if (self->project_dir == NULL)
    return 0;

  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);

  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               HoneDataPage  *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

/* The project */

const char *
hone_data_page_get_project_dir (HoneDataPage *self)
{
  g_return_val_if_fail (HONE_IS_DATA_PAGE (self), NULL);

  return self->project_dir;
}

void
hone_data_page_set_project_dir (HoneDataPage *self,
                                const char   *project_dir)
{
  GtkWidget *child;

  g_return_if_fail (HONE_IS_DATA_PAGE (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_ptr_array_set_size (self->queue, 0);
  drop_job (self);
  clear_errors (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list))))
    gtk_list_box_remove (self->sources_list, child);
  set_n_sources (self, 0);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  if (self->project_dir != NULL)
    reload_sources (self, 0, NULL);
  hone_roles_section_set_project_dir (self->roles_section, self->project_dir);
  hone_cleaning_section_set_project_dir (self->cleaning_section, self->project_dir);
  hone_conversation_browser_set_project_dir (self->browser, self->project_dir);
  hone_stats_section_set_project_dir (self->stats_section, self->project_dir);
  hone_feedback_section_set_project_dir (self->feedback_section, self->project_dir);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_DIR]);
}

guint
hone_data_page_get_n_sources (HoneDataPage *self)
{
  g_return_val_if_fail (HONE_IS_DATA_PAGE (self), 0);

  return self->n_sources;
}

gboolean
hone_data_page_get_importing (HoneDataPage *self)
{
  g_return_val_if_fail (HONE_IS_DATA_PAGE (self), FALSE);

  return self->job != NULL;
}

static void
hone_data_page_map (GtkWidget *widget)
{
  HoneDataPage *self = HONE_DATA_PAGE (widget);

  GTK_WIDGET_CLASS (hone_data_page_parent_class)->map (widget);

  /* Answers rated in Chat since the last look; the feedback tab reloads itself when it
   * is the one shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->feedback_section)))
    hone_feedback_section_reload (self->feedback_section);
}

static void
hone_data_page_dispose (GObject *object)
{
  HoneDataPage *self = HONE_DATA_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_cancellable_cancel (self->job_cancellable);
    }
  g_clear_handle_id (&self->pulse_id, g_source_remove);

  /* Unparented here rather than by AdwBin, which would find it gone after the
   * template let go of it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_DATA_PAGE);

  G_OBJECT_CLASS (hone_data_page_parent_class)->dispose (object);
}

static void
hone_data_page_finalize (GObject *object)
{
  HoneDataPage *self = HONE_DATA_PAGE (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->job_cancellable);
  g_clear_pointer (&self->queue, g_ptr_array_unref);

  G_OBJECT_CLASS (hone_data_page_parent_class)->finalize (object);
}

static void
hone_data_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HoneDataPage *self = HONE_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      g_value_set_string (value, self->project_dir);
      break;

    case PROP_N_SOURCES:
      g_value_set_uint (value, self->n_sources);
      break;

    case PROP_IMPORTING:
      g_value_set_boolean (value, self->job != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_data_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HoneDataPage *self = HONE_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      hone_data_page_set_project_dir (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_data_page_class_init (HoneDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_data_page_dispose;
  object_class->finalize = hone_data_page_finalize;
  object_class->get_property = hone_data_page_get_property;
  object_class->set_property = hone_data_page_set_property;
  widget_class->map = hone_data_page_map;

  properties[PROP_PROJECT_DIR] =
    g_param_spec_string ("project-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_SOURCES] =
    g_param_spec_uint ("n-sources", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HONE_TYPE_SOURCE_ROW);
  g_type_ensure (HONE_TYPE_ROLES_SECTION);
  g_type_ensure (HONE_TYPE_CLEANING_SECTION);
  g_type_ensure (HONE_TYPE_CONVERSATION_BROWSER);
  g_type_ensure (HONE_TYPE_STATS_SECTION);
  g_type_ensure (HONE_TYPE_FEEDBACK_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, sources_group);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, sources_list);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, error_title);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, error_messages);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, roles_section);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, cleaning_section);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, browser);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, stats_section);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, feedback_section);
  gtk_widget_class_bind_template_callback (widget_class, on_split_changed);
  gtk_widget_class_bind_template_child (widget_class, HoneDataPage, data_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_roles_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browser_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_feedback_data_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_feedback_n_items);

  gtk_widget_class_install_action (widget_class, "data.import-chats", NULL,
                                   hone_data_page_import_chats_action);
  gtk_widget_class_install_action (widget_class, "data.import-folder", NULL,
                                   hone_data_page_import_folder_action);
  gtk_widget_class_install_action (widget_class, "data.cancel-import", NULL,
                                   hone_data_page_cancel_import_action);
  gtk_widget_class_install_action (widget_class, "data.remove-source", "x",
                                   hone_data_page_remove_source_action);
  gtk_widget_class_install_action (widget_class, "data.dismiss-errors", NULL,
                                   hone_data_page_dismiss_errors_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "data.import-chats", NULL);
}

static void
hone_data_page_init (HoneDataPage *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->queue = g_ptr_array_new_with_free_func (g_object_unref);

  /* The whole page takes drops, so a file can land anywhere on it. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_actions (self);
}
