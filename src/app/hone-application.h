/* hone-application.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_APPLICATION (hone_application_get_type ())

G_DECLARE_FINAL_TYPE (HoneApplication, hone_application, HONE, APPLICATION, AdwApplication)

HoneApplication *hone_application_new            (void);
/* Shows the project in @folder: in the window that already shows it, else in
 * @preferred when it has no project, else in a new window. */
void             hone_application_open_project   (HoneApplication *self,
                                                  GFile           *folder,
                                                  HoneWindow      *preferred);
/* Makes a new project in @folder (created when missing) and shows it. */
void             hone_application_create_project (HoneApplication *self,
                                                  GFile           *folder,
                                                  HoneWindow      *preferred);

G_END_DECLS
