/* hone-gpu-device.c — Vulkan instance, device list and choice, validation, errors.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-gpu"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hone-gpu-private.h"

#define VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

G_DEFINE_QUARK (hone-gpu-error-quark, hone_gpu_error)

const char *
hone_gpu_result_to_string (VkResult result)
{
  switch ((int) result)
    {
    case VK_SUCCESS: return "success";
    case VK_NOT_READY: return "the work is not finished";
    case VK_TIMEOUT: return "the GPU took too long";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "the computer ran out of memory";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "the GPU ran out of memory";
    case VK_ERROR_INITIALIZATION_FAILED: return "the graphics driver could not start";
    case VK_ERROR_DEVICE_LOST: return "the GPU stopped responding (device lost)";
    case VK_ERROR_MEMORY_MAP_FAILED: return "GPU memory could not be mapped";
    case VK_ERROR_LAYER_NOT_PRESENT: return "a Vulkan layer is missing";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "a Vulkan extension is missing";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "the GPU lacks a needed feature";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "no compatible Vulkan driver is installed";
    case VK_ERROR_TOO_MANY_OBJECTS: return "too many GPU objects";
    case VK_ERROR_FORMAT_NOT_SUPPORTED: return "the GPU does not support a needed format";
    case VK_ERROR_FRAGMENTED_POOL: return "a descriptor pool is fragmented";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "a descriptor pool is full";
    case VK_ERROR_INVALID_SHADER_NV: return "the driver rejected a shader";
    default: return "the graphics driver reported an unknown error";
    }
}

gboolean
hone_gpu_check (HoneGpuDevice *device,
                VkResult       result,
                const char    *what,
                GError       **error)
{
  int code;

  if (result == VK_SUCCESS)
    return TRUE;
  switch ((int) result)
    {
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_HOST_MEMORY:
      code = HONE_GPU_ERROR_OUT_OF_MEMORY;
      break;
    case VK_ERROR_DEVICE_LOST:
      code = HONE_GPU_ERROR_DEVICE_LOST;
      if (device != NULL)
        device->lost = TRUE;
      break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
      code = HONE_GPU_ERROR_NO_DEVICE;
      break;
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
      code = HONE_GPU_ERROR_UNSUPPORTED;
      break;
    default:
      code = HONE_GPU_ERROR_FAILED;
    }
  g_set_error (error, HONE_GPU_ERROR, code, "Could not %s: %s (VkResult %d)", what,
               hone_gpu_result_to_string (result), (int) result);
  return FALSE;
}

const char *
hone_gpu_device_type_to_string (HoneGpuDeviceType type)
{
  switch (type)
    {
    case HONE_GPU_DEVICE_DISCRETE: return "discrete";
    case HONE_GPU_DEVICE_INTEGRATED: return "integrated";
    case HONE_GPU_DEVICE_VIRTUAL: return "virtual";
    case HONE_GPU_DEVICE_CPU: return "cpu";
    case HONE_GPU_DEVICE_OTHER:
    default: return "other";
    }
}

void
hone_gpu_device_info_free (HoneGpuDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->driver_name);
  g_free (info->driver_info);
  g_clear_pointer (&info->heaps, g_array_unref);
  g_free (info);
}

static gboolean
has_extension (const VkExtensionProperties *props,
               guint32                      n,
               const char                  *name)
{
  for (guint32 i = 0; i < n; i++)
    if (strcmp (props[i].extensionName, name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
layer_available (const char *name)
{
  guint32 n = 0;
  g_autofree VkLayerProperties *layers = NULL;

  if (vkEnumerateInstanceLayerProperties (&n, NULL) != VK_SUCCESS)
    return FALSE;
  layers = g_new0 (VkLayerProperties, MAX (n, 1));
  if (vkEnumerateInstanceLayerProperties (&n, layers) != VK_SUCCESS)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    if (strcmp (layers[i].layerName, name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
layer_has_extension (const char *layer,
                     const char *extension)
{
  guint32 n = 0;
  g_autofree VkExtensionProperties *props = NULL;

  if (vkEnumerateInstanceExtensionProperties (layer, &n, NULL) != VK_SUCCESS)
    return FALSE;
  props = g_new0 (VkExtensionProperties, MAX (n, 1));
  if (vkEnumerateInstanceExtensionProperties (layer, &n, props) != VK_SUCCESS)
    return FALSE;
  return has_extension (props, n, extension);
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
on_debug_message (VkDebugUtilsMessageSeverityFlagBitsEXT      severity,
                  VkDebugUtilsMessageTypeFlagsEXT             types,
                  const VkDebugUtilsMessengerCallbackDataEXT *data,
                  void                                       *user_data)
{
  HoneGpuDevice *device = user_data;
  const char *level = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "error"
                      : (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) ? "warning"
                      : "info";
  char *text = g_strdup_printf ("[%s] %s: %s", level,
                                data->pMessageIdName ? data->pMessageIdName : "-",
                                data->pMessage ? data->pMessage : "");

  g_message ("Vulkan validation: %s", text);
  g_mutex_lock (&device->messages_lock);
  g_ptr_array_add (device->messages, text);
  g_mutex_unlock (&device->messages_lock);
  return VK_FALSE;
}

/* Creates an instance; with @device non-NULL and validation wanted, also the layer,
 * synchronization validation and a messenger that records into @device. */
