/* hone-roles-section.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-roles-section"

#include "config.h"

#include <glib/gi18n.h>

#include "data/hone-dataset.h"
#include "store/hone-project.h"

#include "hone-roles-section.h"

#define PREVIEW_MESSAGES 8

struct _HoneRolesSection
{
  AdwBin               parent_instance;

  char                *project_dir;
  GCancellable        *cancellable;
  guint                serial;        /* the newest read wins */
  guint                n_running;
  guint                n_speakers;
  gint64               preview_source;  /* the source the preview shows, 0: any */
  char                *preview_speaker; /* a speaker the preview should show, or NULL */
  AdwToast            *toast;           /* the last one with Undo, while shown */

  /* Template children */
  AdwPreferencesGroup *roles_group;
  GtkListBox          *speakers_list;
  AdwPreferencesGroup *preview_group;
  GtkBox              *preview_box;
};

G_DEFINE_FINAL_TYPE (HoneRolesSection, hone_roles_section, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT_DIR,
  PROP_BUSY,
  PROP_N_SPEAKERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROLES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char     *speaker;
  HoneRole  role;
  char     *text;
} PreviewMessage;

static void
preview_message_free (PreviewMessage *m)
{
  g_free (m->speaker);
  g_free (m->text);
  g_free (m);
}

typedef struct
{
  GWeakRef   section;
  char      *project_dir;
  guint      serial;
  char      *set_speaker;   /* NULL: only read */
  gint64     set_source;    /* 0: project-wide; else in this source only */
  HoneRole   set_role;      /* NONE with a source: as everywhere again */
  gboolean   undo;
  gint64     preview_source;  /* show a conversation of this source, 0: any */
  char      *preview_speaker; /* with this speaker in it, NULL: anyone */
  /* Results */
  gboolean   guessed;       /* new speakers got Hone's guess */
  GPtrArray *speakers;      /* (element-type HoneSpeakerInfo) project-wide rows */
  GPtrArray *overrides;     /* (element-type HoneSpeakerInfo) per-source rows */
  GPtrArray *sources;       /* (element-type HoneSourceInfo) */
  GPtrArray *preview;       /* (element-type PreviewMessage) */
  char      *preview_title;
  char      *preview_file;  /* the source's file name */
  char      *left_out;      /* the chat asked for, when none of its conversations is used */
  char      *undone;
} RolesOp;

static void
roles_op_free (RolesOp *op)
{
  g_weak_ref_clear (&op->section);
  g_free (op->project_dir);
  g_free (op->set_speaker);
  g_free (op->preview_speaker);
  g_clear_pointer (&op->speakers, g_ptr_array_unref);
  g_clear_pointer (&op->overrides, g_ptr_array_unref);
  g_clear_pointer (&op->sources, g_ptr_array_unref);
  g_clear_pointer (&op->preview, g_ptr_array_unref);
  g_free (op->preview_title);
  g_free (op->preview_file);
  g_free (op->left_out);
  g_free (op->undone);
  g_free (op);
}

