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
#undef ADD
  g_test_add_func ("/hone/dataset/options-json", test_options_json);
  return g_test_run ();
}
