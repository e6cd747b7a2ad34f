#version 450
/* matvec.comp — y (M, N) = alpha · x (M, K) · Wᵀ + beta · y for a few rows of x: decode.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) row-major (x·Wᵀ) and streamed once, four (f32, RGBA32F view) or eight
 * (W_F16: RGBA32UI view, unpackHalf2x16) elements per fetch, x read through a texel view
 * too. A subgroup computes ROWS consecutive outputs at a time: its lanes take the texels
 * rank, rank + lanes, … of those rows, so that neighbouring lanes read neighbouring memory
 * (one output per lane, walking rows a few KiB apart, thrashed the CPU caches on lavapipe)
 * and each texel of x is fetched once for ROWS rows; one subgroupAdd per output at the end.
 * A workgroup does RPW such row groups, shared among its subgroups, so the result is the
 * same for any subgroup and workgroup size (a partial subgroup included). No shared memory
 * and no barriers (lavapipe.md). Needs K % 4 == 0 (f32) or K % 8 == 0 (f16). Rows of x are
 * the y workgroups. Lavapipe's 65 535-iteration cap: an invocation runs at most
 * RPW · ⌈K / (4 or 8) / lanes⌉ iterations (the wrapper checks).
 */
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#include "common.glsl"

#ifndef ROWS
#define ROWS 8u
#endif

/* row groups (of ROWS outputs) per workgroup */
layout (constant_id = 3) const uint RPW = 4u;

layout (binding = 0) uniform samplerBuffer X;      /* (M, K) */
#if W_F16
layout (binding = 1) uniform usamplerBuffer W;     /* (N, K) halves, 8 per texel */
#define EPT 8u                                     /* elements per texel of W */
#else
layout (binding = 1) uniform samplerBuffer W;      /* (N, K) */
#define EPT 4u
#endif
layout (binding = 2) buffer YOut { float y[]; };   /* (M, N) */

layout (push_constant) uniform Push
{
  uint M, N, K;
  uint ldy;
  float alpha, beta;
} p;

void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint xr = m * (p.K / 4u);                 /* row m of x, in vec4 */
  uint kt = p.K / EPT;                      /* texels of W a row */
  uint first, step;

  if (m >= p.M)
    return;
  first = subgroupExclusiveAdd (1u);
  step = subgroupAdd (1u);
  for (uint g = gl_SubgroupID; g < RPW; g += gl_NumSubgroups)
    {
      uint n0 = (gl_WorkGroupID.x * RPW + g) * ROWS;
      uint row[ROWS];
      vec4 acc[ROWS];

      if (n0 >= p.N)
        break;
      for (uint r = 0u; r < ROWS; r++)
        {
          row[r] = min (n0 + r, p.N - 1u) * kt;
          acc[r] = vec4 (0.0);
        }
      for (uint j = first; j < kt; j += step)
        {
#if W_F16
          vec4 x0 = texelFetch (X, int (xr + 2u * j));
          vec4 x1 = texelFetch (X, int (xr + 2u * j + 1u));

          for (uint r = 0u; r < ROWS; r++)
            {
              uvec4 w = texelFetch (W, int (row[r] + j));

              acc[r] += vec4 (unpackHalf2x16 (w.x), unpackHalf2x16 (w.y)) * x0;
              acc[r] += vec4 (unpackHalf2x16 (w.z), unpackHalf2x16 (w.w)) * x1;
            }
#else
          vec4 x0 = texelFetch (X, int (xr + j));

          for (uint r = 0u; r < ROWS; r++)
            acc[r] += texelFetch (W, int (row[r] + j)) * x0;
#endif
        }
      for (uint r = 0u; r < ROWS; r++)
        {
          float s = subgroupAdd (acc[r].x + acc[r].y + acc[r].z + acc[r].w);

          if (subgroupElect () && n0 + r < p.N)
            {
              uint idx = m * p.ldy + n0 + r;
              float v = p.alpha * s;

              if (p.beta != 0.0)
                v += p.beta * y[idx];
              y[idx] = v;
            }
        }
    }
}
