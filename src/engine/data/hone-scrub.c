/* hone-scrub.c
 *
 * Copyright 2026 The Hone authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personal data → placeholders. Each kind is a pattern that finds candidates and a
 * validator that decides; the kinds run in a fixed order and a later kind never
 * replaces text inside an earlier one's span:
 *
 *   URL → EMAIL → IBAN → CARD → PHONE → ADDRESS → NAME
 *
 * The rules, and why:
 * - URL: replaced only when it is personal: user information before the host, a
 *   query key that names a person or a secret (token, key, session, email, user, id,
 *   phone…), a path or query value that looks like a token (16+ letters and digits
 *   mixed) or an account number (8+ digits), a profile path (/u/, /user/, /profile/,
 *   /in/, /@name, /~name), or a host whose paths are people (wa.me, t.me, m.me,
 *   instagram.com, facebook.com, twitter.com, x.com, tiktok.com, calendly.com). Other
 *   URLs (a shop's help page, a project page) stay, and nothing inside them is
 *   replaced by a later kind.
 * - IBAN: country code, two check digits, the country's length, groups of four or
 *   none, and the ISO 13616 mod-97 check.
 * - CARD: 13 to 19 digits, in groups of four (4-6-5 and 4-6-4 for Amex and Diners) or
 *   none, an issuer prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro)
 *   and the Luhn check.
 * - PHONE: international (+CC or 00CC, 8 to 15 digits), North American with
 *   separators ((503) 555-0148, 503-555-0148, 1-800-555-0199), French (01 23 45 67 89
 *   with one separator throughout), and trunk-prefixed European numbers (030 1234567,
 *   0171-1234567, 020 7946 0958, (030) 123 456 78), 9 to 12 digits. A bare run of
 *   digits without a leading 0 or + is never a phone: order and tracking numbers look
 *   like that. Never after "order", "tracking", "Bestellnummer", "commande", "#"…;
 *   never a date (01-02-2024) or followed by a time or a decimal part.
 * - ADDRESS: English "221B Baker Street", "350 Fifth Ave, New York, NY 10118";
 *   German "Hauptstraße 12", "Berliner Str. 45a, 10115 Berlin", "Am Markt 3, 10115
 *   Berlin" (the Am/An der/Im form only with its postcode and town); French "12 rue
 *   de la Paix", "8 bis, boulevard Voltaire, 75011 Paris". A postcode alone stays.
 * - NAME: the names the caller gives, whole words, case-sensitive.
 */
#define G_LOG_DOMAIN "hone-scrub"

#include "config.h"

#include <string.h>

#include "hone-scrub.h"

struct _HoneScrubber
{
  gatomicrefcount  ref_count;
  guint            kinds;
  GRegex          *url;
  GRegex          *email;
  GRegex          *iban;
  GRegex          *card;
  GRegex          *phone[4];
  GRegex          *number_context;
  GRegex          *date_prefix;
  GRegex          *address[5];
  GRegex          *address_unit;
  GRegex          *name;
};

static const char * const kind_names[] = {
  "email", "phone", "card", "iban", "url", "address", "name",
};
static const char * const placeholders[] = {
  "[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[URL]", "[ADDRESS]", "[NAME]",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == HONE_SCRUB_N_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (placeholders) == HONE_SCRUB_N_KINDS);

const char *
hone_scrub_kind_to_string (HoneScrubKind kind)
{
  g_return_val_if_fail (kind < HONE_SCRUB_N_KINDS, NULL);
  return kind_names[kind];
}

int
hone_scrub_kind_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);
  for (guint i = 0; i < HONE_SCRUB_N_KINDS; i++)
    if (g_ascii_strcasecmp (name, kind_names[i]) == 0)
      return (int) i;
  return -1;
}

const char *
hone_scrub_kind_placeholder (HoneScrubKind kind)
{
  g_return_val_if_fail (kind < HONE_SCRUB_N_KINDS, NULL);
  return placeholders[kind];
}

/* Patterns. \w, \d and \b are Unicode-aware (GRegex uses PCRE2_UCP). */

