/* hone-clean.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Building a dataset view: one read of the project's conversations, then each cleaning
 * step in memory, counting what it changed and keeping a few lines of preview.
 */
#define G_LOG_DOMAIN "hone-clean"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-dataset-private.h"

static const struct
{
  const char *name;
  const char *description;
} steps[HONE_CLEAN_N_STEPS] = {
  { "load", N_("Conversations as imported, with your edits") },
  { "drop-system", N_("Leave out messages by “system”") },
  { "drop-media", N_("Leave out messages that are only a photo, video or file") },
  { "drop-deleted", N_("Leave out “This message was deleted” notices") },
  { "split-gap", N_("Start a new conversation after a long silence") },
  { "merge", N_("Join a person’s messages in a row into one") },
  { "both-roles", N_("Keep only conversations where both the bot and someone else speak") },
  { "length", N_("Leave out conversations that are too short or too long") },
  { "duplicates", N_("Leave out conversations that are exact copies") },
  { "near-duplicates", N_("Leave out conversations that are almost the same as an earlier one") },
  { "scrub", N_("Replace personal data with placeholders") },
};

const char *
hone_clean_step_name (HoneCleanStep step)
{
  g_return_val_if_fail (step < HONE_CLEAN_N_STEPS, NULL);
  return steps[step].name;
}

const char *
hone_clean_step_description (HoneCleanStep step)
{
  g_return_val_if_fail (step < HONE_CLEAN_N_STEPS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, steps[step].description);
}

static void
message_free (HoneDatasetMessage *m)
{
  g_free (m->speaker);
  g_free (m->text);
  g_clear_pointer (&m->scrubbed, g_array_unref);
  g_free (m);
}

static void
conversation_free (HoneDatasetConversation *c)
{
  g_free (c->title);
  g_clear_pointer (&c->messages, g_ptr_array_unref);
  g_clear_pointer (&c->tags, g_array_unref);
  g_free (c);
}

static HoneDatasetConversation *
conversation_new (void)
{
  HoneDatasetConversation *c = g_new0 (HoneDatasetConversation, 1);

  c->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  c->tags = g_array_new (FALSE, FALSE, sizeof (gint64));
  return c;
}

void
hone_dataset_view_free (HoneDatasetView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->conversations, g_ptr_array_unref);
  for (guint i = 0; i < HONE_CLEAN_N_STEPS; i++)
    g_clear_pointer (&view->steps[i].preview, g_ptr_array_unref);
  g_clear_pointer (&view->tag_names, g_hash_table_unref);
  g_free (view);
}

guint
hone_dataset_view_count_messages (const HoneDatasetView *view)
{
  guint n = 0;

  g_return_val_if_fail (view != NULL, 0);
  for (guint i = 0; i < view->conversations->len; i++)
    n += ((HoneDatasetConversation *) g_ptr_array_index (view->conversations, i))->messages->len;
  return n;
}

static guint64
splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

HoneSplitPart
hone_split_assign (guint64 identity,
                   gint64  seed,
                   double  validation_fraction)
{
  guint64 h = splitmix64 (identity ^ splitmix64 ((guint64) seed));
  double u = (double) (h >> 11) / (double) (G_GUINT64_CONSTANT (1) << 53);

  return u < validation_fraction ? HONE_SPLIT_VALIDATION : HONE_SPLIT_TRAIN;
}

static guint64
identity_of (const char *checksum,
             gint64      ordinal,
             const char *title,
             const char *first_text)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 id = 0;

  g_snprintf (number, sizeof number, "\n%" G_GINT64_FORMAT "\n", ordinal);
  g_checksum_update (sum, (const guchar *) checksum, -1);
  g_checksum_update (sum, (const guchar *) number, -1);
  g_checksum_update (sum, (const guchar *) (title != NULL ? title : ""), -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) first_text, -1);
  g_checksum_get_digest (sum, digest, &len);
  for (guint i = 0; i < 8; i++)
    id = (id << 8) | digest[i];
  return id;
}

static guint
count_words (const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      gboolean space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
      if (!space && !in_word)
        n++;
      in_word = !space;
    }
  return n;
}

static guint
tokens_of_words (guint words)
{
  return (words * 4 + 2) / 3;
}

