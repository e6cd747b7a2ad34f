#version 450
/* matvec_quant.comp — decode matrix-vector products with GGUF q8_0 / q4_0 / q4_K / q5_K /
 * q6_K / bf16 weights, dequantized in the shader: y = x · Wᵀ (forward) and dx = dy · W (the input gradient; W
 * is frozen and gets none).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) as ggml stores a weight: each row of K is K/32 blocks,
 *   q8_0 { f16 d; i8 qs[32]; }   34 bytes, w = d · q
 *   q4_0 { f16 d; u8 qs[16]; }   18 bytes, low nibbles elements 0..15, high 16..31,
 *                                w = d · (q − 8)
 * read as raw 32-bit words (R32UI texel view). Blocks are 2-byte aligned, so everything is
 * read as 16-bit halves: half t of a block at byte o is in word (o/2 + t)/2. The value is
 * float (d) · float (q) in f32, which is what hone_ggml_dequantize computes: the weights
 * are bit-exact with the CPU dequantizer.
 * BACKWARD 0: one invocation per output n, row m = workgroup y; walks row n of W once,
 *   a block as its 9 (q8_0) or 5 (q4_0) words.
 * BACKWARD 1: one invocation per 8 consecutive inputs k (a quarter of a block) and row m;
 *   walks the N rows of W, reading d and those 8 quants of each.
 * No shared memory and no barriers (lavapipe.md). K % 32 == 0.
 *
 * WTYPE 1 … 4 (q4_K, q5_K, q6_K, bf16; quant_blocks.glsl, K % 256 == 0 for the k-quants):
 * forward: a super-block at a time, each word of it fetched once (quant_dot_sb); backward:
 * one invocation per group of 8 k, as above.
 */
#include "common.glsl"

#ifndef WTYPE
#define WTYPE 0     /* q8_0 / q4_0 (Q4) */
#endif

#if Q4
#define BLOCK_HALVES 9u    /* 18 bytes */
#define QS_WORDS 4u        /* 16 bytes of nibbles */
#else
#define BLOCK_HALVES 17u   /* 34 bytes */
#define QS_WORDS 8u        /* 32 int8 */
#endif

#if BACKWARD
layout (binding = 0) uniform samplerBuffer DY;     /* (M, N) */
#else
layout (binding = 0) uniform samplerBuffer X;      /* (M, K), vec4 texels */
#endif
layout (binding = 1) uniform usamplerBuffer W;     /* (N, K) blocks, raw words (bf16: RGBA32UI) */
#if BACKWARD
layout (binding = 2) writeonly buffer DX { float dx[]; };   /* (M, K) */
#else
layout (binding = 2) writeonly buffer Y { float y[]; };     /* (M, N) */
#endif

layout (push_constant) uniform Push
{
  uint M, N, K;
} p;

#if WTYPE != 0
#define QB_DOT (BACKWARD == 0)
#include "quant_blocks.glsl"

void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint row_halves = ROW_HALVES (p.K);
#if BACKWARD
  uint g = gl_GlobalInvocationID.x;         /* 8 inputs: k = 8g … 8g + 7 */
  vec4 acc0 = vec4 (0.0), acc1 = vec4 (0.0);

  if (g >= p.K / 8u || m >= p.M)
    return;
  for (uint n = 0u; n < p.N; n++)
    {
      uint r = n * row_halves;
      float g_n = texelFetch (DY, int (m * p.N + n)).x;
      vec4 v0, v1;

      quant_weights8 (r, g, quant_sub_scale (r, g / 4u), v0, v1);
      acc0 += g_n * v0;
      acc1 += g_n * v1;
    }
  for (uint i = 0u; i < 4u; i++)
    {
      dx[m * p.K + 8u * g + i] = acc0[i];
      dx[m * p.K + 8u * g + 4u + i] = acc1[i];
    }
#else
  uint n = gl_GlobalInvocationID.x;
  uint r = n * row_halves;
  uint xr = m * (p.K / 4u);                 /* row m of x, in vec4 */
  vec4 acc = vec4 (0.0);

  if (n >= p.N || m >= p.M)
    return;
  for (uint sb = 0u; sb < p.K / SB_ELEMS; sb++)
    quant_dot_sb (r, sb, xr + sb * (SB_ELEMS / 4u), acc);
  y[m * p.N + n] = acc.x + acc.y + acc.z + acc.w;
#endif
}
#else

/* The 16-bit half number @h (counted from the start of W). */
uint
half_at (uint h)
{
  uint w = texelFetch (W, int (h >> 1)).x;
  return (h & 1u) != 0u ? w >> 16 : w & 0xffffu;
}

