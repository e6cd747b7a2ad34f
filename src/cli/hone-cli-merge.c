/* hone-cli-merge.c — hone-cli merge: a model with an adapter folded into its weights.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "model/hone-merge.h"
#include "hone-cli-private.h"

int
hone_cli_merge (int    argc,
                char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL ADAPTER OUT"));
  g_autoptr (GError) error = NULL;
  g_autoptr (HoneModel) model = NULL;
  g_autoptr (HoneAdapter) adapter = NULL;
  g_autofree char *type_name = NULL;
  double scale = 1.0;
  HoneMergeType type = HONE_MERGE_KEEP;
  GOptionEntry entries[] = {
    { "type", 't', 0, G_OPTION_ARG_STRING, &type_name,
      N_("Type of the changed weights: keep (their own), f32, f16 or q8_0"), N_("TYPE") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale,
      N_("How much of the adapter to apply (1: all of it)"), N_("S") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write a GGUF model with a LoRA adapter folded into "
                                           "its weights, for llama.cpp, Ollama and others."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 4)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli merge MODEL.gguf ADAPTER OUT.gguf "
                                             "[--type keep|f32|f16|q8_0] [--scale S]"));
  if (type_name == NULL || strcmp (type_name, "keep") == 0)
    type = HONE_MERGE_KEEP;
  else if (strcmp (type_name, "f32") == 0)
    type = HONE_MERGE_F32;
  else if (strcmp (type_name, "f16") == 0)
    type = HONE_MERGE_F16;
  else if (strcmp (type_name, "q8_0") == 0)
    type = HONE_MERGE_Q8_0;
  else
    return hone_cli_fail (HONE_EXIT_USAGE, _("--type must be keep, f32, f16 or q8_0"));

  model = hone_model_open (argv[1], &error);
  if (model == NULL || (adapter = hone_adapter_open (argv[2], &error)) == NULL
      || !hone_adapter_check (adapter, model, &error)
      || !hone_merge_write (model, adapter, (float) scale, type, argv[3], &error))
    return hone_cli_fail_error (error);
  return HONE_EXIT_OK;
}
