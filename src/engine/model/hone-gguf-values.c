/* hone-gguf-values.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GGUF metadata values: the typed getters, with integer widths promoted when the value
 * fits, value text for listings, and the array accessors (elements by index, or whole
 * arrays converted at once). Everything here reads what hone-gguf.c already checked.
 */
#define G_LOG_DOMAIN "hone-gguf"

#include "config.h"

#include <string.h>

#include "hone-gguf-private.h"

/* Metadata */

guint
hone_gguf_get_n_keys (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->n_kvs;
}

const char *
hone_gguf_get_key (HoneGguf *gguf,
                   guint     index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->n_kvs, NULL);
  return gguf->kvs[index].key;
}

gboolean
hone_gguf_has_key (HoneGguf   *gguf,
                   const char *key)
{
  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  return g_hash_table_contains (gguf->kv_index, key);
}

HoneGgufType
hone_gguf_get_key_type (HoneGguf   *gguf,
                        const char *key)
{
  HoneGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, HONE_GGUF_TYPE_NONE);
  g_return_val_if_fail (key != NULL, HONE_GGUF_TYPE_NONE);

  kv = g_hash_table_lookup (gguf->kv_index, key);
  return kv != NULL ? kv->type : HONE_GGUF_TYPE_NONE;
}

static void
append_escaped (GString    *out,
                const char *s,
                gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar ch = s[i];

      if (ch == '"' || ch == '\\')
        g_string_append_printf (out, "\\%c", ch);
      else if (ch == '\n')
        g_string_append (out, "\\n");
      else if (ch < 0x20 || ch == 0x7f)
        g_string_append_printf (out, "\\x%02x", ch);
      else
        g_string_append_c (out, ch);
    }
  g_string_append_c (out, '"');
}

static void
append_number (GString      *out,
               HoneGgufType  type,
               const guint8 *p)
{
  HoneGgufNumber num;

  hone_gguf_decode_number (type, p, &num);
  if (type == HONE_GGUF_TYPE_BOOL)
    g_string_append (out, num.u ? "true" : "false");
  else if (num.is_float)
    g_string_append_printf (out, "%.9g", num.f);
  else if (num.negative)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, num.s);
  else
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, num.u);
}

static void
append_array (GString             *out,
              const HoneGgufArray *array,
              guint                max_elements)
{
  g_string_append_printf (out, "[%s × %" G_GUINT64_FORMAT "] [", hone_gguf_type_name (array->type),
                          array->n);
  for (guint64 i = 0; i < array->n && i < max_elements; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      if (array->type == HONE_GGUF_TYPE_STRING)
        {
          gsize len;
          const char *s = hone_gguf_array_get_string (array, i, &len);

          append_escaped (out, s, len);
        }
      else if (array->type == HONE_GGUF_TYPE_ARRAY)
        append_array (out, &array->children[i], max_elements);
      else
        append_number (out, array->type,
                       array->data + i * hone_gguf_type_fixed_size (array->type));
    }
  if (array->n > max_elements)
    g_string_append (out, ", …");
  g_string_append_c (out, ']');
}

char *
hone_gguf_dup_value_text (HoneGguf   *gguf,
                          const char *key,
                          guint       max_elements)
{
  GString *out;
  HoneGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  kv = g_hash_table_lookup (gguf->kv_index, key);
  if (kv == NULL)
    return NULL;
  out = g_string_new (NULL);
  if (kv->type == HONE_GGUF_TYPE_STRING)
    append_escaped (out, kv->string, kv->string_len);
  else if (kv->type == HONE_GGUF_TYPE_ARRAY)
    append_array (out, kv->array, max_elements);
  else
    append_number (out, kv->type, kv->value);
  return g_string_free (out, FALSE);
}

