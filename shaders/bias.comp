#version 450
/* bias.comp — bias add and its weight gradient.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BACKWARD 0, one invocation per element (VEC4 1, C % 4 == 0: per vec4, x along the row,
 *   y and z the row): y[t, c] = x[t, c] + b[c] (y may be x).
 * BACKWARD 1, one invocation per column, in a fixed order (deterministic):
 *   db[c] += Σ_t dy[t, c], at most 32768 rows a dispatch (lavapipe's loop limit,
 *   hone-op-bias.c). (dx = dy needs no kernel.)
 */
#include "common.glsl"

#if BACKWARD
layout (binding = 0) uniform samplerBuffer DY;             /* (T, C) */
layout (binding = 1) buffer DB { float db[]; };            /* (C) */
#elif VEC4
layout (binding = 0) uniform samplerBuffer X;              /* (T, C) as RGBA */
layout (binding = 1) uniform samplerBuffer B;              /* (C) as RGBA */
layout (binding = 2) writeonly buffer Y { vec4 y4[]; };    /* (T, C), may be X's buffer */
#else
layout (binding = 0) uniform samplerBuffer X;              /* (T, C) */
layout (binding = 1) uniform samplerBuffer B;              /* (C) */
layout (binding = 2) writeonly buffer Y { float y[]; };    /* (T, C), may be X's buffer */
#endif

layout (push_constant) uniform Push
{
  uint T, C;
} p;

void
main ()
{
#if BACKWARD
  uint c = gl_GlobalInvocationID.x;
  float sum = 0.0;

  if (c >= p.C)
    return;
  for (uint t = 0u; t < p.T; t++)
    sum += texelFetch (DY, int (t * p.C + c)).x;
  db[c] += sum;
#elif VEC4
  /* x: the vec4 of the row, y and z: the row; no division or modulo per element */
  uint q = gl_GlobalInvocationID.x, c4 = p.C / 4u;
  uint t = gl_WorkGroupID.y + gl_WorkGroupID.z * gl_NumWorkGroups.y;

  if (q >= c4 || t >= p.T)
    return;
  y4[t * c4 + q] = texelFetch (X, int (t * c4 + q)) + texelFetch (B, int (q));
#else
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;

  if (i >= p.T * p.C)
    return;
  /* Read through the texel view even in place: an SSBO read-modify-write is several times
   * slower on lavapipe (lavapipe.md); each element is read and written by one invocation. */
  y[i] = texelFetch (X, int (i)).x + texelFetch (B, int (i % p.C)).x;
#endif
}
