/* test-data.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the Data page of a real window past the import: choosing who the bot is, with
 * the preview following, project-wide and in one chat only; cleaning and privacy
 * switches with their counts, the privacy preview and Apply with Undo; the browser, with
 * topics given by hand and the balance following. Screenshots go to the build folder.
 */

#define G_LOG_DOMAIN "test-data"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "data/hone-dataset.h"
#include "store/hone-project.h"

#include "hone-app-test-util.h"
#include "hone-application.h"
#include "hone-cleaning-section.h"
#include "hone-conversation-browser.h"
#include "hone-data-page.h"
#include "hone-chart.h"
#include "hone-roles-section.h"
#include "hone-stats-section.h"
#include "hone-window.h"

static HoneApplication *app;
static gboolean have_display;

/* Helpers */

/* The first descendant of @widget of @type (and named @name, when given). */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (name == NULL || g_strcmp0 (gtk_widget_get_name (child), name) == 0))
        return child;

      found = find_descendant (child, type, name);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether a label under @widget says @text (in part). */
static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child)
          && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (has_label_containing (child, text))
        return TRUE;
    }

  return FALSE;
}

/* Scrolls the page so that @widget is at the top of the window. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  hone_test_wait_ms (50);
  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0),
                                           &point));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, point.y - 12);
  hone_test_wait_ms (100);
}

static gboolean
project_is_open (gpointer data)
{
  return hone_window_get_project_dir (HONE_WINDOW (data)) != NULL;
}

static gboolean
one_source_imported (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 1
         && !hone_data_page_get_importing (HONE_DATA_PAGE (data));
}

static gboolean
roles_ready (gpointer data)
{
  return !hone_roles_section_get_busy (HONE_ROLES_SECTION (data))
         && hone_roles_section_get_n_speakers (HONE_ROLES_SECTION (data)) > 0;
}

static gboolean
roles_idle (gpointer data)
{
  return !hone_roles_section_get_busy (HONE_ROLES_SECTION (data));
}

static gboolean
cleaning_idle (gpointer data)
{
  return !hone_cleaning_section_get_busy (HONE_CLEANING_SECTION (data));
}

typedef struct
{
  char             *tmp;
  HoneWindow       *window;
  HoneDataPage     *page;
  HoneRolesSection *roles;
  HoneCleaningSection *cleaning;
} Fixture;

/* A window with a new, empty project. */
static void
fixture_open (Fixture *f)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) folder = NULL;

  f->tmp = hone_test_make_temp_dir ("hone-test-data-XXXXXX");

  f->window = hone_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 1000);
  gtk_window_present (GTK_WINDOW (f->window));
  hone_test_wait_ms (200);

  dir = g_build_filename (f->tmp, "Hike Bot", NULL);
  folder = g_file_new_for_path (dir);
  hone_application_create_project (app, folder, f->window);
  g_assert_true (hone_test_wait_for (project_is_open, f->window, HONE_TEST_WAIT_TIMEOUT_MS));

  f->page = hone_test_template_child (f->window, HONE_TYPE_WINDOW, "data_page");
  f->roles = hone_test_template_child (f->page, HONE_TYPE_DATA_PAGE, "roles_section");
  f->cleaning = hone_test_template_child (f->page, HONE_TYPE_DATA_PAGE, "cleaning_section");
}

/* Imports @file (under testdata/chatlogs, or an absolute path) as a drop does, and waits
 * until the roles and the cleaning have been read. */
static void
fixture_import (Fixture    *f,
                const char *file)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) chat = NULL;

  path = g_path_is_absolute (file) ? g_strdup (file) : hone_test_testdata_path (file);
  chat = g_file_new_for_path (path);
  hone_data_page_import_files (f->page, &chat, 1);
  g_assert_true (hone_test_wait_for (one_source_imported, f->page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_test_wait_for (roles_ready, f->roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_test_wait_for (cleaning_idle, f->cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
}

static void
fixture_set_up (Fixture    *f,
                const char *file)
{
  fixture_open (f);
  fixture_import (f, file);
}

static void
fixture_tear_down (Fixture *f)
{
  gpointer weak = f->window;

  g_object_add_weak_pointer (G_OBJECT (f->window), &weak);
  gtk_window_close (GTK_WINDOW (f->window));
  hone_test_wait_ms (100);
  g_assert_null (weak);

  hone_test_remove_tree (f->tmp);
  g_free (f->tmp);
}

static HoneRole
stored_role (const char *project_dir,
             const char *speaker)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (project_dir, &error);
  g_autoptr(GPtrArray) speakers = NULL;

  g_assert_no_error (error);
  speakers = hone_dataset_list_speakers (project, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < speakers->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);

      if (info->source_id == 0 && g_strcmp0 (info->name, speaker) == 0)
        return info->role;
    }

  g_assert_not_reached ();
}

/* The "Bot" (@bot) or "User" button of @speaker's row. */
static GtkToggleButton *
role_button (HoneRolesSection *roles,
             const char       *speaker,
             gboolean          bot)
{
  GtkWidget *list = hone_test_template_child (roles, HONE_TYPE_ROLES_SECTION, "speakers_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *button;

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), speaker) != 0)
        continue;

      button = find_descendant (row, GTK_TYPE_TOGGLE_BUTTON, NULL);
      g_assert_nonnull (button);
      if (gtk_widget_has_css_class (button, "bot-toggle") != bot)
        button = gtk_widget_get_next_sibling (button);
      g_assert_true (gtk_widget_has_css_class (button, "bot-toggle") == bot);

      return GTK_TOGGLE_BUTTON (button);
    }

  g_assert_not_reached ();
}