static void
add_preview (HoneDatasetView *view,
             HoneCleanStep    step,
             guint            n_preview,
             const char      *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
add_preview (HoneDatasetView *view,
             HoneCleanStep    step,
             guint            n_preview,
             const char      *format,
             ...)
{
  va_list args;

  if (view->steps[step].preview->len >= n_preview)
    return;
  va_start (args, format);
  g_ptr_array_add (view->steps[step].preview, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The start of @text on one line, for a preview. */
static char *
snippet (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; *p != '\0' && n < 60; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, c == '\n' ? ' ' : c);
    }
  if (g_utf8_strlen (text, -1) > 60)
    g_string_append (out, "…");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
count_state (HoneDatasetView *view,
             guint           *conversations,
             guint           *messages)
{
  *conversations = view->conversations->len;
  *messages = hone_dataset_view_count_messages (view);
}

typedef struct
{
  gint64   id;
  gboolean by_rule;
} TagRef;

typedef struct
{
  GHashTable *pins;            /* conversation id set */
  GHashTable *tags;            /* conversation id → GArray of TagRef */
  GHashTable *rules;           /* tag id → GRegex of its rule */
  GHashTable *split;           /* conversation ids cut into pieces on a time gap */
  GRegex     *media;
  GRegex     *deleted;
} Context;

static gboolean
load (HoneProject       *project,
      HoneDatasetView   *view,
      Context           *ctx,
      HoneProgressFunc   progress,
      gpointer           progress_data,
      GCancellable      *cancellable,
      GError           **error)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) pins = NULL;
  g_autoptr(sqlite3_stmt) tags = NULL;
  HoneStoreTransaction txn;
  HoneDatasetConversation *current = NULL;
  gint64 total = 0;
  guint rows = 0;
  int rc;

  if (!hone_store_begin (&txn, db, FALSE, error))
    return FALSE;
  if (!hone_store_query_int (db, "SELECT count (*) FROM messages", &total, error))
    goto fail;

  stmt = hone_dataset_prepare (db,
    "SELECT c.id, c.source_id, c.ordinal, c.title, src.checksum, m.id, s.name, "
    "       coalesce (e.role, ss.role, s.role), m.time_unix, coalesce (e.text, m.text), "
    "       m.media, coalesce (e.deleted, 0), m.text "
    "FROM messages AS m "
    "JOIN conversations AS c ON c.id = m.conversation_id "
    "JOIN sources AS src ON src.id = c.source_id "
    "JOIN speakers AS s ON s.id = m.speaker_id "
    "LEFT JOIN source_speakers AS ss ON ss.source_id = c.source_id AND ss.speaker_id = s.id "
    "LEFT JOIN message_edits AS e ON e.message_id = m.id "
    "WHERE NOT EXISTS (SELECT 1 FROM dataset_sources AS d WHERE d.dataset_id = ?1) "
    "   OR c.source_id IN (SELECT source_id FROM dataset_sources WHERE dataset_id = ?1) "
    "ORDER BY m.conversation_id, m.ordinal", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, view->dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 conversation_id = sqlite3_column_int64 (stmt, 0);
      const char *role = (const char *) sqlite3_column_text (stmt, 7);
      HoneDatasetMessage *m;

      if ((++rows & 0x3fff) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto fail;
          if (progress != NULL && total > 0)
            progress (0.5 * rows / total, progress_data);
        }
      if (current == NULL || current->conversation_id != conversation_id)
        {
          current = conversation_new ();
          current->conversation_id = conversation_id;
          current->source_id = sqlite3_column_int64 (stmt, 1);
          current->title = hone_dataset_column_dup (stmt, 3);
          current->identity = identity_of ((const char *) sqlite3_column_text (stmt, 4),
                                           sqlite3_column_int64 (stmt, 2), current->title,
                                           (const char *) sqlite3_column_text (stmt, 12));
          g_ptr_array_add (view->conversations, current);
        }
      if (sqlite3_column_int (stmt, 11))
        continue;  /* the person left it out */
      m = g_new0 (HoneDatasetMessage, 1);
      m->message_id = sqlite3_column_int64 (stmt, 5);
      m->speaker = hone_dataset_column_dup (stmt, 6);
      m->role = hone_role_from_string (role);
      if (role == NULL && g_ascii_strcasecmp (m->speaker, "system") == 0)
        m->role = HONE_ROLE_SYSTEM;
      m->time_unix = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? G_MININT64
                                                                 : sqlite3_column_int64 (stmt, 8);
      m->text = hone_dataset_column_dup (stmt, 9);
      m->n_merged = 1;
      /* A media message keeps media = 1 only as an empty text or a placeholder. */
      if (sqlite3_column_int (stmt, 10) && m->text[0] == '\0')
        {
          g_free (m->text);
          m->text = g_strdup ("<Media omitted>");
        }
      g_ptr_array_add (current->messages, m);
    }
  if (rc != SQLITE_DONE)
    {
      hone_store_set_error (error, db, rc, "Could not read the conversations");
      goto fail;
    }

  pins = hone_dataset_prepare (db, "SELECT conversation_id FROM split_pins WHERE dataset_id = ?1",
                               error);
  if (pins == NULL)
    goto fail;
  sqlite3_bind_int64 (pins, 1, view->dataset_id);
  while (sqlite3_step (pins) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (pins, 0);
      g_hash_table_add (ctx->pins, g_memdup2 (&id, sizeof id));
    }

  tags = hone_dataset_prepare (db, "SELECT ct.conversation_id, ct.tag_id, t.name, ct.by_rule, ts.rule, "
                                   "       coalesce (ts.is_regex, 0) "
                                   "FROM conversation_tags AS ct JOIN tags AS t ON t.id = ct.tag_id "
                                   "LEFT JOIN tag_settings AS ts ON ts.tag_id = t.id", error);
  if (tags == NULL)
    goto fail;
  while (sqlite3_step (tags) == SQLITE_ROW)
    {
      gint64 conversation_id = sqlite3_column_int64 (tags, 0);
      TagRef ref = { sqlite3_column_int64 (tags, 1), sqlite3_column_int (tags, 3) != 0 };
      gint64 tag_id = ref.id;
      const char *rule = (const char *) sqlite3_column_text (tags, 4);
      GArray *list = g_hash_table_lookup (ctx->tags, &conversation_id);

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (TagRef));
          g_hash_table_insert (ctx->tags, g_memdup2 (&conversation_id, sizeof conversation_id), list);
        }
      g_array_append_val (list, ref);
      /* A rule that no longer compiles leaves its tag on every piece. */
      if (ref.by_rule && rule != NULL && !g_hash_table_contains (ctx->rules, &tag_id))
        {
          GRegex *regex = hone_tag_rule_compile (rule, sqlite3_column_int (tags, 5), NULL);
          if (regex != NULL)
            g_hash_table_insert (ctx->rules, g_memdup2 (&tag_id, sizeof tag_id), regex);
        }
      if (!g_hash_table_contains (view->tag_names, &tag_id))
        g_hash_table_insert (view->tag_names, g_memdup2 (&tag_id, sizeof tag_id),
                             hone_dataset_column_dup (tags, 2));
    }
  hone_store_rollback (&txn);  /* a read: nothing to commit */
  return TRUE;

