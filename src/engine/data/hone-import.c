/* hone-import.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry point of the importers: detection by content (README section 3) and
 * dispatch to the format readers, for a single file, a zip or a folder.
 */
#define G_LOG_DOMAIN "hone-import"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "hone-import-private.h"

G_DEFINE_QUARK (hone-import-error-quark, hone_import_error)

void
hone_import_set_error (GError          **error,
                       HoneImportError   code,
                       const char       *name,
                       guint             line,
                       const char       *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, HONE_IMPORT_ERROR, code, "%s: line %u: %s", name, line, message);
  else
    g_set_error (error, HONE_IMPORT_ERROR, code, "%s: %s", name, message);
}

char *
hone_import_iso_time (const char       *text,
                      HoneIsoTimeFlags  flags)
{
  HoneIsoTime t;

  g_return_val_if_fail (text != NULL, NULL);

  if (!hone_datetime_parse_iso (text, text + strlen (text), flags, &t))
    return NULL;
  return hone_text_format_time (t.year, t.month, t.day, t.hour, t.minute, t.second,
                                t.has_offset, t.offset_minutes);
}

/* Decoded text */

/* A file's text after decoding: a view of the file's own bytes when they are UTF-8
 * already (no copy of a big JSON file), or the converted UTF-16. */
typedef struct
{
  GBytes     *source;    /* the file's bytes */
  const char *text;
  gsize       len;
  char       *owned;     /* NUL-terminated; NULL while text points into source */
} Text;

static void
text_clear (Text *text)
{
  g_clear_pointer (&text->owned, g_free);
  g_clear_pointer (&text->source, g_bytes_unref);
  text->text = NULL;
  text->len = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Text, text_clear)

static gboolean
is_all_space (const char *text,
              gsize       len)
{
  const char *p = text;
  const char *end;

  if (len == 0)
    return TRUE;  /* an empty file's bytes may be a NULL pointer */
  end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char (p);
      if (!hone_text_is_space (c))
        return FALSE;
      p = g_utf8_next_char (p);
    }
  return TRUE;
}

static gboolean
is_utf16 (const guint8 *data,
          gsize         len)
{
  return len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff));
}

/* Decodes text->source. */
static gboolean
text_decode (Text        *text,
             const char  *name,
             GError     **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (text->source, &len);
  const guint8 *body = data;
  gsize body_len = len;

  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
      body += 3;
      body_len -= 3;
    }
  /* The common case needs no copy; anything else (UTF-16, an error) goes through
   * hone_text_decode(), the one place that words the refusals. */
  if (!is_utf16 (data, len) &&
      g_utf8_validate_len ((const char *) body, body_len, NULL) &&
      !is_all_space ((const char *) body, body_len))
    {
      text->text = (const char *) body;
      text->len = body_len;
      return TRUE;
    }

  text->owned = hone_text_decode (name, data, len, &text->len, error);
  text->text = text->owned;
  return text->owned != NULL;
}

/* A NUL-terminated copy for the readers that want one. */
static const char *
text_dup_terminated (Text *text)
{
  if (text->owned == NULL)
    {
      text->owned = g_malloc (text->len + 1);
      memcpy (text->owned, text->text, text->len);
      text->owned[text->len] = '\0';
      text->text = text->owned;
    }
  return text->owned;
}

/* The first character of @s that is not Unicode whitespace, or NULL. */
static const char *
skip_space (const char *s,
            const char *end)
{
  while (s < end)
    {
      gunichar c = g_utf8_get_char (s);
      if (!hone_text_is_space (c))
        return s;
      s = g_utf8_next_char (s);
    }
  return NULL;
}

static gboolean
line_is_blank (const char *line,
               const char *end)
{
  return skip_space (line, end) == NULL;
}

/* JSON */

typedef gboolean (*RecordReader) (HoneChatlog  *log,
                                  const char   *name,
                                  JsonNode     *record,
                                  guint         line,
                                  GError      **error);

static gboolean
starts_json (const char *text,
             gsize       len)
{
  const char *end = text + len;
  const char *p = skip_space (text, end);

  if (p == NULL)
    return FALSE;
  if (*p == '{')
    return TRUE;
  if (*p != '[')
    return FALSE;
  p = skip_space (p + 1, end);
  return p != NULL && (*p == '{' || *p == '[' || *p == ']' || *p == '"');
}