/* Tests */

static void
test_roles (void)
{
  Fixture f = { 0 };
  GtkWidget *list, *preview;
  const char *project_dir;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  fixture_set_up (&f, "whatsapp-android-en-us.txt");
  project_dir = hone_window_get_project_dir (f.window);

  /* Every speaker, each with Hone's guess already applied: one bot. */
  g_assert_cmpuint (hone_roles_section_get_n_speakers (f.roles), ==, 4);
  list = hone_test_template_child (f.roles, HONE_TYPE_ROLES_SECTION, "speakers_list");
  g_assert_true (has_label_containing (list, "Maya Chen"));
  g_assert_true (has_label_containing (list, "Hone’s guess"));
  preview = hone_test_template_child (f.roles, HONE_TYPE_ROLES_SECTION, "preview_box");
  g_assert_true (gtk_widget_get_visible (hone_test_template_child (f.roles, HONE_TYPE_ROLES_SECTION,
                                                         "preview_group")));

  /* Priya becomes the bot's voice: stored, and the preview shows her on the bot's side. */
  g_assert_false (gtk_toggle_button_get_active (role_button (f.roles, "Priya Raman", TRUE)));
  gtk_toggle_button_set_active (role_button (f.roles, "Priya Raman", TRUE), TRUE);
  g_assert_true (hone_roles_section_get_busy (f.roles));
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (gtk_toggle_button_get_active (role_button (f.roles, "Priya Raman", TRUE)));
  g_assert_cmpint (stored_role (project_dir, "Priya Raman"), ==, HONE_ROLE_ASSISTANT);
  g_assert_true (has_label_containing (preview, "Bot (as Priya Raman)"));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));

  scroll_to (GTK_WIDGET (f.roles));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-roles.png");

  /* And back to a user. */
  gtk_toggle_button_set_active (role_button (f.roles, "Priya Raman", FALSE), TRUE);
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_role (project_dir, "Priya Raman"), ==, HONE_ROLE_USER);
  g_assert_false (has_label_containing (preview, "Bot (as Priya Raman)"));

  /* Undo, as the toast offers: she is the bot again. */
  hone_roles_section_undo (f.roles);
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_role (project_dir, "Priya Raman"), ==, HONE_ROLE_ASSISTANT);
  g_assert_true (gtk_toggle_button_get_active (role_button (f.roles, "Priya Raman", TRUE)));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));

  fixture_tear_down (&f);
}

static GtkSwitch *
option_switch (HoneCleaningSection *section,
               const char          *key)
{
  GtkWidget *row = find_descendant (GTK_WIDGET (section), ADW_TYPE_ACTION_ROW, key);

  g_assert_nonnull (row);

  return GTK_SWITCH (find_descendant (row, GTK_TYPE_SWITCH, NULL));
}

static void
test_cleaning (void)
{
  Fixture f = { 0 };
  g_autofree char *chat = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *found_row;
  guint n_messages;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  /* The shared sample, plus a message with the kind of details people send. */
  {
    g_autofree char *sample = hone_test_testdata_path ("whatsapp-android-en-us.txt");
    g_autofree char *text = NULL;
    g_autofree char *dir = hone_test_make_temp_dir ("hone-test-chat-XXXXXX");

    g_file_get_contents (sample, &text, NULL, &error);
    g_assert_no_error (error);
    chat = g_build_filename (dir, "whatsapp-private.txt", NULL);
    text = g_strconcat (text,
                        "3/16/24, 5:02 PM - Maya Chen: Photos are up, mail me at "
                        "maya.chen@example.com or call +1 503 555 0199 if the link fails\n"
                        "3/16/24, 5:05 PM - +1 (503) 555-0148: Got them, thanks!\n",
                        NULL);
    g_file_set_contents (chat, text, -1, &error);
    g_assert_no_error (error);
  }

  fixture_set_up (&f, chat);
  n_messages = hone_cleaning_section_get_n_messages (f.cleaning);
  g_assert_cmpuint (n_messages, >, 0);
  g_assert_false (hone_cleaning_section_get_modified (f.cleaning));
  g_assert_false (gtk_widget_is_visible (hone_test_template_child (f.cleaning,
                                                          HONE_TYPE_CLEANING_SECTION,
                                                          "privacy_label")));

  /* Keeping one-sided conversations keeps more messages; nothing is stored until Apply. */
  gtk_switch_set_active (option_switch (f.cleaning, "require-both-roles"), FALSE);
  g_assert_true (hone_cleaning_section_get_modified (f.cleaning));
  g_assert_true (hone_cleaning_section_get_busy (f.cleaning));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (hone_cleaning_section_get_n_messages (f.cleaning), >, n_messages);
  gtk_switch_set_active (option_switch (f.cleaning, "require-both-roles"), TRUE);
  g_assert_false (hone_cleaning_section_get_modified (f.cleaning));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (hone_cleaning_section_get_n_messages (f.cleaning), ==, n_messages);

  /* Scrubbing: the preview shows placeholders, and the counts say what was found. */
  gtk_switch_set_active (option_switch (f.cleaning, "scrub"), TRUE);
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (hone_cleaning_section_get_n_scrubbed (f.cleaning), >=, 2);
  g_assert_nonnull (strstr (hone_cleaning_section_get_privacy_text (f.cleaning), "[EMAIL]"));
  g_assert_nonnull (strstr (hone_cleaning_section_get_privacy_text (f.cleaning), "[PHONE]"));
  g_assert_null (strstr (hone_cleaning_section_get_privacy_text (f.cleaning), "@example.com"));
  g_assert_true (gtk_widget_is_visible (hone_test_template_child (f.cleaning,
                                                         HONE_TYPE_CLEANING_SECTION,
                                                         "privacy_label")));
  found_row = hone_test_template_child (f.cleaning, HONE_TYPE_CLEANING_SECTION, "found_row");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (found_row)),
                            "e-mail address"));

  /* Apply stores it; the toast's Undo puts the old settings back. */
  gtk_widget_activate_action (GTK_WIDGET (f.cleaning), "cleaning.apply", NULL);
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_false (hone_cleaning_section_get_modified (f.cleaning));
  {
    g_autoptr(HoneProject) project = hone_project_open (hone_window_get_project_dir (f.window),
                                                        &error);
    HoneCleanOptions options;
    gint64 id;

    g_assert_no_error (error);
    id = hone_dataset_ensure_default (project, &error);
    g_assert_no_error (error);
    g_assert_true (hone_dataset_load_options (project, id, &options, &error));
    g_assert_true (options.scrub);
  }

  scroll_to (GTK_WIDGET (f.cleaning));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-cleaning.png");

  /* Undo: the switch goes off again, and so does the stored setting. */
  hone_cleaning_section_undo (f.cleaning);
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_false (gtk_switch_get_active (option_switch (f.cleaning, "scrub")));
  g_assert_false (hone_cleaning_section_get_modified (f.cleaning));
  g_assert_cmpuint (hone_cleaning_section_get_n_scrubbed (f.cleaning), ==, 0);
  {
    g_autoptr(HoneProject) project = hone_project_open (hone_window_get_project_dir (f.window),
                                                        &error);
    HoneCleanOptions options;
    gint64 id;

    g_assert_no_error (error);
    id = hone_dataset_ensure_default (project, &error);
    g_assert_no_error (error);
    g_assert_true (hone_dataset_load_options (project, id, &options, &error));
    g_assert_false (options.scrub);
  }

  fixture_tear_down (&f);
  {
    g_autofree char *dir = g_path_get_dirname (chat);
    hone_test_remove_tree (dir);
  }
}

