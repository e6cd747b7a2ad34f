/* hone-infer-model.c — a model's weights and adapters on the device, and the one linear
 * layer every matrix goes through.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Matrices stay in the type the file stores them in: f32 and f16 go through the matmul
 * kernels (f16 through half-float texel views), bf16 and the GGUF quantized types through
 * the quant kernels, which dequantize inside the shader. A type no kernel reads (q4_1,
 * q5_0, q2_K, the i-quants…) is converted to f16 on upload, which costs precision and
 * says so in the log. Vectors (norms, biases) are f32. The token embedding is not uploaded:
 * its rows are gathered (and dequantized) on the host for each batch, which reads a few
 * kilobytes per token; a tied output head uploads the same tensor as the output matrix.
 */
#define G_LOG_DOMAIN "hone-infer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "hone-infer-private.h"

G_DEFINE_QUARK (hone-infer-error-quark, hone_infer_error)

static const char *const slot_names[HONE_N_SLOTS] = {
  "attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down",
};

static void
weight_clear (HoneInferWeight *w)
{
  g_clear_pointer (&w->buffer, hone_gpu_buffer_free);
}

static const HoneModelTensor *
find_tensor (HoneModel  *model,
             const char *name,
             gboolean    required,
             GError    **error)
{
  const HoneModelTensor *tensor = hone_model_find_tensor (model, name);

  if (tensor == NULL && required)
    g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                 _("The model has no tensor “%s”"), name);
  return tensor;
}

/* A vector (norm weight, bias) as f32. */
static gboolean
upload_vector (HoneInferModel        *self,
               HoneInferWeight       *w,
               const HoneModelTensor *tensor,
               guint                  expected,
               GError               **error)
{
  g_autofree float *values = NULL;

  if (tensor->n_elements != expected)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("The model’s tensor “%s” has %" G_GUINT64_FORMAT " values where %u were "
                     "expected"), tensor->name, tensor->n_elements, expected);
      return FALSE;
    }
  values = hone_model_tensor_dup_f32 (tensor, error);
  if (values == NULL)
    return FALSE;
  w->buffer = hone_gpu_buffer_new (self->device, expected * sizeof (float), error);
  if (w->buffer == NULL
      || !hone_gpu_buffer_upload (w->buffer, 0, values, expected * sizeof (float), error))
    return FALSE;
  w->type = HONE_GGML_TYPE_F32;
  w->n = expected;
  w->k = 1;
  self->weight_bytes += expected * sizeof (float);
  return TRUE;
}

/* A matrix (N, K) in its own type where a kernel reads it, else as f16. */
static gboolean
upload_matrix (HoneInferModel        *self,
               HoneInferWeight       *w,
               const HoneModelTensor *tensor,
               guint                  n,
               guint                  k,
               GError               **error)
{
  HoneQuantType quant;
  gboolean direct;

  if (tensor->n_dims != 2 || tensor->ne[0] != k || tensor->ne[1] != n)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("The model’s tensor “%s” is %" G_GUINT64_FORMAT "×%" G_GUINT64_FORMAT
                     " where %u×%u was expected"),
                   tensor->name, tensor->ne[1], tensor->ne[0], n, k);
      return FALSE;
    }
  w->n = n;
  w->k = k;
  w->quantized = FALSE;
  direct = tensor->type == HONE_GGML_TYPE_F32 || tensor->type == HONE_GGML_TYPE_F16;
  if (!direct && hone_op_quant_type_from_ggml (tensor->type, &quant)
      && k % hone_ggml_type_block_size (tensor->type) == 0 && k % 32 == 0)
    {
      w->quantized = TRUE;
      w->quant = quant;
      direct = TRUE;
    }
  if (direct)
    {
      w->type = tensor->type;
      w->buffer = hone_gpu_buffer_new (self->device, tensor->size, error);
      if (w->buffer == NULL
          || !hone_gpu_buffer_upload (w->buffer, 0, tensor->data, tensor->size, error))
        return FALSE;
      self->weight_bytes += tensor->size;
      return TRUE;
    }
  else
    {
      g_autofree float *values = hone_model_tensor_dup_f32 (tensor, error);
      g_autofree guint16 *halves = NULL;
      gsize count = (gsize) n * k;

      if (values == NULL)
        return FALSE;
      g_message ("%s: no kernel reads %s weights; converting them to f16", tensor->name,
                 hone_ggml_type_name (tensor->type));
      halves = g_new (guint16, count);
      for (gsize i = 0; i < count; i++)
        halves[i] = hone_float_to_half (values[i]);
      w->type = HONE_GGML_TYPE_F16;
      w->buffer = hone_gpu_buffer_new (self->device, count * 2, error);
      if (w->buffer == NULL || !hone_gpu_buffer_upload (w->buffer, 0, halves, count * 2, error))
        return FALSE;
      self->weight_bytes += count * 2;
      return TRUE;
    }
}

