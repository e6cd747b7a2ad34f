/* test-kill.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A process importing into a project is killed (SIGKILL) at random moments, over and
 * over, into the same project. After each kill the project must open, be intact, and
 * hold each source whole or not at all.
 */
#define G_LOG_DOMAIN "test-kill"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "data/hone-chatlog.h"
#include "store/hone-project.h"

#include "hone-test-util.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define UNDER_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#  define UNDER_SANITIZER 1
# endif
#endif

#ifdef UNDER_SANITIZER
/* Several times slower there: fewer kills keep it within the test timeout. */
# define N_KILLS 8
#else
# define N_KILLS 24
#endif

#define N_CONVERSATIONS 1000
#define N_PER_CONVERSATION 100
#define N_SMALL 50

/* What the child tells the parent through a pipe, one byte each. */
#define MARK_OPEN     'O'  /* the project is open */
#define MARK_BEGIN    'B'  /* the large import starts */
#define MARK_END      'E'  /* the large import returned: committed */

typedef enum
{
  LANDED_BEFORE,  /* no large import started */
  LANDED_DURING,  /* started, not returned */
  LANDED_AFTER,   /* returned (or the child finished) */
} Landed;

static char *
big_checksum (guint attempt)
{
  return g_strdup_printf ("kill-attempt-%u", attempt);
}

static char *
small_checksum (guint attempt)
{
  return g_strdup_printf ("kill-small-%u", attempt);
}

static HoneChatlog *
make_log (const char *checksum,
          guint       n_conversations,
          guint       n_per_conversation)
{
  static const char *authors[] = { "Anna", "Bruno", "Chidi", "Dana", "Eun-ji", "Farid" };
  HoneChatlog *log = hone_chatlog_new ("kill.txt");
  guint n = 0;

  log->format = HONE_CHAT_FORMAT_WHATSAPP;
  log->checksum = g_strdup (checksum);
  for (guint i = 0; i < n_conversations; i++)
    {
      g_autofree char *title = g_strdup_printf ("Chat %u", i);
      HoneChatConversation *c = hone_chat_conversation_new (title);

      c->n_system = i % 3;
      for (guint j = 0; j < n_per_conversation; j++, n++)
        {
          char time[32];
          char text[96];

          g_snprintf (time, sizeof time, "2024-%02u-%02uT%02u:%02u:%02u",
                      1 + n / 86400 / 28 % 12, 1 + n / 86400 % 28, n / 3600 % 24, n / 60 % 60,
                      n % 60);
          g_snprintf (text, sizeof text, "message %u of chat %u: can I water it less often?", j, i);
          hone_chat_conversation_add (c, authors[(i + j) % G_N_ELEMENTS (authors)], time, text,
                                      j % 40 == 39);
        }
      hone_chatlog_take_conversation (log, c);
    }
  return log;
}

static void
mark (int  fd,
      char what)
{
  while (write (fd, &what, 1) < 0 && errno == EINTR)
    ;
}

static gboolean
is_big (const char *checksum)
{
  return g_str_has_prefix (checksum, "kill-attempt-");
}

/* The child: builds its logs, opens the project, removes the large sources of earlier
 * attempts but the latest (so the project stays a few of them big, and removals are
 * killed too), imports a small source and then the large one. Exits 0 when all went
 * well; never returns. */
static void
run_child (const char *dir,
           guint       attempt,
           int         fd)
{
  g_autofree char *big = big_checksum (attempt);
  g_autofree char *small = small_checksum (attempt);
  g_autoptr(HoneChatlog) big_log = make_log (big, N_CONVERSATIONS, N_PER_CONVERSATION);
  g_autoptr(HoneChatlog) small_log = make_log (small, 5, N_SMALL / 5);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  HoneProject *project;
  gint64 latest = 0;

  project = hone_project_open (dir, &error);
  if (project == NULL)
    goto fail;
  mark (fd, MARK_OPEN);

  sources = hone_project_list_sources (project, &error);
  if (sources == NULL)
    goto fail;
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);
      if (is_big (info->checksum))
        latest = info->id;
    }
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);
      if (is_big (info->checksum) && info->id != latest &&
          !hone_project_remove_source (project, info->id, &error))
        goto fail;
    }

  if (hone_project_add_source (project, "small.txt", small_log, NULL, NULL, NULL, &error) == 0)
    goto fail;

  mark (fd, MARK_BEGIN);
  if (hone_project_add_source (project, "big.txt", big_log, NULL, NULL, NULL, &error) == 0)
    goto fail;
  mark (fd, MARK_END);

  /* Closing the last connection checkpoints the WAL: a kill can land there too. */
  hone_project_free (project);
  _exit (0);

fail:
  g_printerr ("child %u: %s\n", attempt, error->message);
  _exit (1);
}

/* Waits up to @timeout_ms for one byte from @fd; returns it, or 0. */
static char
read_mark (int fd,
           int timeout_ms)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  char c = 0;

  if (poll (&pfd, 1, timeout_ms) == 1 && read (fd, &c, 1) == 1)
    return c;
  return 0;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           gint64      arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Opens the project the way the app would, and checks it from top to bottom. Returns
 * whether the source of @checksum is there (whole: anything partial fails). */
