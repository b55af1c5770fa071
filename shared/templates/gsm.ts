import type { SmsEncoding } from './types';

// GSM 03.38 default alphabet (ESC excluded) and its extension table, whose
// characters are sent as ESC + char and so take two septets.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

const GSM_SINGLE = 160;
const GSM_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

/**
 * Whether a character is in the GSM-7 default alphabet or its extension.
 *
 * @param char - one code point
 */
export function isGsmChar(char: string): boolean {
  return GSM_BASIC.has(char) || GSM_EXTENSION.has(char);
}

// Packs characters of the given sizes into parts without splitting one
// character (an escape pair or a surrogate pair) across two parts.
function countParts(sizes: readonly number[], part: number): number {
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/**
 * How an SMS text is encoded and how many segments it takes: GSM-7 when
 * every character is in the default alphabet or its extension (extension
 * characters count twice), UCS-2 otherwise (one smart quote is enough).
 *
 * @param text - the message as it will be sent
 * @example
 * smsEncodingOf('Code: 123456'); // { encoding: 'GSM-7', units: 12, segments: 1 }
 */
export function smsEncodingOf(text: string): SmsEncoding {
  const chars = [...text];
  if (chars.every(isGsmChar)) {
    const sizes = chars.map((char) => (GSM_EXTENSION.has(char) ? 2 : 1));
    const units = sizes.reduce((sum, size) => sum + size, 0);
    const segments = units <= GSM_SINGLE ? 1 : countParts(sizes, GSM_PART);
    return { encoding: 'GSM-7', units, segments };
  }
  const sizes = chars.map((char) => char.length);
  const units = text.length;
  const segments = units <= UCS2_SINGLE ? 1 : countParts(sizes, UCS2_PART);
  return { encoding: 'UCS-2', units, segments };
}
