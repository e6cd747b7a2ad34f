/* hone-gguf-writer.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GGUF writer: version 3, little-endian. Each key's value is serialised when it is
 * set, so the file is the header, the tensor infos, padding, and each tensor's bytes
 * padded to the alignment, written in one pass to a temporary file that replaces the
 * destination only once it is complete and on disk.
 */
#define G_LOG_DOMAIN "hone-gguf"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hone-gguf-private.h"

/* llama.cpp refuses tensor names of 64 bytes or more (GGML_MAX_NAME). */
#define MAX_TENSOR_NAME 64

typedef struct
{
  char       *key;
  GByteArray *value;  /* type tag and value */
} WriterKv;

typedef struct
{
  char         *name;
  HoneGgmlType  type;
  guint         n_dims;
  guint64       ne[HONE_GGUF_MAX_DIMS];
  GBytes       *data;
} WriterTensor;

struct _HoneGgufWriter
{
  guint32     alignment;
  GPtrArray  *kvs;           /* (element-type WriterKv) */
  GHashTable *kv_index;      /* key → WriterKv * */
  GPtrArray  *tensors;       /* (element-type WriterTensor) */
  GHashTable *tensor_names;  /* set */
};

static void
writer_kv_free (gpointer data)
{
  WriterKv *kv = data;

  g_free (kv->key);
  g_byte_array_unref (kv->value);
  g_free (kv);
}

static void
writer_tensor_free (gpointer data)
{
  WriterTensor *tensor = data;

  g_free (tensor->name);
  g_bytes_unref (tensor->data);
  g_free (tensor);
}

HoneGgufWriter *
hone_gguf_writer_new (void)
{
  HoneGgufWriter *writer = g_new0 (HoneGgufWriter, 1);

  writer->alignment = HONE_GGUF_DEFAULT_ALIGNMENT;
  writer->kvs = g_ptr_array_new_with_free_func (writer_kv_free);
  writer->kv_index = g_hash_table_new (g_str_hash, g_str_equal);
  writer->tensors = g_ptr_array_new_with_free_func (writer_tensor_free);
  writer->tensor_names = g_hash_table_new (g_str_hash, g_str_equal);
  return writer;
}

void
hone_gguf_writer_free (HoneGgufWriter *writer)
{
  if (writer == NULL)
    return;
  g_hash_table_unref (writer->kv_index);
  g_hash_table_unref (writer->tensor_names);
  g_ptr_array_unref (writer->kvs);
  g_ptr_array_unref (writer->tensors);
  g_free (writer);
}

static void
put_le (GByteArray *out,
        guint64     value,
        guint       n)
{
  guint8 bytes[8];

  for (guint i = 0; i < n; i++)
    bytes[i] = (value >> (8 * i)) & 0xff;
  g_byte_array_append (out, bytes, n);
}

static void
put_string (GByteArray *out,
            const char *s,
            gsize       len)
{
  put_le (out, len, 8);
  g_byte_array_append (out, (const guint8 *) s, len);
}

/* A fresh value buffer for @key, replacing any earlier one in place. */
static GByteArray *
begin_value (HoneGgufWriter *writer,
             const char     *key)
{
  WriterKv *kv;

  g_return_val_if_fail (writer != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  kv = g_hash_table_lookup (writer->kv_index, key);
  if (kv != NULL)
    {
      g_byte_array_set_size (kv->value, 0);
      return kv->value;
    }
  kv = g_new0 (WriterKv, 1);
  kv->key = g_strdup (key);
  kv->value = g_byte_array_new ();
  g_ptr_array_add (writer->kvs, kv);
  g_hash_table_insert (writer->kv_index, kv->key, kv);
  return kv->value;
}

static void
set_scalar (HoneGgufWriter *writer,
            const char     *key,
            HoneGgufType    type,
            guint64         bits)
{
  GByteArray *out = begin_value (writer, key);

  if (out == NULL)
    return;
  put_le (out, type, 4);
  put_le (out, bits, hone_gguf_type_fixed_size (type));
}

void
hone_gguf_writer_set_alignment (HoneGgufWriter *writer,
                                guint32         alignment)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (alignment != 0 && (alignment & (alignment - 1)) == 0);

  writer->alignment = alignment;
  if (alignment != HONE_GGUF_DEFAULT_ALIGNMENT
      || g_hash_table_contains (writer->kv_index, "general.alignment"))
    hone_gguf_writer_set_u32 (writer, "general.alignment", alignment);
}

void
hone_gguf_writer_set_u8 (HoneGgufWriter *writer, const char *key, guint8 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_UINT8, value);
}

void
hone_gguf_writer_set_i8 (HoneGgufWriter *writer, const char *key, gint8 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_INT8, (guint8) value);
}

void
hone_gguf_writer_set_u16 (HoneGgufWriter *writer, const char *key, guint16 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_UINT16, value);
}

void
hone_gguf_writer_set_i16 (HoneGgufWriter *writer, const char *key, gint16 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_INT16, (guint16) value);
}

