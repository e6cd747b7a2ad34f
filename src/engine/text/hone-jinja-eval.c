/* hone-jinja-eval.c — the evaluator: statements, expressions, scopes and loops.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Semantics follow jinja2 with Python values: each loop iteration and each macro call
 * has its own scope ({% set %} inside a loop does not leak out), `if` has none;
 * undefined values print as "" and are false, but using their attributes fails.
 * Filters, tests and methods live in hone-jinja-builtins.c.
 */
#define G_LOG_DOMAIN "hone-jinja"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "hone-jinja-private.h"

enum
{
  CONTROL_NONE,
  CONTROL_BREAK,
  CONTROL_CONTINUE,
};

static JFrame *
frame_new (JFrame *parent)
{
  JFrame *frame = g_new0 (JFrame, 1);

  frame->parent = parent;
  frame->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) jv_unref);
  return frame;
}

static void
frame_free (JFrame *frame)
{
  g_hash_table_unref (frame->vars);
  g_free (frame);
}

gboolean
jctx_fail (JCtx        *ctx,
           const JNode *node,
           GError     **error,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_RENDER, "line %d: %s",
               node != NULL ? node->line : 0, message);
  return FALSE;
}

gboolean
jctx_undefined_error (JCtx        *ctx,
                      const JNode *node,
                      JValue      *v,
                      GError     **error)
{
  return jctx_fail (ctx, node, error, "%s", v->hint ? v->hint : "undefined value");
}

gboolean
jctx_count_iterations (JCtx         *ctx,
                       const JNode  *node,
                       guint64       n,
                       GError      **error)
{
  ctx->iterations += n;
  if (ctx->iterations > HONE_JINJA_MAX_ITERATIONS)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: more than %d loop iterations", node ? node->line : 0,
                   HONE_JINJA_MAX_ITERATIONS);
      return FALSE;
    }
  return TRUE;
}

static JValue *
lookup (JCtx       *ctx,
        const char *name)
{
  static const char *globals[] = {
    "range", "namespace", "raise_exception", "strftime_now", "dict",
  };

  for (JFrame *f = ctx->frame; f != NULL; f = f->parent)
    {
      JValue *v = g_hash_table_lookup (f->vars, name);

      if (v != NULL)
        return jv_ref (v);
    }
  for (guint i = 0; i < G_N_ELEMENTS (globals); i++)
    if (strcmp (name, globals[i]) == 0)
      return jv_function (name, NULL);
  return jv_undefined ("'%s' is undefined", name);
}

static void
assign (JCtx       *ctx,
        const char *name,
        JValue     *v)
{
  g_hash_table_insert (ctx->frame->vars, g_strdup (name), v);
}

static gboolean
write_value (JCtx     *ctx,
             JValue   *v,
             GError  **error)
{
  gsize offset = ctx->out->len;

  if (v->type == JV_STRING)
    {
      g_string_append_len (ctx->out, v->str.s, v->str.len);
      if (v->str.spans != NULL)
        for (guint i = 0; i < v->str.spans->len; i++)
          {
            HoneJinjaSpan span = g_array_index (v->str.spans, HoneJinjaSpan, i);

            span.start += offset;
            span.end += offset;
            g_array_append_val (ctx->spans, span);
          }
    }
  else
    jv_append_str (ctx->out, v);
  if (ctx->out->len > HONE_JINJA_MAX_OUTPUT)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "the template's output is larger than %u MiB",
                   HONE_JINJA_MAX_OUTPUT >> 20);
      return FALSE;
    }
  return TRUE;
}

JValue *
jv_concat (JValue *a,
           JValue *b)
{
  GString *s = g_string_sized_new (a->str.len + b->str.len);
  GArray *spans = NULL;
  JValue *result;
  gsize len;

  g_string_append_len (s, a->str.s, a->str.len);
  g_string_append_len (s, b->str.s, b->str.len);
  if (a->str.spans != NULL || b->str.spans != NULL)
    {
      spans = g_array_new (FALSE, FALSE, sizeof (HoneJinjaSpan));
      if (a->str.spans != NULL)
        g_array_append_vals (spans, a->str.spans->data, a->str.spans->len);
      if (b->str.spans != NULL)
        for (guint i = 0; i < b->str.spans->len; i++)
          {
            HoneJinjaSpan span = g_array_index (b->str.spans, HoneJinjaSpan, i);

            span.start += a->str.len;
            span.end += a->str.len;
            g_array_append_val (spans, span);
          }
    }
  len = s->len;
  result = jv_string_take (g_string_free (s, FALSE), len);
  result->str.spans = spans;
  return result;
}

JValue *
jv_to_string (JValue *v)
{
  GString *s;
  gsize len;

  if (v->type == JV_STRING)
    return jv_ref (v);
  s = g_string_new (NULL);
  jv_append_str (s, v);
  len = s->len;
  return jv_string_take (g_string_free (s, FALSE), len);
}

