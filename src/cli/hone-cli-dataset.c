/* hone-cli-dataset.c — hone-cli roles, clean, scrub, scrub-text, tag, stats, split,
 * dataset export, undo and changes: from imported messages to a training set.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "data/hone-dataset.h"
#include "hone-cli-private.h"

static const char *
role_label (HoneRole role)
{
  return role == HONE_ROLE_NONE ? "—" : hone_role_to_string (role);
}

/* Adds --dataset NAME to @context; *@name stays NULL when not given. */
static void
add_dataset_option (GOptionContext  *context,
                    char           **name)
{
  /* GLib copies the entries. */
  GOptionEntry entries[] = {
    { "dataset", 0, 0, G_OPTION_ARG_STRING, name,
      N_("Work on the data set NAME, made when new, over every source (default: “default”; "
         "speaker roles, tags and the change record are shared by all data sets)"), N_("NAME") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Opens the project and the dataset @name (NULL: "default"), made when new. */
static HoneProject *
open_dataset (const char *dir,
              const char *name,
              gint64     *dataset,
              int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = hone_cli_open_project (dir, status);

  if (project == NULL)
    return NULL;
  *dataset = hone_dataset_ensure (project, name != NULL ? name : "default", &error);
  if (*dataset == 0)
    {
      *status = g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                ? hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message)
                : hone_cli_fail_error (error);
      return NULL;
    }
  return g_steal_pointer (&project);
}

/* @s padded with spaces to @width characters (printf pads bytes, not characters). */
static char *
pad (const char *s,
     guint       width)
{
  glong n = g_utf8_strlen (s, -1);
  GString *out = g_string_new (s);

  for (glong i = n; i < (glong) width; i++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  char *end = NULL;

  *id = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0' && *id > 0;
}

/* Opens the project, the dataset @name (NULL: "default") and its settings. */
static HoneProject *
open_options (const char       *dir,
              const char       *name,
              gint64           *dataset,
              HoneCleanOptions *options,
              int              *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = open_dataset (dir, name, dataset, status);

  if (project == NULL)
    return NULL;
  if (!hone_dataset_load_options (project, *dataset, options, &error))
    {
      *status = hone_cli_fail_error (error);
      return NULL;
    }
  return g_steal_pointer (&project);
}

/* Prints the JSON document built in @b. */
static int
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  hone_cli_print_json (root, FALSE);
  return HONE_EXIT_OK;
}

/* Adds @member with @value, or with null when @value is NULL. */
static void
add_string_or_null (JsonBuilder *b,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Adds "personal_data": how many of each kind were replaced. */
static void
add_scrub_counts (JsonBuilder *b,
                  const guint *counts)
{
  json_builder_set_member_name (b, "personal_data");
  json_builder_begin_object (b);
  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    {
      json_builder_set_member_name (b, hone_scrub_kind_to_string (k));
      json_builder_add_int_value (b, counts[k]);
    }
  json_builder_end_object (b);
}

/* roles */

int
hone_cli_roles (int    argc,
                char **argv)
{
  gint64 dataset = 0;
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) speakers = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean json = FALSE, guess = FALSE;
  gint64 source = 0;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("Give NAME the ROLE: assistant (the bot’s voice), user, or none (undecided); "
         "may be repeated"), N_("NAME=ROLE") },
    { "source", 0, 0, G_OPTION_ARG_INT64, &source,
      N_("With --set: only in the source with this ID (see “hone-cli sources”)"), N_("ID") },
    { "guess", 0, 0, G_OPTION_ARG_NONE, &guess,
      N_("Give every undecided speaker Hone’s guess"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the speakers as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Choose whose voice the bot learns. The assistant is the bot; "
                                  "everyone else is a user. Without options, lists the speakers "
                                  "with their role and Hone’s guess."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli roles PROJECT [--guess] "
                                             "[--set NAME=ROLE…] [--source ID] [--json]"));
  /* Roles, tags and changes are shared by every data set; a named one is still made. */
  project = dataset_name != NULL ? open_dataset (argv[1], dataset_name, &dataset, &status)
                                 : hone_cli_open_project (argv[1], &status);
  if (project == NULL)
    return status;

  if (guess)
    {
      int n = hone_dataset_guess_roles (project, &error);
      if (n < 0)
        return hone_cli_fail_error (error);
      if (!json)
        printf (ngettext ("Gave %d speaker Hone’s guess.\n", "Gave %d speakers Hone’s guess.\n", n), n);
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strrchr (sets[i], '=');
      g_autofree char *name = NULL;
      HoneRole role;

      if (eq == NULL || eq == sets[i])
        return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not NAME=ROLE"), sets[i]);
      name = g_strndup (sets[i], eq - sets[i]);
      role = hone_role_from_string (eq + 1);
      if ((role == HONE_ROLE_NONE && g_ascii_strcasecmp (eq + 1, "none") != 0) ||
          role == HONE_ROLE_SYSTEM)
        return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a role: use assistant, user or none"),
                              eq + 1);
      if (!hone_dataset_set_role (project, name, source, role, &error))
        return hone_cli_fail_error (error);
      if (!json)
        printf (_("%s: %s\n"), name, role_label (role));
    }

  speakers = hone_dataset_list_speakers (project, &error);
  if (speakers == NULL)
    return hone_cli_fail_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < speakers->len; i++)
        {
          const HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, info->name);
          json_builder_set_member_name (b, "role");
          if (info->role == HONE_ROLE_NONE)
            json_builder_add_null_value (b);
          else
            json_builder_add_string_value (b, hone_role_to_string (info->role));
          if (info->source_id != 0)
            {
              json_builder_set_member_name (b, "source");
              json_builder_add_int_value (b, info->source_id);
            }
          else
            {
              json_builder_set_member_name (b, "guess");
              json_builder_add_string_value (b, hone_role_to_string (info->guess));
              json_builder_set_member_name (b, "messages");
              json_builder_add_int_value (b, info->n_messages);
              json_builder_set_member_name (b, "conversations");
              json_builder_add_int_value (b, info->n_conversations);
              add_string_or_null (b, "marked", info->marked == HONE_ROLE_NONE
                                                 ? NULL : hone_role_to_string (info->marked));
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      return print_json (b);
    }

  printf (_("%-28s %-10s %-10s %9s %14s\n"), _("Speaker"), _("Role"), _("Guess"), _("Messages"),
          _("Conversations"));
  for (guint i = 0; i < speakers->len; i++)
    {
      const HoneSpeakerInfo *info = g_ptr_array_index (speakers, i);
      g_autofree char *name = pad (info->name, 28);
      g_autofree char *role = pad (role_label (info->role), 10);
      g_autofree char *guessed = pad (role_label (info->guess), 10);

      if (info->source_id != 0)
        printf (_("%s %s (in source %" G_GINT64_FORMAT " only)\n"), name, role, info->source_id);
      else
        printf ("%s %s %s %9u %14u\n", name, role, guessed, info->n_messages, info->n_conversations);
    }
  return HONE_EXIT_OK;
}

