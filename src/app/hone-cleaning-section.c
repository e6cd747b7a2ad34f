/* hone-cleaning-section.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-cleaning-section"

#include "config.h"

#include <glib/gi18n.h>

#include "data/hone-dataset.h"
#include "store/hone-project.h"

#include "hone-cleaning-section.h"

#define DEBOUNCE_MS       300
#define PRIVACY_EXAMPLES  4

/* The length step is one switch: on, Hone's limits; off, none. */
#define LENGTH_MIN_TOKENS 2
#define LENGTH_MAX_TOKENS 4096

typedef enum
{
  GROUP_CLEANING,
  GROUP_PRIVACY,
} Group;

typedef struct
{
  const char    *key;
  gsize          offset;      /* of a gboolean in HoneCleanOptions; 0 for the length */
  HoneCleanStep  step;
  Group          group;
  const char    *title;
  const char    *subtitle;
} Toggle;

#define LENGTH_OFFSET 0

static const Toggle toggles[] = {
  { "drop-system", G_STRUCT_OFFSET (HoneCleanOptions, drop_system),
    HONE_CLEAN_STEP_DROP_SYSTEM, GROUP_CLEANING,
    N_("Leave Out App Notices"),
    N_("Lines the app wrote itself, such as “Maya joined” or “Messages are encrypted”.") },
  { "drop-media", G_STRUCT_OFFSET (HoneCleanOptions, drop_media),
    HONE_CLEAN_STEP_DROP_MEDIA, GROUP_CLEANING,
    N_("Leave Out Photos and Files"),
    N_("Messages that only say a picture or file was sent; the bot cannot see them.") },
  { "drop-deleted", G_STRUCT_OFFSET (HoneCleanOptions, drop_deleted),
    HONE_CLEAN_STEP_DROP_DELETED, GROUP_CLEANING,
    N_("Leave Out Deleted Messages"),
    N_("The “This message was deleted” notices.") },
  { "split-on-gap", G_STRUCT_OFFSET (HoneCleanOptions, split_on_gap),
    HONE_CLEAN_STEP_SPLIT_GAP, GROUP_CLEANING,
    N_("Split After Long Pauses"),
    N_("A new conversation starts after six hours of silence, so each example is one exchange.") },
  { "merge-consecutive", G_STRUCT_OFFSET (HoneCleanOptions, merge_consecutive),
    HONE_CLEAN_STEP_MERGE, GROUP_CLEANING,
    N_("Join Messages Sent in a Row"),
    N_("Several quick messages from one person become one, as a bot would write it.") },
  { "require-both-roles", G_STRUCT_OFFSET (HoneCleanOptions, require_both_roles),
    HONE_CLEAN_STEP_BOTH_ROLES, GROUP_CLEANING,
    N_("Keep Only Real Exchanges"),
    N_("Leave out conversations in which the bot or the user never speaks.") },
  { "length", LENGTH_OFFSET,
    HONE_CLEAN_STEP_LENGTH, GROUP_CLEANING,
    N_("Leave Out Very Short and Very Long Chats"),
    N_("Too short to teach anything, or too long for the model to read at once.") },
  { "drop-duplicates", G_STRUCT_OFFSET (HoneCleanOptions, drop_duplicates),
    HONE_CLEAN_STEP_DUPLICATES, GROUP_CLEANING,
    N_("Remove Repeated Conversations"),
    N_("The same conversation imported twice would be learned twice as hard.") },
  { "drop-near-duplicates", G_STRUCT_OFFSET (HoneCleanOptions, drop_near_duplicates),
    HONE_CLEAN_STEP_NEAR_DUPLICATES, GROUP_CLEANING,
    N_("Remove Near Repeats"),
    N_("Conversations that say nearly the same thing as an earlier one (80% of their "
       "word sequences alike), keeping the earlier.") },
  { "scrub", G_STRUCT_OFFSET (HoneCleanOptions, scrub),
    HONE_CLEAN_STEP_SCRUB, GROUP_PRIVACY,
    N_("Hide Personal Data"),
    N_("E-mail addresses, phone, card and bank numbers, links and street addresses "
       "become placeholders such as [PHONE].") },
  { "scrub-names", G_STRUCT_OFFSET (HoneCleanOptions, scrub_names),
    HONE_CLEAN_STEP_SCRUB, GROUP_PRIVACY,
    N_("Hide the Users’ Names"),
    N_("Names of the people the bot talks to become [NAME]. Needs “Hide Personal Data”.") },
};