GPtrArray *
jv_iterate (JValue *v)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);

  switch (v->type)
    {
    case JV_LIST:
      for (guint i = 0; i < v->list->len; i++)
        g_ptr_array_add (items, jv_ref (v->list->pdata[i]));
      return items;
    case JV_DICT:
      for (guint i = 0; i < v->dict.keys->len; i++)
        g_ptr_array_add (items, jv_string (v->dict.keys->pdata[i], -1));
      return items;
    case JV_STRING:
      for (const char *p = v->str.s; p < v->str.s + v->str.len; p = g_utf8_next_char (p))
        {
          JValue *c = jv_string (p, g_utf8_next_char (p) - p);

          if (jv_string_all_marked (v))
            jv_string_mark_all (c);
          g_ptr_array_add (items, c);
        }
      return items;
    case JV_UNDEFINED:
      return items;
    case JV_NONE:
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_NAMESPACE:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      g_ptr_array_unref (items);
      return NULL;
    }
}

JValue *
jv_getattr (JValue     *obj,
            const char *name)
{
  JValue *v;

  if (jinja_is_method (obj, name))
    return jv_function (name, obj);
  if (obj->type == JV_DICT || obj->type == JV_NAMESPACE)
    {
      if ((v = jv_dict_get (obj, name)) != NULL)
        return jv_ref (v);
    }
  return jv_undefined ("'%s object' has no attribute '%s'", jv_type_name (obj), name);
}

static gboolean
is_number (JValue *v)
{
  return v->type == JV_INT || v->type == JV_FLOAT || v->type == JV_BOOL;
}

static double
number (JValue *v)
{
  return v->type == JV_FLOAT ? v->f : v->type == JV_INT ? (double) v->i : (double) v->b;
}

static gint64
integer (JValue *v)
{
  return v->type == JV_INT ? v->i : (gint64) v->b;
}

int
jv_compare (JValue *a,
            JValue *b)
{
  if (is_number (a) && is_number (b))
    {
      if (a->type != JV_FLOAT && b->type != JV_FLOAT)
        return integer (a) < integer (b) ? -1 : integer (a) > integer (b);
      if (isnan (number (a)) || isnan (number (b)))
        return 2;
      return number (a) < number (b) ? -1 : number (a) > number (b);
    }
  if (a->type == JV_STRING && b->type == JV_STRING)
    {
      int c = memcmp (a->str.s, b->str.s, MIN (a->str.len, b->str.len));

      if (c == 0)
        return a->str.len < b->str.len ? -1 : a->str.len > b->str.len;
      return c < 0 ? -1 : 1;
    }
  if (a->type == JV_LIST && b->type == JV_LIST)
    {
      for (guint i = 0; i < a->list->len && i < b->list->len; i++)
        if (!jv_equal (a->list->pdata[i], b->list->pdata[i]))
          return jv_compare (a->list->pdata[i], b->list->pdata[i]);
      return a->list->len < b->list->len ? -1 : a->list->len > b->list->len;
    }
  return 2;
}

static JValue *eval (JCtx *ctx, const JNode *node, GError **error);
static gboolean exec_body (JCtx *ctx, GPtrArray *body, GError **error);

/* Evaluates a call's arguments into @args (positional, then keyword values). */
static GPtrArray *
eval_args (JCtx         *ctx,
           const JNode  *node,
           GError      **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);

  for (guint i = 0; node->args != NULL && i < node->args->len; i++)
    {
      JValue *v = eval (ctx, node->args->pdata[i], error);

      if (v == NULL)
        return NULL;
      g_ptr_array_add (args, v);
    }
  return g_steal_pointer (&args);
}

static JValue *
call_macro (JCtx         *ctx,
            const JNode  *node,
            const JNode  *macro,
            GPtrArray    *args,
            GPtrArray    *names,
            GError      **error)
{
  guint n_positional = args->len - (names ? names->len : 0);
  JFrame *saved_frame = ctx->frame;
  GString *saved_out = ctx->out;
  GArray *saved_spans = ctx->spans;
  JValue *result = NULL;
  gboolean ok = TRUE;

  if (n_positional > macro->names->len)
    {
      jctx_fail (ctx, node, error, "macro '%s' takes not more than %u arguments",
                 macro->name, macro->names->len);
      return NULL;
    }
  ctx->frame = frame_new (ctx->root);
  ctx->out = g_string_new (NULL);
  ctx->spans = g_array_new (FALSE, FALSE, sizeof (HoneJinjaSpan));
  for (guint i = 0; i < macro->names->len && ok; i++)
    {
      const char *param = macro->names->pdata[i];
      JValue *v = NULL;

      if (i < n_positional)
        v = jv_ref (args->pdata[i]);
      for (guint k = 0; names != NULL && k < names->len; k++)
        if (strcmp (names->pdata[k], param) == 0)
          v = jv_ref (args->pdata[n_positional + k]);
      if (v == NULL && macro->args->pdata[i] != NULL)
        ok = (v = eval (ctx, macro->args->pdata[i], error)) != NULL;
      if (v == NULL && ok)
        v = jv_undefined ("'%s' is undefined", param);
      if (ok)
        assign (ctx, param, v);
    }
  for (guint k = 0; ok && names != NULL && k < names->len; k++)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < macro->names->len; i++)
        known |= strcmp (names->pdata[k], macro->names->pdata[i]) == 0;
      if (!known)
        ok = jctx_fail (ctx, node, error, "macro '%s' takes no keyword argument '%s'",
                        macro->name, (char *) names->pdata[k]);
    }
  if (ok)
    ok = exec_body (ctx, macro->body, error);
  ctx->control = CONTROL_NONE;
  if (ok)
    {
      gsize len = ctx->out->len;

      result = jv_string_take (g_string_free (ctx->out, FALSE), len);
      if (ctx->spans->len > 0)
        result->str.spans = g_array_ref (ctx->spans);
    }
  else
    g_string_free (ctx->out, TRUE);
  g_array_unref (ctx->spans);
  frame_free (ctx->frame);
  ctx->frame = saved_frame;
  ctx->out = saved_out;
  ctx->spans = saved_spans;
  return result;
}

