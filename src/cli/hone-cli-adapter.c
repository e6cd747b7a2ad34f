/* hone-cli-adapter.c — hone-cli make-test-adapter: seeded random LoRA adapters for a
 * model, for tests and benchmarks.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "model/hone-model.h"
#include "model/hone-test-adapter.h"
#include "hone-cli-private.h"

int
hone_cli_make_test_adapter (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MODEL OUT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneModel) model = NULL;
  g_autofree char *targets = NULL;
  HoneTestAdapterOptions options;
  int rank = 8;
  double alpha = 0.0;
  gint64 seed = 1;
  gboolean peft = FALSE;
  GOptionEntry entries[] = {
    { "rank", 0, 0, G_OPTION_ARG_INT, &rank, N_("LoRA rank (8)"), N_("R") },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &alpha, N_("LoRA alpha; the scale is alpha/rank "
      "(2·rank)"), N_("A") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (1)"), N_("S") },
    { "targets", 0, 0, G_OPTION_ARG_STRING, &targets,
      N_("Weights to adapt: q, k, v, o, gate, up, down, attn, mlp, all (all)"), N_("LIST") },
    { "peft", 0, 0, G_OPTION_ARG_NONE, &peft,
      N_("Write a PEFT folder instead of a GGUF adapter"), NULL },
    { NULL }
  };

  hone_test_adapter_options_init (&options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write a seeded random LoRA adapter for MODEL, for "
                                           "tests: a GGUF that llama.cpp loads, or a PEFT "
                                           "folder. Its B is not zero, so it changes the "
                                           "model’s output."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 3)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli make-test-adapter MODEL OUT "
                                             "[--rank R] [--alpha A] [--seed S] [--peft] "
                                             "[--targets q,k,…]"));
  if (rank <= 0 || rank > 4096)
    return hone_cli_fail (HONE_EXIT_USAGE, _("the rank must be from 1 to 4096"));
  if (targets != NULL && !hone_lora_targets_parse (targets, &options.targets, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);

  model = hone_model_open (argv[1], &error);
  if (model == NULL)
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error->message);
  options.rank = (guint) rank;
  options.alpha = (float) alpha;
  options.seed = (guint64) seed;
  options.peft = peft;
  if (!hone_test_adapter_write (model, &options, argv[2], &error))
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error->message);
  return HONE_EXIT_OK;
}
