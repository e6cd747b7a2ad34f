/* hone-gpu.h — the Vulkan compute runtime: devices, memory, pipelines, command streams.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the pieces fit (see also src/engine/ops/hone-ops.h for the kernels built on it):
 *
 *   HoneGpuDevice   one logical device with one compute queue. Owns the Vulkan instance
 *                   (with the Khronos validation layer when HONE_VALIDATION=1 or when the
 *                   device is opened with HONE_GPU_VALIDATE), the memory suballocator,
 *                   the pipeline cache and the profiling table. Not thread-safe: the one
 *                   engine worker thread owns it (design.md).
 *   HoneGpuBuffer   a tensor's storage: a VkBuffer bound to a range of one of a few large
 *                   VkDeviceMemory blocks. Sizes are rounded up to 16 bytes, so a vec4
 *                   texel view over the whole buffer is always valid.
 *   HoneGpuPipeline a compute pipeline made from one SPIR-V variant (compiled at build time
 *                   from shaders/<family>.comp) plus specialization constants. Owned and
 *                   cached by the device; never freed by callers.
 *   HoneGpuStream   a command buffer being recorded: dispatches, fills and copies, with a
 *                   barrier inserted only where a buffer is read or written after an
 *                   unsynchronised write (or written after a read). Submitted once, waited
 *                   on with a fence, then reusable.
 *
 * Environment: HONE_DEVICE=<index|name substring> picks the device; HONE_VALIDATION=1
 * turns the validation layer (with synchronization validation) on; HONE_GPU_BUDGET=<bytes,
 * or with a K/M/G suffix> caps the memory the engine may use; HONE_PROFILE=1 times every
 * dispatch with timestamp queries and prints a table when the device is freed;
 * HONE_GPU_FORCE_STAGING=1 uses staging copies even where memory is host-visible (to test
 * the discrete-GPU path on lavapipe).
 *
 * Every failure is a GError in the HONE_GPU_ERROR domain with a message a person can read.
 */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HONE_GPU_ERROR (hone_gpu_error_quark ())

typedef enum
{
  HONE_GPU_ERROR_NO_DEVICE,      /* no Vulkan driver or no device matches HONE_DEVICE */
  HONE_GPU_ERROR_OUT_OF_MEMORY,  /* the budget or the driver refused an allocation */
  HONE_GPU_ERROR_DEVICE_LOST,    /* the driver reset the GPU: the device must be reopened */
  HONE_GPU_ERROR_UNSUPPORTED,    /* a shape or feature this device cannot handle */
  HONE_GPU_ERROR_FAILED,         /* any other Vulkan failure */
} HoneGpuError;

GQuark hone_gpu_error_quark (void);

typedef enum
{
  HONE_GPU_DEVICE_OTHER,
  HONE_GPU_DEVICE_DISCRETE,
  HONE_GPU_DEVICE_INTEGRATED,
  HONE_GPU_DEVICE_VIRTUAL,
  HONE_GPU_DEVICE_CPU,
} HoneGpuDeviceType;

typedef struct
{
  guint64  size;
  guint64  budget;            /* from VK_EXT_memory_budget, else 0 */
  guint64  usage;             /* from VK_EXT_memory_budget, else 0 */
  gboolean device_local;
} HoneGpuHeapInfo;

/* What a person or a script needs to know about one device. */
typedef struct
{
  guint              index;               /* as HONE_DEVICE=<index> counts */
  char              *name;
  HoneGpuDeviceType  type;
  char              *driver_name;
  char              *driver_info;
  guint32            vendor_id;
  guint32            device_id;
  guint32            api_version;
  GArray            *heaps;               /* HoneGpuHeapInfo */
  gboolean           has_memory_budget;
  gboolean           unified_memory;      /* a device-local heap is host-visible */
  gboolean           float16;
  gboolean           int8;
  gboolean           storage_16bit;
  gboolean           storage_8bit;
  gboolean           float64;
  gboolean           int64;
  gboolean           cooperative_matrix;
  gboolean           push_descriptors;
  guint32            subgroup_size;
  guint32            min_subgroup_size;
  guint32            max_subgroup_size;
  guint32            max_shared_memory;
  guint32            max_workgroup_invocations;
  guint32            max_workgroup_size[3];
  guint32            max_workgroup_count[3];
  guint32            max_push_constants;
  guint64            max_storage_buffer_range;
  guint64            max_texel_buffer_elements;
  guint64            max_allocation_size;
  guint64            min_texel_buffer_offset_alignment;
  guint64            min_storage_buffer_offset_alignment;
  gboolean           timestamps;
  double             timestamp_period_ns;
} HoneGpuDeviceInfo;

