/* hone-gpu-test.h — what the GPU tests share: a validated device, random data, comparison.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "gpu/hone-gpu.h"
#include "ops/hone-ops.h"

G_BEGIN_DECLS

/* The device the tests of this process share, with the validation layer on. NULL when
 * there is no Vulkan device: the caller skips with g_test_skip (hone_gpu_test_skip_reason). */
HoneGpuDevice *hone_gpu_test_device       (void);
const char    *hone_gpu_test_skip_reason  (void);
/* Fails the current test if the validation layer said anything since the last call. */
void           hone_gpu_test_check_validation (void);
/* Frees the shared device; call at the end of main (after g_test_run). */
void           hone_gpu_test_close        (void);

/* Uniform random floats in [lo, hi), rounded to f32, as doubles too. */
float         *hone_gpu_test_random       (GRand  *rand,
                                           gsize   n,
                                           double  lo,
                                           double  hi);
double        *hone_gpu_test_to_double    (const float *x,
                                           gsize        n);
HoneGpuBuffer *hone_gpu_test_upload       (const void *data,
                                           gsize       bytes);
float         *hone_gpu_test_download     (HoneGpuBuffer *buffer,
                                           gsize          n);
/* IEEE half conversions, round to nearest even. */
guint16        hone_gpu_test_float_to_half (float   f);
float          hone_gpu_test_half_to_float (guint16 h);
/* Asserts |got − ref| ≤ atol + rtol·|ref| everywhere; prints the first mismatches. */
void           hone_gpu_test_compare      (const char   *what,
                                           const float  *got,
                                           const double *ref,
                                           gsize         n,
                                           double        atol,
                                           double        rtol);

G_END_DECLS
