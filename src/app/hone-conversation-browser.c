/* hone-conversation-browser.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-conversation-browser"

#include "config.h"

#include <glib/gi18n.h>

#include "store/hone-project.h"

#include "hone-conversation-browser.h"
#include "hone-conversation-list.h"

/* A list box row per message is fine for a conversation; a whole chat never split by
 * time could hold 100 000, so the viewer shows the first ones. */
#define MAX_SHOWN_MESSAGES 300

struct _HoneConversationBrowser
{
  AdwBin                parent_instance;

  char                 *project_dir;
  GCancellable         *cancellable;
  guint                 n_running;
  HoneConversationList *conversations;
  GtkMultiSelection    *selection;
  GtkBitset            *wanted;        /* the positions to choose again after a rebuild */
  AdwToast             *toast;         /* the last one with Undo, while shown */

  /* Template children */
  GtkListView          *conversation_view;
  GtkStack             *viewer_stack;
  GtkLabel             *viewer_title;
  GtkLabel             *viewer_subtitle;
  GtkBox               *tags_box;
  GtkFlowBox           *tags_flow;
  GtkMenuButton        *new_tag_button;
  GtkPopover           *new_tag_popover;
  GtkEntry             *new_tag_entry;
  GtkButton            *new_tag_add;
  GtkLabel             *tags_hint;
  GtkListBox           *messages_list;
};

G_DEFINE_FINAL_TYPE (HoneConversationBrowser, hone_conversation_browser, ADW_TYPE_BIN)

enum {
  EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef  browser;
  char     *project_dir;
  gint64    message_id;
  char     *text;
  HoneRole  role;
  gboolean  deleted;
} EditOp;

static void
edit_op_free (EditOp *op)
{
  g_weak_ref_clear (&op->browser);
  g_free (op->project_dir);
  g_free (op->text);
  g_free (op);
}

/* A topic given or taken off by hand, or the newest change undone. */
typedef struct
{
  GWeakRef  browser;
  char     *project_dir;
  char     *tag;        /* NULL: undo */
  GArray   *ids;        /* (element-type gint64) conversation ids */
  gboolean  add;
  char     *undone;     /* the summary of the change undone */
} TagOp;

static void
tag_op_free (TagOp *op)
{
  g_weak_ref_clear (&op->browser);
  g_free (op->project_dir);
  g_free (op->tag);
  g_clear_pointer (&op->ids, g_array_unref);
  g_free (op->undone);
  g_free (op);
}

