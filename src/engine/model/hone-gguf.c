/* hone-gguf.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GGUF reader. A file is:
 *
 *   "GGUF" u32:version u64:n_tensors u64:n_keys
 *   n_keys × { string:key u32:type value }
 *   n_tensors × { string:name u32:n_dims u64:ne[n_dims] u32:ggml_type u64:offset }
 *   padding to the alignment (general.alignment, else 32), then the tensor data
 *
 * where a string is u64:length + bytes (no NUL) and an array value is u32:element_type
 * u64:count + elements. Every read below goes through the cursor, which refuses to step
 * past the end; every count is bounded by the bytes left before anything is allocated,
 * so memory stays proportional to the file's size whatever the header claims.
 */
#define G_LOG_DOMAIN "hone-gguf"

#include "config.h"

#include <string.h>

#include "hone-gguf-private.h"

/* Arrays of arrays deeper than this are refused (real files nest none). */
#define MAX_ARRAY_DEPTH 8


typedef struct
{
  HoneGguf      *gguf;
  gsize          pos;
  const char    *what;  /* what is being read, for the truncation message */
  const char    *what_name;  /* the key or tensor it belongs to, or NULL */
  GError       **error;
} Cursor;

static const guint8 fixed_sizes[] = {
  [HONE_GGUF_TYPE_UINT8] = 1,
  [HONE_GGUF_TYPE_INT8] = 1,
  [HONE_GGUF_TYPE_UINT16] = 2,
  [HONE_GGUF_TYPE_INT16] = 2,
  [HONE_GGUF_TYPE_UINT32] = 4,
  [HONE_GGUF_TYPE_INT32] = 4,
  [HONE_GGUF_TYPE_FLOAT32] = 4,
  [HONE_GGUF_TYPE_BOOL] = 1,
  [HONE_GGUF_TYPE_STRING] = 0,
  [HONE_GGUF_TYPE_ARRAY] = 0,
  [HONE_GGUF_TYPE_UINT64] = 8,
  [HONE_GGUF_TYPE_INT64] = 8,
  [HONE_GGUF_TYPE_FLOAT64] = 8,
};

gsize
hone_gguf_type_fixed_size (HoneGgufType type)
{
  return (guint) type < G_N_ELEMENTS (fixed_sizes) ? fixed_sizes[type] : 0;
}

gboolean
hone_gguf_type_is_valid (guint32 type)
{
  return type <= HONE_GGUF_TYPE_FLOAT64;
}

const char *
hone_gguf_type_name (HoneGgufType type)
{
  static const char *names[] = {
    "uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool",
    "string", "array", "uint64", "int64", "float64",
  };

  if ((guint) type < G_N_ELEMENTS (names))
    return names[type];
  return type == HONE_GGUF_TYPE_NONE ? "none" : "unknown";
}