#define NOT_AFTER "(?<![\\w+#@/.-])"
#define NOT_BEFORE "(?![\\w@]|[.,:/-]?\\d|[ ]\\d)"

static const char url_pattern[] =
  "\\b(?:https?://|www\\.)[^\\s<>\"'`{}|\\\\^\\[\\]]+";

/* Domain labels are letters and digits with inner hyphens (no underscore, so
 * "photo_1@10-02-2024_18-07-55.jpg" is a file name); a file extension is no TLD. */
static const char email_pattern[] =
  "(?<![\\w.%+-])[\\w%+-]+(?:\\.[\\w%+-]+)*@"
  "(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+"
  "(?!(?i:jpe?g|png|gif|webp|heic|svg|ogg|opus|mp[34]|m4a|wav|pdf|txt|zip|json|csv|docx?|xlsx?)\\b)"
  "[A-Za-z]{2,24}(?![\\w-])";

/* Candidates only: the country length and the checksum decide. */
static const char iban_pattern[] =
  "(?<![\\w])[A-Za-z]{2}\\d{2}(?=[ ]?[A-Za-z0-9])";

static const char card_pattern[] =
  "(?<![\\w.,/+-])\\d(?:[ -]?\\d)++(?![\\w]|[.,/]\\d)";

static const char * const phone_patterns[] = {
  /* international */
  NOT_AFTER "(?:\\+|00)[1-9]\\d{0,3}(?:[ ]?\\(0\\)[ ]?|[ .-]?)\\(?\\d{1,5}\\)?"
  "(?:(?:[ .-]|[ ]?/[ ]?)?\\d{1,5}){1,5}" NOT_BEFORE,
  /* North American, separators required */
  NOT_AFTER "(?:1[ .-])?(?:\\([2-9]\\d{2}\\)[ ]?|[2-9]\\d{2}[ .-])[2-9]\\d{2}[ .-]\\d{4}" NOT_BEFORE,
  /* French: pairs with one separator throughout */
  NOT_AFTER "0[1-9]([ .-]?)\\d{2}(?:\\1\\d{2}){3}" NOT_BEFORE,
  /* trunk-prefixed European (UK, German, …): no dots, those are dates and versions */
  NOT_AFTER "(?:\\(0[1-9]\\d{1,4}\\)|0[1-9]\\d{1,4})(?:[ ]?[/-][ ]?|[ ])?\\d{2,8}"
  "(?:[ -]\\d{2,5}){0,3}" NOT_BEFORE,
};

/* What comes right before an order, tracking, invoice or customer number. */
static const char number_context_pattern[] =
  "(?i)(?:order|tracking|track|invoice|ref|reference|ticket|case|account|customer|serial|"
  "parcel|shipment|sku|item|article|bestell\\w*|sendung\\w*|rechnung\\w*|auftrag\\w*|"
  "kunden\\w*|artikel\\w*|vorgang\\w*|paket\\w*|commande|facture|suivi|colis|dossier|"
  "r[ée]f[ée]rence|r[ée]f|client)"
  "\\s*(?:number|nummer|num[ée]ro|no\\.?|nr\\.?|n°|#|id)?\\s*"
  "(?:(?:is|was|lautet|ist|war|est)\\s*)?[:#]?\\s*[(]?$|(?:#|n°|nr\\.|no\\.)\\s*$";

static const char date_prefix_pattern[] =
  "^\\(?\\d{1,2}[./-]\\d{1,2}[./-](?:19|20)\\d{2}(?!\\d)";

#define EN_TYPES "(?:(?:Street|Avenue|Road|Lane|Drive|Boulevard|Court|Place|Way|Terrace|Close|" \
  "Crescent|Square|Parkway|Highway|Gardens|Grove|Row|Mews|Circle|Trail)\\b|" \
  "(?:St|Ave|Rd|Ln|Dr|Blvd|Ct|Pl|Sq|Pkwy|Hwy|Cir)\\b\\.?)"
