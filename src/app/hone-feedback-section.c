/* hone-feedback-section.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-feedback-section"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "store/hone-chat-store.h"
#include "store/hone-project.h"

#include "hone-feedback-section.h"

/* Longest question shown in a row, in characters; the label ellipsizes before that. */
#define PROMPT_MAX_CHARS 200
/* Rows shown at most, the newest; the counts cover them all. */
#define MAX_ROWS 500

struct _HoneFeedbackSection
{
  AdwBin        parent_instance;

  char         *project_dir;
  GCancellable *cancellable;       /* cancelled with the project */
  guint         project_serial;    /* results of an older project are dropped */
  gboolean      loading;
  gboolean      reload_again;      /* a reload was asked for while one ran */
  guint         n_adding;
  guint         n_items;
  char         *summary;

  /* Template children */
  GtkStack     *stack;
  GtkLabel     *summary_label;
  GtkListBox   *feedback_list;
  GtkLabel     *more_label;
};

G_DEFINE_FINAL_TYPE (HoneFeedbackSection, hone_feedback_section, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DATA_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One row's data, read on the worker thread. */
typedef struct
{
  HoneFeedback *feedback;
  char         *prompt;    /* the last user turn before the answer, shortened, or NULL */
} FeedbackItem;

static void
feedback_item_free (FeedbackItem *item)
{
  g_clear_pointer (&item->feedback, hone_feedback_free);
  g_free (item->prompt);
  g_free (item);
}

typedef struct
{
  GWeakRef  section;
  char     *project_dir;
  guint     project_serial;
  gint64    feedback_id;    /* 0: only list */
} FeedbackOp;

static void
feedback_op_free (FeedbackOp *op)
{
  g_weak_ref_clear (&op->section);
  g_free (op->project_dir);
  g_free (op);
}

static void
show_toast (HoneFeedbackSection *self,
            const char          *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static gboolean
has_correction (const HoneFeedback *feedback)
{
  return feedback->correction != NULL && feedback->correction[0] != '\0';
}

static void
notify_busy (HoneFeedbackSection *self,
             gboolean             was_busy)
{
  if (was_busy != hone_feedback_section_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_actions (HoneFeedbackSection *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feedback.add-to-data",
                                 self->project_dir != NULL && self->n_adding == 0);
}

/* Reading, on the worker thread */

/* The text of the last user turn of @context (JSON [{"role", "text"}]), on one line and
 * at most PROMPT_MAX_CHARS long; NULL when there is none. */
static char *
last_user_turn (const char *context)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *turns;
  GString *line;
  const char *text = NULL;
  guint n_chars = 0;

  if (context == NULL || !json_parser_load_from_data (parser, context, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  turns = json_node_get_array (root);
  for (guint i = json_array_get_length (turns); i > 0 && text == NULL; i--)
    {
      JsonNode *node = json_array_get_element (turns, i - 1);
      JsonObject *turn = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (turn != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (turn, "role", ""),
                        "user") == 0)
        text = json_object_get_string_member_with_default (turn, "text", NULL);
    }

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  /* Runs of white space, line breaks included, become one space. */
  line = g_string_new (NULL);
  for (const char *p = text; *p != '\0' && n_chars < PROMPT_MAX_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (line->len > 0 && line->str[line->len - 1] != ' ')
            g_string_append_c (line, ' ');
          continue;
        }
      g_string_append_unichar (line, c);
      n_chars++;
    }
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  if (line->len == 0)
    return g_string_free (line, TRUE);

  return g_string_free (line, FALSE);
}

static void
feedback_op_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FeedbackOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  project = hone_project_open (op->project_dir, &error);
  if (project == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->feedback_id != 0
      && hone_chat_store_add_correction_to_data (project, op->feedback_id, &error) == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  list = hone_chat_store_list_feedback (project, &error);
  if (list == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = g_ptr_array_new_full (list->len, (GDestroyNotify) feedback_item_free);
  for (guint i = 0; i < list->len; i++)
    {
      FeedbackItem *item = g_new0 (FeedbackItem, 1);

      item->feedback = g_steal_pointer (&list->pdata[i]);
      item->prompt = last_user_turn (item->feedback->context);
      g_ptr_array_add (items, item);
    }

  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

/* Showing the list */

static char *
format_time (const char *iso_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso_time == NULL)
    return NULL;

  utc = g_date_time_new_from_iso8601 (iso_time, NULL);
  if (utc == NULL)
    return NULL;

  local = g_date_time_to_local (utc);
  /* Translators: when an answer was rated, as strftime () writes it. */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

static GtkWidget *
make_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
make_rating_icon (const HoneFeedback *feedback)
{
  GtkWidget *icon;

  if (feedback->rating > 0)
    {
      icon = gtk_image_new_from_icon_name ("hone-thumbs-up-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_set_tooltip_text (icon, _("Good answer"));
      gtk_widget_set_name (icon, "rating-good");
    }
  else if (feedback->rating < 0)
    {
      icon = gtk_image_new_from_icon_name ("hone-thumbs-down-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_tooltip_text (icon, _("Bad answer"));
      gtk_widget_set_name (icon, "rating-bad");
    }
  else
    {
      icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      gtk_widget_set_tooltip_text (icon, _("Corrected, not rated"));
      gtk_widget_set_name (icon, "rating-none");
    }

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 2);

  return icon;
}

/* The button that adds a correction, or the mark that says it was added. */
static GtkWidget *
make_correction_state (const HoneFeedback *feedback)
{
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  if (feedback->conversation_id == 0)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add to Training Data"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button,
                                   _("Teach the bot this answer on its next training run"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "feedback.add-to-data");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_int64 (feedback->id));
      gtk_widget_set_name (button, "add-to-data");

      return button;
    }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_name (box, "added-to-data");
  icon = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_add_css_class (icon, "success");
  gtk_box_append (GTK_BOX (box), icon);
  label = make_label (_("In Training Data"), "dim-label");
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

static GtkWidget *
make_row (const FeedbackItem *item)
{
  const HoneFeedback *feedback = item->feedback;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label;
  g_autofree char *prompt = NULL;
  g_autofree char *time = NULL;
  g_autofree char *meta = NULL;
  const char *bot_name;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (text, TRUE);

  gtk_box_append (GTK_BOX (box), make_rating_icon (feedback));

  /* Translators: the question the person asked before a rated answer. */
  prompt = item->prompt != NULL ? g_strdup_printf (_("You: %s"), item->prompt)
                                : g_strdup (_("(no question)"));
  label = make_label (prompt, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, item->prompt);
  gtk_box_append (GTK_BOX (text), label);

  /* The answer, on at most two lines. */
  label = make_label (feedback->answer, NULL);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  gtk_box_append (GTK_BOX (text), label);

  if (has_correction (feedback))
    {
      GtkWidget *correction = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

      gtk_widget_set_margin_top (correction, 4);
      gtk_box_append (GTK_BOX (correction), make_label (_("Your correction"), "caption-heading"));
      label = make_label (feedback->correction, NULL);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_lines (GTK_LABEL (label), 4);
      gtk_label_set_width_chars (GTK_LABEL (label), 20);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (correction), label);
      gtk_box_append (GTK_BOX (text), correction);
    }

  bot_name = feedback->bot_name != NULL ? feedback->bot_name : _("A removed bot");
  time = format_time (feedback->created_at);
  /* Translators: who answered and when, under a rated answer: "Hike Bot · 25 November…". */
  meta = time != NULL ? g_strdup_printf (_("%s · %s"), bot_name, time) : g_strdup (bot_name);
  label = make_label (meta, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (text), label);

  gtk_box_append (GTK_BOX (box), text);

  if (has_correction (feedback))
    gtk_box_append (GTK_BOX (box), make_correction_state (feedback));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static char *
format_summary (GPtrArray *items)
{
  guint n_good = 0, n_bad = 0, n_corrections = 0, n_added = 0, n_rated;
  g_autofree char *rated = NULL;
  g_autofree char *corrections = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const FeedbackItem *item = g_ptr_array_index (items, i);

      if (item->feedback->rating > 0)
        n_good++;
      else if (item->feedback->rating < 0)
        n_bad++;
      if (has_correction (item->feedback))
        {
          n_corrections++;
          if (item->feedback->conversation_id != 0)
            n_added++;
        }
    }
  n_rated = n_good + n_bad;

  if (n_rated == 0)
    rated = g_strdup (_("No rated answers"));
  else
    {
      g_autofree char *count = g_strdup_printf (ngettext ("%u rated answer",
                                                          "%u rated answers", n_rated),
                                                n_rated);

      /* Translators: "12 rated answers: 9 good, 3 bad". */
      rated = g_strdup_printf (_("%s: %u good, %u bad"), count, n_good, n_bad);
    }

  if (n_corrections == 0)
    corrections = g_strdup (_("no corrections"));
  else
    {
      g_autofree char *count = g_strdup_printf (ngettext ("%u correction",
                                                          "%u corrections", n_corrections),
                                                n_corrections);

      /* Translators: "4 corrections, 2 added" (to the training data). */
      corrections = g_strdup_printf (_("%s, %u added"), count, n_added);
    }

  /* Translators: "12 rated answers: 9 good, 3 bad; 4 corrections, 2 added". */
  return g_strdup_printf (_("%s; %s"), rated, corrections);
}

static void
show_items (HoneFeedbackSection *self,
            GPtrArray           *items)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->feedback_list))))
    gtk_list_box_remove (self->feedback_list, child);

  for (guint i = 0; i < MIN (items->len, MAX_ROWS); i++)
    gtk_list_box_append (self->feedback_list, make_row (g_ptr_array_index (items, i)));

  if (items->len > MAX_ROWS)
    {
      guint n_more = items->len - MAX_ROWS;
      g_autofree char *more = g_strdup_printf (ngettext ("%u older answer is not shown.",
                                                         "%u older answers are not shown.",
                                                         n_more),
                                               n_more);

      gtk_label_set_label (self->more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), items->len > MAX_ROWS);

  g_free (self->summary);
  self->summary = format_summary (items);
  gtk_label_set_label (self->summary_label, self->summary);

  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");

  if (self->n_items != items->len)
    {
      self->n_items = items->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void start_op (HoneFeedbackSection *self,
                      gint64               feedback_id);

static void
feedback_op_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FeedbackOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneFeedbackSection) self = g_weak_ref_get (&op->section);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_busy;

  items = g_task_propagate_pointer (G_TASK (result), &error);

  /* A project closed since drops what was read from it. */
  if (self == NULL || op->project_serial != self->project_serial)
    return;

  was_busy = hone_feedback_section_get_busy (self);
  if (op->feedback_id != 0)
    {
      self->n_adding--;
      update_actions (self);
    }
  else
    self->loading = FALSE;

  if (items == NULL)
    {
      g_autofree char *message = NULL;

      if (op->feedback_id != 0)
        /* Translators: %s is the reason. */
        message = g_strdup_printf (_("The correction could not be added: %s"),
                                   error->message);
      else
        /* Translators: %s is the reason. */
        message = g_strdup_printf (_("The feedback could not be read: %s"), error->message);
      show_toast (self, message);

      if (self->n_items == 0 && !self->loading)
        gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    show_items (self, items);

  if (op->feedback_id != 0 && items != NULL)
    {
      /* A listing that started before this addition shows it as not added yet: it is
       * read again after that one. */
      if (self->loading)
        self->reload_again = TRUE;
      show_toast (self, _("The correction was added to the training data"));
      g_signal_emit (self, signals[DATA_CHANGED], 0);
    }

  if (self->reload_again && !self->loading)
    {
      self->reload_again = FALSE;
      start_op (self, 0);
    }

  notify_busy (self, was_busy);
}

