/* hone-gpu-private.h — what the runtime's files share.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <vulkan/vulkan.h>

#include "hone-gpu.h"

G_BEGIN_DECLS

typedef struct _HoneGpuBlock HoneGpuBlock;

struct _HoneGpuDevice
{
  VkInstance                instance;
  VkDebugUtilsMessengerEXT  messenger;
  VkPhysicalDevice          physical;
  VkDevice                  device;
  VkQueue                   queue;
  guint32                   queue_family;
  VkCommandPool             transfer_pool;   /* for staging copies */
  HoneGpuDeviceInfo        *info;
  gboolean                  validating;
  GPtrArray                *messages;        /* char *, validation messages */
  GMutex                    messages_lock;   /* the layer may call from any thread */
  gboolean                  lost;

  /* memory */
  guint32                   memory_type;
  gboolean                  host_visible;
  GPtrArray                *blocks;          /* HoneGpuBlock */
  guint64                   block_size;
  guint64                   live_bytes;
  guint64                   peak_bytes;
  guint64                   budget;
  guint64                   default_budget;

  /* pipelines */
  VkPipelineCache           pipeline_cache;
  GHashTable               *pipelines;       /* key string → HoneGpuPipeline */
  char                     *cache_path;

  /* profiling */
  gboolean                  profiling;
  GHashTable               *profile;         /* label → ProfileEntry */
};

struct _HoneGpuBuffer
{
  HoneGpuDevice *device;
  VkBuffer       buffer;
  HoneGpuBlock  *block;
  guint64        offset;         /* in the block */
  guint64        reserved_start; /* where the range taken from the block starts */
  guint64        reserved;       /* bytes taken from the block (with alignment padding) */
  gsize          size;           /* rounded to 16 */
  guint8        *mapping;
};

struct _HoneGpuPipeline
{
  char                 *name;
  VkDescriptorSetLayout set_layout;
  VkPipelineLayout      layout;
  VkPipeline            pipeline;
  char                 *bindings;
  guint                 push_size;
};

/* Turns a VkResult into a GError: "Could not WHAT: the GPU ran out of memory". Returns
 * TRUE on VK_SUCCESS (and marks the device lost on VK_ERROR_DEVICE_LOST). */
gboolean hone_gpu_check        (HoneGpuDevice *device,
                                VkResult       result,
                                const char    *what,
                                GError       **error);
/* The plain words for a VkResult. */
const char *hone_gpu_result_to_string (VkResult result);

gboolean hone_gpu_memory_init  (HoneGpuDevice *device,
                                GError       **error);
void     hone_gpu_memory_clear (HoneGpuDevice *device);

gboolean hone_gpu_pipelines_init  (HoneGpuDevice *device,
                                   GError       **error);
void     hone_gpu_pipelines_clear (HoneGpuDevice *device);

/* Profiling table, filled by streams. */
void     hone_gpu_profile_add  (HoneGpuDevice *device,
                                const char    *label,
                                double         ns);

/* One-shot command buffer on the device's queue, for staging copies. */
gboolean hone_gpu_run_once     (HoneGpuDevice *device,
                                void         (*record) (VkCommandBuffer cmd, gpointer data),
                                gpointer       data,
                                GError       **error);

G_END_DECLS