static gboolean
create_instance (HoneGpuDevice *device,
                 gboolean       validate,
                 VkInstance    *out,
                 GError       **error)
{
  VkApplicationInfo app = {
    .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
    .pApplicationName = "Hone",
    .applicationVersion = 1,
    .pEngineName = "hone-engine",
    .engineVersion = 1,
    .apiVersion = VK_API_VERSION_1_2,
  };
  const char *layers[1];
  const char *extensions[3];
  guint32 n_layers = 0, n_extensions = 0;
  VkValidationFeatureEnableEXT enables[] = {
    VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
  };
  VkValidationFeaturesEXT features = {
    .sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
    .enabledValidationFeatureCount = G_N_ELEMENTS (enables),
    .pEnabledValidationFeatures = enables,
  };
  VkDebugUtilsMessengerCreateInfoEXT messenger = {
    .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
    .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
                       | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
    .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT
                   | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                   | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
    .pfnUserCallback = on_debug_message,
    .pUserData = device,
  };
  VkInstanceCreateInfo create = {
    .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
    .pApplicationInfo = &app,
  };
  gboolean with_messenger = FALSE;
  VkResult result;

  if (validate && device != NULL)
    {
      if (!layer_available (VALIDATION_LAYER))
        {
          g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                       "Validation was asked for, but the Khronos validation layer is not "
                       "installed (Debian: vulkan-validationlayers)");
          return FALSE;
        }
      layers[n_layers++] = VALIDATION_LAYER;
      extensions[n_extensions++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
      with_messenger = TRUE;
      create.pNext = &messenger;
      if (layer_has_extension (VALIDATION_LAYER, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME))
        {
          extensions[n_extensions++] = VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME;
          messenger.pNext = &features;
        }
    }
  create.enabledLayerCount = n_layers;
  create.ppEnabledLayerNames = n_layers ? layers : NULL;
  create.enabledExtensionCount = n_extensions;
  create.ppEnabledExtensionNames = n_extensions ? extensions : NULL;

  result = vkCreateInstance (&create, NULL, out);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER || result == VK_ERROR_INITIALIZATION_FAILED)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE,
                   "No Vulkan driver is installed, so there is no GPU to train on");
      return FALSE;
    }
  if (!hone_gpu_check (device, result, "start Vulkan", error))
    return FALSE;

  if (with_messenger)
    {
      PFN_vkCreateDebugUtilsMessengerEXT create_messenger = (PFN_vkCreateDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (*out, "vkCreateDebugUtilsMessengerEXT");

      messenger.pNext = NULL;
      if (create_messenger == NULL
          || !hone_gpu_check (device, create_messenger (*out, &messenger, NULL,
                                                        &device->messenger),
                              "watch for validation messages", error))
        {
          vkDestroyInstance (*out, NULL);
          *out = VK_NULL_HANDLE;
          if (create_messenger == NULL)
            g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                         "The validation layer has no debug messenger");
          return FALSE;
        }
    }
  return TRUE;
}

