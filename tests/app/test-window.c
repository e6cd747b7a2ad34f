/* test-window.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives a real Hone window: the welcome page, a new project, an import through the
 * very function a drop calls, the row it makes, a duplicate, removal, cancelling, and
 * a main loop that keeps running while a large chat is imported. Screenshots of the
 * window go to the build folder for people to look at.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"


#include <gtk/gtk.h>

#include "data/hone-chatlog.h"
#include "store/hone-project.h"

#include "hone-app-test-util.h"
#include "hone-application.h"
#include "hone-data-page.h"
#include "hone-source-row.h"
#include "hone-welcome-page.h"
#include "hone-window.h"

#define BIG_CHAT_MESSAGES 100000

static HoneApplication *app;
static gboolean have_display;

/* Helpers */

static HoneWindow *
new_window (void)
{
  HoneWindow *window = hone_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  hone_test_wait_ms (200);

  return window;
}

static void
close_window (HoneWindow *window)
{
  gpointer weak = window;

  /* Closed, the window must go entirely: nothing (a pending task, a signal handler)
   * may keep it alive. */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  hone_test_wait_ms (100);
  g_assert_null (weak);
}

static gboolean
project_is_open (gpointer data)
{
  return hone_window_get_project_dir (HONE_WINDOW (data)) != NULL;
}

static gboolean
sources_listed (gpointer data)
{
  HoneDataPage *page = HONE_DATA_PAGE (data);
  GtkStack *stack = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") != 0;
}

static gboolean
has_one_source (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 1;
}

static gboolean
has_no_source (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 0;
}

static gboolean
not_importing (gpointer data)
{
  return !hone_data_page_get_importing (HONE_DATA_PAGE (data));
}

/* Makes a project named @name inside @parent through the function the New Project
 * action calls, and waits until the window shows it. */
static HoneDataPage *
create_project (HoneWindow *window,
                const char *parent,
                const char *name)
{
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  HoneDataPage *page;

  hone_application_create_project (app, folder, window);
  g_assert_true (hone_test_wait_for (project_is_open, window, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpstr (hone_window_get_project_dir (window), ==, dir);

  page = hone_test_template_child (window, HONE_TYPE_WINDOW, "data_page");
  g_assert_cmpstr (hone_data_page_get_project_dir (page), ==, dir);
  g_assert_true (hone_test_wait_for (sources_listed, page, HONE_TEST_WAIT_TIMEOUT_MS));

  return page;
}

static GFile *
testdata_file (const char *name)
{
  g_autofree char *path = hone_test_testdata_path (name);

  return g_file_new_for_path (path);
}

static HoneSourceRow *
first_source_row (HoneDataPage *page)
{
  GtkWidget *list = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "sources_list");
  GtkWidget *row = gtk_widget_get_first_child (list);

  g_assert_true (HONE_IS_SOURCE_ROW (row));

  return HONE_SOURCE_ROW (row);
}

/* A WhatsApp (Android, en-US) export of @n messages, written into @dir. */
static char *
write_big_chat (const char *dir,
                guint       n)
{
  static const char *authors[] = { "Maya Chen", "Jordan Lee", "Priya Raman", "Sam Ortiz" };
  g_autoptr(GString) text = g_string_sized_new (n * 64);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2023, 1, 1, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "big-chat.txt", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_add_minutes (start, i * 3);
      int hour = g_date_time_get_hour (t);

      g_string_append_printf (text,
                              "%d/%d/%02d, %d:%02d %s - %s: Message %u about the weekend\n",
                              g_date_time_get_month (t),
                              g_date_time_get_day_of_month (t),
                              g_date_time_get_year (t) % 100,
                              hour % 12 == 0 ? 12 : hour % 12,
                              g_date_time_get_minute (t),
                              hour < 12 ? "AM" : "PM",
                              authors[i % G_N_ELEMENTS (authors)],
                              i);
    }

  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  return path;
}