gboolean
hone_gguf_type_is_integer (HoneGgufType type)
{
  switch (type)
    {
    case HONE_GGUF_TYPE_UINT8:
    case HONE_GGUF_TYPE_INT8:
    case HONE_GGUF_TYPE_UINT16:
    case HONE_GGUF_TYPE_INT16:
    case HONE_GGUF_TYPE_UINT32:
    case HONE_GGUF_TYPE_INT32:
    case HONE_GGUF_TYPE_UINT64:
    case HONE_GGUF_TYPE_INT64:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Decoded scalars */

/* Decodes a fixed-size numeric or bool value of @type at @p. */
void
hone_gguf_decode_number (HoneGgufType    type,
                         const guint8   *p,
                         HoneGgufNumber *num)
{
  guint64 raw = hone_gguf_load_le (p, hone_gguf_type_fixed_size (type));

  memset (num, 0, sizeof *num);
  switch (type)
    {
    case HONE_GGUF_TYPE_UINT8:
    case HONE_GGUF_TYPE_UINT16:
    case HONE_GGUF_TYPE_UINT32:
    case HONE_GGUF_TYPE_UINT64:
    case HONE_GGUF_TYPE_BOOL:
      num->u = raw;
      num->f = (double) raw;
      break;
    case HONE_GGUF_TYPE_INT8:
      num->s = (gint8) raw;
      break;
    case HONE_GGUF_TYPE_INT16:
      num->s = (gint16) raw;
      break;
    case HONE_GGUF_TYPE_INT32:
      num->s = (gint32) raw;
      break;
    case HONE_GGUF_TYPE_INT64:
      num->s = (gint64) raw;
      break;
    case HONE_GGUF_TYPE_FLOAT32:
      {
        guint32 bits = (guint32) raw;
        float f;

        memcpy (&f, &bits, sizeof f);
        num->is_float = TRUE;
        num->f = f;
      }
      break;
    case HONE_GGUF_TYPE_FLOAT64:
      memcpy (&num->f, &raw, sizeof num->f);
      num->is_float = TRUE;
      break;
    case HONE_GGUF_TYPE_STRING:
    case HONE_GGUF_TYPE_ARRAY:
    case HONE_GGUF_TYPE_NONE:
    default:
      g_assert_not_reached ();
    }

  switch (type)
    {
    case HONE_GGUF_TYPE_INT8:
    case HONE_GGUF_TYPE_INT16:
    case HONE_GGUF_TYPE_INT32:
    case HONE_GGUF_TYPE_INT64:
      num->f = (double) num->s;
      if (num->s < 0)
        num->negative = TRUE;
      else
        num->u = (guint64) num->s;
      break;
    default:
      break;
    }
}

gboolean
hone_gguf_number_fits (const HoneGgufNumber *num,
                       gint64                min,
                       guint64               max)
{
  if (num->negative)
    return num->s >= min;
  return num->u <= max;
}

/* The cursor */

static gboolean
cursor_fail (Cursor     *c,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
cursor_fail (Cursor     *c,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (c->error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: %s",
               c->gguf->name, message);
  return FALSE;
}

static inline gsize
cursor_left (Cursor *c)
{
  return c->gguf->size - c->pos;
}

static gboolean
cursor_need (Cursor *c,
             guint64 n)
{
  if (n > cursor_left (c))
    {
      if (c->what_name != NULL)
        return cursor_fail (c, "the file ends inside %s '%s' (at byte %" G_GSIZE_FORMAT ")",
                            c->what, c->what_name, c->pos);
      return cursor_fail (c, "the file ends inside %s (at byte %" G_GSIZE_FORMAT ")",
                          c->what, c->pos);
    }
  return TRUE;
}

static gboolean
cursor_u32 (Cursor  *c,
            guint32 *value)
{
  if (!cursor_need (c, 4))
    return FALSE;
  *value = (guint32) hone_gguf_load_le (c->gguf->base + c->pos, 4);
  c->pos += 4;
  return TRUE;
}

static gboolean
cursor_u64 (Cursor  *c,
            guint64 *value)
{
  if (!cursor_need (c, 8))
    return FALSE;
  *value = hone_gguf_load_le (c->gguf->base + c->pos, 8);
  c->pos += 8;
  return TRUE;
}

/* A string: sets @start to its first byte and @len to its length. */
static gboolean
cursor_string (Cursor        *c,
               const guint8 **start,
               gsize         *len)
{
  guint64 n;

  if (!cursor_u64 (c, &n))
    return FALSE;
  if (n > cursor_left (c))
    {
      if (c->what_name != NULL)
        return cursor_fail (c, "a string of %" G_GUINT64_FORMAT " bytes in %s '%s' runs past "
                            "the end of the file", n, c->what, c->what_name);
      return cursor_fail (c, "a string of %" G_GUINT64_FORMAT " bytes in %s runs past the end "
                          "of the file", n, c->what);
    }
  *start = c->gguf->base + c->pos;
  *len = (gsize) n;
  c->pos += n;
  return TRUE;
}

char *
hone_gguf_copy_string (const guint8 *start,
                       gsize         len)
{
  char *s = g_malloc (len + 1);

  memcpy (s, start, len);
  s[len] = '\0';
  return s;
}

/* Arrays */

static void
array_clear (HoneGgufArray *array)
{
  if (array->children != NULL)
    for (guint64 i = 0; i < array->n; i++)
      array_clear (&array->children[i]);
  g_clear_pointer (&array->children, g_free);
  g_clear_pointer (&array->offsets, g_free);
}

static void
array_free (HoneGgufArray *array)
{
  if (array == NULL)
    return;
  array_clear (array);
  g_free (array);
}

static gboolean
parse_array (Cursor        *c,
             HoneGgufArray *array,
             const char    *key,
             guint          depth)
{
  guint32 type;
  guint64 n;
  gsize element_size;

  array->file = c->gguf->name;
  array->key = key;
  if (!cursor_u32 (c, &type) || !cursor_u64 (c, &n))
    return FALSE;
  if (!hone_gguf_type_is_valid (type))
    return cursor_fail (c, "the array under key '%s' has unknown element type %u", key, type);
  array->type = type;
  array->data = c->gguf->base + c->pos;

  element_size = hone_gguf_type_fixed_size (type);
  if (element_size > 0)
    {
      if (n > cursor_left (c) / element_size)
        return cursor_fail (c, "the array under key '%s' (%" G_GUINT64_FORMAT " × %s) runs "
                            "past the end of the file", key, n, hone_gguf_type_name (type));
      array->n = n;
      c->pos += n * element_size;
      return TRUE;
    }

  if (type == HONE_GGUF_TYPE_STRING)
    {
      /* each element takes at least its 8-byte length */
      if (n > cursor_left (c) / 8)
        return cursor_fail (c, "the array under key '%s' claims %" G_GUINT64_FORMAT " strings, "
                            "more than the file can hold", key, n);
      array->offsets = g_new (guint64, n);
      array->n = n;
      for (guint64 i = 0; i < n; i++)
        {
          const guint8 *start;
          gsize len;

          array->offsets[i] = (c->gguf->base + c->pos) - array->data;
          if (!cursor_string (c, &start, &len))
            return FALSE;
        }
      return TRUE;
    }

  /* arrays of arrays: each element takes at least its type and count */
  if (depth >= MAX_ARRAY_DEPTH)
    return cursor_fail (c, "the array under key '%s' is nested more than %u deep", key,
                        MAX_ARRAY_DEPTH);
  if (n > cursor_left (c) / 12)
    return cursor_fail (c, "the array under key '%s' claims %" G_GUINT64_FORMAT " arrays, "
                        "more than the file can hold", key, n);
  array->children = g_new0 (HoneGgufArray, n);
  array->n = n;
  for (guint64 i = 0; i < n; i++)
    if (!parse_array (c, &array->children[i], key, depth + 1))
      return FALSE;
  return TRUE;
}

/* The header */

static gboolean
parse_kv (Cursor     *c,
          HoneGgufKv *kv)
{
  const guint8 *start;
  gsize len;
  guint32 type;
  gsize size;

  c->what = "a key name";
  c->what_name = NULL;
  if (!cursor_string (c, &start, &len))
    return FALSE;
  kv->key = hone_gguf_copy_string (start, len);
  /* the cursor's message names the key from here on */
  c->what = "key";
  c->what_name = kv->key;

  kv->raw = c->gguf->base + c->pos;
  if (!cursor_u32 (c, &type))
    return FALSE;
  if (!hone_gguf_type_is_valid (type))
    return cursor_fail (c, "key '%s' has unknown value type %u", kv->key, type);
  kv->type = type;
  kv->value = c->gguf->base + c->pos;

  size = hone_gguf_type_fixed_size (type);
  if (size > 0)
    {
      if (!cursor_need (c, size))
        return FALSE;
      c->pos += size;
    }
  else if (type == HONE_GGUF_TYPE_STRING)
    {
      if (!cursor_string (c, &start, &len))
        return FALSE;
      kv->string = hone_gguf_copy_string (start, len);
      kv->string_len = len;
    }
  else
    {
      kv->array = g_new0 (HoneGgufArray, 1);
      if (!parse_array (c, kv->array, kv->key, 1))
        return FALSE;
    }
  kv->raw_len = (c->gguf->base + c->pos) - kv->raw;
  return TRUE;
}

static gboolean
parse_tensor_info (Cursor         *c,
                   HoneGgufTensor *tensor,
                   guint           index)
{
  const guint8 *start;
  gsize len;
  guint32 n_dims, type;
  guint64 n_elements = 1;
  guint64 bytes;

  c->what = "a tensor name";
  c->what_name = NULL;
  if (!cursor_string (c, &start, &len))
    return FALSE;
  tensor->name = hone_gguf_copy_string (start, len);
  c->what = "tensor";
  c->what_name = tensor->name;

  if (!cursor_u32 (c, &n_dims))
    return FALSE;
  if (n_dims > HONE_GGUF_MAX_DIMS)
    return cursor_fail (c, "tensor '%s' has %u dimensions (at most %u)", tensor->name, n_dims,
                        HONE_GGUF_MAX_DIMS);
  tensor->n_dims = n_dims;
  for (guint i = 0; i < HONE_GGUF_MAX_DIMS; i++)
    tensor->ne[i] = 1;
  for (guint i = 0; i < n_dims; i++)
    {
      if (!cursor_u64 (c, &tensor->ne[i]))
        return FALSE;
      /* ggml holds dimensions as int64 */
      if (tensor->ne[i] > G_MAXINT64)
        return cursor_fail (c, "tensor '%s' has a negative dimension", tensor->name);
      if (tensor->ne[i] != 0 && n_elements > G_MAXINT64 / tensor->ne[i])
        return cursor_fail (c, "tensor '%s' has too many elements", tensor->name);
      n_elements *= tensor->ne[i];
    }
  tensor->n_elements = n_elements;

  if (!cursor_u32 (c, &type))
    return FALSE;
  if (!hone_ggml_type_is_known (type))
    return cursor_fail (c, "tensor '%s' has unknown type %u", tensor->name, type);
  tensor->type = type;
  if (tensor->ne[0] % hone_ggml_type_block_size (type) != 0)
    return cursor_fail (c, "tensor '%s': rows of %" G_GUINT64_FORMAT " elements are not a "
                        "whole number of %s blocks", tensor->name, tensor->ne[0],
                        hone_ggml_type_name (type));
  if (!hone_ggml_type_size_of (type, n_elements, &bytes) || bytes > G_MAXSIZE)
    return cursor_fail (c, "tensor '%s' is too large", tensor->name);
  tensor->size = (gsize) bytes;

  if (!cursor_u64 (c, &tensor->offset))
    return FALSE;
  (void) index;
  return TRUE;
}

static gboolean
read_alignment (HoneGguf  *gguf,
                GError   **error)
{
  guint32 alignment;

  gguf->alignment = HONE_GGUF_DEFAULT_ALIGNMENT;
  if (!hone_gguf_has_key (gguf, "general.alignment"))
    return TRUE;
  if (!hone_gguf_get_u32 (gguf, "general.alignment", &alignment, error))
    return FALSE;
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "%s: general.alignment %u is not a power of two", gguf->name, alignment);
      return FALSE;
    }
  gguf->alignment = alignment;
  return TRUE;
}

static gboolean
parse (HoneGguf  *gguf,
       GError   **error)
{
  Cursor c = { gguf, 0, "the header", NULL, error };
  guint32 magic_version;
  guint64 n_tensors, n_kvs;

  if (gguf->size < 4 || memcmp (gguf->base, "GGUF", 4) != 0)
    return cursor_fail (&c, "not a GGUF file (it does not start with “GGUF”)");
  c.pos = 4;
  if (!cursor_u32 (&c, &magic_version))
    return FALSE;
  gguf->version = magic_version;
  if (magic_version == 0x02000000 || magic_version == 0x03000000)
    return cursor_fail (&c, "big-endian GGUF files are not supported");
  if (magic_version != 2 && magic_version != 3)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: GGUF version %u is not supported (only versions 2 and 3)",
                   gguf->name, magic_version);
      return FALSE;
    }
  if (!cursor_u64 (&c, &n_tensors) || !cursor_u64 (&c, &n_kvs))
    return FALSE;

  /* A key takes at least 8 + 4 + 1 bytes, a tensor info 8 + 4 + 4 + 8. */
  if (n_kvs > cursor_left (&c) / 13)
    return cursor_fail (&c, "%" G_GUINT64_FORMAT " metadata keys cannot fit in the file", n_kvs);
  if (n_tensors > cursor_left (&c) / 24)
    return cursor_fail (&c, "%" G_GUINT64_FORMAT " tensors cannot fit in the file", n_tensors);

  gguf->kvs = g_new0 (HoneGgufKv, n_kvs);
  for (guint64 i = 0; i < n_kvs; i++)
    {
      HoneGgufKv *kv = &gguf->kvs[i];

      gguf->n_kvs = i + 1;
      if (!parse_kv (&c, kv))
        return FALSE;
      if (g_hash_table_contains (gguf->kv_index, kv->key))
        return cursor_fail (&c, "key '%s' appears twice", kv->key);
      g_hash_table_insert (gguf->kv_index, kv->key, kv);
    }
  if (!read_alignment (gguf, error))
    return FALSE;
  c.what = "the tensor infos";
  c.what_name = NULL;

  if (n_tensors > cursor_left (&c) / 24)
    return cursor_fail (&c, "%" G_GUINT64_FORMAT " tensors cannot fit in the file", n_tensors);
  gguf->tensors = g_new0 (HoneGgufTensor, n_tensors);
  for (guint64 i = 0; i < n_tensors; i++)
    {
      HoneGgufTensor *tensor = &gguf->tensors[i];

      gguf->n_tensors = i + 1;
      if (!parse_tensor_info (&c, tensor, i))
        return FALSE;
      if (g_hash_table_contains (gguf->tensor_index, tensor->name))
        return cursor_fail (&c, "tensor '%s' appears twice", tensor->name);
      g_hash_table_insert (gguf->tensor_index, (char *) tensor->name, tensor);
    }

  gguf->data_offset = ((guint64) c.pos + gguf->alignment - 1) / gguf->alignment
                      * gguf->alignment;
  for (guint i = 0; i < gguf->n_tensors; i++)
    {
      HoneGgufTensor *tensor = &gguf->tensors[i];

      if (tensor->offset % gguf->alignment != 0)
        return cursor_fail (&c, "tensor '%s' data offset %" G_GUINT64_FORMAT " is not a "
                            "multiple of the alignment (%u)", tensor->name, tensor->offset,
                            gguf->alignment);
      if (gguf->data_offset > gguf->size
          || tensor->offset > gguf->size - gguf->data_offset
          || tensor->size > gguf->size - gguf->data_offset - tensor->offset)
        return cursor_fail (&c, "tensor '%s' data runs past the end of the file",
                            tensor->name);
      tensor->data = gguf->base + gguf->data_offset + tensor->offset;
    }
  return TRUE;
}

