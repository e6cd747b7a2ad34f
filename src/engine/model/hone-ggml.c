/* hone-ggml.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ggml's element types: block geometry and the CPU converters. The block layouts are
 * those GGUF files store (all little-endian, fp16 scales):
 *
 *   q8_0  { f16 d; i8 qs[32]; }                            x = d·q
 *   q4_0  { f16 d; u8 qs[16]; }  low nibbles: elements 0..15, high: 16..31; x = d·(q − 8)
 *   q4_K  { f16 d, dmin; u8 scales[12]; u8 qs[128]; }      8 sub-blocks of 32, 6-bit
 *         scale and min each; x = d·sc·q − dmin·m
 *   q5_K  { f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; }  q4_K plus a fifth bit
 *   q6_K  { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d; } 16 sub-blocks of 16;
 *         x = d·sc·(q − 32)
 */
#define G_LOG_DOMAIN "hone-ggml"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hone-ggml.h"

G_DEFINE_QUARK (hone-model-error-quark, hone_model_error)

typedef struct
{
  guint32     type;
  const char *name;
  guint       block_size;
  guint       block_bytes;
} TypeInfo;

static const TypeInfo type_infos[] = {
  { HONE_GGML_TYPE_F32, "f32", 1, 4 },
  { HONE_GGML_TYPE_F16, "f16", 1, 2 },
  { HONE_GGML_TYPE_Q4_0, "q4_0", 32, 18 },
  { HONE_GGML_TYPE_Q4_1, "q4_1", 32, 20 },
  { HONE_GGML_TYPE_Q5_0, "q5_0", 32, 22 },
  { HONE_GGML_TYPE_Q5_1, "q5_1", 32, 24 },
  { HONE_GGML_TYPE_Q8_0, "q8_0", 32, 34 },
  { HONE_GGML_TYPE_Q8_1, "q8_1", 32, 36 },
  { HONE_GGML_TYPE_Q2_K, "q2_K", 256, 84 },
  { HONE_GGML_TYPE_Q3_K, "q3_K", 256, 110 },
  { HONE_GGML_TYPE_Q4_K, "q4_K", 256, 144 },
  { HONE_GGML_TYPE_Q5_K, "q5_K", 256, 176 },
  { HONE_GGML_TYPE_Q6_K, "q6_K", 256, 210 },
  { HONE_GGML_TYPE_Q8_K, "q8_K", 256, 292 },
  { HONE_GGML_TYPE_IQ2_XXS, "iq2_xxs", 256, 66 },
  { HONE_GGML_TYPE_IQ2_XS, "iq2_xs", 256, 74 },
  { HONE_GGML_TYPE_IQ3_XXS, "iq3_xxs", 256, 98 },
  { HONE_GGML_TYPE_IQ1_S, "iq1_s", 256, 50 },
  { HONE_GGML_TYPE_IQ4_NL, "iq4_nl", 32, 18 },
  { HONE_GGML_TYPE_IQ3_S, "iq3_s", 256, 110 },
  { HONE_GGML_TYPE_IQ2_S, "iq2_s", 256, 82 },
  { HONE_GGML_TYPE_IQ4_XS, "iq4_xs", 256, 136 },
  { HONE_GGML_TYPE_I8, "i8", 1, 1 },
  { HONE_GGML_TYPE_I16, "i16", 1, 2 },
  { HONE_GGML_TYPE_I32, "i32", 1, 4 },
  { HONE_GGML_TYPE_I64, "i64", 1, 8 },
  { HONE_GGML_TYPE_F64, "f64", 1, 8 },
  { HONE_GGML_TYPE_IQ1_M, "iq1_m", 256, 56 },
  { HONE_GGML_TYPE_BF16, "bf16", 1, 2 },
  { HONE_GGML_TYPE_TQ1_0, "tq1_0", 256, 54 },
  { HONE_GGML_TYPE_TQ2_0, "tq2_0", 256, 66 },
  { HONE_GGML_TYPE_MXFP4, "mxfp4", 32, 17 },
};

static const TypeInfo *
find_type (guint32 type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if (type_infos[i].type == type)
      return &type_infos[i];
  return NULL;
}

gboolean
hone_ggml_type_is_known (guint32 type)
{
  return find_type (type) != NULL;
}

const char *
hone_ggml_type_name (guint32 type)
{
  const TypeInfo *info = find_type (type);

  return info != NULL ? info->name : "unknown";
}

gboolean
hone_ggml_type_from_name (const char   *name,
                          HoneGgmlType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if (g_ascii_strcasecmp (type_infos[i].name, name) == 0)
      {
        if (type != NULL)
          *type = type_infos[i].type;
        return TRUE;
      }
  return FALSE;
}

