#version 450
/* attention_train.comp — causal attention over a packed batch, grouped-query heads,
 * forward and backward, with an online softmax: no (T, T) buffer anywhere.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * q (T, Hq, D); k, v (T, Hkv, D); head h reads KV head h / G, G = Hq / Hkv. seq_start (T)
 * holds the index of the first token of each token's sequence (sequences are contiguous),
 * so query i sees the keys j with seq_start[i] ≤ j ≤ i. s_ij = scale · q_i·k_j.
 *
 *   PASS 0 (forward), one invocation per (i, h): walks its keys once with a running max m,
 *     sum l and the weighted V sum in registers; o = Σ exp(s − m) v / l, lse = m + log l.
 *   PASS 1 (dq), one invocation per (i, h): delta_i = do_i·o_i (saved for pass 2), then
 *     over the same keys, recomputing p_ij = exp(s_ij − lse_i) from the saved lse:
 *     dq_i = scale · Σ_j p_ij (do_i·v_j − delta_i) k_j.
 *   PASS 2 (dk, dv), one invocation per (j, kv head): over the queries i ≥ j of j's
 *     sequence and the G query heads of the group, dv_j = Σ p_ij do_i,
 *     dk_j = scale · Σ p_ij (do_i·v_j − delta_i) q_i. Each output has one writer: no
 *     atomics, the same sums in the same order on every run.
 *
 * D4 = D / 4 and G are specialization constants, so the loops over the head dimension and
 * the group are unrolled and the loop over positions is the only loop: lavapipe (Mesa 22.3)
 * cuts an outermost loop short after about 65 535 iterations counting nested loops, so
 * T ≤ 65535 (the wrapper refuses more). Texel-buffer reads, SSBO writes, no shared memory
 * (lavapipe.md).
 */
#include "common.glsl"

#define MAX_D4 64          /* head dimension up to 256 */

layout (constant_id = 3) const uint D4 = 16u;
layout (constant_id = 4) const uint G = 1u;

layout (push_constant) uniform Push
{
  uint  T, Hq, Hkv;
  float scale;
} p;

#if PASS == 0
layout (binding = 0) uniform samplerBuffer Q;          /* (T, Hq, D) vec4 */
layout (binding = 1) uniform samplerBuffer K;          /* (T, Hkv, D) vec4 */
layout (binding = 2) uniform samplerBuffer V;          /* (T, Hkv, D) vec4 */
layout (binding = 3) uniform usamplerBuffer SEQ;       /* (T) */
layout (binding = 4) writeonly buffer OUT { vec4 outv[]; };   /* (T, Hq, D) */
layout (binding = 5) writeonly buffer LSE { float lse[]; };   /* (T, Hq) */

void
main ()
{
  uint idx = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
             * gl_WorkGroupSize.x;
  const uint d4 = D4;
  vec4 qr[MAX_D4], acc[MAX_D4];
  float m = -3.402823466e38, l = 0.0;
  uint i, h, kvh, stride, j0;

  if (idx >= p.T * p.Hq)
    return;
  i = idx / p.Hq;
  h = idx % p.Hq;
  kvh = h / G;
  stride = p.Hkv * d4;
  j0 = texelFetch (SEQ, int (i)).x;
  for (uint c = 0u; c < d4; c++)
    {
      qr[c] = texelFetch (Q, int (idx * d4 + c));
      acc[c] = vec4 (0.0);
    }
  for (uint j = j0; j <= i; j++)
    {
      uint kb = j * stride + kvh * d4;
      vec4 dot4 = vec4 (0.0);
      float s, mn, corr, w;

      for (uint c = 0u; c < d4; c++)
        dot4 += qr[c] * texelFetch (K, int (kb + c));
      s = p.scale * (dot4.x + dot4.y + dot4.z + dot4.w);
      mn = max (m, s);
      corr = exp (m - mn);
      w = exp (s - mn);
      l = l * corr + w;
      for (uint c = 0u; c < d4; c++)
        acc[c] = acc[c] * corr + w * texelFetch (V, int (kb + c));
      m = mn;
    }
  for (uint c = 0u; c < d4; c++)
    outv[idx * d4 + c] = acc[c] / l;
  lse[idx] = m + log (l);
}

#elif PASS == 1
layout (binding = 0) uniform samplerBuffer Q;          /* (T, Hq, D) vec4 */
layout (binding = 1) uniform samplerBuffer K;          /* (T, Hkv, D) vec4 */
layout (binding = 2) uniform samplerBuffer V;          /* (T, Hkv, D) vec4 */
layout (binding = 3) uniform samplerBuffer O;          /* (T, Hq, D) vec4 */
layout (binding = 4) uniform samplerBuffer DO;         /* (T, Hq, D) vec4 */
layout (binding = 5) uniform samplerBuffer LSE;        /* (T, Hq) */
layout (binding = 6) uniform usamplerBuffer SEQ;       /* (T) */
layout (binding = 7) writeonly buffer DQ { vec4 dq[]; };        /* (T, Hq, D) */
layout (binding = 8) writeonly buffer DELTA { float delta[]; }; /* (T, Hq) */

