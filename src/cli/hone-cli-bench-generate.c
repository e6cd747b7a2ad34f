/* hone-cli-bench-generate.c — hone-cli bench generate: prefill, decode and time to first
 * token of a model on the GPU, beside llama.cpp on the CPU in the same run.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures (random token ids, greedy, f16 KV cache):
 *   prefill     tokens/s of one --prefill-token batch (512)
 *   decode      tokens/s of --decode tokens after a 16-token prompt
 *   ttft        seconds from a fresh cache to the first sampled token of a 200-token prompt
 *   bandwidth   weight bytes read per decoded token ÷ decode time, against the bandwidth of
 *               a buffer copy on the same device (read + write bytes ÷ time)
 * Decode reads every weight byte once per token by construction (each matrix goes through
 * a matrix-vector kernel that streams it once): the ratio printed is that count.
 * tests/bench/bench-generate.py then runs llama.cpp (llama-cpp-python, CPU) on the same GGUF
 * and prints the ratios.
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "infer/hone-generate.h"
#include "hone-cli-private.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static gboolean
random_ids (GRand   *rand,
            guint    vocab,
            guint    n,
            GArray **out)
{
  *out = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  for (guint i = 0; i < n; i++)
    {
      guint32 id = (guint32) g_rand_int_range (rand, 0, (gint32) MIN (vocab, G_MAXINT32));

      g_array_append_val (*out, id);
    }
  return TRUE;
}

/* Copy bandwidth of the device: read + write bytes per second of a 256 MiB copy. */
static double
copy_bandwidth (HoneGpuDevice *device,
                GError       **error)
{
  const gsize size = 256u << 20;
  g_autoptr (HoneGpuBuffer) a = hone_gpu_buffer_new (device, size, error);
  g_autoptr (HoneGpuBuffer) b = NULL;
  g_autoptr (HoneGpuStream) stream = NULL;
  double best = 0.0;

  if (a == NULL || (b = hone_gpu_buffer_new (device, size, error)) == NULL
      || (stream = hone_gpu_stream_new (device, error)) == NULL)
    return -1.0;
  hone_gpu_stream_fill (stream, a, 0, 0, 0x3f800000);
  if (!hone_gpu_stream_submit (stream, error))
    return -1.0;
  for (guint r = 0; r < 4; r++)
    {
      double t0 = now_s (), t;

      hone_gpu_stream_copy (stream, a, 0, b, 0, size);
      if (!hone_gpu_stream_submit (stream, error))
        return -1.0;
      t = now_s () - t0;
      best = MAX (best, 2.0 * size / t);
    }
  return best;
}

