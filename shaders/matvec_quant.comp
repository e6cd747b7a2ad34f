#version 450
/* matvec_quant.comp — decode matrix-vector products with GGUF q8_0 / q4_0 / q4_K / q5_K /
 * q6_K / bf16 weights, dequantized in the shader: y = x · Wᵀ (forward) and dx = dy · W (the
 * input gradient; W is frozen and gets none).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) as ggml stores a weight: each row of K is K/32 blocks,
 *   q8_0 { f16 d; i8 qs[32]; }   34 bytes, w = d · q
 *   q4_0 { f16 d; u8 qs[16]; }   18 bytes, low nibbles elements 0..15, high 16..31,
 *                                w = d · (q − 8)
 * and the k-quants and bf16 as quant_blocks.glsl describes (K % 256 == 0 for the k-quants).
 * Blocks are 2-byte aligned, so words are cut out of 16-bit halves. The weights are those
 * of hone_ggml_dequantize, bit for bit: one-hot x gives exactly the dequantized weight.
 *
 * The forward (SPLIT: every type but bf16) is built for lavapipe, where a texel fetch is a
 * per-lane gather costing tens of cycles whatever its width (lavapipe.md), so it fetches
 * W in 16-byte texels where the layout allows and x as rarely as possible. K is cut into
 * groups of 256 elements (8 blocks of q8_0 / q4_0, one k-quant super-block). A workgroup
 * computes RPW consecutive outputs (a specialization constant) for row m of x = workgroup
 * y; its subgroups share those rows, and in a subgroup each lane takes one group of K
 * (rank, rank + lanes, …): it loads the group's 64 texels of x (and their sums per 32
 * elements) once, keeps them in registers, and walks that group in every row of the
 * workgroup, so that neighbouring lanes read neighbouring memory and x costs almost
 * nothing; one subgroupAdd per row sums the lanes. K longer than 256 × lanes is done in
 * chunks of 256 × lanes, the later ones adding to y (the same lane writes each time).
 * Sums over a block or sub-block are Σ q·x, scaled once (q4_0: d · (Σ q·x − 8 Σ x); q4_K,
 * q5_K: (d · sc) · Σ q·x − (dmin · mn) · Σ x), which for one-hot x is exactly the
 * dequantizer's value.
 *   q8_0, q4_0 when K % 256 == 0: a row is whole 16-byte texels (RGBA32UI view) and a group
 *     17 (q8_0) or 9 (q4_0) of them, each fetched once; block i of a group starts at half i
 *     of texel 2i or i, offsets known at compile time (the 8 blocks are unrolled).
 *   q8_0, q4_0 otherwise (FALLBACK): ROWS rows at a time, the lanes taking single blocks,
 *     each read as the 3 or 4 texels holding it, rotated per lane into its words; each
 *     texel of x fetched once for ROWS rows.
 *   q4_K (144 bytes, 9 texels), q5_K (176, 11): every super-block is texel-aligned: read as
 *     RGBA32UI texels, each fetched once.
 *   q6_K (210 bytes, starting on any half): the 15 texels holding a super-block, rotated per
 *     lane into its words (selects cost far less than fetches).
 * Correct for any subgroup and workgroup size, a partial subgroup included. Lavapipe's
 * 65 535-iteration cap: an invocation runs ⌈K / 256 / lanes⌉ · RPW (FALLBACK: RPW / ROWS ·
 * ⌈K / 32 / lanes⌉) iterations.
 * bf16 forward: one invocation per output n, walking its row (quant_dot_sb).
 * BACKWARD 1: one invocation per 8 consecutive inputs k (a quarter of a block) and row m;
 *   walks the N rows of W, reading d and those 8 quants of each (R32UI view).
 * No shared memory and no barriers (lavapipe.md). K % 32 == 0.
 */
#ifndef WTYPE
#define WTYPE 0     /* q8_0 / q4_0 (Q4) */
#endif
/* the forward of all but bf16: subgroups over rows, lanes over K */
#define SPLIT (!BACKWARD && WTYPE != 4)
#if SPLIT
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"

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
/* (N, K) blocks: 16-byte texels (RGBA32UI) for bf16 and every forward; raw 32-bit words
 * (R32UI) for the backward */
layout (binding = 1) uniform usamplerBuffer W;
#if BACKWARD
layout (binding = 2) writeonly buffer DX { float dx[]; };   /* (M, K) */
#else
layout (binding = 2) buffer Y { float y[]; };     /* (M, N) */
#endif

layout (push_constant) uniform Push
{
  uint M, N, K;
} p;

