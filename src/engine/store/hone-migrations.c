/* hone-migrations.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The project schema, as the list of steps that build it. Version N is the state after
 * the first N steps; PRAGMA user_version holds it. A step is never edited once it has
 * shipped: a later change is a new step appended at the end.
 *
 * Conventions the steps follow:
 * - times are ISO 8601 text in UTC ("2026-03-01T09:30:00Z"), except message times,
 *   which stay as the export wrote them (with time_unix beside them for ordering);
 * - JSON columns are TEXT checked with json_valid ();
 * - every foreign key has an index on the referring column, so that deleting a
 *   parent row (a source of 100 000 messages) never scans a child table;
 * - closed sets that later issues are unlikely to extend have a CHECK; open-ended ones
 *   (run status, metric names) are documented here instead, since changing a CHECK in
 *   SQLite means rebuilding the table.
 */
#define G_LOG_DOMAIN "hone-migrations"

#include "config.h"

#include "hone-migrations.h"
#include "hone-project.h"
#include "hone-store-private.h"

typedef struct
{
  const char *summary;
  const char *sql;
} Migration;

/* Version 1: what an import writes. */
static const char migration_1[] =
  "PRAGMA application_id = " G_STRINGIFY (HONE_STORE_APPLICATION_ID) ";\n"

  /* One imported file (or zip, or folder). The counts and the time range are the
   * importer's facts, kept so that listing sources reads no message. format is the
   * name from hone_chat_format_to_string (). checksum is the SHA-256 of the content,
   * so the same export is noticed when imported twice under another name. */
  "CREATE TABLE sources (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  file            TEXT NOT NULL,\n"
  "  path            TEXT,\n"
  "  format          TEXT NOT NULL,\n"
  "  checksum        TEXT NOT NULL UNIQUE,\n"
  "  imported_at     TEXT NOT NULL,\n"
  "  n_conversations INTEGER NOT NULL DEFAULT 0,\n"
  "  n_messages      INTEGER NOT NULL DEFAULT 0,\n"
  "  n_system        INTEGER NOT NULL DEFAULT 0,\n"
  "  n_media         INTEGER NOT NULL DEFAULT 0,\n"
  "  first_time      TEXT,\n"
  "  last_time       TEXT\n"
  ");\n"

  /* Authors, one row per name in the whole project, so the person maps a name to a
   * role once for every source. NULL: not decided yet. */
  "CREATE TABLE speakers (\n"
  "  id   INTEGER PRIMARY KEY,\n"
  "  name TEXT NOT NULL UNIQUE,\n"
  "  role TEXT CHECK (role IN ('user', 'assistant'))\n"
  ");\n"

  /* Who wrote in each source: the participants, without reading the messages. */
  "CREATE TABLE source_speakers (\n"
  "  source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,\n"
  "  speaker_id INTEGER NOT NULL REFERENCES speakers (id),\n"
  "  PRIMARY KEY (source_id, speaker_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX source_speakers_speaker ON source_speakers (speaker_id);\n"

  /* ordinal: position in the source, from 0. title NULL: the export has none. */
  "CREATE TABLE conversations (\n"
  "  id        INTEGER PRIMARY KEY,\n"
  "  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,\n"
  "  ordinal   INTEGER NOT NULL,\n"
  "  title     TEXT,\n"
  "  n_system  INTEGER NOT NULL DEFAULT 0,\n"
  "  UNIQUE (source_id, ordinal)\n"
  ");\n"

  /* time: as the export wrote it, NULL when it has none; time_unix: the same instant
   * in seconds since 1970 (a time without offset counted as UTC), for ordering and
   * range queries. text is "" only for a media message. */
  "CREATE TABLE messages (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,\n"
  "  ordinal         INTEGER NOT NULL,\n"
  "  speaker_id      INTEGER NOT NULL REFERENCES speakers (id),\n"
  "  time            TEXT,\n"
  "  time_unix       INTEGER,\n"
  "  text            TEXT NOT NULL,\n"
  "  media           INTEGER NOT NULL DEFAULT 0 CHECK (media IN (0, 1)),\n"
  "  UNIQUE (conversation_id, ordinal)\n"
  ");\n"
  "CREATE INDEX messages_speaker ON messages (speaker_id);\n"
  "CREATE INDEX messages_time ON messages (time_unix) WHERE time_unix IS NOT NULL;\n";

/* Version 2: the tables that cleaning, tagging, training, the live test chat and
 * feedback fill. */
