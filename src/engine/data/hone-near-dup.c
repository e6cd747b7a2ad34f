/* hone-near-dup.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Near-duplicate detection over word sequences: each item becomes the set of its
 * word 3-grams (shingles), a MinHash signature of that set, and LSH bands of the
 * signature. Items that share a band are candidates; a candidate is confirmed when the
 * estimated similarity is close and the exact Jaccard similarity of the shingle sets
 * reaches the threshold. Every hash uses fixed seeds, so the result depends only on the
 * input and its order.
 */
#define G_LOG_DOMAIN "hone-near-dup"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hone-dataset-private.h"

#define SHINGLE_WORDS 3
#define N_HASHES      64   /* MinHash signature length */
#define BAND_ROWS     4    /* 16 bands of 4: pairs at 0.8 collide with p > 0.999 */
#define N_BANDS       (N_HASHES / BAND_ROWS)
/* At most this many earlier items of one bucket are looked at, newest first, so that
 * a bucket filled by shared boilerplate cannot make the step quadratic. */
#define MAX_BUCKET_SCAN 32
/* Exact Jaccard is computed only when the signature estimate is within this margin
 * below the threshold (the estimate's standard error at 64 hashes is about 0.05). */
#define ESTIMATE_MARGIN 0.15

typedef struct
{
  guint64 *shingles;   /* sorted, distinct */
  guint    n_shingles;
  guint32  signature[N_HASHES];
} Item;

struct _HoneNearDup
{
  double      threshold;
  GArray     *items;       /* (element-type Item) kept items, in the order added */
  GHashTable *buckets;     /* band key (guint64 *) → GArray of guint item index */
  guint64     seeds[N_HASHES];
  guint      *stamp;       /* per kept item: the query that last looked at it */
  guint       stamp_len;
  guint       query;
};

static guint64
mix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

guint64
hone_near_dup_hash_word (const char *word,
                         gsize       len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) word[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static void
item_clear (Item *item)
{
  g_free (item->shingles);
}

HoneNearDup *
hone_near_dup_new (double threshold)
{
  HoneNearDup *self = g_new0 (HoneNearDup, 1);

  self->threshold = CLAMP (threshold, 0.0, 1.0);
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  g_array_set_clear_func (self->items, (GDestroyNotify) item_clear);
  self->buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < N_HASHES; i++)
    self->seeds[i] = mix64 (G_GUINT64_CONSTANT (0x486f6e65) + i) | 1;  /* odd multipliers */
  return self;
}

void
hone_near_dup_free (HoneNearDup *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->items);
  g_hash_table_unref (self->buckets);
  g_free (self->stamp);
  g_free (self);
}

static int
compare_u64 (gconstpointer a,
             gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* The sorted distinct shingles of @words; a sequence shorter than a shingle is one
 * shingle of all its words. */
static guint64 *
make_shingles (const guint64 *words,
               guint          n_words,
               guint         *n_out)
{
  guint n = n_words >= SHINGLE_WORDS ? n_words - SHINGLE_WORDS + 1 : 1;
  guint64 *s = g_new (guint64, n);
  guint w = 0;

  for (guint i = 0; i < n; i++)
    {
      guint64 h = G_GUINT64_CONSTANT (0x5348494e474c45);

      for (guint k = 0; k < SHINGLE_WORDS && i + k < n_words; k++)
        h = mix64 (h ^ words[i + k]);
      s[i] = h;
    }
  qsort (s, n, sizeof *s, compare_u64);
  for (guint i = 0; i < n; i++)
    if (w == 0 || s[w - 1] != s[i])
      s[w++] = s[i];
  *n_out = w;
  return s;
}

static void
make_signature (const HoneNearDup *self,
                Item              *item)
{
  for (guint k = 0; k < N_HASHES; k++)
    item->signature[k] = G_MAXUINT32;
  for (guint i = 0; i < item->n_shingles; i++)
    {
      guint64 x = item->shingles[i];

      for (guint k = 0; k < N_HASHES; k++)
        {
          /* One multiply-xorshift per hash: a cheap, well-mixed permutation. */
          guint64 h = (x ^ (self->seeds[k] >> 7)) * self->seeds[k];
          guint32 v = (guint32) (h >> 32);

          if (v < item->signature[k])
            item->signature[k] = v;
        }
    }
}

static guint64
band_key (const Item *item,
          guint       band)
{
  guint64 h = mix64 (band + 1);

  for (guint r = 0; r < BAND_ROWS; r++)
    h = mix64 (h ^ item->signature[band * BAND_ROWS + r]);
  return h;
}

double
hone_near_dup_jaccard (const guint64 *a,
                       guint          n_a,
                       const guint64 *b,
                       guint          n_b)
{
  guint i = 0, j = 0, common = 0;

  if (n_a + n_b == 0)
    return 1.0;
  while (i < n_a && j < n_b)
    {
      if (a[i] == b[j])
        {
          common++;
          i++;
          j++;
        }
      else if (a[i] < b[j])
        i++;
      else
        j++;
    }
  return (double) common / (n_a + n_b - common);
}

static double
estimate (const Item *a,
          const Item *b)
{
  guint same = 0;

  for (guint k = 0; k < N_HASHES; k++)
    same += a->signature[k] == b->signature[k];
  return (double) same / N_HASHES;
}

int
hone_near_dup_add (HoneNearDup   *self,
                   const guint64 *words,
                   guint          n_words,
                   double        *similarity)
{
  Item item = { 0 };
  guint64 keys[N_BANDS];
  guint index;

  g_return_val_if_fail (self != NULL, -1);

  item.shingles = make_shingles (words, n_words, &item.n_shingles);
  make_signature (self, &item);

  if (++self->query == 0)
    {
      memset (self->stamp, 0, self->stamp_len * sizeof *self->stamp);
      self->query = 1;
    }
  for (guint band = 0; band < N_BANDS; band++)
    {
      GArray *bucket;

      keys[band] = band_key (&item, band);
      bucket = g_hash_table_lookup (self->buckets, &keys[band]);
      if (bucket == NULL)
        continue;
      for (guint n = 0; n < bucket->len && n < MAX_BUCKET_SCAN; n++)
        {
          guint other = g_array_index (bucket, guint, bucket->len - 1 - n);
          const Item *o = &g_array_index (self->items, Item, other);
          double j;

          if (self->stamp[other] == self->query)
            continue;
          self->stamp[other] = self->query;
          if (estimate (&item, o) < self->threshold - ESTIMATE_MARGIN)
            continue;
          j = hone_near_dup_jaccard (item.shingles, item.n_shingles, o->shingles, o->n_shingles);
          if (j >= self->threshold)
            {
              if (similarity != NULL)
                *similarity = j;
              item_clear (&item);
              return (int) other;
            }
        }
    }

  /* New: remember it under each of its bands. */
  index = self->items->len;
  g_array_append_val (self->items, item);
  if (index >= self->stamp_len)
    {
      guint len = MAX (64, self->stamp_len * 2);
      self->stamp = g_renew (guint, self->stamp, len);
      memset (self->stamp + self->stamp_len, 0, (len - self->stamp_len) * sizeof *self->stamp);
      self->stamp_len = len;
    }
  for (guint band = 0; band < N_BANDS; band++)
    {
      GArray *bucket = g_hash_table_lookup (self->buckets, &keys[band]);

      if (bucket == NULL)
        {
          bucket = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (self->buckets, g_memdup2 (&keys[band], sizeof keys[band]), bucket);
        }
      g_array_append_val (bucket, index);
    }
  return -1;
}