#if SPLIT
/* rows per workgroup (a multiple of 4, FALLBACK's ROWS) */
layout (constant_id = 3) const uint RPW = 32u;

/* The 8 texels of x from @xb on, and their sum */
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

/* y[m, n] (+)= the subgroup's sum of @acc (the lanes with @live false add nothing); only
 * the first active lane writes, and it is the same lane for every call of a uniform loop
 * (@add: add to what it wrote before) */
void
row_store (uint m,
           uint n,
           bool live,
           bool add,
           vec4 acc)
{
  float s = subgroupAdd (live ? acc.x + acc.y + acc.z + acc.w : 0.0);

  if (subgroupElect () && n < p.N)
    y[m * p.N + n] = add ? y[m * p.N + n] + s : s;
}

#define X_BLOCK(i) vec4 xv##i[8], xs##i; x_block (xg + 8u * uint (i), xv##i, xs##i);
#define EACH_BLOCK(F) F (0) F (1) F (2) F (3) F (4) F (5) F (6) F (7)
#endif

#if WTYPE != 0
#define QB_DOT (BACKWARD == 0)
#include "quant_blocks.glsl"

#if SPLIT
/* The k-quants' forward: the groups of 256 elements are the super-blocks. */
#if WTYPE == 1 || WTYPE == 2
/* Word @t (0…7) of a chunk of qs, @q: Σ q·x of its low nibbles (sub-block 2c) into sl and
 * of its high nibbles (2c + 1) into sh, with the x of elements 4t… of those sub-blocks
 * (xl[t], xh[t]); q5_K adds the fifth bits from the qh word @h (bits 2c and 2c + 1 of its
 * bytes, already shifted down by 2c) */
#if WTYPE == 2
#define Q4K_WORD(q, h, t) \
  { \
    uint lo_ = ((q) & 0x0f0f0f0fu) | (((h) & 0x01010101u) << 4); \
    uint hi_ = (((q) >> 4) & 0x0f0f0f0fu) | (((h) & 0x02020202u) << 3); \
    sl += vec4 (qb_bytes4 (lo_)) * xl[t]; \
    sh += vec4 (qb_bytes4 (hi_)) * xh[t]; \
  }
#else
#define Q4K_WORD(q, h, t) \
  { \
    uint lo_ = (q) & 0x0f0f0f0fu, hi_ = ((q) >> 4) & 0x0f0f0f0fu; \
    sl += vec4 (qb_bytes4 (lo_)) * xl[t]; \
    sh += vec4 (qb_bytes4 (hi_)) * xh[t]; \
  }
#endif

/* chunk @c (0…3) of 32 bytes of qs: sub-blocks 2c (low nibbles) and 2c + 1 (high), of the
 * super-block at texel @tb (@head: its first texel, d, dmin and the packed scales; @qh0,
 * @qh1: q5_K's 32 bytes of fifth bits) */
void
q4k_chunk (uint       c,
           uint       tb,
           uvec4      head,
           uvec4      qh0,
           uvec4      qh1,
           vec4       xl[8],
           vec4       xsl,
           vec4       xh[8],
           vec4       xsh,
           inout vec4 acc)
{
#if WTYPE == 2
  uint qs = tb + 3u;                        /* after d, dmin, scales and qh */
#else
  uint qs = tb + 1u;
#endif
  uvec4 qa = texelFetch (W, int (qs + 2u * c));
  uvec4 qb = texelFetch (W, int (qs + 1u + 2u * c));
  vec2 dm = unpackHalf2x16 (head.x);
  vec2 a = k_scale_min (dm, head.y, head.z, head.w, 2u * c);
  vec2 b = k_scale_min (dm, head.y, head.z, head.w, 2u * c + 1u);
  uvec4 h0 = qh0 >> (2u * c), h1 = qh1 >> (2u * c);
  vec4 sl = vec4 (0.0), sh = vec4 (0.0);

  Q4K_WORD (qa.x, h0.x, 0)
  Q4K_WORD (qa.y, h0.y, 1)
  Q4K_WORD (qa.z, h0.z, 2)
  Q4K_WORD (qa.w, h0.w, 3)
  Q4K_WORD (qb.x, h1.x, 4)
  Q4K_WORD (qb.y, h1.y, 5)
  Q4K_WORD (qb.z, h1.z, 6)
  Q4K_WORD (qb.w, h1.w, 7)
  {
    precise vec4 vl = a.x * sl - a.y * xsl;
    precise vec4 vh = b.x * sh - b.y * xsh;

    acc += vl;
    acc += vh;
  }
}

#if WTYPE == 2
#define SB_TEXELS 11u       /* 176 bytes */
#else
#define SB_TEXELS 9u        /* 144 bytes */
#endif

