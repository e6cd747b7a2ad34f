/* hone-pretokenize.c — pre-tokenizer presets and regex splitting.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The patterns are the ones the models publish in their tokenizer.json, in the form
 * llama.cpp lists them per tokenizer.ggml.pre name. PCRE2 runs them as written, so the
 * case-insensitive contractions can stay in the (?:'[sS]|…) spelling llama.cpp uses.
 */
#define G_LOG_DOMAIN "hone-pretokenize"

#include "config.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "hone-pretokenize.h"
#include "hone-vocab.h"

#define CONTRACTIONS "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"

/* GPT-2's pattern. llama.cpp lists it without the final |\s+, but its hand-written
 * splitter behaves as if it were there, and so does every tokenizer.json. */
#define GPT2_RE "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"

#define LLAMA3_RE CONTRACTIONS "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" \
  "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

#define QWEN2_RE CONTRACTIONS "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" \
  "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

#define TEKKEN_RE "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+" \
  "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*" \
  "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

#define GPT4O_RE "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+" \
  CONTRACTIONS "?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*" \
  CONTRACTIONS "?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

/* DeepSeek's CJK class [一-龥ࠀ-一가-퟿] spans U+0800–U+4E00, which holds the Unicode spaces
 * (U+1680, U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000). llama.cpp hands these to
 * its regex as \x0B, so they never match a literal range there; the GGUF presets follow
 * llama.cpp and leave them out. (A tokenizer.json keeps the class as written, as
 * Hugging Face does.) */
#define CJK_NO_SPACE "[一-龥ࠀ-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}\\x{202A}-\\x{202E}" \
  "\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-一가-퟿]+"

static const char * const re_default[] = {
  "[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2_RE, "\\p{N}+", "[0-9][0-9][0-9]", NULL
};
static const char * const re_gpt2[] = { GPT2_RE, NULL };
static const char * const re_llama3[] = { LLAMA3_RE, NULL };
static const char * const re_qwen2[] = { QWEN2_RE, NULL };
/* The letters of DeepSeek's class are written as published; the few code points that
 * Unicode normalisation would fold into others (ώ, ι, ΐ, Ί, Ω, K) are escaped so that
 * no editor can change them. */
static const char * const re_deepseek_llm[] = {
  "[\r\n]",
  "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\\x{1F7D}ᾀ-ᾴᾶ-ᾼ\\x{1FBE}ῂ-ῄῆ-ῌῐ-\\x{1FD3}ῖ-\\x{1FDB}ῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\\x{2126}ℨ\\x{212A}-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
  "\\s?[!-/:-~！-／：-～‘-‟\\x{3001}-。]+",
  "\\s+$",
  CJK_NO_SPACE,
  "\\p{N}+",
  NULL
};
static const char * const re_deepseek_coder[] = {
  "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK_NO_SPACE, "\\p{N}", NULL
};
static const char * const re_deepseek3[] = {
  "\\p{N}{1,3}",
  "[一-龥぀-ゟ゠-ヿ]+",
  "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
  "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
  NULL
};
static const char * const re_falcon[] = {
  "[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2_RE, "[0-9][0-9][0-9]", NULL
};
static const char * const re_starcoder[] = { "\\p{N}", GPT2_RE, NULL };
static const char * const re_poro[] = { " ?[^(\\s|.,!?…。，、।۔،)]+", NULL };
static const char * const re_viking[] = { " ?[^(\\s|.,!?…。，、।۔،)]+", "\\p{N}", NULL };
static const char * const re_tekken[] = { TEKKEN_RE, NULL };
static const char * const re_gpt4o[] = { GPT4O_RE, NULL };
static const char * const re_chameleon[] = {
  "<sentinel:[0-9]+>", "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z", "([\\t\\n]|    |  )", "\\p{N}",
  "[\\p{P}!-/:-@\\[-`{-~]", GPT2_RE, NULL
};
static const char * const re_bailingmoe[] = {
  "'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
  "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
  NULL
};
static const char * const re_seed_coder[] = {
  CONTRACTIONS "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+"
  "|\\s+(?!\\S)|\\s+",
  NULL
};

typedef struct
{
  const char         *name;
  const char * const *regexes;
} Preset;

