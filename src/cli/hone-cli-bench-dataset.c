/* hone-cli-bench-dataset.c — hone-cli bench dataset: each data step on a generated
 * 100 000-message project.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The project has a long 1:1 chat (half the messages, days apart so the time-gap split
 * has work) and a help desk of short tickets, with personal data, media, deleted
 * notices and duplicate tickets sprinkled in. Every step is timed on its own.
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "data/hone-dataset.h"
#include "hone-cli-private.h"

static const char *words[] = {
  "hello", "order", "plant", "tomorrow", "thanks", "soil", "water", "leaves", "delivery",
  "refund", "great", "sunny", "window", "pot", "repot", "fern", "monstera", "yellow",
  "question", "price", "shipping", "the", "a", "is", "my", "your", "can", "we", "meet",
  "at", "six", "ok", "sure", "maybe", "broken", "late", "café", "über", "naïve", "ça",
};

static const char *extras[] = {
  "call me at 030 1234567", "my email is anna.schmidt@example.com",
  "IBAN DE89 3704 0044 0532 0130 00", "ship it to 221B Baker Street",
  "card 4111 1111 1111 1111", "see https://example.com/reset?token=abc123def456ghi789",
  "order #123456789 arrives 12.03.2024 at 10:30",
};

static char *
sentence (GRand *rand)
{
  GString *out = g_string_new (NULL);
  int n = g_rand_int_range (rand, 3, 18);

  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  if (g_rand_int_range (rand, 0, 20) == 0)
    g_string_append_printf (out, ", %s", extras[g_rand_int_range (rand, 0, G_N_ELEMENTS (extras))]);
  return g_string_free (out, FALSE);
}

static HoneChatlog *
make_chat (guint n_messages)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  HoneChatlog *log = hone_chatlog_new ("WhatsApp Chat with Anna.txt");
  HoneChatConversation *c = hone_chat_conversation_new (NULL);
  gint64 t = 1609488000;  /* 2021-01-01 */

  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *stamp = NULL;
      int r = g_rand_int_range (rand, 0, 100);

      t += g_rand_int_range (rand, 0, 100) < 2 ? 86400 : g_rand_int_range (rand, 5, 600);
      dt = g_date_time_new_from_unix_utc (t);
      stamp = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
      if (r == 0)
        hone_chat_conversation_add (c, i % 3 ? "Anna Schmidt" : "Ben Okafor", stamp, "", TRUE);
      else if (r == 1)
        hone_chat_conversation_add (c, "Anna Schmidt", stamp, "This message was deleted", FALSE);
      else
        {
          text = sentence (rand);
          hone_chat_conversation_add (c, g_rand_boolean (rand) ? "Anna Schmidt" : "Ben Okafor",
                                      stamp, text, FALSE);
        }
    }
  hone_chatlog_take_conversation (log, c);
  log->format = HONE_CHAT_FORMAT_WHATSAPP;
  log->checksum = g_strdup ("bench-chat");
  return log;
}

static HoneChatlog *
make_desk (guint n_messages)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  HoneChatlog *log = hone_chatlog_new ("tickets.csv");
  guint written = 0;

  for (guint ticket = 0; written < n_messages; ticket++)
    {
      g_autofree char *title = g_strdup_printf ("ticket %u", ticket);
      g_autofree char *customer = g_strdup_printf ("Customer %u", ticket % 997);
      HoneChatConversation *c = hone_chat_conversation_new (title);
      guint n = MIN ((guint) g_rand_int_range (rand, 2, 19), n_messages - written);
      gint64 t = 1640995200 + ticket * 3600;

      for (guint i = 0; i < n; i++, written++)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + i * 60);
          g_autofree char *stamp = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
          g_autofree char *text = ticket % 50 == 1 ? g_strdup ("Where is my order? It is late.")
                                                    : sentence (rand);

          hone_chat_conversation_add (c, i % 2 ? "Sam (agent)" : customer, stamp, text, FALSE);
        }
      hone_chatlog_take_conversation (log, c);
    }
  log->format = HONE_CHAT_FORMAT_CSV;
  log->checksum = g_strdup ("bench-desk");
  return log;
}

static void
report (const char *step,
        double      seconds,
        const char *detail)
{
  printf ("%-22s %7.3f s  %s %s\n", step, seconds, seconds < 2.0 ? "(goal met: < 2 s)" : "(goal: < 2 s)",
          detail != NULL ? detail : "");
}

#define NOW() (g_get_monotonic_time () / 1e6)

