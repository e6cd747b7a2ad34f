/* hone-scrub.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding personal data in a message and replacing it with placeholders ([EMAIL],
 * [PHONE], [CARD], [IBAN], [URL], [ADDRESS], [NAME]). Scrubbing is a view: the store
 * keeps the original text, and the dataset applies the scrubber when it is read.
 *
 * A HoneScrubber compiles its patterns once and is immutable afterwards, so one
 * scrubber may be shared by several threads (GRegex matching is thread-safe).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HONE_SCRUB_EMAIL,
  HONE_SCRUB_PHONE,
  HONE_SCRUB_CARD,
  HONE_SCRUB_IBAN,
  HONE_SCRUB_URL,
  HONE_SCRUB_ADDRESS,
  HONE_SCRUB_NAME,
  HONE_SCRUB_N_KINDS
} HoneScrubKind;

#define HONE_SCRUB_KIND_BIT(kind)  (1u << (kind))
/* Every kind but names, which need a list of names. */
#define HONE_SCRUB_DEFAULT_KINDS   (HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME) - 1)

typedef struct
{
  HoneScrubKind kind;
  gsize         start;  /* byte offsets into the text, end exclusive */
  gsize         end;
} HoneScrubSpan;

typedef struct _HoneScrubber HoneScrubber;

/* "email", "phone", …; NULL for an invalid kind. */
const char    *hone_scrub_kind_to_string    (HoneScrubKind        kind);
/* Returns -1 for an unknown name. */
int            hone_scrub_kind_from_string  (const char          *name);
/* "[EMAIL]", "[PHONE]", … */
const char    *hone_scrub_kind_placeholder  (HoneScrubKind        kind);

/* @kinds: a mask of HONE_SCRUB_KIND_BIT (). @names: people's names to replace with
 * [NAME] when the NAME bit is set (each full name, and each of its words of two or more
 * letters that starts with a capital); names without letters, and one-word names in
 * lower case, are skipped. */
HoneScrubber  *hone_scrubber_new            (guint                kinds,
                                             const char * const  *names);
HoneScrubber  *hone_scrubber_ref            (HoneScrubber        *scrubber);
void           hone_scrubber_unref          (HoneScrubber        *scrubber);
guint          hone_scrubber_get_kinds      (HoneScrubber        *scrubber);

/* The personal data in @text (valid UTF-8), as a sorted array of non-overlapping
 * HoneScrubSpan. */
GArray        *hone_scrubber_find           (HoneScrubber        *scrubber,
                                             const char          *text);
/* @text with each span found replaced by its placeholder, everything else unchanged.
 * @counts (may be NULL) gets the number of spans of each kind added to it. Returns
 * NULL when nothing was found, so callers can keep the original without a copy. */
char          *hone_scrubber_apply          (HoneScrubber        *scrubber,
                                             const char          *text,
                                             guint                counts[HONE_SCRUB_N_KINDS]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneScrubber, hone_scrubber_unref)

G_END_DECLS
