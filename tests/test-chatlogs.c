/* test-chatlogs.c — every shared chat-log sample imports with exactly the facts
 * ../shared/testdata/chatlogs/expected.json gives, and every broken one is refused
 * with a message that names the file and contains the expected words.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-import.h"

#include "hone-test-util.h"

static char *chatlogs_dir;

static void
check_good (HoneChatlog *log,
            JsonObject  *want)
{
  JsonArray *participants = json_object_get_array_member (want, "participants");
  g_auto(GStrv) got_participants = hone_chatlog_dup_participants (log);
  JsonArray *samples = json_object_get_array_member (want, "samples");

  g_assert_cmpstr (hone_chat_format_to_string (log->format), ==,
                   json_object_get_string_member (want, "format"));
  g_assert_cmpuint (log->conversations->len, ==,
                    json_object_get_int_member (want, "conversations"));
  g_assert_cmpuint (hone_chatlog_count_messages (log), ==,
                    json_object_get_int_member (want, "messages"));
  g_assert_cmpuint (log->n_system, ==, json_object_get_int_member (want, "system"));
  g_assert_cmpuint (hone_chatlog_count_media (log), ==, json_object_get_int_member (want, "media"));

  g_assert_cmpuint (g_strv_length (got_participants), ==, json_array_get_length (participants));
  for (guint i = 0; i < json_array_get_length (participants); i++)
    g_assert_cmpstr (got_participants[i], ==, json_array_get_string_element (participants, i));

  if (json_object_has_member (want, "first_time"))
    {
      const HoneChatMessage *first = hone_test_nth_message (log, 0);
      const char *prefix = json_object_get_string_member (want, "first_time");
      g_assert_nonnull (first->time);
      if (!g_str_has_prefix (first->time, prefix))
        g_error ("first_time: got %s, want prefix %s", first->time, prefix);
    }
  else
    {
      const HoneChatMessage *first = hone_test_nth_message (log, 0);

      g_assert_null (first->time);
    }

  for (guint i = 0; samples != NULL && i < json_array_get_length (samples); i++)
    {
      JsonObject *sample = json_array_get_object_element (samples, i);
      guint index = json_object_get_int_member (sample, "index");
      const HoneChatMessage *m = hone_test_nth_message (log, index);

      g_test_message ("sample %u", index);
      g_assert_cmpstr (m->author, ==, json_object_get_string_member (sample, "author"));
      g_assert_cmpstr (m->text, ==, json_object_get_string_member (sample, "text"));
    }
}

static void
test_sample (gconstpointer data)
{
  const char *key = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected_path = g_build_filename (chatlogs_dir, "expected.json", NULL);
  g_autofree char *relative = g_strdup (key);
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  JsonObject *want;

  g_assert_true (json_parser_load_from_file (parser, expected_path, NULL));
  want = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), key);

  if (g_str_has_suffix (relative, "/"))
    relative[strlen (relative) - 1] = '\0';
  path = g_build_filename (chatlogs_dir, relative, NULL);
  base = g_path_get_basename (path);

  log = hone_import_read_path (path, NULL, NULL, &error);

  if (json_object_has_member (want, "broken"))
    {
      JsonArray *mention = json_object_get_array_member (want, "must_mention");

      g_assert_null (log);
      g_assert_error (error, HONE_IMPORT_ERROR, error->code);
      g_test_message ("refused: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, base));
      for (guint i = 0; i < json_array_get_length (mention); i++)
        {
          const char *words = json_array_get_string_element (mention, i);
          if (strstr (error->message, words) == NULL)
            g_error ("%s: message «%s» does not mention «%s»", key, error->message, words);
        }
      return;
    }

  if (error != NULL)
    g_error ("%s: %s", key, error->message);
  g_assert_nonnull (log);
  g_assert_cmpstr (log->file, ==, base);
  g_assert_nonnull (log->checksum);
  check_good (log, want);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_path = NULL;
  const char *testdata = g_getenv ("HONE_TESTDATA");
  JsonObject *root;
  GList *keys;

  g_test_init (&argc, &argv, NULL);

  chatlogs_dir = g_build_filename (testdata != NULL ? testdata : "../shared/testdata",
                                   "chatlogs", NULL);
  expected_path = g_build_filename (chatlogs_dir, "expected.json", NULL);
  if (!json_parser_load_from_file (parser, expected_path, &error))
    g_error ("%s: %s", expected_path, error->message);
  root = json_node_get_object (json_parser_get_root (parser));

  keys = json_object_get_members (root);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_autofree char *test_path = g_strconcat ("/hone/chatlogs/", (char *) l->data, NULL);

      /* GLib refuses test paths ending in '/' (the folder samples). */
      if (g_str_has_suffix (test_path, "/"))
        test_path[strlen (test_path) - 1] = '\0';
      g_test_add_data_func_full (test_path, g_strdup (l->data), test_sample, g_free);
    }
  g_list_free (keys);

  return g_test_run ();
}
