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
 * the same kernel with sign = −1. One invocation per pair.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer X;       /* (T, H, D) */
layout (binding = 1) uniform usamplerBuffer POS;    /* (T) */
layout (binding = 2) writeonly buffer Y { float y[]; };   /* (T, H, D) */
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
