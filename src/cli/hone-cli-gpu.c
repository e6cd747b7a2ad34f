/* hone-cli-gpu.c — hone-cli devices, and hone-cli bench kernels.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel benchmark records each kernel REPS times into one command buffer after a
 * warm-up run (which compiles the pipeline), submits once and divides the wall time: what
 * a training step sees, dispatch overhead included.
 */
#define G_LOG_DOMAIN "hone-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n.h>
#include <vulkan/vulkan.h>

#include "gpu/hone-gpu.h"
#include "model/hone-ggml.h"
#include "ops/hone-ops.h"
#include "hone-cli-private.h"

static void
print_device (const HoneGpuDeviceInfo *info,
              gboolean                 chosen)
{
  printf ("%s%u: %s\n", chosen ? "* " : "  ", info->index, info->name);
  printf (_("     type %s, driver %s (%s), Vulkan %u.%u\n"),
          hone_gpu_device_type_to_string (info->type), info->driver_name, info->driver_info,
          VK_API_VERSION_MAJOR (info->api_version), VK_API_VERSION_MINOR (info->api_version));
  for (guint i = 0; i < info->heaps->len; i++)
    {
      const HoneGpuHeapInfo *h = &g_array_index (info->heaps, HoneGpuHeapInfo, i);
      g_autofree char *size = g_format_size (h->size);

      if (info->has_memory_budget)
        {
          g_autofree char *budget = g_format_size (h->budget);
          g_autofree char *usage = g_format_size (h->usage);
          printf (_("     memory heap %u: %s%s, budget %s, in use %s\n"), i, size,
                  h->device_local ? _(" (device-local)") : "", budget, usage);
        }
      else
        printf (_("     memory heap %u: %s%s\n"), i, size,
                h->device_local ? _(" (device-local)") : "");
    }
  printf (_("     float16 %s, int8 %s, 16-bit storage %s, unified memory %s\n"),
          info->float16 ? _("yes") : _("no"), info->int8 ? _("yes") : _("no"),
          info->storage_16bit ? _("yes") : _("no"), info->unified_memory ? _("yes") : _("no"));
  printf (_("     subgroup %u (%u–%u), shared memory %u KiB, workgroup ≤ %u invocations\n"),
          info->subgroup_size, info->min_subgroup_size, info->max_subgroup_size,
          info->max_shared_memory / 1024, info->max_workgroup_invocations);
  printf (_("     storage buffer ≤ %" G_GUINT64_FORMAT " MiB, texel buffer ≤ %" G_GUINT64_FORMAT
            " Mi elements, allocation ≤ %" G_GUINT64_FORMAT " MiB\n"),
          info->max_storage_buffer_range >> 20, info->max_texel_buffer_elements >> 20,
          info->max_allocation_size >> 20);
}

int
hone_cli_devices (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  gboolean json = FALSE;
  gint chosen;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("List the Vulkan devices Hone can train on. The one marked "
                                  "with * is used; HONE_DEVICE=<index or name> picks another."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  devices = hone_gpu_list_devices (&error);
  if (devices == NULL)
    return hone_cli_fail_error (error);
  chosen = hone_gpu_choose_device (devices, devices->len ? &error : NULL);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "chosen");
      if (chosen >= 0)
        json_builder_add_int_value (b, chosen);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "devices");
      json_builder_begin_array (b);
      for (guint i = 0; i < devices->len; i++)
        json_builder_add_value (b, hone_gpu_device_info_to_json (devices->pdata[i]));
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hone_cli_print_json (root, TRUE);
    }
  else
    {
      if (devices->len == 0)
        printf ("%s\n", _("No Vulkan device found."));
      for (guint i = 0; i < devices->len; i++)
        print_device (devices->pdata[i], (gint) i == chosen);
    }
  if (error != NULL)
    return hone_cli_fail_error (error);
  return HONE_EXIT_OK;
}

/* ---- bench kernels ---------------------------------------------------------------- */

typedef struct
{
  HoneGpuDevice *device;
  HoneMatmulConfig matmul;  /* from --matmul-wg, else the defaults */
  GPtrArray     *buffers;   /* freed at the end */
  gboolean       json;
  JsonBuilder   *out;
  GRand         *rand;
  gboolean       ok;
} Bench;

typedef gboolean (*RecordFunc) (Bench *bench, HoneGpuStream *stream, gpointer data,
                                GError **error);

static HoneGpuBuffer *
bench_buffer (Bench  *bench,
              gsize   n_floats,
              GError **error)
{
  HoneGpuBuffer *buffer = hone_gpu_buffer_new (bench->device, MAX (n_floats, 1) * 4, error);
  g_autofree float *data = NULL;

  if (buffer == NULL)
    return NULL;
  g_ptr_array_add (bench->buffers, buffer);
  data = g_new (float, MAX (n_floats, 1));
  for (gsize i = 0; i < n_floats; i++)
    data[i] = (float) g_rand_double_range (bench->rand, -1, 1);
  if (!hone_gpu_buffer_upload (buffer, 0, data, n_floats * 4, error))
    return NULL;
  return buffer;
}

/* CPU seconds this process has used, all threads (lavapipe's workers included). */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
bench_free_buffers (Bench *bench)
{
  g_ptr_array_set_size (bench->buffers, 0);
}

