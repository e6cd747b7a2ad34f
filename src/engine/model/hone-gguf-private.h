/* hone-gguf-private.h
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GGUF reader shares with the writer.
 */
#pragma once

#include "hone-gguf.h"

G_BEGIN_DECLS

/* Bytes of one element of @type; 0 for strings, arrays and unknown types. */
gsize          hone_gguf_type_fixed_size   (HoneGgufType  type);
gboolean       hone_gguf_type_is_valid     (guint32       type);
/* The type tag and value of @key as they lie in the file (little-endian). */
const guint8  *hone_gguf_get_raw_value     (HoneGguf     *gguf,
                                            const char   *key,
                                            gsize        *len);

/* The reader's state, shared by hone-gguf.c (parsing) and hone-gguf-values.c (getters). */
struct _HoneGgufArray
{
  HoneGgufType    type;      /* of the elements */
  guint64         n;
  const guint8   *data;      /* the first element (fixed-size and string arrays) */
  guint64        *offsets;   /* strings: element i's length prefix at data + offsets[i] */
  HoneGgufArray  *children;  /* arrays: n of them */
  const char     *file;      /* for messages: the file's name and the key */
  const char     *key;
};

typedef struct
{
  char           *key;
  HoneGgufType    type;
  const guint8   *raw;       /* the type tag and the value, as in the file */
  gsize           raw_len;
  const guint8   *value;     /* the value */
  char           *string;    /* STRING: NUL-terminated copy */
  gsize           string_len;
  HoneGgufArray  *array;     /* ARRAY */
} HoneGgufKv;

struct _HoneGguf
{
  char            *name;
  GBytes          *bytes;
  const guint8    *base;
  gsize            size;
  guint32          version;
  guint32          alignment;
  guint64          data_offset;
  HoneGgufKv              *kvs;
  guint            n_kvs;
  GHashTable      *kv_index;      /* key → HoneGgufKv * */
  HoneGgufTensor  *tensors;
  guint            n_tensors;
  GHashTable      *tensor_index;  /* name → HoneGgufTensor * */
};

/* A decoded scalar. */
typedef struct
{
  gboolean is_float;
  gboolean negative;   /* integers: then @s holds the value, else @u */
  guint64  u;
  gint64   s;
  double   f;
} HoneGgufNumber;

static inline guint64
hone_gguf_load_le (const guint8 *p,
                   guint         n)
{
  guint64 v = 0;

  for (guint i = 0; i < n; i++)
    v |= (guint64) p[i] << (8 * i);
  return v;
}

void           hone_gguf_decode_number     (HoneGgufType          type,
                                            const guint8         *p,
                                            HoneGgufNumber       *num);
gboolean       hone_gguf_number_fits       (const HoneGgufNumber *num,
                                            gint64                min,
                                            guint64               max);
gboolean       hone_gguf_type_is_integer   (HoneGgufType  type);
/* A NUL-terminated copy of @len bytes. */
char          *hone_gguf_copy_string       (const guint8 *start,
                                            gsize         len);

G_END_DECLS
