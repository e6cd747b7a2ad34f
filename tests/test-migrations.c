/* test-migrations.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Projects left at every older schema version open, reach the current one and keep
 * their rows. Adding a migration means adding its seed_* and check_* here.
 */
#define G_LOG_DOMAIN "test-migrations"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "data/hone-chatlog.h"
#include "store/hone-migrations.h"
#include "store/hone-project.h"

#include "hone-test-util.h"

/* Every row of @sql, columns joined by '|' and rows by '\n'. */
static char *
query_rows (sqlite3    *db,
            const char *sql)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text != NULL ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_healthy (sqlite3 *db)
{
  g_autofree char *integrity = hone_test_query_text (db, "PRAGMA integrity_check");

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (hone_test_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"),
                   ==, 0);
}

/* Version 1: an import, written the way version 1 wrote it. */
static const char seed_v1_sql[] =
  "INSERT INTO sources (id, file, path, format, checksum, imported_at, "
  "  n_conversations, n_messages, n_system, n_media, first_time, last_time) "
  "VALUES (1, 'old chat.txt', '/home/ana/old chat.txt', 'whatsapp', 'old-checksum', "
  "  '2025-01-01T10:00:00Z', 2, 3, 1, 1, '2024-05-01T08:00:00+02:00', "
  "  '2024-05-01T09:30:00');"
  "INSERT INTO speakers (id, name, role) VALUES (1, 'Ana', 'assistant'), (2, 'Bo', NULL);"
  "INSERT INTO source_speakers (source_id, speaker_id) VALUES (1, 1), (1, 2);"
  "INSERT INTO conversations (id, source_id, ordinal, title, n_system) "
  "VALUES (1, 1, 0, 'Ana & Bo', 1), (2, 1, 1, NULL, 0);"
  "INSERT INTO messages "
  "  (conversation_id, ordinal, speaker_id, time, time_unix, text, media) "
  "VALUES (1, 0, 1, '2024-05-01T08:00:00+02:00', 1714543200, 'olá 🌱', 0),"
  "       (1, 1, 2, '2024-05-01T09:30:00', 1714555800, '', 1),"
  "       (2, 0, 2, NULL, NULL, 'no time', 0);";

static void
seed_v1 (sqlite3 *db)
{
  hone_test_exec_sql (db, seed_v1_sql);
}

static void
check_v1 (HoneProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneSourceInfo) info = hone_project_get_source (project, 1, &error);
  g_autoptr(HoneChatlog) log = NULL;
  g_autofree char *role = NULL;
  const char *participants[] = { "Ana", "Bo", NULL };
  const HoneChatConversation *c;
  const HoneChatMessage *m;

  g_assert_no_error (error);
  g_assert_cmpstr (info->file, ==, "old chat.txt");
  g_assert_cmpstr (info->path, ==, "/home/ana/old chat.txt");
  g_assert_cmpint (info->format, ==, HONE_CHAT_FORMAT_WHATSAPP);
  g_assert_cmpstr (info->checksum, ==, "old-checksum");
  g_assert_cmpstr (info->imported_at, ==, "2025-01-01T10:00:00Z");
  g_assert_cmpuint (info->n_conversations, ==, 2);
  g_assert_cmpuint (info->n_messages, ==, 3);
  g_assert_cmpuint (info->n_system, ==, 1);
  g_assert_cmpuint (info->n_media, ==, 1);
  g_assert_cmpstrv (info->participants, participants);
  g_assert_cmpstr (info->first_time, ==, "2024-05-01T08:00:00+02:00");
  g_assert_cmpstr (info->last_time, ==, "2024-05-01T09:30:00");

  log = hone_project_load_source (project, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->conversations->len, ==, 2);
  g_assert_cmpuint (log->n_system, ==, 1);
  c = g_ptr_array_index (log->conversations, 0);
  g_assert_cmpstr (c->title, ==, "Ana & Bo");
  g_assert_cmpuint (c->messages->len, ==, 2);
  m = g_ptr_array_index (c->messages, 0);
  g_assert_cmpstr (m->author, ==, "Ana");
  g_assert_cmpstr (m->text, ==, "olá 🌱");
  m = g_ptr_array_index (c->messages, 1);
  g_assert_true (m->media);
  g_assert_cmpstr (m->text, ==, "");
  c = g_ptr_array_index (log->conversations, 1);
  g_assert_null (c->title);
  m = g_ptr_array_index (c->messages, 0);
  g_assert_null (m->time);

  role = hone_test_query_text (hone_project_get_db (project),
                               "SELECT role FROM speakers WHERE name = 'Ana'");
  g_assert_cmpstr (role, ==, "assistant");
}

