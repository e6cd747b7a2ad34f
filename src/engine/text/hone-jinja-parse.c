/* hone-jinja-parse.c — the lexer and the recursive-descent parser.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whitespace is handled as jinja2's lexer does with trim_blocks and lstrip_blocks on:
 * "{%-"/"-%}" strip all whitespace on that side, a block or comment tag alone on its
 * line loses the indentation before it, and the newline after "%}" or "#}" is dropped.
 */
#define G_LOG_DOMAIN "hone-jinja"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hone-jinja-private.h"

typedef enum
{
  TK_TEXT,
  TK_VAR_BEGIN,
  TK_VAR_END,
  TK_BLOCK_BEGIN,
  TK_BLOCK_END,
  TK_NAME,
  TK_STRING,
  TK_INT,
  TK_FLOAT,
  TK_OP,
  TK_EOF,
} TokenType;

typedef struct
{
  TokenType  type;
  int        line;
  char      *text;  /* TEXT, NAME, STRING (unescaped), OP, INT/FLOAT source */
  gsize      len;
} Token;

typedef struct
{
  GArray     *tokens;
  guint       pos;
  int         depth;
} Parser;

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_free (token->text);
}

static void
push (GArray     *tokens,
      TokenType   type,
      int         line,
      const char *text,
      gsize       len)
{
  Token token = { type, line, text ? g_strndup (text, len) : NULL, len };

  g_array_append_val (tokens, token);
}

static int
count_lines (const char *s,
             const char *end)
{
  int n = 0;

  for (; s < end; s++)
    n += *s == '\n';
  return n;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A string literal's escapes, as Python's "unicode-escape" codec reads them. */
static gboolean
unescape (GString     *out,
          const char  *s,
          const char  *end)
{
  while (s < end)
    {
      if (*s != '\\' || s + 1 >= end)
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case 'n':  g_string_append_c (out, '\n'); s++; break;
        case 't':  g_string_append_c (out, '\t'); s++; break;
        case 'r':  g_string_append_c (out, '\r'); s++; break;
        case '\\': g_string_append_c (out, '\\'); s++; break;
        case '\'': g_string_append_c (out, '\''); s++; break;
        case '"':  g_string_append_c (out, '"'); s++; break;
        case 'a':  g_string_append_c (out, '\a'); s++; break;
        case 'b':  g_string_append_c (out, '\b'); s++; break;
        case 'f':  g_string_append_c (out, '\f'); s++; break;
        case 'v':  g_string_append_c (out, '\v'); s++; break;
        case '\n': s++; break;
        case 'x':
        case 'u':
        case 'U':
          {
            int digits = *s == 'x' ? 2 : *s == 'u' ? 4 : 8;
            gunichar c = 0;

            s++;
            for (int i = 0; i < digits; i++, s++)
              {
                if (s >= end || !g_ascii_isxdigit (*s))
                  return FALSE;
                c = c * 16 + g_ascii_xdigit_value (*s);
              }
            if (!g_unichar_validate (c))
              return FALSE;
            g_string_append_unichar (out, c);
            break;
          }
        default:
          if (*s >= '0' && *s <= '7')
            {
              gunichar c = 0;

              for (int i = 0; i < 3 && s < end && *s >= '0' && *s <= '7'; i++, s++)
                c = c * 8 + (*s - '0');
              g_string_append_unichar (out, c);
            }
          else
            g_string_append_c (out, '\\');
          break;
        }
    }
  return TRUE;
}

static const char *operators[] = {
  "**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", ".",
  ",", ":", "|", "(", ")", "[", "]", "{", "}",
};

