/**
 * The registry of secrets a test handled. The log capture (log-capture.ts,
 * a setup file of every test) fails a test whose logs contain one.
 */

const tracked = new Set<string>();

/** Variants of a secret that must not appear either. */
function variantsOf(secret: string): string[] {
  const variants = new Set([secret]);
  if (/^\+\d{7,15}$/.test(secret)) variants.add(secret.slice(1));
  // As a JSON log line or an HTML-escaped text would carry it.
  variants.add(JSON.stringify(secret).slice(1, -1));
  variants.add(
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;'),
  );
  if (secret.includes('@')) variants.add(secret.toLowerCase());
  // A long secret (a ciphertext) must not show in part either.
  if (secret.length > 40) variants.add(secret.slice(0, 24));
  return [...variants];
}

/**
 * Registers a secret this test handled; its appearance in any log line
 * fails the test.
 *
 * @param secrets - the secret values (ignored when shorter than 4 characters)
 */
export function trackSecret(
  ...secrets: Array<string | undefined | null>
): void {
  for (const secret of secrets) {
    if (secret && secret.length >= 4) tracked.add(secret);
  }
}

/** Forgets every tracked secret (between tests). */
export function clearTrackedSecrets(): void {
  tracked.clear();
}

/**
 * Returns the tracked secrets found in `text` (e.g. a child process's
 * output), for tests that run code outside this process.
 *
 * @param text - output to search
 */
export function findTrackedSecrets(text: string): string[] {
  return [...tracked].filter((secret) =>
    variantsOf(secret).some((variant) => contains(text, variant)),
  );
}

/** Random hex ids every log line may carry: UUIDs (request and message ids), hashes. */
const HEX_IDS =
  /\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b/gi;

/**
 * Whether `text` holds `secret`. A code of digits only counts as a number of
 * its own: inside a longer run of digits (a timestamp, a request id) or a
 * random hex id (`…-a393366f-…`) it is a coincidence, not a leak.
 */
function contains(text: string, secret: string): boolean {
  if (!/^\d+$/.test(secret)) return text.includes(secret);
  return new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(
    text.replace(HEX_IDS, '#'),
  );
}

/**
 * Personal data by its shape, whether or not a test registered it: an
 * email address with its local part, or a phone number with more than its
 * last four digits. The redactor shows them as `***@example.com` and
 * `+********0123`, which these never match.
 */
const PII_SHAPES: ReadonlyArray<[string, RegExp]> = [
  // Any script (the redactor masks `jürgen@bücher.de` too). A domain ends
  // in a top-level label of letters or an IDN one (`xn--p1ai`): `a@0.-`, a
  // random key in an issue path, is no address.
  [
    'an email address',
    /[\p{L}\p{M}\p{N}._%+-]+@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*\.(?:\p{L}{2,}|xn--[a-z0-9-]+)/u,
  ],
  ['a phone number', /\+\d[\d ().-]{5,}\d/],
];

/**
 * Names the kinds of personal data `text` shows in the clear (e.g. a
 * test's log lines), by shape alone.
 *
 * @param text - output to search
 */
export function findPersonalDataShapes(text: string): string[] {
  return PII_SHAPES.filter(([, shape]) => shape.test(text)).map(
    ([name]) => name,
  );
}