void        hone_gpu_device_info_free     (HoneGpuDeviceInfo *info);
const char *hone_gpu_device_type_to_string (HoneGpuDeviceType type);
JsonNode   *hone_gpu_device_info_to_json  (const HoneGpuDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGpuDeviceInfo, hone_gpu_device_info_free)

/* Every Vulkan device on this machine, in the driver's order (HoneGpuDeviceInfo, owned by
 * the array). An empty array (not an error) when there is a loader but no device. */
GPtrArray  *hone_gpu_list_devices         (GError **error);
/* The index hone_gpu_device_new() would open: HONE_DEVICE when set, else the first
 * discrete GPU, then integrated, virtual, CPU. */
gint        hone_gpu_choose_device        (GPtrArray *devices,
                                           GError   **error);

typedef struct _HoneGpuDevice HoneGpuDevice;
typedef struct _HoneGpuBuffer HoneGpuBuffer;
typedef struct _HoneGpuPipeline HoneGpuPipeline;
typedef struct _HoneGpuStream HoneGpuStream;

typedef enum
{
  HONE_GPU_DEVICE_FLAGS_NONE = 0,
  HONE_GPU_DEVICE_VALIDATE = 1 << 0,   /* validation layer on, whatever the environment */
} HoneGpuDeviceFlags;

/* Opens the chosen device (hone_gpu_choose_device). */
HoneGpuDevice *hone_gpu_device_new       (HoneGpuDeviceFlags flags,
                                          GError           **error);
void           hone_gpu_device_free      (HoneGpuDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGpuDevice, hone_gpu_device_free)

const HoneGpuDeviceInfo *hone_gpu_device_get_info (HoneGpuDevice *device);
/* TRUE on a CPU device (lavapipe): kernels pick their texel-buffer, register-blocked
 * variants there and their shared-memory tiled variants on GPUs. */
gboolean       hone_gpu_device_is_cpu    (HoneGpuDevice *device);

/* Validation: whether the layer is on, and every message it sent (warnings and errors,
 * one string each, "[severity] id: text"). Tests fail when the array is not empty. */
gboolean       hone_gpu_device_is_validating     (HoneGpuDevice *device);
GPtrArray     *hone_gpu_device_get_validation_messages (HoneGpuDevice *device);

/* Memory accounting, exact to the byte of what buffers hold (after 16-byte rounding). */
guint64        hone_gpu_device_get_live_bytes    (HoneGpuDevice *device);
guint64        hone_gpu_device_get_peak_bytes    (HoneGpuDevice *device);
void           hone_gpu_device_reset_peak_bytes  (HoneGpuDevice *device);
/* The most the engine may allocate: HONE_GPU_BUDGET, else the heap budget
 * (VK_EXT_memory_budget) or 90% of the device-local heap used; on a CPU device at least 75%
 * of the computer's memory (lavapipe's heap size is nominal). 0 restores the default. */
void           hone_gpu_device_set_budget        (HoneGpuDevice *device,
                                                  guint64        bytes);
guint64        hone_gpu_device_get_budget        (HoneGpuDevice *device);
/* How many VkDeviceMemory blocks back the buffers now. */
guint          hone_gpu_device_get_n_blocks      (HoneGpuDevice *device);

/* Per-dispatch timing (HONE_PROFILE=1 or this call): accumulated by label. */
void           hone_gpu_device_set_profiling     (HoneGpuDevice *device,
                                                  gboolean       profiling);
void           hone_gpu_device_print_profile     (HoneGpuDevice *device,
                                                  FILE          *out);

/* Buffers. @size in bytes (> 0). Contents are undefined until written. */
HoneGpuBuffer *hone_gpu_buffer_new       (HoneGpuDevice *device,
                                          gsize          size,
                                          GError       **error);
void           hone_gpu_buffer_free      (HoneGpuBuffer *buffer);
gsize          hone_gpu_buffer_get_size  (HoneGpuBuffer *buffer);
/* Host pointer where the memory is host-visible (zero copy), else NULL. */
gpointer       hone_gpu_buffer_get_mapping (HoneGpuBuffer *buffer);
/* Copy between host and buffer; through a staging buffer where it is not host-visible.
 * Must not be called while a stream that writes the buffer is recorded but not waited. */
gboolean       hone_gpu_buffer_upload    (HoneGpuBuffer *buffer,
                                          gsize          offset,
                                          gconstpointer  data,
                                          gsize          size,
                                          GError       **error);
gboolean       hone_gpu_buffer_download  (HoneGpuBuffer *buffer,
                                          gsize          offset,
                                          gpointer       data,
                                          gsize          size,
                                          GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGpuBuffer, hone_gpu_buffer_free)