/* tokenizer.ggml.pre names, as the GGUF converter writes them. */
static const Preset presets[] = {
  { "default",          re_default },
  { "llama3",           re_llama3 },
  { "llama-v3",         re_llama3 },
  { "llama-bpe",        re_llama3 },
  { "falcon3",          re_llama3 },
  { "falcon-h1",        re_llama3 },
  { "pixtral",          re_llama3 },
  { "midm-2.0",         re_llama3 },
  { "lfm2",             re_llama3 },
  { "dbrx",             re_llama3 },
  { "smaug-bpe",        re_llama3 },
  { "chatglm-bpe",      re_llama3 },
  { "glm4",             re_llama3 },
  { "deepseek-llm",     re_deepseek_llm },
  { "deepseek-coder",   re_deepseek_coder },
  { "deepseek-v3",      re_deepseek3 },
  { "falcon",           re_falcon },
  { "mpt",              re_gpt2 },
  { "olmo",             re_gpt2 },
  { "jais",             re_gpt2 },
  { "trillion",         re_gpt2 },
  { "gpt-2",            re_gpt2 },
  { "phi-2",            re_gpt2 },
  { "jina-es",          re_gpt2 },
  { "jina-de",          re_gpt2 },
  { "jina-v1-en",       re_gpt2 },
  { "jina-v2-es",       re_gpt2 },
  { "jina-v2-de",       re_gpt2 },
  { "jina-v2-code",     re_gpt2 },
  { "gigachat",         re_gpt2 },
  { "roberta-bpe",      re_gpt2 },
  { "a.x-4.0",          re_gpt2 },
  { "mellum",           re_gpt2 },
  { "starcoder",        re_starcoder },
  { "refact",           re_starcoder },
  { "command-r",        re_starcoder },
  { "smollm",           re_starcoder },
  { "codeshell",        re_starcoder },
  { "exaone",           re_starcoder },
  { "minerva-7b",       re_starcoder },
  { "qwen2",            re_qwen2 },
  { "stablelm2",        re_qwen2 },
  { "deepseek-r1-qwen", re_qwen2 },
  { "megrez",           re_qwen2 },
  { "hunyuan",          re_qwen2 },
  { "grok-2",           re_qwen2 },
  { "poro-chat",        re_poro },
  { "bloom",            re_poro },
  { "gpt3-finnish",     re_poro },
  { "viking",           re_viking },
  { "tekken",           re_tekken },
  { "gpt-4o",           re_gpt4o },
  { "llama4",           re_gpt4o },
  { "chameleon",        re_chameleon },
  { "bailingmoe",       re_bailingmoe },
  { "llada-moe",        re_bailingmoe },
  { "seed-coder",       re_seed_coder },
};

const char * const *
hone_pretokenizer_preset_regexes (const char *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (strcmp (presets[i].name, preset) == 0)
      return presets[i].regexes;
  return NULL;
}

const char * const *
hone_pretokenizer_preset_names (void)
{
  static const char *names[G_N_ELEMENTS (presets) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
      names[i] = presets[i].name;
  return names;
}

/* PCRE2 is called directly rather than through GRegex (the same library underneath):
 * GRegex allocates a match context for every g_regex_match(), and a pre-tokenizer runs
 * each regex once per piece, which is hundreds of thousands of times per megabyte. */
struct _HonePretokenizer
{
  GPtrArray        *regexes;     /* pcre2_code, compiled for UTF with Unicode properties */
  pcre2_match_data *match_data;
  GArray           *scratch;     /* HoneSpan, the pieces before the current regex */
  GArray           *current;
};

HonePretokenizer *
hone_pretokenizer_new (const char * const *regexes,
                       GError            **error)
{
  g_autoptr(HonePretokenizer) self = g_new0 (HonePretokenizer, 1);

  self->regexes = g_ptr_array_new_with_free_func ((GDestroyNotify) pcre2_code_free);
  self->scratch = g_array_new (FALSE, FALSE, sizeof (HoneSpan));
  self->current = g_array_new (FALSE, FALSE, sizeof (HoneSpan));
  self->match_data = pcre2_match_data_create (4, NULL);
  for (guint i = 0; regexes != NULL && regexes[i] != NULL; i++)
    {
      int code = 0;
      PCRE2_SIZE offset = 0;
      pcre2_code *regex = pcre2_compile ((PCRE2_SPTR) regexes[i], PCRE2_ZERO_TERMINATED,
                                         PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY,
                                         &code, &offset, NULL);

      if (regex == NULL)
        {
          PCRE2_UCHAR message[256];

          pcre2_get_error_message (code, message, sizeof message);
          g_set_error (error, HONE_TOKENIZER_ERROR, HONE_TOKENIZER_ERROR_UNSUPPORTED,
                       "pre-tokenizer regex “%s” does not compile: %s at offset %zu",
                       regexes[i], (const char *) message, (size_t) offset);
          return NULL;
        }
      /* Without JIT (some platforms) the interpreter gives the same results. */
      pcre2_jit_compile (regex, PCRE2_JIT_COMPLETE);
      g_ptr_array_add (self->regexes, regex);
    }
  return g_steal_pointer (&self);
}

void
hone_pretokenizer_free (HonePretokenizer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->regexes, g_ptr_array_unref);
  g_clear_pointer (&self->match_data, pcre2_match_data_free);
  g_clear_pointer (&self->scratch, g_array_unref);
  g_clear_pointer (&self->current, g_array_unref);
  g_free (self);
}

