#version 450
/* matmul_quant.comp — batched matmul with GGUF q8_0 / q4_0 / q4_K / q5_K / q6_K / bf16
 * weights, dequantized in the shader: y = x · Wᵀ (forward) and dx = dy · W (the input gradient; W is frozen and gets
 * none). The many-rows counterpart of matvec_quant.comp (decode).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) exactly as GGUF stores it (no repacking): each row of K is K/32 blocks,
 *   q8_0 { f16 d; i8 qs[32]; }   34 bytes, w = d · q
 *   q4_0 { f16 d; u8 qs[16]; }   18 bytes, low nibbles elements 0..15, high 16..31,
 *                                w = d · (q − 8)
 * read as raw 32-bit words (R32UI texel view). Blocks are only 2-byte aligned, so a block
 * starting at half h has d in the low (h even) or high (h odd) half of word h/2, and four
 * quant bytes are assembled from two neighbouring words. Every word read lies within the
 * block or is the word holding its last byte. The weight is float (d) · float (q) in f32,
 * as hone_ggml_dequantize computes it: bit-exact with the CPU dequantizer.
 *
 * Register-blocked as matmul_tex.comp (no shared memory, no barriers: lavapipe.md):
 * BACKWARD 0: an invocation computes TM rows of x × TN rows of W (8 × 8 outputs); each
 *   dequantized word (4 weights) of each of its TN weight rows is used for TM rows of x.
 *   Loop: K/32 blocks (lavapipe's ~65 535-iteration limit is far away).
 * BACKWARD 1: an invocation computes TM rows of dy × 8 consecutive k (a quarter of a
 *   block); each dequantized group of 8 weights is used for TM rows. Loop: N rows of W, so
 *   N ≤ 65535 (the wrapper refuses more). DY4 1 (N % 4 == 0): four rows of W a step and
 *   dy read as vec4 texels, half the fetches per multiply-add.
 * Workgroup (spec 0, 1): invocations along N (forward) or K/8 (backward), and along M.
 * K % 32 == 0.
 *
 * WTYPE 1 … 4 (q4_K, q5_K, q6_K, bf16; quant_blocks.glsl, K % 256 == 0 for the k-quants):
 * the same register blocking over groups of 8 weights. Forward: per sub-block of 32 the
 * scales of the TN rows, then its four groups, each 8 k × TN weights used for TM rows of x
 * (loop: K/32 · 4). Backward: as above, the group of 8 k of each row of W.
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

#define TM 8
#define TN 8

#if BACKWARD
layout (binding = 0) uniform samplerBuffer DY;     /* (M, N), one float (DY4: 4) per texel */
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
#include "quant_blocks.glsl"

