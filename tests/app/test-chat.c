/* test-chat.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the Chat page of a real window with a small random model (hone-test-model.h) on
 * the engine worker: a bot from the model, a message whose answer streams in and is
 * stopped, thumbs up and down, a correction added to the training data, Compare with two
 * bots, Regenerate, and the sidebar's chats. Everything is checked in the project's chat
 * store as well as on the page; the page reads and writes the store on a thread of its
 * own, so the test waits for it (hone_chat_page_get_busy) before it looks. The warm-up of
 * a chosen bot shows its progress, and a message sent meanwhile waits behind it.
 * Screenshots go to the build folder.
 */

#define G_LOG_DOMAIN "test-chat"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "model/hone-test-adapter.h"
#include "model/hone-test-model.h"
#include "store/hone-chat-store.h"
#include "store/hone-project.h"

#include "hone-app-test-util.h"
#include "hone-application.h"
#include "hone-chat-correction-dialog.h"
#include "hone-chat-page.h"
#include "hone-chat-settings.h"
#include "hone-message-row.h"
#include "hone-window.h"

static HoneApplication *app;

typedef struct
{
  char             *tmp;
  char             *model_path;
  HoneWindow       *window;
  HoneChatPage     *page;
  HoneChatSettings *settings;
  HoneProject      *project;   /* the test's own connection, to check the store */
} Fixture;

static gboolean
project_is_open (gpointer data)
{
  return hone_window_get_project_dir (HONE_WINDOW (data)) != NULL;
}

static gboolean
answer_has_text (gpointer data)
{
  HoneChatPage *page = data;
  HoneMessageRow *row = hone_chat_page_get_last_answer (page, 0);

  return row != NULL && *hone_message_row_get_text (row) != '\0';
}

static gboolean
page_is_idle (gpointer data)
{
  return !hone_chat_page_get_generating (HONE_CHAT_PAGE (data))
         && !hone_chat_page_get_busy (HONE_CHAT_PAGE (data));
}

static gboolean
store_is_idle (gpointer data)
{
  return !hone_chat_page_get_busy (HONE_CHAT_PAGE (data));
}

static gboolean
warmup_shown (gpointer data)
{
  return hone_chat_page_get_warmup_status (HONE_CHAT_PAGE (data)) != NULL;
}

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GFile) folder = NULL;
  HoneTestModelOptions options;

  f->tmp = hone_test_make_temp_dir ("hone-test-chat-XXXXXX");

  /* A byte-vocabulary llama: its answers are noise, but they stream like real ones. */
  f->model_path = g_build_filename (f->tmp, "tiny-llama.gguf", NULL);
  hone_test_model_options_init (&options, HONE_ARCH_LLAMA);
  options.seed = 11;
  options.dtype = HONE_GGML_TYPE_F16;
  options.context_length = 2048;
  g_assert_true (hone_test_model_write (&options, f->model_path, &error));
  g_assert_no_error (error);

  f->window = hone_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  hone_test_wait_ms (200);

  dir = g_build_filename (f->tmp, "Chat Bot", NULL);
  folder = g_file_new_for_path (dir);
  hone_application_create_project (app, folder, f->window);
  g_assert_true (hone_test_wait_for (project_is_open, f->window, HONE_TEST_WAIT_TIMEOUT_MS));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "chat");

  f->page = hone_test_template_child (f->window, HONE_TYPE_WINDOW, "chat_page");
  f->settings = hone_test_template_child (f->page, HONE_TYPE_CHAT_PAGE, "settings");
  g_assert_cmpstr (hone_chat_page_get_project_dir (f->page), ==, dir);

  f->project = hone_project_open (dir, &error);
  g_assert_no_error (error);
}

/* Waits until the page's store thread did all it was asked. */
static void
wait_store (Fixture *f)
{
  g_assert_true (hone_test_wait_for (store_is_idle, f->page, HONE_TEST_WAIT_TIMEOUT_MS));
}

/* Adds a bot through the page, as its dialog does; returns its id once it is stored and
 * chosen. */
