/* hone-source-row.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-source-row"

#include "config.h"

#include <glib/gi18n.h>

#include "hone-source-row.h"

struct _HoneSourceRow
{
  AdwExpanderRow  parent_instance;

  gint64          source_id;
  char           *file_name;
  HoneChatFormat  format;
  guint           n_conversations;
  guint           n_messages;
  guint           n_participants;
  char           *dates;

  /* Template children */
  GtkImage       *format_icon;
  GtkButton      *remove_button;
  AdwActionRow   *conversations_row;
  GtkLabel       *conversations_label;
  AdwActionRow   *messages_row;
  GtkLabel       *messages_label;
  AdwActionRow   *participants_row;
  GtkLabel       *participants_label;
  GtkLabel       *dates_label;
  AdwActionRow   *path_row;
};

G_DEFINE_FINAL_TYPE (HoneSourceRow, hone_source_row, ADW_TYPE_EXPANDER_ROW)

const char *
hone_chat_format_get_display_name (HoneChatFormat format)
{
  switch (format)
    {
    case HONE_CHAT_FORMAT_WHATSAPP:
      return "WhatsApp";
    case HONE_CHAT_FORMAT_TELEGRAM:
      return "Telegram";
    case HONE_CHAT_FORMAT_DISCORD:
      return "Discord";
    case HONE_CHAT_FORMAT_SLACK:
      return "Slack";
    case HONE_CHAT_FORMAT_MESSENGER:
      return "Messenger";
    case HONE_CHAT_FORMAT_OPENAI:
      return _("OpenAI chat dataset");
    case HONE_CHAT_FORMAT_SHAREGPT:
      return _("ShareGPT dataset");
    case HONE_CHAT_FORMAT_ALPACA:
      return _("Alpaca dataset");
    case HONE_CHAT_FORMAT_CSV:
      return _("Help-desk CSV");
    case HONE_CHAT_FORMAT_FEEDBACK:
      return _("Corrections from Chat");
    case HONE_CHAT_FORMAT_UNKNOWN:
    default:
      return _("Unknown format");
    }
}

static const char *
get_format_icon_name (HoneChatFormat format)
{
  switch (format)
    {
    case HONE_CHAT_FORMAT_CSV:
      return "x-office-spreadsheet-symbolic";
    case HONE_CHAT_FORMAT_FEEDBACK:
      return "document-edit-symbolic";
    case HONE_CHAT_FORMAT_OPENAI:
    case HONE_CHAT_FORMAT_SHAREGPT:
    case HONE_CHAT_FORMAT_ALPACA:
      return "x-office-document-symbolic";
    case HONE_CHAT_FORMAT_WHATSAPP:
    case HONE_CHAT_FORMAT_TELEGRAM:
    case HONE_CHAT_FORMAT_DISCORD:
    case HONE_CHAT_FORMAT_SLACK:
    case HONE_CHAT_FORMAT_MESSENGER:
    case HONE_CHAT_FORMAT_UNKNOWN:
    default:
      return "chat-message-new-symbolic";
    }
}

static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GTimeZone) local = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;

  /* Times without an offset are read as the person's own wall-clock time. */
  local = g_time_zone_new_local ();

  return g_date_time_new_from_iso8601 (text, local);
}

static char *
format_day (GDateTime *time)
{
  /* Translators: how a day is written in the list of imported chats, e.g.
   * "2 Mar 2024"; see the GLib documentation of g_date_time_format(). */
  return g_date_time_format (time, _("%-d %b %Y"));
}

char *
hone_format_date_range (const char *first_time,
                        const char *last_time)
{
  g_autoptr(GDateTime) first = parse_time (first_time);
  g_autoptr(GDateTime) last = parse_time (last_time);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  int y1, m1, d1, y2, m2, d2;

  if (first == NULL && last == NULL)
    return g_strdup (_("No dates"));

  if (first == NULL)
    first = g_date_time_ref (last);
  if (last == NULL)
    last = g_date_time_ref (first);

  g_date_time_get_ymd (first, &y1, &m1, &d1);
  g_date_time_get_ymd (last, &y2, &m2, &d2);

  from = format_day (first);
  if (y1 == y2 && m1 == m2 && d1 == d2)
    return g_steal_pointer (&from);

  to = format_day (last);

  /* Translators: a range of days, "2 Mar 2024 – 17 Mar 2024". */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static char *
dup_display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  if (path == NULL)
    return g_strdup ("");

  if (g_str_has_prefix (path, home) && path[len] == '/')
    {
      g_autofree char *rest = g_filename_display_name (path + len);
      return g_strconcat ("~", rest, NULL);
    }

  return g_filename_display_name (path);
}