static HoneGpuDeviceInfo *
query_info (VkPhysicalDevice physical,
            guint            index)
{
  HoneGpuDeviceInfo *info = g_new0 (HoneGpuDeviceInfo, 1);
  VkPhysicalDeviceDriverProperties driver = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
  };
  VkPhysicalDeviceSubgroupSizeControlProperties subgroup_control = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES,
    .pNext = &driver,
  };
  VkPhysicalDeviceSubgroupProperties subgroup = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES,
    .pNext = &subgroup_control,
  };
  VkPhysicalDeviceProperties2 props = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
    .pNext = &subgroup,
  };
  VkPhysicalDeviceVulkan12Features f12 = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
  };
  VkPhysicalDeviceVulkan11Features f11 = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
    .pNext = &f12,
  };
  VkPhysicalDeviceFeatures2 features = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
    .pNext = &f11,
  };
  VkPhysicalDeviceMemoryBudgetPropertiesEXT budget = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT,
  };
  VkPhysicalDeviceMemoryProperties2 memory = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2,
  };
  const VkPhysicalDeviceLimits *limits = &props.properties.limits;
  guint32 n_ext = 0;
  g_autofree VkExtensionProperties *ext = NULL;

  vkEnumerateDeviceExtensionProperties (physical, NULL, &n_ext, NULL);
  ext = g_new0 (VkExtensionProperties, MAX (n_ext, 1));
  vkEnumerateDeviceExtensionProperties (physical, NULL, &n_ext, ext);

  vkGetPhysicalDeviceProperties2 (physical, &props);
  vkGetPhysicalDeviceFeatures2 (physical, &features);
  info->has_memory_budget = has_extension (ext, n_ext, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
  if (info->has_memory_budget)
    memory.pNext = &budget;
  vkGetPhysicalDeviceMemoryProperties2 (physical, &memory);

  info->index = index;
  info->name = g_strdup (props.properties.deviceName);
  switch (props.properties.deviceType)
    {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: info->type = HONE_GPU_DEVICE_DISCRETE; break;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: info->type = HONE_GPU_DEVICE_INTEGRATED; break;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: info->type = HONE_GPU_DEVICE_VIRTUAL; break;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: info->type = HONE_GPU_DEVICE_CPU; break;
    default: info->type = HONE_GPU_DEVICE_OTHER;
    }
  info->driver_name = g_strdup (driver.driverName);
  info->driver_info = g_strdup (driver.driverInfo);
  info->vendor_id = props.properties.vendorID;
  info->device_id = props.properties.deviceID;
  info->api_version = props.properties.apiVersion;

  info->heaps = g_array_new (FALSE, TRUE, sizeof (HoneGpuHeapInfo));
  for (guint32 i = 0; i < memory.memoryProperties.memoryHeapCount; i++)
    {
      HoneGpuHeapInfo heap = {
        .size = memory.memoryProperties.memoryHeaps[i].size,
        .device_local = (memory.memoryProperties.memoryHeaps[i].flags
                         & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0,
      };
      if (info->has_memory_budget)
        {
          heap.budget = budget.heapBudget[i];
          heap.usage = budget.heapUsage[i];
        }
      g_array_append_val (info->heaps, heap);
    }
  for (guint32 i = 0; i < memory.memoryProperties.memoryTypeCount; i++)
    {
      VkMemoryPropertyFlags f = memory.memoryProperties.memoryTypes[i].propertyFlags;
      if ((f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
          && (f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)
          && memory.memoryProperties.memoryHeaps[memory.memoryProperties.memoryTypes[i].heapIndex].size
             >= 256 * 1024 * 1024)
        info->unified_memory = TRUE;
    }

  info->float16 = f12.shaderFloat16;
  info->int8 = f12.shaderInt8;
  info->storage_16bit = f11.storageBuffer16BitAccess;
  info->storage_8bit = f12.storageBuffer8BitAccess;
  info->float64 = features.features.shaderFloat64;
  info->int64 = features.features.shaderInt64;
  info->cooperative_matrix = has_extension (ext, n_ext, "VK_KHR_cooperative_matrix")
                             || has_extension (ext, n_ext, "VK_NV_cooperative_matrix");
  info->push_descriptors = has_extension (ext, n_ext, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME);
  info->subgroup_size = subgroup.subgroupSize;
  info->min_subgroup_size = subgroup_control.minSubgroupSize ? subgroup_control.minSubgroupSize
                                                             : subgroup.subgroupSize;
  info->max_subgroup_size = subgroup_control.maxSubgroupSize ? subgroup_control.maxSubgroupSize
                                                             : subgroup.subgroupSize;
  info->max_shared_memory = limits->maxComputeSharedMemorySize;
  info->max_workgroup_invocations = limits->maxComputeWorkGroupInvocations;
  for (guint i = 0; i < 3; i++)
    {
      info->max_workgroup_size[i] = limits->maxComputeWorkGroupSize[i];
      info->max_workgroup_count[i] = limits->maxComputeWorkGroupCount[i];
    }
  info->max_push_constants = limits->maxPushConstantsSize;
  info->max_storage_buffer_range = limits->maxStorageBufferRange;
  info->max_texel_buffer_elements = limits->maxTexelBufferElements;
  info->max_allocation_size = 1u << 30;
  {
    VkPhysicalDeviceMaintenance3Properties m3 = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES,
    };
    VkPhysicalDeviceProperties2 p2 = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
      .pNext = &m3,
    };
    vkGetPhysicalDeviceProperties2 (physical, &p2);
    info->max_allocation_size = m3.maxMemoryAllocationSize;
  }
  info->min_texel_buffer_offset_alignment = limits->minTexelBufferOffsetAlignment;
  info->min_storage_buffer_offset_alignment = limits->minStorageBufferOffsetAlignment;
  info->timestamps = limits->timestampComputeAndGraphics;
  info->timestamp_period_ns = limits->timestampPeriod;
  return info;
}

