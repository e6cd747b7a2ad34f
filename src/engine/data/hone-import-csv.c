/* hone-import-csv.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Help-desk CSV (README section 13): one row per message, RFC 4180 with the quirks
 * spreadsheets write, columns found by their header names or named by --map, rows
 * grouped into conversations and sorted by the instant they were written.
 */
#define G_LOG_DOMAIN "hone-import-csv"

#include "config.h"

#include <string.h>

#include "hone-datetime.h"
#include "hone-import-private.h"

typedef enum
{
  FIELD_CONVERSATION,
  FIELD_TIME,
  FIELD_AUTHOR,
  FIELD_ROLE,
  FIELD_TEXT,
  FIELD_ATTACHMENT,
  N_FIELDS
} Field;

/* Normalised header names of each field, in the order of Field. */
static const char * const conversation_names[] = {
  "conversationid", "conversation", "ticketid", "ticket", "ticketnumber", "ticketno",
  "ticketnr", "threadid", "thread", "chatid", "sessionid", "caseid", "casenumber", NULL
};
static const char * const time_names[] = {
  "time", "timestamp", "date", "datetime", "createdat", "created", "createdtime", "sentat",
  "senttime", "zeitpunkt", "datum", "zeit", "horodatage", NULL
};
static const char * const author_names[] = {
  "author", "authorname", "from", "sender", "sendername", "name", "user", "username",
  "speaker", "von", "absender", "autor", "auteur", NULL
};
/* Past README section 13: columns that say whether the agent wrote the row. */
static const char * const role_names[] = {
  "role", "authortype", "sendertype", "rolle", "authorrole", "senderrole", "isagent",
  "fromagent", "isstaff", "iscustomer", "fromcustomer", NULL
};
static const char * const text_names[] = {
  "text", "message", "messagetext", "body", "content", "comment", "nachricht", "inhalt",
  "texte", NULL
};
static const char * const attachment_names[] = {
  "attachment", "attachments", "anhang", "file", "files", NULL
};

static const char * const * const field_names[N_FIELDS] = {
  conversation_names, time_names, author_names, role_names, text_names, attachment_names,
};

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       line;       /* line of text[pos] */
  char        delimiter;
} Reader;

typedef enum
{
  RECORD_END,     /* no record left */
  RECORD_OK,
  RECORD_UNCLOSED,
} RecordResult;

typedef enum
{
  TIME_ISO,    /* YYYY-MM-DD HH:MM[:SS[.fraction]][ ][Z|UTC|GMT|offset] */
  TIME_DOTS,   /* D.M.YYYY[,] H:MM[:SS], day first */
  TIME_SLASH,  /* A/B/YYYY[,] H:MM[:SS][SP? AMPM], order decided per file */
} TimeLayout;

typedef struct
{
  TimeLayout layout;
  int        year;
  int        d1;          /* ISO and dots: month and day already in place */
  int        d2;
  int        hour;
  int        minute;
  int        second;
  HoneAmPm   ampm;
  gboolean   has_offset;
  int        offset_minutes;
} CsvTime;

typedef struct
{
  char    *author;
  char    *text;
  gboolean media;
  guint    line;
  guint    seq;       /* file order, to keep the sort stable */
  CsvTime  when;
  char    *time;      /* written once the day/month order is known */
  gint64   instant;
} Row;

typedef struct
{
  char      *title;
  GPtrArray *rows;     /* (element-type Row) */
  guint      n_system;
} Group;

static void
row_free (Row *row)
{
  g_free (row->author);
  g_free (row->text);
  g_free (row->time);
  g_free (row);
}

static void
group_free (Group *group)
{
  g_free (group->title);
  g_ptr_array_unref (group->rows);
  g_free (group);
}

/* Counts , ; and TAB outside double quotes on the first line; the most frequent wins,
 * ties going to , then ; then TAB. */
static char
choose_delimiter (const char *text,
                  gsize       len)
{
  guint commas = 0;
  guint semicolons = 0;
  guint tabs = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == '\n')
        break;
      else if (c == ',')
        commas++;
      else if (c == ';')
        semicolons++;
      else if (c == '\t')
        tabs++;
    }

  if (commas >= semicolons && commas >= tabs)
    return ',';
  if (semicolons >= tabs)
    return ';';
  return '\t';
}

static void
reader_init (Reader     *reader,
             const char *text,
             gsize       len)
{
  reader->text = text;
  reader->len = len;
  reader->pos = 0;
  reader->line = 1;
  reader->delimiter = choose_delimiter (text, len);
}

