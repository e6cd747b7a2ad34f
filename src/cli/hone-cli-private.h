/* hone-cli-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the hone-cli subcommands share: exit statuses, option parsing, output helpers.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "data/hone-chatlog.h"
#include "store/hone-project.h"

G_BEGIN_DECLS

enum
{
  HONE_EXIT_OK = 0,
  HONE_EXIT_BAD_INPUT = 1,
  HONE_EXIT_USAGE = 2,
};

typedef int (*HoneCliCommand) (int argc, char **argv);

/* Parses the options of a subcommand; prints the error and returns FALSE on bad usage.
 * @usage is the parameter string shown by --help ("PROJECT PATH…"). */
gboolean  hone_cli_parse          (GOptionContext  *context,
                                   int             *argc,
                                   char          ***argv);
/* Prints "hone-cli: MESSAGE" on stderr and returns @status. */
int       hone_cli_fail           (int              status,
                                   const char      *format,
                                   ...) G_GNUC_PRINTF (2, 3);
/* Exit status for an error from the engine: bad input (1) for import and project
 * errors, as everything the engine refuses is about what it was given. */
int       hone_cli_fail_error     (const GError    *error);
/* Writes @node as JSON to stdout, followed by a newline. */
void      hone_cli_print_json     (JsonNode        *node,
                                   gboolean         pretty);
/* Opens the project at @dir or prints why not. */
HoneProject *hone_cli_open_project (const char     *dir,
                                    int            *status);

int       hone_cli_project        (int argc, char **argv);
int       hone_cli_import         (int argc, char **argv);
int       hone_cli_sources        (int argc, char **argv);
int       hone_cli_source         (int argc, char **argv);
int       hone_cli_messages       (int argc, char **argv);
int       hone_cli_bench          (int argc, char **argv);
int       hone_cli_make_test_model (int argc, char **argv);
int       hone_cli_make_test_adapter (int argc, char **argv);
int       hone_cli_models         (int argc, char **argv);
int       hone_cli_devices        (int argc, char **argv);
int       hone_cli_roles          (int argc, char **argv);
int       hone_cli_clean          (int argc, char **argv);
int       hone_cli_scrub          (int argc, char **argv);
int       hone_cli_scrub_text     (int argc, char **argv);
int       hone_cli_tag            (int argc, char **argv);
int       hone_cli_stats          (int argc, char **argv);
int       hone_cli_split          (int argc, char **argv);
int       hone_cli_dataset        (int argc, char **argv);
int       hone_cli_undo           (int argc, char **argv);
int       hone_cli_changes        (int argc, char **argv);
int       hone_cli_tokenize       (int argc, char **argv);
int       hone_cli_detokenize     (int argc, char **argv);
int       hone_cli_template       (int argc, char **argv);
int       hone_cli_generate       (int argc, char **argv);
int       hone_cli_logits         (int argc, char **argv);
int       hone_cli_chat           (int argc, char **argv);
int       hone_cli_perplexity     (int argc, char **argv);
int       hone_cli_merge          (int argc, char **argv);

/* Benchmarks, `hone-cli bench NAME`: argv[0] is "bench", argv[1] the NAME. */
int       hone_cli_bench_import   (int argc, char **argv);
int       hone_cli_bench_kernels  (int argc, char **argv);
int       hone_cli_bench_dataset  (int argc, char **argv);
int       hone_cli_bench_tokenize (int argc, char **argv);
int       hone_cli_bench_generate (int argc, char **argv);

G_END_DECLS