#define UC "[A-ZÄÖÜÀ-ÖØ-Þ]"
#define LC "[a-zäöüßà-öø-ÿ]"
#define DE_SUFFIX "(?:straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad)"
#define DE_WORD "(?:Straße|Strasse|Str\\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee)"
#define DE_TAIL "(?:,?[ ]\\d{5}[ ]" UC LC "+(?:[ -]" UC LC "+)?)"
#define DE_NUMBER "[ ]\\d{1,4}(?:[ ]?[a-zA-Z](?![\\w]))?(?:[-/]\\d{1,4})?(?![\\w.,]?\\d)" \
  "(?![ ](?:min|Min|Minuten|km|m|Meter|Euro|EUR|€|%|Stunden|Std|Jahre|Tage|Mal|Mio|Punkte)\\b)"
#define FR_ARTICLE "(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’])"
#define FR_NAME UC "[\\w'’-]*"

static const char * const address_patterns[] = {
  /* English: number, one to four capitalised words, a street type, then optionally a
   * direction, a unit, a town, a state and ZIP or a UK postcode */
  "\\b\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?(?:[ ](?:[A-Z][a-z]+|[A-Z]\\.|\\d+(?:st|nd|rd|th))){1,4}"
  "[ ]" EN_TYPES "(?:[ ](?:NW|NE|SW|SE|N|S|E|W)\\b)?"
  "(?:,?[ ](?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\\.?[ ]?[A-Za-z0-9]+)?"
  "(?:,[ ][A-Z][a-z]+(?:[ ][A-Z][a-z]+)?)?"
  "(?:,?[ ](?:[A-Z]{2}[ ]\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?[ ]\\d[A-Z]{2}))?",
  /* German, one word: Hauptstraße 12, Kaiser-Wilhelm-Ring 10 */
  "\\b" UC LC "+(?:-" UC LC "+)*(?:" DE_SUFFIX "|-" DE_WORD ")" DE_NUMBER DE_TAIL "?",
  /* German, two words: Berliner Straße 45 (not after an article) */
  "\\b(?!(?:Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Auf|Am|Im|Zum|Zur|Vom|Beim)[ ])"
  UC LC "+[ ]" DE_WORD DE_NUMBER DE_TAIL "?",
  /* German, with a preposition: only with postcode and town */
  "\\b(?:Am|An der|An den|Im|In der|In den|Auf dem|Auf der|Zum|Zur|Hinter der|Unter den)"
  "[ ]" UC LC "+" DE_NUMBER DE_TAIL,
  /* French: 12 rue de la Paix, 8 bis, boulevard Voltaire, 75011 Paris */
  "\\b\\d{1,4}(?:[ ]?(?:bis|ter|[A-Ca-c])(?![\\w]))?,?[ ]"
  "(?i:rue|avenue|av\\.|boulevard|bd|place|allée|allee|chemin|impasse|quai|cours|route|"
  "square|passage|faubourg|rond-point|villa)[ ]" FR_ARTICLE "?" FR_NAME
  "(?:[ ](?:(?:de|du|des|la|le|les|et) |d['’]|l['’])?" FR_NAME ")*"
  "(?:,?[ ]\\d{5}[ ]" FR_NAME "(?:[ -]" FR_NAME ")*)?",
};

static GRegex *
compile (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

  /* The patterns are constants of this file: a failure is a bug, caught by the tests. */
  if (regex == NULL)
    g_critical ("Bad scrubber pattern %s: %s", pattern, error->message);
  return regex;
}

static int
compare_length_desc (gconstpointer a,
                     gconstpointer b)
{
  return (int) strlen (*(const char * const *) b) - (int) strlen (*(const char * const *) a);
}

