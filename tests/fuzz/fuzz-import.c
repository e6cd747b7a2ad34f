/* fuzz-import.c — libFuzzer target for one importer, chosen at build time with
 * -DHONE_FUZZ_TARGET=<n> (see meson.build): each input is handed to that reader the way
 * hone_import_read_path() would. Any crash, leak or sanitizer report is a bug; refusals
 * are expected.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "data/hone-import-private.h"

enum
{
  TARGET_WHATSAPP,
  TARGET_CSV,
  TARGET_TELEGRAM,
  TARGET_DISCORD,
  TARGET_MESSENGER,
  TARGET_SLACK,
  TARGET_DETECT,
};

/* Inputs that hold several files (Messenger threads, Slack folders) separate them with
 * this line; a Slack member starts with its path on the first line. */
#define SEPARATOR "\n@@@@\n"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
read_text (const uint8_t *data,
           size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("fuzz");
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;

  text = hone_text_decode ("fuzz", data, size, &len, &error);
  if (text == NULL)
    return;

  switch (HONE_FUZZ_TARGET)
    {
    case TARGET_WHATSAPP:
      hone_read_whatsapp (log, "fuzz", text, len, &error);
      break;
    case TARGET_CSV:
      if (hone_csv_detect (text, len, NULL))
        hone_read_csv (log, "fuzz", text, len, NULL, &error);
      break;
    case TARGET_TELEGRAM:
    case TARGET_DISCORD:
      root = hone_json_parse ("fuzz", text, len, 1, &error);
      if (root == NULL)
        break;
      if (HONE_FUZZ_TARGET == TARGET_TELEGRAM)
        hone_read_telegram (log, "fuzz", root, &error);
      else
        hone_read_discord (log, "fuzz", root, &error);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
read_messenger (const uint8_t *data,
                size_t         size)
{
  g_autofree char *copy = g_strndup ((const char *) data, size);
  g_auto(GStrv) parts = g_strsplit (copy, SEPARATOR, 4);
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(HoneChatlog) log = hone_chatlog_new ("fuzz");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *root = hone_json_parse ("fuzz", parts[i], strlen (parts[i]), 1, NULL);
      if (root == NULL)
        return;
      g_ptr_array_add (roots, root);
      g_ptr_array_add (names, (gpointer) "message_1.json");
    }
  g_ptr_array_add (names, NULL);
  if (roots->len > 0)
    hone_read_messenger (log, (JsonNode **) roots->pdata, (const char * const *) names->pdata,
                         roots->len, &error);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* Slack: the input is a folder written out as "path\ncontent" parts. */
static void
read_folder (const uint8_t *data,
             size_t         size)
{
  g_autofree char *copy = g_strndup ((const char *) data, size);
  g_auto(GStrv) parts = g_strsplit (copy, SEPARATOR, 16);
  g_autofree char *dir = g_dir_make_tmp ("hone-fuzz-XXXXXX", NULL);
  g_autoptr(HoneChatlog) log = NULL;

  if (dir == NULL)
    return;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *newline = strchr (parts[i], '\n');
      g_autofree char *path = NULL;
      g_autofree char *folder = NULL;

      if (newline == NULL || newline == parts[i] || strstr (parts[i], "..") != NULL)
        continue;
      *newline = '\0';
      path = g_build_filename (dir, parts[i], NULL);
      folder = g_path_get_dirname (path);
      g_mkdir_with_parents (folder, 0700);
      g_file_set_contents (path, newline + 1, -1, NULL);
    }
  log = hone_import_read_path (dir, NULL, NULL, NULL);
  remove_tree (dir);
}

/* Anything, through detection, as one file (zips included). */
static void
read_detect (const uint8_t *data,
             size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(HoneChatlog) log = NULL;
  int fd = memfd_create ("fuzz", 0);

  if (fd < 0)
    return;
  if (write (fd, data, size) == (ssize_t) size)
    {
      path = g_strdup_printf ("/proc/self/fd/%d", fd);
      log = hone_import_read_path (path, NULL, NULL, NULL);
    }
  close (fd);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  switch (HONE_FUZZ_TARGET)
    {
    case TARGET_MESSENGER:
      read_messenger (data, size);
      break;
    case TARGET_SLACK:
      read_folder (data, size);
      break;
    case TARGET_DETECT:
      read_detect (data, size);
      break;
    default:
      read_text (data, size);
      break;
    }
  return 0;
}
