/* hone-tokenizer.c — encoding and decoding.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encoding: (1) cut the text at special and added tokens; (2) for SentencePiece, escape
 * spaces as ▁ and merge adjacent symbols by best score; for BPE, split into words with
 * the pre-tokenizer, then merge adjacent symbols by lowest rank. Both merge loops are a
 * binary heap over a linked list of symbols; stale heap entries are skipped when popped.
 * BPE words repeat a lot in real text, so their ids are cached.
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "hone-tokenizer"

#include "config.h"

#include <string.h>

#include "hone-tokenizer.h"
#include "hone-vocab-private.h"

#define SPM_SPACE "\xe2\x96\x81"  /* ▁ U+2581 */
#define SPM_SPACE_LEN 3
#define CACHE_MAX_WORD 48
#define CACHE_MAX_ENTRIES (1u << 20)

typedef struct
{
  gint32  prev;
  gint32  next;
  guint32 start;  /* byte offset into the word */
  guint32 n;      /* bytes; 0 once merged into its left neighbour */
  gint32  id;     /* token id of the symbol's text, -1 if none */
} Symbol;

typedef struct
{
  float   score;  /* SPM: higher first; BPE: rank, lower first (stored negated) */
  gint32  left;
  gint32  right;
  guint32 size;   /* SPM: bytes of the pair, to tell a stale entry */
  gint32  lid;    /* BPE: the ids the pair had, to tell a stale entry */
  gint32  rid;
} Bigram;

typedef struct
{
  guint32 hash;
  guint32 key_offset;  /* into cache_bytes */
  guint32 key_len;
  guint32 ids_offset;  /* into cache_ids */
  guint32 n_ids;
} CacheEntry;

typedef struct
{
  CacheEntry *slots;
  guint32     n_slots;
  guint32     n;
  GString    *bytes;
  GArray     *ids;  /* gint32 */
} WordCache;

/* A piece of the input between special tokens, or a special token (id >= 0). */
typedef struct
{
  gsize   offset;
  gsize   len;
  gint32  id;
} Fragment;

struct _HoneTokenizer
{
  HoneVocab  *vocab;
  GArray     *symbols;    /* Symbol */
  GArray     *heap;       /* Bigram */
  GArray     *spans;      /* HoneSpan */
  GArray     *fragments;  /* Fragment */
  GString    *buffer;     /* the escaped or mapped text being merged */
  GString    *normalized;
  gint32     *bucket_ids;       /* special ids grouped by first byte */
  guint       bucket_start[257];

  WordCache   words;       /* BPE/SPM word → ids */
  WordCache   pieces;      /* multi-regex presets: a piece of the early regexes → ids */
  GArray     *piece_spans; /* HoneSpan, the later regexes' words of one piece */
};

HoneTokenizer *
hone_tokenizer_new (HoneVocab *vocab)
{
  HoneTokenizer *self;

  g_return_val_if_fail (vocab != NULL, NULL);
  g_return_val_if_fail (vocab->sealed, NULL);

  self = g_new0 (HoneTokenizer, 1);
  self->vocab = hone_vocab_ref (vocab);
  self->symbols = g_array_new (FALSE, FALSE, sizeof (Symbol));
  self->heap = g_array_new (FALSE, FALSE, sizeof (Bigram));
  self->spans = g_array_new (FALSE, FALSE, sizeof (HoneSpan));
  self->fragments = g_array_new (FALSE, FALSE, sizeof (Fragment));
  self->buffer = g_string_new (NULL);
  self->normalized = g_string_new (NULL);
  self->words.bytes = g_string_new (NULL);
  self->words.ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->pieces.bytes = g_string_new (NULL);
  self->pieces.ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->piece_spans = g_array_new (FALSE, FALSE, sizeof (HoneSpan));
  return self;
}

HoneTokenizer *
hone_tokenizer_new_from_path (const char  *path,
                              GError     **error)
{
  g_autoptr(HoneVocab) vocab = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  vocab = hone_vocab_new_from_path (path, error);
  return vocab != NULL ? hone_tokenizer_new (vocab) : NULL;
}

void
hone_tokenizer_free (HoneTokenizer *self)
{
  if (self == NULL)
    return;
  hone_vocab_unref (self->vocab);
  g_array_unref (self->symbols);
  g_array_unref (self->heap);
  g_array_unref (self->spans);
  g_array_unref (self->fragments);
  g_string_free (self->buffer, TRUE);
  g_string_free (self->normalized, TRUE);
  g_free (self->words.slots);
  g_free (self->pieces.slots);
  g_free (self->bucket_ids);
  g_string_free (self->words.bytes, TRUE);
  g_array_unref (self->words.ids);
  g_string_free (self->pieces.bytes, TRUE);
  g_array_unref (self->pieces.ids);
  g_array_unref (self->piece_spans);
  g_free (self);
}

HoneVocab *
hone_tokenizer_get_vocab (HoneTokenizer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->vocab;
}

/* The heap: the best bigram at the root. Ties go to the leftmost pair. */

