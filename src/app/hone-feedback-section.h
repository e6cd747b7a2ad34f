/* hone-feedback-section.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The feedback people gave in the Chat page, on the Data page: each rated or corrected
 * answer with the question before it, its thumbs up or down and the better answer the
 * person wrote, which one click adds to the training data. The list is read off the main
 * thread when the section is shown and after every change.
 */
#pragma once

#include <adwaita.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_FEEDBACK_SECTION (hone_feedback_section_get_type ())

G_DECLARE_FINAL_TYPE (HoneFeedbackSection, hone_feedback_section, HONE, FEEDBACK_SECTION, AdwBin)

GtkWidget  *hone_feedback_section_new             (void);
void        hone_feedback_section_set_project_dir (HoneFeedbackSection *self,
                                                   const char          *project_dir);
/* Reads the feedback again; a reload asked for while one runs follows it. */
void        hone_feedback_section_reload          (HoneFeedbackSection *self);
/* Adds the correction of feedback @feedback_id to the training data, as its button
 * does; "data-changed" follows. */
void        hone_feedback_section_add_to_data     (HoneFeedbackSection *self,
                                                   gint64               feedback_id);
/* How many rated or corrected answers the list shows. */
guint       hone_feedback_section_get_n_items     (HoneFeedbackSection *self);
/* Whether a reading or an addition is under way. */
gboolean    hone_feedback_section_get_busy        (HoneFeedbackSection *self);
/* The counts line ("12 rated answers: 9 good, 3 bad; 4 corrections, 2 added"). */
const char *hone_feedback_section_get_summary     (HoneFeedbackSection *self);

G_END_DECLS
