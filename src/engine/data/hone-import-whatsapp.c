/* hone-import-whatsapp.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WhatsApp "Export chat" text (README section 5): one conversation per file, a header
 * line per message or system event, continuation lines below it. One pass over the
 * text collects the header lines; the day/month order of the dates is decided by all
 * of them before any time is written, so the entries are read in a second pass over
 * that table. Headers are matched by hand, without GRegex, because every line of a
 * large export goes through the matcher.
 */
#define G_LOG_DOMAIN "hone-import-whatsapp"

#include "config.h"

#include <string.h>

#include "hone-datetime.h"
#include "hone-import-private.h"

typedef enum
{
  LAYOUT_NONE,
  LAYOUT_ANDROID,  /* DATE[,]SP TIME SP-SP REST */
  LAYOUT_IPHONE,   /* [DATE[,]SP TIME]SP REST */
} Layout;

/* One header line and the continuation lines below it; offsets into the text. */
typedef struct
{
  gsize    rest;         /* REST: what follows the date and time */
  gsize    header_end;   /* end of the header line, before its CR LF or LF */
  gsize    next_line;    /* start of the line after the header line */
  gsize    end;          /* end of the last continuation line, before its line end */
  guint    line;
  int      d1;
  int      d2;
  int      d3;
  guint    d1_digits;
  guint    d3_digits;
  char     separator;
  int      hour;
  int      minute;
  int      second;
  HoneAmPm ampm;
} Entry;

/* Texts that WhatsApp writes in place of a deleted message or for a missed call. */
static const char * const notices[] = {
  "This message was deleted",
  "You deleted this message",
  "Diese Nachricht wurde gelöscht",
  "Du hast diese Nachricht gelöscht",
  "Ce message a été supprimé",
  "Vous avez supprimé ce message",
  "Esta mensagem foi apagada",
  "Você apagou esta mensagem",
  "Mensagem apagada",
  "Apagou esta mensagem",
  "Este mensaje fue eliminado",
  "Se eliminó este mensaje",
  "Eliminaste este mensaje",
  "Questo messaggio è stato eliminato",
  "Hai eliminato questo messaggio",
  "Dit bericht is verwijderd",
  "U hebt dit bericht verwijderd",
  "Missed voice call",
  "Missed video call",
  "Missed group voice call",
  "Missed group video call",
  "Verpasster Sprachanruf",
  "Verpasster Videoanruf",
  "Appel vocal manqué",
  "Appel vidéo manqué",
  "Chamada de voz perdida",
  "Chamada de vídeo perdida",
  "Videochamada perdida",
  "Llamada perdida",
  "Llamada de voz perdida",
  "Videollamada perdida",
  "Chiamata vocale persa",
  "Videochiamata persa",
  "Gemiste spraakoproep",
  "Gemiste video-oproep",
  "Gemist spraakgesprek",
  "Gemist videogesprek",
};

/* A whole first line that stands for media: Android's placeholders, then iPhone's. */
static const char * const media_placeholders[] = {
  "<Media omitted>",
  "<Medien ausgeschlossen>",
  "<Medien weggelassen>",
  "<Médias omis>",
  "<Fichier omis>",
  "<Mídia oculta>",
  "<Mídia omitida>",
  "<Multimédia omitido>",
  "<Multimedia omitido>",
  "<Archivo omitido>",
  "<Media omessi>",
  "<Media weggelaten>",
  "null",

  "image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted",
  "Contact card omitted",
  "Bild weggelassen", "Video weggelassen", "Audio weggelassen", "Sticker weggelassen",
  "GIF weggelassen", "Kontaktkarte ausgelassen",
  "image absente", "vidéo absente", "audio omis", "sticker omis", "GIF retiré",
  "Fiche contact manquante",
  "imagem ocultada", "vídeo omitido", "áudio ocultado", "figurinha omitida", "GIF omitido",
  "Cartão do contato omitido",
  "imagem não revelada", "vídeo não revelado", "ficheiro de áudio não revelado",
  "sticker não revelado", "GIF não revelada", "Contacto não revelado",
  "imagen omitida", "Video omitido", "audio omitido", "sticker omitido",
  "Tarjeta de contacto omitida",
  "immagine omessa", "video omesso", "audio omesso", "sticker non incluso", "GIF esclusa",
  "Scheda contatto omessa",
  "afbeelding weggelaten", "video weggelaten", "audio weggelaten", "sticker weggelaten",
  "GIF weggelaten", "Visitekaartje weggelaten",
};

