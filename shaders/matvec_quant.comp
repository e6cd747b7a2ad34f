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
#if !BACKWARD && !defined (WTYPE)
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
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
/* (N, K) blocks: raw words (R32UI), or 16-byte texels (RGBA32UI) for bf16 and the q8_0 /
 * q4_0 forward */
layout (binding = 1) uniform usamplerBuffer W;
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

#if BACKWARD
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
}
#else
#ifndef ROWS
#define ROWS 8
#endif

/* row groups (of ROWS outputs) per workgroup */
layout (constant_id = 3) const uint RPW = 4u;

/* 32-bit word @w of W (RGBA32UI view) */
uint
word_at (uint w)
{
  return texelFetch (W, int (w >> 2))[w & 3u];
}

/* The forward: a subgroup computes ROWS consecutive outputs n at a time, its lanes taking
 * the groups of 8 blocks (256 elements) rank, rank + lanes, … of those rows, so that
 * neighbouring lanes read neighbouring memory and each texel of x serves ROWS rows. When
 * K % 256 == 0 a row is a whole number of 16-byte texels and a group of 8 blocks is 17
 * (q8_0) or 9 (q4_0) of them: W is read as RGBA32UI texels, each fetched once, and the
 * blocks (2-byte aligned) are cut out of them at offsets known at compile time. Otherwise
 * (FALLBACK) the lanes take single blocks and read W a 32-bit word at a time. The sum over
 * a block is Σ q·x, times d at the end of the block (q4_0: Σ q·x − 8 Σ x): one-hot x gives
 * d · q, the dequantizer's value, exactly. One subgroupAdd per output at the end; a
 * workgroup does RPW row groups, shared among its subgroups. */

/* Word @k (0…11) of the three texels @a, @b, @c */
uint
word3 (uvec4 a,
       uvec4 b,
       uvec4 c,
       uint  k)
{
  return k < 4u ? a[k] : k < 8u ? b[k - 4u] : c[k - 8u];
}

/* The 32 bits from 16-bit half @h (0…21) of the texels @a, @b, @c on */
uint
bits32 (uvec4 a,
        uvec4 b,
        uvec4 c,
        uint  h)
{
  uint lo = word3 (a, b, c, h >> 1);

  return (h & 1u) == 0u ? lo : (lo >> 16) | (word3 (a, b, c, (h >> 1) + 1u) << 16);
}

/* Σ q·x over the 4 quants of word @q: q8_0 signed bytes; q4_0 low nibbles with @x0 (elements
 * 4t…) and high nibbles with @x1 (elements 16 + 4t…) */
vec4
q8_dot (uint q,
        vec4 x0)
{
  return vec4 (ivec4 (q << 24, q << 16, q << 8, q) >> 24) * x0;
}

vec4
q4_dot (uint q,
        vec4 x0,
        vec4 x1)
{
  return vec4 (uvec4 (q, q >> 8, q >> 16, q >> 24) & 0xfu) * x0
         + vec4 (uvec4 (q >> 4, q >> 12, q >> 20, q >> 28) & 0xfu) * x1;
}

/* Block @i (0…7, a constant) of a group whose texels start at @tb; @carry holds the
 * group's texel where the block starts (2i for q8_0, i for q4_0) and gets the one where the
 * next block starts. The block starts at half i of that texel. @xv: its 32 elements of x,
 * @xs (q4_0): their sum. */
void
block_dot (uint        i,
           uint        tb,
           inout uvec4 carry,
           inout vec4  acc,
           vec4        xv[8],
           vec4        xs)
{
#if Q4
  uvec4 a = carry, b = texelFetch (W, int (tb + i + 1u));
  float d = unpackHalf2x16 (bits32 (a, b, b, i)).x;
  vec4 s = q4_dot (bits32 (a, b, b, i + 1u), xv[0], xv[4]);

  s += q4_dot (bits32 (a, b, b, i + 3u), xv[1], xv[5]);
  s += q4_dot (bits32 (a, b, b, i + 5u), xv[2], xv[6]);
  s += q4_dot (bits32 (a, b, b, i + 7u), xv[3], xv[7]);
  acc += d * (s - 8.0 * xs);
  carry = b;
#else
  uvec4 a = carry, b = texelFetch (W, int (tb + 2u * i + 1u));
  uvec4 c = texelFetch (W, int (tb + 2u * i + 2u));
  float d = unpackHalf2x16 (bits32 (a, b, c, i)).x;
  vec4 s = q8_dot (bits32 (a, b, c, i + 1u), xv[0]);

  s += q8_dot (bits32 (a, b, c, i + 3u), xv[1]);
  s += q8_dot (bits32 (a, b, c, i + 5u), xv[2]);
  s += q8_dot (bits32 (a, b, c, i + 7u), xv[3]);
  s += q8_dot (bits32 (a, b, c, i + 9u), xv[4]);
  s += q8_dot (bits32 (a, b, c, i + 11u), xv[5]);
  s += q8_dot (bits32 (a, b, c, i + 13u), xv[6]);
  s += q8_dot (bits32 (a, b, c, i + 15u), xv[7]);
  acc += d * s;
  carry = c;
#endif
}

