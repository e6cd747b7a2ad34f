/* hone-gpu-memory.c — buffers suballocated from a few large blocks; budget; staging.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each block is one VkDeviceMemory (256 MiB, or the whole of a larger buffer) with a
 * first-fit free list of ranges that merge again when freed. Every buffer is its own
 * VkBuffer bound at its range, so descriptors never need offsets and a buffer can be
 * up to maxStorageBufferRange wide on its own.
 */
#define G_LOG_DOMAIN "hone-gpu"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hone-gpu-private.h"

#define DEFAULT_BLOCK_SIZE (G_GUINT64_CONSTANT (256) << 20)

typedef struct
{
  guint64 offset;
  guint64 size;
} Range;

struct _HoneGpuBlock
{
  VkDeviceMemory memory;
  guint64        size;
  guint8        *mapping;
  GArray        *free;        /* Range, sorted by offset */
  guint64        used;
};

static void
block_free (HoneGpuDevice *device,
            HoneGpuBlock  *block)
{
  if (block->mapping)
    vkUnmapMemory (device->device, block->memory);
  vkFreeMemory (device->device, block->memory, NULL);
  g_array_unref (block->free);
  g_free (block);
}

static guint64
parse_size (const char *text)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || v < 0)
    return 0;
  switch (g_ascii_toupper (*end))
    {
    case 'K': v *= 1024.0; break;
    case 'M': v *= 1024.0 * 1024.0; break;
    case 'G': v *= 1024.0 * 1024.0 * 1024.0; break;
    default: break;
    }
  return (guint64) v;
}