void
hone_gguf_writer_set_u32 (HoneGgufWriter *writer, const char *key, guint32 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_UINT32, value);
}

void
hone_gguf_writer_set_i32 (HoneGgufWriter *writer, const char *key, gint32 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_INT32, (guint32) value);
}

void
hone_gguf_writer_set_u64 (HoneGgufWriter *writer, const char *key, guint64 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_UINT64, value);
}

void
hone_gguf_writer_set_i64 (HoneGgufWriter *writer, const char *key, gint64 value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_INT64, (guint64) value);
}

void
hone_gguf_writer_set_f32 (HoneGgufWriter *writer, const char *key, float value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  set_scalar (writer, key, HONE_GGUF_TYPE_FLOAT32, bits);
}

void
hone_gguf_writer_set_f64 (HoneGgufWriter *writer, const char *key, double value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);
  set_scalar (writer, key, HONE_GGUF_TYPE_FLOAT64, bits);
}

void
hone_gguf_writer_set_bool (HoneGgufWriter *writer, const char *key, gboolean value)
{
  set_scalar (writer, key, HONE_GGUF_TYPE_BOOL, value ? 1 : 0);
}

void
hone_gguf_writer_set_string (HoneGgufWriter *writer,
                             const char     *key,
                             const char     *value)
{
  GByteArray *out;

  g_return_if_fail (value != NULL);

  out = begin_value (writer, key);
  if (out == NULL)
    return;
  put_le (out, HONE_GGUF_TYPE_STRING, 4);
  put_string (out, value, strlen (value));
}

void
hone_gguf_writer_set_array (HoneGgufWriter *writer,
                            const char     *key,
                            HoneGgufType    type,
                            const void     *elements,
                            gsize           n)
{
  gsize size = hone_gguf_type_fixed_size (type);
  GByteArray *out;

  g_return_if_fail (size > 0);
  g_return_if_fail (elements != NULL || n == 0);

  out = begin_value (writer, key);
  if (out == NULL)
    return;
  put_le (out, HONE_GGUF_TYPE_ARRAY, 4);
  put_le (out, type, 4);
  put_le (out, n, 8);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (out, elements, n * size);
#else
  for (gsize i = 0; i < n; i++)
    {
      guint64 v = 0;

      memcpy (&v, (const guint8 *) elements + i * size, size);
      v = GUINT64_FROM_BE (v) >> (8 * (8 - size));
      put_le (out, v, size);
    }
#endif
}

void
hone_gguf_writer_set_strings (HoneGgufWriter     *writer,
                              const char         *key,
                              const char * const *strings,
                              const gsize        *lens,
                              gsize               n)
{
  GByteArray *out;

  g_return_if_fail (strings != NULL || n == 0);

  out = begin_value (writer, key);
  if (out == NULL)
    return;
  put_le (out, HONE_GGUF_TYPE_ARRAY, 4);
  put_le (out, HONE_GGUF_TYPE_STRING, 4);
  put_le (out, n, 8);
  for (gsize i = 0; i < n; i++)
    put_string (out, strings[i], lens != NULL ? lens[i] : strlen (strings[i]));
}

gboolean
hone_gguf_writer_copy_key (HoneGgufWriter  *writer,
                           HoneGguf        *source,
                           const char      *key,
                           GError         **error)
{
  const guint8 *raw;
  gsize len;
  GByteArray *out;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  raw = hone_gguf_get_raw_value (source, key, &len);
  if (raw == NULL)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_MISSING,
                   "%s: no metadata key '%s'", hone_gguf_get_name (source), key);
      return FALSE;
    }
  out = begin_value (writer, key);
  g_byte_array_append (out, raw, len);
  if (strcmp (key, "general.alignment") == 0)
    {
      guint32 alignment;

      if (hone_gguf_get_u32 (source, key, &alignment, NULL))
        writer->alignment = alignment;
    }
  return TRUE;
}

