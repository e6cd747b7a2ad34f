/* hone-model-discovery.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding models in the places other tools keep them. Each candidate is opened only as
 * far as its description (GGUF header, config.json and safetensors headers), so listing
 * a store of large models stays fast. A file that cannot be read is listed with the
 * reason rather than dropped, so a person sees why a model they know of is not usable.
 */
#define G_LOG_DOMAIN "hone-discovery"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-model-discovery.h"

/* How deep to look for models under an added folder or LM Studio's. */
#define MAX_SCAN_DEPTH 4

void
hone_model_entry_free (HoneModelEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->path);
  g_free (entry->error);
  g_free (entry);
}

char *
hone_model_format_params (guint64 n_params)
{
  if (n_params >= 1000000000)
    return g_strdup_printf ("%.1fB", n_params / 1e9);
  if (n_params >= 1000000)
    return g_strdup_printf ("%.0fM", n_params / 1e6);
  if (n_params >= 1000)
    return g_strdup_printf ("%.0fK", n_params / 1e3);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n_params);
}

static void
add_entry (GPtrArray  *entries,
           const char *source,
           const char *name,
           const char *path,
           const char *format)
{
  HoneModelEntry *entry = g_new0 (HoneModelEntry, 1);
  g_autoptr(GError) error = NULL;

  entry->source = source;
  entry->name = g_strdup (name);
  entry->path = g_strdup (path);
  entry->format = format;
  if (!hone_model_read_info (path, &entry->info, &error))
    {
      memset (&entry->info, 0, sizeof entry->info);
      entry->error = g_strdup (error->message);
    }
  g_ptr_array_add (entries, entry);
}

static gboolean
is_hf_folder (const char *dir)
{
  g_autofree char *config = g_build_filename (dir, "config.json", NULL);

  return g_file_test (config, G_FILE_TEST_IS_REGULAR);
}

/* GGUF files and Hugging Face folders under @dir, named by their path under @root. */
static void
scan_folder (GPtrArray  *entries,
             const char *source,
             const char *root,
             const char *dir,
             guint       depth)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (depth > MAX_SCAN_DEPTH || (listing = g_dir_open (dir, 0, NULL)) == NULL)
    return;
  if (depth > 0 && is_hf_folder (dir))
    {
      add_entry (entries, source, dir + strlen (root) + 1, dir, "safetensors");
      return;
    }
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (entry[0] != '.')
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        scan_folder (entries, source, root, path, depth + 1);
      else if (g_str_has_suffix (path, ".gguf"))
        add_entry (entries, source, path + strlen (root) + 1, path, "gguf");
    }
}

/* A member's string, or @fallback; json_object_get_string_member_with_default() is
 * critical about objects and arrays and gives NULL for numbers, and a file may hold any. */
static const char *
string_member (JsonObject *object,
               const char *name,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

/* Ollama: manifests/REGISTRY/NAMESPACE/MODEL/TAG, each naming its GGUF layer. */
static void
scan_ollama_manifests (GPtrArray  *entries,
                       const char *models,
                       const char *dir,
                       const char *relative,
                       guint       depth)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (listing == NULL || depth > 4)
    return;
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (entry[0] != '.')
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *child = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, child, NULL);
      g_autofree char *rel = relative[0] != '\0' ? g_strconcat (relative, "/", child, NULL)
                                                 : g_strdup (child);
      g_autofree char *contents = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_auto(GStrv) parts = NULL;
      JsonNode *layers;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          scan_ollama_manifests (entries, models, path, rel, depth + 1);
          continue;
        }
      parts = g_strsplit (rel, "/", -1);
      if (g_strv_length (parts) != 4 || !g_file_get_contents (path, &contents, &len, NULL))
        continue;
      root = hone_json_parse (child, contents, len, 1, NULL);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      layers = json_object_get_member (json_node_get_object (root), "layers");
      if (layers == NULL || !JSON_NODE_HOLDS_ARRAY (layers))
        continue;
      for (guint l = 0; l < json_array_get_length (json_node_get_array (layers)); l++)
        {
          JsonNode *layer = json_array_get_element (json_node_get_array (layers), l);
          JsonObject *o;
          const char *media, *digest;
          g_autofree char *blob = NULL;
          g_autofree char *blob_path = NULL;
          g_autofree char *name = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (layer))
            continue;
          o = json_node_get_object (layer);
          media = string_member (o, "mediaType", "");
          digest = string_member (o, "digest", "");
          if (!g_str_equal (media, "application/vnd.ollama.image.model")
              || !g_str_has_prefix (digest, "sha256:")
              || strspn (digest + 7, "0123456789abcdef") != strlen (digest + 7))
            continue;
          blob = g_strconcat ("sha256-", digest + 7, NULL);
          blob_path = g_build_filename (models, "blobs", blob, NULL);
          /* registry.ollama.ai/library/llama3.2/1b is "llama3.2:1b" */
          if (g_str_equal (parts[0], "registry.ollama.ai") && g_str_equal (parts[1], "library"))
            name = g_strdup_printf ("%s:%s", parts[2], parts[3]);
          else if (g_str_equal (parts[0], "registry.ollama.ai"))
            name = g_strdup_printf ("%s/%s:%s", parts[1], parts[2], parts[3]);
          else
            name = g_strdup_printf ("%s/%s/%s:%s", parts[0], parts[1], parts[2], parts[3]);
          add_entry (entries, "ollama", name, blob_path, "gguf");
        }
    }
}