JValue *
jctx_call (JCtx         *ctx,
           const JNode  *node,
           JValue       *callee,
           GPtrArray    *args,
           GPtrArray    *names,
           GError      **error)
{
  JValue *result;

  if (++ctx->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: calls nested too deeply", node->line);
      return NULL;
    }
  switch (callee->type)
    {
    case JV_MACRO:
      result = call_macro (ctx, node, callee->macro.node, args, names, error);
      break;
    case JV_FUNCTION:
      result = jinja_function (ctx, node, callee, args, names, error);
      break;
    case JV_UNDEFINED:
      jctx_undefined_error (ctx, node, callee, error);
      result = NULL;
      break;
    case JV_NONE:
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_STRING:
    case JV_LIST:
    case JV_DICT:
    case JV_NAMESPACE:
    default:
      jctx_fail (ctx, node, error, "'%s' object is not callable", jv_type_name (callee));
      result = NULL;
      break;
    }
  ctx->depth--;
  return result;
}

static JValue *
getitem (JCtx         *ctx,
         const JNode  *node,
         JValue       *obj,
         JValue       *key,
         GError      **error)
{
  if (obj->type == JV_UNDEFINED)
    {
      jctx_undefined_error (ctx, node, obj, error);
      return NULL;
    }
  if ((obj->type == JV_DICT || obj->type == JV_NAMESPACE) && key->type == JV_STRING)
    {
      JValue *v = jv_dict_get (obj, key->str.s);

      if (v != NULL)
        return jv_ref (v);
      return jv_getattr (obj, key->str.s);
    }
  if ((obj->type == JV_LIST || obj->type == JV_STRING)
      && (key->type == JV_INT || key->type == JV_BOOL))
    {
      gint64 i = integer (key);
      gint64 n = obj->type == JV_LIST ? obj->list->len
                                      : g_utf8_strlen (obj->str.s, obj->str.len);

      if (i < 0)
        i += n;
      if (i < 0 || i >= n)
        return jv_undefined ("%s index out of range", jv_type_name (obj));
      if (obj->type == JV_LIST)
        return jv_ref (obj->list->pdata[i]);
      {
        const char *p = g_utf8_offset_to_pointer (obj->str.s, i);
        JValue *c = jv_string (p, g_utf8_next_char (p) - p);

        if (jv_string_all_marked (obj))
          jv_string_mark_all (c);
        return c;
      }
    }
  if (key->type == JV_STRING)
    return jv_getattr (obj, key->str.s);
  return jv_undefined ("'%s object' has no item", jv_type_name (obj));
}

static gboolean
slice_bound (JCtx         *ctx,
             const JNode  *node,
             JValue       *v,
             gint64       *out,
             GError      **error)
{
  if (v == NULL || v->type == JV_NONE)
    return TRUE;
  if (v->type != JV_INT && v->type != JV_BOOL)
    return jctx_fail (ctx, node, error, "slice indices must be integers or None");
  *out = integer (v);
  return TRUE;
}