static inline gboolean
bigram_before (const Bigram *a,
               const Bigram *b)
{
  return a->score > b->score || (a->score == b->score && a->left < b->left);
}

static void
heap_push (GArray       *heap,
           const Bigram *bigram)
{
  Bigram *data;
  guint i;

  g_array_append_vals (heap, bigram, 1);
  data = (Bigram *) heap->data;
  i = heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      Bigram tmp;

      if (!bigram_before (&data[i], &data[parent]))
        break;
      tmp = data[i];
      data[i] = data[parent];
      data[parent] = tmp;
      i = parent;
    }
}

static Bigram
heap_pop (GArray *heap)
{
  Bigram *data = (Bigram *) heap->data;
  Bigram top = data[0];
  guint n = heap->len - 1;
  guint i = 0;

  data[0] = data[n];
  g_array_set_size (heap, n);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, best = i;
      Bigram tmp;

      if (l < n && bigram_before (&data[l], &data[best]))
        best = l;
      if (r < n && bigram_before (&data[r], &data[best]))
        best = r;
      if (best == i)
        break;
      tmp = data[i];
      data[i] = data[best];
      data[best] = tmp;
      i = best;
    }
  return top;
}

/* Splits @text into one symbol per UTF-8 character (a truncated sequence is one symbol
 * of the bytes left). */
static void
symbols_from_chars (HoneTokenizer *self,
                    const char    *text,
                    gsize          len,
                    gboolean       lookup)
{
  gsize offset = 0;
  gint32 index = 0;

  g_array_set_size (self->symbols, 0);
  while (offset < len)
    {
      Symbol sym;
      guint8 c = (guint8) text[offset];
      gsize n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

      /* Lead bytes 0x80–0xBF count as one byte, as llama.cpp's length table does. */
      if (c >= 0x80 && c < 0xc0)
        n = 1;
      n = MIN (n, len - offset);
      sym.start = (guint32) offset;
      sym.n = (guint32) n;
      sym.prev = index - 1;
      offset += n;
      sym.next = offset == len ? -1 : index + 1;
      sym.id = lookup ? hone_vocab_lookup (self->vocab, text + sym.start, n) : -1;
      index++;
      g_array_append_val (self->symbols, sym);
    }
}

/* SentencePiece: the pair becomes a candidate when its joined text is a token. */
static void
spm_try_bigram (HoneTokenizer *self,
                const char    *text,
                gint32         left,
                gint32         right)
{
  const Symbol *symbols = (const Symbol *) self->symbols->data;
  Bigram bigram;
  gint32 id;

  if (left < 0 || right < 0)
    return;
  id = hone_vocab_lookup (self->vocab, text + symbols[left].start,
                          symbols[left].n + symbols[right].n);
  if (id < 0)
    return;
  bigram.score = g_array_index (self->vocab->tokens, HoneVocabToken, id).score;
  bigram.left = left;
  bigram.right = right;
  bigram.size = symbols[left].n + symbols[right].n;
  bigram.lid = bigram.rid = -1;
  heap_push (self->heap, &bigram);
}

static gint32
spm_byte_token (HoneVocab *vocab,
                guint8     byte)
{
  char hex[7];
  gint32 id;

  g_snprintf (hex, sizeof hex, "<0x%02X>", byte);
  id = hone_vocab_lookup (vocab, hex, 6);
  if (id < 0)
    id = hone_vocab_lookup (vocab, (const char *) &byte, 1);
  return id >= 0 ? id : vocab->unk;
}

/* SentencePiece merging of one escaped piece of text; appends its ids. */
static void
spm_word (HoneTokenizer *self,
          const char    *text,
          gsize          len,
          GArray        *ids)
{
  Symbol *symbols;

  if (len == 0)
    return;
  symbols_from_chars (self, text, len, FALSE);
  g_array_set_size (self->heap, 0);
  for (gint32 i = 1; i < (gint32) self->symbols->len; i++)
    spm_try_bigram (self, text, i - 1, i);

  while (self->heap->len > 0)
    {
      Bigram bigram = heap_pop (self->heap);
      Symbol *left, *right;

      symbols = (Symbol *) self->symbols->data;
      left = &symbols[bigram.left];
      right = &symbols[bigram.right];
      if (left->n == 0 || right->n == 0 || left->n + right->n != bigram.size)
        continue;
      left->n += right->n;
      right->n = 0;
      left->next = right->next;
      if (right->next >= 0)
        symbols[right->next].prev = bigram.left;
      spm_try_bigram (self, text, left->prev, bigram.left);
      spm_try_bigram (self, text, bigram.left, left->next);
    }

  symbols = (Symbol *) self->symbols->data;
  for (gint32 i = 0; i != -1; i = symbols[i].next)
    {
      const Symbol *sym = &symbols[i];
      gint32 id = hone_vocab_lookup (self->vocab, text + sym->start, sym->n);

      if (id >= 0)
        g_array_append_val (ids, id);
      else
        /* Only single characters can be left without a token: spell them in bytes. */
        for (guint32 j = 0; j < sym->n; j++)
          {
            gint32 b = spm_byte_token (self->vocab, (guint8) text[sym->start + j]);
            if (b >= 0)
              g_array_append_val (ids, b);
          }
    }
}

