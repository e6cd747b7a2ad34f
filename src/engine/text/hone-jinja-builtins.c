/* hone-jinja-builtins.c — filters, tests, global functions and methods.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each does what jinja2's (or Python's str/dict method) of the same name does. Strings
 * derived from a wholly marked string (strip, trim, split, replace) stay marked.
 */
#define G_LOG_DOMAIN "hone-jinja"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hone-jinja-private.h"

/* The argument at @index or named @name, borrowed; NULL if not given. */
static JValue *
arg (GPtrArray  *args,
     GPtrArray  *names,
     guint       index,
     const char *name)
{
  guint n_names = names ? names->len : 0;
  guint n_positional = args->len - n_names;

  if (index < n_positional)
    return args->pdata[index];
  for (guint k = 0; name != NULL && k < n_names; k++)
    if (strcmp (names->pdata[k], name) == 0)
      return args->pdata[n_positional + k];
  return NULL;
}

static guint
n_positional (GPtrArray *args,
              GPtrArray *names)
{
  return args->len - (names ? names->len : 0);
}

static JValue *
derived (JValue *result,
         JValue *source)
{
  if (jv_string_all_marked (source))
    jv_string_mark_all (result);
  return result;
}

static gboolean
need_string (JCtx         *ctx,
             const JNode  *node,
             JValue       *v,
             const char   *what,
             GError      **error)
{
  if (v != NULL && v->type == JV_STRING)
    return TRUE;
  if (v != NULL && v->type == JV_UNDEFINED)
    return jctx_undefined_error (ctx, node, v, error);
  return jctx_fail (ctx, node, error, "%s: expected a string, not %s", what,
                    v ? jv_type_name (v) : "nothing");
}

static gboolean
in_chars (gunichar    c,
          JValue     *chars)
{
  if (chars == NULL || chars->type == JV_NONE)
    return g_unichar_isspace (c) || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x1f;
  for (const char *p = chars->str.s; p < chars->str.s + chars->str.len;
       p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) == c)
      return TRUE;
  return FALSE;
}

static JValue *
strip (JValue  *s,
       JValue  *chars,
       gboolean left,
       gboolean right)
{
  const char *start = s->str.s, *end = s->str.s + s->str.len;

  while (left && start < end && in_chars (g_utf8_get_char (start), chars))
    start = g_utf8_next_char (start);
  while (right && end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!in_chars (g_utf8_get_char (prev), chars))
        break;
      end = prev;
    }
  return derived (jv_string (start, end - start), s);
}

static JValue *
replace (JValue *s,
         JValue *old,
         JValue *new,
         gint64  count)
{
  /* Bound the result: at most one replacement per byte (plus one). */
  if (new->str.len > old->str.len
      && (s->str.len + 1) * (new->str.len - old->str.len) > HONE_JINJA_MAX_OUTPUT)
    return NULL;
  {

  GString *out = g_string_new (NULL);
  gsize i = 0, len;
  gint64 done = 0;

  if (old->str.len == 0)
    {
      /* Python inserts the replacement between every character. */
      for (const char *p = s->str.s; ; p = g_utf8_next_char (p))
        {
          if (count < 0 || done < count)
            {
              g_string_append_len (out, new->str.s, new->str.len);
              done++;
            }
          if (p >= s->str.s + s->str.len)
            break;
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
  else
    {
      while (i < s->str.len)
        {
          if ((count < 0 || done < count) && i + old->str.len <= s->str.len
              && memcmp (s->str.s + i, old->str.s, old->str.len) == 0)
            {
              g_string_append_len (out, new->str.s, new->str.len);
              i += old->str.len;
              done++;
            }
          else
            g_string_append_c (out, s->str.s[i++]);
        }
    }
  len = out->len;
  return derived (jv_string_take (g_string_free (out, FALSE), len), s);
  }
}

static JValue *
split (JValue *s,
       JValue *sep,
       gint64  maxsplit)
{
  JValue *list = jv_list ();
  const char *p = s->str.s, *end = s->str.s + s->str.len;
  gint64 done = 0;

  if (sep == NULL || sep->type == JV_NONE)
    {
      for (;;)
        {
          const char *word;

          while (p < end && in_chars (g_utf8_get_char (p), NULL))
            p = g_utf8_next_char (p);
          if (p >= end)
            break;
          word = p;
          if (maxsplit >= 0 && done >= maxsplit)
            {
              const char *e = end;

              while (e > p && in_chars (g_utf8_get_char (g_utf8_prev_char (e)), NULL))
                e = g_utf8_prev_char (e);
              jv_list_append (list, derived (jv_string (p, e - p), s));
              break;
            }
          while (p < end && !in_chars (g_utf8_get_char (p), NULL))
            p = g_utf8_next_char (p);
          jv_list_append (list, derived (jv_string (word, p - word), s));
          done++;
        }
      return list;
    }
  for (;;)
    {
      const char *hit = NULL;

      if (maxsplit < 0 || done < maxsplit)
        for (const char *q = p; q + sep->str.len <= end; q++)
          if (memcmp (q, sep->str.s, sep->str.len) == 0)
            {
              hit = q;
              break;
            }
      if (hit == NULL)
        {
          jv_list_append (list, derived (jv_string (p, end - p), s));
          return list;
        }
      jv_list_append (list, derived (jv_string (p, hit - p), s));
      p = hit + sep->str.len;
      done++;
    }
}

static JValue *
change_case (JValue *s,
             char    how)
{
  GString *out = g_string_new (NULL);
  gboolean word_start = TRUE;
  gsize len;

  for (const char *p = s->str.s; p < s->str.s + s->str.len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar r = c;

      switch (how)
        {
        case 'u': r = g_unichar_toupper (c); break;
        case 'l': r = g_unichar_tolower (c); break;
        case 'c': r = p == s->str.s ? g_unichar_toupper (c) : g_unichar_tolower (c); break;
        case 't':  /* Python's str.title(): a word is a run of letters */
          r = word_start ? g_unichar_totitle (c) : g_unichar_tolower (c);
          word_start = !g_unichar_isalpha (c);
          break;
        case 'T':  /* jinja2's title filter: words start after - ( { [ < or a space */
          r = word_start ? g_unichar_toupper (c) : g_unichar_tolower (c);
          word_start = c == '-' || c == '(' || c == '{' || c == '[' || c == '<'
                       || g_unichar_isspace (c);
          break;
        default:
          break;
        }
      g_string_append_unichar (out, r);
    }
  len = out->len;
  return jv_string_take (g_string_free (out, FALSE), len);
}

/* Passes @v through, or sets the error for a string that grew past the limit. */
static JValue *
too_long (const JNode  *node,
          JValue       *v,
          GError      **error)
{
  if (v == NULL)
    g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                 "line %d: string longer than %u MiB", node->line, HONE_JINJA_MAX_OUTPUT >> 20);
  return v;
}

static JValue *
string_list_join (GPtrArray *items,
                  JValue    *sep)
{
  g_autoptr(JValue) result = jv_string ("", 0);
  guint64 total = 0;

  for (guint i = 0; i < items->len; i++)
    {
      JValue *item = items->pdata[i];

      total += (item->type == JV_STRING ? item->str.len : 64) + (sep ? sep->str.len : 0);
    }
  if (total > HONE_JINJA_MAX_OUTPUT)
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JValue) s = jv_to_string (items->pdata[i]);
      JValue *next;

      if (i > 0 && sep != NULL)
        {
          next = jv_concat (result, sep);
          jv_unref (result);
          result = next;
        }
      next = jv_concat (result, s);
      jv_unref (result);
      result = next;
    }
  return g_steal_pointer (&result);
}