static void
set_busy (HoneRolesSection *self,
          gboolean          busy)
{
  gboolean was_busy = self->n_running > 0;

  if (busy)
    self->n_running++;
  else
    self->n_running--;

  if (was_busy != (self->n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_toast (HoneRolesSection *self,
            AdwToast         *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* On a worker thread */

static gboolean
has_both_roles (const HoneDatasetConversation *c)
{
  gboolean user = FALSE, bot = FALSE;

  for (guint i = 0; i < c->messages->len; i++)
    {
      const HoneDatasetMessage *m = g_ptr_array_index (c->messages, i);

      if (m->role == HONE_ROLE_ASSISTANT)
        bot = TRUE;
      else if (m->role != HONE_ROLE_SYSTEM)
        user = TRUE;
    }

  return user && bot;
}

static gboolean
has_speaker (const HoneDatasetConversation *c,
             const char                    *speaker)
{
  for (guint i = 0; i < c->messages->len && i < PREVIEW_MESSAGES; i++)
    {
      const HoneDatasetMessage *m = g_ptr_array_index (c->messages, i);

      if (g_strcmp0 (m->speaker, speaker) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The conversation to preview: of the source and with the speaker the person just
 * changed where there is one, and with both sides. The first of the best. */
static const HoneDatasetConversation *
choose_preview (const HoneDatasetView *view,
                gint64                 source_id,
                const char            *speaker)
{
  const HoneDatasetConversation *best = NULL;
  guint best_score = 0;

  for (guint i = 0; i < view->conversations->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (view->conversations, i);
      guint score = 1;

      if (source_id != 0 && c->source_id == source_id)
        score += 8;
      if (speaker != NULL && has_speaker (c, speaker))
        score += 4;
      if (has_both_roles (c))
        score += 2;
      if (score > best_score)
        {
          best = c;
          best_score = score;
        }
      if (best_score == 15
          || (source_id == 0 && speaker == NULL && best_score == 3))
        break;
    }

  return best;
}

static void
roles_op_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RolesOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(HoneDatasetView) view = NULL;
  g_autoptr(GError) error = NULL;
  gboolean undecided = FALSE;
  const HoneDatasetConversation *shown = NULL;
  gint64 dataset_id;

  project = hone_project_open (op->project_dir, &error);
  if (project == NULL)
    goto fail;

  if (op->undo)
    {
      op->undone = hone_dataset_undo (project, &error);
      if (error != NULL)
        goto fail;
    }

  if (op->set_speaker != NULL
      && !hone_dataset_set_role (project, op->set_speaker, op->set_source, op->set_role,
                                 &error))
    goto fail;

  all = hone_dataset_list_speakers (project, &error);
  if (all == NULL)
    goto fail;

  for (guint i = 0; i < all->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (all, i);

      if (info->source_id == 0 && info->role == HONE_ROLE_NONE)
        undecided = TRUE;
    }

  /* New speakers get Hone's guess, so the buttons and the training set agree. */
  if (undecided && !op->undo)
    {
      int n = hone_dataset_guess_roles (project, &error);

      if (n < 0)
        goto fail;
      op->guessed = n > 0;
      g_clear_pointer (&all, g_ptr_array_unref);
      all = hone_dataset_list_speakers (project, &error);
      if (all == NULL)
        goto fail;
    }

  op->speakers = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_speaker_info_free);
  op->overrides = g_ptr_array_new_with_free_func ((GDestroyNotify) hone_speaker_info_free);
  for (guint i = 0; i < all->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (all, i);

      g_ptr_array_add (info->source_id == 0 ? op->speakers : op->overrides,
                       g_ptr_array_steal_index (all, i--));
    }

  /* Who wrote in which chat, for the choices per chat. */
  op->sources = hone_project_list_sources (project, &error);
  if (op->sources == NULL)
    goto fail;

  dataset_id = hone_dataset_ensure_default (project, &error);
  if (dataset_id == 0)
    goto fail;

  view = hone_dataset_view_build (project, dataset_id, NULL, 0, NULL, NULL, cancellable, &error);
  if (view == NULL)
    goto fail;

  shown = choose_preview (view, op->preview_source, op->preview_speaker);
  if (op->preview_source != 0 && (shown == NULL || shown->source_id != op->preview_source))
    for (guint i = 0; i < op->sources->len; i++)
      {
        const HoneSourceInfo *source = g_ptr_array_index (op->sources, i);

        if (source->id == op->preview_source)
          op->left_out = g_strdup (source->file);
      }

  op->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_message_free);
  if (shown != NULL)
    {
      op->preview_title = g_strdup (shown->title);
      for (guint i = 0; i < op->sources->len; i++)
        {
          const HoneSourceInfo *source = g_ptr_array_index (op->sources, i);

          if (source->id == shown->source_id)
            op->preview_file = g_strdup (source->file);
        }
      for (guint i = 0; i < shown->messages->len && i < PREVIEW_MESSAGES; i++)
        {
          const HoneDatasetMessage *m = g_ptr_array_index (shown->messages, i);
          PreviewMessage *pm = g_new0 (PreviewMessage, 1);

          pm->speaker = g_strdup (m->speaker);
          pm->role = m->role;
          pm->text = g_strdup (m->text);
          g_ptr_array_add (op->preview, pm);
        }
    }

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* On the main thread */

static void
on_role_toggled (GtkToggleButton  *button,
                 HoneRolesSection *self)
{
  const char *speaker;

  if (!gtk_toggle_button_get_active (button))
    return;
  /* Set while the rows are made, not by a person. */
  if (g_object_get_data (G_OBJECT (button), "hone-filling") != NULL)
    return;

  speaker = g_object_get_data (G_OBJECT (button), "hone-speaker");
  hone_roles_section_set_role (self, speaker,
                               GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button),
                                                                   "hone-bot")));
}

static GtkWidget *
make_toggle (HoneRolesSection *self,
             const char       *label,
             const char       *tooltip,
             const char       *speaker,
             gboolean          is_bot)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "hone-speaker", g_strdup (speaker), g_free);
  g_object_set_data (G_OBJECT (button), "hone-bot", GINT_TO_POINTER (is_bot));
  g_signal_connect (button, "toggled", G_CALLBACK (on_role_toggled), self);

  return button;
}