fail:
  hone_store_rollback (&txn);
  return FALSE;
}

/* Shortens @array to @len without freeing what lies beyond: those pointers were moved
 * to the front by a compaction. */
static void
truncate_moved (GPtrArray      *array,
                guint           len,
                GDestroyNotify  free_func)
{
  g_ptr_array_set_free_func (array, NULL);
  g_ptr_array_set_size (array, len);
  g_ptr_array_set_free_func (array, free_func);
}

/* Removes the messages @drop says so, and conversations left empty. */
typedef gboolean (*DropFunc) (Context *ctx, const HoneDatasetMessage *m);

static void
drop_messages (HoneDatasetView *view,
               Context         *ctx,
               HoneCleanStep    step,
               guint            n_preview,
               DropFunc         drop)
{
  guint w = 0;

  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      guint wm = 0;

      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);

          if (!drop (ctx, m))
            {
              c->messages->pdata[wm++] = m;
              continue;
            }
          if (view->steps[step].preview->len < n_preview)
            {
              g_autofree char *s = snippet (m->text);
              add_preview (view, step, n_preview, "conversation %" G_GINT64_FORMAT ": %s: “%s”",
                           c->conversation_id, m->speaker, s);
            }
          message_free (m);
        }
      truncate_moved (c->messages, wm, (GDestroyNotify) message_free);
      if (c->messages->len == 0)
        conversation_free (c);
      else
        view->conversations->pdata[w++] = c;
    }
  truncate_moved (view->conversations, w, (GDestroyNotify) conversation_free);
}