/* Llama 3.x's per-frequency divisors, computed from the scaling parameters when the file
 * does not carry them as rope_freqs.weight (Meta's rule: long wavelengths slowed by the
 * factor, short ones kept, a smooth blend between). */
static void
llama3_factors (const HoneModelInfo *info,
                float               *factors,
                guint                half)
{
  double orig = info->rope_original_context ? info->rope_original_context : 8192;
  double low_wavelen = orig / info->rope_low_freq_factor;
  double high_wavelen = orig / info->rope_high_freq_factor;

  for (guint i = 0; i < half; i++)
    {
      double freq = pow (info->rope_theta, -2.0 * i / (2.0 * half));
      double wavelen = 2.0 * G_PI / freq;
      double divisor;

      if (wavelen < high_wavelen)
        divisor = 1.0;
      else if (wavelen > low_wavelen)
        divisor = info->rope_scaling_factor;
      else
        {
          double smooth = (orig / wavelen - info->rope_low_freq_factor)
                          / (info->rope_high_freq_factor - info->rope_low_freq_factor);
          double scaled = (1.0 - smooth) * freq / info->rope_scaling_factor + smooth * freq;
          divisor = freq / scaled;
        }
      factors[i] = (float) divisor;
    }
}

static gboolean
setup_rope (HoneInferModel *self,
            GError        **error)
{
  const HoneModelInfo *info = &self->info;
  const HoneModelTensor *freqs = hone_model_find_tensor (self->model, "rope_freqs.weight");
  guint half = info->head_dim / 2;
  g_autofree float *factors = NULL;

  self->rope_style = info->arch == HONE_ARCH_LLAMA ? HONE_ROPE_NORMAL : HONE_ROPE_NEOX;
  self->rope_freq_scale = 1.0f;
  if (info->rope_dims != 0 && info->rope_dims != info->head_dim)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("The model rotates %u of its %u head dimensions; Hone only runs models "
                     "that rotate all of them"), info->rope_dims, info->head_dim);
      return FALSE;
    }
  if (freqs != NULL)
    {
      if (freqs->n_elements != half)
        {
          g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                       _("The model’s rope_freqs.weight has %" G_GUINT64_FORMAT " values "
                         "where %u were expected"), freqs->n_elements, half);
          return FALSE;
        }
      factors = hone_model_tensor_dup_f32 (freqs, error);
      if (factors == NULL)
        return FALSE;
    }
  else if (info->rope_scaling == HONE_ROPE_SCALING_LLAMA3)
    {
      factors = g_new (float, half);
      llama3_factors (info, factors, half);
    }
  else if (info->rope_scaling == HONE_ROPE_SCALING_LINEAR)
    self->rope_freq_scale = (float) (1.0 / info->rope_scaling_factor);
  else if (info->rope_scaling == HONE_ROPE_SCALING_YARN)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("The model stretches its context with YaRN, which Hone cannot run yet"));
      return FALSE;
    }
  if (factors != NULL)
    {
      self->rope_factors = hone_gpu_buffer_new (self->device, half * sizeof (float), error);
      if (self->rope_factors == NULL
          || !hone_gpu_buffer_upload (self->rope_factors, 0, factors, half * sizeof (float),
                                      error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
upload_layer (HoneInferModel *self,
              guint           index,
              GError        **error)
{
  const HoneModelInfo *info = &self->info;
  HoneInferLayer *layer = &self->layers[index];
  guint c = info->dim, d = info->head_dim;
  guint q_rows = info->n_heads * d, kv_rows = info->n_kv_heads * d;
  guint shape[HONE_N_SLOTS][2] = {
    { q_rows, c }, { kv_rows, c }, { kv_rows, c }, { c, q_rows },
    { info->ffn, c }, { info->ffn, c }, { c, info->ffn },
  };
  char name[96];
  const HoneModelTensor *t;

#define TENSOR(suffix, required)                                                  \
  (g_snprintf (name, sizeof name, "blk.%u.%s", index, suffix),                    \
   find_tensor (self->model, name, required, error))

  if ((t = TENSOR ("attn_norm.weight", TRUE)) == NULL
      || !upload_vector (self, &layer->attn_norm, t, c, error)
      || (t = TENSOR ("ffn_norm.weight", TRUE)) == NULL
      || !upload_vector (self, &layer->ffn_norm, t, c, error))
    return FALSE;
  for (guint s = 0; s < HONE_N_SLOTS; s++)
    {
      g_autofree char *suffix = g_strconcat (slot_names[s], ".weight", NULL);

      if ((t = TENSOR (suffix, TRUE)) == NULL
          || !upload_matrix (self, &layer->mat[s], t, shape[s][0], shape[s][1], error))
        return FALSE;
    }
  if (info->qk_norm)
    {
      if ((t = TENSOR ("attn_q_norm.weight", TRUE)) == NULL
          || !upload_vector (self, &layer->q_norm, t, d, error)
          || (t = TENSOR ("attn_k_norm.weight", TRUE)) == NULL
          || !upload_vector (self, &layer->k_norm, t, d, error))
        return FALSE;
    }
  if (info->qkv_bias)
    {
      if ((t = TENSOR ("attn_q.bias", TRUE)) == NULL
          || !upload_vector (self, &layer->q_bias, t, q_rows, error)
          || (t = TENSOR ("attn_k.bias", TRUE)) == NULL
          || !upload_vector (self, &layer->k_bias, t, kv_rows, error)
          || (t = TENSOR ("attn_v.bias", TRUE)) == NULL
          || !upload_vector (self, &layer->v_bias, t, kv_rows, error))
        return FALSE;
    }
#undef TENSOR
  return TRUE;
}

static void
adapter_free (gpointer data)
{
  HoneInferAdapter *adapter = data;

  if (adapter->pairs != NULL)
    {
      for (guint i = 0; adapter->pairs[i].rank != G_MAXUINT; i++)
        {
          g_clear_pointer (&adapter->pairs[i].a, hone_gpu_buffer_free);
          g_clear_pointer (&adapter->pairs[i].b, hone_gpu_buffer_free);
        }
      g_free (adapter->pairs);
    }
  g_free (adapter);
}

HoneInferModel *
hone_infer_model_new (HoneGpuDevice *device,
                      HoneModel     *model,
                      GError       **error)
{
  g_autoptr (HoneInferModel) self = NULL;
  const HoneModelTensor *t;
  const HoneModelInfo *info;

  g_return_val_if_fail (device != NULL && model != NULL, NULL);

  info = hone_model_get_info (model);
  self = g_new0 (HoneInferModel, 1);
  self->device = device;
  self->model = model;
  self->info = *info;
  self->adapters = g_ptr_array_new_with_free_func (adapter_free);
  if (info->head_dim % 4 != 0 || info->head_dim > 256 || info->n_kv_heads == 0
      || info->n_heads % info->n_kv_heads != 0 || info->dim % 4 != 0)
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("Hone cannot run a model with %u heads of %u dimensions over %u "
                     "key/value heads"), info->n_heads, info->head_dim, info->n_kv_heads);
      return NULL;
    }
  if (!setup_rope (self, error))
    return NULL;
  self->token_embd = find_tensor (model, "token_embd.weight", TRUE, error);
  if (self->token_embd == NULL)
    return NULL;
  if (self->token_embd->n_dims != 2 || self->token_embd->ne[0] != info->dim
      || self->token_embd->ne[1] < info->vocab_size
      || !hone_ggml_can_dequantize (self->token_embd->type))
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_UNSUPPORTED,
                   _("The model’s token embedding (%s, %s) does not fit its description"),
                   self->token_embd->name, hone_ggml_type_name (self->token_embd->type));
      return NULL;
    }
  self->layers = g_new0 (HoneInferLayer, info->n_layers);
  for (guint i = 0; i < info->n_layers; i++)
    if (!upload_layer (self, i, error))
      return NULL;
  if ((t = find_tensor (model, "output_norm.weight", TRUE, error)) == NULL
      || !upload_vector (self, &self->output_norm, t, info->dim, error))
    return NULL;
  t = hone_model_find_tensor (model, "output.weight");
  if (t == NULL)
    t = self->token_embd;
  if (!upload_matrix (self, &self->output, t, info->vocab_size, info->dim, error))
    return NULL;
  g_debug ("%s: %" G_GUINT64_FORMAT " bytes of weights on the device",
           hone_model_get_name (model), self->weight_bytes);
  return g_steal_pointer (&self);
}