/* Finds @key, failing unless its type passes @accept. */
static HoneGgufKv *
lookup (HoneGguf    *gguf,
        const char  *key,
        gboolean   (*accept) (HoneGgufType type),
        const char  *wanted,
        GError     **error)
{
  HoneGgufKv *kv;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  kv = g_hash_table_lookup (gguf->kv_index, key);
  if (kv == NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: no metadata key '%s'", gguf->name, key);
      return NULL;
    }
  if (!accept (kv->type))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                   "%s: key '%s' holds a %s, not %s", gguf->name, key,
                   hone_gguf_type_name (kv->type), wanted);
      return NULL;
    }
  return kv;
}

static gboolean
accept_numeric (HoneGgufType type)
{
  return hone_gguf_type_is_integer (type) || type == HONE_GGUF_TYPE_FLOAT32
         || type == HONE_GGUF_TYPE_FLOAT64;
}

static gboolean
accept_bool (HoneGgufType type)
{
  return type == HONE_GGUF_TYPE_BOOL;
}

static gboolean
accept_string (HoneGgufType type)
{
  return type == HONE_GGUF_TYPE_STRING;
}

static gboolean
accept_array (HoneGgufType type)
{
  return type == HONE_GGUF_TYPE_ARRAY;
}

static gboolean
get_integer (HoneGguf        *gguf,
             const char      *key,
             gint64           min,
             guint64          max,
             HoneGgufNumber  *num,
             GError         **error)
{
  HoneGgufKv *kv = lookup (gguf, key, hone_gguf_type_is_integer, "an integer", error);

  if (kv == NULL)
    return FALSE;
  hone_gguf_decode_number (kv->type, kv->value, num);
  if (!hone_gguf_number_fits (num, min, max))
    {
      g_autofree char *text = hone_gguf_dup_value_text (gguf, key, 0);

      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                   "%s: key '%s' holds %s, out of range", gguf->name, key, text);
      return FALSE;
    }
  return TRUE;
}

#define DEFINE_INT_GETTER(suffix, ctype, min, max, field)                                 \
  gboolean                                                                                \
  hone_gguf_get_##suffix (HoneGguf   *gguf,                                               \
                          const char *key,                                                \
                          ctype      *value,                                              \
                          GError    **error)                                              \
  {                                                                                       \
    HoneGgufNumber num;                                                                           \
                                                                                          \
    if (!get_integer (gguf, key, min, max, &num, error))                                  \
      return FALSE;                                                                       \
    if (value != NULL)                                                                    \
      *value = num.negative ? (ctype) num.s : (ctype) num.u;                              \
    return TRUE;                                                                          \
  }

DEFINE_INT_GETTER (u8, guint8, 0, G_MAXUINT8, u)
DEFINE_INT_GETTER (i8, gint8, G_MININT8, G_MAXINT8, s)
DEFINE_INT_GETTER (u16, guint16, 0, G_MAXUINT16, u)
DEFINE_INT_GETTER (i16, gint16, G_MININT16, G_MAXINT16, s)
DEFINE_INT_GETTER (u32, guint32, 0, G_MAXUINT32, u)
DEFINE_INT_GETTER (i32, gint32, G_MININT32, G_MAXINT32, s)
DEFINE_INT_GETTER (u64, guint64, 0, G_MAXUINT64, u)
DEFINE_INT_GETTER (i64, gint64, G_MININT64, G_MAXINT64, s)

gboolean
hone_gguf_get_f64 (HoneGguf    *gguf,
                   const char  *key,
                   double      *value,
                   GError     **error)
{
  HoneGgufKv *kv = lookup (gguf, key, accept_numeric, "a number", error);
  HoneGgufNumber num;

  if (kv == NULL)
    return FALSE;
  hone_gguf_decode_number (kv->type, kv->value, &num);
  if (value != NULL)
    *value = num.f;
  return TRUE;
}

gboolean
hone_gguf_get_f32 (HoneGguf    *gguf,
                   const char  *key,
                   float       *value,
                   GError     **error)
{
  double d;

  if (!hone_gguf_get_f64 (gguf, key, &d, error))
    return FALSE;
  if (value != NULL)
    *value = (float) d;
  return TRUE;
}