static JValue *
eval_slice (JCtx         *ctx,
            const JNode  *node,
            JValue       *obj,
            GError      **error)
{
  g_autoptr(JValue) start_v = NULL, stop_v = NULL, step_v = NULL;
  JValue **bounds[3] = { &start_v, &stop_v, &step_v };
  gint64 n, start, stop, step = 1;
  gboolean has_start, has_stop;
  g_autofree const char **chars = NULL;
  JValue *result;

  for (guint i = 0; i < 3; i++)
    if (node->args->pdata[i] != NULL
        && (*bounds[i] = eval (ctx, node->args->pdata[i], error)) == NULL)
      return NULL;
  if (!slice_bound (ctx, node, step_v, &step, error))
    return NULL;
  if (step == 0)
    {
      jctx_fail (ctx, node, error, "slice step cannot be zero");
      return NULL;
    }
  if (obj->type == JV_LIST)
    n = obj->list->len;
  else if (obj->type == JV_STRING)
    {
      const char *p = obj->str.s;

      n = g_utf8_strlen (obj->str.s, obj->str.len);
      chars = g_new (const char *, n + 1);
      for (gint64 i = 0; i <= n; i++, p = i <= n ? g_utf8_next_char (p) : p)
        chars[i] = p;
    }
  else if (obj->type == JV_UNDEFINED)
    {
      jctx_undefined_error (ctx, node, obj, error);
      return NULL;
    }
  else
    {
      jctx_fail (ctx, node, error, "'%s' object is not subscriptable", jv_type_name (obj));
      return NULL;
    }
  has_start = start_v != NULL && start_v->type != JV_NONE;
  has_stop = stop_v != NULL && stop_v->type != JV_NONE;
  start = step > 0 ? 0 : n - 1;
  stop = step > 0 ? n : -1;
  if (has_start)
    {
      if (!slice_bound (ctx, node, start_v, &start, error))
        return NULL;
      if (start < 0)
        start = MAX (start + n, step > 0 ? 0 : -1);
      else
        start = MIN (start, step > 0 ? n : n - 1);
    }
  if (has_stop)
    {
      if (!slice_bound (ctx, node, stop_v, &stop, error))
        return NULL;
      if (stop < 0)
        stop = MAX (stop + n, step > 0 ? 0 : -1);
      else
        stop = MIN (stop, step > 0 ? n : n - 1);
    }
  if (obj->type == JV_LIST)
    {
      result = jv_list ();
      result->tuple = obj->tuple;
      for (gint64 i = start; step > 0 ? i < stop : i > stop; i += step)
        jv_list_append (result, jv_ref (obj->list->pdata[i]));
      return result;
    }
  {
    GString *s = g_string_new (NULL);
    gsize len;

    for (gint64 i = start; step > 0 ? i < stop : i > stop; i += step)
      g_string_append_len (s, chars[i], chars[i + 1] - chars[i]);
    len = s->len;
    result = jv_string_take (g_string_free (s, FALSE), len);
    if (jv_string_all_marked (obj))
      jv_string_mark_all (result);
    return result;
  }
}

static JValue *
type_error (JCtx         *ctx,
            const JNode  *node,
            const char   *op,
            JValue       *a,
            JValue       *b,
            GError      **error)
{
  if (a->type == JV_UNDEFINED)
    jctx_undefined_error (ctx, node, a, error);
  else if (b->type == JV_UNDEFINED)
    jctx_undefined_error (ctx, node, b, error);
  else
    jctx_fail (ctx, node, error, "unsupported operand type(s) for %s: '%s' and '%s'", op,
               jv_type_name (a), jv_type_name (b));
  return NULL;
}

static JValue *
repeat (JValue *seq,
        gint64  times)
{
  JValue *result;

  if (seq->type == JV_LIST)
    {
      result = jv_list ();
      for (gint64 t = 0; t < times; t++)
        for (guint i = 0; i < seq->list->len; i++)
          jv_list_append (result, jv_ref (seq->list->pdata[i]));
      return result;
    }
  {
    GString *s = g_string_new (NULL);
    gsize len;

    for (gint64 t = 0; t < times; t++)
      g_string_append_len (s, seq->str.s, seq->str.len);
    len = s->len;
    return jv_string_take (g_string_free (s, FALSE), len);
  }
}

static double
py_fmod (double a,
         double b)
{
  double m = fmod (a, b);

  if (m != 0 && ((m < 0) != (b < 0)))
    m += b;
  return m;
}

