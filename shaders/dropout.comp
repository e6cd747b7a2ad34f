#version 450
/* dropout.comp — dropout with a counter-based generator (Philox4x32-10), so the mask
 * depends only on (seed, step, element index), never on scheduling or workgroup size.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One invocation per 4 elements i = 4g … 4g+3: r = philox (counter (g, step, 0, 0),
 * key (seed_lo, seed_hi)); element 4g + j is kept when (r[j] >> 8) · 2⁻²⁴ ≥ p, and
 *   out[i] = kept ? in[i] · scale : 0,   scale = 1 / (1 − p).
 * The backward pass is the same call on dy with the same seed and step (the mask is
 * recomputed, never stored). VEC4 1 (n % 4 == 0): the 4 elements as one RGBA fetch and one
 * vec4 store. tests/ref/hone-ref.c has the same generator in C.
 */
#include "common.glsl"

#if VEC4
layout (binding = 0) uniform samplerBuffer IN;              /* (n) as RGBA, n % 4 == 0 */
layout (binding = 1) writeonly buffer OUT { vec4 outv[]; };  /* (n), may be IN's buffer */
#else
layout (binding = 0) uniform samplerBuffer IN;              /* (n) */
layout (binding = 1) writeonly buffer OUT { float outv[]; }; /* (n), may be IN's buffer */
#endif

layout (push_constant) uniform Push
{
  uint  n;
  uint  step;
  uint  seed_lo, seed_hi;
  float p;
  float scale;
} p;

uvec4
philox (uvec4 c,
        uvec2 k)
{
  for (int r = 0; r < 10; r++)
    {
      uint hi0, lo0, hi1, lo1;
      umulExtended (0xD2511F53u, c.x, hi0, lo0);
      umulExtended (0xCD9E8D57u, c.z, hi1, lo1);
      c = uvec4 (hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
      k += uvec2 (0x9E3779B9u, 0xBB67AE85u);
    }
  return c;
}

void
main ()
{
  uint g = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  uvec4 r;

  if (4u * g >= p.n)
    return;
  r = philox (uvec4 (g, p.step, 0u, 0u), uvec2 (p.seed_lo, p.seed_hi));
#if VEC4
  outv[g] = mix (vec4 (0.0), texelFetch (IN, int (g)) * p.scale,
                 greaterThanEqual (vec4 (r >> 8u) * (1.0 / 16777216.0), vec4 (p.p)));
#else
  for (uint j = 0u; j < 4u; j++)
    {
      uint i = 4u * g + j;
      if (i < p.n)
        outv[i] = float (r[j] >> 8) * (1.0 / 16777216.0) >= p.p
                  ? texelFetch (IN, int (i)).x * p.scale : 0.0;
    }
#endif
}
