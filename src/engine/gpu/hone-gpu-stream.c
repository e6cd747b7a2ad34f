/* hone-gpu-stream.c — recording dispatches with the barriers their dependencies need.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hazards are tracked per buffer within an "epoch": the commands recorded since the last
 * barrier. A command that reads a buffer written in this epoch (read after write), or
 * writes one read or written in it (write after read / write after write), closes the
 * epoch with one global memory barrier (compute + transfer → compute + transfer). So
 * independent dispatches (the Q, K and V projections) run with no barrier between them,
 * and a chain of dependent ones gets exactly one barrier per link.
 */
#define G_LOG_DOMAIN "hone-gpu"

#include "config.h"

#include <string.h>

#include "hone-gpu-private.h"

#define SETS_PER_POOL 256
#define MAX_QUERIES 4096

enum
{
  HAZARD_READ = 1,
  HAZARD_WRITE = 2,
};

struct _HoneGpuStream
{
  HoneGpuDevice   *device;
  VkCommandPool    pool;
  VkCommandBuffer  cmd;
  VkFence          fence;
  gboolean         recording;
  gboolean         timing;             /* queries were reset at the start */
  GArray          *descriptor_pools;   /* VkDescriptorPool */
  guint            sets_in_last_pool;
  GArray          *views;              /* VkBufferView to destroy after the submit */
  GHashTable      *epoch;              /* VkBuffer → HAZARD_* bits */
  VkQueryPool      queries;
  guint            n_queries;
  GPtrArray       *labels;             /* one per timed dispatch */
  guint            n_dispatches;
  guint            n_barriers;
  GError          *deferred;           /* first recording error, returned by submit */
};

HoneGpuStream *
hone_gpu_stream_new (HoneGpuDevice *device,
                     GError       **error)
{
  g_autoptr(HoneGpuStream) stream = g_new0 (HoneGpuStream, 1);
  VkCommandPoolCreateInfo pool = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
    .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
    .queueFamilyIndex = device->queue_family,
  };
  VkFenceCreateInfo fence = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };

  g_return_val_if_fail (device != NULL, NULL);
  stream->device = device;
  stream->descriptor_pools = g_array_new (FALSE, FALSE, sizeof (VkDescriptorPool));
  stream->views = g_array_new (FALSE, FALSE, sizeof (VkBufferView));
  stream->epoch = g_hash_table_new (g_direct_hash, g_direct_equal);
  stream->labels = g_ptr_array_new_with_free_func (g_free);
  stream->sets_in_last_pool = SETS_PER_POOL;

  if (!hone_gpu_check (device, vkCreateCommandPool (device->device, &pool, NULL, &stream->pool),
                       "create a command pool", error)
      || !hone_gpu_check (device, vkCreateFence (device->device, &fence, NULL, &stream->fence),
                          "create a fence", error))
    return NULL;
  {
    VkCommandBufferAllocateInfo alloc = {
      .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
      .commandPool = stream->pool,
      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
      .commandBufferCount = 1,
    };
    if (!hone_gpu_check (device, vkAllocateCommandBuffers (device->device, &alloc, &stream->cmd),
                         "create a command buffer", error))
      return NULL;
  }
  if (device->info->timestamps)
    {
      VkQueryPoolCreateInfo q = {
        .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
        .queryType = VK_QUERY_TYPE_TIMESTAMP,
        .queryCount = MAX_QUERIES,
      };
      if (!hone_gpu_check (device, vkCreateQueryPool (device->device, &q, NULL, &stream->queries),
                           "create timestamp queries", error))
        return NULL;
    }
  return g_steal_pointer (&stream);
}

