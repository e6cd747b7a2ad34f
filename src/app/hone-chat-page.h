/* hone-chat-page.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Chat page: bots (a model, plus an adapter if chosen) kept in the project, the
 * project's chats in a sidebar, a transcript whose answers stream in from the engine
 * worker, the system prompt and sampling settings, and Compare, where two bots answer
 * every message side by side. Answers can be rated and corrected; a correction can go
 * into the training data. Everything is kept in the project's chat store.
 */
#pragma once

#include <adwaita.h>

#include "worker/hone-worker.h"

#include "hone-chat-correction-dialog.h"
#include "hone-message-row.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHAT_PAGE (hone_chat_page_get_type ())

G_DECLARE_FINAL_TYPE (HoneChatPage, hone_chat_page, HONE, CHAT_PAGE, AdwBin)

/* The project (NULL: none) and the worker that answers (the window's, borrowed: call
 * this with NULL before freeing it). Stops answers under way. */
void                      hone_chat_page_set_project          (HoneChatPage   *self,
                                                               const char     *project_dir,
                                                               HoneWorker     *worker);
const char               *hone_chat_page_get_project_dir      (HoneChatPage   *self);

/* Keeps a new bot in the project and, once it is stored, makes it the one that answers
 * (a failure is shown in a toast). The store is written on the page's store thread, never
 * on this one: hone_chat_page_get_busy () says when the page waits for it. */
void                      hone_chat_page_add_bot              (HoneChatPage   *self,
                                                               const char     *name,
                                                               const char     *model_path,
                                                               const char     *adapter_path);
/* Which bot answers in @lane (0, or 1 on the right in Compare). */
void                      hone_chat_page_select_bot           (HoneChatPage   *self,
                                                               guint           lane,
                                                               gint64          bot_id);
/* The id of the bot chosen in @lane, or 0. */
gint64                    hone_chat_page_get_bot_id           (HoneChatPage   *self,
                                                               guint           lane);
/* TRUE while reads or writes of the chat store the page asked for are not back yet. */
gboolean                  hone_chat_page_get_busy             (HoneChatPage   *self);
/* What the warm-up of the chosen bots is doing ("Loading the model…"), or what went
 * wrong, or NULL when nothing is shown. */
const char               *hone_chat_page_get_warmup_status    (HoneChatPage   *self);
gboolean                  hone_chat_page_get_compare          (HoneChatPage   *self);
void                      hone_chat_page_set_compare          (HoneChatPage   *self,
                                                               gboolean        compare);

/* Opens the chat @conversation_id (its messages come from the store thread), or an empty
 * new one for 0. */
void                      hone_chat_page_open_conversation    (HoneChatPage   *self,
                                                               gint64          conversation_id);
/* The chat shown, 0 while it is new and empty. */
gint64                    hone_chat_page_get_conversation_id  (HoneChatPage   *self);

/* Sends @text as the person's message: it shows at once, is stored on the store thread,
 * then answered by the worker (after a warm-up under way). FALSE (and nothing sent) while
 * an answer is under way or a chat is being opened, without a bot, or for empty text. */
gboolean                  hone_chat_page_send                 (HoneChatPage   *self,
                                                               const char     *text);
void                      hone_chat_page_stop                 (HoneChatPage   *self);
gboolean                  hone_chat_page_get_generating       (HoneChatPage   *self);
/* The newest answer in @lane, or NULL. */
HoneMessageRow           *hone_chat_page_get_last_answer      (HoneChatPage   *self,
                                                               guint           lane);
/* Opens "Correct this answer…" for @answer and returns the dialog (owned by GTK). */
HoneChatCorrectionDialog *hone_chat_page_correct              (HoneChatPage   *self,
                                                               HoneMessageRow *answer);

G_END_DECLS
