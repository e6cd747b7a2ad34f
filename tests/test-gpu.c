/* test-gpu.c — the Vulkan runtime: device list and choice, memory, budget, barriers,
 * pipeline cache, staging, errors, profiling. With the validation layer on throughout.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gpu/hone-gpu-private.h"
#include "hone-gpu-test.h"

static char *cache_dir;

#define SKIP_WITHOUT_DEVICE() \
  G_STMT_START { \
    if (hone_gpu_test_device () == NULL) \
      { \
        g_test_skip (hone_gpu_test_skip_reason ()); \
        return; \
      } \
  } G_STMT_END

static void
test_devices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = hone_gpu_list_devices (&error);
  HoneGpuDeviceInfo *first;
  g_autofree char *needle = NULL;
  g_autoptr(JsonNode) json = NULL;

  if (devices == NULL || devices->len == 0)
    {
      g_test_skip ("no Vulkan device");
      return;
    }
  first = devices->pdata[0];
  g_test_message ("device 0: %s (%s, %s)", first->name,
                  hone_gpu_device_type_to_string (first->type), first->driver_name);
  g_assert_cmpstr (first->name, !=, "");
  g_assert_cmpuint (first->heaps->len, >, 0);
  g_assert_cmpuint (first->subgroup_size, >, 0);
  g_assert_cmpuint (first->max_storage_buffer_range, >, 0);
  json = hone_gpu_device_info_to_json (first);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "name"), ==,
                   first->name);

  g_unsetenv ("HONE_DEVICE");
  g_assert_cmpint (hone_gpu_choose_device (devices, &error), >=, 0);
  g_assert_no_error (error);

  g_setenv ("HONE_DEVICE", "0", TRUE);
  g_assert_cmpint (hone_gpu_choose_device (devices, &error), ==, 0);
  g_assert_no_error (error);

  /* A name substring, in another case. */
  needle = g_utf8_strup (first->name, 5);
  g_setenv ("HONE_DEVICE", needle, TRUE);
  g_assert_cmpint (hone_gpu_choose_device (devices, &error), >=, 0);
  g_assert_no_error (error);

  g_setenv ("HONE_DEVICE", "99", TRUE);
  g_assert_cmpint (hone_gpu_choose_device (devices, &error), ==, -1);
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE);
  g_clear_error (&error);

  g_setenv ("HONE_DEVICE", "no such gpu anywhere", TRUE);
  g_assert_cmpint (hone_gpu_choose_device (devices, &error), ==, -1);
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_NO_DEVICE);
  g_test_message ("%s", error->message);
  g_unsetenv ("HONE_DEVICE");
}