static gint64
add_bot (Fixture    *f,
         const char *name,
         const char *model_path,
         const char *adapter_path)
{
  gint64 id;

  hone_chat_page_add_bot (f->page, name, model_path, adapter_path);
  wait_store (f);
  id = hone_chat_page_get_bot_id (f->page, 0);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
fixture_close (Fixture *f)
{
  gpointer weak = f->window;

  g_clear_pointer (&f->project, hone_project_free);

  g_object_add_weak_pointer (G_OBJECT (f->window), &weak);
  gtk_window_close (GTK_WINDOW (f->window));
  hone_test_wait_ms (100);
  g_assert_null (weak);

  hone_test_remove_tree (f->tmp);
  g_free (f->model_path);
  g_free (f->tmp);
}

static const char *
visible_child (gpointer    widget,
               GType       type,
               const char *stack_name)
{
  GtkStack *stack = hone_test_template_child (widget, type, stack_name);

  return gtk_stack_get_visible_child_name (stack);
}

static void
set_spin (HoneChatSettings *settings,
          const char       *name,
          double            value)
{
  GtkSpinButton *spin = hone_test_template_child (settings, HONE_TYPE_CHAT_SETTINGS, name);

  gtk_spin_button_set_value (spin, value);
}

/* Types @text into the entry and sends it as the Send button does. */
static void
send_message (Fixture    *f,
              const char *text)
{
  GtkTextView *entry = hone_test_template_child (f->page, HONE_TYPE_CHAT_PAGE, "entry_view");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (entry);

  gtk_text_buffer_set_text (buffer, text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "chat.send", NULL));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
}

static HoneChatEntry *
stored_message (Fixture *f,
                gint64   message_id)
{
  g_autoptr(GError) error = NULL;
  HoneChatEntry *entry = hone_chat_store_get_message (f->project, message_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);

  return entry;
}

static AdwMessageDialog *
find_dialog (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
count_changed (HoneChatSettings *settings,
               guint            *count)
{
  (*count)++;
}

/* The panel starts from the engine's defaults, writes only what differs, reads back
 * what it wrote, and tells about the person's changes only. */
static void
test_chat_settings (void)
{
  g_autoptr(HoneChatSettings) settings = NULL;
  HoneGenerateParams defaults, params;
  g_autofree char *json = NULL;
  g_autofree char *prompt = NULL;
  guint changed = 0;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  settings = g_object_ref_sink (hone_chat_settings_new ());
  g_signal_connect (settings, "changed", G_CALLBACK (count_changed), &changed);

  hone_generate_params_init (&defaults);
  hone_chat_settings_get_params (settings, &params);
  g_assert_cmpfloat_with_epsilon (params.temperature, defaults.temperature, 1e-6);
  g_assert_cmpfloat_with_epsilon (params.top_p, defaults.top_p, 1e-6);
  g_assert_cmpuint (params.top_k, ==, defaults.top_k);
  g_assert_cmpuint (params.max_tokens, ==, defaults.max_tokens);
  g_assert_cmpfloat_with_epsilon (params.repeat_penalty, defaults.repeat_penalty, 1e-6);
  g_assert_cmpfloat_with_epsilon (params.min_p, defaults.min_p, 1e-6);
  json = hone_chat_settings_dup_json (settings);
  g_assert_cmpstr (json, ==, "{}");
  g_clear_pointer (&json, g_free);

  /* The person changes two values: two "changed", and only those two are written. */
  set_spin (settings, "temperature_spin", 0);
  set_spin (settings, "seed_spin", 42);
  g_assert_cmpuint (changed, ==, 2);
  json = hone_chat_settings_dup_json (settings);
  g_assert_cmpstr (json, ==, "{\"temperature\":0.0,\"seed\":42}");
  hone_chat_settings_get_params (settings, &params);
  g_assert_cmpfloat (params.temperature, ==, 0);
  g_assert_cmpuint (params.seed, ==, 42);

  /* Loading is not a change; missing keys go back to the defaults. */
  hone_chat_settings_load_json (settings, "{\"top_k\": 7, \"max_tokens\": 64}");
  g_assert_cmpuint (changed, ==, 2);
  hone_chat_settings_get_params (settings, &params);
  g_assert_cmpuint (params.top_k, ==, 7);
  g_assert_cmpuint (params.max_tokens, ==, 64);
  g_assert_cmpfloat_with_epsilon (params.temperature, defaults.temperature, 1e-6);
  g_clear_pointer (&json, g_free);
  json = hone_chat_settings_dup_json (settings);
  g_assert_cmpstr (json, ==, "{\"top_k\":7,\"max_tokens\":64}");

  /* Text that is not an object gives the defaults. */
  hone_chat_settings_load_json (settings, "[1, 2");
  g_clear_pointer (&json, g_free);
  json = hone_chat_settings_dup_json (settings);
  g_assert_cmpstr (json, ==, "{}");

  /* A seed of 0 means a new seed for every answer. */
  hone_chat_settings_get_params (settings, &params);
  {
    HoneGenerateParams again;
    guint same = 0;

    for (guint i = 0; i < 4; i++)
      {
        hone_chat_settings_get_params (settings, &again);
        same += again.seed == params.seed;
      }
    g_assert_cmpuint (same, <, 4);
  }

  hone_chat_settings_set_system_prompt (settings, "  Be brief.\n");
  g_assert_cmpuint (changed, ==, 2);
  prompt = hone_chat_settings_dup_system_prompt (settings);
  g_assert_cmpstr (prompt, ==, "Be brief.");

  /* Reset, as its button does, is the person's change. */
  set_spin (settings, "top_p_spin", 0.5);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (settings), "chat.reset-settings", NULL));
  g_assert_cmpuint (changed, ==, 4);
  g_clear_pointer (&json, g_free);
  json = hone_chat_settings_dup_json (settings);
  g_assert_cmpstr (json, ==, "{}");
}

