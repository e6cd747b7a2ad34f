/* hone-test-model.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeded random models. The weights are drawn in GGUF tensor order from one generator,
 * then rounded through the chosen dtype, so that the GGUF and the Hugging Face forms of
 * the same seed hold the same numbers: the GGUF keeps norms and biases in f32 (as
 * llama.cpp's converter does) and the folder keeps everything in the dtype, which only
 * agree if the values are representable in both.
 *
 * q4_K, q5_K and q6_K (GGUF only) have no quantizer in Hone: their matrices are random
 * but valid super-blocks from a generator seeded by the seed and the tensor's index, with
 * the f16 scales chosen so the weights spread about as the drawn values do.
 */
#define G_LOG_DOMAIN "hone-test-model"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hone-gguf.h"
#include "hone-safetensors.h"
#include "hone-test-model.h"
#include "text/hone-vocab.h"

typedef struct
{
  char    *name;     /* GGUF name */
  guint    n_dims;
  guint64  ne[2];
  gboolean matrix;   /* stored in the model's dtype in a GGUF */
  float   *values;
} GenTensor;

static void
gen_tensor_free (gpointer data)
{
  GenTensor *t = data;

  g_free (t->name);
  g_free (t->values);
  g_free (t);
}

void
hone_test_model_options_init (HoneTestModelOptions *options,
                              HoneArch              arch)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->arch = arch;
  options->dtype = HONE_GGML_TYPE_F32;
  options->seed = 1;
}