static void
test_memory (void)
{
  HoneGpuDevice *device;
  static const gsize sizes[] = { 1, 4, 15, 16, 17, 1000, 4096, 65537, 1 << 20, 3 };
  HoneGpuBuffer *buffers[G_N_ELEMENTS (sizes)];
  guint64 live0, expected = 0;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_test_device ();
  live0 = hone_gpu_device_get_live_bytes (device);
  hone_gpu_device_reset_peak_bytes (device);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      buffers[i] = hone_gpu_buffer_new (device, sizes[i], &error);
      g_assert_no_error (error);
      expected += (sizes[i] + 15) / 16 * 16;
      g_assert_cmpuint (hone_gpu_buffer_get_size (buffers[i]), ==, (sizes[i] + 15) / 16 * 16);
    }
  g_assert_cmpuint (hone_gpu_device_get_live_bytes (device) - live0, ==, expected);
  g_assert_cmpuint (hone_gpu_device_get_peak_bytes (device) - live0, ==, expected);
  /* Suballocated: all from one block. */
  g_assert_cmpuint (hone_gpu_device_get_n_blocks (device), ==, 1);
  if (hone_gpu_device_get_info (device)->unified_memory)
    g_assert_nonnull (hone_gpu_buffer_get_mapping (buffers[0]));

  /* Round trip, away from offset 0. */
  {
    g_autofree guint8 *in = g_malloc (65537), *out = g_malloc0 (65537);
    for (guint i = 0; i < 65537; i++)
      in[i] = (guint8) (i * 7);
    hone_gpu_buffer_upload (buffers[7], 1, in, 65536, &error);
    g_assert_no_error (error);
    hone_gpu_buffer_download (buffers[7], 1, out, 65536, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (in, 65536, out, 65536);
  }

  /* Free every other one, then allocate again: the holes are reused, the blocks stay. */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i += 2)
    g_clear_pointer (&buffers[i], hone_gpu_buffer_free);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i += 2)
    {
      buffers[i] = hone_gpu_buffer_new (device, sizes[i], &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (hone_gpu_device_get_n_blocks (device), ==, 1);
  g_assert_cmpuint (hone_gpu_device_get_peak_bytes (device) - live0, ==, expected);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    hone_gpu_buffer_free (buffers[i]);
  g_assert_cmpuint (hone_gpu_device_get_live_bytes (device), ==, live0);
  g_assert_cmpuint (hone_gpu_device_get_peak_bytes (device) - live0, ==, expected);
  hone_gpu_test_check_validation ();
}

static void
test_budget (void)
{
  HoneGpuDevice *device;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuBuffer) small = NULL;
  HoneGpuBuffer *big;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_test_device ();
  hone_gpu_device_set_budget (device, hone_gpu_device_get_live_bytes (device) + 3000000);
  small = hone_gpu_buffer_new (device, 1000000, &error);
  g_assert_no_error (error);
  big = hone_gpu_buffer_new (device, 5200000, &error);
  g_assert_null (big);
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_OUT_OF_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "needs 5.2 MB of GPU memory, 2.0 MB free"));
  hone_gpu_device_set_budget (device, 0);
  g_assert_cmpuint (hone_gpu_device_get_budget (device), >, 3000000);
}

static void
fill_floats (HoneGpuBuffer *buffer,
             gsize          n,
             float          value)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = value;
  hone_gpu_buffer_upload (buffer, 0, x, n * 4, &error);
  g_assert_no_error (error);
}

static void
test_barriers (void)
{
  HoneGpuDevice *device;
  const gsize n = 1001;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  HoneGpuBuffer *b[6];
  g_autofree float *got = NULL;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_test_device ();
  for (guint i = 0; i < 6; i++)
    {
      b[i] = hone_gpu_buffer_new (device, n * 4, &error);
      g_assert_no_error (error);
      fill_floats (b[i], n, (float) i);
    }
  stream = hone_gpu_stream_new (device, &error);
  g_assert_no_error (error);

  /* Independent: three adds that read shared inputs and write distinct outputs. */
  hone_op_add (stream, b[3], b[0], b[1], n, NULL, &error);
  hone_op_add (stream, b[4], b[1], b[2], n, NULL, &error);
  hone_op_add (stream, b[5], b[0], b[2], n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hone_gpu_stream_get_n_barriers (stream), ==, 0);
  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hone_gpu_stream_get_n_dispatches (stream), ==, 3);

  /* A chain: each reads what the one before wrote (RAW), the last writes what the first
   * read (WAR, covered by the same barrier). */
  hone_op_add (stream, b[3], b[1], b[2], n, NULL, &error);   /* 3 */
  hone_op_add (stream, b[4], b[3], b[3], n, NULL, &error);   /* 6 */
  hone_op_add (stream, b[5], b[4], b[1], n, NULL, &error);   /* 7 */
  hone_gpu_stream_fill (stream, b[0], 0, 0, 0);              /* independent of 5: no barrier */
  hone_op_add (stream, b[1], b[5], b[0], n, NULL, &error);   /* 7 + 0 */
  g_assert_no_error (error);
  g_assert_cmpuint (hone_gpu_stream_get_n_barriers (stream), ==, 3);
  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  got = hone_gpu_test_download (b[1], n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (got[i], ==, 7.0f);
  for (guint i = 0; i < 6; i++)
    hone_gpu_buffer_free (b[i]);
  hone_gpu_test_check_validation ();
}

