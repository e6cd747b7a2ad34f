/* hone-import-telegram.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Telegram Desktop JSON (README section 6): a one-chat export
 * {"name", "type", "id", "messages"} or a whole-account export whose "chats.list" holds
 * one such chat per conversation.
 */
#define G_LOG_DOMAIN "hone-import-telegram"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

#define DELETED_ACCOUNT "Deleted Account"

static gboolean
node_holds_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* The text of a record: a string, or an array of strings and {"type", "text"} objects
 * whose texts are concatenated. Absent means empty. */
static gboolean
read_text (JsonObject  *record,
           GString     *out,
           const char  *name,
           GError     **error)
{
  JsonNode *node = json_object_get_member (record, "text");
  JsonArray *parts;

  g_string_truncate (out, 0);
  if (node == NULL)
    return TRUE;

  if (node_holds_string (node))
    {
      g_string_append (out, json_node_get_string (node));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "`text` should be a string or an array");
      return FALSE;
    }

  parts = json_node_get_array (node);
  for (guint i = 0, n = json_array_get_length (parts); i < n; i++)
    {
      JsonNode *part = json_array_get_element (parts, i);

      if (node_holds_string (part))
        {
          g_string_append (out, json_node_get_string (part));
        }
      else if (JSON_NODE_HOLDS_OBJECT (part))
        {
          const char *text = NULL;

          if (!hone_json_get_string (json_node_get_object (part), "text", TRUE, FALSE,
                                     &text, name, 0, error))
            return FALSE;
          g_string_append (out, text);
        }
      else
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                                 "`text` parts should be strings or objects");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_message (HoneChatConversation *conversation,
              JsonObject           *record,
              GString              *text,
              const char           *name,
              GError              **error)
{
  const char *date = NULL;
  const char *from = NULL;
  g_autofree char *time = NULL;
  gboolean media;

  if (!hone_json_get_string (record, "date", TRUE, FALSE, &date, name, 0, error))
    return FALSE;
  /* "YYYY-MM-DDTHH:MM:SS", a time that exists; kept as written. */
  time = hone_import_iso_time (date, 0);
  if (time == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "`date` should be a time like 2024-01-15T21:41:05");
      return FALSE;
    }

  if (!hone_json_get_string (record, "from", FALSE, TRUE, &from, name, 0, error))
    return FALSE;
  if (!read_text (record, text, name, error))
    return FALSE;

  media = json_object_has_member (record, "photo") || json_object_has_member (record, "file");
  hone_chat_conversation_add (conversation, from != NULL ? from : DELETED_ACCOUNT, time,
                              text->str, media);
  return TRUE;
}

/* One chat, shaped like a one-chat export. */
static gboolean
read_chat (HoneChatlog  *out,
           JsonObject   *chat,
           const char   *name,
           GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *title = json_object_get_member (chat, "name");
  JsonArray *messages = NULL;

  if (!hone_json_get_array (chat, "messages", TRUE, &messages, name, 0, error))
    return FALSE;

  conversation = hone_chat_conversation_new (title != NULL && node_holds_string (title)
                                             ? json_node_get_string (title) : NULL);

  for (guint i = 0, n = json_array_get_length (messages); i < n; i++)
    {
      JsonObject *record = hone_json_array_get_object (messages, i, "messages", name, 0, error);
      const char *type = NULL;

      if (record == NULL)
        return FALSE;
      if (!hone_json_get_string (record, "type", TRUE, FALSE, &type, name, 0, error))
        return FALSE;

      if (strcmp (type, "message") == 0)
        {
          if (!read_message (conversation, record, text, name, error))
            return FALSE;
        }
      else if (strcmp (type, "service") == 0)
        {
          conversation->n_system++;
        }
      /* Anything else ("unsupported") is not part of the chat. */
    }

  hone_chatlog_take_conversation (out, g_steal_pointer (&conversation));
  return TRUE;
}

gboolean
hone_read_telegram (HoneChatlog  *log,
                    const char   *name,
                    JsonNode     *root,
                    GError      **error)
{
  g_autoptr(HoneChatlog) read = NULL;
  JsonObject *object;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, 0,
                             "should be an object with `messages` or `chats`");
      return FALSE;
    }
  object = json_node_get_object (root);
  read = hone_chatlog_new (NULL);

  if (json_object_has_member (object, "chats"))
    {
      JsonObject *chats = NULL;
      JsonArray *list = NULL;

      /* A whole-account export: only "chats.list" matters, "left_chats" is ignored. */
      if (!hone_json_get_object (object, "chats", TRUE, &chats, name, 0, error)
          || !hone_json_get_array (chats, "list", TRUE, &list, name, 0, error))
        return FALSE;

      for (guint i = 0, n = json_array_get_length (list); i < n; i++)
        {
          JsonObject *chat = hone_json_array_get_object (list, i, "list", name, 0, error);

          if (chat == NULL || !read_chat (read, chat, name, error))
            return FALSE;
        }
    }
  else if (!read_chat (read, object, name, error))
    {
      return FALSE;
    }

  hone_chatlog_append (log, read);
  return TRUE;
}