/* clean and scrub */

static void
print_view (const HoneDatasetView *view,
            gboolean               show_preview)
{
  for (HoneCleanStep step = 0; step < HONE_CLEAN_N_STEPS; step++)
    {
      const HoneCleanStepReport *r = &view->steps[step];

      printf ("%-16s %-3s %7u → %-7u conversations %9u → %-9u messages  %s\n",
              hone_clean_step_name (step), r->enabled ? _("on") : _("off"),
              r->conversations_before, r->conversations_after, r->messages_before,
              r->messages_after, _(hone_clean_step_description (step)));
      for (guint i = 0; show_preview && i < r->preview->len; i++)
        printf ("                   %s\n", (const char *) g_ptr_array_index (r->preview, i));
    }
  if (view->options.scrub)
    {
      printf (_("Personal data replaced:"));
      for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
        printf (" %s %u", hone_scrub_kind_placeholder (k), view->scrub_counts[k]);
      printf ("\n");
    }
}

static JsonNode *
view_json (const HoneDatasetView *view)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *options = hone_clean_options_to_json (&view->options);
  g_autoptr(JsonNode) options_node = json_from_string (options, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "settings");
  json_builder_add_value (b, g_steal_pointer (&options_node));
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (HoneCleanStep step = 0; step < HONE_CLEAN_N_STEPS; step++)
    {
      const HoneCleanStepReport *r = &view->steps[step];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "step");
      json_builder_add_string_value (b, hone_clean_step_name (step));
      json_builder_set_member_name (b, "enabled");
      json_builder_add_boolean_value (b, r->enabled);
      json_builder_set_member_name (b, "conversations_before");
      json_builder_add_int_value (b, r->conversations_before);
      json_builder_set_member_name (b, "conversations_after");
      json_builder_add_int_value (b, r->conversations_after);
      json_builder_set_member_name (b, "messages_before");
      json_builder_add_int_value (b, r->messages_before);
      json_builder_set_member_name (b, "messages_after");
      json_builder_add_int_value (b, r->messages_after);
      json_builder_set_member_name (b, "preview");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->preview->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->preview, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_scrub_counts (b, view->scrub_counts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Builds the view with @options, prints it, and saves @options unless @dry_run. */
static int
show_and_save (HoneProject            *project,
               gint64                  dataset,
               const HoneCleanOptions *options,
               gboolean                changed,
               gboolean                dry_run,
               guint                   n_preview,
               gboolean                json,
               const char             *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneDatasetView) view = hone_dataset_view_build (project, dataset, options, n_preview,
                                                             NULL, NULL, NULL, &error);

  if (view == NULL)
    return hone_cli_fail_error (error);
  if (json)
    {
      g_autoptr(JsonNode) root = view_json (view);

      hone_cli_print_json (root, FALSE);
    }
  else
    print_view (view, n_preview > 0);
  if (changed && !dry_run)
    {
      if (!hone_dataset_save_options (project, dataset, options, summary, &error))
        return hone_cli_fail_error (error);
      if (!json)
        printf (_("Saved. “hone-cli undo PROJECT” takes it back.\n"));
    }
  else if (changed && !json)
    printf (_("Nothing saved (--dry-run).\n"));
  return HONE_EXIT_OK;
}

