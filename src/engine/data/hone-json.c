/* hone-json.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON for the importers. json-glib is lenient in places and reports positions its own
 * way, so every text first goes through a strict RFC 8259 check written here: one pass,
 * no allocation beyond a nesting stack, and the line of the first error as README
 * section 4 defines it. Only text that passes is handed to json-glib for the tree.
 */
#define G_LOG_DOMAIN "hone-json"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "hone-import-private.h"

/* Real exports nest a dozen levels; json-glib's parser recurses once per level. */
#define MAX_DEPTH 512

typedef struct
{
  const char   *name;
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint         line;
  GError      **error;
} Checker;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Checker    *ck,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  hone_import_set_error (ck->error, HONE_IMPORT_ERROR_SYNTAX, ck->name, ck->line,
                         "%s", message);
  return FALSE;
}

/* "found 'x'" for the character at the current position, for messages. */
static char *
describe_here (Checker *ck)
{
  guchar c;

  if (ck->p >= ck->end)
    return g_strdup ("the input ends");
  c = *ck->p;
  if (c >= 0x21 && c < 0x7f)
    return g_strdup_printf ("found '%c'", c);
  if (c < 0x20 || c == 0x7f)
    return g_strdup_printf ("found control character 0x%02X", c);
  {
    gunichar u = g_utf8_get_char_validated ((const char *) ck->p, ck->end - ck->p);
    if (u < 0x110000)
      return g_strdup_printf ("found U+%04X", u);
  }
  return g_strdup_printf ("found byte 0x%02X", c);
}

static gboolean
fail_expected (Checker    *ck,
               const char *what)
{
  g_autofree char *found = describe_here (ck);

  if (ck->p >= ck->end)
    return fail (ck, "the JSON text ends early, expected %s", what);
  if (*ck->p == '/')
    return fail (ck, "expected %s, found '/' (comments are not allowed in JSON)", what);
  return fail (ck, "expected %s, %s", what, found);
}

