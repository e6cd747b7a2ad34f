/* hone-gguf.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GGUF files, versions 2 and 3 (little-endian), read and written.
 *
 * The reader maps the file (GMappedFile) and checks the whole header at open: every
 * count, length and offset is bounded by the file's size before it is used, so a crafted
 * file gives an error naming it ("model.gguf: …") and never a read out of bounds.
 * Tensor data is not copied: HoneGgufTensor.data points into the mapping, which lives
 * as long as the HoneGguf.
 *
 * Metadata values: scalars are read with typed getters that accept any integer width
 * whose value fits (hone_gguf_get_u32() reads a u8 or an i64 of 7). Strings come back
 * NUL-terminated. Arrays are HoneGgufArray views owned by the HoneGguf: elements by
 * index in O(1) (strings as pointer + length into the mapping), or whole arrays
 * converted at once (hone_gguf_array_dup_f32() and friends), which is what a tokenizer
 * wants for its 150 000 tokens, scores and types.
 */
#pragma once

#include <glib.h>

#include "hone-ggml.h"

G_BEGIN_DECLS

/* Metadata value types, numbered as in the file. */
typedef enum
{
  HONE_GGUF_TYPE_UINT8 = 0,
  HONE_GGUF_TYPE_INT8 = 1,
  HONE_GGUF_TYPE_UINT16 = 2,
  HONE_GGUF_TYPE_INT16 = 3,
  HONE_GGUF_TYPE_UINT32 = 4,
  HONE_GGUF_TYPE_INT32 = 5,
  HONE_GGUF_TYPE_FLOAT32 = 6,
  HONE_GGUF_TYPE_BOOL = 7,
  HONE_GGUF_TYPE_STRING = 8,
  HONE_GGUF_TYPE_ARRAY = 9,
  HONE_GGUF_TYPE_UINT64 = 10,
  HONE_GGUF_TYPE_INT64 = 11,
  HONE_GGUF_TYPE_FLOAT64 = 12,
  HONE_GGUF_TYPE_NONE = 0xff,  /* no such key */
} HoneGgufType;

#define HONE_GGUF_DEFAULT_ALIGNMENT 32
#define HONE_GGUF_MAX_DIMS 4

typedef struct _HoneGguf HoneGguf;
typedef struct _HoneGgufArray HoneGgufArray;

typedef struct
{
  const char   *name;
  HoneGgmlType  type;
  guint         n_dims;
  guint64       ne[HONE_GGUF_MAX_DIMS];  /* ne[0] is the innermost (row length); unused: 1 */
  guint64       n_elements;
  guint64       offset;                  /* from the start of the data section */
  gsize         size;                    /* bytes */
  const void   *data;                    /* into the mapping, aligned as the file says */
} HoneGgufTensor;

/* "uint8", "string", "array"… */
const char            *hone_gguf_type_name            (HoneGgufType          type);

/* Reading */

HoneGguf              *hone_gguf_open                 (const char           *path,
                                                       GError              **error);
/* Reads a GGUF image held in @bytes (tests, fuzzing); @name is used in messages. */
HoneGguf              *hone_gguf_open_bytes           (const char           *name,
                                                       GBytes               *bytes,
                                                       GError              **error);
void                   hone_gguf_free                 (HoneGguf             *gguf);

/* The file's base name, as messages use it. */
const char            *hone_gguf_get_name             (HoneGguf             *gguf);
guint32                hone_gguf_get_version          (HoneGguf             *gguf);
guint32                hone_gguf_get_alignment        (HoneGguf             *gguf);
/* Byte offset of the data section in the file, and the file's size. */
guint64                hone_gguf_get_data_offset      (HoneGguf             *gguf);
guint64                hone_gguf_get_file_size        (HoneGguf             *gguf);

/* Metadata, in file order */
guint                  hone_gguf_get_n_keys           (HoneGguf             *gguf);
const char            *hone_gguf_get_key              (HoneGguf             *gguf,
                                                       guint                 index);
gboolean               hone_gguf_has_key              (HoneGguf             *gguf,
                                                       const char           *key);
/* HONE_GGUF_TYPE_NONE when @key is absent. */
HoneGgufType           hone_gguf_get_key_type         (HoneGguf             *gguf,
                                                       const char           *key);