/* Tokenizes the inside of a {{ }} or {% %} tag from *p; stops after its end. */
static gboolean
lex_tag (GArray      *tokens,
         const char  *src,
         const char  *end,
         const char **p,
         int         *line,
         gboolean     block,
         gboolean    *line_starting,
         GError     **error)
{
  const char *s = *p;
  const char close = block ? '%' : '}';
  int open_brackets = 0;

  for (;;)
    {
      while (s < end && is_space (*s))
        *line += *s++ == '\n';
      if (s >= end)
        {
          g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                       "line %d: unexpected end of template, expected '%s'", *line,
                       block ? "%}" : "}}");
          return FALSE;
        }
      /* The end of the tag, checked first at every token as jinja2 does. */
      /* Inside brackets, jinja2 reads "}}" and "%}" as operators, not the tag's end. */
      if ((s[0] == '-' || s[0] == '+') && s + 2 < end && s[1] == close && s[2] == '}'
          && open_brackets == 0)
        {
          gboolean strip = s[0] == '-';

          push (tokens, block ? TK_BLOCK_END : TK_VAR_END, *line, NULL, 0);
          s += 3;
          *line_starting = FALSE;
          if (strip)
            {
              while (s < end && is_space (*s))
                {
                  *line += *s == '\n';
                  *line_starting = *s == '\n';
                  s++;
                }
            }
          *p = s;
          return TRUE;
        }
      if (s[0] == close && s + 1 < end && s[1] == '}' && open_brackets == 0)
        {
          push (tokens, block ? TK_BLOCK_END : TK_VAR_END, *line, NULL, 0);
          s += 2;
          *line_starting = FALSE;
          if (block && s < end && *s == '\n')
            {
              (*line)++;
              s++;
              *line_starting = TRUE;
            }
          *p = s;
          return TRUE;
        }
      if (g_ascii_isalpha (*s) || *s == '_')
        {
          const char *start = s;

          while (s < end && (g_ascii_isalnum (*s) || *s == '_'))
            s++;
          push (tokens, TK_NAME, *line, start, s - start);
          continue;
        }
      if (g_ascii_isdigit (*s))
        {
          const char *start = s;
          gboolean is_float = FALSE;
          GString *digits = g_string_new (NULL);

          while (s < end && (g_ascii_isdigit (*s) || (*s == '_' && s + 1 < end
                                                       && g_ascii_isdigit (s[1]))))
            s++;
          if (s + 1 < end && *s == '.' && g_ascii_isdigit (s[1]))
            {
              is_float = TRUE;
              s++;
              while (s < end && (g_ascii_isdigit (*s) || *s == '_'))
                s++;
            }
          if (s < end && (*s == 'e' || *s == 'E'))
            {
              const char *e = s + 1;

              if (e < end && (*e == '+' || *e == '-'))
                e++;
              if (e < end && g_ascii_isdigit (*e))
                {
                  is_float = TRUE;
                  s = e;
                  while (s < end && g_ascii_isdigit (*s))
                    s++;
                }
            }
          for (const char *c = start; c < s; c++)
            if (*c != '_')
              g_string_append_c (digits, *c);
          push (tokens, is_float ? TK_FLOAT : TK_INT, *line, digits->str, digits->len);
          g_string_free (digits, TRUE);
          continue;
        }
      if (*s == '\'' || *s == '"')
        {
          char quote = *s;
          const char *start = ++s;
          g_autoptr(GString) text = g_string_new (NULL);
          int first_line = *line;

          while (s < end && *s != quote)
            {
              if (*s == '\\' && s + 1 < end)
                s++;
              *line += *s == '\n';
              s++;
            }
          if (s >= end)
            {
              g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                           "line %d: unterminated string", first_line);
              return FALSE;
            }
          if (!unescape (text, start, s))
            {
              g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                           "line %d: bad escape in string", first_line);
              return FALSE;
            }
          s++;
          push (tokens, TK_STRING, first_line, text->str, text->len);
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
        {
          gsize n = strlen (operators[i]);

          if ((gsize) (end - s) >= n && memcmp (s, operators[i], n) == 0)
            {
              if (*s == '(' || *s == '[' || *s == '{')
                open_brackets++;
              else if ((*s == ')' || *s == ']' || *s == '}') && open_brackets > 0)
                open_brackets--;
              push (tokens, TK_OP, *line, s, n);
              s += n;
              goto next;
            }
        }
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                   "line %d: unexpected character '%c'", *line, *s);
      return FALSE;
next:
      ;
    }
}

static GArray *
lex (const char  *src,
     gsize        length,
     GError     **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = src, *end = src + length;
  gboolean line_starting = TRUE;
  int line = 1;

  g_array_set_clear_func (tokens, token_clear);
  while (p < end)
    {
      const char *tag = p;
      const char *text_end;
      char kind = 0, sign = 0;

      while ((tag = memchr (tag, '{', end - tag)) != NULL)
        {
          if (tag + 1 < end && (tag[1] == '{' || tag[1] == '%' || tag[1] == '#'))
            {
              kind = tag[1];
              break;
            }
          tag++;
        }
      if (tag == NULL)
        {
          push (tokens, TK_TEXT, line, p, end - p);
          break;
        }
      if (tag + 2 < end && (tag[2] == '-' || tag[2] == '+'))
        sign = tag[2];
      text_end = tag;
      if (sign == '-')
        {
          while (text_end > p && is_space (text_end[-1]))
            text_end--;
        }
      else if (sign != '+' && kind != '{')
        {
          const char *l = text_end;

          while (l > p && l[-1] != '\n')
            l--;
          if ((l > p || line_starting) && l < text_end)
            {
              const char *w = l;

              while (w < text_end && is_space (*w))
                w++;
              if (w == text_end)
                text_end = l;
            }
        }
      if (text_end > p)
        push (tokens, TK_TEXT, line, p, text_end - p);
      line += count_lines (p, tag);
      p = tag + 2 + (sign != 0);

      if (kind == '#')
        {
          const char *close = p;

          while ((close = memchr (close, '#', end - close)) != NULL
                 && !(close + 1 < end && close[1] == '}'))
            close++;
          if (close == NULL)
            {
              g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                           "line %d: unterminated comment", line);
              return NULL;
            }
          line += count_lines (p, close + 2);
          line_starting = FALSE;
          if (close > p && close[-1] == '-')
            {
              p = close + 2;
              while (p < end && is_space (*p))
                {
                  line += *p == '\n';
                  line_starting = *p == '\n';
                  p++;
                }
            }
          else if (close > p && close[-1] == '+')
            p = close + 2;
          else
            {
              p = close + 2;
              if (p < end && *p == '\n')
                {
                  line++;
                  p++;
                  line_starting = TRUE;
                }
            }
          continue;
        }
      push (tokens, kind == '%' ? TK_BLOCK_BEGIN : TK_VAR_BEGIN, line, NULL, 0);
      if (!lex_tag (tokens, src, end, &p, &line, kind == '%', &line_starting, error))
        return NULL;
    }
  push (tokens, TK_EOF, line, NULL, 0);
  return g_steal_pointer (&tokens);
}

