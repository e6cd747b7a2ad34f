#version 450
/* matmul_tex.comp — C = alpha · op(A) · op(B) + beta · C, the CPU-device (lavapipe) variant.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Register-blocked: each invocation computes 8 rows × 8 columns of C in registers, reading
 * A and B through uniform texel buffers (a branch-free gather on lavapipe) and never
 * touching shared memory (lavapipe.md). Defines:
 *   TRANS_A  0: A is stored (M, K) row-major; 1: stored (K, M)
 *   TRANS_B  0: B is stored (K, N);            1: stored (N, K)  (x·Wᵀ)
 *   VEC4     1: A and B are read 4 elements per fetch (RGBA views); needs the dimension
 *              read along, the leading dimensions and the offsets to be multiples of 4.
 *            0: one element per fetch (R views): any shape.
 * The same SPIR-V reads f16 weights when B is viewed as RGBA16F / R16F.
 * Workgroup (spec 0, 1): invocations along N and M; the batch is the z workgroup.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer A;
layout (binding = 1) uniform samplerBuffer B;
layout (binding = 2) buffer COut { float c[]; };

layout (push_constant) uniform Push
{
  uint M, N, K;
  uint lda, ldb, ldc;         /* row strides in elements */
  uint a_batch, b_batch, c_batch;
  float alpha, beta;
} p;

#define TM 8
#define TN 8

void
main ()
{
  uint n0 = (gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x) * TN;
  uint m0 = (gl_WorkGroupID.y * gl_WorkGroupSize.y + gl_LocalInvocationID.y) * TM;
  uint batch = gl_WorkGroupID.z;
  vec4 acc[TM][2];

  if (m0 >= p.M || n0 >= p.N)
    return;
  for (int i = 0; i < TM; i++)
    {
      acc[i][0] = vec4 (0.0);
      acc[i][1] = vec4 (0.0);
    }

#if VEC4
  {
    uint a_base = (batch * p.a_batch) / 4;
    uint b_base = (batch * p.b_batch) / 4;
    uint lda4 = p.lda / 4, ldb4 = p.ldb / 4;
#if TRANS_A
    uint ma[2];
    for (int h = 0; h < 2; h++)
      ma[h] = min (m0 / 4 + h, p.M / 4 - 1);
#else
    uint ma[TM];
    for (int i = 0; i < TM; i++)
      ma[i] = min (m0 + i, p.M - 1) * lda4;
#endif
#if TRANS_B
    uint nb[TN];
    for (int j = 0; j < TN; j++)
      nb[j] = min (n0 + j, p.N - 1) * ldb4;
#else
    uint nb[2];
    for (int h = 0; h < 2; h++)
      nb[h] = min (n0 / 4 + h, p.N / 4 - 1);
#endif
    for (uint k = 0; k < p.K; k += 4)
      {
        float a[TM][4];
        vec4 b[4][2];
#if TRANS_A
        for (int kk = 0; kk < 4; kk++)
          for (int h = 0; h < 2; h++)
            {
              vec4 v = texelFetch (A, int (a_base + (k + kk) * lda4 + ma[h]));
              for (int e = 0; e < 4; e++)
                a[h * 4 + e][kk] = v[e];
            }
#else
        for (int i = 0; i < TM; i++)
          {
            vec4 v = texelFetch (A, int (a_base + ma[i] + k / 4));
            for (int kk = 0; kk < 4; kk++)
              a[i][kk] = v[kk];
          }
#endif
#if TRANS_B
        for (int j = 0; j < TN; j++)
          {
            vec4 v = texelFetch (B, int (b_base + nb[j] + k / 4));
            for (int kk = 0; kk < 4; kk++)
              b[kk][j / 4][j % 4] = v[kk];
          }
#else
        for (int kk = 0; kk < 4; kk++)
          for (int h = 0; h < 2; h++)
            b[kk][h] = texelFetch (B, int (b_base + (k + kk) * ldb4 + nb[h]));
#endif
        for (int kk = 0; kk < 4; kk++)
          for (int i = 0; i < TM; i++)
            {
              acc[i][0] += a[i][kk] * b[kk][0];
              acc[i][1] += a[i][kk] * b[kk][1];
            }
      }
  }
#else
  {
    uint a_base = batch * p.a_batch;
    uint b_base = batch * p.b_batch;
    uint ma[TM], nb[TN];
    uint a_step, b_step;

    for (int i = 0; i < TM; i++)
      ma[i] = min (m0 + i, p.M - 1) * (TRANS_A == 1 ? 1 : p.lda);
    for (int j = 0; j < TN; j++)
      nb[j] = min (n0 + j, p.N - 1) * (TRANS_B == 1 ? p.ldb : 1);
    a_step = TRANS_A == 1 ? p.lda : 1;
    b_step = TRANS_B == 1 ? 1 : p.ldb;
    for (uint k = 0; k < p.K; k++)
      {
        float a[TM];
        vec4 b[2];
        for (int i = 0; i < TM; i++)
          a[i] = texelFetch (A, int (a_base + k * a_step + ma[i])).x;
        for (int j = 0; j < TN; j++)
          b[j / 4][j % 4] = texelFetch (B, int (b_base + k * b_step + nb[j])).x;
        for (int i = 0; i < TM; i++)
          {
            acc[i][0] += a[i] * b[0];
            acc[i][1] += a[i] * b[1];
          }
      }
  }
#endif

  for (int i = 0; i < TM; i++)
    {
      uint m = m0 + i;
      if (m >= p.M)
        break;
      for (int j = 0; j < TN; j++)
        {
          uint n = n0 + j;
          if (n < p.N)
            {
              uint idx = batch * p.c_batch + m * p.ldc + n;
              float v = p.alpha * acc[i][j / 4][j % 4];
              if (p.beta != 0.0)
                v += p.beta * c[idx];
              c[idx] = v;
            }
        }
    }
}
