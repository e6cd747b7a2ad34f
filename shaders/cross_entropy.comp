#version 450
/* cross_entropy.comp — softmax cross-entropy over the vocabulary with a loss mask, one chunk
 * of tokens at a time, and the mean of the per-token losses.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PASS 0, one invocation per row of the chunk (Tc rows of V logits), rows row0 … row0+Tc−1
 *   of the batch:
 *     m, s  = running max and Σ exp(l − m) over the row in one pass (online log-sum-exp)
 *     lse   = m + log s
 *     losses[row0 + r] = on ? lse − l[target] : 0       (on = mask ≠ 0 and target < V)
 *     dlogits[r, v]    = on ? scale · (exp(l[v] − lse) − [v = target]) : 0
 *   scale is 1 / (unmasked tokens in the whole batch), so the gradient is that of the mean
 *   loss whatever the chunking. A row is reduced by one invocation in order (as
 *   rmsnorm.comp): no shared memory, no barriers, results independent of the workgroup
 *   and subgroup size.
 * PASS 1, one invocation: loss[0] = scale · Σ_t losses[t], summed in order (deterministic).
 */
#include "common.glsl"

/* VEC4 1: V % 4 == 0, four logits per fetch. */
#if VEC4
#define VT vec4
#define LOAD(idx) texelFetch (LOGITS, int (idx))
#define MAX4(v) max (max ((v).x, (v).y), max ((v).z, (v).w))
#define SUM(v) ((v).x + (v).y + (v).z + (v).w)
#define VN (p.V / 4)
#else
#define VT float
#define LOAD(idx) texelFetch (LOGITS, int (idx)).x
#define MAX4(v) (v)
#define SUM(v) (v)
#define VN p.V
#endif

#if PASS == 0
layout (binding = 0) uniform samplerBuffer LOGITS;             /* (Tc, V) */
layout (binding = 1) uniform usamplerBuffer TARGETS;           /* (T) uint32 */
layout (binding = 2) uniform usamplerBuffer MASK;              /* (T) uint32, 0 = ignored */
layout (binding = 3) writeonly buffer DLOGITS { VT dlogits[]; }; /* (Tc, V) */
layout (binding = 4) writeonly buffer LOSSES { float losses[]; }; /* (T) */
#else
layout (binding = 0) uniform samplerBuffer LOSSES;             /* (T) */
layout (binding = 1) writeonly buffer LOSS { float loss[]; };  /* (1) */
#endif

layout (push_constant) uniform Push
{
  uint  rows;    /* PASS 0: Tc, the rows of this chunk; PASS 1: T */
  uint  V;
  uint  row0;    /* the chunk's first row in the batch */
  float scale;   /* 1 / unmasked tokens of the batch */
} p;

void
main ()
{
#if PASS == 0
  uint r = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  uint base, target;
  bool on;
  float m = -3.402823466e38, s = 0.0, lse, g;

  if (r >= p.rows)
    return;
  base = r * VN;
  target = texelFetch (TARGETS, int (p.row0 + r)).x;
  on = texelFetch (MASK, int (p.row0 + r)).x != 0u && target < p.V;
  if (!on)
    {
      for (uint v = 0; v < VN; v++)
        dlogits[base + v] = VT (0.0);
      losses[p.row0 + r] = 0.0;
      return;
    }
  for (uint v = 0; v < VN; v++)
    {
      VT x = LOAD (base + v);
      float mn = max (m, MAX4 (x));
      s = s * exp (m - mn) + SUM (exp (x - mn));
      m = mn;
    }
  lse = m + log (s);
#if VEC4
  losses[p.row0 + r] = lse - texelFetch (LOGITS, int (base + target / 4u))[target % 4u];
#else
  losses[p.row0 + r] = lse - texelFetch (LOGITS, int (base + target)).x;
#endif
  g = p.scale;
  for (uint v = 0; v < VN; v++)
    {
#if VEC4
      VT onehot = VT (equal (uvec4 (4u * v) + uvec4 (0u, 1u, 2u, 3u), uvec4 (target)));
#else
      VT onehot = VT (v == target);
#endif
      dlogits[base + v] = g * (exp (LOAD (base + v) - lse) - onehot);
    }
#else
  float sum = 0.0;

  if (gl_GlobalInvocationID.x != 0u)
    return;
  for (uint t = 0; t < p.rows; t++)
    sum += texelFetch (LOSSES, int (t)).x;
  loss[0] = p.scale * sum;
#endif
}