int
hone_cli_clean (int    argc,
                char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean dry_run = FALSE, json = FALSE, defaults = FALSE;
  int n_preview = 3;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  HoneCleanOptions options;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("Change a setting; may be repeated. Settings: drop_system, drop_media, drop_deleted, "
         "split_on_gap, split_gap_hours, merge_consecutive, require_both_roles, drop_duplicates, "
         "drop_near_duplicates (true/false), near_duplicate_threshold (0 to 1, default 0.8: the "
         "share of three-word runs two conversations must have in common to count as "
         "near-duplicates), min_tokens, max_tokens (0: no limit)"), N_("KEY=VALUE") },
    { "defaults", 0, 0, G_OPTION_ARG_NONE, &defaults, N_("Start from Hone’s default settings"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would change, save nothing"), NULL },
    { "preview", 'p', 0, G_OPTION_ARG_INT, &n_preview,
      N_("Lines of preview per step (default 3, 0: none)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Clean the conversations for training. Nothing imported is "
                                  "changed: cleaning is a view, its settings are stored in the "
                                  "project. Shows each step with the conversations and messages "
                                  "before and after it, and a preview of what it changed."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || n_preview < 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli clean PROJECT [--set KEY=VALUE…] "
                                             "[--dry-run] [--preview N] [--json]"));
  project = open_options (argv[1], dataset_name, &dataset, &options, &status);
  if (project == NULL)
    return status;
  if (defaults)
    {
      HoneCleanOptions d;
      hone_clean_options_init (&d);
      d.scrub = options.scrub;
      d.scrub_kinds = options.scrub_kinds;
      d.scrub_names = options.scrub_names;
      d.validation_fraction = options.validation_fraction;
      d.split_seed = options.split_seed;
      options = d;
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (sets[i], eq - sets[i]) : NULL;

      if (key == NULL)
        return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not KEY=VALUE"), sets[i]);
      if (!hone_clean_options_set (&options, key, eq + 1, &error))
        return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
    }
  return show_and_save (project, dataset, &options, sets != NULL || defaults, dry_run,
                        (guint) n_preview, json, "Changed the cleaning");
}

int
hone_cli_scrub (int    argc,
                char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kinds = NULL;
  gboolean dry_run = FALSE, json = FALSE, off = FALSE, names = FALSE, no_names = FALSE;
  int n_preview = 5;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  HoneCleanOptions options;
  GOptionEntry entries[] = {
    { "kinds", 'k', 0, G_OPTION_ARG_STRING, &kinds,
      N_("What to replace, comma-separated: email, phone, card, iban, url, address "
         "(default: all of them)"), N_("LIST") },
    { "names", 0, 0, G_OPTION_ARG_NONE, &names,
      N_("Also replace the names of the people who are not the bot with [NAME]"), NULL },
    { "no-names", 0, 0, G_OPTION_ARG_NONE, &no_names, N_("Leave names as they are"), NULL },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_("Switch scrubbing off"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Preview only, save nothing"), NULL },
    { "preview", 'p', 0, G_OPTION_ARG_INT, &n_preview,
      N_("Lines of preview (default 5, 0: none)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Replace personal data with placeholders ([EMAIL], [PHONE], "
                                  "[CARD], [IBAN], [URL], [ADDRESS], [NAME]) in the training "
                                  "set. The imported text is kept, so this can be undone. Shows "
                                  "how much was found of each kind and a preview."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || n_preview < 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli scrub PROJECT [--kinds LIST] "
                                             "[--names] [--off] [--dry-run] [--json]"));
  project = open_options (argv[1], dataset_name, &dataset, &options, &status);
  if (project == NULL)
    return status;
  options.scrub = !off;
  if (kinds != NULL && !hone_clean_options_set (&options, "scrub_kinds", kinds, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  if (names)
    options.scrub_names = TRUE;
  if (no_names)
    options.scrub_names = FALSE;
  return show_and_save (project, dataset, &options, TRUE, dry_run, (guint) n_preview, json,
                        off ? "Switched scrubbing off" : "Switched scrubbing on");
}

int
hone_cli_scrub_text (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneScrubber) scrubber = NULL;
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree char *kinds = NULL;
  g_auto(GStrv) names = NULL;
  HoneCleanOptions options;
  guint mask;
  gsize start = 0;
  guint8 buffer[65536];
  ssize_t n;
  GOptionEntry entries[] = {
    { "kinds", 'k', 0, G_OPTION_ARG_STRING, &kinds,
      N_("What to replace, comma-separated (default: email, phone, card, iban, url, address)"),
      N_("LIST") },
    { "name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names,
      N_("Also replace this person’s name with [NAME]; may be repeated"), N_("NAME") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Read UTF-8 text on standard input and write it to standard "
                                  "output with every personal datum replaced by its placeholder, "
                                  "line for line, everything else unchanged."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 1)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli scrub-text [--kinds LIST] [--name NAME…] "
                                             "< IN > OUT"));
  hone_clean_options_init (&options);
  if (kinds != NULL && !hone_clean_options_set (&options, "scrub_kinds", kinds, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  mask = options.scrub_kinds;
  if (names != NULL)
    mask |= HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME);
  scrubber = hone_scrubber_new (mask, (const char * const *) names);

  while ((n = read (STDIN_FILENO, buffer, sizeof buffer)) > 0)
    g_byte_array_append (input, buffer, n);
  if (n < 0)
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, _("could not read standard input: %s"),
                          g_strerror (errno));

  /* Line by line; a line that is not UTF-8 is written as it came. */
  while (start < input->len)
    {
      const guint8 *nl = memchr (input->data + start, '\n', input->len - start);
      gsize end = nl != NULL ? (gsize) (nl - input->data) : input->len;
      g_autofree char *line = g_strndup ((const char *) input->data + start, end - start);
      g_autofree char *out = NULL;

      if (strlen (line) == end - start && g_utf8_validate (line, -1, NULL))
        out = hone_scrubber_apply (scrubber, line, NULL);
      if (out != NULL)
        fputs (out, stdout);
      else
        fwrite (input->data + start, 1, end - start, stdout);
      if (nl != NULL)
        fputc ('\n', stdout);
      start = end + 1;
    }
  return fflush (stdout) == 0 ? HONE_EXIT_OK : HONE_EXIT_BAD_INPUT;
}

/* tag */

/* The share of the tag @name in @stats; NULL when no conversation has it. */
static const HoneTagShare *
find_share (const HoneDatasetStats *stats,
            const char             *name)
{
  const HoneTagShare *share = NULL;

  for (guint j = 0; j < stats->tags->len; j++)
    if (strcmp (((HoneTagShare *) g_ptr_array_index (stats->tags, j))->name, name) == 0)
      share = g_ptr_array_index (stats->tags, j);
  return share;
}

static int
print_balance (HoneProject *project,
               gint64       dataset,
               gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = hone_dataset_list_tags (project, &error);
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetStats) stats = NULL;

  if (tags == NULL)
    return hone_cli_fail_error (error);
  view = hone_dataset_view_build (project, dataset, NULL, 0, NULL, NULL, NULL, &error);
  if (view == NULL)
    return hone_cli_fail_error (error);
  stats = hone_dataset_stats_compute (view);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint i = 0; i < tags->len; i++)
        {
          const HoneTagInfo *info = g_ptr_array_index (tags, i);
          const HoneTagShare *share = find_share (stats, info->name);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, info->name);
          add_string_or_null (b, "rule", info->rule);
          json_builder_set_member_name (b, "conversations");
          json_builder_add_int_value (b, share != NULL ? share->conversations : 0);
          json_builder_set_member_name (b, "share");
          json_builder_add_double_value (b, share != NULL ? share->share : 0);
          json_builder_set_member_name (b, "user_messages");
          json_builder_add_int_value (b, share != NULL ? share->messages[HONE_ROLE_USER] : 0);
          json_builder_set_member_name (b, "assistant_messages");
          json_builder_add_int_value (b, share != NULL ? share->messages[HONE_ROLE_ASSISTANT] : 0);
          json_builder_set_member_name (b, "cap");
          json_builder_add_int_value (b, info->cap);
          json_builder_set_member_name (b, "upsample");
          json_builder_add_int_value (b, info->upsample);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_string_or_null (b, "warning", stats->warning);
      json_builder_end_object (b);
      return print_json (b);
    }

  if (tags->len == 0)
    printf (_("No tags yet. Add one with “hone-cli tag PROJECT add NAME --keywords "
              "'refund|broken|late'”.\n"));
  else
    printf (_("%-20s %14s %7s %10s %10s  %s\n"), _("Tag"), _("Conversations"), _("Share"),
            _("User msgs"), _("Bot msgs"), _("Rule / balance"));
  for (guint i = 0; i < tags->len; i++)
    {
      const HoneTagInfo *info = g_ptr_array_index (tags, i);
      const HoneTagShare *share = find_share (stats, info->name);
      g_autoptr(GString) extra = g_string_new (info->rule != NULL ? info->rule : _("by hand"));

      if (info->cap > 0)
        g_string_append_printf (extra, _("; at most %u in training"), info->cap);
      if (info->upsample > 1)
        g_string_append_printf (extra, _("; each ×%u in training"), info->upsample);
      printf ("%-20s %14u %6.0f%% %10u %10u  %s\n", info->name,
              share != NULL ? share->conversations : 0, share != NULL ? 100 * share->share : 0,
              share != NULL ? share->messages[HONE_ROLE_USER] : 0,
              share != NULL ? share->messages[HONE_ROLE_ASSISTANT] : 0, extra->str);
    }
  if (stats->warning != NULL)
    printf (_("\nWarning: %s\n"), stats->warning);
  return HONE_EXIT_OK;
}