static void
test_pipeline_cache (void)
{
  HoneGpuDevice *device;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_test_device ();
  path = hone_gpu_device_dup_pipeline_cache_path (device);
  g_assert_true (g_str_has_prefix (path, cache_dir));

  /* Garbage in the cache file: ignored. */
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_file_set_contents (path, "HONEPC this is not a pipeline cache", -1, &error);
    g_assert_no_error (error);
  }
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(HoneGpuDevice) other = hone_gpu_device_new (HONE_GPU_DEVICE_VALIDATE, &error);
      gint32 spec[3] = { 64, 1, 1 };
      g_assert_no_error (error);
      g_assert_nonnull (hone_gpu_pipeline_get (other, "add_f32", "tts", 4, spec, 3, &error));
      g_assert_no_error (error);
      /* The same pipeline again comes from the device's table. */
      g_assert_true (hone_gpu_pipeline_get (other, "add_f32", "tts", 4, spec, 3, &error)
                     == hone_gpu_pipeline_get (other, "add_f32", "tts", 4, spec, 3, &error));
      g_assert_null (hone_gpu_pipeline_get (other, "no_such_shader", "s", 0, NULL, 0, &error));
      g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_FAILED);
      g_clear_error (&error);
      hone_gpu_device_save_pipeline_cache (other, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hone_gpu_device_get_validation_messages (other)->len, ==, 0);
    }
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_file_get_contents (path, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (contents, 6, "HONEPC", 6);
  }
  /* Truncated: ignored too. */
  {
    g_autoptr(HoneGpuDevice) other = NULL;
    g_file_set_contents (path, "HONEPC\1\0", 8, &error);
    g_assert_no_error (error);
    other = hone_gpu_device_new (HONE_GPU_DEVICE_VALIDATE, &error);
    g_assert_no_error (error);
  }
  {
    g_auto(GStrv) shaders = hone_gpu_list_shaders ();
    g_assert_true (g_strv_contains ((const char * const *) shaders, "matmul_tex_nn_v4"));
  }
}

static void
test_staging (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuDevice) device = NULL;
  g_autoptr(HoneGpuBuffer) a = NULL, out = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  float in[5] = { 1, 2, 3, 4, 5 }, got[5] = { 0 };

  SKIP_WITHOUT_DEVICE ();
  g_setenv ("HONE_GPU_FORCE_STAGING", "1", TRUE);
  device = hone_gpu_device_new (HONE_GPU_DEVICE_VALIDATE, &error);
  g_unsetenv ("HONE_GPU_FORCE_STAGING");
  g_assert_no_error (error);
  a = hone_gpu_buffer_new (device, sizeof in, &error);
  g_assert_no_error (error);
  out = hone_gpu_buffer_new (device, sizeof in, &error);
  g_assert_no_error (error);
  g_assert_null (hone_gpu_buffer_get_mapping (a));
  hone_gpu_buffer_upload (a, 0, in, sizeof in, &error);
  g_assert_no_error (error);
  stream = hone_gpu_stream_new (device, &error);
  g_assert_no_error (error);
  hone_op_add (stream, out, a, a, 5, NULL, &error);
  g_assert_no_error (error);
  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  hone_gpu_buffer_download (out, 0, got, sizeof got, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat (got[i], ==, 2 * in[i]);
  g_clear_pointer (&stream, hone_gpu_stream_free);
  g_clear_pointer (&a, hone_gpu_buffer_free);
  g_clear_pointer (&out, hone_gpu_buffer_free);
  g_assert_cmpuint (hone_gpu_device_get_validation_messages (device)->len, ==, 0);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuDevice) device = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(HoneGpuBuffer) a = NULL;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_device_new (HONE_GPU_DEVICE_VALIDATE, &error);
  g_assert_no_error (error);

  g_assert_false (hone_gpu_check (device, VK_ERROR_OUT_OF_DEVICE_MEMORY, "reserve memory",
                                  &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (error->message, "the GPU ran out of memory"));
  g_clear_error (&error);

  /* A binding beyond maxStorageBufferRange fails in words at recording time. */
  {
    const HoneGpuDeviceInfo *info = hone_gpu_device_get_info (device);
    gsize n = info->max_storage_buffer_range / 4 + 4;
    if (info->max_storage_buffer_range < (G_GUINT64_CONSTANT (1) << 30))
      {
        g_autoptr(HoneGpuBuffer) big = hone_gpu_buffer_new (device, n * 4, &error);
        g_assert_no_error (error);
        stream = hone_gpu_stream_new (device, &error);
        g_assert_no_error (error);
        g_assert_false (hone_op_add (stream, big, big, big, n, NULL, &error));
        g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
        g_test_message ("%s", error->message);
        g_clear_error (&error);
        /* The stream reports it again at submit, and is usable afterwards. */
        g_assert_false (hone_gpu_stream_submit (stream, &error));
        g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED);
        g_clear_error (&error);
      }
  }

  /* Device lost: every later submit and copy says so. */
  g_assert_false (hone_gpu_check (device, VK_ERROR_DEVICE_LOST, "run the step", &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_DEVICE_LOST);
  g_assert_nonnull (strstr (error->message, "stopped responding"));
  g_clear_error (&error);
  a = hone_gpu_buffer_new (device, 16, &error);
  g_assert_no_error (error);
  if (stream == NULL)
    stream = hone_gpu_stream_new (device, &error);
  hone_gpu_stream_fill (stream, a, 0, 0, 0);
  g_assert_false (hone_gpu_stream_submit (stream, &error));
  g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_DEVICE_LOST);
  g_clear_error (&error);
  {
    float x[4];
    g_assert_false (hone_gpu_buffer_download (a, 0, x, sizeof x, &error));
    g_assert_error (error, HONE_GPU_ERROR, HONE_GPU_ERROR_DEVICE_LOST);
  }
  g_clear_pointer (&stream, hone_gpu_stream_free);
  g_clear_pointer (&a, hone_gpu_buffer_free);
  /* The device was not really lost: reset for a clean teardown. */
  device->lost = FALSE;
}

