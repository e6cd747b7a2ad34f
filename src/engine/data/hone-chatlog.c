/* hone-chatlog.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-chatlog"

#include "config.h"

#include <string.h>

#include "hone-chatlog.h"
#include "hone-text.h"

static const char *format_names[] = {
  [HONE_CHAT_FORMAT_UNKNOWN] = "unknown",
  [HONE_CHAT_FORMAT_WHATSAPP] = "whatsapp",
  [HONE_CHAT_FORMAT_TELEGRAM] = "telegram",
  [HONE_CHAT_FORMAT_DISCORD] = "discord",
  [HONE_CHAT_FORMAT_SLACK] = "slack",
  [HONE_CHAT_FORMAT_MESSENGER] = "messenger",
  [HONE_CHAT_FORMAT_OPENAI] = "openai",
  [HONE_CHAT_FORMAT_SHAREGPT] = "sharegpt",
  [HONE_CHAT_FORMAT_ALPACA] = "alpaca",
  [HONE_CHAT_FORMAT_CSV] = "csv",
  [HONE_CHAT_FORMAT_FEEDBACK] = "feedback",
};

const char *
hone_chat_format_to_string (HoneChatFormat format)
{
  if ((guint) format >= G_N_ELEMENTS (format_names))
    return format_names[HONE_CHAT_FORMAT_UNKNOWN];
  return format_names[format];
}

HoneChatFormat
hone_chat_format_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, HONE_CHAT_FORMAT_UNKNOWN);

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (strcmp (name, format_names[i]) == 0)
      return (HoneChatFormat) i;
  return HONE_CHAT_FORMAT_UNKNOWN;
}

void
hone_chat_message_free (HoneChatMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->author);
  g_free (message->time);
  g_free (message->text);
  g_free (message);
}

HoneChatConversation *
hone_chat_conversation_new (const char *title)
{
  HoneChatConversation *conversation = g_new0 (HoneChatConversation, 1);

  conversation->title = g_strdup (title);
  conversation->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_chat_message_free);
  return conversation;
}

void
hone_chat_conversation_free (HoneChatConversation *conversation)
{
  if (conversation == NULL)
    return;
  g_free (conversation->title);
  g_ptr_array_unref (conversation->messages);
  g_free (conversation);
}

gboolean
hone_chat_conversation_add (HoneChatConversation *conversation,
                            const char           *author,
                            const char           *time,
                            const char           *text,
                            gboolean              media)
{
  g_autofree char *finished_text = NULL;
  HoneChatMessage *message;

  g_return_val_if_fail (conversation != NULL, FALSE);
  g_return_val_if_fail (author != NULL, FALSE);

  finished_text = hone_text_finish (text != NULL ? text : "", -1);
  if (finished_text[0] == '\0' && !media)
    return FALSE;

  message = g_new0 (HoneChatMessage, 1);
  message->author = hone_text_finish (author, -1);
  message->time = g_strdup (time);
  message->text = g_steal_pointer (&finished_text);
  message->media = media;
  g_ptr_array_add (conversation->messages, message);
  return TRUE;
}

HoneChatlog *
hone_chatlog_new (const char *file)
{
  HoneChatlog *log = g_new0 (HoneChatlog, 1);

  log->file = g_strdup (file);
  log->conversations =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hone_chat_conversation_free);
  return log;
}

void
hone_chatlog_free (HoneChatlog *log)
{
  if (log == NULL)
    return;
  g_free (log->file);
  g_free (log->checksum);
  g_ptr_array_unref (log->conversations);
  g_clear_pointer (&log->sides, g_hash_table_unref);
  g_free (log);
}

void
hone_chatlog_take_conversation (HoneChatlog          *log,
                                HoneChatConversation *conversation)
{
  g_return_if_fail (log != NULL);
  g_return_if_fail (conversation != NULL);

  log->n_system += conversation->n_system;
  if (conversation->messages->len > 0)
    g_ptr_array_add (log->conversations, conversation);
  else
    hone_chat_conversation_free (conversation);
}

void
hone_chatlog_append (HoneChatlog *log,
                     HoneChatlog *other)
{
  g_return_if_fail (log != NULL);
  g_return_if_fail (other != NULL);

  log->n_system += other->n_system;
  other->n_system = 0;
  for (guint i = 0; i < other->conversations->len; i++)
    g_ptr_array_add (log->conversations, g_ptr_array_index (other->conversations, i));
  /* The conversations moved; empty the array without freeing them. */
  g_ptr_array_set_free_func (other->conversations, NULL);
  g_ptr_array_set_size (other->conversations, 0);
  g_ptr_array_set_free_func (other->conversations, (GDestroyNotify) hone_chat_conversation_free);

  if (other->sides != NULL)
    {
      GHashTableIter iter;
      gpointer author, votes;

      g_hash_table_iter_init (&iter, other->sides);
      while (g_hash_table_iter_next (&iter, &author, &votes))
        {
          guint *mine;

          if (log->sides == NULL)
            log->sides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          mine = g_hash_table_lookup (log->sides, author);
          if (mine == NULL)
            g_hash_table_insert (log->sides, g_strdup (author), g_memdup2 (votes, 3 * sizeof (guint)));
          else
            for (guint k = 0; k < 3; k++)
              mine[k] += ((const guint *) votes)[k];
        }
    }
}