/* ---- parser ---- */

static Token *
peek (Parser *parser)
{
  return &g_array_index (parser->tokens, Token, parser->pos);
}

static Token *
peek_at (Parser *parser,
         guint   ahead)
{
  guint i = MIN (parser->pos + ahead, parser->tokens->len - 1);

  return &g_array_index (parser->tokens, Token, i);
}

static Token *
advance (Parser *parser)
{
  Token *token = peek (parser);

  if (token->type != TK_EOF)
    parser->pos++;
  return token;
}

static gboolean
is_op (Token      *token,
       const char *op)
{
  return token->type == TK_OP && strcmp (token->text, op) == 0;
}

static gboolean
is_name (Token      *token,
         const char *name)
{
  return token->type == TK_NAME && strcmp (token->text, name) == 0;
}

static const char *
describe (Token *token)
{
  switch (token->type)
    {
    case TK_TEXT: return "template text";
    case TK_VAR_BEGIN: return "'{{'";
    case TK_VAR_END: return "'}}'";
    case TK_BLOCK_BEGIN: return "'{%'";
    case TK_BLOCK_END: return "'%}'";
    case TK_EOF: return "end of template";
    case TK_NAME:
    case TK_STRING:
    case TK_INT:
    case TK_FLOAT:
    case TK_OP:
    default:
      return token->text;
    }
}

static gboolean
fail (Parser      *parser,
      GError     **error,
      const char  *message)
{
  Token *token = peek (parser);

  g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX, "line %d: %s (at %s)",
               token->line, message, describe (token));
  return FALSE;
}

static gboolean
expect_op (Parser      *parser,
           const char  *op,
           GError     **error)
{
  if (!is_op (peek (parser), op))
    {
      g_autofree char *message = g_strdup_printf ("expected '%s'", op);

      return fail (parser, error, message);
    }
  advance (parser);
  return TRUE;
}

static JNode *
node_new (JNodeKind kind,
          int       line)
{
  JNode *node = g_new0 (JNode, 1);

  node->kind = kind;
  node->line = line;
  return node;
}

void
jnode_free (JNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_free (node->attr);
  jv_unref (node->value);
  jnode_free (node->a);
  jnode_free (node->b);
  jnode_free (node->c);
  g_clear_pointer (&node->args, g_ptr_array_unref);
  g_clear_pointer (&node->names, g_ptr_array_unref);
  g_clear_pointer (&node->body, g_ptr_array_unref);
  g_clear_pointer (&node->else_body, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JNode, jnode_free)

static GPtrArray *
node_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) jnode_free);
}

static JNode *parse_expression (Parser *parser, gboolean with_condexpr, GError **error);
static JNode *parse_primary (Parser *parser, GError **error);
static JNode *parse_postfix (Parser *parser, JNode *node, GError **error);

/* Call arguments after '(' up to ')': positional ones, then keyword ones, in args;
 * the keywords' names in names (so the first args->len - names->len are positional). */
static gboolean
parse_call_args (Parser  *parser,
                 JNode   *call,
                 GError **error)
{
  call->args = node_list ();
  call->names = g_ptr_array_new_with_free_func (g_free);
  if (!expect_op (parser, "(", error))
    return FALSE;
  while (!is_op (peek (parser), ")"))
    {
      JNode *arg;

      if (call->args->len > 0 && !expect_op (parser, ",", error))
        return FALSE;
      if (is_op (peek (parser), ")"))
        break;
      if (is_op (peek (parser), "*") || is_op (peek (parser), "**"))
        return fail (parser, error, "unsupported: *args and **kwargs in calls");
      if (peek (parser)->type == TK_NAME && is_op (peek_at (parser, 1), "="))
        {
          g_ptr_array_add (call->names, g_strdup (advance (parser)->text));
          advance (parser);
        }
      else if (call->names->len > 0)
        return fail (parser, error, "positional argument after keyword argument");
      if ((arg = parse_expression (parser, TRUE, error)) == NULL)
        return FALSE;
      g_ptr_array_add (call->args, arg);
    }
  advance (parser);
  return TRUE;
}

