/* hone-dataset.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From imported messages to a training set: speaker roles, cleaning, scrubbing, tags,
 * statistics, the train/validation split, export, and the record of every change with
 * undo.
 *
 * The imported rows are never changed. A dataset is a recipe (datasets.cleaning holds
 * its HoneCleanOptions as JSON); hone_dataset_view_build () reads the project and
 * computes the cleaned conversations in memory, with before/after counts and a preview
 * of each step. A view is immutable once built, so it can be built on a worker thread
 * (GTask, with the worker's own HoneProject: one connection per thread) and handed to
 * the main thread whole.
 *
 * Every function that writes records a row in `changes` with what undoes it;
 * hone_dataset_undo () reverts the newest change not yet undone.
 */
#pragma once

#include <gio/gio.h>

#include "data/hone-scrub.h"
#include "store/hone-project.h"

G_BEGIN_DECLS

typedef enum
{
  HONE_ROLE_NONE = 0,   /* not decided: counts as user in a view */
  HONE_ROLE_USER,
  HONE_ROLE_ASSISTANT,
  HONE_ROLE_SYSTEM,     /* a speaker named "system" (OpenAI, ShareGPT) */
} HoneRole;

typedef enum
{
  HONE_SPLIT_TRAIN,
  HONE_SPLIT_VALIDATION,
} HoneSplitPart;

const char  *hone_role_to_string          (HoneRole      role);
HoneRole     hone_role_from_string        (const char   *name);

/* Roles */

typedef struct
{
  gint64    id;
  char     *name;
  HoneRole  role;            /* project-wide choice, NONE when not decided */
  HoneRole  guess;           /* what Hone would pick (hone_dataset_guess_roles) */
  guint     n_messages;
  guint     n_conversations;
  gint64    source_id;       /* 0: project-wide row; else a per-source override row */
  HoneRole  marked;          /* what an export says (a help-desk CSV's role column):
                              * ASSISTANT when one marks them as the agent, USER as the
                              * customer only, NONE when none says */
} HoneSpeakerInfo;

void         hone_speaker_info_free       (HoneSpeakerInfo *info);

/* (element-type HoneSpeakerInfo) one row per speaker, then one per per-source
 * override (source_id != 0). */
GPtrArray   *hone_dataset_list_speakers   (HoneProject   *project,
                                           GError       **error);
/* Sets @speaker's role project-wide (@source_id 0) or in one source only. NONE
 * clears the choice. Recorded for undo. */
gboolean     hone_dataset_set_role        (HoneProject   *project,
                                           const char    *speaker,
                                           gint64         source_id,
                                           HoneRole       role,
                                           GError       **error);
/* Gives every speaker without a role its guess, in one change. Returns how many
 * were set, or -1 on error. The guess: in a source whose export marks who the agents
 * are (a help-desk CSV's role column, source_speakers.marked), the marked agents are the
 * assistant and everyone else a user. Otherwise a speaker named assistant/gpt/bot/agent
 * is the assistant, user/human/customer the user; otherwise in each source the speaker
 * present in the most conversations (every one of a help-desk CSV: the agent), not the
 * one a chat is named after (a 1:1 export is named after the other person, so this is
 * its owner), and of those the one who wrote later is the assistant. Everyone else is
 * a user. */
int          hone_dataset_guess_roles     (HoneProject   *project,
                                           GError       **error);

/* Cleaning options (datasets.cleaning) */

typedef struct
{
  gboolean  drop_system;        /* messages by "system" */
  gboolean  drop_media;         /* media-only messages ("<Media omitted>", attachments) */
  gboolean  drop_deleted;       /* "This message was deleted" and its translations */
  gboolean  split_on_gap;
  double    gap_hours;          /* default 6 */
  gboolean  merge_consecutive;  /* one speaker's run of messages becomes one */
  gboolean  require_both_roles;
  gboolean  drop_duplicates;    /* exact: same roles and texts */
  gboolean  drop_near_duplicates; /* word 3-grams alike (MinHash + LSH, then exact Jaccard) */
  double    near_duplicate_threshold; /* Jaccard similarity that counts as near; default 0.8 */
  guint     min_tokens;         /* drop shorter conversations; 0: no limit */
  guint     max_tokens;         /* drop longer ones; 0: no limit */
  gboolean  scrub;
  guint     scrub_kinds;        /* HONE_SCRUB_KIND_BIT mask */
  gboolean  scrub_names;        /* names of non-assistant speakers → [NAME] */
  double    validation_fraction;  /* stored in datasets.validation_fraction */
  gint64    split_seed;           /* stored in datasets.split_seed */
} HoneCleanOptions;