static guint
count_stored_sources (const char *project_dir)
{
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  project = hone_project_open (project_dir, &error);
  g_assert_no_error (error);
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);

  return sources->len;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n;

  hone_test_wait_ms (100);
  n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Tests */

static void
test_welcome (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GFile) folder = NULL;
  GtkWindow *window;
  GtkStack *main_stack;
  AdwViewSwitcherTitle *switcher_title;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  /* What `hone` with no argument does. */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (HONE_IS_WINDOW (window));
  hone_test_wait_ms (300);

  g_assert_null (hone_window_get_project_dir (HONE_WINDOW (window)));
  main_stack = hone_test_template_child (window, HONE_TYPE_WINDOW, "main_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "welcome");
  switcher_title = hone_test_template_child (window, HONE_TYPE_WINDOW, "switcher_title");
  g_assert_false (adw_view_switcher_title_get_view_switcher_enabled (switcher_title));

  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-welcome.png");

  /* A folder that holds no project is refused, and the welcome page stays. */
  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");
  folder = g_file_new_for_path (tmp);
  hone_application_open_project (app, folder, HONE_WINDOW (window));
  hone_test_wait_ms (500);
  g_assert_null (hone_window_get_project_dir (HONE_WINDOW (window)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "welcome");
  db = g_build_filename (tmp, "project.sqlite", NULL);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  close_window (HONE_WINDOW (window));
  hone_test_remove_tree (tmp);
}

static void
test_import (void)
{
  g_autofree char *tmp = NULL;
  g_autoptr(GFile) chat = NULL;
  HoneWindow *window;
  HoneDataPage *page;
  HoneSourceRow *row;
  GtkStack *stack;
  GtkRevealer *errors;
  GtkRevealer *drop;
  AdwMessageDialog *dialog;
  const char *subtitle;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");
  window = new_window ();
  page = create_project (window, tmp, "Hike Bot");

  stack = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (hone_data_page_get_n_sources (page), ==, 0);
  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-empty.png");

  /* What a drop does. */
  chat = testdata_file ("whatsapp-android-en-us.txt");
  hone_data_page_import_files (page, &chat, 1);
  g_assert_true (hone_data_page_get_importing (page));

  if (!hone_test_wait_for (has_one_source, page, HONE_TEST_WAIT_TIMEOUT_MS))
    g_error ("The imported chat did not appear in the list within %d s",
             HONE_TEST_WAIT_TIMEOUT_MS / 1000);
  g_assert_true (hone_test_wait_for (not_importing, page, HONE_TEST_WAIT_TIMEOUT_MS));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "sources");
  row = first_source_row (page);
  g_assert_cmpstr (hone_source_row_get_file_name (row), ==, "whatsapp-android-en-us.txt");
  g_assert_cmpint (hone_source_row_get_format (row), ==, HONE_CHAT_FORMAT_WHATSAPP);
  g_assert_cmpstr (hone_chat_format_get_display_name (hone_source_row_get_format (row)),
                   ==, "WhatsApp");
  g_assert_cmpuint (hone_source_row_get_n_conversations (row), ==, 1);
  g_assert_cmpuint (hone_source_row_get_n_messages (row), ==, 29);
  g_assert_cmpuint (hone_source_row_get_n_participants (row), ==, 4);
  g_assert_nonnull (strstr (hone_source_row_get_dates (row), "2024"));
  subtitle = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
  g_assert_nonnull (strstr (subtitle, "WhatsApp"));
  g_assert_nonnull (strstr (subtitle, "29"));

  errors = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "error_revealer");
  g_assert_false (gtk_revealer_get_reveal_child (errors));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  hone_test_wait_ms (300);
  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-page.png");

  /* How the page looks while files are dragged over it. */
  drop = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "drop_revealer");
  gtk_revealer_set_reveal_child (drop, TRUE);
  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-drop.png");
  gtk_revealer_set_reveal_child (drop, FALSE);

  /* The same file again is refused in plain words, and the list stays as it was. */
  hone_data_page_import_files (page, &chat, 1);
  g_assert_true (hone_test_wait_for (not_importing, page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (gtk_revealer_get_reveal_child (errors));
  hone_test_wait_ms (300);
  g_assert_cmpuint (hone_data_page_get_n_sources (page), ==, 1);
  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-duplicate.png");

  /* Removing it: the button asks first, and Remove in the dialog removes it. */
  row = first_source_row (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "data.remove-source", "x",
                                             hone_source_row_get_source_id (row)));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "whatsapp-android-en-us.txt"));
  hone_test_save_screenshot (GTK_WIDGET (dialog), "screenshot-remove-dialog.png");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (hone_test_wait_for (has_no_source, page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (count_stored_sources (hone_window_get_project_dir (window)), ==, 0);

  close_window (window);
  hone_test_remove_tree (tmp);
}

static gboolean
has_five_sources (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 5;
}

/* Several files at once, as one drop brings them: each is imported after the
 * other, and the one that cannot be read is named without stopping the rest. */
static void
test_several_files (void)
{
  static const char *names[] = {
    "telegram-chat.json",
    "broken/empty.txt",
    "helpdesk-tickets.csv",
    "sharegpt.json",
    "messenger-thread",
  };
  static const struct {
    HoneChatFormat format;
    guint          n_conversations;
    guint          n_messages;
  } expected[] = {
    { HONE_CHAT_FORMAT_TELEGRAM, 1, 22 },
    { HONE_CHAT_FORMAT_CSV, 5, 20 },
    { HONE_CHAT_FORMAT_SHAREGPT, 10, 22 },
    { HONE_CHAT_FORMAT_MESSENGER, 0, 0 },
    { HONE_CHAT_FORMAT_WHATSAPP, 1, 29 },
  };
  g_autofree char *tmp = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *root = g_getenv ("HONE_TESTDATA");
  HoneWindow *window;
  HoneDataPage *page;
  GtkWidget *list;
  GtkWidget *child;
  GtkRevealer *errors;
  GtkWidget *messages;
  GtkWidget *message;
  guint i = 0;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  for (guint j = 0; j < G_N_ELEMENTS (names); j++)
    {
      g_autofree char *path = g_build_filename (root != NULL ? root : "../shared/testdata",
                                                "chatlogs", names[j], NULL);
      g_ptr_array_add (files, g_file_new_for_path (path));
    }

  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");

  /* A name that is not valid markup must show as it is. */
  {
    g_autofree char *whatsapp = g_build_filename (root != NULL ? root : "../shared/testdata",
                                                  "chatlogs", "whatsapp-android-en-us.txt", NULL);
    g_autofree char *odd = g_build_filename (tmp, "Mum & Dad <3.txt", NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (whatsapp, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (odd, contents, length, NULL));
    g_ptr_array_add (files, g_file_new_for_path (odd));
  }

  window = new_window ();
  page = create_project (window, tmp, "Everything");

  hone_data_page_import_files (page, (GFile * const *) files->pdata, files->len);
  g_assert_true (hone_test_wait_for (not_importing, page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_test_wait_for (has_five_sources, page, HONE_TEST_WAIT_TIMEOUT_MS));

  list = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "sources_list");
  for (child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      HoneSourceRow *row = HONE_SOURCE_ROW (child);

      g_assert_cmpint (hone_source_row_get_format (row), ==, expected[i].format);
      if (expected[i].n_messages > 0)
        {
          g_assert_cmpuint (hone_source_row_get_n_conversations (row), ==,
                            expected[i].n_conversations);
          g_assert_cmpuint (hone_source_row_get_n_messages (row), ==, expected[i].n_messages);
        }
      if (expected[i].format == HONE_CHAT_FORMAT_SHAREGPT)
        g_assert_cmpstr (hone_source_row_get_dates (row), ==, "No dates");
    }
  g_assert_cmpuint (i, ==, 5);
  child = gtk_widget_get_last_child (list);
  g_assert_cmpstr (hone_source_row_get_file_name (HONE_SOURCE_ROW (child)), ==, "Mum & Dad <3.txt");

  /* The empty file, by name. */
  errors = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "error_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (errors));
  messages = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "error_messages");
  message = gtk_widget_get_first_child (messages);
  g_assert_nonnull (message);
  g_assert_null (gtk_widget_get_next_sibling (message));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (message)), "empty.txt"));

  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-sources.png");

  close_window (window);
  hone_test_remove_tree (tmp);
}

