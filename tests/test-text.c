/* test-text.c — decoding, line numbers, whitespace, finishing, bidirectional marks and
 * times (README section 2).
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "data/hone-import.h"
#include "data/hone-text.h"

#include "hone-test-util.h"

static char *
decode (const char *bytes,
        gsize       len,
        GError    **error)
{
  gsize out_len = 0;
  char *text = hone_text_decode ("chat.txt", (const guint8 *) bytes, len, &out_len, error);

  if (text != NULL)
    g_assert_cmpuint (strlen (text), ==, out_len);
  return text;
}

static void
assert_refused (const char     *bytes,
                gsize           len,
                HoneImportError code,
                const char     *words1,
                const char     *words2)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = decode (bytes, len, &error);

  g_assert_null (text);
  g_assert_error (error, HONE_IMPORT_ERROR, (int) code);
  g_assert_true (g_str_has_prefix (error->message, "chat.txt: "));
  if (strstr (error->message, words1) == NULL)
    g_error ("«%s» does not mention «%s»", error->message, words1);
  if (words2 != NULL && strstr (error->message, words2) == NULL)
    g_error ("«%s» does not mention «%s»", error->message, words2);
}

static void
test_decode_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = decode ("Hallo Wörld\n", 13, &error);
  g_autofree char *bom = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "Hallo Wörld\n");

  bom = decode ("\xef\xbb\xbf" "abc", 6, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bom, ==, "abc");
}

static void
test_decode_utf16 (void)
{
  /* "Hé\n😀" in both byte orders. */
  static const char le[] = "\xff\xfe" "H\0" "\xe9\0" "\n\0" "\x3d\xd8\x00\xde";
  static const char be[] = "\xfe\xff" "\0H" "\0\xe9" "\0\n" "\xd8\x3d\xde\x00";
  g_autoptr(GError) error = NULL;
  g_autofree char *from_le = decode (le, sizeof le - 1, &error);
  g_autofree char *from_be = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (from_le, ==, "Hé\n😀");
  from_be = decode (be, sizeof be - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_be, ==, "Hé\n😀");
}

static void
test_decode_utf16_invalid (void)
{
  /* A lone high surrogate on line 2, a lone low one, an odd byte count. */
  assert_refused ("\xff\xfe" "a\0\n\0\x3d\xd8" "b\0", 10, HONE_IMPORT_ERROR_ENCODING,
                  "line 2", "UTF-8");
  assert_refused ("\xfe\xff" "\xdc\x00", 4, HONE_IMPORT_ERROR_ENCODING, "line 1", "UTF-16");
  assert_refused ("\xff\xfe" "a\0b", 5, HONE_IMPORT_ERROR_ENCODING, "line 1", "UTF-16");
}

static void
test_decode_invalid (void)
{
  /* Latin-1 on line 3, an overlong slash, a surrogate, above U+10FFFF, a NUL byte. */
  assert_refused ("one\ntwo\nM\xfcller\n", 15, HONE_IMPORT_ERROR_ENCODING, "line 3", "UTF-8");
  assert_refused ("a\n\xc0\xaf", 4, HONE_IMPORT_ERROR_ENCODING, "line 2", "UTF-8");
  assert_refused ("\xed\xa0\x80", 3, HONE_IMPORT_ERROR_ENCODING, "line 1", "UTF-8");
  assert_refused ("\n\n\n\xf4\x90\x80\x80", 7, HONE_IMPORT_ERROR_ENCODING, "line 4", "UTF-8");
  assert_refused ("ab\0cd", 5, HONE_IMPORT_ERROR_ENCODING, "line 1", "UTF-8");
  /* A character cut at the end of the file is invalid too. */
  assert_refused ("ok\n\xe2\x82", 5, HONE_IMPORT_ERROR_ENCODING, "line 2", "UTF-8");
}

static void
test_decode_empty (void)
{
  assert_refused ("", 0, HONE_IMPORT_ERROR_EMPTY, "empty", NULL);
  assert_refused ("\xef\xbb\xbf", 3, HONE_IMPORT_ERROR_EMPTY, "empty", NULL);
  assert_refused (" \r\n\t\xc2\xa0\xe3\x80\x80\n", 10, HONE_IMPORT_ERROR_EMPTY, "empty", NULL);
  assert_refused ("\xff\xfe \0\n\0", 6, HONE_IMPORT_ERROR_EMPTY, "empty", NULL);
}

static void
check_file (const char *relative,
            const char *line)
{
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  gsize out_len;

  contents = hone_test_read_sample (relative, &len);
  if (contents == NULL)
    return;
  text = hone_text_decode ("x", (const guint8 *) contents, len, &out_len, &error);
  g_assert_null (text);
  g_assert_error (error, HONE_IMPORT_ERROR, HONE_IMPORT_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, line));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
}

static void
test_decode_samples (void)
{
  check_file ("broken/noise.bin", "line 1:");
  check_file ("broken/whatsapp-latin1.txt", "line 7:");
}