/* The dataset format a record's keys say, in the order README section 3 gives. */
static HoneChatFormat
record_format (JsonNode     *node,
               RecordReader *reader)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return HONE_CHAT_FORMAT_UNKNOWN;
  object = json_node_get_object (node);
  if (json_object_has_member (object, "messages"))
    {
      *reader = hone_read_openai_record;
      return HONE_CHAT_FORMAT_OPENAI;
    }
  if (json_object_has_member (object, "conversations"))
    {
      *reader = hone_read_sharegpt_record;
      return HONE_CHAT_FORMAT_SHAREGPT;
    }
  if (json_object_has_member (object, "instruction"))
    {
      *reader = hone_read_alpaca_record;
      return HONE_CHAT_FORMAT_ALPACA;
    }
  return HONE_CHAT_FORMAT_UNKNOWN;
}

/* Finds the first non-blank line and whether another non-blank line follows it. */
static gboolean
find_json_lines (const char  *text,
                 gsize        len,
                 const char **out_line,
                 gsize       *out_line_len,
                 guint       *out_number)
{
  const char *end = text + len;
  const char *p = text;
  const char *first = NULL;
  gsize first_len = 0;
  guint number = 1;

  while (p < end)
    {
      const char *lf = memchr (p, '\n', end - p);
      const char *eol = lf != NULL ? lf : end;

      if (!line_is_blank (p, eol))
        {
          if (first != NULL)
            {
              *out_line = first;
              *out_line_len = first_len;
              return TRUE;
            }
          first = p;
          first_len = eol - p;
          *out_number = number;
          /* Only an object can start JSON lines. */
          if (*skip_space (p, eol) != '{')
            return FALSE;
        }
      if (lf == NULL)
        break;
      p = lf + 1;
      number++;
    }
  return FALSE;
}

static gboolean
read_json_lines (HoneChatlog   *log,
                 const char    *name,
                 const char    *text,
                 gsize          len,
                 JsonNode      *first_root,
                 guint          first_number,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const char *end = text + len;
  const char *p = text;
  RecordReader reader = NULL;
  guint number = 1;

  log->format = record_format (first_root, &reader);
  if (log->format == HONE_CHAT_FORMAT_UNKNOWN)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, first_number,
                             "not a known kind of JSON lines: the first line has none of the "
                             "keys `messages`, `conversations` or `instruction`");
      return FALSE;
    }

  while (p < end)
    {
      const char *lf = memchr (p, '\n', end - p);
      const char *eol = lf != NULL ? lf : end;

      if (number == first_number)
        {
          if (!reader (log, name, first_root, number, error))
            return FALSE;
        }
      else if (number > first_number && !line_is_blank (p, eol))
        {
          g_autoptr(JsonNode) root = NULL;

          if (number % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          root = hone_json_parse (name, p, eol - p, number, error);
          if (root == NULL || !reader (log, name, root, number, error))
            return FALSE;
        }
      if (lf == NULL)
        break;
      p = lf + 1;
      number++;
    }
  return TRUE;
}

/* Rewrites "NAME: MESSAGE" as "NAME: item N: MESSAGE" so that a refusal in a JSON
 * array of records says which record. */
static void
name_item (GError     *error,
           const char *name,
           guint       index)
{
  gsize name_len = strlen (name);
  char *message;

  if (error == NULL || strncmp (error->message, name, name_len) != 0 ||
      strncmp (error->message + name_len, ": ", 2) != 0)
    return;
  message = g_strdup_printf ("%s: item %u: %s", name, index + 1,
                             error->message + name_len + 2);
  g_free (error->message);
  error->message = message;
}

static gboolean
read_json_document (HoneChatlog  *log,
                    const char   *name,
                    JsonNode     *root,
                    GError      **error)
{
  RecordReader reader = NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      if (json_object_has_member (object, "chats"))
        {
          log->format = HONE_CHAT_FORMAT_TELEGRAM;
          return hone_read_telegram (log, name, root, error);
        }
      if (json_object_has_member (object, "guild") && json_object_has_member (object, "messages"))
        {
          log->format = HONE_CHAT_FORMAT_DISCORD;
          return hone_read_discord (log, name, root, error);
        }
      if (json_object_has_member (object, "participants") &&
          json_object_has_member (object, "messages"))
        {
          const char *names[] = { name, NULL };

          log->format = HONE_CHAT_FORMAT_MESSENGER;
          return hone_read_messenger (log, &root, names, 1, error);
        }
      if (json_object_has_member (object, "messages") &&
          json_object_has_member (object, "type") && json_object_has_member (object, "id"))
        {
          log->format = HONE_CHAT_FORMAT_TELEGRAM;
          return hone_read_telegram (log, name, root, error);
        }
      log->format = record_format (root, &reader);
      if (log->format != HONE_CHAT_FORMAT_UNKNOWN)
        return reader (log, name, root, 0, error);
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);

      if (n == 0)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_NO_MESSAGES, name, 0,
                                 "no messages (the JSON array is empty)");
          return FALSE;
        }
      log->format = record_format (json_array_get_element (array, 0), &reader);
      if (log->format != HONE_CHAT_FORMAT_UNKNOWN)
        {
          for (guint i = 0; i < n; i++)
            if (!reader (log, name, json_array_get_element (array, i), 0, error))
              {
                name_item (error != NULL ? *error : NULL, name, i);
                return FALSE;
              }
          return TRUE;
        }
    }

  hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 0,
                         "not a known chat export (JSON, but not of a format Hone reads)");
  return FALSE;
}