void
hone_chatlog_mark_side (HoneChatlog  *log,
                        const char   *author,
                        HoneChatSide  side)
{
  g_autofree char *name = NULL;
  guint *votes;

  g_return_if_fail (log != NULL);
  g_return_if_fail (author != NULL);

  if (side == HONE_CHAT_SIDE_UNKNOWN)
    return;
  if (log->sides == NULL)
    log->sides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  name = hone_text_finish (author, -1);
  votes = g_hash_table_lookup (log->sides, name);
  if (votes == NULL)
    {
      votes = g_new0 (guint, 3);
      g_hash_table_insert (log->sides, g_steal_pointer (&name), votes);
    }
  votes[side]++;
}

HoneChatSide
hone_chatlog_get_side (const HoneChatlog *log,
                       const char        *author)
{
  const guint *votes;

  g_return_val_if_fail (log != NULL, HONE_CHAT_SIDE_UNKNOWN);
  g_return_val_if_fail (author != NULL, HONE_CHAT_SIDE_UNKNOWN);

  if (log->sides == NULL || (votes = g_hash_table_lookup (log->sides, author)) == NULL)
    return HONE_CHAT_SIDE_UNKNOWN;
  if (votes[HONE_CHAT_SIDE_AGENT] > votes[HONE_CHAT_SIDE_CUSTOMER])
    return HONE_CHAT_SIDE_AGENT;
  if (votes[HONE_CHAT_SIDE_CUSTOMER] > votes[HONE_CHAT_SIDE_AGENT])
    return HONE_CHAT_SIDE_CUSTOMER;
  return HONE_CHAT_SIDE_UNKNOWN;
}

guint
hone_chatlog_count_messages (const HoneChatlog *log)
{
  guint n = 0;

  g_return_val_if_fail (log != NULL, 0);

  for (guint i = 0; i < log->conversations->len; i++)
    {
      const HoneChatConversation *c = g_ptr_array_index (log->conversations, i);
      n += c->messages->len;
    }
  return n;
}

guint
hone_chatlog_count_media (const HoneChatlog *log)
{
  guint n = 0;

  g_return_val_if_fail (log != NULL, 0);

  for (guint i = 0; i < log->conversations->len; i++)
    {
      const HoneChatConversation *c = g_ptr_array_index (log->conversations, i);
      for (guint j = 0; j < c->messages->len; j++)
        {
          const HoneChatMessage *m = g_ptr_array_index (c->messages, j);
          n += m->media ? 1 : 0;
        }
    }
  return n;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
hone_chatlog_dup_participants (const HoneChatlog *log)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  char **result;

  g_return_val_if_fail (log != NULL, NULL);

  for (guint i = 0; i < log->conversations->len; i++)
    {
      const HoneChatConversation *c = g_ptr_array_index (log->conversations, i);
      for (guint j = 0; j < c->messages->len; j++)
        {
          const HoneChatMessage *m = g_ptr_array_index (c->messages, j);
          if (g_hash_table_add (seen, m->author))
            g_ptr_array_add (names, m->author);
        }
    }
  g_ptr_array_sort (names, compare_strings);

  result = g_new0 (char *, names->len + 1);
  for (guint i = 0; i < names->len; i++)
    result[i] = g_strdup (g_ptr_array_index (names, i));
  return result;
}
