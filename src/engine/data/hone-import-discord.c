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

  /* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)", 't' and 'z' too: the fraction is
   * dropped, the offset kept, Z written +00:00. */
  time = hone_import_iso_time (timestamp, HONE_ISO_TIME_LOWERCASE | HONE_ISO_TIME_FRACTION |
                                          HONE_ISO_TIME_NEEDS_OFFSET);
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
