/* test-feedback.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the Data page's Chat Feedback tab in a real window: ratings and corrections
 * written through the chat store show up with their counts when the page is shown again,
 * and "Add to Training Data" turns a correction into a conversation of the data, with
 * the page's list of sources following. Screenshots go to the build folder.
 */

#define G_LOG_DOMAIN "test-feedback"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "store/hone-chat-store.h"
#include "store/hone-project.h"

#include "hone-app-test-util.h"
#include "hone-application.h"
#include "hone-data-page.h"
#include "hone-feedback-section.h"
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

static guint
count_named (GtkWidget  *widget,
             const char *name)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        n++;
      n += count_named (child, name);
    }

  return n;
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

static GtkWidget *
nth_row (GtkListBox *list,
         int         index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  g_assert_nonnull (row);

  return GTK_WIDGET (row);
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;

  return n;
}

static gboolean
project_is_open (gpointer data)
{
  return hone_window_get_project_dir (HONE_WINDOW (data)) != NULL;
}

static gboolean
feedback_idle (gpointer data)
{
  return !hone_feedback_section_get_busy (HONE_FEEDBACK_SECTION (data));
}

static gboolean
four_items_shown (gpointer data)
{
  return hone_feedback_section_get_n_items (HONE_FEEDBACK_SECTION (data)) == 4
         && !hone_feedback_section_get_busy (HONE_FEEDBACK_SECTION (data));
}

static gboolean
one_source_listed (gpointer data)
{
  return hone_data_page_get_n_sources (HONE_DATA_PAGE (data)) == 1;
}

typedef struct
{
  HoneFeedbackSection *section;
  const char          *summary;
} SummaryWait;

static gboolean
summary_is (gpointer data)
{
  SummaryWait *wait = data;

  return !hone_feedback_section_get_busy (wait->section)
         && g_strcmp0 (hone_feedback_section_get_summary (wait->section), wait->summary) == 0;
}

typedef struct
{
  char                *tmp;
  HoneWindow          *window;
  HoneDataPage        *page;
  HoneFeedbackSection *section;
  GtkListBox          *list;
} Fixture;

/* A window with a new, empty project. */
static void
fixture_set_up (Fixture *f)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) folder = NULL;

  f->tmp = hone_test_make_temp_dir ("hone-test-feedback-XXXXXX");

  f->window = hone_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  hone_test_wait_ms (200);

  dir = g_build_filename (f->tmp, "Hike Bot", NULL);
  folder = g_file_new_for_path (dir);
  hone_application_create_project (app, folder, f->window);
  g_assert_true (hone_test_wait_for (project_is_open, f->window, HONE_TEST_WAIT_TIMEOUT_MS));

  f->page = hone_test_template_child (f->window, HONE_TYPE_WINDOW, "data_page");
  f->section = hone_test_template_child (f->page, HONE_TYPE_DATA_PAGE, "feedback_section");
  f->list = hone_test_template_child (f->section, HONE_TYPE_FEEDBACK_SECTION, "feedback_list");
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

/* Appends a question and its answer to @conversation_id; returns the answer's id. */
static gint64
add_exchange (HoneProject *project,
              gint64       conversation_id,
              gint64       bot_id,
              const char  *question,
              const char  *answer)
{
  g_autoptr(GError) error = NULL;
  gint64 question_id;
  gint64 answer_id;

  question_id = hone_chat_store_append_message (project, conversation_id, "user", question,
                                                0, 0, 0, NULL, HONE_CHAT_STATUS_COMPLETE,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpint (question_id, >, 0);
  answer_id = hone_chat_store_append_message (project, conversation_id, "assistant", answer,
                                              bot_id, question_id, 0, NULL,
                                              HONE_CHAT_STATUS_COMPLETE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (answer_id, >, 0);

  return answer_id;
}

static void
rate (HoneProject *project,
      gint64       message_id,
      gint         rating)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hone_chat_store_set_rating (project, message_id, rating, &error), >, 0);
  g_assert_no_error (error);
}

static gint64
correct (HoneProject *project,
         gint64       message_id,
         const char  *correction)
{
  g_autoptr(GError) error = NULL;
  gint64 feedback_id;

  feedback_id = hone_chat_store_save_correction (project, message_id, correction, &error);
  g_assert_no_error (error);
  g_assert_cmpint (feedback_id, >, 0);

  return feedback_id;
}

/* How many turns the context of @feedback holds. */
static guint
context_length (const HoneFeedback *feedback)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, feedback->context, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));

  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

/* Shows another page of the window and the Data page again, as a person coming back
 * from Chat does. */
static void
show_data_page_again (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "model");
  hone_test_wait_ms (100);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "data");
  hone_test_wait_ms (50);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
}

/* Tests */

