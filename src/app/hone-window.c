/* hone-window.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-window"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "store/hone-project.h"
#include "worker/hone-worker.h"

#include "hone-application.h"
#include "hone-chat-page.h"
#include "hone-data-page.h"
#include "hone-welcome-page.h"
#include "hone-window.h"

#define SETTINGS_SCHEMA_ID "io.github.honeapp.Hone"
#define MAX_RECENT_PROJECTS 10

struct _HoneWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;   /* cancelled when the window goes */
  char                 *project_dir;
  guint                 open_serial;   /* the newest open request wins */
  HoneWorker           *worker;        /* the open project's engine worker, or NULL */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *project_title_box;
  GtkLabel             *project_title;
  GtkLabel             *project_subtitle;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  HoneWelcomePage      *welcome_page;
  HoneDataPage         *data_page;
  HoneChatPage         *chat_page;
};

G_DEFINE_FINAL_TYPE (HoneWindow, hone_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef  window;
  char     *dir;
  guint     serial;
  gboolean  create;
  gboolean  existed;   /* create found a project already there and opened it */
} ProjectOp;

static void
project_op_free (ProjectOp *op)
{
  g_weak_ref_clear (&op->window);
  g_free (op->dir);
  g_free (op);
}

HoneWindow *
hone_window_new (HoneApplication *application)
{
  return g_object_new (HONE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
hone_window_get_project_dir (HoneWindow *self)
{
  g_return_val_if_fail (HONE_IS_WINDOW (self), NULL);

  return self->project_dir;
}

void
hone_window_add_toast (HoneWindow *self,
                       const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (HONE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are markup; messages name files, which may hold "&" or "<". */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
dup_display_dir (const char *dir)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  if (g_str_has_prefix (dir, home) && (dir[len] == '/' || dir[len] == '\0'))
    {
      g_autofree char *rest = g_filename_display_name (dir + len);
      return g_strconcat ("~", rest, NULL);
    }

  return g_filename_display_name (dir);
}

static void
remember_recent_project (HoneWindow *self,
                         const char *dir)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, dir);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_PROJECTS; i++)
    {
      if (g_strcmp0 (recent[i], dir) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

static void
forget_recent_project (HoneWindow *self,
                       const char *dir)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; recent[i] != NULL; i++)
    if (g_strcmp0 (recent[i], dir) != 0)
      g_strv_builder_add (builder, recent[i]);

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

/* The view switcher takes the middle of the header bar, hiding the title there; the
 * project's name then shows at the start of the bar. Only its opacity follows the
 * switcher: the switcher changes while the bar is being allocated, when a change of
 * size would come too late, and a box that kept its place cannot make the switcher
 * flip back and forth. */
static void
update_project_title (HoneWindow *self)
{
  gboolean shown = !adw_view_switcher_title_get_title_visible (self->switcher_title);

  gtk_widget_set_opacity (self->project_title_box, shown ? 1.0 : 0.0);
  gtk_widget_set_can_target (self->project_title_box, shown);
}

static void
hone_window_set_project_dir (HoneWindow *self,
                             const char *dir)
{
  if (g_strcmp0 (dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (dir);

  if (dir != NULL)
    {
      g_autofree char *name = g_filename_display_basename (dir);
      g_autofree char *parent = g_path_get_dirname (dir);
      g_autofree char *where = dup_display_dir (parent);
      g_autofree char *full = dup_display_dir (dir);

      adw_view_switcher_title_set_title (self->switcher_title, name);
      adw_view_switcher_title_set_subtitle (self->switcher_title, where);
      gtk_label_set_label (self->project_title, name);
      gtk_label_set_label (self->project_subtitle, where);
      gtk_widget_set_tooltip_text (self->project_title_box, full);
      gtk_window_set_title (GTK_WINDOW (self), name);
      adw_view_stack_set_visible_child_name (self->view_stack, "data");
      gtk_stack_set_visible_child_name (self->main_stack, "project");
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title, "Hone");
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), "Hone");
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, dir != NULL);
  gtk_widget_set_visible (self->project_title_box, dir != NULL);
  update_project_title (self);
  hone_data_page_set_project_dir (self->data_page, dir);
  hone_chat_page_set_project (self->chat_page, dir, self->worker);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", dir != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_DIR]);
}

/* One engine worker per open project: it owns the GPU and records chat answers there. The
 * chat page lets go of the old one first. */
static void
replace_worker (HoneWindow  *self,
                HoneProject *project)
{
  hone_chat_page_set_project (self->chat_page, NULL, NULL);
  g_clear_pointer (&self->worker, hone_worker_free);
  if (project != NULL)
    self->worker = hone_worker_new (project);
}

static void
project_op_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ProjectOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  if (op->create)
    {
      if (g_mkdir_with_parents (op->dir, 0755) != 0)
        {
          int errsv = errno;

          g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (errsv),
                                   "%s", g_strerror (errsv));
          return;
        }

      project = hone_project_create (op->dir, &error);
      if (project == NULL
          && g_error_matches (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_EXISTS))
        {
          op->existed = TRUE;
          g_clear_error (&error);
          project = hone_project_open (op->dir, &error);
        }
    }
  else
    {
      project = hone_project_open (op->dir, &error);
    }

  /* Every later piece of work opens its own connection on its own thread; this one only
   * tells the engine worker which project it serves. */
  if (project == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&project), (GDestroyNotify) hone_project_free);
}