static gboolean
affix (JValue   *s,
       JValue   *prefix,
       gboolean  end)
{
  if (prefix->type == JV_LIST)
    {
      for (guint i = 0; i < prefix->list->len; i++)
        if (affix (s, prefix->list->pdata[i], end))
          return TRUE;
      return FALSE;
    }
  if (prefix->type != JV_STRING || prefix->str.len > s->str.len)
    return FALSE;
  return memcmp (end ? s->str.s + s->str.len - prefix->str.len : s->str.s, prefix->str.s,
                 prefix->str.len) == 0;
}

static const char *string_methods[] = {
  "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "upper", "lower",
  "replace", "title", "capitalize", "format", "join", "count", "find", "isdigit",
  "isalpha", "isspace", "islower", "isupper",
};

static const char *dict_methods[] = { "items", "keys", "values", "get" };

gboolean
jinja_is_method (JValue     *obj,
                 const char *name)
{
  if (obj->type == JV_STRING)
    {
      for (guint i = 0; i < G_N_ELEMENTS (string_methods); i++)
        if (strcmp (name, string_methods[i]) == 0)
          return TRUE;
    }
  else if (obj->type == JV_DICT)
    {
      for (guint i = 0; i < G_N_ELEMENTS (dict_methods); i++)
        if (strcmp (name, dict_methods[i]) == 0)
          return TRUE;
    }
  return FALSE;
}

static JValue *
dict_items (JValue *dict)
{
  JValue *list = jv_list ();

  for (guint i = 0; i < dict->dict.keys->len; i++)
    {
      JValue *pair = jv_list ();

      pair->tuple = TRUE;
      jv_list_append (pair, jv_string (dict->dict.keys->pdata[i], -1));
      jv_list_append (pair, jv_ref (jv_dict_get (dict, dict->dict.keys->pdata[i])));
      jv_list_append (list, pair);
    }
  return list;
}

/* Python's str.format() for "{}", "{0}" and "{name}" without format specs. */
static JValue *
str_format (JCtx         *ctx,
            const JNode  *node,
            JValue       *s,
            GPtrArray    *args,
            GPtrArray    *names,
            GError      **error)
{
  GString *out = g_string_new (NULL);
  guint auto_index = 0;
  gsize len;

  for (gsize i = 0; i < s->str.len; i++)
    {
      char c = s->str.s[i];

      if ((c == '{' || c == '}') && i + 1 < s->str.len && s->str.s[i + 1] == c)
        {
          g_string_append_c (out, c);
          i++;
        }
      else if (c == '{')
        {
          const char *close = memchr (s->str.s + i, '}', s->str.len - i);
          g_autofree char *field = NULL;
          JValue *v;

          if (close == NULL)
            {
              g_string_free (out, TRUE);
              jctx_fail (ctx, node, error, "format: single '{' encountered");
              return NULL;
            }
          field = g_strndup (s->str.s + i + 1, close - (s->str.s + i + 1));
          if (field[0] == '\0')
            v = arg (args, names, auto_index++, NULL);
          else if (g_ascii_isdigit (field[0]))
            v = arg (args, names, atoi (field), NULL);
          else
            v = arg (args, names, G_MAXUINT, field);
          if (v == NULL)
            {
              g_string_free (out, TRUE);
              jctx_fail (ctx, node, error, "format: no value for field '%s'", field);
              return NULL;
            }
          jv_append_str (out, v);
          i = close - s->str.s;
        }
      else
        g_string_append_c (out, c);
    }
  len = out->len;
  return jv_string_take (g_string_free (out, FALSE), len);
}

