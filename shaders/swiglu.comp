#version 450
/* swiglu.comp — SwiGLU, forward (BACKWARD 0) and backward (BACKWARD 1). (n)
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * forward:  h = silu(g) · u, silu(g) = g · σ(g)
 * backward: dg = dh · u · σ(g) · (1 + g · (1 − σ(g))),  du = dh · silu(g)
 * Four elements per invocation through RGBA texel views, as add.comp.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer G;
layout (binding = 1) uniform samplerBuffer U;
#if BACKWARD
layout (binding = 2) uniform samplerBuffer DH;
layout (binding = 3) writeonly buffer DG { vec4 dg[]; };
layout (binding = 4) writeonly buffer DU { vec4 du[]; };
#else
layout (binding = 2) writeonly buffer H { vec4 h[]; };
#endif

layout (push_constant) uniform Push
{
  uint n;
} p;

void
main ()
{
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  vec4 g, u, s;

  if (4 * i >= p.n)
    return;
  g = texelFetch (G, int (i));
  u = texelFetch (U, int (i));
  s = 1.0 / (1.0 + exp (-g));
#if BACKWARD
  {
    vec4 dh = texelFetch (DH, int (i));
    vec4 vg = dh * u * s * (1.0 + g * (1.0 - s));
    vec4 vu = dh * g * s;
    if (4 * i + 3 < p.n)
      {
        dg[i] = vg;
        du[i] = vu;
      }
    else
      for (uint e = 0; 4 * i + e < p.n; e++)
        {
          dg[i][e] = vg[e];
          du[i][e] = vu[e];
        }
  }
#else
  {
    vec4 v = g * s * u;
    if (4 * i + 3 < p.n)
      h[i] = v;
    else
      for (uint e = 0; 4 * i + e < p.n; e++)
        h[i][e] = v[e];
  }
#endif
}