static inline void
skip_space (Checker *ck)
{
  const guchar *p = ck->p;
  const guchar *end = ck->end;

  while (p < end)
    {
      if (*p == '\n')
        ck->line++;
      else if (*p != ' ' && *p != '\t' && *p != '\r')
        break;
      p++;
    }
  ck->p = p;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits of a \u escape at ck->p (just after "\u"). */
static gboolean
read_hex4 (Checker *ck,
           guint   *out)
{
  guint v = 0;

  for (int i = 0; i < 4; i++)
    {
      int h;

      if (ck->p >= ck->end)
        return fail (ck, "the JSON text ends early, inside a string");
      h = hex_value (*ck->p);
      if (h < 0)
        return fail (ck, "a \\u escape needs four hex digits");
      v = (v << 4) | (guint) h;
      ck->p++;
    }
  *out = v;
  return TRUE;
}

/* Length of the valid UTF-8 character at @p, or 0. */
static inline gsize
utf8_char_len (const guchar *p,
               const guchar *end)
{
  gsize avail = end - p;
  guchar c = p[0];

  if (c >= 0xc2 && c <= 0xdf)
    return avail >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef)
    {
      if (avail < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
        return 0;
      if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
        return 0;
      return 3;
    }
  if (c >= 0xf0 && c <= 0xf4)
    {
      if (avail < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
          (p[3] & 0xc0) != 0x80)
        return 0;
      if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
      return 4;
    }
  return 0;
}

/* A string starting at the opening quote at ck->p. */
static gboolean
check_string (Checker *ck)
{
  const guchar *end = ck->end;

  ck->p++;
  for (;;)
    {
      const guchar *p = ck->p;
      guchar c;

      /* The common case: plain ASCII text. */
      while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      ck->p = p;
      if (p >= end)
        return fail (ck, "the JSON text ends early, inside a string");

      c = *p;
      if (c == '"')
        {
          ck->p++;
          return TRUE;
        }
      if (c == '\\')
        {
          guint u;

          ck->p++;
          if (ck->p >= end)
            return fail (ck, "the JSON text ends early, inside a string");
          switch (*ck->p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              ck->p++;
              continue;
            case 'u':
              ck->p++;
              if (!read_hex4 (ck, &u))
                return FALSE;
              if (u >= 0xdc00 && u <= 0xdfff)
                return fail (ck, "invalid escape \\u%04x: a low surrogate without a high one", u);
              if (u >= 0xd800 && u <= 0xdbff)
                {
                  guint low;

                  if (ck->end - ck->p >= 2 && ck->p[0] == '\\' && ck->p[1] == 'u')
                    {
                      ck->p += 2;
                      if (!read_hex4 (ck, &low))
                        return FALSE;
                      if (low >= 0xdc00 && low <= 0xdfff)
                        continue;
                    }
                  else if (ck->end - ck->p < 2)
                    return fail (ck, "the JSON text ends early, inside a string");
                  return fail (ck, "invalid escape \\u%04x: a high surrogate without a low one",
                               u);
                }
              continue;
            default:
              {
                g_autofree char *found = describe_here (ck);
                return fail (ck, "invalid escape in a string: after '\\' %s", found);
              }
            }
        }
      if (c < 0x20)
        return fail (ck, "control character 0x%02X inside a string (it must be escaped)", c);

      /* c >= 0x80 */
      {
        gsize n = utf8_char_len (p, end);
        if (n == 0)
          return fail (ck, "invalid UTF-8 inside a string");
        ck->p += n;
      }
    }
}

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

static gboolean
check_number (Checker *ck)
{
  const guchar *end = ck->end;

  if (*ck->p == '-')
    ck->p++;
  if (ck->p >= end)
    return fail (ck, "the JSON text ends early, inside a number");
  if (*ck->p == '0')
    {
      ck->p++;
      if (ck->p < end && is_digit (*ck->p))
        return fail (ck, "invalid number: leading zeros are not allowed");
    }
  else if (is_digit (*ck->p))
    {
      while (ck->p < end && is_digit (*ck->p))
        ck->p++;
    }
  else
    return fail_expected (ck, "a digit");

  if (ck->p < end && *ck->p == '.')
    {
      ck->p++;
      if (ck->p >= end)
        return fail (ck, "the JSON text ends early, inside a number");
      if (!is_digit (*ck->p))
        return fail_expected (ck, "a digit after '.'");
      while (ck->p < end && is_digit (*ck->p))
        ck->p++;
    }
  if (ck->p < end && (*ck->p == 'e' || *ck->p == 'E'))
    {
      ck->p++;
      if (ck->p < end && (*ck->p == '+' || *ck->p == '-'))
        ck->p++;
      if (ck->p >= end)
        return fail (ck, "the JSON text ends early, inside a number");
      if (!is_digit (*ck->p))
        return fail_expected (ck, "a digit in the exponent");
      while (ck->p < end && is_digit (*ck->p))
        ck->p++;
    }
  return TRUE;
}

static gboolean
check_literal (Checker    *ck,
               const char *word)
{
  gsize n = strlen (word);

  for (gsize i = 0; i < n; i++)
    {
      if (ck->p >= ck->end)
        return fail (ck, "the JSON text ends early, inside '%s'", word);
      if (*ck->p != (guchar) word[i])
        return fail_expected (ck, "a value");
      ck->p++;
    }
  return TRUE;
}

/* A scalar value or the opening of a container at ck->p (not at the end). */
static gboolean
check_scalar (Checker *ck)
{
  switch (*ck->p)
    {
    case '"':
      return check_string (ck);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return check_number (ck);
    case 't':
      return check_literal (ck, "true");
    case 'f':
      return check_literal (ck, "false");
    case 'n':
      return check_literal (ck, "null");
    case 'N':
    case 'I':
      return fail (ck, "expected a value, found '%c' (NaN and Infinity are not JSON)", *ck->p);
    case '+':
    case '.':
      return fail (ck, "invalid number: a number starts with '-' or a digit");
    case '\'':
      return fail (ck, "expected a value, found '\\'' (JSON strings use double quotes)");
    default:
      return fail_expected (ck, "a value");
    }
}

typedef enum
{
  STATE_VALUE,        /* a value must come */
  STATE_FIRST_VALUE,  /* just after '[': a value or ']' */
  STATE_KEY,          /* after ',' in an object: a key must come */
  STATE_FIRST_KEY,    /* just after '{': a key or '}' */
  STATE_AFTER,        /* after a value */
} State;

gboolean
hone_json_check (const char  *name,
                 const char  *text,
                 gsize        len,
                 guint        first_line,
                 GError     **error)
{
  guchar stack[MAX_DEPTH];
  guint depth = 0;
  State state = STATE_VALUE;
  Checker ck;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ck.name = name;
  ck.start = (const guchar *) text;
  ck.p = ck.start;
  ck.end = ck.start + len;
  ck.line = first_line > 0 ? first_line : 1;
  ck.error = error;

  for (;;)
    {
      skip_space (&ck);

      switch (state)
        {
        case STATE_FIRST_VALUE:
          if (ck.p < ck.end && *ck.p == ']')
            {
              ck.p++;
              depth--;
              state = STATE_AFTER;
              continue;
            }
          G_GNUC_FALLTHROUGH;
        case STATE_VALUE:
          if (ck.p >= ck.end)
            return fail_expected (&ck, "a value");
          if (*ck.p == '[' || *ck.p == '{')
            {
              if (depth == MAX_DEPTH)
                return fail (&ck, "the JSON is nested too deeply (more than %d levels)",
                             MAX_DEPTH);
              stack[depth++] = *ck.p;
              state = *ck.p == '[' ? STATE_FIRST_VALUE : STATE_FIRST_KEY;
              ck.p++;
              continue;
            }
          if (state == STATE_VALUE && depth > 0 && stack[depth - 1] == '[' && *ck.p == ']')
            return fail (&ck, "expected a value, found ']' (a trailing comma is not allowed)");
          if (!check_scalar (&ck))
            return FALSE;
          state = STATE_AFTER;
          break;

        case STATE_FIRST_KEY:
          if (ck.p < ck.end && *ck.p == '}')
            {
              ck.p++;
              depth--;
              state = STATE_AFTER;
              continue;
            }
          G_GNUC_FALLTHROUGH;
        case STATE_KEY:
          if (ck.p < ck.end && *ck.p == '"')
            {
              if (!check_string (&ck))
                return FALSE;
              skip_space (&ck);
              if (ck.p >= ck.end || *ck.p != ':')
                return fail_expected (&ck, "':'");
              ck.p++;
              state = STATE_VALUE;
              continue;
            }
          if (state == STATE_KEY && ck.p < ck.end && *ck.p == '}')
            return fail (&ck, "expected a key, found '}' (a trailing comma is not allowed)");
          return fail_expected (&ck, "a key in double quotes");

        case STATE_AFTER:
          if (depth == 0)
            {
              if (ck.p < ck.end)
                {
                  g_autofree char *found = describe_here (&ck);
                  return fail (&ck, "unexpected text after the JSON value: %s", found);
                }
              return TRUE;
            }
          if (ck.p < ck.end && *ck.p == ',')
            {
              ck.p++;
              state = stack[depth - 1] == '[' ? STATE_VALUE : STATE_KEY;
              continue;
            }
          if (ck.p < ck.end && *ck.p == (stack[depth - 1] == '[' ? ']' : '}'))
            {
              ck.p++;
              depth--;
              continue;
            }
          return fail_expected (&ck, stack[depth - 1] == '[' ? "',' or ']'" : "',' or '}'");

        default:
          g_assert_not_reached ();
        }
    }
}


/* The tree. json-glib's own parser reads the text a second time with a general
 * scanner; the text is known to be valid here, so a plain descent builds the same
 * nodes in a fraction of the time. */

typedef struct
{
  const char         *p;
  GString            *buffer;     /* reused for every string's decoded bytes */
  const char * const *skip_keys;  /* members left out of objects; NULL: none */
} Builder;

static inline void
build_skip_space (Builder *b)
{
  while (*b->p == ' ' || *b->p == '\n' || *b->p == '\r' || *b->p == '\t')
    b->p++;
}

static guint
build_hex4 (const char *p)
{
  guint v = 0;

  for (int i = 0; i < 4; i++)
    v = (v << 4) | (guint) hex_value ((guchar) p[i]);
  return v;
}

/* Decodes the string at b->p (its opening quote) into b->buffer. */
static void
build_string (Builder *b)
{
  const char *p = b->p + 1;

  g_string_truncate (b->buffer, 0);
  for (;;)
    {
      const char *run = p;

      while (*p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (b->buffer, run, p - run);
      if (*p == '"')
        break;

      p++;
      switch (*p)
        {
        case 'b': g_string_append_c (b->buffer, '\b'); p++; break;
        case 'f': g_string_append_c (b->buffer, '\f'); p++; break;
        case 'n': g_string_append_c (b->buffer, '\n'); p++; break;
        case 'r': g_string_append_c (b->buffer, '\r'); p++; break;
        case 't': g_string_append_c (b->buffer, '\t'); p++; break;
        case 'u':
          {
            gunichar c = build_hex4 (p + 1);

            p += 5;
            if (c >= 0xd800 && c <= 0xdbff)
              {
                /* The check made sure a low surrogate escape follows. */
                gunichar low = build_hex4 (p + 2);
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
              }
            g_string_append_unichar (b->buffer, c);
          }
          break;
        default:  /* '"', '\\', '/' */
          g_string_append_c (b->buffer, *p);
          p++;
          break;
        }
    }
  b->p = p + 1;
}

static JsonNode *
build_number (Builder *b)
{
  const char *start = b->p;
  const char *p = start;
  gboolean integer = TRUE;
  JsonNode *node = json_node_alloc ();

  if (*p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.' || *p == 'e' || *p == 'E')
    {
      integer = FALSE;
      while (g_ascii_isdigit (*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' ||
             *p == '-')
        p++;
    }
  b->p = p;

  if (integer && p - start < 19)
    {
      /* Fits in 18 digits: no overflow possible. */
      gint64 v = 0;
      const char *q = start + (*start == '-');

      for (; q < p; q++)
        v = v * 10 + (*q - '0');
      return json_node_init_int (node, *start == '-' ? -v : v);
    }
  if (integer)
    {
      char *end = NULL;
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (start, &end, 10);
      if (errno == 0)
        return json_node_init_int (node, v);
      /* Beyond 64 bits: kept as a double rather than wrapped around. */
    }
  return json_node_init_double (node, g_ascii_strtod (start, NULL));
}

/* Moves past the value at b->p without building it. */
static void
skip_value (Builder *b)
{
  guint depth = 0;

  do
    {
      build_skip_space (b);
      switch (*b->p)
        {
        case '{':
        case '[':
          depth++;
          b->p++;
          break;
        case '}':
        case ']':
          depth--;
          b->p++;
          break;
        case '"':
          for (b->p++; *b->p != '"'; b->p++)
            if (*b->p == '\\')
              b->p++;
          b->p++;
          break;
        case ',':
        case ':':
          b->p++;
          break;
        default:
          /* A number or a literal: up to the next delimiter. */
          while (*b->p != ',' && *b->p != '}' && *b->p != ']' && *b->p != ' ' &&
                 *b->p != '\n' && *b->p != '\r' && *b->p != '\t' && *b->p != '\0')
            b->p++;
          break;
        }
    }
  while (depth > 0);
}

static gboolean
is_skipped (Builder    *b,
            const char *key)
{
  if (b->skip_keys == NULL)
    return FALSE;
  for (guint i = 0; b->skip_keys[i] != NULL; i++)
    if (key[0] == b->skip_keys[i][0] && strcmp (key, b->skip_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

static JsonNode *
build_value (Builder *b)
{
  JsonNode *node;

  build_skip_space (b);
  switch (*b->p)
    {
    case '{':
      {
        JsonObject *object = json_object_new ();

        b->p++;
        build_skip_space (b);
        if (*b->p == '}')
          b->p++;
        else
          for (;;)
            {
              g_autofree char *key = NULL;
              JsonNode *value;

              build_skip_space (b);
              build_string (b);
              key = g_strndup (b->buffer->str, b->buffer->len);
              build_skip_space (b);
              b->p++;  /* ':' */
              if (is_skipped (b, key))
                skip_value (b);
              else
                {
                  value = build_value (b);
                  json_object_set_member (object, key, value);
                }
              build_skip_space (b);
              if (*b->p++ == '}')
                break;
            }
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }

    case '[':
      {
        JsonArray *array = json_array_new ();

        b->p++;
        build_skip_space (b);
        if (*b->p == ']')
          b->p++;
        else
          for (;;)
            {
              json_array_add_element (array, build_value (b));
              build_skip_space (b);
              if (*b->p++ == ']')
                break;
            }
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }

    case '"':
      build_string (b);
      /* As with json-glib, a string holding "\u0000" ends there. */
      node = json_node_alloc ();
      json_node_init_string (node, b->buffer->str);
      return node;

    case 't':
      b->p += 4;
      return json_node_init_boolean (json_node_alloc (), TRUE);

    case 'f':
      b->p += 5;
      return json_node_init_boolean (json_node_alloc (), FALSE);

    case 'n':
      b->p += 4;
      return json_node_init_null (json_node_alloc ());

    default:
      return build_number (b);
    }
}

static JsonNode *
parse (const char          *name,
       const char          *text,
       gsize                len,
       guint                first_line,
       const char * const  *skip_keys,
       GError             **error)
{
  g_autoptr(GString) buffer = NULL;
  g_autofree char *terminated = NULL;
  Builder builder;

  if (!hone_json_check (name, text, len, first_line, error))
    return NULL;

  /* The builder stops at the end of the value, before @len; it only needs a byte that
   * ends a number there. A valid text that ends in a number (a bare "42") is the one
   * case that needs a terminated copy. */
  builder.p = text;
  if (len > 0 && g_ascii_isdigit (text[len - 1]))
    {
      terminated = g_strndup (text, len);
      builder.p = terminated;
    }
  buffer = g_string_sized_new (256);
  builder.buffer = buffer;
  builder.skip_keys = skip_keys;
  return build_value (&builder);
}

JsonNode *
hone_json_parse (const char  *name,
                 const char  *text,
                 gsize        len,
                 guint        first_line,
                 GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (name, text, len, first_line, NULL, error);
}

JsonNode *
hone_json_parse_skipping (const char          *name,
                          const char          *text,
                          gsize                len,
                          guint                first_line,
                          const char * const  *skip_keys,
                          GError             **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (name, text, len, first_line, skip_keys, error);
}

/* "a string", "a number" … for shape messages. */
static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "true or false";
        default:
          return "a number";
        }
    default:
      return "something else";
    }
}

static gboolean
shape_error (GError     **error,
             const char  *name,
             guint        line,
             const char  *key,
             const char  *wanted,
             JsonNode    *node)
{
  if (node == NULL)
    hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                           "`%s` is missing (it should be %s)", key, wanted);
  else
    hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                           "`%s` should be %s, not %s", key, wanted, describe_node (node));
  return FALSE;
}

gboolean
hone_json_get_string (JsonObject  *object,
                      const char  *key,
                      gboolean     required,
                      gboolean     nullable,
                      const char **out,
                      const char  *name,
                      guint        line,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = NULL;
  node = json_object_get_member (object, key);
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      return shape_error (error, name, line, key, nullable ? "a string or null" : "a string",
                          NULL);
    }
  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return shape_error (error, name, line, key, nullable ? "a string or null" : "a string",
                        node);
  *out = json_node_get_string (node);
  return TRUE;
}

/* Member @key of @object when it is a node of @type (described as @wanted); *@out is
 * NULL when it is missing and not @required. */
static gboolean
get_member_of_type (JsonObject    *object,
                    const char    *key,
                    gboolean       required,
                    JsonNodeType   type,
                    const char    *wanted,
                    JsonNode     **out,
                    const char    *name,
                    guint          line,
                    GError       **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL)
    return required ? shape_error (error, name, line, key, wanted, NULL) : TRUE;
  if (JSON_NODE_TYPE (node) != type)
    return shape_error (error, name, line, key, wanted, node);
  *out = node;
  return TRUE;
}