/* "5.2 GB", with a plain space (g_format_size puts a no-break space there). */
static char *
format_bytes (guint64 bytes)
{
  g_autofree char *text = g_format_size (bytes);
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "\u00a0", " ", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
hone_gpu_memory_init (HoneGpuDevice *device,
                      GError       **error)
{
  VkPhysicalDeviceMemoryProperties props;
  gboolean force_staging = g_getenv ("HONE_GPU_FORCE_STAGING") != NULL
                           && strcmp (g_getenv ("HONE_GPU_FORCE_STAGING"), "0") != 0;
  gint best = -1;
  guint64 largest = 0;
  const char *budget_env = g_getenv ("HONE_GPU_BUDGET");

  vkGetPhysicalDeviceMemoryProperties (device->physical, &props);
  /* Device-local and host-visible (unified memory, lavapipe): zero copy. Else device-local
   * with staging copies. Among equals, the type on the largest heap. */
  for (int pass = 0; pass < 2 && best < 0; pass++)
    for (guint32 i = 0; i < props.memoryTypeCount; i++)
      {
        VkMemoryPropertyFlags f = props.memoryTypes[i].propertyFlags;
        guint64 heap = props.memoryHeaps[props.memoryTypes[i].heapIndex].size;
        gboolean host = (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
                        && (f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);

        if (!(f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT))
          continue;
        if (pass == 0 && (!host || force_staging || heap < (G_GUINT64_CONSTANT (256) << 20)))
          continue;
        if (best < 0 || heap > largest)
          {
            best = (gint) i;
            largest = heap;
          }
      }
  if (best < 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "The GPU “%s” has no device memory Hone can use", device->info->name);
      return FALSE;
    }
  device->memory_type = (guint32) best;
  device->host_visible = !force_staging
                         && (props.memoryTypes[best].propertyFlags
                             & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
                         && (props.memoryTypes[best].propertyFlags
                             & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
  device->blocks = g_ptr_array_new ();
  device->block_size = MIN (DEFAULT_BLOCK_SIZE, device->info->max_allocation_size);

  {
    guint32 heap_index = props.memoryTypes[best].heapIndex;
    guint64 heap = props.memoryHeaps[heap_index].size;

    device->default_budget = heap / 10 * 9;
    if (device->info->has_memory_budget)
      {
        const HoneGpuHeapInfo *h = &g_array_index (device->info->heaps, HoneGpuHeapInfo,
                                                   heap_index);
        if (h->budget > 0)
          device->default_budget = h->budget > h->usage ? h->budget - h->usage : 0;
      }
  }
  /* A CPU device's heap size is nominal (lavapipe reports 2 GiB and does not enforce it):
   * the real limit is the computer's memory. */
  if (device->info->type == HONE_GPU_DEVICE_CPU)
    {
      long pages = sysconf (_SC_PHYS_PAGES), page_size = sysconf (_SC_PAGE_SIZE);
      if (pages > 0 && page_size > 0)
        device->default_budget = MAX (device->default_budget,
                                      (guint64) pages * (guint64) page_size / 4 * 3);
    }
  device->budget = device->default_budget;
  if (budget_env != NULL && parse_size (budget_env) > 0)
    device->budget = parse_size (budget_env);
  return TRUE;
}

void
hone_gpu_memory_clear (HoneGpuDevice *device)
{
  if (device->blocks == NULL)
    return;
  if (device->live_bytes != 0)
    g_warning ("%" G_GUINT64_FORMAT " bytes of GPU buffers were not freed", device->live_bytes);
  for (guint i = 0; i < device->blocks->len; i++)
    block_free (device, device->blocks->pdata[i]);
  g_clear_pointer (&device->blocks, g_ptr_array_unref);
}

static gboolean
block_take (HoneGpuBlock *block,
            guint64       size,
            guint64       alignment,
            guint64      *offset_out,
            guint64      *reserved_start_out,
            guint64      *reserved_out)
{
  for (guint i = 0; i < block->free->len; i++)
    {
      Range *r = &g_array_index (block->free, Range, i);
      guint64 start = (r->offset + alignment - 1) / alignment * alignment;
      guint64 end = start + size;

      if (end > r->offset + r->size)
        continue;
      /* The alignment padding stays with the buffer so that freeing it is exact. */
      *offset_out = start;
      *reserved_start_out = r->offset;
      *reserved_out = end - r->offset;
      r->size -= end - r->offset;
      r->offset = end;
      if (r->size == 0)
        g_array_remove_index (block->free, i);
      block->used += *reserved_out;
      return TRUE;
    }
  return FALSE;
}

static void
block_give_back (HoneGpuBlock *block,
                 guint64       offset,
                 guint64       size)
{
  Range range = { offset, size };
  guint i = 0;

  while (i < block->free->len && g_array_index (block->free, Range, i).offset < offset)
    i++;
  g_array_insert_val (block->free, i, range);
  /* Merge with the next, then with the previous. */
  if (i + 1 < block->free->len)
    {
      Range *a = &g_array_index (block->free, Range, i);
      Range *b = &g_array_index (block->free, Range, i + 1);
      if (a->offset + a->size == b->offset)
        {
          a->size += b->size;
          g_array_remove_index (block->free, i + 1);
        }
    }
  if (i > 0)
    {
      Range *a = &g_array_index (block->free, Range, i - 1);
      Range *b = &g_array_index (block->free, Range, i);
      if (a->offset + a->size == b->offset)
        {
          a->size += b->size;
          g_array_remove_index (block->free, i);
        }
    }
  block->used -= size;
}

static HoneGpuBlock *
block_new (HoneGpuDevice *device,
           guint64        size,
           GError       **error)
{
  VkMemoryAllocateInfo alloc = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
    .allocationSize = size,
    .memoryTypeIndex = device->memory_type,
  };
  HoneGpuBlock *block = g_new0 (HoneGpuBlock, 1);
  Range all = { 0, size };
  VkResult result = vkAllocateMemory (device->device, &alloc, NULL, &block->memory);

  if (result != VK_SUCCESS)
    {
      g_autofree char *want = format_bytes (size);
      g_autofree char *what = g_strdup_printf ("reserve %s of GPU memory", want);
      g_free (block);
      hone_gpu_check (device, result, what, error);
      return NULL;
    }
  block->size = size;
  block->free = g_array_new (FALSE, FALSE, sizeof (Range));
  g_array_append_val (block->free, all);
  if (device->host_visible)
    {
      void *p = NULL;
      result = vkMapMemory (device->device, block->memory, 0, VK_WHOLE_SIZE, 0, &p);
      if (!hone_gpu_check (device, result, "map GPU memory", error))
        {
          vkFreeMemory (device->device, block->memory, NULL);
          g_array_unref (block->free);
          g_free (block);
          return NULL;
        }
      block->mapping = p;
    }
  g_ptr_array_add (device->blocks, block);
  return block;
}

HoneGpuBuffer *
hone_gpu_buffer_new (HoneGpuDevice *device,
                     gsize          size,
                     GError       **error)
{
  g_autofree HoneGpuBuffer *buffer = NULL;
  VkBufferCreateInfo create = {
    .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
    .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT
             | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
    .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
  };
  VkMemoryRequirements req;
  HoneGpuBlock *block = NULL;
  guint64 offset = 0, reserved = 0, reserved_start = 0;
  gsize rounded;

  g_return_val_if_fail (device != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  rounded = (size + 15) & ~(gsize) 15;
  if (device->live_bytes + rounded > device->budget)
    {
      g_autofree char *need = format_bytes (rounded);
      g_autofree char *free_text = format_bytes (device->budget > device->live_bytes
                                                 ? device->budget - device->live_bytes : 0);
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_OUT_OF_MEMORY,
                   "Not enough GPU memory: needs %s of GPU memory, %s free", need, free_text);
      return NULL;
    }

  buffer = g_new0 (HoneGpuBuffer, 1);
  buffer->device = device;
  buffer->size = rounded;
  create.size = rounded;
  if (!hone_gpu_check (device, vkCreateBuffer (device->device, &create, NULL, &buffer->buffer),
                       "create a GPU buffer", error))
    return NULL;
  vkGetBufferMemoryRequirements (device->device, buffer->buffer, &req);
  if (!(req.memoryTypeBits & (1u << device->memory_type)))
    {
      vkDestroyBuffer (device->device, buffer->buffer, NULL);
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "The GPU cannot put buffers in the memory Hone chose");
      return NULL;
    }
  {
    /* Views need texel alignment too; the requirements usually cover it already. */
    guint64 alignment = MAX (req.alignment,
                             MAX (device->info->min_texel_buffer_offset_alignment,
                                  device->info->min_storage_buffer_offset_alignment));
    alignment = MAX (alignment, 16);
    for (guint i = 0; i < device->blocks->len && block == NULL; i++)
      if (block_take (device->blocks->pdata[i], req.size, alignment, &offset,
                          &reserved_start, &reserved))
        block = device->blocks->pdata[i];
    if (block == NULL)
      {
        block = block_new (device, MAX (device->block_size, req.size), error);
        if (block == NULL || !block_take (block, req.size, alignment, &offset, &reserved_start,
                                            &reserved))
          {
            vkDestroyBuffer (device->device, buffer->buffer, NULL);
            if (block != NULL)
              g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                           "GPU memory could not be divided");
            return NULL;
          }
      }
  }
  if (!hone_gpu_check (device, vkBindBufferMemory (device->device, buffer->buffer,
                                                   block->memory, offset),
                       "place a GPU buffer", error))
    {
      block_give_back (block, reserved_start, reserved);
      vkDestroyBuffer (device->device, buffer->buffer, NULL);
      return NULL;
    }
  buffer->block = block;
  buffer->offset = offset;
  buffer->reserved_start = reserved_start;
  buffer->reserved = reserved;
  if (block->mapping)
    buffer->mapping = block->mapping + offset;
  device->live_bytes += rounded;
  device->peak_bytes = MAX (device->peak_bytes, device->live_bytes);
  return g_steal_pointer (&buffer);
}

