/* test-dataset.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset engine on small projects built in code: role guesses, each cleaning
 * step's counts, scrubbing as a view, a split that survives a re-import, tags and
 * their balance warning, undo, and export read back by the importers.
 */
#include "config.h"

#include <string.h>

#include "data/hone-dataset.h"
#include "data/hone-import.h"
#include "hone-test-util.h"

typedef struct
{
  char        *dir;
  HoneProject *project;
  gint64       dataset;
} Fixture;

static void
add (HoneChatConversation *c,
     const char           *author,
     const char           *time,
     const char           *text)
{
  hone_chat_conversation_add (c, author, time, text, FALSE);
}

/* A 1:1 chat: Anna asks, Ben (the owner, the bot's voice) answers. */
static HoneChatlog *
make_chat (void)
{
  HoneChatlog *log = hone_chatlog_new ("chat.txt");
  HoneChatConversation *c = hone_chat_conversation_new (NULL);

  add (c, "Anna", "2024-01-01T09:00:00", "Hi Ben, is the fern still for sale?");
  add (c, "Ben", "2024-01-01T09:01:00", "Yes it is.");
  add (c, "Ben", "2024-01-01T09:01:30", "Call me at 030 1234567 or write to ben@example.com");
  hone_chat_conversation_add (c, "Anna", "2024-01-01T09:02:00", "", TRUE);
  add (c, "Anna", "2024-01-01T09:03:00", "This message was deleted");
  add (c, "Anna", "2024-01-01T09:04:00", "Great, I will pick it up tomorrow");
  /* seven hours later: a new conversation */
  add (c, "Anna", "2024-01-01T16:04:00", "I am outside your door, refund please if it is broken");
  add (c, "Ben", "2024-01-01T16:05:00", "Coming down now");
  hone_chatlog_take_conversation (log, c);
  log->format = HONE_CHAT_FORMAT_WHATSAPP;
  log->checksum = g_strdup ("chat-checksum");
  return log;
}

/* A help desk: the agent Sam answers three customers; one ticket is a duplicate and
 * one has only the customer. */
static HoneChatlog *
make_desk (void)
{
  HoneChatlog *log = hone_chatlog_new ("desk.csv");
  const char *customers[] = { "Carla", "Dan", "Eve" };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("ticket %u", i + 1);
      HoneChatConversation *c = hone_chat_conversation_new (title);

      add (c, customers[i], "2024-02-01T10:00:00", "My order arrived broken, I want a refund");
      add (c, "Sam", "2024-02-01T10:05:00", "Sorry to hear that! A refund is on its way.");
      hone_chatlog_take_conversation (log, c);
    }
  {
    HoneChatConversation *c = hone_chat_conversation_new ("ticket 4");
    add (c, "Dan", "2024-02-02T10:00:00", "hello?? anyone there");
    hone_chatlog_take_conversation (log, c);
  }
  {
    HoneChatConversation *c = hone_chat_conversation_new ("ticket 5");
    add (c, "Eve", "2024-02-03T10:00:00", "MY ORDER ARRIVED BROKEN! I want a refund!!");
    add (c, "Sam", "2024-02-03T10:05:00", "Sorry to hear that; a refund is on its way");
    hone_chatlog_take_conversation (log, c);
  }
  log->format = HONE_CHAT_FORMAT_CSV;
  log->checksum = g_strdup ("desk-checksum");
  return log;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) chat = make_chat ();
  g_autoptr(HoneChatlog) desk = make_desk ();
  g_autofree char *path = NULL;

  f->dir = hone_test_make_temp_dir ("hone-dataset-XXXXXX");
  path = g_build_filename (f->dir, "project", NULL);
  f->project = hone_project_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_project_add_source (f->project, "chat.txt", chat, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (hone_project_add_source (f->project, "desk.csv", desk, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  f->dataset = hone_dataset_ensure_default (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->dataset, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->project, hone_project_free);
  hone_test_remove_tree (f->dir);
  g_free (f->dir);
}

static HoneRole
guess_of (GPtrArray  *speakers,
          const char *name)
{
  for (guint i = 0; i < speakers->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);
      if (info->source_id == 0 && strcmp (info->name, name) == 0)
        return info->guess;
    }
  g_assert_not_reached ();
  return HONE_ROLE_NONE;
}

static void
guess_roles (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  int n = hone_dataset_guess_roles (f->project, &error);

  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) speakers = hone_dataset_list_speakers (f->project, &error);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *undone = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (guess_of (speakers, "Ben"), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (guess_of (speakers, "Anna"), ==, HONE_ROLE_USER);
  g_assert_cmpint (guess_of (speakers, "Sam"), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (guess_of (speakers, "Carla"), ==, HONE_ROLE_USER);

  g_assert_cmpint (hone_dataset_guess_roles (f->project, &error), ==, 6);
  g_assert_true (hone_dataset_set_role (f->project, "Anna", 0, HONE_ROLE_ASSISTANT, &error));
  g_assert_no_error (error);
  g_assert_false (hone_dataset_set_role (f->project, "Nobody", 0, HONE_ROLE_USER, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  undone = hone_dataset_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (undone, ==, "Anna is the assistant");
  after = hone_dataset_list_speakers (f->project, &error);
  for (guint i = 0; i < after->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (after, i);
      if (strcmp (info->name, "Anna") == 0)
        g_assert_cmpint (info->role, ==, HONE_ROLE_USER);
    }
  /* the guess is undone next, then nothing is left */
  g_clear_pointer (&undone, g_free);
  undone = hone_dataset_undo (f->project, &error);
  g_assert_cmpstr (undone, ==, "Guessed the roles of 6 speakers");
  g_clear_pointer (&undone, g_free);
  undone = hone_dataset_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_null (undone);
}

static HoneDatasetView *
build (Fixture                *f,
       const HoneCleanOptions *options)
{
  g_autoptr(GError) error = NULL;
  HoneDatasetView *view = hone_dataset_view_build (f->project, f->dataset, options, 5, NULL, NULL,
                                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (view);
  return view;
}

static void
test_clean (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(HoneDatasetView) view = NULL;
  const HoneCleanStepReport *s;

  guess_roles (f);
  view = build (f, NULL);
  s = view->steps;
  /* 6 conversations, 8 + 2·3 + 1 + 2 messages */
  g_assert_cmpuint (s[HONE_CLEAN_STEP_LOAD].conversations_after, ==, 6);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_LOAD].messages_after, ==, 17);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_DROP_MEDIA].messages_after, ==, 16);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_DROP_DELETED].messages_after, ==, 15);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_SPLIT_GAP].conversations_after, ==, 7);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_MERGE].messages_after, ==, 14);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_BOTH_ROLES].conversations_after, ==, 6);
  /* tickets 2 and 3 repeat ticket 1: the customers differ, the roles and texts not */
  g_assert_cmpuint (s[HONE_CLEAN_STEP_DUPLICATES].conversations_after, ==, 4);
  /* ticket 5 differs from ticket 1 in case and punctuation only */
  g_assert_cmpuint (s[HONE_CLEAN_STEP_NEAR_DUPLICATES].conversations_after, ==, 3);
  g_assert_false (s[HONE_CLEAN_STEP_SCRUB].enabled);
  g_assert_cmpuint (s[HONE_CLEAN_STEP_MERGE].preview->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (s[HONE_CLEAN_STEP_DROP_DELETED].preview, 0),
                            "This message was deleted"));
}

