/* hone-gpu-pipeline.c — compute pipelines from built-in SPIR-V; the on-disk cache.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SPIR-V of every shader variant is compiled by glslc at build time and bundled as a
 * GResource under /io/github/honeapp/Hone/shaders/<variant>.spv (shaders/meson.build).
 *
 * Cache file layout: "HONEPC" magic, a format version, the pipelineCacheUUID of the
 * driver, the data length and a SHA-256 of the data, then the driver's own cache blob. A
 * file that does not match in any way is ignored (and later overwritten).
 */
#define G_LOG_DOMAIN "hone-gpu"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hone-gpu-private.h"
#include "hone-shaders-resources.h"

#define RESOURCE_PREFIX "/io/github/honeapp/Hone/shaders/"
#define CACHE_MAGIC "HONEPC"
#define CACHE_VERSION 1u

typedef struct
{
  char    magic[6];
  guint16 version;
  guint8  uuid[VK_UUID_SIZE];
  guint64 length;
  guint8  sha256[32];
} CacheHeader;

static void
ensure_resources (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_resources_register (hone_shaders_get_resource ());
      g_once_init_leave (&done, 1);
    }
}

char **
hone_gpu_list_shaders (void)
{
  char **names;

  ensure_resources ();
  names = g_resources_enumerate_children (RESOURCE_PREFIX, 0, NULL);
  if (names == NULL)
    return g_new0 (char *, 1);
  for (char **n = names; *n; n++)
    {
      char *dot = g_strrstr (*n, ".spv");
      if (dot)
        *dot = '\0';
    }
  qsort (names, g_strv_length (names), sizeof (char *), (GCompareFunc) g_strcmp0);
  return names;
}

static void
pipeline_free (gpointer data,
               VkDevice device)
{
  HoneGpuPipeline *p = data;

  vkDestroyPipeline (device, p->pipeline, NULL);
  vkDestroyPipelineLayout (device, p->layout, NULL);
  vkDestroyDescriptorSetLayout (device, p->set_layout, NULL);
  g_free (p->name);
  g_free (p->bindings);
  g_free (p);
}

char *
hone_gpu_device_dup_pipeline_cache_path (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);
  return g_strdup (device->cache_path);
}

static void
load_cache (HoneGpuDevice *device,
            VkPipelineCacheCreateInfo *create,
            GBytes **keep)
{
  VkPhysicalDeviceProperties props;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const CacheHeader *header;

  if (!g_file_get_contents (device->cache_path, &contents, &length, NULL))
    return;
  vkGetPhysicalDeviceProperties (device->physical, &props);
  header = (const CacheHeader *) contents;
  if (length < sizeof (CacheHeader) || memcmp (header->magic, CACHE_MAGIC, 6) != 0
      || header->version != CACHE_VERSION
      || memcmp (header->uuid, props.pipelineCacheUUID, VK_UUID_SIZE) != 0
      || header->length != length - sizeof (CacheHeader))
    {
      g_debug ("Ignoring the pipeline cache %s: not written by this version for this driver",
               device->cache_path);
      return;
    }
  {
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize digest_len = sizeof digest;

    g_checksum_update (sum, (const guchar *) contents + sizeof (CacheHeader), header->length);
    g_checksum_get_digest (sum, digest, &digest_len);
    if (memcmp (digest, header->sha256, 32) != 0)
      {
        g_debug ("Ignoring the pipeline cache %s: damaged", device->cache_path);
        return;
      }
  }
  *keep = g_bytes_new (contents + sizeof (CacheHeader), header->length);
  create->initialDataSize = header->length;
  create->pInitialData = g_bytes_get_data (*keep, NULL);
}