static JValue *
binary (JCtx         *ctx,
        const JNode  *node,
        int           op,
        JValue       *a,
        JValue       *b,
        GError      **error)
{
  char opname[3] = { (char) op, 0, 0 };

  if (op == 'f')
    strcpy (opname, "//");
  else if (op == 'p')
    strcpy (opname, "**");
  if (op == '~' || (op == '+' && a->type == JV_STRING && b->type == JV_STRING))
    {
      g_autoptr(JValue) sa = jv_to_string (a);
      g_autoptr(JValue) sb = jv_to_string (b);

      if (sa->str.len + sb->str.len > HONE_JINJA_MAX_OUTPUT)
        {
          g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                       "line %d: string longer than %u MiB", node->line,
                       HONE_JINJA_MAX_OUTPUT >> 20);
          return NULL;
        }
      return jv_concat (sa, sb);
    }
  if (op == '+' && a->type == JV_LIST && b->type == JV_LIST)
    {
      JValue *result = jv_list ();

      for (guint i = 0; i < a->list->len; i++)
        jv_list_append (result, jv_ref (a->list->pdata[i]));
      for (guint i = 0; i < b->list->len; i++)
        jv_list_append (result, jv_ref (b->list->pdata[i]));
      return result;
    }
  if (op == '*' && (a->type == JV_STRING || a->type == JV_LIST)
      && (b->type == JV_INT || b->type == JV_BOOL))
    {
      gint64 times = integer (b);
      gsize unit = a->type == JV_STRING ? a->str.len : a->list->len * sizeof (gpointer);

      if (times > 0 && unit > 0 && (guint64) times > HONE_JINJA_MAX_OUTPUT / unit)
        {
          g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                       "line %d: repetition too large", node->line);
          return NULL;
        }
      return repeat (a, times);
    }
  if (op == '*' && (b->type == JV_STRING || b->type == JV_LIST)
      && (a->type == JV_INT || a->type == JV_BOOL))
    return binary (ctx, node, op, b, a, error);
  if (!is_number (a) || !is_number (b))
    return type_error (ctx, node, opname, a, b, error);

  if (a->type != JV_FLOAT && b->type != JV_FLOAT && op != '/')
    {
      gint64 x = integer (a), y = integer (b);

      switch (op)
        {
        case '+': return jv_int ((gint64) ((guint64) x + (guint64) y));
        case '-': return jv_int ((gint64) ((guint64) x - (guint64) y));
        case '*': return jv_int ((gint64) ((guint64) x * (guint64) y));
        case 'f':
        case '%':
          {
            gint64 q, m;

            if (y == 0)
              {
                jctx_fail (ctx, node, error, "integer division or modulo by zero");
                return NULL;
              }
            if (y == -1)
              return jv_int (op == 'f' ? (gint64) (0 - (guint64) x) : 0);
            q = x / y;
            m = x % y;
            if (m != 0 && ((m < 0) != (y < 0)))
              {
                q--;
                m += y;
              }
            return jv_int (op == 'f' ? q : m);
          }
        case 'p':
          if (y >= 0)
            {
              gint64 r = 1;

              for (gint64 i = 0; i < y && i < 64; i++)
                r = (gint64) ((guint64) r * (guint64) x);
              return jv_int (r);
            }
          return jv_float (pow ((double) x, (double) y));
        default:
          break;
        }
    }
  {
    double x = number (a), y = number (b);

    switch (op)
      {
      case '+': return jv_float (x + y);
      case '-': return jv_float (x - y);
      case '*': return jv_float (x * y);
      case '/':
        if (y == 0)
          {
            jctx_fail (ctx, node, error, "division by zero");
            return NULL;
          }
        return jv_float (x / y);
      case 'f':
        if (y == 0)
          {
            jctx_fail (ctx, node, error, "float floor division by zero");
            return NULL;
          }
        return jv_float (floor (x / y));
      case '%':
        if (y == 0)
          {
            jctx_fail (ctx, node, error, "float modulo");
            return NULL;
          }
        return jv_float (py_fmod (x, y));
      case 'p':
        return jv_float (pow (x, y));
      default:
        return type_error (ctx, node, opname, a, b, error);
      }
  }
}

/* `a in b`: 1, 0, or -1 with @error set. */
static int
contains (JCtx         *ctx,
          const JNode  *node,
          JValue       *a,
          JValue       *b,
          GError      **error)
{
  switch (b->type)
    {
    case JV_STRING:
      if (a->type != JV_STRING)
        {
          jctx_fail (ctx, node, error, "'in <string>' requires string as left operand, not %s",
                     jv_type_name (a));
          return -1;
        }
      if (a->str.len == 0)
        return 1;
      if (a->str.len > b->str.len)
        return 0;
      for (gsize i = 0; i + a->str.len <= b->str.len; i++)
        if (memcmp (b->str.s + i, a->str.s, a->str.len) == 0)
          return 1;
      return 0;
    case JV_LIST:
      for (guint i = 0; i < b->list->len; i++)
        if (jv_equal (a, b->list->pdata[i]))
          return 1;
      return 0;
    case JV_DICT:
    case JV_NAMESPACE:
      return a->type == JV_STRING && jv_dict_get (b, a->str.s) != NULL;
    case JV_UNDEFINED:
      return 0;
    case JV_NONE:
    case JV_BOOL:
    case JV_INT:
    case JV_FLOAT:
    case JV_MACRO:
    case JV_FUNCTION:
    default:
      jctx_fail (ctx, node, error, "argument of type '%s' is not iterable", jv_type_name (b));
      return -1;
    }
}

static int
compare_op (JCtx         *ctx,
            const JNode  *node,
            const char   *op,
            JValue       *a,
            JValue       *b,
            GError      **error)
{
  int c;

  if (strcmp (op, "==") == 0)
    return jv_equal (a, b);
  if (strcmp (op, "!=") == 0)
    return !jv_equal (a, b);
  if (strcmp (op, "in") == 0)
    return contains (ctx, node, a, b, error);
  if (strcmp (op, "notin") == 0)
    {
      c = contains (ctx, node, a, b, error);
      return c < 0 ? -1 : !c;
    }
  c = jv_compare (a, b);
  if (c == 2)
    {
      if (a->type == JV_UNDEFINED)
        jctx_undefined_error (ctx, node, a, error);
      else if (b->type == JV_UNDEFINED)
        jctx_undefined_error (ctx, node, b, error);
      else if (is_number (a) && is_number (b))
        return 0;
      else
        jctx_fail (ctx, node, error, "'%s' not supported between instances of '%s' and '%s'",
                   op, jv_type_name (a), jv_type_name (b));
      return -1;
    }
  if (strcmp (op, "<") == 0)
    return c < 0;
  if (strcmp (op, "<=") == 0)
    return c <= 0;
  if (strcmp (op, ">") == 0)
    return c > 0;
  return c >= 0;
}