/* iPhone names the document first: "Plan.pdf • 2 pages document omitted". */
static const char * const document_placeholders[] = {
  "document omitted",
  "Dokument weggelassen",
  "document manquant",
  "documento omitido",
  "documento não revelado",
  "documento omesso",
  "document weggelaten",
};

/* "<attached: FILE>" in iPhone exports with media. */
static const char * const attached_labels[] = {
  "attached",
  "Anhang",
  "pièce jointe",
  "anexado",
  "anexo",
  "adjunto",
  "allegato",
  "bijgevoegd",
};

/* "FILE (file attached)" in Android exports with media. */
static const char * const attached_phrases[] = {
  "file attached",
  "Datei angehängt",
  "fichier joint",
  "arquivo anexado",
  "ficheiro anexado",
  "archivo adjunto",
  "file allegato",
  "bestand bijgevoegd",
};

static const char * const edit_markers[] = {
  "<This message was edited>",
  "<Diese Nachricht wurde bearbeitet.>",
  "<Diese Nachricht wurde bearbeitet>",
  "<Ce message a été modifié>",
  "<Mensagem editada>",
  "<Se editó este mensaje.>",
  "<Questo messaggio è stato modificato>",
  "<Dit bericht is bewerkt>",
};

/* Length of the bidirectional mark at @p (U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069, three bytes each in UTF-8), 0 if there is none. */
static gsize
bidi_mark_at (const char *p,
              const char *end)
{
  const guchar *u = (const guchar *) p;

  if (end - p < 3 || u[0] != 0xe2)
    return 0;
  if (u[1] == 0x80 && (u[2] == 0x8e || u[2] == 0x8f || (u[2] >= 0xaa && u[2] <= 0xae)))
    return 3;
  if (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)
    return 3;
  return 0;
}

/* DATE = D1 S D2 S D3, 1–4 digits each, S one of . / - and the same twice. */
static gsize
match_date (const char *s,
            const char *end,
            Entry      *entry)
{
  const char *p = s;
  guint d2_digits;
  gsize n;

  n = hone_datetime_digits (p, end, 4, &entry->d1, &entry->d1_digits);
  if (n == 0 || p + n >= end)
    return 0;
  p += n;
  if (*p != '.' && *p != '/' && *p != '-')
    return 0;
  entry->separator = *p++;
  n = hone_datetime_digits (p, end, 4, &entry->d2, &d2_digits);
  if (n == 0 || p + n >= end || p[n] != entry->separator)
    return 0;
  p += n + 1;
  n = hone_datetime_digits (p, end, 4, &entry->d3, &entry->d3_digits);
  if (n == 0 || (p + n < end && g_ascii_isdigit (p[n])))
    return 0;
  return p + n - s;
}

/* "DATE[,]SP TIME" with TIME = H:MM[:SS] [SP? AMPM]. */
static gsize
match_date_time (const char *s,
                 const char *end,
                 Entry      *entry)
{
  const char *p = s;
  gsize n;

  n = match_date (p, end, entry);
  if (n == 0)
    return 0;
  p += n;
  if (p < end && *p == ',')
    p++;
  n = hone_datetime_space (p, end);
  if (n == 0)
    return 0;
  p += n;
  n = hone_datetime_clock (p, end, &entry->hour, &entry->minute, &entry->second);
  if (n == 0)
    return 0;
  p += n;
  entry->ampm = HONE_AMPM_NONE;
  p += hone_datetime_ampm (p, end, &entry->ampm);
  return p - s;
}

/* Whether the line [s, end) is a header line in @layout (LAYOUT_NONE: in either
 * layout; *@found says which). Fills the date, time and REST of @entry. */