static void cached_word (HoneTokenizer *self,
                         const char    *word,
                         gsize          len,
                         GArray        *ids);

static void
spm_encode (HoneTokenizer *self,
            const char    *text,
            gsize          len,
            gboolean       add_prefix,
            GArray        *ids)
{
  GString *buf = self->buffer;
  gsize start = 0;

  /* Escape: an optional leading space, and every space as ▁. */
  g_string_truncate (buf, 0);
  if (add_prefix)
    g_string_append_len (buf, SPM_SPACE, SPM_SPACE_LEN);
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == ' ')
        g_string_append_len (buf, SPM_SPACE, SPM_SPACE_LEN);
      else
        g_string_append_c (buf, text[i]);
    }
  if (buf->len == 0)
    return;
  if (!self->vocab->spm_splittable)
    {
      spm_word (self, buf->str, buf->len, ids);
      return;
    }

  /* No token holds ▁ after another character, so no merge crosses the start of a ▁
   * run that follows text: the pieces between are merged alone, and cached. */
  for (gsize i = SPM_SPACE_LEN; i + SPM_SPACE_LEN <= buf->len; i++)
    if (memcmp (buf->str + i, SPM_SPACE, SPM_SPACE_LEN) == 0
        && memcmp (buf->str + i - SPM_SPACE_LEN, SPM_SPACE, SPM_SPACE_LEN) != 0)
      {
        cached_word (self, buf->str + start, i - start, ids);
        start = i;
        i += SPM_SPACE_LEN - 1;
      }
  cached_word (self, buf->str + start, buf->len - start, ids);
}

/* BPE over one word already in self->symbols (ids set); appends the result to @ids.
 * The heap keeps -rank as its score: ranks are below 2^24, exact in a float. */
static void
bpe_merge (HoneTokenizer *self,
           const char    *word,
           GArray        *ids)
{
  HoneVocab *vocab = self->vocab;
  Symbol *symbols = (Symbol *) self->symbols->data;
  guint n = self->symbols->len;

  g_array_set_size (self->heap, 0);
  for (guint i = 1; i < n; i++)
    {
      const HoneVocabMerge *m = hone_vocab_lookup_merge (vocab, symbols[i - 1].id, symbols[i].id);

      if (m != NULL)
        {
          Bigram bigram = { -(float) m->rank, (gint32) i - 1, (gint32) i, 0,
                            symbols[i - 1].id, symbols[i].id };
          heap_push (self->heap, &bigram);
        }
    }

  while (self->heap->len > 0)
    {
      Bigram bigram = heap_pop (self->heap);
      Symbol *left = &symbols[bigram.left];
      Symbol *right = &symbols[bigram.right];
      const HoneVocabMerge *m;

      if (left->n == 0 || right->n == 0 || left->id != bigram.lid || right->id != bigram.rid
          || left->next != bigram.right)
        continue;
      m = hone_vocab_lookup_merge (vocab, left->id, right->id);
      left->n += right->n;
      left->id = m->result;
      right->n = 0;
      left->next = right->next;
      if (right->next >= 0)
        symbols[right->next].prev = bigram.left;

      if (left->prev >= 0)
        {
          const HoneVocabMerge *pm = hone_vocab_lookup_merge (vocab, symbols[left->prev].id,
                                                              left->id);
          if (pm != NULL)
            {
              Bigram b = { -(float) pm->rank, left->prev, bigram.left, 0,
                           symbols[left->prev].id, left->id };
              heap_push (self->heap, &b);
            }
        }
      if (left->next >= 0)
        {
          const HoneVocabMerge *nm = hone_vocab_lookup_merge (vocab, left->id,
                                                              symbols[left->next].id);
          if (nm != NULL)
            {
              Bigram b = { -(float) nm->rank, bigram.left, left->next, 0,
                           left->id, symbols[left->next].id };
              heap_push (self->heap, &b);
            }
        }
    }

  for (gint32 i = 0; i != -1 && n > 0; i = symbols[i].next)
    {
      const Symbol *sym = &symbols[i];

      if (sym->id >= 0)
        g_array_append_val (ids, sym->id);
      else
        {
          /* No token for this text: llama.cpp spells it with the single-byte tokens
           * it can find and drops the rest. */
          for (guint32 j = 0; j < sym->n; j++)
            {
              gint32 id = hone_vocab_lookup (vocab, word + sym->start + j, 1);
              if (id >= 0)
                g_array_append_val (ids, id);
            }
        }
    }
}

/* Hugging Face builds a word only from what the vocabulary knows: a character it lacks
 * becomes its <0xNN> byte tokens (byte_fallback), or <unk> (consecutive ones fused when
 * fuse_unk), or is dropped, before any merge. llama.cpp instead keeps it in place, where
 * it blocks merges across it. */