static gboolean
has_letter (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static GRegex *
compile_names (const char * const *names)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) pattern = g_string_new ("(?<![\\w])(?:");

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;

      if (!has_letter (names[i]))
        continue;
      /* a one-word handle in lower case ("bo", "admin") is too likely a common word */
      if (strchr (names[i], ' ') != NULL || g_unichar_isupper (g_utf8_get_char (names[i])))
        g_ptr_array_add (words, g_strdup (names[i]));
      parts = g_strsplit_set (names[i], " \t", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        if (g_utf8_strlen (parts[j], -1) >= 2 && g_unichar_isupper (g_utf8_get_char (parts[j]))
            && has_letter (parts[j]))
          g_ptr_array_add (words, g_strdup (parts[j]));
    }
  if (words->len == 0)
    return NULL;
  g_ptr_array_sort (words, compare_length_desc);
  for (guint i = 0, n = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      g_autofree char *escaped = NULL;

      if (!g_hash_table_add (seen, (gpointer) word))
        continue;
      escaped = g_regex_escape_string (word, -1);
      if (n++ > 0)
        g_string_append_c (pattern, '|');
      g_string_append (pattern, escaped);
    }
  g_string_append (pattern, ")(?![\\w])");
  return compile (pattern->str);
}

HoneScrubber *
hone_scrubber_new (guint               kinds,
                   const char * const *names)
{
  HoneScrubber *self = g_new0 (HoneScrubber, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kinds = kinds & (HONE_SCRUB_KIND_BIT (HONE_SCRUB_N_KINDS) - 1);
  self->url = compile (url_pattern);
  self->email = compile (email_pattern);
  self->iban = compile (iban_pattern);
  self->card = compile (card_pattern);
  for (guint i = 0; i < G_N_ELEMENTS (phone_patterns); i++)
    self->phone[i] = compile (phone_patterns[i]);
  self->number_context = compile (number_context_pattern);
  self->date_prefix = compile (date_prefix_pattern);
  for (guint i = 0; i < G_N_ELEMENTS (address_patterns); i++)
    self->address[i] = compile (address_patterns[i]);
  if (self->kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME))
    self->name = compile_names (names);
  return self;
}

HoneScrubber *
hone_scrubber_ref (HoneScrubber *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hone_scrubber_unref (HoneScrubber *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->url, g_regex_unref);
  g_clear_pointer (&self->email, g_regex_unref);
  g_clear_pointer (&self->iban, g_regex_unref);
  g_clear_pointer (&self->card, g_regex_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->phone); i++)
    g_clear_pointer (&self->phone[i], g_regex_unref);
  g_clear_pointer (&self->number_context, g_regex_unref);
  g_clear_pointer (&self->date_prefix, g_regex_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->address); i++)
    g_clear_pointer (&self->address[i], g_regex_unref);
  g_clear_pointer (&self->name, g_regex_unref);
  g_free (self);
}

guint
hone_scrubber_get_kinds (HoneScrubber *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kinds;
}

/* Spans found so far, with protected (kept) ones marked by kind N_KINDS. */
typedef struct
{
  GArray *spans;
} Found;

static gboolean
overlaps (Found *found,
          gsize  start,
          gsize  end)
{
  for (guint i = 0; i < found->spans->len; i++)
    {
      const HoneScrubSpan *s = &g_array_index (found->spans, HoneScrubSpan, i);
      if (start < s->end && s->start < end)
        return TRUE;
    }
  return FALSE;
}

static void
add_span (Found         *found,
          HoneScrubKind  kind,
          gsize          start,
          gsize          end)
{
  HoneScrubSpan span = { kind, start, end };
  g_array_append_val (found->spans, span);
}

typedef gboolean (*Validator) (HoneScrubber *self,
                               const char   *text,
                               gsize        *start,
                               gsize        *end);

static void
find_with (HoneScrubber  *self,
           Found         *found,
           GRegex        *regex,
           HoneScrubKind  kind,
           const char    *text,
           Validator      validate)
{
  g_autoptr(GMatchInfo) match = NULL;

  if (regex == NULL)
    return;
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      int s = 0, e = 0;
      gsize start, end;

      g_match_info_fetch_pos (match, 0, &s, &e);
      start = s;
      end = e;
      if ((validate == NULL || validate (self, text, &start, &end))
          && end > start && !overlaps (found, start, end))
        add_span (found, kind, start, end);
      if (!g_match_info_next (match, NULL))
        break;
    }
}

/* URL */