static GPtrArray *
list_physical (VkInstance          instance,
               VkPhysicalDevice  **physical_out,
               GError            **error)
{
  guint32 n = 0;
  g_autofree VkPhysicalDevice *physical = NULL;
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_gpu_device_info_free);

  if (!hone_gpu_check (NULL, vkEnumeratePhysicalDevices (instance, &n, NULL),
                       "list the GPUs", error))
    {
      g_ptr_array_unref (infos);
      return NULL;
    }
  physical = g_new0 (VkPhysicalDevice, MAX (n, 1));
  if (!hone_gpu_check (NULL, vkEnumeratePhysicalDevices (instance, &n, physical),
                       "list the GPUs", error))
    {
      g_ptr_array_unref (infos);
      return NULL;
    }
  for (guint32 i = 0; i < n; i++)
    g_ptr_array_add (infos, query_info (physical[i], i));
  if (physical_out)
    *physical_out = g_steal_pointer (&physical);
  return infos;
}

GPtrArray *
hone_gpu_list_devices (GError **error)
{
  VkInstance instance = VK_NULL_HANDLE;
  GPtrArray *infos;

  if (!create_instance (NULL, FALSE, &instance, error))
    return NULL;
  infos = list_physical (instance, NULL, error);
  vkDestroyInstance (instance, NULL);
  return infos;
}

static int
type_rank (HoneGpuDeviceType type)
{
  switch (type)
    {
    case HONE_GPU_DEVICE_DISCRETE: return 0;
    case HONE_GPU_DEVICE_INTEGRATED: return 1;
    case HONE_GPU_DEVICE_VIRTUAL: return 2;
    case HONE_GPU_DEVICE_CPU: return 3;
    case HONE_GPU_DEVICE_OTHER:
    default: return 4;
    }
}

gint
hone_gpu_choose_device (GPtrArray *devices,
                        GError   **error)
{
  const char *wanted = g_getenv ("HONE_DEVICE");
  gint best = -1;

  g_return_val_if_fail (devices != NULL, -1);

  if (devices->len == 0)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE,
                   "No Vulkan device was found: install a GPU driver, or Mesa’s lavapipe "
                   "(mesa-vulkan-drivers) to train on the CPU");
      return -1;
    }
  if (wanted != NULL && *wanted != '\0')
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (wanted, &end, 10);
      g_autofree char *needle = g_utf8_casefold (wanted, -1);

      if (end != wanted && *end == '\0')
        {
          if (index < devices->len)
            return (gint) index;
          g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE,
                       "HONE_DEVICE=%s, but there are only %u Vulkan devices (0 to %u)",
                       wanted, devices->len, devices->len - 1);
          return -1;
        }
      for (guint i = 0; i < devices->len; i++)
        {
          HoneGpuDeviceInfo *info = devices->pdata[i];
          g_autofree char *name = g_utf8_casefold (info->name, -1);

          if (strstr (name, needle) != NULL)
            return (gint) i;
        }
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE,
                   "HONE_DEVICE=%s matches none of the %u Vulkan devices", wanted,
                   devices->len);
      return -1;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      HoneGpuDeviceInfo *info = devices->pdata[i];
      if (best < 0 || type_rank (info->type)
                      < type_rank (((HoneGpuDeviceInfo *) devices->pdata[best])->type))
        best = (gint) i;
    }
  return best;
}