/* The per-chat choice, in the order of its menu. */
enum {
  CHOICE_AS_EVERYWHERE,
  CHOICE_USER,
  CHOICE_BOT,
};

static void
on_source_choice (AdwComboRow      *row,
                  GParamSpec       *pspec,
                  HoneRolesSection *self)
{
  const char *speaker;
  gint64 source_id;
  HoneRole role;

  if (g_object_get_data (G_OBJECT (row), "hone-filling") != NULL)
    return;

  speaker = g_object_get_data (G_OBJECT (row), "hone-speaker");
  source_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "hone-source");
  switch (adw_combo_row_get_selected (row))
    {
    case CHOICE_USER:
      role = HONE_ROLE_USER;
      break;

    case CHOICE_BOT:
      role = HONE_ROLE_ASSISTANT;
      break;

    default:
      role = HONE_ROLE_NONE;
    }

  hone_roles_section_set_source_role (self, speaker, source_id, role);
}

/* The part @name plays in @source_id by a choice for that chat only, or NONE. */
static HoneRole
override_of (GPtrArray  *overrides,
             const char *name,
             gint64      source_id)
{
  for (guint i = 0; i < overrides->len; i++)
    {
      const HoneSpeakerInfo *o = g_ptr_array_index (overrides, i);

      if (o->source_id == source_id && g_strcmp0 (o->name, name) == 0)
        return o->role;
    }

  return HONE_ROLE_NONE;
}

static GtkWidget *
make_source_row (HoneRolesSection      *self,
                 const HoneSpeakerInfo *info,
                 const HoneSourceInfo  *source,
                 HoneRole               override)
{
  const char * const choices[] = {
    _("Same as everywhere"),
    _("User in this chat"),
    _("Bot in this chat"),
    NULL
  };
  g_autoptr(GtkStringList) model = gtk_string_list_new (choices);
  GtkWidget *row = adw_combo_row_new ();
  g_autofree char *name = g_strdup_printf ("source-%" G_GINT64_FORMAT, source->id);
  gint64 *id = g_new (gint64, 1);
  gboolean bot_everywhere = info->role == HONE_ROLE_ASSISTANT;
  const char *subtitle;
  const char *icon;
  guint selected;

  if (override == HONE_ROLE_ASSISTANT)
    {
      selected = CHOICE_BOT;
      subtitle = bot_everywhere ? _("Only here: the bot (it is the bot everywhere anyway)")
                                : _("Only here: the bot. Elsewhere a user.");
    }
  else if (override == HONE_ROLE_USER)
    {
      selected = CHOICE_USER;
      subtitle = bot_everywhere ? _("Only here: a user. Elsewhere the bot.")
                                : _("Only here: a user (a user everywhere anyway)");
    }
  else
    {
      selected = CHOICE_AS_EVERYWHERE;
      subtitle = bot_everywhere ? _("The bot here too, as everywhere")
                                : _("A user here too, as everywhere");
    }

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), source->file);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  /* The icons of the chats' list above. */
  if (source->format == HONE_CHAT_FORMAT_CSV)
    icon = "x-office-spreadsheet-symbolic";
  else if (source->format == HONE_CHAT_FORMAT_FEEDBACK)
    icon = "document-edit-symbolic";
  else
    icon = "chat-message-new-symbolic";
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  if (override != HONE_ROLE_NONE)
    gtk_widget_add_css_class (row, "source-override");

  g_object_set_data (G_OBJECT (row), "hone-filling", GINT_TO_POINTER (1));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data (G_OBJECT (row), "hone-filling", NULL);

  *id = source->id;
  g_object_set_data_full (G_OBJECT (row), "hone-source", id, g_free);
  g_object_set_data_full (G_OBJECT (row), "hone-speaker", g_strdup (info->name), g_free);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_source_choice), self);

  return row;
}

