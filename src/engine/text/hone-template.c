/* hone-template.c — conversations through chat templates; the built-in templates.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-template"

#include "config.h"

#include <string.h>

#include "hone-jinja.h"
#include "hone-template.h"

typedef struct
{
  const char *name;
  const char *marker;  /* a special token only this family's vocabularies have */
  const char *source;
} Builtin;

/* Written for Hone in the shape each family's instruct models use. */
static const Builtin builtins[] = {
  { "llama3", "<|start_header_id|>",
    "{{- bos_token }}\n"
    "{%- for message in messages %}\n"
    "    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n"
    "{%- endif %}\n" },
  { "gemma", "<start_of_turn>",
    "{{ bos_token }}\n"
    "{%- if messages[0]['role'] == 'system' %}\n"
    "    {%- set first_prefix = messages[0]['content'] | trim + '\\n\\n' %}\n"
    "    {%- set loop_messages = messages[1:] %}\n"
    "{%- else %}\n"
    "    {%- set first_prefix = '' %}\n"
    "    {%- set loop_messages = messages %}\n"
    "{%- endif %}\n"
    "{%- for message in loop_messages %}\n"
    "    {%- set role = 'model' if message['role'] == 'assistant' else message['role'] %}\n"
    "    {{- '<start_of_turn>' + role + '\\n' + (first_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<start_of_turn>model\\n' }}\n"
    "{%- endif %}\n" },
  { "phi3", "<|end|>",
    "{%- for message in messages %}\n"
    "    {{- '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|assistant|>\\n' }}\n"
    "{%- else %}\n"
    "    {{- eos_token }}\n"
    "{%- endif %}\n" },
  { "mistral", "[INST]",
    "{{- bos_token }}\n"
    "{%- if messages[0]['role'] == 'system' %}\n"
    "    {%- set system_message = messages[0]['content'] %}\n"
    "    {%- set loop_messages = messages[1:] %}\n"
    "{%- else %}\n"
    "    {%- set loop_messages = messages %}\n"
    "{%- endif %}\n"
    "{%- for message in loop_messages %}\n"
    "    {%- if message['role'] == 'user' %}\n"
    "        {%- if loop.first and system_message is defined %}\n"
    "            {{- '[INST] ' + system_message + '\\n\\n' + message['content'] + '[/INST]' }}\n"
    "        {%- else %}\n"
    "            {{- '[INST] ' + message['content'] + '[/INST]' }}\n"
    "        {%- endif %}\n"
    "    {%- elif message['role'] == 'assistant' %}\n"
    "        {{- ' ' + message['content'] + eos_token }}\n"
    "    {%- else %}\n"
    "        {{- raise_exception('Only user and assistant roles are supported after the system message') }}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n" },
  /* ChatML last: the fallback for vocabularies with <|im_start|> or none of the above. */
  { "chatml", "<|im_start|>",
    "{%- for message in messages %}\n"
    "    {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n" },
};

const char *
hone_template_builtin (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_ascii_strcasecmp (name, builtins[i].name) == 0)
      return builtins[i].source;
  return NULL;
}

const char *
hone_template_guess (gboolean (*has_token) (const char *token,
                                            gpointer    user_data),
                     gpointer   user_data)
{
  g_return_val_if_fail (has_token != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (has_token (builtins[i].marker, user_data))
      return builtins[i].source;
  return NULL;
}

/* A member's string, or NULL; json_object_get_string_member_with_default() is critical
 * about objects and arrays, which a conversation may hold anywhere. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
hone_template_render (const char   *source,
                      JsonNode     *conversation,
                      gboolean      add_generation_prompt,
                      const char   *bos_token,
                      const char   *eos_token,
                      GDateTime    *now,
                      GArray      **assistant_spans,
                      GError      **error)
{
  g_autoptr(HoneJinjaTemplate) template = NULL;
  g_autoptr(JsonObject) context = json_object_new ();
  g_autoptr(GHashTable) marked = g_hash_table_new (NULL, NULL);
  JsonArray *messages = NULL;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (conversation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (JSON_NODE_HOLDS_OBJECT (conversation))
    {
      JsonObject *object = json_node_get_object (conversation);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (context, l->data,
                                json_node_copy (json_object_get_member (object, l->data)));
    }
  else if (JSON_NODE_HOLDS_ARRAY (conversation))
    json_object_set_member (context, "messages", json_node_copy (conversation));
  if (!json_object_has_member (context, "messages")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (context, "messages")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a conversation is {\"messages\": […]} or an array of messages");
      return NULL;
    }
  messages = json_object_get_array_member (context, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *message = json_array_get_element (messages, i);
      JsonObject *object;
      JsonNode *content;

      if (!JSON_NODE_HOLDS_OBJECT (message))
        continue;
      object = json_node_get_object (message);
      content = json_object_get_member (object, "content");
      if (g_strcmp0 (string_member (object, "role"), "assistant") == 0
          && content != NULL && JSON_NODE_HOLDS_VALUE (content)
          && json_node_get_value_type (content) == G_TYPE_STRING)
        g_hash_table_add (marked, content);
    }
  json_object_set_boolean_member (context, "add_generation_prompt", add_generation_prompt);
  if (bos_token != NULL)
    json_object_set_string_member (context, "bos_token", bos_token);
  if (eos_token != NULL)
    json_object_set_string_member (context, "eos_token", eos_token);

  if ((template = hone_jinja_template_new (source, -1, error)) == NULL)
    return NULL;
  return hone_jinja_template_render (template, context, marked, now, assistant_spans, error);
}