/* Times @record: warm-up, then enough repetitions in one submit for about half a second. */
static void
bench_run (Bench       *bench,
           const char  *kernel,
           const char  *shape,
           double       flops,
           double       bytes,
           RecordFunc   record,
           gpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuStream) stream = hone_gpu_stream_new (bench->device, &error);
  double once, seconds, cpu, cpu_start;
  guint reps;
  gint64 start;

  if (stream == NULL)
    goto fail;
  for (int warm = 0; warm < 2; warm++)
    {
      start = g_get_monotonic_time ();
      if (!record (bench, stream, data, &error) || !hone_gpu_stream_submit (stream, &error))
        goto fail;
      once = (g_get_monotonic_time () - start) / 1e6;
    }
  reps = (guint) CLAMP (0.5 / MAX (once, 1e-6), 1, 50);
  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  for (guint i = 0; i < reps; i++)
    if (!record (bench, stream, data, &error))
      goto fail;
  if (!hone_gpu_stream_submit (stream, &error))
    goto fail;
  seconds = (g_get_monotonic_time () - start) / 1e6 / reps;
  cpu = (cpu_seconds () - cpu_start) / reps;

  if (bench->json)
    {
      json_builder_begin_object (bench->out);
      json_builder_set_member_name (bench->out, "kernel");
      json_builder_add_string_value (bench->out, kernel);
      json_builder_set_member_name (bench->out, "shape");
      json_builder_add_string_value (bench->out, shape);
      json_builder_set_member_name (bench->out, "ms");
      json_builder_add_double_value (bench->out, seconds * 1e3);
      json_builder_set_member_name (bench->out, "cpu_ms");
      json_builder_add_double_value (bench->out, cpu * 1e3);
      json_builder_set_member_name (bench->out, "reps");
      json_builder_add_int_value (bench->out, reps);
      if (flops > 0)
        {
          json_builder_set_member_name (bench->out, "gflops");
          json_builder_add_double_value (bench->out, flops / seconds / 1e9);
        }
      if (bytes > 0)
        {
          json_builder_set_member_name (bench->out, "gbps");
          json_builder_add_double_value (bench->out, bytes / seconds / 1e9);
        }
      json_builder_end_object (bench->out);
    }
  else
    {
      /* The CPU time says what the kernel costs when other work shares the cores: on a
       * CPU device, rate × (CPU s / wall s) is what two idle cores would reach. */
      printf ("%-22s %-22s %10.3f %10.3f", kernel, shape, seconds * 1e3, cpu * 1e3);
      if (flops > 0)
        printf (" %9.1f GFLOP/s %9.1f", flops / seconds / 1e9, flops / (cpu / 2) / 1e9);
      else
        printf (" %9.2f GB/s    %9.2f", bytes / seconds / 1e9, bytes / (cpu / 2) / 1e9);
      printf ("\n");
      fflush (stdout);
    }
  return;

fail:
  bench->ok = FALSE;
  g_printerr ("hone-cli: %s %s: %s\n", kernel, shape, error ? error->message : "failed");
}

typedef struct
{
  HoneMatrix a, b, c;
  guint m, n, k;
} MatmulCase;

static gboolean
record_matmul (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  MatmulCase *mc = data;
  return hone_op_matmul (stream, &mc->c, &mc->a, &mc->b, mc->m, mc->n, mc->k, 1, 1.0f, 0.0f,
                         &bench->matmul, error);
}

static void
bench_matmul (Bench      *bench,
              const char *kernel,
              guint       m,
              guint       n,
              guint       k,
              gboolean    ta,
              gboolean    tb,
              HoneDtype   b_dtype)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shape = g_strdup_printf ("%ux%ux%u", m, n, k);
  MatmulCase mc = { .m = m, .n = n, .k = k };
  HoneGpuBuffer *a, *b, *c;

  a = bench_buffer (bench, (gsize) m * k, &error);
  b = a ? bench_buffer (bench, b_dtype == HONE_DTYPE_F16 ? (gsize) k * n / 2 : (gsize) k * n,
                        &error) : NULL;
  c = b ? bench_buffer (bench, (gsize) m * n, &error) : NULL;
  if (c == NULL)
    {
      bench->ok = FALSE;
      g_printerr ("hone-cli: %s %s: %s\n", kernel, shape, error->message);
      return;
    }
  mc.a = (HoneMatrix) { a, 0, HONE_DTYPE_F32, ta, 0, 0 };
  mc.b = (HoneMatrix) { b, 0, b_dtype, tb, 0, 0 };
  mc.c = (HoneMatrix) { c, 0, HONE_DTYPE_F32, FALSE, 0, 0 };
  bench_run (bench, kernel, shape, 2.0 * m * n * k, 0, record_matmul, &mc);
  bench_free_buffers (bench);
}

typedef struct
{
  HoneGpuBuffer *x[8];
  guint t, c, h, d, v;
  gsize n;
} LayerCase;

static gboolean
record_add (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_add (stream, lc->x[2], lc->x[0], lc->x[1], lc->n, NULL, error);
}

static gboolean
record_swiglu (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_swiglu_forward (stream, lc->x[2], lc->x[0], lc->x[1], lc->n, NULL, error);
}

