/* ref-logits.c — prints the CPU reference forward's logits for tests/check-ref-forward.py.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ref-logits MODEL IDS [--adapter PATH] [--scale S] [--kv-f16]
 * IDS are token ids separated by commas; the output is {"logits": [[…], …]}, one row of V
 * values per position.
 */
#define G_LOG_DOMAIN "ref-logits"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/hone-adapter.h"
#include "model/hone-model.h"
#include "ref/hone-ref-model.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("MODEL IDS");
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneModel) model = NULL;
  g_autoptr(HoneAdapter) adapter = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree char *adapter_path = NULL;
  g_autofree double *logits = NULL;
  g_auto(GStrv) parts = NULL;
  double scale = 1.0;
  gboolean kv_f16 = FALSE;
  guint vocab;
  GOptionEntry entries[] = {
    { "adapter", 0, 0, G_OPTION_ARG_FILENAME, &adapter_path, "A LoRA adapter", "PATH" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Multiplier of the adapter's scale (1)",
      "S" },
    { "kv-f16", 0, 0, G_OPTION_ARG_NONE, &kv_f16, "Round K and V to f16", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      fprintf (stderr, "usage: ref-logits MODEL IDS [--adapter PATH] [--scale S] [--kv-f16]%s%s\n",
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 2;
    }
  parts = g_strsplit (argv[2], ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 id;
      guint32 value;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, G_MAXUINT32, &id, &error))
        {
          fprintf (stderr, "ref-logits: %s\n", error->message);
          return 2;
        }
      value = (guint32) id;
      g_array_append_val (ids, value);
    }

  model = hone_model_open (argv[1], &error);
  if (model != NULL && adapter_path != NULL)
    adapter = hone_adapter_open (adapter_path, &error);
  if (error == NULL)
    logits = hone_ref_model_forward_flags (model, adapter, (float) scale,
                                           kv_f16 ? HONE_REF_MODEL_KV_F16 : HONE_REF_MODEL_NONE,
                                           (const guint32 *) ids->data, ids->len, &error);
  if (logits == NULL)
    {
      fprintf (stderr, "ref-logits: %s\n", error->message);
      return 1;
    }

  vocab = hone_model_get_info (model)->vocab_size;
  printf ("{\"logits\": [");
  for (guint p = 0; p < ids->len; p++)
    {
      printf ("%s[", p > 0 ? ", " : "");
      for (guint t = 0; t < vocab; t++)
        printf ("%s%.17g", t > 0 ? ", " : "", logits[(gsize) p * vocab + t]);
      printf ("]");
    }
  printf ("]}\n");
  return 0;
}