static void
release_recording (HoneGpuStream *stream)
{
  VkDevice dev = stream->device->device;

  for (guint i = 0; i < stream->views->len; i++)
    vkDestroyBufferView (dev, g_array_index (stream->views, VkBufferView, i), NULL);
  g_array_set_size (stream->views, 0);
  for (guint i = 0; i < stream->descriptor_pools->len; i++)
    vkResetDescriptorPool (dev, g_array_index (stream->descriptor_pools, VkDescriptorPool, i), 0);
  /* Keep the pools; start filling from the first again. */
  if (stream->descriptor_pools->len > 1)
    {
      for (guint i = 1; i < stream->descriptor_pools->len; i++)
        vkDestroyDescriptorPool (dev, g_array_index (stream->descriptor_pools, VkDescriptorPool, i),
                                 NULL);
      g_array_set_size (stream->descriptor_pools, 1);
    }
  stream->sets_in_last_pool = stream->descriptor_pools->len ? 0 : SETS_PER_POOL;
  g_hash_table_remove_all (stream->epoch);
  g_ptr_array_set_size (stream->labels, 0);
  stream->n_queries = 0;
  stream->recording = FALSE;
  vkResetCommandBuffer (stream->cmd, 0);
}

void
hone_gpu_stream_free (HoneGpuStream *stream)
{
  VkDevice dev;

  if (stream == NULL)
    return;
  dev = stream->device->device;
  if (stream->recording)
    release_recording (stream);
  else
    {
      for (guint i = 0; i < stream->views->len; i++)
        vkDestroyBufferView (dev, g_array_index (stream->views, VkBufferView, i), NULL);
    }
  for (guint i = 0; i < stream->descriptor_pools->len; i++)
    vkDestroyDescriptorPool (dev, g_array_index (stream->descriptor_pools, VkDescriptorPool, i),
                             NULL);
  if (stream->queries)
    vkDestroyQueryPool (dev, stream->queries, NULL);
  if (stream->fence)
    vkDestroyFence (dev, stream->fence, NULL);
  if (stream->pool)
    vkDestroyCommandPool (dev, stream->pool, NULL);
  g_array_unref (stream->descriptor_pools);
  g_array_unref (stream->views);
  g_hash_table_unref (stream->epoch);
  g_ptr_array_unref (stream->labels);
  g_clear_error (&stream->deferred);
  g_free (stream);
}

static gboolean
begin (HoneGpuStream *stream,
       GError       **error)
{
  VkCommandBufferBeginInfo info = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
    .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
  };

  if (stream->recording)
    return TRUE;
  if (!hone_gpu_check (stream->device, vkBeginCommandBuffer (stream->cmd, &info),
                       "start recording GPU work", error))
    return FALSE;
  stream->recording = TRUE;
  stream->n_dispatches = 0;
  stream->n_barriers = 0;
  stream->timing = stream->queries && stream->device->profiling;
  if (stream->timing)
    vkCmdResetQueryPool (stream->cmd, stream->queries, 0, MAX_QUERIES);
  return TRUE;
}

static void
barrier (HoneGpuStream *stream)
{
  VkMemoryBarrier b = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
    .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
    .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT
                     | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
  };
  VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT
                                | VK_PIPELINE_STAGE_TRANSFER_BIT;

  vkCmdPipelineBarrier (stream->cmd, stages, stages, 0, 1, &b, 0, NULL, 0, NULL);
  g_hash_table_remove_all (stream->epoch);
  stream->n_barriers++;
}

/* Before a command touching @buffers with @access (HAZARD_* bits each). */
static void
track (HoneGpuStream *stream,
       VkBuffer      *buffers,
       guint         *access,
       guint          n)
{
  gboolean hazard = FALSE;

  for (guint i = 0; i < n && !hazard; i++)
    {
      guint prev = GPOINTER_TO_UINT (g_hash_table_lookup (stream->epoch, buffers[i]));
      if ((prev & HAZARD_WRITE) || ((access[i] & HAZARD_WRITE) && prev))
        hazard = TRUE;
    }
  if (hazard)
    barrier (stream);
  for (guint i = 0; i < n; i++)
    {
      guint prev = GPOINTER_TO_UINT (g_hash_table_lookup (stream->epoch, buffers[i]));
      g_hash_table_insert (stream->epoch, buffers[i], GUINT_TO_POINTER (prev | access[i]));
    }
}