static gboolean
browser_idle (gpointer data)
{
  Fixture *f = data;
  HoneConversationBrowser *browser =
    hone_test_template_child (f->page, HONE_TYPE_DATA_PAGE, "browser");

  return !hone_conversation_browser_get_busy (browser)
         && !hone_cleaning_section_get_busy (f->cleaning);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static void
test_browser (void)
{
  Fixture f = { 0 };
  HoneConversationBrowser *browser;
  const HoneDatasetConversation *c;
  const HoneDatasetMessage *m;
  GtkWidget *messages;
  gint64 first_id;
  guint n_messages;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  fixture_set_up (&f, "whatsapp-android-en-us.txt");
  browser = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "browser");
  gtk_stack_set_visible_child_name (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                              "data_stack"),
                                    "browse");

  g_assert_cmpuint (hone_conversation_browser_get_n_conversations (browser), ==,
                    hone_cleaning_section_get_n_conversations (f.cleaning));
  g_assert_cmpuint (hone_conversation_browser_get_n_conversations (browser), >, 1);
  g_assert_null (hone_conversation_browser_get_selected (browser));

  hone_conversation_browser_select (browser, 0);
  c = hone_conversation_browser_get_selected (browser);
  g_assert_nonnull (c);
  messages = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER, "messages_list");
  n_messages = c->messages->len;
  g_assert_cmpuint (count_children (messages), ==, n_messages);

  /* Correct the first message: the view is built again, and the viewer shows it. */
  m = g_ptr_array_index (c->messages, 0);
  first_id = m->message_id;
  hone_conversation_browser_edit_message (browser, first_id,
                                          "Hey all! Dog Mountain on the 16th?",
                                          HONE_ROLE_NONE, FALSE);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  c = hone_conversation_browser_get_selected (browser);
  g_assert_nonnull (c);
  m = g_ptr_array_index (c->messages, 0);
  g_assert_cmpstr (m->text, ==, "Hey all! Dog Mountain on the 16th?");
  g_assert_true (has_label_containing (messages, "Dog Mountain on the 16th?"));

  /* Give the second message to the other side. */
  m = g_ptr_array_index (c->messages, 1);
  {
    gint64 id = m->message_id;
    HoneRole was = m->role;

    hone_conversation_browser_edit_message (browser, id, NULL,
                                            was == HONE_ROLE_ASSISTANT ? HONE_ROLE_USER
                                                                       : HONE_ROLE_ASSISTANT,
                                            FALSE);
    hone_test_wait_ms (50);
    g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
    c = hone_conversation_browser_get_selected (browser);
    for (guint i = 0; i < c->messages->len; i++)
      {
        m = g_ptr_array_index (c->messages, i);
        if (m->message_id == id)
          g_assert_cmpint (m->role, !=, was);
      }
  }

  /* Leave the first one out. */
  hone_conversation_browser_edit_message (browser, first_id, NULL, HONE_ROLE_NONE, TRUE);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  c = hone_conversation_browser_get_selected (browser);
  g_assert_nonnull (c);
  for (guint i = 0; i < c->messages->len; i++)
    g_assert_cmpint (((HoneDatasetMessage *) g_ptr_array_index (c->messages, i))->message_id,
                     !=, first_id);

  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-browser.png");

  fixture_tear_down (&f);
}

