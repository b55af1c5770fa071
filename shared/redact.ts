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

// Keys are compared lower-case without `_` and `-` (`temporary_password`,
// `temporaryPassword` and `Temporary-Password` are one key).
const SECRET_KEYS = new Set([
  'code',
  'secretcode',
  'codeparameter',
  'verificationcode',
  'challengeanswer',
  'answer',
  'privatechallengeparameters',
  'otp',
  'ct',
  'rct',
  'encryptedcode',
  'recoverycode',
  'recoverycodes',
  'smsmessage',
  'emailmessage',
  'messagebody',
  'authorization',
  'sessiontoken',
  'accesstoken',
  'idtoken',
  'refreshtoken',
  'pin',
  'otpcode',
  'mfacode',
  'totpcode',
  'authcode',
]);
// Any key containing one of these is secret too (`tempPassword`,
// `totpSecretBase32`, `codeCiphertext`).
const SECRET_KEY_PARTS = ['password', 'secret', 'ciphertext', 'answer'];

const PHONE_KEYS = new Set([
  'phone',
  'phonenumber',
  'destinationphonenumber',
  'mobile',
  'msisdn',
]);
const EMAIL_KEYS = new Set(['email', 'emailaddress']);

const normalizeKey = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

// Names about a secret rather than holding one (`secretArn`,
// `answerCorrect`, `passwordLength`: the normalized key), or a yes/no
// about one (`hasSecret`, `isPasswordSet`: the key as written, so that
// `hashedPassword` is not taken for `has…`).
const DESCRIBES_SECRET = /(arn|length|correct|version|policy|name|id)$/;
const ASKS_ABOUT_SECRET = /^(?:has|is)(?:[A-Z_-]|$)/;

const isSecretKey = (key: string, written: string) =>
  SECRET_KEYS.has(key) ||
  (SECRET_KEY_PARTS.some((part) => key.includes(part)) &&
    !DESCRIBES_SECRET.test(key) &&
    !ASKS_ABOUT_SECRET.test(written));

// A number written with a leading +, or a bare run of 9 to 15 digits that
// is not part of an identifier, ARN or path (account ids stay readable).
const PHONE_LIKE = /\+\d[\d ().-]{5,18}\d|(?<![\w.:/-])\d{9,15}(?![\w.:/-])/g;
// A local part: a quoted string, or a run of anything but whitespace,
// control characters and the ASCII characters RFC 5322 keeps out of one
// (`"(),:;<>@[\]`): the letters, marks and digits of every script, `/` and
// combining marks included, and any other non-ASCII character too (masking
// more is the safe side). A domain: labels of anything but whitespace and
// ASCII other than letters, digits and `-`, then a top-level label of
// letters (ASCII or not).
// Negated ASCII ranges rather than Unicode properties (\p{L}\p{M}\p{N}):
// V8 took about 2.4 ms of every cold start to build and compile those
// classes, and 0.1 ms for these; every address they matched still matches.
// A local part starts only where such a run starts: tried at every position
// of a long run without `@`, it took time growing with the square of the
// run (16 s for 100 KB).
const EMAIL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end a local part
  /(?:"[^"\n]*"|(?<![^\s\0-\x1f\x7f"(),:;<>@[\\\]])[^\s\0-\x1f\x7f"(),:;<>@[\\\]]+)@([^\s\0-,./:-@[-`{-\x7f]+(?:\.[^\s\0-,./:-@[-`{-\x7f]+)*\.[^\s\0-@[-`{-\x7f]{2,})/gu;
// What a masked address runs into up to a further `@`: addresses glued
// together (`a@x.org.b@y.com`), whose first domain swallowed the next local
// part. Masked whole, down to the last domain.
const CHAINED_AT = /\*\*\*@[^\s@]*@(?:[^\s@]*@)*/g;
const ESDK_MESSAGE = /AYAD[A-Za-z0-9+/=_-]{16,}/g;
// Any other long base64 run with upper case, lower case and digits: an
// Encryption SDK v2 message, a KMS ciphertext blob, a TOTP secret's bytes.
const LONG_BASE64 =
  /(?<![\w+/])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{32,}={0,2}(?![\w+/])/g;
// A base32 TOTP secret (upper case and 2-7 only).
// Whole tokens only: an AWS request id is upper-case alphanumerics with
// runs that look like base32.
const BASE32_SECRET = /(?<![A-Za-z0-9])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9=])/g;
// Digits right after a word ending in "code" (or "otp"): `your code is
// 839201`, `Ihr Bestätigungscode lautet 839201`.
const CODE_IN_TEXT = /((?:code|otp)\b[^\d\n]{0,16})\d{4,10}\b/gi;
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
  // Addresses last: a local part takes in any non-ASCII character, so one
  // glued to `code→` or to a number's last digits would otherwise swallow
  // the word or digits the patterns before it look for.
  return text
    .replace(OTPAUTH_URI, 'otpauth://[REDACTED]')
    .replace(ESDK_MESSAGE, '[CIPHERTEXT]')
    .replace(LONG_BASE64, '[CIPHERTEXT]')
    .replace(BASE32_SECRET, '[REDACTED]')
    .replace(CODE_IN_TEXT, (_match, lead: string) => `${lead}[REDACTED]`)
    .replace(PHONE_LIKE, (match) =>
      match.replace(/\D/g, '').length >= 7 ? maskPhoneNumber(match) : match,
    )
    .replace(EMAIL, (_match, domain: string) => `***@${domain}`)
    .replace(CHAINED_AT, '***@');
}