/* Hone's defaults: everything on except scrubbing, gap 6 h, 2..4096 tokens. */
void         hone_clean_options_init      (HoneCleanOptions       *options);
/* @json: an object; keys not present keep their value in @options. */
gboolean     hone_clean_options_from_json (HoneCleanOptions       *options,
                                           const char             *json,
                                           GError                **error);
char        *hone_clean_options_to_json   (const HoneCleanOptions *options);
/* A sentence for a person about the setting @key (translated), or NULL when there is
 * no such setting. */
const char  *hone_clean_option_description (const char            *key);
/* Sets one option from text, as `hone-cli clean --set KEY=VALUE` does. */
gboolean     hone_clean_options_set       (HoneCleanOptions       *options,
                                           const char             *key,
                                           const char             *value,
                                           GError                **error);

/* The dataset called @name (surrounding spaces ignored), made on first use with Hone's
 * default settings, over every source. Returns its id or 0 on error. */
gint64       hone_dataset_ensure          (HoneProject            *project,
                                           const char             *name,
                                           GError                **error);
/* The dataset a project works on unless told otherwise: the one named "default". */
gint64       hone_dataset_ensure_default  (HoneProject            *project,
                                           GError                **error);

typedef struct
{
  gint64  id;
  char   *name;
  char   *created_at;
  char   *updated_at;
  guint   n_sources;   /* sources it is limited to; 0: every source */
} HoneDatasetInfo;

void         hone_dataset_info_free       (HoneDatasetInfo        *info);
/* (element-type HoneDatasetInfo) every dataset of the project, by name. */
GPtrArray   *hone_dataset_list            (HoneProject            *project,
                                           GError                **error);
gboolean     hone_dataset_load_options    (HoneProject            *project,
                                           gint64                  dataset_id,
                                           HoneCleanOptions       *options,
                                           GError                **error);
/* Stores @options; recorded for undo with @summary (NULL: "Changed the cleaning"). */
gboolean     hone_dataset_save_options    (HoneProject            *project,
                                           gint64                  dataset_id,
                                           const HoneCleanOptions *options,
                                           const char             *summary,
                                           GError                **error);

/* The view */

typedef struct
{
  gint64     message_id;   /* the stored message (the first one of a merged run) */
  char      *speaker;
  HoneRole   role;
  gint64     time_unix;    /* G_MININT64 when the export had no time */
  char      *text;         /* as the bot will see it: edited, merged, scrubbed */
  guint      n_merged;     /* messages merged into this one, 1 when none */
  guint      n_scrubbed;   /* placeholders put into text */
  GArray    *scrubbed;     /* (element-type HoneScrubSpan) where the placeholders are in
                            * text, for highlighting; NULL when none */
} HoneDatasetMessage;

typedef struct
{
  gint64         conversation_id;
  guint          part;        /* which piece after a split on a time gap, from 0 */
  gint64         source_id;
  char          *title;
  GPtrArray     *messages;    /* (element-type HoneDatasetMessage) */
  guint64        identity;    /* stable hash: source checksum, ordinal, title, first text, part */
  HoneSplitPart  split;
  gboolean       pinned;      /* the person put it in validation */
  GArray        *tags;        /* (element-type gint64) tag ids */
  guint          n_words;
} HoneDatasetConversation;

typedef enum
{
  HONE_CLEAN_STEP_LOAD,
  HONE_CLEAN_STEP_DROP_SYSTEM,
  HONE_CLEAN_STEP_DROP_MEDIA,
  HONE_CLEAN_STEP_DROP_DELETED,
  HONE_CLEAN_STEP_SPLIT_GAP,
  HONE_CLEAN_STEP_MERGE,
  HONE_CLEAN_STEP_BOTH_ROLES,
  HONE_CLEAN_STEP_LENGTH,
  HONE_CLEAN_STEP_DUPLICATES,
  HONE_CLEAN_STEP_NEAR_DUPLICATES,
  HONE_CLEAN_STEP_SCRUB,
  HONE_CLEAN_N_STEPS
} HoneCleanStep;