int
hone_cli_bench_generate (int    argc,
                         char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("generate MODEL"));
  g_autoptr (GError) error = NULL;
  g_autoptr (HoneGpuDevice) device = NULL;
  g_autoptr (HoneBot) bot = NULL;
  g_autoptr (HoneInferSession) session = NULL;
  g_autoptr (GArray) prompt = NULL;
  g_autoptr (GArray) chat = NULL;
  g_autoptr (GArray) short_prompt = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const HoneModelInfo *info;
  HoneInferModel *infer;
  HoneGenerateParams params;
  HoneGenerateResult result = { 0 };
  HoneSampling greedy = { 0.0f, 0, 1.0f, 0.0f };
  gboolean json = FALSE, no_peers = FALSE;
  int n_prefill = 512, n_decode = 32;
  double t0, prefill_s, decode_s, ttft_s, copy_bw, weight_gb;
  guint32 token;
  GOptionEntry entries[] = {
    { "prefill", 0, 0, G_OPTION_ARG_INT, &n_prefill, N_("Prompt tokens to prefill (512)"),
      N_("N") },
    { "decode", 0, 0, G_OPTION_ARG_INT, &n_decode, N_("Tokens to decode (32)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the figures as JSON"), NULL },
    { "no-peers", 0, 0, G_OPTION_ARG_NONE, &no_peers,
      N_("Do not run llama.cpp for comparison"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Measure prefill and decode speed of a model on the GPU and "
                                  "its share of the bandwidth limit, beside llama.cpp (CPU) "
                                  "on the same GGUF file."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 3 || n_prefill < 1 || n_decode < 1)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli bench generate MODEL "
                                             "[--prefill N] [--decode N] [--json]"));

  device = hone_gpu_device_new (HONE_GPU_DEVICE_FLAGS_NONE, &error);
  if (device == NULL || (bot = hone_bot_new (device, argv[2], &error)) == NULL)
    return hone_cli_fail_error (error);
  infer = hone_bot_get_infer_model (bot);
  info = hone_infer_model_get_info (infer);
  session = hone_infer_session_new (infer, MAX ((guint) n_prefill, 16u + n_decode) + 8,
                                    HONE_KV_F16, &error);
  if (session == NULL)
    return hone_cli_fail_error (error);
  random_ids (rand, info->vocab_size, n_prefill, &prompt);
  random_ids (rand, info->vocab_size, 200, &chat);
  random_ids (rand, info->vocab_size, 16, &short_prompt);

  /* Warm-up: pipelines are created on first use. */
  if (!hone_infer_session_eval (session, (const guint32 *) short_prompt->data, 4, FALSE, NULL,
                                &error)
      || !hone_infer_session_eval (session, (const guint32 *) short_prompt->data, 1, FALSE,
                                   NULL, &error))
    return hone_cli_fail_error (error);

  hone_infer_session_truncate (session, 0);
  t0 = now_s ();
  if (!hone_infer_session_eval (session, (const guint32 *) prompt->data, prompt->len, FALSE,
                                NULL, &error))
    return hone_cli_fail_error (error);
  prefill_s = now_s () - t0;

  hone_infer_session_truncate (session, 0);
  t0 = now_s ();
  if (!hone_infer_session_eval (session, (const guint32 *) chat->data, MIN (chat->len,
                                hone_infer_session_get_n_ctx (session) - 1), FALSE, NULL, &error)
      || !hone_infer_session_sample (session, &greedy, 1.0f, NULL, 0, 0.0f, &token, &error))
    return hone_cli_fail_error (error);
  ttft_s = now_s () - t0;

  hone_infer_session_truncate (session, 0);
  hone_generate_params_greedy (&params);
  params.max_tokens = n_decode;
  if (!hone_generate (session, hone_bot_get_tokenizer (bot),
                      (const guint32 *) short_prompt->data, short_prompt->len, &params, NULL, 0,
                      NULL, NULL, NULL, &result, &error))
    return hone_cli_fail_error (error);
  decode_s = result.decode_seconds / MAX (result.ids->len, 1);
  copy_bw = copy_bandwidth (device, &error);
  if (copy_bw < 0)
    return hone_cli_fail_error (error);
  weight_gb = hone_infer_model_get_weight_bytes (infer) / 1e9;

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, hone_gpu_device_get_info (device)->name);
      json_builder_set_member_name (b, "weight_bytes");
      json_builder_add_int_value (b, (gint64) hone_infer_model_get_weight_bytes (infer));
      json_builder_set_member_name (b, "prefill_tokens");
      json_builder_add_int_value (b, n_prefill);
      json_builder_set_member_name (b, "prefill_tps");
      json_builder_add_double_value (b, n_prefill / prefill_s);
      json_builder_set_member_name (b, "decode_tps");
      json_builder_add_double_value (b, 1.0 / decode_s);
      json_builder_set_member_name (b, "ttft_200_s");
      json_builder_add_double_value (b, ttft_s);
      json_builder_set_member_name (b, "copy_gbps");
      json_builder_add_double_value (b, copy_bw / 1e9);
      json_builder_set_member_name (b, "decode_gbps");
      json_builder_add_double_value (b, weight_gb / decode_s);
      json_builder_set_member_name (b, "bytes_read_per_weight_byte");
      json_builder_add_double_value (b, 1.0);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hone_cli_print_json (root, FALSE);
    }
  else
    {
      printf ("Model: %s (%s, %u layers, dim %u, %s weights, %.3f GB)\n", argv[2],
              info->arch_name, info->n_layers, info->dim, hone_ggml_type_name (info->quant),
              weight_gb);
      printf ("Device: %s\n", hone_gpu_device_get_info (device)->name);
      printf ("%-34s %10.1f tokens/s\n", "hone prefill", n_prefill / prefill_s);
      printf ("%-34s %10.2f tokens/s\n", "hone decode", 1.0 / decode_s);
      printf ("%-34s %10.3f s\n", "hone time to first token (200)", ttft_s);
      printf ("%-34s %10.2f GB/s of %.2f GB/s copy bandwidth (%.0f%%)\n", "hone decode weights",
              weight_gb / decode_s, copy_bw / 1e9, 100.0 * weight_gb / decode_s / (copy_bw / 1e9));
      printf ("%-34s %10.2f (by construction: one matrix-vector pass per matrix)\n",
              "bytes read / weight bytes", 1.0);
      fflush (stdout);
    }

  if (!no_peers && !json)
    {
      g_autofree char *script = NULL;
      g_autofree char *python = g_strdup (g_getenv ("HONE_VENV_PYTHON"));
      const char *root = g_getenv ("HONE_SOURCE_ROOT");
      g_autofree char *prefill_arg = g_strdup_printf ("%.6f", n_prefill / prefill_s);
      g_autofree char *decode_arg = g_strdup_printf ("%.6f", 1.0 / decode_s);
      g_autofree char *ttft_arg = g_strdup_printf ("%.6f", ttft_s);
      g_autofree char *n_prefill_arg = g_strdup_printf ("%d", n_prefill);
      g_autofree char *n_decode_arg = g_strdup_printf ("%d", n_decode);
      int status = 0;

      script = g_build_filename (root ? root : ".", "tests", "bench", "bench-generate.py", NULL);
      if (python == NULL)
        python = g_build_filename (root ? root : ".", ".venv", "bin", "python", NULL);
      if (g_file_test (script, G_FILE_TEST_EXISTS) && g_file_test (python, G_FILE_TEST_EXISTS))
        {
          const char *peer_argv[] = { python, script, argv[2], n_prefill_arg, n_decode_arg,
                                      prefill_arg, decode_arg, ttft_arg, NULL };

          if (!g_spawn_sync (NULL, (char **) peer_argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL,
                             NULL, NULL, NULL, &status, &error))
            g_printerr ("hone-cli: could not run %s: %s\n", script, error->message);
        }
      else
        printf ("(llama.cpp skipped: run from the source root with the test venv, or set "
                "HONE_SOURCE_ROOT and HONE_VENV_PYTHON)\n");
    }
  hone_generate_result_clear (&result);
  return HONE_EXIT_OK;
}