static JNode *
parse_filter_or_test (Parser   *parser,
                      JNode    *node,
                      gboolean  test,
                      GError  **error)
{
  g_autoptr(JNode) result = node_new (test ? JN_TEST : JN_FILTER, peek (parser)->line);
  GString *name = g_string_new (NULL);

  result->a = node;
  if (test && is_name (peek (parser), "not"))
    {
      advance (parser);
      result->op = 1;
    }
  if (peek (parser)->type != TK_NAME)
    {
      g_string_free (name, TRUE);
      fail (parser, error, test ? "expected a test name" : "expected a filter name");
      return NULL;
    }
  g_string_append (name, advance (parser)->text);
  while (is_op (peek (parser), ".") && peek_at (parser, 1)->type == TK_NAME)
    {
      advance (parser);
      g_string_append_printf (name, ".%s", advance (parser)->text);
    }
  result->name = g_string_free (name, FALSE);
  if (is_op (peek (parser), "("))
    {
      if (!parse_call_args (parser, result, error))
        return NULL;
    }
  else if (test)
    {
      Token *t = peek (parser);

      result->args = node_list ();
      result->names = g_ptr_array_new_with_free_func (g_free);
      if (is_name (t, "is"))
        {
          fail (parser, error, "You cannot chain multiple tests with is");
          return NULL;
        }
      if ((t->type == TK_NAME || t->type == TK_STRING || t->type == TK_INT
           || t->type == TK_FLOAT || is_op (t, "[") || is_op (t, "{") || is_op (t, "("))
          && !is_name (t, "else") && !is_name (t, "or") && !is_name (t, "and")
          && !is_name (t, "is"))
        {
          JNode *arg = parse_primary (parser, error);

          if (arg == NULL || (arg = parse_postfix (parser, arg, error)) == NULL)
            return NULL;
          g_ptr_array_add (result->args, arg);
        }
    }
  return g_steal_pointer (&result);
}

static JNode *
parse_postfix (Parser  *parser,
               JNode   *node,
               GError **error)
{
  g_autoptr(JNode) owned = node;

  for (;;)
    {
      Token *t = peek (parser);

      if (is_op (t, "."))
        {
          JNode *get = node_new (JN_GETATTR, t->line);

          advance (parser);
          get->a = g_steal_pointer (&owned);
          owned = get;
          if (peek (parser)->type == TK_NAME)
            get->name = g_strdup (advance (parser)->text);
          else if (peek (parser)->type == TK_INT)
            {
              get->kind = JN_GETITEM;
              get->b = node_new (JN_LITERAL, t->line);
              get->b->value = jv_int (g_ascii_strtoll (advance (parser)->text, NULL, 10));
            }
          else
            {
              fail (parser, error, "expected an attribute name");
              return NULL;
            }
        }
      else if (is_op (t, "["))
        {
          JNode *get = node_new (JN_GETITEM, t->line);
          JNode *parts[3] = { NULL, NULL, NULL };
          int n = 0;
          gboolean slice = FALSE;

          advance (parser);
          get->a = g_steal_pointer (&owned);
          owned = get;
          for (;;)
            {
              if (is_op (peek (parser), ":"))
                {
                  slice = TRUE;
                  advance (parser);
                  if (++n > 2)
                    {
                      for (int i = 0; i < 3; i++)
                        jnode_free (parts[i]);
                      fail (parser, error, "bad slice");
                      return NULL;
                    }
                  continue;
                }
              if (is_op (peek (parser), "]"))
                break;
              if (parts[n] != NULL
                  || (parts[n] = parse_expression (parser, TRUE, error)) == NULL)
                {
                  for (int i = 0; i < 3; i++)
                    jnode_free (parts[i]);
                  if (error != NULL && *error == NULL)
                    fail (parser, error, "expected ']'");
                  return NULL;
                }
            }
          advance (parser);
          if (slice)
            {
              get->kind = JN_SLICE;
              get->args = node_list ();
              for (int i = 0; i < 3; i++)
                g_ptr_array_add (get->args, parts[i]);
            }
          else if (parts[0] == NULL)
            {
              fail (parser, error, "empty subscript");
              return NULL;
            }
          else
            get->b = parts[0];
        }
      else if (is_op (t, "("))
        {
          JNode *call = node_new (JN_CALL, t->line);

          call->a = g_steal_pointer (&owned);
          owned = call;
          if (!parse_call_args (parser, call, error))
            return NULL;
        }
      else
        return g_steal_pointer (&owned);
    }
}