static void
test_exact_duplicates (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HoneDatasetView) view = NULL;
  HoneCleanOptions options;

  guess_roles (f);
  hone_clean_options_init (&options);
  options.drop_near_duplicates = FALSE;
  view = build (f, &options);
  /* tickets 1–3: same roles and texts; ticket 5 differs in case only */
  g_assert_cmpuint (view->steps[HONE_CLEAN_STEP_DUPLICATES].conversations_after, ==, 4);
  g_assert_cmpuint (view->steps[HONE_CLEAN_STEP_DUPLICATES].conversations_before, ==, 6);
}

static void
test_scrub_view (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  HoneCleanOptions options;
  g_autofree char *stored = NULL;
  gboolean found = FALSE;

  guess_roles (f);
  hone_clean_options_init (&options);
  options.scrub = TRUE;
  options.scrub_names = TRUE;
  g_assert_true (hone_dataset_save_options (f->project, f->dataset, &options, NULL, &error));
  g_assert_no_error (error);
  view = build (f, NULL);
  g_assert_true (view->options.scrub);
  g_assert_cmpuint (view->scrub_counts[HONE_SCRUB_PHONE], ==, 1);
  g_assert_cmpuint (view->scrub_counts[HONE_SCRUB_EMAIL], ==, 1);
  /* "Hi Ben": Ben is the assistant, so his name stays */
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          if (strstr (m->text, "[PHONE]") != NULL)
            {
              g_assert_cmpstr (m->text, ==, "Yes it is.\nCall me at [PHONE] or write to [EMAIL]");
              g_assert_cmpuint (m->scrubbed->len, ==, 2);
              g_assert_cmpint (g_array_index (m->scrubbed, HoneScrubSpan, 0).kind, ==, HONE_SCRUB_PHONE);
              g_assert_cmpuint (g_array_index (m->scrubbed, HoneScrubSpan, 0).start, ==, 22);
              g_assert_cmpuint (g_array_index (m->scrubbed, HoneScrubSpan, 0).end, ==, 29);
              found = TRUE;
            }
          g_assert_null (strstr (m->text, "Anna"));
        }
    }
  g_assert_true (found);
  stored = hone_test_query_text (hone_project_get_db (f->project),
                                 "SELECT text FROM messages WHERE text LIKE 'Call me%'");
  g_assert_cmpstr (stored, ==, "Call me at 030 1234567 or write to ben@example.com");
}