static gboolean
is_system (Context                  *ctx,
           const HoneDatasetMessage *m)
{
  return m->role == HONE_ROLE_SYSTEM;
}

static gboolean
is_media (Context                  *ctx,
          const HoneDatasetMessage *m)
{
  return g_regex_match (ctx->media, m->text, 0, NULL);
}

static gboolean
is_deleted (Context                  *ctx,
            const HoneDatasetMessage *m)
{
  return g_regex_match (ctx->deleted, m->text, 0, NULL);
}

static void
split_on_gap (HoneDatasetView *view,
              Context         *ctx,
              double           gap_hours,
              guint            n_preview)
{
  GPtrArray *in = view->conversations;
  GPtrArray *out = g_ptr_array_new_full (in->len, (GDestroyNotify) conversation_free);
  gint64 gap = (gint64) (gap_hours * 3600);

  for (guint i = 0; i < in->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (in, i);
      HoneDatasetConversation *piece = c;
      guint kept = 0;

      /* One pass: @c keeps the messages before the first gap, each later piece gets
       * its own. */
      g_ptr_array_add (out, c);
      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          HoneDatasetMessage *prev = j > 0 ? g_ptr_array_index (c->messages, j - 1) : NULL;

          if (prev != NULL && prev->time_unix != G_MININT64 && m->time_unix != G_MININT64 &&
              m->time_unix - prev->time_unix >= gap)
            {
              HoneDatasetConversation *next = conversation_new ();

              next->conversation_id = c->conversation_id;
              next->source_id = c->source_id;
              next->title = g_strdup (c->title);
              next->part = piece->part + 1;
              next->identity = splitmix64 (c->identity + next->part);
              if (next->part == 1)
                g_hash_table_add (ctx->split, g_memdup2 (&c->conversation_id, sizeof c->conversation_id));
              add_preview (view, HONE_CLEAN_STEP_SPLIT_GAP, n_preview,
                           "conversation %" G_GINT64_FORMAT ": new part after %.1f hours of silence",
                           c->conversation_id, (m->time_unix - prev->time_unix) / 3600.0);
              g_ptr_array_add (out, next);
              piece = next;
            }
          if (piece == c)
            kept++;
          else
            g_ptr_array_add (piece->messages, m);
        }
      truncate_moved (c->messages, kept, (GDestroyNotify) message_free);
    }
  truncate_moved (in, 0, (GDestroyNotify) conversation_free);
  g_ptr_array_unref (in);
  view->conversations = out;
}

static void
merge_consecutive (HoneDatasetView *view,
                   guint            n_preview)
{
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      guint w = 0;

      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          HoneDatasetMessage *prev = w > 0 ? c->messages->pdata[w - 1] : NULL;
          char *joined;

          if (prev == NULL || prev->role != m->role || strcmp (prev->speaker, m->speaker) != 0)
            {
              c->messages->pdata[w++] = m;
              continue;
            }
          joined = g_strconcat (prev->text, "\n", m->text, NULL);
          g_free (prev->text);
          prev->text = joined;
          prev->n_merged += m->n_merged;
          if (prev->time_unix == G_MININT64)
            prev->time_unix = m->time_unix;
          if (prev->n_merged == 2)
            add_preview (view, HONE_CLEAN_STEP_MERGE, n_preview,
                         "conversation %" G_GINT64_FORMAT ": joined messages of %s in a row",
                         c->conversation_id, prev->speaker);
          message_free (m);
        }
      truncate_moved (c->messages, w, (GDestroyNotify) message_free);
    }
}

