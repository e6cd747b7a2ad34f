/* test-chat-store.c — bots, chat conversations and messages, ratings and corrections, and
 * a correction reaching the training set with the assistant's role.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-chat-store"

#include "config.h"

#include <string.h>

#include "data/hone-dataset.h"
#include "store/hone-chat-store.h"
#include "store/hone-project.h"

#include "hone-test-util.h"

typedef struct
{
  char        *dir;
  HoneProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-chat-store-XXXXXX");

  f->dir = g_build_filename (tmp, "project", NULL);
  f->project = hone_project_create (f->dir, &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->dir, g_free);
  f->dir = g_steal_pointer (&tmp);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hone_project_free (f->project);
  hone_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
append (Fixture        *f,
        gint64          conversation,
        const char     *role,
        const char     *content,
        gint64          bot,
        gint64          reply_to,
        guint           lane,
        HoneChatStatus  status)
{
  g_autoptr(GError) error = NULL;
  gint64 id = hone_chat_store_append_message (f->project, conversation, role, content, bot,
                                              reply_to, lane, NULL, status, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_bots (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bots = NULL;
  g_autoptr(HoneChatBot) bot = NULL;
  gint64 base, tuned;

  base = hone_chat_store_add_bot (f->project, "Base", "/models/a.gguf", NULL, 0, &error);
  g_assert_no_error (error);
  tuned = hone_chat_store_add_bot (f->project, "Tuned", "/models/a.gguf", "/runs/1/a.gguf", 0,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (tuned, >, base);

  g_assert_true (hone_chat_store_rename_bot (f->project, tuned, "Support bot", &error));
  g_assert_no_error (error);
  bots = hone_chat_store_list_bots (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bots->len, ==, 2);
  bot = g_ptr_array_steal_index (bots, 1);
  g_assert_cmpint (bot->id, ==, tuned);
  g_assert_cmpstr (bot->name, ==, "Support bot");
  g_assert_cmpstr (bot->model_path, ==, "/models/a.gguf");
  g_assert_cmpstr (bot->adapter_path, ==, "/runs/1/a.gguf");
  g_assert_cmpint (bot->run_id, ==, 0);
  g_assert_true (g_str_has_suffix (bot->created_at, "Z"));
  g_clear_pointer (&bot, hone_chat_bot_free);
  bot = hone_chat_store_get_bot (f->project, base, &error);
  g_assert_no_error (error);
  g_assert_null (bot->adapter_path);

  g_assert_true (hone_chat_store_delete_bot (f->project, base, &error));
  g_assert_no_error (error);
  g_assert_false (hone_chat_store_delete_bot (f->project, base, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no bot"));
  g_clear_error (&error);
  g_assert_false (hone_chat_store_rename_bot (f->project, 999, "x", &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (hone_chat_store_get_bot (f->project, base, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
}

static void
test_conversations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(HoneChatThread) thread = NULL;
  sqlite3 *db = hone_project_get_db (f->project);
  gint64 bot, other, first, second;

  bot = hone_chat_store_add_bot (f->project, "Base", "/m.gguf", NULL, 0, &error);
  other = hone_chat_store_add_bot (f->project, "Tuned", "/m.gguf", "/a.gguf", 0, &error);
  first = hone_chat_store_create_conversation (f->project, bot, 0, "First", "Be kind.",
                                               "{\"temperature\": 0.2}", &error);
  g_assert_no_error (error);
  second = hone_chat_store_create_conversation (f->project, bot, other, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Settings must be a JSON object. */
  g_assert_cmpint (hone_chat_store_create_conversation (f->project, bot, 0, "x", "", "[1]",
                                                        &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);

  /* The most recently updated first: a message in the first brings it to the top. */
  hone_test_exec_sql (db, "UPDATE chat_conversations SET updated_at = '2020-01-01T00:00:00Z'");
  append (f, first, "user", "hello", 0, 0, 0, HONE_CHAT_STATUS_COMPLETE);
  list = hone_chat_store_list_conversations (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((HoneChatThread *) g_ptr_array_index (list, 0))->id, ==, first);
  g_assert_cmpuint (((HoneChatThread *) g_ptr_array_index (list, 0))->n_messages, ==, 1);
  g_assert_cmpint (((HoneChatThread *) g_ptr_array_index (list, 1))->compare_bot_id, ==, other);
  g_assert_cmpstr (((HoneChatThread *) g_ptr_array_index (list, 1))->title, ==, "");
  g_assert_cmpstr (((HoneChatThread *) g_ptr_array_index (list, 1))->settings, ==, "{}");

  g_assert_true (hone_chat_store_rename_conversation (f->project, second, "Compare", &error));
  g_assert_true (hone_chat_store_update_conversation (f->project, first, other, 0, NULL,
                                                      "{\"temperature\": 0.9}", &error));
  g_assert_no_error (error);
  thread = hone_chat_store_get_conversation (f->project, first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (thread->bot_id, ==, other);
  g_assert_cmpstr (thread->system_prompt, ==, "Be kind.");
  g_assert_cmpstr (thread->settings, ==, "{\"temperature\": 0.9}");
  g_assert_cmpstr (thread->title, ==, "First");
  g_clear_pointer (&thread, hone_chat_thread_free);

  /* Deleting a bot leaves the conversation without one. */
  g_assert_true (hone_chat_store_delete_bot (f->project, other, &error));
  thread = hone_chat_store_get_conversation (f->project, first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (thread->bot_id, ==, 0);

  /* Deleting a conversation takes its messages. */
  g_assert_true (hone_chat_store_delete_conversation (f->project, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hone_test_query_int (db, "SELECT count (*) FROM chat_messages"), ==, 0);
  g_assert_null (hone_chat_store_get_conversation (f->project, first, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
}

static void
test_messages (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) lane0 = NULL;
  g_autoptr(JsonNode) lane1 = NULL;
  g_autoptr(JsonNode) upto = NULL;
  g_autofree char *lane0_json = NULL;
  g_autofree char *lane1_json = NULL;
  g_autofree char *upto_json = NULL;
  gint64 a, b, conversation, u1, a0, a1, u2, broken;
  HoneChatEntry *e;

  a = hone_chat_store_add_bot (f->project, "A", "/m.gguf", NULL, 0, &error);
  b = hone_chat_store_add_bot (f->project, "B", "/m.gguf", "/x.gguf", 0, &error);
  conversation = hone_chat_store_create_conversation (f->project, a, b, "Side by side",
                                                      "Be brief.", NULL, &error);
  g_assert_no_error (error);

  u1 = append (f, conversation, "user", "Hi", 0, 0, 0, HONE_CHAT_STATUS_COMPLETE);
  a0 = append (f, conversation, "assistant", "Hello from A", a, u1, 0, HONE_CHAT_STATUS_COMPLETE);
  a1 = append (f, conversation, "assistant", "Hello fr", b, u1, 1, HONE_CHAT_STATUS_STOPPED);
  u2 = append (f, conversation, "user", "Ship to Spain?", 0, 0, 0, HONE_CHAT_STATUS_COMPLETE);
  broken = append (f, conversation, "assistant", "Ye", a, u2, 0, HONE_CHAT_STATUS_ERROR);

  /* Wrong role, stats that are not an object, a conversation that does not exist. */
  g_assert_cmpint (hone_chat_store_append_message (f->project, conversation, "bot", "x", 0, 0,
                                                   0, NULL, HONE_CHAT_STATUS_COMPLETE, &error),
                   ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "bot"));
  g_clear_error (&error);
  g_assert_cmpint (hone_chat_store_append_message (f->project, conversation, "user", "x", 0, 0,
                                                   0, "nope", HONE_CHAT_STATUS_COMPLETE, &error),
                   ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (hone_chat_store_append_message (f->project, 999, "user", "x", 0, 0, 0, NULL,
                                                   HONE_CHAT_STATUS_COMPLETE, &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);

  /* The stopped answer went on later. */
  g_assert_true (hone_chat_store_update_message (f->project, a1, "Hello from B",
                                                 "{\"n_tokens\": 4}", HONE_CHAT_STATUS_COMPLETE,
                                                 &error));
  g_assert_no_error (error);

  entries = hone_chat_store_list_messages (f->project, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  e = g_ptr_array_index (entries, 2);
  g_assert_cmpint (e->id, ==, a1);
  g_assert_cmpstr (e->role, ==, "assistant");
  g_assert_cmpstr (e->content, ==, "Hello from B");
  g_assert_cmpint (e->bot_id, ==, b);
  g_assert_cmpint (e->reply_to, ==, u1);
  g_assert_cmpuint (e->lane, ==, 1);
  g_assert_cmpstr (e->stats, ==, "{\"n_tokens\": 4}");
  g_assert_cmpint (e->status, ==, HONE_CHAT_STATUS_COMPLETE);
  g_assert_cmpint (e->feedback_id, ==, 0);
  g_assert_cmpint (e->rating, ==, 0);
  e = g_ptr_array_index (entries, 4);
  g_assert_cmpint (e->status, ==, HONE_CHAT_STATUS_ERROR);

  /* What each lane's model sees: its own answers, never the failed one. */
  lane0 = hone_chat_store_build_messages (f->project, conversation, 0, 0, &error);
  g_assert_no_error (error);
  lane0_json = json_to_string (lane0, FALSE);
  g_assert_cmpstr (lane0_json, ==,
                   "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                   "{\"role\":\"user\",\"content\":\"Hi\"},"
                   "{\"role\":\"assistant\",\"content\":\"Hello from A\"},"
                   "{\"role\":\"user\",\"content\":\"Ship to Spain?\"}]");
  lane1 = hone_chat_store_build_messages (f->project, conversation, 1, 0, &error);
  lane1_json = json_to_string (lane1, FALSE);
  g_assert_cmpstr (lane1_json, ==,
                   "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                   "{\"role\":\"user\",\"content\":\"Hi\"},"
                   "{\"role\":\"assistant\",\"content\":\"Hello from B\"},"
                   "{\"role\":\"user\",\"content\":\"Ship to Spain?\"}]");
  upto = hone_chat_store_build_messages (f->project, conversation, 0, u1, &error);
  upto_json = json_to_string (upto, FALSE);
  g_assert_cmpstr (upto_json, ==,
                   "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                   "{\"role\":\"user\",\"content\":\"Hi\"}]");

  /* Deleting a user message takes the answers to it. */
  g_assert_true (hone_chat_store_delete_message (f->project, u1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = hone_chat_store_list_messages (f->project, conversation, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_null (hone_chat_store_get_message (f->project, a0, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);
  e = hone_chat_store_get_message (f->project, broken, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e->content, ==, "Ye");
  hone_chat_entry_free (e);
}

static void
test_ratings (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(HoneChatEntry) entry = NULL;
  g_autoptr(HoneFeedback) feedback = NULL;
  sqlite3 *db = hone_project_get_db (f->project);
  gint64 bot, conversation, user, answer, id, again;

  hone_test_exec_sql (db, "INSERT INTO models (id, name, path, added_at) "
                          "VALUES (5, 'M', '/m.gguf', '2025-01-01T00:00:00Z')");
  bot = hone_chat_store_add_bot (f->project, "Base", "/m.gguf", NULL, 0, &error);
  conversation = hone_chat_store_create_conversation (f->project, bot, 0, "t", "Be brief.",
                                                      NULL, &error);
  user = append (f, conversation, "user", "Ship to Spain?", 0, 0, 0, HONE_CHAT_STATUS_COMPLETE);
  answer = append (f, conversation, "assistant", "No.", bot, user, 0, HONE_CHAT_STATUS_COMPLETE);

  /* Only answers can be rated. */
  g_assert_cmpint (hone_chat_store_set_rating (f->project, user, 1, &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (hone_chat_store_set_rating (f->project, 999, 1, &error), ==, 0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);

  /* Thumbs up, then down: one row. */
  id = hone_chat_store_set_rating (f->project, answer, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  again = hone_chat_store_set_rating (f->project, answer, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, id);
  entry = hone_chat_store_get_message (f->project, answer, &error);
  g_assert_cmpint (entry->feedback_id, ==, id);
  g_assert_cmpint (entry->rating, ==, -1);
  g_assert_null (entry->correction);
  g_clear_pointer (&entry, hone_chat_entry_free);

  feedback = hone_chat_store_get_feedback (f->project, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (feedback->message_id, ==, answer);
  g_assert_cmpint (feedback->bot_id, ==, bot);
  g_assert_cmpstr (feedback->bot_name, ==, "Base");
  g_assert_cmpstr (feedback->answer, ==, "No.");
  g_assert_cmpstr (feedback->context, ==,
                   "[{\"role\":\"system\",\"text\":\"Be brief.\"},"
                   "{\"role\":\"user\",\"text\":\"Ship to Spain?\"}]");
  g_assert_cmpint (feedback->rating, ==, -1);
  g_assert_cmpint (hone_test_query_int (db, "SELECT model_id FROM feedback"), ==, 5);
  g_clear_pointer (&feedback, hone_feedback_free);

  /* Toggled off: the row goes. Again: nothing to do, no error. */
  g_assert_cmpint (hone_chat_store_set_rating (f->project, answer, 0, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (hone_test_query_int (db, "SELECT count (*) FROM feedback"), ==, 0);
  g_assert_cmpint (hone_chat_store_set_rating (f->project, answer, 0, &error), ==, 0);
  g_assert_no_error (error);

  /* A correction and a rating share the row; taking one away keeps the other. */
  id = hone_chat_store_save_correction (f->project, answer, "Yes, in 3 to 5 days.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (hone_chat_store_set_rating (f->project, answer, -1, &error), ==, id);
  g_assert_cmpint (hone_chat_store_set_rating (f->project, answer, 0, &error), ==, id);
  g_assert_no_error (error);
  entry = hone_chat_store_get_message (f->project, answer, &error);
  g_assert_cmpint (entry->rating, ==, 0);
  g_assert_cmpstr (entry->correction, ==, "Yes, in 3 to 5 days.");
  g_clear_pointer (&entry, hone_chat_entry_free);
  g_assert_cmpint (hone_chat_store_set_rating (f->project, answer, 1, &error), ==, id);
  g_assert_cmpint (hone_chat_store_save_correction (f->project, answer, "", &error), ==, id);
  g_assert_no_error (error);
  entry = hone_chat_store_get_message (f->project, answer, &error);
  g_assert_cmpint (entry->rating, ==, 1);
  g_assert_null (entry->correction);
  g_clear_pointer (&entry, hone_chat_entry_free);

  list = hone_chat_store_list_feedback (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((HoneFeedback *) g_ptr_array_index (list, 0))->rating, ==, 1);

  /* The answer's conversation goes; the feedback keeps the text. */
  g_assert_true (hone_chat_store_delete_conversation (f->project, conversation, &error));
  feedback = hone_chat_store_get_feedback (f->project, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (feedback->message_id, ==, 0);
  g_assert_cmpstr (feedback->answer, ==, "No.");
}

static const HoneDatasetConversation *
find_conversation (const HoneDatasetView *view,
                   gint64                 conversation_id)
{
  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      if (c->conversation_id == conversation_id)
        return c;
    }
  return NULL;
}

/* A correction becomes a conversation of "Chat corrections" in which the corrected answer
 * is the assistant's turn, and is exported with the training set. */
static void
test_correction_to_data (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(HoneFeedback) feedback = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autofree char *out = NULL;
  g_autofree char *exported = NULL;
  sqlite3 *db = hone_project_get_db (f->project);
  const HoneDatasetConversation *c;
  const HoneDatasetMessage *m;
  HoneSourceInfo *source;
  gint64 bot, conversation, u1, a1, u2, a2, feedback_id, added, replaced, dataset;

  /* Another source already has a speaker "User" whom the person made the bot's voice:
   * that must not turn the corrections' user turns into the bot's. */
  hone_test_exec_sql (db,
    "INSERT INTO sources (id, file, format, checksum, imported_at) "
    "VALUES (1, 'old.txt', 'whatsapp', 'abc', '2025-01-01T00:00:00Z');"
    "INSERT INTO speakers (id, name, role) VALUES (1, 'User', 'assistant');"
    "INSERT INTO source_speakers (source_id, speaker_id) VALUES (1, 1);");

  bot = hone_chat_store_add_bot (f->project, "Shop helper", "/m.gguf", "/a.gguf", 0, &error);
  conversation = hone_chat_store_create_conversation (f->project, bot, 0, "t",
                                                      "You answer for the shop.", NULL, &error);
  u1 = append (f, conversation, "user", "Hi!", 0, 0, 0, HONE_CHAT_STATUS_COMPLETE);
  a1 = append (f, conversation, "assistant", "Hello, how can I help?", bot, u1, 0,
               HONE_CHAT_STATUS_COMPLETE);
  u2 = append (f, conversation, "user", "Do you ship to Spain?", 0, 0, 0,
               HONE_CHAT_STATUS_COMPLETE);
  a2 = append (f, conversation, "assistant", "No.", bot, u2, 0, HONE_CHAT_STATUS_COMPLETE);
  g_assert_cmpint (a1, <, a2);

  /* Only a feedback with a correction can be added. */
  feedback_id = hone_chat_store_set_rating (f->project, a2, -1, &error);
  g_assert_cmpint (hone_chat_store_add_correction_to_data (f->project, feedback_id, &error), ==,
                   0);
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (hone_chat_store_save_correction (f->project, a2,
                                                    "Yes, in 3 to 5 days.", &error),
                   ==, feedback_id);

  added = hone_chat_store_add_correction_to_data (f->project, feedback_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, >, 0);
  feedback = hone_chat_store_get_feedback (f->project, feedback_id, &error);
  g_assert_cmpint (feedback->conversation_id, ==, added);

  sources = hone_project_list_sources (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 2);
  source = g_ptr_array_index (sources, 1);
  g_assert_cmpstr (source->file, ==, "Chat corrections");
  g_assert_cmpuint (source->n_conversations, ==, 1);
  g_assert_cmpuint (source->n_messages, ==, 5);

  /* Adding it again replaces the conversation instead of doubling it. */
  replaced = hone_chat_store_add_correction_to_data (f->project, feedback_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (replaced, >, 0);
  g_clear_pointer (&feedback, hone_feedback_free);
  feedback = hone_chat_store_get_feedback (f->project, feedback_id, &error);
  g_assert_cmpint (feedback->conversation_id, ==, replaced);
  g_assert_cmpint (hone_test_query_int (db, "SELECT count (*) FROM conversations "
                                            "WHERE source_id = 2"), ==, 1);
  g_assert_cmpint (hone_test_query_int (db, "SELECT n_conversations FROM sources WHERE id = 2"),
                   ==, 1);

  /* As training sees it: the system prompt, then user and bot turns, the correction last
   * and the assistant's. */
  dataset = hone_dataset_ensure_default (f->project, &error);
  g_assert_no_error (error);
  view = hone_dataset_view_build (f->project, dataset, NULL, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  c = find_conversation (view, replaced);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->messages->len, >=, 4);
  m = g_ptr_array_index (c->messages, c->messages->len - 1);
  g_assert_cmpint (m->role, ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpstr (m->speaker, ==, "Shop helper");
  g_assert_cmpstr (m->text, ==, "Yes, in 3 to 5 days.");
  m = g_ptr_array_index (c->messages, c->messages->len - 2);
  g_assert_cmpint (m->role, ==, HONE_ROLE_USER);
  g_assert_cmpstr (m->speaker, ==, "User");
  g_assert_cmpstr (m->text, ==, "Do you ship to Spain?");
  m = g_ptr_array_index (c->messages, c->messages->len - 3);
  g_assert_cmpint (m->role, ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpstr (m->text, ==, "Hello, how can I help?");

  out = g_build_filename (f->dir, "export.jsonl", NULL);
  g_assert_cmpint (hone_dataset_export (view, NULL, HONE_EXPORT_OPENAI, HONE_EXPORT_ALL, out,
                                        NULL, &error), >=, 1);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &exported, NULL, &error));
  g_test_message ("%s", exported);
  g_assert_nonnull (strstr (exported, "{\"role\": \"user\", \"content\": "
                                      "\"Do you ship to Spain?\"}, {\"role\": \"assistant\", "
                                      "\"content\": \"Yes, in 3 to 5 days.\"}]}"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/hone/chat-store/bots", test_bots);
  ADD ("/hone/chat-store/conversations", test_conversations);
  ADD ("/hone/chat-store/messages", test_messages);
  ADD ("/hone/chat-store/ratings", test_ratings);
  ADD ("/hone/chat-store/correction-to-data", test_correction_to_data);
#undef ADD

  return g_test_run ();
}
