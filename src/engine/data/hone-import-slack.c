/* hone-import-slack.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slack workspace export (README section 8), as a zip or a folder: users.json, the
 * conversation lists (channels.json, groups.json, mpims.json, dms.json) and one folder
 * per conversation holding a YYYY-MM-DD.json file per day.
 */
#define G_LOG_DOMAIN "hone-import-slack"

#include "config.h"

#include <string.h>

#include "hone-import-private.h"

/* In this order; the folder of a dms.json entry is its id, of the others its name. */
static const char *list_files[] = { "channels.json", "groups.json", "mpims.json", "dms.json" };

/* Subtypes that are messages; every other subtype is a system event. */
static const char *message_subtypes[] = {
  "thread_broadcast", "file_share", "bot_message", "me_message",
};

typedef struct
{
  HoneBundle *bundle;
  const char *root;       /* "" or "folder/" */
  JsonNode   *users_root; /* users.json, owned */
  GHashTable *users;      /* user id → author name, both borrowed from users_root */
  GHashTable *folders;    /* folder → GPtrArray of day file paths in name order */
} SlackReader;

typedef struct
{
  JsonObject *record;    /* borrowed from a day file's tree */
  const char *ts;        /* borrowed, validated: digits with an optional fraction */
  char       *time;      /* owned */
  guint       position;  /* in the concatenation of the day files */
} Entry;

static void
slack_reader_clear (SlackReader *reader)
{
  g_clear_pointer (&reader->users_root, json_node_unref);
  g_clear_pointer (&reader->users, g_hash_table_unref);
  g_clear_pointer (&reader->folders, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SlackReader, slack_reader_clear)

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->time, g_free);
}

static const char *
get_string (JsonObject *object,
            const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
is_blank (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (!hone_text_is_space (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The first of @keys (NULL-terminated) in @object that is a string not blank after
 * stripping. */
static const char *
first_name (JsonObject        *object,
            const char *const *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = get_string (object, keys[i]);

      if (value != NULL && !is_blank (value))
        return value;
    }
  return NULL;
}

/* "YYYY-MM-DD.json" */
static gboolean
is_day_file (const char *base)
{
  static const char pattern[] = "dddd-dd-dd.json";

  if (strlen (base) != sizeof pattern - 1)
    return FALSE;
  for (guint i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (base[i]) : base[i] != pattern[i])
        return FALSE;
    }
  return TRUE;
}

/* Digits with an optional fraction; *seconds gets the whole seconds, or -1 when they are
 * too many to be a time. */
static gboolean
parse_ts (const char *ts,
          gint64     *seconds)
{
  const char *p = ts;
  const char *digits;
  gsize n;

  while (*p == '0' && g_ascii_isdigit (p[1]))
    p++;
  digits = p;
  while (g_ascii_isdigit (*p))
    p++;
  n = p - digits;
  if (n == 0)
    return FALSE;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  *seconds = n > 15 ? -1 : g_ascii_strtoll (digits, NULL, 10);
  return TRUE;
}

/* Compares two validated ts values as decimal numbers. */
static int
compare_ts (const char *a,
            const char *b)
{
  gsize la, lb;
  int cmp;

  while (*a == '0')
    a++;
  while (*b == '0')
    b++;
  la = strspn (a, "0123456789");
  lb = strspn (b, "0123456789");
  if (la != lb)
    return la < lb ? -1 : 1;
  cmp = memcmp (a, b, la);
  if (cmp != 0)
    return cmp;

  a += la;
  b += lb;
  if (*a == '.')
    a++;
  if (*b == '.')
    b++;
  while (*a != '\0' || *b != '\0')
    {
      char ca = *a != '\0' ? *a++ : '0';
      char cb = *b != '\0' ? *b++ : '0';

      if (ca != cb)
        return ca < cb ? -1 : 1;
    }
  return 0;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;
  int cmp = compare_ts (ea->ts, eb->ts);

  if (cmp != 0)
    return cmp;
  /* Stable: equal times keep the order of the day files. */
  return ea->position < eb->position ? -1 : ea->position > eb->position;
}

/* Reads, decodes and parses one member, which should hold an array of @what; messages
 * name it "BUNDLE: PATH". */
static JsonNode *
load_array (SlackReader  *reader,
            const char   *path,
            const char   *member_name,
            const char   *what,
            GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *text = NULL;
  gsize text_len = 0;
  gsize len = 0;
  const guint8 *data;

  bytes = hone_bundle_read_member (reader->bundle, path, &read_error);
  if (bytes == NULL)
    {
      if (read_error != NULL)
        g_propagate_error (error, g_steal_pointer (&read_error));
      else
        hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, member_name, 0,
                               "is not a JSON text file");
      return NULL;
    }

  data = g_bytes_get_data (bytes, &len);
  text = hone_text_decode (member_name, data, len, &text_len, error);
  if (text == NULL)
    return NULL;
  root = hone_json_parse (member_name, text, text_len, 1, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, member_name, 0,
                             "should be an array of %s", what);
      return NULL;
    }
  return g_steal_pointer (&root);
}

