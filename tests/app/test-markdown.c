/* test-markdown.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chat's Markdown-lite: each construct on its own, the cases that must stay literal,
 * and random input, which must always give markup Pango accepts without losing a letter.
 */

#define G_LOG_DOMAIN "test-markdown"

#include "config.h"

#include <string.h>

#include <pango/pango.h>

#include "hone-markdown.h"

typedef struct
{
  const char *in;
  const char *out;
} Case;

static void
check_cases (const Case *cases,
             gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *markup = hone_markdown_to_markup (cases[i].in, -1);

      if (g_strcmp0 (markup, cases[i].out) != 0)
        g_test_message ("input: «%s»", cases[i].in);
      g_assert_cmpstr (markup, ==, cases[i].out);
    }
}

static void
test_markdown_escape (void)
{
  const Case cases[] = {
    { "", "" },
    { "plain words", "plain words" },
    { "a < b & c > d", "a &lt; b &amp; c &gt; d" },
    { "<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;" },
    { "it's \"quoted\"", "it&apos;s &quot;quoted&quot;" },
    { "&amp;", "&amp;amp;" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_markdown_inline (void)
{
  const Case cases[] = {
    { "say **hi** now", "say <b>hi</b> now" },
    { "**a** and **b**", "<b>a</b> and <b>b</b>" },
    { "use `a<b` here", "use <tt>a&lt;b</tt> here" },
    { "**`x` is bold**", "<b><tt>x</tt> is bold</b>" },
    { "`**` stays", "<tt>**</tt> stays" },
    /* Left literal: unclosed, empty, or not before text. */
    { "2 ** 3 = 8", "2 ** 3 = 8" },
    { "**open", "**open" },
    { "a `b", "a `b" },
    { "``", "``" },
    { "****", "****" },
    { "**a `**` b", "**a <tt>**</tt> b" },
    /* Spans never cross lines. */
    { "**one\ntwo**", "**one\ntwo**" },
    { "single *star*", "single *star*" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_markdown_blocks (void)
{
  const Case cases[] = {
    { "- a\n- b", "• a\n• b" },
    { "* a\n+ b", "• a\n• b" },
    { "- top\n  - nested\n    - deeper", "• top\n    • nested\n        • deeper" },
    { "1. one\n2) two\n10. ten", "1. one\n2) two\n10. ten" },
    { "- **bold** item", "• <b>bold</b> item" },
    { "-not a list", "-not a list" },
    { "1.5 is a number", "1.5 is a number" },
    { "# Title", "<b>Title</b>" },
    { "### Smaller `x`", "<b>Smaller <tt>x</tt></b>" },
    { "#hashtag", "#hashtag" },
    { "Look:\n```c\nint x = a < b;\n  y();\n```\nDone.",
      "Look:\n<tt>int x = a &lt; b;\n  y();</tt>\nDone." },
    { "```\n**not bold** `nor code`\n- nor list\n```",
      "<tt>**not bold** `nor code`\n- nor list</tt>" },
    { "```\n\ncode\n\n```", "<tt>\ncode\n</tt>" },
    /* An answer still streaming: the fence is not closed yet. */
    { "Here:\n```python\nprint(1)", "Here:\n<tt>print(1)</tt>" },
    { "```", "<tt></tt>" },
    { "a\n\n\n\nb", "a\n\nb" },
    { "\n\n  \na\n\n", "a" },
    { "a\r\nb\r\n", "a\nb" },
    { "para\n\n```\nx\n```\n\nafter", "para\n\n<tt>x</tt>\n\nafter" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_markdown_invalid_utf8 (void)
{
  g_autofree char *markup = hone_markdown_to_markup ("ok \xff\xfe **b**", -1);

  g_assert_true (g_utf8_validate (markup, -1, NULL));
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));
  g_assert_nonnull (strstr (markup, "<b>b</b>"));
}

static guint
count_letters (const char *text)
{
  guint n = 0;

  for (; *text != '\0'; text++)
    if (g_ascii_isalpha (*text))
      n++;

  return n;
}

/* The letters a reader should see: all but those of fence lines ("```python"). */
static guint
count_shown_letters (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i];

      while (*p == ' ')
        p++;
      if (!g_str_has_prefix (p, "```"))
        n += count_letters (lines[i]);
    }

  return n;
}

static void
test_markdown_random (void)
{
  static const char alphabet[] = "**``-+#1.) \n\n<&>'\"ab";
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint round = 0; round < 5000; round++)
    {
      guint length = g_rand_int_range (rand, 0, 80);
      g_autofree char *input = g_malloc (length + 1);
      g_autofree char *markup = NULL;
      g_autofree char *plain = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < length; i++)
        input[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      input[length] = '\0';

      markup = hone_markdown_to_markup (input, length);
      if (!pango_parse_markup (markup, -1, 0, NULL, &plain, NULL, &error))
        g_test_message ("input: «%s» markup: «%s»", input, markup);
      g_assert_no_error (error);
      /* Markers may go, words may not. */
      if (count_letters (plain) != count_shown_letters (input))
        {
          g_autofree char *in = g_strescape (input, NULL);
          g_autofree char *out = g_strescape (markup, NULL);

          g_test_message ("input: «%s» markup: «%s»", in, out);
        }
      g_assert_cmpuint (count_letters (plain), ==, count_shown_letters (input));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hone/markdown/escape", test_markdown_escape);
  g_test_add_func ("/hone/markdown/inline", test_markdown_inline);
  g_test_add_func ("/hone/markdown/blocks", test_markdown_blocks);
  g_test_add_func ("/hone/markdown/invalid-utf8", test_markdown_invalid_utf8);
  g_test_add_func ("/hone/markdown/random", test_markdown_random);

  return g_test_run ();
}
