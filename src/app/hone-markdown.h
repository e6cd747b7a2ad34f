/* hone-markdown.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Markdown-lite" for chat answers: the few constructs models actually write, turned into
 * Pango markup for a GtkLabel. Lines stay lines (chat answers use single line breaks on
 * purpose); runs of blank lines become one.
 *
 *   ```lang … ```         a fenced code block, monospace; an unclosed fence (an answer
 *                         still streaming) runs to the end
 *   - item, * item, + item    a bullet "•", indented by two spaces per level
 *   1. item, 1) item     a numbered item, the number kept as written
 *   # Heading            bold (one to six '#')
 *   `code`               monospace, nothing parsed inside
 *   **bold**             bold, only when closed on the same line
 *
 * Everything else is escaped, so any input gives valid markup.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text (UTF-8, @length bytes or −1 for NUL-terminated) as Pango markup. */
char *hone_markdown_to_markup (const char *text,
                               gssize      length);

G_END_DECLS
