#version 450
/* rope.comp — rotary position embedding, forward and backward, both pairings.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * x is (T, H, D) with D even; pos[t] is each token's position (packed sequences restart at
 * 0). Pair i of a head (0 ≤ i < D/2) rotates by angle
 *   pos · freq_scale · base^(−2i/D) / factor[i]
 * where freq_scale is 1 / the linear scaling factor (1 = none) and factor (D/2) holds the
 * per-frequency divisors of Llama 3.x scaling (llama.cpp's rope_freqs.weight), or is
 * not read (has_factors 0):
 *   NEOX 0 ("normal", GGUF llama): elements (2i, 2i+1)
 *   NEOX 1 (NeoX / Hugging Face):  elements (i, i + D/2)
 * y0 = x0·cos − x1·sin, y1 = x0·sin + x1·cos. The backward pass is the inverse rotation,
 * the same kernel with sign = −1.
 * VEC4 0: one invocation per pair, one element a fetch (any even D).
 * VEC4 1: four elements a fetch through RGBA views (NEOX 0: D % 4 == 0, one vec4 holds
 *   two pairs; NEOX 1: D % 8 == 0, an invocation rotates four pairs, one vec4 from each
 *   half); FACTORS is then an RGBA view too. D is a specialization constant. One
 *   invocation per (token, vec4 of a head) loops over the H heads (H loop iterations, far
 *   below lavapipe's loop limit), so each angle's cos and sin are computed once a token.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer X;       /* (T, H, D) */
layout (binding = 1) uniform usamplerBuffer POS;    /* (T) */
#if VEC4
layout (binding = 2) writeonly buffer Y { vec4 y[]; };    /* (T, H, D) */
#else
layout (binding = 2) writeonly buffer Y { float y[]; };   /* (T, H, D) */
#endif
layout (binding = 3) uniform samplerBuffer FACTORS; /* (D / 2), read when has_factors */

layout (push_constant) uniform Push
{
  uint T, H, D;
  uint neox;
  float log2_base;
  float sign;
  float freq_scale;
  uint has_factors;
} p;

#if VEC4
/* The head size, a specialization constant so that the divisions by it compile to
 * multiplies (a division by a run-time value costs lavapipe a scalar divide per lane). */
layout (constant_id = 3) const uint HEAD_D = 64u;

void
main ()
{
  /* one invocation per (token, vec4 of a head), looping over the heads: the angles are
   * the same for every head of a token, so the transcendentals are paid once per token */
  const uint d4 = HEAD_D / 4u, h4 = HEAD_D / 8u;
  uint per_token = p.neox != 0u ? h4 : d4;
  uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
            * gl_WorkGroupSize.x;
  uint t, q;
  float at;

  if (id >= p.T * per_token)
    return;
  if (p.neox != 0u)
    {
      t = id / h4;
      q = id % h4;
    }
  else
    {
      t = id / d4;
      q = id % d4;
    }
  at = float (texelFetch (POS, int (t)).x) * p.freq_scale;
  if (p.neox != 0u)
    {
      /* pairs i = 4q … 4q+3: elements i and i + D/2 */
      vec4 i4 = vec4 (4u * q) + vec4 (0.0, 1.0, 2.0, 3.0);
      vec4 angle = at * exp2 (-p.log2_base * 2.0 * i4 / float (HEAD_D));
      vec4 cs, sn;

      if (p.has_factors != 0u)
        angle /= texelFetch (FACTORS, int (q));
      cs = cos (angle);
      sn = p.sign * sin (angle);
      for (uint h = 0u; h < p.H; h++)
        {
          uint base = (t * p.H + h) * d4 + q;
          vec4 x0 = texelFetch (X, int (base));
          vec4 x1 = texelFetch (X, int (base + h4));
          y[base] = x0 * cs - x1 * sn;
          y[base + h4] = x0 * sn + x1 * cs;
        }
    }
  else
    {
      /* pairs i = 2q, 2q+1: elements (4q, 4q+1) and (4q+2, 4q+3) */
      vec2 i2 = vec2 (2u * q) + vec2 (0.0, 1.0);
      vec2 angle = at * exp2 (-p.log2_base * 2.0 * i2 / float (HEAD_D));
      vec4 cs, sn;

      if (p.has_factors != 0u)
        {
          vec4 f = texelFetch (FACTORS, int (q / 2u));
          angle /= (q % 2u) == 0u ? f.xy : f.zw;
        }
      cs = cos (angle).xxyy;
      sn = p.sign * sin (angle).xxyy;
      for (uint h = 0u; h < p.H; h++)
        {
          uint base = (t * p.H + h) * d4 + q;
          vec4 v = texelFetch (X, int (base));
          /* (x0, x1) → (x0·c − x1·s, x0·s + x1·c) for both pairs */
          y[base] = v * cs + vec4 (-v.y, v.x, -v.w, v.z) * sn;
        }
    }
}
#else
void
main ()
{
  uint half_d = p.D / 2;
  uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
            * gl_WorkGroupSize.x;
  uint i, row, t, i0, i1;
  float angle, cs, sn, x0, x1;

  if (id >= p.T * p.H * half_d)
    return;
  i = id % half_d;
  row = id / half_d;             /* t · H + h */
  t = row / p.H;
  i0 = row * p.D + (p.neox != 0 ? i : 2 * i);
  i1 = i0 + (p.neox != 0 ? half_d : 1);
  angle = float (texelFetch (POS, int (t)).x) * p.freq_scale
          * exp2 (-p.log2_base * float (2 * i) / float (p.D));
  if (p.has_factors != 0)
    angle /= texelFetch (FACTORS, int (i)).x;
  cs = cos (angle);
  sn = p.sign * sin (angle);
  x0 = texelFetch (X, int (i0)).x;
  x1 = texelFetch (X, int (i1)).x;
  y[i0] = x0 * cs - x1 * sn;
  y[i1] = x0 * sn + x1 * cs;
}
#endif