static gboolean
stats_idle (gpointer data)
{
  Fixture *f = data;
  HoneStatsSection *stats =
    hone_test_template_child (f->page, HONE_TYPE_DATA_PAGE, "stats_section");

  return !hone_stats_section_get_busy (stats) && !hone_cleaning_section_get_busy (f->cleaning);
}

/* A help desk's tickets (one conversation each), most of them about refunds. */
static char *
write_lopsided_tickets (void)
{
  static const char *items[] = {
    "lamp", "kettle", "chair", "mug", "jacket", "bike bell", "phone case", "backpack",
    "scarf", "teapot", "desk", "rug", "toaster", "umbrella", "blender", "pillow",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("ticket,time,author,role,message\n");
  g_autofree char *dir = hone_test_make_temp_dir ("hone-test-chat-XXXXXX");
  char *path;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      gboolean complaint = i % 8 != 7;

      g_string_append_printf (text, "%u,2024-05-%02u 10:00,Customer %u,customer,", 100 + i,
                              i + 1, i);
      if (complaint)
        g_string_append_printf (text, "My %s came broken and I want a refund\n", items[i]);
      else
        g_string_append_printf (text, "Thanks! The %s arrived early\n", items[i]);
      g_string_append_printf (text, "%u,2024-05-%02u 10:05,Sam,agent,%s your %s.\n", 100 + i,
                              i + 1,
                              complaint ? "Sorry to hear that. I have started a refund for"
                                        : "Glad you like", items[i]);
      g_string_append_printf (text, "%u,2024-05-%02u 10:07,Customer %u,customer,Ok bye\n",
                              100 + i, i + 1, i);
    }

  path = g_build_filename (dir, "tickets.csv", NULL);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_stats (void)
{
  g_autofree char *chat = NULL;
  Fixture f = { 0 };
  HoneStatsSection *stats;
  HoneChart *chart;
  GtkWidget *warning_row;
  GtkWidget *spin;
  HoneViewSnapshot *snapshot;
  guint train, validation;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  chat = write_lopsided_tickets ();
  fixture_set_up (&f, chat);
  stats = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "stats_section");
  gtk_stack_set_visible_child_name (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                              "data_stack"),
                                    "stats");
  hone_test_wait_ms (100);

  g_assert_true (has_label_containing (GTK_WIDGET (stats), "from the bot"));
  g_assert_null (hone_stats_section_get_warning (stats));

  /* The histogram says its value under the pointer: every short conversation is in the
   * first bars. */
  chart = hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "length_chart");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (chart)), >, 100);
  for (int x = 0; x < gtk_widget_get_width (GTK_WIDGET (chart)); x += 10)
    {
      hone_chart_hover (chart, x, gtk_widget_get_height (GTK_WIDGET (chart)) / 2.0);
      if (hone_chart_get_hover_text (chart) != NULL
          && strstr (hone_chart_get_hover_text (chart), "conversation") != NULL)
        break;
    }
  g_assert_nonnull (hone_chart_get_hover_text (chart));
  g_assert_nonnull (strstr (hone_chart_get_hover_text (chart), "conversation"));

  /* Tagging the complaints shows that they dominate, and the page says so. */
  hone_stats_section_tag (stats, "complaint", "refund|broken|late");
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (stats_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  /* The second one by a pattern, through the entries and the button. */
  gtk_switch_set_active (hone_test_template_child (stats, HONE_TYPE_STATS_SECTION,
                                                  "regex_switch"),
                         TRUE);
  gtk_editable_set_text (hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "tag_entry"),
                         "praise");
  gtk_editable_set_text (hone_test_template_child (stats, HONE_TYPE_STATS_SECTION,
                                                   "keywords_entry"),
                         "[Tt]hanks|[Gg]lad");
  gtk_widget_activate_action (GTK_WIDGET (stats), "stats.tag", NULL);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (stats_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_nonnull (hone_stats_section_get_warning (stats));
  warning_row = hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "warning_row");
  g_assert_true (gtk_widget_get_visible (warning_row));
  g_assert_nonnull (strstr (hone_stats_section_get_warning (stats), "complaint"));
  g_assert_true (has_label_containing (GTK_WIDGET (stats), "praise"));

  /* Capping the complaints is stored for the export. */
  hone_stats_section_set_cap (stats, "complaint", 5);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (stats_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HoneProject) project = hone_project_open (hone_window_get_project_dir (f.window),
                                                        &error);
    g_autoptr(GPtrArray) tags = NULL;
    gboolean seen = FALSE;

    g_assert_no_error (error);
    tags = hone_dataset_list_tags (project, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < tags->len; i++)
      {
        HoneTagInfo *info = g_ptr_array_index (tags, i);

        if (g_str_equal (info->name, "complaint"))
          {
            g_assert_cmpuint (info->cap, ==, 5);
            seen = TRUE;
          }
      }
    g_assert_true (seen);
  }

  /* The split: half kept aside. */
  spin = hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "fraction_spin");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 50);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (stats_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  snapshot = hone_cleaning_section_get_snapshot (f.cleaning);
  g_assert_cmpfloat_with_epsilon (snapshot->view->options.validation_fraction, 0.5, 1e-9);
  train = snapshot->stats->train;
  validation = snapshot->stats->validation;
  g_assert_cmpuint (train + validation, ==, snapshot->stats->conversations);
  g_assert_cmpuint (validation, >, 0);

  hone_chart_hover (chart, gtk_widget_get_width (GTK_WIDGET (chart)) * 0.1,
                    gtk_widget_get_height (GTK_WIDGET (chart)) * 0.6);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-stats.png");
  scroll_to (warning_row);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-balance.png");

  fixture_tear_down (&f);
  {
    g_autofree char *dir = g_path_get_dirname (chat);
    hone_test_remove_tree (dir);
  }
}