static void
filter_conversations (HoneDatasetView *view,
                      HoneCleanStep    step,
                      guint            n_preview,
                      gboolean       (*keep) (HoneDatasetConversation *c, gpointer data, char **why),
                      gpointer         data)
{
  guint w = 0;

  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      g_autofree char *why = NULL;

      if (keep (c, data, &why))
        {
          view->conversations->pdata[w++] = c;
          continue;
        }
      add_preview (view, step, n_preview, "conversation %" G_GINT64_FORMAT ": %s",
                   c->conversation_id, why != NULL ? why : "left out");
      conversation_free (c);
    }
  truncate_moved (view->conversations, w, (GDestroyNotify) conversation_free);
}

static gboolean
keep_both_roles (HoneDatasetConversation *c,
                 gpointer                 data,
                 char                   **why)
{
  gboolean user = FALSE, assistant = FALSE;

  for (guint j = 0; j < c->messages->len; j++)
    {
      HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
      if (m->role == HONE_ROLE_ASSISTANT)
        assistant = TRUE;
      else if (m->role != HONE_ROLE_SYSTEM)
        user = TRUE;
    }
  if (!assistant)
    *why = g_strdup ("the bot never speaks");
  else if (!user)
    *why = g_strdup ("only the bot speaks");
  return user && assistant;
}

static gboolean
keep_length (HoneDatasetConversation *c,
             gpointer                 data,
             char                   **why)
{
  const HoneCleanOptions *options = data;
  guint tokens = tokens_of_words (c->n_words);

  if (options->min_tokens > 0 && tokens < options->min_tokens)
    *why = g_strdup_printf ("too short (about %u tokens)", tokens);
  else if (options->max_tokens > 0 && tokens > options->max_tokens)
    *why = g_strdup_printf ("too long (about %u tokens)", tokens);
  return *why == NULL;
}

static char *
exact_key (HoneDatasetConversation *c)
{
  GString *key = g_string_new (NULL);

  for (guint j = 0; j < c->messages->len; j++)
    {
      HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
      g_string_append_c (key, '0' + m->role);
      g_string_append (key, m->text);
      g_string_append_c (key, '\x1e');
    }
  return g_string_free (key, FALSE);
}

/* The words of @c for near-duplicate detection, hashed: letters folded to lower case,
 * digits to 0, each emoji a word, everything else a word break; each message starts
 * with a word for its role, so the turns count too. */
static void
near_words (HoneDatasetConversation *c,
            GArray                  *words,
            GString                 *word)
{
  g_array_set_size (words, 0);
  for (guint j = 0; j < c->messages->len; j++)
    {
      HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
      char role[2] = { '\x01', (char) ('0' + m->role) };
      guint64 h = hone_near_dup_hash_word (role, 2);

      g_array_append_val (words, h);
      g_string_truncate (word, 0);
      for (const char *p = m->text;; p = g_utf8_next_char (p))
        {
          gunichar ch = g_utf8_get_char (p);

          if (ch != 0 && ch < 0x80 && g_ascii_isalpha (ch))
            g_string_append_c (word, g_ascii_tolower (ch));
          else if (ch != 0 && ch < 0x80 && g_ascii_isdigit (ch))
            g_string_append_c (word, '0');
          else if (ch >= 0x80 && g_unichar_isalnum (ch))
            g_string_append_unichar (word, g_unichar_tolower (ch));
          else if (ch >= 0x80 && (g_unichar_ismark (ch) || ch == 0x200d || ch == 0x200e ||
                                  ch == 0xfe0f))
            continue;  /* inside a word */
          else if (ch >= 0x80 && g_unichar_type (ch) == G_UNICODE_OTHER_SYMBOL)
            {
              /* An emoji is a word of its own, so chats of only emoji differ too. */
              if (word->len > 0)
                {
                  h = hone_near_dup_hash_word (word->str, word->len);
                  g_array_append_val (words, h);
                  g_string_truncate (word, 0);
                }
              g_string_append_unichar (word, ch);
              h = hone_near_dup_hash_word (word->str, word->len);
              g_array_append_val (words, h);
              g_string_truncate (word, 0);
            }
          else
            {
              if (word->len > 0)
                {
                  h = hone_near_dup_hash_word (word->str, word->len);
                  g_array_append_val (words, h);
                  g_string_truncate (word, 0);
                }
              if (ch == 0)
                break;
            }
        }
    }
}

