/* hone-welcome-page.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-welcome-page.h"

#define SETTINGS_SCHEMA_ID "io.github.honeapp.Hone"

struct _HoneWelcomePage
{
  AdwBin               parent_instance;

  GSettings           *settings;
  GCancellable        *cancellable;
  guint                n_recent;

  /* Template children */
  AdwStatusPage       *status_page;
  AdwPreferencesGroup *recent_group;
  GtkListBox          *recent_list;
};

G_DEFINE_FINAL_TYPE (HoneWelcomePage, hone_welcome_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_N_RECENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef   page;
  char     **dirs;
  gboolean  *present;   /* one per dir: the folder still holds a project */
} RecentCheck;

static void
recent_check_free (RecentCheck *check)
{
  g_weak_ref_clear (&check->page);
  g_strfreev (check->dirs);
  g_free (check->present);
  g_free (check);
}

guint
hone_welcome_page_get_n_recent (HoneWelcomePage *self)
{
  g_return_val_if_fail (HONE_IS_WELCOME_PAGE (self), 0);

  return self->n_recent;
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

static GtkWidget *
create_recent_row (const char *dir,
                   gboolean    present)
{
  g_autofree char *name = g_filename_display_basename (dir);
  g_autofree char *where = dup_display_dir (dir);
  GtkWidget *row;
  GtkWidget *suffix;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

  if (present)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", dir);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Open this project"));

      suffix = gtk_image_new_from_icon_name ("go-next-symbolic");
    }
  else
    {
      g_autofree char *subtitle =
        /* Translators: %s is where a project folder used to be. */
        g_strdup_printf (_("Folder not found: %s"), where);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "missing-project");

      suffix = gtk_button_new_from_icon_name ("window-close-symbolic");
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (suffix, _("Remove From List"));
      gtk_widget_add_css_class (suffix, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (suffix), "win.forget-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (suffix), "s", dir);
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);

  return row;
}

static void
check_recent_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  RecentCheck *check = task_data;

  /* A folder on a slow or lost network share can take long to answer, so the check
   * never runs on the main thread. */
  for (guint i = 0; check->dirs[i] != NULL; i++)
    {
      g_autofree char *db = g_build_filename (check->dirs[i], "project.sqlite", NULL);

      if (g_cancellable_is_cancelled (cancellable))
        break;
      check->present[i] = g_file_test (db, G_FILE_TEST_IS_REGULAR);
    }

  g_task_return_boolean (task, TRUE);
}

static void
check_recent_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RecentCheck *check = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneWelcomePage) self = g_weak_ref_get (&check->page);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || self == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  n = g_strv_length (check->dirs);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->recent_list,
                         create_recent_row (check->dirs[i], check->present[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), n > 0);

  if (self->n_recent != n)
    {
      self->n_recent = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECENT]);
    }
}

static void
refresh_recent (HoneWelcomePage *self)
{
  g_autoptr(GTask) task = NULL;
  RecentCheck *check;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  check = g_new0 (RecentCheck, 1);
  g_weak_ref_init (&check->page, self);
  check->dirs = g_settings_get_strv (self->settings, "recent-projects");
  check->present = g_new0 (gboolean, g_strv_length (check->dirs) + 1);

  task = g_task_new (NULL, self->cancellable, check_recent_done, NULL);
  g_task_set_source_tag (task, refresh_recent);
  g_task_set_task_data (task, check, (GDestroyNotify) recent_check_free);
  g_task_run_in_thread (task, check_recent_thread);
}

static void
on_recent_projects_changed (HoneWelcomePage *self)
{
  refresh_recent (self);
}

/* Until the application's icon is installed (an uninstalled build), show a themed
 * icon rather than a broken-image placeholder. */
static void
update_icon (HoneWelcomePage *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);

  if (gtk_icon_theme_has_icon (theme, APP_ID))
    adw_status_page_set_icon_name (self->status_page, APP_ID);
  else if (gtk_icon_theme_has_icon (theme, "io.github.honeapp.Hone"))
    adw_status_page_set_icon_name (self->status_page, "io.github.honeapp.Hone");
  else
    adw_status_page_set_icon_name (self->status_page, "chat-message-new-symbolic");
}

static void
hone_welcome_page_dispose (GObject *object)
{
  HoneWelcomePage *self = HONE_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* Unparented here rather than by AdwBin, which would find it gone after the
   * template let go of it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (hone_welcome_page_parent_class)->dispose (object);
}

static void
hone_welcome_page_finalize (GObject *object)
{
  HoneWelcomePage *self = HONE_WELCOME_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hone_welcome_page_parent_class)->finalize (object);
}

static void
hone_welcome_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HoneWelcomePage *self = HONE_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_N_RECENT:
      g_value_set_uint (value, self->n_recent);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_welcome_page_class_init (HoneWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_welcome_page_dispose;
  object_class->finalize = hone_welcome_page_finalize;
  object_class->get_property = hone_welcome_page_get_property;

  properties[PROP_N_RECENT] =
    g_param_spec_uint ("n-recent", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, HoneWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, HoneWelcomePage, recent_list);
}

static void
hone_welcome_page_init (HoneWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_icon (self);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (on_recent_projects_changed), self,
                           G_CONNECT_SWAPPED);
  refresh_recent (self);
}