typedef struct
{
  char   *text;
  GArray *spans;   /* (element-type HoneScrubSpan) */
} PrivacyExample;

static void
privacy_example_free (PrivacyExample *e)
{
  g_free (e->text);
  g_clear_pointer (&e->spans, g_array_unref);
  g_free (e);
}

static void
view_snapshot_clear (gpointer data)
{
  HoneViewSnapshot *snapshot = data;

  g_clear_pointer (&snapshot->view, hone_dataset_view_free);
  g_clear_pointer (&snapshot->stats, hone_dataset_stats_free);
  g_clear_pointer (&snapshot->tags, g_ptr_array_unref);
}

HoneViewSnapshot *
hone_view_snapshot_ref (HoneViewSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  return g_atomic_rc_box_acquire (snapshot);
}

void
hone_view_snapshot_unref (HoneViewSnapshot *snapshot)
{
  g_return_if_fail (snapshot != NULL);

  g_atomic_rc_box_release_full (snapshot, view_snapshot_clear);
}

struct _HoneCleaningSection
{
  AdwBin               parent_instance;

  char                *project_dir;
  GCancellable        *cancellable;        /* everything; cancelled with the project */
  GCancellable        *build_cancellable;  /* the newest preview build */
  guint                serial;
  guint                n_running;
  guint                debounce_id;
  gboolean             filling;
  gboolean             have_stored;

  HoneCleanOptions     stored;
  HoneCleanOptions     options;

  guint                n_conversations;
  guint                n_messages;
  guint                n_scrubbed;
  char                *privacy_text;
  HoneViewSnapshot    *snapshot;

  GtkWidget           *switches[G_N_ELEMENTS (toggles)];
  GtkWidget           *counts[G_N_ELEMENTS (toggles)];
  GtkWidget           *rows[G_N_ELEMENTS (toggles)];

  /* Template children */
  AdwPreferencesGroup *cleaning_group;
  GtkListBox          *cleaning_list;
  AdwActionRow        *summary_row;
  GtkListBox          *privacy_list;
  AdwActionRow        *found_row;
  GtkLabel            *privacy_label;
  GtkSpinner          *busy_spinner;
};

G_DEFINE_FINAL_TYPE (HoneCleaningSection, hone_cleaning_section, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT_DIR,
  PROP_BUSY,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  VIEW_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef             section;
  char                *project_dir;
  guint                serial;
  gboolean             use_stored;
  gboolean             save;
  gboolean             undo;
  HoneCleanOptions     options;
  /* Results */
  HoneCleanOptions     stored;
  HoneCleanStepReport  steps[HONE_CLEAN_N_STEPS];  /* counts only: no preview */
  guint                scrub_counts[HONE_SCRUB_N_KINDS];
  guint                n_conversations;
  guint                n_messages;
  GPtrArray           *examples;    /* (element-type PrivacyExample) */
  HoneViewSnapshot    *snapshot;
  char                *undone;
} CleanOp;

static void
clean_op_free (CleanOp *op)
{
  g_weak_ref_clear (&op->section);
  g_free (op->project_dir);
  g_clear_pointer (&op->examples, g_ptr_array_unref);
  g_clear_pointer (&op->snapshot, hone_view_snapshot_unref);
  g_free (op->undone);
  g_free (op);
}

static gboolean
get_toggle (const HoneCleanOptions *options,
            const Toggle           *toggle)
{
  if (toggle->offset == LENGTH_OFFSET)
    return options->min_tokens > 0 || options->max_tokens > 0;

  return G_STRUCT_MEMBER (gboolean, options, toggle->offset);
}

static void
set_toggle (HoneCleanOptions *options,
            const Toggle     *toggle,
            gboolean          value)
{
  if (toggle->offset == LENGTH_OFFSET)
    {
      options->min_tokens = value ? LENGTH_MIN_TOKENS : 0;
      options->max_tokens = value ? LENGTH_MAX_TOKENS : 0;
      return;
    }

  G_STRUCT_MEMBER (gboolean, options, toggle->offset) = value;
}

