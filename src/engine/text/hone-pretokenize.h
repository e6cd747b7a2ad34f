/* hone-pretokenize.h — splitting text into words before BPE, by a list of regexes.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each regex refines the pieces the previous one left: a piece is cut into its matches
 * and the gaps between them, and both are kept (llama.cpp's unicode_regex_split). The
 * regexes run on GRegex (PCRE2 with Unicode properties and look-ahead); a look-ahead
 * never sees past the end of the piece it runs on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HonePretokenizer HonePretokenizer;

/* A piece of the input: byte offset and length. */
typedef struct
{
  guint32 offset;
  guint32 len;
} HoneSpan;

/* The regexes of a llama.cpp preset (tokenizer.ggml.pre), NULL-terminated and static,
 * or NULL for an unknown name. */
const char * const *hone_pretokenizer_preset_regexes (const char *preset);
/* Every known preset name, NULL-terminated. */
const char * const *hone_pretokenizer_preset_names   (void);

HonePretokenizer *hone_pretokenizer_new   (const char * const *regexes,
                                           GError            **error);
void              hone_pretokenizer_free  (HonePretokenizer   *pretokenizer);
/* Appends the words of @text (valid UTF-8) to @spans (HoneSpan), offsets relative to
 * @text. With no regexes the whole text is one word. */
void              hone_pretokenizer_split (HonePretokenizer   *pretokenizer,
                                           const char         *text,
                                           gsize               len,
                                           GArray             *spans);

guint             hone_pretokenizer_get_n_regexes (HonePretokenizer *pretokenizer);
/* Runs only the regexes [@first, @first + @n) (clamped); the pieces they leave are the
 * same as the full split's at that stage, as each regex works on pieces alone. */
void              hone_pretokenizer_split_range (HonePretokenizer *pretokenizer,
                                                 guint             first,
                                                 guint             n,
                                                 const char       *text,
                                                 gsize             len,
                                                 GArray           *spans);
/* The regexes from @first to the last. */
void              hone_pretokenizer_split_from  (HonePretokenizer *pretokenizer,
                                                 guint             first,
                                                 const char       *text,
                                                 gsize             len,
                                                 GArray           *spans);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HonePretokenizer, hone_pretokenizer_free)

G_END_DECLS