static gboolean
load_users (SlackReader  *reader,
            const char   *bundle_name,
            GError      **error)
{
  static const char *const profile_keys[] = { "display_name", "real_name", NULL };
  static const char *const user_keys[] = { "real_name", "name", NULL };
  g_autofree char *path = g_strconcat (reader->root, "users.json", NULL);
  g_autofree char *member_name = g_strdup_printf ("%s: %s", bundle_name, path);
  JsonArray *users;

  reader->users = g_hash_table_new (g_str_hash, g_str_equal);
  if (!hone_bundle_has_member (reader->bundle, path))
    return TRUE;

  reader->users_root = load_array (reader, path, member_name, "users", error);
  if (reader->users_root == NULL)
    return FALSE;

  users = json_node_get_array (reader->users_root);
  for (guint i = 0, n = json_array_get_length (users); i < n; i++)
    {
      JsonNode *node = json_array_get_element (users, i);
      JsonObject *user;
      const char *id;
      const char *author;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      user = json_node_get_object (node);
      id = get_string (user, "id");
      if (id == NULL || g_hash_table_contains (reader->users, id))
        continue;

      author = first_name (get_object (user, "profile"), profile_keys);
      if (author == NULL)
        author = first_name (user, user_keys);
      if (author == NULL)
        author = id;
      g_hash_table_insert (reader->users, (gpointer) id, (gpointer) author);
    }
  return TRUE;
}

/* Groups the day files by folder, once for the whole export. */
static void
index_folders (SlackReader *reader)
{
  gsize root_len = strlen (reader->root);

  reader->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0, n = hone_bundle_get_n_members (reader->bundle); i < n; i++)
    {
      const char *path = hone_bundle_get_member (reader->bundle, i);
      const char *rest;
      const char *slash;
      GPtrArray *days;
      g_autofree char *folder = NULL;

      if (strncmp (path, reader->root, root_len) != 0)
        continue;
      rest = path + root_len;
      slash = strchr (rest, '/');
      if (slash == NULL || slash == rest || strchr (slash + 1, '/') != NULL
          || !is_day_file (slash + 1))
        continue;

      folder = g_strndup (rest, slash - rest);
      days = g_hash_table_lookup (reader->folders, folder);
      if (days == NULL)
        {
          days = g_ptr_array_new ();
          g_hash_table_insert (reader->folders, g_steal_pointer (&folder), days);
        }
      /* Members are sorted, so the days of a folder come in name order. */
      g_ptr_array_add (days, (gpointer) path);
    }
}

/* users.json, then the message's own user_profile, then the id itself. */
static const char *
lookup_user (SlackReader *reader,
             JsonObject  *record)
{
  static const char *const profile_keys[] = { "display_name", "real_name", "name", NULL };
  const char *id = get_string (record, "user");
  const char *author;

  if (id != NULL)
    {
      author = g_hash_table_lookup (reader->users, id);
      if (author != NULL)
        return author;
    }
  author = first_name (get_object (record, "user_profile"), profile_keys);
  if (author != NULL)
    return author;
  return id;
}

static const char *
bot_author (SlackReader *reader,
            JsonObject  *record)
{
  static const char *const username_keys[] = { "username", NULL };
  static const char *const bot_keys[] = { "name", NULL };
  const char *author;

  author = first_name (record, username_keys);
  if (author == NULL)
    author = first_name (get_object (record, "bot_profile"), bot_keys);
  if (author == NULL)
    author = lookup_user (reader, record);
  if (author == NULL)
    author = get_string (record, "bot_id");
  return author;
}

