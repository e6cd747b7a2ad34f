/* quant_blocks.glsl — in-shader dequantization of the GGUF k-quants (q4_K, q5_K, q6_K) and
 * of bf16 rows, shared by matvec_quant.comp and matmul_quant.comp.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The including shader declares `usamplerBuffer W` (the weight as raw 32-bit words, R32UI
 * texel view; bf16: 8 elements a texel, RGBA32UI, rows 16-byte aligned as K % 32 == 0) and
 * defines WTYPE: 1 q4_K, 2 q5_K, 3 q6_K, 4 bf16; QB_DOT 1 adds q6_word (q6_K) and the bf16
 * forward walk quant_dot_sb, which reads `samplerBuffer X`. A row of W starts at a 16-bit
 * half number r (row n: r = n · ROW_HALVES (K)). Every type is walked the same way:
 * the row is cut into sub-blocks of 32 elements (s = 0 … K/32 − 1) whose scales come from
 * quant_sub_scale (r, s), and groups of 8 elements (g = 0 … K/8 − 1, sub-block g / 4)
 * dequantized by quant_weights8 (r, g, scales). The values are those of
 * hone_ggml_dequantize, bit for bit: the same products in f32 in the same order, with no
 * fused multiply-add where the CPU rounds twice (`precise`).
 *
 * Super-blocks of 256 elements (ggml's layouts):
 *   q4_K { f16 d, dmin; u8 scales[12]; u8 qs[128]; }            144 bytes (word-aligned)
 *        sub-block j (0…7): 6-bit scale sc and min mn packed in scales[];
 *        element 64c + l (l < 32) low nibble of qs[32c + l], 64c + 32 + l its high nibble;
 *        w = (d · sc) · q − dmin · mn
 *   q5_K { f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; } 176 bytes (word-aligned)
 *        as q4_K, plus a fifth bit: bit j of qh[l] for the element l of sub-block j
 *   q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d; }       210 bytes (half-aligned)
 *        half h (0, 1) of 128 elements, quarter c (0…3), l < 32: low 4 bits from
 *        ql[64h + 32(c & 1) + l] (nibble c >> 1), top 2 from bits 2c of qh[32h + l];
 *        w = (d · scales[8h + 2c + l/16]) · (q − 32)
 *   bf16: 2 bytes an element, the top half of an f32 (blocks of 32 for the walk only).
 */

#if WTYPE == 1
#define SB_ELEMS 256u
#define SB_HALVES 72u
#elif WTYPE == 2
#define SB_ELEMS 256u
#define SB_HALVES 88u
#elif WTYPE == 3
#define SB_ELEMS 256u
#define SB_HALVES 105u
#elif WTYPE == 4
#define SB_ELEMS 32u
#define SB_HALVES 32u
#else
#error "WTYPE must be 1 (q4_K), 2 (q5_K), 3 (q6_K) or 4 (bf16)"
#endif

/* 16-bit halves in a row of @k elements */
#define ROW_HALVES(k) (((k) / SB_ELEMS) * SB_HALVES)

uint
qb_word (uint w)
{
  return texelFetch (W, int (w)).x;
}

/* The 8 bytes starting at half @h (h may be odd), low word first. The words read lie within
 * those 8 bytes' words; the third only when h is odd (mostly the same for all lanes). */
uvec2
qb_bytes8 (uint h)
{
  uint s = h >> 1;
  uint w0 = qb_word (s);
  uint w1 = qb_word (s + 1u);
  uint w2;

  if ((h & 1u) == 0u)
    return uvec2 (w0, w1);
  w2 = qb_word (s + 2u);
  return uvec2 ((w0 >> 16) | (w1 << 16), (w1 >> 16) | (w2 << 16));
}

/* Byte @i (0…3) of word @w */
uint
qb_byte (uint w,
         uint i)
{
  return (w >> (8u * i)) & 0xffu;
}

/* The 4 bytes of @w as a uvec4, low byte first */
uvec4
qb_bytes4 (uint w)
{
  return uvec4 (w, w >> 8, w >> 16, w >> 24) & 0xffu;
}

#if WTYPE == 1 || WTYPE == 2
/* (d · sc, dmin · mn) of sub-block @j (0…7) of a super-block: @dm its (d, dmin), @s0, @s1,
 * @s2 the words of its 12 packed scale bytes */
vec2
k_scale_min (vec2 dm,
             uint s0,
             uint s1,
             uint s2,
             uint j)
{
  uint i = j & 3u;
  uint sc, mn;

  if (j < 4u)
    {
      sc = qb_byte (s0, i) & 63u;
      mn = qb_byte (s1, i) & 63u;
    }
  else
    {
      uint b = qb_byte (s2, i);            /* scales[j + 4] */
      sc = (b & 0xfu) | ((qb_byte (s0, i) >> 6) << 4);
      mn = (b >> 4) | ((qb_byte (s1, i) >> 6) << 4);
    }
  return vec2 (dm.x * float (sc), dm.y * float (mn));
}

/* (d · sc, dmin · mn) of sub-block @s of the row at half @r */
vec2
quant_sub_scale (uint r,
                 uint s)
{
  uint w = (r + (s >> 3) * SB_HALVES) >> 1;   /* the super-block's first word */

  return k_scale_min (unpackHalf2x16 (qb_word (w)), qb_word (w + 1u), qb_word (w + 2u),
                      qb_word (w + 3u), s & 7u);
}

