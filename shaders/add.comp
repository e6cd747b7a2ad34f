#version 450
/* add.comp — out = a + b element-wise (the residual add). (n)
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four elements per invocation, read through RGBA texel views (buffers are padded to 16
 * bytes, so the last texel exists); the tail of the last vec4 is written element by
 * element so nothing past n changes.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer A;
layout (binding = 1) uniform samplerBuffer B;
layout (binding = 2) writeonly buffer Out { vec4 o[]; };

layout (push_constant) uniform Push
{
  uint n;
} p;

void
main ()
{
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  vec4 v;

  if (4 * i >= p.n)
    return;
  v = texelFetch (A, int (i)) + texelFetch (B, int (i));
  if (4 * i + 3 < p.n)
    o[i] = v;
  else
    for (uint e = 0; 4 * i + e < p.n; e++)
      o[i][e] = v[e];
}