void
main ()
{
  uint row_halves = ROW_HALVES (p.K);
#if BACKWARD
  uint g = gl_GlobalInvocationID.x;          /* 8 inputs: k = 8g … 8g + 7 */
  uint m0 = gl_GlobalInvocationID.y * TM;
  uint dr[TM];
  vec4 acc[TM][2];

  if (g >= p.K / 8u || m0 >= p.M)
    return;
  for (int i = 0; i < TM; i++)
    {
#if DY4
      dr[i] = min (m0 + uint (i), p.M - 1u) * (p.N / 4u);
#else
      dr[i] = min (m0 + uint (i), p.M - 1u) * p.N;
#endif
      acc[i][0] = vec4 (0.0);
      acc[i][1] = vec4 (0.0);
    }
#if DY4
  for (uint n4 = 0u; n4 < p.N / 4u; n4++)
    {
      vec4 v[4][2];

      for (int nn = 0; nn < 4; nn++)
        {
          uint r = (4u * n4 + uint (nn)) * row_halves;
          quant_weights8 (r, g, quant_sub_scale (r, g / 4u), v[nn][0], v[nn][1]);
        }
      for (int i = 0; i < TM; i++)
        {
          vec4 gi = texelFetch (DY, int (dr[i] + n4));
          for (int nn = 0; nn < 4; nn++)
            {
              acc[i][0] += gi[nn] * v[nn][0];
              acc[i][1] += gi[nn] * v[nn][1];
            }
        }
    }
#else
  for (uint n = 0u; n < p.N; n++)
    {
      uint r = n * row_halves;
      vec4 v0, v1;

      quant_weights8 (r, g, quant_sub_scale (r, g / 4u), v0, v1);
      for (int i = 0; i < TM; i++)
        {
          float gi = texelFetch (DY, int (dr[i] + n)).x;
          acc[i][0] += gi * v0;
          acc[i][1] += gi * v1;
        }
    }
#endif
  for (int i = 0; i < TM; i++)
    {
      uint m = m0 + uint (i);
      if (m >= p.M)
        break;
      for (int e = 0; e < 8; e++)
        dx[m * p.K + 8u * g + uint (e)] = acc[i][e / 4][e % 4];
    }
#else
  uint n0 = gl_GlobalInvocationID.x * TN;
  uint m0 = gl_GlobalInvocationID.y * TM;
  uint xr[TM], wr[TN];
  vec4 acc[TM][2];

  if (m0 >= p.M || n0 >= p.N)
    return;
  for (int i = 0; i < TM; i++)
    {
      xr[i] = min (m0 + uint (i), p.M - 1u) * (p.K / 4u);
      acc[i][0] = vec4 (0.0);
      acc[i][1] = vec4 (0.0);
    }
  for (int j = 0; j < TN; j++)
    wr[j] = min (n0 + uint (j), p.N - 1u) * row_halves;
  for (uint s = 0u; s < p.K / 32u; s++)
    {
      vec2 sc[TN];

      for (int j = 0; j < TN; j++)
        sc[j] = quant_sub_scale (wr[j], s);
      for (uint t = 0u; t < 4u; t++)
        {
          uint g = 4u * s + t;
          vec4 bw[8][2];    /* [k − 8g][n − n0 as 2 vec4] */

          for (int j = 0; j < TN; j++)
            {
              vec4 v0, v1;

              quant_weights8 (wr[j], g, sc[j], v0, v1);
              for (int kk = 0; kk < 4; kk++)
                {
                  bw[kk][j / 4][j % 4] = v0[kk];
                  bw[kk + 4][j / 4][j % 4] = v1[kk];
                }
            }
          for (int i = 0; i < TM; i++)
            {
              vec4 a0 = texelFetch (X, int (xr[i] + 2u * g));
              vec4 a1 = texelFetch (X, int (xr[i] + 2u * g + 1u));
              for (int kk = 0; kk < 4; kk++)
                {
                  acc[i][0] += a0[kk] * bw[kk][0];
                  acc[i][1] += a0[kk] * bw[kk][1];
                }
              for (int kk = 0; kk < 4; kk++)
                {
                  acc[i][0] += a1[kk] * bw[kk + 4][0];
                  acc[i][1] += a1[kk] * bw[kk + 4][1];
                }
            }
        }
    }
  for (int i = 0; i < TM; i++)
    {
      uint m = m0 + uint (i);
      if (m >= p.M)
        break;
      for (int j = 0; j < TN; j++)
        {
          uint n = n0 + uint (j);
          if (n < p.N)
            y[m * p.N + n] = acc[i][j / 4][j % 4];
        }
    }
#endif
}
#else

/* The f16 scale of the block starting at half @h. */
float
scale_at (uint h)
{
  uint w = texelFetch (W, int (h >> 1)).x;
  return unpackHalf2x16 ((h & 1u) != 0u ? w >> 16 : w & 0xffffu).x;
}

/* Four int8 quants (one word's bytes, low byte first) as floats. */
vec4
q8_of (uint q)
{
  return vec4 (ivec4 (q << 24, q << 16, q << 8, q) >> 24);
}