static void
test_split_stable (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("many.jsonl");
  g_autoptr(HoneDatasetView) before = NULL;
  g_autoptr(HoneDatasetView) after = NULL;
  g_autoptr(GHashTable) parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  HoneCleanOptions options;
  guint validation = 0;
  gint64 source, pinned = 0;

  for (guint i = 0; i < 1000; i++)
    {
      HoneChatConversation *c = hone_chat_conversation_new (NULL);
      g_autofree char *q = g_strdup_printf ("question number %u about plants", i);
      g_autofree char *a = g_strdup_printf ("answer number %u about plants", i);

      add (c, "user", NULL, q);
      add (c, "assistant", NULL, a);
      hone_chatlog_take_conversation (log, c);
    }
  log->format = HONE_CHAT_FORMAT_OPENAI;
  log->checksum = g_strdup ("many-checksum");
  source = hone_project_add_source (f->project, "many.jsonl", log, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  guess_roles (f);

  hone_clean_options_init (&options);
  options.validation_fraction = 0.2;
  options.split_seed = 42;
  options.drop_near_duplicates = FALSE;  /* they differ only in their numbers */
  before = build (f, &options);
  for (guint i = 0; i < before->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (before->conversations, i);
      HoneDatasetMessage *m = g_ptr_array_index (c->messages, 0);

      if (c->source_id != source)
        continue;
      g_hash_table_insert (parts, g_strdup (m->text), GINT_TO_POINTER (c->split));
      validation += c->split == HONE_SPLIT_VALIDATION;
      if (pinned == 0 && c->split == HONE_SPLIT_TRAIN)
        pinned = c->conversation_id;
    }
  g_assert_cmpuint (g_hash_table_size (parts), ==, 1000);
  g_assert_cmpuint (validation, >, 150);
  g_assert_cmpuint (validation, <, 250);

  /* Removed and imported again (with the tickets' rows in between): new row ids, the
   * same parts. */
  g_assert_true (hone_project_remove_source (f->project, source, &error));
  g_clear_pointer (&log, hone_chatlog_free);
  log = hone_chatlog_new ("many.jsonl");
  for (guint i = 0; i < 1000; i++)
    {
      HoneChatConversation *c = hone_chat_conversation_new (NULL);
      g_autofree char *q = g_strdup_printf ("question number %u about plants", i);
      g_autofree char *a = g_strdup_printf ("answer number %u about plants", i);

      add (c, "user", NULL, q);
      add (c, "assistant", NULL, a);
      hone_chatlog_take_conversation (log, c);
    }
  log->format = HONE_CHAT_FORMAT_OPENAI;
  log->checksum = g_strdup ("many-checksum");
  source = hone_project_add_source (f->project, "many.jsonl", log, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  after = build (f, &options);
  {
    guint same = 0;
    for (guint i = 0; i < after->conversations->len; i++)
      {
        HoneDatasetConversation *c = g_ptr_array_index (after->conversations, i);
        HoneDatasetMessage *m = g_ptr_array_index (c->messages, 0);

        if (c->source_id != source)
          continue;
        if (GPOINTER_TO_INT (g_hash_table_lookup (parts, m->text)) == (int) c->split)
          same++;
      }
    g_assert_cmpuint (same, ==, 1000);
  }

  /* The same file again in the same order: identical parts. */
  {
    g_autoptr(HoneDatasetView) again = build (f, &options);
    g_autoptr(HoneDatasetView) twice = build (f, &options);
    for (guint i = 0; i < again->conversations->len; i++)
      g_assert_cmpint (((HoneDatasetConversation *) g_ptr_array_index (again->conversations, i))->split, ==,
                       ((HoneDatasetConversation *) g_ptr_array_index (twice->conversations, i))->split);
  }

  /* Pinning */
  {
    g_autoptr(HoneDatasetView) view = NULL;
    gint64 id = ((HoneDatasetConversation *) g_ptr_array_index (after->conversations, 0))->conversation_id;

    g_assert_true (hone_dataset_pin (f->project, f->dataset, id, TRUE, &error));
    g_assert_no_error (error);
    view = build (f, &options);
    for (guint i = 0; i < view->conversations->len; i++)
      {
        HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
        if (c->conversation_id == id)
          {
            g_assert_true (c->pinned);
            g_assert_cmpint (c->split, ==, HONE_SPLIT_VALIDATION);
          }
      }
    g_assert_true (hone_dataset_record_split (f->project, view, &error));
    g_assert_no_error (error);
  }
}

static void
test_split_reimport_same_order (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneDatasetView) before = NULL;
  g_autoptr(HoneDatasetView) after = NULL;
  g_autoptr(GHashTable) parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sources = NULL;
  HoneCleanOptions options;
  guint compared = 0;

  guess_roles (f);
  hone_clean_options_init (&options);
  options.validation_fraction = 0.5;
  before = build (f, &options);
  for (guint i = 0; i < before->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (before->conversations, i);
      g_hash_table_insert (parts, g_strdup (((HoneDatasetMessage *) g_ptr_array_index (c->messages, 0))->text),
                           GINT_TO_POINTER (c->split + 1));
    }
  sources = hone_project_list_sources (f->project, &error);
  for (guint i = 0; i < sources->len; i++)
    g_assert_true (hone_project_remove_source (f->project, ((HoneSourceInfo *) g_ptr_array_index (sources, i))->id,
                                               &error));
  {
    g_autoptr(HoneChatlog) desk = make_desk ();
    g_autoptr(HoneChatlog) chat = make_chat ();
    /* the other order of sources this time */
    g_assert_cmpint (hone_project_add_source (f->project, "desk.csv", desk, NULL, NULL, NULL, &error), >, 0);
    g_assert_cmpint (hone_project_add_source (f->project, "chat.txt", chat, NULL, NULL, NULL, &error), >, 0);
  }
  after = build (f, &options);
  for (guint i = 0; i < after->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (after->conversations, i);
      const char *text = ((HoneDatasetMessage *) g_ptr_array_index (c->messages, 0))->text;
      int part = GPOINTER_TO_INT (g_hash_table_lookup (parts, text));

      g_assert_cmpint (part, ==, (int) c->split + 1);
      compared++;
    }
  g_assert_cmpuint (compared, ==, before->conversations->len);
}

static void
test_tags_and_balance (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("more.jsonl");
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetStats) stats = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *undone = NULL;
  HoneCleanOptions options;
  int n;

  for (guint i = 0; i < 20; i++)
    {
      HoneChatConversation *c = hone_chat_conversation_new (NULL);
      g_autofree char *q = g_strdup_printf ("parcel %u came late and broken", i);
      g_autofree char *a = g_strdup_printf ("we are sorry about parcel %u", i);

      add (c, "user", NULL, i < 17 ? q : "thank you, lovely plants");
      add (c, "assistant", NULL, a);
      hone_chatlog_take_conversation (log, c);
    }
  log->format = HONE_CHAT_FORMAT_OPENAI;
  log->checksum = g_strdup ("more-checksum");
  g_assert_cmpint (hone_project_add_source (f->project, "more.jsonl", log, NULL, NULL, NULL, &error), >, 0);
  guess_roles (f);

  n = hone_dataset_tag_by_rule (f->project, "complaint", "refund|broken|late", FALSE, NULL, &error);
  g_assert_no_error (error);
  /* 17 parcels, tickets 1, 2, 3, 5 and the chat ("refund please if it is broken") */
  g_assert_cmpint (n, ==, 22);
  n = hone_dataset_tag_by_rule (f->project, "praise", "thank(s| you)|lovely", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);

  hone_clean_options_init (&options);
  options.drop_near_duplicates = FALSE;
  options.drop_duplicates = FALSE;
  view = build (f, &options);
  stats = hone_dataset_stats_compute (view);
  g_assert_cmpuint (stats->tags->len, ==, 2);
  g_assert_cmpstr (((HoneTagShare *) g_ptr_array_index (stats->tags, 0))->name, ==, "complaint");
  g_assert_nonnull (stats->warning);
  g_assert_nonnull (strstr (stats->warning, "complaint"));
  g_test_message ("%s", stats->warning);

  /* cap the complaints in the training part */
  g_assert_true (hone_dataset_set_tag_balance (f->project, "complaint", 5, 1, &error));
  g_assert_no_error (error);
  g_assert_true (hone_dataset_set_tag_balance (f->project, "praise", 0, 3, &error));
  tags = hone_dataset_list_tags (f->project, &error);
  g_assert_cmpuint (tags->len, ==, 2);
  {
    g_autofree char *path = g_build_filename (f->dir, "balanced.jsonl", NULL);
    g_autoptr(HoneChatlog) back = NULL;
    guint complaints = 0, praise = 0, others = 0;
    int written;

    for (guint i = 0; i < view->conversations->len; i++)
      {
        HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
        const char *tag = c->tags->len > 0 ? g_hash_table_lookup (view->tag_names, &g_array_index (c->tags, gint64, 0))
                                           : NULL;

        c->split = HONE_SPLIT_TRAIN;
        if (g_strcmp0 (tag, "complaint") == 0)
          complaints++;
        else if (g_strcmp0 (tag, "praise") == 0)
          praise++;
        else
          others++;
      }
    g_assert_cmpuint (complaints, >, 5);
    g_assert_cmpuint (praise, ==, 3);
    written = hone_dataset_export (view, tags, HONE_EXPORT_OPENAI, HONE_EXPORT_TRAIN, path, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (written, ==, (int) (others + 5 + 3 * praise));
    back = hone_import_read_path (path, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (written, ==, (int) back->conversations->len);
  }

  /* undo the balance twice, then the praise tag */
  g_free (hone_dataset_undo (f->project, &error));
  g_free (hone_dataset_undo (f->project, &error));
  undone = hone_dataset_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (undone, "praise"));
  g_clear_pointer (&tags, g_ptr_array_unref);
  tags = hone_dataset_list_tags (f->project, &error);
  g_assert_cmpuint (tags->len, ==, 1);
  g_assert_cmpuint (((HoneTagInfo *) g_ptr_array_index (tags, 0))->cap, ==, 0);

  /* by hand */
  {
    gint64 ids[] = { 1, 2 };
    g_autofree char *count = NULL;

    g_assert_true (hone_dataset_tag_conversations (f->project, "check", ids, 2, TRUE, &error));
    g_assert_no_error (error);
    g_assert_true (hone_dataset_tag_conversations (f->project, "check", ids, 1, FALSE, &error));
    count = hone_test_query_text (hone_project_get_db (f->project),
                                  "SELECT count (*) FROM conversation_tags AS ct JOIN tags AS t "
                                  "ON t.id = ct.tag_id WHERE t.name = 'check'");
    g_assert_cmpstr (count, ==, "1");
    g_free (hone_dataset_undo (f->project, &error));
    g_clear_pointer (&count, g_free);
    count = hone_test_query_text (hone_project_get_db (f->project),
                                  "SELECT count (*) FROM conversation_tags AS ct JOIN tags AS t "
                                  "ON t.id = ct.tag_id WHERE t.name = 'check'");
    g_assert_cmpstr (count, ==, "2");
  }
}

static void
check_round_trip (Fixture          *f,
                  HoneExportFormat  format,
                  const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneChatlog) back = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  guint k = 0;
  int written;

  guess_roles (f);
  view = build (f, NULL);
  written = hone_dataset_export (view, NULL, format, HONE_EXPORT_ALL, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (written, ==, (int) view->conversations->len);
  back = hone_import_read_path (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->format, ==, format == HONE_EXPORT_OPENAI ? HONE_CHAT_FORMAT_OPENAI
                                                                   : HONE_CHAT_FORMAT_SHAREGPT);
  g_assert_cmpuint (back->conversations->len, ==, view->conversations->len);
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      HoneChatConversation *b = g_ptr_array_index (back->conversations, i);

      g_assert_cmpuint (b->messages->len, ==, c->messages->len);
      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          HoneChatMessage *bm = g_ptr_array_index (b->messages, j);

          g_assert_cmpstr (bm->text, ==, m->text);
          g_assert_cmpstr (bm->author, ==, m->role == HONE_ROLE_ASSISTANT ? "assistant" : "user");
          k++;
        }
    }
  g_assert_cmpuint (k, >, 5);
}

