#version 450
/* bias.comp — bias add and its weight gradient.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BACKWARD 0, one invocation per element: y[t, c] = x[t, c] + b[c] (y may be x).
 * BACKWARD 1, one invocation per column, in a fixed order (deterministic):
 *   db[c] += Σ_t dy[t, c]. (dx = dy needs no kernel.)
 */
#include "common.glsl"

#if BACKWARD
layout (binding = 0) uniform samplerBuffer DY;             /* (T, C) */
layout (binding = 1) buffer DB { float db[]; };            /* (C) */
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