static const char * const url_secret_keys[] = {
  "token", "access_token", "auth", "authorization", "key", "apikey", "api_key", "session",
  "sessionid", "session_id", "sid", "sig", "signature", "code", "email", "e-mail", "mail",
  "user", "username", "userid", "user_id", "uid", "id", "phone", "tel", "mobile", "name",
  "password", "pwd", "pass", "invite", "secret", "hash", "otp", "reset", NULL,
};

static const char * const url_profile_segments[] = {
  "u", "user", "users", "profile", "profiles", "people", "in", "member", "members",
  "account", "accounts", "my", "me", "invite", "j", NULL,
};

static const char * const url_people_hosts[] = {
  "wa.me", "t.me", "m.me", "instagram.com", "facebook.com", "fb.com", "twitter.com",
  "x.com", "tiktok.com", "calendly.com", "linkedin.com", "snapchat.com", NULL,
};

static gboolean
looks_like_token (const char *s,
                  gsize       len)
{
  gsize letters = 0, digits = 0, run = 0, max_digit_run = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isdigit (s[i]))
        {
          digits++;
          run++;
          max_digit_run = MAX (max_digit_run, run);
        }
      else
        {
          run = 0;
          if (g_ascii_isalpha (s[i]))
            letters++;
          else if (s[i] != '-' && s[i] != '_')
            return FALSE;
        }
    }
  if (max_digit_run >= 8)
    return TRUE;
  return len >= 16 && letters > 0 && digits > 0;
}

