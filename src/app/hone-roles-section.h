/* hone-roles-section.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who is the bot: every speaker of the project with how much they wrote and Hone's
 * guess, a choice between "user" and "bot" for each, and for someone who wrote in
 * several chats a choice per chat ("same as everywhere", or another part there only);
 * and one conversation shown as the bot will learn from it, from the chat last changed.
 * The project is read on worker threads, each with its own connection; the widget keeps
 * only the folder's path.
 */
#pragma once

#include <adwaita.h>

#include "data/hone-dataset.h"

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_ROLES_SECTION (hone_roles_section_get_type ())

G_DECLARE_FINAL_TYPE (HoneRolesSection, hone_roles_section, HONE, ROLES_SECTION, AdwBin)

const char *hone_roles_section_get_project_dir (HoneRolesSection *self);
void        hone_roles_section_set_project_dir (HoneRolesSection *self,
                                                const char       *project_dir);
/* Reads the speakers again (after an import). */
void        hone_roles_section_reload          (HoneRolesSection *self);
/* TRUE while a read or a change is under way. */
gboolean    hone_roles_section_get_busy        (HoneRolesSection *self);
guint       hone_roles_section_get_n_speakers  (HoneRolesSection *self);
/* Makes @speaker the bot's voice (@is_bot) or a user, project-wide, as the buttons do. */
void        hone_roles_section_set_role        (HoneRolesSection *self,
                                                const char       *speaker,
                                                gboolean          is_bot);
/* Gives @speaker another part in the source @source_id only (USER or ASSISTANT), or
 * the same part as everywhere again (NONE), as the choices in their row do. */
void        hone_roles_section_set_source_role (HoneRolesSection *self,
                                                const char       *speaker,
                                                gint64            source_id,
                                                HoneRole          role);

/* Reverts the project's newest recorded change, as the toast's Undo does. */
void        hone_roles_section_undo            (HoneRolesSection *self);

G_END_DECLS