static JValue *
call_method (JCtx         *ctx,
             const JNode  *node,
             JValue       *self,
             const char   *name,
             GPtrArray    *args,
             GPtrArray    *names,
             GError      **error)
{
  JValue *a0 = arg (args, names, 0, NULL);
  JValue *a1 = arg (args, names, 1, NULL);

  if (self->type == JV_DICT)
    {
      if (strcmp (name, "items") == 0)
        return dict_items (self);
      if (strcmp (name, "keys") == 0 || strcmp (name, "values") == 0)
        {
          JValue *list = jv_list ();

          for (guint i = 0; i < self->dict.keys->len; i++)
            jv_list_append (list, name[0] == 'k'
                            ? jv_string (self->dict.keys->pdata[i], -1)
                            : jv_ref (jv_dict_get (self, self->dict.keys->pdata[i])));
          return list;
        }
      /* get */
      if (a0 == NULL)
        {
          jctx_fail (ctx, node, error, "get expected at least 1 argument");
          return NULL;
        }
      if (a0->type == JV_STRING && jv_dict_get (self, a0->str.s) != NULL)
        return jv_ref (jv_dict_get (self, a0->str.s));
      return a1 != NULL ? jv_ref (a1) : jv_none ();
    }

  if (strcmp (name, "strip") == 0 || strcmp (name, "lstrip") == 0
      || strcmp (name, "rstrip") == 0)
    {
      if (a0 != NULL && a0->type != JV_NONE && !need_string (ctx, node, a0, name, error))
        return NULL;
      return strip (self, a0, name[0] != 'r', name[0] != 'l');
    }
  if (strcmp (name, "startswith") == 0 || strcmp (name, "endswith") == 0)
    {
      if (a0 == NULL || (a0->type != JV_STRING && a0->type != JV_LIST))
        {
          need_string (ctx, node, a0, name, error);
          return NULL;
        }
      return jv_bool (affix (self, a0, name[0] == 'e'));
    }
  if (strcmp (name, "split") == 0)
    {
      JValue *sep = arg (args, names, 0, "sep");
      JValue *max = arg (args, names, 1, "maxsplit");

      if (sep != NULL && sep->type != JV_NONE)
        {
          if (!need_string (ctx, node, sep, name, error))
            return NULL;
          if (sep->str.len == 0)
            {
              jctx_fail (ctx, node, error, "empty separator");
              return NULL;
            }
        }
      return split (self, sep, max != NULL && max->type == JV_INT ? max->i : -1);
    }
  if (strcmp (name, "upper") == 0 || strcmp (name, "lower") == 0
      || strcmp (name, "title") == 0 || strcmp (name, "capitalize") == 0)
    return change_case (self, name[0] == 'u' ? 'u' : name[0] == 'l' ? 'l'
                              : name[0] == 't' ? 't' : 'c');
  if (strcmp (name, "replace") == 0)
    {
      if (!need_string (ctx, node, a0, name, error) || !need_string (ctx, node, a1, name, error))
        return NULL;
      {
        JValue *count = arg (args, names, 2, "count");

        return too_long (node, replace (self, a0, a1, count != NULL && count->type == JV_INT
                                                       ? count->i : -1), error);
      }
    }
  if (strcmp (name, "format") == 0)
    return str_format (ctx, node, self, args, names, error);
  if (strcmp (name, "join") == 0)
    {
      g_autoptr(GPtrArray) items = a0 ? jv_iterate (a0) : NULL;

      if (items == NULL)
        {
          jctx_fail (ctx, node, error, "join: expected an iterable");
          return NULL;
        }
      return too_long (node, string_list_join (items, self), error);
    }
  if (strcmp (name, "count") == 0 || strcmp (name, "find") == 0)
    {
      gint64 n = 0;

      if (!need_string (ctx, node, a0, name, error))
        return NULL;
      for (gsize i = 0; i + a0->str.len <= self->str.len; i++)
        if (memcmp (self->str.s + i, a0->str.s, a0->str.len) == 0)
          {
            if (name[0] == 'f')
              return jv_int (g_utf8_pointer_to_offset (self->str.s, self->str.s + i));
            n++;
            i += a0->str.len > 0 ? a0->str.len - 1 : 0;
          }
      return jv_int (name[0] == 'f' ? -1 : n);
    }
  {
    /* isdigit, isalpha, isspace, islower, isupper */
    gboolean all = self->str.len > 0, cased = FALSE;

    for (const char *p = self->str.s; p < self->str.s + self->str.len; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (strcmp (name, "isdigit") == 0)
          all &= g_unichar_isdigit (c);
        else if (strcmp (name, "isalpha") == 0)
          all &= g_unichar_isalpha (c);
        else if (strcmp (name, "isspace") == 0)
          all &= g_unichar_isspace (c);
        else if (strcmp (name, "islower") == 0)
          {
            all &= !g_unichar_isupper (c);
            cased |= g_unichar_islower (c);
          }
        else
          {
            all &= !g_unichar_islower (c);
            cased |= g_unichar_isupper (c);
          }
      }
    if (strcmp (name, "islower") == 0 || strcmp (name, "isupper") == 0)
      all &= cased;
    return jv_bool (all);
  }
}

