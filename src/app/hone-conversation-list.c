/* hone-conversation-list.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hone-conversation-list"

#include "config.h"

#include <gtk/gtk.h>

#include "hone-conversation-list.h"

struct _HoneConversationList
{
  GObject           parent_instance;

  HoneViewSnapshot *snapshot;
};

static GType
hone_conversation_list_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
hone_conversation_list_get_n_items (GListModel *model)
{
  HoneConversationList *self = HONE_CONVERSATION_LIST (model);

  if (self->snapshot == NULL)
    return 0;

  return self->snapshot->view->conversations->len;
}

static gpointer
hone_conversation_list_get_item (GListModel *model,
                                 guint       position)
{
  HoneConversationList *self = HONE_CONVERSATION_LIST (model);
  const HoneDatasetConversation *c = hone_conversation_list_get_conversation (self, position);

  if (c == NULL)
    return NULL;

  return gtk_string_object_new (c->title != NULL ? c->title : "");
}

static void
hone_conversation_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hone_conversation_list_get_item_type;
  iface->get_n_items = hone_conversation_list_get_n_items;
  iface->get_item = hone_conversation_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HoneConversationList, hone_conversation_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hone_conversation_list_model_init))

static void
hone_conversation_list_finalize (GObject *object)
{
  HoneConversationList *self = HONE_CONVERSATION_LIST (object);

  g_clear_pointer (&self->snapshot, hone_view_snapshot_unref);

  G_OBJECT_CLASS (hone_conversation_list_parent_class)->finalize (object);
}

static void
hone_conversation_list_class_init (HoneConversationListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hone_conversation_list_finalize;
}

static void
hone_conversation_list_init (HoneConversationList *self)
{
}

HoneConversationList *
hone_conversation_list_new (void)
{
  return g_object_new (HONE_TYPE_CONVERSATION_LIST, NULL);
}

void
hone_conversation_list_set_snapshot (HoneConversationList *self,
                                     HoneViewSnapshot     *snapshot)
{
  guint removed, added;

  g_return_if_fail (HONE_IS_CONVERSATION_LIST (self));

  if (snapshot == self->snapshot)
    return;

  removed = hone_conversation_list_get_n_items (G_LIST_MODEL (self));
  g_clear_pointer (&self->snapshot, hone_view_snapshot_unref);
  if (snapshot != NULL)
    self->snapshot = hone_view_snapshot_ref (snapshot);
  added = hone_conversation_list_get_n_items (G_LIST_MODEL (self));

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
}

HoneViewSnapshot *
hone_conversation_list_get_snapshot (HoneConversationList *self)
{
  g_return_val_if_fail (HONE_IS_CONVERSATION_LIST (self), NULL);

  return self->snapshot;
}

const HoneDatasetConversation *
hone_conversation_list_get_conversation (HoneConversationList *self,
                                         guint                 position)
{
  g_return_val_if_fail (HONE_IS_CONVERSATION_LIST (self), NULL);

  if (self->snapshot == NULL || position >= self->snapshot->view->conversations->len)
    return NULL;

  return g_ptr_array_index (self->snapshot->view->conversations, position);
}
