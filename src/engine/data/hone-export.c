/* hone-export.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing a dataset view as OpenAI chat JSONL or ShareGPT JSON, in a form Hone's own
 * importers read back to the same conversations.
 */
#define G_LOG_DOMAIN "hone-export"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hone-dataset-private.h"

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static const char *
role_name (HoneRole         role,
           HoneExportFormat format)
{
  switch (role)
    {
    case HONE_ROLE_ASSISTANT:
      return format == HONE_EXPORT_OPENAI ? "assistant" : "gpt";
    case HONE_ROLE_SYSTEM:
      return "system";
    case HONE_ROLE_NONE:
    case HONE_ROLE_USER:
    default:
      return format == HONE_EXPORT_OPENAI ? "user" : "human";
    }
}

static void
append_conversation (GString                       *out,
                     const HoneDatasetConversation *c,
                     HoneExportFormat               format)
{
  const char *system = NULL;

  if (format == HONE_EXPORT_OPENAI)
    {
      g_string_append (out, "{\"messages\": [");
      for (guint j = 0; j < c->messages->len; j++)
        {
          const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);

          g_string_append (out, j > 0 ? ", {\"role\": \"" : "{\"role\": \"");
          g_string_append (out, role_name (m->role, format));
          g_string_append (out, "\", \"content\": ");
          append_json_string (out, m->text);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}\n");
      return;
    }

  /* ShareGPT keeps a system prompt beside the turns, and only one. */
  g_string_append (out, "  {\"conversations\": [");
  for (guint j = 0, n = 0; j < c->messages->len; j++)
    {
      const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);

      if (m->role == HONE_ROLE_SYSTEM && system == NULL && j == 0)
        {
          system = m->text;
          continue;
        }
      g_string_append (out, n++ > 0 ? ", {\"from\": \"" : "{\"from\": \"");
      g_string_append (out, role_name (m->role, format));
      g_string_append (out, "\", \"value\": ");
      append_json_string (out, m->text);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  if (system != NULL)
    {
      g_string_append (out, ", \"system\": ");
      append_json_string (out, system);
    }
  g_string_append_c (out, '}');
}

typedef struct
{
  gint64 id;
  guint  cap;
  guint  upsample;
  guint  used;
} Balance;

int
hone_dataset_export (const HoneDatasetView  *view,
                     const GPtrArray        *tags,
                     HoneExportFormat        format,
                     HoneExportSplit         which,
                     const char             *path,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_autoptr(GString) out = g_string_sized_new (1 << 20);
  g_autoptr(GArray) balance = g_array_new (FALSE, TRUE, sizeof (Balance));
  int written = 0;

  g_return_val_if_fail (view != NULL, -1);
  g_return_val_if_fail (path != NULL, -1);

  for (guint i = 0; tags != NULL && i < tags->len; i++)
    {
      const HoneTagInfo *info = g_ptr_array_index ((GPtrArray *) tags, i);
      Balance b = { info->id, info->cap, MAX (info->upsample, 1), 0 };

      if (b.cap > 0 || b.upsample > 1)
        g_array_append_val (balance, b);
    }

  if (format == HONE_EXPORT_SHAREGPT)
    g_string_append (out, "[\n");
  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      gboolean train = c->split == HONE_SPLIT_TRAIN;
      guint copies = 1;

      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      if ((which == HONE_EXPORT_TRAIN && !train) || (which == HONE_EXPORT_VALIDATION && train))
        continue;
      if (c->messages->len == 0)
        continue;
      /* Balance applies to what the model learns from: the training part. */
      if (train)
        for (guint b = 0; b < balance->len; b++)
          {
            Balance *bal = &g_array_index (balance, Balance, b);

            for (guint t = 0; t < c->tags->len; t++)
              if (g_array_index (c->tags, gint64, t) == bal->id)
                {
                  if (bal->cap > 0 && bal->used >= bal->cap)
                    copies = 0;
                  else
                    copies = MAX (copies, bal->upsample);
                  bal->used++;
                }
          }
      for (guint k = 0; k < copies; k++)
        {
          if (format == HONE_EXPORT_SHAREGPT && written > 0)
            g_string_append (out, ",\n");
          append_conversation (out, c, format);
          written++;
        }
    }
  if (format == HONE_EXPORT_SHAREGPT)
    g_string_append (out, written > 0 ? "\n]\n" : "]\n");

  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, error))
    return -1;
  return written;
}