static void
test_profile (void)
{
  HoneGpuDevice *device;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuStream) stream = NULL;
  g_autoptr(HoneGpuBuffer) a = NULL;
  char *text = NULL;
  size_t length = 0;
  FILE *out;

  SKIP_WITHOUT_DEVICE ();
  device = hone_gpu_test_device ();
  if (!hone_gpu_device_get_info (device)->timestamps)
    {
      g_test_skip ("the device has no timestamps");
      return;
    }
  hone_gpu_device_set_profiling (device, TRUE);
  a = hone_gpu_buffer_new (device, 4096 * 4, &error);
  g_assert_no_error (error);
  stream = hone_gpu_stream_new (device, &error);
  g_assert_no_error (error);
  hone_gpu_stream_fill (stream, a, 0, 0, 0);
  hone_op_add (stream, a, a, a, 4096, NULL, &error);
  hone_op_add (stream, a, a, a, 4096, NULL, &error);
  g_assert_no_error (error);
  hone_gpu_stream_submit (stream, &error);
  g_assert_no_error (error);
  hone_gpu_device_set_profiling (device, FALSE);
  out = open_memstream (&text, &length);
  hone_gpu_device_print_profile (device, out);
  fclose (out);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "add n=4096"));
  free (text);
  hone_gpu_test_check_validation ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Before GLib reads it: the pipeline cache goes to a fresh folder. */
  cache_dir = g_dir_make_tmp ("hone-gpu-test-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/gpu/devices", test_devices);
  g_test_add_func ("/hone/gpu/memory", test_memory);
  g_test_add_func ("/hone/gpu/budget", test_budget);
  g_test_add_func ("/hone/gpu/barriers", test_barriers);
  g_test_add_func ("/hone/gpu/pipeline-cache", test_pipeline_cache);
  g_test_add_func ("/hone/gpu/staging", test_staging);
  g_test_add_func ("/hone/gpu/errors", test_errors);
  g_test_add_func ("/hone/gpu/profile", test_profile);
  status = g_test_run ();
  hone_gpu_test_close ();
  {
    g_autofree char *cmd = NULL;
    g_autofree char *hone = g_build_filename (cache_dir, "hone", NULL);
    g_autoptr(GDir) dir = g_dir_open (hone, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (hone, name, NULL);
        g_unlink (p);
      }
    g_rmdir (hone);
    g_rmdir (cache_dir);
  }
  g_free (cache_dir);
  return status;
}
