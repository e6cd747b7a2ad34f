/* hone-chat-store.h — the Chat page's records: bots, chat conversations and their
 * messages, ratings and corrections.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bot is a base model plus, optionally, a LoRA adapter, under a name the person gives.
 * A chat conversation (HoneChatThread, to keep it apart from the imported
 * HoneChatConversation) talks to one bot, or to two side by side: then every user message
 * gets two assistant answers, lane 0 from bot_id and lane 1 from compare_bot_id, both
 * pointing at the user message with reply_to. Ratings and corrections are rows of the
 * feedback table; a correction can be added to the project's data, where it trains the
 * next run like any imported chat.
 *
 * Every function takes the connection of the calling thread (one HoneProject per thread)
 * and writes in one transaction. Ids are > 0; 0 means "none" / failure.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "store/hone-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *name;
  char   *model_path;
  char   *adapter_path;   /* NULL: the base model alone */
  gint64  run_id;         /* the run whose adapter this is, or 0 */
  char   *created_at;     /* ISO 8601 UTC */
} HoneChatBot;

typedef struct
{
  gint64  id;
  gint64  bot_id;          /* 0: the bot was deleted */
  gint64  compare_bot_id;  /* 0: not a side by side comparison */
  char   *title;
  char   *system_prompt;
  char   *settings;        /* sampling settings, JSON object text ("{}": defaults) */
  char   *created_at;
  char   *updated_at;      /* the last message or change */
  guint   n_messages;
} HoneChatThread;

typedef enum
{
  HONE_CHAT_STATUS_COMPLETE,
  HONE_CHAT_STATUS_STOPPED,   /* the person stopped the answer */
  HONE_CHAT_STATUS_ERROR,     /* generation failed after some text */
} HoneChatStatus;

typedef struct
{
  gint64          id;
  gint64          conversation_id;
  char           *role;         /* "system", "user" or "assistant" */
  char           *content;
  gint64          bot_id;       /* the bot that answered (assistant), else 0 */
  gint64          reply_to;     /* the user message an answer answers, else 0 */
  guint           lane;         /* 0, or 1 for the second bot of a comparison */
  char           *stats;        /* generation stats, JSON object text ("{}": none) */
  HoneChatStatus  status;
  char           *created_at;
  /* The message's feedback, if any. */
  gint64          feedback_id;  /* 0: none */
  gint            rating;       /* −1, 0 (none) or 1 */
  char           *correction;   /* NULL: none */
} HoneChatEntry;

typedef struct
{
  gint64  id;
  gint64  message_id;       /* chat_messages.id, 0 when that message was deleted */
  gint64  bot_id;           /* 0: unknown or deleted */
  char   *bot_name;         /* NULL when bot_id is 0 */
  char   *context;          /* the turns before the answer: JSON [{"role", "text"}] */
  char   *answer;           /* the answer as the bot gave it */
  gint    rating;           /* −1, 0 (none) or 1 */
  char   *correction;       /* NULL: none */
  gint64  conversation_id;  /* conversations.id where the correction was added to the
                             * data, 0: not added */
  char   *created_at;
} HoneFeedback;

const char     *hone_chat_status_to_string       (HoneChatStatus status);
gboolean        hone_chat_status_from_string     (const char     *text,
                                                  HoneChatStatus *status);

/* ---- bots --------------------------------------------------------------------------- */

gint64          hone_chat_store_add_bot          (HoneProject   *project,
                                                  const char    *name,
                                                  const char    *model_path,
                                                  const char    *adapter_path,
                                                  gint64         run_id,
                                                  GError       **error);
/* (element-type HoneChatBot) in creation order. */
GPtrArray      *hone_chat_store_list_bots        (HoneProject   *project,
                                                  GError       **error);
HoneChatBot    *hone_chat_store_get_bot          (HoneProject   *project,
                                                  gint64         bot_id,
                                                  GError       **error);
gboolean        hone_chat_store_rename_bot       (HoneProject   *project,
                                                  gint64         bot_id,
                                                  const char    *name,
                                                  GError       **error);
/* Conversations and answers keep their text; their bot becomes 0. */
gboolean        hone_chat_store_delete_bot       (HoneProject   *project,
                                                  gint64         bot_id,
                                                  GError       **error);

/* ---- conversations ------------------------------------------------------------------ */

/* @compare_bot_id 0: one bot. @settings NULL: "{}". @title NULL: "". */
gint64          hone_chat_store_create_conversation (HoneProject *project,
                                                     gint64       bot_id,
                                                     gint64       compare_bot_id,
                                                     const char  *title,
                                                     const char  *system_prompt,
                                                     const char  *settings,
                                                     GError     **error);
/* (element-type HoneChatThread), the most recently updated first. */
GPtrArray      *hone_chat_store_list_conversations  (HoneProject *project,
                                                     GError     **error);
