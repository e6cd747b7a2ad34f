/* hone-jinja.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Jinja interpreter for chat templates. It renders the way Hugging Face renders
 * (jinja2's ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks on, the
 * loopcontrols extension, tojson = json.dumps(x, ensure_ascii=False), and the
 * raise_exception and strftime_now globals), byte for byte. It covers what real chat
 * templates use; anything else is an error that names the template line.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HONE_JINJA_ERROR (hone_jinja_error_quark ())

typedef enum
{
  HONE_JINJA_ERROR_SYNTAX,       /* the template does not parse, or uses unsupported syntax */
  HONE_JINJA_ERROR_RENDER,       /* a type error, an undefined value used, a bad call */
  HONE_JINJA_ERROR_RAISED,       /* the template called raise_exception(): its message */
  HONE_JINJA_ERROR_LIMIT,        /* recursion, output size or loop iterations ran away */
} HoneJinjaError;

typedef struct _HoneJinjaTemplate HoneJinjaTemplate;

/* One byte range [start, end) of the output that came from a marked input string
 * (for chat templates: an assistant message's content). */
typedef struct
{
  gsize start;
  gsize end;
} HoneJinjaSpan;

GQuark              hone_jinja_error_quark     (void);

/* Parses @source (UTF-8, @length bytes or -1 for NUL-terminated). */
HoneJinjaTemplate  *hone_jinja_template_new    (const char         *source,
                                                gssize              length,
                                                GError            **error);
void                hone_jinja_template_free   (HoneJinjaTemplate  *self);

/* Renders with the members of @context (a JSON object) as variables. Strings inside
 * @context that are listed in @marked (JsonNode pointers of string values, or NULL)
 * are tracked: each byte range of the output that comes from one of them, unchanged
 * or through strip/trim/split/slicing, is returned in @spans (an array of
 * HoneJinjaSpan, may be NULL). @now fixes strftime_now() (NULL: the current time). */
char               *hone_jinja_template_render (HoneJinjaTemplate  *self,
                                                JsonObject         *context,
                                                GHashTable         *marked,
                                                GDateTime          *now,
                                                GArray            **spans,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneJinjaTemplate, hone_jinja_template_free)

G_END_DECLS