static const char migration_2[] =
  "CREATE TABLE tags (\n"
  "  id         INTEGER PRIMARY KEY,\n"
  "  name       TEXT NOT NULL UNIQUE,\n"
  "  color      TEXT,\n"
  "  created_at TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE conversation_tags (\n"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,\n"
  "  tag_id          INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n"
  "  PRIMARY KEY (conversation_id, tag_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX conversation_tags_tag ON conversation_tags (tag_id);\n"

  /* A dataset is a recipe, not a copy: which sources, which cleaning options (JSON,
   * e.g. {"drop_media": true, "merge_consecutive": true, "split_gap_hours": 6}) and
   * how to split; its conversations are computed from the imported ones. */
  "CREATE TABLE datasets (\n"
  "  id                  INTEGER PRIMARY KEY,\n"
  "  name                TEXT NOT NULL UNIQUE,\n"
  "  cleaning            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (cleaning)),\n"
  "  validation_fraction REAL NOT NULL DEFAULT 0.1\n"
  "                      CHECK (validation_fraction >= 0 AND validation_fraction < 1),\n"
  "  split_seed          INTEGER NOT NULL DEFAULT 0,\n"
  "  notes               TEXT NOT NULL DEFAULT '',\n"
  "  created_at          TEXT NOT NULL,\n"
  "  updated_at          TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE dataset_sources (\n"
  "  dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
  "  source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,\n"
  "  PRIMARY KEY (dataset_id, source_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX dataset_sources_source ON dataset_sources (source_id);\n"

  /* Which part of a dataset each conversation is in. The assignment comes from a hash
   * of the conversation's content and the dataset's seed, so a removed and re-imported
   * source lands in the same parts; these rows record it for the runs that used it. */
  "CREATE TABLE splits (\n"
  "  dataset_id      INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,\n"
  "  part            TEXT NOT NULL CHECK (part IN ('train', 'validation', 'test')),\n"
  "  PRIMARY KEY (dataset_id, conversation_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX splits_conversation ON splits (conversation_id);\n"

  /* A base model the person picked: a GGUF file or a Hugging Face folder. origin: file,
   * ollama, huggingface, lmstudio or catalogue. */
  "CREATE TABLE models (\n"
  "  id             INTEGER PRIMARY KEY,\n"
  "  name           TEXT NOT NULL,\n"
  "  path           TEXT NOT NULL UNIQUE,\n"
  "  origin         TEXT NOT NULL DEFAULT 'file',\n"
  "  architecture   TEXT,\n"
  "  n_params       INTEGER,\n"
  "  quantization   TEXT,\n"
  "  context_length INTEGER,\n"
  "  size_bytes     INTEGER,\n"
  "  checksum       TEXT,\n"
  "  added_at       TEXT NOT NULL\n"
  ");\n"

  /* One training run; its files live in runs/<id>/. config is the whole settings
   * JSON (hyperparameters, LoRA, template, prompts of the live test chat), enough to
   * repeat the run even when its model or dataset row is gone (hence SET NULL).
   * kind: train, continue (regular update of a parent's adapter), curriculum (a stage
   * after its parent), sweep (a parent grouping trials). status: queued, running,
   * paused, completed, failed, cancelled, interrupted (running when Hone stopped);
   * error holds the message of a failed run. step: the last step done. */
  "CREATE TABLE runs (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  parent_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,\n"
  "  model_id      INTEGER REFERENCES models (id) ON DELETE SET NULL,\n"
  "  dataset_id    INTEGER REFERENCES datasets (id) ON DELETE SET NULL,\n"
  "  name          TEXT NOT NULL DEFAULT '',\n"
  "  kind          TEXT NOT NULL DEFAULT 'train',\n"
  "  config        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (config)),\n"
  "  status        TEXT NOT NULL DEFAULT 'queued',\n"
  "  error         TEXT,\n"
  "  notes         TEXT NOT NULL DEFAULT '',\n"
  "  step          INTEGER NOT NULL DEFAULT 0,\n"
  "  total_steps   INTEGER,\n"
  "  created_at    TEXT NOT NULL,\n"
  "  started_at    TEXT,\n"
  "  finished_at   TEXT\n"
  ");\n"
  "CREATE INDEX runs_parent ON runs (parent_run_id);\n"
  "CREATE INDEX runs_model ON runs (model_id);\n"
  "CREATE INDEX runs_dataset ON runs (dataset_id);\n"
  "CREATE INDEX runs_status ON runs (status);\n"

  /* One value of one series per step: train_loss, val_loss, val_perplexity,
   * val_accuracy, lr, grad_norm, tokens_per_s, gpu_memory… Keyed for reading a whole
   * series in step order; a resumed run that logs a step again replaces it. value NULL:
   * not a number (SQLite stores NaN as NULL), e.g. a diverged loss. elapsed: seconds
   * since the run started. */
  "CREATE TABLE metrics (\n"
  "  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
  "  name    TEXT NOT NULL,\n"
  "  step    INTEGER NOT NULL,\n"
  "  value   REAL,\n"
  "  elapsed REAL,\n"
  "  PRIMARY KEY (run_id, name, step)\n"
  ") WITHOUT ROWID;\n"

  /* path is relative to the project folder (runs/<run>/step-000100.gguf), so the
   * folder can be moved. */
  "CREATE TABLE checkpoints (\n"
  "  id         INTEGER PRIMARY KEY,\n"
  "  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
  "  step       INTEGER NOT NULL,\n"
  "  path       TEXT NOT NULL,\n"
  "  size_bytes INTEGER,\n"
  "  val_loss   REAL,\n"
  "  is_final   INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),\n"
  "  created_at TEXT NOT NULL,\n"
  "  UNIQUE (run_id, step)\n"
  ");\n"

  /* The live test chat: the answer to fixed prompt number prompt_index at a step.
   * settings: the sampling settings used (JSON). */
  "CREATE TABLE samples (\n"
  "  id           INTEGER PRIMARY KEY,\n"
  "  run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
  "  step         INTEGER NOT NULL,\n"
  "  prompt_index INTEGER NOT NULL,\n"
  "  prompt       TEXT NOT NULL,\n"
  "  answer       TEXT NOT NULL,\n"
  "  settings     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (settings)),\n"
  "  created_at   TEXT NOT NULL,\n"
  "  UNIQUE (run_id, prompt_index, step)\n"
  ");\n"

  /* A rating and/or a correction of one answer, from the Chat page or of a sample.
   * run_id NULL: the base model answered (model_id says which). context: the turns
   * before the answer, [{"role": …, "text": …}]. rating: -1 or 1, NULL for a bare
   * correction. conversation_id: where the corrected turn was added to the data. */
  "CREATE TABLE feedback (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  run_id          INTEGER REFERENCES runs (id) ON DELETE CASCADE,\n"
  "  model_id        INTEGER REFERENCES models (id) ON DELETE SET NULL,\n"
  "  sample_id       INTEGER REFERENCES samples (id) ON DELETE SET NULL,\n"
  "  context         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (context)),\n"
  "  answer          TEXT NOT NULL,\n"
  "  rating          INTEGER CHECK (rating IN (-1, 1)),\n"
  "  correction      TEXT,\n"
  "  conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,\n"
  "  created_at      TEXT NOT NULL,\n"
  "  CHECK (rating IS NOT NULL OR correction IS NOT NULL)\n"
  ");\n"
  "CREATE INDEX feedback_run ON feedback (run_id);\n"
  "CREATE INDEX feedback_model ON feedback (model_id);\n"
  "CREATE INDEX feedback_sample ON feedback (sample_id);\n"
  "CREATE INDEX feedback_conversation ON feedback (conversation_id);\n";