static void
test_export_openai (Fixture       *f,
                    gconstpointer  data)
{
  check_round_trip (f, HONE_EXPORT_OPENAI, "out.jsonl");
}

static void
test_export_sharegpt (Fixture       *f,
                      gconstpointer  data)
{
  check_round_trip (f, HONE_EXPORT_SHAREGPT, "out.json");
}

static void
test_edit_message (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autofree char *id = NULL;
  gint64 message_id;

  guess_roles (f);
  id = hone_test_query_text (hone_project_get_db (f->project),
                             "SELECT id FROM messages WHERE text = 'Coming down now'");
  message_id = g_ascii_strtoll (id, NULL, 10);
  g_assert_true (hone_dataset_edit_message (f->project, message_id, "On my way down!",
                                            HONE_ROLE_NONE, FALSE, &error));
  g_assert_no_error (error);
  view = build (f, NULL);
  {
    gboolean seen = FALSE;
    for (guint i = 0; i < view->conversations->len; i++)
      {
        HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
        for (guint j = 0; j < c->messages->len; j++)
          if (strcmp (((HoneDatasetMessage *) g_ptr_array_index (c->messages, j))->text, "On my way down!") == 0)
            seen = TRUE;
      }
    g_assert_true (seen);
  }
  g_free (hone_dataset_undo (f->project, &error));
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  id = hone_test_query_text (hone_project_get_db (f->project), "SELECT count (*) FROM message_edits");
  g_assert_cmpstr (id, ==, "0");
}