/* Per-chat roles */

static gboolean
two_sources_imported (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 2
         && !hone_data_page_get_importing (HONE_DATA_PAGE (data));
}

/* A 1:1 WhatsApp chat in which Anna answers Ben, in two parts a day apart, and a help
 * desk's tickets in which an Anna is a customer whom the agent Sam answers. */
static char *
write_family_and_tickets (char **tickets)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = hone_test_make_temp_dir ("hone-test-chat-XXXXXX");
  char *family;

  family = g_build_filename (dir, "family.txt", NULL);
  g_file_set_contents (family,
                       "5/4/24, 9:00 AM - Ben: Are you coming to lunch on Sunday?\n"
                       "5/4/24, 9:02 AM - Anna: Yes! I will bring the apple cake\n"
                       "5/4/24, 9:03 AM - Ben: Perfect, the kids will be happy\n"
                       "5/4/24, 9:05 AM - Anna: See you at noon then\n"
                       "5/5/24, 6:30 PM - Ben: Thanks for coming today\n"
                       "5/5/24, 6:41 PM - Anna: It was lovely, thank you for having us\n",
                       -1, &error);
  g_assert_no_error (error);

  *tickets = g_build_filename (dir, "tickets.csv", NULL);
  g_file_set_contents (*tickets,
                       "ticket,time,author,role,message\n"
                       "7,2024-05-06 10:00,Anna,customer,My order never arrived\n"
                       "7,2024-05-06 10:04,Sam,agent,Sorry! I am sending a new one today\n"
                       "7,2024-05-06 10:06,Anna,customer,Thank you\n"
                       "8,2024-05-07 11:00,Anna,customer,The lid of my kettle is cracked\n"
                       "8,2024-05-07 11:03,Sam,agent,Please send a photo and I will replace it\n",
                       -1, &error);
  g_assert_no_error (error);

  return family;
}

/* The ids of the sources, by file name. */
static gint64
source_id_of (const char *project_dir,
              const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (project_dir, &error);
  g_autoptr(GPtrArray) sources = NULL;

  g_assert_no_error (error);
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);

      if (g_str_equal (info->file, file))
        return info->id;
    }

  g_assert_not_reached ();
}

/* @speaker's stored role in @source_id only (NONE: as everywhere). */
static HoneRole
stored_source_role (const char *project_dir,
                    const char *speaker,
                    gint64      source_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (project_dir, &error);
  g_autoptr(GPtrArray) speakers = NULL;

  g_assert_no_error (error);
  speakers = hone_dataset_list_speakers (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < speakers->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);

      if (info->source_id == source_id && g_strcmp0 (info->name, speaker) == 0)
        return info->role;
    }

  return HONE_ROLE_NONE;
}

static GtkWidget *
speaker_row (HoneRolesSection *roles,
             const char       *speaker)
{
  GtkWidget *list = hone_test_template_child (roles, HONE_TYPE_ROLES_SECTION, "speakers_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), speaker) == 0)
      return row;

  g_assert_not_reached ();
}

/* The choice for @speaker in @source_id, in their row's expander. */
static AdwComboRow *
source_choice (HoneRolesSection *roles,
               const char       *speaker,
               gint64            source_id)
{
  GtkWidget *row = speaker_row (roles, speaker);
  g_autofree char *name = g_strdup_printf ("source-%" G_GINT64_FORMAT, source_id);
  GtkWidget *choice;

  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  choice = find_descendant (row, ADW_TYPE_COMBO_ROW, name);
  g_assert_nonnull (choice);

  return ADW_COMBO_ROW (choice);
}

/* The role of @speaker's messages in the cleaned conversations of @source_id. */
static HoneRole
view_role (HoneCleaningSection *cleaning,
           const char          *speaker,
           gint64               source_id)
{
  HoneViewSnapshot *snapshot = hone_cleaning_section_get_snapshot (cleaning);
  HoneRole role = HONE_ROLE_NONE;

  g_assert_nonnull (snapshot);
  for (guint i = 0; i < snapshot->view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (snapshot->view->conversations, i);

      if (c->source_id != source_id)
        continue;
      for (guint j = 0; j < c->messages->len; j++)
        {
          const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);

          if (g_strcmp0 (m->speaker, speaker) != 0)
            continue;
          /* Every message of theirs in the chat is on the same side. */
          if (role != HONE_ROLE_NONE)
            g_assert_cmpint (m->role, ==, role);
          role = m->role;
        }
    }

  return role;
}

