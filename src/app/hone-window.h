/* hone-window.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_WINDOW (hone_window_get_type ())

G_DECLARE_FINAL_TYPE (HoneWindow, hone_window, HONE, WINDOW, AdwApplicationWindow)

HoneWindow *hone_window_new                (HoneApplication *application);
/* The folder of the project shown, or NULL while the welcome page is shown. */
const char *hone_window_get_project_dir    (HoneWindow      *self);
/* Both work in the background; on success the project is shown and remembered among
 * the recent projects, on failure a toast says why. */
void        hone_window_open_project       (HoneWindow      *self,
                                            GFile           *folder);
void        hone_window_create_project     (HoneWindow      *self,
                                            GFile           *folder);
void        hone_window_close_project      (HoneWindow      *self);
void        hone_window_add_toast          (HoneWindow      *self,
                                            const char      *message);

G_END_DECLS