static int
bench_dataset (guint       n_messages,
               const char *keep_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneChatlog) chat = NULL;
  g_autoptr(HoneChatlog) desk = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetView) scrubbed = NULL;
  g_autoptr(HoneDatasetStats) stats = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *undone = NULL;
  HoneCleanOptions options;
  gint64 dataset;
  double t;
  int n;

  tmp = keep_dir != NULL ? g_strdup (keep_dir) : g_dir_make_tmp ("hone-bench-XXXXXX", &error);
  if (tmp == NULL)
    return hone_cli_fail_error (error);
  dir = g_build_filename (tmp, "dataset-project", NULL);
  out = g_build_filename (tmp, "train.jsonl", NULL);

  chat = make_chat (n_messages / 2);
  desk = make_desk (n_messages - n_messages / 2);
  printf ("A project of %u messages: a 1:1 chat of %u and %u help-desk tickets, in %s\n",
          hone_chatlog_count_messages (chat) + hone_chatlog_count_messages (desk),
          hone_chatlog_count_messages (chat), desk->conversations->len, dir);

  project = hone_project_create (dir, &error);
  t = NOW ();
  if (project == NULL ||
      hone_project_add_source (project, "chat.txt", chat, NULL, NULL, NULL, &error) <= 0 ||
      hone_project_add_source (project, "tickets.csv", desk, NULL, NULL, NULL, &error) <= 0)
    return hone_cli_fail_error (error);
  report ("store (import)", NOW () - t, NULL);

  t = NOW ();
  dataset = hone_dataset_ensure_default (project, &error);
  n = dataset > 0 ? hone_dataset_guess_roles (project, &error) : -1;
  if (n < 0)
    return hone_cli_fail_error (error);
  report ("roles (guess)", NOW () - t, NULL);

  hone_clean_options_init (&options);
  t = NOW ();
  view = hone_dataset_view_build (project, dataset, &options, 3, NULL, NULL, NULL, &error);
  if (view == NULL)
    return hone_cli_fail_error (error);
  detail = g_strdup_printf ("%u conversations, %u messages left", view->conversations->len,
                            hone_dataset_view_count_messages (view));
  report ("clean (all steps)", NOW () - t, detail);
  for (HoneCleanStep step = 0; step < HONE_CLEAN_N_STEPS; step++)
    {
      g_autofree char *name = g_strdup_printf ("  %s", hone_clean_step_name (step));
      g_autofree char *counts = g_strdup_printf ("%u → %u conversations, %u → %u messages",
                                                 view->steps[step].conversations_before,
                                                 view->steps[step].conversations_after,
                                                 view->steps[step].messages_before,
                                                 view->steps[step].messages_after);
      report (name, view->steps[step].seconds, counts);
    }

  options.scrub = TRUE;
  options.scrub_names = TRUE;
  t = NOW ();
  scrubbed = hone_dataset_view_build (project, dataset, &options, 3, NULL, NULL, NULL, &error);
  if (scrubbed == NULL)
    return hone_cli_fail_error (error);
  g_clear_pointer (&detail, g_free);
  detail = g_strdup_printf ("scrub step alone %.3f s: email %u, phone %u, card %u, iban %u, "
                            "url %u, address %u, name %u",
                            scrubbed->steps[HONE_CLEAN_STEP_SCRUB].seconds,
                            scrubbed->scrub_counts[HONE_SCRUB_EMAIL], scrubbed->scrub_counts[HONE_SCRUB_PHONE],
                            scrubbed->scrub_counts[HONE_SCRUB_CARD], scrubbed->scrub_counts[HONE_SCRUB_IBAN],
                            scrubbed->scrub_counts[HONE_SCRUB_URL], scrubbed->scrub_counts[HONE_SCRUB_ADDRESS],
                            scrubbed->scrub_counts[HONE_SCRUB_NAME]);
  report ("clean + scrub", NOW () - t, detail);

  t = NOW ();
  if (!hone_dataset_save_options (project, dataset, &options, NULL, &error))
    return hone_cli_fail_error (error);
  report ("save settings", NOW () - t, NULL);

  t = NOW ();
  n = hone_dataset_tag_by_rule (project, "complaint", "refund|broken|late", FALSE, NULL, &error);
  if (n < 0)
    return hone_cli_fail_error (error);
  g_clear_pointer (&detail, g_free);
  detail = g_strdup_printf ("%d conversations", n);
  report ("tag (keywords)", NOW () - t, detail);

  t = NOW ();
  stats = hone_dataset_stats_compute (scrubbed);
  report ("stats", NOW () - t, stats->warning);

  t = NOW ();
  if (!hone_dataset_record_split (project, scrubbed, &error))
    return hone_cli_fail_error (error);
  g_clear_pointer (&detail, g_free);
  detail = g_strdup_printf ("%u training, %u validation", stats->train, stats->validation);
  report ("split (record)", NOW () - t, detail);

  t = NOW ();
  tags = hone_dataset_list_tags (project, &error);
  if (tags == NULL || hone_dataset_export (scrubbed, tags, HONE_EXPORT_OPENAI, HONE_EXPORT_TRAIN,
                                           out, NULL, &error) < 0)
    return hone_cli_fail_error (error);
  report ("export (openai)", NOW () - t, NULL);

  t = NOW ();
  undone = hone_dataset_undo (project, &error);
  if (error != NULL)
    return hone_cli_fail_error (error);
  report ("undo (the tags)", NOW () - t, undone);

  if (keep_dir == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
      if (system (cmd) != 0)
        g_printerr ("could not remove %s\n", tmp);
    }
  return HONE_EXIT_OK;
}

int
hone_cli_bench_dataset (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("dataset"));
  g_autofree char *keep = NULL;
  int n_messages = 100000;
  GOptionEntry entries[] = {
    { "messages", 'n', 0, G_OPTION_ARG_INT, &n_messages,
      N_("Messages in the generated project (default 100000)"), N_("N") },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      N_("Write the project and the export into DIR and keep them"), N_("DIR") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Measure the data steps: builds a project of generated chats and "
                                  "tickets and times roles, each cleaning step, scrubbing, tags, "
                                  "statistics, the split, export and undo."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || n_messages <= 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli bench dataset [--messages N] [--keep DIR]"));
  return bench_dataset ((guint) n_messages, keep);
}
