/* hone-cli-bench.c — hone-cli bench import: import speed and memory on generated exports.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each import runs in a child process so that its peak memory (ru_maxrss from wait4)
 * is its own, not the generator's.
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "data/hone-import.h"
#include "hone-cli-private.h"

static const char *words[] = {
  "hello", "order", "plant", "tomorrow", "thanks", "soil", "water", "leaves", "delivery",
  "refund", "great", "sunny", "window", "pot", "repot", "fern", "monstera", "yellow",
  "question", "price", "shipping", "the", "a", "is", "my", "your", "can", "we", "meet",
  "at", "six", "ok", "sure", "maybe", "😀", "🌿", "café", "über", "naïve", "ça",
};

static const char *authors[] = { "Anna Schmidt", "Ben Okafor", "Chloé Martin", "+1 (503) 555-0148" };

static void
append_sentence (GString *out,
                 GRand   *rand,
                 gboolean json)
{
  int n = g_rand_int_range (rand, 3, 18);

  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  if (g_rand_int_range (rand, 0, 10) == 0)
    g_string_append (out, json ? "\\nand one more line" : "\nand one more line");
}

/* Moves *@t on by 5 s to 10 minutes, the pace of the generated chats. */
static void
advance_time (GDateTime **t,
              GRand      *rand)
{
  GDateTime *next = g_date_time_add_seconds (*t, g_rand_int_range (rand, 5, 600));

  g_date_time_unref (*t);
  *t = next;
}

/* Writes @out to @dir/@name; returns its path, or NULL with @error set. */
static char *
write_export (const char  *dir,
              const char  *name,
              GString     *out,
              GError     **error)
{
  char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, out->str, out->len, error))
    g_clear_pointer (&path, g_free);
  return path;
}

static char *
write_whatsapp (const char *dir,
                guint       n_messages,
                GError    **error)
{
  g_autoptr(GString) out = g_string_sized_new (n_messages * 80);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GDateTime) t = g_date_time_new_utc (2021, 1, 1, 8, 0, 0);

  g_string_append (out, "1/1/21, 8:00 AM - Messages and calls are end-to-end encrypted. "
                        "No one outside of this chat can read them.\n");
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *stamp = NULL;

      advance_time (&t, rand);
      stamp = g_date_time_format (t, "%-m/%-d/%y, %-l:%M %p");
      g_string_append_printf (out, "%s - %s: ", stamp,
                              authors[g_rand_int_range (rand, 0, G_N_ELEMENTS (authors))]);
      if (g_rand_int_range (rand, 0, 50) == 0)
        g_string_append (out, "<Media omitted>");
      else
        append_sentence (out, rand, FALSE);
      g_string_append_c (out, '\n');
    }
  return write_export (dir, "WhatsApp Chat with Anna.txt", out, error);
}

static char *
write_telegram (const char *dir,
                guint       n_messages,
                GError    **error)
{
  g_autoptr(GString) out = g_string_sized_new (n_messages * 300);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GDateTime) t = g_date_time_new_utc (2021, 1, 1, 8, 0, 0);

  g_string_append (out, "{\n \"name\": \"Anna Schmidt\",\n \"type\": \"personal_chat\",\n"
                        " \"id\": 4815162342,\n \"messages\": [\n");
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *stamp = NULL;
      g_autofree char *sentence = NULL;
      const char *author;
      gsize sentence_start;

      advance_time (&t, rand);
      stamp = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
      author = authors[g_rand_int_range (rand, 0, 2)];
      g_string_append_printf (out,
                              "  {\n   \"id\": %u,\n   \"type\": \"message\",\n"
                              "   \"date\": \"%s\",\n   \"date_unixtime\": \"%" G_GINT64_FORMAT
                              "\",\n   \"from\": \"%s\",\n   \"from_id\": \"user%d\",\n"
                              "   \"text\": \"",
                              i + 1, stamp, g_date_time_to_unix (t), author,
                              author == authors[0] ? 1 : 2);
      /* As Telegram Desktop writes it: the text, then the same text as entities. */
      sentence_start = out->len;
      append_sentence (out, rand, TRUE);
      sentence = g_strndup (out->str + sentence_start, out->len - sentence_start);
      g_string_append_printf (out, "\",\n   \"text_entities\": [\n    {\n     \"type\": \"plain\",\n"
                              "     \"text\": \"%s\"\n    }\n   ]\n  }", sentence);
      g_string_append (out, i + 1 < n_messages ? ",\n" : "\n");
    }
  g_string_append (out, " ]\n}\n");
  return write_export (dir, "result.json", out, error);
}

typedef struct
{
  double read_s;
  double store_s;
  guint  n_messages;
  int    ok;
} ChildResult;

/* In the child: read and store one export, report timings through @fd. */
static int
child_import (const char *path,
              const char *project_dir,
              int         fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(HoneProject) project = NULL;
  ChildResult result = { 0 };
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  log = hone_import_read_path (path, NULL, NULL, &error);
  t1 = g_get_monotonic_time ();
  if (log != NULL)
    project = hone_project_create (project_dir, &error);
  if (project != NULL && hone_project_add_source (project, path, log, NULL, NULL, NULL, &error) > 0)
    result.ok = 1;
  t2 = g_get_monotonic_time ();

  if (error != NULL)
    fprintf (stderr, "hone-cli: %s\n", error->message);
  result.read_s = (t1 - t0) / 1e6;
  result.store_s = (t2 - t1) / 1e6;
  result.n_messages = log != NULL ? hone_chatlog_count_messages (log) : 0;
  if (write (fd, &result, sizeof result) != sizeof result)
    return 1;
  return result.ok ? 0 : 1;
}