void
hone_infer_model_free (HoneInferModel *self)
{
  if (self == NULL)
    return;
  if (self->layers != NULL)
    for (guint i = 0; i < self->info.n_layers; i++)
      {
        HoneInferLayer *layer = &self->layers[i];

        weight_clear (&layer->attn_norm);
        weight_clear (&layer->ffn_norm);
        weight_clear (&layer->q_norm);
        weight_clear (&layer->k_norm);
        weight_clear (&layer->q_bias);
        weight_clear (&layer->k_bias);
        weight_clear (&layer->v_bias);
        for (guint s = 0; s < HONE_N_SLOTS; s++)
          weight_clear (&layer->mat[s]);
      }
  g_free (self->layers);
  weight_clear (&self->output_norm);
  weight_clear (&self->output);
  g_clear_pointer (&self->rope_factors, hone_gpu_buffer_free);
  g_clear_pointer (&self->adapters, g_ptr_array_unref);
  g_free (self);
}

HoneModel *
hone_infer_model_get_model (HoneInferModel *self)
{
  return self->model;
}

HoneGpuDevice *
hone_infer_model_get_device (HoneInferModel *self)
{
  return self->device;
}

const HoneModelInfo *
hone_infer_model_get_info (HoneInferModel *self)
{
  return &self->info;
}