#if Q4
#define GROUP_TEXELS 9u     /* 8 blocks of 18 bytes */
#else
#define GROUP_TEXELS 17u    /* 8 blocks of 34 bytes */
#endif

/* The same for one block at 16-bit half @h0 of W, read a word at a time (FALLBACK). */
void
block_dot_words (uint       h0,
                 inout vec4 acc,
                 vec4       xv[8],
                 vec4       xs)
{
  uint base = h0 >> 1;                      /* the word holding d */
  bool odd = (h0 & 1u) != 0u;               /* d is the word's high half */
  uint w0 = word_at (base);
  float d = unpackHalf2x16 (odd ? w0 >> 16 : w0 & 0xffffu).x;
  uint prev = w0;
  vec4 s = vec4 (0.0);

  /* the quants as whole words: all the words read lie within the block or the two bytes
   * after it (inside the buffer's 16-byte padding for the last block) */
  for (uint j = 0u; j < QS_WORDS; j++)
    {
      uint next = word_at (base + 1u + j);
      uint q = odd ? next : (prev >> 16) | (next << 16);

      prev = next;
#if Q4
      s += q4_dot (q, xv[j], xv[4u + j]);
#else
      s += q8_dot (q, xv[j]);
#endif
    }
#if Q4
  acc += d * (s - 8.0 * xs);
#else
  acc += d * s;
#endif
}

#if ROWS == 8
#define EACH_ROW(F, i) F (0, i) F (1, i) F (2, i) F (3, i) F (4, i) F (5, i) F (6, i) F (7, i)
#else
#define EACH_ROW(F, i) F (0, i) F (1, i) F (2, i) F (3, i)
#endif
#define ROW_INIT(r, i) uint tb##r = min (n0 + uint (r), p.N - 1u) * row_texels; \
                       vec4 acc##r = vec4 (0.0);
#define ROW_CARRY(r, i) uvec4 carry##r = texelFetch (W, int (tb##r + gi * GROUP_TEXELS));
#define ROW_BLOCK(r, i) block_dot (i, tb##r + gi * GROUP_TEXELS, carry##r, acc##r, xv, xs);
#define ROW_WORDS(r, i) block_dot_words ((min (n0 + uint (r), p.N - 1u) * kb + i) * BLOCK_HALVES, \
                                         acc##r, xv, xs);
#define ROW_STORE(r, i) row_store (m, n0 + uint (r), acc##r);

void
x_block (uint     xb,
         out vec4 xv[8],
         out vec4 xs)
{
  xs = vec4 (0.0);
  for (uint t = 0u; t < 8u; t++)
    {
      xv[t] = texelFetch (X, int (xb + t));
      xs += xv[t];
    }
}

void
row_store (uint m,
           uint n,
           vec4 acc)
{
  float s = subgroupAdd (acc.x + acc.y + acc.z + acc.w);

  if (subgroupElect () && n < p.N)
    y[m * p.N + n] = s;
}

#define BLOCK(i) x_block (xg + 8u * i, xv, xs); EACH_ROW (ROW_BLOCK, i)

void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint kb = p.K / 32u;
  uint row_texels = kb * (BLOCK_HALVES * 2u) / 16u;   /* when K % 256 == 0 */
  uint xr = m * (p.K / 4u);                          /* row m of x, in vec4 */
  uint first, step;

  if (m >= p.M)
    return;
  first = subgroupExclusiveAdd (1u);
  step = subgroupAdd (1u);
  for (uint g = gl_SubgroupID; g < RPW; g += gl_NumSubgroups)
    {
      uint n0 = (gl_WorkGroupID.x * RPW + g) * ROWS;
      vec4 xv[8];
      vec4 xs;

      if (n0 >= p.N)
        break;
      {
        EACH_ROW (ROW_INIT, 0)
#if FALLBACK
        for (uint b = first; b < kb; b += step)
          {
            x_block (xr + 8u * b, xv, xs);
            EACH_ROW (ROW_WORDS, b)
          }
#else
        for (uint gi = first; gi < kb / 8u; gi += step)
          {
            uint xg = xr + 64u * gi;

            EACH_ROW (ROW_CARRY, 0)
            BLOCK (0u)
            BLOCK (1u)
            BLOCK (2u)
            BLOCK (3u)
            BLOCK (4u)
            BLOCK (5u)
            BLOCK (6u)
            BLOCK (7u)
          }
#endif
        EACH_ROW (ROW_STORE, 0)
      }
    }
}
#endif
#endif