gboolean
hone_json_get_array (JsonObject  *object,
                     const char  *key,
                     gboolean     required,
                     JsonArray  **out,
                     const char  *name,
                     guint        line,
                     GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = NULL;
  if (!get_member_of_type (object, key, required, JSON_NODE_ARRAY, "an array", &node,
                           name, line, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_array (node);
  return TRUE;
}

gboolean
hone_json_get_object (JsonObject  *object,
                      const char  *key,
                      gboolean     required,
                      JsonObject **out,
                      const char  *name,
                      guint        line,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = NULL;
  if (!get_member_of_type (object, key, required, JSON_NODE_OBJECT, "an object", &node,
                           name, line, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_object (node);
  return TRUE;
}

gboolean
hone_json_get_int (JsonObject  *object,
                   const char  *key,
                   gboolean     required,
                   gint64      *out,
                   gboolean    *present,
                   const char  *name,
                   guint        line,
                   GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = 0;
  if (present != NULL)
    *present = FALSE;
  node = json_object_get_member (object, key);
  if (node == NULL)
    return required ? shape_error (error, name, line, key, "a whole number", NULL) : TRUE;
  /* json-glib keeps numbers without '.' or exponent as gint64. */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                                 "`%s` should be a whole number, not a number with a "
                                 "fraction or an exponent (or beyond 64 bits)", key);
          return FALSE;
        }
      return shape_error (error, name, line, key, "a whole number", node);
    }
  *out = json_node_get_int (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

JsonObject *
hone_json_array_get_object (JsonArray   *array,
                            guint        index,
                            const char  *key,
                            const char  *name,
                            guint        line,
                            GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (index >= json_array_get_length (array))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                             "`%s` has no element %u", key, index);
      return NULL;
    }
  node = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      hone_import_set_error (error, HONE_IMPORT_ERROR_SHAPE, name, line,
                             "each element of `%s` should be an object, but element %u is %s",
                             key, index, describe_node (node));
      return NULL;
    }
  return json_node_get_object (node);
}