void
hone_gpu_buffer_free (HoneGpuBuffer *buffer)
{
  HoneGpuDevice *device;

  if (buffer == NULL)
    return;
  device = buffer->device;
  vkDestroyBuffer (device->device, buffer->buffer, NULL);
  block_give_back (buffer->block, buffer->reserved_start, buffer->reserved);
  /* Empty blocks go back to the driver, except the first, which the next step reuses. */
  if (buffer->block->used == 0 && buffer->block != device->blocks->pdata[0])
    {
      g_ptr_array_remove (device->blocks, buffer->block);
      block_free (device, buffer->block);
    }
  device->live_bytes -= buffer->size;
  g_free (buffer);
}

gsize
hone_gpu_buffer_get_size (HoneGpuBuffer *buffer)
{
  g_return_val_if_fail (buffer != NULL, 0);
  return buffer->size;
}

gpointer
hone_gpu_buffer_get_mapping (HoneGpuBuffer *buffer)
{
  g_return_val_if_fail (buffer != NULL, NULL);
  return buffer->mapping;
}

typedef struct
{
  VkBuffer src, dst;
  VkBufferCopy region;
  gboolean to_host;
} CopyJob;

static void
record_copy (VkCommandBuffer cmd,
             gpointer        data)
{
  CopyJob *job = data;
  VkMemoryBarrier before = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
    .srcAccessMask = VK_ACCESS_HOST_WRITE_BIT,
    .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
  };
  VkMemoryBarrier after = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
    .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
    .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
  };

  if (!job->to_host)
    vkCmdPipelineBarrier (cmd, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                          1, &before, 0, NULL, 0, NULL);
  vkCmdCopyBuffer (cmd, job->src, job->dst, 1, &job->region);
  if (job->to_host)
    vkCmdPipelineBarrier (cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0,
                          1, &after, 0, NULL, 0, NULL);
}