static void
start_op (HoneFeedbackSection *self,
          gint64               feedback_id)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_busy = hone_feedback_section_get_busy (self);
  FeedbackOp *op;

  g_assert (self->project_dir != NULL);

  if (feedback_id == 0)
    {
      if (self->loading)
        {
          self->reload_again = TRUE;
          return;
        }
      self->loading = TRUE;
    }
  else
    {
      self->n_adding++;
      update_actions (self);
    }

  op = g_new0 (FeedbackOp, 1);
  g_weak_ref_init (&op->section, self);
  op->project_dir = g_strdup (self->project_dir);
  op->project_serial = self->project_serial;
  op->feedback_id = feedback_id;

  task = g_task_new (NULL, self->cancellable, feedback_op_done, NULL);
  g_task_set_source_tag (task, start_op);
  g_task_set_task_data (task, op, (GDestroyNotify) feedback_op_free);
  g_task_run_in_thread (task, feedback_op_thread);

  notify_busy (self, was_busy);
}

static void
hone_feedback_section_add_to_data_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  hone_feedback_section_add_to_data (HONE_FEEDBACK_SECTION (widget),
                                     g_variant_get_int64 (parameter));
}

/* Public API */

GtkWidget *
hone_feedback_section_new (void)
{
  return g_object_new (HONE_TYPE_FEEDBACK_SECTION, NULL);
}