static void
test_looks_like_text (void)
{
  g_assert_true (hone_text_looks_like_text ((const guint8 *) "", 0));
  g_assert_true (hone_text_looks_like_text ((const guint8 *) "plain {}", 8));
  g_assert_true (hone_text_looks_like_text ((const guint8 *) "\xff\xfe" "a\0", 4));
  /* A prefix may cut a character; it must not contain a wrong one. */
  g_assert_true (hone_text_looks_like_text ((const guint8 *) "ab\xf0\x9f\x98", 5));
  g_assert_true (hone_text_looks_like_text ((const guint8 *) "ab\xe2", 3));
  g_assert_false (hone_text_looks_like_text ((const guint8 *) "ab\xe2x", 4));
  g_assert_false (hone_text_looks_like_text ((const guint8 *) "\x89PNG\r\n\x1a\n", 8));
  g_assert_false (hone_text_looks_like_text ((const guint8 *) "\xff\xd8\xff\xe0", 4));
  g_assert_false (hone_text_looks_like_text ((const guint8 *) "PK\3\4\0\0", 6));
  g_assert_false (hone_text_looks_like_text ((const guint8 *) "ab\xed\xa0", 4));
}

static void
test_line_at (void)
{
  const char *text = "a\nb\r\n\nc";

  g_assert_cmpuint (hone_text_line_at (text, 0), ==, 1);
  g_assert_cmpuint (hone_text_line_at (text, 1), ==, 1);
  g_assert_cmpuint (hone_text_line_at (text, 2), ==, 2);
  g_assert_cmpuint (hone_text_line_at (text, 4), ==, 2);
  g_assert_cmpuint (hone_text_line_at (text, 5), ==, 3);
  g_assert_cmpuint (hone_text_line_at (text, strlen (text)), ==, 4);
}

static void
test_space (void)
{
  static const gunichar spaces[] = {
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a,
    0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  };
  /* Not White_Space, although some are invisible or "space-like". */
  static const gunichar others[] = {
    0x00, 0x08, 0x0e, 0x1c, 0x1f, 'a', 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x2060, 0xfeff,
  };

  for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
    g_assert_true (hone_text_is_space (spaces[i]));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (hone_text_is_space (others[i]));
}

static void
test_strip (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "", "" },
    { "   ", "" },
    { "abc", "abc" },
    { " \t a b \n", "a b" },
    { "\xc2\xa0\xe2\x80\xaf" "Anna\xe3\x80\x80", "Anna" },
    { "\xe2\x80\x8b" "x\xe2\x80\x8b", "\xe2\x80\x8b" "x\xe2\x80\x8b" }, /* ZWSP is not whitespace */
    { "\xc2\x85" "a\xe2\x80\xa8", "a" },
    { "a \n b", "a \n b" },
  };
  g_autofree char *part = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hone_text_strip (cases[i].in, -1);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  part = hone_text_strip ("  ab  cd", 5);
  g_assert_cmpstr (part, ==, "ab");
}

static void
test_finish (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "a\r\nb", "a\nb" },
    { "a\rb", "a\nb" },
    { "a\r\r\nb", "a\n\nb" },
    { "a\n\rb", "a\n\nb" },
    { "\r\n  Hello\r\n\r\nthere \r\n", "Hello\n\nthere" },
    { "\xe2\x80\x8e" "x", "\xe2\x80\x8e" "x" }, /* marks are not whitespace */
    { "\r", "" },
  };
  g_autofree char *part = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hone_text_finish (cases[i].in, -1);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  part = hone_text_finish (" a\r\nb\r", 5);
  g_assert_cmpstr (part, ==, "a\nb");
}

static void
test_bidi (void)
{
  g_autofree char *a = hone_text_remove_bidi ("\xe2\x80\x8e[1/2/24] \xe2\x80\x8f" "A\xe2\x80\xaa"
                                              "B\xe2\x80\xae" "C\xe2\x81\xa6" "D\xe2\x81\xa9", -1);
  /* Neighbours that are not marks: U+200D, U+2029, U+202F, U+2065, U+206A. */
  const char *kept = "\xe2\x80\x8d\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa";
  g_autofree char *b = hone_text_remove_bidi (kept, -1);
  g_autofree char *c = hone_text_remove_bidi ("ab\xe2\x80\x8e" "cd", 4);

  g_assert_cmpstr (a, ==, "[1/2/24] ABCD");
  g_assert_cmpstr (b, ==, kept);
  g_assert_cmpstr (c, ==, "ab\xe2\x80");

  g_assert_true (hone_text_is_bidi_mark (0x200e));
  g_assert_true (hone_text_is_bidi_mark (0x200f));
  g_assert_true (hone_text_is_bidi_mark (0x202a));
  g_assert_true (hone_text_is_bidi_mark (0x202e));
  g_assert_true (hone_text_is_bidi_mark (0x2066));
  g_assert_true (hone_text_is_bidi_mark (0x2069));
  g_assert_false (hone_text_is_bidi_mark (0x200d));
  g_assert_false (hone_text_is_bidi_mark (0x202f));
  g_assert_false (hone_text_is_bidi_mark (0x2065));
}