static void
add_toast (HoneConversationBrowser *self,
           AdwToast                *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_toast (HoneConversationBrowser *self,
            const char              *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  add_toast (self, adw_toast_new (escaped));
}

/* The names of @c's topics, ", " between them, or NULL when it has none. */
static char *
tag_names (HoneConversationBrowser       *self,
           const HoneDatasetConversation *c)
{
  HoneViewSnapshot *snapshot = hone_conversation_list_get_snapshot (self->conversations);
  g_autoptr(GString) names = NULL;

  if (c->tags == NULL || c->tags->len == 0 || snapshot == NULL
      || snapshot->view->tag_names == NULL)
    return NULL;

  names = g_string_new (NULL);
  for (guint i = 0; i < c->tags->len; i++)
    {
      gint64 id = g_array_index (c->tags, gint64, i);
      const char *name = g_hash_table_lookup (snapshot->view->tag_names, &id);

      if (name == NULL)
        continue;
      if (names->len > 0)
        /* Translators: between the topics of a conversation in the list. */
        g_string_append (names, _(", "));
      g_string_append (names, name);
    }

  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* The list */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          HoneConversationBrowser  *self)
{
  const HoneDatasetConversation *c =
    hone_conversation_list_get_conversation (self->conversations,
                                             gtk_list_item_get_position (item));
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *first = NULL;
  g_autofree char *text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *topics = NULL;
  const char *part;

  if (c == NULL)
    return;

  /* The first words say more than a chat's name shared by all its parts. */
  if (c->messages->len > 0)
    {
      const HoneDatasetMessage *m = g_ptr_array_index (c->messages, 0);

      first = g_utf8_substring (m->text, 0, MIN (g_utf8_strlen (m->text, -1), 80));
      g_strdelimit (first, "\n\r\t", ' ');
    }
  gtk_label_set_text (GTK_LABEL (title), first != NULL ? first : c->title);

  counts = g_strdup_printf (ngettext ("%u message", "%u messages", c->messages->len),
                            c->messages->len);
  part = c->split == HONE_SPLIT_VALIDATION ? _("for checking") : _("for training");
  if (c->title != NULL && *c->title != '\0')
    /* Translators: chat name · "N messages" · what the conversation is used for. */
    text = g_strdup_printf (_("%s · %s · %s"), c->title, counts, part);
  else
    /* Translators: "N messages" · what the conversation is used for. */
    text = g_strdup_printf (_("%s · %s"), counts, part);
  topics = tag_names (self, c);
  if (topics != NULL)
    {
      /* Translators: a conversation's description, then its topics. */
      g_autofree char *with_topics = g_strdup_printf (_("%s · %s"), text, topics);

      g_free (text);
      text = g_steal_pointer (&with_topics);
    }
  gtk_label_set_text (GTK_LABEL (subtitle), text);
}

/* The viewer */

static void start_edit (HoneConversationBrowser *self,
                        gint64                   message_id,
                        const char              *text,
                        HoneRole                 role,
                        gboolean                 deleted);

static gint64
row_message_id (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return *(gint64 *) g_object_get_data (G_OBJECT (row), "hone-message-id");
}

static void
on_leave_out_clicked (GtkButton               *button,
                      HoneConversationBrowser *self)
{
  start_edit (self, row_message_id (GTK_WIDGET (button)), NULL, HONE_ROLE_NONE, TRUE);
}

static void
on_swap_clicked (GtkButton               *button,
                 HoneConversationBrowser *self)
{
  HoneRole role = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "hone-role"));

  start_edit (self, row_message_id (GTK_WIDGET (button)), NULL,
              role == HONE_ROLE_ASSISTANT ? HONE_ROLE_USER : HONE_ROLE_ASSISTANT, FALSE);
}

static void
on_edit_clicked (GtkButton               *button,
                 HoneConversationBrowser *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "hone-stack");

  gtk_stack_set_visible_child_name (stack, "edit");
}

static void
on_cancel_clicked (GtkButton               *button,
                   HoneConversationBrowser *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "hone-stack");

  gtk_stack_set_visible_child_name (stack, "show");
}

static void
on_save_clicked (GtkButton               *button,
                 HoneConversationBrowser *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (row), "hone-buffer");
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  start_edit (self, row_message_id (GTK_WIDGET (button)), text, HONE_ROLE_NONE, FALSE);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);

  return button;
}

static GtkWidget *
make_message_row (HoneConversationBrowser  *self,
                  const HoneDatasetMessage *m,
                  const char               *colour)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *who = gtk_label_new (NULL);
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *edit_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button;
  g_autofree char *who_text = NULL;
  g_autofree char *markup = NULL;
  gboolean is_bot = m->role == HONE_ROLE_ASSISTANT;
  gint64 *id = g_new (gint64, 1);

  *id = m->message_id;
  g_object_set_data_full (G_OBJECT (row), "hone-message-id", id, g_free);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  if (is_bot)
    /* Translators: %s is the person whose messages the bot learns from. */
    who_text = g_strdup_printf (_("Bot (as %s)"), m->speaker);
  else
    /* Translators: %s is a person the bot talks to. */
    who_text = g_strdup_printf (_("User (%s)"), m->speaker);
  gtk_label_set_text (GTK_LABEL (who), who_text);
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (who, TRUE);
  gtk_widget_add_css_class (who, "heading");
  if (is_bot)
    gtk_widget_add_css_class (who, "accent");
  gtk_box_append (GTK_BOX (header), who);

  button = icon_button ("document-edit-symbolic", _("Correct This Message"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_edit_clicked), self);
  gtk_box_append (GTK_BOX (header), button);
  button = icon_button ("object-flip-horizontal-symbolic",
                        is_bot ? _("Make This a User’s Message") : _("Make This the Bot’s Message"));
  g_object_set_data (G_OBJECT (button), "hone-role", GINT_TO_POINTER (m->role));
  g_signal_connect (button, "clicked", G_CALLBACK (on_swap_clicked), self);
  gtk_box_append (GTK_BOX (header), button);
  button = icon_button ("user-trash-symbolic", _("Leave Out This Message"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_leave_out_clicked), self);
  gtk_box_append (GTK_BOX (header), button);

  markup = hone_scrubbed_markup (m->text, m->scrubbed, colour);
  gtk_label_set_markup (GTK_LABEL (text), markup);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_stack_add_named (GTK_STACK (stack), text, "show");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), m->text, -1);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (edit_box), frame);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (on_save_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (edit_box), buttons);
  gtk_stack_add_named (GTK_STACK (stack), edit_box, "edit");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "show");
  gtk_stack_set_vhomogeneous (GTK_STACK (stack), FALSE);

  g_object_set_data (G_OBJECT (row), "hone-stack", stack);
  g_object_set_data (G_OBJECT (row), "hone-buffer",
                     gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static guint
n_chosen (HoneConversationBrowser *self)
{
  g_autoptr(GtkBitset) chosen = NULL;

  chosen = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) gtk_bitset_get_size (chosen);
}

