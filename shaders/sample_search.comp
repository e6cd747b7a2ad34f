#version 450
/* sample_search.comp — the top-k and top-p thresholds of sample.comp, one bit per round.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * probs holds e[v] = exp((l[v] − max) / temperature) ∈ (0, 1] (sample.comp, prepare step).
 * Non-negative floats order like their bits, so the threshold is built bit by bit, from
 * bit 30 down (the sign bit is 0): a round tries cand = theta | bit and keeps it when
 *   top-k: #{v : e[v] ≥ cand} ≥ k              (theta ends as the k-th largest e)
 *   top-p: Σ {e[v] : e[v] ≥ max (thr, cand)} ≥ target = top_p · Σ {e ≥ thr}
 * (the smallest set of most likely tokens holding top_p of the mass kept so far).
 * A round is two dispatches: PASS 0, one invocation per slice of SLICE logits, writes its
 * slice's count or mass; PASS 1, one invocation, adds them in slice order (deterministic)
 * and updates the state. Bit 31 in top-p mode is the round that sets the target. After bit
 * 0, thr = max (thr, theta) and theta is cleared for the next search. Each round is its
 * own dispatch, so no invocation loops over a slice more than once: lavapipe (Mesa 22.3)
 * silently cut short a single-workgroup version that did 31 passes in a loop.
 */
#include "common.glsl"

#define SLICE 256u

/* state, shared with sample.comp: [0] max logit, [1] argmax, [2] thr, [3] theta,
 * [4] top-p target */
layout (binding = 0) buffer STATE { uint state[]; };        /* (8) */
#if PASS == 0
layout (binding = 1) uniform samplerBuffer PROBS;           /* (V): e */
layout (binding = 2) writeonly buffer PARTS { float parts[]; }; /* (⌈V / SLICE⌉) */
#else
layout (binding = 1) uniform samplerBuffer PARTS;           /* (⌈V / SLICE⌉) */
#endif

layout (push_constant) uniform Push
{
  uint  V;
  uint  top_p_mode;   /* 0: top-k, 1: top-p */
  uint  bit;          /* 30 … 0; 31: the top-p target */
  uint  top_k;
  float top_p;
} p;

void
main ()
{
  float thr = uintBitsToFloat (state[2]);
  uint theta = state[3];
  uint cand = p.bit == 31u ? 0u : theta | (1u << p.bit);
#if PASS == 0
  uint g = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  uint lo = g * SLICE, hi = min (lo + SLICE, p.V);
  float acc = 0.0;

  if (lo >= p.V)
    return;
  if (p.top_p_mode == 0u)
    {
      for (uint v = lo; v < hi; v++)
        acc += floatBitsToUint (texelFetch (PROBS, int (v)).x) >= cand ? 1.0 : 0.0;
    }
  else
    {
      float t = max (thr, uintBitsToFloat (cand));
      for (uint v = lo; v < hi; v++)
        {
          float e = texelFetch (PROBS, int (v)).x;
          acc += e >= t ? e : 0.0;
        }
    }
  parts[g] = acc;
#else
  uint n = (p.V + SLICE - 1u) / SLICE;
  float sum = 0.0;

  if (gl_GlobalInvocationID.x != 0u)
    return;
  for (uint i = 0u; i < n; i++)
    sum += texelFetch (PARTS, int (i)).x;
  if (p.bit == 31u)
    {
      state[4] = floatBitsToUint (p.top_p * sum);
      return;
    }
  if (p.top_p_mode == 0u ? sum >= float (p.top_k) : sum >= uintBitsToFloat (state[4]))
    theta = cand;
  if (p.bit == 0u)
    {
      state[2] = floatBitsToUint (max (thr, uintBitsToFloat (theta)));
      state[3] = 0u;
    }
  else
    state[3] = theta;
#endif
}