static char *
describe_project_error (const ProjectOp *op,
                        const GError    *error)
{
  g_autofree char *name = g_filename_display_basename (op->dir);

  if (error->domain == G_FILE_ERROR)
    /* Translators: the first %s is a folder name, the second the reason. */
    return g_strdup_printf (_("The folder “%s” could not be made: %s"), name, error->message);

  if (error->domain == HONE_PROJECT_ERROR)
    {
      switch ((HoneProjectError) error->code)
        {
        case HONE_PROJECT_ERROR_NOT_FOUND:
          return g_strdup_printf (_("“%s” is not a Hone project. "
                                    "To start one, choose New Project."),
                                  name);
        case HONE_PROJECT_ERROR_TOO_NEW:
          return g_strdup_printf (_("“%s” was made by a newer version of Hone. "
                                    "Update Hone to open it."),
                                  name);
        case HONE_PROJECT_ERROR_CORRUPT:
          return g_strdup_printf (_("“%s” is damaged or is not a Hone project."), name);
        case HONE_PROJECT_ERROR_EXISTS:
        case HONE_PROJECT_ERROR_DUPLICATE:
        case HONE_PROJECT_ERROR_NO_SOURCE:
        case HONE_PROJECT_ERROR_FAILED:
        default:
          break;
        }
    }

  if (op->create)
    /* Translators: the first %s is a folder name, the second the reason. */
    return g_strdup_printf (_("The project “%s” could not be made: %s"), name, error->message);

  /* Translators: the first %s is a folder name, the second the reason. */
  return g_strdup_printf (_("The project “%s” could not be opened: %s"), name, error->message);
}

static void
project_op_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProjectOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneWindow) self = g_weak_ref_get (&op->window);
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = g_task_propagate_pointer (G_TASK (result), &error);
  if (project == NULL)
    {
      g_autofree char *message = NULL;

      if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = describe_project_error (op, error);
      hone_window_add_toast (self, message);
      return;
    }

  if (self == NULL || op->serial != self->open_serial)
    return;

  if (g_strcmp0 (op->dir, self->project_dir) != 0)
    replace_worker (self, project);
  hone_window_set_project_dir (self, op->dir);
  remember_recent_project (self, op->dir);

  if (op->create && op->existed)
    {
      g_autofree char *name = g_filename_display_basename (op->dir);
      g_autofree char *message =
        g_strdup_printf (_("“%s” already holds a project, so it was opened."), name);

      hone_window_add_toast (self, message);
    }
}