/* Drops conversations whose word 3-grams overlap an earlier kept one's by at least
 * @threshold (Jaccard), found through MinHash and LSH; the first of each group stays. */
static void
drop_near_duplicates (HoneDatasetView *view,
                      guint            n_preview,
                      double           threshold)
{
  g_autoptr(HoneNearDup) index = hone_near_dup_new (threshold);
  g_autoptr(GArray) kept_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GString) word = g_string_new (NULL);
  guint w = 0;

  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      double similarity = 0;
      int first;

      near_words (c, words, word);
      first = hone_near_dup_add (index, (const guint64 *) words->data, words->len, &similarity);
      if (first < 0)
        {
          g_array_append_val (kept_ids, c->conversation_id);
          view->conversations->pdata[w++] = c;
          continue;
        }
      add_preview (view, HONE_CLEAN_STEP_NEAR_DUPLICATES, n_preview,
                   "conversation %" G_GINT64_FORMAT ": %.0f%% like conversation %" G_GINT64_FORMAT,
                   c->conversation_id, 100 * similarity,
                   g_array_index (kept_ids, gint64, first));
      conversation_free (c);
    }
  truncate_moved (view->conversations, w, (GDestroyNotify) conversation_free);
}

static void
drop_duplicates (HoneDatasetView *view,
                 HoneCleanStep    step,
                 guint            n_preview,
                 char          *(*make_key) (HoneDatasetConversation *c))
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) conversation_free);
  guint w = 0;

  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      char *key = make_key (c);
      gpointer first = NULL;

      if (!g_hash_table_lookup_extended (seen, key, NULL, &first))
        {
          g_hash_table_insert (seen, key, c);
          view->conversations->pdata[w++] = c;
          continue;
        }
      add_preview (view, step, n_preview,
                   "conversation %" G_GINT64_FORMAT ": the same as conversation %" G_GINT64_FORMAT,
                   c->conversation_id, ((HoneDatasetConversation *) first)->conversation_id);
      g_free (key);
      /* freed after the loop: @seen's values point at kept conversations only, but
       * keep the order of frees simple */
      g_ptr_array_add (dropped, c);
    }
  truncate_moved (view->conversations, w, (GDestroyNotify) conversation_free);
}

static gboolean
piece_matches (const HoneDatasetConversation *c,
               const GRegex                  *regex)
{
  for (guint j = 0; j < c->messages->len; j++)
    if (g_regex_match (regex, ((HoneDatasetMessage *) g_ptr_array_index (c->messages, j))->text,
                       0, NULL))
      return TRUE;
  return FALSE;
}

/* Tags of the stored conversations onto the view's conversations. A piece of a
 * conversation split on a time gap gets a tag its rule put there only when its own
 * text matches the rule (before scrubbing); hand tags go on every piece. */
static void
assign_tags (HoneDatasetView *view,
             Context         *ctx)
{
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      GArray *list = g_hash_table_lookup (ctx->tags, &c->conversation_id);
      gboolean split = list != NULL && g_hash_table_contains (ctx->split, &c->conversation_id);

      for (guint t = 0; list != NULL && t < list->len; t++)
        {
          const TagRef *ref = &g_array_index (list, TagRef, t);
          GRegex *regex = split && ref->by_rule ? g_hash_table_lookup (ctx->rules, &ref->id) : NULL;

          if (regex == NULL || piece_matches (c, regex))
            g_array_append_val (c->tags, ref->id);
        }
    }
}