static gboolean
env_true (const char *name)
{
  const char *v = g_getenv (name);
  return v != NULL && *v != '\0' && strcmp (v, "0") != 0;
}

HoneGpuDevice *
hone_gpu_device_new (HoneGpuDeviceFlags flags,
                     GError           **error)
{
  g_autoptr(HoneGpuDevice) device = g_new0 (HoneGpuDevice, 1);
  g_autoptr(GPtrArray) infos = NULL;
  g_autofree VkPhysicalDevice *physical = NULL;
  g_autofree VkQueueFamilyProperties *families = NULL;
  guint32 n_families = 0;
  const float priority = 1.0f;
  const char *dev_ext[1];
  guint32 n_dev_ext = 0;
  gint chosen;

  g_mutex_init (&device->messages_lock);
  device->messages = g_ptr_array_new_with_free_func (g_free);
  device->validating = (flags & HONE_GPU_DEVICE_VALIDATE) || env_true ("HONE_VALIDATION");
  device->profiling = env_true ("HONE_PROFILE");
  device->profile = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!create_instance (device, device->validating, &device->instance, error))
    return NULL;
  infos = list_physical (device->instance, &physical, error);
  if (infos == NULL)
    return NULL;
  chosen = hone_gpu_choose_device (infos, error);
  if (chosen < 0)
    return NULL;
  device->physical = physical[chosen];
  device->info = g_ptr_array_steal_index (infos, chosen);

  vkGetPhysicalDeviceQueueFamilyProperties (device->physical, &n_families, NULL);
  families = g_new0 (VkQueueFamilyProperties, MAX (n_families, 1));
  vkGetPhysicalDeviceQueueFamilyProperties (device->physical, &n_families, families);
  device->queue_family = G_MAXUINT32;
  /* Prefer a compute queue that also does graphics: it has timestamps everywhere. */
  for (guint32 i = 0; i < n_families; i++)
    if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)
      {
        device->queue_family = i;
        if (families[i].timestampValidBits == 0)
          device->info->timestamps = FALSE;
        break;
      }
  if (device->queue_family == G_MAXUINT32)
    {
      g_set_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED,
                   "The GPU “%s” cannot run compute work", device->info->name);
      return NULL;
    }

  {
    VkPhysicalDeviceVulkan12Features f12 = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
      .shaderFloat16 = device->info->float16,
      .shaderInt8 = device->info->int8,
      .storageBuffer8BitAccess = device->info->storage_8bit,
    };
    VkPhysicalDeviceVulkan11Features f11 = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
      .pNext = &f12,
      .storageBuffer16BitAccess = device->info->storage_16bit,
    };
    VkPhysicalDeviceFeatures2 features = {
      .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
      .pNext = &f11,
      .features = {
        .shaderInt64 = device->info->int64,
      },
    };
    VkDeviceQueueCreateInfo queue = {
      .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
      .queueFamilyIndex = device->queue_family,
      .queueCount = 1,
      .pQueuePriorities = &priority,
    };
    VkDeviceCreateInfo create = {
      .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
      .pNext = &features,
      .queueCreateInfoCount = 1,
      .pQueueCreateInfos = &queue,
    };
    g_autofree char *what = g_strdup_printf ("open the GPU “%s”", device->info->name);

    if (device->info->has_memory_budget)
      dev_ext[n_dev_ext++] = VK_EXT_MEMORY_BUDGET_EXTENSION_NAME;
    create.enabledExtensionCount = n_dev_ext;
    create.ppEnabledExtensionNames = n_dev_ext ? dev_ext : NULL;
    if (!hone_gpu_check (device, vkCreateDevice (device->physical, &create, NULL,
                                                 &device->device), what, error))
      return NULL;
  }
  vkGetDeviceQueue (device->device, device->queue_family, 0, &device->queue);

  {
    VkCommandPoolCreateInfo pool = {
      .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
      .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
      .queueFamilyIndex = device->queue_family,
    };
    if (!hone_gpu_check (device, vkCreateCommandPool (device->device, &pool, NULL,
                                                      &device->transfer_pool),
                         "create a command pool", error))
      return NULL;
  }

  if (!hone_gpu_memory_init (device, error) || !hone_gpu_pipelines_init (device, error))
    return NULL;
  return g_steal_pointer (&device);
}