typedef struct
{
  HoneDataPage *page;
  GtkLabel     *progress_label;
  gint64        last;
  gint64        max_gap;
  guint         n_ticks;         /* while the import ran */
  guint         n_texts;         /* progress texts seen while it ran */
  char         *text;
  gboolean      saw_saving;
} Watch;

static gboolean
on_tick (gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time ();
  const char *text = gtk_label_get_label (watch->progress_label);

  if (!hone_data_page_get_importing (watch->page))
    return G_SOURCE_CONTINUE;

  if (watch->last != 0)
    watch->max_gap = MAX (watch->max_gap, now - watch->last);
  watch->last = now;
  watch->n_ticks++;

  if (g_strcmp0 (text, watch->text) != 0)
    {
      g_free (watch->text);
      watch->text = g_strdup (text);
      watch->n_texts++;
    }
  if (g_str_has_prefix (text, "Saving"))
    watch->saw_saving = TRUE;

  return G_SOURCE_CONTINUE;
}

/* The import of a large chat runs beside the main loop: a 10 ms timeout keeps
 * firing all the while, and the progress text changes as the worker goes on. Counts,
 * not durations, decide, so a busy test machine cannot fail it; the longest pause is
 * only reported. */
static void
test_responsive (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GFile) file = NULL;
  HoneWindow *window;
  HoneDataPage *page;
  Watch watch = { 0 };
  guint tick;
  gint64 started;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");
  big = write_big_chat (tmp, BIG_CHAT_MESSAGES);
  window = new_window ();
  page = create_project (window, tmp, "Big Chat");
  watch.page = page;
  watch.progress_label = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "progress_label");

  tick = g_timeout_add (10, on_tick, &watch);
  started = g_get_monotonic_time ();

  file = g_file_new_for_path (big);
  hone_data_page_import_files (page, &file, 1);
  g_assert_true (hone_test_wait_for (not_importing, page, 120000));
  g_assert_true (hone_test_wait_for (has_one_source, page, HONE_TEST_WAIT_TIMEOUT_MS));

  g_source_remove (tick);

  g_test_message ("Import of %u messages: %.2f s, %u ticks, %u progress texts, "
                  "longest pause of the main loop %.0f ms",
                  BIG_CHAT_MESSAGES, (g_get_monotonic_time () - started) / 1e6,
                  watch.n_ticks, watch.n_texts, watch.max_gap / 1e3);
  g_clear_pointer (&watch.text, g_free);

  g_assert_cmpuint (hone_source_row_get_n_messages (first_source_row (page)), ==,
                    BIG_CHAT_MESSAGES);
  g_assert_cmpuint (watch.n_ticks, >=, 5);
  g_assert_cmpuint (watch.n_texts, >=, 2);
  g_assert_true (watch.saw_saving);

  close_window (window);
  hone_test_remove_tree (tmp);
}

