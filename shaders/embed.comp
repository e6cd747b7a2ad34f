#version 450
/* embed.comp — embedding gather (BACKWARD 0) and its scatter-add backward (BACKWARD 1).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * forward:  out[t, c] = W[ids[t], c]; an id ≥ V gives a row of zeros. VEC4 1 (C % 4 == 0):
 *   one vec4 per invocation through an RGBA view, x along the row, y and z the token.
 * backward: dW[ids[t], c] += dout[t, c]. One invocation owns one column c (VEC4 1: four)
 *   and walks the tokens in order, so repeated ids add up with no atomics and the same
 *   result every run. The wrapper gives it at most 32768 tokens a dispatch (lavapipe's
 *   loop limit).
 */
#include "common.glsl"

layout (binding = 0) uniform usamplerBuffer IDS;    /* (T) */
#if BACKWARD && VEC4
layout (binding = 1) uniform samplerBuffer DOUT;    /* (T, C) as RGBA */
layout (binding = 2) buffer DW { vec4 dw4[]; };     /* (V, C) */
#elif BACKWARD
layout (binding = 1) uniform samplerBuffer DOUT;    /* (T, C) */
layout (binding = 2) buffer DW { float dw[]; };     /* (V, C) */
#elif VEC4
layout (binding = 1) uniform samplerBuffer W;       /* (V, C) as RGBA */
layout (binding = 2) writeonly buffer Out { vec4 o4[]; };   /* (T, C) */
#else
layout (binding = 1) uniform samplerBuffer W;       /* (V, C) */
layout (binding = 2) writeonly buffer Out { float o[]; };   /* (T, C) */
#endif

layout (push_constant) uniform Push
{
  uint T, C, V;
} p;

void
main ()
{
#if BACKWARD && VEC4
  /* four columns per invocation (C % 4 == 0) */
  uint q = gl_GlobalInvocationID.x, c4 = p.C / 4u;

  if (q >= c4)
    return;
  for (uint t = 0; t < p.T; t++)
    {
      uint id = texelFetch (IDS, int (t)).x;
      if (id < p.V)
        dw4[id * c4 + q] += texelFetch (DOUT, int (t * c4 + q));
    }
#elif BACKWARD
  uint c = gl_GlobalInvocationID.x;

  if (c >= p.C)
    return;
  for (uint t = 0; t < p.T; t++)
    {
      uint id = texelFetch (IDS, int (t)).x;
      if (id < p.V)
        dw[id * p.C + c] += texelFetch (DOUT, int (t * p.C + c)).x;
    }
#elif VEC4
  /* C % 4 == 0: x is the vec4 of the row, y and z the token; no divisions. */
  uint q = gl_GlobalInvocationID.x;
  uint t = gl_WorkGroupID.y + gl_WorkGroupID.z * gl_NumWorkGroups.y;
  uint id;

  if (q >= p.C / 4u || t >= p.T)
    return;
  id = texelFetch (IDS, int (t)).x;
  o4[t * (p.C / 4u) + q] = id < p.V ? texelFetch (W, int (id * (p.C / 4u) + q)) : vec4 (0.0);
#else
  /* Four consecutive elements of a row per invocation, the flat index over x and y. */
  uint quads = (p.C + 3) / 4;
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  uint t = i / quads;
  uint c0 = (i % quads) * 4;
  uint id;

  if (t >= p.T)
    return;
  id = texelFetch (IDS, int (t)).x;
  for (uint c = c0; c < min (c0 + 4, p.C); c++)
    o[t * p.C + c] = id < p.V ? texelFetch (W, int (id * p.C + c)).x : 0.0;
#endif
}
