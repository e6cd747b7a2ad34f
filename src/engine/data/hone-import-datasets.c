/* hone-import-datasets.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fine-tuning datasets: OpenAI chat JSONL, ShareGPT and Alpaca (README sections 10 to
 * 12). Each record is one conversation; datasets have no times, no media and no system
 * events. A record is read whole before it is added, so a refused record leaves the log
 * as it was.
 */
#define G_LOG_DOMAIN "hone-import-datasets"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

/* The record as an object, or a shape error naming the key it should hold. */
static JsonObject *
record_object (JsonNode    *record,
               const char  *key,
               const char  *name,
               guint        line,
               GError     **error)
{
  if (record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                             "each %s should be an object with `%s`",
                             line > 0 ? "line" : "item", key);
      return NULL;
    }
  return json_node_get_object (record);
}

/* The record as an object holding the array @key (OpenAI's `messages`, ShareGPT's
 * `conversations`). */
static gboolean
record_with_array (JsonNode     *record,
                   const char   *key,
                   JsonObject  **object,
                   JsonArray   **array,
                   const char   *name,
                   guint         line,
                   GError      **error)
{
  *object = record_object (record, key, name, line, error);
  return *object != NULL && hone_json_get_array (*object, key, TRUE, array, name, line, error);
}

/* OpenAI: `content` as a string, the text parts of an array, or null (empty). */
static gboolean
openai_content (JsonObject  *message,
                GString     *text,
                const char  *name,
                guint        line,
                GError     **error)
{
  JsonNode *content = json_object_get_member (message, "content");
  JsonArray *parts;

  if (content == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                             "`content` is missing (it should be a string, an array or null)");
      return FALSE;
    }
  if (JSON_NODE_HOLDS_NULL (content))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_string_append (text, json_node_get_string (content));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (content))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                             "`content` should be a string, an array of parts or null");
      return FALSE;
    }

  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = hone_json_array_get_object (parts, i, "content", name, line, error);
      JsonNode *type;
      const char *part_text = NULL;

      if (part == NULL)
        return FALSE;
      /* Only text parts count; images, audio and the like are left out. */
      type = json_object_get_member (part, "type");
      if (type == NULL || !JSON_NODE_HOLDS_VALUE (type) ||
          json_node_get_value_type (type) != G_TYPE_STRING ||
          strcmp (json_node_get_string (type), "text") != 0)
        continue;
      if (!hone_json_get_string (part, "text", TRUE, FALSE, &part_text, name, line, error))
        return FALSE;
      g_string_append (text, part_text);
    }
  return TRUE;
}

gboolean
hone_read_openai_record (HoneChatlog  *log,
                         const char   *name,
                         JsonNode     *record,
                         guint         line,
                         GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  JsonObject *object;
  JsonArray *messages = NULL;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!record_with_array (record, "messages", &object, &messages, name, line, error))
    return FALSE;

  conversation = hone_chat_conversation_new (NULL);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      JsonObject *message;
      const char *role = NULL;

      message = hone_json_array_get_object (messages, i, "messages", name, line, error);
      if (message == NULL)
        return FALSE;
      if (!hone_json_get_string (message, "role", TRUE, FALSE, &role, name, line, error))
        return FALSE;
      if (!openai_content (message, text, name, line, error))
        return FALSE;
      hone_chat_conversation_add (conversation, role, NULL, text->str, FALSE);
    }
  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}

static const char *
sharegpt_author (const char *from)
{
  if (strcmp (from, "human") == 0)
    return "user";
  if (strcmp (from, "gpt") == 0)
    return "assistant";
  /* "system" stays "system"; any other speaker is kept as written. */
  return from;
}

gboolean
hone_read_sharegpt_record (HoneChatlog  *log,
                           const char   *name,
                           JsonNode     *record,
                           guint         line,
                           GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  JsonObject *object;
  JsonArray *turns = NULL;
  const char *system = NULL;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!record_with_array (record, "conversations", &object, &turns, name, line, error) ||
      !hone_json_get_string (object, "system", FALSE, FALSE, &system, name, line, error))
    return FALSE;

  conversation = hone_chat_conversation_new (NULL);
  if (system != NULL)
    hone_chat_conversation_add (conversation, "system", NULL, system, FALSE);
  for (guint i = 0; i < json_array_get_length (turns); i++)
    {
      JsonObject *turn;
      const char *from = NULL;
      const char *value = NULL;

      turn = hone_json_array_get_object (turns, i, "conversations", name, line, error);
      if (turn == NULL)
        return FALSE;
      if (!hone_json_get_string (turn, "from", TRUE, FALSE, &from, name, line, error) ||
          !hone_json_get_string (turn, "value", TRUE, FALSE, &value, name, line, error))
        return FALSE;
      hone_chat_conversation_add (conversation, sharegpt_author (from), NULL, value, FALSE);
    }
  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}

gboolean
hone_read_alpaca_record (HoneChatlog  *log,
                         const char   *name,
                         JsonNode     *record,
                         guint         line,
                         GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *input_stripped = NULL;
  JsonObject *object;
  const char *instruction = NULL;
  const char *input = NULL;
  const char *output = NULL;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  object = record_object (record, "instruction", name, line, error);
  if (object == NULL)
    return FALSE;
  if (!hone_json_get_string (object, "instruction", TRUE, FALSE, &instruction, name, line, error) ||
      !hone_json_get_string (object, "input", FALSE, TRUE, &input, name, line, error) ||
      !hone_json_get_string (object, "output", TRUE, FALSE, &output, name, line, error))
    return FALSE;

  prompt = hone_text_strip (instruction, -1);
  if (input != NULL)
    input_stripped = hone_text_strip (input, -1);
  if (input_stripped != NULL && input_stripped[0] != '\0')
    {
      char *joined = g_strconcat (prompt, "\n\n", input_stripped, NULL);
      g_free (prompt);
      prompt = joined;
    }

  conversation = hone_chat_conversation_new (NULL);
  hone_chat_conversation_add (conversation, "user", NULL, prompt, FALSE);
  hone_chat_conversation_add (conversation, "assistant", NULL, output, FALSE);
  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}
