/* hone-welcome-page.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a window shows while no project is open: what Hone does, how to start, and
 * the projects opened lately.
 */
#pragma once

#include <adwaita.h>

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_WELCOME_PAGE (hone_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (HoneWelcomePage, hone_welcome_page, HONE, WELCOME_PAGE, AdwBin)

/* How many recent projects are listed (those whose folder is gone included). */
guint hone_welcome_page_get_n_recent (HoneWelcomePage *self);

G_END_DECLS