/* Hands the pages of a big tree just freed back to the system. glibc keeps freed
 * memory for reuse, so without this the memory of a 25 MB export's tree would stay
 * counted against the process while the messages are stored. */
static void
release_freed_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* Members that no reader looks at (README sections 6, 7 and 9) and that can make up
 * a good part of a big export's tree: Telegram's per-message copy of the text split
 * into entities, Discord's link previews, reactions in Discord and Messenger. */
static const char * const unused_keys[] = {
  "text_entities",
  "embeds",
  "reactions",
  NULL,
};

/* Reads JSON text; the text is released once the tree is built. */
static gboolean
read_json (HoneChatlog   *log,
           const char    *name,
           Text          *text,
           GCancellable  *cancellable,
           GError       **error)
{
  JsonNode *root;
  const char *line = NULL;
  gsize line_len = 0;
  guint number = 0;
  gboolean big = text->len > 1024 * 1024;
  gboolean ok;

  if (find_json_lines (text->text, text->len, &line, &line_len, &number))
    {
      g_autoptr(JsonNode) first = hone_json_parse (name, line, line_len, number, NULL);

      if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
        return read_json_lines (log, name, text->text, text->len, first, number, cancellable,
                                error);
    }

  root = hone_json_parse_skipping (name, text->text, text->len, 1, unused_keys, error);
  if (root == NULL)
    return FALSE;
  /* The tree holds everything now; the text would only add to the peak. */
  text_clear (text);
  ok = read_json_document (log, name, root, error);
  json_node_unref (root);
  if (big)
    release_freed_memory ();
  return ok;
}

/* One file */

/* WhatsApp: the first non-blank line, without bidirectional marks at its start,
 * begins with '[' or an ASCII digit. */
static gboolean
starts_whatsapp (const char *text,
                 gsize       len)
{
  const char *end = text + len;
  const char *p = text;

  while (p < end)
    {
      const char *lf = memchr (p, '\n', end - p);
      const char *eol = lf != NULL ? lf : end;

      if (!line_is_blank (p, eol))
        {
          while (p < eol && hone_text_is_bidi_mark (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          return p < eol && (*p == '[' || g_ascii_isdigit (*p));
        }
      if (lf == NULL)
        break;
      p = lf + 1;
    }
  return FALSE;
}

/* Reads one file's bytes (or a member's) as README section 3, steps 2 to 6. Takes
 * @bytes, and lets go of them as soon as they are no longer needed. */
static HoneChatlog *
read_file_bytes (const char        *name,
                 const char        *file,
                 GBytes            *bytes,
                 const HoneCsvMap  *map,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(HoneChatlog) log = hone_chatlog_new (file);
  g_auto(Text) text = { 0 };
  gboolean ok;
  gsize len = 0;
  const guint8 *data;

  text.source = bytes;
  data = g_bytes_get_data (bytes, &len);
  if (hone_bundle_is_zip (data, len))
    {
      /* Only a zip inside a zip or a folder gets here. */
      hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 0,
                             "a zip inside the export is not read");
      return NULL;
    }
  if (!text_decode (&text, name, error))
    return NULL;

  if (starts_json (text.text, text.len))
    ok = read_json (log, name, &text, cancellable, error);
  else
    {
      const char *terminated = text_dup_terminated (&text);

      if (hone_csv_detect (terminated, text.len, map))
        {
          log->format = HONE_CHAT_FORMAT_CSV;
          ok = hone_read_csv (log, name, terminated, text.len, map, error);
        }
      else if (starts_whatsapp (terminated, text.len))
        {
          log->format = HONE_CHAT_FORMAT_WHATSAPP;
          ok = hone_read_whatsapp (log, name, terminated, text.len, error);
        }
      else
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, name, 0,
                                 "not a known chat export");
          ok = FALSE;
        }
    }
  if (!ok)
    return NULL;

  if (hone_chatlog_count_messages (log) == 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NO_MESSAGES, name, 0,
                             "no messages in it");
      return NULL;
    }
  return g_steal_pointer (&log);
}

