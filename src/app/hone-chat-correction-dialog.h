/* hone-chat-correction-dialog.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Correct this answer…": the person writes the answer they wanted. Its responses are
 * "cancel", "save" (keep the correction with the chat) and "add" (keep it and add the
 * corrected exchange to the training data); the caller acts on them.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HONE_TYPE_CHAT_CORRECTION_DIALOG (hone_chat_correction_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HoneChatCorrectionDialog, hone_chat_correction_dialog,
                      HONE, CHAT_CORRECTION_DIALOG, AdwMessageDialog)

/* Starts from @text: the earlier correction, or else the answer itself. */
HoneChatCorrectionDialog *hone_chat_correction_dialog_new      (GtkWindow                *parent,
                                                                const char               *text);
/* What the person wrote, without surrounding white space. */
char                     *hone_chat_correction_dialog_dup_text (HoneChatCorrectionDialog *self);
void                      hone_chat_correction_dialog_set_text (HoneChatCorrectionDialog *self,
                                                                const char               *text);

G_END_DECLS
