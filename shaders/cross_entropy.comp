#version 450
/* cross_entropy.comp — softmax cross-entropy over the vocabulary with a loss mask, one chunk
 * of tokens at a time, and the mean of the per-token losses.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chunk of Tc rows of V logits (rows row0 … row0+Tc−1 of the batch) takes three
 * dispatches; on = mask ≠ 0 and target < V:
 * PASS 0, one invocation per (row, slice of SLICE fetches), x the row and y the slice (the
 *   lanes of a subgroup on different rows, all busy whatever the number of slices):
 *     parts[r, j] = (m, s), the slice's maximum and Σ exp(l − m) (online log-sum-exp)
 * PASS 2, one invocation per row: lse = m + log s combined over the slices in order;
 *     losses[row0 + r] = on ? lse − l[target] : 0;  rowstat[r] = (lse, on ? scale : 0)
 * PASS 3, one invocation per (slice, row) as PASS 0:
 *     dlogits[r, v] = g · (exp(l[v] − lse) − [v = target]), 0 where g = 0
 *   (one invocation per element was slower on lavapipe: 16 000 workgroups a chunk).
 * scale is 1 / (unmasked tokens in the whole batch), so the gradient is that of the mean
 * loss whatever the chunking.
 * PASS 1, one invocation: loss[0] = scale · Σ_t losses[t], summed in order (deterministic).
 * Fixed orders everywhere, no shared memory, no barriers: results do not depend on the
 * workgroup or subgroup size. No invocation loops more than SLICE times (or T times in PASS
 * 1): lavapipe (Mesa 22.3) silently ends an invocation's loops after about 65 535
 * iterations counted over all its loops, consecutive ones and both sides of a divergent
 * branch included; a one-invocation-per-row version gave wrong gradients at V = 50257.
 */
#include "common.glsl"

#define SLICE 1024u   /* CE_SLICE in hone-op-cross-entropy.c */

/* VEC4 1: V % 4 == 0, four logits per fetch. */
#if VEC4
#define VT vec4
#define LOAD(idx) texelFetch (LOGITS, int (idx))
#define MAX4(v) max (max ((v).x, (v).y), max ((v).z, (v).w))
#define SUM(v) ((v).x + (v).y + (v).z + (v).w)
#define VN (p.V / 4u)
#else
#define VT float
#define LOAD(idx) texelFetch (LOGITS, int (idx)).x
#define MAX4(v) (v)
#define SUM(v) (v)
#define VN p.V
#endif

layout (push_constant) uniform Push
{
  uint  rows;    /* PASS 0, 2, 3: Tc, the rows of this chunk; PASS 1: T */
  uint  V;
  uint  row0;    /* the chunk's first row in the batch */
  float scale;   /* 1 / unmasked tokens of the batch */
} p;

#if PASS == 0
layout (binding = 0) uniform samplerBuffer LOGITS;             /* (Tc, V) */
layout (binding = 1) uniform usamplerBuffer TARGETS;           /* (T) uint32 */
layout (binding = 2) uniform usamplerBuffer MASK;              /* (T) uint32, 0 = ignored */
layout (binding = 3) writeonly buffer PARTS { vec2 parts[]; }; /* (Tc, ⌈VN / SLICE⌉) */

void
main ()
{
  uint r = gl_GlobalInvocationID.x, j = gl_GlobalInvocationID.y;
  uint ns = (VN + SLICE - 1u) / SLICE;
  uint lo = j * SLICE, hi = min (lo + SLICE, VN), base = r * VN, target;
  float m = -3.402823466e38, s = 0.0;

  if (j >= ns || r >= p.rows)
    return;
  target = texelFetch (TARGETS, int (p.row0 + r)).x;
  if (texelFetch (MASK, int (p.row0 + r)).x == 0u || target >= p.V)
    return;
  for (uint v = lo; v < hi; v++)
    {
      VT x = LOAD (base + v);
      float mn = max (m, MAX4 (x));
      s = s * exp (m - mn) + SUM (exp (x - mn));
      m = mn;
    }
  parts[r * ns + j] = vec2 (m, s);
}