/* Four nibbles (bits sh…sh+3 of each byte of @q, low byte first) minus 8, as floats. */
vec4
q4_of (uint q,
       uint sh)
{
  return vec4 (uvec4 (q >> sh, q >> (sh + 8u), q >> (sh + 16u), q >> (sh + 24u)) & 0xfu) - 8.0;
}

#if BACKWARD
/* The 8 weights k = 8q' … of row n's block @blk, starting at half @qs_half of the block
 * (q8_0: 8 bytes; q4_0: the nibbles at bit @sh of 8 bytes), dequantized. */
void
weights8 (uint     n,
          uint     row_halves,
          uint     blk,
          uint     qs_half,
          uint     sh,
          out vec4 v0,
          out vec4 v1)
{
  uint h0 = n * row_halves + blk * BLOCK_HALVES;
  float d = scale_at (h0);
  uint hs = h0 + qs_half;                 /* the half holding the first of 8 bytes */
  uint s = hs >> 1;
  bool odd = (hs & 1u) != 0u;
  uint w0 = texelFetch (W, int (s)).x;
  uint w1 = texelFetch (W, int (s + 1u)).x;
  uint w2 = texelFetch (W, int (odd ? s + 2u : s + 1u)).x;   /* stays in the block */
  uint lo = odd ? (w0 >> 16) | (w1 << 16) : w0;
  uint hi = odd ? (w1 >> 16) | (w2 << 16) : w1;
#if Q4
  v0 = d * q4_of (lo, sh);
  v1 = d * q4_of (hi, sh);
#else
  v0 = d * q8_of (lo);
  v1 = d * q8_of (hi);
#endif
}
#endif