static void
start_project_op (HoneWindow *self,
                  GFile      *folder,
                  gboolean    create)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *dir = NULL;
  ProjectOp *op;

  dir = g_file_get_path (folder);
  if (dir == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (folder);
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not a folder on this computer. "
                           "Projects have to be kept on this computer."),
                         name);

      hone_window_add_toast (self, message);
      return;
    }

  op = g_new0 (ProjectOp, 1);
  g_weak_ref_init (&op->window, self);
  op->dir = g_steal_pointer (&dir);
  op->create = create;
  op->serial = ++self->open_serial;

  task = g_task_new (NULL, self->cancellable, project_op_done, NULL);
  g_task_set_source_tag (task, start_project_op);
  g_task_set_task_data (task, op, (GDestroyNotify) project_op_free);
  g_task_run_in_thread (task, project_op_thread);
}

void
hone_window_open_project (HoneWindow *self,
                          GFile      *folder)
{
  g_return_if_fail (HONE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  start_project_op (self, folder, FALSE);
}

void
hone_window_create_project (HoneWindow *self,
                            GFile      *folder)
{
  g_return_if_fail (HONE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  start_project_op (self, folder, TRUE);
}

void
hone_window_close_project (HoneWindow *self)
{
  g_return_if_fail (HONE_IS_WINDOW (self));

  self->open_serial++;
  hone_window_set_project_dir (self, NULL);
  replace_worker (self, NULL);
}

static void
hone_window_close_project_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  hone_window_close_project (HONE_WINDOW (widget));
}

static void
hone_window_open_recent_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  HoneWindow *self = HONE_WINDOW (widget);
  g_autoptr(GFile) folder = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (HONE_IS_APPLICATION (application))
    hone_application_open_project (HONE_APPLICATION (application), folder, self);
  else
    hone_window_open_project (self, folder);
}

static void
hone_window_forget_recent_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  forget_recent_project (HONE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
hone_window_show_page_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  HoneWindow *self = HONE_WINDOW (widget);

  if (self->project_dir != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack,
                                           g_variant_get_string (parameter, NULL));
}

static void
save_window_state (HoneWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
hone_window_close_request (GtkWindow *window)
{
  save_window_state (HONE_WINDOW (window));

  return GTK_WINDOW_CLASS (hone_window_parent_class)->close_request (window);
}

static void
hone_window_dispose (GObject *object)
{
  HoneWindow *self = HONE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chat_page != NULL)
    replace_worker (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_WINDOW);

  G_OBJECT_CLASS (hone_window_parent_class)->dispose (object);
}

static void
hone_window_finalize (GObject *object)
{
  HoneWindow *self = HONE_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->project_dir, g_free);

  G_OBJECT_CLASS (hone_window_parent_class)->finalize (object);
}

static void
hone_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HoneWindow *self = HONE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      g_value_set_string (value, self->project_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_window_class_init (HoneWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hone_window_dispose;
  object_class->finalize = hone_window_finalize;
  object_class->get_property = hone_window_get_property;

  window_class->close_request = hone_window_close_request;

  properties[PROP_PROJECT_DIR] =
    g_param_spec_string ("project-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HONE_TYPE_CHAT_PAGE);
  g_type_ensure (HONE_TYPE_DATA_PAGE);
  g_type_ensure (HONE_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, project_title_box);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, project_title);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, project_subtitle);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, data_page);
  gtk_widget_class_bind_template_child (widget_class, HoneWindow, chat_page);

  gtk_widget_class_install_action (widget_class, "win.close-project", NULL,
                                   hone_window_close_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s",
                                   hone_window_open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.forget-recent", "s",
                                   hone_window_forget_recent_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   hone_window_show_page_action);
}

static void
hone_window_init (HoneWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_window_set_title (GTK_WINDOW (self), "Hone");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", FALSE);

  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_project_title), self, G_CONNECT_SWAPPED);
}
