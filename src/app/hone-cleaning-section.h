/* hone-cleaning-section.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cleaning and privacy settings of the project's dataset: one row per step with a
 * plain explanation and what it removes, rebuilt on a worker thread a moment after each
 * change (the previous build is cancelled), a preview of the personal data it hides,
 * and Apply, which stores the settings with an Undo toast.
 */
#pragma once

#include <adwaita.h>

#include "data/hone-dataset.h"

#include "hone-types.h"

G_BEGIN_DECLS

/* A built view and its statistics, shared read-only by the widgets that show them
 * (the browser, the statistics); reference counted, freed with the last reference. */
typedef struct
{
  HoneDatasetView  *view;
  HoneDatasetStats *stats;
  GPtrArray        *tags;   /* (element-type HoneTagInfo) with their caps */
} HoneViewSnapshot;

HoneViewSnapshot *hone_view_snapshot_ref   (HoneViewSnapshot *snapshot);
void              hone_view_snapshot_unref (HoneViewSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneViewSnapshot, hone_view_snapshot_unref)

/* Pango markup of @text with the placeholders at @spans (HoneScrubSpan, may be NULL)
 * highlighted in @colour ("#rrggbb"). */
char *hone_scrubbed_markup (const char   *text,
                            const GArray *spans,
                            const char   *colour);
/* The theme's accent colour as "#rrggbb", for markup. */
char *hone_accent_colour   (GtkWidget    *widget);

#define HONE_TYPE_CLEANING_SECTION (hone_cleaning_section_get_type ())

G_DECLARE_FINAL_TYPE (HoneCleaningSection, hone_cleaning_section, HONE, CLEANING_SECTION, AdwBin)

const char *hone_cleaning_section_get_project_dir (HoneCleaningSection *self);
void        hone_cleaning_section_set_project_dir (HoneCleaningSection *self,
                                                   const char          *project_dir);
/* Reads the stored settings and builds the view again. */
void        hone_cleaning_section_reload          (HoneCleaningSection *self);
/* The latest view, or NULL before the first one. */
HoneViewSnapshot *hone_cleaning_section_get_snapshot (HoneCleaningSection *self);
/* Stores a new split (part kept aside for checking, and the seed that chooses it). */
void        hone_cleaning_section_set_split       (HoneCleaningSection *self,
                                                   double               validation_fraction,
                                                   gint64               seed);
/* Reverts the newest recorded change of the project, as the toast's Undo does. */
void        hone_cleaning_section_undo            (HoneCleaningSection *self);
/* TRUE while a build, a save or an undo is pending or running. */
gboolean    hone_cleaning_section_get_busy        (HoneCleaningSection *self);
/* TRUE when the settings shown differ from the stored ones. */
gboolean    hone_cleaning_section_get_modified    (HoneCleaningSection *self);
/* Of the latest view. */
guint       hone_cleaning_section_get_n_conversations (HoneCleaningSection *self);
guint       hone_cleaning_section_get_n_messages  (HoneCleaningSection *self);
guint       hone_cleaning_section_get_n_scrubbed  (HoneCleaningSection *self);
/* The privacy preview's text, placeholders included ("" when nothing was found). */
const char *hone_cleaning_section_get_privacy_text (HoneCleaningSection *self);

G_END_DECLS