#define GROUP_DOT(n, gi, acc) \
  { \
    uint tb = ((n) * (p.K / 256u) + (gi)) * SB_TEXELS; \
    uvec4 head = texelFetch (W, int (tb)); \
    uvec4 qh0, qh1; \
    qh_texels (tb, qh0, qh1); \
    q4k_chunk (0u, tb, head, qh0, qh1, xv0, xs0, xv1, xs1, acc); \
    q4k_chunk (1u, tb, head, qh0, qh1, xv2, xs2, xv3, xs3, acc); \
    q4k_chunk (2u, tb, head, qh0, qh1, xv4, xs4, xv5, xs5, acc); \
    q4k_chunk (3u, tb, head, qh0, qh1, xv6, xs6, xv7, xs7, acc); \
  }

/* q5_K's fifth bits: texels 1 and 2 of the super-block at texel @tb */
void
qh_texels (uint      tb,
           out uvec4 qh0,
           out uvec4 qh1)
{
#if WTYPE == 2
  qh0 = texelFetch (W, int (tb + 1u));
  qh1 = texelFetch (W, int (tb + 2u));
#else
  qh0 = uvec4 (0u);
  qh1 = uvec4 (0u);
#endif
}
#else
/* q6_K: a super-block (210 bytes) starts on any half. Its words 0 … 55 from the word b
 * holding its first half are cut out of the 15 RGBA32UI texels from texel b / 4 on, rotated
 * by b % 4 (a per-lane select: lanes walk different super-blocks) into @r[0 … 13], word k
 * = r[k / 4][k % 4]; a fetch costs ~15 times a select here. Texels past the end of W
 * (unused words) are clamped to its last. */
void
q6k_words (uint      b,
           out uvec4 r[14])
{
  uint t0 = b >> 2;
  uint last = (p.N * (p.K / 256u) * 210u + 15u) / 16u - 1u;
  bool r2 = (b & 2u) != 0u, r1 = (b & 1u) != 0u;
  uvec4 t[15], q[14];

  for (uint j = 0u; j < 15u; j++)
    t[j] = texelFetch (W, int (min (t0 + j, last)));
  for (uint j = 0u; j < 14u; j++)
    q[j] = r2 ? uvec4 (t[j].zw, t[j + 1u].xy) : t[j];
  for (uint j = 0u; j < 13u; j++)
    r[j] = r1 ? uvec4 (q[j].yzw, q[j + 1u].x) : q[j];
  r[13] = r1 ? uvec4 (q[13].yzw, 0u) : q[13];
}

/* word @k (a constant) of the super-block */
#define QW(k) r[(k) >> 2][(k) & 3u]

/* Step t (0…7) of half @hf of a q6_K super-block (@odd: it starts on a high half): bytes
 * 4t… of the half's ql (two runs of 32) and qh give the elements l = 4t… of its four
 * quarters, whose x are @x0[t], @x1[t], @x2[t], @x3[t]. Σ q·x goes to s0 … s3 (one per
 * quarter), which are scaled when a run of 16 elements with one scale is complete. */
#define Q6_STEP(t, x0, x1, x2, x3) \
  { \
    uint na = QW (wa + uint (t) + 1u), nb = QW (wb + uint (t) + 1u); \
    uint nh = QW (wh + uint (t) + 1u); \
    uint qa = q6_word (odd, ca, na), qb = q6_word (odd, cb, nb), qh = q6_word (odd, ch, nh); \
    ivec4 q0 = ivec4 (qb_bytes4 ((qa & 0x0f0f0f0fu) | ((qh & 0x03030303u) << 4))) - 32; \
    ivec4 q1 = ivec4 (qb_bytes4 ((qb & 0x0f0f0f0fu) | ((qh & 0x0c0c0c0cu) << 2))) - 32; \
    ivec4 q2 = ivec4 (qb_bytes4 (((qa >> 4) & 0x0f0f0f0fu) | (qh & 0x30303030u))) - 32; \
    ivec4 q3 = ivec4 (qb_bytes4 (((qb >> 4) & 0x0f0f0f0fu) | ((qh >> 2) & 0x30303030u))) \
               - 32; \
    s0 += vec4 (q0) * x0[t]; \
    s1 += vec4 (q1) * x1[t]; \
    s2 += vec4 (q2) * x2[t]; \
    s3 += vec4 (q3) * x3[t]; \
    ca = na; \
    cb = nb; \
    ch = nh; \
  }

/* acc += the scaled sums of a run of 16 elements of each quarter (@sc: d · its 4 scales);
 * for one-hot x exactly the dequantizer's (d · scale) · (q − 32) */