gboolean
hone_gpu_pipelines_init (HoneGpuDevice *device,
                         GError       **error)
{
  VkPipelineCacheCreateInfo create = { .sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO };
  g_autoptr(GBytes) initial = NULL;
  g_autofree char *file = g_strdup_printf ("pipelines-%04x-%04x.cache", device->info->vendor_id,
                                           device->info->device_id);

  device->pipelines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  device->cache_path = g_build_filename (g_get_user_cache_dir (), "hone", file, NULL);
  load_cache (device, &create, &initial);
  if (vkCreatePipelineCache (device->device, &create, NULL, &device->pipeline_cache)
      != VK_SUCCESS)
    {
      /* A cache the driver refuses is no reason to stop: start an empty one. */
      create.initialDataSize = 0;
      create.pInitialData = NULL;
      if (!hone_gpu_check (device, vkCreatePipelineCache (device->device, &create, NULL,
                                                          &device->pipeline_cache),
                           "create a pipeline cache", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hone_gpu_device_save_pipeline_cache (HoneGpuDevice *device,
                                     GError       **error)
{
  VkPhysicalDeviceProperties props;
  CacheHeader header = { .version = CACHE_VERSION };
  gsize size = 0;
  g_autofree guint8 *data = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (device != NULL, FALSE);
  if (!hone_gpu_check (device, vkGetPipelineCacheData (device->device, device->pipeline_cache,
                                                       &size, NULL),
                       "read the pipeline cache", error))
    return FALSE;
  data = g_malloc (sizeof header + size);
  if (!hone_gpu_check (device, vkGetPipelineCacheData (device->device, device->pipeline_cache,
                                                       &size, data + sizeof header),
                       "read the pipeline cache", error))
    return FALSE;
  vkGetPhysicalDeviceProperties (device->physical, &props);
  memcpy (header.magic, CACHE_MAGIC, 6);
  memcpy (header.uuid, props.pipelineCacheUUID, VK_UUID_SIZE);
  header.length = size;
  {
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    gsize digest_len = sizeof header.sha256;
    g_checksum_update (sum, data + sizeof header, size);
    g_checksum_get_digest (sum, header.sha256, &digest_len);
  }
  memcpy (data, &header, sizeof header);
  dir = g_path_get_dirname (device->cache_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                   "Could not create the cache folder %s", dir);
      return FALSE;
    }
  return g_file_set_contents (device->cache_path, (const char *) data, sizeof header + size,
                              error);
}

void
hone_gpu_pipelines_clear (HoneGpuDevice *device)
{
  GHashTableIter iter;
  gpointer value;

  if (device->pipelines == NULL)
    return;
  if (device->pipeline_cache != VK_NULL_HANDLE && !device->lost)
    {
      g_autoptr(GError) error = NULL;
      if (!hone_gpu_device_save_pipeline_cache (device, &error))
        g_debug ("The pipeline cache was not saved: %s", error->message);
    }
  g_hash_table_iter_init (&iter, device->pipelines);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    pipeline_free (value, device->device);
  g_clear_pointer (&device->pipelines, g_hash_table_unref);
  if (device->pipeline_cache)
    vkDestroyPipelineCache (device->device, device->pipeline_cache, NULL);
  g_clear_pointer (&device->cache_path, g_free);
}

HoneGpuPipeline *
hone_gpu_pipeline_get (HoneGpuDevice *device,
                       const char    *shader,
                       const char    *bindings,
                       guint          push_size,
                       const gint32  *spec,
                       guint          n_spec,
                       GError       **error)
{
  g_autoptr(GString) key = g_string_new (shader);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) spirv = NULL;
  g_autofree VkDescriptorSetLayoutBinding *layout_bindings = NULL;
  g_autofree VkSpecializationMapEntry *entries = NULL;
  HoneGpuPipeline *p;
  VkShaderModule module = VK_NULL_HANDLE;
  guint n_bindings;
  gboolean ok;

  g_return_val_if_fail (device != NULL, NULL);
  g_return_val_if_fail (shader != NULL && bindings != NULL, NULL);

  for (guint i = 0; i < n_spec; i++)
    g_string_append_printf (key, ":%d", spec[i]);
  p = g_hash_table_lookup (device->pipelines, key->str);
  if (p != NULL)
    return p;

  ensure_resources ();
  path = g_strconcat (RESOURCE_PREFIX, shader, ".spv", NULL);
  spirv = g_resources_lookup_data (path, 0, NULL);
  if (spirv == NULL)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                   "The GPU program “%s” is not part of this build of Hone", shader);
      return NULL;
    }
  if (push_size > device->info->max_push_constants)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "The GPU program “%s” needs %u bytes of push constants; the GPU allows %u",
                   shader, push_size, device->info->max_push_constants);
      return NULL;
    }

  p = g_new0 (HoneGpuPipeline, 1);
  p->name = g_strdup (key->str);
  p->bindings = g_strdup (bindings);
  p->push_size = push_size;
  n_bindings = (guint) strlen (bindings);
  layout_bindings = g_new0 (VkDescriptorSetLayoutBinding, MAX (n_bindings, 1));
  for (guint i = 0; i < n_bindings; i++)
    {
      layout_bindings[i].binding = i;
      layout_bindings[i].descriptorType = bindings[i] == 't'
                                          ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER
                                          : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      layout_bindings[i].descriptorCount = 1;
      layout_bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
  {
    VkDescriptorSetLayoutCreateInfo set = {
      .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
      .bindingCount = n_bindings,
      .pBindings = layout_bindings,
    };
    VkPushConstantRange range = {
      .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
      .offset = 0,
      .size = push_size,
    };
    VkPipelineLayoutCreateInfo layout = {
      .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
      .setLayoutCount = 1,
      .pSetLayouts = &p->set_layout,
      .pushConstantRangeCount = push_size ? 1 : 0,
      .pPushConstantRanges = push_size ? &range : NULL,
    };
    gsize spirv_size = 0;
    const guint32 *code = g_bytes_get_data (spirv, &spirv_size);
    VkShaderModuleCreateInfo module_info = {
      .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
      .codeSize = spirv_size,
      .pCode = code,
    };

    ok = hone_gpu_check (device, vkCreateDescriptorSetLayout (device->device, &set, NULL,
                                                              &p->set_layout),
                         "prepare a GPU program", error)
         && hone_gpu_check (device, vkCreatePipelineLayout (device->device, &layout, NULL,
                                                            &p->layout),
                            "prepare a GPU program", error)
         && hone_gpu_check (device, vkCreateShaderModule (device->device, &module_info, NULL,
                                                          &module),
                            "load a GPU program", error);
  }
  if (ok)
    {
      VkSpecializationInfo spec_info = {
        .mapEntryCount = n_spec,
        .dataSize = n_spec * sizeof (gint32),
        .pData = spec,
      };
      VkComputePipelineCreateInfo create = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {
          .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
          .stage = VK_SHADER_STAGE_COMPUTE_BIT,
          .module = module,
          .pName = "main",
          .pSpecializationInfo = n_spec ? &spec_info : NULL,
        },
        .layout = p->layout,
      };
      g_autofree char *what = g_strdup_printf ("build the GPU program “%s”", shader);

      entries = g_new0 (VkSpecializationMapEntry, MAX (n_spec, 1));
      for (guint i = 0; i < n_spec; i++)
        {
          entries[i].constantID = i;
          entries[i].offset = i * sizeof (gint32);
          entries[i].size = sizeof (gint32);
        }
      spec_info.pMapEntries = entries;
      ok = hone_gpu_check (device, vkCreateComputePipelines (device->device,
                                                             device->pipeline_cache, 1,
                                                             &create, NULL, &p->pipeline),
                           what, error);
    }
  if (module != VK_NULL_HANDLE)
    vkDestroyShaderModule (device->device, module, NULL);
  if (!ok)
    {
      pipeline_free (p, device->device);
      return NULL;
    }
  g_hash_table_insert (device->pipelines, g_strdup (key->str), p);
  return p;
}