void
hone_feedback_section_set_project_dir (HoneFeedbackSection *self,
                                       const char          *project_dir)
{
  GtkWidget *child;
  gboolean was_busy;

  g_return_if_fail (HONE_IS_FEEDBACK_SECTION (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  was_busy = hone_feedback_section_get_busy (self);

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->project_serial++;
  self->loading = FALSE;
  self->reload_again = FALSE;
  self->n_adding = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->feedback_list))))
    gtk_list_box_remove (self->feedback_list, child);
  g_clear_pointer (&self->summary, g_free);
  gtk_label_set_label (self->summary_label, "");
  gtk_stack_set_visible_child_name (self->stack, "loading");
  if (self->n_items != 0)
    {
      self->n_items = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  update_actions (self);
  if (self->project_dir != NULL)
    start_op (self, 0);

  notify_busy (self, was_busy);
}

void
hone_feedback_section_reload (HoneFeedbackSection *self)
{
  g_return_if_fail (HONE_IS_FEEDBACK_SECTION (self));

  if (self->project_dir != NULL)
    start_op (self, 0);
}

void
hone_feedback_section_add_to_data (HoneFeedbackSection *self,
                                   gint64               feedback_id)
{
  g_return_if_fail (HONE_IS_FEEDBACK_SECTION (self));
  g_return_if_fail (feedback_id > 0);
  g_return_if_fail (self->project_dir != NULL);

  start_op (self, feedback_id);
}

