/* hone-template.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chat templates: a conversation rendered through a model's Jinja template (or a
 * built-in one for base models that ship none), with the byte ranges of the output
 * that are the assistant's replies, so training can learn only those.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hone-jinja.h"
#include "hone-tokenizer.h"

G_BEGIN_DECLS

/* Renders @conversation — {"messages": [{"role", "content"}…], …} whose other members
 * (tools, documents…) become template variables too, or a bare array of messages —
 * through the Jinja @source, with add_generation_prompt, bos_token and eos_token set
 * (NULL: left undefined). @assistant_spans, if not NULL, receives the HoneJinjaSpan
 * ranges of the output that came from assistant messages' content. @now fixes
 * strftime_now() (NULL: the current time). */
char        *hone_template_render      (const char   *source,
                                        JsonNode     *conversation,
                                        gboolean      add_generation_prompt,
                                        const char   *bos_token,
                                        const char   *eos_token,
                                        GDateTime    *now,
                                        GArray      **assistant_spans,
                                        GError      **error);

/* The Jinja source of a built-in template: "chatml", "llama3", "mistral", "gemma",
 * "phi3"; NULL for an unknown name. */
const char  *hone_template_builtin     (const char   *name);

/* The built-in template that fits a vocabulary, judged from which special tokens it
 * has (@has_token answers for one token text); NULL when none fits. */
const char  *hone_template_guess      (gboolean    (*has_token) (const char *token,
                                                                  gpointer    user_data),
                                        gpointer      user_data);

/* What a model says about its chat template: read from a .gguf (tokenizer.chat_template,
 * the bos/eos tokens' text from tokenizer.ggml.tokens) or a Hugging Face folder
 * (tokenizer_config.json's chat_template, bos_token, eos_token, or chat_template.jinja).
 * A model without a template gets the built-in one its vocabulary fits (is_builtin);
 * with none fitting, source is NULL (the caller must be given a template). */
typedef struct
{
  char     *source;      /* NULL when the model has none and no built-in one fits */
  char     *bos_token;   /* NULL when the model has none */
  char     *eos_token;
  gboolean  is_builtin;
} HoneChatTemplate;

HoneChatTemplate *hone_chat_template_load  (const char        *model_path,
                                            GError           **error);
void              hone_chat_template_free  (HoneChatTemplate  *self);

/* Token ids of @text (the rendered conversation; special tokens written in it become
 * tokens) and a mask (guint8, 1 = learn) marking the tokens that overlap
 * @assistant_spans plus the control token right after each span (the end of turn). */
gboolean          hone_template_mask       (HoneTokenizer     *tokenizer,
                                            const char        *text,
                                            GArray            *assistant_spans,
                                            GArray           **ids,
                                            GArray           **mask,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatTemplate, hone_chat_template_free)

G_END_DECLS