static gboolean
in_list (const char         *s,
         gsize               len,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strlen (list[i]) == len && g_ascii_strncasecmp (s, list[i], len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
url_is_personal (const char *url,
                 gsize       len)
{
  const char *p = url;
  const char *end = url + len;
  const char *host, *host_end, *q;
  gboolean first_segment = TRUE;
  gboolean people_host = FALSE;

  if (g_ascii_strncasecmp (p, "http://", 7) == 0)
    p += 7;
  else if (g_ascii_strncasecmp (p, "https://", 8) == 0)
    p += 8;
  host = p;
  host_end = p;
  while (host_end < end && *host_end != '/' && *host_end != '?' && *host_end != '#')
    host_end++;
  if (memchr (host, '@', host_end - host) != NULL)
    return TRUE;  /* user information */
  for (guint i = 0; url_people_hosts[i] != NULL; i++)
    {
      gsize n = strlen (url_people_hosts[i]);
      gsize hl = host_end - host;
      if (hl >= n && g_ascii_strncasecmp (host_end - n, url_people_hosts[i], n) == 0
          && (hl == n || host_end[-(gssize) n - 1] == '.'))
        people_host = TRUE;
    }

  /* the path */
  p = host_end;
  while (p < end && *p == '/')
    {
      const char *seg = ++p;
      while (p < end && *p != '/' && *p != '?' && *p != '#')
        p++;
      if (p == seg)
        continue;
      if (people_host)
        return TRUE;
      if (*seg == '@' || *seg == '~')
        return TRUE;
      if (first_segment && in_list (seg, p - seg, url_profile_segments) && p < end && *p == '/'
          && p + 1 < end)
        return TRUE;
      if (looks_like_token (seg, p - seg))
        return TRUE;
      first_segment = FALSE;
    }
  if (p >= end || *p != '?')
    return FALSE;

  /* the query */
  q = p + 1;
  while (q < end && *q != '#')
    {
      const char *key = q, *eq = NULL, *amp;
      for (amp = q; amp < end && *amp != '&' && *amp != '#'; amp++)
        if (*amp == '=' && eq == NULL)
          eq = amp;
      if (eq != NULL)
        {
          if (in_list (key, eq - key, url_secret_keys))
            return TRUE;
          if (looks_like_token (eq + 1, amp - eq - 1))
            return TRUE;
          if (memchr (eq + 1, '@', amp - eq - 1) != NULL)
            return TRUE;
        }
      q = amp < end && *amp == '&' ? amp + 1 : amp;
    }
  return FALSE;
}

static gboolean
validate_url (HoneScrubber *self,
              const char   *text,
              gsize        *start,
              gsize        *end)
{
  /* Sentence punctuation after a URL is not part of it. */
  while (*end > *start && strchr (".,;:!?)'\"»”’", text[*end - 1]) != NULL)
    (*end)--;
  return *end > *start;
}

/* IBAN */

static const struct { char cc[3]; guint8 len; } iban_lengths[] = {
  { "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
  { "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BR", 29 }, { "CH", 21 }, { "CR", 22 },
  { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "DO", 28 }, { "EE", 20 },
  { "ES", 24 }, { "FI", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 },
  { "GI", 23 }, { "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HR", 21 }, { "HU", 28 },
  { "IE", 22 }, { "IL", 23 }, { "IS", 26 }, { "IT", 27 }, { "KW", 30 }, { "KZ", 20 },
  { "LB", 28 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 }, { "MC", 27 },
  { "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 },
  { "NL", 18 }, { "NO", 15 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 }, { "PT", 25 },
  { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "SA", 24 }, { "SE", 24 }, { "SI", 19 },
  { "SK", 24 }, { "SM", 27 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 }, { "VG", 24 },
  { "XK", 20 },
};

/* Returns whether @text at @start has the shape of an IBAN (country, length, groups),
 * with its end in @end; @valid says whether the checksum holds too. */
static gboolean
iban_shape (const char *text,
            gsize       start,
            gsize      *end,
            gboolean   *valid)
{
  char cc[3] = { g_ascii_toupper (text[start]), g_ascii_toupper (text[start + 1]), 0 };
  char chars[40];
  guint want = 0, n = 0, rem = 0;
  gsize p = start;

  for (guint i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    if (strcmp (iban_lengths[i].cc, cc) == 0)
      want = iban_lengths[i].len;
  if (want == 0)
    return FALSE;

  while (n < want && text[p] != '\0')
    {
      if (g_ascii_isalnum (text[p]))
        chars[n++] = g_ascii_toupper (text[p++]);
      else if (text[p] == ' ' && n > 0 && g_ascii_isalnum (text[p + 1]))
        p++;
      else
        break;
    }
  if (n != want || g_ascii_isalnum (text[p]))
    return FALSE;
  /* Check digits 02 to 98, and digits only where the check digits are. */
  for (guint i = 4; i < n + 4; i++)
    {
      char c = chars[i % n];
      if (g_ascii_isdigit (c))
        rem = (rem * 10 + (c - '0')) % 97;
      else
        rem = (rem * 100 + (c - 'A' + 10)) % 97;
    }
  *valid = rem == 1;
  *end = p;
  return TRUE;
}

/* A string with the shape of an IBAN whose checksum fails is kept whole: no later kind
 * may take its digits for a phone number. */
static void
find_ibans (HoneScrubber *self,
            Found        *found,
            const char   *text)
{
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (self->iban, text, 0, &match);
  while (g_match_info_matches (match))
    {
      int s = 0, e = 0;
      gsize end = 0;
      gboolean valid = FALSE;

      g_match_info_fetch_pos (match, 0, &s, &e);
      if (iban_shape (text, s, &end, &valid) && !overlaps (found, s, end))
        add_span (found, valid && (self->kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_IBAN))
                           ? HONE_SCRUB_IBAN : HONE_SCRUB_N_KINDS, s, end);
      if (!g_match_info_next (match, NULL))
        break;
    }
}

static gboolean
number_context_ok (HoneScrubber *self,
                  const char   *text,
                  gsize         start)
{
  gsize from = start > 40 ? start - 40 : 0;
  g_autofree char *before = NULL;

  while (from > 0 && (text[from] & 0xc0) == 0x80)
    from--;
  before = g_strndup (text + from, start - from);
  return !g_regex_match (self->number_context, before, 0, NULL);
}

/* CARD */

static gboolean
luhn_ok (const char *digits,
         guint       n)
{
  guint sum = 0;

  for (guint i = 0; i < n; i++)
    {
      guint d = digits[n - 1 - i] - '0';
      if (i % 2 == 1)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }
  return sum % 10 == 0;
}

static gboolean
issuer_ok (const char *d,
           guint       n)
{
  int p2 = (d[0] - '0') * 10 + (d[1] - '0');
  int p3 = p2 * 10 + (d[2] - '0');
  int p4 = p3 * 10 + (d[3] - '0');

  if (d[0] == '4')
    return n == 13 || n == 16 || n == 19;                 /* Visa */
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
    return n == 16;                                        /* Mastercard */
  if (p2 == 34 || p2 == 37)
    return n == 15;                                        /* Amex */
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))
    return n >= 16 && n <= 19;                             /* Discover */
  if (p4 >= 3528 && p4 <= 3589)
    return n >= 16 && n <= 19;                             /* JCB */
  if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305))
    return n >= 14 && n <= 16;                             /* Diners */
  if (p2 == 50 || (p2 >= 56 && p2 <= 69))
    return n >= 13 && n <= 19;                             /* Maestro */
  return FALSE;
}

