/* hone-chat-page-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What hone-chat-page.c (the store thread, the transcript, streaming answers, warm-ups,
 * settings) and hone-chat-page-actions.c (bots, chats and feedback, as the person asks for
 * them) share.
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
  gint64          user_id;            /* 0 until the store has it */
  HoneMessageRow *user_row;
  GtkBox         *answers_box;
  HoneMessageRow *answers[N_LANES];
  gint64          bot_ids[N_LANES];   /* the bot that gave each answer */
} Turn;

typedef struct _StoreQueue StoreQueue;

/* One answer: asked for (its row shows it coming) from the moment the person asks, and
 * given to the worker once the store returned the turns it answers (job_id ≠ 0). */
typedef struct
{
  GWeakRef            page;
  HoneMessageRow     *row;
  guint               lane;
  guint64             job_id;          /* 0: not given to the worker yet */
  gboolean            stop_requested;  /* stopped before it was given to the worker */
  gint64              bot_id;
  char               *model_path;
  char               *adapter_path;
  HoneGenerateParams  params;
} AnswerJob;

struct _HoneChatPage
{
  AdwBin            parent_instance;

  char             *project_dir;
  StoreQueue       *store;            /* the store thread of the project, or NULL */
  guint             store_generation; /* changes with the project: older results are dropped */
  guint             n_store_pending;  /* store operations not yet back */
  HoneWorker       *worker;           /* borrowed from the window */
  GPtrArray        *bots;             /* (element-type HoneChatBot) as the drop-downs list them */
  gint64            conversation_id;  /* 0: a new chat, not stored yet */
  guint             open_serial;      /* the conversation being opened (see opening) */
  gboolean          opening;          /* its messages are being read */
  GHashTable       *corrections;      /* message id (gint64 *) → the person's correction */
  gboolean          compare;
  GPtrArray        *turns;            /* (element-type Turn) in the transcript's order */
  GPtrArray        *jobs;             /* (element-type AnswerJob) answers under way */
  GPtrArray        *warmups;          /* (element-type WarmupJob) warm-ups under way */
  GHashTable       *warmed;           /* "model\nadapter" of the bots warmed on this worker */
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
  GtkRevealer      *warmup_revealer;
  GtkSpinner       *warmup_spinner;
  GtkLabel         *warmup_label;
};

/* Runs on the page's store thread, with that thread's connection to the project. FALSE
 * with @error when it failed. */
typedef gboolean (*HoneChatStoreFunc) (HoneProject   *project,
                                       gpointer       data,
                                       GError       **error);
/* Back on the main context, in the order the operations were queued. @self is NULL when
 * the page went away or changed project meanwhile: then only @data is to be freed. */
typedef void     (*HoneChatStoreDone) (HoneChatPage  *self,
                                       gpointer       data,
                                       const GError  *error);

void          _hone_chat_page_class_actions_init   (GtkWidgetClass *widget_class);

/* Queues @func on the store thread (one at a time, in order); @done (nullable) follows on
 * the main context, then @data_free (@data). Without a project, @done gets an error. */
void          _hone_chat_page_store                (HoneChatPage      *self,
                                                    HoneChatStoreFunc  func,
                                                    HoneChatStoreDone  done,
                                                    gpointer           data,
                                                    GDestroyNotify     data_free);

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
HoneChatBot  *_hone_chat_page_find_bot             (HoneChatPage   *self,
                                                    gint64          bot_id);
/* Shows @bots (transfer full) in the drop-downs, keeping the choices (@select: a bot to
 * choose in lane 0, or 0). */
void          _hone_chat_page_set_bots             (HoneChatPage   *self,
                                                    GPtrArray      *bots,
                                                    gint64          select);
/* Reads the bots again (on the store thread), keeping the choices. */
void          _hone_chat_page_reload_bots          (HoneChatPage   *self);
/* Shows @threads (element-type HoneChatThread) in the sidebar. */
void          _hone_chat_page_set_conversations    (HoneChatPage   *self,
                                                    GPtrArray      *threads);
void          _hone_chat_page_reload_conversations (HoneChatPage   *self);
/* The sidebar's title of the chat @conversation_id, or NULL. */
const char   *_hone_chat_page_conversation_title   (HoneChatPage   *self,
                                                    gint64          conversation_id);
void          _hone_chat_page_update_actions       (HoneChatPage   *self);
Turn         *_hone_chat_page_last_turn            (HoneChatPage   *self);
gboolean      _hone_chat_page_find_row             (HoneChatPage   *self,
                                                    HoneMessageRow *row,
                                                    Turn          **turn_out,
                                                    guint          *lane_out);
/* Starts the answer of @bot in @lane of @turn into @row: the row shows it coming, the
 * page is generating. The job is given to the worker by _hone_chat_page_submit_answer. */
AnswerJob    *_hone_chat_page_begin_answer         (HoneChatPage   *self,
                                                    Turn           *turn,
                                                    guint           lane,
                                                    HoneChatBot    *bot,
                                                    HoneMessageRow *row);
/* Gives @job to the worker with the turns it answers (@messages), or, when the page went
 * away (@self NULL), the job was dropped or stopped, or @messages is NULL, ends it with
 * @note (NULL: "Stopped before it began.", when stopped). */
void          _hone_chat_page_submit_answer        (HoneChatPage   *self,
                                                    AnswerJob      *job,
                                                    JsonNode       *messages,
                                                    gint64          conversation_id,
                                                    gint64          reply_to,
                                                    const char     *note);
/* Readies the chosen bots on the worker when the page is shown (see hone_worker_warmup). */
void          _hone_chat_page_warm_up              (HoneChatPage   *self);

/* The answer rows' signals. */
void          _hone_chat_page_row_rated            (HoneChatPage   *self,
                                                    int             rating,
                                                    HoneMessageRow *row);
void          _hone_chat_page_row_regenerate       (HoneChatPage   *self,
                                                    HoneMessageRow *row);
void          _hone_chat_page_row_correct          (HoneChatPage   *self,
                                                    HoneMessageRow *row);

G_END_DECLS