#elif PASS == 2
layout (binding = 0) uniform samplerBuffer LOGITS;             /* (Tc, V) one float a texel */
layout (binding = 1) uniform usamplerBuffer TARGETS;           /* (T) */
layout (binding = 2) uniform usamplerBuffer MASK;              /* (T) */
layout (binding = 3) uniform samplerBuffer PARTS;              /* (Tc, ns, 2) */
layout (binding = 4) writeonly buffer ROWSTAT { vec2 rowstat[]; }; /* (Tc): lse, g */
layout (binding = 5) writeonly buffer LOSSES { float losses[]; };  /* (T) */

void
main ()
{
  uint r = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  uint vn = p.V % 4u == 0u ? p.V / 4u : p.V;    /* PASS 0's fetches a row, either form */
  uint ns = (vn + SLICE - 1u) / SLICE, target;
  float m = -3.402823466e38, s = 0.0, lse;

  if (r >= p.rows)
    return;
  target = texelFetch (TARGETS, int (p.row0 + r)).x;
  if (texelFetch (MASK, int (p.row0 + r)).x == 0u || target >= p.V)
    {
      rowstat[r] = vec2 (0.0);
      losses[p.row0 + r] = 0.0;
      return;
    }
  for (uint j = 0u; j < ns; j++)
    {
      float pm = texelFetch (PARTS, int (2u * (r * ns + j))).x;
      float ps = texelFetch (PARTS, int (2u * (r * ns + j) + 1u)).x;
      float mn = max (m, pm);
      s = s * exp (m - mn) + ps * exp (pm - mn);
      m = mn;
    }
  lse = m + log (s);
  rowstat[r] = vec2 (lse, p.scale);
  losses[p.row0 + r] = lse - texelFetch (LOGITS, int (r * p.V + target)).x;
}

#elif PASS == 3
layout (binding = 0) uniform samplerBuffer LOGITS;             /* (Tc, V) */
layout (binding = 1) uniform usamplerBuffer TARGETS;           /* (T) */
layout (binding = 2) uniform samplerBuffer ROWSTAT;            /* (Tc, 2) */
layout (binding = 3) writeonly buffer DLOGITS { VT dlogits[]; }; /* (Tc, V) */

void
main ()
{
  uint ns = (VN + SLICE - 1u) / SLICE;
  /* the slices in the reverse order of PASS 0's, so the first ones read are the last it
   * left in the caches */
  uint r = gl_GlobalInvocationID.x, j = ns - 1u - min (gl_GlobalInvocationID.y, ns - 1u);
  uint lo = j * SLICE, hi = min (lo + SLICE, VN), base = r * VN, target;
  float lse, g;

  if (gl_GlobalInvocationID.y >= ns || r >= p.rows)
    return;
  lse = texelFetch (ROWSTAT, int (2u * r)).x;
  g = texelFetch (ROWSTAT, int (2u * r + 1u)).x;
  if (g == 0.0)
    {
      for (uint v = lo; v < hi; v++)
        dlogits[base + v] = VT (0.0);
      return;
    }
  target = texelFetch (TARGETS, int (p.row0 + r)).x;
  for (uint v = lo; v < hi; v++)
    {
#if VEC4
      VT onehot = VT (equal (uvec4 (4u * v) + uvec4 (0u, 1u, 2u, 3u), uvec4 (target)));
#else
      VT onehot = VT (v == target);
#endif
      dlogits[base + v] = g * (exp (LOAD (base + v) - lse) - onehot);
    }
}

#else
layout (binding = 0) uniform samplerBuffer LOSSES;             /* (T) */
layout (binding = 1) writeonly buffer LOSS { float loss[]; };  /* (1) */

void
main ()
{
  float sum = 0.0;

  if (gl_GlobalInvocationID.x != 0u)
    return;
  for (uint t = 0; t < p.rows; t++)
    sum += texelFetch (LOSSES, int (t)).x;
  loss[0] = p.scale * sum;
}
#endif