static const char *month_names[] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};

static const char *day_names[] = {
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

/* strftime in the C locale, as Python's is unless a locale was set. */
static char *
format_time (GDateTime  *t,
             const char *format)
{
  GString *out = g_string_new (NULL);

  for (const char *p = format; *p != '\0'; p++)
    {
      if (*p != '%' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'Y': g_string_append_printf (out, "%d", g_date_time_get_year (t)); break;
        case 'y': g_string_append_printf (out, "%02d", g_date_time_get_year (t) % 100); break;
        case 'm': g_string_append_printf (out, "%02d", g_date_time_get_month (t)); break;
        case 'd': g_string_append_printf (out, "%02d", g_date_time_get_day_of_month (t)); break;
        case 'e': g_string_append_printf (out, "%2d", g_date_time_get_day_of_month (t)); break;
        case 'H': g_string_append_printf (out, "%02d", g_date_time_get_hour (t)); break;
        case 'I':
          g_string_append_printf (out, "%02d", (g_date_time_get_hour (t) + 11) % 12 + 1);
          break;
        case 'M': g_string_append_printf (out, "%02d", g_date_time_get_minute (t)); break;
        case 'S': g_string_append_printf (out, "%02d", g_date_time_get_second (t)); break;
        case 'p': g_string_append (out, g_date_time_get_hour (t) < 12 ? "AM" : "PM"); break;
        case 'j': g_string_append_printf (out, "%03d", g_date_time_get_day_of_year (t)); break;
        case 'B': g_string_append (out, month_names[g_date_time_get_month (t) - 1]); break;
        case 'b':
          g_string_append_len (out, month_names[g_date_time_get_month (t) - 1], 3);
          break;
        case 'A': g_string_append (out, day_names[g_date_time_get_day_of_week (t) - 1]); break;
        case 'a':
          g_string_append_len (out, day_names[g_date_time_get_day_of_week (t) - 1], 3);
          break;
        case '%': g_string_append_c (out, '%'); break;
        default:
          g_string_append_c (out, '%');
          g_string_append_c (out, *p);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

JValue *
jinja_function (JCtx         *ctx,
                const JNode  *node,
                JValue       *fn,
                GPtrArray    *args,
                GPtrArray    *names,
                GError      **error)
{
  const char *name = fn->fn.name;

  if (fn->fn.self != NULL)
    return call_method (ctx, node, fn->fn.self, name, args, names, error);

  if (strcmp (name, "raise_exception") == 0)
    {
      g_autoptr(JValue) message = arg (args, names, 0, NULL)
                                  ? jv_to_string (arg (args, names, 0, NULL))
                                  : jv_string ("", 0);

      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RAISED, "%s", message->str.s);
      return NULL;
    }
  if (strcmp (name, "strftime_now") == 0)
    {
      JValue *format = arg (args, names, 0, NULL);
      g_autoptr(GDateTime) now = ctx->now ? g_date_time_ref (ctx->now)
                                          : g_date_time_new_now_local ();
      char *s;

      if (!need_string (ctx, node, format, name, error))
        return NULL;
      s = format_time (now, format->str.s);
      return jv_string_take (s, strlen (s));
    }
  if (strcmp (name, "namespace") == 0 || strcmp (name, "dict") == 0)
    {
      JValue *ns = jv_dict ();
      guint n = n_positional (args, names);

      if (name[0] == 'n')
        ns->type = JV_NAMESPACE;
      for (guint i = 0; i < n; i++)
        {
          JValue *init = args->pdata[i];

          if (init->type != JV_DICT)
            {
              jv_unref (ns);
              jctx_fail (ctx, node, error, "%s() takes keyword arguments or a dict", name);
              return NULL;
            }
          for (guint k = 0; k < init->dict.keys->len; k++)
            jv_dict_set (ns, init->dict.keys->pdata[k],
                         jv_ref (jv_dict_get (init, init->dict.keys->pdata[k])));
        }
      for (guint k = 0; names != NULL && k < names->len; k++)
        jv_dict_set (ns, names->pdata[k], jv_ref (args->pdata[n + k]));
      return ns;
    }
  /* range */
  {
    gint64 start = 0, stop, step = 1;
    guint n = n_positional (args, names);
    JValue *list;

    for (guint i = 0; i < n; i++)
      if (((JValue *) args->pdata[i])->type != JV_INT)
        {
          jctx_fail (ctx, node, error, "range() takes integers");
          return NULL;
        }
    if (n == 1)
      stop = ((JValue *) args->pdata[0])->i;
    else if (n == 2 || n == 3)
      {
        start = ((JValue *) args->pdata[0])->i;
        stop = ((JValue *) args->pdata[1])->i;
        if (n == 3)
          step = ((JValue *) args->pdata[2])->i;
      }
    else
      {
        jctx_fail (ctx, node, error, "range() takes 1 to 3 arguments");
        return NULL;
      }
    if (step == 0)
      {
        jctx_fail (ctx, node, error, "range() arg 3 must not be zero");
        return NULL;
      }
    list = jv_list ();
    for (gint64 i = start; step > 0 ? i < stop : i > stop; i += step)
      {
        if (!jctx_count_iterations (ctx, node, 1, error))
          {
            jv_unref (list);
            return NULL;
          }
        jv_list_append (list, jv_int (i));
      }
    return list;
  }
}

/* Follows a dotted attribute path such as "function.name". */
static JValue *
attribute_path (JValue     *item,
                const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JValue *v = jv_ref (item);

  for (guint i = 0; parts[i] != NULL && v->type != JV_UNDEFINED; i++)
    {
      JValue *next;

      if (v->type == JV_LIST && g_ascii_isdigit (parts[i][0]))
        {
          gint64 index = g_ascii_strtoll (parts[i], NULL, 10);

          next = index < v->list->len ? jv_ref (v->list->pdata[index])
                                      : jv_undefined ("no item %s", parts[i]);
        }
      else if (v->type == JV_DICT || v->type == JV_NAMESPACE)
        next = jv_dict_get (v, parts[i]) ? jv_ref (jv_dict_get (v, parts[i]))
                                         : jv_getattr (v, parts[i]);
      else
        next = jv_getattr (v, parts[i]);
      jv_unref (v);
      v = next;
    }
  return v;
}

static JValue *
select_items (JCtx         *ctx,
              const JNode  *node,
              const char   *name,
              JValue       *value,
              GPtrArray    *args,
              GPtrArray    *names,
              GError      **error)
{
  gboolean by_attr = g_str_has_suffix (name, "attr");
  gboolean reject = name[0] == 'r';
  g_autoptr(GPtrArray) items = jv_iterate (value);
  g_autoptr(GPtrArray) test_args = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);
  guint first = by_attr ? 1 : 0;
  JValue *attr = by_attr ? arg (args, names, 0, NULL) : NULL;
  JValue *test = arg (args, names, first, NULL);
  g_autoptr(JValue) result = jv_list ();

  if (items == NULL)
    {
      jctx_fail (ctx, node, error, "%s: '%s' object is not iterable", name,
                 jv_type_name (value));
      return NULL;
    }
  if ((by_attr && (attr == NULL || attr->type != JV_STRING))
      || (test != NULL && test->type != JV_STRING))
    {
      jctx_fail (ctx, node, error, "%s: bad arguments", name);
      return NULL;
    }
  for (guint i = first + 1; i < n_positional (args, names); i++)
    g_ptr_array_add (test_args, jv_ref (args->pdata[i]));
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JValue) subject = by_attr ? attribute_path (items->pdata[i], attr->str.s)
                                          : jv_ref (items->pdata[i]);
      int r;

      if (test == NULL)
        r = jv_truthy (subject);
      else if ((r = jinja_test (ctx, node, test->str.s, subject, test_args, NULL, error)) < 0)
        return NULL;
      if (r != reject)
        jv_list_append (result, jv_ref (items->pdata[i]));
    }
  return g_steal_pointer (&result);
}

