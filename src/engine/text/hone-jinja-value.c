/* hone-jinja-value.c — the interpreter's values, printed the way Python prints them.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hone-jinja"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hone-jinja-private.h"

G_DEFINE_QUARK (hone-jinja-error-quark, hone_jinja_error)

static JValue *
jv_new (JType type)
{
  JValue *v = g_new0 (JValue, 1);

  v->ref = 1;
  v->type = type;
  return v;
}

JValue *
jv_ref (JValue *v)
{
  g_assert (v != NULL);
  v->ref++;
  return v;
}

void
jv_unref (JValue *v)
{
  if (v == NULL || --v->ref > 0)
    return;
  switch (v->type)
    {
    case JV_STRING:
      g_free (v->str.s);
      g_clear_pointer (&v->str.spans, g_array_unref);
      break;
    case JV_LIST:
      g_ptr_array_unref (v->list);
      break;
    case JV_DICT:
    case JV_NAMESPACE:
      g_ptr_array_unref (v->dict.keys);
      g_hash_table_unref (v->dict.map);
      break;
    case JV_FUNCTION:
      g_free (v->fn.name);
      jv_unref (v->fn.self);
      break;
    case JV_UNDEFINED:
    case JV_NONE:
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_MACRO:
    default:
      break;
    }
  g_free (v->hint);
  g_free (v);
}

JValue *
jv_undefined (const char *hint_format,
              ...)
{
  JValue *v = jv_new (JV_UNDEFINED);
  va_list args;

  va_start (args, hint_format);
  v->hint = g_strdup_vprintf (hint_format, args);
  va_end (args);
  return v;
}

JValue *
jv_none (void)
{
  return jv_new (JV_NONE);
}

JValue *
jv_bool (gboolean b)
{
  JValue *v = jv_new (JV_BOOL);

  v->b = !!b;
  return v;
}

JValue *
jv_int (gint64 i)
{
  JValue *v = jv_new (JV_INT);

  v->i = i;
  return v;
}

JValue *
jv_float (double f)
{
  JValue *v = jv_new (JV_FLOAT);

  v->f = f;
  return v;
}

JValue *
jv_string_take (char  *s,
                gsize  len)
{
  JValue *v = jv_new (JV_STRING);

  v->str.s = s;
  v->str.len = len;
  return v;
}

JValue *
jv_string (const char *s,
           gssize      len)
{
  if (len < 0)
    len = strlen (s);
  return jv_string_take (g_strndup (s, len), len);
}

JValue *
jv_list (void)
{
  JValue *v = jv_new (JV_LIST);

  v->list = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);
  return v;
}

JValue *
jv_dict (void)
{
  JValue *v = jv_new (JV_DICT);

  v->dict.keys = g_ptr_array_new_with_free_func (g_free);
  v->dict.map = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) jv_unref);
  return v;
}

JValue *
jv_function (const char *name,
             JValue     *self)
{
  JValue *v = jv_new (JV_FUNCTION);

  v->fn.name = g_strdup (name);
  v->fn.self = self ? jv_ref (self) : NULL;
  return v;
}

void
jv_list_append (JValue *list,
                JValue *item)
{
  g_assert (list->type == JV_LIST);
  g_ptr_array_add (list->list, item);
}

void
jv_dict_set (JValue     *dict,
             const char *key,
             JValue     *item)
{
  char *owned;

  g_assert (dict->type == JV_DICT || dict->type == JV_NAMESPACE);
  if (g_hash_table_lookup_extended (dict->dict.map, key, (gpointer *) &owned, NULL))
    {
      g_hash_table_insert (dict->dict.map, owned, item);
      return;
    }
  owned = g_strdup (key);
  g_ptr_array_add (dict->dict.keys, owned);
  g_hash_table_insert (dict->dict.map, owned, item);
}

JValue *
jv_dict_get (JValue     *dict,
             const char *key)
{
  g_assert (dict->type == JV_DICT || dict->type == JV_NAMESPACE);
  return g_hash_table_lookup (dict->dict.map, key);
}

gboolean
jv_truthy (JValue *v)
{
  switch (v->type)
    {
    case JV_UNDEFINED:
    case JV_NONE:
      return FALSE;
    case JV_BOOL:
      return v->b;
    case JV_INT:
      return v->i != 0;
    case JV_FLOAT:
      return v->f != 0.0;
    case JV_STRING:
      return v->str.len > 0;
    case JV_LIST:
      return v->list->len > 0;
    case JV_DICT:
      return v->dict.keys->len > 0;
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      return TRUE;
    }
}

static gboolean
jv_is_number (JValue *v)
{
  return v->type == JV_INT || v->type == JV_FLOAT || v->type == JV_BOOL;
}

static double
jv_number (JValue *v)
{
  return v->type == JV_FLOAT ? v->f : v->type == JV_INT ? (double) v->i : (double) v->b;
}

gboolean
jv_equal (JValue *a,
          JValue *b)
{
  if (jv_is_number (a) && jv_is_number (b))
    {
      if (a->type != JV_FLOAT && b->type != JV_FLOAT)
        return (a->type == JV_INT ? a->i : a->b) == (b->type == JV_INT ? b->i : b->b);
      return jv_number (a) == jv_number (b);
    }
  if (a->type != b->type || (a->type == JV_LIST && a->tuple != b->tuple))
    return FALSE;
  switch (a->type)
    {
    case JV_UNDEFINED:
    case JV_NONE:
      return TRUE;
    case JV_STRING:
      return a->str.len == b->str.len && memcmp (a->str.s, b->str.s, a->str.len) == 0;
    case JV_LIST:
      if (a->list->len != b->list->len)
        return FALSE;
      for (guint i = 0; i < a->list->len; i++)
        if (!jv_equal (a->list->pdata[i], b->list->pdata[i]))
          return FALSE;
      return TRUE;
    case JV_DICT:
      if (a->dict.keys->len != b->dict.keys->len)
        return FALSE;
      for (guint i = 0; i < a->dict.keys->len; i++)
        {
          const char *key = a->dict.keys->pdata[i];
          JValue *other = jv_dict_get (b, key);

          if (other == NULL || !jv_equal (jv_dict_get (a, key), other))
            return FALSE;
        }
      return TRUE;
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      return a == b;
    }
}

gboolean
jv_string_all_marked (JValue *v)
{
  HoneJinjaSpan *span;

  if (v->type != JV_STRING || v->str.spans == NULL || v->str.spans->len != 1)
    return FALSE;
  span = &g_array_index (v->str.spans, HoneJinjaSpan, 0);
  return span->start == 0 && span->end == v->str.len;
}

void
jv_string_mark_all (JValue *v)
{
  HoneJinjaSpan span = { 0, v->str.len };

  g_assert (v->type == JV_STRING);
  g_clear_pointer (&v->str.spans, g_array_unref);
  if (v->str.len == 0)
    return;
  v->str.spans = g_array_new (FALSE, FALSE, sizeof (HoneJinjaSpan));
  g_array_append_val (v->str.spans, span);
}

const char *
jv_type_name (JValue *v)
{
  static const char *names[] = {
    "Undefined", "NoneType", "bool", "int", "float", "str", "list", "dict", "Namespace",
    "Macro", "function",
  };

  return names[v->type];
}

void
jv_append_float (GString *out,
                 double   f)
{
  char buf[64], digits[32];
  char format[16];
  const char *p;
  int precision, exponent, n = 0;

  if (isnan (f))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (f))
    {
      g_string_append (out, f < 0 ? "-inf" : "inf");
      return;
    }
  /* The shortest digits that read back as the same double, as Python's repr. */
  for (precision = 1; precision <= 17; precision++)
    {
      g_snprintf (format, sizeof format, "%%.%de", precision - 1);
      g_ascii_formatd (buf, sizeof buf, format, f);
      if (g_ascii_strtod (buf, NULL) == f)
        break;
    }
  p = buf;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  exponent = *p == 'e' ? atoi (p + 1) : 0;

  if (exponent >= -4 && exponent < 16)
    {
      if (exponent >= 0)
        {
          for (int i = 0; i <= exponent; i++)
            g_string_append_c (out, i < n ? digits[i] : '0');
          g_string_append_c (out, '.');
          if (n > exponent + 1)
            g_string_append (out, digits + exponent + 1);
          else
            g_string_append_c (out, '0');
        }
      else
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -exponent - 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

/* Python's str.isprintable(), as far as GLib's Unicode tables tell. */
static gboolean
unichar_printable (gunichar c)
{
  if (c == ' ')
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      return TRUE;
    }
}