void
hone_gpu_device_free (HoneGpuDevice *device)
{
  if (device == NULL)
    return;
  if (device->device != VK_NULL_HANDLE)
    {
      vkDeviceWaitIdle (device->device);
      if (device->profiling && g_hash_table_size (device->profile) > 0)
        hone_gpu_device_print_profile (device, stderr);
      hone_gpu_pipelines_clear (device);
      hone_gpu_memory_clear (device);
      if (device->transfer_pool)
        vkDestroyCommandPool (device->device, device->transfer_pool, NULL);
      vkDestroyDevice (device->device, NULL);
    }
  if (device->messenger != VK_NULL_HANDLE)
    {
      PFN_vkDestroyDebugUtilsMessengerEXT destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (device->instance, "vkDestroyDebugUtilsMessengerEXT");
      if (destroy)
        destroy (device->instance, device->messenger, NULL);
    }
  if (device->instance != VK_NULL_HANDLE)
    vkDestroyInstance (device->instance, NULL);
  g_clear_pointer (&device->info, hone_gpu_device_info_free);
  g_clear_pointer (&device->messages, g_ptr_array_unref);
  g_clear_pointer (&device->profile, g_hash_table_unref);
  g_mutex_clear (&device->messages_lock);
  g_free (device);
}

const HoneGpuDeviceInfo *
hone_gpu_device_get_info (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);
  return device->info;
}

gboolean
hone_gpu_device_is_cpu (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, FALSE);
  return device->info->type == HONE_GPU_DEVICE_CPU;
}

gboolean
hone_gpu_device_is_validating (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, FALSE);
  return device->validating;
}

GPtrArray *
hone_gpu_device_get_validation_messages (HoneGpuDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);
  return device->messages;
}