void
main ()
{
  uint kb = p.K / 32u;
#if BACKWARD
  uint g = gl_GlobalInvocationID.x;          /* 8 inputs: k = 8g … 8g + 7 */
  uint m0 = gl_GlobalInvocationID.y * TM;
  uint blk = g / 4u, q = g % 4u;             /* block within the row, quarter */
  uint row_halves = kb * BLOCK_HALVES;
#if Q4
  /* quarter q covers elements 8q … 8q+7: the low (q < 2) or high (q ≥ 2) nibbles of bytes
   * 8(q mod 2) … 8(q mod 2) + 7 */
  uint qs_half = 1u + 4u * (q & 1u);
  uint sh = q < 2u ? 0u : 4u;
#else
  uint qs_half = 1u + 4u * q;                /* bytes 8q … 8q + 7 */
  uint sh = 0u;
#endif
  uint dr[TM];
  vec4 acc[TM][2];

  if (g >= p.K / 8u || m0 >= p.M)
    return;
  for (int i = 0; i < TM; i++)
    {
#if DY4
      dr[i] = min (m0 + uint (i), p.M - 1u) * (p.N / 4u);
#else
      dr[i] = min (m0 + uint (i), p.M - 1u) * p.N;
#endif
      acc[i][0] = vec4 (0.0);
      acc[i][1] = vec4 (0.0);
    }
#if DY4
  /* N % 4 == 0: four rows of W per step, dy read a vec4 at a time */
  for (uint n4 = 0u; n4 < p.N / 4u; n4++)
    {
      vec4 v[4][2];

      for (int nn = 0; nn < 4; nn++)
        weights8 (4u * n4 + uint (nn), row_halves, blk, qs_half, sh, v[nn][0], v[nn][1]);
      for (int i = 0; i < TM; i++)
        {
          vec4 gi = texelFetch (DY, int (dr[i] + n4));
          for (int nn = 0; nn < 4; nn++)
            {
              acc[i][0] += gi[nn] * v[nn][0];
              acc[i][1] += gi[nn] * v[nn][1];
            }
        }
    }
#else
  for (uint n = 0u; n < p.N; n++)
    {
      vec4 v0, v1;

      weights8 (n, row_halves, blk, qs_half, sh, v0, v1);
      for (int i = 0; i < TM; i++)
        {
          float gi = texelFetch (DY, int (dr[i] + n)).x;
          acc[i][0] += gi * v0;
          acc[i][1] += gi * v1;
        }
    }
#endif
  for (int i = 0; i < TM; i++)
    {
      uint m = m0 + uint (i);
      if (m >= p.M)
        break;
      for (int e = 0; e < 8; e++)
        dx[m * p.K + 8u * g + uint (e)] = acc[i][e / 4][e % 4];
    }
#else
  uint n0 = gl_GlobalInvocationID.x * TN;
  uint m0 = gl_GlobalInvocationID.y * TM;
  uint xr[TM], wr[TN];
  vec4 acc[TM][2];

  if (m0 >= p.M || n0 >= p.N)
    return;
  for (int i = 0; i < TM; i++)
    {
      xr[i] = min (m0 + uint (i), p.M - 1u) * (p.K / 4u);
      acc[i][0] = vec4 (0.0);
      acc[i][1] = vec4 (0.0);
    }
  for (int j = 0; j < TN; j++)
    wr[j] = min (n0 + uint (j), p.N - 1u) * kb * BLOCK_HALVES;
  for (uint b = 0u; b < kb; b++)
    {
      uint base[TN], prev[TN];
      bool odd[TN];
      float d[TN];

      for (int j = 0; j < TN; j++)
        {
          uint h0 = wr[j] + b * BLOCK_HALVES;
          base[j] = h0 >> 1;
          odd[j] = (h0 & 1u) != 0u;
          prev[j] = texelFetch (W, int (base[j])).x;
          d[j] = unpackHalf2x16 (odd[j] ? prev[j] >> 16 : prev[j] & 0xffffu).x;
        }
      /* quant word t: after d, on a word boundary when d is a high half, else two bytes
       * into the word holding d */
      for (uint t = 0u; t < QS_WORDS; t++)
        {
          vec4 bw[4][2];
#if Q4
          vec4 bh[4][2];
#endif
          for (int j = 0; j < TN; j++)
            {
              uint next = texelFetch (W, int (base[j] + 1u + t)).x;
              uint q = odd[j] ? next : (prev[j] >> 16) | (next << 16);
              prev[j] = next;
#if Q4
              vec4 lo = d[j] * q4_of (q, 0u), hi = d[j] * q4_of (q, 4u);
              for (int kk = 0; kk < 4; kk++)
                {
                  bw[kk][j / 4][j % 4] = lo[kk];
                  bh[kk][j / 4][j % 4] = hi[kk];
                }
#else
              vec4 v = d[j] * q8_of (q);
              for (int kk = 0; kk < 4; kk++)
                bw[kk][j / 4][j % 4] = v[kk];
#endif
            }
          for (int i = 0; i < TM; i++)
            {
              vec4 a = texelFetch (X, int (xr[i] + b * 8u + t));
              for (int kk = 0; kk < 4; kk++)
                {
                  acc[i][0] += a[kk] * bw[kk][0];
                  acc[i][1] += a[kk] * bw[kk][1];
                }
#if Q4
              /* the high nibbles are elements 16 … 31 of the block */
              vec4 ah = texelFetch (X, int (xr[i] + b * 8u + 4u + t));
              for (int kk = 0; kk < 4; kk++)
                {
                  acc[i][0] += ah[kk] * bh[kk][0];
                  acc[i][1] += ah[kk] * bh[kk][1];
                }
#endif
            }
        }
    }
  for (int i = 0; i < TM; i++)
    {
      uint m = m0 + uint (i);
      if (m >= p.M)
        break;
      for (int j = 0; j < TN; j++)
        {
          uint n = n0 + uint (j);
          if (n < p.N)
            y[m * p.N + n] = acc[i][j / 4][j % 4];
        }
    }
#endif
}
#endif