/* How a dispatch sees a buffer. Texel views are read-only (uniform texel buffers, the fast
 * path on lavapipe); storage buffers may be read, written or both. */
typedef enum
{
  HONE_GPU_TEXEL_R32F,      /* samplerBuffer, one float per texel */
  HONE_GPU_TEXEL_RGBA32F,   /* samplerBuffer, vec4 per texel */
  HONE_GPU_TEXEL_R16F,      /* samplerBuffer over halves, one per texel */
  HONE_GPU_TEXEL_RGBA16F,   /* samplerBuffer over halves, four per texel */
  HONE_GPU_TEXEL_R32UI,     /* usamplerBuffer, raw 32-bit words */
  HONE_GPU_TEXEL_RGBA32UI,  /* usamplerBuffer, four 32-bit words (8 halves) per texel */
  HONE_GPU_STORAGE_READ,
  HONE_GPU_STORAGE_WRITE,
  HONE_GPU_STORAGE_READ_WRITE,
} HoneGpuAccess;

typedef struct
{
  HoneGpuBuffer *buffer;
  HoneGpuAccess  access;
  gsize          offset;    /* bytes; a multiple of the device's offset alignment */
  gsize          range;     /* bytes; 0 = to the end of the buffer */
} HoneGpuBinding;

/* A pipeline for the SPIR-V variant @shader (the name meson gave it, e.g. "add_f32"), with
 * @bindings describing binding 0..n-1 in order ('t' a uniform texel buffer, 's' a storage
 * buffer), @push_size bytes of push constants, and @spec[i] as specialization constant i
 * (constant_id 0, 1, 2 are the workgroup size x, y, z by convention). Created once per
 * (shader, spec) and cached by the device. */
HoneGpuPipeline *hone_gpu_pipeline_get   (HoneGpuDevice *device,
                                          const char    *shader,
                                          const char    *bindings,
                                          guint          push_size,
                                          const gint32  *spec,
                                          guint          n_spec,
                                          GError       **error);
/* The shaders compiled into this build, sorted. */
char          **hone_gpu_list_shaders    (void);
/* Where the on-disk pipeline cache of @device lives. */
char           *hone_gpu_device_dup_pipeline_cache_path (HoneGpuDevice *device);
/* Writes the pipeline cache now (also done by hone_gpu_device_free). */
gboolean        hone_gpu_device_save_pipeline_cache     (HoneGpuDevice *device,
                                                         GError       **error);

/* Streams. */
HoneGpuStream *hone_gpu_stream_new       (HoneGpuDevice *device,
                                          GError       **error);
void           hone_gpu_stream_free      (HoneGpuStream *stream);
HoneGpuDevice *hone_gpu_stream_get_device (HoneGpuStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGpuStream, hone_gpu_stream_free)

/* Records a dispatch of @groups_x × @groups_y × @groups_z workgroups. @label names it in
 * profiles ("matmul 512x2048x8192"). Fails (and records nothing) on a binding that breaks
 * a device limit; such errors are also remembered and returned by submit. */
gboolean       hone_gpu_stream_dispatch  (HoneGpuStream         *stream,
                                          HoneGpuPipeline       *pipeline,
                                          const HoneGpuBinding  *bindings,
                                          guint                  n_bindings,
                                          gconstpointer          push,
                                          guint                  push_size,
                                          guint32                groups_x,
                                          guint32                groups_y,
                                          guint32                groups_z,
                                          const char            *label,
                                          GError               **error);
/* Fills @size bytes (0 = to the end) from @offset with the 32-bit @value (0 for zeroing
 * gradients). Offset and size must be multiples of 4. */
void           hone_gpu_stream_fill      (HoneGpuStream *stream,
                                          HoneGpuBuffer *buffer,
                                          gsize          offset,
                                          gsize          size,
                                          guint32        value);
void           hone_gpu_stream_copy      (HoneGpuStream *stream,
                                          HoneGpuBuffer *src,
                                          gsize          src_offset,
                                          HoneGpuBuffer *dst,
                                          gsize          dst_offset,
                                          gsize          size);
/* Submits what was recorded, waits for it, and makes the stream ready to record again. */
gboolean       hone_gpu_stream_submit    (HoneGpuStream *stream,
                                          GError       **error);
guint          hone_gpu_stream_get_n_dispatches (HoneGpuStream *stream);
guint          hone_gpu_stream_get_n_barriers   (HoneGpuStream *stream);

/* Ceil division for workgroup counts. */
static inline guint32
hone_gpu_div_up (guint64 n,
                 guint64 d)
{
  return (guint32) ((n + d - 1) / d);
}

G_END_DECLS