static JValue *
eval_inner (JCtx         *ctx,
            const JNode  *node,
            GError      **error)
{
  switch (node->kind)
    {
    case JN_LITERAL:
      return jv_ref (node->value);
    case JN_NAME:
      return lookup (ctx, node->name);
    case JN_GETATTR:
      {
        g_autoptr(JValue) obj = eval (ctx, node->a, error);

        if (obj == NULL)
          return NULL;
        if (obj->type == JV_UNDEFINED)
          {
            jctx_undefined_error (ctx, node, obj, error);
            return NULL;
          }
        return jv_getattr (obj, node->name);
      }
    case JN_GETITEM:
      {
        g_autoptr(JValue) obj = eval (ctx, node->a, error);
        g_autoptr(JValue) key = NULL;

        if (obj == NULL || (key = eval (ctx, node->b, error)) == NULL)
          return NULL;
        return getitem (ctx, node, obj, key, error);
      }
    case JN_SLICE:
      {
        g_autoptr(JValue) obj = eval (ctx, node->a, error);

        if (obj == NULL)
          return NULL;
        return eval_slice (ctx, node, obj, error);
      }
    case JN_CALL:
      {
        g_autoptr(JValue) callee = eval (ctx, node->a, error);
        g_autoptr(GPtrArray) args = NULL;

        if (callee == NULL || (args = eval_args (ctx, node, error)) == NULL)
          return NULL;
        return jctx_call (ctx, node, callee, args, node->names, error);
      }
    case JN_FILTER:
      {
        g_autoptr(JValue) value = eval (ctx, node->a, error);
        g_autoptr(GPtrArray) args = NULL;

        if (value == NULL || (args = eval_args (ctx, node, error)) == NULL)
          return NULL;
        return jinja_filter (ctx, node, node->name, value, args, node->names, error);
      }
    case JN_TEST:
      {
        g_autoptr(JValue) value = eval (ctx, node->a, error);
        g_autoptr(GPtrArray) args = NULL;
        int r;

        if (value == NULL || (args = eval_args (ctx, node, error)) == NULL)
          return NULL;
        if ((r = jinja_test (ctx, node, node->name, value, args, node->names, error)) < 0)
          return NULL;
        return jv_bool (node->op ? !r : r);
      }
    case JN_UNARY:
      {
        g_autoptr(JValue) a = eval (ctx, node->a, error);

        if (a == NULL)
          return NULL;
        if (node->op == 'n')
          return jv_bool (!jv_truthy (a));
        if (a->type == JV_INT || a->type == JV_BOOL)
          return jv_int (node->op == '-' ? -integer (a) : integer (a));
        if (a->type == JV_FLOAT)
          return jv_float (node->op == '-' ? -a->f : a->f);
        if (a->type == JV_UNDEFINED)
          jctx_undefined_error (ctx, node, a, error);
        else
          jctx_fail (ctx, node, error, "bad operand type for unary %c: '%s'", node->op,
                     jv_type_name (a));
        return NULL;
      }
    case JN_BINARY:
      {
        g_autoptr(JValue) a = eval (ctx, node->a, error);
        g_autoptr(JValue) b = NULL;

        if (a == NULL || (b = eval (ctx, node->b, error)) == NULL)
          return NULL;
        return binary (ctx, node, node->op, a, b, error);
      }
    case JN_COMPARE:
      {
        g_autoptr(JValue) left = eval (ctx, node->args->pdata[0], error);

        if (left == NULL)
          return NULL;
        for (guint i = 0; i < node->names->len; i++)
          {
            JValue *right = eval (ctx, node->args->pdata[i + 1], error);
            int r;

            if (right == NULL)
              return NULL;
            r = compare_op (ctx, node, node->names->pdata[i], left, right, error);
            jv_unref (left);
            left = right;
            if (r < 0)
              return NULL;
            if (r == 0)
              return jv_bool (FALSE);
          }
        return jv_bool (TRUE);
      }
    case JN_AND:
    case JN_OR:
      {
        JValue *a = eval (ctx, node->a, error);

        if (a == NULL)
          return NULL;
        if (jv_truthy (a) == (node->kind == JN_OR))
          return a;
        jv_unref (a);
        return eval (ctx, node->b, error);
      }
    case JN_COND:
      {
        g_autoptr(JValue) cond = eval (ctx, node->a, error);

        if (cond == NULL)
          return NULL;
        if (jv_truthy (cond))
          return eval (ctx, node->b, error);
        if (node->c != NULL)
          return eval (ctx, node->c, error);
        return jv_undefined ("the inline if expression evaluated to false and no else "
                             "section was defined");
      }
    case JN_LIST:
    case JN_TUPLE:
      {
        g_autoptr(GPtrArray) items = eval_args (ctx, node, error);
        JValue *list;

        if (items == NULL)
          return NULL;
        list = jv_list ();
        list->tuple = node->kind == JN_TUPLE;
        for (guint i = 0; i < items->len; i++)
          jv_list_append (list, jv_ref (items->pdata[i]));
        return list;
      }
    case JN_DICT:
      {
        g_autoptr(GPtrArray) items = eval_args (ctx, node, error);
        g_autoptr(JValue) dict = NULL;

        if (items == NULL)
          return NULL;
        dict = jv_dict ();
        for (guint i = 0; i + 1 < items->len; i += 2)
          {
            JValue *key = items->pdata[i];

            if (key->type != JV_STRING)
              {
                jctx_fail (ctx, node, error, "unsupported: dict keys that are not strings");
                return NULL;
              }
            jv_dict_set (dict, key->str.s, jv_ref (items->pdata[i + 1]));
          }
        return g_steal_pointer (&dict);
      }
    case JN_TEXT:
    case JN_OUTPUT:
    case JN_IF:
    case JN_FOR:
    case JN_SET:
    case JN_SET_BLOCK:
    case JN_MACRO:
    case JN_BREAK:
    case JN_CONTINUE:
    default:
      jctx_fail (ctx, node, error, "not an expression");
      return NULL;
    }
}

