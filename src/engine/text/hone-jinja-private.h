/* hone-jinja-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The interpreter's insides: values (refcounted, Python semantics), the syntax tree,
 * and the parts that the lexer/parser and the evaluator share.
 */
#pragma once

#include "hone-jinja.h"

G_BEGIN_DECLS

/* Guards against runaway templates. */
#define HONE_JINJA_MAX_DEPTH       200           /* nested expressions, blocks, macro calls */
#define HONE_JINJA_MAX_OUTPUT      (64u << 20)   /* bytes rendered */
#define HONE_JINJA_MAX_ITERATIONS  1000000       /* loop iterations in one render */

typedef enum
{
  JV_UNDEFINED,
  JV_NONE,
  JV_BOOL,
  JV_INT,
  JV_FLOAT,
  JV_STRING,
  JV_LIST,
  JV_DICT,
  JV_NAMESPACE,  /* a dict whose attributes {% set ns.x = … %} may change */
  JV_MACRO,
  JV_FUNCTION,   /* a global such as range() or a bound method such as str.strip */
} JType;

typedef struct _JNode JNode;
typedef struct _JValue JValue;

struct _JValue
{
  gint   ref;
  JType  type;
  union
  {
    gboolean b;
    gint64   i;
    double   f;
    struct
    {
      char   *s;
      gsize   len;
      GArray *spans;  /* HoneJinjaSpan: marked byte ranges, or NULL */
    } str;
    GPtrArray *list;  /* JValue */
    struct
    {
      GPtrArray  *keys;  /* char*, in insertion order */
      GHashTable *map;   /* char* → JValue */
    } dict;
    struct
    {
      const JNode *node;
    } macro;
    struct
    {
      char   *name;  /* the global's or the method's name */
      JValue *self;  /* the bound object, or NULL for globals */
    } fn;
  };
  char     *hint;   /* JV_UNDEFINED: what was undefined, for the error if it is used */
  gboolean  tuple;  /* JV_LIST: a Python tuple (printed in parentheses) */
};

JValue     *jv_ref             (JValue        *v);
void        jv_unref           (JValue        *v);
JValue     *jv_undefined       (const char    *hint_format,
                                ...) G_GNUC_PRINTF (1, 2);
JValue     *jv_none            (void);
JValue     *jv_bool            (gboolean       b);
JValue     *jv_int             (gint64         i);
JValue     *jv_float           (double         f);
JValue     *jv_string          (const char    *s,
                                gssize         len);
JValue     *jv_string_take     (char          *s,
                                gsize          len);
JValue     *jv_list            (void);
JValue     *jv_dict            (void);
JValue     *jv_function        (const char    *name,
                                JValue        *self);
void        jv_list_append     (JValue        *list,
                                JValue        *item);   /* takes @item */
void        jv_dict_set        (JValue        *dict,
                                const char    *key,
                                JValue        *item);   /* takes @item */
JValue     *jv_dict_get        (JValue        *dict,
                                const char    *key);    /* borrowed, or NULL */
gboolean    jv_truthy          (JValue        *v);
gboolean    jv_equal           (JValue        *a,
                                JValue        *b);
gboolean    jv_string_all_marked (JValue      *v);
void        jv_string_mark_all (JValue        *v);
const char *jv_type_name       (JValue        *v);

/* Python's str() of @v, appended to @out. */
void        jv_append_str      (GString       *out,
                                JValue        *v);
/* Python's repr(). */
void        jv_append_repr     (GString       *out,
                                JValue        *v);
/* json.dumps(v, ensure_ascii=False, indent=indent, separators=…, sort_keys=…);
 * indent < 0 means None. */
gboolean    jv_append_json     (GString       *out,
                                JValue        *v,
                                int            indent,
                                const char    *item_sep,
                                const char    *key_sep,
                                gboolean       sort_keys,
                                gboolean       ensure_ascii,
                                GError       **error);
/* Python's repr() of a float. */
void        jv_append_float    (GString       *out,
                                double         f);
JValue     *jv_from_json       (JsonNode      *node,
                                GHashTable    *marked);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JValue, jv_unref)

