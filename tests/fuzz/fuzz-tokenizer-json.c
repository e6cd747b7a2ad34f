/* fuzz-tokenizer-json.c — libFuzzer target for the tokenizer.json reader: each input is
 * read as a tokenizer.json; what loads is then used to encode and decode a few strings,
 * so the tables it built are exercised too. Refusals are expected; a crash, leak or
 * sanitizer report is a bug.
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "text/hone-tokenizer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *texts[] = {
    "", "Hello world", "  a\n\n b\tc ", "<s>x</s><|endoftext|>", "日本語 ☃ 🦙 123456",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HoneVocab) vocab = NULL;
  g_autoptr(HoneTokenizer) tokenizer = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  vocab = hone_vocab_new_from_tokenizer_json_data ((const char *) data, size, "fuzz.json", &error);
  if (vocab == NULL)
    return 0;
  tokenizer = hone_tokenizer_new (vocab);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = NULL;

      g_array_set_size (ids, 0);
      hone_tokenizer_encode (tokenizer, texts[i], -1,
                             HONE_ENCODE_ADD_SPECIAL | (i % 2 ? HONE_ENCODE_PARSE_SPECIAL : 0), ids);
      text = hone_tokenizer_decode (tokenizer, (const gint32 *) ids->data, ids->len,
                                    HONE_DECODE_SPECIAL, NULL, NULL);
    }
  return 0;
}