/* The conversations chosen in the list, in list order; @first: the first one's
 * position. */
static GPtrArray *
chosen_conversations (HoneConversationBrowser *self,
                      guint                   *first)
{
  g_autoptr(GtkBitset) chosen = NULL;
  GPtrArray *conversations = g_ptr_array_new ();
  GtkBitsetIter iter;
  guint position;

  chosen = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (first != NULL)
    *first = GTK_INVALID_LIST_POSITION;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, chosen, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      const HoneDatasetConversation *c =
        hone_conversation_list_get_conversation (self->conversations, position);

      if (c == NULL)
        continue;
      if (first != NULL && conversations->len == 0)
        *first = position;
      g_ptr_array_add (conversations, (gpointer) c);
    }

  return conversations;
}

/* Topics */

static void start_tag (HoneConversationBrowser *self,
                       const char              *tag,
                       gboolean                 add,
                       gboolean                 undo);

static void
on_tag_toggled (GtkToggleButton         *button,
                HoneConversationBrowser *self)
{
  if (g_object_get_data (G_OBJECT (button), "hone-filling") != NULL)
    return;

  start_tag (self, g_object_get_data (G_OBJECT (button), "hone-tag"),
             gtk_toggle_button_get_active (button), FALSE);
}

static void
clear_tag_chips (HoneConversationBrowser *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_flow));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (chip != NULL && g_object_get_data (G_OBJECT (chip), "hone-tag") != NULL)
        gtk_flow_box_remove (self->tags_flow, child);
      child = next;
    }
}