static gboolean
record_swiglu_backward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_swiglu_backward (stream, lc->x[3], lc->x[4], lc->x[0], lc->x[1], lc->x[2],
                                  lc->n, NULL, error);
}

static gboolean
record_rmsnorm (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_rmsnorm_forward (stream, lc->x[2], lc->x[3], lc->x[0], lc->x[1], lc->t, lc->c,
                                  1e-5f, NULL, error);
}

static gboolean
record_rmsnorm_backward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_rmsnorm_backward (stream, lc->x[4], lc->x[5], lc->x[3], lc->x[0], lc->x[1],
                                   lc->x[2], lc->t, lc->c, NULL, error);
}

static gboolean
record_rope (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_rope_forward (stream, lc->x[2], lc->x[0], lc->x[1], lc->t, lc->h, lc->d,
                               10000.0f, HONE_ROPE_NEOX, NULL, error);
}

static gboolean
record_embed (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_embed_forward (stream, lc->x[2], lc->x[0], lc->x[1], lc->t, lc->c, lc->v,
                                NULL, error);
}

static gboolean
record_embed_backward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_embed_backward (stream, lc->x[1], lc->x[0], lc->x[2], lc->t, lc->c, lc->v,
                                 NULL, error);
}

/* Buffers of the given float counts (0 ends); ids/positions are small integers. */
static gboolean
layer_buffers (Bench     *bench,
               LayerCase *lc,
               const gsize *sizes,
               gint       int_slot,
               guint      int_max)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; sizes[i] > 0; i++)
    {
      lc->x[i] = bench_buffer (bench, sizes[i], &error);
      if (lc->x[i] == NULL)
        {
          bench->ok = FALSE;
          g_printerr ("hone-cli: %s\n", error->message);
          return FALSE;
        }
      if ((gint) i == int_slot)
        {
          g_autofree guint32 *ints = g_new (guint32, sizes[i]);
          for (gsize j = 0; j < sizes[i]; j++)
            ints[j] = (guint32) g_rand_int_range (bench->rand, 0, (gint32) int_max);
          if (!hone_gpu_buffer_upload (lc->x[i], 0, ints, sizes[i] * 4, &error))
            {
              bench->ok = FALSE;
              g_printerr ("hone-cli: %s\n", error->message);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
bench_layers (Bench *bench,
              guint  t,
              guint  c,
              guint  f,
              guint  heads,
              guint  kv_heads,
              guint  vocab)
{
  g_autofree char *shape = NULL;
  LayerCase lc = { .t = t, .c = c };
  gsize n;

  lc.n = n = (gsize) t * c;
  shape = g_strdup_printf ("%ux%u", t, c);
  if (layer_buffers (bench, &lc, (gsize[]) { n, n, n, 0 }, -1, 0))
    bench_run (bench, "add", shape, 0, 3.0 * n * 4, record_add, &lc);
  bench_free_buffers (bench);

  lc.n = n = (gsize) t * f;
  g_free (shape);
  shape = g_strdup_printf ("%ux%u", t, f);
  if (layer_buffers (bench, &lc, (gsize[]) { n, n, n, n, n, 0 }, -1, 0))
    {
      bench_run (bench, "swiglu_forward", shape, 0, 3.0 * n * 4, record_swiglu, &lc);
      bench_run (bench, "swiglu_backward", shape, 0, 5.0 * n * 4, record_swiglu_backward, &lc);
    }
  bench_free_buffers (bench);

  n = (gsize) t * c;
  g_free (shape);
  shape = g_strdup_printf ("%ux%u", t, c);
  if (layer_buffers (bench, &lc, (gsize[]) { n, c, n, t, n, c, 0 }, -1, 0))
    {
      bench_run (bench, "rmsnorm_forward", shape, 0, 2.0 * n * 4, record_rmsnorm, &lc);
      /* input pass: x, dy → dx; weight pass: x, dy again */
      bench_run (bench, "rmsnorm_backward", shape, 0, 5.0 * n * 4, record_rmsnorm_backward, &lc);
    }
  bench_free_buffers (bench);

  lc.h = heads + kv_heads;   /* q and k are rotated, v is not */
  lc.d = c / heads;
  n = (gsize) t * lc.h * lc.d;
  g_free (shape);
  shape = g_strdup_printf ("%ux%ux%u", t, lc.h, lc.d);
  if (layer_buffers (bench, &lc, (gsize[]) { n, t, n, 0 }, 1, 512))
    bench_run (bench, "rope (q+k)", shape, 0, 2.0 * n * 4, record_rope, &lc);
  bench_free_buffers (bench);

  lc.v = vocab;
  g_free (shape);
  shape = g_strdup_printf ("%ux%u v%u", t, c, vocab);
  if (layer_buffers (bench, &lc, (gsize[]) { t, (gsize) vocab * c, (gsize) t * c, 0 }, 0, vocab))
    {
      bench_run (bench, "embed_forward", shape, 0, 2.0 * t * c * 4, record_embed, &lc);
      bench_run (bench, "embed_backward", shape, 0, 3.0 * t * c * 4, record_embed_backward, &lc);
    }
  bench_free_buffers (bench);
}

/* Cross-entropy over a batch of lc->t tokens in chunks of lc->h rows, then the mean:
 * x = logits chunk (Tc, V), targets (T), mask (T), dlogits chunk (Tc, V), losses (T), loss,
 * scratch. */
static gboolean
record_cross_entropy (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;

  for (guint row0 = 0; row0 < lc->t; row0 += lc->h)
    if (!hone_op_cross_entropy_chunk (stream, lc->x[3], lc->x[4], lc->x[6], lc->x[0], lc->x[1],
                                      lc->x[2], row0, MIN (lc->h, lc->t - row0), lc->t, lc->v,
                                      1.0f / lc->t, NULL, error))
      return FALSE;
  return hone_op_cross_entropy_mean (stream, lc->x[5], lc->x[4], lc->t, 1.0f / lc->t, error);
}

static void
bench_loss (Bench *bench,
            guint  t,
            guint  vocab,
            guint  chunk)
{
  g_autofree char *shape = g_strdup_printf ("%ux%u (chunks of %u)", t, vocab, chunk);
  g_autofree guint32 *ones = g_new (guint32, t);
  g_autoptr(GError) error = NULL;
  LayerCase lc = { .t = t, .v = vocab, .h = chunk };
  gsize n = (gsize) chunk * vocab;

  for (guint i = 0; i < t; i++)
    ones[i] = 1;
  if (layer_buffers (bench, &lc,
                     (gsize[]) { n, t, t, n, t, 1,
                                 hone_op_cross_entropy_scratch_size (chunk, vocab) / 4, 0 },
                     1, vocab))
    {
      if (!hone_gpu_buffer_upload (lc.x[2], 0, ones, (gsize) t * 4, &error))
        {
          bench->ok = FALSE;
          g_printerr ("hone-cli: %s\n", error->message);
        }
      else
        /* logits read twice (log-sum-exp, gradient), dlogits written once */
        bench_run (bench, "cross_entropy", shape, 0, 3.0 * t * vocab * 4,
                   record_cross_entropy, &lc);
    }
  bench_free_buffers (bench);
}

typedef struct
{
  HoneGpuBuffer *token, *probs, *scratch, *logits, *ids;
  guint          v, n_ids;
  HoneSampling   sampling;
} SampleCase;

static gboolean
record_sample (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  SampleCase *sc = data;
  return hone_op_sample (stream, sc->token, sc->probs, sc->scratch, sc->logits, sc->v,
                         &sc->sampling, 0.5f, NULL, error);
}

static gboolean
record_repetition_penalty (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  SampleCase *sc = data;
  return hone_op_repetition_penalty (stream, sc->logits, sc->ids, sc->n_ids, sc->v, 1.1f, NULL,
                                     error);
}

static void
bench_sampling (Bench *bench,
                guint  vocab)
{
  g_autofree char *shape = g_strdup_printf ("1x%u", vocab);
  g_autofree char *pshape = g_strdup_printf ("64 of %u", vocab);
  g_autoptr(GError) error = NULL;
  LayerCase lc = { 0 };
  SampleCase sc = { .v = vocab, .n_ids = 64 };

  if (layer_buffers (bench, &lc,
                     (gsize[]) { vocab, vocab, 1, 64, hone_op_sample_scratch_size (vocab) / 4, 0 },
                     3, vocab))
    {
      sc.logits = lc.x[0];
      sc.probs = lc.x[1];
      sc.token = lc.x[2];
      sc.ids = lc.x[3];
      sc.scratch = lc.x[4];
      sc.sampling = (HoneSampling) { 0.0f, 0, 1.0f, 0.0f };
      /* logits read once, probs written once */
      bench_run (bench, "sample greedy", shape, 0, 2.0 * vocab * 4, record_sample, &sc);
      sc.sampling = (HoneSampling) { 0.8f, 0, 1.0f, 0.05f };
      /* logits read twice, probs written twice and read three times */
      bench_run (bench, "sample T+min-p", shape, 0, 7.0 * vocab * 4, record_sample, &sc);
      sc.sampling = (HoneSampling) { 0.8f, 40, 0.95f, 0.05f };
      /* and 63 passes over probs for the two searches */
      bench_run (bench, "sample T+k+p+min-p", shape, 0, 70.0 * vocab * 4, record_sample, &sc);
      bench_run (bench, "repetition_penalty", pshape, 0, 64 * 12.0,
                 record_repetition_penalty, &sc);
    }
  bench_free_buffers (bench);
}

typedef struct
{
  HoneGpuBuffer *y, *x, *w;
  HoneQuantType  type;
  guint          m, n, k;
  gboolean       backward;
  gboolean       batched;     /* hone_op_matmul_quant_*, else hone_op_matvec_quant_* */
} QuantCase;

static gboolean
record_quant (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  QuantCase *qc = data;

  if (qc->batched && qc->backward)
    return hone_op_matmul_quant_backward (stream, qc->y, qc->x, qc->w, qc->type, qc->m, qc->n,
                                          qc->k, NULL, error);
  if (qc->batched)
    return hone_op_matmul_quant_forward (stream, qc->y, qc->x, qc->w, qc->type, qc->m, qc->n,
                                         qc->k, NULL, error);
  if (qc->backward)
    return hone_op_matvec_quant_backward (stream, qc->y, qc->x, qc->w, qc->type, qc->m, qc->n,
                                          qc->k, NULL, error);
  return hone_op_matvec_quant_forward (stream, qc->y, qc->x, qc->w, qc->type, qc->m, qc->n,
                                       qc->k, NULL, error);
}

/* Random but valid k-quant super-blocks (Hone has no k-quant quantizer): random bytes with
 * small f16 scales, so the weights are finite and about ±1. */
static void
random_k_blocks (GRand        *rand,
                 HoneGgmlType  type,
                 guint8       *q,
                 gsize         bytes)
{
  guint block_bytes = hone_ggml_type_block_bytes (type);

  for (gsize i = 0; i < bytes; i++)
    q[i] = (guint8) g_rand_int_range (rand, 0, 256);
  for (gsize b = 0; b < bytes / block_bytes; b++)
    {
      /* d and dmin at the start (q4_K, q5_K), d at byte 208 (q6_K) */
      guint8 *blk = q + b * block_bytes + (type == HONE_GGML_TYPE_Q6_K ? 208 : 0);
      guint16 d = hone_float_to_half (5e-4f);

      for (guint h = 0; h < (type == HONE_GGML_TYPE_Q6_K ? 1u : 2u); h++)
        {
          blk[2 * h] = d & 0xff;
          blk[2 * h + 1] = d >> 8;
        }
    }
}

/* Decode x·Wᵀ and its input gradient dy·W with W (N, K) in each quantized type (q8_0, q4_0,
 * q4_K, q5_K, q6_K, bf16), then the same for @m rows at once (the batched kernels); rate =
 * GB/s of the weight bytes streamed (decode) or GFLOP/s (batched). */
static void
bench_quant (Bench *bench,
             guint  m,
             guint  n,
             guint  k)
{
  static const HoneGgmlType ggml[] = {
    HONE_GGML_TYPE_Q8_0, HONE_GGML_TYPE_Q4_0, HONE_GGML_TYPE_Q4_K, HONE_GGML_TYPE_Q5_K,
    HONE_GGML_TYPE_Q6_K, HONE_GGML_TYPE_BF16,
  };
  g_autofree char *shape = g_strdup_printf ("1x%ux%u", n, k);
  g_autofree char *mshape = g_strdup_printf ("%ux%ux%u", m, n, k);
  g_autofree float *w = g_new (float, (gsize) n * k);

  for (gsize i = 0; i < (gsize) n * k; i++)
    w[i] = (float) g_rand_double_range (bench->rand, -1, 1);
  for (guint t = 0; t < G_N_ELEMENTS (ggml); t++)
    {
      g_autoptr(GError) error = NULL;
      HoneQuantType type;
      gsize bytes;
      g_autofree guint8 *q = NULL;
      const char *name = hone_ggml_type_name (ggml[t]);
      g_autofree char *fwd = g_strdup_printf ("decode x·WT %s", name);
      g_autofree char *bwd = g_strdup_printf ("decode dy·W %s", name);
      g_autofree char *mfwd = g_strdup_printf ("matmul x·WT %s", name);
      g_autofree char *mbwd = g_strdup_printf ("matmul dy·W %s", name);
      QuantCase qc;
      LayerCase lc = { 0 };

      if (!hone_op_quant_type_from_ggml (ggml[t], &type))
        continue;
      bytes = hone_op_quant_bytes (type, n, k);
      q = g_malloc (bytes);
      qc = (QuantCase) { .type = type, .m = 1, .n = n, .k = k };
      if (hone_ggml_can_quantize (ggml[t]))
        hone_ggml_quantize (ggml[t], w, q, (gsize) n * k);
      else
        random_k_blocks (bench->rand, ggml[t], q, bytes);
      if (!layer_buffers (bench, &lc, (gsize[]) { k, n, (bytes + 3) / 4, n, k, 0 }, -1, 0))
        break;
      if (!hone_gpu_buffer_upload (lc.x[2], 0, q, bytes, &error))
        {
          bench->ok = FALSE;
          g_printerr ("hone-cli: %s\n", error->message);
          break;
        }
      qc.w = lc.x[2];
      qc.x = lc.x[0];
      qc.y = lc.x[1];
      /* decode is bound by streaming W: report GB/s */
      bench_run (bench, fwd, shape, 0, bytes, record_quant, &qc);
      qc.backward = TRUE;
      qc.x = lc.x[3];
      qc.y = lc.x[4];
      bench_run (bench, bwd, shape, 0, bytes, record_quant, &qc);
      bench_free_buffers (bench);
      if (!layer_buffers (bench, &lc,
                          (gsize[]) { (gsize) m * k, (gsize) m * n, (bytes + 3) / 4, 0 }, -1, 0))
        break;
      if (!hone_gpu_buffer_upload (lc.x[2], 0, q, bytes, &error))
        {
          bench->ok = FALSE;
          g_printerr ("hone-cli: %s\n", error->message);
          break;
        }
      qc = (QuantCase) { .type = type, .m = m, .n = n, .k = k, .batched = TRUE,
                         .w = lc.x[2], .x = lc.x[0], .y = lc.x[1] };
      bench_run (bench, mfwd, mshape, 2.0 * m * n * k, 0, record_quant, &qc);
      qc.backward = TRUE;
      qc.x = lc.x[1];
      qc.y = lc.x[0];
      bench_run (bench, mbwd, mshape, 2.0 * m * n * k, 0, record_quant, &qc);
      bench_free_buffers (bench);
    }
}

static gboolean
record_bias (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_bias_forward (stream, lc->x[2], lc->x[0], lc->x[1], lc->t, lc->c, NULL, error);
}

static gboolean
record_bias_backward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_bias_backward (stream, lc->x[1], lc->x[0], lc->t, lc->c, NULL, error);
}

/* x[0…3]: gradients of lc->n elements each, x[4] scratch, x[5] out */
static gboolean
record_grad_norm (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  gsize sizes[4] = { lc->n, lc->n, lc->n, lc->n };

  return hone_op_grad_norm_clip (stream, lc->x[5], lc->x[4], lc->x, sizes, 4, 1e9f, NULL,
                                 error);
}

static gboolean
record_dropout (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_dropout (stream, lc->x[2], lc->x[0], lc->n, 0.1f, 1234, 1, NULL, error);
}

/* x[0] q (H, D), x[1] K cache, x[2] V cache (S, Hkv, D), x[3] out, x[4] lse */
static gboolean
record_attention_decode (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_attention_decode (stream, lc->x[3], lc->x[4], lc->x[0], lc->x[1], lc->x[2],
                                   lc->h, lc->v, lc->d, lc->t, NULL, error);
}

static void
bench_attention_decode (Bench *bench,
                        guint  heads,
                        guint  kv_heads,
                        guint  d,
                        guint  s)
{
  g_autofree char *shape = g_strdup_printf ("h%u/%u d%u s%u", heads, kv_heads, d, s);
  LayerCase lc = { .h = heads, .v = kv_heads, .d = d, .t = s };
  gsize nq = (gsize) heads * d, nkv = (gsize) s * kv_heads * d;

  if (layer_buffers (bench, &lc, (gsize[]) { nq, nkv, nkv, nq, heads, 0 }, -1, 0))
    /* the cache streamed once; each KV head serves H / Hkv query heads */
    bench_run (bench, "attention_decode", shape, 4.0 * heads * s * d, 2.0 * nkv * 4,
               record_attention_decode, &lc);
  bench_free_buffers (bench);
}

/* Inference attention against the KV cache: x[0] q (N, H, D), x[1] K and x[2] V caches
 * (S, Hkv, D) of dtype lc->c, x[3] out (N, H, D); the N new tokens are the last N of the
 * S cached positions. */
static gboolean
record_attention_cached (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  LayerCase *lc = data;
  return hone_op_attention_cached (stream, lc->x[3], lc->x[0], lc->x[1], lc->x[2],
                                   (HoneDtype) lc->c, (guint) lc->n, lc->t - (guint) lc->n,
                                   lc->h, lc->v, lc->d, 1.0f / sqrtf ((float) lc->d), NULL,
                                   error);
}

/* Decode (n = 1) reports the GB/s of cache read (K and V once, each KV head serving
 * H / Hkv query heads); prefill reports GFLOP/s over the visible pairs. */
static void
bench_attention_cached (Bench    *bench,
                        guint     heads,
                        guint     kv_heads,
                        guint     d,
                        guint     s,
                        guint     n,
                        HoneDtype dtype)
{
  g_autofree char *shape = g_strdup_printf ("n%u h%u/%u d%u s%u", n, heads, kv_heads, d, s);
  LayerCase lc = { .h = heads, .v = kv_heads, .d = d, .t = s, .n = n, .c = dtype };
  gsize nq = (gsize) n * heads * d, nkv = (gsize) s * kv_heads * d;
  double pairs = (double) n * (s - n) + (double) n * (n + 1) / 2;

  if (layer_buffers (bench, &lc, (gsize[]) { nq, nkv, nkv, nq, 0 }, -1, 0))
    {
      g_autoptr(GError) error = NULL;

      if (dtype == HONE_DTYPE_F16)
        {
          /* real halves in the caches, not float bits read as halves (NaNs) */
          g_autofree guint16 *half = g_new (guint16, nkv);

          for (gsize i = 0; i < nkv; i++)
            half[i] = hone_float_to_half ((float) g_rand_double_range (bench->rand, -1, 1));
          if (!hone_gpu_buffer_upload (lc.x[1], 0, half, nkv * 2, &error)
              || !hone_gpu_buffer_upload (lc.x[2], 0, half, nkv * 2, &error))
            {
              bench->ok = FALSE;
              g_printerr ("hone-cli: %s\n", error->message);
              bench_free_buffers (bench);
              return;
            }
        }
      bench_run (bench, dtype == HONE_DTYPE_F16 ? "attention_cached f16" : "attention_cached f32",
                 shape, n > 1 ? 4.0 * heads * d * pairs : 0,
                 2.0 * nkv * (dtype == HONE_DTYPE_F16 ? 2 : 4), record_attention_cached, &lc);
    }
  bench_free_buffers (bench);
}

/* Training attention: b[0] q, b[1] k, b[2] v, b[3] seq_start, b[4] out, b[5] lse,
 * b[6] delta, b[7] dq, b[8] dk, b[9] dv, b[10] dout */
typedef struct
{
  HoneGpuBuffer *b[11];
  guint          t, h, hkv, d;
} AttentionCase;

static gboolean
record_attention_forward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  AttentionCase *ac = data;
  return hone_op_attention_forward (stream, ac->b[4], ac->b[5], ac->b[0], ac->b[1], ac->b[2],
                                    ac->b[3], ac->t, ac->h, ac->hkv, ac->d,
                                    1.0f / sqrtf ((float) ac->d), NULL, error);
}

static gboolean
record_attention_backward (Bench *bench, HoneGpuStream *stream, gpointer data, GError **error)
{
  AttentionCase *ac = data;
  return hone_op_attention_backward (stream, ac->b[7], ac->b[8], ac->b[9], ac->b[6], ac->b[4],
                                     ac->b[5], ac->b[0], ac->b[1], ac->b[2], ac->b[10],
                                     ac->b[3], ac->t, ac->h, ac->hkv, ac->d,
                                     1.0f / sqrtf ((float) ac->d), NULL, error);
}

/* Causal attention over one sequence of T tokens, forward then backward (the backward
 * uses the forward's out and lse); flops count the T(T+1)/2 visible pairs per head:
 * 4D forward, 14D backward (scores and do·v recomputed in both of its passes). */
static void
bench_attention_train (Bench *bench,
                       guint  t,
                       guint  heads,
                       guint  kv_heads,
                       guint  d)
{
  g_autofree char *shape = g_strdup_printf ("t%u h%u/%u d%u", t, heads, kv_heads, d);
  g_autofree guint32 *seq = g_new0 (guint32, t);
  g_autoptr(GError) error = NULL;
  AttentionCase ac = { .t = t, .h = heads, .hkv = kv_heads, .d = d };
  gsize nq = (gsize) t * heads * d, nkv = (gsize) t * kv_heads * d, nl = (gsize) t * heads;
  gsize sizes[11] = { nq, nkv, nkv, t, nq, nl, nl, nq, nkv, nkv, nq };
  double pairs = (double) heads * t * (t + 1) / 2;

  for (guint i = 0; i < 11; i++)
    if ((ac.b[i] = bench_buffer (bench, sizes[i], &error)) == NULL)
      break;
  if (error == NULL)
    hone_gpu_buffer_upload (ac.b[3], 0, seq, (gsize) t * 4, &error);
  if (error != NULL)
    {
      bench->ok = FALSE;
      g_printerr ("hone-cli: %s\n", error->message);
    }
  else
    {
      bench_run (bench, "attention_forward", shape, 4.0 * d * pairs, 0,
                 record_attention_forward, &ac);
      bench_run (bench, "attention_backward", shape, 14.0 * d * pairs, 0,
                 record_attention_backward, &ac);
    }
  bench_free_buffers (bench);
}

static void
bench_small (Bench *bench,
             guint  t,
             guint  c)
{
  g_autofree char *shape = g_strdup_printf ("%ux%u", t, c);
  g_autofree char *gshape = g_strdup_printf ("4x%ux%u", c, c);
  LayerCase lc = { .t = t, .c = c };
  gsize n = (gsize) t * c, g = (gsize) c * c;
  gsize sizes[4] = { g, g, g, g };

  if (layer_buffers (bench, &lc, (gsize[]) { n, c, n, 0 }, -1, 0))
    {
      bench_run (bench, "bias_forward", shape, 0, 3.0 * n * 4, record_bias, &lc);
      bench_run (bench, "bias_backward", shape, 0, 1.0 * n * 4, record_bias_backward, &lc);
      lc.n = n;
      bench_run (bench, "dropout p=0.1", shape, 0, 2.0 * n * 4, record_dropout, &lc);
    }
  bench_free_buffers (bench);
  lc.n = g;
  if (layer_buffers (bench, &lc,
                     (gsize[]) { g, g, g, g, hone_op_grad_norm_scratch_size (sizes, 4) / 4, 2, 0 },
                     -1, 0))
    /* norm pass reads, clip pass reads and writes (scale 1 here) */
    bench_run (bench, "grad_norm + clip", gshape, 0, 3.0 * 4 * g * 4, record_grad_norm, &lc);
  bench_free_buffers (bench);
}

int
hone_cli_bench_kernels (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("kernels"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneGpuDevice) device = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(JsonBuilder) out = json_builder_new ();
  g_autofree char *only = NULL;
  g_autofree char *matmul_wg = NULL;
  gboolean json = FALSE;
  Bench bench = { 0 };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      N_("Only matmul, layers, loss, sample, quant, small-ops, attention, 1b or small"), N_("WHAT") },
    { "matmul-wg", 0, 0, G_OPTION_ARG_STRING, &matmul_wg,
      N_("Matmul workgroup size, for tuning"), N_("XxY") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Time every GPU kernel at the shapes of a 1B Llama (hidden 2048, "
                                  "FFN 8192, 32 heads, 8 KV heads, 512 tokens) and of a small "
                                  "model (hidden 512, FFN 1408, 8 heads, 4 KV heads, 1024 "
                                  "tokens), and print time and GFLOP/s or GB/s."));
  if (!hone_cli_parse (context, &argc, &argv))
    return HONE_EXIT_USAGE;
  if (argc != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("usage: hone-cli bench kernels [--json]"));

  device = hone_gpu_device_new (HONE_GPU_DEVICE_FLAGS_NONE, &error);
  if (device == NULL)
    return hone_cli_fail_error (error);
  bench.device = device;
  if (matmul_wg != NULL && sscanf (matmul_wg, "%ux%u", &bench.matmul.wg_x, &bench.matmul.wg_y) != 2)
    return hone_cli_fail (HONE_EXIT_USAGE, _("--matmul-wg wants XxY, such as 16x2"));
  bench.buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_gpu_buffer_free);
  bench.json = json;
  bench.out = out;
  bench.rand = rand;
  bench.ok = TRUE;

  if (json)
    {
      json_builder_begin_object (out);
      json_builder_set_member_name (out, "device");
      json_builder_add_string_value (out, hone_gpu_device_get_info (device)->name);
      json_builder_set_member_name (out, "results");
      json_builder_begin_array (out);
    }
  else
    printf ("%s\n%-22s %-22s %10s %10s %17s %9s\n", hone_gpu_device_get_info (device)->name,
            "kernel", "shape (MxNxK)", "ms", "cpu ms", "rate", "per 2 cpu");

  if (only == NULL || strcmp (only, "matmul") == 0 || strcmp (only, "1b") == 0)
    {
      /* 1B Llama, 512 tokens. */
      bench_matmul (&bench, "matmul_nn x·W", 512, 8192, 2048, FALSE, FALSE, HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_tn xT·dy (dW)", 2048, 8192, 512, TRUE, FALSE,
                    HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_nt x·WT", 512, 8192, 2048, FALSE, TRUE, HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_nt x·WT", 512, 2048, 8192, FALSE, TRUE, HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_nn x·W f16", 512, 8192, 2048, FALSE, FALSE, HONE_DTYPE_F16);
      bench_matmul (&bench, "matmul_nt x·WT f16", 512, 8192, 2048, FALSE, TRUE, HONE_DTYPE_F16);
      bench_matmul (&bench, "matmul_nt decode", 1, 8192, 2048, FALSE, TRUE, HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_nt decode f16", 1, 8192, 2048, FALSE, TRUE, HONE_DTYPE_F16);
    }
  if (only == NULL || strcmp (only, "matmul") == 0 || strcmp (only, "small") == 0)
    {
      /* Small model: dim 512, FFN 1408, 1024 tokens a step. */
      bench_matmul (&bench, "matmul_nn x·W", 1024, 1408, 512, FALSE, FALSE, HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_tn xT·dy (dW)", 512, 1408, 1024, TRUE, FALSE,
                    HONE_DTYPE_F32);
      bench_matmul (&bench, "matmul_nt x·WT", 1024, 1408, 512, FALSE, TRUE, HONE_DTYPE_F32);
    }
  if (only == NULL || strcmp (only, "layers") == 0 || strcmp (only, "1b") == 0)
    bench_layers (&bench, 512, 2048, 8192, 32, 8, 16384);
  if (only == NULL || strcmp (only, "layers") == 0 || strcmp (only, "small") == 0)
    bench_layers (&bench, 1024, 512, 1408, 8, 4, 32000);
  if (only == NULL || strcmp (only, "loss") == 0 || strcmp (only, "1b") == 0)
    bench_loss (&bench, 512, 32000, 128);
  if (only == NULL || strcmp (only, "sample") == 0 || strcmp (only, "1b") == 0)
    bench_sampling (&bench, 32000);
  if (only == NULL || strcmp (only, "quant") == 0 || strcmp (only, "1b") == 0)
    bench_quant (&bench, 512, 8192, 2048);
  if (only == NULL || strcmp (only, "small-ops") == 0 || strcmp (only, "1b") == 0)
    bench_small (&bench, 512, 2048);
  if (only == NULL || strcmp (only, "attention") == 0 || strcmp (only, "1b") == 0)
    {
      bench_attention_decode (&bench, 32, 8, 64, 512);
      bench_attention_decode (&bench, 32, 8, 64, 4096);
      bench_attention_cached (&bench, 32, 8, 64, 512, 1, HONE_DTYPE_F32);
      bench_attention_cached (&bench, 32, 8, 64, 512, 1, HONE_DTYPE_F16);
      bench_attention_cached (&bench, 32, 8, 64, 4096, 1, HONE_DTYPE_F32);
      bench_attention_cached (&bench, 32, 8, 64, 4096, 1, HONE_DTYPE_F16);
      /* a small model's heads: few rows to spread over the cores */
      bench_attention_cached (&bench, 8, 4, 64, 4096, 1, HONE_DTYPE_F16);
      bench_attention_cached (&bench, 32, 8, 64, 512, 512, HONE_DTYPE_F16);
      bench_attention_train (&bench, 512, 32, 8, 64);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;
      json_builder_end_array (out);
      json_builder_end_object (out);
      root = json_builder_get_root (out);
      hone_cli_print_json (root, TRUE);
    }
  g_ptr_array_unref (bench.buffers);
  return bench.ok ? HONE_EXIT_OK : HONE_EXIT_BAD_INPUT;
}
