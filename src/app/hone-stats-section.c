/* hone-stats-section.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-stats-section"

#include "config.h"

#include <glib/gi18n.h>

#include "store/hone-project.h"

#include "hone-chart.h"
#include "hone-chart-bar-layer.h"
#include "hone-stats-section.h"

struct _HoneStatsSection
{
  AdwBin            parent_instance;

  char             *project_dir;
  GCancellable     *cancellable;
  guint             n_running;
  gboolean          filling;
  char             *warning;

  HoneChartSeries  *lengths;
  HoneChartAxis    *count_axis;

  /* Template children */
  AdwActionRow     *conversations_row;
  AdwActionRow     *messages_row;
  AdwActionRow     *words_row;
  AdwActionRow     *span_row;
  AdwActionRow     *privacy_row;
  HoneChart        *length_chart;
  AdwEntryRow      *tag_entry;
  AdwEntryRow      *keywords_entry;
  GtkSwitch        *regex_switch;
  AdwActionRow     *warning_row;
  GtkListBox       *tags_list;
  GtkLabel         *tags_hint;
  GtkSpinButton    *fraction_spin;
  GtkSpinButton    *seed_spin;
  AdwActionRow     *split_row;
};

G_DEFINE_FINAL_TYPE (HoneStatsSection, hone_stats_section, ADW_TYPE_BIN)

enum {
  TAGGED,
  SPLIT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef  section;
  char     *project_dir;
  char     *tag;
  char     *keywords;     /* NULL: set the cap instead */
  gboolean  is_regex;
  guint     cap;
  int       n_tagged;
} TagOp;

static void
tag_op_free (TagOp *op)
{
  g_weak_ref_clear (&op->section);
  g_free (op->project_dir);
  g_free (op->tag);
  g_free (op->keywords);
  g_free (op);
}

static void
show_toast (HoneStatsSection *self,
            const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static void
set_value (AdwActionRow *row,
           const char   *text)
{
  adw_action_row_set_subtitle (row, text);
}

static char *
conversations_value (HoneChartLayer *layer,
                     guint           index,
                     double          value,
                     gpointer        user_data)
{
  guint n = (guint) value;

  return g_strdup_printf (ngettext ("%u conversation", "%u conversations", n), n);
}

static void
update_tag_action (HoneStatsSection *self)
{
  gboolean ready = self->project_dir != NULL && self->n_running == 0
                   && *gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)) != '\0'
                   && *gtk_editable_get_text (GTK_EDITABLE (self->keywords_entry)) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stats.tag", ready);
}

/* Tagging */

static void
tag_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TagOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = hone_project_open (op->project_dir, &error);
  if (project != NULL && op->keywords != NULL)
    op->n_tagged = hone_dataset_tag_by_rule (project, op->tag, op->keywords, op->is_regex,
                                             cancellable, &error);
  else if (project != NULL)
    op->n_tagged = hone_dataset_set_tag_balance (project, op->tag, op->cap, 1, &error) ? 0 : -1;
  if (project == NULL || op->n_tagged < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
tag_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TagOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneStatsSection) self = g_weak_ref_get (&op->section);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self == NULL)
    return;

  self->n_running--;
  update_tag_action (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the reason. */
          message = g_strdup_printf (_("The conversations could not be tagged: %s"),
                                     error->message);
          show_toast (self, message);
        }
      return;
    }

  if (op->keywords != NULL)
    {
      /* Translators: %s is the tag; the balance is shown below it. */
      message = g_strdup_printf (_("Tagged “%s”: see the balance below"), op->tag);
      show_toast (self, message);
    }
  g_signal_emit (self, signals[TAGGED], 0);
}

static void
start_tag_op (HoneStatsSection *self,
              const char       *tag,
              const char       *keywords,
              guint             cap)
{
  g_autoptr(GTask) task = NULL;
  TagOp *op;

  op = g_new0 (TagOp, 1);
  g_weak_ref_init (&op->section, self);
  op->project_dir = g_strdup (self->project_dir);
  op->tag = g_strstrip (g_strdup (tag));
  op->keywords = keywords != NULL ? g_strstrip (g_strdup (keywords)) : NULL;
  op->cap = cap;
  op->is_regex = keywords != NULL && gtk_switch_get_active (self->regex_switch);

  self->n_running++;
  update_tag_action (self);
  task = g_task_new (NULL, self->cancellable, tag_done, NULL);
  g_task_set_source_tag (task, start_tag_op);
  g_task_set_task_data (task, op, (GDestroyNotify) tag_op_free);
  g_task_run_in_thread (task, tag_thread);
}

void
hone_stats_section_tag (HoneStatsSection *self,
                        const char       *tag,
                        const char       *keywords)
{
  g_return_if_fail (HONE_IS_STATS_SECTION (self));
  g_return_if_fail (tag != NULL && keywords != NULL);
  g_return_if_fail (self->project_dir != NULL);

  start_tag_op (self, tag, keywords, 0);
}

void
hone_stats_section_set_cap (HoneStatsSection *self,
                            const char       *tag,
                            guint             cap)
{
  g_return_if_fail (HONE_IS_STATS_SECTION (self));
  g_return_if_fail (tag != NULL);
  g_return_if_fail (self->project_dir != NULL);

  start_tag_op (self, tag, NULL, cap);
}

