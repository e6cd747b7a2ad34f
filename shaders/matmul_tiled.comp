#version 450
/* matmul_tiled.comp — C = alpha · op(A) · op(B) + beta · C, the GPU variant.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The well-known shared-memory tiling: a workgroup of WX × WY invocations computes a
 * (WY·RM) × (WX·RN) tile of C; for each slice of BK along k it stages the A and B tiles in
 * shared memory, then each invocation accumulates RM × RN outputs from it. Any transpose
 * through element strides (push constants), any shape (bounds-checked, zero-filled).
 * Spec constants: 0, 1 workgroup size; 3 RM, 4 RN, 5 BK.
 * Define B_F16: B holds IEEE halves, two per 32-bit word.
 */
#include "common.glsl"

layout (constant_id = 3) const uint RM = 4;
layout (constant_id = 4) const uint RN = 4;
layout (constant_id = 5) const uint BK = 16;

layout (binding = 0) readonly buffer AIn { float a[]; };
#if B_F16
layout (binding = 1) readonly buffer BIn { uint b[]; };
#else
layout (binding = 1) readonly buffer BIn { float b[]; };
#endif
layout (binding = 2) buffer COut { float c[]; };

layout (push_constant) uniform Push
{
  uint M, N, K;
  uint a_rs, a_cs;            /* element (m, k) of A at m·a_rs + k·a_cs */
  uint b_rs, b_cs;            /* element (k, n) of B at k·b_rs + n·b_cs */
  uint ldc;
  uint a_batch, b_batch, c_batch;
  float alpha, beta;
} p;

const uint BM = gl_WorkGroupSize.y * RM;
const uint BN = gl_WorkGroupSize.x * RN;
shared float As[BK * BM];
shared float Bs[BK * BN];

float
load_b (uint idx)
{
#if B_F16
  vec2 pair = unpackHalf2x16 (b[idx / 2]);
  return (idx % 2) == 0 ? pair.x : pair.y;
#else
  return b[idx];
#endif
}

void
main ()
{
  uint threads = gl_WorkGroupSize.x * gl_WorkGroupSize.y;
  uint tid = gl_LocalInvocationID.y * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  uint tile_m = gl_WorkGroupID.y * BM;
  uint tile_n = gl_WorkGroupID.x * BN;
  uint batch = gl_WorkGroupID.z;
  uint a_base = batch * p.a_batch;
  uint b_base = batch * p.b_batch;
  float acc[RM * RN];

  for (uint i = 0; i < RM * RN; i++)
    acc[i] = 0.0;

  for (uint k0 = 0; k0 < p.K; k0 += BK)
    {
      for (uint e = tid; e < BK * BM; e += threads)
        {
          uint kk = e / BM, mm = e % BM;
          uint m = tile_m + mm, k = k0 + kk;
          As[e] = (m < p.M && k < p.K) ? a[a_base + m * p.a_rs + k * p.a_cs] : 0.0;
        }
      for (uint e = tid; e < BK * BN; e += threads)
        {
          uint kk = e / BN, nn = e % BN;
          uint n = tile_n + nn, k = k0 + kk;
          Bs[e] = (n < p.N && k < p.K) ? load_b (b_base + k * p.b_rs + n * p.b_cs) : 0.0;
        }
      barrier ();
      for (uint kk = 0; kk < BK; kk++)
        for (uint i = 0; i < RM; i++)
          {
            float av = As[kk * BM + gl_LocalInvocationID.y + i * gl_WorkGroupSize.y];
            for (uint j = 0; j < RN; j++)
              acc[i * RN + j] += av * Bs[kk * BN + gl_LocalInvocationID.x
                                         + j * gl_WorkGroupSize.x];
          }
      barrier ();
    }

  for (uint i = 0; i < RM; i++)
    for (uint j = 0; j < RN; j++)
      {
        uint m = tile_m + gl_LocalInvocationID.y + i * gl_WorkGroupSize.y;
        uint n = tile_n + gl_LocalInvocationID.x + j * gl_WorkGroupSize.x;
        if (m < p.M && n < p.N)
          {
            uint idx = batch * p.c_batch + m * p.ldc + n;
            float v = p.alpha * acc[i * RN + j];
            if (p.beta != 0.0)
              v += p.beta * c[idx];
            c[idx] = v;
          }
      }
}
