/* hone-stats-section.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the training set holds: counts per role, time span, personal data found, a
 * histogram of conversation lengths; topics tagged by keywords with the balance
 * report and its warning; and how the set is split between training and checking.
 */
#pragma once

#include <adwaita.h>

#include "hone-cleaning-section.h"
#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_STATS_SECTION (hone_stats_section_get_type ())

G_DECLARE_FINAL_TYPE (HoneStatsSection, hone_stats_section, HONE, STATS_SECTION, AdwBin)

void        hone_stats_section_set_project_dir (HoneStatsSection *self,
                                                const char       *project_dir);
/* Shows the statistics of @snapshot. */
void        hone_stats_section_set_snapshot    (HoneStatsSection *self,
                                                HoneViewSnapshot *snapshot);
/* Tags conversations matching @keywords ("refund|broken") with @tag, as the Tag
 * button does; "tagged" follows. */
void        hone_stats_section_tag             (HoneStatsSection *self,
                                                const char       *tag,
                                                const char       *keywords);
/* At most @cap conversations tagged @tag in the training part (0: no cap). */
void        hone_stats_section_set_cap         (HoneStatsSection *self,
                                                const char       *tag,
                                                guint             cap);
gboolean    hone_stats_section_get_busy        (HoneStatsSection *self);
/* The balance warning shown now, or NULL. */
const char *hone_stats_section_get_warning     (HoneStatsSection *self);

G_END_DECLS