static GtkWidget *
make_speaker_row (HoneRolesSection      *self,
                  const HoneSpeakerInfo *info,
                  RolesOp               *op,
                  GPtrArray             *expanded)
{
  g_autoptr(GPtrArray) in_sources = g_ptr_array_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *user, *bot, *icon;
  g_autofree char *counts = NULL;
  const char *guess;
  gboolean is_bot = info->role == HONE_ROLE_ASSISTANT;
  guint n_overrides = 0;

  /* The chats this person wrote in, or has a part of their own in. */
  for (guint i = 0; i < op->sources->len; i++)
    {
      const HoneSourceInfo *source = g_ptr_array_index (op->sources, i);

      if ((source->participants != NULL
           && g_strv_contains ((const char * const *) source->participants, info->name))
          || override_of (op->overrides, info->name, source->id) != HONE_ROLE_NONE)
        g_ptr_array_add (in_sources, (gpointer) source);
    }

  /* Translators: "12 messages in 3 conversations". */
  counts = g_strdup_printf (ngettext ("%u message", "%u messages", info->n_messages),
                            info->n_messages);
  if (info->guess == HONE_ROLE_ASSISTANT)
    guess = _("Hone’s guess: the bot");
  else
    guess = _("Hone’s guess: a user");
  /* Translators: a message count, then Hone's guess. */
  g_string_printf (subtitle, _("%s · %s"), counts, guess);
  if (info->marked == HONE_ROLE_ASSISTANT)
    /* Translators: appended to a speaker's description: a help-desk export's role column
     * says they answer the customers. */
    g_string_append_printf (subtitle, _(" · %s"), _("marked as agent in the export"));
  else if (info->marked == HONE_ROLE_USER)
    /* Translators: appended to a speaker's description. */
    g_string_append_printf (subtitle, _(" · %s"), _("marked as customer in the export"));

  for (guint i = 0; i < in_sources->len; i++)
    {
      const HoneSourceInfo *source = g_ptr_array_index (in_sources, i);

      if (override_of (op->overrides, info->name, source->id) != HONE_ROLE_NONE)
        n_overrides++;
    }
  if (n_overrides > 0)
    {
      /* Translators: appended to a speaker's description. */
      g_autofree char *other = g_strdup_printf (ngettext ("another part in %u chat",
                                                          "another part in %u chats",
                                                          n_overrides),
                                                n_overrides);

      g_string_append_printf (subtitle, _(" · %s"), other);
    }

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  user = make_toggle (self, _("User"),
                      _("This person talks to the bot; the bot learns to answer them"),
                      info->name, FALSE);
  bot = make_toggle (self, _("Bot"),
                     _("The bot learns to write like this person"),
                     info->name, TRUE);
  gtk_widget_add_css_class (bot, "bot-toggle");
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (bot), GTK_TOGGLE_BUTTON (user));
  g_object_set_data (G_OBJECT (user), "hone-filling", GINT_TO_POINTER (1));
  g_object_set_data (G_OBJECT (bot), "hone-filling", GINT_TO_POINTER (1));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (is_bot ? bot : user), TRUE);
  g_object_set_data (G_OBJECT (user), "hone-filling", NULL);
  g_object_set_data (G_OBJECT (bot), "hone-filling", NULL);
  gtk_box_append (GTK_BOX (box), user);
  gtk_box_append (GTK_BOX (box), bot);

  icon = gtk_image_new_from_icon_name (is_bot ? "emblem-ok-symbolic" : "avatar-default-symbolic");
  gtk_widget_add_css_class (icon, is_bot ? "accent" : "dim-label");

  /* Someone in several chats (or with a part of their own in one) can play another
   * part in one of them: their row opens on one choice per chat. */
  if (in_sources->len >= 2 || n_overrides > 0)
    {
      row = adw_expander_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), box);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      for (guint i = 0; i < in_sources->len; i++)
        {
          const HoneSourceInfo *source = g_ptr_array_index (in_sources, i);

          adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                    make_source_row (self, info, source,
                                                     override_of (op->overrides, info->name,
                                                                  source->id)));
        }
      for (guint i = 0; i < expanded->len; i++)
        if (g_strcmp0 (g_ptr_array_index (expanded, i), info->name) == 0)
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }
  else
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  g_object_set_data_full (G_OBJECT (row), "hone-speaker", g_strdup (info->name), g_free);

  return row;
}