/* Zips and folders */

static char *
member_name (HoneBundle *bundle,
             const char *path)
{
  return g_strdup_printf ("%s: %s", hone_bundle_get_name (bundle), path);
}

/* The folder part of a member path, with its '/' ("" at the root). */
static char *
member_dir (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? g_strndup (path, slash - path + 1) : g_strdup ("");
}

static guint
count_slashes (const char *s)
{
  guint n = 0;

  for (; *s != '\0'; s++)
    n += *s == '/';
  return n;
}

/* Rule 1: the folder holding channels.json and users.json, shallowest then first. */
static char *
find_slack_root (HoneBundle *bundle)
{
  char *best = NULL;
  guint best_depth = G_MAXUINT;

  for (guint i = 0; i < hone_bundle_get_n_members (bundle); i++)
    {
      const char *path = hone_bundle_get_member (bundle, i);
      const char *base = strrchr (path, '/');
      g_autofree char *dir = NULL;
      g_autofree char *users = NULL;
      guint depth;

      base = base != NULL ? base + 1 : path;
      if (strcmp (base, "channels.json") != 0)
        continue;
      dir = member_dir (path);
      users = g_strconcat (dir, "users.json", NULL);
      if (!hone_bundle_has_member (bundle, users))
        continue;
      depth = count_slashes (dir);
      /* Members come sorted, so the first at a depth is the first sorted. */
      if (depth < best_depth)
        {
          g_free (best);
          best = g_steal_pointer (&dir);
          best_depth = depth;
        }
    }
  return best;
}


/* N of a "message_N.json" file name, as its digits; NULL for other names. */
static const char *
messenger_number (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *digits;
  const char *p;

  base = base != NULL ? base + 1 : path;
  if (!g_str_has_prefix (base, "message_"))
    return NULL;
  digits = base + strlen ("message_");
  for (p = digits; g_ascii_isdigit (*p); p++)
    ;
  if (p == digits || strcmp (p, ".json") != 0)
    return NULL;
  return digits;
}

typedef struct
{
  char       *dir;
  const char *path;    /* borrowed from the bundle */
  const char *number;  /* digits inside path */
} MessengerFile;

static void
messenger_file_clear (gpointer data)
{
  MessengerFile *file = data;

  g_free (file->dir);
}

/* Threads in sorted order of their folders; files in ascending N (compared as numbers,
 * then by name for "message_01.json" beside "message_1.json"). */
static int
compare_messenger_files (gconstpointer a,
                         gconstpointer b)
{
  const MessengerFile *fa = a;
  const MessengerFile *fb = b;
  const char *na = fa->number;
  const char *nb = fb->number;
  gsize la;
  gsize lb;
  int by_dir = strcmp (fa->dir, fb->dir);
  int by_digits;

  if (by_dir != 0)
    return by_dir;
  while (*na == '0' && g_ascii_isdigit (na[1]))
    na++;
  while (*nb == '0' && g_ascii_isdigit (nb[1]))
    nb++;
  la = strspn (na, "0123456789");
  lb = strspn (nb, "0123456789");
  if (la != lb)
    return la < lb ? -1 : 1;
  by_digits = strncmp (na, nb, la);
  return by_digits != 0 ? by_digits : strcmp (fa->path, fb->path);
}

/* Reads and parses one JSON member that a rule requires (a failure fails the import). */
static JsonNode *
parse_member (HoneBundle  *bundle,
              const char  *path,
              const char  *name,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(Text) text = { 0 };

  text.source = hone_bundle_read_member (bundle, path, &local_error);
  if (text.source == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        hone_import_set_error (error, HONE_IMPORT_ERROR_ENCODING, name, 1,
                               "not valid UTF-8 text (binary data?)");
      return NULL;
    }
  if (!text_decode (&text, name, error))
    return NULL;
  return hone_json_parse (name, text.text, text.len, 1, error);
}