/* Length of the record end (LF or CR LF) at pos, 0 if there is none. */
static gsize
record_end_at (const Reader *reader,
               gsize         pos)
{
  if (pos < reader->len && reader->text[pos] == '\n')
    return 1;
  if (pos + 1 < reader->len && reader->text[pos] == '\r' && reader->text[pos + 1] == '\n')
    return 2;
  return 0;
}

/* Reads one record into @fields (raw, not finished). Empty lines are skipped when
 * @skip_empty. On RECORD_UNCLOSED, *@line is the line of the opening quote and @fields
 * holds what was read up to the end of the text. */
static RecordResult
read_record (Reader    *reader,
             GPtrArray *fields,
             gboolean   skip_empty,
             guint     *line)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gsize n;

  g_ptr_array_set_size (fields, 0);

  if (skip_empty)
    while ((n = record_end_at (reader, reader->pos)) > 0)
      {
        reader->pos += n;
        reader->line++;
      }
  if (reader->pos >= reader->len)
    return RECORD_END;

  *line = reader->line;
  for (;;)
    {
      g_string_truncate (field, 0);

      if (reader->pos < reader->len && reader->text[reader->pos] == '"')
        {
          guint quote_line = reader->line;
          gboolean closed = FALSE;

          reader->pos++;
          while (reader->pos < reader->len)
            {
              const char *start = reader->text + reader->pos;
              const char *quote = memchr (start, '"', reader->len - reader->pos);
              gsize run = quote != NULL ? (gsize) (quote - start) : reader->len - reader->pos;

              for (gsize i = 0; i < run; i++)
                if (start[i] == '\n')
                  reader->line++;
              g_string_append_len (field, start, run);
              reader->pos += run;
              if (quote == NULL)
                break;
              if (reader->pos + 1 < reader->len && reader->text[reader->pos + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  reader->pos += 2;
                  continue;
                }
              reader->pos++;
              closed = TRUE;
              break;
            }
          if (!closed)
            {
              /* Detection still looks at the header names before the quote. */
              g_ptr_array_add (fields, g_strndup (field->str, field->len));
              *line = quote_line;
              return RECORD_UNCLOSED;
            }
        }

      /* An unquoted field, or what follows a closing quote: up to the next delimiter
       * or record end; a '"' here is an ordinary character. */
      while (reader->pos < reader->len &&
             reader->text[reader->pos] != reader->delimiter &&
             record_end_at (reader, reader->pos) == 0)
        g_string_append_c (field, reader->text[reader->pos++]);

      g_ptr_array_add (fields, g_strndup (field->str, field->len));

      if (reader->pos < reader->len && reader->text[reader->pos] == reader->delimiter)
        {
          reader->pos++;
          continue;
        }
      n = record_end_at (reader, reader->pos);
      reader->pos += n;
      if (n > 0)
        reader->line++;
      return RECORD_OK;
    }
}

/* Keeps only ASCII letters and digits, lower-cased ("Ticket-Nr." → "ticketnr"). */
static char *
normalise_name (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    if (g_ascii_isalnum (*s))
      g_string_append_c (out, g_ascii_tolower (*s));
  return g_string_free (out, FALSE);
}

