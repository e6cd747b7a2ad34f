#version 450
/* rmsnorm.comp — RMSNorm forward, input gradient and weight gradient.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PASS 0 forward, one invocation per row (T rows of C):
 *   rstd[t] = 1 / sqrt(mean_c x[t,c]² + eps);  y[t,c] = x[t,c] · rstd[t] · w[c]
 * PASS 1 input gradient, one invocation per row:
 *   dx[t,c] = rstd · (w[c]·dy[t,c]) − x[t,c] · rstd³ / C · Σ_j w[j]·dy[t,j]·x[t,j]
 * PASS 2 weight gradient, one invocation per column (VEC4: four), accumulating (dw += …),
 *   in a fixed order so that results never depend on scheduling; at most 32768 rows a
 *   dispatch (lavapipe's loop limit, hone-op-norm.c):
 *   dw[c] += Σ_t dy[t,c] · x[t,c] · rstd[t]
 * A row is reduced by one invocation in order: no shared memory and no barriers, which
 * lavapipe runs fastest (lavapipe.md), any workgroup and subgroup size, and results that
 * do not depend on them. (A GPU variant would reduce a row across a subgroup.)
 */
#include "common.glsl"

/* VEC4 1: C % 4 == 0, four elements per fetch (the weight gradient: four columns per
 * invocation). */
#if VEC4
#define VT vec4
#define LOAD(buf, idx) texelFetch (buf, int (idx))
#define SUM(v) ((v).x + (v).y + (v).z + (v).w)
#define CN (p.C / 4)
#else
#define VT float
#define LOAD(buf, idx) texelFetch (buf, int (idx)).x
#define SUM(v) (v)
#define CN p.C
#endif

layout (binding = 0) uniform samplerBuffer X;      /* (T, C) */
layout (binding = 1) uniform samplerBuffer W;      /* (C) */
#if PASS == 0
layout (binding = 2) writeonly buffer Y { VT y[]; };           /* (T, C) */
layout (binding = 3) writeonly buffer RSTD { float rstd[]; };  /* (T) */
#elif PASS == 1
layout (binding = 2) uniform samplerBuffer DY;     /* (T, C) */
layout (binding = 3) uniform samplerBuffer RSTD;   /* (T) */
layout (binding = 4) writeonly buffer DX { VT dx[]; };         /* (T, C) */
#else
layout (binding = 2) uniform samplerBuffer DY;     /* (T, C) */
layout (binding = 3) uniform samplerBuffer RSTD;   /* (T) */
layout (binding = 4) buffer DW { VT dw[]; };       /* (C) */
#endif

layout (push_constant) uniform Push
{
  uint T, C;
  float eps;
} p;

void
main ()
{
#if PASS == 2
  uint col = gl_GlobalInvocationID.x;   /* VEC4: four columns */
  VT sum = VT (0.0);

  if (col >= CN)
    return;
  for (uint t = 0; t < p.T; t++)
    {
      uint idx = t * CN + col;
      sum += LOAD (DY, idx) * LOAD (X, idx) * texelFetch (RSTD, int (t)).x;
    }
  dw[col] += sum;
#else
  uint row = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
             * gl_WorkGroupSize.x;
  uint base = row * CN;
  VT acc = VT (0.0);

  if (row >= p.T)
    return;
#if PASS == 0
  for (uint c = 0; c < CN; c++)
    {
      VT v = LOAD (X, base + c);
      acc += v * v;
    }
  {
    float r = inversesqrt (SUM (acc) / float (p.C) + p.eps);
    for (uint c = 0; c < CN; c++)
      y[base + c] = LOAD (X, base + c) * r * LOAD (W, c);
    rstd[row] = r;
  }
#else
  for (uint c = 0; c < CN; c++)
    acc += LOAD (W, c) * LOAD (DY, base + c) * LOAD (X, base + c);
  {
    float r = texelFetch (RSTD, int (row)).x;
    float k = SUM (acc) * r * r * r / float (p.C);
    for (uint c = 0; c < CN; c++)
      dx[base + c] = r * LOAD (W, c) * LOAD (DY, base + c) - LOAD (X, base + c) * k;
  }
#endif
#endif
}