/* Rule 2: every folder directly holding message_N.json files is one thread. */
static gboolean
read_messenger_bundle (HoneChatlog   *log,
                       HoneBundle    *bundle,
                       GArray        *files,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint start = 0;

  g_array_sort (files, compare_messenger_files);
  while (start < files->len)
    {
      g_autoptr(GPtrArray) nodes = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *dir = g_array_index (files, MessengerFile, start).dir;
      guint end = start;

      while (end < files->len && strcmp (g_array_index (files, MessengerFile, end).dir, dir) == 0)
        end++;

      nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      for (guint i = start; i < end; i++)
        {
          const char *path = g_array_index (files, MessengerFile, i).path;
          char *name = member_name (bundle, path);
          JsonNode *node;

          g_ptr_array_add (names, name);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          node = parse_member (bundle, path, name, error);
          if (node == NULL)
            return FALSE;
          g_ptr_array_add (nodes, node);
        }
      g_ptr_array_add (names, NULL);
      if (!hone_read_messenger (log, (JsonNode **) nodes->pdata,
                                (const char * const *) names->pdata, nodes->len, error))
        return FALSE;
      start = end;
    }
  return TRUE;
}

/* Rule 3: every member on its own; those refused or without messages are skipped. */
static gboolean
read_members (HoneChatlog       *log,
              HoneBundle        *bundle,
              const HoneCsvMap  *map,
              GCancellable      *cancellable,
              GError           **error)
{
  HoneChatFormat format = HONE_CHAT_FORMAT_UNKNOWN;
  const char *first_path = NULL;

  for (guint i = 0; i < hone_bundle_get_n_members (bundle); i++)
    {
      const char *path = hone_bundle_get_member (bundle, i);
      g_autofree char *name = NULL;
      GBytes *bytes;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(HoneChatlog) part = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      bytes = hone_bundle_read_member (bundle, path, &local_error);
      if (bytes == NULL)
        {
          if (local_error != NULL)
            g_debug ("%s: %s", hone_bundle_get_name (bundle), local_error->message);
          continue;
        }
      name = member_name (bundle, path);
      part = read_file_bytes (name, hone_bundle_get_name (bundle), bytes, map, cancellable,
                              &local_error);
      if (part == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("skipped: %s", local_error->message);
          continue;
        }

      if (format == HONE_CHAT_FORMAT_UNKNOWN)
        {
          format = part->format;
          first_path = path;
        }
      else if (part->format != format)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_MIXED, hone_bundle_get_name (bundle), 0,
                                 "more than one kind of chat export in it (%s is %s, %s is %s)",
                                 first_path, hone_chat_format_to_string (format),
                                 path, hone_chat_format_to_string (part->format));
          return FALSE;
        }
      hone_chatlog_append (log, part);
    }

  if (format == HONE_CHAT_FORMAT_UNKNOWN)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NOT_CHAT, hone_bundle_get_name (bundle), 0,
                             "no chat export found in it (nothing in it could be imported)");
      return FALSE;
    }
  log->format = format;
  return TRUE;
}

static HoneChatlog *
read_bundle (const char        *path,
             const HoneCsvMap  *map,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(HoneBundle) bundle = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GArray) messenger = NULL;
  g_autofree char *slack_root = NULL;
  const char *name;

  bundle = hone_bundle_open (path, cancellable, error);
  if (bundle == NULL)
    return NULL;
  name = hone_bundle_get_name (bundle);
  log = hone_chatlog_new (name);

  messenger = g_array_new (FALSE, FALSE, sizeof (MessengerFile));
  g_array_set_clear_func (messenger, messenger_file_clear);

  slack_root = find_slack_root (bundle);
  if (slack_root != NULL)
    {
      log->format = HONE_CHAT_FORMAT_SLACK;
      if (!hone_read_slack (log, bundle, slack_root, error))
        return NULL;
    }
  else
    {
      for (guint i = 0; i < hone_bundle_get_n_members (bundle); i++)
        {
          const char *member = hone_bundle_get_member (bundle, i);
          const char *number = messenger_number (member);

          if (number != NULL)
            {
              MessengerFile file = { member_dir (member), member, number };
              g_array_append_val (messenger, file);
            }
        }
      if (messenger->len > 0)
        {
          log->format = HONE_CHAT_FORMAT_MESSENGER;
          if (!read_messenger_bundle (log, bundle, messenger, cancellable, error))
            return NULL;
        }
      else if (!read_members (log, bundle, map, cancellable, error))
        return NULL;
    }

  if (hone_chatlog_count_messages (log) == 0)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_NO_MESSAGES, name, 0, "no messages in it");
      return NULL;
    }
  log->checksum = hone_bundle_dup_checksum (bundle);
  return g_steal_pointer (&log);
}