static void
hone_source_row_set_info (HoneSourceRow        *self,
                          const HoneSourceInfo *info)
{
  guint n_participants = info->participants ? g_strv_length (info->participants) : 0;
  g_autofree char *n_conversations = format_count (info->n_conversations);
  g_autofree char *n_messages = format_count (info->n_messages);
  g_autofree char *n_people = format_count (n_participants);
  g_autofree char *conversations = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *where = NULL;
  const char *format_name;

  self->source_id = info->id;
  self->file_name = g_strdup (info->file);
  self->format = info->format;
  self->n_conversations = info->n_conversations;
  self->n_messages = info->n_messages;
  self->n_participants = n_participants;
  self->dates = hone_format_date_range (info->first_time, info->last_time);

  format_name = hone_chat_format_get_display_name (info->format);

  conversations = g_strdup_printf (ngettext ("%s conversation", "%s conversations",
                                             info->n_conversations),
                                   n_conversations);
  messages = g_strdup_printf (ngettext ("%s message", "%s messages", info->n_messages),
                              n_messages);
  /* Translators: the summary under a file name: its format, then how many
   * conversations, then how many messages, e.g. "WhatsApp · 1 conversation · 29 messages". */
  subtitle = g_strdup_printf (_("%s · %s · %s"), format_name, conversations, messages);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), info->file);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->format_icon, get_format_icon_name (info->format));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->format_icon), format_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "x", info->id);

  gtk_label_set_label (self->conversations_label, n_conversations);

  gtk_label_set_label (self->messages_label, n_messages);
  if (info->n_media > 0)
    {
      g_autofree char *n_media = format_count (info->n_media);
      g_autofree char *media =
        g_strdup_printf (ngettext ("%s of them is a photo or other media",
                                   "%s of them are photos or other media",
                                   info->n_media),
                         n_media);

      adw_action_row_set_subtitle (self->messages_row, media);
    }

  gtk_label_set_label (self->participants_label, n_people);
  if (n_participants > 0)
    {
      g_autofree char *people = g_strjoinv (", ", info->participants);

      adw_action_row_set_subtitle (self->participants_row, people);
    }

  gtk_label_set_label (self->dates_label, self->dates);

  where = dup_display_path (info->path);
  adw_action_row_set_subtitle (self->path_row, where);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->path_row), where);
}

GtkWidget *
hone_source_row_new (const HoneSourceInfo *info)
{
  HoneSourceRow *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (HONE_TYPE_SOURCE_ROW, NULL);
  hone_source_row_set_info (self, info);

  return GTK_WIDGET (self);
}

gint64
hone_source_row_get_source_id (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), 0);

  return self->source_id;
}

const char *
hone_source_row_get_file_name (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), NULL);

  return self->file_name;
}

HoneChatFormat
hone_source_row_get_format (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), HONE_CHAT_FORMAT_UNKNOWN);

  return self->format;
}

guint
hone_source_row_get_n_conversations (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), 0);

  return self->n_conversations;
}

guint
hone_source_row_get_n_messages (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), 0);

  return self->n_messages;
}

guint
hone_source_row_get_n_participants (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), 0);

  return self->n_participants;
}

const char *
hone_source_row_get_dates (HoneSourceRow *self)
{
  g_return_val_if_fail (HONE_IS_SOURCE_ROW (self), NULL);

  return self->dates;
}

static void
hone_source_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HONE_TYPE_SOURCE_ROW);

  G_OBJECT_CLASS (hone_source_row_parent_class)->dispose (object);
}

static void
hone_source_row_finalize (GObject *object)
{
  HoneSourceRow *self = HONE_SOURCE_ROW (object);

  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->dates, g_free);

  G_OBJECT_CLASS (hone_source_row_parent_class)->finalize (object);
}

static void
hone_source_row_class_init (HoneSourceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hone_source_row_dispose;
  object_class->finalize = hone_source_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/honeapp/Hone/hone-source-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, format_icon);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, conversations_row);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, conversations_label);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, messages_row);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, messages_label);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, participants_row);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, participants_label);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, dates_label);
  gtk_widget_class_bind_template_child (widget_class, HoneSourceRow, path_row);
}

static void
hone_source_row_init (HoneSourceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