/* Whether a message object is a message (TRUE) or a system event. */
static gboolean
is_message (JsonObject *record,
            gboolean   *is_bot)
{
  JsonNode *node = json_object_get_member (record, "subtype");
  const char *subtype;

  *is_bot = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  subtype = json_node_get_string (node);
  for (guint i = 0; i < G_N_ELEMENTS (message_subtypes); i++)
    {
      if (strcmp (subtype, message_subtypes[i]) == 0)
        {
          *is_bot = strcmp (subtype, "bot_message") == 0;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
has_media (JsonObject *record)
{
  JsonNode *files = json_object_get_member (record, "files");

  if (files != NULL
      && JSON_NODE_HOLDS_ARRAY (files)
      && json_array_get_length (json_node_get_array (files)) > 0)
    return TRUE;
  /* Older exports: one "file" object. */
  return get_object (record, "file") != NULL;
}

static gboolean
read_day (GArray       *entries,
          JsonArray    *records,
          const char   *member_name,
          GError      **error)
{
  for (guint i = 0, n = json_array_get_length (records); i < n; i++)
    {
      JsonNode *node = json_array_get_element (records, i);
      JsonObject *record;
      const char *type;
      const char *ts = NULL;
      const char *text = NULL;
      gint64 seconds = 0;
      Entry entry = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, member_name, 0,
                                 "should be an array of message objects");
          return FALSE;
        }
      record = json_node_get_object (node);

      /* Only "message" objects count. */
      type = get_string (record, "type");
      if (type == NULL || strcmp (type, "message") != 0)
        continue;

      if (!hone_json_get_string (record, "ts", TRUE, FALSE, &ts, member_name, 0, error)
          || !hone_json_get_string (record, "text", FALSE, FALSE, &text, member_name, 0, error))
        return FALSE;
      if (!parse_ts (ts, &seconds))
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, member_name, 0,
                                 "`ts` should be a string of digits with an optional fraction");
          return FALSE;
        }

      entry.time = seconds >= 0 ? hone_text_format_unix_utc (seconds) : NULL;
      if (entry.time == NULL)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, member_name, 0,
                                 "`ts` is out of range");
          return FALSE;
        }
      entry.record = record;
      entry.ts = ts;
      entry.position = entries->len;
      g_array_append_val (entries, entry);
    }
  return TRUE;
}

static gboolean
read_conversation (SlackReader  *reader,
                   HoneChatlog  *out,
                   const char   *bundle_name,
                   const char   *folder,
                   const char   *title,
                   GError      **error)
{
  g_autoptr(HoneChatConversation) conversation = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GArray) entries = NULL;
  GPtrArray *paths = g_hash_table_lookup (reader->folders, folder);

  /* An entry without a folder is not a conversation. */
  if (paths == NULL)
    return TRUE;

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (entries, entry_clear);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *member_name = g_strdup_printf ("%s: %s", bundle_name, path);
      JsonNode *day = load_array (reader, path, member_name, "message objects", error);

      if (day == NULL)
        return FALSE;
      g_ptr_array_add (days, day);
      if (!read_day (entries, json_node_get_array (day), member_name, error))
        return FALSE;
    }

  /* Thread replies live in the day they were written; ts puts them in place. */
  g_array_sort (entries, compare_entries);

  conversation = hone_chat_conversation_new (title);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      const char *author;
      gboolean is_bot;

      if (!is_message (entry->record, &is_bot))
        {
          conversation->n_system++;
          continue;
        }

      author = is_bot ? bot_author (reader, entry->record) : lookup_user (reader, entry->record);
      hone_chat_conversation_add (conversation, author != NULL ? author : "", entry->time,
                                  get_string (entry->record, "text"), has_media (entry->record));
    }

  hone_chatlog_take_conversation (out, g_steal_pointer (&conversation));
  return TRUE;
}

static gboolean
read_list (SlackReader  *reader,
           HoneChatlog  *out,
           const char   *bundle_name,
           const char   *list_file,
           gboolean      folder_is_id,
           GError      **error)
{
  g_autofree char *path = g_strconcat (reader->root, list_file, NULL);
  g_autofree char *member_name = g_strdup_printf ("%s: %s", bundle_name, path);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;

  if (!hone_bundle_has_member (reader->bundle, path))
    return TRUE;

  root = load_array (reader, path, member_name, "conversations", error);
  if (root == NULL)
    return FALSE;

  list = json_node_get_array (root);
  for (guint i = 0, n = json_array_get_length (list); i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *entry;
      const char *name;
      const char *id;
      const char *folder;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      name = get_string (entry, "name");
      id = get_string (entry, "id");
      folder = folder_is_id ? id : name;
      if (folder == NULL || folder[0] == '\0')
        continue;

      if (!read_conversation (reader, out, bundle_name, folder, name != NULL ? name : id, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hone_read_slack (HoneChatlog  *log,
                 HoneBundle   *bundle,
                 const char   *root,
                 GError      **error)
{
  g_auto(SlackReader) reader = { 0, };
  g_autoptr(HoneChatlog) read = NULL;
  const char *bundle_name;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (bundle != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reader.bundle = bundle;
  reader.root = root;
  bundle_name = hone_bundle_get_name (bundle);

  if (!load_users (&reader, bundle_name, error))
    return FALSE;
  index_folders (&reader);

  read = hone_chatlog_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (list_files); i++)
    {
      gboolean folder_is_id = strcmp (list_files[i], "dms.json") == 0;

      if (!read_list (&reader, read, bundle_name, list_files[i], folder_is_id, error))
        return FALSE;
    }

  hone_chatlog_append (log, read);
  return TRUE;
}