int
hone_cli_tag (int    argc,
              char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT [list | add NAME | set NAME ID… | "
                                                              "remove NAME ID… | balance NAME]"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keywords = NULL;
  g_autofree char *regex = NULL;
  gboolean json = FALSE;
  int cap = 0, upsample = 1;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  const char *action;
  GOptionEntry entries[] = {
    { "keywords", 0, 0, G_OPTION_ARG_STRING, &keywords,
      N_("With add: tag conversations that contain any of these words (any case), e.g. "
         "'refund|broken|late'"), N_("WORDS") },
    { "regex", 0, 0, G_OPTION_ARG_STRING, &regex,
      N_("With add: tag conversations in which this regular expression matches"), N_("REGEX") },
    { "cap", 0, 0, G_OPTION_ARG_INT, &cap,
      N_("With balance: at most N conversations with this tag in training (0: no cap)"), N_("N") },
    { "upsample", 0, 0, G_OPTION_ARG_INT, &upsample,
      N_("With balance: repeat each conversation with this tag N times in training"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the balance report as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Tag conversations, by keywords, by a regular expression or by "
                                  "hand, and keep the tags in balance. “list” (the default) "
                                  "shows each tag’s share and warns when one tag dominates."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc < 2 || cap < 0 || upsample < 1)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli tag PROJECT [list | add NAME --keywords "
                                             "WORDS | add NAME --regex REGEX | set NAME ID… | remove "
                                             "NAME ID… | balance NAME --cap N --upsample N]"));
  project = open_dataset (argv[1], dataset_name, &dataset, &status);
  if (project == NULL)
    return status;
  action = argc >= 3 ? argv[2] : "list";

  if (strcmp (action, "list") == 0 && argc <= 3)
    return print_balance (project, dataset, json);
  if (argc < 4)
    return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” needs a tag name"), action);

  if (strcmp (action, "add") == 0 && argc == 4)
    {
      int n;

      if ((keywords == NULL) == (regex == NULL))
        return hone_cli_fail (HONE_EXIT_USAGE, _("give either --keywords or --regex"));
      n = hone_dataset_tag_by_rule (project, argv[3], keywords != NULL ? keywords : regex,
                                    regex != NULL, NULL, &error);
      if (n < 0)
        return hone_cli_fail_error (error);
      printf (ngettext ("Tagged %d conversation “%s”.\n", "Tagged %d conversations “%s”.\n", n),
              n, argv[3]);
    }
  else if (strcmp (action, "set") == 0 || strcmp (action, "remove") == 0)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (int i = 4; i < argc; i++)
        {
          gint64 id;
          if (!parse_id (argv[i], &id))
            return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a conversation ID"), argv[i]);
          g_array_append_val (ids, id);
        }
      if (ids->len == 0)
        return hone_cli_fail (HONE_EXIT_USAGE, _("give the IDs of the conversations"));
      if (!hone_dataset_tag_conversations (project, argv[3], (gint64 *) ids->data, ids->len,
                                           action[0] == 's', &error))
        return hone_cli_fail_error (error);
      printf (action[0] == 's' ? _("Tagged %u conversations “%s”.\n")
                               : _("Removed “%2$s” from %1$u conversations.\n"), ids->len, argv[3]);
    }
  else if (strcmp (action, "balance") == 0 && argc == 4)
    {
      if (!hone_dataset_set_tag_balance (project, argv[3], cap, upsample, &error))
        return hone_cli_fail_error (error);
    }
  else
    return hone_cli_fail (HONE_EXIT_USAGE, _("unknown tag action “%s”"), action);
  return print_balance (project, dataset, json);
}

/* stats */

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == G_MININT64)
    return NULL;
  dt = g_date_time_new_from_unix_utc (t);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
}