typedef struct
{
  GMainLoop       *loop;
  HoneDatasetView *view;
  GError          *error;
  guint            n_progress;
  double           last;
} AsyncResult;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  AsyncResult *r = user_data;

  g_assert_cmpfloat (fraction, >=, r->last);
  r->last = fraction;
  r->n_progress++;
}

static void
on_built (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->view = hone_dataset_view_build_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  AsyncResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  guess_roles (f);
  hone_dataset_view_build_async (hone_project_get_dir (f->project), f->dataset, NULL, 2,
                                 on_progress, &r, NULL, on_built, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.view);
  g_assert_cmpuint (r.view->conversations->len, ==, 3);
  /* Updates are coalesced and those pending at the end dropped: on a project this small
   * there may be none; each one seen was in order (on_progress checks) and in range. */
  g_assert_cmpfloat (r.last, <=, 1.0);
  g_clear_pointer (&r.view, hone_dataset_view_free);

  /* cancelled before it starts */
  g_cancellable_cancel (cancellable);
  hone_dataset_view_build_async (hone_project_get_dir (f->project), f->dataset, NULL, 2,
                                 NULL, NULL, cancellable, on_built, &r);
  g_main_loop_run (r.loop);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r.view);
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

static void
test_options_json (void)
{
  g_autoptr(GError) error = NULL;
  HoneCleanOptions a, b;
  g_autofree char *json = NULL;

  hone_clean_options_init (&a);
  g_assert_true (hone_clean_options_set (&a, "split_gap_hours", "3.5", &error));
  g_assert_true (hone_clean_options_set (&a, "scrub", "on", &error));
  g_assert_true (hone_clean_options_set (&a, "scrub_kinds", "email,phone", &error));
  g_assert_true (hone_clean_options_set (&a, "max_tokens", "100", &error));
  g_assert_no_error (error);
  g_assert_false (hone_clean_options_set (&a, "colour", "red", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (hone_clean_options_set (&a, "scrub", "perhaps", &error));
  g_clear_error (&error);
  json = hone_clean_options_to_json (&a);
  hone_clean_options_init (&b);
  g_assert_true (hone_clean_options_from_json (&b, json, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (b.gap_hours, ==, 3.5);
  g_assert_true (b.scrub);
  g_assert_cmpuint (b.max_tokens, ==, 100);
  g_assert_cmpuint (b.scrub_kinds, ==, HONE_SCRUB_KIND_BIT (HONE_SCRUB_EMAIL) | HONE_SCRUB_KIND_BIT (HONE_SCRUB_PHONE));
}

/* Near-duplicates: word 3-grams through MinHash and LSH, then exact Jaccard. */

static const char *base_turns[] = {
  "Hello, I bought a monstera from you last week and two of its big leaves are turning "
  "yellow at the edges.",
  "Sorry to hear that! Yellow edges usually mean the soil stays wet for too long. Let the top "
  "two centimetres dry out before you water again.",
  "It stands near a north window and I water it every three days with tap water from the "
  "kitchen.",
  "Then water it once a week instead and move it closer to the light. Cut the yellow leaves "
  "off with clean scissors. Write to us again in two weeks if new leaves turn yellow.",
};

/* @turns[i] alternate between "user" and "assistant". */
static void
add_turns (HoneChatlog        *log,
           const char * const *turns,
           guint               n)
{
  HoneChatConversation *c = hone_chat_conversation_new (NULL);

  for (guint i = 0; i < n; i++)
    add (c, i % 2 == 0 ? "user" : "assistant", NULL, turns[i]);
  hone_chatlog_take_conversation (log, c);
}

/* The first message of each conversation of @view, in order. */
static char *
first_texts (const HoneDatasetView *view)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      g_string_append_printf (out, "%" G_GINT64_FORMAT ":%u:%s\n", c->conversation_id, c->part,
                              ((HoneDatasetMessage *) g_ptr_array_index (c->messages, 0))->text);
    }
  return g_string_free (out, FALSE);
}

static gboolean
view_has_text (const HoneDatasetView *view,
               const char            *needle)
{
  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      for (guint j = 0; j < c->messages->len; j++)
        if (strstr (((HoneDatasetMessage *) g_ptr_array_index (c->messages, j))->text, needle) != NULL)
          return TRUE;
    }
  return FALSE;
}

static void
test_near_duplicates (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("plants.jsonl");
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetView) again = NULL;
  g_autoptr(HoneDatasetView) strict = NULL;
  g_autofree char *order = NULL;
  g_autofree char *order_again = NULL;
  const HoneCleanStepReport *r;
  HoneCleanOptions options;
  const char *changed_word[4], *punctuation[4], *reordered[4];
  const char *greeting = "Hello and welcome to Fernwood plant support, my name is Sam and I am "
                         "happy to help you today with anything about your plants.";
  const char *other_a[] = {
    "Do you deliver to Austria, and how long does a parcel usually take to get there?",
    greeting,
    "I would like to order three ferns and a large clay pot for my balcony.",
    "Yes, we ship to Austria within four working days; the pot travels in its own box.",
  };
  const char *other_b[] = {
    "My cactus has soft brown spots near the base, is it rotting from below?",
    greeting,
    "The spots feel mushy and the pot has no hole at the bottom for the water.",
    "That sounds like rot: repot it into dry cactus soil in a pot with a drainage hole.",
  };

  const char *emoji_a[] = { "😂😂 🙈", "👍 👍" };
  const char *emoji_b[] = { "🌱🌻 🌵", "❤️ 🙏" };

  memcpy (changed_word, base_turns, sizeof changed_word);
  memcpy (punctuation, base_turns, sizeof punctuation);
  memcpy (reordered, base_turns, sizeof reordered);
  changed_word[2] = "It stands near a north window and I water it every four days with tap water "
                    "from the kitchen.";
  punctuation[0] = "hello!! I bought a Monstera from you last week - and two of its BIG leaves "
                   "are turning yellow at the edges";
  punctuation[1] = "Sorry to hear that. Yellow edges usually mean: the soil stays wet for too "
                   "long; let the top two centimetres dry out before you water again!";
  reordered[3] = "Cut the yellow leaves off with clean scissors. Then water it once a week instead "
                 "and move it closer to the light. Write to us again in two weeks if new leaves "
                 "turn yellow.";

  add_turns (log, base_turns, 4);
  add_turns (log, changed_word, 4);
  add_turns (log, other_a, 4);
  add_turns (log, punctuation, 4);
  add_turns (log, reordered, 4);
  add_turns (log, other_b, 4);
  add_turns (log, emoji_a, 2);
  add_turns (log, emoji_b, 2);
  log->format = HONE_CHAT_FORMAT_OPENAI;
  log->checksum = g_strdup ("plants-checksum");
  g_assert_cmpint (hone_project_add_source (f->project, "plants.jsonl", log, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  guess_roles (f);

  hone_clean_options_init (&options);
  g_assert_cmpfloat (options.near_duplicate_threshold, ==, 0.8);
  view = build (f, &options);
  r = &view->steps[HONE_CLEAN_STEP_NEAR_DUPLICATES];
  g_assert_true (r->enabled);
  /* The changed word, the punctuation and the reordered tail go (the desk's shouted
   * ticket 5 too); the two chats that share only a greeting stay. */
  g_assert_cmpuint (r->conversations_before - r->conversations_after, ==, 4);
  g_assert_true (view_has_text (view, "every three days"));
  g_assert_false (view_has_text (view, "every four days"));
  g_assert_false (view_has_text (view, "hello!!"));
  g_assert_false (view_has_text (view, "Cut the yellow leaves off with clean scissors. Then"));
  g_assert_true (view_has_text (view, "Austria"));
  g_assert_true (view_has_text (view, "cactus"));
  /* Chats of only emoji are words too. */
  g_assert_true (view_has_text (view, "🙈"));
  g_assert_true (view_has_text (view, "🌵"));
  for (guint i = 0; i < r->preview->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (r->preview, i));
  g_assert_cmpuint (r->preview->len, ==, 4);
  g_assert_nonnull (strstr (g_ptr_array_index (r->preview, 1), "like conversation 7"));

  /* Fixed seeds: the same input keeps the same conversations. */
  again = build (f, &options);
  order = first_texts (view);
  order_again = first_texts (again);
  g_assert_cmpstr (order, ==, order_again);

  /* A threshold of 0.99 keeps all but the copy that is the same after normalising. */
  g_assert_true (hone_clean_options_set (&options, "near_duplicate_threshold", "0.99", &error));
  g_assert_no_error (error);
  strict = build (f, &options);
  r = &strict->steps[HONE_CLEAN_STEP_NEAR_DUPLICATES];
  g_assert_cmpuint (r->conversations_before - r->conversations_after, ==, 2);
  g_assert_true (view_has_text (strict, "every four days"));
  g_assert_true (view_has_text (strict, "Cut the yellow leaves off with clean scissors. Then"));
  g_assert_false (view_has_text (strict, "hello!!"));

  /* The setting is kept with the others and checked. */
  g_assert_true (hone_dataset_save_options (f->project, f->dataset, &options, NULL, &error));
  g_assert_no_error (error);
  hone_clean_options_init (&options);
  g_assert_true (hone_dataset_load_options (f->project, f->dataset, &options, &error));
  g_assert_cmpfloat (options.near_duplicate_threshold, ==, 0.99);
  g_assert_false (hone_clean_options_set (&options, "near_duplicate_threshold", "1.5", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_nonnull (hone_clean_option_description ("near_duplicate_threshold"));
  g_assert_null (hone_clean_option_description ("colour"));
}

/* Tags on pieces of a conversation split on a time gap. */
static void
test_tags_per_piece (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("long chat.txt");
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetStats) stats = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  HoneChatConversation *c = hone_chat_conversation_new ("Uma");
  HoneCleanOptions options;
  gint64 long_chat;
  guint refund_pieces = 0, hand_pieces = 0, pieces = 0;
  int n;

  const char *asks[] = { "good morning, how are the orchids", "did the new ferns arrive",
                         "the vase came broken, can I get a refund", "see you at the market" };
  const char *answers[] = { "they are blooming nicely", "yes, twenty of them this morning",
                            "of course, I will send the money back", "see you there at nine" };

  /* Four days, one of them about a refund. */
  for (guint day = 0; day < 4; day++)
    {
      g_autofree char *t1 = g_strdup_printf ("2024-03-0%uT09:00:00", day + 1);
      g_autofree char *t2 = g_strdup_printf ("2024-03-0%uT09:05:00", day + 1);

      add (c, "Uma", t1, asks[day]);
      add (c, "Vic", t2, answers[day]);
    }
  hone_chatlog_take_conversation (log, c);
  log->format = HONE_CHAT_FORMAT_WHATSAPP;
  log->checksum = g_strdup ("long-checksum");
  g_assert_cmpint (hone_project_add_source (f->project, "long chat.txt", log, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (hone_dataset_set_role (f->project, "Vic", 0, HONE_ROLE_ASSISTANT, &error));
  g_assert_true (hone_dataset_set_role (f->project, "Uma", 0, HONE_ROLE_USER, &error));
  long_chat = hone_test_query_int (hone_project_get_db (f->project),
                                   "SELECT id FROM conversations WHERE title = 'Uma'");

  n = hone_dataset_tag_by_rule (f->project, "refund", "refund", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 1);
  g_assert_true (hone_dataset_tag_conversations (f->project, "regular", &long_chat, 1, TRUE, &error));
  g_assert_no_error (error);

  hone_clean_options_init (&options);
  view = build (f, &options);
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *piece = g_ptr_array_index (view->conversations, i);

      if (piece->conversation_id != long_chat)
        continue;
      pieces++;
      for (guint t = 0; t < piece->tags->len; t++)
        {
          const char *name = g_hash_table_lookup (view->tag_names, &g_array_index (piece->tags, gint64, t));
          if (strcmp (name, "refund") == 0)
            {
              refund_pieces++;
              g_assert_cmpuint (piece->part, ==, 2);
            }
          else if (strcmp (name, "regular") == 0)
            hand_pieces++;
        }
    }
  /* The rule's tag stays on the day that mentions a refund; the hand tag on all four. */
  g_assert_cmpuint (pieces, ==, 4);
  g_assert_cmpuint (refund_pieces, ==, 1);
  g_assert_cmpuint (hand_pieces, ==, 4);

  stats = hone_dataset_stats_compute (view);
  for (guint i = 0; i < stats->tags->len; i++)
    {
      const HoneTagShare *share = g_ptr_array_index (stats->tags, i);
      if (strcmp (share->name, "regular") == 0)
        g_assert_cmpuint (share->conversations, ==, 4);
    }
  /* Few tagged pieces, one tag dominating: the warning says it is too early to judge. */
  g_assert_nonnull (stats->warning);
  g_test_message ("%s", stats->warning);
  g_assert_nonnull (strstr (stats->warning, "too few"));

  /* A hand tag on a conversation the rule tagged makes it a hand tag (every piece), and
   * undo makes it the rule's again. */
  g_assert_true (hone_dataset_tag_conversations (f->project, "refund", &long_chat, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hone_test_query_int (hone_project_get_db (f->project),
                                        "SELECT by_rule FROM conversation_tags AS ct JOIN tags AS t "
                                        "ON t.id = ct.tag_id WHERE t.name = 'refund' AND "
                                        "ct.conversation_id = (SELECT id FROM conversations "
                                        "WHERE title = 'Uma')"), ==, 0);
  g_free (hone_dataset_undo (f->project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hone_test_query_int (hone_project_get_db (f->project),
                                        "SELECT by_rule FROM conversation_tags AS ct JOIN tags AS t "
                                        "ON t.id = ct.tag_id WHERE t.name = 'refund' AND "
                                        "ct.conversation_id = (SELECT id FROM conversations "
                                        "WHERE title = 'Uma')"), ==, 1);

  /* A cap counts pieces: at most one "regular" piece in training. */
  g_assert_true (hone_dataset_set_tag_balance (f->project, "regular", 1, 1, &error));
  tags = hone_dataset_list_tags (f->project, &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (f->dir, "capped.jsonl", NULL);
    int all, capped;

    for (guint i = 0; i < view->conversations->len; i++)
      ((HoneDatasetConversation *) g_ptr_array_index (view->conversations, i))->split = HONE_SPLIT_TRAIN;
    all = hone_dataset_export (view, NULL, HONE_EXPORT_OPENAI, HONE_EXPORT_TRAIN, path, NULL, &error);
    capped = hone_dataset_export (view, tags, HONE_EXPORT_OPENAI, HONE_EXPORT_TRAIN, path, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (all - capped, ==, 3);
  }
}

/* A help-desk CSV whose role column says who the agents are. */
static void
test_csv_agent_column (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GPtrArray) speakers = NULL;
  g_autofree char *path = g_build_filename (f->dir, "tickets.csv", NULL);
  g_autofree char *flags = g_build_filename (f->dir, "flags.csv", NULL);
  g_autofree char *mapped = g_build_filename (f->dir, "mapped.csv", NULL);
  g_autofree char *marked = NULL;
  HoneCsvMap map = { 0 };
  HoneImportOptions import_options = { &map };
  /* Rosa answers one ticket only, so by presence she would be a customer; Quinn, a
   * customer, writes in two. */
  const char *csv =
    "ticket,author,author_type,text\n"
    "1,Quinn,customer,My pot cracked\n"
    "1,Pat,agent,We will send a new one\n"
    "2,Quinn,Customer,Thanks again\n"
    "2,Pat,Agent,You are welcome\n"
    "3,Olga,end-user,Where is my parcel?\n"
    "3,Rosa,Support,It left today\n"
    "3,Olga,end-user,Great\n"
    "4,Quinn,user,One more question\n"
    "4,Pat,staff,Sure\n";
  const char *flag_csv =
    "conversation;sender;is_agent;message\n"
    "a;Ivo;false;hello\n"
    "a;Jo;true;hi, how can I help\n"
    "a;Ivo;no;my order\n"
    "a;Jo;yes;on its way\n";
  const char *mapped_csv =
    "ticket,author,side,body\n"
    "1,Kai,BOT,Hello from the bot\n"
    "1,Lu,human,hi\n";

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  g_assert_true (g_file_set_contents (flags, flag_csv, -1, &error));
  g_assert_true (g_file_set_contents (mapped, mapped_csv, -1, &error));

  log = hone_import_read_path (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_chatlog_get_side (log, "Pat"), ==, HONE_CHAT_SIDE_AGENT);
  g_assert_cmpint (hone_chatlog_get_side (log, "Rosa"), ==, HONE_CHAT_SIDE_AGENT);
  g_assert_cmpint (hone_chatlog_get_side (log, "Quinn"), ==, HONE_CHAT_SIDE_CUSTOMER);
  g_assert_cmpint (hone_chatlog_get_side (log, "Olga"), ==, HONE_CHAT_SIDE_CUSTOMER);
  g_assert_cmpint (hone_project_add_source (f->project, "tickets.csv", log, NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&log, hone_chatlog_free);

  /* is_agent: yes/no answers "is it the agent?" */
  log = hone_import_read_path (flags, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_chatlog_get_side (log, "Jo"), ==, HONE_CHAT_SIDE_AGENT);
  g_assert_cmpint (hone_chatlog_get_side (log, "Ivo"), ==, HONE_CHAT_SIDE_CUSTOMER);
  g_clear_pointer (&log, hone_chatlog_free);

  /* A column with another name, named by --map side=role. */
  log = hone_import_read_path (mapped, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_chatlog_get_side (log, "Kai"), ==, HONE_CHAT_SIDE_UNKNOWN);
  g_clear_pointer (&log, hone_chatlog_free);
  g_assert_true (hone_csv_map_parse (&map, "side=role", &error));
  g_assert_no_error (error);
  log = hone_import_read_path (mapped, &import_options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hone_chatlog_get_side (log, "Kai"), ==, HONE_CHAT_SIDE_AGENT);
  g_assert_cmpint (hone_chatlog_get_side (log, "Lu"), ==, HONE_CHAT_SIDE_CUSTOMER);
  hone_csv_map_clear (&map);

  /* Stored per source, and the guess follows it. */
  marked = hone_test_query_text (hone_project_get_db (f->project),
                                 "SELECT group_concat (s.name || '=' || coalesce (ss.marked, '-'), ' ') "
                                 "FROM (SELECT * FROM source_speakers ORDER BY speaker_id) AS ss "
                                 "JOIN speakers AS s ON s.id = ss.speaker_id "
                                 "JOIN sources AS src ON src.id = ss.source_id "
                                 "WHERE src.file = 'tickets.csv'");
  g_assert_cmpstr (marked, ==, "Quinn=user Pat=assistant Olga=user Rosa=assistant");
  speakers = hone_dataset_list_speakers (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpint (guess_of (speakers, "Pat"), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (guess_of (speakers, "Rosa"), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (guess_of (speakers, "Quinn"), ==, HONE_ROLE_USER);
  g_assert_cmpint (guess_of (speakers, "Olga"), ==, HONE_ROLE_USER);
  for (guint i = 0; i < speakers->len; i++)
    {
      const HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);
      if (strcmp (info->name, "Rosa") == 0)
        g_assert_cmpint (info->marked, ==, HONE_ROLE_ASSISTANT);
      else if (strcmp (info->name, "Olga") == 0)
        g_assert_cmpint (info->marked, ==, HONE_ROLE_USER);
      else if (strcmp (info->name, "Sam") == 0)
        g_assert_cmpint (info->marked, ==, HONE_ROLE_NONE);
    }
  /* Sources without marks keep the guess by presence. */
  g_assert_cmpint (guess_of (speakers, "Sam"), ==, HONE_ROLE_ASSISTANT);
  g_assert_cmpint (guess_of (speakers, "Ben"), ==, HONE_ROLE_ASSISTANT);
}

/* Named datasets beside "default". */
static void
test_named_datasets (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  HoneCleanOptions options;
  gint64 other, same;

  other = hone_dataset_ensure (f->project, "short ones", &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, >, 0);
  g_assert_cmpint (other, !=, f->dataset);
  same = hone_dataset_ensure (f->project, "  short ones ", &error);
  g_assert_cmpint (same, ==, other);
  g_assert_cmpint (hone_dataset_ensure_default (f->project, &error), ==, f->dataset);
  g_assert_cmpint (hone_dataset_ensure (f->project, " ", &error), ==, 0);
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);

  /* Each keeps its own settings. */
  hone_clean_options_init (&options);
  options.max_tokens = 10;
  g_assert_true (hone_dataset_save_options (f->project, other, &options, NULL, &error));
  g_assert_true (hone_dataset_load_options (f->project, f->dataset, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (options.max_tokens, ==, 4096);

  datasets = hone_dataset_list (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (datasets->len, ==, 2);
  g_assert_cmpstr (((HoneDatasetInfo *) g_ptr_array_index (datasets, 0))->name, ==, "default");
  g_assert_cmpstr (((HoneDatasetInfo *) g_ptr_array_index (datasets, 1))->name, ==, "short ones");
  g_assert_cmpuint (((HoneDatasetInfo *) g_ptr_array_index (datasets, 1))->n_sources, ==, 0);
}

/* The cleaning steps' descriptions come through gettext (untranslated here). */
static void
test_step_descriptions (void)
{
  for (HoneCleanStep step = 0; step < HONE_CLEAN_N_STEPS; step++)
    {
      const char *d = hone_clean_step_description (step);
      g_assert_nonnull (d);
      g_assert_cmpuint (strlen (d), >, 10);
    }
  g_assert_nonnull (strstr (hone_clean_step_description (HONE_CLEAN_STEP_NEAR_DUPLICATES), "almost"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hone/dataset/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("roles", test_roles);
  ADD ("clean", test_clean);
  ADD ("exact-duplicates", test_exact_duplicates);
  ADD ("scrub-view", test_scrub_view);
  ADD ("split-stable", test_split_stable);
  ADD ("split-reimport", test_split_reimport_same_order);
  ADD ("tags-and-balance", test_tags_and_balance);
  ADD ("export-openai", test_export_openai);
  ADD ("export-sharegpt", test_export_sharegpt);
  ADD ("edit-message", test_edit_message);
  ADD ("async", test_async);
  ADD ("near-duplicates", test_near_duplicates);
  ADD ("tags-per-piece", test_tags_per_piece);
  ADD ("csv-agent-column", test_csv_agent_column);
  ADD ("named-datasets", test_named_datasets);
#undef ADD
  g_test_add_func ("/hone/dataset/options-json", test_options_json);
  g_test_add_func ("/hone/dataset/step-descriptions", test_step_descriptions);
  return g_test_run ();
}
