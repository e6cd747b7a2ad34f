/* hone-model-discovery.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Models already on the machine: Ollama's store (manifests naming GGUF blobs), the
 * Hugging Face cache (models--ORG--NAME/snapshots/REV), LM Studio's folders, and the
 * folders listed in HONE_MODEL_PATHS (separated by ':').
 */
#pragma once

#include <glib.h>

#include "hone-model.h"

G_BEGIN_DECLS

typedef struct
{
  char          *name;     /* "llama3.2:1b", "HuggingFaceTB/SmolLM2-135M", "file.gguf" */
  const char    *source;   /* "ollama", "huggingface", "lmstudio", "folder" */
  char          *path;     /* the GGUF file or the Hugging Face folder */
  const char    *format;   /* "gguf" or "safetensors" */
  char          *error;    /* why it cannot be used, or NULL; then @info is empty */
  HoneModelInfo  info;
} HoneModelEntry;

void        hone_model_entry_free   (HoneModelEntry  *entry);

/* Every model found under @home (NULL: the user's home folder) and in
 * HONE_MODEL_PATHS, sorted by source then name. OLLAMA_MODELS and HF_HOME move those
 * stores as they do for their own tools. */
GPtrArray  *hone_model_discover     (const char      *home);

/* "135M", "1.2B" */
char       *hone_model_format_params (guint64         n_params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneModelEntry, hone_model_entry_free)

G_END_DECLS