static gboolean
validate_card (HoneScrubber *self,
               const char   *text,
               gsize        *start,
               gsize        *end)
{
  char digits[24];
  guint groups[24];
  guint n = 0, n_groups = 0, group = 0;
  char sep = 0;

  for (gsize p = *start; p < *end; p++)
    {
      if (g_ascii_isdigit (text[p]))
        {
          if (n >= 19)
            return FALSE;
          digits[n++] = text[p];
          group++;
          continue;
        }
      if (sep != 0 && text[p] != sep)
        return FALSE;
      sep = text[p];
      groups[n_groups++] = group;
      group = 0;
    }
  groups[n_groups++] = group;
  if (n < 13 || !issuer_ok (digits, n) || !luhn_ok (digits, n))
    return FALSE;
  if (!number_context_ok (self, text, *start))
    return FALSE;
  if (n_groups == 1)
    return TRUE;
  if (n_groups == 3 && groups[0] == 4 && groups[1] == 6 && (groups[2] == 5 || groups[2] == 4))
    return TRUE;
  for (guint i = 0; i + 1 < n_groups; i++)
    if (groups[i] != 4)
      return FALSE;
  return groups[n_groups - 1] >= 1 && groups[n_groups - 1] <= 4;
}

/* PHONE */

static gboolean
validate_phone (HoneScrubber *self,
                const char   *text,
                gsize        *start,
                gsize        *end,
                guint         min_digits,
                guint         max_digits)
{
  g_autofree char *candidate = g_strndup (text + *start, *end - *start);
  guint n = 0;

  for (gsize p = *start; p < *end; p++)
    if (g_ascii_isdigit (text[p]))
      n++;
  /* +49 (0)30: the trunk 0 in brackets is not dialled */
  if (strstr (candidate, "(0)") != NULL)
    n--;
  if (n < min_digits || n > max_digits)
    return FALSE;
  if (g_regex_match (self->date_prefix, candidate, 0, NULL))
    return FALSE;
  return number_context_ok (self, text, *start);
}

static gboolean
validate_phone_international (HoneScrubber *self,
                              const char   *text,
                              gsize        *start,
                              gsize        *end)
{
  /* "00" is part of the digits counted; the + is not */
  return validate_phone (self, text, start, end, text[*start] == '+' ? 8 : 10, 17);
}

static gboolean
validate_phone_local (HoneScrubber *self,
                      const char   *text,
                      gsize        *start,
                      gsize        *end)
{
  return validate_phone (self, text, start, end, 9, 12);
}

static gboolean
validate_phone_nanp (HoneScrubber *self,
                     const char   *text,
                     gsize        *start,
                     gsize        *end)
{
  return validate_phone (self, text, start, end, 10, 11);
}

/* ADDRESS */

static gboolean
validate_address (HoneScrubber *self,
                  const char   *text,
                  gsize        *start,
                  gsize        *end)
{
  /* A trailing full stop belongs to the sentence unless it ends an abbreviation. */
  if (*end > *start + 1 && text[*end - 1] == '.' && g_ascii_isdigit (text[*end - 2]))
    (*end)--;
  return TRUE;
}

