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

// A number written with a leading +, or a bare run of 9 to 15 digits that
// is not part of an identifier, ARN or path (account ids stay readable).
const PHONE_LIKE = /\+\d[\d ().-]{5,18}\d|(?<![\w.:/-])\d{9,15}(?![\w.:/-])/g;
const EMAIL =
  /[\p{L}\p{N}._%+!#$&'*=?^`{|}~-]+@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})/gu;
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
    .replace(PHONE_LIKE, (match) =>
      match.replace(/\D/g, '').length >= 7 ? maskPhoneNumber(match) : match,
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
  // Powertools' own ISO timestamp: never a secret, and digit-heavy.
  if (normalizedKey === 'timestamp') return value;
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
