/* hone-import-messenger.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Facebook Messenger JSON (README section 9): one thread from its message_N.json files,
 * each {"participants", "messages", "title", ...} listing its messages newest first,
 * with every UTF-8 byte written as its own \u00XX escape (mojibake).
 */
#define G_LOG_DOMAIN "hone-import-messenger"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

static const char *media_arrays[] = { "photos", "videos", "audio_files", "gifs", "files" };

typedef struct
{
  JsonObject *record;      /* borrowed from the parsed files */
  const char *file_name;   /* for messages about this record */
  gint64      timestamp_ms;
  guint       position;    /* in the reversed concatenation of all files */
} Entry;

/* Undoes Facebook's mojibake: when every character of @s is at most U+00FF, the
 * characters taken as bytes are decoded as UTF-8; @s is kept as it is when a character
 * is above U+00FF or the bytes are not valid UTF-8. */
static char *
repair (const char *s)
{
  const guchar *p = (const guchar *) s;
  gboolean above_ascii = FALSE;
  g_autofree char *bytes = NULL;
  gsize n = 0;

  /* U+0080..U+00FF are C2 80..C3 BF in UTF-8; any other lead byte is a character above
   * U+00FF. */
  for (; *p != '\0'; p++)
    {
      if (*p < 0x80)
        continue;
      if ((p[0] != 0xC2 && p[0] != 0xC3) || p[1] < 0x80 || p[1] > 0xBF)
        return g_strdup (s);
      above_ascii = TRUE;
      p++;
    }
  if (!above_ascii)
    return g_strdup (s);

  bytes = g_malloc (strlen (s) + 1);
  for (p = (const guchar *) s; *p != '\0'; p++)
    {
      if (*p < 0x80)
        {
          bytes[n++] = (char) *p;
        }
      else
        {
          bytes[n++] = (char) (((p[0] & 0x03) << 6) | (p[1] & 0x3F));
          p++;
        }
    }
  bytes[n] = '\0';

  /* A NUL byte (from U+0000) would make it invalid too. */
  if (!g_utf8_validate (bytes, n, NULL))
    return g_strdup (s);
  return g_steal_pointer (&bytes);
}

static gboolean
is_true (JsonObject *object,
         const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL
         && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

static gboolean
is_system_event (JsonObject *record)
{
  JsonNode *type = json_object_get_member (record, "type");

  if (json_object_has_member (record, "call_duration") || is_true (record, "is_unsent"))
    return TRUE;
  if (type != NULL
      && JSON_NODE_HOLDS_VALUE (type)
      && json_node_get_value_type (type) == G_TYPE_STRING)
    {
      const char *value = json_node_get_string (type);

      return strcmp (value, "Subscribe") == 0
             || strcmp (value, "Unsubscribe") == 0
             || strcmp (value, "Call") == 0;
    }
  return FALSE;
}

static gboolean
has_media (JsonObject *record)
{
  JsonNode *sticker;

  for (guint i = 0; i < G_N_ELEMENTS (media_arrays); i++)
    {
      JsonNode *node = json_object_get_member (record, media_arrays[i]);

      if (node != NULL
          && JSON_NODE_HOLDS_ARRAY (node)
          && json_array_get_length (json_node_get_array (node)) > 0)
        return TRUE;
    }

  /* "share" (a link) and "reactions" are not media. */
  sticker = json_object_get_member (record, "sticker");
  return sticker != NULL && JSON_NODE_HOLDS_OBJECT (sticker);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;

  if (ea->timestamp_ms != eb->timestamp_ms)
    return ea->timestamp_ms < eb->timestamp_ms ? -1 : 1;
  /* Stable: equal times keep their place in the reversed list. */
  return ea->position < eb->position ? -1 : ea->position > eb->position;
}

/* Milliseconds since 1970 to the second, as UTC. */
static char *
format_timestamp (gint64 timestamp_ms)
{
  gint64 seconds = timestamp_ms / 1000;

  if (timestamp_ms % 1000 < 0)
    seconds--;
  return hone_text_format_unix_utc (seconds);
}

static gboolean
read_file (GArray      *entries,
           JsonNode    *root,
           const char  *name,
           char       **title,
           GError     **error)
{
  JsonObject *object;
  JsonArray *messages = NULL;
  const char *file_title = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "should be an object with `messages`");
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!hone_json_get_array (object, "messages", TRUE, &messages, name, 0, error))
    return FALSE;

  if (*title == NULL)
    {
      JsonNode *node = json_object_get_member (object, "title");

      if (node != NULL
          && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        file_title = json_node_get_string (node);
      if (file_title != NULL)
        *title = repair (file_title);
    }

  for (guint i = 0, n = json_array_get_length (messages); i < n; i++)
    {
      JsonObject *record = hone_json_array_get_object (messages, i, "messages", name, 0, error);
      const char *sender_name = NULL;
      const char *content = NULL;
      gboolean present = FALSE;
      Entry entry = { 0, };

      if (record == NULL
          || !hone_json_get_string (record, "sender_name", TRUE, FALSE, &sender_name,
                                    name, 0, error)
          || !hone_json_get_int (record, "timestamp_ms", TRUE, &entry.timestamp_ms, &present,
                                 name, 0, error)
          || !hone_json_get_string (record, "content", FALSE, FALSE, &content, name, 0, error))
        return FALSE;

      entry.record = record;
      entry.file_name = name;
      g_array_append_val (entries, entry);
    }
  return TRUE;
}

gboolean
hone_read_messenger (HoneChatlog        *log,
                     JsonNode          **files,
                     const char *const  *names,
                     guint               n_files,
                     GError            **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autofree char *title = NULL;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (files != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (names != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_files; i++)
    if (!read_file (entries, files[i], names[i], &title, error))
      return FALSE;

  /* The files come newest first: reverse the concatenation, then sort by time. */
  for (guint i = 0; i < entries->len; i++)
    g_array_index (entries, Entry, i).position = entries->len - 1 - i;
  g_array_sort (entries, compare_entries);

  conversation = hone_chat_conversation_new (title);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      const char *content = NULL;
      g_autofree char *time = NULL;
      g_autofree char *author = NULL;
      g_autofree char *text = NULL;

      if (is_system_event (entry->record))
        {
          conversation->n_system++;
          continue;
        }

      time = format_timestamp (entry->timestamp_ms);
      if (time == NULL)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, entry->file_name, 0,
                                 "`timestamp_ms` %" G_GINT64_FORMAT " is out of range",
                                 entry->timestamp_ms);
          return FALSE;
        }

      author = repair (json_object_get_string_member (entry->record, "sender_name"));
      if (json_object_has_member (entry->record, "content"))
        content = json_object_get_string_member (entry->record, "content");
      text = repair (content != NULL ? content : "");

      hone_chat_conversation_add (conversation, author, time, text, has_media (entry->record));
    }

  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}