static const char *
map_column (const HoneCsvMap *map,
            Field             field)
{
  if (map == NULL)
    return NULL;
  switch (field)
    {
    case FIELD_CONVERSATION:
      return map->conversation;
    case FIELD_TIME:
      return map->time;
    case FIELD_AUTHOR:
      return map->author;
    case FIELD_ROLE:
      return map->role;
    case FIELD_TEXT:
      return map->text;
    case FIELD_ATTACHMENT:
      return map->attachment;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* Finds the column of every field (-1: none): the columns that --map names first, then
 * the leftmost column whose normalised header is in the field's list. Returns FALSE,
 * with *@bad_map the --map value, when --map names a column the header lacks. */
static gboolean
find_columns (GPtrArray        *header,
              const HoneCsvMap *map,
              int               columns[N_FIELDS],
              const char      **bad_map)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *taken = g_new0 (gboolean, header->len + 1);

  for (guint i = 0; i < header->len; i++)
    g_ptr_array_add (names, normalise_name (g_ptr_array_index (header, i)));

  for (int f = 0; f < N_FIELDS; f++)
    {
      const char *wanted = map_column (map, f);
      g_autofree char *normalised = NULL;

      columns[f] = -1;
      if (wanted == NULL)
        continue;
      normalised = normalise_name (wanted);
      for (guint i = 0; i < names->len && columns[f] < 0; i++)
        if (strcmp (g_ptr_array_index (names, i), normalised) == 0)
          columns[f] = i;
      if (columns[f] < 0)
        {
          *bad_map = wanted;
          return FALSE;
        }
      taken[columns[f]] = TRUE;
    }

  for (int f = 0; f < N_FIELDS; f++)
    {
      if (map_column (map, f) != NULL)
        continue;
      for (guint i = 0; i < names->len && columns[f] < 0; i++)
        {
          if (taken[i])
            continue;
          if (g_strv_contains ((const char * const *) field_names[f], g_ptr_array_index (names, i)))
            columns[f] = i;
        }
    }
  return TRUE;
}

gboolean
hone_csv_detect (const char       *text,
                 gsize             len,
                 const HoneCsvMap *map)
{
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  int columns[N_FIELDS];
  const char *bad_map = NULL;
  Reader reader;
  guint line;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  /* A header whose last quote is never closed is still a CSV header, so that reading
   * it can say where the quote starts. */
  reader_init (&reader, text, len);
  if (read_record (&reader, header, FALSE, &line) == RECORD_END)
    return FALSE;
  /* A --map naming a missing column still means the user wants CSV: reading it then
   * says which column is missing. */
  if (!find_columns (header, map, columns, &bad_map))
    return TRUE;
  return columns[FIELD_TEXT] >= 0 && columns[FIELD_AUTHOR] >= 0;
}

/* "YYYY-MM-DD" 'T'|' ' "HH:MM[:SS[.fraction]]", then directly or after one space
 * Z, UTC, GMT, ±HH:MM or ±HHMM. */
static gboolean
parse_iso_time (const char *s,
                const char *end,
                CsvTime    *t)
{
  HoneIsoTime iso;

  if (!hone_datetime_parse_iso (s, end,
                                HONE_ISO_TIME_SPACE | HONE_ISO_TIME_NO_SECONDS |
                                HONE_ISO_TIME_FRACTION | HONE_ISO_TIME_OFFSET |
                                HONE_ISO_TIME_ZONE_NAMES,
                                &iso))
    return FALSE;

  t->layout = TIME_ISO;
  t->year = iso.year;
  t->d1 = iso.month;
  t->d2 = iso.day;
  t->hour = iso.hour;
  t->minute = iso.minute;
  t->second = iso.second;
  t->ampm = HONE_AMPM_NONE;
  t->has_offset = iso.has_offset;
  t->offset_minutes = iso.offset_minutes;
  return TRUE;
}

/* "D.M.YYYY[,] H:MM[:SS]" and "A/B/YYYY[,] H:MM[:SS][SP? AMPM]"; two-digit years too. */
static gboolean
parse_local_time (const char *s,
                  const char *end,
                  CsvTime    *t)
{
  const char *p = s;
  char separator;
  guint year_digits;
  gsize n;

  if ((n = hone_datetime_digits (p, end, 2, &t->d1, NULL)) == 0 || p + n >= end)
    return FALSE;
  p += n;
  separator = *p++;
  if (separator != '.' && separator != '/')
    return FALSE;
  if ((n = hone_datetime_digits (p, end, 2, &t->d2, NULL)) == 0 || p + n >= end ||
      p[n] != separator)
    return FALSE;
  p += n + 1;
  n = hone_datetime_digits (p, end, 4, &t->year, &year_digits);
  if ((year_digits != 2 && year_digits != 4) || (p + n < end && g_ascii_isdigit (p[n])))
    return FALSE;
  t->year = hone_datetime_year (t->year, year_digits);
  p += n;
  if (p < end && *p == ',')
    p++;
  if (p >= end || *p != ' ')
    return FALSE;
  p++;
  if ((n = hone_datetime_clock (p, end, &t->hour, &t->minute, &t->second)) == 0)
    return FALSE;
  p += n;

  t->ampm = HONE_AMPM_NONE;
  if (separator == '/')
    p += hone_datetime_ampm (p, end, &t->ampm);
  t->layout = separator == '/' ? TIME_SLASH : TIME_DOTS;
  t->has_offset = FALSE;
  t->offset_minutes = 0;
  return p == end;
}

static gboolean
parse_time (const char *s,
            CsvTime    *t)
{
  const char *end = s + strlen (s);

  return parse_iso_time (s, end, t) || parse_local_time (s, end, t);
}

/* Writes the row's time; FALSE when that date or time does not exist. */
static gboolean
row_set_time (Row     *row,
              gboolean day_first)
{
  const CsvTime *t = &row->when;
  int month = t->d1;
  int day = t->d2;
  int hour = hone_datetime_hour_24 (t->hour, t->ampm);

  if (t->layout == TIME_DOTS || (t->layout == TIME_SLASH && day_first))
    {
      day = t->d1;
      month = t->d2;
    }
  if (hour < 0)
    return FALSE;
  row->time = hone_text_format_time (t->year, month, day, hour, t->minute, t->second,
                                     t->has_offset, t->offset_minutes);
  if (row->time == NULL)
    return FALSE;
  row->instant = hone_datetime_instant (t->year, month, day, hour, t->minute, t->second,
                                        t->offset_minutes);
  return TRUE;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = *(const Row * const *) a;
  const Row *rb = *(const Row * const *) b;

  if (ra->instant != rb->instant)
    return ra->instant < rb->instant ? -1 : 1;
  return ra->seq < rb->seq ? -1 : (ra->seq > rb->seq ? 1 : 0);
}

/* The raw cell of @column; "" when the record is short or there is no such column. */
static const char *
cell (GPtrArray *fields,
      int        column)
{
  if (column < 0 || (guint) column >= fields->len)
    return "";
  return g_ptr_array_index (fields, column);
}

/* The side a role cell names, normalised like a header name. Words of the help desk's
 * own side (agent, support, staff, bot…) say the agent; words of the other side
 * (customer, user, client…) the customer; yes/no values answer the column's question,
 * which is "is it the agent?" unless the header names the customer (is_customer).
 * Anything else (a person's name, "system", empty) says nothing. */
static HoneChatSide
side_of_role (const char *role,
              gboolean    asks_customer)
{
  static const char * const agent[] = {
    "agent", "agents", "supportagent", "support", "staff", "operator", "admin",
    "administrator", "employee", "representative", "rep", "assistant", "bot", "chatbot",
    "helpdesk", "servicedesk", "team", "mitarbeiter", "mitarbeiterin", "berater",
    "beraterin", "conseiller", "conseillre", NULL
  };
  static const char * const customer[] = {
    "customer", "user", "client", "enduser", "requester", "requestor", "visitor",
    "contact", "guest", "human", "kunde", "kundin", "utilisateur", "utilisatrice", NULL
  };
  static const char * const yes[] = { "true", "yes", "y", "1", "t", "ja", "oui", NULL };
  static const char * const no[] = { "false", "no", "n", "0", "f", "nein", "non", NULL };

  if (g_strv_contains (agent, role))
    return HONE_CHAT_SIDE_AGENT;
  if (g_strv_contains (customer, role))
    return HONE_CHAT_SIDE_CUSTOMER;
  if (g_strv_contains (yes, role))
    return asks_customer ? HONE_CHAT_SIDE_CUSTOMER : HONE_CHAT_SIDE_AGENT;
  if (g_strv_contains (no, role))
    return asks_customer ? HONE_CHAT_SIDE_AGENT : HONE_CHAT_SIDE_CUSTOMER;
  return HONE_CHAT_SIDE_UNKNOWN;
}

static char *
finish_cell (GPtrArray *fields,
             int        column)
{
  return hone_text_finish (cell (fields, column), -1);
}

gboolean
hone_read_csv (HoneChatlog       *log,
               const char        *name,
               const char        *text,
               gsize              len,
               const HoneCsvMap  *map,
               GError           **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autoptr(GHashTable) group_by_key = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, NULL);
  g_autoptr(GPtrArray) timed_rows = g_ptr_array_new ();
  int columns[N_FIELDS];
  const char *bad_map = NULL;
  HoneDateOrder order;
  HoneChatSide side = HONE_CHAT_SIDE_UNKNOWN;
  gboolean asks_customer = FALSE;
  gboolean day_first;
  guint n_messages = 0;
  RecordResult result;
  Reader reader;
  guint line;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reader_init (&reader, text, len);
  result = read_record (&reader, fields, FALSE, &line);
  if (result == RECORD_UNCLOSED)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, line,
                             "a quoted field that is never closed starts here");
      return FALSE;
    }
  if (result == RECORD_END)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 1,
                             "no CSV header (the first line must name the columns)");
      return FALSE;
    }
  if (!find_columns (fields, map, columns, &bad_map))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_BAD_MAP, name, 0,
                             "--map names a column “%s” that the CSV header does not have",
                             bad_map);
      return FALSE;
    }
  if (columns[FIELD_ROLE] >= 0)
    {
      g_autofree char *header = normalise_name (cell (fields, columns[FIELD_ROLE]));

      asks_customer = strstr (header, "customer") != NULL || strstr (header, "client") != NULL ||
                      strstr (header, "requester") != NULL;
    }
  if (columns[FIELD_TEXT] < 0 || columns[FIELD_AUTHOR] < 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 1,
                             "the CSV header has no %s column",
                             columns[FIELD_TEXT] < 0 ? "text" : "author");
      return FALSE;
    }

  hone_date_order_init (&order);
  while ((result = read_record (&reader, fields, TRUE, &line)) == RECORD_OK)
    {
      g_autofree char *key = NULL;
      g_autofree char *message_text = NULL;
      g_autofree char *attachment = NULL;
      Group *group;
      Row *row;

      key = columns[FIELD_CONVERSATION] >= 0 ? finish_cell (fields, columns[FIELD_CONVERSATION])
                                             : g_strdup ("");
      group = g_hash_table_lookup (group_by_key, key);
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->title = columns[FIELD_CONVERSATION] >= 0 ? g_strdup (key) : NULL;
          group->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
          g_ptr_array_add (groups, group);
          g_hash_table_insert (group_by_key, g_strdup (key), group);
        }

      if (columns[FIELD_ROLE] >= 0)
        {
          g_autofree char *role = normalise_name (cell (fields, columns[FIELD_ROLE]));

          if (strcmp (role, "system") == 0)
            {
              group->n_system++;
              continue;
            }
          side = side_of_role (role, asks_customer);
        }

      message_text = finish_cell (fields, columns[FIELD_TEXT]);
      attachment = finish_cell (fields, columns[FIELD_ATTACHMENT]);
      if (message_text[0] == '\0' && attachment[0] == '\0')
        continue;

      row = g_new0 (Row, 1);
      row->author = finish_cell (fields, columns[FIELD_AUTHOR]);
      row->text = g_steal_pointer (&message_text);
      row->media = attachment[0] != '\0';
      row->line = line;
      row->seq = n_messages++;
      g_ptr_array_add (group->rows, row);
      hone_chatlog_mark_side (log, row->author, side);

      if (columns[FIELD_TIME] >= 0)
        {
          g_autofree char *time = finish_cell (fields, columns[FIELD_TIME]);

          if (!parse_time (time, &row->when))
            {
              hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, line,
                                     "the time “%s” is not in a layout Hone reads "
                                     "(2024-01-15 21:41, 15.01.2024 21:41, 1/15/2024 9:41 PM)",
                                     time);
              return FALSE;
            }
          if (row->when.layout == TIME_SLASH &&
              !hone_date_order_add (&order, row->when.d1, row->when.d2,
                                    row->when.ampm != HONE_AMPM_NONE))
            {
              hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, line,
                                     "the dates of this file are neither all day-first nor "
                                     "all month-first");
              return FALSE;
            }
          g_ptr_array_add (timed_rows, row);
        }
    }
  if (result == RECORD_UNCLOSED)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, line,
                             "a quoted field that is never closed starts here");
      return FALSE;
    }

  day_first = hone_date_order_is_day_first (&order);
  for (guint i = 0; i < timed_rows->len; i++)
    {
      Row *row = g_ptr_array_index (timed_rows, i);

      if (!row_set_time (row, day_first))
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, row->line,
                                 "this date or time does not exist");
          return FALSE;
        }
    }

  if (n_messages == 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NO_MESSAGES, name, 0,
                             "no messages in this CSV file");
      return FALSE;
    }

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      HoneChatConversation *conversation = hone_chat_conversation_new (group->title);

      if (columns[FIELD_TIME] >= 0)
        g_ptr_array_sort (group->rows, compare_rows);
      for (guint j = 0; j < group->rows->len; j++)
        {
          Row *row = g_ptr_array_index (group->rows, j);

          hone_chat_conversation_add (conversation, row->author, row->time, row->text,
                                      row->media);
        }
      conversation->n_system = group->n_system;
      hone_chatlog_take_conversation (log, conversation);
    }
  return TRUE;
}
