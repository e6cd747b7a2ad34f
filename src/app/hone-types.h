/* hone-types.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forward declarations of the application's types, so headers need not include
 * each other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HoneApplication         HoneApplication;
typedef struct _HoneChart               HoneChart;
typedef struct _HoneCleaningSection     HoneCleaningSection;
typedef struct _HoneConversationBrowser HoneConversationBrowser;
typedef struct _HoneConversationList    HoneConversationList;
typedef struct _HoneDataPage            HoneDataPage;
typedef struct _HoneImportJob           HoneImportJob;
typedef struct _HoneRolesSection        HoneRolesSection;
typedef struct _HoneSourceRow           HoneSourceRow;
typedef struct _HoneStatsSection        HoneStatsSection;
typedef struct _HoneWelcomePage         HoneWelcomePage;
typedef struct _HoneWindow              HoneWindow;

G_END_DECLS
