/* hone-cli-model.c — hone-cli make-test-model and models: small random models for tests,
 * and the models already on the machine.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "model/hone-model-discovery.h"
#include "model/hone-test-model.h"
#include "hone-cli-private.h"

int
hone_cli_make_test_model (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("OUT"));
  g_autoptr(GError) error = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *vocab = NULL;
  g_autofree char *dtype = NULL;
  HoneTestModelOptions options;
  HoneArch arch_id = HONE_ARCH_LLAMA;
  HoneGgmlType type = HONE_GGML_TYPE_F32;
  int layers = 0, dim = 0, heads = 0, kv_heads = 0, ffn = 0, context_length = 0;
  gint64 seed = 1;
  gboolean hf = FALSE, tied = FALSE;
  GOptionEntry entries[] = {
    { "arch", 0, 0, G_OPTION_ARG_STRING, &arch, N_("llama, qwen2 or qwen3 (default llama)"),
      N_("ARCH") },
    { "layers", 0, 0, G_OPTION_ARG_INT, &layers, N_("Number of layers (2)"), N_("N") },
    { "dim", 0, 0, G_OPTION_ARG_INT, &dim, N_("Embedding width (64)"), N_("N") },
    { "heads", 0, 0, G_OPTION_ARG_INT, &heads, N_("Attention heads (4)"), N_("N") },
    { "kv-heads", 0, 0, G_OPTION_ARG_INT, &kv_heads, N_("Key/value heads (heads/2)"), N_("N") },
    { "ffn", 0, 0, G_OPTION_ARG_INT, &ffn, N_("Feed-forward width"), N_("N") },
    { "context", 0, 0, G_OPTION_ARG_INT, &context_length, N_("Context length (512)"), N_("N") },
    { "vocab-from", 0, 0, G_OPTION_ARG_FILENAME, &vocab,
      N_("Copy the tokenizer from this GGUF vocabulary"), N_("VOCAB.gguf") },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &dtype, N_("f32, f16, bf16, q8_0, q4_0, q4_K, q5_K or q6_K (f32)"),
      N_("TYPE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (1)"), N_("N") },
    { "tied", 0, 0, G_OPTION_ARG_NONE, &tied, N_("Reuse the embedding as the output"), NULL },
    { "hf", 0, 0, G_OPTION_ARG_NONE, &hf, N_("Write a Hugging Face folder instead of a GGUF"),
      NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write a small random model with a real "
                                           "tokenizer, for tests."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli make-test-model OUT [--arch "
                                             "ARCH] [--hf] [OPTIONS…]"));
  if (arch != NULL && !hone_arch_from_name (arch, &arch_id, &error))
    return hone_cli_fail (HONE_EXIT_USAGE, "%s", error->message);
  if (dtype != NULL && (!hone_ggml_type_from_name (dtype, &type)
                        || !hone_test_model_dtype_is_supported (type)))
    return hone_cli_fail (HONE_EXIT_USAGE, _("unknown dtype “%s” (f32, f16, bf16, q8_0, q4_0, "
                                             "q4_K, q5_K, q6_K)"), dtype);
  if (layers < 0 || dim < 0 || heads < 0 || kv_heads < 0 || ffn < 0 || context_length < 0)
    return hone_cli_fail (HONE_EXIT_USAGE, _("sizes must be positive"));

  hone_test_model_options_init (&options, arch_id);
  options.n_layers = layers;
  options.dim = dim;
  options.n_heads = heads;
  options.n_kv_heads = kv_heads;
  options.ffn = ffn;
  options.context_length = context_length;
  options.vocab_from = vocab;
  options.dtype = type;
  options.seed = (guint64) seed;
  options.tied = tied;
  options.hf = hf;
  if (!hone_test_model_write (&options, argv[1], &error))
    return hone_cli_fail (HONE_EXIT_BAD_INPUT, "%s", error->message);
  return HONE_EXIT_OK;
}

static void
add_entry_json (JsonBuilder          *b,
                const HoneModelEntry *entry)
{
  const HoneModelInfo *info = &entry->info;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, entry->name);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, entry->source);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, entry->path);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, entry->format);
  json_builder_set_member_name (b, "error");
  if (entry->error != NULL)
    json_builder_add_string_value (b, entry->error);
  else
    json_builder_add_null_value (b);
  if (entry->error == NULL)
    {
      json_builder_set_member_name (b, "architecture");
      json_builder_add_string_value (b, info->arch_name);
      json_builder_set_member_name (b, "parameters");
      json_builder_add_int_value (b, (gint64) info->n_params);
      json_builder_set_member_name (b, "quantization");
      json_builder_add_string_value (b, hone_ggml_type_name (info->quant));
      json_builder_set_member_name (b, "context_length");
      json_builder_add_int_value (b, info->context_length);
      json_builder_set_member_name (b, "layers");
      json_builder_add_int_value (b, info->n_layers);
      json_builder_set_member_name (b, "vocab_size");
      json_builder_add_int_value (b, info->vocab_size);
      json_builder_set_member_name (b, "chat_template");
      json_builder_add_boolean_value (b, info->has_chat_template);
    }
  json_builder_end_object (b);
}

int
hone_cli_models (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) entries = NULL;
  gboolean json = FALSE;
  GOptionEntry options[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("List the models already on this computer: "
                                           "Ollama, the Hugging Face cache, LM Studio, and "
                                           "the folders in HONE_MODEL_PATHS."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 1)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli models [--json]"));

  entries = hone_model_discover (NULL);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < entries->len; i++)
        add_entry_json (b, g_ptr_array_index (entries, i));
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      hone_cli_print_json (root, FALSE);
      return HONE_EXIT_OK;
    }

  if (entries->len == 0)
    printf (_("No models found in Ollama, the Hugging Face cache or LM Studio.\n"));
  for (guint i = 0; i < entries->len; i++)
    {
      const HoneModelEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *params = NULL;

      if (entry->error != NULL)
        {
          printf ("%-40s %-11s %s\n", entry->name, entry->source, entry->error);
          continue;
        }
      params = hone_model_format_params (entry->info.n_params);
      printf ("%-40s %-11s %-6s %7s %-5s %7u  %s\n", entry->name, entry->source,
              entry->info.arch_name, params, hone_ggml_type_name (entry->info.quant),
              entry->info.context_length,
              entry->info.has_chat_template ? _("chat template") : _("no chat template"));
    }
  return HONE_EXIT_OK;
}