int
hone_cli_stats (int    argc,
                char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(HoneDatasetStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gboolean json = FALSE;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  guint max_bin = 1;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the statistics as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Statistics of the cleaned training set: conversations, messages "
                                  "and words per role, conversation lengths, duplicates, personal "
                                  "data found, time span, split and tags. Token counts are "
                                  "estimated from words until a model is chosen."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli stats PROJECT [--json]"));
  project = open_dataset (argv[1], dataset_name, &dataset, &status);
  if (project == NULL)
    return status;
  view = hone_dataset_view_build (project, dataset, NULL, 0, NULL, NULL, NULL, &error);
  if (view == NULL)
    return hone_cli_fail_error (error);
  stats = hone_dataset_stats_compute (view);
  first = format_time (stats->first_time);
  last = format_time (stats->last_time);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "conversations");
      json_builder_add_int_value (b, stats->conversations);
      json_builder_set_member_name (b, "messages");
      json_builder_add_int_value (b, stats->messages);
      json_builder_set_member_name (b, "tokens_estimate");
      json_builder_add_int_value (b, stats->tokens_estimate);
      json_builder_set_member_name (b, "by_role");
      json_builder_begin_object (b);
      for (HoneRole r = HONE_ROLE_USER; r <= HONE_ROLE_SYSTEM; r++)
        {
          json_builder_set_member_name (b, hone_role_to_string (r));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "messages");
          json_builder_add_int_value (b, stats->messages_by_role[r]);
          json_builder_set_member_name (b, "words");
          json_builder_add_int_value (b, stats->words_by_role[r]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "histogram");
      json_builder_begin_array (b);
      for (guint i = 0; i < HONE_STATS_N_BINS; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "max_tokens");
          if (hone_stats_bin_limits[i] == G_MAXUINT)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, hone_stats_bin_limits[i]);
          json_builder_set_member_name (b, "conversations");
          json_builder_add_int_value (b, stats->histogram[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "duplicates");
      json_builder_add_int_value (b, stats->duplicates);
      add_scrub_counts (b, stats->scrub_counts);
      add_string_or_null (b, "first_time", first);
      add_string_or_null (b, "last_time", last);
      json_builder_set_member_name (b, "train");
      json_builder_add_int_value (b, stats->train);
      json_builder_set_member_name (b, "validation");
      json_builder_add_int_value (b, stats->validation);
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint i = 0; i < stats->tags->len; i++)
        {
          const HoneTagShare *s = g_ptr_array_index (stats->tags, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, s->name);
          json_builder_set_member_name (b, "conversations");
          json_builder_add_int_value (b, s->conversations);
          json_builder_set_member_name (b, "share");
          json_builder_add_double_value (b, s->share);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_string_or_null (b, "warning", stats->warning);
      json_builder_end_object (b);
      return print_json (b);
    }

  printf (_("Conversations   %u (training %u, validation %u)\n"), stats->conversations,
          stats->train, stats->validation);
  printf (_("Messages        %u (about %u tokens)\n"), stats->messages, stats->tokens_estimate);
  printf (_("  by the bot    %u messages, %u words\n"), stats->messages_by_role[HONE_ROLE_ASSISTANT],
          stats->words_by_role[HONE_ROLE_ASSISTANT]);
  printf (_("  by users      %u messages, %u words\n"), stats->messages_by_role[HONE_ROLE_USER],
          stats->words_by_role[HONE_ROLE_USER]);
  if (stats->messages_by_role[HONE_ROLE_SYSTEM] > 0)
    printf (_("  system        %u messages, %u words\n"), stats->messages_by_role[HONE_ROLE_SYSTEM],
            stats->words_by_role[HONE_ROLE_SYSTEM]);
  printf (_("Duplicates left out  %u\n"), stats->duplicates);
  printf (_("Personal data replaced "));
  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    printf (" %s %u", hone_scrub_kind_placeholder (k), stats->scrub_counts[k]);
  printf ("%s\n", view->options.scrub ? "" : _("  (scrubbing is off: “hone-cli scrub PROJECT”)"));
  if (first != NULL)
    printf (_("Time span       %s – %s\n"), first, last);
  printf (_("Conversation length (estimated tokens):\n"));
  for (guint i = 0; i < HONE_STATS_N_BINS; i++)
    max_bin = MAX (max_bin, stats->histogram[i]);
  for (guint i = 0; i < HONE_STATS_N_BINS; i++)
    {
      g_autofree char *label = hone_stats_bin_limits[i] == G_MAXUINT
                               ? g_strdup_printf ("> %u", hone_stats_bin_limits[i - 1])
                               : g_strdup_printf ("≤ %u", hone_stats_bin_limits[i]);
      guint width = (guint) (40.0 * stats->histogram[i] / max_bin + 0.5);
      g_autoptr(GString) bar = g_string_new (NULL);

      for (guint j = 0; j < width; j++)
        g_string_append (bar, "█");
      printf ("  %-7s %7u %s\n", label, stats->histogram[i], bar->str);
    }
  for (guint i = 0; i < stats->tags->len; i++)
    {
      const HoneTagShare *s = g_ptr_array_index (stats->tags, i);
      printf (_("Tag %-16s %u conversations (%.0f%%)\n"), s->name, s->conversations, 100 * s->share);
    }
  if (stats->warning != NULL)
    printf (_("Warning: %s\n"), stats->warning);
  return HONE_EXIT_OK;
}