static void
append_string_repr (GString    *out,
                    const char *s,
                    gsize       len)
{
  const char *end = s + len;
  char quote = '\'';

  if (memchr (s, '\'', len) != NULL && memchr (s, '"', len) == NULL)
    quote = '"';
  g_string_append_c (out, quote);
  while (s < end)
    {
      gunichar c = g_utf8_get_char_validated (s, end - s);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *s);
          s++;
          continue;
        }
      next = g_utf8_next_char (s);
      if (c == '\\' || c == (gunichar) quote)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && !unichar_printable (c))
        {
          if (c <= 0xff)
            g_string_append_printf (out, "\\x%02x", c);
          else if (c <= 0xffff)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_printf (out, "\\U%08x", c);
        }
      else
        g_string_append_len (out, s, next - s);
      s = next;
    }
  g_string_append_c (out, quote);
}

void
jv_append_repr (GString *out,
                JValue  *v)
{
  switch (v->type)
    {
    case JV_STRING:
      append_string_repr (out, v->str.s, v->str.len);
      break;
    case JV_LIST:
      g_string_append_c (out, v->tuple ? '(' : '[');
      for (guint i = 0; i < v->list->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          jv_append_repr (out, v->list->pdata[i]);
        }
      if (v->tuple && v->list->len == 1)
        g_string_append_c (out, ',');
      g_string_append_c (out, v->tuple ? ')' : ']');
      break;
    case JV_DICT:
      g_string_append_c (out, '{');
      for (guint i = 0; i < v->dict.keys->len; i++)
        {
          const char *key = v->dict.keys->pdata[i];

          if (i > 0)
            g_string_append (out, ", ");
          append_string_repr (out, key, strlen (key));
          g_string_append (out, ": ");
          jv_append_repr (out, jv_dict_get (v, key));
        }
      g_string_append_c (out, '}');
      break;
    case JV_UNDEFINED:
    case JV_NONE:
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      jv_append_str (out, v);
      break;
    }
}