typedef struct
{
  int   last;
  guint n;
} Rated;

static void
count_rated (HoneMessageRow *row,
             int             rating,
             Rated          *rated)
{
  rated->last = rating;
  rated->n++;
}

/* Text is rendered as it streams in; the rating buttons behave as one toggle. */
static void
test_chat_message_row (void)
{
  g_autoptr(HoneMessageRow) row = NULL;
  GtkToggleButton *up, *down;
  GtkLabel *text;
  guint n_text = 0, n_rating = 0;
  Rated rated = { 0, 0 };

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  row = g_object_ref_sink (hone_message_row_new ("assistant", "Tiny"));
  g_signal_connect (row, "notify::text", G_CALLBACK (count_notify), &n_text);
  g_signal_connect (row, "notify::rating", G_CALLBACK (count_notify), &n_rating);
  g_signal_connect (row, "rated", G_CALLBACK (count_rated), &rated);
  text = hone_test_template_child (row, HONE_TYPE_MESSAGE_ROW, "text_label");
  up = hone_test_template_child (row, HONE_TYPE_MESSAGE_ROW, "up_button");
  down = hone_test_template_child (row, HONE_TYPE_MESSAGE_ROW, "down_button");

  hone_message_row_set_generating (row, TRUE);
  hone_message_row_append_text (row, "Use **bo");
  g_assert_cmpstr (gtk_label_get_label (text), ==, "Use **bo");
  hone_message_row_append_text (row, "");
  hone_message_row_append_text (row, "ld** & `x<y`");
  g_assert_cmpstr (gtk_label_get_label (text), ==, "Use <b>bold</b> &amp; <tt>x&lt;y</tt>");
  g_assert_cmpstr (hone_message_row_get_text (row), ==, "Use **bold** & `x<y`");
  g_assert_cmpuint (n_text, ==, 2);
  hone_message_row_set_text (row, "Use **bold** & `x<y`");
  g_assert_cmpuint (n_text, ==, 2);

  /* Feedback needs the stored message. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (up)));
  hone_message_row_set_generating (row, FALSE);
  hone_message_row_set_message_id (row, 9);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (up)));

  gtk_toggle_button_set_active (up, TRUE);
  g_assert_cmpint (hone_message_row_get_rating (row), ==, 1);
  g_assert_cmpint (rated.last, ==, 1);
  g_assert_cmpuint (rated.n, ==, 1);
  gtk_toggle_button_set_active (down, TRUE);
  g_assert_false (gtk_toggle_button_get_active (up));
  g_assert_cmpint (hone_message_row_get_rating (row), ==, -1);
  g_assert_cmpint (rated.last, ==, -1);
  g_assert_cmpuint (rated.n, ==, 2);
  gtk_toggle_button_set_active (down, FALSE);
  g_assert_cmpint (hone_message_row_get_rating (row), ==, 0);
  g_assert_cmpint (rated.last, ==, 0);
  g_assert_cmpuint (rated.n, ==, 3);
  g_assert_cmpuint (n_rating, ==, 3);

  /* Set from the store: the buttons follow, and no "rated". */
  hone_message_row_set_rating (row, 1);
  g_assert_true (gtk_toggle_button_get_active (up));
  g_assert_cmpuint (rated.n, ==, 3);
  g_assert_cmpuint (n_rating, ==, 4);
  hone_message_row_set_rating (row, 1);
  g_assert_cmpuint (n_rating, ==, 4);
}