static JValue *
to_int (JValue *value,
        JValue *fallback)
{
  switch (value->type)
    {
    case JV_INT:
      return jv_ref (value);
    case JV_BOOL:
      return jv_int (value->b);
    case JV_FLOAT:
      if (isfinite (value->f))
        return jv_int ((gint64) value->f);
      break;
    case JV_STRING:
      {
        g_autofree char *s = g_strstrip (g_strdup (value->str.s));
        char *end;
        gint64 i = g_ascii_strtoll (s, &end, 10);
        double f;

        if (*s != '\0' && *end == '\0')
          return jv_int (i);
        f = g_ascii_strtod (s, &end);
        if (*s != '\0' && *end == '\0' && isfinite (f))
          return jv_int ((gint64) f);
        break;
      }
    case JV_UNDEFINED:
    case JV_NONE:
    case JV_LIST:
    case JV_DICT:
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      break;
    }
  return fallback ? jv_ref (fallback) : jv_int (0);
}

static JValue *
to_float (JValue *value,
          JValue *fallback)
{
  if (value->type == JV_FLOAT)
    return jv_ref (value);
  if (value->type == JV_INT || value->type == JV_BOOL)
    return jv_float (value->type == JV_INT ? (double) value->i : value->b);
  if (value->type == JV_STRING)
    {
      g_autofree char *s = g_strstrip (g_strdup (value->str.s));
      char *end;
      double f = g_ascii_strtod (s, &end);

      if (*s != '\0' && *end == '\0')
        return jv_float (f);
    }
  return fallback ? jv_ref (fallback) : jv_float (0.0);
}

static JValue *
html_escape (JValue *value)
{
  g_autoptr(JValue) s = jv_to_string (value);
  GString *out = g_string_new (NULL);
  gsize len;

  for (gsize i = 0; i < s->str.len; i++)
    switch (s->str.s[i])
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&#34;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, s->str.s[i]); break;
      }
  len = out->len;
  return jv_string_take (g_string_free (out, FALSE), len);
}

static JValue *
filter_tojson (JCtx         *ctx,
               const JNode  *node,
               JValue       *value,
               GPtrArray    *args,
               GPtrArray    *names,
               GError      **error)
{
  /* HF's signature: tojson(x, ensure_ascii=False, indent=None, separators=None,
   * sort_keys=False). */
  JValue *ensure_ascii = arg (args, names, 0, "ensure_ascii");
  JValue *indent = arg (args, names, 1, "indent");
  JValue *separators = arg (args, names, 2, "separators");
  JValue *sort_keys = arg (args, names, 3, "sort_keys");
  const char *item_sep = NULL, *key_sep = NULL;
  GString *out = g_string_new (NULL);
  gsize len;

  if (separators != NULL && separators->type == JV_LIST && separators->list->len == 2
      && ((JValue *) separators->list->pdata[0])->type == JV_STRING
      && ((JValue *) separators->list->pdata[1])->type == JV_STRING)
    {
      item_sep = ((JValue *) separators->list->pdata[0])->str.s;
      key_sep = ((JValue *) separators->list->pdata[1])->str.s;
    }
  if (!jv_append_json (out, value,
                       indent != NULL && indent->type == JV_INT ? (int) CLAMP (indent->i, 0, 64)
                                                                : -1,
                       item_sep, key_sep, sort_keys != NULL && jv_truthy (sort_keys),
                       ensure_ascii != NULL && jv_truthy (ensure_ascii), error))
    {
      g_string_free (out, TRUE);
      g_prefix_error (error, "line %d: ", node->line);
      return NULL;
    }
  len = out->len;
  return jv_string_take (g_string_free (out, FALSE), len);
}