/* split */

int
hone_cli_split (int    argc,
                char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pins = NULL;
  g_auto(GStrv) unpins = NULL;
  double fraction = -1;
  gint64 seed = G_MININT64;
  gboolean json = FALSE;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  guint train = 0, validation = 0, pinned = 0;
  HoneCleanOptions options;
  GOptionEntry entries[] = {
    { "validation", 0, 0, G_OPTION_ARG_DOUBLE, &fraction,
      N_("Share of conversations kept aside to check the model, 0 to 0.9 (default 0.1)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Draw another split with this number"), N_("N") },
    { "pin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pins,
      N_("Always put conversation ID in validation; may be repeated"), N_("ID") },
    { "unpin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unpins,
      N_("Let the draw decide for conversation ID again"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the split as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Split the conversations into training and validation. Each "
                                  "conversation’s part comes from a hash of what it is (its file, "
                                  "place and first message) and the seed, so it stays the same "
                                  "when you import again or edit."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || (fraction != -1 && (fraction < 0 || fraction > 0.9)))
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli split PROJECT [--validation F] "
                                             "[--seed N] [--pin ID…] [--unpin ID…] [--json]"));
  project = open_options (argv[1], dataset_name, &dataset, &options, &status);
  if (project == NULL)
    return status;
  if (fraction != -1 || seed != G_MININT64)
    {
      g_autofree char *summary = NULL;

      if (fraction != -1)
        options.validation_fraction = fraction;
      if (seed != G_MININT64)
        options.split_seed = seed;
      summary = g_strdup_printf ("Split %.0f%% for validation, seed %" G_GINT64_FORMAT,
                                 100 * options.validation_fraction, options.split_seed);
      if (!hone_dataset_save_options (project, dataset, &options, summary, &error))
        return hone_cli_fail_error (error);
    }
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; (pass == 0 ? pins : unpins) != NULL && (pass == 0 ? pins : unpins)[i] != NULL; i++)
      {
        const char *arg = (pass == 0 ? pins : unpins)[i];
        gint64 id;

        if (!parse_id (arg, &id))
          return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a conversation ID"), arg);
        if (!hone_dataset_pin (project, dataset, id, pass == 0, &error))
          return hone_cli_fail_error (error);
      }

  view = hone_dataset_view_build (project, dataset, NULL, 0, NULL, NULL, NULL, &error);
  if (view == NULL || !hone_dataset_record_split (project, view, &error))
    return hone_cli_fail_error (error);
  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      if (c->split == HONE_SPLIT_VALIDATION)
        validation++;
      else
        train++;
      pinned += c->pinned;
    }
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "validation_fraction");
      json_builder_add_double_value (b, view->options.validation_fraction);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, view->options.split_seed);
      json_builder_set_member_name (b, "train");
      json_builder_add_int_value (b, train);
      json_builder_set_member_name (b, "validation");
      json_builder_add_int_value (b, validation);
      json_builder_set_member_name (b, "pinned");
      json_builder_add_int_value (b, pinned);
      json_builder_end_object (b);
      return print_json (b);
    }
  printf (_("Training    %u conversations\nValidation  %u conversations (%u pinned)\n"
            "Split: %.0f%% for validation, seed %" G_GINT64_FORMAT "\n"),
          train, validation, pinned, 100 * view->options.validation_fraction, view->options.split_seed);
  return HONE_EXIT_OK;
}