static void
set_busy (HoneCleaningSection *self,
          gboolean             busy)
{
  gboolean was_busy = self->n_running > 0;

  if (busy)
    self->n_running++;
  else
    self->n_running--;

  if (was_busy != (self->n_running > 0))
    {
      gtk_spinner_set_spinning (self->busy_spinner, self->n_running > 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static gboolean
options_equal (const HoneCleanOptions *a,
               const HoneCleanOptions *b)
{
  g_autofree char *ja = hone_clean_options_to_json (a);
  g_autofree char *jb = hone_clean_options_to_json (b);

  return g_strcmp0 (ja, jb) == 0;
}

static void
update_modified (HoneCleaningSection *self)
{
  gboolean modified = hone_cleaning_section_get_modified (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cleaning.apply", modified);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cleaning.revert", modified);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
show_toast (HoneCleaningSection *self,
            AdwToast            *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* On a worker thread */

static void
clean_op_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CleanOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(GError) error = NULL;
  gint64 dataset_id;

  project = hone_project_open (op->project_dir, &error);
  if (project == NULL)
    goto fail;

  dataset_id = hone_dataset_ensure_default (project, &error);
  if (dataset_id == 0)
    goto fail;

  if (op->undo)
    {
      op->undone = hone_dataset_undo (project, &error);
      if (error != NULL)
        goto fail;
    }

  if (op->save
      && !hone_dataset_save_options (project, dataset_id, &op->options,
                                     _("Changed the cleaning settings"), &error))
    goto fail;

  if (!hone_dataset_load_options (project, dataset_id, &op->stored, &error))
    goto fail;
  if (op->use_stored)
    op->options = op->stored;

  view = hone_dataset_view_build (project, dataset_id, &op->options, 0, NULL, NULL,
                                  cancellable, &error);
  if (view == NULL)
    goto fail;

  for (guint i = 0; i < HONE_CLEAN_N_STEPS; i++)
    {
      op->steps[i] = view->steps[i];
      op->steps[i].preview = NULL;
    }
  memcpy (op->scrub_counts, view->scrub_counts, sizeof op->scrub_counts);
  op->n_conversations = view->conversations->len;
  op->n_messages = hone_dataset_view_count_messages (view);

  op->examples = g_ptr_array_new_with_free_func ((GDestroyNotify) privacy_example_free);
  for (guint i = 0; i < view->conversations->len && op->examples->len < PRIVACY_EXAMPLES; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);

      for (guint j = 0; j < c->messages->len && op->examples->len < PRIVACY_EXAMPLES; j++)
        {
          const HoneDatasetMessage *m = g_ptr_array_index (c->messages, j);
          PrivacyExample *e;

          if (m->scrubbed == NULL || m->scrubbed->len == 0)
            continue;

          e = g_new0 (PrivacyExample, 1);
          e->text = g_strdup (m->text);
          e->spans = g_array_ref (m->scrubbed);
          g_ptr_array_add (op->examples, e);
        }
    }

  op->snapshot = g_atomic_rc_box_new0 (HoneViewSnapshot);
  op->snapshot->stats = hone_dataset_stats_compute (view);
  op->snapshot->tags = hone_dataset_list_tags (project, &error);
  if (op->snapshot->tags == NULL)
    goto fail;
  op->snapshot->view = g_steal_pointer (&view);

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* On the main thread */

static char *
describe_step (const HoneCleanStepReport *step)
{
  if (!step->enabled)
    return g_strdup (_("Off"));

  if (step->conversations_after < step->conversations_before)
    {
      guint n = step->conversations_before - step->conversations_after;
      /* Translators: how many conversations a cleaning step leaves out. */
      return g_strdup_printf (ngettext ("−%u conversation", "−%u conversations", n), n);
    }

  if (step->conversations_after > step->conversations_before)
    {
      guint n = step->conversations_after - step->conversations_before;
      /* Translators: how many more conversations splitting makes. */
      return g_strdup_printf (ngettext ("+%u conversation", "+%u conversations", n), n);
    }

  if (step->messages_after < step->messages_before)
    {
      guint n = step->messages_before - step->messages_after;
      /* Translators: how many messages a cleaning step leaves out or joins. */
      return g_strdup_printf (ngettext ("−%u message", "−%u messages", n), n);
    }

  return g_strdup (_("No change"));
}

static char *
kind_text (HoneScrubKind kind,
           guint         n)
{
  switch (kind)
    {
    case HONE_SCRUB_EMAIL:
      return g_strdup_printf (ngettext ("%u e-mail address", "%u e-mail addresses", n), n);
    case HONE_SCRUB_PHONE:
      return g_strdup_printf (ngettext ("%u phone number", "%u phone numbers", n), n);
    case HONE_SCRUB_CARD:
      return g_strdup_printf (ngettext ("%u card number", "%u card numbers", n), n);
    case HONE_SCRUB_IBAN:
      return g_strdup_printf (ngettext ("%u bank account", "%u bank accounts", n), n);
    case HONE_SCRUB_URL:
      return g_strdup_printf (ngettext ("%u personal link", "%u personal links", n), n);
    case HONE_SCRUB_ADDRESS:
      return g_strdup_printf (ngettext ("%u street address", "%u street addresses", n), n);
    case HONE_SCRUB_NAME:
      return g_strdup_printf (ngettext ("%u name", "%u names", n), n);
    case HONE_SCRUB_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static char *
example_markup (const PrivacyExample *e,
                const char           *colour)
{
  return hone_scrubbed_markup (e->text, e->spans, colour);
}

char *
hone_scrubbed_markup (const char   *text,
                      const GArray *spans,
                      const char   *colour)
{
  GString *markup = g_string_new (NULL);
  g_autofree char *rest = NULL;
  gsize at = 0;

  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const HoneScrubSpan *span = &g_array_index (spans, HoneScrubSpan, i);
      g_autofree char *before = g_markup_escape_text (text + at, span->start - at);
      g_autofree char *inside = g_markup_escape_text (text + span->start,
                                                      span->end - span->start);

      g_string_append (markup, before);
      g_string_append_printf (markup, "<span weight=\"bold\" background=\"%s\" "
                              "bgalpha=\"25%%\">%s</span>", colour, inside);
      at = span->end;
    }
  rest = g_markup_escape_text (text + at, -1);
  g_string_append (markup, rest);

  return g_string_free (markup, FALSE);
}

char *
hone_accent_colour (GtkWidget *widget)
{
  GdkRGBA rgba = { 0.21, 0.52, 0.89, 1 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                  "accent_bg_color", &rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return g_strdup_printf ("#%02x%02x%02x",
                          (guint) (rgba.red * 255 + 0.5),
                          (guint) (rgba.green * 255 + 0.5),
                          (guint) (rgba.blue * 255 + 0.5));
}

static void
show_switches (HoneCleaningSection *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    gtk_switch_set_active (GTK_SWITCH (self->switches[i]),
                           get_toggle (&self->options, &toggles[i]));
  self->filling = FALSE;

  /* Names are hidden only together with the rest. */
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    if (g_str_equal (toggles[i].key, "scrub-names"))
      gtk_widget_set_sensitive (self->rows[i], self->options.scrub);
}

static void
show_result (HoneCleaningSection *self,
             CleanOp             *op)
{
  g_autofree char *conversations = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *colour = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(GString) privacy = g_string_new (NULL);
  g_autoptr(GString) plain = g_string_new (NULL);
  guint imported = op->steps[HONE_CLEAN_STEP_LOAD].messages_before;

  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      g_autofree char *text = NULL;

      if (g_str_equal (toggles[i].key, "scrub-names"))
        text = g_strdup ("");
      else if (toggles[i].step == HONE_CLEAN_STEP_SCRUB)
        {
          guint n = 0;

          for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
            n += op->scrub_counts[k];
          text = op->options.scrub
                 /* Translators: how many personal details were hidden. */
                 ? g_strdup_printf (ngettext ("%u hidden", "%u hidden", n), n)
                 : g_strdup (_("Off"));
        }
      else
        text = describe_step (&op->steps[toggles[i].step]);
      gtk_label_set_text (GTK_LABEL (self->counts[i]), text);
    }

  conversations = g_strdup_printf (ngettext ("%u conversation", "%u conversations",
                                             op->n_conversations),
                                   op->n_conversations);
  messages = g_strdup_printf (ngettext ("%u message", "%u messages", op->n_messages),
                              op->n_messages);
  /* Translators: the first %s is "N conversations", the second "N messages". */
  summary = g_strdup_printf (ngettext ("%s with %s, from %u imported message",
                                       "%s with %s, from %u imported messages", imported),
                             conversations, messages, imported);
  adw_action_row_set_subtitle (self->summary_row, summary);

  self->n_scrubbed = 0;
  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    {
      g_autofree char *part = NULL;

      if (op->scrub_counts[k] == 0)
        continue;
      self->n_scrubbed += op->scrub_counts[k];
      part = kind_text (k, op->scrub_counts[k]);
      if (found->len > 0)
        g_string_append (found, " · ");
      g_string_append (found, part);
    }

  if (!op->options.scrub)
    adw_action_row_set_subtitle (self->found_row,
                                 _("Switch on “Hide Personal Data” to see what Hone would "
                                   "hide."));
  else if (found->len == 0)
    adw_action_row_set_subtitle (self->found_row, _("Hone found no personal data."));
  else
    adw_action_row_set_subtitle (self->found_row, found->str);

  colour = hone_accent_colour (GTK_WIDGET (self));
  for (guint i = 0; op->examples != NULL && i < op->examples->len; i++)
    {
      PrivacyExample *e = g_ptr_array_index (op->examples, i);
      g_autofree char *markup = example_markup (e, colour);

      if (privacy->len > 0)
        {
          g_string_append (privacy, "\n\n");
          g_string_append (plain, "\n\n");
        }
      g_string_append (privacy, markup);
      g_string_append (plain, e->text);
    }
  gtk_label_set_markup (self->privacy_label, privacy->str);
  gtk_widget_set_visible (GTK_WIDGET (self->privacy_label), privacy->len > 0);
  g_free (self->privacy_text);
  self->privacy_text = g_string_free (g_steal_pointer (&plain), FALSE);

  self->n_conversations = op->n_conversations;
  self->n_messages = op->n_messages;

  g_clear_pointer (&self->snapshot, hone_view_snapshot_unref);
  self->snapshot = hone_view_snapshot_ref (op->snapshot);
  g_signal_emit (self, signals[VIEW_CHANGED], 0, self->snapshot);
}

static void start_op (HoneCleaningSection *self,
                      gboolean             use_stored,
                      gboolean             save,
                      gboolean             undo);
static void start_op_with (HoneCleaningSection    *self,
                           const HoneCleanOptions *options,
                           gboolean                use_stored,
                           gboolean                save,
                           gboolean                undo);

static void
on_undo_clicked (AdwToast            *toast,
                 HoneCleaningSection *self)
{
  hone_cleaning_section_undo (self);
}

static void
clean_op_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CleanOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneCleaningSection) self = g_weak_ref_get (&op->section);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    return;

  set_busy (self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!ok)
    {
      /* Translators: %s is the reason. */
      g_autofree char *message = g_strdup_printf (_("The training set could not be "
                                                    "prepared: %s"), error->message);
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      show_toast (self, adw_toast_new (escaped));
      return;
    }

  if (op->save || op->undo || op->use_stored)
    {
      self->stored = op->stored;
      self->have_stored = TRUE;
    }
  if (op->undo || (op->use_stored && op->serial == self->serial))
    {
      self->options = op->stored;
      show_switches (self);
    }

  if (op->serial == self->serial)
    show_result (self, op);

  update_modified (self);

  if (op->save)
    {
      AdwToast *toast = adw_toast_new (_("Cleaning settings saved"));

      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
      show_toast (self, toast);
    }
  else if (op->undo && op->undone != NULL)
    {
      /* Translators: %s says what was undone. */
      g_autofree char *message = g_strdup_printf (_("Undone: %s"), op->undone);
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      show_toast (self, adw_toast_new (escaped));
    }
}

static void
start_op (HoneCleaningSection *self,
          gboolean             use_stored,
          gboolean             save,
          gboolean             undo)
{
  start_op_with (self, &self->options, use_stored, save, undo);
}

static void
start_op_with (HoneCleaningSection    *self,
               const HoneCleanOptions *options,
               gboolean                use_stored,
               gboolean                save,
               gboolean                undo)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable = self->cancellable;
  CleanOp *op;

  g_assert (self->project_dir != NULL);

  /* Only the newest preview matters; a save or an undo must finish. */
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  if (!save && !undo)
    {
      self->build_cancellable = g_cancellable_new ();
      cancellable = self->build_cancellable;
    }

  op = g_new0 (CleanOp, 1);
  g_weak_ref_init (&op->section, self);
  op->project_dir = g_strdup (self->project_dir);
  op->serial = ++self->serial;
  op->use_stored = use_stored;
  op->save = save;
  op->undo = undo;
  op->options = *options;

  set_busy (self, TRUE);
  task = g_task_new (NULL, cancellable, clean_op_done, NULL);
  g_task_set_source_tag (task, start_op);
  g_task_set_task_data (task, op, (GDestroyNotify) clean_op_free);
  g_task_run_in_thread (task, clean_op_thread);
}

static gboolean
on_debounce (gpointer data)
{
  HoneCleaningSection *self = data;

  self->debounce_id = 0;
  if (self->project_dir != NULL)
    start_op (self, FALSE, FALSE, FALSE);
  set_busy (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
schedule_build (HoneCleaningSection *self)
{
  if (self->debounce_id == 0)
    set_busy (self, TRUE);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, on_debounce, self);
}

static void
on_switch_active (GtkSwitch           *widget,
                  GParamSpec          *pspec,
                  HoneCleaningSection *self)
{
  const Toggle *toggle = g_object_get_data (G_OBJECT (widget), "hone-toggle");

  if (self->filling)
    return;

  set_toggle (&self->options, toggle, gtk_switch_get_active (widget));
  show_switches (self);
  update_modified (self);
  schedule_build (self);
}

static void
hone_cleaning_section_apply_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (widget);

  if (self->project_dir == NULL)
    return;
  if (self->debounce_id != 0)
    {
      g_clear_handle_id (&self->debounce_id, g_source_remove);
      set_busy (self, FALSE);
    }
  start_op (self, FALSE, TRUE, FALSE);
}

static void
hone_cleaning_section_revert_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (widget);

  if (self->project_dir == NULL || !self->have_stored)
    return;
  self->options = self->stored;
  show_switches (self);
  update_modified (self);
  schedule_build (self);
}

static void
make_rows (HoneCleaningSection *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      GtkWidget *count = gtk_label_new (NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(toggles[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(toggles[i].subtitle));
      gtk_widget_set_name (row, toggles[i].key);

      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);

      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(toggles[i].title),
                                      -1);
      g_object_set_data (G_OBJECT (sw), "hone-toggle", (gpointer) &toggles[i]);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_active), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);

      self->switches[i] = sw;
      self->counts[i] = count;
      self->rows[i] = row;

      if (toggles[i].group == GROUP_PRIVACY)
        gtk_list_box_insert (self->privacy_list, row,
                             g_str_equal (toggles[i].key, "scrub") ? 0 : 1);
      else
        gtk_list_box_append (self->cleaning_list, row);
    }
}

