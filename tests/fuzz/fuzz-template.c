/* fuzz-template.c — libFuzzer target for the chat-template parser and renderer.
 *
 * Each input is a Jinja template, rendered against a fixed conversation (with a system
 * message, unicode, an empty reply and a tool call) so that the evaluator, the filters
 * and the guards against runaway templates are exercised, not just the parser. Any
 * crash, leak or sanitizer report is a bug; syntax and render errors are expected.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "text/hone-template.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *conversation =
  "{\"messages\": ["
  " {\"role\": \"system\", \"content\": \"Be brief. /no_think\"},"
  " {\"role\": \"user\", \"content\": \"Grüß dich 🎉 {{ x }}\"},"
  " {\"role\": \"assistant\", \"content\": \"<think>hm</think>\\n\\nHallo!\"},"
  " {\"role\": \"user\", \"content\": \"\"},"
  " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"abcdefghi\","
  "   \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": {\"a\": 1.5}}}]}],"
  " \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {}}}]}";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static JsonNode *conv = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autofree char *source = NULL;
  g_autofree char *out = NULL;

  if (conv == NULL)
    conv = json_from_string (conversation, NULL);
  if (size > 64 * 1024)
    return 0;
  source = g_strndup ((const char *) data, size);
  out = hone_template_render (source, conv, size % 2 == 0, "<s>", "</s>", now, &spans, &error);
  if (out != NULL)
    for (guint i = 0; i < spans->len; i++)
      {
        HoneJinjaSpan *span = &g_array_index (spans, HoneJinjaSpan, i);

        g_assert (span->start <= span->end && span->end <= strlen (out));
      }
  return 0;
}