static void
hf_resolve_unknown (HoneTokenizer *self,
                    const char    *word)
{
  HoneVocab *vocab = self->vocab;
  GArray *in = self->symbols;
  guint n = in->len;
  gboolean last_unk = FALSE;
  gboolean any = FALSE;
  g_autoptr(GArray) expanded = NULL;

  for (guint i = 0; i < n && !any; i++)
    any = g_array_index (in, Symbol, i).id < 0;
  if (!any)
    return;

  expanded = g_array_sized_new (FALSE, FALSE, sizeof (Symbol), n + 8);
  for (guint i = 0; i < n; i++)
    {
      Symbol sym = g_array_index (in, Symbol, i);

      if (sym.id >= 0)
        {
          g_array_append_val (expanded, sym);
          last_unk = FALSE;
          continue;
        }
      if (vocab->byte_fallback_json)
        {
          gboolean all = TRUE;

          for (guint32 j = 0; j < sym.n && all; j++)
            {
              char hex[7];
              g_snprintf (hex, sizeof hex, "<0x%02X>", (guint8) word[sym.start + j]);
              all = hone_vocab_lookup (vocab, hex, 6) >= 0;
            }
          if (all)
            {
              for (guint32 j = 0; j < sym.n; j++)
                {
                  Symbol b = { 0, 0, sym.start + j, 1, 0 };
                  char hex[7];

                  g_snprintf (hex, sizeof hex, "<0x%02X>", (guint8) word[sym.start + j]);
                  b.id = hone_vocab_lookup (vocab, hex, 6);
                  g_array_append_val (expanded, b);
                }
              last_unk = FALSE;
              continue;
            }
        }
      if (vocab->unk >= 0)
        {
          if (last_unk && vocab->fuse_unk)
            {
              g_array_index (expanded, Symbol, expanded->len - 1).n += sym.n;
              continue;
            }
          sym.id = vocab->unk;
          g_array_append_val (expanded, sym);
          last_unk = TRUE;
        }
      /* else: dropped */
    }
  for (guint i = 0; i < expanded->len; i++)
    {
      Symbol *s = &g_array_index (expanded, Symbol, i);
      s->prev = (gint32) i - 1;
      s->next = i + 1 == expanded->len ? -1 : (gint32) i + 1;
    }
  g_array_set_size (in, 0);
  g_array_append_vals (in, expanded->data, expanded->len);
}

static void
bpe_word_uncached (HoneTokenizer *self,
                   const char    *word,
                   gsize          len,
                   GArray        *ids)
{
  HoneVocab *vocab = self->vocab;

  if (vocab->byte_level)
    {
      GString *buf = self->buffer;
      Symbol *symbols;

      if (vocab->ignore_merges)
        {
          gint32 id;

          g_string_truncate (buf, 0);
          for (gsize i = 0; i < len; i++)
            {
              gsize clen;
              const char *c = hone_byte_level_encode ((guint8) word[i], &clen);
              g_string_append_len (buf, c, clen);
            }
          id = hone_vocab_lookup (vocab, buf->str, buf->len);
          if (id >= 0)
            {
              g_array_append_val (ids, id);
              return;
            }
        }
      /* One symbol per byte: each byte is one character of the byte-level alphabet. */
      g_array_set_size (self->symbols, len);
      symbols = (Symbol *) self->symbols->data;
      for (gsize i = 0; i < len; i++)
        {
          symbols[i].start = (guint32) i;
          symbols[i].n = 1;
          symbols[i].prev = (gint32) i - 1;
          symbols[i].next = i + 1 == len ? -1 : (gint32) i + 1;
          symbols[i].id = vocab->byte_token[(guint8) word[i]];
        }
      if (vocab->added_leftmost_longest)
        hf_resolve_unknown (self, word);
      bpe_merge (self, word, ids);
      return;
    }

  /* Raw UTF-8 BPE (tokenizer.json with byte fallback, SentencePiece-converted). */
  if (vocab->ignore_merges)
    {
      gint32 id = hone_vocab_lookup (vocab, word, len);
      if (id >= 0)
        {
          g_array_append_val (ids, id);
          return;
        }
    }
  symbols_from_chars (self, word, len, TRUE);
  if (vocab->added_leftmost_longest)
    hf_resolve_unknown (self, word);
  bpe_merge (self, word, ids);
}

static void
word_uncached (HoneTokenizer *self,
               const char    *word,
               gsize          len,
               GArray        *ids)
{
  if (self->vocab->kind == HONE_VOCAB_SPM)
    spm_word (self, word, len, ids);
  else
    bpe_word_uncached (self, word, len, ids);
}

static void
cache_clear (WordCache *cache)
{
  g_clear_pointer (&cache->slots, g_free);
  cache->n_slots = 0;
  cache->n = 0;
  g_string_truncate (cache->bytes, 0);
  g_array_set_size (cache->ids, 0);
}