static VkDescriptorSet
allocate_set (HoneGpuStream   *stream,
              HoneGpuPipeline *pipeline,
              GError         **error)
{
  VkDevice dev = stream->device->device;
  VkDescriptorSet set = VK_NULL_HANDLE;
  VkDescriptorSetAllocateInfo alloc = {
    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
    .descriptorSetCount = 1,
    .pSetLayouts = &pipeline->set_layout,
  };

  if (stream->sets_in_last_pool >= SETS_PER_POOL)
    {
      VkDescriptorPoolSize sizes[] = {
        { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, SETS_PER_POOL * 8 },
        { VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, SETS_PER_POOL * 8 },
      };
      VkDescriptorPoolCreateInfo create = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = SETS_PER_POOL,
        .poolSizeCount = G_N_ELEMENTS (sizes),
        .pPoolSizes = sizes,
      };
      VkDescriptorPool pool;

      if (!hone_gpu_check (stream->device, vkCreateDescriptorPool (dev, &create, NULL, &pool),
                           "create a descriptor pool", error))
        return VK_NULL_HANDLE;
      g_array_append_val (stream->descriptor_pools, pool);
      stream->sets_in_last_pool = 0;
    }
  alloc.descriptorPool = g_array_index (stream->descriptor_pools, VkDescriptorPool,
                                        stream->descriptor_pools->len - 1);
  if (!hone_gpu_check (stream->device, vkAllocateDescriptorSets (dev, &alloc, &set),
                       "bind GPU buffers", error))
    return VK_NULL_HANDLE;
  stream->sets_in_last_pool++;
  return set;
}

static VkFormat
texel_format (HoneGpuAccess access,
              guint        *texel_size)
{
  switch (access)
    {
    case HONE_GPU_TEXEL_R32F: *texel_size = 4; return VK_FORMAT_R32_SFLOAT;
    case HONE_GPU_TEXEL_RGBA32F: *texel_size = 16; return VK_FORMAT_R32G32B32A32_SFLOAT;
    case HONE_GPU_TEXEL_R16F: *texel_size = 2; return VK_FORMAT_R16_SFLOAT;
    case HONE_GPU_TEXEL_RGBA16F: *texel_size = 8; return VK_FORMAT_R16G16B16A16_SFLOAT;
    case HONE_GPU_TEXEL_R32UI: *texel_size = 4; return VK_FORMAT_R32_UINT;
    case HONE_GPU_TEXEL_RGBA32UI: *texel_size = 16; return VK_FORMAT_R32G32B32A32_UINT;
    case HONE_GPU_STORAGE_READ:
    case HONE_GPU_STORAGE_WRITE:
    case HONE_GPU_STORAGE_READ_WRITE:
    default: *texel_size = 0; return VK_FORMAT_UNDEFINED;
    }
}

