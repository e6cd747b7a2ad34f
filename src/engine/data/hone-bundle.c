/* hone-bundle.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder or a zip as a sorted list of member files (README section 3). A folder is
 * listed at open and read lazily; a zip is read once at open with libarchive, keeping
 * only the bytes of members that start like text, so a zip full of photos and voice
 * notes costs little memory.
 */
#define G_LOG_DOMAIN "hone-bundle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "hone-import-private.h"

/* How much of a member decides whether it can be text. */
#define SNIFF_SIZE 4096

typedef struct
{
  char   *path;
  GBytes *bytes;  /* zip: kept bytes, NULL when not text-like */
} Member;

struct _HoneBundle
{
  char       *name;      /* base name of the opened path */
  char       *root;      /* folder on disk; NULL for a zip */
  GPtrArray  *members;   /* (element-type Member), sorted by path */
  GHashTable *by_path;   /* path → Member, both borrowed from members */
};

static void
member_free (Member *member)
{
  g_free (member->path);
  g_clear_pointer (&member->bytes, g_bytes_unref);
  g_free (member);
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  const Member *ma = *(const Member * const *) a;
  const Member *mb = *(const Member * const *) b;

  return strcmp (ma->path, mb->path);
}

gboolean
hone_bundle_is_zip (const guint8 *data,
                    gsize         len)
{
  if (data == NULL || len < 4)
    return FALSE;
  return data[0] == 'P' && data[1] == 'K' &&
         ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));
}

static HoneBundle *
bundle_new (const char *path)
{
  HoneBundle *bundle = g_new0 (HoneBundle, 1);

  bundle->name = g_path_get_basename (path);
  bundle->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  bundle->by_path = g_hash_table_new (g_str_hash, g_str_equal);
  return bundle;
}

void
hone_bundle_free (HoneBundle *bundle)
{
  if (bundle == NULL)
    return;
  g_hash_table_unref (bundle->by_path);
  g_ptr_array_unref (bundle->members);
  g_free (bundle->root);
  g_free (bundle->name);
  g_free (bundle);
}

/* Adds a member unless its path is already there (a zip may repeat a name: the first
 * one wins). Takes @path and @bytes. */
static void
add_member (HoneBundle *bundle,
            char       *path,
            GBytes     *bytes)
{
  Member *member;

  if (g_hash_table_contains (bundle->by_path, path))
    {
      g_free (path);
      g_clear_pointer (&bytes, g_bytes_unref);
      return;
    }
  member = g_new0 (Member, 1);
  member->path = path;
  member->bytes = bytes;
  g_ptr_array_add (bundle->members, member);
  g_hash_table_insert (bundle->by_path, member->path, member);
}

static void
finish_listing (HoneBundle *bundle)
{
  /* The hash table keys are the members' own strings, so sorting the array is safe. */
  g_ptr_array_sort (bundle->members, compare_members);
}

/* Folder */

static gboolean
list_folder (HoneBundle    *bundle,
             const char    *dir_path,
             const char    *prefix,
             guint          depth,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      /* The top folder must be readable; an unreadable subfolder is left out. */
      if (depth == 0)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0,
                                 "could not open the folder: %s", local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = g_build_filename (dir_path, entry, NULL);
      g_autofree char *relative = prefix[0] != '\0' ? g_strconcat (prefix, "/", entry, NULL)
                                                    : g_strdup (entry);
      GStatBuf st;

      /* Symbolic links to folders are not followed (no loops); links to files are. */
      if (g_lstat (full, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (!list_folder (bundle, full, relative, depth + 1, cancellable, error))
            return FALSE;
          continue;
        }
      if (S_ISLNK (st.st_mode) && (g_stat (full, &st) != 0 || !S_ISREG (st.st_mode)))
        continue;
      if (!S_ISREG (st.st_mode))
        continue;
      if (!g_utf8_validate (relative, -1, NULL))
        {
          char *valid = g_utf8_make_valid (relative, -1);
          g_free (relative);
          relative = valid;
        }
      add_member (bundle, g_steal_pointer (&relative), NULL);
    }
  return TRUE;
}

