/* hone-chat-bot-dialog.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "New Bot…": a name, a base model (a GGUF file or a Hugging Face folder) and, if the
 * person wants, an adapter (a GGUF adapter file or a PEFT folder). Its responses are
 * "cancel" and "add"; "add" is enabled once a name and a model are given.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HONE_TYPE_CHAT_BOT_DIALOG (hone_chat_bot_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HoneChatBotDialog, hone_chat_bot_dialog, HONE, CHAT_BOT_DIALOG,
                      AdwMessageDialog)

HoneChatBotDialog *hone_chat_bot_dialog_new              (GtkWindow         *parent,
                                                          const char        *model_path);
char              *hone_chat_bot_dialog_dup_name         (HoneChatBotDialog *self);
const char        *hone_chat_bot_dialog_get_model_path   (HoneChatBotDialog *self);
void               hone_chat_bot_dialog_set_model_path   (HoneChatBotDialog *self,
                                                          const char        *path);
/* NULL: the base model alone. */
const char        *hone_chat_bot_dialog_get_adapter_path (HoneChatBotDialog *self);
void               hone_chat_bot_dialog_set_adapter_path (HoneChatBotDialog *self,
                                                          const char        *path);

typedef void (*HoneChatPathFunc) (GObject    *target,
                                  const char *path);

/* Opens a file chooser for a model or adapter (@folder: a folder, else a file); when the
 * person picks one and @target still exists, calls @func with its local path. */
void               hone_chat_choose_path                 (GtkWindow         *parent,
                                                          const char        *title,
                                                          gboolean           folder,
                                                          GObject           *target,
                                                          HoneChatPathFunc   func);
/* A name for a bot made from @path: the file name without ".gguf", or the folder name. */
char              *hone_chat_name_from_path              (const char        *path);

G_END_DECLS