static void
test_chat_empty (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 bot_id;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_open (&f);

  /* No bot yet: the page says how to get a model. */
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "stack"), ==, "empty");
  hone_test_save_screenshot (GTK_WIDGET (f.window), "chat-empty.png");
  g_assert_false (hone_chat_page_send (f.page, "hello"));

  bot_id = add_bot (&f, "Tiny", f.model_path, NULL);
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "stack"), ==, "chat");
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "transcript_stack"), ==, "hello");

  /* Kept in the project: a window opened later finds the bot. */
  {
    g_autoptr(GPtrArray) bots = hone_chat_store_list_bots (f.project, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bots->len, ==, 1);
    g_assert_cmpstr (((HoneChatBot *) bots->pdata[0])->model_path, ==, f.model_path);
  }

  /* Empty text is not sent. */
  g_assert_false (hone_chat_page_send (f.page, "  \n "));
  g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, 0);

  /* A model that is not there: the answer says why, in place, and the failed answer is
   * saved with its reason, so reopening the chat shows it. */
  {
    g_autofree char *missing = g_build_filename (f.tmp, "missing.gguf", NULL);
    g_autoptr(GPtrArray) entries = NULL;
    HoneMessageRow *row;

    g_assert_cmpint (add_bot (&f, "Nowhere", missing, NULL), >, bot_id);
    g_assert_true (hone_chat_page_send (f.page, "Anyone there?"));
    /* Shown at once, stored on the store thread. */
    g_assert_true (hone_chat_page_get_generating (f.page));
    g_assert_nonnull (hone_chat_page_get_last_answer (f.page, 0));
    g_assert_true (hone_test_wait_for (page_is_idle, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
    row = hone_chat_page_get_last_answer (f.page, 0);
    g_assert_false (hone_message_row_get_generating (row));
    g_assert_nonnull (hone_message_row_get_note (row));
    g_test_message ("the note: %s", hone_message_row_get_note (row));
    g_assert_cmpint (hone_message_row_get_message_id (row), ==, 0);
    entries = hone_chat_store_list_messages (f.project,
                                             hone_chat_page_get_conversation_id (f.page),
                                             &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 2);
    g_assert_cmpstr (((HoneChatEntry *) entries->pdata[0])->role, ==, "user");
    g_assert_cmpstr (((HoneChatEntry *) entries->pdata[1])->role, ==, "assistant");
    g_assert_cmpint (((HoneChatEntry *) entries->pdata[1])->status, ==, HONE_CHAT_STATUS_ERROR);
    g_assert_nonnull (strstr (((HoneChatEntry *) entries->pdata[1])->stats, "missing.gguf"));

    /* Opened again from the sidebar, the failed answer still says why. */
    {
      gint64 failed = hone_chat_page_get_conversation_id (f.page);
      GtkListBox *list = hone_test_template_child (f.page, HONE_TYPE_CHAT_PAGE,
                                                   "conversation_list");

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page),
                                                 "chat.new-conversation", NULL));
      g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, 0);
      for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
        {
          gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, i));
          wait_store (&f);
          if (hone_chat_page_get_conversation_id (f.page) == failed)
            break;
        }
      g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, failed);
      row = hone_chat_page_get_last_answer (f.page, 0);
      g_assert_nonnull (row);
      g_assert_nonnull (strstr (hone_message_row_get_note (row), "missing.gguf"));
    }

    /* The warm-up of the missing model said so too, in words. */
    g_assert_nonnull (hone_chat_page_get_warmup_status (f.page));
    g_test_message ("the warm-up: %s", hone_chat_page_get_warmup_status (f.page));
    g_assert_nonnull (strstr (hone_chat_page_get_warmup_status (f.page), "missing.gguf"));
  }

  fixture_close (&f);
}