static float
normal (GRand *rand)
{
  /* Box-Muller on the generator's doubles: the same numbers on every machine */
  double u1 = g_rand_double (rand);
  double u2 = g_rand_double (rand);

  if (u1 < 1e-300)
    u1 = 1e-300;
  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

static float
round_through (HoneGgmlType dtype,
               float        x)
{
  switch (dtype)
    {
    case HONE_GGML_TYPE_F16:
      return hone_half_to_float (hone_float_to_half (x));
    case HONE_GGML_TYPE_BF16:
      return hone_bf16_to_float (hone_float_to_bf16 (x));
    default:
      return x;
    }
}

static void
add (GPtrArray                  *tensors,
     const HoneTestModelOptions *o,
     GRand                      *rand,
     const char                 *name,
     guint64                     ne0,
     guint64                     ne1,
     float                       mean,
     float                       scale)
{
  GenTensor *t = g_new0 (GenTensor, 1);
  guint64 n = ne0 * ne1;

  t->name = g_strdup (name);
  t->n_dims = ne1 > 1 ? 2 : 1;
  t->ne[0] = ne0;
  t->ne[1] = ne1;
  t->matrix = t->n_dims == 2;
  t->values = g_new (float, n);
  for (guint64 i = 0; i < n; i++)
    t->values[i] = round_through (o->dtype, mean + scale * normal (rand));
  g_ptr_array_add (tensors, t);
}

gboolean
hone_test_model_dtype_is_supported (HoneGgmlType dtype)
{
  switch ((int) dtype)
    {
    case HONE_GGML_TYPE_Q4_K:
    case HONE_GGML_TYPE_Q5_K:
    case HONE_GGML_TYPE_Q6_K:
      return TRUE;
    default:
      return hone_ggml_can_quantize (dtype);
    }
}

static gboolean
is_k_quant (HoneGgmlType dtype)
{
  return dtype == HONE_GGML_TYPE_Q4_K || dtype == HONE_GGML_TYPE_Q5_K
         || dtype == HONE_GGML_TYPE_Q6_K;
}

static void
put_half (guint8 *p,
          float   f)
{
  guint16 h = hone_float_to_half (f);

  p[0] = h & 0xff;
  p[1] = h >> 8;
}

/* Fills @data with @n_blocks random super-blocks of the k-quant @type whose weights have
 * about the standard deviation @std and mean 0 (in expectation over the random quants and
 * 6- or 8-bit scales: q4_K and q5_K subtract dmin · mn with dmin = d · E[q]). */
static void
random_k_blocks (GRand        *rand,
                 HoneGgmlType  type,
                 guint8       *data,
                 guint64       n_blocks,
                 float         std)
{
  guint block_bytes = hone_ggml_type_block_bytes (type);

  for (guint64 b = 0; b < n_blocks; b++)
    {
      guint8 *blk = data + b * block_bytes;

      for (guint i = 0; i < block_bytes; i += 4)
        {
          guint32 r = g_rand_int (rand);

          for (guint j = 0; j < 4 && i + j < block_bytes; j++)
            blk[i + j] = (r >> (8 * j)) & 0xff;
        }
      switch ((int) type)
        {
        case HONE_GGML_TYPE_Q4_K:
          /* sc · q: sc uniform 0…63, q 0…15: standard deviation ≈ 325 */
          put_half (blk, std / 325.0f);
          put_half (blk + 2, std / 325.0f * 7.5f);
          break;
        case HONE_GGML_TYPE_Q5_K:
          /* q 0…31: ≈ 666 */
          put_half (blk, std / 666.0f);
          put_half (blk + 2, std / 666.0f * 15.5f);
          break;
        case HONE_GGML_TYPE_Q6_K:
          /* sc −128…127, q − 32 in −32…31: ≈ 1365 */
          put_half (blk + 208, std / 1365.0f);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static GPtrArray *
generate (const HoneTestModelOptions *o,
          guint                       vocab_size)
{
  GPtrArray *tensors = g_ptr_array_new_with_free_func (gen_tensor_free);
  g_autoptr(GRand) rand = NULL;
  guint32 seed[2] = { (guint32) o->seed, (guint32) (o->seed >> 32) };
  guint hd = o->dim / o->n_heads;
  float w = 0.5f / sqrtf ((float) o->dim);

  rand = g_rand_new_with_seed_array (seed, 2);
  add (tensors, o, rand, "token_embd.weight", o->dim, vocab_size, 0.0f, 0.5f);
  for (guint l = 0; l < o->n_layers; l++)
    {
      g_autofree char *p = g_strdup_printf ("blk.%u.", l);
      g_autofree char *n = NULL;

#define NAME(suffix) (g_free (n), n = g_strconcat (p, suffix, NULL))
      add (tensors, o, rand, NAME ("attn_norm.weight"), o->dim, 1, 1.0f, 0.1f);
      add (tensors, o, rand, NAME ("attn_q.weight"), o->dim, o->n_heads * hd, 0.0f, w);
      add (tensors, o, rand, NAME ("attn_k.weight"), o->dim, o->n_kv_heads * hd, 0.0f, w);
      add (tensors, o, rand, NAME ("attn_v.weight"), o->dim, o->n_kv_heads * hd, 0.0f, w);
      if (o->arch == HONE_ARCH_QWEN2)
        {
          add (tensors, o, rand, NAME ("attn_q.bias"), o->n_heads * hd, 1, 0.0f, 0.02f);
          add (tensors, o, rand, NAME ("attn_k.bias"), o->n_kv_heads * hd, 1, 0.0f, 0.02f);
          add (tensors, o, rand, NAME ("attn_v.bias"), o->n_kv_heads * hd, 1, 0.0f, 0.02f);
        }
      if (o->arch == HONE_ARCH_QWEN3)
        {
          add (tensors, o, rand, NAME ("attn_q_norm.weight"), hd, 1, 1.0f, 0.1f);
          add (tensors, o, rand, NAME ("attn_k_norm.weight"), hd, 1, 1.0f, 0.1f);
        }
      add (tensors, o, rand, NAME ("attn_output.weight"), o->n_heads * hd, o->dim, 0.0f, w);
      add (tensors, o, rand, NAME ("ffn_norm.weight"), o->dim, 1, 1.0f, 0.1f);
      add (tensors, o, rand, NAME ("ffn_gate.weight"), o->dim, o->ffn, 0.0f, w);
      add (tensors, o, rand, NAME ("ffn_up.weight"), o->dim, o->ffn, 0.0f, w);
      add (tensors, o, rand, NAME ("ffn_down.weight"), o->ffn, o->dim, 0.0f,
           0.5f / sqrtf ((float) o->ffn));
#undef NAME
    }
  add (tensors, o, rand, "output_norm.weight", o->dim, 1, 1.0f, 0.1f);
  if (!o->tied)
    add (tensors, o, rand, "output.weight", o->dim, vocab_size, 0.0f, w);
  return tensors;
}

/* The filled-in options, checked. */
static gboolean
resolve (const HoneTestModelOptions  *in,
         HoneTestModelOptions        *o,
         GError                     **error)
{
  const char *problem = NULL;
  guint block;

  *o = *in;
  if (o->n_layers == 0)
    o->n_layers = 2;
  if (o->dim == 0)
    o->dim = 64;
  if (o->n_heads == 0)
    o->n_heads = 4;
  if (o->n_kv_heads == 0)
    o->n_kv_heads = MAX (o->n_heads / 2, 1);
  block = MAX (hone_ggml_type_block_size (o->dtype), 32);
  if (o->ffn == 0)
    o->ffn = (o->dim * 5 / 2 + block - 1) / block * block;
  if (o->context_length == 0)
    o->context_length = 512;

  block = hone_ggml_type_block_size (o->dtype);
  if (!hone_test_model_dtype_is_supported (o->dtype))
    problem = "the dtype must be f32, f16, bf16, q8_0, q4_0, q4_K, q5_K or q6_K";
  else if (o->hf && block != 1)
    problem = "a Hugging Face folder holds f32, f16 or bf16 weights";
  else if (o->dim % o->n_heads != 0 || (o->dim / o->n_heads) % 2 != 0)
    problem = "the width must be a multiple of the heads, with an even head size";
  else if (o->n_heads % o->n_kv_heads != 0)
    problem = "the key/value heads must divide the heads";
  else if (o->dim % block != 0 || o->ffn % block != 0)
    problem = block == 256 ? "the width and feed-forward length must be multiples of 256 "
                             "for q4_K, q5_K and q6_K"
                           : "the width and feed-forward length must be multiples of 32 when "
                             "quantized";
  else if (o->n_layers > 1000 || o->dim > 65536 || o->ffn > 262144)
    problem = "the model is too large for a test model";
  if (problem == NULL)
    return TRUE;
  g_set_error_literal (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, problem);
  return FALSE;
}

/* A byte-only SentencePiece vocabulary, for models made without --vocab-from. */
static void
set_byte_vocab (HoneGgufWriter *writer)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *scores = g_new0 (float, 259);
  g_autofree gint32 *types = g_new0 (gint32, 259);

  g_ptr_array_add (tokens, g_strdup ("<unk>"));
  g_ptr_array_add (tokens, g_strdup ("<s>"));
  g_ptr_array_add (tokens, g_strdup ("</s>"));
  types[0] = 2;  /* unknown */
  types[1] = types[2] = 3;  /* control */
  for (guint b = 0; b < 256; b++)
    {
      g_ptr_array_add (tokens, g_strdup_printf ("<0x%02X>", b));
      types[3 + b] = 6;  /* byte */
    }
  hone_gguf_writer_set_string (writer, "tokenizer.ggml.model", "llama");
  hone_gguf_writer_set_strings (writer, "tokenizer.ggml.tokens",
                                (const char * const *) tokens->pdata, NULL, tokens->len);
  hone_gguf_writer_set_array (writer, "tokenizer.ggml.scores", HONE_GGUF_TYPE_FLOAT32, scores,
                              259);
  hone_gguf_writer_set_array (writer, "tokenizer.ggml.token_type", HONE_GGUF_TYPE_INT32, types,
                              259);
  hone_gguf_writer_set_u32 (writer, "tokenizer.ggml.unknown_token_id", 0);
  hone_gguf_writer_set_u32 (writer, "tokenizer.ggml.bos_token_id", 1);
  hone_gguf_writer_set_u32 (writer, "tokenizer.ggml.eos_token_id", 2);
}

static void
set_arch_keys (HoneGgufWriter             *writer,
               const HoneTestModelOptions *o)
{
  const char *arch = hone_arch_get_name (o->arch);
  guint hd = o->dim / o->n_heads;
  g_autofree char *key = NULL;

#define KEY(suffix) (g_free (key), key = g_strdup_printf ("%s.%s", arch, suffix))
  hone_gguf_writer_set_string (writer, "general.architecture", arch);
  hone_gguf_writer_set_string (writer, "general.name", "Hone test model");
  hone_gguf_writer_set_u32 (writer, KEY ("context_length"), o->context_length);
  hone_gguf_writer_set_u32 (writer, KEY ("embedding_length"), o->dim);
  hone_gguf_writer_set_u32 (writer, KEY ("block_count"), o->n_layers);
  hone_gguf_writer_set_u32 (writer, KEY ("feed_forward_length"), o->ffn);
  hone_gguf_writer_set_u32 (writer, KEY ("attention.head_count"), o->n_heads);
  hone_gguf_writer_set_u32 (writer, KEY ("attention.head_count_kv"), o->n_kv_heads);
  hone_gguf_writer_set_u32 (writer, KEY ("attention.key_length"), hd);
  hone_gguf_writer_set_u32 (writer, KEY ("attention.value_length"), hd);
  hone_gguf_writer_set_u32 (writer, KEY ("rope.dimension_count"), hd);
  hone_gguf_writer_set_f32 (writer, KEY ("rope.freq_base"),
                            o->arch == HONE_ARCH_LLAMA ? 10000.0f : 1000000.0f);
  hone_gguf_writer_set_f32 (writer, KEY ("attention.layer_norm_rms_epsilon"), 1e-6f);
#undef KEY
}

static gboolean
copy_vocab (HoneGgufWriter  *writer,
            HoneGguf        *vocab,
            GError         **error)
{
  for (guint i = 0; i < hone_gguf_get_n_keys (vocab); i++)
    {
      const char *key = hone_gguf_get_key (vocab, i);

      if (g_str_has_prefix (key, "tokenizer.")
          && !hone_gguf_writer_copy_key (writer, vocab, key, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_gguf (const HoneTestModelOptions  *o,
            HoneGguf                    *vocab,
            GPtrArray                   *tensors,
            const char                  *path,
            GError                     **error)
{
  g_autoptr(HoneGgufWriter) writer = hone_gguf_writer_new ();

  set_arch_keys (writer, o);
  hone_gguf_writer_set_u32 (writer, "general.file_type",
                            o->dtype == HONE_GGML_TYPE_F32 ? 0
                            : o->dtype == HONE_GGML_TYPE_F16 ? 1
                            : o->dtype == HONE_GGML_TYPE_Q4_0 ? 2
                            : o->dtype == HONE_GGML_TYPE_Q8_0 ? 7
                            : o->dtype == HONE_GGML_TYPE_Q4_K ? 15   /* Q4_K_M */
                            : o->dtype == HONE_GGML_TYPE_Q5_K ? 17   /* Q5_K_M */
                            : o->dtype == HONE_GGML_TYPE_Q6_K ? 18 : 32);
  if (vocab != NULL)
    {
      if (!copy_vocab (writer, vocab, error))
        return FALSE;
    }
  else
    set_byte_vocab (writer);

  for (guint i = 0; i < tensors->len; i++)
    {
      GenTensor *t = g_ptr_array_index (tensors, i);
      HoneGgmlType type = t->matrix ? o->dtype : HONE_GGML_TYPE_F32;
      guint64 n = t->ne[0] * t->ne[1];
      guint64 bytes;
      guint8 *data;
      g_autoptr(GBytes) gbytes = NULL;

      hone_ggml_type_size_of (type, n, &bytes);
      data = g_malloc (MAX (bytes, 1));
      if (is_k_quant (type))
        {
          guint32 seed[4] = { (guint32) o->seed, (guint32) (o->seed >> 32), i, 0x4b515541 };
          g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, 4);
          double sum2 = 0;

          for (guint64 j = 0; j < n; j++)
            sum2 += (double) t->values[j] * t->values[j];
          random_k_blocks (rand, type, data, n / hone_ggml_type_block_size (type),
                           (float) sqrt (sum2 / n));
        }
      else
        hone_ggml_quantize (type, t->values, data, n);
      gbytes = g_bytes_new_take (data, bytes);
      if (!hone_gguf_writer_add_tensor (writer, t->name, type, t->n_dims, t->ne, gbytes, error))
        return FALSE;
    }
  return hone_gguf_writer_write (writer, path, error);
}

static gboolean
write_json (JsonBuilder  *builder,
            const char   *dir,
            const char   *file,
            GError      **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, "%s: ", file);
      return FALSE;
    }
  return TRUE;
}

static void
member_int (JsonBuilder *b,
            const char  *name,
            gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static const char *
token_text (HoneGguf   *vocab,
            const char *id_key)
{
  const HoneGgufArray *tokens;
  guint32 id;
  static char buf[256];
  gsize len;
  const char *s;

  if (vocab == NULL)
    return g_str_equal (id_key, "tokenizer.ggml.bos_token_id") ? "<s>" : "</s>";
  if (!hone_gguf_get_u32 (vocab, id_key, &id, NULL)
      || (tokens = hone_gguf_get_array (vocab, "tokenizer.ggml.tokens", NULL)) == NULL
      || id >= hone_gguf_array_get_length (tokens)
      || (s = hone_gguf_array_get_string (tokens, id, &len)) == NULL)
    return NULL;
  len = MIN (len, sizeof buf - 1);
  memcpy (buf, s, len);
  buf[len] = '\0';
  return buf;
}

/* The vocabulary set_byte_vocab() writes to a GGUF, for HF folders made without
 * --vocab-from. */
static HoneVocab *
new_byte_vocab (GError **error)
{
  g_autoptr(HoneVocab) vocab = hone_vocab_new (HONE_VOCAB_SPM);

  hone_vocab_add_token (vocab, "<unk>", -1, 0.f, HONE_TOKEN_UNKNOWN);
  hone_vocab_add_token (vocab, "<s>", -1, 0.f, HONE_TOKEN_CONTROL);
  hone_vocab_add_token (vocab, "</s>", -1, 0.f, HONE_TOKEN_CONTROL);
  for (guint b = 0; b < 256; b++)
    {
      char text[8];

      g_snprintf (text, sizeof text, "<0x%02X>", b);
      hone_vocab_add_token (vocab, text, -1, 0.f, HONE_TOKEN_BYTE);
    }
  hone_vocab_set_special_ids (vocab, 1, 2, 0);
  if (!hone_vocab_finish (vocab, error))
    return NULL;
  return g_steal_pointer (&vocab);
}

/* tokenizer.json from the same vocabulary the GGUF form copies, so that both forms
 * tokenize alike. */
static gboolean
write_tokenizer_json (const HoneTestModelOptions  *o,
                      const char                  *dir,
                      GError                     **error)
{
  g_autoptr(HoneVocab) vocab = NULL;
  g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
  g_autoptr(GError) local_error = NULL;

  if (o->vocab_from != NULL)
    vocab = hone_vocab_new_from_gguf (o->vocab_from, error);
  else
    vocab = new_byte_vocab (error);
  if (vocab == NULL)
    return FALSE;
  if (!hone_vocab_write_tokenizer_json (vocab, path, &local_error))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: %s",
                   o->vocab_from != NULL ? o->vocab_from : "tokenizer.json",
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_hf (const HoneTestModelOptions  *o,
          HoneGguf                    *vocab,
          guint                        vocab_size,
          GPtrArray                   *tensors,
          const char                  *dir,
          GError                     **error)
{
  static const char *const classes[] = {
    [HONE_ARCH_LLAMA] = "LlamaForCausalLM",
    [HONE_ARCH_QWEN2] = "Qwen2ForCausalLM",
    [HONE_ARCH_QWEN3] = "Qwen3ForCausalLM",
  };
  const char *dtype = o->dtype == HONE_GGML_TYPE_F16 ? "F16"
                      : o->dtype == HONE_GGML_TYPE_BF16 ? "BF16" : "F32";
  const char *torch_dtype = o->dtype == HONE_GGML_TYPE_F16 ? "float16"
                            : o->dtype == HONE_GGML_TYPE_BF16 ? "bfloat16" : "float32";
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (HoneSafetensorsEntry));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *st_path = g_build_filename (dir, "model.safetensors", NULL);
  guint hd = o->dim / o->n_heads;
  guint32 id;
  const char *text;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_path_get_basename (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                   g_strerror (saved_errno));
      return FALSE;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "architectures");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, classes[o->arch]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "model_type");
  json_builder_add_string_value (b, hone_arch_get_name (o->arch));
  member_int (b, "hidden_size", o->dim);
  member_int (b, "intermediate_size", o->ffn);
  member_int (b, "num_hidden_layers", o->n_layers);
  member_int (b, "num_attention_heads", o->n_heads);
  member_int (b, "num_key_value_heads", o->n_kv_heads);
  member_int (b, "head_dim", hd);
  member_int (b, "max_position_embeddings", o->context_length);
  member_int (b, "vocab_size", vocab_size);
  json_builder_set_member_name (b, "rope_theta");
  json_builder_add_double_value (b, o->arch == HONE_ARCH_LLAMA ? 10000.0 : 1000000.0);
  json_builder_set_member_name (b, "rms_norm_eps");
  json_builder_add_double_value (b, 1e-6);
  json_builder_set_member_name (b, "tie_word_embeddings");
  json_builder_add_boolean_value (b, o->tied);
  json_builder_set_member_name (b, "attention_bias");
  json_builder_add_boolean_value (b, o->arch == HONE_ARCH_QWEN2);
  json_builder_set_member_name (b, "hidden_act");
  json_builder_add_string_value (b, "silu");
  json_builder_set_member_name (b, "torch_dtype");
  json_builder_add_string_value (b, torch_dtype);
  if (vocab == NULL || hone_gguf_get_u32 (vocab, "tokenizer.ggml.bos_token_id", &id, NULL))
    member_int (b, "bos_token_id", vocab == NULL ? 1 : id);
  if (vocab == NULL || hone_gguf_get_u32 (vocab, "tokenizer.ggml.eos_token_id", &id, NULL))
    member_int (b, "eos_token_id", vocab == NULL ? 2 : id);
  json_builder_end_object (b);
  if (!write_json (b, dir, "config.json", error))
    return FALSE;

  json_builder_reset (b);
  json_builder_begin_object (b);
  if ((text = token_text (vocab, "tokenizer.ggml.bos_token_id")) != NULL)
    {
      json_builder_set_member_name (b, "bos_token");
      json_builder_add_string_value (b, text);
    }
  if ((text = token_text (vocab, "tokenizer.ggml.eos_token_id")) != NULL)
    {
      json_builder_set_member_name (b, "eos_token");
      json_builder_add_string_value (b, text);
    }
  if (vocab != NULL
      && hone_gguf_get_key_type (vocab, "tokenizer.chat_template") == HONE_GGUF_TYPE_STRING)
    {
      json_builder_set_member_name (b, "chat_template");
      json_builder_add_string_value (b, hone_gguf_get_string (vocab, "tokenizer.chat_template",
                                                              NULL, NULL));
    }
  member_int (b, "model_max_length", o->context_length);
  json_builder_end_object (b);
  if (!write_json (b, dir, "tokenizer_config.json", error))
    return FALSE;
  if (!write_tokenizer_json (o, dir, error))
    return FALSE;

  json_builder_reset (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "do_sample");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  if (!write_json (b, dir, "generation_config.json", error))
    return FALSE;

  for (guint i = 0; i < tensors->len; i++)
    {
      GenTensor *t = g_ptr_array_index (tensors, i);
      HoneSafetensorsEntry entry = { 0 };
      guint64 n = t->ne[0] * t->ne[1];
      g_autofree float *rows = NULL;
      const float *values = t->values;
      guint64 *shape = g_new (guint64, 2);
      gsize bytes = n * (o->dtype == HONE_GGML_TYPE_F32 ? 4 : 2);
      guint8 *data = g_malloc (MAX (bytes, 1));
      GBytes *gbytes;
      char *name = hone_model_map_gguf_name (t->name);

      if (name == NULL)
        name = g_strdup (t->name);
      /* llama's Q/K rows back into Hugging Face's order */
      if (o->arch == HONE_ARCH_LLAMA
          && (g_str_has_suffix (t->name, ".attn_q.weight")
              || g_str_has_suffix (t->name, ".attn_k.weight")))
        {
          guint heads = g_str_has_suffix (t->name, ".attn_q.weight") ? o->n_heads : o->n_kv_heads;

          rows = g_new (float, n);
          hone_model_permute_qk (rows, t->values, t->ne[1], t->ne[0] * sizeof (float), heads,
                                 FALSE);
          values = rows;
        }
      hone_ggml_quantize (o->dtype, values, data, n);
      gbytes = g_bytes_new_take (data, bytes);
      g_ptr_array_add (keep_bytes, gbytes);
      g_ptr_array_add (keep, name);
      g_ptr_array_add (keep, shape);
      shape[0] = t->n_dims == 2 ? t->ne[1] : t->ne[0];
      shape[1] = t->ne[0];
      entry.name = name;
      entry.dtype = dtype;
      entry.n_dims = t->n_dims;
      entry.shape = shape;
      entry.data = gbytes;
      g_array_append_val (entries, entry);
    }
  return hone_safetensors_write (st_path, (HoneSafetensorsEntry *) entries->data, entries->len,
                                 error);
}

gboolean
hone_test_model_write (const HoneTestModelOptions  *options,
                       const char                  *path,
                       GError                     **error)
{
  HoneTestModelOptions o;
  g_autoptr(HoneGguf) vocab = NULL;
  g_autoptr(GPtrArray) tensors = NULL;
  guint vocab_size = 259;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!resolve (options, &o, error))
    return FALSE;
  if (o.vocab_from != NULL)
    {
      const HoneGgufArray *tokens;

      vocab = hone_gguf_open (o.vocab_from, error);
      if (vocab == NULL)
        return FALSE;
      tokens = hone_gguf_get_array (vocab, "tokenizer.ggml.tokens", error);
      if (tokens == NULL)
        return FALSE;
      if (hone_gguf_array_get_length (tokens) == 0
          || hone_gguf_array_get_length (tokens) > 1000000)
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "%s: a vocabulary of %" G_GUINT64_FORMAT " tokens",
                       hone_gguf_get_name (vocab),
                       hone_gguf_array_get_length (tokens));
          return FALSE;
        }
      vocab_size = (guint) hone_gguf_array_get_length (tokens);
    }
  tensors = generate (&o, vocab_size);
  if (o.hf)
    return write_hf (&o, vocab, vocab_size, tensors, path, error);
  return write_gguf (&o, vocab, tensors, path, error);
}