/* One toggle per topic of the project, on where @c has it, then "New Topic…". */
static void
show_tags (HoneConversationBrowser *self,
           GPtrArray               *chosen)
{
  HoneViewSnapshot *snapshot = hone_conversation_list_get_snapshot (self->conversations);
  const HoneDatasetConversation *c = g_ptr_array_index (chosen, 0);
  guint n_pieces = 0;
  int position = 0;

  clear_tag_chips (self);

  for (guint i = 0; snapshot != NULL && snapshot->tags != NULL && i < snapshot->tags->len; i++)
    {
      const HoneTagInfo *info = g_ptr_array_index (snapshot->tags, i);
      GtkWidget *chip = gtk_toggle_button_new_with_label (info->name);
      guint n_with = 0;
      gboolean active;

      for (guint k = 0; k < chosen->len; k++)
        {
          const HoneDatasetConversation *one = g_ptr_array_index (chosen, k);

          for (guint j = 0; one->tags != NULL && j < one->tags->len; j++)
            if (g_array_index (one->tags, gint64, j) == info->id)
              {
                n_with++;
                break;
              }
        }
      /* On when every chosen conversation has it. */
      active = n_with == chosen->len;

      gtk_widget_add_css_class (chip, "tag-chip");
      if (chosen->len == 1)
        gtk_widget_set_tooltip_text (chip, active ? _("Take this topic off the conversation")
                                                  : _("Give the conversation this topic"));
      else if (active)
        gtk_widget_set_tooltip_text (chip, _("Take this topic off all chosen conversations"));
      else if (n_with > 0)
        {
          gtk_widget_add_css_class (chip, "tag-chip-some");
          gtk_widget_set_tooltip_text (chip, _("Some of the chosen conversations have this "
                                               "topic: give it to all of them"));
        }
      else
        gtk_widget_set_tooltip_text (chip, _("Give all chosen conversations this topic"));
      g_object_set_data_full (G_OBJECT (chip), "hone-tag", g_strdup (info->name), g_free);
      g_object_set_data (G_OBJECT (chip), "hone-filling", GINT_TO_POINTER (1));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), active);
      g_object_set_data (G_OBJECT (chip), "hone-filling", NULL);
      g_signal_connect (chip, "toggled", G_CALLBACK (on_tag_toggled), self);
      gtk_flow_box_insert (self->tags_flow, chip, position++);
    }

  /* A topic given by hand belongs to the whole chat conversation, so the parts it was
   * split into after long pauses all get it. */
  for (guint i = 0; snapshot != NULL && i < snapshot->view->conversations->len; i++)
    {
      const HoneDatasetConversation *other = g_ptr_array_index (snapshot->view->conversations, i);

      if (other->conversation_id == c->conversation_id)
        n_pieces++;
    }

  if (chosen->len > 1)
    {
      g_autofree char *hint = NULL;

      /* Translators: %u is how many conversations are chosen in the list (at least 2). */
      hint = g_strdup_printf (ngettext ("Press a topic to give it to the %u chosen "
                                        "conversation or take it off.",
                                        "Press a topic to give it to all %u chosen "
                                        "conversations or take it off all of them.",
                                        chosen->len),
                              chosen->len);
      gtk_label_set_text (self->tags_hint, hint);
    }
  else if (position == 0)
    gtk_label_set_text (self->tags_hint,
                        _("Topics show in Statistics whether one kind of conversation "
                          "dominates. Give this one its first topic."));
  else if (n_pieces > 1)
    {
      g_autofree char *hint = NULL;

      /* Translators: %u is how many parts the chat was split into after long pauses. */
      hint = g_strdup_printf (ngettext ("Press a topic to give it or take it off. It applies "
                                        "to all %u part of this chat.",
                                        "Press a topic to give it or take it off. It applies "
                                        "to all %u parts of this chat, split after long pauses.",
                                        n_pieces),
                              n_pieces);
      gtk_label_set_text (self->tags_hint, hint);
    }
  else
    gtk_label_set_text (self->tags_hint,
                        _("Press a topic to give it to this conversation or take it off; "
                          "Statistics shows the balance."));
}

static void
on_new_tag_shown (HoneConversationBrowser *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->new_tag_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_tag_entry));
}

static void
on_new_tag_changed (HoneConversationBrowser *self)
{
  const char *entered = gtk_editable_get_text (GTK_EDITABLE (self->new_tag_entry));
  g_autofree char *text = g_strstrip (g_strdup (entered));

  gtk_widget_set_sensitive (GTK_WIDGET (self->new_tag_add), *text != '\0');
}

static void
on_new_tag_activate (HoneConversationBrowser *self)
{
  const char *entered = gtk_editable_get_text (GTK_EDITABLE (self->new_tag_entry));
  g_autofree char *text = g_strstrip (g_strdup (entered));

  if (*text == '\0' || n_chosen (self) == 0)
    return;

  gtk_popover_popdown (self->new_tag_popover);
  start_tag (self, text, TRUE, FALSE);
}