gboolean
hone_gguf_get_bool (HoneGguf    *gguf,
                    const char  *key,
                    gboolean    *value,
                    GError     **error)
{
  HoneGgufKv *kv = lookup (gguf, key, accept_bool, "a bool", error);

  if (kv == NULL)
    return FALSE;
  if (value != NULL)
    *value = kv->value[0] != 0;
  return TRUE;
}

const char *
hone_gguf_get_string (HoneGguf    *gguf,
                      const char  *key,
                      gsize       *len,
                      GError     **error)
{
  HoneGgufKv *kv = lookup (gguf, key, accept_string, "a string", error);

  if (kv == NULL)
    return NULL;
  if (len != NULL)
    *len = kv->string_len;
  return kv->string;
}

const HoneGgufArray *
hone_gguf_get_array (HoneGguf    *gguf,
                     const char  *key,
                     GError     **error)
{
  HoneGgufKv *kv = lookup (gguf, key, accept_array, "an array", error);

  return kv != NULL ? kv->array : NULL;
}

/* Arrays */

HoneGgufType
hone_gguf_array_get_type (const HoneGgufArray *array)
{
  g_return_val_if_fail (array != NULL, HONE_GGUF_TYPE_NONE);
  return array->type;
}

guint64
hone_gguf_array_get_length (const HoneGgufArray *array)
{
  g_return_val_if_fail (array != NULL, 0);
  return array->n;
}

const char *
hone_gguf_array_get_string (const HoneGgufArray *array,
                            guint64              index,
                            gsize               *len)
{
  const guint8 *p;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (index < array->n, NULL);

  if (array->type != HONE_GGUF_TYPE_STRING)
    return NULL;
  /* the length was checked against the file at open */
  p = array->data + array->offsets[index];
  if (len != NULL)
    *len = (gsize) hone_gguf_load_le (p, 8);
  return (const char *) p + 8;
}

char *
hone_gguf_array_dup_string (const HoneGgufArray *array,
                            guint64              index)
{
  gsize len;
  const char *s = hone_gguf_array_get_string (array, index, &len);

  return s != NULL ? hone_gguf_copy_string ((const guint8 *) s, len) : NULL;
}

const HoneGgufArray *
hone_gguf_array_get_array (const HoneGgufArray *array,
                           guint64              index)
{
  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (index < array->n, NULL);

  if (array->type != HONE_GGUF_TYPE_ARRAY)
    return NULL;
  return &array->children[index];
}

static gboolean
array_number (const HoneGgufArray *array,
              guint64              index,
              HoneGgufNumber      *num)
{
  gsize size;

  g_return_val_if_fail (array != NULL, FALSE);
  g_return_val_if_fail (index < array->n, FALSE);

  size = hone_gguf_type_fixed_size (array->type);
  if (size == 0)
    return FALSE;
  hone_gguf_decode_number (array->type, array->data + index * size, num);
  return TRUE;
}

gboolean
hone_gguf_array_get_int (const HoneGgufArray *array,
                         guint64              index,
                         gint64              *value)
{
  HoneGgufNumber num;

  if (!array_number (array, index, &num) || num.is_float
      || !hone_gguf_number_fits (&num, G_MININT64, G_MAXINT64))
    return FALSE;
  *value = num.negative ? num.s : (gint64) num.u;
  return TRUE;
}

gboolean
hone_gguf_array_get_uint (const HoneGgufArray *array,
                          guint64              index,
                          guint64             *value)
{
  HoneGgufNumber num;

  if (!array_number (array, index, &num) || num.is_float || num.negative)
    return FALSE;
  *value = num.u;
  return TRUE;
}

gboolean
hone_gguf_array_get_double (const HoneGgufArray *array,
                            guint64              index,
                            double              *value)
{
  HoneGgufNumber num;

  if (!array_number (array, index, &num))
    return FALSE;
  *value = num.f;
  return TRUE;
}

const void *
hone_gguf_array_get_data (const HoneGgufArray *array,
                          gsize               *size)
{
  gsize element_size;

  g_return_val_if_fail (array != NULL, NULL);

  element_size = hone_gguf_type_fixed_size (array->type);
  if (element_size == 0)
    return NULL;
  if (size != NULL)
    *size = array->n * element_size;
  return array->data;
}