static guint
count_digits (const char *text)
{
  guint n = 0;
  for (const char *p = text; *p != '\0'; p++)
    n += g_ascii_isdigit (*p);
  return n;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const HoneScrubSpan *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

GArray *
hone_scrubber_find (HoneScrubber *self,
                    const char   *text)
{
  Found found = { g_array_new (FALSE, FALSE, sizeof (HoneScrubSpan)) };
  guint kinds;
  guint digits;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  kinds = self->kinds;
  digits = count_digits (text);

  /* URLs first: a personal one is replaced, any other is kept whole (its span is
   * marked with N_KINDS and dropped at the end). */
  if (strstr (text, "http") != NULL || strstr (text, "www.") != NULL)
    {
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (self->url, text, 0, &match);
      while (g_match_info_matches (match))
        {
          int s = 0, e = 0;
          gsize start, end;

          g_match_info_fetch_pos (match, 0, &s, &e);
          start = s;
          end = e;
          if (validate_url (self, text, &start, &end))
            {
              gboolean personal = url_is_personal (text + start, end - start);
              if (!personal)
                {
                  /* an e-mail address inside the URL makes it personal too */
                  g_autofree char *url = g_strndup (text + start, end - start);
                  personal = g_regex_match (self->email, url, 0, NULL);
                }
              add_span (&found, personal && (kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_URL))
                                  ? HONE_SCRUB_URL : HONE_SCRUB_N_KINDS, start, end);
            }
          if (!g_match_info_next (match, NULL))
            break;
        }
    }
  if ((kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_EMAIL)) && strchr (text, '@') != NULL)
    find_with (self, &found, self->email, HONE_SCRUB_EMAIL, text, NULL);
  if (digits >= 10)
    find_ibans (self, &found, text);
  if ((kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_CARD)) && digits >= 13)
    find_with (self, &found, self->card, HONE_SCRUB_CARD, text, validate_card);
  if ((kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_PHONE)) && digits >= 8)
    {
      find_with (self, &found, self->phone[0], HONE_SCRUB_PHONE, text,
                 validate_phone_international);
      find_with (self, &found, self->phone[1], HONE_SCRUB_PHONE, text, validate_phone_nanp);
      find_with (self, &found, self->phone[2], HONE_SCRUB_PHONE, text, validate_phone_local);
      find_with (self, &found, self->phone[3], HONE_SCRUB_PHONE, text, validate_phone_local);
    }
  if ((kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_ADDRESS)) && digits >= 1)
    for (guint i = 0; i < G_N_ELEMENTS (self->address); i++)
      find_with (self, &found, self->address[i], HONE_SCRUB_ADDRESS, text, validate_address);
  if (kinds & HONE_SCRUB_KIND_BIT (HONE_SCRUB_NAME))
    find_with (self, &found, self->name, HONE_SCRUB_NAME, text, NULL);

  for (guint i = found.spans->len; i > 0; i--)
    if (g_array_index (found.spans, HoneScrubSpan, i - 1).kind == HONE_SCRUB_N_KINDS)
      g_array_remove_index_fast (found.spans, i - 1);
  g_array_sort (found.spans, compare_spans);
  return found.spans;
}

char *
hone_scrubber_apply (HoneScrubber *self,
                     const char   *text,
                     guint         counts[HONE_SCRUB_N_KINDS])
{
  g_autoptr(GArray) spans = NULL;
  GString *out;
  gsize at = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  spans = hone_scrubber_find (self, text);
  if (spans->len == 0)
    return NULL;
  out = g_string_sized_new (strlen (text));
  for (guint i = 0; i < spans->len; i++)
    {
      const HoneScrubSpan *span = &g_array_index (spans, HoneScrubSpan, i);

      g_string_append_len (out, text + at, span->start - at);
      g_string_append (out, placeholders[span->kind]);
      at = span->end;
      if (counts != NULL)
        counts[span->kind]++;
    }
  g_string_append (out, text + at);
  return g_string_free (out, FALSE);
}
