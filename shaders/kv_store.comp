#version 450
/* kv_store.comp — writes rows of f32 keys or values into an f16 KV cache.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src is (n, row) f32; the cache is (S, row) halves seen as 32-bit words, and rows
 * pos0 … pos0 + n − 1 receive src rounded to nearest even. One invocation per pair of
 * halves (row is even, so a pair never straddles two rows). The rounding is done here
 * with integer operations: packHalf2x16 leaves the rounding mode to the implementation,
 * and a cache written by one device must read back the same on another.
 */
#include "common.glsl"

layout (binding = 0) uniform samplerBuffer SRC;            /* (n, row) */
layout (binding = 1) writeonly buffer CACHE { uint words[]; };   /* rows of (S, row / 2) */

layout (push_constant) uniform Push
{
  uint n_pairs;       /* n · row / 2 */
  uint first_pair;    /* where pair pos0 · row / 2 lies in the bound range */
} p;

/* IEEE binary16 bits of @f, rounded to nearest, ties to even; overflow gives infinity. */
uint
half_bits (float f)
{
  uint x = floatBitsToUint (f);
  uint sign = (x >> 16) & 0x8000u;
  uint ax = x & 0x7fffffffu;

  if (ax > 0x7f800000u)                /* NaN stays a (quiet) NaN */
    return sign | 0x7e00u;
  if (ax >= 0x47800000u)               /* ≥ 65536, or infinity */
    return sign | 0x7c00u;
  if (ax >= 0x38800000u)               /* a normal half: rebias, round 13 bits away */
    {
      uint hb = (ax >> 13) - (112u << 10);
      uint rem = ax & 0x1fffu;

      /* a carry out of the mantissa bumps the exponent, up to infinity: still right */
      if (rem > 0x1000u || (rem == 0x1000u && (hb & 1u) != 0u))
        hb++;
      return sign | hb;
    }
  {
    /* a subnormal half counts units of 2^−24: mant · 2^(e − 126) of them */
    uint e = ax >> 23;
    uint mant, shift, hb, rem, half_unit;

    if (e < 102u)                      /* below 2^−25: rounds to zero */
      return sign;
    mant = (ax & 0x7fffffu) | 0x800000u;
    shift = 126u - e;                  /* 14 … 24 */
    hb = mant >> shift;
    rem = mant & ((1u << shift) - 1u);
    half_unit = 1u << (shift - 1u);
    if (rem > half_unit || (rem == half_unit && (hb & 1u) != 0u))
      hb++;
    return sign | hb;
  }
}

void
main ()
{
  uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x
            * gl_WorkGroupSize.x;

  if (id >= p.n_pairs)
    return;
  words[p.first_pair + id] = half_bits (texelFetch (SRC, int (2u * id)).x)
                             | (half_bits (texelFetch (SRC, int (2u * id + 1u)).x) << 16);
}