HoneChatThread *hone_chat_store_get_conversation    (HoneProject *project,
                                                     gint64       conversation_id,
                                                     GError     **error);
gboolean        hone_chat_store_rename_conversation (HoneProject *project,
                                                     gint64       conversation_id,
                                                     const char  *title,
                                                     GError     **error);
/* Changes the bots, the system prompt and the settings (JSON object text); NULL keeps
 * the system prompt or the settings as they are. */
gboolean        hone_chat_store_update_conversation (HoneProject *project,
                                                     gint64       conversation_id,
                                                     gint64       bot_id,
                                                     gint64       compare_bot_id,
                                                     const char  *system_prompt,
                                                     const char  *settings,
                                                     GError     **error);
/* Deletes it with its messages; feedback on them stays (message_id becomes 0). */
gboolean        hone_chat_store_delete_conversation (HoneProject *project,
                                                     gint64       conversation_id,
                                                     GError     **error);

/* ---- messages ----------------------------------------------------------------------- */

/* Appends a message and touches the conversation's updated_at. @stats NULL: "{}". */
gint64          hone_chat_store_append_message   (HoneProject    *project,
                                                  gint64          conversation_id,
                                                  const char     *role,
                                                  const char     *content,
                                                  gint64          bot_id,
                                                  gint64          reply_to,
                                                  guint           lane,
                                                  const char     *stats,
                                                  HoneChatStatus  status,
                                                  GError        **error);
/* Replaces content, stats (NULL: unchanged) and status (an answer that went on after a
 * stop, or was edited). */
gboolean        hone_chat_store_update_message   (HoneProject    *project,
                                                  gint64          message_id,
                                                  const char     *content,
                                                  const char     *stats,
                                                  HoneChatStatus  status,
                                                  GError        **error);
gboolean        hone_chat_store_delete_message   (HoneProject    *project,
                                                  gint64          message_id,
                                                  GError        **error);
/* (element-type HoneChatEntry) in the order they were written, with their feedback. */
GPtrArray      *hone_chat_store_list_messages    (HoneProject    *project,
                                                  gint64          conversation_id,
                                                  GError        **error);
HoneChatEntry  *hone_chat_store_get_message      (HoneProject    *project,
                                                  gint64          message_id,
                                                  GError        **error);
/* The turns a model sees before answering in @lane after the message @upto_id (0: after
 * the whole conversation): the system prompt (when not empty) then the user messages and
 * the answers of @lane, as a JSON array of {"role", "content"} ready for
 * HoneChatRequest.messages. Answers with status "error" are left out. */
JsonNode       *hone_chat_store_build_messages   (HoneProject    *project,
                                                  gint64          conversation_id,
                                                  guint           lane,
                                                  gint64          upto_id,
                                                  GError        **error);

/* ---- feedback ----------------------------------------------------------------------- */

/* Thumbs up (1), down (−1) or neither (0) for assistant message @message_id; the same
 * rating again is the caller's toggle (it passes 0). Returns the feedback id, 0 when the
 * feedback row went away (no rating and no correction) or on error (@error set). */
gint64          hone_chat_store_set_rating       (HoneProject    *project,
                                                  gint64          message_id,
                                                  gint            rating,
                                                  GError        **error);
/* Saves the person's better answer for assistant message @message_id (NULL or "":
 * removes it). Returns the feedback id as set_rating does. */
gint64          hone_chat_store_save_correction  (HoneProject    *project,
                                                  gint64          message_id,
                                                  const char     *correction,
                                                  GError        **error);
/* Adds the corrected exchange (the context turns, then the correction as the bot's turn)
 * to the project's data: a conversation of the source "Chat corrections" (format
 * "feedback", created on first use), whose speaker "User" has the user role and the bot's
 * name (speaker "Bot" when it has none) the assistant role, so the correction trains the
 * next run. Adding the same feedback again replaces its conversation. Returns the new
 * conversations.id. */
gint64          hone_chat_store_add_correction_to_data (HoneProject *project,
                                                        gint64       feedback_id,
                                                        GError     **error);
/* (element-type HoneFeedback), the newest first: for the Data page. */
GPtrArray      *hone_chat_store_list_feedback    (HoneProject    *project,
                                                  GError        **error);
HoneFeedback   *hone_chat_store_get_feedback     (HoneProject    *project,
                                                  gint64          feedback_id,
                                                  GError        **error);

void            hone_chat_bot_free               (HoneChatBot    *bot);
void            hone_chat_thread_free            (HoneChatThread *thread);
void            hone_chat_entry_free             (HoneChatEntry  *entry);
void            hone_feedback_free               (HoneFeedback   *feedback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatBot, hone_chat_bot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatThread, hone_chat_thread_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatEntry, hone_chat_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneFeedback, hone_feedback_free)

G_END_DECLS