/* Version 2: a dataset, a tag, a model, a run with its child, and what they produced. */
static const char seed_v2_sql[] =
  "INSERT INTO tags (id, name, color, created_at) "
  "VALUES (1, 'complaint', '#c01c28', '2025-01-02T00:00:00Z');"
  "INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (1, 1);"
  "INSERT INTO datasets (id, name, cleaning, created_at, updated_at) "
  "VALUES (1, 'support', '{\"drop_media\": true}', '2025-01-02T00:00:00Z', "
  "  '2025-01-02T00:00:00Z');"
  "INSERT INTO dataset_sources (dataset_id, source_id) VALUES (1, 1);"
  "INSERT INTO splits (dataset_id, conversation_id, part) "
  "VALUES (1, 1, 'train'), (1, 2, 'validation');"
  "INSERT INTO models (id, name, path, architecture, added_at) "
  "VALUES (1, 'SmolLM 135M', '/models/smollm.gguf', 'llama', '2025-01-02T00:00:00Z');"
  "INSERT INTO runs (id, model_id, dataset_id, name, config, status, notes, created_at) "
  "VALUES (1, 1, 1, 'first', '{\"lr\": 0.0002, \"rank\": 8}', 'completed', 'good', "
  "  '2025-01-03T00:00:00Z');"
  "INSERT INTO runs (id, parent_run_id, model_id, kind, config, created_at) "
  "VALUES (2, 1, 1, 'continue', '{}', '2025-01-04T00:00:00Z');"
  "INSERT INTO metrics (run_id, name, step, value) "
  "VALUES (1, 'train_loss', 1, 2.5), (1, 'train_loss', 2, 2.25),"
  "       (1, 'val_loss', 2, NULL);"
  "INSERT INTO checkpoints (run_id, step, path, is_final, created_at) "
  "VALUES (1, 2, 'runs/1/step-000002.gguf', 1, '2025-01-03T01:00:00Z');"
  "INSERT INTO samples (id, run_id, step, prompt_index, prompt, answer, created_at) "
  "VALUES (1, 1, 2, 0, 'Do you ship to Spain?', 'Yes!', '2025-01-03T01:00:00Z');"
  "INSERT INTO feedback (run_id, sample_id, answer, rating, correction, created_at) "
  "VALUES (1, 1, 'Yes!', -1, 'Yes, in 3 to 5 days.', '2025-01-05T00:00:00Z');";

static void
seed_v2 (sqlite3 *db)
{
  hone_test_exec_sql (db, seed_v2_sql);
}

static void
check_v2 (HoneProject *project)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autofree char *rows = NULL;

  rows = query_rows (db, "SELECT t.name, ct.conversation_id FROM tags AS t "
                         "JOIN conversation_tags AS ct ON ct.tag_id = t.id");
  g_assert_cmpstr (rows, ==, "complaint|1\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT conversation_id, part FROM splits ORDER BY conversation_id");
  g_assert_cmpstr (rows, ==, "1|train\n2|validation\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT id, parent_run_id, kind, status, json_extract (config, '$.rank') "
                         "FROM runs ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|NULL|train|completed|8\n2|1|continue|queued|NULL\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT name, step, value FROM metrics ORDER BY name, step");
  g_assert_cmpstr (rows, ==, "train_loss|1|2.5\ntrain_loss|2|2.25\nval_loss|2|NULL\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT c.path, s.answer, f.rating, f.correction FROM checkpoints AS c "
                         "JOIN samples AS s ON s.run_id = c.run_id "
                         "JOIN feedback AS f ON f.sample_id = s.id");
  g_assert_cmpstr (rows, ==, "runs/1/step-000002.gguf|Yes!|-1|Yes, in 3 to 5 days.\n");
}

typedef void (*SeedFunc)  (sqlite3     *db);
typedef void (*CheckFunc) (HoneProject *project);

/* Version 3: a per-source role, an edit, a tag rule, a pin and a change. */
static const char seed_v3_sql[] =
  "UPDATE source_speakers SET role = 'assistant' WHERE source_id = 1 AND speaker_id = 1;"
  "INSERT INTO message_edits (message_id, text, deleted, edited_at) "
  "VALUES (1, 'edited', 0, '2025-01-06T00:00:00Z');"
  "INSERT INTO tag_settings (tag_id, rule, is_regex, cap, upsample) "
  "VALUES (1, 'refund|late', 0, 10, 2);"
  "INSERT INTO split_pins (dataset_id, conversation_id) VALUES (1, 2);"
  "INSERT INTO changes (kind, summary, undo, created_at) "
  "VALUES ('roles', 'Ana speaks for the bot', '[[\"SELECT 1\"]]', '2025-01-06T00:00:00Z');";

