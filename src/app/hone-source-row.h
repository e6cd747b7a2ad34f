/* hone-source-row.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One imported chat export in the Data page's list: what it is, how much it holds,
 * who speaks in it and when, and a button to remove it (action data.remove-source).
 */
#pragma once

#include <adwaita.h>

#include "data/hone-chatlog.h"
#include "store/hone-project.h"

#include "hone-types.h"

G_BEGIN_DECLS

#define HONE_TYPE_SOURCE_ROW (hone_source_row_get_type ())

G_DECLARE_FINAL_TYPE (HoneSourceRow, hone_source_row, HONE, SOURCE_ROW, AdwExpanderRow)

GtkWidget      *hone_source_row_new                (const HoneSourceInfo *info);
gint64          hone_source_row_get_source_id      (HoneSourceRow        *self);
const char     *hone_source_row_get_file_name      (HoneSourceRow        *self);
HoneChatFormat  hone_source_row_get_format         (HoneSourceRow        *self);
guint           hone_source_row_get_n_conversations (HoneSourceRow       *self);
guint           hone_source_row_get_n_messages     (HoneSourceRow        *self);
guint           hone_source_row_get_n_participants (HoneSourceRow        *self);
/* The row's date range as shown, e.g. "2 Mar 2024 – 17 Mar 2024" or "No dates". */
const char     *hone_source_row_get_dates          (HoneSourceRow        *self);

/* The name a person knows the format by: "WhatsApp", "Help-desk CSV"… */
const char     *hone_chat_format_get_display_name  (HoneChatFormat        format);
/* "2 Mar 2024 – 17 Mar 2024" from two message times as stored (ISO 8601), either
 * of which may be NULL; "No dates" when both are. */
char           *hone_format_date_range             (const char           *first_time,
                                                    const char           *last_time);

G_END_DECLS