static void
show_selected (HoneConversationBrowser *self)
{
  g_autoptr(GPtrArray) chosen = NULL;
  const HoneDatasetConversation *c;
  g_autofree char *colour = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *child;
  guint first;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->messages_list))))
    gtk_list_box_remove (self->messages_list, child);

  chosen = chosen_conversations (self, &first);
  if (chosen->len == 0)
    {
      clear_tag_chips (self);
      gtk_stack_set_visible_child_name (self->viewer_stack, "none");
      return;
    }

  show_tags (self, chosen);

  /* Several chosen (Ctrl or Shift and a click): topics for all of them at once. */
  gtk_widget_set_visible (GTK_WIDGET (self->messages_list), chosen->len == 1);
  if (chosen->len > 1)
    {
      g_autofree char *title = NULL;

      /* Translators: %u is at least 2. */
      title = g_strdup_printf (ngettext ("%u Conversation Chosen", "%u Conversations Chosen",
                                         chosen->len),
                               chosen->len);
      gtk_label_set_text (self->viewer_title, title);
      gtk_label_set_text (self->viewer_subtitle,
                          _("Give them topics together. Choose one alone to read it."));
      gtk_stack_set_visible_child_name (self->viewer_stack, "messages");
      return;
    }

  c = g_ptr_array_index (chosen, 0);
  if (c->title != NULL && *c->title != '\0')
    gtk_label_set_text (self->viewer_title, c->title);
  else
    {
      /* Translators: %u is the conversation's place in the list. */
      g_autofree char *title = g_strdup_printf (_("Conversation %u"), first + 1);
      gtk_label_set_text (self->viewer_title, title);
    }
  subtitle = g_strdup_printf (c->split == HONE_SPLIT_VALIDATION
                              ? ngettext ("%u message, kept aside to check the bot",
                                          "%u messages, kept aside to check the bot",
                                          c->messages->len)
                              : ngettext ("%u message, used for training",
                                          "%u messages, used for training",
                                          c->messages->len),
                              c->messages->len);
  gtk_label_set_text (self->viewer_subtitle, subtitle);

  colour = hone_accent_colour (GTK_WIDGET (self));
  for (guint i = 0; i < c->messages->len && i < MAX_SHOWN_MESSAGES; i++)
    gtk_list_box_append (self->messages_list,
                         make_message_row (self, g_ptr_array_index (c->messages, i), colour));
  if (c->messages->len > MAX_SHOWN_MESSAGES)
    {
      g_autofree char *more = NULL;
      GtkWidget *label;

      /* Translators: shown under a very long conversation. */
      more = g_strdup_printf (_("The first %u messages of %u are shown. Switch on “Split After "
                                "Long Pauses” to make shorter conversations."),
                              MAX_SHOWN_MESSAGES, c->messages->len);
      label = gtk_label_new (more);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->messages_list, label);
    }

  gtk_stack_set_visible_child_name (self->viewer_stack, "messages");
}

static void
on_selection_changed (HoneConversationBrowser *self)
{
  g_autoptr(GtkBitset) chosen = NULL;

  chosen = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  /* A copy: the model may hand out its own set, which changes with the list. */
  if (!gtk_bitset_is_empty (chosen))
    {
      g_clear_pointer (&self->wanted, gtk_bitset_unref);
      self->wanted = gtk_bitset_copy (chosen);
    }
  show_selected (self);
}

/* Edits */

static void
edit_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EditOp *op = task_data;
  g_autoptr(HoneProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = hone_project_open (op->project_dir, &error);
  if (project == NULL
      || !hone_dataset_edit_message (project, op->message_id, op->text, op->role,
                                     op->deleted, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
edit_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EditOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneConversationBrowser) self = g_weak_ref_get (&op->browser);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  self->n_running--;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the reason. */
          g_autofree char *message = g_strdup_printf (_("The message could not be changed: %s"),
                                                      error->message);
          show_toast (self, message);
        }
      return;
    }

  g_signal_emit (self, signals[EDITED], 0);
}

static void
start_edit (HoneConversationBrowser *self,
            gint64                   message_id,
            const char              *text,
            HoneRole                 role,
            gboolean                 deleted)
{
  g_autoptr(GTask) task = NULL;
  EditOp *op;

  g_assert (self->project_dir != NULL);

  op = g_new0 (EditOp, 1);
  g_weak_ref_init (&op->browser, self);
  op->project_dir = g_strdup (self->project_dir);
  op->message_id = message_id;
  op->text = g_strdup (text);
  op->role = role;
  op->deleted = deleted;

  self->n_running++;
  task = g_task_new (NULL, self->cancellable, edit_done, NULL);
  g_task_set_source_tag (task, start_edit);
  g_task_set_task_data (task, op, (GDestroyNotify) edit_op_free);
  g_task_run_in_thread (task, edit_thread);
}

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
  if (project == NULL)
    goto fail;

  if (op->tag == NULL)
    {
      op->undone = hone_dataset_undo (project, &error);
      if (error != NULL)
        goto fail;
    }
  else if (!hone_dataset_tag_conversations (project, op->tag, (const gint64 *) op->ids->data,
                                            op->ids->len, op->add, &error))
    goto fail;

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_tag_undo_clicked (AdwToast                *toast,
                     HoneConversationBrowser *self)
{
  if (self->project_dir != NULL)
    start_tag (self, NULL, FALSE, TRUE);
}

