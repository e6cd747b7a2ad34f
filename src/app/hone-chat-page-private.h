/* hone-chat-page-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What hone-chat-page.c (the project, the transcript, streaming answers, settings) and
 * hone-chat-page-actions.c (bots, chats and feedback, as the person asks for them) share.
 */
#pragma once

#include "store/hone-chat-store.h"
#include "store/hone-project.h"

#include "hone-chat-page.h"
#include "hone-chat-settings.h"
#include "hone-message-row.h"

G_BEGIN_DECLS

#define N_LANES 2

/* One message of the person and the answers to it (two in Compare). */
typedef struct
{
  gint64          user_id;
  HoneMessageRow *user_row;
  GtkBox         *answers_box;
  HoneMessageRow *answers[N_LANES];
} Turn;

struct _HoneChatPage
{
  AdwBin            parent_instance;

  char             *project_dir;
  HoneProject      *project;          /* this thread's connection, or NULL */
  HoneWorker       *worker;           /* borrowed from the window */
  GPtrArray        *bots;             /* (element-type HoneChatBot) as the drop-downs list them */
  gint64            conversation_id;  /* 0: a new chat, not stored yet */
  gboolean          compare;
  GPtrArray        *turns;            /* (element-type Turn) in the transcript's order */
  GPtrArray        *jobs;             /* (element-type AnswerJob) answers under way */
  guint             save_id;          /* pending save of the settings */
  gboolean          loading;          /* widgets are being set from the store */
  gboolean          stick_to_bottom;

  /* Template children */
  GtkStack         *stack;
  AdwFlap          *sidebar_flap;
  AdwFlap          *settings_flap;
  HoneChatSettings *settings;
  GtkListBox       *conversation_list;
  GtkDropDown      *bot_dropdown;
  GtkStringList    *bot_names;
  GtkDropDown      *compare_dropdown;
  GtkStringList    *compare_names;
  GtkLabel         *status_label;
  GtkStack         *transcript_stack;
  GtkScrolledWindow *transcript_scroller;
  GtkBox           *transcript;
  GtkTextView      *entry_view;
  GtkLabel         *placeholder_label;
  GtkStack         *send_stack;
};

void          _hone_chat_page_class_actions_init   (GtkWidgetClass *widget_class);

void          _hone_chat_page_toast                (HoneChatPage   *self,
                                                    const char     *message);
/* A toast saying @what failed, and why. */
void          _hone_chat_page_error                (HoneChatPage   *self,
                                                    const char     *what,
                                                    const GError   *error);
GtkWindow    *_hone_chat_page_get_window           (HoneChatPage   *self);
/* The bot chosen for @lane, or NULL. */
HoneChatBot  *_hone_chat_page_selected_bot         (HoneChatPage   *self,
                                                    guint           lane);
/* Reads the bots again, keeping the choices (@select: a bot to choose in lane 0, or 0). */
void          _hone_chat_page_reload_bots          (HoneChatPage   *self,
                                                    gint64          select);
void          _hone_chat_page_reload_conversations (HoneChatPage   *self);
void          _hone_chat_page_update_actions       (HoneChatPage   *self);
Turn         *_hone_chat_page_last_turn            (HoneChatPage   *self);
gboolean      _hone_chat_page_find_row             (HoneChatPage   *self,
                                                    HoneMessageRow *row,
                                                    Turn          **turn_out,
                                                    guint          *lane_out);
/* Asks the worker for the answer of @bot in @lane of @turn, streamed into @row. */
gboolean      _hone_chat_page_start_answer         (HoneChatPage   *self,
                                                    Turn           *turn,
                                                    guint           lane,
                                                    HoneChatBot    *bot,
                                                    HoneMessageRow *row);

/* The answer rows' signals. */
void          _hone_chat_page_row_rated            (HoneChatPage   *self,
                                                    int             rating,
                                                    HoneMessageRow *row);
void          _hone_chat_page_row_regenerate       (HoneChatPage   *self,
                                                    HoneMessageRow *row);
void          _hone_chat_page_row_correct          (HoneChatPage   *self,
                                                    HoneMessageRow *row);

G_END_DECLS