guint
hone_ggml_type_block_size (guint32 type)
{
  const TypeInfo *info = find_type (type);

  return info != NULL ? info->block_size : 0;
}

guint
hone_ggml_type_block_bytes (guint32 type)
{
  const TypeInfo *info = find_type (type);

  return info != NULL ? info->block_bytes : 0;
}

gboolean
hone_ggml_type_size_of (guint32  type,
                        guint64  n_elements,
                        guint64 *bytes)
{
  const TypeInfo *info = find_type (type);
  guint64 n_blocks;

  if (info == NULL || n_elements % info->block_size != 0)
    return FALSE;
  n_blocks = n_elements / info->block_size;
  if (n_blocks > G_MAXUINT64 / info->block_bytes)
    return FALSE;
  if (bytes != NULL)
    *bytes = n_blocks * info->block_bytes;
  return TRUE;
}

gboolean
hone_ggml_can_dequantize (guint32 type)
{
  switch (type)
    {
    case HONE_GGML_TYPE_F32:
    case HONE_GGML_TYPE_F16:
    case HONE_GGML_TYPE_BF16:
    case HONE_GGML_TYPE_Q8_0:
    case HONE_GGML_TYPE_Q4_0:
    case HONE_GGML_TYPE_Q4_K:
    case HONE_GGML_TYPE_Q5_K:
    case HONE_GGML_TYPE_Q6_K:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
hone_ggml_can_quantize (guint32 type)
{
  switch (type)
    {
    case HONE_GGML_TYPE_F32:
    case HONE_GGML_TYPE_F16:
    case HONE_GGML_TYPE_BF16:
    case HONE_GGML_TYPE_Q8_0:
    case HONE_GGML_TYPE_Q4_0:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Half and bfloat16 */

static inline guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

static inline float
bits_float (guint32 u)
{
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

float
hone_half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;

  if (exponent == 0)
    {
      /* zero or subnormal: mantissa · 2^-24 is exact in float */
      float f = (float) mantissa * (1.0f / 16777216.0f);
      return (h & 0x8000) ? -f : f;
    }
  if (exponent == 31)
    return bits_float (sign | 0x7f800000 | (mantissa << 13));
  return bits_float (sign | ((exponent + 112) << 23) | (mantissa << 13));
}

guint16
hone_float_to_half (float f)
{
  guint32 u = float_bits (f);
  guint16 sign = (u >> 16) & 0x8000;

  u &= 0x7fffffff;
  if (u >= 0x7f800000)  /* infinity or NaN (kept quiet) */
    return sign | 0x7c00 | (u > 0x7f800000 ? 0x200 | ((u >> 13) & 0x3ff) : 0);
  if (u >= 0x477ff000)  /* 65520 and above round to infinity */
    return sign | 0x7c00;
  if (u < 0x38800000)
    {
      /* Below the smallest normal half: scaling by 2^24 is exact, and rintf rounds
       * to nearest even; 0x400 carries into the smallest normal as it should. */
      return sign | (guint16) rintf (bits_float (u) * 16777216.0f);
    }
  u += 0xfff + ((u >> 13) & 1);
  u -= (guint32) (127 - 15) << 23;
  return sign | (guint16) (u >> 13);
}

float
hone_bf16_to_float (guint16 h)
{
  return bits_float ((guint32) h << 16);
}

guint16
hone_float_to_bf16 (float f)
{
  guint32 u = float_bits (f);

  if ((u & 0x7fffffff) > 0x7f800000)
    return (u >> 16) | 64;  /* NaN stays a quiet NaN */
  return (guint16) (((guint64) u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

static inline guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline void
write_u16 (guint8  *p,
           guint16  v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

/* Dequantizers: one block at a time, @x the block, @y its floats */

static void
dequantize_q8_0 (const guint8 *x,
                 float        *y)
{
  float d = hone_half_to_float (read_u16 (x));
  const gint8 *qs = (const gint8 *) (x + 2);

  for (guint j = 0; j < 32; j++)
    y[j] = d * qs[j];
}

static void
dequantize_q4_0 (const guint8 *x,
                 float        *y)
{
  float d = hone_half_to_float (read_u16 (x));
  const guint8 *qs = x + 2;

  for (guint j = 0; j < 16; j++)
    {
      y[j] = d * ((int) (qs[j] & 0xf) - 8);
      y[j + 16] = d * ((int) (qs[j] >> 4) - 8);
    }
}

/* The 6-bit scale and min of sub-block @j (0..7) from the 12 packed bytes of a q4_K or
 * q5_K block: sub-blocks 0..3 keep theirs in the low 6 bits of bytes j and j+4; 4..7
 * in the nibbles of bytes j+4, with their top two bits in the spare bits of 0..7. */
static inline void
k_scale_min (guint         j,
             const guint8 *scales,
             guint8       *scale,
             guint8       *min)
{
  if (j < 4)
    {
      *scale = scales[j] & 63;
      *min = scales[j + 4] & 63;
    }
  else
    {
      *scale = (scales[j + 4] & 0xf) | ((scales[j - 4] >> 6) << 4);
      *min = (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4);
    }
}

static void
dequantize_q4_k (const guint8 *x,
                 float        *y)
{
  float d = hone_half_to_float (read_u16 (x));
  float dmin = hone_half_to_float (read_u16 (x + 2));
  const guint8 *scales = x + 4;
  const guint8 *qs = x + 16;

  /* Each 32 bytes of qs hold two sub-blocks: low nibbles, then high nibbles. */
  for (guint chunk = 0; chunk < 4; chunk++)
    {
      guint8 sc, m;
      float d1, m1, d2, m2;

      k_scale_min (2 * chunk, scales, &sc, &m);
      d1 = d * sc;
      m1 = dmin * m;
      k_scale_min (2 * chunk + 1, scales, &sc, &m);
      d2 = d * sc;
      m2 = dmin * m;
      for (guint l = 0; l < 32; l++)
        {
          y[chunk * 64 + l] = d1 * (qs[chunk * 32 + l] & 0xf) - m1;
          y[chunk * 64 + 32 + l] = d2 * (qs[chunk * 32 + l] >> 4) - m2;
        }
    }
}

static void
dequantize_q5_k (const guint8 *x,
                 float        *y)
{
  float d = hone_half_to_float (read_u16 (x));
  float dmin = hone_half_to_float (read_u16 (x + 2));
  const guint8 *scales = x + 4;
  const guint8 *qh = x + 16;
  const guint8 *qs = x + 48;

  /* As q4_K; bit 2·chunk of qh[l] is the fifth bit of the low-nibble element, bit
   * 2·chunk+1 that of the high-nibble one. */
  for (guint chunk = 0; chunk < 4; chunk++)
    {
      guint8 sc, m;
      float d1, m1, d2, m2;
      guint8 bit_lo = 1u << (2 * chunk);
      guint8 bit_hi = 2u << (2 * chunk);

      k_scale_min (2 * chunk, scales, &sc, &m);
      d1 = d * sc;
      m1 = dmin * m;
      k_scale_min (2 * chunk + 1, scales, &sc, &m);
      d2 = d * sc;
      m2 = dmin * m;
      for (guint l = 0; l < 32; l++)
        {
          int lo = (qs[chunk * 32 + l] & 0xf) + ((qh[l] & bit_lo) ? 16 : 0);
          int hi = (qs[chunk * 32 + l] >> 4) + ((qh[l] & bit_hi) ? 16 : 0);

          y[chunk * 64 + l] = d1 * lo - m1;
          y[chunk * 64 + 32 + l] = d2 * hi - m2;
        }
    }
}

static void
dequantize_q6_k (const guint8 *x,
                 float        *y)
{
  const guint8 *ql = x;
  const guint8 *qh = x + 128;
  const gint8 *scales = (const gint8 *) (x + 192);
  float d = hone_half_to_float (read_u16 (x + 208));

  /* Two halves of 128 elements; in each, element l (0..31) of the four quarters takes
   * its low 4 bits from ql (low or high nibble of ql[l] / ql[l+32]) and its top 2 bits
   * from bits 0-1, 2-3, 4-5, 6-7 of qh[l]. */
  for (guint half = 0; half < 2; half++)
    {
      const guint8 *l4 = ql + half * 64;
      const guint8 *h2 = qh + half * 32;
      const gint8 *sc = scales + half * 8;
      float *out = y + half * 128;

      for (guint l = 0; l < 32; l++)
        {
          guint is = l / 16;
          int q1 = (int) ((l4[l] & 0xf) | (((h2[l] >> 0) & 3) << 4)) - 32;
          int q2 = (int) ((l4[l + 32] & 0xf) | (((h2[l] >> 2) & 3) << 4)) - 32;
          int q3 = (int) ((l4[l] >> 4) | (((h2[l] >> 4) & 3) << 4)) - 32;
          int q4 = (int) ((l4[l + 32] >> 4) | (((h2[l] >> 6) & 3) << 4)) - 32;

          out[l] = d * sc[is] * q1;
          out[l + 32] = d * sc[is + 2] * q2;
          out[l + 64] = d * sc[is + 4] * q3;
          out[l + 96] = d * sc[is + 6] * q4;
        }
    }
}

void
hone_ggml_dequantize (HoneGgmlType  type,
                      const void   *src,
                      float        *dst,
                      gsize         n)
{
  const guint8 *x = src;
  guint block_size = hone_ggml_type_block_size (type);
  guint block_bytes = hone_ggml_type_block_bytes (type);
  void (*dequantize_block) (const guint8 *, float *) = NULL;

  g_return_if_fail (hone_ggml_can_dequantize (type));
  g_return_if_fail (n % block_size == 0);

  switch (type)
    {
    case HONE_GGML_TYPE_F32:
      memcpy (dst, src, n * sizeof (float));
      return;
    case HONE_GGML_TYPE_F16:
      for (gsize i = 0; i < n; i++)
        dst[i] = hone_half_to_float (read_u16 (x + 2 * i));
      return;
    case HONE_GGML_TYPE_BF16:
      for (gsize i = 0; i < n; i++)
        dst[i] = hone_bf16_to_float (read_u16 (x + 2 * i));
      return;
    case HONE_GGML_TYPE_Q8_0:
      dequantize_block = dequantize_q8_0;
      break;
    case HONE_GGML_TYPE_Q4_0:
      dequantize_block = dequantize_q4_0;
      break;
    case HONE_GGML_TYPE_Q4_K:
      dequantize_block = dequantize_q4_k;
      break;
    case HONE_GGML_TYPE_Q5_K:
      dequantize_block = dequantize_q5_k;
      break;
    case HONE_GGML_TYPE_Q6_K:
      dequantize_block = dequantize_q6_k;
      break;
    default:
      g_assert_not_reached ();
    }

  for (gsize b = 0; b < n / block_size; b++)
    dequantize_block (x + b * block_bytes, dst + b * block_size);
}

/* Quantizers, as ggml's reference ones: the scale is rounded to f16 for storage, but
 * the values are divided by the unrounded one. */

static void
quantize_q8_0 (const float *x,
               guint8      *y)
{
  float amax = 0.0f;
  float d, id;

  for (guint j = 0; j < 32; j++)
    amax = MAX (amax, fabsf (x[j]));
  d = amax / 127.0f;
  id = d != 0.0f ? 1.0f / d : 0.0f;
  write_u16 (y, hone_float_to_half (d));
  for (guint j = 0; j < 32; j++)
    ((gint8 *) y)[2 + j] = (gint8) roundf (x[j] * id);
}

static void
quantize_q4_0 (const float *x,
               guint8      *y)
{
  float amax = 0.0f;
  float max = 0.0f;
  float d, id;

  /* The scale maps the value of largest magnitude, sign included, to −8. */
  for (guint j = 0; j < 32; j++)
    if (amax < fabsf (x[j]))
      {
        amax = fabsf (x[j]);
        max = x[j];
      }
  d = max / -8.0f;
  id = d != 0.0f ? 1.0f / d : 0.0f;
  write_u16 (y, hone_float_to_half (d));
  for (guint j = 0; j < 16; j++)
    {
      float lo = truncf (x[j] * id + 8.5f);
      float hi = truncf (x[j + 16] * id + 8.5f);
      guint8 q_lo = (guint8) CLAMP (lo, 0.0f, 15.0f);
      guint8 q_hi = (guint8) CLAMP (hi, 0.0f, 15.0f);

      y[2 + j] = q_lo | (q_hi << 4);
    }
}

void
hone_ggml_quantize (HoneGgmlType  type,
                    const float  *src,
                    void         *dst,
                    gsize         n)
{
  guint8 *y = dst;

  g_return_if_fail (hone_ggml_can_quantize (type));
  g_return_if_fail (n % hone_ggml_type_block_size (type) == 0);

  switch (type)
    {
    case HONE_GGML_TYPE_F32:
      memcpy (dst, src, n * sizeof (float));
      break;
    case HONE_GGML_TYPE_F16:
      for (gsize i = 0; i < n; i++)
        write_u16 (y + 2 * i, hone_float_to_half (src[i]));
      break;
    case HONE_GGML_TYPE_BF16:
      for (gsize i = 0; i < n; i++)
        write_u16 (y + 2 * i, hone_float_to_bf16 (src[i]));
      break;
    case HONE_GGML_TYPE_Q8_0:
      for (gsize b = 0; b < n / 32; b++)
        quantize_q8_0 (src + b * 32, y + b * 34);
      break;
    case HONE_GGML_TYPE_Q4_0:
      for (gsize b = 0; b < n / 32; b++)
        quantize_q4_0 (src + b * 32, y + b * 18);
      break;
    default:
      g_assert_not_reached ();
    }
}