static void
seed_v3 (sqlite3 *db)
{
  hone_test_exec_sql (db, seed_v3_sql);
}

static void
check_v3 (HoneProject *project)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autofree char *rows = NULL;

  rows = query_rows (db, "SELECT source_id, speaker_id, role FROM source_speakers "
                         "WHERE role IS NOT NULL");
  g_assert_cmpstr (rows, ==, "1|1|assistant\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT message_id, text, role, deleted FROM message_edits");
  g_assert_cmpstr (rows, ==, "1|edited|NULL|0\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT tag_id, rule, cap, upsample FROM tag_settings");
  g_assert_cmpstr (rows, ==, "1|refund|late|10|2\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT dataset_id, conversation_id FROM split_pins");
  g_assert_cmpstr (rows, ==, "1|2\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT kind, summary, json_extract (undo, '$[0][0]'), undone_at "
                         "FROM changes");
  g_assert_cmpstr (rows, ==, "roles|Ana speaks for the bot|SELECT 1|NULL\n");
}

/* Version 4: two bots compared in one chat conversation, a rated answer of each. */
static const char seed_v4_sql[] =
  "INSERT INTO bots (id, name, model_path, adapter_path, run_id, created_at) "
  "VALUES (1, 'Base', '/models/smollm.gguf', NULL, NULL, '2025-01-07T00:00:00Z'),"
  "       (2, 'Tuned', '/models/smollm.gguf', 'runs/1/adapter.gguf', 1, "
  "        '2025-01-07T00:00:00Z');"
  "INSERT INTO chat_conversations (id, bot_id, compare_bot_id, title, system_prompt, settings, "
  "  created_at, updated_at) "
  "VALUES (1, 1, 2, 'Shipping', 'Be brief.', '{\"temperature\": 0.5}', "
  "  '2025-01-07T00:00:00Z', '2025-01-07T00:01:00Z');"
  "INSERT INTO chat_messages (id, conversation_id, role, content, bot_id, reply_to, lane, "
  "  stats, status, created_at) "
  "VALUES (1, 1, 'user', 'Do you ship to Spain?', NULL, NULL, 0, '{}', 'complete', "
  "        '2025-01-07T00:00:00Z'),"
  "       (2, 1, 'assistant', 'Yes.', 1, 1, 0, '{\"n_tokens\": 2}', 'complete', "
  "        '2025-01-07T00:00:10Z'),"
  "       (3, 1, 'assistant', 'Yes, in 3 to', 2, 1, 1, '{}', 'stopped', "
  "        '2025-01-07T00:00:20Z');"
  "INSERT INTO feedback (model_id, context, answer, rating, chat_message_id, bot_id, created_at) "
  "VALUES (1, '[{\"role\": \"user\", \"text\": \"Do you ship to Spain?\"}]', 'Yes.', 1, 2, 1, "
  "        '2025-01-07T00:02:00Z');";

static void
seed_v4 (sqlite3 *db)
{
  hone_test_exec_sql (db, seed_v4_sql);
}

static void
check_v4 (HoneProject *project)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autofree char *rows = NULL;

  rows = query_rows (db, "SELECT id, name, adapter_path, run_id FROM bots ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|Base|NULL|NULL\n2|Tuned|runs/1/adapter.gguf|1\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT bot_id, compare_bot_id, title, system_prompt, "
                         "json_extract (settings, '$.temperature') FROM chat_conversations");
  g_assert_cmpstr (rows, ==, "1|2|Shipping|Be brief.|0.5\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT id, role, bot_id, reply_to, lane, status, "
                         "json_extract (stats, '$.n_tokens') FROM chat_messages ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|user|NULL|NULL|0|complete|NULL\n"
                             "2|assistant|1|1|0|complete|2\n"
                             "3|assistant|2|1|1|stopped|NULL\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT f.rating, m.content, b.name FROM feedback AS f "
                         "JOIN chat_messages AS m ON m.id = f.chat_message_id "
                         "JOIN bots AS b ON b.id = f.bot_id");
  g_assert_cmpstr (rows, ==, "1|Yes.|Base\n");
  g_clear_pointer (&rows, g_free);

  /* Deleting the conversation takes its messages; the feedback keeps its text. */
  hone_test_exec_sql (db, "DELETE FROM chat_conversations WHERE id = 1");
  rows = query_rows (db, "SELECT count (*) FROM chat_messages");
  g_assert_cmpstr (rows, ==, "0\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT answer, chat_message_id, bot_id FROM feedback "
                         "WHERE bot_id IS NOT NULL OR chat_message_id IS NULL ORDER BY id");
  g_assert_cmpstr (rows, ==, "Yes!|NULL|NULL\nYes.|NULL|1\n");
}