/* Public */

const char *
hone_cleaning_section_get_project_dir (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), NULL);

  return self->project_dir;
}

void
hone_cleaning_section_set_project_dir (HoneCleaningSection *self,
                                       const char          *project_dir)
{
  g_return_if_fail (HONE_IS_CLEANING_SECTION (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->debounce_id != 0)
    {
      g_clear_handle_id (&self->debounce_id, g_source_remove);
      set_busy (self, FALSE);
    }
  self->have_stored = FALSE;
  g_clear_pointer (&self->snapshot, hone_view_snapshot_unref);
  hone_clean_options_init (&self->stored);
  self->options = self->stored;

  if (self->project_dir != NULL)
    hone_cleaning_section_reload (self);

  update_modified (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_DIR]);
}

void
hone_cleaning_section_reload (HoneCleaningSection *self)
{
  g_return_if_fail (HONE_IS_CLEANING_SECTION (self));

  if (self->project_dir == NULL)
    return;

  /* Settings the person has not applied yet stay as they are. */
  start_op (self, !hone_cleaning_section_get_modified (self), FALSE, FALSE);
}

HoneViewSnapshot *
hone_cleaning_section_get_snapshot (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), NULL);

  return self->snapshot;
}

void
hone_cleaning_section_set_split (HoneCleaningSection *self,
                                 double               validation_fraction,
                                 gint64               seed)
{
  HoneCleanOptions options;

  g_return_if_fail (HONE_IS_CLEANING_SECTION (self));
  g_return_if_fail (validation_fraction >= 0 && validation_fraction < 1);

  if (self->project_dir == NULL)
    return;

  /* Stored at once, apart from cleaning changes not applied yet. */
  self->options.validation_fraction = validation_fraction;
  self->options.split_seed = seed;
  options = self->stored;
  options.validation_fraction = validation_fraction;
  options.split_seed = seed;
  start_op_with (self, &options, FALSE, TRUE, FALSE);
}