void
main ()
{
  uint idx = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
             * gl_WorkGroupSize.x;
  const uint d4 = D4;
  vec4 qr[MAX_D4], dor[MAX_D4], acc[MAX_D4];
  vec4 dd = vec4 (0.0);
  float lse, dl;
  uint i, h, kvh, stride, j0;

  if (idx >= p.T * p.Hq)
    return;
  i = idx / p.Hq;
  h = idx % p.Hq;
  kvh = h / G;
  stride = p.Hkv * d4;
  j0 = texelFetch (SEQ, int (i)).x;
  lse = texelFetch (LSE, int (idx)).x;
  for (uint c = 0u; c < d4; c++)
    {
      qr[c] = texelFetch (Q, int (idx * d4 + c));
      dor[c] = texelFetch (DO, int (idx * d4 + c));
      dd += dor[c] * texelFetch (O, int (idx * d4 + c));
      acc[c] = vec4 (0.0);
    }
  dl = dd.x + dd.y + dd.z + dd.w;
  for (uint j = j0; j <= i; j++)
    {
      uint kb = j * stride + kvh * d4;
      vec4 qk = vec4 (0.0), dv = vec4 (0.0);
      float pr, ds;

      for (uint c = 0u; c < d4; c++)
        {
          qk += qr[c] * texelFetch (K, int (kb + c));
          dv += dor[c] * texelFetch (V, int (kb + c));
        }
      pr = exp (p.scale * (qk.x + qk.y + qk.z + qk.w) - lse);
      ds = pr * ((dv.x + dv.y + dv.z + dv.w) - dl);
      for (uint c = 0u; c < d4; c++)
        acc[c] += ds * texelFetch (K, int (kb + c));
    }
  for (uint c = 0u; c < d4; c++)
    dq[idx * d4 + c] = p.scale * acc[c];
  delta[idx] = dl;
}

#else
layout (binding = 0) uniform samplerBuffer Q;          /* (T, Hq, D) vec4 */
layout (binding = 1) uniform samplerBuffer K;          /* (T, Hkv, D) vec4 */
layout (binding = 2) uniform samplerBuffer V;          /* (T, Hkv, D) vec4 */
layout (binding = 3) uniform samplerBuffer DO;         /* (T, Hq, D) vec4 */
layout (binding = 4) uniform samplerBuffer LSE;        /* (T, Hq) */
layout (binding = 5) uniform samplerBuffer DELTA;      /* (T, Hq) */
layout (binding = 6) uniform usamplerBuffer SEQ;       /* (T) */
layout (binding = 7) writeonly buffer DK { vec4 dk[]; };   /* (T, Hkv, D) */
layout (binding = 8) writeonly buffer DV { vec4 dv[]; };   /* (T, Hkv, D) */

void
main ()
{
  uint idx = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
             * gl_WorkGroupSize.x;
  const uint d4 = D4;
  vec4 kr[MAX_D4], vr[MAX_D4], dka[MAX_D4], dva[MAX_D4];
  uint j, kvh, j0;

  if (idx >= p.T * p.Hkv)
    return;
  j = idx / p.Hkv;
  kvh = idx % p.Hkv;
  j0 = texelFetch (SEQ, int (j)).x;
  for (uint c = 0u; c < d4; c++)
    {
      kr[c] = texelFetch (K, int (idx * d4 + c));
      vr[c] = texelFetch (V, int (idx * d4 + c));
      dka[c] = vec4 (0.0);
      dva[c] = vec4 (0.0);
    }
  /* The queries of j's sequence from j on: a later sequence starts after j. */
  for (uint i = j; i < p.T; i++)
    {
      if (texelFetch (SEQ, int (i)).x != j0)
        break;
      for (uint g = 0u; g < G; g++)
        {
          uint qi = i * p.Hq + kvh * G + g;
          vec4 qk = vec4 (0.0), dpv = vec4 (0.0);
          float pr, ds;

          for (uint c = 0u; c < d4; c++)
            {
              qk += texelFetch (Q, int (qi * d4 + c)) * kr[c];
              dpv += texelFetch (DO, int (qi * d4 + c)) * vr[c];
            }
          pr = exp (p.scale * (qk.x + qk.y + qk.z + qk.w) - texelFetch (LSE, int (qi)).x);
          ds = pr * ((dpv.x + dpv.y + dpv.z + dpv.w) - texelFetch (DELTA, int (qi)).x);
          for (uint c = 0u; c < d4; c++)
            {
              dva[c] += pr * texelFetch (DO, int (qi * d4 + c));
              dka[c] += ds * texelFetch (Q, int (qi * d4 + c));
            }
        }
    }
  for (uint c = 0u; c < d4; c++)
    {
      dk[idx * d4 + c] = p.scale * dka[c];
      dv[idx * d4 + c] = dva[c];
    }
}
#endif