void
jv_append_str (GString *out,
               JValue  *v)
{
  switch (v->type)
    {
    case JV_UNDEFINED:
      break;
    case JV_NONE:
      g_string_append (out, "None");
      break;
    case JV_BOOL:
      g_string_append (out, v->b ? "True" : "False");
      break;
    case JV_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->i);
      break;
    case JV_FLOAT:
      jv_append_float (out, v->f);
      break;
    case JV_STRING:
      g_string_append_len (out, v->str.s, v->str.len);
      break;
    case JV_LIST:
    case JV_DICT:
      jv_append_repr (out, v);
      break;
    case JV_NAMESPACE:
      g_string_append (out, "<Namespace>");
      break;
    case JV_MACRO:
      g_string_append (out, "<Macro>");
      break;
    case JV_FUNCTION:
    default:
      g_string_append_printf (out, "<built-in function %s>", v->fn.name);
      break;
    }
}

static void
append_json_string (GString    *out,
                    const char *s,
                    gsize       len,
                    gboolean    ensure_ascii)
{
  const char *end = s + len;

  g_string_append_c (out, '"');
  while (s < end)
    {
      guchar c = (guchar) *s;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); s++; continue;
        case '\\': g_string_append (out, "\\\\"); s++; continue;
        case '\n': g_string_append (out, "\\n"); s++; continue;
        case '\r': g_string_append (out, "\\r"); s++; continue;
        case '\t': g_string_append (out, "\\t"); s++; continue;
        case '\b': g_string_append (out, "\\b"); s++; continue;
        case '\f': g_string_append (out, "\\f"); s++; continue;
        default:
          break;
        }
      if (c < 0x20 || (ensure_ascii && c == 0x7f))
        {
          g_string_append_printf (out, "\\u%04x", c);
          s++;
        }
      else if (c < 0x80 || !ensure_ascii)
        {
          g_string_append_c (out, (char) c);
          s++;
        }
      else
        {
          gunichar u = g_utf8_get_char_validated (s, end - s);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              g_string_append_printf (out, "\\u%04x", c);
              s++;
              continue;
            }
          if (u >= 0x10000)
            {
              u -= 0x10000;
              g_string_append_printf (out, "\\u%04x\\u%04x",
                                      0xd800 + (u >> 10), 0xdc00 + (u & 0x3ff));
            }
          else
            g_string_append_printf (out, "\\u%04x", u);
          s = g_utf8_next_char (s);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
append_newline_indent (GString *out,
                       int      indent,
                       int      level)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < indent * level; i++)
    g_string_append_c (out, ' ');
}

