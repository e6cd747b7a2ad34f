/* hone-markdown.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the lines. Inline spans never cross a line, so a half-streamed answer
 * renders the same way its finished lines will.
 */

#define G_LOG_DOMAIN "hone-markdown"

#include "config.h"

#include <string.h>

#include "hone-markdown.h"

#define MAX_NUMBER_DIGITS 9

static void
append_escaped (GString    *out,
                const char *text,
                gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      switch (text[i])
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&apos;");
          break;
        default:
          g_string_append_c (out, text[i]);
        }
    }
}

/* The closing backtick of a code span opening at @p, or NULL. */
static const char *
find_code_end (const char *p,
               const char *end)
{
  g_assert (*p == '`');

  return memchr (p + 1, '`', end - (p + 1));
}

/* A "**" after @p that closes bold (not inside a code span), or NULL. */
static const char *
find_bold_end (const char *p,
               const char *end)
{
  while (p + 1 < end)
    {
      if (*p == '`')
        {
          const char *close = find_code_end (p, end);

          /* The same rule as append_inline(): "``" is two literal backticks. */
          if (close == NULL)
            return NULL;
          p = close > p + 1 ? close + 1 : p + 1;
          continue;
        }
      if (p[0] == '*' && p[1] == '*')
        return p;
      p++;
    }

  return NULL;
}

static void
append_inline (GString    *out,
               const char *p,
               const char *end)
{
  gboolean bold = FALSE;
  const char *plain = p;

  while (p < end)
    {
      if (*p == '`')
        {
          const char *close = find_code_end (p, end);

          /* An empty span ("``") is literal text, as is an unclosed one. */
          if (close != NULL && close > p + 1)
            {
              append_escaped (out, plain, p - plain);
              g_string_append (out, "<tt>");
              append_escaped (out, p + 1, close - (p + 1));
              g_string_append (out, "</tt>");
              p = plain = close + 1;
              continue;
            }
        }
      else if (p + 1 < end && p[0] == '*' && p[1] == '*')
        {
          if (bold)
            {
              append_escaped (out, plain, p - plain);
              g_string_append (out, "</b>");
              bold = FALSE;
              p = plain = p + 2;
              continue;
            }

          /* Bold opens only before text, and only when it closes on this line. */
          if (p + 2 < end && p[2] != ' ' && p[2] != '*')
            {
              const char *close = find_bold_end (p + 2, end);

              if (close != NULL && close > p + 2)
                {
                  append_escaped (out, plain, p - plain);
                  g_string_append (out, "<b>");
                  bold = TRUE;
                  p = plain = p + 2;
                  continue;
                }
            }
        }
      p++;
    }

  append_escaped (out, plain, end - plain);
  /* find_bold_end() promised a closing "**" on this line; close it anyway, so that the
   * markup stays valid whatever happens. */
  if (bold)
    g_string_append (out, "</b>");
}

/* The length of a list marker ("- ", "12. ") at @p, or 0; @numbered tells which. */
static gsize
list_marker (const char *p,
             const char *end,
             gboolean   *numbered)
{
  gsize n = 0;

  if (p + 1 < end && (*p == '-' || *p == '*' || *p == '+') && p[1] == ' ')
    {
      *numbered = FALSE;
      return 2;
    }

  while (p + n < end && g_ascii_isdigit (p[n]) && n < MAX_NUMBER_DIGITS)
    n++;
  if (n > 0 && p + n + 1 < end && (p[n] == '.' || p[n] == ')') && p[n + 1] == ' ')
    {
      *numbered = TRUE;
      return n + 2;
    }

  return 0;
}

/* The length of a heading marker ("## ") at @p, or 0. */
static gsize
heading_marker (const char *p,
                const char *end)
{
  gsize n = 0;

  while (p + n < end && p[n] == '#' && n < 7)
    n++;
  if (n >= 1 && n <= 6 && p + n < end && p[n] == ' ')
    return n + 1;

  return 0;
}

static gboolean
is_fence (const char *p,
          const char *end)
{
  while (p < end && *p == ' ')
    p++;

  return end - p >= 3 && strncmp (p, "```", 3) == 0;
}

static void
append_line (GString    *out,
             const char *line,
             const char *end)
{
  const char *p = line;
  gsize indent = 0;
  gsize marker;
  gboolean numbered = FALSE;

  while (p < end && *p == ' ')
    {
      p++;
      indent++;
    }

  marker = list_marker (p, end, &numbered);
  if (marker > 0)
    {
      for (gsize level = 0; level < indent / 2; level++)
        g_string_append (out, "    ");
      if (numbered)
        g_string_append_len (out, p, marker - 1);
      else
        g_string_append (out, "•");
      g_string_append_c (out, ' ');
      append_inline (out, p + marker, end);
      return;
    }

  if (indent == 0 && (marker = heading_marker (p, end)) > 0)
    {
      g_string_append (out, "<b>");
      append_inline (out, p + marker, end);
      g_string_append (out, "</b>");
      return;
    }

  append_inline (out, line, end);
}

char *
hone_markdown_to_markup (const char *text,
                         gssize      length)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p, *end;
  gboolean in_code = FALSE;
  gboolean pending_blank = FALSE;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  valid = g_utf8_make_valid (text != NULL ? text : "", length);
  p = valid;
  end = valid + strlen (valid);
  out = g_string_sized_new (strlen (valid) + 32);

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol != NULL ? eol : end;
      const char *trimmed = line_end;

      if (trimmed > p && trimmed[-1] == '\r')
        trimmed--;

      if (is_fence (p, trimmed))
        {
          /* The fence lines themselves are not shown; the block keeps its own lines. */
          if (!in_code)
            {
              if (any)
                g_string_append_c (out, '\n');
              if (pending_blank && any)
                g_string_append_c (out, '\n');
              pending_blank = FALSE;
              g_string_append (out, "<tt>");
              in_code = TRUE;
              any = FALSE;
            }
          else
            {
              g_string_append (out, "</tt>");
              in_code = FALSE;
              any = TRUE;
            }
        }
      else if (in_code)
        {
          if (any)
            g_string_append_c (out, '\n');
          append_escaped (out, p, trimmed - p);
          any = TRUE;
        }
      else
        {
          const char *q = p;

          while (q < trimmed && (*q == ' ' || *q == '\t'))
            q++;

          if (q == trimmed)
            {
              pending_blank = TRUE;
            }
          else
            {
              if (any)
                g_string_append_c (out, '\n');
              if (pending_blank && any)
                g_string_append_c (out, '\n');
              pending_blank = FALSE;
              append_line (out, p, trimmed);
              any = TRUE;
            }
        }

      p = eol != NULL ? eol + 1 : end;
    }

  if (in_code)
    g_string_append (out, "</tt>");

  return g_string_free (out, FALSE);
}
