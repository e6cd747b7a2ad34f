/* hone-conversation-browser.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cleaned conversations, one list row each (made only for the rows on screen), and
 * a viewer of the chosen one in which a message can be corrected, left out or given to
 * the other side, and the conversation given topics (tags) by hand; with several chosen
 * (Ctrl or Shift and a click), topics for all of them at once. Edits are written on a
 * worker thread; "edited" tells the page to build the view again.
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
/* Chooses the conversation at @position alone (GTK_INVALID_LIST_POSITION: none). */
void     hone_conversation_browser_select          (HoneConversationBrowser *self,
                                                    guint                    position);
/* Chooses the one at @position too, as Ctrl and a click do. */
void     hone_conversation_browser_select_more     (HoneConversationBrowser *self,
                                                    guint                    position);
/* How many conversations are chosen. */
guint    hone_conversation_browser_get_n_chosen    (HoneConversationBrowser *self);
/* The conversation the viewer shows (the one chosen alone), or NULL. */
const HoneDatasetConversation *
         hone_conversation_browser_get_selected    (HoneConversationBrowser *self);
/* What the viewer's buttons do: @text NULL keeps it, @role NONE keeps it. */
void     hone_conversation_browser_edit_message    (HoneConversationBrowser *self,
                                                    gint64                   message_id,
                                                    const char              *text,
                                                    HoneRole                 role,
                                                    gboolean                 deleted);
/* Gives the chosen conversations the topic @tag (made when new), or takes it off, as
 * the topic toggles and "New Topic…" do. A topic given by hand applies to every part
 * the chat was split into. */
void     hone_conversation_browser_tag             (HoneConversationBrowser *self,
                                                    const char              *tag,
                                                    gboolean                 add);
/* Reverts the project's newest recorded change, as the toast's Undo does. */
void     hone_conversation_browser_undo            (HoneConversationBrowser *self);
gboolean hone_conversation_browser_get_busy        (HoneConversationBrowser *self);

G_END_DECLS