/* Version 3: what the person decides about the data (roles per source, edits of
 * messages, tag rules and balance, pins to validation) and the record of every change,
 * for undo. The imported rows are never changed by these. */
static const char migration_3[] =
  /* A role for a speaker in one source only; NULL: the speaker's project-wide role. */
  "ALTER TABLE source_speakers ADD COLUMN role TEXT CHECK (role IN ('user', 'assistant'));\n"

  /* The person's edit of one message, shown instead of the imported one. text NULL:
   * unchanged; role NULL: the speaker's; deleted: left out of every dataset. */
  "CREATE TABLE message_edits (\n"
  "  message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,\n"
  "  text       TEXT,\n"
  "  role       TEXT CHECK (role IN ('user', 'assistant')),\n"
  "  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n"
  "  edited_at  TEXT NOT NULL\n"
  ");\n"

  /* How a tag is suggested and balanced. rule: keywords "refund|broken|late" or, with
   * is_regex, a regular expression; NULL: tagged by hand. cap: at most this many
   * conversations with the tag in a training set (0: no cap); upsample: each is
   * repeated this many times (1: once). */
  "CREATE TABLE tag_settings (\n"
  "  tag_id   INTEGER PRIMARY KEY REFERENCES tags (id) ON DELETE CASCADE,\n"
  "  rule     TEXT,\n"
  "  is_regex INTEGER NOT NULL DEFAULT 0 CHECK (is_regex IN (0, 1)),\n"
  "  cap      INTEGER NOT NULL DEFAULT 0 CHECK (cap >= 0),\n"
  "  upsample INTEGER NOT NULL DEFAULT 1 CHECK (upsample >= 1)\n"
  ");\n"

  /* A conversation the person put in the validation part whatever its hash says. */
  "CREATE TABLE split_pins (\n"
  "  dataset_id      INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,\n"
  "  PRIMARY KEY (dataset_id, conversation_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE INDEX split_pins_conversation ON split_pins (conversation_id);\n"

  /* Every change the person made to the data, newest last. kind: roles, cleaning,
   * tags, split, edit. undo: the statements that revert it, as a JSON array of arrays
   * [sql, arg…]; undone_at: when it was reverted (NULL: in effect). */
  "CREATE TABLE changes (\n"
  "  id         INTEGER PRIMARY KEY,\n"
  "  kind       TEXT NOT NULL,\n"
  "  summary    TEXT NOT NULL,\n"
  "  undo       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (undo)),\n"
  "  created_at TEXT NOT NULL,\n"
  "  undone_at  TEXT\n"
  ");\n";