/* Version 5: a help-desk agent marked by the export, a tag put by its rule. */
static void
seed_v5 (sqlite3 *db)
{
  hone_test_exec_sql (db, "UPDATE source_speakers SET marked = 'assistant' "
                          "WHERE source_id = 1 AND speaker_id = 1;"
                          "UPDATE conversation_tags SET by_rule = 1 WHERE conversation_id = 1;");
}

static void
check_v5 (HoneProject *project)
{
  sqlite3 *db = hone_project_get_db (project);
  g_autofree char *rows = NULL;

  rows = query_rows (db, "SELECT speaker_id, marked FROM source_speakers WHERE source_id = 1 "
                         "ORDER BY speaker_id");
  g_assert_cmpstr (rows, ==, "1|assistant\n2|NULL\n");
  g_clear_pointer (&rows, g_free);
  rows = query_rows (db, "SELECT conversation_id, by_rule FROM conversation_tags");
  g_assert_cmpstr (rows, ==, "1|1\n");
  g_assert_cmpint (sqlite3_exec (db, "UPDATE source_speakers SET marked = 'bot'", NULL, NULL, NULL)
                   & 0xff, ==, SQLITE_CONSTRAINT);
}

/* Index v - 1 holds the rows of version v. */
static const SeedFunc seeds[] = { seed_v1, seed_v2, seed_v3, seed_v4, seed_v5 };
static const CheckFunc checks[] = { check_v1, check_v2, check_v3, check_v4, check_v5 };

/* The schema as SQLite prints it, for comparing two files. */
static char *
dump_schema (sqlite3 *db)
{
  return query_rows (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                         "ORDER BY type, name");
}

static void
test_every_version_has_seed (void)
{
  /* A new migration needs rows to prove it keeps them. */
  g_assert_cmpint (G_N_ELEMENTS (seeds), ==, hone_migrations_count ());
  g_assert_cmpint (G_N_ELEMENTS (checks), ==, hone_migrations_count ());
  g_assert_cmpint (hone_project_schema_version (), ==, hone_migrations_count ());
}