// What an error may show besides its name, message and stack: our errors'
// classification and the SDK's request metadata. Never the rest: an AWS
// SDK exception carries whatever the service put in its body (an `Item`).
const ERROR_FIELDS = [
  '$fault',
  'dependency',
  'isTransient',
  'failure',
  'errorClass',
  'reason',
  'Reason',
  'syscall',
  'errno',
  'key',
  'keys',
] as const;

/** How deep a cause chain is followed (a cycle ends there too). */
const MAX_CAUSE_DEPTH = 5;

/** A thrown non-error as text, redacted; one that cannot print, named so. */
function printable(value: unknown): string {
  try {
    return redactText(String(value));
  } catch {
    return '[unprintable]';
  }
}

/**
 * An error as the log may show it. Total: an error whose fields throw when
 * read (a getter, a cause with no `toString`) is logged by name only, never
 * left to throw from the logger.
 */
function summarizeError(error: Error, depth = 0): Record<string, unknown> {
  try {
    return summarizeFields(error, depth);
  } catch {
    return { name: 'UnprintableError' };
  }
}

function summarizeFields(error: Error, depth: number): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    name: error.name,
    message: redactText(String(error.message)),
    stack:
      typeof error.stack === 'string' ? redactText(error.stack) : undefined,
  };
  const fields = error as unknown as Record<string, unknown>;
  // Node's and our error codes (ECONNREFUSED): under another key, since a
  // key named `code` is always a secret here.
  if (
    typeof fields.code === 'string' &&
    /^[A-Z][A-Z0-9_]{1,40}$/.test(fields.code)
  )
    summary.errorCode = fields.code;
  for (const field of ERROR_FIELDS) {
    if (fields[field] !== undefined) summary[field] = fields[field];
  }
  const metadata = fields.$metadata as
    | { httpStatusCode?: number; requestId?: string; attempts?: number }
    | undefined;
  if (metadata) {
    summary.$metadata = {
      httpStatusCode: metadata.httpStatusCode,
      requestId: metadata.requestId,
      attempts: metadata.attempts,
    };
  }
  if (error.cause instanceof Error) {
    // Summarized here, not left to the serializer: a cause that leads back
    // to its error would otherwise recurse without end.
    summary.cause =
      depth < MAX_CAUSE_DEPTH && error.cause !== error
        ? summarizeError(error.cause, depth + 1)
        : { name: error.cause.name };
  } else if (error.cause !== undefined) {
    summary.cause = printable(error.cause);
  }
  return summary;
}

/**
 * `JSON.stringify` replacer that applies the rules above.
 *
 * @param key - the property name (`''` for the root)
 * @param value - the property value
 */
export function redact(key: string, value: unknown): unknown {
  const normalizedKey = normalizeKey(key);
  // Powertools' own ISO timestamp: never a secret, and digit-heavy.
  if (normalizedKey === 'timestamp') return value;
  if (isSecretKey(normalizedKey, key)) {
    return value === null || value === undefined ? value : REDACTED;
  }
  if (value instanceof Error) return summarizeError(value);
  if (typeof value === 'number' && PHONE_KEYS.has(normalizedKey))
    return maskPhoneNumber(String(value));
  if (typeof value === 'string') {
    if (PHONE_KEYS.has(normalizedKey)) return maskPhoneNumber(value);
    if (EMAIL_KEYS.has(normalizedKey)) return maskEmail(value);
    return redactText(value);
  }
  return value;
}
