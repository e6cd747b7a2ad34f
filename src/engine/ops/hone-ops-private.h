/* hone-ops-private.h — what the op wrappers share.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hone-ops.h"

G_BEGIN_DECLS

/* Splits @n_groups workgroups over x and y (x ≤ 65535, the least every device allows);
 * shaders rebuild the flat index as gid.x + gid.y · numGroups.x · localSize.x. */
static inline void
hone_ops_grid (guint64  n_groups,
               guint32 *gx,
               guint32 *gy)
{
  if (n_groups <= 65535)
    {
      *gx = (guint32) MAX (n_groups, 1);
      *gy = 1;
    }
  else
    {
      *gx = 65535;
      *gy = (guint32) ((n_groups + 65534) / 65535);
    }
}

static inline guint
hone_ops_workgroup (const HoneOpConfig *config,
                    guint               fallback)
{
  return config != NULL && config->workgroup_size > 0 ? config->workgroup_size : fallback;
}

/* Checks that @buffer holds at least @bytes; sets an error naming @what otherwise. */
gboolean hone_ops_check_size (HoneGpuBuffer *buffer,
                              gsize          bytes,
                              const char    *what,
                              GError       **error);

G_END_DECLS