/* dataset list and export */

static int
list_datasets (const char *dir,
               gboolean    json)
{
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GError) error = NULL;
  int status = HONE_EXIT_OK;

  project = hone_cli_open_project (dir, &status);
  if (project == NULL)
    return status;
  datasets = hone_dataset_list (project, &error);
  if (datasets == NULL)
    return hone_cli_fail_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < datasets->len; i++)
        {
          const HoneDatasetInfo *info = g_ptr_array_index (datasets, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, info->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, info->name);
          json_builder_set_member_name (b, "sources");
          if (info->n_sources == 0)
            json_builder_add_string_value (b, "all");
          else
            json_builder_add_int_value (b, info->n_sources);
          add_string_or_null (b, "created", info->created_at);
          add_string_or_null (b, "updated", info->updated_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      return print_json (b);
    }
  if (datasets->len == 0)
    printf (_("No data sets yet: the first data command makes “default”.\n"));
  for (guint i = 0; i < datasets->len; i++)
    {
      const HoneDatasetInfo *info = g_ptr_array_index (datasets, i);
      g_autofree char *name = pad (info->name, 24);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, info->id);

      if (info->n_sources == 0)
        printf (_("%4s  %s every source, changed %s\n"), id, name, info->updated_at);
      else
        printf (ngettext ("%4s  %s %u source, changed %s\n", "%4s  %s %u sources, changed %s\n",
                          info->n_sources),
                id, name, info->n_sources, info->updated_at);
    }
  return HONE_EXIT_OK;
}