static gpointer
checksum_thread (gpointer data)
{
  g_autoptr(GBytes) bytes = data;
  gsize len = 0;
  const guint8 *bytes_data = g_bytes_get_data (bytes, &len);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      bytes_data != NULL ? bytes_data : (const guint8 *) "", len);
}

HoneChatlog *
hone_import_read_path (const char               *path,
                       const HoneImportOptions  *options,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  const HoneCsvMap *map = options != NULL ? options->csv_map : NULL;
  g_autofree char *base = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *checksum = NULL;
  GThread *checksum_worker = NULL;
  const guint8 *data;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  base = g_path_get_basename (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return read_bundle (path, map, cancellable, error);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_IO, base, 0, "could not read the file: %s",
                             local_error->message);
      return NULL;
    }
  /* The bytes keep the mapping alive; the reader drops them when it can. */
  bytes = g_mapped_file_get_bytes (mapped);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  data = g_bytes_get_data (bytes, &len);

  if (hone_bundle_is_zip (data, len))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      return read_bundle (path, map, cancellable, error);
    }

  /* Hashing a big file takes about a third as long as reading it: on a second core it
   * is done by the time the reader is. */
  if (len > 4 * 1024 * 1024)
    checksum_worker = g_thread_new ("hone-checksum", checksum_thread, g_bytes_ref (bytes));
  else
    checksum = checksum_thread (g_bytes_ref (bytes));

  log = read_file_bytes (base, base, g_steal_pointer (&bytes), map, cancellable, error);
  if (checksum_worker != NULL)
    checksum = g_thread_join (checksum_worker);
  if (log == NULL)
    return NULL;
  log->checksum = g_steal_pointer (&checksum);
  return g_steal_pointer (&log);
}

/* --map */

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HoneCsvMap, hone_csv_map_clear)

static const char * const map_fields[] = {
  "conversation", "time", "author", "role", "text", "attachment",
};

static char **
map_slot (HoneCsvMap *map,
          guint       field)
{
  switch (field)
    {
    case 0: return &map->conversation;
    case 1: return &map->time;
    case 2: return &map->author;
    case 3: return &map->role;
    case 4: return &map->text;
    case 5: return &map->attachment;
    default: g_assert_not_reached ();
    }
}

gboolean
hone_csv_map_parse (HoneCsvMap  *map,
                    const char  *spec,
                    GError     **error)
{
  g_auto(HoneCsvMap) parsed = { 0 };
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *equals;
      g_autofree char *column = NULL;
      g_autofree char *field = NULL;
      char **slot = NULL;

      /* "a=text," and spaces around items are forgiven. */
      g_strstrip (items[i]);
      if (items[i][0] == '\0')
        continue;
      equals = strrchr (items[i], '=');
      if (equals == NULL)
        {
          g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP,
                       "“%s” is not COLUMN=FIELD", items[i]);
          return FALSE;
        }
      column = g_strstrip (g_strndup (items[i], equals - items[i]));
      field = g_strstrip (g_strdup (equals + 1));
      for (guint f = 0; f < G_N_ELEMENTS (map_fields); f++)
        if (g_ascii_strcasecmp (field, map_fields[f]) == 0)
          slot = map_slot (&parsed, f);
      if (slot == NULL)
        {
          g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP,
                       "unknown field “%s” (the fields are conversation, time, author, role, "
                       "text and attachment)", field);
          return FALSE;
        }
      if (column[0] == '\0')
        {
          g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP,
                       "no column given for the field “%s”", field);
          return FALSE;
        }
      if (*slot != NULL)
        {
          g_set_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_BAD_MAP,
                       "the field “%s” is given twice", field);
          return FALSE;
        }
      *slot = g_steal_pointer (&column);
    }

  hone_csv_map_clear (map);
  *map = parsed;
  memset (&parsed, 0, sizeof parsed);
  return TRUE;
}

void
hone_csv_map_clear (HoneCsvMap *map)
{
  g_return_if_fail (map != NULL);

  g_clear_pointer (&map->conversation, g_free);
  g_clear_pointer (&map->time, g_free);
  g_clear_pointer (&map->author, g_free);
  g_clear_pointer (&map->role, g_free);
  g_clear_pointer (&map->text, g_free);
  g_clear_pointer (&map->attachment, g_free);
}