static GtkWidget *
make_bubble (const PreviewMessage *m)
{
  gboolean is_bot = m->role == HONE_ROLE_ASSISTANT;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *who = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (m->text);
  g_autofree char *who_text = NULL;

  if (is_bot)
    /* Translators: the bot's messages in the preview, %s is the person it imitates. */
    who_text = g_strdup_printf (_("Bot (as %s)"), m->speaker);
  else
    /* Translators: a user's messages in the preview, %s is their name. */
    who_text = g_strdup_printf (_("User (%s)"), m->speaker);
  gtk_label_set_text (GTK_LABEL (who), who_text);
  gtk_label_set_xalign (GTK_LABEL (who), is_bot ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (who, "caption");
  gtk_widget_add_css_class (who, "dim-label");

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 48);
  gtk_label_set_lines (GTK_LABEL (text), 6);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (text, "bubble");
  gtk_widget_add_css_class (text, is_bot ? "bubble-bot" : "bubble-user");
  gtk_widget_set_halign (text, is_bot ? GTK_ALIGN_END : GTK_ALIGN_START);

  gtk_widget_set_halign (box, is_bot ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_margin_start (box, is_bot ? 48 : 0);
  gtk_widget_set_margin_end (box, is_bot ? 0 : 48);
  gtk_box_append (GTK_BOX (box), who);
  gtk_box_append (GTK_BOX (box), text);

  return box;
}

static void
show_result (HoneRolesSection *self,
             RolesOp          *op)
{
  g_autoptr(GPtrArray) expanded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) description = g_string_new (NULL);
  GtkWidget *child;
  guint n_bots = 0;
  gboolean any_expander = FALSE;

  /* Rebuilt from scratch, but the rows that were open stay open. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->speakers_list))))
    {
      if (ADW_IS_EXPANDER_ROW (child) && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (child)))
        g_ptr_array_add (expanded, g_strdup (g_object_get_data (G_OBJECT (child),
                                                                "hone-speaker")));
      gtk_list_box_remove (self->speakers_list, child);
    }
  for (guint i = 0; i < op->speakers->len; i++)
    {
      HoneSpeakerInfo *info = g_ptr_array_index (op->speakers, i);
      GtkWidget *row;

      if (info->role == HONE_ROLE_SYSTEM)
        continue;
      if (info->role == HONE_ROLE_ASSISTANT)
        n_bots++;
      row = make_speaker_row (self, info, op, expanded);
      any_expander |= ADW_IS_EXPANDER_ROW (row);
      gtk_list_box_append (self->speakers_list, row);
    }

  if (n_bots == 0)
    g_string_append (description, _("Nobody is the bot yet. Press “Bot” next to the "
                                     "person whose replies the bot should learn."));
  else
    g_string_append (description, _("The bot learns to reply like the people marked "
                                     "“Bot”. Everyone else is a user: someone the "
                                     "bot talks to."));
  if (any_expander)
    {
      g_string_append_c (description, ' ');
      g_string_append (description, _("Someone who plays another part in one chat: open "
                                      "their row and choose it for that chat only."));
    }
  adw_preferences_group_set_description (self->roles_group, description->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_box))))
    gtk_box_remove (self->preview_box, child);
  if (op->left_out != NULL)
    {
      /* Translators: %s is a chat's file name. */
      g_autofree char *text = g_strdup_printf (_("No conversation of %s is used now: each "
                                                 "needs a user and the bot (see Cleaning)."),
                                               op->left_out);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "warning");
      gtk_box_append (self->preview_box, label);
    }
  if (op->preview_file != NULL && op->preview->len > 0)
    {
      /* Translators: above the preview; %s is the chat's file name. */
      g_autofree char *from = g_strdup_printf (_("From %s"), op->preview_file);
      GtkWidget *label = gtk_label_new (from);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->preview_box, label);
    }
  for (guint i = 0; i < op->preview->len; i++)
    gtk_box_append (self->preview_box, make_bubble (g_ptr_array_index (op->preview, i)));
  if (op->preview->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No conversation to show yet."));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->preview_box, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), TRUE);

  if (self->n_speakers != op->speakers->len)
    {
      self->n_speakers = op->speakers->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SPEAKERS]);
    }
}