/* Version 4: the Chat page. A bot is a base model and, optionally, a LoRA adapter under
 * a name the person gives; a chat conversation talks to one bot, or to two side by side
 * (compare_bot_id), and keeps its system prompt and sampling settings. Ratings and
 * corrections of answers stay in feedback, which learns which chat message and which bot
 * they are about. */
static const char migration_4[] =
  /* adapter_path NULL: the base model alone. run_id: the run that trained the adapter. */
  "CREATE TABLE bots (\n"
  "  id           INTEGER PRIMARY KEY,\n"
  "  name         TEXT NOT NULL,\n"
  "  model_path   TEXT NOT NULL,\n"
  "  adapter_path TEXT,\n"
  "  run_id       INTEGER REFERENCES runs (id) ON DELETE SET NULL,\n"
  "  created_at   TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX bots_run ON bots (run_id);\n"

  /* settings: the sampling settings as JSON ({"temperature": 0.7, "top_k": 40, …});
   * updated_at: the last message or change, for listing the recent ones first. */
  "CREATE TABLE chat_conversations (\n"
  "  id             INTEGER PRIMARY KEY,\n"
  "  bot_id         INTEGER REFERENCES bots (id) ON DELETE SET NULL,\n"
  "  compare_bot_id INTEGER REFERENCES bots (id) ON DELETE SET NULL,\n"
  "  title          TEXT NOT NULL DEFAULT '',\n"
  "  system_prompt  TEXT NOT NULL DEFAULT '',\n"
  "  settings       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (settings)),\n"
  "  created_at     TEXT NOT NULL,\n"
  "  updated_at     TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX chat_conversations_bot ON chat_conversations (bot_id);\n"
  "CREATE INDEX chat_conversations_compare_bot ON chat_conversations (compare_bot_id);\n"
  "CREATE INDEX chat_conversations_updated ON chat_conversations (updated_at);\n"

  /* Messages in the order written (id). An answer names the bot that gave it and the
   * user message it answers (reply_to); in a comparison both answers point at the same
   * user message, lane 0 from bot_id and lane 1 from compare_bot_id. stats: generation
   * figures as JSON (tokens, seconds, tokens per second, why it stopped). status:
   * complete, stopped (the person stopped it) or error (it failed after some text). */
  "CREATE TABLE chat_messages (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  conversation_id INTEGER NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,\n"
  "  role            TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),\n"
  "  content         TEXT NOT NULL,\n"
  "  bot_id          INTEGER REFERENCES bots (id) ON DELETE SET NULL,\n"
  "  reply_to        INTEGER REFERENCES chat_messages (id) ON DELETE CASCADE,\n"
  "  lane            INTEGER NOT NULL DEFAULT 0 CHECK (lane IN (0, 1)),\n"
  "  stats           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (stats)),\n"
  "  status          TEXT NOT NULL DEFAULT 'complete'\n"
  "                  CHECK (status IN ('complete', 'stopped', 'error')),\n"
  "  created_at      TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id);\n"
  "CREATE INDEX chat_messages_bot ON chat_messages (bot_id);\n"
  "CREATE INDEX chat_messages_reply_to ON chat_messages (reply_to);\n"

  /* Which chat answer and which bot a rating or correction is about (NULL: a sample's,
   * or the message or bot was deleted; context and answer keep the text). */
  "ALTER TABLE feedback ADD COLUMN chat_message_id INTEGER\n"
  "  REFERENCES chat_messages (id) ON DELETE SET NULL;\n"
  "ALTER TABLE feedback ADD COLUMN bot_id INTEGER REFERENCES bots (id) ON DELETE SET NULL;\n"
  "CREATE INDEX feedback_chat_message ON feedback (chat_message_id);\n"
  "CREATE INDEX feedback_bot ON feedback (bot_id);\n";

