#version 450
/* matvec.comp — y (M, N) = alpha · x (M, K) · Wᵀ + beta · y for a few rows of x: decode.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) row-major (x·Wᵀ) and streamed once, four (f32, RGBA32F view) or eight
 * (W_F16: RGBA32UI view, unpackHalf2x16) elements per fetch, x read through a texel view
 * too. A workgroup computes RPW consecutive outputs n (a specialization constant, a
 * multiple of ROWS), ROWS at a time, the row groups shared among its subgroups. In a
 * subgroup the lanes take the texels rank, rank + lanes, … of those ROWS rows, so that
 * neighbouring lanes read neighbouring memory, and each texel of x is fetched once for ROWS
 * rows; one subgroupAdd per output sums the lanes at the end. On lavapipe a texel fetch is
 * a per-lane gather costing tens of cycles whatever its width, so fetches are what to save
 * (measured, 8192×2048: one output per invocation 9.8 ms of CPU (f32), this 6.2 ms; ROWS 4
 * 6.9, 16 6.6; keeping a lane's 256 elements of x in registers across rows, which wins for
 * the quantized kernels, lost here: 9.3). The result is the same for any subgroup and
 * workgroup size (a partial subgroup included). No shared memory and no barriers
 * (lavapipe.md). Needs K % 4 == 0 (f32) or K % 8 == 0 (f16). Rows of x are the y
 * workgroups. Lavapipe's 65 535-iteration cap: an invocation runs at most
 * RPW / ROWS · ⌈K / 4 / lanes⌉ iterations (the wrapper checks).
 */
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#include "common.glsl"

/* rows at a time */
#define ROWS 8u

/* rows per workgroup, a multiple of ROWS */
layout (constant_id = 3) const uint RPW = 32u;

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

/* y[m, n] = alpha · (the subgroup's sum of @acc) + beta · y[m, n], written by one lane */
void
row_store (uint m,
           uint n,
           vec4 acc)
{
  float s = subgroupAdd (acc.x + acc.y + acc.z + acc.w);

  if (subgroupElect () && n < p.N)
    {
      uint idx = m * p.ldy + n;
      float v = p.alpha * s;

      if (p.beta != 0.0)
        v += p.beta * y[idx];
      y[idx] = v;
    }
}

void
main ()
{
  uint m = gl_WorkGroupID.y;
  uint xr = m * (p.K / 4u);                 /* row m of x, in vec4 */
  uint kt = p.K / EPT;                      /* texels of W a row */
  uint row0 = gl_WorkGroupID.x * RPW;       /* the workgroup's rows */
  uint first, step;

  if (m >= p.M)
    return;
  first = subgroupExclusiveAdd (1u);
  step = subgroupAdd (1u);
  for (uint g = gl_SubgroupID * ROWS; g < RPW; g += gl_NumSubgroups * ROWS)
    {
      uint n0 = row0 + g;
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
        row_store (m, n0 + r, acc[r]);
    }
}
