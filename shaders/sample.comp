#version 450
/* sample.comp — sampling one token from one row of logits (decode): temperature, min-p and
 * the draw, or argmax; and the repetition penalty.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PASS 0, ONE workgroup of any size (steps: prepare and finish, with
 *   sample_search.comp's top-k and top-p rounds between them when asked); invocation i owns the slice [i·n, (i+1)·n) of the V
 * logits, n = ⌈V / size⌉:
 *   m = max l, amax = its lowest index. Greedy (inv_temperature 0): token = amax,
 *   probs = one-hot. Otherwise, with e[v] = exp((l[v] − m) · inv_temperature) ∈ (0, 1]:
 *   every filter keeps the tokens with e ≥ a threshold thr, so they compose into one:
 *     min-p   e ≥ min_p                     (p ≥ min_p · p_max, as p_max ∝ e = 1)
 *     top-k   e ≥ the k-th largest e        (ties with it kept)
 *     top-p   the smallest set of the most likely tokens (after min-p and top-k) holding
 *             top_p of their mass (ties kept)
 *   (sample_search.comp finds the top-k and top-p thresholds);
 *   probs[v] = kept ? e / Σ_kept e : 0, and token = the first v (in index order) whose
 *   running sum of kept e exceeds u · Σ_kept e.
 *   Every reduction goes through shared memory and is done by invocation 0 in invocation
 *   order, so the result is the same on every run whatever the subgroup size. probs
 *   doubles as the scratch for e. Loops stay flat (never a pass over the slice inside
 *   another loop): lavapipe (Mesa 22.3) cut short a version with top-k and top-p searches
 *   that ran 31 passes over each slice in a loop, silently, for V above a few thousand.
 * PASS 1, one invocation per entry of the recent-token list ids (n): the repetition
 *   penalty, applied once per distinct id (a repeated id is skipped):
 *   l[id] = l[id] > 0 ? l[id] / penalty : l[id] · penalty.
 */
#include "common.glsl"

#if PASS == 0
layout (binding = 0) uniform samplerBuffer LOGITS;            /* (V) */
layout (binding = 1) buffer PROBS { float probs[]; };         /* (V) */
layout (binding = 2) writeonly buffer TOKEN { uint token[]; }; /* (1) */
layout (binding = 3) buffer STATE { uint state[]; };          /* (8), sample_search.comp */

layout (push_constant) uniform Push
{
  uint  V;
  float inv_temperature;   /* 0: greedy */
  float min_p;             /* 0: off */
  float u;                 /* uniform in [0, 1) for the draw */
  uint  steps;             /* 1: prepare (max, e, state), 2: finish (filter, draw), 3: both */
} p;

/* Sized by a constant rather than by the specialised workgroup size; the wrapper keeps the
 * workgroup within SAMPLE_MAX_WG. */
#define SAMPLE_MAX_WG 256
shared float red_f[SAMPLE_MAX_WG];
shared uint red_u[SAMPLE_MAX_WG];
shared float draw[3];       /* Σ kept e, the draw's target, the mass before its slice */
shared uint draw_slice;

void
main ()
{
  uint id = gl_LocalInvocationID.x;
  uint n = (p.V + gl_WorkGroupSize.x - 1u) / gl_WorkGroupSize.x;
  uint lo = min (id * n, p.V), hi = min (lo + n, p.V);
  float m = -3.402823466e38, thr, total, target;
  uint amax = 0xffffffffu, tok;

  if ((p.steps & 1u) != 0u)
    {
      for (uint v = lo; v < hi; v++)
        {
          float l = texelFetch (LOGITS, int (v)).x;
          if (l > m)
            {
              m = l;
              amax = v;
            }
        }
      red_f[id] = m;
      red_u[id] = amax;
      barrier ();
      if (id == 0u)
        {
          /* Slices are in index order: the first strict maximum is the lowest index. */
          for (uint i = 1u; i < gl_WorkGroupSize.x; i++)
            if (red_u[i] != 0xffffffffu && (red_u[0] == 0xffffffffu || red_f[i] > red_f[0]))
              {
                red_f[0] = red_f[i];
                red_u[0] = red_u[i];
              }
        }
      barrier ();
      m = red_f[0];
      amax = red_u[0];
      barrier ();

      if (p.inv_temperature == 0.0)
        {
          for (uint v = lo; v < hi; v++)
            probs[v] = v == amax ? 1.0 : 0.0;
          if (id == 0u)
            token[0] = amax;
          return;
        }

      for (uint v = lo; v < hi; v++)
        probs[v] = exp ((texelFetch (LOGITS, int (v)).x - m) * p.inv_temperature);
      thr = p.min_p;
      if ((p.steps & 2u) == 0u)
        {
          /* sample_search.comp runs next, then the finishing step. */
          if (id == 0u)
            {
              state[0] = floatBitsToUint (m);
              state[1] = amax;
              state[2] = floatBitsToUint (thr);
              state[3] = 0u;
            }
          return;
        }
    }
  else
    {
      amax = state[1];
      thr = uintBitsToFloat (state[2]);
    }

  {
    float mass = 0.0;
    for (uint v = lo; v < hi; v++)
      mass += probs[v] >= thr ? probs[v] : 0.0;
    red_f[id] = mass;
    barrier ();
    if (id == 0u)
      {
        /* The draw: which slice holds u · Σ (the first whose running sum passes it). */
        float s = 0.0, cum = 0.0;
        uint slice = 0xffffffffu;
        for (uint i = 0u; i < gl_WorkGroupSize.x; i++)
          s += red_f[i];
        target = p.u * s;
        for (uint i = 0u; i < gl_WorkGroupSize.x && slice == 0xffffffffu; i++)
          {
            if (red_f[i] > 0.0 && cum + red_f[i] > target)
              slice = i;
            else
              cum += red_f[i];
          }
        /* Rounding at the very top: the most likely token. */
        if (slice == 0xffffffffu)
          token[0] = amax;
        draw[0] = s;
        draw[1] = target;
        draw[2] = cum;
        draw_slice = slice;
      }
    barrier ();
    total = draw[0];
    if (draw_slice == id)
      {
        float cum = draw[2];
        uint last = lo;
        target = draw[1];
        tok = 0xffffffffu;
        for (uint v = lo; v < hi && tok == 0xffffffffu; v++)
          if (probs[v] >= thr)
            {
              cum += probs[v];
              last = v;
              if (cum > target)
                tok = v;
            }
        token[0] = tok != 0xffffffffu ? tok : last;
      }
  }
  for (uint v = lo; v < hi; v++)
    probs[v] = probs[v] >= thr ? probs[v] / total : 0.0;
}

#else

layout (binding = 0) uniform usamplerBuffer IDS;               /* (n) uint32 */
layout (binding = 1) buffer LOGITS { float logits[]; };        /* (V) */

layout (push_constant) uniform Push
{
  uint  n;
  uint  V;
  float penalty;
} p;

void
main ()
{
  uint i = gl_GlobalInvocationID.x, tok;
  float l;

  if (i >= p.n)
    return;
  tok = texelFetch (IDS, int (i)).x;
  if (tok >= p.V)
    return;
  for (uint j = 0u; j < i; j++)
    if (texelFetch (IDS, int (j)).x == tok)
      return;
  l = logits[tok];
  logits[tok] = l > 0.0 ? l / p.penalty : l * p.penalty;
}
#endif