guint64
hone_infer_model_get_weight_bytes (HoneInferModel *self)
{
  return self->weight_bytes;
}

static gboolean
upload_floats (HoneGpuDevice  *device,
               HoneGpuBuffer **buffer,
               const float    *values,
               gsize           count,
               GError        **error)
{
  *buffer = hone_gpu_buffer_new (device, count * sizeof (float), error);
  return *buffer != NULL
         && hone_gpu_buffer_upload (*buffer, 0, values, count * sizeof (float), error);
}

gint
hone_infer_model_add_adapter (HoneInferModel *self,
                              HoneAdapter    *adapter,
                              GError        **error)
{
  guint n_pairs = self->info.n_layers * HONE_N_SLOTS;
  HoneInferAdapter *dev;
  guint used = 0;

  g_return_val_if_fail (self != NULL && adapter != NULL, -1);

  if (!hone_adapter_check (adapter, self->model, error))
    return -1;
  dev = g_new0 (HoneInferAdapter, 1);
  /* One more entry with rank G_MAXUINT ends the array for adapter_free. */
  dev->pairs = g_new0 (HoneInferLora, n_pairs + 1);
  dev->pairs[n_pairs].rank = G_MAXUINT;
  for (guint l = 0; l < self->info.n_layers; l++)
    for (guint s = 0; s < HONE_N_SLOTS; s++)
      {
        g_autofree char *target = g_strdup_printf ("blk.%u.%s.weight", l, slot_names[s]);
        const HoneLoraPair *pair = hone_adapter_find_pair (adapter, target);
        HoneInferLora *lora = &dev->pairs[l * HONE_N_SLOTS + s];

        if (pair == NULL || pair->rank == 0)
          continue;
        if (!upload_floats (self->device, &lora->a, pair->a, (gsize) pair->rank * pair->k,
                            error)
            || !upload_floats (self->device, &lora->b, pair->b, (gsize) pair->n * pair->rank,
                               error))
          {
            adapter_free (dev);
            return -1;
          }
        lora->rank = pair->rank;
        lora->scale = hone_adapter_get_scale (adapter, pair);
        dev->max_rank = MAX (dev->max_rank, pair->rank);
        used++;
      }
  if (used != hone_adapter_get_n_pairs (adapter))
    {
      g_set_error (error, HONE_INFER_ERROR, HONE_INFER_ERROR_ADAPTER,
                   _("The adapter “%s” changes %u weights Hone does not adapt (only the "
                     "attention and feed-forward matrices)"),
                   hone_adapter_get_name (adapter), hone_adapter_get_n_pairs (adapter) - used);
      adapter_free (dev);
      return -1;
    }
  g_ptr_array_add (self->adapters, dev);
  return (gint) self->adapters->len - 1;
}