static void
test_chat_stream_and_feedback (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatEntry) answer = NULL;
  g_autoptr(HoneChatThread) thread = NULL;
  g_autoptr(GPtrArray) feedback = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *streamed = NULL;
  HoneChatCorrectionDialog *dialog;
  HoneMessageRow *row;
  GtkToggleButton *up, *down;
  gint64 conversation_id, message_id;
  HoneFeedback *fb;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_open (&f);
  /* A long answer with a fixed seed (the same every run), so that it is still coming
   * when Stop is pressed. */
  hone_chat_settings_set_system_prompt (f.settings, "You are a hiking guide.");
  set_spin (f.settings, "max_tokens_spin", 1800);
  set_spin (f.settings, "seed_spin", 5);

  /* Choosing the bot on the shown page readies it on the worker, in words; the input
   * stays open: a message sent meanwhile waits behind the warm-up. */
  hone_chat_page_add_bot (f.page, "Tiny", f.model_path, NULL);
  g_assert_true (hone_test_wait_for (warmup_shown, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_test_message ("the warm-up: %s", hone_chat_page_get_warmup_status (f.page));
  hone_test_save_screenshot (GTK_WIDGET (f.window), "chat-warmup.png");
  g_assert_true (gtk_widget_is_sensitive (hone_test_template_child (f.page,
                                                                    HONE_TYPE_CHAT_PAGE,
                                                                    "entry_view")));

  send_message (&f, "Which trail is best in **autumn**?");
  g_assert_true (hone_chat_page_get_generating (f.page));
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "send_stack"), ==, "stop");
  /* The question shows before it is stored. */
  row = hone_chat_page_get_last_answer (f.page, 0);
  g_assert_nonnull (row);
  g_assert_true (hone_message_row_get_generating (row));

  /* Text streams in before the answer is done. */
  g_assert_true (hone_test_wait_for (answer_has_text, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_null (hone_chat_page_get_warmup_status (f.page));
  conversation_id = hone_chat_page_get_conversation_id (f.page);
  g_assert_cmpint (conversation_id, >, 0);
  row = hone_chat_page_get_last_answer (f.page, 0);
  g_assert_true (hone_message_row_get_generating (row));
  g_assert_true (hone_chat_page_get_generating (f.page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "chat.stop", NULL));
  g_assert_true (hone_test_wait_for (page_is_idle, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_false (hone_message_row_get_generating (row));
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "send_stack"), ==, "send");

  /* The worker saved the stopped answer, as the page shows it. */
  message_id = hone_message_row_get_message_id (row);
  g_assert_cmpint (message_id, >, 0);
  answer = stored_message (&f, message_id);
  g_assert_cmpstr (answer->role, ==, "assistant");
  g_assert_cmpint (answer->conversation_id, ==, conversation_id);
  g_assert_cmpint (answer->status, ==, HONE_CHAT_STATUS_STOPPED);
  g_assert_cmpstr (answer->content, ==, hone_message_row_get_text (row));
  g_assert_cmpuint (strlen (answer->content), <, 1800 * 4);
  streamed = g_strdup (answer->content);
  {
    g_autoptr(HoneChatEntry) question = stored_message (&f, answer->reply_to);

    g_assert_cmpstr (question->role, ==, "user");
    g_assert_cmpstr (question->content, ==, "Which trail is best in **autumn**?");
  }

  /* The chat keeps its system prompt and settings, and is listed with its title. */
  thread = hone_chat_store_get_conversation (f.project, conversation_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thread->system_prompt, ==, "You are a hiking guide.");
  g_assert_nonnull (strstr (thread->settings, "\"max_tokens\":1800"));
  g_assert_cmpstr (thread->title, ==, "Which trail is best in autumn?");

  /* Thumbs up, then down, then down again (none), then up. */
  up = hone_test_template_child (row, HONE_TYPE_MESSAGE_ROW, "up_button");
  down = hone_test_template_child (row, HONE_TYPE_MESSAGE_ROW, "down_button");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (up)));
  gtk_toggle_button_set_active (up, TRUE);
  wait_store (&f);
  g_clear_pointer (&answer, hone_chat_entry_free);
  answer = stored_message (&f, message_id);
  g_assert_cmpint (answer->rating, ==, 1);

  gtk_toggle_button_set_active (down, TRUE);
  g_assert_false (gtk_toggle_button_get_active (up));
  g_assert_cmpint (hone_message_row_get_rating (row), ==, -1);
  wait_store (&f);
  g_clear_pointer (&answer, hone_chat_entry_free);
  answer = stored_message (&f, message_id);
  g_assert_cmpint (answer->rating, ==, -1);

  gtk_toggle_button_set_active (down, FALSE);
  wait_store (&f);
  g_clear_pointer (&answer, hone_chat_entry_free);
  answer = stored_message (&f, message_id);
  g_assert_cmpint (answer->rating, ==, 0);

  gtk_toggle_button_set_active (up, TRUE);
  wait_store (&f);
  g_clear_pointer (&answer, hone_chat_entry_free);
  answer = stored_message (&f, message_id);
  g_assert_cmpint (answer->rating, ==, 1);

  /* "Correct this answer…", as its button does; the dialog starts from the answer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "chat.correct", NULL));
  dialog = HONE_CHAT_CORRECTION_DIALOG (find_dialog (HONE_TYPE_CHAT_CORRECTION_DIALOG));
  g_assert_nonnull (dialog);
  {
    g_autofree char *start = hone_chat_correction_dialog_dup_text (dialog);
    g_autofree char *expected = g_strstrip (g_strdup (streamed));

    g_assert_cmpstr (start, ==, expected);
  }
  hone_test_wait_for_frames (GTK_WIDGET (dialog));
  hone_chat_correction_dialog_set_text (dialog, "The Ridge Loop: the larches turn gold.");
  hone_test_save_screenshot (GTK_WIDGET (dialog), "chat-correction.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");
  wait_store (&f);

  /* Stored with its rating, and added to the data as a conversation. */
  g_clear_pointer (&answer, hone_chat_entry_free);
  answer = stored_message (&f, message_id);
  g_assert_cmpstr (answer->correction, ==, "The Ridge Loop: the larches turn gold.");
  g_assert_cmpint (answer->rating, ==, 1);

  feedback = hone_chat_store_list_feedback (f.project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (feedback->len, ==, 1);
  fb = g_ptr_array_index (feedback, 0);
  g_assert_cmpint (fb->message_id, ==, message_id);
  g_assert_cmpint (fb->rating, ==, 1);
  g_assert_cmpstr (fb->correction, ==, "The Ridge Loop: the larches turn gold.");
  g_assert_cmpstr (fb->answer, ==, streamed);
  g_assert_cmpstr (fb->bot_name, ==, "Tiny");
  g_assert_cmpint (fb->conversation_id, >, 0);
  g_assert_nonnull (strstr (fb->context, "Which trail is best"));

  sources = hone_project_list_sources (f.project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);

  /* The screenshot shows the transcript with the settings beside it. */
  adw_flap_set_reveal_flap (hone_test_template_child (f.page, HONE_TYPE_CHAT_PAGE,
                                                      "settings_flap"), TRUE);
  hone_test_save_screenshot (GTK_WIDGET (f.window), "chat.png");

  fixture_close (&f);
}

