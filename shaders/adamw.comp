#version 450
/* adamw.comp — one AdamW step (decoupled weight decay, f32 moments), in place. (n)
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   g  = grad · grad_scale            (grad_scale: gradient clipping, 1 when off)
 *   p -= lr · weight_decay · p
 *   m  = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
 *   p -= lr · (m / bc1) / (sqrt (v / bc2) + eps),  bc1 = 1 − β1^t, bc2 = 1 − β2^t
 * Four elements per invocation; the tail of the last vec4 is written element by element.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer GRAD;   /* (n) */
layout (binding = 1) buffer P { vec4 p[]; };       /* (n) */
layout (binding = 2) buffer M { vec4 m[]; };       /* (n) */
layout (binding = 3) buffer V { vec4 v[]; };       /* (n) */

layout (push_constant) uniform Push
{
  uint n;
  float lr, beta1, beta2, eps, weight_decay, bc1, bc2, grad_scale;
} pc;

void
main ()
{
  uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
           * gl_WorkGroupSize.x;
  vec4 g, pv, mv, vv;

  if (4 * i >= pc.n)
    return;
  g = texelFetch (GRAD, int (i)) * pc.grad_scale;
  pv = p[i];
  mv = pc.beta1 * m[i] + (1.0 - pc.beta1) * g;
  vv = pc.beta2 * v[i] + (1.0 - pc.beta2) * g * g;
  pv -= pc.lr * pc.weight_decay * pv;
  pv -= pc.lr * (mv / pc.bc1) / (sqrt (vv / pc.bc2) + pc.eps);
  if (4 * i + 3 < pc.n)
    {
      p[i] = pv;
      m[i] = mv;
      v[i] = vv;
    }
  else
    for (uint e = 0; 4 * i + e < pc.n; e++)
      {
        p[i][e] = pv[e];
        m[i][e] = mv[e];
        v[i][e] = vv[e];
      }
}
