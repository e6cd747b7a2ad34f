/* hone-safetensors.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Safetensors files: u64 header length, a JSON header naming each tensor's dtype, shape
 * and byte range, then the data. The file is mapped; the header is parsed with the
 * strict JSON checker and json-glib, and every shape and offset is checked against the
 * data section before a tensor is listed, so a crafted file gives an error naming it.
 */
#pragma once

#include <glib.h>

#include "hone-ggml.h"

G_BEGIN_DECLS

#define HONE_SAFETENSORS_MAX_DIMS 8

typedef struct _HoneSafetensors HoneSafetensors;

typedef struct
{
  const char   *name;
  const char   *dtype;      /* as in the file: "F32", "BF16", "I64"… */
  gboolean      supported;  /* @type is valid: F32, F16, BF16, F64, I8, I16, I32, I64 */
  HoneGgmlType  type;
  guint         n_dims;
  guint64       shape[HONE_SAFETENSORS_MAX_DIMS];  /* row-major: shape[0] is outermost */
  guint64       n_elements;
  gsize         size;       /* bytes */
  const void   *data;       /* into the mapping */
} HoneSafetensor;

HoneSafetensors       *hone_safetensors_open          (const char        *path,
                                                       GError           **error);
HoneSafetensors       *hone_safetensors_open_bytes    (const char        *name,
                                                       GBytes            *bytes,
                                                       GError           **error);
void                   hone_safetensors_free          (HoneSafetensors   *st);

const char            *hone_safetensors_get_name      (HoneSafetensors   *st);
/* Tensors sorted by name. */
guint                  hone_safetensors_get_n_tensors (HoneSafetensors   *st);
const HoneSafetensor  *hone_safetensors_get_tensor    (HoneSafetensors   *st,
                                                       guint              index);
const HoneSafetensor  *hone_safetensors_find_tensor   (HoneSafetensors   *st,
                                                       const char        *name);
/* A string from the header's "__metadata__", or NULL. */
const char            *hone_safetensors_get_metadata  (HoneSafetensors   *st,
                                                       const char        *key);

/* Writes @n tensors (names, dtypes "F32"/"F16"/"BF16", row-major shapes, bytes) as one
 * file, atomically. */
typedef struct
{
  const char    *name;
  const char    *dtype;
  guint          n_dims;
  const guint64 *shape;
  GBytes        *data;
} HoneSafetensorsEntry;

gboolean               hone_safetensors_write         (const char                 *path,
                                                       const HoneSafetensorsEntry *entries,
                                                       guint                       n,
                                                       GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneSafetensors, hone_safetensors_free)

G_END_DECLS
