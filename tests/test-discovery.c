/* test-discovery.c — finding models on the machine: fake Ollama, Hugging Face cache and
 * LM Studio stores and a HONE_MODEL_PATHS folder, built in a temporary home.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "model/hone-model-discovery.h"
#include "model/hone-test-model.h"
#include "hone-test-util.h"

static void
make_model (const char   *path,
            HoneArch      arch,
            HoneGgmlType  dtype,
            gboolean      hf)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  HoneTestModelOptions options;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  hone_test_model_options_init (&options, arch);
  options.dtype = dtype;
  options.hf = hf;
  g_assert_true (hone_test_model_write (&options, path, &error));
  g_assert_no_error (error);
}

static const HoneModelEntry *
find (GPtrArray  *entries,
      const char *source,
      const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const HoneModelEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->source, source) && g_str_equal (e->name, name))
        return e;
    }
  g_error ("no %s model named %s", source, name);
  return NULL;
}

static void
test_discover (void)
{
  g_autofree char *home = hone_test_make_temp_dir ("hone-home-XXXXXX");
  g_autofree char *models = g_build_filename (home, ".ollama", "models", NULL);
  g_autofree char *blob = g_build_filename (models, "blobs", "sha256-0123456789abcdef", NULL);
  g_autofree char *hub = g_build_filename (home, ".cache", "huggingface", "hub", NULL);
  g_autofree char *snapshot = g_build_filename (hub, "models--SmolOrg--Tiny-1", "snapshots",
                                                "c0ffee00deadbeef", NULL);
  g_autofree char *gguf_repo = g_build_filename (hub, "models--someone--Tiny-GGUF", "snapshots",
                                                 "1111", "tiny-q4_0.gguf", NULL);
  g_autofree char *lms = g_build_filename (home, ".lmstudio", "models", "pub", "Tiny-GGUF",
                                           "tiny-q8_0.gguf", NULL);
  g_autofree char *extra = g_build_filename (home, "mine", NULL);
  g_autofree char *extra_gguf = g_build_filename (extra, "a", "b.gguf", NULL);
  g_autofree char *extra_hf = g_build_filename (extra, "my-hf", NULL);
  g_autofree char *broken = g_build_filename (extra, "broken.gguf", NULL);
  g_autofree char *config = g_build_filename (snapshot, "config.json", NULL);
  g_autofree char *config_blob = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const HoneModelEntry *e;

  make_model (blob, HONE_ARCH_LLAMA, HONE_GGML_TYPE_Q8_0, FALSE);
  g_free (hone_test_write_file (models, "manifests/registry.ollama.ai/library/tiny/latest",
                                "{\"schemaVersion\": 2, \"layers\": ["
                                "{\"mediaType\": \"application/vnd.ollama.image.template\", "
                                "\"digest\": \"sha256:aaaa\"},"
                                "{\"mediaType\": \"application/vnd.ollama.image.model\", "
                                "\"digest\": \"sha256:0123456789abcdef\"}]}", -1));
  g_free (hone_test_write_file (models, "manifests/hf.co/someone/tiny-gguf/Q8_0",
                                "{\"layers\": [{\"mediaType\": "
                                "\"application/vnd.ollama.image.model\", "
                                "\"digest\": \"sha256:0123456789abcdef\"}]}", -1));
  /* a manifest whose blob is missing, and one that is not JSON */
  g_free (hone_test_write_file (models, "manifests/registry.ollama.ai/library/gone/7b",
                                "{\"layers\": [{\"mediaType\": "
                                "\"application/vnd.ollama.image.model\", "
                                "\"digest\": \"sha256:ffff\"}]}", -1));
  g_free (hone_test_write_file (models, "manifests/registry.ollama.ai/library/junk/1", "{", -1));

  make_model (snapshot, HONE_ARCH_QWEN3, HONE_GGML_TYPE_F16, TRUE);
  /* the cache keeps files as links into blobs/ */
  config_blob = g_build_filename (hub, "models--SmolOrg--Tiny-1", "blobs", "cfg", NULL);
  g_assert_cmpint (g_mkdir_with_parents (hub, 0755), ==, 0);
  {
    g_autofree char *blobs = g_path_get_dirname (config_blob);

    g_assert_cmpint (g_mkdir_with_parents (blobs, 0755), ==, 0);
  }
  g_assert_cmpint (g_rename (config, config_blob), ==, 0);
  g_assert_cmpint (symlink ("../../blobs/cfg", config), ==, 0);
  make_model (gguf_repo, HONE_ARCH_QWEN2, HONE_GGML_TYPE_Q4_0, FALSE);
  make_model (lms, HONE_ARCH_LLAMA, HONE_GGML_TYPE_Q8_0, FALSE);
  make_model (extra_gguf, HONE_ARCH_QWEN2, HONE_GGML_TYPE_F32, FALSE);
  make_model (extra_hf, HONE_ARCH_LLAMA, HONE_GGML_TYPE_F32, TRUE);
  g_free (hone_test_write_file (extra, "broken.gguf", "GGUF\3\0\0\0", 8));

  g_unsetenv ("OLLAMA_MODELS");
  g_unsetenv ("HF_HOME");
  g_unsetenv ("HF_HUB_CACHE");
  g_setenv ("HONE_MODEL_PATHS", extra, TRUE);
  entries = hone_model_discover (home);
  for (guint i = 0; i < entries->len; i++)
    {
      e = g_ptr_array_index (entries, i);
      g_test_message ("%s %s %s %s", e->source, e->name, e->info.arch_name,
                      e->error != NULL ? e->error : "");
    }
  g_assert_cmpuint (entries->len, ==, 9);

  e = find (entries, "ollama", "tiny:latest");
  g_assert_null (e->error);
  g_assert_cmpstr (e->path, ==, blob);
  g_assert_cmpstr (e->format, ==, "gguf");
  g_assert_cmpstr (e->info.arch_name, ==, "llama");
  g_assert_cmpint (e->info.quant, ==, HONE_GGML_TYPE_Q8_0);
  g_assert_cmpuint (e->info.context_length, ==, 512);
  g_assert_cmpuint (e->info.n_params, >, 0);
  e = find (entries, "ollama", "hf.co/someone/tiny-gguf:Q8_0");
  g_assert_null (e->error);
  e = find (entries, "ollama", "gone:7b");
  g_assert_nonnull (e->error);
  g_assert_true (g_str_has_prefix (e->error, "sha256-ffff: "));

  e = find (entries, "huggingface", "SmolOrg/Tiny-1");
  g_assert_null (e->error);
  g_assert_cmpstr (e->format, ==, "safetensors");
  g_assert_cmpstr (e->info.arch_name, ==, "qwen3");
  g_assert_cmpint (e->info.quant, ==, HONE_GGML_TYPE_F16);
  e = find (entries, "huggingface", "someone/Tiny-GGUF/tiny-q4_0.gguf");
  g_assert_cmpstr (e->info.arch_name, ==, "qwen2");
  g_assert_cmpint (e->info.quant, ==, HONE_GGML_TYPE_Q4_0);

  e = find (entries, "lmstudio", "pub/Tiny-GGUF/tiny-q8_0.gguf");
  g_assert_null (e->error);

  e = find (entries, "folder", "a/b.gguf");
  g_assert_cmpstr (e->info.arch_name, ==, "qwen2");
  e = find (entries, "folder", "my-hf");
  g_assert_cmpstr (e->info.arch_name, ==, "llama");
  g_assert_false (e->info.has_chat_template);
  e = find (entries, "folder", "broken.gguf");
  g_assert_nonnull (e->error);
  g_assert_true (g_str_has_prefix (e->error, "broken.gguf: "));

  /* nothing at all */
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_unsetenv ("HONE_MODEL_PATHS");
  hone_test_remove_tree (home);
  g_free (home);
  home = hone_test_make_temp_dir ("hone-home-XXXXXX");
  entries = hone_model_discover (home);
  g_assert_cmpuint (entries->len, ==, 0);
  hone_test_remove_tree (home);
}

static void
test_format_params (void)
{
  g_autofree char *a = hone_model_format_params (134515008);
  g_autofree char *b = hone_model_format_params (1235814400);
  g_autofree char *c = hone_model_format_params (512);

  g_assert_cmpstr (a, ==, "135M");
  g_assert_cmpstr (b, ==, "1.2B");
  g_assert_cmpstr (c, ==, "512");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/discovery/stores", test_discover);
  g_test_add_func ("/hone/discovery/format-params", test_format_params);

  return g_test_run ();
}
