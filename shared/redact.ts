/**
 * Redaction for everything the suite logs. Pure; used as the Powertools
 * Logger's `jsonReplacerFn`, so it sees every key and value of every line.
 *
 * - Secret-bearing keys (codes, passwords, answers, secrets, ciphertexts,
 *   private challenge parameters) are replaced by `[REDACTED]`.
 * - Phone numbers show at most their last 4 digits; email addresses at most
 *   their domain.
 * - Inside any string, E.164-looking numbers, email addresses, AWS
 *   Encryption SDK messages and `otpauth://` URIs are masked as well.
 */

const SECRET_KEYS = new Set(
  [
    'code',
    'secretcode',
    'challengeanswer',
    'answer',
    'privatechallengeparameters',
    'password',
    'temporarypassword',
    'secret',
    'totpsecret',
    'otp',
    'ciphertext',
    'encryptedcode',
    'recoverycode',
    'recoverycodes',
    'authorization',
    'sessiontoken',
    'secretaccesskey',
  ].map((key) => key.toLowerCase()),
);

const PHONE_KEYS = new Set([
  'phone_number',
  'phonenumber',
  'destinationphonenumber',
]);
const EMAIL_KEYS = new Set(['email', 'emailaddress']);

const E164 = /\+?\d[\d ().-]{6,18}\d/g;
const EMAIL = /[^\s@"'<>,;:]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,}|[^\s@"'<>,;:]+)/g;
const ESDK_MESSAGE = /AYAD[A-Za-z0-9+/=_-]{16,}/g;
const OTPAUTH_URI = /otpauth:\/\/[^\s"']+/gi;

export const REDACTED = '[REDACTED]';

/**
 * Masks a phone number down to its last 4 digits (`+*******1234`).
 *
 * @param value - a phone number in any format
 */
export function maskPhoneNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '+****';
  return `+${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/**
 * Masks an email address down to its domain (`***@example.com`).
 *
 * @param value - an email address, possibly malformed
 */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return '***';
  return `***@${value.slice(at + 1)}`;
}

/**
 * Masks phone numbers, email addresses, ciphertexts and otpauth URIs found
 * anywhere in a free-text string.
 *
 * @param text - any text about to be logged
 */
export function redactText(text: string): string {
  return text
    .replace(OTPAUTH_URI, 'otpauth://[REDACTED]')
    .replace(ESDK_MESSAGE, '[CIPHERTEXT]')
    .replace(EMAIL, (_match, domain: string) => `***@${domain}`)
    .replace(E164, (match) =>
      match.replace(/\D/g, '').length >= 8 ? maskPhoneNumber(match) : match,
    );
}

/**
 * `JSON.stringify` replacer that applies the rules above.
 *
 * @param key - the property name (`''` for the root)
 * @param value - the property value
 */
export function redact(key: string, value: unknown): unknown {
  const normalizedKey = key.toLowerCase();
  if (SECRET_KEYS.has(normalizedKey)) {
    return value === null || value === undefined ? value : REDACTED;
  }
  if (typeof value === 'string') {
    if (PHONE_KEYS.has(normalizedKey)) return maskPhoneNumber(value);
    if (EMAIL_KEYS.has(normalizedKey)) return maskEmail(value);
    return redactText(value);
  }
  return value;
}