/* Weights k = 8g … 8g + 7 of the row at half @r; @sm = quant_sub_scale (r, g / 4). */
void
quant_weights8 (uint     r,
                uint     g,
                vec2     sm,
                out vec4 v0,
                out vec4 v1)
{
  uint w = (r + (g >> 5) * SB_HALVES) >> 1;
  uint e0 = 8u * (g & 31u);                 /* first element within the super-block */
  uint c = e0 >> 6, l0 = e0 & 31u, j = e0 >> 5;
  uint sh = 4u * (j & 1u);
#if WTYPE == 1
  uint qw = w + 4u + 8u * c + l0 / 4u;      /* qs[32c + l0] */
#else
  uint qw = w + 12u + 8u * c + l0 / 4u;     /* qs[32c + l0] */
  uint hw = w + 4u + l0 / 4u;               /* qh[l0] */
#endif
  uint n0 = (qb_word (qw) >> sh) & 0x0f0f0f0fu, n1 = (qb_word (qw + 1u) >> sh) & 0x0f0f0f0fu;
#if WTYPE == 2
  n0 |= ((qb_word (hw) >> j) & 0x01010101u) << 4;
  n1 |= ((qb_word (hw + 1u) >> j) & 0x01010101u) << 4;
#endif
  precise vec4 a = sm.x * vec4 (qb_bytes4 (n0)) - sm.y;
  precise vec4 b = sm.x * vec4 (qb_bytes4 (n1)) - sm.y;

  v0 = a;
  v1 = b;
}
#elif WTYPE == 3
/* (d · scales[…]) for elements l < 16 and l ≥ 16 of sub-block @s of the row at half @r */
vec2
quant_sub_scale (uint r,
                 uint s)
{
  uint h0 = r + (s >> 3) * SB_HALVES;
  uint j = s & 7u, half_ = j >> 2, c = j & 3u;
  uint hs = h0 + 96u + 4u * half_ + c;      /* scales[8·half + 2c], scales[… + 1] */
  uint ws = qb_word (hs >> 1);
  uint sp = (hs & 1u) != 0u ? ws >> 16 : ws & 0xffffu;
  uint hd = h0 + 104u;
  uint wd = qb_word (hd >> 1);
  float d = unpackHalf2x16 ((hd & 1u) != 0u ? wd >> 16 : wd & 0xffffu).x;
  ivec2 sc = ivec2 (int (sp << 24) >> 24, int (sp << 16) >> 24);

  return vec2 (d * float (sc.x), d * float (sc.y));
}

void
quant_weights8 (uint     r,
                uint     g,
                vec2     sc,
                out vec4 v0,
                out vec4 v1)
{
  uint h0 = r + (g >> 5) * SB_HALVES;
  uint e0 = 8u * (g & 31u);
  uint half_ = e0 >> 7, c = (e0 >> 5) & 3u, l0 = e0 & 31u;
  uvec2 ql = qb_bytes8 (h0 + (64u * half_ + 32u * (c & 1u) + l0) / 2u);
  uvec2 qh = qb_bytes8 (h0 + 64u + (32u * half_ + l0) / 2u);
  uint shl = 4u * (c >> 1), shh = 2u * c;
  ivec4 a = ivec4 (qb_bytes4 (((ql.x >> shl) & 0x0f0f0f0fu) | (((qh.x >> shh) & 0x03030303u) << 4)));
  ivec4 b = ivec4 (qb_bytes4 (((ql.y >> shl) & 0x0f0f0f0fu) | (((qh.y >> shh) & 0x03030303u) << 4)));
  float s = l0 < 16u ? sc.x : sc.y;

  v0 = s * vec4 (a - 32);
  v1 = s * vec4 (b - 32);
}
#else
vec2
quant_sub_scale (uint r,
                 uint s)
{
  return vec2 (0.0);
}

void
quant_weights8 (uint     r,
                uint     g,
                vec2     sc,
                out vec4 v0,
                out vec4 v1)
{
  uvec4 q = texelFetch (W, int ((r >> 3) + g));   /* 8 bf16, one RGBA32UI texel */

  v0 = uintBitsToFloat (uvec4 (q.x << 16, q.x & 0xffff0000u, q.y << 16, q.y & 0xffff0000u));
  v1 = uintBitsToFloat (uvec4 (q.z << 16, q.z & 0xffff0000u, q.w << 16, q.w & 0xffff0000u));
}
#endif

#if QB_DOT && WTYPE == 3
/* The 32 bits at half 2i of a q6_K super-block starting at word @b (@odd: at its high
 * half), from the words @cur = W[b + i] and @nxt = W[b + i + 1] */
uint
q6_word (bool odd,
         uint cur,
         uint nxt)
{
  return odd ? (cur >> 16) | (nxt << 16) : cur;
}
#endif

#if QB_DOT && WTYPE == 4
/* The bf16 forward walk: acc += the products of the 32 elements from block @sb of the row
 * at half @r with x, whose vec4 texels for them start at @xb (needs `samplerBuffer X`).
 * (The k-quants' forward is matvec_quant.comp's.) */
void
quant_dot_sb (uint     r,
              uint     sb,
              uint     xb,
              inout vec4 acc)
{
  for (uint t = 0u; t < 4u; t++)
    {
      vec4 v0, v1;

      quant_weights8 (r, 4u * sb + t, vec2 (0.0), v0, v1);
      acc += v0 * texelFetch (X, int (xb + 2u * t));
      acc += v1 * texelFetch (X, int (xb + 2u * t + 1u));
    }
}
#endif