static void start_op (HoneRolesSection *self,
                      const char       *speaker,
                      gint64            source_id,
                      HoneRole          role,
                      gboolean          undo);

static void
on_undo_clicked (AdwToast         *toast,
                 HoneRolesSection *self)
{
  hone_roles_section_undo (self);
}

static void
roles_op_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RolesOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneRolesSection) self = g_weak_ref_get (&op->section);
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
      g_autofree char *message = g_strdup_printf (_("The speakers could not be read: %s"),
                                                  error->message);
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      show_toast (self, adw_toast_new (escaped));
      return;
    }

  if (op->serial == self->serial)
    show_result (self, op);

  if (op->set_speaker != NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *escaped = NULL;
      AdwToast *toast;

      const char *file = NULL;

      for (guint i = 0; op->sources != NULL && i < op->sources->len; i++)
        {
          const HoneSourceInfo *source = g_ptr_array_index (op->sources, i);

          if (source->id == op->set_source)
            file = source->file;
        }

      if (op->set_source != 0 && op->set_role == HONE_ROLE_ASSISTANT)
        /* Translators: the first %s is a chat's file name, the second a person's name. */
        message = g_strdup_printf (_("In %s, the bot now learns to write like %s"),
                                   file, op->set_speaker);
      else if (op->set_source != 0 && op->set_role == HONE_ROLE_USER)
        /* Translators: the first %s is a chat's file name, the second a person's name. */
        message = g_strdup_printf (_("In %s, %s is now a user"), file, op->set_speaker);
      else if (op->set_source != 0)
        /* Translators: the first %s is a chat's file name, the second a person's name. */
        message = g_strdup_printf (_("In %s, %s plays the same part as everywhere again"),
                                   file, op->set_speaker);
      else if (op->set_role == HONE_ROLE_ASSISTANT)
        /* Translators: %s is a person's name. */
        message = g_strdup_printf (_("The bot now learns to write like %s"), op->set_speaker);
      else
        /* Translators: %s is a person's name. */
        message = g_strdup_printf (_("%s is now a user"), op->set_speaker);
      escaped = g_markup_escape_text (message, -1);
      toast = adw_toast_new (escaped);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
      /* One change, one toast: the one before goes, rather than queueing. */
      if (self->toast != NULL)
        adw_toast_dismiss (self->toast);
      g_set_weak_pointer (&self->toast, toast);
      show_toast (self, toast);
    }

  if (op->set_speaker != NULL || op->undo || op->guessed)
    g_signal_emit (self, signals[ROLES_CHANGED], 0);
}

static void
start_op (HoneRolesSection *self,
          const char       *speaker,
          gint64            source_id,
          HoneRole          role,
          gboolean          undo)
{
  g_autoptr(GTask) task = NULL;
  RolesOp *op;

  g_assert (self->project_dir != NULL);

  op = g_new0 (RolesOp, 1);
  g_weak_ref_init (&op->section, self);
  op->project_dir = g_strdup (self->project_dir);
  op->serial = ++self->serial;
  op->set_speaker = g_strdup (speaker);
  op->set_source = source_id;
  op->set_role = role;
  op->undo = undo;

  /* A change in one chat shows that chat; a change everywhere any conversation with the
   * person. Reads keep what was shown. */
  if (speaker != NULL)
    {
      self->preview_source = source_id;
      g_free (self->preview_speaker);
      self->preview_speaker = g_strdup (speaker);
    }
  op->preview_source = self->preview_source;
  op->preview_speaker = g_strdup (self->preview_speaker);

  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, roles_op_done, NULL);
  g_task_set_source_tag (task, start_op);
  g_task_set_task_data (task, op, (GDestroyNotify) roles_op_free);
  g_task_run_in_thread (task, roles_op_thread);
}

/* Public */

const char *
hone_roles_section_get_project_dir (HoneRolesSection *self)
{
  g_return_val_if_fail (HONE_IS_ROLES_SECTION (self), NULL);

  return self->project_dir;
}