JValue *
jinja_filter (JCtx         *ctx,
              const JNode  *node,
              const char   *name,
              JValue       *value,
              GPtrArray    *args,
              GPtrArray    *names,
              GError      **error)
{
  JValue *a0 = arg (args, names, 0, NULL);

  if (strcmp (name, "default") == 0 || strcmp (name, "d") == 0)
    {
      JValue *fallback = arg (args, names, 0, "default_value");
      JValue *boolean = arg (args, names, 1, "boolean");

      if (value->type == JV_UNDEFINED || (boolean && jv_truthy (boolean) && !jv_truthy (value)))
        return fallback ? jv_ref (fallback) : jv_string ("", 0);
      return jv_ref (value);
    }
  if (strcmp (name, "tojson") == 0)
    return filter_tojson (ctx, node, value, args, names, error);
  if (strcmp (name, "length") == 0 || strcmp (name, "count") == 0)
    {
      switch (value->type)
        {
        case JV_STRING: return jv_int (g_utf8_strlen (value->str.s, value->str.len));
        case JV_LIST: return jv_int (value->list->len);
        case JV_DICT:
        case JV_NAMESPACE: return jv_int (value->dict.keys->len);
        case JV_UNDEFINED: return jv_int (0);
        case JV_NONE:
        case JV_BOOL:
        case JV_INT:
        case JV_FLOAT:
        case JV_MACRO:
        case JV_FUNCTION:
        default:
          jctx_fail (ctx, node, error, "object of type '%s' has no len()", jv_type_name (value));
          return NULL;
        }
    }
  if (strcmp (name, "string") == 0)
    return jv_to_string (value);
  if (strcmp (name, "safe") == 0)
    return jv_ref (value);
  if (strcmp (name, "trim") == 0)
    {
      g_autoptr(JValue) s = jv_to_string (value);

      if (a0 != NULL && a0->type != JV_NONE && !need_string (ctx, node, a0, name, error))
        return NULL;
      return strip (s, a0, TRUE, TRUE);
    }
  if (strcmp (name, "upper") == 0 || strcmp (name, "lower") == 0
      || strcmp (name, "capitalize") == 0 || strcmp (name, "title") == 0)
    {
      g_autoptr(JValue) s = jv_to_string (value);

      return change_case (s, name[0] == 'u' ? 'u' : name[0] == 'l' ? 'l'
                             : name[0] == 't' ? 'T' : 'c');
    }
  if (strcmp (name, "replace") == 0)
    {
      g_autoptr(JValue) s = jv_to_string (value);
      JValue *a1 = arg (args, names, 1, NULL);
      JValue *count = arg (args, names, 2, "count");

      if (!need_string (ctx, node, a0, name, error) || !need_string (ctx, node, a1, name, error))
        return NULL;
      return too_long (node, replace (s, a0, a1, count != NULL && count->type == JV_INT
                                                       ? count->i : -1), error);
    }
  if (strcmp (name, "items") == 0)
    {
      if (value->type == JV_UNDEFINED)
        return jv_list ();
      if (value->type != JV_DICT)
        {
          jctx_fail (ctx, node, error, "items: can only get item pairs from a mapping");
          return NULL;
        }
      return dict_items (value);
    }
  if (strcmp (name, "join") == 0)
    {
      g_autoptr(GPtrArray) items = jv_iterate (value);
      JValue *sep = arg (args, names, 0, "d");
      JValue *attribute = arg (args, names, 1, "attribute");

      if (items == NULL)
        {
          jctx_fail (ctx, node, error, "join: '%s' object is not iterable", jv_type_name (value));
          return NULL;
        }
      if (attribute != NULL && attribute->type == JV_STRING)
        for (guint i = 0; i < items->len; i++)
          {
            JValue *v = attribute_path (items->pdata[i], attribute->str.s);

            jv_unref (items->pdata[i]);
            items->pdata[i] = v;
          }
      {
        g_autoptr(JValue) sep_s = sep ? jv_to_string (sep) : NULL;

        return too_long (node, string_list_join (items, sep_s), error);
      }
    }
  if (strcmp (name, "first") == 0 || strcmp (name, "last") == 0)
    {
      g_autoptr(GPtrArray) items = jv_iterate (value);

      if (items == NULL)
        {
          jctx_fail (ctx, node, error, "%s: '%s' object is not iterable", name,
                     jv_type_name (value));
          return NULL;
        }
      if (items->len == 0)
        return jv_undefined ("No %s item, sequence was empty.", name);
      return jv_ref (items->pdata[name[0] == 'f' ? 0 : items->len - 1]);
    }
  if (strcmp (name, "list") == 0 || strcmp (name, "reverse") == 0)
    {
      g_autoptr(GPtrArray) items = jv_iterate (value);
      JValue *list;

      if (items == NULL)
        {
          jctx_fail (ctx, node, error, "%s: '%s' object is not iterable", name,
                     jv_type_name (value));
          return NULL;
        }
      if (name[0] == 'r' && value->type == JV_STRING)
        {
          GString *s = g_string_new (NULL);
          gsize len;

          for (guint i = items->len; i > 0; i--)
            jv_append_str (s, items->pdata[i - 1]);
          len = s->len;
          return jv_string_take (g_string_free (s, FALSE), len);
        }
      list = jv_list ();
      for (guint i = 0; i < items->len; i++)
        jv_list_append (list, jv_ref (items->pdata[name[0] == 'r' ? items->len - 1 - i : i]));
      return list;
    }
  if (strcmp (name, "select") == 0 || strcmp (name, "reject") == 0
      || strcmp (name, "selectattr") == 0 || strcmp (name, "rejectattr") == 0)
    return select_items (ctx, node, name, value, args, names, error);
  if (strcmp (name, "map") == 0)
    {
      g_autoptr(GPtrArray) items = jv_iterate (value);
      JValue *attribute = arg (args, names, G_MAXUINT, "attribute");
      JValue *fallback = arg (args, names, G_MAXUINT, "default");
      g_autoptr(JValue) result = jv_list ();

      if (items == NULL)
        {
          jctx_fail (ctx, node, error, "map: '%s' object is not iterable", jv_type_name (value));
          return NULL;
        }
      if (attribute == NULL && (a0 == NULL || a0->type != JV_STRING))
        {
          jctx_fail (ctx, node, error, "map: expected a filter name or attribute=");
          return NULL;
        }
      for (guint i = 0; i < items->len; i++)
        {
          JValue *v;

          if (attribute != NULL)
            {
              v = attribute_path (items->pdata[i], attribute->str.s);
              if (v->type == JV_UNDEFINED && fallback != NULL)
                {
                  jv_unref (v);
                  v = jv_ref (fallback);
                }
            }
          else
            {
              g_autoptr(GPtrArray) rest = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);

              for (guint k = 1; k < n_positional (args, names); k++)
                g_ptr_array_add (rest, jv_ref (args->pdata[k]));
              if ((v = jinja_filter (ctx, node, a0->str.s, items->pdata[i], rest, NULL,
                                     error)) == NULL)
                return NULL;
            }
          jv_list_append (result, v);
        }
      return g_steal_pointer (&result);
    }
  if (strcmp (name, "int") == 0)
    return to_int (value, arg (args, names, 0, "default"));
  if (strcmp (name, "float") == 0)
    return to_float (value, arg (args, names, 0, "default"));
  if (strcmp (name, "abs") == 0)
    {
      if (value->type == JV_INT || value->type == JV_BOOL)
        return jv_int (ABS (value->type == JV_INT ? value->i : value->b));
      if (value->type == JV_FLOAT)
        return jv_float (fabs (value->f));
      jctx_fail (ctx, node, error, "bad operand type for abs(): '%s'", jv_type_name (value));
      return NULL;
    }
  if (strcmp (name, "round") == 0)
    {
      JValue *precision = arg (args, names, 0, "precision");
      JValue *method = arg (args, names, 1, "method");
      gint64 p = precision && precision->type == JV_INT ? CLAMP (precision->i, -20, 20) : 0;
      double x, scale = pow (10.0, (double) p), r;

      if (value->type != JV_INT && value->type != JV_FLOAT && value->type != JV_BOOL)
        {
          jctx_fail (ctx, node, error, "round: expected a number");
          return NULL;
        }
      x = value->type == JV_FLOAT ? value->f : value->type == JV_INT ? value->i : value->b;
      if ((method == NULL || (method->type == JV_STRING && strcmp (method->str.s, "common") == 0))
          && value->type != JV_FLOAT)
        return jv_int (value->type == JV_INT ? value->i : value->b);  /* Python's round(int) */
      if (method != NULL && method->type == JV_STRING && strcmp (method->str.s, "floor") == 0)
        r = floor (x * scale) / scale;
      else if (method != NULL && method->type == JV_STRING && strcmp (method->str.s, "ceil") == 0)
        r = ceil (x * scale) / scale;
      else
        r = nearbyint (x * scale) / scale;
      return jv_float (r);
    }
  if (strcmp (name, "escape") == 0 || strcmp (name, "e") == 0)
    return html_escape (value);
  if (strcmp (name, "format") == 0)
    {
      g_autoptr(JValue) s = jv_to_string (value);
      GString *out = g_string_new (NULL);
      guint next = 0;
      gsize len;

      for (gsize i = 0; i < s->str.len; i++)
        {
          if (s->str.s[i] == '%' && i + 1 < s->str.len)
            {
              char c = s->str.s[++i];

              if (c == '%')
                g_string_append_c (out, '%');
              else if ((c == 's' || c == 'd' || c == 'r') && next < args->len)
                {
                  if (c == 'r')
                    jv_append_repr (out, args->pdata[next++]);
                  else
                    jv_append_str (out, args->pdata[next++]);
                }
              else
                {
                  g_string_free (out, TRUE);
                  jctx_fail (ctx, node, error, "format: unsupported conversion '%%%c'", c);
                  return NULL;
                }
            }
          else
            g_string_append_c (out, s->str.s[i]);
        }
      len = out->len;
      return jv_string_take (g_string_free (out, FALSE), len);
    }
  jctx_fail (ctx, node, error, "unsupported filter '%s'", name);
  return NULL;
}

