/* hone-chatlog.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-memory result of reading one chat export: conversations of messages,
 * with the facts an importer reports (see ../shared/testdata/chatlogs/README.md).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HONE_CHAT_FORMAT_UNKNOWN = 0,
  HONE_CHAT_FORMAT_WHATSAPP,
  HONE_CHAT_FORMAT_TELEGRAM,
  HONE_CHAT_FORMAT_DISCORD,
  HONE_CHAT_FORMAT_SLACK,
  HONE_CHAT_FORMAT_MESSENGER,
  HONE_CHAT_FORMAT_OPENAI,
  HONE_CHAT_FORMAT_SHAREGPT,
  HONE_CHAT_FORMAT_ALPACA,
  HONE_CHAT_FORMAT_CSV,
  HONE_CHAT_FORMAT_FEEDBACK,   /* corrections written in the Chat page (not imported) */
} HoneChatFormat;

/* Which side of a help desk an export says an author is on (a CSV role column). */
typedef enum
{
  HONE_CHAT_SIDE_UNKNOWN = 0,  /* the export does not say, or says both */
  HONE_CHAT_SIDE_CUSTOMER,     /* customer, user, client… */
  HONE_CHAT_SIDE_AGENT,        /* agent, support, staff, bot… */
} HoneChatSide;

typedef struct
{
  char     *author;  /* finished (README section 2), never NULL */
  char     *time;    /* "YYYY-MM-DDTHH:MM:SS" with "+HH:MM" when the format has one; NULL: none */
  char     *text;    /* finished; "" only for a media message */
  gboolean  media;
} HoneChatMessage;

typedef struct
{
  char      *title;     /* chat or channel name; NULL when the export has none */
  GPtrArray *messages;  /* (element-type HoneChatMessage), oldest first */
  guint      n_system;  /* system events seen in this conversation */
} HoneChatConversation;

typedef struct
{
  char           *file;           /* base name of what was imported */
  HoneChatFormat  format;
  GPtrArray      *conversations;  /* (element-type HoneChatConversation), each with >= 1 message */
  guint           n_system;       /* system events of all conversations, empty ones included */
  char           *checksum;       /* SHA-256 of the imported content (hex), set by the importer */
  GHashTable     *sides;          /* finished author → votes for each HoneChatSide; NULL: none */
} HoneChatlog;

const char           *hone_chat_format_to_string        (HoneChatFormat         format);
HoneChatFormat        hone_chat_format_from_string      (const char            *name);

HoneChatlog          *hone_chatlog_new                  (const char            *file);
void                  hone_chatlog_free                 (HoneChatlog           *log);
/* Takes ownership of @conversation: kept when it has messages, freed otherwise;
 * its system events count either way. */
void                  hone_chatlog_take_conversation    (HoneChatlog           *log,
                                                         HoneChatConversation  *conversation);
/* Moves every conversation of @other to the end of @log and adds up n_system. */
void                  hone_chatlog_append               (HoneChatlog           *log,
                                                         HoneChatlog           *other);
guint                 hone_chatlog_count_messages       (const HoneChatlog     *log);
guint                 hone_chatlog_count_media          (const HoneChatlog     *log);
/* Counts one message of @author (finished or not) that the export marks as written
 * by @side (UNKNOWN: no vote). */
void                  hone_chatlog_mark_side            (HoneChatlog           *log,
                                                         const char            *author,
                                                         HoneChatSide           side);
/* The side most of @author's marked messages say (UNKNOWN: none marked, or a tie). */
HoneChatSide          hone_chatlog_get_side             (const HoneChatlog     *log,
                                                         const char            *author);
/* Distinct authors sorted by strcmp; free with g_strfreev. */
char                **hone_chatlog_dup_participants     (const HoneChatlog     *log);

HoneChatConversation *hone_chat_conversation_new        (const char            *title);
void                  hone_chat_conversation_free       (HoneChatConversation  *conversation);
/* Finishes @author and @text (README section 2: CR LF and CR become LF, then strip)
 * and appends the message, unless the finished text is empty and there is no media
 * (a dropped message). @time may be NULL. Returns whether it was kept. */
gboolean              hone_chat_conversation_add        (HoneChatConversation  *conversation,
                                                         const char            *author,
                                                         const char            *time,
                                                         const char            *text,
                                                         gboolean               media);

void                  hone_chat_message_free            (HoneChatMessage       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatlog, hone_chatlog_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChatConversation, hone_chat_conversation_free)

G_END_DECLS
