#version 450
/* matvec.comp — y (M, N) = alpha · x (M, K) · Wᵀ + beta · y for a few rows of x: decode.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * W is stored (N, K) row-major (x·Wᵀ) and streamed once: one invocation per output
 * element walks its row of W four (f32, RGBA32F view) or eight (W_F16: RGBA32UI view,
 * unpackHalf2x16) elements per fetch, with x read through a texel view too. No shared
 * memory and no barriers (lavapipe.md). Needs K % 4 == 0 (f32) or K % 8 == 0 (f16).
 * Rows of x are the y workgroups.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer X;      /* (M, K) */
#if W_F16
layout (binding = 1) uniform usamplerBuffer W;     /* (N, K) halves, 8 per texel */
#else
layout (binding = 1) uniform samplerBuffer W;      /* (N, K) */
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
  uint n = gl_GlobalInvocationID.x;
  uint m = gl_WorkGroupID.y;
  uint k4 = p.K / 4;
  vec4 acc = vec4 (0.0);

  if (n >= p.N || m >= p.M)
    return;
#if W_F16
  {
    uint k8 = p.K / 8;
    uint row = n * k8;
    for (uint j = 0; j < k8; j++)
      {
        uvec4 w = texelFetch (W, int (row + j));
        vec4 x0 = texelFetch (X, int (m * k4 + 2 * j));
        vec4 x1 = texelFetch (X, int (m * k4 + 2 * j + 1));
        acc += vec4 (unpackHalf2x16 (w.x), unpackHalf2x16 (w.y)) * x0;
        acc += vec4 (unpackHalf2x16 (w.z), unpackHalf2x16 (w.w)) * x1;
      }
  }
#else
  {
    uint row = n * k4;
    for (uint j = 0; j < k4; j++)
      acc += texelFetch (W, int (row + j)) * texelFetch (X, int (m * k4 + j));
  }
#endif
  {
    uint idx = m * p.ldy + n;
    float v = p.alpha * (acc.x + acc.y + acc.z + acc.w);
    if (p.beta != 0.0)
      v += p.beta * y[idx];
    y[idx] = v;
  }
}
