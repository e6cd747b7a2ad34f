/* hone-application.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-application"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-application.h"
#include "hone-window.h"

/* The help pages are installed under this id in release and development builds. */
#define HELP_URI "help:io.github.honeapp.Hone"

struct _HoneApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (HoneApplication, hone_application, ADW_TYPE_APPLICATION)

HoneApplication *
hone_application_new (void)
{
  return g_object_new (HONE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* Shared by the .Devel build, whose id would give another path. */
                       "resource-base-path", "/io/github/honeapp/Hone",
                       NULL);
}

static HoneWindow *
get_active_hone_window (HoneApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (HONE_IS_WINDOW (window))
    return HONE_WINDOW (window);

  return NULL;
}

static HoneWindow *
find_window_for_folder (HoneApplication *self,
                        GFile           *folder)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      const char *dir;
      g_autoptr(GFile) shown = NULL;

      if (!HONE_IS_WINDOW (l->data))
        continue;

      dir = hone_window_get_project_dir (l->data);
      if (dir == NULL)
        continue;

      shown = g_file_new_for_path (dir);
      if (g_file_equal (shown, folder))
        return l->data;
    }

  return NULL;
}

/* A window without a project is reused; one that shows a project keeps it. */
static HoneWindow *
pick_window (HoneApplication *self,
             HoneWindow      *preferred)
{
  HoneWindow *window;

  if (preferred != NULL && hone_window_get_project_dir (preferred) == NULL)
    return preferred;

  window = get_active_hone_window (self);
  if (window != NULL && hone_window_get_project_dir (window) == NULL)
    return window;

  window = hone_window_new (self);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

void
hone_application_open_project (HoneApplication *self,
                               GFile           *folder,
                               HoneWindow      *preferred)
{
  HoneWindow *window;

  g_return_if_fail (HONE_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (folder));

  window = find_window_for_folder (self, folder);
  if (window == NULL)
    {
      window = pick_window (self, preferred);
      hone_window_open_project (window, folder);
    }

  gtk_window_present (GTK_WINDOW (window));
}

void
hone_application_create_project (HoneApplication *self,
                                 GFile           *folder,
                                 HoneWindow      *preferred)
{
  HoneWindow *window;

  g_return_if_fail (HONE_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (folder));

  window = find_window_for_folder (self, folder);
  if (window == NULL)
    {
      window = pick_window (self, preferred);
      hone_window_create_project (window, folder);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
on_new_project_response (GtkNativeDialog *chooser,
                         int              response,
                         gpointer         user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      GtkWindow *parent = gtk_native_dialog_get_transient_for (chooser);

      if (folder != NULL)
        hone_application_create_project (self, folder,
                                         HONE_IS_WINDOW (parent) ? HONE_WINDOW (parent) : NULL);
    }

  g_object_unref (chooser);
}

static void
on_open_project_response (GtkNativeDialog *chooser,
                          int              response,
                          gpointer         user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      GtkWindow *parent = gtk_native_dialog_get_transient_for (chooser);

      if (folder != NULL)
        hone_application_open_project (self, folder,
                                       HONE_IS_WINDOW (parent) ? HONE_WINDOW (parent) : NULL);
    }

  g_object_unref (chooser);
}

static void
hone_application_new_project_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);
  GtkFileChooserNative *chooser;

  /* A name and a place, as when saving a document: the folder is made for the
   * person, who need not know that a project is a folder. */
  chooser = gtk_file_chooser_native_new (_("New Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Create"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("My Chatbot"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_new_project_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
hone_application_open_project_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_project_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
hone_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);
  g_autoptr(GList) windows = NULL;

  /* Closing each window lets it save its size; the application ends with the last. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
}

static void
hone_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);
  static const char *developers[] = { "The Hone authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", "Hone",
                        "application-icon", APP_ID,
                        "developer-name", "The Hone authors",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Turn your chat logs into a chatbot of your own, "
                                      "trained on your own computer."),
                        "copyright", "© 2026 The Hone authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: Replace "translator-credits" with your names, one
                         * name per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_help_shown (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && HONE_IS_WINDOW (object))
    {
      g_debug ("Could not show help: %s", error->message);
      hone_window_add_toast (HONE_WINDOW (object),
                             _("Help could not be opened. "
                               "Install the Help app (Yelp) to read it."));
    }
}

static void
hone_application_help_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  HoneApplication *self = HONE_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (parent == NULL)
    gtk_show_uri (NULL, HELP_URI, GDK_CURRENT_TIME);
  else
    gtk_show_uri_full (parent, HELP_URI, GDK_CURRENT_TIME, NULL, on_help_shown, NULL);
}

static const GActionEntry app_actions[] = {
  { "new-project", hone_application_new_project_action },
  { "open-project", hone_application_open_project_action },
  { "quit", hone_application_quit_action },
  { "about", hone_application_about_action },
  { "help", hone_application_help_action },
};

static void
hone_application_startup (GApplication *application)
{
  static const struct {
    const char *action;
    const char *accels[2];
  } shortcuts[] = {
    { "app.new-project", { "<Control>n", NULL } },
    { "app.open-project", { "<Control>o", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "app.help", { "F1", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (hone_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           shortcuts[i].action,
                                           shortcuts[i].accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
hone_application_activate (GApplication *application)
{
  HoneApplication *self = HONE_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (hone_window_new (self));

  gtk_window_present (window);
}

static void
hone_application_open (GApplication  *application,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  HoneApplication *self = HONE_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    hone_application_open_project (self, files[i], NULL);
}

static int
hone_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("hone %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
hone_application_class_init (HoneApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = hone_application_startup;
  app_class->activate = hone_application_activate;
  app_class->open = hone_application_open;
  app_class->handle_local_options = hone_application_handle_local_options;
}

static void
hone_application_init (HoneApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version of Hone and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PROJECT-FOLDER…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Opens Hone, with the project in each "
                                              "folder given."));
}