/* Reads a member file of a folder, or returns NULL without error when it does not
 * start like text. Only the first bytes of a photo or a video are ever read. */
static GBytes *
read_folder_member (HoneBundle  *bundle,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *full = g_build_filename (bundle->root, path, NULL);
  g_autoptr(GError) local_error = NULL;
  guint8 head[SNIFF_SIZE];
  char *contents = NULL;
  gssize n;
  gsize len;
  int fd;

  fd = g_open (full, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0, "%s: %s",
                             path, g_strerror (saved));
      return NULL;
    }
  do
    n = read (fd, head, sizeof head);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;
      close (fd);
      hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0, "%s: %s",
                             path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  if (!hone_text_looks_like_text (head, n))
    return NULL;

  if (!g_file_get_contents (full, &contents, &len, &local_error))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0, "%s: %s",
                             path, local_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, len);
}

/* Zip */

/* The path of a zip entry as members are named: UTF-8, '/' separators, no leading
 * "./" or "/". */
static char *
normalise_path (struct archive_entry *entry)
{
  const char *raw = archive_entry_pathname_utf8 (entry);
  g_autofree char *valid = NULL;
  const char *p;

  if (raw == NULL)
    raw = archive_entry_pathname (entry);
  if (raw == NULL)
    return NULL;
  valid = g_utf8_make_valid (raw, -1);

  p = valid;
  for (;;)
    {
      if (p[0] == '.' && p[1] == '/')
        p += 2;
      else if (p[0] == '/')
        p++;
      else
        break;
    }
  if (p[0] == '\0')
    return NULL;
  return g_strdup (p);
}

static gboolean
zip_error (HoneBundle      *bundle,
           struct archive  *archive,
           GError         **error)
{
  const char *message = archive_error_string (archive);

  hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0,
                         "could not read the zip file: %s",
                         message != NULL ? message : "unknown error");
  return FALSE;
}

/* Zip members are unpacked into memory: at most this much is set aside before the
 * bytes arrive, and a member may not unpack to more than MEMBER_MAX (a zip bomb, or
 * anything but a chat export). */
#define PREALLOC_MAX (16u << 20)
#define MEMBER_MAX   (1024u << 20)

/* Reads the data of the current entry: all of it when it starts like text, else
 * nothing (*out stays NULL). */
static gboolean
read_zip_entry (HoneBundle            *bundle,
                struct archive        *archive,
                struct archive_entry  *entry,
                GBytes               **out,
                GError               **error)
{
  g_autoptr(GByteArray) data = NULL;
  gint64 size_hint = archive_entry_size_is_set (entry) ? archive_entry_size (entry) : 0;
  guint8 buffer[65536];
  gboolean sniffed = FALSE;

  *out = NULL;
  if (archive_entry_is_encrypted (entry))
    return TRUE;

  /* The declared size is only a hint from the file: never trust it with a big
   * allocation up front, let the array grow as the bytes really arrive. */
  data = g_byte_array_sized_new (size_hint > 0 ? (guint) MIN (size_hint, PREALLOC_MAX)
                                               : SNIFF_SIZE);
  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, buffer, sizeof buffer);

      if (n == ARCHIVE_FATAL)
        return zip_error (bundle, archive, error);
      if (n < 0)
        {
          /* An entry that cannot be unpacked (an unknown compression method, a bad
           * checksum) is listed without bytes, like a photo, so the rest still imports. */
          g_debug ("%s: %s", bundle->name, archive_error_string (archive));
          return TRUE;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > MEMBER_MAX)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0,
                                 "%s unpacks to more than %u MiB, too large for a chat export",
                                 archive_entry_pathname (entry), MEMBER_MAX >> 20);
          return FALSE;
        }
      g_byte_array_append (data, buffer, (guint) n);
      if (!sniffed && data->len >= SNIFF_SIZE)
        {
          sniffed = TRUE;
          if (!hone_text_looks_like_text (data->data, SNIFF_SIZE))
            return TRUE;  /* the next header call skips the rest */
        }
    }
  if (!sniffed && !hone_text_looks_like_text (data->data, data->len))
    return TRUE;
  *out = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return TRUE;
}