static gboolean
match_header (const char *text,
              gsize       start,
              gsize       end,
              Layout      layout,
              Layout     *found,
              Entry      *entry)
{
  const char *p = text + start;
  const char *e = text + end;
  gsize n;

  while ((n = bidi_mark_at (p, e)) > 0)
    p += n;
  if (p >= e)
    return FALSE;

  if (*p == '[' && layout != LAYOUT_ANDROID)
    {
      n = match_date_time (p + 1, e, entry);
      if (n == 0)
        return FALSE;
      p += 1 + n;
      if (p >= e || *p != ']')
        return FALSE;
      p++;
      n = hone_datetime_space (p, e);
      if (n == 0)
        return FALSE;
      p += n;
      *found = LAYOUT_IPHONE;
    }
  else if (g_ascii_isdigit (*p) && layout != LAYOUT_IPHONE)
    {
      n = match_date_time (p, e, entry);
      if (n == 0)
        return FALSE;
      p += n;
      n = hone_datetime_space (p, e);
      if (n == 0 || p + n >= e || p[n] != '-')
        return FALSE;
      p += n + 1;
      n = hone_datetime_space (p, e);
      if (n == 0)
        return FALSE;
      p += n;
      *found = LAYOUT_ANDROID;
    }
  else
    return FALSE;

  entry->rest = p - text;
  return TRUE;
}

static gboolean
is_blank_line (const char *s,
               gsize       len)
{
  g_autofree char *stripped = hone_text_strip (s, len);

  return stripped[0] == '\0';
}

/* The text [s, end) as written in the file, its lines joined with LF (a CR before an
 * LF belongs to the line end) and its bidirectional marks removed. */
static char *
copy_clean (const char *s,
            const char *end)
{
  char *out = g_malloc (end - s + 1);
  char *o = out;

  while (s < end)
    {
      gsize n;

      if (*s == '\r' && s + 1 < end && s[1] == '\n')
        {
          s++;
          continue;
        }
      n = bidi_mark_at (s, end);
      if (n > 0)
        {
          s += n;
          continue;
        }
      *o++ = *s++;
    }
  *o = '\0';
  return out;
}

static gboolean
has_suffix (const char *s,
            gsize       len,
            const char *suffix,
            gsize       suffix_len)
{
  return len >= suffix_len && memcmp (s + len - suffix_len, suffix, suffix_len) == 0;
}

/* Finishes a text or caption: marks removed, README section 2, then one edit marker
 * taken off its end. */
static char *
finish_text (const char *s,
             const char *end)
{
  g_autofree char *clean = copy_clean (s, end);
  g_autofree char *finished = hone_text_finish (clean, -1);
  gsize len = strlen (finished);

  for (guint i = 0; i < G_N_ELEMENTS (edit_markers); i++)
    {
      gsize marker_len = strlen (edit_markers[i]);

      if (has_suffix (finished, len, edit_markers[i], marker_len))
        return hone_text_strip (finished, len - marker_len);
    }
  return g_steal_pointer (&finished);
}

