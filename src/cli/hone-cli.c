/* hone-cli.c — the Hone engine without a window: entry point and subcommand table.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hone-cli-private.h"

typedef struct
{
  const char     *name;
  HoneCliCommand  run;
  const char     *summary;
} Command;

static const Command commands[] = {
  { "project",  hone_cli_project,  N_("Create a project folder (project new DIR)") },
  { "import",   hone_cli_import,   N_("Import chat exports into a project") },
  { "sources",  hone_cli_sources,  N_("List the imported files of a project") },
  { "source",   hone_cli_source,   N_("Remove an imported file (source remove PROJECT ID)") },
  { "messages", hone_cli_messages, N_("Print every imported conversation") },
  { "bench",    hone_cli_bench,    N_("Measure the engine’s speed (bench NAME)") },
  { "make-test-model", hone_cli_make_test_model,
    N_("Write a small random model for tests (make-test-model OUT)") },
  { "make-test-adapter", hone_cli_make_test_adapter,
    N_("Write a random LoRA adapter for tests (make-test-adapter MODEL OUT)") },
  { "models",   hone_cli_models,   N_("List the models already on this computer") },
  { "devices",  hone_cli_devices,  N_("List the GPUs (Vulkan devices) Hone can use") },
  { "roles",    hone_cli_roles,    N_("Choose which speakers are the bot’s voice") },
  { "clean",    hone_cli_clean,    N_("Clean the conversations for training (a view; --dry-run)") },
  { "scrub",    hone_cli_scrub,    N_("Replace personal data with placeholders (--dry-run)") },
  { "scrub-text", hone_cli_scrub_text, N_("Replace personal data in standard input") },
  { "tag",      hone_cli_tag,      N_("Tag conversations and balance the tags") },
  { "stats",    hone_cli_stats,    N_("Statistics of the training set") },
  { "split",    hone_cli_split,    N_("Split into training and validation") },
  { "dataset",  hone_cli_dataset,  N_("Write the training set (dataset export PROJECT OUT) or "
                                     "list the data sets (dataset list PROJECT)") },
  { "undo",     hone_cli_undo,     N_("Take back the last change to the data") },
  { "changes",  hone_cli_changes,  N_("List the changes made to the data") },
  { "tokenize", hone_cli_tokenize, N_("Print the token ids of a text (tokenize MODEL TEXT)") },
  { "detokenize", hone_cli_detokenize, N_("Print the text of token ids (detokenize MODEL IDS)") },
  { "template", hone_cli_template, N_("Print a conversation through a chat template") },
  { "generate", hone_cli_generate, N_("Continue a text with a model on the GPU") },
  { "logits",   hone_cli_logits,   N_("Print a model’s logits after some token ids") },
  { "chat",     hone_cli_chat,     N_("Chat with a model in the terminal") },
  { "perplexity", hone_cli_perplexity, N_("Measure how well a model predicts a text") },
  { "merge",    hone_cli_merge,    N_("Fold a LoRA adapter into a model’s weights") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: hone-cli COMMAND [OPTIONS…]\n\n"
                  "Hone turns your own chat logs into a fine-tuned chatbot.\n"
                  "This is its command-line tool.\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-18s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “hone-cli COMMAND --help” for the options of a command.\n"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return HONE_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return HONE_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("hone-cli %s\n", PACKAGE_VERSION);
      return HONE_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("hone-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return HONE_EXIT_USAGE;
}