/* How many answers of @lane the chat holds; @last_id: the id of the last one. */
static guint
count_answers (Fixture *f,
               gint64   conversation_id,
               guint    lane,
               gint64  *last_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = hone_chat_store_list_messages (f->project, conversation_id,
                                                                &error);
  guint n = 0;

  g_assert_no_error (error);
  *last_id = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      HoneChatEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->role, "assistant") == 0 && entry->lane == lane)
        {
          n++;
          *last_id = entry->id;
        }
    }

  return n;
}

static gboolean
both_lanes_done (gpointer data)
{
  HoneChatPage *page = data;

  return !hone_chat_page_get_generating (page)
         && hone_chat_page_get_last_answer (page, 0) != NULL
         && hone_chat_page_get_last_answer (page, 1) != NULL;
}

static void
test_chat_compare (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  HoneMessageRow *left, *right;
  AdwMessageDialog *dialog;
  g_autofree char *adapter_path = NULL;
  gint64 base_id, second_id, conversation_id, old_left, new_right, stored;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_open (&f);

  /* Base against tuned: the same model, and the same model with an adapter. */
  adapter_path = g_build_filename (f.tmp, "tuned-adapter.gguf", NULL);
  {
    g_autoptr(HoneModel) model = hone_model_open (f.model_path, &error);
    HoneTestAdapterOptions options;

    g_assert_no_error (error);
    hone_test_adapter_options_init (&options);
    options.seed = 3;
    g_assert_true (hone_test_adapter_write (model, &options, adapter_path, &error));
    g_assert_no_error (error);
  }

  base_id = add_bot (&f, "Base", f.model_path, NULL);
  second_id = add_bot (&f, "Tuned", f.model_path, adapter_path);
  hone_chat_page_select_bot (f.page, 0, base_id);
  set_spin (f.settings, "max_tokens_spin", 24);

  /* Compare through its action, as the toggle button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "chat.compare", NULL));
  g_assert_true (hone_chat_page_get_compare (f.page));
  hone_chat_page_select_bot (f.page, 1, second_id);
  /* The toolbar names both bots' files. */
  {
    GtkLabel *status = hone_test_template_child (f.page, HONE_TYPE_CHAT_PAGE, "status_label");

    g_test_message ("toolbar: %s", gtk_label_get_text (status));
    g_assert_nonnull (strstr (gtk_label_get_text (status), "tiny-llama.gguf"));
    g_assert_nonnull (strstr (gtk_label_get_text (status), "tuned-adapter.gguf"));
  }

  send_message (&f, "Say something.\n\n- one\n- two");
  g_assert_true (hone_test_wait_for (both_lanes_done, f.page, HONE_TEST_WAIT_TIMEOUT_MS));

  left = hone_chat_page_get_last_answer (f.page, 0);
  right = hone_chat_page_get_last_answer (f.page, 1);
  g_assert_true (left != right);
  g_assert_cmpint (hone_message_row_get_message_id (left), >, 0);
  g_assert_cmpint (hone_message_row_get_message_id (right), >, 0);
  {
    g_autoptr(HoneChatEntry) a = stored_message (&f, hone_message_row_get_message_id (left));
    g_autoptr(HoneChatEntry) b = stored_message (&f, hone_message_row_get_message_id (right));

    g_assert_cmpuint (a->lane, ==, 0);
    g_assert_cmpuint (b->lane, ==, 1);
    g_assert_cmpint (a->bot_id, ==, base_id);
    g_assert_cmpint (b->bot_id, ==, second_id);
    g_assert_cmpint (a->reply_to, ==, b->reply_to);
    g_assert_cmpint (a->status, ==, HONE_CHAT_STATUS_COMPLETE);
    g_assert_cmpstr (a->content, ==, hone_message_row_get_text (left));
    g_assert_cmpstr (b->content, ==, hone_message_row_get_text (right));
    g_test_message ("base answer: %s", a->stats);
    g_test_message ("tuned answer: %s", b->stats);
  }
  conversation_id = hone_chat_page_get_conversation_id (f.page);
  {
    g_autoptr(HoneChatThread) thread = hone_chat_store_get_conversation (f.project,
                                                                         conversation_id,
                                                                         &error);

    g_assert_no_error (error);
    g_assert_cmpint (thread->bot_id, ==, base_id);
    g_assert_cmpint (thread->compare_bot_id, ==, second_id);
  }
  hone_test_save_screenshot (GTK_WIDGET (f.window), "chat-compare.png");

  /* Regenerate the right answer: a new one replaces it, in the store too, from the bot
   * that gave it even when another one is chosen now. */
  old_left = hone_message_row_get_message_id (left);
  hone_chat_page_select_bot (f.page, 1, base_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (right), "chat.regenerate", NULL));
  g_assert_true (hone_chat_page_get_generating (f.page));
  g_assert_cmpint (hone_message_row_get_message_id (right), ==, 0);
  g_assert_true (hone_test_wait_for (page_is_idle, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_true (hone_chat_page_get_last_answer (f.page, 1) == right);
  new_right = hone_message_row_get_message_id (right);
  g_assert_cmpint (new_right, >, 0);
  g_assert_cmpint (hone_message_row_get_message_id (left), ==, old_left);
  /* SQLite may give the new answer the old one's id: count instead. */
  g_assert_cmpuint (count_answers (&f, conversation_id, 1, &stored), ==, 1);
  g_assert_cmpint (stored, ==, new_right);
  g_assert_cmpuint (count_answers (&f, conversation_id, 0, &stored), ==, 1);
  g_assert_cmpint (stored, ==, old_left);
  {
    g_autoptr(HoneChatEntry) b = stored_message (&f, new_right);

    g_assert_cmpstr (b->content, ==, hone_message_row_get_text (right));
    g_assert_cmpint (b->bot_id, ==, second_id);
  }
  hone_chat_page_select_bot (f.page, 1, second_id);

  /* A new chat empties the transcript; the sidebar brings the old one back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "chat.new-conversation",
                                             NULL));
  g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, 0);
  g_assert_null (hone_chat_page_get_last_answer (f.page, 0));
  g_assert_cmpstr (visible_child (f.page, HONE_TYPE_CHAT_PAGE, "transcript_stack"), ==, "hello");

  {
    GtkListBox *list = hone_test_template_child (f.page, HONE_TYPE_CHAT_PAGE,
                                                 "conversation_list");
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (list, 0);

    g_assert_nonnull (first);
    g_assert_null (gtk_list_box_get_row_at_index (list, 1));
    gtk_list_box_select_row (list, first);
  }
  wait_store (&f);
  g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, conversation_id);
  g_assert_true (hone_chat_page_get_compare (f.page));
  left = hone_chat_page_get_last_answer (f.page, 0);
  right = hone_chat_page_get_last_answer (f.page, 1);
  g_assert_nonnull (left);
  g_assert_nonnull (right);
  g_assert_cmpint (hone_message_row_get_message_id (left), ==, old_left);
  g_assert_cmpint (hone_message_row_get_message_id (right), ==, new_right);

  /* Rename, then delete, through their dialogs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "chat.rename-conversation",
                                             NULL));
  dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                         "Two bots");
  adw_message_dialog_response (dialog, "rename");
  wait_store (&f);
  {
    g_autoptr(HoneChatThread) thread = hone_chat_store_get_conversation (f.project,
                                                                         conversation_id,
                                                                         &error);

    g_assert_no_error (error);
    g_assert_cmpstr (thread->title, ==, "Two bots");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "chat.delete-conversation",
                                             NULL));
  dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  wait_store (&f);
  threads = hone_chat_store_list_conversations (f.project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (threads->len, ==, 0);
  g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, 0);

  fixture_close (&f);
}

/* Presses @keyval with @state on the message entry, through the page's key handler. */
static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  state)
{
  GtkWidget *entry = hone_test_template_child (f->page, HONE_TYPE_CHAT_PAGE, "entry_view");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (entry);
  gboolean handled = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller)
          && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          found = TRUE;
        }
    }
  g_assert_true (found);

  return handled;
}