/* A value as text for listings: strings quoted, arrays as "[type × n] [a, b, …]" with at
 * most @max_elements shown. */
char                  *hone_gguf_dup_value_text       (HoneGguf             *gguf,
                                                       const char           *key,
                                                       guint                 max_elements);

/* Typed getters: FALSE with HONE_MODEL_ERROR_MISSING when the key is absent,
 * HONE_MODEL_ERROR_TYPE when its type is another or its value does not fit. Integer
 * getters accept every integer type; float getters accept f32, f64 and integers. */
gboolean               hone_gguf_get_u8               (HoneGguf *gguf, const char *key,
                                                       guint8 *value, GError **error);
gboolean               hone_gguf_get_i8               (HoneGguf *gguf, const char *key,
                                                       gint8 *value, GError **error);
gboolean               hone_gguf_get_u16              (HoneGguf *gguf, const char *key,
                                                       guint16 *value, GError **error);
gboolean               hone_gguf_get_i16              (HoneGguf *gguf, const char *key,
                                                       gint16 *value, GError **error);
gboolean               hone_gguf_get_u32              (HoneGguf *gguf, const char *key,
                                                       guint32 *value, GError **error);
gboolean               hone_gguf_get_i32              (HoneGguf *gguf, const char *key,
                                                       gint32 *value, GError **error);
gboolean               hone_gguf_get_u64              (HoneGguf *gguf, const char *key,
                                                       guint64 *value, GError **error);
gboolean               hone_gguf_get_i64              (HoneGguf *gguf, const char *key,
                                                       gint64 *value, GError **error);
gboolean               hone_gguf_get_f32              (HoneGguf *gguf, const char *key,
                                                       float *value, GError **error);
gboolean               hone_gguf_get_f64              (HoneGguf *gguf, const char *key,
                                                       double *value, GError **error);
gboolean               hone_gguf_get_bool             (HoneGguf *gguf, const char *key,
                                                       gboolean *value, GError **error);
/* NUL-terminated, owned by @gguf; @len (may be NULL) is the length in the file, which
 * differs from strlen() when the string holds a NUL. */
const char            *hone_gguf_get_string           (HoneGguf             *gguf,
                                                       const char           *key,
                                                       gsize                *len,
                                                       GError              **error);
/* The array under @key, owned by @gguf. */
const HoneGgufArray   *hone_gguf_get_array            (HoneGguf             *gguf,
                                                       const char           *key,
                                                       GError              **error);

/* Arrays */
HoneGgufType           hone_gguf_array_get_type       (const HoneGgufArray  *array);
guint64                hone_gguf_array_get_length     (const HoneGgufArray  *array);
/* String element @index as a pointer into the mapping (not NUL-terminated) and its
 * length; NULL when @array does not hold strings. */
const char            *hone_gguf_array_get_string     (const HoneGgufArray  *array,
                                                       guint64               index,
                                                       gsize                *len);
/* The same, NUL-terminated and newly allocated. */
char                  *hone_gguf_array_dup_string     (const HoneGgufArray  *array,
                                                       guint64               index);
/* Element @index of an array of arrays. */
const HoneGgufArray   *hone_gguf_array_get_array      (const HoneGgufArray  *array,
                                                       guint64               index);
/* Element @index of a numeric or bool array, converted; FALSE for other arrays. */
gboolean               hone_gguf_array_get_int        (const HoneGgufArray  *array,
                                                       guint64               index,
                                                       gint64               *value);
gboolean               hone_gguf_array_get_uint       (const HoneGgufArray  *array,
                                                       guint64               index,
                                                       guint64              *value);
gboolean               hone_gguf_array_get_double     (const HoneGgufArray  *array,
                                                       guint64               index,
                                                       double               *value);
/* The elements of a fixed-size array as stored: little-endian, possibly unaligned;
 * NULL for arrays of strings or arrays. */
const void            *hone_gguf_array_get_data       (const HoneGgufArray  *array,
                                                       gsize                *size);
/* Whole arrays converted at once (g_free the result). f32 takes any numeric array;
 * i32/u32 any integer array whose values fit, else an error naming the key. */
float                 *hone_gguf_array_dup_f32        (const HoneGgufArray  *array,
                                                       GError              **error);
gint32                *hone_gguf_array_dup_i32        (const HoneGgufArray  *array,
                                                       GError              **error);