static void
test_source_roles (void)
{
  Fixture f = { 0 };
  g_autofree char *family = NULL;
  g_autofree char *tickets = NULL;
  GFile *files[2];
  GtkWidget *preview, *row;
  const char *project_dir;
  gint64 family_id, tickets_id;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  family = write_family_and_tickets (&tickets);
  fixture_open (&f);
  files[0] = g_file_new_for_path (family);
  files[1] = g_file_new_for_path (tickets);
  hone_data_page_import_files (f.page, files, 2);
  g_object_unref (files[0]);
  g_object_unref (files[1]);
  g_assert_true (hone_test_wait_for (two_sources_imported, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (roles_ready, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  project_dir = hone_window_get_project_dir (f.window);
  family_id = source_id_of (project_dir, "family.txt");
  tickets_id = source_id_of (project_dir, "tickets.csv");

  /* Anna is the bot's voice everywhere to start with. */
  if (stored_role (project_dir, "Anna") != HONE_ROLE_ASSISTANT)
    {
      gtk_toggle_button_set_active (role_button (f.roles, "Anna", TRUE), TRUE);
      g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
    }
  g_assert_cmpint (stored_role (project_dir, "Anna"), ==, HONE_ROLE_ASSISTANT);
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  /* So the tickets have the bot on both sides, and cleaning leaves them out. */
  g_assert_cmpint (view_role (f.cleaning, "Anna", family_id), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (view_role (f.cleaning, "Anna", tickets_id), ==, HONE_ROLE_NONE);

  /* Anna wrote in both chats: her row opens on a choice per chat, both "as everywhere".
   * The export's own marks are a hint: she is a customer there, Sam the agent. Sam
   * wrote in one chat only and has no such choice. */
  row = speaker_row (f.roles, "Anna");
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                            "marked as customer in the export"));
  g_assert_cmpuint (adw_combo_row_get_selected (source_choice (f.roles, "Anna", family_id)),
                    ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (source_choice (f.roles, "Anna", tickets_id)),
                    ==, 0);
  row = speaker_row (f.roles, "Sam");
  g_assert_false (ADW_IS_EXPANDER_ROW (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "marked as agent in the export"));

  /* In the tickets only, Anna is a user: stored for that chat, the project-wide choice
   * stays, and the preview shows a ticket with her on the user's side. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (speaker_row (f.roles, "Anna")), TRUE);
  adw_combo_row_set_selected (source_choice (f.roles, "Anna", tickets_id), 1);
  g_assert_true (hone_roles_section_get_busy (f.roles));
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_source_role (project_dir, "Anna", tickets_id), ==, HONE_ROLE_USER);
  g_assert_cmpint (stored_source_role (project_dir, "Anna", family_id), ==, HONE_ROLE_NONE);
  g_assert_cmpint (stored_role (project_dir, "Anna"), ==, HONE_ROLE_ASSISTANT);
  preview = hone_test_template_child (f.roles, HONE_TYPE_ROLES_SECTION, "preview_box");
  g_assert_true (has_label_containing (preview, "From tickets.csv"));
  g_assert_true (has_label_containing (preview, "User (Anna)"));
  g_assert_true (has_label_containing (preview, "Bot (as Sam)"));
  g_assert_true (has_label_containing (preview, "Sorry! I am sending a new one today"));
  g_assert_false (has_label_containing (preview, "Bot (as Anna)"));
  /* The row says so, stays open, and the cleaned set follows. */
  row = speaker_row (f.roles, "Anna");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                            "another part in 1 chat"));
  g_assert_cmpuint (adw_combo_row_get_selected (source_choice (f.roles, "Anna", tickets_id)),
                    ==, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (source_choice (f.roles, "Anna",
                                                                       tickets_id)),
                                           "source-override"));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (view_role (f.cleaning, "Anna", tickets_id), ==, HONE_ROLE_USER);
  g_assert_cmpint (view_role (f.cleaning, "Anna", family_id), ==, HONE_ROLE_ASSISTANT);

  scroll_to (GTK_WIDGET (f.roles));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-source-roles.png");

  /* Undo, as the toast offers: as everywhere again, in the store, the row and the set. */
  hone_roles_section_undo (f.roles);
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_source_role (project_dir, "Anna", tickets_id), ==, HONE_ROLE_NONE);
  g_assert_cmpuint (adw_combo_row_get_selected (source_choice (f.roles, "Anna", tickets_id)),
                    ==, 0);
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (view_role (f.cleaning, "Anna", tickets_id), ==, HONE_ROLE_NONE);

  /* A user in the family chat only, then back to "same as everywhere" by the menu. */
  adw_combo_row_set_selected (source_choice (f.roles, "Anna", family_id), 1);
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_source_role (project_dir, "Anna", family_id), ==, HONE_ROLE_USER);
  /* Nobody is the bot in that chat now: the preview says its conversations are left
   * out rather than showing another chat without a word. */
  g_assert_true (has_label_containing (preview, "No conversation of family.txt is used"));
  g_assert_false (has_label_containing (preview, "From family.txt"));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (view_role (f.cleaning, "Anna", family_id), ==, HONE_ROLE_NONE);
  adw_combo_row_set_selected (source_choice (f.roles, "Anna", family_id), 0);
  g_assert_true (hone_test_wait_for (roles_idle, f.roles, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (stored_source_role (project_dir, "Anna", family_id), ==, HONE_ROLE_NONE);
  g_assert_true (has_label_containing (preview, "From family.txt"));
  g_assert_true (has_label_containing (preview, "Bot (as Anna)"));
  g_assert_false (has_label_containing (preview, "No conversation of"));
  g_assert_true (hone_test_wait_for (cleaning_idle, f.cleaning, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpint (view_role (f.cleaning, "Anna", family_id), ==, HONE_ROLE_ASSISTANT);

  fixture_tear_down (&f);
  {
    g_autofree char *dir = g_path_get_dirname (family);
    hone_test_remove_tree (dir);
  }
}

/* Topics by hand */

/* The topic toggle @tag in the browser's viewer, or NULL. */
static GtkToggleButton *
tag_chip (HoneConversationBrowser *browser,
          const char              *tag)
{
  GtkWidget *flow = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER,
                                              "tags_flow");

  for (GtkWidget *child = gtk_widget_get_first_child (flow);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (GTK_IS_TOGGLE_BUTTON (chip)
          && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (chip)), tag) == 0)
        return GTK_TOGGLE_BUTTON (chip);
    }

  return NULL;
}

