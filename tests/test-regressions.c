/* test-regressions.c — inputs the fuzzers found (tests/fixtures/regress/) and edge
 * cases next to them: each must be refused with an error, never crash or exhaust memory.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "data/hone-import.h"

static void
assert_refused (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = hone_import_read_path (path, NULL, NULL, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (log);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, base));
}

/* A zip whose member declares 2 GiB: the declared size is not allocated up front. */
static void
test_zip_declared_size (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("HONE_SOURCE_ROOT"), "tests", "fixtures",
                                            "regress", "zip-member-declares-2gib.zip", NULL);
  assert_refused (path);
}

/* A file of zero bytes is mapped as a NULL pointer: refused as empty. */
static void
test_zero_bytes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hone-regress-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "zero.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneChatlog) log = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  log = hone_import_read_path (path, NULL, NULL, &error);
  g_assert_null (log);
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_EMPTY);
  g_assert_nonnull (g_strstr_len (error->message, -1, "empty"));
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/regress/zip-declared-size", test_zip_declared_size);
  g_test_add_func ("/hone/regress/zero-bytes", test_zero_bytes);
  return g_test_run ();
}
