#version 450
/* attention_cached.comp — causal attention of n new query tokens against a KV cache that
 * already holds them (inference: prefill n > 1, decode n = 1), grouped-query heads.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Row r = i · Hq + h is query i (at position pos0 + i), head h, which reads KV head
 * h / (Hq / Hkv) and sees the cached positions 0 … pos0 + i:
 *   s_j = scale · q·k_j;  out[r] = Σ_j exp(s_j − m) v_j / Σ_j exp(s_j − m)
 * with an online softmax (running max m, sum l and the weighted V sum in registers).
 *
 * SPLIT 0 (prefill): one invocation per row walks its positions.
 * SPLIT 1 (decode, few rows or a long cache): one workgroup per row; invocation t takes
 *   the positions t, t + W, t + 2W, … (flash-decoding inside a workgroup, so that a few
 *   heads still fill every core), and the W partial softmaxes are merged through shared
 *   memory at the end, the only barriers.
 *
 * Lavapipe (Mesa 22.3) silently cuts an outermost loop short after about 65 535 iterations,
 * nested loops included. The loops over the head dimension have a specialization-constant
 * trip count and are unrolled, so the loop over positions is the only one: SPLIT 0 serves
 * rows of at most 65 535 visible positions, SPLIT 1 divides them by W (the wrapper picks).
 *
 * CACHE_F16: K and V hold halves, read eight per RGBA32UI texel and unpacked with
 * unpackHalf2x16 (lavapipe.md: the fastest f16 read there); D % 8 == 0. Else f32, read as
 * RGBA32F texels; D % 4 == 0. No shared memory and no barriers in the hot loop.
 */
#include "common.glsl"

#define MAX_D4 64          /* head dimension up to 256 */
#define MAX_GS 8           /* query heads per invocation */
#define MAX_QA 64          /* GS · D / 4: vec4 registers of q and of acc */
#define MAX_SPLIT 64       /* workgroup size of SPLIT 1 */
#define RED_COLS 8         /* vec4 columns merged per round in SPLIT 1 */

/* D / 4 */
layout (constant_id = 3) const uint D4 = 16u;
/* GS query heads of one KV group per invocation, so that each K and V fetch serves GS
 * heads: the fetches are what costs on lavapipe. GS divides Hq / Hkv; GS · D4 ≤ MAX_QA. */
layout (constant_id = 4) const uint GS = 1u;

layout (binding = 0) uniform samplerBuffer Q;       /* (n, Hq, D), vec4 texels */
#if CACHE_F16
layout (binding = 1) uniform usamplerBuffer K;      /* (S, Hkv, D) halves, 8 per texel */
layout (binding = 2) uniform usamplerBuffer V;      /* (S, Hkv, D) halves, 8 per texel */
#else
layout (binding = 1) uniform samplerBuffer K;       /* (S, Hkv, D), vec4 texels */
layout (binding = 2) uniform samplerBuffer V;       /* (S, Hkv, D), vec4 texels */
#endif
layout (binding = 3) writeonly buffer OUT { vec4 outv[]; };   /* (n, Hq, D) */

layout (push_constant) uniform Push
{
  uint  n, pos0, Hq, Hkv;
  float scale;
} p;

#if SPLIT
shared float sh_m[MAX_SPLIT * MAX_GS];        /* (W, GS) */
shared float sh_l[MAX_SPLIT * MAX_GS];        /* (W, GS) */
shared vec4  sh_acc[MAX_SPLIT * RED_COLS];    /* (W, RED_COLS) */
#endif