static gboolean
window_is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Enter sends, Shift+Enter does not; Escape stops; closing the window while an answer
 * streams ends it cleanly (the worker goes with the window). */
static void
test_chat_keys_and_close (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  GtkTextView *entry;
  GtkTextBuffer *buffer;
  gpointer weak;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_open (&f);
  add_bot (&f, "Tiny", f.model_path, NULL);
  /* A fixed seed: the same long answer every run, so it is still coming at Escape. */
  set_spin (f.settings, "max_tokens_spin", 1800);
  set_spin (f.settings, "seed_spin", 5);

  entry = hone_test_template_child (f.page, HONE_TYPE_CHAT_PAGE, "entry_view");
  buffer = gtk_text_view_get_buffer (entry);
  gtk_text_buffer_set_text (buffer, "first line", -1);

  g_assert_false (press_key (&f, GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_false (hone_chat_page_get_generating (f.page));
  g_assert_cmpint (hone_chat_page_get_conversation_id (f.page), ==, 0);

  g_assert_true (press_key (&f, GDK_KEY_Return, 0));
  g_assert_true (hone_chat_page_get_generating (f.page));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  g_assert_true (hone_test_wait_for (answer_has_text, f.page, HONE_TEST_WAIT_TIMEOUT_MS));

  g_assert_true (press_key (&f, GDK_KEY_Escape, 0));
  g_assert_true (hone_test_wait_for (page_is_idle, f.page, HONE_TEST_WAIT_TIMEOUT_MS));
  g_assert_false (press_key (&f, GDK_KEY_Escape, 0));

  /* Ctrl+Enter sends too; then the window closes in the middle of the answer. */
  gtk_text_buffer_set_text (buffer, "second", -1);
  g_assert_true (press_key (&f, GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (hone_chat_page_get_generating (f.page));

  g_clear_pointer (&f.project, hone_project_free);
  weak = f.window;
  g_object_add_weak_pointer (G_OBJECT (f.window), &weak);
  gtk_window_close (GTK_WINDOW (f.window));
  g_assert_true (hone_test_wait_for (window_is_gone, &weak, HONE_TEST_WAIT_TIMEOUT_MS));

  hone_test_remove_tree (f.tmp);
  g_free (f.model_path);
  g_free (f.tmp);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = hone_test_app_new (&argc, &argv);

  g_test_add_func ("/hone/app/chat/settings", test_chat_settings);
  g_test_add_func ("/hone/app/chat/message-row", test_chat_message_row);
  g_test_add_func ("/hone/app/chat/empty", test_chat_empty);
  g_test_add_func ("/hone/app/chat/stream-and-feedback", test_chat_stream_and_feedback);
  g_test_add_func ("/hone/app/chat/compare", test_chat_compare);
  g_test_add_func ("/hone/app/chat/keys-and-close", test_chat_keys_and_close);

  status = g_test_run ();

  g_clear_pointer (&app, hone_test_app_free);

  return status;
}
