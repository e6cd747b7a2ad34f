/* hone-gpu-test.c — what the GPU tests share.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-gpu-test.h"

static HoneGpuDevice *device;
static char *skip_reason;
static gboolean tried;
static guint seen_messages;

HoneGpuDevice *
hone_gpu_test_device (void)
{
  g_autoptr(GError) error = NULL;

  if (tried)
    return device;
  tried = TRUE;
  device = hone_gpu_device_new (HONE_GPU_DEVICE_VALIDATE, &error);
  if (device == NULL && g_error_matches (error, HONE_GPU_ERROR, HONE_GPU_ERROR_UNSUPPORTED))
    {
      /* No validation layer installed: still check the results, and say so. */
      g_printerr ("# %s; running without validation\n", error->message);
      g_clear_error (&error);
      device = hone_gpu_device_new (HONE_GPU_DEVICE_FLAGS_NONE, &error);
    }
  if (device == NULL)
    {
      skip_reason = g_strdup_printf ("no Vulkan device with validation: %s", error->message);
      return NULL;
    }
  return device;
}

const char *
hone_gpu_test_skip_reason (void)
{
  return skip_reason ? skip_reason : "no Vulkan device";
}

void
hone_gpu_test_check_validation (void)
{
  GPtrArray *messages;

  if (device == NULL)
    return;
  messages = hone_gpu_device_get_validation_messages (device);
  if (messages->len > seen_messages)
    {
      guint n_new = messages->len - seen_messages;

      for (guint i = seen_messages; i < messages->len; i++)
        g_test_message ("validation: %s", (const char *) messages->pdata[i]);
      seen_messages = messages->len;
      g_test_fail_printf ("the Vulkan validation layer reported %u messages", n_new);
    }
}

void
hone_gpu_test_close (void)
{
  if (device != NULL)
    {
      hone_gpu_test_check_validation ();
      g_assert_cmpuint (hone_gpu_device_get_live_bytes (device), ==, 0);
    }
  g_clear_pointer (&device, hone_gpu_device_free);
  g_clear_pointer (&skip_reason, g_free);
}

guint16
hone_gpu_test_float_to_half (float f)
{
  guint32 x;
  guint32 sign, exponent, mantissa;

  memcpy (&x, &f, 4);
  sign = (x >> 16) & 0x8000;
  exponent = (x >> 23) & 0xff;
  mantissa = x & 0x7fffff;
  if (exponent == 0xff)
    return (guint16) (sign | 0x7c00 | (mantissa ? 0x200 : 0));
  {
    gint e = (gint) exponent - 127 + 15;
    if (e >= 31)
      return (guint16) (sign | 0x7c00);
    if (e <= 0)
      {
        guint32 m, shift, half, rounded;
        if (e < -10)
          return (guint16) sign;
        m = mantissa | 0x800000;
        shift = (guint32) (14 - e);
        half = 1u << (shift - 1);
        rounded = m >> shift;
        if ((m & ((1u << shift) - 1)) > half || ((m & ((1u << shift) - 1)) == half && (rounded & 1)))
          rounded++;
        return (guint16) (sign | rounded);
      }
    {
      guint32 h = ((guint32) e << 10) | (mantissa >> 13);
      guint32 rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
        h++;
      return (guint16) (sign | h);
    }
  }
}

float
hone_gpu_test_half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;
  guint32 x;
  float f;

  if (exponent == 0)
    {
      f = (float) mantissa / 1024.0f / 16384.0f;
      return sign ? -f : f;
    }
  if (exponent == 31)
    x = sign | 0x7f800000 | (mantissa << 13);
  else
    x = sign | ((exponent + 112) << 23) | (mantissa << 13);
  memcpy (&f, &x, 4);
  return f;
}

float *
hone_gpu_test_random (GRand  *rand,
                      gsize   n,
                      double  lo,
                      double  hi)
{
  float *x = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, lo, hi);
  return x;
}

double *
hone_gpu_test_to_double (const float *x,
                         gsize        n)
{
  double *d = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    d[i] = x[i];
  return d;
}

HoneGpuBuffer *
hone_gpu_test_upload (const void *data,
                      gsize       bytes)
{
  g_autoptr(GError) error = NULL;
  HoneGpuBuffer *buffer = hone_gpu_buffer_new (device, MAX (bytes, 4), &error);

  g_assert_no_error (error);
  if (data != NULL)
    {
      hone_gpu_buffer_upload (buffer, 0, data, bytes, &error);
      g_assert_no_error (error);
    }
  return buffer;
}

float *
hone_gpu_test_download (HoneGpuBuffer *buffer,
                        gsize          n)
{
  g_autoptr(GError) error = NULL;
  float *x = g_new (float, MAX (n, 1));

  hone_gpu_buffer_download (buffer, 0, x, n * sizeof (float), &error);
  g_assert_no_error (error);
  return x;
}

void
hone_gpu_test_compare (const char   *what,
                       const float  *got,
                       const double *ref,
                       gsize         n,
                       double        atol,
                       double        rtol)
{
  guint bad = 0;
  double worst = 0;

  for (gsize i = 0; i < n; i++)
    {
      double err = fabs ((double) got[i] - ref[i]);
      double bound = atol + rtol * fabs (ref[i]);
      if (!(err <= bound))
        {
          if (bad < 5)
            g_test_message ("%s: [%" G_GSIZE_FORMAT "] got %.9g, want %.9g (error %.3g > %.3g)",
                            what, i, got[i], ref[i], err, bound);
          bad++;
        }
      if (bound > 0 && err / bound > worst)
        worst = err / bound;
    }
  if (bad > 0)
    g_test_fail_printf ("%s: %u of %" G_GSIZE_FORMAT " elements out of bounds "
                        "(atol %g, rtol %g)", what, bad, n, atol, rtol);
  else
    g_test_message ("%s: %" G_GSIZE_FORMAT " elements, worst error %.2f of the bound", what, n,
                    worst);
}