void
q6k_scale (vec4           sc,
           inout vec4     s0,
           inout vec4     s1,
           inout vec4     s2,
           inout vec4     s3,
           inout vec4     acc)
{
  acc += sc.x * s0;
  acc += sc.y * s1;
  acc += sc.z * s2;
  acc += sc.w * s3;
  s0 = vec4 (0.0);
  s1 = vec4 (0.0);
  s2 = vec4 (0.0);
  s3 = vec4 (0.0);
}

/* half @hf (0, 1) of the super-block whose words are @r; @x0 … @x3 the x of its four
 * quarters */
void
q6k_half (uvec4      r[14],
          bool       odd,
          uint       hf,
          float      d,
          vec4       x0[8],
          vec4       x1[8],
          vec4       x2[8],
          vec4       x3[8],
          inout vec4 acc)
{
  uint sx = q6_word (odd, QW (48u + 2u * hf), QW (49u + 2u * hf));
  uint sy = q6_word (odd, QW (49u + 2u * hf), QW (50u + 2u * hf));
  ivec4 i0 = ivec4 (sx << 24, sx << 8, sy << 24, sy << 8) >> 24;   /* l < 16 */
  ivec4 i1 = ivec4 (sx << 16, sx, sy << 16, sy) >> 24;            /* l ≥ 16 */
  uint wa = 16u * hf, wb = wa + 8u, wh = 32u + 8u * hf;           /* ql, ql + 32, qh */
  uint ca = QW (wa), cb = QW (wb), ch = QW (wh);
  vec4 s0 = vec4 (0.0), s1 = vec4 (0.0), s2 = vec4 (0.0), s3 = vec4 (0.0);

  Q6_STEP (0, x0, x1, x2, x3)
  Q6_STEP (1, x0, x1, x2, x3)
  Q6_STEP (2, x0, x1, x2, x3)
  Q6_STEP (3, x0, x1, x2, x3)
  q6k_scale (d * vec4 (i0), s0, s1, s2, s3, acc);
  Q6_STEP (4, x0, x1, x2, x3)
  Q6_STEP (5, x0, x1, x2, x3)
  Q6_STEP (6, x0, x1, x2, x3)
  Q6_STEP (7, x0, x1, x2, x3)
  q6k_scale (d * vec4 (i1), s0, s1, s2, s3, acc);
}

/* The quarters of half hf are its elements 32c + l: x blocks 4hf + c. The parity of a
 * super-block (105 halves) differs from lane to lane too: a select, not a branch (a branch
 * ran both sides for every row). */
#define GROUP_DOT(n, gi, acc) \
  { \
    uint h0 = (n) * ROW_HALVES (p.K) + (gi) * SB_HALVES; \
    bool odd = (h0 & 1u) != 0u; \
    uvec4 r[14]; \
    float d; \
    q6k_words (h0 >> 1, r); \
    d = unpackHalf2x16 (odd ? QW (52u) >> 16 : QW (52u) & 0xffffu).x; \
    q6k_half (r, odd, 0u, d, xv0, xv1, xv2, xv3, acc); \
    q6k_half (r, odd, 1u, d, xv4, xv5, xv6, xv7, acc); \
  }
#endif
#else
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
#endif
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
/* rows at a time (FALLBACK) */
#define ROWS 4u

/* The q8_0 / q4_0 forward (see the top of the file). */

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

#if Q4
#define BLOCK_TEXELS 3u     /* hold the 5 words from the one with d, however placed */
#else
#define BLOCK_TEXELS 4u     /* hold its 9 words */
#endif

/* The same for one block at 16-bit half @h0 of W (FALLBACK): the texels that hold it,
 * rotated per lane by the place of its first word in the first texel (a fetch costs far
 * more than the selects); texels past the end of W (@last, unused words) are clamped. */
