/* hone-message-row.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One message of the chat transcript: who said it, its text rendered as Markdown-lite
 * (selectable, wrapping) and, under an answer, Copy, Regenerate, thumbs up / down and
 * "Correct this answer…". While an answer streams in, text is appended to it and a
 * spinner shows; the buttons appear when it is done.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HONE_TYPE_MESSAGE_ROW (hone_message_row_get_type ())

G_DECLARE_FINAL_TYPE (HoneMessageRow, hone_message_row, HONE, MESSAGE_ROW, AdwBin)

/* @role: "user" or "assistant"; @sender: the name shown above the text. */
HoneMessageRow *hone_message_row_new            (const char     *role,
                                                 const char     *sender);
const char     *hone_message_row_get_role       (HoneMessageRow *self);
const char     *hone_message_row_get_text       (HoneMessageRow *self);
void            hone_message_row_set_text       (HoneMessageRow *self,
                                                 const char     *text);
void            hone_message_row_append_text    (HoneMessageRow *self,
                                                 const char     *text);
gboolean        hone_message_row_get_generating (HoneMessageRow *self);
void            hone_message_row_set_generating (HoneMessageRow *self,
                                                 gboolean        generating);
/* −1 thumbs down, 0 none, 1 thumbs up. */
int             hone_message_row_get_rating     (HoneMessageRow *self);
void            hone_message_row_set_rating     (HoneMessageRow *self,
                                                 int             rating);
/* The store's id of the message (0 while it has none). */
gint64          hone_message_row_get_message_id (HoneMessageRow *self);
void            hone_message_row_set_message_id (HoneMessageRow *self,
                                                 gint64          message_id);
/* A line under the text saying why the answer stopped short, or NULL for none. */
void            hone_message_row_set_note       (HoneMessageRow *self,
                                                 const char     *note);
const char     *hone_message_row_get_note       (HoneMessageRow *self);
/* Whether Regenerate is offered (only under the newest answer). */
void            hone_message_row_set_can_regenerate (HoneMessageRow *self,
                                                     gboolean        can_regenerate);

G_END_DECLS
