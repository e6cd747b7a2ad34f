/* test-scrub.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scrubber against its corpus (tests/fixtures/scrub/): every positive comes out
 * exactly as written, every negative unchanged. Failures are listed all at once.
 */
#include "config.h"

#include <string.h>

#include "data/hone-scrub.h"

static GPtrArray *
read_corpus (const char *name,
             guint       n_fields)
{
  const char *root = g_getenv ("HONE_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "fixtures", "scrub", name, NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char **fields;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, n_fields);
      g_ptr_array_add (rows, fields);
    }
  return rows;
}

static void
test_positive (void)
{
  g_autoptr(HoneScrubber) scrubber = hone_scrubber_new (HONE_SCRUB_DEFAULT_KINDS, NULL);
  g_autoptr(GPtrArray) rows = read_corpus ("positive.tsv", 4);
  guint per_kind[HONE_SCRUB_N_KINDS] = { 0 };
  guint misses = 0;

  g_assert_cmpuint (rows->len, >=, 100);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autofree char *out = hone_scrubber_apply (scrubber, row[2], NULL);
      const char *got = out != NULL ? out : row[2];

      per_kind[hone_scrub_kind_from_string (row[1])]++;
      if (strcmp (got, row[3]) != 0)
        {
          g_test_message ("miss (%s, %s): «%s» gave «%s», want «%s»", row[0], row[1], row[2],
                          got, row[3]);
          misses++;
        }
    }
  for (guint k = 0; k < HONE_SCRUB_N_KINDS; k++)
    g_test_message ("%s: %u positive cases", hone_scrub_kind_to_string (k), per_kind[k]);
  g_test_message ("%u positive cases, %u misses", rows->len, misses);
  g_assert_cmpuint (misses, ==, 0);
}

static void
test_negative (void)
{
  g_autoptr(HoneScrubber) scrubber = hone_scrubber_new (HONE_SCRUB_DEFAULT_KINDS, NULL);
  g_autoptr(GPtrArray) rows = read_corpus ("negative.tsv", 3);
  guint false_hits = 0;

  g_assert_cmpuint (rows->len, >=, 100);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autofree char *out = hone_scrubber_apply (scrubber, row[2], NULL);

      if (out != NULL)
        {
          g_test_message ("false hit (%s, %s): «%s» gave «%s»", row[0], row[1], row[2], out);
          false_hits++;
        }
    }
  g_test_message ("%u negative cases, %u false hits", rows->len, false_hits);
  g_assert_cmpuint (false_hits, ==, 0);
}

static void
test_counts_and_spans (void)
{
  g_autoptr(HoneScrubber) scrubber = hone_scrubber_new (HONE_SCRUB_DEFAULT_KINDS, NULL);
  const char *text = "Mail a@b.de or call 030 1234567, a@b.de again";
  guint counts[HONE_SCRUB_N_KINDS] = { 0 };
  g_autofree char *out = hone_scrubber_apply (scrubber, text, counts);
  g_autoptr(GArray) spans = hone_scrubber_find (scrubber, text);

  g_assert_cmpstr (out, ==, "Mail [EMAIL] or call [PHONE], [EMAIL] again");
  g_assert_cmpuint (counts[HONE_SCRUB_EMAIL], ==, 2);
  g_assert_cmpuint (counts[HONE_SCRUB_PHONE], ==, 1);
  g_assert_cmpuint (spans->len, ==, 3);
  g_assert_cmpuint (g_array_index (spans, HoneScrubSpan, 0).start, ==, 5);
  g_assert_cmpuint (g_array_index (spans, HoneScrubSpan, 0).end, ==, 11);
  g_assert_null (hone_scrubber_apply (scrubber, "nothing here", NULL));
}

static void
test_kinds_mask (void)
{
  g_autoptr(HoneScrubber) scrubber = hone_scrubber_new (HONE_SCRUB_KIND_BIT (HONE_SCRUB_PHONE), NULL);
  g_autofree char *out = hone_scrubber_apply (scrubber, "a@b.de 030 1234567", NULL);

  g_assert_cmpstr (out, ==, "a@b.de [PHONE]");
}

static void
test_names (void)
{
  const char *names[] = { "Anna Schmidt", "Zoë", "+1 (503) 555-0148", "bo", NULL };
  g_autoptr(HoneScrubber) scrubber =
    hone_scrubber_new (HONE_SCRUB_DEFAULT_KINDS | HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME), names);
  g_autofree char *out =
    hone_scrubber_apply (scrubber, "Anna Schmidt said: Anna, ask Zoë and Schmidtke; bo Annalena", NULL);

  g_assert_cmpstr (out, ==, "[NAME] said: [NAME], ask [NAME] and Schmidtke; bo Annalena");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hone/scrub/corpus-positive", test_positive);
  g_test_add_func ("/hone/scrub/corpus-negative", test_negative);
  g_test_add_func ("/hone/scrub/counts-and-spans", test_counts_and_spans);
  g_test_add_func ("/hone/scrub/kinds-mask", test_kinds_mask);
  g_test_add_func ("/hone/scrub/names", test_names);
  return g_test_run ();
}