static JNode *
parse_primary (Parser  *parser,
               GError **error)
{
  Token *t = peek (parser);
  g_autoptr(JNode) node = NULL;

  if (++parser->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: expression nested too deeply", t->line);
      return NULL;
    }
  switch (t->type)
    {
    case TK_NAME:
      advance (parser);
      node = node_new (JN_LITERAL, t->line);
      if (strcmp (t->text, "true") == 0 || strcmp (t->text, "True") == 0)
        node->value = jv_bool (TRUE);
      else if (strcmp (t->text, "false") == 0 || strcmp (t->text, "False") == 0)
        node->value = jv_bool (FALSE);
      else if (strcmp (t->text, "none") == 0 || strcmp (t->text, "None") == 0)
        node->value = jv_none ();
      else
        {
          node->kind = JN_NAME;
          node->name = g_strdup (t->text);
        }
      break;
    case TK_STRING:
      {
        GString *s = g_string_new (NULL);

        while (peek (parser)->type == TK_STRING)
          {
            Token *part = advance (parser);

            g_string_append_len (s, part->text, part->len);
          }
        node = node_new (JN_LITERAL, t->line);
        node->value = jv_string_take (s->str, s->len);
        g_string_free (s, FALSE);
        break;
      }
    case TK_INT:
      advance (parser);
      node = node_new (JN_LITERAL, t->line);
      node->value = jv_int (g_ascii_strtoll (t->text, NULL, 10));
      break;
    case TK_FLOAT:
      advance (parser);
      node = node_new (JN_LITERAL, t->line);
      node->value = jv_float (g_ascii_strtod (t->text, NULL));
      break;
    case TK_OP:
      if (is_op (t, "(") || is_op (t, "["))
        {
          gboolean paren = is_op (t, "(");
          gboolean trailing_comma = FALSE;
          const char *close = paren ? ")" : "]";

          advance (parser);
          node = node_new (paren ? JN_TUPLE : JN_LIST, t->line);
          node->args = node_list ();
          while (!is_op (peek (parser), close))
            {
              JNode *item;

              if (node->args->len > 0)
                {
                  if (!expect_op (parser, ",", error))
                    return NULL;
                  trailing_comma = TRUE;
                  if (is_op (peek (parser), close))
                    break;
                }
              if ((item = parse_expression (parser, TRUE, error)) == NULL)
                return NULL;
              g_ptr_array_add (node->args, item);
              trailing_comma = FALSE;
            }
          advance (parser);
          if (paren && node->args->len == 1 && !trailing_comma)
            {
              JNode *inner = g_ptr_array_steal_index (node->args, 0);

              jnode_free (g_steal_pointer (&node));
              node = inner;
            }
          else if (paren && node->args->len == 1)
            node->kind = JN_TUPLE;
          break;
        }
      if (is_op (t, "{"))
        {
          advance (parser);
          node = node_new (JN_DICT, t->line);
          node->args = node_list ();
          while (!is_op (peek (parser), "}"))
            {
              JNode *key, *value;

              if (node->args->len > 0)
                {
                  if (!expect_op (parser, ",", error))
                    return NULL;
                  if (is_op (peek (parser), "}"))
                    break;
                }
              if ((key = parse_expression (parser, TRUE, error)) == NULL)
                return NULL;
              g_ptr_array_add (node->args, key);
              if (!expect_op (parser, ":", error))
                return NULL;
              if ((value = parse_expression (parser, TRUE, error)) == NULL)
                return NULL;
              g_ptr_array_add (node->args, value);
            }
          advance (parser);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case TK_TEXT:
    case TK_VAR_BEGIN:
    case TK_VAR_END:
    case TK_BLOCK_BEGIN:
    case TK_BLOCK_END:
    case TK_EOF:
    default:
      fail (parser, error, "expected an expression");
      return NULL;
    }
  parser->depth--;
  return g_steal_pointer (&node);
}

static JNode *
parse_unary (Parser   *parser,
             gboolean  with_filter,
             GError  **error)
{
  Token *t = peek (parser);
  JNode *node;

  if (++parser->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: expression nested too deeply", t->line);
      return NULL;
    }
  if (is_op (t, "-") || is_op (t, "+"))
    {
      JNode *inner;

      advance (parser);
      if ((inner = parse_unary (parser, FALSE, error)) == NULL)
        return NULL;
      node = node_new (JN_UNARY, t->line);
      node->op = t->text[0];
      node->a = inner;
    }
  else if ((node = parse_primary (parser, error)) == NULL)
    return NULL;
  if ((node = parse_postfix (parser, node, error)) == NULL)
    return NULL;
  while (with_filter)
    {
      if (is_op (peek (parser), "|"))
        {
          advance (parser);
          node = parse_filter_or_test (parser, node, FALSE, error);
        }
      else if (is_name (peek (parser), "is"))
        {
          advance (parser);
          node = parse_filter_or_test (parser, node, TRUE, error);
        }
      else if (is_op (peek (parser), "("))
        {
          JNode *call = node_new (JN_CALL, peek (parser)->line);

          call->a = node;
          node = call;
          if (!parse_call_args (parser, call, error))
            {
              jnode_free (node);
              return NULL;
            }
        }
      else
        break;
      if (node == NULL)
        return NULL;
    }
  parser->depth--;
  return node;
}

typedef struct
{
  const char *ops[4];
  int         codes[4];
} Level;

/* Binary operator levels, loosest first: + -, ~, * / // %, **. */
static const Level levels[] = {
  { { "+", "-", NULL, NULL }, { '+', '-', 0, 0 } },
  { { "~", NULL, NULL, NULL }, { '~', 0, 0, 0 } },
  { { "*", "/", "//", "%" }, { '*', '/', 'f', '%' } },
  { { "**", NULL, NULL, NULL }, { 'p', 0, 0, 0 } },
};

static JNode *
parse_binary (Parser  *parser,
              guint    level,
              GError **error)
{
  JNode *left;

  if (level >= G_N_ELEMENTS (levels))
    return parse_unary (parser, TRUE, error);
  if ((left = parse_binary (parser, level + 1, error)) == NULL)
    return NULL;
  for (;;)
    {
      Token *t = peek (parser);
      int code = 0;
      JNode *right, *node;

      for (int i = 0; i < 4 && levels[level].ops[i] != NULL; i++)
        if (is_op (t, levels[level].ops[i]))
          code = levels[level].codes[i];
      if (code == 0)
        return left;
      advance (parser);
      if ((right = parse_binary (parser, level + 1, error)) == NULL)
        {
          jnode_free (left);
          return NULL;
        }
      node = node_new (JN_BINARY, t->line);
      node->op = code;
      node->a = left;
      node->b = right;
      left = node;
    }
}

static JNode *
parse_compare (Parser  *parser,
               GError **error)
{
  JNode *first, *node;

  if ((first = parse_binary (parser, 0, error)) == NULL)
    return NULL;
  node = NULL;
  for (;;)
    {
      Token *t = peek (parser);
      const char *op = NULL;
      JNode *operand;

      if (t->type == TK_OP && (strcmp (t->text, "==") == 0 || strcmp (t->text, "!=") == 0
                               || strcmp (t->text, "<") == 0 || strcmp (t->text, "<=") == 0
                               || strcmp (t->text, ">") == 0 || strcmp (t->text, ">=") == 0))
        op = t->text;
      else if (is_name (t, "in"))
        op = "in";
      else if (is_name (t, "not") && is_name (peek_at (parser, 1), "in"))
        {
          advance (parser);
          op = "notin";
        }
      if (op == NULL)
        break;
      advance (parser);
      if (node == NULL)
        {
          node = node_new (JN_COMPARE, t->line);
          node->args = node_list ();
          node->names = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (node->args, first);
        }
      g_ptr_array_add (node->names, g_strdup (op));
      if ((operand = parse_binary (parser, 0, error)) == NULL)
        {
          jnode_free (node);
          return NULL;
        }
      g_ptr_array_add (node->args, operand);
    }
  return node != NULL ? node : first;
}

static JNode *
parse_not (Parser  *parser,
           GError **error)
{
  Token *t = peek (parser);

  if (is_name (t, "not"))
    {
      JNode *node, *inner;

      advance (parser);
      if (++parser->depth > HONE_JINJA_MAX_DEPTH)
        {
          g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                       "line %d: expression nested too deeply", t->line);
          return NULL;
        }
      if ((inner = parse_not (parser, error)) == NULL)
        return NULL;
      parser->depth--;
      node = node_new (JN_UNARY, t->line);
      node->op = 'n';
      node->a = inner;
      return node;
    }
  return parse_compare (parser, error);
}