void
block_dot_words (uint       h0,
                 uint       last,
                 inout vec4 acc,
                 vec4       xv[8],
                 vec4       xs)
{
  uint base = h0 >> 1;                      /* the word holding d */
  bool odd = (h0 & 1u) != 0u;               /* d is the word's high half */
  bool r2 = (base & 2u) != 0u, r1 = (base & 1u) != 0u;
  uvec4 t[BLOCK_TEXELS], q[BLOCK_TEXELS - 1u], r[BLOCK_TEXELS - 1u];
  float d;
  vec4 s = vec4 (0.0);

  for (uint j = 0u; j < BLOCK_TEXELS; j++)
    t[j] = texelFetch (W, int (min ((base >> 2) + j, last)));
  for (uint j = 0u; j < BLOCK_TEXELS - 1u; j++)
    q[j] = r2 ? uvec4 (t[j].zw, t[j + 1u].xy) : t[j];
  for (uint j = 0u; j < BLOCK_TEXELS - 2u; j++)
    r[j] = r1 ? uvec4 (q[j].yzw, q[j + 1u].x) : q[j];
  r[BLOCK_TEXELS - 2u] = r1 ? uvec4 (q[BLOCK_TEXELS - 2u].yzw, 0u) : q[BLOCK_TEXELS - 2u];
  /* word k of the block (from the one holding d) is r[k / 4][k % 4] */
  d = unpackHalf2x16 (odd ? r[0].x >> 16 : r[0].x & 0xffffu).x;
#define RW(k) r[(k) >> 2][(k) & 3u]
#define QUANT_WORD(j) (odd ? RW ((j) + 1u) : (RW (j) >> 16) | (RW ((j) + 1u) << 16))
#if Q4
#define WORD_DOT(j) s += q4_dot (QUANT_WORD (j), xv[j], xv[4u + (j)]);
  WORD_DOT (0u) WORD_DOT (1u) WORD_DOT (2u) WORD_DOT (3u)
#else
#define WORD_DOT(j) s += q8_dot (QUANT_WORD (j), xv[j]);
  WORD_DOT (0u) WORD_DOT (1u) WORD_DOT (2u) WORD_DOT (3u)
  WORD_DOT (4u) WORD_DOT (5u) WORD_DOT (6u) WORD_DOT (7u)
#endif
#if Q4
  acc += d * (s - 8.0 * xs);
#else
  acc += d * s;
#endif
}

#define EACH_ROW(F, i) F (0, i) F (1, i) F (2, i) F (3, i)
#define ROW_INIT(r, i) uint h##r = min (n0 + uint (r), p.N - 1u) * kb * BLOCK_HALVES; \
                       vec4 acc##r = vec4 (0.0);
#define ROW_WORDS(r, b) block_dot_words (h##r + (b) * BLOCK_HALVES, last, acc##r, xv0, xs0);
#define ROW_STORE(r, i) row_store (m, n0 + uint (r), true, false, acc##r);

/* acc += row n's group gi (8 blocks) · x */
#define ROW_BLOCK(i) block_dot (uint (i), tb, carry, acc, xv##i, xs##i);
#define GROUP_DOT(n, gi, acc) \
  { \
    uint tb = ((n) * (p.K / 256u) + (gi)) * GROUP_TEXELS; \
    uvec4 carry = texelFetch (W, int (tb)); \
    EACH_BLOCK (ROW_BLOCK) \
  }
#endif
#endif

#if SPLIT
void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint kb = p.K / 32u;
  uint xr = m * (p.K / 4u);                          /* row m of x, in vec4 */
  uint row0 = gl_WorkGroupID.x * RPW;                /* the workgroup's rows */
  uint first, step;

  if (m >= p.M)
    return;
  first = subgroupExclusiveAdd (1u);
  step = subgroupAdd (1u);
#if FALLBACK
  /* ROWS rows at a time, the lanes over their blocks */
  for (uint g = gl_SubgroupID * ROWS; g < RPW; g += gl_NumSubgroups * ROWS)
    {
      uint n0 = row0 + g;

      if (n0 >= p.N)
        break;
      {
        /* W's last texel */
        uint last = (p.N * kb * BLOCK_HALVES * 2u + 15u) / 16u - 1u;

        EACH_ROW (ROW_INIT, 0)

        for (uint b = first; b < kb; b += step)
          {
            vec4 xv0[8], xs0;

            x_block (xr + 8u * b, xv0, xs0);
            EACH_ROW (ROW_WORDS, b)
          }
        EACH_ROW (ROW_STORE, 0)
      }
    }
#else
  /* K in chunks of (lanes) groups of 256 elements (8 blocks, a super-block): each lane
   * holds its group's x while the subgroup walks its rows, one at a time */
  uint ng = p.K / 256u;

  for (uint c = 0u; c < ng; c += step)
    {
      bool live = c + first < ng;
      uint gi = min (c + first, ng - 1u);
      uint xg = xr + 64u * gi;

      EACH_BLOCK (X_BLOCK)
      for (uint r = gl_SubgroupID; r < RPW; r += gl_NumSubgroups)
        {
          uint n = row0 + r;
          vec4 acc = vec4 (0.0);

          if (n >= p.N)
            break;
          GROUP_DOT (n, gi, acc)
          row_store (m, n, live, c > 0u, acc);
        }
    }
#endif
}
#endif