JsonNode *
hone_gpu_device_info_to_json (const HoneGpuDeviceInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, info->index);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, info->name);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, hone_gpu_device_type_to_string (info->type));
  json_builder_set_member_name (b, "driver");
  json_builder_add_string_value (b, info->driver_name);
  json_builder_set_member_name (b, "driver_info");
  json_builder_add_string_value (b, info->driver_info);
  json_builder_set_member_name (b, "vendor_id");
  json_builder_add_int_value (b, info->vendor_id);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_int_value (b, info->device_id);
  json_builder_set_member_name (b, "vulkan");
  {
    g_autofree char *v = g_strdup_printf ("%u.%u.%u", VK_API_VERSION_MAJOR (info->api_version),
                                          VK_API_VERSION_MINOR (info->api_version),
                                          VK_API_VERSION_PATCH (info->api_version));
    json_builder_add_string_value (b, v);
  }
  json_builder_set_member_name (b, "memory_budget_extension");
  json_builder_add_boolean_value (b, info->has_memory_budget);
  json_builder_set_member_name (b, "unified_memory");
  json_builder_add_boolean_value (b, info->unified_memory);
  json_builder_set_member_name (b, "heaps");
  json_builder_begin_array (b);
  for (guint i = 0; i < info->heaps->len; i++)
    {
      const HoneGpuHeapInfo *h = &g_array_index (info->heaps, HoneGpuHeapInfo, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, (gint64) h->size);
      json_builder_set_member_name (b, "device_local");
      json_builder_add_boolean_value (b, h->device_local);
      if (info->has_memory_budget)
        {
          json_builder_set_member_name (b, "budget");
          json_builder_add_int_value (b, (gint64) h->budget);
          json_builder_set_member_name (b, "usage");
          json_builder_add_int_value (b, (gint64) h->usage);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

#define BOOL_MEMBER(field) \
  json_builder_set_member_name (b, #field); \
  json_builder_add_boolean_value (b, info->field)
#define INT_MEMBER(field) \
  json_builder_set_member_name (b, #field); \
  json_builder_add_int_value (b, (gint64) info->field)
  BOOL_MEMBER (float16);
  BOOL_MEMBER (int8);
  BOOL_MEMBER (storage_16bit);
  BOOL_MEMBER (storage_8bit);
  BOOL_MEMBER (float64);
  BOOL_MEMBER (int64);
  BOOL_MEMBER (cooperative_matrix);
  BOOL_MEMBER (push_descriptors);
  BOOL_MEMBER (timestamps);
  INT_MEMBER (subgroup_size);
  INT_MEMBER (min_subgroup_size);
  INT_MEMBER (max_subgroup_size);
  INT_MEMBER (max_shared_memory);
  INT_MEMBER (max_workgroup_invocations);
  INT_MEMBER (max_push_constants);
  INT_MEMBER (max_storage_buffer_range);
  INT_MEMBER (max_texel_buffer_elements);
  INT_MEMBER (max_allocation_size);
  INT_MEMBER (min_texel_buffer_offset_alignment);
  INT_MEMBER (min_storage_buffer_offset_alignment);
#undef BOOL_MEMBER
#undef INT_MEMBER
  json_builder_set_member_name (b, "max_workgroup_size");
  json_builder_begin_array (b);
  for (guint i = 0; i < 3; i++)
    json_builder_add_int_value (b, info->max_workgroup_size[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
hone_gpu_run_once (HoneGpuDevice *device,
                   void         (*record) (VkCommandBuffer cmd, gpointer data),
                   gpointer       data,
                   GError       **error)
{
  VkCommandBufferAllocateInfo alloc = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
    .commandPool = device->transfer_pool,
    .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
    .commandBufferCount = 1,
  };
  VkCommandBufferBeginInfo begin = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
    .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
  };
  VkFenceCreateInfo fence_info = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  gboolean ok = FALSE;

  if (!hone_gpu_check (device, vkAllocateCommandBuffers (device->device, &alloc, &cmd),
                       "prepare a copy", error))
    return FALSE;
  if (hone_gpu_check (device, vkCreateFence (device->device, &fence_info, NULL, &fence),
                      "prepare a copy", error)
      && hone_gpu_check (device, vkBeginCommandBuffer (cmd, &begin), "record a copy", error))
    {
      VkSubmitInfo submit = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &cmd,
      };
      record (cmd, data);
      ok = hone_gpu_check (device, vkEndCommandBuffer (cmd), "record a copy", error)
           && hone_gpu_check (device, vkQueueSubmit (device->queue, 1, &submit, fence),
                              "copy data to or from the GPU", error)
           && hone_gpu_check (device, vkWaitForFences (device->device, 1, &fence, VK_TRUE,
                                                       UINT64_MAX),
                              "copy data to or from the GPU", error);
    }
  if (fence)
    vkDestroyFence (device->device, fence, NULL);
  vkFreeCommandBuffers (device->device, device->transfer_pool, 1, &cmd);
  return ok;
}

typedef struct
{
  double ns;
  guint  count;
} ProfileEntry;

void
hone_gpu_profile_add (HoneGpuDevice *device,
                      const char    *label,
                      double         ns)
{
  ProfileEntry *e = g_hash_table_lookup (device->profile, label);

  if (e == NULL)
    {
      e = g_new0 (ProfileEntry, 1);
      g_hash_table_insert (device->profile, g_strdup (label), e);
    }
  e->ns += ns;
  e->count++;
}

void
hone_gpu_device_set_profiling (HoneGpuDevice *device,
                               gboolean       profiling)
{
  g_return_if_fail (device != NULL);
  device->profiling = profiling && device->info->timestamps;
}

static gint
compare_profile (gconstpointer a,
                 gconstpointer b,
                 gpointer      table)
{
  const ProfileEntry *ea = g_hash_table_lookup (table, *(const char * const *) a);
  const ProfileEntry *eb = g_hash_table_lookup (table, *(const char * const *) b);
  return (ea->ns < eb->ns) - (ea->ns > eb->ns);
}

void
hone_gpu_device_print_profile (HoneGpuDevice *device,
                               FILE          *out)
{
  guint n = 0;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (device->profile, &n);
  double total = 0;

  g_qsort_with_data (keys, n, sizeof (gpointer), compare_profile, device->profile);
  for (guint i = 0; i < n; i++)
    total += ((ProfileEntry *) g_hash_table_lookup (device->profile, keys[i]))->ns;
  fprintf (out, "%-48s %8s %12s %12s %6s\n", "kernel", "calls", "total ms", "mean us", "%");
  for (guint i = 0; i < n; i++)
    {
      const ProfileEntry *e = g_hash_table_lookup (device->profile, keys[i]);
      fprintf (out, "%-48s %8u %12.3f %12.1f %6.1f\n", (const char *) keys[i], e->count,
               e->ns / 1e6, e->ns / 1e3 / e->count, total > 0 ? 100.0 * e->ns / total : 0);
    }
}