void
hone_cleaning_section_undo (HoneCleaningSection *self)
{
  g_return_if_fail (HONE_IS_CLEANING_SECTION (self));

  if (self->project_dir != NULL)
    start_op (self, TRUE, FALSE, TRUE);
}

gboolean
hone_cleaning_section_get_busy (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), FALSE);

  return self->n_running > 0;
}

gboolean
hone_cleaning_section_get_modified (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), FALSE);

  return self->have_stored && !options_equal (&self->options, &self->stored);
}

guint
hone_cleaning_section_get_n_conversations (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), 0);

  return self->n_conversations;
}

guint
hone_cleaning_section_get_n_messages (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), 0);

  return self->n_messages;
}

guint
hone_cleaning_section_get_n_scrubbed (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), 0);

  return self->n_scrubbed;
}

const char *
hone_cleaning_section_get_privacy_text (HoneCleaningSection *self)
{
  g_return_val_if_fail (HONE_IS_CLEANING_SECTION (self), NULL);

  return self->privacy_text != NULL ? self->privacy_text : "";
}

/* GObject */

static void
hone_cleaning_section_dispose (GObject *object)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->build_cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_CLEANING_SECTION);

  G_OBJECT_CLASS (hone_cleaning_section_parent_class)->dispose (object);
}

