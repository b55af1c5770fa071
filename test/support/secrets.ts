/**
 * The registry of secrets a test handled. The log capture (log-capture.ts,
 * a setup file of every test) fails a test whose logs contain one.
 */

const tracked = new Set<string>();

/** Variants of a secret that must not appear either. */
function variantsOf(secret: string): string[] {
  const variants = [secret];
  if (/^\+\d{7,15}$/.test(secret)) variants.push(secret.slice(1));
  return variants;
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
    variantsOf(secret).some((variant) => text.includes(variant)),
  );
}