/* A host-visible buffer outside the budget, for staging. */
static gboolean
staging_new (HoneGpuDevice  *device,
             gsize           size,
             VkBuffer       *buffer,
             VkDeviceMemory *memory,
             void          **mapping,
             GError        **error)
{
  VkBufferCreateInfo create = {
    .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
    .size = size,
    .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
  };
  VkPhysicalDeviceMemoryProperties props;
  VkMemoryRequirements req;
  VkMemoryAllocateInfo alloc = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };
  gint type = -1;

  if (!hone_gpu_check (device, vkCreateBuffer (device->device, &create, NULL, buffer),
                       "create a staging buffer", error))
    return FALSE;
  vkGetBufferMemoryRequirements (device->device, *buffer, &req);
  vkGetPhysicalDeviceMemoryProperties (device->physical, &props);
  for (guint32 i = 0; i < props.memoryTypeCount && type < 0; i++)
    {
      VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
                                   | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      if ((req.memoryTypeBits & (1u << i)) && (props.memoryTypes[i].propertyFlags & want) == want)
        type = (gint) i;
    }
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = (guint32) MAX (type, 0);
  if (type < 0
      || !hone_gpu_check (device, vkAllocateMemory (device->device, &alloc, NULL, memory),
                          "reserve staging memory", error))
    {
      if (type < 0)
        g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                     "The GPU has no memory the computer can write to");
      vkDestroyBuffer (device->device, *buffer, NULL);
      return FALSE;
    }
  if (!hone_gpu_check (device, vkBindBufferMemory (device->device, *buffer, *memory, 0),
                       "place a staging buffer", error)
      || !hone_gpu_check (device, vkMapMemory (device->device, *memory, 0, VK_WHOLE_SIZE, 0,
                                               mapping),
                          "map staging memory", error))
    {
      vkDestroyBuffer (device->device, *buffer, NULL);
      vkFreeMemory (device->device, *memory, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
transfer (HoneGpuBuffer *buffer,
          gsize          offset,
          gpointer       data,
          gsize          size,
          gboolean       to_host,
          GError       **error)
{
  HoneGpuDevice *device = buffer->device;
  VkBuffer staging;
  VkDeviceMemory memory;
  void *mapping = NULL;
  CopyJob job = { .to_host = to_host };
  gboolean ok;

  g_return_val_if_fail (offset + size <= buffer->size, FALSE);
  if (size == 0)
    return TRUE;
  if (device->lost)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_DEVICE_LOST,
                   "The GPU stopped responding (device lost); restart the work");
      return FALSE;
    }
  if (buffer->mapping != NULL)
    {
      if (to_host)
        memcpy (data, buffer->mapping + offset, size);
      else
        memcpy (buffer->mapping + offset, data, size);
      return TRUE;
    }
  if (!staging_new (device, size, &staging, &memory, &mapping, error))
    return FALSE;
  if (!to_host)
    memcpy (mapping, data, size);
  job.src = to_host ? buffer->buffer : staging;
  job.dst = to_host ? staging : buffer->buffer;
  job.region.srcOffset = to_host ? offset : 0;
  job.region.dstOffset = to_host ? 0 : offset;
  job.region.size = size;
  ok = hone_gpu_run_once (device, record_copy, &job, error);
  if (ok && to_host)
    memcpy (data, mapping, size);
  vkUnmapMemory (device->device, memory);
  vkDestroyBuffer (device->device, staging, NULL);
  vkFreeMemory (device->device, memory, NULL);
  return ok;
}

gboolean
hone_gpu_buffer_upload (HoneGpuBuffer *buffer,
                        gsize          offset,
                        gconstpointer  data,
                        gsize          size,
                        GError       **error)
{
  g_return_val_if_fail (buffer != NULL, FALSE);
  return transfer (buffer, offset, (gpointer) data, size, FALSE, error);
}

gboolean
hone_gpu_buffer_download (HoneGpuBuffer *buffer,
                          gsize          offset,
                          gpointer       data,
                          gsize          size,
                          GError       **error)
{
  g_return_val_if_fail (buffer != NULL, FALSE);
  return transfer (buffer, offset, data, size, TRUE, error);
}

guint64
hone_gpu_device_get_live_bytes (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, 0);
  return device->live_bytes;
}

guint64
hone_gpu_device_get_peak_bytes (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, 0);
  return device->peak_bytes;
}

void
hone_gpu_device_reset_peak_bytes (HoneGpuDevice *device)
{
  g_return_if_fail (device != NULL);
  device->peak_bytes = device->live_bytes;
}

void
hone_gpu_device_set_budget (HoneGpuDevice *device,
                            guint64        bytes)
{
  g_return_if_fail (device != NULL);
  device->budget = bytes ? bytes : device->default_budget;
}

guint64
hone_gpu_device_get_budget (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, 0);
  return device->budget;
}

guint
hone_gpu_device_get_n_blocks (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, 0);
  return device->blocks->len;
}