int
jinja_test (JCtx         *ctx,
            const JNode  *node,
            const char   *name,
            JValue       *value,
            GPtrArray    *args,
            GPtrArray    *names,
            GError      **error)
{
  JValue *a0 = arg (args, names, 0, NULL);
  JType t = value->type;

  if (strcmp (name, "defined") == 0)
    return t != JV_UNDEFINED;
  if (strcmp (name, "undefined") == 0)
    return t == JV_UNDEFINED;
  if (strcmp (name, "none") == 0)
    return t == JV_NONE;
  if (strcmp (name, "string") == 0)
    return t == JV_STRING;
  if (strcmp (name, "number") == 0)
    return t == JV_INT || t == JV_FLOAT || t == JV_BOOL;
  if (strcmp (name, "integer") == 0)
    return t == JV_INT;
  if (strcmp (name, "float") == 0)
    return t == JV_FLOAT;
  if (strcmp (name, "boolean") == 0)
    return t == JV_BOOL;
  if (strcmp (name, "true") == 0)
    return t == JV_BOOL && value->b;
  if (strcmp (name, "false") == 0)
    return t == JV_BOOL && !value->b;
  if (strcmp (name, "mapping") == 0)
    return t == JV_DICT;
  if (strcmp (name, "iterable") == 0)
    return t == JV_STRING || t == JV_LIST || t == JV_DICT || t == JV_UNDEFINED;
  if (strcmp (name, "sequence") == 0)
    return t == JV_STRING || t == JV_LIST || t == JV_DICT || t == JV_UNDEFINED;
  if (strcmp (name, "callable") == 0)
    return t == JV_MACRO || t == JV_FUNCTION;
  if (strcmp (name, "lower") == 0 || strcmp (name, "upper") == 0)
    {
      g_autoptr(JValue) s = jv_to_string (value);
      g_autoptr(JValue) changed = change_case (s, name[0]);

      return jv_equal (s, changed);
    }
  if (strcmp (name, "odd") == 0 || strcmp (name, "even") == 0
      || strcmp (name, "divisibleby") == 0)
    {
      gint64 n = name[0] == 'd' ? (a0 && a0->type == JV_INT ? a0->i : 0) : 2;

      if (t == JV_FLOAT && n != 0)
        {
          double r = fmod (value->f, (double) n);

          if (r != 0 && ((r < 0) != (n < 0)))
            r += n;
          return name[0] == 'o' ? r == 1 : r == 0;
        }
      if ((t != JV_INT && t != JV_BOOL) || n == 0)
        {
          jctx_fail (ctx, node, error, "%s: expected numbers", name);
          return -1;
        }
      {
        gint64 r = (t == JV_INT ? value->i : value->b) % n;

        return name[0] == 'o' ? r != 0 : r == 0;
      }
    }
  if (a0 == NULL && (strcmp (name, "in") == 0 || strcmp (name, "sameas") == 0))
    {
      jctx_fail (ctx, node, error, "test '%s' needs an argument", name);
      return -1;
    }
  if (strcmp (name, "sameas") == 0)
    {
      if (t != a0->type)
        return 0;
      if (t == JV_NONE || t == JV_UNDEFINED)
        return 1;
      if (t == JV_BOOL)
        return value->b == a0->b;
      return value == a0;
    }
  if (strcmp (name, "in") == 0)
    {
      g_autoptr(GPtrArray) items = NULL;

      if (a0->type == JV_STRING)
        return value->type == JV_STRING && strstr (a0->str.s, value->str.s) != NULL;
      if (a0->type == JV_DICT)
        return value->type == JV_STRING && jv_dict_get (a0, value->str.s) != NULL;
      if ((items = jv_iterate (a0)) == NULL)
        {
          jctx_fail (ctx, node, error, "in: argument is not iterable");
          return -1;
        }
      for (guint i = 0; i < items->len; i++)
        if (jv_equal (value, items->pdata[i]))
          return 1;
      return 0;
    }
  {
    static const struct { const char *name; const char *op; } comparisons[] = {
      { "equalto", "==" }, { "eq", "==" }, { "==", "==" }, { "ne", "!=" }, { "!=", "!=" },
      { "lt", "<" }, { "lessthan", "<" }, { "<", "<" }, { "le", "<=" }, { "<=", "<=" },
      { "gt", ">" }, { "greaterthan", ">" }, { ">", ">" }, { "ge", ">=" }, { ">=", ">=" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
      if (strcmp (name, comparisons[i].name) == 0)
        {
          const char *op = comparisons[i].op;
          int c;

          if (a0 == NULL)
            {
              jctx_fail (ctx, node, error, "test '%s' needs an argument", name);
              return -1;
            }
          if (op[0] == '=')
            return jv_equal (value, a0);
          if (op[0] == '!')
            return !jv_equal (value, a0);
          c = jv_compare (value, a0);
          if (c == 2)
            {
              jctx_fail (ctx, node, error, "'%s' not supported between '%s' and '%s'", op,
                         jv_type_name (value), jv_type_name (a0));
              return -1;
            }
          return op[0] == '<' ? (op[1] ? c <= 0 : c < 0) : (op[1] ? c >= 0 : c > 0);
        }
  }
  jctx_fail (ctx, node, error, "unsupported test '%s'", name);
  return -1;
}