static void
scrub (HoneDatasetView *view,
       guint            n_preview)
{
  g_autoptr(HoneScrubber) scrubber = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint kinds = view->options.scrub_kinds;

  if (view->options.scrub_names)
    {
      kinds |= HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME);
      for (guint i = 0; i < view->conversations->len; i++)
        {
          HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
          for (guint j = 0; j < c->messages->len; j++)
            {
              HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
              if (m->role != HONE_ROLE_ASSISTANT && m->role != HONE_ROLE_SYSTEM &&
                  g_hash_table_add (seen, m->speaker))
                g_ptr_array_add (names, m->speaker);
            }
        }
    }
  else
    kinds &= ~HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME);
  g_ptr_array_add (names, NULL);
  scrubber = hone_scrubber_new (kinds, (const char * const *) names->pdata);

  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      for (guint j = 0; j < c->messages->len; j++)
        {
          HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          g_autoptr(GArray) found = hone_scrubber_find (scrubber, m->text);
          GString *out;
          gsize at = 0;

          if (found->len == 0)
            continue;
          /* Replace, and keep where each placeholder lands for the viewer. */
          out = g_string_sized_new (strlen (m->text));
          m->scrubbed = g_array_sized_new (FALSE, FALSE, sizeof (HoneScrubSpan), found->len);
          for (guint k = 0; k < found->len; k++)
            {
              const HoneScrubSpan *span = &g_array_index (found, HoneScrubSpan, k);
              HoneScrubSpan placed = { span->kind, 0, 0 };

              g_string_append_len (out, m->text + at, span->start - at);
              placed.start = out->len;
              g_string_append (out, hone_scrub_kind_placeholder (span->kind));
              placed.end = out->len;
              g_array_append_val (m->scrubbed, placed);
              view->scrub_counts[span->kind]++;
              at = span->end;
            }
          g_string_append (out, m->text + at);
          m->n_scrubbed = found->len;
          if (view->steps[HONE_CLEAN_STEP_SCRUB].preview->len < n_preview)
            {
              g_autofree char *a = snippet (m->text);
              g_autofree char *b = snippet (out->str);
              add_preview (view, HONE_CLEAN_STEP_SCRUB, n_preview,
                           "conversation %" G_GINT64_FORMAT ": “%s” → “%s”",
                           c->conversation_id, a, b);
            }
          g_free (m->text);
          m->text = g_string_free (out, FALSE);
        }
    }
}

static void
count_words_all (HoneDatasetView *view)
{
  for (guint i = 0; i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      c->n_words = 0;
      for (guint j = 0; j < c->messages->len; j++)
        c->n_words += count_words (((HoneDatasetMessage *) g_ptr_array_index (c->messages, j))->text);
    }
}

static const char media_pattern[] =
  "(?i)^\\x{200e}?(?:<\\s*(?:media omitted|medien ausgeschlossen|médias omis|fichier omis|"
  "attached:[^>]*|angehängt:[^>]*|pièce jointe:[^>]*)\\s*>|"
  "(?:image|video|audio|sticker|gif|document|contact card|photo) omitted|"
  "(?:bild|video|audio|sticker|gif|dokument|kontaktkarte) weggelassen|"
  "(?:image|vidéo|audio|autocollant|gif|document|fiche contact|photo) absente?|"
  "(?:image|vidéo|audio|gif|document) omise?)$";

static const char deleted_pattern[] =
  "(?i)^\\x{200e}?(?:this message was deleted|you deleted this message|"
  "this message has been deleted|message deleted|"
  "diese nachricht wurde gelöscht|du hast diese nachricht gelöscht|nachricht gelöscht|"
  "ce message a été supprimé|vous avez supprimé ce message|message supprimé)\\.?$";

