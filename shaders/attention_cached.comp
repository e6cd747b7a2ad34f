#version 450
/* attention_cached.comp — causal attention of n new query tokens against a KV cache that
 * already holds them (inference: prefill n > 1, decode n = 1), grouped-query heads.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Query i (at position pos0 + i), head h reads KV head h / (Hq / Hkv) and sees the cached
 * positions 0 … pos0 + i:
 *   s_j = scale · q·k_j;  out[i, h] = Σ_j exp(s_j − m) v_j / Σ_j exp(s_j − m)
 * with an online softmax (running max m, sum l and the weighted V sum in registers).
 * A row is query i and GS heads of one KV group (GS a specialization constant dividing
 * Hq / Hkv): every K and V fetch then serves GS heads. Fetches are what costs on lavapipe;
 * more than GS · D = 128 spills registers and loses (measured: GS 2 beat 1 and 4 at D 64).
 *
 * SPLIT 0 (prefill, many rows): one invocation per row walks its positions.
 * SPLIT 1 (decode, few rows, or a long cache): one workgroup per row, of which the first
 *   subgroup works: its lanes take the positions rank, rank + lanes, … (flash-decoding
 *   inside a subgroup, so that the 4…32 heads of a decode step still fill the cores) and
 *   merge their partial softmaxes with subgroupMax / subgroupAdd at the end. No shared
 *   memory and no barrier: on lavapipe a barrier anywhere turns the whole shader into
 *   coroutines, which made a shared-memory merge 1.1–3.7× slower here (measured). Right for any
 *   subgroup size; a workgroup wider than the subgroup only idles its other subgroups.
 *
 * Lavapipe (Mesa 22.3) silently cuts an outermost loop short after 65 535 iterations,
 * nested loops included. The loops over the head dimension and the heads have
 * specialization-constant trip counts and are unrolled, so the loop over positions is the
 * only one: SPLIT 0 serves rows of at most 65 535 visible positions, SPLIT 1 divides them
 * by its lanes (the wrapper picks).
 *
 * CACHE_F16: K and V hold halves, read eight per RGBA32UI texel and unpacked with
 * unpackHalf2x16 (lavapipe.md: the fastest f16 read there); D % 8 == 0. Else f32, read as
 * RGBA32F texels; D % 4 == 0.
 */
#if SPLIT
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"

#define MAX_D4 64          /* head dimension up to 256 */
#define MAX_GS 8           /* query heads per invocation */
#define MAX_QA 64          /* GS · D / 4: vec4 registers of q and of acc */

/* D / 4 */
layout (constant_id = 3) const uint D4 = 16u;
/* query heads per row: GS divides Hq / Hkv, GS · D4 ≤ MAX_QA */
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

void
main ()
{
  const uint d4 = D4, gs = GS;
#if SPLIT
  uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
  uint first, step;
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

  if (row >= p.n * (p.Hq / gs))
    return;
#if SPLIT
  /* The first subgroup does the row; its active lanes (a partial subgroup when the
   * workgroup is narrower) take every step-th position from their rank on. */
  if (gl_SubgroupID != 0u)
    return;
  first = subgroupExclusiveAdd (1u);
  step = subgroupAdd (1u);
#endif
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
  /* Merge the lanes' partial softmaxes; a lane that saw no position has l = 0 and weighs
   * nothing. */
  for (uint g = 0u; g < gs; g++)
    {
      float big_m = subgroupMax (m[g]);
      float f = l[g] > 0.0 ? exp (m[g] - big_m) : 0.0;

      l[g] = subgroupAdd (l[g] * f);
      for (uint c = 0u; c < d4; c++)
        acc[g * d4 + c] = subgroupAdd (acc[g * d4 + c] * f);
    }
  if (first == 0u)
    for (uint c = 0u; c < gs * d4; c++)
      outv[row * gs * d4 + c] = acc[c] / l[c / d4];
#else
  for (uint c = 0u; c < gs * d4; c++)
    outv[row * gs * d4 + c] = acc[c] / l[c / d4];
#endif
}