static JValue *
eval (JCtx         *ctx,
      const JNode  *node,
      GError      **error)
{
  JValue *v;

  if (++ctx->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: evaluation nested too deeply", node->line);
      return NULL;
    }
  v = eval_inner (ctx, node, error);
  ctx->depth--;
  return v;
}

/* Binds loop or set targets: one name takes the value, several unpack it. */
static gboolean
bind_targets (JCtx         *ctx,
              const JNode  *node,
              GPtrArray    *names,
              JValue       *value,
              GError      **error)
{
  g_autoptr(GPtrArray) items = NULL;

  if (names->len == 1)
    {
      assign (ctx, names->pdata[0], jv_ref (value));
      return TRUE;
    }
  items = jv_iterate (value);
  if (items == NULL || items->len != names->len)
    return jctx_fail (ctx, node, error, "cannot unpack %s into %u names",
                      jv_type_name (value), names->len);
  for (guint i = 0; i < names->len; i++)
    assign (ctx, names->pdata[i], jv_ref (items->pdata[i]));
  return TRUE;
}

static gboolean
exec_for (JCtx         *ctx,
          const JNode  *node,
          GError      **error)
{
  g_autoptr(JValue) iterable = eval (ctx, node->a, error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JFrame *outer = ctx->frame;
  gboolean ok = TRUE;

  if (iterable == NULL)
    return FALSE;
  if ((all = jv_iterate (iterable)) == NULL)
    return jctx_fail (ctx, node, error, "'%s' object is not iterable",
                      jv_type_name (iterable));
  if (!jctx_count_iterations (ctx, node, all->len, error))
    return FALSE;
  if (node->b != NULL)
    {
      /* `for x in xs if cond`: filter first, so loop.length and loop.last count only
       * the items kept. */
      items = g_ptr_array_new_with_free_func ((GDestroyNotify) jv_unref);
      for (guint i = 0; i < all->len && ok; i++)
        {
          g_autoptr(JValue) cond = NULL;

          ctx->frame = frame_new (outer);
          ok = bind_targets (ctx, node, node->names, all->pdata[i], error)
               && (cond = eval (ctx, node->b, error)) != NULL;
          if (ok && jv_truthy (cond))
            g_ptr_array_add (items, jv_ref (all->pdata[i]));
          frame_free (ctx->frame);
          ctx->frame = outer;
        }
      if (!ok)
        return FALSE;
    }
  else
    items = g_ptr_array_ref (all);

  for (guint i = 0; i < items->len && ok; i++)
    {
      JValue *loop = jv_dict ();
      guint n = items->len;

      jv_dict_set (loop, "index", jv_int (i + 1));
      jv_dict_set (loop, "index0", jv_int (i));
      jv_dict_set (loop, "revindex", jv_int (n - i));
      jv_dict_set (loop, "revindex0", jv_int (n - i - 1));
      jv_dict_set (loop, "first", jv_bool (i == 0));
      jv_dict_set (loop, "last", jv_bool (i + 1 == n));
      jv_dict_set (loop, "length", jv_int (n));
      jv_dict_set (loop, "depth", jv_int (1));
      jv_dict_set (loop, "depth0", jv_int (0));
      jv_dict_set (loop, "previtem", i > 0 ? jv_ref (items->pdata[i - 1])
                                           : jv_undefined ("there is no previous item"));
      jv_dict_set (loop, "nextitem", i + 1 < n ? jv_ref (items->pdata[i + 1])
                                               : jv_undefined ("there is no next item"));
      ctx->frame = frame_new (outer);
      assign (ctx, "loop", loop);
      ok = bind_targets (ctx, node, node->names, items->pdata[i], error)
           && exec_body (ctx, node->body, error);
      frame_free (ctx->frame);
      ctx->frame = outer;
      if (ctx->control == CONTROL_BREAK)
        {
          ctx->control = CONTROL_NONE;
          break;
        }
      ctx->control = CONTROL_NONE;
    }
  if (ok && items->len == 0 && node->else_body != NULL)
    ok = exec_body (ctx, node->else_body, error);
  return ok;
}

static gboolean
exec_set (JCtx         *ctx,
          const JNode  *node,
          GError      **error)
{
  g_autoptr(JValue) value = eval (ctx, node->a, error);

  if (value == NULL)
    return FALSE;
  if (node->attr != NULL)
    {
      g_autoptr(JValue) ns = lookup (ctx, node->name);

      if (ns->type != JV_NAMESPACE)
        return jctx_fail (ctx, node, error, "cannot assign attribute on non-namespace object");
      jv_dict_set (ns, node->attr, g_steal_pointer (&value));
      return TRUE;
    }
  return bind_targets (ctx, node, node->names, value, error);
}

static gboolean
exec_statement (JCtx         *ctx,
                const JNode  *node,
                GError      **error)
{
  switch (node->kind)
    {
    case JN_TEXT:
      return write_value (ctx, node->value, error);
    case JN_OUTPUT:
      {
        g_autoptr(JValue) v = eval (ctx, node->a, error);

        return v != NULL && write_value (ctx, v, error);
      }
    case JN_IF:
      {
        g_autoptr(JValue) cond = eval (ctx, node->a, error);

        if (cond == NULL)
          return FALSE;
        if (jv_truthy (cond))
          return exec_body (ctx, node->body, error);
        if (node->else_body != NULL)
          return exec_body (ctx, node->else_body, error);
        return TRUE;
      }
    case JN_FOR:
      return exec_for (ctx, node, error);
    case JN_SET:
      return exec_set (ctx, node, error);
    case JN_SET_BLOCK:
      {
        GString *saved_out = ctx->out;
        GArray *saved_spans = ctx->spans;
        gboolean ok;
        JValue *v;
        gsize len;

        ctx->out = g_string_new (NULL);
        ctx->spans = g_array_new (FALSE, FALSE, sizeof (HoneJinjaSpan));
        ok = exec_body (ctx, node->body, error);
        len = ctx->out->len;
        v = jv_string_take (g_string_free (ctx->out, FALSE), len);
        if (ctx->spans->len > 0)
          v->str.spans = g_array_ref (ctx->spans);
        g_array_unref (ctx->spans);
        ctx->out = saved_out;
        ctx->spans = saved_spans;
        if (ok)
          assign (ctx, node->names->pdata[0], v);
        else
          jv_unref (v);
        return ok;
      }
    case JN_MACRO:
      {
        JValue *macro = g_new0 (JValue, 1);

        macro->ref = 1;
        macro->type = JV_MACRO;
        macro->macro.node = node;
        assign (ctx, node->name, macro);
        return TRUE;
      }
    case JN_BREAK:
      ctx->control = CONTROL_BREAK;
      return TRUE;
    case JN_CONTINUE:
      ctx->control = CONTROL_CONTINUE;
      return TRUE;
    case JN_LITERAL:
    case JN_NAME:
    case JN_GETATTR:
    case JN_GETITEM:
    case JN_SLICE:
    case JN_CALL:
    case JN_FILTER:
    case JN_TEST:
    case JN_UNARY:
    case JN_BINARY:
    case JN_COMPARE:
    case JN_AND:
    case JN_OR:
    case JN_COND:
    case JN_LIST:
    case JN_TUPLE:
    case JN_DICT:
    default:
      return jctx_fail (ctx, node, error, "not a statement");
    }
}

static gboolean
exec_body (JCtx       *ctx,
           GPtrArray  *body,
           GError    **error)
{
  if (++ctx->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "blocks nested too deeply");
      return FALSE;
    }
  for (guint i = 0; i < body->len; i++)
    {
      if (!exec_statement (ctx, body->pdata[i], error))
        return FALSE;
      if (ctx->control != CONTROL_NONE)
        break;
    }
  ctx->depth--;
  return TRUE;
}

