/* hone-conversation-browser.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cleaned conversations, one list row each (made only for the rows on screen), and
 * a viewer of the chosen one in which a message can be corrected, left out or given to
 * the other side. Edits are written on a worker thread; "edited" tells the page to
 * build the view again.
 */
#pragma once

#include <adwaita.h>

#include "data/hone-dataset.h"

#include "hone-cleaning-section.h"
#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_CONVERSATION_BROWSER (hone_conversation_browser_get_type ())

G_DECLARE_FINAL_TYPE (HoneConversationBrowser, hone_conversation_browser, HONE,
                      CONVERSATION_BROWSER, AdwBin)

void     hone_conversation_browser_set_project_dir (HoneConversationBrowser *self,
                                                    const char              *project_dir);
/* Shows the conversations of @snapshot; the chosen one stays chosen where it can. */
void     hone_conversation_browser_set_snapshot    (HoneConversationBrowser *self,
                                                    HoneViewSnapshot        *snapshot);
guint    hone_conversation_browser_get_n_conversations (HoneConversationBrowser *self);
void     hone_conversation_browser_select          (HoneConversationBrowser *self,
                                                    guint                    position);
/* The conversation the viewer shows, or NULL. */
const HoneDatasetConversation *
         hone_conversation_browser_get_selected    (HoneConversationBrowser *self);
/* What the viewer's buttons do: @text NULL keeps it, @role NONE keeps it. */
void     hone_conversation_browser_edit_message    (HoneConversationBrowser *self,
                                                    gint64                   message_id,
                                                    const char              *text,
                                                    HoneRole                 role,
                                                    gboolean                 deleted);
gboolean hone_conversation_browser_get_busy        (HoneConversationBrowser *self);

G_END_DECLS
