/* hone-import-discord.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DiscordChatExporter JSON (README section 7): one channel per file,
 * {"guild", "channel", "dateRange", "exportedAt", "messages", "messageCount"}.
 */
#define G_LOG_DOMAIN "hone-import-discord"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

static gboolean
node_holds_string (JsonNode *node)
{
  return node != NULL
         && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *
get_string (JsonObject *object,
            const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node_holds_string (node) ? json_node_get_string (node) : NULL;
}

static gboolean
parse_digits (const char *s,
              guint       n,
              int        *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      value = value * 10 + (s[i] - '0');
    }
  *out = value;
  return TRUE;
}

/* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)": the fraction is dropped, the offset
 * kept, Z written +00:00. NULL when @timestamp is not such a time. */
static char *
parse_timestamp (const char *timestamp)
{
  int year, month, day, hour, minute, second;
  int offset_hours, offset_minutes, sign;
  const char *p = timestamp;

  if (strlen (p) < 20
      || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't')
      || p[13] != ':' || p[16] != ':')
    return NULL;
  if (!parse_digits (p, 4, &year)
      || !parse_digits (p + 5, 2, &month)
      || !parse_digits (p + 8, 2, &day)
      || !parse_digits (p + 11, 2, &hour)
      || !parse_digits (p + 14, 2, &minute)
      || !parse_digits (p + 17, 2, &second))
    return NULL;
  p += 19;

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0')
    return hone_text_format_time (year, month, day, hour, minute, second, TRUE, 0);

  if (p[0] != '+' && p[0] != '-')
    return NULL;
  sign = p[0] == '-' ? -1 : 1;
  if (!parse_digits (p + 1, 2, &offset_hours))
    return NULL;
  p += 3;
  if (*p == ':')
    p++;
  if (!parse_digits (p, 2, &offset_minutes) || p[2] != '\0' || offset_minutes > 59)
    return NULL;

  return hone_text_format_time (year, month, day, hour, minute, second, TRUE,
                                sign * (offset_hours * 60 + offset_minutes));
}

static gboolean
array_is_empty (JsonArray *array)
{
  return array == NULL || json_array_get_length (array) == 0;
}

static gboolean
read_record (HoneChatConversation *conversation,
             JsonObject           *record,
             const char           *name,
             GError              **error)
{
  const char *type = NULL;
  const char *timestamp = NULL;
  const char *author_name = NULL;
  const char *content = NULL;
  JsonObject *author = NULL;
  JsonArray *attachments = NULL;
  JsonArray *stickers = NULL;
  const char *nickname;
  g_autofree char *time = NULL;

  /* The shape is checked for every record, system events included. */
  if (!hone_json_get_string (record, "type", TRUE, FALSE, &type, name, 0, error)
      || !hone_json_get_string (record, "timestamp", TRUE, FALSE, &timestamp, name, 0, error))
    return FALSE;

  time = parse_timestamp (timestamp);
  if (time == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "`timestamp` should be a time with an offset, like "
                             "2024-02-03T19:04:11.482+01:00");
      return FALSE;
    }

  if (!hone_json_get_object (record, "author", TRUE, &author, name, 0, error))
    return FALSE;
  author_name = get_string (author, "name");
  if (author_name == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "`author` should be an object with a string `name`");
      return FALSE;
    }

  if (!hone_json_get_string (record, "content", TRUE, FALSE, &content, name, 0, error)
      || !hone_json_get_array (record, "attachments", FALSE, &attachments, name, 0, error)
      || !hone_json_get_array (record, "stickers", FALSE, &stickers, name, 0, error))
    return FALSE;

  if (strcmp (type, "Default") != 0 && strcmp (type, "Reply") != 0)
    {
      conversation->n_system++;
      return TRUE;
    }

  nickname = get_string (author, "nickname");
  if (nickname != NULL && nickname[0] != '\0')
    author_name = nickname;

  /* Embeds (link previews) are not media. */
  hone_chat_conversation_add (conversation, author_name, time, content,
                              !array_is_empty (attachments) || !array_is_empty (stickers));
  return TRUE;
}

gboolean
hone_read_discord (HoneChatlog  *log,
                   const char   *name,
                   JsonNode     *root,
                   GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  JsonObject *object;
  JsonArray *messages = NULL;
  JsonNode *channel;
  const char *title = NULL;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "should be an object with `messages`");
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!hone_json_get_array (object, "messages", TRUE, &messages, name, 0, error))
    return FALSE;

  channel = json_object_get_member (object, "channel");
  if (channel != NULL && JSON_NODE_HOLDS_OBJECT (channel))
    title = get_string (json_node_get_object (channel), "name");
  conversation = hone_chat_conversation_new (title);

  for (guint i = 0, n = json_array_get_length (messages); i < n; i++)
    {
      JsonObject *record = hone_json_array_get_object (messages, i, "messages", name, 0, error);

      if (record == NULL || !read_record (conversation, record, name, error))
        return FALSE;
    }

  /* Nothing is added to @log before every record has been read. */
  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}