static void
on_cap_changed (GtkSpinButton    *spin,
                HoneStatsSection *self)
{
  if (self->filling || self->project_dir == NULL)
    return;

  hone_stats_section_set_cap (self, g_object_get_data (G_OBJECT (spin), "hone-tag"),
                              (guint) gtk_spin_button_get_value (spin));
}

static void
hone_stats_section_tag_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  HoneStatsSection *self = HONE_STATS_SECTION (widget);

  hone_stats_section_tag (self, gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)),
                          gtk_editable_get_text (GTK_EDITABLE (self->keywords_entry)));
}

static void
on_keywords_apply (HoneStatsSection *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "stats.tag", NULL);
}

static void
on_split_changed (HoneStatsSection *self)
{
  if (self->filling)
    return;

  g_signal_emit (self, signals[SPLIT_CHANGED], 0,
                 gtk_spin_button_get_value (self->fraction_spin) / 100.0,
                 (gint64) gtk_spin_button_get_value (self->seed_spin));
}

/* Showing the statistics */

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  /* Translators: a date, as strftime () writes it. */
  return time != NULL ? g_date_time_format (time, _("%-d %B %Y")) : g_strdup ("?");
}

static guint
tag_cap (GPtrArray  *tags,
         const char *name)
{
  for (guint i = 0; tags != NULL && i < tags->len; i++)
    {
      const HoneTagInfo *info = g_ptr_array_index (tags, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info->cap;
    }

  return 0;
}

static void
show_tags (HoneStatsSection       *self,
           const HoneDatasetStats *stats,
           GPtrArray              *tags)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_list))))
    gtk_list_box_remove (self->tags_list, child);

  for (guint i = 0; stats->tags != NULL && i < stats->tags->len; i++)
    {
      const HoneTagShare *share = g_ptr_array_index (stats->tags, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
      GtkWidget *cap;
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), share->name);
      /* Translators: "12 conversations (40%)". */
      subtitle = g_strdup_printf (ngettext ("%u conversation (%.0f%%)",
                                            "%u conversations (%.0f%%)", share->conversations),
                                  share->conversations, share->share * 100);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* One colour for every share: a big one is not "good". */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (share->share, 0, 1));
      gtk_widget_set_size_request (bar, 100, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);

      cap = gtk_spin_button_new_with_range (0, 999999, 1);
      gtk_editable_set_width_chars (GTK_EDITABLE (cap), 4);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (cap), tag_cap (tags, share->name));
      gtk_widget_set_valign (cap, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (cap, _("Train on at most this many conversations with this "
                                          "topic (0: all of them)"));
      g_object_set_data_full (G_OBJECT (cap), "hone-tag", g_strdup (share->name), g_free);
      g_signal_connect (cap, "value-changed", G_CALLBACK (on_cap_changed), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cap);
      gtk_list_box_append (self->tags_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tags_list),
                          stats->tags != NULL && stats->tags->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_hint),
                          stats->tags != NULL && stats->tags->len > 0);

  g_free (self->warning);
  self->warning = g_strdup (stats->warning);
  if (self->warning != NULL)
    adw_action_row_set_subtitle (self->warning_row, self->warning);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_row), self->warning != NULL);
}

