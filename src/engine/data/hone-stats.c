/* hone-stats.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics of a dataset view, and the balance across tags with a warning in plain
 * words when one tag dominates.
 */
#define G_LOG_DOMAIN "hone-stats"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-dataset-private.h"

const guint hone_stats_bin_limits[HONE_STATS_N_BINS] = {
  32, 64, 128, 256, 512, 1024, 2048, G_MAXUINT,
};

/* A tag is said to dominate above this share of the tagged conversations. */
#define DOMINANT_SHARE 0.6
/* Below this many tagged conversations (pieces after a split on a time gap), a share
 * says little: the warning then says so instead of asking for a cap. */
#define MIN_TAGGED 10

static void
tag_share_free (HoneTagShare *share)
{
  g_free (share->name);
  g_free (share);
}

void
hone_dataset_stats_free (HoneDatasetStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->tags, g_ptr_array_unref);
  g_free (stats->warning);
  g_free (stats);
}

static guint
words_in (const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean space = *p == ' ' || *p == '\n' || *p == '\t';
      if (!space && !in_word)
        n++;
      in_word = !space;
    }
  return n;
}

static int
compare_shares (gconstpointer a,
                gconstpointer b)
{
  const HoneTagShare *x = *(HoneTagShare * const *) a;
  const HoneTagShare *y = *(HoneTagShare * const *) b;

  if (x->conversations != y->conversations)
    return x->conversations > y->conversations ? -1 : 1;
  return strcmp (x->name, y->name);
}

HoneDatasetStats *
hone_dataset_stats_compute (const HoneDatasetView *view)
{
  HoneDatasetStats *stats;
  g_autoptr(GHashTable) by_tag = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint tagged = 0;

  g_return_val_if_fail (view != NULL, NULL);

  stats = g_new0 (HoneDatasetStats, 1);
  stats->first_time = G_MININT64;
  stats->last_time = G_MININT64;
  stats->tags = g_ptr_array_new_with_free_func ((GDestroyNotify) tag_share_free);
  stats->conversations = view->conversations->len;
  stats->duplicates = view->steps[HONE_CLEAN_STEP_DUPLICATES].conversations_before -
                      view->steps[HONE_CLEAN_STEP_DUPLICATES].conversations_after +
                      view->steps[HONE_CLEAN_STEP_NEAR_DUPLICATES].conversations_before -
                      view->steps[HONE_CLEAN_STEP_NEAR_DUPLICATES].conversations_after;
  memcpy (stats->scrub_counts, view->scrub_counts, sizeof stats->scrub_counts);

  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      guint words = 0;
      guint tokens;
      guint bin = 0;

      for (guint j = 0; j < c->messages->len; j++)
        {
          const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          guint w = words_in (m->text);
          HoneRole role = m->role == HONE_ROLE_NONE ? HONE_ROLE_USER : m->role;

          words += w;
          stats->messages++;
          stats->messages_by_role[role]++;
          stats->words_by_role[role] += w;
          if (m->time_unix != G_MININT64)
            {
              if (stats->first_time == G_MININT64 || m->time_unix < stats->first_time)
                stats->first_time = m->time_unix;
              if (stats->last_time == G_MININT64 || m->time_unix > stats->last_time)
                stats->last_time = m->time_unix;
            }
        }
      tokens = (words * 4 + 2) / 3;
      stats->tokens_estimate += tokens;
      while (bin + 1 < HONE_STATS_N_BINS && tokens > hone_stats_bin_limits[bin])
        bin++;
      stats->histogram[bin]++;
      if (c->split == HONE_SPLIT_VALIDATION)
        stats->validation++;
      else
        stats->train++;

      if (c->tags->len > 0)
        tagged++;
      for (guint t = 0; t < c->tags->len; t++)
        {
          gint64 *id = &g_array_index (c->tags, gint64, t);
          HoneTagShare *share = g_hash_table_lookup (by_tag, id);

          if (share == NULL)
            {
              share = g_new0 (HoneTagShare, 1);
              share->name = g_strdup (g_hash_table_lookup (view->tag_names, id));
              g_ptr_array_add (stats->tags, share);
              g_hash_table_insert (by_tag, id, share);
            }
          share->conversations++;
          for (guint j = 0; j < c->messages->len; j++)
            {
              const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
              if (m->role == HONE_ROLE_ASSISTANT)
                share->messages[HONE_ROLE_ASSISTANT]++;
              else if (m->role != HONE_ROLE_SYSTEM)
                share->messages[HONE_ROLE_USER]++;
            }
        }
    }

  for (guint i = 0; i < stats->tags->len; i++)
    {
      HoneTagShare *share = g_ptr_array_index (stats->tags, i);
      share->share = stats->conversations > 0 ? (double) share->conversations / stats->conversations : 0;
    }
  g_ptr_array_sort (stats->tags, compare_shares);

  if (stats->tags->len > 0 && tagged > 0)
    {
      const HoneTagShare *top = g_ptr_array_index (stats->tags, 0);
      gboolean several = stats->tags->len > 1;
      double p = several ? (double) top->conversations / tagged : top->share;

      if (p > DOMINANT_SHARE && (several || tagged < stats->conversations))
        {
          g_autofree char *share = NULL;

          if (several)
            /* TRANSLATORS: %.0f%% is a share such as “75%”, %s a tag name */
            share = g_strdup_printf (_("%.0f%% of the tagged conversations are tagged “%s”"),
                                     100 * p, top->name);
          else
            share = g_strdup_printf (_("%.0f%% of all conversations are tagged “%s”"),
                                     100 * p, top->name);
          if (tagged >= MIN_TAGGED)
            /* TRANSLATORS: %s is the sentence above; the tag name comes again */
            stats->warning = g_strdup_printf (_("%s; the bot may learn to expect that. Cap "
                                                "“%s” or add more of the others."),
                                              share, top->name);
          else
            stats->warning =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s, but only %u conversation is tagged: too few to "
                                            "judge the balance yet. Tag more before capping “%s”.",
                                            "%s, but only %u conversations are tagged: too few to "
                                            "judge the balance yet. Tag more before capping “%s”.",
                                            tagged),
                               share, tagged, top->name);
        }
    }
  return stats;
}