static void
test_format_time (void)
{
  struct { int y, mo, d, h, mi, s; gboolean has_offset; int offset; const char *out; } cases[] = {
    { 2024, 1, 15, 21, 41, 5, FALSE, 0, "2024-01-15T21:41:05" },
    { 2024, 2, 29, 0, 0, 0, FALSE, 0, "2024-02-29T00:00:00" },
    { 2000, 2, 29, 23, 59, 59, FALSE, 0, "2000-02-29T23:59:59" },
    { 2023, 2, 29, 0, 0, 0, FALSE, 0, NULL },
    { 1900, 2, 29, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 2, 30, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 4, 31, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 12, 31, 0, 0, 0, FALSE, 0, "2024-12-31T00:00:00" },
    { 2024, 13, 1, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 0, 1, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 1, 0, 0, 0, 0, FALSE, 0, NULL },
    { 2024, 1, 1, 24, 0, 0, FALSE, 0, NULL },
    { 2024, 1, 1, 25, 0, 0, FALSE, 0, NULL },
    { 2024, 1, 1, 0, 60, 0, FALSE, 0, NULL },
    { 2024, 1, 1, 0, 0, 60, FALSE, 0, NULL },
    { 2024, 1, 1, 0, 0, -1, FALSE, 0, NULL },
    { 2024, 2, 3, 19, 4, 11, TRUE, 60, "2024-02-03T19:04:11+01:00" },
    { 2024, 2, 3, 19, 4, 11, TRUE, 0, "2024-02-03T19:04:11+00:00" },
    { 2024, 2, 3, 19, 4, 11, TRUE, -570, "2024-02-03T19:04:11-09:30" },
    { 2024, 2, 3, 19, 4, 11, TRUE, 345, "2024-02-03T19:04:11+05:45" },
    { 2024, 2, 3, 19, 4, 11, TRUE, 24 * 60, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hone_text_format_time (cases[i].y, cases[i].mo, cases[i].d,
                                                    cases[i].h, cases[i].mi, cases[i].s,
                                                    cases[i].has_offset, cases[i].offset);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_format_unix (void)
{
  struct { gint64 seconds; const char *out; } cases[] = {
    { 0, "1970-01-01T00:00:00+00:00" },
    { 1709286300, "2024-03-01T09:45:00+00:00" },
    { 951782400, "2000-02-29T00:00:00+00:00" },
    { 1709164799, "2024-02-28T23:59:59+00:00" },
    { 1709251199, "2024-02-29T23:59:59+00:00" },
    { -1, "1969-12-31T23:59:59+00:00" },
    { -86400 * 365, "1969-01-01T00:00:00+00:00" },
    { 4102444800, "2100-01-01T00:00:00+00:00" },
    { G_GINT64_CONSTANT (253402300799), "9999-12-31T23:59:59+00:00" },
    { G_GINT64_CONSTANT (-62135596800), "0001-01-01T00:00:00+00:00" },
    { G_GINT64_CONSTANT (253402300800), NULL },
    { G_MAXINT64, NULL },
    { G_MININT64, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hone_text_format_unix_utc (cases[i].seconds);
      g_assert_cmpstr (got, ==, cases[i].out);
    }

  /* Every day over four centuries agrees with GDateTime. */
  for (gint64 s = G_GINT64_CONSTANT (-2208988800); s < G_GINT64_CONSTANT (10413792000);
       s += 86400 - 7)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (s);
      g_autofree char *want = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+00:00");
      g_autofree char *got = hone_text_format_unix_utc (s);
      g_assert_cmpstr (got, ==, want);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/text/decode/utf8", test_decode_utf8);
  g_test_add_func ("/hone/text/decode/utf16", test_decode_utf16);
  g_test_add_func ("/hone/text/decode/utf16-invalid", test_decode_utf16_invalid);
  g_test_add_func ("/hone/text/decode/invalid", test_decode_invalid);
  g_test_add_func ("/hone/text/decode/empty", test_decode_empty);
  g_test_add_func ("/hone/text/decode/samples", test_decode_samples);
  g_test_add_func ("/hone/text/looks-like-text", test_looks_like_text);
  g_test_add_func ("/hone/text/line-at", test_line_at);
  g_test_add_func ("/hone/text/space", test_space);
  g_test_add_func ("/hone/text/strip", test_strip);
  g_test_add_func ("/hone/text/finish", test_finish);
  g_test_add_func ("/hone/text/bidi", test_bidi);
  g_test_add_func ("/hone/text/format-time", test_format_time);
  g_test_add_func ("/hone/text/format-unix", test_format_unix);

  return g_test_run ();
}