static void
cache_grow (WordCache *cache)
{
  guint32 n = cache->n_slots ? cache->n_slots * 2 : 4096;
  CacheEntry *slots = g_new0 (CacheEntry, n);

  for (guint32 i = 0; i < cache->n_slots; i++)
    {
      CacheEntry *e = &cache->slots[i];

      if (e->key_len == 0)
        continue;
      for (guint32 j = e->hash & (n - 1);; j = (j + 1) & (n - 1))
        if (slots[j].key_len == 0)
          {
            slots[j] = *e;
            break;
          }
    }
  g_free (cache->slots);
  cache->slots = slots;
  cache->n_slots = n;
}

static inline guint32
cache_hash (const char *word,
            gsize       len)
{
  guint32 hash = 2166136261u;

  for (gsize k = 0; k < len; k++)
    hash = (hash ^ (guint8) word[k]) * 16777619u;
  return hash;
}

/* Appends the cached ids of @word and returns TRUE, or FALSE when it is not cached. */
static gboolean
cache_lookup (WordCache  *cache,
              const char *word,
              gsize       len,
              guint32     hash,
              GArray     *ids)
{
  guint32 mask;

  if (cache->n_slots == 0)
    return FALSE;
  mask = cache->n_slots - 1;
  for (guint32 i = hash & mask; cache->slots[i].key_len != 0; i = (i + 1) & mask)
    {
      const CacheEntry *e = &cache->slots[i];

      if (e->hash == hash && e->key_len == len
          && memcmp (cache->bytes->str + e->key_offset, word, len) == 0)
        {
          if (e->n_ids > 0)
            g_array_append_vals (ids, &g_array_index (cache->ids, gint32, e->ids_offset),
                                 e->n_ids);
          return TRUE;
        }
    }
  return FALSE;
}

/* Remembers that @word gave the ids of @ids from @first on. */
static void
cache_store (WordCache  *cache,
             const char *word,
             gsize       len,
             guint32     hash,
             GArray     *ids,
             guint       first)
{
  guint32 mask, i;

  if (cache->n >= CACHE_MAX_ENTRIES)
    cache_clear (cache);
  if ((cache->n + 1) * 2 > cache->n_slots)
    cache_grow (cache);
  mask = cache->n_slots - 1;
  for (i = hash & mask; cache->slots[i].key_len != 0; i = (i + 1) & mask)
    ;
  cache->slots[i].hash = hash;
  cache->slots[i].key_offset = (guint32) cache->bytes->len;
  cache->slots[i].key_len = (guint32) len;
  cache->slots[i].ids_offset = cache->ids->len;
  cache->slots[i].n_ids = ids->len - first;
  g_string_append_len (cache->bytes, word, len);
  if (ids->len > first)
    g_array_append_vals (cache->ids, &g_array_index (ids, gint32, first), ids->len - first);
  cache->n++;
}

static void
cached_word (HoneTokenizer *self,
             const char    *word,
             gsize          len,
             GArray        *ids)
{
  guint32 hash;
  guint first;

  if (len == 0 || len > CACHE_MAX_WORD)
    {
      word_uncached (self, word, len, ids);
      return;
    }
  hash = cache_hash (word, len);
  if (cache_lookup (&self->words, word, len, hash, ids))
    return;
  first = ids->len;
  word_uncached (self, word, len, ids);
  cache_store (&self->words, word, len, hash, ids, first);
}

/* A piece left by the first regexes of a preset: the later regexes cut it into words,
 * each merged (and cached) alone. The whole result depends only on the piece's bytes, so
 * it is cached too, which saves the later regexes on repeated pieces. */
static void
cached_piece (HoneTokenizer *self,
              const char    *piece,
              gsize          len,
              guint          first_regex,
              GArray        *ids)
{
  HonePretokenizer *pre = self->vocab->pretokenizer;
  guint32 hash = 0;
  guint first = ids->len;
  gboolean cache = len > 0 && len <= CACHE_MAX_WORD;

  if (cache)
    {
      hash = cache_hash (piece, len);
      if (cache_lookup (&self->pieces, piece, len, hash, ids))
        return;
    }
  g_array_set_size (self->piece_spans, 0);
  hone_pretokenizer_split_from (pre, first_regex, piece, len, self->piece_spans);
  for (guint i = 0; i < self->piece_spans->len; i++)
    {
      HoneSpan span = g_array_index (self->piece_spans, HoneSpan, i);
      cached_word (self, piece + span.offset, span.len, ids);
    }
  if (cache)
    cache_store (&self->pieces, piece, len, hash, ids, first);
}

static void
bpe_encode (HoneTokenizer *self,
            const char    *text,
            gsize          len,
            GArray        *ids)
{
  HonePretokenizer *pre = self->vocab->pretokenizer;
  guint n_regexes = hone_pretokenizer_get_n_regexes (pre);
  /* With several regexes, the first two cut the text into pieces of word size (lines,
   * then letters or GPT-2 words); the rest run per piece, through the piece cache. */
  guint cut = MIN (n_regexes, 2);

  g_array_set_size (self->spans, 0);
  hone_pretokenizer_split_range (pre, 0, cut, text, len, self->spans);
  for (guint i = 0; i < self->spans->len; i++)
    {
      HoneSpan span = g_array_index (self->spans, HoneSpan, i);

      if (cut < n_regexes)
        cached_piece (self, text + span.offset, span.len, cut, ids);
      else
        cached_word (self, text + span.offset, span.len, ids);
    }
}