HoneDatasetView *
hone_dataset_view_build (HoneProject             *project,
                         gint64                   dataset_id,
                         const HoneCleanOptions  *options,
                         guint                    n_preview,
                         HoneProgressFunc         progress,
                         gpointer                 progress_data,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(HoneDatasetView) view = g_new0 (HoneDatasetView, 1);
  Context ctx = { 0 };
  HoneCleanOptions *o;
  gboolean ok;

  g_return_val_if_fail (project != NULL, NULL);

  view->dataset_id = dataset_id;
  if (options != NULL)
    view->options = *options;
  else if (!hone_dataset_load_options (project, dataset_id, &view->options, error))
    return NULL;
  o = &view->options;
  view->conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) conversation_free);
  view->tag_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < HONE_CLEAN_N_STEPS; i++)
    view->steps[i].preview = g_ptr_array_new_with_free_func (g_free);

  ctx.pins = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ctx.tags = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                    (GDestroyNotify) g_array_unref);
  ctx.rules = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) g_regex_unref);
  ctx.split = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ctx.media = g_regex_new (media_pattern, G_REGEX_OPTIMIZE, 0, NULL);
  ctx.deleted = g_regex_new (deleted_pattern, G_REGEX_OPTIMIZE, 0, NULL);
  g_assert (ctx.media != NULL && ctx.deleted != NULL);

  {
    gint64 t0 = g_get_monotonic_time ();
    ok = load (project, view, &ctx, progress, progress_data, cancellable, error);
    view->steps[HONE_CLEAN_STEP_LOAD].seconds = (g_get_monotonic_time () - t0) / 1e6;
  }
  for (HoneCleanStep step = 0; ok && step < HONE_CLEAN_N_STEPS; step++)
    {
      HoneCleanStepReport *r = &view->steps[step];
      gint64 t0 = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (step == HONE_CLEAN_STEP_LOAD)
        {
          count_state (view, &r->conversations_before, &r->messages_before);
          r->enabled = TRUE;
        }
      else
        {
          r->conversations_before = view->steps[step - 1].conversations_after;
          r->messages_before = view->steps[step - 1].messages_after;
        }
      switch (step)
        {
        case HONE_CLEAN_STEP_LOAD:
          break;
        case HONE_CLEAN_STEP_DROP_SYSTEM:
          if ((r->enabled = o->drop_system))
            drop_messages (view, &ctx, step, n_preview, is_system);
          break;
        case HONE_CLEAN_STEP_DROP_MEDIA:
          if ((r->enabled = o->drop_media))
            drop_messages (view, &ctx, step, n_preview, is_media);
          break;
        case HONE_CLEAN_STEP_DROP_DELETED:
          if ((r->enabled = o->drop_deleted))
            drop_messages (view, &ctx, step, n_preview, is_deleted);
          break;
        case HONE_CLEAN_STEP_SPLIT_GAP:
          if ((r->enabled = o->split_on_gap && o->gap_hours > 0))
            split_on_gap (view, &ctx, o->gap_hours, n_preview);
          break;
        case HONE_CLEAN_STEP_MERGE:
          if ((r->enabled = o->merge_consecutive))
            merge_consecutive (view, n_preview);
          break;
        case HONE_CLEAN_STEP_BOTH_ROLES:
          if ((r->enabled = o->require_both_roles))
            filter_conversations (view, step, n_preview, keep_both_roles, NULL);
          break;
        case HONE_CLEAN_STEP_LENGTH:
          count_words_all (view);
          if ((r->enabled = o->min_tokens > 0 || o->max_tokens > 0))
            filter_conversations (view, step, n_preview, keep_length, o);
          break;
        case HONE_CLEAN_STEP_DUPLICATES:
          if ((r->enabled = o->drop_duplicates))
            drop_duplicates (view, step, n_preview, exact_key);
          break;
        case HONE_CLEAN_STEP_NEAR_DUPLICATES:
          if ((r->enabled = o->drop_near_duplicates))
            drop_near_duplicates (view, n_preview, o->near_duplicate_threshold);
          break;
        case HONE_CLEAN_STEP_SCRUB:
          assign_tags (view, &ctx);
          if ((r->enabled = o->scrub))
            {
              scrub (view, n_preview);
              count_words_all (view);
            }
          break;
        case HONE_CLEAN_N_STEPS:
        default:
          g_assert_not_reached ();
        }
      count_state (view, &r->conversations_after, &r->messages_after);
      r->seconds += (g_get_monotonic_time () - t0) / 1e6;
      if (progress != NULL)
        progress (0.5 + 0.5 * (step + 1) / HONE_CLEAN_N_STEPS, progress_data);
    }

  /* Split and tags */
  for (guint i = 0; ok && i < view->conversations->len; i++)
    {
      HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      c->pinned = g_hash_table_contains (ctx.pins, &c->conversation_id);
      c->split = c->pinned ? HONE_SPLIT_VALIDATION
                           : hone_split_assign (c->identity, o->split_seed, o->validation_fraction);
    }

  g_hash_table_unref (ctx.pins);
  g_hash_table_unref (ctx.tags);
  g_hash_table_unref (ctx.rules);
  g_hash_table_unref (ctx.split);
  g_regex_unref (ctx.media);
  g_regex_unref (ctx.deleted);
  return ok ? g_steal_pointer (&view) : NULL;
}