gboolean
hone_gguf_writer_add_tensor (HoneGgufWriter  *writer,
                             const char      *name,
                             HoneGgmlType     type,
                             guint            n_dims,
                             const guint64   *ne,
                             GBytes          *data,
                             GError         **error)
{
  WriterTensor *tensor;
  guint64 n_elements = 1;
  guint64 bytes;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (n_dims >= 1 && n_dims <= HONE_GGUF_MAX_DIMS, FALSE);
  g_return_val_if_fail (ne != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (strlen (name) >= MAX_TENSOR_NAME)
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "tensor name '%s' is longer than %d bytes", name, MAX_TENSOR_NAME - 1);
      return FALSE;
    }
  if (g_hash_table_contains (writer->tensor_names, name))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "tensor '%s' is added twice", name);
      return FALSE;
    }
  for (guint i = 0; i < n_dims; i++)
    {
      if (ne[i] > G_MAXINT64 || (ne[i] != 0 && n_elements > G_MAXINT64 / ne[i]))
        {
          g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                       "tensor '%s' is too large", name);
          return FALSE;
        }
      n_elements *= ne[i];
    }
  if (!hone_ggml_type_is_known (type) || ne[0] % hone_ggml_type_block_size (type) != 0
      || !hone_ggml_type_size_of (type, n_elements, &bytes))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "tensor '%s': rows of %" G_GUINT64_FORMAT " elements cannot be stored "
                   "as %s", name, ne[0], hone_ggml_type_name (type));
      return FALSE;
    }
  if (bytes != g_bytes_get_size (data))
    {
      g_set_error (error, HONE_MODEL_ERROR, HONE_MODEL_ERROR_INVALID,
                   "tensor '%s' needs %" G_GUINT64_FORMAT " bytes of %s, not %" G_GSIZE_FORMAT,
                   name, bytes, hone_ggml_type_name (type), g_bytes_get_size (data));
      return FALSE;
    }

  tensor = g_new0 (WriterTensor, 1);
  tensor->name = g_strdup (name);
  tensor->type = type;
  tensor->n_dims = n_dims;
  for (guint i = 0; i < HONE_GGUF_MAX_DIMS; i++)
    tensor->ne[i] = i < n_dims ? ne[i] : 1;
  tensor->data = g_bytes_ref (data);
  g_ptr_array_add (writer->tensors, tensor);
  g_hash_table_add (writer->tensor_names, tensor->name);
  return TRUE;
}

/* Output */

typedef struct
{
  int          fd;
  const char  *name;
  guint64      written;
  GError     **error;
} Sink;

static gboolean
sink_write (Sink       *sink,
            const void *data,
            gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (sink->fd, p, MIN (len, (gsize) 1 << 30));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (sink->error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "%s: %s", sink->name, g_strerror (saved_errno));
          return FALSE;
        }
      p += n;
      len -= n;
      sink->written += n;
    }
  return TRUE;
}

static gboolean
sink_pad (Sink    *sink,
          guint32  alignment)
{
  static const guint8 zeros[256];
  guint64 pad = (alignment - sink->written % alignment) % alignment;

  while (pad > 0)
    {
      gsize n = MIN (pad, sizeof zeros);

      if (!sink_write (sink, zeros, n))
        return FALSE;
      pad -= n;
    }
  return TRUE;
}

static guint64
padded (guint64 size,
        guint32 alignment)
{
  return (size + alignment - 1) / alignment * alignment;
}

static gboolean
write_contents (HoneGgufWriter *writer,
                Sink           *sink)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  guint64 offset = 0;

  g_byte_array_append (header, (const guint8 *) "GGUF", 4);
  put_le (header, 3, 4);
  put_le (header, writer->tensors->len, 8);
  put_le (header, writer->kvs->len, 8);
  for (guint i = 0; i < writer->kvs->len; i++)
    {
      WriterKv *kv = g_ptr_array_index (writer->kvs, i);

      put_string (header, kv->key, strlen (kv->key));
      g_byte_array_append (header, kv->value->data, kv->value->len);
    }
  for (guint i = 0; i < writer->tensors->len; i++)
    {
      WriterTensor *tensor = g_ptr_array_index (writer->tensors, i);

      put_string (header, tensor->name, strlen (tensor->name));
      put_le (header, tensor->n_dims, 4);
      for (guint d = 0; d < tensor->n_dims; d++)
        put_le (header, tensor->ne[d], 8);
      put_le (header, tensor->type, 4);
      put_le (header, offset, 8);
      offset += padded (g_bytes_get_size (tensor->data), writer->alignment);
    }
  if (!sink_write (sink, header->data, header->len))
    return FALSE;
  if (writer->tensors->len > 0 && !sink_pad (sink, writer->alignment))
    return FALSE;
  for (guint i = 0; i < writer->tensors->len; i++)
    {
      WriterTensor *tensor = g_ptr_array_index (writer->tensors, i);
      gsize size;
      const void *data = g_bytes_get_data (tensor->data, &size);

      if (!sink_write (sink, data, size) || !sink_pad (sink, writer->alignment))
        return FALSE;
    }
  return TRUE;
}

static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: the rename is durable once the folder is on disk too. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
hone_gguf_writer_write (HoneGgufWriter  *writer,
                        const char      *path,
                        GError         **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *name = NULL;
  Sink sink = { -1, NULL, 0, error };
  gboolean ok;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_path_get_basename (path);
  sink.name = name;
  tmp = g_strdup_printf ("%s.XXXXXX", path);
  sink.fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (sink.fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: cannot create a temporary file beside it: %s", name,
                   g_strerror (saved_errno));
      return FALSE;
    }

  ok = write_contents (writer, &sink);
  if (ok && fsync (sink.fd) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                   g_strerror (saved_errno));
      ok = FALSE;
    }
  if (close (sink.fd) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                   g_strerror (saved_errno));
      ok = FALSE;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", name,
                   g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (tmp);
      return FALSE;
    }
  sync_folder (path);
  return TRUE;
}