HoneGguf *
hone_gguf_open_bytes (const char  *name,
                      GBytes      *bytes,
                      GError     **error)
{
  g_autoptr(HoneGguf) gguf = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gguf = g_new0 (HoneGguf, 1);
  gguf->name = g_strdup (name);
  gguf->bytes = g_bytes_ref (bytes);
  gguf->base = g_bytes_get_data (bytes, &gguf->size);
  gguf->kv_index = g_hash_table_new (g_str_hash, g_str_equal);
  gguf->tensor_index = g_hash_table_new (g_str_hash, g_str_equal);
  if (gguf->base == NULL)
    gguf->base = (const guint8 *) "";
  if (!parse (gguf, error))
    return NULL;
  return g_steal_pointer (&gguf);
}

HoneGguf *
hone_gguf_open (const char  *path,
                GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_path_get_basename (path);
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, "%s: %s", name,
                   local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  return hone_gguf_open_bytes (name, bytes, error);
}

void
hone_gguf_free (HoneGguf *gguf)
{
  if (gguf == NULL)
    return;
  for (guint i = 0; i < gguf->n_kvs; i++)
    {
      g_free (gguf->kvs[i].key);
      g_free (gguf->kvs[i].string);
      array_free (gguf->kvs[i].array);
    }
  g_free (gguf->kvs);
  for (guint i = 0; i < gguf->n_tensors; i++)
    g_free ((char *) gguf->tensors[i].name);
  g_free (gguf->tensors);
  g_clear_pointer (&gguf->kv_index, g_hash_table_unref);
  g_clear_pointer (&gguf->tensor_index, g_hash_table_unref);
  g_clear_pointer (&gguf->bytes, g_bytes_unref);
  g_free (gguf->name);
  g_free (gguf);
}

const char *
hone_gguf_get_name (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  return gguf->name;
}

guint32
hone_gguf_get_version (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->version;
}

guint32
hone_gguf_get_alignment (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->alignment;
}

guint64
hone_gguf_get_data_offset (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->data_offset;
}

guint64
hone_gguf_get_file_size (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->size;
}

const guint8 *
hone_gguf_get_raw_value (HoneGguf   *gguf,
                         const char *key,
                         gsize      *len)
{
  HoneGgufKv *kv = g_hash_table_lookup (gguf->kv_index, key);

  if (kv == NULL)
    return NULL;
  *len = kv->raw_len;
  return kv->raw;
}

/* Tensors */

guint
hone_gguf_get_n_tensors (HoneGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->n_tensors;
}

const HoneGgufTensor *
hone_gguf_get_tensor (HoneGguf *gguf,
                      guint     index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->n_tensors, NULL);
  return &gguf->tensors[index];
}

const HoneGgufTensor *
hone_gguf_find_tensor (HoneGguf   *gguf,
                       const char *name)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (gguf->tensor_index, name);
}