int
hone_cli_dataset (int    argc,
                  char **argv)
{
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("(export PROJECT OUT | list PROJECT)"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_autofree char *split = NULL;
  HoneExportFormat export_format;
  HoneExportSplit which;
  gboolean json = FALSE;
  int status = HONE_EXIT_OK;
  gint64 dataset = 0;
  int written;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("openai (JSON Lines, {\"messages\": [{\"role\", \"content\"}]}, the default) or sharegpt "
         "(a JSON array of {\"conversations\": [{\"from\", \"value\"}]})"), N_("FORMAT") },
    { "split", 's', 0, G_OPTION_ARG_STRING, &split,
      N_("train (the default), validation or all"), N_("PART") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("With list: print the data sets as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Write the cleaned training set to a file, with each tag’s cap "
                                  "and up-sampling applied to the training part; or list the "
                                  "project’s data sets."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc == 3 && strcmp (argv[1], "list") == 0)
    return list_datasets (argv[2], json);
  if (argc != 4 || strcmp (argv[1], "export") != 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli dataset export PROJECT OUT "
                                             "[--format openai|sharegpt] [--split train|validation|all] "
                                             "[--dataset NAME]\n"
                                             "       hone-cli dataset list PROJECT [--json]"));
  if (format == NULL || strcmp (format, "openai") == 0)
    export_format = HONE_EXPORT_OPENAI;
  else if (strcmp (format, "sharegpt") == 0)
    export_format = HONE_EXPORT_SHAREGPT;
  else
    return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a format: use openai or sharegpt"), format);
  if (split == NULL || strcmp (split, "train") == 0)
    which = HONE_EXPORT_TRAIN;
  else if (strcmp (split, "validation") == 0)
    which = HONE_EXPORT_VALIDATION;
  else if (strcmp (split, "all") == 0)
    which = HONE_EXPORT_ALL;
  else
    return hone_cli_fail (HONE_EXIT_USAGE, _("“%s” is not a part: use train, validation or all"), split);

  project = open_dataset (argv[2], dataset_name, &dataset, &status);
  if (project == NULL)
    return status;
  view = hone_dataset_view_build (project, dataset, NULL, 0, NULL, NULL, NULL, &error);
  if (view == NULL)
    return hone_cli_fail_error (error);
  tags = hone_dataset_list_tags (project, &error);
  if (tags == NULL)
    return hone_cli_fail_error (error);
  written = hone_dataset_export (view, tags, export_format, which, argv[3], NULL, &error);
  if (written < 0)
    return hone_cli_fail_error (error);
  fprintf (stderr, ngettext ("Wrote %d conversation to %s\n", "Wrote %d conversations to %s\n", written),
           written, argv[3]);
  return HONE_EXIT_OK;
}

/* undo and changes */

int
hone_cli_undo (int    argc,
               char **argv)
{
  gint64 dataset = 0;
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  int status = HONE_EXIT_OK;

  g_option_context_set_summary (context,
                                _("Take back the last change to roles, cleaning, scrubbing, tags, "
                                  "split or edits. Run it again to go further back."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli undo PROJECT"));
  /* Roles, tags and changes are shared by every data set; a named one is still made. */
  project = dataset_name != NULL ? open_dataset (argv[1], dataset_name, &dataset, &status)
                                 : hone_cli_open_project (argv[1], &status);
  if (project == NULL)
    return status;
  summary = hone_dataset_undo (project, &error);
  if (error != NULL)
    return hone_cli_fail_error (error);
  if (summary == NULL)
    printf (_("Nothing to undo.\n"));
  else
    printf (_("Undone: %s\n"), summary);
  return HONE_EXIT_OK;
}

int
hone_cli_changes (int    argc,
                  char **argv)
{
  gint64 dataset = 0;
  g_autofree char *dataset_name = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int limit = 20;
  int status = HONE_EXIT_OK;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show the last N changes (default 20, 0: all)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the changes as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("List the changes made to the data, newest first."));
  add_dataset_option (context, &dataset_name);
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2 || limit < 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli changes PROJECT [--limit N] [--json]"));
  /* Roles, tags and changes are shared by every data set; a named one is still made. */
  project = dataset_name != NULL ? open_dataset (argv[1], dataset_name, &dataset, &status)
                                 : hone_cli_open_project (argv[1], &status);
  if (project == NULL)
    return status;
  changes = hone_dataset_list_changes (project, (guint) limit, &error);
  if (changes == NULL)
    return hone_cli_fail_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < changes->len; i++)
        {
          const HoneChangeInfo *c = g_ptr_array_index (changes, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, c->id);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, c->kind);
          json_builder_set_member_name (b, "summary");
          json_builder_add_string_value (b, c->summary);
          json_builder_set_member_name (b, "time");
          json_builder_add_string_value (b, c->created_at);
          json_builder_set_member_name (b, "undone");
          json_builder_add_boolean_value (b, c->undone);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      return print_json (b);
    }
  if (changes->len == 0)
    printf (_("No changes yet.\n"));
  for (guint i = 0; i < changes->len; i++)
    {
      const HoneChangeInfo *c = g_ptr_array_index (changes, i);
      printf ("%4" G_GINT64_FORMAT "  %s  %-8s %s%s\n", c->id, c->created_at, c->kind, c->summary,
              c->undone ? _(" (undone)") : "");
    }
  return HONE_EXIT_OK;
}