guint
hone_feedback_section_get_n_items (HoneFeedbackSection *self)
{
  g_return_val_if_fail (HONE_IS_FEEDBACK_SECTION (self), 0);

  return self->n_items;
}

gboolean
hone_feedback_section_get_busy (HoneFeedbackSection *self)
{
  g_return_val_if_fail (HONE_IS_FEEDBACK_SECTION (self), FALSE);

  return self->loading || self->n_adding > 0;
}

const char *
hone_feedback_section_get_summary (HoneFeedbackSection *self)
{
  g_return_val_if_fail (HONE_IS_FEEDBACK_SECTION (self), NULL);

  return self->summary;
}

/* GObject */

static void
hone_feedback_section_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hone_feedback_section_parent_class)->map (widget);

  /* Ratings given in Chat since the last look. */
  hone_feedback_section_reload (HONE_FEEDBACK_SECTION (widget));
}

static void
hone_feedback_section_dispose (GObject *object)
{
  HoneFeedbackSection *self = HONE_FEEDBACK_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_FEEDBACK_SECTION);

  G_OBJECT_CLASS (hone_feedback_section_parent_class)->dispose (object);
}

static void
hone_feedback_section_finalize (GObject *object)
{
  HoneFeedbackSection *self = HONE_FEEDBACK_SECTION (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hone_feedback_section_parent_class)->finalize (object);
}

static void
hone_feedback_section_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HoneFeedbackSection *self = HONE_FEEDBACK_SECTION (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, hone_feedback_section_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_feedback_section_class_init (HoneFeedbackSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_feedback_section_dispose;
  object_class->finalize = hone_feedback_section_finalize;
  object_class->get_property = hone_feedback_section_get_property;
  widget_class->map = hone_feedback_section_map;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HoneFeedbackSection::data-changed:
   *
   * A correction was added to the training data: the project has a new conversation.
   */
  signals[DATA_CHANGED] =
    g_signal_new ("data-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-feedback-section.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneFeedbackSection, stack);
  gtk_widget_class_bind_template_child (widget_class, HoneFeedbackSection, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HoneFeedbackSection, feedback_list);
  gtk_widget_class_bind_template_child (widget_class, HoneFeedbackSection, more_label);

  gtk_widget_class_install_action (widget_class, "feedback.add-to-data", "x",
                                   hone_feedback_section_add_to_data_action);
}

static void
hone_feedback_section_init (HoneFeedbackSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_actions (self);
}