void
hone_roles_section_set_project_dir (HoneRolesSection *self,
                                    const char       *project_dir)
{
  GtkWidget *child;

  g_return_if_fail (HONE_IS_ROLES_SECTION (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);
  self->preview_source = 0;
  g_clear_pointer (&self->preview_speaker, g_free);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->speakers_list))))
    gtk_list_box_remove (self->speakers_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), FALSE);

  if (self->project_dir != NULL)
    hone_roles_section_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_DIR]);
}

void
hone_roles_section_reload (HoneRolesSection *self)
{
  g_return_if_fail (HONE_IS_ROLES_SECTION (self));

  if (self->project_dir != NULL)
    start_op (self, NULL, 0, HONE_ROLE_NONE, FALSE);
}

gboolean
hone_roles_section_get_busy (HoneRolesSection *self)
{
  g_return_val_if_fail (HONE_IS_ROLES_SECTION (self), FALSE);

  return self->n_running > 0;
}

guint
hone_roles_section_get_n_speakers (HoneRolesSection *self)
{
  g_return_val_if_fail (HONE_IS_ROLES_SECTION (self), 0);

  return self->n_speakers;
}

void
hone_roles_section_set_role (HoneRolesSection *self,
                             const char       *speaker,
                             gboolean          is_bot)
{
  g_return_if_fail (HONE_IS_ROLES_SECTION (self));
  g_return_if_fail (speaker != NULL);
  g_return_if_fail (self->project_dir != NULL);

  start_op (self, speaker, 0, is_bot ? HONE_ROLE_ASSISTANT : HONE_ROLE_USER, FALSE);
}

void
hone_roles_section_set_source_role (HoneRolesSection *self,
                                    const char       *speaker,
                                    gint64            source_id,
                                    HoneRole          role)
{
  g_return_if_fail (HONE_IS_ROLES_SECTION (self));
  g_return_if_fail (speaker != NULL);
  g_return_if_fail (source_id > 0);
  g_return_if_fail (role == HONE_ROLE_NONE || role == HONE_ROLE_USER
                    || role == HONE_ROLE_ASSISTANT);
  g_return_if_fail (self->project_dir != NULL);

  start_op (self, speaker, source_id, role, FALSE);
}

void
hone_roles_section_undo (HoneRolesSection *self)
{
  g_return_if_fail (HONE_IS_ROLES_SECTION (self));

  if (self->project_dir != NULL)
    start_op (self, NULL, 0, HONE_ROLE_NONE, TRUE);
}

/* GObject */

static void
hone_roles_section_dispose (GObject *object)
{
  HoneRolesSection *self = HONE_ROLES_SECTION (object);

  g_clear_weak_pointer (&self->toast);
  g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_ROLES_SECTION);

  G_OBJECT_CLASS (hone_roles_section_parent_class)->dispose (object);
}

static void
hone_roles_section_finalize (GObject *object)
{
  HoneRolesSection *self = HONE_ROLES_SECTION (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->preview_speaker, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hone_roles_section_parent_class)->finalize (object);
}

static void
hone_roles_section_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HoneRolesSection *self = HONE_ROLES_SECTION (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      g_value_set_string (value, self->project_dir);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_running > 0);
      break;

    case PROP_N_SPEAKERS:
      g_value_set_uint (value, self->n_speakers);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_roles_section_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HoneRolesSection *self = HONE_ROLES_SECTION (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      hone_roles_section_set_project_dir (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hone_roles_section_class_init (HoneRolesSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_roles_section_dispose;
  object_class->finalize = hone_roles_section_finalize;
  object_class->get_property = hone_roles_section_get_property;
  object_class->set_property = hone_roles_section_set_property;

  properties[PROP_PROJECT_DIR] =
    g_param_spec_string ("project-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_SPEAKERS] =
    g_param_spec_uint ("n-speakers", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A role was set or undone: the cleaned set changed. */
  signals[ROLES_CHANGED] =
    g_signal_new ("roles-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-roles-section.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneRolesSection, roles_group);
  gtk_widget_class_bind_template_child (widget_class, HoneRolesSection, speakers_list);
  gtk_widget_class_bind_template_child (widget_class, HoneRolesSection, preview_group);
  gtk_widget_class_bind_template_child (widget_class, HoneRolesSection, preview_box);
}

static void
hone_roles_section_init (HoneRolesSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}