/* How many conversations of the project have @tag, as stored. */
static guint
stored_tag_count (const char *project_dir,
                  const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (project_dir, &error);
  g_autoptr(GPtrArray) tags = NULL;

  g_assert_no_error (error);
  tags = hone_dataset_list_tags (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tags->len; i++)
    {
      const HoneTagInfo *info = g_ptr_array_index (tags, i);

      if (g_str_equal (info->name, tag))
        return info->count;
    }

  return 0;
}

/* The balance report's line for @tag, or NULL. */
static const HoneTagShare *
balance_of (HoneCleaningSection *cleaning,
            const char          *tag)
{
  HoneViewSnapshot *snapshot = hone_cleaning_section_get_snapshot (cleaning);

  for (guint i = 0; snapshot->stats->tags != NULL && i < snapshot->stats->tags->len; i++)
    {
      const HoneTagShare *share = g_ptr_array_index (snapshot->stats->tags, i);

      if (g_str_equal (share->name, tag))
        return share;
    }

  return NULL;
}

static void
test_hand_tags (void)
{
  g_autofree char *chat = NULL;
  Fixture f = { 0 };
  HoneConversationBrowser *browser;
  HoneStatsSection *stats;
  GtkWidget *entry, *add, *tags_list;
  GtkSelectionModel *model;
  GtkListView *view;
  const HoneTagShare *share;
  const char *project_dir;
  guint n;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  chat = write_lopsided_tickets ();
  fixture_set_up (&f, chat);
  project_dir = hone_window_get_project_dir (f.window);
  browser = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "browser");
  stats = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "stats_section");
  tags_list = hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "tags_list");
  gtk_stack_set_visible_child_name (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                              "data_stack"),
                                    "browse");
  n = hone_conversation_browser_get_n_conversations (browser);
  g_assert_cmpuint (n, ==, 16);
  hone_conversation_browser_select (browser, 0);
  g_assert_nonnull (hone_conversation_browser_get_selected (browser));
  g_assert_null (balance_of (f.cleaning, "praise"));

  /* A new topic for the first ticket, through the entry of "New Topic…" and its button,
   * which wants a name first. */
  entry = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER, "new_tag_entry");
  add = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER, "new_tag_add");
  gtk_editable_set_text (GTK_EDITABLE (entry), "  ");
  g_assert_false (gtk_widget_get_sensitive (add));
  gtk_editable_set_text (GTK_EDITABLE (entry), "  praise ");
  g_assert_true (gtk_widget_get_sensitive (add));
  g_signal_emit_by_name (add, "clicked");
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 1);
  g_assert_nonnull (tag_chip (browser, "praise"));
  g_assert_true (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  share = balance_of (f.cleaning, "praise");
  g_assert_nonnull (share);
  g_assert_cmpuint (share->conversations, ==, 1);
  g_assert_cmpfloat_with_epsilon (share->share, 1.0 / n, 1e-9);
  g_assert_true (has_label_containing (tags_list, "praise"));
  g_assert_true (has_label_containing (tags_list, "1 conversation (6%)"));

  /* The second ticket by its toggle: the balance follows. */
  hone_conversation_browser_select (browser, 1);
  g_assert_nonnull (tag_chip (browser, "praise"));
  g_assert_false (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  gtk_toggle_button_set_active (tag_chip (browser, "praise"), TRUE);
  g_assert_true (hone_conversation_browser_get_busy (browser));
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 2);
  g_assert_true (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  share = balance_of (f.cleaning, "praise");
  g_assert_cmpuint (share->conversations, ==, 2);
  g_assert_cmpfloat_with_epsilon (share->share, 2.0 / n, 1e-9);
  g_assert_true (has_label_containing (tags_list, "2 conversations (12%)"));

  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-hand-tags.png");

  /* Off the first one again. */
  hone_conversation_browser_select (browser, 0);
  gtk_toggle_button_set_active (tag_chip (browser, "praise"), FALSE);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 1);
  g_assert_false (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  g_assert_cmpuint (balance_of (f.cleaning, "praise")->conversations, ==, 1);

  /* Undo, as the toast offers: it has the topic again. */
  hone_conversation_browser_undo (browser);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 2);
  g_assert_true (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  g_assert_cmpuint (balance_of (f.cleaning, "praise")->conversations, ==, 2);

  /* Two chosen with Ctrl: one has the topic, one has not; the toggle gives it to both,
   * and they stay chosen. */
  view = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER, "conversation_view");
  model = gtk_list_view_get_model (view);
  gtk_selection_model_select_item (model, 1, TRUE);
  gtk_selection_model_select_item (model, 2, FALSE);
  g_assert_cmpuint (hone_conversation_browser_get_n_chosen (browser), ==, 2);
  g_assert_null (hone_conversation_browser_get_selected (browser));
  g_assert_cmpstr (gtk_label_get_text (hone_test_template_child (browser,
                                                                 HONE_TYPE_CONVERSATION_BROWSER,
                                                                 "viewer_title")),
                   ==, "2 Conversations Chosen");
  g_assert_false (gtk_widget_get_visible (hone_test_template_child (browser,
                                                                    HONE_TYPE_CONVERSATION_BROWSER,
                                                                    "messages_list")));
  g_assert_false (gtk_toggle_button_get_active (tag_chip (browser, "praise")));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tag_chip (browser, "praise")),
                                           "tag-chip-some"));
  gtk_toggle_button_set_active (tag_chip (browser, "praise"), TRUE);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 3);
  g_assert_cmpuint (hone_conversation_browser_get_n_chosen (browser), ==, 2);
  g_assert_true (gtk_toggle_button_get_active (tag_chip (browser, "praise")));

  /* Many more with Shift make the set lopsided, and Statistics says so. */
  gtk_selection_model_select_range (model, 3, 11, TRUE);
  g_assert_cmpuint (hone_conversation_browser_get_n_chosen (browser), ==, 11);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-hand-tags-many.png");
  gtk_toggle_button_set_active (tag_chip (browser, "praise"), TRUE);
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (browser_idle, &f, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (stored_tag_count (project_dir, "praise"), ==, 14);
  g_assert_cmpuint (balance_of (f.cleaning, "praise")->conversations, ==, 14);
  g_assert_nonnull (hone_stats_section_get_warning (stats));
  g_assert_nonnull (strstr (hone_stats_section_get_warning (stats), "praise"));

  gtk_stack_set_visible_child_name (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                              "data_stack"),
                                    "stats");
  hone_test_wait_ms (100);
  scroll_to (hone_test_template_child (stats, HONE_TYPE_STATS_SECTION, "warning_row"));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-hand-tags-balance.png");

  fixture_tear_down (&f);
  {
    g_autofree char *dir = g_path_get_dirname (chat);
    hone_test_remove_tree (dir);
  }
}