gboolean
hone_gpu_stream_dispatch (HoneGpuStream         *stream,
                          HoneGpuPipeline       *pipeline,
                          const HoneGpuBinding  *bindings,
                          guint                  n_bindings,
                          gconstpointer          push,
                          guint                  push_size,
                          guint32                groups_x,
                          guint32                groups_y,
                          guint32                groups_z,
                          const char            *label,
                          GError               **error)
{
  HoneGpuDevice *device;
  const HoneGpuDeviceInfo *info;
  g_autofree VkWriteDescriptorSet *writes = NULL;
  g_autofree VkDescriptorBufferInfo *buffer_infos = NULL;
  g_autofree VkBufferView *views = NULL;
  g_autofree VkBuffer *handles = NULL;
  g_autofree guint *access = NULL;
  VkDescriptorSet set;
  GError *local = NULL;
  gboolean timed;

  g_return_val_if_fail (stream != NULL && pipeline != NULL, FALSE);
  g_return_val_if_fail (n_bindings == strlen (pipeline->bindings), FALSE);
  g_return_val_if_fail (push_size == pipeline->push_size, FALSE);
  device = stream->device;
  info = device->info;

  if (groups_x == 0 || groups_y == 0 || groups_z == 0)
    return TRUE;
  if (groups_x > info->max_workgroup_count[0] || groups_y > info->max_workgroup_count[1]
      || groups_z > info->max_workgroup_count[2])
    {
      g_set_error (&local, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "%s: %u×%u×%u workgroups is more than the GPU allows", label, groups_x,
                   groups_y, groups_z);
      goto fail;
    }
  if (!begin (stream, &local))
    goto fail;

  writes = g_new0 (VkWriteDescriptorSet, n_bindings);
  buffer_infos = g_new0 (VkDescriptorBufferInfo, n_bindings);
  views = g_new0 (VkBufferView, n_bindings);
  handles = g_new0 (VkBuffer, n_bindings);
  access = g_new0 (guint, n_bindings);
  for (guint i = 0; i < n_bindings; i++)
    {
      const HoneGpuBinding *b = &bindings[i];
      gsize range = b->range ? b->range : b->buffer->size - b->offset;
      guint texel_size = 0;
      VkFormat format = texel_format (b->access, &texel_size);
      gboolean is_texel = format != VK_FORMAT_UNDEFINED;

      if ((pipeline->bindings[i] == 't') != is_texel || b->offset + range > b->buffer->size)
        {
          g_set_error (&local, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED,
                       "%s: binding %u does not match the GPU program", label, i);
          goto fail;
        }
      handles[i] = b->buffer->buffer;
      writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
      writes[i].dstBinding = i;
      writes[i].descriptorCount = 1;
      if (is_texel)
        {
          VkBufferViewCreateInfo view = {
            .sType = VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO,
            .buffer = b->buffer->buffer,
            .format = format,
            .offset = b->offset,
            .range = range / texel_size * texel_size,
          };
          if (b->offset % info->min_texel_buffer_offset_alignment != 0
              || range / texel_size > info->max_texel_buffer_elements || view.range == 0)
            {
              g_set_error (&local, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                           "%s: a tensor of %" G_GSIZE_FORMAT " bytes is larger than this GPU "
                           "can read at once (%" G_GUINT64_FORMAT " elements)", label, range,
                           info->max_texel_buffer_elements);
              goto fail;
            }
          if (!hone_gpu_check (device, vkCreateBufferView (device->device, &view, NULL,
                                                           &views[i]),
                               "view a GPU buffer", &local))
            goto fail;
          g_array_append_val (stream->views, views[i]);
          writes[i].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
          writes[i].pTexelBufferView = &views[i];
          access[i] = HAZARD_READ;
        }
      else
        {
          if (range > info->max_storage_buffer_range
              || b->offset % info->min_storage_buffer_offset_alignment != 0)
            {
              g_set_error (&local, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                           "%s: a tensor of %" G_GSIZE_FORMAT " bytes is larger than this GPU "
                           "can write at once (%" G_GUINT64_FORMAT " bytes)", label, range,
                           info->max_storage_buffer_range);
              goto fail;
            }
          buffer_infos[i].buffer = b->buffer->buffer;
          buffer_infos[i].offset = b->offset;
          buffer_infos[i].range = range;
          writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
          writes[i].pBufferInfo = &buffer_infos[i];
          access[i] = b->access == HONE_GPU_STORAGE_READ ? HAZARD_READ
                      : b->access == HONE_GPU_STORAGE_WRITE ? HAZARD_WRITE
                      : HAZARD_READ | HAZARD_WRITE;
        }
    }
  set = allocate_set (stream, pipeline, &local);
  if (set == VK_NULL_HANDLE)
    goto fail;
  for (guint i = 0; i < n_bindings; i++)
    writes[i].dstSet = set;
  vkUpdateDescriptorSets (device->device, n_bindings, writes, 0, NULL);

  track (stream, handles, access, n_bindings);
  timed = stream->timing && stream->n_queries + 2 <= MAX_QUERIES;
  if (timed)
    vkCmdWriteTimestamp (stream->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, stream->queries,
                         stream->n_queries);
  vkCmdBindPipeline (stream->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->pipeline);
  vkCmdBindDescriptorSets (stream->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->layout, 0, 1,
                           &set, 0, NULL);
  if (push_size)
    vkCmdPushConstants (stream->cmd, pipeline->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_size,
                        push);
  vkCmdDispatch (stream->cmd, groups_x, groups_y, groups_z);
  if (timed)
    {
      vkCmdWriteTimestamp (stream->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, stream->queries,
                           stream->n_queries + 1);
      stream->n_queries += 2;
      g_ptr_array_add (stream->labels, g_strdup (label ? label : pipeline->name));
    }
  stream->n_dispatches++;
  return TRUE;

fail:
  if (stream->deferred == NULL)
    stream->deferred = g_error_copy (local);
  g_propagate_error (error, local);
  return FALSE;
}