static void
tag_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TagOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(HoneConversationBrowser) self = g_weak_ref_get (&op->browser);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (self == NULL)
    return;

  self->n_running--;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the reason. */
          message = g_strdup_printf (_("The topic could not be changed: %s"), error->message);
          show_toast (self, message);
        }
      /* The toggles go back to what is stored. */
      show_selected (self);
      return;
    }

  if (op->tag != NULL)
    {
      if (op->add)
        /* Translators: %s is a topic, such as "complaint". */
        message = g_strdup_printf (ngettext ("The conversation now has the topic “%s”",
                                             "The conversations now have the topic “%s”",
                                             op->ids->len),
                                   op->tag);
      else
        /* Translators: %s is a topic, such as "complaint". */
        message = g_strdup_printf (ngettext ("Took the topic “%s” off the conversation",
                                             "Took the topic “%s” off the conversations",
                                             op->ids->len),
                                   op->tag);
      escaped = g_markup_escape_text (message, -1);
      toast = adw_toast_new (escaped);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_tag_undo_clicked),
                               self, 0);
      /* One change, one toast: the one before goes, rather than queueing. */
      if (self->toast != NULL)
        adw_toast_dismiss (self->toast);
      g_set_weak_pointer (&self->toast, toast);
      add_toast (self, toast);
    }

  g_signal_emit (self, signals[EDITED], 0);
}

static void
start_tag (HoneConversationBrowser *self,
           const char              *tag,
           gboolean                 add,
           gboolean                 undo)
{
  g_autoptr(GPtrArray) chosen = chosen_conversations (self, NULL);
  g_autoptr(GTask) task = NULL;
  TagOp *op;

  g_assert (self->project_dir != NULL);
  g_assert (undo == (tag == NULL));

  if (!undo && chosen->len == 0)
    return;

  op = g_new0 (TagOp, 1);
  g_weak_ref_init (&op->browser, self);
  op->project_dir = g_strdup (self->project_dir);
  op->tag = g_strdup (tag);
  op->add = add;
  op->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* The parts of one chat split after long pauses share its id: once each. */
  for (guint i = 0; !undo && i < chosen->len; i++)
    {
      const HoneDatasetConversation *c = g_ptr_array_index (chosen, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < op->ids->len && !seen; j++)
        seen = g_array_index (op->ids, gint64, j) == c->conversation_id;
      if (!seen)
        g_array_append_val (op->ids, c->conversation_id);
    }

  self->n_running++;
  task = g_task_new (NULL, self->cancellable, tag_done, NULL);
  g_task_set_source_tag (task, start_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) tag_op_free);
  g_task_run_in_thread (task, tag_thread);
}

/* Public */

void
hone_conversation_browser_set_project_dir (HoneConversationBrowser *self,
                                           const char              *project_dir)
{
  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));

  if (g_strcmp0 (project_dir, self->project_dir) == 0)
    return;

  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->wanted, gtk_bitset_unref);
  hone_conversation_list_set_snapshot (self->conversations, NULL);
}

void
hone_conversation_browser_set_snapshot (HoneConversationBrowser *self,
                                        HoneViewSnapshot        *snapshot)
{
  g_autoptr(GtkBitset) wanted = NULL;
  guint n;

  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));

  /* The new list empties the selection; the same positions are chosen again. */
  wanted = g_steal_pointer (&self->wanted);
  hone_conversation_list_set_snapshot (self->conversations, snapshot);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->conversations));
  if (wanted != NULL && !gtk_bitset_is_empty (wanted) && gtk_bitset_get_maximum (wanted) < n)
    {
      g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, n);

      gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), wanted, all);
    }
  g_clear_pointer (&self->wanted, gtk_bitset_unref);
  self->wanted = g_steal_pointer (&wanted);
  show_selected (self);
}

guint
hone_conversation_browser_get_n_conversations (HoneConversationBrowser *self)
{
  g_return_val_if_fail (HONE_IS_CONVERSATION_BROWSER (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->conversations));
}

