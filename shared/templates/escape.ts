import { isGsmChar } from './gsm';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Braces and hashes too: an attribute must never form Cognito's own
  // `{####}` or `{##link##}` placeholders.
  '{': '&#123;',
  '}': '&#125;',
  '#': '&#35;',
};

// Control characters (C0, DEL, C1), format characters (zero-width space,
// bidi overrides, BOM, soft hyphen) and the line/paragraph separators. The
// zero-width non-joiner and joiner stay: Persian, Hindi or Sinhala names
// and emoji sequences are spelt with them, and they form no markup.
const UNSAFE = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const JOINER = /^[\u200C\u200D]$/;

/**
 * Escapes text for HTML (element content and quoted attribute values),
 * including `{`, `}` and `#` so no Cognito placeholder can be formed.
 *
 * @param text - untrusted text, e.g. a user attribute
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'{}#]/g, (char) => HTML_ESCAPES[char] as string);
}

/**
 * Makes an attribute value safe to interpolate: control, zero-width and
 * bidi characters removed, whitespace collapsed, clipped to `max` code
 * points.
 *
 * @param value - the attribute value
 * @param max - the most code points to keep
 */
export function cleanAttribute(value: string, max: number): string {
  const cleaned = value.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...cleaned];
  return chars.length <= max ? cleaned : chars.slice(0, max).join('').trim();
}

// Characters an attribute may not bring into an SMS: placeholder syntax,
// and GSM-7 extension characters (two septets each).
const SMS_PLAIN: Readonly<Record<string, string>> = {
  '{': '(',
  '}': ')',
  '[': '(',
  ']': ')',
  '#': ' ',
  '~': '-',
  '|': '/',
  '^': "'",
  '\\': '/',
  '€': 'E',
  '\f': ' ',
};

/**
 * Makes an attribute value safe for an email subject, which mail clients
 * show as plain text (an entity would show as `&#39;`): braces and `#`
 * replaced as in SMS, so no Cognito placeholder can be formed, and clipped
 * to `max` UTF-16 units (the unit subject limits are counted in) without
 * splitting a surrogate pair.
 *
 * @param value - the cleaned attribute value
 * @param max - the most UTF-16 units to keep
 */
export function plainSubjectAttribute(value: string, max: number): string {
  const plain = value
    .replace(/[{}#]/g, (char) => SMS_PLAIN[char] as string)
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut).trim();
}

const COMBINING_ACCENT = /^[\u0300-\u036f]$/;
const COMBINING_ACCENTS = /[\u0300-\u036f]/g;

/**
 * Makes an attribute value plain SMS text: braces, `#` and GSM-7 extension
 * characters are replaced (no Cognito placeholder can be formed, and each
 * character takes one septet), and, when
 * the message is GSM-7, characters outside GSM-7 are folded to their base
 * letter or `?`, so an attribute can never switch a message to UCS-2 and
 * halve its room.
 *
 * @param value - the cleaned attribute value
 * @param isGsm - whether the message's static text is GSM-7
 */
export function plainSmsAttribute(value: string, isGsm: boolean): string {
  const plain = value.replace(
    /[{}[\]#~|^\\€\f]/g,
    (char) => SMS_PLAIN[char] as string,
  );
  if (!isGsm) return plain;
  // A letter typed as base plus combining accent (`e` U+0301, as macOS input
  // often sends) is composed first (`é` is GSM-7), unless composing would
  // lengthen the value (a few scripts' composition exclusions).
  const composed = plain.normalize('NFC');
  const text = [...composed].length <= [...plain].length ? composed : plain;
  let folded = '';
  for (const char of text) {
    if (isGsmChar(char)) {
      folded += char;
      continue;
    }
    // An accent no letter absorbed: the letter before it stands for both.
    // A joiner has no glyph of its own.
    if (COMBINING_ACCENT.test(char) || JOINER.test(char)) continue;
    const base = char.normalize('NFD').replace(COMBINING_ACCENTS, '');
    // One character in, one out: folding never makes a value longer.
    folded += base.length === 1 && isGsmChar(base) ? base : '?';
  }
  return folded;
}
