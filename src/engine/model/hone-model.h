/* hone-model.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A base model, read from a GGUF file or a Hugging Face folder (config.json,
 * *.safetensors or a sharded model.safetensors.index.json, tokenizer files), seen the
 * same way either way: GGUF tensor names (token_embd.weight, blk.N.attn_q.weight …
 * output_norm.weight, output.weight), ggml dimension order (ne[0] is the row length),
 * and for llama the Q/K rows in GGUF's order (RoPE on adjacent pairs: within each head,
 * GGUF row 2i is HF row i and row 2i+1 is HF row head_dim/2 + i).
 *
 * Architectures: llama (Llama 2/3, TinyLlama, SmolLM, Mistral), qwen2 (Q/K/V biases),
 * qwen3 (per-head Q/K RMSNorm). Anything else is refused with its name.
 */
#pragma once

#include <glib.h>

#include "hone-ggml.h"
#include "hone-gguf.h"

G_BEGIN_DECLS

typedef enum
{
  HONE_ARCH_LLAMA,
  HONE_ARCH_QWEN2,
  HONE_ARCH_QWEN3,
} HoneArch;

/* The most end-of-generation ids a model lists (Llama 3.1 has three). */
#define HONE_MODEL_MAX_EOS 8

/* How RoPE frequencies are scaled for a longer context. */
typedef enum
{
  HONE_ROPE_SCALING_NONE,
  HONE_ROPE_SCALING_LINEAR,
  HONE_ROPE_SCALING_LLAMA3,   /* Llama 3.1/3.2: by wavelength, low/high frequency factors */
  HONE_ROPE_SCALING_YARN,
} HoneRopeScaling;

typedef struct
{
  HoneArch      arch;
  const char   *arch_name;        /* "llama", "qwen2", "qwen3" */
  guint         n_layers;
  guint         dim;              /* embedding length */
  guint         n_heads;
  guint         n_kv_heads;
  guint         head_dim;
  guint         ffn;              /* feed-forward length */
  guint         vocab_size;
  guint         context_length;
  guint         rope_dims;
  double        rope_theta;
  double        rms_eps;
  gboolean      tied_output;      /* no output.weight: the embedding is reused */
  gboolean      qkv_bias;         /* qwen2 */
  gboolean      qk_norm;          /* qwen3 */
  guint64       n_params;
  HoneGgmlType  quant;            /* the type holding most of the parameters */
  gboolean      has_chat_template;
  gboolean      has_tokenizer;
  /* RoPE scaling: config.json's rope_scaling (or rope_parameters), GGUF's
   * {arch}.rope.scaling.*. An unknown kind is refused with its name. GGUF has no Llama 3
   * kind: llama.cpp bakes those factors into a rope_freqs.weight tensor. */
  HoneRopeScaling rope_scaling;
  double        rope_scaling_factor;      /* 1 without scaling */
  double        rope_low_freq_factor;     /* llama3 */
  double        rope_high_freq_factor;    /* llama3 */
  guint         rope_original_context;    /* 0 when not given */
  /* Special ids: generation_config.json's bos_token_id and eos_token_id (one id or a
   * list), else config.json's; GGUF's tokenizer.ggml.bos/eos/eot/eom_token_id. */
  gint32        bos_id;                   /* -1 when none */
  guint         n_eos_ids;
  gint32        eos_ids[HONE_MODEL_MAX_EOS];
} HoneModelInfo;

typedef struct
{
  const char   *name;             /* GGUF name */
  HoneGgmlType  type;
  guint         n_dims;
  guint64       ne[HONE_GGUF_MAX_DIMS];
  guint64       n_elements;
  gsize         size;
  const void   *data;
} HoneModelTensor;

typedef struct _HoneModel HoneModel;

/* A GGUF file or a Hugging Face folder. */
HoneModel              *hone_model_open               (const char             *path,
                                                       GError                **error);
void                    hone_model_free               (HoneModel              *model);

const char             *hone_model_get_name           (HoneModel              *model);
const char             *hone_model_get_path           (HoneModel              *model);
const HoneModelInfo    *hone_model_get_info           (HoneModel              *model);
/* The GGUF file, or NULL for a Hugging Face folder. */
HoneGguf               *hone_model_get_gguf           (HoneModel              *model);
/* The chat template (GGUF tokenizer.chat_template, tokenizer_config.json's
 * chat_template or chat_template.jinja), or NULL. */
const char             *hone_model_get_chat_template  (HoneModel              *model);

guint                   hone_model_get_n_tensors      (HoneModel              *model);
const HoneModelTensor  *hone_model_get_tensor         (HoneModel              *model,
                                                       guint                   index);
const HoneModelTensor  *hone_model_find_tensor        (HoneModel              *model,
                                                       const char             *name);
/* The tensor's values as floats (g_free); an error naming it for types Hone cannot
 * convert. */
float                  *hone_model_tensor_dup_f32     (const HoneModelTensor  *tensor,
                                                       GError                **error);

/* The description of the model at @path (a GGUF or a folder), without preparing its
 * tensors for use: what a listing needs. */
gboolean                hone_model_read_info          (const char             *path,
                                                       HoneModelInfo          *info,
                                                       GError                **error);
/* The description alone, from a GGUF's metadata or a folder's config.json. */
gboolean                hone_model_info_from_gguf     (HoneGguf               *gguf,
                                                       HoneModelInfo          *info,
                                                       GError                **error);
/* The architecture named @name (GGUF general.architecture or config.json model_type:
 * "llama", "mistral", "qwen2", "qwen3"); FALSE with an error naming it otherwise. */
gboolean                hone_arch_from_name           (const char             *name,
                                                       HoneArch               *arch,
                                                       GError                **error);
const char             *hone_arch_get_name            (HoneArch                arch);

/* The GGUF name of a Hugging Face tensor name, or NULL for names that have none. */
char                   *hone_model_map_hf_name        (const char             *hf_name);
/* The Hugging Face name of a GGUF tensor name, or NULL. */
char                   *hone_model_map_gguf_name      (const char             *gguf_name);
/* Reorders the rows of a Q or K weight (@n_rows rows of @row_bytes, @n_heads heads)
 * from Hugging Face's order to GGUF's (@to_gguf) or back. */
void                    hone_model_permute_qk         (void                   *dst,
                                                       const void             *src,
                                                       guint64                 n_rows,
                                                       gsize                   row_bytes,
                                                       guint                   n_heads,
                                                       gboolean                to_gguf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneModel, hone_model_free)

G_END_DECLS