static gboolean
is_notice (const char *text)
{
  gsize len = strlen (text);

  for (guint i = 0; i < G_N_ELEMENTS (notices); i++)
    {
      gsize notice_len = strlen (notices[i]);

      if ((len == notice_len || (len == notice_len + 1 && text[notice_len] == '.')) &&
          memcmp (text, notices[i], notice_len) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
in_list (const char        *s,
         const char * const *list,
         guint              n)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (s, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Length of SP (U+0020, U+00A0, U+202F) ending right before @p, 0 if none. */
static gsize
space_before (const char *start,
              const char *p)
{
  const guchar *u = (const guchar *) p;

  if (p - start >= 1 && u[-1] == ' ')
    return 1;
  if (p - start >= 2 && u[-2] == 0xc2 && u[-1] == 0xa0)
    return 2;
  if (p - start >= 3 && u[-3] == 0xe2 && u[-2] == 0x80 && u[-1] == 0xaf)
    return 3;
  return 0;
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  gsize n;

  while ((n = hone_datetime_space (p, end)) > 0)
    p += n;
  return p;
}

/* "<LABEL: FILE>" filling [s, end) exactly, with spaces allowed around the label and
 * the colon. */
static gboolean
is_attached_tag (const char *s,
                 const char *end)
{
  const char *inner_end = end - 1;

  if (end - s < 2 || *s != '<' || *inner_end != '>')
    return FALSE;
  s = skip_spaces (s + 1, inner_end);
  for (guint i = 0; i < G_N_ELEMENTS (attached_labels); i++)
    {
      gsize label_len = strlen (attached_labels[i]);
      const char *p;
      const char *file_end;

      if ((gsize) (inner_end - s) < label_len || memcmp (s, attached_labels[i], label_len) != 0)
        continue;
      p = skip_spaces (s + label_len, inner_end);
      if (p >= inner_end || *p != ':')
        continue;
      p = skip_spaces (p + 1, inner_end);
      file_end = inner_end;
      while (file_end > p && space_before (p, file_end) > 0)
        file_end -= space_before (p, file_end);
      if (file_end > p)
        return TRUE;
    }
  return FALSE;
}

/* Whether the first line of a body, marks removed and stripped, stands for media. */
static gboolean
is_media_line (const char *line)
{
  gsize len = strlen (line);
  const char *end = line + len;

  if (len == 0)
    return FALSE;

  if (in_list (line, media_placeholders, G_N_ELEMENTS (media_placeholders)))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (document_placeholders); i++)
    {
      gsize n = strlen (document_placeholders[i]);

      if (has_suffix (line, len, document_placeholders[i], n) &&
          (len == n || line[len - n - 1] == ' '))
        return TRUE;
    }

  /* [ANYTHING SP]<LABEL: FILE> */
  if (line[len - 1] == '>')
    {
      const char *p = memchr (line, '<', len);

      while (p != NULL)
        {
          if ((p == line || space_before (line, p) > 0) && is_attached_tag (p, end))
            return TRUE;
          p = memchr (p + 1, '<', end - (p + 1));
        }
    }

  /* FILE (PHRASE) */
  if (line[len - 1] == ')')
    {
      for (guint i = 0; i < G_N_ELEMENTS (attached_phrases); i++)
        {
          gsize n = strlen (attached_phrases[i]);

          if (len >= n + 4 && line[len - n - 3] == ' ' && line[len - n - 2] == '(' &&
              memcmp (line + len - n - 1, attached_phrases[i], n) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static const char *
find_colon_space (const char *s,
                  const char *end)
{
  while (s + 1 < end)
    {
      const char *colon = memchr (s, ':', end - s - 1);

      if (colon == NULL)
        return NULL;
      if (colon[1] == ' ')
        return colon;
      s = colon + 1;
    }
  return NULL;
}

/* Adds the entry as a message, or counts it as a system event. */
static void
read_entry (HoneChatConversation *conversation,
            const char           *text,
            const Entry          *entry,
            const char           *time)
{
  const char *rest = text + entry->rest;
  const char *header_end = text + entry->header_end;
  const char *colon = find_colon_space (rest, header_end);
  const char *body;
  g_autofree char *raw_author = NULL;
  g_autofree char *author = NULL;
  g_autofree char *first_line = NULL;
  g_autofree char *clean_first_line = NULL;
  g_autofree char *body_text = NULL;

  if (colon == NULL)
    {
      conversation->n_system++;
      return;
    }
  raw_author = hone_text_remove_bidi (rest, colon - rest);
  author = hone_text_strip (raw_author, -1);
  if (author[0] == '\0')
    {
      conversation->n_system++;
      return;
    }

  body = colon + 2;
  clean_first_line = hone_text_remove_bidi (body, header_end - body);
  first_line = hone_text_strip (clean_first_line, -1);
  if (is_media_line (first_line))
    {
      /* The caption: the continuation lines only. */
      g_autofree char *caption = NULL;

      if (entry->end > entry->header_end)
        caption = finish_text (text + entry->next_line, text + entry->end);
      hone_chat_conversation_add (conversation, author, time,
                                  caption != NULL ? caption : "", TRUE);
      return;
    }

  body_text = finish_text (body, text + entry->end);
  /* On iPhone, what WhatsApp writes itself starts with U+200E; what people type does not. */
  if (is_notice (body_text) ||
      (header_end - body >= 3 && memcmp (body, "\xe2\x80\x8e", 3) == 0))
    {
      conversation->n_system++;
      return;
    }
  hone_chat_conversation_add (conversation, author, time, body_text, FALSE);
}

/* The time of an entry once the file's day/month order is known; NULL when it does
 * not exist. */
static char *
entry_time (const Entry *entry,
            gboolean     day_first)
{
  int year;
  int month;
  int day;
  int hour = hone_datetime_hour_24 (entry->hour, entry->ampm);

  if (hour < 0)
    return NULL;
  if (entry->d1_digits == 4)
    {
      year = entry->d1;
      month = entry->d2;
      day = entry->d3;
    }
  else
    {
      year = hone_datetime_year (entry->d3, entry->d3_digits);
      month = day_first ? entry->d2 : entry->d1;
      day = day_first ? entry->d1 : entry->d2;
    }
  return hone_text_format_time (year, month, day, hour, entry->minute, entry->second,
                                FALSE, 0);
}

gboolean
hone_read_whatsapp (HoneChatlog  *log,
                    const char   *name,
                    const char   *text,
                    gsize         len,
                    GError      **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(HoneChatConversation) conversation = NULL;
  HoneDateOrder order;
  Layout layout = LAYOUT_NONE;
  gboolean day_first;
  gsize pos = 0;
  guint line = 1;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Pass 1: the header lines, and where each entry ends. */
  for (;;)
    {
      const char *lf = memchr (text + pos, '\n', len - pos);
      gsize content_end = lf != NULL ? (gsize) (lf - text) : len;
      gsize next = lf != NULL ? content_end + 1 : len;
      Entry entry;
      Layout found = LAYOUT_NONE;

      if (lf != NULL && content_end > pos && text[content_end - 1] == '\r')
        content_end--;

      if (match_header (text, pos, content_end, layout, &found, &entry))
        {
          if (layout == LAYOUT_NONE)
            layout = found;
          entry.header_end = content_end;
          entry.next_line = next;
          entry.end = content_end;
          entry.line = line;
          g_array_append_val (entries, entry);
        }
      else if (entries->len > 0)
        g_array_index (entries, Entry, entries->len - 1).end = content_end;
      else if (!is_blank_line (text + pos, content_end - pos))
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, line,
                                 "not a WhatsApp message header (a WhatsApp export starts "
                                 "with a line such as “1/15/24, 9:41 PM - Anna: Hi” or "
                                 "“[15.01.24, 21:41:05] Anna: Hallo”)");
          return FALSE;
        }

      if (lf == NULL)
        break;
      pos = next;
      line++;
    }

  /* Pass 2: day-first or month-first, decided by every header of the file. */
  hone_date_order_init (&order);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      gboolean month_first_default = entry->separator == '/' && entry->ampm != HONE_AMPM_NONE;
      gboolean year_first = entry->d1_digits == 4;

      if (!hone_date_order_add (&order, year_first ? 0 : entry->d1, year_first ? 0 : entry->d2,
                                month_first_default))
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, entry->line,
                                 "the dates of this file are neither all day-first nor all "
                                 "month-first");
          return FALSE;
        }
    }
  day_first = hone_date_order_is_day_first (&order);

  /* Pass 3: messages and system events. */
  conversation = hone_chat_conversation_new (NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      g_autofree char *time = entry_time (entry, day_first);

      if (time == NULL)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SYNTAX, name, entry->line,
                                 "the date or time of this message does not exist");
          return FALSE;
        }
      read_entry (conversation, text, entry, time);
    }

  if (conversation->messages->len == 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NO_MESSAGES, name, 0,
                             "no messages in this WhatsApp export");
      return FALSE;
    }

  hone_chatlog_take_conversation (log, g_steal_pointer (&conversation));
  return TRUE;
}
