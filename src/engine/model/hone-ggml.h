/* hone-ggml.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ggml's tensor element types as GGUF files number them, their block geometry, and the
 * CPU converters between them and float: quantizers to q8_0 and q4_0, dequantizers for
 * f16, bf16, q8_0, q4_0, q4_K, q5_K and q6_K. Also the error domain of model/.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HONE_MODEL_ERROR (hone_model_error_quark ())

typedef enum
{
  HONE_MODEL_ERROR_INVALID,      /* the file is malformed: truncated, out of bounds, bad counts */
  HONE_MODEL_ERROR_UNSUPPORTED,  /* well-formed, but not what Hone reads (version, type, arch) */
  HONE_MODEL_ERROR_MISSING,      /* a key, tensor or file that is needed is absent */
  HONE_MODEL_ERROR_TYPE,         /* a key holds another type than the one asked for */
} HoneModelError;

GQuark hone_model_error_quark (void);

/* The numbers are those of GGUF files (ggml's enum ggml_type). */
typedef enum
{
  HONE_GGML_TYPE_F32 = 0,
  HONE_GGML_TYPE_F16 = 1,
  HONE_GGML_TYPE_Q4_0 = 2,
  HONE_GGML_TYPE_Q4_1 = 3,
  HONE_GGML_TYPE_Q5_0 = 6,
  HONE_GGML_TYPE_Q5_1 = 7,
  HONE_GGML_TYPE_Q8_0 = 8,
  HONE_GGML_TYPE_Q8_1 = 9,
  HONE_GGML_TYPE_Q2_K = 10,
  HONE_GGML_TYPE_Q3_K = 11,
  HONE_GGML_TYPE_Q4_K = 12,
  HONE_GGML_TYPE_Q5_K = 13,
  HONE_GGML_TYPE_Q6_K = 14,
  HONE_GGML_TYPE_Q8_K = 15,
  HONE_GGML_TYPE_IQ2_XXS = 16,
  HONE_GGML_TYPE_IQ2_XS = 17,
  HONE_GGML_TYPE_IQ3_XXS = 18,
  HONE_GGML_TYPE_IQ1_S = 19,
  HONE_GGML_TYPE_IQ4_NL = 20,
  HONE_GGML_TYPE_IQ3_S = 21,
  HONE_GGML_TYPE_IQ2_S = 22,
  HONE_GGML_TYPE_IQ4_XS = 23,
  HONE_GGML_TYPE_I8 = 24,
  HONE_GGML_TYPE_I16 = 25,
  HONE_GGML_TYPE_I32 = 26,
  HONE_GGML_TYPE_I64 = 27,
  HONE_GGML_TYPE_F64 = 28,
  HONE_GGML_TYPE_IQ1_M = 29,
  HONE_GGML_TYPE_BF16 = 30,
  HONE_GGML_TYPE_TQ1_0 = 34,
  HONE_GGML_TYPE_TQ2_0 = 35,
  HONE_GGML_TYPE_MXFP4 = 39,
} HoneGgmlType;

/* Elements per block of a q8_0/q4_0 (32) and of the k-quants (256). */
#define HONE_GGML_QK 32
#define HONE_GGML_QK_K 256

/* Whether @type is a ggml type this build knows the geometry of. */
gboolean     hone_ggml_type_is_known     (guint32        type);
/* ggml's own name ("f32", "q4_0", "q4_K", "bf16"); "unknown" for others. */
const char  *hone_ggml_type_name         (guint32        type);
/* The type named @name (case-insensitive: "Q8_0", "q8_0"); FALSE when unknown. */
gboolean     hone_ggml_type_from_name    (const char    *name,
                                          HoneGgmlType  *type);
/* Elements per block (1 for plain types); 0 when unknown. */
guint        hone_ggml_type_block_size   (guint32        type);
/* Bytes per block; 0 when unknown. */
guint        hone_ggml_type_block_bytes  (guint32        type);
/* The bytes that @n_elements elements take; FALSE when the type is unknown, @n_elements
 * is not a whole number of blocks, or the size overflows. */
gboolean     hone_ggml_type_size_of      (guint32        type,
                                          guint64        n_elements,
                                          guint64       *bytes);
/* Whether hone_ggml_dequantize() converts @type. */
gboolean     hone_ggml_can_dequantize    (guint32        type);
/* Whether hone_ggml_quantize() produces @type (f32, f16, bf16, q8_0, q4_0). */
gboolean     hone_ggml_can_quantize      (guint32        type);

/* Converts @n elements (a whole number of blocks) of @type at @src into floats. */
void         hone_ggml_dequantize        (HoneGgmlType   type,
                                          const void    *src,
                                          float         *dst,
                                          gsize          n);
/* Converts @n floats (a whole number of blocks) into @type at @dst, as ggml's reference
 * quantizers do. */
void         hone_ggml_quantize          (HoneGgmlType   type,
                                          const float   *src,
                                          void          *dst,
                                          gsize          n);

/* IEEE half and bfloat16 conversions (round to nearest even; NaN stays NaN). */
float        hone_half_to_float          (guint16        h);
guint16      hone_float_to_half          (float          f);
float        hone_bf16_to_float          (guint16        h);
guint16      hone_float_to_bf16          (float          f);

G_END_DECLS