static gboolean
append_json (GString     *out,
             JValue      *v,
             int          indent,
             int          level,
             const char  *item_sep,
             const char  *key_sep,
             gboolean     sort_keys,
             gboolean     ensure_ascii,
             GError     **error)
{
  if (level > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "tojson: value nested too deeply");
      return FALSE;
    }
  switch (v->type)
    {
    case JV_NONE:
      g_string_append (out, "null");
      return TRUE;
    case JV_BOOL:
      g_string_append (out, v->b ? "true" : "false");
      return TRUE;
    case JV_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->i);
      return TRUE;
    case JV_FLOAT:
      if (isnan (v->f))
        g_string_append (out, "NaN");
      else if (isinf (v->f))
        g_string_append (out, v->f < 0 ? "-Infinity" : "Infinity");
      else
        jv_append_float (out, v->f);
      return TRUE;
    case JV_STRING:
      append_json_string (out, v->str.s, v->str.len, ensure_ascii);
      return TRUE;
    case JV_LIST:
      if (v->list->len == 0)
        {
          g_string_append (out, "[]");
          return TRUE;
        }
      g_string_append_c (out, '[');
      for (guint i = 0; i < v->list->len; i++)
        {
          if (i > 0)
            g_string_append (out, item_sep);
          if (indent >= 0)
            append_newline_indent (out, indent, level + 1);
          if (!append_json (out, v->list->pdata[i], indent, level + 1, item_sep, key_sep,
                            sort_keys, ensure_ascii, error))
            return FALSE;
        }
      if (indent >= 0)
        append_newline_indent (out, indent, level);
      g_string_append_c (out, ']');
      return TRUE;
    case JV_DICT:
      {
        g_autoptr(GPtrArray) keys = NULL;

        if (v->dict.keys->len == 0)
          {
            g_string_append (out, "{}");
            return TRUE;
          }
        keys = g_ptr_array_sized_new (v->dict.keys->len);
        for (guint i = 0; i < v->dict.keys->len; i++)
          g_ptr_array_add (keys, v->dict.keys->pdata[i]);
        if (sort_keys)
          g_ptr_array_sort (keys, compare_keys);
        g_string_append_c (out, '{');
        for (guint i = 0; i < keys->len; i++)
          {
            const char *key = keys->pdata[i];

            if (i > 0)
              g_string_append (out, item_sep);
            if (indent >= 0)
              append_newline_indent (out, indent, level + 1);
            append_json_string (out, key, strlen (key), ensure_ascii);
            g_string_append (out, key_sep);
            if (!append_json (out, jv_dict_get (v, key), indent, level + 1, item_sep, key_sep,
                              sort_keys, ensure_ascii, error))
              return FALSE;
          }
        if (indent >= 0)
          append_newline_indent (out, indent, level);
        g_string_append_c (out, '}');
        return TRUE;
      }
    case JV_UNDEFINED:
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RENDER,
                   "Object of type %s is not JSON serializable", jv_type_name (v));
      return FALSE;
    }
}

gboolean
jv_append_json (GString     *out,
                JValue      *v,
                int          indent,
                const char  *item_sep,
                const char  *key_sep,
                gboolean     sort_keys,
                gboolean     ensure_ascii,
                GError     **error)
{
  if (item_sep == NULL)
    item_sep = indent >= 0 ? "," : ", ";
  if (key_sep == NULL)
    key_sep = ": ";
  return append_json (out, v, indent, 0, item_sep, key_sep, sort_keys, ensure_ascii, error);
}

JValue *
jv_from_json (JsonNode   *node,
              GHashTable *marked)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return jv_none ();
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JValue *list = jv_list ();

        for (guint i = 0; i < json_array_get_length (array); i++)
          jv_list_append (list, jv_from_json (json_array_get_element (array, i), marked));
        return list;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        JValue *dict = jv_dict ();

        for (GList *l = members; l != NULL; l = l->next)
          jv_dict_set (dict, l->data,
                       jv_from_json (json_object_get_member (object, l->data), marked));
        return dict;
      }
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return jv_bool (json_node_get_boolean (node));
        case G_TYPE_DOUBLE:
          return jv_float (json_node_get_double (node));
        case G_TYPE_STRING:
          {
            JValue *s = jv_string (json_node_get_string (node), -1);

            if (marked != NULL && g_hash_table_contains (marked, node))
              jv_string_mark_all (s);
            return s;
          }
        default:
          return jv_int (json_node_get_int (node));
        }
    }
}