void
hone_stats_section_set_snapshot (HoneStatsSection *self,
                                 HoneViewSnapshot *snapshot)
{
  const HoneDatasetStats *stats;
  const HoneDatasetView *view;
  g_autofree char *text = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double bins[HONE_STATS_N_BINS];
  guint user_messages, bot_messages, user_words, bot_words, n_found = 0;

  g_return_if_fail (HONE_IS_STATS_SECTION (self));

  if (snapshot == NULL)
    return;

  stats = snapshot->stats;
  view = snapshot->view;

  a = g_strdup_printf (ngettext ("%u for training", "%u for training", stats->train),
                       stats->train);
  b = g_strdup_printf (ngettext ("%u kept aside", "%u kept aside", stats->validation),
                       stats->validation);
  /* Translators: "N conversations: N for training, N kept aside". */
  text = g_strdup_printf (ngettext ("%u conversation: %s, %s", "%u conversations: %s, %s",
                                    stats->conversations),
                          stats->conversations, a, b);
  set_value (self->conversations_row, text);
  set_value (self->split_row, text);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  user_messages = stats->messages_by_role[HONE_ROLE_USER] + stats->messages_by_role[HONE_ROLE_NONE];
  bot_messages = stats->messages_by_role[HONE_ROLE_ASSISTANT];
  /* Translators: message counts by who wrote them. */
  text = g_strdup_printf (_("%u in all: %u from users, %u from the bot"),
                          stats->messages, user_messages, bot_messages);
  set_value (self->messages_row, text);
  g_clear_pointer (&text, g_free);

  user_words = stats->words_by_role[HONE_ROLE_USER] + stats->words_by_role[HONE_ROLE_NONE];
  bot_words = stats->words_by_role[HONE_ROLE_ASSISTANT];
  /* Translators: word counts by who wrote them, then the estimate of tokens. */
  text = g_strdup_printf (_("%u from users, %u from the bot (about %u tokens)"),
                          user_words, bot_words, stats->tokens_estimate);
  set_value (self->words_row, text);
  g_clear_pointer (&text, g_free);

  if (stats->first_time == G_MININT64)
    set_value (self->span_row, _("The chats have no dates"));
  else
    {
      a = format_date (stats->first_time);
      b = format_date (stats->last_time);
      /* Translators: from the first date to the last. */
      text = g_strdup_printf (_("%s to %s"), a, b);
      set_value (self->span_row, text);
      g_clear_pointer (&text, g_free);
    }

  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    {
      if (stats->scrub_counts[k] == 0)
        continue;
      n_found += stats->scrub_counts[k];
      if (found->len > 0)
        g_string_append (found, ", ");
      g_string_append_printf (found, "%s %u", hone_scrub_kind_placeholder (k),
                              stats->scrub_counts[k]);
    }
  if (!view->options.scrub)
    set_value (self->privacy_row, _("None: hiding personal data is off (Chats and Cleaning)"));
  else if (n_found == 0)
    set_value (self->privacy_row, _("Nothing found"));
  else
    set_value (self->privacy_row, found->str);

  for (guint i = 0; i < HONE_STATS_N_BINS; i++)
    {
      bins[i] = stats->histogram[i];
      if (i + 1 < HONE_STATS_N_BINS)
        /* Translators: a histogram bar: conversations of at most %u tokens. */
        g_ptr_array_add (labels, g_strdup_printf (_("≤ %u"), hone_stats_bin_limits[i]));
      else
        /* Translators: the last histogram bar: longer conversations. */
        g_ptr_array_add (labels, g_strdup (_("longer")));
    }
  g_ptr_array_add (labels, NULL);
  hone_chart_series_set_values (self->lengths, bins, HONE_STATS_N_BINS);
  hone_chart_axis_fit_y (self->count_axis, self->lengths);
  hone_chart_set_x_labels (self->length_chart, (const char * const *) labels->pdata);

  self->filling = TRUE;
  show_tags (self, stats, snapshot->tags);
  gtk_spin_button_set_value (self->fraction_spin, view->options.validation_fraction * 100);
  gtk_spin_button_set_value (self->seed_spin, (double) view->options.split_seed);
  self->filling = FALSE;
}

void
hone_stats_section_set_project_dir (HoneStatsSection *self,
                                    const char       *project_dir)
{
  g_return_if_fail (HONE_IS_STATS_SECTION (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  update_tag_action (self);
}

gboolean
hone_stats_section_get_busy (HoneStatsSection *self)
{
  g_return_val_if_fail (HONE_IS_STATS_SECTION (self), FALSE);

  return self->n_running > 0;
}

const char *
hone_stats_section_get_warning (HoneStatsSection *self)
{
  g_return_val_if_fail (HONE_IS_STATS_SECTION (self), NULL);

  return self->warning;
}

/* GObject */

static void
hone_stats_section_dispose (GObject *object)
{
  HoneStatsSection *self = HONE_STATS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_STATS_SECTION);
  g_clear_object (&self->lengths);
  g_clear_object (&self->count_axis);

  G_OBJECT_CLASS (hone_stats_section_parent_class)->dispose (object);
}

static void
hone_stats_section_finalize (GObject *object)
{
  HoneStatsSection *self = HONE_STATS_SECTION (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hone_stats_section_parent_class)->finalize (object);
}

static void
hone_stats_section_class_init (HoneStatsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_stats_section_dispose;
  object_class->finalize = hone_stats_section_finalize;

  /* Conversations were tagged: the view must be built again. */
  signals[TAGGED] =
    g_signal_new ("tagged",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The person changed the split: (validation fraction, seed). */
  signals[SPLIT_CHANGED] =
    g_signal_new ("split-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_INT64);

  g_type_ensure (HONE_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-stats-section.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, conversations_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, messages_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, words_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, span_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, privacy_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, length_chart);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, keywords_entry);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, regex_switch);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, warning_row);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, tags_list);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, tags_hint);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, fraction_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, HoneStatsSection, split_row);
  gtk_widget_class_bind_template_callback (widget_class, on_keywords_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_split_changed);

  gtk_widget_class_install_action (widget_class, "stats.tag", NULL,
                                   hone_stats_section_tag_action);
}

static void
hone_stats_section_init (HoneStatsSection *self)
{
  g_autoptr(HoneChartLayer) bars = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->lengths = hone_chart_series_new (_("Conversations"));
  self->count_axis = hone_chart_axis_new ();
  bars = hone_chart_bar_layer_new (self->lengths, self->count_axis);
  hone_chart_add_layer (self->length_chart, bars);
  hone_chart_set_value_func (self->length_chart, conversations_value, NULL, NULL);

  g_signal_connect_swapped (self->tag_entry, "changed", G_CALLBACK (update_tag_action), self);
  g_signal_connect_swapped (self->keywords_entry, "changed", G_CALLBACK (update_tag_action), self);
  update_tag_action (self);
}