static void
test_feedback (void)
{
  Fixture f = { 0 };
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneFeedback) feedback = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  GtkStack *page_stack;
  GtkStack *data_stack;
  GtkStack *section_stack;
  GtkWidget *row;
  GtkWidget *button;
  const HoneSourceInfo *source;
  SummaryWait wait;
  gint64 bot_id, conversation_id;
  gint64 answer1, answer2, answer3, answer4;
  gint64 corrected_id, unrated_id;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  fixture_set_up (&f);
  page_stack = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "stack");
  data_stack = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "data_stack");
  section_stack = hone_test_template_child (f.section, HONE_TYPE_FEEDBACK_SECTION, "stack");

  /* A new project: nothing imported, no feedback. */
  g_assert_true (hone_test_wait_for (feedback_idle, f.section, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (200);
  g_assert_cmpuint (hone_feedback_section_get_n_items (f.section), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (section_stack), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");

  /* Someone chats with a bot and rates its answers. */
  project = hone_project_open (hone_window_get_project_dir (f.window), &error);
  g_assert_no_error (error);
  bot_id = hone_chat_store_add_bot (project, "Trail Guide", "/models/none.gguf", NULL, 0,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpint (bot_id, >, 0);
  conversation_id = hone_chat_store_create_conversation (project, bot_id, 0, "Trails", "",
                                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (conversation_id, >, 0);

  answer1 = add_exchange (project, conversation_id, bot_id,
                          "Which trail is good for a first hike?",
                          "The Lakeside Loop: 5 km, flat, with shade most of the way.");
  rate (project, answer1, 1);
  answer2 = add_exchange (project, conversation_id, bot_id,
                          "Do I need a permit\nfor the ridge trail?",
                          "No permit is needed for any trail in the park, at any season.");
  rate (project, answer2, -1);
  corrected_id = correct (project, answer2,
                          "Yes: from May to September the ridge trail needs a free day "
                          "permit from the visitor centre.");
  answer3 = add_exchange (project, conversation_id, bot_id,
                          "What should I bring?",
                          "Water, a snack, sun cream, a map and a light jacket.");
  rate (project, answer3, 1);
  answer4 = add_exchange (project, conversation_id, bot_id,
                          "Can I bring my dog?",
                          "Dogs are welcome everywhere.");
  unrated_id = correct (project, answer4, "Dogs are welcome on a leash, except on the ridge.");

  /* Coming back to the Data page shows them, newest first. */
  show_data_page_again (&f);
  g_assert_true (hone_test_wait_for (four_items_shown, f.section, HONE_TEST_WAIT_TIMEOUT_MS));
  hone_test_wait_ms (100);

  /* Feedback alone is enough to leave the "import" page, and its tab is shown. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "sources");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (data_stack), ==, "feedback");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (section_stack), ==, "list");

  g_assert_cmpstr (hone_feedback_section_get_summary (f.section), ==,
                   "3 rated answers: 2 good, 1 bad; 2 corrections, 0 added");
  g_assert_true (has_label_containing (GTK_WIDGET (f.section),
                                       "3 rated answers: 2 good, 1 bad; 2 corrections, 0 added"));
  g_assert_cmpuint (count_rows (f.list), ==, 4);
  g_assert_cmpuint (count_named (GTK_WIDGET (f.list), "add-to-data"), ==, 2);
  g_assert_cmpuint (count_named (GTK_WIDGET (f.list), "added-to-data"), ==, 0);

  /* Row 0: the dog, corrected but not rated. */
  row = nth_row (f.list, 0);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_IMAGE, "rating-none"));
  g_assert_true (has_label_containing (row, "You: Can I bring my dog?"));
  g_assert_true (has_label_containing (row, "Dogs are welcome everywhere."));
  g_assert_true (has_label_containing (row, "Dogs are welcome on a leash"));
  g_assert_true (has_label_containing (row, "Trail Guide"));
  g_assert_nonnull (find_descendant (row, GTK_TYPE_BUTTON, "add-to-data"));

  /* Row 1: what to bring, a good answer with nothing to add. */
  row = nth_row (f.list, 1);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_IMAGE, "rating-good"));
  g_assert_null (find_descendant (row, GTK_TYPE_BUTTON, "add-to-data"));
  g_assert_false (has_label_containing (row, "Your correction"));

  /* Row 2: the permit, a bad answer with its correction; its line break is gone. */
  row = nth_row (f.list, 2);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_IMAGE, "rating-bad"));
  g_assert_true (has_label_containing (row, "You: Do I need a permit for the ridge trail?"));
  g_assert_true (has_label_containing (row, "Your correction"));
  g_assert_true (has_label_containing (row, "free day permit"));

  row = nth_row (f.list, 3);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_IMAGE, "rating-good"));
  g_assert_true (has_label_containing (row, "You: Which trail is good for a first hike?"));

  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-feedback.png");

  /* Adding the permit correction to the training data. */
  button = find_descendant (nth_row (f.list, 2), GTK_TYPE_BUTTON, "add-to-data");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));

  wait.section = f.section;
  wait.summary = "3 rated answers: 2 good, 1 bad; 2 corrections, 1 added";
  g_assert_true (hone_test_wait_for (summary_is, &wait, HONE_TEST_WAIT_TIMEOUT_MS));

  feedback = hone_chat_store_get_feedback (project, corrected_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (feedback->conversation_id, >, 0);

  /* The row says so, and the other correction still waits. */
  g_assert_cmpuint (count_named (GTK_WIDGET (f.list), "add-to-data"), ==, 1);
  row = nth_row (f.list, 2);
  g_assert_nonnull (find_descendant (row, GTK_TYPE_BOX, "added-to-data"));
  g_assert_null (find_descendant (row, GTK_TYPE_BUTTON, "add-to-data"));
  g_assert_nonnull (find_descendant (nth_row (f.list, 0), GTK_TYPE_BUTTON, "add-to-data"));
  {
    g_autoptr(HoneFeedback) other = hone_chat_store_get_feedback (project, unrated_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (other->conversation_id, ==, 0);
  }

  /* The data page lists the new source: the turns before the answer, then the
   * correction in its place. */
  g_assert_true (hone_test_wait_for (one_source_listed, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  source = g_ptr_array_index (sources, 0);
  g_assert_cmpuint (source->n_conversations, ==, 1);
  g_assert_cmpuint (source->n_messages, ==, context_length (feedback) + 1);
  g_assert_cmpuint (context_length (feedback), ==, 3);

  hone_test_wait_ms (300);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-feedback-added.png");

  /* The mark stays on one line beside the text. */
  {
    GtkWidget *added = find_descendant (nth_row (f.list, 2), GTK_TYPE_BOX, "added-to-data");
    GtkWidget *label = find_descendant (added, GTK_TYPE_LABEL, NULL);
    int natural;

    gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (label), >=, natural);
  }

  /* The first tab lists the new source. */
  gtk_stack_set_visible_child_name (data_stack, "prepare");
  g_assert_true (has_label_containing (hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE,
                                                                 "sources_list"),
                                       "Chat corrections"));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-feedback-source.png");
  gtk_stack_set_visible_child_name (data_stack, "feedback");

  /* Ratings given later show up when the page is shown again. */
  rate (project, answer4, -1);
  show_data_page_again (&f);
  wait.summary = "4 rated answers: 2 good, 2 bad; 2 corrections, 1 added";
  g_assert_true (hone_test_wait_for (summary_is, &wait, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_nonnull (find_descendant (nth_row (f.list, 0), GTK_TYPE_IMAGE, "rating-bad"));

  g_clear_pointer (&project, hone_project_free);
  fixture_tear_down (&f);
}

/* With chats imported and no feedback yet, the tab says how to give some. */
static void
test_empty (void)
{
  Fixture f = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(GFile) chat = NULL;
  GtkStack *data_stack;
  GtkStack *section_stack;

  if (!have_display)
    {
      g_test_skip ("No display (run under xvfb-run)");
      return;
    }

  fixture_set_up (&f);
  data_stack = hone_test_template_child (f.page, HONE_TYPE_DATA_PAGE, "data_stack");
  section_stack = hone_test_template_child (f.section, HONE_TYPE_FEEDBACK_SECTION, "stack");

  path = hone_test_testdata_path ("whatsapp-android-en-us.txt");
  chat = g_file_new_for_path (path);
  hone_data_page_import_files (f.page, &chat, 1);
  g_assert_true (hone_test_wait_for (one_source_listed, f.page, HONE_TEST_WAIT_TIMEOUT_MS));

  gtk_stack_set_visible_child_name (data_stack, "feedback");
  hone_test_wait_ms (50);
  g_assert_true (hone_test_wait_for (feedback_idle, f.section, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_cmpuint (hone_feedback_section_get_n_items (f.section), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (section_stack), ==, "empty");
  g_assert_true (has_label_containing (GTK_WIDGET (section_stack), "Chat page"));
  g_assert_cmpuint (count_rows (f.list), ==, 0);

  hone_test_wait_ms (300);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "screenshot-data-feedback-empty.png");

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = hone_test_app_new (&argc, &argv);
  have_display = app != NULL;

  g_test_add_func ("/hone/app/feedback/rate-and-add", test_feedback);
  g_test_add_func ("/hone/app/feedback/empty", test_empty);

  status = g_test_run ();

  g_clear_pointer (&app, hone_test_app_free);

  return status;
}
