/* common.glsl — what every Hone compute shader shares.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Specialization constants 0, 1, 2 are the workgroup size (x, y, z); a kernel's own tile
 * sizes follow from id 3. Nothing may assume a subgroup size: lavapipe has 8, NVIDIA 32,
 * AMD 32 or 64, Intel 8 to 32.
 */
#extension GL_EXT_samplerless_texture_functions : require

layout (local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