typedef struct
{
  gboolean   enabled;
  guint      conversations_before;
  guint      conversations_after;
  guint      messages_before;
  guint      messages_after;
  double     seconds;
  GPtrArray *preview;         /* (element-type utf8) up to N lines saying what changed */
} HoneCleanStepReport;

typedef struct
{
  HoneCleanOptions     options;
  gint64               dataset_id;
  GPtrArray           *conversations;  /* (element-type HoneDatasetConversation) */
  HoneCleanStepReport  steps[HONE_CLEAN_N_STEPS];
  guint                scrub_counts[HONE_SCRUB_N_KINDS];
  GHashTable          *tag_names;      /* gint64 id (as pointer to gint64) → name */
} HoneDatasetView;

/* "load", "drop-system", … and a sentence for a person. */
const char      *hone_clean_step_name          (HoneCleanStep step);
const char      *hone_clean_step_description   (HoneCleanStep step);

/* Builds the view of @dataset_id with @options (NULL: the stored ones). @n_preview:
 * lines of preview kept per step. @progress gets 0..1 on the calling thread. */
HoneDatasetView *hone_dataset_view_build       (HoneProject            *project,
                                                gint64                  dataset_id,
                                                const HoneCleanOptions *options,
                                                guint                   n_preview,
                                                HoneProgressFunc        progress,
                                                gpointer                progress_data,
                                                GCancellable           *cancellable,
                                                GError                **error);
void             hone_dataset_view_free        (HoneDatasetView        *view);

/* The same on a worker thread (GTask), which opens its own connection to the project
 * in @project_dir. @progress, if given, runs on the thread-default main context of the
 * caller, at most once per pending idle (updates in between are coalesced), and never
 * after @callback. @options NULL: the stored ones. */