static inline gboolean
matchable (const HoneVocabToken *token,
           gboolean              parse_special)
{
  return parse_special || (token->type != HONE_TOKEN_CONTROL && token->type != HONE_TOKEN_UNKNOWN);
}

/* The special tokens grouped by first byte, each group in special_ids order (longest
 * first), so a scan only tries the tokens that can start where it stands. */
static void
build_buckets (HoneTokenizer *self)
{
  HoneVocab *vocab = self->vocab;
  guint counts[256] = { 0 };
  guint n = vocab->special_ids->len;

  self->bucket_ids = g_new (gint32, n + 1);
  for (guint i = 0; i < n; i++)
    counts[(guint8) hone_vocab_token_str (vocab, g_array_index (vocab->special_ids, gint32, i))[0]]++;
  self->bucket_start[0] = 0;
  for (guint b = 0; b < 256; b++)
    self->bucket_start[b + 1] = self->bucket_start[b] + counts[b];
  memset (counts, 0, sizeof counts);
  for (guint i = 0; i < n; i++)
    {
      gint32 id = g_array_index (vocab->special_ids, gint32, i);
      guint8 b = (guint8) hone_vocab_token_str (vocab, id)[0];

      self->bucket_ids[self->bucket_start[b] + counts[b]++] = id;
    }
}

typedef struct
{
  guint32 rank;  /* position of the token in special_ids */
  gint32  id;
  gsize   offset;
} Occurrence;

static int
compare_occurrence (gconstpointer a,
                    gconstpointer b)
{
  const Occurrence *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int
compare_fragment (gconstpointer a,
                  gconstpointer b)
{
  const Fragment *x = a, *y = b;

  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static inline gboolean
is_strip_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Appends the raw text between @from and @to, and the special token of @special,
 * stripping whitespace next to tokens that ask for it. */
static void
fragments_from_tokens (HoneTokenizer *self,
                       const char    *text,
                       gsize          len,
                       GArray        *specials)
{
  HoneVocab *vocab = self->vocab;
  gsize pos = 0;

  for (guint i = 0; i < specials->len; i++)
    {
      Fragment special = g_array_index (specials, Fragment, i);
      const HoneVocabToken *token = &g_array_index (vocab->tokens, HoneVocabToken, special.id);
      Fragment raw = { pos, special.offset - pos, -1 };

      if (token->attrs & HONE_TOKEN_ATTR_LSTRIP)
        while (raw.len > 0 && is_strip_space (text[raw.offset + raw.len - 1]))
          raw.len--;
      if (raw.len > 0)
        g_array_append_val (self->fragments, raw);
      g_array_append_val (self->fragments, special);
      pos = special.offset + special.len;
      if (token->attrs & HONE_TOKEN_ATTR_RSTRIP)
        {
          gsize limit = i + 1 < specials->len ? g_array_index (specials, Fragment, i + 1).offset : len;
          while (pos < limit && is_strip_space (text[pos]))
            pos++;
        }
    }
  if (pos < len)
    {
      Fragment rest = { pos, len - pos, -1 };
      g_array_append_val (self->fragments, rest);
    }
}

/* llama.cpp's partition: token by token, longest first, each taking its leftmost
 * occurrences that do not overlap what earlier tokens took. Done here in one scan that
 * lists every occurrence, then a pass over them in that order. */
static void
partition_llama (HoneTokenizer *self,
                 const char    *text,
                 gsize          len,
                 gboolean       parse_special)
{
  HoneVocab *vocab = self->vocab;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) taken = NULL;
  g_autofree guint8 *used = NULL;

  for (gsize pos = 0; pos < len; pos++)
    {
      guint8 b = (guint8) text[pos];

      for (guint k = self->bucket_start[b]; k < self->bucket_start[b + 1]; k++)
        {
          gint32 id = self->bucket_ids[k];
          const HoneVocabToken *token = &g_array_index (vocab->tokens, HoneVocabToken, id);

          if (matchable (token, parse_special) && token->len <= len - pos
              && memcmp (text + pos, vocab->text->str + token->offset, token->len) == 0)
            {
              Occurrence o = { token->rank, id, pos };

              if (found == NULL)
                found = g_array_new (FALSE, FALSE, sizeof (Occurrence));
              g_array_append_val (found, o);
            }
        }
    }
  if (found == NULL)
    {
      Fragment whole = { 0, len, -1 };
      g_array_append_val (self->fragments, whole);
      return;
    }

  g_array_sort (found, compare_occurrence);
  used = g_malloc0 (len);
  taken = g_array_new (FALSE, FALSE, sizeof (Fragment));
  for (guint i = 0; i < found->len; i++)
    {
      Occurrence o = g_array_index (found, Occurrence, i);
      guint32 tlen = g_array_index (vocab->tokens, HoneVocabToken, o.id).len;
      gboolean free_span = TRUE;
      Fragment f = { o.offset, tlen, o.id };

      for (guint32 j = 0; j < tlen && free_span; j++)
        free_span = !used[o.offset + j];
      if (!free_span)
        continue;
      memset (used + o.offset, 1, tlen);
      g_array_append_val (taken, f);
    }
  g_array_sort (taken, compare_fragment);
  fragments_from_tokens (self, text, len, taken);
}

/* Hugging Face's added-token matching: one left-to-right scan, the longest token at the
 * leftmost position. */
static void
partition_leftmost_longest (HoneTokenizer *self,
                            const char    *text,
                            gsize          len,
                            gboolean       parse_special)
{
  HoneVocab *vocab = self->vocab;
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (Fragment));
  gsize pos = 0;

  while (pos < len)
    {
      guint8 b = (guint8) text[pos];
      gint32 found = -1;

      /* Buckets are in special_ids order, longest first: the first hit is the longest. */
      for (guint k = self->bucket_start[b]; k < self->bucket_start[b + 1] && found < 0; k++)
        {
          gint32 id = self->bucket_ids[k];
          const HoneVocabToken *token = &g_array_index (vocab->tokens, HoneVocabToken, id);

          if (matchable (token, parse_special) && token->len <= len - pos
              && memcmp (text + pos, vocab->text->str + token->offset, token->len) == 0)
            found = id;
        }
      if (found < 0)
        {
          pos++;
          continue;
        }
      {
        Fragment f = { pos, g_array_index (vocab->tokens, HoneVocabToken, found).len, found };
        g_array_append_val (taken, f);
        pos += f.len;
      }
    }
  fragments_from_tokens (self, text, len, taken);
}