/* A WhatsApp group chat of @n messages, a new conversation every 40 messages (a gap of
 * a day), written into a new folder. */
static char *
write_big_chat (guint n)
{
  static const char *authors[] = { "Maya Chen", "Jordan Lee", "Priya Raman", "Sam Ortiz" };
  static const char *w1[] = { "the", "a", "our", "that", "this", "my", "your" };
  static const char *w2[] = { "trail", "summit", "lake", "ridge", "forest", "meadow", "canyon",
                              "river", "valley", "peak", "pass" };
  static const char *w3[] = { "looks", "seems", "felt", "was", "is", "stays", "became", "got",
                              "turned", "grew", "sounds", "remains", "appears" };
  static const char *w4[] = { "great", "muddy", "steep", "quiet", "crowded", "windy", "sunny",
                              "cold", "green", "dry", "icy", "foggy", "lovely", "rough", "long",
                              "short", "wild" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_sized_new (n * 64);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2020, 1, 1, 8, 0, 0);
  g_autofree char *dir = hone_test_make_temp_dir ("hone-test-chat-XXXXXX");
  char *path;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_add_seconds (start, (i / 40) * 86400.0 + (i % 40) * 60);
      g_autofree char *stamp = g_date_time_format (t, "%-m/%-d/%y, %-I:%M %p");

      /* Words rather than numbers, so that no conversation is a near duplicate. */
      g_string_append_printf (text, "%s - %s: %s %s %s %s\n", stamp,
                              authors[i % G_N_ELEMENTS (authors)],
                              w1[i % G_N_ELEMENTS (w1)],
                              w2[(i / 7) % G_N_ELEMENTS (w2)],
                              w3[(i / 77) % G_N_ELEMENTS (w3)],
                              w4[(i / 1001) % G_N_ELEMENTS (w4)]);
    }

  path = g_build_filename (dir, "whatsapp-big.txt", NULL);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);

  return path;
}

typedef struct
{
  gint64 last;
  gint64 longest;
} Stall;

static gboolean
measure_stall (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;

  return G_SOURCE_CONTINUE;
}

/* 100 000 messages: the list holds thousands of conversations without an object for
 * each, and the viewer stays small. The longest stall of the main loop is reported, not
 * asserted (timings belong to benchmarks). */
static void
test_big (void)
{
  Fixture f = { 0 };
  g_autofree char *chat = NULL;
  HoneConversationBrowser *browser;
  GtkWidget *messages;
  Stall stall = { 0 };
  guint tick;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  chat = write_big_chat (100000);
  fixture_open (&f);
  hone_test_wait_ms (200);
  tick = g_timeout_add (10, measure_stall, &stall);
  fixture_import (&f, chat);
  g_test_message ("Longest stall while importing and cleaning: %.0f ms", stall.longest / 1000.0);
  browser = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "browser");
  g_test_message ("Conversations after cleaning: %u",
                  hone_conversation_browser_get_n_conversations (browser));
  g_assert_cmpuint (hone_conversation_browser_get_n_conversations (browser), >, 1000);

  gtk_stack_set_visible_child_name (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                              "data_stack"),
                                    "browse");
  hone_conversation_browser_select (browser, 1234);
  messages = hone_test_template_child (browser, HONE_TYPE_CONVERSATION_BROWSER, "messages_list");
  g_assert_cmpuint (count_children (messages), >, 0);
  g_assert_cmpuint (count_children (messages), <=, 301);
  hone_test_wait_ms (200);
  g_source_remove (tick);
  g_test_message ("Longest main-loop stall with 100 000 messages: %.0f ms",
                  stall.longest / 1000.0);

  fixture_tear_down (&f);
  {
    g_autofree char *dir = g_path_get_dirname (chat);
    hone_test_remove_tree (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = hone_test_app_new (&argc, &argv);
  have_display = app != NULL;

  g_test_add_func ("/hone/app/data/roles", test_roles);
  g_test_add_func ("/hone/app/data/cleaning", test_cleaning);
  g_test_add_func ("/hone/app/data/browser", test_browser);
  g_test_add_func ("/hone/app/data/stats", test_stats);
  g_test_add_func ("/hone/app/data/source-roles", test_source_roles);
  g_test_add_func ("/hone/app/data/hand-tags", test_hand_tags);
  g_test_add_func ("/hone/app/data/big", test_big);

  status = g_test_run ();

  g_clear_pointer (&app, hone_test_app_free);

  return status;
}
