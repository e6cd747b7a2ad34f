/* hone-safetensors.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Safetensors reading and writing. The header is untrusted JSON: it goes through the
 * importers' strict checker (bounded nesting) before json-glib, and each tensor's shape
 * must multiply out, without overflow, to exactly the byte range it claims inside the
 * data section.
 */
#define G_LOG_DOMAIN "hone-safetensors"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "data/hone-json.h"
#include "hone-safetensors.h"

/* The format's own limit on the header. */
#define MAX_HEADER (100 * 1024 * 1024)

struct _HoneSafetensors
{
  char            *name;
  GBytes          *bytes;
  HoneSafetensor  *tensors;
  guint            n_tensors;
  GHashTable      *index;     /* name → HoneSafetensor * */
  GHashTable      *metadata;  /* key → value, both owned */
};

typedef struct
{
  const char   *dtype;
  HoneGgmlType  type;
  guint         size;
} Dtype;

static const Dtype dtypes[] = {
  { "F32", HONE_GGML_TYPE_F32, 4 },
  { "F16", HONE_GGML_TYPE_F16, 2 },
  { "BF16", HONE_GGML_TYPE_BF16, 2 },
  { "F64", HONE_GGML_TYPE_F64, 8 },
  { "I8", HONE_GGML_TYPE_I8, 1 },
  { "I16", HONE_GGML_TYPE_I16, 2 },
  { "I32", HONE_GGML_TYPE_I32, 4 },
  { "I64", HONE_GGML_TYPE_I64, 8 },
};

/* Element sizes of the dtypes Hone lists but does not convert. */
static const struct { const char *dtype; guint size; } other_dtypes[] = {
  { "U8", 1 }, { "BOOL", 1 }, { "U16", 2 }, { "U32", 4 }, { "U64", 8 },
  { "F8_E4M3", 1 }, { "F8_E5M2", 1 },
};

static gboolean
fail (GError     **error,
      const char  *name,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *name,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s: %s", name, message);
  return FALSE;
}

static gboolean
get_uint (JsonNode *node,
          guint64  *value)
{
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *value = (guint64) v;
  return TRUE;
}

static gboolean
read_tensor (HoneSafetensors  *st,
             HoneSafetensor   *tensor,
             const char       *name,
             JsonNode         *node,
             const guint8     *data,
             guint64           data_size,
             GError          **error)
{
  JsonObject *object;
  JsonNode *dtype_node;
  JsonArray *shape, *offsets;
  guint elem_size = 0;
  guint64 n_elements = 1;
  guint64 begin, end;

  tensor->name = g_strdup (name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, st->name, "tensor '%s' is not described by an object", name);
  object = json_node_get_object (node);

  dtype_node = json_object_get_member (object, "dtype");
  if (dtype_node == NULL || !JSON_NODE_HOLDS_VALUE (dtype_node)
      || json_node_get_value_type (dtype_node) != G_TYPE_STRING)
    return fail (error, st->name, "tensor '%s' has no dtype", name);
  tensor->dtype = g_strdup (json_node_get_string (dtype_node));
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (g_str_equal (tensor->dtype, dtypes[i].dtype))
      {
        tensor->supported = TRUE;
        tensor->type = dtypes[i].type;
        elem_size = dtypes[i].size;
      }
  for (guint i = 0; i < G_N_ELEMENTS (other_dtypes); i++)
    if (g_str_equal (tensor->dtype, other_dtypes[i].dtype))
      elem_size = other_dtypes[i].size;
  if (elem_size == 0)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_UNSUPPORTED,
                   "%s: tensor '%s' has unknown dtype '%s'", st->name, name, tensor->dtype);
      return FALSE;
    }

  if (json_object_get_member (object, "shape") == NULL
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "shape")))
    return fail (error, st->name, "tensor '%s' has no shape", name);
  shape = json_object_get_array_member (object, "shape");
  if (json_array_get_length (shape) > HONE_SAFETENSORS_MAX_DIMS)
    return fail (error, st->name, "tensor '%s' has %u dimensions (at most %d)", name,
                 json_array_get_length (shape), HONE_SAFETENSORS_MAX_DIMS);
  tensor->n_dims = json_array_get_length (shape);
  for (guint i = 0; i < tensor->n_dims; i++)
    {
      guint64 dim;

      if (!get_uint (json_array_get_element (shape, i), &dim))
        return fail (error, st->name, "tensor '%s' has a shape that is not a list of "
                     "non-negative integers", name);
      if (dim != 0 && n_elements > G_MAXINT64 / dim)
        return fail (error, st->name, "tensor '%s' has too many elements", name);
      tensor->shape[i] = dim;
      n_elements *= dim;
    }
  tensor->n_elements = n_elements;

  if (json_object_get_member (object, "data_offsets") == NULL
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "data_offsets")))
    return fail (error, st->name, "tensor '%s' has no data_offsets", name);
  offsets = json_object_get_array_member (object, "data_offsets");
  if (json_array_get_length (offsets) != 2
      || !get_uint (json_array_get_element (offsets, 0), &begin)
      || !get_uint (json_array_get_element (offsets, 1), &end)
      || begin > end)
    return fail (error, st->name, "tensor '%s' has bad data_offsets", name);
  if (end > data_size)
    return fail (error, st->name, "tensor '%s' data runs past the end of the file", name);
  if (n_elements > G_MAXUINT64 / elem_size || end - begin != n_elements * elem_size)
    return fail (error, st->name, "tensor '%s' takes %" G_GUINT64_FORMAT " bytes, but its shape "
                 "and dtype say otherwise", name, end - begin);
  tensor->size = (gsize) (end - begin);
  tensor->data = data + begin;
  return TRUE;
}