static void
test_from_version (gconstpointer data)
{
  int from = GPOINTER_TO_INT (data);
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-migrations-XXXXXX");
  g_autofree char *dir = g_build_filename (tmp, "old", NULL);
  g_autofree char *file = g_build_filename (dir, "project.sqlite", NULL);
  g_autofree char *fresh_dir = g_build_filename (tmp, "fresh", NULL);
  g_autofree char *schema = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneProject) fresh = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  HoneChatConversation *c;
  sqlite3 *db = NULL;
  gint64 id;

  /* A project as version @from left it; 0 is an empty file, as a creation cut short
   * leaves it. */
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  if (from > 0)
    hone_test_exec_sql (db, "PRAGMA journal_mode = WAL");
  g_assert_true (hone_migrations_run (db, from, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==, from);
  for (int v = 1; v <= from; v++)
    seeds[v - 1] (db);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  if (from == 0)
    {
      GStatBuf st;
      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_assert_cmpint (st.st_size, ==, 0);
    }

  project = hone_project_open (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  db = hone_project_get_db (project);
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==,
                   hone_project_schema_version ());
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  assert_healthy (db);

  for (int v = 1; v <= from; v++)
    checks[v - 1] (project);

  /* The same tables, indexes and columns as a project made today. */
  fresh = hone_project_create (fresh_dir, &error);
  g_assert_no_error (error);
  schema = dump_schema (db);
  fresh_schema = dump_schema (hone_project_get_db (fresh));
  g_assert_cmpstr (schema, ==, fresh_schema);

  /* And it works as one. */
  log = hone_chatlog_new ("new.txt");
  log->checksum = g_strdup ("new-checksum");
  c = hone_chat_conversation_new ("after the update");
  hone_chat_conversation_add (c, "Ana", "2025-06-01T12:00:00", "still here", FALSE);
  hone_chatlog_take_conversation (log, c);
  id = hone_project_add_source (project, "/tmp/new.txt", log, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  sources = hone_project_list_sources (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, from >= 1 ? 2 : 1);
  if (from >= 1)
    {
      g_assert_true (hone_project_remove_source (project, 1, &error));
      g_assert_no_error (error);
    }
  assert_healthy (db);

  g_clear_pointer (&project, hone_project_free);
  g_clear_pointer (&fresh, hone_project_free);
  hone_test_remove_tree (tmp);
}

static void
test_step_by_step (void)
{
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-migrations-XXXXXX");
  g_autofree char *file = g_build_filename (tmp, "project.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  hone_test_exec_sql (db, "PRAGMA foreign_keys = ON");
  for (int v = 0; v <= hone_migrations_count (); v++)
    {
      g_assert_true (hone_migrations_run (db, v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==, v);
      /* Again, and backwards: nothing happens. */
      g_assert_true (hone_migrations_run (db, v, &error));
      g_assert_true (hone_migrations_run (db, 0, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==, v);
      /* Foreign keys are off while steps run, and back on after. */
      g_assert_cmpint (hone_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
      g_assert_true (sqlite3_get_autocommit (db));
    }
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA application_id"), ==, 0x486f6e65);
  assert_healthy (db);
  sqlite3_close (db);
  hone_test_remove_tree (tmp);
}

static void
test_failed_step_is_undone (void)
{
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-migrations-XXXXXX");
  g_autofree char *file = g_build_filename (tmp, "project.sqlite", NULL);
  g_autofree char *schema_before = NULL;
  g_autofree char *schema_after = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  g_assert_true (hone_migrations_run (db, 1, &error));
  g_assert_no_error (error);
  seed_v1 (db);
  /* A table in the way of step 2, which is then refused half-way through. */
  hone_test_exec_sql (db, "CREATE TABLE checkpoints (x)");
  schema_before = dump_schema (db);

  g_assert_false (hone_migrations_run (db, 2, &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_clear_error (&error);

  /* All of step 2 or none of it: the tables made before the failure are gone too. */
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==, 1);
  schema_after = dump_schema (db);
  g_assert_cmpstr (schema_after, ==, schema_before);
  g_assert_true (sqlite3_get_autocommit (db));
  sqlite3_close (db);
  hone_test_remove_tree (tmp);
}

static void
test_refuses_newer (void)
{
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-migrations-XXXXXX");
  g_autofree char *file = g_build_filename (tmp, "project.sqlite", NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", hone_migrations_count () + 1);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  hone_test_exec_sql (db, sql);
  g_assert_false (hone_migrations_run (db, hone_migrations_count (), &error));
  g_assert_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Hone"));
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==,
                   hone_migrations_count () + 1);
  sqlite3_close (db);
  hone_test_remove_tree (tmp);
}

static gpointer
open_thread (gpointer data)
{
  GError *error = NULL;
  HoneProject *project = hone_project_open (data, &error);

  g_assert_no_error (error);
  hone_project_free (project);
  return NULL;
}

/* Two windows opening one old project at once: migrated once, both open. */
static void
test_concurrent_open (void)
{
  g_autofree char *tmp = hone_test_make_temp_dir ("hone-migrations-XXXXXX");
  g_autofree char *file = g_build_filename (tmp, "project.sqlite", NULL);
  GThread *threads[4];
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  hone_test_exec_sql (db, "PRAGMA journal_mode = WAL");
  g_assert_true (hone_migrations_run (db, 1, NULL));
  seed_v1 (db);
  sqlite3_close (db);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_thread, tmp);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  g_assert_cmpint (hone_test_query_int (db, "PRAGMA user_version"), ==, hone_migrations_count ());
  g_assert_cmpint (hone_test_query_int (db, "SELECT count(*) FROM messages"), ==, 3);
  assert_healthy (db);
  sqlite3_close (db);
  hone_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/migrations/every-version-has-seed", test_every_version_has_seed);
  /* Every older version, and the current one, which proves the newest seed and check
   * right before a migration is added on top of them. */
  for (int v = 0; v <= hone_migrations_count (); v++)
    {
      g_autofree char *path = g_strdup_printf ("/hone/migrations/from-version-%d", v);
      g_test_add_data_func (path, GINT_TO_POINTER (v), test_from_version);
    }
  g_test_add_func ("/hone/migrations/step-by-step", test_step_by_step);
  g_test_add_func ("/hone/migrations/failed-step-is-undone", test_failed_step_is_undone);
  g_test_add_func ("/hone/migrations/refuses-newer", test_refuses_newer);
  g_test_add_func ("/hone/migrations/concurrent-open", test_concurrent_open);

  return g_test_run ();
}
