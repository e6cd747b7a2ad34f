/* hone-app-test-util.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the UI tests: the application they drive, waiting on the main
 * loop, screenshots and the test data; with those of the engine tests (hone-test-util.h)
 * for temporary folders.
 */

#pragma once

#include <gtk/gtk.h>

#include "hone-application.h"
#include "hone-test-util.h"

G_BEGIN_DECLS

#define HONE_TEST_WAIT_TIMEOUT_MS 30000

typedef gboolean (*HoneTestCondition) (gpointer data);

HoneApplication *hone_test_app_new          (int                *argc,
                                             char             ***argv);
void             hone_test_app_free         (HoneApplication    *app);
void             hone_test_wait_ms          (guint               ms);
gboolean         hone_test_wait_for         (HoneTestCondition   condition,
                                             gpointer            data,
                                             guint               timeout_ms);
void             hone_test_wait_for_frames  (GtkWidget          *widget);
void             hone_test_save_screenshot  (GtkWidget          *widget,
                                             const char         *name);
gpointer         hone_test_template_child   (gpointer            widget,
                                             GType               type,
                                             const char         *name);
char            *hone_test_testdata_path    (const char         *name);

G_END_DECLS