static int
compare_tensors (const void *a,
                 const void *b)
{
  return strcmp (((const HoneSafetensor *) a)->name, ((const HoneSafetensor *) b)->name);
}

HoneSafetensors *
hone_safetensors_open_bytes (const char  *name,
                             GBytes      *bytes,
                             GError     **error)
{
  g_autoptr(HoneSafetensors) st = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GList) members = NULL;
  const guint8 *base;
  gsize size;
  guint64 header_len;
  JsonObject *object;
  guint n = 0;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  st = g_new0 (HoneSafetensors, 1);
  st->name = g_strdup (name);
  st->bytes = g_bytes_ref (bytes);
  st->index = g_hash_table_new (g_str_hash, g_str_equal);
  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  base = g_bytes_get_data (bytes, &size);

  if (size < 8)
    {
      fail (error, name, "not a safetensors file (too short)");
      return NULL;
    }
  header_len = 0;
  for (guint i = 0; i < 8; i++)
    header_len |= (guint64) base[i] << (8 * i);
  if (header_len > size - 8 || header_len > MAX_HEADER || header_len < 2)
    {
      fail (error, name, "not a safetensors file (a header of %" G_GUINT64_FORMAT " bytes does "
            "not fit)", header_len);
      return NULL;
    }

  root = hone_json_parse (name, (const char *) base + 8, header_len, 1, &json_error);
  if (root == NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID, "%s (safetensors header)",
                   json_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, name, "the safetensors header is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  st->tensors = g_new0 (HoneSafetensor, MAX (g_list_length (members), 1));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);

      if (g_str_equal (key, "__metadata__"))
        {
          JsonObject *meta;
          g_autoptr(GList) meta_members = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              fail (error, name, "__metadata__ is not an object");
              return NULL;
            }
          meta = json_node_get_object (node);
          meta_members = json_object_get_members (meta);
          for (GList *m = meta_members; m != NULL; m = m->next)
            {
              JsonNode *value = json_object_get_member (meta, m->data);

              if (JSON_NODE_HOLDS_VALUE (value)
                  && json_node_get_value_type (value) == G_TYPE_STRING)
                g_hash_table_replace (st->metadata, g_strdup (m->data),
                                      g_strdup (json_node_get_string (value)));
            }
          continue;
        }
      st->n_tensors = ++n;
      if (!read_tensor (st, &st->tensors[n - 1], key, node, base + 8 + header_len,
                        size - 8 - header_len, error))
        return NULL;
    }
  qsort (st->tensors, st->n_tensors, sizeof (HoneSafetensor), compare_tensors);
  for (guint i = 0; i < st->n_tensors; i++)
    g_hash_table_insert (st->index, (char *) st->tensors[i].name, &st->tensors[i]);
  return g_steal_pointer (&st);
}

HoneSafetensors *
hone_safetensors_open (const char  *path,
                       GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_path_get_basename (path);
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, "%s: %s", name,
                   local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  return hone_safetensors_open_bytes (name, bytes, error);
}

void
hone_safetensors_free (HoneSafetensors *st)
{
  if (st == NULL)
    return;
  for (guint i = 0; i < st->n_tensors; i++)
    {
      g_free ((char *) st->tensors[i].name);
      g_free ((char *) st->tensors[i].dtype);
    }
  g_free (st->tensors);
  g_clear_pointer (&st->index, g_hash_table_unref);
  g_clear_pointer (&st->metadata, g_hash_table_unref);
  g_clear_pointer (&st->bytes, g_bytes_unref);
  g_free (st->name);
  g_free (st);
}

const char *
hone_safetensors_get_name (HoneSafetensors *st)
{
  g_return_val_if_fail (st != NULL, NULL);
  return st->name;
}

guint
hone_safetensors_get_n_tensors (HoneSafetensors *st)
{
  g_return_val_if_fail (st != NULL, 0);
  return st->n_tensors;
}

const HoneSafetensor *
hone_safetensors_get_tensor (HoneSafetensors *st,
                             guint            index)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (index < st->n_tensors, NULL);
  return &st->tensors[index];
}

const HoneSafetensor *
hone_safetensors_find_tensor (HoneSafetensors *st,
                              const char      *name)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (st->index, name);
}

const char *
hone_safetensors_get_metadata (HoneSafetensors *st,
                               const char      *key)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (st->metadata, key);
}

/* Writing */

gboolean
hone_safetensors_write (const char                  *path,
                        const HoneSafetensorsEntry  *entries,
                        guint                        n,
                        GError                     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *header = NULL;
  g_autofree char *name = g_path_get_basename (path);
  gsize header_len;
  guint64 offset = 0;
  guint8 len_bytes[8];

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "__metadata__");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "pt");
  json_builder_end_object (builder);
  for (guint i = 0; i < n; i++)
    {
      gsize size = g_bytes_get_size (entries[i].data);

      json_builder_set_member_name (builder, entries[i].name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, entries[i].dtype);
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < entries[i].n_dims; d++)
        json_builder_add_int_value (builder, (gint64) entries[i].shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + size));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += size;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  header = json_generator_to_data (generator, &header_len);

  /* the data section starts 8-aligned: pad the header with spaces */
  for (guint i = 0; i < 8; i++)
    len_bytes[i] = (((header_len + 7) / 8 * 8) >> (8 * i)) & 0xff;
  g_byte_array_append (out, len_bytes, 8);
  g_byte_array_append (out, (const guint8 *) header, header_len);
  while (out->len % 8 != 0)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  for (guint i = 0; i < n; i++)
    g_byte_array_append (out, g_bytes_get_data (entries[i].data, NULL),
                         g_bytes_get_size (entries[i].data));

  if (!g_file_set_contents_full (path, (const char *) out->data, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}