static JNode *
parse_logic (Parser   *parser,
             gboolean  is_or,
             GError  **error)
{
  JNode *left = is_or ? parse_logic (parser, FALSE, error) : parse_not (parser, error);

  if (left == NULL)
    return NULL;
  while (is_name (peek (parser), is_or ? "or" : "and"))
    {
      Token *t = advance (parser);
      JNode *right = is_or ? parse_logic (parser, FALSE, error) : parse_not (parser, error);
      JNode *node;

      if (right == NULL)
        {
          jnode_free (left);
          return NULL;
        }
      node = node_new (is_or ? JN_OR : JN_AND, t->line);
      node->a = left;
      node->b = right;
      left = node;
    }
  return left;
}

static JNode *
parse_expression (Parser   *parser,
                  gboolean  with_condexpr,
                  GError  **error)
{
  JNode *node;

  if (++parser->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: expression nested too deeply", peek (parser)->line);
      return NULL;
    }
  node = parse_logic (parser, TRUE, error);
  while (node != NULL && with_condexpr && is_name (peek (parser), "if"))
    {
      Token *t = advance (parser);
      JNode *cond = node_new (JN_COND, t->line);

      cond->b = node;
      node = cond;
      if ((cond->a = parse_logic (parser, TRUE, error)) == NULL)
        {
          jnode_free (node);
          return NULL;
        }
      if (is_name (peek (parser), "else"))
        {
          advance (parser);
          if ((cond->c = parse_expression (parser, TRUE, error)) == NULL)
            {
              jnode_free (node);
              return NULL;
            }
        }
    }
  parser->depth--;
  return node;
}

/* An expression, or several separated by commas (a tuple), as after "set x =". */
static JNode *
parse_tuple (Parser  *parser,
             GError **error)
{
  JNode *first = parse_expression (parser, TRUE, error);
  JNode *tuple;

  if (first == NULL || !is_op (peek (parser), ","))
    return first;
  tuple = node_new (JN_TUPLE, first->line);
  tuple->args = node_list ();
  g_ptr_array_add (tuple->args, first);
  while (is_op (peek (parser), ","))
    {
      JNode *item;

      advance (parser);
      if (peek (parser)->type == TK_BLOCK_END)
        break;
      if ((item = parse_expression (parser, TRUE, error)) == NULL)
        {
          jnode_free (tuple);
          return NULL;
        }
      g_ptr_array_add (tuple->args, item);
    }
  return tuple;
}

/* Names separated by commas: the targets of for and set. */
static GPtrArray *
parse_targets (Parser  *parser,
               GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  do
    {
      if (names->len > 0)
        advance (parser);
      if (peek (parser)->type != TK_NAME)
        {
          fail (parser, error, "expected a variable name");
          return NULL;
        }
      g_ptr_array_add (names, g_strdup (advance (parser)->text));
    }
  while (is_op (peek (parser), ","));
  return g_steal_pointer (&names);
}