void
hone_conversation_browser_select (HoneConversationBrowser *self,
                                  guint                    position)
{
  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));

  if (position == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  else
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

void
hone_conversation_browser_select_more (HoneConversationBrowser *self,
                                       guint                    position)
{
  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
}

guint
hone_conversation_browser_get_n_chosen (HoneConversationBrowser *self)
{
  g_return_val_if_fail (HONE_IS_CONVERSATION_BROWSER (self), 0);

  return n_chosen (self);
}

const HoneDatasetConversation *
hone_conversation_browser_get_selected (HoneConversationBrowser *self)
{
  g_autoptr(GtkBitset) chosen = NULL;

  g_return_val_if_fail (HONE_IS_CONVERSATION_BROWSER (self), NULL);

  chosen = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (chosen) != 1)
    return NULL;

  return hone_conversation_list_get_conversation (self->conversations,
                                                  gtk_bitset_get_minimum (chosen));
}

void
hone_conversation_browser_edit_message (HoneConversationBrowser *self,
                                        gint64                   message_id,
                                        const char              *text,
                                        HoneRole                 role,
                                        gboolean                 deleted)
{
  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));
  g_return_if_fail (self->project_dir != NULL);

  start_edit (self, message_id, text, role, deleted);
}

void
hone_conversation_browser_tag (HoneConversationBrowser *self,
                               const char              *tag,
                               gboolean                 add)
{
  g_autofree char *name = NULL;

  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));
  g_return_if_fail (tag != NULL);
  g_return_if_fail (self->project_dir != NULL);

  name = g_strstrip (g_strdup (tag));
  g_return_if_fail (*name != '\0');

  start_tag (self, name, add, FALSE);
}

void
hone_conversation_browser_undo (HoneConversationBrowser *self)
{
  g_return_if_fail (HONE_IS_CONVERSATION_BROWSER (self));
  g_return_if_fail (self->project_dir != NULL);

  start_tag (self, NULL, FALSE, TRUE);
}

gboolean
hone_conversation_browser_get_busy (HoneConversationBrowser *self)
{
  g_return_val_if_fail (HONE_IS_CONVERSATION_BROWSER (self), FALSE);

  return self->n_running > 0;
}

/* GObject */

static void
hone_conversation_browser_dispose (GObject *object)
{
  HoneConversationBrowser *self = HONE_CONVERSATION_BROWSER (object);

  g_clear_weak_pointer (&self->toast);
  g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HONE_TYPE_CONVERSATION_BROWSER);
  g_clear_object (&self->selection);
  g_clear_object (&self->conversations);
  g_clear_pointer (&self->wanted, gtk_bitset_unref);

  G_OBJECT_CLASS (hone_conversation_browser_parent_class)->dispose (object);
}

static void
hone_conversation_browser_finalize (GObject *object)
{
  HoneConversationBrowser *self = HONE_CONVERSATION_BROWSER (object);

  g_clear_pointer (&self->project_dir, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hone_conversation_browser_parent_class)->finalize (object);
}

static void
hone_conversation_browser_class_init (HoneConversationBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_conversation_browser_dispose;
  object_class->finalize = hone_conversation_browser_finalize;

  /* A message or a topic was changed in the project: the view must be built again. */
  signals[EDITED] =
    g_signal_new ("edited",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-conversation-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, conversation_view);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, viewer_stack);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, viewer_title);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, viewer_subtitle);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, tags_box);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, tags_flow);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, new_tag_button);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, new_tag_popover);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, new_tag_entry);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, new_tag_add);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, tags_hint);
  gtk_widget_class_bind_template_child (widget_class, HoneConversationBrowser, messages_list);
  gtk_widget_class_bind_template_callback (widget_class, on_new_tag_shown);
  gtk_widget_class_bind_template_callback (widget_class, on_new_tag_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_new_tag_activate);
}

static void
hone_conversation_browser_init (HoneConversationBrowser *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->conversations = hone_conversation_list_new ();
  /* Several can be chosen, with Ctrl or Shift, to give them topics together. */
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->conversations)));
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->conversation_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->conversation_view, GTK_SELECTION_MODEL (self->selection));
}
