/* hone-chat-settings.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The side panel of the Chat page: the system prompt and the sampling settings, each a
 * row with a one-line explanation, starting from the engine's defaults
 * (hone_generate_params_init ()). A conversation keeps its own settings as JSON text
 * (hone-chat-store.h), which this widget reads and writes.
 */
#pragma once

#include <adwaita.h>

#include "infer/hone-generate.h"

G_BEGIN_DECLS

#define HONE_TYPE_CHAT_SETTINGS (hone_chat_settings_get_type ())

G_DECLARE_FINAL_TYPE (HoneChatSettings, hone_chat_settings, HONE, CHAT_SETTINGS, AdwBin)

HoneChatSettings *hone_chat_settings_new               (void);
/* The settings as generation parameters. A seed of 0 in the panel means "a new one for
 * every answer": @params then gets a random seed. */
void              hone_chat_settings_get_params        (HoneChatSettings   *self,
                                                        HoneGenerateParams *params);
char             *hone_chat_settings_dup_system_prompt (HoneChatSettings   *self);
void              hone_chat_settings_set_system_prompt (HoneChatSettings   *self,
                                                        const char         *prompt);
/* {"temperature", "top_p", "top_k", "max_tokens", "repeat_penalty", "seed"}: only the
 * values that differ from the defaults. */
char             *hone_chat_settings_dup_json           (HoneChatSettings   *self);
/* Values missing from @json (or all, for NULL or text that is not a JSON object) go back
 * to their defaults. Emits no "changed". */
void              hone_chat_settings_load_json         (HoneChatSettings   *self,
                                                        const char         *json);
/* Puts every sampling setting back to its default (the system prompt stays). */
void              hone_chat_settings_reset             (HoneChatSettings   *self);

G_END_DECLS