void             hone_dataset_view_build_async (const char             *project_dir,
                                                gint64                  dataset_id,
                                                const HoneCleanOptions *options,
                                                guint                   n_preview,
                                                HoneProgressFunc        progress,
                                                gpointer                progress_data,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
HoneDatasetView *hone_dataset_view_build_finish (GAsyncResult          *result,
                                                 GError               **error);
guint            hone_dataset_view_count_messages (const HoneDatasetView *view);

/* Split: the part of a conversation from its identity, the seed and the fraction. */
HoneSplitPart    hone_split_assign             (guint64                 identity,
                                                gint64                  seed,
                                                double                  validation_fraction);
/* Pins @conversation_id to validation (or unpins it). Recorded for undo. */
gboolean         hone_dataset_pin              (HoneProject            *project,
                                                gint64                  dataset_id,
                                                gint64                  conversation_id,
                                                gboolean                pinned,
                                                GError                **error);
/* Writes the view's parts into `splits` (what a run used). */
gboolean         hone_dataset_record_split     (HoneProject            *project,
                                                const HoneDatasetView  *view,
                                                GError                **error);

/* Tags */

typedef struct
{
  gint64  id;
  char   *name;
  char   *rule;     /* the keyword or regex rule, NULL when tagged by hand only */
  guint   count;    /* conversations of the project with it */
  guint   cap;      /* at most this many in the training part; 0: no cap */
  guint   upsample; /* repeat each training conversation this many times; 0 or 1: once */
} HoneTagInfo;

void         hone_tag_info_free           (HoneTagInfo  *info);
/* (element-type HoneTagInfo) by name. */
GPtrArray   *hone_dataset_list_tags       (HoneProject  *project,
                                           GError      **error);
/* Tags conversations whose messages match @rule: "refund|broken|late" as keywords
 * (whole words, any case) or, with @is_regex, a regular expression. Creates the tag
 * and stores the rule. Returns how many conversations got the tag, -1 on error. */
int          hone_dataset_tag_by_rule     (HoneProject  *project,
                                           const char   *tag,
                                           const char   *rule,
                                           gboolean      is_regex,
                                           GCancellable *cancellable,
                                           GError      **error);
/* By hand: adds or removes @tag on conversations. */
gboolean     hone_dataset_tag_conversations (HoneProject  *project,
                                             const char   *tag,
                                             const gint64 *conversation_ids,
                                             guint         n_ids,
                                             gboolean      add,
                                             GError      **error);
/* Cap or up-sample @tag in the training part (tag_settings; 0 = no cap, 1 = once). */
gboolean     hone_dataset_set_tag_balance (HoneProject  *project,
                                           const char   *tag,
                                           guint         cap,
                                           guint         upsample,
                                           GError      **error);

/* Statistics */

#define HONE_STATS_N_BINS 8

typedef struct
{
  char   *name;
  guint   conversations;
  double  share;            /* of all conversations */
  guint   messages[3];      /* by HoneRole USER, ASSISTANT (index 1, 2); 0 unused */
} HoneTagShare;

typedef struct
{
  guint      conversations;
  guint      messages;
  guint      messages_by_role[4];  /* by HoneRole */
  guint      words_by_role[4];
  guint      tokens_estimate;      /* words × 4 / 3 until a tokenizer is chosen */
  guint      histogram[HONE_STATS_N_BINS];  /* conversations by estimated tokens */
  guint      duplicates;           /* exact + near duplicates dropped */
  guint      scrub_counts[HONE_SCRUB_N_KINDS];
  gint64     first_time;           /* G_MININT64 when no message has a time */
  gint64     last_time;
  guint      train;
  guint      validation;
  GPtrArray *tags;                 /* (element-type HoneTagShare) most used first */
  char      *warning;              /* plain words when one tag dominates, or NULL */
} HoneDatasetStats;

/* Upper bounds (tokens) of the histogram bins; the last bin is open. */
extern const guint hone_stats_bin_limits[HONE_STATS_N_BINS];

HoneDatasetStats *hone_dataset_stats_compute (const HoneDatasetView *view);
void              hone_dataset_stats_free    (HoneDatasetStats      *stats);

/* Export */

typedef enum
{
  HONE_EXPORT_OPENAI,    /* JSONL: {"messages": [{"role", "content"}]} per line */
  HONE_EXPORT_SHAREGPT,  /* JSON array of {"conversations": [{"from", "value"}]} */
} HoneExportFormat;

typedef enum
{
  HONE_EXPORT_TRAIN,
  HONE_EXPORT_VALIDATION,
  HONE_EXPORT_ALL,
} HoneExportSplit;

/* Writes the view's conversations of @which part to @path (atomically). Caps and
 * up-sampling per tag apply to the training part. Returns the conversations written,
 * or -1 on error. */
int          hone_dataset_export          (const HoneDatasetView *view,
                                           const GPtrArray       *tags,
                                           HoneExportFormat       format,
                                           HoneExportSplit        which,
                                           const char            *path,
                                           GCancellable          *cancellable,
                                           GError               **error);

/* Message edits (the original stays in `messages`) */

/* @text NULL: keep; @role NONE: keep the speaker's; @deleted: leave it out. */
gboolean     hone_dataset_edit_message    (HoneProject  *project,
                                           gint64        message_id,
                                           const char   *text,
                                           HoneRole      role,
                                           gboolean      deleted,
                                           GError      **error);

/* Changes and undo */

typedef struct
{
  gint64    id;
  char     *kind;
  char     *summary;
  char     *created_at;
  gboolean  undone;
} HoneChangeInfo;

void         hone_change_info_free        (HoneChangeInfo *info);
/* (element-type HoneChangeInfo) newest first, at most @limit (0: all). */
GPtrArray   *hone_dataset_list_changes    (HoneProject  *project,
                                           guint         limit,
                                           GError      **error);
/* Reverts the newest change not undone yet. Returns its summary (free it), or NULL
 * with no error when there is nothing to undo. */
char        *hone_dataset_undo            (HoneProject  *project,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneDatasetView, hone_dataset_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneDatasetStats, hone_dataset_stats_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneSpeakerInfo, hone_speaker_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneTagInfo, hone_tag_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneChangeInfo, hone_change_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneDatasetInfo, hone_dataset_info_free)

G_END_DECLS