guint32               *hone_gguf_array_dup_u32        (const HoneGgufArray  *array,
                                                       GError              **error);
/* A NULL-terminated copy of a string array (g_strfreev). */
char                 **hone_gguf_array_dup_strv       (const HoneGgufArray  *array,
                                                       GError              **error);

/* Tensors, in file order */
guint                  hone_gguf_get_n_tensors        (HoneGguf             *gguf);
const HoneGgufTensor  *hone_gguf_get_tensor           (HoneGguf             *gguf,
                                                       guint                 index);
/* NULL when there is none of that name. */
const HoneGgufTensor  *hone_gguf_find_tensor          (HoneGguf             *gguf,
                                                       const char           *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGguf, hone_gguf_free)

/* Writing */

typedef struct _HoneGgufWriter HoneGgufWriter;

HoneGgufWriter        *hone_gguf_writer_new           (void);
void                   hone_gguf_writer_free          (HoneGgufWriter       *writer);
/* Data alignment (a power of two); other than 32 it is also written as
 * general.alignment. */
void                   hone_gguf_writer_set_alignment (HoneGgufWriter       *writer,
                                                       guint32               alignment);

/* Metadata setters; setting a key again replaces its value in place. */
void                   hone_gguf_writer_set_u8        (HoneGgufWriter *writer, const char *key,
                                                       guint8 value);
void                   hone_gguf_writer_set_i8        (HoneGgufWriter *writer, const char *key,
                                                       gint8 value);
void                   hone_gguf_writer_set_u16       (HoneGgufWriter *writer, const char *key,
                                                       guint16 value);
void                   hone_gguf_writer_set_i16       (HoneGgufWriter *writer, const char *key,
                                                       gint16 value);
void                   hone_gguf_writer_set_u32       (HoneGgufWriter *writer, const char *key,
                                                       guint32 value);
void                   hone_gguf_writer_set_i32       (HoneGgufWriter *writer, const char *key,
                                                       gint32 value);
void                   hone_gguf_writer_set_u64       (HoneGgufWriter *writer, const char *key,
                                                       guint64 value);
void                   hone_gguf_writer_set_i64       (HoneGgufWriter *writer, const char *key,
                                                       gint64 value);
void                   hone_gguf_writer_set_f32       (HoneGgufWriter *writer, const char *key,
                                                       float value);
void                   hone_gguf_writer_set_f64       (HoneGgufWriter *writer, const char *key,
                                                       double value);
void                   hone_gguf_writer_set_bool      (HoneGgufWriter *writer, const char *key,
                                                       gboolean value);
void                   hone_gguf_writer_set_string    (HoneGgufWriter *writer, const char *key,
                                                       const char *value);
/* An array of @n fixed-size elements of @type (not STRING or ARRAY) in host order. */
void                   hone_gguf_writer_set_array     (HoneGgufWriter       *writer,
                                                       const char           *key,
                                                       HoneGgufType          type,
                                                       const void           *elements,
                                                       gsize                 n);
/* An array of strings; @lens NULL: NUL-terminated. */
void                   hone_gguf_writer_set_strings   (HoneGgufWriter       *writer,
                                                       const char           *key,
                                                       const char   * const *strings,
                                                       const gsize          *lens,
                                                       gsize                 n);
/* Copies @key's value, whatever its type (nested arrays included), from @source. */
gboolean               hone_gguf_writer_copy_key      (HoneGgufWriter       *writer,
                                                       HoneGguf             *source,
                                                       const char           *key,
                                                       GError              **error);
/* Adds a tensor; @data (ref'd, not copied) must hold exactly its bytes. Names must be
 * unique and shorter than 64 bytes (llama.cpp's limit); @ne as in HoneGgufTensor. */
gboolean               hone_gguf_writer_add_tensor    (HoneGgufWriter       *writer,
                                                       const char           *name,
                                                       HoneGgmlType          type,
                                                       guint                 n_dims,
                                                       const guint64        *ne,
                                                       GBytes               *data,
                                                       GError              **error);
/* Writes a version 3 file atomically: a temporary file beside @path, fsync, rename. */
gboolean               hone_gguf_writer_write         (HoneGgufWriter       *writer,
                                                       const char           *path,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HoneGgufWriter, hone_gguf_writer_free)

G_END_DECLS
