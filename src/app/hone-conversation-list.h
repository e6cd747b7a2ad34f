/* hone-conversation-list.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The conversations of a built view as a GListModel. Items (GtkStringObject holding
 * the title) are made only when a list asks for one, so a view of 100 000 messages
 * costs no object per conversation; the rows read the rest from the view by position.
 */
#pragma once

#include <gio/gio.h>

#include "hone-cleaning-section.h"

G_BEGIN_DECLS

#define HONE_TYPE_CONVERSATION_LIST (hone_conversation_list_get_type ())

G_DECLARE_FINAL_TYPE (HoneConversationList, hone_conversation_list, HONE, CONVERSATION_LIST,
                      GObject)

HoneConversationList          *hone_conversation_list_new              (void);
/* Replaces the conversations (NULL: none), emitting one items-changed. */
void                           hone_conversation_list_set_snapshot     (HoneConversationList *self,
                                                                        HoneViewSnapshot     *snapshot);
HoneViewSnapshot              *hone_conversation_list_get_snapshot     (HoneConversationList *self);
const HoneDatasetConversation *hone_conversation_list_get_conversation (HoneConversationList *self,
                                                                        guint                 position);

G_END_DECLS