void
hone_gpu_stream_fill (HoneGpuStream *stream,
                      HoneGpuBuffer *buffer,
                      gsize          offset,
                      gsize          size,
                      guint32        value)
{
  guint access = HAZARD_WRITE;

  g_return_if_fail (stream != NULL && buffer != NULL);
  g_return_if_fail (offset % 4 == 0 && size % 4 == 0);
  if (!begin (stream, stream->deferred ? NULL : &stream->deferred))
    return;
  track (stream, &buffer->buffer, &access, 1);
  vkCmdFillBuffer (stream->cmd, buffer->buffer, offset, size ? size : VK_WHOLE_SIZE, value);
}

void
hone_gpu_stream_copy (HoneGpuStream *stream,
                      HoneGpuBuffer *src,
                      gsize          src_offset,
                      HoneGpuBuffer *dst,
                      gsize          dst_offset,
                      gsize          size)
{
  VkBuffer handles[2] = { src->buffer, dst->buffer };
  guint access[2] = { HAZARD_READ, HAZARD_WRITE };
  VkBufferCopy region = { src_offset, dst_offset, size };

  g_return_if_fail (stream != NULL);
  g_return_if_fail (src_offset + size <= src->size && dst_offset + size <= dst->size);
  if (!begin (stream, stream->deferred ? NULL : &stream->deferred))
    return;
  track (stream, handles, access, src == dst ? 1 : 2);
  if (src == dst)
    barrier (stream);
  vkCmdCopyBuffer (stream->cmd, src->buffer, dst->buffer, 1, &region);
}

gboolean
hone_gpu_stream_submit (HoneGpuStream *stream,
                        GError       **error)
{
  HoneGpuDevice *device;
  VkSubmitInfo submit = {
    .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
    .commandBufferCount = 1,
  };
  VkMemoryBarrier to_host = {
    .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
    .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
    .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
  };
  gboolean ok;

  g_return_val_if_fail (stream != NULL, FALSE);
  device = stream->device;
  if (stream->deferred != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&stream->deferred));
      if (stream->recording)
        {
          vkEndCommandBuffer (stream->cmd);
          release_recording (stream);
        }
      return FALSE;
    }
  if (!stream->recording)
    return TRUE;
  if (device->lost)
    {
      release_recording (stream);
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_DEVICE_LOST,
                   "The GPU stopped responding (device lost); restart the work");
      return FALSE;
    }
  /* Results become visible to the host (mapped memory) once the fence signals. */
  vkCmdPipelineBarrier (stream->cmd,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &to_host, 0, NULL, 0, NULL);
  submit.pCommandBuffers = &stream->cmd;
  ok = hone_gpu_check (device, vkEndCommandBuffer (stream->cmd), "finish recording GPU work",
                       error)
       && hone_gpu_check (device, vkResetFences (device->device, 1, &stream->fence),
                          "prepare a fence", error)
       && hone_gpu_check (device, vkQueueSubmit (device->queue, 1, &submit, stream->fence),
                          "send work to the GPU", error)
       && hone_gpu_check (device, vkWaitForFences (device->device, 1, &stream->fence, VK_TRUE,
                                                   UINT64_MAX),
                          "wait for the GPU", error);
  if (ok && stream->n_queries > 0)
    {
      g_autofree guint64 *stamps = g_new0 (guint64, stream->n_queries);
      if (vkGetQueryPoolResults (device->device, stream->queries, 0, stream->n_queries,
                                 stream->n_queries * sizeof (guint64), stamps, sizeof (guint64),
                                 VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT)
          == VK_SUCCESS)
        for (guint i = 0; i < stream->labels->len; i++)
          hone_gpu_profile_add (device, stream->labels->pdata[i],
                                (double) (stamps[2 * i + 1] - stamps[2 * i])
                                * device->info->timestamp_period_ns);
    }
  release_recording (stream);
  return ok;
}

HoneGpuDevice *
hone_gpu_stream_get_device (HoneGpuStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);
  return stream->device;
}

guint
hone_gpu_stream_get_n_dispatches (HoneGpuStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);
  return stream->n_dispatches;
}

guint
hone_gpu_stream_get_n_barriers (HoneGpuStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);
  return stream->n_barriers;
}