static void
hone_cleaning_section_finalize (GObject *object)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->privacy_text, g_free);
  g_clear_pointer (&self->snapshot, hone_view_snapshot_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->build_cancellable);

  G_OBJECT_CLASS (hone_cleaning_section_parent_class)->finalize (object);
}

static void
hone_cleaning_section_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      g_value_set_string (value, self->project_dir);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_running > 0);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, hone_cleaning_section_get_modified (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_cleaning_section_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HoneCleaningSection *self = HONE_CLEANING_SECTION (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      hone_cleaning_section_set_project_dir (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_cleaning_section_class_init (HoneCleaningSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_cleaning_section_dispose;
  object_class->finalize = hone_cleaning_section_finalize;
  object_class->get_property = hone_cleaning_section_get_property;
  object_class->set_property = hone_cleaning_section_set_property;

  properties[PROP_PROJECT_DIR] =
    g_param_spec_string ("project-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A new view was built; the argument is its HoneViewSnapshot (ref it to keep it). */
  signals[VIEW_CHANGED] =
    g_signal_new ("view-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-cleaning-section.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, cleaning_group);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, cleaning_list);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, summary_row);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, privacy_list);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, found_row);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, privacy_label);
  gtk_widget_class_bind_template_child (widget_class, HoneCleaningSection, busy_spinner);

  gtk_widget_class_install_action (widget_class, "cleaning.apply", NULL,
                                   hone_cleaning_section_apply_action);
  gtk_widget_class_install_action (widget_class, "cleaning.revert", NULL,
                                   hone_cleaning_section_revert_action);
}

static void
hone_cleaning_section_init (HoneCleaningSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  hone_clean_options_init (&self->stored);
  self->options = self->stored;
  make_rows (self);
  update_modified (self);
}