static gboolean
read_zip (HoneBundle    *bundle,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  gboolean ok = FALSE;

  archive_read_support_format_zip (archive);
  if (archive_read_open_filename (archive, path, 65536) != ARCHIVE_OK)
    {
      zip_error (bundle, archive, error);
      goto out;
    }

  for (;;)
    {
      int r = archive_read_next_header (archive, &entry);
      char *member_path;
      GBytes *bytes = NULL;

      if (r == ARCHIVE_EOF)
        break;
      if (r == ARCHIVE_WARN)
        g_debug ("%s: %s", bundle->name, archive_error_string (archive));
      else if (r != ARCHIVE_OK)
        {
          zip_error (bundle, archive, error);
          goto out;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (archive_entry_filetype (entry) != AE_IFREG)
        continue;
      member_path = normalise_path (entry);
      if (member_path == NULL)
        continue;
      if (!read_zip_entry (bundle, archive, entry, &bytes, error))
        {
          g_free (member_path);
          goto out;
        }
      add_member (bundle, member_path, bytes);
    }
  ok = TRUE;

out:
  archive_read_free (archive);
  return ok;
}

HoneBundle *
hone_bundle_open (const char    *path,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(HoneBundle) bundle = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bundle = bundle_new (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      bundle->root = g_strdup (path);
      if (!list_folder (bundle, path, "", 0, cancellable, error))
        return NULL;
    }
  else if (!read_zip (bundle, path, cancellable, error))
    return NULL;

  finish_listing (bundle);
  return g_steal_pointer (&bundle);
}

const char *
hone_bundle_get_name (HoneBundle *bundle)
{
  g_return_val_if_fail (bundle != NULL, NULL);

  return bundle->name;
}

guint
hone_bundle_get_n_members (HoneBundle *bundle)
{
  g_return_val_if_fail (bundle != NULL, 0);

  return bundle->members->len;
}

const char *
hone_bundle_get_member (HoneBundle *bundle,
                        guint       index)
{
  g_return_val_if_fail (bundle != NULL, NULL);
  g_return_val_if_fail (index < bundle->members->len, NULL);

  return ((Member *) g_ptr_array_index (bundle->members, index))->path;
}

gboolean
hone_bundle_has_member (HoneBundle *bundle,
                        const char *path)
{
  g_return_val_if_fail (bundle != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return g_hash_table_contains (bundle->by_path, path);
}

GBytes *
hone_bundle_read_member (HoneBundle  *bundle,
                         const char  *path,
                         GError     **error)
{
  Member *member;

  g_return_val_if_fail (bundle != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  member = g_hash_table_lookup (bundle->by_path, path);
  if (member == NULL)
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_IO, bundle->name, 0,
                             "%s: no such file in the export", path);
      return NULL;
    }
  if (bundle->root != NULL)
    return read_folder_member (bundle, member->path, error);
  return member->bytes != NULL ? g_bytes_ref (member->bytes) : NULL;
}

char *
hone_bundle_dup_checksum (HoneBundle *bundle)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (bundle != NULL, NULL);

  for (guint i = 0; i < bundle->members->len; i++)
    {
      Member *member = g_ptr_array_index (bundle->members, i);
      g_autoptr(GBytes) bytes = NULL;
      guint8 size[8];
      gsize len = 0;
      const guint8 *data = NULL;

      if (bundle->root != NULL)
        bytes = read_folder_member (bundle, member->path, NULL);
      else if (member->bytes != NULL)
        bytes = g_bytes_ref (member->bytes);
      if (bytes != NULL)
        data = g_bytes_get_data (bytes, &len);

      /* Path, NUL, 64-bit length, bytes: no two listings hash the same input. */
      g_checksum_update (checksum, (const guchar *) member->path, strlen (member->path) + 1);
      for (int b = 0; b < 8; b++)
        size[b] = (guint8) ((guint64) len >> (8 * b));
      g_checksum_update (checksum, size, sizeof size);
      if (len > 0)
        g_checksum_update (checksum, data, len);
    }
  return g_strdup (g_checksum_get_string (checksum));
}
