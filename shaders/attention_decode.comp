#version 450
/* attention_decode.comp — decode attention: one query token against a KV cache, with
 * grouped-query heads.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One invocation per query head h (KV head h / (H / Hkv)) walks the S cached positions
 * once with an online softmax (running max m, sum l, and the weighted V sum in registers):
 *   s_j = scale · q·k_j;  out[h] = Σ_j exp(s_j − m) v_j / Σ_j exp(s_j − m)
 * and saves lse[h] = m + log l. The cache holds exactly the positions the query may see
 * (a causal decode step sees all of them). D % 4 == 0, D ≤ 4·MAX_D4. No shared memory and
 * no barriers (lavapipe.md); a GPU variant would split S across a workgroup
 * (flash-decoding).
 */
#include "common.glsl"

#define MAX_D4 64          /* head dimension up to 256 */

/* D / 4 as a specialization constant: the loops over the head dimension get a constant
 * trip count and are unrolled, so the loop over positions is the only loop. Lavapipe
 * (Mesa 22.3) silently cuts an outermost loop short after roughly 65 535 iterations
 * counted with every loop nested in it (measured: a loop over S with two loops over D/4
 * inside stopped after about 65 535 / (2·D/4 + 1) positions). */
layout (constant_id = 3) const uint D4 = 16u;

layout (binding = 0) uniform samplerBuffer Q;     /* (H, D), vec4 texels */
layout (binding = 1) uniform samplerBuffer K;     /* (S, Hkv, D), vec4 texels */
layout (binding = 2) uniform samplerBuffer V;     /* (S, Hkv, D), vec4 texels */
layout (binding = 3) writeonly buffer OUT { vec4 outv[]; };   /* (H, D) */
layout (binding = 4) writeonly buffer LSE { float lse[]; };   /* (H) */

layout (push_constant) uniform Push
{
  uint  H, Hkv, D, S;
  float scale;
} p;

void
main ()
{
  uint h = gl_GlobalInvocationID.x;
  const uint d4 = D4;
  uint kvh, stride;
  vec4 acc[MAX_D4];
  float m = -3.402823466e38, l = 0.0;

  if (h >= p.H)
    return;
  kvh = h / (p.H / p.Hkv);
  stride = p.Hkv * d4;
  for (uint i = 0u; i < d4; i++)
    acc[i] = vec4 (0.0);
  for (uint j = 0u; j < p.S; j++)
    {
      uint kb = j * stride + kvh * d4;
      vec4 dot4 = vec4 (0.0);
      float s, mn, corr, w;

      for (uint i = 0u; i < d4; i++)
        dot4 += texelFetch (Q, int (h * d4 + i)) * texelFetch (K, int (kb + i));
      s = p.scale * (dot4.x + dot4.y + dot4.z + dot4.w);
      mn = max (m, s);
      corr = exp (m - mn);
      w = exp (s - mn);
      l = l * corr + w;
      for (uint i = 0u; i < d4; i++)
        acc[i] = acc[i] * corr + w * texelFetch (V, int (kb + i));
      m = mn;
    }
  for (uint i = 0u; i < d4; i++)
    outv[h * d4 + i] = p.S > 0u ? acc[i] / l : vec4 (0.0);
  lse[h] = p.S > 0u ? m + log (l) : -3.402823466e38;
}