static gboolean
array_check_type (const HoneGgufArray  *array,
                  gboolean            (*accept) (HoneGgufType type),
                  const char           *wanted,
                  GError              **error)
{
  if (accept (array->type))
    return TRUE;
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
               "%s: key '%s' is an array of %s, not of %s", array->file, array->key,
               hone_gguf_type_name (array->type), wanted);
  return FALSE;
}

static gboolean
accept_number_or_bool (HoneGgufType type)
{
  return accept_numeric (type) || type == HONE_GGUF_TYPE_BOOL;
}

static gboolean
accept_integer (HoneGgufType type)
{
  return hone_gguf_type_is_integer (type) || type == HONE_GGUF_TYPE_BOOL;
}

float *
hone_gguf_array_dup_f32 (const HoneGgufArray  *array,
                         GError              **error)
{
  g_autofree float *out = NULL;

  g_return_val_if_fail (array != NULL, NULL);

  if (!array_check_type (array, accept_number_or_bool, "numbers", error))
    return NULL;
  out = g_new (float, MAX (array->n, 1));
  if (array->type == HONE_GGUF_TYPE_FLOAT32)
    memcpy (out, array->data, array->n * sizeof (float));
  else
    for (guint64 i = 0; i < array->n; i++)
      {
        HoneGgufNumber num;

        array_number (array, i, &num);
        out[i] = (float) num.f;
      }
  return g_steal_pointer (&out);
}

static gboolean
dup_integers (const HoneGgufArray  *array,
              gint64                min,
              guint64               max,
              gboolean              is_signed,
              void                 *out,
              GError              **error)
{
  for (guint64 i = 0; i < array->n; i++)
    {
      HoneGgufNumber num;

      array_number (array, i, &num);
      if (!hone_gguf_number_fits (&num, min, max))
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_TYPE,
                       "%s: element %" G_GUINT64_FORMAT " of key '%s' is out of range",
                       array->file, i, array->key);
          return FALSE;
        }
      if (is_signed)
        ((gint32 *) out)[i] = num.negative ? (gint32) num.s : (gint32) num.u;
      else
        ((guint32 *) out)[i] = (guint32) num.u;
    }
  return TRUE;
}

gint32 *
hone_gguf_array_dup_i32 (const HoneGgufArray  *array,
                         GError              **error)
{
  g_autofree gint32 *out = NULL;

  g_return_val_if_fail (array != NULL, NULL);

  if (!array_check_type (array, accept_integer, "integers", error))
    return NULL;
  out = g_new (gint32, MAX (array->n, 1));
  if (array->type == HONE_GGUF_TYPE_INT32)
    memcpy (out, array->data, array->n * sizeof (gint32));
  else if (!dup_integers (array, G_MININT32, G_MAXINT32, TRUE, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

guint32 *
hone_gguf_array_dup_u32 (const HoneGgufArray  *array,
                         GError              **error)
{
  g_autofree guint32 *out = NULL;

  g_return_val_if_fail (array != NULL, NULL);

  if (!array_check_type (array, accept_integer, "integers", error))
    return NULL;
  out = g_new (guint32, MAX (array->n, 1));
  if (array->type == HONE_GGUF_TYPE_UINT32)
    memcpy (out, array->data, array->n * sizeof (guint32));
  else if (!dup_integers (array, 0, G_MAXUINT32, FALSE, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

char **
hone_gguf_array_dup_strv (const HoneGgufArray  *array,
                          GError              **error)
{
  char **strv;

  g_return_val_if_fail (array != NULL, NULL);

  if (!array_check_type (array, accept_string, "strings", error))
    return NULL;
  strv = g_new (char *, array->n + 1);
  for (guint64 i = 0; i < array->n; i++)
    strv[i] = hone_gguf_array_dup_string (array, i);
  strv[array->n] = NULL;
  return strv;
}