HoneJinjaTemplate *
hone_jinja_template_new (const char  *source,
                         gssize       length,
                         GError     **error)
{
  HoneJinjaTemplate *self;
  GPtrArray *body;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (source);
  if ((body = hone_jinja_parse (source, length, error)) == NULL)
    return NULL;
  self = g_new0 (HoneJinjaTemplate, 1);
  self->body = body;
  return self;
}

void
hone_jinja_template_free (HoneJinjaTemplate *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->body);
  g_free (self);
}

char *
hone_jinja_template_render (HoneJinjaTemplate  *self,
                            JsonObject         *context,
                            GHashTable         *marked,
                            GDateTime          *now,
                            GArray            **spans,
                            GError            **error)
{
  JCtx ctx = { 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ctx.out = g_string_new (NULL);
  ctx.spans = g_array_new (FALSE, FALSE, sizeof (HoneJinjaSpan));
  ctx.root = ctx.frame = frame_new (NULL);
  ctx.now = now;
  if (context != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (context);

      for (GList *l = members; l != NULL; l = l->next)
        assign (&ctx, l->data, jv_from_json (json_object_get_member (context, l->data),
                                             marked));
    }
  ok = exec_body (&ctx, self->body, error);
  frame_free (ctx.root);
  if (!ok)
    {
      g_string_free (ctx.out, TRUE);
      g_array_unref (ctx.spans);
      return NULL;
    }
  if (spans != NULL)
    *spans = g_array_ref (ctx.spans);
  g_array_unref (ctx.spans);
  return g_string_free (ctx.out, FALSE);
}