static gboolean
saving_shown (gpointer data)
{
  GtkLabel *label = data;

  return g_str_has_prefix (gtk_label_get_label (label), "Saving");
}

static void
test_cancel (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GFile) file = NULL;
  HoneWindow *window;
  HoneDataPage *page;
  GtkLabel *progress_label;
  GtkStack *stack;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");
  big = write_big_chat (tmp, BIG_CHAT_MESSAGES);
  window = new_window ();
  page = create_project (window, tmp, "Cancelled");
  progress_label = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "progress_label");
  stack = hone_test_template_child (page, HONE_TYPE_DATA_PAGE, "stack");
  file = g_file_new_for_path (big);

  /* Cancelled at once: nothing is stored. */
  hone_data_page_import_files (page, &file, 1);
  gtk_widget_activate_action (GTK_WIDGET (page), "data.cancel-import", NULL);
  g_assert_true (hone_test_wait_for (not_importing, page, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (200);
  g_assert_cmpuint (hone_data_page_get_n_sources (page), ==, 0);
  g_assert_cmpuint (count_stored_sources (hone_window_get_project_dir (window)), ==, 0);

  /* Cancelled in the middle of saving, with the Cancel button's action. */
  hone_data_page_import_files (page, &file, 1);
  if (hone_test_wait_for (saving_shown, progress_label, HONE_TEST_WAIT_TIMEOUT_MS))
    {
      hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-data-importing.png");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.cancel-import", NULL));
    }
  else
    {
      g_test_message ("The import finished before saving could be seen");
    }
  g_assert_true (hone_test_wait_for (not_importing, page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_test_wait_for (sources_listed, page, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (200);
  g_assert_cmpuint (hone_data_page_get_n_sources (page), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpuint (count_stored_sources (hone_window_get_project_dir (window)), ==, 0);

  /* Closing the window in the middle of an import cancels it; the window still goes. */
  hone_data_page_import_files (page, &file, 1);
  hone_test_wait_ms (100);
  close_window (window);
  hone_test_wait_ms (1000);

  hone_test_remove_tree (tmp);
}

static gboolean
recent_listed (gpointer data)
{
  return hone_welcome_page_get_n_recent (HONE_WELCOME_PAGE (data)) >= 2;
}

static void
test_recent (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.honeapp.Hone");
  g_autofree char *tmp = NULL;
  g_auto(GStrv) recent = NULL;
  g_autofree char *gone = NULL;
  HoneWindow *window;
  HoneWelcomePage *welcome;
  GStrvBuilder *builder;
  g_auto(GStrv) with_gone = NULL;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  tmp = hone_test_make_temp_dir ("hone-test-window-XXXXXX");
  window = new_window ();
  create_project (window, tmp, "Shop Assistant");
  close_window (window);

  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_nonnull (recent[0]);
  g_assert_true (g_str_has_suffix (recent[0], "Shop Assistant"));

  /* A project whose folder is gone is still listed, dimmed, until removed. */
  gone = g_build_filename (tmp, "Moved Away", NULL);
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, recent[0]);
  g_strv_builder_add (builder, gone);
  with_gone = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  g_settings_set_strv (settings, "recent-projects", (const char * const *) with_gone);

  window = new_window ();
  welcome = hone_test_template_child (window, HONE_TYPE_WINDOW, "welcome_page");
  g_assert_true (hone_test_wait_for (recent_listed, welcome, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (200);
  hone_test_save_screenshot (GTK_WIDGET (window), "screenshot-welcome-recent.png");

  /* Opening it again from the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s",
                                             recent[0]));
  g_assert_true (hone_test_wait_for (project_is_open, window, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpstr (hone_window_get_project_dir (window), ==, recent[0]);

  /* Forgetting the missing one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL);
  g_assert_null (hone_window_get_project_dir (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.forget-recent", "s", gone);
  g_strfreev (recent);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, 1);

  close_window (window);
  hone_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  const char *source_root = g_getenv ("HONE_SOURCE_ROOT");
  int status;

  app = hone_test_app_new (&argc, &argv);
  have_display = app != NULL;

  if (have_display)
    {
      g_autofree char *icons = NULL;

      /* The application icon, as the installed app finds it. */
      if (source_root == NULL)
        source_root = ".";
      icons = g_build_filename (source_root, "data", "icons", NULL);
      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      icons);
    }

  g_test_add_func ("/hone/app/welcome", test_welcome);
  g_test_add_func ("/hone/app/import", test_import);
  g_test_add_func ("/hone/app/several-files", test_several_files);
  g_test_add_func ("/hone/app/responsive", test_responsive);
  g_test_add_func ("/hone/app/cancel", test_cancel);
  g_test_add_func ("/hone/app/recent", test_recent);

  status = g_test_run ();

  g_clear_pointer (&app, hone_test_app_free);

  return status;
}
