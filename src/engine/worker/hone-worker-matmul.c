/* hone-worker-matmul.c — a long job that keeps the device busy: seeded matrix products,
 * checked against the CPU. A stand-in for training in tests and in hone-cli.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-worker"

#include "config.h"

#include <math.h>

#include "ops/hone-ops.h"

#include "hone-worker-private.h"

/* Entries of the product checked on the CPU per step. */
#define N_CHECKED 64

typedef struct
{
  guint           n_steps;
  guint           size;
  double          max_error;
  HoneGpuBuffer  *a;        /* (size, size) */
  HoneGpuBuffer  *b;        /* (size, size) */
  HoneGpuBuffer  *c;        /* (size, size) */
  float          *host_a;   /* (size, size) */
  float          *host_b;   /* (size, size) */
  float          *host_c;   /* (size, size) */
} MatmulJob;

static void
matmul_job_free (gpointer data)
{
  MatmulJob *job = data;

  g_clear_pointer (&job->a, hone_gpu_buffer_free);
  g_clear_pointer (&job->b, hone_gpu_buffer_free);
  g_clear_pointer (&job->c, hone_gpu_buffer_free);
  g_free (job->host_a);
  g_free (job->host_b);
  g_free (job->host_c);
  g_free (job);
}

static gboolean
matmul_prepare (HoneWorkerContext  *context,
                gpointer            data,
                GError            **error)
{
  MatmulJob *job = data;
  HoneGpuDevice *device = hone_worker_context_get_device (context, error);
  gsize bytes = (gsize) job->size * job->size * sizeof (float);

  if (device == NULL)
    return FALSE;
  job->a = hone_gpu_buffer_new (device, bytes, error);
  job->b = job->a != NULL ? hone_gpu_buffer_new (device, bytes, error) : NULL;
  job->c = job->b != NULL ? hone_gpu_buffer_new (device, bytes, error) : NULL;
  job->host_a = g_new (float, (gsize) job->size * job->size);
  job->host_b = g_new (float, (gsize) job->size * job->size);
  job->host_c = g_new (float, (gsize) job->size * job->size);
  return job->c != NULL;
}

static gboolean
matmul_step (HoneWorkerContext  *context,
             gpointer            data,
             gboolean           *done,
             GError            **error)
{
  MatmulJob *job = data;
  guint64 step = hone_worker_context_get_step (context);
  guint size = job->size;
  gsize n = (gsize) size * size;
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed + (guint32) step);
  g_autoptr(HoneGpuStream) stream = NULL;
  HoneMatrix cm = { job->c, 0, HONE_DTYPE_F32, FALSE, 0, 0 };
  HoneMatrix am = { job->a, 0, HONE_DTYPE_F32, FALSE, 0, 0 };
  HoneMatrix bm = { job->b, 0, HONE_DTYPE_F32, FALSE, 0, 0 };
  double step_error = 0;
  g_autofree char *message = NULL;

  for (gsize i = 0; i < n; i++)
    job->host_a[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < n; i++)
    job->host_b[i] = (float) g_rand_double_range (rand, -1, 1);

  stream = hone_gpu_stream_new (hone_worker_context_get_device (context, NULL), error);
  if (stream == NULL ||
      !hone_gpu_buffer_upload (job->a, 0, job->host_a, n * sizeof (float), error) ||
      !hone_gpu_buffer_upload (job->b, 0, job->host_b, n * sizeof (float), error) ||
      !hone_op_matmul (stream, &cm, &am, &bm, size, size, size, 1, 1.0f, 0.0f, NULL, error) ||
      !hone_gpu_stream_submit (stream, error) ||
      !hone_gpu_buffer_download (job->c, 0, job->host_c, n * sizeof (float), error))
    return FALSE;

  /* A sample of the product against a double-precision dot product. */
  for (guint s = 0; s < N_CHECKED; s++)
    {
      guint i = g_rand_int_range (rand, 0, size);
      guint j = g_rand_int_range (rand, 0, size);
      double ref = 0;

      for (guint k = 0; k < size; k++)
        ref += (double) job->host_a[(gsize) i * size + k] * job->host_b[(gsize) k * size + j];
      step_error = MAX (step_error, fabs (job->host_c[(gsize) i * size + j] - ref) /
                                    (1e-3 + fabs (ref)));
    }
  job->max_error = MAX (job->max_error, step_error);

  message = g_strdup_printf ("Multiplied matrices %u of %u", (guint) step + 1, job->n_steps);
  hone_worker_context_progress (context, (double) (step + 1) / job->n_steps, message);
  hone_worker_context_metric (context, "max_error", (gint64) step + 1, step_error);
  *done = step + 1 >= job->n_steps;
  return TRUE;
}

static gboolean
matmul_finish (HoneWorkerContext  *context,
               gpointer            data,
               JsonNode          **result,
               GError            **error)
{
  MatmulJob *job = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "steps");
  json_builder_add_int_value (builder, job->n_steps);
  json_builder_set_member_name (builder, "max_error");
  json_builder_add_double_value (builder, job->max_error);
  json_builder_end_object (builder);
  *result = json_builder_get_root (builder);
  return TRUE;
}

static const HoneWorkerJobClass matmul_class = {
  .name = "matmul",
  .interactive = FALSE,
  .needs_device = TRUE,
  .prepare = matmul_prepare,
  .step = matmul_step,
  .finish = matmul_finish,
  .free_data = matmul_job_free,
};

guint64
hone_worker_matmul_job (HoneWorker          *self,
                        guint                n_steps,
                        guint                size,
                        HoneWorkerEventFunc  func,
                        gpointer             user_data,
                        GDestroyNotify       destroy)
{
  MatmulJob *job;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (n_steps > 0, 0);
  g_return_val_if_fail (size > 0, 0);

  job = g_new0 (MatmulJob, 1);
  job->n_steps = n_steps;
  job->size = size;
  return hone_worker_submit (self, &matmul_class, job, func, user_data, destroy);
}