/* The Hugging Face cache: hub/models--ORG--NAME/snapshots/REV. */
static void
scan_hf_cache (GPtrArray  *entries,
               const char *hub)
{
  g_autoptr(GDir) listing = g_dir_open (hub, 0, NULL);
  g_autoptr(GPtrArray) repos = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (listing == NULL)
    return;
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (entry, "models--"))
      g_ptr_array_add (repos, g_strdup (entry));
  g_ptr_array_sort (repos, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < repos->len; i++)
    {
      const char *repo = g_ptr_array_index (repos, i);
      g_autofree char *snapshots = g_build_filename (hub, repo, "snapshots", NULL);
      g_autoptr(GDir) revs = g_dir_open (snapshots, 0, NULL);
      g_autoptr(GPtrArray) rev_names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) repo_name = g_string_new (repo + strlen ("models--"));
      const char *rev;

      if (revs == NULL)
        continue;
      /* "ORG--NAME" is "ORG/NAME" */
      {
        char *sep = strstr (repo_name->str, "--");

        if (sep != NULL)
          {
            gsize at = sep - repo_name->str;

            g_string_erase (repo_name, at, 2);
            g_string_insert_c (repo_name, at, '/');
          }
      }
      while ((rev = g_dir_read_name (revs)) != NULL)
        g_ptr_array_add (rev_names, g_strdup (rev));
      g_ptr_array_sort (rev_names, (GCompareFunc) g_strcmp0);
      for (guint r = 0; r < rev_names->len; r++)
        {
          const char *rev_name = g_ptr_array_index (rev_names, r);
          g_autofree char *dir = g_build_filename (snapshots, rev_name, NULL);
          g_autofree char *name = rev_names->len > 1
                                  ? g_strdup_printf ("%s@%.8s", repo_name->str, rev_name)
                                  : g_strdup (repo_name->str);
          g_autoptr(GDir) files = NULL;
          g_autoptr(GPtrArray) ggufs = g_ptr_array_new_with_free_func (g_free);
          const char *file;

          if (is_hf_folder (dir))
            add_entry (entries, "huggingface", name, dir, "safetensors");
          /* GGUF repositories: one entry per file */
          if ((files = g_dir_open (dir, 0, NULL)) == NULL)
            continue;
          while ((file = g_dir_read_name (files)) != NULL)
            if (g_str_has_suffix (file, ".gguf"))
              g_ptr_array_add (ggufs, g_strdup (file));
          g_ptr_array_sort (ggufs, (GCompareFunc) g_strcmp0);
          for (guint f = 0; f < ggufs->len; f++)
            {
              g_autofree char *path = g_build_filename (dir, g_ptr_array_index (ggufs, f), NULL);
              g_autofree char *file_name = g_strdup_printf ("%s/%s", name,
                                                            (char *) g_ptr_array_index (ggufs, f));

              add_entry (entries, "huggingface", file_name, path, "gguf");
            }
        }
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const HoneModelEntry *x = *(HoneModelEntry * const *) a;
  const HoneModelEntry *y = *(HoneModelEntry * const *) b;
  int c = strcmp (x->source, y->source);

  return c != 0 ? c : strcmp (x->name, y->name);
}

GPtrArray *
hone_model_discover (const char *home)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_model_entry_free);
  const char *env;
  g_autofree char *ollama = NULL;
  g_autofree char *manifests = NULL;
  g_autofree char *hub = NULL;

  if (home == NULL)
    home = g_get_home_dir ();

  env = g_getenv ("OLLAMA_MODELS");
  ollama = env != NULL && env[0] != '\0' ? g_strdup (env)
                                         : g_build_filename (home, ".ollama", "models", NULL);
  manifests = g_build_filename (ollama, "manifests", NULL);
  scan_ollama_manifests (entries, ollama, manifests, "", 0);

  env = g_getenv ("HF_HUB_CACHE");
  if (env != NULL && env[0] != '\0')
    hub = g_strdup (env);
  else if ((env = g_getenv ("HF_HOME")) != NULL && env[0] != '\0')
    hub = g_build_filename (env, "hub", NULL);
  else
    hub = g_build_filename (home, ".cache", "huggingface", "hub", NULL);
  scan_hf_cache (entries, hub);

  {
    g_autofree char *lms = g_build_filename (home, ".lmstudio", "models", NULL);
    g_autofree char *lms_old = g_build_filename (home, ".cache", "lm-studio", "models", NULL);

    scan_folder (entries, "lmstudio", lms, lms, 0);
    scan_folder (entries, "lmstudio", lms_old, lms_old, 0);
  }

  env = g_getenv ("HONE_MODEL_PATHS");
  if (env != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        {
          if (dirs[i][0] == '\0')
            continue;
          if (g_file_test (dirs[i], G_FILE_TEST_IS_REGULAR) && g_str_has_suffix (dirs[i], ".gguf"))
            {
              g_autofree char *base = g_path_get_basename (dirs[i]);

              add_entry (entries, "folder", base, dirs[i], "gguf");
              continue;
            }
          /* a model folder itself, or a folder of models */
          if (is_hf_folder (dirs[i]))
            {
              g_autofree char *base = g_path_get_basename (dirs[i]);

              add_entry (entries, "folder", base, dirs[i], "safetensors");
              continue;
            }
          scan_folder (entries, "folder", dirs[i], dirs[i], 0);
        }
    }

  g_ptr_array_sort (entries, compare_entries);
  return entries;
}