float
scale_of (uint block)
{
  return unpackHalf2x16 (half_at (block * BLOCK_HALVES)).x;
}

/* The two quants in half @t (1…) of a block, as floats, low byte first. */
vec2
quant_pair (uint block,
            uint t)
{
  uint v = half_at (block * BLOCK_HALVES + t);
#if Q4
  /* not used for q4_0 (nibbles are split across halves differently) */
  return vec2 (0.0);
#else
  return vec2 (float (int (v << 24) >> 24), float (int (v << 16) >> 24));
#endif
}

#if Q4
/* Half t (1…8) of a q4_0 block holds bytes 2t−2, 2t−1 of qs: elements j = 2t−2, 2t−1
 * (low nibbles) and j + 16 (high nibbles). */
vec4
quant_q4 (uint block,
          uint t)
{
  uint v = half_at (block * BLOCK_HALVES + t);
  return vec4 (float (int (v & 0xfu) - 8), float (int ((v >> 8) & 0xfu) - 8),
               float (int ((v >> 4) & 0xfu) - 8), float (int ((v >> 12) & 0xfu) - 8));
}
#endif

void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint kb = p.K / 32u;
#if BACKWARD
  uint g = gl_GlobalInvocationID.x;         /* 8 inputs: k = 8g … 8g + 7 */
  uint b = g / 4u, q = g % 4u;               /* block and quarter */
  float acc[8];

  if (g >= p.K / 8u || m >= p.M)
    return;
  for (uint i = 0u; i < 8u; i++)
    acc[i] = 0.0;
  for (uint n = 0u; n < p.N; n++)
    {
      uint block = n * kb + b;
      float d = scale_of (block);
      float g_n = texelFetch (DY, int (m * p.N + n)).x;
      float w[8];
#if Q4
      /* quarter q covers elements 8q … 8q+7: q < 2 low nibbles of bytes 8q…, q ≥ 2 high
       * nibbles of bytes 8(q−2)… */
      uint byte0 = (q & 1u) * 8u;
      for (uint i = 0u; i < 4u; i++)
        {
          vec4 v = quant_q4 (block, 1u + byte0 / 2u + i);
          w[2u * i] = q < 2u ? v.x : v.z;
          w[2u * i + 1u] = q < 2u ? v.y : v.w;
        }
#else
      for (uint i = 0u; i < 4u; i++)
        {
          vec2 v = quant_pair (block, 1u + 4u * q + i);
          w[2u * i] = v.x;
          w[2u * i + 1u] = v.y;
        }
#endif
      for (uint i = 0u; i < 8u; i++)
        acc[i] += g_n * (d * w[i]);
    }
  for (uint i = 0u; i < 8u; i++)
    dx[m * p.K + 8u * g + i] = acc[i];
#else
  uint n = gl_GlobalInvocationID.x;
  vec4 acc = vec4 (0.0);

  if (n >= p.N || m >= p.M)
    return;
  for (uint b = 0u; b < kb; b++)
    {
      uint block = n * kb + b;
      uint half0 = block * BLOCK_HALVES;
      uint base = half0 >> 1;               /* the word holding d */
      bool odd = (half0 & 1u) != 0u;        /* d is the word's high half */
      uint xb = m * (p.K / 4u) + b * 8u;    /* the block's 8 vec4 of x */
      uint w0 = texelFetch (W, int (base)).x;
      float d = unpackHalf2x16 (odd ? w0 >> 16 : w0 & 0xffffu).x;
      uint prev = w0;

      /* The quants as whole words: after d they start on a word boundary when d is a high
       * half, else two bytes into w0. All the words read lie within the block or the two
       * bytes after it (inside the 16-byte padding for the last block). */
      for (uint j = 0u; j < QS_WORDS; j++)
        {
          uint next = texelFetch (W, int (base + 1u + j)).x;
          uint q = odd ? next : (prev >> 16) | (next << 16);
          prev = next;
#if Q4
          vec4 lo = vec4 (uvec4 (q, q >> 8, q >> 16, q >> 24) & 0xfu) - 8.0;
          vec4 hi = vec4 (uvec4 (q >> 4, q >> 12, q >> 20, q >> 28) & 0xfu) - 8.0;
          acc += (d * lo) * texelFetch (X, int (xb + j));
          acc += (d * hi) * texelFetch (X, int (xb + 4u + j));
#else
          vec4 v = vec4 (ivec4 (q << 24, q << 16, q << 8, q) >> 24);
          acc += (d * v) * texelFetch (X, int (xb + j));
#endif
        }
    }
  y[m * p.N + n] = acc.x + acc.y + acc.z + acc.w;
#endif
}
#endif