static gboolean
check_project (const char *dir,
               const char *checksum,
               guint       n_conversations,
               guint       n_messages,
               GHashTable *committed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_project_open (dir, &error);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 sum_messages = 0;
  gint64 sum_conversations = 0;
  gboolean found = FALSE;
  guint n_big = 0;

  g_assert_no_error (error);
  g_assert_nonnull (project);
  db = hone_project_get_db (project);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check", 0), ==, 0);

  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sources->len; i++)
    {
      const HoneSourceInfo *info = g_ptr_array_index (sources, i);

      /* Every source whole: its rows are what its counts say. */
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM conversations WHERE source_id = ?1",
                                  info->id), ==, info->n_conversations);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages AS m "
                                      "JOIN conversations AS c ON c.id = m.conversation_id "
                                      "WHERE c.source_id = ?1", info->id), ==, info->n_messages);
      g_assert_nonnull (info->first_time);
      g_assert_cmpuint (g_strv_length (info->participants), >, 0);
      sum_messages += info->n_messages;
      sum_conversations += info->n_conversations;
      g_hash_table_add (present, info->checksum);

      if (g_strcmp0 (info->checksum, checksum) == 0)
        {
          found = TRUE;
          g_assert_cmpuint (info->n_conversations, ==, n_conversations);
          g_assert_cmpuint (info->n_messages, ==, n_messages);
        }
    }
  /* And nothing that belongs to no source. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM messages", 0), ==, sum_messages);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM conversations", 0), ==, sum_conversations);

  /* What was committed before stays: every small source, and a large one (the children
   * keep the latest). */
  g_hash_table_iter_init (&iter, committed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_error ("%s was committed but is gone", (const char *) key);
  g_hash_table_iter_init (&iter, present);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (is_big (key))
        n_big++;
      else
        g_hash_table_add (committed, g_strdup (key));
    }
  g_assert_cmpuint (n_big, >=, 1);
  g_assert_cmpuint (n_big, <=, 2);

  return found;
}

typedef struct
{
  double setup_s;   /* fork to the start of the large import */
  double import_s;  /* the large import */
} Timing;

/* One child, killed @delay_s after @from_begin ? the start of its large import : its
 * start (negative: never). Returns where the kill landed. */
static Landed
run_attempt (const char *dir,
             guint       attempt,
             gboolean    from_begin,
             double      delay_s,
             Timing     *timing)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  gboolean began = FALSE;
  gboolean ended = FALSE;
  int fds[2];
  int status = 0;
  pid_t pid;
  char c;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      run_child (dir, attempt, fds[1]);
    }
  close (fds[1]);

  if (delay_s < 0)
    {
      /* Not killed: measure the phases. */
      while ((c = read_mark (fds[0], 60000)) != 0)
        {
          if (c == MARK_BEGIN)
            timing->setup_s = g_timer_elapsed (timer, NULL);
          else if (c == MARK_END)
            timing->import_s = g_timer_elapsed (timer, NULL) - timing->setup_s;
        }
    }
  else
    {
      if (from_begin)
        {
          while ((c = read_mark (fds[0], 60000)) != MARK_BEGIN)
            g_assert_cmpint (c, !=, 0);
          began = TRUE;
        }
      g_usleep ((gulong) (delay_s * G_USEC_PER_SEC));
      kill (pid, SIGKILL);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFEXITED (status))
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  else
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  /* Whatever the child wrote before it died. */
  while ((c = read_mark (fds[0], 0)) != 0)
    {
      began |= c == MARK_BEGIN;
      ended |= c == MARK_END;
    }
  close (fds[0]);

  if (ended || WIFEXITED (status))
    return LANDED_AFTER;
  return began ? LANDED_DURING : LANDED_BEFORE;
}

static void
test_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GTimer) total = g_timer_new ();
  g_autoptr(GHashTable) committed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-kill-XXXXXX");
  g_autofree char *dir = g_build_filename (tmp, "project", NULL);
  guint landed[3] = { 0, 0, 0 };
  guint present[3] = { 0, 0, 0 };
  Timing timing = { 0, 0 };
  guint n_messages = N_CONVERSATIONS * N_PER_CONVERSATION;

  project = hone_project_create (dir, &error);
  g_assert_no_error (error);
  g_clear_pointer (&project, hone_project_free);

  /* Attempt 0 runs to the end, to time the phases the kills are spread over. */
  g_assert_cmpint (run_attempt (dir, 0, FALSE, -1, &timing), ==, LANDED_AFTER);
  {
    g_autofree char *big = big_checksum (0);
    g_assert_true (check_project (dir, big, N_CONVERSATIONS, n_messages, committed));
  }
  g_assert_cmpfloat (timing.import_s, >, 0);
  g_test_message ("one attempt: %.3f s to the large import, %.3f s for %u messages",
                  timing.setup_s, timing.import_s, n_messages);

  for (guint attempt = 1; attempt <= N_KILLS; attempt++)
    {
      g_autofree char *big = big_checksum (attempt);
      gboolean from_begin = attempt % 4 != 0;
      double delay;
      Landed where;
      gboolean found;

      /* Mostly spread over the large import and a little past it (the commit and the
       * checkpoint on close); every fourth over the whole life of the child (opening
       * and WAL recovery, removing a large source, the small import). */
      if (from_begin)
        delay = g_test_rand_double_range (0, timing.import_s * 1.3);
      else
        delay = g_test_rand_double_range (0, timing.setup_s + timing.import_s * 1.5);

      where = run_attempt (dir, attempt, from_begin, delay, &timing);
      found = check_project (dir, big, N_CONVERSATIONS, n_messages, committed);

      if (where == LANDED_AFTER)
        g_assert_true (found);
      if (where == LANDED_BEFORE)
        g_assert_false (found);
      landed[where]++;
      present[where] += found ? 1 : 0;
    }

  g_test_message ("%u kills: %u before the large import, %u during it (%u of them already "
                  "committed), %u after it; %.1f s in all",
                  N_KILLS, landed[LANDED_BEFORE], landed[LANDED_DURING], present[LANDED_DURING],
                  landed[LANDED_AFTER], g_timer_elapsed (total, NULL));
  g_assert_cmpuint (landed[LANDED_DURING], >, 0);

  hone_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/store/kill", test_kill);

  return g_test_run ();
}