/* Version 5: what an export says about its speakers, and where a tag came from. */
static const char migration_5[] =
  /* marked: the side the export itself gives a speaker in that source (a help-desk
   * CSV's role or is_agent column): 'assistant' for the agent, 'user' for the customer;
   * NULL: the export does not say. Hone's role guess follows it. */
  "ALTER TABLE source_speakers ADD COLUMN marked TEXT CHECK (marked IN ('user', 'assistant'));\n"
  /* by_rule: 1 when the tag's keyword or regex rule put it there, 0 by hand. A rule tag
   * stays only on the pieces of a conversation split on a time gap whose own text
   * matches the rule; a hand tag stays on every piece. */
  "ALTER TABLE conversation_tags ADD COLUMN by_rule INTEGER NOT NULL DEFAULT 0\n"
  "  CHECK (by_rule IN (0, 1));\n";

static const Migration migrations[] = {
  { "import tables", migration_1 },
  { "datasets, tags, models, runs, metrics, checkpoints, samples, feedback", migration_2 },
  { "roles per source, message edits, tag settings, split pins, changes", migration_3 },
  { "bots, chat conversations and messages, feedback on chat answers", migration_4 },
  { "sides marked by the export, tags by rule", migration_5 },
};

int
hone_migrations_count (void)
{
  return G_N_ELEMENTS (migrations);
}

/* Runs step @version (0-based) unless another connection already did, all in one
 * transaction with the user_version bump. */
static gboolean
run_one (sqlite3  *db,
         int       version,
         GError  **error)
{
  HoneStoreTransaction txn;
  g_autofree char *bump = NULL;
  gint64 current = 0;
  gint64 violation = 0;

  if (!hone_store_begin (&txn, db, TRUE, error))
    return FALSE;

  /* Read under the write lock: two windows opening one old project migrate it once. */
  if (!hone_store_query_int (db, "PRAGMA user_version", &current, error))
    goto fail;
  if (current > version)
    {
      hone_store_rollback (&txn);
      return TRUE;
    }

  g_debug ("Migrating to version %d: %s", version + 1, migrations[version].summary);
  if (!hone_store_exec (db, migrations[version].sql, error))
    {
      g_prefix_error (error, "Could not update the project to version %d: ", version + 1);
      goto fail;
    }

  /* Foreign keys are off while steps run (a step may rebuild a table); check them
   * before the step is committed instead. */
  if (!hone_store_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check",
                             &violation, error))
    goto fail;
  if (violation > 0)
    {
      g_set_error (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_CORRUPT,
                   "Could not update the project to version %d: %" G_GINT64_FORMAT
                   " rows refer to rows that do not exist", version + 1, violation);
      goto fail;
    }

  bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
  if (!hone_store_exec (db, bump, error) || !hone_store_commit (&txn, error))
    goto fail;
  return TRUE;

fail:
  hone_store_rollback (&txn);
  return FALSE;
}

gboolean
hone_migrations_run (sqlite3  *db,
                     int       target,
                     GError  **error)
{
  gint64 version = 0;
  gint64 foreign_keys = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target >= 0 && target <= hone_migrations_count (), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sqlite3_get_autocommit (db))
    {
      g_set_error_literal (error, HONE_PROJECT_ERROR, HONE_PROJECT_ERROR_FAILED,
                           "Cannot update the project inside a transaction");
      return FALSE;
    }

  if (!hone_store_query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (!hone_store_check_version (version, error))
    return FALSE;
  if (version >= target)
    return TRUE;

  /* PRAGMA foreign_keys cannot change inside a transaction, so it is switched off
   * around all steps and each step checks the keys itself. */
  if (!hone_store_query_int (db, "PRAGMA foreign_keys", &foreign_keys, error))
    return FALSE;
  if (foreign_keys && !hone_store_exec (db, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  for (int step = (int) version; ok && step < target; step++)
    ok = run_one (db, step, error);

  if (foreign_keys)
    {
      if (ok)
        ok = hone_store_exec (db, "PRAGMA foreign_keys = ON", error);
      else
        sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    }
  return ok;
}
