/* hone-model-private.h — what hone-model.c (both forms, GGUF) and hone-model-hf.c
 * (Hugging Face folders) share.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hone-model.h"

G_BEGIN_DECLS

struct _HoneModel
{
  char             *path;
  char             *name;
  HoneModelInfo     info;
  HoneGguf         *gguf;
  GPtrArray        *shards;      /* (element-type HoneSafetensors) */
  HoneModelTensor  *tensors;
  guint             n_tensors;
  GHashTable       *index;       /* name → HoneModelTensor * */
  GPtrArray        *owned;       /* tensor names and permuted copies */
  char             *chat_template;
  gboolean          info_only;   /* no permuted copies: the tensors are for listing */
};

/* The parameter count and quantization of @info from @n tensors, read through callbacks. */
void         hone_model_info_from_tensors      (HoneModelInfo     *info,
                                                guint              n,
                                                const char      *(*name_of) (gpointer, guint),
                                                guint64          (*elements_of) (gpointer, guint,
                                                                                 guint *,
                                                                                 HoneGgmlType *),
                                                gpointer           data);
/* Checks that @info adds up; the error names @name. */
gboolean     hone_model_check_info             (HoneModelInfo     *info,
                                                const char        *name,
                                                GError           **error);
void         hone_model_add_eos_id             (HoneModelInfo     *info,
                                                gint32             id);
gboolean     hone_model_rope_scaling_from_name (const char        *kind,
                                                const char        *file,
                                                HoneRopeScaling   *scaling,
                                                GError           **error);
/* Fills @model (path set) from its folder. */
gboolean     hone_model_open_hf                (HoneModel         *model,
                                                GError           **error);

G_END_DECLS