static void
partition (HoneTokenizer *self,
           const char    *text,
           gsize          len,
           gboolean       parse_special)
{
  g_array_set_size (self->fragments, 0);
  if (self->bucket_ids == NULL)
    build_buckets (self);
  if (self->vocab->added_leftmost_longest)
    partition_leftmost_longest (self, text, len, parse_special);
  else
    partition_llama (self, text, len, parse_special);
}

/* tokenizer.json normalisation of one raw fragment, into self->normalized. */
static const char *
normalize (HoneTokenizer *self,
           const char    *text,
           gsize         *len)
{
  HoneVocab *vocab = self->vocab;
  GString *out = self->normalized;
  static const GNormalizeMode modes[] = {
    [HONE_NORMALIZE_NFC] = G_NORMALIZE_NFC, [HONE_NORMALIZE_NFD] = G_NORMALIZE_NFD,
    [HONE_NORMALIZE_NFKC] = G_NORMALIZE_NFKC, [HONE_NORMALIZE_NFKD] = G_NORMALIZE_NFKD,
  };

  if (vocab->normalization == HONE_NORMALIZE_NONE && vocab->prepend == NULL
      && vocab->replace_from == NULL)
    return text;

  g_string_truncate (out, 0);
  if (vocab->normalization != HONE_NORMALIZE_NONE)
    {
      g_autofree char *n = g_utf8_normalize (text, *len, modes[vocab->normalization]);
      g_string_append (out, n != NULL ? n : "");
    }
  else
    g_string_append_len (out, text, *len);
  if (vocab->prepend != NULL && out->len > 0)
    g_string_prepend (out, vocab->prepend);
  if (vocab->replace_from != NULL && vocab->replace_from[0] != '\0')
    g_string_replace (out, vocab->replace_from, vocab->replace_to, 0);
  *len = out->len;
  return out->str;
}

/* Each byte that does not start a valid UTF-8 sequence becomes U+FFFD, as llama.cpp
 * reads text; NUL bytes stay (g_utf8_make_valid() would replace them). */