void
main ()
{
  const uint d4 = D4, gs = GS;
#if SPLIT
  uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
  uint first = gl_LocalInvocationID.x, step = gl_WorkGroupSize.x;
#else
  uint row = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
             * gl_WorkGroupSize.x;
  uint first = 0u, step = 1u;
#endif
  /* row = i · (Hq / GS) + block; its heads are block · GS + g, g < GS, and its outputs
   * the GS · D4 texels from row · GS · D4 on */
  uint i, h0, kvh, stride, visible;
  vec4 q[MAX_QA], acc[MAX_QA];
  float m[MAX_GS], l[MAX_GS];

  /* SPLIT 1: whole workgroups drop out together, before the barriers. */
  if (row >= p.n * (p.Hq / gs))
    return;
  i = row / (p.Hq / gs);
  h0 = (row % (p.Hq / gs)) * gs;
  kvh = h0 / (p.Hq / p.Hkv);
  visible = p.pos0 + i + 1u;
  for (uint g = 0u; g < gs; g++)
    {
      m[g] = -3.402823466e38;
      l[g] = 0.0;
    }
  for (uint c = 0u; c < gs * d4; c++)
    {
      q[c] = p.scale * texelFetch (Q, int (row * gs * d4 + c));
      acc[c] = vec4 (0.0);
    }

#if CACHE_F16
  stride = p.Hkv * (d4 / 2u);
  for (uint j = first; j < visible; j += step)
    {
      uint kb = j * stride + kvh * (d4 / 2u);
      vec4 dot4[MAX_GS];
      float corr[MAX_GS], w[MAX_GS];

      for (uint g = 0u; g < gs; g++)
        dot4[g] = vec4 (0.0);
      for (uint c = 0u; c < d4 / 2u; c++)
        {
          uvec4 k8 = texelFetch (K, int (kb + c));
          vec4 k0 = vec4 (unpackHalf2x16 (k8.x), unpackHalf2x16 (k8.y));
          vec4 k1 = vec4 (unpackHalf2x16 (k8.z), unpackHalf2x16 (k8.w));

          for (uint g = 0u; g < gs; g++)
            dot4[g] += q[g * d4 + 2u * c] * k0 + q[g * d4 + 2u * c + 1u] * k1;
        }
      for (uint g = 0u; g < gs; g++)
        {
          float s = dot4[g].x + dot4[g].y + dot4[g].z + dot4[g].w;
          float mn = max (m[g], s);

          corr[g] = exp (m[g] - mn);
          w[g] = exp (s - mn);
          l[g] = l[g] * corr[g] + w[g];
          m[g] = mn;
        }
      for (uint c = 0u; c < d4 / 2u; c++)
        {
          uvec4 v8 = texelFetch (V, int (kb + c));
          vec4 v0 = vec4 (unpackHalf2x16 (v8.x), unpackHalf2x16 (v8.y));
          vec4 v1 = vec4 (unpackHalf2x16 (v8.z), unpackHalf2x16 (v8.w));

          for (uint g = 0u; g < gs; g++)
            {
              acc[g * d4 + 2u * c] = acc[g * d4 + 2u * c] * corr[g] + w[g] * v0;
              acc[g * d4 + 2u * c + 1u] = acc[g * d4 + 2u * c + 1u] * corr[g] + w[g] * v1;
            }
        }
    }
#else
  stride = p.Hkv * d4;
  for (uint j = first; j < visible; j += step)
    {
      uint kb = j * stride + kvh * d4;
      vec4 dot4[MAX_GS];
      float corr[MAX_GS], w[MAX_GS];

      for (uint g = 0u; g < gs; g++)
        dot4[g] = vec4 (0.0);
      for (uint c = 0u; c < d4; c++)
        {
          vec4 k4 = texelFetch (K, int (kb + c));

          for (uint g = 0u; g < gs; g++)
            dot4[g] += q[g * d4 + c] * k4;
        }
      for (uint g = 0u; g < gs; g++)
        {
          float s = dot4[g].x + dot4[g].y + dot4[g].z + dot4[g].w;
          float mn = max (m[g], s);

          corr[g] = exp (m[g] - mn);
          w[g] = exp (s - mn);
          l[g] = l[g] * corr[g] + w[g];
          m[g] = mn;
        }
      for (uint c = 0u; c < d4; c++)
        {
          vec4 v4 = texelFetch (V, int (kb + c));

          for (uint g = 0u; g < gs; g++)
            acc[g * d4 + c] = acc[g * d4 + c] * corr[g] + w[g] * v4;
        }
    }
#endif

#if SPLIT
  {
    uint t = gl_LocalInvocationID.x;
    float big_l[MAX_GS], f[MAX_GS];

    /* An invocation that saw no position has l = 0 and weighs nothing. */
    for (uint g = 0u; g < gs; g++)
      sh_m[t * gs + g] = m[g];
    barrier ();
    for (uint g = 0u; g < gs; g++)
      {
        float big_m = -3.402823466e38;

        for (uint u = 0u; u < step; u++)
          big_m = max (big_m, sh_m[u * gs + g]);
        f[g] = l[g] > 0.0 ? exp (m[g] - big_m) : 0.0;
        sh_l[t * gs + g] = l[g] * f[g];
      }
    barrier ();
    for (uint g = 0u; g < gs; g++)
      {
        big_l[g] = 0.0;
        for (uint u = 0u; u < step; u++)
          big_l[g] += sh_l[u * gs + g];
      }
    for (uint c0 = 0u; c0 < gs * d4; c0 += RED_COLS)
      {
        for (uint c = 0u; c < RED_COLS; c++)
          if (c0 + c < gs * d4)
            sh_acc[t * RED_COLS + c] = acc[c0 + c] * f[(c0 + c) / d4];
        barrier ();
        for (uint c = t; c < RED_COLS && c0 + c < gs * d4; c += step)
          {
            vec4 sum = vec4 (0.0);
            for (uint u = 0u; u < step; u++)
              sum += sh_acc[u * RED_COLS + c];
            outv[row * gs * d4 + c0 + c] = sum / big_l[(c0 + c) / d4];
          }
        barrier ();
      }
  }
#else
  for (uint c = 0u; c < gs * d4; c++)
    outv[row * gs * d4 + c] = acc[c] / l[c / d4];
#endif
}