guint
hone_infer_model_get_n_adapters (HoneInferModel *self)
{
  return self->adapters->len;
}

/* The matrix operand for a weight read by the matmul kernels: W (N, K) stored as is, used
 * transposed. */
static HoneMatrix
weight_matrix (const HoneInferWeight *w)
{
  HoneMatrix b = {
    .buffer = w->buffer,
    .dtype = w->type == HONE_GGML_TYPE_F16 ? HONE_DTYPE_F16 : HONE_DTYPE_F32,
    .transposed = TRUE,
  };

  return b;
}

gboolean
hone_infer_linear (HoneGpuStream         *stream,
                   HoneGpuBuffer         *y,
                   HoneGpuBuffer         *x,
                   const HoneInferWeight *w,
                   guint                  m,
                   const HoneInferLora   *lora,
                   float                  lora_mult,
                   HoneGpuBuffer         *tmp,
                   GError               **error)
{
  HoneMatrix cy = { .buffer = y, .dtype = HONE_DTYPE_F32 };
  HoneMatrix ax = { .buffer = x, .dtype = HONE_DTYPE_F32 };

  /* y (M, N) = x (M, K) · Wᵀ */
  if (w->quantized)
    {
      /* A handful of rows: stream the weight once per row; more: the blocked kernel. */
      if (m <= 4)
        {
          if (!hone_op_matvec_quant_forward (stream, y, x, w->buffer, w->quant, m, w->n, w->k,
                                             NULL, error))
            return FALSE;
        }
      else if (!hone_op_matmul_quant_forward (stream, y, x, w->buffer, w->quant, m, w->n,
                                              w->k, NULL, error))
        return FALSE;
    }
  else
    {
      HoneMatrix bw = weight_matrix (w);

      if (!hone_op_matmul (stream, &cy, &ax, &bw, m, w->n, w->k, 1, 1.0f, 0.0f, NULL, error))
        return FALSE;
    }
  if (lora != NULL && lora->rank > 0 && lora_mult != 0.0f)
    {
      HoneMatrix ct = { .buffer = tmp, .dtype = HONE_DTYPE_F32 };
      HoneMatrix at = { .buffer = tmp, .dtype = HONE_DTYPE_F32 };
      HoneMatrix ba = { .buffer = lora->a, .dtype = HONE_DTYPE_F32, .transposed = TRUE };
      HoneMatrix bb = { .buffer = lora->b, .dtype = HONE_DTYPE_F32, .transposed = TRUE };

      /* tmp (M, r) = x · Aᵀ;  y += scale · tmp · Bᵀ */
      if (!hone_op_matmul (stream, &ct, &ax, &ba, m, lora->rank, w->k, 1, 1.0f, 0.0f, NULL,
                           error)
          || !hone_op_matmul (stream, &cy, &at, &bb, m, w->n, lora->rank, 1,
                              lora->scale * lora_mult, 1.0f, NULL, error))
        return FALSE;
    }
  return TRUE;
}