typedef enum
{
  /* expressions */
  JN_LITERAL,    /* value */
  JN_NAME,       /* name */
  JN_GETATTR,    /* a.name */
  JN_GETITEM,    /* a[b] */
  JN_SLICE,      /* a[b:c:d] with args = {b, c, d}, NULL where left out */
  JN_CALL,       /* a(args, names=kwargs) */
  JN_FILTER,     /* a | name(args, names=kwargs) */
  JN_TEST,       /* a is [not] name(args), op = negated */
  JN_UNARY,      /* op a: '-', '+', 'n' (not) */
  JN_BINARY,     /* a op b: + - * / f(//) % p(**) ~ */
  JN_COMPARE,    /* a op b op c…: args = operands, names = operators */
  JN_AND,
  JN_OR,
  JN_COND,       /* b if a else c */
  JN_LIST,       /* args */
  JN_TUPLE,      /* args */
  JN_DICT,       /* args: keys and values interleaved */
  /* statements */
  JN_TEXT,       /* value */
  JN_OUTPUT,     /* {{ a }} */
  JN_IF,         /* if a: body else: else_body */
  JN_FOR,        /* for names in a [if b]: body else: else_body */
  JN_SET,        /* set names = a, or set name.attr = a */
  JN_SET_BLOCK,  /* set name: body */
  JN_MACRO,      /* macro name(names = args defaults): body */
  JN_BREAK,
  JN_CONTINUE,
} JNodeKind;

struct _JNode
{
  JNodeKind  kind;
  int        line;
  int        op;
  char      *name;
  char      *attr;
  JValue    *value;
  JNode     *a;
  JNode     *b;
  JNode     *c;
  GPtrArray *args;       /* JNode (NULL entries allowed) */
  GPtrArray *names;      /* char* */
  GPtrArray *body;       /* JNode */
  GPtrArray *else_body;  /* JNode */
};

void        jnode_free         (JNode         *node);

/* Parses @source into a list of statement nodes. */
GPtrArray  *hone_jinja_parse   (const char    *source,
                                gsize          length,
                                GError       **error);

struct _HoneJinjaTemplate
{
  GPtrArray *body;  /* JNode */
};

/* ---- the evaluator's state, shared with the builtins ---- */

typedef struct _JFrame JFrame;

struct _JFrame
{
  GHashTable *vars;    /* char* → JValue */
  JFrame     *parent;  /* NULL for the root: the context's variables */
};

typedef struct
{
  GString   *out;
  GArray    *spans;       /* HoneJinjaSpan of out */
  JFrame    *frame;       /* the innermost scope */
  JFrame    *root;
  int        depth;
  guint64    iterations;
  int        control;     /* CONTROL_* after break or continue */
  GDateTime *now;
} JCtx;

/* Sets a render error naming @node's line; returns FALSE. */
gboolean    jctx_fail            (JCtx          *ctx,
                                  const JNode   *node,
                                  GError       **error,
                                  const char    *format,
                                  ...) G_GNUC_PRINTF (4, 5);
/* The error for using the undefined value @v. */
gboolean    jctx_undefined_error (JCtx          *ctx,
                                  const JNode   *node,
                                  JValue        *v,
                                  GError       **error);
gboolean    jctx_count_iterations (JCtx         *ctx,
                                   const JNode  *node,
                                   guint64       n,
                                   GError      **error);
/* Calls a macro or a function value. */
JValue     *jctx_call            (JCtx          *ctx,
                                  const JNode   *node,
                                  JValue        *callee,
                                  GPtrArray     *args,
                                  GPtrArray     *names,
                                  GError       **error);

/* a + b for strings, keeping the marked spans of both. */
JValue     *jv_concat            (JValue        *a,
                                  JValue        *b);
/* str(v) as a string value (marks kept when @v is a string). */
JValue     *jv_to_string         (JValue        *v);
/* Items of a list, a dict's keys, a string's characters; NULL if not iterable. */
GPtrArray  *jv_iterate           (JValue        *v);
JValue     *jv_getattr           (JValue        *obj,
                                  const char    *name);
/* -1, 0, 1, or 2 when the two cannot be ordered. */
int         jv_compare           (JValue        *a,
                                  JValue        *b);

/* Builtins (hone-jinja-builtins.c). @args holds positional then keyword values, the
 * keywords named in @names. Each returns a new value or NULL with @error set. */
JValue     *jinja_filter         (JCtx          *ctx,
                                  const JNode   *node,
                                  const char    *name,
                                  JValue        *value,
                                  GPtrArray     *args,
                                  GPtrArray     *names,
                                  GError       **error);
/* Returns 1 (true), 0 (false) or -1 with @error set. */
int         jinja_test           (JCtx          *ctx,
                                  const JNode   *node,
                                  const char    *name,
                                  JValue        *value,
                                  GPtrArray     *args,
                                  GPtrArray     *names,
                                  GError       **error);
/* A global function or a bound method (fn.self set). */
JValue     *jinja_function       (JCtx          *ctx,
                                  const JNode   *node,
                                  JValue        *fn,
                                  GPtrArray     *args,
                                  GPtrArray     *names,
                                  GError       **error);
gboolean    jinja_is_method      (JValue        *obj,
                                  const char    *name);

G_END_DECLS