static gboolean
expect_block_end (Parser  *parser,
                  GError **error)
{
  if (peek (parser)->type != TK_BLOCK_END)
    return fail (parser, error, "expected '%}'");
  advance (parser);
  return TRUE;
}

static GPtrArray *parse_body (Parser      *parser,
                              const char **ends,
                              const char **found,
                              GError     **error);

static JNode *
parse_statement (Parser  *parser,
                 GError **error)
{
  Token *t = peek (parser);
  g_autoptr(JNode) node = NULL;
  const char *found = NULL;

  if (t->type != TK_NAME)
    {
      fail (parser, error, "expected a tag name");
      return NULL;
    }
  advance (parser);
  if (strcmp (t->text, "if") == 0 || strcmp (t->text, "elif") == 0)
    {
      static const char *ends[] = { "elif", "else", "endif", NULL };

      node = node_new (JN_IF, t->line);
      if ((node->a = parse_expression (parser, TRUE, error)) == NULL
          || !expect_block_end (parser, error)
          || (node->body = parse_body (parser, ends, &found, error)) == NULL)
        return NULL;
      if (strcmp (found, "elif") == 0)
        {
          JNode *elif;

          parser->pos--;  /* let the nested if read the "elif" */
          if ((elif = parse_statement (parser, error)) == NULL)
            return NULL;
          node->else_body = node_list ();
          g_ptr_array_add (node->else_body, elif);
          return g_steal_pointer (&node);
        }
      if (strcmp (found, "else") == 0)
        {
          static const char *else_ends[] = { "endif", NULL };

          if (!expect_block_end (parser, error)
              || (node->else_body = parse_body (parser, else_ends, &found, error)) == NULL)
            return NULL;
        }
      if (!expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  if (strcmp (t->text, "for") == 0)
    {
      static const char *ends[] = { "else", "endfor", NULL };

      node = node_new (JN_FOR, t->line);
      if ((node->names = parse_targets (parser, error)) == NULL)
        return NULL;
      if (!is_name (peek (parser), "in"))
        {
          fail (parser, error, "expected 'in'");
          return NULL;
        }
      advance (parser);
      if ((node->a = parse_expression (parser, FALSE, error)) == NULL)
        return NULL;
      if (is_name (peek (parser), "if"))
        {
          advance (parser);
          if ((node->b = parse_expression (parser, TRUE, error)) == NULL)
            return NULL;
        }
      if (is_name (peek (parser), "recursive"))
        {
          fail (parser, error, "unsupported: recursive loops");
          return NULL;
        }
      if (!expect_block_end (parser, error)
          || (node->body = parse_body (parser, ends, &found, error)) == NULL)
        return NULL;
      if (strcmp (found, "else") == 0)
        {
          static const char *else_ends[] = { "endfor", NULL };

          if (!expect_block_end (parser, error)
              || (node->else_body = parse_body (parser, else_ends, &found, error)) == NULL)
            return NULL;
        }
      if (!expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  if (strcmp (t->text, "set") == 0)
    {
      node = node_new (JN_SET, t->line);
      if (peek (parser)->type == TK_NAME && is_op (peek_at (parser, 1), ".")
          && peek_at (parser, 2)->type == TK_NAME)
        {
          node->name = g_strdup (advance (parser)->text);
          advance (parser);
          node->attr = g_strdup (advance (parser)->text);
        }
      else if ((node->names = parse_targets (parser, error)) == NULL)
        return NULL;
      if (peek (parser)->type == TK_BLOCK_END && node->names != NULL && node->names->len == 1)
        {
          static const char *ends[] = { "endset", NULL };

          advance (parser);
          node->kind = JN_SET_BLOCK;
          if ((node->body = parse_body (parser, ends, &found, error)) == NULL
              || !expect_block_end (parser, error))
            return NULL;
          return g_steal_pointer (&node);
        }
      if (!expect_op (parser, "=", error)
          || (node->a = parse_tuple (parser, error)) == NULL
          || !expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  if (strcmp (t->text, "macro") == 0)
    {
      static const char *ends[] = { "endmacro", NULL };

      node = node_new (JN_MACRO, t->line);
      node->names = g_ptr_array_new_with_free_func (g_free);
      node->args = node_list ();
      if (peek (parser)->type != TK_NAME)
        {
          fail (parser, error, "expected a macro name");
          return NULL;
        }
      node->name = g_strdup (advance (parser)->text);
      if (!expect_op (parser, "(", error))
        return NULL;
      while (!is_op (peek (parser), ")"))
        {
          JNode *def = NULL;

          if (node->names->len > 0 && !expect_op (parser, ",", error))
            return NULL;
          if (peek (parser)->type != TK_NAME)
            {
              fail (parser, error, "expected a parameter name");
              return NULL;
            }
          g_ptr_array_add (node->names, g_strdup (advance (parser)->text));
          if (is_op (peek (parser), "="))
            {
              advance (parser);
              if ((def = parse_expression (parser, TRUE, error)) == NULL)
                return NULL;
            }
          g_ptr_array_add (node->args, def);
        }
      advance (parser);
      if (!expect_block_end (parser, error)
          || (node->body = parse_body (parser, ends, &found, error)) == NULL
          || !expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  if (strcmp (t->text, "generation") == 0)
    {
      /* Hugging Face's AssistantTracker extension: {% generation %} marks the
       * assistant's part for its own masks and renders its body unchanged. */
      static const char *ends[] = { "endgeneration", NULL };

      node = node_new (JN_IF, t->line);
      node->a = node_new (JN_LITERAL, t->line);
      node->a->value = jv_bool (TRUE);
      if (!expect_block_end (parser, error)
          || (node->body = parse_body (parser, ends, &found, error)) == NULL
          || !expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  if (strcmp (t->text, "break") == 0 || strcmp (t->text, "continue") == 0)
    {
      node = node_new (t->text[0] == 'b' ? JN_BREAK : JN_CONTINUE, t->line);
      if (!expect_block_end (parser, error))
        return NULL;
      return g_steal_pointer (&node);
    }
  parser->pos--;
  {
    g_autofree char *message = g_strdup_printf ("unsupported or unknown tag '%s'", t->text);

    fail (parser, error, message);
  }
  return NULL;
}

/* Statements up to a {% NAME %} with NAME in @ends (the tag name is consumed, the
 * rest of that tag is not); @ends NULL reads to the end of the template. */
static GPtrArray *
parse_body (Parser      *parser,
            const char **ends,
            const char **found,
            GError     **error)
{
  g_autoptr(GPtrArray) body = node_list ();

  if (++parser->depth > HONE_JINJA_MAX_DEPTH)
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_LIMIT,
                   "line %d: blocks nested too deeply", peek (parser)->line);
      return NULL;
    }
  for (;;)
    {
      Token *t = peek (parser);

      switch (t->type)
        {
        case TK_TEXT:
          {
            JNode *text = node_new (JN_TEXT, t->line);

            text->value = jv_string (t->text, t->len);
            g_ptr_array_add (body, text);
            advance (parser);
            break;
          }
        case TK_VAR_BEGIN:
          {
            JNode *output = node_new (JN_OUTPUT, t->line);

            advance (parser);
            g_ptr_array_add (body, output);
            if ((output->a = parse_expression (parser, TRUE, error)) == NULL)
              return NULL;
            if (peek (parser)->type != TK_VAR_END)
              {
                fail (parser, error, "expected '}}'");
                return NULL;
              }
            advance (parser);
            break;
          }
        case TK_BLOCK_BEGIN:
          {
            JNode *statement;

            advance (parser);
            for (guint i = 0; ends != NULL && ends[i] != NULL; i++)
              if (is_name (peek (parser), ends[i]))
                {
                  *found = ends[i];
                  advance (parser);
                  parser->depth--;
                  return g_steal_pointer (&body);
                }
            if (peek (parser)->type == TK_NAME
                && (g_str_has_prefix (peek (parser)->text, "end")
                    || is_name (peek (parser), "else") || is_name (peek (parser), "elif")))
              {
                g_autofree char *message = g_strdup_printf ("unexpected '%s'",
                                                            peek (parser)->text);

                fail (parser, error, message);
                return NULL;
              }
            if ((statement = parse_statement (parser, error)) == NULL)
              return NULL;
            g_ptr_array_add (body, statement);
            break;
          }
        case TK_EOF:
          if (ends != NULL)
            {
              g_autofree char *message = g_strdup_printf ("missing '{%% %s %%}'",
                                                          ends[g_strv_length ((char **) ends) - 1]);

              fail (parser, error, message);
              return NULL;
            }
          parser->depth--;
          return g_steal_pointer (&body);
        case TK_VAR_END:
        case TK_BLOCK_END:
        case TK_NAME:
        case TK_STRING:
        case TK_INT:
        case TK_FLOAT:
        case TK_OP:
        default:
          fail (parser, error, "unexpected token");
          return NULL;
        }
    }
}

GPtrArray *
hone_jinja_parse (const char  *source,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GString) normal = g_string_sized_new (length);
  g_autoptr(GArray) tokens = NULL;
  Parser parser = { 0 };
  const char *found = NULL;

  /* jinja2 turns every newline into "\n" and drops one at the very end. */
  for (gsize i = 0; i < length; i++)
    {
      if (source[i] == '\r')
        {
          g_string_append_c (normal, '\n');
          if (i + 1 < length && source[i + 1] == '\n')
            i++;
        }
      else
        g_string_append_c (normal, source[i]);
    }
  if (normal->len > 0 && normal->str[normal->len - 1] == '\n')
    g_string_truncate (normal, normal->len - 1);
  if (!g_utf8_validate (normal->str, normal->len, NULL))
    {
      g_set_error (error, HONE_JINJA_ERROR, HONE_JINJA_ERROR_SYNTAX,
                   "the template is not valid UTF-8");
      return NULL;
    }
  if ((tokens = lex (normal->str, normal->len, error)) == NULL)
    return NULL;
  parser.tokens = tokens;
  return parse_body (&parser, NULL, &found, error);
}