static gboolean
bench_one (const char *label,
           const char *path,
           const char *project_dir)
{
  ChildResult result = { 0 };
  struct rusage usage = { 0 };
  int fds[2];
  int wstatus = 0;
  pid_t pid;
  double total;

  if (pipe (fds) != 0)
    return FALSE;
  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      close (fds[0]);
      _exit (child_import (path, project_dir, fds[1]));
    }
  close (fds[1]);
  if (read (fds[0], &result, sizeof result) != sizeof result)
    result.ok = 0;
  close (fds[0]);
  while (wait4 (pid, &wstatus, 0, &usage) < 0 && errno == EINTR)
    ;
  if (!result.ok || !WIFEXITED (wstatus) || WEXITSTATUS (wstatus) != 0)
    {
      printf ("%-9s failed\n", label);
      return FALSE;
    }

  total = result.read_s + result.store_s;
  printf ("%-9s %8u messages  read %6.3f s  store %6.3f s  total %6.3f s  "
          "%9.0f messages/s  peak %5.1f MB  %s\n",
          label, result.n_messages, result.read_s, result.store_s, total,
          result.n_messages / total, usage.ru_maxrss / 1024.0,
          total < 3.0 && usage.ru_maxrss < 300 * 1024 ? "(goal met: < 3 s, < 300 MB)"
                                                       : "(goal: < 3 s, < 300 MB)");
  return TRUE;
}

static int
bench_import (guint       n_messages,
              const char *keep_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *whatsapp = NULL;
  g_autofree char *telegram = NULL;
  g_autofree char *wa_project = NULL;
  g_autofree char *tg_project = NULL;
  gboolean ok;

  tmp = keep_dir != NULL ? g_strdup (keep_dir) : g_dir_make_tmp ("hone-bench-XXXXXX", &error);
  if (tmp == NULL || g_mkdir_with_parents (tmp, 0700) != 0)
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error ? error->message : g_strerror (errno));

  printf ("Generating a %u-message WhatsApp export and a %u-message Telegram JSON in %s\n",
          n_messages, n_messages, tmp);
  whatsapp = write_whatsapp (tmp, n_messages, &error);
  if (whatsapp != NULL)
    telegram = write_telegram (tmp, n_messages, &error);
  if (telegram == NULL)
    return hone_cli_fail_error (error);

  wa_project = g_build_filename (tmp, "whatsapp-project", NULL);
  tg_project = g_build_filename (tmp, "telegram-project", NULL);
  ok = bench_one ("whatsapp", whatsapp, wa_project);
  ok = bench_one ("telegram", telegram, tg_project) && ok;

  if (keep_dir == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
      if (system (cmd) != 0)
        g_printerr ("could not remove %s\n", tmp);
    }
  return ok ? HONE_EXIT_OK : HONE_EXIT_BAD_INPUT;
}

int
hone_cli_bench_import (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("import"));
  g_autofree char *keep = NULL;
  int n_messages = 100000;
  GOptionEntry entries[] = {
    { "messages", 'n', 0, G_OPTION_ARG_INT, &n_messages,
      N_("Messages in each generated export (default 100000)"), N_("N") },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      N_("Write the exports and projects into DIR and keep them"), N_("DIR") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Measure how fast imports are: generates a WhatsApp export and "
                                  "a Telegram JSON, imports each into a new project and prints "
                                  "the time, messages per second and peak memory."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || n_messages <= 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli bench import [--messages N]"));

  return bench_import (n_messages, keep);
}

/* Every benchmark: `hone-cli bench NAME [OPTIONS…]`. Each lives in its own file. */
static const struct
{
  const char     *name;
  HoneCliCommand  run;
  const char     *summary;
} benchmarks[] = {
  { "import", hone_cli_bench_import, N_("Import speed and memory on generated exports") },
  { "kernels", hone_cli_bench_kernels, N_("GPU kernel times at 1B-Llama and small-model shapes") },
  { "dataset", hone_cli_bench_dataset, N_("Roles, cleaning, scrubbing, tags, stats, split and export on 100 000 messages") },
  { "tokenize", hone_cli_bench_tokenize, N_("Tokenizer speed in MB/s beside llama.cpp and HF tokenizers") },
  { "generate", hone_cli_bench_generate, N_("Prefill and decode tokens/s of a model beside llama.cpp") },
};

int
hone_cli_bench (int    argc,
                char **argv)
{
  gboolean help;
  FILE *out;

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (benchmarks); i++)
      if (strcmp (argv[1], benchmarks[i].name) == 0)
        return benchmarks[i].run (argc, argv);

  help = argc >= 2 && strcmp (argv[1], "--help") == 0;
  out = help ? stdout : stderr;
  fprintf (out, _("Usage: hone-cli bench NAME [OPTIONS…]\n\nBenchmarks:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (benchmarks); i++)
    fprintf (out, "  %-10s %s\n", benchmarks[i].name, _(benchmarks[i].summary));
  return help ? HONE_EXIT_OK : HONE_EXIT_USAGE;
}