static char *
make_valid (const char *text,
            gsize       len,
            gsize      *out_len)
{
  GString *out = g_string_sized_new (len + 16);
  gsize i = 0;

  while (i < len)
    {
      const char *end = NULL;

      if (g_utf8_validate (text + i, len - i, &end))
        {
          g_string_append_len (out, text + i, len - i);
          break;
        }
      g_string_append_len (out, text + i, end - (text + i));
      i = end - text;
      if (text[i] == '\0')
        {
          g_string_append_c (out, '\0');
          i++;
        }
      else
        {
          g_string_append (out, "\xef\xbf\xbd");
          i++;
        }
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

void
hone_tokenizer_encode (HoneTokenizer   *self,
                       const char      *text,
                       gssize           len,
                       HoneEncodeFlags  flags,
                       GArray          *ids)
{
  HoneVocab *vocab;
  g_autofree char *valid = NULL;
  gboolean prev_special = TRUE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (ids != NULL && g_array_get_element_size (ids) == sizeof (gint32));

  vocab = self->vocab;
  if (len < 0)
    len = strlen (text);
  if (!g_utf8_validate (text, len, NULL))
    {
      gsize valid_len = 0;

      valid = make_valid (text, len, &valid_len);
      text = valid;
      len = (gssize) valid_len;
    }

  if ((flags & HONE_ENCODE_ADD_SPECIAL) && vocab->add_bos)
    g_array_append_val (ids, vocab->bos);
  if (len > 0)
    partition (self, text, len, (flags & HONE_ENCODE_PARSE_SPECIAL) != 0);
  else
    g_array_set_size (self->fragments, 0);

  for (guint f = 0; f < self->fragments->len; f++)
    {
      Fragment frag = g_array_index (self->fragments, Fragment, f);
      const char *piece;
      gsize piece_len = frag.len;

      if (frag.id >= 0)
        {
          g_array_append_val (ids, frag.id);
          prev_special = TRUE;
          continue;
        }
      piece = normalize (self, text + frag.offset, &piece_len);
      if (vocab->kind == HONE_VOCAB_SPM)
        spm_encode (self, piece, piece_len, vocab->add_space_prefix && prev_special, ids);
      else
        bpe_encode (self, piece, piece_len, ids);
      prev_special = FALSE;
    }

  if ((flags & HONE_ENCODE_ADD_SPECIAL) && vocab->add_eos)
    g_array_append_val (ids, vocab->eos);
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

gboolean
hone_tokenizer_append_piece (HoneTokenizer   *self,
                             gint32           id,
                             HoneDecodeFlags  flags,
                             GString         *out,
                             GError         **error)
{
  HoneVocab *vocab;
  const HoneVocabToken *token;
  const char *text;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  vocab = self->vocab;
  if (id < 0 || (guint) id >= vocab->tokens->len)
    {
      g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_BAD_ID,
                   "token id %d is outside the vocabulary of %u tokens", id, vocab->tokens->len);
      return FALSE;
    }
  token = &g_array_index (vocab->tokens, HoneVocabToken, id);
  text = vocab->text->str + token->offset;

  switch (token->type)
    {
    case HONE_TOKEN_CONTROL:
    case HONE_TOKEN_UNKNOWN:
    case HONE_TOKEN_UNUSED:
      if (flags & HONE_DECODE_SPECIAL)
        g_string_append_len (out, text, token->len);
      else if (token->type == HONE_TOKEN_UNKNOWN && vocab->kind == HONE_VOCAB_SPM)
        g_string_append (out, "\xe2\x96\x85");  /* ▅, what llama.cpp shows for <unk> */
      return TRUE;
    case HONE_TOKEN_USER_DEFINED:
      g_string_append_len (out, text, token->len);
      return TRUE;
    default:
      break;
    }

  /* <0xNN>: a byte-fallback token. */
  if ((token->type == HONE_TOKEN_BYTE || (!vocab->byte_level && vocab->byte_fallback_json))
      && token->len == 6 && text[0] == '<' && text[1] == '0' && text[2] == 'x' && text[5] == '>'
      && hex_digit (text[3]) >= 0 && hex_digit (text[4]) >= 0)
    {
      g_string_append_c (out, (char) (hex_digit (text[3]) * 16 + hex_digit (text[4])));
      return TRUE;
    }

  if (vocab->kind == HONE_VOCAB_BPE && vocab->byte_level)
    {
      const char *p = text, *end = text + token->len;

      while (p < end)
        {
          gunichar c = g_utf8_get_char_validated (p, end - p);
          const char *next = (c == (gunichar) -1 || c == (gunichar) -2) ? p + 1
                                                                         : g_utf8_next_char (p);
          int b = c < 0x200000 ? hone_byte_level_decode (c) : -1;

          if (b >= 0)
            g_string_append_c (out, (char) b);
          else
            g_string_append_len (out, p, next - p);
          p = next;
        }
      return TRUE;
    }

  /* ▁ back to a space. */
  for (guint32 i = 0; i < token->len;)
    {
      if (i + SPM_SPACE_LEN <= token->len && memcmp (text + i, SPM_SPACE, SPM_SPACE_LEN) == 0)
        {
          g_string_append_c (out, ' ');
          i += SPM_SPACE_LEN;
        }
      else
        g_string_append_c (out, text[i++]);
    }
  return TRUE;
}

char *
hone_tokenizer_decode (HoneTokenizer    *self,
                       const gint32     *ids,
                       gsize             n_ids,
                       HoneDecodeFlags   flags,
                       gsize            *len,
                       GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean at_start = TRUE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  for (gsize i = 0; i < n_ids; i++)
    {
      gsize before = out->len;

      if (!hone_tokenizer_append_piece (self, ids[i], flags, out, error))
        return NULL;
      /* The space a SentencePiece tokenizer put before the text is not part of it. */
      if (at_start && out->len > before)
        {
          const HoneVocabToken *token = &g_array_index (self->vocab->tokens, HoneVocabToken,
                                                        ids[i]);
          if (self->vocab->strip_leading_space_on_decode && before == 0
              && (token->type == HONE_TOKEN_NORMAL || token->type == HONE_TOKEN_UNDEFINED)
              && out->str[0] == ' ')
            g_string_erase (out, 0, 1);
          at_start = FALSE;
        }
    }
  if (len != NULL)
    *len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
