/* hone-app-test-util.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-app-test-util"

#include "config.h"

#include <locale.h>

#include "hone-app-test-util.h"

/* Sets up the environment and the test framework, and makes the application the tests
 * drive; NULL when there is no display, and then the tests skip. */
HoneApplication *
hone_test_app_new (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;
  HoneApplication *app;

  /* Never the person's own settings, and no accessibility bus under Xvfb. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Xvfb has only a software OpenGL, which spends ~100 ms on each frame of a big
   * window and would measure the renderer rather than Hone. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* Without a session bus, GApplication would start one through X11 autolaunch and
   * leave it running; an unreachable address makes it run on its own instead. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hone-test-bus", TRUE);

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);

  if ((g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
      || !gtk_init_check ())
    return NULL;

  app = hone_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  return app;
}

/* Destroys the windows still open, then @app. */
void
hone_test_app_free (HoneApplication *app)
{
  if (app == NULL)
    return;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  g_object_unref (app);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
keep_awake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
hone_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @condition holds; FALSE when it did not in @timeout_ms. */
gboolean
hone_test_wait_for (HoneTestCondition condition,
                    gpointer          data,
                    guint             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, keep_awake, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);

  return ok;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_drawn (gpointer data)
{
  return *(guint *) data >= 3;
}

/* Waits until the window has drawn what it shows now. */
void
hone_test_wait_for_frames (GtkWidget *widget)
{
  guint n_frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &n_frames, NULL);

  gtk_widget_queue_draw (widget);
  g_assert_true (hone_test_wait_for (frames_drawn, &n_frames, HONE_TEST_WAIT_TIMEOUT_MS));
  gtk_widget_remove_tick_callback (widget, id);
}

/* Saves @widget as drawn now to @name in the build folder. */
void
hone_test_save_screenshot (GtkWidget  *widget,
                           const char *name)
{
  const char *dir = g_getenv ("HONE_BUILD_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  hone_test_wait_for_frames (widget);
  g_assert_true (gtk_widget_get_mapped (widget));

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  g_test_message ("Screenshot: %s", path);
}

gpointer
hone_test_template_child (gpointer    widget,
                          GType       type,
                          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);

  return child;
}

/* The path of @name under testdata/chatlogs, which must exist. */
char *
hone_test_testdata_path (const char *name)
{
  const char *root = g_getenv ("HONE_TESTDATA");
  char *path;

  if (root == NULL)
    root = "../shared/testdata";

  path = g_build_filename (root, "chatlogs", name, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  return path;
}
