#version 450
/* grad_norm.comp — the global gradient norm over many tensors, and clipping by it.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PASS 0, per tensor, one invocation per slice of SLICE elements: parts[part0 + i] = Σ g²
 *   over the slice (in order).
 * PASS 1, one invocation: total = Σ parts (in order); out[0] = √total;
 *   out[1] = max_norm > 0 and √total > max_norm ? max_norm / (√total + 1e-6) : 1.
 * PASS 2, per tensor, one invocation per element (VEC4: per four): g *= out[1] (the clip,
 *   on the device, so no read-back is needed).
 * PASS 0 loops SLICE times at most (VEC4: SLICE / 4), PASS 1 once per part: the wrapper
 *   refuses more than 60000 parts (lavapipe ends longer loops early).
 * Fixed orders everywhere: the same gradients give the same norm bit for bit.
 */
#include "common.glsl"

#define SLICE 4096u   /* GRAD_NORM_SLICE in hone-op-grad-norm.c */

/* VEC4 1 (PASS 0 and 2, n % 4 == 0): four elements a fetch through RGBA views. */
#if VEC4
#define VT vec4
#define LOAD(buf, idx) texelFetch (buf, int (idx))
#define SUM(v) ((v).x + (v).y + (v).z + (v).w)
#define VS 4u
#else
#define VT float
#define LOAD(buf, idx) texelFetch (buf, int (idx)).x
#define SUM(v) (v)
#define VS 1u
#endif

#if PASS == 0
layout (binding = 0) uniform samplerBuffer G;              /* (n) */
layout (binding = 1) buffer PARTS { float parts[]; };      /* (slices of all tensors) */
#elif PASS == 1
layout (binding = 0) uniform samplerBuffer PARTS;          /* (n_parts) */
layout (binding = 1) writeonly buffer OUT { float outv[]; }; /* (2): norm, scale */
#else
layout (binding = 0) uniform samplerBuffer OUT;            /* (2) */
layout (binding = 1) uniform samplerBuffer GIN;            /* (n) */
layout (binding = 2) writeonly buffer G { VT g[]; };       /* (n), the same buffer as GIN */
#endif

layout (push_constant) uniform Push
{
  uint  n;          /* PASS 0, 2: the tensor's elements; PASS 1: the number of parts */
  uint  part0;      /* PASS 0: this tensor's first part */
  float max_norm;
} p;

void
main ()
{
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
#if PASS == 0
  uint lo = i * (SLICE / VS), hi = min (lo + SLICE / VS, p.n / VS);
  VT sum = VT (0.0);

  if (lo >= p.n / VS)
    return;
  for (uint j = lo; j < hi; j++)
    {
      VT v = LOAD (G, j);
      sum += v * v;
    }
  parts[p.part0 + i] = SUM (sum);
#elif PASS == 1
  float total = 0.0, norm;

  if (i != 0u)
    return;
  for (uint j = 0u; j < p.n; j++)
    total += texelFetch (PARTS, int (j)).x;
  norm = sqrt (total);
  outv[0] = norm;
  outv[1] = p.max_norm > 0.0 && norm > p.max_norm ? p.max_norm / (norm + 1e-6) : 1.0;
#else
  if (i >= p.n / VS)
    return;
  /* Read through the texel view, write through the storage view: an SSBO
   * read-modify-write is several times slower on lavapipe. */
  g[i] = LOAD (GIN, i) * texelFetch (OUT, 1).x;
#endif
}