static inline void
push_span (GArray  *spans,
           guint32  offset,
           guint32  len)
{
  HoneSpan span = { offset, len };

  if (len > 0)
    g_array_append_val (spans, span);
}

/* Cuts @span of @text into matches of @regex and the gaps between them. The piece is
 * passed as its own subject so that look-aheads and $ stop at its end. */
static void
split_one (HonePretokenizer *self,
           pcre2_code       *regex,
           const char       *text,
           HoneSpan          span,
           GArray           *out)
{
  const char *piece = text + span.offset;
  PCRE2_SIZE start = 0, last = 0;

  while (start < span.len)
    {
      PCRE2_SIZE *ovector;
      int rc = pcre2_match (regex, (PCRE2_SPTR) piece, span.len, start,
                            PCRE2_NOTEMPTY | PCRE2_NO_UTF_CHECK, self->match_data, NULL);

      if (rc < 0)
        break;
      ovector = pcre2_get_ovector_pointer (self->match_data);
      push_span (out, span.offset + (guint32) last, (guint32) (ovector[0] - last));
      push_span (out, span.offset + (guint32) ovector[0], (guint32) (ovector[1] - ovector[0]));
      last = start = ovector[1];
    }
  push_span (out, span.offset + (guint32) last, span.len - (guint32) last);
}

guint
hone_pretokenizer_get_n_regexes (HonePretokenizer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->regexes->len;
}

void
hone_pretokenizer_split_range (HonePretokenizer *self,
                               guint             first,
                               guint             n,
                               const char       *text,
                               gsize             len,
                               GArray           *spans)
{
  HoneSpan whole = { 0, (guint32) len };
  guint last;

  g_return_if_fail (self != NULL);
  g_return_if_fail (len <= G_MAXUINT32);

  first = MIN (first, self->regexes->len);
  last = n > self->regexes->len - first ? self->regexes->len : first + n;
  if (len == 0)
    return;
  if (first == last)
    {
      push_span (spans, 0, (guint32) len);
      return;
    }
  if (first + 1 == last)
    {
      split_one (self, self->regexes->pdata[first], text, whole, spans);
      return;
    }

  /* Each regex refines the pieces of the one before; the last writes into @spans. */
  g_array_set_size (self->current, 0);
  g_array_append_val (self->current, whole);
  for (guint r = first; r < last; r++)
    {
      GArray *out = r + 1 == last ? spans : self->scratch;
      GArray *swap;

      if (out == self->scratch)
        g_array_set_size (self->scratch, 0);
      for (guint i = 0; i < self->current->len; i++)
        split_one (self, self->regexes->pdata[r], text,
                   g_array_index (self->current, HoneSpan, i), out);
      if (out == self->scratch)
        {
          swap = self->current;
          self->current = self->scratch;
          self->scratch = swap;
        }
    }
}

void
hone_pretokenizer_split_from (HonePretokenizer *self,
                              guint             first,
                              const char       *text,
                              gsize             len,
                              GArray           *spans)
{
  hone_pretokenizer_split_range (self, first, G_MAXUINT, text, len, spans);
}

void
hone_pretokenizer_split (HonePretokenizer *self,
                         const char       *text,
                         gsize             len,
                         GArray           *spans)
{
  hone_pretokenizer_split_range (self, 0, G_MAXUINT, text, len, spans);
}
